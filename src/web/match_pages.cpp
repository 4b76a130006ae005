// Matching pages: suggestions for a waiting family (with reasons and near misses), proposing a
// match, and a match's lifecycle as steps.
#include "app/app.hpp"
#include "auth/policy.hpp"
#include "families/families.hpp"
#include "i18n/catalogue.hpp"
#include "matches/matches.hpp"
#include "matching/plan.hpp"
#include "matching/suggestions.hpp"
#include "measurements/measurements.hpp"
#include "web/form.hpp"
#include "web/page.hpp"
#include "web/view_models.hpp"

namespace oploop::web {
namespace {

std::string text_with(const app::RequestContext& ctx, const std::string& key,
                      const std::map<std::string, std::string>& args) {
  return i18n::Catalogue::instance().text(ctx.language, key, args);
}

nlohmann::json blockers_view(const app::RequestContext& ctx,
                             const std::vector<volunteers::Blocker>& blockers) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& b : blockers) {
    std::map<std::string, std::string> args;
    if (!b.date.empty()) args["date"] = format_date_nl(b.date);
    out.push_back(text_with(ctx, b.message, args));
  }
  return out;
}

http::Response suggestions_page(app::RequestContext& ctx, int status, const nlohmann::json& extra) {
  auto conn = ctx.services.db.acquire();
  auto family = families::get_family(*conn, ctx.actor(), ctx.param("id"));
  if (!family) return error_page(ctx, family.error());
  auto result = matching::suggest(*conn, ctx.actor(), family->id, 10);
  if (!result) return error_page(ctx, result.error());
  const std::string today = amsterdam_date(ctx.services.clock.now());
  nlohmann::json items = nlohmann::json::array();
  int rank = 0;
  for (const auto& s : result->items) {
    nlohmann::json reasons = nlohmann::json::array();
    for (const auto& r : s.reasons)
      reasons.push_back({{"criterion", t(ctx, "criterion." + r.criterion)},
                         {"points", r.points},
                         {"max_points", r.max_points},
                         {"explanation", i18n::Catalogue::instance().text_naming_language(
                                             ctx.language, r.explanation, r.args)}});
    items.push_back({{"rank", ++rank},
                     {"volunteer_id", s.volunteer_id},
                     {"volunteer_name", s.volunteer_name},
                     {"score", s.score},
                     {"reasons", reasons},
                     {"today", today}});
  }
  nlohmann::json near = nlohmann::json::array();
  for (const auto& n : result->near_misses)
    near.push_back({{"volunteer_id", n.volunteer_id},
                    {"volunteer_name", n.volunteer_name},
                    {"blockers", blockers_view(ctx, n.blockers)}});
  nlohmann::json data = {
      {"family", family_view(ctx, *family)},
      {"items", items},
      {"empty", items.empty()},
      {"near_misses", near},
      {"has_near_misses", !near.empty()},
      {"near_misses_more", result->near_misses_total > static_cast<int>(near.size())
                               ? text_with(ctx, "matching.near_misses_more",
                                           {{"shown", std::to_string(near.size())},
                                            {"total", std::to_string(result->near_misses_total)}})
                               : ""},
      {"waiting", family->status == "waiting"},
      {"today", today}};
  for (auto& [k, v] : extra.items()) data[k] = v;
  return page(ctx, "matches/suggestions", "matching.title", data, status);
}

http::Response suggestions(app::RequestContext& ctx) {
  return suggestions_page(ctx, 200, nlohmann::json::object());
}

http::Response propose(app::RequestContext& ctx) {
  matches::NewMatch input{ctx.field("family_id"), ctx.field("volunteer_id"),
                          ctx.field("introduction_date")};
  auto conn = ctx.services.db.acquire();
  auto created = matches::propose_match(*conn, ctx.actor(), input);
  if (!created) {
    const auto& e = created.error();
    if (e.error.kind == ErrorKind::invalid || e.error.kind == ErrorKind::conflict) {
      ctx.params["id"] = input.family_id;
      nlohmann::json problem = {
          {"message", t(ctx, e.error.kind == ErrorKind::conflict ? e.error.message
                                                                 : "match.volunteer_not_eligible")},
          {"blockers", blockers_view(ctx, e.blockers)}};
      for (const auto& [field, key] : e.error.fields) problem["fields"].push_back(t(ctx, key));
      return suggestions_page(ctx, e.error.kind == ErrorKind::conflict ? 409 : 422,
                              {{"problem", problem}});
    }
    return error_page(ctx, e.error);
  }
  flash(ctx, "match.proposed");
  return http::Response::redirect("/koppelingen/" + created->id);
}

