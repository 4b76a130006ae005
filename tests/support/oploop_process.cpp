#include "support/oploop_process.hpp"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>
#include <stdexcept>
#include <thread>

#include "support/http_client.hpp"

extern char** environ;

namespace oploop::testing {
namespace {

namespace fs = std::filesystem;

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

void write_file(const std::string& path, const std::string& content) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << content;
}

// The test's environment without OPLOOP_*, plus `extra`.
std::vector<std::string> child_environment(const Environment& extra) {
  std::vector<std::string> env;
  for (char** e = environ; *e; ++e) {
    if (std::strncmp(*e, "OPLOOP_", 7) == 0) continue;
    env.emplace_back(*e);
  }
  for (const auto& [k, v] : extra) env.push_back(k + "=" + v);
  return env;
}

// Starts the binary with stdin from `stdin_path` and stdout/stderr into files in `dir`.
pid_t spawn(const std::vector<std::string>& args, const std::string& stdin_path,
            const std::string& dir, const Environment& extra) {
  std::vector<std::string> argv_strings = {oploop_binary()};
  argv_strings.insert(argv_strings.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (auto& s : argv_strings) argv.push_back(s.data());
  argv.push_back(nullptr);
  auto env_strings = child_environment(extra);
  std::vector<char*> envp;
  for (auto& s : env_strings) envp.push_back(s.data());
  envp.push_back(nullptr);

  const std::string out = dir + "/stdout", err = dir + "/stderr";
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, stdin_path.c_str(), O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, out.c_str(),
                                   O_WRONLY | O_CREAT | O_TRUNC, 0600);
  posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, err.c_str(),
                                   O_WRONLY | O_CREAT | O_TRUNC, 0600);
  pid_t pid = -1;
  const int rc = posix_spawn(&pid, argv[0], &actions, nullptr, argv.data(), envp.data());
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0)
    throw std::runtime_error("cannot start " + argv_strings[0] + ": " + std::strerror(rc));
  return pid;
}

// Waits for `pid` up to `timeout`; answers the exit code, -1 after a signal, or -2 when
// still running.
int wait_pid(pid_t pid, std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    int status = 0;
    const pid_t r = ::waitpid(pid, &status, WNOHANG);
    if (r == pid) return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    if (r < 0 && errno != EINTR) return -1;
    if (std::chrono::steady_clock::now() >= deadline) return -2;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
}

int kill_and_reap(pid_t pid) {
  ::kill(pid, SIGKILL);
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  return -1;
}

}  // namespace

std::string oploop_binary() {
  if (const char* bin = std::getenv("OPLOOP_BIN"); bin && *bin) return bin;
  const fs::path self = fs::read_symlink("/proc/self/exe");
  return (self.parent_path().parent_path() / "oploop").string();
}

TempDir::TempDir() {
  const char* base = std::getenv("TMPDIR");
  std::string pattern = std::string(base && *base ? base : "/tmp") + "/oploop-proc-XXXXXX";
  if (!::mkdtemp(pattern.data())) throw std::runtime_error("mkdtemp failed");
  path_ = pattern;
}

TempDir::~TempDir() {
  std::error_code ec;
  fs::remove_all(path_, ec);
}

ProcessResult run_oploop(const std::vector<std::string>& args, const std::string& input,
                         const Environment& env, std::chrono::seconds timeout) {
  TempDir dir;
  write_file(dir.file("stdin"), input);
  const pid_t pid = spawn(args, dir.file("stdin"), dir.path(), env);
  ProcessResult result;
  result.exit_code = wait_pid(pid, timeout);
  if (result.exit_code == -2) result.exit_code = kill_and_reap(pid);
  result.out = read_file(dir.file("stdout"));
  result.err = read_file(dir.file("stderr"));
  return result;
}

ServerProcess::ServerProcess(const std::string& db_url, const Environment& env) {
  TempDir scratch;  // only to get a unique name; the directory is kept by dir_
  dir_ = scratch.path() + "-server";
  fs::create_directories(dir_);
  pid_ = spawn({"--db", db_url, "serve", "--listen", "127.0.0.1:0", "--threads", "4"}, "/dev/null",
               dir_, env);
  static const std::regex kListening(R"(listening on http://127\.0\.0\.1:([0-9]+))");
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (std::chrono::steady_clock::now() < deadline) {
    if (wait_pid(pid_, std::chrono::milliseconds(0)) != -2) {
      pid_ = -1;
      throw std::runtime_error("oploop serve exited early:\n" + output());
    }
    if (port_ == 0) {
      std::smatch m;
      const std::string text = output();
      if (std::regex_search(text, m, kListening))
        port_ = static_cast<std::uint16_t>(std::stoi(m[1].str()));
    }
    if (port_ != 0) {
      HttpClient probe(base_url());
      if (probe.get("/readyz").status == 200) return;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  const std::string seen = output();
  kill_hard();
  throw std::runtime_error("oploop serve did not become ready:\n" + seen);
}

ServerProcess::~ServerProcess() {
  if (pid_ > 0) stop();
  std::error_code ec;
  fs::remove_all(dir_, ec);
}

void ServerProcess::kill_hard() {
  if (pid_ <= 0) return;
  kill_and_reap(pid_);
  pid_ = -1;
}

int ServerProcess::stop() {
  if (pid_ <= 0) return -1;
  ::kill(pid_, SIGTERM);
  int code = wait_pid(pid_, std::chrono::seconds(30));
  if (code == -2) code = kill_and_reap(pid_);
  pid_ = -1;
  return code;
}

std::string ServerProcess::output() const {
  return read_file(dir_ + "/stdout") + read_file(dir_ + "/stderr");
}

}  // namespace oploop::testing
