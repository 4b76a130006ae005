// The weekly digest (jobs/digest.hpp): counts and links only, no names; one mail per active
// coordinator per week through the scheduler; and two real `oploop serve` processes on one
// PostgreSQL with a real SMTP server send each digest — and the four-hour escalation of an
// urgent concern — exactly once.
#include <gtest/gtest.h>

#include <algorithm>
#include <thread>

#include "jobs/digest.hpp"
#include "jobs/standard_jobs.hpp"
#include "support/api_data.hpp"
#include "support/concern_fixture.hpp"
#include "support/oploop_process.hpp"
#include "support/smtp_server.hpp"

namespace oploop::testing {
namespace {

using namespace std::chrono_literals;

const char* const kSubject = "Oploop: uw week";

bool contains(const std::string& s, const std::string& part) {
  return s.find(part) != std::string::npos;
}

// What the fixture's people and families are called: none of it may be in a digest.
const std::vector<std::string>& personal_details() {
  static const std::vector<std::string> kNames = {
      "Zon",    "Maan", "Ster", "Vera", "Vrijwilliger", "Test volunteer", "Test coordinator",
      "Moeder", "3511", "CJG",  "cjg",  "Hulp bij"};
  return kNames;
}

class Digest : public ConcernFixture {
 protected:
  // Team 1 of organisation a: a running match with an urgent concern, a waiting family, and a
  // referral that came in on Friday 30 January and is still new on Monday 9 February.
  void make_week() {
    clock_.set(parse_rfc3339("2026-01-30T10:00:00Z"));
    create_referral(*coordinator_, "Familie Maan");
    clock_.set(parse_rfc3339("2026-02-03T11:00:00Z"));
    match_ = running_match("volunteer", "Familie Zon");
    concern_ = raised(*as("volunteer"), match_, "urgent");
    family_for(*coordinator_, "Familie Ster");  // accepted: waiting
  }
  std::vector<std::pair<std::string, std::string>> digests() {  // (recipient, body)
    std::vector<std::pair<std::string, std::string>> out;
    auto conn = app_->db().acquire();
    for (const auto& r :
         conn->query("SELECT recipient, body FROM mail_outbox WHERE subject = ? ORDER BY recipient",
                     {std::string(kSubject)}))
      out.emplace_back(r.text(0), r.text(1));
    return out;
  }
  std::string body_for(const std::string& email) {
    for (const auto& [to, body] : digests())
      if (to == email) return body;
    return "";
  }
  app::Config config() {
    app::Config c = app_->app().config();
    c.base_url = "https://oploop.example";
    return c;
  }
  std::string match_, concern_;
};

TEST_P(Digest, CountsAndLinksOfTheCoordinatorsTeamsAndNoNames) {
  make_week();
  const jobs::Scheduler s = jobs::standard_jobs(config());
  clock_.set(parse_rfc3339("2026-02-03T12:00:00Z"));
  EXPECT_TRUE(s.run_due(app_->db(), clock_, "p1").ran.empty());  // first seen: next Monday
  clock_.set(parse_rfc3339("2026-02-09T07:00:00Z"));             // Monday 08:00 in Amsterdam
  ASSERT_EQ(s.run_due(app_->db(), clock_, "p1").ran, std::vector<std::string>{"weekly_digest"});

  const std::string body = body_for("coordinator@org-a.test");
  ASSERT_FALSE(body.empty());
  EXPECT_TRUE(contains(body, "week van 09-02-2026")) << body;
  EXPECT_TRUE(contains(body, "Open signalen: 1\nhttps://oploop.example/signalen\n")) << body;
  EXPECT_TRUE(contains(body, "Nieuwe aanmeldingen: 1\nhttps://oploop.example/aanmeldingen\n"))
      << body;
  EXPECT_TRUE(contains(body, "Gezinnen op de wachtlijst: 1\nhttps://oploop.example/wachtlijst\n"))
      << body;
  EXPECT_TRUE(contains(body, "Vandaag: https://oploop.example/)")) << body;
  EXPECT_TRUE(contains(body, "urgente signalen nog niet gezien: 1")) << body;
  EXPECT_TRUE(contains(body, "aanmeldingen na 5 werkdagen nog niet opgepakt: 1")) << body;
  EXPECT_FALSE(contains(body, "zonder contact")) << body;  // 6 days: not yet
  EXPECT_FALSE(contains(body, "niets bijzonders")) << body;
  for (const auto& [to, text] : digests()) {
    for (const auto& personal : personal_details())
      EXPECT_FALSE(contains(text, personal)) << personal << " in the digest to " << to;
    for (const auto& id : {match_, concern_})
      EXPECT_FALSE(contains(text, id)) << "a record id in the digest to " << to;
  }
  // The other team's coordinator and organisation b's: a quiet week, said so.
  for (const std::string email :
       {"other_coordinator@org-a.test", "coordinator@org-b.test", "other_coordinator@org-b.test"})
    EXPECT_TRUE(contains(body_for(email), "niets bijzonders")) << email << ": " << body_for(email);
}

TEST_P(Digest, DigestCountsMatchTheLists) {
  make_week();
  auto conn = app_->db().acquire();
  const auto counts = jobs::digest_counts(*conn, app_->a.users.at("coordinator").id, "2026-02-09");
  EXPECT_EQ(counts.open_concerns, 1);
  EXPECT_EQ(counts.new_referrals, 1);
  EXPECT_EQ(counts.waiting_families, 1);
  EXPECT_EQ(counts.reminders.at(reminders::Rule::concern_unacknowledged), 1);
  EXPECT_FALSE(counts.nothing());
  // An acknowledged concern is still open (not resolved), but no longer a reminder.
  ASSERT_EQ(act(*coordinator_, concern_, "acknowledge").status, 200);
  const auto later = jobs::digest_counts(*conn, app_->a.users.at("coordinator").id, "2026-02-09");
  EXPECT_EQ(later.open_concerns, 1);
  EXPECT_EQ(later.reminders.at(reminders::Rule::concern_unacknowledged), 0);
  EXPECT_TRUE(
      jobs::digest_counts(*conn, app_->a.users.at("other_coordinator").id, "2026-02-09").nothing());
}

TEST_P(Digest, OneMailPerActiveCoordinatorPerWeek) {
  make_week();
  add_user("gone", auth::Role::coordinator, app_->a.team_id);
  {
    auto conn = app_->db().acquire();
    conn->execute("UPDATE users SET active = 0 WHERE id = ?", {app_->a.users.at("gone").id});
  }
  const jobs::Scheduler s = jobs::standard_jobs(config());
  s.run_due(app_->db(), clock_, "p1");
  clock_.set(parse_rfc3339("2026-02-09T07:00:00Z"));
  EXPECT_EQ(s.run_due(app_->db(), clock_, "p1").ran.size(), 1u);
  const std::vector<std::string> expected = {"coordinator@org-a.test", "coordinator@org-b.test",
                                             "other_coordinator@org-a.test",
                                             "other_coordinator@org-b.test"};
  auto recipients = [&] {
    std::vector<std::string> out;
    for (const auto& [to, body] : digests()) out.push_back(to);
    std::sort(out.begin(), out.end());
    return out;
  };
  EXPECT_EQ(recipients(), expected);  // not the disabled one, not the project lead
  // Again the same week, by this process or another: nothing more.
  clock_.set(parse_rfc3339("2026-02-09T09:30:00Z"));
  EXPECT_TRUE(s.run_due(app_->db(), clock_, "p1").ran.empty());
  EXPECT_TRUE(s.run_due(app_->db(), clock_, "p2").ran.empty());
  clock_.set(parse_rfc3339("2026-02-15T23:00:00Z"));
  EXPECT_TRUE(s.run_due(app_->db(), clock_, "p1").ran.empty());
  EXPECT_EQ(recipients(), expected);
  // The next Monday: the next digest.
  clock_.set(parse_rfc3339("2026-02-16T07:00:00Z"));
  EXPECT_EQ(s.run_due(app_->db(), clock_, "p2").ran.size(), 1u);
  EXPECT_EQ(recipients().size(), 2 * expected.size());
}

TEST_P(Digest, InEnglishForACoordinatorWhoReadsEnglish) {
  make_week();
  {
    auto conn = app_->db().acquire();
    conn->execute("UPDATE users SET language = 'en' WHERE id = ?",
                  {app_->a.users.at("coordinator").id});
    clock_.set(parse_rfc3339("2026-02-09T07:00:00Z"));
    jobs::send_weekly_digest(*conn, clock_, "https://oploop.example", "2026-02-09");
  }
  auto conn = app_->db().acquire();
  auto row = conn->query_one(
      "SELECT body FROM mail_outbox WHERE recipient = ? AND subject = 'Oploop: your week'",
      {std::string("coordinator@org-a.test")});
  ASSERT_TRUE(row);
  EXPECT_TRUE(contains(row->text(0), "Open concerns: 1")) << row->text(0);
  EXPECT_EQ(scalar(app_->db(), "SELECT COUNT(*) FROM mail_outbox WHERE subject = ?",
                   {std::string(kSubject)}),
            3);  // the others still in Dutch
}

INSTANTIATE_TEST_SUITE_P(Engines, Digest, ::testing::ValuesIn(engines()));

// --- two server processes on one PostgreSQL -----------------------------------------------

class DigestProcesses : public ConcernFixture {};

std::string subject_of(const std::string& raw) {
  const auto at = raw.find("\nSubject: ");
  if (at == std::string::npos) return "";
  const auto end = raw.find_first_of("\r\n", at + 10);
  return raw.substr(at + 10, end - at - 10);
}

TEST_P(DigestProcesses, TwoServersSendEachDigestAndEachEscalationOnce) {
  if (!std::filesystem::exists(oploop_binary()))
    GTEST_SKIP() << "oploop binary not found at " << oploop_binary() << " (set OPLOOP_BIN)";
  // Monday 9 February 2026, 08:30 in Amsterdam; the digest was due at 08:00.
  const std::string now = "2026-02-09T07:30:00Z";
  const std::string match = running_match("volunteer", "Familie Zon");  // on 3 February
  set_family_coordinator(match, "coordinator");
  // An urgent concern raised at 03:00, nobody acknowledged it: the escalation is due too.
  clock_.set(parse_rfc3339("2026-02-09T02:00:00Z"));
  raised(*as("volunteer"), match, "urgent");
  {
    auto conn = app_->db().acquire();
    // As scheduled by a run the week before.
    conn->execute("INSERT INTO jobs (name, next_run_at) VALUES ('weekly_digest', ?)",
                  {std::string("2026-02-09T07:00:00Z")});
  }
  SmtpSink sink;
  TempDir dir;
  const Environment env = {{"OPLOOP_ENV", "test"},
                           {"OPLOOP_FAKE_NOW", now},
                           {"OPLOOP_JOBS_INTERVAL_MS", "200"},
                           {"OPLOOP_SMTP_URL", sink.url()},
                           {"OPLOOP_BASE_URL", "https://oploop.example"},
                           {"OPLOOP_SECRET_KEY_FILE", dir.file("secret.key")}};
  // 4 digests (two coordinators in each organisation), the urgent mail to the family's
  // coordinator, and the escalation (team 1 has no other coordinator: the project lead).
  const std::size_t expected = 6;
  {
    ServerProcess one(app_->database_url(), env);
    ServerProcess two(app_->database_url(), env);
    ASSERT_TRUE(sink.wait_for(expected, 60s)) << sink.messages().size() << " mails\n"
                                              << one.output() << two.output();
    // Both keep looking every 200 ms; give them time to do anything twice.
    std::this_thread::sleep_for(3s);
    // Each runs on the test clock; the job ran in exactly one of them.
    EXPECT_TRUE(contains(one.output(), "test clock")) << one.output();
    EXPECT_TRUE(contains(two.output(), "test clock")) << two.output();
    EXPECT_EQ(contains(one.output(), "job weekly_digest ran") +
                  contains(two.output(), "job weekly_digest ran"),
              1)
        << one.output() << two.output();
  }
  const auto messages = sink.messages();
  const auto recipients = sink.recipients();
  ASSERT_EQ(messages.size(), expected);
  std::map<std::string, std::vector<std::string>> by_subject;
  for (std::size_t i = 0; i < messages.size(); ++i)
    for (const auto& to : recipients[i]) by_subject[subject_of(messages[i])].push_back(to);
  auto& digests = by_subject[kSubject];
  std::sort(digests.begin(), digests.end());
  EXPECT_EQ(digests, (std::vector<std::string>{"coordinator@org-a.test", "coordinator@org-b.test",
                                               "other_coordinator@org-a.test",
                                               "other_coordinator@org-b.test"}));
  EXPECT_EQ(by_subject["Urgent signaal in Oploop"],
            std::vector<std::string>{"coordinator@org-a.test"});
  EXPECT_EQ(by_subject["Urgent signaal nog niet bekeken"],
            std::vector<std::string>{"project_lead@org-a.test"});
  for (const auto& raw : messages) {
    const auto blank = raw.find("\r\n\r\n");
    const std::string body = blank == std::string::npos ? raw : raw.substr(blank);
    for (const auto& personal : personal_details())
      EXPECT_FALSE(contains(body, personal)) << personal << " in a mail";
  }
  auto conn = app_->db().acquire();
  auto job = conn->query_one("SELECT last_run_key, next_run_at FROM jobs WHERE name = ?",
                             {std::string("weekly_digest")});
  ASSERT_TRUE(job);
  EXPECT_EQ(job->text(0), "2026-02-09");
  EXPECT_EQ(job->text(1), "2026-02-16T07:00:00Z");
}

INSTANTIATE_TEST_SUITE_P(Postgres, DigestProcesses, ::testing::Values(std::string("postgres")));

}  // namespace
}  // namespace oploop::testing
