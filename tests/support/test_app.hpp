// The real application on a real socket for integration tests: an App (every route, the
// dispatcher, policy, access log) over a TestDatabase, served by http::Server on a free port
// in a background thread. Two organisations are seeded, each with a team and one user per
// role, and a bearer token for each user, so tests can act as anyone.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <thread>

#include "app/app.hpp"
#include "auth/accounts.hpp"
#include "core/clock.hpp"
#include "http/server.hpp"
#include "support/http_client.hpp"
#include "support/test_databases.hpp"

namespace oploop::testing {

struct SeededOrganisation {
  std::string id;
  std::string slug;
  std::string team_id;
  std::string other_team_id;                  // a second team, with its own coordinator
  std::map<std::string, auth::User> users;    // by key: volunteer, coordinator,
                                              // other_coordinator, project_lead, foundation
  std::map<std::string, std::string> tokens;  // bearer token per user key
};

struct TestAppOptions {
  std::string smtp_url;          // empty: mail is not sent
  const Clock* clock = nullptr;  // default: the system clock
};

class TestApp {
 public:
  explicit TestApp(const std::string& engine, TestAppOptions options = {});
  ~TestApp();

  bool available() const { return database_.available(); }
  std::string skip_reason() const { return database_.skip_reason(); }

  const std::string& base_url() const { return base_url_; }
  // The database's URL, to start `oploop serve` processes on it (support/oploop_process.hpp).
  const std::string& database_url() const { return database_.url(); }
  app::App& app() { return *app_; }
  storage::Database& db() { return app_->db(); }
  const Clock& clock() const { return *clock_; }

  SeededOrganisation a;  // "org-a"
  SeededOrganisation b;  // "org-b"

  // A client acting as `user_key` of `org` through its bearer token.
  std::unique_ptr<HttpClient> client_as(const SeededOrganisation& org, const std::string& user_key);
  std::unique_ptr<HttpClient> anonymous();
  // A browser signed in as `user_key` of `org` through the pages: password, then (2FA switched
  // on directly in the database, with a seed sealed by the app's own key) the TOTP code.
  std::unique_ptr<HttpClient> signed_in(const SeededOrganisation& org, const std::string& user_key);
  // A browser with a full session for `user_key` made directly (no login pages); `csrf`
  // receives the session's CSRF token when given.
  std::unique_ptr<HttpClient> session_as(const SeededOrganisation& org, const std::string& user_key,
                                         std::string* csrf = nullptr);
  // Gives the user a password (for login tests); answers it.
  std::string give_password(const SeededOrganisation& org, const std::string& user_key);
  // Delivers queued mail now (the server's worker is not running in tests).
  int deliver_mail();

 private:
  SeededOrganisation seed(const std::string& slug);

  TestDatabase database_;
  SystemClock system_clock_;
  const Clock* clock_;
  std::unique_ptr<app::App> app_;
  std::unique_ptr<http::Server> server_;
  std::thread thread_;
  std::string base_url_;
  std::string key_dir_;
};

// Runs `sql` (a COUNT(*) or similar) and answers the first column of the first row.
// The CSRF token a page put in its forms ("" when none).
std::string csrf_from(const std::string& html);

std::int64_t scalar(storage::Database& db, const std::string& sql,
                    const std::vector<storage::Value>& params = {});

}  // namespace oploop::testing
