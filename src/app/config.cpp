#include "app/config.hpp"

#include <algorithm>
#include <cstdlib>
#include <filesystem>

namespace oploop::app {
namespace {
std::string env_or(const char* name, const std::string& fallback) {
  const char* v = std::getenv(name);
  return v && *v ? std::string(v) : fallback;
}
}  // namespace

Config Config::from_environment() {
  Config c;
  c.database_url = env_or("OPLOOP_DB", c.database_url);
  c.listen = env_or("OPLOOP_LISTEN", c.listen);
  c.base_url = env_or("OPLOOP_BASE_URL", "");
  c.smtp_url = env_or("OPLOOP_SMTP_URL", "");
  c.mail_from = env_or("OPLOOP_MAIL_FROM", c.mail_from);
  c.secret_key_file = env_or("OPLOOP_SECRET_KEY_FILE", "");
  try {
    c.threads = std::stoi(env_or("OPLOOP_THREADS", "4"));
  } catch (...) {
    c.threads = 4;
  }
  try {
    c.jobs_interval_ms = std::max(100, std::stoi(env_or("OPLOOP_JOBS_INTERVAL_MS", "30000")));
  } catch (...) {
    c.jobs_interval_ms = 30000;
  }
  c.environment = env_or("OPLOOP_ENV", "");
  c.fake_now = env_or("OPLOOP_FAKE_NOW", "");
  return c;
}

void Config::finish() {
  if (base_url.empty()) base_url = "http://" + listen;
  while (!base_url.empty() && base_url.back() == '/') base_url.pop_back();
  if (secret_key_file.empty()) {
    if (database_url.rfind("sqlite:", 0) == 0) {
      std::filesystem::path db = database_url.substr(7);
      secret_key_file =
          (db.parent_path().empty() ? std::filesystem::path(".") : db.parent_path()) / "secret.key";
    } else {
      secret_key_file = "./data/secret.key";
    }
  }
}

}  // namespace oploop::app
