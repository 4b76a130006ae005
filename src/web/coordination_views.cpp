#include "web/coordination_views.hpp"

#include "web/page.hpp"
#include "web/view_models.hpp"

namespace oploop::web {

nlohmann::json session_summary(const app::RequestContext& ctx,
                               const coordination::SupportSession& s) {
  int attended = 0;
  bool you_attended = false;
  for (const auto& a : s.attendees) {
    if (!a.attended) continue;
    ++attended;
    if (a.user_id == ctx.principal->user_id) you_attended = true;
  }
  const std::string kind_label = t(ctx, "coordination.kind." + s.kind);
  return {{"id", s.id},
          {"href", "/begeleiding/" + s.id},
          {"heading", s.title.empty() ? kind_label : s.title},
          {"kind_label", kind_label},
          {"date", display_date(s.date)},
          {"start_time", s.start_time},
          {"duration", s.duration_minutes},
          {"basic_training", s.basic_training},
          {"invited", s.attendees.size()},
          {"attended", attended},
          {"you_attended", you_attended}};
}

nlohmann::json sessions_this_week_view(const app::RequestContext& ctx, storage::Connection& c) {
  const std::string today = amsterdam_date(ctx.services.clock.now());
  nlohmann::json items = nlohmann::json::array();
  nlohmann::json view = nlohmann::json::object();
  for (const auto& s : coordination::sessions_this_week(c, ctx.actor())) {
    items.push_back(session_summary(ctx, s));
    // The next one is the first still to come (today's counts, whatever its hour).
    if (!view.contains("next") && s.date >= today) view["next"] = items.back();
  }
  view["items"] = items;
  view["empty"] = items.empty();
  return {{"sessions_this_week", view}};
}

}  // namespace oploop::web
