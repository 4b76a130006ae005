// The HTTP server over real sockets: a real Server on a free port in a thread, a libcurl client,
// and raw TCP for requests no proper client sends. Also static files and the metrics exposition.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>
#include <thread>

#include "http/metrics.hpp"
#include "http/server.hpp"
#include "http/static_files.hpp"
#include "support/http_client.hpp"

namespace oploop::http {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;
using testing::HttpClient;
using testing::HttpResult;
using testing::raw_exchange;
using testing::RawConnection;

ServerOptions test_options() {
  ServerOptions o;
  o.port = 0;
  o.threads = 2;
  o.handle_signals = false;
  o.access_log = false;
  return o;
}

// A running server; stops and joins on destruction.
class RunningServer {
 public:
  RunningServer(Handler handler, ServerOptions options = test_options())
      : server_(options, std::move(handler)) {
    server_.start();
    thread_ = std::thread([this] { server_.run(); });
  }
  ~RunningServer() { stop_and_wait(); }

  // Returns how long run() took to return after stop().
  std::chrono::milliseconds stop_and_wait() {
    if (!thread_.joinable()) {
      return 0ms;
    }
    auto t0 = std::chrono::steady_clock::now();
    server_.stop();
    thread_.join();
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() -
                                                                 t0);
  }
  std::uint16_t port() const { return server_.port(); }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port()); }
  Server& server() { return server_; }

 private:
  Server server_;
  std::thread thread_;
};

int status_of(const std::string& raw) {
  // "HTTP/1.1 404 Not Found\r\n..."
  if (raw.size() < 12 || !raw.starts_with("HTTP/1.")) {
    return 0;
  }
  return std::stoi(raw.substr(9, 3));
}

int count_of(const std::string& haystack, const std::string& needle) {
  int n = 0;
  for (auto pos = haystack.find(needle); pos != std::string::npos;
       pos = haystack.find(needle, pos + 1)) {
    ++n;
  }
  return n;
}

// The handler the tests talk to; each path exercises one server behaviour.
class ServerTest : public ::testing::Test {
 protected:
  Response handle(Request& req) {
    ++calls;
    if (req.path == "/hello") {
      auto r = Response::text(200, "hallo wereld");
      r.route = "/hello";
      return r;
    }
    if (req.path.starts_with("/echo")) {
      auto r = Response::text(200, req.method + "|" + req.path + "|" + req.query + "|" + req.body +
                                       "|" + req.remote_ip);
      r.route = "/echo";
      return r;
    }
    if (req.path == "/request-id") {
      return Response::text(200, req.request_id);
    }
    if (req.path == "/throw") {
      throw std::runtime_error("secret-detail-123 of family Jansen");
    }
    if (req.path == "/slow") {
      std::this_thread::sleep_for(300ms);
      return Response::text(200, "done");
    }
    if (req.path == "/bad-header") {
      auto r = Response::text(200, "x");
      r.set_header("X-Evil", "a\r\nSet-Cookie: planted=1");
      return r;
    }
    if (req.path == "/redirect") {
      return Response::redirect("/hello");
    }
    if (req.path == "/no-content") {
      Response r;
      r.status = 204;
      return r;
    }
    if (auto r = serve_static(req, static_root, "/static/")) {
      return *r;
    }
    return Response::text(404, "niet gevonden");
  }

  Handler handler() {
    return [this](Request& r) { return handle(r); };
  }

