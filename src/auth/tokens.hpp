// Personal access tokens for `Authorization: Bearer …`: shown once, stored as SHA-256,
// expiring (1–365 days), revocable.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/clock.hpp"
#include "core/result.hpp"
#include "storage/database.hpp"

namespace oploop::auth {

struct TokenInfo {
  std::string id;
  std::string name;
  std::string created_at;
  std::string expires_at;
  std::string last_used_at;
};

struct NewToken {
  TokenInfo info;
  std::string secret;  // "oplp_…", shown once
};

Result<NewToken> create_token(storage::Connection& c, const Clock& clock,
                              const std::string& user_id, const std::string& name, int days);
// The user id the token belongs to, when valid (not expired, not revoked).
std::optional<std::string> user_for_token(storage::Connection& c, const Clock& clock,
                                          const std::string& secret);
std::vector<TokenInfo> list_tokens(storage::Connection& c, const Clock& clock,
                                   const std::string& user_id);
Status revoke_token(storage::Connection& c, const Clock& clock, const std::string& user_id,
                    const std::string& token_id);

}  // namespace oploop::auth
