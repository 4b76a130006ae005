// Backup and restore (see backup.hpp for the rules).
#include "storage/backup.hpp"

#include <fcntl.h>
#include <libpq-fe.h>
#include <sodium.h>
#include <spawn.h>
#include <sqlite3.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cctype>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <thread>
#include <vector>

#include "core/random.hpp"
#include "storage/sqlite_database.hpp"

extern char** environ;

namespace oploop::storage {
namespace {

namespace fs = std::filesystem;

bool is_sqlite_url(const std::string& url) { return url.starts_with("sqlite:"); }
bool is_postgres_url(const std::string& url) {
  return url.starts_with("postgresql://") || url.starts_with("postgres://");
}
std::string sqlite_path(const std::string& url) { return url.substr(7); }

[[noreturn]] void fail(const std::string& message) { throw DatabaseError(message); }

// Personal data: the backup is readable by the service user only.
void create_private_file(const std::string& path) {
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) fail("cannot create " + path + ": " + std::strerror(errno));
  ::close(fd);
}

void fsync_path(const std::string& path, bool directory) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | (directory ? O_DIRECTORY : 0));
  if (fd < 0) fail("cannot open " + path + " to sync it: " + std::strerror(errno));
  int rc = ::fsync(fd);
  int error = errno;
  ::close(fd);
  if (rc != 0) fail("cannot sync " + path + ": " + std::strerror(error));
}

std::string directory_of(const std::string& file) {
  fs::path parent = fs::path(file).parent_path();
  return parent.empty() ? "." : parent.string();
}

std::string checksum_file(const std::string& file) { return file + ".sha256"; }

// Moves a finished, verified temporary file to its name and writes the checksum beside it;
// both reach the disk before this returns.
void publish(const std::string& tmp, const std::string& file) {
  std::string sum = file_sha256_hex(tmp);
  std::string sum_tmp = tmp + ".sha256";
  create_private_file(sum_tmp);
  {
    std::ofstream out(sum_tmp, std::ios::binary | std::ios::trunc);
    out << sum << "  " << fs::path(file).filename().string() << "\n";
    if (!out.flush()) fail("cannot write " + sum_tmp);
  }
  fsync_path(tmp, false);
  fsync_path(sum_tmp, false);
  fs::rename(tmp, file);
  fs::rename(sum_tmp, checksum_file(file));
  fsync_path(directory_of(file), true);
}

void verify_checksum(const std::string& file) {
  std::ifstream in(checksum_file(file), std::ios::binary);
  if (!in) fail("backup refused: checksum file " + checksum_file(file) + " is missing");
  std::string expected;
  in >> expected;
  if (expected.size() != 64) fail("backup refused: " + checksum_file(file) + " is malformed");
  for (char& c : expected) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (file_sha256_hex(file) != expected) {
    fail("backup refused: " + file + " does not match its checksum (damaged or altered)");
  }
}

// --- SQLite -------------------------------------------------------------------------------

struct SqliteHandle {
  sqlite3* db = nullptr;
  ~SqliteHandle() { sqlite3_close_v2(db); }
};

void open_existing(SqliteHandle& h, const std::string& path, int flags) {
  if (sqlite3_open_v2(path.c_str(), &h.db, flags | SQLITE_OPEN_NOMUTEX, nullptr) != SQLITE_OK) {
    fail("cannot open SQLite database " + path + ": " +
         (h.db ? sqlite3_errmsg(h.db) : "out of memory"));
  }
  sqlite3_extended_result_codes(h.db, 1);
  sqlite3_busy_timeout(h.db, 10000);
}

std::vector<std::string> pragma_rows(sqlite3* db, const char* pragma, const std::string& what) {
  sqlite3_stmt* stmt = nullptr;
  std::vector<std::string> rows;
  int rc = sqlite3_prepare_v2(db, pragma, -1, &stmt, nullptr);
  while (rc == SQLITE_OK || rc == SQLITE_ROW) {
    if ((rc = sqlite3_step(stmt)) != SQLITE_ROW) break;
    std::string row;
    for (int c = 0; c < sqlite3_column_count(stmt); ++c) {
      const auto* text = sqlite3_column_text(stmt, c);
      if (c) row += " ";
      row += text ? reinterpret_cast<const char*>(text) : "NULL";
    }
    rows.push_back(row);
  }
  std::string message = sqlite3_errmsg(db);
  sqlite3_finalize(stmt);
  if (rc != SQLITE_DONE) fail(what + " is not a sound SQLite database: " + message);
  return rows;
}

