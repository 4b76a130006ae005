// Password reset and first-time set-password links. The link holds a single-use token
// (stored hashed) in its path, never in a query string; a reset link lives 30 minutes, an
// invitation 7 days. Asking for a reset answers the same whether or not the address exists.
// Mails hold no personal details: a fixed text and the link.
#pragma once

#include <chrono>
#include <string>

#include "core/clock.hpp"
#include "core/result.hpp"
#include "storage/database.hpp"

namespace oploop::auth {

// Creates a set-password link for the user; answers the full URL.
std::string create_password_link(storage::Connection& c, const Clock& clock,
                                 const std::string& user_id, const std::string& base_url,
                                 std::chrono::seconds valid_for);
// Queues a reset mail when the address belongs to an active account. Always succeeds.
void request_password_reset(storage::Connection& c, const Clock& clock, const std::string& email,
                            const std::string& base_url, const std::string& client_ip);
// Sets the new password when the token is valid; ends every session of the user and queues
// a "your password was changed" notice.
Status complete_password_reset(storage::Connection& c, const Clock& clock, const std::string& token,
                               const std::string& password, const std::string& client_ip);
// Whether a token is currently usable (for showing the form).
bool password_token_valid(storage::Connection& c, const Clock& clock, const std::string& token);

}  // namespace oploop::auth
