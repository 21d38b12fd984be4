//! Kernel ridge regression (THEORY §6): Mercer levels with degeneracies against the
//! explicitly expanded spectrum, the Canatar/Bordelon form of the equations, conventions
//! and KARE.
//!
//! Run: `cargo test --release --test kernel`.

mod common;

use common::invariants;
use common::tol::*;
use detridge::kernel::{
    from_kernel_convention, kernel_ridge, learning_curve, mercer_task, sphere_degeneracy,
    sphere_task, to_kernel_convention,
};
use detridge::{Error, Task};
use proptest::prelude::*;

fn rel(a: f64, b: f64) -> f64 {
    (a - b).abs() / b.abs()
}

fn binom(n: usize, k: usize) -> f64 {
    (1..=k).fold(1.0, |acc, i| acc * (n - k + i) as f64 / i as f64)
}

#[test]
fn sphere_degeneracies() {
    for l in 0..20 {
        assert!((sphere_degeneracy(3, l).unwrap() - (2 * l + 1) as f64).abs() < CROSS_METHOD_REL);
        let two = if l == 0 { 1.0 } else { 2.0 };
        assert!((sphere_degeneracy(2, l).unwrap() - two).abs() < CROSS_METHOD_REL);
    }
    // Σ_{ℓ ≤ L} N(d, ℓ) = N(d+1, L) (harmonics of degree ≤ L on S^{d−1} restrict the
    // degree-L harmonics on S^d), and N(d, ℓ) = C(ℓ+d−1, d−1) − C(ℓ+d−3, d−1).
    for d in 3..12 {
        let mut cum = 0.0;
        for l in 0..15 {
            let n = sphere_degeneracy(d, l).unwrap();
            cum += n;
            assert!((cum - sphere_degeneracy(d + 1, l).unwrap()).abs() < DEGENERACY_REL * cum);
            let lower = if l >= 2 { binom(l + d - 3, d - 1) } else { 0.0 };
            assert!((n - (binom(l + d - 1, d - 1) - lower)).abs() < DEGENERACY_REL * n);
        }
    }
}

/// Levels of a dot-product kernel on S^{d−1} with η_ℓ ∝ ℓ^{-s} per direction.
fn levels(d: usize, nl: usize) -> (Vec<f64>, Vec<f64>, Vec<f64>) {
    let eta: Vec<f64> = (0..nl)
        .map(|l| (l as f64 + 1.0).powf(-3.0) / 10.0)
        .collect();
    let mult: Vec<f64> = (0..nl).map(|l| sphere_degeneracy(d, l).unwrap()).collect();
    let c2: Vec<f64> = (0..nl).map(|l| 0.5f64.powi(l as i32)).collect();
    (eta, mult, c2)
}

#[test]
fn degenerate_levels_match_the_expanded_spectrum() {
    let (eta, mult, c2) = levels(4, 7);
    let task = mercer_task(&eta, &mult, &c2, 0.05).unwrap();
    // Expanded: each level repeated N(d, ℓ) times, c² spread evenly: w̄_k = √(c²/N/η).
    let mut e = Vec::new();
    let mut w = Vec::new();
    for ((&et, &n), &c) in eta.iter().zip(&mult).zip(&c2) {
        for _ in 0..n as usize {
            e.push(et);
            w.push((c / n / et).sqrt());
        }
    }
    let explicit = Task::from_weights(&e, &w, 0.05).unwrap();
    assert!((task.spectrum().dimension() - e.len() as f64).abs() < CROSS_METHOD_REL);
    for (p, lambda) in [(5.0, 1e-4), (40.0, 1e-3), (200.0, 0.0), (1000.0, 1e-2)] {
        let a = kernel_ridge(&task, p, lambda).unwrap();
        let b = explicit.ridge(p, lambda).unwrap();
        // (P = 200 > D = 140 with λ = 0: κ = 0 exactly on both sides.)
        assert!(
            (a.ridge.kappa - b.kappa).abs() <= IDENTITY_REL * b.kappa,
            "P={p}"
        );
        assert!(
            rel(a.ridge.test_error, b.test_error) < IDENTITY_LOOSE_REL,
            "P={p}"
        );
        assert!((a.ridge.train_error - b.train_error).abs() <= SOLVER_REL * b.train_error);
    }
}

