// Signing in through the web pages against the real server on both engines: the session
// cookie, TOTP enrolment and the second factor, no session fixation, logout, lockout and
// throttling, and session expiry on a controlled clock (SECURITY-NOTES "Sessions", "TOTP").
#include <gtest/gtest.h>

#include <kainjow/mustache.hpp>
#include <nlohmann/json.hpp>
#include <regex>

#include "auth/totp.hpp"
#include "i18n/catalogue.hpp"
#include "support/test_app.hpp"

namespace oploop::testing {
namespace {

using namespace std::chrono_literals;
using nlohmann::json;

const char* const kSessionCookie = "oploop_session";

// The Set-Cookie header that sets (or clears) cookie `name`, "" when there is none.
std::string set_cookie_line(const HttpResult& r, const std::string& name) {
  auto [first, last] = r.headers.equal_range("Set-Cookie");
  for (auto it = first; it != last; ++it)
    if (it->second.rfind(name + "=", 0) == 0) return it->second;
  return {};
}

// The catalogue text as a page shows it (HTML-escaped).
std::string shown(const std::string& key) {
  return kainjow::mustache::html_escape(i18n::Catalogue::instance().text("nl", key));
}

// A code for `secret` at `at` that is valid at none of the accepted steps around `at`.
std::string wrong_code(const std::string& secret, TimePoint at) {
  const std::string valid[] = {auth::totp_code(secret, at - 30s), auth::totp_code(secret, at),
                               auth::totp_code(secret, at + 30s)};
  for (int n = 0;; ++n) {
    char code[8];
    std::snprintf(code, sizeof code, "%06d", (std::stoi(valid[1]) + 1 + n) % 1000000);
    if (std::find(std::begin(valid), std::end(valid), code) == std::end(valid)) return code;
  }
}

// The start of the current 30-second TOTP step plus a few seconds, so a test that moves the
// clock by less than 25 seconds stays within one step.
TimePoint step_start() {
  const auto now = std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
  return std::chrono::floor<std::chrono::duration<std::int64_t, std::ratio<30>>>(now) + 2s;
}

class WebAuth : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    TestAppOptions options;
    options.clock = &clock_;
    app_ = std::make_unique<TestApp>(GetParam(), options);
    if (!app_->available()) GTEST_SKIP() << app_->skip_reason();
  }

  const auth::User& user(const std::string& key) { return app_->a.users.at(key); }

  // GET /inloggen, then POST the credentials with the form's CSRF token.
  HttpResult login(HttpClient& c, const std::string& email, const std::string& password) {
    auto form = c.get("/inloggen");
    EXPECT_EQ(form.status, 200);
    return c.post_form(
        "/inloggen",
        {{"csrf_token", csrf_from(form.body)}, {"email", email}, {"password", password}});
  }

  // The coordinator's first sign-in: password, then TOTP enrolment through the page. Answers
  // the secret read from the page.
  std::string enrol_coordinator(HttpClient& c, const std::string& password) {
    auto signed_in = login(c, user("coordinator").email, password);
    EXPECT_EQ(signed_in.status, 303);
    EXPECT_EQ(signed_in.header("Location").value_or(""), "/inloggen/instellen");
    auto page = c.get("/inloggen/instellen");
    EXPECT_EQ(page.status, 200);
    std::smatch m;
    static const std::regex re(R"re(data-testid="totp-secret">([A-Z2-7 ]+)</code>)re");
    EXPECT_TRUE(std::regex_search(page.body, m, re)) << page.body;
    std::string secret = m[1].str();
    std::erase(secret, ' ');
    auto done = c.post_form(
        "/inloggen/instellen",
        {{"csrf_token", csrf_from(page.body)}, {"code", auth::totp_code(secret, clock_.now())}});
    EXPECT_EQ(done.status, 303) << done.body;
    EXPECT_EQ(done.header("Location").value_or(""), "/");
    return secret;
  }

