//! Compressed spectra: per-bin Gauss quadrature must reproduce the exact
//! traces and learning curves to 1e-10 relative for κ ≥ 0.

use crate::common::tol::*;
use detridge::{Error, Spectrum, Task};

/// The bound the compression promises (module docs of `spectrum::compressed`).
const COMPRESSED_REL: f64 = SOLVER_REL;

fn rel(a: f64, b: f64) -> f64 {
    if a == 0.0 && b == 0.0 {
        0.0
    } else {
        (a - b).abs() / a.abs().max(b.abs())
    }
}

/// An explicit (eigenvalue by eigenvalue) power-law task, `s_k = k^{-α}`,
/// `s_k w̄_k² ∝ k^{-(1+2αr)}` (large finite `D` in `Task::power_law` is analytic).
fn explicit_power_law(alpha: f64, r: f64, d: usize, noise: f64) -> Task {
    let s: Vec<f64> = (1..=d).map(|k| (k as f64).powf(-alpha)).collect();
    let w: Vec<f64> = (1..=d)
        .map(|k| ((k as f64).powf(-(1.0 + 2.0 * alpha * r)) / s[k - 1]).sqrt())
        .collect();
    Task::from_weights(&s, &w, noise).unwrap()
}

#[test]
fn power_law_curve_matches_exact() {
    let exact = explicit_power_law(1.5, 0.4, 300_000, 0.25);
    let (fast, report) = exact.compressed().unwrap();
    assert!(
        report.entries_after * 100 < report.entries_before,
        "{report:?}"
    );
    assert!(report.max_rel_error <= COMPRESSED_REL);
    let ps: Vec<f64> = (0..25).map(|i| 10f64.powf(1.0 + 0.2 * i as f64)).collect();
    for &lambda in &[0.0, 1e-8, 1e-4, 1.0] {
        let a = exact.ridge_curve_p(&ps, lambda).into_result().unwrap();
        let b = fast.ridge_curve_p(&ps, lambda).into_result().unwrap();
        for (x, y) in a.iter().zip(&b) {
            for (u, v) in [
                (x.kappa, y.kappa),
                (x.test_error, y.test_error),
                (x.train_error, y.train_error),
                (x.bias2, y.bias2),
                (x.var_data, y.var_data),
                (x.var_noise, y.var_noise),
            ] {
                assert!(
                    rel(u, v) <= COMPRESSED_REL * 10.0,
                    "P={} lambda={lambda}: {u} vs {v}",
                    x.p
                );
            }
        }
    }
}

#[test]
fn irregular_spectrum_with_multiplicities_matches_exact() {
    // Pseudo-random eigenvalues over twelve decades with multiplicities and targets.
    let n = 20_000;
    let mut x = 0.123_456_789_f64;
    let mut next = || {
        x = (x * 3.987_654_321 + 0.314_159).fract();
        x
    };
    let values: Vec<f64> = (0..n).map(|_| 10f64.powf(-12.0 * next())).collect();
    let mult: Vec<f64> = (0..n).map(|_| 1.0 + (5.0 * next()).floor()).collect();
    let w2: Vec<f64> = (0..n).map(|_| next().powi(3)).collect();
    let s = Spectrum::with_multiplicities(&values, &mult).unwrap();
    let exact = Task::with_target_power(s, &w2, 0.1).unwrap();
    let (fast, report) = exact.compressed().unwrap();
    assert!(report.entries_after < n / 10, "{report:?}");
    for &p in &[50.0, 5_000.0, 60_000.0, 1e6] {
        for &lambda in &[0.0, 1e-9, 1e-3] {
            let (a, b) = (
                exact.ridge(p, lambda).unwrap(),
                fast.ridge(p, lambda).unwrap(),
            );
            assert!(
                rel(a.test_error, b.test_error) <= COMPRESSED_REL * 10.0,
                "P={p} λ={lambda}"
            );
            assert!(
                rel(a.kappa, b.kappa) <= COMPRESSED_REL * 10.0,
                "P={p} λ={lambda}"
            );
        }
    }
}

#[test]
fn compressed_refuses_negative_ridge_and_keeps_small_spectra_exact() {
    let exact = explicit_power_law(1.5, 0.4, 5_000, 0.25);
    let (fast, _) = exact.compressed().unwrap();
    assert!(fast.spectrum().is_compressed());
    assert!(matches!(
        fast.ridge(100.0, -1e-6),
        Err(Error::Unsupported(_))
    ));
    assert!(matches!(fast.min_ridge(100.0), Err(Error::Unsupported(_))));
    // A spectrum with few eigenvalues per bin is kept as it is.
    let small = Task::isotropic(100.0, 1.0, 0.1).unwrap();
    let (same, report) = small.compressed().unwrap();
    assert_eq!(report.entries_after, 1);
    let (a, b) = (
        small.ridge(50.0, 0.01).unwrap(),
        same.ridge(50.0, 0.01).unwrap(),
    );
    assert!(rel(a.test_error, b.test_error) < FEW_ULPS);
}