  void SetUp() override {
    base = fs::temp_directory_path() /
           ("oploop_http_test_" + std::to_string(::getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(base);
    static_root = base / "static";
    fs::create_directories(static_root / "css");
    write(static_root / "css" / "app.css", "body{color:#123}\n");
    write(static_root / "app.3f9a0c1d.js", "console.log(1);\n");
    write(static_root / "logo.svg", "<svg xmlns='http://www.w3.org/2000/svg'/>");
    write(static_root / "font.woff2", std::string("wOF2\0\0", 6));
    write(static_root / "icon.png", "\x89PNG\r\n");
    write(static_root / "data.json", "{}");
    write(static_root / "readme.txt", "tekst");
    write(static_root / ".hidden", "hidden");
    write(base / "secret.txt", "SECRET-OUTSIDE-ROOT");
    fs::create_symlink(base / "secret.txt", static_root / "link.txt");
    fs::create_symlink(static_root / "css" / "app.css", static_root / "alias.css");
  }
  void TearDown() override { fs::remove_all(base); }

  static void write(const fs::path& p, const std::string& content) {
    std::ofstream(p, std::ios::binary) << content;
  }

  std::atomic<int> calls{0};
  fs::path base;
  fs::path static_root;
};

std::string raw_get(std::uint16_t port, const std::string& target) {
  return raw_exchange(port, "GET " + target + " HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n");
}

// ---- basics ------------------------------------------------------------------------------------

TEST_F(ServerTest, AnswersWithBodyLengthRequestIdAndNoServerVersion) {
  RunningServer s(handler());
  HttpClient client(s.url());
  HttpResult r = client.get("/hello");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, "hallo wereld");
  EXPECT_EQ(r.header("Content-Length"), "12");
  EXPECT_EQ(r.header("Content-Type"), "text/plain; charset=utf-8");
  ASSERT_TRUE(r.header("X-Request-Id"));
  EXPECT_TRUE(std::regex_match(*r.header("X-Request-Id"), std::regex("[0-9a-f]{16}")));
  EXPECT_FALSE(r.header("Server"));
  EXPECT_TRUE(r.header("Date"));
}

TEST_F(ServerTest, HeadSendsTheGetHeadersWithoutABody) {
  RunningServer s(handler());
  HttpClient client(s.url());
  HttpResult r = client.request("HEAD", "/hello");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.header("Content-Length"), "12");
  EXPECT_TRUE(r.body.empty());
  // On the wire, too: exactly one response head and nothing after it.
  std::string raw = raw_exchange(s.port(), "HEAD /hello HTTP/1.1\r\nHost: t\r\n\r\n");
  EXPECT_EQ(status_of(raw), 200);
  EXPECT_TRUE(raw.ends_with("\r\n\r\n")) << raw;
}

TEST_F(ServerTest, PassesMethodDecodedPathRawQueryBodyAndClientAddress) {
  RunningServer s(handler());
  HttpClient client(s.url());
  HttpResult r = client.request("PUT", "/echo/caf%C3%A9%20x?a=1&b=%20", "lichaam");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, "PUT|/echo/café x|a=1&b=%20|lichaam|127.0.0.1");
}

TEST_F(ServerTest, KeepAliveServesSeveralRequestsOnOneConnection) {
  RunningServer s(handler());
  RawConnection c(s.port());
  ASSERT_TRUE(c.send("GET /hello HTTP/1.1\r\nHost: t\r\n\r\n"));
  std::string first = c.read_until("hallo wereld");
  EXPECT_EQ(status_of(first), 200);
  ASSERT_TRUE(c.send("GET /echo?n=2 HTTP/1.1\r\nHost: t\r\n\r\n"));
  std::string second = c.read_until("127.0.0.1");
  EXPECT_EQ(status_of(second), 200);
  EXPECT_NE(second.find("GET|/echo|n=2||127.0.0.1"), std::string::npos);
  // Pipelined: two requests in one write, both answered in order.
  std::string both = raw_exchange(s.port(),
                                  "GET /hello HTTP/1.1\r\nHost: t\r\n\r\n"
                                  "GET /echo?n=3 HTTP/1.1\r\nHost: t\r\n\r\n");
  EXPECT_EQ(count_of(both, "HTTP/1.1 200 OK"), 2);
  EXPECT_LT(both.find("hallo wereld"), both.find("n=3"));
  EXPECT_EQ(calls.load(), 4);
}

TEST_F(ServerTest, Http10ClientsGetTheConnectionClosed) {
  RunningServer s(handler());
  std::string raw = raw_exchange(s.port(), "GET /hello HTTP/1.0\r\n\r\n");
  EXPECT_TRUE(raw.starts_with("HTTP/1.0 200")) << raw;
  EXPECT_NE(raw.find("hallo wereld"), std::string::npos);
}

