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
//! The free factor of the features is any [`STransform`]: isotropic ([`Wishart`] of `N`),
//! a deep chain (one [`Wishart`] per layer), or column-anisotropic weights
//! ([`GeneralizedWishart`], THEORY §2.3, §4.5b). Input-side structured weights reduce
//! exactly to the isotropic model on a transformed task ([`Task::input_structured`],
//! [`Task::input_structured_diagonal`], THEORY §4.5a). Additive feature noise is
//! [`Task::random_features_noisy`] (THEORY §4.6).
//!
//! Numerics: `1 − ρ = x/(1+x)` and `ρ = 1/(1+x)` with `x = (Df₁−Df₂) Σ_F (−(S_F⁻¹)′/S_F⁻¹)`
//! (no cancellation, and `ρ = 0` exactly when a feature factor is at its capacity);
//! `1 − γ₁ = S_X⁻¹ + ρ(Df₁−Df₂)/P` with `S_X⁻¹ = λ/(κ₂ S_F⁻¹)` for `λ > 0` (THEORY §10),
//! so both terms are non-negative and nothing cancels near the interpolation peaks.

use nalgebra::{DMatrix, DVector};

use crate::error::{Error, Result, finite, non_negative, size};
use crate::solver::{self, KappaReport, SolverParams};
use crate::spectrum::{Spectrum, Task, Traces, symmetric_eigen};
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
    /// The data S-transform `S_X = κ₁/λ = 1/(1 − Df₁/P)` (the train–test gap is `S_X²`);
    /// `∞` in the interpolating regime.
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

/// Predictions for random features with additive feature noise (THEORY §4.6).
#[must_use]
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct RfNoisyTheory {
    /// Sample size `P`.
    pub p: f64,
    /// Explicit ridge `λ`.
    pub lambda: f64,
    /// Feature-noise variance `s`.
    pub s: f64,
    /// `κ₁`, the data-renormalised ridge in feature space.
    pub kappa1: f64,
    /// `κ₂(μ)`, `μ = s + κ₁`.
    pub kappa: f64,
    /// Feature-space `Df₁_C(κ₁) = N(1 − κ₁/κ₂)`.
    pub df1: f64,
    /// Feature-space `Df₂_C = Df₁_C + κ₁ dDf₁_C/dκ₁`.
    pub df2: f64,
    /// `γ₁ = Df₂_C/P`.
    pub gamma1: f64,
    /// `E_g = E_{x,ξ}[(z·v − x·w̄)²]` without test-label noise.
    pub test_error: f64,
    /// `E_tr = (λ/κ₁)²(E_g+σ²)`.
    pub train_error: f64,
    /// Error of the data-averaged predictor, `Φ − κ₁Φ′`.
    pub data_averaged_error: f64,
    /// All noise terms `σ²γ₁/(1−γ₁)`.
    pub var_noise: f64,
    /// GCV target `E_g + σ²`.
    pub gcv: f64,
    /// Outer iterations (each one inner `κ₂` solve).
    pub iterations: usize,
}

/// Column-anisotropic random-feature weights `F = G Λ^{1/2}/√N` (feature `n` has variance
/// `Λ_n`): the generalised-Wishart S-transform (THEORY §2.3, §4.5b), evaluated numerically.
///
/// With `t = Df/N`, `1/S = θ` where `(1/N) Σ_n Λ_n/(θ + tΛ_n) = 1`; `d(1/S)/dDf` follows by
/// implicit differentiation; the capacity is the number of positive `Λ_n` (`N` when all are
/// positive). `Λ ≡ 1` is the isotropic [`Wishart`] of `N`.
#[derive(Debug, Clone, PartialEq)]
pub struct GeneralizedWishart {
    variances: Vec<f64>,
    mean: f64,
    min_positive: f64,
    positive: f64,
}