  void logout(HttpClient& c) {
    auto home = c.get("/");
    ASSERT_EQ(home.status, 200);
    auto out = c.post_form("/uitloggen", {{"csrf_token", csrf_from(home.body)}});
    ASSERT_EQ(out.status, 303);
    ASSERT_EQ(out.header("Location").value_or(""), "/inloggen");
  }

  // A client that presents only the given session cookie.
  std::unique_ptr<HttpClient> with_session(const std::string& raw) {
    auto c = app_->anonymous();
    c->set_cookie(kSessionCookie, raw);
    return c;
  }

  std::int64_t log_count(const std::string& user_id, const std::string& event,
                         const std::string& outcome) {
    return scalar(app_->db(),
                  "SELECT COUNT(*) FROM access_log WHERE user_id = ? AND event = ? AND outcome = ?",
                  {user_id, event, outcome});
  }

  ManualClock clock_{step_start()};
  std::unique_ptr<TestApp> app_;
};

TEST_P(WebAuth, LoginFormSetsTheCsrfCookie) {
  auto c = app_->anonymous();
  auto form = c->get("/inloggen");
  ASSERT_EQ(form.status, 200);
  const std::string line = set_cookie_line(form, "oploop_csrf");
  ASSERT_FALSE(line.empty());
  EXPECT_NE(line.find("HttpOnly"), std::string::npos) << line;
  EXPECT_NE(line.find("SameSite="), std::string::npos) << line;
  EXPECT_NE(line.find("Path=/"), std::string::npos) << line;
  ASSERT_TRUE(c->cookie("oploop_csrf"));
  EXPECT_EQ(csrf_from(form.body), *c->cookie("oploop_csrf"));
  // The double submit: the form's token without the cookie is refused.
  auto bare = app_->anonymous();
  auto refused =
      bare->post_form("/inloggen", {{"csrf_token", csrf_from(form.body)},
                                    {"email", user("volunteer").email},
                                    {"password", app_->give_password(app_->a, "volunteer")}});
  EXPECT_EQ(refused.status, 403);
  EXPECT_FALSE(bare->cookie(kSessionCookie));
}

TEST_P(WebAuth, VolunteerGetsAHardenedSessionCookieAndLandsOnHome) {
  const auto password = app_->give_password(app_->a, "volunteer");
  auto c = app_->anonymous();
  auto r = login(*c, user("volunteer").email, password);
  ASSERT_EQ(r.status, 303) << r.body;
  EXPECT_EQ(r.header("Location").value_or(""), "/");
  const std::string line = set_cookie_line(r, kSessionCookie);
  ASSERT_FALSE(line.empty());
  EXPECT_NE(line.find("; HttpOnly"), std::string::npos) << line;
  EXPECT_NE(line.find("; SameSite=Lax"), std::string::npos) << line;
  EXPECT_NE(line.find("; Path=/"), std::string::npos) << line;
  EXPECT_EQ(line.find("Secure"), std::string::npos) << "no Secure over plain http: " << line;
  EXPECT_EQ(line.find("Domain"), std::string::npos) << line;
  const auto raw = c->cookie(kSessionCookie);
  ASSERT_TRUE(raw);
  EXPECT_GE(raw->size(), 22u) << "at least 128 bits";
  // Only the hash of the id is stored.
  EXPECT_EQ(scalar(app_->db(), "SELECT COUNT(*) FROM sessions WHERE id_hash = ?", {*raw}), 0);
  EXPECT_EQ(scalar(app_->db(), "SELECT COUNT(*) FROM sessions WHERE user_id = ? AND stage = 'full'",
                   {user("volunteer").id}),
            1);

  auto home = c->get("/");
  EXPECT_EQ(home.status, 200);
  auto me = c->get("/api/v1/me");
  ASSERT_EQ(me.status, 200) << me.body;
  EXPECT_EQ(json::parse(me.body)["email"], user("volunteer").email);
  EXPECT_EQ(log_count(user("volunteer").id, "login", "success"), 1);
}

