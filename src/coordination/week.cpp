#include "coordination/week.hpp"

#include "core/clock.hpp"

namespace oploop::coordination {

std::string week_start(const std::string& date) {
  if (!is_valid_date(date)) return {};
  return add_days(date, 1 - iso_weekday(date));
}

std::string week_end(const std::string& date) {
  const std::string start = week_start(date);
  return start.empty() ? start : add_days(start, 6);
}

bool same_week(const std::string& a, const std::string& b) {
  const std::string start = week_start(a);
  return !start.empty() && start == week_start(b);
}

}  // namespace oploop::coordination
