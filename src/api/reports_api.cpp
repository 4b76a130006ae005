// /api/v1/reports/impact — a thin adapter over reports/. The period defaults to this calendar
// year so far; `team` narrows to one team.
#include "api/handler.hpp"
#include "app/app.hpp"
#include "reports/impact_counts.hpp"

namespace oploop::api {
namespace {

using nlohmann::json;

json to_json(const reports::ImpactCounts& r) {
  json reasons = json::object();
  for (const auto& [reason, n] : r.closure_reasons) reasons[reason] = n;
  const double hours = static_cast<double>(r.contact_minutes) / 60.0;
  return {{"period", {{"from", r.period.from}, {"to", r.period.to}}},
          {"team_id", r.team_id ? json(*r.team_id) : json(nullptr)},
          {"families_reached", r.families_reached},
          {"children_reached", r.children_reached},
          {"volunteers_active", r.volunteers_active},
          {"matches_started", r.matches_started},
          {"matches_closed", r.matches_closed},
          {"median_duration_days",
           r.median_duration_days ? json(*r.median_duration_days) : json(nullptr)},
          {"contacts", r.contacts},
          {"contact_hours", hours},
          {"contacts_outside_office_hours", r.contacts_outside_office_hours},
          {"share_outside_office_hours",
           r.contacts ? json(static_cast<double>(r.contacts_outside_office_hours) / r.contacts)
                      : json(nullptr)},
          {"closure_reasons", reasons},
          {"funnel",
           {{"referrals", r.funnel.referrals},
            {"intake", r.funnel.intake},
            {"matched", r.funnel.matched},
            {"closed", r.funnel.closed}}}};
}

http::Response impact(app::RequestContext& ctx) {
  auto query = API_TRY(query_params(ctx));
  const auto get = [&](const char* name) -> std::string {
    auto it = query.find(name);
    return it == query.end() ? std::string() : it->second;
  };
  reports::Period period = reports::default_period(amsterdam_date(ctx.services.clock.now()));
  if (query.contains("from")) period.from = get("from");
  if (query.contains("to")) period.to = get("to");
  std::optional<std::string> team;
  if (!get("team").empty()) team = get("team");
  auto conn = ctx.services.db.acquire();
  auto counts = API_TRY(reports::impact_counts(*conn, ctx.actor(), period, team));
  return json_response(200, to_json(counts));
}

}  // namespace

void add_report_routes(app::AppRouter& router) {
  router.add("GET", "/api/v1/reports/impact", auth::Action::report_read, impact);
}

}  // namespace oploop::api
