// Checks shared by the coordination modules: the shape of texts, dates and clock times (as
// catalogue keys for 422 answers), and a gate check that logs its outcome with details.
#pragma once

#include <optional>
#include <string>

#include "auth/gate.hpp"
#include "core/result.hpp"

namespace oploop::coordination {

// The error key for a one-line text ("" is fine; the caller decides whether it is required):
// too long (code points) or holding control characters, line breaks included.
std::optional<std::string> single_line_error(const std::string& value, std::size_t max);
// The same for a text that may hold line breaks.
std::optional<std::string> multi_line_error(const std::string& value, std::size_t max);
// The error key for a required date: missing, not a calendar day, before 1990, or — when
// `today` is given — in the future.
std::optional<std::string> date_error(const std::string& date, const std::string& today = {});
// "HH:MM", 00:00 to 23:59.
bool is_clock_time(const std::string& value);

// Gate::check, but the success entry carries `details` (who was marked present, which family):
// denials and misses are logged as the gate logs them.
Status check_with_details(auth::Gate& gate, auth::Action action, const auth::ResourceRef& resource,
                          const std::string& event, const std::string& object_type,
                          const std::string& object_id, std::string details);

}  // namespace oploop::coordination
