// Concerns (SPEC §2.7) through /api/v1 and the pages, on both engines: raising one on a match
// (the volunteer only on their own running match), validation, who may see and act (other team
// 403, other organisation 404, volunteer of another match 404), the order of the list (urgent
// first, then newest), the lifecycle open → acknowledged → resolved with its history, what the
// volunteer sees (never the coordinator's notes or outcome), the urgent mail through a real SMTP
// server (one mail to the coordinator, a link and no personal details), the four-hour escalation
// on a controlled clock, the dashboard function, and the access log.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <set>

#include "concerns/concerns.hpp"
#include "concerns/urgent_mail.hpp"
#include "support/concern_fixture.hpp"
#include "support/smtp_server.hpp"

namespace oploop::testing {
namespace {

using nlohmann::json;
using namespace std::chrono_literals;

bool contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

std::vector<std::string> ids_of(const json& listed) {
  std::vector<std::string> out;
  for (const auto& item : listed["items"]) out.push_back(item["id"].get<std::string>());
  return out;
}

// What the volunteer who raised a concern may see of it, and nothing more.
const std::set<std::string> kVolunteerFields = {"id",         "match_id",        "severity",
                                                "category",   "description",     "status",
                                                "created_at", "acknowledged_at", "resolved_at"};

using Concerns = ConcernFixture;

// --- raising ------------------------------------------------------------------------------------

TEST_P(Concerns, TheVolunteerRaisesAConcernOnTheirOwnMatch) {
  const std::string match = running_match();
  auto volunteer = as("volunteer");
  auto r = raise(*volunteer, match, "worry", "finances", "  Er liggen veel ongeopende brieven.  ");
  ASSERT_EQ(r.status, 201) << r.body;
  auto c = json::parse(r.body);
  const std::string id = c["id"];
  EXPECT_EQ(r.header("Location").value_or(""), "/api/v1/concerns/" + id);
  EXPECT_EQ(c["match_id"], match);
  EXPECT_EQ(c["severity"], "worry");
  EXPECT_EQ(c["category"], "finances");
  EXPECT_EQ(c["description"], "Er liggen veel ongeopende brieven.");
  EXPECT_EQ(c["status"], "open");
  EXPECT_EQ(c["created_at"], "2026-02-03T11:00:00Z");
  EXPECT_EQ(c["acknowledged_at"], nullptr);
  for (const auto& [key, value] : c.items())
    EXPECT_TRUE(kVolunteerFields.contains(key)) << "a volunteer must not see " << key;
  EXPECT_EQ(logged("create", "concern", id, "success", "volunteer"), 1);
  // The coordinator sees the whole record.
  auto full = get_json(*coordinator_, "/api/v1/concerns/" + id);
  EXPECT_EQ(full["family_name"], "Familie Zon");
  EXPECT_EQ(full["raised_by_user_id"], app_->a.users.at("volunteer").id);
  EXPECT_EQ(full["team_id"], app_->a.team_id);
  EXPECT_EQ(full["history"], json::array());
  EXPECT_EQ(full["meldcode_step"], nullptr);
  EXPECT_EQ(full["meldcode_suggested"], false);
}

TEST_P(Concerns, RaisingNamesEveryFieldThatIsWrong) {
  const std::string match = running_match();
  auto volunteer = as("volunteer");
  auto r = volunteer->post_json("/api/v1/matches/" + match + "/concerns", "{}");
  ASSERT_EQ(r.status, 422) << r.body;
  auto errors = json::parse(r.body)["errors"];
  EXPECT_EQ(errors["severity"], "Kies hoe dringend het is.");
  EXPECT_EQ(errors["category"], "Kies waar de zorg over gaat.");
  EXPECT_EQ(errors["description"], "Schrijf op wat u zag of hoorde.");

  r = raise(*volunteer, match, "panic", "weather", "   ");
  ASSERT_EQ(r.status, 422) << r.body;
  errors = json::parse(r.body)["errors"];
  EXPECT_EQ(errors["severity"], "Kies een van de mogelijkheden.");
  EXPECT_EQ(errors["category"], "Kies een van de mogelijkheden.");
  EXPECT_TRUE(errors.contains("description"));

  r = raise(*volunteer, match, "info", "other", std::string(4001, 'x'));
  ASSERT_EQ(r.status, 422) << r.body;
  EXPECT_EQ(json::parse(r.body)["errors"]["description"],
            "Deze tekst is te lang. Maak hem korter.");
  EXPECT_EQ(raise(*volunteer, match, "info", "other", std::string(4000, 'x')).status, 201);

  r = volunteer->post_json("/api/v1/matches/" + match + "/concerns",
                           R"({"severity": 3, "category": ["safety"], "description": "x"})");
  ASSERT_EQ(r.status, 422) << r.body;
  errors = json::parse(r.body)["errors"];
  EXPECT_TRUE(errors.contains("severity") && errors.contains("category")) << r.body;
  EXPECT_EQ(volunteer->post_json("/api/v1/matches/" + match + "/concerns", "[1]").status, 400);
  EXPECT_EQ(scalar(app_->db(), "SELECT COUNT(*) FROM concerns"), 1);
}

TEST_P(Concerns, WhoMayRaiseAConcernOnAMatch) {
  add_user("volunteer2", auth::Role::volunteer, app_->a.team_id);
  const std::string mine = running_match();
  const std::string theirs = running_match("volunteer2", "Familie Maan");
  const std::string proposed = running_match("volunteer", "Familie Ster", nullptr, "proposed");
  const std::string other_org = running_match("volunteer", "Familie B", &app_->b);

  auto volunteer = as("volunteer");
  EXPECT_EQ(raise(*volunteer, mine, "info").status, 201);
  // Another volunteer's match, a match not yet started, and another organisation's: not found.
  for (const auto& match : {theirs, proposed, other_org}) {
    auto r = raise(*volunteer, match, "info");
    EXPECT_EQ(r.status, 404) << match << " " << r.body;
  }
  EXPECT_EQ(logged("create", "concern", "match:" + theirs, "not_found", "volunteer"), 1);
  EXPECT_EQ(raise(*volunteer, "doesnotexist0000000000000", "info").status, 404);

  // Staff: the team's coordinator and the project lead; another team's coordinator is refused.
  EXPECT_EQ(raise(*coordinator_, theirs, "worry").status, 201);
  EXPECT_EQ(raise(*coordinator_, proposed, "worry").status, 201);
  EXPECT_EQ(raise(*as("project_lead"), theirs, "worry").status, 201);
  auto refused = raise(*as("other_coordinator"), mine, "worry");
  EXPECT_EQ(refused.status, 403) << refused.body;
  EXPECT_EQ(logged("create", "concern", "match:" + mine, "denied", "other_coordinator"), 1);
  EXPECT_EQ(raise(*as("other_coordinator"), mine, "").status, 403);  // and with a broken body
  EXPECT_EQ(logged("create", "concern", "match:" + mine, "denied", "other_coordinator"), 2);
  EXPECT_EQ(raise(*coordinator_, other_org, "worry").status, 404);
  EXPECT_EQ(raise(*app_->client_as(app_->b, "project_lead"), mine, "worry").status, 404);
  EXPECT_EQ(raise(*as("foundation"), mine, "worry").status, 403);
  EXPECT_EQ(raise(*as("admin"), mine, "worry").status, 403);

  // A closed match takes no new concerns.
  ASSERT_EQ(coordinator_
                ->post_json("/api/v1/matches/" + mine + "/transition",
                            R"({"to": "closed", "date": "2026-02-03", "reason": "other"})")
                .status,
            200);
  auto closed = raise(*coordinator_, mine, "worry");
  EXPECT_EQ(closed.status, 409) << closed.body;
  EXPECT_EQ(raise(*volunteer, mine, "worry").status, 404);
  EXPECT_EQ(scalar(app_->db(), "SELECT COUNT(*) FROM concerns"), 4);
}

// --- reading ------------------------------------------------------------------------------------

TEST_P(Concerns, ListIsUrgentFirstThenNewestAcrossPages) {
  const std::string match = running_match();
  auto volunteer = as("volunteer");
  std::vector<std::string> ids;
  for (const std::string severity : {"info", "urgent", "worry", "urgent", "info"}) {
    ids.push_back(raised(*volunteer, match, severity));
    clock_.advance(60s);
  }
  ASSERT_EQ(act(*coordinator_, ids[3], "acknowledge").status, 200);
  // Urgent and open, urgent and acknowledged, then the rest newest first.
  const std::vector<std::string> expected = {ids[1], ids[3], ids[4], ids[2], ids[0]};
  EXPECT_EQ(ids_of(get_json(*coordinator_, "/api/v1/concerns")), expected);
  std::vector<std::string> paged;
  std::string path = "/api/v1/concerns?limit=2";
  for (int guard = 0; guard < 5; ++guard) {
    auto page = get_json(*coordinator_, path);
    for (const auto& id : ids_of(page)) paged.push_back(id);
    if (page["next_cursor"].is_null()) break;
    path = "/api/v1/concerns?limit=2&cursor=" + page["next_cursor"].get<std::string>();
  }
  EXPECT_EQ(paged, expected);
  EXPECT_EQ(ids_of(get_json(*coordinator_, "/api/v1/concerns?status=open")),
            (std::vector<std::string>{ids[1], ids[4], ids[2], ids[0]}));
  EXPECT_EQ(ids_of(get_json(*coordinator_, "/api/v1/concerns?severity=urgent")),
            (std::vector<std::string>{ids[1], ids[3]}));
  EXPECT_EQ(ids_of(get_json(*coordinator_, "/api/v1/concerns?match_id=" + match)).size(), 5u);
  for (const char* bad : {"?status=closed", "?severity=high", "?cursor=bm9wZQ", "?limit=0"}) {
    auto r = coordinator_->get(std::string("/api/v1/concerns") + bad);
    EXPECT_EQ(r.status, 422) << bad << " " << r.body;
  }
  // The volunteer's own list in the same order.
  EXPECT_EQ(ids_of(get_json(*volunteer, "/api/v1/concerns")), expected);
}

TEST_P(Concerns, EachRoleListsOnlyWhatItMaySee) {
  add_user("volunteer2", auth::Role::volunteer, app_->a.team_id);
  const std::string mine = running_match();
  const std::string theirs = running_match("volunteer2", "Familie Maan");
  const std::string own = raised(*as("volunteer"), mine, "worry");
  const std::string by_coordinator = raised(*coordinator_, mine, "info");
  const std::string other_volunteers = raised(*as("volunteer2"), theirs, "urgent");
  const std::string other_org = raised(*app_->client_as(app_->b, "coordinator"),
                                       running_match("volunteer", "Familie B", &app_->b), "info");

  auto listed = [&](HttpClient& c) {
    auto ids = ids_of(get_json(c, "/api/v1/concerns"));
    return std::set<std::string>(ids.begin(), ids.end());
  };
  // A volunteer: only what they raised themselves.
  EXPECT_EQ(listed(*as("volunteer")), std::set<std::string>{own});
  EXPECT_EQ(listed(*as("volunteer2")), std::set<std::string>{other_volunteers});
  EXPECT_EQ(listed(*coordinator_), (std::set<std::string>{own, by_coordinator, other_volunteers}));
  EXPECT_EQ(listed(*as("project_lead")),
            (std::set<std::string>{own, by_coordinator, other_volunteers}));
  EXPECT_TRUE(listed(*as("other_coordinator")).empty());
  EXPECT_EQ(listed(*app_->client_as(app_->b, "project_lead")), std::set<std::string>{other_org});
  EXPECT_EQ(as("foundation")->get("/api/v1/concerns").status, 403);
  // Lists are logged with what they showed.
  EXPECT_EQ(scalar(app_->db(),
                   "SELECT COUNT(*) FROM access_log WHERE event = 'list' AND object_type = "
                   "'concern' AND user_id = ? AND details = ?",
                   {app_->a.users.at("volunteer").id, "ids=" + own}),
            1);
}

TEST_P(Concerns, ReadingOneConcernFollowsThePolicy) {
  add_user("volunteer2", auth::Role::volunteer, app_->a.team_id);
  const std::string mine = running_match();
  const std::string id = raised(*as("volunteer"), mine, "worry");
  const std::string path = "/api/v1/concerns/" + id;
  EXPECT_EQ(as("volunteer")->get(path).status, 200);
  EXPECT_EQ(coordinator_->get(path).status, 200);
  EXPECT_EQ(as("project_lead")->get(path).status, 200);
  EXPECT_EQ(as("volunteer2")->get(path).status, 404);
  EXPECT_EQ(as("other_coordinator")->get(path).status, 403);
  auto foreign = app_->client_as(app_->b, "coordinator")->get(path);
  auto missing = app_->client_as(app_->b, "coordinator")->get("/api/v1/concerns/doesnotexist");
  EXPECT_EQ(foreign.status, 404);
  EXPECT_EQ(json::parse(foreign.body), json::parse(missing.body));
  EXPECT_EQ(logged("view", "concern", id, "success", "volunteer"), 1);
  EXPECT_EQ(logged("view", "concern", id, "success", "coordinator"), 1);
  EXPECT_EQ(logged("view", "concern", id, "not_found", "volunteer2"), 1);
  EXPECT_EQ(logged("view", "concern", id, "denied", "other_coordinator"), 1);
}

// --- acting -------------------------------------------------------------------------------------

TEST_P(Concerns, OpenThenAcknowledgedThenResolvedAndResolvedIsFinal) {
  const std::string match = running_match();
  const std::string id = raised(*as("volunteer"), match, "urgent", "safety");
  auto r = act(*coordinator_, id, "acknowledge", "Ik bel vandaag.");
  ASSERT_EQ(r.status, 200) << r.body;
  auto c = json::parse(r.body);
  EXPECT_EQ(c["status"], "acknowledged");
  EXPECT_EQ(c["acknowledged_at"], "2026-02-03T11:00:00Z");
  r = act(*coordinator_, id, "acknowledge");
  EXPECT_EQ(r.status, 409) << r.body;
  EXPECT_EQ(json::parse(r.body)["detail"], "Dit signaal is al als gezien gemarkeerd.");

  clock_.advance(3600s);
  r = act(*coordinator_, id, "note", "Gesprek gepland met moeder.");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(json::parse(r.body)["status"], "acknowledged");
  r = act(*coordinator_, id, "resolve");
  ASSERT_EQ(r.status, 422) << r.body;
  EXPECT_EQ(json::parse(r.body)["errors"]["text"], "Schrijf op hoe het signaal is afgehandeld.");
  clock_.advance(3600s);
  r = act(*as("project_lead"), id, "resolve", "Hulp via het buurtteam geregeld.");
  ASSERT_EQ(r.status, 200) << r.body;
  c = json::parse(r.body);
  EXPECT_EQ(c["status"], "resolved");
  EXPECT_EQ(c["resolved_at"], "2026-02-03T13:00:00Z");
  // Every action kept, in order, with who did it.
  ASSERT_EQ(c["history"].size(), 3u) << c.dump();
  EXPECT_EQ(c["history"][0]["action"], "acknowledge");
  EXPECT_EQ(c["history"][0]["text"], "Ik bel vandaag.");
  EXPECT_EQ(c["history"][0]["by_user_id"], app_->a.users.at("coordinator").id);
  EXPECT_EQ(c["history"][1]["action"], "note");
  EXPECT_EQ(c["history"][1]["at"], "2026-02-03T12:00:00Z");
  EXPECT_EQ(c["history"][2]["action"], "resolve");
  EXPECT_EQ(c["history"][2]["by_user_id"], app_->a.users.at("project_lead").id);
  // Resolved is final: nothing more, and nothing changes.
  for (const std::string action : {"acknowledge", "note", "resolve"}) {
    auto after = act(*coordinator_, id, action, "Nog iets.");
    EXPECT_EQ(after.status, 409) << action << " " << after.body;
    EXPECT_EQ(json::parse(after.body)["detail"],
              "Dit signaal is al afgehandeld. Er kan niets meer bij.");
  }
  EXPECT_EQ(get_json(*coordinator_, "/api/v1/concerns/" + id)["history"].size(), 3u);
  EXPECT_EQ(logged("update", "concern", id, "success", "coordinator"), 2);
}

TEST_P(Concerns, ResolveStraightFromOpenAndBadActionsAreRefused) {
  const std::string match = running_match();
  const std::string id = raised(*as("volunteer"), match, "info");
  for (const auto& [action, text, field] :
       std::vector<std::tuple<std::string, std::string, std::string>>{
           {"", "", "action"},
           {"close", "x", "action"},
           {"note", "", "text"},
           {"note", std::string(4001, 'n'), "text"}}) {
    auto r = act(*coordinator_, id, action, text);
    EXPECT_EQ(r.status, 422) << action << " " << r.body;
    EXPECT_TRUE(json::parse(r.body)["errors"].contains(field)) << r.body;
  }
  EXPECT_EQ(
      coordinator_->post_json("/api/v1/concerns/" + id + "/actions", R"({"action": 1})").status,
      422);
  auto r = act(*coordinator_, id, "resolve", "Bleek een misverstand.");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(json::parse(r.body)["status"], "resolved");
  EXPECT_EQ(json::parse(r.body)["acknowledged_at"], nullptr);
  EXPECT_EQ(scalar(app_->db(), "SELECT COUNT(*) FROM concern_actions"), 1);
}

TEST_P(Concerns, WhoMayActOnAConcern) {
  const std::string match = running_match();
  const std::string id = raised(*as("volunteer"), match, "worry");
  auto volunteer = act(*as("volunteer"), id, "acknowledge");
  EXPECT_EQ(volunteer.status, 403) << volunteer.body;
  EXPECT_EQ(act(*as("other_coordinator"), id, "acknowledge").status, 403);
  EXPECT_EQ(logged("update", "concern", id, "denied", "other_coordinator"), 1);
  // The right comes before the input: a broken request from them is refused, and logged, too.
  EXPECT_EQ(act(*as("other_coordinator"), id, "note").status, 403);  // a note without text
  EXPECT_EQ(logged("update", "concern", id, "denied", "other_coordinator"), 2);
  EXPECT_EQ(act(*app_->client_as(app_->b, "coordinator"), id, "acknowledge").status, 404);
  EXPECT_EQ(act(*app_->client_as(app_->b, "volunteer"), id, "acknowledge").status, 403);
  EXPECT_EQ(act(*coordinator_, "doesnotexist0000000000000", "acknowledge").status, 404);
  EXPECT_EQ(get_json(*coordinator_, "/api/v1/concerns/" + id)["status"], "open");
  EXPECT_EQ(act(*as("project_lead"), id, "acknowledge").status, 200);
}

// --- what the volunteer sees --------------------------------------------------------------------

TEST_P(Concerns, TheVolunteerNeverSeesTheCoordinatorsNotesOrOutcome) {
  const std::string match = running_match();
  auto volunteer = as("volunteer");
  const std::string id = raised(*volunteer, match, "worry", "parenting", "Vader schreeuwde hard.");
  ASSERT_EQ(act(*coordinator_, id, "acknowledge", "GEZIEN-TEKST bel ik morgen").status, 200);
  ASSERT_EQ(act(*coordinator_, id, "note", "NOTITIE-TEKST overleg met Veilig Thuis").status, 200);
  clock_.advance(86400s);
  ASSERT_EQ(act(*coordinator_, id, "resolve", "UITKOMST-TEKST hulp geregeld").status, 200);

  auto check = [&](const std::string& body) {
    for (const char* secret : {"GEZIEN-TEKST", "NOTITIE-TEKST", "UITKOMST-TEKST", "history"})
      EXPECT_FALSE(contains(body, secret)) << secret << " leaked: " << body;
  };
  auto r = volunteer->get("/api/v1/concerns/" + id);
  ASSERT_EQ(r.status, 200) << r.body;
  check(r.body);
  auto c = json::parse(r.body);
  for (const auto& [key, value] : c.items())
    EXPECT_TRUE(kVolunteerFields.contains(key)) << "a volunteer must not see " << key;
  EXPECT_EQ(c["status"], "resolved");
  EXPECT_EQ(c["description"], "Vader schreeuwde hard.");
  EXPECT_EQ(c["acknowledged_at"], "2026-02-03T11:00:00Z");
  EXPECT_EQ(c["resolved_at"], "2026-02-04T11:00:00Z");
  auto listed = volunteer->get("/api/v1/concerns");
  check(listed.body);
  EXPECT_EQ(ids_of(json::parse(listed.body)), std::vector<std::string>{id});
  // The meldcode is not theirs to see.
  EXPECT_EQ(volunteer->get("/api/v1/concerns/" + id + "/meldcode").status, 403);

  // The pages say the same.
  auto web = app_->session_as(app_->a, "volunteer");
  auto page = web->get("/signalen/" + id);
  ASSERT_EQ(page.status, 200) << page.body;
  check(page.body);
  for (const char* text : {"Mijn melding", "Vader schreeuwde hard.", "Afgehandeld", "04-02-2026",
                           "Uw coördinator heeft uw melding afgehandeld."})
    EXPECT_TRUE(contains(page.body, text)) << text;
  EXPECT_FALSE(contains(page.body, "Meldcode"));
  EXPECT_FALSE(contains(page.body, "/actie"));
  auto mine = web->get("/mijn-signalen");
  ASSERT_EQ(mine.status, 200) << mine.body;
  check(mine.body);
  for (const char* text : {"Mijn signalen", "Opvoeding", "Afgehandeld", "afgehandeld op 04-02-2026",
                           "Zorg melden over Familie Zon"})
    EXPECT_TRUE(contains(mine.body, text)) << text;
  // The coordinator's page holds it all.
  auto staff = app_->session_as(app_->a, "coordinator")->get("/signalen/" + id);
  ASSERT_EQ(staff.status, 200);
  for (const char* text : {"GEZIEN-TEKST", "NOTITIE-TEKST", "UITKOMST-TEKST"})
    EXPECT_TRUE(contains(staff.body, text)) << text;
}

// --- mail ---------------------------------------------------------------------------------------

// The raw message's body (quoted-printable soft breaks and escapes undone).
std::string body_of(const std::string& raw) {
  const auto split = raw.find("\r\n\r\n");
  std::string body = split == std::string::npos ? raw : raw.substr(split + 4);
  if (raw.find("quoted-printable") == std::string::npos) return body;
  std::string out;
  for (std::size_t i = 0; i < body.size(); ++i) {
    if (body[i] != '=') {
      out += body[i];
    } else if (body.compare(i + 1, 2, "\r\n") == 0) {
      i += 2;
    } else if (i + 2 < body.size()) {
      out += static_cast<char>(std::stoi(body.substr(i + 1, 2), nullptr, 16));
      i += 2;
    }
  }
  return out;
}

class UrgentMail : public ConcernFixture {
 protected:
  void SetUp() override { start(sink_.url()); }
  SmtpSink sink_;
};

TEST_P(UrgentMail, AnUrgentConcernMailsTheFamilysCoordinatorALinkAndNothingElse) {
  add_user("coordinator2", auth::Role::coordinator, app_->a.team_id);
  const std::string match = running_match("volunteer", "Familie Geheimnaam");
  set_family_coordinator(match, "coordinator");
  ASSERT_EQ(app_->deliver_mail(), 0);
  // Not urgent: no mail.
  raised(*as("volunteer"), match, "worry");
  EXPECT_EQ(app_->deliver_mail(), 0);

  const std::string id =
      raised(*as("volunteer"), match, "urgent", "safety", "Moeder had een blauw oog, zei Vera.");
  ASSERT_EQ(app_->deliver_mail(), 1);
  ASSERT_TRUE(sink_.wait_for(1, 10s));
  ASSERT_EQ(sink_.messages().size(), 1u);
  EXPECT_EQ(sink_.recipients()[0], std::vector<std::string>{"coordinator@org-a.test"});
  const std::string raw = sink_.messages()[0];
  const std::string body = body_of(raw);
  EXPECT_TRUE(contains(body, app_->base_url() + "/signalen/" + id)) << body;
  EXPECT_TRUE(contains(raw, "Urgent signaal in Oploop")) << raw;
  for (const std::string& personal :
       std::vector<std::string>{"Geheimnaam", "blauw oog", "Vera", "Vrijwilliger", "Veiligheid",
                                "Test volunteer", "3511", match})
    EXPECT_FALSE(contains(raw, personal)) << personal << " in the mail";
  EXPECT_EQ(scalar(app_->db(),
                   "SELECT COUNT(*) FROM concern_notifications WHERE concern_id = ? AND "
                   "kind = 'urgent'",
                   {id}),
            1);
}

TEST_P(UrgentMail, WithoutAFamilyCoordinatorTheTeamsCoordinatorsAreMailed) {
  add_user("coordinator2", auth::Role::coordinator, app_->a.team_id);
  const std::string match = running_match();
  set_family_coordinator(match, "");
  raised(*as("volunteer"), match, "urgent");
  ASSERT_EQ(app_->deliver_mail(), 2);
  ASSERT_TRUE(sink_.wait_for(2, 10s));
  std::set<std::string> to;
  for (const auto& r : sink_.recipients()) to.insert(r.begin(), r.end());
  // Team 1's coordinators; not the other team's, not the project lead.
  EXPECT_EQ(to, (std::set<std::string>{"coordinator@org-a.test", "coordinator2@org-a.test"}));
  // A coordinator who raises one is not mailed about it themselves.
  raised(*coordinator_, match, "urgent");
  ASSERT_EQ(app_->deliver_mail(), 1);
  ASSERT_TRUE(sink_.wait_for(3, 10s));
  EXPECT_EQ(sink_.recipients()[2], std::vector<std::string>{"coordinator2@org-a.test"});
}

// --- escalation after four hours
// ------------------------------------------------------------------

TEST_P(Concerns, AnUrgentConcernStillOpenAfterFourHoursGoesToTheTeamsOtherCoordinators) {
  add_user("coordinator2", auth::Role::coordinator, app_->a.team_id);
  add_user("coordinator3", auth::Role::coordinator, app_->a.team_id);
  const std::string match = running_match();
  set_family_coordinator(match, "coordinator");
  const std::string urgent = raised(*as("volunteer"), match, "urgent");
  const std::string acknowledged = raised(*as("volunteer"), match, "urgent");
  const std::string worry = raised(*as("volunteer"), match, "worry");
  ASSERT_EQ(act(*coordinator_, acknowledged, "acknowledge").status, 200);
  auto outbox = [&] { return scalar(app_->db(), "SELECT COUNT(*) FROM mail_outbox"); };
  ASSERT_EQ(outbox(), 2);  // one mail to the family's coordinator per urgent concern
  const std::string base = "https://oploop.example";
  auto conn = app_->db().acquire();

  clock_.advance(3h + 59min);
  EXPECT_EQ(concerns::escalate_unacknowledged_concerns(*conn, clock_, base), 0);
  EXPECT_EQ(outbox(), 2);

  clock_.advance(2min);
  EXPECT_EQ(concerns::escalate_unacknowledged_concerns(*conn, clock_, base), 1);
  EXPECT_EQ(outbox(), 4);
  std::set<std::string> to;
  for (const auto& r : conn->query(
           "SELECT recipient, body FROM mail_outbox WHERE created_at = ? ORDER BY recipient",
           {to_rfc3339(clock_.now())})) {
    to.insert(r.text(0));
    EXPECT_TRUE(contains(r.text(1), base + "/signalen/" + urgent)) << r.text(1);
    EXPECT_FALSE(contains(r.text(1), "Familie")) << r.text(1);
  }
  EXPECT_EQ(to, (std::set<std::string>{"coordinator2@org-a.test", "coordinator3@org-a.test"}));
  EXPECT_EQ(get_json(*coordinator_, "/api/v1/concerns/" + urgent)["escalated_at"],
            to_rfc3339(clock_.now()));
  EXPECT_EQ(scalar(app_->db(),
                   "SELECT COUNT(*) FROM access_log WHERE event = 'escalate' AND object_id = ? "
                   "AND role = 'system'",
                   {urgent}),
            1);

  // Exactly once.
  EXPECT_EQ(concerns::escalate_unacknowledged_concerns(*conn, clock_, base), 0);
  clock_.advance(24h);
  EXPECT_EQ(concerns::escalate_unacknowledged_concerns(*conn, clock_, base), 0);
  EXPECT_EQ(outbox(), 4);
  EXPECT_EQ(get_json(*coordinator_, "/api/v1/concerns/" + worry)["escalated_at"], nullptr);
  EXPECT_EQ(get_json(*coordinator_, "/api/v1/concerns/" + acknowledged)["escalated_at"], nullptr);
}

TEST_P(Concerns, WithNoOtherCoordinatorTheEscalationReachesTheProjectLead) {
  const std::string match = running_match();
  const std::string id = raised(*as("volunteer"), match, "urgent");
  auto conn = app_->db().acquire();
  clock_.advance(4h + 1min);
  EXPECT_EQ(concerns::escalate_unacknowledged_concerns(*conn, clock_, "http://x"), 1);
  auto rows = conn->query("SELECT recipient FROM mail_outbox ORDER BY created_at, recipient");
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].text(0), "coordinator@org-a.test");
  EXPECT_EQ(rows[1].text(0), "project_lead@org-a.test");
  EXPECT_EQ(scalar(app_->db(),
                   "SELECT COUNT(*) FROM concern_notifications WHERE concern_id = ? AND "
                   "kind = 'escalation'",
                   {id}),
            1);
}

