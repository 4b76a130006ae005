// Maximum-score assignment of families to volunteers with capacities, solved exactly as a
// minimum-cost assignment by shortest augmenting paths with dual potentials (the
// Jonker–Volgenant family, as described by Crouse, "On implementing 2D rectangular
// assignment algorithms", IEEE TAES 2016), extended to columns that hold several rows.
//
// Rows are families, columns are volunteers (only those that can take someone). Costs are
// negated scores; a pair that is not allowed costs 0, like leaving the family unassigned,
// and is dropped from the answer. Because every allowed score is >= 0, an optimal full
// assignment on that complete matrix is an optimal plan of the original problem (proof in
// docs/decisions/0006-matching-plan-algorithm.md). When the volunteers together have fewer
// places than there are families, one extra "nobody" column with cost 0 takes the rest.
//
// Invariants after each row (not checked at run time; the tests compare the results with
// SciPy and with exhaustive search):
//   cost(i, j) - u[i] - v[j] >= 0 for every processed row i and every column j,
//   with equality when i is assigned to j;  v[j] <= 0, and v[j] == 0 while column j has a
//   free place.
// These are the dual conditions of the capacitated assignment LP, so the final assignment is
// optimal. Work per row is one Dijkstra over the columns, O(rows * columns) at worst, so
// O(rows^2 * columns) in all; on random instances a row visits only a few columns.
#include "matching/assignment.hpp"

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <limits>
#include <memory>
#include <stdexcept>
#include <string>

namespace oploop::matching {
namespace {

constexpr double kInfinity = std::numeric_limits<double>::infinity();

// The state of the solver: the dense cost matrix, the dual potentials and who sits where.
// Everything is allocated once; augment() allocates nothing.
//
// The search is what costs time, so its inner loop is kept to a load, an add, a subtract, a
// min and a store per column over contiguous arrays:
// - A visited column is fenced off by values, not by an index list or a branch: its
//   distance is +inf (never the minimum) and its shadow potential is -inf (every
//   relaxation then gives +inf, which never improves it).
// - The loop does not record through which row a column got its distance; that is
//   recomputed afterwards for the few columns on the augmenting path only.
class Solver {
 public:
  // Columns: volunteer_of_column[j] is the volunteer behind column j, or -1 for "nobody";
  // capacity[j] its places.
  Solver(const AssignmentProblem& problem, const std::vector<int>& volunteer_of_column,
         const std::vector<int>& capacity)
      : Solver(problem.families, static_cast<int>(volunteer_of_column.size()), capacity) {
    for (int f = 0; f < problem.families; ++f) {
      const double* scores =
          problem.score.data() + static_cast<std::size_t>(f) * problem.volunteers;
      double* row = cost_.get() + static_cast<std::size_t>(f) * columns_;
      for (int j = 0; j < columns_; ++j) {
        const int v = volunteer_of_column[j];
        const double s = v < 0 ? 0.0 : scores[v];
        // pair_allowed(s) without a branch: NaN fails both comparisons.
        const bool ok = s >= 0.0 && s <= std::numeric_limits<double>::max();
        row[j] = ok ? -s : 0.0;
      }
    }
  }

  // Adds row `row` to the assignment along a shortest augmenting path, keeping the
  // assignment of the rows processed so far optimal.
  void augment(int row);

  int column_of_row(int i) const { return column_of_row_[i]; }

 private:
  Solver(int rows, int columns, const std::vector<int>& capacity)
      : columns_(columns),
        cost_(std::make_unique_for_overwrite<double[]>(static_cast<std::size_t>(rows) * columns)),
        u_(rows, 0.0),
        v_(columns, 0.0),
        shadow_v_(columns, 0.0),
        capacity_(capacity),
        taken_(columns, 0),
        free_(columns, 1),
        first_place_(columns + 1, 0),
        column_of_row_(rows, -1),
        place_of_row_(rows, -1),
        distance_(columns, kInfinity),
        rows_before_(columns, 0),
        visited_columns_(columns),
        visited_column_distance_(columns),
        visited_rows_(rows),
        visited_row_distance_(rows),
        pending_rows_(rows) {
    for (int j = 0; j < columns_; ++j) first_place_[j + 1] = first_place_[j] + capacity_[j];
    row_in_place_.assign(first_place_[columns_], -1);
  }