impl GeneralizedWishart {
    /// The factor for per-feature variances `Λ_n ≥ 0` (at least one positive).
    ///
    /// # Errors
    /// [`Error::Empty`] for no variances, [`Error::NonFinite`], [`Error::InvalidParameter`]
    /// for a negative variance or when all are zero.
    ///
    /// # Examples
    /// Equal variances give the isotropic factor: `1/S = c(1 − Df/N)`.
    /// ```
    /// use detridge::features::GeneralizedWishart;
    /// use detridge::stransform::STransform;
    /// let g = GeneralizedWishart::new(&[2.0; 50])?;
    /// assert!((g.inverse(10.0) - 2.0 * (1.0 - 10.0 / 50.0)).abs() < 1e-13);
    /// assert_eq!(g.capacity(), 50.0);
    /// # Ok::<(), detridge::Error>(())
    /// ```
    pub fn new(variances: &[f64]) -> Result<Self> {
        if variances.is_empty() {
            return Err(Error::Empty {
                what: "feature variances",
            });
        }
        let mut sum = 0.0;
        let mut min_positive = f64::INFINITY;
        let mut positive = 0.0;
        for &v in variances {
            non_negative("feature variance", v)?;
            sum += v;
            if v > 0.0 {
                positive += 1.0;
                min_positive = min_positive.min(v);
            }
        }
        if positive == 0.0 {
            return Err(Error::InvalidParameter {
                name: "feature variances",
                value: 0.0,
                reason: "at least one variance must be > 0",
            });
        }
        Ok(Self {
            variances: variances.to_vec(),
            mean: sum / variances.len() as f64,
            min_positive,
            positive,
        })
    }

    /// Number of features `N`.
    #[must_use]
    pub fn n(&self) -> f64 {
        self.variances.len() as f64
    }

    /// `(1/N) Σ Λ/(θ+tΛ)` and its `θ`- and `t`-derivatives.
    fn moments(&self, theta: f64, t: f64) -> (f64, f64, f64) {
        let (mut f, mut ft, mut fth) = (0.0, 0.0, 0.0);
        for &l in &self.variances {
            if l > 0.0 {
                let u = 1.0 / (theta + t * l);
                let a = l * u;
                f += a;
                fth += a * u;
                ft += a * a;
            }
        }
        let n = self.n();
        (f / n, -ft / n, -fth / n)
    }

    /// `θ(t)`: the root of `(1/N)ΣΛ/(θ+tΛ) = 1` (decreasing and convex in `θ`), by
    /// safeguarded Newton on the bracket `(max(0, −t Λ_min), mean Λ]`
    /// (`(−tΛ_min, 0]` beyond the capacity, `t > N₊/N`); NaN if 200 iterations do not
    /// converge.
    fn theta(&self, t: f64) -> f64 {
        if t <= 0.0 {
            return self.mean;
        }
        let cap_t = self.positive / self.n();
        let mut lo = if t >= cap_t {
            -t * self.min_positive
        } else {
            0.0
        };
        let mut hi = if t >= cap_t { 0.0 } else { self.mean };
        if (t - cap_t).abs() <= 4.0 * f64::EPSILON * cap_t {
            return 0.0;
        }
        let mut x = hi;
        for _ in 0..200 {
            let (f, _, fth) = self.moments(x, t);
            let g = f - 1.0;
            if g > 0.0 {
                lo = lo.max(x);
            } else {
                hi = hi.min(x);
            }
            let step = g / fth;
            let cand = x - step;
            if step.abs() <= 8.0 * f64::EPSILON * x.abs().max(f64::MIN_POSITIVE)
                || hi - lo <= 4.0 * f64::EPSILON * hi.abs().max(lo.abs())
            {
                return x;
            }
            x = if cand.is_finite() && cand > lo && cand < hi {
                cand
            } else {
                0.5 * (lo + hi)
            };
        }
        // Not converged (never observed): NaN, which the solver and the error checks of
        // `from_traces` turn into an error rather than a silently wrong number.
        f64::NAN
    }
}

impl STransform for GeneralizedWishart {
    fn inverse(&self, dof: f64) -> f64 {
        self.theta(dof / self.n())
    }
    fn inverse_derivative(&self, dof: f64) -> f64 {
        // Implicit differentiation of f(θ, t) = 1: dθ/dt = −f_t/f_θ; dt/dDf = 1/N.
        let t = dof / self.n();
        let theta = self.theta(t);
        let (_, ft, fth) = self.moments(theta, t);
        -ft / fth / self.n()
    }
    fn capacity(&self) -> f64 {
        self.positive
    }
}

/// `x ≤ 0` or NaN.
fn not_positive(x: f64) -> bool {
    x.is_nan() || x <= 0.0
}

