#include "stats/paired.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <numbers>
#include <stdexcept>
#include <utility>

namespace oploop::stats {

namespace {

// Continued fraction of the incomplete beta (Numerical Recipes §6.4, modified Lentz), with
// x and y = 1 - x passed separately so that no precision is lost forming 1 - x.
double beta_continued_fraction(double a, double b, double x) {
  constexpr double tiny = 1e-300;
  constexpr double epsilon = 1e-16;
  const double qab = a + b;
  const double qap = a + 1;
  const double qam = a - 1;
  double c = 1;
  double d = 1 - qab * x / qap;
  if (std::fabs(d) < tiny) d = tiny;
  d = 1 / d;
  double h = d;
  for (int m = 1; m <= 10000; ++m) {
    const double m2 = 2.0 * m;
    double aa = m * (b - m) * x / ((qam + m2) * (a + m2));
    d = 1 + aa * d;
    if (std::fabs(d) < tiny) d = tiny;
    c = 1 + aa / c;
    if (std::fabs(c) < tiny) c = tiny;
    d = 1 / d;
    h *= d * c;
    aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2));
    d = 1 + aa * d;
    if (std::fabs(d) < tiny) d = tiny;
    c = 1 + aa / c;
    if (std::fabs(c) < tiny) c = tiny;
    d = 1 / d;
    const double step = d * c;
    h *= step;
    if (std::fabs(step - 1) < epsilon) return h;
  }
  return h;  // not reached for the a, b used here (df up to millions)
}

// ln Γ(x) - ((x - 1/2) ln x - x + ln(2π)/2): the Stirling series, accurate to 1e-17 for
// x >= 100.
double stirling_rest(double x) {
  const double r = 1 / (x * x);
  return (1.0 / 12 - r * (1.0 / 360 - r * (1.0 / 1260 - r / 1680))) / x;
}

// ln B(a, b) = ln Γ(a) + ln Γ(b) - ln Γ(a + b). With one large parameter, plain lgamma would
// subtract two huge, nearly equal numbers (1e-10 lost at a = 1e5), so the difference
// ln Γ(a + b) - ln Γ(a) is taken from the Stirling series with log1p instead.
double log_beta(double a, double b) {
  if (a < b) std::swap(a, b);
  if (a < 100) return std::lgamma(a) + std::lgamma(b) - std::lgamma(a + b);
  const double difference = b * std::log(a) + (a + b - 0.5) * std::log1p(b / a) - b +
                            stirling_rest(a + b) - stirling_rest(a);
  return std::lgamma(b) - difference;
}

// ln x given x and y = 1 - x, exact near 1 as well.
double log_of(double x, double y) { return x < 0.5 ? std::log(x) : std::log1p(-y); }

// I_x(a, b) given x and y = 1 - x.
double incomplete_beta(double a, double b, double x, double y) {
  if (x <= 0) return 0;
  if (y <= 0) return 1;
  const double front = std::exp(a * log_of(x, y) + b * log_of(y, x) - log_beta(a, b));
  if (x < (a + 1) / (a + b + 2)) return front * beta_continued_fraction(a, b, x) / a;
  return 1 - front * beta_continued_fraction(b, a, y) / b;
}

double mean_of(std::span<const double> values) {
  double sum = 0;
  for (double v : values) sum += v;
  return sum / static_cast<double>(values.size());
}

}  // namespace

double regularized_incomplete_beta(double a, double b, double x) {
  if (!(a > 0) || !(b > 0) || !(x >= 0) || !(x <= 1)) {
    throw std::domain_error("regularized_incomplete_beta: a, b > 0 and 0 <= x <= 1");
  }
  return incomplete_beta(a, b, x, 1 - x);
}

double student_t_sf(double t, double df) {
  if (!(df > 0)) throw std::domain_error("student_t_sf: df > 0");
  if (std::isnan(t)) return t;
  if (t == 0) return 0.5;
  const double t2 = t * t;
  // P(|T| > |t|) = I_{df / (df + t^2)}(df / 2, 1 / 2)
  const double two_tailed = incomplete_beta(df / 2, 0.5, df / (df + t2), t2 / (df + t2));
  return t > 0 ? two_tailed / 2 : 1 - two_tailed / 2;
}

double student_t_quantile(double p, double df) {
  if (!(p > 0) || !(p < 1)) throw std::domain_error("student_t_quantile: 0 < p < 1");
  if (!(df > 0)) throw std::domain_error("student_t_quantile: df > 0");
  if (p == 0.5) return 0;
  // Solve P(T > t) = q for t > 0 by bisection: the tail falls strictly with t, so this
  // converges to the last bit the tail function resolves (no starting guess to tune).
  const double q = p > 0.5 ? 1 - p : p;
  double low = 0;
  double high = 1;
  while (student_t_sf(high, df) > q) {
    low = high;
    high *= 2;
    if (high > 1e300) break;
  }
  for (int i = 0; i < 2000; ++i) {
    const double middle = low + (high - low) / 2;
    if (middle <= low || middle >= high) break;
    if (student_t_sf(middle, df) > q) {
      low = middle;
    } else {
      high = middle;
    }
  }
  const double t = low + (high - low) / 2;
  return p > 0.5 ? t : -t;
}

double normal_sf(double z) { return 0.5 * std::erfc(z / std::numbers::sqrt2); }

double rounded_change(const Pair& pair) {
  constexpr double scale = 1e9;  // 10^kChangeDecimals
  static_assert(kChangeDecimals == 9);
  return std::nearbyint((pair.after - pair.before) * scale) / scale;
}

