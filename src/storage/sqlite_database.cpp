// SQLite connections, statements and the connection pool.
#include "storage/sqlite_database.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <cstring>
#include <filesystem>
#include <system_error>

namespace oploop::storage {
namespace {

constexpr int kBusyTimeoutMs = 10000;
constexpr std::size_t kMaxCachedStatements = 256;
constexpr std::size_t kMaxIdleConnections = 16;

// SQL is quoted in messages to locate the failing statement; it never holds values (those
// are bound), but migration scripts can be long.
std::string shorten(std::string_view sql) {
  constexpr std::size_t kMax = 200;
  if (sql.size() <= kMax) return std::string(sql);
  return std::string(sql.substr(0, kMax)) + "...";
}

[[noreturn]] void throw_for(int rc, const std::string& message) {
  if ((rc & 0xff) == SQLITE_CONSTRAINT) throw ConstraintError(message);
  throw DatabaseError(message);
}

bool only_separators(const char* p, const char* end) {
  for (; p < end && *p; ++p) {
    if (*p != ';' && *p != ' ' && *p != '\n' && *p != '\t' && *p != '\r') return false;
  }
  return true;
}

// Resets a statement however the use of it ends, so it never holds a read lock or bound values.
struct StatementUse {
  sqlite3_stmt* stmt;
  ~StatementUse() {
    sqlite3_reset(stmt);
    sqlite3_clear_bindings(stmt);
  }
};

// A REAL read back through sqlite3_column_text keeps only 15 significant digits; the
// shortest round-trip form keeps the exact value.
std::string double_text(double d) {
  char buf[32];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, d);
  return std::string(buf, ec == std::errc{} ? end : buf);
}

void create_private_file(const std::string& path) {
  namespace fs = std::filesystem;
  fs::path p(path);
  std::error_code ec;
  if (p.has_parent_path()) fs::create_directories(p.parent_path(), ec);
  if (ec) throw DatabaseError("cannot create directory for " + path + ": " + ec.message());
  // Case data is personal data: the file (and the -wal/-shm files SQLite gives the same mode)
  // is readable by the service user only.
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd >= 0) {
    ::close(fd);
  } else if (errno != EEXIST) {
    throw DatabaseError("cannot create " + path + ": " + std::strerror(errno));
  }
}

}  // namespace

sqlite3* open_sqlite_file(const std::string& path) {
  create_private_file(path);
  sqlite3* db = nullptr;
  int rc = sqlite3_open_v2(
      path.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nullptr);
  if (rc != SQLITE_OK) {
    std::string message = db ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
    sqlite3_close_v2(db);
    throw DatabaseError("cannot open SQLite database " + path + ": " + message);
  }
  sqlite3_extended_result_codes(db, 1);
  sqlite3_busy_timeout(db, kBusyTimeoutMs);

  auto run = [&](const char* sql) {
    char* error = nullptr;
    if (sqlite3_exec(db, sql, nullptr, nullptr, &error) != SQLITE_OK) {
      std::string message = error ? error : "unknown error";
      sqlite3_free(error);
      sqlite3_close_v2(db);
      throw DatabaseError("cannot configure SQLite database " + path + ": " + message);
    }
  };
  run("PRAGMA foreign_keys=ON; PRAGMA synchronous=FULL;");

  // journal_mode answers the mode now in force; anything but WAL (a file system without
  // shared memory, say) would change the concurrency and durability we rely on.
  sqlite3_stmt* stmt = nullptr;
  std::string mode;
  if (sqlite3_prepare_v2(db, "PRAGMA journal_mode=WAL", -1, &stmt, nullptr) == SQLITE_OK &&
      sqlite3_step(stmt) == SQLITE_ROW) {
    mode = reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0));
  }
  std::string message = sqlite3_errmsg(db);
  sqlite3_finalize(stmt);
  if (mode != "wal") {
    sqlite3_close_v2(db);
    throw DatabaseError("cannot put SQLite database " + path +
                        " in WAL mode: " + (mode.empty() ? message : "got " + mode));
  }
  return db;
}

