"""Tests of the Python bindings: agreement with independent numpy evaluations (1e-12),
identities, vectorised vs scalar calls, the error contract, input conversion, a seeded
Monte Carlo check and the GIL release. Run: ``pytest python/tests`` after
``pip install ./python``."""

import math
import threading
import time

import numpy as np
import pytest

import detridge as dr
from detridge import _detridge

import reference as ref

REL = 1e-12


def close(a, b, rel=REL):
    return abs(a - b) <= rel * max(abs(a), abs(b))


# ---------------------------------------------------------------------------------------
# Agreement with independent evaluations


@pytest.mark.parametrize("d,p,lam", [(100, 400, 1e-2), (100, 50, 1e-3), (500, 500, 0.3), (30, 31, 1e-6)])
def test_isotropic_kappa_is_the_closed_form_quadratic_root(d, p, lam):
    # Sigma = I: kappa (1 - D/(P (1 + kappa))) = lam, i.e.
    # kappa^2 + kappa (1 - D/P - lam) - lam = 0, positive root (THEORY §3.3).
    t = dr.Task.isotropic(d, 1.0, 0.25).ridge(p, lam)
    b = 1.0 - d / p - lam
    # Numerically stable root: for b > 0 use 2 lam / (b + sqrt(b^2 + 4 lam)).
    disc = math.sqrt(b * b + 4.0 * lam)
    kappa = (disc - b) / 2.0 if b <= 0 else 2.0 * lam / (b + disc)
    assert close(t.kappa, kappa), (t.kappa, kappa)
    gamma = d / (p * (1.0 + kappa) ** 2)
    assert close(t.gamma, gamma)
    eg = (kappa**2 / (1 + kappa) ** 2 + gamma * 0.25) / (1 - gamma)
    assert close(t.test_error, eg)


def _random_task(rng, d=60, noise=0.3):
    eta = np.sort(rng.uniform(0.01, 2.0, d))[::-1] ** 2
    w = rng.normal(size=d)
    return eta, w, dr.Task.from_weights(eta, w, noise)


@pytest.mark.parametrize("p,lam", [(30.0, 1e-3), (60.0, 0.05), (250.0, 1.0), (45.5, 1e-5)])
def test_ridge_matches_numpy_reference(rng, p, lam):
    eta, w, task = _random_task(rng)
    t = task.ridge(p, lam)
    r = ref.ridge(eta, w, lam, p, 0.3)
    for k, v in r.items():
        assert close(getattr(t, k), v), (k, getattr(t, k), v)


@pytest.mark.parametrize("p,n,lam", [(40.0, 80.0, 1e-3), (80.0, 30.0, 0.05), (100.0, 100.0, 0.5)])
def test_random_features_match_numpy_reference(rng, p, n, lam):
    eta, w, task = _random_task(rng)
    f = task.random_features(p, n, lam)
    r = ref.random_features(eta, w, lam, p, n, 0.3)
    for k, v in r.items():
        assert close(getattr(f, k), v), (k, getattr(f, k), v)


def test_identities():
    task = dr.Task.power_law(1.5, 0.6, d=400, noise=0.09)
    for p, lam in [(50.0, 1e-3), (300.0, 1e-2), (1000.0, 0.2)]:
        t = task.ridge(p, lam)
        assert close(t.bias2 + t.var_data + t.var_noise, t.test_error)
        # E_tr (kappa/lam)^2 = E_g + sigma^2 (THEORY §3.2)
        assert close(t.train_error * (t.kappa / lam) ** 2, t.test_error + 0.09)
        assert close(t.gcv, t.test_error + 0.09)
        f = task.random_features(p, 2 * p, lam)
        s = f.bias2 + f.var_data + f.var_features + f.var_data_features + f.var_noise
        assert close(s, f.test_error, 1e-11)
        assert close(f.train_error * (f.kappa1 / lam) ** 2, f.test_error + 0.09)


