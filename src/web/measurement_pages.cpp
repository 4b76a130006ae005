// A family's measurements (/gezinnen/{id}/metingen): the domain scores per wave in a table per
// instrument; recording one (/gezinnen/{id}/metingen/nieuw: instrument, wave, respondent, date,
// and the items grouped per life domain as radio groups, made for a phone too); correcting one
// (/metingen/{id}/corrigeren), which keeps the old answers. A volunteer may only record the
// family's own answers (measurements/measurements.hpp) and sees no list.
#include <fmt/format.h>
#include <limits>

#include "app/app.hpp"
#include "auth/policy.hpp"
#include "charts/charts.hpp"
#include "core/clock.hpp"
#include "families/families.hpp"
#include "measurements/measurements.hpp"
#include "web/form.hpp"
#include "web/page.hpp"
#include "web/view_models.hpp"

namespace oploop::web {
namespace {

using measurements::Instrument;
using measurements::InstrumentCatalogue;

bool is_volunteer(const app::RequestContext& ctx) {
  return ctx.principal->role == auth::Role::volunteer;
}

std::string query_value(const app::RequestContext& ctx, const std::string& name) {
  for (const auto& [k, v] : http::parse_query(ctx.request.query).value_or(http::Params{}))
    if (k == name) return v;
  return {};
}

std::string score_text(double score) {
  std::string s = fmt::format("{:.2f}", score);
  for (auto& ch : s)
    if (ch == '.') ch = ',';  // Dutch decimal comma
  return s;
}

std::string domain_label(const app::RequestContext& ctx, const std::string& domain) {
  if (domain == "satisfaction" || domain == "report_mark")
    return t(ctx, "measurements.domain." + domain);
  return t(ctx, "domain." + domain);
}

std::string wave_label(const app::RequestContext& ctx, int wave) {
  return t(ctx, "measurements.wave." + std::to_string(wave));
}

// The item's form field: "a_<item code>".
std::string field_of(const std::string& item) { return "a_" + item; }

// Domain errors ("answers.fin_1") as the form's field names ("a_fin_1").
std::map<std::string, std::string> form_errors(const std::map<std::string, std::string>& errors) {
  std::map<std::string, std::string> out;
  for (const auto& [field, key] : errors)
    out[field.rfind("answers.", 0) == 0 ? field_of(field.substr(8)) : field] = key;
  return out;
}

// What the form sent per item; something that is not a whole number becomes NaN, which the
// domain names as off the scale.
std::map<std::string, double> answers_from_form(const app::RequestContext& ctx,
                                                const Instrument& ins) {
  std::map<std::string, double> out;
  for (const auto& item : ins.items) {
    const std::string v = ctx.field(field_of(item.code));
    if (v.empty()) continue;
    try {
      std::size_t used = 0;
      const int n = std::stoi(v, &used);
      if (used != v.size()) throw std::invalid_argument(v);
      out[item.code] = n;
    } catch (const std::exception&) {
      out[item.code] = std::numeric_limits<double>::quiet_NaN();
    }
  }
  return out;
}

// The items of `ins` as radio groups, grouped per domain: [{domain, label, fields: [...]}].
nlohmann::json item_groups(const app::RequestContext& ctx, const Instrument& ins,
                           const nlohmann::json& values,
                           const std::map<std::string, std::string>& errors, Form& form) {
  nlohmann::json groups = nlohmann::json::array();
  for (const auto& domain : ins.domains()) {
    nlohmann::json names = nlohmann::json::array();
    for (const auto& item : ins.items) {
      if (item.domain != domain) continue;
      std::vector<Choice> points;
      for (int p = item.scale.min; p <= item.scale.max; ++p) {
        std::string label = std::to_string(p);
        if (auto it = item.scale.labels.find(p); it != item.scale.labels.end())
          label += " · " + measurements::text_in(it->second, ctx.language);
        points.push_back({std::to_string(p), label});
      }
      form.radios(field_of(item.code), measurements::text_in(item.label, ctx.language), points,
                  {.required = item.required});
      names.push_back(field_of(item.code));
    }
    groups.push_back({{"domain", domain}, {"label", domain_label(ctx, domain)}, {"names", names}});
  }
  (void)values;
  (void)errors;
  return groups;
}

// The groups with their rendered field objects (the template cannot look fields up by name).
nlohmann::json with_fields(nlohmann::json groups, const nlohmann::json& form_json) {
  for (auto& g : groups) {
    nlohmann::json fields = nlohmann::json::array();
    for (const auto& name : g["names"])
      fields.push_back(form_json["fields"][name.get<std::string>()]);
    g["items"] = fields;
    g.erase("names");
  }
  return groups;
}

// --- the list --------------------------------------------------------------------------------

// The family's life domains as a radar: one line per wave of the instrument's main respondent
// (start, interim, final), on the items' scale. The table beside it is the text alternative.
std::string radar_of(const app::RequestContext& ctx, const Instrument& ins,
                     const std::vector<const measurements::Measurement*>& taken) {
  charts::RadarChart radar;
  radar.id = "radar-" + ins.code;
  for (auto& ch : radar.id)
    if (ch == '_') ch = '-';
  radar.labels.title = measurements::text_in(ins.title, ctx.language);
  radar.labels.description = t(ctx, "measurements.radar_description");
  radar.labels.no_data = t(ctx, "measurements.list.empty");
  radar.axis_name = t(ctx, "measurements.table.domain");
  std::vector<std::string> domains;
  for (const auto& domain : ins.domains()) {
    if (domain == "satisfaction" || domain == "report_mark") continue;
    domains.push_back(domain);
    radar.axes.push_back(domain_label(ctx, domain));
  }
  for (const auto& item : ins.items)
    if (item.domain != "satisfaction" && item.domain != "report_mark") {
      radar.min = item.scale.min;
      radar.max = item.scale.max;
      break;
    }
  const std::string& main = ins.respondents.front();
  for (int wave = 0; wave <= 2; ++wave)
    for (const auto* m : taken) {
      if (m->wave != wave || m->respondent != main) continue;
      charts::RadarSeries series{wave_label(ctx, wave), {}};
      for (const auto& domain : domains) {
        auto s = m->domain_scores.find(domain);
        series.values.push_back(s == m->domain_scores.end() ? std::nullopt
                                                            : std::optional<double>(s->second));
      }
      radar.series.push_back(std::move(series));
    }
  return radar.series.empty() ? std::string() : charts::radar_svg(radar);
}

http::Response list(app::RequestContext& ctx) {
  const std::string family_id = ctx.param("id");
  auto conn = ctx.services.db.acquire();
  auto all = measurements::family_measurements(*conn, ctx.actor(), family_id);
  if (!all) return error_page(ctx, all.error());
  auto family = families::get_family(*conn, ctx.actor(), family_id);
  if (!family) return error_page(ctx, family.error());
  const auto& catalogue = InstrumentCatalogue::instance();
  // One table per instrument code: a row per domain, a column per measurement.
  nlohmann::json tables = nlohmann::json::array();
  std::vector<std::string> codes;
  for (const auto& m : *all)
    if (std::find(codes.begin(), codes.end(), m.instrument) == codes.end())
      codes.push_back(m.instrument);
  for (const auto& code : codes) {
    const Instrument* ins = catalogue.current(code);
    if (!ins) continue;
    nlohmann::json columns = nlohmann::json::array({{{"label", "measurements.table.domain"}}});
    std::vector<const measurements::Measurement*> of;
    for (const auto& m : *all) {
      if (m.instrument != code) continue;
      of.push_back(&m);
      columns.push_back({{"label", wave_label(ctx, m.wave) + " · " +
                                       t(ctx, "measurements.respondent." + m.respondent) + " · " +
                                       display_date(m.date)},
                         {"numeric", true}});
    }
    nlohmann::json rows = nlohmann::json::array();
    for (const auto& domain : ins->domains()) {
      nlohmann::json cells =
          nlohmann::json::array({{{"text", domain_label(ctx, domain)}, {"header", true}}});
      for (const auto* m : of) {
        auto s = m->domain_scores.find(domain);
        cells.push_back({{"text", s == m->domain_scores.end() ? "–" : score_text(s->second)},
                         {"numeric", true}});
      }
      rows.push_back({{"cells", cells}});
    }
    tables.push_back({{"id", "scores-" + code},
                      {"caption", measurements::text_in(ins->title, ctx.language)},
                      {"columns", columns},
                      {"column_count", columns.size()},
                      {"rows", rows},
                      {"radar_svg", radar_of(ctx, *ins, of)}});
  }
  nlohmann::json items = nlohmann::json::array();
  for (const auto& m : *all) {
    const Instrument* ins = catalogue.find(m.instrument, m.instrument_version);
    items.push_back(
        {{"id", m.id},
         {"wave", wave_label(ctx, m.wave)},
         {"respondent", t(ctx, "measurements.respondent." + m.respondent)},
         {"instrument", ins ? measurements::text_in(ins->title, ctx.language) : m.instrument},
         {"version", m.instrument_version},
         {"date", display_date(m.date)},
         {"corrections", m.history.size()},
         {"corrected", !m.history.empty()}});
  }
  nlohmann::json data = {
      {"family", {{"id", family->id}, {"display_name", family->display_name}}},
      {"tables", tables},
      {"items", items},
      {"empty", items.empty()},
      {"can_record", auth::allowed(*ctx.principal, auth::Action::measurement_record)},
      {"can_correct", auth::allowed(*ctx.principal, auth::Action::measurement_correct)}};
  return page(ctx, "measurements/list", "measurements.list.title", data);
}

// --- recording -------------------------------------------------------------------------------

// The instruments this caller may use (a volunteer: those the family answers).
std::vector<const Instrument*> usable(const app::RequestContext& ctx) {
  std::vector<const Instrument*> out;
  const auto& catalogue = InstrumentCatalogue::instance();
  for (const auto& ins : catalogue.all()) {
    if (catalogue.current(ins.code) != &ins) continue;
    const auto& r = ins.respondents;
    if (is_volunteer(ctx) && std::find(r.begin(), r.end(), "family") == r.end()) continue;
    out.push_back(&ins);
  }
  return out;
}

http::Response new_form(app::RequestContext& ctx, const Instrument& ins, nlohmann::json values,
                        const std::map<std::string, std::string>& domain_errors, int status) {
  const std::string family_id = ctx.param("id");
  auto conn = ctx.services.db.acquire();
  auto family = families::get_family(*conn, ctx.actor(), family_id);
  if (!family) return error_page(ctx, family.error());
  if (!values.contains("date")) values["date"] = amsterdam_date(ctx.services.clock.now());
  if (!values.contains("respondent")) values["respondent"] = ins.respondents.front();
  const auto errors = form_errors(domain_errors);
  std::vector<Choice> waves;
  for (int w = 0; w <= 2; ++w) waves.push_back({std::to_string(w), wave_label(ctx, w)});
  std::vector<Choice> who;
  for (const auto& r : ins.respondents)
    if (!is_volunteer(ctx) || r == "family") who.push_back({r, "measurements.respondent." + r});
  Form form(values, errors);
  form.radios("wave", "measurements.field.wave", waves, {.required = true});
  if (!is_volunteer(ctx))
    form.radios("respondent", "measurements.field.respondent", who, {.required = true});
  form.text("date", "measurements.field.date", {.type = "date", .required = true});
  auto groups = item_groups(ctx, ins, values, errors, form);
  auto data = form.json();
  data["groups"] = with_fields(groups, data);
  nlohmann::json choices = nlohmann::json::array();
  for (const auto* i : usable(ctx))
    choices.push_back({{"code", i->code},
                       {"title", measurements::text_in(i->title, ctx.language)},
                       {"selected", i->code == ins.code}});
  data["instruments"] = choices;
  data["several_instruments"] = choices.size() > 1;
  data["instrument"] = {{"code", ins.code},
                        {"version", ins.version},
                        {"title", measurements::text_in(ins.title, ctx.language)},
                        {"description", measurements::text_in(ins.description, ctx.language)}};
  data["family"] = {{"id", family->id}, {"display_name", family->display_name}};
  data["is_volunteer"] = is_volunteer(ctx);
  data["wave"] = values.value("wave", "");
  return page(ctx, "measurements/new", "measurements.new.title", data, status);
}

const Instrument* chosen(const app::RequestContext& ctx, const std::string& code) {
  const auto options = usable(ctx);
  for (const auto* i : options)
    if (i->code == code) return i;
  // By default the family's own questionnaire: the one every wave needs.
  for (const auto* i : options)
    if (std::find(i->respondents.begin(), i->respondents.end(), "family") != i->respondents.end())
      return i;
  return options.empty() ? nullptr : options.front();
}

http::Response new_page(app::RequestContext& ctx) {
  const Instrument* ins = chosen(ctx, query_value(ctx, "instrument"));
  if (!ins) return error_page(ctx, Error::not_found());
  nlohmann::json values = nlohmann::json::object();
  const std::string wave = query_value(ctx, "golf");
  if (wave == "0" || wave == "1" || wave == "2") values["wave"] = wave;
  return new_form(ctx, *ins, values, {}, 200);
}

int wave_of(const std::string& field) {
  return field == "0" ? 0 : field == "1" ? 1 : field == "2" ? 2 : -1;
}

http::Response create(app::RequestContext& ctx) {
  const Instrument* ins = chosen(ctx, ctx.field("instrument"));
  if (!ins || ins->code != ctx.field("instrument")) return error_page(ctx, Error::not_found());
  measurements::MeasurementInput in;
  in.instrument = ins->code;
  in.instrument_version = ins->version;
  in.wave = wave_of(ctx.field("wave"));
  in.respondent = is_volunteer(ctx) ? "family" : ctx.field("respondent");
  in.date = ctx.field("date");
  in.answers = answers_from_form(ctx, *ins);
  nlohmann::json values = {
      {"wave", ctx.field("wave")}, {"respondent", in.respondent}, {"date", in.date}};
  for (const auto& item : ins->items) values[field_of(item.code)] = ctx.field(field_of(item.code));
  auto conn = ctx.services.db.acquire();
  auto created = measurements::record_measurement(*conn, ctx.actor(), ctx.param("id"), in);
  if (!created) {
    const auto& e = created.error();
    if (e.kind == ErrorKind::conflict) {
      auto errors = e.fields;
      errors["wave"] = "measurements.duplicate";
      return new_form(ctx, *ins, values, errors, 409);
    }
    if (e.kind != ErrorKind::invalid) return error_page(ctx, e);
    return new_form(ctx, *ins, values, e.fields, 422);
  }
  flash(ctx, "measurements.saved");
  return http::Response::redirect(is_volunteer(ctx) ? "/gezinnen/" + ctx.param("id")
                                                    : "/gezinnen/" + ctx.param("id") + "/metingen");
}

// --- correcting ------------------------------------------------------------------------------

http::Response correction_form(app::RequestContext& ctx, const measurements::Measurement& m,
                               nlohmann::json values,
                               const std::map<std::string, std::string>& domain_errors,
                               int status) {
  const Instrument* ins = InstrumentCatalogue::instance().find(m.instrument, m.instrument_version);
  if (!ins) return error_page(ctx, 404);
  const auto errors = form_errors(domain_errors);
  Form form(values, errors);
  form.text("date", "measurements.field.date", {.type = "date", .required = true});
  auto groups = item_groups(ctx, *ins, values, errors, form);
  auto data = form.json();
  data["groups"] = with_fields(groups, data);
  nlohmann::json history = nlohmann::json::array();
  for (const auto& r : m.history) {
    std::string answers;
    for (const auto& [code, value] : r.answers)
      answers += (answers.empty() ? "" : ", ") + code + "=" + std::to_string(value);
    history.push_back({{"changed_at", display_date(r.changed_at)},
                       {"by", r.changed_by_name},
                       {"date", display_date(r.date)},
                       {"answers", answers}});
  }
  data["history"] = history;
  data["has_history"] = !history.empty();
  data["measurement"] = {{"id", m.id},
                         {"family_id", m.family_id},
                         {"wave", wave_label(ctx, m.wave)},
                         {"respondent", t(ctx, "measurements.respondent." + m.respondent)},
                         {"instrument", measurements::text_in(ins->title, ctx.language)},
                         {"version", ins->version}};
  return page(ctx, "measurements/correct", "measurements.correct.title", data, status);
}

nlohmann::json values_of(const measurements::Measurement& m) {
  nlohmann::json values = {{"date", m.date}};
  for (const auto& [code, value] : m.answers) values[field_of(code)] = std::to_string(value);
  return values;
}

http::Response correction_page(app::RequestContext& ctx) {
  auto conn = ctx.services.db.acquire();
  auto m = measurements::get_measurement(*conn, ctx.actor(), ctx.param("id"));
  if (!m) return error_page(ctx, m.error());
  return correction_form(ctx, *m, values_of(*m), {}, 200);
}

http::Response correct(app::RequestContext& ctx) {
  auto conn = ctx.services.db.acquire();
  auto m = measurements::get_measurement(*conn, ctx.actor(), ctx.param("id"));
  if (!m) return error_page(ctx, m.error());
  const Instrument* ins =
      InstrumentCatalogue::instance().find(m->instrument, m->instrument_version);
  if (!ins) return error_page(ctx, 404);
  measurements::Correction c;
  c.date = ctx.field("date");
  c.answers = answers_from_form(ctx, *ins);
  nlohmann::json values = {{"date", c.date}};
  for (const auto& item : ins->items) values[field_of(item.code)] = ctx.field(field_of(item.code));
  auto updated = measurements::correct_measurement(*conn, ctx.actor(), m->id, c);
  if (!updated) {
    const auto& e = updated.error();
    if (e.kind != ErrorKind::invalid) return error_page(ctx, e);
    return correction_form(ctx, *m, values, e.fields, 422);
  }
  flash(ctx, "measurements.corrected");
  return http::Response::redirect("/gezinnen/" + m->family_id + "/metingen");
}

}  // namespace

void add_measurement_pages(app::AppRouter& router) {
  using auth::Action;
  router.add("GET", "/gezinnen/{id}/metingen", Action::measurement_list, list);
  router.add("POST", "/gezinnen/{id}/metingen", Action::measurement_record, create);
  router.add("GET", "/gezinnen/{id}/metingen/nieuw", Action::measurement_record, new_page);
  router.add("GET", "/metingen/{id}/corrigeren", Action::measurement_correct, correction_page);
  router.add("POST", "/metingen/{id}/corrigeren", Action::measurement_correct, correct);
}

}  // namespace oploop::web
