// The referral form is shared by the coordinator's "new referral" page and the public
// form for referrers: reading the fields, and the data the template needs to show them
// again (with what was typed) and their errors.
#pragma once

#include <map>
#include <string>

#include <nlohmann/json.hpp>

#include "app/context.hpp"
#include "referrals/referral.hpp"

namespace oploop::web {

struct ReferralForm {
  referrals::ReferralInput input;
  std::map<std::string, std::string> errors;  // parse errors (years)
  nlohmann::json values;                      // what was typed, for re-display
};

ReferralForm read_referral_form(const app::RequestContext& ctx);
// Template data: values, urgency options, errors; `today` preset for the consent date.
nlohmann::json referral_form_data(const app::RequestContext& ctx, const nlohmann::json& values,
                                  const std::map<std::string, std::string>& errors);

}  // namespace oploop::web