def test_random_features_at_infinite_width_are_ridge():
    task = dr.Task.power_law(1.5, 0.6, d=300, noise=0.09)
    a = task.random_features(200.0, math.inf, 1e-3)
    b = task.ridge(200.0, 1e-3)
    assert close(a.test_error, b.test_error, 1e-12)
    deep = task.deep_random_features(200.0, [400.0], 1e-3)
    one = task.random_features(200.0, 400.0, 1e-3)
    assert close(deep.test_error, one.test_error, 1e-14)


def test_power_law_infinite_dimension_and_scaling_exponent():
    # Noiseless ridgeless power law with D = inf: E_g ~ P^{-2 alpha r} for r < 1
    # (THEORY §7.2, resolution-limited). The local slope converges to the exponent as
    # P grows; over P in [1e4, 1e5] it is within 1% of it (corrections are O(P^-alpha)).
    alpha, r = 2.0, 0.4
    task = dr.Task.power_law(alpha, r)  # d=None: D = inf
    assert math.isinf(task.spectrum.dimension)
    ps = np.logspace(4, 5, 12)
    c = task.ridge_curve(p=ps, lam=0.0)
    fit = dr.scaling.fit_log_log(ps, c["test_error"])
    e = dr.scaling.exponent("resolution_limited", alpha, r)
    assert e.variable == "samples" and close(e.value, -2 * alpha * r)
    assert abs(fit.slope - e.value) < 0.01 * abs(e.value), (fit.slope, e.value)


# ---------------------------------------------------------------------------------------
# Vectorised vs scalar


def test_ridge_curve_over_p_and_lambda_equals_scalar_calls():
    task = dr.Task.power_law(1.5, 0.6, d=500, noise=0.1)
    ps = np.logspace(1, 4, 40)
    c = task.ridge_curve(p=ps, lam=1e-3)
    assert c.n_points == 40 and c["test_error"].shape == (40,)
    assert c.ok.all()
    for i in range(0, 40, 3):
        t = task.ridge(ps[i], 1e-3)
        for k in dr.RidgeTheory.FIELDS:
            if k != "solver_iterations":
                assert close(c[k][i], getattr(t, k)), (k, i)
    lams = np.logspace(-6, 1, 50)
    c = task.ridge_curve(p=1000.0, lam=lams)
    for i in range(0, 50, 7):
        t = task.ridge(1000.0, lams[i])
        assert close(c.test_error[i], t.test_error) and close(c.kappa[i], t.kappa)
    # Two arrays of the same length go pointwise.
    c2 = task.ridge_curve(p=ps[:5], lam=lams[:5])
    assert close(c2.test_error[4], task.ridge(ps[4], lams[4]).test_error)


def test_random_features_curve_equals_scalar_calls():
    task = dr.Task.power_law(1.5, 0.6, d=300, noise=0.09)
    ns = np.logspace(1, 3, 20)
    c = task.random_features_curve(p=200.0, n=ns, lam=1e-3)
    for i in range(0, 20, 4):
        f = task.random_features(200.0, ns[i], 1e-3)
        assert close(c["test_error"][i], f.test_error) and close(c.var_features[i], f.var_features)
    ps = np.array([50.0, 100.0, 400.0])
    c = task.random_features_curve(p=ps, n=300.0, lam=1e-3)
    assert close(c.test_error[2], task.random_features(400.0, 300.0, 1e-3).test_error)
    c = task.random_features_curve(p=200.0, n=300.0, lam=np.array([1e-3, 1e-2]))
    assert close(c.kappa[1], task.random_features(200.0, 300.0, 1e-2).kappa)
    c = task.random_features_curve(p=ps, n=ps * 2, lam=1e-3)  # two arrays: pointwise
    assert close(c.test_error[1], task.random_features(100.0, 200.0, 1e-3).test_error)
    a = task.anisotropic_random_features(200.0, np.ones(400), 1e-3)
    assert close(a.test_error, task.random_features(200.0, 400.0, 1e-3).test_error, 1e-10)
    nz = task.noisy_random_features(200.0, 400.0, 0.1, 1e-2)
    assert nz.test_error > task.random_features(200.0, 400.0, 1e-2).test_error
    c = task.deep_random_features_curve(p=np.array([100.0, 200.0]), widths=[300.0, 400.0], lam=1e-2)
    assert close(c.test_error[1], task.deep_random_features(200.0, [300.0, 400.0], 1e-2).test_error)


