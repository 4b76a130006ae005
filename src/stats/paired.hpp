// Paired before/after statistics for the impact report (issue 5 part 4, SPEC §3): per life
// domain over the families that have both measurements, n, means, mean change, SD of the
// change, % improved/same/worse, Cohen's dz with a 95% confidence interval and the Wilcoxon
// signed-rank p-value. Pure functions, no dependencies beyond the standard library; the
// t quantile and the normal tail are computed here. Every formula, every edge case and why:
// docs/decisions/0008-statistics.md. tests/stats_test.cpp checks each number against SciPy.
#pragma once

#include <optional>
#include <span>
#include <string_view>
#include <vector>

namespace oploop::stats {

// One family's score on one domain at two waves (a domain score is the mean of its items;
// every instrument is coded so that a higher score is better).
struct Pair {
  double before = 0;
  double after = 0;
};

// Changes are rounded to this many decimals before they are classified (improved / same /
// worse) and ranked for Wilcoxon, so that two means that are equal on paper but differ in
// the last bit of a double (1/3 + 1/3 against 2/3) count as equal.
inline constexpr int kChangeDecimals = 9;
// A standard deviation of the change below this is treated as zero: Cohen's dz is then
// undefined (null) rather than a huge number made of rounding error.
inline constexpr double kZeroSd = 1e-9;

// after - before, rounded to kChangeDecimals decimals exactly as numpy.round(d, 9) does
// (multiply by 1e9, round half to even, divide by 1e9).
double rounded_change(const Pair& pair);

// How Wilcoxon treats tied |changes| when the exact distribution would be used.
enum class TieHandling {
  // As scipy.stats.wilcoxon of SciPy 1.10.1 with its defaults: the exact distribution
  // whenever n <= 50 and no change is zero, also with ties (the rank sum is then truncated
  // to a whole number, as SciPy does).
  scipy_1_10,
  // Ties switch to the normal approximation with tie correction (what later SciPy versions
  // do with method="auto").
  normal_when_ties,
};

enum class WilcoxonMethod { exact, normal };

std::string_view to_string(WilcoxonMethod method);

struct WilcoxonResult {
  // min(R+, R-) over the non-zero changes; null when no p-value can be computed.
  std::optional<double> statistic;
  std::optional<double> p_value;  // two-sided
  std::optional<WilcoxonMethod> method;
  int nonzero = 0;    // changes left after dropping the zeros (zero_method "wilcox")
  bool ties = false;  // some non-zero |changes| are equal
};

// Two-sided Wilcoxon signed-rank test of the changes (already rounded, see rounded_change):
// zeros dropped (zero_method "wilcox"), no continuity correction. The exact distribution
// when there are at most 50 changes (zeros included in the count) and no zeros; otherwise
// the normal approximation with tie correction. All changes zero, or none: everything null.
WilcoxonResult wilcoxon_signed_rank(std::span<const double> changes,
                                    TieHandling ties = TieHandling::scipy_1_10);

struct PairedSummary {
  int n = 0;
  std::optional<double> mean_before;  // null when n = 0
  std::optional<double> mean_after;
  std::optional<double> mean_change;       // mean of after - before
  std::optional<double> sd_change;         // sample SD (n - 1); null when n < 2
  int improved = 0;                        // rounded change > 0
  int same = 0;                            // rounded change == 0
  int worse = 0;                           // rounded change < 0
  std::optional<double> percent_improved;  // 100 * improved / n; null when n = 0
  std::optional<double> percent_same;
  std::optional<double> percent_worse;
  // mean_change / sd_change; null when n < 2 or sd_change < kZeroSd.
  std::optional<double> cohens_dz;
  // dz -/+ t(0.975, n - 1) * sqrt(1/n + dz^2 / (2n)); null when dz is.
  std::optional<double> dz_ci_low;
  std::optional<double> dz_ci_high;
  WilcoxonResult wilcoxon;
};

PairedSummary summarise(std::span<const Pair> pairs, TieHandling ties = TieHandling::scipy_1_10);

// --- the distributions behind it (exposed for the tests) ---

// Regularised incomplete beta I_x(a, b) for a, b > 0 and 0 <= x <= 1 (continued fraction,
// modified Lentz), relative accuracy about 1e-14.
double regularized_incomplete_beta(double a, double b, double x);
// P(T > t) for Student's t with df > 0 degrees of freedom.
double student_t_sf(double t, double df);
// The p-quantile of Student's t, 0 < p < 1.
double student_t_quantile(double p, double df);
// P(Z > z) for the standard normal.
double normal_sf(double z);

}  // namespace oploop::stats
