//! Compute-optimal allocation for linear random features (THEORY §15).
//!
//! # Model
//! Linear random features (THEORY §4) on a power-law task (THEORY §7.1, typically
//! `D = ∞`), with the ridge tuned at every size: `E*(P, N) = min_{λ ≥ 0} E_g(P, N, λ)`. A
//! compute budget `C = P·N` (one pass of `P` samples through `N` features; the constant
//! `c` of THEORY §15 is absorbed in `C`) is split optimally:
//! `N*(C) = argmin_N E*(C/N, N)`, `P*(C) = C/N*`, `λ*(C)`, `E*(C)`.
//! Both minimisations are bracketed golden-section searches in log scale (the crate's
//! capped [`crate::numeric`] minimiser): `ln λ ∈ [ln 10⁻¹⁴, ln 10]` (compared with the
//! ridgeless value `λ = 0` when it exists), `ln N ∈ [ln 4, ln(C/4)]`.
//!
//! # Derived exponents (balance of the bottlenecks of THEORY §7.2)
//! With `m = min(r, 1)` and `a_N = α min(2r, 1)`, three terms of THEORY §7.2 compete:
//! the width bottleneck `N^{−a_N}`, the data bottleneck `P^{−a_P}` with `a_P = 2αm`
//! noiseless (ridgeless rate) or `a_P = 2αm/(1 + 2αm)` with label noise at tuned ridge
//! (minimax rate), and the feature variance `Var_F ~ P^{1−α}/N` (`P^{1−2αr}/N` for
//! `r < 1/2`), i.e. `P^{1−a_N}/N`. With `P = C^x`, `N = C^{1−x}` the three exponents are
//! linear in `x`:
//!
//! `e_N = −a_N(1 − x)`, `e_P = −a_P x`, `e_F = −1 + (2 − a_N)x`,
//!
//! and the frontier minimises the largest: `E* ∝ C^{−b}`, `b = −min_x max(e_N, e_P, e_F)`,
//! `P* ∝ C^{x*}`, `N* ∝ C^{1−x*}`. Without the feature-variance term this is THEORY §15's
//! two-term balance `N^{a_N} ∝ P^{a_P}`: `x* = a_N/(a_N + a_P)`, `b = a_N a_P/(a_N + a_P)`
//! ([`ComputeExponents::balance_error`]). Regimes:
//!
//! * `r ≤ 1/2` (noiseless): all three terms cross at `x* = 1/2`: `N* ∝ P* ∝ C^{1/2}`,
//!   `E* ∝ C^{−αr}` — the two-term balance holds.
//! * `1/2 < r` (noiseless): the two-term balance would put `N* ≫ P*`, where `Var_F`
//!   dominates; the frontier is set by `e_P = e_F`: `x* = 1/(a_P + 2 − α)`,
//!   `b = a_P/(a_P + 2 − α)` (for `α = 1.5, r = 0.75`: `b = 0.818` instead of `0.9`).
//! * `α = 2`, `r ≥ 1/2`: `e_F ≡ −1`, so `b = 1` on a whole interval of `x` (wherever
//!   `e_N, e_P ≤ −1`): the leading order does not fix the split
//!   ([`ComputeExponents::data_range`]); prefactors do.
//! * `r > 1`: `m = 1` freezes `a_P = 2α`, and the width exponent `a_N = α` no longer
//!   grows with `r` (THEORY §15 "the balance breaks at r > 1").
//! * Label noise: `a_P` drops to the minimax `2αm/(1+2αm)`; compute shifts towards data
//!   (`x* > 1/2`) and `Var_F` is no longer active. With ridgeless fits the noise term
//!   saturates (THEORY §7.2: `Var_Xε → σ²(α − 1)`): there is no frontier (a plateau).
//! * At finite `D` the curves saturate once `P` or `N` reaches `D` (THEORY §7.2).

use crate::error::{Error, Result, finite, positive};
use crate::numeric::golden_section;
use crate::spectrum::Task;

/// One point of the compute-optimal frontier.
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct ComputeOptimum {
    /// Budget `C = P·N`.
    pub compute: f64,
    /// Optimal width `N*`.
    pub n: f64,
    /// Optimal sample size `P* = C/N*`.
    pub p: f64,
    /// Tuned ridge `λ*` at `(P*, N*)`.
    pub lambda: f64,
    /// `E*(C)`.
    pub test_error: f64,
}

