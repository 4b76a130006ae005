// /api/v1/matches/{id}/contacts and /api/v1/contacts — thin adapters over contacts/.
#include <limits>

#include "api/handler.hpp"
#include "app/app.hpp"
#include "contacts/contacts.hpp"

namespace oploop::api {
namespace {

using nlohmann::json;

json null_if_empty(const std::string& s) { return s.empty() ? json(nullptr) : json(s); }

json to_json(const contacts::Contact& x) {
  json j = {{"id", x.id},
            {"match_id", x.match_id},
            {"status", x.status},
            {"date", x.date},
            {"minutes", x.minutes ? json(*x.minutes) : json(nullptr)},
            {"kind", null_if_empty(x.kind)},
            {"time", null_if_empty(x.time)},
            {"outside_office_hours", x.outside_office_hours},
            {"activities", x.activities},
            {"note", x.note},
            {"created_by", x.created_by},
            {"created_by_name", x.created_by_name},
            {"created_at", x.created_at},
            {"updated_at", x.updated_at},
            {"final_at", null_if_empty(x.final_at)},
            {"seen", !x.seen_at.empty()},
            {"seen_at", null_if_empty(x.seen_at)},
            {"seen_by", null_if_empty(x.seen_by)},
            {"seen_by_name", null_if_empty(x.seen_by_name)},
            {"reply", null_if_empty(x.reply)}};
  return j;
}

json with_revisions(const contacts::Contact& x) {
  json j = to_json(x);
  json revisions = json::array();
  for (const auto& r : x.revisions)
    revisions.push_back({{"changed_by", r.changed_by},
                         {"changed_by_name", r.changed_by_name},
                         {"changed_at", r.changed_at},
                         {"previous", json::parse(r.previous, nullptr, false)}});
  j["revisions"] = revisions;
  return j;
}

// An integer field. A number out of int range, or a fraction, is refused as out of range by the
// domain (-1); a value of another type is a type error here.
std::optional<int> minutes_from(const json& body, Reader& in) {
  if (!in.has("minutes")) return std::nullopt;
  const auto& v = body.at("minutes");
  if (v.is_number_integer()) {
    const auto n = v.get<long long>();
    if (n < std::numeric_limits<int>::min() || n > std::numeric_limits<int>::max()) return -1;
    return static_cast<int>(n);
  }
  if (v.is_number()) return -1;
  in.error("minutes", "validation.type_integer");
  return std::nullopt;
}

std::optional<bool> optional_boolean(Reader& in, const char* field) {
  if (!in.has(field)) return std::nullopt;
  return in.boolean(field);
}

http::Response list(app::RequestContext& ctx) {
  auto query = API_TRY(query_params(ctx));
  contacts::ContactFilter filter;
  filter.page = API_TRY(page_request(query));
  if (auto it = query.find("status"); it != query.end()) filter.status = it->second;
  auto conn = ctx.services.db.acquire();
  auto result = API_TRY(contacts::list_contacts(*conn, ctx.actor(), ctx.param("id"), filter));
  json items = json::array();
  for (const auto& x : result.page.items) items.push_back(to_json(x));
  return json_response(200, list_body(items, result.page.next_cursor));
}

http::Response create(app::RequestContext& ctx) {
  auto body = API_TRY(json_body(ctx));
  Reader in(body);
  contacts::ContactInput input;
  input.status = in.string("status");
  input.date = in.string("date");
  input.minutes = minutes_from(body, in);
  input.kind = in.string("kind");
  input.time = in.string("time");
  input.outside_office_hours = optional_boolean(in, "outside_office_hours");
  input.activities = in.string_list("activities");
  input.note = in.string("note");
  if (auto p = reader_problem(in, ctx)) return *p;
  auto conn = ctx.services.db.acquire();
  auto created = API_TRY(contacts::log_contact(*conn, ctx.actor(), ctx.param("id"), input));
  auto res = json_response(201, to_json(created));
  res.set_header("Location", "/api/v1/contacts/" + created.id);
  return res;
}

http::Response show(app::RequestContext& ctx) {
  auto conn = ctx.services.db.acquire();
  auto x = API_TRY(contacts::get_contact(*conn, ctx.actor(), ctx.param("id")));
  return json_response(200, with_revisions(x));
}

// Only the fields present change; null clears an optional one (minutes, kind, time).
http::Response correct(app::RequestContext& ctx) {
  auto body = API_TRY(json_body(ctx));
  Reader in(body);
  contacts::ContactPatch patch;
  auto present = [&](const char* field) { return body.contains(field); };
  if (in.has("status")) patch.status = in.string("status");
  if (in.has("date")) patch.date = in.string("date");
  if (present("minutes")) patch.minutes = minutes_from(body, in);
  if (present("kind")) patch.kind = in.string("kind");
  if (present("time")) patch.time = in.string("time");
  if (in.has("outside_office_hours"))
    patch.outside_office_hours = in.boolean("outside_office_hours");
  if (in.has("activities")) patch.activities = in.string_list("activities");
  if (present("note")) patch.note = in.string("note");
  if (auto p = reader_problem(in, ctx)) return *p;
  auto conn = ctx.services.db.acquire();
  auto x = API_TRY(contacts::correct_contact(*conn, ctx.actor(), ctx.param("id"), patch));
  return json_response(200, with_revisions(x));
}

http::Response seen(app::RequestContext& ctx) {
  auto body = API_TRY(json_body(ctx));
  Reader in(body);
  const std::string reply = in.string("reply");
  if (auto p = reader_problem(in, ctx)) return *p;
  auto conn = ctx.services.db.acquire();
  auto x = API_TRY(contacts::mark_seen(*conn, ctx.actor(), ctx.param("id"), reply));
  return json_response(200, to_json(x));
}

}  // namespace

void add_contact_routes(app::AppRouter& router) {
  using auth::Action;
  router.add("GET", "/api/v1/matches/{id}/contacts", Action::contact_list, list);
  router.add("POST", "/api/v1/matches/{id}/contacts", Action::contact_log, create);
  router.add("GET", "/api/v1/contacts/{id}", Action::contact_list, show);
  router.add("PATCH", "/api/v1/contacts/{id}", Action::contact_log, correct);
  // The coordinator's reaction; the domain refuses a volunteer (403).
  router.add("POST", "/api/v1/contacts/{id}/seen", Action::contact_log, seen);
}

}  // namespace oploop::api
