// The jobs every `oploop serve` process runs (jobs/scheduler.hpp), registered in one place.
#pragma once

#include "app/config.hpp"
#include "jobs/scheduler.hpp"

namespace oploop::jobs {

// "weekly_digest": Monday 08:00 Europe/Amsterdam, the digest to every coordinator.
Scheduler standard_jobs(const app::Config& config);

}  // namespace oploop::jobs
