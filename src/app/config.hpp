// Configuration from the environment (and CLI flags, which override it).
#pragma once

#include <string>

namespace oploop::app {

struct Config {
  std::string database_url = "sqlite:./data/oploop.db";  // OPLOOP_DB
  std::string listen = "127.0.0.1:8080";                 // OPLOOP_LISTEN
  std::string base_url;                                  // OPLOOP_BASE_URL; default http://<listen>
  std::string smtp_url;                        // OPLOOP_SMTP_URL; empty: mail is logged, not sent
  std::string mail_from = "oploop@localhost";  // OPLOOP_MAIL_FROM
  std::string secret_key_file;   // default: next to the SQLite file, or ./data/secret.key
  int threads = 4;               // OPLOOP_THREADS
  int jobs_interval_ms = 30000;  // OPLOOP_JOBS_INTERVAL_MS: how often serve looks for due jobs
  // Test-only knobs, honoured only when OPLOOP_ENV=test (see fake_now_allowed()):
  std::string environment;  // OPLOOP_ENV
  std::string fake_now;     // OPLOOP_FAKE_NOW: RFC 3339 UTC instant the clock starts from

  static Config from_environment();
  bool https() const { return base_url.rfind("https://", 0) == 0; }
  // The name of the session cookie: "__Host-oploop" behind TLS (the prefix requires Secure).
  std::string session_cookie() const { return https() ? "__Host-oploop" : "oploop_session"; }
  void finish();  // fills defaults that depend on other fields
  // Whether serve may start its clock at fake_now: only in a test environment, so that a
  // stray variable on a production machine can never move the clock of real cases.
  bool fake_now_allowed() const { return environment == "test" && !fake_now.empty(); }
};

}  // namespace oploop::app
