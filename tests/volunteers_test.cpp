// Volunteers (SPEC §2.3): the eligibility rules on a controlled date — each blocker alone, the
// VOG's validity under the organisation's policy and its 60-day warning — and the lifecycle
// through /api/v1/volunteers on both engines: every legal and illegal transition, "available"
// only with a complete screening, "stopped" only with a reason, "matched" only through a match.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <map>
#include <set>

#include "support/api_data.hpp"
#include "support/test_app.hpp"
#include "volunteers/volunteer.hpp"

namespace oploop::testing {
namespace {

using nlohmann::json;

// --- the rules alone (no database) ----------------------------------------------------------

// Everything done: available, valid VOG, training, code of conduct, room for a family.
volunteers::Volunteer eligible_volunteer() {
  volunteers::Volunteer v;
  v.id = "v1";
  v.status = "available";
  v.screening = {"2025-01-10", "2025-01-15", "2025-01-20", "2025-01-21", ""};
  v.vog_valid_until = "2028-01-15";
  v.max_families = 1;
  v.open_matches = 0;
  return v;
}

std::vector<std::string> codes(const std::vector<volunteers::Blocker>& blockers) {
  std::vector<std::string> out;
  for (const auto& b : blockers) out.push_back(b.code);
  return out;
}

using Codes = std::vector<std::string>;
const std::string kToday = "2026-02-03";

TEST(Eligibility, EligibleWhenEverythingIsDone) {
  auto v = eligible_volunteer();
  EXPECT_TRUE(volunteers::blockers(v, kToday).empty());
  // The intake interview and references are on the checklist but do not block a match.
  v.screening.intake_on.clear();
  v.screening.references_checked_on.clear();
  EXPECT_TRUE(volunteers::blockers(v, kToday).empty());
  // A matched volunteer with room left is still eligible.
  v.status = "matched";
  v.max_families = 2;
  v.open_matches = 1;
  EXPECT_TRUE(volunteers::blockers(v, kToday).empty());
}

TEST(Eligibility, EachStatusThatIsNotAvailableBlocksAlone) {
  for (const std::string status : {"applicant", "screening", "paused", "stopped"}) {
    auto v = eligible_volunteer();
    v.status = status;
    auto b = volunteers::blockers(v, kToday);
    ASSERT_EQ(codes(b), Codes{"status"}) << status;
    EXPECT_EQ(b[0].message, "volunteer.blocker.status_" + status);
    EXPECT_EQ(b[0].date, "");
  }
}

TEST(Eligibility, MissingVogBlocksAlone) {
  auto v = eligible_volunteer();
  v.screening.vog_issued_on.clear();
  v.vog_valid_until.clear();
  EXPECT_EQ(codes(volunteers::blockers(v, kToday)), Codes{"vog_missing"});
}

TEST(Eligibility, VogExpiresOnTheDayItsValidityEnds) {
  auto v = eligible_volunteer();
  v.screening.vog_issued_on = "2023-02-03";
  v.vog_valid_until = "2026-02-03";
  auto b = volunteers::blockers(v, kToday);
  ASSERT_EQ(codes(b), Codes{"vog_expired"});
  EXPECT_EQ(b[0].message, "volunteer.blocker.vog_expired");
  EXPECT_EQ(b[0].date, "2026-02-03");
  // The day before it is still valid (and lapsing).
  EXPECT_TRUE(volunteers::blockers(v, "2026-02-02").empty());
  EXPECT_TRUE(volunteers::vog_lapsing(v, "2026-02-02"));
}

TEST(Eligibility, TrainingAndCodeOfConductBlockAlone) {
  auto v = eligible_volunteer();
  v.screening.training_completed_on.clear();
  EXPECT_EQ(codes(volunteers::blockers(v, kToday)), Codes{"training_missing"});
  v = eligible_volunteer();
  v.screening.code_signed_on.clear();
  EXPECT_EQ(codes(volunteers::blockers(v, kToday)), Codes{"code_missing"});
}

TEST(Eligibility, FullBlocksAlone) {
  auto v = eligible_volunteer();
  v.status = "matched";
  v.open_matches = 1;
  EXPECT_EQ(codes(volunteers::blockers(v, kToday)), Codes{"full"});
  v.max_families = 3;
  v.open_matches = 3;
  EXPECT_EQ(codes(volunteers::blockers(v, kToday)), Codes{"full"});
  v.open_matches = 2;
  EXPECT_TRUE(volunteers::blockers(v, kToday).empty());
}

TEST(Eligibility, AllBlockersTogetherInOrder) {
  volunteers::Volunteer v;
  v.status = "applicant";
  v.max_families = 1;
  v.open_matches = 1;
  EXPECT_EQ(codes(volunteers::blockers(v, kToday)),
            (Codes{"status", "vog_missing", "training_missing", "code_missing", "full"}));
}

TEST(Eligibility, VogLapsingWithinSixtyDaysNotAtSixtyOne) {
  auto v = eligible_volunteer();
  v.vog_valid_until = "2026-04-04";  // 2026-02-03 + 60 days
  EXPECT_TRUE(volunteers::vog_lapsing(v, kToday));
  EXPECT_TRUE(volunteers::blockers(v, kToday).empty());  // lapsing is a warning, not a blocker
  v.vog_valid_until = "2026-04-05";                      // + 61 days
  EXPECT_FALSE(volunteers::vog_lapsing(v, kToday));
  v.vog_valid_until = "2026-02-04";  // tomorrow
  EXPECT_TRUE(volunteers::vog_lapsing(v, kToday));
  v.vog_valid_until = kToday;  // expired today: a blocker, no longer "lapsing"
  EXPECT_FALSE(volunteers::vog_lapsing(v, kToday));
  v.vog_valid_until.clear();
  EXPECT_FALSE(volunteers::vog_lapsing(v, kToday));
}

// --- through the API on both engines --------------------------------------------------------

// 11:00 UTC is 12:00 in Amsterdam: the API's "today" is 2026-02-03.
TimePoint test_now() { return parse_rfc3339("2026-02-03T11:00:00Z"); }

const json kScreened = {{"intake_on", "2025-01-10"},
                        {"vog_issued_on", "2025-01-15"},
                        {"training_completed_on", "2025-01-20"},
                        {"code_signed_on", "2025-01-21"},
                        {"references_checked_on", "2025-01-22"}};

class VolunteersApi : public ::testing::TestWithParam<std::string> {
 protected:
  VolunteersApi() : clock_(test_now()) {}

