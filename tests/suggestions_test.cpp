// Suggestions (SPEC §2.4): the scorer alone (each criterion's points and explanation), and
// GET /api/v1/families/{id}/suggestions on both engines on a hand-made fixture whose answer is
// worked out by hand below — the exact order, scores and points per criterion with their Dutch
// explanations, a volunteer whose postcode area is unknown, ties, the near misses with their
// blockers, who is left out, per-organisation weights, and the same answer every time.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <set>
#include <tuple>

#include "geo/postcodes.hpp"
#include "matching/suggestions.hpp"
#include "support/api_data.hpp"
#include "support/test_app.hpp"
#include "volunteers/volunteers.hpp"

namespace oploop::testing {
namespace {

using nlohmann::json;

// --- the scorer alone -------------------------------------------------------------------------

families::Family family_wanting_everything() {
  families::Family f;
  f.id = "f1";
  f.languages = {"nl", "ar"};
  f.needs = {"finances", "parenting"};
  f.preferences.volunteer_gender = "female";
  f.preferences.availability = {"mon_evening", "wed_morning"};
  return f;
}

volunteers::Volunteer volunteer_offering_everything() {
  volunteers::Volunteer v;
  v.id = "v1";
  v.first_name = "Anouk";
  v.last_name = "Aarts";
  v.status = "available";
  v.gender = "female";
  v.languages = {"ar"};
  v.skills = {"finances", "parenting", "housing"};
  v.availability = {"mon_evening", "wed_morning", "sat_morning"};
  v.max_families = 2;
  v.max_distance_km = 10;
  return v;
}

const matching::Reason& reason(const matching::Suggestion& s, const std::string& criterion) {
  auto it = std::find_if(s.reasons.begin(), s.reasons.end(),
                         [&](const matching::Reason& r) { return r.criterion == criterion; });
  if (it == s.reasons.end()) throw std::runtime_error("no reason " + criterion);
  return *it;
}

TEST(Score, DefaultWeightsAddUpToOneHundred) {
  const matching::Weights w;
  EXPECT_EQ(w.distance + w.language + w.availability + w.skills + w.preferences + w.capacity, 100);
  auto s = matching::score(family_wanting_everything(), volunteer_offering_everything(), w, 1.0);
  EXPECT_EQ(s.score, 100);
  EXPECT_EQ(s.volunteer_name, "Anouk Aarts");
  std::vector<std::string> criteria;
  for (const auto& r : s.reasons) {
    criteria.push_back(r.criterion);
    EXPECT_EQ(r.points, r.max_points) << r.criterion;
  }
  EXPECT_EQ(criteria, (std::vector<std::string>{"distance", "language", "availability", "skills",
                                                "preferences", "capacity"}));
}

TEST(Score, DistanceIsFullWithinTwoKilometresFallingToZeroAtTheVolunteersMaximum) {
  const auto f = family_wanting_everything();
  const auto v = volunteer_offering_everything();  // at most 10 km
  const matching::Weights w;
  auto at = [&](std::optional<double> km) {
    return reason(matching::score(f, v, w, km), "distance");
  };
  EXPECT_EQ(at(0.0).points, 30);
  EXPECT_EQ(at(2.0).points, 30);
  EXPECT_EQ(at(2.0).explanation, "suggestion.distance_near");
  EXPECT_EQ(at(6.0).points, 15);  // half way between 2 and 10
  EXPECT_EQ(at(6.0).explanation, "suggestion.distance");
  EXPECT_EQ(at(6.0).args.at("km"), "6,0");  // Dutch decimal comma
  EXPECT_EQ(at(6.0).args.at("max"), "10");
  EXPECT_EQ(at(9.9).points, 0);  // lround(30 * 0.1 / 8) = 0
  EXPECT_EQ(at(10.0).points, 0);
  EXPECT_EQ(at(10.0).explanation, "suggestion.distance_too_far");
  EXPECT_EQ(at(25.0).points, 0);
  // Unknown: half the points, and said so.
  EXPECT_EQ(at(std::nullopt).points, 15);
  EXPECT_EQ(at(std::nullopt).explanation, "suggestion.distance_unknown");
  EXPECT_FALSE(matching::score(f, v, w, std::nullopt).distance_km.has_value());
}

TEST(Score, LanguageAvailabilitySkillsPreferencesAndCapacity) {
  const matching::Weights w;
  auto f = family_wanting_everything();
  auto v = volunteer_offering_everything();
  v.languages = {"tr"};
  v.availability = {"wed_morning"};
  v.skills = {"housing"};
  v.gender = "male";
  v.open_matches = 1;
  auto s = matching::score(f, v, w, 1.0);
  EXPECT_EQ(reason(s, "language").points, 0);
  EXPECT_EQ(reason(s, "language").explanation, "suggestion.language_none");
  EXPECT_EQ(reason(s, "availability").points, 10);
  EXPECT_EQ(reason(s, "availability").args.at("matched"), "1");
  EXPECT_EQ(reason(s, "availability").args.at("wanted"), "2");
  EXPECT_EQ(reason(s, "skills").points, 0);
  EXPECT_EQ(reason(s, "preferences").points, 0);
  EXPECT_EQ(reason(s, "preferences").explanation, "suggestion.preferences_gender");
  EXPECT_EQ(reason(s, "capacity").points, 2);  // half of 5, rounded down
  EXPECT_EQ(reason(s, "capacity").explanation, "suggestion.capacity_room");
  EXPECT_EQ(s.score, 30 + 0 + 10 + 0 + 0 + 2);

  // A family without wishes is easy to please: every criterion full.
  families::Family open;
  open.preferences.volunteer_gender = "no_preference";
  v.open_matches = 0;
  s = matching::score(open, v, w, 1.0);
  EXPECT_EQ(s.score, 100);
  EXPECT_EQ(reason(s, "language").explanation, "suggestion.language_unknown");
  EXPECT_EQ(reason(s, "availability").explanation, "suggestion.availability_any");
  EXPECT_EQ(reason(s, "skills").explanation, "suggestion.skills_any");
  EXPECT_EQ(reason(s, "preferences").explanation, "suggestion.preferences_met");
  // A gender wish with a volunteer who did not say: not met.
  f.preferences.volunteer_gender = "female";
  v.gender = "";
  EXPECT_EQ(reason(matching::score(f, v, w, 1.0), "preferences").points, 0);
}

TEST(Score, WeightsAreTheMaximumPointsAndTheScoreStaysWithinOneHundred) {
  matching::Weights w{.distance = 50,
                      .language = 30,
                      .availability = 10,
                      .skills = 10,
                      .preferences = 10,
                      .capacity = 10};
  auto s = matching::score(family_wanting_everything(), volunteer_offering_everything(), w, 0.5);
  EXPECT_EQ(reason(s, "distance").max_points, 50);
  EXPECT_EQ(reason(s, "language").max_points, 30);
  EXPECT_EQ(s.score, 100);  // 120 points, clamped
  // Deterministic: the same pair scores the same.
  auto again =
      matching::score(family_wanting_everything(), volunteer_offering_everything(), w, 0.5);
  EXPECT_EQ(again.score, s.score);
  for (std::size_t i = 0; i < s.reasons.size(); ++i)
    EXPECT_EQ(again.reasons[i].points, s.reasons[i].points);
}

// --- the hand-made fixture through the API ----------------------------------------------------

// Areas due north of 1000 (52.0 N, 5.0 E); one degree of latitude is 111.19 km (R = 6371 km).
const char* const kAreas =
    "pc4,latitude,longitude\n"
    "1000,52.0000,5.0000\n"   // the family
    "1001,52.0135,5.0000\n"   // 1.50 km
    "1002,52.0450,5.0000\n"   // 5.00 km
    "1003,52.0900,5.0000\n"   // 10.01 km
    "1004,52.1800,5.0000\n";  // 20.02 km; 1009 is not in the list

TimePoint test_now() { return parse_rfc3339("2026-02-03T11:00:00Z"); }

const json kScreened = {{"intake_on", "2025-01-10"},
                        {"vog_issued_on", "2025-01-15"},
                        {"training_completed_on", "2025-01-20"},
                        {"code_signed_on", "2025-01-21"}};

class Suggestions : public ::testing::TestWithParam<std::string> {
 protected:
  Suggestions() : clock_(test_now()) {}