  // distance_[j] = min(distance_[j], base + cost(i, j) - v[j]) for every column.
  void relax(int i, double base) {
    const double* cost_row = cost_.get() + static_cast<std::size_t>(i) * columns_;
    const double* v = shadow_v_.data();
    double* distance = distance_.data();
    const int n = columns_;
    for (int j = 0; j < n; ++j) distance[j] = std::min(distance[j], base + cost_row[j] - v[j]);
  }

  // relax(), and returns the unvisited column with the smallest distance (-1 when none is
  // finite); among equals the first with a free place, else the first, because ending on
  // a free place ends the search sooner.
  int relax_and_pick(int i, double base) {
    const double* cost_row = cost_.get() + static_cast<std::size_t>(i) * columns_;
    const double* v = shadow_v_.data();
    const unsigned char* is_free = free_.data();
    double* distance = distance_.data();
    const int n = columns_;
    double lowest = kInfinity;
    int best = -1;
    bool best_is_free = false;
    for (int j = 0; j < n; ++j) {
      const double d = std::min(distance[j], base + cost_row[j] - v[j]);
      distance[j] = d;
      if (d <= lowest) [[unlikely]] {
        if (d < lowest || (!best_is_free && is_free[j])) {
          lowest = d;
          best = j;
          best_is_free = is_free[j];
        }
      }
    }
    return lowest < kInfinity ? best : -1;
  }

  // The row through which visited column j got its distance: the first of the rows visited
  // before j with the smallest base + cost - v, computed exactly as the search did.
  int predecessor(int j) const {
    double lowest = kInfinity;
    int who = -1;
    for (int k = 0; k < rows_before_[j]; ++k) {
      const int i = visited_rows_[k];
      const double base = visited_row_distance_[k] - u_[i];
      const double d = base + cost_[static_cast<std::size_t>(i) * columns_ + j] - v_[j];
      if (d < lowest) {
        lowest = d;
        who = i;
      }
    }
    return who;
  }

