#include "auth/login.hpp"

#include "audit/access_log.hpp"
#include "auth/accounts.hpp"
#include "auth/passwords.hpp"
#include "auth/throttle.hpp"
#include "auth/totp.hpp"

namespace oploop::auth {
namespace {

constexpr int kMaxFailedLogins = 10;
constexpr auto kLockout = std::chrono::minutes(15);
constexpr int kMaxAttemptsPerAddress = 30;
constexpr int kMaxTotpTries = 5;

void log_login(storage::Connection& c, const Clock& clock, const User* user,
               const std::string& client_ip, const std::string& event, const std::string& outcome,
               const std::string& details = {}) {
  audit::record(c, clock,
                {user ? user->organisation_id : "", user ? user->id : "",
                 user ? std::string(to_string(user->role)) : "", event, "user",
                 user ? user->id : "", client_ip, outcome, details});
}

std::string first_stage(const User& u) {
  if (u.totp_enabled) return "password";
  return requires_two_factor(u.role) ? "enrol" : "full";
}

}  // namespace

Result<Session> login_with_password(storage::Connection& c, const Clock& clock,
                                    const std::string& email, const std::string& password,
                                    const std::string& client_ip) {
  storage::Transaction tx(c);
  if (!take(c, clock, "login:" + client_ip, kMaxAttemptsPerAddress, std::chrono::minutes(15))) {
    log_login(c, clock, nullptr, client_ip, "login", "denied", "address_throttled");
    tx.commit();
    return fail(Error{ErrorKind::rate_limited, "login.throttled", {}});
  }
  auto user = find_user_by_email(c, email);
  const bool usable = user && user->active && !user->password_hash.empty();
  // Verify even when there is no such account, so timing does not tell.
  const bool password_ok =
      verify_password(usable ? user->password_hash : dummy_password_hash(), password) && usable;
  const auto now = clock.now();
  if (usable && !user->locked_until.empty() && parse_rfc3339(user->locked_until) > now) {
    log_login(c, clock, &*user, client_ip, "login", "denied", "locked");
    tx.commit();
    return fail(Error{ErrorKind::rate_limited, "login.locked", {}});
  }
  if (!password_ok) {
    if (usable) {
      const int failures = user->failed_logins + 1;
      const bool lock = failures >= kMaxFailedLogins;
      c.execute(
          "UPDATE users SET failed_logins = ?, locked_until = ? WHERE id = ?",
          {std::int64_t{lock ? 0 : failures},
           lock ? storage::Value{to_rfc3339(now + kLockout)} : storage::Value{storage::Null{}},
           user->id});
      log_login(c, clock, &*user, client_ip, "login", "failure",
                lock ? "bad_password_locked" : "bad_password");
    } else {
      log_login(c, clock, nullptr, client_ip, "login", "failure", "unknown_account");
    }
    tx.commit();
    return fail(Error{ErrorKind::unauthorized, "login.failed", {}});
  }
  c.execute("UPDATE users SET failed_logins = 0, locked_until = NULL WHERE id = ?", {user->id});
  Session s = create_session(c, clock, user->id, first_stage(*user));
  log_login(c, clock, &*user, client_ip, "login", "success", "stage=" + s.stage);
  tx.commit();
  return s;
}

Result<Session> verify_second_factor(storage::Connection& c, const Clock& clock,
                                     const SecretBox& box, const Session& session,
                                     const std::string& code, const std::string& client_ip) {
  storage::Transaction tx(c);
  auto user = find_user(c, session.user_id);
  if (!user || session.stage != "password" || !user->totp_enabled)
    return fail(Error::unauthorized());
  auto secret = box.open(user->totp_secret_sealed);
  auto step = secret ? verify_totp(*secret, code, clock.now()) : std::nullopt;
  if (!step || *step <= user->totp_last_step) {
    const int tries = session.totp_tries + 1;
    const char* detail = step ? "totp_replayed" : "totp_wrong";
    if (tries >= kMaxTotpTries) {
      end_session(c, session.id_hash);
      log_login(c, clock, &*user, client_ip, "login_2fa", "failure",
                std::string(detail) + ",session_ended");
      tx.commit();
      return fail(Error{ErrorKind::unauthorized, "totp.too_many", {}});
    }
    set_session_field(c, session.id_hash, tries, session.pending_totp_sealed);
    log_login(c, clock, &*user, client_ip, "login_2fa", "failure", detail);
    tx.commit();
    return fail(Error::invalid({{"code", "totp.failed"}}));
  }
  c.execute("UPDATE users SET totp_last_step = ? WHERE id = ?", {*step, user->id});
  Session full = rotate_session(c, clock, session, "full");
  log_login(c, clock, &*user, client_ip, "login_2fa", "success");
  tx.commit();
  return full;
}

std::string begin_enrolment(storage::Connection& c, const SecretBox& box, const Session& session) {
  if (!session.pending_totp_sealed.empty()) {
    if (auto pending = box.open(session.pending_totp_sealed)) return *pending;
  }
  std::string secret = new_totp_secret();
  set_session_field(c, session.id_hash, session.totp_tries, box.seal(secret));
  return secret;
}

Result<Session> confirm_enrolment(storage::Connection& c, const Clock& clock, const SecretBox& box,
                                  const Session& session, const std::string& code,
                                  const std::string& client_ip) {
  storage::Transaction tx(c);
  auto user = find_user(c, session.user_id);
  auto secret = box.open(session.pending_totp_sealed);
  if (!user || !secret) return fail(Error::unauthorized());
  auto step = verify_totp(*secret, code, clock.now());
  if (!step) {
    const int tries = session.totp_tries + 1;
    if (tries >= kMaxTotpTries) {
      end_session(c, session.id_hash);
      log_login(c, clock, &*user, client_ip, "totp_enrol", "failure", "session_ended");
      tx.commit();
      return fail(Error{ErrorKind::unauthorized, "totp.too_many", {}});
    }
    set_session_field(c, session.id_hash, tries, session.pending_totp_sealed);
    log_login(c, clock, &*user, client_ip, "totp_enrol", "failure", "totp_wrong");
    tx.commit();
    return fail(Error::invalid({{"code", "totp.failed"}}));
  }
  c.execute(
      "UPDATE users SET totp_secret_sealed = ?, totp_enabled = 1, totp_last_step = ?, "
      "updated_at = ? WHERE id = ?",
      {box.seal(*secret), *step, to_rfc3339(clock.now()), user->id});
  Session full = rotate_session(c, clock, session, "full");
  log_login(c, clock, &*user, client_ip, "totp_enrol", "success");
  tx.commit();
  return full;
}

}  // namespace oploop::auth
