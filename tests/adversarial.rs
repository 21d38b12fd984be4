//! Adversarial sweep over every public entry point (issue #15).
//!
//! Seeded (ChaCha8, seed `SEED`), each call inside `catch_unwind`. A *finding* is
//! * `panic`: the call panicked;
//! * `nonfinite`: an `Ok` result carries a NaN or infinite number in a field that must be
//!   finite (each result type has an explicit field list below);
//! * `identity`: an `Ok` result violates an identity of its model (decompositions add up,
//!   `E_tr S² = E_g + σ²`, `κ ≥ λ` for `λ ≥ 0`, `0 ≤ Df₂ ≤ Df₁ ≤ min(P, rank)`, …);
//! * `continuity`: the value at `λ = 1e-13 · (κ scale)` differs from the `λ = 0` branch by
//!   more than the first-order expansion allows.
//!
//! Every finding is printed (category, entry point, input, value) and the test ends with a
//! count per category; it fails on any finding. Errors are never findings: an `Err` is
//! the crate's honest answer (the absurd sizes live in `tests/absurd_sizes.rs`).
//!
//! `DETRIDGE_FORECAST_ERRORS=1` prints the error of every forecast input that does not
//! fit (to see that they are the honest answers).
//!
//! The default run is ~1.5·10⁴ inputs (a few seconds in release). The long version
//! (`cargo test --release --test adversarial -- --ignored`) runs ten times more cases.

use std::collections::BTreeMap;
use std::fmt::Debug;
use std::panic::{AssertUnwindSafe, catch_unwind};

use detridge::estimate::{KernelPath, RidgePath};
use detridge::features::RfTheory;
use detridge::montecarlo::features::FeatureModel;
use detridge::ridge::RidgeTheory;
use detridge::scaling::{self, Regime};
use detridge::solver::{SolverParams, min_ridge, renormalized_ridge};
use detridge::stransform::stieltjes::{density, stieltjes};
use detridge::stransform::{Product, STransform, Scalar, SpectralFactor, Wishart};
use detridge::{Result, Spectrum, Task, kernel, montecarlo};
use nalgebra::{DMatrix, DVector};
use num_complex::Complex64;
use rand::{Rng, RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;

const SEED: u64 = 0x15_ad7e_5a11;

/// Relative rounding allowance of the identities checked on `Ok` results. The results
/// are built from a few dozen f64 operations on cancellation-free sums; 1e-9 is far above
/// their rounding (~1e-14) and far below any modelling error.
const ID_REL: f64 = 1e-9;

#[derive(Debug)]
struct Finding {
    category: &'static str,
    entry: &'static str,
    input: String,
    detail: String,
}

#[derive(Default)]
struct Sweep {
    inputs: usize,
    findings: Vec<Finding>,
    /// Input counts per entry point.
    per_entry: BTreeMap<&'static str, usize>,
    /// Print every input before calling (`DETRIDGE_SWEEP_TRACE=1`, to locate a hang).
    trace: bool,
}

impl Sweep {
    /// Runs `f` inside `catch_unwind`; a panic is a finding. Returns the `Ok` value.
    fn call<T>(
        &mut self,
        entry: &'static str,
        input: &dyn Fn() -> String,
        f: impl FnOnce() -> Result<T>,
    ) -> Option<T> {
        self.inputs += 1;
        if self.trace {
            eprintln!("TRACE {entry}: {}", input());
        }
        *self.per_entry.entry(entry).or_default() += 1;
        match catch_unwind(AssertUnwindSafe(f)) {
            Err(e) => {
                let msg = e
                    .downcast_ref::<String>()
                    .cloned()
                    .or_else(|| e.downcast_ref::<&str>().map(|s| (*s).to_string()))
                    .unwrap_or_default();
                self.find("panic", entry, input(), msg);
                None
            }
            Ok(Err(_)) => None,
            Ok(Ok(v)) => Some(v),
        }
    }

    fn find(&mut self, category: &'static str, entry: &'static str, input: String, detail: String) {
        self.findings.push(Finding {
            category,
            entry,
            input,
            detail,
        });
    }

    /// Every named field must be finite.
    fn finite(
        &mut self,
        entry: &'static str,
        input: &dyn Fn() -> String,
        fields: &[(&str, f64)],
    ) -> bool {
        let bad: Vec<String> = fields
            .iter()
            .filter(|(_, v)| !v.is_finite())
            .map(|(n, v)| format!("{n} = {v:e}"))
            .collect();
        if bad.is_empty() {
            true
        } else {
            self.find("nonfinite", entry, input(), bad.join(", "));
            false
        }
    }

    fn check(&mut self, ok: bool, entry: &'static str, input: &dyn Fn() -> String, what: String) {
        if !ok {
            self.find("identity", entry, input(), what);
        }
    }

    fn report(&self) -> BTreeMap<&'static str, usize> {
        let mut counts: BTreeMap<&'static str, usize> = BTreeMap::new();
        for f in &self.findings {
            *counts.entry(f.category).or_default() += 1;
        }
        // Every (category, entry point) with its count and its first three inputs.
        let mut groups: BTreeMap<(&str, &str), Vec<&Finding>> = BTreeMap::new();
        for f in &self.findings {
            groups.entry((f.category, f.entry)).or_default().push(f);
        }
        for ((cat, entry), fs) in &groups {
            eprintln!("FINDINGS [{cat}] {entry}: {}", fs.len());
            for f in fs.iter().take(3) {
                let input: String = f.input.chars().take(700).collect();
                eprintln!(
                    "  FINDING [{}] {}: input {input} -> {}",
                    f.category, f.entry, f.detail
                );
            }
        }
        eprintln!(
            "adversarial sweep: {} inputs over {} entry points, {} findings {:?}",
            self.inputs,
            self.per_entry.len(),
            self.findings.len(),
            counts
        );
        counts
    }
}

fn close(a: f64, b: f64, rel: f64) -> bool {
    (a - b).abs() <= rel * a.abs().max(b.abs()) + 1e-300
}

// ---------------------------------------------------------------------------------------
// Result checkers (explicit field lists).

fn ridge_fields(t: &RidgeTheory) -> Vec<(&'static str, f64)> {
    vec![
        ("p", t.p),
        ("lambda", t.lambda),
        ("kappa", t.kappa),
        ("df1", t.df1),
        ("df2", t.df2),
        ("gamma", t.gamma),
        ("dkappa_dlambda", t.dkappa_dlambda),
        ("test_error", t.test_error),
        ("train_error", t.train_error),
        ("bias2", t.bias2),
        ("var_data", t.var_data),
        ("var_noise", t.var_noise),
        ("gcv", t.gcv),
        ("solver.kappa", t.solver.kappa),
        ("solver.residual", t.solver.residual),
    ]
}

fn check_ridge(
    sw: &mut Sweep,
    entry: &'static str,
    input: &dyn Fn() -> String,
    task: &Task,
    t: &RidgeTheory,
) {
    if !sw.finite(entry, input, &ridge_fields(t)) {
        return;
    }
    // S = κ/λ is ±∞ exactly when κ/λ is not representable (λ = 0 in the ridgeless
    // interpolating regime, or |λ| below |κ|/f64::MAX); NaN never.
    if t.s_transform.is_nan() || (t.s_transform.is_infinite() && (t.kappa / t.lambda).is_finite()) {
        sw.find(
            "nonfinite",
            entry,
            input(),
            format!("s_transform = {:e}", t.s_transform),
        );
    }
    let sigma2 = task.noise_variance();
    let rank = task.spectrum().rank();
    let sum = t.bias2 + t.var_data + t.var_noise;
    sw.check(
        close(sum, t.test_error, ID_REL),
        entry,
        input,
        format!("bias2+var = {sum:e} vs E_g = {:e}", t.test_error),
    );
    sw.check(
        t.test_error >= 0.0
            && t.bias2 >= 0.0
            && t.var_data >= 0.0
            && t.var_noise >= 0.0
            && t.train_error >= 0.0,
        entry,
        input,
        format!("negative error term: {t:?}"),
    );
    sw.check(
        close(t.gcv, t.test_error + sigma2, ID_REL),
        entry,
        input,
        format!("gcv {:e} vs E_g+σ² {:e}", t.gcv, t.test_error + sigma2),
    );
    // E_tr = (λ/κ)²(E_g + σ²) underflows for |λ| ≪ κ; check where both sides are normal.
    if t.s_transform.is_finite()
        && (t.s_transform * t.s_transform).is_finite()
        && t.train_error.is_normal()
    {
        let lhs = t.train_error * t.s_transform * t.s_transform;
        sw.check(
            close(lhs, t.test_error + sigma2, 1e-7),
            entry,
            input,
            format!("E_tr S² = {lhs:e} vs E_g+σ² = {:e}", t.test_error + sigma2),
        );
    }
    if t.lambda >= 0.0 {
        sw.check(
            t.kappa >= t.lambda * (1.0 - 1e-12),
            entry,
            input,
            format!("κ = {:e} < λ = {:e}", t.kappa, t.lambda),
        );
        sw.check(
            t.dkappa_dlambda >= 1.0 - 1e-9,
            entry,
            input,
            format!("dκ/dλ = {:e} < 1", t.dkappa_dlambda),
        );
    }
    // λ ≥ 0: 0 ≤ Df₂ ≤ Df₁ ≤ min(P, rank). λ < 0 (analytic continuation below κ₀, κ may
    // be negative, where Df₂ > Df₁ > rank): only γ = Df₂/P ≤ 1 holds on the branch.
    if t.lambda >= 0.0 {
        let cap = t.p.min(rank);
        sw.check(
            t.df2 >= 0.0 && t.df2 <= t.df1 * (1.0 + 1e-12) && t.df1 <= cap * (1.0 + 1e-9),
            entry,
            input,
            format!(
                "0 ≤ Df2 = {:e} ≤ Df1 = {:e} ≤ min(P, rank) = {cap:e} fails",
                t.df2, t.df1
            ),
        );
    } else {
        sw.check(
            t.gamma <= 1.0 + 1e-9,
            entry,
            input,
            format!("γ = {:e} > 1 at λ = {:e} < 0", t.gamma, t.lambda),
        );
    }
    sw.check(
        close(t.gamma, t.df2 / t.p, ID_REL),
        entry,
        input,
        format!("γ = {:e} vs Df2/P = {:e}", t.gamma, t.df2 / t.p),
    );
}

