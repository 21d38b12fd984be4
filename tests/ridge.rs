//! Linear ridge theory: closed forms, identities, high-precision references, invariants
//! and every error path (closed forms, identities and references; THEORY §2.1, §3).

use approx::assert_relative_eq;
use detridge::solver::{self, SolverParams};
use detridge::stransform::{STransform, Wishart};
use detridge::{Error, Spectrum, Task};
use nalgebra::{DMatrix, DVector};
use proptest::prelude::*;

/// Relative agreement expected of closed forms (a few hundred ulps after a 1e-14 solve).
const THEORY_REL: f64 = 1e-12;

#[allow(clippy::unreadable_literal, clippy::excessive_precision)]
mod reference {
    include!("data/ridge_reference.rs");
}

/// Isotropic `Σ = I`: `κ² + (1 − q − λ)κ − λ = 0`, physical root (THEORY §2.1).
fn isotropic_kappa(q: f64, lambda: f64) -> f64 {
    let b = 1.0 - q - lambda;
    (-b + (b * b + 4.0 * lambda).sqrt()) / 2.0
}

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
        assert_relative_eq!(lmin, exact, max_relative = 1e-9);
        // Just above the bound the quadratic's physical root is reached.
        let lambda = 0.9 * exact;
        let t = task.ridge(p, lambda).unwrap();
        assert_relative_eq!(t.kappa, isotropic_kappa(q, lambda), max_relative = 1e-9);
        assert!(t.gamma < 1.0);
        // Below it: a clear error naming the bound.
        match task.ridge(p, 1.1 * exact) {
            Err(Error::RidgeBelowMinimum { lambda_min, .. }) => {
                assert_relative_eq!(lambda_min, exact, max_relative = 1e-9);
            }
            other => panic!("expected RidgeBelowMinimum, got {other:?}"),
        }
    }
    // At P = D the bound is 0.
    assert!(task.min_ridge(d).unwrap().abs() < 1e-12);
}

#[test]
fn ridgeless_overdetermined_isotropic() {
    // P > D, λ = 0: κ = 0, E_g = σ² D/(P − D), E_tr = (1 − q)σ² (THEORY §3.3).
    let (d, s2) = (100.0, 0.7);
    let task = Task::isotropic(d, 2.0, s2).unwrap();
    for &p in &[150.0, 400.0, 1e4] {
        let t = task.ridge(p, 0.0).unwrap();
        assert!(t.kappa.abs() < 1e-300);
        assert_relative_eq!(t.test_error, s2 * d / (p - d), max_relative = THEORY_REL);
        assert_relative_eq!(t.train_error, (1.0 - d / p) * s2, max_relative = THEORY_REL);
        assert_relative_eq!(t.gamma, d / p, max_relative = THEORY_REL);
        assert!(t.bias2.abs() < 1e-300);
    }
}

#[test]
fn ridgeless_overparameterised_isotropic_hastie() {
    // P < D, λ = 0: κ₀ = q − 1, γ = 1/q, E_g = |w̄|²(1 − 1/q) + σ²/(q − 1), E_tr = 0
    // (THEORY §3.3, Hastie et al. 2022).
    let (d, w2, s2) = (500.0, 1.5, 0.3);
    let task = Task::isotropic(d, w2, s2).unwrap();
    for &p in &[50.0, 250.0, 480.0] {
        let q = d / p;
        let t = task.ridge(p, 0.0).unwrap();
        assert_relative_eq!(t.kappa, q - 1.0, max_relative = THEORY_REL);
        assert_relative_eq!(t.gamma, 1.0 / q, max_relative = THEORY_REL);
        let eg = w2 * (1.0 - 1.0 / q) + s2 / (q - 1.0);
        assert_relative_eq!(t.test_error, eg, max_relative = THEORY_REL);
        assert!(t.train_error.abs() < 1e-300);
        assert!(t.s_transform.is_infinite());
        assert_relative_eq!(t.gcv, eg + s2, max_relative = THEORY_REL);
    }
}

#[test]
fn small_ridge_is_continuous_with_ridgeless() {
    let task = Task::power_law(1.5, 0.4, Some(400), 0.25).unwrap();
    for &p in &[100.0, 800.0] {
        let a = task.ridge(p, 0.0).unwrap();
        let b = task.ridge(p, 1e-11).unwrap();
        assert_relative_eq!(a.test_error, b.test_error, max_relative = 1e-6);
        assert_relative_eq!(
            a.train_error + 1e-30,
            b.train_error + 1e-30,
            max_relative = 1e-4,
            epsilon = 1e-15
        );
    }
}

