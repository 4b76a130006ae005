// /api/v1/audit — the access log, for the project lead of the organisation. Reading it is
// itself logged.
#include "api/handler.hpp"
#include "app/app.hpp"
#include "audit/access_log.hpp"
#include "auth/gate.hpp"

namespace oploop::api {
namespace {

http::Response list(app::RequestContext& ctx) {
  auto query = API_TRY(query_params(ctx));
  auto page = API_TRY(page_request(query));
  audit::Query q;
  q.organisation_id = ctx.principal->organisation_id;
  q.limit = page.limit + 1;
  if (auto it = query.find("object"); it != query.end()) {
    const auto colon = it->second.find(':');
    if (colon == std::string::npos || colon == 0)
      return problem(Error::invalid({{"object", "validation.audit_object"}}), ctx.language);
    q.object_type = it->second.substr(0, colon);
    if (colon + 1 < it->second.size()) q.object_id = it->second.substr(colon + 1);
  }
  if (auto it = query.find("user"); it != query.end()) q.user_id = it->second;
  for (const char* bound : {"from", "to"}) {
    if (auto it = query.find(bound); it != query.end()) {
      if (!is_valid_date(it->second))
        return problem(Error::invalid({{bound, "validation.date"}}), ctx.language);
      (std::string(bound) == "from" ? q.from : q.to) = it->second;
    }
  }
  if (page.cursor) {
    auto decoded = decode_cursor(*page.cursor);
    if (!decoded) return problem(Error::invalid({{"cursor", "validation.cursor"}}), ctx.language);
    q.before_cursor = decoded->first + "|" + decoded->second;
  }
  auto conn = ctx.services.db.acquire();
  storage::Transaction tx(*conn);
  auto rows = audit::find(*conn, q);
  std::optional<std::string> next;
  if (static_cast<int>(rows.size()) > page.limit) {
    rows.pop_back();
    next = encode_cursor(rows.back().at, rows.back().id);
  }
  auth::Gate(*conn, ctx.actor())
      .log("view", "audit", q.object_type ? *q.object_type + ":" + q.object_id.value_or("") : "");
  tx.commit();
  nlohmann::json items = nlohmann::json::array();
  for (const auto& s : rows) {
    const auto& e = s.entry;
    items.push_back(
        {{"id", s.id},
         {"at", s.at},
         {"user_id", e.user_id.empty() ? nlohmann::json(nullptr) : nlohmann::json(e.user_id)},
         {"role", e.role},
         {"event", e.event},
         {"object_type", e.object_type},
         {"object_id", e.object_id},
         {"client_ip", e.client_ip},
         {"outcome", e.outcome},
         {"details", e.details}});
  }
  return json_response(200, list_body(items, next));
}

}  // namespace

void add_audit_routes(app::AppRouter& router) {
  router.add("GET", "/api/v1/audit", auth::Action::audit_read, list);
}

}  // namespace oploop::api
