//! Nonlinear random features through Gaussian equivalence (THEORY §12).
//!
//! **Model** (exactly THEORY §12): `W ∈ R^{N×D}` with i.i.d. `N(0, 1/D)` entries, features
//! `z(x) = φ(Wx)/√N`, ridge in the 1/P convention `v̂ = (ZᵀZ/P + λ)⁻¹Zᵀy/P`, prediction
//! `f(x) = z(x)·v̂`, and `E_g = E_x[(f(x) − w̄·x)²]` without test-label noise.
//!
//! **Gaussian equivalence** (THEORY §12): with the Hermite coefficients `μ₀, μ₁, μ*` of `φ`
//! at the typical pre-activation variance `a = tr Σ / D` ([`Activation::hermite`]),
//! `z ≈ (μ₀1 + μ₁Wx + μ*ξ)/√N` with `ξ ~ N(0, I_N)` fresh per sample. In the crate's
//! linear-RF convention (THEORY §4.1, §4.6) this is exactly linear random features with
//! additive feature noise on the task `Σ′ = μ₁²Σ/D`, `w̄′ = w̄√D/μ₁`, `s = μ*²/N`, same `λ`
//! ([`Task::noisy_random_features`]); the `μ₀` spike along the constant feature is
//! orthogonal to the centred target and changes `E_g` by `O(1/P)` only (neglected).
//!
//! **Infinite width** `N = ∞`: `z(x)·z(x′) → μ₀² + μ₁² x·x′/D + μ*² 1[x = x′]` on the
//! training set (the noise `ξ` of distinct samples decorrelates, `|ξ|²/N → 1`), so the
//! training Gram matrix is that of linear features `x′ = μ₁x/√D` plus `μ*² I_P`, while the
//! test point sees only `μ₁²x·x′/D`. The fit `f(x) = k(x)ᵀ(K + μ*² + Pλ)⁻¹y` is therefore
//! linear ridge on `(Σ′, w̄′)` with the **effective ridge**
//! `λ_eff = λ + μ*²/P` (THEORY §3 with `λ → λ_eff`; also the `N → ∞` limit of THEORY §4.6:
//! `κ₂ → κ₁ = κ`, `Df₁_C → Df₁(κ) + μ*²/κ`, so `κ(1 − Df₁(κ)/P) = λ + μ*²/P`). The
//! training residual is `Pλ(K + Pλ_eff)⁻¹y`, i.e. `λ/λ_eff` times that of the ridge at
//! `λ_eff`: `E_tr = (λ/λ_eff)² E_tr^{ridge}(λ_eff)`. Finite `N` approaches this as `O(1/N)`.
//!
//! **Domain of validity.** The equivalence replaces every neuron's pre-activation variance
//! `a_n = w_nᵀΣw_n` by its mean `a`. Its relative spread is
//! `sd(a_n)/a = √(2 tr Σ²)/tr Σ = √(2/r_eff)` with the effective rank
//! `r_eff = (tr Σ)²/tr Σ²` (THEORY §12), so the prediction needs `r_eff` large. Measured
//! against the exact simulation ([`crate::montecarlo::nonlinear`]): within a few % for
//! isotropic, two-block and `s_k ∝ k^{−0.5}` spectra (`r_eff` ≥ 100 at `D` in the
//! hundreds); the worst error grows roughly like `6/r_eff` (erf, target on the top
//! directions) and reaches tens of % for `s_k ∝ k^{−1.5}` (`r_eff ≈ 5`, spread of `a_n`
//! ≈ 60%). Results with `r_eff <` [`MIN_EFFECTIVE_RANK`] have `in_domain = false`: the
//! numbers are still those of the Gaussian-equivalent model, but they are **not** a
//! reliable prediction of the nonlinear model (typically they underestimate the error of
//! erf features, whose Hermite coefficients depend strongly on `a_n`; ReLU, positively
//! homogeneous, suffers less). Outside the domain, simulate
//! ([`crate::montecarlo::nonlinear::nonlinear_random_features`]).

use crate::activation::{Activation, HermiteCoefficients};
use crate::error::{Error, Result, non_negative, size};
use crate::spectrum::{Spectrum, Task};