std::string_view to_string(WilcoxonMethod method) {
  return method == WilcoxonMethod::exact ? "exact" : "normal";
}

WilcoxonResult wilcoxon_signed_rank(std::span<const double> changes, TieHandling tie_handling) {
  WilcoxonResult result;
  std::vector<double> d;
  for (double c : changes) {
    if (c != 0) d.push_back(c);
  }
  result.nonzero = static_cast<int>(d.size());
  if (d.empty()) return result;  // no change at all: nothing to test
  const bool has_zeros = d.size() != changes.size();
  const std::size_t count = d.size();

  // Average ranks of |d|, ties sharing the mean of their positions; tie group sizes kept for
  // the variance correction.
  std::vector<std::size_t> order(count);
  for (std::size_t i = 0; i < count; ++i) order[i] = i;
  std::sort(order.begin(), order.end(),
            [&](std::size_t x, std::size_t y) { return std::fabs(d[x]) < std::fabs(d[y]); });
  std::vector<double> rank(count);
  double tie_term = 0;  // sum of t (t^2 - 1) over tie groups
  for (std::size_t start = 0; start < count;) {
    std::size_t end = start + 1;
    while (end < count && std::fabs(d[order[end]]) == std::fabs(d[order[start]])) ++end;
    const double average = (static_cast<double>(start + 1) + static_cast<double>(end)) / 2;
    for (std::size_t k = start; k < end; ++k) rank[order[k]] = average;
    const double t = static_cast<double>(end - start);
    if (end - start > 1) {
      tie_term += t * (t * t - 1);
      result.ties = true;
    }
    start = end;
  }
  double r_plus = 0;
  double r_minus = 0;
  for (std::size_t i = 0; i < count; ++i) (d[i] > 0 ? r_plus : r_minus) += rank[i];
  const double statistic = std::min(r_plus, r_minus);

  bool exact = changes.size() <= 50 && !has_zeros;
  if (tie_handling == TieHandling::normal_when_ties && result.ties) exact = false;

  if (exact) {
    // Number of subsets of {1..n} with each rank sum, exactly (at most 2^50 < 2^64).
    const std::size_t n = count;
    const std::size_t top = n * (n + 1) / 2;
    std::vector<std::uint64_t> ways(top + 1, 0);
    ways[0] = 1;
    for (std::size_t k = 1; k <= n; ++k) {
      for (std::size_t s = k * (k + 1) / 2; s >= k; --s) ways[s] += ways[s - k];
    }
    // SciPy 1.10.1 converts R+ to an integer by truncation (relevant only with ties).
    const auto r = static_cast<std::size_t>(r_plus);
    double p;
    if (r == top / 2) {
      p = 1;
    } else {
      std::uint64_t below = 0;  // P(R+ <= r) * 2^n
      std::uint64_t above = 0;  // P(R+ >= r) * 2^n
      for (std::size_t s = 0; s <= top; ++s) {
        if (s <= r) below += ways[s];
        if (s >= r) above += ways[s];
      }
      const double total = std::ldexp(1.0, static_cast<int>(n));
      p = 2 * static_cast<double>(std::min(below, above)) / total;
    }
    result.p_value = std::clamp(p, 0.0, 1.0);
    result.method = WilcoxonMethod::exact;
  } else {
    const double nn = static_cast<double>(count);
    const double mean = nn * (nn + 1) * 0.25;
    const double variance = (nn * (nn + 1) * (2 * nn + 1) - 0.5 * tie_term) / 24;
    const double z = (statistic - mean) / std::sqrt(variance);
    result.p_value = 2 * normal_sf(std::fabs(z));
    result.method = WilcoxonMethod::normal;
  }
  result.statistic = statistic;
  return result;
}

PairedSummary summarise(std::span<const Pair> pairs, TieHandling ties) {
  PairedSummary s;
  s.n = static_cast<int>(pairs.size());
  if (pairs.empty()) return s;
  const std::size_t n = pairs.size();
  std::vector<double> before, after, change, rounded;
  for (const Pair& p : pairs) {
    before.push_back(p.before);
    after.push_back(p.after);
    change.push_back(p.after - p.before);
    rounded.push_back(rounded_change(p));
  }
  s.mean_before = mean_of(before);
  s.mean_after = mean_of(after);
  s.mean_change = mean_of(change);
  for (double r : rounded) {
    if (r > 0) {
      ++s.improved;
    } else if (r < 0) {
      ++s.worse;
    } else {
      ++s.same;
    }
  }
  const double nn = static_cast<double>(n);
  s.percent_improved = 100.0 * s.improved / nn;
  s.percent_same = 100.0 * s.same / nn;
  s.percent_worse = 100.0 * s.worse / nn;
  if (n >= 2) {
    double squares = 0;
    for (double c : change) squares += (c - *s.mean_change) * (c - *s.mean_change);
    s.sd_change = std::sqrt(squares / (nn - 1));
    if (*s.sd_change >= kZeroSd) {
      const double dz = *s.mean_change / *s.sd_change;
      const double t = student_t_quantile(0.975, nn - 1);
      const double half_width = t * std::sqrt(1 / nn + dz * dz / (2 * nn));
      s.cohens_dz = dz;
      s.dz_ci_low = dz - half_width;
      s.dz_ci_high = dz + half_width;
    }
  }
  s.wilcoxon = wilcoxon_signed_rank(rounded, ties);
  return s;
}

}  // namespace oploop::stats
