// PostgreSQL connections, statements and the connection pool.
#include "storage/postgres_database.hpp"

#include <poll.h>

#include <charconv>
#include <cstring>

namespace oploop::storage {
namespace {

constexpr std::size_t kMaxCachedStatements = 256;
constexpr Oid kBoolOid = 16;
constexpr Oid kByteaOid = 17;

std::string shorten(std::string_view sql) {
  constexpr std::size_t kMax = 200;
  if (sql.size() <= kMax) return std::string(sql);
  return std::string(sql.substr(0, kMax)) + "...";
}

std::string trimmed(const char* message) {
  std::string s = message ? message : "";
  while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.pop_back();
  return s;
}

bool is_ident_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
         static_cast<unsigned char>(c) >= 0x80;
}

std::string number_text(std::int64_t n) { return std::to_string(n); }

std::string number_text(double d) {
  char buf[32];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, d);
  return std::string(buf, ec == std::errc{} ? end : buf);
}

void ignore_notice(void*, const char*) {}  // NOTICEs ("... does not exist, skipping") are noise

}  // namespace

std::pair<std::string, int> to_postgres_placeholders(std::string_view sql) {
  std::string out;
  out.reserve(sql.size() + 16);
  int count = 0;
  const std::size_t n = sql.size();
  std::size_t i = 0;
  auto copy_until = [&](std::size_t end) {
    out.append(sql.substr(i, end - i));
    i = end;
  };
  while (i < n) {
    char c = sql[i];
    bool after_ident = i > 0 && is_ident_char(sql[i - 1]);
    if (c == '?') {
      out += '$' + std::to_string(++count);
      ++i;
    } else if (c == '\'') {
      // E'…' strings take backslash escapes; in all strings '' is a quote.
      bool escapes = i > 0 && (sql[i - 1] == 'E' || sql[i - 1] == 'e') &&
                     !(i > 1 && is_ident_char(sql[i - 2]));
      std::size_t j = i + 1;
      while (j < n) {
        if (escapes && sql[j] == '\\') {
          j += 2;
        } else if (sql[j] == '\'') {
          if (j + 1 < n && sql[j + 1] == '\'') {
            j += 2;
          } else {
            break;
          }
        } else {
          ++j;
        }
      }
      copy_until(std::min(j + 1, n));
    } else if (c == '"') {
      std::size_t j = sql.find('"', i + 1);
      copy_until(j == std::string_view::npos ? n : j + 1);
    } else if (c == '-' && i + 1 < n && sql[i + 1] == '-') {
      std::size_t j = sql.find('\n', i);
      copy_until(j == std::string_view::npos ? n : j + 1);
    } else if (c == '/' && i + 1 < n && sql[i + 1] == '*') {
      // PostgreSQL block comments nest.
      int depth = 0;
      std::size_t j = i;
      while (j < n) {
        if (sql.compare(j, 2, "/*") == 0) {
          ++depth;
          j += 2;
        } else if (sql.compare(j, 2, "*/") == 0) {
          j += 2;
          if (--depth == 0) break;
        } else {
          ++j;
        }
      }
      copy_until(std::min(j, n));
    } else if (c == '$' && !after_ident) {
      // Dollar quoting: $$…$$ or $tag$…$tag$ (a tag does not start with a digit).
      std::size_t j = i + 1;
      if (j < n && !(sql[j] >= '0' && sql[j] <= '9')) {
        while (j < n && is_ident_char(sql[j])) ++j;
      }
      if (j < n && sql[j] == '$') {
        std::string_view tag = sql.substr(i, j - i + 1);
        std::size_t end = sql.find(tag, j + 1);
        copy_until(end == std::string_view::npos ? n : end + tag.size());
      } else {
        copy_until(i + 1);
      }
    } else {
      out += c;
      ++i;
    }
  }
  return {std::move(out), count};
}

