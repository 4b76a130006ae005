// Match operations: propose (only an eligible volunteer with room, only a waiting family),
// move through the lifecycle, list and read (scoped: a volunteer sees their own).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "auth/actor.hpp"
#include "core/page.hpp"
#include "core/result.hpp"
#include "matches/match.hpp"
#include "storage/database.hpp"
#include "volunteers/volunteer.hpp"

namespace oploop::matches {

struct NewMatch {
  std::string family_id;
  std::string volunteer_id;
  std::string introduction_date;  // planned, YYYY-MM-DD, optional
};

struct MatchFilter {
  std::optional<std::string> status;
  std::optional<std::string> family_id;
  std::optional<std::string> volunteer_id;
  PageRequest page;
};

// An ineligible or full volunteer: Error invalid with field "volunteer_id" and the blockers
// in `blockers` (so adapters can show them).
struct ProposeError {
  Error error;
  std::vector<volunteers::Blocker> blockers;
};

std::expected<Match, ProposeError> propose_match(storage::Connection& c, const auth::Actor& actor,
                                                 const NewMatch& input);
Result<Match> transition_match(storage::Connection& c, const auth::Actor& actor,
                               const std::string& id, const std::string& to,
                               const std::string& on_date, const std::string& reason);
Result<Match> get_match(storage::Connection& c, const auth::Actor& actor, const std::string& id);
Result<Page<Match>> list_matches(storage::Connection& c, const auth::Actor& actor,
                                 const MatchFilter& filter);

// The users for whom a family is "own": the volunteers (with an account) of its current
// introduction/active/stepping-down matches.
std::vector<std::string> family_owners(storage::Connection& c, const std::string& family_id);

}  // namespace oploop::matches