/// Builds the random-feature theory from the traces at `κ₂` (THEORY §4.2–4.4).
fn from_traces(
    task: &Task,
    p: f64,
    lambda: f64,
    feature_factors: &[&dyn STransform],
    tr: &Traces,
    report: KappaReport,
) -> Result<RfTheory> {
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
    // Σ_F −(S⁻¹)′/S⁻¹ and Π_F S⁻¹.
    let mut inv_f = 1.0;
    let mut log_slope = 0.0;
    let mut saturated = false;
    for f in feature_factors {
        let (v, dv) = if at_capacity(f.capacity()) {
            (0.0, f.inverse_derivative(c))
        } else {
            (f.inverse(df1), f.inverse_derivative(df1))
        };
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
    let (rho, one_minus_rho) = if saturated && dd > 0.0 {
        (0.0, 1.0)
    } else {
        (1.0 / (1.0 + x), x / (1.0 + x))
    };
    // S_X⁻¹ = 1 − Df₁/P.
    let inv_x = if lambda > 0.0 {
        lambda / (kappa2 * inv_f)
    } else if at_capacity(p) {
        0.0
    } else if kappa2 == 0.0 {
        1.0 - rank / p
    } else {
        1.0 - df1 / p
    };
    let kappa1 = kappa2 * inv_f;
    let gamma = df2 / p;
    let gamma1 = (df1 - rho * dd) / p;
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
    let s_transform_data = if inv_x > 0.0 {
        1.0 / inv_x
    } else {
        f64::INFINITY
    };
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
        s_transform_data,
        solver: report,
    };
    if !out.test_error.is_finite() {
        return Err(Error::NonFinite {
            what: "random-feature test error",
            value: out.test_error,
        });
    }
    Ok(out)
}

impl Task {
    /// Random-feature theory for any list of feature factors (THEORY §4.2–4.5): the
    /// features' free factors multiply, `κ₂ = λ S_X Π S_F`.
    ///
    /// `p` may be `∞` (no data factor: the width-limited model).
    ///
    /// # Errors
    /// As [`Task::random_features`]; [`Error::Empty`] for no feature factors.
    ///
    /// # Examples
    /// A chain given as factors equals [`Task::deep_random_features`].
    /// ```
    /// use detridge::{Task, stransform::{STransform, Wishart}, solver::SolverParams};
    /// let task = Task::isotropic(100.0, 1.0, 0.1)?;
    /// let (a, b) = (Wishart::new(80.0)?, Wishart::new(150.0)?);
    /// let t = task.random_features_with(200.0, &[&a, &b], 1e-2, None, &SolverParams::default())?;
    /// let d = task.deep_random_features(200.0, &[80.0, 150.0], 1e-2)?;
    /// assert!((t.test_error - d.test_error).abs() < 1e-14);
    /// # Ok::<(), detridge::Error>(())
    /// ```
    pub fn random_features_with(
        &self,
        p: f64,
        feature_factors: &[&dyn STransform],
        lambda: f64,
        guess: Option<f64>,
        params: &SolverParams,
    ) -> Result<RfTheory> {
        if feature_factors.is_empty() {
            return Err(Error::Empty {
                what: "feature factors",
            });
        }
        let p = size("p", p, true)?;
        let data = Wishart::new(p)?;
        let mut factors: Vec<&dyn STransform> = Vec::with_capacity(feature_factors.len() + 1);
        factors.push(&data);
        factors.extend_from_slice(feature_factors);
        let (report, tr) = solver::solve(self, &factors, lambda, guess, params)?;
        from_traces(self, p, lambda, feature_factors, &tr, report)
    }

