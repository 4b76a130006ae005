// Passwords: Argon2id (libsodium, "interactive" limits) with a unique salt, encoded in the
// standard $argon2id$ string. Policy: 12–128 characters (never truncated), not on the list of
// common passwords (data/common-passwords.txt), not equal to the e-mail address.
#pragma once

#include <optional>
#include <string>

namespace oploop::auth {

std::string hash_password(const std::string& password);
bool verify_password(const std::string& encoded_hash, const std::string& password);
// A hash of a random password, verified against when the account does not exist, so that
// known and unknown accounts take the same time.
const std::string& dummy_password_hash();
// nullopt when acceptable, else a catalogue key ("password.too_short", …).
std::optional<std::string> password_problem(const std::string& password, const std::string& email);

}  // namespace oploop::auth
