// /api/v1/referrals against the real server on both engines: the contract of SPEC §4 and the
// appendix (field names, problem details, lists), validation in the caller's language, the
// state machine new → in_intake → accepted | declined | withdrawn, accepting into a family,
// and tenancy (another organisation's referral does not exist, for every verb).
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <functional>
#include <regex>
#include <set>

#include "i18n/catalogue.hpp"
#include "support/test_app.hpp"

namespace oploop::testing {
namespace {

using nlohmann::json;

bool is_problem_json(const HttpResult& r) {
  return r.header("Content-Type").value_or("").rfind("application/problem+json", 0) == 0;
}

std::string nl(const std::string& key) { return i18n::Catalogue::instance().text("nl", key); }
std::string en(const std::string& key) { return i18n::Catalogue::instance().text("en", key); }

class ReferralsApi : public ::testing::TestWithParam<std::string> {
 protected:
  ReferralsApi()
      : clock_(std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now())) {}

  void SetUp() override {
    app_ = std::make_unique<TestApp>(GetParam(), TestAppOptions{.clock = &clock_});
    if (!app_->available()) GTEST_SKIP() << app_->skip_reason();
    coordinator_ = app_->client_as(app_->a, "coordinator");
  }

  std::string today() const { return amsterdam_date(clock_.now()); }
  std::string days_ago(int n) const { return amsterdam_date(clock_.now() - std::chrono::days(n)); }

  json valid_body() const {
    return {{"contact_name", "Fatima Voorbeeld"},
            {"postcode", "3511ab"},
            {"house_number", "12a"},
            {"reason", "Veel post die blijft liggen; de kinderen missen school."},
            {"urgency", "urgent"},
            {"consent", true},
            {"consent_date", days_ago(3)},
            {"children_birth_years", {2016, 2019}},
            {"languages", {"nl", "ar"}},
            {"other_care", "Schuldhulpverlening"},
            {"referrer",
             {{"name", "Rik Verwijzer"},
              {"organisation", "CJG Utrecht"},
              {"email", "rik@cjg.example"},
              {"phone", "030-1234567"}}}};
  }

  HttpResult create(HttpClient& c, const json& body) {
    return c.post_json("/api/v1/referrals", body.dump());
  }
  std::string create_id(HttpClient& c, json body = {}) {
    if (body.is_null()) body = valid_body();
    auto r = create(c, body);
    EXPECT_EQ(r.status, 201) << r.body;
    return json::parse(r.body).value("id", "");
  }
  std::int64_t count(const std::string& table) {
    return scalar(app_->db(), "SELECT COUNT(*) FROM " + table);
  }
  // Every column of one referral row, to prove a refused request changed nothing.
  std::vector<std::optional<std::string>> referral_row(const std::string& id) {
    auto conn = app_->db().acquire();
    auto rows = conn->query("SELECT * FROM referrals WHERE id = ?", {id});
    std::vector<std::optional<std::string>> out;
    if (rows.empty()) return out;
    for (std::size_t i = 0; i < rows[0].size(); ++i) out.push_back(rows[0].optional_text(i));
    return out;
  }

