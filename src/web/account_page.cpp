// "Mijn account": who I am, two-factor status, and personal access tokens for the API.
#include "app/app.hpp"
#include "audit/access_log.hpp"
#include "auth/accounts.hpp"
#include "auth/tokens.hpp"
#include "web/form.hpp"
#include "web/page.hpp"
#include "web/view_models.hpp"

namespace oploop::web {
namespace {

nlohmann::json token_form(const nlohmann::json& values,
                          const std::map<std::string, std::string>& errors) {
  return Form(values, errors, "token-")
      .text("name", "account.token_name",
            {.hint = "account.token_name_hint", .required = true, .maxlength = 100})
      .text("days", "account.token_days",
            {.type = "number",
             .inputmode = "numeric",
             .hint = "account.token_days_hint",
             .width = "house-number-size",
             .required = true})
      .json();
}

http::Response show_with(app::RequestContext& ctx, int status, nlohmann::json extra) {
  const auto& p = *ctx.principal;
  auto conn = ctx.services.db.acquire();
  auto user = auth::find_user(*conn, p.user_id);
  nlohmann::json tokens = nlohmann::json::array();
  for (const auto& tk : auth::list_tokens(*conn, ctx.services.clock, p.user_id))
    tokens.push_back(
        {{"id", tk.id},
         {"name", tk.name},
         {"created", display_date(tk.created_at)},
         {"expires", display_date(tk.expires_at)},
         {"last_used", tk.last_used_at.empty() ? "—" : display_date(tk.last_used_at)}});
  nlohmann::json data = {{"name", p.name},
                         {"email", p.email},
                         {"role", t(ctx, "role." + std::string(auth::to_string(p.role)))},
                         {"two_factor", user && user->totp_enabled},
                         {"tokens", tokens},
                         {"has_tokens", !tokens.empty()},
                         {"token_form", token_form({{"days", "90"}}, {})}};
  for (auto& [k, v] : extra.items()) data[k] = v;
  return page(ctx, "account", "account.title", data, status);
}

http::Response show(app::RequestContext& ctx) {
  return show_with(ctx, 200, nlohmann::json::object());
}

void log(app::RequestContext& ctx, storage::Connection& c, const char* event,
         const std::string& id) {
  const auto& p = *ctx.principal;
  audit::record(c, ctx.services.clock,
                {p.organisation_id, p.user_id, std::string(auth::to_string(p.role)), event, "token",
                 id, ctx.request.remote_ip, "success", ""});
}

http::Response create_token(app::RequestContext& ctx) {
  int days = 0;
  try {
    days = std::stoi(ctx.field("days"));
  } catch (const std::exception&) {
    days = 0;
  }
  auto conn = ctx.services.db.acquire();
  storage::Transaction tx(*conn);
  auto token = auth::create_token(*conn, ctx.services.clock, ctx.principal->user_id,
                                  ctx.field("name"), days);
  if (!token) {
    return show_with(
        ctx, 422,
        {{"token_form", token_form({{"name", ctx.field("name")}, {"days", ctx.field("days")}},
                                   token.error().fields)}});
  }
  log(ctx, *conn, "create", token->info.id);
  tx.commit();
  // Shown once, on this response only.
  return show_with(ctx, 201, {{"new_token", token->secret}});
}

http::Response revoke_token(app::RequestContext& ctx) {
  auto conn = ctx.services.db.acquire();
  storage::Transaction tx(*conn);
  if (auto ok =
          auth::revoke_token(*conn, ctx.services.clock, ctx.principal->user_id, ctx.param("id"));
      !ok)
    return error_page(ctx, ok.error());
  log(ctx, *conn, "delete", ctx.param("id"));
  tx.commit();
  flash(ctx, "account.token_revoked");
  return http::Response::redirect("/account");
}

}  // namespace

void add_account_pages(app::AppRouter& router) {
  using auth::Action;
  router.add("GET", "/account", Action::signed_in, show);
  router.add("POST", "/account/tokens", Action::signed_in, create_token);
  router.add("POST", "/account/tokens/{id}/intrekken", Action::signed_in, revoke_token);
}

}  // namespace oploop::web