TEST_F(ServerTest, RedirectAndNoContentCarryNoBody) {
  RunningServer s(handler());
  HttpClient client(s.url());
  HttpResult r = client.get("/redirect");
  EXPECT_EQ(r.status, 303);
  EXPECT_EQ(r.header("Location"), "/hello");
  EXPECT_EQ(r.header("Content-Length"), "0");
  EXPECT_TRUE(r.body.empty());
  HttpResult n = client.get("/no-content");
  EXPECT_EQ(n.status, 204);
  EXPECT_FALSE(n.header("Content-Length"));
}

TEST_F(ServerTest, ConcurrentClientsAllGetTheirAnswer) {
  RunningServer s(handler());
  std::atomic<int> ok{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&, t] {
      HttpClient client(s.url());
      for (int i = 0; i < 40; ++i) {
        auto r = client.get("/echo?t=" + std::to_string(t) + "&i=" + std::to_string(i));
        if (r.status == 200 && r.body.find("t=" + std::to_string(t) + "&i=" + std::to_string(i)) !=
                                   std::string::npos) {
          ++ok;
        }
      }
    });
  }
  for (auto& t : threads) {
    t.join();
  }
  EXPECT_EQ(ok.load(), 320);
}

// ---- limits and malformed input --------------------------------------------------------------

TEST_F(ServerTest, BodyOverTheLimitIs413AndNeverReachesTheHandler) {
  ServerOptions o = test_options();
  o.max_body_bytes = 1024;
  RunningServer s(handler(), o);
  HttpClient client(s.url());
  EXPECT_EQ(client.request("POST", "/echo", std::string(1024, 'x')).status, 200);
  HttpResult r = client.request("POST", "/echo", std::string(4096, 'x'));
  EXPECT_EQ(r.status, 413);
  EXPECT_TRUE(r.header("X-Request-Id"));
  // Chunked bodies are counted as they arrive.
  std::string chunk(2000, 'y');
  std::string raw =
      raw_exchange(s.port(),
                   "POST /echo HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n"
                   "7d0\r\n" +
                       chunk + "\r\n0\r\n\r\n");
  EXPECT_EQ(status_of(raw), 413);
  EXPECT_NE(raw.find("Connection: close"), std::string::npos);
  EXPECT_EQ(calls.load(), 1);
}

TEST_F(ServerTest, LargeBodyWithExpectContinueIsAcceptedWithoutClientDelay) {
  RunningServer s(handler());
  HttpClient client(s.url());
  std::string body(1'500'000, 'z');
  auto t0 = std::chrono::steady_clock::now();
  HttpResult r = client.request("POST", "/echo", body, {{"Expect", "100-continue"}});
  auto took = std::chrono::steady_clock::now() - t0;
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body.size(), body.size() + std::string("POST|/echo|||127.0.0.1").size());
  EXPECT_LT(took, 900ms);  // curl waits 1 s for "100 Continue" when the server stays silent
}

TEST_F(ServerTest, HugeHeadersAre431) {
  RunningServer s(handler());
  HttpClient client(s.url());
  HttpResult r = client.request("GET", "/hello", "", {{"X-Big", std::string(20000, 'a')}});
  EXPECT_EQ(r.status, 431);
  EXPECT_EQ(calls.load(), 0);
  EXPECT_EQ(client.get("/hello").status, 200);  // a fresh connection works
}

