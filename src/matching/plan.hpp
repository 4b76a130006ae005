// The matching plan: the assignment of waiting families to eligible volunteers with the
// highest total score, respecting each volunteer's remaining capacity — exactly optimal
// (matching/assignment.hpp), never greedy. It proposes; it creates nothing.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "auth/actor.hpp"
#include "core/result.hpp"
#include "matching/assignment.hpp"
#include "storage/database.hpp"

namespace oploop::matching {

struct PlannedPair {
  std::string family_id;
  std::string family_name;
  std::string volunteer_id;
  std::string volunteer_name;
  int score = 0;
};

struct Plan {
  std::vector<PlannedPair> assignments;
  int total_score = 0;
  int families_considered = 0;
  int volunteers_considered = 0;
  std::vector<std::string> unassigned_family_ids;
};

// Optionally limited to the given families and/or volunteers (ids outside the caller's scope
// or not waiting/eligible are refused with 422 naming the field). `solved` receives the problem
// handed to the optimiser when given (the benchmark hands the same instance to SciPy).
Result<Plan> make_plan(storage::Connection& c, const auth::Actor& actor,
                       const std::optional<std::vector<std::string>>& family_ids,
                       const std::optional<std::vector<std::string>>& volunteer_ids,
                       AssignmentProblem* solved = nullptr);

}  // namespace oploop::matching
