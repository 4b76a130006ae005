// Request and response helpers. Header names are ASCII case-insensitive (RFC 9110 §5.1);
// the comparison deliberately ignores the locale so "I" and "i" match in every environment.
#include "http/message.hpp"

#include <algorithm>

namespace oploop::http {
namespace {

char ascii_lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

std::optional<std::string> first_header(const Headers& headers, const std::string& name) {
  auto it = headers.find(name);
  if (it == headers.end()) {
    return std::nullopt;
  }
  return it->second;
}

}  // namespace

bool HeaderLess::operator()(const std::string& a, const std::string& b) const {
  return std::lexicographical_compare(a.begin(), a.end(), b.begin(), b.end(), [](char x, char y) {
    return static_cast<unsigned char>(ascii_lower(x)) < static_cast<unsigned char>(ascii_lower(y));
  });
}

std::optional<std::string> Request::header(const std::string& name) const {
  return first_header(headers, name);
}

void Response::set_header(const std::string& name, std::string value) {
  // Replaces every earlier value, so a layer that sets a header last wins without duplicates.
  headers.erase(name);
  headers.emplace(name, std::move(value));
}

std::optional<std::string> Response::header(const std::string& name) const {
  return first_header(headers, name);
}

Response Response::text(int status, std::string body, std::string content_type) {
  Response r;
  r.status = status;
  r.body = std::move(body);
  r.set_header("Content-Type", std::move(content_type));
  return r;
}

Response Response::html(int status, std::string body) {
  return text(status, std::move(body), "text/html; charset=utf-8");
}

Response Response::redirect(std::string location, int status) {
  Response r;
  r.status = status;
  r.set_header("Location", std::move(location));
  return r;
}

}  // namespace oploop::http
