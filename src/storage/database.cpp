// The engine-independent parts of the storage layer: reading cells, choosing the engine from
// the URL, and returning borrowed connections to their pool.
#include "storage/database.hpp"

#include <charconv>
#include <cmath>
#include <limits>

#include "storage/postgres_database.hpp"
#include "storage/sqlite_database.hpp"

namespace oploop::storage {
namespace {

[[noreturn]] void not_a_number(std::size_t i, const char* what) {
  throw DatabaseError("column " + std::to_string(i) + " is not " + what);
}

std::optional<double> parse_double(const std::string& s) {
  double value = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
  if (ec != std::errc{} || end != s.data() + s.size()) return std::nullopt;
  return value;
}

std::int64_t parse_integer(const std::string& s, std::size_t i) {
  std::int64_t value = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
  if (ec == std::errc{} && end == s.data() + s.size()) return value;
  // PostgreSQL booleans, should a query produce one (e.g. EXISTS(...)).
  if (s == "t" || s == "true") return 1;
  if (s == "f" || s == "false") return 0;
  // Whole numbers that went through a REAL or NUMERIC ("3.0", "12.000" from SUM or AVG).
  if (auto d = parse_double(s); d && std::isfinite(*d) && *d == std::trunc(*d) &&
                                *d >= -9.2233720368547758e18 && *d < 9.2233720368547758e18) {
    return static_cast<std::int64_t>(*d);
  }
  not_a_number(i, "an integer");
}

bool starts_with(const std::string& s, std::string_view prefix) {
  return s.compare(0, prefix.size(), prefix) == 0;
}

}  // namespace

const std::string& Row::text(std::size_t i) const {
  static const std::string kEmpty;
  const auto& cell = cells_.at(i);
  return cell ? *cell : kEmpty;
}

std::int64_t Row::integer(std::size_t i) const {
  const auto& cell = cells_.at(i);
  return cell ? parse_integer(*cell, i) : 0;
}

std::optional<std::int64_t> Row::optional_integer(std::size_t i) const {
  const auto& cell = cells_.at(i);
  if (!cell) return std::nullopt;
  return parse_integer(*cell, i);
}

double Row::real(std::size_t i) const {
  const auto& cell = cells_.at(i);
  if (!cell) return 0;
  if (auto d = parse_double(*cell)) return *d;
  // PostgreSQL spells the special values differently from from_chars.
  if (*cell == "NaN") return std::numeric_limits<double>::quiet_NaN();
  if (*cell == "Infinity") return std::numeric_limits<double>::infinity();
  if (*cell == "-Infinity") return -std::numeric_limits<double>::infinity();
  not_a_number(i, "a number");
}

std::unique_ptr<Database> Database::open(const std::string& url) {
  if (starts_with(url, "sqlite:")) {
    std::string path = url.substr(7);
    if (path.empty()) throw DatabaseError("sqlite URL without a file path");
    return std::make_unique<SqliteDatabase>(path);
  }
  if (starts_with(url, "postgresql://") || starts_with(url, "postgres://")) {
    return std::make_unique<PostgresDatabase>(url);
  }
  // The URL may hold a password: name only its scheme.
  throw DatabaseError("unsupported database URL (use sqlite:PATH or postgresql://...): " +
                      url.substr(0, url.find(':')));
}

bool Database::ping() {
  try {
    auto c = acquire();
    auto row = c->query_one("SELECT 1");
    return row && row->integer(0) == 1;
  } catch (const std::exception&) {
    return false;
  }
}

PooledConnection::~PooledConnection() {
  if (db_ && conn_) {
    try {
      db_->release(std::move(conn_));
    } catch (...) {  // a connection that cannot be returned is simply closed
    }
  }
}

}  // namespace oploop::storage
