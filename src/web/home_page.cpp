// "Vandaag": the first page after signing in. For coordinators and project leads: new
// referrals and the waiting list. Later issues add concerns, matches and reminders here.
#include "app/app.hpp"
#include "auth/policy.hpp"
#include "families/families.hpp"
#include "referrals/referrals.hpp"
#include "web/page.hpp"
#include "web/view_models.hpp"

namespace oploop::web {
namespace {

http::Response home(app::RequestContext& ctx) {
  const auto& p = *ctx.principal;
  nlohmann::json data = {{"first_name", p.name.substr(0, p.name.find(' '))}};
  auto conn = ctx.services.db.acquire();
  if (auth::allowed(p, auth::Action::referral_list)) {
    referrals::ReferralFilter filter;
    filter.status = "new";
    filter.page.limit = 10;
    auto referrals = referrals::list_referrals(*conn, ctx.actor(), filter);
    nlohmann::json items = nlohmann::json::array();
    if (referrals)
      for (const auto& r : referrals->items) items.push_back(referral_view(ctx, r));
    data["referrals"] = {{"items", items},
                         {"empty", items.empty()},
                         {"more", referrals && referrals->next_cursor.has_value()}};
  }
  if (auth::allowed(p, auth::Action::family_list) && p.role != auth::Role::volunteer) {
    families::FamilyFilter filter;
    filter.status = "waiting";
    filter.page.limit = 10;
    auto waiting = families::list_families(*conn, ctx.actor(), filter);
    nlohmann::json items = nlohmann::json::array();
    if (waiting)
      for (const auto& f : waiting->items) items.push_back(family_view(ctx, f));
    data["waiting"] = {{"items", items},
                       {"empty", items.empty()},
                       {"more", waiting && waiting->next_cursor.has_value()}};
  }
  data["is_volunteer"] = p.role == auth::Role::volunteer;
  data["is_staff"] = p.role == auth::Role::coordinator || p.role == auth::Role::project_lead;
  return page(ctx, "home", "home.title", data);
}

}  // namespace

void add_home_page(app::AppRouter& router) {
  router.add("GET", "/", auth::Action::signed_in, home);
}

}  // namespace oploop::web