TEST_P(WebAuth, CoordinatorEnrolsTotpAndGetsANewSessionId) {
  const auto password = app_->give_password(app_->a, "coordinator");
  auto c = app_->anonymous();
  auto r = login(*c, user("coordinator").email, password);
  ASSERT_EQ(r.status, 303);
  ASSERT_EQ(r.header("Location").value_or(""), "/inloggen/instellen");
  const auto before = c->cookie(kSessionCookie);
  ASSERT_TRUE(before);
  // Until 2FA is set up the session reaches only the enrolment page.
  auto home = c->get("/");
  EXPECT_EQ(home.status, 303);
  EXPECT_EQ(home.header("Location").value_or(""), "/inloggen/instellen");
  EXPECT_EQ(c->get("/api/v1/me").status, 401);

  auto page = c->get("/inloggen/instellen");
  ASSERT_EQ(page.status, 200);
  std::smatch m;
  ASSERT_TRUE(std::regex_search(
      page.body, m, std::regex(R"re(data-testid="totp-secret">([A-Z2-7 ]+)</code>)re")));
  std::string secret = m[1].str();
  std::erase(secret, ' ');
  EXPECT_EQ(secret.size(), 32u);  // 20 bytes of base32
  // Showing the page again keeps the same pending secret.
  auto again = c->get("/inloggen/instellen");
  EXPECT_NE(again.body.find(m[1].str()), std::string::npos);

  auto wrong = c->post_form("/inloggen/instellen", {{"csrf_token", csrf_from(page.body)},
                                                    {"code", wrong_code(secret, clock_.now())}});
  EXPECT_EQ(wrong.status, 422);
  auto done = c->post_form(
      "/inloggen/instellen",
      {{"csrf_token", csrf_from(page.body)}, {"code", auth::totp_code(secret, clock_.now())}});
  ASSERT_EQ(done.status, 303) << done.body;
  EXPECT_EQ(done.header("Location").value_or(""), "/");
  const auto after = c->cookie(kSessionCookie);
  ASSERT_TRUE(after);
  EXPECT_NE(*after, *before) << "the session id must change after the second factor";

  EXPECT_EQ(c->get("/").status, 200);
  EXPECT_EQ(c->get("/api/v1/me").status, 200);
  // The pre-2FA id is dead: it neither reaches the pages nor the enrolment again.
  auto stale = with_session(*before);
  auto stale_home = stale->get("/");
  EXPECT_EQ(stale_home.status, 303);
  EXPECT_EQ(stale_home.header("Location").value_or(""), "/inloggen");
  EXPECT_EQ(stale->get("/api/v1/me").status, 401);

  // The seed is stored, sealed.
  EXPECT_EQ(scalar(app_->db(), "SELECT COUNT(*) FROM users WHERE id = ? AND totp_enabled = 1",
                   {user("coordinator").id}),
            1);
  EXPECT_EQ(
      scalar(app_->db(), "SELECT COUNT(*) FROM users WHERE id = ? AND totp_secret_sealed LIKE ?",
             {user("coordinator").id, "%" + secret + "%"}),
      0);
  EXPECT_EQ(log_count(user("coordinator").id, "totp_enrol", "success"), 1);
  EXPECT_EQ(log_count(user("coordinator").id, "totp_enrol", "failure"), 1);
}

TEST_P(WebAuth, LogoutEndsTheSessionAndItsCookieCannotBeReplayed) {
  const auto password = app_->give_password(app_->a, "coordinator");
  auto c = app_->anonymous();
  enrol_coordinator(*c, password);
  const auto full = c->cookie(kSessionCookie);
  ASSERT_TRUE(full);
  ASSERT_EQ(c->get("/").status, 200);

  logout(*c);
  EXPECT_FALSE(c->cookie(kSessionCookie)) << "the cookie is cleared";
  EXPECT_EQ(scalar(app_->db(), "SELECT COUNT(*) FROM sessions WHERE user_id = ?",
                   {user("coordinator").id}),
            0);
  EXPECT_EQ(log_count(user("coordinator").id, "logout", "success"), 1);

  auto replay = with_session(*full);
  auto home = replay->get("/");
  EXPECT_EQ(home.status, 303);
  EXPECT_EQ(home.header("Location").value_or(""), "/inloggen");
  EXPECT_EQ(replay->get("/api/v1/me").status, 401);
  EXPECT_EQ(replay->get("/aanmeldingen").status, 303);
}