SqliteConnection::SqliteConnection(const std::string& path, std::mutex* writers)
    : db_(open_sqlite_file(path)), writers_(writers) {}

SqliteConnection::~SqliteConnection() {
  for (auto& [sql, stmt] : statements_) sqlite3_finalize(stmt);
  sqlite3_close_v2(db_);
}

void SqliteConnection::fail(int rc, std::string_view sql) const {
  throw_for(rc, std::string("SQLite: ") + sqlite3_errmsg(db_) + " [" + shorten(sql) + "]");
}

sqlite3_stmt* SqliteConnection::prepare(std::string_view sql) {
  std::string key(sql);
  if (auto it = statements_.find(key); it != statements_.end()) return it->second;

  sqlite3_stmt* stmt = nullptr;
  const char* tail = nullptr;
  int rc = sqlite3_prepare_v3(db_, sql.data(), static_cast<int>(sql.size()),
                              SQLITE_PREPARE_PERSISTENT, &stmt, &tail);
  if (rc != SQLITE_OK) fail(rc, sql);
  if (!stmt) throw DatabaseError("SQLite: empty statement [" + shorten(sql) + "]");
  // A second statement would be silently ignored; query/execute run exactly one.
  if (!only_separators(tail, sql.data() + sql.size())) {
    sqlite3_finalize(stmt);
    throw DatabaseError("SQLite: more than one statement (use execute_script) [" + shorten(sql) +
                        "]");
  }
  if (statements_.size() >= kMaxCachedStatements) {
    for (auto& [cached_sql, cached] : statements_) sqlite3_finalize(cached);
    statements_.clear();
  }
  statements_.emplace(std::move(key), stmt);
  return stmt;
}

void SqliteConnection::bind(sqlite3_stmt* stmt, std::string_view sql,
                            const std::vector<Value>& params) {
  int expected = sqlite3_bind_parameter_count(stmt);
  if (expected != static_cast<int>(params.size())) {
    throw DatabaseError("SQLite: statement takes " + std::to_string(expected) + " parameters, " +
                        std::to_string(params.size()) + " given [" + shorten(sql) + "]");
  }
  for (int i = 0; i < expected; ++i) {
    const Value& v = params[static_cast<std::size_t>(i)];
    int rc = SQLITE_OK;
    if (std::holds_alternative<Null>(v)) {
      rc = sqlite3_bind_null(stmt, i + 1);
    } else if (const auto* n = std::get_if<std::int64_t>(&v)) {
      rc = sqlite3_bind_int64(stmt, i + 1, *n);
    } else if (const auto* d = std::get_if<double>(&v)) {
      rc = sqlite3_bind_double(stmt, i + 1, *d);
    } else {
      const auto& s = std::get<std::string>(v);
      // SQLITE_STATIC: `params` outlives the statement use, which clears the bindings.
      rc = sqlite3_bind_text64(stmt, i + 1, s.data(), s.size(), SQLITE_STATIC, SQLITE_UTF8);
    }
    if (rc != SQLITE_OK) fail(rc, sql);
  }
}

Rows SqliteConnection::query(std::string_view sql, const std::vector<Value>& params) {
  sqlite3_stmt* stmt = prepare(sql);
  StatementUse use{stmt};
  bind(stmt, sql, params);
  Rows rows;
  const int columns = sqlite3_column_count(stmt);
  for (;;) {
    int rc = sqlite3_step(stmt);
    if (rc == SQLITE_DONE) break;
    if (rc != SQLITE_ROW) fail(rc, sql);
    std::vector<std::optional<std::string>> cells;
    cells.reserve(static_cast<std::size_t>(columns));
    for (int c = 0; c < columns; ++c) {
      switch (sqlite3_column_type(stmt, c)) {
        case SQLITE_NULL:
          cells.emplace_back(std::nullopt);
          break;
        case SQLITE_FLOAT:
          cells.emplace_back(double_text(sqlite3_column_double(stmt, c)));
          break;
        default: {
          // column_text first, then column_bytes: the byte count is of the text form.
          const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(stmt, c));
          int size = sqlite3_column_bytes(stmt, c);
          cells.emplace_back(std::string(text ? text : "", static_cast<std::size_t>(size)));
        }
      }
    }
    rows.emplace_back(std::move(cells));
  }
  return rows;
}

