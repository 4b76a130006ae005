// Backups of the whole database, and restoring one.
//
// Beside FILE a checksum file FILE.sha256 is written (`sha256sum -c` format). Restore refuses
// a backup whose checksum file is missing or does not match, so a flipped byte anywhere is
// caught — SQLite's integrity_check alone does not see a changed byte inside a stored value.
// A backup is written to a temporary name and renamed when complete and verified, with mode
// 0600 (it holds personal data).
//
// SQLite: the online backup API copies a consistent snapshot while the server runs (WAL:
// writers are not blocked); the copy must pass PRAGMA integrity_check. Restore checks the
// file the same way and then copies it over the database with the backup API. Stop the server
// before restoring: a running server would keep serving from state (sessions, caches) that no
// longer matches the database.
//
// PostgreSQL: pg_dump --format=custom / pg_restore --clean --if-exists --no-owner
// --single-transaction (postgresql-client, of the server's major version or newer). They run
// without a shell; the password from the URL is passed in PGPASSWORD, not on the command line
// where `ps` would show it. Restore is all-or-nothing (one transaction).
//
// Both throw DatabaseError with a message for the operator.
#pragma once

#include <string>

#include "storage/database.hpp"

namespace oploop::storage {

void backup_database(Database& db, const std::string& db_url, const std::string& file);
void restore_database(const std::string& db_url, const std::string& file);

// Lowercase hex SHA-256 of a file's content (the checksum written beside a backup).
std::string file_sha256_hex(const std::string& file);

}  // namespace oploop::storage
