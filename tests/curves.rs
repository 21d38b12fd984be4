//! Learning curves (`Task::ridge_curve_p`, `Task::ridge_curve_lambda`) against cold
//! single-point solves, point by point, and their cost in spectrum passes (THEORY §2.1,
//! §3; issue #15).
//!
//! A curve predicts each `κ` from the previous points and accepts the root of a Taylor
//! expansion of the traces around the prediction only if the solver's own convergence
//! test holds there; so every point must equal `task.ridge(p, λ)` to the solver tolerance
//! (`rel_tol = 64ε`), whatever the order of the grid, across `P = rank Σ`, at `λ ≤ 0`,
//! on analytic and on compressed spectra.

use detridge::ridge::RidgeTheory;
use detridge::{Error, Spectrum, Task};
use proptest::prelude::*;

/// Two solves of the same point each stop within `rel_tol = 64ε ≈ 1.4e-14` of the root
/// (plus the rounding floor), and their traces are sums in different orders: they agree
/// to ~1e-13 in `κ`; an error that depends on `κ` through `1/(1 − γ)` (the
/// double-descent amplification) may differ by that factor more.
const CURVE_REL: f64 = 1e-13;

fn rel(a: f64, b: f64) -> f64 {
    if a.to_bits() == b.to_bits() {
        0.0
    } else {
        (a - b).abs() / a.abs().max(b.abs())
    }
}

/// Every field of a curve point against the cold solve at the same `(P, λ)`.
fn assert_same(t: &RidgeTheory, cold: &RidgeTheory, what: &str) {
    let amp = cold.dkappa_dlambda.abs().max(1.0);
    let tol = CURVE_REL * amp;
    for (name, a, b) in [
        ("kappa", t.kappa, cold.kappa),
        ("df1", t.df1, cold.df1),
        ("df2", t.df2, cold.df2),
        ("gamma", t.gamma, cold.gamma),
        ("test_error", t.test_error, cold.test_error),
        ("train_error", t.train_error, cold.train_error),
        ("bias2", t.bias2, cold.bias2),
        ("var_data", t.var_data, cold.var_data),
        ("var_noise", t.var_noise, cold.var_noise),
        ("gcv", t.gcv, cold.gcv),
    ] {
        assert!(
            rel(a, b) <= tol,
            "{what} P = {}, λ = {}: {name} {a:e} vs cold {b:e} (rel {:.1e}, tol {tol:.1e})",
            cold.p,
            cold.lambda,
            rel(a, b)
        );
    }
    assert_eq!(t.p.to_bits(), cold.p.to_bits());
    assert_eq!(t.lambda.to_bits(), cold.lambda.to_bits());
}

fn check_p_curve(task: &Task, ps: &[f64], lambda: f64, what: &str) -> usize {
    let curve = task.ridge_curve_p(ps, lambda).into_result().unwrap();
    assert_eq!(curve.len(), ps.len());
    for (t, &p) in curve.iter().zip(ps) {
        assert_same(t, &task.ridge(p, lambda).unwrap(), what);
    }
    curve.iter().map(|t| t.solver.iterations).sum()
}

fn check_lambda_curve(task: &Task, p: f64, lambdas: &[f64], what: &str) -> usize {
    let curve = task.ridge_curve_lambda(p, lambdas).into_result().unwrap();
    assert_eq!(curve.len(), lambdas.len());
    for (t, &l) in curve.iter().zip(lambdas) {
        assert_same(t, &task.ridge(p, l).unwrap(), what);
    }
    curve.iter().map(|t| t.solver.iterations).sum()
}

fn log_grid(lo: f64, hi: f64, n: usize) -> Vec<f64> {
    (0..n)
        .map(|i| 10f64.powf(lo + (hi - lo) * i as f64 / (n - 1) as f64))
        .collect()
}

/// The grid in three orders: increasing, decreasing, and a fixed shuffle.
fn orders(g: &[f64]) -> [Vec<f64>; 3] {
    let inc = g.to_vec();
    let dec: Vec<f64> = g.iter().rev().copied().collect();
    let mut shuffled = g.to_vec();
    // A fixed permutation (stride coprime to the length).
    let n = g.len();
    let stride = (1..n)
        .rev()
        .find(|s| gcd(*s, n) == 1 && *s > n / 3)
        .unwrap_or(1);
    for (i, x) in shuffled.iter_mut().enumerate() {
        *x = g[(i * stride) % n];
    }
    [inc, dec, shuffled]
}

