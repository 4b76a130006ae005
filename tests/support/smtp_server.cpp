#include "support/smtp_server.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <sstream>
#include <stdexcept>
#include <string_view>
#include <thread>

extern char** environ;

namespace oploop::testing {
namespace {

namespace fs = std::filesystem;

constexpr auto kStartTimeout = std::chrono::seconds(10);
constexpr const char* kPython = "/usr/bin/python3";  // Debian's, which has aiosmtpd

std::string script_path() { return std::string(OPLOOP_SOURCE_DIR) + "/tests/support/smtp_sink.py"; }

std::string make_temp_dir() {
  const char* base = std::getenv("TMPDIR");
  std::string pattern =
      std::string(base != nullptr && *base != '\0' ? base : "/tmp") + "/oploop-smtp-XXXXXX";
  if (::mkdtemp(pattern.data()) == nullptr) {
    throw std::runtime_error("SmtpSink: mkdtemp failed");
  }
  return pattern;
}

std::string read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

// Reads the "ready PORT" line, waiting at most until `deadline`; 0 when it never comes.
int read_ready_line(int fd, std::chrono::steady_clock::time_point deadline) {
  std::string line;
  while (line.find('\n') == std::string::npos) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) {
      return 0;
    }
    pollfd p{fd, POLLIN, 0};
    const int ready = ::poll(&p, 1, static_cast<int>(left.count()));
    if (ready < 0 && errno == EINTR) {
      continue;
    }
    if (ready <= 0) {
      return 0;
    }
    char buffer[256];
    const ssize_t n = ::read(fd, buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) {
      continue;
    }
    if (n <= 0) {
      return 0;  // the script exited
    }
    line.append(buffer, static_cast<std::size_t>(n));
  }
  std::istringstream words(line.substr(0, line.find('\n')));
  std::string word;
  int port = 0;
  if (words >> word >> port && word == "ready") {
    return port;
  }
  return 0;
}

}  // namespace

SmtpSink::SmtpSink() : directory_(make_temp_dir()) {
  int to_child[2];
  int from_child[2];
  if (::pipe2(to_child, O_CLOEXEC) != 0) {
    throw std::runtime_error("SmtpSink: pipe failed");
  }
  if (::pipe2(from_child, O_CLOEXEC) != 0) {
    ::close(to_child[0]);
    ::close(to_child[1]);
    throw std::runtime_error("SmtpSink: pipe failed");
  }
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  // dup2 clears close-on-exec on the copies, so only stdin and stdout reach the child.
  posix_spawn_file_actions_adddup2(&actions, to_child[0], STDIN_FILENO);
  posix_spawn_file_actions_adddup2(&actions, from_child[1], STDOUT_FILENO);

  const std::string script = script_path();
  // -I: ignore PYTHONPATH and user site-packages, which could shadow Debian's aiosmtpd.
  std::vector<char*> argv{const_cast<char*>(kPython), const_cast<char*>("-I"),
                          const_cast<char*>(script.c_str()), directory_.data(), nullptr};
  const int rc = ::posix_spawn(&pid_, kPython, &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  ::close(to_child[0]);
  ::close(from_child[1]);
  stdin_fd_ = to_child[1];
  stdout_fd_ = from_child[0];
  if (rc != 0) {
    pid_ = -1;
    stop();
    throw std::runtime_error("SmtpSink: cannot start " + std::string(kPython));
  }
  port_ = read_ready_line(stdout_fd_, std::chrono::steady_clock::now() + kStartTimeout);
  if (port_ == 0) {
    stop();
    throw std::runtime_error("SmtpSink: " + script + " did not report ready within 10 s");
  }
}

SmtpSink::~SmtpSink() { stop(); }

void SmtpSink::stop() {
  if (pid_ > 0) {
    ::kill(pid_, SIGTERM);
    int status = 0;
    while (::waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
    }
    pid_ = -1;
  }
  if (stdin_fd_ >= 0) {
    ::close(stdin_fd_);
  }
  if (stdout_fd_ >= 0) {
    ::close(stdout_fd_);
  }
  stdin_fd_ = stdout_fd_ = -1;
  if (!directory_.empty()) {
    std::error_code ignored;
    fs::remove_all(directory_, ignored);
    directory_.clear();
  }
}

std::string SmtpSink::url() const { return "smtp://127.0.0.1:" + std::to_string(port_); }

std::vector<std::string> SmtpSink::files(const std::string& extension) const {
  std::vector<fs::path> paths;
  for (const auto& entry : fs::directory_iterator(directory_)) {
    const std::string name = entry.path().filename().string();
    if (name.front() != '.' && entry.path().extension() == extension) {
      paths.push_back(entry.path());
    }
  }
  std::sort(paths.begin(), paths.end());  // NNNNNN names sort in arrival order
  std::vector<std::string> contents;
  contents.reserve(paths.size());
  for (const auto& path : paths) {
    contents.push_back(read_file(path));
  }
  return contents;
}

std::vector<std::string> SmtpSink::messages() const { return files(".eml"); }

std::vector<std::vector<std::string>> SmtpSink::recipients() const {
  std::vector<std::vector<std::string>> all;
  // Only for complete messages: the .rcpt file is written before the .eml file.
  const auto count = messages().size();
  auto lists = files(".rcpt");
  lists.resize(std::min(lists.size(), count));
  for (const auto& text : lists) {
    std::vector<std::string> rcpts;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) {
      rcpts.push_back(line);
    }
    all.push_back(std::move(rcpts));
  }
  return all;
}

bool SmtpSink::wait_for(std::size_t count, std::chrono::milliseconds timeout) const {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (true) {
    std::size_t have = 0;
    for (const auto& entry : fs::directory_iterator(directory_)) {
      const std::string name = entry.path().filename().string();
      if (name.front() != '.' && entry.path().extension() == ".eml") {
        ++have;
      }
    }
    if (have >= count) {
      return true;
    }
    if (std::chrono::steady_clock::now() >= deadline) {
      return false;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
}

}  // namespace oploop::testing
