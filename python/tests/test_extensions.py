"""Tests of the bindings added for nonlinear random features, training dynamics and
forecasting: agreement with independent evaluations (closed forms, numpy quadrature,
the linear theories the mappings reduce to), vectorised vs scalar calls, and the error
contract. Run: ``pytest python/tests`` after ``pip install ./python``."""

import math

import numpy as np
import pytest

import detridge as dr


def close(a, b, rel=1e-12, abs_=0.0):
    return abs(a - b) <= rel * max(abs(a), abs(b)) + abs_


def error_kind(excinfo):
    assert isinstance(excinfo.value, ValueError)
    return excinfo.value.kind


# ---------------------------------------------------------------------------------------
# Nonlinear random features (THEORY §12)


@pytest.mark.parametrize("a", [0.3, 1.0, 4.0])
def test_relu_hermite_is_the_closed_form(a):
    # h ~ N(0, a): E relu(h) = sqrt(a/(2π)), E[h relu(h)]/a = 1/2, E relu(h)^2 = a/2.
    h = dr.activation_hermite("relu", a)
    assert close(h.mu0, math.sqrt(a / (2 * math.pi)))
    assert close(h.mu1, 0.5)
    assert close(h.second_moment, a / 2)
    assert close(h.mu_star2, a / 2 - a / (2 * math.pi) - a / 4)


@pytest.mark.parametrize("name,f", [("tanh", np.tanh), ("gelu", None)])
def test_quadrature_hermite_matches_numpy_gauss_hermite(name, f):
    # Independent numpy Gauss–Hermite rule (hermgauss, weight e^{-x²}).
    if f is None:
        from math import erf

        f = np.vectorize(lambda x: 0.5 * x * (1.0 + erf(x / math.sqrt(2.0))))
    a = 1.7
    x, w = np.polynomial.hermite.hermgauss(150)
    h = math.sqrt(2 * a) * x
    phi = f(h)
    e0 = (w @ phi) / math.sqrt(math.pi)
    e1 = (w @ (h * phi)) / math.sqrt(math.pi) / a
    e2 = (w @ phi**2) / math.sqrt(math.pi)
    c = dr.activation_hermite(name, a)
    assert close(c.mu0, e0, 1e-10, 1e-13)
    assert close(c.mu1, e1, 1e-10)
    assert close(c.mu_star2, e2 - e0**2 - a * e1**2, 1e-8, 1e-13)


def test_identity_nonlinear_equals_linear_random_features_at_scaled_ridge():
    # φ = identity has μ₁ = 1, μ* = 0: linear RF on Σ at ridge Dλ (THEORY §12, §4.1).
    d = 300
    task = dr.Task.power_law(1.2, 0.5, d=d, noise=0.1)
    for p, n, lam in [(500.0, 200.0, 1e-3), (100.0, 400.0, 1e-2)]:
        a = task.nonlinear_random_features(p, n, lam, "identity")
        b = task.random_features(p, n, d * lam)
        assert a.mu_star2 == pytest.approx(0.0, abs=1e-15)
        for k in ["test_error", "train_error", "s_transform"]:
            assert close(getattr(a, k), getattr(b, k), 1e-10), (k, getattr(a, k), getattr(b, k))
        # κ lives in the spectrum Σ′ = Σ/D of the equivalent model.
        assert close(d * a.kappa, b.kappa, 1e-10) and close(d * a.kappa1, b.kappa1, 1e-10)


def equivalent_task(d, signal, noise, mu1):
    # Isotropic Σ = I_D, w̄_k = sqrt(signal/D) -> Σ′ = μ₁²Σ/D, w̄′ = w̄√D/μ₁ (THEORY §12).
    return dr.Task.from_weights(
        np.full(d, mu1**2 / d), np.full(d, math.sqrt(signal / d) * math.sqrt(d) / mu1), noise
    )


