// The meldcode (SPEC §2.7, DOMAIN-NOTES "Concerns and the meldcode") through
// /api/v1/concerns/{id}/meldcode and the concern page, on both engines: five steps in order (a
// step without the one before it is 409 naming the missing step), every assessment question
// answered in step 4 (the questions come from data/meldcode/afwegingskader.json), a decision in
// step 5, corrections as new entries that keep the old ones (no row is ever changed), dates,
// staff only (volunteer 403, other team 403, other organisation 404), the access log, and the
// framework file itself.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <regex>

#include "concerns/assessment.hpp"
#include "core/resources.hpp"
#include "support/concern_fixture.hpp"

namespace oploop::testing {
namespace {

using nlohmann::json;

bool contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

// The shipped framework, read here on its own (not through the code under test).
json framework_file() {
  return json::parse(read_text_file(resource_path("data/meldcode/afwegingskader.json")));
}

json all_answers(const std::string& answer = "yes") {
  json answers = json::object();
  const json file = framework_file();
  for (const auto& q : file["questions"])
    answers[q["code"].get<std::string>()] = {{"answer", answer}, {"explanation", "Toelichting"}};
  return answers;
}

class Meldcode : public ConcernFixture {
 protected:
  void SetUp() override {
    ConcernFixture::SetUp();
    if (IsSkipped()) return;
    match_ = running_match();
    concern_ = raised(*as("volunteer"), match_, "urgent", "safety", "Blauwe plekken gezien.");
  }
  std::string path() const { return "/api/v1/concerns/" + concern_ + "/meldcode"; }
  HttpResult record(int step, json extra = json::object(), HttpClient* who = nullptr,
                    const std::string& date = "2026-02-03") {
    json body = {{"step", step}, {"date", date}, {"summary", "Stap " + std::to_string(step)}};
    if (step == 4 && !extra.contains("answers")) body["answers"] = all_answers("yes");
    // All "yes" in step 4 advises help and a report; the default decision follows it.
    if (step == 5 && !extra.contains("decision")) body["decision"] = "both";
    body.update(extra);
    for (auto it = body.begin(); it != body.end();)
      it = it->is_null() ? body.erase(it) : std::next(it);
    return (who ? *who : *coordinator_).post_json(path(), body.dump());
  }
  std::string recorded(int step, json extra = json::object()) {
    auto r = record(step, std::move(extra));
    EXPECT_EQ(r.status, 201) << r.body;
    return json::parse(r.body).value("id", "");
  }
  json meldcode() { return get_json(*coordinator_, path()); }

