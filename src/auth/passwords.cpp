// Argon2id hashing (libsodium) and the password policy. Hashing uses the "interactive" limits
// (64 MiB, about 70 ms here): strong enough for a login form, cheap enough not to invite a
// denial of service. The common-password list is John the Ripper's public-domain list (Debian
// package john-data, read at first use, not copied into the repository) plus our own Dutch and
// English additions in data/common-passwords-extra.txt.
#include "auth/passwords.hpp"

#include <sodium.h>

#include <array>
#include <cstddef>
#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <string_view>
#include <unordered_set>

#include <spdlog/spdlog.h>

#include "core/resources.hpp"

namespace oploop::auth {
namespace {

constexpr std::size_t kMinLength = 12;
constexpr std::size_t kMaxLength = 128;
// A shorter local part ("jo@…") would refuse too many unrelated passwords.
constexpr std::size_t kMinLocalPartToCompare = 4;
constexpr const char* kJohnList = "/usr/share/john/password.lst";

void ensure_sodium() {
  static const bool ready = sodium_init() >= 0;
  if (!ready) {
    throw std::runtime_error("libsodium failed to initialise");
  }
}

// Code points, not bytes: "é" is one character to the user. Invalid UTF-8 still counts each
// lead or stray byte once, so no input can slip under the minimum.
std::size_t code_points(std::string_view s) {
  std::size_t n = 0;
  for (unsigned char c : s) {
    if ((c & 0xC0) != 0x80) {
      ++n;
    }
  }
  return n;
}

// ASCII folding is enough: the lists and e-mail addresses we compare with are ASCII.
std::string ascii_lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') {
      c = static_cast<char>(c - 'A' + 'a');
    }
  }
  return out;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.back() == '\r' || s.back() == ' ' || s.back() == '\t')) {
    s.remove_suffix(1);
  }
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) {
    s.remove_prefix(1);
  }
  return s;
}

// Adds every entry of a word list; returns false when the file cannot be opened.
bool load_list(const std::filesystem::path& path, std::string_view comment_prefix,
               std::unordered_set<std::string>& into) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return false;
  }
  std::string line;
  while (std::getline(in, line)) {
    if (line.starts_with(comment_prefix)) {
      continue;
    }
    std::string_view entry = trim(line);
    if (!entry.empty()) {
      into.insert(ascii_lower(entry));
    }
  }
  return true;
}

const std::unordered_set<std::string>& common_passwords() {
  static const std::unordered_set<std::string> list = [] {
    std::unordered_set<std::string> words;
    if (!load_list(kJohnList, "#!comment", words)) {
      spdlog::warn("common-password list {} not found (install john-data); using only {}",
                   kJohnList, "data/common-passwords-extra.txt");
    }
    auto extra = resource_path("data/common-passwords-extra.txt");
    if (!load_list(extra, "#", words)) {
      spdlog::warn("common-password list {} not found", extra.string());
    }
    return words;
  }();
  return list;
}

}  // namespace

std::string hash_password(const std::string& password) {
  ensure_sodium();
  std::array<char, crypto_pwhash_STRBYTES> out{};
  if (crypto_pwhash_str_alg(out.data(), password.data(), password.size(),
                            crypto_pwhash_OPSLIMIT_INTERACTIVE, crypto_pwhash_MEMLIMIT_INTERACTIVE,
                            crypto_pwhash_ALG_ARGON2ID13) != 0) {
    // Only when 64 MiB cannot be allocated: the caller cannot do anything sensible.
    throw std::runtime_error("password hashing ran out of memory");
  }
  return std::string(out.data());
}

bool verify_password(const std::string& encoded_hash, const std::string& password) {
  ensure_sodium();
  // libsodium reads a NUL-terminated string of at most STRBYTES; anything longer is not ours.
  if (encoded_hash.empty() || encoded_hash.size() >= crypto_pwhash_STRBYTES ||
      encoded_hash.find('\0') != std::string::npos) {
    return false;
  }
  return crypto_pwhash_str_verify(encoded_hash.c_str(), password.data(), password.size()) == 0;
}

const std::string& dummy_password_hash() {
  static const std::string hash = [] {
    ensure_sodium();
    std::array<unsigned char, 32> random{};
    randombytes_buf(random.data(), random.size());
    std::string password(reinterpret_cast<const char*>(random.data()), random.size());
    sodium_memzero(random.data(), random.size());
    return hash_password(password);
  }();
  return hash;
}

std::optional<std::string> password_problem(const std::string& password, const std::string& email) {
  const std::size_t length = code_points(password);
  if (length < kMinLength) {
    return "password.too_short";
  }
  if (length > kMaxLength) {
    return "password.too_long";
  }

  const std::string lowered = ascii_lower(password);
  const std::string lowered_email = ascii_lower(trim(email));
  if (!lowered_email.empty()) {
    if (lowered == lowered_email) {
      return "password.like_email";
    }
    const std::string local = lowered_email.substr(0, lowered_email.find('@'));
    if (code_points(local) >= kMinLocalPartToCompare && lowered.find(local) != std::string::npos) {
      return "password.like_email";
    }
  }
  if (common_passwords().contains(lowered)) {
    return "password.common";
  }
  return std::nullopt;
}

}  // namespace oploop::auth
