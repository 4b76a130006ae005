// The optimiser behind the matching plan (SPEC §2.4): which waiting family goes to which
// eligible volunteer so that the summed score is as high as possible, exactly.
//
// Rules: a family gets at most one volunteer; a volunteer takes at most capacity[v]
// families; only allowed pairs are used; a family may stay unassigned. Among several
// optimal plans any one is returned, always the same one for the same input. A pair with
// score 0 may or may not be in the plan (it adds nothing). How it works and why:
// docs/decisions/0006-matching-plan-algorithm.md.
#pragma once

#include <cmath>
#include <utility>
#include <vector>

namespace oploop::matching {

struct AssignmentProblem {
  int families = 0;
  int volunteers = 0;
  // Per volunteer: how many more families it may take. A value below 0 counts as 0.
  std::vector<int> capacity;
  // score[f * volunteers + v] for family f and volunteer v, normally 0–100. NaN, a negative
  // value or an infinity marks a pair that is not allowed.
  std::vector<double> score;
};

struct Assignment {
  std::vector<std::pair<int, int>> pairs;  // (family, volunteer), ascending by family
  double total = 0;                        // sum of the scores of pairs
};

// True when a score marks an allowed pair.
inline bool pair_allowed(double score) { return std::isfinite(score) && score >= 0; }

// The optimal assignment. Throws std::invalid_argument when the shape is inconsistent
// (families or volunteers negative, capacity.size() != volunteers, score.size() !=
// families * volunteers): the caller builds the problem, so that is a programming error.
Assignment solve(const AssignmentProblem& problem);

}  // namespace oploop::matching