#[test]
fn canatar_form_of_the_equations() {
    // THEORY §6 in the kernel-literature convention: κ_C = λ_C + Σ_k κ_C η_k/(Pη_k + κ_C),
    // γ = Σ_k P η_k²/(Pη_k + κ_C)², E_g = [κ_C² Σ c_k²/(Pη_k+κ_C)² · P² ... ] written
    // below directly in terms of per-level sums.
    let (eta, mult, c2) = levels(5, 8);
    let sigma2 = 0.1;
    let task = mercer_task(&eta, &mult, &c2, sigma2).unwrap();
    for (p, lambda) in [(10.0, 1e-3), (100.0, 1e-5), (700.0, 1e-2)] {
        let t = kernel_ridge(&task, p, lambda).unwrap();
        let (lc, kc) = (t.convention.lambda, t.convention.kappa);
        assert!(rel(lc, p * lambda) < FEW_ULPS && rel(kc, p * t.ridge.kappa) < FEW_ULPS);
        let mut rhs = lc;
        let mut gamma = 0.0;
        let mut signal = 0.0;
        for ((&e, &n), &c) in eta.iter().zip(&mult).zip(&c2) {
            rhs += n * kc * e / (p * e + kc);
            gamma += n * p * e * e / (p * e + kc).powi(2);
            // κ² c²/(η+κ)² with κ = κ_C/P.
            signal += kc * kc * c / (p * e + kc).powi(2);
        }
        assert!(rel(kc, rhs) < IDENTITY_REL);
        assert!(rel(t.ridge.gamma, gamma) < IDENTITY_REL);
        let eg = (signal + gamma * sigma2) / (1.0 - gamma);
        assert!(rel(t.ridge.test_error, eg) < IDENTITY_LOOSE_REL);
        // KARE concentrates on E_g + σ² = (κ/λ)² E_tr.
        assert!(rel(t.gcv, eg + sigma2) < IDENTITY_LOOSE_REL);
        let s = t.ridge.kappa / lambda;
        assert!(rel(s * s * t.ridge.train_error, t.gcv) < IDENTITY_LOOSE_REL);
        let (l2, k2) = from_kernel_convention(p, lc, kc).unwrap();
        assert!(rel(l2, lambda) < FEW_ULPS && rel(k2, t.ridge.kappa) < FEW_ULPS);
    }
}

#[test]
fn ridgeless_kernel_interpolation() {
    // Fewer samples than modes: κ₀ solves Σ_k η_k/(η_k+κ₀) = P; E_tr = 0.
    let (eta, mult, c2) = levels(6, 6);
    let task = mercer_task(&eta, &mult, &c2, 0.0).unwrap();
    let t = kernel_ridge(&task, 30.0, 0.0).unwrap();
    let df1: f64 = eta
        .iter()
        .zip(&mult)
        .map(|(&e, &n)| n * e / (e + t.ridge.kappa))
        .sum();
    assert!(rel(df1, 30.0) < IDENTITY_REL);
    assert!(t.ridge.train_error.abs() < FEW_ULPS);
}

#[test]
fn learning_curve_descends_through_the_levels() {
    // Noiseless, tiny ridge: the error falls as P passes each level's degeneracy.
    let (eta, mult, c2) = levels(3, 10);
    let task = sphere_task(3, &eta, &c2, 0.0).unwrap();
    assert!((task.spectrum().dimension() - mult.iter().sum::<f64>()).abs() < CROSS_METHOD_REL);
    let ps: Vec<f64> = (0..25).map(|i| 10f64.powf(0.2 * i as f64)).collect();
    let curve = learning_curve(&task, &ps, 1e-8).unwrap();
    for w in curve.windows(2) {
        assert!(w[1].ridge.test_error < w[0].ridge.test_error);
    }
    assert!(curve[0].ridge.test_error > 0.3 && curve.last().unwrap().ridge.test_error < 1e-6);
}

