// /api/v1/tariffs, /api/v1/savings-settings, /api/v1/families/{id}/counterfactual,
// /api/v1/families/{id}/actual-care, /api/v1/families/{id}/savings and /api/v1/reports/savings —
// thin adapters over savings/. Money is integer cents (fields ending in _cents); a quantity is a
// number with at most two decimals.
#include "api/handler.hpp"
#include "app/app.hpp"
#include "savings/estimate.hpp"
#include "savings/explain.hpp"
#include "savings/tariffs.hpp"

namespace oploop::api {
namespace {

using nlohmann::json;
using savings::Cents;

std::optional<std::string> param(const std::map<std::string, std::string>& query,
                                 const char* name) {
  auto it = query.find(name);
  if (it == query.end() || it->second.empty()) return std::nullopt;
  return it->second;
}

// Whole cents (or a whole number) in `o[field]`; `fallback` when absent.
std::int64_t whole(const json& o, const std::string& field, const std::string& name, Reader& in,
                   std::int64_t fallback = 0) {
  if (!o.contains(field) || o.at(field).is_null()) return fallback;
  const auto& v = o.at(field);
  if (!v.is_number_integer() || v.get<long long>() < -100'000'000'000LL ||
      v.get<long long>() > 100'000'000'000LL) {
    in.error(name, "validation.type_integer");
    return fallback;
  }
  return v.get<std::int64_t>();
}

// A quantity with at most two decimals, in hundredths; 1 when absent.
std::int64_t quantity(const json& o, const std::string& name, Reader& in) {
  if (!o.contains("quantity") || o.at("quantity").is_null()) return 100;
  const auto& v = o.at("quantity");
  if (v.is_number_integer()) {
    const long long q = v.get<long long>();
    if (q < -1'000'000 || q > 1'000'000) {
      in.error(name, "savings.validation.quantity");
      return 0;
    }
    return q * 100;
  }
  if (v.is_number_float()) {
    if (auto q = savings::parse_hundredths(v.dump())) return *q;
    in.error(name, "savings.validation.quantity");
    return 0;
  }
  in.error(name, "savings.validation.quantity");
  return 0;
}

std::string text_of(const json& o, const char* field, const std::string& name, Reader& in) {
  if (!o.contains(field) || o.at(field).is_null()) return {};
  if (!o.at(field).is_string()) {
    in.error(name, "validation.type_string");
    return {};
  }
  return o.at(field).get<std::string>();
}

// The objects of body["items"]; a field error when it is not a list of objects.
std::vector<json> items_of(const json& body, Reader& in) {
  std::vector<json> out;
  if (!body.contains("items") || !body.at("items").is_array()) {
    in.error("items", "validation.type_array");
    return out;
  }
  for (std::size_t i = 0; i < body.at("items").size(); ++i) {
    const auto& item = body.at("items").at(i);
    if (!item.is_object())
      in.error("items[" + std::to_string(i) + "]", "validation.type_object");
    else
      out.push_back(item);
  }
  return out;
}

// --- tariffs and settings ---------------------------------------------------------------------

json to_json(const savings::Tariff& t) {
  json out = {{"product", t.product},
              {"label", t.label},
              {"unit", t.unit},
              {"amount_cents", t.amount_cents},
              {"low_cents", t.low_cents},
              {"high_cents", t.high_cents},
              {"source", t.source},
              {"year", t.year},
              {"region", t.region},
              {"status", t.status},
              {"overridden", t.overridden}};
  if (t.overridden) {
    out["default"] = {{"amount_cents", t.default_amount_cents},
                      {"source", t.default_source},
                      {"year", t.default_year}};
    out["updated_at"] = t.updated_at;
  }
  return out;
}

json tariff_list(const std::vector<savings::Tariff>& tariffs) {
  json items = json::array();
  for (const auto& t : tariffs) items.push_back(to_json(t));
  return {{"items", items}, {"currency", "EUR"}};
}

http::Response list_tariffs(app::RequestContext& ctx) {
  auto conn = ctx.services.db.acquire();
  return json_response(200, tariff_list(API_TRY(savings::list_tariffs(*conn, ctx.actor()))));
}

http::Response put_tariffs(app::RequestContext& ctx) {
  auto body = API_TRY(json_body(ctx));
  Reader in(body);
  std::vector<savings::TariffOverride> overrides;
  const auto items = items_of(body, in);
  for (std::size_t i = 0; i < items.size(); ++i) {
    const auto& o = items[i];
    const std::string at = "items[" + std::to_string(i) + "].";
    savings::TariffOverride t;
    t.product = text_of(o, "product", at + "product", in);
    t.amount_cents = whole(o, "amount_cents", at + "amount_cents", in, -1);
    if (o.contains("low_cents") && !o.at("low_cents").is_null())
      t.low_cents = whole(o, "low_cents", at + "low_cents", in);
    if (o.contains("high_cents") && !o.at("high_cents").is_null())
      t.high_cents = whole(o, "high_cents", at + "high_cents", in);
    t.source = text_of(o, "source", at + "source", in);
    t.year = static_cast<int>(whole(o, "year", at + "year", in));
    overrides.push_back(std::move(t));
  }
  if (auto p = reader_problem(in, ctx)) return *p;
  auto conn = ctx.services.db.acquire();
  return json_response(200,
                       tariff_list(API_TRY(savings::put_tariffs(*conn, ctx.actor(), overrides))));
}

json to_json(const savings::SavingsSettings& s) {
  return {{"coordinator_hourly_cents", s.coordinator_hourly_cents},
          {"foundation_fee_cents", s.foundation_fee_cents},
          {"volunteer_expenses_monthly_cents", s.volunteer_expenses_monthly_cents},
          {"configured", s.configured},
          {"updated_at", s.updated_at.empty() ? json(nullptr) : json(s.updated_at)}};
}

http::Response show_settings(app::RequestContext& ctx) {
  auto conn = ctx.services.db.acquire();
  return json_response(200, to_json(API_TRY(savings::get_settings(*conn, ctx.actor()))));
}

http::Response put_settings(app::RequestContext& ctx) {
  auto body = API_TRY(json_body(ctx));
  Reader in(body);
  savings::SavingsSettings s;
  for (const char* field :
       {"coordinator_hourly_cents", "foundation_fee_cents", "volunteer_expenses_monthly_cents"})
    if (!in.has(field)) in.error(field, "validation.required");
  s.coordinator_hourly_cents =
      whole(body, "coordinator_hourly_cents", "coordinator_hourly_cents", in);
  s.foundation_fee_cents = whole(body, "foundation_fee_cents", "foundation_fee_cents", in);
  s.volunteer_expenses_monthly_cents =
      whole(body, "volunteer_expenses_monthly_cents", "volunteer_expenses_monthly_cents", in);
  if (auto p = reader_problem(in, ctx)) return *p;
  auto conn = ctx.services.db.acquire();
  return json_response(200, to_json(API_TRY(savings::put_settings(*conn, ctx.actor(), s))));
}

// --- a family's inputs and estimate
// ----------------------------------------------------------------

json quantity_json(std::int64_t hundredths) {
  if (hundredths % 100 == 0) return hundredths / 100;
  return static_cast<double>(hundredths) / 100.0;
}

json to_json(const savings::CareLine& l, bool counterfactual) {
  json out = {{"product", l.product},
              {"quantity", quantity_json(l.quantity_hundredths)},
              {"months", l.months}};
  if (counterfactual) {
    out["estimated_by"] = l.estimated_by;
    out["certainty"] = l.certainty;
    out["note"] = l.note;
  }
  return out;
}

json lines_json(const std::vector<savings::CareLine>& lines, bool counterfactual) {
  json items = json::array();
  for (const auto& l : lines) items.push_back(to_json(l, counterfactual));
  return {{"items", items}};
}

http::Response put_care(app::RequestContext& ctx, bool counterfactual) {
  auto body = API_TRY(json_body(ctx));
  Reader in(body);
  std::vector<savings::CareLine> lines;
  const auto items = items_of(body, in);
  for (std::size_t i = 0; i < items.size(); ++i) {
    const auto& o = items[i];
    const std::string at = "items[" + std::to_string(i) + "].";
    savings::CareLine l;
    l.product = text_of(o, "product", at + "product", in);
    l.quantity_hundredths = quantity(o, at + "quantity", in);
    l.months = static_cast<int>(whole(o, "months", at + "months", in));
    if (counterfactual) {
      l.estimated_by = text_of(o, "estimated_by", at + "estimated_by", in);
      l.certainty = text_of(o, "certainty", at + "certainty", in);
      l.note = text_of(o, "note", at + "note", in);
    }
    lines.push_back(std::move(l));
  }
  auto conn = ctx.services.db.acquire();
  // The right before the input: check by an empty write when the body is already wrong.
  if (!in.errors().empty()) {
    auto probe = counterfactual ? savings::put_counterfactual(*conn, ctx.actor(), ctx.param("id"),
                                                              std::vector<savings::CareLine>(1))
                                : savings::put_actual_care(*conn, ctx.actor(), ctx.param("id"),
                                                           std::vector<savings::CareLine>(1));
    if (!probe && probe.error().kind != ErrorKind::invalid)
      return problem(probe.error(), ctx.language);
    return *reader_problem(in, ctx);
  }
  auto stored = API_TRY(
      counterfactual ? savings::put_counterfactual(*conn, ctx.actor(), ctx.param("id"), lines)
                     : savings::put_actual_care(*conn, ctx.actor(), ctx.param("id"), lines));
  return json_response(200, lines_json(stored, counterfactual));
}

http::Response put_counterfactual(app::RequestContext& ctx) { return put_care(ctx, true); }
http::Response put_actual_care(app::RequestContext& ctx) { return put_care(ctx, false); }

json totals_json(const savings::Totals& t) {
  return {{"avoided_cents", t.avoided},           {"avoided_low_cents", t.avoided_low},
          {"avoided_high_cents", t.avoided_high}, {"actual_cents", t.actual},
          {"actual_low_cents", t.actual_low},     {"actual_high_cents", t.actual_high},
          {"programme_cents", t.programme},       {"net_cents", t.net},
          {"net_low_cents", t.net_low},           {"net_high_cents", t.net_high}};
}

json to_json(const savings::FamilySavings& f, const std::string& language) {
  json lines = json::array();
  for (const auto& l : f.lines) {
    json line = {{"section", l.section},
                 {"item", l.item},
                 {"label", savings::line_label(l, language)},
                 {"formula", savings::formula_text(l, language)},
                 {"unit", l.unit},
                 {"rate_cents", l.rate_cents},
                 {"quantity", quantity_json(l.quantity_hundredths)},
                 {"months", l.months},
                 {"amount_cents", l.amount_cents},
                 {"low_cents", l.low_cents},
                 {"high_cents", l.high_cents},
                 {"source", l.source},
                 {"year", l.year == 0 ? json(nullptr) : json(l.year)},
                 {"status", l.status}};
    if (l.section == "avoided") {
      line["certainty"] = l.certainty;
      line["estimated_by"] = l.estimated_by;
    }
    lines.push_back(std::move(line));
  }
  return {{"family_id", f.family_id},
          {"currency", "EUR"},
          {"lines", lines},
          {"totals", totals_json(f.totals)},
          {"low_cents", f.totals.net_low},
          {"high_cents", f.totals.net_high},
          {"coordinator_minutes", f.coordinator_minutes},
          {"programme_months", f.programme_months},
          {"settings_configured", f.settings_configured},
          {"counterfactual", lines_json(f.counterfactual, true)["items"]},
          {"actual_care", lines_json(f.actual_care, false)["items"]}};
}

http::Response show_savings(app::RequestContext& ctx) {
  auto conn = ctx.services.db.acquire();
  auto f = API_TRY(savings::family_savings(*conn, ctx.actor(), ctx.param("id")));
  return json_response(200, to_json(f, ctx.language));
}

http::Response savings_report(app::RequestContext& ctx) {
  auto query = API_TRY(query_params(ctx));
  savings::ReportFilter filter{param(query, "from").value_or(""), param(query, "to").value_or(""),
                               param(query, "team")};
  auto conn = ctx.services.db.acquire();
  auto report = API_TRY(savings::savings_report(*conn, ctx.actor(), filter));
  json families = json::array();
  // Pseudonymous: the family's id and figures, never a name or an address.
  for (const auto& f : report.families)
    families.push_back({{"family_id", f.family_id},
                        {"totals", totals_json(f.totals)},
                        {"coordinator_minutes", f.coordinator_minutes},
                        {"programme_months", f.programme_months}});
  return json_response(200, {{"from", report.from},
                             {"to", report.to},
                             {"team", report.team ? json(*report.team) : json(nullptr)},
                             {"currency", "EUR"},
                             {"families", families},
                             {"family_count", report.families.size()},
                             {"totals", totals_json(report.totals)},
                             {"low_cents", report.totals.net_low},
                             {"high_cents", report.totals.net_high}});
}

}  // namespace

void add_savings_routes(app::AppRouter& router) {
  using auth::Action;
  router.add("GET", "/api/v1/tariffs", Action::tariff_read, list_tariffs);
  router.add("PUT", "/api/v1/tariffs", Action::tariff_manage, put_tariffs);
  router.add("GET", "/api/v1/savings-settings", Action::tariff_read, show_settings);
  router.add("PUT", "/api/v1/savings-settings", Action::tariff_manage, put_settings);
  router.add("PUT", "/api/v1/families/{id}/counterfactual", Action::savings_manage,
             put_counterfactual);
  router.add("PUT", "/api/v1/families/{id}/actual-care", Action::savings_manage, put_actual_care);
  router.add("GET", "/api/v1/families/{id}/savings", Action::savings_read, show_savings);
  router.add("GET", "/api/v1/reports/savings", Action::savings_report, savings_report);
}

}  // namespace oploop::api
