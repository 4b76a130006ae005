// Records made through /api/v1 the way a coordinator would, shared by the integration tests:
// a valid referral (with the family's consent) and a family on the waiting list.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "support/http_client.hpp"

namespace oploop::testing {

// A valid referral for a family called `name` (consent given on 2026-01-05, one child, Dutch);
// fields in `overrides` replace or add to it.
nlohmann::json referral_body(const std::string& name,
                             const nlohmann::json& overrides = nlohmann::json::object());

// POST /api/v1/referrals as `as`; answers the new referral's id (a failed expectation if not 201).
std::string create_referral(HttpClient& as, const std::string& name,
                            const nlohmann::json& overrides = nlohmann::json::object());

// A referral created and accepted: answers the id of the family now on the waiting list.
// `accept` is the body of the accept call (e.g. {"display_name": …}).
std::string waiting_family(HttpClient& as, const std::string& name,
                           const nlohmann::json& overrides = nlohmann::json::object(),
                           const nlohmann::json& accept = nlohmann::json::object());

}  // namespace oploop::testing