fn rf_fields(t: &RfTheory) -> Vec<(&'static str, f64)> {
    vec![
        ("p", t.p),
        ("lambda", t.lambda),
        ("kappa", t.kappa),
        ("kappa1", t.kappa1),
        ("df1", t.df1),
        ("df2", t.df2),
        ("rho", t.rho),
        ("gamma1", t.gamma1),
        ("gamma", t.gamma),
        ("test_error", t.test_error),
        ("train_error", t.train_error),
        ("bias2", t.bias2),
        ("var_data", t.var_data),
        ("var_features", t.var_features),
        ("var_data_features", t.var_data_features),
        ("var_noise", t.var_noise),
        ("var_noise_data", t.var_noise_data),
        ("var_noise_data_features", t.var_noise_data_features),
        ("feature_averaged_error", t.feature_averaged_error),
        ("data_averaged_error", t.data_averaged_error),
        ("gcv", t.gcv),
        ("solver.kappa", t.solver.kappa),
    ]
}

fn check_rf(
    sw: &mut Sweep,
    entry: &'static str,
    input: &dyn Fn() -> String,
    task: &Task,
    n_cap: f64,
    t: &RfTheory,
) {
    let isotropic = entry != "Task::random_features_anisotropic";
    let mut fields = rf_fields(t);
    if !t.p.is_infinite() {
        // p = ∞ (the width-limited model) is a legitimate input.
    } else {
        fields.retain(|(n, _)| *n != "p" && *n != "gamma" && *n != "gamma1");
    }
    if !sw.finite(entry, input, &fields) {
        return;
    }
    if t.s_transform.is_nan()
        || (t.s_transform.is_infinite() && (t.kappa1 / t.lambda).is_finite() && t.lambda != 0.0)
    {
        sw.find(
            "nonfinite",
            entry,
            input(),
            format!("s_transform = {:e}", t.s_transform),
        );
    }
    let sigma2 = task.noise_variance();
    let rank = task.spectrum().rank();
    let sum = t.bias2 + t.var_data + t.var_features + t.var_data_features + t.var_noise;
    sw.check(
        close(sum, t.test_error, 1e-8),
        entry,
        input,
        format!("decomposition {sum:e} vs E_g {:e}", t.test_error),
    );
    sw.check(
        t.test_error >= 0.0 && t.bias2 >= 0.0 && t.var_features >= 0.0 && t.train_error >= 0.0,
        entry,
        input,
        format!("negative error term E_g = {:e}", t.test_error),
    );
    if t.lambda >= 0.0 {
        // ρ ∈ [0, 1] on the physical branch (λ < 0 below a feature bottleneck is the
        // analytic continuation, where 1/S_F < 0).
        sw.check(
            (0.0..=1.0).contains(&t.rho),
            entry,
            input,
            format!("ρ = {:e} outside [0, 1]", t.rho),
        );
    }
    sw.check(
        close(t.gcv, t.test_error + sigma2, ID_REL),
        entry,
        input,
        format!("gcv {:e}", t.gcv),
    );
    if t.s_transform.is_finite()
        && (t.s_transform * t.s_transform).is_finite()
        && t.train_error.is_normal()
        && t.p.is_finite()
    {
        let lhs = t.train_error * t.s_transform * t.s_transform;
        sw.check(
            close(lhs, t.test_error + sigma2, 1e-7),
            entry,
            input,
            format!(
                "E_tr S_X² = {lhs:e} vs E_g+σ² = {:e}",
                t.test_error + sigma2
            ),
        );
    }
    // κ₁ = λ S_X ≥ λ; κ₂ = κ₁ S_F ≥ κ₁ when 1/S_F ≤ 1 (Wishart features, `isotropic`).
    if t.lambda >= 0.0 {
        sw.check(
            (!isotropic || t.kappa >= t.kappa1 * (1.0 - 1e-9))
                && t.kappa1 >= t.lambda * (1.0 - 1e-9),
            entry,
            input,
            format!(
                "κ₂ = {:e} ≥ κ₁ = {:e} ≥ λ = {:e} fails",
                t.kappa, t.kappa1, t.lambda
            ),
        );
    }
    if t.lambda >= 0.0 {
        let cap = t.p.min(rank).min(n_cap);
        sw.check(
            t.df2 >= 0.0 && t.df2 <= t.df1 * (1.0 + 1e-12) && t.df1 <= cap * (1.0 + 1e-9),
            entry,
            input,
            format!("0 ≤ Df2 = {:e} ≤ Df1 = {:e} ≤ {cap:e} fails", t.df2, t.df1),
        );
    }
}

/// Continuity `λ → 0⁺`: `E(λ₁)` at `λ₁ = 1e-13·scale` against `E(0)`, where `scale` is
/// the ridge at which κ has moved by a relative O(1) from its λ = 0 value. Expansion:
/// `|E(λ) − E(0)| ≈ C λ^a` with `a = 1` (analytic) or `a = 1/2` (a capacity equal to the
/// rank, where `g′(κ₀) = 0` and κ ∝ √λ); no other exponent occurs on the branch. `a` is
/// measured from `E` at `h₁ = 1e-6·scale` and `h₂ = 1e-9·scale` and clamped to
/// `[1/2, 1]`; the allowance is twice the extrapolation `|E(h₂) − E(0)|·(λ₁/h₂)^a` plus
/// `1e-6·|E(0)|` (the solver's resolvability limit, `RESOLVABLE = 1e-6` relative).
fn continuity(
    sw: &mut Sweep,
    entry: &'static str,
    input: &dyn Fn() -> String,
    scale: f64,
    mut f: impl FnMut(f64) -> Result<f64>,
) {
    if !(scale.is_finite() && scale > 0.0) {
        return;
    }
    let Some(e0) = sw.call(entry, input, || f(0.0)) else {
        return;
    };
    let l1 = 1e-13 * scale;
    let (h1, h2) = (1e-6 * scale, 1e-9 * scale);
    let Some(eh1) = sw.call(entry, input, || f(h1)) else {
        return;
    };
    let Some(eh) = sw.call(entry, input, || f(h2)) else {
        return;
    };
    let Some(e1) = sw.call(entry, input, || f(l1)) else {
        return;
    };
    if !(e0.is_finite() && e1.is_finite() && eh.is_finite() && eh1.is_finite()) {
        return; // reported by the field checks
    }
    let (d1, d2) = ((eh1 - e0).abs(), (eh - e0).abs());
    let a = if d2 > 0.0 && d1 > 0.0 {
        ((d1 / d2).ln() / 1e3f64.ln()).clamp(0.5, 1.0)
    } else {
        1.0
    };
    let h = h2;
    let allowance = 2.0 * d2 * (l1 / h2).powf(a) + 1e-6 * e0.abs() + 1e-300;
    if (e1 - e0).abs() > allowance {
        sw.find(
            "continuity",
            entry,
            format!("{} at λ = {l1:.3e}", input()),
            format!("E(λ) = {e1:.6e} vs E(0) = {e0:.6e} (allowance {allowance:.2e}, exponent {a:.2}, E(h={h:.1e}) = {eh:.6e})"),
        );
    }
}

// ---------------------------------------------------------------------------------------
// Generators.

/// A random adversarial spectrum: eigenvalues (with multiplicity 1), a description.
fn random_eigenvalues(rng: &mut ChaCha8Rng) -> (Vec<f64>, String) {
    let kind = rng.random_range(0..10);
    let n = match rng.random_range(0..4) {
        0 => 1,
        1 => rng.random_range(2..6),
        2 => rng.random_range(6..40),
        _ => rng.random_range(40..90),
    };
    let scale = 10f64.powf(rng.random_range(-12.0..12.0));
    let v: Vec<f64> = match kind {
        // Log-uniform over `dec` decades (up to 300).
        0 | 1 => {
            let dec = [1.0, 5.0, 30.0, 100.0, 300.0][rng.random_range(0..5)];
            (0..n)
                .map(|_| 10f64.powf(rng.random_range(-dec / 2.0..dec / 2.0)))
                .collect()
        }
        // Repeated values.
        2 => vec![scale; n],
        // Power law.
        3 => (1..=n)
            .map(|k| scale * (k as f64).powf(-rng.random_range(0.1..4.0)))
            .collect(),
        // Zeros mixed in.
        4 => (0..n)
            .map(|i| {
                if i % 3 == 0 {
                    0.0
                } else {
                    scale * rng.random_range(0.1..1.0)
                }
            })
            .collect(),
        // Subnormals / extremes mixed with ordinary values.
        5 => (0..n)
            .map(|i| match i % 4 {
                0 => f64::MIN_POSITIVE * rng.random_range(1e-10..1.0),
                1 => 1e-300,
                2 => 1e300,
                _ => 1.0,
            })
            .collect(),
        // Two clusters (a gap).
        6 => (0..n)
            .map(|i| if i % 2 == 0 { scale } else { scale * 1e-8 })
            .collect(),
        // Near f64::MAX.
        7 => (0..n)
            .map(|_| f64::MAX * rng.random_range(0.01..1.0))
            .collect(),
        // Nearly repeated.
        8 => (0..n).map(|i| scale * (1.0 + i as f64 * 1e-15)).collect(),
        // 300 decades, evenly.
        _ => (0..n)
            .map(|i| 10f64.powf(-150.0 + 300.0 * i as f64 / n.max(2) as f64))
            .collect(),
    };
    (v, format!("kind {kind}, n {n}"))
}

