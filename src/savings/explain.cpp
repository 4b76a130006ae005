#include "savings/explain.hpp"

#include "i18n/catalogue.hpp"

namespace oploop::savings {

std::string line_label(const SavingsLine& line, const std::string& language) {
  if (auto it = line.label.find(language); it != line.label.end()) return it->second;
  if (auto it = line.label.find("nl"); it != line.label.end()) return it->second;
  return i18n::Catalogue::instance().text(language, "savings.item." + line.item);
}

std::string formula_text(const SavingsLine& line, const std::string& language) {
  std::string key;
  if (line.section == "programme")
    key = "savings.formula." + line.item;
  else
    key = "savings.formula." + line.unit;
  return i18n::Catalogue::instance().text(
      language, key,
      {{"rate", format_euro(line.rate_cents, language)},
       {"quantity", format_quantity(line.quantity_hundredths, language)},
       {"minutes", format_quantity(line.quantity_hundredths, language)},
       {"months", std::to_string(line.months)},
       {"amount", format_euro(line.amount_cents, language)}});
}

}  // namespace oploop::savings
