//! Exact power-law traces (THEORY §1, §7.1): the analytic representation (head +
//! Euler–Maclaurin tail) against checked-in 40-digit references at `D = ∞`
//! (`scripts/power_law_reference.py`) and against brute-force compensated sums at finite
//! `D` (up to 10⁷).
//!
//! Run: `cargo test --release --test spectrum power_law::`.

use crate::common::tol::*;
use detridge::spectrum::{POWER_LAW_EXPLICIT_MAX, PowerLaw};
use detridge::{Error, Spectrum, Task, Traces};

// Generated 20-digit tables: separators and excess digits are intended.
#[allow(clippy::unreadable_literal, clippy::excessive_precision)]
mod reference {
    include!("../data/power_law_reference.rs");
}

/// Required relative accuracy of every trace (issue #5).
const TRACE_REL: f64 = IDENTITY_REL;

fn as_array(t: &Traces) -> [f64; 6] {
    [t.df1, t.df2, t.df1_minus_df2, t.tf1, -t.tf1_prime, t.tf2]
}

fn rel(a: f64, b: f64) -> f64 {
    (a - b).abs() / b.abs()
}

/// Neumaier-compensated sum.
struct Kahan {
    sum: f64,
    c: f64,
}

impl Kahan {
    fn new() -> Self {
        Self { sum: 0.0, c: 0.0 }
    }
    fn add(&mut self, x: f64) {
        let t = self.sum + x;
        if self.sum.abs() >= x.abs() {
            self.c += (self.sum - t) + x;
        } else {
            self.c += (x - t) + self.sum;
        }
        self.sum = t;
    }
    fn value(&self) -> f64 {
        self.sum + self.c
    }
}

/// Brute-force traces of the power-law task with `D = d` at `κ`, compensated sums.
fn brute(alpha: f64, r: f64, d: u64, kappa: f64) -> [f64; 6] {
    let a = 1.0 + 2.0 * alpha * r;
    let mut norm = Kahan::new();
    for k in (1..=d).rev() {
        norm.add((k as f64).powf(-a));
    }
    let c = 1.0 / norm.value();
    let mut acc: Vec<Kahan> = (0..6).map(|_| Kahan::new()).collect();
    for k in (1..=d).rev() {
        let kf = k as f64;
        let s = kf.powf(-alpha);
        let w = c * kf.powf(-a);
        let u = 1.0 / (s + kappa);
        let t = s * u;
        acc[0].add(t);
        acc[1].add(t * t);
        acc[2].add(kappa * t * u);
        acc[3].add(w * u);
        acc[4].add(w * u * u);
        acc[5].add(w * t * u);
    }
    let mut out = [0.0; 6];
    for (o, a) in out.iter_mut().zip(&acc) {
        *o = a.value();
    }
    out
}

#[test]
fn infinite_power_law_matches_high_precision_reference() {
    let mut worst = 0.0_f64;
    let mut cache: Option<(f64, f64, Task)> = None;
    for &(alpha, r, kappa, expected) in reference::REFERENCE {
        let task = match &cache {
            Some((a, rr, t)) if (a - alpha).abs() < 1e-15 && (rr - r).abs() < 1e-15 => t.clone(),
            _ => {
                let t = Task::power_law(alpha, r, None, 0.0).unwrap();
                cache = Some((alpha, r, t.clone()));
                t
            }
        };
        let got = as_array(&task.traces(kappa));
        for (i, (g, e)) in got.iter().zip(&expected).enumerate() {
            let err = rel(*g, *e);
            worst = worst.max(err);
            assert!(
                err <= TRACE_REL,
                "alpha={alpha} r={r} kappa={kappa} trace #{i}: got {g:e}, reference {e:e}, rel {err:e}"
            );
        }
        // The spectrum-only pass agrees with the task pass.
        let d = task.spectrum().dofs(kappa);
        assert!(rel(d.df1, got[0]) <= FEW_ULPS && rel(d.df1_minus_df2, got[2]) <= FEW_ULPS);
    }
    eprintln!("worst relative error against the mpmath references: {worst:e}");
}

#[test]
fn large_finite_d_matches_brute_force() {
    let d = 200_000u64;
    assert!(d as usize > POWER_LAW_EXPLICIT_MAX);
    let mut worst = 0.0_f64;
    for &alpha in &[0.8, 1.2, 1.5, 2.0, 3.0] {
        let smin = (d as f64).powf(-alpha);
        for &r in &[0.3, 0.7, 1.5] {
            let task = Task::power_law(alpha, r, Some(d as usize), 0.0).unwrap();
            assert!((task.spectrum().dimension() - d as f64).abs() < 0.5);
            // Analytic representation: a pass does not touch all D eigenvalues.
            assert!(task.spectrum().stored_len() < 1000);
            for &kappa in &[
                1e-15,
                1e-12,
                smin * 0.1,
                smin,
                smin * 10.0,
                1e-6,
                1e-4,
                1e-2,
                1.0,
                1e3,
            ] {
                let got = as_array(&task.traces(kappa));
                let exp = brute(alpha, r, d, kappa);
                for (i, (g, e)) in got.iter().zip(&exp).enumerate() {
                    let err = rel(*g, *e);
                    worst = worst.max(err);
                    assert!(
                        err <= TRACE_REL,
                        "alpha={alpha} r={r} kappa={kappa:e} trace #{i}: {g:e} vs {e:e} ({err:e})"
                    );
                }
            }
        }
    }
    eprintln!("worst relative error at D = 2e5 against brute force: {worst:e}");
}

