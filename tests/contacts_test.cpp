// Walking along (SPEC §2.6) on both engines: logging contacts through /api/v1 (every field
// validated and named, outside office hours derived, drafts), the volunteer's 7-day correction
// window on a controlled clock with the history of corrections, the coordinator's "gezien" mark
// and reply as the volunteer sees it, who may see what (own match, other team, other
// organisation), the access log, and the volunteer's phone pages: the home card, the preset
// form (two taps), the list and the correction page.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <fstream>
#include <set>
#include <sstream>
#include <thread>

#include "auth/accounts.hpp"
#include "auth/tokens.hpp"
#include "contacts/contact.hpp"
#include "core/resources.hpp"
#include "support/api_data.hpp"
#include "support/test_app.hpp"

namespace oploop::testing {
namespace {

using nlohmann::json;

// Matches are made on Monday 5 January 2026; the tests then run on Tuesday 3 February 2026,
// 11:00 UTC = 12:00 in Amsterdam. 31 January is a Saturday, 2 February a Monday.
const std::string kStartDay = "2026-01-05";
TimePoint setup_time() { return parse_rfc3339("2026-01-05T09:00:00Z"); }
TimePoint test_now() { return parse_rfc3339("2026-02-03T11:00:00Z"); }
const std::string kToday = "2026-02-03";
const std::string kSaturday = "2026-01-31";
const std::string kMonday = "2026-02-02";

const json kScreened = {{"intake_on", "2025-01-10"},
                        {"vog_issued_on", "2025-01-15"},
                        {"training_completed_on", "2025-01-20"},
                        {"code_signed_on", "2025-01-21"}};

bool contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

json parse(const HttpResult& r) {
  auto j = json::parse(r.body, nullptr, false);
  return j.is_discarded() ? json::object() : j;
}

class ContactsApi : public ::testing::TestWithParam<std::string> {
 protected:
  ContactsApi() : clock_(test_now()) {}

  void SetUp() override {
    app_ = std::make_unique<TestApp>(GetParam(), TestAppOptions{.clock = &clock_});
    if (!app_->available()) GTEST_SKIP() << app_->skip_reason();
    coordinator_ = app_->client_as(app_->a, "coordinator");
    volunteer_ = app_->client_as(app_->a, "volunteer");
  }

  // --- building matches (on 5 January) ---

  std::string available_volunteer(const std::string& user_id, HttpClient& as) {
    json body = {{"first_name", "Vera"},
                 {"last_name", "Vrijwilliger " + std::to_string(++counter_)},
                 {"postcode", "3511 AB"},
                 {"languages", {"nl"}}};
    if (!user_id.empty()) body["user_id"] = user_id;
    auto r = as.post_json("/api/v1/volunteers", body.dump());
    EXPECT_EQ(r.status, 201) << r.body;
    const std::string id = parse(r).value("id", "");
    const std::string base = "/api/v1/volunteers/" + id;
    EXPECT_EQ(as.request("PUT", base + "/screening", kScreened.dump(),
                         {{"Content-Type", "application/json"}})
                  .status,
              200);
    EXPECT_EQ(as.post_json(base + "/transition", R"({"to": "screening"})").status, 200);
    EXPECT_EQ(as.post_json(base + "/transition", R"({"to": "available"})").status, 200);
    return id;
  }
  std::string waiting_family(HttpClient& as, const std::string& name) {
    return testing::waiting_family(as, name, {{"consent_date", "2026-01-02"}});
  }
  void move(HttpClient& as, const std::string& match, const std::string& to,
            const std::string& reason = "") {
    json body = {{"to", to}, {"date", kStartDay}};
    if (!reason.empty()) body["reason"] = reason;
    auto r = as.post_json("/api/v1/matches/" + match + "/transition", body.dump());
    EXPECT_EQ(r.status, 200) << r.body;
  }
  // A match of the volunteer with account `user_id` (or none) and a new family, introduced on
  // 5 January and then brought to `state`; made by `as` (default: the coordinator of org a).
  std::string match_for(const std::string& user_id, const std::string& state = "active",
                        HttpClient* as = nullptr, const std::string& family_name = "") {
    HttpClient& c = as ? *as : *coordinator_;
    clock_.set(setup_time());
    const auto family = waiting_family(
        c, family_name.empty() ? "Gezin " + std::to_string(++counter_) : family_name);
    const auto volunteer = available_volunteer(user_id, c);
    auto r = c.post_json("/api/v1/matches",
                         json({{"family_id", family}, {"volunteer_id", volunteer}}).dump());
    EXPECT_EQ(r.status, 201) << r.body;
    const std::string m = parse(r).value("id", "");
    if (state == "closed") {
      move(c, m, "closed", "other");
    } else if (state != "proposed") {
      for (const std::string step : {"introduction", "active", "stepping_down"}) {
        move(c, m, step);
        if (state == step) break;
      }
    }
    clock_.set(test_now());
    return m;
  }
  std::string my_match(const std::string& state = "active", const std::string& family = "") {
    return match_for(app_->a.users.at("volunteer").id, state, nullptr, family);
  }

  // A second volunteer account of organisation a, with a token.
  std::unique_ptr<HttpClient> second_volunteer(std::string* user_id) {
    auto conn = app_->db().acquire();
    auto user = auth::create_user(*conn, clock_,
                                  {app_->a.id,
                                   auth::Role::volunteer,
                                   "tweede@org-a.test",
                                   "Tweede Vrijwilliger",
                                   {app_->a.team_id},
                                   std::nullopt});
    EXPECT_TRUE(user.has_value());
    *user_id = user->id;
    auto c = std::make_unique<HttpClient>(app_->base_url());
    c->set_bearer(auth::create_token(*conn, clock_, user->id, "test", 90)->secret);
    return c;
  }

  // --- contacts ---

  json valid(const json& overrides = json::object()) {
    json body = {{"date", kToday}, {"minutes", 60}, {"kind", "visit"}};
    body.update(overrides);
    return body;
  }
  HttpResult log(const std::string& match, const json& body, HttpClient* as = nullptr) {
    return (as ? *as : *volunteer_)
        .post_json("/api/v1/matches/" + match + "/contacts", body.dump());
  }
  json logged(const std::string& match, const json& body, HttpClient* as = nullptr) {
    auto r = log(match, body, as);
    EXPECT_EQ(r.status, 201) << r.body;
    return parse(r);
  }
  HttpResult patch(const std::string& contact, const json& body, HttpClient* as = nullptr) {
    return (as ? *as : *volunteer_)
        .request("PATCH", "/api/v1/contacts/" + contact, body.dump(),
                 {{"Content-Type", "application/json"}});
  }
  json errors_of(const HttpResult& r) {
    EXPECT_EQ(r.status, 422) << r.body;
    return parse(r).value("errors", json::object());
  }
  std::int64_t contact_count() { return scalar(app_->db(), "SELECT COUNT(*) FROM contacts"); }
  std::int64_t log_rows(const std::string& event, const std::string& object_id,
                        const std::string& outcome) {
    return scalar(app_->db(),
                  "SELECT COUNT(*) FROM access_log WHERE event = ? AND object_type = 'contact' "
                  "AND object_id = ? AND outcome = ?",
                  {event, object_id, outcome});
  }

