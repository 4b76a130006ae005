// /rapportages/impact: the impact report on a page — the period and team to show, the counts
// of SPEC §3 and the funnel as an accessible chart with its table. The same domain call as
// GET /api/v1/reports/impact.
#include <algorithm>
#include <charconv>

#include "app/app.hpp"
#include "auth/policy.hpp"
#include "charts/charts.hpp"
#include "organisations/organisations.hpp"
#include "reports/impact_counts.hpp"
#include "reports/outcomes.hpp"
#include "web/form.hpp"
#include "web/page.hpp"
#include "web/view_models.hpp"

namespace oploop::web {
namespace {

using nlohmann::json;

// "1.234,5" — Dutch number formatting for figures on the page (one decimal at most).
std::string number_nl(double value, int decimals = 0) {
  char buffer[64];
  auto [end, ec] =
      std::to_chars(buffer, buffer + sizeof buffer, value, std::chars_format::fixed, decimals);
  if (ec != std::errc()) return "";
  std::string s(buffer, end);
  const auto dot = s.find('.');
  std::string whole = s.substr(0, dot == std::string::npos ? s.size() : dot);
  std::string out;
  const bool negative = !whole.empty() && whole[0] == '-';
  if (negative) whole.erase(0, 1);
  for (std::size_t i = 0; i < whole.size(); ++i) {
    if (i > 0 && (whole.size() - i) % 3 == 0) out += '.';
    out += whole[i];
  }
  if (dot != std::string::npos) out += "," + s.substr(dot + 1);
  return negative ? "-" + out : out;
}

json table_json(const charts::TableModel& table) {
  json rows = json::array();
  for (const auto& row : table.rows) {
    json cells = json::array();
    for (std::size_t i = 0; i < row.size(); ++i)
      cells.push_back(
          {{"text", row[i].text}, {"first", i == 0}, {"numeric", row[i].number.has_value()}});
    rows.push_back({{"cells", cells}});
  }
  return {{"headers", table.headers}, {"rows", rows}};
}

std::string optional_nl(const std::optional<double>& v, int decimals) {
  return v ? number_nl(*v, decimals) : "–";
}

std::string p_value_nl(const std::optional<double>& p) {
  if (!p) return "–";
  return *p < 0.001 ? "< 0,001" : number_nl(*p, 3);
}

// Per comparison with data: the change bars (improved / same / worse per domain) and the table
// of every statistic, in the report's words.
json outcomes_view(const app::RequestContext& ctx,
                   const std::vector<reports::OutcomeComparison>& comparisons) {
  json out = json::array();
  for (const auto& c : comparisons) {
    bool any = false;
    for (const auto& d : c.domains) any = any || d.summary.n > 0;
    if (!any) continue;
    const std::string id = c.instrument + "-" + std::to_string(c.to_wave);
    const std::string title = t(ctx, "report.instrument." + c.instrument) + ": " +
                              t(ctx, "report.comparison." + std::to_string(c.to_wave));
    charts::ChangeBarChart bars;
    bars.id = "bars-" + id;
    for (auto& ch : bars.id)
      if (ch == '_') ch = '-';
    bars.labels.title = title;
    bars.labels.description = t(ctx, "report.bars_description");
    bars.label_name = t(ctx, "report.domain");
    bars.improved_name = t(ctx, "report.improved");
    bars.same_name = t(ctx, "report.same");
    bars.worse_name = t(ctx, "report.worse");
    json rows = json::array();
    for (const auto& d : c.domains) {
      const auto& s = d.summary;
      const std::string domain = t(ctx, "domain." + d.domain);
      if (s.n > 0)
        bars.bars.push_back({domain, s.percent_improved.value_or(0), s.percent_same.value_or(0),
                             s.percent_worse.value_or(0), s.n});
      rows.push_back(
          {{"domain", domain},
           {"n", s.n},
           {"before", optional_nl(s.mean_before, 2)},
           {"after", optional_nl(s.mean_after, 2)},
           {"change", optional_nl(s.mean_change, 2)},
           {"sd", optional_nl(s.sd_change, 2)},
           {"improved", optional_nl(s.percent_improved, 0)},
           {"same", optional_nl(s.percent_same, 0)},
           {"worse", optional_nl(s.percent_worse, 0)},
           {"dz", s.cohens_dz ? number_nl(*s.cohens_dz, 2) + " (" + number_nl(*s.dz_ci_low, 2) +
                                    " – " + number_nl(*s.dz_ci_high, 2) + ")"
                              : "–"},
           {"p", p_value_nl(s.wilcoxon.p_value)}});
    }
    out.push_back({{"id", id},
                   {"title", title},
                   {"bars_svg", charts::change_bars_svg(bars)},
                   {"rows", rows}});
  }
  return out;
}

http::Response impact(app::RequestContext& ctx) {
  const auto& p = *ctx.principal;
  const std::string today = amsterdam_date(ctx.services.clock.now());
  reports::Period period = reports::default_period(today);
  std::string from, to, team;
  for (const auto& [k, v] : http::parse_query(ctx.request.query).value_or(http::Params{})) {
    if (k == "from") from = v;
    if (k == "to") to = v;
    if (k == "team") team = v;
  }
  if (!from.empty()) period.from = from;
  if (!to.empty()) period.to = to;
  std::optional<std::string> team_id;
  if (!team.empty()) team_id = team;

  auto conn = ctx.services.db.acquire();
  // The teams to choose from: the coordinator's own, or every team (project lead).
  json teams = json::array();
  const bool whole_organisation =
      auth::scope_of(p.role, auth::Action::report_read) == auth::Scope::organisation;
  for (const auto& t : organisations::list_teams(*conn, p.organisation_id))
    if (whole_organisation ||
        std::find(p.team_ids.begin(), p.team_ids.end(), t.id) != p.team_ids.end())
      teams.push_back({{"id", t.id}, {"name", t.name}, {"selected", team_id == t.id}});

  json data = {{"from", period.from},
               {"to", period.to},
               {"teams", teams},
               {"whole_organisation", whole_organisation},
               {"all_selected", !team_id}};
  auto counts = reports::impact_counts(*conn, ctx.actor(), period, team_id);
  if (!counts) {
    if (counts.error().kind != ErrorKind::invalid) return error_page(ctx, counts.error());
    // One line per field, in the form's order, each naming its field.
    json errors = json::array();
    for (const char* field : {"from", "to", "team"})
      if (auto it = counts.error().fields.find(field); it != counts.error().fields.end())
        errors.push_back(t(ctx, std::string("report.") + field) + ": " + t(ctx, it->second));
    data["errors"] = errors;
    data["has_errors"] = true;
    return page(ctx, "reports/impact", "report.title", data, 422);
  }
  const auto& r = *counts;
  const auto figure = [&](const char* key, const std::string& value) {
    return json{{"label", t(ctx, key)}, {"value", value}};
  };
  data["period_text"] = display_date(r.period.from) + " – " + display_date(r.period.to);
  data["figures"] = json::array(
      {figure("report.families_reached", number_nl(r.families_reached)),
       figure("report.children_reached", number_nl(r.children_reached)),
       figure("report.volunteers_active", number_nl(r.volunteers_active)),
       figure("report.matches_started", number_nl(r.matches_started)),
       figure("report.matches_closed", number_nl(r.matches_closed)),
       figure("report.median_duration", r.median_duration_days
                                            ? number_nl(*r.median_duration_days / 30.4375, 1) +
                                                  " " + t(ctx, "report.months_unit")
                                            : "–"),
       figure("report.contacts", number_nl(r.contacts)),
       figure("report.contact_hours", number_nl(r.contact_minutes / 60.0, 1)),
       figure("report.outside_office_hours",
              r.contacts ? number_nl(100.0 * r.contacts_outside_office_hours / r.contacts) + "%"
                         : "–")});
  json reasons = json::array();
  for (const auto& [reason, n] : r.closure_reasons)
    reasons.push_back({{"label", t(ctx, "closure." + reason)}, {"count", n}});
  data["closure_reasons"] = reasons;
  data["has_closure_reasons"] = !reasons.empty();

  charts::FunnelChart funnel;
  funnel.id = "funnel";
  funnel.labels.title = t(ctx, "report.funnel_title");
  funnel.labels.description = t(ctx, "report.funnel_description");
  funnel.step_name = t(ctx, "report.funnel_step");
  funnel.count_name = t(ctx, "report.funnel_count");
  funnel.share_name = t(ctx, "report.funnel_share");
  funnel.steps = {{t(ctx, "report.funnel_referrals"), r.funnel.referrals},
                  {t(ctx, "report.funnel_intake"), r.funnel.intake},
                  {t(ctx, "report.funnel_matched"), r.funnel.matched},
                  {t(ctx, "report.funnel_closed"), r.funnel.closed}};
  data["funnel_svg"] = charts::funnel_svg(funnel);
  const auto outcomes =
      outcomes_view(ctx, reports::outcomes(*conn, p.organisation_id, r.team_id, r.period));
  data["outcomes"] = outcomes;
  data["has_outcomes"] = !outcomes.empty();
  data["funnel_table"] = table_json(charts::funnel_table(funnel));
  return page(ctx, "reports/impact", "report.title", data);
}

}  // namespace

void add_report_pages(app::AppRouter& router) {
  router.add("GET", "/rapportages/impact", auth::Action::report_read, impact);
}

}  // namespace oploop::web
