// The acceptance checks of the foundation issue: tenancy answers, access-log entries, the
// token path to /me — against the real server on both engines.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "audit/access_log.hpp"
#include "support/test_app.hpp"

namespace oploop::testing {
namespace {

using nlohmann::json;

class Tenancy : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    app_ = std::make_unique<TestApp>(GetParam());
    if (!app_->available()) GTEST_SKIP() << app_->skip_reason();
  }
  // A referral of `org`, accepted into a waiting family; answers the family id.
  std::string waiting_family(const SeededOrganisation& org) {
    auto c = app_->client_as(org, "coordinator");
    auto created = c->post_json("/api/v1/referrals", R"({
      "contact_name": "Anna Test", "postcode": "3511 ab", "house_number": "12",
      "reason": "Hulp bij post", "consent": true, "consent_date": "2026-01-05",
      "children_birth_years": [2016], "languages": ["nl", "ar"],
      "referrer": {"name": "R", "organisation": "CJG", "email": "r@cjg.example"}})");
    EXPECT_EQ(created.status, 201) << created.body;
    const auto id = json::parse(created.body)["id"].get<std::string>();
    auto accepted = c->post_json("/api/v1/referrals/" + id + "/accept", "{}");
    EXPECT_EQ(accepted.status, 201) << accepted.body;
    return json::parse(accepted.body)["id"].get<std::string>();
  }
  std::int64_t log_entries(const std::string& object_id, const std::string& outcome) {
    return scalar(app_->db(), "SELECT COUNT(*) FROM access_log WHERE object_id = ? AND outcome = ?",
                  {object_id, outcome});
  }
  std::unique_ptr<TestApp> app_;
};

TEST_P(Tenancy, TokenAnswersMe) {
  auto c = app_->client_as(app_->a, "coordinator");
  auto me = c->get("/api/v1/me");
  ASSERT_EQ(me.status, 200) << me.body;
  auto body = json::parse(me.body);
  EXPECT_EQ(body["email"], "coordinator@org-a.test");
  EXPECT_EQ(body["role"], "coordinator");
  EXPECT_EQ(body["organisation_id"], app_->a.id);
}

TEST_P(Tenancy, NoCredentialsIs401ProblemJson) {
  auto r = app_->anonymous()->get("/api/v1/me");
  EXPECT_EQ(r.status, 401);
  EXPECT_EQ(r.header("Content-Type").value_or(""), "application/problem+json; charset=utf-8");
  auto bad = app_->anonymous();
  bad->set_bearer("oplp_not-a-real-token");
  EXPECT_EQ(bad->get("/api/v1/me").status, 401);
}

TEST_P(Tenancy, OtherOrganisationsFamilyIs404AndLogged) {
  const auto family_b = waiting_family(app_->b);
  auto coordinator_a = app_->client_as(app_->a, "coordinator");
  auto r = coordinator_a->get("/api/v1/families/" + family_b);
  EXPECT_EQ(r.status, 404);
  // Same answer as for an id that does not exist at all.
  auto missing = coordinator_a->get("/api/v1/families/doesnotexist0000000000000");
  EXPECT_EQ(missing.status, 404);
  EXPECT_EQ(json::parse(r.body)["title"], json::parse(missing.body)["title"]);
  EXPECT_EQ(log_entries(family_b, "not_found"), 1);
  // Writes are refused the same way and leave the family as it was.
  auto patch = coordinator_a->request("PATCH", "/api/v1/families/" + family_b,
                                      R"({"display_name": "Overgenomen"})",
                                      {{"Content-Type", "application/json"}});
  EXPECT_EQ(patch.status, 404);
  auto own = app_->client_as(app_->b, "coordinator")->get("/api/v1/families/" + family_b);
  EXPECT_EQ(json::parse(own.body)["display_name"], "Anna Test");
}

TEST_P(Tenancy, VolunteerGets403OnReferralsAndItIsLogged) {
  auto volunteer = app_->client_as(app_->a, "volunteer");
  auto r = volunteer->get("/api/v1/referrals");
  EXPECT_EQ(r.status, 403);
  EXPECT_EQ(scalar(app_->db(),
                   "SELECT COUNT(*) FROM access_log WHERE user_id = ? AND outcome = 'denied' "
                   "AND object_id = 'GET /api/v1/referrals'",
                   {app_->a.users.at("volunteer").id}),
            1);
}

TEST_P(Tenancy, CoordinatorOfAnotherTeamGets403OnTheFamily) {
  const auto family = waiting_family(app_->a);
  auto other = app_->client_as(app_->a, "other_coordinator");
  EXPECT_EQ(other->get("/api/v1/families/" + family).status, 403);
  EXPECT_EQ(log_entries(family, "denied"), 1);
  // The project lead sees every family of the organisation.
  EXPECT_EQ(app_->client_as(app_->a, "project_lead")->get("/api/v1/families/" + family).status,
            200);
}

TEST_P(Tenancy, ListsNeverShowAnotherOrganisation) {
  waiting_family(app_->a);
  const auto family_b = waiting_family(app_->b);
  auto list = app_->client_as(app_->a, "project_lead")->get("/api/v1/families?status=waiting");
  ASSERT_EQ(list.status, 200);
  auto items = json::parse(list.body)["items"];
  ASSERT_EQ(items.size(), 1u);
  EXPECT_NE(items[0]["id"], family_b);
}

TEST_P(Tenancy, ProjectLeadReadsTheFamilysAccessLog) {
  const auto family = waiting_family(app_->a);
  app_->client_as(app_->a, "coordinator")->get("/api/v1/families/" + family);
  auto lead = app_->client_as(app_->a, "project_lead");
  auto entries = lead->get("/api/v1/audit?object=family:" + family);
  ASSERT_EQ(entries.status, 200) << entries.body;
  auto items = json::parse(entries.body)["items"];
  ASSERT_GE(items.size(), 2u);  // created, viewed
  bool viewed = false;
  for (const auto& e : items)
    if (e["event"] == "view" && e["user_id"] == app_->a.users.at("coordinator").id) viewed = true;
  EXPECT_TRUE(viewed);
  // Coordinators may not read the log; reading it is itself logged.
  EXPECT_EQ(app_->client_as(app_->a, "coordinator")->get("/api/v1/audit").status, 403);
  EXPECT_GE(scalar(app_->db(), "SELECT COUNT(*) FROM access_log WHERE object_type = 'audit'"), 1);
  // The chain of the organisation is intact.
  auto conn = app_->db().acquire();
  EXPECT_FALSE(audit::verify_chain(*conn, app_->a.id).has_value());
}

INSTANTIATE_TEST_SUITE_P(Engines, Tenancy, ::testing::ValuesIn(engines()));

}  // namespace
}  // namespace oploop::testing
