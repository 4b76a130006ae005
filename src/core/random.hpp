// Cryptographic randomness (libsodium) for ids, session ids and tokens.
#pragma once

#include <cstddef>
#include <string>

namespace oploop {

// A new opaque id: 128 random bits as 26 lowercase base32 characters. Used as the
// primary key of every record, so ids reveal neither order nor count.
std::string new_id();

// `bytes` random bytes, URL-safe base64 without padding (for session ids, tokens).
std::string random_token(std::size_t bytes = 32);

// Lowercase hex SHA-256 (for storing tokens and session ids hashed).
std::string sha256_hex(const std::string& data);

// Constant-time comparison of two strings of possibly different length.
bool constant_time_equal(const std::string& a, const std::string& b);

}  // namespace oploop
