// SPEC §6: "A server killed mid-write loses no acknowledged write." The real `oploop serve`
// process on a real database (SQLite file, PostgreSQL schema) is killed with SIGKILL right after
// it answered 201, and again in the middle of traffic from four concurrent writers; restarted on
// the same database, it must answer every acknowledged referral exactly as it was acknowledged,
// and the database must be sound.
//
// What this proves is durability against the death of the oploop process (the operating
// system and the database server keep running), which is what kill -9 tests.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <atomic>
#include <filesystem>
#include <mutex>
#include <thread>

#include "support/oploop_process.hpp"
#include "support/test_app.hpp"
#include "support/test_databases.hpp"

namespace oploop::testing {
namespace {

using nlohmann::json;

json referral_body(const std::string& name) {
  const auto consent = amsterdam_date(std::chrono::system_clock::now() - std::chrono::days(2));
  return {
      {"contact_name", name},
      {"postcode", "1012 AB"},
      {"house_number", "7"},
      {"reason", "Ondersteuning bij opvoeding en post — " + name},
      {"urgency", "normal"},
      {"consent", true},
      {"consent_date", consent},
      {"children_birth_years", {2015, 2018}},
      {"languages", {"nl", "so"}},
      {"referrer",
       {{"name", "Wijkteam"}, {"organisation", "Sociaal Wijkteam"}, {"email", "wt@example.org"}}}};
}

class Crash : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    if (!std::filesystem::exists(oploop_binary()))
      GTEST_SKIP() << "oploop binary not found at " << oploop_binary() << " (set OPLOOP_BIN)";
    if (GetParam() == "postgres") {
      database_ = std::make_unique<TestDatabase>("postgres");
      if (!database_->available()) GTEST_SKIP() << database_->skip_reason();
      url_ = database_->url();
    } else {
      url_ = "sqlite:" + dir_.file("oploop.db");
    }
    env_ = {{"OPLOOP_SECRET_KEY_FILE", dir_.file("secret.key")}};
    auto run = [&](std::vector<std::string> args) {
      args.insert(args.begin(), {"--db", url_});
      auto r = run_oploop(args, "", env_);
      EXPECT_EQ(r.exit_code, 0) << r.err;
      return r.out;
    };
    run({"org", "add", "--slug", "crash", "--name", "Crash-test"});
    run({"team", "add", "--org", "crash", "--name", "Team West"});
    run({"user", "add", "--org", "crash", "--role", "coordinator", "--email", "c@crash.test",
         "--name", "Coördinator", "--team", "Team West"});
    token_ = run({"token", "add", "--email", "c@crash.test"});
    ASSERT_EQ(token_.rfind("oplp_", 0), 0u) << token_;
    token_.pop_back();  // the newline
  }

  std::unique_ptr<HttpClient> client(const ServerProcess& server) {
    auto c = std::make_unique<HttpClient>(server.base_url());
    c->set_bearer(token_);
    return c;
  }

  // The database itself is sound after everything.
  void expect_sound_database(ServerProcess& server) {
    if (GetParam() == "sqlite") {
      ASSERT_EQ(server.stop(), 0) << server.output();
      auto db = storage::Database::open(url_);
      auto conn = db->acquire();
      auto rows = conn->query("PRAGMA integrity_check");
      ASSERT_EQ(rows.size(), 1u);
      EXPECT_EQ(rows[0].text(0), "ok");
      EXPECT_TRUE(conn->query("PRAGMA foreign_key_check").empty());
    } else {
      EXPECT_EQ(HttpClient(server.base_url()).get("/readyz").status, 200);
    }
  }

  TempDir dir_;
  std::unique_ptr<TestDatabase> database_;
  std::string url_;
  Environment env_;
  std::string token_;
};

TEST_P(Crash, EachAcknowledgedReferralSurvivesAKillRightAfterThe201) {
  auto server = std::make_unique<ServerProcess>(url_, env_);
  std::vector<json> acknowledged;
  for (int i = 0; i < 6; ++i) {
    SCOPED_TRACE("referral " + std::to_string(i));
    auto r = client(*server)->post_json("/api/v1/referrals",
                                        referral_body("Gezin " + std::to_string(i)).dump());
    ASSERT_EQ(r.status, 201) << r.body;
    server->kill_hard();  // at once: nothing after the answer gets a chance to run
    acknowledged.push_back(json::parse(r.body));

    server = std::make_unique<ServerProcess>(url_, env_);
    const std::string id = acknowledged.back()["id"];
    auto shown = client(*server)->get("/api/v1/referrals/" + id);
    ASSERT_EQ(shown.status, 200) << shown.body;
    EXPECT_EQ(json::parse(shown.body), acknowledged.back());
  }
  // All of them, after all the crashes.
  auto c = client(*server);
  for (const auto& a : acknowledged) {
    auto shown = c->get("/api/v1/referrals/" + a["id"].get<std::string>());
    ASSERT_EQ(shown.status, 200);
    EXPECT_EQ(json::parse(shown.body), a);
  }
  auto list = json::parse(c->get("/api/v1/referrals?limit=200").body);
  EXPECT_EQ(list["items"].size(), acknowledged.size());
  expect_sound_database(*server);
}