#[test]
fn interpolation_peak_is_a_clear_error() {
    let task = Task::isotropic(100.0, 1.0, 0.5).unwrap();
    assert!(matches!(
        task.ridge(100.0, 0.0),
        Err(Error::Divergent { .. })
    ));
    // With a ridge the peak is finite and faithfully large.
    let t = task.ridge(100.0, 1e-8).unwrap();
    assert!(t.test_error > 1e3 && t.test_error.is_finite());
}

#[test]
fn identities_hold_across_regimes() {
    let tasks = [
        Task::isotropic(200.0, 1.0, 0.25).unwrap(),
        Task::power_law(1.5, 0.4, Some(500), 0.25).unwrap(),
        Task::with_target_power(
            Spectrum::with_multiplicities(&[1.0, 0.01], &[100.0, 400.0]).unwrap(),
            &[1.0, 4.0],
            0.1,
        )
        .unwrap(),
    ];
    for task in &tasks {
        let s2 = task.noise_variance();
        for &p in &[50.0, 200.0, 499.0, 2000.0] {
            for &lambda in &[1e-6, 1e-3, 0.1, 1.0] {
                let t = task.ridge(p, lambda).unwrap();
                // bias² + variances = E_g (THEORY §3.1).
                assert_relative_eq!(
                    t.bias2 + t.var_data + t.var_noise,
                    t.test_error,
                    max_relative = 1e-14
                );
                // Train–test gap: E_tr (κ/λ)² = E_g + σ² (THEORY §3.2).
                assert_relative_eq!(
                    t.train_error * t.s_transform.powi(2),
                    t.test_error + s2,
                    max_relative = 1e-10
                );
                // Fixed point: κ (1 − Df₁/P) = λ. κ is solved to 64ε relative; in λ that
                // error is amplified by dlnλ/dlnκ = (1 − γ)κ/λ (large when κ ≫ λ).
                let cond = (1.0 - t.gamma) * t.kappa / lambda;
                let residual = (t.kappa * (1.0 - t.df1 / p) - lambda).abs() / lambda;
                assert!(
                    residual <= 1e-12 + 4.0 * 64.0 * f64::EPSILON * cond,
                    "P={p} lambda={lambda}: fixed-point residual {residual:e}, conditioning {cond:e}"
                );
                // dκ/dλ = 1/(1 − γ) against a central difference (THEORY §2.1).
                let h = 1e-5 * lambda;
                let kp = task.ridge(p, lambda + h).unwrap().kappa;
                let km = task.ridge(p, lambda - h).unwrap().kappa;
                let fd = (kp - km) / (2.0 * h);
                // Truncation O(h²) plus the solver's relative accuracy 64ε in κ amplified
                // by 1/h: the tolerance scales with κ/λ (large in the interpolating regime).
                let roundoff = 4.0 * 64.0 * f64::EPSILON * t.kappa / h;
                assert!(
                    (fd - t.dkappa_dlambda).abs() <= 1e-6 * t.dkappa_dlambda + roundoff,
                    "P={p} lambda={lambda}: fd {fd} vs {}",
                    t.dkappa_dlambda
                );
                assert_relative_eq!(t.dkappa_dlambda, 1.0 / (1.0 - t.gamma), max_relative = 1e-8);
            }
        }
    }
}

#[test]
fn matches_high_precision_reference_table() {
    let mut checked = 0;
    for &(name, p, lambda, kappa, gamma, eg, etr, bias2) in reference::RIDGE_REFERENCE {
        let (eig, w, s2) = reference::reference_task(name);
        let task = Task::from_weights(&eig, &w, s2).unwrap();
        let t = task.ridge(p, lambda).unwrap();
        let tag = format!("{name} P={p} lambda={lambda}");
        let close = |a: f64, b: f64, what: &str| {
            let tol = 1e-12 * b.abs().max(1e-300);
            assert!(
                (a - b).abs() <= tol || (a.abs() < 1e-200 && b.abs() < 1e-200),
                "{tag}: {what} {a:e} vs reference {b:e}"
            );
        };
        // κ for λ < 0 with P > D is negative and tiny in relative scale only when the
        // reference's own bisection sits at 0; none such rows are emitted.
        close(t.kappa, kappa, "kappa");
        close(t.gamma, gamma, "gamma");
        close(t.test_error, eg, "test_error");
        close(t.bias2, bias2, "bias2");
        if etr.abs() > 0.0 {
            close(t.train_error, etr, "train_error");
        } else {
            assert!(
                t.train_error.abs() < 1e-300,
                "{tag}: train_error {}",
                t.train_error
            );
        }
        checked += 1;
    }
    assert!(checked >= 45, "only {checked} reference rows");
}

