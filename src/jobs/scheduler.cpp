#include "jobs/scheduler.hpp"

#include <spdlog/spdlog.h>

#include <stdexcept>

namespace oploop::jobs {

TimePoint next_monday_0800(TimePoint t) {
  const std::string today = amsterdam_date(t);
  for (int k = 0; k <= 7; ++k) {
    const std::string day = add_days(today, k);
    if (iso_weekday(day) != 1) continue;
    const TimePoint at = amsterdam_time(day, 8, 0);
    if (at > t) return at;
  }
  return amsterdam_time(add_days(today, 7 - iso_weekday(today) + 8), 8, 0);
}

RunReport Scheduler::run_due(storage::Database& db, const Clock& clock,
                             const std::string& owner) const {
  RunReport report;
  auto conn = db.acquire();
  for (const Job& job : jobs_) {
    const TimePoint now = clock.now();
    const std::string now_text = to_rfc3339(now);
    // A job seen for the first time is scheduled from now on (not run for the past).
    conn->execute(
        "INSERT INTO jobs (name, next_run_at) VALUES (?, ?) ON CONFLICT (name) DO NOTHING",
        {job.name, to_rfc3339(job.next_after(now))});
    const auto claimed = conn->execute(
        "UPDATE jobs SET lease_owner = ?, lease_until = ? WHERE name = ? AND next_run_at <= ? "
        "AND (lease_until IS NULL OR lease_until < ?)",
        {owner, to_rfc3339(now + job.lease), job.name, now_text, now_text});
    if (claimed != 1) continue;
    auto row = conn->query_one("SELECT next_run_at FROM jobs WHERE name = ?", {job.name});
    if (!row) continue;
    const TimePoint due = parse_rfc3339(row->text(0));
    const std::string run_key = amsterdam_date(due);
    try {
      storage::Transaction tx(*conn);
      job.run(*conn, clock, run_key);
      const auto moved = conn->execute(
          "UPDATE jobs SET next_run_at = ?, last_run_key = ?, last_finished_at = ?, "
          "lease_owner = NULL, lease_until = NULL WHERE name = ? AND lease_owner = ?",
          {to_rfc3339(job.next_after(std::max(now, due))), run_key, to_rfc3339(clock.now()),
           job.name, owner});
      if (moved != 1) continue;  // the lease went to another process: roll back
      tx.commit();
      report.ran.push_back(job.name);
    } catch (const std::exception& e) {
      // Left leased: another attempt after the lease ends (no tight retry loop).
      spdlog::error("job {} failed: {}", job.name, e.what());
    }
  }
  return report;
}

}  // namespace oploop::jobs
