// /api/v1/families — thin adapter over families/.
#include "api/handler.hpp"
#include "api/representations.hpp"
#include "app/app.hpp"
#include "families/families.hpp"

namespace oploop::api {
namespace {

http::Response list(app::RequestContext& ctx) {
  auto query = API_TRY(query_params(ctx));
  families::FamilyFilter filter;
  filter.page = API_TRY(page_request(query));
  if (auto it = query.find("status"); it != query.end()) filter.status = it->second;
  auto conn = ctx.services.db.acquire();
  auto page = API_TRY(families::list_families(*conn, ctx.actor(), filter));
  nlohmann::json items = nlohmann::json::array();
  const std::string today = amsterdam_date(ctx.services.clock.now());
  for (const auto& f : page.items) {
    auto j = to_json(f, ctx.principal->role);
    if (ctx.principal->role != auth::Role::volunteer && f.status == "waiting" &&
        !f.waiting_since.empty())
      j["days_waiting"] = days_between(f.waiting_since, today);
    items.push_back(std::move(j));
  }
  return json_response(200, list_body(items, page.next_cursor));
}

http::Response show(app::RequestContext& ctx) {
  auto conn = ctx.services.db.acquire();
  auto f = API_TRY(families::get_family(*conn, ctx.actor(), ctx.param("id")));
  return json_response(200, to_json(f, ctx.principal->role));
}

http::Response patch(app::RequestContext& ctx) {
  auto body = API_TRY(json_body(ctx));
  Reader in(body);
  families::FamilyPatch p;
  p.display_name = in.optional_string("display_name");
  p.postcode = in.optional_string("postcode");
  p.house_number = in.optional_string("house_number");
  p.city = in.optional_string("city");
  p.phone = in.optional_string("phone");
  p.wishes = in.optional_string("wishes");
  if (in.has("languages")) p.languages = in.string_list("languages");
  if (in.has("needs")) p.needs = in.string_list("needs");
  if (const auto* prefs = in.object("preferences")) {
    Reader pr(*prefs);
    families::Preferences value;
    value.volunteer_gender = pr.string("volunteer_gender");
    value.availability = pr.string_list("availability");
    for (auto& [k, v] : pr.errors()) in.error("preferences." + k, v);
    p.preferences = value;
  }
  if (const auto* care = in.array("formal_care")) {
    std::vector<families::FormalCare> list;
    for (const auto& item : *care) {
      if (!item.is_object()) {
        in.error("formal_care", "validation.type_object");
        break;
      }
      Reader cr(item);
      list.push_back({cr.string("agency"), cr.string("contact"), cr.string("since")});
      for (auto& [k, v] : cr.errors()) in.error("formal_care." + k, v);
    }
    p.formal_care = list;
  }
  // null clears, a string sets, absent leaves alone.
  for (const char* field : {"coordinator_id", "team_id"}) {
    if (!body.contains(field)) continue;
    std::optional<std::string> value;
    if (!body[field].is_null()) value = in.string(field);
    (std::string(field) == "team_id" ? p.team_id : p.coordinator_id) = value;
  }
  if (auto problem_response = reader_problem(in, ctx)) return *problem_response;
  auto conn = ctx.services.db.acquire();
  auto f = API_TRY(families::update_family(*conn, ctx.actor(), ctx.param("id"), p));
  return json_response(200, to_json(f, ctx.principal->role));
}

http::Response add_member(app::RequestContext& ctx) {
  auto body = API_TRY(json_body(ctx));
  Reader in(body);
  families::MemberInput m{in.string("first_name"), in.string("role"), in.string("birth_date")};
  if (auto p = reader_problem(in, ctx)) return *p;
  auto conn = ctx.services.db.acquire();
  auto member = API_TRY(families::add_member(*conn, ctx.actor(), ctx.param("id"), m));
  return json_response(201, to_json(member));
}

}  // namespace

void add_family_routes(app::AppRouter& router) {
  using auth::Action;
  router.add("GET", "/api/v1/families", Action::family_list, list);
  router.add("GET", "/api/v1/families/{id}", Action::family_read, show);
  router.add("PATCH", "/api/v1/families/{id}", Action::family_update, patch);
  router.add("POST", "/api/v1/families/{id}/members", Action::family_update, add_member);
}

}  // namespace oploop::api
