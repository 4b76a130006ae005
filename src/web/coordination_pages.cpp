// Support session pages (/begeleiding): what is coming up first, then what was; planning a
// session; a session's page with its attendance (checkboxes) and the staff's notes. A volunteer
// sees only their own sessions, on a phone, without notes. The partner consultation and time
// pages register here too (consultation_pages.cpp, time_pages.cpp).
#include "app/app.hpp"
#include "auth/policy.hpp"
#include "coordination/week.hpp"
#include "core/clock.hpp"
#include "i18n/catalogue.hpp"
#include "organisations/organisations.hpp"
#include "web/coordination_views.hpp"
#include "web/form.hpp"
#include "web/page.hpp"
#include "web/view_models.hpp"

namespace oploop::web {

void add_consultation_pages(app::AppRouter& router);
void add_time_pages(app::AppRouter& router);

namespace {

using coordination::SupportSession;

bool is_staff(const app::RequestContext& ctx) {
  return ctx.principal->role != auth::Role::volunteer;
}

std::string today_of(const app::RequestContext& ctx) {
  return amsterdam_date(ctx.services.clock.now());
}

nlohmann::json summaries(const app::RequestContext& ctx, const std::vector<SupportSession>& list) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& s : list) out.push_back(session_summary(ctx, s));
  return out;
}

// Upcoming (today onwards, soonest first), then the past (newest first, paged by ?eerder=).
http::Response list(app::RequestContext& ctx) {
  std::optional<std::string> cursor;
  for (const auto& [k, v] : http::parse_query(ctx.request.query).value_or(http::Params{}))
    if (k == "eerder" && !v.empty()) cursor = v;
  const std::string today = today_of(ctx);
  auto conn = ctx.services.db.acquire();
  coordination::SessionFilter upcoming;
  upcoming.from = today;
  upcoming.page.limit = 50;
  auto coming = coordination::list_sessions(*conn, ctx.actor(), upcoming);
  coordination::SessionFilter before;
  before.to = add_days(today, -1);
  before.newest_first = true;
  before.page.limit = 20;
  before.page.cursor = cursor;
  auto past = coordination::list_sessions(*conn, ctx.actor(), before);
  if (!coming) return error_page(ctx, coming.error());
  if (!past)
    return error_page(ctx,
                      past.error().kind == ErrorKind::invalid ? Error::not_found() : past.error());
  nlohmann::json data = {
      {"upcoming", summaries(ctx, coming->items)},
      {"past", summaries(ctx, past->items)},
      {"is_staff", is_staff(ctx)},
      {"can_manage", auth::allowed(*ctx.principal, auth::Action::support_session_manage)}};
  data["upcoming_empty"] = data["upcoming"].empty();
  data["past_empty"] = data["past"].empty();
  if (past->next_cursor)
    data["past_next_href"] = "/begeleiding?eerder=" + http::percent_encode(*past->next_cursor);
  return page(ctx, "coordination/sessions", "coordination.sessions.title", data);
}

std::vector<Choice> kind_choices() {
  std::vector<Choice> out;
  for (const auto& k : coordination::session_kinds()) out.push_back({k, "coordination.kind." + k});
  return out;
}

// A coordinator plans for one of their teams; a project lead also for the whole organisation.
std::vector<Choice> team_choices(app::RequestContext& ctx, storage::Connection& c) {
  std::vector<Choice> out;
  const auto& p = *ctx.principal;
  const bool whole =
      auth::scope_of(p.role, auth::Action::support_session_manage) == auth::Scope::organisation;
  if (whole) out.push_back({"", "coordination.session.whole_organisation"});
  for (const auto& team : organisations::list_teams(c, p.organisation_id))
    if (whole || std::find(p.team_ids.begin(), p.team_ids.end(), team.id) != p.team_ids.end())
      out.push_back({team.id, team.name});
  return out;
}

