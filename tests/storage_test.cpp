// The storage layer against real SQLite files and a real PostgreSQL server (schema per test).
// These tests bring their own fixture migrations (versions 9001+), applied with the dir
// overload of migrate() on top of the real migrations TestDatabase has applied.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <atomic>
#include <barrier>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <limits>
#include <set>
#include <thread>

#include "core/random.hpp"
#include "storage/backup.hpp"
#include "storage/database.hpp"
#include "storage/migrations.hpp"
#include "storage/postgres_database.hpp"
#include "support/test_databases.hpp"

namespace oploop::storage {
namespace {

namespace fs = std::filesystem;
using oploop::testing::TestDatabase;

// A temporary directory removed with the object.
class TempDir {
 public:
  TempDir() {
    std::string pattern = (fs::temp_directory_path() / "oploop-storage-XXXXXX").string();
    if (!::mkdtemp(pattern.data())) throw std::runtime_error("mkdtemp failed");
    path_ = pattern;
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  const fs::path& path() const { return path_; }
  void write(const std::string& name, const std::string& text) const {
    std::ofstream(path_ / name, std::ios::binary) << text;
  }

 private:
  fs::path path_;
};

void write_fixture_migrations(const TempDir& dir) {
  // BIGINT: INTEGER is 32-bit on PostgreSQL.
  dir.write("9001_storage_test_items.sql", R"sql(
    CREATE TABLE storage_test_items (
      id TEXT PRIMARY KEY,
      n BIGINT,
      x {{real}},
      s TEXT,
      b {{blob}},
      flag INTEGER NOT NULL DEFAULT 0
    );
  )sql");
  dir.write("9002_storage_test_children.sql", R"sql(
    -- A child belongs to an item; labels are unique.
    CREATE TABLE storage_test_children (
      id TEXT PRIMARY KEY,
      item_id TEXT NOT NULL REFERENCES storage_test_items (id),
      label TEXT NOT NULL UNIQUE
    );
    CREATE INDEX storage_test_children_item ON storage_test_children (item_id);
  )sql");
  dir.write("README.md", "not a migration");
}

std::string all_bytes() {
  std::string s;
  for (int i = 0; i < 256; ++i) s.push_back(static_cast<char>(i));
  return s;
}

std::int64_t count(Connection& c, const std::string& table) {
  return c.query_one("SELECT COUNT(*) FROM " + table)->integer(0);
}

class StorageTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    test_db_ = std::make_unique<TestDatabase>(GetParam());
    if (!test_db_->available()) GTEST_SKIP() << test_db_->skip_reason();
    write_fixture_migrations(migrations_);
    auto report = migrate(db(), migrations_.path());
    ASSERT_EQ(report.applied,
              (std::vector<std::string>{"9001_storage_test_items", "9002_storage_test_children"}));
  }
  Database& db() { return test_db_->db(); }
  bool postgres() const { return GetParam() == "postgres"; }

  void insert_item(Connection& c, const std::string& id) {
    c.execute("INSERT INTO storage_test_items (id, n) VALUES (?, ?)", {id, std::int64_t{1}});
  }

