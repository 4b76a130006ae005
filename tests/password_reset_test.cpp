// Password reset and set-password links against the real server and a real SMTP server, on
// both engines: the same answer for known and unknown addresses, one mail with a path-only
// link, the password policy, single use, 30-minute expiry on a controlled clock, other
// sessions ended, a "password changed" notice (SECURITY-NOTES "Passwords").
#include <gtest/gtest.h>

#include <kainjow/mustache.hpp>
#include <regex>
#include <thread>

#include "auth/password_reset.hpp"
#include "i18n/catalogue.hpp"
#include "support/smtp_server.hpp"
#include "support/test_app.hpp"

namespace oploop::testing {
namespace {

using namespace std::chrono_literals;

const char* const kNewPassword = "een-heel-nieuw-wachtwoord-voor-de-herfst";

std::string shown(const std::string& key) {
  return kainjow::mustache::html_escape(i18n::Catalogue::instance().text("nl", key));
}

// The body of a raw message as a reader sees it (soft breaks of quoted-printable undone).
std::string body_of(const std::string& raw) {
  const auto split = raw.find("\r\n\r\n");
  EXPECT_NE(split, std::string::npos);
  std::string body = raw.substr(split + 4);
  if (raw.substr(0, split).find("quoted-printable") == std::string::npos) return body;
  std::string out;
  for (std::size_t i = 0; i < body.size(); ++i) {
    if (body[i] != '=') {
      out += body[i];
    } else if (body.compare(i + 1, 2, "\r\n") == 0) {
      i += 2;
    } else if (i + 2 < body.size()) {
      out += static_cast<char>(std::stoi(body.substr(i + 1, 2), nullptr, 16));
      i += 2;
    }
  }
  return out;
}

class PasswordReset : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    TestAppOptions options;
    options.smtp_url = sink_.url();
    options.clock = &clock_;
    app_ = std::make_unique<TestApp>(GetParam(), options);
    if (!app_->available()) GTEST_SKIP() << app_->skip_reason();
  }

  const auth::User& volunteer() { return app_->a.users.at("volunteer"); }

  HttpResult ask_reset(HttpClient& c, const std::string& email) {
    auto form = c.get("/wachtwoord/vergeten");
    EXPECT_EQ(form.status, 200);
    return c.post_form("/wachtwoord/vergeten",
                       {{"csrf_token", csrf_from(form.body)}, {"email", email}});
  }

  // Asks a reset for the volunteer, delivers the mail and answers the link's path.
  std::string reset_path() {
    auto c = app_->anonymous();
    EXPECT_EQ(ask_reset(*c, volunteer().email).status, 200);
    const auto before = sink_.messages().size();
    EXPECT_EQ(app_->deliver_mail(), 1);
    EXPECT_TRUE(sink_.wait_for(before + 1, 10s));
    const std::string body = body_of(sink_.messages().back());
    std::smatch m;
    const std::regex link(app_->base_url() + R"((/wachtwoord/herstel/[A-Za-z0-9_-]+))");
    EXPECT_TRUE(std::regex_search(body, m, link)) << body;
    return m[1].str();
  }

  HttpResult login(HttpClient& c, const std::string& email, const std::string& password) {
    auto form = c.get("/inloggen");
    return c.post_form(
        "/inloggen",
        {{"csrf_token", csrf_from(form.body)}, {"email", email}, {"password", password}});
  }

  // GET the reset page, then POST the two fields with its token.
  HttpResult set_new(HttpClient& c, const std::string& path, const std::string& password,
                     const std::string& repeat) {
    auto form = c.get(path);
    std::string token = csrf_from(form.body);
    if (token.empty()) token = c.cookie("oploop_csrf").value_or("");
    return c.post_form(
        path, {{"csrf_token", token}, {"password", password}, {"password_repeat", repeat}});
  }

  ManualClock clock_{std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now())};
  SmtpSink sink_;
  std::unique_ptr<TestApp> app_;
};