TEST_P(WebAuth, SecondLoginNeedsTheCodeAndTheHalfSessionReachesOnlyThatPage) {
  const auto password = app_->give_password(app_->a, "coordinator");
  auto c = app_->anonymous();
  const auto secret = enrol_coordinator(*c, password);
  logout(*c);

  clock_.advance(30s);  // a fresh code
  auto r = login(*c, user("coordinator").email, password);
  ASSERT_EQ(r.status, 303) << r.body;
  EXPECT_EQ(r.header("Location").value_or(""), "/inloggen/code");
  const auto half = c->cookie(kSessionCookie);
  ASSERT_TRUE(half);

  for (const char* path : {"/", "/aanmeldingen", "/account", "/inloggen/instellen"}) {
    auto page = c->get(path);
    if (std::string(path) == "/inloggen/instellen") {
      EXPECT_NE(page.status, 200) << "no enrolment for a password-stage session";
      continue;
    }
    EXPECT_EQ(page.status, 303) << path;
    EXPECT_EQ(page.header("Location").value_or(""), "/inloggen/code") << path;
  }
  EXPECT_EQ(c->get("/api/v1/me").status, 401);
  EXPECT_EQ(c->get("/api/v1/referrals").status, 401);

  auto code_page = c->get("/inloggen/code");
  ASSERT_EQ(code_page.status, 200);
  auto done = c->post_form("/inloggen/code", {{"csrf_token", csrf_from(code_page.body)},
                                              {"code", auth::totp_code(secret, clock_.now())}});
  ASSERT_EQ(done.status, 303) << done.body;
  EXPECT_EQ(done.header("Location").value_or(""), "/");
  const auto full = c->cookie(kSessionCookie);
  ASSERT_TRUE(full);
  EXPECT_NE(*full, *half) << "a new session id after the second factor";
  EXPECT_EQ(c->get("/").status, 200);
  EXPECT_EQ(c->get("/api/v1/me").status, 200);
  EXPECT_EQ(with_session(*half)->get("/api/v1/me").status, 401);
  EXPECT_EQ(log_count(user("coordinator").id, "login_2fa", "success"), 1);
}

TEST_P(WebAuth, FiveWrongCodesEndTheHalfSession) {
  const auto password = app_->give_password(app_->a, "coordinator");
  auto c = app_->anonymous();
  const auto secret = enrol_coordinator(*c, password);
  logout(*c);
  clock_.advance(30s);

  ASSERT_EQ(login(*c, user("coordinator").email, password).status, 303);
  const auto half = c->cookie(kSessionCookie);
  ASSERT_TRUE(half);
  auto code_page = c->get("/inloggen/code");
  ASSERT_EQ(code_page.status, 200);
  const std::string token = csrf_from(code_page.body);
  const std::string bad = wrong_code(secret, clock_.now());
  for (int i = 1; i <= 4; ++i) {
    auto r = c->post_form("/inloggen/code", {{"csrf_token", token}, {"code", bad}});
    EXPECT_EQ(r.status, 422) << "try " << i;
    EXPECT_NE(r.body.find(shown("totp.failed")), std::string::npos);
  }
  auto fifth = c->post_form("/inloggen/code", {{"csrf_token", token}, {"code", bad}});
  EXPECT_EQ(fifth.status, 303);
  EXPECT_EQ(fifth.header("Location").value_or(""), "/inloggen");
  EXPECT_FALSE(c->cookie(kSessionCookie));
  EXPECT_EQ(scalar(app_->db(), "SELECT COUNT(*) FROM sessions WHERE user_id = ?",
                   {user("coordinator").id}),
            0);

  // The ended session does not come back, not even with the right code.
  auto stale = with_session(*half);
  auto retry = stale->post_form(
      "/inloggen/code", {{"csrf_token", token}, {"code", auth::totp_code(secret, clock_.now())}});
  EXPECT_NE(retry.status, 200);
  EXPECT_FALSE(stale->cookie(kSessionCookie) && *stale->cookie(kSessionCookie) != *half);
  EXPECT_EQ(stale->get("/api/v1/me").status, 401);
  EXPECT_EQ(log_count(user("coordinator").id, "login_2fa", "failure"), 5);
  EXPECT_EQ(log_count(user("coordinator").id, "login_2fa", "success"), 0);
}