fn gcd(a: usize, b: usize) -> usize {
    if b == 0 { a } else { gcd(b, a % b) }
}

/// Discrete power-law tasks: `D = 2000` (no coarse proxy) and `D = 20 000` (with one).
fn power_law_tasks() -> Vec<(Task, &'static str)> {
    let mk = |d: usize| {
        let s: Vec<f64> = (1..=d).map(|k| (k as f64).powf(-1.5)).collect();
        let w: Vec<f64> = (1..=d).map(|k| (k as f64).powf(-0.7)).collect();
        Task::from_weights(&s, &w, 0.1).unwrap()
    };
    vec![
        (mk(2000), "power law D=2000"),
        (mk(20_000), "power law D=20000"),
    ]
}

#[test]
fn p_and_lambda_curves_equal_cold_solves_in_any_order() {
    for (task, name) in power_law_tasks() {
        for (k, ps) in orders(&log_grid(0.5, 4.5, 40)).iter().enumerate() {
            check_p_curve(&task, ps, 1e-5, &format!("{name} P-curve order {k}"));
        }
        for (k, ls) in orders(&log_grid(-9.0, 1.0, 40)).iter().enumerate() {
            check_lambda_curve(&task, 300.0, ls, &format!("{name} λ-curve order {k}"));
        }
    }
}

#[test]
fn spectra_with_multiplicities_and_isotropic() {
    // Two blocks, 10⁹ + 10⁹ directions: P crosses the rank of the first block only.
    let s = Spectrum::with_multiplicities(&[1.0, 0.01], &[1e3, 1e6]).unwrap();
    let task = Task::with_target_power(s, &[1.0, 0.5], 0.2).unwrap();
    check_p_curve(&task, &log_grid(1.0, 7.0, 30), 1e-4, "two blocks");
    check_lambda_curve(&task, 2e3, &log_grid(-8.0, 2.0, 30), "two blocks");
    let iso = Task::isotropic(200.0, 1.0, 0.5).unwrap();
    check_p_curve(&iso, &log_grid(1.0, 3.5, 25), 1e-3, "isotropic");
}

#[test]
fn ridgeless_curve_across_the_interpolation_threshold() {
    // λ = 0, P from D/4 to 4D: κ₀ > 0 below rank, κ = 0 above; P = rank itself diverges.
    let d = 500;
    let s: Vec<f64> = (1..=d).map(|k| 1.0 / k as f64).collect();
    let task = Task::from_weights(&s, &vec![0.05; d], 0.25).unwrap();
    let ps: Vec<f64> = (0..30).map(|i| 125.0 + 61.3 * f64::from(i)).collect();
    assert!(ps.iter().all(|&p| (p - 500.0).abs() > 1.0));
    for (k, g) in orders(&ps).iter().enumerate() {
        check_p_curve(&task, g, 0.0, &format!("ridgeless order {k}"));
        // A small positive ridge across the same threshold.
        check_p_curve(&task, g, 1e-9, &format!("λ = 1e-9 order {k}"));
    }
    // A grid hitting P = rank fails there as the cold solve does, and only there.
    let hit = [400.0, 500.0, 600.0];
    assert!(matches!(
        task.ridge(500.0, 0.0),
        Err(Error::Divergent { .. })
    ));
    let c = task.ridge_curve_p(&hit, 0.0);
    assert!(matches!(c.points[1], Err(Error::Divergent { .. })));
    for i in [0, 2] {
        let t = c.points[i].as_ref().unwrap();
        assert_same(t, &task.ridge(hit[i], 0.0).unwrap(), "hit");
    }
}

#[test]
fn lambda_curve_through_zero_and_negative_ridges() {
    let d = 400;
    let s: Vec<f64> = (1..=d).map(|k| (k as f64).powf(-1.2)).collect();
    let task = Task::from_weights(&s, &vec![0.05; d], 0.1).unwrap();
    let p = 150.0;
    let lmin = task.min_ridge(p).unwrap();
    assert!(lmin < 0.0);
    let mut ls = vec![0.9 * lmin, 0.5 * lmin, 0.1 * lmin, -1e-8, 0.0, 1e-8];
    ls.extend(log_grid(-6.0, 0.0, 12));
    for (k, g) in orders(&ls).iter().enumerate() {
        check_lambda_curve(&task, p, g, &format!("negative λ order {k}"));
    }
    // Below λ_min: the same error as the cold solve, at that point only.
    let c = task.ridge_curve_lambda(p, &[1e-3, 1.1 * lmin, 1e-2]);
    assert!(matches!(c.points[1], Err(Error::RidgeBelowMinimum { .. })));
    assert!(c.points[0].is_ok() && c.points[2].is_ok());
}

