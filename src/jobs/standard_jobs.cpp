#include "jobs/standard_jobs.hpp"

#include "jobs/digest.hpp"

namespace oploop::jobs {

Scheduler standard_jobs(const app::Config& config) {
  Scheduler s;
  s.add({"weekly_digest", next_monday_0800,
         [base_url = config.base_url](storage::Connection& c, const Clock& clock,
                                      const std::string& run_key) {
           // Counted on the day it runs (a process that was down catches up later that week
           // with the figures of then); the run key only names the week.
           (void)run_key;
           send_weekly_digest(c, clock, base_url, amsterdam_date(clock.now()));
         }});
  return s;
}

}  // namespace oploop::jobs
