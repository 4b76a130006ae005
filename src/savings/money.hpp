// Money for the savings estimate: whole euro cents (std::int64_t), never floating point. A
// quantity is kept in hundredths. One rounding rule, applied once per line: half away from zero
// (docs/decisions/0009-savings.md).
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace oploop::savings {

using Cents = std::int64_t;

// numerator / denominator (> 0), rounded half away from zero.
std::int64_t divide_rounded(std::int64_t numerator, std::int64_t denominator);

// "€ 1.234,56" (nl) or "€1,234.56" (en); negative amounts with a leading minus.
std::string format_euro(Cents cents, const std::string& language);
// A quantity in hundredths as text: 250 -> "2,5" (nl) / "2.5" (en); 300 -> "3".
std::string format_quantity(std::int64_t hundredths, const std::string& language);

// A JSON-ish decimal text ("2.5", "3", "0.25") to hundredths; nullopt when it has more than two
// decimals, is not a plain decimal, or is out of range.
std::optional<std::int64_t> parse_hundredths(const std::string& text);

}  // namespace oploop::savings
