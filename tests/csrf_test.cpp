// The dispatcher's request hardening against the real server on both engines: CSRF token and
// Origin on every state change (forms and the API with a session cookie), Content-Type 415,
// 405 with Allow, duplicate query parameters 400, and the security headers (SECURITY-NOTES
// "CSRF token plus same-origin Origin check", "Headers").
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <regex>

#include "auth/totp.hpp"
#include "support/test_app.hpp"

namespace oploop::testing {
namespace {

using nlohmann::json;

const char* const kSessionCookie = "oploop_session";
const char* const kCsp =
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

const char* const kApiReferral = R"({
  "contact_name": "Anna Test", "postcode": "3511 ab", "house_number": "12",
  "reason": "Hulp bij post", "consent": true, "consent_date": "2026-01-05",
  "referrer": {"name": "R", "organisation": "CJG", "email": "r@cjg.example"}})";

class Csrf : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    app_ = std::make_unique<TestApp>(GetParam());
    if (!app_->available()) GTEST_SKIP() << app_->skip_reason();
  }

  std::unique_ptr<HttpClient> signed_in(const std::string& key) {
    return app_->signed_in(app_->a, key);
  }

  // The session's CSRF token, as the pages put it in their forms.
  std::string token_of(HttpClient& c) {
    auto page = c.get("/aanmeldingen/nieuw");
    EXPECT_EQ(page.status, 200);
    return csrf_from(page.body);
  }

  http::Params referral_fields(const std::string& csrf_token) {
    http::Params p = {{"contact_name", "Anna Test"},
                      {"postcode", "3511 AB"},
                      {"house_number", "12"},
                      {"reason", "Hulp bij de administratie"},
                      {"urgency", "normal"},
                      {"consent", "yes"},
                      {"consent_date", to_date(app_->clock().now())},
                      {"referrer_name", "R. Verwijzer"},
                      {"referrer_organisation", "CJG"},
                      {"referrer_email", "r@cjg.example"}};
    if (!csrf_token.empty()) p.emplace_back("csrf_token", csrf_token);
    return p;
  }

  // POST /aanmeldingen as a browser would send it, with extra headers.
  HttpResult post_referral(HttpClient& c, const http::Params& fields,
                           const http::Headers& extra = {}) {
    std::string body;
    for (const auto& [k, v] : fields)
      body += (body.empty() ? "" : "&") + http::percent_encode(k) + "=" + http::percent_encode(v);
    http::Headers headers = extra;
    headers.emplace("Content-Type", "application/x-www-form-urlencoded");
    return c.request("POST", "/aanmeldingen", body, headers);
  }

  std::int64_t referrals() { return scalar(app_->db(), "SELECT COUNT(*) FROM referrals"); }

  std::unique_ptr<TestApp> app_;
};

TEST_P(Csrf, FormPostWithoutTokenIs403) {
  auto c = signed_in("coordinator");
  ASSERT_FALSE(token_of(*c).empty());
  auto r = post_referral(*c, referral_fields(""));
  EXPECT_EQ(r.status, 403) << r.body;
  EXPECT_EQ(referrals(), 0);
}

TEST_P(Csrf, FormPostWithWrongTokenIs403) {
  auto c = signed_in("coordinator");
  const std::string own = token_of(*c);
  EXPECT_EQ(post_referral(*c, referral_fields("not-the-token")).status, 403);
  EXPECT_EQ(post_referral(*c, referral_fields(own + "x")).status, 403);
  // Another session's valid token does not fit this session.
  auto other = signed_in("other_coordinator");
  const std::string foreign = token_of(*other);
  ASSERT_NE(foreign, own);
  EXPECT_EQ(post_referral(*c, referral_fields(foreign)).status, 403);
  // Nor does the anonymous double-submit cookie stand in for the session's token.
  auto anon = app_->anonymous();
  anon->get("/inloggen");
  const auto anon_token = anon->cookie("oploop_csrf");
  ASSERT_TRUE(anon_token);
  c->set_cookie("oploop_csrf", *anon_token);
  EXPECT_EQ(post_referral(*c, referral_fields(*anon_token)).status, 403);
  EXPECT_EQ(referrals(), 0);
}