def test_curve_is_dict_like_and_converts():
    c = dr.Task.isotropic(50, 1.0, 0.1).ridge_curve(p=[10.0, 20.0], lam=0.1)
    assert "kappa" in c and "nope" not in c
    assert list(c) == c.keys() == list(dr.RidgeTheory.FIELDS)
    d = c.to_dict()
    assert set(d) == set(dr.RidgeTheory.FIELDS) and isinstance(d["p"], np.ndarray)
    assert dict(c.items()).keys() == d.keys()
    with pytest.raises(KeyError):
        c["nope"]
    t = dr.Task.isotropic(50, 1.0, 0.1).ridge(10.0, 0.1)
    assert t.to_dict()["kappa"] == t.kappa
    try:
        import pandas  # noqa: F401
    except ImportError:
        with pytest.raises(ImportError):
            c.to_pandas()
    else:
        assert c.to_pandas().shape == (2, len(dr.RidgeTheory.FIELDS))


def test_curve_errors_raise_by_default_and_mask_on_request():
    task = dr.Task.isotropic(100, 1.0, 0.5)
    ps = np.array([50.0, 100.0, 400.0])  # P = D at lam = 0 diverges
    with pytest.raises(dr.DetridgeError) as e:
        task.ridge_curve(p=ps, lam=0.0)
    assert e.value.kind == "Divergent"
    c = task.ridge_curve(p=ps, lam=0.0, errors="mask")
    assert c.ok.tolist() == [True, False, True]
    assert np.isnan(c.test_error[1]) and np.isnan(c.kappa[1])
    assert c.p[1] == 100.0 and c.lam[1] == 0.0  # inputs kept
    assert close(c.test_error[2], 0.5 * 100 / 300)
    assert c.to_dict()["ok"].tolist() == [True, False, True]
    errs = c.point_errors()
    assert errs[0] is None and errs[1].kind == "Divergent"
    with pytest.raises(dr.DetridgeError) as e:
        task.ridge_curve(p=ps, lam=0.0, errors="ignore")
    assert e.value.kind == "InvalidInput"


# ---------------------------------------------------------------------------------------
# Errors


ALL_KINDS = {
    "NonFinite": {"what": "x"},
    "InvalidParameter": {"name": "p", "value": -1.0, "reason": "must be > 0"},
    "LengthMismatch": {"what": "a vs b", "expected": 3, "got": 2},
    "Empty": {"what": "eigenvalues"},
    "RidgeBelowMinimum": {"lam": -2.0, "lam_min": -0.5},
    "NoConvergence": {"what": "solver", "iterations": 7, "residual": 0.5, "last": 1.5},
    "NotBracketed": {"what": "root", "lo": 1.0, "hi": 2.0},
    "Divergent": {"what": "test error", "reason": "gamma = 1"},
    "NotPositiveSemiDefinite": {"what": "K", "reason": "eigenvalue -1"},
    "Decomposition": {"what": "X", "reason": "backend failed"},
    "Unsupported": {"what": "infinite D"},
    "InfiniteOptimum": {"what": "optimal ridge", "limit": 1.0},
}


@pytest.mark.parametrize("kind", sorted(ALL_KINDS))
def test_every_rust_error_variant_maps_to_detridge_error(kind):
    with pytest.raises(dr.DetridgeError) as e:
        _detridge._testing.raise_error(kind)
    assert isinstance(e.value, ValueError)
    assert e.value.kind == kind
    for k, v in ALL_KINDS[kind].items():
        assert e.value.details[k] == v
    if kind == "NonFinite":
        assert math.isnan(e.value.details["value"])