// --- the dashboard ------------------------------------------------------------------------------

TEST_P(Concerns, OpenConcernsForTheDashboardPutUrgentUnacknowledgedFirst) {
  const std::string match = running_match();
  auto volunteer = as("volunteer");
  const std::string old_urgent = raised(*volunteer, match, "urgent");
  clock_.advance(60s);
  const std::string worry = raised(*volunteer, match, "worry");
  clock_.advance(60s);
  const std::string seen_urgent = raised(*volunteer, match, "urgent");
  clock_.advance(60s);
  const std::string done = raised(*volunteer, match, "urgent");
  clock_.advance(60s);
  const std::string by_coordinator = raised(*coordinator_, match, "info");
  ASSERT_EQ(act(*coordinator_, seen_urgent, "acknowledge").status, 200);
  ASSERT_EQ(act(*coordinator_, done, "resolve", "Klaar.").status, 200);

  auto conn = app_->db().acquire();
  auto summaries = [&](const std::string& key) {
    auto p = auth::load_principal(*conn, app_->a.users.at(key).id);
    auth::Actor actor{*p, "127.0.0.1", clock_};
    std::vector<std::string> ids;
    for (const auto& s : concerns::open_concerns_for(*conn, actor, 10)) ids.push_back(s.id);
    return ids;
  };
  EXPECT_EQ(summaries("coordinator"),
            (std::vector<std::string>{old_urgent, seen_urgent, by_coordinator, worry}));
  EXPECT_EQ(summaries("volunteer"), (std::vector<std::string>{old_urgent, seen_urgent, worry}));
  EXPECT_TRUE(summaries("other_coordinator").empty());
  EXPECT_TRUE(summaries("foundation").empty());
  auto p = auth::load_principal(*conn, app_->a.users.at("coordinator").id);
  auth::Actor actor{*p, "127.0.0.1", clock_};
  auto first = concerns::open_concerns_for(*conn, actor, 1);
  ASSERT_EQ(first.size(), 1u);
  EXPECT_TRUE(first[0].urgent_unacknowledged);
  EXPECT_EQ(first[0].family_name, "Familie Zon");
  EXPECT_EQ(first[0].match_id, match);
}

