// Paired statistics (src/stats/paired.hpp) against SciPy: every statistic of the impact
// report is computed again by tests/support/stats_reference.py (Debian python3-scipy:
// scipy.stats.wilcoxon, scipy.stats.t.ppf, numpy mean/std with ddof=1) on the same seeded
// random and edge-case datasets, and must agree to 1e-9: absolute for values up to 1 in
// size, relative above (|ours - scipy| <= 1e-9 * max(1, |scipy|)). Undefined values (null
// here, NaN in Python) must be undefined on both sides.
#include <unistd.h>

#include <fmt/format.h>
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <limits>
#include <numbers>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "stats/paired.hpp"

namespace oploop::stats {
namespace {

class Generator {
 public:
  explicit Generator(std::uint64_t seed) : engine_(seed) {}
  // Uniform in [0, 1) from the top 53 bits: the same on every platform.
  double uniform() { return static_cast<double>(engine_() >> 11) * 0x1p-53; }
  int between(int low, int high) {  // inclusive
    return low + static_cast<int>(engine_() % static_cast<std::uint64_t>(high - low + 1));
  }
  // Roughly normal (sum of 12 uniforms - 6).
  double normalish() {
    double sum = 0;
    for (int i = 0; i < 12; ++i) sum += uniform();
    return sum - 6;
  }

