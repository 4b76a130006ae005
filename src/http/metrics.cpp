// Prometheus metrics in text exposition format 0.0.4. Labels are bounded on purpose: the route
// is the matched pattern (or "unmatched"), never the raw path, and unknown methods fold into
// "other", so a client cannot create new series by sending odd requests.
#include "http/metrics.hpp"

#include <unistd.h>

#include <array>
#include <charconv>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <initializer_list>
#include <map>
#include <mutex>
#include <optional>
#include <string_view>
#include <tuple>

namespace oploop::http {
namespace {

constexpr std::array<double, 11> kBuckets = {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
                                             0.1,   0.25,   0.5,   1,    2.5};

struct Histogram {
  std::array<std::uint64_t, kBuckets.size() + 1> counts{};  // per bucket, last is +Inf
  double sum = 0;
  std::uint64_t count = 0;
};

struct State {
  std::mutex mutex;
  std::map<std::tuple<std::string, std::string, int>, std::uint64_t> requests;
  std::map<std::string, Histogram> durations;
  std::map<std::string, double> gauges;
};

State& state() {
  static State s;
  return s;
}

std::string normalize_method(const std::string& method) {
  static constexpr std::array<std::string_view, 7> kKnown = {"GET",    "HEAD",    "POST", "PUT",
                                                             "DELETE", "OPTIONS", "PATCH"};
  for (auto known : kKnown) {
    if (method == known) {
      return method;
    }
  }
  return "other";
}

bool is_metric_name(const std::string& name) {
  if (name.empty()) {
    return false;
  }
  for (std::size_t i = 0; i < name.size(); ++i) {
    char c = name[i];
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == ':' ||
              (i > 0 && c >= '0' && c <= '9');
    if (!ok) {
      return false;
    }
  }
  return true;
}

std::string escape_label(const std::string& value) {
  std::string out;
  out.reserve(value.size());
  for (char c : value) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '"') {
      out += "\\\"";
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out += c;
    }
  }
  return out;
}

std::string format_number(double v) {
  if (std::isnan(v)) {
    return "NaN";
  }
  if (std::isinf(v)) {
    return v > 0 ? "+Inf" : "-Inf";
  }
  std::array<char, 64> buf{};
  auto [end, ec] = std::to_chars(buf.data(), buf.data() + buf.size(), v);
  if (ec != std::errc{}) {
    return "NaN";
  }
  return std::string(buf.data(), end);
}

std::optional<double> resident_memory_bytes() {
  std::ifstream statm("/proc/self/statm");
  long long size_pages = 0;
  long long resident_pages = 0;
  if (!(statm >> size_pages >> resident_pages)) {
    return std::nullopt;
  }
  return static_cast<double>(resident_pages) * static_cast<double>(sysconf(_SC_PAGESIZE));
}

std::optional<double> open_fds() {
  std::error_code ec;
  std::filesystem::directory_iterator it("/proc/self/fd", ec);
  if (ec) {
    return std::nullopt;
  }
  double n = 0;
  for (; it != std::filesystem::directory_iterator(); it.increment(ec)) {
    if (ec) {
      return std::nullopt;
    }
    ++n;
  }
  return n;
}

// name{label="value",...} sample
void append_sample(std::string& out, std::string_view name,
                   std::initializer_list<std::pair<std::string_view, std::string_view>> labels,
                   std::string_view value) {
  out.append(name);
  if (labels.size() > 0) {
    char sep = '{';
    for (const auto& [label, label_value] : labels) {
      out.push_back(sep);
      out.append(label).append("=\"").append(escape_label(std::string(label_value))).append("\"");
      sep = ',';
    }
    out.push_back('}');
  }
  out.push_back(' ');
  out.append(value).push_back('\n');
}

void append_gauge(std::string& out, std::string_view name, std::string_view help, double v) {
  out.append("# HELP ").append(name).append(" ").append(help).append("\n");
  out.append("# TYPE ").append(name).append(" gauge\n");
  append_sample(out, name, {}, format_number(v));
}

bool is_builtin(const std::string& name) {
  return name.starts_with("oploop_http_") || name == "process_resident_memory_bytes" ||
         name == "process_open_fds";
}

}  // namespace

Metrics& Metrics::instance() {
  static Metrics m;
  return m;
}

void Metrics::record(const std::string& method, const std::string& route, int status,
                     double seconds) {
  auto& s = state();
  std::string m = normalize_method(method);
  if (!(seconds >= 0)) {
    seconds = 0;  // also catches NaN
  }
  std::lock_guard lock(s.mutex);
  ++s.requests[{m, route, status}];
  Histogram& h = s.durations[route];
  std::size_t bucket = 0;
  while (bucket < kBuckets.size() && seconds > kBuckets[bucket]) {
    ++bucket;
  }
  ++h.counts[bucket];
  h.sum += seconds;
  ++h.count;
}

void Metrics::set_gauge(const std::string& name, double value) {
  // Names that are not valid metric names, or that would collide with our own series, are
  // ignored: one bad call must not make the whole exposition unparseable for the scraper.
  if (!is_metric_name(name) || is_builtin(name)) {
    return;
  }
  auto& s = state();
  std::lock_guard lock(s.mutex);
  s.gauges[name] = value;
}

std::string Metrics::render() const {
  auto& s = state();
  std::string out;
  {
    std::lock_guard lock(s.mutex);
    out += "# HELP oploop_http_requests_total HTTP requests by method, route pattern and status.\n";
    out += "# TYPE oploop_http_requests_total counter\n";
    for (const auto& [key, n] : s.requests) {
      const auto& [method, route, status] = key;
      append_sample(out, "oploop_http_requests_total",
                    {{"method", method}, {"route", route}, {"status", std::to_string(status)}},
                    std::to_string(n));
    }
    out +=
        "# HELP oploop_http_request_duration_seconds Time from request read to response "
        "written, by route pattern.\n";
    out += "# TYPE oploop_http_request_duration_seconds histogram\n";
    for (const auto& [route, h] : s.durations) {
      std::uint64_t cumulative = 0;
      for (std::size_t i = 0; i <= kBuckets.size(); ++i) {
        cumulative += h.counts[i];
        std::string le = i < kBuckets.size() ? format_number(kBuckets[i]) : "+Inf";
        append_sample(out, "oploop_http_request_duration_seconds_bucket",
                      {{"route", route}, {"le", le}}, std::to_string(cumulative));
      }
      append_sample(out, "oploop_http_request_duration_seconds_sum", {{"route", route}},
                    format_number(h.sum));
      append_sample(out, "oploop_http_request_duration_seconds_count", {{"route", route}},
                    std::to_string(h.count));
    }
    for (const auto& [name, v] : s.gauges) {
      out.append("# TYPE ").append(name).append(" gauge\n");
      append_sample(out, name, {}, format_number(v));
    }
  }
  if (auto rss = resident_memory_bytes()) {
    append_gauge(out, "process_resident_memory_bytes", "Resident memory size in bytes.", *rss);
  }
  if (auto fds = open_fds()) {
    append_gauge(out, "process_open_fds", "Number of open file descriptors.", *fds);
  }
  return out;
}

}  // namespace oploop::http