std::int64_t SqliteConnection::execute(std::string_view sql, const std::vector<Value>& params) {
  sqlite3_stmt* stmt = prepare(sql);
  StatementUse use{stmt};
  bind(stmt, sql, params);
  int rc;
  while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
  }
  if (rc != SQLITE_DONE) fail(rc, sql);
  return sqlite3_changes64(db_);
}

void SqliteConnection::execute_script(std::string_view sql) {
  std::string text(sql);  // sqlite3_exec needs a terminated string
  char* error = nullptr;
  int rc = sqlite3_exec(db_, text.c_str(), nullptr, nullptr, &error);
  if (rc != SQLITE_OK) {
    std::string message = error ? error : sqlite3_errstr(rc);
    sqlite3_free(error);
    throw_for(sqlite3_extended_errcode(db_), "SQLite: " + message + " [" + shorten(sql) + "]");
  }
}

// IMMEDIATE takes the write lock now: a deferred transaction that reads first and writes later
// can fail with SQLITE_BUSY on the upgrade, which busy_timeout cannot resolve.
// Within this process writers also queue on a mutex first: fair and without the busy
// handler's sleeps, which otherwise dominate tail latency under concurrent writes. Other
// processes on the same file still meet busy_timeout.
void SqliteConnection::begin(bool write) {
  if (write && writers_) write_lock_ = std::unique_lock<std::mutex>(*writers_);
  try {
    execute(write ? "BEGIN IMMEDIATE" : "BEGIN DEFERRED");
  } catch (...) {
    release_write_lock();
    throw;
  }
}

void SqliteConnection::commit() {
  try {
    execute("COMMIT");
  } catch (...) {
    if (!in_transaction()) release_write_lock();
    throw;
  }
  release_write_lock();
}

// SQLite itself may already have rolled back (after SQLITE_FULL, say); nothing is left to undo.
void SqliteConnection::rollback() {
  if (in_transaction()) {
    try {
      execute("ROLLBACK");
    } catch (...) {
      if (!in_transaction()) release_write_lock();
      throw;
    }
  }
  release_write_lock();
}

void SqliteConnection::release_write_lock() {
  if (write_lock_.owns_lock()) write_lock_.unlock();
}

bool SqliteConnection::in_transaction() const { return sqlite3_get_autocommit(db_) == 0; }

SqliteDatabase::SqliteDatabase(std::string path) : path_(std::move(path)) {
  // Open one connection now so a bad path or file fails at start-up, not on first request.
  idle_.push_back(std::make_unique<SqliteConnection>(path_, &writers_));
}

PooledConnection SqliteDatabase::acquire() {
  {
    std::lock_guard lock(mutex_);
    if (!idle_.empty()) {
      auto c = std::move(idle_.back());
      idle_.pop_back();
      return PooledConnection(this, std::move(c));
    }
  }
  return PooledConnection(this, std::make_unique<SqliteConnection>(path_, &writers_));
}

void SqliteDatabase::release(std::unique_ptr<Connection> c) {
  auto* conn = static_cast<SqliteConnection*>(c.get());
  if (conn->in_transaction()) {
    try {
      conn->rollback();
    } catch (const DatabaseError&) {
      return;  // closed rather than handed out with a transaction still open
    }
    if (conn->in_transaction()) return;
  }
  std::lock_guard lock(mutex_);
  if (idle_.size() < kMaxIdleConnections) {
    idle_.emplace_back(static_cast<SqliteConnection*>(c.release()));
  }
}

}  // namespace oploop::storage