@pytest.mark.parametrize("act", ["relu", "erf", "tanh", "gelu"])
def test_nonlinear_is_the_equivalent_noisy_linear_model(act):
    d, signal, noise = 200, 1.0, 0.1
    task = dr.Task.isotropic(d, signal, noise)
    p, n, lam = 400.0, 300.0, 1e-3
    t = task.nonlinear_random_features(p, n, lam, act)
    h = dr.activation_hermite(act, 1.0)  # a = tr Σ / D = 1
    assert close(t.mu1, h.mu1) and close(t.mu_star2, h.mu_star2)
    eq = equivalent_task(d, signal, noise, h.mu1)
    ref = eq.noisy_random_features(p, n, h.mu_star2 / n, lam)
    assert close(t.test_error, ref.test_error, 1e-10)
    assert close(t.train_error, ref.train_error, 1e-10)
    # Infinite width: linear ridge on the equivalent task at lam + μ*²/P.
    inf = task.nonlinear_random_features(p, math.inf, lam, act)
    r = eq.ridge(p, lam + h.mu_star2 / p)
    assert close(inf.test_error, r.test_error, 1e-10)
    assert close(inf.effective_ridge_infinite_width, lam + h.mu_star2 / p)
    assert inf.in_domain and t.in_domain


def test_nonlinear_record_fields_and_domain_flag():
    t = dr.Task.isotropic(400, 1.0, 0.1).nonlinear_random_features(800.0, 600.0, 1e-3)
    d = t.to_dict()
    assert set(d) == set(dr.NonlinearRfTheory.FIELDS)
    assert d["effective_rank"] == pytest.approx(400.0, rel=1e-12)
    assert t.in_domain is True and t.hermite.mu1 == t.mu1
    # Train–test gap is the data S-transform squared (THEORY §12, §3.2).
    assert close((t.test_error + 0.1) / t.train_error, t.s_transform**2, 1e-8)
    # A steep power law has a small effective rank: flagged out of domain.
    steep = dr.Task.power_law(1.5, 0.5, d=400, noise=0.0).nonlinear_random_features(400.0, 400.0, 1e-3)
    assert steep.effective_rank < 100 and steep.in_domain is False


def test_nonlinear_bad_inputs_raise():
    task = dr.Task.isotropic(100, 1.0, 0.1)
    with pytest.raises(dr.DetridgeError) as e:
        task.nonlinear_random_features(200.0, 100.0, 1e-3, "softsign")
    assert error_kind(e) == "InvalidInput"
    for p, n, lam in [(200.0, 100.0, -1.0), (0.0, 100.0, 1e-3), (200.0, math.nan, 1e-3)]:
        with pytest.raises(dr.DetridgeError):
            task.nonlinear_random_features(p, n, lam, "relu")
    with pytest.raises(dr.DetridgeError) as e:  # D = ∞
        dr.Task.power_law(1.5, 0.5).nonlinear_random_features(200.0, 100.0, 1e-3)
    assert error_kind(e) == "Unsupported"
    with pytest.raises(dr.DetridgeError):
        dr.activation_hermite("relu", -1.0)


# ---------------------------------------------------------------------------------------
# Training dynamics (THEORY §13–14)


def mp_average(f, q, nodes=400):
    """∫ f(x) dMP_q(x) for the Marchenko–Pastur law of XᵀX/P, Σ = I, q = D/P < 1, by
    Gauss–Legendre in θ with x = c + h cos θ (removes the square-root edges)."""
    lo, hi = (1 - math.sqrt(q)) ** 2, (1 + math.sqrt(q)) ** 2
    c, h = (hi + lo) / 2, (hi - lo) / 2
    u, w = np.polynomial.legendre.leggauss(nodes)
    th = (u + 1) * math.pi / 2
    x = c + h * np.cos(th)
    dens = h**2 * np.sin(th) ** 2 / (2 * math.pi * q * x)
    return float((w * math.pi / 2) @ (f(x) * dens))


def test_gradient_flow_at_infinity_is_ridge_and_at_zero_the_signal():
    task = dr.Task.power_law(1.3, 0.6, d=500, noise=0.2)
    for p, lam in [(300.0, 1e-3), (1000.0, 1e-2)]:
        g = task.gradient_flow(p, lam, math.inf)
        r = task.ridge(p, lam)
        assert close(g.test_error, r.test_error, 1e-10)
        assert close(g.train_error, r.train_error, 1e-10)
        z = task.gradient_flow(p, lam, 0.0)
        assert close(z.test_error, task.signal_variance, 1e-14)
        assert close(z.train_error, task.signal_variance + 0.2, 1e-14)


