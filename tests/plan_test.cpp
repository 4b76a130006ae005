// The matching plan (POST /api/v1/matching/plan) on both engines, on a small fixture where the
// best assignment is found by brute force over every feasible assignment: the plan's total
// equals that optimum (and beats the greedy choice), respects each volunteer's remaining
// capacity and travel limit, can be limited to given families and volunteers, refuses ids it
// may not plan with, and creates nothing.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <functional>
#include <map>
#include <optional>
#include <set>

#include "geo/postcodes.hpp"
#include "support/api_data.hpp"
#include "support/test_app.hpp"

namespace oploop::testing {
namespace {

using nlohmann::json;

// Areas due north of 1000 (52.0 N, 5.0 E): 1001 at 1.5 km, 1002 at 5.0, 1003 at 10.0,
// 1004 at 20.0. No pair in the fixture is within 0.5 km of a volunteer's travel limit, so the
// API's distances (rounded to 0.1 km) decide "too far" exactly as the plan does.
const char* const kAreas =
    "pc4,latitude,longitude\n"
    "1000,52.0000,5.0000\n"
    "1001,52.0135,5.0000\n"
    "1002,52.0450,5.0000\n"
    "1003,52.0900,5.0000\n"
    "1004,52.1800,5.0000\n";

TimePoint test_now() { return parse_rfc3339("2026-02-03T11:00:00Z"); }

const json kScreened = {{"intake_on", "2025-01-10"},
                        {"vog_issued_on", "2025-01-15"},
                        {"training_completed_on", "2025-01-20"},
                        {"code_signed_on", "2025-01-21"}};

// Scores of every (family, volunteer) pair as the suggestions state them, with the pairs the
// plan may not use (beyond the volunteer's travel limit) left empty.
struct Instance {
  std::vector<std::string> families;
  std::vector<std::string> volunteers;
  std::vector<int> capacity;                           // remaining places per volunteer
  std::vector<std::vector<std::optional<int>>> score;  // [family][volunteer]
};

// The best total over every feasible assignment (each family to at most one volunteer, no
// volunteer over capacity), by trying them all.
int brute_force(const Instance& in) {
  std::vector<int> left = in.capacity;
  int best = 0;
  std::function<void(std::size_t, int)> go = [&](std::size_t f, int total) {
    if (f == in.families.size()) {
      best = std::max(best, total);
      return;
    }
    go(f + 1, total);  // this family waits
    for (std::size_t v = 0; v < in.volunteers.size(); ++v) {
      if (!in.score[f][v] || left[v] == 0) continue;
      --left[v];
      go(f + 1, total + *in.score[f][v]);
      ++left[v];
    }
  };
  go(0, 0);
  return best;
}

// Highest pair first, as a greedy planner would.
int greedy(const Instance& in) {
  std::vector<std::tuple<int, std::size_t, std::size_t>> pairs;
  for (std::size_t f = 0; f < in.families.size(); ++f)
    for (std::size_t v = 0; v < in.volunteers.size(); ++v)
      if (in.score[f][v]) pairs.emplace_back(*in.score[f][v], f, v);
  std::sort(pairs.rbegin(), pairs.rend());
  std::vector<int> left = in.capacity;
  std::vector<bool> placed(in.families.size(), false);
  int total = 0;
  for (const auto& [s, f, v] : pairs) {
    if (placed[f] || left[v] == 0) continue;
    placed[f] = true;
    --left[v];
    total += s;
  }
  return total;
}

class Plan : public ::testing::TestWithParam<std::string> {
 protected:
  Plan() : clock_(test_now()) {}

  void SetUp() override {
    app_ = std::make_unique<TestApp>(GetParam(), TestAppOptions{.clock = &clock_});
    if (!app_->available()) GTEST_SKIP() << app_->skip_reason();
    coordinator_ = app_->client_as(app_->a, "coordinator");
    auto conn = app_->db().acquire();
    ASSERT_TRUE(geo::import_postcode_areas(*conn, kAreas).has_value());
  }