/// A task from a random spectrum and target.
fn random_task(rng: &mut ChaCha8Rng) -> Option<(Task, String)> {
    let (eig, desc) = random_eigenvalues(rng);
    let noise = [0.0, 1e-300, 0.1, 1.0, 1e10][rng.random_range(0..5)];
    let target = rng.random_range(0..4);
    let w: Vec<f64> = eig
        .iter()
        .enumerate()
        .map(|(i, _)| match target {
            0 => 1.0,
            1 => {
                if i == 0 {
                    1.0
                } else {
                    0.0
                }
            }
            2 => 0.0,
            _ => rng.random_range(-1.0..1.0),
        })
        .collect();
    let task = Task::from_weights(&eig, &w, noise).ok()?;
    Some((
        task,
        format!(
            "task[{desc}, target {target}, σ² {noise:e}, eig {:?}]",
            &eig[..eig.len().min(6)]
        ),
    ))
}

/// Sample/feature counts at and around the thresholds of a spectrum of rank `r`.
fn counts_around(rng: &mut ChaCha8Rng, r: f64) -> f64 {
    let c = match rng.random_range(0..14) {
        0 => r,
        1 => r + 1.0,
        2 => (r - 1.0).max(0.5),
        3 => r * (1.0 + 1e-12),
        4 => r * (1.0 - 1e-12),
        5 => r * 2.0,
        6 => (r / 2.0).max(0.5),
        7 => 1.0,
        8 => 0.5,
        9 => 1e-300,
        10 => 1e300,
        11 => r * rng.random_range(0.1..10.0),
        12 => r * (1.0 + 1e-6),
        _ => (r * (1.0 - 1e-6)).max(1e-3),
    };
    if c.is_finite() && c > 0.0 { c } else { 1.0 }
}

/// Ridges: specials plus values relative to a scale.
fn ridge_value(rng: &mut ChaCha8Rng, scale: f64) -> f64 {
    match rng.random_range(0..16) {
        0 => 0.0,
        1 => -0.0,
        2 => f64::NAN,
        3 => f64::INFINITY,
        4 => f64::NEG_INFINITY,
        5 => 5e-324,
        6 => 1e-300,
        7 => 1e300,
        8 => f64::MAX,
        9 => -1e-100,
        10 => -1e-30 * scale,
        11 => 1e-13 * scale,
        12 => 1e-3 * scale,
        13 => scale,
        14 => -scale * rng.random_range(0.0..1.0),
        _ => scale * 10f64.powf(rng.random_range(-20.0..5.0)),
    }
}

fn mean_eig(task: &Task) -> f64 {
    let s = task.spectrum();
    let m = s.trace() / s.rank();
    if m.is_finite() && m > 0.0 { m } else { 1.0 }
}

// ---------------------------------------------------------------------------------------
// Probes.

fn probe_constructors(sw: &mut Sweep, rng: &mut ChaCha8Rng) {
    let specials = [
        f64::NAN,
        f64::INFINITY,
        f64::NEG_INFINITY,
        0.0,
        -0.0,
        5e-324,
        1e-300,
        1e300,
        f64::MAX,
        -1.0,
        1.0,
        2.5,
        1e-10,
        1.0 + 1e-12,
    ];
    for &a in &specials {
        for &b in &specials {
            let i = || format!("({a:e}, {b:e})");
            if let Some(t) = sw.call("Task::isotropic", &i, || Task::isotropic(a, b, 0.1)) {
                let s = t.spectrum();
                sw.finite(
                    "Task::isotropic",
                    &i,
                    &[("trace", s.trace()), ("signal", t.signal_variance())],
                );
            }
            sw.call("Task::isotropic(noise)", &i, || Task::isotropic(10.0, a, b));
            if let Some(t) = sw.call("Task::power_law(None)", &i, || {
                Task::power_law(a, b, None, 0.0)
            }) {
                sw.finite(
                    "Task::power_law(None)",
                    &i,
                    &[
                        ("trace", t.spectrum().trace()),
                        ("signal", t.signal_variance()),
                    ],
                );
            }
            for d in [Some(0), Some(1), Some(7), Some(100_001), Some(1 << 20)] {
                let i = || format!("({a:e}, {b:e}, {d:?})");
                if let Some(t) = sw.call("Task::power_law(D)", &i, || Task::power_law(a, b, d, 0.0))
                {
                    sw.finite(
                        "Task::power_law(D)",
                        &i,
                        &[
                            ("trace", t.spectrum().trace()),
                            ("signal", t.signal_variance()),
                        ],
                    );
                }
            }
            sw.call("Spectrum::with_multiplicities", &i, || {
                Spectrum::with_multiplicities(&[a, 1.0], &[b, 2.0])
            });
            sw.call("Wishart::new", &i, || Wishart::new(a));
            sw.call("Scalar::new", &i, || Scalar::new(a));
            sw.call("to_kernel_convention", &i, || {
                kernel::to_kernel_convention(a, b, 1.0)
            });
            sw.call("from_kernel_convention", &i, || {
                kernel::from_kernel_convention(a, b, 1.0)
            });
        }
    }
    // Vector constructors with special entries.
    for _ in 0..300 {
        let n = rng.random_range(0..6);
        let v: Vec<f64> = (0..n)
            .map(|_| specials[rng.random_range(0..specials.len())])
            .collect();
        let w: Vec<f64> = (0..rng.random_range(0..6))
            .map(|_| specials[rng.random_range(0..specials.len())])
            .collect();
        let i = || format!("(eig {v:?}, w {w:?})");
        if let Some(t) = sw.call("Task::from_weights", &i, || Task::from_weights(&v, &w, 0.1)) {
            sw.finite(
                "Task::from_weights",
                &i,
                &[
                    ("trace", t.spectrum().trace()),
                    ("signal", t.signal_variance()),
                    ("target_norm2", t.target_norm2()),
                ],
            );
        }
        if let Some(s) = sw.call("Spectrum::from_eigenvalues", &i, || {
            Spectrum::from_eigenvalues(&v)
        }) {
            sw.finite(
                "Spectrum::from_eigenvalues",
                &i,
                &[("trace", s.trace()), ("rank", s.rank())],
            );
            sw.call("Task::with_target_power", &i, || {
                Task::with_target_power(s.clone(), &w, 0.0)
            });
            sw.call("SpectralFactor::new", &i, || SpectralFactor::new(s.clone()));
        }
        sw.call("GeneralizedWishart::new", &i, || {
            detridge::features::GeneralizedWishart::new(&v)
        });
        let m = DMatrix::from_fn(n, n, |r, c| v[r.min(c)]);
        let wv = DVector::from_fn(n, |r, _| v[r]);
        sw.call("Task::from_covariance", &i, || {
            Task::from_covariance(&m, &wv, 0.0)
        });
    }
}