nlohmann::json match_view(const app::RequestContext& ctx, const matches::Match& m) {
  nlohmann::json steps = nlohmann::json::array();
  const auto& all = matches::statuses();
  const auto at = std::find(all.begin(), all.end(), m.status) - all.begin();
  for (std::size_t i = 0; i < all.size(); ++i) {
    const std::string date = all[i] == "introduction"    ? m.introduction_date
                             : all[i] == "active"        ? m.started_on
                             : all[i] == "stepping_down" ? m.stepping_down_on
                             : all[i] == "closed"        ? m.closed_on
                                                         : m.created_at.substr(0, 10);
    steps.push_back({{"label", t(ctx, "match.status." + all[i])},
                     {"done", static_cast<long>(i) < at},
                     {"current", static_cast<long>(i) == at},
                     {"date", date.empty() ? "" : display_date(date)}});
  }
  nlohmann::json history = nlohmann::json::array();
  for (const auto& h : m.history)
    history.push_back({{"to", t(ctx, "match.status." + h.to)},
                       {"date", display_date(h.on_date)},
                       {"reason", h.reason.empty() ? "" : t(ctx, "closure." + h.reason)}});
  std::string next;
  if (m.status == "proposed")
    next = "introduction";
  else if (m.status == "introduction")
    next = "active";
  else if (m.status == "active")
    next = "stepping_down";
  const std::string today = amsterdam_date(ctx.services.clock.now());
  return {{"id", m.id},
          {"family_id", m.family_id},
          {"family_name", m.family_name},
          {"volunteer_id", m.volunteer_id},
          {"volunteer_name", m.volunteer_name},
          {"status_label", t(ctx, "match.status." + m.status)},
          {"steps", steps},
          {"history", history},
          {"open", m.status != "closed"},
          {"next", next},
          {"next_label", next.empty() ? "" : t(ctx, "match.to." + next)},
          {"closure_reason", m.closure_reason.empty() ? "" : t(ctx, "closure." + m.closure_reason)},
          {"months", m.started_on.empty() ? 0 : matches::months_between(m.started_on, today)}};
}

http::Response match_page(app::RequestContext& ctx, int status, const nlohmann::json& extra) {
  auto conn = ctx.services.db.acquire();
  auto m = matches::get_match(*conn, ctx.actor(), ctx.param("id"));
  if (!m) return error_page(ctx, m.error());
  std::vector<Choice> reasons;
  for (const auto& r : matches::closure_reasons()) reasons.push_back({r, "closure." + r});
  const std::string today = amsterdam_date(ctx.services.clock.now());
  nlohmann::json close_values =
      extra.contains("close_values") ? extra["close_values"] : nlohmann::json{{"date", today}};
  std::map<std::string, std::string> close_errors;
  if (extra.contains("close_errors"))
    for (auto& [k, v] : extra["close_errors"].items()) close_errors[k] = v.get<std::string>();
  std::map<std::string, std::string> next_errors;
  if (extra.contains("next_errors"))
    for (auto& [k, v] : extra["next_errors"].items()) next_errors[k] = v.get<std::string>();
  nlohmann::json data = {
      {"match", match_view(ctx, *m)},
      {"can_manage", auth::allowed(*ctx.principal, auth::Action::match_manage)},
      {"next_form", Form({{"date", today}}, next_errors, "next-")
                        .text("date", "match.field.date", {.type = "date", .required = true})
                        .json()},
      {"close_form",
       Form(close_values, close_errors, "close-")
           .select("reason", "match.field.closure_reason", reasons, {.required = true})
           .text("date", "match.field.date", {.type = "date", .required = true})
           .json()}};
  if (extra.contains("problem")) data["problem"] = extra["problem"];
  // Closing asks for the final measurement (SPEC §2.10) while the family has none.
  if ((m->status == "stepping_down" || m->status == "closed") &&
      auth::allowed(*ctx.principal, auth::Action::measurement_record) &&
      !measurements::has_wave(*conn, m->family_id, measurements::kFinal))
    data["final_measurement_href"] = "/gezinnen/" + m->family_id + "/metingen/nieuw?golf=2";
  return page(ctx, "matches/show", "match.title", data, status);
}

