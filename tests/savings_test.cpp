// The savings estimate (SPEC §5, docs/decisions/0009-savings.md) on both engines: a
// hand-computed fixture of three families that must match to the cent, a tariff override that
// changes the result and shows its own source, validation (422 naming each line), scope
// (coordinator: own team; project lead: organisation; volunteer: none; other organisation: 404),
// the access log of the family savings read, the report's totals as the sum of its families,
// and the pages /gezinnen/{id}/besparing and /rapportages/besparing.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "core/clock.hpp"
#include "savings/estimate.hpp"
#include "savings/money.hpp"
#include "support/api_data.hpp"
#include "support/test_app.hpp"

namespace oploop::testing {
namespace {

using nlohmann::json;

// 11:00 UTC on Tuesday 3 February 2026 (12:00 in Amsterdam).
TimePoint test_now() { return parse_rfc3339("2026-02-03T11:00:00Z"); }
const std::string kToday = "2026-02-03";

bool contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

// --- the arithmetic alone ----------------------------------------------------------------------

TEST(SavingsMoney, RoundsHalfAwayFromZero) {
  EXPECT_EQ(savings::divide_rounded(817950, 100), 8180);  // 8179.5 -> 8180
  EXPECT_EQ(savings::divide_rounded(-817950, 100), -8180);
  EXPECT_EQ(savings::divide_rounded(1264298, 100), 12643);  // 12642.98
  EXPECT_EQ(savings::divide_rounded(1264249, 100), 12642);  // 12642.49
  EXPECT_EQ(savings::divide_rounded(0, 60), 0);
}

TEST(SavingsMoney, FormatsEuroAndParsesQuantities) {
  EXPECT_EQ(savings::format_euro(123456789, "nl"), "€ 1.234.567,89");
  EXPECT_EQ(savings::format_euro(-5, "nl"), "-€ 0,05");
  EXPECT_EQ(savings::format_euro(187200, "en"), "€1,872.00");
  EXPECT_EQ(savings::format_quantity(250, "nl"), "2,5");
  EXPECT_EQ(savings::format_quantity(133, "en"), "1.33");
  EXPECT_EQ(savings::parse_hundredths("2.5"), 250);
  EXPECT_EQ(savings::parse_hundredths("0.25"), 25);
  EXPECT_EQ(savings::parse_hundredths("2.500"), 250);
  EXPECT_FALSE(savings::parse_hundredths("2.555"));
  EXPECT_FALSE(savings::parse_hundredths("-1"));
  EXPECT_FALSE(savings::parse_hundredths("1e-05"));
}

TEST(SavingsMoney, CountsStartedMonths) {
  EXPECT_EQ(savings::started_months("2026-01-15", "2026-03-14"), 2);
  EXPECT_EQ(savings::started_months("2026-01-15", "2026-03-15"), 2);
  EXPECT_EQ(savings::started_months("2026-01-15", "2026-03-16"), 3);
  EXPECT_EQ(savings::started_months("2026-01-15", "2026-01-15"), 0);
  EXPECT_EQ(savings::started_months("2025-01-10", "2025-12-20"), 12);
  EXPECT_EQ(savings::started_months("2025-06-01", "2026-02-03"), 9);
  EXPECT_EQ(savings::started_months("2025-03-15", "2026-01-15"), 10);
}

TEST(SavingsTariffs, DefaultsCoverTheProductsOfTheDomainNotes) {
  for (const char* code : {"ambulant_youth_care", "youth_mental_health", "residential_youth_care",
                           "family_home", "foster_care", "parenting_support", "social_work",
                           "debt_counselling", "family_supervision_order"}) {
    const auto* t = savings::find_default(code);
    ASSERT_NE(t, nullptr) << code;
    EXPECT_FALSE(t->source.empty()) << code;
    EXPECT_GE(t->year, 2016) << code;
    EXPECT_LE(t->low_cents, t->amount_cents) << code;
    EXPECT_LE(t->amount_cents, t->high_cents) << code;
  }
  EXPECT_EQ(savings::find_default("family_supervision_order")->status, "indicative");
  EXPECT_EQ(savings::find_default("residential_youth_care")->status, "verified");
}

// --- through the API, on both engines ------------------------------------------------------------

class Savings : public ::testing::TestWithParam<std::string> {
 protected:
  Savings() : clock_(test_now()) {}

