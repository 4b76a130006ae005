// Path matching for the router. Paths are compared segment by segment after percent-decoding
// (done by the server). Rules that keep one URL per resource: "/a/" is not "/a" (only the root
// may end in a slash), and an empty segment ("//") never matches, so no two spellings of a
// path reach the same handler by accident.
#include "http/router.hpp"

namespace oploop::http {
namespace {

bool is_capture(const std::string& segment) {
  return segment.size() >= 3 && segment.front() == '{' && segment.back() == '}';
}

}  // namespace

std::vector<std::string> split_path(const std::string& path) {
  // "/" -> {}, "/a/b" -> {"a","b"}, "/a/" -> {"a",""}, "//" -> {"",""}. Empty segments are kept
  // so that match_pattern can refuse them.
  std::vector<std::string> out;
  if (path.empty() || path == "/") {
    return out;
  }
  std::size_t start = path.front() == '/' ? 1 : 0;
  while (true) {
    auto slash = path.find('/', start);
    if (slash == std::string::npos) {
      out.push_back(path.substr(start));
      break;
    }
    out.push_back(path.substr(start, slash - start));
    start = slash + 1;
  }
  return out;
}

bool match_pattern(const std::vector<std::string>& pattern_segments, const std::string& path,
                   PathParams& out) {
  if (path.empty() || path.front() != '/') {
    return false;
  }
  auto segments = split_path(path);
  if (segments.size() != pattern_segments.size()) {
    return false;
  }
  PathParams captured;
  for (std::size_t i = 0; i < segments.size(); ++i) {
    const std::string& want = pattern_segments[i];
    const std::string& got = segments[i];
    if (got.empty()) {
      return false;
    }
    if (is_capture(want)) {
      captured[want.substr(1, want.size() - 2)] = got;
    } else if (want != got) {
      return false;
    }
  }
  out = std::move(captured);
  return true;
}

}  // namespace oploop::http
