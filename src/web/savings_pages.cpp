// The savings estimate on the web: a family's figures with how each was computed
// (/gezinnen/{id}/besparing) and the report of a period (/rapportages/besparing). Read-only
// pages over savings/; the inputs are recorded through the API. Staff only.
#include "app/app.hpp"
#include "core/clock.hpp"
#include "families/families.hpp"
#include "savings/estimate.hpp"
#include "savings/explain.hpp"
#include "web/page.hpp"
#include "web/view_models.hpp"

namespace oploop::web {
namespace {

using nlohmann::json;

json totals_view(const savings::Totals& t, const std::string& lang) {
  auto euro = [&](savings::Cents c) { return savings::format_euro(c, lang); };
  return {{"avoided", euro(t.avoided)},           {"avoided_low", euro(t.avoided_low)},
          {"avoided_high", euro(t.avoided_high)}, {"actual", euro(t.actual)},
          {"programme", euro(t.programme)},       {"net", euro(t.net)},
          {"net_low", euro(t.net_low)},           {"net_high", euro(t.net_high)}};
}

json section_view(const savings::FamilySavings& f, const std::string& section,
                  const app::RequestContext& ctx) {
  json items = json::array();
  for (const auto& l : f.lines) {
    if (l.section != section) continue;
    json item = {{"label", savings::line_label(l, ctx.language)},
                 {"formula", savings::formula_text(l, ctx.language)},
                 {"amount", savings::format_euro(l.amount_cents, ctx.language)},
                 {"band", l.low_cents != l.high_cents},
                 {"low", savings::format_euro(l.low_cents, ctx.language)},
                 {"high", savings::format_euro(l.high_cents, ctx.language)}};
    if (l.source == "settings")
      item["source"] = t(ctx, "savings.source.settings");
    else
      item["source"] = l.source + " (" + std::to_string(l.year) + ")";
    item["indicative"] = l.status == "indicative";
    item["overridden"] = l.status == "organisation";
    if (!l.certainty.empty()) item["certainty"] = t(ctx, "savings.certainty." + l.certainty);
    if (!l.estimated_by.empty()) item["estimated_by"] = l.estimated_by;
    items.push_back(std::move(item));
  }
  return items;
}

http::Response family_page(app::RequestContext& ctx) {
  auto conn = ctx.services.db.acquire();
  auto f = savings::family_savings(*conn, ctx.actor(), ctx.param("id"));
  if (!f) return error_page(ctx, f.error());
  auto family = families::get_family(*conn, ctx.actor(), f->family_id);
  if (!family) return error_page(ctx, family.error());
  json data;
  data["family"] = {{"id", family->id}, {"display_name", family->display_name}};
  for (const char* section : {"avoided", "actual", "programme"})
    data[section] = {{"rows", section_view(*f, section, ctx)},
                     {"caption_id", std::string(section) + "-caption"},
                     {"caption", t(ctx, std::string("savings.section.") + section)}};
  data["totals"] = totals_view(f->totals, ctx.language);
  data["settings_missing"] = !f->settings_configured;
  return page(ctx, "savings/family", "savings.family.title", data);
}

http::Response report_page(app::RequestContext& ctx) {
  std::map<std::string, std::string> query;
  for (const auto& [k, v] : http::parse_query(ctx.request.query).value_or(http::Params{}))
    query[k] = v;
  const std::string today = amsterdam_date(ctx.services.clock.now());
  savings::ReportFilter filter;
  filter.from = query.contains("from") && !query["from"].empty() ? query["from"]
                                                                 : today.substr(0, 4) + "-01-01";
  filter.to =
      query.contains("to") && !query["to"].empty() ? query["to"] : today.substr(0, 4) + "-12-31";
  json data;
  data["from"] = filter.from;
  data["to"] = filter.to;
  auto conn = ctx.services.db.acquire();
  auto report = savings::savings_report(*conn, ctx.actor(), filter);
  if (!report) {
    if (report.error().kind != ErrorKind::invalid) return error_page(ctx, report.error());
    data["problem"] = t(ctx, "savings.report.bad_period");
    return page(ctx, "savings/report", "savings.report.title", data, 422);
  }
  json families = json::array();
  for (const auto& f : report->families) {
    json row = totals_view(f.totals, ctx.language);
    row["family_id"] = f.family_id;
    families.push_back(std::move(row));
  }
  data["period"] = display_date(report->from) + " – " + display_date(report->to);
  data["families"] = families;
  data["empty"] = families.empty();
  data["count"] = families.size();
  data["totals"] = totals_view(report->totals, ctx.language);
  return page(ctx, "savings/report", "savings.report.title", data);
}

}  // namespace

void add_savings_pages(app::AppRouter& router) {
  using auth::Action;
  router.add("GET", "/gezinnen/{id}/besparing", Action::savings_read, family_page);
  router.add("GET", "/rapportages/besparing", Action::savings_report, report_page);
}

}  // namespace oploop::web
