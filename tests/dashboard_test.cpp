// "Vandaag" (SPEC §3) through the real pages, on both engines: the coordinator's page puts an
// urgent unacknowledged concern above everything and says so in words; acknowledging it takes
// the words away; a coordinator of another team sees nothing of it; the project lead gets the
// figures per team (and a coordinator does not); the volunteer's page has their family with
// "log contact" and "raise a concern", their next session, and none of the staff's lists.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "support/concern_fixture.hpp"

namespace oploop::testing {
namespace {

using nlohmann::json;

bool contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

using Dashboard = ConcernFixture;

std::string home_of(TestApp& app, const std::string& key) {
  auto browser = app.session_as(app.a, key);
  auto r = browser->get("/");
  EXPECT_EQ(r.status, 200) << r.body;
  return r.body;
}

TEST_P(Dashboard, UrgentUnacknowledgedConcernComesFirstOnTheCoordinatorsToday) {
  const auto match = running_match("volunteer", "Familie Zon");
  auto volunteer = as("volunteer");
  const auto worry = raised(*volunteer, match, "worry");
  const auto urgent = raised(*volunteer, match, "urgent", "safety");

  const auto page = home_of(*app_, "coordinator");
  const auto section = page.find("data-testid=\"today-concerns\"");
  ASSERT_NE(section, std::string::npos) << page;
  // Concerns come before every other list on the page.
  for (const char* later : {"id=\"new-referrals\"", "id=\"waiting-list\"",
                            "id=\"matches-attention\"", "id=\"volunteers-attention\""}) {
    const auto at = page.find(later);
    if (at != std::string::npos) {
      EXPECT_LT(section, at) << later;
    }
  }
  const auto urgent_at = page.find("href=\"/signalen/" + urgent + "\"");
  const auto worry_at = page.find("href=\"/signalen/" + worry + "\"");
  ASSERT_NE(urgent_at, std::string::npos);
  ASSERT_NE(worry_at, std::string::npos);
  EXPECT_LT(urgent_at, worry_at);
  EXPECT_TRUE(contains(page, "Nog niet bevestigd"));
  EXPECT_TRUE(contains(page, "oploop-list__item--urgent"));

  ASSERT_EQ(act(*coordinator_, urgent, "acknowledge").status, 200);
  const auto after = home_of(*app_, "coordinator");
  EXPECT_TRUE(contains(after, "href=\"/signalen/" + urgent + "\""));  // still open, not urgent-new
  EXPECT_FALSE(contains(after, "Nog niet bevestigd"));
  ASSERT_EQ(act(*coordinator_, urgent, "resolve", "Hulp geregeld").status, 200);
  EXPECT_FALSE(contains(home_of(*app_, "coordinator"), "href=\"/signalen/" + urgent + "\""));
}

TEST_P(Dashboard, AnotherTeamsCoordinatorSeesNoneOfIt) {
  const auto match = running_match("volunteer", "Familie Zon");
  const auto urgent = raised(*as("volunteer"), match, "urgent");
  const auto page = home_of(*app_, "other_coordinator");
  EXPECT_FALSE(contains(page, urgent));
  EXPECT_FALSE(contains(page, "Familie Zon"));
  EXPECT_TRUE(contains(page, "Geen open signalen."));
}

TEST_P(Dashboard, TheProjectLeadGetsTheFiguresPerTeamAndACoordinatorDoesNot) {
  const auto match = running_match("volunteer", "Familie Zon");
  raised(*as("volunteer"), match, "urgent");
  raised(*as("volunteer"), match, "info");

  const auto lead = home_of(*app_, "project_lead");
  ASSERT_TRUE(contains(lead, "data-testid=\"team-figures\"")) << lead;
  // The team row: 0 new referrals (the fixture accepted its referral), 0 waiting (matched),
  // 1 running match, 2 open concerns of which 1 urgent and unacknowledged, 0 available.
  const auto row = lead.find("data-testid=\"team-row\"");
  ASSERT_NE(row, std::string::npos);
  std::string cells;
  for (auto at = lead.find("--numeric-data\">", row); at != std::string::npos && cells.size() < 12;
       at = lead.find("--numeric-data\">", at + 1)) {
    const auto start = at + std::string("--numeric-data\">").size();
    cells += lead.substr(start, lead.find('<', start) - start) + ",";
  }
  // Rows are ordered by team name; the seeded team of organisation a comes first.
  EXPECT_EQ(cells, "0,0,1,2,1,0,") << lead.substr(row, 800);
  EXPECT_TRUE(contains(lead, "data-testid=\"team-total\""));

  EXPECT_FALSE(contains(home_of(*app_, "coordinator"), "data-testid=\"team-figures\""));
  EXPECT_FALSE(contains(home_of(*app_, "volunteer"), "data-testid=\"team-figures\""));
}

TEST_P(Dashboard, TheVolunteersTodayHasTheFamilyTheTwoActionsAndTheNextSession) {
  const auto match = running_match("volunteer", "Familie Zon");
  const auto volunteer_id = get_json(*coordinator_, "/api/v1/matches/" + match)["volunteer_id"];
  // A supervision this week (the fixture's today is Tuesday 2026-02-03).
  auto session = coordinator_->post_json("/api/v1/support-sessions",
                                         json({{"kind", "supervision"},
                                               {"title", "Gesprek over de eerste weken"},
                                               {"date", "2026-02-05"},
                                               {"start_time", "10:00"},
                                               {"duration_minutes", 60},
                                               {"volunteer_ids", {volunteer_id}}})
                                             .dump());
  ASSERT_EQ(session.status, 201) << session.body;
  const auto concern = raised(*as("volunteer"), match, "worry");
  ASSERT_EQ(act(*coordinator_, concern, "note", "Interne notitie: neef belt VT").status, 200);

  const auto page = home_of(*app_, "volunteer");
  EXPECT_TRUE(contains(page, "Familie Zon"));
  EXPECT_TRUE(contains(page, "href=\"/koppelingen/" + match + "/contact/nieuw\""));
  EXPECT_TRUE(contains(page, "href=\"/koppelingen/" + match + "/signaal/nieuw\""));
  EXPECT_TRUE(contains(page, "href=\"/mijn-signalen\""));
  EXPECT_TRUE(contains(page, "Gesprek over de eerste weken"));
  EXPECT_TRUE(contains(page, "05-02-2026"));
  // None of the staff's lists, and never the coordinator's note.
  EXPECT_FALSE(contains(page, "data-testid=\"today-concerns\""));
  EXPECT_FALSE(contains(page, "id=\"new-referrals\""));
  EXPECT_FALSE(contains(page, "Interne notitie"));
}

TEST_P(Dashboard, MatchesAndVolunteersThatNeedActionSayWhy) {
  const auto match = running_match("volunteer", "Familie Zon");
  EXPECT_FALSE(contains(home_of(*app_, "coordinator"), "data-testid=\"match-attention\""));
  // Three weeks and a day after the start, nobody has logged a contact.
  clock_.advance(std::chrono::days(22));
  const auto page = home_of(*app_, "coordinator");
  const auto item = page.find("data-testid=\"match-attention\"");
  ASSERT_NE(item, std::string::npos) << page;
  const auto line = page.substr(item, page.find("</li>", item) - item);
  EXPECT_TRUE(contains(line, "href=\"/koppelingen/" + match + "\"")) << line;
  EXPECT_TRUE(contains(line, "Al 22 dagen geen contact vastgelegd")) << line;
  // A coordinator of another team is not told.
  EXPECT_FALSE(contains(home_of(*app_, "other_coordinator"), "href=\"/koppelingen/" + match));
  // Logging a contact takes the match off the list.
  ASSERT_EQ(
      as("volunteer")
          ->post_json("/api/v1/matches/" + match + "/contacts",
                      json({{"date", "2026-02-25"}, {"minutes", 60}, {"kind", "visit"}}).dump())
          .status,
      201);
  EXPECT_FALSE(contains(home_of(*app_, "coordinator"), "data-testid=\"match-attention\""));
}

INSTANTIATE_TEST_SUITE_P(Engines, Dashboard, ::testing::ValuesIn(engines()));

}  // namespace
}  // namespace oploop::testing