/// Smallest effective rank `(tr Σ)²/tr Σ²` at which a result is flagged `in_domain`.
///
/// Measured (tests/nonlinear.rs, ignored `domain_scan`: `D = 400`, `tr Σ = D`,
/// `s_k ∝ k^{−α}`, target on the top 10 directions, `P, N ∈ {400, 800}`, `λ = 10⁻³`), the
/// worst relative error of `E_g` (erf) is 3.6% at `r_eff = 226` (`α = 0.5`), 8% at 83
/// (`α = 0.75`), 21% at 26, 41% at 10 and 56% at 5 (`α = 1.5`; ReLU 18% there): roughly
/// `6/r_eff`. At `r_eff = 100` that is ≈ 6%, and the per-neuron pre-activation variance
/// spreads by `√(2/100) = 14%`.
pub const MIN_EFFECTIVE_RANK: f64 = 100.0;

/// Gaussian-equivalent predictions for nonlinear random features (THEORY §12) at one
/// `(P, N, λ)`.
///
/// All error terms are those of the equivalent noisy linear RF (THEORY §4.6) on
/// `Σ′ = μ₁²Σ/D`, `w̄′ = w̄√D/μ₁`, `s = μ*²/N`. `test_error = data_averaged_error +
/// (signal variance) + var_noise`, where `var_noise = σ²γ₁/(1−γ₁)`.
#[must_use]
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct NonlinearRfTheory {
    /// Sample size `P`.
    pub p: f64,
    /// Width `N` (`∞` allowed: kernel ridge with the effective ridge `λ + μ*²/P`).
    pub n: f64,
    /// Explicit ridge `λ`.
    pub lambda: f64,
    /// `E_g`, excess test risk without test-label noise.
    pub test_error: f64,
    /// `E_tr = |y − Zv̂|²/P = (λ/κ₁)²(E_g + σ²)`.
    pub train_error: f64,
    /// What GCV concentrates on: `E_g + σ²`.
    pub gcv: f64,
    /// Data S-transform `S_X = κ₁/λ = 1/(1 − Df₁_C/P)` (train–test gap `S_X²`); `∞` when
    /// the fit interpolates.
    pub s_transform: f64,
    /// `κ₂` (renormalised by data and features; `= κ₁` at `N = ∞`).
    pub kappa: f64,
    /// `κ₁`, the data-renormalised ridge in feature space.
    pub kappa1: f64,
    /// Feature-space `Df₁_C = P(1 − λ/κ₁)` (THEORY §4.6).
    pub df1_features: f64,
    /// Feature-space `Df₂_C = Pγ₁`.
    pub df2_features: f64,
    /// `γ₁ = Df₂_C/P`; `1/(1−γ₁)` amplifies the error.
    pub gamma1: f64,
    /// Error of the data-averaged predictor, `Φ − κ₁Φ′` (THEORY §4.6; the bias² at
    /// `N = ∞`).
    pub data_averaged_error: f64,
    /// All label-noise terms, `σ²γ₁/(1−γ₁)`.
    pub var_noise: f64,
    /// Additive feature-noise variance of the equivalent model, `s = μ*²/N` (`0` at
    /// `N = ∞`, where `μ*²/P` is added to the ridge instead).
    pub feature_noise: f64,
    /// Effective ridge `λ + μ*²/P` of the infinite-width limit (reported for any `N`).
    pub effective_ridge_infinite_width: f64,
    /// Effective rank `r_eff = (tr Σ)²/tr Σ²`.
    pub effective_rank: f64,
    /// Input dimension `D` (including null directions of `Σ`).
    pub dimension: f64,
    /// The Hermite coefficients used, at `a = tr Σ/D`.
    pub hermite: HermiteCoefficients,
    /// `r_eff ≥` [`MIN_EFFECTIVE_RANK`]: inside the measured domain of validity.
    pub in_domain: bool,
}

