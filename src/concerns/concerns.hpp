// Concern operations: raise one on a match, list and read them (scoped: a volunteer sees only
// the concerns they raised, narrowed), and act on one (acknowledge, note, resolve). Every
// read and write goes through the policy gate and the access log in the same transaction.
// An urgent concern queues a mail to the match's coordinator in the transaction that saves it
// (concerns/urgent_mail.hpp).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "auth/actor.hpp"
#include "concerns/concern.hpp"
#include "core/page.hpp"
#include "core/result.hpp"
#include "storage/database.hpp"

namespace oploop::concerns {

struct ConcernFilter {
  std::optional<std::string> status;    // open, acknowledged, resolved
  std::optional<std::string> severity;  // info, worry, urgent
  std::optional<std::string> match_id;
  bool unresolved_only = false;  // open and acknowledged (the coordinator's default list)
  bool raised_by_me = false;     // only what the caller raised ("Mijn signalen")
  PageRequest page;
};

// The match a concern would be raised on, as the raise form shows it.
struct RaiseTarget {
  std::string match_id;
  std::string family_name;
};

// The volunteer of a running match (introduction, active, stepping down) raises on their own
// match; coordinators on their team's, project leads on their organisation's. A closed match
// takes no new concerns (409). `base_url` makes the link in the urgent mail.
Result<Concern> raise_concern(storage::Connection& c, const auth::Actor& actor,
                              const std::string& match_id, const NewConcern& input,
                              const std::string& base_url);
// The same decision as raise_concern, for showing the form (logged as a view of the match).
Result<RaiseTarget> raise_target(storage::Connection& c, const auth::Actor& actor,
                                 const std::string& match_id);
// Urgent first (open, then acknowledged, then resolved), then newest.
Result<Page<Concern>> list_concerns(storage::Connection& c, const auth::Actor& actor,
                                    const ConcernFilter& filter);
Result<Concern> get_concern(storage::Connection& c, const auth::Actor& actor,
                            const std::string& id);
// acknowledge (only when open; text optional), note (text required), resolve (the outcome
// required; also from open). Resolved is final: 409.
Result<Concern> act_on_concern(storage::Connection& c, const auth::Actor& actor,
                               const std::string& id, const std::string& action,
                               const std::string& text);

// For "Vandaag": the concerns still open or acknowledged that the caller may see, urgent
// unacknowledged first, then newest; empty when the role sees no concerns.
std::vector<ConcernSummary> open_concerns_for(storage::Connection& c, const auth::Actor& actor,
                                              int limit);

}  // namespace oploop::concerns
