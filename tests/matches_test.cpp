// Matches (SPEC §2.5) through /api/v1/matches on both engines: every legal and illegal
// transition, closure reasons and dates, how the family and the volunteer follow, the history,
// capacity and eligibility when proposing; what a volunteer may read of a family (only that of
// their own running match, only the fields SPEC §1 allows — API and page); and a smoke run over
// the coordinator's volunteer, matching, plan and match pages.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <map>
#include <set>

#include "auth/sessions.hpp"
#include "support/api_data.hpp"
#include "support/test_app.hpp"

namespace oploop::testing {
namespace {

using nlohmann::json;

// 11:00 UTC is 12:00 in Amsterdam: the API's "today" is 2026-02-03.
TimePoint test_now() { return parse_rfc3339("2026-02-03T11:00:00Z"); }
const std::string kToday = "2026-02-03";

const json kScreened = {{"intake_on", "2025-01-10"},
                        {"vog_issued_on", "2025-01-15"},
                        {"training_completed_on", "2025-01-20"},
                        {"code_signed_on", "2025-01-21"}};

bool contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

class MatchesApi : public ::testing::TestWithParam<std::string> {
 protected:
  MatchesApi() : clock_(test_now()) {}

  void SetUp() override {
    app_ = std::make_unique<TestApp>(GetParam(), TestAppOptions{.clock = &clock_});
    if (!app_->available()) GTEST_SKIP() << app_->skip_reason();
    coordinator_ = app_->client_as(app_->a, "coordinator");
  }

  json new_volunteer(const json& overrides, HttpClient& as) {
    json body = {{"first_name", "Vera"},
                 {"last_name", "Vrijwilliger " + std::to_string(++counter_)},
                 {"postcode", "3511 AB"},
                 {"languages", {"nl"}}};
    body.update(overrides);
    auto r = as.post_json("/api/v1/volunteers", body.dump());
    EXPECT_EQ(r.status, 201) << r.body;
    return json::parse(r.body);
  }
  // An eligible volunteer of `as`'s organisation.
  std::string available(const json& overrides = json::object(), HttpClient* as = nullptr) {
    HttpClient& c = as ? *as : *coordinator_;
    const std::string id = new_volunteer(overrides, c)["id"];
    const std::string base = "/api/v1/volunteers/" + id;
    EXPECT_EQ(c.request("PUT", base + "/screening", kScreened.dump(),
                        {{"Content-Type", "application/json"}})
                  .status,
              200);
    EXPECT_EQ(c.post_json(base + "/transition", R"({"to": "screening"})").status, 200);
    auto r = c.post_json(base + "/transition", R"({"to": "available"})");
    EXPECT_EQ(r.status, 200) << r.body;
    return id;
  }
  std::string waiting_family(HttpClient* as = nullptr, const std::string& name = "") {
    HttpClient& c = as ? *as : *coordinator_;
    return testing::waiting_family(c, name.empty() ? "Gezin " + std::to_string(++counter_) : name);
  }
  HttpResult propose(const std::string& family, const std::string& volunteer,
                     HttpClient* as = nullptr) {
    return (as ? *as : *coordinator_)
        .post_json("/api/v1/matches", json({{"family_id", family},
                                            {"volunteer_id", volunteer},
                                            {"introduction_date", "2026-02-10"}})
                                          .dump());
  }
  std::string proposed(const std::string& family, const std::string& volunteer) {
    auto r = propose(family, volunteer);
    EXPECT_EQ(r.status, 201) << r.body;
    return json::parse(r.body).value("id", "");
  }
  HttpResult move(const std::string& match, const std::string& to, const std::string& reason = "",
                  const std::string& date = kToday) {
    json body = {{"to", to}};
    if (!date.empty()) body["date"] = date;
    if (!reason.empty()) body["reason"] = reason;
    return coordinator_->post_json("/api/v1/matches/" + match + "/transition", body.dump());
  }
  // A match (of a fresh family and volunteer) in `state`.
  std::string match_in(const std::string& state) {
    const std::string m = proposed(waiting_family(), available());
    if (state == "closed") {
      EXPECT_EQ(move(m, "closed", "other").status, 200);
      return m;
    }
    for (const std::string step : {"introduction", "active", "stepping_down"}) {
      if (state == "proposed") break;
      EXPECT_EQ(move(m, step).status, 200);
      if (state == step) break;
    }
    return m;
  }
  json get(const std::string& path) {
    auto r = coordinator_->get(path);
    EXPECT_EQ(r.status, 200) << path << " " << r.body;
    return json::parse(r.body);
  }
  std::string family_status(const std::string& id) {
    return get("/api/v1/families/" + id)["status"];
  }
  std::string volunteer_status(const std::string& id) {
    return get("/api/v1/volunteers/" + id)["status"];
  }
  std::int64_t match_count() { return scalar(app_->db(), "SELECT COUNT(*) FROM matches"); }
  // A browser session for `key` of organisation a (signed in, second factor done).
  std::unique_ptr<HttpClient> session_for(const std::string& key, std::string* csrf = nullptr) {
    return app_->session_as(app_->a, key, csrf);
  }