#[test]
fn analytic_power_law_curves() {
    for (task, name) in [
        (Task::power_law(2.0, 0.5, None, 0.1).unwrap(), "D = ∞"),
        (
            Task::power_law(1.5, 0.4, Some(1 << 20), 0.0).unwrap(),
            "D = 2^20",
        ),
    ] {
        for (k, ps) in orders(&log_grid(1.0, 5.0, 20)).iter().enumerate() {
            check_p_curve(&task, ps, 1e-6, &format!("{name} P order {k}"));
        }
        check_lambda_curve(&task, 1e3, &log_grid(-8.0, 0.0, 20), name);
    }
}

#[test]
fn compressed_spectrum_curves() {
    let d = 50_000;
    let s: Vec<f64> = (1..=d).map(|k| (k as f64).powf(-1.5)).collect();
    let w: Vec<f64> = (1..=d).map(|k| (k as f64).powf(-0.5)).collect();
    let (task, _) = Task::from_weights(&s, &w, 0.1)
        .unwrap()
        .compressed()
        .unwrap();
    let passes = check_p_curve(&task, &log_grid(1.0, 4.5, 40), 1e-5, "compressed P");
    assert!(
        passes <= 60,
        "compressed P-curve: {passes} passes for 40 points"
    );
    check_lambda_curve(&task, 1e3, &log_grid(-8.0, 0.0, 40), "compressed λ");
}

#[test]
fn about_one_pass_per_point() {
    // The claim of issue #15 on a 100-point curve (a pass = one evaluation of the traces
    // over the spectrum; `solver.iterations` counts every pass of a point, including
    // the first point's start and any fallback to the cold solver).
    let d = 20_000;
    let s: Vec<f64> = (1..=d).map(|k| (k as f64).powf(-1.5)).collect();
    let w: Vec<f64> = (1..=d).map(|k| (k as f64).powf(-0.7)).collect();
    let task = Task::from_weights(&s, &w, 0.1).unwrap();
    let ps = log_grid(1.0, 4.0, 100);
    let passes = check_p_curve(&task, &ps, 1e-5, "passes P");
    assert!(passes <= 150, "P-curve: {passes} passes for 100 points");
    let ls = log_grid(-8.0, 0.0, 100);
    let passes = check_lambda_curve(&task, 1e3, &ls, "passes λ");
    assert!(passes <= 150, "λ-curve: {passes} passes for 100 points");
}

#[test]
fn repeated_and_invalid_abscissae() {
    let (task, _) = power_law_tasks().remove(0);
    check_p_curve(&task, &[100.0, 100.0, 200.0, 100.0], 1e-4, "repeated");
    for (c, bad) in [
        (task.ridge_curve_p(&[100.0, -1.0, 200.0], 1e-4), 1),
        (task.ridge_curve_p(&[f64::NAN, 100.0, 200.0], 1e-4), 0),
        (
            task.ridge_curve_lambda(100.0, &[1e-3, 1e-2, f64::INFINITY]),
            2,
        ),
    ] {
        for (i, r) in c.points.iter().enumerate() {
            assert_eq!(r.is_err(), i == bad, "point {i}: {r:?}");
        }
    }
    assert!(task.ridge_curve_p(&[], 1e-4).is_empty());
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]

    /// Random spectra spanning up to 8 decades, random targets, random grids in random
    /// order: every curve point equals the cold solve.
    #[test]
    fn curves_equal_cold_solves_on_random_spectra(
        d in 20usize..1500,
        decades in 0.5f64..8.0,
        seed in 0u64..1_000_000,
        lambda_exp in -10.0f64..0.0,
        p_lo in 0.3f64..2.0,
        p_span in 0.5f64..3.0,
        n in 3usize..25,
        shuffle in any::<bool>(),
    ) {
        // A deterministic pseudo-random spectrum from the seed (xorshift).
        let mut x = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
        let mut next = move || {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            (x >> 11) as f64 / (1u64 << 53) as f64
        };
        let s: Vec<f64> = (0..d).map(|_| 10f64.powf(-decades * next())).collect();
        let w: Vec<f64> = (0..d).map(|_| next() - 0.5).collect();
        let task = Task::from_weights(&s, &w, 0.3 * next()).unwrap();
        let mut ps = log_grid(p_lo, p_lo + p_span, n);
        if shuffle {
            ps = orders(&ps)[2].clone();
        }
        let lambda = 10f64.powf(lambda_exp);
        check_p_curve(&task, &ps, lambda, "random P-curve");
        let mut ls = log_grid(lambda_exp, lambda_exp + 3.0, n);
        if shuffle {
            ls.reverse();
        }
        check_lambda_curve(&task, 10f64.powf(p_lo + 0.5 * p_span), &ls, "random λ-curve");
    }
}