TEST_P(Crash, KillDuringConcurrentWritesLosesNoAcknowledgedReferral) {
  auto server = std::make_unique<ServerProcess>(url_, env_);
  std::vector<json> acknowledged;
  std::size_t sent_unanswered_bound = 0;  // requests that may have landed without an answer
  // Three rounds: four writers, a kill while all of them are writing, a restart, a check.
  for (int round = 0; round < 3; ++round) {
    SCOPED_TRACE("round " + std::to_string(round));
    std::mutex mutex;
    std::vector<std::string> unexpected;  // answers other than 201 while the server was up
    std::atomic<bool> stop{false};
    std::atomic<int> cut_off{0};
    const std::size_t target = acknowledged.size() + 30;
    std::vector<std::thread> writers;
    for (int w = 0; w < 4; ++w) {
      writers.emplace_back([&, w] {
        auto c = client(*server);
        for (int i = 0; !stop; ++i) {
          auto r = c->post_json("/api/v1/referrals",
                                referral_body("Ronde " + std::to_string(round) + " schrijver " +
                                              std::to_string(w) + " gezin " + std::to_string(i))
                                    .dump());
          std::lock_guard lock(mutex);
          if (r.status == 201) {
            acknowledged.push_back(json::parse(r.body));
          } else if (r.status == 0) {
            ++cut_off;  // the server is gone
            return;
          } else {
            unexpected.push_back(std::to_string(r.status) + " " + r.body);
          }
        }
      });
    }
    // Let the traffic build up, then kill while all four are still writing.
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(120);
    for (;;) {
      {
        std::lock_guard lock(mutex);
        if (acknowledged.size() >= target) break;
      }
      if (std::chrono::steady_clock::now() > deadline) break;
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    server->kill_hard();
    stop = true;
    for (auto& t : writers) t.join();
    sent_unanswered_bound += 4;
    EXPECT_TRUE(unexpected.empty())
        << unexpected.size()
        << " unexpected answers, first: " << (unexpected.empty() ? "" : unexpected.front())
        << "\nserver output:\n"
        << server->output();
    ASSERT_GE(acknowledged.size(), target);
    // The kill landed mid-traffic: writers were cut off, not finished.
    EXPECT_GE(cut_off.load(), 1);

    server = std::make_unique<ServerProcess>(url_, env_);
    auto c = client(*server);
    int missing = 0, changed = 0;
    for (const auto& a : acknowledged) {
      auto shown = c->get("/api/v1/referrals/" + a["id"].get<std::string>());
      if (shown.status != 200) {
        ++missing;
        continue;
      }
      if (json::parse(shown.body) != a) ++changed;
    }
    EXPECT_EQ(missing, 0) << "of " << acknowledged.size() << " acknowledged referrals";
    EXPECT_EQ(changed, 0);
    // Writes in flight at the kill may or may not have landed; nothing else appeared.
    std::size_t listed = 0;
    std::string path = "/api/v1/referrals?limit=200";
    for (int guard = 0; guard < 100; ++guard) {
      auto page = json::parse(c->get(path).body);
      listed += page["items"].size();
      if (page["next_cursor"].is_null()) break;
      path = "/api/v1/referrals?limit=200&cursor=" + page["next_cursor"].get<std::string>();
    }
    EXPECT_GE(listed, acknowledged.size());
    EXPECT_LE(listed, acknowledged.size() + sent_unanswered_bound);  // one in flight per writer
  }
  // And it keeps working: a new write after the crashes.
  EXPECT_EQ(
      client(*server)->post_json("/api/v1/referrals", referral_body("Na de crash").dump()).status,
      201);
  expect_sound_database(*server);
}

INSTANTIATE_TEST_SUITE_P(Engines, Crash, ::testing::ValuesIn(engines()));

}  // namespace
}  // namespace oploop::testing