TEST_P(PasswordReset, KnownAndUnknownAddressesGetTheSamePageAndOnlyTheKnownOneAMail) {
  auto c = app_->anonymous();
  auto known = ask_reset(*c, volunteer().email);
  auto unknown = ask_reset(*c, "niemand@org-a.test");
  EXPECT_EQ(known.status, 200);
  EXPECT_EQ(unknown.status, known.status);
  EXPECT_EQ(unknown.body, known.body);
  EXPECT_NE(known.body.find(shown("reset.sent")), std::string::npos);
  EXPECT_EQ(known.body.find(volunteer().email), std::string::npos);

  EXPECT_EQ(app_->deliver_mail(), 1);
  ASSERT_TRUE(sink_.wait_for(1, 10s));
  std::this_thread::sleep_for(200ms);  // nothing else arrives
  const auto messages = sink_.messages();
  ASSERT_EQ(messages.size(), 1u);
  ASSERT_EQ(sink_.recipients().front(), std::vector<std::string>{volunteer().email});
  const std::string body = body_of(messages.front());
  std::smatch m;
  ASSERT_TRUE(std::regex_search(
      body, m, std::regex(app_->base_url() + R"(/wachtwoord/herstel/([A-Za-z0-9_-]{32,})(\S*))")))
      << body;
  EXPECT_EQ(m[2].str(), "") << "the token is in the path, nothing follows it";
  const std::regex url(R"(https?://\S+)");
  for (auto it = std::sregex_iterator(body.begin(), body.end(), url); it != std::sregex_iterator();
       ++it)
    EXPECT_EQ(it->str().find('?'), std::string::npos) << "no query string in " << it->str();
  // Only the hash of the token is stored.
  EXPECT_EQ(
      scalar(app_->db(), "SELECT COUNT(*) FROM password_resets WHERE token_hash = ?", {m[1].str()}),
      0);
  EXPECT_EQ(scalar(app_->db(), "SELECT COUNT(*) FROM password_resets"), 1);
}

TEST_P(PasswordReset, PasswordPolicyIsEnforced) {
  const std::string path = reset_path();
  auto c = app_->anonymous();
  auto form = c->get(path);
  ASSERT_EQ(form.status, 200);
  EXPECT_NE(form.body.find(R"(name="password")"), std::string::npos);

  auto too_short = set_new(*c, path, "kort", "kort");
  EXPECT_EQ(too_short.status, 422);
  EXPECT_NE(too_short.body.find(shown("password.too_short")), std::string::npos);
  auto mismatch = set_new(*c, path, kNewPassword, std::string(kNewPassword) + "!");
  EXPECT_EQ(mismatch.status, 422);
  EXPECT_NE(mismatch.body.find(shown("password.mismatch")), std::string::npos);
  auto too_long = set_new(*c, path, std::string(129, 'x'), std::string(129, 'x'));
  EXPECT_EQ(too_long.status, 422);
  EXPECT_NE(too_long.body.find(shown("password.too_long")), std::string::npos);
  // None of these used up the link or changed the password.
  EXPECT_EQ(c->get(path).status, 200);
  auto login_client = app_->anonymous();
  EXPECT_EQ(login(*login_client, volunteer().email, "kort").status, 401);
}

TEST_P(PasswordReset, NewPasswordEndsOldSessionsAndIsNotified) {
  const std::string old_password = app_->give_password(app_->a, "volunteer");
  auto old_session = app_->anonymous();
  ASSERT_EQ(login(*old_session, volunteer().email, old_password).status, 303);
  ASSERT_EQ(old_session->get("/").status, 200);

  const std::string path = reset_path();
  auto c = app_->anonymous();
  auto done = set_new(*c, path, kNewPassword, kNewPassword);
  ASSERT_EQ(done.status, 303) << done.body;
  EXPECT_EQ(done.header("Location").value_or(""), "/inloggen");

  // The session from before the reset is gone.
  auto stale = old_session->get("/");
  EXPECT_EQ(stale.status, 303);
  EXPECT_EQ(stale.header("Location").value_or(""), "/inloggen");
  EXPECT_EQ(scalar(app_->db(), "SELECT COUNT(*) FROM sessions WHERE user_id = ?", {volunteer().id}),
            0);

  // A notice that the password changed, to the user, without the link or the password.
  const auto before = sink_.messages().size();
  EXPECT_EQ(app_->deliver_mail(), 1);
  ASSERT_TRUE(sink_.wait_for(before + 1, 10s));
  ASSERT_EQ(sink_.recipients().back(), std::vector<std::string>{volunteer().email});
  const std::string notice = sink_.messages().back();
  EXPECT_NE(notice.find("Subject: Uw wachtwoord is gewijzigd"), std::string::npos) << notice;
  EXPECT_EQ(notice.find("/wachtwoord/herstel/"), std::string::npos);
  EXPECT_EQ(notice.find(kNewPassword), std::string::npos);

  auto fresh = app_->anonymous();
  EXPECT_EQ(login(*fresh, volunteer().email, old_password).status, 401);
  auto in = login(*fresh, volunteer().email, kNewPassword);
  EXPECT_EQ(in.status, 303) << in.body;
  EXPECT_EQ(in.header("Location").value_or(""), "/");
  EXPECT_EQ(fresh->get("/").status, 200);
  EXPECT_EQ(scalar(app_->db(),
                   "SELECT COUNT(*) FROM access_log WHERE user_id = ? AND event = "
                   "'password_changed' AND outcome = 'success'",
                   {volunteer().id}),
            1);
}