PostgresConnection::PostgresConnection(const std::string& url) : conn_(PQconnectdb(url.c_str())) {
  if (!conn_) throw DatabaseError("PostgreSQL: out of memory while connecting");
  if (PQstatus(conn_) != CONNECTION_OK) {
    // libpq's message names host and user, never the password.
    std::string message = trimmed(PQerrorMessage(conn_));
    PQfinish(conn_);
    throw DatabaseError("PostgreSQL: cannot connect: " + message);
  }
  PQsetNoticeProcessor(conn_, ignore_notice, nullptr);
  if (PQsetClientEncoding(conn_, "UTF8") != 0) {
    std::string message = trimmed(PQerrorMessage(conn_));
    PQfinish(conn_);
    throw DatabaseError("PostgreSQL: cannot set client encoding: " + message);
  }
}

PostgresConnection::~PostgresConnection() { PQfinish(conn_); }

void PostgresConnection::fail(const PGresult* r, std::string_view sql) const {
  const char* state = r ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : nullptr;
  std::string sqlstate = state ? state : "";
  std::string message;
  if (sqlstate.starts_with("22")) {
    // Data exceptions quote the offending value ('invalid input syntax for type integer:
    // "…"'); values stay out of messages and logs.
    message = "invalid data value";
  } else if (r && PQresultErrorField(r, PG_DIAG_MESSAGE_PRIMARY)) {
    message = PQresultErrorField(r, PG_DIAG_MESSAGE_PRIMARY);
  } else {
    message = trimmed(PQerrorMessage(conn_));
  }
  std::string text = "PostgreSQL" + (sqlstate.empty() ? "" : " " + sqlstate) + ": " + message +
                     " [" + shorten(sql) + "]";
  if (sqlstate.starts_with("23")) throw ConstraintError(text);
  throw DatabaseError(text);
}

PostgresConnection::Result PostgresConnection::exec_simple(const std::string& sql) {
  Result r(PQexec(conn_, sql.c_str()));
  auto status = r ? PQresultStatus(r.get()) : PGRES_FATAL_ERROR;
  if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) fail(r.get(), sql);
  return r;
}

PostgresConnection::Prepared PostgresConnection::prepare(std::string_view sql,
                                                         std::size_t param_count) {
  std::string key(sql);
  if (auto it = statements_.find(key); it != statements_.end()) {
    if (it->second.param_types.size() != param_count) {
      throw DatabaseError("PostgreSQL: statement takes " +
                          std::to_string(it->second.param_types.size()) + " parameters, " +
                          std::to_string(param_count) + " given [" + shorten(sql) + "]");
    }
    return it->second;
  }
  auto [text, count] = to_postgres_placeholders(sql);
  if (static_cast<std::size_t>(count) != param_count) {
    throw DatabaseError("PostgreSQL: statement takes " + std::to_string(count) + " parameters, " +
                        std::to_string(param_count) + " given [" + shorten(sql) + "]");
  }

  // A full cache is emptied between transactions; inside one, the unnamed statement serves.
  bool cache = true;
  if (statements_.size() >= kMaxCachedStatements) {
    if (PQtransactionStatus(conn_) == PQTRANS_IDLE) {
      exec_simple("DEALLOCATE ALL");
      statements_.clear();
    } else {
      cache = false;
    }
  }
  Prepared p;
  p.name = cache ? "oploop_" + std::to_string(++next_statement_) : "";
  Result prepared(PQprepare(conn_, p.name.c_str(), text.c_str(), count, nullptr));
  if (!prepared || PQresultStatus(prepared.get()) != PGRES_COMMAND_OK) fail(prepared.get(), sql);
  Result described(PQdescribePrepared(conn_, p.name.c_str()));
  if (!described || PQresultStatus(described.get()) != PGRES_COMMAND_OK) {
    fail(described.get(), sql);
  }
  for (int i = 0; i < PQnparams(described.get()); ++i) {
    p.param_types.push_back(PQparamtype(described.get(), i));
  }
  if (cache) statements_.emplace(std::move(key), p);
  return p;
}

