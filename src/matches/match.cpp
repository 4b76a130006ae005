#include "matches/match.hpp"

#include <algorithm>

namespace oploop::matches {

const std::vector<std::string>& statuses() {
  static const std::vector<std::string> k = {"proposed", "introduction", "active", "stepping_down",
                                             "closed"};
  return k;
}

const std::vector<std::string>& closure_reasons() {
  static const std::vector<std::string> k = {"goals_reached", "family_moved", "volunteer_stopped",
                                             "mismatch",      "escalated",    "family_withdrew",
                                             "other"};
  return k;
}

bool may_move(const std::string& from, const std::string& to) {
  if (from == "closed") return false;
  if (to == "closed") return true;
  return (from == "proposed" && to == "introduction") ||
         (from == "introduction" && to == "active") || (from == "active" && to == "stepping_down");
}

bool family_returns_to_waiting(const Match& m, const std::string& reason) {
  const bool reached_active = !m.started_on.empty();
  return !reached_active || reason == "mismatch" || reason == "volunteer_stopped";
}

int months_between(const std::string& from, const std::string& to) {
  if (from.size() < 10 || to.size() < 10) return 0;
  const int y1 = std::stoi(from.substr(0, 4)), m1 = std::stoi(from.substr(5, 2)),
            d1 = std::stoi(from.substr(8, 2));
  const int y2 = std::stoi(to.substr(0, 4)), m2 = std::stoi(to.substr(5, 2)),
            d2 = std::stoi(to.substr(8, 2));
  int months = (y2 - y1) * 12 + (m2 - m1);
  if (d2 < d1) --months;
  return std::max(0, months);
}

}  // namespace oploop::matches
