//! The renormalized-ridge solver (THEORY §2): closed-form roots, the minimum ridge,
//! Newton against bisection, warm starts and the solver contract (`NoConvergence`).

mod common;

use approx::assert_relative_eq;
use common::isotropic_kappa;
use common::tol::*;
use detridge::solver::{self, SolverParams};
use detridge::stransform::{STransform, Wishart};
use detridge::{Error, Spectrum, Task};
use proptest::prelude::*;

/// Relative agreement expected of closed forms (a few hundred ulps after a 1e-14 solve).
const THEORY_REL: f64 = IDENTITY_REL;

#[test]
fn isotropic_kappa_matches_quadratic() {
    let d = 300.0;
    let task = Task::isotropic(d, 1.0, 0.0).unwrap();
    for &p in &[30.0, 150.0, 290.0, 300.0, 310.0, 600.0, 3000.0] {
        let q = d / p;
        for &lambda in &[1e-10, 1e-6, 1e-3, 0.1, 1.0, 50.0] {
            let t = task.ridge(p, lambda).unwrap();
            let exact = isotropic_kappa(q, lambda);
            assert_relative_eq!(t.kappa, exact, max_relative = THEORY_REL);
        }
    }
}

#[test]
fn isotropic_minimum_ridge_is_marchenko_pastur_edge() {
    // λ_min = −(1 − √q)² for Σ = I (THEORY §2.1 extended to λ < 0).
    let d = 200.0;
    let task = Task::isotropic(d, 1.0, 0.0).unwrap();
    for &p in &[50.0, 100.0, 400.0, 800.0] {
        let q: f64 = d / p;
        let exact = -(1.0 - q.sqrt()).powi(2);
        let lmin = task.min_ridge(p).unwrap();
        assert_relative_eq!(lmin, exact, max_relative = CROSS_METHOD_REL);
        // Just above the bound the quadratic's physical root is reached.
        let lambda = 0.9 * exact;
        let t = task.ridge(p, lambda).unwrap();
        assert_relative_eq!(
            t.kappa,
            isotropic_kappa(q, lambda),
            max_relative = CROSS_METHOD_REL
        );
        assert!(t.gamma < 1.0);
        // Below it: a clear error naming the bound.
        match task.ridge(p, 1.1 * exact) {
            Err(Error::RidgeBelowMinimum { lambda_min, .. }) => {
                assert_relative_eq!(lambda_min, exact, max_relative = CROSS_METHOD_REL);
            }
            other => panic!("expected RidgeBelowMinimum, got {other:?}"),
        }
    }
    // At P = D the bound is 0.
    assert!(task.min_ridge(d).unwrap().abs() < IDENTITY_REL);
}

// ---------------------------------------------------------------- invariants (proptest)

/// Plain bisection on `κ(1 − Df₁/P) = λ` above κ₀: the reference the Newton solver is
/// checked against (a known pitfall of safeguarded Newton).
fn bisection_kappa(eig: &[f64], p: f64, lambda: f64) -> f64 {
    let df1 = |k: f64| eig.iter().map(|s| s / (s + k)).sum::<f64>();
    let tr: f64 = eig.iter().sum();
    let (mut lo, mut hi) = (0.0, lambda + tr / p + 1.0);
    if p < eig.len() as f64 {
        let (mut a, mut b) = (0.0, tr / p + 1.0);
        for _ in 0..200 {
            let m = 0.5 * (a + b);
            if df1(m) > p { a = m } else { b = m }
        }
        lo = b;
    }
    for _ in 0..200 {
        let m = 0.5 * (lo + hi);
        if m * (1.0 - df1(m) / p) < lambda {
            lo = m
        } else {
            hi = m
        }
    }
    0.5 * (lo + hi)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn newton_matches_bisection_and_invariants_hold(
        eig in prop::collection::vec(1e-3f64..10.0, 1..60),
        p in 1.0f64..150.0,
        log_lambda in -8.0f64..1.0,
    ) {
        let lambda = 10f64.powf(log_lambda);
        let w = vec![1.0; eig.len()];
        let task = Task::from_weights(&eig, &w, 0.1).unwrap();
        let t = task.ridge(p, lambda).unwrap();
        let reference = bisection_kappa(&eig, p, lambda);
        prop_assert!((t.kappa - reference).abs() <= SOLVER_REL * reference, "{} vs {}", t.kappa, reference);
        prop_assert!(t.kappa >= lambda);
        prop_assert!(t.gamma >= 0.0 && t.gamma < 1.0);
        prop_assert!(t.df2 <= t.df1 + IDENTITY_REL && t.df1 <= eig.len() as f64 + IDENTITY_REL);
        // κ decreasing in P, increasing in λ.
        let more_p = task.ridge(p * 1.1, lambda).unwrap();
        prop_assert!(more_p.kappa <= t.kappa * (1.0 + HUNDREDS_OF_ULPS));
        let more_l = task.ridge(p, lambda * 1.1).unwrap();
        prop_assert!(more_l.kappa >= t.kappa);
        prop_assert!(t.test_error >= 0.0 && t.train_error >= 0.0);
    }
}

#[test]
fn error_ridge_below_minimum() {
    let task = Task::power_law(1.5, 0.5, Some(100), 0.1).unwrap();
    let lmin = task.min_ridge(50.0).unwrap();
    assert!(lmin < 0.0);
    match task.ridge(50.0, 2.0 * lmin) {
        Err(Error::RidgeBelowMinimum { lambda, lambda_min }) => {
            assert!(lambda < lambda_min);
            assert_relative_eq!(lambda_min, lmin, max_relative = IDENTITY_REL);
        }
        other => panic!("expected RidgeBelowMinimum, got {other:?}"),
    }
    // At the bound γ → 1 (the branch ends where Df₂ = P).
    let t = task.ridge(50.0, lmin * (1.0 - 1e-6)).unwrap();
    assert!(t.gamma > 0.99 && t.gamma < 1.0, "gamma {}", t.gamma);
}