  ManualClock clock_;
  std::unique_ptr<TestApp> app_;
  std::unique_ptr<HttpClient> coordinator_;
  std::unique_ptr<HttpClient> volunteer_;
  int counter_ = 0;
};

// --- logging ----------------------------------------------------------------------------------

TEST_P(ContactsApi, AVolunteerLogsAContactOnTheirMatchAndReadsItBack) {
  const auto m = my_match();
  auto r = log(m, valid({{"time", "14:30"},
                         {"activities", {"school", "administration", "school"}},
                         {"note", "  Samen de post doorgenomen.  "}}));
  ASSERT_EQ(r.status, 201) << r.body;
  const json c = parse(r);
  const std::string id = c["id"];
  EXPECT_EQ(r.header("Location").value_or(""), "/api/v1/contacts/" + id);
  EXPECT_EQ(c["match_id"], m);
  EXPECT_EQ(c["status"], "final");
  EXPECT_EQ(c["date"], kToday);
  EXPECT_EQ(c["minutes"], 60);
  EXPECT_EQ(c["kind"], "visit");
  EXPECT_EQ(c["time"], "14:30");
  EXPECT_EQ(c["outside_office_hours"], false);
  // Each once, in the catalogue's order; the note trimmed.
  EXPECT_EQ(c["activities"], json({"administration", "school"}));
  EXPECT_EQ(c["note"], "Samen de post doorgenomen.");
  EXPECT_EQ(c["created_by"], app_->a.users.at("volunteer").id);
  EXPECT_EQ(c["created_at"], "2026-02-03T11:00:00Z");
  EXPECT_EQ(c["seen"], false);
  EXPECT_TRUE(c["reply"].is_null());

  auto one = volunteer_->get("/api/v1/contacts/" + id);
  ASSERT_EQ(one.status, 200) << one.body;
  EXPECT_EQ(parse(one)["revisions"], json::array());
  auto listed = volunteer_->get("/api/v1/matches/" + m + "/contacts");
  ASSERT_EQ(listed.status, 200) << listed.body;
  ASSERT_EQ(parse(listed)["items"].size(), 1u);
  EXPECT_EQ(parse(listed)["items"][0], c);
  EXPECT_TRUE(parse(listed)["next_cursor"].is_null());
  // The coordinator of the team and the project lead see it too.
  EXPECT_EQ(coordinator_->get("/api/v1/contacts/" + id).status, 200);
  EXPECT_EQ(app_->client_as(app_->a, "project_lead")->get("/api/v1/contacts/" + id).status, 200);
}

TEST_P(ContactsApi, EveryFieldIsValidatedAndNamed) {
  const auto m = my_match();
  // All wrong at once: each field named.
  auto all = log(m, {{"status", "done"},
                     {"date", "2026-02-30"},
                     {"minutes", 0},
                     {"kind", "walk"},
                     {"time", "25:00"},
                     {"activities", {"school", "cooking"}},
                     {"note", std::string(1001, 'x')}});
  const auto e = errors_of(all);
  for (const char* field : {"status", "date", "minutes", "kind", "time", "activities", "note"})
    EXPECT_TRUE(e.contains(field)) << field << " " << all.body;
  EXPECT_EQ(e["minutes"], "Vul een aantal minuten in van 1 tot en met 600.");
  EXPECT_EQ(e["note"], "De notitie is te lang: hoogstens 1000 tekens.");

  struct Case {
    json body;
    std::string field;
    std::string message;  // "" when any message will do
  };
  const std::vector<Case> cases = {
      {{{"minutes", 60}, {"kind", "visit"}}, "date", "Vul dit veld in."},
      {valid({{"date", "3-2-2026"}}), "date", ""},
      {valid({{"date", "2026-02-04"}}), "date", "Deze datum ligt in de toekomst."},
      {valid({{"date", "2026-01-04"}}), "date", "Deze datum ligt voor het begin van de koppeling."},
      {valid({{"minutes", 601}}), "minutes", ""},
      {valid({{"minutes", -5}}), "minutes", ""},
      {valid({{"minutes", 1.5}}), "minutes", ""},
      {valid({{"minutes", 99999999999LL}}), "minutes", ""},
      {valid({{"minutes", "60"}}), "minutes", "Verwacht een heel getal."},
      {{{"date", kToday}, {"kind", "visit"}},
       "minutes",
       "Vul in hoeveel minuten het contact duurde."},
      {{{"date", kToday}, {"minutes", 30}}, "kind", "Kies de soort contact."},
      {valid({{"kind", "Visit"}}), "kind", ""},
      {valid({{"time", "7:30"}}), "time", "Vul een tijd in zoals 14:30."},
      {valid({{"time", "12:60"}}), "time", ""},
      {valid({{"time", 1230}}), "time", ""},
      {valid({{"outside_office_hours", "yes"}}), "outside_office_hours", ""},
      {valid({{"activities", "school"}}), "activities", ""},
      {valid({{"activities", {"finances", "cooking"}}}), "activities", ""},
      {valid({{"note", "kapot\x01teken"}}), "note", ""},
      {valid({{"status", "half"}}), "status", ""},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.body.dump());
    auto r = log(m, c.body);
    const auto errors = errors_of(r);
    ASSERT_TRUE(errors.contains(c.field)) << r.body;
    EXPECT_EQ(errors.size(), 1u) << r.body;
    if (!c.message.empty()) {
      EXPECT_EQ(errors[c.field], c.message);
    }
  }
  EXPECT_EQ(contact_count(), 0);  // nothing half-saved
  // The limits themselves are fine.
  logged(m, valid({{"minutes", 1}, {"date", kStartDay}}));
  logged(m, valid({{"minutes", 600}, {"note", std::string(1000, 'y')}, {"time", "00:00"}}));
  logged(m, valid({{"time", "23:59"}}));
  EXPECT_EQ(contact_count(), 3);
  // Malformed JSON is a 400, not a crash.
  EXPECT_EQ(volunteer_->post_json("/api/v1/matches/" + m + "/contacts", "{\"date\":").status, 400);
}

TEST_P(ContactsApi, OutsideOfficeHoursFollowsFromTheTimeAndTheWeekday) {
  const auto m = my_match();
  struct Case {
    json fields;
    bool outside;
  };
  const std::vector<Case> cases = {
      {{{"date", kMonday}, {"time", "19:00"}}, true},
      {{{"date", kMonday}, {"time", "10:00"}}, false},
      {{{"date", kSaturday}, {"time", "10:00"}}, true},
      {{{"date", kMonday}, {"time", "07:59"}}, true},
      {{{"date", kMonday}, {"time", "08:00"}}, false},
      {{{"date", kMonday}, {"time", "17:59"}}, false},
      {{{"date", kMonday}, {"time", "18:00"}}, true},
      // The time decides over what is sent.
      {{{"date", kMonday}, {"time", "19:00"}, {"outside_office_hours", false}}, true},
      {{{"date", kMonday}, {"time", "10:00"}, {"outside_office_hours", true}}, false},
      // Without a time: what is sent (default no), and a weekend day always is.
      {{{"date", kMonday}}, false},
      {{{"date", kMonday}, {"outside_office_hours", true}}, true},
      {{{"date", kSaturday}}, true},
      {{{"date", "2026-02-01"}, {"outside_office_hours", false}}, true},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.fields.dump());
    EXPECT_EQ(logged(m, valid(c.fields))["outside_office_hours"], c.outside);
  }
  // The rule itself, without the API.
  EXPECT_TRUE(contacts::outside_office_hours("2026-02-02", "19:00"));
  EXPECT_FALSE(contacts::outside_office_hours("2026-02-02", "10:00"));
  EXPECT_TRUE(contacts::outside_office_hours("2026-01-31", "10:00"));
  EXPECT_TRUE(contacts::is_weekend("2026-02-01"));
  EXPECT_FALSE(contacts::is_weekend("2026-02-06"));
  for (const std::string bad : {"", "7:30", "24:00", "12:60", "12-30", "12:3a", "123:00"})
    EXPECT_FALSE(contacts::is_valid_time(bad)) << bad;
}

