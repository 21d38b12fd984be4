//! Regression tests of issue #15 (hardening): each fails before its fix.

use detridge::Task;

/// `|a − b| ≤ rel·|b|`.
fn close(a: f64, b: f64, rel: f64) -> bool {
    (a - b).abs() <= rel * b.abs()
}

/// Defect 1: random features at the feature bottleneck (`N < min(P, rank)`) with a ridge
/// far below `κ₂`. `1 − Df₁/N` cancels there; the data factor and `κ₁` must come from
/// `λ` and `κ₂` on the branch. The λ = 0 branch gives E_g = 1.15 (THEORY §4.2: `κ₁ = 0`);
/// the first-order change over `λ ≤ 1e-13` is `≲ 1e-11` (the slope at 0 is
/// `(1.1492 − 1.15)/1e-10 ≈ −8e6`, so `8e6·1e-13 ≈ 1e-6` relative at most).
#[test]
fn regression_15_1_rf_bottleneck_small_ridge() {
    let task = Task::isotropic(100.0, 1.0, 0.1).unwrap();
    let e0 = task.random_features(50.0, 10.0, 0.0).unwrap().test_error;
    assert!(close(e0, 1.15, 1e-12), "{e0}");
    for lambda in [1e-13, 1e-15, 1e-22, 1e-300] {
        let iso = task.random_features(50.0, 10.0, lambda).unwrap();
        assert!(
            close(iso.test_error, e0, 2e-6),
            "λ = {lambda:e}: {}",
            iso.test_error
        );
        // κ₁ = λ S_X(Df₁) with Df₁ ≈ N = 10 < P = 50: S_X ≈ 1/(1 − 10/50) = 1.25.
        assert!(
            close(iso.kappa1, 1.25 * lambda, 1e-6),
            "κ₁ = {:e}",
            iso.kappa1
        );
        let deep = task
            .deep_random_features(50.0, &[10.0, 30.0], lambda)
            .unwrap();
        let deep0 = task.deep_random_features(50.0, &[10.0, 30.0], 0.0).unwrap();
        assert!(
            close(deep.test_error, deep0.test_error, 2e-6),
            "deep λ = {lambda:e}: {} vs {}",
            deep.test_error,
            deep0.test_error
        );
        let an = task
            .anisotropic_random_features(50.0, &[1.0; 10], lambda)
            .unwrap();
        assert!(
            close(an.test_error, e0, 2e-6),
            "anisotropic λ = {lambda:e}: {}",
            an.test_error
        );
    }
}

/// Defect 2: a `Product` of free factors hides the sign of each inverse factor: below
/// both capacities two negative inverses multiply to a positive one, and the solver's
/// branch test accepted the collapsed bracket (κ = λ). The product must give the same
/// κ (and λ_min) as the same factors passed apart.
#[test]
fn regression_15_2_product_below_capacity() {
    use detridge::Spectrum;
    use detridge::solver::{SolverParams, min_ridge, renormalized_ridge};
    use detridge::stransform::{Product, Wishart};
    let eig: Vec<f64> = (1..=63).map(|k| f64::from(k).powf(-1.3)).collect();
    let s = Spectrum::from_eigenvalues(&eig).unwrap();
    let (a, b) = (Wishart::new(8.0).unwrap(), Wishart::new(8.0).unwrap());
    let prod = Product::new().with(a).with(b);
    let params = SolverParams::default();
    for lambda in [1e-6, 1e-3, 1.0] {
        let apart = renormalized_ridge(&s, &[&a, &b], lambda, None, &params).unwrap();
        let together = renormalized_ridge(&s, &[&prod], lambda, None, &params).unwrap();
        assert!(
            close(together.kappa, apart.kappa, 1e-10),
            "λ = {lambda:e}: product κ = {:e}, apart κ = {:e}",
            together.kappa,
            apart.kappa
        );
        // κ ≥ κ₀ > 0 (Df₁(κ₀) = 8 < 63): never the collapsed κ = λ.
        assert!(apart.kappa > 10.0 * lambda || lambda >= 1.0);
    }
    let m1 = min_ridge(&s, &[&a, &b], &params).unwrap();
    let m2 = min_ridge(&s, &[&prod], &params).unwrap();
    assert!(close(m2, m1, 1e-8), "λ_min: product {m2:e}, apart {m1:e}");
}

