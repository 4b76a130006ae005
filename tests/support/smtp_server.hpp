// A real SMTP server for mail tests: tests/support/smtp_sink.py (aiosmtpd) on 127.0.0.1 and a
// free port, run by /usr/bin/python3 for the lifetime of this object. Each message it accepts
// is kept as raw RFC 5322 bytes, so tests see exactly what a mail server would receive.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <cstddef>
#include <string>
#include <vector>

namespace oploop::testing {

class SmtpSink {
 public:
  // Starts the server and waits (≤ 10 s) until it listens; throws std::runtime_error if not.
  SmtpSink();
  ~SmtpSink();  // SIGTERM, wait, remove the message directory
  SmtpSink(const SmtpSink&) = delete;
  SmtpSink& operator=(const SmtpSink&) = delete;

  std::string url() const;  // "smtp://127.0.0.1:PORT"
  int port() const { return port_; }
  // Raw messages received so far, in order of arrival.
  std::vector<std::string> messages() const;
  // Envelope recipients (RCPT TO) of each message, in the same order as messages().
  std::vector<std::vector<std::string>> recipients() const;
  // Whether at least `count` messages arrived within `timeout`.
  bool wait_for(std::size_t count, std::chrono::milliseconds timeout) const;

 private:
  void stop();
  std::vector<std::string> files(const std::string& extension) const;

  std::string directory_;
  pid_t pid_ = -1;
  int port_ = 0;
  int stdin_fd_ = -1;   // held open: the sink exits when it closes, should we die unannounced
  int stdout_fd_ = -1;  // held open: a write by the sink must never hit a closed pipe
};

}  // namespace oploop::testing
