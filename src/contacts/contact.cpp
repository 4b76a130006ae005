#include "contacts/contact.hpp"

#include <algorithm>
#include <chrono>

#include "core/clock.hpp"

namespace oploop::contacts {

const std::vector<std::string>& kinds() {
  static const std::vector<std::string> k = {"visit", "phone", "message", "outing"};
  return k;
}

// What a contact can be about, one code per meaning: the nine life domains of the SPEC appendix
// (the measurements' codes, families::life_domains()) and the practical codes of SPEC §2.6 that
// are not one of them (administration, school, leisure, agencies, transport). §2.6's "health",
// "language" and "work" are the domains physical_health, language_selfreliance and
// participation_work (their labels use §2.6's short words; migration 0009 moved stored ones).
// The form offers the common ones first, in §2.6's order; the rarer domains come after.
const std::vector<std::string>& common_activity_codes() {
  static const std::vector<std::string> k = {
      "administration",     "finances",  "school",  "physical_health", "language_selfreliance",
      "participation_work", "parenting", "leisure", "housing",         "agencies",
      "transport"};
  return k;
}

const std::vector<std::string>& activity_codes() {
  static const std::vector<std::string> k = [] {
    auto all = common_activity_codes();
    for (const char* rarer : {"child_development", "social_network", "mental_wellbeing"})
      all.emplace_back(rarer);
    return all;
  }();
  return k;
}

bool is_kind(const std::string& code) { return std::ranges::find(kinds(), code) != kinds().end(); }

bool is_activity(const std::string& code) {
  return std::ranges::find(activity_codes(), code) != activity_codes().end();
}

bool is_valid_time(const std::string& s) {
  if (s.size() != 5 || s[2] != ':') return false;
  for (int i : {0, 1, 3, 4})
    if (s[i] < '0' || s[i] > '9') return false;
  const int hours = (s[0] - '0') * 10 + (s[1] - '0');
  const int minutes = (s[3] - '0') * 10 + (s[4] - '0');
  return hours < 24 && minutes < 60;
}

bool is_weekend(const std::string& date) {
  if (!is_valid_date(date)) return false;
  using namespace std::chrono;
  const year_month_day ymd{year{std::stoi(date.substr(0, 4))},
                           month{static_cast<unsigned>(std::stoi(date.substr(5, 2)))},
                           day{static_cast<unsigned>(std::stoi(date.substr(8, 2)))}};
  const weekday wd{sys_days{ymd}};
  return wd == Saturday || wd == Sunday;
}

bool outside_office_hours(const std::string& date, const std::string& time) {
  if (is_weekend(date)) return true;
  if (!is_valid_time(time)) return false;
  // "HH:MM" compares as text in time order.
  return time < "08:00" || time >= "18:00";
}

}  // namespace oploop::contacts