/// Closed form of isotropic ridge (Σ = I_D, |w̄|² = 1, noise σ²) at `q = D/P`, with the
/// discriminant given as `(λ − λ_min)(λ − λ₋)` from `λ − λ_min` (no cancellation):
/// `κ² + (1 − q − λ)κ − λ = 0` (THEORY §2.1), `γ = q/(1+κ)²`,
/// `E_g = (κ²/(1+κ)² + γσ²)/(1 − γ)` (THEORY §3.1).
fn isotropic_closed_form(q: f64, sigma2: f64, lambda: f64, lambda_minus_min: f64) -> f64 {
    let lm = -(1.0 + q.sqrt()).powi(2);
    let disc = lambda_minus_min * (lambda - lm);
    let kappa = (-(1.0 - q - lambda) + disc.sqrt()) / 2.0;
    let gamma = q / (1.0 + kappa).powi(2);
    (kappa * kappa / (1.0 + kappa).powi(2) + gamma * sigma2) / (1.0 - gamma)
}

/// Defect 3: negative ridges. `λ = −1e-100` at `P = 2D` is admissible and equals the
/// `λ = 0` value to first order (`|E′| λ ~ 1e-100`); at `λ = −1e-30`, `κ = λ/(1 − D/P)
/// = −2e-30` to first order; near `λ_min = −(1 − √(D/P))²` the result is either the
/// closed form (to 1e-3: the f64 rounding of `λ_min(1 − δ)` is ~1e-17 absolute, i.e.
/// 1e-4 relative in `λ − λ_min` at δ = 1e-12, and `E_g` depends on its square root) or
/// an error, and at `λ_min` itself (`γ = 1`, `E_g = ∞`) an error.
#[test]
fn regression_15_3_negative_ridges() {
    let task = Task::isotropic(100.0, 1.0, 0.1).unwrap();
    let e0 = task.ridge(200.0, 0.0).unwrap().test_error;
    let t = task.ridge(200.0, -1e-100).unwrap();
    assert!(close(t.test_error, e0, 1e-12), "{} vs {e0}", t.test_error);
    let t = task.ridge(200.0, -1e-30).unwrap();
    assert!(close(t.kappa, -2e-30, 1e-6), "κ = {:e}", t.kappa);
    let q = 0.5_f64;
    let lmin = -(1.0 - q.sqrt()).powi(2);
    for delta in [1e-6, 1e-9, 1e-12, 1e-14] {
        let lambda = lmin * (1.0 - delta);
        let want = isotropic_closed_form(q, 0.1, lambda, -lmin * delta);
        if let Ok(t) = task.ridge(200.0, lambda) {
            assert!(
                close(t.test_error, want, 1e-3),
                "δ = {delta:e}: E_g = {} vs closed form {want}",
                t.test_error
            );
        }
    }
    // δ = 1e-6 is resolvable and must be answered.
    assert!(task.ridge(200.0, lmin * (1.0 - 1e-6)).is_ok());
    let at_min = task.min_ridge(200.0).unwrap();
    assert!(close(at_min, lmin, 1e-9), "λ_min = {at_min:e} vs {lmin:e}");
    assert!(
        task.ridge(200.0, at_min).is_err(),
        "{:?}",
        task.ridge(200.0, at_min)
    );
}