TEST_P(WebAuth, ReplayedCodeIsRefusedAndLogged) {
  const auto password = app_->give_password(app_->a, "coordinator");
  auto c = app_->anonymous();
  const auto secret = enrol_coordinator(*c, password);
  const std::string used = auth::totp_code(secret, clock_.now());
  logout(*c);

  // Same 30-second step: the code that enrolment just used.
  clock_.advance(5s);
  ASSERT_EQ(auth::totp_code(secret, clock_.now()), used);
  ASSERT_EQ(login(*c, user("coordinator").email, password).status, 303);
  auto code_page = c->get("/inloggen/code");
  ASSERT_EQ(code_page.status, 200);
  auto replayed =
      c->post_form("/inloggen/code", {{"csrf_token", csrf_from(code_page.body)}, {"code", used}});
  EXPECT_EQ(replayed.status, 422) << replayed.body;
  EXPECT_EQ(c->get("/api/v1/me").status, 401);
  EXPECT_EQ(scalar(app_->db(),
                   "SELECT COUNT(*) FROM access_log WHERE user_id = ? AND event = 'login_2fa' "
                   "AND outcome = 'failure' AND details LIKE '%replayed%'",
                   {user("coordinator").id}),
            1);

  // The next step's code works once...
  clock_.advance(30s);
  const std::string next = auth::totp_code(secret, clock_.now());
  auto ok =
      c->post_form("/inloggen/code", {{"csrf_token", csrf_from(code_page.body)}, {"code", next}});
  ASSERT_EQ(ok.status, 303) << ok.body;
  EXPECT_EQ(ok.header("Location").value_or(""), "/");
  logout(*c);
  // ...and is refused in the next sign-in within the same step.
  ASSERT_EQ(login(*c, user("coordinator").email, password).status, 303);
  auto page2 = c->get("/inloggen/code");
  auto again =
      c->post_form("/inloggen/code", {{"csrf_token", csrf_from(page2.body)}, {"code", next}});
  EXPECT_EQ(again.status, 422);
  EXPECT_EQ(c->get("/api/v1/me").status, 401);
}

TEST_P(WebAuth, TenWrongPasswordsLockTheAccount) {
  const auto password = app_->give_password(app_->a, "volunteer");
  const auto& volunteer = user("volunteer");
  auto c = app_->anonymous();
  for (int i = 1; i <= 10; ++i) {
    auto r = login(*c, volunteer.email, "verkeerd-wachtwoord-" + std::to_string(i));
    EXPECT_EQ(r.status, 401) << "attempt " << i;
    EXPECT_NE(r.body.find(shown("login.failed")), std::string::npos);
    EXPECT_FALSE(c->cookie(kSessionCookie));
  }
  // The 11th attempt, with the right password, is refused.
  auto locked = login(*c, volunteer.email, password);
  EXPECT_EQ(locked.status, 429);
  EXPECT_NE(locked.body.find(shown("login.locked")), std::string::npos) << locked.body;
  EXPECT_FALSE(c->cookie(kSessionCookie));
  EXPECT_EQ(scalar(app_->db(), "SELECT COUNT(*) FROM sessions WHERE user_id = ?", {volunteer.id}),
            0);

  EXPECT_EQ(log_count(volunteer.id, "login", "failure"), 10);
  EXPECT_EQ(log_count(volunteer.id, "login", "denied"), 1);
  EXPECT_EQ(scalar(app_->db(),
                   "SELECT COUNT(*) FROM access_log WHERE user_id = ? AND event = 'login' "
                   "AND details = 'bad_password_locked'",
                   {volunteer.id}),
            1);
  // No password ever reaches the log.
  EXPECT_EQ(scalar(app_->db(), "SELECT COUNT(*) FROM access_log WHERE details LIKE ?",
                   {"%verkeerd-wachtwoord%"}),
            0);

  // Still locked just before the 15 minutes are over; open again after.
  clock_.advance(14min);
  EXPECT_EQ(login(*c, volunteer.email, password).status, 429);
  clock_.advance(61s);
  auto open = login(*c, volunteer.email, password);
  EXPECT_EQ(open.status, 303) << open.body;
  EXPECT_EQ(c->get("/").status, 200);
}