@pytest.mark.parametrize("t", [0.3, 2.0, 20.0])
def test_gradient_flow_isotropic_matches_marchenko_pastur_quadrature(t):
    # Σ = I, λ = 0, no noise: E_g(t) = |w̄|² ∫ e^{−2tx} dMP_q(x) (rotation invariance).
    d, p, signal = 100, 400.0, 1.5
    g = dr.Task.isotropic(d, signal, 0.0).gradient_flow(p, 0.0, t)
    ref = signal * mp_average(lambda x: np.exp(-2 * t * x), d / p)
    assert close(g.test_error, ref, 1e-8, 10 * g.quadrature_error), (g.test_error, ref)
    assert g.test_noise == 0.0 or abs(g.test_noise) < 1e-12


def test_gradient_descent_isotropic_matches_marchenko_pastur_quadrature():
    # h(x) = (1 − ηx)^k at λ = 0 (THEORY §13).
    d, p, signal, eta = 100, 400.0, 1.0, 0.4
    task = dr.Task.isotropic(d, signal, 0.0)
    c = task.gradient_descent(p, 0.0, eta, [0, 1, 5, 40])
    assert c["test_error"][0] == pytest.approx(signal, rel=1e-14)
    for k, e, qe in zip(c["steps"][1:], c["test_error"][1:], c["quadrature_error"][1:]):
        ref = signal * mp_average(lambda x: (1 - eta * x) ** (2 * int(k)), d / p)
        assert close(e, ref, 1e-8, 10 * qe), (k, e, ref)
    assert np.allclose(c["time"], eta * c["steps"])


def test_dynamics_vectorised_equals_scalar():
    task = dr.Task.power_law(1.2, 0.4, d=300, noise=0.1)
    ts = np.array([0.0, 0.5, 5.0, 50.0, np.inf])
    c = task.gradient_flow(400.0, 1e-3, ts)
    assert isinstance(c, dr.Curve) and c.n_points == len(ts)
    for t, e, tr, qe in zip(ts, c["test_error"], c["train_error"], c["quadrature_error"]):
        s = task.gradient_flow(400.0, 1e-3, float(t))
        # One contour serves all times of the curve, its own for a scalar: equal up to
        # the estimated quadrature error.
        assert close(s.test_error, e, 1e-12, 10 * (qe + s.quadrature_error))
        assert close(s.train_error, tr, 1e-12, 10 * (qe + s.quadrature_error))
    ks = [0, 3, 30]
    cd = task.gradient_descent(400.0, 1e-3, 0.5, np.array(ks))
    for k, e in zip(ks, cd["test_error"]):
        s = task.gradient_descent(400.0, 1e-3, 0.5, k)
        assert s.steps == k and close(s.test_error, e, 1e-12, 10 * s.quadrature_error + 1e-12)
    cs = task.sgd([0, 10, 100], batch=2, eta=0.01)
    for k, e in zip([0, 10, 100], cs["test_error"]):
        assert task.sgd(k, batch=2, eta=0.01).test_error == e


def test_sgd_isotropic_recursion():
    # Σ = I_D, B = 1, λ = σ = 0: E(k+1) = (1 − 2η + η²(D + 2)) E(k), E(0) = |w̄|² (THEORY §14).
    d, eta, signal = 50, 0.01, 2.0
    task = dr.Task.isotropic(d, signal, 0.0)
    ks = np.arange(0, 60, 7)
    c = task.sgd(ks, batch=1, eta=eta)
    rate = 1 - 2 * eta + eta**2 * (d + 2)
    assert np.allclose(c["test_error"], signal * rate**ks, rtol=1e-12, atol=0)
    assert np.array_equal(c["samples"], ks.astype(float))
    assert close(dr.Task.isotropic(98, 1.0, 0.0).sgd_max_step(1, 0.0), 0.02)


