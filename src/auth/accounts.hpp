// User accounts: one role per user in one organisation, optionally in teams.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "auth/principal.hpp"
#include "core/clock.hpp"
#include "core/result.hpp"
#include "storage/database.hpp"

namespace oploop::auth {

struct User {
  std::string id;
  std::string organisation_id;
  std::string email;
  std::string name;
  Role role = Role::volunteer;
  std::string password_hash;  // empty when no password was set yet
  std::string totp_secret_sealed;
  bool totp_enabled = false;
  std::int64_t totp_last_step = 0;
  std::string language = "nl";
  bool active = true;
  int failed_logins = 0;
  std::string locked_until;
};

struct NewUser {
  std::string organisation_id;
  Role role = Role::volunteer;
  std::string email;
  std::string name;
  std::vector<std::string> team_ids;
  std::optional<std::string> password;  // checked against the password policy
};

Result<User> create_user(storage::Connection& c, const Clock& clock, const NewUser& u);
std::optional<User> find_user_by_email(storage::Connection& c, const std::string& email);
std::optional<User> find_user(storage::Connection& c, const std::string& id);
// The principal for a user (with teams); nullopt when absent or inactive.
std::optional<Principal> load_principal(storage::Connection& c, const std::string& user_id);
Status set_password(storage::Connection& c, const Clock& clock, const std::string& user_id,
                    const std::string& password);
// Coordinators of an organisation's team (or of the whole organisation when no team).
std::vector<User> coordinators_of(storage::Connection& c, const std::string& organisation_id,
                                  const std::optional<std::string>& team_id);

}  // namespace oploop::auth