fn probe_ridge(sw: &mut Sweep, rng: &mut ChaCha8Rng, cases: usize) {
    for _ in 0..cases {
        let Some((task, desc)) = random_task(rng) else {
            continue;
        };
        let rank = task.spectrum().rank();
        let scale = mean_eig(&task);
        for _ in 0..4 {
            let p = counts_around(rng, rank);
            let lambda = ridge_value(rng, scale);
            let i = || format!("{desc}.ridge(P = {p:e}, λ = {lambda:e})");
            if let Some(t) = sw.call("Task::ridge", &i, || task.ridge(p, lambda)) {
                check_ridge(sw, "Task::ridge", &i, &task, &t);
            }
        }
        // λ at and around λ_min.
        let p = counts_around(rng, rank);
        let i = || format!("{desc}.min_ridge(P = {p:e})");
        if let Some(lmin) = sw.call("Task::min_ridge", &i, || task.min_ridge(p)) {
            sw.finite("Task::min_ridge", &i, &[("lambda_min", lmin)]);
            sw.check(
                lmin <= 0.0,
                "Task::min_ridge",
                &i,
                format!("λ_min = {lmin:e} > 0"),
            );
            for f in [1.0, 1.0 - 1e-12, 1.0 - 1e-6, 0.5, 1.0 + 1e-12] {
                let l = lmin * f;
                let i = || format!("{desc}.ridge(P = {p:e}, λ = {l:e} = λ_min·{f})");
                if let Some(t) = sw.call("Task::ridge(λ≈λ_min)", &i, || task.ridge(p, l)) {
                    check_ridge(sw, "Task::ridge(λ≈λ_min)", &i, &task, &t);
                }
            }
        }
        // Continuity λ → 0⁺.
        let p = counts_around(rng, rank);
        let i = || format!("{desc}.ridge(P = {p:e})");
        // The ridge scale of the λ → 0⁺ expansion: κ moves from κ₀ by λ dκ/dλ, and E_g
        // is linear while that shift is small against max(κ₀, s_min).
        let smin = task.spectrum().min_positive_eigenvalue();
        let kscale = task
            .ridge(p, 0.0)
            .map(|t| t.kappa.max(smin) / t.dkappa_dlambda);
        if let Ok(ks) = kscale {
            continuity(sw, "Task::ridge continuity", &i, ks, |l| {
                task.ridge(p, l).map(|t| t.test_error)
            });
        }
        // Curves and out-of-distribution.
        let ps: Vec<f64> = (0..4).map(|_| counts_around(rng, rank)).collect();
        let lambda = ridge_value(rng, scale);
        let i = || format!("{desc}.ridge_curve_p({ps:?}, {lambda:e})");
        if let Some(c) = sw.call("Task::ridge_curve_p", &i, || {
            Ok(task.ridge_curve_p(&ps, lambda))
        }) {
            for (_, t) in c.successes() {
                check_ridge(sw, "Task::ridge_curve_p", &i, &task, t);
            }
        }
        let ls: Vec<f64> = (0..4).map(|_| ridge_value(rng, scale)).collect();
        let i = || format!("{desc}.ridge_curve_lambda({p:e}, {ls:?})");
        if let Some(c) = sw.call("Task::ridge_curve_lambda", &i, || {
            Ok(task.ridge_curve_lambda(p, &ls))
        }) {
            for (_, t) in c.successes() {
                check_ridge(sw, "Task::ridge_curve_lambda", &i, &task, t);
            }
        }
        // Random-feature and kernel curves (one result per point).
        let n = counts_around(rng, rank);
        let i = || format!("{desc}.random_features_curve_lambda({p:e}, {n:e}, {ls:?})");
        if let Some(c) = sw.call("Task::random_features_curve_lambda", &i, || {
            Ok(task.random_features_curve_lambda(p, n, &ls))
        }) {
            for (_, t) in c.successes() {
                check_rf(sw, "Task::random_features_curve_lambda", &i, &task, n, t);
            }
        }
        let i = || format!("{desc}.random_features_curve_p({ps:?}, {n:e}, {lambda:e})");
        if let Some(c) = sw.call("Task::random_features_curve_p", &i, || {
            Ok(task.random_features_curve_p(&ps, n, lambda))
        }) {
            for (_, t) in c.successes() {
                check_rf(sw, "Task::random_features_curve_p", &i, &task, n, t);
            }
        }
        let i = || format!("{desc}.random_features_curve_n({p:e}, {ps:?}, {lambda:e})");
        if let Some(c) = sw.call("Task::random_features_curve_n", &i, || {
            Ok(task.random_features_curve_n(p, &ps, lambda))
        }) {
            for (_, t) in c.successes() {
                check_rf(
                    sw,
                    "Task::random_features_curve_n",
                    &i,
                    &task,
                    t.df1.max(rank),
                    t,
                );
            }
        }
        let i = || format!("{desc}.kernel_ridge_curve_lambda({p:e}, {ls:?})");
        if let Some(c) = sw.call("Task::kernel_ridge_curve_lambda", &i, || {
            Ok(task.kernel_ridge_curve_lambda(p, &ls))
        }) {
            for (_, k) in c.successes() {
                check_ridge(sw, "Task::kernel_ridge_curve_lambda", &i, &task, &k.ridge);
            }
        }
        if task.spectrum().dimension() <= 100.0 {
            let ps = rng.random_range(0..4usize);
            let i = || format!("{desc}.sample({ps})");
            let seed: u64 = rng.random();
            if let Some((x, y)) = sw.call("Task::sample", &i, || {
                task.sample(ps, &mut ChaCha8Rng::seed_from_u64(seed))
            }) {
                let ok = x.iter().chain(y.iter()).all(|v| v.is_finite());
                sw.check(ok, "Task::sample", &i, "non-finite sample".into());
            }
        }
        let n = task.spectrum().stored_len();
        let test: Vec<f64> = (0..n)
            .map(|_| [0.0, 1.0, 1e300, 5e-324][rng.random_range(0..4)])
            .collect();
        let i = || format!("{desc}.ridge_ood({p:e}, {lambda:e})");
        if let Some(o) = sw.call("Task::ridge_ood", &i, || task.ridge_ood(p, lambda, &test)) {
            sw.finite(
                "Task::ridge_ood",
                &i,
                &[("test_error", o.test_error), ("gamma_test", o.gamma_test)],
            );
        }
        // Kernel wrapper.
        let i = || format!("{desc}.kernel_ridge({p:e}, {lambda:e})");
        if let Some(k) = sw.call("kernel::kernel_ridge", &i, || {
            kernel::kernel_ridge(&task, p, lambda)
        }) {
            check_ridge(sw, "kernel::kernel_ridge", &i, &task, &k.ridge);
            sw.finite(
                "kernel::kernel_ridge",
                &i,
                &[
                    ("gcv", k.gcv),
                    ("lambda_c", k.convention.lambda),
                    ("kappa_c", k.convention.kappa),
                ],
            );
        }
    }
}

fn probe_optimal(sw: &mut Sweep, rng: &mut ChaCha8Rng, cases: usize) {
    for _ in 0..cases {
        let Some((task, desc)) = random_task(rng) else {
            continue;
        };
        let rank = task.spectrum().rank();
        let p = counts_around(rng, rank);
        let i = || format!("{desc}.optimal_ridge(P = {p:e})");
        if let Some(o) = sw.call("Task::optimal_ridge", &i, || task.optimal_ridge(p)) {
            let mut f = ridge_fields(&o.theory);
            f.push(("lambda*", o.lambda));
            if sw.finite("Task::optimal_ridge", &i, &f) {
                check_ridge(sw, "Task::optimal_ridge", &i, &task, &o.theory);
                // The optimum is no worse than a few other admissible ridges.
                for l in [0.0, o.lambda * 2.0, o.lambda * 0.5, mean_eig(&task), -1e-60] {
                    if let Ok(t) = task.ridge(p, l) {
                        sw.check(
                            o.theory.test_error <= t.test_error * (1.0 + 1e-6) + 1e-300,
                            "Task::optimal_ridge",
                            &i,
                            format!(
                                "E_g(λ* = {:.3e}) = {:.6e} > E_g({l:.3e}) = {:.6e}",
                                o.lambda, o.theory.test_error, t.test_error
                            ),
                        );
                    }
                }
            }
        }
    }
    // Power-law tasks (issue #15 defect 4).
    for _ in 0..cases / 4 {
        let alpha = rng.random_range(1.05..5.0);
        let r = rng.random_range(0.05..3.0);
        let noise = [0.0, 0.1][rng.random_range(0..2)];
        let Ok(task) = Task::power_law(alpha, r, None, noise) else {
            continue;
        };
        let p = 10f64.powf(rng.random_range(0.0..16.0));
        let i = || format!("power_law({alpha}, {r}, None, {noise}).optimal_ridge({p:e})");
        if let Some(o) = sw.call("Task::optimal_ridge(power law)", &i, || {
            task.optimal_ridge(p)
        }) {
            for l in [0.0, -1e-60, o.lambda * 2.0, o.lambda * 0.5] {
                if let Ok(t) = task.ridge(p, l) {
                    sw.check(
                        o.theory.test_error <= t.test_error * (1.0 + 1e-6) + 1e-300,
                        "Task::optimal_ridge(power law)",
                        &i,
                        format!(
                            "E_g(λ* = {:.3e}) = {:.6e} > E_g({l:.3e}) = {:.6e}",
                            o.lambda, o.theory.test_error, t.test_error
                        ),
                    );
                }
            }
        }
    }
}

fn probe_features(sw: &mut Sweep, rng: &mut ChaCha8Rng, cases: usize) {
    for _ in 0..cases {
        let Some((task, desc)) = random_task(rng) else {
            continue;
        };
        let rank = task.spectrum().rank();
        let scale = mean_eig(&task);
        for _ in 0..3 {
            let p = if rng.random_range(0..10) == 0 {
                f64::INFINITY
            } else {
                counts_around(rng, rank)
            };
            let n = if rng.random_bool(0.5) {
                counts_around(rng, rank)
            } else {
                counts_around(rng, p.min(1e6))
            };
            let lambda = ridge_value(rng, scale);
            let i = || format!("{desc}.random_features(P = {p:e}, N = {n:e}, λ = {lambda:e})");
            if let Some(t) = sw.call("Task::random_features", &i, || {
                task.random_features(p, n, lambda)
            }) {
                check_rf(sw, "Task::random_features", &i, &task, n, &t);
            }
            let n2 = counts_around(rng, rank);
            let i = || {
                format!("{desc}.deep_random_features(P = {p:e}, [{n:e}, {n2:e}], λ = {lambda:e})")
            };
            if let Some(t) = sw.call("Task::deep_random_features", &i, || {
                task.deep_random_features(p, &[n, n2], lambda)
            }) {
                check_rf(sw, "Task::deep_random_features", &i, &task, n.min(n2), &t);
            }
            let nv = n.clamp(1.0, 60.0) as usize;
            let var: Vec<f64> = (0..nv)
                .map(|k| [1.0, 0.0, 1e-300, 1e300, 2.0][k % 5])
                .collect();
            let i = || {
                format!("{desc}.anisotropic_random_features(P = {p:e}, {var:?}, λ = {lambda:e})")
            };
            if let Some(t) = sw.call("Task::random_features_anisotropic", &i, || {
                task.anisotropic_random_features(p, &var, lambda)
            }) {
                check_rf(
                    sw,
                    "Task::random_features_anisotropic",
                    &i,
                    &task,
                    nv as f64,
                    &t,
                );
            }
            let s = [0.0, 1e-300, 0.1, 1e10, f64::NAN, -1.0][rng.random_range(0..6)];
            let i = || {
                format!(
                    "{desc}.noisy_random_features(P = {p:e}, N = {n:e}, s = {s:e}, λ = {lambda:e})"
                )
            };
            if let Some(t) = sw.call("Task::random_features_noisy", &i, || {
                task.noisy_random_features(p, n, s, lambda)
            }) {
                sw.finite(
                    "Task::random_features_noisy",
                    &i,
                    &[
                        ("kappa1", t.kappa1),
                        ("kappa", t.kappa),
                        ("df1_features", t.df1_features),
                        ("df2_features", t.df2_features),
                        ("gamma1", t.gamma1),
                        ("test_error", t.test_error),
                        ("train_error", t.train_error),
                        ("data_averaged_error", t.data_averaged_error),
                        ("var_noise", t.var_noise),
                        ("gcv", t.gcv),
                    ],
                );
                sw.check(
                    t.test_error >= 0.0 && t.kappa1 >= t.lambda * (1.0 - 1e-9),
                    "Task::random_features_noisy",
                    &i,
                    format!("E_g = {:e}, κ₁ = {:e}", t.test_error, t.kappa1),
                );
                if s == 0.0
                    && let Ok(r) = task.random_features(p, n, lambda)
                {
                    sw.check(
                        close(t.test_error, r.test_error, 1e-6),
                        "Task::random_features_noisy",
                        &i,
                        format!(
                            "s = 0: {:.6e} vs random_features {:.6e}",
                            t.test_error, r.test_error
                        ),
                    );
                }
            }
        }
        // Structured variants.
        let len = task.spectrum().stored_len();
        let omega: Vec<f64> = (0..len)
            .map(|k| [1.0, 2.0, 1e-300, 1e300, 0.5][k % 5])
            .collect();
        let i = || format!("{desc}.input_structured_diagonal({omega:?})");
        if let Some(t2) = sw.call("Task::input_structured_diagonal", &i, || {
            task.input_structured_diagonal(&omega)
        }) {
            let p = counts_around(rng, rank);
            let n = counts_around(rng, rank);
            let i = || {
                format!("{desc}.input_structured_diagonal(..).random_features({p:e}, {n:e}, 1e-3)")
            };
            if let Some(t) = sw.call("structured random_features", &i, || {
                t2.random_features(p, n, 1e-3 * scale)
            }) {
                check_rf(sw, "structured random_features", &i, &t2, n, &t);
            }
        }
        // Continuity λ → 0⁺ for isotropic, deep and anisotropic random features.
        let p = counts_around(rng, rank);
        let n = counts_around(rng, rank.min(p));
        let i = || format!("{desc}.random_features(P = {p:e}, N = {n:e})");
        if let Ok(t0) = task.random_features(p, n, 0.0) {
            // As for ridge: κ₂ moves by ~λ/((1−γ)(1−γ₁)) (THEORY §4.3); conservative.
            let smin = task.spectrum().min_positive_eigenvalue();
            let ks = t0.kappa.max(smin) * (1.0 - t0.gamma1) * (1.0 - t0.gamma);
            continuity(sw, "Task::random_features continuity", &i, ks, |l| {
                task.random_features(p, n, l).map(|t| t.test_error)
            });
            continuity(sw, "Task::deep_random_features continuity", &i, ks, |l| {
                task.deep_random_features(p, &[n, 3.0 * n], l)
                    .map(|t| t.test_error)
            });
        }
        let nv = n.clamp(1.0, 60.0) as usize;
        let var: Vec<f64> = (0..nv).map(|k| 1.0 + (k % 3) as f64).collect();
        if let Ok(t0) = task.anisotropic_random_features(p, &var, 0.0) {
            let smin = task.spectrum().min_positive_eigenvalue();
            let ks = t0.kappa.max(smin) * (1.0 - t0.gamma1) * (1.0 - t0.gamma);
            continuity(
                sw,
                "Task::random_features_anisotropic continuity",
                &i,
                ks,
                |l| {
                    task.anisotropic_random_features(p, &var, l)
                        .map(|t| t.test_error)
                },
            );
        }
    }
}

