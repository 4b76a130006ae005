#include "core/page.hpp"

#include <sodium.h>

namespace oploop {

std::string encode_cursor(const std::string& sort_key, const std::string& id) {
  const std::string raw = sort_key + '\x1f' + id;
  std::string out(sodium_base64_ENCODED_LEN(raw.size(), sodium_base64_VARIANT_URLSAFE_NO_PADDING),
                  '\0');
  sodium_bin2base64(out.data(), out.size(), reinterpret_cast<const unsigned char*>(raw.data()),
                    raw.size(), sodium_base64_VARIANT_URLSAFE_NO_PADDING);
  out.resize(out.find('\0'));
  return out;
}

std::optional<std::pair<std::string, std::string>> decode_cursor(const std::string& cursor) {
  if (cursor.empty() || cursor.size() > 400) return std::nullopt;
  std::string raw(cursor.size(), '\0');
  std::size_t len = 0;
  if (sodium_base642bin(reinterpret_cast<unsigned char*>(raw.data()), raw.size(), cursor.data(),
                        cursor.size(), nullptr, &len, nullptr,
                        sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0) {
    return std::nullopt;
  }
  raw.resize(len);
  const auto sep = raw.find('\x1f');
  if (sep == std::string::npos) return std::nullopt;
  return std::make_pair(raw.substr(0, sep), raw.substr(sep + 1));
}

std::optional<Keyset> keyset(const PageRequest& page) {
  Keyset k;
  k.limit = std::clamp(page.limit, 1, 200);
  if (page.cursor) {
    auto decoded = decode_cursor(*page.cursor);
    if (!decoded) return std::nullopt;
    k.has_cursor = true;
    k.key = decoded->first;
    k.id = decoded->second;
  }
  return k;
}

}  // namespace oploop
