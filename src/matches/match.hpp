// Matches (koppelingen): a volunteer paired with a family.
// proposed → introduction → active → stepping_down → closed; closed may follow any state
// (with a reason). The family and volunteer follow: a family is "matched" while it has an open
// match; a match closed before it became active, or closed as a mismatch or because the
// volunteer stopped, puts the family back on the waiting list; otherwise the family's
// trajectory is closed. A volunteer is "matched" while they have an open match.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace oploop::matches {

struct Transition {
  std::string from, to, on_date, reason, by_user, at;
};

struct Match {
  std::string id;
  std::string organisation_id;
  std::optional<std::string> team_id;
  std::string family_id;
  std::string volunteer_id;
  std::string status;
  std::string introduction_date, started_on, stepping_down_on, closed_on, closure_reason;
  std::string created_at, updated_at;
  std::vector<Transition> history;
  // For lists and pages:
  std::string family_name;
  std::string volunteer_name;
};

const std::vector<std::string>& statuses();
const std::vector<std::string>& closure_reasons();
bool may_move(const std::string& from, const std::string& to);
// Whether a match closed this way sends the family back to the waiting list.
bool family_returns_to_waiting(const Match& m, const std::string& reason);
// Months (whole) between two dates, for the 21- and 24-month marks.
int months_between(const std::string& from, const std::string& to);

}  // namespace oploop::matches
