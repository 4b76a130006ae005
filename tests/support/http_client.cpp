// Test HTTP client on libcurl, plus a raw TCP connection for malformed requests.
#include "support/http_client.hpp"

#include <arpa/inet.h>
#include <curl/curl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cctype>
#include <ctime>
#include <mutex>
#include <stdexcept>

namespace oploop::testing {
namespace {

void global_init_once() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

std::string trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) {
    s.remove_prefix(1);
  }
  while (!s.empty() &&
         (s.back() == ' ' || s.back() == '\t' || s.back() == '\r' || s.back() == '\n')) {
    s.remove_suffix(1);
  }
  return std::string(s);
}

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return out;
}

size_t on_body(char* data, size_t size, size_t n, void* user) {
  static_cast<HttpResult*>(user)->body.append(data, size * n);
  return size * n;
}

size_t on_header_line(char* data, size_t size, size_t n, void* user) {
  auto* result = static_cast<HttpResult*>(user);
  std::string_view line(data, size * n);
  if (line.starts_with("HTTP/")) {
    result->headers.clear();  // a new (possibly final after 100 Continue) response starts
  } else if (auto colon = line.find(':'); colon != std::string_view::npos) {
    result->headers.emplace(trim(line.substr(0, colon)), trim(line.substr(colon + 1)));
  }
  return size * n;
}

int current_year() {
  std::time_t now = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&now, &tm);
  return tm.tm_year + 1900;
}

// A Set-Cookie that deletes: Max-Age <= 0, or an Expires in an earlier year (the usual
// "Thu, 01 Jan 1970 00:00:00 GMT"). Good enough for a test jar.
bool is_deletion(std::string_view attributes) {
  std::string attrs = lower(attributes);
  if (auto pos = attrs.find("max-age="); pos != std::string::npos) {
    std::string v = attrs.substr(pos + 8, attrs.find(';', pos) - (pos + 8));
    try {
      return std::stol(trim(v)) <= 0;
    } catch (const std::exception&) {
      return false;
    }
  }
  if (auto pos = attrs.find("expires="); pos != std::string::npos) {
    std::string v = attrs.substr(pos + 8, attrs.find(';', pos) - (pos + 8));
    for (std::size_t i = 0; i + 4 <= v.size(); ++i) {
      bool four_digits = true;
      for (std::size_t k = 0; k < 4; ++k) {
        four_digits = four_digits && std::isdigit(static_cast<unsigned char>(v[i + k]));
      }
      if (four_digits) {
        return std::stoi(v.substr(i, 4)) < current_year();
      }
    }
  }
  return false;
}

}  // namespace

std::optional<std::string> HttpResult::header(const std::string& name) const {
  auto it = headers.find(name);
  if (it == headers.end()) {
    return std::nullopt;
  }
  return it->second;
}

HttpClient::HttpClient(std::string base_url) : base_url_(std::move(base_url)) {
  global_init_once();
  curl_ = curl_easy_init();
  if (!curl_) {
    throw std::runtime_error("curl_easy_init failed");
  }
}

HttpClient::~HttpClient() { curl_easy_cleanup(static_cast<CURL*>(curl_)); }

HttpResult HttpClient::request(const std::string& method, const std::string& path,
                               const std::string& body, const http::Headers& headers) {
  CURL* curl = static_cast<CURL*>(curl_);
  curl_easy_reset(curl);  // keeps the connection cache, so keep-alive is exercised
  HttpResult result;
  std::string url = base_url_ + path;
  curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl, CURLOPT_PROXY, "");  // never an environment proxy
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, 30000L);
  curl_easy_setopt(curl, CURLOPT_HTTP_VERSION, CURL_HTTP_VERSION_1_1);
  curl_easy_setopt(curl, CURLOPT_FOLLOWLOCATION, 0L);
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, on_body);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &result);
  curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, on_header_line);
  curl_easy_setopt(curl, CURLOPT_HEADERDATA, &result);

  if (method == "HEAD") {
    curl_easy_setopt(curl, CURLOPT_NOBODY, 1L);
  } else if (method == "GET" && body.empty()) {
    curl_easy_setopt(curl, CURLOPT_HTTPGET, 1L);
  } else {
    if (method == "POST") {
      curl_easy_setopt(curl, CURLOPT_POST, 1L);
    } else {
      curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, method.c_str());
    }
    if (method == "POST" || !body.empty()) {
      curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body.size()));
      curl_easy_setopt(curl, CURLOPT_POSTFIELDS, body.data());
    }
  }

  std::map<std::string, std::string, http::HeaderLess> all(default_headers_);
  for (const auto& [name, value] : headers) {
    all[name] = value;
  }
  if (!cookies_.empty() && !all.contains("Cookie")) {
    std::string cookie;
    for (const auto& [name, value] : cookies_) {
      if (!cookie.empty()) {
        cookie += "; ";
      }
      cookie.append(name).append("=").append(value);
    }
    all["Cookie"] = cookie;
  }
  curl_slist* list = nullptr;
  for (const auto& [name, value] : all) {
    // "Name;" is curl's spelling for a header with an empty value ("Name:" would remove it).
    std::string line = name;
    line.append(value.empty() ? ";" : ": ").append(value);
    list = curl_slist_append(list, line.c_str());
  }
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, list);

  CURLcode rc = curl_easy_perform(curl);
  curl_slist_free_all(list);
  if (rc != CURLE_OK) {
    result.status = 0;
    result.body = curl_easy_strerror(rc);
    return result;
  }
  long status = 0;
  curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
  result.status = static_cast<int>(status);
  auto [first, last] = result.headers.equal_range("Set-Cookie");
  for (auto it = first; it != last; ++it) {
    remember_cookie(it->second);
  }
  return result;
}