  void SetUp() override {
    app_ = std::make_unique<TestApp>(GetParam(), TestAppOptions{.clock = &clock_});
    if (!app_->available()) GTEST_SKIP() << app_->skip_reason();
  }

  HttpClient& as(const std::string& key) {
    auto& slot = clients_[key];
    if (!slot) slot = app_->client_as(app_->a, key);
    return *slot;
  }
  HttpClient& as_b(const std::string& key) {
    auto& slot = clients_["b:" + key];
    if (!slot) slot = app_->client_as(app_->b, key);
    return *slot;
  }
  HttpResult put(HttpClient& c, const std::string& path, const json& body) {
    return c.request("PUT", path, body.dump(), {{"Content-Type", "application/json"}});
  }
  json get(HttpClient& c, const std::string& path) {
    auto r = c.get(path);
    EXPECT_EQ(r.status, 200) << path << " " << r.body;
    return json::parse(r.body, nullptr, false);
  }
  // A walked-along match of `family` from `started_on` (closed on `closed_on` when given),
  // written directly: the match lifecycle is not what is tested here.
  void match(const std::string& family, const std::string& started_on,
             const std::string& closed_on = "", const std::string& team = "") {
    if (volunteer_.empty()) {
      auto r = as("coordinator")
                   .post_json("/api/v1/volunteers",
                              json({{"first_name", "Vera"}, {"last_name", "Vrijwilliger"}}).dump());
      ASSERT_EQ(r.status, 201) << r.body;
      volunteer_ = json::parse(r.body)["id"];
    }
    auto conn = app_->db().acquire();
    conn->execute(
        "INSERT INTO matches (id, organisation_id, team_id, family_id, volunteer_id, status, "
        "started_on, closed_on, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        {"match-" + family, app_->a.id, team.empty() ? app_->a.team_id : team, family, volunteer_,
         closed_on.empty() ? "active" : "closed", started_on,
         closed_on.empty() ? storage::Value{storage::Null{}} : storage::Value{closed_on},
         "2025-01-01T00:00:00Z", "2025-01-01T00:00:00Z"});
  }
  void minutes(const std::string& family, int minutes) {
    auto r = as("coordinator")
                 .post_json("/api/v1/time-entries", json({{"date", kToday},
                                                          {"minutes", minutes},
                                                          {"kind", "family_support"},
                                                          {"family_id", family}})
                                                        .dump());
    ASSERT_EQ(r.status, 201) << r.body;
  }
  json line(const std::string& product, const json& quantity, int months) {
    return {{"product", product},    {"quantity", quantity},
            {"months", months},      {"estimated_by", "Coördinator en wijkteam"},
            {"certainty", "medium"}, {"note", ""}};
  }
  void counterfactual(const std::string& family, const json& items) {
    auto r = put(as("coordinator"), "/api/v1/families/" + family + "/counterfactual",
                 {{"items", items}});
    ASSERT_EQ(r.status, 200) << r.body;
  }
  void actual(const std::string& family, const json& items) {
    auto r =
        put(as("coordinator"), "/api/v1/families/" + family + "/actual-care", {{"items", items}});
    ASSERT_EQ(r.status, 200) << r.body;
  }

  // The three families of the hand-computed fixture (see HandComputedFixtureMatchesToTheCent).
  void fixture() {
    auto r = put(as("project_lead"), "/api/v1/savings-settings",
                 {{"coordinator_hourly_cents", 6000},
                  {"foundation_fee_cents", 25000},
                  {"volunteer_expenses_monthly_cents", 1500}});
    ASSERT_EQ(r.status, 200) << r.body;
    a_ = waiting_family(as("coordinator"), "Familie Aarts");
    b_ = waiting_family(as("coordinator"), "Familie Bakker");
    c_ = waiting_family(as("coordinator"), "Familie Claes");
    match(a_, "2025-01-10", "2025-12-20");
    match(b_, "2025-06-01");
    match(c_, "2025-03-15", "2026-01-15");
    minutes(a_, 600);
    minutes(a_, 45);
    minutes(b_, 90);
    counterfactual(a_, json::array({line("ambulant_youth_care", 4, 6),
                                    line("family_supervision_order", 1, 12)}));
    actual(a_, json::array({{{"product", "social_work"}, {"quantity", 1}, {"months", 3}}}));
    counterfactual(
        b_, json::array({line("youth_mental_health", 2.5, 5),
                         line("residential_youth_care", 1.33, 1), line("family_home", 0.5, 1)}));
    counterfactual(c_, json::array({line("foster_care", 1, 10), line("debt_counselling", 1, 12),
                                    line("parenting_support", 1, 6)}));
    actual(c_, json::array({{{"product", "ambulant_youth_care"}, {"quantity", 2}, {"months", 3}}}));
  }

