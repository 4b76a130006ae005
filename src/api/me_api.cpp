// /api/v1/me and /api/v1/me/tokens: the signed-in user and their personal access tokens.
#include "api/handler.hpp"
#include "app/app.hpp"
#include "audit/access_log.hpp"
#include "auth/accounts.hpp"
#include "auth/tokens.hpp"

namespace oploop::api {
namespace {

http::Response me(app::RequestContext& ctx) {
  const auto& p = *ctx.principal;
  auto conn = ctx.services.db.acquire();
  auto user = auth::find_user(*conn, p.user_id);
  return json_response(200, {{"id", p.user_id},
                             {"name", p.name},
                             {"email", p.email},
                             {"role", auth::to_string(p.role)},
                             {"organisation_id", p.organisation_id},
                             {"team_ids", p.team_ids},
                             {"language", p.language},
                             {"two_factor_enabled", user && user->totp_enabled}});
}

nlohmann::json token_json(const auth::TokenInfo& t) {
  return {{"id", t.id},
          {"name", t.name},
          {"created_at", t.created_at},
          {"expires_at", t.expires_at},
          {"last_used_at",
           t.last_used_at.empty() ? nlohmann::json(nullptr) : nlohmann::json(t.last_used_at)}};
}

http::Response list_tokens(app::RequestContext& ctx) {
  auto conn = ctx.services.db.acquire();
  nlohmann::json items = nlohmann::json::array();
  for (const auto& t : auth::list_tokens(*conn, ctx.services.clock, ctx.principal->user_id))
    items.push_back(token_json(t));
  return json_response(200, list_body(items, std::nullopt));
}

http::Response create_token(app::RequestContext& ctx) {
  auto body = API_TRY(json_body(ctx));
  Reader in(body);
  const std::string name = in.string("name");
  int days = 90;
  if (in.has("days")) {
    if (!body["days"].is_number_integer())
      in.error("days", "validation.type_integer");
    else
      days = static_cast<int>(std::clamp<long long>(body["days"].get<long long>(), -1, 1000));
  }
  if (auto p = reader_problem(in, ctx)) return *p;
  auto conn = ctx.services.db.acquire();
  storage::Transaction tx(*conn);
  auto token =
      API_TRY(auth::create_token(*conn, ctx.services.clock, ctx.principal->user_id, name, days));
  const auto& p = *ctx.principal;
  audit::record(*conn, ctx.services.clock,
                {p.organisation_id, p.user_id, std::string(auth::to_string(p.role)), "create",
                 "token", token.info.id, ctx.request.remote_ip, "success", ""});
  tx.commit();
  auto j = token_json(token.info);
  j["token"] = token.secret;
  return json_response(201, j);
}

http::Response revoke(app::RequestContext& ctx) {
  auto conn = ctx.services.db.acquire();
  storage::Transaction tx(*conn);
  API_TRY(auth::revoke_token(*conn, ctx.services.clock, ctx.principal->user_id, ctx.param("id")));
  const auto& p = *ctx.principal;
  audit::record(*conn, ctx.services.clock,
                {p.organisation_id, p.user_id, std::string(auth::to_string(p.role)), "delete",
                 "token", ctx.param("id"), ctx.request.remote_ip, "success", ""});
  tx.commit();
  return http::Response::text(204, "");
}

}  // namespace

void add_me_routes(app::AppRouter& router) {
  using auth::Action;
  router.add("GET", "/api/v1/me", Action::signed_in, me);
  router.add("GET", "/api/v1/me/tokens", Action::signed_in, list_tokens);
  router.add("POST", "/api/v1/me/tokens", Action::signed_in, create_token);
  router.add("DELETE", "/api/v1/me/tokens/{id}", Action::signed_in, revoke);
}

}  // namespace oploop::api