  std::string volunteer(const std::string& name, const std::string& postcode, const json& languages,
                        const json& skills, const json& availability, const std::string& gender,
                        int max_families, int max_km, HttpClient* as = nullptr) {
    HttpClient& c = as ? *as : *coordinator_;
    json body = {{"first_name", name},       {"last_name", "Plan"},
                 {"postcode", postcode},     {"languages", languages},
                 {"skills", skills},         {"availability", availability},
                 {"gender", gender},         {"max_families", max_families},
                 {"max_distance_km", max_km}};
    auto r = c.post_json("/api/v1/volunteers", body.dump());
    EXPECT_EQ(r.status, 201) << r.body;
    const std::string id = json::parse(r.body).value("id", "");
    const std::string base = "/api/v1/volunteers/" + id;
    EXPECT_EQ(c.request("PUT", base + "/screening", kScreened.dump(),
                        {{"Content-Type", "application/json"}})
                  .status,
              200);
    EXPECT_EQ(c.post_json(base + "/transition", R"({"to": "screening"})").status, 200);
    EXPECT_EQ(c.post_json(base + "/transition", R"({"to": "available"})").status, 200);
    return id;
  }
  std::string family(const std::string& name, const std::string& postcode, const json& languages,
                     const json& needs, const std::string& gender, const json& availability,
                     HttpClient* as = nullptr) {
    HttpClient& c = as ? *as : *coordinator_;
    const std::string id =
        testing::waiting_family(c, name, {{"postcode", postcode}, {"languages", languages}});
    auto patched = c.request(
        "PATCH", "/api/v1/families/" + id,
        json({{"needs", needs},
              {"preferences", {{"volunteer_gender", gender}, {"availability", availability}}}})
            .dump(),
        {{"Content-Type", "application/json"}});
    EXPECT_EQ(patched.status, 200) << patched.body;
    return id;
  }
  void propose(const std::string& family_id, const std::string& volunteer_id) {
    auto r = coordinator_->post_json(
        "/api/v1/matches", json({{"family_id", family_id}, {"volunteer_id", volunteer_id}}).dump());
    ASSERT_EQ(r.status, 201) << r.body;
  }

  // Five waiting families, four eligible volunteers; V3 has one of her two places taken.
  // Familie Vier (1004) is within reach of V3 only, who also suits Familie Twee best after
  // V1: taking the best pair first leaves Familie Vier without anyone (greedy 348, best 386).
  void build_fixture() {
    f = {family("Familie Een", "1000 AA", {"nl", "ar"}, {"finances"}, "female", {"mon_evening"}),
         family("Familie Twee", "1001 AA", {"ar"}, {"parenting", "housing"}, "no_preference",
                {"wed_morning", "sat_morning"}),
         family("Familie Drie", "1002 AA", {"tr"}, {"finances", "housing"}, "male", json::array()),
         family("Familie Vier", "1004 AA", {"nl"}, json::array(), "", {"mon_evening"}),
         family("Familie Vijf", "1003 AA", {"nl", "tr"}, {"social_network"}, "", json::array())};
    v = {volunteer("V1", "1001 BB", {"nl", "ar"}, {"finances", "parenting"},
                   {"mon_evening", "wed_morning"}, "female", 1, 10),
         volunteer("V2", "1002 BB", {"tr", "nl"}, {"housing", "finances"}, {"sat_morning"}, "male",
                   2, 10),
         volunteer("V3", "1003 BB", {"ar"}, {"parenting", "social_network"},
                   {"mon_evening", "wed_morning", "sat_morning"}, "female", 2, 25),
         volunteer("V4", "1000 BB", {"nl"}, {"housing"}, json::array(), "other", 1, 5)};
    const std::string earlier =
        family("Familie Eerder", "1003 AB", {"ar"}, json::array(), "", json::array());
    propose(earlier, v[2]);
    // Not plannable: a volunteer who has not been screened.
    auto r = coordinator_->post_json(
        "/api/v1/volunteers",
        R"({"first_name": "Nog", "last_name": "Niet", "postcode": "1000 AB"})");
    ASSERT_EQ(r.status, 201);
    unscreened = json::parse(r.body)["id"];
  }

  json volunteer_json(const std::string& id) {
    return json::parse(coordinator_->get("/api/v1/volunteers/" + id).body);
  }

  Instance instance(const std::vector<std::string>& families,
                    const std::vector<std::string>& volunteers) {
    Instance in{families, volunteers, {}, {}};
    std::map<std::string, int> max_km;
    for (const auto& id : volunteers) {
      auto vj = volunteer_json(id);
      in.capacity.push_back(vj["max_families"].get<int>() - vj["open_matches"].get<int>());
      max_km[id] = vj["max_distance_km"];
    }
    for (const auto& fid : families) {
      auto r = coordinator_->get("/api/v1/families/" + fid + "/suggestions?limit=100");
      EXPECT_EQ(r.status, 200) << r.body;
      std::map<std::string, json> by_volunteer;
      const json listed = json::parse(r.body);
      for (const auto& item : listed["items"])
        by_volunteer[item["volunteer_id"].get<std::string>()] = item;
      std::vector<std::optional<int>> row;
      for (const auto& vid : volunteers) {
        const auto it = by_volunteer.find(vid);
        EXPECT_NE(it, by_volunteer.end()) << vid << " not suggested for " << fid;
        if (it == by_volunteer.end()) {
          row.push_back(std::nullopt);
          continue;
        }
        const json& km = it->second["distance_km"];
        const bool too_far = !km.is_null() && km.get<double>() > max_km[vid];
        row.push_back(too_far ? std::nullopt : std::optional<int>(it->second["score"].get<int>()));
      }
      in.score.push_back(row);
    }
    return in;
  }

