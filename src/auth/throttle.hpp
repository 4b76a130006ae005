// Sliding-window rate limits kept in the database (so they hold across server processes):
// login attempts per client address, the public referral form per address.
#pragma once

#include <chrono>
#include <string>

#include "core/clock.hpp"
#include "storage/database.hpp"

namespace oploop::auth {

// Counts the events of `bucket` within `window`; when fewer than `limit`, records one more and
// answers true. Call inside a write transaction.
bool take(storage::Connection& c, const Clock& clock, const std::string& bucket, int limit,
          std::chrono::seconds window);

}  // namespace oploop::auth
