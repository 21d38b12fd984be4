//! Linear random-feature ridge regression (THEORY §4–5).
//!
//! The model is `f(x) = xᵀFv` with `F ∈ R^{D×N}`, entries `N(0, 1/N)`, and
//! `v̂ = (FᵀΣ̂F + λ)⁻¹FᵀXᵀy/P` (THEORY §4.1), so `N → ∞` is linear ridge at the same `λ`.
//! Two sources of randomness renormalise the ridge and their S-transforms multiply
//! (THEORY §4.2): with `df = df¹_Σ(κ₂)`,
//!
//! * `κ₂ = λ S_X(df) S_F(df)` (averaging over data **and** features), solved by
//!   [`crate::solver`] with the factors `[Wishart(P), F-factors…]`;
//! * `κ₁ = λ S_X(df) = κ₂ / S_F(df)` (averaging over the data only);
//! * `ρ = d ln κ₂ / d ln κ₁ = 1/(1 + (Df₁−Df₂) Σ_F (−(S_F⁻¹)′/S_F⁻¹))` (THEORY §4.3 written
//!   with the unnormalised `Df`, so that `D = ∞` needs no special case; isotropic:
//!   `ρ = (N−Df₁)/(N−Df₂)`, deep chains: THEORY §5);
//! * `γ₁ = (Df₁ − ρ(Df₁−Df₂))/P`, `γ = Df₂/P`, and (THEORY §4.3–4.4)
//!   `E_g = [(1−ρ)κ₂tf₁ − ρκ₂²tf₁′ + γ₁σ²]/(1−γ₁)`, `E_tr = (λ/κ₁)²(E_g+σ²)`.
//!
//! The free factor of the features is any [`STransform`]: isotropic
//! ([`Wishart`] of `N`), a deep chain (one Wishart factor per
//! layer), or column-anisotropic weights ([`GeneralizedWishart`], THEORY §2.3, §4.5b).
//! Input-side structured weights reduce exactly to the isotropic model on a transformed
//! task (THEORY §4.5a). Additive feature noise has its own solve (THEORY §4.6).
//!
//! # Entry points (methods on [`Task`])
//! * [`Task::random_features`] (isotropic), [`Task::deep_random_features`] (a chain),
//!   [`Task::anisotropic_random_features`] (per-feature variances),
//!   [`Task::random_features_factors`] (any list of free factors, with a warm start and
//!   [`SolverParams`](crate::solver::SolverParams)) → [`RfTheory`];
//!   [`RfTheory::ensemble_error`] for averages of independent feature draws.
//! * [`Task::noisy_random_features`] (additive feature noise) → [`NoisyRfTheory`].
//! * [`Task::input_structured`], [`Task::input_structured_diagonal`]: the reduced task of
//!   input-side structured weights.
//! * Curves ([`Curve`](crate::solver::Curve), one result per point):
//!   [`Task::random_features_curve_p`], [`Task::random_features_curve_n`],
//!   [`Task::random_features_curve_lambda`].
//!
//! Numerics: `1 − ρ = x/(1+x)` and `ρ = 1/(1+x)` with `x = (Df₁−Df₂) Σ_F (−(S_F⁻¹)′/S_F⁻¹)`
//! (no cancellation, and `ρ = 0` exactly when a feature factor is at its capacity);
//! `1 − γ₁ = S_X⁻¹ + ρ(Df₁−Df₂)/P` with `S_X⁻¹ = λ/(κ₂ S_F⁻¹)` for `λ > 0` (THEORY §10),
//! so both terms are non-negative and nothing cancels near the interpolation peaks.

mod linear;
mod noisy;
mod structured;

/// Re-exported from [`crate::stransform`], where every S-transform lives.
pub use crate::stransform::GeneralizedWishart;
#[allow(deprecated)]
pub use noisy::{NoisyRfTheory, RfNoisyTheory};

pub mod nonlinear;

/// The activations live in [`crate::activation`] (below `montecarlo`, which simulates them);
/// re-exported here, where the nonlinear theory uses them.
pub use crate::activation::{self, Activation, HermiteCoefficients, HermiteMethod};
pub use nonlinear::{MIN_EFFECTIVE_RANK, NonlinearRfTheory};

use crate::error::{Error, Result};
use crate::numeric::KappaReport;
use crate::spectrum::{RESOLVABLE, Task, Traces, unresolvable};
use crate::stransform::{STransform, Wishart};