def test_dynamics_bad_inputs_raise():
    task = dr.Task.isotropic(100, 1.0, 0.1)
    for t in [-1.0, math.nan, [1.0, -2.0]]:
        with pytest.raises(dr.DetridgeError):
            task.gradient_flow(200.0, 1e-3, t)
    with pytest.raises(dr.DetridgeError):
        task.gradient_flow(200.0, -1e-3, 1.0)
    with pytest.raises(dr.DetridgeError) as e:  # a 2-D array of times
        task.gradient_flow(200.0, 1e-3, np.ones((2, 2)))
    assert error_kind(e) == "InvalidInput"
    eta_max = task.gradient_descent_max_step(200.0, 1e-3)
    with pytest.raises(dr.DetridgeError) as e:
        task.gradient_descent(200.0, 1e-3, 1.01 * eta_max, 10)
    assert error_kind(e) == "InvalidParameter"
    task.gradient_descent(200.0, 1e-3, 0.9 * eta_max, 10)
    for k in [1.5, -1, math.nan]:
        with pytest.raises(dr.DetridgeError):
            task.gradient_descent(200.0, 1e-3, 0.1, k)
    with pytest.raises(dr.DetridgeError):
        task.sgd(10, batch=0)
    with pytest.raises(dr.DetridgeError):
        task.sgd(10, eta=1.05 * task.sgd_max_step(1, 0.0))


# ---------------------------------------------------------------------------------------
# Forecast (THEORY §16)


def small_data(seed=1, p0=150, d=60):
    rng = np.random.default_rng(seed)
    s = np.arange(1, d + 1) ** -1.5
    x = rng.standard_normal((p0, d)) * np.sqrt(s)
    w = np.arange(1, d + 1) ** -0.8
    y = x @ w + math.sqrt(0.1) * rng.standard_normal(p0)
    return x, y


def test_forecast_bands_task_and_optimum():
    x, y = small_data()
    f = dr.Forecast.fit(x, y, resamples=8, seed=3)
    e = f.test_error(600.0, 1e-3)
    assert e.lower <= e.value <= e.upper and e.value > 0 and e.level == 0.9
    task = f.task()
    assert isinstance(task, dr.Task)
    assert task.spectrum.dimension == 60
    # The point forecast is the fitted task's ridge theory.
    assert close(e.value, task.ridge(600.0, 1e-3).test_error, 1e-12)
    assert close(f.risk(600.0, 1e-3).value, task.ridge(600.0, 1e-3).gcv, 1e-12)
    o = f.optimal(600.0)
    assert o.test_error.value <= e.value * (1 + 1e-9)
    assert close(o.lam.value, task.optimal_ridge(600.0).lam, 1e-9)
    # Same seed, same bands.
    e2 = dr.Forecast.fit(x, y, resamples=8, seed=3).test_error(600.0, 1e-3)
    assert (e2.lower, e2.upper) == (e.lower, e.upper)


def test_forecast_bad_inputs_raise():
    x, y = small_data()
    with pytest.raises(dr.DetridgeError) as e:
        dr.Forecast.fit(x, y[:-1], resamples=4)
    assert error_kind(e) == "LengthMismatch"
    with pytest.raises(dr.DetridgeError) as e:
        dr.Forecast.fit(x[:, 0], y, resamples=4)
    assert error_kind(e) == "InvalidInput"
    bad = x.copy()
    bad[3, 4] = np.nan
    with pytest.raises(dr.DetridgeError):
        dr.Forecast.fit(bad, y, resamples=4)
    f = dr.Forecast.fit(x, y, resamples=4)
    with pytest.raises(dr.DetridgeError):
        f.test_error(-5.0, 1e-3)


# ---------------------------------------------------------------------------------------
# Training dynamics of linear random features (THEORY §13, "Linear random features")


