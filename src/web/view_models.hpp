// How records look on pages: dates as dd-mm-jjjj, postcodes as "1234 AB", statuses in words.
#pragma once

#include <nlohmann/json.hpp>

#include "app/context.hpp"
#include "families/family.hpp"
#include "referrals/referral.hpp"

namespace oploop::web {

nlohmann::json referral_view(const app::RequestContext& ctx, const referrals::Referral& r);
nlohmann::json family_view(const app::RequestContext& ctx, const families::Family& f);
// "2026-11-23T12:00:00Z" or "2026-11-23" → "23-11-2026" (Europe/Amsterdam for timestamps).
std::string display_date(const std::string& date_or_timestamp);

}  // namespace oploop::web