fn probe_solver(sw: &mut Sweep, rng: &mut ChaCha8Rng, cases: usize) {
    for _ in 0..cases {
        let (eig, desc) = random_eigenvalues(rng);
        let Ok(s) = Spectrum::from_eigenvalues(&eig) else {
            continue;
        };
        let rank = s.rank();
        let a = counts_around(rng, rank);
        let b = counts_around(rng, rank);
        let (Ok(wa), Ok(wb)) = (Wishart::new(a), Wishart::new(b)) else {
            continue;
        };
        let prod = Product::new().with(wa).with(wb);
        let lambda = ridge_value(rng, s.trace() / rank);
        let params = SolverParams::default();
        let i = || format!("spectrum[{desc}], Wishart({a:e})·Wishart({b:e}), λ = {lambda:e}");
        let apart = sw.call("renormalized_ridge", &i, || {
            renormalized_ridge(&s, &[&wa, &wb], lambda, None, &params)
        });
        let together = sw.call("renormalized_ridge(Product)", &i, || {
            renormalized_ridge(&s, &[&prod], lambda, None, &params)
        });
        for r in [&apart, &together].into_iter().flatten() {
            sw.finite(
                "renormalized_ridge",
                &i,
                &[("kappa", r.kappa), ("residual", r.residual)],
            );
            if lambda >= 0.0 {
                sw.check(
                    r.kappa >= lambda * (1.0 - 1e-12),
                    "renormalized_ridge",
                    &i,
                    format!("κ = {:e} < λ", r.kappa),
                );
            }
        }
        if let (Some(x), Some(y)) = (apart, together) {
            sw.check(
                close(x.kappa, y.kappa, 1e-6),
                "renormalized_ridge(Product)",
                &i,
                format!(
                    "Product κ = {:e} vs factors apart κ = {:e}",
                    y.kappa, x.kappa
                ),
            );
        }
        let i2 = || format!("spectrum[{desc}], Wishart({a:e})·Wishart({b:e})");
        let m1 = sw.call("min_ridge", &i2, || min_ridge(&s, &[&wa, &wb], &params));
        let m2 = sw.call("min_ridge(Product)", &i2, || {
            min_ridge(&s, &[&prod], &params)
        });
        for m in [m1, m2].into_iter().flatten() {
            sw.finite("min_ridge", &i2, &[("lambda_min", m)]);
        }
        // Spectral factor and scalars.
        if let Ok(sf) = SpectralFactor::new(s.clone()) {
            for dof in [0.0, rank * 0.5, rank, rank * 2.0, f64::NAN, -1.0] {
                let i = || format!("SpectralFactor[{desc}].inverse({dof:e})");
                let v = sw.call("SpectralFactor::inverse", &i, || Ok(sf.inverse(dof)));
                if let Some(v) = v
                    && dof.is_finite()
                    && dof >= 0.0
                    && dof <= rank
                {
                    // The trait returns a bare f64: NaN is its documented signal that
                    // λ_A(df) is not resolvable in double precision (spectra spanning
                    // hundreds of decades, or near f64::MAX); the solver turns it into an
                    // error (checked by the renormalized_ridge(SpectralFactor) probe
                    // below). ±∞ or a negative value is a finding.
                    if !v.is_nan() {
                        sw.finite("SpectralFactor::inverse", &i, &[("1/S", v)]);
                        sw.check(
                            v >= 0.0,
                            "SpectralFactor::inverse",
                            &i,
                            format!("1/S = {v:e} < 0"),
                        );
                    }
                }
            }
            let i =
                || format!("spectrum[{desc}], [Wishart({a:e}), SpectralFactor], λ = {lambda:e}");
            if let Some(r) = sw.call("renormalized_ridge(SpectralFactor)", &i, || {
                renormalized_ridge(&s, &[&wa, &sf], lambda, None, &params)
            }) {
                sw.finite(
                    "renormalized_ridge(SpectralFactor)",
                    &i,
                    &[("kappa", r.kappa)],
                );
            }
        }
        // Stieltjes and density.
        for z in [
            Complex64::new(1.0, 1e-3),
            Complex64::new(-1.0, 0.0),
            Complex64::new(1e300, 1e300),
            Complex64::new(1e-300, 1e-300),
            Complex64::new(f64::NAN, 1.0),
            Complex64::new(0.0, 0.0),
            Complex64::new(s.max_eigenvalue(), 1e-12),
        ] {
            let i = || format!("stieltjes(spectrum[{desc}], P = {a:e}, z = {z:e})");
            if let Some(m) = sw.call("stieltjes", &i, || stieltjes(&s, a, z)) {
                sw.finite("stieltjes", &i, &[("re", m.re), ("im", m.im)]);
                if z.im > 0.0 {
                    sw.check(
                        m.im >= 0.0,
                        "stieltjes",
                        &i,
                        format!("Im m = {:e} < 0 for Im z > 0", m.im),
                    );
                }
            }
            let i = || {
                format!(
                    "density(spectrum[{desc}], P = {a:e}, x = {:e}, η = {:e})",
                    z.re, z.im
                )
            };
            if let Some(d) = sw.call("density", &i, || density(&s, a, z.re, z.im)) {
                sw.finite("density", &i, &[("density", d)]);
                sw.check(
                    d >= 0.0 || z.im <= 0.0,
                    "density",
                    &i,
                    format!("density {d:e} < 0"),
                );
            }
        }
    }
}

