// /api/v1/concerns, /api/v1/matches/{id}/concerns and /api/v1/concerns/{id}/meldcode — thin
// adapters over concerns/. The representation follows what the domain hands out: a volunteer's
// own concern comes narrowed (no notes, outcome, history or meldcode), so it is shown narrowed.
#include "api/handler.hpp"
#include "app/app.hpp"
#include "concerns/concerns.hpp"
#include "concerns/meldcode.hpp"

namespace oploop::api {
namespace {

using nlohmann::json;

json empty_as_null(const std::string& v) { return v.empty() ? json(nullptr) : json(v); }
json optional(const std::optional<std::string>& v) { return v ? json(*v) : json(nullptr); }

json concern_json(const concerns::Concern& x, bool with_history) {
  json j = {{"id", x.id},
            {"match_id", x.match_id},
            {"severity", x.severity},
            {"category", x.category},
            {"description", x.description},
            {"status", x.status},
            {"created_at", x.created_at},
            {"acknowledged_at", empty_as_null(x.acknowledged_at)},
            {"resolved_at", empty_as_null(x.resolved_at)}};
  if (!x.staff_view) return j;
  j["team_id"] = optional(x.team_id);
  j["family_id"] = x.family_id;
  j["family_name"] = x.family_name;
  j["raised_by_user_id"] = x.raised_by;
  j["raised_by_name"] = x.raised_by_name;
  j["escalated_at"] = empty_as_null(x.escalated_at);
  j["updated_at"] = x.updated_at;
  j["meldcode_step"] = x.meldcode_step > 0 ? json(x.meldcode_step) : json(nullptr);
  j["meldcode_suggested"] = concerns::suggests_meldcode(x.category);
  if (with_history) {
    json history = json::array();
    for (const auto& a : x.history)
      history.push_back({{"action", a.action},
                         {"text", empty_as_null(a.text)},
                         {"by_user_id", a.by_user},
                         {"by_name", a.by_name},
                         {"at", a.at}});
    j["history"] = history;
  }
  return j;
}

json entry_json(const concerns::MeldcodeEntry& e) {
  json answers = json::object();
  for (const auto& [code, a] : e.answers)
    answers[code] = {{"answer", a.answer}, {"explanation", empty_as_null(a.explanation)}};
  return {{"id", e.id},
          {"step", e.step},
          {"date", e.date},
          {"summary", e.summary},
          {"decision", empty_as_null(e.decision)},
          {"answers", answers},
          {"help_given", empty_as_null(e.help_given)},
          {"organisations_involved", empty_as_null(e.organisations_involved)},
          {"deviation_reason", empty_as_null(e.deviation_reason)},
          {"framework_version", empty_as_null(e.framework_version)},
          {"corrects_id", optional(e.corrects_id)},
          {"corrected_by_id", optional(e.corrected_by)},
          {"current", e.current},
          {"recorded_by_user_id", e.recorded_by},
          {"recorded_by_name", e.recorded_by_name},
          {"recorded_at", e.recorded_at}};
}

json meldcode_json(const concerns::Meldcode& m, const std::string& language) {
  const auto& framework = concerns::AssessmentFramework::instance();
  json questions = json::array();
  for (const auto& q : framework.questions())
    questions.push_back({{"code", q.code},
                         {"number", q.number},
                         {"text", concerns::in_language(q.text, language)},
                         {"hint", concerns::in_language(q.hint, language)}});
  json steps = json::array();
  for (int step = 1; step <= concerns::kMeldcodeSteps; ++step) {
    const auto* current = m.current(step);
    steps.push_back({{"step", step}, {"current", current ? entry_json(*current) : json(nullptr)}});
  }
  json entries = json::array();
  for (const auto& e : m.entries) entries.push_back(entry_json(e));
  return {{"concern_id", m.concern_id},
          {"meldcode_suggested", concerns::suggests_meldcode(m.category)},
          {"next_step", m.next_step() ? json(m.next_step()) : json(nullptr)},
          {"complete", m.complete()},
          {"advice", empty_as_null(m.advice())},
          {"framework_version", framework.version()},
          {"questions", questions},
          {"steps", steps},
          {"entries", entries}};
}

http::Response raise(app::RequestContext& ctx) {
  auto body = API_TRY(json_body(ctx));
  Reader in(body);
  concerns::NewConcern input{in.string("severity"), in.string("category"),
                             in.string("description")};
  if (auto p = reader_problem(in, ctx)) return *p;
  auto conn = ctx.services.db.acquire();
  auto created = API_TRY(concerns::raise_concern(*conn, ctx.actor(), ctx.param("id"), input,
                                                 ctx.services.config.base_url));
  auto res = json_response(201, concern_json(created, false));
  res.set_header("Location", "/api/v1/concerns/" + created.id);
  return res;
}

http::Response list(app::RequestContext& ctx) {
  auto query = API_TRY(query_params(ctx));
  concerns::ConcernFilter filter;
  filter.page = API_TRY(page_request(query));
  if (auto it = query.find("status"); it != query.end()) filter.status = it->second;
  if (auto it = query.find("severity"); it != query.end()) filter.severity = it->second;
  if (auto it = query.find("match_id"); it != query.end()) filter.match_id = it->second;
  auto conn = ctx.services.db.acquire();
  auto page = API_TRY(concerns::list_concerns(*conn, ctx.actor(), filter));
  json items = json::array();
  for (const auto& x : page.items) items.push_back(concern_json(x, false));
  return json_response(200, list_body(items, page.next_cursor));
}

http::Response show(app::RequestContext& ctx) {
  auto conn = ctx.services.db.acquire();
  auto x = API_TRY(concerns::get_concern(*conn, ctx.actor(), ctx.param("id")));
  return json_response(200, concern_json(x, true));
}

http::Response act(app::RequestContext& ctx) {
  auto body = API_TRY(json_body(ctx));
  Reader in(body);
  const std::string action = in.string("action");
  const std::string text = in.string("text");
  if (auto p = reader_problem(in, ctx)) return *p;
  auto conn = ctx.services.db.acquire();
  auto x = API_TRY(concerns::act_on_concern(*conn, ctx.actor(), ctx.param("id"), action, text));
  return json_response(200, concern_json(x, true));
}

http::Response meldcode(app::RequestContext& ctx) {
  auto conn = ctx.services.db.acquire();
  auto m = API_TRY(concerns::get_meldcode(*conn, ctx.actor(), ctx.param("id")));
  return json_response(200, meldcode_json(m, ctx.language));
}

// {step, date, summary, decision?, answers?: {code: {answer, explanation?}},
//  help_given?, organisations_involved?, deviation_reason? (step 5)}
http::Response record_step(app::RequestContext& ctx) {
  auto body = API_TRY(json_body(ctx));
  Reader in(body);
  concerns::MeldcodeInput input;
  if (in.has("step")) {
    const auto& step = body.at("step");
    if (!step.is_number_integer())
      in.error("step", "validation.type_integer");
    else if (step.get<long long>() >= 1 && step.get<long long>() <= concerns::kMeldcodeSteps)
      input.step = static_cast<int>(step.get<long long>());
  }
  input.date = in.string("date");
  input.summary = in.string("summary");
  input.decision = in.string("decision");
  input.help_given = in.string("help_given");
  input.organisations_involved = in.string("organisations_involved");
  input.deviation_reason = in.string("deviation_reason");
  if (const json* answers = in.object("answers")) {
    input.answers.emplace();
    for (const auto& [code, value] : answers->items()) {
      const std::string field = "answers." + code;
      if (!value.is_object()) {
        in.error(field, "validation.type_object");
        continue;
      }
      Reader answer(value);
      concerns::AssessmentAnswer a{answer.string("answer"), answer.string("explanation")};
      if (!answer.errors().empty()) in.error(field, "validation.type_string");
      (*input.answers)[code] = a;
    }
  }
  if (auto p = reader_problem(in, ctx)) return *p;
  auto conn = ctx.services.db.acquire();
  auto entry = concerns::record_meldcode_step(*conn, ctx.actor(), ctx.param("id"), input);
  if (!entry) {
    auto res = problem(entry.error(), ctx.language);
    if (const int missing = concerns::missing_step_of(entry.error())) {
      auto j = json::parse(res.body);
      j["missing_step"] = missing;
      res.body = j.dump();
    }
    return res;
  }
  auto res = json_response(201, entry_json(*entry));
  res.set_header("Location", "/api/v1/concerns/" + ctx.param("id") + "/meldcode");
  return res;
}

}  // namespace

void add_concern_routes(app::AppRouter& router) {
  using auth::Action;
  router.add("POST", "/api/v1/matches/{id}/concerns", Action::concern_raise, raise);
  router.add("GET", "/api/v1/concerns", Action::concern_list, list);
  router.add("GET", "/api/v1/concerns/{id}", Action::concern_list, show);
  router.add("POST", "/api/v1/concerns/{id}/actions", Action::concern_act, act);
  router.add("GET", "/api/v1/concerns/{id}/meldcode", Action::meldcode_read, meldcode);
  router.add("POST", "/api/v1/concerns/{id}/meldcode", Action::meldcode_record, record_step);
}

}  // namespace oploop::api
