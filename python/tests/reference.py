"""Independent numpy evaluations of the theory (THEORY §2–§4), for the agreement tests.

Nothing here calls detridge: kappa is found by bisection in log space to the last bit of
double precision, and the errors follow from the closed forms of THEORY §3 (linear ridge)
and §4 (linear random features), written out as in the team's numpy transcription.
"""

import numpy as np


def df1(eta, k):
    return np.sum(eta / (eta + k))


def df2(eta, k):
    return np.sum(eta**2 / (eta + k) ** 2)


def _bisect(f, lo, hi):
    """Root of an increasing f on [lo, hi] (f(lo) < 0 < f(hi)) to the last bit."""
    for _ in range(2000):
        mid = 0.5 * (lo + hi)
        if mid <= lo or mid >= hi:
            break
        if f(mid) < 0:
            lo = mid
        else:
            hi = mid
    return 0.5 * (lo + hi)


def solve_kappa(eta, lam, sizes):
    """kappa * prod_n (1 - Df1(kappa)/n) = lam, lam > 0, on the physical branch
    kappa > kappa0, where Df1(kappa0) = min(sizes) (kappa0 = 0 if rank <= min(sizes))."""
    nmin = min(sizes)
    hi = lam + np.sum(eta) * sum(1.0 / n for n in sizes) + 1.0
    while df1(eta, hi) >= nmin or hi * np.prod([1.0 - df1(eta, hi) / n for n in sizes]) < lam:
        hi *= 2.0
    k0 = 0.0 if np.sum(eta > 0) <= nmin else _bisect(lambda k: nmin - df1(eta, k), 0.0, hi)
    g = lambda k: k * np.prod([1.0 - df1(eta, k) / n for n in sizes]) - lam
    return _bisect(g, k0, hi)


def ridge(eta, w, lam, p, sigma2):
    """Linear ridge (THEORY §3): w are the target weights in the eigenbasis."""
    k = solve_kappa(eta, lam, [p])
    gam = df2(eta, k) / p
    bias = k**2 * np.sum(w**2 * eta / (eta + k) ** 2)
    var_data = bias * gam / (1 - gam)
    var_noise = sigma2 * gam / (1 - gam)
    eg = bias + var_data + var_noise
    etr = (lam / k) ** 2 * (eg + sigma2)
    return dict(kappa=k, gamma=gam, bias2=bias, var_data=var_data, var_noise=var_noise,
                test_error=eg, train_error=etr, gcv=eg + sigma2)


def random_features(eta, w, lam, p, n, sigma2):
    """One-layer linear random features (THEORY §4.2–4.4)."""
    k2 = solve_kappa(eta, lam, [p, n])
    d1, d2 = df1(eta, k2), df2(eta, k2)
    rho = 1.0 / (1.0 + (d1 - d2) / (n - d1))
    k1 = lam / (1 - d1 / p)
    gam1 = (d1 - rho * (d1 - d2)) / p
    gam = d2 / p
    t1 = np.sum(w**2 * eta / (eta + k2))
    t1p = -np.sum(w**2 * eta / (eta + k2) ** 2)
    bias = -(k2**2) * t1p
    sig_num = k2 * t1 * (1 - rho) - rho * k2**2 * t1p
    eg = sig_num / (1 - gam1) + sigma2 * gam1 / (1 - gam1)
    return dict(kappa=k2, kappa1=k1, rho=rho, bias2=bias, var_data=bias * gam / (1 - gam),
                var_features=sig_num - bias, test_error=eg,
                train_error=(lam / k1) ** 2 * (eg + sigma2))