  std::string match_, concern_;
};

TEST_P(Meldcode, StepsAreRecordedInOrder) {
  auto empty = meldcode();
  EXPECT_EQ(empty["next_step"], 1);
  EXPECT_EQ(empty["complete"], false);
  EXPECT_EQ(empty["meldcode_suggested"], true);
  EXPECT_EQ(empty["entries"], json::array());

  auto early = record(2);
  ASSERT_EQ(early.status, 409) << early.body;
  auto problem = json::parse(early.body);
  EXPECT_EQ(problem["missing_step"], 1);
  EXPECT_EQ(problem["detail"], "Leg eerst stap 1 vast: signalen in kaart brengen.");
  EXPECT_EQ(problem["errors"]["step"], problem["detail"]);
  EXPECT_EQ(record(5).status, 409);

  std::vector<std::string> ids;
  for (int step = 1; step <= 5; ++step) {
    SCOPED_TRACE(step);
    // The step after the next one is refused, naming the next one.
    if (step <= 3) {
      auto skip = record(step + 1);
      ASSERT_EQ(skip.status, 409) << skip.body;
      EXPECT_EQ(json::parse(skip.body)["missing_step"], step);
    }
    auto r = record(step);
    ASSERT_EQ(r.status, 201) << r.body;
    EXPECT_EQ(r.header("Location").value_or(""), path());
    auto entry = json::parse(r.body);
    EXPECT_EQ(entry["step"], step);
    EXPECT_EQ(entry["current"], true);
    EXPECT_EQ(entry["corrects_id"], nullptr);
    EXPECT_EQ(entry["recorded_by_user_id"], app_->a.users.at("coordinator").id);
    ids.push_back(entry["id"]);
  }
  auto done = meldcode();
  EXPECT_EQ(done["next_step"], nullptr);
  EXPECT_EQ(done["complete"], true);
  ASSERT_EQ(done["entries"].size(), 5u);
  for (int i = 0; i < 5; ++i) {
    EXPECT_EQ(done["entries"][i]["id"], ids[i]);
    EXPECT_EQ(done["steps"][i]["step"], i + 1);
    EXPECT_EQ(done["steps"][i]["current"]["id"], ids[i]);
  }
  EXPECT_EQ(done["entries"][3]["answers"]["suspicion"]["answer"], "yes");
  EXPECT_EQ(done["entries"][3]["framework_version"], framework_file()["version"]);
  EXPECT_EQ(done["entries"][4]["decision"], "both");
  EXPECT_EQ(get_json(*coordinator_, "/api/v1/concerns/" + concern_)["meldcode_step"], 5);
}

TEST_P(Meldcode, StepFourNeedsAnAnswerToEveryAssessmentQuestion) {
  recorded(1);
  recorded(2);
  recorded(3);
  // The questions are the ones in the data file, in its order, in the caller's language.
  const auto file = framework_file();
  const auto questions = meldcode()["questions"];
  ASSERT_EQ(questions.size(), file["questions"].size());
  ASSERT_EQ(questions.size(), 5u);
  for (std::size_t i = 0; i < questions.size(); ++i) {
    EXPECT_EQ(questions[i]["code"], file["questions"][i]["code"]);
    EXPECT_EQ(questions[i]["text"], file["questions"][i]["text"]["nl"]);
  }
  auto english = coordinator_->request("GET", path(), "", {{"Accept-Language", "en"}});
  EXPECT_EQ(json::parse(english.body)["questions"][1]["text"], file["questions"][1]["text"]["en"]);

  auto none = record(4, {{"answers", nullptr}});
  ASSERT_EQ(none.status, 422) << none.body;
  auto errors = json::parse(none.body)["errors"];
  for (const auto& q : file["questions"]) {
    const std::string field = "answers." + q["code"].get<std::string>();
    EXPECT_EQ(errors[field], "Beantwoord deze vraag met ja of nee.") << field;
  }
  json partial = all_answers();
  partial.erase("help_effective");
  partial["unsafety"]["answer"] = "maybe";
  partial["weather"] = {{"answer", "yes"}};
  auto r = record(4, {{"answers", partial}});
  ASSERT_EQ(r.status, 422) << r.body;
  errors = json::parse(r.body)["errors"];
  EXPECT_EQ(errors.size(), 3u) << errors.dump();
  EXPECT_TRUE(errors.contains("answers.help_effective"));
  EXPECT_EQ(errors["answers.unsafety"], "Het antwoord is ja (yes) of nee (no).");
  EXPECT_EQ(errors["answers.weather"], "Deze vraag hoort niet bij het afwegingskader.");
  EXPECT_EQ(record(4, {{"answers", {{"suspicion", "yes"}}}}).status, 422);
  EXPECT_EQ(record(4, {{"answers", "yes"}}).status, 422);
  // Answers belong to step 4 only.
  auto misplaced = record(1, {{"answers", all_answers()}});
  EXPECT_EQ(misplaced.status, 422) << misplaced.body;
  EXPECT_EQ(scalar(app_->db(), "SELECT COUNT(*) FROM meldcode_entries WHERE step = 4"), 0);

  json answers = all_answers("yes");
  answers["unsafety"] = {{"answer", "yes"}, {"explanation", "Acuut onveilig."}};
  ASSERT_EQ(record(4, {{"answers", answers}}).status, 201);
  auto m = meldcode();
  EXPECT_EQ(m["entries"][3]["answers"]["unsafety"]["explanation"], "Acuut onveilig.");
  EXPECT_EQ(m["advice"], "both");  // unsafe: report; help possible and accepted: help as well
}

TEST(AssessmentFrameworkFile, TheAdviceFollowsTheAssessmentFramework) {
  const auto& framework = concerns::AssessmentFramework::instance();
  auto with = [](std::map<std::string, std::string> answers) {
    concerns::AssessmentAnswers out;
    for (const auto& [code, a] : answers) out[code] = {a, ""};
    return out;
  };
  const std::map<std::string, std::string> safe = {{"suspicion", "yes"},
                                                   {"unsafety", "no"},
                                                   {"help_possible", "yes"},
                                                   {"help_accepted", "yes"},
                                                   {"help_effective", "yes"}};
  EXPECT_EQ(framework.advice(with(safe)), "organise_help");
  auto changed = [&](const std::string& code, const std::string& answer) {
    auto a = safe;
    a[code] = answer;
    return framework.advice(with(a));
  };
  EXPECT_EQ(changed("suspicion", "no"), "close");
  EXPECT_EQ(changed("unsafety", "yes"), "both");
  EXPECT_EQ(changed("help_possible", "no"), "report_veilig_thuis");
  EXPECT_EQ(changed("help_accepted", "no"), "report_veilig_thuis");
  EXPECT_EQ(changed("help_effective", "no"), "both");
  auto missing = safe;
  missing.erase("unsafety");
  EXPECT_EQ(framework.advice(with(missing)), "");
}

TEST_P(Meldcode, StepFiveNeedsADecisionFromTheList) {
  for (int step = 1; step <= 4; ++step) recorded(step);
  auto r = record(5, {{"decision", nullptr}});
  ASSERT_EQ(r.status, 422) << r.body;
  EXPECT_EQ(json::parse(r.body)["errors"]["decision"], "Kies het besluit.");
  r = record(5, {{"decision", "wait_and_see"}});
  ASSERT_EQ(r.status, 422) << r.body;
  EXPECT_EQ(json::parse(r.body)["errors"]["decision"], "Kies een van de mogelijkheden.");
  for (const std::string decision : {"report_veilig_thuis", "both", "organise_help", "close"}) {
    // All "yes" advises "both"; another decision says why
    // (ADecisionOtherThanTheAdviceNeedsItsReason).
    auto ok =
        record(5, {{"decision", decision},
                   {"deviation_reason", decision == "both" ? json(nullptr) : json("Uitleg")}});
    ASSERT_EQ(ok.status, 201) << ok.body;
    EXPECT_EQ(json::parse(ok.body)["decision"], decision);
  }
  // Steps 1–4 may note what was decided in words.
  auto free = record(2, {{"decision", "Veilig Thuis geraadpleegd: eerst gesprek met moeder."}});
  ASSERT_EQ(free.status, 201) << free.body;
}

TEST_P(Meldcode, ACorrectionIsANewEntryAndTheOldOneIsKept) {
  const std::string first = recorded(1, {{"summary", "Eerste versie"}});
  recorded(2);
  auto r = record(1, {{"summary", "Verbeterde versie"}});
  ASSERT_EQ(r.status, 201) << r.body;
  auto correction = json::parse(r.body);
  EXPECT_EQ(correction["corrects_id"], first);
  EXPECT_EQ(correction["current"], true);
  const std::string second = correction["id"];
  const std::string third = recorded(1, {{"summary", "Derde versie"}});

  auto m = meldcode();
  ASSERT_EQ(m["entries"].size(), 4u);
  EXPECT_EQ(m["entries"][0]["id"], first);
  EXPECT_EQ(m["entries"][0]["summary"], "Eerste versie");
  EXPECT_EQ(m["entries"][0]["current"], false);
  EXPECT_EQ(m["entries"][0]["corrected_by_id"], second);
  EXPECT_EQ(m["entries"][2]["corrects_id"], first);
  EXPECT_EQ(m["entries"][3]["corrects_id"], second);
  EXPECT_EQ(m["steps"][0]["current"]["id"], third);
  EXPECT_EQ(m["steps"][0]["current"]["summary"], "Derde versie");
  EXPECT_EQ(m["next_step"], 3);
  // The first row is exactly as it was written.
  EXPECT_EQ(scalar(app_->db(),
                   "SELECT COUNT(*) FROM meldcode_entries WHERE id = ? AND summary = "
                   "'Eerste versie' AND corrects_id IS NULL AND seq = 1",
                   {first}),
            1);
  EXPECT_EQ(scalar(app_->db(), "SELECT COUNT(*) FROM meldcode_entries"), 4);
}

TEST_P(Meldcode, ADecisionOtherThanTheAdviceNeedsItsReason) {
  for (int step = 1; step <= 4; ++step) recorded(step);  // all "yes": help and a report
  EXPECT_EQ(meldcode()["advice"], "both");
  auto r = record(5, {{"decision", "organise_help"}});
  ASSERT_EQ(r.status, 422) << r.body;
  EXPECT_EQ(json::parse(r.body)["errors"]["deviation_reason"],
            "Het besluit wijkt af van wat het afwegingskader zegt. Leg uit waarom.");
  EXPECT_EQ(scalar(app_->db(), "SELECT COUNT(*) FROM meldcode_entries WHERE step = 5"), 0);
  auto ok = record(5, {{"decision", "organise_help"},
                       {"deviation_reason", "Veilig Thuis adviseerde zelf hulp te organiseren."},
                       {"help_given", "Wijkteam ingeschakeld."},
                       {"organisations_involved", "Wijkteam, huisarts"}});
  ASSERT_EQ(ok.status, 201) << ok.body;
  auto entry = json::parse(ok.body);
  EXPECT_EQ(entry["deviation_reason"], "Veilig Thuis adviseerde zelf hulp te organiseren.");
  EXPECT_EQ(entry["help_given"], "Wijkteam ingeschakeld.");
  EXPECT_EQ(entry["organisations_involved"], "Wijkteam, huisarts");
  EXPECT_EQ(meldcode()["complete"], true);
}

TEST_P(Meldcode, NoSuspicionClosesAndRecordsWithoutFurtherReason) {
  for (int step = 1; step <= 3; ++step) recorded(step);
  json answers = all_answers("yes");
  answers["suspicion"]["answer"] = "no";
  recorded(4, {{"answers", answers}});
  EXPECT_EQ(meldcode()["advice"], "close");
  auto closed = record(5, {{"decision", "close"}, {"help_given", "Geen hulp nodig."}});
  ASSERT_EQ(closed.status, 201) << closed.body;
  EXPECT_EQ(json::parse(closed.body)["deviation_reason"], nullptr);
  // The page says it in words.
  auto page = app_->session_as(app_->a, "coordinator")->get("/signalen/" + concern_);
  EXPECT_TRUE(contains(page.body, "Afsluiten en vastleggen")) << page.body;
  EXPECT_TRUE(contains(page.body, "Geen hulp nodig."));
}

TEST_P(Meldcode, WhatWasDecidedBelongsToStepFive) {
  recorded(1);
  for (const char* field : {"help_given", "organisations_involved", "deviation_reason"}) {
    auto r = record(2, {{field, "Iets"}});
    ASSERT_EQ(r.status, 422) << field << " " << r.body;
    EXPECT_EQ(json::parse(r.body)["errors"][field], "Dit hoort bij stap 5, het besluit.");
  }
}

TEST_P(Meldcode, CorrectingTheWeighingSendsTheDecisionBackForReview) {
  for (int step = 1; step <= 5; ++step) recorded(step);
  ASSERT_EQ(meldcode()["complete"], true);
  // The weighing is corrected: now there is no suspicion. The old decision no longer stands.
  json answers = all_answers("yes");
  answers["suspicion"]["answer"] = "no";
  recorded(4, {{"answers", answers}});
  auto m = meldcode();
  EXPECT_EQ(m["complete"], false);
  EXPECT_EQ(m["next_step"], 5);
  EXPECT_EQ(m["advice"], "close");
  auto page = app_->session_as(app_->a, "coordinator")->get("/signalen/" + concern_);
  EXPECT_TRUE(contains(page.body, "Opnieuw bekijken")) << page.body;
  recorded(5, {{"decision", "close"}});
  EXPECT_EQ(meldcode()["complete"], true);
  // A corrected summary of an earlier step does not undo what followed.
  recorded(2, {{"summary", "Aangevuld"}});
  EXPECT_EQ(meldcode()["complete"], true);
}

TEST_P(Meldcode, ACorrectionStaysInDateOrder) {
  ASSERT_EQ(record(1, json::object(), nullptr, "2026-02-01").status, 201);
  ASSERT_EQ(record(2, json::object(), nullptr, "2026-02-02").status, 201);
  auto late = record(1, {{"summary", "Correctie"}}, nullptr, "2026-02-03");
  ASSERT_EQ(late.status, 422) << late.body;
  EXPECT_EQ(json::parse(late.body)["errors"]["date"],
            "Deze datum ligt na de datum van de volgende stap. Een correctie blijft in volgorde.");
  EXPECT_EQ(record(1, {{"summary", "Correctie"}}, nullptr, "2026-02-02").status, 201);
}

// The database itself keeps the record append-only, whatever SQL reaches it.
TEST_P(Meldcode, TheDatabaseRefusesToChangeOrRemoveTheRecord) {
  recorded(1);
  ASSERT_EQ(act(*coordinator_, concern_, "note", "Gebeld met school").status, 200);
  auto conn = app_->db().acquire();
  for (const char* sql :
       {"UPDATE meldcode_entries SET summary = 'weg'", "DELETE FROM meldcode_entries",
        "UPDATE concern_actions SET body = 'weg'", "DELETE FROM concern_actions"}) {
    EXPECT_THROW(conn->execute(sql), storage::DatabaseError) << sql;
  }
  EXPECT_EQ(scalar(app_->db(), "SELECT COUNT(*) FROM meldcode_entries WHERE summary = 'Stap 1'"),
            1);
  EXPECT_EQ(scalar(app_->db(),
                   "SELECT COUNT(*) FROM concern_actions WHERE body = 'Gebeld met "
                   "school'"),
            1);
}

// Append-only is a rule of the code as well: no statement anywhere changes or removes an entry.
TEST(MeldcodeSource, NoStatementUpdatesOrDeletesMeldcodeEntries) {
  const std::regex forbidden(R"((UPDATE|DELETE\s+FROM)\s+meldcode_entries)", std::regex::icase);
  int files = 0;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(resource_path("src"))) {
    if (!entry.is_regular_file()) continue;
    const auto ext = entry.path().extension();
    if (ext != ".cpp" && ext != ".hpp" && ext != ".sql") continue;
    ++files;
    EXPECT_FALSE(std::regex_search(read_text_file(entry.path()), forbidden)) << entry.path();
  }
  EXPECT_GT(files, 50);
}

TEST_P(Meldcode, DatesAndSummariesAreChecked) {
  for (const auto& [date, message] : std::vector<std::pair<std::string, std::string>>{
           {"", "Vul dit veld in."},
           {"2026-02-30", "Vul een bestaande datum in, zoals 31-12-2025."},
           {"2026-02-04", "Deze datum ligt in de toekomst."}}) {
    auto r = record(1, json::object(), nullptr, date);
    ASSERT_EQ(r.status, 422) << date << " " << r.body;
    EXPECT_EQ(json::parse(r.body)["errors"]["date"], message) << date;
  }
  recorded(1, {{"date", "2026-01-20"}});
  auto before = record(2, json::object(), nullptr, "2026-01-19");
  ASSERT_EQ(before.status, 422) << before.body;
  EXPECT_EQ(json::parse(before.body)["errors"]["date"],
            "Deze datum ligt voor de datum van de vorige stap.");
  EXPECT_EQ(record(2, json::object(), nullptr, "2026-01-20").status, 201);
  auto no_summary = record(3, {{"summary", "  "}});
  ASSERT_EQ(no_summary.status, 422);
  EXPECT_EQ(json::parse(no_summary.body)["errors"]["summary"],
            "Schrijf kort op wat er in deze stap is gebeurd.");
  EXPECT_EQ(record(3, {{"summary", std::string(4001, 's')}}).status, 422);
  for (const json& step : {json(0), json(6), json("3"), json(2.5)}) {
    auto r = coordinator_->post_json(
        path(), json({{"step", step}, {"date", "2026-02-03"}, {"summary", "x"}}).dump());
    EXPECT_EQ(r.status, 422) << step.dump() << " " << r.body;
    EXPECT_TRUE(json::parse(r.body)["errors"].contains("step")) << r.body;
  }
  EXPECT_EQ(scalar(app_->db(), "SELECT COUNT(*) FROM meldcode_entries"), 2);
}

TEST_P(Meldcode, OnlyStaffOfTheTeamWorkWithTheMeldcode) {
  recorded(1);
  auto volunteer = as("volunteer");
  EXPECT_EQ(volunteer->get(path()).status, 403);
  EXPECT_EQ(record(2, json::object(), volunteer.get()).status, 403);
  auto other_team = as("other_coordinator");
  EXPECT_EQ(other_team->get(path()).status, 403);
  EXPECT_EQ(record(2, json::object(), other_team.get()).status, 403);
  auto other_org = app_->client_as(app_->b, "coordinator");
  EXPECT_EQ(other_org->get(path()).status, 404);
  EXPECT_EQ(record(2, json::object(), other_org.get()).status, 404);
  EXPECT_EQ(coordinator_->get("/api/v1/concerns/doesnotexist/meldcode").status, 404);
  EXPECT_EQ(as("foundation")->get(path()).status, 403);
  auto lead = as("project_lead");
  EXPECT_EQ(lead->get(path()).status, 200);
  ASSERT_EQ(record(2, json::object(), lead.get()).status, 201);
  EXPECT_EQ(scalar(app_->db(), "SELECT COUNT(*) FROM meldcode_entries"), 2);
  // The access log: reads and writes, refusals too.
  EXPECT_EQ(logged("view", "meldcode", concern_, "success", "project_lead"), 1);
  EXPECT_EQ(logged("view", "meldcode", concern_, "denied", "other_coordinator"), 1);
  EXPECT_EQ(logged("create", "meldcode", concern_, "denied", "other_coordinator"), 1);
  EXPECT_EQ(logged("create", "meldcode", concern_, "success", "coordinator"), 1);
  EXPECT_EQ(logged("create", "meldcode", concern_, "success", "project_lead"), 1);
  EXPECT_EQ(scalar(app_->db(),
                   "SELECT COUNT(*) FROM access_log WHERE event = 'access' AND outcome = 'denied' "
                   "AND user_id = ? AND object_id LIKE '%/meldcode'",
                   {app_->a.users.at("volunteer").id}),
            2);
}

// --- the concern page
// -----------------------------------------------------------------------------

TEST_P(Meldcode, TheConcernPageWalksTheStepsInOrder) {
  std::string csrf;
  auto web = app_->session_as(app_->a, "coordinator", &csrf);
  const std::string page_path = "/signalen/" + concern_;
  auto page = web->get(page_path);
  ASSERT_EQ(page.status, 200) << page.body;
  // A safety concern: the meldcode is shown prominently, not folded away.
  for (const char* text :
       {"Gaat dit over (een vermoeden van) huiselijk geweld",
        "Meldcode huiselijk geweld en kindermishandeling", "Signalen in kaart brengen",
        "Wegen met het afwegingskader", "Stap 1 vastleggen", "Nog niet vastgelegd."})
    EXPECT_TRUE(contains(page.body, text)) << text;
  EXPECT_FALSE(contains(page.body, "<details"));

  const std::string action = page_path + "/meldcode";
  auto early = web->post_form(
      action,
      {{"csrf_token", csrf}, {"step", "3"}, {"date", "2026-02-03"}, {"summary", "Gesprek"}});
  ASSERT_EQ(early.status, 409) << early.body;
  EXPECT_TRUE(contains(early.body, "Leg eerst stap 1 vast")) << early.body;

  auto bad = web->post_form(action, {{"csrf_token", csrf}, {"step", "1"}, {"date", "2026-02-03"}});
  ASSERT_EQ(bad.status, 422);
  EXPECT_TRUE(contains(bad.body, "Schrijf kort op wat er in deze stap is gebeurd."));

  auto ok = web->post_form(action, {{"csrf_token", csrf},
                                    {"step", "1"},
                                    {"date", "2026-02-02"},
                                    {"summary", "Blauwe plek op arm, kind schrok."}});
  ASSERT_EQ(ok.status, 303) << ok.body;
  EXPECT_EQ(ok.header("Location").value_or(""), page_path + "#meldcode");
  page = web->get(page_path);
  for (const char* text : {"De stap van de meldcode is vastgelegd.", "Blauwe plek op arm",
                           "02-02-2026", "Stap 2 vastleggen", "Deze stap corrigeren"})
    EXPECT_TRUE(contains(page.body, text)) << text;

  recorded(2);
  recorded(3);
  // Step 4 shows every question of the framework with yes/no and room to explain.
  page = web->get(page_path);
  const json file = framework_file();
  for (const auto& q : file["questions"]) {
    EXPECT_TRUE(contains(page.body, q["text"]["nl"].get<std::string>())) << q["code"];
    EXPECT_TRUE(
        contains(page.body, "id=\"meldcode-answer_" + q["code"].get<std::string>() + "-no\""))
        << q["code"];
  }
  http::Params step4 = {
      {"csrf_token", csrf},        {"step", "4"},
      {"date", "2026-02-03"},      {"summary", "Gewogen met collega."},
      {"answer_suspicion", "yes"}, {"explanation_suspicion", "Meerdere signalen."}};
  auto missing = web->post_form(action, step4);
  ASSERT_EQ(missing.status, 422) << missing.body;
  EXPECT_TRUE(contains(missing.body, "Beantwoord deze vraag met ja of nee."));
  EXPECT_TRUE(contains(missing.body, "Meerdere signalen."));  // what was typed stays
  for (const char* code : {"unsafety", "help_possible", "help_accepted", "help_effective"})
    step4.push_back(
        {std::string("answer_") + code, std::string(code) == "unsafety" ? "no" : "yes"});
  ASSERT_EQ(web->post_form(action, step4).status, 303);
  page = web->get(page_path);
  EXPECT_TRUE(contains(page.body, "hulp organiseren en de veiligheid blijven volgen")) << page.body;
  EXPECT_TRUE(contains(page.body, "Stap 5 vastleggen"));
  EXPECT_TRUE(contains(page.body, "Melden bij Veilig Thuis"));

  // A correction of step 1 through its link: the form is filled with what counts now.
  auto correct = web->get(page_path + "?meldcode_stap=1");
  ASSERT_EQ(correct.status, 200);
  EXPECT_TRUE(contains(correct.body, "Stap 1 corrigeren"));
  EXPECT_TRUE(contains(correct.body, "Blauwe plek op arm, kind schrok.</textarea>"));
  ASSERT_EQ(web->post_form(action, {{"csrf_token", csrf},
                                    {"step", "1"},
                                    {"date", "2026-02-02"},
                                    {"summary", "Blauwe plek op linkerarm."}})
                .status,
            303);
  page = web->get(page_path);
  EXPECT_TRUE(contains(page.body, "gecorrigeerd (eerdere versie bewaard)"));
  EXPECT_EQ(scalar(app_->db(), "SELECT COUNT(*) FROM meldcode_entries WHERE step = 1"), 2);

  // Other team: 403 on the form as well.
  std::string other_csrf;
  auto other = app_->session_as(app_->a, "other_coordinator", &other_csrf);
  EXPECT_EQ(other
                ->post_form(action, {{"csrf_token", other_csrf},
                                     {"step", "5"},
                                     {"date", "2026-02-03"},
                                     {"summary", "x"},
                                     {"decision", "both"}})
                .status,
            403);
}

// --- the framework file
// -----------------------------------------------------------------------------

TEST(AssessmentFrameworkFile, TheShippedFileHasTheFiveQuestionsInBothLanguages) {
  const auto f =
      concerns::AssessmentFramework::load(resource_path("data/meldcode/afwegingskader.json"));
  ASSERT_EQ(f.questions().size(), 5u);
  const std::vector<std::string> codes = {"suspicion", "unsafety", "help_possible", "help_accepted",
                                          "help_effective"};
  for (std::size_t i = 0; i < codes.size(); ++i) {
    EXPECT_EQ(f.questions()[i].code, codes[i]);
    EXPECT_EQ(f.questions()[i].number, static_cast<int>(i) + 1);
    EXPECT_FALSE(f.questions()[i].text.at("nl").empty());
    EXPECT_FALSE(f.questions()[i].text.at("en").empty());
  }
  EXPECT_FALSE(f.version().empty());
}

TEST(AssessmentFrameworkFile, ABrokenFileStopsTheStart) {
  const auto dir = std::filesystem::temp_directory_path() / "oploop-afwegingskader-test";
  std::filesystem::create_directories(dir);
  const auto file = dir / "kader.json";
  auto write = [&](const std::string& text) { std::ofstream(file) << text; };
  const std::string q =
      R"({"code": "suspicion", "text": {"nl": "Vraag?", "en": "Question?"},
          "hint": {"nl": "Hint", "en": "Hint"}})";
  write(R"({"version": "1", "questions": [)" + q + "]}");
  EXPECT_NO_THROW(concerns::AssessmentFramework::load(file));
  for (const std::string& broken : std::vector<std::string>{
           "{", std::string(R"({"version": "1", "questions": []})"),
           R"({"version": "1", "questions": [{"code": "x", "text": {"nl": "Vraag?"},
            "hint": {"nl": "H", "en": "H"}}]})",
           R"({"version": "1", "questions": [)" + q + "," + q + "]}",
           R"({"version": "1", "questions": [{"code": "Bad Code", "text": {"nl": "a", "en": "b"},
            "hint": {"nl": "H", "en": "H"}}]})",
           R"({"version": "1", "questions": [{"code": "x", "text": {"nl": "a", "en": "b"},
            "hint": {"nl": "H", "en": "H"}, "report_if": "maybe"}]})"}) {
    write(broken);
    EXPECT_THROW(concerns::AssessmentFramework::load(file), std::runtime_error) << broken;
  }
  std::filesystem::remove_all(dir);
}

INSTANTIATE_TEST_SUITE_P(Engines, Meldcode, ::testing::ValuesIn(engines()));

}  // namespace
}  // namespace oploop::testing
