// Data versions: how a process-local cache knows it is still right. A writer calls
// bump_version() in the transaction that changes the cached data; a reader reads the version
// *before* it reads the data, and keeps its copy under that version. A copy is used only while
// the database still holds the same version, whichever process wrote since.
#pragma once

#include <string>
#include <vector>

#include "storage/database.hpp"

namespace oploop::storage {

// Sets a new random version for `scope` (inside the caller's transaction).
void bump_version(Connection& c, const std::string& scope);
// The versions of `scopes`, in order, joined by '/' ("" for a scope never written).
std::string versions_of(Connection& c, const std::vector<std::string>& scopes);

}  // namespace oploop::storage