TEST_P(Csrf, ForeignOriginIs403EvenWithTheRightToken) {
  auto c = signed_in("coordinator");
  const std::string token = token_of(*c);
  for (const char* origin : {"http://evil.example", "null", "https://127.0.0.1.evil.example"}) {
    auto r = post_referral(*c, referral_fields(token), {{"Origin", origin}});
    EXPECT_EQ(r.status, 403) << origin;
  }
  EXPECT_EQ(referrals(), 0);
}

TEST_P(Csrf, RightTokenAndOwnOriginPass) {
  auto c = signed_in("coordinator");
  const std::string token = token_of(*c);
  auto r = post_referral(*c, referral_fields(token), {{"Origin", app_->base_url()}});
  EXPECT_NE(r.status, 403) << r.body;
  EXPECT_EQ(r.status, 303) << r.body;
  EXPECT_EQ(r.header("Location").value_or("").rfind("/aanmeldingen/", 0), 0u);
  // Without an Origin header (older browsers, same-origin GET-then-POST) the token suffices.
  EXPECT_EQ(post_referral(*c, referral_fields(token)).status, 303);
  EXPECT_EQ(referrals(), 2);
}

TEST_P(Csrf, ApiWithSessionCookieNeedsTheCsrfHeader) {
  auto c = signed_in("coordinator");
  const std::string token = token_of(*c);
  auto bare = c->post_json("/api/v1/referrals", kApiReferral);
  EXPECT_EQ(bare.status, 403) << bare.body;
  auto wrong = c->request("POST", "/api/v1/referrals", kApiReferral,
                          {{"Content-Type", "application/json"}, {"X-CSRF-Token", "nope"}});
  EXPECT_EQ(wrong.status, 403);
  auto foreign = c->request("POST", "/api/v1/referrals", kApiReferral,
                            {{"Content-Type", "application/json"},
                             {"X-CSRF-Token", token},
                             {"Origin", "http://evil.example"}});
  EXPECT_EQ(foreign.status, 403);
  EXPECT_EQ(referrals(), 0);
  auto ok = c->request("POST", "/api/v1/referrals", kApiReferral,
                       {{"Content-Type", "application/json"}, {"X-CSRF-Token", token}});
  EXPECT_EQ(ok.status, 201) << ok.body;
  EXPECT_EQ(referrals(), 1);
}

TEST_P(Csrf, BearerTokenNeedsNoCsrf) {
  auto c = app_->client_as(app_->a, "coordinator");
  auto r = c->post_json("/api/v1/referrals", kApiReferral);
  EXPECT_EQ(r.status, 201) << r.body;
  EXPECT_EQ(referrals(), 1);
}

TEST_P(Csrf, WrongContentTypeIs415) {
  auto c = signed_in("coordinator");
  const std::string token = token_of(*c);
  std::string body;
  for (const auto& [k, v] : referral_fields(token))
    body += (body.empty() ? "" : "&") + http::percent_encode(k) + "=" + http::percent_encode(v);
  auto form = c->request("POST", "/aanmeldingen", body, {{"Content-Type", "text/plain"}});
  EXPECT_EQ(form.status, 415) << form.body;
  auto none = c->request("POST", "/aanmeldingen", body, {{"Content-Type", ""}});
  EXPECT_EQ(none.status, 415);
  auto anon = app_->anonymous();
  anon->get("/inloggen");
  auto login =
      anon->request("POST", "/inloggen", "email=a&password=b", {{"Content-Type", "text/plain"}});
  EXPECT_EQ(login.status, 415);

  auto api = app_->client_as(app_->a, "coordinator");
  auto text =
      api->request("POST", "/api/v1/referrals", kApiReferral, {{"Content-Type", "text/plain"}});
  EXPECT_EQ(text.status, 415) << text.body;
  auto urlencoded = api->request("POST", "/api/v1/referrals", "contact_name=x",
                                 {{"Content-Type", "application/x-www-form-urlencoded"}});
  EXPECT_EQ(urlencoded.status, 415);
  EXPECT_EQ(referrals(), 0);
}