  int columns_;
  std::unique_ptr<double[]> cost_;  // one row of columns_ costs per family
  std::vector<double> u_;           // row potentials
  std::vector<double> v_;           // column potentials
  std::vector<double> shadow_v_;    // v_, or -inf for a column visited in this search
  std::vector<int> capacity_;
  std::vector<int> taken_;           // rows assigned per column
  std::vector<unsigned char> free_;  // taken_ < capacity_
  std::vector<int> first_place_;     // the places of column j: [first_place_[j], first_place_[j+1])
  std::vector<int> row_in_place_;
  std::vector<int> column_of_row_;
  std::vector<int> place_of_row_;
  // Per search, sized once.
  std::vector<double> distance_;  // tentative; +inf once visited
  std::vector<int> rows_before_;  // per visited column: how many rows were visited before it
  std::vector<int> visited_columns_;
  std::vector<double> visited_column_distance_;
  std::vector<int> visited_rows_;
  std::vector<double> visited_row_distance_;
  std::vector<int> pending_rows_;
};

void Solver::augment(int row) {
  std::fill(distance_.begin(), distance_.end(), kInfinity);
  int visited_columns = 0;
  int visited_rows = 0;
  int pending = 0;
  pending_rows_[pending++] = row;
  double shortest = 0;  // distance of the column visited last
  int sink = -1;

  while (sink < 0) {
    // Rows reached through the column visited last all sit at distance `shortest`
    // (their assigned edge is tight); relax the edges out of each of them. The last one's
    // pass also picks the closest unvisited column.
    for (int p = 0; p < pending; ++p) {
      const int i = pending_rows_[p];
      visited_rows_[visited_rows] = i;
      visited_row_distance_[visited_rows++] = shortest;
      if (p + 1 < pending) relax(i, shortest - u_[i]);
    }
    const int last = pending_rows_[pending - 1];
    const int best = relax_and_pick(last, shortest - u_[last]);
    pending = 0;
    // The matrix is complete and some column always has a free place, so every search
    // ends at one; this guards the loop against a broken invariant anyway.
    if (best < 0) throw std::logic_error("assignment: no augmenting path");

    shortest = distance_[best];
    visited_columns_[visited_columns] = best;
    visited_column_distance_[visited_columns++] = shortest;
    rows_before_[best] = visited_rows;
    distance_[best] = kInfinity;
    shadow_v_[best] = -kInfinity;
    if (free_[best]) {
      sink = best;
    } else {
      for (int place = first_place_[best]; place < first_place_[best + 1]; ++place) {
        pending_rows_[pending++] = row_in_place_[place];
      }
    }
  }

  // Shift the rows along the path, from the sink back to `row`: each moves to the column
  // it reached, taking over the place the row after it on the path left behind; the sink
  // gets one more row. (Before the potentials change: predecessor() reads them.)
  int j = sink;
  int place = first_place_[j] + taken_[j]++;
  free_[j] = taken_[j] < capacity_[j];
  for (;;) {
    const int i = predecessor(j);
    const int left_column = column_of_row_[i];
    const int left_place = place_of_row_[i];
    row_in_place_[place] = i;
    place_of_row_[i] = place;
    column_of_row_[i] = j;
    if (i == row) break;
    j = left_column;
    place = left_place;
  }

  // New potentials: every visited node moves by (shortest - its distance), which keeps
  // all reduced costs >= 0 and makes the path's edges tight. The sink's move is 0, so
  // columns with a free place keep v == 0.
  for (int k = 0; k < visited_rows; ++k) {
    u_[visited_rows_[k]] += shortest - visited_row_distance_[k];
  }
  for (int k = 0; k < visited_columns; ++k) {
    const int c = visited_columns_[k];
    v_[c] -= shortest - visited_column_distance_[k];
    shadow_v_[c] = v_[c];
  }
}

void check_shape(const AssignmentProblem& problem) {
  if (problem.families < 0 || problem.volunteers < 0) {
    throw std::invalid_argument("assignment: negative number of families or volunteers");
  }
  if (problem.capacity.size() != static_cast<std::size_t>(problem.volunteers)) {
    throw std::invalid_argument("assignment: capacity has " +
                                std::to_string(problem.capacity.size()) + " entries, expected " +
                                std::to_string(problem.volunteers));
  }
  const std::size_t cells =
      static_cast<std::size_t>(problem.families) * static_cast<std::size_t>(problem.volunteers);
  if (problem.score.size() != cells) {
    throw std::invalid_argument("assignment: score has " + std::to_string(problem.score.size()) +
                                " entries, expected " + std::to_string(cells));
  }
}

}  // namespace

Assignment solve(const AssignmentProblem& problem) {
  check_shape(problem);
  const int families = problem.families;

  // Columns: the volunteers that can take someone, with no more places than there are
  // families (more could never be used).
  std::vector<int> volunteer_of_column;
  std::vector<int> capacity;
  long long places = 0;
  for (int v = 0; v < problem.volunteers; ++v) {
    const int c = std::min(std::max(problem.capacity[v], 0), families);
    if (c == 0) continue;
    volunteer_of_column.push_back(v);
    capacity.push_back(c);
    places += c;
  }
  Assignment result;
  if (families == 0 || places == 0) return result;
  if (places < families) {
    volunteer_of_column.push_back(-1);  // "nobody"
    capacity.push_back(families - static_cast<int>(places));
  }

  Solver solver(problem, volunteer_of_column, capacity);
  for (int f = 0; f < families; ++f) solver.augment(f);

  // The total is summed with Neumaier's compensation, so it does not depend on the order
  // of the pairs and agrees with an exactly rounded sum (SciPy's fsum in the tests).
  double compensation = 0;
  for (int f = 0; f < families; ++f) {
    const int v = volunteer_of_column[solver.column_of_row(f)];
    if (v < 0) continue;
    const double score = problem.score[static_cast<std::size_t>(f) * problem.volunteers + v];
    if (!pair_allowed(score)) continue;
    result.pairs.emplace_back(f, v);
    const double sum = result.total + score;
    compensation += std::abs(result.total) >= score ? (result.total - sum) + score
                                                    : (score - sum) + result.total;
    result.total = sum;
  }
  result.total += compensation;
  return result;
}

}  // namespace oploop::matching