TEST_P(ContactsApi, AHalfFilledContactIsKeptAsADraft) {
  const auto m = my_match();
  auto draft = logged(m, {{"status", "draft"}, {"date", kToday}, {"note", "Nog aanvullen"}});
  EXPECT_EQ(draft["status"], "draft");
  EXPECT_TRUE(draft["minutes"].is_null());
  EXPECT_TRUE(draft["kind"].is_null());
  // A draft still checks what it holds.
  EXPECT_TRUE(errors_of(log(m, {{"status", "draft"}, {"date", kToday}, {"minutes", 0}}))
                  .contains("minutes"));
  EXPECT_TRUE(errors_of(log(m, {{"status", "draft"}, {"minutes", 30}})).contains("date"));
  auto drafts = parse(volunteer_->get("/api/v1/matches/" + m + "/contacts?status=draft"));
  ASSERT_EQ(drafts["items"].size(), 1u);
  EXPECT_EQ(drafts["items"][0]["id"], draft["id"]);
  EXPECT_EQ(volunteer_->get("/api/v1/matches/" + m + "/contacts?status=maybe").status, 422);

  // Finishing it needs the duration and the kind.
  const std::string id = draft["id"];
  auto incomplete = patch(id, {{"status", "final"}, {"minutes", 45}});
  EXPECT_EQ(errors_of(incomplete).size(), 1u);
  EXPECT_TRUE(errors_of(incomplete).contains("kind"));
  auto done = patch(id, {{"status", "final"}, {"minutes", 45}, {"kind", "phone"}});
  ASSERT_EQ(done.status, 200) << done.body;
  EXPECT_EQ(parse(done)["status"], "final");
  EXPECT_EQ(parse(done)["note"], "Nog aanvullen");
  // A final contact stays final, and keeps its duration.
  EXPECT_EQ(patch(id, {{"status", "draft"}}).status, 409);
  EXPECT_TRUE(errors_of(patch(id, {{"minutes", nullptr}})).contains("minutes"));
}

// --- corrections ------------------------------------------------------------------------------

TEST_P(ContactsApi, AVolunteerCorrectsTheirOwnContactForSevenDays) {
  const auto m = my_match();
  const std::string id = logged(m, valid({{"note", "Eerste versie"}}))["id"];
  // Day 7 (10 February, 21:00 in Amsterdam): still theirs to correct.
  clock_.set(parse_rfc3339("2026-02-10T20:00:00Z"));
  auto day7 = patch(id, {{"minutes", 90}, {"note", "Tweede versie"}});
  ASSERT_EQ(day7.status, 200) << day7.body;
  const json corrected = parse(day7);
  EXPECT_EQ(corrected["minutes"], 90);
  EXPECT_EQ(corrected["note"], "Tweede versie");
  EXPECT_EQ(corrected["kind"], "visit");  // not sent: unchanged
  EXPECT_EQ(corrected["updated_at"], "2026-02-10T20:00:00Z");
  ASSERT_EQ(corrected["revisions"].size(), 1u);
  const json rev = corrected["revisions"][0];
  EXPECT_EQ(rev["changed_by"], app_->a.users.at("volunteer").id);
  EXPECT_EQ(rev["changed_at"], "2026-02-10T20:00:00Z");
  EXPECT_EQ(rev["previous"]["minutes"], 60);
  EXPECT_EQ(rev["previous"]["note"], "Eerste versie");

  // 23:30 UTC on 10 February is already 11 February (00:30) in Amsterdam: day 8, too old —
  // though still day 7 by the UTC date.
  clock_.set(parse_rfc3339("2026-02-10T23:30:00Z"));
  EXPECT_EQ(patch(id, {{"minutes", 120}}).status, 409);

  // Day 8 (11 February, 08:00 in Amsterdam): too old, nothing changes.
  clock_.set(parse_rfc3339("2026-02-11T07:00:00Z"));
  auto day8 = patch(id, {{"minutes", 120}});
  ASSERT_EQ(day8.status, 409) << day8.body;
  EXPECT_TRUE(contains(parse(day8).value("detail", ""), "te oud om te wijzigen")) << day8.body;
  EXPECT_EQ(parse(coordinator_->get("/api/v1/contacts/" + id))["minutes"], 90);
  EXPECT_EQ(scalar(app_->db(),
                   "SELECT COUNT(*) FROM access_log WHERE event = 'update' AND object_id = ? "
                   "AND outcome = 'denied' AND details = 'too_old'",
                   {id}),
            2);

  // The coordinator may still correct it; the history grows, oldest first.
  auto by_coordinator = patch(id, {{"minutes", 75}}, coordinator_.get());
  ASSERT_EQ(by_coordinator.status, 200) << by_coordinator.body;
  const json history = parse(by_coordinator)["revisions"];
  ASSERT_EQ(history.size(), 2u);
  EXPECT_EQ(history[1]["changed_by"], app_->a.users.at("coordinator").id);
  EXPECT_EQ(history[1]["previous"]["minutes"], 90);
  EXPECT_EQ(scalar(app_->db(), "SELECT COUNT(*) FROM contact_revisions WHERE contact_id = ?", {id}),
            2);
  // A correction that changes nothing writes no history.
  ASSERT_EQ(patch(id, {{"minutes", 75}}, coordinator_.get()).status, 200);
  EXPECT_EQ(scalar(app_->db(), "SELECT COUNT(*) FROM contact_revisions WHERE contact_id = ?", {id}),
            2);
}

TEST_P(ContactsApi, ACorrectionIsValidatedLikeANewContact) {
  const auto m = my_match();
  const std::string id = logged(m, valid({{"date", kMonday}, {"time", "10:00"}}))["id"];
  EXPECT_TRUE(errors_of(patch(id, {{"date", "2026-02-04"}})).contains("date"));
  EXPECT_TRUE(errors_of(patch(id, {{"date", "2025-12-31"}})).contains("date"));
  EXPECT_TRUE(errors_of(patch(id, {{"minutes", 700}})).contains("minutes"));
  EXPECT_TRUE(errors_of(patch(id, {{"kind", "fax"}})).contains("kind"));
  EXPECT_TRUE(errors_of(patch(id, {{"time", "noon"}})).contains("time"));
  EXPECT_TRUE(errors_of(patch(id, {{"activities", {"nope"}}})).contains("activities"));
  EXPECT_TRUE(errors_of(patch(id, {{"note", std::string(1001, 'n')}})).contains("note"));
  // A new time moves the flag with it; clearing the time keeps what was derived.
  auto evening = patch(id, {{"time", "20:15"}});
  ASSERT_EQ(evening.status, 200) << evening.body;
  EXPECT_EQ(parse(evening)["outside_office_hours"], true);
  auto no_time = patch(id, {{"time", nullptr}, {"outside_office_hours", false}});
  ASSERT_EQ(no_time.status, 200) << no_time.body;
  EXPECT_TRUE(parse(no_time)["time"].is_null());
  EXPECT_EQ(parse(no_time)["outside_office_hours"], false);
  EXPECT_EQ(patch("doesnotexist00000000000000", {{"minutes", 5}}).status, 404);
}