/// Random-feature curves use the same machinery (factors `Wishart(P)`, `Wishart(N)`):
/// every point equals the cold `random_features(P, N, λ)`. The RF errors carry the
/// amplification of both factors, so the tolerance scales with `1/(1 − γ)` of the data
/// factor and `1/(1 − Df₂/N)` of the features (each `≥ 1`); the error terms are rational
/// functions of `κ₂` and `κ₁ = κ₂(1 − Df₁/N)` with further cancellation-prone factors, so
/// they get 10× the tolerance of `κ`, times `κ₂/κ₁` (observed: ≤ 2e-13 where `κ` agrees
/// to 1e-14 and `κ₁` is not cancelled).
#[test]
fn random_feature_curves_equal_cold_solves() {
    let d = 20_000;
    let s: Vec<f64> = (1..=d).map(|k| (k as f64).powf(-1.5)).collect();
    let w: Vec<f64> = (1..=d).map(|k| (k as f64).powf(-0.7)).collect();
    let task = Task::from_weights(&s, &w, 0.1).unwrap();
    let check = |c: detridge::solver::Curve<detridge::features::RfTheory>,
                 at: &dyn Fn(f64) -> (f64, f64, f64),
                 what: &str| {
        let mut passes = 0;
        for (x, r) in c.iter() {
            let (p, n, l) = at(x);
            let t = r.as_ref().unwrap();
            let cold = task.random_features(p, n, l).unwrap();
            passes += t.solver.iterations;
            // κ₁ = κ₂(1 − Df₁/N) inherits κ₂'s error amplified by κ₂/κ₁ (the cancellation
            // of issue #15, defect 1, at N below P and the rank with small λ).
            let amp = (1.0 / (1.0 - cold.gamma)).max(1.0) * (1.0 / (1.0 - cold.df2 / n)).max(1.0);
            let tol = CURVE_REL * amp;
            assert!(
                rel(t.kappa, cold.kappa) <= tol,
                "{what} x = {x}: kappa {:e} vs {:e}",
                t.kappa,
                cold.kappa
            );
            let tol = 10.0 * tol * (cold.kappa / cold.kappa1).abs().max(1.0);
            for (name, a, b) in [
                ("kappa1", t.kappa1, cold.kappa1),
                ("test_error", t.test_error, cold.test_error),
                ("train_error", t.train_error, cold.train_error),
                ("bias2", t.bias2, cold.bias2),
                ("var_features", t.var_features, cold.var_features),
                ("var_noise", t.var_noise, cold.var_noise),
            ] {
                assert!(
                    rel(a, b) <= tol,
                    "{what} x = {x}: {name} {a:e} vs {b:e} (rel {:.1e}, tol {tol:.1e})",
                    rel(a, b)
                );
            }
        }
        passes
    };
    let ps = log_grid(1.0, 4.0, 40);
    let n = 500.0;
    let passes = check(
        task.random_features_curve_p(&ps, n, 1e-4),
        &|p| (p, n, 1e-4),
        "RF P",
    );
    assert!(passes <= 60, "RF P-curve: {passes} passes for 40 points");
    let ns = orders(&log_grid(1.0, 4.0, 40))[2].clone();
    check(
        task.random_features_curve_n(300.0, &ns, 1e-4),
        &|n| (300.0, n, 1e-4),
        "RF N",
    );
    let ls = log_grid(-7.0, 0.0, 40);
    check(
        task.random_features_curve_lambda(300.0, n, &ls),
        &|l| (300.0, n, l),
        "RF λ",
    );
}
