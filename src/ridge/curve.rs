//! Curves of the ridge theory over `P` or `λ`, warm-started point to point.

use super::RidgeTheory;
use crate::numeric::SolverParams;
use crate::solver::{Curve, HasKappa, warm_curve};
use crate::spectrum::Task;

impl Task {
    /// Learning curve over sample sizes at fixed `λ`, warm-started point to point
    /// (log-log extrapolation of `κ` from up to three previous points), one result per
    /// point ([`Curve`]: a point that fails, e.g. the interpolation peak `P = rank Σ` at
    /// `λ = 0`, does not discard the others).
    ///
    /// # Examples
    /// ```
    /// use detridge::Task;
    /// let task = Task::isotropic(100.0, 1.0, 0.1)?;
    /// let c = task.ridge_curve_p(&[50.0, 100.0, 200.0], 0.0);
    /// assert!(c.points[1].is_err()); // P = D at λ = 0 diverges
    /// assert_eq!(c.successes().count(), 2);
    /// assert!(c.into_result().is_err());
    /// # Ok::<(), detridge::Error>(())
    /// ```
    pub fn ridge_curve_p(&self, ps: &[f64], lambda: f64) -> Curve<RidgeTheory> {
        warm_curve(ps, |p, guess| {
            self.ridge_with(p, lambda, guess, &SolverParams::default())
        })
    }

    /// Curve over ridges at fixed `P`, warm-started, one result per point ([`Curve`]).
    ///
    /// # Examples
    /// ```
    /// use detridge::Task;
    /// let task = Task::power_law(1.5, 0.5, Some(400), 0.1)?;
    /// let c = task.ridge_curve_lambda(200.0, &[1e-3, 1e-2, 1e-1]).into_result()?;
    /// assert!(c[0].kappa < c[1].kappa && c[1].kappa < c[2].kappa);
    /// # Ok::<(), detridge::Error>(())
    /// ```
    pub fn ridge_curve_lambda(&self, p: f64, lambdas: &[f64]) -> Curve<RidgeTheory> {
        warm_curve(lambdas, |l, guess| {
            self.ridge_with(p, l, guess, &SolverParams::default())
        })
    }
}

impl HasKappa for RidgeTheory {
    fn kappa(&self) -> f64 {
        self.kappa
    }
}
