// The family record: read (scoped by role), update, household members, waiting list.
#pragma once

#include <optional>
#include <string>

#include "auth/actor.hpp"
#include "core/page.hpp"
#include "core/result.hpp"
#include "families/family.hpp"
#include "storage/database.hpp"

namespace oploop::families {

struct FamilyFilter {
  std::optional<std::string> status;  // waiting, matched, closed
  PageRequest page;
};

Result<Page<Family>> list_families(storage::Connection& c, const auth::Actor& actor,
                                   const FamilyFilter& filter);
Result<Family> get_family(storage::Connection& c, const auth::Actor& actor, const std::string& id);
Result<Family> update_family(storage::Connection& c, const auth::Actor& actor,
                             const std::string& id, const FamilyPatch& patch);
Result<HouseholdMember> add_member(storage::Connection& c, const auth::Actor& actor,
                                   const std::string& family_id, const MemberInput& input);

// Used by referrals::accept_referral inside its transaction; no checks of its own.
void insert_family(storage::Connection& c, const Family& f);
// Every waiting family of an organisation, without members, longest waiting first (for the
// matching plan, which checks scope itself).
std::vector<Family> waiting_families(storage::Connection& c, const std::string& organisation_id);
// Loads without any check (for modules that already checked).
std::optional<Family> load_family(storage::Connection& c, const std::string& id);

}  // namespace oploop::families