/// Defect 6: no NaN or ±∞ inside `Ok`. Overflowing errors are errors; a subnormal
/// eigenvalue or a spectrum whose trace overflows is rejected at construction; the
/// Stieltjes transform at |z| ~ 1e±300 either answers finitely or errs; out-of-
/// distribution test eigenvalues near 1e300 overflow into an error.
#[test]
fn regression_15_6_no_nonfinite_in_ok() {
    use detridge::Spectrum;
    use detridge::stransform::stieltjes::stieltjes;
    use num_complex::Complex64;
    let all_finite = |t: &detridge::ridge::RidgeTheory| {
        [
            t.test_error,
            t.train_error,
            t.bias2,
            t.var_data,
            t.var_noise,
            t.gcv,
            t.kappa,
        ]
        .iter()
        .all(|v| v.is_finite())
    };
    let big = Task::isotropic(100.0, f64::MAX, f64::MAX).unwrap();
    if let Ok(t) = big.ridge(50.0, 0.0) {
        assert!(all_finite(&t), "{t:?}");
    }
    // Subnormal eigenvalue: 1/(s + κ) overflows at κ = 0.
    assert!(Spectrum::from_eigenvalues(&[1.0, 1e-310]).is_err());
    assert!(Task::from_weights(&[1.0, 1e-310], &[1.0, 1.0], 0.1).is_err());
    // Trace overflow.
    assert!(Spectrum::from_eigenvalues(&[f64::MAX, f64::MAX]).is_err());
    let s = Spectrum::from_eigenvalues(&[1.0, 1e-50, 1e50]).unwrap();
    for z in [Complex64::new(1e300, 1e300), Complex64::new(1e-300, 1e-300)] {
        if let Ok(m) = stieltjes(&s, 20.0, z) {
            assert!(m.re.is_finite() && m.im.is_finite() && m.im > 0.0, "{m}");
        }
    }
    let task = Task::from_weights(&[1.0, 0.5], &[1.0, 1.0], 0.1).unwrap();
    if let Ok(o) = task.ridge_ood(1.0, 1e-300, &[1e300, 1e300]) {
        assert!(
            o.test_error.is_finite() && o.gamma_test.is_finite(),
            "{o:?}"
        );
    }
}

/// Defect 4 and issue #10: `optimal_ridge` searched a fixed window and returned its
/// lower edge; it must bracket the minimum adaptively. The power law of the issue at
/// `P = 1e15` has its optimum at a negative ridge (`λ = −1e-60` already beats the old
/// answer by eleven orders of magnitude). No signal: `λ* = ∞`, an `InfiniteOptimum`
/// error (not "did not converge"); no noise with `P > D`: `λ* = 0` exactly.
#[test]
fn regression_15_4_optimal_ridge_brackets_adaptively() {
    use detridge::Error;
    let task = Task::power_law(3.76, 0.208, None, 0.0).unwrap();
    let opt = task.optimal_ridge(1e15).unwrap();
    for l in [-1e-60, 0.0, 2.0 * opt.lambda, 0.5 * opt.lambda] {
        if let Ok(t) = task.ridge(1e15, l) {
            assert!(
                opt.theory.test_error <= t.test_error * (1.0 + 1e-9),
                "E_g(λ* = {:e}) = {:e} > E_g({l:e}) = {:e}",
                opt.lambda,
                opt.theory.test_error,
                t.test_error
            );
        }
    }
    let none = Task::isotropic(100.0, 0.0, 0.5).unwrap();
    assert!(
        matches!(
            none.optimal_ridge(150.0),
            Err(Error::InfiniteOptimum { .. })
        ),
        "{:?}",
        none.optimal_ridge(150.0)
    );
    let clean = Task::isotropic(100.0, 1.0, 0.0).unwrap();
    let o = clean.optimal_ridge(150.0).unwrap();
    assert!(o.lambda == 0.0 && o.theory.test_error == 0.0, "{o:?}");
}

/// Defect 7: absurd sizes are validated before anything is allocated or looped over
/// (the full set runs in a memory-limited child in `tests/absurd_sizes.rs`; these are
/// the ones that are cheap to answer in-process once fixed): `sphere_degeneracy` wrapped
/// `usize` at huge `d` and looped `ℓ` times (hanging at `ℓ = 2⁶²`); usize overflow of
/// the ensemble size; `log_space` of `usize::MAX` points.
#[test]
fn regression_15_7_absurd_sizes_fail_cleanly() {
    use detridge::kernel::sphere_degeneracy;
    use detridge::montecarlo::features::{FeatureModel, random_features_ensemble};
    // N(3, ℓ) = 2ℓ + 1 exactly; N(d, 2) = (d + 2)(d − 1)/2.
    assert!(close(
        sphere_degeneracy(3, 1 << 62).unwrap(),
        2.0 * 2f64.powi(62) + 1.0,
        1e-15
    ));
    let d = usize::MAX as f64;
    assert!(close(
        sphere_degeneracy(usize::MAX, 2).unwrap(),
        (d + 2.0) * (d - 1.0) / 2.0,
        1e-12
    ));
    assert!(sphere_degeneracy(1 << 40, 1 << 40).is_err());
    let small = Task::isotropic(4.0, 1.0, 0.1).unwrap();
    let r = std::panic::catch_unwind(|| {
        random_features_ensemble(
            &small,
            8,
            &FeatureModel::Isotropic { n: 4 },
            &[0.1],
            3,
            3,
            usize::MAX,
            1,
        )
    });
    assert!(matches!(r, Ok(Err(_))), "{r:?}");
    assert!(detridge::scaling::log_space(1.0, 10.0, usize::MAX).is_err());
    assert!(Task::power_law(1e8, 0.5, None, 0.1).is_err());
}