def test_panic_becomes_detridge_error():
    with pytest.raises(dr.DetridgeError) as e:
        _detridge._testing.panic()
    assert e.value.kind == "Panic" and "test panic" in str(e.value)


def _kind(f):
    with pytest.raises(dr.DetridgeError) as e:
        f()
    return e.value


def test_errors_reachable_from_public_calls():
    iso = dr.Task.isotropic(10, 1.0, 0.1)
    e = _kind(lambda: iso.ridge(float("nan"), 0.1))
    assert e.kind == "NonFinite" and e.details["what"] == "p"
    e = _kind(lambda: iso.ridge(-5.0, 0.1))
    assert e.kind == "InvalidParameter" and e.details["name"] == "p" and e.details["value"] == -5.0
    e = _kind(lambda: dr.Task.from_weights([1.0, 2.0], [1.0], 0.1))
    assert e.kind == "LengthMismatch" and (e.details["expected"], e.details["got"]) == (2, 1)
    assert _kind(lambda: dr.Task.from_weights([], [], 0.1)).kind == "Empty"
    e = _kind(lambda: iso.ridge(5.0, -100.0))
    assert e.kind == "RidgeBelowMinimum" and e.details["lam"] == -100.0
    assert close(e.details["lam_min"], iso.min_ridge(5.0))
    e = _kind(lambda: iso.ridge(10.0, 0.0))
    assert e.kind == "Divergent"
    # No signal: the optimal ridge is infinite, and the error carries the limiting E_g (0).
    e = _kind(lambda: dr.Task.isotropic(10, 0.0, 0.1).optimal_ridge(100.0))
    assert e.kind == "InfiniteOptimum" and e.details["limit"] == 0.0
    e = _kind(lambda: dr.Task.from_covariance(np.array([[1.0, 2.0], [2.0, 1.0]]), np.ones(2), 0.1))
    assert e.kind == "NotPositiveSemiDefinite"
    e = _kind(lambda: dr.montecarlo.ridge(dr.Task.power_law(2.0, 0.5), 10, [0.1], 5, 1))
    assert e.kind == "Unsupported"
    e = _kind(lambda: dr.Task.power_law(2.0, 0.5, d=-3))
    assert e.kind == "InvalidParameter" and e.details["name"] == "d"
    e = _kind(lambda: dr.scaling.exponent("no_such_regime", 2.0, 0.5))
    assert e.kind == "InvalidInput"


def test_no_nan_returned_in_place_of_an_error():
    task = dr.Task.power_law(1.5, 0.6, d=200, noise=0.1)
    for bad in [float("nan"), float("inf"), -1.0, 0.0]:
        with pytest.raises(dr.DetridgeError):
            task.ridge(bad, 1e-3)
        with pytest.raises(dr.DetridgeError):
            task.ridge_curve(p=np.array([10.0, bad]), lam=1e-3)
    with pytest.raises(dr.DetridgeError):
        task.ridge(100.0, float("nan"))


# ---------------------------------------------------------------------------------------
# Inputs


