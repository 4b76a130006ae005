// SQLite implementation of the storage interface (private to storage/).
//
// Every connection is opened in WAL mode with foreign_keys=ON, busy_timeout=10 s and
// synchronous=FULL (an acknowledged commit survives a power loss). Connections are pooled:
// a thread borrows one, and a returned one is handed to the next borrower, so each keeps its
// prepared statements (cached per connection by SQL text). SQLite allows one writer at a time;
// write transactions take the lock at BEGIN (IMMEDIATE) and wait up to busy_timeout for it.
#pragma once

#include <sqlite3.h>

#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "storage/database.hpp"

namespace oploop::storage {

class SqliteConnection final : public Connection {
 public:
  // `writers` (owned by the database) serialises write transactions of this process, so
  // writers queue in order instead of sleeping and retrying in SQLite's busy handler.
  explicit SqliteConnection(const std::string& path, std::mutex* writers = nullptr);
  ~SqliteConnection() override;
  SqliteConnection(const SqliteConnection&) = delete;
  SqliteConnection& operator=(const SqliteConnection&) = delete;

  Dialect dialect() const override { return Dialect::sqlite; }
  using Connection::execute;
  using Connection::query;
  Rows query(std::string_view sql, const std::vector<Value>& params) override;
  std::int64_t execute(std::string_view sql, const std::vector<Value>& params) override;
  void execute_script(std::string_view sql) override;
  void begin(bool write) override;
  void commit() override;
  void rollback() override;

  bool in_transaction() const;

 private:
  sqlite3_stmt* prepare(std::string_view sql);
  void bind(sqlite3_stmt* stmt, std::string_view sql, const std::vector<Value>& params);
  [[noreturn]] void fail(int rc, std::string_view sql) const;

  void release_write_lock();

  sqlite3* db_ = nullptr;
  std::unordered_map<std::string, sqlite3_stmt*> statements_;
  std::mutex* writers_ = nullptr;
  std::unique_lock<std::mutex> write_lock_;
};

class SqliteDatabase final : public Database {
 public:
  // `path` is a file name; its directory is created when missing.
  explicit SqliteDatabase(std::string path);
  Dialect dialect() const override { return Dialect::sqlite; }
  PooledConnection acquire() override;
  const std::string& path() const { return path_; }

 protected:
  void release(std::unique_ptr<Connection> c) override;

 private:
  std::string path_;
  std::mutex mutex_;
  std::mutex writers_;
  std::vector<std::unique_ptr<SqliteConnection>> idle_;
};

// Opens the file, creating it (mode 0600) and its directory when missing, with the pragmas
// above. Shared with backup/restore. Throws DatabaseError.
sqlite3* open_sqlite_file(const std::string& path);

}  // namespace oploop::storage
