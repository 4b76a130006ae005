// Small text rules used by validation everywhere: trimming, length in code points,
// Dutch postcodes, e-mail shape, ISO 639-1 codes.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace oploop::text {

std::string trim(std::string_view s);
std::size_t length(std::string_view utf8);  // code points
std::string lower_ascii(std::string_view s);
// "1234 ab", "1234AB" → "1234AB"; nullopt when not a Dutch postcode (first digit not 0).
std::optional<std::string> normalise_postcode(std::string_view s);
std::string display_postcode(const std::string& normalised);  // "1234AB" → "1234 AB"
bool is_email(std::string_view s);                // pragmatic: local@domain.tld, no spaces
bool is_house_number(std::string_view s);         // "12", "12a", "12-3", "12 bis" (≤ 10 chars)
bool is_language_code(std::string_view s);        // ISO 639-1, from data/languages.txt
bool has_control_characters(std::string_view s);  // other than \n, \r, \t
// Text for XML/SVG content and attributes: & < > " ' escaped; the control characters XML 1.0
// forbids (even escaped) become a space.
std::string xml_escape(std::string_view s);

}  // namespace oploop::text