def test_input_conversion():
    eta = np.array([3, 2, 1])  # ints are converted
    a = dr.Task.from_weights(eta, [1, 0, 1], 0.1)
    b = dr.Task.from_weights(np.array([3.0, 2.0, 1.0]), np.array([1.0, 0.0, 1.0]), 0.1)
    assert a.ridge(5.0, 0.1).test_error == b.ridge(5.0, 0.1).test_error
    big = np.arange(12, dtype=float)[::-1] + 1.0
    strided = big[::2]  # non-contiguous
    assert not strided.flags["C_CONTIGUOUS"]
    c = dr.Task.from_weights(strided, np.ones(6), 0.1)
    d = dr.Task.from_weights(np.ascontiguousarray(strided), np.ones(6), 0.1)
    assert c.ridge(4.0, 0.1).kappa == d.ridge(4.0, 0.1).kappa
    task = dr.Task.isotropic(20, 1.0, 0.1)
    lams = np.logspace(-3, 0, 8)
    assert np.array_equal(task.ridge_curve(p=50.0, lam=lams[::-1][::-1]).kappa,
                          task.ridge_curve(p=50.0, lam=list(lams)).kappa)
    # 0-d arrays and numpy scalars are scalars.
    assert task.ridge_curve(p=np.float64(50.0), lam=np.array(0.1)).n_points == 1
    e = _kind(lambda: dr.Task.from_weights(np.ones((2, 2)), np.ones(4), 0.1))
    assert e.kind == "InvalidInput" and "1-D" in str(e)
    e = _kind(lambda: task.ridge_curve(p=np.ones((2, 2)), lam=0.1))
    assert e.kind == "InvalidInput"
    e = _kind(lambda: task.ridge_curve(p=np.ones(3), lam=np.ones(4)))
    assert e.kind == "InvalidInput"
    e = _kind(lambda: dr.RidgePath(np.ones(5), np.ones(5)))
    assert e.kind == "InvalidInput" and "2-D" in str(e)
    with pytest.raises(TypeError):
        task.ridge_curve(p="many", lam=0.1)


# ---------------------------------------------------------------------------------------
# Estimators from data


def test_ridge_path_matches_numpy(rng):
    p, d = 80, 30
    x = rng.normal(size=(p, d))
    y = x @ rng.normal(size=d) / np.sqrt(d) + 0.3 * rng.normal(size=p)
    path = dr.RidgePath(x, y)
    assert (path.n_samples, path.n_features, path.rank) == (p, d, d)
    lams = np.array([1e-3, 0.1, 2.0])
    gcv, loo, tr = path.gcv(lams), path.loocv(lams), path.train_error(lams)
    assert isinstance(path.gcv(0.1), float)
    for i, lam in enumerate(lams):
        a = x.T @ x / p + lam * np.eye(d)
        w = np.linalg.solve(a, x.T @ y / p)
        h = x @ np.linalg.solve(a, x.T) / p
        r = y - x @ w
        df = np.trace(np.linalg.solve(a, x.T @ x / p))
        # Two different factorizations (eigendecomposition in Rust, LU here) of a matrix
        # with condition number <= 1e3: agreement to ~1e-13 relative, asserted at 1e-11.
        assert close(tr[i], r @ r / p, 1e-11)
        assert close(gcv[i], (r @ r / p) / (1 - df / p) ** 2, 1e-11)
        assert close(loo[i], np.mean((r / (1 - np.diag(h))) ** 2), 1e-11)
        assert close(path.df(lam), df, 1e-11)
        assert close(path.kappa_hat(lam), lam / (1 - df / p), 1e-11)
        assert close(gcv[i], path.gcv(float(lam)), 1e-15)
    choice = path.select_lambda("gcv")
    assert choice.value <= min(gcv) * (1 + 1e-12) or choice.at_boundary
    assert path.weights(0.1).shape == (d,)


# ---------------------------------------------------------------------------------------
# Kernels


def test_sphere_kernel_task_and_convention():
    task = dr.kernel.sphere_task(3, [1.0, 0.5, 0.25], [0.0, 1.0, 0.0], 0.1)
    assert task.spectrum.dimension == 9.0
    k = dr.kernel.kernel_ridge(task, 20.0, 1e-2)
    t = task.ridge(20.0, 1e-2)
    assert k.test_error == t.test_error and close(k.lam_c, 20.0 * 1e-2) and close(k.kappa_c, 20.0 * t.kappa)
    lc = dr.kernel.learning_curve(task, [5.0, 10.0, 20.0], 1e-2)
    assert close(lc.test_error[2], t.test_error)
    assert task.kernel_ridge(20.0, 1e-2).test_error == k.test_error
    c = task.kernel_ridge_curve(p=20.0, lam=[1e-3, 1e-2])
    assert close(c.test_error[1], t.test_error) and close(c.kappa_c[1], 20.0 * t.kappa)
    # P = rank = 9 at lam = 0: masked, not NaN in place of an error.
    c = task.kernel_ridge_curve(p=[5.0, 9.0, 20.0], lam=0.0, errors="mask")
    assert c.ok.tolist() == [True, False, True]
    assert dr.kernel.sphere_degeneracy(3, 2) == 5.0


