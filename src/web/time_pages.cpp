// My time (/uren): the entries of one week (this week unless ?week= names a day of another) with
// the week's total, and a quick form — today already filled in, minutes, what for, and
// optionally which family. An entry of this week can be removed; older weeks are closed.
#include <cstdio>

#include "app/app.hpp"
#include "auth/policy.hpp"
#include "coordination/time_entries.hpp"
#include "coordination/week.hpp"
#include "core/clock.hpp"
#include "web/form.hpp"
#include "web/page.hpp"
#include "web/view_models.hpp"

namespace oploop::web {
namespace {

std::string hours(long long minutes) {
  char out[32];
  std::snprintf(out, sizeof out, "%lld:%02lld", minutes / 60, minutes % 60);
  return out;
}

int number(const std::string& field) {
  try {
    std::size_t used = 0;
    const int n = std::stoi(field, &used);
    return used == field.size() ? n : 0;
  } catch (const std::exception&) {
    return 0;
  }
}

http::Response week_page(app::RequestContext& ctx, const nlohmann::json& values,
                         const std::map<std::string, std::string>& errors, int status,
                         const std::string& problem = {}) {
  const std::string today = amsterdam_date(ctx.services.clock.now());
  std::string day = today;
  for (const auto& [k, v] : http::parse_query(ctx.request.query).value_or(http::Params{}))
    if (k == "week" && is_valid_date(v)) day = v;
  const std::string start = coordination::week_start(day);
  const std::string end = coordination::week_end(day);
  auto conn = ctx.services.db.acquire();
  coordination::TimeEntryFilter filter;
  filter.user_id = ctx.principal->user_id;
  filter.from = start;
  filter.to = end;
  filter.page.limit = 200;
  auto list = coordination::list_time_entries(*conn, ctx.actor(), filter);
  if (!list) return error_page(ctx, list.error());
  const bool this_week = coordination::same_week(day, today);
  nlohmann::json items = nlohmann::json::array();
  for (const auto& e : list->page.items)
    items.push_back({{"id", e.id},
                     {"date", display_date(e.date)},
                     {"kind", t(ctx, "coordination.time_kind." + e.kind)},
                     {"family", e.family_name},
                     {"minutes", e.minutes},
                     {"deletable", coordination::may_remove(e, today)}});
  std::vector<Choice> kinds{{"", "form.choose"}};
  for (const auto& k : coordination::time_kinds())
    kinds.push_back({k, "coordination.time_kind." + k});
  std::vector<Choice> families{{"", "coordination.time.no_family"}};
  for (const auto& f : coordination::bookable_families(*conn, ctx.actor()))
    families.push_back({f.id, f.name});
  nlohmann::json form_values = values;
  if (!form_values.contains("date")) form_values["date"] = today;
  auto data = Form(form_values, errors)
                  .text("date", "coordination.time.field.date", {.type = "date", .required = true})
                  .text("minutes", "coordination.time.field.minutes",
                        {.type = "number",
                         .inputmode = "numeric",
                         .hint = "coordination.time.hint.minutes",
                         .width = "house-number-size",
                         .required = true})
                  .select("kind", "coordination.time.field.kind", kinds, {.required = true})
                  .select("family_id", "coordination.time.field.family", families)
                  .json();
  data["items"] = items;
  data["empty"] = items.empty();
  data["total_minutes"] = list->total_minutes;
  data["total_hours"] = hours(list->total_minutes);
  data["start"] = format_date_nl(start);
  data["end"] = format_date_nl(end);
  data["this_week"] = this_week;
  data["previous_href"] = "/uren?week=" + add_days(start, -7);
  if (!this_week) {
    data["next_href"] = "/uren?week=" + add_days(start, 7);
    data["today_href"] = "/uren";
  }
  data["can_record"] = auth::allowed(*ctx.principal, auth::Action::time_entry_manage);
  if (!problem.empty()) data["problem"] = problem;
  return page(ctx, "coordination/time", "coordination.time.title", data, status);
}

http::Response show(app::RequestContext& ctx) {
  return week_page(ctx, nlohmann::json::object(), {}, 200);
}

http::Response create(app::RequestContext& ctx) {
  coordination::TimeEntryInput in;
  in.date = ctx.field("date");
  in.minutes = number(ctx.field("minutes"));
  in.kind = ctx.field("kind");
  if (!ctx.field("family_id").empty()) in.family_id = ctx.field("family_id");
  auto conn = ctx.services.db.acquire();
  auto created = coordination::record_time(*conn, ctx.actor(), in);
  if (!created) {
    const auto& e = created.error();
    if (e.kind != ErrorKind::invalid) return error_page(ctx, e);
    return week_page(ctx,
                     {{"date", in.date},
                      {"minutes", ctx.field("minutes")},
                      {"kind", in.kind},
                      {"family_id", ctx.field("family_id")}},
                     e.fields, 422);
  }
  flash(ctx, "coordination.time.saved");
  return http::Response::redirect("/uren?week=" + created->date);
}

http::Response remove(app::RequestContext& ctx) {
  auto conn = ctx.services.db.acquire();
  auto done = coordination::delete_time_entry(*conn, ctx.actor(), ctx.param("id"));
  if (!done) {
    if (done.error().kind == ErrorKind::conflict)
      return week_page(ctx, nlohmann::json::object(), {}, 409, t(ctx, done.error().message));
    return error_page(ctx, done.error());
  }
  flash(ctx, "coordination.time.deleted");
  return http::Response::redirect("/uren");
}

}  // namespace

void add_time_pages(app::AppRouter& router) {
  using auth::Action;
  router.add("GET", "/uren", Action::time_entry_list, show);
  router.add("POST", "/uren", Action::time_entry_manage, create);
  router.add("POST", "/uren/{id}/verwijderen", Action::time_entry_manage, remove);
}

}  // namespace oploop::web