#[test]
fn steep_spectra_and_targets_match_brute_force() {
    // Large α (singularities k_c e^{±iπ/α} close to the real axis: longer head) and
    // steep targets (fast-growing Taylor coefficients of the Euler–Maclaurin terms).
    let d = 150_000u64;
    // Finite D also admits α < 1 and r ≤ 0 (growing target powers).
    for (alpha, r) in [
        (6.0, 3.0),
        (10.0, 0.5),
        (3.0, 5.0),
        (1.05, 0.2),
        (0.6, 0.3),
        (0.8, -0.3),
    ] {
        let task = Task::power_law(alpha, r, Some(d as usize), 0.0).unwrap();
        for &kappa in &[1e-14, 1e-9, 1e-5, 1e-3, 0.1, 10.0] {
            let got = as_array(&task.traces(kappa));
            let exp = brute(alpha, r, d, kappa);
            for (i, (g, e)) in got.iter().zip(&exp).enumerate() {
                assert!(
                    rel(*g, *e) <= TRACE_REL,
                    "alpha={alpha} r={r} kappa={kappa:e} trace #{i}: {g:e} vs {e:e}"
                );
            }
        }
    }
}

#[test]
fn ten_million_dimensions_match_brute_force() {
    let d = 10_000_000u64;
    let task = Task::power_law(1.5, 0.7, Some(d as usize), 0.0).unwrap();
    for &kappa in &[1e-11, 1e-5] {
        let got = as_array(&task.traces(kappa));
        let exp = brute(1.5, 0.7, d, kappa);
        for (i, (g, e)) in got.iter().zip(&exp).enumerate() {
            assert!(
                rel(*g, *e) <= TRACE_REL,
                "kappa={kappa:e} trace #{i}: {g:e} vs {e:e}"
            );
        }
    }
}

#[test]
fn explicit_and_analytic_finite_d_agree_at_the_threshold() {
    // Just below the threshold the spectrum is explicit; just above it analytic. The two
    // must agree to rounding (the spectra differ by one eigenvalue).
    let n = POWER_LAW_EXPLICIT_MAX;
    let a = Task::power_law(1.5, 0.4, Some(n), 0.1).unwrap();
    let b = Task::power_law(1.5, 0.4, Some(n + 1), 0.1).unwrap();
    assert!(a.spectrum().stored_len() == n && b.spectrum().stored_len() < 1000);
    let (ta, tb) = (a.traces(1e-4), b.traces(1e-4));
    let extra = (n as f64 + 1.0).powf(-1.5) / ((n as f64 + 1.0).powf(-1.5) + 1e-4);
    assert!(rel(tb.df1 - extra, ta.df1) <= IDENTITY_REL);
    assert!(rel(tb.tf1, ta.tf1) <= CONTINUITY_REL); // renormalised target differs by ~1e-8
    let ra = a.ridge(300.0, 1e-3).unwrap();
    let rb = b.ridge(300.0, 1e-3).unwrap();
    assert!(rel(ra.test_error, rb.test_error) <= CONTINUITY_REL);
}

#[test]
fn traces_are_smooth_across_head_length_switches() {
    // K jumps with κ; dDf₁/dκ = −(Df₁−Df₂)/κ and dtf₁/dκ = tf₁′ must hold by central
    // differences (rounding of the difference quotient ≈ 1e-16/h ≈ 1e-10).
    let task = Task::power_law(2.0, 0.7, None, 0.0).unwrap();
    for i in 0..200 {
        let kappa = 10f64.powf(-8.0 + 8.0 * i as f64 / 199.0);
        let h = 1e-5 * kappa;
        let (p, m, c) = (
            task.traces(kappa + h),
            task.traces(kappa - h),
            task.traces(kappa),
        );
        let d1 = (p.df1 - m.df1) / (2.0 * h);
        assert!(
            rel(-d1 * kappa, c.df1_minus_df2) < FD_REL,
            "kappa={kappa:e}"
        );
        let dt = (p.tf1 - m.tf1) / (2.0 * h);
        assert!(rel(dt, c.tf1_prime) < FD_REL, "kappa={kappa:e}");
        assert!(rel(c.tf1 + kappa * c.tf1_prime, c.tf2) < IDENTITY_REL);
        assert!(c.df2 < c.df1 && c.df1_minus_df2 > 0.0);
    }
}

