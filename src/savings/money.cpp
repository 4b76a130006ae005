#include "savings/money.hpp"

#include <cstdlib>

namespace oploop::savings {

std::int64_t divide_rounded(std::int64_t numerator, std::int64_t denominator) {
  const std::int64_t magnitude = (std::llabs(numerator) * 2 + denominator) / (denominator * 2);
  return numerator < 0 ? -magnitude : magnitude;
}

namespace {

std::string group(std::int64_t whole, char separator) {
  std::string digits = std::to_string(whole);
  std::string out;
  const int n = static_cast<int>(digits.size());
  for (int i = 0; i < n; ++i) {
    if (i > 0 && (n - i) % 3 == 0) out += separator;
    out += digits[static_cast<std::size_t>(i)];
  }
  return out;
}

}  // namespace

std::string format_euro(Cents cents, const std::string& language) {
  const bool nl = language != "en";
  const std::int64_t magnitude = std::llabs(cents);
  std::string fraction = std::to_string(magnitude % 100);
  if (fraction.size() < 2) fraction = "0" + fraction;
  const std::string amount = group(magnitude / 100, nl ? '.' : ',') + (nl ? "," : ".") + fraction;
  return std::string(cents < 0 ? "-" : "") + (nl ? "€ " : "€") + amount;
}

std::string format_quantity(std::int64_t hundredths, const std::string& language) {
  std::string out = std::to_string(hundredths / 100);
  const std::int64_t rest = hundredths % 100;
  if (rest != 0) {
    std::string fraction = rest < 10 ? "0" + std::to_string(rest) : std::to_string(rest);
    if (fraction.back() == '0') fraction.pop_back();
    out += (language == "en" ? "." : ",") + fraction;
  }
  return out;
}

std::optional<std::int64_t> parse_hundredths(const std::string& text) {
  if (text.empty() || text.size() > 12) return std::nullopt;
  std::int64_t whole = 0, fraction = 0;
  std::size_t i = 0, decimals = 0;
  bool seen_digit = false, in_fraction = false;
  for (; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '.' && !in_fraction && seen_digit) {
      in_fraction = true;
    } else if (c >= '0' && c <= '9') {
      seen_digit = true;
      if (in_fraction) {
        if (++decimals > 2) {
          if (c != '0') return std::nullopt;  // 2.500 is fine, 2.505 is not
          continue;
        }
        fraction = fraction * 10 + (c - '0');
      } else {
        whole = whole * 10 + (c - '0');
      }
    } else {
      return std::nullopt;
    }
  }
  if (!seen_digit || (in_fraction && decimals == 0)) return std::nullopt;
  if (decimals == 1) fraction *= 10;
  return whole * 100 + fraction;
}

}  // namespace oploop::savings
