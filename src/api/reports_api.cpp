// /api/v1/reports/impact — a thin adapter over reports/. The period defaults to this calendar
// year so far; `team` narrows to one team.
#include "api/handler.hpp"
#include "app/app.hpp"
#include "reports/impact_counts.hpp"
#include "reports/outcomes.hpp"

namespace oploop::api {
namespace {

using nlohmann::json;

json number_or_null(const std::optional<double>& v) { return v ? json(*v) : json(nullptr); }

json to_json(const stats::PairedSummary& s) {
  const auto& w = s.wilcoxon;
  return {{"n", s.n},
          {"mean_before", number_or_null(s.mean_before)},
          {"mean_after", number_or_null(s.mean_after)},
          {"mean_change", number_or_null(s.mean_change)},
          {"sd_change", number_or_null(s.sd_change)},
          {"improved", s.improved},
          {"same", s.same},
          {"worse", s.worse},
          {"percent_improved", number_or_null(s.percent_improved)},
          {"percent_same", number_or_null(s.percent_same)},
          {"percent_worse", number_or_null(s.percent_worse)},
          {"cohens_dz", number_or_null(s.cohens_dz)},
          {"dz_ci_low", number_or_null(s.dz_ci_low)},
          {"dz_ci_high", number_or_null(s.dz_ci_high)},
          {"wilcoxon",
           {{"statistic", number_or_null(w.statistic)},
            {"p_value", number_or_null(w.p_value)},
            {"method", w.method ? json(std::string(stats::to_string(*w.method))) : json(nullptr)},
            {"nonzero", w.nonzero},
            {"ties", w.ties}}}};
}

json to_json(const std::vector<reports::OutcomeComparison>& comparisons) {
  json out = json::array();
  for (const auto& c : comparisons) {
    json domains = json::array();
    for (const auto& d : c.domains) {
      json entry = to_json(d.summary);
      entry["domain"] = d.domain;
      domains.push_back(entry);
    }
    out.push_back({{"instrument", c.instrument},
                   {"respondent", c.respondent},
                   {"from_wave", c.from_wave},
                   {"to_wave", c.to_wave},
                   {"domains", domains}});
  }
  return out;
}

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
  json body = to_json(counts);
  body["outcomes"] =
      to_json(reports::outcomes(*conn, ctx.principal->organisation_id, counts.team_id, period));
  return json_response(200, body);
}

}  // namespace

void add_report_routes(app::AppRouter& router) {
  router.add("GET", "/api/v1/reports/impact", auth::Action::report_read, impact);
}

}  // namespace oploop::api
