#include "referrals/referral.hpp"

#include <charconv>
#include <sstream>

#include "core/text.hpp"

namespace oploop::referrals {

std::optional<std::vector<int>> parse_year_list(const std::string& text) {
  std::vector<int> out;
  std::string normalised = text;
  for (char& ch : normalised)
    if (ch == ',' || ch == ';') ch = ' ';
  std::istringstream in(normalised);
  std::string word;
  while (in >> word) {
    int year = 0;
    auto [ptr, ec] = std::from_chars(word.data(), word.data() + word.size(), year);
    if (ec != std::errc() || ptr != word.data() + word.size()) return std::nullopt;
    out.push_back(year);
  }
  return out;
}

std::vector<std::string> parse_code_list(const std::string& text) {
  std::vector<std::string> out;
  std::string normalised = text;
  for (char& ch : normalised)
    if (ch == ',' || ch == ';') ch = ' ';
  std::istringstream in(normalised);
  std::string word;
  while (in >> word) out.push_back(text::lower_ascii(word));
  return out;
}

}  // namespace oploop::referrals