TEST_P(ContactsApi, AVolunteerCannotCorrectWhatTheCoordinatorLogged) {
  const auto m = my_match();
  const std::string id = logged(m, valid(), coordinator_.get())["id"];
  EXPECT_EQ(volunteer_->get("/api/v1/contacts/" + id).status, 200);  // on their match: visible
  EXPECT_EQ(patch(id, {{"minutes", 10}}).status, 403);
  EXPECT_EQ(parse(coordinator_->get("/api/v1/contacts/" + id))["minutes"], 60);
}

// --- the coordinator's reaction ---------------------------------------------------------------

TEST_P(ContactsApi, TheVolunteerSeesTheGezienMarkAndTheReply) {
  const auto m = my_match();
  const std::string id = logged(m, valid())["id"];
  const std::string path = "/api/v1/contacts/" + id + "/seen";
  // The volunteer cannot mark their own contact.
  EXPECT_EQ(volunteer_->post_json(path, "{}").status, 403);
  EXPECT_EQ(
      errors_of(coordinator_->post_json(path, json({{"reply", std::string(501, 'r')}}).dump()))
          .count("reply"),
      1u);
  clock_.advance(std::chrono::hours(2));
  auto seen = coordinator_->post_json(path, json({{"reply", "Goed dat je er was!"}}).dump());
  ASSERT_EQ(seen.status, 200) << seen.body;
  auto mine = parse(volunteer_->get("/api/v1/contacts/" + id));
  EXPECT_EQ(mine["seen"], true);
  EXPECT_EQ(mine["seen_by"], app_->a.users.at("coordinator").id);
  EXPECT_EQ(mine["seen_by_name"], "Test coordinator");
  EXPECT_EQ(mine["seen_at"], "2026-02-03T13:00:00Z");
  EXPECT_EQ(mine["reply"], "Goed dat je er was!");
  // Marking again without a reply keeps the reply (see AGezienMarkWithoutAReplyKeepsTheReply).
  ASSERT_EQ(coordinator_->post_json(path, "").status, 200);
  EXPECT_EQ(parse(volunteer_->get("/api/v1/contacts/" + id))["reply"], "Goed dat je er was!");
  EXPECT_EQ(parse(volunteer_->get("/api/v1/contacts/" + id))["seen"], true);
  EXPECT_EQ(
      coordinator_->post_json("/api/v1/contacts/nothere0000000000000000000/seen", "{}").status,
      404);
}

// --- only running matches ---------------------------------------------------------------------

TEST_P(ContactsApi, ContactsOnlyOnARunningMatch) {
  for (const std::string state : {"introduction", "active", "stepping_down"}) {
    SCOPED_TRACE(state);
    EXPECT_EQ(log(my_match(state), valid()).status, 201);
  }
  for (const std::string state : {"proposed", "closed"}) {
    SCOPED_TRACE(state);
    const auto m = my_match(state);
    auto r = log(m, valid(), coordinator_.get());
    EXPECT_EQ(r.status, 409) << r.body;
    // Not the volunteer's (any more): as if it did not exist.
    EXPECT_EQ(log(m, valid()).status, 404);
    EXPECT_EQ(volunteer_->get("/api/v1/matches/" + m + "/contacts").status, 404);
  }
  // Once closed, the contacts stay readable for staff, no longer for the volunteer, and no
  // longer take a "gezien" mark.
  const auto m = my_match();
  const std::string id = logged(m, valid())["id"];
  move(*coordinator_, m, "closed", "goals_reached");
  EXPECT_EQ(coordinator_->get("/api/v1/contacts/" + id).status, 200);
  EXPECT_EQ(volunteer_->get("/api/v1/contacts/" + id).status, 404);
  EXPECT_EQ(coordinator_->post_json("/api/v1/contacts/" + id + "/seen", "{}").status, 409);
  EXPECT_EQ(log(m, valid(), coordinator_.get()).status, 409);
}

// --- who may see what -------------------------------------------------------------------------

TEST_P(ContactsApi, AVolunteerSeesNothingOfAnotherVolunteersMatch) {
  std::string other_user;
  auto other = second_volunteer(&other_user);
  const auto theirs = match_for(other_user, "active", nullptr, "Familie Ander");
  const auto mine = my_match("active", "Familie Mijn");
  const std::string their_contact = logged(theirs, valid(), other.get())["id"];
  const auto before = contact_count();

  auto missing = volunteer_->get("/api/v1/contacts/doesnotexist00000000000000");
  ASSERT_EQ(missing.status, 404);
  for (const auto& r :
       {volunteer_->get("/api/v1/matches/" + theirs + "/contacts"), log(theirs, valid()),
        volunteer_->get("/api/v1/contacts/" + their_contact),
        patch(their_contact, {{"minutes", 5}}),
        volunteer_->post_json("/api/v1/contacts/" + their_contact + "/seen", "{}")}) {
    EXPECT_EQ(r.status, 404) << r.body;
    EXPECT_EQ(parse(r)["title"], parse(missing)["title"]);
    EXPECT_FALSE(contains(r.body, "Familie Ander"));
  }
  EXPECT_EQ(contact_count(), before);
  // Their own list holds only their own.
  logged(mine, valid());
  auto listed = parse(volunteer_->get("/api/v1/matches/" + mine + "/contacts"));
  ASSERT_EQ(listed["items"].size(), 1u);
  EXPECT_NE(listed["items"][0]["id"], their_contact);

  // The pages say the same.
  auto web = app_->session_as(app_->a, "volunteer");
  std::string csrf;
  auto web_with_csrf = app_->session_as(app_->a, "volunteer", &csrf);
  for (const std::string& path :
       {"/koppelingen/" + theirs + "/contacten", "/koppelingen/" + theirs + "/contact/nieuw",
        "/contacten/" + their_contact + "/wijzigen"}) {
    auto page = web->get(path);
    EXPECT_EQ(page.status, 404) << path;
    EXPECT_FALSE(contains(page.body, "Familie Ander")) << path;
  }
  auto posted = web_with_csrf->post_form(
      "/koppelingen/" + theirs + "/contacten",
      {{"csrf_token", csrf}, {"date", kToday}, {"minutes", "60"}, {"kind", "visit"}});
  EXPECT_EQ(posted.status, 404);
  EXPECT_EQ(contact_count(), before + 1);
  auto home = web->get("/");
  EXPECT_TRUE(contains(home.body, "Familie Mijn"));
  EXPECT_FALSE(contains(home.body, "Familie Ander"));
}

