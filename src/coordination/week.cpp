#include "coordination/week.hpp"

#include <chrono>
#include <cstdio>

#include "core/clock.hpp"

namespace oploop::coordination {
namespace {

using std::chrono::sys_days;

sys_days parse(const std::string& date) {
  const int y = std::stoi(date.substr(0, 4));
  const unsigned m = static_cast<unsigned>(std::stoi(date.substr(5, 2)));
  const unsigned d = static_cast<unsigned>(std::stoi(date.substr(8, 2)));
  return sys_days{std::chrono::year{y} / std::chrono::month{m} / std::chrono::day{d}};
}

std::string format(sys_days day) {
  const std::chrono::year_month_day ymd{day};
  char out[16];
  std::snprintf(out, sizeof out, "%04d-%02u-%02u", static_cast<int>(ymd.year()),
                static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()));
  return out;
}

}  // namespace

std::string add_days(const std::string& date, int days) {
  if (!is_valid_date(date)) return {};
  return format(parse(date) + std::chrono::days{days});
}

std::string week_start(const std::string& date) {
  if (!is_valid_date(date)) return {};
  const sys_days day = parse(date);
  // iso_encoding: Monday 1 … Sunday 7.
  const unsigned weekday = std::chrono::weekday{day}.iso_encoding();
  return format(day - std::chrono::days{weekday - 1});
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