// --- pages --------------------------------------------------------------------------------------

TEST_P(Concerns, TheVolunteerReportsAConcernFromTheirPhone) {
  add_user("volunteer2", auth::Role::volunteer, app_->a.team_id);
  const std::string match = running_match();
  const std::string theirs = running_match("volunteer2", "Familie Maan");
  std::string csrf;
  auto web = app_->session_as(app_->a, "volunteer", &csrf);
  const std::string form_path = "/koppelingen/" + match + "/signaal/nieuw";
  auto form = web->get(form_path);
  ASSERT_EQ(form.status, 200) << form.body;
  for (const char* text :
       {"Zorg melden", "Familie Zon", "Bel 112", "type=\"radio\" id=\"concern-severity-urgent\"",
        "Uw coördinator krijgt meteen een e-mail.", "Opvoeding", "Wat zag of hoorde u?",
        "name=\"viewport\""})
    EXPECT_TRUE(contains(form.body, text)) << text;
  EXPECT_EQ(web->get("/koppelingen/" + theirs + "/signaal/nieuw").status, 404);

  // Nothing chosen: the form says what to fix and keeps what was typed.
  const std::string action = "/koppelingen/" + match + "/signaal";
  auto bad = web->post_form(
      action, {{"csrf_token", csrf}, {"description", "De kinderen \"waren\" <alleen> thuis."}});
  ASSERT_EQ(bad.status, 422) << bad.body;
  for (const char* text :
       {"Er ging iets mis", "Kies hoe dringend het is.", "Kies waar de zorg over gaat.",
        "De kinderen &quot;waren&quot; &lt;alleen&gt; thuis."})
    EXPECT_TRUE(contains(bad.body, text)) << text;
  EXPECT_EQ(scalar(app_->db(), "SELECT COUNT(*) FROM concerns"), 0);

  auto saved = web->post_form(action, {{"csrf_token", csrf},
                                       {"severity", "urgent"},
                                       {"category", "safety"},
                                       {"description", "De kinderen waren alleen thuis."}});
  ASSERT_EQ(saved.status, 303) << saved.body;
  EXPECT_EQ(saved.header("Location").value_or(""), "/");
  auto home = web->get("/");
  EXPECT_TRUE(contains(home.body, "uw coördinator krijgt meteen een e-mail")) << home.body;
  EXPECT_EQ(scalar(app_->db(), "SELECT COUNT(*) FROM concerns WHERE severity = 'urgent'"), 1);
  // Another volunteer's match: nothing saved.
  EXPECT_EQ(web->post_form("/koppelingen/" + theirs + "/signaal", {{"csrf_token", csrf},
                                                                   {"severity", "info"},
                                                                   {"category", "other"},
                                                                   {"description", "x"}})
                .status,
            404);
  EXPECT_EQ(scalar(app_->db(), "SELECT COUNT(*) FROM concerns"), 1);
  // /signalen is the coordinator's list; a volunteer is sent to their own.
  auto list = web->get("/signalen");
  EXPECT_EQ(list.status, 303);
  EXPECT_EQ(list.header("Location").value_or(""), "/mijn-signalen");
  auto mine = web->get("/mijn-signalen");
  EXPECT_TRUE(contains(mine.body, "Veiligheid")) << mine.body;
  EXPECT_TRUE(contains(mine.body, "Open"));
}

