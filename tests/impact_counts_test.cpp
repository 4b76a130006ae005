// The counts of the impact report (SPEC §3) through GET /api/v1/reports/impact, on both
// engines: two families walked with in 2026 (one match closed after 20 days), three contacts
// of which one in the evening and one a draft, the referral funnel, the period's edges, and who
// may see which team.
#include <gtest/gtest.h>

#include <cmath>
#include <nlohmann/json.hpp>
#include <tuple>

#include "measurements/instrument.hpp"
#include "support/concern_fixture.hpp"

namespace oploop::testing {
namespace {

using nlohmann::json;

class ImpactCounts : public ConcernFixture {
 protected:
  void SetUp() override {
    ConcernFixture::SetUp();
    if (IsSkipped()) return;
    add_user("volunteer2", auth::Role::volunteer);
    first_ = running_match("volunteer", "Familie Zon");     // started 2026-02-03
    second_ = running_match("volunteer2", "Familie Maan");  // started 2026-02-03
    // The second closes after 20 days: family moved. (Within the fixture tokens' 30 days.)
    clock_.set(parse_rfc3339("2026-02-24T11:00:00Z"));
    for (const auto& [to, reason] : {std::pair{"stepping_down", ""}, {"closed", "family_moved"}}) {
      json body = {{"to", to}, {"date", "2026-02-23"}};
      if (*reason) body["reason"] = reason;
      auto r = coordinator_->post_json("/api/v1/matches/" + second_ + "/transition", body.dump());
      ASSERT_EQ(r.status, 200) << r.body;
    }
    auto volunteer = as("volunteer");
    for (const json& contact :
         {json{{"date", "2026-02-10"}, {"minutes", 90}, {"kind", "visit"}},
          json{{"date", "2026-02-17"}, {"minutes", 30}, {"kind", "phone"}, {"time", "20:30"}},
          json{{"date", "2026-02-18"}, {"status", "draft"}}}) {
      auto r = volunteer->post_json("/api/v1/matches/" + first_ + "/contacts", contact.dump());
      ASSERT_EQ(r.status, 201) << r.body;
    }
  }
  json report(HttpClient& as, const std::string& query, int status = 200) {
    auto r = as.get("/api/v1/reports/impact" + query);
    EXPECT_EQ(r.status, status) << query << " " << r.body;
    return json::parse(r.body, nullptr, false);
  }
  std::string first_, second_;
};

TEST_P(ImpactCounts, TheYearSoFar) {
  const json r = report(*coordinator_, "");  // default: 2026-01-01 … today (2026-02-24)
  EXPECT_EQ(r["period"], json({{"from", "2026-01-01"}, {"to", "2026-02-24"}}));
  EXPECT_EQ(r["team_id"], app_->a.team_id);  // the coordinator's only team
  EXPECT_EQ(r["families_reached"], 2);
  EXPECT_EQ(r["children_reached"], 2);  // one birth year on each referral
  EXPECT_EQ(r["volunteers_active"], 2);
  EXPECT_EQ(r["matches_started"], 2);
  EXPECT_EQ(r["matches_closed"], 1);
  EXPECT_EQ(r["median_duration_days"], 20.0);  // 3 February → 23 February
  EXPECT_EQ(r["closure_reasons"], json({{"family_moved", 1}}));
  EXPECT_EQ(r["contacts"], 2);  // the draft does not count
  EXPECT_DOUBLE_EQ(r["contact_hours"].get<double>(), 2.0);
  EXPECT_EQ(r["contacts_outside_office_hours"], 1);
  EXPECT_DOUBLE_EQ(r["share_outside_office_hours"].get<double>(), 0.5);
  EXPECT_EQ(r["funnel"], json({{"referrals", 2}, {"intake", 2}, {"matched", 2}, {"closed", 1}}));
}

TEST_P(ImpactCounts, ThePeriodsEdgesAreInclusiveDays) {
  // Only 10–22 February: both matches ran; nothing started; the closure (23rd) is outside.
  json r = report(*coordinator_, "?from=2026-02-10&to=2026-02-22");
  EXPECT_EQ(r["families_reached"], 2);
  EXPECT_EQ(r["matches_started"], 0);
  EXPECT_EQ(r["matches_closed"], 0);
  EXPECT_EQ(r["median_duration_days"], nullptr);
  EXPECT_EQ(r["contacts"], 2);
  EXPECT_EQ(r["funnel"]["referrals"], 0);
  // From 24 February the closed match no longer runs.
  r = report(*coordinator_, "?from=2026-02-24&to=2026-12-31");
  EXPECT_EQ(r["families_reached"], 1);
  EXPECT_EQ(r["contacts"], 0);
  EXPECT_EQ(r["share_outside_office_hours"], nullptr);
  // The day itself counts: 3 February is the start of both.
  r = report(*coordinator_, "?from=2026-02-03&to=2026-02-03");
  EXPECT_EQ(r["matches_started"], 2);
  EXPECT_EQ(r["funnel"]["referrals"], 2);
  // 2025: nothing yet.
  r = report(*coordinator_, "?from=2025-01-01&to=2025-12-31");
  EXPECT_EQ(r["families_reached"], 0);
  EXPECT_EQ(r["funnel"]["referrals"], 0);
}

TEST_P(ImpactCounts, ABadPeriodIsNamed) {
  EXPECT_EQ(report(*coordinator_, "?from=2026-05-01&to=2026-04-01", 422)["errors"]["to"],
            "De einddatum ligt voor de begindatum.");
  EXPECT_TRUE(report(*coordinator_, "?from=2026-02-30", 422)["errors"].contains("from"));
  EXPECT_TRUE(
      report(*coordinator_, "?from=2000-01-01&to=2026-01-01", 422)["errors"].contains("to"));
}

TEST_P(ImpactCounts, EachRoleSeesItsOwnTeamsOrTheOrganisation) {
  // Another team's coordinator: their team, where nothing happened.
  EXPECT_EQ(report(*as("other_coordinator"), "")["families_reached"], 0);
  report(*as("other_coordinator"), "?team=" + app_->a.team_id, 403);
  report(*coordinator_, "?team=" + app_->b.team_id, 404);
  // The project lead: the organisation, or one team.
  const json all = report(*as("project_lead"), "");
  EXPECT_EQ(all["team_id"], nullptr);
  EXPECT_EQ(all["families_reached"], 2);
  EXPECT_EQ(report(*as("project_lead"), "?team=" + app_->a.other_team_id)["families_reached"], 0);
  // Volunteers and the foundation have no report here.
  report(*as("volunteer"), "", 403);
  report(*as("foundation"), "", 403);
  // Organisation b sees none of a's.
  EXPECT_EQ(report(*app_->client_as(app_->b, "project_lead"), "")["families_reached"], 0);
}

TEST_P(ImpactCounts, TheReportPageShowsTheFiguresTheFunnelAndNamesABadPeriod) {
  auto browser = app_->session_as(app_->a, "project_lead");
  auto r = browser->get("/rapportages/impact?from=2026-01-01&to=2026-12-31");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_NE(r.body.find("data-testid=\"report-figures\""), std::string::npos);
  EXPECT_NE(r.body.find("01-01-2026 – 31-12-2026"), std::string::npos);
  EXPECT_NE(r.body.find("<svg"), std::string::npos);  // the funnel, inline
  EXPECT_NE(r.body.find("Gezin verhuisd"), std::string::npos);
  EXPECT_NE(r.body.find("Hele organisatie"), std::string::npos);
  auto bad = browser->get("/rapportages/impact?from=2026-05-01&to=2026-04-01");
  EXPECT_EQ(bad.status, 422);
  EXPECT_NE(bad.body.find("Tot en met: De einddatum ligt voor de begindatum."), std::string::npos)
      << bad.body;
  EXPECT_EQ(app_->session_as(app_->a, "volunteer")->get("/rapportages/impact").status, 403);
}

// Every item of the family questionnaire answered with `point` (the report mark with 7).
json answers_all(int point) {
  json a = json::object();
  for (const auto& item :
       measurements::InstrumentCatalogue::instance().current("family_questionnaire")->items)
    a[item.code] = item.domain == "report_mark" ? 7 : point;
  return a;
}

TEST_P(ImpactCounts, PairedOutcomesPerLifeDomain) {
  // Family Zon: 2 → 3 everywhere; family Maan: 1 → 3. Baseline 3 Feb, final 20 Feb.
  for (const auto& [match, before] : {std::pair{first_, 2}, {second_, 1}}) {
    for (const auto& [wave, point, date] :
         {std::tuple{0, before, "2026-02-03"}, {2, 3, "2026-02-20"}}) {
      auto r = coordinator_->post_json("/api/v1/families/" + family_of_.at(match) + "/measurements",
                                       json({{"instrument", "family_questionnaire"},
                                             {"wave", wave},
                                             {"respondent", "family"},
                                             {"date", date},
                                             {"answers", answers_all(point)}})
                                           .dump());
      ASSERT_EQ(r.status, 201) << r.body;
    }
  }
  const json r = report(*coordinator_, "?from=2026-01-01&to=2026-12-31");
  ASSERT_TRUE(r["outcomes"].is_array()) << r.dump();
  const json* final_family = nullptr;
  for (const auto& c : r["outcomes"])
    if (c["instrument"] == "family_questionnaire" && c["to_wave"] == 2) final_family = &c;
  ASSERT_NE(final_family, nullptr) << r["outcomes"].dump();
  ASSERT_EQ((*final_family)["domains"].size(), 9u);  // the nine life domains, not satisfaction
  const json& finances = (*final_family)["domains"][0];
  EXPECT_EQ(finances["domain"], "finances");
  EXPECT_EQ(finances["n"], 2);
  EXPECT_DOUBLE_EQ(finances["mean_before"].get<double>(), 1.5);
  EXPECT_DOUBLE_EQ(finances["mean_after"].get<double>(), 3.0);
  EXPECT_DOUBLE_EQ(finances["mean_change"].get<double>(), 1.5);
  EXPECT_NEAR(finances["sd_change"].get<double>(), std::sqrt(0.5), 1e-12);
  EXPECT_EQ(finances["improved"], 2);
  EXPECT_NEAR(finances["cohens_dz"].get<double>(), 1.5 / std::sqrt(0.5), 1e-12);
  // Two different changes, no ties: the exact distribution gives p = 0.5.
  EXPECT_EQ(finances["wilcoxon"]["method"], "exact");
  EXPECT_DOUBLE_EQ(finances["wilcoxon"]["p_value"].get<double>(), 0.5);
  // No interim: baseline → interim has no pairs.
  for (const auto& c : r["outcomes"])
    if (c["instrument"] == "family_questionnaire" && c["to_wave"] == 1) {
      EXPECT_EQ(c["domains"][0]["n"], 0);
    }
  // A pair counts in the period of its later measurement.
  const json later = report(*coordinator_, "?from=2026-02-21&to=2026-12-31");
  for (const auto& c : later["outcomes"]) EXPECT_EQ(c["domains"][0]["n"], 0);
}

INSTANTIATE_TEST_SUITE_P(Engines, ImpactCounts, ::testing::ValuesIn(engines()));

}  // namespace
}  // namespace oploop::testing
