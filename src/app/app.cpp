#include "app/app.hpp"

#include <spdlog/spdlog.h>

#include "api/problem.hpp"
#include "auth/accounts.hpp"
#include "auth/gate.hpp"
#include "auth/tokens.hpp"
#include "core/random.hpp"
#include "core/resources.hpp"
#include "http/static_files.hpp"
#include "i18n/catalogue.hpp"
#include "mail/mailer.hpp"
#include "web/page.hpp"

namespace oploop::app {
namespace {

constexpr const char* kCsrfCookie = "oploop_csrf";

constexpr const char* kLanguageCookie = "oploop_lang";

bool is_unsafe(const std::string& method) {
  return method == "POST" || method == "PUT" || method == "PATCH" || method == "DELETE";
}

std::string origin_of(const std::string& url) {
  // scheme://host[:port] — everything before the first '/' after "://".
  const auto scheme_end = url.find("://");
  if (scheme_end == std::string::npos) return url;
  const auto path = url.find('/', scheme_end + 3);
  return path == std::string::npos ? url : url.substr(0, path);
}

void add_security_headers(http::Response& res, const Config& config) {
  // Exactly SECURITY-NOTES: no fonts or fetch() are used, so default-src 'none' covers them.
  res.set_header("Content-Security-Policy",
                 "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
                 "form-action 'self'; frame-ancestors 'none'; base-uri 'none'");
  res.set_header("X-Content-Type-Options", "nosniff");
  res.set_header("X-Frame-Options", "DENY");
  res.set_header("Referrer-Policy", "same-origin");
  res.set_header("Cross-Origin-Opener-Policy", "same-origin");
  res.set_header("Permissions-Policy", "camera=(), microphone=(), geolocation=()");
  if (config.https())
    res.set_header("Strict-Transport-Security", "max-age=31536000; includeSubDomains");
  if (!res.header("Cache-Control")) res.set_header("Cache-Control", "no-store");
}

std::string cookie_attributes(const Config& config) {
  return std::string("; Path=/; HttpOnly; SameSite=Lax") + (config.https() ? "; Secure" : "");
}

http::Response status_response(RequestContext& ctx, int status, const std::string& key) {
  if (is_api_path(ctx.request.path)) return api::problem(status, key, ctx.language);
  return web::error_page(ctx, status);
}

}  // namespace

bool is_api_path(const std::string& path) { return path.rfind("/api/", 0) == 0; }

bool is_second_factor_route(const std::string& pattern) {
  return pattern == "/inloggen/code" || pattern == "/inloggen/instellen" || pattern == "/uitloggen";
}

void RequestContext::set_session_cookie(const std::string& raw_id) {
  const std::string name = services.config.session_cookie();
  if (raw_id.empty()) {
    set_cookies.push_back(name + "=" + cookie_attributes(services.config) + "; Max-Age=0");
  } else {
    set_cookies.push_back(name + "=" + raw_id + cookie_attributes(services.config));
  }
}

std::string RequestContext::field(const std::string& name) const {
  if (form)
    for (const auto& [k, v] : *form)
      if (k == name) return v;
  return {};
}

bool RequestContext::has_field(const std::string& name) const {
  if (form)
    for (const auto& [k, v] : *form)
      if (k == name) return true;
  return false;
}

std::vector<std::string> RequestContext::fields(const std::string& name) const {
  std::vector<std::string> out;
  if (form)
    for (const auto& [k, v] : *form)
      if (k == name) out.push_back(v);
  return out;
}

App::App(Config config, std::unique_ptr<storage::Database> db, const Clock& clock)
    : config_(std::move(config)), db_(std::move(db)), clock_(clock) {
  config_.finish();
  secret_box_ =
      std::make_unique<auth::SecretBox>(auth::SecretBox::from_environment(config_.secret_key_file));
  if (config_.smtp_url.empty())
    mailer_ = std::make_unique<mail::DisabledMailer>();
  else
    mailer_ = std::make_unique<mail::SmtpMailer>(config_.smtp_url, config_.mail_from);
  add_system_routes(router_);
  add_api_routes(router_);
  add_web_routes(router_);
}

App::~App() = default;

http::Response App::handle(http::Request& request) {
  http::Response res;
  try {
    res = dispatch(request);
  } catch (const std::exception& e) {
    // The message of a database error names no values; it helps the operator.
    spdlog::error("request {} failed: {}", request.request_id, e.what());
    RequestContext ctx{request, {}, services()};
    try {
      res = status_response(ctx, 500, "error.internal");
    } catch (...) {
      res = http::Response::text(
          500, "Er ging iets mis / Something went wrong (ref " + request.request_id + ")");
    }
  }
  add_security_headers(res, config_);
  return res;
}

http::Response App::dispatch(http::Request& request) {
  RequestContext ctx{request, {}, services()};
  const auto cookies = http::parse_cookies(request.header("Cookie").value_or(""));
  auto cookie = [&](const std::string& name) -> std::string {
    auto it = cookies.find(name);
    return it == cookies.end() ? std::string() : it->second;
  };
  // Language: the user's setting, else the cookie, else the browser's.
  const std::string lang_cookie = cookie(kLanguageCookie);
  ctx.language = (lang_cookie == "nl" || lang_cookie == "en")
                     ? lang_cookie
                     : i18n::language_from_accept(request.header("Accept-Language").value_or(""));

  // Static assets bypass the router: public, cached, no session work.
  if (request.path.rfind("/static/", 0) == 0 &&
      (request.method == "GET" || request.method == "HEAD")) {
    if (auto res = http::serve_static(request, resource_path("src/web/static"), "/static/")) {
      res->route = "/static";
      return *res;
    }
    auto res = status_response(ctx, 404, "error.not_found");
    res.route = "/static";
    return res;
  }

  auto match = router_.match(request.method, request.path);
  if (match.kind == http::MatchOutcome::not_found)
    return status_response(ctx, 404, "error.not_found");
  if (match.kind == http::MatchOutcome::method_not_allowed) {
    auto res = status_response(ctx, 405, "error.method_not_allowed");
    std::string allow;
    for (const auto& m : match.allowed) allow += (allow.empty() ? "" : ", ") + m;
    res.set_header("Allow", allow);
    return res;
  }
  const auto& route = router_.routes()[match.index];
  ctx.params = std::move(match.params);
  http::Response res = dispatch_route(ctx, route, cookies);
  res.route = route.pattern;
  for (const auto& c : ctx.set_cookies) res.headers.emplace("Set-Cookie", c);
  return res;
}

http::Response App::dispatch_route(RequestContext& ctx, const AppRouter::RouteType& route,
                                   const std::map<std::string, std::string>& cookies) {
  http::Request& request = ctx.request;
  auto cookie = [&](const std::string& name) -> std::string {
    auto it = cookies.find(name);
    return it == cookies.end() ? std::string() : it->second;
  };
  const std::string lang_cookie = cookie(kLanguageCookie);

  // Authenticate: a bearer token, or the session cookie.
  {
    auto conn = db_->acquire();
    if (auto authz = request.header("Authorization")) {
      if (authz->rfind("Bearer ", 0) != 0) return status_response(ctx, 401, "error.unauthorized");
      storage::Transaction tx(*conn);
      auto user_id = auth::user_for_token(*conn, clock_, authz->substr(7));
      std::optional<auth::Principal> p;
      if (user_id) p = auth::load_principal(*conn, *user_id);
      if (!p) {
        audit::record(*conn, clock_,
                      {"", "", "", "token_auth", "token", "", request.remote_ip, "failure", ""});
        tx.commit();
        return status_response(ctx, 401, "error.unauthorized");
      }
      tx.commit();
      p->via_token = true;
      ctx.principal = std::move(p);
    } else if (auto raw = cookie(config_.session_cookie()); !raw.empty()) {
      storage::Transaction tx(*conn);
      ctx.session = auth::find_session(*conn, clock_, raw);
      if (ctx.session && ctx.session->stage == "full") {
        ctx.principal = auth::load_principal(*conn, ctx.session->user_id);
        if (ctx.principal) {
          ctx.principal->session_id_hash = ctx.session->id_hash;
          ctx.principal->csrf_token = ctx.session->csrf_token;
        }
      }
      tx.commit();
      if (!ctx.session) ctx.set_session_cookie("");  // expired: clear it
    }
  }
  // The user's own setting counts unless the request says otherwise: a language cookie (the
  // switch in the header) or, for the API, an explicit Accept-Language.
  const bool api_asks = is_api_path(request.path) && request.header("Accept-Language");
  if (ctx.principal && lang_cookie.empty() && !api_asks) ctx.language = ctx.principal->language;

  // CSRF token for this request's forms: the session's, or the anonymous double-submit
  // cookie (set by web::page when a form is first shown).
  ctx.csrf_token = ctx.session ? ctx.session->csrf_token : cookie(kCsrfCookie);

  // Policy: deny by default.
  if (route.action != auth::Action::public_access) {
    if (!ctx.principal) {
      if (is_api_path(request.path)) return status_response(ctx, 401, "error.unauthorized");
      if (ctx.session && ctx.session->stage != "full" && !is_second_factor_route(route.pattern))
        return http::Response::redirect(ctx.session->stage == "enrol" ? "/inloggen/instellen"
                                                                      : "/inloggen/code");
      if (!ctx.session || !is_second_factor_route(route.pattern))
        return http::Response::redirect("/inloggen");
    } else if (!auth::allowed(*ctx.principal, route.action)) {
      auto conn = db_->acquire();
      storage::Transaction tx(*conn);
      auth::Gate(*conn, ctx.actor())
          .deny("access", "route", request.method + " " + route.pattern,
                std::string(auth::to_string(route.action)));
      tx.commit();
      return status_response(ctx, 403, "error.forbidden");
    }
  }

  // Bodies: the right Content-Type for the adapter, parsed once.
  if (is_unsafe(request.method)) {
    const std::string type = request.header("Content-Type").value_or("");
    const bool is_form = type.rfind("application/x-www-form-urlencoded", 0) == 0;
    const bool is_json = type.rfind("application/json", 0) == 0;
    if (is_api_path(request.path)) {
      if (!is_json && !request.body.empty())
        return status_response(ctx, 415, "error.unsupported_media_type");
    } else if (!is_form) {
      return status_response(ctx, 415, "error.unsupported_media_type");
    }
    if (is_form) {
      ctx.form = http::parse_form(request.body);
      if (!ctx.form) return status_response(ctx, 400, "error.bad_request");
    }
    // CSRF: not for bearer tokens (a browser never sends those on its own).
    if (!(ctx.principal && ctx.principal->via_token)) {
      if (auto origin = request.header("Origin")) {
        const std::string host = request.header("Host").value_or("");
        if (*origin != origin_of(config_.base_url) && *origin != "http://" + host &&
            *origin != "https://" + host)
          return status_response(ctx, 403, "error.csrf");
      }
      std::string sent = request.header("X-CSRF-Token").value_or(ctx.field("csrf_token"));
      if (ctx.csrf_token.empty() || !constant_time_equal(sent, ctx.csrf_token))
        return status_response(ctx, 403, "error.csrf");
    }
  }

  return route.handler(ctx);
}

}  // namespace oploop::app
