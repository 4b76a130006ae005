// The `oploop` command line (SPEC §4), run as the real binary on a temporary SQLite file:
// help and argument errors, accounts and tokens (and that the token works against a real
// `oploop serve`), migrate, demo, backup and restore.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>
#include <regex>

#include "support/oploop_process.hpp"
#include "support/test_app.hpp"

namespace oploop::testing {
namespace {

using nlohmann::json;
namespace fs = std::filesystem;

int count_lines_with(const std::string& text, const std::string& needle) {
  int n = 0;
  for (std::size_t at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1))
    ++n;
  return n;
}

class Cli : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!fs::exists(oploop_binary()))
      GTEST_SKIP() << "oploop binary not found at " << oploop_binary() << " (set OPLOOP_BIN)";
    url_ = "sqlite:" + dir_.file("oploop.db");
    env_ = {{"OPLOOP_SECRET_KEY_FILE", dir_.file("secret.key")}};
  }
  // `oploop --db <temp db> args...`
  ProcessResult oploop(std::vector<std::string> args, const std::string& input = "",
                       const std::string& url = "") {
    args.insert(args.begin(), {"--db", url.empty() ? url_ : url});
    return run_oploop(args, input, env_);
  }
  std::int64_t organisations_in(const std::string& url) {
    auto db = storage::Database::open(url);
    return scalar(*db, "SELECT COUNT(*) FROM organisations");
  }

  TempDir dir_;
  std::string url_;
  Environment env_;
};