TEST_F(ServerTest, GarbageIs400AndTheConnectionCloses) {
  RunningServer s(handler());
  for (std::string bad :
       {"GARBAGE\r\n\r\n", "GET /hello HTTP/1.1\r\nBad Header\r\n\r\n",
        "GET /hello HTTP/1.1\r\nContent-Length: -1\r\n\r\n", "GET /hello HTTX/1.1\r\n\r\n",
        "\x01\x02\x03\r\n\r\n", "GET /hello HTTP/1.1\nHost: t\n\n",
        "GET /hello HTTP/1.1\r\nX-Bin: \x01\r\n\r\n",
        // Request smuggling shapes: the length must be unambiguous.
        "POST /echo HTTP/1.1\r\nContent-Length: 5\r\n"
        "Transfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
        "POST /echo HTTP/1.1\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\nabcd",
        "POST /echo HTTP/1.1\r\nTransfer-Encoding: identity\r\n\r\n",
        "POST /echo HTTP/1.1\r\nTransfer-Encoding: chunked, gzip\r\n\r\n"}) {
    std::string raw = raw_exchange(s.port(), bad);
    EXPECT_EQ(status_of(raw), 400) << bad << " -> " << raw;
    EXPECT_NE(raw.find("Connection: close"), std::string::npos);
  }
  EXPECT_EQ(calls.load(), 0);
}

TEST_F(ServerTest, BadPathEncodingIs400) {
  RunningServer s(handler());
  for (std::string target : {"/echo/%ZZ", "/echo/%", "/echo/a%00b", "/echo/%C0%AF",
                             "/echo/%ED%A0%80", "/echo/%FF", "*", "http://example.org/echo"}) {
    std::string raw = raw_get(s.port(), target);
    EXPECT_EQ(status_of(raw), 400) << target << " -> " << raw;
  }
  EXPECT_EQ(calls.load(), 0);
}

TEST_F(ServerTest, SlowRequestIsDroppedAfterTheReadTimeout) {
  ServerOptions o = test_options();
  o.read_timeout = 1s;
  RunningServer s(handler(), o);
  RawConnection c(s.port());
  ASSERT_TRUE(c.send("GET /hello HTTP/1.1\r\nHost: t\r\n"));  // never finishes the header
  auto t0 = std::chrono::steady_clock::now();
  EXPECT_TRUE(c.closed_by_peer(3s));
  EXPECT_GE(std::chrono::steady_clock::now() - t0, 800ms);
  EXPECT_EQ(calls.load(), 0);
}

TEST_F(ServerTest, IdleKeepAliveConnectionClosesAfterItsTimeout) {
  ServerOptions o = test_options();
  o.keep_alive_timeout = 1s;
  o.read_timeout = 5s;
  RunningServer s(handler(), o);
  RawConnection c(s.port());
  ASSERT_TRUE(c.send("GET /hello HTTP/1.1\r\nHost: t\r\n\r\n"));
  EXPECT_EQ(status_of(c.read_until("hallo wereld")), 200);
  EXPECT_TRUE(c.closed_by_peer(3s));
}

// ---- errors and request ids ------------------------------------------------------------------

TEST_F(ServerTest, HandlerExceptionIs500WithReferenceButNoDetails) {
  RunningServer s(handler());
  HttpClient client(s.url());
  ::testing::internal::CaptureStdout();
  HttpResult r = client.get("/throw");
  s.stop_and_wait();  // every log line is written before run() returns
  std::string log = ::testing::internal::GetCapturedStdout();
  EXPECT_EQ(r.status, 500);
  ASSERT_TRUE(r.header("X-Request-Id"));
  std::string id = *r.header("X-Request-Id");
  EXPECT_EQ(r.body, "Er ging iets mis / Something went wrong (ref " + id + ")\n");
  EXPECT_EQ(r.body.find("secret-detail"), std::string::npos);
  EXPECT_EQ(r.header("Cache-Control"), "no-store");
  // The operator finds the detail in the log under the same reference.
  EXPECT_NE(log.find("\"request_id\":\"" + id + "\""), std::string::npos) << log;
  EXPECT_NE(log.find("secret-detail-123"), std::string::npos);
}

TEST_F(ServerTest, HeaderWithLineBreakFromAHandlerBecomes500) {
  RunningServer s(handler());
  HttpClient client(s.url());
  ::testing::internal::CaptureStdout();
  HttpResult r = client.get("/bad-header");
  s.stop_and_wait();
  ::testing::internal::GetCapturedStdout();
  EXPECT_EQ(r.status, 500);
  EXPECT_FALSE(r.header("Set-Cookie"));
  EXPECT_FALSE(r.header("X-Evil"));
}

