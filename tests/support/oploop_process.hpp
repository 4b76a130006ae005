// The real `oploop` binary as a child process, for the command-line and crash tests: run a
// command and collect its exit code, stdout and stderr; or keep `oploop serve` running on a
// database, stop it, or kill it with SIGKILL as a crash would.
//
// The binary is $OPLOOP_BIN when set, else <directory of the test binary>/../oploop (the test
// binary is build/tests/oploop_tests, the application build/oploop). Children get the test's
// environment without any OPLOOP_* variable, plus what the caller passes, so a developer's
// own settings never leak into a test.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace oploop::testing {

std::string oploop_binary();

struct ProcessResult {
  int exit_code = -1;  // -1: killed by a signal (or the timeout)
  std::string out;
  std::string err;
};

using Environment = std::map<std::string, std::string>;

// Runs `oploop <args...>` with `input` on stdin and waits for it (killed after `timeout`).
ProcessResult run_oploop(const std::vector<std::string>& args, const std::string& input = "",
                         const Environment& env = {},
                         std::chrono::seconds timeout = std::chrono::seconds(120));

// `oploop --db URL serve --listen 127.0.0.1:0`, started by the constructor, which returns once
// the server answers /readyz with 200 (and throws std::runtime_error with the server's output
// when it does not within 60 seconds). The destructor stops it (SIGTERM, then SIGKILL).
class ServerProcess {
 public:
  ServerProcess(const std::string& db_url, const Environment& env = {});
  ~ServerProcess();
  ServerProcess(const ServerProcess&) = delete;
  ServerProcess& operator=(const ServerProcess&) = delete;

  std::uint16_t port() const { return port_; }
  std::string base_url() const { return "http://127.0.0.1:" + std::to_string(port_); }
  pid_t pid() const { return pid_; }

  // SIGKILL, as a power cut or the OOM killer would; waits until the process is gone.
  void kill_hard();
  // SIGTERM and wait; answers the exit code (-1 when it had to be killed).
  int stop();
  std::string output() const;  // what the server wrote so far (stdout and stderr)

 private:
  pid_t pid_ = -1;
  std::uint16_t port_ = 0;
  std::string dir_;  // stdout/stderr files
};

// A fresh temporary directory (removed by the caller, e.g. with TempDir below).
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::string& path() const { return path_; }
  std::string file(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

}  // namespace oploop::testing
