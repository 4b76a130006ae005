#include "auth/throttle.hpp"

namespace oploop::auth {

bool take(storage::Connection& c, const Clock& clock, const std::string& bucket, int limit,
          std::chrono::seconds window) {
  const auto now = clock.now();
  const std::string since = to_rfc3339(now - window);
  // Forget this bucket's old events as we go, so the table stays small.
  c.execute("DELETE FROM throttle_events WHERE bucket = ? AND at < ?", {bucket, since});
  auto row = c.query_one("SELECT COUNT(*) FROM throttle_events WHERE bucket = ? AND at >= ?",
                         {bucket, since});
  if (row && row->integer(0) >= limit) return false;
  c.execute("INSERT INTO throttle_events (bucket, at) VALUES (?, ?)", {bucket, to_rfc3339(now)});
  return true;
}

}  // namespace oploop::auth
