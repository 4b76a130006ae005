// Shared set-up for the concern and meldcode tests: the real application on a controlled clock,
// running matches made through the API (a screened volunteer with an account, a family from an
// accepted referral), extra users in organisation a, and helpers to raise and act on concerns
// and to count access-log rows.
#pragma once

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>

#include "auth/tokens.hpp"
#include "support/api_data.hpp"
#include "support/test_app.hpp"

namespace oploop::testing {

class ConcernFixture : public ::testing::TestWithParam<std::string> {
 protected:
  using json = nlohmann::json;

  // 11:00 UTC is 12:00 in Amsterdam: the API's "today" is 2026-02-03.
  ConcernFixture() : clock_(parse_rfc3339("2026-02-03T11:00:00Z")) {}

  void SetUp() override { start(""); }

  void start(const std::string& smtp_url) {
    TestAppOptions options;
    options.clock = &clock_;
    options.smtp_url = smtp_url;
    app_ = std::make_unique<TestApp>(GetParam(), options);
    if (!app_->available()) GTEST_SKIP() << app_->skip_reason();
    coordinator_ = app_->client_as(app_->a, "coordinator");
  }

  // A new user of organisation a (in `team`, or none), reachable as app_->a key `key`.
  const auth::User& add_user(const std::string& key, auth::Role role,
                             const std::string& team = "") {
    auto conn = app_->db().acquire();
    std::vector<std::string> teams;
    if (!team.empty()) teams.push_back(team);
    auto user = auth::create_user(
        *conn, app_->clock(),
        {app_->a.id, role, key + "@org-a.test", "Test " + key, teams, std::nullopt});
    EXPECT_TRUE(user.has_value());
    app_->a.users[key] = *user;
    app_->a.tokens[key] = auth::create_token(*conn, app_->clock(), user->id, "test", 30)->secret;
    return app_->a.users[key];
  }

  // An active match of a family called `family_name` with a volunteer who signs in as
  // `volunteer_key` of organisation `org` (made by that organisation's coordinator).
  std::string running_match(const std::string& volunteer_key = "volunteer",
                            const std::string& family_name = "Familie Zon",
                            SeededOrganisation* org = nullptr, const std::string& end = "active") {
    SeededOrganisation& o = org ? *org : app_->a;
    auto as = app_->client_as(o, "coordinator");
    const std::string family = family_for(*as, family_name);
    const std::string volunteer = volunteer_for(*as, o.users.at(volunteer_key).id);
    auto proposed = as->post_json(
        "/api/v1/matches", json({{"family_id", family}, {"volunteer_id", volunteer}}).dump());
    EXPECT_EQ(proposed.status, 201) << proposed.body;
    const std::string match = json::parse(proposed.body).value("id", "");
    for (const std::string step : {"introduction", "active"}) {
      if (end == "proposed") break;
      auto r = as->post_json("/api/v1/matches/" + match + "/transition",
                             json({{"to", step}, {"date", "2026-02-03"}}).dump());
      EXPECT_EQ(r.status, 200) << r.body;
      if (end == step) break;
    }
    family_of_[match] = family;
    return match;
  }

  std::string family_for(HttpClient& as, const std::string& name) {
    return waiting_family(as, name, json::object(), {{"display_name", name}});
  }

  std::string volunteer_for(HttpClient& as, const std::string& user_id) {
    auto created = as.post_json("/api/v1/volunteers",
                                json({{"first_name", "Vera"},
                                      {"last_name", "Vrijwilliger " + std::to_string(++counter_)},
                                      {"postcode", "3511 AB"},
                                      {"languages", {"nl"}},
                                      {"user_id", user_id}})
                                    .dump());
    EXPECT_EQ(created.status, 201) << created.body;
    const std::string id = json::parse(created.body).value("id", "");
    const std::string base = "/api/v1/volunteers/" + id;
    EXPECT_EQ(as.request("PUT", base + "/screening",
                         json({{"intake_on", "2025-01-10"},
                               {"vog_issued_on", "2025-01-15"},
                               {"training_completed_on", "2025-01-20"},
                               {"code_signed_on", "2025-01-21"}})
                             .dump(),
                         {{"Content-Type", "application/json"}})
                  .status,
              200);
    EXPECT_EQ(as.post_json(base + "/transition", R"({"to": "screening"})").status, 200);
    EXPECT_EQ(as.post_json(base + "/transition", R"({"to": "available"})").status, 200);
    return id;
  }

  // Makes `user_key` of organisation a the family's own coordinator ("" for none; a family
  // gets the coordinator who accepted its referral).
  void set_family_coordinator(const std::string& match, const std::string& user_key) {
    const json id = user_key.empty() ? json(nullptr) : json(app_->a.users.at(user_key).id);
    auto r = coordinator_->request("PATCH", "/api/v1/families/" + family_of_.at(match),
                                   json({{"coordinator_id", id}}).dump(),
                                   {{"Content-Type", "application/json"}});
    EXPECT_EQ(r.status, 200) << r.body;
  }

  HttpResult raise(HttpClient& as, const std::string& match, const std::string& severity,
                   const std::string& category = "health",
                   const std::string& description = "Moeder was erg moe en de koelkast was leeg.") {
    return as.post_json(
        "/api/v1/matches/" + match + "/concerns",
        json({{"severity", severity}, {"category", category}, {"description", description}})
            .dump());
  }
  std::string raised(HttpClient& as, const std::string& match, const std::string& severity,
                     const std::string& category = "health",
                     const std::string& description = "Moeder was erg moe.") {
    auto r = raise(as, match, severity, category, description);
    EXPECT_EQ(r.status, 201) << r.body;
    return json::parse(r.body).value("id", "");
  }
  HttpResult act(HttpClient& as, const std::string& concern, const std::string& action,
                 const std::string& text = "") {
    json body = {{"action", action}};
    if (!text.empty()) body["text"] = text;
    return as.post_json("/api/v1/concerns/" + concern + "/actions", body.dump());
  }
  json get_json(HttpClient& as, const std::string& path) {
    auto r = as.get(path);
    EXPECT_EQ(r.status, 200) << path << " " << r.body;
    return json::parse(r.body, nullptr, false);
  }
  std::unique_ptr<HttpClient> as(const std::string& key) { return app_->client_as(app_->a, key); }

  // Access-log rows for one object, event and outcome (by `user_key` of organisation a when
  // given).
  std::int64_t logged(const std::string& event, const std::string& object_type,
                      const std::string& object_id, const std::string& outcome,
                      const std::string& user_key = "") {
    return scalar(app_->db(),
                  "SELECT COUNT(*) FROM access_log WHERE event = ? AND object_type = ? AND "
                  "object_id = ? AND outcome = ? AND (? = '' OR user_id = ?)",
                  {event, object_type, object_id, outcome, user_key,
                   user_key.empty() ? std::string() : app_->a.users.at(user_key).id});
  }

  ManualClock clock_;
  std::unique_ptr<TestApp> app_;
  std::unique_ptr<HttpClient> coordinator_;
  std::map<std::string, std::string> family_of_;  // match id -> family id
  int counter_ = 0;
};

}  // namespace oploop::testing
