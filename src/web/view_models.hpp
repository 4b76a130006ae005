// How records look on pages: dates as dd-mm-jjjj, postcodes as "1234 AB", statuses in words.
#pragma once

#include <nlohmann/json.hpp>

#include "app/context.hpp"
#include "families/family.hpp"
#include "referrals/referral.hpp"

namespace oploop::web {

nlohmann::json referral_view(const app::RequestContext& ctx, const referrals::Referral& r);
nlohmann::json family_view(const app::RequestContext& ctx, const families::Family& f);
// Language codes as names in the page's language ("Arabisch, Nederlands"); an unknown code as is.
std::string language_list(const app::RequestContext& ctx, const std::vector<std::string>& codes);
// "2026-11-23T12:00:00Z" or "2026-11-23" → "23-11-2026" (Europe/Amsterdam for timestamps).
std::string display_date(const std::string& date_or_timestamp);
// The status-badge modifier for a concern's severity: danger, warning, neutral.
const char* concern_badge(const std::string& severity);

}  // namespace oploop::web
