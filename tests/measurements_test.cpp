// Measurements (SPEC §2.9, measurements/): the instrument files load and are checked (a broken one
// is refused with a message naming it); a domain's score is the mean of its items; recording
// answers 422 per wrong item and 409 for a second of the same family × instrument × wave ×
// respondent; a correction keeps the old answers; the policy's scope (other team 403, other
// organisation 404, a volunteer only the family's own answers on their own match); the access
// log; the measurement_due reminder; and the pages (render, post, 422 keeps what was chosen).
#include <gtest/gtest.h>

#include <unistd.h>
#include <filesystem>
#include <fstream>
#include <set>

#include "measurements/due.hpp"
#include "measurements/instrument.hpp"
#include "reminders/reminders.hpp"
#include "support/concern_fixture.hpp"

namespace oploop::testing {
namespace {

using measurements::InstrumentCatalogue;
using nlohmann::json;

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

// --- instruments -------------------------------------------------------------------------------

TEST(Instruments, TheShippedInstrumentsLoadAndFollowTheSpec) {
  const auto& catalogue = InstrumentCatalogue::instance();
  const auto* family = catalogue.current("family_questionnaire");
  ASSERT_NE(family, nullptr);
  EXPECT_EQ(family->version, 1);
  EXPECT_EQ(family->respondents, std::vector<std::string>{"family"});
  int statements = 0;
  std::set<std::string> life_domains;
  for (const auto& item : family->items) {
    if (item.domain == "satisfaction") {
      EXPECT_EQ(item.scale.min, 1);
      EXPECT_EQ(item.scale.max, 4);
    } else if (item.domain == "report_mark") {
      EXPECT_EQ(item.scale.min, 1);
      EXPECT_EQ(item.scale.max, 10);
    } else {
      ++statements;
      life_domains.insert(item.domain);
      EXPECT_EQ(item.scale.min, 1);
      EXPECT_EQ(item.scale.max, 4);
      EXPECT_EQ(item.scale.labels.at(1).at("nl"), "Helemaal niet mee eens");
      EXPECT_EQ(item.scale.labels.at(4).at("nl"), "Helemaal mee eens");
      EXPECT_FALSE(item.label.at("en").empty());
    }
  }
  EXPECT_EQ(statements, 35);
  EXPECT_EQ(life_domains.size(), 9u);
  const auto* coordinator = catalogue.current("coordinator_assessment");
  ASSERT_NE(coordinator, nullptr);
  EXPECT_EQ(coordinator->items.size(), 9u);
  for (const auto& item : coordinator->items) {
    EXPECT_EQ(item.scale.min, 1);
    EXPECT_EQ(item.scale.max, 5);
  }
  EXPECT_EQ(catalogue.find("family_questionnaire", 9), nullptr);
}

class BrokenInstrument : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("oploop-instruments-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  void write(const std::string& name, const std::string& text) {
    std::ofstream(dir_ / name) << text;
  }
  json valid() {
    return {{"code", "mini"},
            {"version", 1},
            {"title", {{"nl", "Mini"}, {"en", "Mini"}}},
            {"respondents", {"family"}},
            {"items",
             {{{"code", "a"},
               {"label", {{"nl", "Een"}, {"en", "One"}}},
               {"domain", "finances"},
               {"scale", {{"min", 1}, {"max", 4}}}}}}};
  }
  // The message of the refusal, "" when the directory loads.
  std::string refusal() {
    try {
      InstrumentCatalogue::load(dir_);
      return "";
    } catch (const std::runtime_error& e) {
      return e.what();
    }
  }
  std::filesystem::path dir_;
};

TEST_F(BrokenInstrument, AValidFileLoads) {
  write("mini.v1.json", valid().dump());
  EXPECT_EQ(refusal(), "");
}

TEST_F(BrokenInstrument, EachKindOfFaultIsRefusedNamingTheFile) {
  struct Case {
    std::string what;
    json doc;
    std::string file = "mini.v1.json";
  };
  std::vector<Case> cases;
  auto with = [&](const std::string& what, auto change) {
    json d = valid();
    change(d);
    cases.push_back({what, d});
  };
  with("domain", [](json& d) { d["items"][0]["domain"] = "happiness"; });
  with("below max", [](json& d) { d["items"][0]["scale"]["min"] = 4; });
  with("twice", [](json& d) { d["items"].push_back(d["items"][0]); });
  with("lacks en", [](json& d) { d["items"][0]["label"].erase("en"); });
  with("respondent", [](json& d) { d["respondents"] = {"neighbour"}; });
  with("version", [](json& d) { d["version"] = "one"; });
  with("a-z", [](json& d) { d["items"][0]["code"] = "Fin 1"; });
  cases.push_back({"should be named", valid(), "mini.json"});
  for (const auto& c : cases) {
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    write(c.file, c.doc.dump());
    const std::string message = refusal();
    EXPECT_TRUE(contains(message, c.what)) << c.what << ": " << message;
    EXPECT_TRUE(contains(message, c.file)) << message;
  }
  std::filesystem::remove_all(dir_);
  std::filesystem::create_directories(dir_);
  write("mini.v1.json", "{\"code\": ");  // not JSON
  EXPECT_TRUE(contains(refusal(), "mini.v1.json"));
}

TEST(Instruments, ADomainScoreIsTheMeanOfItsAnsweredItems) {
  const auto& ins = *InstrumentCatalogue::instance().current("family_questionnaire");
  measurements::Answers answers = {{"fin_1", 1}, {"fin_2", 2}, {"fin_3", 4},
                                   {"fin_4", 4}, {"hou_1", 3}, {"report_mark", 7}};
  const auto scores = measurements::domain_scores(ins, answers);
  EXPECT_DOUBLE_EQ(scores.at("finances"), 2.75);
  EXPECT_DOUBLE_EQ(scores.at("housing"), 3.0);  // only the answered item counts
  EXPECT_DOUBLE_EQ(scores.at("report_mark"), 7.0);
  EXPECT_FALSE(scores.contains("parenting"));  // no answers, no score
}

// --- the API -----------------------------------------------------------------------------------

class Measurements : public ConcernFixture {
 protected:
  void TearDown() override { reminders::restore_standard_rules(); }