TEST_F(ServerTest, IncomingRequestIdIsKeptOnlyWhenSafe) {
  RunningServer s(handler());
  HttpClient client(s.url());
  HttpResult kept = client.request("GET", "/request-id", "", {{"X-Request-Id", "edge-42-Ab"}});
  EXPECT_EQ(kept.body, "edge-42-Ab");
  EXPECT_EQ(kept.header("X-Request-Id"), "edge-42-Ab");
  for (std::string bad :
       {std::string("a b"), std::string("x\"}"), std::string(65, 'a'), std::string("<script>")}) {
    HttpResult r = client.request("GET", "/request-id", "", {{"X-Request-Id", bad}});
    EXPECT_TRUE(std::regex_match(r.body, std::regex("[0-9a-f]{16}"))) << bad << " -> " << r.body;
  }
  HttpResult a = client.get("/request-id");
  HttpResult b = client.get("/request-id");
  EXPECT_NE(a.body, b.body);
}

TEST_F(ServerTest, AccessLogHasRouteStatusAndDurationButNoQueryOrAddress) {
  ServerOptions o = test_options();
  o.access_log = true;
  RunningServer s(handler(), o);
  HttpClient client(s.url());
  ::testing::internal::CaptureStdout();
  HttpResult r = client.get("/echo?bsn=123456782&naam=Jansen");
  HttpResult missing = client.get("/nowhere/jansen");
  s.stop_and_wait();
  std::string log = ::testing::internal::GetCapturedStdout();
  EXPECT_EQ(r.status, 200);
  std::istringstream lines(log);
  std::string line;
  std::vector<std::string> requests;
  while (std::getline(lines, line)) {
    if (line.find("\"msg\":\"request\"") != std::string::npos) {
      requests.push_back(line);
    }
  }
  ASSERT_EQ(requests.size(), 2u) << log;
  std::regex shape(
      R"(\{"ts":"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z","level":"info","msg":"request",)"
      R"("method":"GET","route":"/echo","status":200,"ms":\d+\.\d{3},"bytes":\d+,)"
      R"("request_id":"[0-9a-f]{16}"\})");
  EXPECT_TRUE(std::regex_match(requests[0], shape)) << requests[0];
  EXPECT_NE(requests[1].find("\"route\":\"unmatched\",\"status\":404"), std::string::npos);
  EXPECT_EQ(log.find("123456782"), std::string::npos);
  EXPECT_EQ(log.find("jansen"), std::string::npos);
  EXPECT_EQ(log.find("127.0.0.1"), std::string::npos);
}

// ---- stopping ----------------------------------------------------------------------------------

TEST_F(ServerTest, StopLetsAnInFlightRequestFinish) {
  RunningServer s(handler());
  HttpResult slow;
  std::thread client_thread([&] {
    HttpClient client(s.url());
    slow = client.get("/slow");
  });
  while (calls.load() == 0) {
    std::this_thread::sleep_for(5ms);  // the handler is sleeping now
  }
  auto took = s.stop_and_wait();
  client_thread.join();
  EXPECT_EQ(slow.status, 200);
  EXPECT_EQ(slow.body, "done");
  EXPECT_EQ(slow.header("Connection"), "close");
  EXPECT_LT(took, 2s);
  HttpClient late(s.url());
  EXPECT_EQ(late.get("/hello").status, 0);  // no longer accepting
}

TEST_F(ServerTest, StopClosesIdleKeepAliveConnectionsAtOnce) {
  RunningServer s(handler());
  RawConnection idle(s.port());
  ASSERT_TRUE(idle.send("GET /hello HTTP/1.1\r\nHost: t\r\n\r\n"));
  EXPECT_EQ(status_of(idle.read_until("hallo wereld")), 200);
  RawConnection silent(s.port());  // connected, never sent a byte
  std::this_thread::sleep_for(50ms);
  auto took = s.stop_and_wait();
  EXPECT_LT(took, 1s);
  EXPECT_TRUE(idle.closed_by_peer(1s));
  EXPECT_TRUE(silent.closed_by_peer(1s));
}

