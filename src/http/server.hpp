// The HTTP server (Boost.Beast inside server.cpp only). It parses, enforces limits and
// timeouts, serves keep-alive, assigns a request id, writes a JSON-lines access log without
// personal data (method, route pattern, status, duration — never the query string), and hands
// every request to one Handler. SIGTERM/SIGINT: stop accepting, let in-flight requests finish.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "http/message.hpp"

namespace oploop::http {

struct ServerOptions {
  std::string address = "127.0.0.1";
  std::uint16_t port = 8080;  // 0 = pick a free port (tests)
  int threads = 4;
  std::size_t max_header_bytes = 16 * 1024;      // larger: 431
  std::size_t max_body_bytes = 2 * 1024 * 1024;  // larger: 413
  std::chrono::seconds read_timeout{15};
  std::chrono::seconds keep_alive_timeout{60};
  bool handle_signals = true;  // install SIGTERM/SIGINT handlers
  bool access_log = true;
};

using Handler = std::function<Response(Request&)>;

class Server {
 public:
  Server(ServerOptions options, Handler handler);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Binds and listens; after this, port() is the real port. Throws on bind failure.
  void start();
  // Runs the I/O threads until stop() or a signal; returns when all connections are done.
  void run();
  // Graceful stop; callable from any thread.
  void stop();
  std::uint16_t port() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace oploop::http
