// The migration runner. Each migration runs in its own write transaction together with its
// row in schema_migrations, so it is applied wholly or not at all. Concurrent runners (two
// processes starting at once) are serialised: on SQLite by the write lock BEGIN IMMEDIATE
// takes, on PostgreSQL by a transaction-scoped advisory lock; both re-check inside the lock
// whether the migration is still missing. Migration files must not contain BEGIN/COMMIT or
// statements PostgreSQL refuses inside a transaction (CREATE INDEX CONCURRENTLY).
#include "storage/migrations.hpp"

#include <algorithm>
#include <set>

#include "core/clock.hpp"
#include "core/resources.hpp"

namespace oploop::storage {
namespace {

namespace fs = std::filesystem;

// Any constant will do as long as nothing else in the database uses it: "Oploop" in ASCII.
constexpr const char* kLockSql = "SELECT pg_advisory_xact_lock(87145211973488)";

struct Migration {
  int version = 0;
  std::string name;  // file name without .sql, e.g. "0001_init"
  fs::path file;
};

bool valid_name(const std::string& file) {
  // NNNN_name.sql with a lowercase name: the order is the order of the names.
  if (file.size() < 10 || !file.ends_with(".sql") || file[4] != '_') return false;
  for (std::size_t i = 0; i < 4; ++i) {
    if (file[i] < '0' || file[i] > '9') return false;
  }
  for (std::size_t i = 5; i + 4 < file.size(); ++i) {
    char c = file[i];
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) return false;
  }
  return true;
}

std::vector<Migration> list_migrations(const fs::path& dir) {
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) {
    throw DatabaseError("migrations directory not found: " + dir.string());
  }
  std::vector<Migration> out;
  for (const auto& entry : fs::directory_iterator(dir)) {
    std::string file = entry.path().filename().string();
    if (!file.ends_with(".sql")) continue;  // a README may sit beside them
    if (!entry.is_regular_file() || !valid_name(file)) {
      throw DatabaseError("migration file not named NNNN_name.sql: " + file);
    }
    out.push_back({std::stoi(file.substr(0, 4)), file.substr(0, file.size() - 4), entry.path()});
  }
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.name < b.name; });
  for (std::size_t i = 1; i < out.size(); ++i) {
    if (out[i].version == out[i - 1].version) {
      throw DatabaseError("two migrations with version " + std::to_string(out[i].version));
    }
  }
  return out;
}

void replace_all(std::string& s, std::string_view from, std::string_view to) {
  for (std::size_t pos = s.find(from); pos != std::string::npos;
       pos = s.find(from, pos + to.size())) {
    s.replace(pos, from.size(), to);
  }
}

// Keeps the lines between "-- {{sqlite}}" / "-- {{postgres}}" and "-- {{end}}" only for that
// engine (for what has no common spelling, such as triggers); the marker lines themselves go.
std::string keep_dialect_blocks(const std::string& sql, Dialect dialect, const std::string& name) {
  std::string out;
  std::string block;  // "" outside a block
  std::size_t start = 0;
  while (start < sql.size()) {
    std::size_t end = sql.find('\n', start);
    if (end == std::string::npos) end = sql.size();
    const std::string line = sql.substr(start, end - start);
    start = end + 1;
    if (line.starts_with("-- {{sqlite}}") || line.starts_with("-- {{postgres}}")) {
      if (!block.empty()) throw DatabaseError("migration " + name + ": nested dialect block");
      block = line.starts_with("-- {{sqlite}}") ? "sqlite" : "postgres";
      continue;
    }
    if (line.starts_with("-- {{end}}")) {
      if (block.empty()) throw DatabaseError("migration " + name + ": {{end}} without a block");
      block.clear();
      continue;
    }
    const bool keep = block.empty() || (block == "postgres") == (dialect == Dialect::postgres);
    if (keep) out += line + "\n";
  }
  if (!block.empty()) throw DatabaseError("migration " + name + ": dialect block not ended");
  return out;
}

std::string for_dialect(std::string sql, Dialect dialect, const std::string& name) {
  bool pg = dialect == Dialect::postgres;
  sql = keep_dialect_blocks(sql, dialect, name);
  replace_all(sql, "{{blob}}", pg ? "BYTEA" : "BLOB");
  replace_all(sql, "{{real}}", pg ? "DOUBLE PRECISION" : "REAL");
  // A misspelt token would otherwise reach the database as SQL text.
  if (auto pos = sql.find("{{"); pos != std::string::npos) {
    throw DatabaseError("migration " + name + ": unknown token " +
                        sql.substr(pos, sql.find("}}", pos) - pos + 2));
  }
  return sql;
}

void lock_migrations(Connection& c) {
  if (c.dialect() == Dialect::postgres) c.query(kLockSql);
}

std::set<int> applied_versions(Connection& c) {
  std::set<int> versions;
  for (const auto& row : c.query("SELECT version FROM schema_migrations")) {
    versions.insert(static_cast<int>(row.integer(0)));
  }
  return versions;
}

bool table_exists(Connection& c) {
  if (c.dialect() == Dialect::postgres) {
    return c.query_one("SELECT 1 WHERE to_regclass('schema_migrations') IS NOT NULL").has_value();
  }
  return c
      .query_one("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?",
                 {std::string("schema_migrations")})
      .has_value();
}

}  // namespace

MigrationReport migrate(Database& db) {
  return migrate(db, resource_path("src/storage/migrations"));
}

std::vector<std::string> pending_migrations(Database& db) {
  return pending_migrations(db, resource_path("src/storage/migrations"));
}

MigrationReport migrate(Database& db, const fs::path& dir) {
  const auto migrations = list_migrations(dir);
  auto conn = db.acquire();
  MigrationReport report;

  std::set<int> applied;
  {
    Transaction tx(*conn, true);
    lock_migrations(*conn);
    conn->execute(
        "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, "
        "name TEXT NOT NULL, applied_at TEXT NOT NULL)");
    applied = applied_versions(*conn);
    tx.commit();
  }

  for (const auto& m : migrations) {
    if (applied.contains(m.version)) continue;
    std::string sql = for_dialect(read_text_file(m.file), db.dialect(), m.name);
    Transaction tx(*conn, true);
    lock_migrations(*conn);
    // Another process may have applied it while this one waited for the lock.
    if (conn->query_one("SELECT 1 FROM schema_migrations WHERE version = ?",
                        {std::int64_t{m.version}})) {
      tx.commit();
      continue;
    }
    try {
      conn->execute_script(sql);
    } catch (const DatabaseError& e) {
      throw DatabaseError("migration " + m.name + " failed: " + e.what());
    }
    conn->execute("INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)",
                  {std::int64_t{m.version}, m.name, to_rfc3339(std::chrono::system_clock::now())});
    tx.commit();
    report.applied.push_back(m.name);
  }

  report.version = static_cast<int>(
      conn->query_one("SELECT COALESCE(MAX(version), 0) FROM schema_migrations")->integer(0));
  return report;
}

std::vector<std::string> pending_migrations(Database& db, const fs::path& dir) {
  const auto migrations = list_migrations(dir);
  auto conn = db.acquire();
  std::set<int> applied;
  if (table_exists(*conn)) applied = applied_versions(*conn);
  std::vector<std::string> pending;
  for (const auto& m : migrations) {
    if (!applied.contains(m.version)) pending.push_back(m.name);
  }
  return pending;
}

}  // namespace oploop::storage
