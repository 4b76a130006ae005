// /api/v1/support-sessions, /api/v1/partner-consultations and /api/v1/time-entries — thin
// adapters over coordination/. A volunteer's view of a session carries no notes.
#include "api/handler.hpp"
#include "app/app.hpp"
#include "coordination/partner_consultations.hpp"
#include "coordination/support_sessions.hpp"
#include "coordination/time_entries.hpp"
#include "i18n/catalogue.hpp"

namespace oploop::api {
namespace {

using nlohmann::json;

json or_null(const std::string& s) { return s.empty() ? json(nullptr) : json(s); }
json or_null(const std::optional<std::string>& s) { return s ? json(*s) : json(nullptr); }

// A whole number within ±1,000,000 (ranges are the domain's to check); 0 when absent.
int integer(const json& body, const char* field, Reader& in) {
  if (!body.contains(field) || body.at(field).is_null()) return 0;
  const auto& v = body.at(field);
  if (!v.is_number_integer() || v.get<long long>() < -1000000 || v.get<long long>() > 1000000) {
    in.error(field, "validation.type_integer");
    return 0;
  }
  return v.get<int>();
}

std::optional<std::string> param(const std::map<std::string, std::string>& query,
                                 const char* name) {
  auto it = query.find(name);
  if (it == query.end() || it->second.empty()) return std::nullopt;
  return it->second;
}

// --- support sessions -------------------------------------------------------------------------

json to_json(const coordination::SupportSession& s, auth::Role role) {
  json attendees = json::array();
  json ids = json::array();
  for (const auto& a : s.attendees) {
    attendees.push_back(
        {{"volunteer_id", a.volunteer_id}, {"name", a.name}, {"attended", a.attended}});
    ids.push_back(a.volunteer_id);
  }
  json out = {{"id", s.id},
              {"kind", s.kind},
              {"title", s.title},
              {"date", s.date},
              {"start_time", or_null(s.start_time)},
              {"duration_minutes", s.duration_minutes},
              {"team_id", or_null(s.team_id)},
              {"basic_training", s.basic_training},
              {"volunteer_ids", ids},
              {"attendees", attendees},
              {"created_at", s.created_at},
              {"updated_at", s.updated_at}};
  // The notes are the coordinator's: a volunteer's answer does not even have the field.
  if (role != auth::Role::volunteer) out["notes"] = s.notes;
  return out;
}

http::Response session_problem(const coordination::SessionError& e, const std::string& language) {
  auto res = problem(e.error, language);
  if (e.unknown_volunteer_ids.empty()) return res;
  std::string ids;
  for (const auto& id : e.unknown_volunteer_ids) ids += (ids.empty() ? "" : ", ") + id;
  auto body = json::parse(res.body);
  body["errors"]["volunteer_ids"] = i18n::Catalogue::instance().text(
      language, "coordination.validation.unknown_volunteers", {{"ids", ids}});
  body["unknown_volunteer_ids"] = e.unknown_volunteer_ids;
  res.body = body.dump();
  return res;
}

http::Response list_sessions(app::RequestContext& ctx) {
  auto query = API_TRY(query_params(ctx));
  coordination::SessionFilter filter;
  filter.page = API_TRY(page_request(query));
  filter.from = param(query, "from");
  filter.to = param(query, "to");
  filter.kind = param(query, "kind");
  filter.volunteer_id = param(query, "volunteer_id");
  if (auto order = param(query, "order")) {
    if (*order != "soonest" && *order != "newest")
      return problem(Error::invalid({{"order", "validation.choice"}}), ctx.language);
    filter.newest_first = *order == "newest";
  }
  auto conn = ctx.services.db.acquire();
  auto page = API_TRY(coordination::list_sessions(*conn, ctx.actor(), filter));
  json items = json::array();
  for (const auto& s : page.items) items.push_back(to_json(s, ctx.principal->role));
  return json_response(200, list_body(items, page.next_cursor));
}

http::Response create_session(app::RequestContext& ctx) {
  auto body = API_TRY(json_body(ctx));
  Reader in(body);
  coordination::SessionInput s;
  s.kind = in.string("kind");
  s.title = in.string("title");
  s.date = in.string("date");
  s.start_time = in.string("start_time");
  s.duration_minutes = integer(body, "duration_minutes", in);
  s.team_id = in.optional_string("team_id");
  s.volunteer_ids = in.string_list("volunteer_ids");
  s.basic_training = in.boolean("basic_training");
  s.notes = in.string("notes");
  if (auto p = reader_problem(in, ctx)) return *p;
  auto conn = ctx.services.db.acquire();
  auto created = coordination::create_session(*conn, ctx.actor(), s);
  if (!created) return session_problem(created.error(), ctx.language);
  auto res = json_response(201, to_json(*created, ctx.principal->role));
  res.set_header("Location", "/api/v1/support-sessions/" + created->id);
  return res;
}

http::Response show_session(app::RequestContext& ctx) {
  auto conn = ctx.services.db.acquire();
  auto s = API_TRY(coordination::get_session(*conn, ctx.actor(), ctx.param("id")));
  return json_response(200, to_json(s, ctx.principal->role));
}

http::Response update_session(app::RequestContext& ctx) {
  auto body = API_TRY(json_body(ctx));
  Reader in(body);
  coordination::SessionPatch patch;
  if (in.has("kind")) patch.kind = in.string("kind");
  if (in.has("title")) patch.title = in.string("title");
  if (in.has("date")) patch.date = in.string("date");
  if (body.contains("start_time")) patch.start_time = in.string("start_time");
  if (in.has("duration_minutes")) patch.duration_minutes = integer(body, "duration_minutes", in);
  if (body.contains("team_id")) patch.team_id = in.optional_string("team_id");
  if (in.has("volunteer_ids")) patch.volunteer_ids = in.string_list("volunteer_ids");
  if (in.has("basic_training")) patch.basic_training = in.boolean("basic_training");
  if (in.has("notes")) patch.notes = in.string("notes");
  if (auto p = reader_problem(in, ctx)) return *p;
  auto conn = ctx.services.db.acquire();
  auto updated = coordination::update_session(*conn, ctx.actor(), ctx.param("id"), patch);
  if (!updated) return session_problem(updated.error(), ctx.language);
  return json_response(200, to_json(*updated, ctx.principal->role));
}

http::Response record_attendance(app::RequestContext& ctx) {
  auto body = API_TRY(json_body(ctx));
  Reader in(body);
  if (!in.has("volunteer_ids")) in.error("volunteer_ids", "validation.required");
  const auto attended = in.string_list("volunteer_ids");
  if (auto p = reader_problem(in, ctx)) return *p;
  auto conn = ctx.services.db.acquire();
  auto updated = coordination::record_attendance(*conn, ctx.actor(), ctx.param("id"), attended);
  if (!updated) return session_problem(updated.error(), ctx.language);
  return json_response(200, to_json(*updated, ctx.principal->role));
}

// --- partner consultations --------------------------------------------------------------------

json to_json(const coordination::PartnerConsultation& p) {
  return {{"id", p.id},
          {"family_id", p.family_id},
          {"family_name", p.family_name},
          {"partner_kind", p.partner_kind},
          {"partner_name", p.partner_name},
          {"date", p.date},
          {"summary", p.summary},
          {"created_by", or_null(p.created_by)},
          {"created_by_name", p.created_by_name},
          {"created_at", p.created_at}};
}

json consultation_list(const Page<coordination::PartnerConsultation>& page) {
  json items = json::array();
  for (const auto& p : page.items) items.push_back(to_json(p));
  return list_body(items, page.next_cursor);
}

http::Response create_consultation(app::RequestContext& ctx) {
  auto body = API_TRY(json_body(ctx));
  Reader in(body);
  coordination::ConsultationInput c{in.string("family_id"), in.string("partner_kind"),
                                    in.string("partner_name"), in.string("date"),
                                    in.string("summary")};
  if (auto p = reader_problem(in, ctx)) return *p;
  auto conn = ctx.services.db.acquire();
  auto created = API_TRY(coordination::record_consultation(*conn, ctx.actor(), c));
  auto res = json_response(201, to_json(created));
  res.set_header("Location", "/api/v1/partner-consultations/" + created.id);
  return res;
}

http::Response list_consultations(app::RequestContext& ctx) {
  auto query = API_TRY(query_params(ctx));
  coordination::ConsultationFilter filter;
  filter.page = API_TRY(page_request(query));
  filter.family_id = param(query, "family_id");
  filter.partner_kind = param(query, "partner_kind");
  filter.from = param(query, "from");
  filter.to = param(query, "to");
  auto conn = ctx.services.db.acquire();
  auto page = API_TRY(coordination::list_consultations(*conn, ctx.actor(), filter));
  return json_response(200, consultation_list(page));
}

http::Response show_consultation(app::RequestContext& ctx) {
  auto conn = ctx.services.db.acquire();
  auto p = API_TRY(coordination::get_consultation(*conn, ctx.actor(), ctx.param("id")));
  return json_response(200, to_json(p));
}

http::Response family_consultations(app::RequestContext& ctx) {
  auto query = API_TRY(query_params(ctx));
  auto page_request_ = API_TRY(page_request(query));
  auto conn = ctx.services.db.acquire();
  auto page = API_TRY(
      coordination::family_consultations(*conn, ctx.actor(), ctx.param("id"), page_request_));
  return json_response(200, consultation_list(page));
}

// --- time entries -----------------------------------------------------------------------------

json to_json(const coordination::TimeEntry& t) {
  return {{"id", t.id},
          {"user_id", t.user_id},
          {"user_name", t.user_name},
          {"date", t.date},
          {"minutes", t.minutes},
          {"kind", t.kind},
          {"family_id", or_null(t.family_id)},
          {"family_name", t.family_id ? json(t.family_name) : json(nullptr)},
          {"created_at", t.created_at}};
}

http::Response create_time_entry(app::RequestContext& ctx) {
  auto body = API_TRY(json_body(ctx));
  Reader in(body);
  coordination::TimeEntryInput t;
  t.date = in.string("date");
  t.minutes = integer(body, "minutes", in);
  t.kind = in.string("kind");
  t.family_id = in.optional_string("family_id");
  if (auto p = reader_problem(in, ctx)) return *p;
  auto conn = ctx.services.db.acquire();
  auto created = API_TRY(coordination::record_time(*conn, ctx.actor(), t));
  auto res = json_response(201, to_json(created));
  res.set_header("Location", "/api/v1/time-entries?from=" + created.date + "&to=" + created.date);
  return res;
}

http::Response list_time_entries(app::RequestContext& ctx) {
  auto query = API_TRY(query_params(ctx));
  coordination::TimeEntryFilter filter;
  filter.page = API_TRY(page_request(query));
  filter.from = param(query, "from");
  filter.to = param(query, "to");
  filter.user_id = param(query, "user_id");
  filter.family_id = param(query, "family_id");
  auto conn = ctx.services.db.acquire();
  auto list = API_TRY(coordination::list_time_entries(*conn, ctx.actor(), filter));
  json items = json::array();
  for (const auto& t : list.page.items) items.push_back(to_json(t));
  json body = list_body(items, list.page.next_cursor);
  body["total_minutes"] = list.total_minutes;
  return json_response(200, body);
}

http::Response delete_time_entry(app::RequestContext& ctx) {
  auto conn = ctx.services.db.acquire();
  API_TRY(coordination::delete_time_entry(*conn, ctx.actor(), ctx.param("id")));
  return http::Response::text(204, "");
}

}  // namespace

void add_coordination_routes(app::AppRouter& router) {
  using auth::Action;
  router.add("GET", "/api/v1/support-sessions", Action::support_session_list, list_sessions);
  router.add("POST", "/api/v1/support-sessions", Action::support_session_manage, create_session);
  router.add("GET", "/api/v1/support-sessions/{id}", Action::support_session_list, show_session);
  router.add("PATCH", "/api/v1/support-sessions/{id}", Action::support_session_manage,
             update_session);
  router.add("PUT", "/api/v1/support-sessions/{id}/attendance", Action::support_session_manage,
             record_attendance);
  router.add("GET", "/api/v1/partner-consultations", Action::partner_consultation_list,
             list_consultations);
  router.add("POST", "/api/v1/partner-consultations", Action::partner_consultation_manage,
             create_consultation);
  router.add("GET", "/api/v1/partner-consultations/{id}", Action::partner_consultation_list,
             show_consultation);
  router.add("GET", "/api/v1/families/{id}/partner-consultations",
             Action::partner_consultation_list, family_consultations);
  router.add("GET", "/api/v1/time-entries", Action::time_entry_list, list_time_entries);
  router.add("POST", "/api/v1/time-entries", Action::time_entry_manage, create_time_entry);
  router.add("DELETE", "/api/v1/time-entries/{id}", Action::time_entry_manage, delete_time_entry);
}

}  // namespace oploop::api
