// Static files. The request path arrives percent-decoded from the server, so "%2e%2e" is
// already ".." here and the segment check below catches it; the canonical-path check catches
// symlinks that point outside the root.
#include "http/static_files.hpp"

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdio>
#include <string_view>
#include <system_error>
#include <utility>
#include <vector>

namespace oploop::http {
namespace fs = std::filesystem;
namespace {

constexpr std::string_view kImmutable = "public, max-age=31536000, immutable";
constexpr std::string_view kShortLived = "public, max-age=3600";

bool is_hex(std::string_view s) {
  for (char c : s) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'))) {
      return false;
    }
  }
  return true;
}

std::vector<std::string_view> split(std::string_view s, char sep) {
  std::vector<std::string_view> out;
  while (true) {
    auto pos = s.find(sep);
    out.push_back(s.substr(0, pos));
    if (pos == std::string_view::npos) {
      break;
    }
    s.remove_prefix(pos + 1);
  }
  return out;
}

// Each segment must name an ordinary entry: no "", ".", "..", hidden names, backslashes or NULs.
bool is_safe_relative(std::string_view rel) {
  if (rel.empty()) {
    return false;
  }
  for (auto segment : split(rel, '/')) {
    if (segment.empty() || segment.front() == '.') {
      return false;
    }
    if (segment.find('\\') != std::string_view::npos) {
      return false;
    }
    if (segment.find('\0') != std::string_view::npos) {
      return false;
    }
  }
  return true;
}

bool is_within(const fs::path& root, const fs::path& candidate) {
  auto [root_end, candidate_it] =
      std::mismatch(root.begin(), root.end(), candidate.begin(), candidate.end());
  return root_end == root.end() && candidate_it != candidate.end();
}

bool is_fingerprinted(const Request& request, std::string_view file_name) {
  if (auto params = parse_query(request.query)) {
    for (const auto& [key, value] : *params) {
      if (key == "v" && !value.empty()) {
        return true;
      }
    }
  }
  auto parts = split(file_name, '.');
  for (std::size_t i = 1; i + 1 < parts.size(); ++i) {
    if (parts[i].size() >= 8 && is_hex(parts[i])) {
      return true;
    }
  }
  return false;
}

std::string trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) {
    s.remove_prefix(1);
  }
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) {
    s.remove_suffix(1);
  }
  return std::string(s);
}

// If-None-Match uses the weak comparison (RFC 9110 §13.1.2): "W/" is ignored on both sides.
bool etag_matches(const std::string& if_none_match, const std::string& etag) {
  for (auto candidate : split(if_none_match, ',')) {
    std::string tag = trim(candidate);
    if (tag == "*") {
      return true;
    }
    if (tag.starts_with("W/")) {
      tag.erase(0, 2);
    }
    if (tag == etag) {
      return true;
    }
  }
  return false;
}

std::string make_etag(std::uintmax_t size, fs::file_time_type mtime) {
  auto ns = std::chrono::duration_cast<std::chrono::nanoseconds>(mtime.time_since_epoch()).count();
  std::array<char, 64> buf{};
  std::snprintf(buf.data(), buf.size(), "\"%jx-%llx\"", size, static_cast<unsigned long long>(ns));
  return buf.data();
}

}  // namespace

std::string content_type_for(const fs::path& file) {
  static const std::array<std::pair<std::string_view, std::string_view>, 22> kTypes = {{
      {".css", "text/css; charset=utf-8"},
      {".js", "text/javascript; charset=utf-8"},
      {".mjs", "text/javascript; charset=utf-8"},
      {".json", "application/json; charset=utf-8"},
      {".map", "application/json; charset=utf-8"},
      {".webmanifest", "application/manifest+json; charset=utf-8"},
      {".svg", "image/svg+xml; charset=utf-8"},
      {".txt", "text/plain; charset=utf-8"},
      {".html", "text/html; charset=utf-8"},
      {".csv", "text/csv; charset=utf-8"},
      {".xml", "application/xml; charset=utf-8"},
      {".png", "image/png"},
      {".jpg", "image/jpeg"},
      {".jpeg", "image/jpeg"},
      {".gif", "image/gif"},
      {".webp", "image/webp"},
      {".ico", "image/x-icon"},
      {".woff2", "font/woff2"},
      {".woff", "font/woff"},
      {".ttf", "font/ttf"},
      {".otf", "font/otf"},
      {".pdf", "application/pdf"},
  }};
  std::string ext = file.extension().string();
  for (char& c : ext) {
    if (c >= 'A' && c <= 'Z') {
      c = static_cast<char>(c - 'A' + 'a');
    }
  }
  for (const auto& [known, type] : kTypes) {
    if (ext == known) {
      return std::string(type);
    }
  }
  return "application/octet-stream";
}

std::optional<Response> serve_static(const Request& request, const fs::path& root,
                                     const std::string& url_prefix) {
  std::string prefix = url_prefix;
  if (prefix.empty() || prefix.back() != '/') {
    prefix += '/';
  }
  if (!request.path.starts_with(prefix)) {
    return std::nullopt;
  }
  const std::string route = prefix + "*";

  if (request.method != "GET" && request.method != "HEAD") {
    Response r = Response::text(405, "Method Not Allowed\n");
    r.set_header("Allow", "GET, HEAD");
    r.route = route;
    return r;
  }

  std::string_view rel = std::string_view(request.path).substr(prefix.size());
  if (!is_safe_relative(rel)) {
    return std::nullopt;
  }

  std::error_code ec;
  fs::path real_root = fs::canonical(root, ec);
  if (ec) {
    return std::nullopt;
  }
  fs::path file = fs::canonical(real_root / fs::path(rel), ec);
  if (ec || !is_within(real_root, file)) {
    return std::nullopt;
  }
  if (!fs::is_regular_file(file, ec) || ec) {
    return std::nullopt;
  }
  std::uintmax_t size = fs::file_size(file, ec);
  if (ec) {
    return std::nullopt;
  }
  fs::file_time_type mtime = fs::last_write_time(file, ec);
  if (ec) {
    return std::nullopt;
  }

  Response r;
  r.route = route;
  std::string etag = make_etag(size, mtime);
  r.set_header("ETag", etag);
  r.set_header(
      "Cache-Control",
      std::string(is_fingerprinted(request, file.filename().string()) ? kImmutable : kShortLived));
  if (auto inm = request.header("If-None-Match"); inm && etag_matches(*inm, etag)) {
    r.status = 304;
    return r;
  }
  r.status = 200;
  r.set_header("Content-Type", content_type_for(file));
  r.set_header("X-Content-Type-Options", "nosniff");
  r.file_path = file.string();
  return r;
}

}  // namespace oploop::http
