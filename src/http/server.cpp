// The HTTP/1.1 server on Boost.Beast. This is the only translation unit that includes Beast or
// Asio (they are slow to compile), so everything else speaks http::Request and http::Response.
//
// Shape: one io_context run by ServerOptions::threads threads; one strand per connection, so a
// connection's handlers never run concurrently while connections run in parallel. The Handler
// is called on the connection's strand and may block (database calls): a slow handler holds one
// pool thread, never the others.
//
// Limits answer before any handler runs: headers over max_header_bytes → 431, a body over
// max_body_bytes → 413, a malformed message → 400; each closes the connection after a short
// lingering drain so the client reads the answer instead of a reset. The whole request must
// arrive within read_timeout (slowloris); an idle keep-alive connection is closed after
// keep_alive_timeout.
//
// Stopping (stop() or SIGTERM/SIGINT): stop accepting, close idle connections, let requests in
// progress finish and answer with "Connection: close"; after kShutdownGrace the remaining
// sockets are closed. A handler that never returns cannot be interrupted: run() waits for it.
#include "http/server.hpp"

#include <array>
#include <atomic>
#include <boost/asio/bind_executor.hpp>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <ctime>
#include <exception>
#include <mutex>
#include <optional>
#include <random>
#include <string_view>
#include <thread>
#include <unordered_map>
#include <vector>

#include "http/metrics.hpp"

namespace oploop::http {
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
namespace net = boost::asio;
using tcp = net::ip::tcp;
using SteadyClock = std::chrono::steady_clock;

namespace {

constexpr auto kShutdownGrace = std::chrono::seconds(10);
constexpr auto kShutdownPoll = std::chrono::milliseconds(20);
constexpr auto kLingerTime = std::chrono::seconds(2);
constexpr std::size_t kLingerMaxBytes = 1 << 20;
constexpr auto kMinWriteTimeout = std::chrono::seconds(30);
constexpr auto kAcceptRetry = std::chrono::milliseconds(100);
constexpr std::size_t kFirstReadBytes = 4096;

// ---- small pure helpers ----------------------------------------------------------------------

std::string new_request_id() {
  // A correlation id, not a secret: a per-thread PRNG seeded from the OS is enough.
  thread_local std::mt19937_64 rng{[] {
    std::random_device rd;
    return (static_cast<std::uint64_t>(rd()) << 32) ^ rd();
  }()};
  static constexpr char kHex[] = "0123456789abcdef";
  std::uint64_t v = rng();
  std::string id(16, '0');
  for (char& c : id) {
    c = kHex[v & 0xF];
    v >>= 4;
  }
  return id;
}

// An id a proxy in front of us assigned; accepted only when it cannot smuggle anything into logs.
bool is_acceptable_request_id(std::string_view id) {
  if (id.empty() || id.size() > 64) {
    return false;
  }
  for (char c : id) {
    bool ok =
        (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-';
    if (!ok) {
      return false;
    }
  }
  return true;
}

bool is_token(std::string_view s) {
  if (s.empty()) {
    return false;
  }
  for (char c : s) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
    if (!ok) {
      return false;
    }
  }
  return true;
}

// No control characters but HTAB: CR or LF here would let a value inject headers.
bool is_field_value(std::string_view s) {
  for (char ch : s) {
    auto c = static_cast<unsigned char>(ch);
    if ((c < 0x20 && c != '\t') || c == 0x7F) {
      return false;
    }
  }
  return true;
}

std::string_view sv(beast::string_view s) { return {s.data(), s.size()}; }

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) {
    return false;
  }
  for (std::size_t i = 0; i < a.size(); ++i) {
    auto x = static_cast<unsigned char>(a[i]);
    auto y = static_cast<unsigned char>(b[i]);
    if (x >= 'A' && x <= 'Z') {
      x += 32;
    }
    if (y >= 'A' && y <= 'Z') {
      y += 32;
    }
    if (x != y) {
      return false;
    }
  }
  return true;
}