fn probe_kernel_scaling(sw: &mut Sweep, rng: &mut ChaCha8Rng, cases: usize) {
    for d in [0usize, 1, 2, 3, 10, 1000, 1 << 20] {
        for l in [0usize, 1, 2, 5, 100, 10_000] {
            let i = || format!("sphere_degeneracy({d}, {l})");
            if let Some(v) = sw.call("kernel::sphere_degeneracy", &i, || {
                kernel::sphere_degeneracy(d, l)
            }) {
                sw.finite("kernel::sphere_degeneracy", &i, &[("N", v)]);
                sw.check(
                    v >= 1.0,
                    "kernel::sphere_degeneracy",
                    &i,
                    format!("N = {v:e} < 1"),
                );
            }
        }
    }
    for _ in 0..cases {
        let levels = rng.random_range(0..5);
        let eig: Vec<f64> = (0..levels)
            .map(|k| [1.0, 0.5, 1e-300, 0.0, f64::NAN][(k + rng.random_range(0..2)) % 5])
            .collect();
        let pow: Vec<f64> = (0..levels).map(|k| [0.2, 0.0, 1.0][k % 3]).collect();
        let d = rng.random_range(1..6);
        let i = || format!("sphere_task({d}, {eig:?}, {pow:?})");
        if let Some(t) = sw.call("kernel::sphere_task", &i, || {
            kernel::sphere_task(d, &eig, &pow, 0.01)
        }) {
            let p = counts_around(rng, t.spectrum().rank());
            let l = ridge_value(rng, 1.0);
            let i = || format!("{}.learning_curve([{p:e}, {:e}], {l:e})", i(), 2.0 * p);
            if let Some(c) = sw.call("kernel::learning_curve", &i, || {
                Ok(t.kernel_ridge_curve_p(&[p, 2.0 * p], l))
            }) {
                let c: Vec<_> = c.successes().map(|(_, k)| *k).collect();
                for k in &c {
                    check_ridge(sw, "kernel::learning_curve", &i, &t, &k.ridge);
                }
            }
        }
        let mult: Vec<f64> = (0..levels).map(|k| [1.0, 3.0, 1e300, 0.5][k % 4]).collect();
        let i = || format!("mercer_task({eig:?}, {mult:?}, {pow:?})");
        sw.call("kernel::mercer_task", &i, || {
            kernel::mercer_task(&eig, &mult, &pow, 0.0)
        });
        // Scaling.
        let alpha =
            [1.0 + 1e-12, 1.5, 2.0, 1e3, f64::NAN, 0.5, 1e-11, 1e300][rng.random_range(0..8)];
        let r = [0.1, 0.5, 1.0, 3.0, 0.0, f64::INFINITY][rng.random_range(0..6)];
        let regimes = [
            Regime::ResolutionLimited,
            Regime::NoisePlateau,
            Regime::RidgeLimited,
            Regime::RidgeLimitedVariance,
            Regime::OptimalRidge,
            Regime::OptimalRidgeLambda,
            Regime::RidgeScheduleBias {
                l: rng.random_range(-1.0..3.0),
            },
            Regime::RidgeScheduleVariance {
                l: rng.random_range(-1.0..3.0),
            },
            Regime::VarianceLimited,
            Regime::RfWidthBottleneck,
            Regime::RfDataBottleneck,
            Regime::RfFeatureVarianceWidth,
            Regime::RfFeatureVarianceData,
            Regime::RfFeatureVarianceWindow,
            Regime::RfStructuredWidth {
                beta: rng.random_range(-2.0..2.0),
            },
        ];
        for reg in regimes {
            let i = || format!("exponent({reg:?}, {alpha:e}, {r:e})");
            if let Some(e) = sw.call("scaling::exponent", &i, || scaling::exponent(reg, alpha, r)) {
                sw.finite("scaling::exponent", &i, &[("value", e.value)]);
            }
        }
        let i = || format!("alpha = {alpha:e}");
        for (name, v) in [
            (
                "scaling::c_alpha",
                sw.call("scaling::c_alpha", &i, || scaling::c_alpha(alpha)),
            ),
            (
                "scaling::gamma_limit",
                sw.call("scaling::gamma_limit", &i, || scaling::gamma_limit(alpha)),
            ),
            (
                "scaling::noise_plateau",
                sw.call("scaling::noise_plateau", &i, || {
                    scaling::noise_plateau(alpha, 0.1)
                }),
            ),
        ] {
            if let Some(v) = v {
                sw.finite(name, &i, &[("value", v)]);
            }
        }
        // Analytic power laws with extreme α (issue #15 defect 6).
        let i = || format!("power_law({alpha:e}, {r:e}, None).ridge(1e3, 1e-3)");
        if let Some(t) = sw.call("Task::power_law(None).ridge", &i, || {
            Task::power_law(alpha, r, None, 0.1)?.ridge(1e3, 1e-3)
        }) {
            let task = Task::power_law(alpha, r, None, 0.1).expect("constructed above");
            check_ridge(sw, "Task::power_law(None).ridge", &i, &task, &t);
        }
        // Log-log fits with special values outside and inside the window.
        let n = rng.random_range(0..6);
        let x: Vec<f64> = (0..n)
            .map(|k| {
                [1.0, 10.0, 100.0, 0.0, -1.0, f64::NAN, 1e300, 5e-324]
                    [(k + rng.random_range(0..3)) % 8]
            })
            .collect();
        let y: Vec<f64> = (0..n)
            .map(|k| [1.0, 0.1, 0.0, -1.0, f64::INFINITY, 2.0][(k + rng.random_range(0..2)) % 6])
            .collect();
        let (lo, hi) = (
            [0.0, 1.0, 5.0][rng.random_range(0..3)],
            [f64::INFINITY, 50.0, 1e301][rng.random_range(0..3)],
        );
        let i = || format!("fit_log_log_window({x:?}, {y:?}, {lo:e}, {hi:e})");
        if let Some(f) = sw.call("scaling::fit_log_log_window", &i, || {
            scaling::fit_log_log_window(&x, &y, lo, hi)
        }) {
            sw.finite(
                "scaling::fit_log_log_window",
                &i,
                &[
                    ("slope", f.slope),
                    ("intercept", f.intercept),
                    ("max_residual", f.max_residual),
                ],
            );
        }
        let (a, b, k) = (
            [1e-300, 1.0, 0.0, f64::MAX, f64::NAN][rng.random_range(0..5)],
            [1e300, 10.0, f64::MAX, f64::INFINITY][rng.random_range(0..4)],
            rng.random_range(0..5),
        );
        let i = || format!("log_space({a:e}, {b:e}, {k})");
        if let Some(v) = sw.call("scaling::log_space", &i, || scaling::log_space(a, b, k)) {
            let ok = v.iter().all(|x| x.is_finite() && *x > 0.0);
            sw.check(ok, "scaling::log_space", &i, format!("{v:?}"));
        }
    }
}

fn random_matrix(rng: &mut ChaCha8Rng, p: usize, d: usize) -> (DMatrix<f64>, String) {
    let kind = rng.random_range(0..8);
    let scale = [1.0, 1e-300, 1e300, 1e-160, 1e160, 5e-324, 1.0, 1.0][kind];
    let mut x = DMatrix::from_fn(p, d, |_, _| scale * rng.random_range(-1.0..1.0));
    match kind {
        6 => {
            // Degenerate: a zero column and a repeated row.
            if d > 0 {
                x.column_mut(0).fill(0.0);
            }
            if p > 1 {
                let r0 = x.row(0).clone_owned();
                x.row_mut(p - 1).copy_from(&r0);
            }
        }
        7 => {
            // Rank one.
            let u = DVector::from_fn(p, |_, _| rng.random_range(-1.0..1.0));
            let v = DVector::from_fn(d, |_, _| rng.random_range(-1.0..1.0));
            x = &u * v.transpose();
        }
        _ => {}
    }
    (x, format!("X {p}×{d} kind {kind}"))
}

fn probe_estimate(sw: &mut Sweep, rng: &mut ChaCha8Rng, cases: usize) {
    for _ in 0..cases {
        let p = rng.random_range(1..7);
        let d = rng.random_range(1..7);
        let (x, desc) = random_matrix(rng, p, d);
        let yscale = [1.0, 1e-300, 1e300, 0.0][rng.random_range(0..4)];
        let y = DVector::from_fn(p, |_, _| yscale * rng.random_range(-1.0..1.0));
        let i = || format!("RidgePath::new({desc}, y·{yscale:e})");
        if let Some(path) = sw.call("RidgePath::new", &i, || RidgePath::new(&x, &y)) {
            for _ in 0..3 {
                let l = ridge_value(rng, 1.0).abs();
                let l = if l.is_nan() { 1.0 } else { l };
                let i = || format!("RidgePath[{desc}, y·{yscale:e}] at λ = {l:e}");
                let vals = [
                    (
                        "train_error",
                        sw.call("RidgePath", &i, || path.train_error(l)),
                    ),
                    ("df", sw.call("RidgePath", &i, || path.df(l))),
                    ("gcv", sw.call("RidgePath", &i, || path.gcv(l))),
                    ("loocv", sw.call("RidgePath", &i, || path.loocv(l))),
                    ("kappa_hat", sw.call("RidgePath", &i, || path.kappa_hat(l))),
                    (
                        "one_minus_df_over_p",
                        sw.call("RidgePath", &i, || path.one_minus_df_over_p(l)),
                    ),
                ];
                for (n, v) in vals {
                    if let Some(v) = v {
                        sw.finite("RidgePath", &i, &[(n, v)]);
                    }
                }
                if let Ok(df) = path.df(l) {
                    sw.check(
                        df >= 0.0 && df <= p.min(d) as f64 * (1.0 + 1e-12),
                        "RidgePath",
                        &i,
                        format!("df = {df:e}"),
                    );
                }
                if let Some(w) = sw.call("RidgePath::weights", &i, || path.weights(l)) {
                    let bad = w.iter().any(|v| !v.is_finite());
                    sw.check(!bad, "RidgePath::weights", &i, "non-finite weight".into());
                }
            }
            let i = || format!("RidgePath[{desc}].select_lambda");
            for c in [
                detridge::estimate::Criterion::Gcv,
                detridge::estimate::Criterion::Loocv,
            ] {
                if let Some(ch) = sw.call("RidgePath::select_lambda", &i, || {
                    path.select_lambda(c, &Default::default())
                }) {
                    sw.finite(
                        "RidgePath::select_lambda",
                        &i,
                        &[("lambda", ch.lambda), ("value", ch.value)],
                    );
                }
            }
        }
        // Kernel path on XXᵀ and on matrices with special entries.
        let k = &x * x.transpose();
        let i = || format!("KernelPath::new(XXᵀ of {desc})");
        if let Some(path) = sw.call("KernelPath::new", &i, || KernelPath::new(&k, &y)) {
            for l in [0.0, 1e-300, 1.0, 1e300] {
                let i = || format!("KernelPath[{desc}] at λ = {l:e}");
                for (n, v) in [
                    ("gcv", sw.call("KernelPath", &i, || path.gcv(l))),
                    ("kare", sw.call("KernelPath", &i, || path.kare(l))),
                    ("loocv", sw.call("KernelPath", &i, || path.loocv(l))),
                    ("df", sw.call("KernelPath", &i, || path.df(l))),
                ] {
                    if let Some(v) = v {
                        sw.finite("KernelPath", &i, &[(n, v)]);
                    }
                }
            }
        }
        let mut kn = k.clone();
        kn[(0, 0)] = [f64::NAN, f64::INFINITY, -1.0, 1e308][rng.random_range(0..4)];
        let i = || format!("KernelPath::new(K with K[0,0] = {:e})", kn[(0, 0)]);
        if let Some(path) = sw.call("KernelPath::new(special)", &i, || KernelPath::new(&kn, &y)) {
            let ok = path.sample_eigenvalues().iter().all(|v| v.is_finite());
            sw.check(
                ok && path.rank() > 0 || kn[(0, 0)].is_finite(),
                "KernelPath::new(special)",
                &i,
                format!("rank {} eig {:?}", path.rank(), path.sample_eigenvalues()),
            );
        }
    }
}