TEST_P(ContactsApi, AnotherTeamGets403AndAnotherOrganisation404) {
  const auto m = my_match();
  const std::string id = logged(m, valid())["id"];
  auto other_team = app_->client_as(app_->a, "other_coordinator");
  auto other_org = app_->client_as(app_->b, "coordinator");
  auto other_org_lead = app_->client_as(app_->b, "project_lead");
  for (HttpClient* c : {other_team.get(), other_org.get(), other_org_lead.get()}) {
    const int expected = c == other_team.get() ? 403 : 404;
    EXPECT_EQ(c->get("/api/v1/matches/" + m + "/contacts").status, expected);
    EXPECT_EQ(log(m, valid(), c).status, expected);
    EXPECT_EQ(c->get("/api/v1/contacts/" + id).status, expected);
    EXPECT_EQ(patch(id, {{"minutes", 5}}, c).status, expected);
    EXPECT_EQ(c->post_json("/api/v1/contacts/" + id + "/seen", "{}").status, expected);
  }
  // Roles without contacts at all.
  for (const char* role : {"foundation", "admin"}) {
    auto c = app_->client_as(app_->a, role);
    EXPECT_EQ(c->get("/api/v1/matches/" + m + "/contacts").status, 403) << role;
    EXPECT_EQ(log(m, valid(), c.get()).status, 403) << role;
  }
  EXPECT_EQ(contact_count(), 1);
  EXPECT_EQ(parse(coordinator_->get("/api/v1/contacts/" + id))["minutes"], 60);
  EXPECT_EQ(parse(coordinator_->get("/api/v1/contacts/" + id))["seen"], false);
  // The other team's coordinator is told no on the page too.
  EXPECT_EQ(app_->session_as(app_->a, "other_coordinator")
                ->get("/koppelingen/" + m + "/contacten")
                .status,
            403);
  EXPECT_EQ(
      app_->session_as(app_->b, "coordinator")->get("/koppelingen/" + m + "/contacten").status,
      404);
}

TEST_P(ContactsApi, EveryReadAndWriteIsInTheAccessLog) {
  const auto m = my_match();
  const std::string id = logged(m, valid())["id"];
  EXPECT_EQ(log_rows("create", id, "success"), 1);
  EXPECT_EQ(scalar(app_->db(),
                   "SELECT COUNT(*) FROM access_log WHERE event = 'create' AND object_id = ? "
                   "AND user_id = ? AND role = 'volunteer' AND details LIKE ?",
                   {id, app_->a.users.at("volunteer").id, "match=" + m + "%"}),
            1);
  ASSERT_EQ(volunteer_->get("/api/v1/contacts/" + id).status, 200);
  EXPECT_EQ(log_rows("view", id, "success"), 1);
  ASSERT_EQ(volunteer_->get("/api/v1/matches/" + m + "/contacts").status, 200);
  EXPECT_EQ(scalar(app_->db(),
                   "SELECT COUNT(*) FROM access_log WHERE event = 'list' AND object_id = ? "
                   "AND outcome = 'success' AND details = ?",
                   {"match:" + m, "ids=" + id}),
            1);
  ASSERT_EQ(patch(id, {{"minutes", 30}}).status, 200);
  EXPECT_EQ(scalar(app_->db(),
                   "SELECT COUNT(*) FROM access_log WHERE event = 'update' AND object_id = ? "
                   "AND outcome = 'success' AND details = 'fields=minutes'",
                   {id}),
            1);
  ASSERT_EQ(coordinator_->post_json("/api/v1/contacts/" + id + "/seen", "{}").status, 200);
  EXPECT_EQ(log_rows("seen", id, "success"), 1);
  // Refusals are logged too: another team (denied), another organisation (not found).
  ASSERT_EQ(app_->client_as(app_->a, "other_coordinator")->get("/api/v1/contacts/" + id).status,
            403);
  EXPECT_EQ(log_rows("view", id, "denied"), 1);
  ASSERT_EQ(app_->client_as(app_->b, "coordinator")->get("/api/v1/contacts/" + id).status, 404);
  EXPECT_EQ(log_rows("view", id, "not_found"), 1);
  ASSERT_EQ(log(m, valid(), app_->client_as(app_->a, "other_coordinator").get()).status, 403);
  EXPECT_EQ(log_rows("create", "match:" + m, "denied"), 1);
  // Case content never reaches the log.
  ASSERT_EQ(patch(id, {{"note", "Geheime notitie"}}).status, 200);
  EXPECT_EQ(
      scalar(app_->db(), "SELECT COUNT(*) FROM access_log WHERE details LIKE ?", {"%Geheime%"}), 0);
}

TEST_P(ContactsApi, ListsAreNewestFirstAndPaged) {
  const auto m = my_match();
  const std::string oldest = logged(m, valid({{"date", "2026-01-10"}}))["id"];
  const std::string newest = logged(m, valid({{"date", kToday}}))["id"];
  const std::string middle = logged(m, valid({{"date", "2026-01-20"}}))["id"];
  clock_.advance(std::chrono::minutes(5));
  const std::string same_day_later = logged(m, valid({{"date", "2026-01-20"}}))["id"];
  std::vector<std::string> seen;
  std::string next = "/api/v1/matches/" + m + "/contacts?limit=3";
  while (!next.empty()) {
    auto r = coordinator_->get(next);
    ASSERT_EQ(r.status, 200) << r.body;
    const json page = parse(r);
    for (const auto& item : page["items"]) seen.push_back(item["id"]);
    next = page["next_cursor"].is_null()
               ? ""
               : "/api/v1/matches/" + m +
                     "/contacts?limit=3&cursor=" + page["next_cursor"].get<std::string>();
  }
  EXPECT_EQ(seen, (std::vector<std::string>{newest, same_day_later, middle, oldest}));
  EXPECT_EQ(coordinator_->get("/api/v1/matches/" + m + "/contacts?cursor=rubbish").status, 422);
  EXPECT_EQ(coordinator_->get("/api/v1/matches/" + m + "/contacts?limit=0").status, 422);
}

// --- pages ------------------------------------------------------------------------------------

TEST_P(ContactsApi, TheVolunteerLogsAContactInTwoTapsFromTheHomePage) {
  const auto m = my_match("active", "Familie Telefoon");
  std::string csrf;
  auto web = app_->session_as(app_->a, "volunteer", &csrf);

  // Tap 1: the family's card has one big button to the form.
  auto home = web->get("/");
  ASSERT_EQ(home.status, 200) << home.body;
  EXPECT_TRUE(contains(home.body, "Familie Telefoon"));
  EXPECT_TRUE(contains(home.body, "Nog geen contact vastgelegd."));
  const std::string form_href = "/koppelingen/" + m + "/contact/nieuw";
  EXPECT_TRUE(contains(home.body, "href=\"" + form_href + "\""));
  EXPECT_TRUE(
      contains(home.body, "utrecht-button-link--primary-action oploop-card__action\" href=\"" +
                              form_href + "\">Contact vastleggen"));

  // The form holds today, 60 minutes and a visit already.
  auto form = web->get(form_href);
  ASSERT_EQ(form.status, 200) << form.body;
  EXPECT_TRUE(contains(form.body, "Contact vastleggen"));
  EXPECT_TRUE(contains(form.body, "Familie Telefoon"));
  EXPECT_TRUE(contains(form.body, "name=\"date\" value=\"" + kToday + "\""));
  EXPECT_TRUE(contains(form.body, "name=\"minutes\" value=\"60\""));
  EXPECT_TRUE(contains(form.body, "name=\"kind\" value=\"visit\" checked"));
  EXPECT_TRUE(contains(form.body, "action=\"/koppelingen/" + m + "/contacten\""));
  EXPECT_TRUE(contains(form.body, "name=\"activities\" value=\"administration\""));
  EXPECT_FALSE(contains(form.body, "<details class=\"oploop-more\" open"));  // folded away

  // Tap 2: "Opslaan" sends exactly what the form holds.
  auto saved =
      web->post_form("/koppelingen/" + m + "/contacten", {{"csrf_token", csrf_from(form.body)},
                                                          {"date", kToday},
                                                          {"minutes", "60"},
                                                          {"kind", "visit"},
                                                          {"note", ""},
                                                          {"time", ""},
                                                          {"status", "final"}});
  ASSERT_EQ(saved.status, 303) << saved.body;
  EXPECT_EQ(saved.header("Location").value_or(""), "/");
  auto after = web->get("/");
  EXPECT_TRUE(contains(after.body, "Contact opgeslagen"));
  EXPECT_TRUE(contains(after.body, "03-02-2026"));
  auto stored = parse(volunteer_->get("/api/v1/matches/" + m + "/contacts"));
  ASSERT_EQ(stored["items"].size(), 1u);
  EXPECT_EQ(stored["items"][0]["minutes"], 60);
  EXPECT_EQ(stored["items"][0]["kind"], "visit");
  EXPECT_EQ(stored["items"][0]["status"], "final");

  // The next form starts from the volunteer's usual duration and kind: those of their last one.
  clock_.advance(std::chrono::minutes(1));
  logged(m, valid({{"minutes", 45}, {"kind", "phone"}}));
  auto again = web->get(form_href);
  EXPECT_TRUE(contains(again.body, "name=\"minutes\" value=\"45\""));
  EXPECT_TRUE(contains(again.body, "name=\"kind\" value=\"phone\" checked"));
}