# ---------------------------------------------------------------------------------------
# Monte Carlo


def test_montecarlo_ridge_seeded_agreement():
    # Isotropic Gaussian data, D = 20, P = 60, sigma^2 = 0.25.
    # lam = 0: the exact finite-sample mean E[E_g] = sigma^2 D/(P - D - 1) (no allowance).
    # lam = 0.1: the deterministic equivalent, with a 5% finite-size allowance (at D = 20
    # the O(1/D) corrections to E_g are a few percent; THEORY §9).
    task = dr.Task.isotropic(20, 1.0, 0.25)
    mc = dr.montecarlo.ridge(task, 60, [0.0, 0.1], 400, 7)
    assert mc.n_points == 2 and mc["draws"][0] == 400
    exact = 0.25 * 20 / (60 - 20 - 1)
    assert abs(mc.test_error[0] - exact) <= 4 * mc.test_error_se[0]
    th = task.ridge(60.0, 0.1)
    assert abs(mc.test_error[1] - th.test_error) <= 4 * mc.test_error_se[1] + 0.05 * th.test_error
    assert abs(mc.train_error[1] - th.train_error) <= 4 * mc.train_error_se[1] + 0.05 * th.train_error
    # Seeded: the same seed reproduces bit for bit, another seed differs.
    again = dr.montecarlo.ridge(task, 60, [0.0, 0.1], 400, 7)
    assert np.array_equal(again.test_error, mc.test_error)
    other = dr.montecarlo.ridge(task, 60, [0.0, 0.1], 400, 8)
    assert not np.array_equal(other.test_error, mc.test_error)
    # Counts may be integral floats; anything else is an InvalidParameter.
    same = dr.montecarlo.ridge(task, 60.0, np.array([0.0, 0.1]), 400.0, 7)
    assert np.array_equal(same.test_error, mc.test_error)
    e = _kind(lambda: dr.montecarlo.ridge(task, 60.5, [0.1], 10, 7))
    assert e.kind == "InvalidParameter" and e.details["name"] == "p"


def test_montecarlo_random_features_model_keywords():
    task = dr.Task.isotropic(10, 1.0, 0.1)
    mc = dr.montecarlo.random_features(task, 20, [0.1], 4, 3, 3, n=15)
    assert "var_features_se" in mc and mc.n_points == 1
    e = _kind(lambda: dr.montecarlo.random_features(task, 20, [0.1], 4, 3, 3, n=15, widths=[5, 6]))
    assert e.kind == "InvalidInput"


# ---------------------------------------------------------------------------------------
# The GIL


def test_long_curve_releases_the_gil():
    # A Python thread counts while the main thread computes a long curve in Rust. If the
    # GIL were held for the whole call, the counter could not move while it runs.
    rng = np.random.default_rng(1)
    task = dr.Task.from_weights(rng.uniform(0.01, 1.0, 20000), rng.normal(size=20000), 0.1)
    lams = np.logspace(-4, 1, 400)
    counts = []
    stop = threading.Event()

    def count():
        n = 0
        while not stop.is_set():
            n += 1
            counts.append(n)

    t = threading.Thread(target=count)
    t.start()
    time.sleep(0.05)
    before = len(counts)
    t0 = time.perf_counter()
    c = task.ridge_curve(p=5000.0, lam=lams)
    elapsed = time.perf_counter() - t0
    during = len(counts) - before
    stop.set()
    t.join()
    assert c.n_points == 400
    assert elapsed > 0.02, "curve too short to tell"
    # The counting thread makes ~1e6 increments per second when it runs; with the GIL
    # held it would make none (the switch interval never fires inside Rust code).
    assert during > 1000 * elapsed, (during, elapsed)
