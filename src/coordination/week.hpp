// Calendar weeks for coordinator work: a week runs Monday to Sunday (as Dutch timesheets and
// agendas do), on dates in Europe/Amsterdam. Time entries may be removed only in their own week;
// dashboards show the sessions of this week.
#pragma once

#include <string>

namespace oploop::coordination {

// The Monday of the week `date` lies in; "" for an invalid date.
std::string week_start(const std::string& date);
// The Sunday of that week.
std::string week_end(const std::string& date);
bool same_week(const std::string& a, const std::string& b);

}  // namespace oploop::coordination