TEST_F(Cli, HelpListsTheSubcommands) {
  auto r = run_oploop({"--help"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  for (const char* sub :
       {"serve", "migrate", "demo", "org", "team", "user", "token", "backup", "restore"})
    EXPECT_NE(r.out.find(sub), std::string::npos) << sub << " not in:\n" << r.out;
  EXPECT_NE(r.out.find("--db"), std::string::npos);
  auto sub = run_oploop({"user", "add", "--help"});
  EXPECT_EQ(sub.exit_code, 0) << sub.err;
  for (const char* option : {"--org", "--role", "--email", "--name", "--team", "--password-stdin"})
    EXPECT_NE(sub.out.find(option), std::string::npos) << option;
}

TEST_F(Cli, WrongArgumentsExit2WithAMessage) {
  struct Case {
    const char* name;
    std::vector<std::string> args;
    const char* mentions;  // something the message should name
  };
  const std::vector<Case> cases = {
      {"no subcommand", {}, ""},
      {"unknown subcommand", {"frobnicate"}, "frobnicate"},
      {"org without add", {"org"}, ""},
      {"missing required option", {"org", "add", "--slug", "noord"}, "--name"},
      {"bad role",
       {"user", "add", "--org", "x", "--role", "king", "--email", "k@x.test", "--name", "K"},
       "king"},
      {"token days out of range", {"token", "add", "--email", "k@x.test", "--days", "0"}, "0"},
      {"backup without file", {"backup"}, "file"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    auto r = oploop(c.args);
    EXPECT_EQ(r.exit_code, 2) << r.out << r.err;
    EXPECT_FALSE(r.err.empty());
    EXPECT_NE(r.err.find(c.mentions), std::string::npos) << r.err;
  }
  // A user for an organisation that does not exist is refused the same way.
  auto r = oploop({"user", "add", "--org", "nope", "--role", "volunteer", "--email", "v@x.test",
                   "--name", "V"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("nope"), std::string::npos) << r.err;
}

TEST_F(Cli, AccountsAndATokenThatWorksAgainstTheServer) {
  auto org = oploop({"org", "add", "--slug", "noord", "--name", "Welzijn Noord"});
  ASSERT_EQ(org.exit_code, 0) << org.err;
  EXPECT_TRUE(std::regex_match(org.out, std::regex("[a-z0-9]+\n"))) << org.out;
  auto team = oploop({"team", "add", "--org", "noord", "--name", "Team Oost"});
  ASSERT_EQ(team.exit_code, 0) << team.err;

  const std::string password = "een-lange-wandeling-langs-de-vecht-7";
  auto volunteer =
      oploop({"user", "add", "--org", "noord", "--role", "volunteer", "--email", "vera@noord.test",
              "--name", "Vera Vrijwilliger", "--team", "Team Oost", "--password-stdin"},
             password + "\n");
  ASSERT_EQ(volunteer.exit_code, 0) << volunteer.err;
  EXPECT_EQ(volunteer.out.find("herstel"), std::string::npos);  // no link when a password is set

  auto coordinator = oploop({"user", "add", "--org", "noord", "--role", "coordinator", "--email",
                             "cor@noord.test", "--name", "Cor Coördinator", "--team", "Team Oost"});
  ASSERT_EQ(coordinator.exit_code, 0) << coordinator.err;
  std::smatch link;
  ASSERT_TRUE(std::regex_search(
      coordinator.out, link, std::regex(R"(https?://[^\s]*(/wachtwoord/herstel/[A-Za-z0-9_-]+))")))
      << coordinator.out;
  const std::string reset_path = link[1].str();

  auto token = oploop({"token", "add", "--email", "cor@noord.test", "--name", "scripts"});
  ASSERT_EQ(token.exit_code, 0) << token.err;
  // Only the token on stdout, so `TOKEN=$(oploop token add …)` works.
  ASSERT_TRUE(std::regex_match(token.out, std::regex("oplp_[A-Za-z0-9_-]+\n"))) << token.out;
  const std::string secret = token.out.substr(0, token.out.size() - 1);

  // A duplicate slug is refused with a message.
  auto duplicate = oploop({"org", "add", "--slug", "noord", "--name", "Nog een Noord"});
  EXPECT_EQ(duplicate.exit_code, 1);
  EXPECT_FALSE(duplicate.err.empty());
  EXPECT_TRUE(duplicate.out.empty()) << duplicate.out;
  EXPECT_EQ(organisations_in(url_), 1);
  // A password that is too weak is refused with a message, and no user is made.
  auto weak = oploop({"user", "add", "--org", "noord", "--role", "volunteer", "--email",
                      "weak@noord.test", "--name", "W", "--password-stdin"},
                     "123\n");
  EXPECT_EQ(weak.exit_code, 1) << weak.out;
  EXPECT_NE(weak.err.find("password"), std::string::npos) << weak.err;
  {
    auto db = storage::Database::open(url_);
    EXPECT_EQ(scalar(*db, "SELECT COUNT(*) FROM users WHERE email = 'weak@noord.test'"), 0);
  }

  ServerProcess server(url_, env_);
  HttpClient api(server.base_url());
  api.set_bearer(secret);
  auto me = api.get("/api/v1/me");
  ASSERT_EQ(me.status, 200) << me.body;
  auto body = json::parse(me.body);
  EXPECT_EQ(body["email"], "cor@noord.test");
  EXPECT_EQ(body["role"], "coordinator");
  EXPECT_EQ(body["name"], "Cor Coördinator");
  EXPECT_EQ(body["team_ids"].size(), 1u);

  // The password read from stdin signs the volunteer in.
  HttpClient web(server.base_url());
  ASSERT_EQ(web.get("/inloggen").status, 200);
  const auto csrf = web.cookie("oploop_csrf");
  ASSERT_TRUE(csrf.has_value());
  auto login = web.post_form(
      "/inloggen", {{"email", "vera@noord.test"}, {"password", password}, {"csrf_token", *csrf}});
  EXPECT_EQ(login.status, 303) << login.body;
  EXPECT_EQ(login.header("Location").value_or(""), "/");
  // The printed set-password link leads to the form.
  EXPECT_EQ(HttpClient(server.base_url()).get(reset_path).status, 200);
}

TEST_F(Cli, MigrateTwiceIsFine) {
  auto first = oploop({"migrate"});
  ASSERT_EQ(first.exit_code, 0) << first.err;
  EXPECT_NE(first.out.find("applied"), std::string::npos) << first.out;
  std::smatch version;
  ASSERT_TRUE(std::regex_search(first.out, version, std::regex(R"(schema version (\d+))")));
  auto second = oploop({"migrate"});
  ASSERT_EQ(second.exit_code, 0) << second.err;
  EXPECT_EQ(second.out.find("applied"), std::string::npos) << second.out;
  EXPECT_NE(second.out.find("schema version " + version[1].str()), std::string::npos) << second.out;
  auto status = oploop({"migrate", "--status"});
  EXPECT_EQ(status.exit_code, 0);
  EXPECT_TRUE(status.out.empty()) << status.out;  // nothing pending
}

TEST_F(Cli, DemoPrintsTheSixLoginsOnce) {
  auto r = oploop({"demo"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(count_lines_with(r.out, "wachtwoord/password: "), 6) << r.out;
  for (const char* email : {"coordinator@demo.oploop.test", "coordinator.zuid@demo.oploop.test",
                            "vrijwilliger@demo.oploop.test", "projectleider@demo.oploop.test",
                            "stichting@demo.oploop.test", "beheer@demo.oploop.test"})
    EXPECT_NE(r.out.find(email), std::string::npos) << email;
  // Every role that needs two-factor gets its TOTP secret: both coordinators, the project
  // lead, the foundation and the admin.
  EXPECT_EQ(count_lines_with(r.out, "TOTP secret: "), 5) << r.out;
  EXPECT_NE(r.out.find("/aanmelden/demo"), std::string::npos);

  auto again = oploop({"demo"});
  EXPECT_NE(again.exit_code, 0);
  EXPECT_FALSE(again.err.empty());
  EXPECT_EQ(again.out.find("wachtwoord/password"), std::string::npos) << again.out;
  auto db = storage::Database::open(url_);
  EXPECT_EQ(scalar(*db, "SELECT COUNT(*) FROM organisations WHERE slug = 'demo'"), 1);
  EXPECT_EQ(scalar(*db, "SELECT COUNT(*) FROM users"), 6);
}

TEST_F(Cli, BackupRestoresIntoAFreshDatabaseAndRefusesACorruptedOne) {
  ASSERT_EQ(oploop({"org", "add", "--slug", "alfa", "--name", "Alfa"}).exit_code, 0);
  ASSERT_EQ(oploop({"org", "add", "--slug", "bravo", "--name", "Bravo"}).exit_code, 0);
  const std::string backup = dir_.file("backup.db");
  auto b = oploop({"backup", backup});
  ASSERT_EQ(b.exit_code, 0) << b.err;
  EXPECT_TRUE(fs::exists(backup));
  EXPECT_TRUE(fs::exists(backup + ".sha256"));
  // Personal data: only the owner may read the backup.
  EXPECT_EQ(fs::status(backup).permissions() & (fs::perms::group_all | fs::perms::others_all),
            fs::perms::none);

  const std::string restored_url = "sqlite:" + dir_.file("restored.db");
  auto r = oploop({"restore", backup}, "", restored_url);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(organisations_in(restored_url), 2);
  {
    auto db = storage::Database::open(restored_url);
    EXPECT_EQ(scalar(*db, "SELECT COUNT(*) FROM organisations WHERE slug IN ('alfa', 'bravo')"), 2);
  }
  // The restored database serves.
  EXPECT_EQ(oploop({"migrate", "--status"}, "", restored_url).exit_code, 0);

  // One flipped byte in a copy of the backup: refused, and the database is left as it was.
  const std::string damaged = dir_.file("damaged.db");
  fs::copy_file(backup, damaged);
  fs::copy_file(backup + ".sha256", damaged + ".sha256");
  {
    std::fstream f(damaged, std::ios::in | std::ios::out | std::ios::binary);
    const auto size = static_cast<std::streamoff>(fs::file_size(damaged));
    f.seekg(size / 2);
    char byte = 0;
    f.get(byte);
    f.seekp(size / 2);
    f.put(static_cast<char>(byte ^ 0x01));
  }
  auto refused = oploop({"restore", damaged}, "", restored_url);
  EXPECT_NE(refused.exit_code, 0);
  EXPECT_NE(refused.err.find("refused"), std::string::npos) << refused.err;
  EXPECT_EQ(organisations_in(restored_url), 2);
  // A backup without its checksum file is refused too.
  fs::remove(damaged + ".sha256");
  EXPECT_NE(oploop({"restore", damaged}, "", restored_url).exit_code, 0);
  EXPECT_NE(oploop({"restore", dir_.file("no-such-backup.db")}, "", restored_url).exit_code, 0);
  EXPECT_EQ(organisations_in(restored_url), 2);
}

}  // namespace
}  // namespace oploop::testing