TEST_P(WebAuth, UnknownEmailAnswersLikeAWrongPassword) {
  app_->give_password(app_->a, "volunteer");
  auto c = app_->anonymous();
  const std::string known = user("volunteer").email;
  const std::string unknown = "niemand@org-a.test";
  auto wrong = login(*c, known, "verkeerd-wachtwoord-123");
  auto missing = login(*c, unknown, "verkeerd-wachtwoord-123");
  EXPECT_EQ(wrong.status, 401);
  EXPECT_EQ(missing.status, wrong.status);
  // The same page, apart from the address echoed in the form.
  auto neutral = [](std::string body, const std::string& email) {
    for (auto pos = body.find(email); pos != std::string::npos; pos = body.find(email, pos))
      body.replace(pos, email.size(), "EMAIL");
    return body;
  };
  EXPECT_EQ(neutral(missing.body, unknown), neutral(wrong.body, known));
  EXPECT_EQ(missing.header("Content-Type"), wrong.header("Content-Type"));
  EXPECT_EQ(scalar(app_->db(),
                   "SELECT COUNT(*) FROM access_log WHERE event = 'login' AND outcome = 'failure' "
                   "AND details = 'unknown_account'"),
            1);
}

TEST_P(WebAuth, OneAddressIsThrottledAfter30Attempts) {
  const auto password = app_->give_password(app_->a, "volunteer");
  auto c = app_->anonymous();
  // Different (unknown) accounts, so no account lockout is involved.
  for (int i = 1; i <= 30; ++i) {
    auto r = login(*c, "onbekend" + std::to_string(i) + "@org-a.test", "verkeerd-wachtwoord-123");
    ASSERT_EQ(r.status, 401) << "attempt " << i;
  }
  auto throttled = login(*c, user("volunteer").email, password);
  EXPECT_EQ(throttled.status, 429);
  // A client-sent forwarding header does not make a new address.
  c->set_header("X-Forwarded-For", "203.0.113.7");
  c->set_header("X-Real-IP", "203.0.113.7");
  EXPECT_EQ(login(*c, user("volunteer").email, password).status, 429);
  c->clear_header("X-Forwarded-For");
  c->clear_header("X-Real-IP");
  EXPECT_NE(throttled.body.find(shown("login.throttled")), std::string::npos);
  EXPECT_FALSE(c->cookie(kSessionCookie));
  EXPECT_GE(scalar(app_->db(),
                   "SELECT COUNT(*) FROM access_log WHERE event = 'login' AND outcome = 'denied' "
                   "AND details = 'address_throttled'"),
            1);
  // The window slides: 15 minutes later the address may try again.
  clock_.advance(15min + 1s);
  EXPECT_EQ(login(*c, user("volunteer").email, password).status, 303);
}

