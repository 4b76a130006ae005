#include "auth/action.hpp"

namespace oploop::auth {

std::string_view to_string(Action a) {
  switch (a) {
    case Action::public_access:
      return "public_access";
    case Action::signed_in:
      return "signed_in";
    case Action::referral_list:
      return "referral_list";
    case Action::referral_read:
      return "referral_read";
    case Action::referral_create:
      return "referral_create";
    case Action::referral_decide:
      return "referral_decide";
    case Action::family_list:
      return "family_list";
    case Action::waiting_list:
      return "waiting_list";
    case Action::family_read:
      return "family_read";
    case Action::family_update:
      return "family_update";
    case Action::volunteer_list:
      return "volunteer_list";
    case Action::volunteer_read:
      return "volunteer_read";
    case Action::volunteer_manage:
      return "volunteer_manage";
    case Action::match_list:
      return "match_list";
    case Action::match_read:
      return "match_read";
    case Action::match_manage:
      return "match_manage";
    case Action::matching_suggest:
      return "matching_suggest";
    case Action::contact_list:
      return "contact_list";
    case Action::contact_log:
      return "contact_log";
    case Action::concern_list:
      return "concern_list";
    case Action::concern_raise:
      return "concern_raise";
    case Action::concern_act:
      return "concern_act";
    case Action::meldcode_read:
      return "meldcode_read";
    case Action::meldcode_record:
      return "meldcode_record";
    case Action::support_session_list:
      return "support_session_list";
    case Action::support_session_manage:
      return "support_session_manage";
    case Action::partner_consultation_list:
      return "partner_consultation_list";
    case Action::partner_consultation_manage:
      return "partner_consultation_manage";
    case Action::time_entry_list:
      return "time_entry_list";
    case Action::time_entry_manage:
      return "time_entry_manage";
    case Action::team_overview:
      return "team_overview";
    case Action::reminder_list:
      return "reminder_list";
    case Action::measurement_list:
      return "measurement_list";
    case Action::measurement_record:
      return "measurement_record";
    case Action::measurement_correct:
      return "measurement_correct";
    case Action::audit_read:
      return "audit_read";
    case Action::team_manage:
      return "team_manage";
    case Action::user_manage:
      return "user_manage";
    case Action::organisation_manage:
      return "organisation_manage";
  }
  return "unknown";
}

}  // namespace oploop::auth
