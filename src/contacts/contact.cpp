#include "contacts/contact.hpp"

#include <algorithm>
#include <chrono>

#include "core/clock.hpp"

namespace oploop::contacts {

const std::vector<std::string>& kinds() {
  static const std::vector<std::string> k = {"visit", "phone", "message", "outing"};
  return k;
}

// What a contact can be about: first the practical codes of SPEC §2.6 in its order (the
// volunteer's own words for what they did), then the remaining life domains of the
// measurements, so an activity can also be tied to a measured domain. The nine life-domain
// codes are the SPEC appendix's (families::life_domains()); "parenting" and "housing" are both.
const std::vector<std::string>& activity_codes() {
  static const std::vector<std::string> k = {
      // SPEC §2.6 (letters and administration, finances, school, …)
      "administration", "finances", "school", "health", "language", "work", "parenting", "leisure",
      "housing", "agencies", "transport",
      // the other life domains
      "child_development", "social_network", "mental_wellbeing", "physical_health",
      "participation_work", "language_selfreliance"};
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
