// Versioned schema migrations: src/storage/migrations/NNNN_name.sql, applied in order,
// each in its own transaction, recorded in schema_migrations. One SQL text serves both
// engines; the few differences are written as tokens the runner replaces:
//   {{blob}}  -> BLOB | BYTEA
//   {{real}}  -> REAL | DOUBLE PRECISION
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "storage/database.hpp"

namespace oploop::storage {

struct MigrationReport {
  std::vector<std::string> applied;  // names applied by this call
  int version = 0;                   // highest version now present
};

// Applies every migration not yet applied. Safe to call from several processes at once
// (PostgreSQL: advisory lock; SQLite: the write lock).
MigrationReport migrate(Database& db);
// The same with the migrations read from `dir` (tests use their own fixtures).
MigrationReport migrate(Database& db, const std::filesystem::path& dir);

// Migrations that exist but are not applied (for /readyz and `oploop migrate --status`).
std::vector<std::string> pending_migrations(Database& db);
std::vector<std::string> pending_migrations(Database& db, const std::filesystem::path& dir);

}  // namespace oploop::storage