http::Response new_form(app::RequestContext& ctx, const nlohmann::json& values,
                        const std::vector<std::string>& invited,
                        std::map<std::string, std::string> errors, int status) {
  auto conn = ctx.services.db.acquire();
  std::vector<Choice> volunteers;
  for (const auto& v : coordination::invitable_volunteers(*conn, ctx.actor()))
    volunteers.push_back({v.id, v.name});
  auto data =
      Form(values, errors)
          .select("kind", "coordination.session.field.kind", kind_choices(), {.required = true})
          .text("title", "coordination.session.field.title", {.maxlength = 200})
          .text("date", "coordination.session.field.date", {.type = "date", .required = true})
          .text("start_time", "coordination.session.field.start_time",
                {.type = "time", .hint = "coordination.session.hint.start_time"})
          .text("duration_minutes", "coordination.session.field.duration_minutes",
                {.type = "number",
                 .inputmode = "numeric",
                 .width = "house-number-size",
                 .required = true})
          .select("team_id", "coordination.session.field.team", team_choices(ctx, *conn))
          .checkboxes("volunteer_ids", volunteers, invited)
          .checkbox("basic_training", "coordination.session.field.basic_training",
                    {.hint = "coordination.session.hint.basic_training"})
          .textarea("notes", "coordination.session.field.notes",
                    {.hint = "coordination.session.hint.notes", .maxlength = 4000, .rows = 4})
          .json();
  data["has_volunteers"] = !volunteers.empty();
  if (auto it = errors.find("volunteer_ids"); it != errors.end())
    data["volunteer_ids_error"] = it->second;
  return page(ctx, "coordination/session_new", "coordination.session.new_title", data, status);
}

http::Response new_page(app::RequestContext& ctx) {
  return new_form(ctx,
                  {{"date", today_of(ctx)}, {"duration_minutes", "60"}, {"kind", "supervision"}},
                  {}, {}, 200);
}

int minutes_of(const std::string& field) {
  try {
    std::size_t used = 0;
    const int n = std::stoi(field, &used);
    return used == field.size() ? n : 0;
  } catch (const std::exception&) {
    return 0;
  }
}

// An error key, or for unknown volunteers the message naming them (plain text).
std::map<std::string, std::string> form_errors(const app::RequestContext& ctx,
                                               const coordination::SessionError& e) {
  auto errors = e.error.fields;
  if (!e.unknown_volunteer_ids.empty()) {
    std::string ids;
    for (const auto& id : e.unknown_volunteer_ids) ids += (ids.empty() ? "" : ", ") + id;
    errors["volunteer_ids"] = i18n::Catalogue::instance().text(
        ctx.language, "coordination.validation.unknown_volunteers", {{"ids", ids}});
  }
  return errors;
}

http::Response create(app::RequestContext& ctx) {
  coordination::SessionInput in;
  in.kind = ctx.field("kind");
  in.title = ctx.field("title");
  in.date = ctx.field("date");
  in.start_time = ctx.field("start_time");
  in.duration_minutes = minutes_of(ctx.field("duration_minutes"));
  if (ctx.has_field("team_id")) in.team_id = ctx.field("team_id");
  in.volunteer_ids = ctx.fields("volunteer_ids");
  in.basic_training = !ctx.field("basic_training").empty();
  in.notes = ctx.field("notes");
  auto conn = ctx.services.db.acquire();
  auto created = coordination::create_session(*conn, ctx.actor(), in);
  if (!created) {
    const auto& e = created.error();
    if (e.error.kind != ErrorKind::invalid) return error_page(ctx, e.error);
    nlohmann::json values = {{"kind", in.kind},
                             {"title", in.title},
                             {"date", in.date},
                             {"start_time", in.start_time},
                             {"duration_minutes", ctx.field("duration_minutes")},
                             {"team_id", ctx.field("team_id")},
                             {"basic_training", in.basic_training},
                             {"notes", in.notes}};
    return new_form(ctx, values, in.volunteer_ids, form_errors(ctx, e), 422);
  }
  flash(ctx, "coordination.session.created");
  return http::Response::redirect("/begeleiding/" + created->id);
}

