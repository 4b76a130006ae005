// How support sessions look on pages: the /begeleiding pages and the dashboards ("sessions this
// week" for coordinators, "my next session" for a volunteer — partial
// coordination/sessions_this_week with the data sessions_this_week_view() makes).
#pragma once

#include <nlohmann/json.hpp>

#include "app/context.hpp"
#include "coordination/support_sessions.hpp"

namespace oploop::web {

// {id, href, heading, kind_label, date, start_time, duration, basic_training, invited, attended,
//  you_attended}
nlohmann::json session_summary(const app::RequestContext& ctx,
                               const coordination::SupportSession& s);
// {"sessions_this_week": {"items": [...], "empty": bool, "next": first item or absent}}: the
// caller's sessions of this week (logged as a list read), for a dashboard.
nlohmann::json sessions_this_week_view(const app::RequestContext& ctx, storage::Connection& c);

}  // namespace oploop::web
