// Referral operations. Staff calls take an Actor and go through the policy gate; the public
// form has its own entry point (no account), rate limited per client address.
#pragma once

#include <optional>
#include <string>

#include "auth/actor.hpp"
#include "core/page.hpp"
#include "core/result.hpp"
#include "families/family.hpp"
#include "referrals/referral.hpp"
#include "storage/database.hpp"

namespace oploop::referrals {

struct ReferralFilter {
  std::optional<std::string> status;
  PageRequest page;
};

struct AcceptInput {
  std::optional<std::string> display_name;    // default: the contact name
  std::optional<std::string> team_id;         // default: the referral's team
  std::optional<std::string> coordinator_id;  // default: the accepting coordinator
};

Result<Referral> create_referral(storage::Connection& c, const auth::Actor& actor,
                                 const ReferralInput& input);
// The public form of organisation `org_slug`. Queues a receipt to the referrer and a notice
// to the coordinators (links only, no personal details).
Result<Referral> submit_public_referral(storage::Connection& c, const Clock& clock,
                                        const std::string& org_slug, const ReferralInput& input,
                                        const std::string& client_ip, const std::string& base_url);
Result<Page<Referral>> list_referrals(storage::Connection& c, const auth::Actor& actor,
                                      const ReferralFilter& filter);
Result<Referral> get_referral(storage::Connection& c, const auth::Actor& actor,
                              const std::string& id);
Result<Referral> start_intake(storage::Connection& c, const auth::Actor& actor,
                              const std::string& id);
Result<families::Family> accept_referral(storage::Connection& c, const auth::Actor& actor,
                                         const std::string& id, const AcceptInput& input);
Result<Referral> decline_referral(storage::Connection& c, const auth::Actor& actor,
                                  const std::string& id, const std::string& reason);
Result<Referral> withdraw_referral(storage::Connection& c, const auth::Actor& actor,
                                   const std::string& id, const std::string& reason);

// Field errors of an input (catalogue keys), for forms that validate before saving.
std::map<std::string, std::string> validate(const ReferralInput& input, const std::string& today);

}  // namespace oploop::referrals