def test_random_features_gradient_flow_at_infinity_is_random_features():
    # t = inf is the ridge (readout) estimator: Task.random_features exactly, including
    # lam = 0 on both sides of the interpolation threshold and D = inf.
    tasks = [dr.Task.power_law(1.5, 0.5, d=400, noise=0.1), dr.Task.power_law(1.5, 0.5, noise=0.1)]
    cases = [(300.0, 200.0, 1e-2), (300.0, 600.0, 1e-2), (500.0, 100.0, 0.0), (100.0, 300.0, 0.0)]
    for task in tasks:
        for p, n, lam in cases:
            rf = task.random_features(p, n, lam)
            g = task.gradient_flow(p, lam, math.inf, features=n)
            assert isinstance(g, dr.GradientFlowTheory) and g.features == n and g.p == p
            assert close(g.test_error, rf.test_error, 1e-14), (p, n, lam)
            assert close(g.train_error, rf.train_error, 1e-14), (p, n, lam)
            assert close(g.test_signal + g.test_noise, g.test_error, 1e-12)
            # t = 0: zero readout; t = 1: strictly between the start and beyond the end.
            c = task.gradient_flow(p, lam, [0.0, 1.0, math.inf], features=n)
            assert c["features"].tolist() == [n] * 3
            assert close(c["test_error"][0], task.signal_variance, 1e-14)
            assert c["test_error"][1] < task.signal_variance
            assert c["test_error"][2] == g.test_error


def test_random_features_dynamics_without_features_is_linear_ridge():
    # features=None (the default) is the linear-ridge theory, reported as features = inf;
    # features=inf (N = inf) is the same theory, field for field.
    task = dr.Task.power_law(1.2, 0.4, d=300, noise=0.1)
    ts = [0.0, 0.5, 5.0, math.inf]
    lin = task.gradient_flow(400.0, 1e-3, ts)
    assert np.all(lin["features"] == math.inf)
    for features in [None, math.inf]:
        same = task.gradient_flow(400.0, 1e-3, ts, features=features)
        assert same.keys() == lin.keys()
        for k in lin.keys():
            assert np.array_equal(same[k], lin[k]), k
    assert close(lin["test_error"][3], task.ridge(400.0, 1e-3).test_error, 1e-10)
    eta = task.gradient_descent_max_step(400.0, 1e-3)
    assert task.gradient_descent_max_step(400.0, 1e-3, features=math.inf) == eta
    d = task.gradient_descent(400.0, 1e-3, 0.5 * eta, [1, 10])
    wide = task.gradient_descent(400.0, 1e-3, 0.5 * eta, [1, 10], features=math.inf)
    assert np.array_equal(d["test_error"], wide["test_error"])
    assert np.all(d["features"] == math.inf)
    # A finite width is a different model: the width-limited readout does worse at t = inf.
    narrow = task.gradient_flow(400.0, 1e-3, math.inf, features=50.0)
    assert narrow.test_error > lin["test_error"][3]


def test_random_features_gradient_descent_stability_bound_and_vectorisation():
    task = dr.Task.isotropic(200, 1.0, 0.25)
    p, n, lam = 300.0, 150.0, 1e-2
    eta_max = task.gradient_descent_max_step(p, lam, features=n)
    assert eta_max != task.gradient_descent_max_step(p, lam)
    with pytest.raises(dr.DetridgeError) as e:
        task.gradient_descent(p, lam, 1.01 * eta_max, 10, features=n)
    assert error_kind(e) == "InvalidParameter" and e.value.details["name"] == "eta"
    ks = [0, 3, 30]
    c = task.gradient_descent(p, lam, 0.9 * eta_max, np.array(ks), features=n)
    assert np.allclose(c["time"], 0.9 * eta_max * c["steps"], rtol=1e-15)
    assert close(c["test_error"][0], task.signal_variance, 1e-14)
    for k, err in zip(ks, c["test_error"]):
        s = task.gradient_descent(p, lam, 0.9 * eta_max, k, features=n)
        assert s.features == n
        assert close(s.test_error, err, 1e-12, 10 * s.quadrature_error + 1e-12)


