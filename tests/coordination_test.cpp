// Coordinator work (SPEC §2.8) on both engines: support sessions with attendance (supervision
// with exactly one volunteer, invitees within scope, attendance from the session's day, the
// basic training completing the screening), what a volunteer sees of them (their own, never the
// notes), partner consultations about a family, the coordinator's time (own entries, the week
// rule on a controlled clock, the project lead's totals, coordinator_minutes for the savings
// model), the access log of each read and write, and the pages /begeleiding,
// /gezinnen/{id}/overleg and /uren.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <set>

#include "auth/accounts.hpp"
#include "coordination/support_sessions.hpp"
#include "coordination/time_entries.hpp"
#include "coordination/week.hpp"
#include "core/clock.hpp"
#include "support/api_data.hpp"
#include "support/test_app.hpp"
#include "web/render.hpp"

namespace oploop::testing {
namespace {

using nlohmann::json;

// 11:00 UTC is 12:00 in Amsterdam on Tuesday 3 February 2026: the week runs from Monday 2 to
// Sunday 8 February.
TimePoint test_now() { return parse_rfc3339("2026-02-03T11:00:00Z"); }
const std::string kToday = "2026-02-03";

bool contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

// `base` with the fields of `change` set.
json with(json base, const json& change) {
  base.update(change);
  return base;
}

std::vector<std::string> ids_of(const json& list) {
  std::vector<std::string> out;
  for (const auto& item : list["items"]) out.push_back(item["id"].get<std::string>());
  return out;
}

class Coordination : public ::testing::TestWithParam<std::string> {
 protected:
  Coordination() : clock_(test_now()) {}

