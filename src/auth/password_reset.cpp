#include "auth/password_reset.hpp"

#include "audit/access_log.hpp"
#include "auth/accounts.hpp"
#include "auth/sessions.hpp"
#include "auth/throttle.hpp"
#include "core/random.hpp"
#include "mail/outbox.hpp"

namespace oploop::auth {
namespace {

std::optional<std::string> user_for_reset_token(storage::Connection& c, const Clock& clock,
                                                const std::string& token) {
  if (token.empty() || token.size() > 100) return std::nullopt;
  auto row = c.query_one(
      "SELECT user_id FROM password_resets WHERE token_hash = ? AND used_at IS NULL "
      "AND expires_at > ?",
      {sha256_hex(token), to_rfc3339(clock.now())});
  if (!row) return std::nullopt;
  return row->text(0);
}

void log_event(storage::Connection& c, const Clock& clock, const User& u, const std::string& ip,
               const std::string& event, const std::string& outcome) {
  audit::record(c, clock,
                {u.organisation_id, u.id, std::string(to_string(u.role)), event, "user", u.id, ip,
                 outcome, ""});
}

}  // namespace

std::string create_password_link(storage::Connection& c, const Clock& clock,
                                 const std::string& user_id, const std::string& base_url,
                                 std::chrono::seconds valid_for) {
  const std::string token = random_token(32);
  const auto now = clock.now();
  c.execute(
      "INSERT INTO password_resets (token_hash, user_id, created_at, expires_at) "
      "VALUES (?, ?, ?, ?)",
      {sha256_hex(token), user_id, to_rfc3339(now), to_rfc3339(now + valid_for)});
  return base_url + "/wachtwoord/herstel/" + token;
}

void request_password_reset(storage::Connection& c, const Clock& clock, const std::string& email,
                            const std::string& base_url, const std::string& client_ip) {
  storage::Transaction tx(c);
  // At most 5 reset mails per address an hour, and 20 requests per client address.
  if (!take(c, clock, "reset-ip:" + client_ip, 20, std::chrono::hours(1))) {
    tx.commit();
    return;
  }
  auto user = find_user_by_email(c, email);
  if (!user || !user->active ||
      !take(c, clock, "reset-user:" + user->id, 5, std::chrono::hours(1))) {
    tx.commit();
    return;
  }
  const std::string link =
      create_password_link(c, clock, user->id, base_url, std::chrono::minutes(30));
  mail::enqueue(c, clock,
                {user->email, "Nieuw wachtwoord instellen / Set a new password",
                 "Iemand heeft gevraagd om een nieuw wachtwoord voor uw Oploop-account.\n"
                 "Stel binnen 30 minuten een nieuw wachtwoord in via deze link:\n\n" +
                     link +
                     "\n\nHeeft u dit niet gevraagd? Dan kunt u deze e-mail negeren.\n\n"
                     "Someone asked for a new Oploop password for this address. Use the link "
                     "above within 30 minutes, or ignore this e-mail.\n"});
  log_event(c, clock, *user, client_ip, "password_reset_requested", "success");
  tx.commit();
}

bool password_token_valid(storage::Connection& c, const Clock& clock, const std::string& token) {
  return user_for_reset_token(c, clock, token).has_value();
}

Status complete_password_reset(storage::Connection& c, const Clock& clock, const std::string& token,
                               const std::string& password, const std::string& client_ip) {
  storage::Transaction tx(c);
  auto user_id = user_for_reset_token(c, clock, token);
  if (!user_id) return fail(Error{ErrorKind::not_found, "password.link_invalid", {}});
  auto user = find_user(c, *user_id);
  if (!user) return fail(Error::not_found());
  TRY_STATUS(set_password(c, clock, user->id, password));
  c.execute("UPDATE password_resets SET used_at = ? WHERE token_hash = ?",
            {to_rfc3339(clock.now()), sha256_hex(token)});
  end_all_sessions(c, user->id);
  mail::enqueue(c, clock,
                {user->email, "Uw wachtwoord is gewijzigd / Your password was changed",
                 "Het wachtwoord van uw Oploop-account is zojuist gewijzigd. Was u dit niet? "
                 "Neem dan direct contact op met uw projectleider.\n\n"
                 "The password of your Oploop account was just changed. If this was not you, "
                 "contact your project lead at once.\n"});
  log_event(c, clock, *user, client_ip, "password_changed", "success");
  tx.commit();
  return {};
}

}  // namespace oploop::auth
