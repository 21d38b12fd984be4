//! One-pass (streaming) SGD on Gaussian data, exact expected test error (THEORY §14).
//!
//! # Model
//! Fresh samples every step, batch `B`, step `η`, optional ridge `λ`, `w₀ = 0`:
//! `w_{k+1} = w_k − η[(1/B) Σ_b x_b(x_b·w_k − y_b) + λw_k]`, `x ~ N(0, Σ)`,
//! `y = x·w̄ + ε`, `ε ~ N(0, σ²)`. `E(k) = E(w_k − w̄)ᵀΣ(w_k − w̄)` (no label noise).
//!
//! # Exact recursion (THEORY §14)
//! With `δ = w − w̄` in `Σ`'s eigenbasis, `A = (1 − ηλ)I − ηΣ̂_B`, and the Gaussian identity
//! `E[xxᵀQxxᵀ] = 2ΣQΣ + Σ tr(QΣ)`, `E[Σ̂_B Q Σ̂_B] = (1 + 1/B)ΣQΣ + Σ tr(QΣ)/B`. The
//! diagonal `c_i = E δ_i²` therefore closes (off-diagonal entries never feed back):
//!
//! `c_i(k+1) = a_i c_i(k) + (η²/B)s_i(E(k) + σ²) + 2ηλ(1 − η(s_i+λ))w̄_i²ρ_i(k) + η²λ²w̄_i²`,
//!
//! `a_i = (1 − η(s_i+λ))² + η²s_i²/B`, `E(k) = Σ_i s_i c_i(k)`, `c_i(0) = w̄_i²`, where
//! `E δ_i(k) = −w̄_iρ_i(k)`, `ρ_i(k+1) = (1 − η(s_i+λ))ρ_i(k) + ηλ`, `ρ_i(0) = 1` (the mean
//! only enters through the ridge). For `λ = 0` this is THEORY §14's recursion exactly.
//! Entries with multiplicity carry their total target power; the cost is one pass over
//! the stored entries per step.
//!
//! # Stability bound (derivation)
//! For `λ = 0` the homogeneous map is `C ↦ MC`, `M = diag(a) + (η²/B) s sᵀ` (a non-negative
//! matrix: diagonal plus rank one). Its spectral radius is `< 1` iff every `a_i < 1` and the
//! secular function `1 − (η²/B) Σ_i m_i s_i²/(ρ − a_i)` is positive at `ρ = 1`
//! (the Perron root is the largest root of that function and it decreases in `ρ`), i.e.
//!
//! `η s_max(1 + 1/B) < 2` and `(η/B) Σ_i m_i s_i/(2 − η s_i(1 + 1/B)) < 1`
//!
//! (using `1 − a_i = ηs_i(2 − ηs_i(1+1/B))`). For small `ηs_max` the second condition is
//! `η < 2B/Tr Σ`, the `B`-dependent form THEORY §14 anticipates; at `B → ∞` the first gives
//! the full-batch `η < 2/s_max`. With a ridge the same argument with
//! `a_i = (1 − η(s_i+λ))² + η²s_i²/B` gives `a_i < 1` and `(η²/B)Σ m_i s_i²/(1 − a_i) < 1`.
//! [`Task::sgd_max_step`] returns the bound (bisection on `η`); [`Task::sgd`] refuses steps
//! at or beyond it with [`Error::InvalidParameter`].
//!
//! # `D = ∞` power laws (documented proxy)
//! The exact head `k ≤ 2000` is kept; the tail `k > 2000` is replaced by the integral
//! `∫_{2000.5}^{∞} dk` over geometric bins (ratio 1.25, three-point Gauss–Legendre in
//! `ln k`), up to `k = 10¹⁴`, plus one lumped entry carrying the rest of the target power.
//! Sum-versus-integral (midpoint) error `≈ f″/24 ≲ (b + α)²/(24 k²) ≈ 1e−7` relative to
//! the tail; the Gauss rule error is far below that. The tail holds a fraction
//! `≈ 2000^{−2αr}` of the signal, so the total proxy error is below `1e−8` relative (the
//! test `sgd_power_law_proxy_converges` checks it against a longer head).

use crate::dynamics::gradient_flow::{SpectralView, view_with_head};
use crate::error::{Error, Result, non_negative};
use crate::numeric::{NonExhaustive, golden_section};
use crate::spectrum::Task;

/// One-pass SGD theory at one step count (THEORY §14).
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct SgdTheory {
    /// Steps `k`.
    pub steps: u64,
    /// Samples seen, `k·B`.
    pub samples: f64,
    /// Expected test error `E(k)` (excess risk, no label noise).
    pub test_error: f64,
}