std::string json_escape(std::string_view s) {
  std::string out;
  out.reserve(s.size() + 2);
  for (char ch : s) {
    auto c = static_cast<unsigned char>(ch);
    switch (ch) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (c < 0x20 || c == 0x7F) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\u%04x", c);
          out += buf;
        } else {
          out += ch;
        }
    }
  }
  return out;
}

std::tm utc_tm(std::chrono::system_clock::time_point t) {
  std::time_t secs = std::chrono::system_clock::to_time_t(t);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  return tm;
}

std::string iso_timestamp(std::chrono::system_clock::time_point t) {
  std::tm tm = utc_tm(t);
  auto ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count() % 1000;
  char buf[64];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900,
                tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, static_cast<int>(ms));
  return buf;
}

// IMF-fixdate (RFC 9110 §5.6.7), spelled out so the C locale cannot change it.
std::string http_date(std::chrono::system_clock::time_point t) {
  static constexpr const char* kDays[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
  static constexpr const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                            "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  std::tm tm = utc_tm(t);
  char buf[64];
  std::snprintf(buf, sizeof buf, "%s, %02d %s %04d %02d:%02d:%02d GMT", kDays[tm.tm_wday % 7],
                tm.tm_mday, kMonths[tm.tm_mon % 12], tm.tm_year + 1900, tm.tm_hour, tm.tm_min,
                tm.tm_sec);
  return buf;
}

void write_log_line(const std::string& line) {
  static std::mutex mutex;
  std::lock_guard lock(mutex);
  std::fwrite(line.data(), 1, line.size(), stdout);
  std::fflush(stdout);
}

void log_error(std::string_view msg, std::string_view request_id, std::string_view detail) {
  std::string line = "{\"ts\":\"" + iso_timestamp(std::chrono::system_clock::now()) +
                     "\",\"level\":\"error\",\"msg\":\"" + json_escape(msg) + "\"";
  if (!request_id.empty()) {
    line += ",\"request_id\":\"" + json_escape(request_id) + "\"";
  }
  if (!detail.empty()) {
    line += ",\"error\":\"" + json_escape(detail.substr(0, 300)) + "\"";
  }
  line += "}\n";
  write_log_line(line);
}

// Splits an origin-form target into the decoded path and the raw query. nullopt when the path
// is not origin-form, is badly encoded, contains NUL or is not UTF-8.
std::optional<std::pair<std::string, std::string>> split_target(std::string_view target) {
  if (target.empty() || target.front() != '/') {
    return std::nullopt;
  }
  auto q = target.find('?');
  std::string_view raw_path = target.substr(0, q);
  std::string query = q == std::string_view::npos ? "" : std::string(target.substr(q + 1));
  auto path = percent_decode(raw_path, /*plus_is_space=*/false);
  if (!path || path->find('\0') != std::string::npos || !is_valid_utf8(*path)) {
    return std::nullopt;
  }
  return std::make_pair(std::move(*path), std::move(query));
}

std::string_view error_text(int status) {
  switch (status) {
    case 400:
      return "Ongeldig verzoek / Bad request\n";
    case 404:
      return "Niet gevonden / Not found\n";
    case 413:
      return "Verzoek te groot / Payload too large\n";
    case 431:
      return "Headers te groot / Request header fields too large\n";
    default:
      return "Er ging iets mis / Something went wrong\n";
  }
}

// An answer the server writes itself (limits, parse errors, failures): plain text that no
// browser may sniff, cache, frame or run anything in. These bypass the application's own
// header layer, so they carry their own.
Response server_answer(int status, std::string body) {
  Response r = Response::text(status, std::move(body));
  r.set_header("X-Content-Type-Options", "nosniff");
  r.set_header("Cache-Control", "no-store");
  r.set_header("Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'");
  return r;
}

Response server_answer(int status) {
  return server_answer(status, std::string(error_text(status)));
}

Response internal_error(const std::string& request_id) {
  return server_answer(500, "Er ging iets mis / Something went wrong (ref " + request_id + ")\n");
}

// The server decides framing; a handler's own framing headers would contradict it.
bool is_framing_header(const std::string& name) {
  return iequals(name, "Content-Length") || iequals(name, "Transfer-Encoding") ||
         iequals(name, "Connection");
}

// Why a Response cannot be sent as is; empty when it can.
std::string response_problem(const Response& r) {
  if (r.status < 200 || r.status > 599) {
    return "status out of range";
  }
  for (const auto& [name, value] : r.headers) {
    if (!is_token(name) || !is_field_value(value)) {
      return "invalid header " + json_escape(name);
    }
  }
  return {};
}

// What the access log and the metrics need about one exchange.
struct Exchange {
  std::string method = "-";
  std::string route = "unmatched";
  int status = 0;
  std::size_t bytes = 0;
  std::string request_id;
  SteadyClock::time_point started = SteadyClock::now();
};

enum class AfterWrite { keep_alive, close, linger };

}  // namespace

