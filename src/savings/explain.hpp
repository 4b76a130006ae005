// How a savings figure was computed, in words of the reader's language (for the API's `lines`
// and the pages alike): "€ 78,00 per uur × 4 uur per maand × 6 maanden = € 1.872,00".
#pragma once

#include <string>

#include "savings/estimate.hpp"

namespace oploop::savings {

std::string line_label(const SavingsLine& line, const std::string& language);
std::string formula_text(const SavingsLine& line, const std::string& language);

}  // namespace oploop::savings