TEST_F(ServerTest, SigtermStopsTheServer) {
  ServerOptions o = test_options();
  o.handle_signals = true;
  Server server(o, handler());
  server.start();
  std::atomic<bool> returned{false};
  std::thread t([&] {
    server.run();
    returned = true;
  });
  HttpClient client("http://127.0.0.1:" + std::to_string(server.port()));
  EXPECT_EQ(client.get("/hello").status, 200);
  ::kill(::getpid(), SIGTERM);
  for (int i = 0; i < 200 && !returned; ++i) {
    std::this_thread::sleep_for(10ms);
  }
  EXPECT_TRUE(returned.load());
  if (!returned) {
    server.stop();
  }
  t.join();
}

// ---- static files ------------------------------------------------------------------------------

TEST_F(ServerTest, StaticFileWithTypeEtagAndShortCache) {
  RunningServer s(handler());
  HttpClient client(s.url());
  HttpResult r = client.get("/static/css/app.css");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, "body{color:#123}\n");
  EXPECT_EQ(r.header("Content-Type"), "text/css; charset=utf-8");
  EXPECT_EQ(r.header("Content-Length"), "17");
  EXPECT_EQ(r.header("Cache-Control"), "public, max-age=3600");
  EXPECT_EQ(r.header("X-Content-Type-Options"), "nosniff");
  ASSERT_TRUE(r.header("ETag"));
  EXPECT_TRUE(std::regex_match(*r.header("ETag"), std::regex("\"[0-9a-f]+-[0-9a-f]+\"")));

  HttpResult head = client.request("HEAD", "/static/css/app.css");
  EXPECT_EQ(head.status, 200);
  EXPECT_EQ(head.header("Content-Length"), "17");
  EXPECT_TRUE(head.body.empty());
  EXPECT_EQ(head.header("ETag"), r.header("ETag"));
}

TEST_F(ServerTest, StaticFileUnchangedIs304) {
  RunningServer s(handler());
  HttpClient client(s.url());
  std::string etag = *client.get("/static/css/app.css").header("ETag");
  for (std::string inm : {etag, "\"other\", " + etag, "W/" + etag, std::string("*")}) {
    HttpResult r = client.request("GET", "/static/css/app.css", "", {{"If-None-Match", inm}});
    EXPECT_EQ(r.status, 304) << inm;
    EXPECT_TRUE(r.body.empty());
    EXPECT_EQ(r.header("ETag"), etag);
  }
  EXPECT_EQ(
      client.request("GET", "/static/css/app.css", "", {{"If-None-Match", "\"stale\""}}).status,
      200);
  // A changed file gets a new ETag.
  std::this_thread::sleep_for(20ms);
  write(static_root / "css" / "app.css", "body{color:#456;margin:0}\n");
  EXPECT_NE(client.get("/static/css/app.css").header("ETag"), etag);
}

TEST_F(ServerTest, VersionedStaticUrlsAreImmutable) {
  RunningServer s(handler());
  HttpClient client(s.url());
  const std::string immutable = "public, max-age=31536000, immutable";
  EXPECT_EQ(client.get("/static/app.3f9a0c1d.js").header("Cache-Control"), immutable);
  EXPECT_EQ(client.get("/static/css/app.css?v=20240501").header("Cache-Control"), immutable);
  EXPECT_EQ(client.get("/static/css/app.css?v=").header("Cache-Control"), "public, max-age=3600");
  EXPECT_EQ(client.get("/static/app.3f9a0c1d.js").header("Content-Type"),
            "text/javascript; charset=utf-8");
}