/// Deterministic-equivalent predictions for linear random-feature ridge regression at
/// one point (THEORY §4.2–4.4).
///
/// The decomposition is the symmetric one of THEORY §4.4 (label noise tied to the data
/// draw): `test_error = bias2 + var_data + var_features + var_data_features + var_noise`
/// and `var_noise = var_noise_data + var_noise_data_features`.
#[must_use]
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct RfTheory {
    /// Sample size `P`.
    pub p: f64,
    /// Explicit ridge `λ`.
    pub lambda: f64,
    /// `κ₂`, the ridge renormalised by data and features (THEORY §4.2).
    pub kappa: f64,
    /// `κ₁ = κ₂/S_F`, the ridge renormalised by the data only.
    pub kappa1: f64,
    /// `Df₁(κ₂)` (unnormalised).
    pub df1: f64,
    /// `Df₂(κ₂)` (unnormalised).
    pub df2: f64,
    /// `ρ = d ln κ₂/d ln κ₁ ∈ [0, 1]` (THEORY §4.3).
    pub rho: f64,
    /// `γ₁ = (Df₁ − ρ(Df₁−Df₂))/P`; `1/(1−γ₁)` is the amplification of the full error.
    pub gamma1: f64,
    /// `γ = Df₂(κ₂)/P` (amplification of the feature-averaged predictor).
    pub gamma: f64,
    /// `E_g`, excess test risk without test-label noise (THEORY §4.3).
    pub test_error: f64,
    /// `E_tr = (λ/κ₁)²(E_g+σ²)` (THEORY §4.3).
    pub train_error: f64,
    /// `bias² = −κ₂² tf₁′(κ₂)`.
    pub bias2: f64,
    /// `Var_X = bias² γ/(1−γ)`.
    pub var_data: f64,
    /// `Var_F = (1−ρ) κ₂ tf₂(κ₂)`.
    pub var_features: f64,
    /// `Var_XF`: the rest of the signal error.
    pub var_data_features: f64,
    /// All noise terms, `Var_Xε + Var_XFε = σ²γ₁/(1−γ₁)`.
    pub var_noise: f64,
    /// `Var_Xε = σ²γ/(1−γ)`.
    pub var_noise_data: f64,
    /// `Var_XFε = σ²[γ₁/(1−γ₁) − γ/(1−γ)]`.
    pub var_noise_data_features: f64,
    /// Error of the feature-averaged (infinite-ensemble) predictor
    /// `bias² + Var_X + Var_Xε = (bias² + γσ²)/(1−γ)` (THEORY §4.4).
    pub feature_averaged_error: f64,
    /// Error of the data-averaged predictor `bias² + Var_F` (THEORY §4.4).
    pub data_averaged_error: f64,
    /// What GCV at fixed features (`Ŝ_X² E_tr`) concentrates on: `E_g + σ²` (THEORY §4.3).
    pub gcv: f64,
    /// The data S-transform `S_X = κ₁/λ = 1/(1 − Df₁/P)`, the train–test gap factor
    /// `(E_g + σ²)/E_tr = S_X²` (the same name as in every result); `∞` in the
    /// interpolating regime.
    pub s_transform: f64,
    /// Deprecated name of [`RfTheory::s_transform`] (same value).
    #[deprecated(
        since = "0.2.0",
        note = "use `s_transform` (the same name in every result)"
    )]
    pub s_transform_data: f64,
    /// Solver diagnostics for `κ₂`.
    pub solver: KappaReport,
}

impl RfTheory {
    /// Test error of the average of `k` predictors trained on the same data with
    /// independent feature draws (THEORY §4.4):
    /// `E_g(K) = E_g(∞) + (E_g(1) − E_g(∞))/K`, `E_g(∞)` the feature-averaged error.
    /// `k = ∞` is allowed.
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] for `k < 1`, [`Error::NonFinite`] for NaN.
    ///
    /// # Examples
    /// ```
    /// use detridge::Task;
    /// let t = Task::isotropic(200.0, 1.0, 0.1)?.random_features(300.0, 150.0, 1e-2)?;
    /// assert!((t.ensemble_error(1.0)? - t.test_error).abs() < 1e-15);
    /// assert!((t.ensemble_error(f64::INFINITY)? - t.feature_averaged_error).abs() < 1e-15);
    /// # Ok::<(), detridge::Error>(())
    /// ```
    pub fn ensemble_error(&self, k: f64) -> Result<f64> {
        if k.is_nan() {
            return Err(Error::NonFinite {
                what: "ensemble size",
                value: k,
            });
        }
        if k < 1.0 {
            return Err(Error::InvalidParameter {
                name: "ensemble size",
                value: k,
                reason: "must be >= 1",
            });
        }
        let inf = self.feature_averaged_error;
        Ok(inf + (self.test_error - inf) / k)
    }
}

/// `x ≤ 0` or NaN.
pub(super) fn not_positive(x: f64) -> bool {
    x.is_nan() || x <= 0.0
}

