// Our own request/response types, so nothing outside http/ includes Boost.Beast.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace oploop::http {

// Header names compare case-insensitively.
struct HeaderLess {
  bool operator()(const std::string& a, const std::string& b) const;
};
using Headers = std::multimap<std::string, std::string, HeaderLess>;

struct Request {
  std::string method;  // "GET", "POST", …
  std::string target;  // as received: path + "?" + query
  std::string path;    // percent-decoded path, no query
  std::string query;   // raw query string without "?"
  Headers headers;
  std::string body;
  std::string remote_ip;
  std::string request_id;  // correlation id, set by the server

  std::optional<std::string> header(const std::string& name) const;
};

struct Response {
  int status = 200;
  Headers headers;
  std::string body;
  // When set, the server streams this file as the body (static assets).
  std::optional<std::string> file_path;
  // The matched route pattern ("/api/v1/families/{id}"), for the access log and metrics;
  // never sent to the client.
  std::string route;

  void set_header(const std::string& name, std::string value);
  std::optional<std::string> header(const std::string& name) const;

  static Response text(int status, std::string body,
                       std::string content_type = "text/plain; charset=utf-8");
  static Response html(int status, std::string body);
  static Response redirect(std::string location, int status = 303);
};

// Parsing helpers (http/parsing.cpp). All tolerate hostile input; none throws.
// Duplicate keys are kept in order; callers decide whether duplicates are an error.
using Params = std::vector<std::pair<std::string, std::string>>;
std::optional<std::string> percent_decode(std::string_view in, bool plus_is_space);
std::string percent_encode(std::string_view in);
// nullopt when a key or value has invalid percent-encoding or invalid UTF-8.
std::optional<Params> parse_query(std::string_view query);
std::optional<Params> parse_form(std::string_view body);  // application/x-www-form-urlencoded
std::map<std::string, std::string> parse_cookies(std::string_view cookie_header);
bool is_valid_utf8(std::string_view s);

}  // namespace oploop::http