  HttpResult plan(const json& body = json::object()) {
    return coordinator_->post_json("/api/v1/matching/plan", body.dump());
  }

  // The plan is feasible for `in`, its pairs carry the instance's scores, and its total is
  // their sum; answers that total.
  int check_feasible(const Instance& in, const json& plan_body) {
    std::map<std::string, int> used;
    std::set<std::string> placed;
    int sum = 0;
    for (const auto& a : plan_body["assignments"]) {
      const std::string fid = a["family_id"], vid = a["volunteer_id"];
      const auto fi = std::find(in.families.begin(), in.families.end(), fid) - in.families.begin();
      const auto vi =
          std::find(in.volunteers.begin(), in.volunteers.end(), vid) - in.volunteers.begin();
      EXPECT_LT(fi, static_cast<long>(in.families.size())) << "family outside the instance";
      EXPECT_LT(vi, static_cast<long>(in.volunteers.size())) << "volunteer outside the instance";
      if (fi >= static_cast<long>(in.families.size()) ||
          vi >= static_cast<long>(in.volunteers.size()))
        continue;
      EXPECT_TRUE(placed.insert(fid).second) << "family planned twice";
      EXPECT_TRUE(in.score[fi][vi].has_value()) << "a pair beyond the travel limit";
      EXPECT_EQ(a["score"], in.score[fi][vi].value_or(-1));
      ++used[vid];
      sum += a["score"].get<int>();
    }
    for (std::size_t i = 0; i < in.volunteers.size(); ++i)
      EXPECT_LE(used[in.volunteers[i]], in.capacity[i]) << "over capacity: " << in.volunteers[i];
    EXPECT_EQ(plan_body["total_score"], sum);
    std::set<std::string> unassigned;
    for (const auto& id : plan_body["unassigned_family_ids"])
      unassigned.insert(id.get<std::string>());
    for (const auto& id : in.families) EXPECT_NE(placed.count(id), unassigned.count(id)) << id;
    return sum;
  }

  std::int64_t matches() { return scalar(app_->db(), "SELECT COUNT(*) FROM matches"); }