#[test]
fn error_no_convergence_is_reported_not_returned() {
    let s = Spectrum::power_law(1.5, Some(1000)).unwrap();
    let w = Wishart::new(100.0).unwrap();
    let f: [&dyn STransform; 1] = [&w];
    let params = SolverParams {
        max_iter: 1,
        ..Default::default()
    };
    match solver::renormalized_ridge(&s, &f, 1e-7, None, &params) {
        Err(Error::NoConvergence {
            iterations, last, ..
        }) => {
            assert_eq!(iterations, 1);
            assert!(last.is_finite());
        }
        other => panic!("expected NoConvergence, got {other:?}"),
    }
    let bad = SolverParams {
        max_iter: 0,
        ..Default::default()
    };
    assert!(matches!(
        solver::renormalized_ridge(&s, &f, 1e-3, None, &bad),
        Err(Error::InvalidParameter { .. })
    ));
    let bad = SolverParams {
        rel_tol: -1.0,
        ..Default::default()
    };
    assert!(matches!(
        solver::renormalized_ridge(&s, &f, 1e-3, None, &bad),
        Err(Error::InvalidParameter { .. })
    ));
    assert!(matches!(
        solver::renormalized_ridge(&s, &[], 1e-3, None, &SolverParams::default()),
        Err(Error::Empty { .. })
    ));
}

#[test]
fn large_spectra_solves_match_bisection() {
    // D above the proxy threshold: the coarse warm start must not change the root.
    let d = 20_000;
    let eig: Vec<f64> = (1..=d)
        .map(|k| (k as f64).powf(-1.3) * (1.0 + 0.5 * (k as f64).sin()))
        .collect();
    let task = Task::from_weights(&eig, &vec![0.01; d], 0.1).unwrap();
    for &p in &[30.0, 3_000.0, 19_000.0, 50_000.0] {
        for &lambda in &[1e-9, 1e-5, 1e-2] {
            let t = task.ridge(p, lambda).unwrap();
            let reference = bisection_kappa(&eig, p, lambda);
            assert!(
                (t.kappa - reference).abs() <= SOLVER_REL * reference,
                "P={p} λ={lambda}: {} vs {reference}",
                t.kappa
            );
        }
        let k0 = task.ridge(p, 0.0).unwrap().kappa;
        if p < d as f64 {
            let df1: f64 = eig.iter().map(|s| s / (s + k0)).sum();
            assert_relative_eq!(df1, p, max_relative = IDENTITY_REL);
        }
    }
}

/// Regression (found while building `estimate`, issue #6): a λ-curve starting at λ = 0
/// warm-starts the next point exactly at κ₀, where `ln g` is singular; the solver once
/// accepted κ₀ itself as the root of λ = 1e-4 (residual 27 in ln g).
#[test]
fn regression_warm_start_at_ridgeless_kappa0() {
    let d = 500;
    let eig: Vec<f64> = (1..=d).map(|k| 1.0 / k as f64).collect();
    let task = Task::from_weights(&eig, &vec![0.05; d], 0.25).unwrap();
    let lambdas = [0.0, 1e-4, 1e-2];
    let curve = task
        .ridge_curve_lambda(250.0, &lambdas)
        .into_result()
        .unwrap();
    for (t, &l) in curve.iter().zip(&lambdas) {
        let cold = task.ridge(250.0, l).unwrap();
        assert_relative_eq!(t.kappa, cold.kappa, max_relative = IDENTITY_REL);
        assert!(
            t.solver.residual < SOLVER_REL,
            "λ = {l}: residual {}",
            t.solver.residual
        );
    }
    assert!(curve[1].kappa > curve[0].kappa * (1.0 + 1e-4));
    // Any λ > 0 started exactly at κ₀ or just above it.
    let k0 = curve[0].kappa;
    for g in [k0, k0 * (1.0 + 1e-15), k0 * (1.0 + 1e-9)] {
        for &l in &[1e-12, 1e-8, 1e-4] {
            let t = task
                .ridge_with(250.0, l, Some(g), &SolverParams::default())
                .unwrap();
            let cold = task.ridge(250.0, l).unwrap();
            assert_relative_eq!(t.kappa, cold.kappa, max_relative = IDENTITY_REL);
        }
    }
}

/// Regression (found by a stress probe this session): with 400 decades of dynamic range,
/// `1 − Df₁/P` cancels below rounding over most of the κ axis; the solver once returned
/// κ = 1.7e185 for a root near 3e98. Now such points are an error, never a number.
#[test]
fn regression_unresolvable_dynamic_range_is_an_error() {
    let task = Task::from_weights(&[1e-200, 1e200], &[1.0, 1.0], 0.1).unwrap();
    match task.ridge(1.0, 1e-3) {
        Err(Error::NoConvergence { residual, .. }) => assert!(residual > 1e-6),
        other => panic!("expected NoConvergence, got {other:?}"),
    }
    let task = Task::from_weights(&[1e-300, 1.0, 1e300], &[1.0; 3], 0.1).unwrap();
    assert!(matches!(
        task.ridge(2.0, 0.0),
        Err(Error::NoConvergence { .. })
    ));
    // Resolvable points of the same spectra still work (P > rank: κ = 0 branch).
    let t = task.ridge(5.0, 0.0).unwrap();
    assert_relative_eq!(t.test_error, 0.1 * 3.0 / 2.0, max_relative = IDENTITY_REL);
}
