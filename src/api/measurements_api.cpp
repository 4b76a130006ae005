// /api/v1/instruments, /api/v1/families/{id}/measurements and /api/v1/measurements/{id} — thin
// adapters over measurements/. The instrument files are loaded (and checked) when the routes
// are registered, so a broken file stops the start.
#include <limits>

#include "api/handler.hpp"
#include "app/app.hpp"
#include "measurements/measurements.hpp"

namespace oploop::api {
namespace {

using nlohmann::json;

json texts(const measurements::Texts& t) {
  json out = json::object();
  for (const auto& [lang, text] : t) out[lang] = text;
  return out;
}

json to_json(const measurements::Instrument& ins) {
  json items = json::array();
  for (const auto& i : ins.items) {
    json labels = json::object();
    for (const auto& [point, t] : i.scale.labels) labels[std::to_string(point)] = texts(t);
    items.push_back({{"code", i.code},
                     {"label", texts(i.label)},
                     {"domain", i.domain},
                     {"scale", {{"min", i.scale.min}, {"max", i.scale.max}, {"labels", labels}}},
                     {"required", i.required}});
  }
  const auto* current = measurements::InstrumentCatalogue::instance().current(ins.code);
  return {{"code", ins.code},
          {"version", ins.version},
          {"current", current == &ins},
          {"title", texts(ins.title)},
          {"description", texts(ins.description)},
          {"respondents", ins.respondents},
          {"domains", ins.domains()},
          {"items", items}};
}

json answers_json(const measurements::Answers& answers) {
  json out = json::object();
  for (const auto& [code, value] : answers) out[code] = value;
  return out;
}

json to_json(const measurements::Measurement& m, bool with_history) {
  json scores = json::object();
  for (const auto& [domain, score] : m.domain_scores) scores[domain] = score;
  json out = {{"id", m.id},
              {"family_id", m.family_id},
              {"instrument", m.instrument},
              {"instrument_version", m.instrument_version},
              {"wave", m.wave},
              {"respondent", m.respondent},
              {"date", m.date},
              {"answers", answers_json(m.answers)},
              {"domain_scores", scores},
              {"created_at", m.created_at},
              {"updated_at", m.updated_at}};
  if (with_history) {
    json history = json::array();
    for (const auto& r : m.history)
      history.push_back({{"date", r.date},
                         {"answers", answers_json(r.answers)},
                         {"changed_by", r.changed_by},
                         {"changed_by_name", r.changed_by_name},
                         {"changed_at", r.changed_at}});
    out["history"] = history;
  }
  return out;
}

// {item_code: number}.
std::map<std::string, double> answers_of(const json& body, Reader& in) {
  std::map<std::string, double> out;
  const json* answers = in.object("answers");
  if (!answers) {
    if (!in.has("answers") && !in.errors().contains("answers"))
      in.error("answers", "validation.required");
    return out;
  }
  (void)body;
  for (const auto& [code, value] : answers->items()) {
    if (value.is_null()) continue;  // left empty
    // Not a number: NaN, which the domain names as off the scale along with every other item.
    out[code] = value.is_number() ? value.get<double>() : std::numeric_limits<double>::quiet_NaN();
  }
  return out;
}

http::Response list_instruments(app::RequestContext&) {
  json items = json::array();
  for (const auto& ins : measurements::InstrumentCatalogue::instance().all())
    items.push_back(to_json(ins));
  return json_response(200, list_body(items, std::nullopt));
}

http::Response create_measurement(app::RequestContext& ctx) {
  auto body = API_TRY(json_body(ctx));
  Reader in(body);
  measurements::MeasurementInput m;
  m.instrument = in.string("instrument");
  if (in.has("instrument_version")) {
    const auto& v = body.at("instrument_version");
    if (v.is_number_integer() && v.get<long long>() > 0 && v.get<long long>() < 100000)
      m.instrument_version = v.get<int>();
    else
      in.error("instrument_version", "validation.type_integer");
  }
  if (!in.has("wave"))
    in.error("wave", "validation.required");
  else if (!body.at("wave").is_number_integer())
    in.error("wave", "validation.type_integer");
  else if (body.at("wave").get<long long>() >= 0 && body.at("wave").get<long long>() <= 2)
    m.wave = body.at("wave").get<int>();
  m.respondent = in.string("respondent");
  m.date = in.string("date");
  m.answers = answers_of(body, in);
  if (auto p = reader_problem(in, ctx)) return *p;
  auto conn = ctx.services.db.acquire();
  auto created = API_TRY(measurements::record_measurement(*conn, ctx.actor(), ctx.param("id"), m));
  auto res = json_response(201, to_json(created, false));
  if (ctx.principal->role != auth::Role::volunteer)
    res.set_header("Location", "/api/v1/measurements/" + created.id);
  return res;
}

http::Response family_measurements(app::RequestContext& ctx) {
  auto conn = ctx.services.db.acquire();
  auto list = API_TRY(measurements::family_measurements(*conn, ctx.actor(), ctx.param("id")));
  json items = json::array();
  for (const auto& m : list) items.push_back(to_json(m, true));
  return json_response(200, list_body(items, std::nullopt));
}

http::Response show_measurement(app::RequestContext& ctx) {
  auto conn = ctx.services.db.acquire();
  auto m = API_TRY(measurements::get_measurement(*conn, ctx.actor(), ctx.param("id")));
  return json_response(200, to_json(m, true));
}

http::Response correct_measurement(app::RequestContext& ctx) {
  auto body = API_TRY(json_body(ctx));
  Reader in(body);
  measurements::Correction c;
  c.date = in.string("date");
  c.answers = answers_of(body, in);
  if (auto p = reader_problem(in, ctx)) return *p;
  auto conn = ctx.services.db.acquire();
  auto m = API_TRY(measurements::correct_measurement(*conn, ctx.actor(), ctx.param("id"), c));
  return json_response(200, to_json(m, true));
}

}  // namespace

void add_measurement_routes(app::AppRouter& router) {
  using auth::Action;
  measurements::InstrumentCatalogue::instance();  // checked now: a broken file stops the start
  router.add("GET", "/api/v1/instruments", Action::signed_in, list_instruments);
  router.add("GET", "/api/v1/families/{id}/measurements", Action::measurement_list,
             family_measurements);
  router.add("POST", "/api/v1/families/{id}/measurements", Action::measurement_record,
             create_measurement);
  router.add("GET", "/api/v1/measurements/{id}", Action::measurement_list, show_measurement);
  router.add("PUT", "/api/v1/measurements/{id}", Action::measurement_correct, correct_measurement);
}

}  // namespace oploop::api
