#!/usr/bin/python3
"""Reference values for the paired statistics of src/stats/paired.cpp, computed with SciPy.

Reads datasets from the text file given as the first argument, one a line:

    <ties> <n> <before_1> <after_1> ... <before_n> <after_n>

where <ties> is "scipy" (scipy.stats.wilcoxon with its defaults, SciPy 1.10.1) or "normal"
(method="approx" when the exact distribution would be used on tied |changes|). Prints one
line per dataset with these fields, "nan" for a value that is undefined (null in C++):

    n mean_before mean_after mean_change sd_change pct_improved pct_same pct_worse
    dz dz_low dz_high wilcoxon_statistic wilcoxon_p

Definitions (docs/decisions/0008-statistics.md): change = after - before; for the
improved/same/worse split and for Wilcoxon the change is numpy.round(change, 9); SD with
ddof=1; dz = mean change / SD (undefined when n < 2 or SD < 1e-9); 95% CI
dz -/+ t(0.975, n - 1) * sqrt(1/n + dz^2 / (2n)).

The t quantile: scipy.stats.t.ppf of SciPy 1.10.1 (cdflib's stdtrit) is only good to about
1e-8 (8.3e-9 off at 39 degrees of freedom; 2.6e-10 at df = 1, where the exact value is
tan(0.475 pi)), too coarse for a 1e-9 comparison. So the quantile here is the root of
scipy.stats.t.sf(t, df) = 0.025 found by scipy.optimize.brentq to full precision (t.sf is
cephes' incomplete beta, good to about 1e-15), and checked to lie within 1e-7 of t.ppf.

Run with Debian's /usr/bin/python3 and python3-scipy.
"""

import math
import sys
import warnings

import numpy as np
from scipy import optimize, stats

NAN = float("nan")


def t_quantile_975(df):
    precise = optimize.brentq(lambda t: stats.t.sf(t, df) - 0.025, 0.0, 1000.0, xtol=1e-15,
                              rtol=4 * np.finfo(float).eps, maxiter=500)
    assert abs(precise - stats.t.ppf(0.975, df)) < 1e-7, (df, precise, stats.t.ppf(0.975, df))
    return precise


def wilcoxon(rounded, ties):
    if len(rounded) == 0 or np.all(rounded == 0):
        return NAN, NAN
    method = "auto"
    if ties == "normal":
        nonzero = np.abs(rounded[rounded != 0])
        if len(np.unique(nonzero)) != len(nonzero):
            method = "approx"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        res = stats.wilcoxon(rounded, method=method)
    return float(res.statistic), float(res.pvalue)


def summarise(ties, before, after):
    n = len(before)
    if n == 0:
        return [0] + [NAN] * 12
    change = after - before
    rounded = np.round(change, 9)
    mean_before = np.mean(before)
    mean_after = np.mean(after)
    mean_change = np.mean(change)
    improved = np.sum(rounded > 0)
    same = np.sum(rounded == 0)
    worse = np.sum(rounded < 0)
    sd = NAN
    dz = low = high = NAN
    if n >= 2:
        sd = np.std(change, ddof=1)
        if sd >= 1e-9:
            dz = mean_change / sd
            half = t_quantile_975(n - 1) * math.sqrt(1 / n + dz * dz / (2 * n))
            low, high = dz - half, dz + half
    statistic, p = wilcoxon(rounded, ties)
    return [n, mean_before, mean_after, mean_change, sd, 100 * improved / n, 100 * same / n,
            100 * worse / n, dz, low, high, statistic, p]


def main():
    for line in open(sys.argv[1]):
        fields = line.split()
        if not fields:
            continue
        ties, n = fields[0], int(fields[1])
        values = np.array([float(v) for v in fields[2:2 + 2 * n]], dtype=np.float64)
        before, after = values[0::2], values[1::2]
        print(" ".join(repr(float(v)) for v in summarise(ties, before, after)))


if __name__ == "__main__":
    main()