// ---- server state --------------------------------------------------------------------------

// Named (not anonymous) so Server::Impl may derive from it without a linkage warning.
namespace server_detail {

class Session;

class ServerCore {
 public:
  ServerCore(ServerOptions o, Handler h)
      : options(std::move(o)),
        handler(std::move(h)),
        control(net::make_strand(ioc)),
        acceptor(control),
        grace_timer(control),
        accept_retry_timer(control) {}

  void do_accept();
  void on_accept(beast::error_code ec, tcp::socket socket);
  void begin_stop();
  void poll_shutdown();
  bool register_session(const std::shared_ptr<Session>& s);
  void unregister_session(Session* s);
  std::vector<std::shared_ptr<Session>> live_sessions();
  void finish(const Exchange& ex);

  ServerOptions options;
  Handler handler;
  std::atomic<bool> stopping{false};

  // Declared before the io_context: sessions destroyed with its pending handlers unregister here.
  std::mutex sessions_mutex;
  std::unordered_map<Session*, std::weak_ptr<Session>> sessions;

  net::io_context ioc;
  net::strand<net::io_context::executor_type> control;  // acceptor, signals, shutdown timer
  tcp::acceptor acceptor;
  std::optional<net::signal_set> signals;
  net::steady_timer grace_timer;
  net::steady_timer accept_retry_timer;
  SteadyClock::time_point shutdown_deadline{};
  bool forced_close = false;
  bool started = false;
  std::uint16_t port = 0;
};

// ---- one connection ------------------------------------------------------------------------

class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(ServerCore& server, tcp::socket&& socket, std::string remote_ip)
      : server_(server), stream_(std::move(socket)), remote_ip_(std::move(remote_ip)) {}
  ~Session() { server_.unregister_session(this); }

  void start() {
    net::dispatch(stream_.get_executor(),
                  [self = shared_from_this()] { self->wait_for_request(); });
  }

  // Both run on this connection's strand (posted there by the server).
  void on_server_stop() {
    if (phase_ == Phase::idle) {
      close();
    }
  }
  void force_close() { close(); }

  net::any_io_executor executor() { return stream_.get_executor(); }

 private:
  enum class Phase { idle, reading, handling, writing, closing };

  void wait_for_request() {
    if (server_.stopping) {
      return close();
    }
    parser_.emplace();
    parser_->header_limit(static_cast<std::uint32_t>(
        std::min<std::size_t>(server_.options.max_header_bytes, UINT32_MAX)));
    parser_->body_limit(server_.options.max_body_bytes);
    exchange_ = Exchange{};
    if (buffer_.size() > 0) {  // a pipelined request is already here
      phase_ = Phase::reading;
      return read_header();
    }
    // Waiting for the first byte is "idle": a stop may close the connection now, and the
    // keep-alive timeout (not the read timeout) applies between requests.
    phase_ = Phase::idle;
    stream_.expires_after(first_request_ ? server_.options.read_timeout
                                         : server_.options.keep_alive_timeout);
    stream_.async_read_some(
        buffer_.prepare(kFirstReadBytes),
        beast::bind_front_handler(&Session::on_first_bytes, shared_from_this()));
  }

