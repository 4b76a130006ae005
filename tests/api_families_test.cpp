// /api/v1/families against the real server on both engines: the waiting list, one family with
// its household, partial updates with their validation (life domains, availability slots,
// formal care, references inside the organisation), household members, and what a volunteer
// may (not) learn.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "i18n/catalogue.hpp"
#include "support/test_app.hpp"

namespace oploop::testing {
namespace {

using nlohmann::json;

std::string nl(const std::string& key) { return i18n::Catalogue::instance().text("nl", key); }

// 11:00 UTC ten days ago: whole days later it is still the same time of day in Amsterdam,
// so whole-day steps of the clock are whole calendar days whatever the season.
TimePoint ten_days_ago_at_eleven() {
  const auto today = std::chrono::floor<std::chrono::days>(std::chrono::system_clock::now());
  return today - std::chrono::days(10) + std::chrono::hours(11);
}

class FamiliesApi : public ::testing::TestWithParam<std::string> {
 protected:
  FamiliesApi() : clock_(ten_days_ago_at_eleven()) {}

  void SetUp() override {
    app_ = std::make_unique<TestApp>(GetParam(), TestAppOptions{.clock = &clock_});
    if (!app_->available()) GTEST_SKIP() << app_->skip_reason();
    coordinator_ = app_->client_as(app_->a, "coordinator");
  }

  std::string date_offset(int days) const {
    return amsterdam_date(clock_.now() + std::chrono::days(days));
  }

  // A referral of the client's organisation, accepted into a waiting family.
  std::string waiting_family(HttpClient& c, const std::string& name = "Anna Voorbeeld") {
    json body = {
        {"contact_name", name},
        {"postcode", "3511 AB"},
        {"house_number", "12"},
        {"reason", "Hulp bij de post"},
        {"consent", true},
        {"consent_date", date_offset(-1)},
        {"children_birth_years", {2016}},
        {"languages", {"nl", "tr"}},
        {"referrer", {{"name", "R"}, {"organisation", "CJG"}, {"email", "r@cjg.example"}}}};
    auto created = c.post_json("/api/v1/referrals", body.dump());
    EXPECT_EQ(created.status, 201) << created.body;
    const std::string id = json::parse(created.body).value("id", "");
    auto accepted = c.post_json("/api/v1/referrals/" + id + "/accept", "{}");
    EXPECT_EQ(accepted.status, 201) << accepted.body;
    return json::parse(accepted.body).value("id", "");
  }

  HttpResult patch(HttpClient& c, const std::string& id, const json& body) {
    return c.request("PATCH", "/api/v1/families/" + id, body.dump(),
                     {{"Content-Type", "application/json"}});
  }
  json show(const std::string& id) {
    auto r = coordinator_->get("/api/v1/families/" + id);
    EXPECT_EQ(r.status, 200) << r.body;
    return json::parse(r.body);
  }
  // The family as stored, minus the fields a test expects to change.
  json without(json family, std::initializer_list<const char*> fields) {
    family.erase("updated_at");
    for (const char* f : fields) family.erase(f);
    return family;
  }

