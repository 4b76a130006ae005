// Decoders for what clients send: percent-encoding, query strings, urlencoded forms, cookies.
// Every input here is hostile. Nothing throws; malformed encodings and invalid UTF-8 make the
// whole query or form invalid (nullopt) rather than being repaired, so a handler never sees a
// value that differs from what the client meant. Decoded NUL bytes are refused as well: no
// form field has a use for them and they truncate C strings further down.
#include <cstdint>

#include "http/message.hpp"

namespace oploop::http {
namespace {

int hex_value(char c) {
  if (c >= '0' && c <= '9') {
    return c - '0';
  }
  if (c >= 'a' && c <= 'f') {
    return c - 'a' + 10;
  }
  if (c >= 'A' && c <= 'F') {
    return c - 'A' + 10;
  }
  return -1;
}

bool is_unreserved(unsigned char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '.' || c == '_' || c == '~';
}

std::string_view trim_ows(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) {
    s.remove_prefix(1);
  }
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) {
    s.remove_suffix(1);
  }
  return s;
}

std::optional<std::string> decode_component(std::string_view raw) {
  auto decoded = percent_decode(raw, /*plus_is_space=*/true);
  if (!decoded || !is_valid_utf8(*decoded) || decoded->find('\0') != std::string::npos) {
    return std::nullopt;
  }
  return decoded;
}

// "a=1&b=&c" -> (a,1) (b,"") (c,""). Empty pieces ("&&") and pieces with an empty name are
// skipped: browsers never send them and they carry no field.
std::optional<Params> parse_urlencoded(std::string_view input) {
  Params out;
  while (!input.empty()) {
    auto amp = input.find('&');
    std::string_view piece = input.substr(0, amp);
    input = amp == std::string_view::npos ? std::string_view{} : input.substr(amp + 1);
    if (piece.empty()) {
      continue;
    }
    auto eq = piece.find('=');
    auto key = decode_component(piece.substr(0, eq));
    auto value =
        decode_component(eq == std::string_view::npos ? std::string_view{} : piece.substr(eq + 1));
    if (!key || !value) {
      return std::nullopt;
    }
    if (key->empty()) {
      continue;
    }
    out.emplace_back(std::move(*key), std::move(*value));
  }
  return out;
}

}  // namespace

std::optional<std::string> percent_decode(std::string_view in, bool plus_is_space) {
  std::string out;
  out.reserve(in.size());
  for (std::size_t i = 0; i < in.size(); ++i) {
    char c = in[i];
    if (c == '%') {
      if (in.size() - i < 3) {
        return std::nullopt;  // fewer than two characters follow
      }
      int hi = hex_value(in[i + 1]);
      int lo = hex_value(in[i + 2]);
      if (hi < 0 || lo < 0) {
        return std::nullopt;
      }
      out.push_back(static_cast<char>(hi * 16 + lo));
      i += 2;
    } else if (c == '+' && plus_is_space) {
      out.push_back(' ');
    } else {
      out.push_back(c);
    }
  }
  return out;
}

std::string percent_encode(std::string_view in) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(in.size());
  for (char ch : in) {
    auto c = static_cast<unsigned char>(ch);
    if (is_unreserved(c)) {
      out.push_back(ch);
    } else {
      out.push_back('%');
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 0xF]);
    }
  }
  return out;
}

std::optional<Params> parse_query(std::string_view query) { return parse_urlencoded(query); }

std::optional<Params> parse_form(std::string_view body) { return parse_urlencoded(body); }

std::map<std::string, std::string> parse_cookies(std::string_view cookie_header) {
  // RFC 6265 §5.4 order: more specific cookies come first, so the first of a duplicated name
  // wins. That also keeps a cookie planted for a parent path from shadowing ours.
  std::map<std::string, std::string> out;
  while (!cookie_header.empty()) {
    auto semi = cookie_header.find(';');
    std::string_view pair = cookie_header.substr(0, semi);
    cookie_header =
        semi == std::string_view::npos ? std::string_view{} : cookie_header.substr(semi + 1);
    auto eq = pair.find('=');
    if (eq == std::string_view::npos) {
      continue;
    }
    std::string_view name = trim_ows(pair.substr(0, eq));
    std::string_view value = trim_ows(pair.substr(eq + 1));
    if (name.empty()) {
      continue;
    }
    if (value.size() >= 2 && value.front() == '"' && value.back() == '"') {
      value = value.substr(1, value.size() - 2);
    }
    out.emplace(std::string(name), std::string(value));
  }
  return out;
}

bool is_valid_utf8(std::string_view s) {
  std::size_t i = 0;
  const std::size_t n = s.size();
  while (i < n) {
    auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) {
      ++i;
      continue;
    }
    std::size_t len;
    std::uint32_t cp;
    std::uint32_t min;
    if ((c & 0xE0) == 0xC0) {
      len = 2, cp = c & 0x1F, min = 0x80;
    } else if ((c & 0xF0) == 0xE0) {
      len = 3, cp = c & 0x0F, min = 0x800;
    } else if ((c & 0xF8) == 0xF0) {
      len = 4, cp = c & 0x07, min = 0x10000;
    } else {
      return false;  // continuation byte first, or 0xF8..0xFF
    }
    if (n - i < len) {
      return false;
    }
    for (std::size_t k = 1; k < len; ++k) {
      auto cc = static_cast<unsigned char>(s[i + k]);
      if ((cc & 0xC0) != 0x80) {
        return false;
      }
      cp = (cp << 6) | (cc & 0x3F);
    }
    if (cp < min) {
      return false;  // overlong
    }
    if (cp >= 0xD800 && cp <= 0xDFFF) {
      return false;  // UTF-16 surrogate
    }
    if (cp > 0x10FFFF) {
      return false;
    }
    i += len;
  }
  return true;
}

}  // namespace oploop::http
