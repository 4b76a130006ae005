// Internals of clock.cpp exposed for tests only.
#pragma once

#include <string>

#include "core/clock.hpp"

namespace oploop::detail {

// amsterdam_date() by the EU summer-time rule alone; clock.cpp falls back to it when the
// system has no tz database. Tests compare it with the tz database.
std::string amsterdam_date_eu_rule(TimePoint t);

}  // namespace oploop::detail
