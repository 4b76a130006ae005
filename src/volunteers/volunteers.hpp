// Volunteer operations: register, read (scoped), update, screening, lifecycle. Every read
// and write of a volunteer's record goes through the policy gate and the access log.
#pragma once

#include <optional>
#include <string>

#include "auth/actor.hpp"
#include "core/page.hpp"
#include "core/result.hpp"
#include "storage/database.hpp"
#include "volunteers/volunteer.hpp"

namespace oploop::volunteers {

struct VolunteerFilter {
  std::optional<std::string> status;
  std::optional<std::string> language;
  std::optional<std::string> team_id;
  PageRequest page;
};

Result<Volunteer> create_volunteer(storage::Connection& c, const auth::Actor& actor,
                                   const VolunteerInput& input);
Result<Page<Volunteer>> list_volunteers(storage::Connection& c, const auth::Actor& actor,
                                        const VolunteerFilter& filter);
Result<Volunteer> get_volunteer(storage::Connection& c, const auth::Actor& actor,
                                const std::string& id);
Result<Volunteer> update_volunteer(storage::Connection& c, const auth::Actor& actor,
                                   const std::string& id, const VolunteerPatch& patch);
// Sets the dates of the screening checklist that are present (empty string clears one).
Result<Volunteer> update_screening(storage::Connection& c, const auth::Actor& actor,
                                   const std::string& id,
                                   const std::map<std::string, std::string>& dates);
// A coordinator's state change (not to or from "matched"); stopping needs a reason.
Result<Volunteer> transition_volunteer(storage::Connection& c, const auth::Actor& actor,
                                       const std::string& id, const std::string& to,
                                       const std::string& reason);

// Without checks, for modules that already checked (matches, matching).
std::optional<Volunteer> load_volunteer(storage::Connection& c, const std::string& id);
// Every volunteer of an organisation who could take a family now or soon (screening,
// available or matched), with open-match counts: the candidates for suggestions (those with
// blockers are the near misses) and the plan. Only the matching profile and screening are
// filled: contact details, intake/references dates, user_id and timestamps stay empty.
std::vector<Volunteer> candidates(storage::Connection& c, const std::string& organisation_id);
// The data-version scope of an organisation's candidates (storage/versions.hpp), and the call
// every write that changes what candidates() returns makes in its own transaction — so that
// the candidate index (matching/candidate_index.hpp) of every process rebuilds.
std::string candidates_scope(const std::string& organisation_id);
void candidates_changed(storage::Connection& c, const std::string& organisation_id);
// Sets "matched"/"available" after a match changed (the matches module calls this).
void follow_matches(storage::Connection& c, const Clock& clock, const std::string& volunteer_id,
                    const std::string& by_user);
// A basic training attended on `date` completes the screening's training when it has no date
// yet (the coordination module calls this in its own transaction, after its own policy check
// and with its own access-log entry). Answers whether the screening changed.
bool record_basic_training(storage::Connection& c, const Clock& clock,
                           const std::string& volunteer_id, const std::string& date);

}  // namespace oploop::volunteers