#[test]
fn from_covariance_equals_from_weights() {
    // A rotated covariance: Σ = Q diag(s) Qᵀ, w̄ = Q w̃; the task must not depend on Q.
    let d = 12;
    let s: Vec<f64> = (1..=d).map(|k| 1.0 / k as f64).collect();
    let wt: Vec<f64> = (1..=d).map(|k| (k as f64).sin()).collect();
    // Householder reflection as an orthogonal Q.
    let v = DVector::from_fn(d, |i, _| (i as f64 + 0.3).cos());
    let q = DMatrix::identity(d, d) - 2.0 * &v * v.transpose() / v.norm_squared();
    let sigma = &q * DMatrix::from_diagonal(&DVector::from_vec(s.clone())) * q.transpose();
    let sigma = (&sigma + sigma.transpose()) * 0.5;
    let wbar = &q * DVector::from_vec(wt.clone());
    let a = Task::from_covariance(&sigma, &wbar, 0.2).unwrap();
    let b = Task::from_weights(&s, &wt, 0.2).unwrap();
    for &(p, l) in &[(5.0, 1e-3), (30.0, 0.1), (12.0, 0.0001)] {
        let (ta, tb) = (a.ridge(p, l).unwrap(), b.ridge(p, l).unwrap());
        assert_relative_eq!(ta.kappa, tb.kappa, max_relative = 1e-10);
        assert_relative_eq!(ta.test_error, tb.test_error, max_relative = 1e-10);
    }
}

#[test]
fn ood_with_same_covariance_is_in_distribution() {
    let task = Task::power_law(1.5, 0.6, Some(300), 0.1).unwrap();
    let (eig, _) = (1..=300)
        .map(|k| ((k as f64).powf(-1.5), ()))
        .unzip::<_, _, Vec<f64>, Vec<()>>();
    let ood = task.ridge_ood(100.0, 1e-3, &eig).unwrap();
    assert_relative_eq!(
        ood.test_error,
        ood.in_distribution.test_error,
        max_relative = 1e-12
    );
    // A test covariance twice as large doubles every term.
    let double: Vec<f64> = eig.iter().map(|s| 2.0 * s).collect();
    let ood2 = task.ridge_ood(100.0, 1e-3, &double).unwrap();
    assert_relative_eq!(ood2.test_error, 2.0 * ood.test_error, max_relative = 1e-12);
}

#[test]
fn optimal_ridge_matches_closed_form_for_eigen_isotropic_targets() {
    // λ* = σ² D/(P |w̄|²) for w̄_k² = |w̄|²/D, any Σ (THEORY §3.4).
    let d = 200usize;
    let (norm2, s2) = (2.0, 0.5);
    let eig: Vec<f64> = (1..=d).map(|k| (k as f64).powf(-1.2)).collect();
    let task = Task::from_weights(&eig, &vec![(norm2 / d as f64).sqrt(); d], s2).unwrap();
    for &p in &[50.0, 150.0, 600.0] {
        let opt = task.optimal_ridge(p).unwrap();
        let exact = s2 * d as f64 / (p * norm2);
        assert_relative_eq!(opt.lambda, exact, max_relative = 1e-5);
        // It is a minimum: nearby ridges are worse.
        let e = opt.theory.test_error;
        assert!(task.ridge(p, exact * 1.05).unwrap().test_error >= e);
        assert!(task.ridge(p, exact * 0.95).unwrap().test_error >= e);
    }
}

#[test]
fn learning_curves_match_pointwise_solves() {
    let task = Task::power_law(1.5, 0.4, Some(2000), 0.1).unwrap();
    let ps: Vec<f64> = (0..30).map(|i| 10f64.powf(1.0 + 0.1 * i as f64)).collect();
    let curve = task.ridge_curve_p(&ps, 1e-4).into_result().unwrap();
    for (t, &p) in curve.iter().zip(&ps) {
        let single = task.ridge(p, 1e-4).unwrap();
        assert_relative_eq!(t.kappa, single.kappa, max_relative = 1e-12);
        assert_relative_eq!(t.test_error, single.test_error, max_relative = 1e-11);
    }
    // Warm starts pay: fewer passes than cold solves on average.
    let warm: usize = curve.iter().map(|t| t.solver.iterations).sum();
    let cold: usize = ps
        .iter()
        .map(|&p| task.ridge(p, 1e-4).unwrap().solver.iterations)
        .sum();
    assert!(warm < cold, "warm {warm} vs cold {cold}");
    let lambdas: Vec<f64> = (0..20).map(|i| 10f64.powf(-6.0 + 0.3 * i as f64)).collect();
    let curve = task
        .ridge_curve_lambda(300.0, &lambdas)
        .into_result()
        .unwrap();
    for (t, &l) in curve.iter().zip(&lambdas) {
        assert_relative_eq!(
            t.kappa,
            task.ridge(300.0, l).unwrap().kappa,
            max_relative = 1e-12
        );
    }
}

