// Operational routes: liveness, readiness (database reachable, schema current), metrics.
#include "app/app.hpp"
#include "http/metrics.hpp"
#include "storage/migrations.hpp"

namespace oploop::app {

void add_system_routes(AppRouter& router) {
  using auth::Action;
  router.add("GET", "/healthz", Action::public_access,
             [](RequestContext&) { return http::Response::text(200, "ok\n"); });
  router.add("GET", "/readyz", Action::public_access, [](RequestContext& ctx) {
    bool ready = false;
    try {
      ready = ctx.services.db.ping() && storage::pending_migrations(ctx.services.db).empty();
    } catch (const std::exception&) {
      ready = false;
    }
    http::Metrics::instance().set_gauge("oploop_database_up", ready ? 1 : 0);
    return ready ? http::Response::text(200, "ready\n") : http::Response::text(503, "not ready\n");
  });
  router.add("GET", "/metrics", Action::public_access, [](RequestContext&) {
    return http::Response::text(200, http::Metrics::instance().render(),
                                "text/plain; version=0.0.4; charset=utf-8");
  });
}

}  // namespace oploop::app
