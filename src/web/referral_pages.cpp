// Referral pages for coordinators and project leads: list, new, detail and decisions.
#include "app/app.hpp"
#include "referrals/referrals.hpp"
#include "web/form.hpp"
#include "web/page.hpp"
#include "web/referral_form.hpp"
#include "web/view_models.hpp"

namespace oploop::web {
namespace {

const std::vector<std::string> kStatuses = {"new", "in_intake", "accepted", "declined",
                                            "withdrawn"};

http::Response list(app::RequestContext& ctx) {
  auto query = http::parse_query(ctx.request.query).value_or(http::Params{});
  referrals::ReferralFilter filter;
  for (const auto& [k, v] : query) {
    if (k == "status" && !v.empty()) filter.status = v;
    if (k == "cursor" && !v.empty()) filter.page.cursor = v;
  }
  filter.page.limit = 25;
  auto conn = ctx.services.db.acquire();
  auto result = referrals::list_referrals(*conn, ctx.actor(), filter);
  if (!result)
    return error_page(
        ctx, result.error().kind == ErrorKind::invalid ? Error::not_found() : result.error());
  nlohmann::json items = nlohmann::json::array();
  for (const auto& r : result->items) items.push_back(referral_view(ctx, r));
  nlohmann::json tabs = nlohmann::json::array();
  tabs.push_back({{"label", t(ctx, "referral.filter.all")},
                  {"href", "/aanmeldingen"},
                  {"current", !filter.status}});
  for (const auto& s : kStatuses)
    tabs.push_back({{"label", t(ctx, "referral.status." + s)},
                    {"href", "/aanmeldingen?status=" + s},
                    {"current", filter.status == s}});
  nlohmann::json data = {{"items", items}, {"empty", items.empty()}, {"tabs", tabs}};
  if (result->next_cursor) {
    data["next_href"] = "/aanmeldingen?" +
                        (filter.status ? "status=" + *filter.status + "&" : std::string()) +
                        "cursor=" + http::percent_encode(*result->next_cursor);
  }
  return page(ctx, "referrals/list", "referrals.title", data);
}

http::Response new_form(app::RequestContext& ctx) {
  return page(ctx, "referrals/new", "referrals.new_title",
              referral_form_data(ctx, nlohmann::json::object(), {}));
}

http::Response create(app::RequestContext& ctx) {
  auto form = read_referral_form(ctx);
  auto conn = ctx.services.db.acquire();
  // A field the form could not read is reported together with every other problem.
  auto errors = form.errors;
  if (!errors.empty())
    errors.merge(referrals::validate(form.input, amsterdam_date(ctx.services.clock.now())));
  Result<referrals::Referral> result = fail(Error::invalid(errors));
  if (errors.empty()) result = referrals::create_referral(*conn, ctx.actor(), form.input);
  if (!result) {
    if (result.error().kind != ErrorKind::invalid) return error_page(ctx, result.error());
    return page(ctx, "referrals/new", "referrals.new_title",
                referral_form_data(ctx, form.values, result.error().fields), 422);
  }
  flash(ctx, "referral.created");
  return http::Response::redirect("/aanmeldingen/" + result->id);
}

// The decision forms on the detail page; `failed` names the one that failed validation.
struct DecisionForms {
  std::string failed;  // "", accept, decline, withdraw
  std::map<std::string, std::string> errors;
  nlohmann::json values = nlohmann::json::object();
};

http::Response show_with(app::RequestContext& ctx, int status, const DecisionForms& forms) {
  auto conn = ctx.services.db.acquire();
  auto r = referrals::get_referral(*conn, ctx.actor(), ctx.param("id"));
  if (!r) return error_page(ctx, r.error());
  auto errors_for = [&](const char* name) {
    return forms.failed == name ? forms.errors : std::map<std::string, std::string>{};
  };
  auto values_for = [&](const char* name) {
    return forms.failed == name ? forms.values : nlohmann::json::object();
  };
  nlohmann::json accept_values = values_for("accept");
  if (!accept_values.contains("display_name")) accept_values["display_name"] = r->contact_name;
  nlohmann::json data = {
      {"referral", referral_view(ctx, *r)},
      {"accept_form",
       Form(accept_values, errors_for("accept"), "accept-")
           .text("display_name", "referral.field.display_name",
                 {.hint = "referral.hint.display_name", .required = true, .maxlength = 200})
           .json()},
      {"decline_form", Form(values_for("decline"), errors_for("decline"), "decline-")
                           .textarea("reason", "referral.field.decline_reason",
                                     {.required = true, .maxlength = 2000, .rows = 3})
                           .json()},
      {"withdraw_form",
       Form(values_for("withdraw"), errors_for("withdraw"), "withdraw-")
           .textarea("reason", "referral.field.withdraw_reason", {.maxlength = 2000, .rows = 2})
           .json()}};
  return page(ctx, "referrals/show", "referrals.show_title", data, status);
}

http::Response show(app::RequestContext& ctx) { return show_with(ctx, 200, {}); }

http::Response intake(app::RequestContext& ctx) {
  auto conn = ctx.services.db.acquire();
  auto r = referrals::start_intake(*conn, ctx.actor(), ctx.param("id"));
  if (!r) return error_page(ctx, r.error());
  flash(ctx, "referral.intake_started");
  return http::Response::redirect("/aanmeldingen/" + r->id);
}

http::Response accept(app::RequestContext& ctx) {
  referrals::AcceptInput input;
  if (ctx.has_field("display_name")) input.display_name = ctx.field("display_name");
  auto conn = ctx.services.db.acquire();
  auto family = referrals::accept_referral(*conn, ctx.actor(), ctx.param("id"), input);
  if (!family) {
    if (family.error().kind == ErrorKind::invalid)
      return show_with(
          ctx, 422,
          {"accept", family.error().fields, {{"display_name", ctx.field("display_name")}}});
    return error_page(ctx, family.error());
  }
  flash(ctx, "referral.accepted");
  return http::Response::redirect("/gezinnen/" + family->id);
}

http::Response decide(app::RequestContext& ctx, bool decline) {
  auto conn = ctx.services.db.acquire();
  auto r =
      decline
          ? referrals::decline_referral(*conn, ctx.actor(), ctx.param("id"), ctx.field("reason"))
          : referrals::withdraw_referral(*conn, ctx.actor(), ctx.param("id"), ctx.field("reason"));
  if (!r) {
    if (r.error().kind == ErrorKind::invalid)
      return show_with(
          ctx, 422,
          {decline ? "decline" : "withdraw", r.error().fields, {{"reason", ctx.field("reason")}}});
    return error_page(ctx, r.error());
  }
  flash(ctx, decline ? "referral.declined" : "referral.withdrawn");
  return http::Response::redirect("/aanmeldingen/" + r->id);
}

}  // namespace

void add_referral_pages(app::AppRouter& router) {
  using auth::Action;
  router.add("GET", "/aanmeldingen", Action::referral_list, list);
  router.add("GET", "/aanmeldingen/nieuw", Action::referral_create, new_form);
  router.add("POST", "/aanmeldingen", Action::referral_create, create);
  router.add("GET", "/aanmeldingen/{id}", Action::referral_read, show);
  router.add("POST", "/aanmeldingen/{id}/intake", Action::referral_decide, intake);
  router.add("POST", "/aanmeldingen/{id}/accepteren", Action::referral_decide, accept);
  router.add("POST", "/aanmeldingen/{id}/afwijzen", Action::referral_decide,
             [](app::RequestContext& ctx) { return decide(ctx, true); });
  router.add("POST", "/aanmeldingen/{id}/intrekken", Action::referral_decide,
             [](app::RequestContext& ctx) { return decide(ctx, false); });
}

}  // namespace oploop::web
