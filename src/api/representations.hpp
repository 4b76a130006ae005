// JSON shapes of the API (SPEC appendix): one function per resource, used by every route
// that answers it, so a resource always looks the same.
#pragma once

#include <nlohmann/json.hpp>

#include "auth/principal.hpp"
#include "families/family.hpp"
#include "matches/match.hpp"
#include "matching/suggestions.hpp"
#include "referrals/referral.hpp"
#include "volunteers/volunteer.hpp"

namespace oploop::api {

nlohmann::json to_json(const referrals::Referral& r);
// `role` narrows the fields: a volunteer sees only what SPEC §1 allows.
nlohmann::json to_json(const families::Family& f, auth::Role role);
nlohmann::json to_json(const families::HouseholdMember& m);
// `today` decides eligibility; texts in `language`.
nlohmann::json to_json(const volunteers::Volunteer& v, const std::string& today,
                       const std::string& language);
nlohmann::json to_json(const volunteers::Blocker& b, const std::string& language);
nlohmann::json to_json(const matches::Match& m);
nlohmann::json to_json(const matching::Suggestion& s, const std::string& language);

}  // namespace oploop::api
