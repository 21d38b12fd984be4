//! Linear ridge regression theory (THEORY §3).
//!
//! `ŵ = (XᵀX/P + λ)⁻¹Xᵀy/P` on `P` Gaussian samples of a [`Task`]. The renormalized ridge
//! solves `κ (1 − Df₁(κ)/P) = λ` (THEORY §2.1); with `γ = Df₂(κ)/P` the deterministic
//! equivalents are (THEORY §3.1–3.2)
//!
//! * `bias² = −κ² tf₁′(κ)`, `Var_X = bias² γ/(1−γ)`, `Var_Xε = σ² γ/(1−γ)`,
//! * `E_g = (bias² + γσ²)/(1−γ)` (excess risk, test-label noise **not** included),
//! * `E_tr = (λ/κ)² (E_g + σ²)`, so the train–test gap `(E_g + σ²)/E_tr = S²` with
//!   `S = κ/λ` the S-transform of the data factor,
//! * GCV `Ŝ² E_tr` concentrates on `E_g + σ²`.
//!
//! `1 − γ` is evaluated as `λ/κ + (Df₁−Df₂)/P` (two non-negative terms for `λ ≥ 0`, no
//! cancellation near the interpolation peak; THEORY §10).
//!
//! # Entry points (methods on [`Task`])
//! * [`Task::ridge`], [`Task::ridge_with`] (warm start, [`SolverParams`]) → [`RidgeTheory`].
//! * Curves ([`Curve`](crate::solver::Curve), one result per point):
//!   [`Task::ridge_curve_p`], [`Task::ridge_curve_lambda`].
//! * [`Task::optimal_ridge`] → [`OptimalRidge`] (THEORY §3.4); [`Task::min_ridge`], the
//!   smallest admissible (negative) ridge.
//! * [`Task::ridge_ood`] → [`OodTheory`] (a test covariance sharing `Σ`'s eigenvectors,
//!   THEORY §3.5).

mod curve;
mod ood;
mod optimal;

pub use ood::OodTheory;
pub use optimal::OptimalRidge;

use crate::error::{Error, Result, size};
use crate::numeric::{KappaReport, SolverParams};
use crate::solver;
use crate::spectrum::{Task, Traces};
use crate::stransform::{STransform, Wishart};

/// Deterministic-equivalent predictions for linear ridge regression at one `(P, λ)`.
#[must_use]
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct RidgeTheory {
    /// Sample size `P`.
    pub p: f64,
    /// Explicit ridge `λ` (1/P convention).
    pub lambda: f64,
    /// Renormalized ridge `κ` (THEORY §2.1).
    pub kappa: f64,
    /// `Df₁(κ) = Tr Σ(Σ+κ)⁻¹` (unnormalised; the normalised `df₁` is `Df₁/D`).
    pub df1: f64,
    /// `Df₂(κ) = Tr Σ²(Σ+κ)⁻²` (unnormalised).
    pub df2: f64,
    /// `γ = Df₂/P`.
    pub gamma: f64,
    /// `dκ/dλ = 1/(1−γ)` (THEORY §2.1).
    pub dkappa_dlambda: f64,
    /// Generalisation error `E_g` (excess risk, without test-label noise; THEORY §3.1).
    pub test_error: f64,
    /// Training error `E_tr = |y − Xŵ|²/P` (THEORY §3.2).
    pub train_error: f64,
    /// `bias² = |E ŵ − w̄|²_Σ = −κ² tf₁′(κ)`.
    pub bias2: f64,
    /// Variance over the data draw, `Var_X = bias² γ/(1−γ)`.
    pub var_data: f64,
    /// Variance from the label noise, `Var_Xε = σ² γ/(1−γ)`.
    pub var_noise: f64,
    /// The S-transform `S = κ/λ = 1/(1 − Df₁/P)`: the train–test gap
    /// `(E_g + σ²)/E_tr = S²`. `∞` in the ridgeless interpolating regime.
    pub s_transform: f64,
    /// The value GCV (`Ŝ² E_tr`) concentrates on: `E_g + σ²`.
    pub gcv: f64,
    /// Solver diagnostics.
    pub solver: KappaReport,
}

impl RidgeTheory {
    /// Deprecated name of the field [`RidgeTheory::gcv`] (`E_g + σ²`, the risk against
    /// noisy test labels).
    #[deprecated(
        since = "0.2.0",
        note = "use the field `gcv` (the same name in every result)"
    )]
    #[must_use]
    pub fn noisy_test_error(&self) -> f64 {
        self.gcv
    }

    /// The classic bias of the ridge estimator, `bias² + Var_X` (THEORY §3.1): the error
    /// of the noiseless-label fit, i.e. the "bias" of the decomposition of Hastie,
    /// Montanari, Rosset and Tibshirani (2022), which averages over the data draw inside
    /// the bias. The fine-grained decomposition of this crate splits it into `bias2`
    /// (error of the data-averaged predictor) and `var_data`.
    ///
    /// # Examples
    /// ```
    /// use detridge::Task;
    /// let t = Task::power_law(1.5, 0.5, Some(500), 0.2)?.ridge(300.0, 1e-3)?;
    /// assert!((t.classic_bias2() + t.var_noise - t.test_error).abs() < 1e-14 * t.test_error);
    /// // Noiseless labels: the whole error is the classic bias.
    /// let clean = Task::power_law(1.5, 0.5, Some(500), 0.0)?.ridge(300.0, 1e-3)?;
    /// assert!((clean.classic_bias2() - clean.test_error).abs() < 1e-15);
    /// # Ok::<(), detridge::Error>(())
    /// ```
    #[must_use]
    pub fn classic_bias2(&self) -> f64 {
        self.bias2 + self.var_data
    }
}