  void on_first_bytes(beast::error_code ec, std::size_t n) {
    buffer_.commit(n);
    if (ec || phase_ == Phase::closing) {
      return close();
    }
    phase_ = Phase::reading;
    exchange_.started = SteadyClock::now();
    read_header();
  }

  void read_header() {
    first_request_ = false;
    stream_.expires_after(server_.options.read_timeout);
    bhttp::async_read_header(stream_, buffer_, *parser_,
                             beast::bind_front_handler(&Session::on_header, shared_from_this()));
  }

  void on_header(beast::error_code ec, std::size_t) {
    if (ec) {
      return on_read_error(ec);
    }
    auto& req = parser_->get();
    // RFC 9112 §6.3: a request whose last transfer coding is not chunked has no knowable
    // length; answering it would let a proxy in front of us and us disagree (smuggling).
    if (req.count(bhttp::field::transfer_encoding) > 0 && !parser_->chunked()) {
      return send_error(400);
    }
    auto expect = req[bhttp::field::expect];
    if (req.version() >= 11 && iequals(sv(expect), "100-continue") && !parser_->is_done()) {
      auto interim = std::make_shared<bhttp::response<bhttp::empty_body>>(bhttp::status::continue_,
                                                                          req.version());
      bhttp::async_write(stream_, *interim,
                         [self = shared_from_this(), interim](beast::error_code wec, std::size_t) {
                           if (wec) {
                             return self->close();
                           }
                           self->read_body();
                         });
      return;
    }
    read_body();
  }

  void read_body() {
    if (parser_->is_done()) {
      return on_request({}, 0);
    }
    bhttp::async_read(stream_, buffer_, *parser_,
                      beast::bind_front_handler(&Session::on_request, shared_from_this()));
  }

  void on_read_error(beast::error_code ec) {
    if (ec == bhttp::error::header_limit) {
      return send_error(431);
    }
    if (ec == bhttp::error::body_limit) {
      return send_error(413);
    }
    // The client went away, was too slow, or we closed it: nothing to answer.
    if (ec == bhttp::error::end_of_stream || ec == bhttp::error::partial_message ||
        ec == net::error::eof || ec == net::error::operation_aborted ||
        ec == beast::error::timeout || ec == net::error::connection_reset ||
        ec == net::error::broken_pipe || phase_ == Phase::closing) {
      return close();
    }
    send_error(400);
  }

  void on_request(beast::error_code ec, std::size_t) {
    if (ec) {
      return on_read_error(ec);
    }
    stream_.expires_never();
    phase_ = Phase::handling;
    auto& breq = parser_->get();

    Request req;
    req.method = std::string(breq.method_string());
    req.target = std::string(breq.target());
    req.remote_ip = remote_ip_;
    for (const auto& field : breq) {
      req.headers.emplace(std::string(field.name_string()), std::string(field.value()));
    }
    auto incoming_id = req.header("X-Request-Id");
    req.request_id =
        incoming_id && is_acceptable_request_id(*incoming_id) ? *incoming_id : new_request_id();
    req.body = std::move(breq.body());
    const bool head = breq.method() == bhttp::verb::head;
    const bool keep_alive = breq.keep_alive();
    const unsigned version = breq.version();

    exchange_.method = req.method.substr(0, 32);
    exchange_.request_id = req.request_id;

    Response res;
    if (auto split = split_target(req.target)) {
      req.path = std::move(split->first);
      req.query = std::move(split->second);
      res = call_handler(req);
    } else {
      res = server_answer(400);
    }
    send(std::move(res), head, version,
         keep_alive && !server_.stopping ? AfterWrite::keep_alive : AfterWrite::close);
  }

