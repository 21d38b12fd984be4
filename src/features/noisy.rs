//! Random features with additive feature noise `z = Fᵀx + ξ` (THEORY §4.6).

use super::not_positive;
use crate::error::{Error, Result, non_negative, size};
use crate::numeric::{Bracket, SolverParams};
use crate::solver;
use crate::spectrum::Task;
use crate::stransform::Wishart;

/// Predictions for random features with additive feature noise (THEORY §4.6).
///
/// Field names are those of [`RfTheory`](super::RfTheory) where the quantity is the same
/// (`kappa`, `kappa1`, `gamma1`, `test_error`, `train_error`, `data_averaged_error`,
/// `var_noise`, `gcv`, `s_transform`); the degrees of freedom here live in feature space
/// (`df1_features`, `df2_features`).
#[must_use]
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct NoisyRfTheory {
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
    pub df1_features: f64,
    /// Feature-space `Df₂_C = Df₁_C + κ₁ dDf₁_C/dκ₁`.
    pub df2_features: f64,
    /// Deprecated name of [`NoisyRfTheory::df1_features`] (a feature-space quantity, not
    /// the input-space `Df₁` of the other results).
    #[deprecated(since = "0.2.0", note = "use `df1_features`")]
    pub df1: f64,
    /// Deprecated name of [`NoisyRfTheory::df2_features`].
    #[deprecated(since = "0.2.0", note = "use `df2_features`")]
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
    /// The data S-transform `κ₁/λ = 1/(1 − Df₁_C/P)`, the train–test gap factor
    /// `(E_g + σ²)/E_tr = S²`.
    pub s_transform: f64,
    /// Outer iterations (each one inner `κ₂` solve).
    pub iterations: usize,
}

/// Deprecated name of [`NoisyRfTheory`].
#[deprecated(since = "0.2.0", note = "renamed to `NoisyRfTheory`")]
pub type RfNoisyTheory = NoisyRfTheory;

impl Task {
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
    /// [`Error::InvalidParameter`] for `p, n ≤ 0`, `s < 0`, `λ < 0`, or `λ = 0` with
    /// `s = 0` (use [`Task::random_features`] there), [`Error::NonFinite`],
    /// [`Error::NoConvergence`], [`Error::Divergent`] if `γ₁ ≥ 1` (e.g. `λ = 0`, `N = P`).
    ///
    /// Ridgeless limit `λ = 0` (with `s > 0`): the feature covariance is full rank, so
    /// `κ₁ = 0` for `N < P` (`E_tr = (1 − N/P)²(E_g + σ²)`), and for `N > P` `κ₁ > 0` is the
    /// root of `Df₁_C(κ₁) = P` (`E_tr = 0`, interpolation).
    ///
    /// # Examples
    /// ```
    /// use detridge::Task;
    /// let task = Task::power_law(1.5, 0.6, Some(300), 0.09)?;
    /// let a = task.noisy_random_features(200.0, 400.0, 0.0, 1e-2)?;
    /// let b = task.random_features(200.0, 400.0, 1e-2)?;
    /// assert!((a.test_error - b.test_error).abs() < 1e-9 * b.test_error);
    /// let c = task.noisy_random_features(200.0, 400.0, 0.1, 1e-2)?;
    /// assert!(c.test_error > b.test_error);
    /// # Ok::<(), detridge::Error>(())
    /// ```
    pub fn noisy_random_features(
        &self,
        p: f64,
        n: f64,
        s: f64,
        lambda: f64,
    ) -> Result<NoisyRfTheory> {
        self.noisy_random_features_with(p, n, s, lambda, &SolverParams::default())
    }

    /// Deprecated name of [`Task::noisy_random_features`].
    ///
    /// # Errors
    /// As [`Task::noisy_random_features`].
    #[deprecated(since = "0.2.0", note = "renamed to `noisy_random_features`")]
    pub fn random_features_noisy(
        &self,
        p: f64,
        n: f64,
        s: f64,
        lambda: f64,
    ) -> Result<NoisyRfTheory> {
        self.noisy_random_features(p, n, s, lambda)
    }

