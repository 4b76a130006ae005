// The demo organisation: clearly fictional people and places, one user per role, and
// referrals and families at each step so every page has something to show.
#pragma once

#include <string>
#include <vector>

#include "core/clock.hpp"
#include "core/result.hpp"
#include "storage/database.hpp"

namespace oploop::demo {

struct Login {
  std::string role;
  std::string email;
  std::string password;
  std::string totp_secret;  // empty when the role has no 2FA set up
};

struct DemoResult {
  std::string organisation_slug;
  std::vector<Login> logins;
};

// Fails with conflict when the demo organisation exists already.
Result<DemoResult> seed_demo(storage::Database& db, const Clock& clock,
                             const std::string& secret_key_file);

}  // namespace oploop::demo