/// Exponents of the frontier: `N* ∝ C^width`, `P* ∝ C^data`, `E* ∝ C^{−error}`.
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct ComputeExponents {
    /// `a = 1 − x*` in `N* ∝ C^a` (midpoint of the optimal interval if it is not unique).
    pub width: f64,
    /// `x* = 1 − a` in `P* ∝ C^{1−a}`.
    pub data: f64,
    /// `b` in `E* ∝ C^{−b}` (three-term balance, module docs).
    pub error: f64,
    /// The interval of data exponents `x` attaining `b` (a single point when unique).
    pub data_range: (f64, f64),
    /// `b` of THEORY §15's two-term balance (width vs data bottleneck only).
    pub balance_error: f64,
    /// `x` of the two-term balance.
    pub balance_data: f64,
}

/// The derived exponents of the module docs (three-term balance, and THEORY §15's
/// two-term balance) for capacity `α`, source `r`, with or without label noise
/// (THEORY §15, §7.2).
///
/// # Errors
/// [`Error::InvalidParameter`] for `α ≤ 1` or `r ≤ 0`; [`Error::NonFinite`].
///
/// # Examples
/// ```
/// use detridge::scaling::compute::derived_exponents;
/// // r ≤ 1/2: all terms cross at N* ∝ P* ∝ C^{1/2}, E* ∝ C^{−αr}.
/// let e = derived_exponents(2.0, 0.4, false)?;
/// assert!((e.width - 0.5).abs() < 1e-12 && (e.error - 0.8).abs() < 1e-12);
/// // r = 0.75, α = 1.5: the feature variance sets b = a_P/(a_P + 2 − α) = 2.25/2.75.
/// let e = derived_exponents(1.5, 0.75, false)?;
/// assert!((e.error - 2.25 / 2.75).abs() < 1e-12 && (e.balance_error - 0.9).abs() < 1e-12);
/// # Ok::<(), detridge::Error>(())
/// ```
pub fn derived_exponents(alpha: f64, r: f64, noisy: bool) -> Result<ComputeExponents> {
    finite("alpha", alpha)?;
    if alpha <= 1.0 {
        return Err(Error::InvalidParameter {
            name: "alpha",
            value: alpha,
            reason: "the capacity exponent must be > 1",
        });
    }
    positive("r", r)?;
    let m = r.min(1.0);
    let a_n = alpha * (2.0 * r).min(1.0);
    let a_p = if noisy {
        2.0 * alpha * m / (1.0 + 2.0 * alpha * m)
    } else {
        2.0 * alpha * m
    };
    // The three exponents as lines e(x) = c0 + c1 x.
    let lines = [(-a_n, a_n), (0.0, -a_p), (-1.0, 2.0 - a_n)];
    let worst = |x: f64| {
        lines
            .iter()
            .map(|(c0, c1)| c0 + c1 * x)
            .fold(f64::NEG_INFINITY, f64::max)
    };
    // The min of a max of lines is attained at an endpoint or a pairwise crossing.
    let mut cand = vec![0.0, 1.0];
    for i in 0..3 {
        for j in i + 1..3 {
            let (a, b) = (lines[i], lines[j]);
            if (a.1 - b.1).abs() > 1e-15 {
                let x = (b.0 - a.0) / (a.1 - b.1);
                if (0.0..=1.0).contains(&x) {
                    cand.push(x);
                }
            }
        }
    }
    let best = cand.iter().map(|&x| worst(x)).fold(f64::INFINITY, f64::min);
    let at_best: Vec<f64> = cand
        .into_iter()
        .filter(|&x| worst(x) <= best + 1e-12)
        .collect();
    let lo = at_best.iter().copied().fold(f64::INFINITY, f64::min);
    let hi = at_best.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let x = 0.5 * (lo + hi);
    Ok(ComputeExponents {
        width: 1.0 - x,
        data: x,
        error: -best,
        data_range: (lo, hi),
        balance_error: a_n * a_p / (a_n + a_p),
        balance_data: a_n / (a_n + a_p),
    })
}

/// Iteration cap of both golden-section searches.
const MAX_ITER: usize = 200;