http::Response show(app::RequestContext& ctx) {
  return match_page(ctx, 200, nlohmann::json::object());
}

http::Response transition(app::RequestContext& ctx) {
  const std::string to = ctx.field("to");
  auto conn = ctx.services.db.acquire();
  auto m = matches::transition_match(*conn, ctx.actor(), ctx.param("id"), to, ctx.field("date"),
                                     ctx.field("reason"));
  if (!m) {
    const auto& e = m.error();
    if (e.kind == ErrorKind::invalid) {
      nlohmann::json errors(e.fields);
      if (to == "closed")
        return match_page(
            ctx, 422,
            {{"close_errors", errors},
             {"close_values", {{"date", ctx.field("date")}, {"reason", ctx.field("reason")}}}});
      return match_page(ctx, 422, {{"next_errors", errors}});
    }
    if (e.kind == ErrorKind::conflict)
      return match_page(ctx, 409, {{"problem", t(ctx, e.message)}});
    return error_page(ctx, e);
  }
  flash(ctx, "match.moved");
  return http::Response::redirect("/koppelingen/" + m->id);
}

http::Response list(app::RequestContext& ctx) {
  matches::MatchFilter filter;
  for (const auto& [k, v] : http::parse_query(ctx.request.query).value_or(http::Params{})) {
    if (k == "status" && !v.empty()) filter.status = v;
    if (k == "cursor" && !v.empty()) filter.page.cursor = v;
  }
  filter.page.limit = 50;
  auto conn = ctx.services.db.acquire();
  auto result = matches::list_matches(*conn, ctx.actor(), filter);
  if (!result)
    return error_page(
        ctx, result.error().kind == ErrorKind::invalid ? Error::not_found() : result.error());
  const std::string today = amsterdam_date(ctx.services.clock.now());
  nlohmann::json items = nlohmann::json::array();
  for (const auto& m : result->items) {
    const int months = m.started_on.empty() ? 0 : matches::months_between(m.started_on, today);
    items.push_back({{"id", m.id},
                     {"family_name", m.family_name},
                     {"volunteer_name", m.volunteer_name},
                     {"status_label", t(ctx, "match.status." + m.status)},
                     {"started_on", m.started_on.empty() ? "" : display_date(m.started_on)},
                     {"months", months},
                     {"nearing_end", m.status != "closed" && months >= 21}});
  }
  nlohmann::json data = {{"items", items}, {"empty", items.empty()}};
  if (result->next_cursor)
    data["next_href"] = "/koppelingen?cursor=" + http::percent_encode(*result->next_cursor);
  return page(ctx, "matches/list", "matches.title", data);
}

// The plan page: the optimal proposal for the whole waiting list, each pair one click from
// proposing it. Computed on every view (GET changes nothing).
http::Response plan_page(app::RequestContext& ctx) {
  auto conn = ctx.services.db.acquire();
  auto plan = matching::make_plan(*conn, ctx.actor(), std::nullopt, std::nullopt);
  if (!plan) return error_page(ctx, plan.error());
  const std::string today = amsterdam_date(ctx.services.clock.now());
  nlohmann::json items = nlohmann::json::array();
  for (const auto& a : plan->assignments)
    items.push_back({{"family_id", a.family_id},
                     {"family_name", a.family_name},
                     {"volunteer_id", a.volunteer_id},
                     {"volunteer_name", a.volunteer_name},
                     {"score", a.score},
                     {"today", today}});
  return page(ctx, "matches/plan", "plan.title",
              {{"items", items},
               {"empty", items.empty()},
               {"total", plan->total_score},
               {"families", plan->families_considered},
               {"volunteers", plan->volunteers_considered},
               {"unassigned", plan->unassigned_family_ids.size()}});
}

}  // namespace

void add_match_pages(app::AppRouter& router) {
  using auth::Action;
  router.add("GET", "/gezinnen/{id}/koppelen", Action::matching_suggest, suggestions);
  router.add("GET", "/koppelingen", Action::match_list, list);
  router.add("GET", "/koppelplan", Action::matching_suggest, plan_page);
  router.add("POST", "/koppelingen", Action::match_manage, propose);
  router.add("GET", "/koppelingen/{id}", Action::match_read, show);
  router.add("POST", "/koppelingen/{id}/stap", Action::match_manage, transition);
}

}  // namespace oploop::web
