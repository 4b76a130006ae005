#include "cli/serve.hpp"

#include <spdlog/spdlog.h>
#include <unistd.h>

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "app/app.hpp"
#include "concerns/urgent_mail.hpp"
#include "core/random.hpp"
#include "http/server.hpp"
#include "jobs/standard_jobs.hpp"
#include "mail/outbox.hpp"
#include "storage/migrations.hpp"

namespace oploop::cli {
namespace {

struct Listen {
  std::string host;
  std::uint16_t port = 0;
};

std::optional<Listen> parse_listen(const std::string& s) {
  const auto colon = s.rfind(':');
  if (colon == std::string::npos || colon == 0) return std::nullopt;
  try {
    const int port = std::stoi(s.substr(colon + 1));
    if (port < 0 || port > 65535) return std::nullopt;
    return Listen{s.substr(0, colon), static_cast<std::uint16_t>(port)};
  } catch (const std::exception&) {
    return std::nullopt;
  }
}

// Sends queued mail every few seconds until stopped.
class MailWorker {
 public:
  explicit MailWorker(app::App& app) : app_(app), thread_([this] { loop(); }) {}
  ~MailWorker() {
    {
      std::lock_guard lock(mutex_);
      stop_ = true;
    }
    wake_.notify_all();
    thread_.join();
  }

 private:
  void loop() {
    std::unique_lock lock(mutex_);
    while (!stop_) {
      lock.unlock();
      try {
        mail::deliver_pending(app_.db(), app_.mailer(), app_.clock());
      } catch (const std::exception& e) {
        spdlog::warn("mail worker: {}", e.what());
      }
      lock.lock();
      wake_.wait_for(lock, std::chrono::seconds(2), [this] { return stop_; });
    }
  }
  app::App& app_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stop_ = false;
  std::thread thread_;
};

// Runs the scheduled jobs (jobs/standard_jobs.hpp) and the escalation of unacknowledged urgent
// concerns every config.jobs_interval_ms until stopped. Both are exactly-once across processes
// on one database, so every process runs this worker.
class JobsWorker {
 public:
  explicit JobsWorker(app::App& app)
      : app_(app),
        scheduler_(jobs::standard_jobs(app.config())),
        owner_(owner_name()),
        thread_([this] { loop(); }) {}
  ~JobsWorker() {
    {
      std::lock_guard lock(mutex_);
      stop_ = true;
    }
    wake_.notify_all();
    thread_.join();
  }

 private:
  // Unique per process: the host, the process id and a random part (a pid can come back).
  static std::string owner_name() {
    char host[256] = {};
    if (::gethostname(host, sizeof host - 1) != 0) host[0] = '\0';
    return std::string(host) + ":" + std::to_string(::getpid()) + ":" + new_id();
  }
  void run_once() {
    try {
      for (const auto& name : scheduler_.run_due(app_.db(), app_.clock(), owner_).ran)
        spdlog::info("job {} ran", name);
    } catch (const std::exception& e) {
      spdlog::warn("jobs worker: {}", e.what());
    }
    try {
      // Its own transaction per concern: a connection that is not inside one.
      auto conn = app_.db().acquire();
      if (int n = concerns::escalate_unacknowledged_concerns(*conn, app_.clock(),
                                                             app_.config().base_url))
        spdlog::info("urgent concerns escalated: {}", n);
    } catch (const std::exception& e) {
      spdlog::warn("concern escalation: {}", e.what());
    }
  }
  void loop() {
    std::unique_lock lock(mutex_);
    while (!stop_) {
      lock.unlock();
      run_once();
      lock.lock();
      wake_.wait_for(lock, std::chrono::milliseconds(app_.config().jobs_interval_ms),
                     [this] { return stop_; });
    }
  }
  app::App& app_;
  jobs::Scheduler scheduler_;
  std::string owner_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stop_ = false;
  std::thread thread_;
};

// A clock that starts at a given instant and then runs at the pace of the system clock, for
// tests of whole server processes (OPLOOP_FAKE_NOW, honoured only with OPLOOP_ENV=test).
class ShiftedClock final : public Clock {
 public:
  explicit ShiftedClock(TimePoint start) : offset_(start - std::chrono::system_clock::now()) {}
  TimePoint now() const override { return std::chrono::system_clock::now() + offset_; }

 private:
  std::chrono::system_clock::duration offset_;
};

}  // namespace

int serve(app::Config config) {
  auto listen = parse_listen(config.listen);
  if (!listen) {
    spdlog::error("--listen must look like 127.0.0.1:8080");
    return 2;
  }
  auto db = storage::Database::open(config.database_url);
  auto report = storage::migrate(*db);
  for (const auto& name : report.applied) spdlog::info("migration applied: {}", name);
  static SystemClock system_clock;
  std::unique_ptr<ShiftedClock> test_clock;
  if (!config.fake_now.empty() && !config.fake_now_allowed())
    spdlog::warn("OPLOOP_FAKE_NOW is ignored: it is honoured only with OPLOOP_ENV=test");
  if (config.fake_now_allowed()) {
    try {
      test_clock = std::make_unique<ShiftedClock>(parse_rfc3339(config.fake_now));
    } catch (const std::exception&) {
      spdlog::error("OPLOOP_FAKE_NOW must be an RFC 3339 instant like 2026-11-23T07:30:00Z");
      return 2;
    }
    spdlog::warn("test clock: the time starts at {}", config.fake_now);
  }
  const Clock& clock = test_clock ? static_cast<const Clock&>(*test_clock) : system_clock;

  http::ServerOptions options;
  options.address = listen->host;
  options.port = listen->port;
  options.threads = std::max(1, config.threads);
  std::unique_ptr<app::App> app;
  http::Server server(options, [&app](http::Request& r) { return app->handle(r); });
  server.start();
  if (config.base_url.empty())
    config.base_url = "http://" + listen->host + ":" + std::to_string(server.port());
  app = std::make_unique<app::App>(config, std::move(db), clock);
  spdlog::info("Oploop {} listening on http://{}:{}", OPLOOP_VERSION, listen->host, server.port());
  {
    MailWorker mail_worker(*app);
    JobsWorker jobs_worker(*app);
    server.run();
  }
  spdlog::info("stopped");
  return 0;
}

}  // namespace oploop::cli