  void SetUp() override {
    app_ = std::make_unique<TestApp>(GetParam(), TestAppOptions{.clock = &clock_});
    if (!app_->available()) GTEST_SKIP() << app_->skip_reason();
    coordinator_ = app_->client_as(app_->a, "coordinator");
    auto conn = app_->db().acquire();
    ASSERT_TRUE(geo::import_postcode_areas(*conn, kAreas).has_value());
  }

  std::string volunteer(const json& profile, const std::string& state = "available",
                        HttpClient* as = nullptr) {
    HttpClient& c = as ? *as : *coordinator_;
    auto r = c.post_json("/api/v1/volunteers", profile.dump());
    EXPECT_EQ(r.status, 201) << r.body;
    const std::string id = json::parse(r.body).value("id", "");
    const std::string base = "/api/v1/volunteers/" + id;
    if (state == "applicant") return id;
    EXPECT_EQ(c.post_json(base + "/transition", R"({"to": "screening"})").status, 200);
    if (state == "screening") return id;
    EXPECT_EQ(c.request("PUT", base + "/screening", kScreened.dump(),
                        {{"Content-Type", "application/json"}})
                  .status,
              200);
    EXPECT_EQ(c.post_json(base + "/transition", R"({"to": "available"})").status, 200);
    if (state == "paused") {
      EXPECT_EQ(c.post_json(base + "/transition", R"({"to": "paused"})").status, 200);
    }
    if (state == "stopped") {
      EXPECT_EQ(c.post_json(base + "/transition", R"({"to": "stopped", "reason": "Weg"})").status,
                200);
    }
    return id;
  }
  std::string family(const std::string& name, const std::string& postcode,
                     HttpClient* as = nullptr) {
    HttpClient& c = as ? *as : *coordinator_;
    return testing::waiting_family(c, name, {{"postcode", postcode}, {"languages", {"nl", "ar"}}});
  }
  void propose(const std::string& family_id, const std::string& volunteer_id) {
    auto r = coordinator_->post_json(
        "/api/v1/matches", json({{"family_id", family_id}, {"volunteer_id", volunteer_id}}).dump());
    EXPECT_EQ(r.status, 201) << r.body;
  }
  json profile(const std::string& first, const std::string& last, const std::string& postcode,
               const json& languages, const json& availability, const json& skills,
               const std::string& gender, int max_families = 1, int max_km = 10) {
    json p = {{"first_name", first},          {"last_name", last},
              {"postcode", postcode},         {"languages", languages},
              {"availability", availability}, {"skills", skills},
              {"max_families", max_families}, {"max_distance_km", max_km}};
    if (!gender.empty()) p["gender"] = gender;
    return p;
  }
  json suggestions(const std::string& family_id, const std::string& query = "?limit=100",
                   HttpClient* as = nullptr) {
    auto r =
        (as ? *as : *coordinator_).get("/api/v1/families/" + family_id + "/suggestions" + query);
    EXPECT_EQ(r.status, 200) << r.body;
    return json::parse(r.body);
  }

