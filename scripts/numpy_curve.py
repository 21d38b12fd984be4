#!/usr/bin/env python3
"""A careful numpy + scipy.optimize.brentq learning curve, for the speed ratio of issue #15.

The same 100-point curve as `examples/curve_csv.rs`: linear ridge (THEORY §2.1, §3) on the
discrete spectrum s_k = k^-1.5, target w_k = k^-0.7, noise 0.1, D = 10^6; either over
P = 10^(1..5) at lambda = 1e-5 (`p`) or over lambda = 10^(-8..0) at P = 1e4 (`lambda`).
kappa solves 1 - Df1(kappa)/P - lambda/kappa = 0 by brentq (rtol = 4 eps), bracketed from
the previous point when possible; the errors use the crate's cancellation-free forms.
Vectorised sums, one pass per function evaluation.

Usage: numpy_curve.py p|lambda [CRATE_CSV]
Prints the CPU seconds of the curve (time.process_time) and, given the crate's CSV,
the largest relative difference of kappa, E_g, E_tr and the decomposition.
A measurement aid (needs numpy and scipy), not part of CI.
"""
import sys
import time

import numpy as np
from scipy.optimize import brentq

D = 1_000_000
SIGMA2 = 0.1


def main():
    mode = sys.argv[1] if len(sys.argv) > 1 else "p"
    k = np.arange(1, D + 1, dtype=np.float64)
    s = k ** -1.5
    w2 = (k ** -0.7) ** 2
    trace = s.sum()
    if mode == "p":
        grid = [(10.0 ** (1.0 + 4.0 * i / 99.0), 1e-5) for i in range(100)]
    else:
        grid = [(1e4, 10.0 ** (-8.0 + 8.0 * i / 99.0)) for i in range(100)]

    t0 = time.process_time()
    rows = []
    prev = None
    for p, lam in grid:
        def f(kappa):
            return 1.0 - np.sum(s / (s + kappa)) / p - lam / kappa

        lo, hi = lam, lam + trace / p  # f(lo) < 0 <= f(hi)
        if prev is not None:
            a, b = max(0.5 * prev, lo), min(2.0 * prev, hi)
            if a < b and f(a) < 0.0 < f(b):
                lo, hi = a, b
        kappa = brentq(f, lo, hi, xtol=1e-300, rtol=4 * np.finfo(float).eps, maxiter=200)
        prev = kappa
        u = 1.0 / (s + kappa)
        t = s * u
        ku = kappa * u
        df2 = np.sum(t * t)
        dd = np.sum(t * ku)  # Df1 - Df2 without cancellation
        td = np.sum(w2 * t * ku)  # tf1 - tf2 without cancellation
        gamma = df2 / p
        one_minus_gamma = lam / kappa + dd / p
        bias2 = kappa * td
        amp = gamma / one_minus_gamma
        var_data = bias2 * amp
        var_noise = SIGMA2 * amp
        test = bias2 + var_data + var_noise
        train = (lam / kappa) ** 2 * (test + SIGMA2)
        rows.append((p, lam, kappa, test, train, bias2, var_data, var_noise))
    cpu = time.process_time() - t0
    print(f"numpy_cpu_seconds {cpu:.4f}")
    if len(sys.argv) > 2:
        crate = np.genfromtxt(sys.argv[2], delimiter=",", skip_header=1)
        ours = np.array(rows)
        names = ["kappa", "test_error", "train_error", "bias2", "var_data", "var_noise"]
        worst = 0.0
        for j, name in enumerate(names, start=2):
            r = np.max(np.abs(ours[:, j] - crate[:, j]) / np.abs(crate[:, j]))
            worst = max(worst, r)
            print(f"max_rel_diff {name} {r:.2e}")
        print(f"max_rel_diff_all {worst:.2e}")


if __name__ == "__main__":
    main()
