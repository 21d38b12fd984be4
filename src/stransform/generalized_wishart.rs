//! Column-anisotropic feature weights: the generalised-Wishart S-transform
//! (THEORY §2.3, §4.5b).

use super::STransform;
use crate::error::{Error, Result, non_negative};
use crate::numeric::{Bracket, SolverParams};

/// Column-anisotropic random-feature weights `F = G Λ^{1/2}/√N` (feature `n` has variance
/// `Λ_n`): the generalised-Wishart S-transform (THEORY §2.3, §4.5b), evaluated numerically.
///
/// With `t = Df/N`, `1/S = θ` where `(1/N) Σ_n Λ_n/(θ + tΛ_n) = 1`; `d(1/S)/dDf` follows by
/// implicit differentiation; the capacity is the number of positive `Λ_n` (`N` when all are
/// positive). `Λ ≡ 1` is the isotropic [`Wishart`](super::Wishart) of `N`.
#[derive(Debug, Clone, PartialEq)]
pub struct GeneralizedWishart {
    variances: Vec<f64>,
    mean: f64,
    min_positive: f64,
    positive: f64,
    params: SolverParams,
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
    /// use detridge::stransform::GeneralizedWishart;
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
            params: SolverParams::default(),
        })
    }

    /// The same factor with explicit parameters for the inner solve of `θ(t)`
    /// (`max_iter` caps its Newton iterations; it stops when the step is below
    /// `rel_tol/8` relative or the bracket below `rel_tol/16`, i.e. `8ε` and `4ε` by
    /// default).
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] for `max_iter = 0` or `rel_tol ≤ 0`.
    ///
    /// # Examples
    /// ```
    /// use detridge::{solver::SolverParams, stransform::{GeneralizedWishart, STransform}};
    /// let g = GeneralizedWishart::new(&[1.0, 2.0, 3.0])?
    ///     .with_params(SolverParams { max_iter: 50, ..Default::default() })?;
    /// assert!(g.inverse(1.0) > 0.0);
    /// # Ok::<(), detridge::Error>(())
    /// ```
    pub fn with_params(mut self, params: SolverParams) -> Result<Self> {
        params.validate()?;
        self.params = params;
        Ok(self)
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
    /// (`(−tΛ_min, 0]` beyond the capacity, `t > N₊/N`); NaN if `max_iter` iterations do
    /// not converge.
    fn theta(&self, t: f64) -> f64 {
        if t <= 0.0 {
            return self.mean;
        }
        let cap_t = self.positive / self.n();
        let lo = if t >= cap_t {
            -t * self.min_positive
        } else {
            0.0
        };
        let hi = if t >= cap_t { 0.0 } else { self.mean };
        if (t - cap_t).abs() <= 4.0 * f64::EPSILON * cap_t {
            return 0.0;
        }
        let mut bracket = Bracket::new(lo, hi);
        let mut x = hi;
        // Defaults: 8ε on the step, 4ε on the bracket.
        let (step_tol, width_tol) = (self.params.rel_tol / 8.0, self.params.rel_tol / 16.0);
        for _ in 0..self.params.max_iter {
            let (f, _, fth) = self.moments(x, t);
            let g = f - 1.0;
            bracket.update(x, g > 0.0);
            let step = g / fth;
            if step.abs() <= step_tol * x.abs().max(f64::MIN_POSITIVE)
                || bracket.width() <= width_tol * bracket.hi.abs().max(bracket.lo.abs())
            {
                return x;
            }
            x = bracket.next(x, x - step);
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