  Response call_handler(Request& req) {
    try {
      return server_.handler(req);
    } catch (const std::exception& e) {
      log_error("handler exception", req.request_id, e.what());
    } catch (...) {
      log_error("handler exception", req.request_id, "non-standard exception");
    }
    return internal_error(req.request_id);
  }

  // A limit or parse failure: answer, then close (after draining what the client still sends).
  void send_error(int status) {
    if (parser_ && parser_->is_header_done()) {
      exchange_.method = std::string(parser_->get().method_string()).substr(0, 32);
    }
    exchange_.request_id = new_request_id();
    send(server_answer(status), /*head=*/false, 11, AfterWrite::linger);
  }

  template <class Body>
  std::shared_ptr<bhttp::response<Body>> make_message(const Response& r, unsigned version,
                                                      bool keep_alive) {
    auto msg = std::make_shared<bhttp::response<Body>>();
    msg->version(version);
    msg->result(static_cast<unsigned>(r.status));
    for (const auto& [name, value] : r.headers) {
      if (!is_framing_header(name)) {
        msg->insert(name, value);
      }
    }
    msg->set(bhttp::field::date, http_date(std::chrono::system_clock::now()));
    msg->set("X-Request-Id", exchange_.request_id);
    msg->keep_alive(keep_alive);
    return msg;
  }

  void send(Response res, bool head, unsigned version, AfterWrite after) {
    std::string route = res.route;
    if (auto problem = response_problem(res); !problem.empty()) {
      log_error("invalid response", exchange_.request_id, problem);
      res = internal_error(exchange_.request_id);
    } else if (res.status == 500 && res.body.empty()) {
      res = internal_error(exchange_.request_id);  // so the user has a reference to quote
    }
    exchange_.route = route.empty() ? "unmatched" : route;
    exchange_.status = res.status;
    const bool keep_alive = after == AfterWrite::keep_alive;

    // 204 and 304 carry no body and no Content-Length (RFC 9110 §8.6).
    if (res.status == 204 || res.status == 304) {
      auto msg = make_message<bhttp::empty_body>(res, version, keep_alive);
      return write(std::move(msg), after);
    }
    if (res.file_path) {
      bhttp::file_body::value_type file;
      beast::error_code ec;
      file.open(res.file_path->c_str(), beast::file_mode::scan, ec);
      if (ec) {
        log_error("static file vanished", exchange_.request_id, ec.message());
        Response missing = server_answer(404);
        missing.route = route;
        return send(std::move(missing), head, version, after);
      }
      if (head) {
        auto msg = make_message<bhttp::empty_body>(res, version, keep_alive);
        msg->content_length(file.size());
        return write(std::move(msg), after);
      }
      exchange_.bytes = file.size();
      auto msg = make_message<bhttp::file_body>(res, version, keep_alive);
      msg->body() = std::move(file);
      msg->prepare_payload();
      return write(std::move(msg), after);
    }
    if (head) {
      auto msg = make_message<bhttp::empty_body>(res, version, keep_alive);
      msg->content_length(res.body.size());
      return write(std::move(msg), after);
    }
    exchange_.bytes = res.body.size();
    auto msg = make_message<bhttp::string_body>(res, version, keep_alive);
    msg->body() = std::move(res.body);
    msg->prepare_payload();
    write(std::move(msg), after);
  }

  template <class Message>
  void write(std::shared_ptr<Message> msg, AfterWrite after) {
    phase_ = Phase::writing;
    stream_.expires_after(
        std::max<SteadyClock::duration>(server_.options.read_timeout, kMinWriteTimeout));
    bhttp::async_write(stream_, *msg,
                       [self = shared_from_this(), msg, after](beast::error_code ec, std::size_t) {
                         self->on_written(ec, after);
                       });
  }

  void on_written(beast::error_code ec, AfterWrite after) {
    server_.finish(exchange_);
    if (ec || phase_ == Phase::closing) {
      return close();
    }
    switch (after) {
      case AfterWrite::keep_alive:
        return wait_for_request();
      case AfterWrite::close:
        return close();
      case AfterWrite::linger:
        return linger_close();
    }
  }