HttpResult HttpClient::get(const std::string& path) { return request("GET", path); }

HttpResult HttpClient::post_form(const std::string& path, const http::Params& fields) {
  std::string body;
  for (const auto& [name, value] : fields) {
    if (!body.empty()) {
      body += '&';
    }
    body += http::percent_encode(name) + "=" + http::percent_encode(value);
  }
  return request("POST", path, body, {{"Content-Type", "application/x-www-form-urlencoded"}});
}

HttpResult HttpClient::post_json(const std::string& path, const std::string& json) {
  return request("POST", path, json, {{"Content-Type", "application/json"}});
}

void HttpClient::set_bearer(const std::string& token) {
  default_headers_["Authorization"] = "Bearer " + token;
}

void HttpClient::set_header(const std::string& name, const std::string& value) {
  default_headers_[name] = value;
}

void HttpClient::clear_header(const std::string& name) { default_headers_.erase(name); }

std::optional<std::string> HttpClient::cookie(const std::string& name) const {
  auto it = cookies_.find(name);
  if (it == cookies_.end()) {
    return std::nullopt;
  }
  return it->second;
}

void HttpClient::set_cookie(const std::string& name, const std::string& value) {
  cookies_[name] = value;
}

void HttpClient::clear_cookies() { cookies_.clear(); }

void HttpClient::remember_cookie(std::string_view set_cookie) {
  auto semi = set_cookie.find(';');
  std::string_view pair = set_cookie.substr(0, semi);
  std::string_view attributes =
      semi == std::string_view::npos ? std::string_view{} : set_cookie.substr(semi + 1);
  auto eq = pair.find('=');
  if (eq == std::string_view::npos) {
    return;
  }
  std::string name = trim(pair.substr(0, eq));
  std::string value = trim(pair.substr(eq + 1));
  if (name.empty()) {
    return;
  }
  if (is_deletion(attributes)) {
    cookies_.erase(name);
  } else {
    cookies_[name] = value;
  }
}

// ---- RawConnection --------------------------------------------------------------------------

RawConnection::RawConnection(std::uint16_t port) {
  fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd_ < 0) {
    throw std::runtime_error("socket() failed");
  }
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    ::close(fd_);
    fd_ = -1;
    throw std::runtime_error("connect() to 127.0.0.1 failed");
  }
}

RawConnection::~RawConnection() {
  if (fd_ >= 0) {
    ::close(fd_);
  }
}

bool RawConnection::send(std::string_view bytes) {
  while (!bytes.empty()) {
    ssize_t n = ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL);
    if (n <= 0) {
      return false;
    }
    bytes.remove_prefix(static_cast<std::size_t>(n));
  }
  return true;
}

void RawConnection::shutdown_write() { ::shutdown(fd_, SHUT_WR); }

std::string RawConnection::read_until(std::string_view needle, std::chrono::milliseconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  std::string out = std::move(pending_);
  pending_.clear();
  char buf[4096];
  while (needle.empty() || out.find(needle) == std::string::npos) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) {
      break;
    }
    pollfd p{fd_, POLLIN, 0};
    if (::poll(&p, 1, static_cast<int>(left.count())) <= 0) {
      break;
    }
    ssize_t n = ::recv(fd_, buf, sizeof buf, 0);
    if (n <= 0) {
      break;
    }
    out.append(buf, static_cast<std::size_t>(n));
  }
  return out;
}

std::string RawConnection::read_until_close(std::chrono::milliseconds timeout) {
  return read_until("", timeout);
}

bool RawConnection::closed_by_peer(std::chrono::milliseconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  char buf[4096];
  while (true) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) {
      return false;
    }
    pollfd p{fd_, POLLIN, 0};
    if (::poll(&p, 1, static_cast<int>(left.count())) <= 0) {
      return false;
    }
    ssize_t n = ::recv(fd_, buf, sizeof buf, 0);
    if (n <= 0) {
      return true;  // end of stream or reset
    }
    pending_.append(buf, static_cast<std::size_t>(n));
  }
}

std::string raw_exchange(std::uint16_t port, std::string_view bytes,
                         std::chrono::milliseconds timeout) {
  RawConnection connection(port);
  connection.send(bytes);
  connection.shutdown_write();
  return connection.read_until_close(timeout);
}

}  // namespace oploop::testing
