// A small blocking HTTP client for tests, on libcurl (deliberately not Beast, so the server is
// checked by an independent implementation). It keeps its own cookie jar — curl's would refuse
// to send Secure/__Host- cookies over plain http to 127.0.0.1 — and never follows redirects.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "http/message.hpp"

namespace oploop::testing {

struct HttpResult {
  int status = 0;  // 0: no response (connection failed)
  http::Headers headers;
  std::string body;

  std::optional<std::string> header(const std::string& name) const;
};

class HttpClient {
 public:
  explicit HttpClient(std::string base_url);  // "http://127.0.0.1:8080"
  ~HttpClient();
  HttpClient(const HttpClient&) = delete;
  HttpClient& operator=(const HttpClient&) = delete;

  // `path` includes the query. `headers` add to (and override) the default headers.
  HttpResult request(const std::string& method, const std::string& path,
                     const std::string& body = "", const http::Headers& headers = {});
  HttpResult get(const std::string& path);
  HttpResult post_form(const std::string& path, const http::Params& fields);
  HttpResult post_json(const std::string& path, const std::string& json);

  void set_bearer(const std::string& token);  // Authorization: Bearer <token> from now on
  void set_header(const std::string& name, const std::string& value);  // sent on every request
  void clear_header(const std::string& name);

  std::optional<std::string> cookie(const std::string& name) const;
  void set_cookie(const std::string& name, const std::string& value);
  void clear_cookies();
  const std::string& base_url() const { return base_url_; }

 private:
  void remember_cookie(std::string_view set_cookie);

  std::string base_url_;
  void* curl_ = nullptr;  // CURL*, kept so connections are reused between calls
  std::map<std::string, std::string> cookies_;
  std::map<std::string, std::string, http::HeaderLess> default_headers_;
};

// Raw bytes over TCP to 127.0.0.1:port, for requests no well-behaved client would send.
class RawConnection {
 public:
  explicit RawConnection(std::uint16_t port);  // throws std::runtime_error when it cannot connect
  ~RawConnection();
  RawConnection(const RawConnection&) = delete;
  RawConnection& operator=(const RawConnection&) = delete;

  bool send(std::string_view bytes);
  void shutdown_write();  // half-close: the server sees end of stream after what was sent
  // Reads until the server closes or `timeout` passes; returns what arrived.
  std::string read_until_close(std::chrono::milliseconds timeout = std::chrono::seconds(5));
  // Reads until `needle` has arrived, the server closes, or `timeout` passes.
  std::string read_until(std::string_view needle,
                         std::chrono::milliseconds timeout = std::chrono::seconds(5));
  // Whether the server closed the connection (read returns end of stream) within `timeout`.
  bool closed_by_peer(std::chrono::milliseconds timeout);

 private:
  int fd_ = -1;
  std::string pending_;
};

// Sends `bytes`, half-closes, and returns everything the server answers until it closes.
std::string raw_exchange(std::uint16_t port, std::string_view bytes,
                         std::chrono::milliseconds timeout = std::chrono::seconds(5));

}  // namespace oploop::testing