fn probe_montecarlo(sw: &mut Sweep, rng: &mut ChaCha8Rng, cases: usize) {
    for _ in 0..cases {
        let d = rng.random_range(1..5);
        let eig: Vec<f64> = (0..d)
            .map(|k| [1.0, 1e-300, 1e300, 0.5, 0.0][(k + rng.random_range(0..5)) % 5])
            .collect();
        let w: Vec<f64> = (0..d).map(|_| rng.random_range(-1.0..1.0)).collect();
        let Ok(task) = Task::from_weights(&eig, &w, [0.0, 0.1][rng.random_range(0..2)]) else {
            continue;
        };
        let p = rng.random_range(0..6);
        let lambdas = [0.0, 1e-300, 1e-13, 1.0, f64::NAN][..rng.random_range(0..6)].to_vec();
        let draws = rng.random_range(0..5);
        let seed = rng.random();
        let i = || format!("montecarlo::ridge(eig {eig:?}, P = {p}, λ {lambdas:?}, draws {draws})");
        if let Some(v) = sw.call("montecarlo::ridge", &i, || {
            montecarlo::ridge(&task, p, &lambdas, draws, seed)
        }) {
            for e in &v {
                sw.finite(
                    "montecarlo::ridge",
                    &i,
                    &[
                        ("test_error", e.test_error.mean),
                        ("train_error", e.train_error.mean),
                        ("bias2", e.bias2.mean),
                        ("var_data", e.var_data.mean),
                        ("var_noise", e.var_noise.mean),
                        ("df_hat", e.df_hat.mean),
                        ("test_error.se", e.test_error.std_err),
                    ],
                );
            }
        }
        let n = rng.random_range(0..5);
        let models = [
            FeatureModel::Isotropic { n },
            FeatureModel::Deep {
                widths: vec![n, n + 1],
            },
            FeatureModel::ColumnAnisotropic {
                variances: vec![1.0; n],
            },
            FeatureModel::AdditiveNoise { n, s: 0.1 },
        ];
        let model = &models[rng.random_range(0..models.len())];
        let i = || {
            format!(
                "montecarlo::features::random_features(eig {eig:?}, P = {p}, {model:?}, λ {lambdas:?}, draws {draws})"
            )
        };
        if let Some(v) = sw.call("montecarlo::features::random_features", &i, || {
            montecarlo::features::random_features(&task, p, model, &lambdas, draws, 3, seed)
        }) {
            for e in &v {
                sw.finite(
                    "montecarlo::features::random_features",
                    &i,
                    &[
                        ("test_error", e.test_error.mean),
                        ("train_error", e.train_error.mean),
                        ("bias2", e.bias2.mean),
                    ],
                );
            }
        }
    }
}

/// Identities of a gradient-flow / descent result (THEORY §13): finite fields, the parts
/// add up, every part is non-negative, and `t = 0` is the start `w = 0`.
fn check_flow(
    sw: &mut Sweep,
    entry: &'static str,
    input: &dyn Fn() -> String,
    task: &Task,
    g: &detridge::dynamics::GradientFlowTheory,
) {
    let fields = [
        ("test_error", g.test_error),
        ("train_error", g.train_error),
        ("test_signal", g.test_signal),
        ("test_noise", g.test_noise),
        ("train_signal", g.train_signal),
        ("train_noise", g.train_noise),
        ("quadrature_error", g.quadrature_error),
    ];
    if !sw.finite(entry, input, &fields) {
        return;
    }
    for (name, v) in fields {
        sw.check(v >= 0.0, entry, input, format!("{name} = {v:e} < 0"));
    }
    sw.check(
        close(g.test_error, g.test_signal + g.test_noise, ID_REL),
        entry,
        input,
        format!(
            "test {:e} ≠ signal {:e} + noise {:e}",
            g.test_error, g.test_signal, g.test_noise
        ),
    );
    sw.check(
        close(g.train_error, g.train_signal + g.train_noise, ID_REL),
        entry,
        input,
        format!(
            "train {:e} ≠ signal {:e} + noise {:e}",
            g.train_error, g.train_signal, g.train_noise
        ),
    );
    if g.time == 0.0 {
        let sv = task.signal_variance();
        sw.check(
            close(g.test_error, sv, ID_REL),
            entry,
            input,
            format!("t = 0: E_g {:e} ≠ w̄ᵀΣw̄ {sv:e}", g.test_error),
        );
    }
}

/// Gradient flow / descent (linear ridge and random features) and one-pass SGD: random
/// tasks, sizes around the thresholds, special ridges, times, steps and step sizes. On a
/// curve the training error must not increase with time (`h_t` decreases in `t`).
fn probe_dynamics(sw: &mut Sweep, rng: &mut ChaCha8Rng, cases: usize) {
    let times = [
        0.0,
        1e-300,
        1e-8,
        0.1,
        1.0,
        10.0,
        1e3,
        1e7,
        1e300,
        f64::INFINITY,
        f64::NAN,
        -1.0,
    ];
    for _ in 0..cases {
        let Some((task, desc)) = random_task(rng) else {
            continue;
        };
        let rank = task.spectrum().rank();
        let scale = mean_eig(&task);
        let p = counts_around(rng, rank);
        let n = if rng.random_bool(0.5) {
            f64::INFINITY
        } else {
            counts_around(rng, rank)
        };
        let lambda = ridge_value(rng, scale);
        let (a, b) = (
            times[rng.random_range(0..times.len())],
            times[rng.random_range(0..times.len())],
        );
        let ts = [a.min(b), a.max(b)];
        let i =
            || format!("{desc}.gradient_flow_curve(P = {p:e}, N = {n:e}, λ = {lambda:e}, {ts:?})");
        let entry = "Task::random_features_gradient_flow_curve";
        if let Some(c) = sw.call(entry, &i, || {
            task.random_features_gradient_flow_curve(p, n, lambda, &ts)
        }) {
            for g in &c {
                check_flow(sw, entry, &i, &task, g);
            }
            let slack = c[0].quadrature_error + c[1].quadrature_error;
            if ts[0] < ts[1] {
                sw.check(
                    c[1].train_error <= c[0].train_error * (1.0 + ID_REL) + slack,
                    entry,
                    &i,
                    format!(
                        "E_tr rose from {:e} to {:e}",
                        c[0].train_error, c[1].train_error
                    ),
                );
            }
        }
        // Gradient descent near and beyond its stability bound.
        let factor = [0.1, 0.5, 0.99, 1.01, 3.0][rng.random_range(0..5)];
        let eta = match task.random_features_gradient_descent_max_step(p, n, lambda.max(0.0)) {
            Ok(m) if rng.random_bool(0.8) => factor * m,
            _ => ridge_value(rng, 1.0 / scale),
        };
        let steps = [0u64, 1, 10, 1000][rng.random_range(0..4)];
        let i = || {
            format!(
                "{desc}.gradient_descent(P = {p:e}, N = {n:e}, λ = {lambda:e}, η = {eta:e}, k = {steps})"
            )
        };
        let entry = "Task::random_features_gradient_descent";
        if let Some(g) = sw.call(entry, &i, || {
            task.random_features_gradient_descent(p, n, lambda, eta, steps)
        }) {
            check_flow(sw, entry, &i, &task, &g);
        }
        // One-pass SGD.
        let batch = [0usize, 1, 2, 8][rng.random_range(0..4)];
        let sfac = [0.1, 0.5, 0.99, 1.01][rng.random_range(0..4)];
        let s_eta = match task.sgd_max_step(batch.max(1), lambda.max(0.0)) {
            Ok(m) if rng.random_bool(0.8) => sfac * m,
            _ => ridge_value(rng, 1.0 / scale),
        };
        let params = detridge::dynamics::SgdParams {
            batch,
            step_size: s_eta,
            ridge: lambda,
            ..Default::default()
        };
        let ks = [0u64, 1, 100, 10_000];
        let i = || format!("{desc}.sgd(B = {batch}, η = {s_eta:e}, λ = {lambda:e}, {ks:?})");
        if let Some(r) = sw.call("Task::sgd", &i, || task.sgd(&params, &ks)) {
            let fields: Vec<(&str, f64)> = r.iter().map(|x| ("test_error", x.test_error)).collect();
            if sw.finite("Task::sgd", &i, &fields) {
                for x in &r {
                    sw.check(
                        x.test_error >= 0.0,
                        "Task::sgd",
                        &i,
                        format!("E({}) = {:e} < 0", x.steps, x.test_error),
                    );
                }
                sw.check(
                    close(r[0].test_error, task.signal_variance(), ID_REL),
                    "Task::sgd",
                    &i,
                    format!("E(0) = {:e} ≠ w̄ᵀΣw̄", r[0].test_error),
                );
            }
        }
    }
}

/// A band must be finite and ordered (`lower ≤ value ≤ upper`), and non-negative unless
/// the quantity may be negative (the tuned ridge).
fn check_band(
    sw: &mut Sweep,
    entry: &'static str,
    input: &dyn Fn() -> String,
    name: &str,
    b: &detridge::forecast::Band,
) {
    let fields = [("value", b.value), ("lower", b.lower), ("upper", b.upper)];
    if sw.finite(entry, input, &fields) {
        let sign_ok = name == "tuned lambda" || b.lower >= 0.0;
        sw.check(
            sign_ok && b.lower <= b.value && b.value <= b.upper,
            entry,
            input,
            format!(
                "{name}: band [{:e}, {:e}] around {:e}",
                b.lower, b.upper, b.value
            ),
        );
    }
}