#[test]
fn huge_multiplicities_cost_one_entry() {
    // Two blocks of 10⁹ directions each: same as the isotropic formula per block.
    let s = Spectrum::with_multiplicities(&[1.0], &[1e9]).unwrap();
    let task = Task::with_target_power(s, &[1.0], 0.0).unwrap();
    let t = task.ridge(5e8, 1e-3).unwrap();
    assert_relative_eq!(
        t.kappa,
        isotropic_kappa(2.0, 1e-3),
        max_relative = THEORY_REL
    );
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
        prop_assert!((t.kappa - reference).abs() <= 1e-10 * reference, "{} vs {}", t.kappa, reference);
        prop_assert!(t.kappa >= lambda);
        prop_assert!(t.gamma >= 0.0 && t.gamma < 1.0);
        prop_assert!(t.df2 <= t.df1 + 1e-12 && t.df1 <= eig.len() as f64 + 1e-12);
        // κ decreasing in P, increasing in λ.
        let more_p = task.ridge(p * 1.1, lambda).unwrap();
        prop_assert!(more_p.kappa <= t.kappa * (1.0 + 1e-13));
        let more_l = task.ridge(p, lambda * 1.1).unwrap();
        prop_assert!(more_l.kappa >= t.kappa);
        prop_assert!(t.test_error >= 0.0 && t.train_error >= 0.0);
    }
}

// ---------------------------------------------------------------- errors, one per path

#[test]
fn error_non_finite_inputs() {
    assert!(matches!(
        Task::from_weights(&[1.0, f64::NAN], &[1.0, 1.0], 0.0),
        Err(Error::NonFinite { .. })
    ));
    assert!(matches!(
        Task::from_weights(&[1.0, f64::INFINITY], &[1.0, 1.0], 0.0),
        Err(Error::NonFinite { .. })
    ));
    assert!(matches!(
        Task::from_weights(&[1.0], &[f64::NAN], 0.0),
        Err(Error::NonFinite { .. })
    ));
    assert!(matches!(
        Task::from_weights(&[1.0], &[1.0], f64::NAN),
        Err(Error::NonFinite { .. })
    ));
    let task = Task::isotropic(10.0, 1.0, 0.0).unwrap();
    assert!(matches!(
        task.ridge(20.0, f64::NAN),
        Err(Error::NonFinite { .. })
    ));
    assert!(matches!(
        task.ridge(20.0, f64::INFINITY),
        Err(Error::NonFinite { .. })
    ));
    assert!(matches!(
        task.ridge(f64::NAN, 0.1),
        Err(Error::NonFinite { .. })
    ));
    assert!(matches!(
        task.ridge(f64::INFINITY, 0.1),
        Err(Error::NonFinite { .. })
    ));
}

#[test]
fn error_negative_eigenvalue_or_noise() {
    assert!(matches!(
        Task::from_weights(&[1.0, -0.1], &[1.0, 1.0], 0.0),
        Err(Error::InvalidParameter {
            name: "eigenvalue",
            ..
        })
    ));
    assert!(matches!(
        Task::from_weights(&[1.0], &[1.0], -0.5),
        Err(Error::InvalidParameter {
            name: "noise_variance",
            ..
        })
    ));
    assert!(matches!(
        Spectrum::with_multiplicities(&[1.0], &[0.0]),
        Err(Error::InvalidParameter {
            name: "multiplicity",
            ..
        })
    ));
    assert!(matches!(
        Spectrum::from_eigenvalues(&[0.0, 0.0]),
        Err(Error::InvalidParameter { .. })
    ));
}