TEST_F(ServerTest, StaticContentTypesFollowTheExtension) {
  RunningServer s(handler());
  HttpClient client(s.url());
  EXPECT_EQ(client.get("/static/logo.svg").header("Content-Type"), "image/svg+xml; charset=utf-8");
  EXPECT_EQ(client.get("/static/font.woff2").header("Content-Type"), "font/woff2");
  EXPECT_EQ(client.get("/static/icon.png").header("Content-Type"), "image/png");
  EXPECT_EQ(client.get("/static/data.json").header("Content-Type"),
            "application/json; charset=utf-8");
  EXPECT_EQ(client.get("/static/readme.txt").header("Content-Type"), "text/plain; charset=utf-8");
  EXPECT_EQ(client.get("/static/font.woff2").body.size(), 6u);
  EXPECT_EQ(content_type_for("x.ICO"), "image/x-icon");
  EXPECT_EQ(content_type_for("x.unknown"), "application/octet-stream");
  // A symlink that stays inside the root is fine.
  EXPECT_EQ(client.get("/static/alias.css").status, 200);
}

TEST_F(ServerTest, StaticTraversalHiddenFilesAndDirectoriesAre404) {
  RunningServer s(handler());
  for (std::string target :
       {"/static/../secret.txt", "/static/%2e%2e/secret.txt", "/static/%2E%2E%2Fsecret.txt",
        "/static/css/..%2f..%2fsecret.txt", "/static/css/%2e%2e/%2e%2e/secret.txt",
        "/static/link.txt", "/static/.hidden", "/static/css", "/static/css/", "/static/",
        "/static//css/app.css", "/static/./css/app.css", "/static/css\\..\\..\\secret.txt",
        "/static/nope.css"}) {
    std::string raw = raw_get(s.port(), target);
    EXPECT_EQ(status_of(raw), 404) << target << " -> " << raw;
    EXPECT_EQ(raw.find("SECRET"), std::string::npos) << target;
  }
}

TEST_F(ServerTest, StaticRefusesOtherMethods) {
  RunningServer s(handler());
  HttpClient client(s.url());
  HttpResult r = client.request("POST", "/static/css/app.css", "x=1");
  EXPECT_EQ(r.status, 405);
  EXPECT_EQ(r.header("Allow"), "GET, HEAD");
}

TEST(ServeStatic, IgnoresPathsOutsideThePrefix) {
  Request req;
  req.method = "GET";
  req.path = "/staticfoo/app.css";
  EXPECT_FALSE(serve_static(req, fs::temp_directory_path(), "/static"));
  req.path = "/other";
  EXPECT_FALSE(serve_static(req, fs::temp_directory_path(), "/static/"));
}

// ---- metrics -----------------------------------------------------------------------------------

TEST_F(ServerTest, ServedRequestsAppearInTheMetrics) {
  RunningServer s(handler());
  HttpClient client(s.url());
  client.get("/hello");
  client.get("/hello");
  client.get("/unknown-path-for-metrics");
  s.stop_and_wait();
  std::string text = Metrics::instance().render();
  std::smatch m;
  ASSERT_TRUE(std::regex_search(
      text, m,
      std::regex(
          R"(oploop_http_requests_total\{method="GET",route="/hello",status="200"\} (\d+))")))
      << text;
  EXPECT_GE(std::stoi(m[1]), 2);
  EXPECT_NE(
      text.find("oploop_http_requests_total{method=\"GET\",route=\"unmatched\",status=\"404\"}"),
      std::string::npos);
  EXPECT_NE(text.find("oploop_http_request_duration_seconds_bucket{route=\"/hello\",le=\"+Inf\"}"),
            std::string::npos);
  EXPECT_NE(text.find("oploop_http_request_duration_seconds_count{route=\"/hello\"}"),
            std::string::npos);
  // The raw path never becomes a label.
  EXPECT_EQ(text.find("unknown-path-for-metrics"), std::string::npos);
}

