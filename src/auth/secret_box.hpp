// Encryption at rest for small secrets (TOTP seeds): libsodium secretbox with a 32-byte key
// from OPLOOP_SECRET_KEY (64 hex chars) or, if unset, data/secret.key next to the SQLite file,
// created on first use with mode 0600.
#pragma once

#include <optional>
#include <string>

namespace oploop::auth {

class SecretBox {
 public:
  explicit SecretBox(std::string key32);  // exactly 32 raw bytes
  static SecretBox from_environment(const std::string& key_file_path);
  std::string seal(const std::string& plaintext) const;  // base64(nonce || ciphertext)
  std::optional<std::string> open(const std::string& sealed) const;

 private:
  std::string key_;
};

}  // namespace oploop::auth