 private:
  std::mt19937_64 engine_;
};

struct Dataset {
  std::string label;
  std::vector<Pair> pairs;
};

std::vector<Pair> continuous(Generator& gen, int n, double shift) {
  std::vector<Pair> pairs;
  for (int i = 0; i < n; ++i) {
    const double before = 1 + 3 * gen.uniform();
    pairs.push_back({before, before + shift + 0.7 * gen.normalish()});
  }
  return pairs;
}

// A domain score: the mean of `items` answers on the 4-point scale, as the instruments do.
double scale_mean(Generator& gen, int items, int centre) {
  double sum = 0;
  for (int i = 0; i < items; ++i) sum += std::clamp(centre + gen.between(-1, 1), 1, 4);
  return sum / items;
}

std::vector<Pair> four_point(Generator& gen, int n) {
  std::vector<Pair> pairs;
  for (int i = 0; i < n; ++i) {
    const int items = gen.between(1, 5);
    const int centre = gen.between(1, 4);
    pairs.push_back({scale_mean(gen, items, centre),
                     scale_mean(gen, items, std::min(4, centre + gen.between(0, 1)))});
  }
  return pairs;
}

std::vector<Dataset> datasets() {
  Generator gen(20261123);
  std::vector<Dataset> all;
  for (int i = 0; i < 40; ++i) {
    const int n = gen.between(2, 80);
    all.push_back(
        {fmt::format("continuous #{} n={}", i, n), continuous(gen, n, 0.6 * gen.uniform() - 0.1)});
  }
  for (int i = 0; i < 30; ++i) {
    const int n = gen.between(2, 80);
    all.push_back({fmt::format("4-point means #{} n={}", i, n), four_point(gen, n)});
  }
  all.push_back({"n=0", {}});
  all.push_back({"n=1 improved", {{2.0, 3.5}}});
  all.push_back({"n=1 worse", {{3.0, 1.25}}});
  all.push_back({"n=1 same", {{2.5, 2.5}}});
  all.push_back({"n=2", {{1.0, 2.0}, {2.0, 2.5}}});
  all.push_back({"n=2 tied", {{1.0, 2.0}, {3.0, 2.0}}});
  all.push_back({"n=50 continuous", continuous(gen, 50, 0.2)});
  all.push_back({"n=51 continuous", continuous(gen, 51, 0.2)});
  all.push_back({"n=50 4-point", four_point(gen, 50)});
  all.push_back({"n=51 4-point", four_point(gen, 51)});
  for (int n : {5, 60}) {
    std::vector<Pair> zero;
    for (int i = 0; i < n; ++i) zero.push_back({1 + i % 4 / 3.0, 1 + i % 4 / 3.0});
    all.push_back({fmt::format("all changes zero n={}", n), zero});
  }
  {
    std::vector<Pair> equal;  // the same change for everyone: SD 0, dz undefined
    for (int i = 0; i < 12; ++i) equal.push_back({1.0 + i / 10.0, 1.5 + i / 10.0});
    all.push_back({"equal changes (SD 0)", equal});
  }
  {
    // 1/3 + 1/3 against 2/3: equal on paper, different doubles; must count as the same.
    std::vector<Pair> thirds = {{1.0 / 3 + 1.0 / 3, 2.0 / 3}, {2.0, 3.0}, {3.0, 2.0 + 2.0 / 3}};
    all.push_back({"rounding thirds", thirds});
  }
  for (int n : {20, 40, 70}) {
    std::vector<Pair> mixed = continuous(gen, n, 0.3);
    for (int i = 0; i < n; i += 4) mixed[i].after = mixed[i].before;
    all.push_back({fmt::format("zeros mixed in n={}", n), mixed});
  }
  {
    std::vector<Pair> big;  // large values: relative comparison
    for (int i = 0; i < 30; ++i)
      big.push_back({1e6 + 1e5 * gen.uniform(), 1e6 + 1e5 * gen.uniform()});
    all.push_back({"large values", big});
  }
  return all;
}

bool scipy_available() {
  return std::system("/usr/bin/python3 -c 'import scipy.stats' >/dev/null 2>&1") == 0;
}

const char* tie_name(TieHandling ties) {
  return ties == TieHandling::scipy_1_10 ? "scipy" : "normal";
}

std::vector<double> fields(const PairedSummary& s) {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  auto v = [&](const std::optional<double>& o) { return o ? *o : nan; };
  return {static_cast<double>(s.n), v(s.mean_before),   v(s.mean_after),
          v(s.mean_change),         v(s.sd_change),     v(s.percent_improved),
          v(s.percent_same),        v(s.percent_worse), v(s.cohens_dz),
          v(s.dz_ci_low),           v(s.dz_ci_high),    v(s.wilcoxon.statistic),
          v(s.wilcoxon.p_value)};
}

const char* const kFieldNames[] = {"n",         "mean_before",  "mean_after", "mean_change",
                                   "sd",        "pct_improved", "pct_same",   "pct_worse",
                                   "dz",        "dz_low",       "dz_high",    "wilcoxon_T",
                                   "wilcoxon_p"};

TEST(PairedStats, AgreesWithScipy) {
  if (!scipy_available()) {
    GTEST_SKIP() << "Debian package python3-scipy is not installed for /usr/bin/python3 "
                    "(scripts/setup installs it)";
  }
  const std::vector<Dataset> data = datasets();
  const TieHandling modes[] = {TieHandling::scipy_1_10, TieHandling::normal_when_ties};
  const std::filesystem::path file = std::filesystem::temp_directory_path() /
                                     ("oploop-stats-" + std::to_string(getpid()) + ".txt");
  {
    std::ofstream out(file);
    for (TieHandling ties : modes) {
      for (const Dataset& d : data) {
        out << tie_name(ties) << ' ' << d.pairs.size();
        for (const Pair& p : d.pairs) out << fmt::format(" {:.17g} {:.17g}", p.before, p.after);
        out << '\n';
      }
    }
  }
  const std::string command = std::string("/usr/bin/python3 ") + OPLOOP_SOURCE_DIR +
                              "/tests/support/stats_reference.py " + file.string();
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
  int compared = 0;
  for (TieHandling ties : modes) {
    for (const Dataset& d : data) {
      std::string line;
      ASSERT_TRUE(std::getline(lines, line)) << "no answer for " << d.label;
      std::istringstream words(line);
      std::vector<double> expected;
      std::string word;
      while (words >> word) expected.push_back(std::strtod(word.c_str(), nullptr));
      const std::vector<double> actual = fields(summarise(d.pairs, ties));
      ASSERT_EQ(expected.size(), actual.size()) << line;
      for (std::size_t i = 0; i < actual.size(); ++i) {
        const std::string where =
            fmt::format("{} [{}] {}: ours {:.17g}, scipy {:.17g}", d.label, tie_name(ties),
                        kFieldNames[i], actual[i], expected[i]);
        if (std::isnan(expected[i])) {
          EXPECT_TRUE(std::isnan(actual[i])) << where;
        } else {
          EXPECT_FALSE(std::isnan(actual[i])) << where;
          EXPECT_LE(std::fabs(actual[i] - expected[i]),
                    1e-9 * std::max(1.0, std::fabs(expected[i])))
              << where;
        }
        ++compared;
      }
    }
  }
  EXPECT_EQ(compared, 2 * static_cast<int>(data.size()) * 13);
}

TEST(PairedStats, StudentTQuantileKnownValues) {
  // Closed forms: df = 1 is the Cauchy distribution, t = tan(pi (p - 1/2)); df = 2 has
  // t = (2p - 1) / sqrt(2 p (1 - p)). (scipy.stats.t.ppf of SciPy 1.10.1 is 2.6e-10 off at
  // df = 1, so these are the better anchors.)
  EXPECT_NEAR(student_t_quantile(0.975, 1), std::tan(std::numbers::pi * 0.475), 1e-12);
  EXPECT_NEAR(student_t_quantile(0.975, 2), 0.95 / std::sqrt(2 * 0.975 * 0.025), 1e-13);
  EXPECT_NEAR(student_t_quantile(0.9, 2), 0.8 / std::sqrt(2 * 0.9 * 0.1), 1e-13);
  EXPECT_NEAR(student_t_quantile(0.025, 2), -0.95 / std::sqrt(2 * 0.975 * 0.025), 1e-13);
  // scipy.stats.t.ppf(0.975, 10) (good to about 1e-10 there) and 10^6 degrees of freedom.
  EXPECT_NEAR(student_t_quantile(0.975, 10), 2.2281388519649385, 1e-10);
  EXPECT_NEAR(student_t_quantile(0.975, 1e6), 1.9599663568141066, 1e-10);
  EXPECT_NEAR(regularized_incomplete_beta(2.5, 1, 0.3), std::pow(0.3, 2.5), 1e-15);
  EXPECT_NEAR(regularized_incomplete_beta(1, 1, 0.77), 0.77, 1e-15);
  EXPECT_NEAR(regularized_incomplete_beta(3, 4, 0.4) + regularized_incomplete_beta(4, 3, 0.6), 1,
              1e-14);
  EXPECT_NEAR(normal_sf(1.959963984540054), 0.025, 1e-15);
  EXPECT_NEAR(student_t_sf(0, 7), 0.5, 0);
}

TEST(PairedStats, EdgeCasesAreNullNotErrors) {
  const PairedSummary empty = summarise({});
  EXPECT_EQ(empty.n, 0);
  EXPECT_FALSE(empty.mean_change);
  EXPECT_FALSE(empty.percent_improved);
  EXPECT_FALSE(empty.wilcoxon.p_value);

  const std::vector<Pair> one = {{2, 3}};
  const PairedSummary single = summarise(one);
  EXPECT_EQ(*single.mean_change, 1);
  EXPECT_FALSE(single.sd_change);
  EXPECT_FALSE(single.cohens_dz);
  EXPECT_EQ(*single.wilcoxon.p_value, 1);

  const std::vector<Pair> zeros = {{2, 2}, {3, 3}, {1.0 / 3 + 1.0 / 3, 2.0 / 3}};
  const PairedSummary none = summarise(zeros);
  EXPECT_EQ(none.same, 3);
  EXPECT_EQ(*none.sd_change < kZeroSd, true);
  EXPECT_FALSE(none.cohens_dz);
  EXPECT_FALSE(none.wilcoxon.p_value);
  EXPECT_EQ(none.wilcoxon.nonzero, 0);
}

TEST(PairedStats, WilcoxonMethodSwitchesAtFiftyAndOnZeros) {
  std::vector<double> changes;
  for (int i = 1; i <= 50; ++i) changes.push_back(i % 3 == 0 ? -i : i);
  EXPECT_EQ(wilcoxon_signed_rank(changes).method, WilcoxonMethod::exact);
  changes.push_back(51);
  EXPECT_EQ(wilcoxon_signed_rank(changes).method, WilcoxonMethod::normal);
  changes.resize(10);
  changes.push_back(0);
  EXPECT_EQ(wilcoxon_signed_rank(changes).method, WilcoxonMethod::normal);
  changes.pop_back();
  changes.push_back(-1);  // a tie with the change 1
  EXPECT_EQ(wilcoxon_signed_rank(changes).method, WilcoxonMethod::exact);
  EXPECT_TRUE(wilcoxon_signed_rank(changes).ties);
  EXPECT_EQ(wilcoxon_signed_rank(changes, TieHandling::normal_when_ties).method,
            WilcoxonMethod::normal);
}

}  // namespace
}  // namespace oploop::stats
