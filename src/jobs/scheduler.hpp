// Scheduled jobs, run by every `oploop serve` process (SPEC §2.8 reminders, digests). Jobs
// are registered in code with their schedule; their state lives in the `jobs` table.
//
// Exactly once across processes: a process first claims a due job's lease (a guarded UPDATE:
// one process wins), then runs the job's effects in one transaction that also moves the job
// to its next run — guarded by the lease it holds, so a process whose lease expired meanwhile
// rolls back instead of repeating work another process has done. Effects that leave the
// database (mail) go through the outbox in that same transaction.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "core/clock.hpp"
#include "storage/database.hpp"

namespace oploop::jobs {

struct Job {
  std::string name;
  // The first run after `t`.
  std::function<TimePoint(TimePoint t)> next_after;
  // The run's effects, in the caller's transaction. `run_key` names the run ("2026-11-23").
  std::function<void(storage::Connection&, const Clock&, const std::string& run_key)> run;
  std::chrono::seconds lease{std::chrono::minutes(10)};
};

struct RunReport {
  std::vector<std::string> ran;  // names of the jobs this call ran
};

class Scheduler {
 public:
  void add(Job job) { jobs_.push_back(std::move(job)); }
  const std::vector<Job>& jobs() const { return jobs_; }
  // Runs every due job this process can claim. `owner` names the process (unique per process).
  RunReport run_due(storage::Database& db, const Clock& clock, const std::string& owner) const;

 private:
  std::vector<Job> jobs_;
};

// Monday 08:00 Europe/Amsterdam: the first one after `t`.
TimePoint next_monday_0800(TimePoint t);

}  // namespace oploop::jobs