#[test]
fn kernel_errors() {
    assert!(matches!(
        sphere_degeneracy(1, 3),
        Err(Error::InvalidParameter { name: "d", .. })
    ));
    assert!(matches!(
        sphere_degeneracy(2000, 400),
        Err(Error::NonFinite { .. })
    ));
    assert!(matches!(
        mercer_task(&[1.0, 0.5], &[1.0, 3.0], &[1.0], 0.0),
        Err(Error::LengthMismatch { .. })
    ));
    assert!(matches!(
        mercer_task(&[1.0, 0.5], &[1.0], &[1.0, 0.0], 0.0),
        Err(Error::LengthMismatch { .. })
    ));
    assert!(matches!(
        mercer_task(&[1.0, 0.0], &[1.0, 3.0], &[1.0, 0.5], 0.0),
        Err(Error::InvalidParameter {
            name: "target power",
            ..
        })
    ));
    assert!(matches!(
        mercer_task(&[1.0], &[1.0], &[-1.0], 0.0),
        Err(Error::InvalidParameter { .. })
    ));
    assert!(matches!(
        mercer_task(&[1.0], &[0.0], &[1.0], 0.0),
        Err(Error::InvalidParameter {
            name: "multiplicity",
            ..
        })
    ));
    assert!(matches!(
        mercer_task(&[1.0], &[1.0], &[1.0], -0.1),
        Err(Error::InvalidParameter { .. })
    ));
    assert!(matches!(
        mercer_task(&[], &[], &[], 0.0),
        Err(Error::Empty { .. })
    ));
    assert!(matches!(
        to_kernel_convention(0.0, 1.0, 1.0),
        Err(Error::InvalidParameter { name: "p", .. })
    ));
    assert!(matches!(
        to_kernel_convention(10.0, f64::NAN, 1.0),
        Err(Error::NonFinite { .. })
    ));
    assert!(matches!(
        from_kernel_convention(-1.0, 1.0, 1.0),
        Err(Error::InvalidParameter { name: "p", .. })
    ));
    assert!(matches!(
        from_kernel_convention(1.0, 1.0, f64::INFINITY),
        Err(Error::NonFinite { .. })
    ));
    let task = mercer_task(&[1.0], &[5.0], &[1.0], 0.0).unwrap();
    assert!(matches!(
        kernel_ridge(&task, -3.0, 1e-3),
        Err(Error::InvalidParameter { .. })
    ));
}

// ---------------------------------------------------------------- invariants (proptest)

/// The family invariants of `tests/common/invariants.rs` for kernel ridge regression on
/// Mercer levels (λ > 0; the ridgeless limit has its own test above).
fn kernel_invariants(task: &Task, p: f64, lambda: f64) -> Result<(), String> {
    let solve = |p: f64, l: f64| kernel_ridge(task, p, l).map_err(|e| format!("kernel: {e}"));
    let t = solve(p, lambda)?;
    let r = &t.ridge;
    let cap = p.min(task.spectrum().rank());
    invariants::kappa_and_dfs("kernel", lambda, r.kappa, r.df1, r.df2, cap)?;
    let more_p = solve(1.1 * p, lambda)?.ridge.kappa;
    let more_l = solve(p, 1.1 * lambda)?.ridge.kappa;
    invariants::kappa_monotone("kernel", r.kappa, more_p, more_l)?;
    invariants::sums_to("kernel", &[r.bias2, r.var_data, r.var_noise], r.test_error)?;
    invariants::sums_to("kernel gcv", &[r.test_error, task.noise_variance()], t.gcv)
}

proptest! {
    #[test]
    fn kernel_invariants_hold_for_mercer_levels(
        levels in prop::collection::vec((1e-4f64..1.0, 1u32..500, 0.0f64..1.0), 1..8),
        sigma2 in 0.0f64..0.5,
        p in 1.0f64..3000.0,
        log_lambda in -6.0f64..0.0,
    ) {
        let eta: Vec<f64> = levels.iter().map(|l| l.0).collect();
        let mult: Vec<f64> = levels.iter().map(|l| f64::from(l.1)).collect();
        let power: Vec<f64> = levels.iter().map(|l| l.2).collect();
        let task = mercer_task(&eta, &mult, &power, sigma2).unwrap();
        kernel_invariants(&task, p, 10f64.powf(log_lambda)).map_err(TestCaseError::fail)?;
    }
}
