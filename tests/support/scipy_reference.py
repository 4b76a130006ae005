#!/usr/bin/python3
"""Reference optimum for the matching plan, computed by scipy.optimize.linear_sum_assignment.

Reads instances from the binary file given as the first argument (a stream of instances,
little-endian: int32 families, int32 volunteers, int32 capacity[volunteers], float64
score[families * volunteers] row-major; NaN, a negative value or an infinity marks a pair
that is not allowed) and prints one line per instance:

    <total> <assigned pairs> <milliseconds in linear_sum_assignment>

The total is printed with repr(), so it reads back exactly. With --repeat N the solve runs
N times and the milliseconds are the median.

Formulations (--formulation):
  dummies  (default) an independent encoding of the problem: each volunteer becomes
           min(capacity, families) identical columns, disallowed pairs are -inf (never
           chosen), and every family gets its own extra "unassigned" column of score 0, so a
           family can always stay unassigned. SciPy's maximum over that matrix is the true
           optimum of the plan; the script fails if a disallowed pair is chosen.
  compact  the encoding our solver uses: capacity-expanded columns with disallowed pairs as
           score 0 (dropped afterwards), plus "nobody" columns only when the volunteers have
           fewer places than there are families. Same optimum, smaller matrix; used by the
           benchmark to compare like with like.

Run with Debian's /usr/bin/python3 and python3-scipy.
"""

import argparse
import math
import statistics
import sys
import time

import numpy as np
from scipy.optimize import linear_sum_assignment


def read_instances(path):
    data = open(path, "rb").read()
    offset = 0
    while offset < len(data):
        families, volunteers = np.frombuffer(data, dtype="<i4", count=2, offset=offset)
        offset += 8
        capacity = np.frombuffer(data, dtype="<i4", count=volunteers, offset=offset)
        offset += 4 * int(volunteers)
        cells = int(families) * int(volunteers)
        score = np.frombuffer(data, dtype="<f8", count=cells, offset=offset)
        offset += 8 * cells
        yield int(families), int(volunteers), capacity.astype(np.int64), score.reshape(
            int(families), int(volunteers))


def slot_columns(families, capacity):
    """Volunteer index of every capacity-expanded column."""
    return np.repeat(np.arange(len(capacity)), np.clip(capacity, 0, families))


def solve(families, volunteers, capacity, score, formulation, repeat=1):
    allowed = np.isfinite(score) & (score >= 0)
    slots = slot_columns(families, capacity)
    if formulation == "dummies":
        real = np.where(allowed, score, -np.inf)[:, slots]
        matrix = np.hstack([real, np.zeros((families, families))])
    else:
        real = np.where(allowed, score, 0.0)[:, slots]
        missing = max(0, families - len(slots))
        matrix = np.hstack([real, np.zeros((families, missing))])
    if matrix.size == 0:
        return 0.0, 0, 0.0
    times = []
    for _ in range(max(1, repeat)):
        start = time.perf_counter()
        rows, cols = linear_sum_assignment(matrix, maximize=True)
        times.append((time.perf_counter() - start) * 1000.0)
    elapsed_ms = statistics.median(times)

    total = []
    used = np.zeros(volunteers, dtype=np.int64)
    for f, c in zip(rows, cols):
        if c >= len(slots):
            continue  # unassigned
        v = slots[c]
        if not allowed[f, v]:
            if formulation == "dummies":
                sys.exit("scipy_reference: SciPy chose a disallowed pair (%d, %d)" % (f, v))
            continue  # the compact encoding drops these, as our solver does
        used[v] += 1
        total.append(score[f, v])
    if np.any(used > np.clip(capacity, 0, None)):
        sys.exit("scipy_reference: capacity exceeded")
    return math.fsum(total), len(total), elapsed_ms


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("instances")
    parser.add_argument("--formulation", choices=["dummies", "compact"], default="dummies")
    parser.add_argument("--repeat", type=int, default=1)
    args = parser.parse_args()
    for families, volunteers, capacity, score in read_instances(args.instances):
        total, assigned, elapsed_ms = solve(families, volunteers, capacity, score,
                                            args.formulation, args.repeat)
        print(repr(float(total)), assigned, "%.3f" % elapsed_ms, flush=True)


if __name__ == "__main__":
    main()
