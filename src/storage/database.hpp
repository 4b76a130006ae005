// The one database interface. SQLite (the embedded default) and PostgreSQL implement it.
//
// Rules: SQL is written out with `?` placeholders and values passed separately — never
// built from input. The PostgreSQL implementation rewrites `?` to `$1..$n`. Every column is
// read back as text (or NULL) and converted by Row; ids are TEXT, timestamps RFC 3339 text,
// booleans 0/1 integers, so one SQL text serves both engines.
//
// Failures of the database itself throw DatabaseError (truly exceptional); a UNIQUE or
// foreign-key violation throws ConstraintError so a domain module can answer 409/422.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace oploop::storage {

enum class Dialect { sqlite, postgres };

struct Null {};
using Value = std::variant<Null, std::int64_t, double, std::string>;

inline Value null_if_empty(const std::string& s) { return s.empty() ? Value{Null{}} : Value{s}; }
template <class T>
Value optional_value(const std::optional<T>& v) {
  if (!v) return Null{};
  if constexpr (std::is_same_v<T, bool>)
    return std::int64_t{*v ? 1 : 0};
  else if constexpr (std::is_integral_v<T>)
    return std::int64_t{*v};
  else
    return Value{*v};
}

class DatabaseError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};
class ConstraintError : public DatabaseError {
 public:
  using DatabaseError::DatabaseError;
};

class Row {
 public:
  explicit Row(std::vector<std::optional<std::string>> cells) : cells_(std::move(cells)) {}
  std::size_t size() const { return cells_.size(); }
  bool is_null(std::size_t i) const { return !cells_.at(i).has_value(); }
  const std::string& text(std::size_t i) const;  // "" when NULL
  std::optional<std::string> optional_text(std::size_t i) const { return cells_.at(i); }
  std::int64_t integer(std::size_t i) const;  // 0 when NULL
  std::optional<std::int64_t> optional_integer(std::size_t i) const;
  double real(std::size_t i) const;  // 0 when NULL
  bool boolean(std::size_t i) const { return integer(i) != 0; }

 private:
  std::vector<std::optional<std::string>> cells_;
};

using Rows = std::vector<Row>;
using Params = std::initializer_list<Value>;

class Connection {
 public:
  virtual ~Connection() = default;
  virtual Dialect dialect() const = 0;

  virtual Rows query(std::string_view sql, const std::vector<Value>& params) = 0;
  // Runs a statement that returns no rows; answers the number of rows changed.
  virtual std::int64_t execute(std::string_view sql, const std::vector<Value>& params) = 0;
  // Runs several `;`-separated statements without parameters (migrations).
  virtual void execute_script(std::string_view sql) = 0;

  Rows query(std::string_view sql, Params params = {}) {
    return query(sql, std::vector<Value>(params));
  }
  std::int64_t execute(std::string_view sql, Params params = {}) {
    return execute(sql, std::vector<Value>(params));
  }
  std::optional<Row> query_one(std::string_view sql, Params params = {}) {
    auto rows = query(sql, params);
    if (rows.empty()) return std::nullopt;
    return std::move(rows.front());
  }

  // Transactions. `write` takes the write lock at once (SQLite: BEGIN IMMEDIATE), so two
  // writers never deadlock on a lock upgrade. Use Transaction rather than these directly.
  virtual void begin(bool write) = 0;
  virtual void commit() = 0;
  virtual void rollback() = 0;
};

class Database;

// A connection borrowed from the pool; returned when it goes out of scope.
class PooledConnection {
 public:
  PooledConnection(Database* db, std::unique_ptr<Connection> c) : db_(db), conn_(std::move(c)) {}
  PooledConnection(PooledConnection&&) noexcept = default;
  PooledConnection& operator=(PooledConnection&&) = delete;
  ~PooledConnection();
  Connection& operator*() const { return *conn_; }
  Connection* operator->() const { return conn_.get(); }

 private:
  Database* db_;
  std::unique_ptr<Connection> conn_;
};

class Database {
 public:
  virtual ~Database() = default;
  // "sqlite:PATH" or "postgresql://…" (also "postgres://…").
  static std::unique_ptr<Database> open(const std::string& url);

  virtual Dialect dialect() const = 0;
  virtual PooledConnection acquire() = 0;
  // A short health probe (SELECT 1) for /readyz.
  bool ping();

 protected:
  friend class PooledConnection;
  virtual void release(std::unique_ptr<Connection> c) = 0;
};

// RAII transaction: rolls back unless commit() was called.
class Transaction {
 public:
  Transaction(Connection& c, bool write = true) : c_(c) { c_.begin(write); }
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;
  ~Transaction() {
    if (!done_) {
      try {
        c_.rollback();
      } catch (...) {  // a failed rollback leaves the connection to be discarded
      }
    }
  }
  void commit() {
    c_.commit();
    done_ = true;
  }

 private:
  Connection& c_;
  bool done_ = false;
};

}  // namespace oploop::storage
