// Family pages: the waiting list, a family's record with its household, editing.
#include "app/app.hpp"
#include "auth/policy.hpp"
#include "core/text.hpp"
#include "families/families.hpp"
#include "matches/matches.hpp"
#include "referrals/referral.hpp"
#include "web/form.hpp"
#include "web/page.hpp"
#include "web/view_models.hpp"

namespace oploop::web {
namespace {

http::Response waiting_list(app::RequestContext& ctx) {
  families::FamilyFilter filter;
  filter.status = "waiting";
  filter.page.limit = 50;
  for (const auto& [k, v] : http::parse_query(ctx.request.query).value_or(http::Params{}))
    if (k == "cursor" && !v.empty()) filter.page.cursor = v;
  auto conn = ctx.services.db.acquire();
  auto result = families::list_families(*conn, ctx.actor(), filter);
  if (!result)
    return error_page(
        ctx, result.error().kind == ErrorKind::invalid ? Error::not_found() : result.error());
  nlohmann::json items = nlohmann::json::array();
  for (const auto& f : result->items) items.push_back(family_view(ctx, f));
  nlohmann::json data = {{"items", items}, {"empty", items.empty()}};
  if (result->next_cursor)
    data["next_href"] = "/wachtlijst?cursor=" + http::percent_encode(*result->next_cursor);
  return page(ctx, "families/waiting_list", "waiting_list.title", data);
}

nlohmann::json member_form(const nlohmann::json& values,
                           const std::map<std::string, std::string>& errors) {
  nlohmann::json v = values;
  if (!v.contains("role")) v["role"] = "child";
  return Form(v, errors, "member-")
      .text("first_name", "member.first_name",
            {.autocomplete = "off", .required = true, .maxlength = 100})
      .select("role", "member.role",
              {{"parent", "member.role.parent"},
               {"child", "member.role.child"},
               {"other", "member.role.other"}},
              {.required = true})
      .text("birth_date", "member.birth_date", {.type = "date"})
      .json();
}

// The family's matches, for staff (a volunteer sees their own match elsewhere).
nlohmann::json matches_of(app::RequestContext& ctx, storage::Connection& c,
                          const std::string& family_id) {
  nlohmann::json out = nlohmann::json::array();
  if (!auth::allowed(*ctx.principal, auth::Action::match_manage)) return out;
  matches::MatchFilter filter;
  filter.family_id = family_id;
  auto page = matches::list_matches(c, ctx.actor(), filter);
  if (!page) return out;
  for (const auto& m : page->items)
    out.push_back({{"id", m.id},
                   {"volunteer_name", m.volunteer_name},
                   {"status_label", t(ctx, "match.status." + m.status)}});
  return out;
}

http::Response show_with(app::RequestContext& ctx, int status, nlohmann::json extra) {
  auto conn = ctx.services.db.acquire();
  auto f = families::get_family(*conn, ctx.actor(), ctx.param("id"));
  if (!f) return error_page(ctx, f.error());
  auto view = family_view(ctx, *f);
  if (ctx.principal->role == auth::Role::volunteer) {
    // A volunteer sees only what SPEC §1 allows: no needs assessment, no formal care.
    for (const char* hidden : {"needs", "has_needs", "formal_care", "has_formal_care"})
      view.erase(hidden);
    for (auto& m : view["members"]) m["birth_date"] = "";
  }
  nlohmann::json data = {
      {"family", view},
      {"can_edit", auth::allowed(*ctx.principal, auth::Action::family_update)},
      {"can_match",
       f->status == "waiting" && auth::allowed(*ctx.principal, auth::Action::matching_suggest)},
      {"is_volunteer", ctx.principal->role == auth::Role::volunteer},
      {"matches", matches_of(ctx, *conn, f->id)},
      {"has_matches", false},
      {"member_form", member_form(nlohmann::json::object(), {})}};
  data["has_matches"] = !data["matches"].empty();
  for (auto& [k, v] : extra.items()) data[k] = v;
  return page(ctx, "families/show", "family.title", data, status);
}

http::Response show(app::RequestContext& ctx) {
  return show_with(ctx, 200, nlohmann::json::object());
}

http::Response add_member(app::RequestContext& ctx) {
  families::MemberInput m{ctx.field("first_name"), ctx.field("role"), ctx.field("birth_date")};
  auto conn = ctx.services.db.acquire();
  auto result = families::add_member(*conn, ctx.actor(), ctx.param("id"), m);
  if (!result) {
    if (result.error().kind != ErrorKind::invalid) return error_page(ctx, result.error());
    return show_with(ctx, 422,
                     {{"member_form", member_form({{"first_name", m.first_name},
                                                   {"birth_date", m.birth_date},
                                                   {"role", m.role}},
                                                  result.error().fields)}});
  }
  flash(ctx, "family.member_added");
  return http::Response::redirect("/gezinnen/" + ctx.param("id") + "#huishouden");
}

http::Response edit_page(app::RequestContext& ctx, const nlohmann::json& values,
                         const std::vector<std::string>& needs,
                         const std::map<std::string, std::string>& errors, int status) {
  std::vector<Choice> domains;
  for (const auto& d : families::life_domains()) domains.push_back({d, "domain." + d});
  auto data =
      Form(values, errors)
          .text("display_name", "family.field.display_name", {.required = true, .maxlength = 200})
          .text("postcode", "family.field.postcode",
                {.autocomplete = "off",
                 .width = "postal-code-nl-size",
                 .required = true,
                 .maxlength = 7})
          .text("house_number", "family.field.house_number",
                {.width = "house-number-size", .required = true, .maxlength = 10})
          .text("city", "family.field.city", {.maxlength = 100})
          .text("phone", "family.field.phone", {.type = "tel", .maxlength = 40})
          .text("languages", "family.field.languages",
                {.hint = "referral.hint.languages", .maxlength = 100})
          .textarea("wishes", "family.field.wishes",
                    {.hint = "family.hint.wishes", .maxlength = 4000, .rows = 5})
          .checkboxes("needs", domains, needs)
          .json();
  data["id"] = ctx.param("id");
  return page(ctx, "families/edit", "family.edit_title", data, status);
}

http::Response edit_form(app::RequestContext& ctx) {
  auto conn = ctx.services.db.acquire();
  auto f = families::get_family(*conn, ctx.actor(), ctx.param("id"));
  if (!f) return error_page(ctx, f.error());
  std::string langs;
  for (const auto& l : f->languages) langs += (langs.empty() ? "" : ", ") + l;
  nlohmann::json values = {{"display_name", f->display_name},
                           {"postcode", text::display_postcode(f->postcode)},
                           {"house_number", f->house_number},
                           {"city", f->city},
                           {"phone", f->phone},
                           {"languages", langs},
                           {"wishes", f->wishes}};
  return edit_page(ctx, values, f->needs, {}, 200);
}

http::Response edit(app::RequestContext& ctx) {
  families::FamilyPatch p;
  p.display_name = ctx.field("display_name");
  p.postcode = ctx.field("postcode");
  p.house_number = ctx.field("house_number");
  p.city = ctx.field("city");
  p.phone = ctx.field("phone");
  p.wishes = ctx.field("wishes");
  p.languages = referrals::parse_code_list(ctx.field("languages"));
  p.needs = ctx.fields("needs");
  auto conn = ctx.services.db.acquire();
  auto result = families::update_family(*conn, ctx.actor(), ctx.param("id"), p);
  if (!result) {
    if (result.error().kind != ErrorKind::invalid) return error_page(ctx, result.error());
    nlohmann::json values;
    for (const char* name :
         {"display_name", "postcode", "house_number", "city", "phone", "languages", "wishes"})
      values[name] = ctx.field(name);
    return edit_page(ctx, values, *p.needs, result.error().fields, 422);
  }
  flash(ctx, "family.saved");
  return http::Response::redirect("/gezinnen/" + result->id);
}

}  // namespace

void add_family_pages(app::AppRouter& router) {
  using auth::Action;
  router.add("GET", "/wachtlijst", Action::waiting_list, waiting_list);
  router.add("GET", "/gezinnen/{id}", Action::family_read, show);
  router.add("GET", "/gezinnen/{id}/bewerken", Action::family_update, edit_form);
  router.add("POST", "/gezinnen/{id}/bewerken", Action::family_update, edit);
  router.add("POST", "/gezinnen/{id}/leden", Action::family_update, add_member);
}

}  // namespace oploop::web
