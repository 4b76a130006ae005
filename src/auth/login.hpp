// Signing in: password, then TOTP (or TOTP enrolment for roles that require it).
// Throttling: 10 failed passwords lock an account for 15 minutes; one client address may try
// 30 times per 15 minutes. Unknown and known accounts take the same time (a dummy hash is
// verified). Every success and failure goes to the access log.
#pragma once

#include <string>

#include "auth/secret_box.hpp"
#include "auth/sessions.hpp"
#include "core/clock.hpp"
#include "core/result.hpp"
#include "storage/database.hpp"

namespace oploop::auth {

// On success: a new session at stage "full", "password" (code needed) or "enrol".
Result<Session> login_with_password(storage::Connection& c, const Clock& clock,
                                    const std::string& email, const std::string& password,
                                    const std::string& client_ip);

// Stage "password" → "full" with a valid, unused code. Five wrong codes end the session.
Result<Session> verify_second_factor(storage::Connection& c, const Clock& clock,
                                     const SecretBox& box, const Session& session,
                                     const std::string& code, const std::string& client_ip);

// Stage "enrol" (or a signed-in user adding 2FA): a new secret kept sealed in the session
// until confirmed; answers the secret (base32) to show as QR code and text.
std::string begin_enrolment(storage::Connection& c, const SecretBox& box, const Session& session);
// Confirms the pending secret with a code; stores it on the user and answers a rotated
// session at stage "full".
Result<Session> confirm_enrolment(storage::Connection& c, const Clock& clock, const SecretBox& box,
                                  const Session& session, const std::string& code,
                                  const std::string& client_ip);

}  // namespace oploop::auth
