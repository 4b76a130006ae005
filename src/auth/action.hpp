// What a route or domain call does, for the policy table (auth/policy.cpp).
#pragma once

#include <string_view>

namespace oploop::auth {

enum class Action {
  public_access,  // no account needed: login page, static files, health, public form
  signed_in,      // any signed-in user: own profile, logout, own tokens, own 2FA
  referral_list,
  referral_read,
  referral_create,
  referral_decide,  // accept, decline, withdraw, start intake
  family_list,
  waiting_list,  // the waiting list page (staff only; a volunteer lists own families)
  family_read,
  family_update,
  volunteer_list,
  volunteer_read,
  volunteer_manage,  // create, update, screening, lifecycle
  match_list,
  match_read,
  match_manage,      // propose, move through the lifecycle
  matching_suggest,  // suggestions and the matching plan
  contact_list,      // contacts of a match
  contact_log,       // log or correct a contact (a volunteer: own, 7 days)
  concern_list,      // concerns (a volunteer: the status of their own)
  concern_raise,
  concern_act,  // acknowledge, note, resolve
  meldcode_read,
  meldcode_record,  // the five steps
  support_session_list,
  support_session_manage,  // supervision, peer groups, training, theme meetings
  partner_consultation_list,
  partner_consultation_manage,
  time_entry_list,
  time_entry_manage,    // a coordinator's own minutes
  team_overview,        // figures per team on the project lead's Vandaag
  report_read,          // the impact report of a team or the organisation (aggregates)
  reminder_list,        // reminders (SPEC §2.8): staff only
  savings_read,         // a family's savings estimate (SPEC §5)
  savings_manage,       // a family's counterfactual and actual care
  savings_report,       // the savings report of a period
  tariff_read,          // the organisation's tariffs and programme-cost settings
  tariff_manage,        // edit them (project lead)
  measurement_list,     // a family's measurements with their corrections (staff)
  measurement_record,   // a new measurement (a volunteer: the family's own answers)
  measurement_correct,  // correct one, keeping the old answers (staff)
  audit_read,
  team_manage,
  user_manage,
  organisation_manage,
};

std::string_view to_string(Action a);

}  // namespace oploop::auth