/// The equivalent linear task `Σ′ = cΣ`, `w̄′² = w̄²/c` with `c = μ₁²/D`, plus `(D, tr Σ,
/// r_eff)`.
fn equivalent_task(task: &Task, mu1: f64) -> Result<(Task, f64, f64, f64)> {
    let (disc, w2) = task.discrete_target().ok_or(Error::Unsupported(
        "nonlinear random features need a finite dimension D (W has N(0, 1/D) entries)",
    ))?;
    let d = disc.dim;
    let (mut tr, mut tr2) = (0.0, 0.0);
    let mut mult = Vec::with_capacity(disc.values.len());
    for (i, &s) in disc.values.iter().enumerate() {
        let m = disc.multiplicity(i);
        tr += m * s;
        tr2 += m * s * s;
        mult.push(m);
    }
    let c = mu1 * mu1 / d;
    let values: Vec<f64> = disc.values.iter().map(|s| c * s).collect();
    let power: Vec<f64> = w2.iter().map(|w| w / c).collect();
    let t = Task::with_target_power(
        Spectrum::with_multiplicities(&values, &mult)?,
        &power,
        task.noise_variance,
    )?;
    Ok((t, d, tr, tr * tr / tr2))
}

impl Task {
    /// Nonlinear random features `z = φ(Wx)/√N`, `W` entries `N(0, 1/D)`, ridge `λ` (1/P
    /// convention), through Gaussian equivalence (THEORY §12; see the
    /// [module docs](crate::features::nonlinear) for the mapping, the infinite-width
    /// limit and the domain of validity).
    ///
    /// * `μ* > 0`, finite `N`: [`Task::noisy_random_features`] on `Σ′ = μ₁²Σ/D`,
    ///   `w̄′ = w̄√D/μ₁`, `s = μ*²/N` (THEORY §4.6), `λ ≥ 0`.
    /// * `μ* = 0` (the identity, any linear `φ`): [`Task::random_features`] on the same
    ///   `Σ′, w̄′` (THEORY §4); this equals linear RF on `Σ` at ridge `Dλ/μ₁²`
    ///   (THEORY §4.1).
    /// * `N = ∞`: [`Task::ridge`] on `Σ′, w̄′` at `λ_eff = λ + μ*²/P`, with
    ///   `E_tr = (λ/λ_eff)² E_tr^{ridge}`.
    ///
    /// The result is flagged `in_domain = false` when `r_eff = (tr Σ)²/tr Σ² <`
    /// [`MIN_EFFECTIVE_RANK`]: there the Gaussian-equivalent numbers are returned but do
    /// not predict the nonlinear model reliably (measured errors of tens of % at
    /// `r_eff ≈ 6`).
    ///
    /// # Errors
    /// [`Error::Unsupported`] for `D = ∞` (analytic spectra); [`Error::InvalidParameter`]
    /// for `p ≤ 0`, `n ≤ 0`, `λ < 0`, or an activation with `μ₁ = 0` at `a = tr Σ/D`
    /// (e.g. an even `φ`: its features carry no linear signal, the equivalent model is
    /// degenerate and this theory does not apply); [`Error::NonFinite`]; the errors of
    /// [`Activation::hermite`], [`Task::noisy_random_features`], [`Task::random_features`]
    /// and [`Task::ridge`] (e.g. [`Error::Divergent`] at `λ = 0`, `N = P`).
    ///
    /// # Examples
    /// ```
    /// use detridge::Task;
    /// use detridge::features::Activation;
    /// let task = Task::isotropic(400.0, 1.0, 0.1)?;
    /// let t = task.nonlinear_random_features(800.0, 600.0, 1e-3, &Activation::Relu)?;
    /// assert!(t.in_domain && (t.effective_rank - 400.0).abs() < 1e-9);
    /// assert!(t.test_error > 0.0 && t.train_error < t.test_error + 0.1);
    /// // Train–test gap is the data S-transform squared.
    /// assert!(((t.test_error + 0.1) / t.train_error - t.s_transform.powi(2)).abs() < 1e-8);
    /// // Wider is better here, and N = ∞ is kernel ridge with ridge λ + μ*²/P.
    /// let inf = task.nonlinear_random_features(800.0, f64::INFINITY, 1e-3, &Activation::Relu)?;
    /// assert!(inf.test_error < t.test_error);
    /// # Ok::<(), detridge::Error>(())
    /// ```
    pub fn nonlinear_random_features(
        &self,
        p: f64,
        n: f64,
        lambda: f64,
        activation: &Activation,
    ) -> Result<NonlinearRfTheory> {
        let p = size("p", p, false)?;
        let n = size("n", n, true)?;
        non_negative("lambda", lambda)?;
        let d = self.spectrum.dimension();
        if !d.is_finite() {
            return Err(Error::Unsupported(
                "nonlinear random features need a finite dimension D (W has N(0, 1/D) entries)",
            ));
        }
        let trace = self.spectrum.trace();
        let hermite = activation.hermite(trace / d)?;
        let scale = (hermite.second_moment / hermite.variance).sqrt();
        if hermite.mu1.abs() <= 1e-12 * scale || hermite.mu1.is_nan() {
            return Err(Error::InvalidParameter {
                name: "mu1",
                value: hermite.mu1,
                reason: "the activation has μ₁ = 0 at this pre-activation variance: its \
                         features carry no linear signal and the Gaussian-equivalent linear \
                         model is degenerate",
            });
        }
        let (eq, dim, _, effective_rank) = equivalent_task(self, hermite.mu1)?;
        let mu_star2 = hermite.mu_star2;
        let lambda_eff = lambda + mu_star2 / p;
        let s = if n.is_finite() { mu_star2 / n } else { 0.0 };
        let base = NonlinearRfTheory {
            p,
            n,
            lambda,
            test_error: f64::NAN,
            train_error: f64::NAN,
            gcv: f64::NAN,
            s_transform: f64::NAN,
            kappa: f64::NAN,
            kappa1: f64::NAN,
            df1_features: f64::NAN,
            df2_features: f64::NAN,
            gamma1: f64::NAN,
            data_averaged_error: f64::NAN,
            var_noise: f64::NAN,
            feature_noise: s,
            effective_ridge_infinite_width: lambda_eff,
            effective_rank,
            dimension: dim,
            hermite,
            in_domain: effective_rank >= MIN_EFFECTIVE_RANK,
        };
        // S_X = κ₁/λ = 1/(1 − Df₁_C/P).
        let s_x = |df1c: f64| {
            let g = 1.0 - df1c / p;
            if g > 0.0 { 1.0 / g } else { f64::INFINITY }
        };
        let out = if !n.is_finite() {
            let r = eq.ridge(p, lambda_eff)?;
            let ratio = if lambda_eff > 0.0 {
                lambda / lambda_eff
            } else {
                1.0
            };
            let df1c = r.df1
                + if r.kappa > 0.0 {
                    mu_star2 / r.kappa
                } else {
                    0.0
                };
            NonlinearRfTheory {
                test_error: r.test_error,
                train_error: ratio * ratio * r.train_error,
                gcv: r.gcv,
                s_transform: s_x(df1c),
                kappa: r.kappa,
                kappa1: r.kappa,
                df1_features: df1c,
                df2_features: r.df2,
                gamma1: r.gamma,
                data_averaged_error: r.bias2,
                var_noise: r.var_noise,
                ..base
            }
        } else if mu_star2 == 0.0 {
            let r = eq.random_features(p, n, lambda)?;
            let df1c = n * (1.0 - r.kappa1 / r.kappa);
            NonlinearRfTheory {
                test_error: r.test_error,
                train_error: r.train_error,
                gcv: r.gcv,
                s_transform: r.s_transform,
                kappa: r.kappa,
                kappa1: r.kappa1,
                df1_features: df1c,
                df2_features: p * r.gamma1,
                gamma1: r.gamma1,
                data_averaged_error: r.data_averaged_error,
                var_noise: r.var_noise,
                ..base
            }
        } else {
            let r = eq.noisy_random_features(p, n, s, lambda)?;
            NonlinearRfTheory {
                test_error: r.test_error,
                train_error: r.train_error,
                gcv: r.gcv,
                s_transform: r.s_transform,
                kappa: r.kappa,
                kappa1: r.kappa1,
                df1_features: r.df1_features,
                df2_features: r.df2_features,
                gamma1: r.gamma1,
                data_averaged_error: r.data_averaged_error,
                var_noise: r.var_noise,
                ..base
            }
        };
        for (what, v) in [
            ("nonlinear RF test error", out.test_error),
            ("nonlinear RF train error", out.train_error),
        ] {
            if !v.is_finite() {
                return Err(Error::NonFinite { what, value: v });
            }
        }
        Ok(out)
    }
}
