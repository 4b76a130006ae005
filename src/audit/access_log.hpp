// The NEN 7513 access log: who did what to which record, when, from where, with what outcome.
// Written in the same transaction as the change it records (pass the transaction's
// connection). Append-only for the application; each organisation's entries form a hash
// chain (hash = SHA-256 of the previous hash and the entry), so a deleted or altered row is
// detectable by verify_chain().
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/clock.hpp"
#include "storage/database.hpp"

namespace oploop::audit {

struct Entry {
  std::string organisation_id;  // empty for events outside any organisation
  std::string user_id;          // empty when anonymous
  std::string role;
  std::string event;        // view, list, create, update, delete, export, login, logout, …
  std::string object_type;  // family, referral, user, session, audit, …
  std::string object_id;
  std::string client_ip;
  std::string outcome;  // success, denied, not_found, failure
  std::string details;  // never case content; e.g. "ids=…" for lists, a reason code
};

struct StoredEntry {
  Entry entry;
  std::string id;
  std::int64_t seq = 0;
  std::string at;
};

void record(storage::Connection& c, const Clock& clock, const Entry& e);

struct Query {
  std::string organisation_id;
  std::optional<std::string> object_type;
  std::optional<std::string> object_id;
  std::optional<std::string> user_id;
  std::optional<std::string> from;  // RFC 3339 or date, inclusive
  std::optional<std::string> to;    // exclusive
  int limit = 100;
  std::optional<std::string> before_cursor;  // "<at>|<id>" of the last row seen
};
std::vector<StoredEntry> find(storage::Connection& c, const Query& q);

// Recomputes the chain of one organisation; answers the seq of the first broken row, or
// nullopt when the chain is intact.
std::optional<std::int64_t> verify_chain(storage::Connection& c, const std::string& chain);

}  // namespace oploop::audit