  // The fixture: one family in 1000 speaking nl and ar, wanting help with finances and
  // parenting, a female volunteer, on Monday evening or Wednesday morning.
  void build_fixture() {
    the_family = family("Familie Zoekt", "1000 AB");
    auto patched = coordinator_->request(
        "PATCH", "/api/v1/families/" + the_family,
        json({{"needs", {"finances", "parenting"}},
              {"preferences",
               {{"volunteer_gender", "female"}, {"availability", {"mon_evening", "wed_morning"}}}}})
            .dump(),
        {{"Content-Type", "application/json"}});
    ASSERT_EQ(patched.status, 200) << patched.body;
    const json both_slots = {"mon_evening", "wed_morning"};
    const json both_needs = {"finances", "parenting"};
    anouk =
        volunteer(profile("Anouk", "Aarts", "1001 AA", {"ar"}, both_slots, both_needs, "female"));
    bram = volunteer(
        profile("Bram", "Bos", "1002 AA", {"nl", "en"}, {"mon_evening"}, {"finances"}, "male"));
    bas = volunteer(
        profile("Bas", "Berg", "1002 BB", {"nl", "en"}, {"mon_evening"}, {"finances"}, "male"));
    dewi = volunteer(
        profile("Dewi", "Dekker", "1003 AA", {"nl"}, both_slots, json::array(), "female", 1, 15));
    chantal = volunteer(profile("Chantal", "Claes", "1009 AA", {"tr"},
                                {"mon_evening", "wed_morning", "fri_evening"},
                                {"finances", "parenting", "housing"}, "female", 2));
    propose(family("Familie Eerder", "1002 AB"), chantal);  // one of her two places taken
    eva = volunteer(
        profile("Eva", "Eijk", "1004 AA", {"nl"}, {"wed_morning"}, {"parenting"}, "female"));
    // Near misses.
    hanna = volunteer(profile("Hanna", "Hol", "1001 AB", {"ar"}, both_slots, both_needs, "female"),
                      "screening");
    iris = volunteer(profile("Iris", "Ild", "1001 AC", {"ar"}, both_slots, both_needs, "female"));
    auto lapsed = coordinator_->request("PUT", "/api/v1/volunteers/" + iris + "/screening",
                                        R"({"vog_issued_on": "2022-06-01"})",
                                        {{"Content-Type", "application/json"}});
    ASSERT_EQ(lapsed.status, 200) << lapsed.body;
    joost =
        volunteer(profile("Joost", "Jansen", "1001 AD", {"nl"}, both_slots, both_needs, "male"));
    propose(family("Familie Vol", "1001 AB"), joost);  // his only place taken
    // Never suggested, never a near miss.
    excluded.insert(volunteer(
        profile("Karin", "Kok", "1001 AE", {"ar"}, both_slots, both_needs, "female"), "paused"));
    excluded.insert(volunteer(
        profile("Lies", "Lam", "1001 AF", {"ar"}, both_slots, both_needs, "female"), "applicant"));
    excluded.insert(volunteer(
        profile("Mila", "Mol", "1001 AG", {"ar"}, both_slots, both_needs, "female"), "stopped"));
    // Another team's volunteer: this coordinator cannot propose her, so she is not suggested.
    json other_team = profile("Nora", "Nijs", "1001 AH", {"ar"}, both_slots, both_needs, "female");
    other_team["team_id"] = app_->a.other_team_id;
    other_team_volunteer =
        volunteer(other_team, "available", app_->client_as(app_->a, "project_lead").get());
    excluded.insert(other_team_volunteer);
    auto coordinator_b = app_->client_as(app_->b, "coordinator");
    excluded.insert(
        volunteer(profile("Olga", "Ander", "1001 AA", {"ar"}, both_slots, both_needs, "female"),
                  "available", coordinator_b.get()));
  }