/// Builds the random-feature theory from the traces at `κ₂` (THEORY §4.2–4.4).
pub(super) fn from_traces(
    task: &Task,
    p: f64,
    lambda: f64,
    feature_factors: &[&dyn STransform],
    tr: &Traces,
    report: KappaReport,
) -> Result<RfTheory> {
    if lambda != 0.0 && lambda.is_finite() && !lambda.is_normal() {
        // κ₁ = λ S_X and the bottleneck factor λ/(κ₂ Π …) need λ's relative precision
        // (here, in the one builder every random-feature entry point and curve uses).
        return Err(Error::InvalidParameter {
            name: "lambda",
            value: lambda,
            reason: "subnormal (|λ| < 2.2e-308) carries no relative precision: use 0 or a normal number",
        });
    }
    let kappa2 = tr.kappa;
    let sigma2 = task.noise_variance;
    let rank = task.spectrum.rank();
    // The degrees of freedom: at κ₂ = 0 (ridgeless, min(P, N) ≥ rank) Df₁ = Df₂ = rank.
    let (df1, df2, dd) = (tr.df1, tr.df2, tr.df1_minus_df2);
    // Ridgeless bottleneck: Df₁(κ₀) = c = min capacity exactly (THEORY §4.2); factors at
    // their capacity have 1/S = 0 exactly.
    let c = feature_factors
        .iter()
        .map(|f| f.capacity())
        .fold(p, f64::min);
    let at_capacity = |cap: f64| lambda == 0.0 && kappa2 > 0.0 && cap <= c;
    // The inverse factors at Df₁(κ₂): data first, then the features. On the branch
    // `κ₂ Π_i S_i⁻¹ = λ` holds to the solver's tolerance, while the factor at the
    // bottleneck (smallest capacity) cancels, `1 − Df₁/c` with Df₁ → c as λ → 0: its
    // rounding error `ε c/(c − Df₁)·…` swamps it for λ ≪ κ₂ (issue #15). It is therefore
    // taken from the branch identity, `S_b⁻¹ = λ/(κ₂ Π_{i≠b} S_i⁻¹)`, which has no
    // cancellation; every quantity below (κ₁, S_X⁻¹, ρ, γ₁) is built from these values.
    let data = Wishart::new(p)?;
    let mut all: Vec<&dyn STransform> = Vec::with_capacity(feature_factors.len() + 1);
    all.push(&data);
    all.extend_from_slice(feature_factors);
    let mut inv: Vec<f64> = Vec::with_capacity(all.len());
    let mut dinv: Vec<f64> = Vec::with_capacity(all.len());
    for f in &all {
        if at_capacity(f.capacity()) {
            inv.push(0.0);
            dinv.push(f.inverse_derivative(c));
        } else {
            inv.push(f.inverse(df1));
            dinv.push(f.inverse_derivative(df1));
        }
    }
    if lambda != 0.0 && kappa2 != 0.0 {
        let cmin = all
            .iter()
            .map(|f| f.capacity())
            .fold(f64::INFINITY, f64::min);
        let bottleneck: Vec<usize> = (0..all.len())
            .filter(|&i| all[i].capacity().total_cmp(&cmin).is_eq())
            .collect();
        // One factor at the bottleneck (several only at a tie such as N = P, the
        // interpolation peak, where nothing can be recovered and the guards below apply).
        let mut recomputed = None;
        if let [b] = bottleneck[..]
            && cmin.is_finite()
        {
            let others: f64 = (0..all.len()).filter(|&i| i != b).map(|i| inv[i]).product();
            let vb = lambda / kappa2 / others;
            if vb.is_finite() {
                inv[b] = vb;
                recomputed = Some(b);
            }
        }
        // Resolvability of the factors computed directly (THEORY §10): Df₁ carries a
        // rounding error of ~16ε·Df₁ plus (Df₁−Df₂) times the solver's relative error of
        // κ₂ (≤ 1e-13 including its own floor check), so `S_i⁻¹` is uncertain by
        // |S_i⁻¹′|·δDf₁. Near a tie of two capacities (N ≈ P, the interpolation peak) the
        // second factor cancels too: beyond `RESOLVABLE` the result is an error.
        let d_df1 = 16.0 * f64::EPSILON * df1.abs() + 1e-13 * dd.abs();
        for i in 0..all.len() {
            if Some(i) == recomputed || inv[i] == 0.0 {
                continue;
            }
            let u = dinv[i].abs() * d_df1 / inv[i].abs();
            if u.is_nan() || u > RESOLVABLE {
                return Err(unresolvable(kappa2, u, report.iterations));
            }
        }
    }
    // Σ_F −(S⁻¹)′/S⁻¹ and Π_F S⁻¹.
    let mut inv_f = 1.0;
    let mut log_slope = 0.0;
    let mut saturated = false;
    for (&v, &dv) in inv.iter().zip(&dinv).skip(1) {
        inv_f *= v;
        if v == 0.0 {
            // At its capacity (ridgeless bottleneck): ρ = 0 exactly.
            saturated = dv != 0.0;
        } else {
            // v < 0 only for λ < 0 below a feature bottleneck (analytic continuation).
            log_slope += -dv / v;
        }
    }
    // ρ = 1/(1+x), 1 − ρ = x/(1+x), x = (Df₁−Df₂) Σ_F −(S⁻¹)′/S⁻¹ (THEORY §4.3, §5).
    let x = dd * log_slope;
    let (rho, one_minus_rho) = if (saturated && dd > 0.0) || x.is_infinite() {
        (0.0, 1.0)
    } else {
        (1.0 / (1.0 + x), x / (1.0 + x))
    };
    // S_X⁻¹ = 1 − Df₁/P.
    let inv_x = if lambda != 0.0 && kappa2 != 0.0 {
        inv[0]
    } else if at_capacity(p) {
        0.0
    } else if kappa2 == 0.0 {
        1.0 - rank / p
    } else {
        1.0 - df1 / p
    };
    // κ₁ = λ S_X (no underflow of κ₂ Π_F S_F⁻¹ at tiny λ); κ₂ Π_F S_F⁻¹ at λ = 0.
    let kappa1 = if lambda != 0.0 && kappa2 != 0.0 {
        lambda / inv_x
    } else {
        kappa2 * inv_f
    };
    let gamma = df2 / p;
    // Df₁ − ρ(Df₁−Df₂) = Df₂ + (1−ρ)(Df₁−Df₂): two non-negative terms, no cancellation.
    let gamma1 = (df2 + one_minus_rho * dd) / p;
    let one_minus_gamma1 = inv_x + rho * dd / p;
    let one_minus_gamma = inv_x + dd / p;
    if not_positive(one_minus_gamma1) || not_positive(one_minus_gamma) {
        return Err(Error::Divergent {
            what: "random-feature test error",
            reason: "γ₁ reached 1 (interpolation peak: N = P or P = rank Σ with λ = 0)",
        });
    }
    // −κ₂² tf₁′ = κ₂ (tf₁ − tf₂), from the cancellation-free sum.
    let bias2 = kappa2 * tr.tf1_minus_tf2;
    let amp = gamma / one_minus_gamma;
    let var_data = bias2 * amp;
    let var_features = one_minus_rho * kappa2 * tr.tf2;
    let data_averaged_error = bias2 + var_features;
    let signal = data_averaged_error / one_minus_gamma1;
    let var_noise = sigma2 * gamma1 / one_minus_gamma1;
    let var_noise_data = sigma2 * amp;
    let test_error = signal + var_noise;
    let train_error = inv_x * inv_x * (test_error + sigma2);
    // S_X = 1/S_X⁻¹ (negative on the continuation λ < 0); ∞ when S_X⁻¹ = 0 (ridgeless
    // interpolation) or when 1/S_X⁻¹ is not representable.
    let s_transform = if inv_x == 0.0 {
        f64::INFINITY
    } else {
        1.0 / inv_x
    };
    #[allow(deprecated)] // fills the deprecated alias field `s_transform_data`
    let out = RfTheory {
        p,
        lambda,
        kappa: kappa2,
        kappa1,
        df1,
        df2,
        rho,
        gamma1,
        gamma,
        test_error,
        train_error,
        bias2,
        var_data,
        var_features,
        var_data_features: signal - bias2 - var_data - var_features,
        var_noise,
        var_noise_data,
        var_noise_data_features: var_noise - var_noise_data,
        feature_averaged_error: bias2 + var_data + var_noise_data,
        data_averaged_error,
        gcv: test_error + sigma2,
        s_transform,
        s_transform_data: s_transform,
        solver: report,
    };
    // Every number must be finite (an overflowing input such as λ near f64::MAX has no
    // representable κ₁): an error naming the first quantity that is not.
    for (what, value) in [
        ("random-feature test error", out.test_error),
        ("random-feature training error", out.train_error),
        ("renormalized ridge κ₁", out.kappa1),
        ("renormalized ridge κ₂", out.kappa),
        (
            "random-feature variance terms",
            out.var_data + out.var_features + out.var_data_features,
        ),
        (
            "random-feature noise terms",
            out.var_noise_data + out.var_noise_data_features,
        ),
        ("random-feature ρ, γ₁", out.rho + out.gamma1),
    ] {
        if !value.is_finite() {
            return Err(Error::NonFinite { what, value });
        }
    }
    Ok(out)
}
