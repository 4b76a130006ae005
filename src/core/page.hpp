// A page of a list, with an opaque cursor for the next page (keyset pagination).
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace oploop {

template <class T>
struct Page {
  std::vector<T> items;
  std::optional<std::string> next_cursor;
};

struct PageRequest {
  int limit = 50;                     // 1..200
  std::optional<std::string> cursor;  // from a previous Page
};

// Cursor = base64url("<sort key>\x1f<id>"); malformed cursors decode to nullopt.
std::string encode_cursor(const std::string& sort_key, const std::string& id);
std::optional<std::pair<std::string, std::string>> decode_cursor(const std::string& cursor);

}  // namespace oploop