  ManualClock clock_;
  std::unique_ptr<TestApp> app_;
  std::unique_ptr<HttpClient> coordinator_;
};

// --- lists and reading ----------------------------------------------------------------------

TEST_P(FamiliesApi, WaitingListIsOrderedByWaitingTimeWithDaysWaiting) {
  const auto longest = waiting_family(*coordinator_, "Eerste");
  clock_.advance(std::chrono::days(4));
  const auto middle = waiting_family(*coordinator_, "Tweede");
  clock_.advance(std::chrono::days(6));
  const auto newest = waiting_family(*coordinator_, "Derde");
  // A matched family is not on the waiting list (matching is a later module: set it directly).
  const auto matched = waiting_family(*coordinator_, "Gekoppeld");
  {
    auto conn = app_->db().acquire();
    conn->execute("UPDATE families SET status = 'matched' WHERE id = ?", {matched});
  }

  auto r = coordinator_->get("/api/v1/families?status=waiting");
  ASSERT_EQ(r.status, 200) << r.body;
  auto body = json::parse(r.body);
  EXPECT_EQ(body["next_cursor"], nullptr);
  const auto& items = body["items"];
  ASSERT_EQ(items.size(), 3u) << r.body;
  EXPECT_EQ(items[0]["id"], longest);
  EXPECT_EQ(items[1]["id"], middle);
  EXPECT_EQ(items[2]["id"], newest);
  EXPECT_EQ(items[0]["days_waiting"], 10);
  EXPECT_EQ(items[1]["days_waiting"], 6);
  EXPECT_EQ(items[2]["days_waiting"], 0);
  EXPECT_EQ(items[0]["waiting_since"], date_offset(-10));
  for (const auto& item : items) EXPECT_EQ(item["status"], "waiting");

  // Without the filter the matched one is there too; ?status=matched finds only it.
  EXPECT_EQ(json::parse(coordinator_->get("/api/v1/families").body)["items"].size(), 4u);
  auto only_matched = json::parse(coordinator_->get("/api/v1/families?status=matched").body);
  ASSERT_EQ(only_matched["items"].size(), 1u);
  EXPECT_EQ(only_matched["items"][0]["id"], matched);
  EXPECT_EQ(coordinator_->get("/api/v1/families?status=bogus").status, 422);

  // Paging one at a time keeps the order.
  std::vector<std::string> paged;
  std::string path = "/api/v1/families?status=waiting&limit=1";
  for (int guard = 0; guard < 10; ++guard) {
    auto page = json::parse(coordinator_->get(path).body);
    for (const auto& item : page["items"]) paged.push_back(item["id"]);
    if (page["next_cursor"].is_null()) break;
    path =
        "/api/v1/families?status=waiting&limit=1&cursor=" + page["next_cursor"].get<std::string>();
  }
  EXPECT_EQ(paged, (std::vector<std::string>{longest, middle, newest}));
}

TEST_P(FamiliesApi, OneFamilyWithItsMembers) {
  const auto id = waiting_family(*coordinator_);
  auto child = coordinator_->post_json(
      "/api/v1/families/" + id + "/members",
      json({{"first_name", "Noor"}, {"role", "child"}, {"birth_date", "2016-04-01"}}).dump());
  ASSERT_EQ(child.status, 201) << child.body;
  auto parent = coordinator_->post_json("/api/v1/families/" + id + "/members",
                                        R"({"first_name": "Anna", "role": "parent"})");
  ASSERT_EQ(parent.status, 201) << parent.body;

  auto f = show(id);
  EXPECT_EQ(f["id"], id);
  EXPECT_EQ(f["status"], "waiting");
  EXPECT_EQ(f["display_name"], "Anna Voorbeeld");
  EXPECT_EQ(f["postcode"], "3511 AB");
  EXPECT_EQ(f["languages"], json({"nl", "tr"}));
  for (const char* field : {"city", "needs", "wishes", "preferences", "formal_care",
                            "coordinator_id", "team_id", "waiting_since", "members"})
    EXPECT_TRUE(f.contains(field)) << field;
  ASSERT_EQ(f["members"].size(), 2u);
  // Parents first, then children.
  EXPECT_EQ(f["members"][0]["first_name"], "Anna");
  EXPECT_EQ(f["members"][0]["role"], "parent");
  EXPECT_EQ(f["members"][0]["birth_date"], nullptr);
  EXPECT_EQ(f["members"][1]["first_name"], "Noor");
  EXPECT_EQ(f["members"][1]["role"], "child");
  EXPECT_EQ(f["members"][1]["birth_date"], "2016-04-01");
  EXPECT_EQ(f["members"][1]["id"], json::parse(child.body)["id"]);
}

// --- partial update -------------------------------------------------------------------------

TEST_P(FamiliesApi, PatchChangesOnlyTheFieldsSent) {
  const auto id = waiting_family(*coordinator_);
  const auto before = show(id);

  auto r = patch(*coordinator_, id,
                 {{"wishes", "Meer rust in huis"}, {"needs", {"finances", "parenting"}}});
  ASSERT_EQ(r.status, 200) << r.body;
  auto after = json::parse(r.body);
  EXPECT_EQ(after["wishes"], "Meer rust in huis");
  EXPECT_EQ(after["needs"], json({"finances", "parenting"}));
  EXPECT_EQ(without(after, {"wishes", "needs"}), without(before, {"wishes", "needs"}));
  EXPECT_EQ(show(id), after);

  r = patch(*coordinator_, id,
            {{"preferences",
              {{"volunteer_gender", "female"},
               {"availability", {"mon_evening", "sat_morning", "wed_afternoon"}}}}});
  ASSERT_EQ(r.status, 200) << r.body;
  auto prefs = json::parse(r.body);
  EXPECT_EQ(prefs["preferences"]["volunteer_gender"], "female");
  EXPECT_EQ(prefs["preferences"]["availability"],
            json({"mon_evening", "sat_morning", "wed_afternoon"}));
  EXPECT_EQ(prefs["needs"], json({"finances", "parenting"}));  // kept from before
  EXPECT_EQ(without(prefs, {"preferences"}), without(after, {"preferences"}));

  r = patch(*coordinator_, id,
            {{"formal_care",
              {{{"agency", "Jeugdzorg Utrecht"}, {"contact", "J. Jansen"}, {"since", "2024-03-01"}},
               {{"agency", "Schuldhulp"}}}}});
  ASSERT_EQ(r.status, 200) << r.body;
  auto care = json::parse(r.body);
  ASSERT_EQ(care["formal_care"].size(), 2u);
  EXPECT_EQ(
      care["formal_care"][0],
      json({{"agency", "Jeugdzorg Utrecht"}, {"contact", "J. Jansen"}, {"since", "2024-03-01"}}));
  EXPECT_EQ(care["formal_care"][1]["agency"], "Schuldhulp");
  EXPECT_EQ(without(care, {"formal_care"}), without(prefs, {"formal_care"}));

  // An empty patch changes nothing.
  r = patch(*coordinator_, id, json::object());
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(without(json::parse(r.body), {}), without(care, {}));
}

TEST_P(FamiliesApi, EveryLifeDomainAndSlotIsAccepted) {
  const auto id = waiting_family(*coordinator_);
  const json domains = {"finances",
                        "housing",
                        "parenting",
                        "child_development",
                        "social_network",
                        "mental_wellbeing",
                        "physical_health",
                        "participation_work",
                        "language_selfreliance"};
  auto r = patch(*coordinator_, id, {{"needs", domains}});
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(json::parse(r.body)["needs"], domains);
  json slots = json::array();
  for (const char* day : {"mon", "tue", "wed", "thu", "fri", "sat", "sun"})
    for (const char* part : {"morning", "afternoon", "evening"})
      slots.push_back(std::string(day) + "_" + part);
  r = patch(*coordinator_, id, {{"preferences", {{"availability", slots}}}});
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(json::parse(r.body)["preferences"]["availability"], slots);
}

TEST_P(FamiliesApi, PatchValidationNamesTheFieldAndChangesNothing) {
  const auto id = waiting_family(*coordinator_);
  struct Case {
    const char* name;
    json body;
    const char* field;
  };
  const std::vector<Case> cases = {
      {"unknown domain", {{"needs", {"finances", "finance"}}}, "needs"},
      {"school is an activity, not a domain", {{"needs", {"school"}}}, "needs"},
      {"needs not a list", {{"needs", "finances"}}, "needs"},
      {"slot monday_evening",
       {{"preferences", {{"availability", {"monday_evening"}}}}},
       "preferences.availability"},
      {"slot mon_night",
       {{"preferences", {{"availability", {"mon_night"}}}}},
       "preferences.availability"},
      {"slot mon", {{"preferences", {{"availability", {"mon"}}}}}, "preferences.availability"},
      {"gender",
       {{"preferences", {{"volunteer_gender", "robot"}}}},
       "preferences.volunteer_gender"},
      {"formal care without agency",
       {{"formal_care", {{{"contact", "J. Jansen"}}}}},
       "formal_care"},
      {"formal care bad date",
       {{"formal_care", {{{"agency", "X"}, {"since", "2024-13-01"}}}}},
       "formal_care"},
      {"formal care not a list", {{"formal_care", "Jeugdzorg"}}, "formal_care"},
      {"language", {{"languages", {"nl", "xx"}}}, "languages"},
      {"postcode", {{"postcode", "12345"}}, "postcode"},
      {"house number", {{"house_number", "abc"}}, "house_number"},
      {"blank display name", {{"display_name", " "}}, "display_name"},
      {"coordinator is a volunteer",
       {{"coordinator_id", app_->a.users.at("volunteer").id}},
       "coordinator_id"},
      {"coordinator is the project lead",
       {{"coordinator_id", app_->a.users.at("project_lead").id}},
       "coordinator_id"},
      {"coordinator of another organisation",
       {{"coordinator_id", app_->b.users.at("coordinator").id}},
       "coordinator_id"},
      {"coordinator that does not exist",
       {{"coordinator_id", "nobody000000000000000000"}},
       "coordinator_id"},
      {"team of another organisation", {{"team_id", app_->b.team_id}}, "team_id"},
      {"team that does not exist", {{"team_id", "noteam00000000000000000000"}}, "team_id"},
  };
  const auto before = show(id);
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    auto r = patch(*coordinator_, id, c.body);
    ASSERT_EQ(r.status, 422) << r.body;
    EXPECT_EQ(r.header("Content-Type").value_or("").rfind("application/problem+json", 0), 0u);
    auto errors = json::parse(r.body)["errors"];
    EXPECT_TRUE(errors.contains(c.field)) << r.body;
    EXPECT_EQ(show(id), before);
  }
}

TEST_P(FamiliesApi, CoordinatorReferencesStayInsideTheOrganisation) {
  const auto id = waiting_family(*coordinator_);
  EXPECT_EQ(show(id)["coordinator_id"], app_->a.users.at("coordinator").id);
  // Another coordinator of the same organisation may take over.
  const auto other = app_->a.users.at("other_coordinator").id;
  auto r = patch(*coordinator_, id, {{"coordinator_id", other}});
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(json::parse(r.body)["coordinator_id"], other);
  // null clears it; leaving it out leaves it alone.
  r = patch(*coordinator_, id, {{"coordinator_id", nullptr}});
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(json::parse(r.body)["coordinator_id"], nullptr);
  r = patch(*coordinator_, id, {{"coordinator_id", other}});
  ASSERT_EQ(r.status, 200);
  r = patch(*coordinator_, id, {{"wishes", "Iets anders"}});
  EXPECT_EQ(json::parse(r.body)["coordinator_id"], other);
  EXPECT_EQ(show(id)["coordinator_id"], other);
  // The project lead moves the family to the other team of the organisation.
  auto lead = app_->client_as(app_->a, "project_lead");
  r = patch(*lead, id, {{"team_id", app_->a.other_team_id}});
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(json::parse(r.body)["team_id"], app_->a.other_team_id);
}

// --- household members ----------------------------------------------------------------------

TEST_P(FamiliesApi, AddMember) {
  const auto id = waiting_family(*coordinator_);
  auto r = coordinator_->post_json(
      "/api/v1/families/" + id + "/members",
      R"({"first_name": " Sami ", "role": "other", "birth_date": "1950-06-30"})");
  ASSERT_EQ(r.status, 201) << r.body;
  auto m = json::parse(r.body);
  ASSERT_TRUE(m["id"].is_string());
  EXPECT_FALSE(m["id"].get<std::string>().empty());
  EXPECT_EQ(m["first_name"], "Sami");
  EXPECT_EQ(m["role"], "other");
  EXPECT_EQ(m["birth_date"], "1950-06-30");
  // Born today is fine.
  r = coordinator_->post_json(
      "/api/v1/families/" + id + "/members",
      json({{"first_name", "Baby"}, {"role", "child"}, {"birth_date", date_offset(0)}}).dump());
  EXPECT_EQ(r.status, 201) << r.body;
  EXPECT_EQ(show(id)["members"].size(), 2u);
}

TEST_P(FamiliesApi, AddMemberValidation) {
  const auto id = waiting_family(*coordinator_);
  struct Case {
    const char* name;
    json body;
    const char* field;
    const char* key;
  };
  const std::vector<Case> cases = {
      {"no first name", {{"role", "child"}}, "first_name", "validation.required"},
      {"blank first name",
       {{"first_name", "  "}, {"role", "child"}},
       "first_name",
       "validation.required"},
      {"role uncle", {{"first_name", "Ali"}, {"role", "uncle"}}, "role", "validation.choice"},
      {"no role", {{"first_name", "Ali"}}, "role", "validation.choice"},
      {"born tomorrow",
       {{"first_name", "Ali"}, {"role", "child"}, {"birth_date", date_offset(1)}},
       "birth_date",
       "validation.date_range"},
      {"born next year",
       {{"first_name", "Ali"}, {"role", "child"}, {"birth_date", date_offset(400)}},
       "birth_date",
       "validation.date_range"},
      {"no such day",
       {{"first_name", "Ali"}, {"role", "child"}, {"birth_date", "2020-02-30"}},
       "birth_date",
       "validation.date"},
      {"dutch date",
       {{"first_name", "Ali"}, {"role", "child"}, {"birth_date", "01-02-2020"}},
       "birth_date",
       "validation.date"},
      {"name a number",
       {{"first_name", 7}, {"role", "child"}},
       "first_name",
       "validation.type_string"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    auto r = coordinator_->post_json("/api/v1/families/" + id + "/members", c.body.dump());
    ASSERT_EQ(r.status, 422) << r.body;
    auto errors = json::parse(r.body)["errors"];
    ASSERT_TRUE(errors.contains(c.field)) << r.body;
    EXPECT_EQ(errors[c.field], nl(c.key));
  }
  EXPECT_TRUE(show(id)["members"].empty());
  EXPECT_EQ(coordinator_->post_json("/api/v1/families/" + id + "/members", "[]").status, 400);
}

// --- who may ----------------------------------------------------------------------------------

TEST_P(FamiliesApi, VolunteerLearnsNothingAboutFamiliesOutsideTheirMatches) {
  const auto id = waiting_family(*coordinator_);
  const std::string missing = "doesnotexist000000000000000";
  auto volunteer = app_->client_as(app_->a, "volunteer");

  // Reading: the same 404 as for a family that does not exist (SPEC §1: no match, no family).
  auto r = volunteer->get("/api/v1/families/" + id);
  EXPECT_EQ(r.status, 404) << r.body;
  auto gone = volunteer->get("/api/v1/families/" + missing);
  EXPECT_EQ(gone.status, 404);
  EXPECT_EQ(json::parse(r.body), json::parse(gone.body));
  // The list is empty, not 403 and not the team's families.
  auto list = volunteer->get("/api/v1/families");
  ASSERT_EQ(list.status, 200) << list.body;
  EXPECT_TRUE(json::parse(list.body)["items"].empty());
  EXPECT_TRUE(json::parse(volunteer->get("/api/v1/families?status=waiting").body)["items"].empty());

  // Writing is not a volunteer's right at all: 403 at the route, whether the family exists
  // or not, so the answer tells nothing either.
  auto p = patch(*volunteer, id, {{"wishes", "Gewijzigd door vrijwilliger"}});
  EXPECT_EQ(p.status, 403) << p.body;
  EXPECT_EQ(patch(*volunteer, missing, {{"wishes", "x"}}).status, 403);
  EXPECT_EQ(volunteer
                ->post_json("/api/v1/families/" + id + "/members",
                            R"({"first_name": "X", "role": "child"})")
                .status,
            403);
  auto f = show(id);
  EXPECT_EQ(f["wishes"], "");
  EXPECT_TRUE(f["members"].empty());
}

TEST_P(FamiliesApi, OtherTeamAndOtherOrganisation) {
  const auto id = waiting_family(*coordinator_);
  const auto before = show(id);
  auto other = app_->client_as(app_->a, "other_coordinator");
  EXPECT_EQ(other->get("/api/v1/families/" + id).status, 403);
  EXPECT_EQ(patch(*other, id, {{"wishes", "x"}}).status, 403);
  EXPECT_EQ(other
                ->post_json("/api/v1/families/" + id + "/members",
                            R"({"first_name": "X", "role": "child"})")
                .status,
            403);
  // The other team's coordinator does not see it in the list either.
  const auto list = json::parse(other->get("/api/v1/families").body);
  for (const auto& item : list["items"]) EXPECT_NE(item["id"], id);
  auto b = app_->client_as(app_->b, "project_lead");
  EXPECT_EQ(b->get("/api/v1/families/" + id).status, 404);
  EXPECT_EQ(patch(*b, id, {{"wishes", "x"}}).status, 404);
  EXPECT_EQ(
      b->post_json("/api/v1/families/" + id + "/members", R"({"first_name": "X", "role": "child"})")
          .status,
      404);
  EXPECT_TRUE(json::parse(b->get("/api/v1/families").body)["items"].empty());
  for (const char* who : {"foundation", "admin"})
    EXPECT_EQ(app_->client_as(app_->a, who)->get("/api/v1/families/" + id).status, 403) << who;
  EXPECT_EQ(show(id), before);
}

INSTANTIATE_TEST_SUITE_P(Engines, FamiliesApi, ::testing::ValuesIn(engines()));

}  // namespace
}  // namespace oploop::testing
