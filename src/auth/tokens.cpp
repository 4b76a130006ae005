#include "auth/tokens.hpp"

#include "core/random.hpp"
#include "core/text.hpp"

namespace oploop::auth {

Result<NewToken> create_token(storage::Connection& c, const Clock& clock,
                              const std::string& user_id, const std::string& name, int days) {
  std::map<std::string, std::string> errors;
  const std::string clean = text::trim(name);
  if (clean.empty())
    errors["name"] = "validation.required";
  else if (text::length(clean) > 100)
    errors["name"] = "validation.too_long";
  if (days < 1 || days > 365) errors["days"] = "validation.token_days";
  if (!errors.empty()) return fail(Error::invalid(errors));
  const auto now = clock.now();
  NewToken t;
  t.secret = "oplp_" + random_token(32);
  t.info = {new_id(), clean, to_rfc3339(now), to_rfc3339(now + std::chrono::days(days)), ""};
  c.execute(
      "INSERT INTO access_tokens (id, user_id, name, token_hash, created_at, expires_at) "
      "VALUES (?, ?, ?, ?, ?, ?)",
      {t.info.id, user_id, t.info.name, sha256_hex(t.secret), t.info.created_at,
       t.info.expires_at});
  return t;
}

std::optional<std::string> user_for_token(storage::Connection& c, const Clock& clock,
                                          const std::string& secret) {
  if (secret.rfind("oplp_", 0) != 0 || secret.size() > 100) return std::nullopt;
  const std::string now = to_rfc3339(clock.now());
  auto row = c.query_one(
      "SELECT id, user_id, last_used_at FROM access_tokens WHERE token_hash = ? "
      "AND revoked_at IS NULL AND expires_at > ?",
      {sha256_hex(secret), now});
  if (!row) return std::nullopt;
  // Record use at most once a day: enough to show "last used", cheap on reads.
  if (row->text(2).substr(0, 10) != now.substr(0, 10)) {
    c.execute("UPDATE access_tokens SET last_used_at = ? WHERE id = ?", {now, row->text(0)});
  }
  return row->text(1);
}

std::vector<TokenInfo> list_tokens(storage::Connection& c, const Clock& clock,
                                   const std::string& user_id) {
  std::vector<TokenInfo> out;
  for (const auto& r : c.query(
           "SELECT id, name, created_at, expires_at, last_used_at FROM access_tokens "
           "WHERE user_id = ? AND revoked_at IS NULL AND expires_at > ? ORDER BY created_at DESC",
           {user_id, to_rfc3339(clock.now())})) {
    out.push_back({r.text(0), r.text(1), r.text(2), r.text(3), r.text(4)});
  }
  return out;
}

Status revoke_token(storage::Connection& c, const Clock& clock, const std::string& user_id,
                    const std::string& token_id) {
  const auto changed = c.execute(
      "UPDATE access_tokens SET revoked_at = ? WHERE id = ? AND user_id = ? AND revoked_at IS NULL",
      {to_rfc3339(clock.now()), token_id, user_id});
  if (changed == 0) return fail(Error::not_found());
  return {};
}

}  // namespace oploop::auth