  ManualClock clock_;
  std::unique_ptr<TestApp> app_;
  std::unique_ptr<HttpClient> coordinator_;
  std::string the_family, anouk, bram, bas, dewi, chantal, eva, hanna, iris, joost;
  std::string other_team_volunteer;
  std::set<std::string> excluded;
};

struct Expected {
  std::string id;
  std::string name;
  int score;
  json distance_km;
  // Points and explanation per criterion: distance, language, availability, skills,
  // preferences, capacity.
  std::vector<std::pair<int, std::string>> reasons;
};

const std::string kBoth = "Kan op 2 van de 2 gewenste momenten.";
const std::string kOne = "Kan op 1 van de 2 gewenste momenten.";
const std::string kSkills2 = "Kan helpen bij 2 van de 2 leefgebieden waar het gezin hulp bij wil.";
const std::string kSkills1 = "Kan helpen bij 1 van de 2 leefgebieden waar het gezin hulp bij wil.";
const std::string kSkills0 = "Kan helpen bij 0 van de 2 leefgebieden waar het gezin hulp bij wil.";
const std::string kMet = "Past bij de wensen van het gezin.";
const std::string kFree = "Heeft nog geen gezin.";

TEST_P(Suggestions, HandMadeFixtureHasTheKnownAnswer) {
  build_fixture();
  const auto [first_tie, second_tie] = std::minmax(bram, bas);  // equal score and distance: by id
  auto tie_name = [&](const std::string& id) { return id == bram ? "Bram Bos" : "Bas Berg"; };
  const std::vector<std::pair<int, std::string>> tie_reasons = {
      {19, "Afstand 5,0 km (wil hoogstens 10 km reizen)."},  // lround(30 * (10 - 5.004) / 8)
      {20, "Spreekt een taal van het gezin (Nederlands)."},
      {10, kOne},
      {10, kSkills1},
      {0, "Het gezin wil liever een vrijwilliger van een ander geslacht."},
      {5, kFree}};
  const std::vector<Expected> expected = {
      {anouk,
       "Anouk Aarts",
       100,
       1.5,
       {{30, "Woont dichtbij: 1,5 km."},
        {20, "Spreekt een taal van het gezin (Arabisch)."},
        {20, kBoth},
        {20, kSkills2},
        {5, kMet},
        {5, kFree}}},
      {first_tie, tie_name(first_tie), 64, 5.0, tie_reasons},
      {second_tie, tie_name(second_tie), 64, 5.0, tie_reasons},
      // 62 twice: the known distance before the unknown one.
      {dewi,
       "Dewi Dekker",
       62,
       10.0,
       {{12, "Afstand 10,0 km (wil hoogstens 15 km reizen)."},  // lround(30 * 4.992 / 13)
        {20, "Spreekt een taal van het gezin (Nederlands)."},
        {20, kBoth},
        {0, kSkills0},
        {5, kMet},
        {5, kFree}}},
      {chantal,
       "Chantal Claes",
       62,
       nullptr,
       {{15,
         "Afstand onbekend: de postcode van het gezin of de vrijwilliger staat niet in de "
         "lijst."},
        {0, "Spreekt geen van de talen van het gezin."},
        {20, kBoth},
        {20, kSkills2},
        {5, kMet},
        {2, "Heeft al 1 van hoogstens 2 gezinnen."}}},
      {eva,
       "Eva Eijk",
       50,
       20.0,
       {{0, "Te ver: 20,0 km, wil hoogstens 10 km reizen."},
        {20, "Spreekt een taal van het gezin (Nederlands)."},
        {10, "Kan op 1 van de 2 gewenste momenten."},
        {10, kSkills1},
        {5, kMet},
        {5, kFree}}},
  };
  const std::vector<std::string> criteria = {"distance", "language",    "availability",
                                             "skills",   "preferences", "capacity"};
  const std::vector<int> max_points = {30, 20, 20, 20, 5, 5};

  auto body = suggestions(the_family);
  const auto& items = body["items"];
  ASSERT_EQ(items.size(), expected.size()) << body.dump(1);
  for (std::size_t i = 0; i < expected.size(); ++i) {
    const auto& e = expected[i];
    const auto& item = items[i];
    SCOPED_TRACE("rank " + std::to_string(i + 1) + ": " + e.name);
    EXPECT_EQ(item["volunteer_id"], e.id) << item.dump(1);
    EXPECT_EQ(item["volunteer_name"], e.name);
    EXPECT_EQ(item["score"], e.score);
    EXPECT_EQ(item["distance_km"], e.distance_km);
    ASSERT_EQ(item["reasons"].size(), 6u);
    int sum = 0;
    for (std::size_t r = 0; r < 6; ++r) {
      const auto& got = item["reasons"][r];
      EXPECT_EQ(got["criterion"], criteria[r]);
      EXPECT_EQ(got["points"], e.reasons[r].first) << criteria[r];
      EXPECT_EQ(got["max_points"], max_points[r]) << criteria[r];
      EXPECT_EQ(got["explanation"], e.reasons[r].second) << criteria[r];
      sum += got["points"].get<int>();
    }
    EXPECT_EQ(sum, e.score);
  }

  // Near misses: who fits but cannot be matched yet, with every blocker — best score first:
  // Hanna and Iris would score 100 at 1.5 km (so by id), Joost 92 (no gender match, one family).
  std::vector<std::tuple<std::string, std::string, json>> near = {
      {hanna, "Hanna Hol",
       json::array({{{"code", "status"}, {"message", "Is nog in screening."}},
                    {{"code", "vog_missing"}, {"message", "Geen VOG ingevuld."}},
                    {{"code", "training_missing"}, {"message", "Basistraining nog niet gevolgd."}},
                    {{"code", "code_missing"}, {"message", "Gedragscode nog niet getekend."}}})},
      {iris, "Iris Ild",
       json::array({{{"code", "vog_expired"}, {"message", "VOG verlopen op 01-06-2025."}}})},
      {joost, "Joost Jansen",
       json::array({{{"code", "full"}, {"message", "Heeft al het maximale aantal gezinnen."}}})}};
  std::sort(near.begin(), near.begin() + 2);
  const auto& misses = body["near_misses"];
  ASSERT_EQ(misses.size(), near.size()) << misses.dump(1);
  for (std::size_t i = 0; i < near.size(); ++i) {
    EXPECT_EQ(misses[i]["volunteer_id"], std::get<0>(near[i]));
    EXPECT_EQ(misses[i]["volunteer_name"], std::get<1>(near[i]));
    EXPECT_EQ(misses[i]["blockers"], std::get<2>(near[i])) << misses[i].dump();
  }

  // Paused, applicant, stopped, another team's, another organisation's: nowhere.
  for (const auto& section : {items, misses})
    for (const auto& entry : section)
      EXPECT_FALSE(excluded.count(entry["volunteer_id"].get<std::string>())) << entry.dump();

  // The same answer every time.
  EXPECT_EQ(suggestions(the_family), body);
  EXPECT_EQ(suggestions(the_family), body);
}

TEST_P(Suggestions, TheProjectLeadSeesEveryTeamsVolunteers) {
  build_fixture();
  auto lead = app_->client_as(app_->a, "project_lead");
  auto body = suggestions(the_family, "?limit=100", lead.get());
  std::set<std::string> ids;
  for (const auto& item : body["items"]) ids.insert(item["volunteer_id"].get<std::string>());
  EXPECT_TRUE(ids.count(other_team_volunteer));
  EXPECT_EQ(ids.size(), 7u);
}

TEST_P(Suggestions, LimitKeepsTheTop) {
  build_fixture();
  auto top = suggestions(the_family, "?limit=2");
  ASSERT_EQ(top["items"].size(), 2u);
  EXPECT_EQ(top["items"][0]["volunteer_id"], anouk);
  EXPECT_EQ(top["items"][1]["volunteer_id"], std::min(bram, bas));
  // The near misses are cut to the limit too, best first, and their number in all is given.
  ASSERT_EQ(top["near_misses"].size(), 2u);
  EXPECT_EQ(top["near_misses"][0]["volunteer_id"], std::min(hanna, iris));
  EXPECT_EQ(top["near_misses"][1]["volunteer_id"], std::max(hanna, iris));
  EXPECT_EQ(top["near_misses_total"], 3);
  EXPECT_EQ(suggestions(the_family, "")["items"].size(), 6u);  // default 10
  for (const char* bad : {"?limit=0", "?limit=101", "?limit=ten"})
    EXPECT_EQ(coordinator_->get("/api/v1/families/" + the_family + "/suggestions" + bad).status,
              422)
        << bad;
}

TEST_P(Suggestions, AFamilyWhoseAreaIsUnknownHasNoDistances) {
  build_fixture();
  const auto elsewhere = family("Familie Elders", "9999 ZZ");
  auto body = suggestions(elsewhere);
  ASSERT_EQ(body["items"].size(), 6u);
  for (const auto& item : body["items"]) {
    EXPECT_TRUE(item["distance_km"].is_null());
    EXPECT_EQ(item["reasons"][0]["points"], 15);
    EXPECT_EQ(item["reasons"][0]["explanation"],
              "Afstand onbekend: de postcode van het gezin of de vrijwilliger staat niet in de "
              "lijst.");
  }
}

TEST_P(Suggestions, WeightsComeFromTheOrganisation) {
  build_fixture();
  {
    auto conn = app_->db().acquire();
    conn->execute(
        "INSERT INTO matching_weights (organisation_id, weights, updated_at) VALUES (?, ?, ?)",
        {app_->a.id,
         std::string(R"({"distance": 40, "language": 10, "availability": 20, "skills": 20,)"
                     R"( "preferences": 5, "capacity": 5})"),
         to_rfc3339(clock_.now())});
  }
  auto body = suggestions(the_family);
  const auto& first = body["items"][0];
  EXPECT_EQ(first["volunteer_id"], anouk);
  EXPECT_EQ(first["score"], 100);
  EXPECT_EQ(first["reasons"][0]["max_points"], 40);
  EXPECT_EQ(first["reasons"][0]["points"], 40);
  EXPECT_EQ(first["reasons"][1]["max_points"], 10);
  // Chantal: 20 (half of 40, unknown) + 0 + 20 + 20 + 5 + 2 = 67 — now ahead of the 64s.
  EXPECT_EQ(body["items"][1]["volunteer_id"], chantal);
  EXPECT_EQ(body["items"][1]["score"], 67);
  // The other organisation keeps the defaults.
  auto coordinator_b = app_->client_as(app_->b, "coordinator");
  const auto family_b = family("Familie B", "1000 AB", coordinator_b.get());
  auto other = suggestions(family_b, "", coordinator_b.get());
  ASSERT_EQ(other["items"].size(), 1u) << other.dump();  // Olga, 1.5 km away
  EXPECT_EQ(other["items"][0]["reasons"][0]["max_points"], 30);
  EXPECT_EQ(other["items"][0]["reasons"][1]["max_points"], 20);
}

TEST_P(Suggestions, OnlyForFamiliesTheCoordinatorMayMatch) {
  const auto family_a = family("Familie A", "1000 AB");
  auto coordinator_b = app_->client_as(app_->b, "coordinator");
  EXPECT_EQ(coordinator_b->get("/api/v1/families/" + family_a + "/suggestions").status, 404);
  EXPECT_EQ(app_->client_as(app_->a, "other_coordinator")
                ->get("/api/v1/families/" + family_a + "/suggestions")
                .status,
            403);
  EXPECT_EQ(coordinator_->get("/api/v1/families/doesnotexist0000000000000/suggestions").status,
            404);
  auto empty = suggestions(family_a);
  EXPECT_EQ(
      empty,
      json({{"items", json::array()}, {"near_misses", json::array()}, {"near_misses_total", 0}}));
}

// Suggestions come from an in-memory candidate index (matching/candidate_index.hpp). Every write
// that changes a candidate must show in the very next answer — the index is rebuilt when the
// database's version of the organisation's candidates changed — and nothing else rebuilds it.
TEST_P(Suggestions, EveryWriteShowsInTheNextAnswer) {
  const auto the_family = family("Familie Volgt", "1000 AB");
  auto first = [&] { return suggestions(the_family)["items"][0]; };
  const json slots = {"mon_evening"}, needs = {"finances"};
  const auto piet = volunteer(profile("Piet", "Post", "1002 AA", {"nl"}, slots, needs, "male"));
  EXPECT_EQ(first()["volunteer_id"], piet);
  EXPECT_EQ(first()["distance_km"], 5.0);

  // Screening completed and made available: from near miss to first suggestion.
  const auto roos =
      volunteer(profile("Roos", "Rijn", "1001 AA", {"nl"}, slots, needs, "female"), "screening");
  EXPECT_EQ(suggestions(the_family)["near_misses"][0]["volunteer_id"], roos);
  const std::string roos_url = "/api/v1/volunteers/" + roos;
  ASSERT_EQ(coordinator_
                ->request("PUT", roos_url + "/screening", kScreened.dump(),
                          {{"Content-Type", "application/json"}})
                .status,
            200);
  ASSERT_EQ(coordinator_->post_json(roos_url + "/transition", R"({"to": "available"})").status,
            200);
  EXPECT_EQ(first()["volunteer_id"], roos);

  // A profile change: Piet moves next door to the family.
  ASSERT_EQ(coordinator_
                ->request("PATCH", "/api/v1/volunteers/" + piet, R"({"postcode": "1000 AC"})",
                          {{"Content-Type", "application/json"}})
                .status,
            200);
  EXPECT_EQ(first()["volunteer_id"], piet);
  EXPECT_EQ(first()["distance_km"], 0.0);

  // A match fills Piet's only place; closing it frees the place again.
  auto r = coordinator_->post_json(
      "/api/v1/matches",
      json({{"family_id", family("Familie Ander", "1001 AB")}, {"volunteer_id", piet}}).dump());
  ASSERT_EQ(r.status, 201) << r.body;
  const std::string match = json::parse(r.body).value("id", "");
  EXPECT_EQ(first()["volunteer_id"], roos);
  EXPECT_EQ(suggestions(the_family)["near_misses"][0]["blockers"][0]["code"], "full");
  r = coordinator_->post_json(
      "/api/v1/matches/" + match + "/transition",
      R"({"to": "closed", "reason": "family_withdrew", "date": "2026-02-03"})");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(first()["volunteer_id"], piet);

  // A postcode import moves an area: Roos's 1001 is now 20 km away.
  {
    auto conn = app_->db().acquire();
    ASSERT_TRUE(geo::import_postcode_areas(*conn, "pc4,lat,lon\n1001,52.1800,5.0000\n"));
  }
  auto body = suggestions(the_family);
  ASSERT_EQ(body["items"].size(), 2u);
  EXPECT_EQ(body["items"][1]["volunteer_id"], roos);
  EXPECT_NEAR(body["items"][1]["distance_km"].get<double>(), 20.0, 0.1);

  // Another process writing to the same database: what it commits with the version bumped shows;
  // a change without the bump does not (the index is really reused between requests).
  {
    auto conn = app_->db().acquire();
    storage::Transaction tx(*conn);
    conn->execute("UPDATE volunteers SET max_distance_km = 40 WHERE id = ?", {roos});
    tx.commit();
  }
  EXPECT_EQ(suggestions(the_family)["items"][1]["reasons"][0]["points"], 0);  // still 10 km max
  {
    auto conn = app_->db().acquire();
    storage::Transaction tx(*conn);
    volunteers::candidates_changed(*conn, app_->a.id);
    tx.commit();
  }
  // 20 km of 40: 30 × (40 − 20) / 38 = 15.8 → 16 points.
  EXPECT_EQ(suggestions(the_family)["items"][1]["reasons"][0]["points"], 16);
}

INSTANTIATE_TEST_SUITE_P(Engines, Suggestions, ::testing::ValuesIn(engines()));

}  // namespace
}  // namespace oploop::testing