TEST_P(ContactsApi, TheFormKeepsWhatWasTypedAndSaysWhatToFix) {
  const auto m = my_match();
  std::string csrf;
  auto web = app_->session_as(app_->a, "volunteer", &csrf);
  auto r = web->post_form("/koppelingen/" + m + "/contacten", {{"csrf_token", csrf},
                                                               {"date", "2026-02-04"},
                                                               {"minutes", "een uur"},
                                                               {"kind", "visit"},
                                                               {"time", "19:45"},
                                                               {"activities", "school"},
                                                               {"note", "Mijn <b>notitie</b>"},
                                                               {"status", "final"}});
  ASSERT_EQ(r.status, 422) << r.body;
  for (const char* text :
       {"Er ging iets mis", "Deze datum ligt in de toekomst.",
        "Vul een aantal minuten in van 1 tot en met 600.", "value=\"een uur\"", "value=\"19:45\"",
        "Mijn &lt;b&gt;notitie&lt;/b&gt;", "href=\"#contact-date\""})
    EXPECT_TRUE(contains(r.body, text)) << text;
  EXPECT_TRUE(contains(r.body, "value=\"school\" checked"));
  EXPECT_TRUE(contains(r.body, "<details class=\"oploop-more\" open"));  // what was typed shows
  EXPECT_EQ(contact_count(), 0);

  // A draft from the page: the second button.
  auto draft = web->post_form("/koppelingen/" + m + "/contacten",
                              {{"csrf_token", csrf}, {"date", kToday}, {"status", "draft"}});
  ASSERT_EQ(draft.status, 303) << draft.body;
  EXPECT_TRUE(contains(web->get("/").body, "Concept bewaard."));
  EXPECT_EQ(scalar(app_->db(), "SELECT COUNT(*) FROM contacts WHERE status = 'draft'"), 1);
}

TEST_P(ContactsApi, TheContactsPageShowsTheGezienMarkToTheVolunteer) {
  const auto m = my_match("active", "Familie Lijst");
  const std::string id =
      logged(m, valid({{"note", "We zijn naar de bieb geweest."},
                       {"time", "19:30"},
                       {"activities", {"language_selfreliance", "leisure"}}}))["id"];
  std::string coordinator_csrf;
  auto coordinator_web = app_->session_as(app_->a, "coordinator", &coordinator_csrf);
  auto list = coordinator_web->get("/koppelingen/" + m + "/contacten");
  ASSERT_EQ(list.status, 200) << list.body;
  for (const char* text :
       {"Contacten: Familie Lijst", "We zijn naar de bieb geweest.", "60 minuten", "om 19:30",
        "buiten kantoortijd", "Onderwerpen:</span> Taal, Vrije tijd",
        "Vastgelegd door Test volunteer", ">Gezien<"})
    EXPECT_TRUE(contains(list.body, text)) << text;
  EXPECT_TRUE(contains(list.body, "action=\"/contacten/" + id + "/gezien\""));

  // A reply that is too long is refused on the page, with what was typed.
  auto too_long = coordinator_web->post_form(
      "/contacten/" + id + "/gezien",
      {{"csrf_token", coordinator_csrf}, {"reply", std::string(501, 'z')}});
  EXPECT_EQ(too_long.status, 422);
  EXPECT_TRUE(contains(too_long.body, "De reactie is te lang: hoogstens 500 tekens."));
  EXPECT_TRUE(contains(too_long.body, std::string(501, 'z')));

  auto marked = coordinator_web->post_form(
      "/contacten/" + id + "/gezien",
      {{"csrf_token", coordinator_csrf}, {"reply", "Mooi zo, de bieb is een goed idee."}});
  ASSERT_EQ(marked.status, 303) << marked.body;
  EXPECT_EQ(marked.header("Location").value_or(""), "/koppelingen/" + m + "/contacten");

  auto web = app_->session_as(app_->a, "volunteer");
  auto mine = web->get("/koppelingen/" + m + "/contacten");
  ASSERT_EQ(mine.status, 200) << mine.body;
  for (const char* text : {"Gezien", "door Test coordinator op 03-02-2026",
                           "Mooi zo, de bieb is een goed idee.", "Wijzigen"})
    EXPECT_TRUE(contains(mine.body, text)) << text;
  EXPECT_FALSE(contains(mine.body, "/gezien\""));  // no button for the volunteer
  EXPECT_TRUE(contains(web->get("/").body, "href=\"/koppelingen/" + m + "/contacten\""));
}

TEST_P(ContactsApi, TheVolunteerCorrectsAContactOnThePageWithinTheWeek) {
  const auto m = my_match();
  const std::string id = logged(m, valid({{"note", "Kort"}}))["id"];
  std::string csrf;
  auto web = app_->session_as(app_->a, "volunteer", &csrf);
  auto edit = web->get("/contacten/" + id + "/wijzigen");
  ASSERT_EQ(edit.status, 200) << edit.body;
  EXPECT_TRUE(contains(edit.body, "Contact wijzigen"));
  EXPECT_TRUE(contains(edit.body, "name=\"minutes\" value=\"60\""));
  EXPECT_TRUE(contains(edit.body, "action=\"/contacten/" + id + "\""));
  auto bad = web->post_form("/contacten/" + id, {{"csrf_token", csrf},
                                                 {"date", kToday},
                                                 {"minutes", "0"},
                                                 {"kind", "visit"},
                                                 {"note", "Langer"},
                                                 {"status", "final"}});
  EXPECT_EQ(bad.status, 422);
  EXPECT_TRUE(contains(bad.body, "value=\"0\""));
  auto saved = web->post_form("/contacten/" + id, {{"csrf_token", csrf},
                                                   {"date", kToday},
                                                   {"minutes", "75"},
                                                   {"kind", "outing"},
                                                   {"note", "Langer"},
                                                   {"status", "final"}});
  ASSERT_EQ(saved.status, 303) << saved.body;
  const json c = parse(volunteer_->get("/api/v1/contacts/" + id));
  EXPECT_EQ(c["minutes"], 75);
  EXPECT_EQ(c["kind"], "outing");
  EXPECT_EQ(c["note"], "Langer");
  EXPECT_EQ(c["revisions"].size(), 1u);

  // After the week the page says so (the session is made anew on the later clock).
  clock_.set(parse_rfc3339("2026-02-11T07:00:00Z"));
  auto late = app_->session_as(app_->a, "volunteer");
  auto too_old = late->get("/contacten/" + id + "/wijzigen");
  EXPECT_EQ(too_old.status, 409);
  EXPECT_TRUE(contains(too_old.body, "te oud om te wijzigen"));
  EXPECT_FALSE(contains(late->get("/koppelingen/" + m + "/contacten").body,
                        "/contacten/" + id + "/wijzigen"));
}

