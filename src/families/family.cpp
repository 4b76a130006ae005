#include "families/family.hpp"

#include <algorithm>

namespace oploop::families {

const std::vector<std::string>& life_domains() {
  static const std::vector<std::string> kDomains = {"finances",
                                                    "housing",
                                                    "parenting",
                                                    "child_development",
                                                    "social_network",
                                                    "mental_wellbeing",
                                                    "physical_health",
                                                    "participation_work",
                                                    "language_selfreliance"};
  return kDomains;
}

bool is_life_domain(const std::string& code) {
  const auto& d = life_domains();
  return std::find(d.begin(), d.end(), code) != d.end();
}

bool is_availability_slot(const std::string& code) {
  static const std::vector<std::string> kDays = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};
  static const std::vector<std::string> kParts = {"morning", "afternoon", "evening"};
  const auto sep = code.find('_');
  if (sep == std::string::npos) return false;
  const std::string day = code.substr(0, sep), part = code.substr(sep + 1);
  return std::find(kDays.begin(), kDays.end(), day) != kDays.end() &&
         std::find(kParts.begin(), kParts.end(), part) != kParts.end();
}

}  // namespace oploop::families
