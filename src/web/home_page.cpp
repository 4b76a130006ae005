// "Vandaag": the first page after signing in (SPEC §3). For coordinators and project leads, in
// the order of urgency: concerns (urgent and unacknowledged first), the figures per team (project
// lead), new referrals, the waiting list, matches and volunteers that need action, and this
// week's sessions — every item one click from its page. For a volunteer: their family with
// "log contact" and "raise a concern", and their next session.
#include "app/app.hpp"
#include "auth/policy.hpp"
#include "concerns/concerns.hpp"
#include "dashboard/team_overview.hpp"
#include "families/families.hpp"
#include "i18n/catalogue.hpp"
#include "matches/matches.hpp"
#include "referrals/referrals.hpp"
#include "volunteers/volunteers.hpp"
#include "web/coordination_views.hpp"
#include "web/page.hpp"
#include "web/view_models.hpp"
#include "web/volunteer_home.hpp"

namespace oploop::web {
namespace {

// Open concerns the caller may act on, urgent and unacknowledged first.
nlohmann::json concerns_part(app::RequestContext& ctx, storage::Connection& c) {
  constexpr int kShown = 10;
  auto open = concerns::open_concerns_for(c, ctx.actor(), kShown + 1);
  const bool more = open.size() > kShown;
  if (more) open.resize(kShown);
  nlohmann::json items = nlohmann::json::array();
  for (const auto& x : open)
    items.push_back({{"id", x.id},
                     {"family_name", x.family_name},
                     {"severity_label", t(ctx, "concern.severity." + x.severity)},
                     {"severity_badge", concern_badge(x.severity)},
                     {"category_label", t(ctx, "concern.category." + x.category)},
                     {"status_label", t(ctx, "concern.status." + x.status)},
                     {"urgent_unacknowledged", x.urgent_unacknowledged},
                     {"created", display_date(x.created_at)}});
  return {{"items", items}, {"empty", items.empty()}, {"more", more}};
}

// The project lead's figures per team, each a link to the list behind it.
nlohmann::json teams_part(app::RequestContext& ctx, storage::Connection& c) {
  nlohmann::json rows = nlohmann::json::array();
  auto figures = dashboard::team_overview(c, ctx.actor());
  if (!figures) return nullptr;
  nlohmann::json total = {{"new_referrals", 0},   {"waiting_families", 0},
                          {"running_matches", 0}, {"open_concerns", 0},
                          {"urgent_open", 0},     {"available_volunteers", 0}};
  for (const auto& f : *figures) {
    nlohmann::json row = {{"team_name", f.team_name},
                          {"new_referrals", f.new_referrals},
                          {"waiting_families", f.waiting_families},
                          {"running_matches", f.running_matches},
                          {"open_concerns", f.open_concerns},
                          {"urgent_open", f.urgent_open},
                          {"available_volunteers", f.available_volunteers}};
    for (auto& [key, value] : total.items()) value = value.get<int>() + row[key].get<int>();
    rows.push_back(row);
  }
  return {{"rows", rows}, {"total", total}, {"empty", rows.empty()}};
}

http::Response home(app::RequestContext& ctx) {
  const auto& p = *ctx.principal;
  nlohmann::json data = {{"first_name", p.name.substr(0, p.name.find(' '))}};
  auto conn = ctx.services.db.acquire();
  if (auth::allowed(p, auth::Action::concern_act)) data["concerns"] = concerns_part(ctx, *conn);
  if (auth::allowed(p, auth::Action::team_overview)) data["teams"] = teams_part(ctx, *conn);
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
  const std::string today = amsterdam_date(ctx.services.clock.now());
  if (auth::allowed(p, auth::Action::volunteer_list)) {
    // Volunteers who need action: a VOG that lapses within 60 days or has lapsed, training or
    // code of conduct missing while they are (about to be) available.
    nlohmann::json items = nlohmann::json::array();
    for (const auto& v : volunteers::candidates(*conn, p.organisation_id)) {
      if (!auth::check(p, auth::Action::volunteer_read, {v.organisation_id, v.team_id, {}}))
        continue;
      std::vector<std::string> why;
      if (volunteers::vog_lapsing(v, today)) why.push_back(t(ctx, "volunteer.vog_lapsing"));
      for (const auto& b : volunteers::blockers(v, today)) {
        if (b.code == "vog_expired" || b.code == "vog_missing" || b.code == "training_missing" ||
            b.code == "code_missing")
          why.push_back(i18n::Catalogue::instance().text(
              ctx.language, b.message, {{"date", b.date.empty() ? "" : format_date_nl(b.date)}}));
      }
      if (why.empty()) continue;
      std::string reasons;
      for (const auto& w : why) reasons += (reasons.empty() ? "" : " ") + w;
      items.push_back({{"id", v.id}, {"name", v.first_name + " " + v.last_name}, {"why", reasons}});
    }
    data["volunteers_attention"] = {{"items", items}, {"empty", items.empty()}};
  }
  if (auth::allowed(p, auth::Action::match_manage)) {
    // Matches at 21 months or more: time to plan stepping down.
    matches::MatchFilter filter;
    filter.status = "active";
    filter.page.limit = 200;
    nlohmann::json items = nlohmann::json::array();
    if (auto page_ = matches::list_matches(*conn, ctx.actor(), filter)) {
      for (const auto& m : page_->items) {
        const int months = m.started_on.empty() ? 0 : matches::months_between(m.started_on, today);
        if (months >= 21)
          items.push_back({{"id", m.id},
                           {"family_name", m.family_name},
                           {"volunteer_name", m.volunteer_name},
                           {"months", months}});
      }
    }
    data["matches_attention"] = {{"items", items}, {"empty", items.empty()}};
  }
  // My families, each with a button to log a contact (web/volunteer_home.cpp).
  if (p.role == auth::Role::volunteer) data.update(volunteer_home(ctx, *conn));
  // This week's sessions (staff) or my next one (volunteer).
  if (auth::allowed(p, auth::Action::support_session_list))
    data.update(sessions_this_week_view(ctx, *conn));
  data["is_volunteer"] = p.role == auth::Role::volunteer;
  data["is_staff"] = p.role == auth::Role::coordinator || p.role == auth::Role::project_lead;
  return page(ctx, "home", "home.title", data);
}

}  // namespace

void add_home_page(app::AppRouter& router) {
  router.add("GET", "/", auth::Action::signed_in, home);
}

}  // namespace oploop::web