  ManualClock clock_;
  std::unique_ptr<TestApp> app_;
  std::unique_ptr<HttpClient> coordinator_;
  int counter_ = 0;
};

// --- the lifecycle ----------------------------------------------------------------------------

TEST_P(MatchesApi, ProposeStartsTheMatchAndTheFamilyAndVolunteerFollow) {
  const auto family = waiting_family();
  const auto volunteer = available();
  auto r = propose(family, volunteer);
  ASSERT_EQ(r.status, 201) << r.body;
  auto m = json::parse(r.body);
  EXPECT_EQ(r.header("Location").value_or(""), "/api/v1/matches/" + m["id"].get<std::string>());
  EXPECT_EQ(m["status"], "proposed");
  EXPECT_EQ(m["family_id"], family);
  EXPECT_EQ(m["volunteer_id"], volunteer);
  EXPECT_EQ(m["introduction_date"], "2026-02-10");
  EXPECT_EQ(m["team_id"], app_->a.team_id);
  EXPECT_EQ(family_status(family), "matched");
  EXPECT_EQ(volunteer_status(volunteer), "matched");
  EXPECT_EQ(get("/api/v1/matches/" + m["id"].get<std::string>()), m);
}

TEST_P(MatchesApi, EveryTransitionLegalOrRefused) {
  const std::vector<std::string> from_states = {"proposed", "introduction", "active",
                                                "stepping_down", "closed"};
  const std::vector<std::string> targets = {"introduction", "active", "stepping_down", "closed"};
  const std::map<std::string, std::set<std::string>> legal = {
      {"proposed", {"introduction", "closed"}},
      {"introduction", {"active", "closed"}},
      {"active", {"stepping_down", "closed"}},
      {"stepping_down", {"closed"}},
      {"closed", {}}};
  for (const auto& from : from_states) {
    for (const auto& to : targets) {
      SCOPED_TRACE(from + " -> " + to);
      const std::string m = match_in(from);
      auto r = move(m, to, to == "closed" ? "family_withdrew" : "");
      if (legal.at(from).count(to)) {
        ASSERT_EQ(r.status, 200) << r.body;
        EXPECT_EQ(json::parse(r.body)["status"], to);
      } else {
        ASSERT_EQ(r.status, 409) << r.body;
        EXPECT_EQ(json::parse(r.body)["detail"],
                  "Deze stap kan niet vanuit de huidige fase van de koppeling.");
        EXPECT_EQ(get("/api/v1/matches/" + m)["status"], from);
      }
    }
    // "proposed" is where a match starts, not a step one can ask for.
    const std::string m = match_in(from);
    auto back = move(m, "proposed");
    EXPECT_EQ(back.status, 422) << from << " " << back.body;
    EXPECT_TRUE(json::parse(back.body)["errors"].contains("to")) << back.body;
  }
  EXPECT_EQ(move(match_in("proposed"), "finished").status, 422);
}

TEST_P(MatchesApi, ClosingNeedsAReasonFromTheList) {
  const std::string m = match_in("active");
  for (const std::string reason : {"", "bored", "Goals_Reached"}) {
    auto r = move(m, "closed", reason);
    EXPECT_EQ(r.status, 422) << reason << " " << r.body;
    EXPECT_EQ(json::parse(r.body)["errors"]["reason"], "Kies een reden van afsluiting.");
  }
  EXPECT_EQ(get("/api/v1/matches/" + m)["status"], "active");
  auto r = move(m, "closed", "escalated");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(json::parse(r.body)["closure_reason"], "escalated");
  EXPECT_EQ(json::parse(r.body)["closed_on"], kToday);
}

TEST_P(MatchesApi, EveryStepNeedsAValidDate) {
  const std::string m = match_in("proposed");
  for (const std::string date : {"", "2026-02-30", "03-02-2026"}) {
    auto r = move(m, "introduction", "", date);
    EXPECT_EQ(r.status, 422) << date << " " << r.body;
    EXPECT_TRUE(json::parse(r.body)["errors"].contains("date")) << r.body;
  }
  // Not before the match was proposed.
  auto early = move(m, "introduction", "", "2026-02-02");
  EXPECT_EQ(early.status, 422) << early.body;
  EXPECT_EQ(get("/api/v1/matches/" + m)["status"], "proposed");
  auto ok = move(m, "introduction", "", "2026-02-12");
  ASSERT_EQ(ok.status, 200) << ok.body;
  EXPECT_EQ(json::parse(ok.body)["introduction_date"], "2026-02-12");
  ASSERT_EQ(move(m, "active", "", "2026-03-01").status, 200);
  EXPECT_EQ(get("/api/v1/matches/" + m)["started_on"], "2026-03-01");
}

TEST_P(MatchesApi, ClosedBeforeActiveTheFamilyWaitsAgain) {
  for (const std::string from : {"proposed", "introduction"}) {
    for (const std::string reason : {"goals_reached", "family_moved", "mismatch"}) {
      SCOPED_TRACE(from + " closed as " + reason);
      const auto family = waiting_family();
      const auto volunteer = available();
      const std::string m = proposed(family, volunteer);
      if (from == "introduction") {
        ASSERT_EQ(move(m, "introduction").status, 200);
      }
      ASSERT_EQ(move(m, "closed", reason).status, 200);
      EXPECT_EQ(family_status(family), "waiting");
      EXPECT_EQ(volunteer_status(volunteer), "available");
    }
  }
}

TEST_P(MatchesApi, ClosedAfterActiveTheReasonDecidesWhereTheFamilyGoes) {
  // A mismatch, or a volunteer who stopped: the family needs someone else. Otherwise the
  // family's trajectory ends with the match.
  const std::map<std::string, std::string> family_after = {
      {"goals_reached", "closed"}, {"family_moved", "closed"}, {"volunteer_stopped", "waiting"},
      {"mismatch", "waiting"},     {"escalated", "closed"},    {"family_withdrew", "closed"},
      {"other", "closed"}};
  for (const auto& [reason, expected] : family_after) {
    for (const std::string from : {"active", "stepping_down"}) {
      SCOPED_TRACE(from + " closed as " + reason);
      const auto family = waiting_family();
      const auto volunteer = available();
      const std::string m = proposed(family, volunteer);
      ASSERT_EQ(move(m, "introduction").status, 200);
      ASSERT_EQ(move(m, "active").status, 200);
      if (from == "stepping_down") {
        ASSERT_EQ(move(m, "stepping_down").status, 200);
      }
      EXPECT_EQ(family_status(family), "matched");
      ASSERT_EQ(move(m, "closed", reason).status, 200);
      EXPECT_EQ(family_status(family), expected);
      EXPECT_EQ(volunteer_status(volunteer), "available");
    }
  }
}

TEST_P(MatchesApi, VolunteerIsAvailableAgainWhenTheLastOpenMatchCloses) {
  const auto volunteer = available({{"max_families", 2}});
  const std::string first = proposed(waiting_family(), volunteer);
  EXPECT_EQ(volunteer_status(volunteer), "matched");
  const std::string second = proposed(waiting_family(), volunteer);
  auto v = get("/api/v1/volunteers/" + volunteer);
  EXPECT_EQ(v["open_matches"], 2);
  ASSERT_EQ(move(first, "closed", "mismatch").status, 200);
  v = get("/api/v1/volunteers/" + volunteer);
  EXPECT_EQ(v["status"], "matched");
  EXPECT_EQ(v["open_matches"], 1);
  EXPECT_EQ(v["eligible"], true);  // room for one more again
  ASSERT_EQ(move(second, "introduction").status, 200);
  ASSERT_EQ(move(second, "closed", "family_withdrew").status, 200);
  v = get("/api/v1/volunteers/" + volunteer);
  EXPECT_EQ(v["status"], "available");
  EXPECT_EQ(v["open_matches"], 0);
  // The volunteer's own history shows both automatic moves.
  EXPECT_EQ(scalar(app_->db(),
                   "SELECT COUNT(*) FROM volunteer_transitions WHERE volunteer_id = ? AND "
                   "((from_status = 'available' AND to_status = 'matched') OR "
                   "(from_status = 'matched' AND to_status = 'available'))",
                   {volunteer}),
            2);
}

TEST_P(MatchesApi, HistoryRecordsEveryTransitionInOrder) {
  // Every step within the same second (the clock does not move): the order must still hold.
  const std::string m = proposed(waiting_family(), available());
  ASSERT_EQ(move(m, "introduction", "", "2026-02-10").status, 200);
  ASSERT_EQ(move(m, "active", "", "2026-02-24").status, 200);
  ASSERT_EQ(move(m, "stepping_down", "", "2027-11-01").status, 200);
  ASSERT_EQ(move(m, "closed", "goals_reached", "2028-01-15").status, 200);
  auto h = get("/api/v1/matches/" + m)["history"];
  ASSERT_EQ(h.size(), 5u) << h.dump();
  const std::vector<std::tuple<json, std::string, std::string>> expected = {
      {nullptr, "proposed", kToday},
      {"proposed", "introduction", "2026-02-10"},
      {"introduction", "active", "2026-02-24"},
      {"active", "stepping_down", "2027-11-01"},
      {"stepping_down", "closed", "2028-01-15"}};
  for (std::size_t i = 0; i < expected.size(); ++i) {
    SCOPED_TRACE(i);
    EXPECT_EQ(h[i]["from"], std::get<0>(expected[i])) << h.dump();
    EXPECT_EQ(h[i]["to"], std::get<1>(expected[i])) << h.dump();
    EXPECT_EQ(h[i]["date"], std::get<2>(expected[i]));
    EXPECT_EQ(h[i]["by_user_id"], app_->a.users.at("coordinator").id);
    EXPECT_EQ(h[i]["reason"], i == 4 ? json("goals_reached") : json(nullptr));
  }
  // A refused step leaves no trace.
  EXPECT_EQ(move(m, "active").status, 409);
  EXPECT_EQ(get("/api/v1/matches/" + m)["history"].size(), 5u);
}

TEST_P(MatchesApi, ListByStatus) {
  const std::string a = match_in("proposed");
  const std::string b = match_in("active");
  const std::string c = match_in("closed");
  auto ids = [&](const std::string& query) {
    std::set<std::string> out;
    const json listed = get("/api/v1/matches" + query);
    for (const auto& item : listed["items"]) out.insert(item["id"].get<std::string>());
    return out;
  };
  EXPECT_EQ(ids(""), (std::set<std::string>{a, b, c}));
  EXPECT_EQ(ids("?status=active"), std::set<std::string>{b});
  EXPECT_EQ(ids("?status=closed"), std::set<std::string>{c});
  EXPECT_EQ(coordinator_->get("/api/v1/matches?status=done").status, 422);
  // Another organisation sees none; another team's coordinator sees none of this team's.
  EXPECT_TRUE(
      json::parse(app_->client_as(app_->b, "project_lead")->get("/api/v1/matches").body)["items"]
          .empty());
  EXPECT_TRUE(
      json::parse(
          app_->client_as(app_->a, "other_coordinator")->get("/api/v1/matches").body)["items"]
          .empty());
}

// --- capacity and eligibility when proposing ------------------------------------------------

TEST_P(MatchesApi, AVolunteerTakesNoMoreFamiliesThanTheirMaximum) {
  const auto volunteer = available({{"max_families", 2}});
  EXPECT_EQ(propose(waiting_family(), volunteer).status, 201);
  EXPECT_EQ(propose(waiting_family(), volunteer).status, 201);
  const auto third = waiting_family();
  const auto before = match_count();
  auto r = propose(third, volunteer);
  ASSERT_EQ(r.status, 422) << r.body;
  auto body = json::parse(r.body);
  EXPECT_EQ(
      body["blockers"],
      json::array({{{"code", "full"}, {"message", "Heeft al het maximale aantal gezinnen."}}}));
  EXPECT_TRUE(body["errors"].contains("volunteer_id")) << r.body;
  EXPECT_EQ(match_count(), before);
  EXPECT_EQ(family_status(third), "waiting");
}

TEST_P(MatchesApi, AnIneligibleVolunteerIsRefusedWithTheBlockers) {
  auto v = new_volunteer(json::object(), *coordinator_);
  const std::string id = v["id"];
  ASSERT_EQ(
      coordinator_->post_json("/api/v1/volunteers/" + id + "/transition", R"({"to": "screening"})")
          .status,
      200);
  ASSERT_EQ(
      coordinator_
          ->request("PUT", "/api/v1/volunteers/" + id + "/screening",
                    R"({"vog_issued_on": "2022-06-01"})", {{"Content-Type", "application/json"}})
          .status,
      200);
  const auto family = waiting_family();
  auto r = propose(family, id);
  ASSERT_EQ(r.status, 422) << r.body;
  auto body = json::parse(r.body);
  EXPECT_EQ(body["errors"]["volunteer_id"], "Deze vrijwilliger kan nu niet gekoppeld worden.");
  EXPECT_EQ(
      body["blockers"],
      json::array({{{"code", "status"}, {"message", "Is nog in screening."}},
                   {{"code", "vog_expired"}, {"message", "VOG verlopen op 01-06-2025."}},
                   {{"code", "training_missing"}, {"message", "Basistraining nog niet gevolgd."}},
                   {{"code", "code_missing"}, {"message", "Gedragscode nog niet getekend."}}}));
  EXPECT_EQ(match_count(), 0);
  EXPECT_EQ(family_status(family), "waiting");
  // A paused volunteer is refused the same way.
  const auto paused = available();
  ASSERT_EQ(
      coordinator_->post_json("/api/v1/volunteers/" + paused + "/transition", R"({"to": "paused"})")
          .status,
      200);
  r = propose(family, paused);
  EXPECT_EQ(r.status, 422);
  EXPECT_EQ(json::parse(r.body)["blockers"],
            json::array({{{"code", "status"}, {"message", "Staat op pauze."}}}));
}

TEST_P(MatchesApi, AFamilyWithAnOpenMatchCannotBeProposedAgain) {
  const auto family = waiting_family();
  EXPECT_EQ(propose(family, available()).status, 201);
  auto r = propose(family, available());
  ASSERT_EQ(r.status, 409) << r.body;
  EXPECT_EQ(json::parse(r.body)["detail"], "Dit gezin staat niet (meer) op de wachtlijst.");
  EXPECT_EQ(match_count(), 1);
}

TEST_P(MatchesApi, FamiliesAndVolunteersOfAnotherOrganisationAreNotFound) {
  auto coordinator_b = app_->client_as(app_->b, "coordinator");
  const auto family_b = waiting_family(coordinator_b.get());
  const auto volunteer_b = available(json::object(), coordinator_b.get());
  const auto family = waiting_family();
  const auto volunteer = available();
  auto r = propose(family_b, volunteer);
  EXPECT_EQ(r.status, 422) << r.body;
  EXPECT_TRUE(json::parse(r.body)["errors"].contains("family_id")) << r.body;
  r = propose(family, volunteer_b);
  EXPECT_EQ(r.status, 422) << r.body;
  EXPECT_TRUE(json::parse(r.body)["errors"].contains("volunteer_id")) << r.body;
  r = propose(family, "doesnotexist0000000000000");
  EXPECT_EQ(r.status, 422) << r.body;
  EXPECT_TRUE(json::parse(r.body)["errors"].contains("volunteer_id")) << r.body;
  EXPECT_EQ(match_count(), 0);
  // Their matches are not found either.
  const std::string theirs =
      json::parse(propose(family_b, volunteer_b, coordinator_b.get()).body)["id"];
  EXPECT_EQ(coordinator_->get("/api/v1/matches/" + theirs).status, 404);
  EXPECT_EQ(move(theirs, "introduction").status, 404);
}

// --- what a volunteer may read ----------------------------------------------------------------

TEST_P(MatchesApi, AVolunteerReadsOnlyTheFamilyOfTheirOwnRunningMatch) {
  const auto me = available({{"user_id", app_->a.users.at("volunteer").id}});
  const auto mine = waiting_family(nullptr, "Familie Mijn");
  const auto other = waiting_family(nullptr, "Familie Ander");
  // Sensitive parts of the record a volunteer must not see.
  auto patched = coordinator_->request(
      "PATCH", "/api/v1/families/" + mine,
      json({{"needs", {"finances"}},
            {"wishes", "Samen de post doornemen"},
            {"formal_care", {{{"agency", "Buurtteam Oost"}, {"contact", "Karin"}}}},
            {"coordinator_id", app_->a.users.at("coordinator").id}})
          .dump(),
      {{"Content-Type", "application/json"}});
  ASSERT_EQ(patched.status, 200) << patched.body;
  ASSERT_EQ(coordinator_
                ->post_json("/api/v1/families/" + mine + "/members",
                            R"({"first_name": "Noor", "role": "child"})")
                .status,
            201);

  auto api = app_->client_as(app_->a, "volunteer");
  auto page = session_for("volunteer");
  auto family_ids = [&] {
    auto r = api->get("/api/v1/families");
    EXPECT_EQ(r.status, 200) << r.body;
    std::vector<std::string> out;
    const json listed = json::parse(r.body);
    for (const auto& item : listed["items"]) out.push_back(item["id"].get<std::string>());
    return out;
  };

  // Proposed is not yet the volunteer's: nothing to see.
  const std::string m = proposed(mine, me);
  EXPECT_EQ(api->get("/api/v1/families/" + mine).status, 404);
  EXPECT_TRUE(family_ids().empty());

  for (const std::string step : {"introduction", "active", "stepping_down"}) {
    SCOPED_TRACE(step);
    ASSERT_EQ(move(m, step).status, 200);
    auto r = api->get("/api/v1/families/" + mine);
    ASSERT_EQ(r.status, 200) << r.body;
    auto f = json::parse(r.body);
    EXPECT_EQ(f["display_name"], "Familie Mijn");
    EXPECT_EQ(f["wishes"], "Samen de post doornemen");
    EXPECT_EQ(f["members"][0]["first_name"], "Noor");
    const std::set<std::string> allowed = {"id",           "status", "display_name", "postcode",
                                           "house_number", "city",   "phone",        "languages",
                                           "wishes",       "members"};
    for (const auto& [key, value] : f.items())
      EXPECT_TRUE(allowed.count(key)) << "a volunteer must not see " << key;
    for (const char* hidden : {"needs", "formal_care", "coordinator_id", "preferences"})
      EXPECT_FALSE(f.contains(hidden)) << hidden;
    EXPECT_FALSE(contains(r.body, "Buurtteam Oost"));
    // Only their own family, in the list and one by one.
    EXPECT_EQ(family_ids(), std::vector<std::string>{mine});
    EXPECT_EQ(api->get("/api/v1/families/" + other).status, 404);
    // The pages say the same.
    auto own_page = page->get("/gezinnen/" + mine);
    ASSERT_EQ(own_page.status, 200) << own_page.body;
    EXPECT_TRUE(contains(own_page.body, "Familie Mijn"));
    EXPECT_TRUE(contains(own_page.body, "Noor"));
    EXPECT_FALSE(contains(own_page.body, "Buurtteam Oost"));
    EXPECT_FALSE(contains(own_page.body, "Financiën"));
    auto other_page = page->get("/gezinnen/" + other);
    EXPECT_EQ(other_page.status, 404);
    EXPECT_FALSE(contains(other_page.body, "Familie Ander"));
  }
  // A family of the volunteer's organisation they never matched is as absent as one that does
  // not exist.
  auto missing = api->get("/api/v1/families/doesnotexist0000000000000");
  EXPECT_EQ(missing.status, 404);
  EXPECT_EQ(json::parse(api->get("/api/v1/families/" + other).body)["title"],
            json::parse(missing.body)["title"]);

  // Once the match is closed the family is gone for them.
  ASSERT_EQ(move(m, "closed", "goals_reached").status, 200);
  EXPECT_EQ(api->get("/api/v1/families/" + mine).status, 404);
  EXPECT_EQ(page->get("/gezinnen/" + mine).status, 404);
  EXPECT_TRUE(family_ids().empty());
}

TEST_P(MatchesApi, AVolunteerCannotProposeOrMoveMatches) {
  const auto family = waiting_family();
  const auto volunteer = available({{"user_id", app_->a.users.at("volunteer").id}});
  auto api = app_->client_as(app_->a, "volunteer");
  EXPECT_EQ(propose(family, volunteer, api.get()).status, 403);
  const std::string m = proposed(family, volunteer);
  EXPECT_EQ(api->post_json("/api/v1/matches/" + m + "/transition",
                           json({{"to", "introduction"}, {"date", kToday}}).dump())
                .status,
            403);
  EXPECT_EQ(api->get("/api/v1/families/" + family + "/suggestions").status, 403);
  EXPECT_EQ(api->post_json("/api/v1/matching/plan", "{}").status, 403);
}

// --- pages (smoke) ----------------------------------------------------------------------------

TEST_P(MatchesApi, CoordinatorPagesForVolunteersMatchingAndMatches) {
  const auto volunteer = available({{"first_name", "Wilma"}, {"last_name", "Wandel"}});
  const auto family = waiting_family(nullptr, "Familie Koppel");
  auto near = new_volunteer({{"first_name", "Nina"}, {"last_name", "Nogniet"}}, *coordinator_);
  ASSERT_EQ(coordinator_
                ->post_json("/api/v1/volunteers/" + near["id"].get<std::string>() + "/transition",
                            R"({"to": "screening"})")
                .status,
            200);
  std::string csrf;
  auto web = session_for("coordinator", &csrf);

  auto list = web->get("/vrijwilligers");
  ASSERT_EQ(list.status, 200) << list.body;
  EXPECT_TRUE(contains(list.body, "Vrijwilligers"));
  EXPECT_TRUE(contains(list.body, "Wilma Wandel"));
  EXPECT_TRUE(contains(list.body, "Nina Nogniet"));
  EXPECT_EQ(web->get("/vrijwilligers?status=available").status, 200);

  auto detail = web->get("/vrijwilligers/" + volunteer);
  ASSERT_EQ(detail.status, 200) << detail.body;
  for (const char* text : {"Wilma Wandel", "Screening", "VOG afgegeven op", "Kan gekoppeld worden",
                           "Nog geen koppelingen."})
    EXPECT_TRUE(contains(detail.body, text)) << text;
  auto blocked = web->get("/vrijwilligers/" + near["id"].get<std::string>());
  ASSERT_EQ(blocked.status, 200);
  EXPECT_TRUE(contains(blocked.body, "Geen VOG ingevuld."));
  EXPECT_EQ(web->get("/vrijwilligers/nieuw").status, 200);

  auto matching = web->get("/gezinnen/" + family + "/koppelen");
  ASSERT_EQ(matching.status, 200) << matching.body;
  for (const char* text : {"Koppelen: Familie Koppel", "Wilma Wandel", "Koppeling voorstellen",
                           "Bijna beschikbaar", "Nina Nogniet", "Is nog in screening."})
    EXPECT_TRUE(contains(matching.body, text)) << text;

  auto plan = web->get("/koppelplan");
  ASSERT_EQ(plan.status, 200) << plan.body;
  for (const char* text : {"Koppelplan", "Familie Koppel", "Wilma Wandel"})
    EXPECT_TRUE(contains(plan.body, text)) << text;
  EXPECT_EQ(match_count(), 0);  // viewing the plan creates nothing

  // The near miss cannot be proposed: the page says why.
  auto refused = web->post_form("/koppelingen", {{"csrf_token", csrf},
                                                 {"family_id", family},
                                                 {"volunteer_id", near["id"].get<std::string>()},
                                                 {"introduction_date", kToday}});
  EXPECT_EQ(refused.status, 422);
  EXPECT_TRUE(contains(refused.body, "Is nog in screening."));
  EXPECT_EQ(match_count(), 0);

  auto created = web->post_form("/koppelingen", {{"csrf_token", csrf},
                                                 {"family_id", family},
                                                 {"volunteer_id", volunteer},
                                                 {"introduction_date", "2026-02-10"}});
  ASSERT_EQ(created.status, 303) << created.body;
  const std::string location = created.header("Location").value_or("");
  ASSERT_EQ(location.rfind("/koppelingen/", 0), 0u) << location;
  auto match_page = web->get(location);
  ASSERT_EQ(match_page.status, 200) << match_page.body;
  for (const char* text :
       {"Koppeling", "Familie Koppel", "Wilma Wandel", "Voorgesteld", "Kennismaking", "Actief",
        "Afbouwen", "Afgesloten", "Kennismaking vastleggen"})
    EXPECT_TRUE(contains(match_page.body, text)) << text;

  auto step = web->post_form(
      location + "/stap", {{"csrf_token", csrf}, {"to", "introduction"}, {"date", "2026-02-10"}});
  ASSERT_EQ(step.status, 303) << step.body;
  auto after = web->get(location);
  EXPECT_TRUE(contains(after.body, "Koppeling starten"));
  auto illegal = web->post_form(location + "/stap",
                                {{"csrf_token", csrf}, {"to", "stepping_down"}, {"date", kToday}});
  EXPECT_EQ(illegal.status, 409);
  EXPECT_TRUE(
      contains(illegal.body, "Deze stap kan niet vanuit de huidige fase van de koppeling."));
  EXPECT_TRUE(contains(web->get("/vrijwilligers/" + volunteer).body, "Familie Koppel"));
}

INSTANTIATE_TEST_SUITE_P(Engines, MatchesApi, ::testing::ValuesIn(engines()));

}  // namespace
}  // namespace oploop::testing
