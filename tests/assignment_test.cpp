// The matching plan's optimiser: hand-made cases, exhaustive search on tiny instances, and
// random instances up to 300 x 300 against SciPy's linear_sum_assignment
// (tests/support/scipy_reference.py, Debian python3-scipy).
#include "matching/assignment.hpp"

#include <gtest/gtest.h>

#include <unistd.h>
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <limits>
#include <random>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

namespace oploop::matching {
namespace {

constexpr double kNo = std::numeric_limits<double>::quiet_NaN();  // pair not allowed

AssignmentProblem problem(int families, int volunteers, std::vector<int> capacity,
                          std::vector<double> score) {
  return {families, volunteers, std::move(capacity), std::move(score)};
}

double score_of(const AssignmentProblem& p, int f, int v) {
  return p.score[static_cast<std::size_t>(f) * p.volunteers + v];
}

// Every family at most once, no volunteer over capacity, only allowed pairs, the total is
// the sum of the pairs and the pairs come in family order.
void expect_feasible(const AssignmentProblem& p, const Assignment& a) {
  std::vector<int> taken(p.volunteers, 0);
  std::vector<bool> seen(p.families, false);
  double total = 0;
  int previous = -1;
  for (const auto& [f, v] : a.pairs) {
    ASSERT_GE(f, 0);
    ASSERT_LT(f, p.families);
    ASSERT_GE(v, 0);
    ASSERT_LT(v, p.volunteers);
    EXPECT_GT(f, previous) << "pairs are not in family order";
    previous = f;
    EXPECT_FALSE(seen[f]) << "family " << f << " assigned twice";
    seen[f] = true;
    EXPECT_TRUE(pair_allowed(score_of(p, f, v))) << "pair (" << f << ", " << v << ") not allowed";
    ++taken[v];
    total += score_of(p, f, v);
  }
  for (int v = 0; v < p.volunteers; ++v) {
    EXPECT_LE(taken[v], std::max(p.capacity[v], 0)) << "volunteer " << v << " over capacity";
  }
  EXPECT_NEAR(a.total, total, 1e-9);
}

Assignment solved(const AssignmentProblem& p) {
  Assignment a = solve(p);
  expect_feasible(p, a);
  return a;
}

TEST(Assignment, EmptyProblemsGiveAnEmptyPlan) {
  EXPECT_TRUE(solved(problem(0, 0, {}, {})).pairs.empty());
  EXPECT_TRUE(solved(problem(0, 3, {1, 2, 3}, {})).pairs.empty());
  EXPECT_TRUE(solved(problem(3, 0, {}, {})).pairs.empty());
}

TEST(Assignment, OneAllowedPairIsTaken) {
  const Assignment a = solved(problem(1, 1, {1}, {42}));
  ASSERT_EQ(a.pairs.size(), 1u);
  EXPECT_EQ(a.pairs[0], std::make_pair(0, 0));
  EXPECT_EQ(a.total, 42);
}

TEST(Assignment, NothingIsAssignedWhenNoPairIsAllowed) {
  const double inf = std::numeric_limits<double>::infinity();
  const Assignment a = solved(problem(2, 3, {1, 1, 1}, {kNo, -1, kNo, inf, kNo, -inf}));
  EXPECT_TRUE(a.pairs.empty());
  EXPECT_EQ(a.total, 0);
}

TEST(Assignment, VolunteerWithoutCapacityGetsNobody) {
  const Assignment a = solved(problem(2, 2, {0, 1}, {90, 10, 80, 20}));
  ASSERT_EQ(a.pairs.size(), 1u);
  EXPECT_EQ(a.pairs[0], std::make_pair(1, 1));  // 20 beats 10
  EXPECT_EQ(a.total, 20);
  EXPECT_TRUE(solved(problem(2, 2, {0, -3}, {90, 10, 80, 20})).pairs.empty());
}

TEST(Assignment, CapacityTwoWithThreeFamilies) {
  // Volunteer 0 takes two families; the third goes to volunteer 1, where it loses least.
  const Assignment a = solved(problem(3, 2, {2, 1},
                                      {
                                          90, 50,  //
                                          80, 70,  //
                                          85, 20,  //
                                      }));
  EXPECT_EQ(a.total, 90 + 85 + 70);
  EXPECT_EQ(a.pairs, (std::vector<std::pair<int, int>>{{0, 0}, {1, 1}, {2, 0}}));
}

TEST(Assignment, BeatsTheGreedyChoice) {
  // Greedy takes 10 first and ends at 10; the optimum is 9 + 9.
  const Assignment a = solved(problem(2, 2, {1, 1}, {10, 9, 9, 0}));
  EXPECT_EQ(a.total, 18);
  EXPECT_EQ(a.pairs, (std::vector<std::pair<int, int>>{{0, 1}, {1, 0}}));
}

TEST(Assignment, MoreFamiliesThanPlaces) {
  const Assignment a = solved(problem(4, 2, {1, 1},
                                      {
                                          10, 60,   //
                                          70, 65,   //
                                          30, kNo,  //
                                          50, 40,   //
                                      }));
  EXPECT_EQ(a.total, 70 + 60);
  EXPECT_EQ(a.pairs, (std::vector<std::pair<int, int>>{{0, 1}, {1, 0}}));
}

TEST(Assignment, MoreVolunteersThanFamilies) {
  const Assignment a = solved(problem(2, 4, {1, 1, 1, 1},
                                      {
                                          10, 60, 70, kNo,  //
                                          kNo, 64, 75, 5,   //
                                      }));
  EXPECT_EQ(a.total, 60 + 75);
  EXPECT_EQ(a.pairs, (std::vector<std::pair<int, int>>{{0, 1}, {1, 2}}));
}

TEST(Assignment, FamilyStaysUnassignedRatherThanCostTheOthers) {
  // Family 1 only fits volunteer 0, which family 0 values far more; maximum score, not
  // maximum number of pairs.
  const Assignment a = solved(problem(2, 2, {1, 1}, {100, 0, 1, kNo}));
  EXPECT_EQ(a.total, 100);
  ASSERT_FALSE(a.pairs.empty());
  EXPECT_EQ(a.pairs[0], std::make_pair(0, 0));
}

TEST(Assignment, TiesGiveAnOptimumAndTheSameOneEveryTime) {
  const AssignmentProblem p = problem(3, 3, {1, 1, 1}, std::vector<double>(9, 50));
  const Assignment a = solved(p);
  EXPECT_EQ(a.total, 150);
  EXPECT_EQ(a.pairs.size(), 3u);
  EXPECT_EQ(solve(p).pairs, a.pairs);
}

TEST(Assignment, InconsistentShapeIsAProgrammingError) {
  EXPECT_THROW(solve(problem(1, 2, {1}, {1, 2})), std::invalid_argument);
  EXPECT_THROW(solve(problem(1, 2, {1, 1}, {1})), std::invalid_argument);
  EXPECT_THROW(solve(problem(-1, 0, {}, {})), std::invalid_argument);
}

// Random instances. A fixed seed and our own mapping of mt19937_64's output keep them the
// same on every standard library.
struct Generator {
  std::mt19937_64 bits;
  explicit Generator(std::uint64_t seed) : bits(seed) {}
  int below(int n) { return static_cast<int>(bits() % static_cast<std::uint64_t>(n)); }
  double unit() { return static_cast<double>(bits() >> 11) * 0x1.0p-53; }