TEST_P(ContactsApi, StaffLogFromTheContactsPage) {
  const auto m = my_match();
  std::string csrf;
  auto web = app_->session_as(app_->a, "coordinator", &csrf);
  auto list = web->get("/koppelingen/" + m + "/contacten");
  ASSERT_EQ(list.status, 200);
  EXPECT_TRUE(contains(list.body, "Er is nog geen contact vastgelegd."));
  EXPECT_TRUE(contains(list.body, "href=\"/koppelingen/" + m + "/contact/nieuw\""));
  auto saved = web->post_form("/koppelingen/" + m + "/contacten", {{"csrf_token", csrf},
                                                                   {"date", kMonday},
                                                                   {"minutes", "30"},
                                                                   {"kind", "phone"},
                                                                   {"outside_office_hours", "yes"},
                                                                   {"status", "final"}});
  ASSERT_EQ(saved.status, 303) << saved.body;
  EXPECT_EQ(saved.header("Location").value_or(""), "/koppelingen/" + m + "/contacten");
  auto items = parse(coordinator_->get("/api/v1/matches/" + m + "/contacts"))["items"];
  ASSERT_EQ(items.size(), 1u);
  EXPECT_EQ(items[0]["outside_office_hours"], true);
  EXPECT_EQ(items[0]["created_by"], app_->a.users.at("coordinator").id);
  // A closed match takes no new contacts: the page says why.
  move(*coordinator_, m, "closed", "goals_reached");
  EXPECT_EQ(web->get("/koppelingen/" + m + "/contact/nieuw").status, 409);
  EXPECT_FALSE(contains(web->get("/koppelingen/" + m + "/contacten").body, "/contact/nieuw\""));
}

// --- review fixes (issue 4) -------------------------------------------------------------------

// One code per meaning: the nine life domains of the SPEC appendix and the practical codes of
// §2.6 that are none of them. §2.6's "health", "language" and "work" are the domains
// physical_health, language_selfreliance and participation_work, shown with §2.6's words.
TEST_P(ContactsApi, ActivitiesHaveOneCodePerMeaning) {
  const std::set<std::string> expected = {"finances",
                                          "housing",
                                          "parenting",
                                          "child_development",
                                          "social_network",
                                          "mental_wellbeing",
                                          "physical_health",
                                          "participation_work",
                                          "language_selfreliance",
                                          "school",
                                          "leisure",
                                          "agencies",
                                          "transport",
                                          "administration"};
  const auto& codes = contacts::activity_codes();
  EXPECT_EQ(std::set<std::string>(codes.begin(), codes.end()), expected);
  EXPECT_EQ(codes.size(), expected.size());  // each once
  // The common ones first: the form's first list is the start of the catalogue.
  const auto& common = contacts::common_activity_codes();
  ASSERT_LT(common.size(), codes.size());
  EXPECT_TRUE(std::equal(common.begin(), common.end(), codes.begin()));
  for (const std::string rarer : {"child_development", "social_network", "mental_wellbeing"})
    EXPECT_EQ(std::ranges::find(common, rarer), common.end()) << rarer;

  const auto m = my_match();
  for (const std::string old : {"health", "language", "work"}) {
    SCOPED_TRACE(old);
    EXPECT_TRUE(errors_of(log(m, valid({{"activities", {old}}}))).contains("activities"));
  }
  auto x = logged(m, valid({{"activities",
                             {"transport", "physical_health", "participation_work",
                              "language_selfreliance", "social_network", "administration"}}}));
  EXPECT_EQ(x["activities"], json({"administration", "physical_health", "language_selfreliance",
                                   "participation_work", "transport", "social_network"}));

  // The phone form: §2.6's words as labels, the common ones first, the rarer domains folded.
  auto web = app_->session_as(app_->a, "volunteer");
  auto form = web->get("/koppelingen/" + m + "/contact/nieuw");
  ASSERT_EQ(form.status, 200) << form.body;
  for (const char* label : {">Gezondheid<", ">Taal<", ">Werk<", "Andere levensgebieden"})
    EXPECT_TRUE(contains(form.body, label)) << label;
  for (const char* gone : {"value=\"health\"", "value=\"language\"", "value=\"work\""})
    EXPECT_FALSE(contains(form.body, gone)) << gone;
  const auto at = [&](const std::string& code) {
    return form.body.find("name=\"activities\" value=\"" + code + "\"");
  };
  ASSERT_NE(at("transport"), std::string::npos);
  ASSERT_NE(at("child_development"), std::string::npos);
  EXPECT_LT(at("transport"), form.body.find("Andere levensgebieden"));
  EXPECT_LT(form.body.find("Andere levensgebieden"), at("child_development"));
  EXPECT_FALSE(contains(form.body, "oploop-activities__more\" open"));
}

// Contacts stored with the old codes move to the appendix's (migration 0009), each once.
TEST_P(ContactsApi, StoredOldActivityCodesAreMigrated) {
  const auto m = my_match();
  const std::string id = logged(m, valid())["id"];
  const std::string other = logged(m, valid({{"note", "\"work\" hoort hier niet bij"}}))["id"];
  {
    auto conn = app_->db().acquire();
    conn->execute(
        "UPDATE contacts SET activities = ? WHERE id = ?",
        {std::string(R"(["administration","health","language","work","physical_health"])"), id});
    conn->execute(
        "INSERT INTO contact_revisions (id, contact_id, previous, changed_by, changed_at) "
        "VALUES ('rev0000000000000000000000', ?, ?, ?, '2026-02-03T10:00:00Z')",
        {id, std::string(R"({"activities":["work"],"note":"oud","status":"final"})"),
         app_->a.users.at("volunteer").id});
    // The mapping statements of the migration, as written in it.
    std::ifstream file(
        resource_path("src/storage/migrations/0009_contacts_coordination_fixes.sql"));
    std::stringstream text;
    text << file.rdbuf();
    std::string statement;
    int mapped = 0;
    for (std::istringstream in(text.str()); std::getline(in, statement, ';');) {
      std::string sql;
      std::istringstream lines(statement);
      for (std::string line; std::getline(lines, line);)
        if (!line.starts_with("--")) sql += line + "\n";
      const auto start = sql.find_first_not_of(" \n");
      if (start == std::string::npos) continue;
      sql = sql.substr(start);
      if (sql.starts_with("UPDATE contacts SET activities") ||
          sql.starts_with("UPDATE contact_revisions SET previous")) {
        conn->execute(sql);
        ++mapped;
      }
    }
    EXPECT_EQ(mapped, 6);
  }
  auto x = parse(coordinator_->get("/api/v1/contacts/" + id));
  EXPECT_EQ(x["activities"], json({"administration", "physical_health", "language_selfreliance",
                                   "participation_work"}));
  ASSERT_EQ(x["revisions"].size(), 1u);
  EXPECT_EQ(x["revisions"][0]["previous"]["activities"], json({"participation_work"}));
  // A note is text, not a code: it stays as written.
  EXPECT_EQ(parse(coordinator_->get("/api/v1/contacts/" + other))["note"],
            "\"work\" hoort hier niet bij");
}

