// The policy table. Read it as: "a <role> may <action> on records within <scope>".
// Anything not listed is denied. Adding a route with a new Action without a row here
// makes the policy test fail.
#include "auth/policy.hpp"

#include <algorithm>
#include <array>

namespace oploop::auth {
namespace {

struct Rule {
  Role role;
  Action action;
  Scope scope;
};

using enum Role;
using enum Action;
using S = Scope;

constexpr std::array kPolicy = {
    // Everyone signed in: their own account, tokens, 2FA, language.
    Rule{volunteer, signed_in, S::own},
    Rule{coordinator, signed_in, S::own},
    Rule{project_lead, signed_in, S::own},
    Rule{foundation, signed_in, S::own},
    Rule{admin, signed_in, S::own},

    // Referrals: the coordinators of the team, the project lead of the organisation.
    Rule{coordinator, referral_list, S::team},
    Rule{coordinator, referral_read, S::team},
    Rule{coordinator, referral_create, S::team},
    Rule{coordinator, referral_decide, S::team},
    Rule{project_lead, referral_list, S::organisation},
    Rule{project_lead, referral_read, S::organisation},
    Rule{project_lead, referral_create, S::organisation},
    Rule{project_lead, referral_decide, S::organisation},

    // Families: a volunteer only those of their own active matches (and only the fields
    // SPEC §1 allows — the family module narrows the fields).
    Rule{volunteer, family_list, S::own},
    Rule{volunteer, family_read, S::own},
    Rule{coordinator, family_list, S::team},
    Rule{coordinator, waiting_list, S::team},
    Rule{coordinator, family_read, S::team},
    Rule{coordinator, family_update, S::team},
    Rule{project_lead, family_list, S::organisation},
    Rule{project_lead, waiting_list, S::organisation},
    Rule{project_lead, family_read, S::organisation},
    Rule{project_lead, family_update, S::organisation},

    // Volunteers: coordinators of the team, the project lead; a volunteer their own profile.
    Rule{volunteer, volunteer_read, S::own},
    Rule{coordinator, volunteer_list, S::team},
    Rule{coordinator, volunteer_read, S::team},
    Rule{coordinator, volunteer_manage, S::team},
    Rule{project_lead, volunteer_list, S::organisation},
    Rule{project_lead, volunteer_read, S::organisation},
    Rule{project_lead, volunteer_manage, S::organisation},

    // Matches: a volunteer sees their own; coordinators propose and move them.
    Rule{volunteer, match_list, S::own},
    Rule{volunteer, match_read, S::own},
    Rule{coordinator, match_list, S::team},
    Rule{coordinator, match_read, S::team},
    Rule{coordinator, match_manage, S::team},
    Rule{coordinator, matching_suggest, S::team},
    Rule{project_lead, match_list, S::organisation},
    Rule{project_lead, match_read, S::organisation},
    Rule{project_lead, match_manage, S::organisation},
    Rule{project_lead, matching_suggest, S::organisation},

    // Walking along (SPEC §2.6–2.8): the volunteer logs contacts and raises concerns on their
    // own matches and sees only the status of their own concerns; the meldcode, partner
    // consultations and coordinator time are staff-only.
    Rule{volunteer, contact_list, S::own},
    Rule{volunteer, contact_log, S::own},
    Rule{volunteer, concern_list, S::own},
    Rule{volunteer, concern_raise, S::own},
    Rule{volunteer, support_session_list, S::own},
    Rule{coordinator, contact_list, S::team},
    Rule{coordinator, contact_log, S::team},
    Rule{coordinator, concern_list, S::team},
    Rule{coordinator, concern_raise, S::team},
    Rule{coordinator, concern_act, S::team},
    Rule{coordinator, meldcode_read, S::team},
    Rule{coordinator, meldcode_record, S::team},
    Rule{coordinator, support_session_list, S::team},
    Rule{coordinator, support_session_manage, S::team},
    Rule{coordinator, partner_consultation_list, S::team},
    Rule{coordinator, partner_consultation_manage, S::team},
    Rule{coordinator, time_entry_list, S::own},
    Rule{coordinator, time_entry_manage, S::own},
    Rule{project_lead, contact_list, S::organisation},
    Rule{project_lead, contact_log, S::organisation},
    Rule{project_lead, concern_list, S::organisation},
    Rule{project_lead, concern_raise, S::organisation},
    Rule{project_lead, concern_act, S::organisation},
    Rule{project_lead, meldcode_read, S::organisation},
    Rule{project_lead, meldcode_record, S::organisation},
    Rule{project_lead, support_session_list, S::organisation},
    Rule{project_lead, support_session_manage, S::organisation},
    Rule{project_lead, partner_consultation_list, S::organisation},
    Rule{project_lead, partner_consultation_manage, S::organisation},
    Rule{project_lead, time_entry_list, S::organisation},
    Rule{project_lead, time_entry_manage, S::own},

    // Reminders (SPEC §2.8): what asks a coordinator to act; volunteers, the foundation and
    // the administrator have none.
    Rule{coordinator, reminder_list, S::team},
    Rule{project_lead, reminder_list, S::organisation},

    // Reports (SPEC §3): aggregates of a coordinator's own teams, or of the organisation.
    Rule{coordinator, report_read, S::team},
    Rule{project_lead, report_read, S::organisation},

    // The savings estimate (SPEC §5): staff only. Coordinators work on their team's families and
    // read the organisation's tariffs; the project lead sets the tariffs and the programme cost.
    Rule{coordinator, savings_read, S::team},
    Rule{coordinator, savings_manage, S::team},
    Rule{coordinator, savings_report, S::team},
    Rule{coordinator, tariff_read, S::organisation},
    Rule{project_lead, savings_read, S::organisation},
    Rule{project_lead, savings_manage, S::organisation},
    Rule{project_lead, savings_report, S::organisation},
    Rule{project_lead, tariff_read, S::organisation},
    Rule{project_lead, tariff_manage, S::organisation},

    // Measurements (SPEC §2.9): staff record, read and correct; a volunteer may record the
    // family's own answers for a family of their own running match (measurements.hpp), and
    // reads or corrects none.
    Rule{volunteer, measurement_record, S::own},
    Rule{coordinator, measurement_list, S::team},
    Rule{coordinator, measurement_record, S::team},
    Rule{coordinator, measurement_correct, S::team},
    Rule{project_lead, measurement_list, S::organisation},
    Rule{project_lead, measurement_record, S::organisation},
    Rule{project_lead, measurement_correct, S::organisation},

    // Management.
    Rule{project_lead, team_overview, S::organisation},
    Rule{project_lead, audit_read, S::organisation},
    Rule{project_lead, team_manage, S::organisation},
    Rule{project_lead, user_manage, S::organisation},
    Rule{admin, team_manage, S::all},
    Rule{admin, user_manage, S::all},
    Rule{admin, organisation_manage, S::all},
};

bool contains(const std::vector<std::string>& v, const std::string& x) {
  return std::find(v.begin(), v.end(), x) != v.end();
}

}  // namespace

Scope scope_of(Role role, Action action) {
  for (const Rule& r : kPolicy) {
    if (r.role == role && r.action == action) return r.scope;
  }
  return Scope::none;
}

bool has_entry(Action action) {
  if (action == Action::public_access) return true;
  return std::any_of(kPolicy.begin(), kPolicy.end(),
                     [&](const Rule& r) { return r.action == action; });
}

bool allowed(const Principal& p, Action action) {
  if (action == Action::public_access) return true;
  return scope_of(p.role, action) != Scope::none;
}

Status check(const Principal& p, Action action, const ResourceRef& resource) {
  const Scope scope = scope_of(p.role, action);
  if (scope == Scope::all) return {};
  // Another organisation's record does not exist for this user.
  if (resource.organisation_id != p.organisation_id) return fail(Error::not_found());
  switch (scope) {
    case Scope::organisation:
      return {};
    case Scope::team:
      // A record not (yet) assigned to a team is visible to every team of the
      // organisation: new public referrals wait there until someone picks them up.
      if (!resource.team_id || contains(p.team_ids, *resource.team_id)) return {};
      return fail(Error::forbidden());
    case Scope::own:
      // A volunteer is not told that other families exist (SPEC: everything else 404).
      if (contains(resource.owner_user_ids, p.user_id)) return {};
      return fail(Error::not_found());
    case Scope::none:
    case Scope::aggregate:
    case Scope::all:
      break;
  }
  return fail(Error::forbidden());
}

}  // namespace oploop::auth