  void SetUp() override {
    app_ = std::make_unique<TestApp>(GetParam(), TestAppOptions{.clock = &clock_});
    if (!app_->available()) GTEST_SKIP() << app_->skip_reason();
    coordinator_ = app_->client_as(app_->a, "coordinator");
  }

  // A new volunteer (applicant); answers the body.
  json create(const json& overrides = json::object(), HttpClient* as = nullptr) {
    json body = {{"first_name", "Vera"},
                 {"last_name", "Vrijwilliger " + std::to_string(++counter_)},
                 {"email", "vera" + std::to_string(counter_) + "@example.org"},
                 {"postcode", "3511 AB"},
                 {"house_number", "1"},
                 {"languages", {"nl"}},
                 {"skills", {"finances"}},
                 {"availability", {"mon_evening"}}};
    body.update(overrides);
    auto r = (as ? *as : *coordinator_).post_json("/api/v1/volunteers", body.dump());
    EXPECT_EQ(r.status, 201) << r.body;
    return json::parse(r.body);
  }
  HttpResult screening(const std::string& id, const json& dates) {
    return coordinator_->request("PUT", "/api/v1/volunteers/" + id + "/screening", dates.dump(),
                                 {{"Content-Type", "application/json"}});
  }
  HttpResult move(const std::string& id, const std::string& to, const std::string& reason = "") {
    json body = {{"to", to}};
    if (!reason.empty()) body["reason"] = reason;
    return coordinator_->post_json("/api/v1/volunteers/" + id + "/transition", body.dump());
  }
  json show(const std::string& id) {
    auto r = coordinator_->get("/api/v1/volunteers/" + id);
    EXPECT_EQ(r.status, 200) << r.body;
    return json::parse(r.body);
  }
  // A volunteer with a complete screening, moved to "available".
  std::string available(const json& overrides = json::object()) {
    const std::string id = create(overrides)["id"];
    EXPECT_EQ(screening(id, kScreened).status, 200);
    EXPECT_EQ(move(id, "screening").status, 200);
    auto r = move(id, "available");
    EXPECT_EQ(r.status, 200) << r.body;
    return id;
  }
  // A referral accepted into a waiting family; answers the family id.
  std::string waiting_family() {
    return testing::waiting_family(*coordinator_, "Gezin " + std::to_string(++counter_));
  }
  std::string propose(const std::string& family, const std::string& volunteer) {
    auto r = coordinator_->post_json(
        "/api/v1/matches", json({{"family_id", family}, {"volunteer_id", volunteer}}).dump());
    EXPECT_EQ(r.status, 201) << r.body;
    return json::parse(r.body).value("id", "");
  }
  // A volunteer in `state`, reached the way a coordinator would.
  std::string volunteer_in(const std::string& state) {
    if (state == "applicant") {
      const std::string id = create()["id"];
      EXPECT_EQ(screening(id, kScreened).status, 200);
      return id;
    }
    if (state == "screening") {
      const std::string id = create()["id"];
      EXPECT_EQ(screening(id, kScreened).status, 200);
      EXPECT_EQ(move(id, "screening").status, 200);
      return id;
    }
    if (state == "stopped") {
      const std::string id = create()["id"];
      EXPECT_EQ(screening(id, kScreened).status, 200);
      EXPECT_EQ(move(id, "stopped", "Verhuisd").status, 200);
      return id;
    }
    const std::string id = available();
    if (state == "paused") {
      EXPECT_EQ(move(id, "paused").status, 200);
    }
    if (state == "matched") propose(waiting_family(), id);
    EXPECT_EQ(show(id)["status"], state);
    return id;
  }
  static std::vector<std::string> blocker_codes(const json& body) {
    std::vector<std::string> out;
    for (const auto& b : body["blockers"]) out.push_back(b["code"].get<std::string>());
    return out;
  }

