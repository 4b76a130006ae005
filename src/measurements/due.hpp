// The measurement_due reminder (SPEC §3 "measurements due"): which wave a family of a match is
// waiting for. Baseline (0) as soon as the match is active without one; interim (1) from 12
// months after the match started; final (2) once the match is stepping down or closed. A wave
// counts as taken when the family has any measurement of it (any instrument, any respondent).
// Registered as the standard query of reminders::Rule::measurement_due (reminders.cpp).
#pragma once

#include <string>
#include <vector>

#include "reminders/reminders.hpp"

namespace oploop::measurements {

constexpr int kInterimMonths = 12;

std::vector<reminders::Reminder> due_reminders(storage::Connection& c,
                                               const std::string& organisation_id,
                                               const std::string& today);

}  // namespace oploop::measurements