#[test]
fn error_length_mismatch_and_empty() {
    assert!(matches!(
        Task::from_weights(&[1.0, 2.0], &[1.0], 0.0),
        Err(Error::LengthMismatch { .. })
    ));
    assert!(matches!(
        Spectrum::with_multiplicities(&[1.0, 2.0], &[1.0]),
        Err(Error::LengthMismatch { .. })
    ));
    assert!(matches!(
        Task::from_weights(&[], &[], 0.0),
        Err(Error::Empty { .. })
    ));
    let s = Spectrum::from_eigenvalues(&[1.0, 2.0]).unwrap();
    assert!(matches!(
        Task::with_target_power(s, &[1.0], 0.0),
        Err(Error::LengthMismatch { .. })
    ));
    let task = Task::power_law(1.5, 0.5, Some(10), 0.0).unwrap();
    assert!(matches!(
        task.ridge_ood(5.0, 0.1, &[1.0; 3]),
        Err(Error::LengthMismatch { .. })
    ));
}

#[test]
fn error_non_positive_sample_size() {
    let task = Task::isotropic(10.0, 1.0, 0.0).unwrap();
    assert!(matches!(
        task.ridge(0.0, 0.1),
        Err(Error::InvalidParameter { name: "p", .. })
    ));
    assert!(matches!(
        task.ridge(-3.0, 0.1),
        Err(Error::InvalidParameter { name: "p", .. })
    ));
    assert!(matches!(
        Wishart::new(0.0),
        Err(Error::InvalidParameter { .. })
    ));
}

#[test]
fn error_ridge_below_minimum() {
    let task = Task::power_law(1.5, 0.5, Some(100), 0.1).unwrap();
    let lmin = task.min_ridge(50.0).unwrap();
    assert!(lmin < 0.0);
    match task.ridge(50.0, 2.0 * lmin) {
        Err(Error::RidgeBelowMinimum { lambda, lambda_min }) => {
            assert!(lambda < lambda_min);
            assert_relative_eq!(lambda_min, lmin, max_relative = 1e-12);
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
fn error_bad_covariance() {
    let asym = DMatrix::from_row_slice(2, 2, &[1.0, 0.5, 0.0, 1.0]);
    let w = DVector::from_vec(vec![1.0, 1.0]);
    assert!(matches!(
        Task::from_covariance(&asym, &w, 0.0),
        Err(Error::NotPositiveSemiDefinite { .. })
    ));
    let indef = DMatrix::from_row_slice(2, 2, &[1.0, 2.0, 2.0, 1.0]);
    assert!(matches!(
        Task::from_covariance(&indef, &w, 0.0),
        Err(Error::NotPositiveSemiDefinite { .. })
    ));
    let rect = DMatrix::from_row_slice(1, 2, &[1.0, 2.0]);
    assert!(matches!(
        Task::from_covariance(&rect, &w, 0.0),
        Err(Error::LengthMismatch { .. })
    ));
    let ok = DMatrix::identity(2, 2);
    assert!(matches!(
        Task::from_covariance(&ok, &DVector::from_vec(vec![1.0]), 0.0),
        Err(Error::LengthMismatch { .. })
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
                (t.kappa - reference).abs() <= 1e-10 * reference,
                "P={p} λ={lambda}: {} vs {reference}",
                t.kappa
            );
        }
        let k0 = task.ridge(p, 0.0).unwrap().kappa;
        if p < d as f64 {
            let df1: f64 = eig.iter().map(|s| s / (s + k0)).sum();
            assert_relative_eq!(df1, p, max_relative = 1e-12);
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
        assert_relative_eq!(t.kappa, cold.kappa, max_relative = 1e-12);
        assert!(
            t.solver.residual < 1e-10,
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
            assert_relative_eq!(t.kappa, cold.kappa, max_relative = 1e-12);
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
    assert_relative_eq!(t.test_error, 0.1 * 3.0 / 2.0, max_relative = 1e-12);
}

/// Huge ridges: `κ ≈ λ`, `E_g → w̄ᵀΣw̄` and `E_tr → w̄ᵀΣw̄ + σ²`, with no overflow of `κ²`.
#[test]
fn huge_ridge_limits_are_finite() {
    let task = Task::from_weights(&[1.0, 2.0], &[1.0, 1.0], 0.1).unwrap();
    for &lambda in &[1e10, 1e300] {
        let t = task.ridge(1.0, lambda).unwrap();
        assert_relative_eq!(t.test_error, 3.0, max_relative = 1e-9);
        assert_relative_eq!(t.train_error, 3.1, max_relative = 1e-9);
        assert!(t.var_data >= 0.0 && t.var_data < 1e-9);
    }
}
