// /api/v1/referrals — thin adapter over referrals/.
#include "api/handler.hpp"
#include "api/representations.hpp"
#include "app/app.hpp"
#include "referrals/referrals.hpp"
#include "storage/database.hpp"

namespace oploop::api {
namespace {

referrals::ReferralInput referral_input(Reader& in) {
  referrals::ReferralInput r;
  r.team_id = in.optional_string("team_id");
  r.contact_name = in.string("contact_name");
  r.postcode = in.string("postcode");
  r.house_number = in.string("house_number");
  r.reason = in.string("reason");
  if (in.has("urgency")) r.urgency = in.string("urgency");
  r.consent = in.boolean("consent");
  r.consent_date = in.string("consent_date");
  r.children_birth_years = in.int_list("children_birth_years");
  r.languages = in.string_list("languages");
  r.other_care = in.string("other_care");
  if (const auto* ref = in.object("referrer")) {
    Reader rr(*ref);
    r.referrer = {rr.string("name"), rr.string("organisation"), rr.string("email"),
                  rr.string("phone")};
    for (auto& [k, v] : rr.errors()) in.error("referrer." + k, v);
  }
  return r;
}

http::Response list(app::RequestContext& ctx) {
  auto query = API_TRY(query_params(ctx));
  referrals::ReferralFilter filter;
  filter.page = API_TRY(page_request(query));
  if (auto it = query.find("status"); it != query.end()) filter.status = it->second;
  auto conn = ctx.services.db.acquire();
  auto page = API_TRY(referrals::list_referrals(*conn, ctx.actor(), filter));
  nlohmann::json items = nlohmann::json::array();
  for (const auto& r : page.items) items.push_back(to_json(r));
  return json_response(200, list_body(items, page.next_cursor));
}

http::Response create(app::RequestContext& ctx) {
  auto body = API_TRY(json_body(ctx));
  Reader in(body);
  auto input = referral_input(in);
  if (auto p = reader_problem(in, ctx)) return *p;
  auto conn = ctx.services.db.acquire();
  auto r = API_TRY(referrals::create_referral(*conn, ctx.actor(), input));
  auto res = json_response(201, to_json(r));
  res.set_header("Location", "/api/v1/referrals/" + r.id);
  return res;
}

http::Response show(app::RequestContext& ctx) {
  auto conn = ctx.services.db.acquire();
  auto r = API_TRY(referrals::get_referral(*conn, ctx.actor(), ctx.param("id")));
  return json_response(200, to_json(r));
}

http::Response accept(app::RequestContext& ctx) {
  auto body = API_TRY(json_body(ctx));
  Reader in(body);
  referrals::AcceptInput input{in.optional_string("display_name"), in.optional_string("team_id"),
                               in.optional_string("coordinator_id")};
  if (auto p = reader_problem(in, ctx)) return *p;
  auto conn = ctx.services.db.acquire();
  auto family = API_TRY(referrals::accept_referral(*conn, ctx.actor(), ctx.param("id"), input));
  auto res = json_response(201, to_json(family, ctx.principal->role));
  res.set_header("Location", "/api/v1/families/" + family.id);
  return res;
}

http::Response with_reason(app::RequestContext& ctx,
                           Result<referrals::Referral> (*op)(storage::Connection&,
                                                             const auth::Actor&, const std::string&,
                                                             const std::string&)) {
  auto body = API_TRY(json_body(ctx));
  Reader in(body);
  const std::string reason = in.string("reason");
  if (auto p = reader_problem(in, ctx)) return *p;
  auto conn = ctx.services.db.acquire();
  auto r = API_TRY(op(*conn, ctx.actor(), ctx.param("id"), reason));
  return json_response(200, to_json(r));
}

http::Response intake(app::RequestContext& ctx) {
  auto conn = ctx.services.db.acquire();
  auto r = API_TRY(referrals::start_intake(*conn, ctx.actor(), ctx.param("id")));
  return json_response(200, to_json(r));
}

}  // namespace

void add_referral_routes(app::AppRouter& router) {
  using auth::Action;
  router.add("GET", "/api/v1/referrals", Action::referral_list, list);
  router.add("POST", "/api/v1/referrals", Action::referral_create, create);
  router.add("GET", "/api/v1/referrals/{id}", Action::referral_read, show);
  router.add("POST", "/api/v1/referrals/{id}/intake", Action::referral_decide, intake);
  router.add("POST", "/api/v1/referrals/{id}/accept", Action::referral_decide, accept);
  router.add(
      "POST", "/api/v1/referrals/{id}/decline", Action::referral_decide,
      [](app::RequestContext& ctx) { return with_reason(ctx, referrals::decline_referral); });
  router.add(
      "POST", "/api/v1/referrals/{id}/withdraw", Action::referral_decide,
      [](app::RequestContext& ctx) { return with_reason(ctx, referrals::withdraw_referral); });
}

}  // namespace oploop::api
