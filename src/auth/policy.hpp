// The one policy table: role × action → scope. One function decides; deny by default.
//
// Two faces, as in CASA's policies: `allowed(principal, action)` says whether the role may do
// the action at all (routes use it), and `check(principal, action, resource)` decides for one
// record — another organisation is not_found (404, never revealing existence), a record of
// the own organisation outside the role's scope is forbidden (403). List queries narrow with
// `scope_of()` so a list can never show what the detail page would refuse.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "auth/action.hpp"
#include "auth/principal.hpp"
#include "core/result.hpp"

namespace oploop::auth {

enum class Scope {
  none,          // not allowed
  own,           // only records tied to the user (a volunteer's own matches, own profile)
  team,          // records of the user's teams
  organisation,  // every record of the user's organisation
  aggregate,     // only aggregated, cell-suppressed figures (foundation)
  all,           // every organisation (admin, for organisation management only)
};

// The scope `role` has for `action`; Scope::none when the table has no entry.
Scope scope_of(Role role, Action action);
// Every (role, action) entry of the table, for the policy test.
bool has_entry(Action action);

struct ResourceRef {
  std::string organisation_id;
  std::optional<std::string> team_id;       // when the record belongs to a team
  std::vector<std::string> owner_user_ids;  // users for whom the record is "own"
};

// May this principal do `action` at all (some scope other than none)?
bool allowed(const Principal& p, Action action);
// Decision for one record: ok, not_found (other organisation) or forbidden.
Status check(const Principal& p, Action action, const ResourceRef& resource);

}  // namespace oploop::auth
