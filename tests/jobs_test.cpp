// Scheduled jobs (jobs/scheduler.hpp): a job runs once per due time, on a controlled clock;
// with two "processes" (two Database handles on one database, racing in threads, each with its
// own owner name) every run happens exactly once; a failing run rolls its effects back and is
// tried again after its lease; and Monday 08:00 Europe/Amsterdam across summer time.
#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "jobs/scheduler.hpp"
#include "support/test_databases.hpp"

namespace oploop::testing {
namespace {

TEST(NextMonday, EightInTheMorningInAmsterdamWinterAndSummer) {
  // Monday 23-11-2026 08:00 CET = 07:00 UTC.
  EXPECT_EQ(to_rfc3339(jobs::next_monday_0800(parse_rfc3339("2026-11-20T12:00:00Z"))),
            "2026-11-23T07:00:00Z");
  // Just before and just after: the same Monday, then the next one.
  EXPECT_EQ(to_rfc3339(jobs::next_monday_0800(parse_rfc3339("2026-11-23T06:59:59Z"))),
            "2026-11-23T07:00:00Z");
  EXPECT_EQ(to_rfc3339(jobs::next_monday_0800(parse_rfc3339("2026-11-23T07:00:00Z"))),
            "2026-11-30T07:00:00Z");
  // Summer time: 08:00 CEST = 06:00 UTC (Monday 29-06-2026).
  EXPECT_EQ(to_rfc3339(jobs::next_monday_0800(parse_rfc3339("2026-06-25T12:00:00Z"))),
            "2026-06-29T06:00:00Z");
  // Across the change to summer time (Sunday 29-03-2026): Monday 30-03 08:00 CEST.
  EXPECT_EQ(to_rfc3339(jobs::next_monday_0800(parse_rfc3339("2026-03-28T12:00:00Z"))),
            "2026-03-30T06:00:00Z");
}

class Jobs : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    database_ = std::make_unique<TestDatabase>(GetParam());
    if (!database_->available()) GTEST_SKIP() << database_->skip_reason();
    auto conn = database_->db().acquire();
    conn->execute_script("CREATE TABLE job_effects (run_key TEXT NOT NULL, owner TEXT NOT NULL)");
  }
  std::int64_t effects() {
    auto conn = database_->db().acquire();
    return conn->query_one("SELECT COUNT(*) FROM job_effects")->integer(0);
  }
  // A daily job at 03:00 UTC that writes one row per run.
  jobs::Job daily(const std::string& owner) {
    return {"daily",
            [](TimePoint t) {
              auto day = std::chrono::floor<std::chrono::days>(t);
              auto at = day + std::chrono::hours(3);
              return at > t ? TimePoint(at) : TimePoint(at + std::chrono::days(1));
            },
            [owner](storage::Connection& c, const Clock&, const std::string& key) {
              c.execute("INSERT INTO job_effects (run_key, owner) VALUES (?, ?)", {key, owner});
            }};
  }
  std::unique_ptr<TestDatabase> database_;
};

TEST_P(Jobs, RunsOncePerDueTime) {
  ManualClock clock(parse_rfc3339("2026-11-23T10:00:00Z"));
  jobs::Scheduler s;
  s.add(daily("p1"));
  EXPECT_TRUE(s.run_due(database_->db(), clock, "p1").ran.empty());  // first seen: next 03:00
  clock.set(parse_rfc3339("2026-11-24T02:59:59Z"));
  EXPECT_TRUE(s.run_due(database_->db(), clock, "p1").ran.empty());
  clock.set(parse_rfc3339("2026-11-24T03:00:00Z"));
  EXPECT_EQ(s.run_due(database_->db(), clock, "p1").ran, std::vector<std::string>{"daily"});
  EXPECT_TRUE(s.run_due(database_->db(), clock, "p1").ran.empty());
  EXPECT_EQ(effects(), 1);
  // Down for three days: one catch-up run, not three.
  clock.set(parse_rfc3339("2026-11-27T09:00:00Z"));
  EXPECT_EQ(s.run_due(database_->db(), clock, "p1").ran.size(), 1u);
  EXPECT_TRUE(s.run_due(database_->db(), clock, "p1").ran.empty());
  EXPECT_EQ(effects(), 2);
}

TEST_P(Jobs, TwoProcessesRunEachRunExactlyOnce) {
  ManualClock clock(parse_rfc3339("2026-11-23T10:00:00Z"));
  // The second "process": its own Database handle (own connections) on the same database.
  auto other = storage::Database::open(database_->url());
  jobs::Scheduler p1, p2;
  p1.add(daily("p1"));
  p2.add(daily("p2"));
  p1.run_due(database_->db(), clock, "p1");
  for (int day = 0; day < 10; ++day) {
    clock.set(parse_rfc3339("2026-11-24T03:00:00Z") + std::chrono::days(day));
    std::atomic<int> ran{0};
    std::thread a(
        [&] { ran += static_cast<int>(p1.run_due(database_->db(), clock, "p1").ran.size()); });
    std::thread b([&] { ran += static_cast<int>(p2.run_due(*other, clock, "p2").ran.size()); });
    a.join();
    b.join();
    EXPECT_EQ(ran, 1) << "day " << day;
  }
  EXPECT_EQ(effects(), 10);
  auto conn = database_->db().acquire();
  EXPECT_EQ(conn->query_one("SELECT COUNT(DISTINCT run_key) FROM job_effects")->integer(0), 10);
}

TEST_P(Jobs, AFailedRunLeavesNothingAndIsTriedAfterItsLease) {
  ManualClock clock(parse_rfc3339("2026-11-23T10:00:00Z"));
  bool fail = true;
  jobs::Job job = daily("p1");
  auto inner = job.run;
  job.run = [&fail, inner](storage::Connection& c, const Clock& k, const std::string& key) {
    inner(c, k, key);  // written, then thrown away with the transaction
    if (fail) throw std::runtime_error("mail server down");
  };
  jobs::Scheduler s;
  s.add(job);
  s.run_due(database_->db(), clock, "p1");
  clock.set(parse_rfc3339("2026-11-24T03:00:00Z"));
  EXPECT_TRUE(s.run_due(database_->db(), clock, "p1").ran.empty());
  EXPECT_EQ(effects(), 0);
  fail = false;
  clock.advance(std::chrono::minutes(5));  // still leased
  EXPECT_TRUE(s.run_due(database_->db(), clock, "p1").ran.empty());
  clock.advance(std::chrono::minutes(6));  // lease (10 minutes) over
  EXPECT_EQ(s.run_due(database_->db(), clock, "p1").ran.size(), 1u);
  EXPECT_EQ(effects(), 1);
}

INSTANTIATE_TEST_SUITE_P(Engines, Jobs, ::testing::ValuesIn(engines()));

}  // namespace
}  // namespace oploop::testing
