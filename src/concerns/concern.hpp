// Concerns (signalen): something a volunteer (or a coordinator) noticed in a family and
// reports on a match. A concern has a severity, a category and a description, and moves
// open → acknowledged → resolved (resolve also straight from open; resolved is final). What
// the coordinator does with it is kept as a history of actions (acknowledge, note, resolve).
// The volunteer who raised it sees its status and dates, never the coordinator's notes or
// outcome: the domain hands out a narrowed Concern (staff_view false) to whoever may not act.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace oploop::concerns {

struct ConcernAction {
  std::string id;
  std::string action;  // acknowledge, note, resolve
  std::string text;    // the note or the outcome; may be empty for acknowledge
  std::string by_user;
  std::string by_name;
  std::string at;
};

struct Concern {
  std::string id;
  std::string organisation_id;
  std::optional<std::string> team_id;
  std::string match_id;
  std::string severity;  // info, worry, urgent
  std::string category;  // see categories()
  std::string description;
  std::string status;  // open, acknowledged, resolved
  std::string acknowledged_at, resolved_at;
  std::string created_at;
  // Staff only (empty in a narrowed Concern):
  bool staff_view = false;
  std::string family_id, family_name;
  std::string raised_by, raised_by_name;
  std::string escalated_at, updated_at;
  std::vector<ConcernAction> history;  // filled for one concern, not in lists
  int meldcode_step = 0;               // highest meldcode step recorded (0: none)
};

// A short line for dashboards ("Vandaag").
struct ConcernSummary {
  std::string id;
  std::string match_id;
  std::string family_name;  // empty for a volunteer's own concerns
  std::string severity, category, status;
  std::string created_at;
  bool urgent_unacknowledged = false;
};

struct NewConcern {
  std::string severity;
  std::string category;
  std::string description;
};

const std::vector<std::string>& severities();
const std::vector<std::string>& categories();
const std::vector<std::string>& statuses();
const std::vector<std::string>& actions();
// Categories for which the meldcode (domestic violence, child abuse) is shown first.
bool suggests_meldcode(const std::string& category);

constexpr std::size_t kMaxDescription = 4000;
constexpr std::size_t kMaxActionText = 4000;

// Field → catalogue key for each broken rule of a new concern (empty when valid).
std::map<std::string, std::string> validate(const NewConcern& input);
// The state a concern reaches by `action`, or nullopt when the action is not allowed from
// `status` (acknowledge only when open; nothing after resolved).
std::optional<std::string> status_after(const std::string& status, const std::string& action);

}  // namespace oploop::concerns
