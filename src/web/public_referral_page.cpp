// The public referral form for referrers without an account: /aanmelden/{organisation}.
#include "app/app.hpp"
#include "organisations/organisations.hpp"
#include "referrals/referrals.hpp"
#include "web/page.hpp"
#include "web/referral_form.hpp"

namespace oploop::web {
namespace {

std::optional<organisations::Organisation> organisation(app::RequestContext& ctx) {
  auto conn = ctx.services.db.acquire();
  return organisations::find_by_slug(*conn, ctx.param("slug"));
}

http::Response form_page(app::RequestContext& ctx, const organisations::Organisation& org,
                         nlohmann::json data, int status) {
  data["organisation"] = {{"name", org.name}, {"slug", org.slug}};
  return page(ctx, "public/referral_form", "public_referral.title", data, status);
}

http::Response show(app::RequestContext& ctx) {
  auto org = organisation(ctx);
  if (!org) return error_page(ctx, 404);
  return form_page(ctx, *org, referral_form_data(ctx, nlohmann::json::object(), {}), 200);
}

http::Response submit(app::RequestContext& ctx) {
  auto org = organisation(ctx);
  if (!org) return error_page(ctx, 404);
  auto form = read_referral_form(ctx);
  if (!form.errors.empty()) {
    auto errors = form.errors;
    errors.merge(referrals::validate(form.input, amsterdam_date(ctx.services.clock.now())));
    return form_page(ctx, *org, referral_form_data(ctx, form.values, errors), 422);
  }
  auto conn = ctx.services.db.acquire();
  auto result =
      referrals::submit_public_referral(*conn, ctx.services.clock, org->slug, form.input,
                                        ctx.request.remote_ip, ctx.services.config.base_url);
  if (!result) {
    if (result.error().kind == ErrorKind::invalid)
      return form_page(ctx, *org, referral_form_data(ctx, form.values, result.error().fields), 422);
    return error_page(ctx, result.error());
  }
  // Post/redirect/get; the thank-you page shows nothing of what was sent.
  return http::Response::redirect("/aanmelden/" + org->slug + "/bedankt");
}

http::Response thanks(app::RequestContext& ctx) {
  auto org = organisation(ctx);
  if (!org) return error_page(ctx, 404);
  return page(ctx, "public/referral_thanks", "public_referral.thanks_title",
              {{"organisation", {{"name", org->name}, {"slug", org->slug}}}});
}

}  // namespace

void add_public_referral_pages(app::AppRouter& router) {
  using auth::Action;
  router.add("GET", "/aanmelden/{slug}", Action::public_access, show);
  router.add("POST", "/aanmelden/{slug}", Action::public_access, submit);
  router.add("GET", "/aanmelden/{slug}/bedankt", Action::public_access, thanks);
}

}  // namespace oploop::web