PostgresConnection::Result PostgresConnection::exec_prepared(const Prepared& p,
                                                             std::string_view sql,
                                                             const std::vector<Value>& params) {
  const std::size_t n = params.size();
  std::vector<std::string> numbers(n);
  std::vector<const char*> values(n, nullptr);
  std::vector<int> lengths(n, 0);
  std::vector<int> formats(n, 0);
  for (std::size_t i = 0; i < n; ++i) {
    const Value& v = params[i];
    if (const auto* integer = std::get_if<std::int64_t>(&v)) {
      numbers[i] = number_text(*integer);
      values[i] = numbers[i].c_str();
    } else if (const auto* d = std::get_if<double>(&v)) {
      numbers[i] = number_text(*d);
      values[i] = numbers[i].c_str();
    } else if (const auto* s = std::get_if<std::string>(&v)) {
      if (p.param_types[i] == kByteaOid) {
        formats[i] = 1;  // binary BYTEA is the bytes themselves
        lengths[i] = static_cast<int>(s->size());
        values[i] = s->data();
      } else {
        // Text parameters end at the first NUL; refuse rather than store a cut-off value.
        if (s->find('\0') != std::string::npos) {
          throw DatabaseError("PostgreSQL: text parameter " + std::to_string(i + 1) +
                              " contains a NUL byte [" + shorten(sql) + "]");
        }
        values[i] = s->c_str();
      }
    }
  }
  return Result(PQexecPrepared(conn_, p.name.c_str(), static_cast<int>(n), values.data(),
                               lengths.data(), formats.data(), 0));
}

PostgresConnection::Result PostgresConnection::run(std::string_view sql,
                                                   const std::vector<Value>& params) {
  bool idle_before = PQtransactionStatus(conn_) == PQTRANS_IDLE;
  Prepared p = prepare(sql, params.size());
  Result r = exec_prepared(p, sql, params);
  auto ok = [&r] {
    auto status = r ? PQresultStatus(r.get()) : PGRES_FATAL_ERROR;
    return status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK;
  };
  if (ok()) return r;

  // "cached plan must not change result type": the table changed (a migration) since the
  // statement was prepared. Outside a transaction it is safe to prepare again and retry once.
  const char* state = r ? PQresultErrorField(r.get(), PG_DIAG_SQLSTATE) : nullptr;
  if (state && std::strcmp(state, "0A000") == 0 && !p.name.empty()) {
    statements_.erase(std::string(sql));
    if (idle_before && PQtransactionStatus(conn_) == PQTRANS_IDLE) {
      exec_simple("DEALLOCATE " + p.name);
      p = prepare(sql, params.size());
      r = exec_prepared(p, sql, params);
      if (ok()) return r;
    }
  }
  fail(r.get(), sql);
}

Rows PostgresConnection::query(std::string_view sql, const std::vector<Value>& params) {
  Result r = run(sql, params);
  const int rows = PQntuples(r.get());
  const int columns = PQnfields(r.get());
  std::vector<Oid> types(static_cast<std::size_t>(columns));
  for (int c = 0; c < columns; ++c) types[static_cast<std::size_t>(c)] = PQftype(r.get(), c);

  Rows out;
  out.reserve(static_cast<std::size_t>(rows));
  for (int row = 0; row < rows; ++row) {
    std::vector<std::optional<std::string>> cells;
    cells.reserve(static_cast<std::size_t>(columns));
    for (int c = 0; c < columns; ++c) {
      if (PQgetisnull(r.get(), row, c)) {
        cells.emplace_back(std::nullopt);
        continue;
      }
      const char* value = PQgetvalue(r.get(), row, c);
      Oid type = types[static_cast<std::size_t>(c)];
      if (type == kByteaOid) {
        std::size_t size = 0;
        unsigned char* bytes =
            PQunescapeBytea(reinterpret_cast<const unsigned char*>(value), &size);
        if (!bytes) throw DatabaseError("PostgreSQL: cannot decode a BYTEA value");
        cells.emplace_back(std::string(reinterpret_cast<const char*>(bytes), size));
        PQfreemem(bytes);
      } else if (type == kBoolOid) {
        cells.emplace_back(value[0] == 't' ? "1" : "0");  // booleans are 0/1, as on SQLite
      } else {
        cells.emplace_back(
            std::string(value, static_cast<std::size_t>(PQgetlength(r.get(), row, c))));
      }
    }
    out.emplace_back(std::move(cells));
  }
  return out;
}