#[test]
fn trace_norms_and_closed_forms() {
    use std::f64::consts::PI;
    let s = Spectrum::power_law(2.0, None).unwrap();
    assert!(rel(s.trace(), PI * PI / 6.0) < FEW_ULPS);
    assert!(s.rank().is_infinite());
    assert!(s.min_positive_eigenvalue() == 0.0 && (s.max_eigenvalue() - 1.0).abs() < FEW_ULPS);
    let p = PowerLaw::new(4.0, None).unwrap();
    assert!(rel(p.trace(), PI.powi(4) / 90.0) < FEW_ULPS);
    assert!((p.alpha() - 4.0).abs() < FEW_ULPS && p.dimension().is_infinite());
    // r = 0.75, α = 2: s w̄² = k^{-4}/ζ(4) so |w̄|² = ζ(2)/ζ(4).
    let t = Task::power_law(2.0, 0.75, None, 0.0).unwrap();
    assert!(rel(t.target_norm2(), (PI * PI / 6.0) / (PI.powi(4) / 90.0)) < TENS_OF_ULPS);
    assert!((t.signal_variance() - 1.0).abs() < FEW_ULPS);
    // r < 1/2: |w̄|² = ∞ at D = ∞ (still a valid task), finite at finite D.
    assert!(
        Task::power_law(2.0, 0.3, None, 0.0)
            .unwrap()
            .target_norm2()
            .is_infinite()
    );
    let f = Task::power_law(2.0, 0.3, Some(1_000_000), 0.0).unwrap();
    let a = 1.0 + 4.0 * 0.3;
    let z: f64 = (1..=1_000_000u64).rev().map(|k| (k as f64).powf(-a)).sum();
    let n2: f64 = (1..=1_000_000u64)
        .rev()
        .map(|k| (k as f64).powf(-(a - 2.0)))
        .sum();
    assert!(rel(f.target_norm2(), n2 / z) < IDENTITY_REL);
    // Large-κ limit: Df₁ → Tr Σ/κ, tf₁ → Σ s w̄²/κ = 1/κ.
    let tr = t.traces(1e12);
    assert!(rel(tr.df1 * 1e12, PI * PI / 6.0) < SOLVER_REL);
    assert!(rel(tr.tf1 * 1e12, 1.0) < SOLVER_REL);
}

#[test]
fn infinite_power_law_learning_curve_is_well_behaved() {
    // Noiseless, so that E_g decreases with P (with noise and tiny λ it need not).
    let task = Task::power_law(1.5, 0.7, None, 0.0).unwrap();
    let ps: Vec<f64> = (0..30)
        .map(|i| 10f64.powf(1.0 + 5.0 * i as f64 / 29.0))
        .collect();
    let curve = task.ridge_curve_p(&ps, 1e-6).into_result().unwrap();
    for w in curve.windows(2) {
        assert!(w[1].kappa < w[0].kappa && w[1].test_error < w[0].test_error);
    }
    for t in &curve {
        assert!(t.kappa >= 1e-6);
        assert!(rel(t.bias2 + t.var_data + t.var_noise, t.test_error) < HUNDREDS_OF_ULPS);
        // The fixed point holds: κ (1 − Df₁/P) = λ, to rounding of κ·Df₁/P (the
        // difference is ill-conditioned when κ ≫ λ, so measure it against κ).
        let tr = task.traces(t.kappa);
        assert!((t.kappa * (1.0 - tr.df1 / t.p) - 1e-6).abs() < HUNDREDS_OF_ULPS * t.kappa);
    }
    // Ridgeless at D = ∞ is always in the interpolating regime: κ₀ > 0, E_tr = 0.
    let r0 = task.ridge(100.0, 0.0).unwrap();
    assert!(r0.kappa > 0.0 && r0.train_error.abs() < FEW_ULPS);
    assert!(rel(task.traces(r0.kappa).df1, 100.0) < IDENTITY_REL);
}

#[test]
fn invalid_power_laws_are_rejected() {
    assert!(matches!(
        Spectrum::power_law(1.0, None),
        Err(Error::InvalidParameter { name: "alpha", .. })
    ));
    assert!(matches!(
        Spectrum::power_law(0.0, Some(10)),
        Err(Error::InvalidParameter { name: "alpha", .. })
    ));
    assert!(matches!(
        PowerLaw::new(f64::NAN, None),
        Err(Error::NonFinite { .. })
    ));
    assert!(matches!(
        PowerLaw::new(1.5, Some(0)),
        Err(Error::InvalidParameter { name: "d", .. })
    ));
    assert!(matches!(
        Task::power_law(1.5, 0.0, None, 0.0),
        Err(Error::InvalidParameter { name: "r", .. })
    ));
    assert!(matches!(
        Task::power_law(1.5, f64::INFINITY, None, 0.0),
        Err(Error::NonFinite { .. })
    ));
    assert!(matches!(
        Task::power_law(0.9, 0.5, None, 0.0),
        Err(Error::InvalidParameter { name: "alpha", .. })
    ));
    assert!(matches!(
        Task::power_law(1.5, 0.5, None, -1.0),
        Err(Error::InvalidParameter { .. })
    ));
    // Finite D admits α ≤ 1 and any finite r.
    assert!(Task::power_law(0.5, -0.2, Some(200_000), 0.0).is_ok());
}
