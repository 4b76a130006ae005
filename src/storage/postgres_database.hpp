// PostgreSQL implementation of the storage interface over libpq (private to storage/).
//
// `?` placeholders are rewritten to $1..$n once per SQL text and the statement is prepared
// on the connection and kept (per connection, keyed by SQL text). Parameters go as text and
// the server infers their types from the SQL; a parameter the server types as BYTEA is sent
// in binary, and BYTEA and BOOLEAN columns are read back as raw bytes and 1/0, so values look
// the same as on SQLite. SQLSTATE class 23 (integrity constraint) throws ConstraintError.
//
// Unlike SQLite, an error inside a transaction aborts the whole transaction on PostgreSQL:
// after a ConstraintError the transaction can only be rolled back.
#pragma once

#include <libpq-fe.h>

#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "storage/database.hpp"

namespace oploop::storage {

// `?` -> `$1..$n`, leaving string literals ('…', E'…', $tag$…$tag$), quoted identifiers and
// comments alone. Answers the new text and the number of placeholders.
std::pair<std::string, int> to_postgres_placeholders(std::string_view sql);

class PostgresConnection final : public Connection {
 public:
  explicit PostgresConnection(const std::string& url);
  ~PostgresConnection() override;
  PostgresConnection(const PostgresConnection&) = delete;
  PostgresConnection& operator=(const PostgresConnection&) = delete;

  Dialect dialect() const override { return Dialect::postgres; }
  using Connection::execute;
  using Connection::query;
  Rows query(std::string_view sql, const std::vector<Value>& params) override;
  std::int64_t execute(std::string_view sql, const std::vector<Value>& params) override;
  void execute_script(std::string_view sql) override;
  void begin(bool write) override;
  void commit() override;
  void rollback() override;

  bool in_transaction() const;
  // Whether the connection can be handed out: open, idle, and not closed by the server.
  bool healthy();

 private:
  struct Prepared {
    std::string name;  // "" for the unnamed statement (when the cache is full)
    std::vector<Oid> param_types;
  };
  struct ResultDeleter {
    void operator()(PGresult* r) const { PQclear(r); }
  };
  using Result = std::unique_ptr<PGresult, ResultDeleter>;

  Prepared prepare(std::string_view sql, std::size_t param_count);
  Result run(std::string_view sql, const std::vector<Value>& params);
  Result exec_prepared(const Prepared& p, std::string_view sql, const std::vector<Value>& params);
  Result exec_simple(const std::string& sql);
  [[noreturn]] void fail(const PGresult* r, std::string_view sql) const;

  PGconn* conn_ = nullptr;
  std::unordered_map<std::string, Prepared> statements_;
  std::uint64_t next_statement_ = 0;
};

class PostgresDatabase final : public Database {
 public:
  // `url` goes to PQconnectdb as it is (it may carry ?options=-csearch_path%3D...).
  explicit PostgresDatabase(std::string url, std::size_t max_connections = 16,
                            std::chrono::seconds wait_limit = std::chrono::seconds{30});
  ~PostgresDatabase() override;
  Dialect dialect() const override { return Dialect::postgres; }
  PooledConnection acquire() override;

 protected:
  void release(std::unique_ptr<Connection> c) override;

 private:
  void forget_one();

  std::string url_;
  std::size_t max_connections_;
  std::chrono::seconds wait_limit_;
  std::mutex mutex_;
  std::condition_variable available_;
  std::size_t open_ = 0;  // idle + borrowed
  std::vector<std::unique_ptr<PostgresConnection>> idle_;
};

}  // namespace oploop::storage