  TempDir migrations_;
  std::unique_ptr<TestDatabase> test_db_;
};

TEST_P(StorageTest, EveryValueTypeRoundTrips) {
  auto c = db().acquire();
  const std::string unicode = "Zoë Çelik — 日本語 😀 \u202Eright-to-left";
  const double sum = 0.1 + 0.2;
  const std::string insert =
      "INSERT INTO storage_test_items (id, n, x, s, b) VALUES (?, ?, ?, ?, ?)";
  EXPECT_EQ(c->execute(insert, {std::string("max"), std::numeric_limits<std::int64_t>::max(), sum,
                                unicode, all_bytes()}),
            1);
  c->execute(insert, {std::string("min"), std::numeric_limits<std::int64_t>::min(),
                      -std::numeric_limits<double>::max(), std::string(), std::string()});
  c->execute(insert, {std::string("null"), Null{}, Null{}, Null{}, Null{}});
  c->execute(insert,
             {std::string("tiny"), std::int64_t{0}, std::numeric_limits<double>::denorm_min(),
              std::string("O'Brien asks: why? it's 100% ok"), Null{}});

  const std::string select = "SELECT n, x, s, b FROM storage_test_items WHERE id = ?";
  auto max = c->query_one(select, {std::string("max")});
  ASSERT_TRUE(max);
  EXPECT_EQ(max->integer(0), std::numeric_limits<std::int64_t>::max());
  EXPECT_EQ(max->real(1), sum);  // exact, not 15 digits
  EXPECT_EQ(max->text(2), unicode);
  EXPECT_EQ(max->text(3), all_bytes());

  auto min = c->query_one(select, {std::string("min")});
  EXPECT_EQ(min->integer(0), std::numeric_limits<std::int64_t>::min());
  EXPECT_EQ(min->real(1), -std::numeric_limits<double>::max());
  EXPECT_FALSE(min->is_null(2));
  EXPECT_EQ(min->optional_text(2), std::optional<std::string>(""));
  EXPECT_FALSE(min->is_null(3));

  auto null = c->query_one(select, {std::string("null")});
  for (std::size_t i = 0; i < 4; ++i) EXPECT_TRUE(null->is_null(i)) << i;
  EXPECT_EQ(null->text(2), "");
  EXPECT_EQ(null->integer(0), 0);
  EXPECT_EQ(null->optional_integer(0), std::nullopt);
  EXPECT_EQ(null->real(1), 0.0);

  auto tiny = c->query_one(select, {std::string("tiny")});
  EXPECT_EQ(tiny->real(1), std::numeric_limits<double>::denorm_min());
  EXPECT_EQ(tiny->text(2), "O'Brien asks: why? it's 100% ok");

  // Empty string and NULL stay different.
  EXPECT_EQ(c->query_one("SELECT COUNT(*) FROM storage_test_items WHERE s = ?", {std::string()})
                ->integer(0),
            1);
  EXPECT_EQ(c->query_one("SELECT COUNT(*) FROM storage_test_items WHERE s IS NULL")->integer(0), 1);
  EXPECT_EQ(c->query_one("SELECT COUNT(*) FROM storage_test_items WHERE n = ?",
                         {std::numeric_limits<std::int64_t>::min()})
                ->integer(0),
            1);
}

TEST_P(StorageTest, QuestionMarkInsideStringLiteralIsNotAPlaceholder) {
  auto c = db().acquire();
  auto row = c->query_one("SELECT 'why?', 'it''s ?', ?", {std::string("answer")});
  ASSERT_TRUE(row);
  EXPECT_EQ(row->text(0), "why?");
  EXPECT_EQ(row->text(1), "it's ?");
  EXPECT_EQ(row->text(2), "answer");
}

TEST_P(StorageTest, ComparisonsAndBooleansReadAsZeroOrOne) {
  auto c = db().acquire();
  auto row = c->query_one("SELECT 1 = 1, 1 = 2");
  EXPECT_EQ(row->text(0), "1");
  EXPECT_TRUE(row->boolean(0));
  EXPECT_FALSE(row->boolean(1));
}

TEST_P(StorageTest, WrongNumberOfParametersIsRefused) {
  auto c = db().acquire();
  EXPECT_THROW(c->query("SELECT ?, ?", {std::int64_t{1}}), DatabaseError);
  EXPECT_THROW(c->execute("DELETE FROM storage_test_items", {std::int64_t{1}}), DatabaseError);
  EXPECT_EQ(c->query_one("SELECT ?", {std::int64_t{7}})->integer(0), 7);  // still usable
}

TEST_P(StorageTest, ConstraintViolationsThrowConstraintErrorWithoutValues) {
  auto c = db().acquire();
  insert_item(*c, "secret-id-4711");
  try {
    insert_item(*c, "secret-id-4711");
    FAIL() << "duplicate primary key accepted";
  } catch (const ConstraintError& e) {
    EXPECT_EQ(std::string(e.what()).find("secret-id-4711"), std::string::npos) << e.what();
  }
  // Foreign key (SQLite enforces it only with foreign_keys=ON).
  EXPECT_THROW(c->execute("INSERT INTO storage_test_children (id, item_id, label) VALUES (?, ?, ?)",
                          {std::string("c1"), std::string("no-such-item"), std::string("a")}),
               ConstraintError);
  // NOT NULL and UNIQUE on another column.
  EXPECT_THROW(c->execute("INSERT INTO storage_test_children (id, item_id, label) VALUES (?, ?, ?)",
                          {std::string("c1"), std::string("secret-id-4711"), Null{}}),
               ConstraintError);
  c->execute("INSERT INTO storage_test_children (id, item_id, label) VALUES (?, ?, ?)",
             {std::string("c1"), std::string("secret-id-4711"), std::string("a")});
  EXPECT_THROW(c->execute("INSERT INTO storage_test_children (id, item_id, label) VALUES (?, ?, ?)",
                          {std::string("c2"), std::string("secret-id-4711"), std::string("a")}),
               ConstraintError);
  // Outside a transaction the connection goes on working.
  EXPECT_EQ(count(*c, "storage_test_children"), 1);
}

TEST_P(StorageTest, OtherErrorsAreDatabaseErrorsWithoutValues) {
  auto c = db().acquire();
  try {
    c->query("SELECT no_such_column FROM storage_test_items");
    FAIL();
  } catch (const ConstraintError&) {
    FAIL() << "not a constraint error";
  } catch (const DatabaseError&) {
  }
  if (postgres()) {
    // PostgreSQL quotes a bad value in its message; ours leaves it out.
    try {
      c->query("SELECT CAST(? AS BIGINT)", {std::string("secret-abc")});
      FAIL();
    } catch (const DatabaseError& e) {
      EXPECT_EQ(std::string(e.what()).find("secret-abc"), std::string::npos) << e.what();
    }
  }
}

TEST_P(StorageTest, TransactionRollsBackWhenNotCommitted) {
  auto c = db().acquire();
  {
    Transaction tx(*c);
    insert_item(*c, "a");
    EXPECT_EQ(count(*c, "storage_test_items"), 1);
  }
  EXPECT_EQ(count(*c, "storage_test_items"), 0);
  {
    Transaction tx(*c);  // the connection is usable for the next transaction
    insert_item(*c, "b");
    tx.commit();
  }
  EXPECT_EQ(count(*c, "storage_test_items"), 1);
}

TEST_P(StorageTest, CommitPersistsForOtherConnectionsAndReopenedDatabase) {
  {
    auto c = db().acquire();
    Transaction tx(*c);
    insert_item(*c, "a");
    {
      auto other = db().acquire();  // a second connection does not see uncommitted rows
      EXPECT_EQ(count(*other, "storage_test_items"), 0);
    }
    tx.commit();
    auto other = db().acquire();
    EXPECT_EQ(count(*other, "storage_test_items"), 1);
  }
  auto reopened = Database::open(test_db_->url());
  EXPECT_EQ(count(*reopened->acquire(), "storage_test_items"), 1);
}

TEST_P(StorageTest, ReleasedConnectionWithOpenTransactionIsRolledBack) {
  {
    auto c = db().acquire();
    c->begin(true);
    insert_item(*c, "left-open");
  }  // returned to the pool mid-transaction
  // Every pooled connection is free of the transaction: the write lock is released and the
  // row is gone, so another writer gets through at once.
  std::vector<PooledConnection> held;
  for (int i = 0; i < 3; ++i) held.push_back(db().acquire());
  for (auto& c : held) {
    Transaction tx(*c);
    EXPECT_EQ(count(*c, "storage_test_items"), 0);
    tx.commit();
  }
  held.front()->execute("INSERT INTO storage_test_items (id) VALUES (?)", {std::string("x")});
  EXPECT_EQ(count(*held.back(), "storage_test_items"), 1);
}

TEST_P(StorageTest, FailedStatementInTransactionStillRollsBackCleanly) {
  auto c = db().acquire();
  insert_item(*c, "a");
  {
    Transaction tx(*c);
    insert_item(*c, "b");
    EXPECT_THROW(insert_item(*c, "a"), ConstraintError);
    if (postgres()) {
      // PostgreSQL aborts the whole transaction; committing it is an error, not a silent loss.
      EXPECT_THROW(tx.commit(), DatabaseError);
    }
  }
  EXPECT_EQ(count(*c, "storage_test_items"), 1);
}

TEST_P(StorageTest, MigrationsAreIdempotentAndReportPending) {
  auto again = migrate(db(), migrations_.path());
  EXPECT_TRUE(again.applied.empty());
  EXPECT_GE(again.version, 9002);
  EXPECT_TRUE(pending_migrations(db(), migrations_.path()).empty());

  migrations_.write("9003_storage_test_more.sql",
                    "CREATE TABLE storage_test_more (id TEXT PRIMARY KEY, v {{real}});\n"
                    "INSERT INTO storage_test_more (id, v) VALUES ('?', 1.5);");
  EXPECT_EQ(pending_migrations(db(), migrations_.path()),
            std::vector<std::string>{"9003_storage_test_more"});
  auto third = migrate(db(), migrations_.path());
  EXPECT_EQ(third.applied, std::vector<std::string>{"9003_storage_test_more"});
  EXPECT_GE(third.version, 9003);
  auto c = db().acquire();
  EXPECT_EQ(c->query_one("SELECT v FROM storage_test_more WHERE id = '?'")->real(0), 1.5);
  auto row = c->query_one("SELECT name, applied_at FROM schema_migrations WHERE version = ?",
                          {std::int64_t{9003}});
  EXPECT_EQ(row->text(0), "9003_storage_test_more");
  EXPECT_EQ(row->text(1).size(), 20u);  // RFC 3339 UTC
}

TEST_P(StorageTest, FailingMigrationLeavesNothingBehind) {
  migrations_.write("9003_storage_test_broken.sql",
                    "CREATE TABLE storage_test_half (id TEXT);\nTHIS IS NOT SQL;");
  EXPECT_THROW(migrate(db(), migrations_.path()), DatabaseError);
  auto c = db().acquire();
  EXPECT_FALSE(c->query_one("SELECT 1 FROM schema_migrations WHERE version = 9003"));
  EXPECT_THROW(c->query("SELECT * FROM storage_test_half"), DatabaseError);
}

TEST_P(StorageTest, BadMigrationFilesAreRefused) {
  TempDir dir;
  dir.write("9500_Bad-Name.sql", "SELECT 1;");
  EXPECT_THROW(migrate(db(), dir.path()), DatabaseError);
  TempDir tokens;
  tokens.write("9500_tokens.sql", "CREATE TABLE t9500 (v {{reel}});");
  EXPECT_THROW(migrate(db(), tokens.path()), DatabaseError);
  EXPECT_THROW(migrate(db(), migrations_.path() / "missing"), DatabaseError);
}

TEST_P(StorageTest, ConcurrentMigrationsApplyEachOnce) {
  TempDir dir;
  for (int v = 9101; v <= 9105; ++v) {
    dir.write(std::to_string(v) + "_storage_test_concurrent.sql",
              "CREATE TABLE storage_test_c" + std::to_string(v) + " (id TEXT PRIMARY KEY);");
  }
  // Two runners with their own pools, like two processes starting at once.
  constexpr int kRunners = 3;
  std::barrier start(kRunners);
  std::vector<MigrationReport> reports(kRunners);
  std::vector<std::string> errors(kRunners);
  std::vector<std::thread> threads;
  for (int i = 0; i < kRunners; ++i) {
    threads.emplace_back([&, i] {
      try {
        auto own = Database::open(test_db_->url());
        start.arrive_and_wait();
        reports[i] = migrate(*own, dir.path());
      } catch (const std::exception& e) {
        errors[i] = e.what();
      }
    });
  }
  for (auto& t : threads) t.join();
  std::multiset<std::string> applied;
  for (int i = 0; i < kRunners; ++i) {
    EXPECT_EQ(errors[i], "");
    applied.insert(reports[i].applied.begin(), reports[i].applied.end());
  }
  EXPECT_EQ(applied.size(), 5u);
  EXPECT_EQ(std::set<std::string>(applied.begin(), applied.end()).size(), 5u);
  auto c = db().acquire();
  EXPECT_EQ(
      c->query_one("SELECT COUNT(*) FROM schema_migrations WHERE version BETWEEN 9101 AND 9105")
          ->integer(0),
      5);
}

TEST_P(StorageTest, PoolIsSharedByThreadsAndReusesConnections) {
  constexpr int kThreads = 6;
  constexpr int kWrites = 40;
  std::mutex seen_mutex;
  std::set<Connection*> seen;
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kWrites; ++i) {
        try {
          auto c = db().acquire();
          {
            std::lock_guard lock(seen_mutex);
            seen.insert(&*c);
          }
          Transaction tx(*c);
          insert_item(*c, std::to_string(t) + "-" + std::to_string(i));
          tx.commit();
        } catch (const std::exception&) {
          ++failures;
        }
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(failures.load(), 0);
  EXPECT_LE(seen.size(), static_cast<std::size_t>(kThreads));
  Connection* first = nullptr;
  {
    auto c = db().acquire();
    EXPECT_EQ(count(*c, "storage_test_items"), kThreads * kWrites);
    first = &*c;
  }
  auto c = db().acquire();  // the connection just returned is handed out again
  EXPECT_EQ(&*c, first);
}

TEST_P(StorageTest, PingAnswersTrue) { EXPECT_TRUE(db().ping()); }

INSTANTIATE_TEST_SUITE_P(Engines, StorageTest, ::testing::ValuesIn(oploop::testing::engines()),
                         [](const auto& info) { return info.param; });

// --- engine-specific -----------------------------------------------------------------------

TEST(SqliteStorage, OpensWithDurableSettingsAndPrivateFile) {
  TempDir dir;
  std::string path = (dir.path() / "nested" / "deeper" / "oploop.db").string();
  auto db = Database::open("sqlite:" + path);  // missing directories are created
  auto c = db->acquire();
  EXPECT_EQ(c->query_one("PRAGMA journal_mode")->text(0), "wal");
  EXPECT_EQ(c->query_one("PRAGMA foreign_keys")->integer(0), 1);
  EXPECT_EQ(c->query_one("PRAGMA synchronous")->integer(0), 2);  // FULL
  EXPECT_EQ(c->query_one("PRAGMA busy_timeout")->integer(0), 10000);
  struct stat st {};
  ASSERT_EQ(::stat(path.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
}

TEST(SqliteStorage, RefusesSeveralStatementsInOneCall) {
  TempDir dir;
  auto db = Database::open("sqlite:" + (dir.path() / "x.db").string());
  auto c = db->acquire();
  EXPECT_THROW(c->execute("CREATE TABLE a (x); CREATE TABLE b (x)"), DatabaseError);
  c->execute_script("CREATE TABLE a (x); CREATE TABLE b (x);");
  EXPECT_EQ(c->execute("INSERT INTO b (x) VALUES (?);", {std::int64_t{1}}), 1);
}

TEST(DatabaseUrl, UnknownSchemeIsRefusedWithoutEchoingIt) {
  try {
    Database::open("mysql://user:hunter2@host/db");
    FAIL();
  } catch (const DatabaseError& e) {
    EXPECT_EQ(std::string(e.what()).find("hunter2"), std::string::npos);
  }
  EXPECT_THROW(Database::open("sqlite:"), DatabaseError);
}

TEST(RowConversion, ReadsNumbersFromTheirTextForms) {
  Row row({std::string("42"), std::string("3.0"), std::string("abc"), std::string("t"),
           std::string("-Infinity"), std::nullopt});
  EXPECT_EQ(row.integer(0), 42);
  EXPECT_EQ(row.integer(1), 3);  // a whole REAL/NUMERIC
  EXPECT_THROW(row.integer(2), DatabaseError);
  EXPECT_TRUE(row.boolean(3));
  EXPECT_EQ(row.real(4), -std::numeric_limits<double>::infinity());
  EXPECT_THROW(row.real(2), DatabaseError);
  EXPECT_EQ(row.optional_integer(5), std::nullopt);
  EXPECT_THROW(row.text(6), std::out_of_range);
}

TEST(PostgresPlaceholders, RewritesOnlyRealPlaceholders) {
  auto [sql, n] = to_postgres_placeholders(
      "SELECT ?, '?', 'it''s ?', E'\\'?', \"odd?name\", $$?$$, $tag$ ? $tag$, ? -- why?\n"
      ", /* ? /* nested ? */ ? */ ?");
  EXPECT_EQ(n, 3);
  EXPECT_EQ(sql,
            "SELECT $1, '?', 'it''s ?', E'\\'?', \"odd?name\", $$?$$, $tag$ ? $tag$, $2 -- why?\n"
            ", /* ? /* nested ? */ ? */ $3");
}

// --- backup and restore ----------------------------------------------------------------------

// Every row of every fixture table, for comparing two databases.
std::string content(Database& db) {
  auto c = db.acquire();
  std::string out;
  for (const auto& row : c->query("SELECT id, n, x, s, b FROM storage_test_items ORDER BY id")) {
    for (std::size_t i = 0; i < row.size(); ++i)
      out += row.is_null(i) ? "NULL|" : row.text(i) + "|";
    out += "\n";
  }
  for (const auto& row :
       c->query("SELECT id, item_id, label FROM storage_test_children ORDER BY id")) {
    out += row.text(0) + "|" + row.text(1) + "|" + row.text(2) + "\n";
  }
  return sha256_hex(out);
}

void fill(Database& db, int rows) {
  auto c = db.acquire();
  Transaction tx(*c);
  for (int i = 0; i < rows; ++i) {
    std::string id = "item-" + std::to_string(i);
    c->execute("INSERT INTO storage_test_items (id, n, x, s, b) VALUES (?, ?, ?, ?, ?)",
               {id, std::int64_t{i}, i / 7.0, "tekst " + std::to_string(i) + " ë", all_bytes()});
    c->execute("INSERT INTO storage_test_children (id, item_id, label) VALUES (?, ?, ?)",
               {"child-" + std::to_string(i), id, "label-" + std::to_string(i)});
  }
  tx.commit();
}

class SqliteBackup : public ::testing::Test {
 protected:
  void SetUp() override {
    write_fixture_migrations(migrations_);
    url_ = "sqlite:" + (dir_.path() / "live.db").string();
    backup_ = (dir_.path() / "backups" / "oploop.backup").string();
    fs::create_directories(dir_.path() / "backups");
    db_ = Database::open(url_);
    migrate(*db_, migrations_.path());
    fill(*db_, 300);
  }

  TempDir dir_, migrations_;
  std::string url_, backup_;
  std::unique_ptr<Database> db_;
};

TEST_F(SqliteBackup, BackupThenRestoreGivesBackTheSameContent) {
  std::string before = content(*db_);
  backup_database(*db_, url_, backup_);
  struct stat st {};
  ASSERT_EQ(::stat(backup_.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  EXPECT_TRUE(fs::exists(backup_ + ".sha256"));
  std::string line;
  std::getline(std::ifstream(backup_ + ".sha256"), line);
  EXPECT_EQ(line, file_sha256_hex(backup_) + "  oploop.backup");  // sha256sum -c format

  db_->acquire()->execute("DELETE FROM storage_test_children WHERE label < 'label-5'");
  db_->acquire()->execute("UPDATE storage_test_items SET s = 'changed' WHERE n > 250");
  EXPECT_NE(content(*db_), before);
  db_.reset();  // the server is stopped for a restore

  restore_database(url_, backup_);
  db_ = Database::open(url_);
  EXPECT_EQ(content(*db_), before);
  EXPECT_TRUE(pending_migrations(*db_, migrations_.path()).empty());
}

TEST_F(SqliteBackup, BackupWhileWritersRunIsConsistent) {
  std::atomic<bool> stop{false};
  std::thread writer([&] {
    for (int i = 0; !stop; ++i) {
      auto c = db_->acquire();
      Transaction tx(*c);
      std::string id = "live-" + std::to_string(i);
      c->execute("INSERT INTO storage_test_items (id) VALUES (?)", {id});
      c->execute("INSERT INTO storage_test_children (id, item_id, label) VALUES (?, ?, ?)",
                 {id, id, id});
      tx.commit();
    }
  });
  backup_database(*db_, url_, backup_);
  stop = true;
  writer.join();

  // Restored into a new file: complete transactions only (every child has its item).
  std::string copy_url = "sqlite:" + (dir_.path() / "copy.db").string();
  restore_database(copy_url, backup_);
  auto copy = Database::open(copy_url);
  auto c = copy->acquire();
  EXPECT_EQ(c->query_one("SELECT COUNT(*) FROM storage_test_children ch WHERE NOT EXISTS "
                         "(SELECT 1 FROM storage_test_items i WHERE i.id = ch.item_id)")
                ->integer(0),
            0);
  EXPECT_GE(count(*c, "storage_test_items"), 300);
}

TEST_F(SqliteBackup, FlippedByteInBackupIsRefused) {
  backup_database(*db_, url_, backup_);
  db_->acquire()->execute("DELETE FROM storage_test_children");
  std::string after = content(*db_);
  db_.reset();

  auto size = fs::file_size(backup_);
  {
    std::fstream f(backup_, std::ios::in | std::ios::out | std::ios::binary);
    f.seekg(static_cast<std::streamoff>(size / 2));
    char c = 0;
    f.get(c);
    f.seekp(static_cast<std::streamoff>(size / 2));
    f.put(static_cast<char>(c ^ 0x01));
  }
  try {
    restore_database(url_, backup_);
    FAIL() << "corrupted backup restored";
  } catch (const DatabaseError& e) {
    EXPECT_NE(std::string(e.what()).find("checksum"), std::string::npos) << e.what();
  }
  db_ = Database::open(url_);
  EXPECT_EQ(content(*db_), after);  // untouched
}

TEST_F(SqliteBackup, StructurallyDamagedBackupIsRefusedEvenWithMatchingChecksum) {
  backup_database(*db_, url_, backup_);
  db_->acquire()->execute("DELETE FROM storage_test_children");
  std::string after = content(*db_);
  db_.reset();

  // Page 2 is a b-tree page; a nonsense page type is corruption integrity_check reports.
  {
    std::fstream f(backup_, std::ios::in | std::ios::out | std::ios::binary);
    f.seekp(4096);
    f.put(static_cast<char>(0x42));
  }
  std::ofstream(backup_ + ".sha256") << file_sha256_hex(backup_) << "  oploop.backup\n";
  EXPECT_THROW(restore_database(url_, backup_), DatabaseError);

  std::ofstream(backup_) << "not a database at all";
  std::ofstream(backup_ + ".sha256") << file_sha256_hex(backup_) << "  oploop.backup\n";
  EXPECT_THROW(restore_database(url_, backup_), DatabaseError);

  db_ = Database::open(url_);
  EXPECT_EQ(content(*db_), after);
}

TEST_F(SqliteBackup, BackupWithoutChecksumFileIsRefused) {
  backup_database(*db_, url_, backup_);
  fs::remove(backup_ + ".sha256");
  EXPECT_THROW(restore_database(url_, backup_), DatabaseError);
  EXPECT_THROW(restore_database(url_, backup_ + ".missing"), DatabaseError);
}

// --- PostgreSQL only ------------------------------------------------------------------------

class PostgresOnly : public ::testing::Test {
 protected:
  void SetUp() override {
    const char* url = std::getenv("OPLOOP_TEST_POSTGRES_URL");
    if (!url || !*url)
      GTEST_SKIP() << "OPLOOP_TEST_POSTGRES_URL not set (scripts/test starts PostgreSQL)";
    base_url_ = url;
  }
  // The server URL with another database name.
  std::string url_for_database(const std::string& name) const {
    auto slash = base_url_.find('/', base_url_.find("://") + 3);
    auto query = base_url_.find('?', slash);
    return base_url_.substr(0, slash) + "/" + name +
           (query == std::string::npos ? "" : base_url_.substr(query));
  }
  std::string base_url_;
};

TEST_F(PostgresOnly, ConnectionClosedByTheServerIsReplaced) {
  auto db = Database::open(base_url_);
  std::string pid;
  {
    auto c = db->acquire();
    pid = c->query_one("SELECT pg_backend_pid()")->text(0);
  }
  auto admin = Database::open(base_url_);
  {
    auto a = admin->acquire();
    ASSERT_TRUE(a->query_one("SELECT pg_terminate_backend(CAST(? AS INTEGER))", {pid})->boolean(0));
    for (int i = 0; i < 100; ++i) {
      if (!a->query_one("SELECT 1 FROM pg_stat_activity WHERE pid = CAST(? AS INTEGER)", {pid}))
        break;
      std::this_thread::sleep_for(std::chrono::milliseconds{20});
    }
  }
  auto c = db->acquire();
  EXPECT_NE(c->query_one("SELECT pg_backend_pid()")->text(0), pid);
}

TEST_F(PostgresOnly, ExhaustedPoolWaitsForAReturnedConnectionThenGivesUp) {
  PostgresDatabase db(base_url_, 2, std::chrono::seconds{1});
  auto first = std::make_optional(db.acquire());
  auto second = db.acquire();
  std::thread returner([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds{200});
    first.reset();
  });
  auto start = std::chrono::steady_clock::now();
  auto third = db.acquire();  // blocks until `first` comes back
  EXPECT_GE(std::chrono::steady_clock::now() - start, std::chrono::milliseconds{150});
  returner.join();
  EXPECT_THROW(db.acquire(), DatabaseError);  // both still out after the wait limit
}

TEST_F(PostgresOnly, ByteaAndBooleanColumnsReadLikeSqlite) {
  TestDatabase t("postgres");
  auto c = t.db().acquire();
  c->execute("CREATE TABLE storage_test_bin (b BYTEA, f BOOLEAN)");
  c->execute("INSERT INTO storage_test_bin (b, f) VALUES (?, ?)", {all_bytes(), std::int64_t{1}});
  auto row = c->query_one("SELECT b, f FROM storage_test_bin WHERE b = ?", {all_bytes()});
  ASSERT_TRUE(row);
  EXPECT_EQ(row->text(0), all_bytes());
  EXPECT_EQ(row->text(1), "1");
  // A NUL in a text parameter would be cut off; refused instead.
  EXPECT_THROW(c->query("SELECT CAST(? AS TEXT)", {std::string("a\0b", 3)}), DatabaseError);
}

TEST_F(PostgresOnly, BackupThenRestoreGivesBackTheSameContent) {
  std::string name = "t_" + new_id();
  auto admin = Database::open(base_url_);
  try {
    admin->acquire()->execute_script("CREATE DATABASE " + name);
  } catch (const DatabaseError& e) {
    GTEST_SKIP() << "role may not create databases: " << e.what();
  }
  std::string url = url_for_database(name);
  TempDir dir, migrations;
  write_fixture_migrations(migrations);
  std::string file = (dir.path() / "pg.backup").string();
  {
    auto db = Database::open(url);
    migrate(*db, migrations.path());
    fill(*db, 100);
    std::string before = content(*db);
    backup_database(*db, url, file);
    struct stat st {};
    ASSERT_EQ(::stat(file.c_str(), &st), 0);
    EXPECT_EQ(st.st_mode & 0777, 0600u);

    db->acquire()->execute("DELETE FROM storage_test_children");
    db->acquire()->execute("UPDATE storage_test_items SET s = NULL");
    restore_database(url, file);
    EXPECT_EQ(content(*db), before);  // fresh statements on the pooled connections work too

    // A flipped byte is refused and changes nothing.
    db->acquire()->execute("DELETE FROM storage_test_children");
    std::string after = content(*db);
    {
      std::fstream f(file, std::ios::in | std::ios::out | std::ios::binary);
      f.seekp(100);
      f.put('\x7f');
    }
    EXPECT_THROW(restore_database(url, file), DatabaseError);
    EXPECT_EQ(content(*db), after);
  }
  admin->acquire()->execute_script("DROP DATABASE " + name + " WITH (FORCE)");
}

}  // namespace
}  // namespace oploop::storage