/// The best batch and step at a fixed sample budget ([`Task::sgd_optimal`]).
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct SgdOptimum {
    /// Batch size `B*`.
    pub batch: usize,
    /// Step size `η*`.
    pub step_size: f64,
    /// Steps `k = ⌊budget/B*⌋`.
    pub steps: u64,
    /// `E` at the optimum.
    pub test_error: f64,
    /// Stability bound at `B*` ([`Task::sgd_max_step`]).
    pub max_step: f64,
}

/// Parameters of one-pass SGD.
///
/// | Name | Default | Purpose | Range |
/// |---|---|---|---|
/// | `batch` | `1` | batch size `B` | `≥ 1` |
/// | `step_size` | `0.1` | step `η` | `(0, η_max)` |
/// | `ridge` | `0` | ridge `λ` | `≥ 0` |
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SgdParams {
    /// Batch size `B`.
    pub batch: usize,
    /// Step size `η`.
    pub step_size: f64,
    /// Ridge `λ`.
    pub ridge: f64,
    #[doc(hidden)]
    pub non_exhaustive: NonExhaustive,
}

impl Default for SgdParams {
    fn default() -> Self {
        Self {
            batch: 1,
            step_size: 0.1,
            ridge: 0.0,
            non_exhaustive: NonExhaustive(()),
        }
    }
}

/// Head length of the power-law proxy.
const HEAD: f64 = 2000.0;
/// Last tail index integrated.
const K_MAX: f64 = 1e14;

/// Entries `(s, m, w2)` for the recursion: exact for discrete spectra, the documented
/// proxy for analytic power laws.
fn entries(task: &Task) -> Result<(Vec<f64>, Vec<f64>, Vec<f64>)> {
    let view: SpectralView = view_with_head(task, |_| HEAD)?;
    let (mut s, mut m, mut w2) = (view.s, view.m, view.w2);
    if let Some(t) = view.tail {
        let top = t.dim.min(K_MAX);
        let (gx, gw) = (
            [-(0.6_f64).sqrt(), 0.0, (0.6_f64).sqrt()],
            [5.0 / 9.0, 8.0 / 9.0, 5.0 / 9.0],
        );
        let mut lo = (t.k0 - 0.5).ln();
        let end = (top + 0.5).ln();
        while lo < end {
            let hi = (lo + 1.25_f64.ln()).min(end);
            let (c, h) = (0.5 * (lo + hi), 0.5 * (hi - lo));
            for (x, w) in gx.iter().zip(&gw) {
                let k = (c + h * x).exp();
                let weight = w * h * k; // dk = k d(ln k)
                let sk = k.powf(-t.alpha);
                s.push(sk);
                m.push(weight);
                w2.push(weight * t.c * k.powf(-t.b) / sk);
            }
            lo = hi;
        }
        if t.dim > K_MAX {
            // Everything beyond 10¹⁴ as one nearly frozen entry: target power
            // c∫ k^{−b}/s_k, with the eigenvalue at the bin start.
            let k = K_MAX + 0.5;
            let sk = k.powf(-t.alpha);
            let signal = t.c * k.powf(1.0 - t.b) / (t.b - 1.0);
            let trace = k.powf(1.0 - t.alpha) / (t.alpha - 1.0);
            s.push(sk);
            m.push(trace / sk);
            w2.push(signal / sk);
        }
    }
    Ok((s, m, w2))
}

fn check_params(params: &SgdParams) -> Result<(f64, f64, f64)> {
    if params.batch == 0 {
        return Err(Error::InvalidParameter {
            name: "batch",
            value: 0.0,
            reason: "the batch must hold at least one sample",
        });
    }
    let eta = crate::error::positive("step_size", params.step_size)?;
    let lambda = non_negative("ridge", params.ridge)?;
    Ok((params.batch as f64, eta, lambda))
}

/// Whether `η` is strictly inside the stability region (module docs).
fn stable(s: &[f64], m: &[f64], b: f64, eta: f64, lambda: f64) -> bool {
    let mut sum = 0.0;
    for (&si, &mi) in s.iter().zip(m) {
        // 1 − a_i without cancellation (a_i → 1 for tiny s_i).
        let x = eta * (si + lambda);
        let one_minus_a = x * (2.0 - x) - eta * eta * si * si / b;
        if one_minus_a <= 0.0 {
            return false;
        }
        sum += mi * si * si / one_minus_a;
    }
    eta * eta / b * sum < 1.0
}

