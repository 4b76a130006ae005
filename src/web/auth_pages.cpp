// Signing in and out, two-factor, password reset, language — the web side of auth/.
#include <algorithm>

#include "app/app.hpp"
#include "audit/access_log.hpp"
#include "auth/accounts.hpp"
#include "auth/login.hpp"
#include "auth/password_reset.hpp"
#include "auth/sessions.hpp"
#include "auth/tokens.hpp"
#include "auth/totp.hpp"
#include "web/form.hpp"
#include "web/page.hpp"

namespace oploop::web {
namespace {

// The one-time code field of the 2FA pages.
nlohmann::json code_form(const std::map<std::string, std::string>& errors) {
  return Form(nlohmann::json::object(), errors)
      .text("code", "totp.code",
            {.autocomplete = "one-time-code",
             .inputmode = "numeric",
             .hint = "totp.code_hint",
             .width = "house-number-size",
             .required = true,
             .maxlength = 8})
      .json();
}

nlohmann::json password_form(const std::string& token,
                             const std::map<std::string, std::string>& errors) {
  auto data = Form(nlohmann::json::object(), errors)
                  .text("password", "reset.password",
                        {.type = "password",
                         .autocomplete = "new-password",
                         .hint = "reset.password_hint",
                         .required = true,
                         .maxlength = 128})
                  .text("password_repeat", "reset.password_repeat",
                        {.type = "password",
                         .autocomplete = "new-password",
                         .required = true,
                         .maxlength = 128})
                  .json();
  data["valid"] = true;
  data["token"] = token;
  return data;
}

std::string after_login(const std::string& stage) {
  if (stage == "password") return "/inloggen/code";
  if (stage == "enrol") return "/inloggen/instellen";
  return "/";
}

http::Response login_form(app::RequestContext& ctx) {
  if (ctx.principal) return http::Response::redirect("/");
  return page(ctx, "auth/login", "login.title", {{"email", ""}});
}

http::Response login(app::RequestContext& ctx) {
  const std::string email = ctx.field("email");
  auto conn = ctx.services.db.acquire();
  auto session = auth::login_with_password(*conn, ctx.services.clock, email, ctx.field("password"),
                                           ctx.request.remote_ip);
  if (!session) {
    const int status = session.error().kind == ErrorKind::rate_limited ? 429 : 401;
    return page(ctx, "auth/login", "login.title",
                {{"email", email}, {"error", t(ctx, session.error().message)}}, status);
  }
  ctx.set_session_cookie(session->raw_id);
  return http::Response::redirect(after_login(session->stage));
}

http::Response totp_form(app::RequestContext& ctx) {
  if (ctx.principal) return http::Response::redirect("/");
  if (!ctx.session || ctx.session->stage != "password")
    return http::Response::redirect("/inloggen");
  return page(ctx, "auth/totp", "totp.title", code_form({}));
}

http::Response totp(app::RequestContext& ctx) {
  if (ctx.principal) return http::Response::redirect("/");
  if (!ctx.session || ctx.session->stage != "password")
    return http::Response::redirect("/inloggen");
  auto conn = ctx.services.db.acquire();
  auto full = auth::verify_second_factor(*conn, ctx.services.clock, ctx.services.secret_box,
                                         *ctx.session, ctx.field("code"), ctx.request.remote_ip);
  if (!full) {
    if (full.error().kind == ErrorKind::unauthorized) {
      ctx.set_session_cookie("");
      flash(ctx, full.error().message);
      return http::Response::redirect("/inloggen");
    }
    return page(ctx, "auth/totp", "totp.title", code_form(full.error().fields), 422);
  }
  ctx.set_session_cookie(full->raw_id);
  return http::Response::redirect("/");
}

http::Response enrol_page(app::RequestContext& ctx, int status, const nlohmann::json& extra) {
  auto conn = ctx.services.db.acquire();
  const std::string secret = auth::begin_enrolment(*conn, ctx.services.secret_box, *ctx.session);
  auto user = auth::find_user(*conn, ctx.session->user_id);
  const std::string uri = auth::totp_uri(secret, user ? user->email : "");
  // The secret in groups of four, for typing into an app by hand.
  std::string grouped;
  for (std::size_t i = 0; i < secret.size(); i += 4) {
    if (i) grouped += ' ';
    grouped += secret.substr(i, 4);
  }
  nlohmann::json data = code_form({});
  data["qr_svg"] = auth::qr_svg(uri, t(ctx, "totp.qr_title"));
  data["secret"] = grouped;
  for (auto& [k, v] : extra.items()) data[k] = v;
  return page(ctx, "auth/enrol", "totp.enrol_title", data, status);
}

http::Response enrol_form(app::RequestContext& ctx) {
  if (ctx.principal) return http::Response::redirect("/");
  if (!ctx.session || ctx.session->stage != "enrol") return http::Response::redirect("/inloggen");
  return enrol_page(ctx, 200, nlohmann::json::object());
}

http::Response enrol(app::RequestContext& ctx) {
  if (ctx.principal) return http::Response::redirect("/");
  if (!ctx.session || ctx.session->stage != "enrol") return http::Response::redirect("/inloggen");
  auto conn = ctx.services.db.acquire();
  auto full = auth::confirm_enrolment(*conn, ctx.services.clock, ctx.services.secret_box,
                                      *ctx.session, ctx.field("code"), ctx.request.remote_ip);
  if (!full) {
    if (full.error().kind == ErrorKind::unauthorized) {
      ctx.set_session_cookie("");
      flash(ctx, full.error().message);
      return http::Response::redirect("/inloggen");
    }
    return enrol_page(ctx, 422, code_form(full.error().fields));
  }
  ctx.set_session_cookie(full->raw_id);
  flash(ctx, "totp.enrolled");
  return http::Response::redirect("/");
}

http::Response logout(app::RequestContext& ctx) {
  if (ctx.session) {
    auto conn = ctx.services.db.acquire();
    storage::Transaction tx(*conn);
    auth::end_session(*conn, ctx.session->id_hash);
    if (auto user = auth::find_user(*conn, ctx.session->user_id)) {
      audit::record(*conn, ctx.services.clock,
                    {user->organisation_id, user->id, std::string(auth::to_string(user->role)),
                     "logout", "user", user->id, ctx.request.remote_ip, "success", ""});
    }
    tx.commit();
  }
  ctx.set_session_cookie("");
  flash(ctx, "logout.done");
  return http::Response::redirect("/inloggen");
}

http::Response forgot_form(app::RequestContext& ctx) {
  return page(ctx, "auth/forgot", "reset.title", {{"email", ""}});
}

http::Response forgot(app::RequestContext& ctx) {
  auto conn = ctx.services.db.acquire();
  auth::request_password_reset(*conn, ctx.services.clock, ctx.field("email"),
                               ctx.services.config.base_url, ctx.request.remote_ip);
  // The same answer whether or not the address is known.
  return page(ctx, "auth/forgot", "reset.title", {{"sent", true}});
}

http::Response reset_form(app::RequestContext& ctx) {
  auto conn = ctx.services.db.acquire();
  const bool valid = auth::password_token_valid(*conn, ctx.services.clock, ctx.param("token"));
  if (!valid) return page(ctx, "auth/reset", "reset.new_title", {{"valid", false}}, 404);
  return page(ctx, "auth/reset", "reset.new_title", password_form(ctx.param("token"), {}));
}

http::Response reset(app::RequestContext& ctx) {
  auto conn = ctx.services.db.acquire();
  // A spent or expired link answers 404 whatever was typed, never the form again.
  if (!auth::password_token_valid(*conn, ctx.services.clock, ctx.param("token")))
    return page(ctx, "auth/reset", "reset.new_title", {{"valid", false}}, 404);
  const std::string password = ctx.field("password");
  if (password != ctx.field("password_repeat")) {
    return page(ctx, "auth/reset", "reset.new_title",
                password_form(ctx.param("token"), {{"password_repeat", "password.mismatch"}}), 422);
  }
  auto done = auth::complete_password_reset(*conn, ctx.services.clock, ctx.param("token"), password,
                                            ctx.request.remote_ip);
  if (!done) {
    if (done.error().kind == ErrorKind::invalid) {
      return page(ctx, "auth/reset", "reset.new_title",
                  password_form(ctx.param("token"), done.error().fields), 422);
    }
    return page(ctx, "auth/reset", "reset.new_title", {{"valid", false}}, 404);
  }
  flash(ctx, "reset.done");
  return http::Response::redirect("/inloggen");
}

http::Response set_language(app::RequestContext& ctx) {
  const std::string lang = ctx.field("lang") == "en" ? "en" : "nl";
  ctx.set_cookies.push_back("oploop_lang=" + lang + "; Path=/; Max-Age=31536000; SameSite=Lax" +
                            (ctx.services.config.https() ? "; Secure" : ""));
  if (ctx.principal) {
    auto conn = ctx.services.db.acquire();
    conn->execute("UPDATE users SET language = ? WHERE id = ?", {lang, ctx.principal->user_id});
  }
  // Back to where the user was, when that is a path of ours. Browsers drop tabs and line
  // breaks from a URL ("/\t/evil.example" is "//evil.example"), so any control character
  // disqualifies it as well.
  std::string back = ctx.field("next");
  const bool has_control = std::any_of(back.begin(), back.end(), [](char ch) {
    const auto u = static_cast<unsigned char>(ch);
    return u < 0x20 || u == 0x7f;
  });
  if (back.empty() || back[0] != '/' || back.rfind("//", 0) == 0 ||
      back.find('\\') != std::string::npos || has_control)
    back = "/";
  return http::Response::redirect(back);
}

}  // namespace

void add_auth_pages(app::AppRouter& router) {
  using auth::Action;
  router.add("GET", "/inloggen", Action::public_access, login_form);
  router.add("POST", "/inloggen", Action::public_access, login);
  router.add("GET", "/inloggen/code", Action::signed_in, totp_form);
  router.add("POST", "/inloggen/code", Action::signed_in, totp);
  router.add("GET", "/inloggen/instellen", Action::signed_in, enrol_form);
  router.add("POST", "/inloggen/instellen", Action::signed_in, enrol);
  router.add("POST", "/uitloggen", Action::signed_in, logout);
  router.add("GET", "/wachtwoord/vergeten", Action::public_access, forgot_form);
  router.add("POST", "/wachtwoord/vergeten", Action::public_access, forgot);
  router.add("GET", "/wachtwoord/herstel/{token}", Action::public_access, reset_form);
  router.add("POST", "/wachtwoord/herstel/{token}", Action::public_access, reset);
  router.add("POST", "/taal", Action::public_access, set_language);
}

}  // namespace oploop::web
