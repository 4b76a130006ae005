// Prometheus metrics: requests by route pattern, method and status, and a latency histogram.
#pragma once

#include <string>

namespace oploop::http {

class Metrics {
 public:
  static Metrics& instance();
  void record(const std::string& method, const std::string& route, int status, double seconds);
  void set_gauge(const std::string& name, double value);  // e.g. oploop_db_up
  std::string render() const;                             // text exposition format 0.0.4

 private:
  Metrics() = default;
};

}  // namespace oploop::http
