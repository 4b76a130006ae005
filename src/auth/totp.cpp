// TOTP (RFC 6238) through liboath, and the QR code an authenticator app scans (libqrencode).
// We generate the codes for the steps around `now` and compare them ourselves in constant time,
// rather than oath_totp_validate*, which compares with strcmp and stops at the first match.
#include "auth/totp.hpp"

#include "core/text.hpp"

#include <liboath/oath.h>
#include <qrencode.h>
#include <sodium.h>

#include <array>
#include <cstdlib>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <string_view>

#include <fmt/format.h>

namespace oploop::auth {
namespace {

constexpr unsigned kDigits = 6;
constexpr std::int64_t kStepSeconds = 30;
constexpr std::size_t kSecretBytes = 20;  // 160 bits, as RFC 4226 recommends
constexpr int kQuietZone = 4;             // modules of white around the code (ISO 18004)
constexpr int kSvgPixels = 200;

void ensure_libraries() {
  static std::once_flag once;
  std::call_once(once, [] {
    if (sodium_init() < 0) {
      throw std::runtime_error("libsodium failed to initialise");
    }
    if (oath_init() != OATH_OK) {
      throw std::runtime_error("liboath failed to initialise");
    }
  });
}

// The decoded secret, wiped and freed when it goes out of scope.
struct SecretBytes {
  char* data = nullptr;
  std::size_t size = 0;
  SecretBytes() = default;
  SecretBytes(const SecretBytes&) = delete;
  SecretBytes& operator=(const SecretBytes&) = delete;
  ~SecretBytes() {
    if (data != nullptr) {
      sodium_memzero(data, size);
      std::free(data);
    }
  }
};

bool decode_secret(const std::string& secret_base32, SecretBytes& out) {
  if (secret_base32.empty()) {
    return false;
  }
  return oath_base32_decode(secret_base32.data(), secret_base32.size(), &out.data, &out.size) ==
             OATH_OK &&
         out.size > 0;
}

std::int64_t unix_seconds(TimePoint t) {
  return std::chrono::floor<std::chrono::seconds>(t.time_since_epoch()).count();
}

std::int64_t step_of(std::int64_t unix_time) {
  return unix_time >= 0 ? unix_time / kStepSeconds : (unix_time - kStepSeconds + 1) / kStepSeconds;
}

// The 6-digit code of one time step, or nullopt when liboath refuses (a step before 1970).
std::optional<std::array<char, kDigits + 1>> code_at_step(const SecretBytes& secret,
                                                          std::int64_t step) {
  if (step < 0) {
    return std::nullopt;
  }
  std::array<char, kDigits + 1> code{};
  const auto start = static_cast<time_t>(step * kStepSeconds);
  if (oath_totp_generate2(secret.data, secret.size, start, static_cast<unsigned>(kStepSeconds),
                          OATH_TOTP_DEFAULT_START_TIME, kDigits, 0, code.data()) != OATH_OK) {
    return std::nullopt;
  }
  return code;
}

// Exactly six ASCII digits; surrounding blanks and the "123 456" grouping that authenticator
// apps display are tolerated. Full-width or other Unicode digits are refused.
std::optional<std::string> normalise_code(std::string_view code) {
  while (!code.empty() && (code.front() == ' ' || code.front() == '\t')) {
    code.remove_prefix(1);
  }
  while (!code.empty() && (code.back() == ' ' || code.back() == '\t')) {
    code.remove_suffix(1);
  }
  std::string digits;
  if (code.size() == kDigits + 1 && code[3] == ' ') {
    digits = std::string(code.substr(0, 3)) + std::string(code.substr(4));
  } else {
    digits = std::string(code);
  }
  if (digits.size() != kDigits) {
    return std::nullopt;
  }
  for (char c : digits) {
    if (c < '0' || c > '9') {
      return std::nullopt;
    }
  }
  return digits;
}

// RFC 3986 percent-encoding of everything but the unreserved characters and `keep`.
std::string percent_encode(std::string_view text, std::string_view keep = {}) {
  std::string out;
  for (unsigned char c : text) {
    const bool unreserved = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
                            (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_' || c == '~';
    if (unreserved || keep.find(static_cast<char>(c)) != std::string_view::npos) {
      out += static_cast<char>(c);
    } else {
      out += fmt::format("%{:02X}", c);
    }
  }
  return out;
}

}  // namespace

std::string new_totp_secret() {
  ensure_libraries();
  std::array<unsigned char, kSecretBytes> bytes{};
  randombytes_buf(bytes.data(), bytes.size());
  char* encoded = nullptr;
  std::size_t encoded_size = 0;
  const int rc = oath_base32_encode(reinterpret_cast<const char*>(bytes.data()), bytes.size(),
                                    &encoded, &encoded_size);
  sodium_memzero(bytes.data(), bytes.size());
  if (rc != OATH_OK) {
    throw std::runtime_error("oath_base32_encode failed");
  }
  std::string secret(encoded, encoded_size);
  sodium_memzero(encoded, encoded_size);
  std::free(encoded);
  // 20 bytes are exactly 32 base32 characters, so there is no padding to strip; strip anyway
  // in case the size ever changes, since authenticator apps expect none.
  while (!secret.empty() && secret.back() == '=') {
    secret.pop_back();
  }
  return secret;
}

std::string totp_uri(const std::string& secret_base32, const std::string& account,
                     const std::string& issuer) {
  // Key URI format: the label is "issuer:account"; a colon inside either part must be encoded,
  // '@' may stay as it is (RFC 3986 pchar) so apps show the address readably.
  return fmt::format("otpauth://totp/{}:{}?secret={}&issuer={}&algorithm=SHA1&digits={}&period={}",
                     percent_encode(issuer, "@"), percent_encode(account, "@"),
                     percent_encode(secret_base32), percent_encode(issuer, "@"), kDigits,
                     kStepSeconds);
}

std::optional<std::int64_t> verify_totp(const std::string& secret_base32, const std::string& code,
                                        TimePoint now) {
  ensure_libraries();
  const auto given = normalise_code(code);
  if (!given) {
    return std::nullopt;
  }
  SecretBytes secret;
  if (!decode_secret(secret_base32, secret)) {
    return std::nullopt;
  }

  // All three steps are computed and compared, so the time taken says nothing about which one
  // matched. The current step wins a (one in a million) tie, then the earlier one.
  const std::int64_t current = step_of(unix_seconds(now));
  std::optional<std::int64_t> matched;
  for (const std::int64_t step : {current + 1, current - 1, current}) {
    const auto expected = code_at_step(secret, step);
    if (expected && sodium_memcmp(expected->data(), given->data(), kDigits) == 0) {
      matched = step;
    }
  }
  return matched;
}

std::string totp_code(const std::string& secret_base32, TimePoint at) {
  ensure_libraries();
  SecretBytes secret;
  if (!decode_secret(secret_base32, secret)) {
    throw std::invalid_argument("invalid TOTP secret");
  }
  const auto code = code_at_step(secret, step_of(unix_seconds(at)));
  if (!code) {
    throw std::invalid_argument("no TOTP code before 1970");
  }
  return std::string(code->data(), kDigits);
}

std::string qr_svg(const std::string& text, const std::string& title) {
  std::unique_ptr<QRcode, decltype(&QRcode_free)> qr(
      QRcode_encodeString(text.c_str(), 0, QR_ECLEVEL_M, QR_MODE_8, 1), &QRcode_free);
  if (!qr) {
    throw std::invalid_argument("text cannot be encoded as a QR code (empty or too long)");
  }

  const int width = qr->width;
  const int size = width + 2 * kQuietZone;
  // One path: each horizontal run of dark modules is a 1-module-high rectangle. Far smaller
  // than a <rect> per module, and crisp at any scale.
  std::string path;
  for (int y = 0; y < width; ++y) {
    const unsigned char* row = qr->data + static_cast<std::ptrdiff_t>(y) * width;
    for (int x = 0; x < width;) {
      if ((row[x] & 1) == 0) {
        ++x;
        continue;
      }
      int run = 1;
      while (x + run < width && (row[x + run] & 1) != 0) {
        ++run;
      }
      path += fmt::format("M{} {}h{}v1h-{}z", x + kQuietZone, y + kQuietZone, run, run);
      x += run;
    }
  }
  return fmt::format(
      "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {0} {0}\" width=\"{1}\" "
      "height=\"{1}\" role=\"img\" shape-rendering=\"crispEdges\"><title>{2}</title>"
      "<rect width=\"{0}\" height=\"{0}\" fill=\"#fff\"/><path fill=\"#000\" d=\"{3}\"/></svg>",
      size, kSvgPixels, text::xml_escape(title), path);
}

}  // namespace oploop::auth