def test_random_features_dynamics_simulation_agrees_with_theory():
    # Isotropic D = 120, sigma^2 = 0.25, F redrawn per draw, 60 draws: (P, N, lam) =
    # (150, 80, 1e-2) (a width bottleneck) and (80, 200, 0.1) (fewer samples than D),
    # times 1, 10, inf, and gradient descent at half the stability bound, 5 and 50 steps.
    # Allowance: 4 SE + 2 % of the theory for finite size. Measured with 1500 draws, the
    # deviations of the means are <= 1.8 % (train_error, (80, 200)), <= 1.3 % elsewhere.
    # lam = 0.1 in the second case: at lam = 1e-2 the near-interpolating train error
    # (1e-3 of its start) is 6 % above the theory at D = 120 (5 % at D = 200), O(1/D).
    task = dr.Task.isotropic(120, 1.0, 0.25)
    times = [1.0, 10.0, math.inf]
    for seed, (p, n, lam) in enumerate([(150, 80, 1e-2), (80, 200, 0.1)]):
        mc = dr.montecarlo.gradient_flow(task, p, [lam], times, 60, 11 + seed, features=n)
        assert mc.n_points == 3 and np.all(mc["features"] == n)
        assert np.all(np.isnan(mc["steps"]))
        th = task.gradient_flow(float(p), lam, times, features=float(n))
        for f in ["test_error", "train_error", "test_signal", "test_noise"]:
            dev = np.abs(mc[f] - th[f])
            allowed = 4 * mc[f + "_se"] + 0.02 * np.abs(th[f])
            assert np.all(dev <= allowed), (p, n, f, mc[f], th[f], mc[f + "_se"])
        eta = 0.5 * task.gradient_descent_max_step(float(p), lam, features=float(n))
        md = dr.montecarlo.gradient_descent(task, p, [lam], eta, [5, 50], 60, 21 + seed, features=n)
        assert md["steps"].tolist() == [5.0, 50.0]
        assert np.allclose(md["time"], eta * md["steps"])
        td = task.gradient_descent(float(p), lam, eta, [5, 50], features=float(n))
        for f in ["test_error", "train_error"]:
            dev = np.abs(md[f] - td[f])
            allowed = 4 * md[f + "_se"] + 0.02 * td[f]
            assert np.all(dev <= allowed), (p, n, f, md[f], td[f])
    lam = 1e-2
    # Seeded: the same seed reproduces bit for bit; features=None / inf is the linear
    # simulator (reported as features = inf), which differs from a finite width.
    a = dr.montecarlo.gradient_flow(task, 80, [lam], [1.0], 10, 3, features=40)
    b = dr.montecarlo.gradient_flow(task, 80, [lam], [1.0], 10, 3, features=40.0)
    assert np.array_equal(a["test_error"], b["test_error"])
    lin = dr.montecarlo.gradient_flow(task, 80, [lam], [1.0], 10, 3)
    inf = dr.montecarlo.gradient_flow(task, 80, [lam], [1.0], 10, 3, features=math.inf)
    assert np.array_equal(lin["test_error"], inf["test_error"]) and lin["features"][0] == math.inf
    assert not np.array_equal(lin["test_error"], a["test_error"])


def test_random_features_dynamics_bad_features_raise():
    task = dr.Task.isotropic(50, 1.0, 0.1)
    for bad in [0.0, -3.0, math.nan]:
        for call in [
            lambda: task.gradient_flow(100.0, 1e-2, 1.0, features=bad),
            lambda: task.gradient_flow(100.0, 1e-2, [1.0, 2.0], features=bad),
            lambda: task.gradient_descent(100.0, 1e-2, 0.1, 5, features=bad),
            lambda: task.gradient_descent_max_step(100.0, 1e-2, features=bad),
            lambda: dr.montecarlo.gradient_flow(task, 60, [1e-2], [1.0], 4, 1, features=bad),
            lambda: dr.montecarlo.gradient_descent(task, 60, [1e-2], 0.1, [5], 4, 1, features=bad),
        ]:
            with pytest.raises(dr.DetridgeError) as e:
                call()
            assert error_kind(e) in ("InvalidParameter", "NonFinite"), (bad, error_kind(e))
            assert e.value.details.get("name", e.value.details.get("what")) in ("n", "features")
    # The simulator needs an integral width.
    with pytest.raises(dr.DetridgeError) as e:
        dr.montecarlo.gradient_flow(task, 60, [1e-2], [1.0], 4, 1, features=20.5)
    assert error_kind(e) == "InvalidParameter" and e.value.details["name"] == "features"
    with pytest.raises(TypeError):
        task.gradient_flow(100.0, 1e-2, 1.0, features="wide")
