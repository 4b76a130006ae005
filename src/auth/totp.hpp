// TOTP two-factor (RFC 6238: SHA-1, 6 digits, 30 s steps, ±1 step), via liboath.
// Seeds are stored encrypted at rest (secretbox with the server key, see auth/secret_box.hpp).
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "core/clock.hpp"

namespace oploop::auth {

std::string new_totp_secret();  // 20 random bytes, base32 (RFC 4648, no padding)
// The otpauth:// URI an authenticator app reads from the QR code.
std::string totp_uri(const std::string& secret_base32, const std::string& account,
                     const std::string& issuer = "Oploop");
// The time step the code matches (now ±1), or nullopt. Callers refuse a step ≤ the last
// step used (replay).
std::optional<std::int64_t> verify_totp(const std::string& secret_base32, const std::string& code,
                                        TimePoint now);
std::string totp_code(const std::string& secret_base32, TimePoint at);  // for tests
// An SVG QR code of `text` (libqrencode), with a title for screen readers.
std::string qr_svg(const std::string& text, const std::string& title);

}  // namespace oploop::auth