/// `min_{λ ≥ 0} E_g` of linear random features at `(P, N)`: `(λ*, E*)`.
///
/// # Errors
/// As [`Task::random_features`]; [`Error::NoConvergence`] if the search is exhausted.
///
/// # Examples
/// ```
/// use detridge::Task;
/// use detridge::scaling::compute::tuned_random_features;
/// let task = Task::power_law(1.5, 0.5, None, 0.1)?;
/// let (lam, e) = tuned_random_features(&task, 1000.0, 2000.0)?;
/// assert!(e <= task.random_features(1000.0, 2000.0, 10.0 * lam)?.test_error);
/// # Ok::<(), detridge::Error>(())
/// ```
pub fn tuned_random_features(task: &Task, p: f64, n: f64) -> Result<(f64, f64)> {
    let mut failure = None;
    let min = golden_section(
        |ln_l| match task.random_features(p, n, ln_l.exp()) {
            Ok(t) if t.test_error.is_finite() => t.test_error,
            Ok(_) => f64::INFINITY,
            Err(e) => {
                failure.get_or_insert(e);
                f64::INFINITY
            }
        },
        (1e-14_f64).ln(),
        (10.0_f64).ln(),
        1e-4,
        MAX_ITER,
        "tuned ridge of random features (golden section)",
    )?;
    let lam = min.x.exp();
    let e = match task.random_features(p, n, lam) {
        Ok(t) => t.test_error,
        Err(e) => return Err(failure.unwrap_or(e)),
    };
    // The ridgeless fit can be better than any λ > 0 (noiseless tasks).
    if let Ok(t0) = task.random_features(p, n, 0.0)
        && t0.test_error.is_finite()
        && t0.test_error < e
    {
        return Ok((0.0, t0.test_error));
    }
    finite("tuned random-features error", e)?;
    Ok((lam, e))
}

/// The compute-optimal split of the budget `C = P·N` (module docs).
///
/// # Errors
/// [`Error::InvalidParameter`] for `C < 64` (no room for `P, N ≥ 4`), non-finite `C`;
/// errors of [`tuned_random_features`]; [`Error::NoConvergence`] if a search is exhausted.
///
/// # Examples
/// ```
/// use detridge::Task;
/// use detridge::scaling::compute::compute_optimal;
/// let task = Task::power_law(1.5, 0.5, None, 0.0)?;
/// let o = compute_optimal(&task, 1e6)?;
/// assert!((o.n * o.p / 1e6 - 1.0).abs() < 1e-9 && o.test_error < 0.1);
/// # Ok::<(), detridge::Error>(())
/// ```
pub fn compute_optimal(task: &Task, compute: f64) -> Result<ComputeOptimum> {
    finite("compute", compute)?;
    if compute < 64.0 {
        return Err(Error::InvalidParameter {
            name: "compute",
            value: compute,
            reason: "the budget must allow P, N >= 4 (C >= 64)",
        });
    }
    let mut failure = None;
    let min = golden_section(
        |ln_n| {
            let n = ln_n.exp();
            match tuned_random_features(task, compute / n, n) {
                Ok((_, e)) => e,
                Err(e) => {
                    failure.get_or_insert(e);
                    f64::INFINITY
                }
            }
        },
        4.0_f64.ln(),
        (compute / 4.0).ln(),
        1e-4,
        MAX_ITER,
        "compute-optimal width (golden section)",
    )?;
    let n = min.x.exp();
    let p = compute / n;
    let (lambda, test_error) = match tuned_random_features(task, p, n) {
        Ok(v) => v,
        Err(e) => return Err(failure.unwrap_or(e)),
    };
    Ok(ComputeOptimum {
        compute,
        n,
        p,
        lambda,
        test_error,
    })
}

/// [`compute_optimal`] along a list of budgets (the frontier, for plotting).
///
/// # Errors
/// As [`compute_optimal`]; [`Error::Empty`] for no budgets.
pub fn compute_optimal_frontier(task: &Task, computes: &[f64]) -> Result<Vec<ComputeOptimum>> {
    if computes.is_empty() {
        return Err(Error::Empty { what: "computes" });
    }
    computes.iter().map(|&c| compute_optimal(task, c)).collect()
}