TEST_P(Csrf, GetNeverChangesStateAndUnusedMethodsAre405) {
  auto c = signed_in("coordinator");
  auto r = c->get("/uitloggen");
  EXPECT_EQ(r.status, 405);
  EXPECT_EQ(r.header("Allow").value_or(""), "POST");
  EXPECT_EQ(c->get("/").status, 200) << "GET /uitloggen must not sign out";
  EXPECT_EQ(scalar(app_->db(), "SELECT COUNT(*) FROM sessions WHERE user_id = ?",
                   {app_->a.users.at("coordinator").id}),
            1);

  // A state change route answers GET with 405 too, and changes nothing.
  auto created =
      app_->client_as(app_->a, "coordinator")->post_json("/api/v1/referrals", kApiReferral);
  ASSERT_EQ(created.status, 201);
  const auto id = json::parse(created.body)["id"].get<std::string>();
  auto intake = c->get("/aanmeldingen/" + id + "/intake");
  EXPECT_EQ(intake.status, 405);
  EXPECT_EQ(intake.header("Allow").value_or(""), "POST");
  EXPECT_EQ(
      scalar(app_->db(), "SELECT COUNT(*) FROM referrals WHERE id = ? AND status = 'new'", {id}),
      1);

  auto del = c->request("DELETE", "/inloggen");
  EXPECT_EQ(del.status, 405);
  const auto allow = del.header("Allow").value_or("");
  EXPECT_NE(allow.find("GET"), std::string::npos) << allow;
  EXPECT_NE(allow.find("POST"), std::string::npos) << allow;
  EXPECT_EQ(allow.find("DELETE"), std::string::npos) << allow;
}

TEST_P(Csrf, DuplicateQueryParameterOnApiListIs400) {
  auto c = app_->client_as(app_->a, "coordinator");
  EXPECT_EQ(c->get("/api/v1/referrals?status=new").status, 200);
  auto dup = c->get("/api/v1/referrals?status=new&status=new");
  EXPECT_EQ(dup.status, 400) << dup.body;
  EXPECT_EQ(dup.header("Content-Type").value_or(""), "application/problem+json; charset=utf-8");
  EXPECT_EQ(c->get("/api/v1/referrals?status=new&status=declined").status, 400);
  auto lead = app_->client_as(app_->a, "project_lead");
  EXPECT_EQ(lead->get("/api/v1/families?status=waiting&status=waiting").status, 400);
}

TEST_P(Csrf, SecurityHeadersOnPagesAndApi) {
  auto c = signed_in("coordinator");
  auto anon_page = app_->anonymous()->get("/inloggen");
  auto page = c->get("/aanmeldingen");
  auto api = app_->client_as(app_->a, "coordinator")->get("/api/v1/me");
  auto session_api = c->get("/api/v1/me");
  ASSERT_EQ(anon_page.status, 200);
  ASSERT_EQ(page.status, 200);
  ASSERT_EQ(api.status, 200);
  ASSERT_EQ(session_api.status, 200);
  for (const auto* r : {&anon_page, &page, &api, &session_api}) {
    const auto csp = r->header("Content-Security-Policy").value_or("");
    EXPECT_EQ(csp, kCsp);
    EXPECT_EQ(csp.find("unsafe-"), std::string::npos);
    EXPECT_EQ(r->header("X-Frame-Options").value_or(""), "DENY");
    EXPECT_EQ(r->header("X-Content-Type-Options").value_or(""), "nosniff");
    EXPECT_EQ(r->header("Referrer-Policy").value_or(""), "same-origin");
    EXPECT_NE(r->header("Content-Type").value_or("").find("charset=utf-8"), std::string::npos);
    // Plain http: no HSTS (it belongs behind TLS).
    EXPECT_FALSE(r->header("Strict-Transport-Security"));
    if (auto server = r->header("Server")) {
      EXPECT_FALSE(std::regex_search(*server, std::regex("[0-9]"))) << *server;
    }
  }
  // Authenticated answers are never stored by a cache.
  EXPECT_EQ(page.header("Cache-Control").value_or(""), "no-store");
  EXPECT_EQ(api.header("Cache-Control").value_or(""), "no-store");
  EXPECT_EQ(session_api.header("Cache-Control").value_or(""), "no-store");
  // Error pages carry the headers as well.
  auto missing = c->get("/bestaat-niet");
  EXPECT_EQ(missing.status, 404);
  EXPECT_EQ(missing.header("Content-Security-Policy").value_or(""), kCsp);
  EXPECT_EQ(missing.header("X-Frame-Options").value_or(""), "DENY");
}

INSTANTIATE_TEST_SUITE_P(Engines, Csrf, ::testing::ValuesIn(engines()));

}  // namespace
}  // namespace oploop::testing
