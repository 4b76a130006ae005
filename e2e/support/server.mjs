// Starts a real `oploop serve` on 127.0.0.1 and a free port, on a fresh SQLite database in a
// temporary directory, after running the caller's setup commands (migrate, demo, user add …)
// against that same database. Returns {baseUrl, stop()}; stop() sends SIGTERM and waits.
// A setup command is an argv array or {argv, env, input}; `input` goes to its stdin.
//
//   const server = await startServer({
//     setup: [['build/oploop', 'migrate'], { argv: ['build/oploop', 'demo'], env: {X: '1'} }],
//   });
//   server.setupResults[1].stdout   // e.g. the demo logins
//   ...
//   await server.stop();
//
// In argv strings, {db} becomes the database URL, {tmp} the temporary directory and (serve
// only) {port} the port. Commands run from the repository root; OPLOOP_DB is set for all.
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
// scripts/test sets OPLOOP_BIN to the binary it built.
export const OPLOOP_BINARY = process.env.OPLOOP_BIN || join(REPO_ROOT, 'build', 'oploop');

const LOG_LIMIT = 64 * 1024; // keep the tail of a process's output for failure messages

export async function freePort() {
  return new Promise((resolvePort, reject) => {
    const probe = createServer();
    probe.unref();
    probe.on('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => resolvePort(port));
    });
  });
}

function substitute(argv, values) {
  return argv.map((arg) =>
    String(arg).replace(/\{(db|tmp|port)\}/g, (whole, key) => values[key] ?? whole),
  );
}

function normalise(command) {
  return Array.isArray(command) ? { argv: command, env: {} } : { env: {}, ...command };
}

function appendTail(buffer, chunk) {
  const next = buffer + chunk;
  return next.length > LOG_LIMIT ? next.slice(next.length - LOG_LIMIT) : next;
}

// Runs one setup command to completion; rejects with its output when it fails. `input`
// (a string) is written to its stdin, e.g. a password for `user add --password-stdin`.
function run(argv, env, timeoutMs, input) {
  return new Promise((resolveRun, reject) => {
    const child = spawn(argv[0], argv.slice(1), {
      cwd: REPO_ROOT,
      env,
      stdio: [input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
    });
    if (input !== undefined) {
      child.stdin.on('error', () => {}); // a command that exits early closes the pipe
      child.stdin.end(input);
    }
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d) => (stderr = appendTail(stderr, d)));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(new Error(`setup ${argv.join(' ')}: ${error.message}`));
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (code === 0) resolveRun({ argv, stdout, stderr });
      else {
        reject(
          new Error(
            `setup ${argv.join(' ')} ended with ${signal ?? `exit code ${code}`}\n` +
              `--- stdout\n${stdout}\n--- stderr\n${stderr}`,
          ),
        );
      }
    });
  });
}

async function healthy(baseUrl) {
  try {
    const response = await fetch(`${baseUrl}/healthz`, { signal: AbortSignal.timeout(1000) });
    await response.arrayBuffer();
    return response.status === 200;
  } catch {
    return false;
  }
}

// Spawns serve and waits for /healthz; rejects (and kills it) when it exits or stays unready.
async function startServe(argv, env, baseUrl, readyTimeoutMs) {
  const child = spawn(argv[0], argv.slice(1), {
    cwd: REPO_ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output = { text: '' };
  child.stdout.setEncoding('utf8').on('data', (d) => (output.text = appendTail(output.text, d)));
  child.stderr.setEncoding('utf8').on('data', (d) => (output.text = appendTail(output.text, d)));
  const exited = new Promise((resolveExit) => {
    child.on('close', (code, signal) => resolveExit({ code, signal }));
    child.on('error', (error) => resolveExit({ code: null, signal: null, error }));
  });
  let exit = null;
  exited.then((result) => (exit = result));

  const deadline = Date.now() + readyTimeoutMs;
  while (Date.now() < deadline) {
    if (exit) {
      const why = exit.error ? exit.error.message : exit.signal ?? `exit code ${exit.code}`;
      throw Object.assign(new Error(`${argv.join(' ')} ended (${why}) before it was ready\n${output.text}`), {
        exitedEarly: true,
      });
    }
    if (await healthy(baseUrl)) return { child, exited, output };
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill('SIGKILL');
  await exited;
  throw new Error(`${argv.join(' ')}: no 200 from ${baseUrl}/healthz within ${readyTimeoutMs} ms\n${output.text}`);
}

export async function startServer({
  setup = [],
  env = {},
  serveArgs = [OPLOOP_BINARY, 'serve', '--listen', '127.0.0.1:{port}'],
  readyTimeoutMs = 20_000,
  setupTimeoutMs = 120_000,
  keepTmp = !!process.env.OPLOOP_E2E_KEEP,
} = {}) {
  const tmp = await mkdtemp(join(tmpdir(), 'oploop-e2e-'));
  const db = env.OPLOOP_DB || `sqlite:${join(tmp, 'e2e.db')}`;
  const baseEnv = { ...process.env, OPLOOP_DB: db, ...env };
  const cleanup = async () => {
    if (!keepTmp) await rm(tmp, { recursive: true, force: true });
  };

  try {
    const setupResults = [];
    for (const command of setup.map(normalise)) {
      const argv = substitute(command.argv, { db, tmp });
      setupResults.push(
        await run(argv, { ...baseEnv, ...command.env }, setupTimeoutMs, command.input),
      );
    }

    // A free port can be taken between probing and binding; try a few.
    let started;
    let port;
    for (let attempt = 1; ; attempt++) {
      port = await freePort();
      try {
        started = await startServe(
          substitute(serveArgs, { db, tmp, port }),
          baseEnv,
          `http://127.0.0.1:${port}`,
          readyTimeoutMs,
        );
        break;
      } catch (error) {
        if (!error.exitedEarly || attempt >= 3) throw error;
      }
    }

    const { child, exited, output } = started;
    let stopped = null;
    const stop = async () => {
      stopped ??= (async () => {
        if (child.exitCode === null && child.signalCode === null) {
          child.kill('SIGTERM');
          const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
          await exited;
          clearTimeout(timer);
        }
        await cleanup();
        return exited;
      })();
      return stopped;
    };
    return {
      baseUrl: `http://127.0.0.1:${port}`,
      port,
      db,
      tmp,
      setupResults,
      logs: () => output.text,
      stop,
    };
  } catch (error) {
    await cleanup();
    throw error;
  }
}