  ManualClock clock_;
  std::unique_ptr<TestApp> app_;
  std::unique_ptr<HttpClient> coordinator_;
  std::vector<std::string> f, v;
  std::string unscreened;
};

TEST_P(Plan, TotalEqualsTheBruteForceOptimum) {
  build_fixture();
  const Instance in = instance(f, v);
  EXPECT_EQ(in.capacity, (std::vector<int>{1, 2, 1, 1}));
  const int optimum = brute_force(in);
  // The fixture is one where taking the best pair first is not the best plan.
  EXPECT_LT(greedy(in), optimum) << "fixture does not tell optimal from greedy";
  const auto before = matches();

  auto r = plan();
  ASSERT_EQ(r.status, 200) << r.body;
  auto body = json::parse(r.body);
  EXPECT_EQ(body["total_score"], optimum) << r.body;
  EXPECT_EQ(check_feasible(in, body), optimum);
  EXPECT_EQ(body["families_considered"], 5);
  EXPECT_EQ(body["volunteers_considered"], 4);  // not the unscreened one
  // Five families, four volunteers with five places: at most five pairs, never two for V3.
  int for_v3 = 0;
  for (const auto& a : body["assignments"]) {
    EXPECT_NE(a["volunteer_id"], unscreened);
    if (a["volunteer_id"] == v[2]) ++for_v3;
  }
  EXPECT_LE(for_v3, 1);

  // It proposes; it creates nothing, and asks the same way twice.
  EXPECT_EQ(matches(), before);
  for (const auto& id : f)
    EXPECT_EQ(json::parse(coordinator_->get("/api/v1/families/" + id).body)["status"], "waiting");
  EXPECT_EQ(json::parse(plan().body)["total_score"], optimum);
}

TEST_P(Plan, LimitedToGivenFamiliesAndVolunteers) {
  build_fixture();
  {
    auto r = plan({{"family_ids", {f[0], f[2]}}});
    ASSERT_EQ(r.status, 200) << r.body;
    auto body = json::parse(r.body);
    EXPECT_EQ(body["families_considered"], 2);
    EXPECT_EQ(body["volunteers_considered"], 4);
    const Instance in = instance({f[0], f[2]}, v);
    EXPECT_EQ(body["total_score"], brute_force(in));
    check_feasible(in, body);
  }
  {
    auto r = plan({{"volunteer_ids", {v[1]}}});
    ASSERT_EQ(r.status, 200) << r.body;
    auto body = json::parse(r.body);
    EXPECT_EQ(body["volunteers_considered"], 1);
    const Instance in = instance(f, {v[1]});
    EXPECT_EQ(body["total_score"], brute_force(in));
    check_feasible(in, body);
    EXPECT_EQ(body["assignments"].size(), 2u);  // V2 has two places
  }
  {
    // Both limits; V3 has one place left for two families that suit her.
    auto r = plan({{"family_ids", {f[1], f[4]}}, {"volunteer_ids", {v[2]}}});
    ASSERT_EQ(r.status, 200) << r.body;
    auto body = json::parse(r.body);
    const Instance in = instance({f[1], f[4]}, {v[2]});
    EXPECT_EQ(body["total_score"], brute_force(in));
    check_feasible(in, body);
    ASSERT_EQ(body["assignments"].size(), 1u);
    EXPECT_EQ(body["unassigned_family_ids"].size(), 1u);
  }
}

TEST_P(Plan, ATravelLimitIsNeverCrossed) {
  build_fixture();
  // Familie Vier lives 18.5 km from V1 (10 km at most), 15 km from V2 (10 km at most) and
  // 20 km from V4 (5 km at most).
  auto r = plan({{"family_ids", {f[3]}}, {"volunteer_ids", {v[0], v[1], v[3]}}});
  ASSERT_EQ(r.status, 200) << r.body;
  auto body = json::parse(r.body);
  EXPECT_TRUE(body["assignments"].empty()) << r.body;
  EXPECT_EQ(body["total_score"], 0);
  EXPECT_EQ(body["unassigned_family_ids"], json::array({f[3]}));
}

TEST_P(Plan, RefusesIdsItMayNotPlanWith) {
  build_fixture();
  auto coordinator_b = app_->client_as(app_->b, "coordinator");
  const auto family_b =
      family("Familie B", "1000 AB", {"nl"}, json::array(), "", json::array(), coordinator_b.get());
  const auto volunteer_b = volunteer("VB", "1000 AB", {"nl"}, json::array(), json::array(),
                                     "female", 1, 10, coordinator_b.get());
  const auto before = matches();
  const std::vector<std::pair<json, std::string>> cases = {
      {{{"family_ids", {f[0], family_b}}}, "family_ids"},
      {{{"volunteer_ids", {volunteer_b}}}, "volunteer_ids"},
      {{{"volunteer_ids", {unscreened}}}, "volunteer_ids"},  // not eligible
      {{{"family_ids", {"doesnotexist0000000000000"}}}, "family_ids"}};
  for (const auto& [request, field] : cases) {
    auto r = plan(request);
    EXPECT_EQ(r.status, 422) << request.dump() << " " << r.body;
    EXPECT_TRUE(json::parse(r.body)["errors"].contains(field)) << r.body;
  }
  // A family that is no longer waiting cannot be planned either.
  propose(f[0], v[0]);
  auto r = plan({{"family_ids", {f[0]}}});
  EXPECT_EQ(r.status, 422) << r.body;
  EXPECT_EQ(matches(), before + 1);
  // The other organisation's plan knows nothing of this one.
  auto theirs = coordinator_b->post_json("/api/v1/matching/plan", "{}");
  ASSERT_EQ(theirs.status, 200) << theirs.body;
  auto tb = json::parse(theirs.body);
  EXPECT_EQ(tb["families_considered"], 1);
  EXPECT_EQ(tb["volunteers_considered"], 1);
}

TEST_P(Plan, AnotherTeamsCoordinatorPlansOnlyTheirOwnTeam) {
  build_fixture();
  auto other = app_->client_as(app_->a, "other_coordinator");
  auto r = other->post_json("/api/v1/matching/plan", "{}");
  ASSERT_EQ(r.status, 200) << r.body;
  auto body = json::parse(r.body);
  EXPECT_EQ(body["families_considered"], 0);
  EXPECT_EQ(body["volunteers_considered"], 0);
  EXPECT_EQ(other->post_json("/api/v1/matching/plan", json({{"family_ids", {f[0]}}}).dump()).status,
            422);
}

INSTANTIATE_TEST_SUITE_P(Engines, Plan, ::testing::ValuesIn(engines()));

}  // namespace
}  // namespace oploop::testing
