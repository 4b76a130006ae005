// Throw-away databases for tests (see test_databases.hpp).
#include "support/test_databases.hpp"

#include <cstdlib>
#include <filesystem>
#include <stdexcept>
#include <system_error>

#include "core/random.hpp"
#include "storage/migrations.hpp"

namespace oploop::testing {
namespace {

std::string make_temp_dir() {
  const char* base = std::getenv("TMPDIR");
  std::string pattern = std::string(base && *base ? base : "/tmp") + "/oploop-test-XXXXXX";
  if (!::mkdtemp(pattern.data())) throw std::runtime_error("mkdtemp failed for " + pattern);
  return pattern;
}

// The schema is selected for every connection through the startup options, percent-encoded
// as a URL query parameter: options=-csearch_path=<schema>.
std::string with_search_path(const std::string& url, const std::string& schema) {
  std::string separator = url.find('?') == std::string::npos ? "?" : "&";
  return url + separator + "options=-csearch_path%3D" + schema;
}

}  // namespace

std::vector<std::string> engines() { return {"sqlite", "postgres"}; }

TestDatabase::TestDatabase(const std::string& engine) : engine_(engine) {
  if (engine == "sqlite") {
    dir_ = make_temp_dir();
    url_ = "sqlite:" + dir_ + "/oploop.db";
    try {
      db_ = storage::Database::open(url_);
      storage::migrate(*db_);
    } catch (...) {
      db_.reset();
      std::error_code ec;
      std::filesystem::remove_all(dir_, ec);
      throw;
    }
  } else if (engine == "postgres") {
    const char* base = std::getenv("OPLOOP_TEST_POSTGRES_URL");
    if (!base || !*base) {
      skip_reason_ = "OPLOOP_TEST_POSTGRES_URL not set (scripts/test starts PostgreSQL)";
      return;
    }
    // new_id() is lowercase letters and digits 2-7: a valid identifier without quoting.
    schema_ = "t_" + new_id();
    {
      auto admin = storage::Database::open(base);
      admin->acquire()->execute_script("CREATE SCHEMA " + schema_);
    }
    url_ = with_search_path(base, schema_);
    try {
      db_ = storage::Database::open(url_);
      storage::migrate(*db_);
    } catch (...) {
      db_.reset();
      auto admin = storage::Database::open(base);
      admin->acquire()->execute_script("DROP SCHEMA IF EXISTS " + schema_ + " CASCADE");
      throw;
    }
  } else {
    throw std::invalid_argument("unknown database engine: " + engine);
  }
}

TestDatabase::~TestDatabase() {
  db_.reset();  // close every pooled connection first
  if (!dir_.empty()) {
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }
  if (!schema_.empty()) {
    try {
      auto admin = storage::Database::open(std::getenv("OPLOOP_TEST_POSTGRES_URL"));
      admin->acquire()->execute_script("DROP SCHEMA IF EXISTS " + schema_ + " CASCADE");
    } catch (const std::exception&) {  // the server is gone; the whole cluster is thrown away
    }
  }
}

}  // namespace oploop::testing
