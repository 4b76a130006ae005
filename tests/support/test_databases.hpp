// Real databases for tests: a fresh SQLite file in a temporary directory, and — when
// OPLOOP_TEST_POSTGRES_URL is set (scripts/test starts a private server) — a fresh schema on
// the test PostgreSQL server, dropped afterwards. Tests are parameterised over both engines.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "storage/database.hpp"

namespace oploop::testing {

// "sqlite" and "postgres"; use with INSTANTIATE_TEST_SUITE_P(..., ::testing::ValuesIn(engines())).
std::vector<std::string> engines();

// A throw-away database of the given engine with every migration applied.
class TestDatabase {
 public:
  explicit TestDatabase(const std::string& engine);
  ~TestDatabase();
  // Whether the engine is available; when not, the test calls GTEST_SKIP() << skip_reason().
  bool available() const { return db_ != nullptr; }
  std::string skip_reason() const { return skip_reason_; }
  storage::Database& db() { return *db_; }
  const std::string& url() const { return url_; }  // to start a server process on it

 private:
  std::string engine_;
  std::string url_;
  std::string dir_;     // sqlite temp dir
  std::string schema_;  // postgres schema
  std::string skip_reason_;
  std::unique_ptr<storage::Database> db_;
};

}  // namespace oploop::testing
