// Static assets (CSS, JS, fonts, icons) from one directory. Only plain files under the root are
// served: dot segments, hidden files and symlinks that lead outside the root are refused, and
// refused looks the same as absent, so a probe learns nothing about the file system.
#pragma once

#include <filesystem>
#include <optional>
#include <string>

#include "http/message.hpp"

namespace oploop::http {

// Serves `url_prefix` + "<relative path>" (e.g. "/static/css/app.css") from `root`.
// - nullopt: the path is not under url_prefix, or there is no servable file (absent, a
//   directory, traversal, hidden, outside root) — the caller answers with its own 404.
// - 405 with Allow "GET, HEAD" for other methods under the prefix.
// - 304 when If-None-Match matches the ETag; otherwise 200 with Response::file_path set.
// Cache-Control is a year and immutable when the URL is versioned (a non-empty "v" query
// parameter, or a hex fingerprint of at least 8 characters in the file name: "app.3f9a0c1d.css"),
// an hour otherwise.
std::optional<Response> serve_static(const Request& request, const std::filesystem::path& root,
                                     const std::string& url_prefix);

// Content-Type for a file name by extension, with a charset for text types;
// "application/octet-stream" when unknown.
std::string content_type_for(const std::filesystem::path& file);

}  // namespace oploop::http