TEST_P(WebAuth, IdleSessionExpiresAfter15Minutes) {
  const auto password = app_->give_password(app_->a, "volunteer");
  auto c = app_->anonymous();
  ASSERT_EQ(login(*c, user("volunteer").email, password).status, 303);
  const auto raw = c->cookie(kSessionCookie);
  ASSERT_TRUE(raw);
  // Activity keeps it alive...
  for (int i = 0; i < 3; ++i) {
    clock_.advance(14min);
    ASSERT_EQ(c->get("/").status, 200) << "after " << (i + 1) * 14 << " minutes of activity";
  }
  // ...16 minutes of silence end it.
  clock_.advance(16min);
  auto home = c->get("/");
  EXPECT_EQ(home.status, 303);
  EXPECT_EQ(home.header("Location").value_or(""), "/inloggen");
  EXPECT_EQ(with_session(*raw)->get("/api/v1/me").status, 401);
  EXPECT_EQ(
      scalar(app_->db(), "SELECT COUNT(*) FROM sessions WHERE user_id = ?", {user("volunteer").id}),
      0);
}

TEST_P(WebAuth, SessionEndsAfter12HoursEvenWhenActive) {
  const auto password = app_->give_password(app_->a, "volunteer");
  auto c = app_->anonymous();
  ASSERT_EQ(login(*c, user("volunteer").email, password).status, 303);
  const auto raw = c->cookie(kSessionCookie);
  ASSERT_TRUE(raw);
  // Active every 10 minutes for 11 h 50 min.
  for (int i = 1; i <= 71; ++i) {
    clock_.advance(10min);
    ASSERT_EQ(c->get("/api/v1/me").status, 200) << "after " << i * 10 << " minutes";
  }
  clock_.advance(10min);  // 12 hours since sign-in
  auto home = c->get("/");
  EXPECT_EQ(home.status, 303);
  EXPECT_EQ(home.header("Location").value_or(""), "/inloggen");
  EXPECT_EQ(with_session(*raw)->get("/api/v1/me").status, 401);
}

TEST_P(WebAuth, PlantedSessionCookieIsReplacedAtLogin) {
  const auto password = app_->give_password(app_->a, "volunteer");
  auto c = app_->anonymous();
  const std::string planted = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";
  c->set_cookie(kSessionCookie, planted);
  auto r = login(*c, user("volunteer").email, password);
  ASSERT_EQ(r.status, 303);
  ASSERT_TRUE(c->cookie(kSessionCookie));
  EXPECT_NE(*c->cookie(kSessionCookie), planted);
  EXPECT_EQ(with_session(planted)->get("/api/v1/me").status, 401);
}

// The language switch sends the browser back to `next`, but only to a path of this site:
// browsers drop tabs and line breaks from URLs, so "/\t/evil.example" is "//evil.example".
TEST_P(WebAuth, LanguageSwitchNeverRedirectsOffSite) {
  auto c = app_->anonymous();
  const std::string token = csrf_from(c->get("/inloggen").body);
  for (const std::string next : {"//evil.example", "/\\evil.example", "\\\\evil.example",
                                 "https://evil.example", "/\t/evil.example", "/\n/evil.example",
                                 "/\r/evil.example", "\t//evil.example", "/ /evil.example"}) {
    auto r = c->post_form("/taal", {{"csrf_token", token}, {"lang", "en"}, {"next", next}});
    const std::string location = r.header("Location").value_or("");
    EXPECT_EQ(r.status, 303) << ::testing::PrintToString(next);
    EXPECT_EQ(location, next == "/ /evil.example" ? next : "/")
        << ::testing::PrintToString(next) << " -> " << ::testing::PrintToString(location);
  }
  auto ok = c->post_form(
      "/taal", {{"csrf_token", token}, {"lang", "nl"}, {"next", "/aanmeldingen?status=new"}});
  EXPECT_EQ(ok.header("Location").value_or(""), "/aanmeldingen?status=new");
}

INSTANTIATE_TEST_SUITE_P(Engines, WebAuth, ::testing::ValuesIn(engines()));

}  // namespace
}  // namespace oploop::testing
