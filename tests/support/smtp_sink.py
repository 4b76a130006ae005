#!/usr/bin/python3
"""A local SMTP server for the mail tests (aiosmtpd, Debian python3-aiosmtpd).

Usage: /usr/bin/python3 smtp_sink.py DIRECTORY [PORT]

Listens on 127.0.0.1:PORT (0 or absent: a free port chosen by the kernel) and stores each
message it accepts in DIRECTORY as NNNNNN.eml (the raw RFC 5322 bytes, dot-unstuffed), with
the envelope recipients in NNNNNN.rcpt (one per line). A file appears only when complete
(written under a temporary name, then renamed). Prints "ready PORT" once listening. Stops on
SIGTERM or SIGINT, or when standard input reaches end of file (the test process has gone).
"""

import asyncio
import os
import signal
import sys

from aiosmtpd.smtp import SMTP


class Store:
    def __init__(self, directory):
        self.directory = directory
        self.count = 0

    def _write(self, name, data):
        temporary = os.path.join(self.directory, "." + name + ".tmp")
        with open(temporary, "wb") as f:
            f.write(data)
        os.replace(temporary, os.path.join(self.directory, name))

    async def handle_DATA(self, server, session, envelope):
        self.count += 1
        stem = "%06d" % self.count
        self._write(stem + ".rcpt", "".join(r + "\n" for r in envelope.rcpt_tos).encode())
        # The .eml file last: its presence means the message is complete.
        self._write(stem + ".eml", envelope.original_content)
        return "250 Message accepted for delivery"


async def main():
    directory = sys.argv[1]
    port = int(sys.argv[2]) if len(sys.argv) > 2 else 0
    loop = asyncio.get_running_loop()
    store = Store(directory)
    server = await loop.create_server(
        lambda: SMTP(store, hostname="sink.localhost", loop=loop), host="127.0.0.1", port=port
    )
    stop = loop.create_future()

    def finish():
        loop.remove_reader(sys.stdin.fileno())
        if not stop.done():
            stop.set_result(None)

    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, finish)
    # End of standard input: the parent died without stopping us.
    loop.add_reader(sys.stdin.fileno(), lambda: os.read(sys.stdin.fileno(), 4096) or finish())

    print("ready", server.sockets[0].getsockname()[1], flush=True)
    await stop
    server.close()
    await server.wait_closed()


if __name__ == "__main__":
    asyncio.run(main())
