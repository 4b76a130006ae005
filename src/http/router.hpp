// Routes: method + path pattern ("/api/v1/families/{id}") + the policy action it needs +
// a handler. The action is mandatory: a route without one cannot be added, and the policy
// test walks routes() to check every action has an entry in the policy table.
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "auth/action.hpp"
#include "http/message.hpp"

namespace oploop::http {

using PathParams = std::map<std::string, std::string>;

template <class Context>
struct Route {
  std::string method;
  std::string pattern;
  auth::Action action;
  std::function<Response(Context&)> handler;
  std::vector<std::string> segments;  // pattern split on '/'
};

struct MatchOutcome {
  enum Kind { found, not_found, method_not_allowed } kind = not_found;
  std::size_t index = 0;  // into routes() when found
  PathParams params;
  std::vector<std::string> allowed;  // for 405's Allow header
};

// Matches a path against patterns. Segments in braces capture one non-empty segment.
bool match_pattern(const std::vector<std::string>& pattern_segments, const std::string& path,
                   PathParams& out);
std::vector<std::string> split_path(const std::string& path);

template <class Context>
class Router {
 public:
  using RouteType = Route<Context>;
  void add(std::string method, std::string pattern, auth::Action action,
           std::function<Response(Context&)> handler) {
    routes_.push_back(
        {std::move(method), pattern, action, std::move(handler), split_path(pattern)});
  }
  const std::vector<Route<Context>>& routes() const { return routes_; }

  MatchOutcome match(const std::string& method, const std::string& path) const {
    MatchOutcome out;
    for (std::size_t i = 0; i < routes_.size(); ++i) {
      PathParams params;
      if (!match_pattern(routes_[i].segments, path, params)) continue;
      if (routes_[i].method == method || (method == "HEAD" && routes_[i].method == "GET")) {
        if (out.kind != MatchOutcome::found) {
          out.kind = MatchOutcome::found;
          out.index = i;
          out.params = std::move(params);
        }
      } else {
        out.allowed.push_back(routes_[i].method);
      }
    }
    if (out.kind != MatchOutcome::found && !out.allowed.empty())
      out.kind = MatchOutcome::method_not_allowed;
    return out;
  }

 private:
  std::vector<Route<Context>> routes_;
};

}  // namespace oploop::http
