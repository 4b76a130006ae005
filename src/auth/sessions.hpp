// Sessions stored in the database (only the SHA-256 of the id), so several server processes
// share them. Stages: "password" (2FA still to do), "enrol" (2FA must be set up first), and
// "full". Idle timeout 15 minutes, absolute 12 hours (SECURITY-NOTES). A new id is issued at
// every stage change (no fixation).
#pragma once

#include <chrono>
#include <optional>
#include <string>

#include "core/clock.hpp"
#include "storage/database.hpp"

namespace oploop::auth {

struct SessionPolicy {
  std::chrono::seconds idle{15 * 60};
  std::chrono::seconds absolute{12 * 60 * 60};
};

struct Session {
  std::string raw_id;  // only known right after creation (for the cookie)
  std::string id_hash;
  std::string user_id;
  std::string stage;
  std::string csrf_token;
  int totp_tries = 0;
  std::string pending_totp_sealed;
};

Session create_session(storage::Connection& c, const Clock& clock, const std::string& user_id,
                       const std::string& stage, const SessionPolicy& policy = {});
// The live session for a cookie value; expired ones are deleted. Touches last_seen_at
// (at most once a minute, to keep reads cheap).
std::optional<Session> find_session(storage::Connection& c, const Clock& clock,
                                    const std::string& raw_id, const SessionPolicy& policy = {});
// Replaces the session by a new one (new id and CSRF token) at `stage`.
Session rotate_session(storage::Connection& c, const Clock& clock, const Session& old,
                       const std::string& stage, const SessionPolicy& policy = {});
void end_session(storage::Connection& c, const std::string& id_hash);
void end_all_sessions(storage::Connection& c, const std::string& user_id);
void set_session_field(storage::Connection& c, const std::string& id_hash, int totp_tries,
                       const std::string& pending_totp_sealed);

}  // namespace oploop::auth
