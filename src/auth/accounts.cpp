#include "auth/accounts.hpp"

#include "auth/passwords.hpp"
#include "core/random.hpp"
#include "core/text.hpp"

namespace oploop::auth {
namespace {

constexpr const char* kUserColumns =
    "SELECT id, organisation_id, email, name, role, password_hash, totp_secret_sealed, "
    "totp_enabled, totp_last_step, language, active, failed_logins, locked_until FROM users ";

User user_from(const storage::Row& r) {
  User u;
  u.id = r.text(0);
  u.organisation_id = r.text(1);
  u.email = r.text(2);
  u.name = r.text(3);
  u.role = parse_role(r.text(4)).value_or(Role::volunteer);
  u.password_hash = r.text(5);
  u.totp_secret_sealed = r.text(6);
  u.totp_enabled = r.boolean(7);
  u.totp_last_step = r.integer(8);
  u.language = r.text(9);
  u.active = r.boolean(10);
  u.failed_logins = static_cast<int>(r.integer(11));
  u.locked_until = r.text(12);
  return u;
}

}  // namespace

Result<User> create_user(storage::Connection& c, const Clock& clock, const NewUser& input) {
  std::map<std::string, std::string> errors;
  const std::string email = text::lower_ascii(text::trim(input.email));
  const std::string name = text::trim(input.name);
  if (!text::is_email(email)) errors["email"] = "validation.email";
  if (name.empty())
    errors["name"] = "validation.required";
  else if (text::length(name) > 200)
    errors["name"] = "validation.too_long";
  if (input.password) {
    if (auto problem = password_problem(*input.password, email)) errors["password"] = *problem;
  }
  if (!errors.empty()) return fail(Error::invalid(errors));

  storage::Transaction tx(c);
  if (find_user_by_email(c, email)) return fail(Error::conflict("user.email_taken"));
  for (const auto& team_id : input.team_ids) {
    auto team = c.query_one("SELECT organisation_id FROM teams WHERE id = ?", {team_id});
    if (!team || team->text(0) != input.organisation_id)
      return fail(Error::invalid({{"team", "validation.choice"}}));
  }
  User u;
  u.id = new_id();
  u.organisation_id = input.organisation_id;
  u.email = email;
  u.name = name;
  u.role = input.role;
  if (input.password) u.password_hash = hash_password(*input.password);
  const std::string now = to_rfc3339(clock.now());
  c.execute(
      "INSERT INTO users (id, organisation_id, email, name, role, password_hash, created_at, "
      "updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
      {u.id, u.organisation_id, u.email, u.name, std::string(to_string(u.role)),
       storage::null_if_empty(u.password_hash), now, now});
  for (const auto& team_id : input.team_ids) {
    c.execute("INSERT INTO user_teams (user_id, team_id) VALUES (?, ?)", {u.id, team_id});
  }
  tx.commit();
  return u;
}

std::optional<User> find_user_by_email(storage::Connection& c, const std::string& email) {
  auto row = c.query_one(std::string(kUserColumns) + "WHERE email = ?",
                         {text::lower_ascii(text::trim(email))});
  if (!row) return std::nullopt;
  return user_from(*row);
}

std::optional<User> find_user(storage::Connection& c, const std::string& id) {
  auto row = c.query_one(std::string(kUserColumns) + "WHERE id = ?", {id});
  if (!row) return std::nullopt;
  return user_from(*row);
}

std::optional<Principal> load_principal(storage::Connection& c, const std::string& user_id) {
  auto user = find_user(c, user_id);
  if (!user || !user->active) return std::nullopt;
  Principal p;
  p.user_id = user->id;
  p.organisation_id = user->organisation_id;
  p.role = user->role;
  p.name = user->name;
  p.email = user->email;
  p.language = user->language;
  for (const auto& r :
       c.query("SELECT team_id FROM user_teams WHERE user_id = ? ORDER BY team_id", {user_id})) {
    p.team_ids.push_back(r.text(0));
  }
  return p;
}

Status set_password(storage::Connection& c, const Clock& clock, const std::string& user_id,
                    const std::string& password) {
  auto user = find_user(c, user_id);
  if (!user) return fail(Error::not_found());
  if (auto problem = password_problem(password, user->email))
    return fail(Error::invalid({{"password", *problem}}));
  c.execute(
      "UPDATE users SET password_hash = ?, failed_logins = 0, locked_until = NULL, "
      "updated_at = ? WHERE id = ?",
      {hash_password(password), to_rfc3339(clock.now()), user_id});
  return {};
}

std::vector<User> coordinators_of(storage::Connection& c, const std::string& organisation_id,
                                  const std::optional<std::string>& team_id) {
  std::vector<User> out;
  auto rows = team_id
                  ? c.query(std::string(kUserColumns) +
                                "WHERE organisation_id = ? AND role = 'coordinator' AND active = 1 "
                                "AND id IN (SELECT user_id FROM user_teams WHERE team_id = ?) "
                                "ORDER BY email",
                            {organisation_id, *team_id})
                  : c.query(std::string(kUserColumns) +
                                "WHERE organisation_id = ? AND role = 'coordinator' AND active = 1 "
                                "ORDER BY email",
                            {organisation_id});
  for (const auto& r : rows) out.push_back(user_from(r));
  return out;
}

}  // namespace oploop::auth