  // Closing with unread request bytes makes the kernel send a reset, which can destroy our
  // answer before the client reads it. So: half-close, read and discard for a moment, close.
  void linger_close() {
    phase_ = Phase::closing;
    beast::error_code ec;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ec);
    if (ec) {
      return close();
    }
    stream_.expires_after(kLingerTime);
    drain();
  }

  void drain() {
    stream_.async_read_some(net::buffer(drain_buffer_),
                            [self = shared_from_this()](beast::error_code ec, std::size_t n) {
                              self->drained_ += n;
                              if (ec || self->drained_ > kLingerMaxBytes) {
                                return self->close();
                              }
                              self->drain();
                            });
  }

  void close() {
    if (phase_ == Phase::closing && !stream_.socket().is_open()) {
      return;
    }
    phase_ = Phase::closing;
    beast::error_code ec;
    stream_.socket().shutdown(tcp::socket::shutdown_both, ec);
    stream_.close();
  }

  ServerCore& server_;
  beast::tcp_stream stream_;
  beast::flat_buffer buffer_;
  std::optional<bhttp::request_parser<bhttp::string_body>> parser_;
  std::string remote_ip_;
  Phase phase_ = Phase::idle;
  bool first_request_ = true;
  Exchange exchange_;
  std::array<char, 4096> drain_buffer_{};
  std::size_t drained_ = 0;
};

// ---- ServerCore ------------------------------------------------------------------------------

void ServerCore::do_accept() {
  acceptor.async_accept(net::make_strand(ioc),
                        net::bind_executor(control, [this](beast::error_code ec, tcp::socket s) {
                          on_accept(ec, std::move(s));
                        }));
}

void ServerCore::on_accept(beast::error_code ec, tcp::socket socket) {
  if (stopping || ec == net::error::operation_aborted) {
    return;
  }
  if (ec) {
    // EMFILE and friends: retry shortly instead of spinning or giving up.
    log_error("accept failed", "", ec.message());
    accept_retry_timer.expires_after(kAcceptRetry);
    accept_retry_timer.async_wait([this](beast::error_code wec) {
      if (!wec && !stopping) {
        do_accept();
      }
    });
    return;
  }
  beast::error_code opt_ec;
  socket.set_option(tcp::no_delay(true), opt_ec);
  auto endpoint = socket.remote_endpoint(opt_ec);
  std::string ip = opt_ec ? std::string() : endpoint.address().to_string();
  auto session = std::make_shared<Session>(*this, std::move(socket), std::move(ip));
  if (register_session(session)) {
    session->start();
  }
  do_accept();
}

bool ServerCore::register_session(const std::shared_ptr<Session>& s) {
  std::lock_guard lock(sessions_mutex);
  if (stopping) {
    return false;
  }
  sessions.emplace(s.get(), s);
  return true;
}

void ServerCore::unregister_session(Session* s) {
  std::lock_guard lock(sessions_mutex);
  sessions.erase(s);
}

std::vector<std::shared_ptr<Session>> ServerCore::live_sessions() {
  std::lock_guard lock(sessions_mutex);
  std::vector<std::shared_ptr<Session>> out;
  for (auto& [ptr, weak] : sessions) {
    if (auto s = weak.lock()) {
      out.push_back(std::move(s));
    }
  }
  return out;
}

// Runs on the control strand.
void ServerCore::begin_stop() {
  {
    std::lock_guard lock(sessions_mutex);
    if (stopping) {
      return;
    }
    stopping = true;
  }
  beast::error_code ec;
  acceptor.close(ec);
  accept_retry_timer.cancel();
  if (signals) {
    signals->cancel(ec);
  }
  // Every session registered before `stopping` was set gets told; later ones were refused.
  for (auto& s : live_sessions()) {
    net::post(s->executor(), [s] { s->on_server_stop(); });
  }
  shutdown_deadline = SteadyClock::now() + kShutdownGrace;
  poll_shutdown();
}

