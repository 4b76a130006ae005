// Times matching::solve() on a seeded random instance and writes the instance for
// tests/support/scipy_reference.py, so that SciPy solves exactly the same one.
//
//   assignment_bench [--families N] [--volunteers M] [--seed S] [--repeat R]
//                    [--max-capacity C] [--scores continuous|integer|geometric] [--write FILE]
//
// Capacities are 1..C (default 3) and about 20% of the pairs are not allowed. Scores:
//   continuous  uniform on [0, 100]
//   integer     whole numbers 0–100 (many ties)
//   geometric   families and volunteers at random places; a pair further apart than the
//               travel limit is not allowed, nearer is better, plus a random part: nearby
//               families compete for the same volunteers, as in a real waiting list
// Prints one line:
//   families volunteers places median_ms min_ms max_ms total pairs
// where the times cover solve() alone, median of R runs.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <limits>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "matching/assignment.hpp"

namespace {

using oploop::matching::Assignment;
using oploop::matching::AssignmentProblem;

struct Options {
  int families = 2000;
  int volunteers = 2000;
  std::uint64_t seed = 1;
  int repeat = 5;
  int max_capacity = 3;
  std::string scores = "continuous";
  std::string write;
};

[[noreturn]] void usage(const char* message) {
  std::fprintf(stderr,
               "assignment_bench: %s\nusage: assignment_bench [--families N] [--volunteers M] "
               "[--seed S] [--repeat R] [--max-capacity C]\n"
               "       [--scores continuous|integer|geometric] [--write FILE]\n",
               message);
  std::exit(2);
}

Options parse(int argc, char** argv) {
  Options o;
  for (int i = 1; i < argc; ++i) {
    const std::string_view flag = argv[i];
    if (i + 1 >= argc) usage("missing value");
    const char* value = argv[++i];
    if (flag == "--families") {
      o.families = std::atoi(value);
    } else if (flag == "--volunteers") {
      o.volunteers = std::atoi(value);
    } else if (flag == "--seed") {
      o.seed = std::strtoull(value, nullptr, 10);
    } else if (flag == "--repeat") {
      o.repeat = std::max(1, std::atoi(value));
    } else if (flag == "--max-capacity") {
      o.max_capacity = std::max(1, std::atoi(value));
    } else if (flag == "--scores") {
      o.scores = value;
      if (o.scores != "continuous" && o.scores != "integer" && o.scores != "geometric") {
        usage("--scores is continuous, integer or geometric");
      }
    } else if (flag == "--write") {
      o.write = value;
    } else {
      usage("unknown option");
    }
  }
  if (o.families < 0 || o.volunteers < 0) usage("sizes must be >= 0");
  return o;
}

AssignmentProblem generate(const Options& o) {
  std::mt19937_64 bits(o.seed);
  auto unit = [&] { return static_cast<double>(bits() >> 11) * 0x1.0p-53; };
  AssignmentProblem p{o.families, o.volunteers, {}, {}};
  for (int v = 0; v < o.volunteers; ++v) {
    p.capacity.push_back(1 + static_cast<int>(bits() % static_cast<unsigned>(o.max_capacity)));
  }
  // Geometric: everybody lives somewhere in a unit square; a volunteer travels at most 0.4,
  // and the score is 60 points for nearness plus 40 for everything else.
  std::vector<double> x, y;
  if (o.scores == "geometric") {
    for (int i = 0; i < o.families + o.volunteers; ++i) {
      x.push_back(unit());
      y.push_back(unit());
    }
  }
  const double no = std::numeric_limits<double>::quiet_NaN();
  p.score.reserve(static_cast<std::size_t>(o.families) * o.volunteers);
  for (int f = 0; f < o.families; ++f) {
    for (int v = 0; v < o.volunteers; ++v) {
      const bool blocked = unit() < 0.2;
      if (o.scores == "geometric") {
        const double d = std::hypot(x[f] - x[o.families + v], y[f] - y[o.families + v]);
        const double noise = unit();
        p.score.push_back(blocked || d > 0.4 ? no
                                             : std::round(60.0 * (1.0 - d / 0.4) + 40.0 * noise));
      } else if (o.scores == "integer") {
        const double s = static_cast<double>(bits() % 101);
        p.score.push_back(blocked ? no : s);
      } else {
        const double s = 100.0 * unit();
        p.score.push_back(blocked ? no : s);
      }
    }
  }
  return p;
}

void write_instance(const std::string& path, const AssignmentProblem& p) {
  std::ofstream out(path, std::ios::binary);
  const std::int32_t shape[2] = {p.families, p.volunteers};
  out.write(reinterpret_cast<const char*>(shape), sizeof shape);
  for (int c : p.capacity) {
    const std::int32_t c32 = c;
    out.write(reinterpret_cast<const char*>(&c32), sizeof c32);
  }
  out.write(reinterpret_cast<const char*>(p.score.data()),
            static_cast<std::streamsize>(p.score.size() * sizeof(double)));
  if (!out) {
    std::fprintf(stderr, "assignment_bench: cannot write %s\n", path.c_str());
    std::exit(1);
  }
}

}  // namespace

int main(int argc, char** argv) {
  const Options o = parse(argc, argv);
  const AssignmentProblem p = generate(o);
  if (!o.write.empty()) write_instance(o.write, p);

  std::vector<double> ms;
  Assignment a;
  for (int r = 0; r < o.repeat; ++r) {
    const auto start = std::chrono::steady_clock::now();
    Assignment run = oploop::matching::solve(p);
    ms.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start)
                     .count());
    if (r > 0 && run.pairs != a.pairs) {
      std::fprintf(stderr, "assignment_bench: two runs gave different plans\n");
      return 1;
    }
    a = std::move(run);
  }
  std::sort(ms.begin(), ms.end());
  long long places = 0;
  for (int c : p.capacity) places += std::min(c, o.families);
  std::printf("%d %d %lld %.1f %.1f %.1f %.17g %zu\n", o.families, o.volunteers, places,
              ms[ms.size() / 2], ms.front(), ms.back(), a.total, a.pairs.size());
  return 0;
}