TEST(Metrics, HistogramBucketsAreCumulative) {
  auto& metrics = Metrics::instance();
  metrics.record("GET", "/bucket-test", 200, 0.003);
  metrics.record("GET", "/bucket-test", 200, 0.2);
  metrics.record("GET", "/bucket-test", 200, 7.0);
  std::string text = metrics.render();
  auto bucket = [&](const std::string& le) {
    std::smatch m;
    std::regex re("oploop_http_request_duration_seconds_bucket\\{route=\"/bucket-test\",le=\"" +
                  std::regex_replace(le, std::regex(R"([.+])"), R"(\$&)") + "\"\\} (\\d+)");
    return std::regex_search(text, m, re) ? std::stoi(m[1]) : -1;
  };
  EXPECT_EQ(bucket("0.001"), 0);
  EXPECT_EQ(bucket("0.0025"), 0);
  EXPECT_EQ(bucket("0.005"), 1);
  EXPECT_EQ(bucket("0.1"), 1);
  EXPECT_EQ(bucket("0.25"), 2);
  EXPECT_EQ(bucket("2.5"), 2);
  EXPECT_EQ(bucket("+Inf"), 3);
  EXPECT_NE(text.find("oploop_http_request_duration_seconds_sum{route=\"/bucket-test\"} 7.203"),
            std::string::npos);
  EXPECT_NE(text.find("oploop_http_request_duration_seconds_count{route=\"/bucket-test\"} 3"),
            std::string::npos);
}

TEST(Metrics, LabelsAreEscapedAndOddMethodsFolded) {
  auto& metrics = Metrics::instance();
  metrics.record("BREW", "/odd\"route\\with\nnewline", 418, 0.01);
  std::string text = metrics.render();
  EXPECT_NE(
      text.find(
          R"(oploop_http_requests_total{method="other",route="/odd\"route\\with\nnewline",status="418"} 1)"),
      std::string::npos)
      << text;
  EXPECT_EQ(text.find("BREW"), std::string::npos);
}

TEST(Metrics, GaugesAndProcessFigures) {
  auto& metrics = Metrics::instance();
  metrics.set_gauge("oploop_db_up", 1);
  metrics.set_gauge("bad name{}", 5);             // ignored
  metrics.set_gauge("process_open_fds", 123456);  // ours; ignored
  std::string text = metrics.render();
  EXPECT_NE(text.find("# TYPE oploop_db_up gauge\noploop_db_up 1\n"), std::string::npos);
  EXPECT_EQ(text.find("bad name"), std::string::npos);
  EXPECT_EQ(text.find("123456"), std::string::npos);
  std::smatch m;
  ASSERT_TRUE(std::regex_search(text, m, std::regex(R"(\nprocess_resident_memory_bytes (\d+)\n)")));
  EXPECT_GT(std::stod(m[1]), 1e6);
  ASSERT_TRUE(std::regex_search(text, m, std::regex(R"(\nprocess_open_fds (\d+)\n)")));
  EXPECT_GT(std::stoi(m[1]), 2);
}

TEST(Metrics, ExpositionIsWellFormed) {
  Metrics::instance().record("GET", "/wellformed", 200, 0.02);
  std::string text = Metrics::instance().render();
  ASSERT_TRUE(text.ends_with("\n"));
  std::istringstream lines(text);
  std::string line;
  std::regex comment(R"(# (HELP|TYPE) [a-zA-Z_:][a-zA-Z0-9_:]* .+)");
  std::regex sample(
      R"([a-zA-Z_:][a-zA-Z0-9_:]*(\{[a-zA-Z_][a-zA-Z0-9_]*="([^"\\\n]|\\.)*"(,[a-zA-Z_][a-zA-Z0-9_]*="([^"\\\n]|\\.)*")*\})? ([-+]?[0-9.eE+-]+|[+-]Inf|NaN))");
  int samples = 0;
  while (std::getline(lines, line)) {
    if (line.starts_with("#")) {
      EXPECT_TRUE(std::regex_match(line, comment)) << line;
    } else {
      EXPECT_TRUE(std::regex_match(line, sample)) << line;
      ++samples;
    }
  }
  EXPECT_GT(samples, 10);
}

}  // namespace
}  // namespace oploop::http
