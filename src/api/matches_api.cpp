// /api/v1/matches and /api/v1/families/{id}/suggestions — thin adapters over matches/ and
// matching/.
#include "api/handler.hpp"
#include "api/representations.hpp"
#include "app/app.hpp"
#include "matches/matches.hpp"
#include "matching/plan.hpp"
#include "matching/suggestions.hpp"

namespace oploop::api {
namespace {

http::Response list(app::RequestContext& ctx) {
  auto query = API_TRY(query_params(ctx));
  matches::MatchFilter filter;
  filter.page = API_TRY(page_request(query));
  if (auto it = query.find("status"); it != query.end()) filter.status = it->second;
  if (auto it = query.find("family_id"); it != query.end()) filter.family_id = it->second;
  if (auto it = query.find("volunteer_id"); it != query.end()) filter.volunteer_id = it->second;
  auto conn = ctx.services.db.acquire();
  auto page = API_TRY(matches::list_matches(*conn, ctx.actor(), filter));
  nlohmann::json items = nlohmann::json::array();
  for (const auto& m : page.items) items.push_back(to_json(m));
  return json_response(200, list_body(items, page.next_cursor));
}

http::Response create(app::RequestContext& ctx) {
  auto body = API_TRY(json_body(ctx));
  Reader in(body);
  matches::NewMatch m{in.string("family_id"), in.string("volunteer_id"),
                      in.string("introduction_date")};
  if (auto p = reader_problem(in, ctx)) return *p;
  auto conn = ctx.services.db.acquire();
  auto created = matches::propose_match(*conn, ctx.actor(), m);
  if (!created) {
    auto res = problem(created.error().error, ctx.language);
    if (!created.error().blockers.empty()) {
      auto j = nlohmann::json::parse(res.body);
      nlohmann::json blockers = nlohmann::json::array();
      for (const auto& b : created.error().blockers) blockers.push_back(to_json(b, ctx.language));
      j["blockers"] = blockers;
      res.body = j.dump();
    }
    return res;
  }
  auto res = json_response(201, to_json(*created));
  res.set_header("Location", "/api/v1/matches/" + created->id);
  return res;
}

http::Response show(app::RequestContext& ctx) {
  auto conn = ctx.services.db.acquire();
  auto m = API_TRY(matches::get_match(*conn, ctx.actor(), ctx.param("id")));
  return json_response(200, to_json(m));
}

http::Response transition(app::RequestContext& ctx) {
  auto body = API_TRY(json_body(ctx));
  Reader in(body);
  const std::string to = in.string("to");
  const std::string date = in.string("date");
  const std::string reason = in.string("reason");
  if (auto p = reader_problem(in, ctx)) return *p;
  auto conn = ctx.services.db.acquire();
  auto m =
      API_TRY(matches::transition_match(*conn, ctx.actor(), ctx.param("id"), to, date, reason));
  return json_response(200, to_json(m));
}

http::Response suggestions(app::RequestContext& ctx) {
  auto query = API_TRY(query_params(ctx));
  int limit = 10;
  if (auto it = query.find("limit"); it != query.end()) {
    try {
      limit = std::stoi(it->second);
    } catch (const std::exception&) {
      limit = 0;
    }
  }
  auto conn = ctx.services.db.acquire();
  auto result = API_TRY(matching::suggest(*conn, ctx.actor(), ctx.param("id"), limit));
  nlohmann::json items = nlohmann::json::array();
  for (const auto& s : result.items) items.push_back(to_json(s, ctx.language));
  nlohmann::json near = nlohmann::json::array();
  for (const auto& n : result.near_misses) {
    nlohmann::json blockers = nlohmann::json::array();
    for (const auto& b : n.blockers) blockers.push_back(to_json(b, ctx.language));
    near.push_back({{"volunteer_id", n.volunteer_id},
                    {"volunteer_name", n.volunteer_name},
                    {"blockers", blockers}});
  }
  return json_response(
      200,
      {{"items", items}, {"near_misses", near}, {"near_misses_total", result.near_misses_total}});
}

http::Response plan(app::RequestContext& ctx) {
  auto body = API_TRY(json_body(ctx));
  Reader in(body);
  std::optional<std::vector<std::string>> family_ids, volunteer_ids;
  if (in.has("family_ids")) family_ids = in.string_list("family_ids");
  if (in.has("volunteer_ids")) volunteer_ids = in.string_list("volunteer_ids");
  if (auto p = reader_problem(in, ctx)) return *p;
  auto conn = ctx.services.db.acquire();
  auto result = API_TRY(matching::make_plan(*conn, ctx.actor(), family_ids, volunteer_ids));
  nlohmann::json assignments = nlohmann::json::array();
  for (const auto& a : result.assignments)
    assignments.push_back(
        {{"family_id", a.family_id}, {"volunteer_id", a.volunteer_id}, {"score", a.score}});
  return json_response(200, {{"assignments", assignments},
                             {"total_score", result.total_score},
                             {"unassigned_family_ids", result.unassigned_family_ids},
                             {"families_considered", result.families_considered},
                             {"volunteers_considered", result.volunteers_considered}});
}

}  // namespace

void add_match_routes(app::AppRouter& router) {
  using auth::Action;
  router.add("GET", "/api/v1/matches", Action::match_list, list);
  router.add("POST", "/api/v1/matches", Action::match_manage, create);
  router.add("GET", "/api/v1/matches/{id}", Action::match_read, show);
  router.add("POST", "/api/v1/matches/{id}/transition", Action::match_manage, transition);
  router.add("GET", "/api/v1/families/{id}/suggestions", Action::matching_suggest, suggestions);
  router.add("POST", "/api/v1/matching/plan", Action::matching_suggest, plan);
}

}  // namespace oploop::api