fn max_step(s: &[f64], m: &[f64], b: f64, lambda: f64) -> Result<f64> {
    let s_max = s.iter().copied().fold(0.0, f64::max);
    let mut hi = 2.0 / (s_max + lambda);
    let mut lo = 0.0;
    if stable(s, m, b, hi, lambda) {
        return Ok(hi);
    }
    for _ in 0..200 {
        let mid = 0.5 * (lo + hi);
        if stable(s, m, b, mid, lambda) {
            lo = mid;
        } else {
            hi = mid;
        }
        if hi - lo <= 1e-14 * hi {
            return Ok(lo);
        }
    }
    Err(Error::NoConvergence {
        what: "SGD stability bound (bisection)",
        iterations: 200,
        residual: hi - lo,
        last: lo,
    })
}

/// Runs the recursion and reports `E` at the requested steps (sorted or not).
fn run(
    task: &Task,
    ent: &(Vec<f64>, Vec<f64>, Vec<f64>),
    b: f64,
    eta: f64,
    lambda: f64,
    steps: &[u64],
) -> Result<Vec<SgdTheory>> {
    let (s, m, w2) = ent;
    let noise = task.noise_variance();
    let n = s.len();
    let a: Vec<f64> = s
        .iter()
        .map(|&si| (1.0 - eta * (si + lambda)).powi(2) + eta * eta * si * si / b)
        .collect();
    let mut c = w2.clone();
    let mut rho = vec![1.0; n];
    let mut e: f64 = s.iter().zip(&c).map(|(si, ci)| si * ci).sum();
    let k_max = steps.iter().copied().max().unwrap_or(0);
    // Record only the requested steps (sorted, deduplicated).
    let mut order: Vec<u64> = steps.to_vec();
    order.sort_unstable();
    order.dedup();
    let mut values = Vec::with_capacity(order.len());
    let mut next = 0;
    while next < order.len() && order[next] == 0 {
        values.push(e);
        next += 1;
    }
    for k in 1..=k_max {
        let forcing = eta * eta / b * (e + noise);
        let mut e_new = 0.0;
        for i in 0..n {
            let decay = 1.0 - eta * (s[i] + lambda);
            let mut ci = a[i] * c[i] + forcing * m[i] * s[i];
            if lambda > 0.0 {
                ci += 2.0 * eta * lambda * decay * w2[i] * rho[i] + (eta * lambda).powi(2) * w2[i];
                rho[i] = decay * rho[i] + eta * lambda;
            }
            c[i] = ci;
            e_new += s[i] * ci;
        }
        e = e_new;
        if !e.is_finite() {
            return Err(Error::NonFinite {
                what: "SGD test error",
                value: e,
            });
        }
        while next < order.len() && order[next] == k {
            values.push(e);
            next += 1;
        }
    }
    Ok(steps
        .iter()
        .map(|&k| {
            let pos = order.binary_search(&k).unwrap_or(0);
            SgdTheory {
                steps: k,
                samples: k as f64 * b,
                test_error: values[pos],
            }
        })
        .collect())
}