TEST_P(Concerns, TheCoordinatorWorksThroughTheListAndTheConcernPage) {
  const std::string match = running_match();
  auto volunteer = as("volunteer");
  const std::string info = raised(*volunteer, match, "info", "housing", "Lekkage in de keuken.");
  clock_.advance(60s);
  const std::string urgent =
      raised(*volunteer, match, "urgent", "health", "Kind heeft hoge koorts.");
  clock_.advance(60s);
  const std::string worry =
      raised(*volunteer, match, "worry", "finances", "Brieven van deurwaarder.");

  std::string csrf;
  auto web = app_->session_as(app_->a, "coordinator", &csrf);
  auto list = web->get("/signalen");
  ASSERT_EQ(list.status, 200) << list.body;
  const auto at_urgent = list.body.find("/signalen/" + urgent);
  const auto at_worry = list.body.find("/signalen/" + worry);
  const auto at_info = list.body.find("/signalen/" + info);
  ASSERT_NE(at_urgent, std::string::npos);
  EXPECT_LT(at_urgent, at_worry);
  EXPECT_LT(at_worry, at_info);
  EXPECT_TRUE(contains(list.body,
                       "utrecht-status-badge--danger\" data-testid=\"concern-severity\">Urgent"));
  EXPECT_TRUE(contains(list.body, "utrecht-status-badge--warning"));
  EXPECT_EQ(web->get("/signalen?status=resolved").status, 200);
  EXPECT_EQ(web->get("/signalen?status=gone").status, 404);

  const std::string page_path = "/signalen/" + urgent;
  auto page = web->get(page_path);
  ASSERT_EQ(page.status, 200) << page.body;
  for (const char* text : {"Signaal: Familie Zon", "Kind heeft hoge koorts.", "Markeren als gezien",
                           "Notitie opslaan", "Afhandelen", "Meldcode huiselijk geweld"})
    EXPECT_TRUE(contains(page.body, text)) << text;
  // A health concern: the meldcode is there, folded away.
  EXPECT_TRUE(contains(page.body, "<details")) << page.body;

  auto ack =
      web->post_form(page_path + "/actie", {{"csrf_token", csrf}, {"action", "acknowledge"}});
  ASSERT_EQ(ack.status, 303) << ack.body;
  EXPECT_EQ(ack.header("Location").value_or(""), page_path);
  auto empty_note =
      web->post_form(page_path + "/actie", {{"csrf_token", csrf}, {"action", "note"}});
  ASSERT_EQ(empty_note.status, 422);
  EXPECT_TRUE(contains(empty_note.body, "Schrijf een notitie."));
  auto resolved = web->post_form(
      page_path + "/actie",
      {{"csrf_token", csrf}, {"action", "resolve"}, {"text", "Huisarts is ingeschakeld."}});
  ASSERT_EQ(resolved.status, 303) << resolved.body;
  auto after = web->get(page_path);
  for (const char* text : {"Het signaal is afgehandeld.", "Huisarts is ingeschakeld.", "Gezien"})
    EXPECT_TRUE(contains(after.body, text)) << text;
  EXPECT_FALSE(contains(after.body, "Markeren als gezien"));
  auto again = web->post_form(page_path + "/actie",
                              {{"csrf_token", csrf}, {"action", "note"}, {"text", "Nog iets."}});
  EXPECT_EQ(again.status, 409);
  EXPECT_TRUE(contains(again.body, "Dit signaal is al afgehandeld."));

  // Other team 403, other organisation 404, on the pages too.
  EXPECT_EQ(app_->session_as(app_->a, "other_coordinator")->get(page_path).status, 403);
  EXPECT_EQ(app_->session_as(app_->b, "coordinator")->get(page_path).status, 404);
  std::string other_csrf;
  auto other = app_->session_as(app_->a, "other_coordinator", &other_csrf);
  EXPECT_EQ(other
                ->post_form("/signalen/" + worry + "/actie",
                            {{"csrf_token", other_csrf}, {"action", "acknowledge"}})
                .status,
            403);
  EXPECT_EQ(get_json(*coordinator_, "/api/v1/concerns/" + worry)["status"], "open");
}

INSTANTIATE_TEST_SUITE_P(Engines, Concerns, ::testing::ValuesIn(engines()));
INSTANTIATE_TEST_SUITE_P(Engines, UrgentMail, ::testing::ValuesIn(engines()));

}  // namespace
}  // namespace oploop::testing