  ManualClock clock_;
  std::unique_ptr<TestApp> app_;
  std::unique_ptr<HttpClient> coordinator_;
};

// --- create ---------------------------------------------------------------------------------

TEST_P(ReferralsApi, CreateAnswers201WithLocationAndTheContractFields) {
  auto r = create(*coordinator_, valid_body());
  ASSERT_EQ(r.status, 201) << r.body;
  EXPECT_EQ(r.header("Content-Type").value_or("").rfind("application/json", 0), 0u);
  auto b = json::parse(r.body);
  ASSERT_TRUE(b["id"].is_string());
  const std::string id = b["id"];
  EXPECT_FALSE(id.empty());
  EXPECT_EQ(r.header("Location").value_or(""), "/api/v1/referrals/" + id);

  EXPECT_EQ(b["status"], "new");
  EXPECT_EQ(b["contact_name"], "Fatima Voorbeeld");
  EXPECT_EQ(b["postcode"], "3511 AB");  // shown the Dutch way, whatever was typed
  EXPECT_EQ(b["house_number"], "12a");
  EXPECT_EQ(b["reason"], "Veel post die blijft liggen; de kinderen missen school.");
  EXPECT_EQ(b["urgency"], "urgent");
  ASSERT_TRUE(b["consent"].is_boolean());
  EXPECT_EQ(b["consent"], true);
  EXPECT_EQ(b["consent_date"], days_ago(3));
  ASSERT_TRUE(b["children_birth_years"].is_array());
  ASSERT_EQ(b["children_birth_years"].size(), 2u);
  EXPECT_TRUE(b["children_birth_years"][0].is_number_integer());
  EXPECT_EQ(b["children_birth_years"], json({2016, 2019}));
  EXPECT_EQ(b["languages"], json({"nl", "ar"}));
  ASSERT_TRUE(b["referrer"].is_object());
  EXPECT_EQ(b["referrer"]["name"], "Rik Verwijzer");
  EXPECT_EQ(b["referrer"]["organisation"], "CJG Utrecht");
  EXPECT_EQ(b["referrer"]["email"], "rik@cjg.example");
  EXPECT_EQ(b["referrer"]["phone"], "030-1234567");
  // A coordinator's referral goes to their team.
  EXPECT_EQ(b["team_id"], app_->a.team_id);
  ASSERT_TRUE(b["created_at"].is_string());
  EXPECT_TRUE(std::regex_match(
      b["created_at"].get<std::string>(),
      std::regex(R"(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2}))")))
      << b["created_at"];

  // The Location answers the same representation.
  auto shown = coordinator_->get(r.header("Location").value_or(""));
  ASSERT_EQ(shown.status, 200) << shown.body;
  EXPECT_EQ(json::parse(shown.body), b);
  EXPECT_EQ(count("referrals"), 1);
}

TEST_P(ReferralsApi, UrgencyDefaultsToNormal) {
  auto body = valid_body();
  body.erase("urgency");
  auto r = create(*coordinator_, body);
  ASSERT_EQ(r.status, 201) << r.body;
  EXPECT_EQ(json::parse(r.body)["urgency"], "normal");
}

struct FieldCase {
  const char* name;
  std::function<void(json&, const std::string& today)> mutate;
  const char* field;
  const char* message_key;
};

// One bad field at a time: 422, problem+json, `errors` names exactly that field in Dutch.
TEST_P(ReferralsApi, EachBadFieldIsNamedInDutch) {
  const std::vector<FieldCase> cases = {
      {"missing contact_name", [](json& b, auto&) { b.erase("contact_name"); }, "contact_name",
       "validation.required"},
      {"blank contact_name", [](json& b, auto&) { b["contact_name"] = "   "; }, "contact_name",
       "validation.required"},
      {"postcode 12345", [](json& b, auto&) { b["postcode"] = "12345"; }, "postcode",
       "validation.postcode"},
      {"house number abc", [](json& b, auto&) { b["house_number"] = "abc"; }, "house_number",
       "validation.house_number"},
      {"consent false", [](json& b, auto&) { b["consent"] = false; }, "consent",
       "validation.consent_required"},
      {"consent missing", [](json& b, auto&) { b.erase("consent"); }, "consent",
       "validation.consent_required"},
      {"consent_date in the future",
       [](json& b, const std::string&) { b["consent_date"] = "2999-01-01"; }, "consent_date",
       "validation.date_future"},
      {"consent_date not a date", [](json& b, auto&) { b["consent_date"] = "2025-02-30"; },
       "consent_date", "validation.date"},
      {"language xx",
       [](json& b, auto&) {
         b["languages"] = {"nl", "xx"};
       },
       "languages", "validation.language"},
      {"birth year 1800",
       [](json& b, auto&) {
         b["children_birth_years"] = {2016, 1800};
       },
       "children_birth_years", "validation.birth_year"},
      {"referrer email nope", [](json& b, auto&) { b["referrer"]["email"] = "nope"; },
       "referrer.email", "validation.email"},
      {"referrer without a name", [](json& b, auto&) { b["referrer"].erase("name"); },
       "referrer.name", "validation.required"},
      {"urgency bogus", [](json& b, auto&) { b["urgency"] = "asap"; }, "urgency",
       "validation.choice"},
      // Type mistakes are field errors too, not 400s and not silently coerced.
      {"consent \"yes\"", [](json& b, auto&) { b["consent"] = "yes"; }, "consent",
       "validation.type_boolean"},
      {"languages \"nl\"", [](json& b, auto&) { b["languages"] = "nl"; }, "languages",
       "validation.type_array"},
      {"birth years as strings", [](json& b, auto&) { b["children_birth_years"] = {"2015"}; },
       "children_birth_years", "validation.type_integer"},
      {"contact_name a number", [](json& b, auto&) { b["contact_name"] = 42; }, "contact_name",
       "validation.type_string"},
      {"referrer a string", [](json& b, auto&) { b["referrer"] = "Rik"; }, "referrer",
       "validation.type_object"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    auto body = valid_body();
    c.mutate(body, today());
    auto r = create(*coordinator_, body);
    ASSERT_EQ(r.status, 422) << r.body;
    EXPECT_TRUE(is_problem_json(r)) << r.header("Content-Type").value_or("");
    auto p = json::parse(r.body);
    EXPECT_EQ(p["status"], 422);
    EXPECT_EQ(p["title"], nl("error.invalid"));
    ASSERT_TRUE(p["errors"].is_object()) << r.body;
    EXPECT_EQ(p["errors"].size(), 1u) << r.body;
    ASSERT_TRUE(p["errors"].contains(c.field)) << r.body;
    EXPECT_EQ(p["errors"][c.field], nl(c.message_key)) << r.body;
  }
  EXPECT_EQ(count("referrals"), 0);
}

TEST_P(ReferralsApi, EveryBadFieldAtOnceIsNamed) {
  auto body = valid_body();
  body.erase("contact_name");
  body["postcode"] = "12345";
  body["house_number"] = "abc";
  body["consent"] = false;
  body["consent_date"] = "2999-12-31";
  body["languages"] = {"xx"};
  body["children_birth_years"] = {1800};
  body["referrer"]["email"] = "nope";
  auto r = create(*coordinator_, body);
  ASSERT_EQ(r.status, 422) << r.body;
  EXPECT_TRUE(is_problem_json(r));
  auto errors = json::parse(r.body)["errors"];
  const std::map<std::string, std::string> expected = {
      {"contact_name", "validation.required"},           {"postcode", "validation.postcode"},
      {"house_number", "validation.house_number"},       {"consent", "validation.consent_required"},
      {"consent_date", "validation.date_future"},        {"languages", "validation.language"},
      {"children_birth_years", "validation.birth_year"}, {"referrer.email", "validation.email"}};
  EXPECT_EQ(errors.size(), expected.size()) << errors.dump();
  for (const auto& [field, key] : expected) {
    ASSERT_TRUE(errors.contains(field)) << field << " missing in " << errors.dump();
    EXPECT_EQ(errors[field], nl(key)) << field;
  }
  // Plain Dutch, not keys.
  EXPECT_EQ(errors["contact_name"], "Vul dit veld in.");
  EXPECT_EQ(count("referrals"), 0);
}

TEST_P(ReferralsApi, MissingReferrerNamesItsRequiredFields) {
  auto body = valid_body();
  body.erase("referrer");
  auto r = create(*coordinator_, body);
  ASSERT_EQ(r.status, 422) << r.body;
  auto errors = json::parse(r.body)["errors"];
  EXPECT_EQ(errors, json({{"referrer.name", nl("validation.required")},
                          {"referrer.organisation", nl("validation.required")},
                          {"referrer.email", nl("validation.required")}}));
}

TEST_P(ReferralsApi, AcceptLanguageEnGivesEnglishMessages) {
  ASSERT_NE(nl("validation.required"), en("validation.required"));
  coordinator_->set_header("Accept-Language", "en-GB,en;q=0.9");
  auto body = valid_body();
  body.erase("contact_name");
  body["postcode"] = "12345";
  auto r = create(*coordinator_, body);
  ASSERT_EQ(r.status, 422) << r.body;
  auto p = json::parse(r.body);
  EXPECT_EQ(p["title"], en("error.invalid"));
  EXPECT_EQ(p["errors"]["contact_name"], en("validation.required"));
  EXPECT_EQ(p["errors"]["postcode"], en("validation.postcode"));
  // Without the header the same request is answered in Dutch.
  coordinator_->clear_header("Accept-Language");
  auto dutch = json::parse(create(*coordinator_, body).body);
  EXPECT_EQ(dutch["errors"]["contact_name"], nl("validation.required"));
}

TEST_P(ReferralsApi, MalformedJsonAndNonObjectsAre400) {
  for (const char* bad :
       {"{\"contact_name\": ", "{not json}", "[1, 2, 3]", "[]", "\"referral\"", "42", "null"}) {
    SCOPED_TRACE(bad);
    auto r = coordinator_->post_json("/api/v1/referrals", bad);
    EXPECT_EQ(r.status, 400) << r.body;
    EXPECT_TRUE(is_problem_json(r));
    EXPECT_EQ(json::parse(r.body)["status"], 400);
  }
  // A JSON array of perfectly valid referrals is still not a referral.
  auto array = coordinator_->post_json("/api/v1/referrals", json::array({valid_body()}).dump());
  EXPECT_EQ(array.status, 400) << array.body;
  EXPECT_EQ(count("referrals"), 0);
}

TEST_P(ReferralsApi, UnknownFieldsAreIgnoredNotMassAssigned) {
  auto body = valid_body();
  body["organisation_id"] = app_->b.id;
  body["status"] = "accepted";
  body["id"] = "chosenbytheclient0000000000";
  body["family_id"] = "somefamily";
  body["source"] = "public";
  body["created_at"] = "2000-01-01T00:00:00Z";
  body["is_admin"] = true;
  auto r = create(*coordinator_, body);
  ASSERT_EQ(r.status, 201) << r.body;
  auto b = json::parse(r.body);
  const std::string id = b["id"];
  EXPECT_NE(id, "chosenbytheclient0000000000");
  EXPECT_EQ(b["status"], "new");
  EXPECT_EQ(b["family_id"], nullptr);
  EXPECT_EQ(b["source"], "staff");
  EXPECT_NE(b["created_at"], "2000-01-01T00:00:00Z");
  // Stored under the caller's organisation: invisible to the other one.
  EXPECT_EQ(
      scalar(app_->db(), "SELECT COUNT(*) FROM referrals WHERE id = ? AND organisation_id = ?",
             {id, app_->a.id}),
      1);
  EXPECT_EQ(
      scalar(app_->db(), "SELECT COUNT(*) FROM referrals WHERE organisation_id = ?", {app_->b.id}),
      0);
  EXPECT_EQ(app_->client_as(app_->b, "project_lead")->get("/api/v1/referrals/" + id).status, 404);
  EXPECT_EQ(count("families"), 0);
}

TEST_P(ReferralsApi, TeamOfAnotherOrganisationIsRefused) {
  auto body = valid_body();
  body["team_id"] = app_->b.team_id;
  auto r = create(*coordinator_, body);
  ASSERT_EQ(r.status, 422) << r.body;
  EXPECT_TRUE(json::parse(r.body)["errors"].contains("team_id"));
  EXPECT_EQ(count("referrals"), 0);
}

// --- lists ----------------------------------------------------------------------------------

TEST_P(ReferralsApi, ListIsNewestFirstAndPagesWithoutGapsOrDuplicates) {
  std::vector<std::string> created;
  for (int i = 0; i < 5; ++i) {
    auto body = valid_body();
    body["contact_name"] = "Gezin " + std::to_string(i);
    created.push_back(create_id(*coordinator_, body));
    clock_.advance(std::chrono::seconds(61));
  }
  std::vector<std::string> newest_first(created.rbegin(), created.rend());

  auto all = coordinator_->get("/api/v1/referrals");
  ASSERT_EQ(all.status, 200) << all.body;
  auto all_body = json::parse(all.body);
  ASSERT_TRUE(all_body.contains("next_cursor"));
  EXPECT_EQ(all_body["next_cursor"], nullptr);
  std::vector<std::string> ids;
  for (const auto& item : all_body["items"]) ids.push_back(item["id"]);
  EXPECT_EQ(ids, newest_first);

  // limit=2: pages of 2, 2, 1 following next_cursor; the last one has next_cursor null.
  std::vector<std::string> paged;
  std::vector<std::size_t> sizes;
  std::string path = "/api/v1/referrals?limit=2";
  for (int guard = 0; guard < 10; ++guard) {
    auto page = coordinator_->get(path);
    ASSERT_EQ(page.status, 200) << page.body;
    auto b = json::parse(page.body);
    sizes.push_back(b["items"].size());
    for (const auto& item : b["items"]) paged.push_back(item["id"]);
    if (b["next_cursor"].is_null()) break;
    ASSERT_TRUE(b["next_cursor"].is_string());
    path = "/api/v1/referrals?limit=2&cursor=" + b["next_cursor"].get<std::string>();
  }
  EXPECT_EQ(sizes, (std::vector<std::size_t>{2, 2, 1}));
  EXPECT_EQ(paged, newest_first);
  EXPECT_EQ(std::set<std::string>(paged.begin(), paged.end()).size(), 5u);
}

TEST_P(ReferralsApi, PagingIsStableWhenReferralsShareATimestamp) {
  // Same second for all: the id breaks the tie, and paging must still see each exactly once.
  std::set<std::string> created;
  for (int i = 0; i < 5; ++i) created.insert(create_id(*coordinator_));
  std::vector<std::string> paged;
  std::string path = "/api/v1/referrals?limit=2";
  for (int guard = 0; guard < 10; ++guard) {
    auto b = json::parse(coordinator_->get(path).body);
    for (const auto& item : b["items"]) paged.push_back(item["id"]);
    if (b["next_cursor"].is_null()) break;
    path = "/api/v1/referrals?limit=2&cursor=" + b["next_cursor"].get<std::string>();
  }
  EXPECT_EQ(paged.size(), 5u);
  EXPECT_EQ(std::set<std::string>(paged.begin(), paged.end()), created);
}

TEST_P(ReferralsApi, StatusFilter) {
  const auto fresh = create_id(*coordinator_);
  const auto in_intake = create_id(*coordinator_);
  const auto declined = create_id(*coordinator_);
  ASSERT_EQ(coordinator_->post_json("/api/v1/referrals/" + in_intake + "/intake", "{}").status,
            200);
  ASSERT_EQ(coordinator_
                ->post_json("/api/v1/referrals/" + declined + "/decline",
                            R"({"reason": "Past niet bij het programma"})")
                .status,
            200);
  auto ids_for = [&](const std::string& status) {
    auto r = coordinator_->get("/api/v1/referrals?status=" + status);
    EXPECT_EQ(r.status, 200) << r.body;
    std::vector<std::string> ids;
    const auto body = json::parse(r.body);  // named: a temporary would die before the loop
    for (const auto& item : body["items"]) {
      EXPECT_EQ(item["status"], status);
      ids.push_back(item["id"]);
    }
    return ids;
  };
  EXPECT_EQ(ids_for("new"), std::vector<std::string>{fresh});
  EXPECT_EQ(ids_for("in_intake"), std::vector<std::string>{in_intake});
  EXPECT_EQ(ids_for("declined"), std::vector<std::string>{declined});
  EXPECT_TRUE(ids_for("accepted").empty());
  EXPECT_TRUE(ids_for("withdrawn").empty());
}

TEST_P(ReferralsApi, BadListParametersAre422) {
  create_id(*coordinator_);
  struct Case {
    const char* query;
    const char* field;
  };
  for (const Case& c :
       {Case{"status=bogus", "status"}, Case{"status=NEW", "status"}, Case{"limit=0", "limit"},
        Case{"limit=201", "limit"}, Case{"limit=x", "limit"}, Case{"limit=-1", "limit"},
        Case{"limit=2x", "limit"}, Case{"cursor=not-a-cursor", "cursor"},
        Case{"cursor=%25%25%25", "cursor"}}) {
    SCOPED_TRACE(c.query);
    auto r = coordinator_->get(std::string("/api/v1/referrals?") + c.query);
    ASSERT_EQ(r.status, 422) << r.body;
    EXPECT_TRUE(is_problem_json(r));
    auto errors = json::parse(r.body)["errors"];
    EXPECT_TRUE(errors.contains(c.field)) << r.body;
  }
  // The edges of the allowed range work.
  EXPECT_EQ(coordinator_->get("/api/v1/referrals?limit=1").status, 200);
  EXPECT_EQ(coordinator_->get("/api/v1/referrals?limit=200").status, 200);
}

// --- state changes --------------------------------------------------------------------------

TEST_P(ReferralsApi, EveryLegalTransitionWorks) {
  struct Step {
    const char* verb;
    const char* body;
    int status;
    const char* state;  // the referral's status afterwards
  };
  const std::vector<std::vector<Step>> paths = {
      {{"intake", "{}", 200, "in_intake"}, {"accept", "{}", 201, "accepted"}},
      {{"intake", "", 200, "in_intake"},
       {"decline", R"({"reason": "Geen hulpvraag"})", 200, "declined"}},
      {{"intake", "{}", 200, "in_intake"},
       {"withdraw", R"({"reason": "Verhuisd"})", 200, "withdrawn"}},
      {{"accept", "{}", 201, "accepted"}},
      {{"decline", R"({"reason": "Buiten het werkgebied"})", 200, "declined"}},
      {{"withdraw", "{}", 200, "withdrawn"}},
  };
  for (const auto& path : paths) {
    const auto id = create_id(*coordinator_);
    for (const auto& step : path) {
      SCOPED_TRACE(std::string(step.verb) + " -> " + step.state);
      auto r = coordinator_->post_json("/api/v1/referrals/" + id + "/" + step.verb, step.body);
      ASSERT_EQ(r.status, step.status) << r.body;
      auto shown = json::parse(coordinator_->get("/api/v1/referrals/" + id).body);
      EXPECT_EQ(shown["status"], step.state);
      if (std::string(step.verb) != "accept") {
        EXPECT_EQ(json::parse(r.body)["status"], step.state);
      }
      if (std::string(step.verb) == "decline") {
        EXPECT_EQ(shown["decline_reason"], json::parse(step.body)["reason"]);
      }
    }
  }
}

TEST_P(ReferralsApi, IllegalTransitionsAre409AndChangeNothing) {
  auto in_state = [&](const std::string& state) {
    const auto id = create_id(*coordinator_);
    if (state == "in_intake") coordinator_->post_json("/api/v1/referrals/" + id + "/intake", "{}");
    if (state == "accepted") coordinator_->post_json("/api/v1/referrals/" + id + "/accept", "{}");
    if (state == "declined")
      coordinator_->post_json("/api/v1/referrals/" + id + "/decline", R"({"reason": "Nee"})");
    if (state == "withdrawn")
      coordinator_->post_json("/api/v1/referrals/" + id + "/withdraw", "{}");
    EXPECT_EQ(json::parse(coordinator_->get("/api/v1/referrals/" + id).body)["status"], state);
    return id;
  };
  struct Case {
    const char* from;
    const char* verb;
  };
  const std::vector<Case> cases = {
      {"accepted", "accept"},   {"accepted", "decline"},  {"accepted", "intake"},
      {"accepted", "withdraw"}, {"declined", "intake"},   {"declined", "accept"},
      {"declined", "decline"},  {"declined", "withdraw"}, {"withdrawn", "intake"},
      {"withdrawn", "accept"},  {"withdrawn", "decline"}, {"in_intake", "intake"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(std::string(c.verb) + " on " + c.from);
    const auto id = in_state(c.from);
    const auto families_before = count("families");
    const auto row_before = referral_row(id);
    auto r = coordinator_->post_json("/api/v1/referrals/" + id + "/" + c.verb,
                                     R"({"reason": "Toch niet"})");
    EXPECT_EQ(r.status, 409) << r.body;
    EXPECT_TRUE(is_problem_json(r));
    EXPECT_EQ(referral_row(id), row_before);
    EXPECT_EQ(count("families"), families_before);
  }
}

TEST_P(ReferralsApi, DeclineNeedsAReason) {
  const auto id = create_id(*coordinator_);
  for (const char* body : {"{}", R"({"reason": ""})", R"({"reason": "   "})"}) {
    SCOPED_TRACE(body);
    auto r = coordinator_->post_json("/api/v1/referrals/" + id + "/decline", body);
    ASSERT_EQ(r.status, 422) << r.body;
    EXPECT_EQ(json::parse(r.body)["errors"]["reason"], nl("validation.required"));
  }
  auto typed = coordinator_->post_json("/api/v1/referrals/" + id + "/decline", R"({"reason": 7})");
  ASSERT_EQ(typed.status, 422) << typed.body;
  EXPECT_EQ(json::parse(typed.body)["errors"]["reason"], nl("validation.type_string"));
  EXPECT_EQ(json::parse(coordinator_->get("/api/v1/referrals/" + id).body)["status"], "new");
}

TEST_P(ReferralsApi, AcceptCreatesTheWaitingFamily) {
  const auto id = create_id(*coordinator_);
  ASSERT_EQ(coordinator_->post_json("/api/v1/referrals/" + id + "/intake", "{}").status, 200);
  auto r = coordinator_->post_json("/api/v1/referrals/" + id + "/accept", "{}");
  ASSERT_EQ(r.status, 201) << r.body;
  auto f = json::parse(r.body);
  ASSERT_TRUE(f["id"].is_string());
  const std::string family_id = f["id"];
  EXPECT_EQ(r.header("Location").value_or(""), "/api/v1/families/" + family_id);
  EXPECT_EQ(f["status"], "waiting");
  EXPECT_EQ(f["waiting_since"], today());
  EXPECT_EQ(f["languages"], json({"nl", "ar"}));
  EXPECT_EQ(f["display_name"], "Fatima Voorbeeld");
  EXPECT_EQ(f["postcode"], "3511 AB");
  EXPECT_EQ(f["house_number"], "12a");
  EXPECT_EQ(f["coordinator_id"], app_->a.users.at("coordinator").id);
  EXPECT_EQ(f["team_id"], app_->a.team_id);
  EXPECT_EQ(f["referral_id"], id);
  EXPECT_EQ(f["consent_date"], days_ago(3));
  ASSERT_EQ(f["formal_care"].size(), 1u);
  EXPECT_EQ(f["formal_care"][0]["agency"], "Schuldhulpverlening");
  EXPECT_TRUE(f["members"].is_array());

  auto referral = json::parse(coordinator_->get("/api/v1/referrals/" + id).body);
  EXPECT_EQ(referral["status"], "accepted");
  EXPECT_EQ(referral["family_id"], family_id);
  auto shown = coordinator_->get("/api/v1/families/" + family_id);
  ASSERT_EQ(shown.status, 200) << shown.body;
  EXPECT_EQ(json::parse(shown.body), f);
  EXPECT_EQ(count("families"), 1);
}

TEST_P(ReferralsApi, AcceptKeepsTheReferralsTeamAndTakesADisplayName) {
  // The project lead files a referral for the other team and accepts it: the family goes to
  // that team, and the project lead (not a coordinator) does not become its coordinator.
  auto lead = app_->client_as(app_->a, "project_lead");
  auto body = valid_body();
  body["team_id"] = app_->a.other_team_id;
  const auto id = create_id(*lead, body);
  auto r = lead->post_json("/api/v1/referrals/" + id + "/accept",
                           R"({"display_name": "Gezin Voorbeeld"})");
  ASSERT_EQ(r.status, 201) << r.body;
  auto f = json::parse(r.body);
  EXPECT_EQ(f["team_id"], app_->a.other_team_id);
  EXPECT_EQ(f["coordinator_id"], nullptr);
  EXPECT_EQ(f["display_name"], "Gezin Voorbeeld");
  // The coordinator of that team accepts one of theirs: they become its coordinator.
  auto other = app_->client_as(app_->a, "other_coordinator");
  const auto theirs = create_id(*other);
  auto accepted =
      json::parse(other->post_json("/api/v1/referrals/" + theirs + "/accept", "{}").body);
  EXPECT_EQ(accepted["coordinator_id"], app_->a.users.at("other_coordinator").id);
  EXPECT_EQ(accepted["team_id"], app_->a.other_team_id);
}

// --- tenancy and roles ----------------------------------------------------------------------

TEST_P(ReferralsApi, AnotherOrganisationsReferralIs404ForEveryVerbAndStaysAsItWas) {
  auto coordinator_b = app_->client_as(app_->b, "coordinator");
  const auto theirs = create_id(*coordinator_b);
  const auto row_before = referral_row(theirs);
  ASSERT_FALSE(row_before.empty());
  const auto families_before = count("families");
  const auto missing_title =
      json::parse(coordinator_->get("/api/v1/referrals/doesnotexist00000000000000").body)["title"];

  for (const char* who : {"coordinator", "project_lead"}) {
    auto c = app_->client_as(app_->a, who);
    struct Call {
      const char* method;
      std::string path;
      const char* body;
    };
    const std::string base = "/api/v1/referrals/" + theirs;
    for (const Call& call : {Call{"GET", base, ""}, Call{"POST", base + "/intake", "{}"},
                             Call{"POST", base + "/accept", "{}"},
                             Call{"POST", base + "/decline", R"({"reason": "Overgenomen"})"},
                             Call{"POST", base + "/withdraw", R"({"reason": "Overgenomen"})"}}) {
      SCOPED_TRACE(std::string(who) + " " + call.method + " " + call.path);
      auto r =
          c->request(call.method, call.path, call.body, {{"Content-Type", "application/json"}});
      EXPECT_EQ(r.status, 404) << r.body;
      EXPECT_TRUE(is_problem_json(r));
      EXPECT_EQ(json::parse(r.body)["title"], missing_title);
    }
    // Nor does it show in their list.
    const auto list = json::parse(c->get("/api/v1/referrals").body);
    for (const auto& item : list["items"]) EXPECT_NE(item["id"], theirs);
  }
  EXPECT_EQ(referral_row(theirs), row_before);
  EXPECT_EQ(count("families"), families_before);
  EXPECT_EQ(json::parse(coordinator_b->get("/api/v1/referrals/" + theirs).body)["status"], "new");
}

TEST_P(ReferralsApi, CoordinatorOfAnotherTeamGets403AndRolesWithoutRightsToo) {
  const auto id = create_id(*coordinator_);
  auto other = app_->client_as(app_->a, "other_coordinator");
  EXPECT_EQ(other->get("/api/v1/referrals/" + id).status, 403);
  EXPECT_EQ(other->post_json("/api/v1/referrals/" + id + "/intake", "{}").status, 403);
  for (const char* who : {"volunteer", "foundation", "admin"}) {
    SCOPED_TRACE(who);
    auto c = app_->client_as(app_->a, who);
    EXPECT_EQ(c->get("/api/v1/referrals/" + id).status, 403);
    EXPECT_EQ(c->post_json("/api/v1/referrals", valid_body().dump()).status, 403);
    EXPECT_EQ(c->post_json("/api/v1/referrals/" + id + "/accept", "{}").status, 403);
  }
  EXPECT_EQ(json::parse(coordinator_->get("/api/v1/referrals/" + id).body)["status"], "new");
  EXPECT_EQ(count("referrals"), 1);
  EXPECT_EQ(app_->anonymous()->get("/api/v1/referrals").status, 401);
}

INSTANTIATE_TEST_SUITE_P(Engines, ReferralsApi, ::testing::ValuesIn(engines()));

}  // namespace
}  // namespace oploop::testing