  void SetUp() override {
    app_ = std::make_unique<TestApp>(GetParam(), TestAppOptions{.clock = &clock_});
    if (!app_->available()) GTEST_SKIP() << app_->skip_reason();
    coordinator_ = app_->client_as(app_->a, "coordinator");
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

  // A volunteer registered by `by` (default: the coordinator of team 1 of organisation a).
  std::string volunteer(const std::string& first_name, const json& extra = json::object(),
                        HttpClient* by = nullptr) {
    json body = {{"first_name", first_name}, {"last_name", "Vrijwilliger"}};
    body.update(extra);
    auto r = (by ? *by : *coordinator_).post_json("/api/v1/volunteers", body.dump());
    EXPECT_EQ(r.status, 201) << r.body;
    return json::parse(r.body).value("id", "");
  }
  // A waiting family of `by`'s team.
  std::string family(const std::string& name, HttpClient* by = nullptr) {
    HttpClient& c = by ? *by : *coordinator_;
    return waiting_family(c, name);
  }

  json session_body(const std::string& kind, const std::vector<std::string>& volunteers,
                    const std::string& date = "2026-02-10") {
    return {{"kind", kind},
            {"title", "Sessie " + std::to_string(++counter_)},
            {"date", date},
            {"duration_minutes", 90},
            {"volunteer_ids", volunteers}};
  }
  HttpResult create_session(const json& body, HttpClient* by = nullptr) {
    return (by ? *by : *coordinator_).post_json("/api/v1/support-sessions", body.dump());
  }
  json session(const std::string& kind, const std::vector<std::string>& volunteers,
               const std::string& date = "2026-02-10", const json& extra = json::object()) {
    json body = session_body(kind, volunteers, date);
    body.update(extra);
    auto r = create_session(body);
    EXPECT_EQ(r.status, 201) << r.body;
    return json::parse(r.body);
  }
  HttpResult patch(HttpClient& c, const std::string& path, const json& body) {
    return c.request("PATCH", path, body.dump(), {{"Content-Type", "application/json"}});
  }
  HttpResult attendance(const std::string& id, const std::vector<std::string>& attended,
                        HttpClient* by = nullptr) {
    return (by ? *by : *coordinator_)
        .request("PUT", "/api/v1/support-sessions/" + id + "/attendance",
                 json({{"volunteer_ids", attended}}).dump(),
                 {{"Content-Type", "application/json"}});
  }
  json get(HttpClient& c, const std::string& path) {
    auto r = c.get(path);
    EXPECT_EQ(r.status, 200) << path << " " << r.body;
    return json::parse(r.body, nullptr, false);
  }
  std::string training_date(const std::string& volunteer_id) {
    const auto v = get(*coordinator_, "/api/v1/volunteers/" + volunteer_id);
    const auto& date = v["screening"]["training_completed_on"];
    return date.is_string() ? date.get<std::string>() : std::string();
  }
  std::int64_t count(const std::string& table) {
    return scalar(app_->db(), "SELECT COUNT(*) FROM " + table);
  }
  std::int64_t logged(const std::string& event, const std::string& object_type,
                      const std::string& object_id, const std::string& outcome) {
    return scalar(app_->db(),
                  "SELECT COUNT(*) FROM access_log WHERE event = ? AND object_type = ? "
                  "AND object_id = ? AND outcome = ?",
                  {event, object_type, object_id, outcome});
  }
  HttpResult record_time(HttpClient& c, const json& body) {
    return c.post_json("/api/v1/time-entries", body.dump());
  }
  std::string time_entry(HttpClient& c, int minutes, const std::string& date = kToday,
                         const std::string& kind = "administration",
                         const std::string& family_id = "") {
    json body = {{"date", date}, {"minutes", minutes}, {"kind", kind}};
    if (!family_id.empty()) body["family_id"] = family_id;
    auto r = record_time(c, body);
    EXPECT_EQ(r.status, 201) << r.body;
    return json::parse(r.body).value("id", "");
  }
  void set_now(const std::string& rfc3339) { clock_.set(parse_rfc3339(rfc3339)); }
  // As if the entry had been recorded at `at`.
  void entered_at(const std::string& id, const std::string& at) {
    auto conn = app_->db().acquire();
    conn->execute("UPDATE time_entries SET created_at = ? WHERE id = ?", {at, id});
  }
  void set_training(const std::string& volunteer_id, const std::string& date) {
    ASSERT_EQ(coordinator_
                  ->request("PUT", "/api/v1/volunteers/" + volunteer_id + "/screening",
                            json({{"training_completed_on", date}}).dump(),
                            {{"Content-Type", "application/json"}})
                  .status,
              200);
  }

  ManualClock clock_;
  std::unique_ptr<TestApp> app_;
  std::unique_ptr<HttpClient> coordinator_;
  std::map<std::string, std::unique_ptr<HttpClient>> clients_;
  int counter_ = 0;
};

// --- support sessions -------------------------------------------------------------------------

TEST_P(Coordination, ASessionIsPlannedReadChangedAndListedSoonestFirst) {
  const auto anna = volunteer("Anna");
  const auto bram = volunteer("Bram");
  auto r = create_session({{"kind", "peer_group"},
                           {"title", "Intervisie februari"},
                           {"date", "2026-02-12"},
                           {"start_time", "19:30"},
                           {"duration_minutes", 120},
                           {"volunteer_ids", {anna, bram, anna}},
                           {"notes", "Bram wil het over grenzen hebben."}});
  ASSERT_EQ(r.status, 201) << r.body;
  auto s = json::parse(r.body);
  const std::string id = s["id"];
  EXPECT_EQ(r.header("Location").value_or(""), "/api/v1/support-sessions/" + id);
  EXPECT_EQ(s["kind"], "peer_group");
  EXPECT_EQ(s["title"], "Intervisie februari");
  EXPECT_EQ(s["date"], "2026-02-12");
  EXPECT_EQ(s["start_time"], "19:30");
  EXPECT_EQ(s["duration_minutes"], 120);
  EXPECT_EQ(s["team_id"], app_->a.team_id);  // the coordinator's own team
  EXPECT_EQ(s["basic_training"], false);
  EXPECT_EQ(s["notes"], "Bram wil het over grenzen hebben.");
  EXPECT_EQ(s["volunteer_ids"].size(), 2u);  // the duplicate counted once
  for (const auto& a : s["attendees"]) EXPECT_EQ(a["attended"], false);
  EXPECT_EQ(get(*coordinator_, "/api/v1/support-sessions/" + id), s);

  auto changed =
      patch(*coordinator_, "/api/v1/support-sessions/" + id,
            {{"title", "Intervisie: grenzen"}, {"volunteer_ids", {bram}}, {"start_time", nullptr}});
  ASSERT_EQ(changed.status, 200) << changed.body;
  auto c = json::parse(changed.body);
  EXPECT_EQ(c["title"], "Intervisie: grenzen");
  EXPECT_EQ(c["volunteer_ids"], json({bram}));
  EXPECT_EQ(c["start_time"], nullptr);
  EXPECT_EQ(c["notes"], "Bram wil het over grenzen hebben.");  // not sent, not changed

  const auto later = session("theme_meeting", {}, "2026-03-01")["id"].get<std::string>();
  const auto sooner = session("training", {}, "2026-02-04")["id"].get<std::string>();
  EXPECT_EQ(ids_of(get(*coordinator_, "/api/v1/support-sessions")),
            (std::vector<std::string>{sooner, id, later}));
  EXPECT_EQ(ids_of(get(*coordinator_, "/api/v1/support-sessions?order=newest")),
            (std::vector<std::string>{later, id, sooner}));
  auto first = get(*coordinator_, "/api/v1/support-sessions?limit=2");
  EXPECT_EQ(ids_of(first), (std::vector<std::string>{sooner, id}));
  ASSERT_TRUE(first["next_cursor"].is_string());
  EXPECT_EQ(ids_of(get(*coordinator_, "/api/v1/support-sessions?limit=2&cursor=" +
                                          first["next_cursor"].get<std::string>())),
            std::vector<std::string>{later});
  EXPECT_EQ(ids_of(get(*coordinator_, "/api/v1/support-sessions?from=2026-02-05&to=2026-02-28")),
            std::vector<std::string>{id});
  EXPECT_EQ(ids_of(get(*coordinator_, "/api/v1/support-sessions?kind=training")),
            std::vector<std::string>{sooner});
  EXPECT_EQ(ids_of(get(*coordinator_, "/api/v1/support-sessions?volunteer_id=" + bram)),
            std::vector<std::string>{id});
  EXPECT_EQ(coordinator_->get("/api/v1/support-sessions?from=gisteren").status, 422);
  EXPECT_EQ(coordinator_->get("/api/v1/support-sessions?kind=party").status, 422);
  EXPECT_EQ(coordinator_->get("/api/v1/support-sessions?order=random").status, 422);
}

TEST_P(Coordination, BadSessionInputNamesEachFieldAndSavesNothing) {
  const auto anna = volunteer("Anna");
  auto r = create_session({{"title", "Zonder soort"}});
  ASSERT_EQ(r.status, 422) << r.body;
  auto errors = json::parse(r.body)["errors"];
  for (const char* field : {"kind", "date", "duration_minutes"})
    EXPECT_TRUE(errors.contains(field)) << field << " " << r.body;
  EXPECT_EQ(errors["date"], "Vul dit veld in.");

  const std::vector<std::pair<json, std::string>> cases = {
      {{{"kind", "party"}}, "kind"},
      {{{"date", "2026-02-30"}}, "date"},
      {{{"start_time", "25:00"}}, "start_time"},
      {{{"start_time", "9.30"}}, "start_time"},
      {{{"duration_minutes", 0}}, "duration_minutes"},
      {{{"duration_minutes", 721}}, "duration_minutes"},
      {{{"duration_minutes", "60"}}, "duration_minutes"},
      {{{"basic_training", true}}, "basic_training"},  // only a training can be the basic one
      {{{"title", std::string(201, 'x')}}, "title"},
      {{{"title", "Twee\nregels"}}, "title"},
      {{{"notes", std::string(4001, 'x')}}, "notes"},
      {{{"volunteer_ids", "niet-een-lijst"}}, "volunteer_ids"},
      {{{"team_id", app_->b.team_id}}, "team_id"},  // another organisation's team is unknown
  };
  for (const auto& [change, field] : cases) {
    json body = session_body("peer_group", {anna});
    body.update(change);
    auto bad = create_session(body);
    EXPECT_EQ(bad.status, 422) << change.dump() << " " << bad.body;
    EXPECT_TRUE(json::parse(bad.body)["errors"].contains(field)) << change.dump() << bad.body;
  }
  EXPECT_EQ(count("support_sessions"), 0);
  EXPECT_EQ(count("support_session_attendees"), 0);
  // The limits themselves are fine.
  json edge = session_body("training", {anna});
  edge.update({{"duration_minutes", 720},
               {"basic_training", true},
               {"notes", std::string(4000, 'x')},
               {"start_time", "23:59"}});
  EXPECT_EQ(create_session(edge).status, 201);
}

TEST_P(Coordination, ASupervisionIsWithExactlyOneVolunteer) {
  const auto anna = volunteer("Anna");
  const auto bram = volunteer("Bram");
  for (const auto& invitees : {std::vector<std::string>{}, std::vector<std::string>{anna, bram}}) {
    auto r = create_session(session_body("supervision", invitees));
    ASSERT_EQ(r.status, 422) << r.body;
    EXPECT_EQ(json::parse(r.body)["errors"]["volunteer_ids"],
              "Een begeleidingsgesprek is met precies één vrijwilliger. Kies één vrijwilliger.");
  }
  EXPECT_EQ(count("support_sessions"), 0);
  const std::string id = session("supervision", {anna}, kToday)["id"];
  // Not by changing it, nor by marking someone else present.
  EXPECT_EQ(
      patch(*coordinator_, "/api/v1/support-sessions/" + id, {{"volunteer_ids", {anna, bram}}})
          .status,
      422);
  EXPECT_EQ(
      patch(*coordinator_, "/api/v1/support-sessions/" + id, {{"volunteer_ids", json::array()}})
          .status,
      422);
  auto walk_in = attendance(id, {bram});
  EXPECT_EQ(walk_in.status, 422) << walk_in.body;
  EXPECT_EQ(get(*coordinator_, "/api/v1/support-sessions/" + id)["volunteer_ids"], json({anna}));
  // A peer group session may become a supervision once it has one volunteer.
  const std::string group = session("peer_group", {anna, bram})["id"];
  EXPECT_EQ(
      patch(*coordinator_, "/api/v1/support-sessions/" + group, {{"kind", "supervision"}}).status,
      422);
  auto ok = patch(*coordinator_, "/api/v1/support-sessions/" + group,
                  {{"kind", "supervision"}, {"volunteer_ids", {bram}}});
  EXPECT_EQ(ok.status, 200) << ok.body;
}

TEST_P(Coordination, InviteesOutsideTheCallersScopeAreNamedAsUnknown) {
  const auto mine = volunteer("Anna");
  const auto other_team = volunteer("Olga", json::object(), &as("other_coordinator"));
  const auto other_org = volunteer("Bertus", json::object(), &as_b("coordinator"));
  auto r = create_session(
      session_body("peer_group", {mine, other_team, "bestaatniet00000000000000", other_org}));
  ASSERT_EQ(r.status, 422) << r.body;
  auto body = json::parse(r.body);
  EXPECT_EQ(body["unknown_volunteer_ids"],
            json({other_team, "bestaatniet00000000000000", other_org}));
  const std::string message = body["errors"]["volunteer_ids"];
  EXPECT_TRUE(contains(message, "Deze vrijwilligers kennen we niet")) << message;
  for (const auto& id : {other_team, other_org}) EXPECT_TRUE(contains(message, id)) << message;
  EXPECT_FALSE(contains(message, mine));
  EXPECT_EQ(count("support_sessions"), 0);
  // The project lead's scope is the organisation: the other team's volunteer is fine for them.
  auto lead = create_session(session_body("peer_group", {mine, other_team}), &as("project_lead"));
  ASSERT_EQ(lead.status, 201) << lead.body;
  EXPECT_EQ(json::parse(lead.body)["team_id"], nullptr);  // a session for the whole organisation
  auto lead_other_org =
      create_session(session_body("peer_group", {other_org}), &as("project_lead"));
  EXPECT_EQ(lead_other_org.status, 422);
}

TEST_P(Coordination, AnotherTeamsSessionIs403AndAnotherOrganisations404) {
  const auto anna = volunteer("Anna");
  const std::string id = session("peer_group", {anna}, kToday)["id"];
  const std::string path = "/api/v1/support-sessions/" + id;
  HttpClient& other = as("other_coordinator");
  EXPECT_EQ(other.get(path).status, 403);
  EXPECT_EQ(patch(other, path, {{"title", "Overgenomen"}}).status, 403);
  EXPECT_EQ(attendance(id, {anna}, &other).status, 403);
  EXPECT_TRUE(ids_of(get(other, "/api/v1/support-sessions")).empty());
  // Nor may a coordinator plan for a team that is not theirs.
  auto foreign_team =
      create_session(with(session_body("peer_group", {}), {{"team_id", app_->a.other_team_id}}));
  EXPECT_EQ(foreign_team.status, 403) << foreign_team.body;
  // ... or move a session there, or make it one for the whole organisation.
  EXPECT_EQ(patch(*coordinator_, path, {{"team_id", app_->a.other_team_id}}).status, 403);
  auto everyone = patch(*coordinator_, path, {{"team_id", nullptr}});
  EXPECT_EQ(everyone.status, 422) << everyone.body;
  EXPECT_TRUE(json::parse(everyone.body)["errors"].contains("team_id"));

  HttpClient& stranger = as_b("coordinator");
  auto missing = stranger.get("/api/v1/support-sessions/bestaatniet00000000000000");
  auto foreign = stranger.get(path);
  EXPECT_EQ(foreign.status, 404);
  EXPECT_EQ(missing.status, 404);
  EXPECT_EQ(json::parse(foreign.body)["title"], json::parse(missing.body)["title"]);
  EXPECT_EQ(patch(stranger, path, {{"title", "x"}}).status, 404);
  EXPECT_EQ(attendance(id, {}, &stranger).status, 404);
  EXPECT_TRUE(ids_of(get(as_b("project_lead"), "/api/v1/support-sessions")).empty());

  // The project lead of the organisation reads and manages every team's sessions.
  EXPECT_EQ(get(as("project_lead"), path)["id"], id);
  EXPECT_EQ(patch(as("project_lead"), path, {{"title", "Door de projectleider"}}).status, 200);
  // Foundation and admin have no part in it.
  for (const char* role : {"foundation", "admin"}) {
    EXPECT_EQ(as(role).get("/api/v1/support-sessions").status, 403) << role;
    EXPECT_EQ(as(role).get(path).status, 403) << role;
  }
  EXPECT_EQ(get(*coordinator_, path)["title"], "Door de projectleider");
}

TEST_P(Coordination, AVolunteerSeesOnlyTheirOwnSessionsAndNeverTheNotes) {
  const auto me = volunteer("Mira", {{"user_id", app_->a.users.at("volunteer").id}});
  const auto other = volunteer("Otto", {{"last_name", "Anders"}});
  const std::string mine = session("peer_group", {me, other}, "2026-02-05",
                                   {{"notes", "Geheime notitie over Otto"}})["id"];
  const std::string not_mine = session("supervision", {other}, "2026-02-06")["id"];
  ASSERT_EQ(attendance(mine, {other}).status, 409);  // not yet: it is on Thursday
  set_now("2026-02-05T18:00:00Z");
  ASSERT_EQ(attendance(mine, {me, other}).status, 200);

  HttpClient& api = as("volunteer");
  auto list = api.get("/api/v1/support-sessions");
  ASSERT_EQ(list.status, 200) << list.body;
  auto listed = json::parse(list.body);
  EXPECT_EQ(ids_of(listed), std::vector<std::string>{mine});
  EXPECT_FALSE(contains(list.body, "Geheime notitie"));
  EXPECT_FALSE(contains(list.body, "Anders"));
  EXPECT_FALSE(contains(list.body, other));
  const auto& item = listed["items"][0];
  EXPECT_FALSE(item.contains("notes"));
  ASSERT_EQ(item["attendees"].size(), 1u);
  EXPECT_EQ(item["attendees"][0]["volunteer_id"], me);
  EXPECT_EQ(item["attendees"][0]["attended"], true);

  auto one = api.get("/api/v1/support-sessions/" + mine);
  ASSERT_EQ(one.status, 200) << one.body;
  EXPECT_FALSE(json::parse(one.body).contains("notes"));
  EXPECT_FALSE(contains(one.body, "Geheime notitie"));
  // Another volunteer's supervision does not exist for them; nor can they plan or change.
  EXPECT_EQ(api.get("/api/v1/support-sessions/" + not_mine).status, 404);
  EXPECT_EQ(create_session(session_body("peer_group", {me}), &api).status, 403);
  EXPECT_EQ(patch(api, "/api/v1/support-sessions/" + mine, {{"notes", "x"}}).status, 403);
  EXPECT_EQ(attendance(mine, {me}, &api).status, 403);
  // "My next session": from today on.
  EXPECT_TRUE(ids_of(get(api, "/api/v1/support-sessions?from=2026-02-06")).empty());

  // The pages say the same, on a phone.
  auto web = app_->session_as(app_->a, "volunteer");
  auto page = web->get("/begeleiding");
  ASSERT_EQ(page.status, 200) << page.body;
  EXPECT_TRUE(contains(page.body, "Uw gesprekken, intervisie en trainingen."));
  EXPECT_TRUE(contains(page.body, "/begeleiding/" + mine));
  EXPECT_FALSE(contains(page.body, "/begeleiding/" + not_mine));
  EXPECT_FALSE(contains(page.body, "/begeleiding/nieuw"));
  auto detail = web->get("/begeleiding/" + mine);
  ASSERT_EQ(detail.status, 200) << detail.body;
  EXPECT_TRUE(contains(detail.body, "U was erbij."));
  EXPECT_FALSE(contains(detail.body, "Geheime notitie"));
  EXPECT_FALSE(contains(detail.body, "Otto"));
  EXPECT_FALSE(contains(detail.body, "Aanwezigheid opslaan"));
  EXPECT_EQ(web->get("/begeleiding/" + not_mine).status, 404);
  EXPECT_EQ(web->get("/begeleiding/nieuw").status, 403);
}

TEST_P(Coordination, AttendanceIsReplacedAndAWalkInIsAdded) {
  const auto anna = volunteer("Anna");
  const auto bram = volunteer("Bram");
  const auto cora = volunteer("Cora");
  const std::string id = session("theme_meeting", {anna, bram}, kToday)["id"];
  auto r = attendance(id, {bram, cora});
  ASSERT_EQ(r.status, 200) << r.body;
  std::map<std::string, bool> came;
  const json marked = json::parse(r.body);
  for (const auto& a : marked["attendees"])
    came[a["volunteer_id"].get<std::string>()] = a["attended"].get<bool>();
  EXPECT_EQ(came, (std::map<std::string, bool>{{anna, false}, {bram, true}, {cora, true}}));
  auto none = attendance(id, {});
  ASSERT_EQ(none.status, 200);
  const json cleared = json::parse(none.body);
  for (const auto& a : cleared["attendees"]) EXPECT_EQ(a["attended"], false);
  EXPECT_EQ(cleared["attendees"].size(), 3u);
  // The body must say who came, in a list.
  EXPECT_EQ(coordinator_
                ->request("PUT", "/api/v1/support-sessions/" + id + "/attendance", "{}",
                          {{"Content-Type", "application/json"}})
                .status,
            422);
  EXPECT_EQ(attendance(id, {"bestaatniet00000000000000"}).status, 422);
  EXPECT_EQ(coordinator_
                ->request("PUT", "/api/v1/support-sessions/bestaatniet00000000000000/attendance",
                          R"({"volunteer_ids": []})", {{"Content-Type", "application/json"}})
                .status,
            404);
}

TEST_P(Coordination, ABasicTrainingCompletesTheScreeningOfThoseWhoCame) {
  const auto anna = volunteer("Anna");  // no training yet
  const auto bram = volunteer("Bram");  // trained before
  ASSERT_EQ(coordinator_
                ->request("PUT", "/api/v1/volunteers/" + bram + "/screening",
                          R"({"training_completed_on": "2025-01-20"})",
                          {{"Content-Type", "application/json"}})
                .status,
            200);
  const auto cora = volunteer("Cora");  // invited, did not come
  const std::string ordinary = session("training", {anna}, "2026-02-02")["id"];
  const std::string basic =
      session("training", {anna, bram, cora}, "2026-02-10", {{"basic_training", true}})["id"];

  // An ordinary training does not count as the basic training.
  ASSERT_EQ(attendance(ordinary, {anna}).status, 200);
  EXPECT_EQ(training_date(anna), "");
  // Before the day nothing can be marked, and nothing changes.
  auto early = attendance(basic, {anna, bram});
  ASSERT_EQ(early.status, 409) << early.body;
  EXPECT_EQ(json::parse(early.body)["detail"],
            "U kunt de aanwezigheid pas invullen op de dag van de bijeenkomst of daarna.");
  EXPECT_EQ(training_date(anna), "");

  const std::string scope = "candidates:" + app_->a.id;
  auto version = [&] {
    auto conn = app_->db().acquire();
    auto row = conn->query_one("SELECT version FROM data_versions WHERE scope = ?", {scope});
    return row ? row->text(0) : std::string();
  };
  const std::string before = version();
  set_now("2026-02-12T09:00:00Z");
  ASSERT_EQ(attendance(basic, {anna, bram}).status, 200);
  EXPECT_EQ(training_date(anna), "2026-02-10");  // the session's date, not today's
  EXPECT_EQ(training_date(bram), "2025-01-20");  // an earlier date stays
  EXPECT_EQ(training_date(cora), "");
  EXPECT_NE(version(), before);  // the candidate index sees the completed training
  auto training_logged = [&](const std::string& id) {
    return scalar(app_->db(),
                  "SELECT COUNT(*) FROM access_log WHERE event = 'update' AND "
                  "object_type = 'volunteer' AND object_id = ? AND details LIKE ?",
                  {id, std::string("training_completed_on=2026-02-10%")});
  };
  EXPECT_EQ(training_logged(anna), 1);
  EXPECT_EQ(training_logged(bram), 0);
  // Unmarking undoes the date it set (UnmarkingABasicTrainingUndoesOnlyTheDateItSet); marking
  // again sets it again.
  ASSERT_EQ(attendance(basic, {bram}).status, 200);
  EXPECT_EQ(training_date(anna), "");
  ASSERT_EQ(attendance(basic, {anna, bram}).status, 200);
  EXPECT_EQ(training_date(anna), "2026-02-10");
  // Turning a held training into the basic one afterwards completes its attendees too.
  ASSERT_EQ(attendance(ordinary, {anna, cora}).status, 200);
  EXPECT_EQ(training_date(cora), "");
  ASSERT_EQ(patch(*coordinator_, "/api/v1/support-sessions/" + ordinary, {{"basic_training", true}})
                .status,
            200);
  EXPECT_EQ(training_date(cora), "2026-02-02");
}

TEST_P(Coordination, SessionsThisWeekRunFromMondayToSunday) {
  const auto me = volunteer("Mira", {{"user_id", app_->a.users.at("volunteer").id}});
  const auto other = volunteer("Otto");
  const std::string sunday_before = session("peer_group", {me}, "2026-02-01")["id"];
  const std::string monday = session("peer_group", {other}, "2026-02-02")["id"];
  const std::string sunday = session("theme_meeting", {me}, "2026-02-08")["id"];
  const std::string monday_after = session("peer_group", {me}, "2026-02-09")["id"];
  auto conn = app_->db().acquire();
  auto ids = [&](const std::string& key) {
    auto principal = auth::load_principal(*conn, app_->a.users.at(key).id);
    std::vector<std::string> out;
    for (const auto& s : coordination::sessions_this_week(*conn, {*principal, "127.0.0.1", clock_}))
      out.push_back(s.id);
    return out;
  };
  EXPECT_EQ(ids("coordinator"), (std::vector<std::string>{monday, sunday}));
  EXPECT_EQ(ids("volunteer"), std::vector<std::string>{sunday});
  EXPECT_TRUE(ids("other_coordinator").empty());
  EXPECT_TRUE(ids("foundation").empty());
  EXPECT_EQ(coordination::week_start("2026-02-08"), "2026-02-02");
  EXPECT_EQ(coordination::week_end("2026-02-02"), "2026-02-08");
  EXPECT_EQ(coordination::week_start("2026-03-01"), "2026-02-23");
  EXPECT_EQ(add_days("2026-12-31", 1), "2027-01-01");
  (void)sunday_before;
  (void)monday_after;
}

// --- partner consultations --------------------------------------------------------------------

TEST_P(Coordination, PartnerConsultationsAreRecordedAndListedPerFamily) {
  const auto fam = family("Familie Overleg");
  const auto other_fam = family("Familie Anders");
  auto r = coordinator_->post_json(
      "/api/v1/partner-consultations",
      json({{"family_id", fam},
            {"partner_kind", "consultatiebureau"},
            {"partner_name", "  CB Oost  "},
            {"date", "2026-01-20"},
            {"summary", "Groei van de jongste besproken.\nVolgende afspraak in maart."}})
          .dump());
  ASSERT_EQ(r.status, 201) << r.body;
  auto p = json::parse(r.body);
  const std::string first = p["id"];
  EXPECT_EQ(r.header("Location").value_or(""), "/api/v1/partner-consultations/" + first);
  EXPECT_EQ(p["family_id"], fam);
  EXPECT_EQ(p["family_name"], "Familie Overleg");
  EXPECT_EQ(p["partner_kind"], "consultatiebureau");
  EXPECT_EQ(p["partner_name"], "CB Oost");
  EXPECT_EQ(p["date"], "2026-01-20");
  EXPECT_EQ(p["created_by"], app_->a.users.at("coordinator").id);
  EXPECT_EQ(get(*coordinator_, "/api/v1/partner-consultations/" + first), p);

  auto second = coordinator_->post_json("/api/v1/partner-consultations",
                                        json({{"family_id", fam},
                                              {"partner_kind", "school"},
                                              {"partner_name", "De Regenboog"},
                                              {"date", kToday},
                                              {"summary", std::string(4000, 'a')}})
                                            .dump());
  ASSERT_EQ(second.status, 201) << second.body;
  const std::string newer = json::parse(second.body)["id"];
  auto elsewhere = coordinator_->post_json("/api/v1/partner-consultations",
                                           json({{"family_id", other_fam},
                                                 {"partner_kind", "gp"},
                                                 {"partner_name", "Huisarts Jansen"},
                                                 {"date", kToday},
                                                 {"summary", "Kort overleg."}})
                                               .dump());
  ASSERT_EQ(elsewhere.status, 201);
  const std::string third = json::parse(elsewhere.body)["id"];

  EXPECT_EQ(ids_of(get(*coordinator_, "/api/v1/families/" + fam + "/partner-consultations")),
            (std::vector<std::string>{newer, first}));
  EXPECT_EQ(ids_of(get(*coordinator_, "/api/v1/partner-consultations?family_id=" + fam)),
            (std::vector<std::string>{newer, first}));
  EXPECT_EQ(ids_of(get(*coordinator_, "/api/v1/partner-consultations?partner_kind=gp")),
            std::vector<std::string>{third});
  EXPECT_EQ(ids_of(get(*coordinator_, "/api/v1/partner-consultations?to=2026-01-31")),
            std::vector<std::string>{first});
  EXPECT_EQ(get(*coordinator_, "/api/v1/partner-consultations")["items"].size(), 3u);
  auto paged = get(*coordinator_, "/api/v1/families/" + fam + "/partner-consultations?limit=1");
  EXPECT_EQ(ids_of(paged), std::vector<std::string>{newer});
  EXPECT_TRUE(paged["next_cursor"].is_string());
  EXPECT_EQ(coordinator_->get("/api/v1/partner-consultations?partner_kind=buurman").status, 422);
}

TEST_P(Coordination, BadConsultationInputNamesEachField) {
  const auto fam = family("Familie Fout");
  json good = {{"family_id", fam},
               {"partner_kind", "midwife"},
               {"partner_name", "Verloskundige Zuid"},
               {"date", "2026-02-01"},
               {"summary", "Afspraken over de kraamtijd."}};
  auto empty = coordinator_->post_json("/api/v1/partner-consultations", "{}");
  ASSERT_EQ(empty.status, 422);
  for (const char* field : {"family_id", "partner_kind", "partner_name", "date", "summary"})
    EXPECT_TRUE(json::parse(empty.body)["errors"].contains(field)) << field;
  const std::vector<std::pair<json, std::string>> cases = {
      {{{"partner_kind", "buurman"}}, "partner_kind"},
      {{{"partner_name", "   "}}, "partner_name"},
      {{{"date", "2026-02-04"}}, "date"},  // tomorrow
      {{{"date", "01-02-2026"}}, "date"},
      {{{"summary", std::string(4001, 'a')}}, "summary"},
      {{{"summary", "  "}}, "summary"},
      {{{"family_id", "bestaatniet00000000000000"}}, "family_id"},
      {{{"family_id", family("Familie B", &as_b("coordinator"))}}, "family_id"},
  };
  for (const auto& [change, field] : cases) {
    json body = good;
    body.update(change);
    auto r = coordinator_->post_json("/api/v1/partner-consultations", body.dump());
    EXPECT_EQ(r.status, 422) << change.dump() << " " << r.body;
    EXPECT_TRUE(json::parse(r.body)["errors"].contains(field)) << change.dump() << r.body;
  }
  auto future = coordinator_->post_json("/api/v1/partner-consultations",
                                        with(good, {{"date", "2026-02-04"}}).dump());
  EXPECT_EQ(json::parse(future.body)["errors"]["date"], "Deze datum ligt in de toekomst.");
  EXPECT_EQ(count("partner_consultations"), 0);
}

TEST_P(Coordination, PartnerConsultationsAreForStaffOfTheFamilysTeam) {
  const auto fam = family("Familie Team");
  auto r = coordinator_->post_json("/api/v1/partner-consultations",
                                   json({{"family_id", fam},
                                         {"partner_kind", "social_services"},
                                         {"partner_name", "Sociale dienst"},
                                         {"date", kToday},
                                         {"summary", "Uitkering loopt weer."}})
                                       .dump());
  ASSERT_EQ(r.status, 201) << r.body;
  const std::string id = json::parse(r.body)["id"];
  const json body = {{"family_id", fam},
                     {"partner_kind", "school"},
                     {"partner_name", "School"},
                     {"date", kToday},
                     {"summary", "x"}};

  HttpClient& other = as("other_coordinator");
  EXPECT_EQ(other.get("/api/v1/partner-consultations/" + id).status, 403);
  EXPECT_EQ(other.get("/api/v1/families/" + fam + "/partner-consultations").status, 403);
  EXPECT_EQ(other.post_json("/api/v1/partner-consultations", body.dump()).status, 403);
  EXPECT_TRUE(ids_of(get(other, "/api/v1/partner-consultations")).empty());

  HttpClient& stranger = as_b("coordinator");
  EXPECT_EQ(stranger.get("/api/v1/partner-consultations/" + id).status, 404);
  EXPECT_EQ(stranger.get("/api/v1/families/" + fam + "/partner-consultations").status, 404);
  auto foreign = stranger.post_json("/api/v1/partner-consultations", body.dump());
  EXPECT_EQ(foreign.status, 422);
  EXPECT_TRUE(json::parse(foreign.body)["errors"].contains("family_id"));
  EXPECT_TRUE(ids_of(get(as_b("project_lead"), "/api/v1/partner-consultations")).empty());

  // Volunteers never, not even about the family they walk with.
  HttpClient& volunteer_api = as("volunteer");
  EXPECT_EQ(volunteer_api.get("/api/v1/partner-consultations").status, 403);
  EXPECT_EQ(volunteer_api.get("/api/v1/partner-consultations/" + id).status, 403);
  EXPECT_EQ(volunteer_api.get("/api/v1/families/" + fam + "/partner-consultations").status, 403);
  EXPECT_EQ(volunteer_api.post_json("/api/v1/partner-consultations", body.dump()).status, 403);

  EXPECT_EQ(get(as("project_lead"), "/api/v1/partner-consultations/" + id)["id"], id);
  EXPECT_EQ(as("project_lead").post_json("/api/v1/partner-consultations", body.dump()).status, 201);
  EXPECT_EQ(count("partner_consultations"), 2);
}

// --- time entries -----------------------------------------------------------------------------

TEST_P(Coordination, ACoordinatorSeesTheirOwnTimeAndTheProjectLeadAllWithTotals) {
  const auto fam = family("Familie Uren");
  auto r = record_time(
      *coordinator_,
      {{"date", kToday}, {"minutes", 45}, {"kind", "family_support"}, {"family_id", fam}});
  ASSERT_EQ(r.status, 201) << r.body;
  auto e = json::parse(r.body);
  EXPECT_EQ(e["date"], kToday);
  EXPECT_EQ(e["minutes"], 45);
  EXPECT_EQ(e["kind"], "family_support");
  EXPECT_EQ(e["family_id"], fam);
  EXPECT_EQ(e["family_name"], "Familie Uren");
  EXPECT_EQ(e["user_id"], app_->a.users.at("coordinator").id);
  const std::string first = e["id"];
  const std::string second = time_entry(*coordinator_, 30, "2026-01-15", "intake");
  const std::string theirs = time_entry(as("other_coordinator"), 60, "2026-02-02", "training");
  const std::string leads = time_entry(as("project_lead"), 15, "2026-02-01", "other");
  time_entry(as_b("coordinator"), 500);

  auto own = get(*coordinator_, "/api/v1/time-entries");
  EXPECT_EQ(ids_of(own), (std::vector<std::string>{first, second}));
  EXPECT_EQ(own["total_minutes"], 75);
  // Asking for someone else's gives nothing more.
  auto peek = get(*coordinator_,
                  "/api/v1/time-entries?user_id=" + app_->a.users.at("other_coordinator").id);
  EXPECT_TRUE(ids_of(peek).empty());
  EXPECT_EQ(peek["total_minutes"], 0);

  auto all = get(as("project_lead"), "/api/v1/time-entries");
  EXPECT_EQ(ids_of(all), (std::vector<std::string>{first, theirs, leads, second}));
  EXPECT_EQ(all["total_minutes"], 150);
  auto paged = get(as("project_lead"), "/api/v1/time-entries?limit=1");
  EXPECT_EQ(paged["items"].size(), 1u);
  EXPECT_EQ(paged["total_minutes"], 150);  // the total is of the whole selection
  EXPECT_EQ(get(as("project_lead"),
                "/api/v1/time-entries?from=2026-02-01&to=2026-02-02")["total_minutes"],
            75);
  EXPECT_EQ(get(as("project_lead"), "/api/v1/time-entries?family_id=" + fam)["total_minutes"], 45);
  EXPECT_EQ(get(as("project_lead"), "/api/v1/time-entries?user_id=" +
                                        app_->a.users.at("other_coordinator").id)["total_minutes"],
            60);
  EXPECT_EQ(as("project_lead").get("/api/v1/time-entries?from=morgen").status, 422);
  EXPECT_EQ(as("volunteer").get("/api/v1/time-entries").status, 403);
  EXPECT_EQ(
      record_time(as("volunteer"), {{"date", kToday}, {"minutes", 5}, {"kind", "other"}}).status,
      403);

  // The savings model's figure: the organisation's minutes, by period and family.
  auto conn = app_->db().acquire();
  EXPECT_EQ(coordination::coordinator_minutes(*conn, app_->a.id, "", "", std::nullopt), 150);
  EXPECT_EQ(coordination::coordinator_minutes(*conn, app_->a.id, "2026-02-01", "2026-02-28",
                                              std::nullopt),
            120);
  EXPECT_EQ(coordination::coordinator_minutes(*conn, app_->a.id, "2026-01-01", "2026-01-31",
                                              std::nullopt),
            30);
  EXPECT_EQ(coordination::coordinator_minutes(*conn, app_->a.id, "", "", fam), 45);
  EXPECT_EQ(coordination::coordinator_minutes(*conn, app_->b.id, "", "", std::nullopt), 500);
}

TEST_P(Coordination, BadTimeInputNamesEachField) {
  const auto mine = family("Familie Eigen");
  const auto other_team = family("Familie Team 2", &as("other_coordinator"));
  const auto other_org = family("Familie B", &as_b("coordinator"));
  const json good = {{"date", kToday}, {"minutes", 30}, {"kind", "matching"}};
  const std::vector<std::pair<json, std::string>> cases = {
      {{{"minutes", 0}}, "minutes"},
      {{{"minutes", 721}}, "minutes"},
      {{{"minutes", 1.5}}, "minutes"},
      {{{"minutes", nullptr}}, "minutes"},
      {{{"kind", "koffie"}}, "kind"},
      {{{"kind", nullptr}}, "kind"},
      {{{"date", "2026-02-04"}}, "date"},
      {{{"date", nullptr}}, "date"},
      {{{"family_id", "bestaatniet00000000000000"}}, "family_id"},
      {{{"family_id", other_org}}, "family_id"},
  };
  for (const auto& [change, field] : cases) {
    json body = good;
    body.update(change);
    auto r = record_time(*coordinator_, body);
    EXPECT_EQ(r.status, 422) << change.dump() << " " << r.body;
    EXPECT_TRUE(json::parse(r.body)["errors"].contains(field)) << change.dump() << r.body;
  }
  auto other = record_time(*coordinator_, with(good, {{"family_id", other_team}}));
  EXPECT_EQ(other.status, 403) << other.body;
  EXPECT_EQ(count("time_entries"), 0);
  EXPECT_EQ(record_time(*coordinator_, with(good, {{"minutes", 720}, {"family_id", mine}})).status,
            201);
  EXPECT_EQ(record_time(*coordinator_, with(good, {{"minutes", 1}})).status, 201);
}

TEST_P(Coordination, TimeCanBeRemovedOnlyByItsOwnerInItsOwnWeek) {
  const std::string tuesday = time_entry(*coordinator_, 30);
  const std::string monday = time_entry(*coordinator_, 20, "2026-02-02");
  const std::string last_week = time_entry(*coordinator_, 10, "2026-02-01");
  entered_at(last_week, "2026-02-01T10:00:00Z");  // entered on Sunday, last week
  const std::string keep = time_entry(*coordinator_, 40);
  auto remove = [&](HttpClient& c, const std::string& id) {
    return c.request("DELETE", "/api/v1/time-entries/" + id);
  };
  // Entered last Sunday: last week, closed.
  auto closed = remove(*coordinator_, last_week);
  ASSERT_EQ(closed.status, 409) << closed.body;
  EXPECT_EQ(json::parse(closed.body)["detail"],
            "Deze regel is in een eerdere week ingevuld. U kunt alleen verwijderen wat u deze "
            "week hebt ingevuld.");
  // Someone else's entry does not exist for them, whatever their role.
  EXPECT_EQ(remove(as("other_coordinator"), tuesday).status, 404);
  EXPECT_EQ(remove(as("project_lead"), tuesday).status, 404);
  EXPECT_EQ(remove(as_b("coordinator"), tuesday).status, 404);
  EXPECT_EQ(remove(as("volunteer"), tuesday).status, 403);

  // Sunday evening (23:30 in Amsterdam) is still the same week.
  set_now("2026-02-08T22:30:00Z");
  EXPECT_EQ(remove(*coordinator_, monday).status, 204);
  // Monday just after midnight in Amsterdam (still Sunday in UTC) is the next week.
  set_now("2026-02-08T23:30:00Z");
  EXPECT_EQ(remove(*coordinator_, tuesday).status, 409);
  EXPECT_EQ(remove(*coordinator_, "bestaatniet00000000000000").status, 404);
  std::set<std::string> left;
  for (const auto& id : ids_of(get(*coordinator_, "/api/v1/time-entries"))) left.insert(id);
  EXPECT_EQ(left, (std::set<std::string>{tuesday, last_week, keep}));
  // A date in the new week may be written and removed again.
  const std::string fresh = time_entry(*coordinator_, 5, "2026-02-09");
  EXPECT_EQ(remove(*coordinator_, fresh).status, 204);
}

// --- the access log ---------------------------------------------------------------------------

TEST_P(Coordination, EveryReadAndWriteIsInTheAccessLog) {
  const auto anna = volunteer("Anna");
  const auto fam = family("Familie Log");
  const std::string session_id = session("peer_group", {anna}, kToday)["id"];
  EXPECT_EQ(logged("create", "support_session", session_id, "success"), 1);
  get(*coordinator_, "/api/v1/support-sessions/" + session_id);
  EXPECT_EQ(logged("view", "support_session", session_id, "success"), 1);
  ASSERT_EQ(attendance(session_id, {anna}).status, 200);
  EXPECT_EQ(logged("update", "support_session", session_id, "success"), 1);
  get(*coordinator_, "/api/v1/support-sessions");
  EXPECT_EQ(scalar(app_->db(),
                   "SELECT COUNT(*) FROM access_log WHERE event = 'list' AND "
                   "object_type = 'support_session' AND details LIKE ?",
                   {"%" + session_id + "%"}),
            1);
  as("other_coordinator").get("/api/v1/support-sessions/" + session_id);
  EXPECT_EQ(logged("view", "support_session", session_id, "denied"), 1);
  as_b("coordinator").get("/api/v1/support-sessions/" + session_id);
  EXPECT_EQ(logged("view", "support_session", session_id, "not_found"), 1);

  auto created = coordinator_->post_json("/api/v1/partner-consultations",
                                         json({{"family_id", fam},
                                               {"partner_kind", "referrer"},
                                               {"partner_name", "CJG"},
                                               {"date", kToday},
                                               {"summary", "Terugkoppeling."}})
                                             .dump());
  ASSERT_EQ(created.status, 201);
  const std::string consultation = json::parse(created.body)["id"];
  EXPECT_EQ(scalar(app_->db(),
                   "SELECT COUNT(*) FROM access_log WHERE event = 'create' AND object_type = "
                   "'partner_consultation' AND object_id = ? AND details = ?",
                   {consultation, "family=" + fam}),
            1);
  get(*coordinator_, "/api/v1/partner-consultations/" + consultation);
  EXPECT_EQ(logged("view", "partner_consultation", consultation, "success"), 1);
  get(*coordinator_, "/api/v1/families/" + fam + "/partner-consultations");
  EXPECT_EQ(logged("list", "partner_consultation", "family:" + fam, "success"), 1);
  as("other_coordinator").get("/api/v1/families/" + fam + "/partner-consultations");
  EXPECT_EQ(logged("list", "partner_consultation", "family:" + fam, "denied"), 1);
  as_b("coordinator").get("/api/v1/partner-consultations/" + consultation);
  EXPECT_EQ(logged("view", "partner_consultation", consultation, "not_found"), 1);

  const std::string entry = time_entry(*coordinator_, 30, kToday, "family_support", fam);
  EXPECT_EQ(logged("create", "time_entry", entry, "success"), 1);
  get(*coordinator_, "/api/v1/time-entries");
  EXPECT_EQ(scalar(app_->db(),
                   "SELECT COUNT(*) FROM access_log WHERE event = 'list' AND "
                   "object_type = 'time_entry' AND details LIKE ?",
                   {"%" + entry + "%"}),
            1);
  as("other_coordinator").request("DELETE", "/api/v1/time-entries/" + entry);
  EXPECT_EQ(logged("delete", "time_entry", entry, "not_found"), 1);
  ASSERT_EQ(coordinator_->request("DELETE", "/api/v1/time-entries/" + entry).status, 204);
  EXPECT_EQ(logged("delete", "time_entry", entry, "success"), 1);
  // Every row carries who did it.
  EXPECT_EQ(scalar(app_->db(),
                   "SELECT COUNT(*) FROM access_log WHERE object_type IN ('support_session', "
                   "'partner_consultation', 'time_entry') AND (user_id IS NULL OR role IS NULL)"),
            0);
}

// --- pages ------------------------------------------------------------------------------------

TEST_P(Coordination, TheSessionPagesPlanListAndRecordAttendance) {
  const auto anna = volunteer("Anna", {{"last_name", "Aanwezig"}});
  const auto bram = volunteer("Bram", {{"last_name", "Bezig"}});
  const std::string held =
      session("theme_meeting", {anna}, "2026-01-20", {{"title", "Thema: geldzaken"}})["id"];
  std::string csrf;
  auto web = app_->session_as(app_->a, "coordinator", &csrf);

  auto form = web->get("/begeleiding/nieuw");
  ASSERT_EQ(form.status, 200) << form.body;
  for (const char* text :
       {"Nieuwe bijeenkomst plannen", "Begeleidingsgesprek", "Intervisie", "Anna Aanwezig",
        "Bram Bezig", "Dit is de basistraining", "value=\"2026-02-03\""})
    EXPECT_TRUE(contains(form.body, text)) << text;

  // A supervision with two volunteers: the form comes back with what was typed and what to fix.
  auto refused = web->post_form("/begeleiding", {{"csrf_token", csrf},
                                                 {"kind", "supervision"},
                                                 {"title", "Gesprek met Anna"},
                                                 {"date", "2026-02-10"},
                                                 {"start_time", "10:00"},
                                                 {"duration_minutes", "60"},
                                                 {"team_id", app_->a.team_id},
                                                 {"volunteer_ids", anna},
                                                 {"volunteer_ids", bram}});
  ASSERT_EQ(refused.status, 422) << refused.body;
  EXPECT_TRUE(contains(refused.body, "Er ging iets mis"));
  EXPECT_TRUE(
      contains(refused.body, "Een begeleidingsgesprek is met precies één vrijwilliger. Kies één"));
  EXPECT_TRUE(contains(refused.body, "value=\"Gesprek met Anna\""));
  EXPECT_TRUE(contains(refused.body, "value=\"10:00\""));
  EXPECT_EQ(count("support_sessions"), 1);

  auto created = web->post_form("/begeleiding", {{"csrf_token", csrf},
                                                 {"kind", "supervision"},
                                                 {"title", "Gesprek met Anna"},
                                                 {"date", "2026-02-10"},
                                                 {"start_time", "10:00"},
                                                 {"duration_minutes", "60"},
                                                 {"team_id", app_->a.team_id},
                                                 {"volunteer_ids", anna},
                                                 {"notes", "Vraagt naar grenzen."}});
  ASSERT_EQ(created.status, 303) << created.body;
  const std::string location = created.header("Location").value_or("");
  ASSERT_EQ(location.rfind("/begeleiding/", 0), 0u) << location;

  auto list = web->get("/begeleiding");
  ASSERT_EQ(list.status, 200) << list.body;
  const auto upcoming_at = list.body.find("Gesprek met Anna");
  const auto past_at = list.body.find("Thema: geldzaken");
  ASSERT_NE(upcoming_at, std::string::npos);
  ASSERT_NE(past_at, std::string::npos);
  EXPECT_LT(upcoming_at, past_at);  // what is coming up first
  EXPECT_LT(list.body.find("Wat er aankomt"), upcoming_at);
  EXPECT_LT(upcoming_at, list.body.find("Wat er al was"));
  EXPECT_TRUE(contains(list.body, "/begeleiding/nieuw"));

  // Before the day: no checkboxes, and a post is refused.
  auto future_page = web->get(location);
  ASSERT_EQ(future_page.status, 200) << future_page.body;
  for (const char* text : {"Gesprek met Anna", "10-02-2026, 10:00", "Anna Aanwezig",
                           "vanaf de dag van de bijeenkomst", "Vraagt naar grenzen."})
    EXPECT_TRUE(contains(future_page.body, text)) << text;
  EXPECT_FALSE(contains(future_page.body, "Aanwezigheid opslaan"));
  auto early =
      web->post_form(location + "/aanwezigheid", {{"csrf_token", csrf}, {"attended", anna}});
  EXPECT_EQ(early.status, 409);
  EXPECT_TRUE(contains(early.body, "pas invullen op de dag van de bijeenkomst"));

  // The held session: tick who came.
  auto held_page = web->get("/begeleiding/" + held);
  ASSERT_EQ(held_page.status, 200);
  EXPECT_TRUE(contains(held_page.body, "Aanwezigheid opslaan"));
  EXPECT_TRUE(contains(held_page.body, "value=\"" + anna + "\""));
  auto marked = web->post_form("/begeleiding/" + held + "/aanwezigheid",
                               {{"csrf_token", csrf}, {"attended", anna}});
  ASSERT_EQ(marked.status, 303) << marked.body;
  auto after = web->get("/begeleiding/" + held);
  EXPECT_TRUE(contains(after.body, "De aanwezigheid is opgeslagen."));
  EXPECT_TRUE(contains(after.body, "value=\"" + anna + "\" checked"));
  auto unknown = web->post_form("/begeleiding/" + held + "/aanwezigheid",
                                {{"csrf_token", csrf}, {"attended", "bestaatniet00000000000000"}});
  EXPECT_EQ(unknown.status, 422);
  EXPECT_TRUE(contains(unknown.body, "Deze vrijwilligers kennen we niet"));

  // Notes.
  auto notes = web->post_form("/begeleiding/" + held + "/notities",
                              {{"csrf_token", csrf}, {"notes", "Goede opkomst."}});
  ASSERT_EQ(notes.status, 303) << notes.body;
  EXPECT_EQ(get(*coordinator_, "/api/v1/support-sessions/" + held)["notes"], "Goede opkomst.");
  auto too_long = web->post_form("/begeleiding/" + held + "/notities",
                                 {{"csrf_token", csrf}, {"notes", std::string(4001, 'x')}});
  EXPECT_EQ(too_long.status, 422);
  EXPECT_TRUE(contains(too_long.body, "Deze tekst is te lang."));

  // Another team's coordinator and another organisation.
  auto other = app_->session_as(app_->a, "other_coordinator");
  EXPECT_EQ(other->get("/begeleiding/" + held).status, 403);
  EXPECT_FALSE(contains(other->get("/begeleiding").body, "Thema: geldzaken"));
  EXPECT_EQ(app_->session_as(app_->b, "coordinator")->get("/begeleiding/" + held).status, 404);
}

TEST_P(Coordination, TheConsultationPageListsAndRecords) {
  const auto fam = family("Familie Netwerk");
  std::string csrf;
  auto web = app_->session_as(app_->a, "coordinator", &csrf);
  auto empty = web->get("/gezinnen/" + fam + "/overleg");
  ASSERT_EQ(empty.status, 200) << empty.body;
  for (const char* text :
       {"Overleg met partners: Familie Netwerk", "Er is nog geen overleg vastgelegd.",
        "Consultatiebureau", "Verloskundige", "value=\"2026-02-03\""})
    EXPECT_TRUE(contains(empty.body, text)) << text;

  auto refused = web->post_form("/gezinnen/" + fam + "/overleg", {{"csrf_token", csrf},
                                                                  {"partner_kind", "school"},
                                                                  {"partner_name", "De Regenboog"},
                                                                  {"date", kToday},
                                                                  {"summary", ""}});
  ASSERT_EQ(refused.status, 422) << refused.body;
  EXPECT_TRUE(contains(refused.body, "Vul dit veld in."));
  EXPECT_TRUE(contains(refused.body, "value=\"De Regenboog\""));
  auto saved = web->post_form("/gezinnen/" + fam + "/overleg",
                              {{"csrf_token", csrf},
                               {"partner_kind", "school"},
                               {"partner_name", "De Regenboog"},
                               {"date", kToday},
                               {"summary", "Juf ziet vooruitgang <b>bij lezen</b>."}});
  ASSERT_EQ(saved.status, 303) << saved.body;
  auto page = web->get("/gezinnen/" + fam + "/overleg");
  EXPECT_TRUE(contains(page.body, "Het overleg is opgeslagen."));
  EXPECT_TRUE(contains(page.body, "School: De Regenboog"));
  EXPECT_TRUE(contains(page.body, "&lt;b&gt;bij lezen&lt;/b&gt;"));  // shown as text
  EXPECT_TRUE(contains(page.body, "Test coordinator"));

  EXPECT_EQ(
      app_->session_as(app_->a, "other_coordinator")->get("/gezinnen/" + fam + "/overleg").status,
      403);
  EXPECT_EQ(app_->session_as(app_->b, "coordinator")->get("/gezinnen/" + fam + "/overleg").status,
            404);
  EXPECT_EQ(app_->session_as(app_->a, "volunteer")->get("/gezinnen/" + fam + "/overleg").status,
            403);
  EXPECT_EQ(web->get("/gezinnen/bestaatniet00000000000000/overleg").status, 404);

  // The partial the family page includes links here for staff only.
  const auto& renderer = web::Renderer::instance();
  const std::string staff = renderer.render("coordination/family_link",
                                            {{"family", {{"id", fam}}}, {"is_volunteer", false}});
  EXPECT_TRUE(contains(staff, "/gezinnen/" + fam + "/overleg")) << staff;
  EXPECT_TRUE(contains(staff, "Overleg met partners over dit gezin"));
  EXPECT_FALSE(contains(renderer.render("coordination/family_link",
                                        {{"family", {{"id", fam}}}, {"is_volunteer", true}}),
                        "overleg"));
}

TEST_P(Coordination, TheTimePageShowsTheWeekAndTakesAQuickEntry) {
  const auto fam = family("Familie Tijd");
  std::string csrf;
  auto web = app_->session_as(app_->a, "coordinator", &csrf);
  auto empty = web->get("/uren");
  ASSERT_EQ(empty.status, 200) << empty.body;
  for (const char* text : {"Mijn uren", "Week van 02-02-2026 tot en met 08-02-2026",
                           "value=\"2026-02-03\"", "Familie Tijd", "Geen gezin",
                           "Korte hulp in het gezin", "In deze week is nog geen tijd ingevuld."})
    EXPECT_TRUE(contains(empty.body, text)) << text;

  auto refused = web->post_form("/uren", {{"csrf_token", csrf},
                                          {"date", kToday},
                                          {"minutes", "0"},
                                          {"kind", "intake"},
                                          {"family_id", fam}});
  ASSERT_EQ(refused.status, 422) << refused.body;
  EXPECT_TRUE(contains(refused.body, "Vul een aantal minuten in van 1 tot en met 720."));
  EXPECT_TRUE(contains(refused.body, "value=\"0\""));
  EXPECT_EQ(count("time_entries"), 0);

  auto saved = web->post_form("/uren", {{"csrf_token", csrf},
                                        {"date", kToday},
                                        {"minutes", "90"},
                                        {"kind", "family_support"},
                                        {"family_id", fam}});
  ASSERT_EQ(saved.status, 303) << saved.body;
  ASSERT_EQ(web->post_form("/uren", {{"csrf_token", csrf},
                                     {"date", "2026-01-27"},
                                     {"minutes", "25"},
                                     {"kind", "administration"},
                                     {"family_id", ""}})
                .status,
            303);
  // That one was entered last week (by the time it was entered, not the day it is for).
  const auto entries = get(*coordinator_, "/api/v1/time-entries")["items"];
  ASSERT_EQ(entries.size(), 2u);
  const std::string this_week_id = entries[0]["id"];
  const std::string last_week_id = entries[1]["id"];
  entered_at(last_week_id, "2026-01-27T10:00:00Z");
  auto week = web->get("/uren");
  ASSERT_EQ(week.status, 200);
  EXPECT_TRUE(contains(week.body, "De tijd is opgeslagen."));
  EXPECT_TRUE(contains(week.body, "90 minuten (1:30 uur)"));
  EXPECT_TRUE(contains(week.body, "Familie Tijd"));
  EXPECT_TRUE(contains(week.body, "Verwijderen"));
  EXPECT_FALSE(contains(week.body, "Administratie</td>"));  // last week's entry is not here

  auto earlier = web->get("/uren?week=2026-01-27");
  ASSERT_EQ(earlier.status, 200);
  EXPECT_TRUE(contains(earlier.body, "25 minuten (0:25 uur)"));
  EXPECT_FALSE(contains(earlier.body, "/verwijderen"));  // a closed week
  EXPECT_TRUE(contains(earlier.body, "Volgende week"));

  auto old = web->post_form("/uren/" + last_week_id + "/verwijderen", {{"csrf_token", csrf}});
  EXPECT_EQ(old.status, 409);
  EXPECT_TRUE(contains(old.body, "Deze regel is in een eerdere week ingevuld."));
  auto removed = web->post_form("/uren/" + this_week_id + "/verwijderen", {{"csrf_token", csrf}});
  ASSERT_EQ(removed.status, 303) << removed.body;
  EXPECT_TRUE(contains(web->get("/uren").body, "0 minuten (0:00 uur)"));
  EXPECT_EQ(app_->session_as(app_->a, "volunteer")->get("/uren").status, 403);
  // The project lead keeps their own hours on the same page.
  EXPECT_EQ(app_->session_as(app_->a, "project_lead")->get("/uren").status, 200);
}

// --- review fixes (issue 4) -------------------------------------------------------------------

TEST_P(Coordination, UnmarkingABasicTrainingUndoesOnlyTheDateItSet) {
  const auto anna = volunteer("Anna");  // no training yet
  const auto bram = volunteer("Bram");  // trained before
  const auto cora = volunteer("Cora");  // no training yet
  set_training(bram, "2025-01-20");
  const std::string basic =
      session("training", {anna, bram, cora}, "2026-02-02", {{"basic_training", true}})["id"];
  ASSERT_EQ(attendance(basic, {anna, bram, cora}).status, 200);
  EXPECT_EQ(training_date(anna), "2026-02-02");
  EXPECT_EQ(training_date(bram), "2025-01-20");
  EXPECT_EQ(training_date(cora), "2026-02-02");

  // Unmarked: the date it set goes; a date the volunteer had before stays.
  ASSERT_EQ(attendance(basic, {cora}).status, 200);
  EXPECT_EQ(training_date(anna), "");
  EXPECT_EQ(training_date(bram), "2025-01-20");
  EXPECT_EQ(training_date(cora), "2026-02-02");
  EXPECT_EQ(scalar(app_->db(),
                   "SELECT COUNT(*) FROM access_log WHERE event = 'update' AND "
                   "object_type = 'volunteer' AND object_id = ? AND details = ?",
                   {anna, std::string("training_completed_on=,support_session=") + basic}),
            1);
  // Marked again, set again; a date entered by hand since then is not the session's to undo.
  ASSERT_EQ(attendance(basic, {anna, cora}).status, 200);
  EXPECT_EQ(training_date(anna), "2026-02-02");
  set_training(anna, "2026-01-15");
  ASSERT_EQ(attendance(basic, {cora}).status, 200);
  EXPECT_EQ(training_date(anna), "2026-01-15");

  // The held training moves to another past day: the date it set moves along.
  ASSERT_EQ(
      patch(*coordinator_, "/api/v1/support-sessions/" + basic, {{"date", "2026-01-30"}}).status,
      200);
  EXPECT_EQ(training_date(cora), "2026-01-30");
  // No longer the basic training: what it set is undone.
  ASSERT_EQ(
      patch(*coordinator_, "/api/v1/support-sessions/" + basic, {{"basic_training", false}}).status,
      200);
  EXPECT_EQ(training_date(cora), "");
  EXPECT_EQ(training_date(anna), "2026-01-15");
  EXPECT_EQ(training_date(bram), "2025-01-20");
}

TEST_P(Coordination, AHeldSessionCannotMoveToTheFuture) {
  const auto anna = volunteer("Anna");
  const std::string held = session("training", {anna}, "2026-02-02")["id"];
  const std::string path = "/api/v1/support-sessions/" + held;
  ASSERT_EQ(attendance(held, {anna}).status, 200);
  const std::string message =
      "De aanwezigheid is al ingevuld. Een bijeenkomst die al is geweest kunt u niet naar een "
      "dag na vandaag verplaatsen.";
  auto later = patch(*coordinator_, path, {{"date", "2026-02-04"}});
  ASSERT_EQ(later.status, 422) << later.body;
  EXPECT_EQ(json::parse(later.body)["errors"]["date"], message);
  // Nor by making it the basic training at the same time: no training date after today.
  auto basic_later = patch(*coordinator_, path, {{"date", "2026-02-20"}, {"basic_training", true}});
  ASSERT_EQ(basic_later.status, 422) << basic_later.body;
  EXPECT_EQ(training_date(anna), "");
  EXPECT_EQ(get(*coordinator_, path)["date"], "2026-02-02");
  // Today and earlier days are fine.
  EXPECT_EQ(patch(*coordinator_, path, {{"date", kToday}}).status, 200);
  EXPECT_EQ(patch(*coordinator_, path, {{"date", "2026-01-30"}}).status, 200);
  // Attendance recorded with nobody present is recorded too.
  const std::string empty = session("peer_group", {anna}, "2026-02-02")["id"];
  ASSERT_EQ(attendance(empty, {}).status, 200);
  EXPECT_EQ(
      patch(*coordinator_, "/api/v1/support-sessions/" + empty, {{"date", "2026-02-09"}}).status,
      422);
  // A session without attendance may still be moved to a later day.
  const std::string planned = session("peer_group", {anna}, "2026-02-02")["id"];
  EXPECT_EQ(
      patch(*coordinator_, "/api/v1/support-sessions/" + planned, {{"date", "2026-02-09"}}).status,
      200);
}

TEST_P(Coordination, TimeIsRemovableInTheWeekItWasEnteredAndLeavesATrace) {
  const auto fam = family("Familie Spoor");
  // On Tuesday, time for last Friday: entered this week, so it may be removed this week.
  const std::string friday = time_entry(*coordinator_, 50, "2026-01-30", "family_support", fam);
  const std::string keep = time_entry(*coordinator_, 20, kToday);
  auto removed = coordinator_->request("DELETE", "/api/v1/time-entries/" + friday);
  ASSERT_EQ(removed.status, 204) << removed.body;
  // Kept, marked removed: by whom and when.
  auto conn = app_->db().acquire();
  auto row = conn->query_one(
      "SELECT removed_at, removed_by, minutes FROM time_entries WHERE id = ?", {friday});
  ASSERT_TRUE(row.has_value());
  EXPECT_EQ(row->text(0), "2026-02-03T11:00:00Z");
  EXPECT_EQ(row->text(1), app_->a.users.at("coordinator").id);
  EXPECT_EQ(row->integer(2), 50);
  // Out of the lists, the totals and the savings model's minutes.
  auto own = get(*coordinator_, "/api/v1/time-entries");
  EXPECT_EQ(ids_of(own), (std::vector<std::string>{keep}));
  EXPECT_EQ(own["total_minutes"], 20);
  EXPECT_EQ(get(as("project_lead"), "/api/v1/time-entries")["total_minutes"], 20);
  EXPECT_EQ(get(as("project_lead"), "/api/v1/time-entries?family_id=" + fam)["total_minutes"], 0);
  EXPECT_EQ(coordination::coordinator_minutes(*conn, app_->a.id, "", "", std::nullopt), 20);
  EXPECT_EQ(coordination::coordinator_minutes(*conn, app_->a.id, "", "", fam), 0);
  // Removed once; a second time it is unknown.
  EXPECT_EQ(coordinator_->request("DELETE", "/api/v1/time-entries/" + friday).status, 404);

  // Entered at 00:30 on Monday 9 February in Amsterdam (still Sunday in UTC) for the Friday
  // before: that is the week of 9 February, so removable up to Sunday 15 February.
  set_now("2026-02-08T23:30:00Z");
  const std::string monday_night = time_entry(*coordinator_, 15, "2026-02-06");
  set_now("2026-02-15T22:00:00Z");  // Sunday 23:00 in Amsterdam
  EXPECT_EQ(coordinator_->request("DELETE", "/api/v1/time-entries/" + monday_night).status, 204);
  // Entered at 23:30 on Sunday 8 February in Amsterdam: closed from Monday 9 February.
  set_now("2026-02-08T22:30:00Z");
  const std::string sunday_night = time_entry(*coordinator_, 15, "2026-02-08");
  set_now("2026-02-08T23:30:00Z");
  EXPECT_EQ(coordinator_->request("DELETE", "/api/v1/time-entries/" + sunday_night).status, 409);
}

INSTANTIATE_TEST_SUITE_P(Engines, Coordination, ::testing::ValuesIn(engines()));

}  // namespace
}  // namespace oploop::testing
