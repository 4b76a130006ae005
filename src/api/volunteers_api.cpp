// /api/v1/volunteers — thin adapter over volunteers/.
#include "api/handler.hpp"
#include "api/representations.hpp"
#include "app/app.hpp"
#include "volunteers/volunteers.hpp"

namespace oploop::api {
namespace {

std::string today(const app::RequestContext& ctx) {
  return amsterdam_date(ctx.services.clock.now());
}

int integer(Reader& in, const nlohmann::json& body, const char* field, int fallback) {
  if (!in.has(field)) return fallback;
  if (!body[field].is_number_integer()) {
    in.error(field, "validation.type_integer");
    return fallback;
  }
  return static_cast<int>(std::clamp<long long>(body[field].get<long long>(), -1000, 1000));
}

http::Response list(app::RequestContext& ctx) {
  auto query = API_TRY(query_params(ctx));
  volunteers::VolunteerFilter filter;
  filter.page = API_TRY(page_request(query));
  if (auto it = query.find("status"); it != query.end()) filter.status = it->second;
  if (auto it = query.find("language"); it != query.end()) filter.language = it->second;
  if (auto it = query.find("team"); it != query.end()) filter.team_id = it->second;
  auto conn = ctx.services.db.acquire();
  auto page = API_TRY(volunteers::list_volunteers(*conn, ctx.actor(), filter));
  nlohmann::json items = nlohmann::json::array();
  for (const auto& v : page.items) items.push_back(to_json(v, today(ctx), ctx.language));
  return json_response(200, list_body(items, page.next_cursor));
}

http::Response create(app::RequestContext& ctx) {
  auto body = API_TRY(json_body(ctx));
  Reader in(body);
  volunteers::VolunteerInput v;
  v.team_id = in.optional_string("team_id");
  v.user_id = in.optional_string("user_id");
  v.first_name = in.string("first_name");
  v.last_name = in.string("last_name");
  v.email = in.string("email");
  v.phone = in.string("phone");
  v.postcode = in.string("postcode");
  v.house_number = in.string("house_number");
  v.gender = in.string("gender");
  v.languages = in.string_list("languages");
  v.skills = in.string_list("skills");
  v.availability = in.string_list("availability");
  v.max_families = integer(in, body, "max_families", 1);
  v.max_distance_km = integer(in, body, "max_distance_km", 10);
  v.preferences = in.string("preferences");
  if (auto p = reader_problem(in, ctx)) return *p;
  auto conn = ctx.services.db.acquire();
  auto created = API_TRY(volunteers::create_volunteer(*conn, ctx.actor(), v));
  auto res = json_response(201, to_json(created, today(ctx), ctx.language));
  res.set_header("Location", "/api/v1/volunteers/" + created.id);
  return res;
}

http::Response show(app::RequestContext& ctx) {
  auto conn = ctx.services.db.acquire();
  auto v = API_TRY(volunteers::get_volunteer(*conn, ctx.actor(), ctx.param("id")));
  return json_response(200, to_json(v, today(ctx), ctx.language));
}

http::Response patch(app::RequestContext& ctx) {
  auto body = API_TRY(json_body(ctx));
  Reader in(body);
  volunteers::VolunteerPatch p;
  p.first_name = in.optional_string("first_name");
  p.last_name = in.optional_string("last_name");
  p.email = in.optional_string("email");
  p.phone = in.optional_string("phone");
  p.postcode = in.optional_string("postcode");
  p.house_number = in.optional_string("house_number");
  p.gender = in.optional_string("gender");
  p.preferences = in.optional_string("preferences");
  if (in.has("languages")) p.languages = in.string_list("languages");
  if (in.has("skills")) p.skills = in.string_list("skills");
  if (in.has("availability")) p.availability = in.string_list("availability");
  if (in.has("max_families")) p.max_families = integer(in, body, "max_families", 1);
  if (in.has("max_distance_km")) p.max_distance_km = integer(in, body, "max_distance_km", 10);
  for (const char* field : {"team_id", "user_id"}) {
    if (!body.contains(field)) continue;
    std::optional<std::string> value;
    if (!body[field].is_null()) value = in.string(field);
    (std::string(field) == "team_id" ? p.team_id : p.user_id) = value;
  }
  if (auto problem_response = reader_problem(in, ctx)) return *problem_response;
  auto conn = ctx.services.db.acquire();
  auto v = API_TRY(volunteers::update_volunteer(*conn, ctx.actor(), ctx.param("id"), p));
  return json_response(200, to_json(v, today(ctx), ctx.language));
}

http::Response screening(app::RequestContext& ctx) {
  auto body = API_TRY(json_body(ctx));
  Reader in(body);
  std::map<std::string, std::string> dates;
  for (const char* field : {"intake_on", "vog_issued_on", "training_completed_on", "code_signed_on",
                            "references_checked_on"}) {
    if (!body.contains(field)) continue;
    dates[field] = body[field].is_null() ? "" : in.string(field);
  }
  if (auto p = reader_problem(in, ctx)) return *p;
  auto conn = ctx.services.db.acquire();
  auto v = API_TRY(volunteers::update_screening(*conn, ctx.actor(), ctx.param("id"), dates));
  return json_response(200, to_json(v, today(ctx), ctx.language));
}

http::Response show_screening(app::RequestContext& ctx) {
  auto conn = ctx.services.db.acquire();
  auto v = API_TRY(volunteers::get_volunteer(*conn, ctx.actor(), ctx.param("id")));
  auto j = to_json(v, today(ctx), ctx.language);
  auto s = j["screening"];
  s["eligible"] = j["eligible"];
  s["blockers"] = j["blockers"];
  return json_response(200, s);
}

http::Response transition(app::RequestContext& ctx) {
  auto body = API_TRY(json_body(ctx));
  Reader in(body);
  const std::string to = in.string("to");
  const std::string reason = in.string("reason");
  if (auto p = reader_problem(in, ctx)) return *p;
  auto conn = ctx.services.db.acquire();
  auto v =
      API_TRY(volunteers::transition_volunteer(*conn, ctx.actor(), ctx.param("id"), to, reason));
  return json_response(200, to_json(v, today(ctx), ctx.language));
}

}  // namespace

void add_volunteer_routes(app::AppRouter& router) {
  using auth::Action;
  router.add("GET", "/api/v1/volunteers", Action::volunteer_list, list);
  router.add("POST", "/api/v1/volunteers", Action::volunteer_manage, create);
  router.add("GET", "/api/v1/volunteers/{id}", Action::volunteer_read, show);
  router.add("PATCH", "/api/v1/volunteers/{id}", Action::volunteer_manage, patch);
  router.add("GET", "/api/v1/volunteers/{id}/screening", Action::volunteer_read, show_screening);
  router.add("PUT", "/api/v1/volunteers/{id}/screening", Action::volunteer_manage, screening);
  router.add("POST", "/api/v1/volunteers/{id}/transition", Action::volunteer_manage, transition);
}

}  // namespace oploop::api
