#include "support/test_app.hpp"

#include <stdlib.h>

#include <filesystem>
#include <regex>

#include <gtest/gtest.h>

#include "auth/sessions.hpp"
#include "auth/tokens.hpp"
#include "auth/totp.hpp"
#include "mail/outbox.hpp"
#include "organisations/organisations.hpp"

namespace oploop::testing {

TestApp::TestApp(const std::string& engine, TestAppOptions options)
    : database_(engine), clock_(options.clock ? options.clock : &system_clock_) {
  if (!database_.available()) return;
  char dir_template[] = "/tmp/oploop-app-XXXXXX";
  key_dir_ = mkdtemp(dir_template);
  app::Config config;
  config.database_url = database_.url();
  config.listen = "127.0.0.1:0";
  config.smtp_url = options.smtp_url;
  config.secret_key_file = key_dir_ + "/secret.key";

  http::ServerOptions server_options;
  server_options.port = 0;
  server_options.threads = 2;
  server_options.handle_signals = false;
  server_options.access_log = false;
  server_ = std::make_unique<http::Server>(server_options,
                                           [this](http::Request& r) { return app_->handle(r); });
  server_->start();
  base_url_ = "http://127.0.0.1:" + std::to_string(server_->port());
  config.base_url = base_url_;
  // The App gets its own connection pool on the same database.
  app_ = std::make_unique<app::App>(config, storage::Database::open(database_.url()), *clock_);
  a = seed("org-a");
  b = seed("org-b");
  thread_ = std::thread([this] { server_->run(); });
}

TestApp::~TestApp() {
  if (server_) {
    server_->stop();
    if (thread_.joinable()) thread_.join();
  }
  app_.reset();
  if (!key_dir_.empty()) std::filesystem::remove_all(key_dir_);
}

SeededOrganisation TestApp::seed(const std::string& slug) {
  auto conn = app_->db().acquire();
  SeededOrganisation s;
  auto org = organisations::create_organisation(*conn, *clock_, slug, "Organisatie " + slug);
  s.id = org->id;
  s.slug = slug;
  s.team_id = organisations::create_team(*conn, *clock_, s.id, "Team 1")->id;
  s.other_team_id = organisations::create_team(*conn, *clock_, s.id, "Team 2")->id;
  struct Spec {
    const char* key;
    auth::Role role;
    bool other_team;
  };
  for (const Spec& spec : {Spec{"volunteer", auth::Role::volunteer, false},
                           Spec{"coordinator", auth::Role::coordinator, false},
                           Spec{"other_coordinator", auth::Role::coordinator, true},
                           Spec{"project_lead", auth::Role::project_lead, false},
                           Spec{"foundation", auth::Role::foundation, false},
                           Spec{"admin", auth::Role::admin, false}}) {
    std::vector<std::string> teams;
    if (spec.role == auth::Role::coordinator || spec.role == auth::Role::volunteer)
      teams.push_back(spec.other_team ? s.other_team_id : s.team_id);
    auto user = auth::create_user(*conn, *clock_,
                                  {s.id, spec.role, std::string(spec.key) + "@" + slug + ".test",
                                   std::string("Test ") + spec.key, teams, std::nullopt});
    s.users[spec.key] = *user;
    s.tokens[spec.key] = auth::create_token(*conn, *clock_, user->id, "test", 30)->secret;
  }
  return s;
}

std::unique_ptr<HttpClient> TestApp::client_as(const SeededOrganisation& org,
                                               const std::string& user_key) {
  auto c = std::make_unique<HttpClient>(base_url_);
  c->set_bearer(org.tokens.at(user_key));
  return c;
}

std::unique_ptr<HttpClient> TestApp::anonymous() { return std::make_unique<HttpClient>(base_url_); }

std::string TestApp::give_password(const SeededOrganisation& org, const std::string& user_key) {
  const std::string password = "lange-wandeling-door-het-park-42";
  auto conn = app_->db().acquire();
  (void)auth::set_password(*conn, *clock_, org.users.at(user_key).id, password);
  return password;
}

std::unique_ptr<HttpClient> TestApp::signed_in(const SeededOrganisation& org,
                                               const std::string& user_key) {
  const auto& user = org.users.at(user_key);
  const std::string password = give_password(org, user_key);
  const std::string secret = auth::new_totp_secret();
  {
    auto conn = app_->db().acquire();
    conn->execute(
        "UPDATE users SET totp_secret_sealed = ?, totp_enabled = 1, totp_last_step = 0 "
        "WHERE id = ?",
        {app_->services().secret_box.seal(secret), user.id});
  }
  auto c = anonymous();
  auto form = c->get("/inloggen");
  EXPECT_EQ(form.status, 200);
  auto r = c->post_form(
      "/inloggen",
      {{"csrf_token", csrf_from(form.body)}, {"email", user.email}, {"password", password}});
  EXPECT_EQ(r.status, 303) << r.body;
  EXPECT_EQ(r.header("Location").value_or(""), "/inloggen/code");
  auto code_page = c->get("/inloggen/code");
  auto done = c->post_form("/inloggen/code", {{"csrf_token", csrf_from(code_page.body)},
                                              {"code", auth::totp_code(secret, clock_->now())}});
  EXPECT_EQ(done.status, 303) << done.body;
  EXPECT_EQ(done.header("Location").value_or(""), "/");
  return c;
}

std::unique_ptr<HttpClient> TestApp::session_as(const SeededOrganisation& org,
                                                const std::string& user_key, std::string* csrf) {
  auto conn = app_->db().acquire();
  auto s = auth::create_session(*conn, *clock_, org.users.at(user_key).id, "full");
  auto c = anonymous();
  c->set_cookie("oploop_session", s.raw_id);
  if (csrf) *csrf = s.csrf_token;
  return c;
}

std::string csrf_from(const std::string& html) {
  static const std::regex re(R"re(name="csrf_token" value="([^"]+)")re");
  std::smatch m;
  return std::regex_search(html, m, re) ? m[1].str() : std::string();
}

int TestApp::deliver_mail() {
  return mail::deliver_pending(app_->db(), app_->mailer(), *clock_, 100);
}

std::int64_t scalar(storage::Database& db, const std::string& sql,
                    const std::vector<storage::Value>& params) {
  auto conn = db.acquire();
  auto rows = conn->query(sql, params);
  return rows.empty() ? 0 : rows.front().integer(0);
}

}  // namespace oploop::testing