http::Response session_page(app::RequestContext& ctx, int status, const nlohmann::json& extra) {
  auto conn = ctx.services.db.acquire();
  auto s = coordination::get_session(*conn, ctx.actor(), ctx.param("id"));
  if (!s) return error_page(ctx, s.error());
  const std::string today = today_of(ctx);
  nlohmann::json view = session_summary(ctx, *s);
  std::string team_name;
  if (s->team_id)
    if (auto team = organisations::find_team_by_id(*conn, *s->team_id)) team_name = team->name;
  view["team"] = team_name;
  view["notes"] = s->notes;
  nlohmann::json attendees = nlohmann::json::array();
  std::vector<Choice> choices;
  std::vector<std::string> present;
  for (const auto& a : s->attendees) {
    attendees.push_back({{"name", a.name}, {"attended", a.attended}});
    choices.push_back({a.volunteer_id, a.name});
    if (a.attended) present.push_back(a.volunteer_id);
  }
  const bool manage = auth::allowed(*ctx.principal, auth::Action::support_session_manage);
  nlohmann::json data = {{"session", view},
                         {"attendees", attendees},
                         {"has_attendees", !attendees.empty()},
                         {"is_staff", is_staff(ctx)},
                         {"can_manage", manage},
                         {"can_mark", manage && s->date <= today && !choices.empty()},
                         {"too_early", manage && s->date > today},
                         {"attendance_form", Form(nlohmann::json::object(), {}, "attendance-")
                                                 .checkboxes("attended", choices, present)
                                                 .json()}};
  nlohmann::json notes_values = {{"notes", s->notes}};
  std::map<std::string, std::string> notes_errors;
  if (extra.contains("notes_values")) notes_values = extra["notes_values"];
  if (extra.contains("notes_errors"))
    for (auto& [k, v] : extra["notes_errors"].items()) notes_errors[k] = v.get<std::string>();
  data["notes_form"] =
      Form(notes_values, notes_errors, "notes-")
          .textarea("notes", "coordination.session.field.notes",
                    {.hint = "coordination.session.hint.notes", .maxlength = 4000, .rows = 5})
          .json();
  if (extra.contains("problem")) data["problem"] = extra["problem"];
  return page(ctx, "coordination/session", "coordination.session.title", data, status);
}

http::Response show(app::RequestContext& ctx) {
  return session_page(ctx, 200, nlohmann::json::object());
}

http::Response mark_attendance(app::RequestContext& ctx) {
  auto conn = ctx.services.db.acquire();
  auto s =
      coordination::record_attendance(*conn, ctx.actor(), ctx.param("id"), ctx.fields("attended"));
  if (!s) {
    const auto& e = s.error();
    if (e.error.kind == ErrorKind::conflict)
      return session_page(ctx, 409, {{"problem", t(ctx, e.error.message)}});
    if (e.error.kind == ErrorKind::invalid) {
      std::string message;
      for (const auto& [field, text] : form_errors(ctx, e))
        message += (message.empty() ? "" : " ") + t(ctx, text);
      return session_page(ctx, 422, {{"problem", message}});
    }
    return error_page(ctx, e.error);
  }
  flash(ctx, "coordination.session.attendance_saved");
  return http::Response::redirect("/begeleiding/" + s->id);
}

http::Response save_notes(app::RequestContext& ctx) {
  coordination::SessionPatch patch;
  patch.notes = ctx.field("notes");
  auto conn = ctx.services.db.acquire();
  auto s = coordination::update_session(*conn, ctx.actor(), ctx.param("id"), patch);
  if (!s) {
    const auto& e = s.error();
    if (e.error.kind != ErrorKind::invalid) return error_page(ctx, e.error);
    auto fields = e.error.fields;
    // Only the notes were sent: anything else wrong with the session is said above the form.
    if (!fields.contains("notes")) {
      std::string message;
      for (const auto& [field, key] : form_errors(ctx, e))
        message += (message.empty() ? "" : " ") + t(ctx, key);
      return session_page(ctx, 422, {{"problem", message}});
    }
    return session_page(ctx, 422,
                        {{"notes_values", {{"notes", ctx.field("notes")}}},
                         {"notes_errors", {{"notes", fields.at("notes")}}}});
  }
  flash(ctx, "coordination.session.notes_saved");
  return http::Response::redirect("/begeleiding/" + s->id);
}

}  // namespace

void add_coordination_pages(app::AppRouter& router) {
  using auth::Action;
  router.add("GET", "/begeleiding", Action::support_session_list, list);
  router.add("GET", "/begeleiding/nieuw", Action::support_session_manage, new_page);
  router.add("POST", "/begeleiding", Action::support_session_manage, create);
  router.add("GET", "/begeleiding/{id}", Action::support_session_list, show);
  router.add("POST", "/begeleiding/{id}/aanwezigheid", Action::support_session_manage,
             mark_attendance);
  router.add("POST", "/begeleiding/{id}/notities", Action::support_session_manage, save_notes);
  add_consultation_pages(router);
  add_time_pages(router);
}

}  // namespace oploop::web
