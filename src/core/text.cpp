#include "core/text.hpp"

#include <algorithm>
#include <cctype>
#include <mutex>
#include <regex>
#include <set>
#include <sstream>

#include "core/resources.hpp"

namespace oploop::text {

std::string trim(std::string_view s) {
  auto is_space = [](unsigned char ch) { return std::isspace(ch) != 0; };
  while (!s.empty() && is_space(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && is_space(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return std::string(s);
}

std::size_t length(std::string_view utf8) {
  return static_cast<std::size_t>(std::count_if(utf8.begin(), utf8.end(), [](char ch) {
    return (static_cast<unsigned char>(ch) & 0xC0) != 0x80;
  }));
}

std::string lower_ascii(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char ch) { return static_cast<char>(std::tolower(ch)); });
  return out;
}

std::optional<std::string> normalise_postcode(std::string_view s) {
  std::string compact;
  for (char ch : s) {
    if (ch == ' ') continue;
    compact += static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
  }
  static const std::regex kPostcode("^[1-9][0-9]{3}[A-Z]{2}$");
  if (!std::regex_match(compact, kPostcode)) return std::nullopt;
  // SA, SD and SS are not issued.
  const std::string letters = compact.substr(4);
  if (letters == "SA" || letters == "SD" || letters == "SS") return std::nullopt;
  return compact;
}

std::string display_postcode(const std::string& normalised) {
  if (normalised.size() != 6) return normalised;
  return normalised.substr(0, 4) + " " + normalised.substr(4);
}

bool is_email(std::string_view s) {
  if (s.size() > 254) return false;
  static const std::regex kEmail(
      R"(^[^@\s<>"',;]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+$)");
  return std::regex_match(s.begin(), s.end(), kEmail);
}

bool is_house_number(std::string_view s) {
  if (s.empty() || s.size() > 10) return false;
  static const std::regex kHouse(R"(^[1-9][0-9]{0,4}(?:[ -]?[A-Za-z0-9]{1,4})?$)");
  return std::regex_match(s.begin(), s.end(), kHouse);
}

bool is_language_code(std::string_view s) {
  static std::once_flag once;
  static std::set<std::string, std::less<>> codes;
  std::call_once(once, [] {
    std::istringstream in(read_text_file(resource_path("data/languages.txt")));
    std::string line;
    while (std::getline(in, line)) {
      if (line.empty() || line[0] == '#') continue;
      std::istringstream words(line);
      std::string w;
      while (words >> w) codes.insert(w);
    }
  });
  return codes.find(s) != codes.end();
}

bool has_control_characters(std::string_view s) {
  return std::any_of(s.begin(), s.end(), [](char ch) {
    const auto u = static_cast<unsigned char>(ch);
    return (u < 0x20 && ch != '\n' && ch != '\r' && ch != '\t') || u == 0x7F;
  });
}

std::string xml_escape(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out +=
            static_cast<unsigned char>(c) < 0x20 && c != '\t' && c != '\n' && c != '\r' ? ' ' : c;
    }
  }
  return out;
}

}  // namespace oploop::text