/// Defect 8 and issue #10: readable errors that name what the user passed. A tiny
/// negative α printed as 320 digits; `Task::isotropic(0, …)` named a `multiplicity`;
/// `Task::power_law(200, 0.5, Some(1000), 0)` reported a length mismatch (its small
/// eigenvalues underflowed to zero); `fit_log_log_window` rejected a non-positive value
/// outside its window.
#[test]
fn regression_15_8_readable_errors() {
    use detridge::Error;
    let msg = Task::power_law(-5e-324, 0.5, Some(10), 0.0)
        .unwrap_err()
        .to_string();
    assert!(msg.len() < 120 && msg.contains("-4.941e-324"), "{msg}");
    let e = Task::isotropic(0.0, 1.0, 0.1).unwrap_err();
    assert!(
        matches!(e, Error::InvalidParameter { name: "d", .. }),
        "{e}"
    );
    let e = Task::power_law(200.0, 0.5, Some(1000), 0.0).unwrap_err();
    assert!(
        matches!(e, Error::InvalidParameter { name: "alpha", .. }),
        "{e}"
    );
    let f = detridge::scaling::fit_log_log_window(
        &[-1.0, 1.0, 10.0, 100.0, 1e4],
        &[0.0, 1.0, 0.1, 0.01, -3.0],
        1.0,
        100.0,
    )
    .unwrap();
    assert!((f.slope + 1.0).abs() < 1e-12, "{f:?}");
}

/// Defect 5: feature noise `s = 0` must reproduce `random_features` at any `N`; the
/// feature-space degrees of freedom `N(1 − κ₁/κ₂)` cancelled at huge `N` (−1.2 % at
/// `N = 1e12`, `Divergent` at 1e15, a wrong `Ok` at `f64::MAX`).
#[test]
fn regression_15_5_noisy_features_at_huge_width() {
    let task = Task::power_law(1.5, 0.6, Some(300), 0.09).unwrap();
    for n in [400.0, 1e12, 1e15, 1e200, f64::MAX] {
        let a = task.noisy_random_features(200.0, n, 0.0, 1e-2).unwrap();
        let b = task.random_features(200.0, n, 1e-2).unwrap();
        assert!(
            close(a.test_error, b.test_error, 1e-9),
            "N = {n:e}: {} vs {}",
            a.test_error,
            b.test_error
        );
    }
}

/// Defect 6, second part: data paths on `X` near 1e±300, overflowing targets, the
/// simulators on eigenvalues ~1e300, `log_space` up to `f64::MAX`: an error or a finite
/// number, never ∞ or NaN inside `Ok`.
#[test]
fn regression_15_6_paths_simulators_and_grids_never_nonfinite() {
    use detridge::estimate::RidgePath;
    use detridge::montecarlo;
    use nalgebra::{DMatrix, DVector};
    let x = DMatrix::from_row_slice(3, 1, &[1e300, -2e300, 0.5e300]);
    let y = DVector::from_vec(vec![1e300, 1e300, -1e300]);
    let path = RidgePath::new(&x, &y).unwrap();
    for l in [0.0, 1e-3, 1.0] {
        for v in [path.train_error(l), path.gcv(l), path.loocv(l)]
            .into_iter()
            .flatten()
        {
            assert!(v.is_finite(), "λ = {l}: {v}");
        }
    }
    assert!(Task::from_weights(&[1e-10, f64::MAX], &[1.0, 1.5], 0.1).is_err());
    let task = Task::from_weights(&[1e300, 1.0], &[0.3, 0.2], 0.1).unwrap();
    if let Ok(v) = montecarlo::ridge(&task, 1, &[0.0, 1.0], 4, 1) {
        for e in v {
            assert!(e.test_error.mean.is_finite() && e.test_error.std_err.is_finite());
        }
    }
    let g = detridge::scaling::log_space(1e-300, f64::MAX, 4).unwrap();
    assert!(g.iter().all(|v| v.is_finite()), "{g:?}");
}
