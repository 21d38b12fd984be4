//! Linear ridge theory: closed forms, identities, high-precision references, invariants
//! and every error path (closed forms, identities and references; THEORY §2.1, §3).

mod common;

use approx::assert_relative_eq;
use common::invariants;
use common::isotropic_kappa;
use common::tol::*;
use detridge::stransform::Wishart;
use detridge::{Error, Spectrum, Task};
use nalgebra::{DMatrix, DVector};
use proptest::prelude::*;

/// Relative agreement expected of closed forms (a few hundred ulps after a 1e-14 solve).
const THEORY_REL: f64 = IDENTITY_REL;

#[allow(clippy::unreadable_literal, clippy::excessive_precision)]
mod reference {
    include!("data/ridge_reference.rs");
}

#[test]
fn ridgeless_overdetermined_isotropic() {
    // P > D, λ = 0: κ = 0, E_g = σ² D/(P − D), E_tr = (1 − q)σ² (THEORY §3.3).
    let (d, s2) = (100.0, 0.7);
    let task = Task::isotropic(d, 2.0, s2).unwrap();
    for &p in &[150.0, 400.0, 1e4] {
        let t = task.ridge(p, 0.0).unwrap();
        assert!(t.kappa.abs() < EXACT_ZERO_ABS);
        assert_relative_eq!(t.test_error, s2 * d / (p - d), max_relative = THEORY_REL);
        assert_relative_eq!(t.train_error, (1.0 - d / p) * s2, max_relative = THEORY_REL);
        assert_relative_eq!(t.gamma, d / p, max_relative = THEORY_REL);
        assert!(t.bias2.abs() < EXACT_ZERO_ABS);
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
        assert!(t.train_error.abs() < EXACT_ZERO_ABS);
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
        assert_relative_eq!(a.test_error, b.test_error, max_relative = CONTINUITY_REL);
        assert_relative_eq!(
            a.train_error + 1e-30,
            b.train_error + 1e-30,
            max_relative = CONTINUITY_LOOSE_REL,
            epsilon = FEW_ULPS
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
                    max_relative = TENS_OF_ULPS
                );
                // Train–test gap: E_tr (κ/λ)² = E_g + σ² (THEORY §3.2).
                assert_relative_eq!(
                    t.train_error * t.s_transform.powi(2),
                    t.test_error + s2,
                    max_relative = SOLVER_REL
                );
                // Fixed point: κ (1 − Df₁/P) = λ. κ is solved to 64ε relative; in λ that
                // error is amplified by dlnλ/dlnκ = (1 − γ)κ/λ (large when κ ≫ λ).
                let cond = (1.0 - t.gamma) * t.kappa / lambda;
                let residual = (t.kappa * (1.0 - t.df1 / p) - lambda).abs() / lambda;
                assert!(
                    residual <= IDENTITY_REL + 4.0 * 64.0 * f64::EPSILON * cond,
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
                    (fd - t.dkappa_dlambda).abs() <= FD_LOOSE_REL * t.dkappa_dlambda + roundoff,
                    "P={p} lambda={lambda}: fd {fd} vs {}",
                    t.dkappa_dlambda
                );
                assert_relative_eq!(
                    t.dkappa_dlambda,
                    1.0 / (1.0 - t.gamma),
                    max_relative = AMPLIFIED_REL
                );
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
            let tol = IDENTITY_REL * b.abs().max(EXACT_ZERO_ABS);
            assert!(
                (a - b).abs() <= tol || (a.abs() < NEGLIGIBLE_ABS && b.abs() < NEGLIGIBLE_ABS),
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
                t.train_error.abs() < EXACT_ZERO_ABS,
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
        assert_relative_eq!(ta.kappa, tb.kappa, max_relative = SOLVER_REL);
        assert_relative_eq!(ta.test_error, tb.test_error, max_relative = SOLVER_REL);
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
        max_relative = IDENTITY_REL
    );
    // A test covariance twice as large doubles every term.
    let double: Vec<f64> = eig.iter().map(|s| 2.0 * s).collect();
    let ood2 = task.ridge_ood(100.0, 1e-3, &double).unwrap();
    assert_relative_eq!(
        ood2.test_error,
        2.0 * ood.test_error,
        max_relative = IDENTITY_REL
    );
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
        assert_relative_eq!(opt.lambda, exact, max_relative = MINIMISER_REL);
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
        assert_relative_eq!(t.kappa, single.kappa, max_relative = IDENTITY_REL);
        assert_relative_eq!(
            t.test_error,
            single.test_error,
            max_relative = IDENTITY_LOOSE_REL
        );
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
            max_relative = IDENTITY_REL
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

/// Huge ridges: `κ ≈ λ`, `E_g → w̄ᵀΣw̄` and `E_tr → w̄ᵀΣw̄ + σ²`, with no overflow of `κ²`.
#[test]
fn huge_ridge_limits_are_finite() {
    let task = Task::from_weights(&[1.0, 2.0], &[1.0, 1.0], 0.1).unwrap();
    for &lambda in &[1e10, 1e300] {
        let t = task.ridge(1.0, lambda).unwrap();
        assert_relative_eq!(t.test_error, 3.0, max_relative = CROSS_METHOD_REL);
        assert_relative_eq!(t.train_error, 3.1, max_relative = CROSS_METHOD_REL);
        assert!(t.var_data >= 0.0 && t.var_data < CROSS_METHOD_REL);
    }
}

// ---------------------------------------------------------------- invariants (proptest)

/// The family invariants of `tests/common/invariants.rs` for linear ridge at one point.
fn ridge_invariants(label: &str, task: &Task, p: f64, lambda: f64) -> Result<(), String> {
    let solve = |p: f64, l: f64| task.ridge(p, l).map_err(|e| format!("{label}: {e}"));
    let t = solve(p, lambda)?;
    let cap = p.min(task.spectrum().rank());
    invariants::kappa_and_dfs(label, lambda, t.kappa, t.df1, t.df2, cap)?;
    let more_p = solve(1.1 * p, lambda)?.kappa;
    let more_l = solve(p, 1.1 * lambda)?.kappa;
    invariants::kappa_monotone(label, t.kappa, more_p, more_l)?;
    invariants::sums_to(label, &[t.bias2, t.var_data, t.var_noise], t.test_error)?;
    invariants::sums_to(label, &[t.test_error, task.noise_variance()], t.gcv)
}

// λ > 0 throughout: the ridgeless limit (and its divergence at P = rank) has its own tests.
proptest! {
    #[test]
    fn ridge_invariants_hold_for_discrete_spectra(
        modes in prop::collection::vec((1e-3f64..10.0, 0.0f64..2.0), 1..60),
        sigma2 in 0.0f64..1.0,
        p in 1.0f64..200.0,
        log_lambda in -6.0f64..1.0,
    ) {
        let (eig, w): (Vec<f64>, Vec<f64>) = modes.into_iter().unzip();
        let task = Task::from_weights(&eig, &w, sigma2).unwrap();
        ridge_invariants("discrete", &task, p, 10f64.powf(log_lambda))
            .map_err(TestCaseError::fail)?;
    }

    #[test]
    fn ridge_invariants_hold_for_power_laws(
        alpha in 1.1f64..3.0,
        r in 0.1f64..1.5,
        d in prop::option::of(10usize..5000),
        sigma2 in 0.0f64..1.0,
        p in 1.0f64..2000.0,
        log_lambda in -6.0f64..1.0,
    ) {
        let task = Task::power_law(alpha, r, d, sigma2).unwrap();
        let label = format!("power law α={alpha} r={r} D={d:?}");
        ridge_invariants(&label, &task, p, 10f64.powf(log_lambda))
            .map_err(TestCaseError::fail)?;
    }
}
