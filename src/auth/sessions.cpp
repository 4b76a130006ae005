#include "auth/sessions.hpp"

#include "core/random.hpp"

namespace oploop::auth {

Session create_session(storage::Connection& c, const Clock& clock, const std::string& user_id,
                       const std::string& stage, const SessionPolicy& policy) {
  Session s;
  s.raw_id = random_token(32);  // 256 bits
  s.id_hash = sha256_hex(s.raw_id);
  s.user_id = user_id;
  s.stage = stage;
  s.csrf_token = random_token(32);
  const auto now = clock.now();
  c.execute(
      "INSERT INTO sessions (id_hash, user_id, stage, csrf_token, created_at, last_seen_at, "
      "expires_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
      {s.id_hash, user_id, stage, s.csrf_token, to_rfc3339(now), to_rfc3339(now),
       to_rfc3339(now + policy.absolute)});
  return s;
}

std::optional<Session> find_session(storage::Connection& c, const Clock& clock,
                                    const std::string& raw_id, const SessionPolicy& policy) {
  if (raw_id.empty() || raw_id.size() > 100) return std::nullopt;
  const std::string id_hash = sha256_hex(raw_id);
  auto row = c.query_one(
      "SELECT user_id, stage, csrf_token, totp_tries, pending_totp_sealed, last_seen_at, "
      "expires_at FROM sessions WHERE id_hash = ?",
      {id_hash});
  if (!row) return std::nullopt;
  const auto now = clock.now();
  const auto last_seen = parse_rfc3339(row->text(5));
  const auto expires = parse_rfc3339(row->text(6));
  if (now >= expires || now - last_seen >= policy.idle) {
    end_session(c, id_hash);
    return std::nullopt;
  }
  if (now - last_seen >= std::chrono::minutes(1)) {
    c.execute("UPDATE sessions SET last_seen_at = ? WHERE id_hash = ?", {to_rfc3339(now), id_hash});
  }
  Session s;
  s.id_hash = id_hash;
  s.user_id = row->text(0);
  s.stage = row->text(1);
  s.csrf_token = row->text(2);
  s.totp_tries = static_cast<int>(row->integer(3));
  s.pending_totp_sealed = row->text(4);
  return s;
}

Session rotate_session(storage::Connection& c, const Clock& clock, const Session& old,
                       const std::string& stage, const SessionPolicy& policy) {
  end_session(c, old.id_hash);
  return create_session(c, clock, old.user_id, stage, policy);
}

void end_session(storage::Connection& c, const std::string& id_hash) {
  c.execute("DELETE FROM sessions WHERE id_hash = ?", {id_hash});
}

void end_all_sessions(storage::Connection& c, const std::string& user_id) {
  c.execute("DELETE FROM sessions WHERE user_id = ?", {user_id});
}

void set_session_field(storage::Connection& c, const std::string& id_hash, int totp_tries,
                       const std::string& pending_totp_sealed) {
  c.execute("UPDATE sessions SET totp_tries = ?, pending_totp_sealed = ? WHERE id_hash = ?",
            {std::int64_t{totp_tries}, storage::null_if_empty(pending_totp_sealed), id_hash});
}

}  // namespace oploop::auth
