// The application: configuration, database, services, the routes of both adapters, and the
// dispatcher every request passes through. The dispatcher is the one checkpoint for
// requests: it finds the route, authenticates (session cookie or bearer token), enforces
// the route's policy action (deny by default; refusals go to the access log), checks CSRF
// and Origin on every state change, then calls the handler and adds the security headers.
#pragma once

#include <memory>
#include <string>

#include "app/config.hpp"
#include "app/context.hpp"
#include "auth/secret_box.hpp"
#include "core/clock.hpp"
#include "http/message.hpp"
#include "http/router.hpp"
#include "mail/mailer.hpp"
#include "storage/database.hpp"

namespace oploop::app {

using AppRouter = http::Router<RequestContext>;

class App {
 public:
  App(Config config, std::unique_ptr<storage::Database> db, const Clock& clock);
  ~App();

  http::Response handle(http::Request& request);
  const AppRouter& router() const { return router_; }
  storage::Database& db() { return *db_; }
  const Config& config() const { return config_; }
  const Clock& clock() const { return clock_; }
  mail::Mailer& mailer() { return *mailer_; }
  Services services() { return {*db_, clock_, *secret_box_, config_}; }

 private:
  http::Response dispatch(http::Request& request);
  http::Response dispatch_route(RequestContext& ctx, const AppRouter::RouteType& route,
                                const std::map<std::string, std::string>& cookies);
  Config config_;
  std::unique_ptr<storage::Database> db_;
  const Clock& clock_;
  std::unique_ptr<auth::SecretBox> secret_box_;
  std::unique_ptr<mail::Mailer> mailer_;
  AppRouter router_;
};

// Every route of the system, web and API (api/routes.cpp, web/routes.cpp, app/system.cpp).
void add_api_routes(AppRouter& router);
void add_web_routes(AppRouter& router);
void add_system_routes(AppRouter& router);

// Routes where a half-signed-in session (2FA pending) is accepted: the 2FA pages and logout.
bool is_second_factor_route(const std::string& pattern);
bool is_api_path(const std::string& path);

}  // namespace oploop::app
