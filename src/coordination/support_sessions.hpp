// Support sessions for volunteers (SPEC §2.8): supervision (a coordinator with exactly one
// volunteer), peer group sessions (intervisie), trainings and theme meetings, with who was
// invited and who came.
//
// Rules: invitees are volunteers within the caller's scope (others are unknown: 422 naming
// them); attendance is recorded on or after the session's date (409 before), and once it is
// recorded the session cannot move to a day after today (422); marking a volunteer present at a
// basic training (kind training, basic_training) completes their screening's training on the
// session's date when it has none yet (never a date after today), and unmarking them, removing
// them or the session ceasing to be a basic training undoes the date it set (only that one:
// a date the volunteer had before, or one changed since, stays). The notes are for staff:
// a volunteer lists only the sessions they are invited to, sees only their own attendance and
// never the notes. Every read and write goes through the gate and the access log.
#pragma once

#include <expected>
#include <optional>
#include <string>
#include <vector>

#include "auth/actor.hpp"
#include "core/page.hpp"
#include "core/result.hpp"
#include "storage/database.hpp"

namespace oploop::coordination {

struct Attendee {
  std::string volunteer_id;
  std::string name;
  bool attended = false;
  std::optional<std::string> user_id;  // the volunteer's account, when they have one
  bool marked = false;                 // attendance was recorded for them (present or not)
  bool training_recorded = false;      // their presence set their screening's training date
};

struct SupportSession {
  std::string id;
  std::string organisation_id;
  std::optional<std::string> team_id;  // none: for the whole organisation
  std::string kind;                    // supervision, peer_group, training, theme_meeting
  std::string title;
  std::string date;        // YYYY-MM-DD
  std::string start_time;  // HH:MM or ""
  int duration_minutes = 0;
  bool basic_training = false;
  std::string notes;  // "" for a volunteer, always
  std::vector<Attendee> attendees;
  std::string created_by, created_at, updated_at;
};

struct SessionInput {
  std::string kind;
  std::string title;
  std::string date;
  std::string start_time;
  int duration_minutes = 0;
  std::optional<std::string> team_id;  // none: the coordinator's own team (project lead: none)
  std::vector<std::string> volunteer_ids;
  bool basic_training = false;
  std::string notes;
};

// Only the fields present change; team_id present but empty: the whole organisation (a project
// lead only; a coordinator's session stays with a team).
struct SessionPatch {
  std::optional<std::string> kind, title, date, start_time, notes;
  std::optional<int> duration_minutes;
  std::optional<std::optional<std::string>> team_id;
  std::optional<std::vector<std::string>> volunteer_ids;
  std::optional<bool> basic_training;
};

struct SessionFilter {
  std::optional<std::string> from, to;  // dates, inclusive
  std::optional<std::string> kind;
  std::optional<std::string> volunteer_id;
  bool newest_first = false;  // default: soonest first
  PageRequest page;
};

// A refused write. For unknown or out-of-scope invitees the error names the field
// "volunteer_ids" and `unknown_volunteer_ids` says which.
struct SessionError {
  Error error;
  std::vector<std::string> unknown_volunteer_ids;
};
template <class T>
using SessionResult = std::expected<T, SessionError>;

const std::vector<std::string>& session_kinds();
// Durations of sessions and time entries: 1 to 720 minutes (a working day and a half).
constexpr int kMaxMinutes = 720;

SessionResult<SupportSession> create_session(storage::Connection& c, const auth::Actor& actor,
                                             const SessionInput& input);
SessionResult<SupportSession> update_session(storage::Connection& c, const auth::Actor& actor,
                                             const std::string& id, const SessionPatch& patch);
// Replaces the attendance: `attended` came, every other invitee did not. An attendee not yet
// invited is added (when within scope).
SessionResult<SupportSession> record_attendance(storage::Connection& c, const auth::Actor& actor,
                                                const std::string& id,
                                                const std::vector<std::string>& attended);
Result<SupportSession> get_session(storage::Connection& c, const auth::Actor& actor,
                                   const std::string& id);
Result<Page<SupportSession>> list_sessions(storage::Connection& c, const auth::Actor& actor,
                                           const SessionFilter& filter);
// The sessions of this week (Monday to Sunday, Amsterdam) within the caller's scope, soonest
// first, for the dashboards ("my next session" for a volunteer). Empty for a role without one.
std::vector<SupportSession> sessions_this_week(storage::Connection& c, const auth::Actor& actor);

// The volunteers a caller may invite (within scope, not stopped), by name, for the forms.
struct VolunteerChoice {
  std::string id;
  std::string name;
};
std::vector<VolunteerChoice> invitable_volunteers(storage::Connection& c, const auth::Actor& actor);

}  // namespace oploop::coordination
