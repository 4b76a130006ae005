#include "web/page.hpp"

#include <optional>

#include "auth/policy.hpp"
#include "core/random.hpp"
#include "core/text.hpp"
#include "i18n/catalogue.hpp"
#include "web/form.hpp"
#include "web/render.hpp"

namespace oploop::web {
namespace {

constexpr const char* kFlashCookie = "oploop_flash";

struct NavItem {
  const char* key;
  const char* href;
  auth::Action action;
  // Hidden when the role may also do this: a volunteer's own list gives way to the team's.
  std::optional<auth::Action> unless = std::nullopt;
};

// The navigation shows what the role may use; the policy decides.
constexpr NavItem kNav[] = {
    {"nav.home", "/", auth::Action::signed_in},
    {"nav.referrals", "/aanmeldingen", auth::Action::referral_list},
    {"nav.waiting_list", "/wachtlijst", auth::Action::waiting_list},
    {"nav.volunteers", "/vrijwilligers", auth::Action::volunteer_list},
    {"nav.matches", "/koppelingen", auth::Action::match_manage},
    {"nav.plan", "/koppelplan", auth::Action::matching_suggest},
    {"nav.concerns", "/signalen", auth::Action::concern_act},
    {"nav.my_concerns", "/mijn-signalen", auth::Action::concern_raise, auth::Action::concern_act},
    {"coordination.nav.sessions", "/begeleiding", auth::Action::support_session_list},
    {"coordination.nav.time", "/uren", auth::Action::time_entry_manage},
    {"report.nav", "/rapportages/impact", auth::Action::report_read},
    {"nav.account", "/account", auth::Action::signed_in},
};

nlohmann::json layout_data(app::RequestContext& ctx, const std::string& title_key) {
  // Forms shown to someone without a session carry a double-submit token from a cookie.
  if (ctx.csrf_token.empty()) {
    ctx.csrf_token = random_token(24);
    ctx.set_cookies.push_back("oploop_csrf=" + ctx.csrf_token +
                              "; Path=/; HttpOnly; SameSite=Strict" +
                              (ctx.services.config.https() ? "; Secure" : ""));
  }
  nlohmann::json d;
  d["lang"] = ctx.language;
  d["title"] = t(ctx, title_key);
  d["csrf_token"] = ctx.csrf_token;
  d["asset_version"] = OPLOOP_VERSION;
  d["lang_nl"] = ctx.language == "nl";
  d["lang_en"] = ctx.language == "en";
  if (ctx.request.method == "GET") d["return_to"] = ctx.request.target;
  if (ctx.principal) {
    d["user"] = {{"name", ctx.principal->name},
                 {"role", std::string(auth::to_string(ctx.principal->role))}};
    nlohmann::json nav = nlohmann::json::array();
    for (const auto& item : kNav) {
      if (!auth::allowed(*ctx.principal, item.action)) continue;
      if (item.unless && auth::allowed(*ctx.principal, *item.unless)) continue;
      const std::string href = item.href;
      const bool current =
          href == "/" ? ctx.request.path == "/" : ctx.request.path.rfind(href, 0) == 0;
      nav.push_back({{"label", item.key}, {"href", href}, {"current", current}});
    }
    d["nav"] = nav;
  }
  // A flash message set by the previous request (a catalogue key, never user data).
  const auto cookies = http::parse_cookies(ctx.request.header("Cookie").value_or(""));
  if (auto it = cookies.find(kFlashCookie); it != cookies.end() && !it->second.empty()) {
    const auto& cat = i18n::Catalogue::instance();
    if (cat.has(ctx.language, it->second)) d["flash"] = {{"text", it->second}, {"kind", "ok"}};
    ctx.set_cookies.push_back(std::string(kFlashCookie) +
                              "=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax");
  }
  return d;
}

}  // namespace

std::string t(const app::RequestContext& ctx, const std::string& key) {
  return i18n::Catalogue::instance().text(ctx.language, key);
}

http::Response page(app::RequestContext& ctx, const std::string& name, const std::string& title_key,
                    nlohmann::json data, int status) {
  nlohmann::json d = layout_data(ctx, title_key);
  for (auto& [k, v] : data.items()) d[k] = v;
  return http::Response::html(status, Renderer::instance().page(name, d));
}

http::Response error_page(app::RequestContext& ctx, int status) {
  std::string key;
  switch (status) {
    case 400:
      key = "error.bad_request";
      break;
    case 401:
      key = "error.unauthorized";
      break;
    case 403:
      key = "error.forbidden";
      break;
    case 404:
      key = "error.not_found";
      break;
    case 405:
      key = "error.method_not_allowed";
      break;
    case 409:
      key = "error.conflict";
      break;
    case 413:
      key = "error.too_large";
      break;
    case 415:
      key = "error.unsupported_media_type";
      break;
    case 429:
      key = "error.rate_limited";
      break;
    default:
      key = "error.internal";
      break;
  }
  nlohmann::json data = {
      {"status", status}, {"message", t(ctx, key)}, {"request_id", ctx.request.request_id}};
  return page(ctx, "error", key, data, status);
}

http::Response error_page(app::RequestContext& ctx, const Error& error) {
  int status = 500;
  switch (error.kind) {
    case ErrorKind::not_found:
      status = 404;
      break;
    case ErrorKind::forbidden:
      status = 403;
      break;
    case ErrorKind::unauthorized:
      status = 401;
      break;
    case ErrorKind::conflict:
      status = 409;
      break;
    case ErrorKind::rate_limited:
      status = 429;
      break;
    case ErrorKind::bad_request:
      status = 400;
      break;
    case ErrorKind::invalid:
      status = 422;
      break;
    case ErrorKind::internal:
      status = 500;
      break;
  }
  if (status == 500 || status == 404 || status == 403) return error_page(ctx, status);
  nlohmann::json data = {{"status", status},
                         {"message", t(ctx, error.message)},
                         {"request_id", ctx.request.request_id}};
  return page(ctx, "error", error.message, data, status);
}

void flash(app::RequestContext& ctx, const std::string& key) {
  ctx.set_cookies.push_back(std::string(kFlashCookie) + "=" + key +
                            "; Path=/; Max-Age=60; HttpOnly; SameSite=Lax");
}

}  // namespace oploop::web