// Runs on the control strand. Polling (rather than cancelling a timer from a session's
// destructor) keeps all timer use on one strand; once no session is left nothing is pending
// and the io_context runs out of work, which is what lets run() return.
void ServerCore::poll_shutdown() {
  {
    std::lock_guard lock(sessions_mutex);
    if (sessions.empty()) {
      return;
    }
  }
  if (!forced_close && SteadyClock::now() >= shutdown_deadline) {
    forced_close = true;
    log_error("shutdown grace period over; closing remaining connections", "", "");
    for (auto& s : live_sessions()) {
      net::post(s->executor(), [s] { s->force_close(); });
    }
    return;
  }
  grace_timer.expires_after(kShutdownPoll);
  grace_timer.async_wait([this](beast::error_code ec) {
    if (!ec) {
      poll_shutdown();
    }
  });
}

void ServerCore::finish(const Exchange& ex) {
  double seconds = std::chrono::duration<double>(SteadyClock::now() - ex.started).count();
  Metrics::instance().record(ex.method, ex.route, ex.status, seconds);
  if (!options.access_log) {
    return;
  }
  char ms[32];
  std::snprintf(ms, sizeof ms, "%.3f", seconds * 1000.0);
  std::string line = "{\"ts\":\"" + iso_timestamp(std::chrono::system_clock::now()) +
                     "\",\"level\":\"info\",\"msg\":\"request\",\"method\":\"" +
                     json_escape(ex.method) + "\",\"route\":\"" + json_escape(ex.route) +
                     "\",\"status\":" + std::to_string(ex.status) + ",\"ms\":" + ms +
                     ",\"bytes\":" + std::to_string(ex.bytes) + ",\"request_id\":\"" +
                     json_escape(ex.request_id) + "\"}\n";
  write_log_line(line);
}

}  // namespace server_detail

struct Server::Impl : server_detail::ServerCore {
  using ServerCore::ServerCore;
};

// ---- Server ----------------------------------------------------------------------------------

Server::Server(ServerOptions options, Handler handler)
    : impl_(std::make_unique<Impl>(std::move(options), std::move(handler))) {}

Server::~Server() = default;

void Server::start() {
  Impl& s = *impl_;
  if (s.started) {
    return;
  }
  tcp::endpoint endpoint(net::ip::make_address(s.options.address), s.options.port);
  s.acceptor.open(endpoint.protocol());
  s.acceptor.set_option(net::socket_base::reuse_address(true));
  s.acceptor.bind(endpoint);
  s.acceptor.listen(net::socket_base::max_listen_connections);
  s.port = s.acceptor.local_endpoint().port();
  if (s.options.handle_signals) {
    s.signals.emplace(s.control, SIGINT, SIGTERM);
    s.signals->async_wait([&s](beast::error_code ec, int) {
      if (!ec) {
        s.begin_stop();
      }
    });
  }
  s.do_accept();
  s.started = true;
}

void Server::run() {
  Impl& s = *impl_;
  start();
  int threads = s.options.threads > 0
                    ? s.options.threads
                    : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  auto run_loop = [&s] {
    while (true) {
      try {
        s.ioc.run();
        return;
      } catch (const std::exception& e) {
        log_error("uncaught exception in I/O thread", "", e.what());
      }
    }
  };
  std::vector<std::thread> pool;
  pool.reserve(static_cast<std::size_t>(threads - 1));
  for (int i = 1; i < threads; ++i) {
    pool.emplace_back(run_loop);
  }
  run_loop();
  for (auto& t : pool) {
    t.join();
  }
}

void Server::stop() {
  Impl& s = *impl_;
  net::post(s.control, [&s] { s.begin_stop(); });
}

std::uint16_t Server::port() const { return impl_->port; }

}  // namespace oploop::http