TEST_P(PasswordReset, LinkWorksOnlyOnce) {
  const std::string path = reset_path();
  auto c = app_->anonymous();
  ASSERT_EQ(set_new(*c, path, kNewPassword, kNewPassword).status, 303);

  auto again = app_->anonymous();
  auto form = again->get(path);
  EXPECT_EQ(form.status, 404);
  EXPECT_NE(form.body.find(shown("password.link_invalid")), std::string::npos);
  const std::string token = again->cookie("oploop_csrf").value_or("");
  ASSERT_FALSE(token.empty());
  const std::string other = "nog-een-ander-wachtwoord-van-mij";
  auto reuse = again->post_form(
      path, {{"csrf_token", token}, {"password", other}, {"password_repeat", other}});
  EXPECT_EQ(reuse.status, 404);
  // A spent link is spent whatever is typed: no password form comes back.
  auto reuse_mismatch = again->post_form(
      path, {{"csrf_token", token}, {"password", other}, {"password_repeat", other + "?"}});
  EXPECT_EQ(reuse_mismatch.status, 404);
  EXPECT_EQ(reuse_mismatch.body.find(R"(name="password")"), std::string::npos);

  auto fresh = app_->anonymous();
  EXPECT_EQ(login(*fresh, volunteer().email, other).status, 401);
  EXPECT_EQ(login(*fresh, volunteer().email, kNewPassword).status, 303);
}

TEST_P(PasswordReset, LinkOlderThan30MinutesIsRefused) {
  const std::string old_password = app_->give_password(app_->a, "volunteer");
  const std::string path = reset_path();
  auto c = app_->anonymous();
  clock_.advance(29min);
  EXPECT_EQ(c->get(path).status, 200);
  clock_.advance(61s);
  auto expired = c->get(path);
  EXPECT_EQ(expired.status, 404);
  EXPECT_NE(expired.body.find(shown("password.link_invalid")), std::string::npos);
  auto post = c->post_form(path, {{"csrf_token", c->cookie("oploop_csrf").value_or("")},
                                  {"password", kNewPassword},
                                  {"password_repeat", kNewPassword}});
  EXPECT_EQ(post.status, 404);
  auto fresh = app_->anonymous();
  EXPECT_EQ(login(*fresh, volunteer().email, kNewPassword).status, 401);
  EXPECT_EQ(login(*fresh, volunteer().email, old_password).status, 303);
}

// `oploop user add` without --password-stdin prints a set-password link made by
// auth::create_password_link; the new user chooses a password through the web.
TEST_P(PasswordReset, SetPasswordLinkOfANewUserWorksThroughTheWeb) {
  std::string link;
  auth::User user;
  {
    auto conn = app_->db().acquire();
    auto created = auth::create_user(*conn, clock_,
                                     {app_->a.id,
                                      auth::Role::volunteer,
                                      "nieuwe.vrijwilliger@org-a.test",
                                      "Nieuwe Vrijwilliger",
                                      {app_->a.team_id},
                                      std::nullopt});
    ASSERT_TRUE(created);
    user = *created;
    link =
        auth::create_password_link(*conn, clock_, user.id, app_->base_url(), std::chrono::days(7));
  }
  ASSERT_EQ(link.rfind(app_->base_url() + "/wachtwoord/herstel/", 0), 0u) << link;
  EXPECT_EQ(link.find('?'), std::string::npos);
  const std::string path = link.substr(app_->base_url().size());

  auto c = app_->anonymous();
  EXPECT_EQ(login(*c, user.email, kNewPassword).status, 401) << "no password yet";
  clock_.advance(std::chrono::days(6));  // an invitation lives a week
  auto done = set_new(*c, path, kNewPassword, kNewPassword);
  ASSERT_EQ(done.status, 303) << done.body;
  EXPECT_EQ(done.header("Location").value_or(""), "/inloggen");
  auto in = login(*c, user.email, kNewPassword);
  EXPECT_EQ(in.status, 303) << in.body;
  EXPECT_EQ(in.header("Location").value_or(""), "/");
  EXPECT_EQ(c->get("/").status, 200);
  EXPECT_EQ(c->get(path).status, 404);
}

INSTANTIATE_TEST_SUITE_P(Engines, PasswordReset, ::testing::ValuesIn(engines()));

}  // namespace
}  // namespace oploop::testing