  json amounts(const json& savings, const std::string& section) {
    json out = json::array();
    for (const auto& l : savings["lines"])
      if (l["section"] == section) out.push_back(l["amount_cents"]);
    return out;
  }

  ManualClock clock_;
  std::unique_ptr<TestApp> app_;
  std::map<std::string, std::unique_ptr<HttpClient>> clients_;
  std::string volunteer_;
  std::string a_, b_, c_;
};

// Settings: coordinator €60,00 an hour, foundation fee €250,00 a family, volunteer expenses
// €15,00 a month. Every line is rounded once, half away from zero.
//
// Family A (match 2025-01-10 → 2025-12-20: 12 started months; 600 + 45 = 645 minutes)
//   avoided  ambulant youth care   7800 × 4 h × 6 mo           = 187200 (low 5100: 122400)
//            OTS (year)           1000000 × 1 × 12/12          = 1000000 (800000 – 1200000)
//            = 1187200 (low 922400, high 1387200)
//   actual   social work traject   175000 × 1                  = 175000 (100000 – 250000)
//   programme 645 / 60 × 6000 = 64500; + 25000; + 1500 × 12 = 18000  = 107500
//   net      1187200 − 175000 − 107500 = 904700
//            low 922400 − 250000 − 107500 = 564900; high 1387200 − 100000 − 107500 = 1179700
// Family B (match 2025-06-01 → today 2026-02-03: 9 started months; 90 minutes)
//   avoided  youth mental health   7560 × 2.5 h × 5 mo         = 94500 (high 11160: 139500)
//            residential           9506 × 1.33 d × 1 mo        = 12642.98 → 12643
//            family home          16359 × 0.5 d × 1 mo         = 8179.5 → 8180
//            = 115323 (low 115323, high 160323)
//   programme 90 / 60 × 6000 = 9000; + 25000; + 1500 × 9 = 13500 = 47500
//   net      115323 − 0 − 47500 = 67823 (low 67823, high 160323 − 47500 = 112823)
// Family C (match 2025-03-15 → 2026-01-15: 10 months; no minutes)
//   avoided  foster care           50000 × 1 × 10 mo           = 500000
//            debt counselling     240000 × 1                   = 240000
//            parenting support    200000 × 1 (high 202800)     = 200000
//            = 940000 (low 940000, high 942800)
//   actual   ambulant youth care   7800 × 2 h × 3 mo           = 46800 (low 5100: 30600)
//   programme 0 + 25000 + 1500 × 10 = 15000                    = 40000
//   net      940000 − 46800 − 40000 = 853200 (low 853200, high 942800 − 30600 − 40000 = 872200)
// Totals: avoided 2242523, actual 221800, programme 195000, net 1825723
//         (low 564900 + 67823 + 853200 = 1485923, high 1179700 + 112823 + 872200 = 2164723)
TEST_P(Savings, HandComputedFixtureMatchesToTheCent) {
  fixture();
  auto& lead = as("project_lead");
  const auto a = get(lead, "/api/v1/families/" + a_ + "/savings");
  EXPECT_EQ(amounts(a, "avoided"), json::array({187200, 1000000}));
  EXPECT_EQ(amounts(a, "actual"), json::array({175000}));
  EXPECT_EQ(amounts(a, "programme"), json::array({64500, 25000, 18000}));
  EXPECT_EQ(a["coordinator_minutes"], 645);
  EXPECT_EQ(a["programme_months"], 12);
  EXPECT_EQ(a["totals"]["avoided_cents"], 1187200);
  EXPECT_EQ(a["totals"]["avoided_low_cents"], 922400);
  EXPECT_EQ(a["totals"]["avoided_high_cents"], 1387200);
  EXPECT_EQ(a["totals"]["programme_cents"], 107500);
  EXPECT_EQ(a["totals"]["net_cents"], 904700);
  EXPECT_EQ(a["low_cents"], 564900);
  EXPECT_EQ(a["high_cents"], 1179700);

  const auto b = get(lead, "/api/v1/families/" + b_ + "/savings");
  EXPECT_EQ(amounts(b, "avoided"), json::array({94500, 12643, 8180}));
  EXPECT_EQ(amounts(b, "programme"), json::array({9000, 25000, 13500}));
  EXPECT_EQ(b["totals"]["net_cents"], 67823);
  EXPECT_EQ(b["low_cents"], 67823);
  EXPECT_EQ(b["high_cents"], 112823);

  const auto c = get(lead, "/api/v1/families/" + c_ + "/savings");
  EXPECT_EQ(amounts(c, "avoided"), json::array({500000, 240000, 200000}));
  EXPECT_EQ(amounts(c, "actual"), json::array({46800}));
  EXPECT_EQ(c["totals"]["programme_cents"], 40000);
  EXPECT_EQ(c["totals"]["net_cents"], 853200);
  EXPECT_EQ(c["low_cents"], 853200);
  EXPECT_EQ(c["high_cents"], 872200);

  // Every line says how it was computed and from which tariff.
  const auto& first = a["lines"][0];
  EXPECT_EQ(first["item"], "ambulant_youth_care");
  EXPECT_EQ(first["formula"], "€ 78,00 per uur × 4 uur per maand × 6 maanden = € 1.872,00");
  EXPECT_TRUE(contains(first["source"].get<std::string>(), "Bollenstreek"));
  EXPECT_EQ(first["year"], 2024);
  EXPECT_EQ(b["lines"][2]["formula"],
            "€ 163,59 per dag × 0,5 dagen per maand × 1 maanden = € 81,80");

  const auto report = get(lead, "/api/v1/reports/savings?from=2025-01-01&to=2025-12-31");
  ASSERT_EQ(report["families"].size(), 3u) << report.dump();
  EXPECT_EQ(report["totals"]["avoided_cents"], 2242523);
  EXPECT_EQ(report["totals"]["actual_cents"], 221800);
  EXPECT_EQ(report["totals"]["programme_cents"], 195000);
  EXPECT_EQ(report["totals"]["net_cents"], 1825723);
  EXPECT_EQ(report["low_cents"], 1485923);
  EXPECT_EQ(report["high_cents"], 2164723);
}

TEST_P(Savings, ReportTotalsAreTheSumOfTheFamiliesAndCarryNoNames) {
  fixture();
  const auto report =
      get(as("coordinator"), "/api/v1/reports/savings?from=2025-01-01&to=2026-12-31");
  ASSERT_EQ(report["families"].size(), 3u);
  std::map<std::string, std::int64_t> sum;
  for (const auto& f : report["families"]) {
    EXPECT_FALSE(f.contains("display_name"));
    for (const auto& [k, v] : f["totals"].items()) sum[k] += v.get<std::int64_t>();
  }
  for (const auto& [k, v] : report["totals"].items()) EXPECT_EQ(sum[k], v.get<std::int64_t>()) << k;
  EXPECT_FALSE(contains(report.dump(), "Familie"));

  // The period selects the families walked along in it: only B's match runs into March 2026.
  const auto later =
      get(as("project_lead"), "/api/v1/reports/savings?from=2026-03-01&to=2026-03-31");
  ASSERT_EQ(later["families"].size(), 1u);
  EXPECT_EQ(later["families"][0]["family_id"], b_);
  EXPECT_EQ(later["totals"]["net_cents"], 67823);
  // A team filter of the organisation; another team's coordinator sees none of team 1's.
  const auto team =
      get(as("project_lead"),
          "/api/v1/reports/savings?from=2025-01-01&to=2025-12-31&team=" + app_->a.other_team_id);
  EXPECT_EQ(team["families"].size(), 0u);
  const auto other =
      get(as("other_coordinator"), "/api/v1/reports/savings?from=2025-01-01&to=2025-12-31");
  EXPECT_EQ(other["families"].size(), 0u);
  EXPECT_EQ(
      as("other_coordinator")
          .get("/api/v1/reports/savings?from=2025-01-01&to=2025-12-31&team=" + app_->a.team_id)
          .status,
      403);
  // Bad periods: 422 naming the field.
  auto bad = as("project_lead").get("/api/v1/reports/savings?from=2025-12-31&to=2025-01-01");
  EXPECT_EQ(bad.status, 422);
  EXPECT_TRUE(json::parse(bad.body)["errors"].contains("to")) << bad.body;
  bad = as("project_lead").get("/api/v1/reports/savings?from=2025-13-01&to=2025-12-31");
  EXPECT_EQ(bad.status, 422);
  EXPECT_TRUE(json::parse(bad.body)["errors"].contains("from")) << bad.body;
  // Without a period: the calendar year of today (2026), where only B is still walked along.
  const auto year = get(as("project_lead"), "/api/v1/reports/savings");
  EXPECT_EQ(year["from"], "2026-01-01");
  EXPECT_EQ(year["to"], "2026-12-31");
  EXPECT_EQ(year["families"].size(), 2u);  // B, and C (closed 15 January 2026)
  EXPECT_EQ(
      as_b("project_lead")
          .get("/api/v1/reports/savings?from=2025-01-01&to=2025-12-31&team=" + app_->a.team_id)
          .status,
      422);
}

TEST_P(Savings, TariffOverrideChangesTheResultAndShowsItsSource) {
  fixture();
  auto& lead = as("project_lead");
  auto r = put(lead, "/api/v1/tariffs",
               {{"items", json::array({{{"product", "ambulant_youth_care"},
                                        {"amount_cents", 9000},
                                        {"high_cents", 9500},
                                        {"source", "Contract gemeente Voorbeeld 2025"},
                                        {"year", 2025}}})}});
  ASSERT_EQ(r.status, 200) << r.body;
  const auto tariffs = get(as("coordinator"), "/api/v1/tariffs");
  bool seen = false;
  for (const auto& t : tariffs["items"]) {
    if (t["product"] != "ambulant_youth_care") {
      EXPECT_FALSE(t["overridden"].get<bool>());
      continue;
    }
    seen = true;
    EXPECT_EQ(t["amount_cents"], 9000);
    EXPECT_EQ(t["low_cents"], 9000);
    EXPECT_EQ(t["status"], "organisation");
    EXPECT_EQ(t["source"], "Contract gemeente Voorbeeld 2025");
    EXPECT_EQ(t["default"]["amount_cents"], 7800);
  }
  EXPECT_TRUE(seen);
  // Family A: 9000 × 4 × 6 = 216000 instead of 187200; the net moves by the difference.
  const auto a = get(lead, "/api/v1/families/" + a_ + "/savings");
  EXPECT_EQ(a["lines"][0]["amount_cents"], 216000);
  EXPECT_EQ(a["lines"][0]["high_cents"], 228000);
  EXPECT_EQ(a["lines"][0]["source"], "Contract gemeente Voorbeeld 2025");
  EXPECT_EQ(a["lines"][0]["year"], 2025);
  EXPECT_EQ(a["lines"][0]["status"], "organisation");
  EXPECT_EQ(a["totals"]["net_cents"], 904700 + (216000 - 187200));
  // Another organisation keeps the defaults.
  const auto b_tariffs = get(as_b("coordinator"), "/api/v1/tariffs");
  EXPECT_EQ(b_tariffs["items"][0]["amount_cents"], 7800);
  // An empty list returns to the defaults.
  ASSERT_EQ(put(lead, "/api/v1/tariffs", {{"items", json::array()}}).status, 200);
  EXPECT_EQ(get(lead, "/api/v1/families/" + a_ + "/savings")["lines"][0]["amount_cents"], 187200);
  // Coordinators read the tariffs and settings but do not change them.
  EXPECT_EQ(put(as("coordinator"), "/api/v1/tariffs", {{"items", json::array()}}).status, 403);
  EXPECT_EQ(as("coordinator").get("/api/v1/savings-settings").status, 200);
  EXPECT_EQ(put(as("coordinator"), "/api/v1/savings-settings",
                {{"coordinator_hourly_cents", 1},
                 {"foundation_fee_cents", 1},
                 {"volunteer_expenses_monthly_cents", 1}})
                .status,
            403);
  EXPECT_EQ(as("volunteer").get("/api/v1/tariffs").status, 403);
}

TEST_P(Savings, BadInputGets422NamingEachLine) {
  const auto fam = waiting_family(as("coordinator"), "Familie Fout");
  const std::string path = "/api/v1/families/" + fam + "/counterfactual";
  json good = line("ambulant_youth_care", 4, 6);
  const std::vector<std::pair<json, std::string>> cases = {
      {{{"product", "koffie"}}, "items[1].product"},
      {{{"product", nullptr}}, "items[1].product"},
      {{{"months", -3}}, "items[1].months"},
      {{{"months", 0}}, "items[1].months"},
      {{{"months", 121}}, "items[1].months"},
      {{{"months", 1.5}}, "items[1].months"},
      {{{"quantity", -1}}, "items[1].quantity"},
      {{{"quantity", 0}}, "items[1].quantity"},
      {{{"quantity", 2.555}}, "items[1].quantity"},
      {{{"quantity", "veel"}}, "items[1].quantity"},
      {{{"certainty", "zeker"}}, "items[1].certainty"},
      {{{"estimated_by", ""}}, "items[1].estimated_by"},
  };
  for (const auto& [change, field] : cases) {
    json bad = good;
    bad.update(change);
    auto r = put(as("coordinator"), path, {{"items", json::array({good, bad})}});
    EXPECT_EQ(r.status, 422) << change.dump() << " " << r.body;
    const auto errors = json::parse(r.body, nullptr, false)["errors"];
    EXPECT_TRUE(errors.contains(field)) << change.dump() << " " << r.body;
    EXPECT_FALSE(errors.contains("items[0].product")) << r.body;
  }
  auto r = put(as("coordinator"), path, {{"items", "alles"}});
  EXPECT_EQ(r.status, 422) << r.body;
  // Nothing was stored by any of them.
  EXPECT_EQ(scalar(app_->db(), "SELECT COUNT(*) FROM savings_counterfactual"), 0);
  r = put(as("coordinator"), "/api/v1/families/" + fam + "/actual-care",
          {{"items", json::array({{{"product", "ambulant_youth_care"}, {"months", -1}}})}});
  EXPECT_EQ(r.status, 422);
  EXPECT_TRUE(json::parse(r.body)["errors"].contains("items[0].months")) << r.body;
  r = put(
      as("project_lead"), "/api/v1/tariffs",
      {{"items",
        json::array({{{"product", "koffie"}, {"amount_cents", 1}, {"source", "x"}, {"year", 2025}},
                     {{"product", "foster_care"},
                      {"amount_cents", 100},
                      {"low_cents", 200},
                      {"source", ""},
                      {"year", 1900}}})}});
  EXPECT_EQ(r.status, 422);
  const auto errors = json::parse(r.body)["errors"];
  for (const char* f :
       {"items[0].product", "items[1].low_cents", "items[1].source", "items[1].year"})
    EXPECT_TRUE(errors.contains(f)) << f << " " << r.body;
  r = put(as("project_lead"), "/api/v1/savings-settings",
          {{"coordinator_hourly_cents", -1},
           {"foundation_fee_cents", 0},
           {"volunteer_expenses_monthly_cents", 0}});
  EXPECT_EQ(r.status, 422);
  EXPECT_TRUE(json::parse(r.body)["errors"].contains("coordinator_hourly_cents")) << r.body;
  r = put(as("project_lead"), "/api/v1/savings-settings",
          {{"coordinator_hourly_cents", 1}, {"foundation_fee_cents", 0}});
  EXPECT_EQ(r.status, 422);
  EXPECT_TRUE(json::parse(r.body)["errors"].contains("volunteer_expenses_monthly_cents")) << r.body;
}

TEST_P(Savings, ScopeCoordinatorTeamProjectLeadOrganisationVolunteerNone) {
  const auto mine = waiting_family(as("coordinator"), "Familie Eigen");
  const auto other_team = waiting_family(as("other_coordinator"), "Familie Team 2");
  const auto other_org = waiting_family(as_b("coordinator"), "Familie B");
  const json body = {{"items", json::array({line("social_work", 1, 3)})}};
  EXPECT_EQ(put(as("coordinator"), "/api/v1/families/" + mine + "/counterfactual", body).status,
            200);
  EXPECT_EQ(as("coordinator").get("/api/v1/families/" + mine + "/savings").status, 200);
  EXPECT_EQ(as("coordinator").get("/api/v1/families/" + other_team + "/savings").status, 403);
  EXPECT_EQ(
      put(as("coordinator"), "/api/v1/families/" + other_team + "/counterfactual", body).status,
      403);
  // The right before the input: a refused caller is refused whatever they sent.
  EXPECT_EQ(put(as("coordinator"), "/api/v1/families/" + other_team + "/counterfactual",
                {{"items", "rommel"}})
                .status,
            403);
  EXPECT_EQ(as("project_lead").get("/api/v1/families/" + other_team + "/savings").status, 200);
  EXPECT_EQ(put(as("project_lead"), "/api/v1/families/" + other_team + "/actual-care",
                {{"items", json::array()}})
                .status,
            200);
  EXPECT_EQ(as("volunteer").get("/api/v1/families/" + mine + "/savings").status, 403);
  EXPECT_EQ(put(as("volunteer"), "/api/v1/families/" + mine + "/counterfactual", body).status, 403);
  EXPECT_EQ(as("volunteer").get("/api/v1/reports/savings?from=2025-01-01&to=2025-12-31").status,
            403);
  EXPECT_EQ(as("foundation").get("/api/v1/families/" + mine + "/savings").status, 403);
  EXPECT_EQ(as("coordinator").get("/api/v1/families/" + other_org + "/savings").status, 404);
  EXPECT_EQ(as("project_lead").get("/api/v1/families/" + other_org + "/savings").status, 404);
  EXPECT_EQ(
      put(as("project_lead"), "/api/v1/families/" + other_org + "/counterfactual", body).status,
      404);
  EXPECT_EQ(as("project_lead").get("/api/v1/families/bestaatniet/savings").status, 404);
  // Nothing was written to the other organisation's family.
  EXPECT_EQ(scalar(app_->db(), "SELECT COUNT(*) FROM savings_counterfactual WHERE family_id = ?",
                   {other_org}),
            0);
}

TEST_P(Savings, FamilySavingsReadsAndWritesAreInTheAccessLog) {
  const auto mine = waiting_family(as("coordinator"), "Familie Log");
  const auto other_team = waiting_family(as("other_coordinator"), "Familie Log 2");
  auto count = [&](const std::string& event, const std::string& id, const std::string& outcome) {
    return scalar(app_->db(),
                  "SELECT COUNT(*) FROM access_log WHERE event = ? AND object_type = 'family' "
                  "AND object_id = ? AND outcome = ? AND details LIKE ?",
                  {event, id, outcome, outcome == "success" ? "%savings%" : "%"});
  };
  EXPECT_EQ(count("view", mine, "success"), 0);
  ASSERT_EQ(as("coordinator").get("/api/v1/families/" + mine + "/savings").status, 200);
  EXPECT_EQ(count("view", mine, "success"), 1);
  ASSERT_EQ(as("coordinator").get("/api/v1/families/" + other_team + "/savings").status, 403);
  EXPECT_EQ(count("view", other_team, "denied"), 1);
  ASSERT_EQ(put(as("coordinator"), "/api/v1/families/" + mine + "/counterfactual",
                {{"items", json::array({line("social_work", 1, 3)})}})
                .status,
            200);
  EXPECT_EQ(scalar(app_->db(),
                   "SELECT COUNT(*) FROM access_log WHERE event = 'update' AND object_type = "
                   "'family' AND object_id = ? AND details = 'counterfactual=1'",
                   {mine}),
            1);
}

TEST_P(Savings, PagesShowEachComputation) {
  fixture();
  auto browser = app_->session_as(app_->a, "project_lead");
  auto r = browser->get("/gezinnen/" + a_ + "/besparing");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_TRUE(contains(r.body, "€ 78,00 per uur × 4 uur per maand × 6 maanden = € 1.872,00"));
  EXPECT_TRUE(contains(r.body, "645 minuten ÷ 60 × € 60,00 per uur = € 645,00"));
  EXPECT_TRUE(contains(r.body, "€ 9.047,00"));  // net
  EXPECT_TRUE(contains(r.body, "Bollenstreek"));
  r = browser->get("/gezinnen/" + a_);
  ASSERT_EQ(r.status, 200);
  EXPECT_TRUE(contains(r.body, "/gezinnen/" + a_ + "/besparing"));
  r = browser->get("/rapportages/besparing?from=2025-01-01&to=2025-12-31");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_TRUE(contains(r.body, "€ 18.257,23"));  // the net total
  EXPECT_TRUE(contains(r.body, "01-01-2025"));
  EXPECT_FALSE(contains(r.body, "Familie Aarts"));
  r = browser->get("/rapportages/besparing?from=2025-12-31&to=2025-01-01");
  EXPECT_EQ(r.status, 422);
  auto volunteer = app_->session_as(app_->a, "volunteer");
  EXPECT_EQ(volunteer->get("/gezinnen/" + a_ + "/besparing").status, 403);
}

INSTANTIATE_TEST_SUITE_P(Engines, Savings, ::testing::ValuesIn(engines()));

}  // namespace
}  // namespace oploop::testing