    /// [`Task::noisy_random_features`] with explicit solver parameters (for the inner `κ₂`
    /// solves and the outer Newton iteration in `ln κ₁`: `max_iter` each, converged at
    /// a step or bracket below `rel_tol`).
    ///
    /// # Errors
    /// As [`Task::noisy_random_features`]; [`Error::InvalidParameter`] for bad `params`.
    ///
    /// # Examples
    /// ```
    /// use detridge::{Task, solver::SolverParams};
    /// let task = Task::isotropic(100.0, 1.0, 0.1)?;
    /// let params = SolverParams { max_iter: 100, ..Default::default() };
    /// let t = task.noisy_random_features_with(150.0, 80.0, 0.05, 1e-2, &params)?;
    /// assert!(t.iterations <= 100);
    /// # Ok::<(), detridge::Error>(())
    /// ```
    pub fn noisy_random_features_with(
        &self,
        p: f64,
        n: f64,
        s: f64,
        lambda: f64,
        params: &SolverParams,
    ) -> Result<NoisyRfTheory> {
        params.validate()?;
        let p = size("p", p, false)?;
        let n = size("n", n, false)?;
        non_negative("s", s)?;
        non_negative("lambda", lambda)?;
        if lambda == 0.0 && s == 0.0 {
            return Err(Error::InvalidParameter {
                name: "s",
                value: s,
                reason: "λ = 0 needs feature noise s > 0 (use random_features for s = 0)",
            });
        }
        if lambda == 0.0 && n - p == 0.0 {
            return Err(Error::Divergent {
                what: "noisy random-feature test error",
                reason: "ridgeless with N = P (γ₁ = 1)",
            });
        }
        let wn = Wishart::new(n)?;
        let sigma2 = self.noise_variance;
        // Inner solve at κ₁: returns (Df₁_C, Df₂_C, Φ − κ₁Φ′, κ₂).
        let mut guess: Option<f64> = None;
        let mut eval = |k1: f64| -> Result<(f64, f64, f64, f64)> {
            let mu = s + k1;
            let (_, tr) = solver::solve(self, &[&wn], mu, guess, params)?;
            let k2 = tr.kappa;
            guess = Some(k2);
            // 1 − Df₂/N on the branch: μ/κ₂ + (Df₁−Df₂)/N.
            let dk2 = 1.0 / (mu / k2 + tr.df1_minus_df2 / n);
            // Without cancellation at large N (issue #15): on the branch
            // κ₂ − μ = κ₂Df₁/N, so a = 1 − κ₁/κ₂ = Df₁/N + s/κ₂ (two non-negative terms),
            // Df₁_C = N a = Df₁ + N s/κ₂, and with 1 − 2(1−a) + (1−a)² dκ₂/dμ
            // = dκ₂/dμ·[(Df₂/N)(1 − 2a) + a²]: Df₂_C = dκ₂/dμ·[Df₂(1 − 2a) + Df₁_C a].
            // Φ − κ₁Φ′ = κ₂(tf₁ − tf₂) + tf₂ (κ₂ − κ₁ dκ₂/dμ), κ₂ − κ₁ dκ₂/dμ
            // = dκ₂/dμ (s + κ₂ (Df₁−Df₂)/N).
            let a = tr.df1 / n + s / k2;
            let df1c = tr.df1 + n * (s / k2);
            let df2c = dk2 * (tr.df2 * (1.0 - 2.0 * a) + df1c * a);
            let num = k2 * tr.tf1_minus_tf2 + tr.tf2 * dk2 * (s + k2 * tr.df1_minus_df2 / n);
            Ok((df1c, df2c, num, k2))
        };
        // h(κ₁) = κ₁(1 − Df₁_C/P) − λ is increasing on the branch with slope 1 − γ₁;
        // h(λ) ≤ 0. Safeguarded Newton in ln κ₁ with an upward bracket opened by unit
        // steps; converged when the Newton step in ln κ₁ or the bracket is below
        // `rel_tol`.
        // Ridgeless (λ = 0, s > 0): Df₁_C(0) = N (the noise makes the feature covariance
        // full rank), so κ₁ = 0 for N < P (one evaluation) and otherwise the root of
        // Df₁_C(κ₁) = P, searched from κ₁ = s with a bracket open on both sides.
        let underparameterized_ridgeless = lambda == 0.0 && n < p;
        let lo = if lambda > 0.0 {
            lambda.ln()
        } else {
            f64::NEG_INFINITY
        };
        let mut bracket = Bracket::with_expansion(lo, f64::INFINITY, 1.0, 1.0);
        let mut x = if lambda > 0.0 { lo } else { s.ln() };
        let mut last = f64::NAN;
        for it in 1..=params.max_iter {
            let k1 = if underparameterized_ridgeless {
                0.0
            } else {
                x.exp()
            };
            let (df1c, df2c, num, k2) = eval(k1)?;
            let h = k1 * (1.0 - df1c / p) - lambda;
            let slope = 1.0 - df2c / p; // dh/dκ₁
            last = h.abs();
            bracket.update(x, h < 0.0);
            // Newton step in ln κ₁: dh/d ln κ₁ = κ₁ slope.
            let step = h / (k1 * slope);
            let converged = underparameterized_ridgeless
                || (slope > 0.0 && step.abs() <= params.rel_tol)
                || bracket.width() <= params.rel_tol;
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
                // λ/κ₁ = 1 − Df₁_C/P (its λ → 0 limit when κ₁ = 0).
                let r = if k1 > 0.0 {
                    lambda / k1
                } else {
                    1.0 - df1c / p
                };
                #[allow(deprecated)] // fills the deprecated alias fields `df1`, `df2`
                return Ok(NoisyRfTheory {
                    p,
                    lambda,
                    s,
                    kappa1: k1,
                    kappa: k2,
                    df1_features: df1c,
                    df2_features: df2c,
                    df1: df1c,
                    df2: df2c,
                    gamma1,
                    test_error,
                    train_error: r * r * (test_error + sigma2),
                    data_averaged_error: num,
                    var_noise: sigma2 * gamma1 / one_minus_gamma1,
                    gcv: test_error + sigma2,
                    s_transform: if lambda > 0.0 {
                        k1 / lambda
                    } else if k1 > 0.0 {
                        f64::INFINITY
                    } else {
                        1.0 / r
                    },
                    iterations: it,
                });
            }
            // While a side of the bracket is open, a Newton step may move ln κ₁ by at most 1
            // (a longer one falls back to the bracket's unit expansion step).
            let cand = x - step;
            let open_jump = (bracket.hi.is_infinite() && cand > x + 1.0)
                || (bracket.lo.is_infinite() && cand < x - 1.0);
            x = bracket.next(
                x,
                if slope > 0.0 && !open_jump {
                    cand
                } else {
                    f64::NAN
                },
            );
        }
        Err(Error::NoConvergence {
            what: "noisy random features κ₁",
            iterations: params.max_iter,
            residual: last,
            last: x.exp(),
        })
    }
}
