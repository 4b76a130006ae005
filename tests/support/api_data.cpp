#include "support/api_data.hpp"

#include <gtest/gtest.h>

namespace oploop::testing {

using nlohmann::json;

json referral_body(const std::string& name, const json& overrides) {
  json body = {{"contact_name", name},
               {"postcode", "3511 AB"},
               {"house_number", "12"},
               {"reason", "Hulp bij de post"},
               {"consent", true},
               {"consent_date", "2026-01-05"},
               {"children_birth_years", {2016}},
               {"languages", {"nl"}},
               {"referrer", {{"name", "R"}, {"organisation", "CJG"}, {"email", "r@cjg.example"}}}};
  body.update(overrides);
  return body;
}

std::string create_referral(HttpClient& as, const std::string& name, const json& overrides) {
  auto created = as.post_json("/api/v1/referrals", referral_body(name, overrides).dump());
  EXPECT_EQ(created.status, 201) << created.body;
  return json::parse(created.body, nullptr, false).value("id", "");
}

std::string waiting_family(HttpClient& as, const std::string& name, const json& overrides,
                           const json& accept) {
  const std::string referral = create_referral(as, name, overrides);
  auto accepted = as.post_json("/api/v1/referrals/" + referral + "/accept", accept.dump());
  EXPECT_EQ(accepted.status, 201) << accepted.body;
  return json::parse(accepted.body, nullptr, false).value("id", "");
}

}  // namespace oploop::testing