  // ~disallowed of the pairs not allowed; integer scores give many ties.
  AssignmentProblem instance(int families, int volunteers, int max_capacity, double disallowed,
                             bool integer_scores) {
    AssignmentProblem p{families, volunteers, {}, {}};
    for (int v = 0; v < volunteers; ++v) p.capacity.push_back(1 + below(max_capacity));
    for (int cell = 0; cell < families * volunteers; ++cell) {
      if (unit() < disallowed) {
        p.score.push_back(below(3) == 0 ? -1.0 : kNo);
      } else {
        p.score.push_back(integer_scores ? below(101) : 100.0 * unit());
      }
    }
    return p;
  }
};

// The best total by trying everything (tiny instances only).
double brute_force(const AssignmentProblem& p, int family, std::vector<int>& room) {
  if (family == p.families) return 0;
  double best = brute_force(p, family + 1, room);  // family stays unassigned
  for (int v = 0; v < p.volunteers; ++v) {
    const double s = score_of(p, family, v);
    if (room[v] <= 0 || !pair_allowed(s)) continue;
    --room[v];
    best = std::max(best, s + brute_force(p, family + 1, room));
    ++room[v];
  }
  return best;
}

TEST(Assignment, MatchesExhaustiveSearchOnTinyInstances) {
  Generator gen(20240601);
  for (int n = 0; n < 400; ++n) {
    AssignmentProblem p =
        gen.instance(1 + gen.below(6), 1 + gen.below(4), 3, 0.25, /*integer_scores=*/n % 2 == 0);
    for (int& c : p.capacity) c -= gen.below(2);  // some volunteers without capacity
    std::vector<int> room = p.capacity;
    const double expected = brute_force(p, 0, room);
    const Assignment a = solved(p);
    ASSERT_NEAR(a.total, expected, 1e-9) << "instance " << n;
  }
}

void write_instance(std::ofstream& out, const AssignmentProblem& p) {
  const std::int32_t shape[2] = {p.families, p.volunteers};
  out.write(reinterpret_cast<const char*>(shape), sizeof shape);
  for (int c : p.capacity) {
    const std::int32_t c32 = c;
    out.write(reinterpret_cast<const char*>(&c32), sizeof c32);
  }
  out.write(reinterpret_cast<const char*>(p.score.data()),
            static_cast<std::streamsize>(p.score.size() * sizeof(double)));
}

bool scipy_available() {
  return std::system("/usr/bin/python3 -c 'import scipy.optimize' >/dev/null 2>&1") == 0;
}

TEST(Assignment, AgreesWithScipyOnRandomInstances) {
  if (!scipy_available()) {
    GTEST_SKIP() << "Debian package python3-scipy is not installed for /usr/bin/python3 "
                    "(scripts/setup installs it)";
  }
  Generator gen(7);
  std::vector<AssignmentProblem> instances;
  // Square, wide (more volunteers), tall (more families than places), and a few big ones.
  const int shapes[][3] = {
      {300, 300, 3}, {300, 300, 1}, {300, 120, 3}, {120, 300, 2}, {300, 40, 3},
      {40, 300, 3},  {250, 200, 2}, {200, 250, 1}, {300, 100, 1}, {1, 300, 1},
  };
  for (int n = 0; n < 40; ++n) {
    int families, volunteers, max_capacity;
    if (n < 10) {
      families = shapes[n][0];
      volunteers = shapes[n][1];
      max_capacity = shapes[n][2];
    } else {
      families = 1 + gen.below(300);
      volunteers = 1 + gen.below(300);
      max_capacity = 1 + gen.below(3);
    }
    instances.push_back(gen.instance(families, volunteers, max_capacity, 0.2, n % 3 == 0));
  }

  const std::filesystem::path file = std::filesystem::temp_directory_path() /
                                     ("oploop-assignment-" + std::to_string(getpid()) + ".bin");
  {
    std::ofstream out(file, std::ios::binary);
    for (const auto& p : instances) write_instance(out, p);
  }
  const std::string command = std::string("/usr/bin/python3 ") + OPLOOP_SOURCE_DIR +
                              "/tests/support/scipy_reference.py " + file.string();
  std::string output;
  if (FILE* pipe = popen(command.c_str(), "r")) {
    char buffer[4096];
    std::size_t n;
    while ((n = fread(buffer, 1, sizeof buffer, pipe)) > 0) output.append(buffer, n);
    EXPECT_EQ(pclose(pipe), 0) << command;
  } else {
    ADD_FAILURE() << "cannot run " << command;
  }
  std::filesystem::remove(file);

  std::istringstream lines(output);
  for (std::size_t n = 0; n < instances.size(); ++n) {
    double total = 0, milliseconds = 0;
    int assigned = 0;
    ASSERT_TRUE(lines >> total >> assigned >> milliseconds) << "no answer for instance " << n;
    const Assignment a = solved(instances[n]);
    EXPECT_NEAR(a.total, total, 1e-9)
        << "instance " << n << ": " << instances[n].families << " x " << instances[n].volunteers;
  }
}

}  // namespace
}  // namespace oploop::matching