// The correction window starts when the contact became final; a draft stays its author's to
// finish, however long it waited.
TEST_P(ContactsApi, ADraftStaysEditableAndTheWindowStartsWhenItIsFinal) {
  const auto m = my_match();
  auto draft = logged(m, {{"status", "draft"}, {"date", kToday}, {"note", "Later afmaken"}});
  const std::string id = draft["id"];
  EXPECT_TRUE(draft["final_at"].is_null());
  // Seventeen days later it is still a draft: the volunteer may work on it and finish it.
  clock_.set(parse_rfc3339("2026-02-20T10:00:00Z"));
  ASSERT_EQ(patch(id, {{"note", "Bijna af"}}).status, 200);
  auto done = patch(id, {{"status", "final"}, {"minutes", 30}, {"kind", "phone"}});
  ASSERT_EQ(done.status, 200) << done.body;
  EXPECT_EQ(parse(done)["final_at"], "2026-02-20T10:00:00Z");
  // A later correction does not move the start of the window.
  clock_.set(parse_rfc3339("2026-02-21T10:00:00Z"));
  ASSERT_EQ(patch(id, {{"minutes", 35}}).status, 200);
  EXPECT_EQ(parse(volunteer_->get("/api/v1/contacts/" + id))["final_at"], "2026-02-20T10:00:00Z");
  // Day 7 after finishing it (27 February, 23:00 in Amsterdam): still theirs.
  clock_.set(parse_rfc3339("2026-02-27T22:00:00Z"));
  ASSERT_EQ(patch(id, {{"minutes", 40}}).status, 200);
  // Day 8 (28 February, 00:30 in Amsterdam): too old.
  clock_.set(parse_rfc3339("2026-02-27T23:30:00Z"));
  EXPECT_EQ(patch(id, {{"minutes", 45}}).status, 409);
  // A contact saved final at once starts its window when it was logged.
  auto now_final = logged(m, valid({{"date", "2026-02-27"}}));
  EXPECT_EQ(now_final["final_at"], now_final["created_at"]);
  // Someone else's draft is never the volunteer's to finish.
  const std::string theirs =
      logged(m, {{"status", "draft"}, {"date", "2026-02-27"}}, coordinator_.get())["id"];
  EXPECT_EQ(patch(theirs, {{"minutes", 5}}).status, 403);
}

// In summer Amsterdam is two hours ahead of UTC: the window counts Amsterdam days there too.
TEST_P(ContactsApi, TheSevenDayWindowCountsAmsterdamDaysInSummerTime) {
  const auto m = my_match();
  // 22:30 UTC on 6 April 2026 is 00:30 on 7 April in Amsterdam (CEST).
  clock_.set(parse_rfc3339("2026-04-06T22:30:00Z"));
  {  // The volunteer's token of February has lapsed by April: a new one.
    auto conn = app_->db().acquire();
    volunteer_->set_bearer(
        auth::create_token(*conn, clock_, app_->a.users.at("volunteer").id, "summer", 90)->secret);
  }
  const std::string id = logged(m, valid({{"date", "2026-04-07"}}))["id"];
  // 14 April, 23:30 in Amsterdam: day 7 (by the UTC date, or at one hour ahead, day 8).
  clock_.set(parse_rfc3339("2026-04-14T21:30:00Z"));
  auto day7 = patch(id, {{"minutes", 61}});
  EXPECT_EQ(day7.status, 200) << day7.body;
  // 15 April, 00:30 in Amsterdam: day 8.
  clock_.set(parse_rfc3339("2026-04-14T22:30:00Z"));
  EXPECT_EQ(patch(id, {{"minutes", 62}}).status, 409);
}

TEST_P(ContactsApi, AGezienMarkWithoutAReplyKeepsTheReply) {
  const auto m = my_match();
  const std::string id = logged(m, valid())["id"];
  const std::string path = "/api/v1/contacts/" + id + "/seen";
  ASSERT_EQ(coordinator_->post_json(path, json({{"reply", "Fijn gedaan!"}}).dump()).status, 200);
  clock_.advance(std::chrono::hours(1));
  auto again = coordinator_->post_json(path, json({{"reply", "   "}}).dump());
  ASSERT_EQ(again.status, 200) << again.body;
  EXPECT_EQ(parse(again)["reply"], "Fijn gedaan!");
  EXPECT_EQ(parse(again)["seen_at"], "2026-02-03T12:00:00Z");
  ASSERT_EQ(coordinator_->post_json(path, "{}").status, 200);
  EXPECT_EQ(parse(volunteer_->get("/api/v1/contacts/" + id))["reply"], "Fijn gedaan!");
  // A new reply replaces it.
  ASSERT_EQ(coordinator_->post_json(path, json({{"reply", "Nog eens bedankt"}}).dump()).status,
            200);
  EXPECT_EQ(parse(volunteer_->get("/api/v1/contacts/" + id))["reply"], "Nog eens bedankt");
}

// Two corrections at once: the second waits for the first (row lock on PostgreSQL, the write
// lock on SQLite), reads its values and keeps them, and both are in the history. The first is
// played by hand on a connection of its own, holding the lock as correct_contact does.
TEST_P(ContactsApi, ConcurrentCorrectionsAreSerialisedAndBothKept) {
  const auto m = my_match();
  const std::string id = logged(m, valid({{"note", "Eerste versie"}}))["id"];
  auto first = app_->db().acquire();
  storage::Transaction tx(*first);
  if (first->dialect() == storage::Dialect::postgres)
    first->query("SELECT id FROM contacts WHERE id = ? FOR UPDATE", {id});
  HttpResult second;
  std::thread other([&] {
    second = patch(id, {{"note", "Van de coordinator"}}, coordinator_.get());
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(400));
  first->execute(
      "INSERT INTO contact_revisions (id, contact_id, previous, changed_by, changed_at) "
      "VALUES ('rev1111111111111111111111', ?, '{\"minutes\":60}', ?, '2026-02-03T10:59:00Z')",
      {id, app_->a.users.at("volunteer").id});
  first->execute("UPDATE contacts SET minutes = 75 WHERE id = ?", {id});
  tx.commit();
  other.join();
  ASSERT_EQ(second.status, 200) << second.body;
  const json x = parse(second);
  EXPECT_EQ(x["minutes"], 75);  // the first correction stands
  EXPECT_EQ(x["note"], "Van de coordinator");
  ASSERT_EQ(x["revisions"].size(), 2u);
  EXPECT_EQ(x["revisions"][1]["previous"]["minutes"], 75);  // it saw the first's values
  EXPECT_EQ(x["revisions"][1]["previous"]["note"], "Eerste versie");
}

INSTANTIATE_TEST_SUITE_P(Engines, ContactsApi, ::testing::ValuesIn(engines()));

}  // namespace
}  // namespace oploop::testing
