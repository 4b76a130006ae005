// A page of a list, with an opaque cursor for the next page (keyset pagination).
#pragma once

#include <algorithm>
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

// A page request made ready for a keyset query: the limit clamped to 1..200 and the cursor
// split into the sort key and id to continue after.
struct Keyset {
  int limit = 50;
  bool has_cursor = false;
  std::string key;
  std::string id;
};
// nullopt for a malformed cursor (callers answer 422 on "cursor").
std::optional<Keyset> keyset(const PageRequest& page);

// Builds a page from rows fetched with LIMIT limit + 1: the extra row only says there is more.
template <class T, class Rows, class From, class KeyOf>
Page<T> page_from_rows(const Rows& rows, int limit, From from, KeyOf key_of) {
  Page<T> page;
  for (const auto& r : rows) {
    if (static_cast<int>(page.items.size()) == limit) {
      page.next_cursor = encode_cursor(key_of(page.items.back()), page.items.back().id);
      break;
    }
    page.items.push_back(from(r));
  }
  return page;
}

// "ids=a,b,c": what a list showed, for the access log.
template <class T>
std::string listed_ids(const Page<T>& page) {
  std::string ids = "ids=";
  for (std::size_t i = 0; i < page.items.size(); ++i) ids += (i ? "," : "") + page.items[i].id;
  return ids;
}

}  // namespace oploop