impl Task {
    /// Expected test error of one-pass SGD after each of `steps` (THEORY §14).
    ///
    /// Cost: one pass over the stored entries per step up to `max(steps)`.
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] for `B = 0`, `η ≤ 0`, `λ < 0`, or `η` at or beyond the
    /// stability bound ([`Task::sgd_max_step`]); [`Error::Empty`] for no steps;
    /// [`Error::InvalidParameter`] for more than `10⁸` steps; [`Error::Unsupported`] for
    /// compressed tasks.
    ///
    /// # Examples
    /// Isotropic `Σ = I_D`, `B = 1`, `λ = σ = 0`: `E(k+1) = (1 − 2η + η²(D+2))E(k)`.
    /// ```
    /// use detridge::Task;
    /// use detridge::dynamics::SgdParams;
    /// let task = Task::isotropic(50.0, 1.0, 0.0)?;
    /// let params = SgdParams { step_size: 0.01, ..Default::default() };
    /// let e = task.sgd(&params, &[10])?;
    /// let rate: f64 = 1.0 - 0.02 + 1e-4 * 52.0;
    /// assert!((e[0].test_error - rate.powi(10)).abs() < 1e-12);
    /// # Ok::<(), detridge::Error>(())
    /// ```
    pub fn sgd(&self, params: &SgdParams, steps: &[u64]) -> Result<Vec<SgdTheory>> {
        let (b, eta, lambda) = check_params(params)?;
        if steps.is_empty() {
            return Err(Error::Empty { what: "steps" });
        }
        if steps.iter().any(|&k| k > 100_000_000) {
            return Err(Error::InvalidParameter {
                name: "steps",
                value: steps.iter().copied().max().unwrap_or(0) as f64,
                reason: "at most 1e8 steps",
            });
        }
        let ent = entries(self)?;
        if !stable(&ent.0, &ent.1, b, eta, lambda) {
            return Err(Error::InvalidParameter {
                name: "step_size",
                value: eta,
                reason: "one-pass SGD diverges: the step must satisfy η s_i(1+1/B) < 2 and \
                         (η²/B) Σ s_i²/(1 − a_i) < 1 (THEORY §14); see Task::sgd_max_step",
            });
        }
        run(self, &ent, b, eta, lambda, steps)
    }

    /// The stability bound `η_max(B, λ)` of one-pass SGD (module docs of
    /// [`crate::dynamics::sgd`] for the derivation).
    ///
    /// # Errors
    /// As [`Task::sgd`] for bad `B`, `λ`; [`Error::NoConvergence`] if the bisection fails.
    ///
    /// # Examples
    /// Isotropic `Σ = I_D`, `B = 1`: `a = (1−η)² + η²` and the bound is
    /// `(η/B)D/(2 − 2η) < 1`, i.e. `η < 2/(D + 2)`.
    /// ```
    /// use detridge::Task;
    /// let task = Task::isotropic(98.0, 1.0, 0.0)?;
    /// assert!((task.sgd_max_step(1, 0.0)? - 0.02).abs() < 1e-12);
    /// # Ok::<(), detridge::Error>(())
    /// ```
    pub fn sgd_max_step(&self, batch: usize, lambda: f64) -> Result<f64> {
        let (b, _, lambda) = check_params(&SgdParams {
            batch,
            ridge: lambda,
            ..Default::default()
        })?;
        let (s, m, _) = entries(self)?;
        max_step(&s, &m, b, lambda)
    }

    /// The batch `B*` (among `batches`) and step `η*` minimising the expected test error
    /// after a fixed sample budget (`k = ⌊budget/B⌋` steps), `λ = 0`. For each batch, `η`
    /// is found by golden-section search in `ln η` on `[10⁻⁴, 0.999]·η_max(B)` (the
    /// crate's capped golden section: bracket below `1e−6` in `ln η`, at most 200
    /// iterations; the minimum of a unimodal `E(η)` at fixed `k`).
    ///
    /// # Errors
    /// [`Error::Empty`] for no batches; [`Error::InvalidParameter`] for a zero batch, a
    /// budget smaller than a batch, or budgets above `10⁸` samples.
    ///
    /// # Examples
    /// ```
    /// use detridge::Task;
    /// let task = Task::power_law(1.5, 0.5, Some(200), 0.1)?;
    /// let best = task.sgd_optimal(2000, &[1, 4, 16])?;
    /// assert!(best.step_size < best.max_step && best.test_error < 1.0);
    /// # Ok::<(), detridge::Error>(())
    /// ```
    pub fn sgd_optimal(&self, budget: u64, batches: &[usize]) -> Result<SgdOptimum> {
        if batches.is_empty() {
            return Err(Error::Empty { what: "batches" });
        }
        if budget > 100_000_000 {
            return Err(Error::InvalidParameter {
                name: "budget",
                value: budget as f64,
                reason: "at most 1e8 samples",
            });
        }
        let ent = entries(self)?;
        let mut best: Option<SgdOptimum> = None;
        for &batch in batches {
            let (b, _, _) = check_params(&SgdParams {
                batch,
                ..Default::default()
            })?;
            let k = budget / batch as u64;
            if k == 0 {
                return Err(Error::InvalidParameter {
                    name: "budget",
                    value: budget as f64,
                    reason: "the budget must cover at least one batch",
                });
            }
            let eta_max = max_step(&ent.0, &ent.1, b, 0.0)?;
            let f = |ln_eta: f64| -> Result<f64> {
                Ok(run(self, &ent, b, ln_eta.exp(), 0.0, &[k])?[0].test_error)
            };
            // E(η) at fixed k, minimised in ln η (shared capped golden section).
            let mut failure = None;
            let min = golden_section(
                |x| match f(x) {
                    Ok(v) => v,
                    Err(e) => {
                        failure = Some(e);
                        f64::INFINITY
                    }
                },
                (eta_max * 1e-4).ln(),
                (eta_max * 0.999).ln(),
                1e-6,
                200,
                "optimal SGD step (golden section)",
            )?;
            if let Some(e) = failure {
                return Err(e);
            }
            let (x, fx) = (min.x, f(min.x)?);
            let cand = SgdOptimum {
                batch,
                step_size: x.exp(),
                steps: k,
                test_error: fx,
                max_step: eta_max,
            };
            if best.is_none_or(|b| cand.test_error < b.test_error) {
                best = Some(cand);
            }
        }
        best.ok_or(Error::Empty { what: "batches" })
    }
}