  ManualClock clock_;
  std::unique_ptr<TestApp> app_;
  std::unique_ptr<HttpClient> coordinator_;
  int counter_ = 0;
};

TEST_P(VolunteersApi, RegisterReadAndUpdate) {
  auto v = create({{"max_families", 2}, {"max_distance_km", 15}, {"gender", "female"}});
  EXPECT_EQ(v["status"], "applicant");
  EXPECT_EQ(v["postcode"], "3511 AB");
  EXPECT_EQ(v["max_families"], 2);
  EXPECT_EQ(v["team_id"], app_->a.team_id);  // the coordinator's team
  EXPECT_EQ(v["eligible"], false);
  const std::string id = v["id"];
  auto patched = coordinator_->request("PATCH", "/api/v1/volunteers/" + id,
                                       R"({"languages": ["nl", "ar"], "max_families": 3})",
                                       {{"Content-Type", "application/json"}});
  ASSERT_EQ(patched.status, 200) << patched.body;
  EXPECT_EQ(show(id)["languages"], json({"nl", "ar"}));
  EXPECT_EQ(show(id)["max_families"], 3);
  // Profile rules: 1–3 families, ISO 639-1 languages, life domains, slots.
  for (const json& bad :
       {json{{"max_families", 4}}, json{{"max_families", 0}}, json{{"languages", {"dutch"}}},
        json{{"skills", {"cooking"}}}, json{{"availability", {"mon_night"}}}}) {
    json body = {{"first_name", "X"}, {"last_name", "Y"}};
    body.update(bad);
    auto r = coordinator_->post_json("/api/v1/volunteers", body.dump());
    EXPECT_EQ(r.status, 422) << bad.dump() << " " << r.body;
    EXPECT_TRUE(json::parse(r.body)["errors"].contains(bad.begin().key())) << r.body;
  }
  // Another organisation's volunteer does not exist; another team's is forbidden.
  EXPECT_EQ(app_->client_as(app_->b, "coordinator")->get("/api/v1/volunteers/" + id).status, 404);
  EXPECT_EQ(app_->client_as(app_->a, "other_coordinator")->get("/api/v1/volunteers/" + id).status,
            403);
}

// The volunteer's page shows the whole profile in words, and the profile is edited through a
// page: the form comes filled in, a bad value is refused naming the field with nothing saved,
// a good change lands; another team's coordinator cannot open it.
TEST_P(VolunteersApi, TheProfileIsShownAndEditedThroughThePages) {
  const std::string id = create({{"languages", {"nl", "ar"}},
                                 {"availability", {"mon_evening", "sat_morning"}},
                                 {"gender", "female"},
                                 {"preferences", "Liefst een gezin met jonge kinderen"}})["id"];
  std::string csrf;
  auto web = app_->session_as(app_->a, "coordinator", &csrf);
  auto page = web->get("/vrijwilligers/" + id);
  ASSERT_EQ(page.status, 200);
  for (const char* shown : {"Nederlands, Arabisch", "ma avond", "za ochtend", "Vrouw",
                            "Liefst een gezin met jonge kinderen", "Reisafstand"})
    EXPECT_NE(page.body.find(shown), std::string::npos) << shown;
  EXPECT_NE(page.body.find("/vrijwilligers/" + id + "/bewerken"), std::string::npos);

  auto form = web->get("/vrijwilligers/" + id + "/bewerken");
  ASSERT_EQ(form.status, 200);
  EXPECT_NE(form.body.find(R"(value="nl, ar")"), std::string::npos);
  EXPECT_NE(form.body.find(R"(value="3511 AB")"), std::string::npos);
  EXPECT_NE(form.body.find("action=\"/vrijwilligers/" + id + "/bewerken\""), std::string::npos);

  http::Params fields = {{"csrf_token", csrf},      {"first_name", "Vera"},
                         {"last_name", "Verhuisd"}, {"email", "vera@example.org"},
                         {"postcode", "3512 CD"},   {"house_number", "9"},
                         {"gender", "female"},      {"languages", "nl, tr"},
                         {"skills", "housing"},     {"availability", "tue_evening"},
                         {"max_families", "4"},     {"max_distance_km", "12"},
                         {"preferences", ""}};
  auto refused = web->post_form("/vrijwilligers/" + id + "/bewerken", fields);
  EXPECT_EQ(refused.status, 422);
  EXPECT_NE(refused.body.find("Verhuisd"), std::string::npos);  // what was typed stays
  EXPECT_EQ(show(id)["last_name"].get<std::string>().rfind("Vrijwilliger", 0), 0u);  // not saved
  for (auto& [k, v] : fields)
    if (k == "max_families") v = "2";
  auto saved = web->post_form("/vrijwilligers/" + id + "/bewerken", fields);
  ASSERT_EQ(saved.status, 303) << saved.body;
  EXPECT_EQ(saved.header("Location").value_or(""), "/vrijwilligers/" + id);
  const json after = show(id);
  EXPECT_EQ(after["last_name"], "Verhuisd");
  EXPECT_EQ(after["postcode"], "3512 CD");
  EXPECT_EQ(after["languages"], json({"nl", "tr"}));
  EXPECT_EQ(after["skills"], json({"housing"}));
  EXPECT_EQ(after["availability"], json({"tue_evening"}));
  EXPECT_EQ(after["max_families"], 2);
  EXPECT_EQ(after["max_distance_km"], 12);

  auto other = app_->session_as(app_->a, "other_coordinator");
  EXPECT_EQ(other->get("/vrijwilligers/" + id + "/bewerken").status, 403);
  auto volunteer = app_->session_as(app_->a, "volunteer");
  EXPECT_EQ(volunteer->get("/vrijwilligers/" + id + "/bewerken").status, 403);
}

TEST_P(VolunteersApi, BlockersAreStatedInDutchWithTheVogExpiryDate) {
  const std::string id = create()["id"];
  auto r = screening(id, {{"vog_issued_on", "2023-02-03"},
                          {"training_completed_on", "2025-01-20"},
                          {"code_signed_on", "2025-01-21"}});
  ASSERT_EQ(r.status, 200) << r.body;
  auto v = json::parse(r.body);
  EXPECT_EQ(v["eligible"], false);
  ASSERT_EQ(v["blockers"].size(), 2u) << r.body;
  EXPECT_EQ(v["blockers"][0],
            json({{"code", "status"}, {"message", "Is nog aanmelder: eerst screenen."}}));
  EXPECT_EQ(v["blockers"][1],
            json({{"code", "vog_expired"}, {"message", "VOG verlopen op 03-02-2026."}}));
  EXPECT_EQ(v["screening"]["vog_valid_until"], "2026-02-03");
  EXPECT_EQ(v["screening"]["vog_lapsing"], false);
  // The screening resource says the same.
  auto s = coordinator_->get("/api/v1/volunteers/" + id + "/screening");
  ASSERT_EQ(s.status, 200) << s.body;
  auto sj = json::parse(s.body);
  EXPECT_EQ(sj["vog_issued_on"], "2023-02-03");
  EXPECT_EQ(sj["eligible"], false);
  EXPECT_EQ(sj["blockers"], v["blockers"]);
  // Nothing filled in: every missing step is named.
  auto fresh = create();
  EXPECT_EQ(blocker_codes(fresh), (std::vector<std::string>{"status", "vog_missing",
                                                            "training_missing", "code_missing"}));
  EXPECT_EQ(fresh["blockers"][1]["message"], "Geen VOG ingevuld.");
  EXPECT_EQ(fresh["blockers"][2]["message"], "Basistraining nog niet gevolgd.");
  EXPECT_EQ(fresh["blockers"][3]["message"], "Gedragscode nog niet getekend.");
}

TEST_P(VolunteersApi, ScreeningDatesAreValidated) {
  const std::string id = create()["id"];
  EXPECT_EQ(screening(id, {{"vog_issued_on", "2026-02-30"}}).status, 422);
  EXPECT_EQ(screening(id, {{"vog_issued_on", "2026-02-04"}}).status, 422);  // tomorrow
  EXPECT_EQ(screening(id, {{"vog_issued_on", "2026-02-03"}}).status, 200);  // today
  // Clearing a date (null) brings the blocker back.
  EXPECT_EQ(blocker_codes(json::parse(screening(id, {{"vog_issued_on", nullptr}}).body))[1],
            "vog_missing");
}

TEST_P(VolunteersApi, VogValidityFollowsTheOrganisationsPolicy) {
  const std::string id = available();
  {
    auto conn = app_->db().acquire();
    conn->execute("UPDATE organisations SET vog_validity_years = 2 WHERE id = ?", {app_->a.id});
  }
  // Issued exactly two years ago: under a 2-year policy it lapsed today.
  auto v = json::parse(screening(id, {{"vog_issued_on", "2024-02-03"}}).body);
  EXPECT_EQ(v["screening"]["vog_valid_until"], "2026-02-03");
  EXPECT_EQ(v["eligible"], false);
  EXPECT_EQ(v["blockers"],
            json::array({{{"code", "vog_expired"}, {"message", "VOG verlopen op 03-02-2026."}}}));
  // A day later issued: valid until tomorrow, eligible, and flagged as lapsing.
  v = json::parse(screening(id, {{"vog_issued_on", "2024-02-04"}}).body);
  EXPECT_EQ(v["screening"]["vog_valid_until"], "2026-02-04");
  EXPECT_EQ(v["eligible"], true);
  EXPECT_EQ(v["screening"]["vog_lapsing"], true);
  // The same date under the default 3-year policy of the other organisation is valid for long.
  auto coordinator_b = app_->client_as(app_->b, "coordinator");
  const std::string other = create(json::object(), coordinator_b.get())["id"];
  auto ov = coordinator_b->request("PUT", "/api/v1/volunteers/" + other + "/screening",
                                   R"({"vog_issued_on": "2024-02-03"})",
                                   {{"Content-Type", "application/json"}});
  EXPECT_EQ(json::parse(ov.body)["screening"]["vog_valid_until"], "2027-02-03");
}

TEST_P(VolunteersApi, VogLapsingIsFlaggedSixtyDaysAheadNotSixtyOne) {
  const std::string id = available();
  auto v = json::parse(screening(id, {{"vog_issued_on", "2023-04-04"}}).body);
  EXPECT_EQ(v["screening"]["vog_valid_until"], "2026-04-04");
  EXPECT_EQ(v["screening"]["vog_lapsing"], true);
  EXPECT_EQ(v["eligible"], true);
  v = json::parse(screening(id, {{"vog_issued_on", "2023-04-05"}}).body);
  EXPECT_EQ(v["screening"]["vog_lapsing"], false);
  EXPECT_EQ(v["eligible"], true);
}

TEST_P(VolunteersApi, EligibleWhenAvailableAndScreened) {
  const std::string id = available();
  auto v = show(id);
  EXPECT_EQ(v["status"], "available");
  EXPECT_EQ(v["eligible"], true);
  EXPECT_EQ(v["blockers"], json::array());
  EXPECT_EQ(v["open_matches"], 0);
}

TEST_P(VolunteersApi, EveryTransitionLegalOrRefused) {
  const std::vector<std::string> states = {"applicant", "screening", "available",
                                           "matched",   "paused",    "stopped"};
  // The coordinator's moves; "matched" follows matches and is never set by hand.
  const std::map<std::string, std::set<std::string>> legal = {
      {"applicant", {"screening", "stopped"}}, {"screening", {"available", "stopped"}},
      {"available", {"paused", "stopped"}},    {"matched", {}},  // close the matches first
      {"paused", {"available", "stopped"}},    {"stopped", {}}};
  int checked = 0;
  for (const auto& from : states) {
    for (const auto& to : states) {
      SCOPED_TRACE(from + " -> " + to);
      const std::string id = volunteer_in(from);
      auto r = move(id, to, to == "stopped" ? "Geen tijd meer" : "");
      if (legal.at(from).count(to)) {
        ASSERT_EQ(r.status, 200) << r.body;
        EXPECT_EQ(json::parse(r.body)["status"], to);
      } else {
        ASSERT_EQ(r.status, 409) << r.body;
        EXPECT_EQ(json::parse(r.body)["detail"],
                  "Deze stap kan niet vanuit de huidige status van de vrijwilliger.");
        EXPECT_EQ(show(id)["status"], from);
      }
      ++checked;
    }
  }
  EXPECT_EQ(checked, 36);
  // Each legal move is recorded.
  EXPECT_GE(scalar(app_->db(), "SELECT COUNT(*) FROM volunteer_transitions WHERE to_status = ?",
                   {std::string("paused")}),
            2);
}

TEST_P(VolunteersApi, AvailableIsRefusedWhileTheScreeningIsIncomplete) {
  const std::string id = create()["id"];
  ASSERT_EQ(move(id, "screening").status, 200);
  const std::string incomplete =
      "De screening is nog niet compleet: VOG, basistraining en gedragscode zijn nodig.";
  auto r = move(id, "available");
  EXPECT_EQ(r.status, 409);
  EXPECT_EQ(json::parse(r.body)["detail"], incomplete);
  // One missing step is enough to refuse.
  auto dates = kScreened;
  dates.erase("code_signed_on");
  ASSERT_EQ(screening(id, dates).status, 200);
  EXPECT_EQ(move(id, "available").status, 409);
  // An expired VOG counts as missing.
  dates = kScreened;
  dates["vog_issued_on"] = "2022-06-01";
  ASSERT_EQ(screening(id, dates).status, 200);
  EXPECT_EQ(move(id, "available").status, 409);
  EXPECT_EQ(show(id)["status"], "screening");
  // Complete: allowed. References and intake are not required to be matched.
  dates = kScreened;
  dates["references_checked_on"] = nullptr;
  ASSERT_EQ(screening(id, dates).status, 200);
  EXPECT_EQ(move(id, "available").status, 200);
  // Back from a pause with a VOG that lapsed meanwhile: refused as well.
  ASSERT_EQ(move(id, "paused").status, 200);
  ASSERT_EQ(screening(id, {{"vog_issued_on", "2022-06-01"}}).status, 200);
  r = move(id, "available");
  EXPECT_EQ(r.status, 409);
  EXPECT_EQ(json::parse(r.body)["detail"], incomplete);
}

TEST_P(VolunteersApi, StoppingNeedsAReason) {
  const std::string id = available();
  for (const std::string reason : {"", "   "}) {
    auto r = move(id, "stopped", reason);
    EXPECT_EQ(r.status, 422) << r.body;
    EXPECT_TRUE(json::parse(r.body)["errors"].contains("reason")) << r.body;
  }
  EXPECT_EQ(show(id)["status"], "available");
  auto r = move(id, "stopped", "  Verhuisd naar Zwolle ");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(json::parse(r.body)["stop_reason"], "Verhuisd naar Zwolle");
  EXPECT_EQ(json::parse(r.body)["blockers"][0]["message"], "Is gestopt.");
  // Unknown states are a validation error, not a conflict.
  EXPECT_EQ(move(available(), "retired").status, 422);
}

TEST_P(VolunteersApi, MatchedIsReachedOnlyThroughAMatch) {
  const std::string id = available();
  EXPECT_EQ(move(id, "matched").status, 409);
  const std::string match = propose(waiting_family(), id);
  auto v = show(id);
  EXPECT_EQ(v["status"], "matched");
  EXPECT_EQ(v["open_matches"], 1);
  EXPECT_EQ(blocker_codes(v), std::vector<std::string>{"full"});
  EXPECT_EQ(v["blockers"][0]["message"], "Heeft al het maximale aantal gezinnen.");
  EXPECT_EQ(move(id, "available").status, 409);
  EXPECT_EQ(move(id, "paused").status, 409);
  // Closing the match gives the volunteer back.
  auto closed = coordinator_->post_json(
      "/api/v1/matches/" + match + "/transition",
      json({{"to", "closed"}, {"date", "2026-02-03"}, {"reason", "mismatch"}}).dump());
  ASSERT_EQ(closed.status, 200) << closed.body;
  EXPECT_EQ(show(id)["status"], "available");
  EXPECT_EQ(show(id)["eligible"], true);
}

TEST_P(VolunteersApi, ListFiltersByStatusLanguageAndTeam) {
  const std::string a = available({{"languages", {"nl", "ar"}}});
  const std::string b = create({{"languages", {"tr"}}})["id"];
  const std::string c = create({{"languages", {"ar"}}, {"team_id", app_->a.other_team_id}},
                               app_->client_as(app_->a, "project_lead").get())["id"];
  auto ids = [&](const std::string& query, HttpClient& as) {
    auto r = as.get("/api/v1/volunteers" + query);
    EXPECT_EQ(r.status, 200) << r.body;
    std::set<std::string> out;
    const json listed = json::parse(r.body);
    for (const auto& item : listed["items"]) out.insert(item["id"].get<std::string>());
    return out;
  };
  auto lead = app_->client_as(app_->a, "project_lead");
  EXPECT_EQ(ids("", *lead), (std::set<std::string>{a, b, c}));
  EXPECT_EQ(ids("?status=available", *lead), std::set<std::string>{a});
  EXPECT_EQ(ids("?language=ar", *lead), (std::set<std::string>{a, c}));
  EXPECT_EQ(ids("?team=" + app_->a.other_team_id, *lead), std::set<std::string>{c});
  // The coordinator sees the volunteers of their own team only.
  EXPECT_EQ(ids("", *coordinator_), (std::set<std::string>{a, b}));
  EXPECT_EQ(lead->get("/api/v1/volunteers?status=retired").status, 422);
  // Another organisation sees none of them.
  EXPECT_TRUE(ids("", *app_->client_as(app_->b, "project_lead")).empty());
}

INSTANTIATE_TEST_SUITE_P(Engines, VolunteersApi, ::testing::ValuesIn(engines()));

}  // namespace
}  // namespace oploop::testing