/// Linear ridge theory at sample size `p` from precomputed traces (THEORY §3.1–3.3).
pub(crate) fn from_traces(
    task: &Task,
    p: f64,
    lambda: f64,
    tr: &Traces,
    report: KappaReport,
) -> Result<RidgeTheory> {
    let kappa = tr.kappa;
    let sigma2 = task.noise_variance;
    let rank = task.spectrum.rank();
    let gamma = tr.df2 / p;
    // 1 − Df₁/P: λ/κ on the branch, 1 − rank/P at κ = 0 (ridgeless, P > rank).
    let one_minus_df1 = if kappa == 0.0 {
        1.0 - rank / p
    } else {
        lambda / kappa
    };
    let one_minus_gamma = if kappa == 0.0 {
        1.0 - rank / p
    } else {
        one_minus_df1 + tr.df1_minus_df2 / p
    };
    if one_minus_gamma.is_nan() || one_minus_gamma <= 0.0 {
        return Err(Error::Divergent {
            what: "test error",
            reason: "γ = Df2/P reached 1 (interpolation threshold P = rank Σ with λ = 0)",
        });
    }
    let amp = gamma / one_minus_gamma;
    // −κ² tf₁′ = κ (tf₁ − tf₂) (THEORY §1 identity), from the cancellation-free sum.
    let bias2 = kappa * tr.tf1_minus_tf2;
    let var_data = bias2 * amp;
    let var_noise = sigma2 * amp;
    let test_error = bias2 + var_data + var_noise;
    let train_error = one_minus_df1 * one_minus_df1 * (test_error + sigma2);
    let s_transform = if kappa == 0.0 {
        1.0 / one_minus_df1
    } else if lambda == 0.0 {
        f64::INFINITY
    } else {
        kappa / lambda
    };
    let out = RidgeTheory {
        p,
        lambda,
        kappa,
        df1: tr.df1,
        df2: tr.df2,
        gamma,
        dkappa_dlambda: 1.0 / one_minus_gamma,
        test_error,
        train_error,
        bias2,
        var_data,
        var_noise,
        s_transform,
        gcv: test_error + sigma2,
        solver: report,
    };
    // Every number must be finite: an input whose errors overflow (a target or noise
    // near f64::MAX, a ridge near λ_min of a spectrum near f64::MAX) is an error naming
    // the quantity, never an ∞ or NaN in a result. `s_transform` is ±∞ by definition
    // where 1 − Df₁/P vanishes (or 1/(1 − Df₁/P) overflows).
    for (what, value) in [
        ("test error", out.test_error),
        ("training error", out.train_error),
        ("renormalized ridge κ", out.kappa),
        ("degrees of freedom Df1, Df2", out.df1 + out.df2),
        (
            "error terms bias², Var_X, Var_Xε",
            out.bias2 + out.var_data + out.var_noise,
        ),
        ("dκ/dλ", out.dkappa_dlambda),
        ("gcv", out.gcv),
    ] {
        if !value.is_finite() {
            return Err(Error::NonFinite { what, value });
        }
    }
    Ok(out)
}

impl Task {
    pub(crate) fn data_factor(p: f64) -> Result<Wishart> {
        Wishart::new(size("p", p, false)?)
    }

    /// Linear ridge theory at sample size `p` and ridge `λ` (THEORY §3).
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] for `p ≤ 0`, [`Error::NonFinite`] for NaN/∞ inputs,
    /// [`Error::RidgeBelowMinimum`] for `λ` below the admissible minimum,
    /// [`Error::Divergent`] at the interpolation peak (`λ = 0`, `P = rank Σ`),
    /// [`Error::NoConvergence`] if the solver fails.
    ///
    /// # Examples
    /// Ridgeless, isotropic, `P > D`: `E_g = σ² D/(P − D)` (THEORY §3.3).
    /// ```
    /// use detridge::Task;
    /// let task = Task::isotropic(100.0, 1.0, 0.5)?;
    /// let t = task.ridge(400.0, 0.0)?;
    /// assert!((t.test_error - 0.5 * 100.0 / 300.0).abs() < 1e-12);
    /// assert!((t.train_error - 0.5 * (1.0 - 0.25)).abs() < 1e-12);
    /// # Ok::<(), detridge::Error>(())
    /// ```
    pub fn ridge(&self, p: f64, lambda: f64) -> Result<RidgeTheory> {
        self.ridge_with(p, lambda, None, &SolverParams::default())
    }

    /// [`Task::ridge`] with a warm-start guess for `κ` and explicit solver parameters.
    ///
    /// # Errors
    /// As [`Task::ridge`].
    pub fn ridge_with(
        &self,
        p: f64,
        lambda: f64,
        guess: Option<f64>,
        params: &SolverParams,
    ) -> Result<RidgeTheory> {
        let w = Self::data_factor(p)?;
        let factors: [&dyn STransform; 1] = [&w];
        let (report, tr) = solver::solve(self, &factors, lambda, guess, params)?;
        from_traces(self, p, lambda, &tr, report)
    }

    /// Smallest admissible ridge at sample size `p` (negative unless `P = rank Σ`).
    ///
    /// # Errors
    /// As [`solver::min_ridge`].
    pub fn min_ridge(&self, p: f64) -> Result<f64> {
        let w = Self::data_factor(p)?;
        solver::min_ridge(&self.spectrum, &[&w], &SolverParams::default())
    }
}