    /// Linear random features with `F` entries `N(0, 1/N)` (THEORY §4.2–4.4): `p` samples,
    /// `n` features, ridge `λ`. `n = ∞` is linear ridge ([`Task::ridge`]); `p = ∞` is the
    /// width-limited model.
    ///
    /// Ridgeless (`λ = 0`): `Df₁(κ₂) = min(P, N)`, `κ₁ = 0` if `N < P` and
    /// `κ₁ = κ₂(1 − Df₁/N)` otherwise (THEORY §4.2). Negative `λ` down to the solver's
    /// minimum is the analytic continuation of the same formulas (continuous through
    /// `λ = 0`; not checked against simulation).
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] for `p ≤ 0` or `n ≤ 0`, [`Error::NonFinite`] for NaN
    /// inputs or infinite `λ`, [`Error::RidgeBelowMinimum`] for `λ` below the admissible
    /// minimum, [`Error::Divergent`] at the interpolation peak (`N = P < rank Σ`, or
    /// `P = rank Σ`, with `λ = 0`), [`Error::NoConvergence`] if the solver fails.
    ///
    /// # Examples
    /// ```
    /// use detridge::Task;
    /// let task = Task::power_law(1.5, 0.6, Some(300), 0.09)?;
    /// let t = task.random_features(200.0, 400.0, 1e-3)?;
    /// let sum = t.bias2 + t.var_data + t.var_features + t.var_data_features + t.var_noise;
    /// assert!((sum - t.test_error).abs() < 1e-12 * t.test_error);
    /// // The train–test gap is the data S-transform squared (THEORY §4.3).
    /// let gap = (t.test_error + 0.09) / t.train_error;
    /// assert!((gap - t.s_transform_data.powi(2)).abs() < 1e-9 * gap);
    /// # Ok::<(), detridge::Error>(())
    /// ```
    pub fn random_features(&self, p: f64, n: f64, lambda: f64) -> Result<RfTheory> {
        let f = Wishart::new(n)?;
        self.random_features_with(p, &[&f], lambda, None, &SolverParams::default())
    }

    /// Deep linear random-feature chain `F = F₁⋯F_L`, `F_l` entries `N(0, 1/N_l)`
    /// (THEORY §5): `κ₂(1 − Df₁/P) Π_l (1 − Df₁/N_l) = λ`,
    /// `ρ = 1/(1 + Σ_l (Df₁−Df₂)/(N_l−Df₁))`.
    ///
    /// # Errors
    /// As [`Task::random_features`]; [`Error::Empty`] for no layers.
    ///
    /// # Examples
    /// One layer is the isotropic model.
    /// ```
    /// use detridge::Task;
    /// let task = Task::power_law(1.5, 0.6, Some(300), 0.09)?;
    /// let a = task.deep_random_features(200.0, &[400.0], 1e-3)?;
    /// let b = task.random_features(200.0, 400.0, 1e-3)?;
    /// assert!((a.test_error - b.test_error).abs() < 1e-14);
    /// # Ok::<(), detridge::Error>(())
    /// ```
    pub fn deep_random_features(&self, p: f64, widths: &[f64], lambda: f64) -> Result<RfTheory> {
        if widths.is_empty() {
            return Err(Error::Empty {
                what: "layer widths",
            });
        }
        let layers: Vec<Wishart> = widths
            .iter()
            .map(|&n| Wishart::new(n))
            .collect::<Result<_>>()?;
        let factors: Vec<&dyn STransform> = layers.iter().map(|w| w as &dyn STransform).collect();
        self.random_features_with(p, &factors, lambda, None, &SolverParams::default())
    }

    /// Column-anisotropic random features `F = G Λ^{1/2}/√N` with per-feature variances
    /// `Λ_n` (THEORY §4.5b), through the generalised-Wishart S-transform
    /// ([`GeneralizedWishart`]).
    ///
    /// # Errors
    /// As [`Task::random_features`] and [`GeneralizedWishart::new`].
    ///
    /// # Examples
    /// ```
    /// use detridge::Task;
    /// let task = Task::power_law(1.5, 0.6, Some(300), 0.09)?;
    /// let a = task.random_features_anisotropic(200.0, &[1.0; 400], 1e-3)?;
    /// let b = task.random_features(200.0, 400.0, 1e-3)?;
    /// assert!((a.test_error - b.test_error).abs() < 1e-10 * b.test_error);
    /// # Ok::<(), detridge::Error>(())
    /// ```
    pub fn random_features_anisotropic(
        &self,
        p: f64,
        variances: &[f64],
        lambda: f64,
    ) -> Result<RfTheory> {
        let g = GeneralizedWishart::new(variances)?;
        self.random_features_with(p, &[&g], lambda, None, &SolverParams::default())
    }

    /// The reduced task of input-side structured weights `F = Ω^{1/2}G/√N` when `Ω`
    /// commutes with `Σ` (THEORY §4.5a): per stored spectrum entry, `s_k → s_k ω_k` and
    /// `w̄_k² → w̄_k²/ω_k`. Random features on the returned task are the structured model.
    ///
    /// # Errors
    /// [`Error::Unsupported`] for an analytic spectrum, [`Error::LengthMismatch`] unless
    /// there is one `ω` per stored entry, [`Error::InvalidParameter`] for `ω_k ≤ 0`,
    /// [`Error::NonFinite`].
    ///
    /// # Examples
    /// ```
    /// use detridge::Task;
    /// let task = Task::isotropic(100.0, 1.0, 0.1)?;
    /// let t = task.input_structured_diagonal(&[2.0])?;
    /// // Σ → 2Σ, w̄² → w̄²/2: the same model as λ → λ/2 (THEORY §4.1).
    /// let a = t.random_features(150.0, 80.0, 0.02)?;
    /// let b = task.random_features(150.0, 80.0, 0.01)?;
    /// assert!((a.test_error - b.test_error).abs() < 1e-12);
    /// # Ok::<(), detridge::Error>(())
    /// ```
    pub fn input_structured_diagonal(&self, omega: &[f64]) -> Result<Task> {
        let (d, w2) = self.discrete_target().ok_or(Error::Unsupported(
            "input-structured weights need a finite spectrum",
        ))?;
        if omega.len() != d.values.len() {
            return Err(Error::LengthMismatch {
                what: "omega vs spectrum entries",
                expected: d.values.len(),
                got: omega.len(),
            });
        }
        let mut values = Vec::with_capacity(omega.len());
        let mut mult = Vec::with_capacity(omega.len());
        let mut power = Vec::with_capacity(omega.len());
        for (i, &o) in omega.iter().enumerate() {
            crate::error::positive("omega", o)?;
            values.push(d.values[i] * o);
            mult.push(d.multiplicity(i));
            power.push(w2[i] / o);
        }
        Task::with_target_power(
            Spectrum::with_multiplicities(&values, &mult)?,
            &power,
            self.noise_variance,
        )
    }

    /// The reduced task of input-side structured weights `F = Ω^{1/2}G/√N` for a general
    /// (positive-definite) `Ω` given in `Σ`'s eigenbasis (THEORY §4.5a, exact reduction):
    /// `Σ_t = Ω^{1/2}ΣΩ^{1/2}`, `w̄_t = Ω^{−1/2}w̄`, then eigendecomposed.
    ///
    /// Since a [`Task`] stores only `w̄_k²`, the signed target `wbar` (in `Σ`'s eigenbasis,
    /// one entry per stored eigenvalue) must be given; `wbar_k²` must equal the task's
    /// target power. The task must have `D` distinct stored directions (multiplicities one,
    /// no zero eigenvalues), in the order of its stored entries.
    ///
    /// # Errors
    /// [`Error::Unsupported`] for analytic spectra or multiplicities / a null space,
    /// [`Error::LengthMismatch`], [`Error::InvalidParameter`] if `wbar²` does not match the
    /// task, [`Error::NotPositiveSemiDefinite`] unless `Ω` is symmetric positive definite,
    /// [`Error::Decomposition`] if an eigensolver fails.
    ///
    /// # Examples
    /// A diagonal `Ω` agrees with [`Task::input_structured_diagonal`].
    /// ```
    /// use detridge::Task;
    /// use nalgebra::{DMatrix, DVector};
    /// let eig = [1.0, 0.5, 0.25, 0.125];
    /// let w = [0.5, -0.5, 0.5, 0.5];
    /// let task = Task::from_weights(&eig, &w, 0.1)?;
    /// let om = [2.0, 1.0, 0.5, 3.0];
    /// let a = task.input_structured(&DMatrix::from_diagonal(&DVector::from_column_slice(&om)), &w)?;
    /// let b = task.input_structured_diagonal(&om)?;
    /// let (ta, tb) = (a.random_features(3.0, 2.0, 0.1)?, b.random_features(3.0, 2.0, 0.1)?);
    /// assert!((ta.test_error - tb.test_error).abs() < 1e-12);
    /// # Ok::<(), detridge::Error>(())
    /// ```
    pub fn input_structured(&self, omega: &DMatrix<f64>, wbar: &[f64]) -> Result<Task> {
        let (d, w2) = self.discrete_target().ok_or(Error::Unsupported(
            "input-structured weights need a finite spectrum",
        ))?;
        let n = d.values.len();
        if d.mult.is_some() || (d.dim - n as f64).abs() > 0.5 {
            return Err(Error::Unsupported(
                "a general Ω needs one stored entry per direction (no multiplicities or null space)",
            ));
        }
        if omega.nrows() != n || omega.ncols() != n {
            return Err(Error::LengthMismatch {
                what: "omega vs spectrum dimension",
                expected: n,
                got: omega.nrows().max(omega.ncols()),
            });
        }
        if wbar.len() != n {
            return Err(Error::LengthMismatch {
                what: "wbar vs spectrum dimension",
                expected: n,
                got: wbar.len(),
            });
        }
        for (&w, &p2) in wbar.iter().zip(&w2) {
            finite("target weight", w)?;
            if (w * w - p2).abs() > 1e-10 * p2.max(f64::MIN_POSITIVE) {
                return Err(Error::InvalidParameter {
                    name: "wbar",
                    value: w,
                    reason: "wbar_k^2 must equal the task's target power of entry k",
                });
            }
        }
        let (o, v) = symmetric_eigen(omega, "omega")?;
        if let Some(&m) = o.iter().find(|&&x| x <= 0.0) {
            return Err(Error::NotPositiveSemiDefinite {
                what: "omega",
                reason: format!("eigenvalue {m} is not > 0 (Ω must be positive definite)"),
            });
        }
        // Ω^{±1/2} = V diag(o^{±1/2}) Vᵀ.
        let half = &v
            * DMatrix::from_diagonal(&DVector::from_iterator(n, o.iter().map(|x| x.sqrt())))
            * v.transpose();
        let mhalf = &v
            * DMatrix::from_diagonal(&DVector::from_iterator(n, o.iter().map(|x| 1.0 / x.sqrt())))
            * v.transpose();
        let sigma = DMatrix::from_diagonal(&DVector::from_column_slice(&d.values));
        let mut sigma_t = &half * sigma * &half;
        // Symmetrise the round-off before the symmetry check of the eigensolver.
        let st = sigma_t.transpose();
        sigma_t = (sigma_t + st) * 0.5;
        let wbar_t = &mhalf * DVector::from_column_slice(wbar);
        Task::from_covariance(&sigma_t, &wbar_t, self.noise_variance)
    }

    /// Random features with additive feature noise, `z = Fᵀx + ξ`, `ξ ~ N(0, s I_N)` fresh
    /// for every sample (train and test), `F` entries `N(0, 1/N)` (THEORY §4.6).
    ///
    /// With `μ = s + κ₁` and `κ₂(μ)(1 − Df₁(κ₂)/N) = μ`: `Df₁_C = N(1 − κ₁/κ₂)` (the same as
    /// THEORY's `N − κ₁(N − Df₁)/μ`), `κ₁(1 − Df₁_C/P) = λ`. Derivatives are analytic:
    /// `dκ₂/dμ = 1/(1 − Df₂/N)`, so `Df₂_C = N[1 − 2κ₁/κ₂ + (κ₁/κ₂)² dκ₂/dμ]` and
    /// `Φ − κ₁Φ′ = κ₂tf₁(κ₂) − κ₁ (dκ₂/dμ) tf₂(κ₂)` (`Φ = κ₂tf₁(κ₂)`). `s = 0` reproduces
    /// [`Task::random_features`].
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] for `p, n ≤ 0`, `s < 0` or `λ ≤ 0` (only positive ridges
    /// are supported here), [`Error::NonFinite`], [`Error::NoConvergence`],
    /// [`Error::Divergent`] if `γ₁ ≥ 1`.
    ///
    /// # Examples
    /// ```
    /// use detridge::Task;
    /// let task = Task::power_law(1.5, 0.6, Some(300), 0.09)?;
    /// let a = task.random_features_noisy(200.0, 400.0, 0.0, 1e-2)?;
    /// let b = task.random_features(200.0, 400.0, 1e-2)?;
    /// assert!((a.test_error - b.test_error).abs() < 1e-9 * b.test_error);
    /// let c = task.random_features_noisy(200.0, 400.0, 0.1, 1e-2)?;
    /// assert!(c.test_error > b.test_error);
    /// # Ok::<(), detridge::Error>(())
    /// ```
    pub fn random_features_noisy(
        &self,
        p: f64,
        n: f64,
        s: f64,
        lambda: f64,
    ) -> Result<RfNoisyTheory> {
        let p = size("p", p, false)?;
        let n = size("n", n, false)?;
        non_negative("s", s)?;
        finite("lambda", lambda)?;
        if lambda <= 0.0 {
            return Err(Error::InvalidParameter {
                name: "lambda",
                value: lambda,
                reason: "additive feature noise is supported for λ > 0 only",
            });
        }
        let params = SolverParams::default();
        let wn = Wishart::new(n)?;
        let sigma2 = self.noise_variance;
        // Inner solve at κ₁: returns (Df₁_C, Df₂_C, Φ − κ₁Φ′, κ₂).
        let mut guess: Option<f64> = None;
        let mut eval = |k1: f64| -> Result<(f64, f64, f64, f64)> {
            let mu = s + k1;
            let (_, tr) = solver::solve(self, &[&wn], mu, guess, &params)?;
            let k2 = tr.kappa;
            guess = Some(k2);
            let ratio = k1 / k2;
            // 1 − Df₂/N on the branch: μ/κ₂ + (Df₁−Df₂)/N.
            let dk2 = 1.0 / (mu / k2 + tr.df1_minus_df2 / n);
            let df1c = n * (1.0 - ratio);
            let df2c = n * (1.0 - 2.0 * ratio + ratio * ratio * dk2);
            let num = k2 * tr.tf1 - k1 * dk2 * tr.tf2;
            Ok((df1c, df2c, num, k2))
        };
        // h(κ₁) = κ₁(1 − Df₁_C/P) − λ is increasing on the branch with slope 1 − γ₁;
        // h(λ) ≤ 0. Safeguarded Newton in ln κ₁ with an upward-doubling bracket.
        let mut lo = lambda.ln();
        let mut hi = f64::INFINITY;
        let mut x = lo;
        let mut last = f64::NAN;
        for it in 1..=params.max_iter {
            let k1 = x.exp();
            let (df1c, df2c, num, k2) = eval(k1)?;
            let h = k1 * (1.0 - df1c / p) - lambda;
            let slope = 1.0 - df2c / p; // dh/dκ₁
            last = h.abs();
            if h < 0.0 {
                lo = lo.max(x);
            } else {
                hi = hi.min(x);
            }
            // Newton step in ln κ₁: dh/d ln κ₁ = κ₁ slope.
            let step = h / (k1 * slope);
            let converged = (slope > 0.0 && step.abs() <= 1e-13) || hi - lo <= 1e-14;
            if converged {
                let one_minus_gamma1 = 1.0 - df2c / p;
                if not_positive(one_minus_gamma1) {
                    return Err(Error::Divergent {
                        what: "noisy random-feature test error",
                        reason: "γ₁ reached 1",
                    });
                }
                let gamma1 = df2c / p;
                let test_error = (num + gamma1 * sigma2) / one_minus_gamma1;
                let r = lambda / k1;
                return Ok(RfNoisyTheory {
                    p,
                    lambda,
                    s,
                    kappa1: k1,
                    kappa: k2,
                    df1: df1c,
                    df2: df2c,
                    gamma1,
                    test_error,
                    train_error: r * r * (test_error + sigma2),
                    data_averaged_error: num,
                    var_noise: sigma2 * gamma1 / one_minus_gamma1,
                    gcv: test_error + sigma2,
                    iterations: it,
                });
            }
            let cand = x - step;
            x = if slope > 0.0 && cand.is_finite() && cand > lo && cand < hi {
                cand
            } else if hi.is_finite() {
                0.5 * (lo + hi)
            } else {
                x + 1.0
            };
        }
        Err(Error::NoConvergence {
            what: "noisy random features κ₁",
            iterations: params.max_iter,
            residual: last,
            last: x.exp(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generalized_wishart_derivative_matches_finite_difference() {
        let lam: Vec<f64> = (1..=200).map(|n| (n as f64).powf(-0.8)).collect();
        let g = GeneralizedWishart::new(&lam).unwrap();
        for &dof in &[1.0, 50.0, 150.0, 199.0] {
            let h = 1e-4;
            let fd = (g.inverse(dof + h) - g.inverse(dof - h)) / (2.0 * h);
            let an = g.inverse_derivative(dof);
            assert!((fd - an).abs() < 1e-6 * an.abs(), "{dof}: {fd} vs {an}");
        }
        assert!(g.inverse(200.0).abs() < 1e-12);
        assert!(g.inverse(210.0) < 0.0);
    }
}
