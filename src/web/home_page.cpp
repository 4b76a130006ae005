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
#include "referrals/referrals.hpp"
#include "reminders/reminders.hpp"
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

std::string reminder_text(const app::RequestContext& ctx, const reminders::Reminder& r) {
  std::map<std::string, std::string> params = r.params;
  if (auto it = params.find("date"); it != params.end()) it->second = format_date_nl(it->second);
  return i18n::Catalogue::instance().text(ctx.language, r.why_key, params);
}

// The reminders about one kind of subject, one item per subject with all its reasons, in the
// order the rules put them (most pressing first).
nlohmann::json attention_part(const app::RequestContext& ctx,
                              const std::vector<reminders::Reminder>& due,
                              const std::string& kind) {
  nlohmann::json items = nlohmann::json::array();
  std::map<std::string, std::size_t> index;  // subject id -> position in items
  for (const auto& r : due) {
    if (r.subject_kind != kind) continue;
    auto [at, added] = index.try_emplace(r.subject_id, items.size());
    if (added)
      items.push_back({{"href", r.href}, {"label", r.label}, {"why", nlohmann::json::array()}});
    items[at->second]["why"].push_back(reminder_text(ctx, r));
  }
  return {{"items", items}, {"empty", items.empty()}};
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
  // Matches and volunteers that need action, each once with every reason (reminders/).
  if (auth::allowed(p, auth::Action::reminder_list)) {
    const auto due =
        reminders::due_for(*conn, ctx.actor(), amsterdam_date(ctx.services.clock.now()));
    data["matches_attention"] = attention_part(ctx, due, "match");
    data["volunteers_attention"] = attention_part(ctx, due, "volunteer");
    // A referral nobody picked up shows it beside its name in "new referrals".
    if (data.contains("referrals"))
      for (auto& item : data["referrals"]["items"])
        for (const auto& r : due)
          if (r.subject_kind == "referral" && r.subject_id == item["id"])
            item["untouched"] = reminder_text(ctx, r);
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