void check_integrity(sqlite3* db, const std::string& what) {
  auto rows = pragma_rows(db, "PRAGMA integrity_check", what);
  if (rows.size() != 1 || rows[0] != "ok") {
    fail(what + " failed PRAGMA integrity_check: " + (rows.empty() ? "no answer" : rows[0]));
  }
  if (!pragma_rows(db, "PRAGMA foreign_key_check", what).empty()) {
    fail(what + " failed PRAGMA foreign_key_check");
  }
}

// One step of -1 pages copies a consistent snapshot in one go; smaller steps would restart
// whenever the server writes in between. BUSY/LOCKED is retried for a while.
void copy_database(sqlite3* from, sqlite3* to, const std::string& what) {
  sqlite3_backup* b = sqlite3_backup_init(to, "main", from, "main");
  if (!b) fail(what + ": " + sqlite3_errmsg(to));
  int rc;
  for (int attempt = 0;; ++attempt) {
    rc = sqlite3_backup_step(b, -1);
    if ((rc != SQLITE_BUSY && rc != SQLITE_LOCKED) || attempt >= 100) break;
    std::this_thread::sleep_for(std::chrono::milliseconds{100});
  }
  sqlite3_backup_finish(b);
  if (rc != SQLITE_DONE) fail(what + ": " + sqlite3_errstr(rc));
}

void backup_sqlite(const std::string& db_path, const std::string& file) {
  std::string tmp = file + ".tmp-" + random_token(6);
  create_private_file(tmp);
  try {
    SqliteHandle source, copy;
    open_existing(source, db_path, SQLITE_OPEN_READWRITE);
    open_existing(copy, tmp, SQLITE_OPEN_READWRITE);
    copy_database(source.db, copy.db, "backup of " + db_path);
    // A backup is one self-contained file: rollback journal rather than WAL.
    pragma_rows(copy.db, "PRAGMA journal_mode=DELETE", "backup " + tmp);
    check_integrity(copy.db, "backup " + tmp);
  } catch (...) {
    fs::remove(tmp);
    throw;
  }
  publish(tmp, file);
}

void restore_sqlite(const std::string& db_path, const std::string& file) {
  {
    std::ifstream in(file, std::ios::binary);
    std::array<char, 16> header{};
    if (!in.read(header.data(), header.size()) ||
        std::memcmp(header.data(), "SQLite format 3", 16) != 0) {
      fail("backup refused: " + file + " is not a SQLite database");
    }
  }
  SqliteHandle source;
  open_existing(source, file, SQLITE_OPEN_READONLY);
  check_integrity(source.db, "backup " + file);

  SqliteHandle target;
  target.db = open_sqlite_file(db_path);
  copy_database(source.db, target.db, "restore into " + db_path);
  check_integrity(target.db, "restored database " + db_path);
}

// --- PostgreSQL ---------------------------------------------------------------------------

struct ClientArgs {
  std::string conninfo;  // every URL setting but the password, as keyword='value' pairs
  std::string password;
};

ClientArgs client_args(const std::string& url) {
  char* error = nullptr;
  PQconninfoOption* options = PQconninfoParse(url.c_str(), &error);
  if (!options) {
    std::string message = error ? error : "out of memory";
    PQfreemem(error);
    fail("cannot parse the PostgreSQL URL: " + message);
  }
  ClientArgs args;
  for (PQconninfoOption* o = options; o->keyword; ++o) {
    if (!o->val) continue;
    if (std::strcmp(o->keyword, "password") == 0) {
      args.password = o->val;
      continue;
    }
    std::string quoted;
    for (const char* p = o->val; *p; ++p) {
      if (*p == '\'' || *p == '\\') quoted += '\\';
      quoted += *p;
    }
    if (!args.conninfo.empty()) args.conninfo += ' ';
    args.conninfo += std::string(o->keyword) + "='" + quoted + "'";
  }
  PQconninfoFree(options);
  return args;
}