  // Every item of the current family questionnaire answered with `point` (the mark with 7).
  static json full_answers(int point = 3) {
    json a = json::object();
    for (const auto& item : InstrumentCatalogue::instance().current("family_questionnaire")->items)
      a[item.code] = item.domain == "report_mark" ? 7 : point;
    return a;
  }
  static json body(int wave, const json& answers = full_answers(),
                   const std::string& respondent = "family") {
    return {{"instrument", "family_questionnaire"},
            {"wave", wave},
            {"respondent", respondent},
            {"date", "2026-02-03"},
            {"answers", answers}};
  }
  HttpResult record(HttpClient& as, const std::string& family, const json& b) {
    return as.post_json("/api/v1/families/" + family + "/measurements", b.dump());
  }
  std::string recorded(HttpClient& as, const std::string& family, const json& b) {
    auto r = record(as, family, b);
    EXPECT_EQ(r.status, 201) << r.body;
    return json::parse(r.body).value("id", "");
  }
  std::vector<reminders::Reminder> due(const std::string& user_key, const std::string& today) {
    auto conn = app_->db().acquire();
    const auto principal = auth::load_principal(*conn, app_->a.users.at(user_key).id);
    const auth::Actor actor{*principal, "127.0.0.1", app_->clock()};
    auto all = reminders::due_for(*conn, actor, today);
    std::erase_if(all, [](const auto& r) { return r.rule != reminders::Rule::measurement_due; });
    return all;
  }
  // The family of a running match of the seeded volunteer.
  std::string family_of_match(const std::string& match) { return family_of_.at(match); }
};

TEST_P(Measurements, TheInstrumentsAreListedWithTheCurrentVersionMarked) {
  const json list = get_json(*coordinator_, "/api/v1/instruments");
  ASSERT_TRUE(list["items"].is_array());
  ASSERT_EQ(list["items"].size(), 2u);
  for (const auto& ins : list["items"]) {
    EXPECT_TRUE(ins["current"].get<bool>());
    EXPECT_EQ(ins["version"], 1);
    EXPECT_FALSE(ins["items"].empty());
  }
  EXPECT_EQ(list["items"][1]["code"], "family_questionnaire");
  EXPECT_EQ(list["items"][1]["items"][0]["scale"]["labels"]["1"]["nl"], "Helemaal niet mee eens");
}

TEST_P(Measurements, ARecordedMeasurementAnswersItsDomainScores) {
  const std::string match = running_match();
  const std::string family = family_of_match(match);
  json answers = full_answers(3);
  answers["fin_1"] = 1;
  answers["fin_2"] = 2;
  auto r = record(*coordinator_, family, body(0, answers));
  ASSERT_EQ(r.status, 201) << r.body;
  const json m = json::parse(r.body);
  EXPECT_EQ(m["instrument"], "family_questionnaire");
  EXPECT_EQ(m["instrument_version"], 1);
  EXPECT_EQ(m["wave"], 0);
  EXPECT_EQ(m["respondent"], "family");
  EXPECT_EQ(m["date"], "2026-02-03");
  EXPECT_EQ(m["answers"]["fin_1"], 1);
  EXPECT_DOUBLE_EQ(m["domain_scores"]["finances"].get<double>(), 2.25);  // (1+2+3+3)/4
  EXPECT_DOUBLE_EQ(m["domain_scores"]["housing"].get<double>(), 3.0);
  EXPECT_DOUBLE_EQ(m["domain_scores"]["report_mark"].get<double>(), 7.0);

  // The coordinator's own assessment at the same wave is another measurement.
  json scores = json::object();
  for (const auto& item : InstrumentCatalogue::instance().current("coordinator_assessment")->items)
    scores[item.code] = 2;
  ASSERT_EQ(record(*coordinator_, family,
                   {{"instrument", "coordinator_assessment"},
                    {"wave", 0},
                    {"respondent", "coordinator"},
                    {"date", "2026-02-02"},
                    {"answers", scores}})
                .status,
            201);
  const json list = get_json(*coordinator_, "/api/v1/families/" + family + "/measurements");
  ASSERT_EQ(list["items"].size(), 2u);
  EXPECT_EQ(list["items"][0]["instrument"], "coordinator_assessment");  // by wave, then date
  EXPECT_DOUBLE_EQ(list["items"][0]["domain_scores"]["parenting"].get<double>(), 2.0);
}

TEST_P(Measurements, WrongAnswersAre422NamingEachItem) {
  const std::string family = family_of_match(running_match());
  json answers = full_answers();
  answers["fin_1"] = 5;        // off the 4-point scale
  answers["report_mark"] = 0;  // off 1–10
  answers["hou_2"] = 2.5;      // not a point
  answers["hou_3"] = "veel";   // not a number
  answers["zzz_9"] = 2;        // no such item
  answers.erase("par_1");      // required, missing
  answers.erase("sat_1");      // not required: fine
  auto r = record(*coordinator_, family, body(0, answers));
  ASSERT_EQ(r.status, 422) << r.body;
  const json errors = json::parse(r.body)["errors"];
  for (const char* field : {"answers.fin_1", "answers.report_mark", "answers.hou_2",
                            "answers.hou_3", "answers.zzz_9", "answers.par_1"})
    EXPECT_TRUE(errors.contains(field)) << field << " in " << r.body;
  EXPECT_FALSE(errors.contains("answers.sat_1"));
  EXPECT_EQ(errors["answers.par_1"], "Beantwoord deze vraag.");

  auto fields = record(*coordinator_, family,
                       {{"instrument", "nonsense"},
                        {"wave", 3},
                        {"respondent", "neighbour"},
                        {"date", "2030-01-01"},
                        {"answers", json::object()}});
  ASSERT_EQ(fields.status, 422) << fields.body;
  for (const char* field : {"instrument", "wave", "respondent", "date"})
    EXPECT_TRUE(json::parse(fields.body)["errors"].contains(field)) << field;
  // The coordinator questionnaire is not answered by the family.
  auto who = record(*coordinator_, family,
                    {{"instrument", "coordinator_assessment"},
                     {"wave", 0},
                     {"respondent", "family"},
                     {"date", "2026-02-03"},
                     {"answers", json::object()}});
  ASSERT_EQ(who.status, 422);
  EXPECT_TRUE(json::parse(who.body)["errors"].contains("respondent"));
  EXPECT_EQ(scalar(app_->db(), "SELECT COUNT(*) FROM measurements"), 0);
}

TEST_P(Measurements, ASecondOfTheSameWaveAndRespondentIs409) {
  const std::string family = family_of_match(running_match());
  recorded(*coordinator_, family, body(0));
  auto again = record(*coordinator_, family, body(0, full_answers(2)));
  EXPECT_EQ(again.status, 409) << again.body;
  // Another wave, or another respondent's instrument, is fine.
  EXPECT_EQ(record(*coordinator_, family, body(1)).status, 201);
  EXPECT_EQ(scalar(app_->db(), "SELECT COUNT(*) FROM measurements"), 2);
}

TEST_P(Measurements, ACorrectionKeepsTheOldAnswersInTheHistory) {
  const std::string family = family_of_match(running_match());
  const std::string id = recorded(*coordinator_, family, body(0, full_answers(2)));
  auto wrong =
      coordinator_->request("PUT", "/api/v1/measurements/" + id,
                            json({{"date", "2026-02-01"}, {"answers", {{"fin_1", 9}}}}).dump(),
                            {{"Content-Type", "application/json"}});
  ASSERT_EQ(wrong.status, 422);
  EXPECT_TRUE(json::parse(wrong.body)["errors"].contains("answers.fin_1"));
  EXPECT_TRUE(json::parse(wrong.body)["errors"].contains("answers.hou_1"));  // full set needed

  auto fixed =
      coordinator_->request("PUT", "/api/v1/measurements/" + id,
                            json({{"date", "2026-02-01"}, {"answers", full_answers(4)}}).dump(),
                            {{"Content-Type", "application/json"}});
  ASSERT_EQ(fixed.status, 200) << fixed.body;
  const json m = json::parse(fixed.body);
  EXPECT_EQ(m["date"], "2026-02-01");
  EXPECT_DOUBLE_EQ(m["domain_scores"]["finances"].get<double>(), 4.0);
  ASSERT_EQ(m["history"].size(), 1u);
  EXPECT_EQ(m["history"][0]["date"], "2026-02-03");
  EXPECT_EQ(m["history"][0]["answers"]["fin_1"], 2);
  EXPECT_EQ(m["history"][0]["changed_by"], app_->a.users.at("coordinator").id);
  const json list = get_json(*coordinator_, "/api/v1/families/" + family + "/measurements");
  EXPECT_EQ(list["items"][0]["history"].size(), 1u);
}

TEST_P(Measurements, TheScopeOfTheTeamTheOrganisationAndTheVolunteer) {
  const std::string match = running_match();
  const std::string family = family_of_match(match);
  const std::string id = recorded(*coordinator_, family, body(0));
  const std::string list = "/api/v1/families/" + family + "/measurements";
  // Another team of the organisation: 403; another organisation: 404.
  auto other_team = as("other_coordinator");
  EXPECT_EQ(other_team->get(list).status, 403);
  EXPECT_EQ(other_team->get("/api/v1/measurements/" + id).status, 403);
  EXPECT_EQ(record(*other_team, family, body(1)).status, 403);
  auto other_org = app_->client_as(app_->b, "coordinator");
  EXPECT_EQ(other_org->get(list).status, 404);
  EXPECT_EQ(other_org->get("/api/v1/measurements/" + id).status, 404);
  EXPECT_EQ(record(*other_org, family, body(1)).status, 404);
  EXPECT_EQ(other_org
                ->request("PUT", "/api/v1/measurements/" + id,
                          json({{"date", "2026-02-01"}, {"answers", full_answers()}}).dump(),
                          {{"Content-Type", "application/json"}})
                .status,
            404);
  // The project lead of the organisation reads it.
  EXPECT_EQ(as("project_lead")->get(list).status, 200);

  // A volunteer records the family's own answers on their own running match, nothing else.
  auto volunteer = as("volunteer");
  EXPECT_EQ(record(*volunteer, family, body(1)).status, 201);
  EXPECT_EQ(record(*volunteer, family, body(2, full_answers(), "coordinator")).status, 403);
  EXPECT_EQ(volunteer->get(list).status, 403);
  EXPECT_EQ(volunteer->get("/api/v1/measurements/" + id).status, 403);
  EXPECT_EQ(volunteer
                ->request("PUT", "/api/v1/measurements/" + id,
                          json({{"date", "2026-02-01"}, {"answers", full_answers()}}).dump(),
                          {{"Content-Type", "application/json"}})
                .status,
            403);
  const std::string stranger = family_for(*coordinator_, "Familie Vreemd");
  EXPECT_EQ(record(*volunteer, stranger, body(0)).status, 404);
}

TEST_P(Measurements, EveryReadAndWriteIsInTheAccessLog) {
  const std::string family = family_of_match(running_match());
  const std::string id = recorded(*coordinator_, family, body(0));
  EXPECT_EQ(logged("create", "measurement", id, "success", "coordinator"), 1);
  get_json(*coordinator_, "/api/v1/families/" + family + "/measurements");
  EXPECT_EQ(logged("list", "measurement", "family:" + family, "success", "coordinator"), 1);
  get_json(*coordinator_, "/api/v1/measurements/" + id);
  EXPECT_EQ(logged("view", "measurement", id, "success", "coordinator"), 1);
  ASSERT_EQ(coordinator_
                ->request("PUT", "/api/v1/measurements/" + id,
                          json({{"date", "2026-02-01"}, {"answers", full_answers(1)}}).dump(),
                          {{"Content-Type", "application/json"}})
                .status,
            200);
  EXPECT_EQ(logged("update", "measurement", id, "success", "coordinator"), 1);
  // Refusals are logged too.
  EXPECT_EQ(as("other_coordinator")->get("/api/v1/measurements/" + id).status, 403);
  EXPECT_EQ(scalar(app_->db(),
                   "SELECT COUNT(*) FROM access_log WHERE object_type = 'measurement' AND "
                   "object_id = ? AND outcome <> 'success'",
                   {id}),
            1);
}

TEST_P(Measurements, TheMeasurementDueReminderFiresAndClears) {
  const std::string match = running_match();  // active since 2026-02-03
  const std::string family = family_of_match(match);
  // Baseline: due as soon as the match is active.
  auto baseline = due("coordinator", "2026-02-03");
  ASSERT_EQ(baseline.size(), 1u);
  EXPECT_EQ(baseline[0].subject_kind, "family");
  EXPECT_EQ(baseline[0].subject_id, family);
  EXPECT_EQ(baseline[0].params.at("wave"), "0");
  EXPECT_EQ(baseline[0].href, "/gezinnen/" + family + "/metingen/nieuw?golf=0");
  EXPECT_EQ(baseline[0].why_key, "measurements.reminder.baseline");
  EXPECT_TRUE(due("other_coordinator", "2026-02-03").empty());  // another team's
  recorded(*coordinator_, family, body(0));
  EXPECT_TRUE(due("coordinator", "2026-02-03").empty());
  // Interim: from 12 months after the start, not the day before.
  EXPECT_TRUE(due("coordinator", "2027-02-02").empty());
  auto interim = due("coordinator", "2027-02-03");
  ASSERT_EQ(interim.size(), 1u);
  EXPECT_EQ(interim[0].params.at("wave"), "1");
  EXPECT_EQ(interim[0].since, "2027-02-03");
  recorded(*coordinator_, family, body(1));
  EXPECT_TRUE(due("coordinator", "2027-02-03").empty());
  // Final: once the match steps down.
  ASSERT_EQ(coordinator_
                ->post_json("/api/v1/matches/" + match + "/transition",
                            json({{"to", "stepping_down"}, {"date", "2026-02-03"}}).dump())
                .status,
            200);
  auto final_due = due("coordinator", "2026-02-04");
  ASSERT_EQ(final_due.size(), 1u);
  EXPECT_EQ(final_due[0].params.at("wave"), "2");
  recorded(*coordinator_, family, body(2));
  EXPECT_TRUE(due("coordinator", "2026-02-04").empty());
}

// --- the pages ---------------------------------------------------------------------------------

TEST_P(Measurements, ThePagesRecordListAndCorrect) {
  const std::string match = running_match();
  const std::string family = family_of_match(match);
  std::string csrf;
  auto web = app_->session_as(app_->a, "coordinator", &csrf);
  auto family_page = web->get("/gezinnen/" + family);
  EXPECT_TRUE(contains(family_page.body, "/gezinnen/" + family + "/metingen")) << family_page.body;
  auto form = web->get("/gezinnen/" + family + "/metingen/nieuw?golf=0");
  ASSERT_EQ(form.status, 200) << form.body;
  for (const char* text : {"Vragenlijst voor het gezin", "Financiën", "Helemaal mee eens",
                           "name=\"a_fin_1\"", "name=\"a_report_mark\"", "value=\"2026-02-03\""})
    EXPECT_TRUE(contains(form.body, text)) << text;
  EXPECT_TRUE(contains(form.body, "id=\"f-wave-0\" name=\"wave\" value=\"0\" checked"));

  http::Params fields = {{"csrf_token", csrf},
                         {"instrument", "family_questionnaire"},
                         {"wave", "0"},
                         {"respondent", "family"},
                         {"date", "2026-02-03"}};
  // Every item but par_1 (required), and 4 for fin_1.
  const json threes = full_answers(3);
  for (const auto& [code, value] : threes.items())
    if (code != "par_1")
      fields.push_back({"a_" + code, code == "fin_1" ? "4" : std::to_string(value.get<int>())});
  auto refused = web->post_form("/gezinnen/" + family + "/metingen", fields);
  ASSERT_EQ(refused.status, 422) << refused.body;
  EXPECT_TRUE(contains(refused.body, "Beantwoord deze vraag."));
  EXPECT_TRUE(contains(refused.body, "href=\"#f-a_par_1\""));
  EXPECT_TRUE(contains(refused.body, "id=\"f-a_fin_1-4\" name=\"a_fin_1\" value=\"4\" checked"))
      << "the chosen answer is kept";

  fields.push_back({"a_par_1", "2"});
  auto saved = web->post_form("/gezinnen/" + family + "/metingen", fields);
  ASSERT_EQ(saved.status, 303) << saved.body;
  auto list = web->get("/gezinnen/" + family + "/metingen");
  ASSERT_EQ(list.status, 200) << list.body;
  EXPECT_TRUE(contains(list.body, "De meting is opgeslagen."));
  EXPECT_TRUE(contains(list.body, "3,25")) << "finances (4+3+3+3)/4";
  EXPECT_TRUE(contains(list.body, "2,75")) << "parenting (2+3+3+3)/4";
  EXPECT_TRUE(contains(list.body, "0-meting (start)"));
  // The radar of the life domains, with its title, beside the table.
  const auto radar = list.body.find("data-testid=\"radar\"");
  ASSERT_NE(radar, std::string::npos) << list.body;
  EXPECT_NE(list.body.find("<svg", radar), std::string::npos);
  EXPECT_NE(list.body.find("role=\"img\"", radar), std::string::npos);

  const std::string id = json::parse(get_json(*coordinator_, "/api/v1/families/" + family +
                                                                 "/measurements")["items"][0]
                                         .dump())
                             .value("id", "");
  auto correction = web->get("/metingen/" + id + "/corrigeren");
  ASSERT_EQ(correction.status, 200) << correction.body;
  EXPECT_TRUE(contains(correction.body, "id=\"f-a_par_1-2\" name=\"a_par_1\" value=\"2\" checked"));
  http::Params fix = {{"csrf_token", csrf}, {"date", "2026-02-02"}};
  for (const auto& [k, v] : fields)
    if (k.rfind("a_", 0) == 0) fix.push_back({k, k == "a_par_1" ? "4" : v});
  auto corrected = web->post_form("/metingen/" + id + "/corrigeren", fix);
  ASSERT_EQ(corrected.status, 303) << corrected.body;
  auto after = web->get("/metingen/" + id + "/corrigeren");
  EXPECT_TRUE(contains(after.body, "id=\"f-a_par_1-4\" name=\"a_par_1\" value=\"4\" checked"));
  EXPECT_TRUE(contains(after.body, "par_1=2")) << "the old answers are shown";
}

TEST_P(Measurements, TheMatchPageAsksForTheFinalMeasurement) {
  const std::string match = running_match();
  const std::string family = family_of_match(match);
  auto web = app_->session_as(app_->a, "coordinator");
  EXPECT_FALSE(contains(web->get("/koppelingen/" + match).body, "final-measurement"));
  ASSERT_EQ(coordinator_
                ->post_json("/api/v1/matches/" + match + "/transition",
                            json({{"to", "stepping_down"}, {"date", "2026-02-03"}}).dump())
                .status,
            200);
  auto asking = web->get("/koppelingen/" + match);
  EXPECT_TRUE(contains(asking.body, "final-measurement")) << asking.body;
  EXPECT_TRUE(contains(asking.body, "/gezinnen/" + family + "/metingen/nieuw?golf=2"));
  recorded(*coordinator_, family, body(2));
  EXPECT_FALSE(contains(web->get("/koppelingen/" + match).body, "final-measurement"));
}

TEST_P(Measurements, AVolunteerFillsInTheFamilysAnswersOnAPage) {
  const std::string family = family_of_match(running_match());
  std::string csrf;
  auto web = app_->session_as(app_->a, "volunteer", &csrf);
  auto form = web->get("/gezinnen/" + family + "/metingen/nieuw");
  ASSERT_EQ(form.status, 200) << form.body;
  EXPECT_FALSE(contains(form.body, "name=\"respondent\""));
  EXPECT_FALSE(contains(form.body, "Inschatting door de coördinator"));
  http::Params fields = {{"csrf_token", csrf},
                         {"instrument", "family_questionnaire"},
                         {"wave", "0"},
                         {"date", "2026-02-03"}};
  const json threes = full_answers(3);
  for (const auto& [code, value] : threes.items())
    fields.push_back({"a_" + code, std::to_string(value.get<int>())});
  auto saved = web->post_form("/gezinnen/" + family + "/metingen", fields);
  ASSERT_EQ(saved.status, 303) << saved.body;
  EXPECT_EQ(scalar(app_->db(), "SELECT COUNT(*) FROM measurements WHERE respondent = 'family'"), 1);
  EXPECT_EQ(web->get("/gezinnen/" + family + "/metingen").status, 403);
}

INSTANTIATE_TEST_SUITE_P(Engines, Measurements, ::testing::ValuesIn(engines()));

}  // namespace
}  // namespace oploop::testing
