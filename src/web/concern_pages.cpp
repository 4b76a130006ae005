// Concern pages: the coordinator's list (/signalen, urgent open first) and a concern's page
// with what was done and the meldcode steps (/signalen/{id}); the volunteer's "Zorg melden"
// form on their match (/koppelingen/{id}/signaal/nieuw, made for a phone) and the status of
// their own concerns (/mijn-signalen). A volunteer sees their own concern narrowed: never the
// coordinator's notes, outcome or the meldcode.
#include <charconv>

#include "app/app.hpp"
#include "auth/policy.hpp"
#include "concerns/concerns.hpp"
#include "concerns/meldcode.hpp"
#include "matches/matches.hpp"
#include "web/form.hpp"
#include "web/page.hpp"
#include "web/view_models.hpp"

namespace oploop::web {
namespace {

using nlohmann::json;

// Text as paragraphs (one per non-empty line), so what someone typed keeps its shape without
// styles.
json paragraphs(const std::string& text) {
  json out = json::array();
  std::size_t start = 0;
  while (start <= text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    std::string line = text.substr(start, end - start);
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.find_first_not_of(" \t") != std::string::npos) out.push_back(line);
    start = end + 1;
  }
  return out;
}

json concern_view(const app::RequestContext& ctx, const concerns::Concern& x) {
  return {{"id", x.id},
          {"match_id", x.match_id},
          {"family_id", x.family_id},
          {"family_name", x.family_name},
          {"raised_by_name", x.raised_by_name},
          {"severity", x.severity},
          {"severity_label", t(ctx, "concern.severity." + x.severity)},
          {"severity_badge", concern_badge(x.severity)},
          {"category_label", t(ctx, "concern.category." + x.category)},
          {"status_label", t(ctx, "concern.status." + x.status)},
          {"status_text", t(ctx, "concern.status_text." + x.status)},
          {"urgent_open", x.severity == "urgent" && x.status == "open"},
          {"open", x.status == "open"},
          {"unresolved", x.status != "resolved"},
          {"resolved", x.status == "resolved"},
          {"created", display_date(x.created_at)},
          {"acknowledged", x.acknowledged_at.empty() ? "" : display_date(x.acknowledged_at)},
          {"resolved_on", x.resolved_at.empty() ? "" : display_date(x.resolved_at)},
          {"description", paragraphs(x.description)},
          {"staff", x.staff_view}};
}

std::map<std::string, std::string> errors_from(const json& extra, const char* key) {
  std::map<std::string, std::string> out;
  if (extra.contains(key))
    for (auto& [k, v] : extra.at(key).items()) out[k] = v.get<std::string>();
  return out;
}

json value_or(const json& extra, const char* key, json fallback) {
  return extra.contains(key) ? extra.at(key) : std::move(fallback);
}

// --- the meldcode on a concern's page ----------------------------------------------------------

// The form for `step` (a new step or a correction), with what was typed or what counts now.
json meldcode_form(app::RequestContext& ctx, const concerns::Meldcode& m, int step,
                   const json& extra) {
  const auto& framework = concerns::AssessmentFramework::instance();
  const auto* current = m.current(step);
  json values = {{"date", amsterdam_date(ctx.services.clock.now())}};
  if (current) {
    values = {{"date", current->date},
              {"summary", current->summary},
              {"decision", current->decision},
              {"help_given", current->help_given},
              {"organisations_involved", current->organisations_involved},
              {"deviation_reason", current->deviation_reason}};
    for (const auto& [code, a] : current->answers) {
      values["answer_" + code] = a.answer;
      values["explanation_" + code] = a.explanation;
    }
  }
  values = value_or(extra, "meldcode_values", values);
  // Domain errors name answers "answers.<code>"; the form's fields are "answer_<code>".
  std::map<std::string, std::string> errors;
  for (const auto& [field, key] : errors_from(extra, "meldcode_errors"))
    errors[field.starts_with("answers.") ? "answer_" + field.substr(8) : field] = key;
  Form form(values, errors, "meldcode-");
  form.text("date", "meldcode.field.date", {.type = "date", .required = true});
  form.textarea("summary", "meldcode.field.summary." + std::to_string(step),
                {.required = true, .maxlength = static_cast<int>(concerns::kMaxSummary)});
  json questions = json::array();
  if (step == concerns::kAssessmentStep) {
    for (const auto& q : framework.questions()) {
      const std::string answer = "answer_" + q.code;
      const std::string explanation = "explanation_" + q.code;
      form.radios(answer,
                  std::to_string(q.number) + ". " + concerns::in_language(q.text, ctx.language),
                  {{"yes", "meldcode.answer.yes"}, {"no", "meldcode.answer.no"}},
                  {.hint = concerns::in_language(q.hint, ctx.language), .required = true});
      form.textarea(explanation, "meldcode.field.explanation",
                    {.maxlength = static_cast<int>(concerns::kMaxExplanation), .rows = 3});
    }
  }
  if (step == concerns::kDecisionStep) {
    std::vector<Choice> decisions;
    for (const auto& d : concerns::meldcode_decisions())
      decisions.push_back({d, "meldcode.decision." + d});
    form.radios("decision", "meldcode.field.decision", decisions, {.required = true});
    const int max_outcome = static_cast<int>(concerns::kMaxOutcomeText);
    form.textarea("help_given", "meldcode.field.help_given", {.maxlength = max_outcome, .rows = 3});
    form.text("organisations_involved", "meldcode.field.organisations_involved",
              {.hint = "meldcode.field.organisations_involved_hint", .maxlength = max_outcome});
    form.textarea(
        "deviation_reason", "meldcode.field.deviation_reason",
        {.hint = "meldcode.field.deviation_reason_hint", .maxlength = max_outcome, .rows = 3});
  } else {
    form.textarea("decision", "meldcode.field.step_decision",
                  {.hint = "meldcode.field.step_decision_hint",
                   .maxlength = static_cast<int>(concerns::kMaxStepDecision),
                   .rows = 3});
  }
  json data = form.json();
  if (step == concerns::kAssessmentStep) {
    for (const auto& q : framework.questions())
      questions.push_back({{"answer", data["fields"]["answer_" + q.code]},
                           {"explanation", data["fields"]["explanation_" + q.code]}});
  }
  data["questions"] = questions;
  data["step"] = step;
  data["title"] = t(ctx, "meldcode.step." + std::to_string(step));
  data["correction"] = current != nullptr;
  data["is_assessment"] = step == concerns::kAssessmentStep;
  data["is_decision"] = step == concerns::kDecisionStep;
  data["form_problem"] = value_or(extra, "meldcode_problem", "");
  return data;
}

json meldcode_view(app::RequestContext& ctx, const concerns::Meldcode& m, const json& extra) {
  const auto& framework = concerns::AssessmentFramework::instance();
  const int next = m.next_step();
  json steps = json::array();
  for (int step = 1; step <= concerns::kMeldcodeSteps; ++step) {
    json s = {{"number", step},
              {"title", t(ctx, "meldcode.step." + std::to_string(step))},
              {"done", m.current(step) != nullptr},
              {"is_next", step == next}};
    if (const auto* e = m.current(step)) {
      int earlier = 0;
      for (const auto& other : m.entries)
        if (other.step == step && !other.current) ++earlier;
      json answers = json::array();
      for (const auto& q : framework.questions()) {
        auto it = e->answers.find(q.code);
        if (it == e->answers.end()) continue;
        answers.push_back({{"question", std::to_string(q.number) + ". " +
                                            concerns::in_language(q.text, ctx.language)},
                           {"answer", t(ctx, "meldcode.answer." + it->second.answer)},
                           {"explanation", it->second.explanation}});
      }
      s["entry"] = {{"date", display_date(e->date)},
                    {"recorded_by", e->recorded_by_name},
                    {"summary", paragraphs(e->summary)},
                    {"decision", e->decision.empty() ? ""
                                 : step == concerns::kDecisionStep
                                     ? t(ctx, "meldcode.decision." + e->decision)
                                     : e->decision},
                    {"answers", answers},
                    {"has_answers", !answers.empty()},
                    {"help_given", paragraphs(e->help_given)},
                    {"has_help_given", !e->help_given.empty()},
                    {"has_deviation_reason", !e->deviation_reason.empty()},
                    {"organisations_involved", e->organisations_involved},
                    {"deviation_reason", paragraphs(e->deviation_reason)},
                    {"to_review", m.needs_review(step)},
                    {"corrections", earlier},
                    {"corrected", earlier > 0},
                    {"correct_href", "/signalen/" + m.concern_id + "?meldcode_stap=" +
                                         std::to_string(step) + "#meldcode-form"}};
    }
    steps.push_back(s);
  }
  // The form: the step asked for (a correction of a recorded step, or the next one), else the
  // next step to record.
  int form_step = next;
  if (extra.contains("meldcode_step")) form_step = extra["meldcode_step"].get<int>();
  if (form_step < 1 || form_step > concerns::kMeldcodeSteps || (next != 0 && form_step > next))
    form_step = next;
  json data = {{"steps", steps},
               {"complete", m.complete()},
               {"started", !m.entries.empty()},
               {"advice", m.advice().empty() ? "" : t(ctx, "meldcode.advice." + m.advice())}};
  if (form_step != 0) data["form"] = meldcode_form(ctx, m, form_step, extra);
  return data;
}

// --- a concern's page --------------------------------------------------------------------------

http::Response show_page(app::RequestContext& ctx, int status, const json& extra) {
  auto conn = ctx.services.db.acquire();
  auto x = concerns::get_concern(*conn, ctx.actor(), ctx.param("id"));
  if (!x) return error_page(ctx, x.error());
  json data = {{"concern", concern_view(ctx, *x)}};
  if (!x->staff_view) return page(ctx, "concerns/show", "concern.title_own", data, status);

  json history = json::array();
  for (const auto& a : x->history)
    history.push_back({{"date", display_date(a.at)},
                       {"action", t(ctx, "concern.action." + a.action)},
                       {"by", a.by_name},
                       {"text", paragraphs(a.text)}});
  data["history"] = history;
  data["has_history"] = !history.empty();
  data["can_act"] = auth::allowed(*ctx.principal, auth::Action::concern_act);
  const std::string acted = value_or(extra, "action", "").get<std::string>();
  auto form_for = [&](const std::string& action, const std::string& label, FieldOptions o) {
    return Form(acted == action ? value_or(extra, "action_values", json::object()) : json::object(),
                acted == action ? errors_from(extra, "action_errors")
                                : std::map<std::string, std::string>{},
                action + "-")
        .textarea("text", label, o)
        .json();
  };
  const int max_text = static_cast<int>(concerns::kMaxActionText);
  data["acknowledge_form"] =
      form_for("acknowledge", "concern.field.acknowledge_text", {.maxlength = max_text, .rows = 2});
  data["note_form"] =
      form_for("note", "concern.field.note", {.required = true, .maxlength = max_text, .rows = 4});
  data["resolve_form"] = form_for(
      "resolve", "concern.field.outcome",
      {.hint = "concern.field.outcome_hint", .required = true, .maxlength = max_text, .rows = 4});
  if (extra.contains("problem")) data["problem"] = extra["problem"];

  if (auth::allowed(*ctx.principal, auth::Action::meldcode_read)) {
    auto m = concerns::get_meldcode(*conn, ctx.actor(), x->id);
    if (!m) return error_page(ctx, m.error());
    json asked = extra;
    if (!asked.contains("meldcode_step")) {
      for (const auto& [k, v] : http::parse_query(ctx.request.query).value_or(http::Params{})) {
        int step = 0;
        if (k == "meldcode_stap" &&
            std::from_chars(v.data(), v.data() + v.size(), step).ec == std::errc())
          asked["meldcode_step"] = step;
      }
    }
    json meldcode = meldcode_view(ctx, *m, asked);
    const bool prominent = concerns::suggests_meldcode(x->category);
    meldcode["prominent"] = prominent;
    meldcode["collapsed"] = !prominent;
    // Open the collapsed section when it holds something: steps, an error, a correction.
    meldcode["expanded"] = m->entries.size() > 0 || asked.contains("meldcode_step") ||
                           asked.contains("meldcode_errors") || asked.contains("meldcode_problem");
    meldcode["can_record"] = auth::allowed(*ctx.principal, auth::Action::meldcode_record);
    data["meldcode"] = meldcode;
  }
  return page(ctx, "concerns/show", "concern.title", data, status);
}

http::Response show(app::RequestContext& ctx) { return show_page(ctx, 200, json::object()); }

http::Response act(app::RequestContext& ctx) {
  const std::string action = ctx.field("action");
  auto conn = ctx.services.db.acquire();
  auto x = concerns::act_on_concern(*conn, ctx.actor(), ctx.param("id"), action, ctx.field("text"));
  if (!x) {
    const auto& e = x.error();
    if (e.kind == ErrorKind::invalid)
      return show_page(ctx, 422,
                       {{"action", action},
                        {"action_errors", json(e.fields)},
                        {"action_values", {{"text", ctx.field("text")}}}});
    if (e.kind == ErrorKind::conflict) return show_page(ctx, 409, {{"problem", t(ctx, e.message)}});
    return error_page(ctx, e);
  }
  flash(ctx, "concern.acted." + (action == "note" || action == "resolve" ? action : "acknowledge"));
  return http::Response::redirect("/signalen/" + x->id);
}

http::Response record_step(app::RequestContext& ctx) {
  concerns::MeldcodeInput input;
  const std::string step_text = ctx.field("step");
  if (std::from_chars(step_text.data(), step_text.data() + step_text.size(), input.step).ec !=
      std::errc())
    input.step = 0;
  input.date = ctx.field("date");
  input.summary = ctx.field("summary");
  input.decision = ctx.field("decision");
  input.help_given = ctx.field("help_given");
  input.organisations_involved = ctx.field("organisations_involved");
  input.deviation_reason = ctx.field("deviation_reason");
  json values = {{"date", input.date},
                 {"summary", input.summary},
                 {"decision", input.decision},
                 {"help_given", input.help_given},
                 {"organisations_involved", input.organisations_involved},
                 {"deviation_reason", input.deviation_reason}};
  if (input.step == concerns::kAssessmentStep) {
    input.answers.emplace();
    for (const auto& q : concerns::AssessmentFramework::instance().questions()) {
      const std::string answer = ctx.field("answer_" + q.code);
      const std::string explanation = ctx.field("explanation_" + q.code);
      values["answer_" + q.code] = answer;
      values["explanation_" + q.code] = explanation;
      if (!answer.empty() || !explanation.empty()) (*input.answers)[q.code] = {answer, explanation};
    }
  }
  auto conn = ctx.services.db.acquire();
  auto entry = concerns::record_meldcode_step(*conn, ctx.actor(), ctx.param("id"), input);
  if (!entry) {
    const auto& e = entry.error();
    json again = {{"meldcode_values", values}, {"meldcode_step", input.step}};
    if (e.kind == ErrorKind::invalid) {
      again["meldcode_errors"] = json(e.fields);
      return show_page(ctx, 422, again);
    }
    if (e.kind == ErrorKind::conflict) {
      again["meldcode_problem"] = t(ctx, e.message);
      // The form shows the step that is missing, so it can be recorded first.
      again.erase("meldcode_values");
      again["meldcode_step"] = concerns::missing_step_of(e);
      return show_page(ctx, 409, again);
    }
    return error_page(ctx, e);
  }
  flash(ctx, "meldcode.recorded");
  return http::Response::redirect("/signalen/" + ctx.param("id") + "#meldcode");
}

// --- lists ---------------------------------------------------------------------------------------

// The coordinator's list. Volunteers have their own page.
http::Response list(app::RequestContext& ctx) {
  if (!auth::allowed(*ctx.principal, auth::Action::concern_act))
    return http::Response::redirect("/mijn-signalen");
  concerns::ConcernFilter filter;
  filter.unresolved_only = true;
  std::string shown = "unresolved";
  for (const auto& [k, v] : http::parse_query(ctx.request.query).value_or(http::Params{})) {
    if (k == "status" && !v.empty() && v != "unresolved") {
      shown = v;
      filter.unresolved_only = false;
      if (v != "all") filter.status = v;
    }
    if (k == "cursor" && !v.empty()) filter.page.cursor = v;
  }
  filter.page.limit = 50;
  auto conn = ctx.services.db.acquire();
  auto result = concerns::list_concerns(*conn, ctx.actor(), filter);
  if (!result)
    return error_page(
        ctx, result.error().kind == ErrorKind::invalid ? Error::not_found() : result.error());
  json items = json::array();
  for (const auto& x : result->items) items.push_back(concern_view(ctx, x));
  json filters = json::array();
  for (const std::string f : {"unresolved", "open", "acknowledged", "resolved", "all"})
    filters.push_back({{"href", f == "unresolved" ? "/signalen" : "/signalen?status=" + f},
                       {"label", "concerns.filter." + f},
                       {"current", f == shown},
                       {"first", f == "unresolved"}});
  json data = {{"items", items}, {"empty", items.empty()}, {"filters", filters}};
  if (result->next_cursor)
    data["next_href"] = "/signalen?" + (shown == "unresolved" ? "" : "status=" + shown + "&") +
                        "cursor=" + http::percent_encode(*result->next_cursor);
  return page(ctx, "concerns/list", "concerns.title", data);
}

// What the signed-in user raised, with its status; and where to raise a new one.
http::Response mine(app::RequestContext& ctx) {
  concerns::ConcernFilter filter;
  filter.raised_by_me = true;
  filter.page.limit = 100;
  for (const auto& [k, v] : http::parse_query(ctx.request.query).value_or(http::Params{}))
    if (k == "cursor" && !v.empty()) filter.page.cursor = v;
  auto conn = ctx.services.db.acquire();
  auto result = concerns::list_concerns(*conn, ctx.actor(), filter);
  if (!result)
    return error_page(
        ctx, result.error().kind == ErrorKind::invalid ? Error::not_found() : result.error());
  json items = json::array();
  for (const auto& x : result->items) items.push_back(concern_view(ctx, x));
  json raise = json::array();
  if (ctx.principal->role == auth::Role::volunteer &&
      auth::allowed(*ctx.principal, auth::Action::concern_raise)) {
    matches::MatchFilter running;
    running.page.limit = 10;
    if (auto own = matches::list_matches(*conn, ctx.actor(), running))
      for (const auto& m : own->items)
        raise.push_back({{"match_id", m.id}, {"family_name", m.family_name}});
  }
  json data = {{"items", items}, {"empty", items.empty()}, {"raise", raise}};
  if (result->next_cursor)
    data["next_href"] = "/mijn-signalen?cursor=" + http::percent_encode(*result->next_cursor);
  return page(ctx, "concerns/mine", "concerns.mine_title", data);
}

// --- raising a concern ---------------------------------------------------------------------------

http::Response raise_page(app::RequestContext& ctx, int status, const json& values,
                          const std::map<std::string, std::string>& errors) {
  auto conn = ctx.services.db.acquire();
  auto target = concerns::raise_target(*conn, ctx.actor(), ctx.param("id"));
  if (!target) return error_page(ctx, target.error());
  std::vector<Choice> severities, categories;
  for (const auto& s : concerns::severities())
    severities.push_back({s, "concern.severity_choice." + s});
  for (const auto& c : concerns::categories()) categories.push_back({c, "concern.category." + c});
  json form = Form(values, errors, "concern-")
                  .radios("severity", "concern.field.severity", severities,
                          {.hint = "concern.field.severity_hint", .required = true})
                  .radios("category", "concern.field.category", categories, {.required = true})
                  .textarea("description", "concern.field.description",
                            {.hint = "concern.field.description_hint",
                             .required = true,
                             .maxlength = static_cast<int>(concerns::kMaxDescription),
                             .rows = 6})
                  .json();
  return page(
      ctx, "concerns/new", "concern.new_title",
      {{"match_id", target->match_id}, {"family_name", target->family_name}, {"form", form}},
      status);
}

http::Response new_form(app::RequestContext& ctx) {
  return raise_page(ctx, 200, json::object(), {});
}

http::Response raise(app::RequestContext& ctx) {
  concerns::NewConcern input{ctx.field("severity"), ctx.field("category"),
                             ctx.field("description")};
  auto conn = ctx.services.db.acquire();
  auto created = concerns::raise_concern(*conn, ctx.actor(), ctx.param("id"), input,
                                         ctx.services.config.base_url);
  if (!created) {
    if (created.error().kind == ErrorKind::invalid)
      return raise_page(ctx, 422,
                        {{"severity", input.severity},
                         {"category", input.category},
                         {"description", input.description}},
                        created.error().fields);
    return error_page(ctx, created.error());
  }
  flash(ctx, created->severity == "urgent" ? "concern.raised_urgent" : "concern.raised");
  return http::Response::redirect("/");
}

}  // namespace

void add_concern_pages(app::AppRouter& router) {
  using auth::Action;
  router.add("GET", "/signalen", Action::concern_list, list);
  router.add("GET", "/mijn-signalen", Action::concern_list, mine);
  router.add("GET", "/signalen/{id}", Action::concern_list, show);
  router.add("POST", "/signalen/{id}/actie", Action::concern_act, act);
  router.add("POST", "/signalen/{id}/meldcode", Action::meldcode_record, record_step);
  router.add("GET", "/koppelingen/{id}/signaal/nieuw", Action::concern_raise, new_form);
  router.add("POST", "/koppelingen/{id}/signaal", Action::concern_raise, raise);
}

}  // namespace oploop::web