std::int64_t PostgresConnection::execute(std::string_view sql, const std::vector<Value>& params) {
  Result r = run(sql, params);
  const char* tuples = PQcmdTuples(r.get());
  std::int64_t changed = 0;
  if (tuples && *tuples) std::from_chars(tuples, tuples + std::strlen(tuples), changed);
  return changed;
}

void PostgresConnection::execute_script(std::string_view sql) { exec_simple(std::string(sql)); }

void PostgresConnection::begin(bool /*write*/) { exec_simple("BEGIN"); }

void PostgresConnection::commit() {
  Result r = exec_simple("COMMIT");
  // COMMIT of a transaction that already failed is answered "ROLLBACK", not an error.
  if (std::strcmp(PQcmdStatus(r.get()), "COMMIT") != 0) {
    throw DatabaseError("PostgreSQL: the transaction had failed and was rolled back");
  }
}

void PostgresConnection::rollback() {
  if (PQtransactionStatus(conn_) != PQTRANS_IDLE) exec_simple("ROLLBACK");
}

bool PostgresConnection::in_transaction() const {
  auto s = PQtransactionStatus(conn_);
  return s == PQTRANS_INTRANS || s == PQTRANS_INERROR;
}

bool PostgresConnection::healthy() {
  if (PQstatus(conn_) != CONNECTION_OK) return false;
  if (PQtransactionStatus(conn_) != PQTRANS_IDLE) return false;
  // An idle connection has nothing to read unless the server closed it (restart,
  // pg_terminate_backend: a FATAL message, then end of file) or sent something unasked for,
  // which we do not use (NOTIFY). Either way a fresh connection is the safe choice.
  pollfd fd{PQsocket(conn_), POLLIN, 0};
  if (fd.fd < 0) return false;
  if (::poll(&fd, 1, 0) != 0) return false;
  return true;
}

PostgresDatabase::PostgresDatabase(std::string url, std::size_t max_connections,
                                   std::chrono::seconds wait_limit)
    : url_(std::move(url)), max_connections_(max_connections), wait_limit_(wait_limit) {
  // Connect now so a wrong URL or a server that is down fails at start-up.
  idle_.push_back(std::make_unique<PostgresConnection>(url_));
  open_ = 1;
}

PostgresDatabase::~PostgresDatabase() = default;

void PostgresDatabase::forget_one() {
  std::lock_guard lock(mutex_);
  --open_;
  available_.notify_one();
}

PooledConnection PostgresDatabase::acquire() {
  std::unique_lock lock(mutex_);
  for (;;) {
    while (!idle_.empty()) {
      auto c = std::move(idle_.back());
      idle_.pop_back();
      if (c->healthy()) return PooledConnection(this, std::move(c));
      --open_;  // a broken connection is closed; a new one is opened below
    }
    if (open_ < max_connections_) break;
    if (!available_.wait_for(lock, wait_limit_,
                             [this] { return !idle_.empty() || open_ < max_connections_; })) {
      throw DatabaseError("PostgreSQL: all " + std::to_string(max_connections_) +
                          " connections stayed in use for " + std::to_string(wait_limit_.count()) +
                          " s");
    }
  }
  ++open_;
  lock.unlock();
  try {
    return PooledConnection(this, std::make_unique<PostgresConnection>(url_));
  } catch (...) {
    forget_one();
    throw;
  }
}

void PostgresDatabase::release(std::unique_ptr<Connection> c) {
  auto* conn = static_cast<PostgresConnection*>(c.get());
  if (conn->in_transaction()) {
    try {
      conn->rollback();
    } catch (const DatabaseError&) {
    }
  }
  if (!conn->healthy()) {
    c.reset();
    forget_one();
    return;
  }
  std::lock_guard lock(mutex_);
  idle_.emplace_back(static_cast<PostgresConnection*>(c.release()));
  available_.notify_one();
}

}  // namespace oploop::storage