/// `Forecast::fit_with` on small, degenerate and badly scaled data sets (the generic
/// matrices of [`random_matrix`], and Gaussian power-law designs with labels from a
/// power-law target, pure noise, one spike or a huge offset), both target estimators,
/// random family lists and resampling settings. On `Ok`: every band and fitted parameter
/// finite and ordered, the tuned forecast no worse than fixed ridges, the task's noise
/// finite and non-negative.
fn probe_forecast(sw: &mut Sweep, rng: &mut ChaCha8Rng, cases: usize) {
    use detridge::forecast::{Forecast, ForecastParams, ModelFamily, TargetFit};
    use rand_distr::StandardNormal;
    let mut fitted = 0;
    for _ in 0..cases {
        let p0 = rng.random_range(3..60);
        let d = rng.random_range(1..50);
        let (x, xdesc, xscale) = if rng.random_bool(0.25) {
            let (x, desc) = random_matrix(rng, p0, d);
            (x, desc, 1.0)
        } else {
            let alpha = rng.random_range(0.3..3.0);
            let sc = [1.0, 1e-8, 1e8][rng.random_range(0..3)];
            let x = DMatrix::from_fn(p0, d, |_, k| {
                sc * (k as f64 + 1.0).powf(-alpha / 2.0) * rng.sample::<f64, _>(StandardNormal)
            });
            (
                x,
                format!("power-law X {p0}×{d} alpha {alpha:.3} scale {sc:e}"),
                sc,
            )
        };
        let ykind = if rng.random_bool(0.6) {
            0
        } else {
            rng.random_range(1..5)
        };
        let noise = [0.0, 0.1, 0.3, 1.0][rng.random_range(0..4)];
        let r = rng.random_range(0.0..2.0);
        // Signal of order 1 whatever the scale of X (labels of order 1e±8 are kind 4's job).
        let w = DVector::from_fn(d, |k, _| (k as f64 + 1.0).powf(-r) / xscale);
        let mut y = &x * &w;
        for v in y.iter_mut() {
            *v += noise * rng.sample::<f64, _>(StandardNormal);
        }
        match ykind {
            1 => y.iter_mut().for_each(|v| *v = rng.sample(StandardNormal)),
            2 => {
                y.fill(0.0);
                y[0] = 1.0;
            }
            3 => y.add_scalar_mut(1e6),
            4 => y *= 1e-150,
            _ => {}
        }
        let families = match rng.random_range(0..4) {
            0 => vec![ModelFamily::PowerLaw],
            1 => vec![ModelFamily::PowerLawFloor],
            2 => vec![ModelFamily::Nonparametric],
            _ => vec![
                ModelFamily::PowerLaw,
                ModelFamily::PowerLawFloor,
                ModelFamily::Nonparametric,
            ],
        };
        let params = ForecastParams {
            resamples: rng.random_range(4..9),
            subsample_fraction: rng.random_range(0.3..0.8),
            seed: rng.random(),
            target: if rng.random_bool(0.7) {
                TargetFit::Projections
            } else {
                TargetFit::RiskCurve
            },
            families,
            ..Default::default()
        };
        let input = || {
            format!(
                "{xdesc}, y kind {ykind} noise {noise} r {r:.3}, target {:?}, families {:?}, \
                 resamples {}, fraction {:.3}",
                params.target, params.families, params.resamples, params.subsample_fraction
            )
        };
        let entry = "Forecast::fit_with";
        if std::env::var_os("DETRIDGE_FORECAST_ERRORS").is_some()
            && let Err(e) = Forecast::fit_with(&x, &y, &params)
        {
            eprintln!("FORECAST ERROR {}: {e}", input());
        }
        let Some(f) = sw.call(entry, &input, || Forecast::fit_with(&x, &y, &params)) else {
            continue;
        };
        fitted += 1;
        let pr = f.parameters().clone();
        let mut bands = vec![
            ("scale", pr.scale),
            ("signal", pr.signal),
            ("noise", pr.noise_variance),
        ];
        bands.extend(pr.alpha.map(|b| ("alpha", b)));
        bands.extend(pr.floor.map(|b| ("floor", b)));
        for (name, b) in &bands {
            check_band(sw, entry, &input, name, b);
        }
        check_band(sw, entry, &input, "r", &pr.r);
        let tnoise = f.task().noise_variance();
        sw.check(
            tnoise.is_finite() && tnoise >= 0.0,
            entry,
            &input,
            format!("task noise {tnoise:e}"),
        );
        for p in [p0 as f64, 4.0 * p0 as f64, 1e6] {
            let opt = sw.call("Forecast::optimal", &input, || f.optimal(p));
            if let Some(o) = &opt {
                check_band(sw, "Forecast::optimal", &input, "tuned E_g", &o.test_error);
                check_band(sw, "Forecast::optimal", &input, "tuned lambda", &o.lambda);
            }
            for lam in [0.0, 1e-3, 1.0] {
                let Some(e) = sw.call("Forecast::test_error", &input, || f.test_error(p, lam))
                else {
                    continue;
                };
                check_band(sw, "Forecast::test_error", &input, "E_g", &e);
                if let Some(o) = &opt {
                    let v = o.test_error.value;
                    sw.check(
                        v <= e.value * (1.0 + 1e-6) + 1e-300,
                        "Forecast::optimal",
                        &input,
                        format!("P = {p}: tuned {v:e} above E_g(λ = {lam}) = {:e}", e.value),
                    );
                }
            }
        }
    }
    // The checks above only bite on fits that succeed. Many inputs have no learnable
    // signal by design (pure-noise or one-spike labels, generic matrices, tiny P₀): an
    // error is the right answer there; at least 40% must fit.
    eprintln!("probe_forecast: {fitted} of {cases} data sets fitted");
    assert!(
        5 * fitted >= 2 * cases,
        "only {fitted} of {cases} forecasts fitted"
    );
}

fn run(scale: usize) -> Sweep {
    let mut sw = Sweep {
        trace: std::env::var_os("DETRIDGE_SWEEP_TRACE").is_some(),
        ..Sweep::default()
    };
    let mut rng = ChaCha8Rng::seed_from_u64(SEED);
    // Panics are findings, caught and reported; keep their default messages off stderr.
    let hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(|_| {}));
    let t = std::time::Instant::now();
    probe_constructors(&mut sw, &mut rng);
    eprintln!(
        "probe_constructors: {:.2} s, {} inputs so far",
        t.elapsed().as_secs_f64(),
        sw.inputs
    );
    let t = std::time::Instant::now();
    probe_ridge(&mut sw, &mut rng, 400 * scale);
    eprintln!(
        "probe_ridge: {:.2} s, {} inputs so far",
        t.elapsed().as_secs_f64(),
        sw.inputs
    );
    let t = std::time::Instant::now();
    probe_optimal(&mut sw, &mut rng, 60 * scale);
    eprintln!(
        "probe_optimal: {:.2} s, {} inputs so far",
        t.elapsed().as_secs_f64(),
        sw.inputs
    );
    let t = std::time::Instant::now();
    probe_features(&mut sw, &mut rng, 250 * scale);
    eprintln!(
        "probe_features: {:.2} s, {} inputs so far",
        t.elapsed().as_secs_f64(),
        sw.inputs
    );
    let t = std::time::Instant::now();
    probe_solver(&mut sw, &mut rng, 120 * scale);
    eprintln!(
        "probe_solver: {:.2} s, {} inputs so far",
        t.elapsed().as_secs_f64(),
        sw.inputs
    );
    let t = std::time::Instant::now();
    probe_kernel_scaling(&mut sw, &mut rng, 120 * scale);
    eprintln!(
        "probe_kernel_scaling: {:.2} s, {} inputs so far",
        t.elapsed().as_secs_f64(),
        sw.inputs
    );
    let t = std::time::Instant::now();
    probe_estimate(&mut sw, &mut rng, 100 * scale);
    eprintln!(
        "probe_estimate: {:.2} s, {} inputs so far",
        t.elapsed().as_secs_f64(),
        sw.inputs
    );
    let t = std::time::Instant::now();
    probe_dynamics(&mut sw, &mut rng, 60 * scale);
    eprintln!(
        "probe_dynamics: {:.2} s, {} inputs so far",
        t.elapsed().as_secs_f64(),
        sw.inputs
    );
    let t = std::time::Instant::now();
    probe_montecarlo(&mut sw, &mut rng, 30 * scale);
    eprintln!(
        "probe_montecarlo: {:.2} s, {} inputs so far",
        t.elapsed().as_secs_f64(),
        sw.inputs
    );
    let t = std::time::Instant::now();
    probe_forecast(&mut sw, &mut rng, 200 * scale);
    eprintln!(
        "probe_forecast: {:.2} s, {} inputs so far",
        t.elapsed().as_secs_f64(),
        sw.inputs
    );
    std::panic::set_hook(hook);
    sw
}

#[test]
fn adversarial_sweep() {
    let t = std::time::Instant::now();
    let sw = run(1);
    let counts = sw.report();
    eprintln!("elapsed {:.1} s", t.elapsed().as_secs_f64());
    assert!(sw.inputs >= 10_000, "only {} inputs", sw.inputs);
    assert!(
        sw.findings.is_empty(),
        "{} findings: {counts:?}",
        sw.findings.len()
    );
}

/// The long version: `cargo test --release --test adversarial -- --ignored`.
#[test]
#[ignore = "long sweep (~10x the default); run with --ignored"]
fn adversarial_sweep_long() {
    let sw = run(10);
    let counts = sw.report();
    assert!(
        sw.findings.is_empty(),
        "{} findings: {counts:?}",
        sw.findings.len()
    );
}

#[allow(dead_code)]
fn _unused(_: &dyn Debug, _: &mut dyn Rng) {}