// Runs a PostgreSQL client program without a shell, waits, and fails on a non-zero exit.
void run_client(const std::vector<std::string>& argv, const std::string& password) {
  std::vector<std::string> env;
  for (char** e = environ; *e; ++e) {
    if (std::strncmp(*e, "PGPASSWORD=", 11) != 0) env.emplace_back(*e);
  }
  if (!password.empty()) env.push_back("PGPASSWORD=" + password);
  std::vector<char*> envp, args;
  for (auto& s : env) envp.push_back(s.data());
  envp.push_back(nullptr);
  std::vector<std::string> argv_copy = argv;
  for (auto& s : argv_copy) args.push_back(s.data());
  args.push_back(nullptr);

  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  pid_t pid = 0;
  int rc = posix_spawnp(&pid, args[0], &actions, nullptr, args.data(), envp.data());
  posix_spawn_file_actions_destroy(&actions);
  if (rc == ENOENT) {
    fail(argv[0] +
         " not found: install postgresql-client (same major version as the server, "
         "or newer) and put it on PATH");
  }
  if (rc != 0) fail("cannot start " + argv[0] + ": " + std::strerror(rc));
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0) {
    if (errno != EINTR) fail("cannot wait for " + argv[0] + ": " + std::strerror(errno));
  }
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    fail(argv[0] + " failed (" +
         (WIFEXITED(status) ? "exit status " + std::to_string(WEXITSTATUS(status))
                            : "signal " + std::to_string(WTERMSIG(status))) +
         "); its messages are on standard error");
  }
}

void backup_postgres(const std::string& url, const std::string& file) {
  ClientArgs args = client_args(url);
  std::string tmp = file + ".tmp-" + random_token(6);
  create_private_file(tmp);  // pg_dump truncates it and keeps the mode
  try {
    run_client({"pg_dump", "--no-password", "--format=custom", "--file=" + tmp,
                "--dbname=" + args.conninfo},
               args.password);
  } catch (...) {
    fs::remove(tmp);
    throw;
  }
  publish(tmp, file);
}

void restore_postgres(const std::string& url, const std::string& file) {
  ClientArgs args = client_args(url);
  run_client({"pg_restore", "--no-password", "--clean", "--if-exists", "--no-owner",
              "--single-transaction", "--dbname=" + args.conninfo, file},
             args.password);
}

}  // namespace

std::string file_sha256_hex(const std::string& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) fail("cannot read " + file);
  crypto_hash_sha256_state state;
  crypto_hash_sha256_init(&state);
  std::vector<char> buffer(1 << 16);
  while (in) {
    in.read(buffer.data(), static_cast<std::streamsize>(buffer.size()));
    crypto_hash_sha256_update(&state, reinterpret_cast<const unsigned char*>(buffer.data()),
                              static_cast<unsigned long long>(in.gcount()));
  }
  if (in.bad()) fail("cannot read " + file);
  std::array<unsigned char, crypto_hash_sha256_BYTES> digest{};
  crypto_hash_sha256_final(&state, digest.data());
  std::array<char, crypto_hash_sha256_BYTES * 2 + 1> hex{};
  sodium_bin2hex(hex.data(), hex.size(), digest.data(), digest.size());
  return std::string(hex.data(), hex.size() - 1);
}

void backup_database(Database& db, const std::string& db_url, const std::string& file) {
  if (is_sqlite_url(db_url) && db.dialect() == Dialect::sqlite) {
    backup_sqlite(sqlite_path(db_url), file);
  } else if (is_postgres_url(db_url) && db.dialect() == Dialect::postgres) {
    backup_postgres(db_url, file);
  } else {
    fail("backup: the database URL does not match the open database");
  }
}

void restore_database(const std::string& db_url, const std::string& file) {
  std::error_code ec;
  if (!fs::is_regular_file(file, ec)) fail("backup refused: " + file + " does not exist");
  verify_checksum(file);
  if (is_sqlite_url(db_url)) {
    restore_sqlite(sqlite_path(db_url), file);
  } else if (is_postgres_url(db_url)) {
    restore_postgres(db_url, file);
  } else {
    fail("restore: unsupported database URL");
  }
}

}  // namespace oploop::storage
