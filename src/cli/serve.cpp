#include "cli/serve.hpp"

#include <spdlog/spdlog.h>

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "app/app.hpp"
#include "http/server.hpp"
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
  static SystemClock clock;

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
    server.run();
  }
  spdlog::info("stopped");
  return 0;
}

}  // namespace oploop::cli
