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
