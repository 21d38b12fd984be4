//! Curves of the ridge theory over `P` or `λ`, at about one spectrum pass per point on
//! discrete spectra (`κ` predicted from the previous points and corrected within the
//! pass at the prediction; the machinery is `solver::sweep`).

use super::{RidgeTheory, from_traces};
use crate::error::Result;
use crate::numeric::SolverParams;
use crate::solver::Curve;
use crate::solver::sweep::{Setup, sweep};
use crate::spectrum::Task;
use crate::stransform::STransform;

impl Task {
    /// Learning curve over sample sizes at fixed `λ`, one result per point ([`Curve`]: a
    /// point that fails, e.g. the interpolation peak `P = rank Σ` at `λ = 0`, does not
    /// discard the others). Each point equals [`Task::ridge`]`(p, λ)` to the solver
    /// tolerance; on discrete spectra it costs about one spectrum pass
    /// (`solver.iterations` counts them).
    ///
    /// # Examples
    /// ```
    /// use detridge::Task;
    /// let task = Task::isotropic(100.0, 1.0, 0.1)?;
    /// let c = task.ridge_curve_p(&[50.0, 100.0, 200.0], 0.0);
    /// assert!(c.points[1].is_err()); // P = D at λ = 0 diverges
    /// assert_eq!(c.successes().count(), 2);
    /// assert!(c.into_result().is_err());
    /// let c = task.ridge_curve_p(&[50.0, 100.0, 200.0], 1e-3).into_result()?;
    /// let cold = task.ridge(100.0, 1e-3)?;
    /// assert!((c[1].test_error - cold.test_error).abs() <= 1e-13 * cold.test_error);
    /// # Ok::<(), detridge::Error>(())
    /// ```
    pub fn ridge_curve_p(&self, ps: &[f64], lambda: f64) -> Curve<RidgeTheory> {
        let setup = |p: f64| -> Result<Setup> {
            let w: Box<dyn STransform> = Box::new(Self::data_factor(p)?);
            Ok((vec![w], lambda))
        };
        let points = sweep(self, ps, setup, &SolverParams::default())
            .into_iter()
            .zip(ps)
            .map(|(r, &p)| r.and_then(|(report, tr)| from_traces(self, p, lambda, &tr, report)))
            .collect();
        Curve {
            xs: ps.to_vec(),
            points,
        }
    }

    /// Curve over ridges at fixed `P`, one result per point ([`Curve`]); each point equals
    /// [`Task::ridge`]`(p, λ)` to the solver tolerance, at about one spectrum pass per
    /// point on discrete spectra.
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
        let setup = |lambda: f64| -> Result<Setup> {
            let w: Box<dyn STransform> = Box::new(Self::data_factor(p)?);
            Ok((vec![w], lambda))
        };
        let points = sweep(self, lambdas, setup, &SolverParams::default())
            .into_iter()
            .zip(lambdas)
            .map(|(r, &l)| r.and_then(|(report, tr)| from_traces(self, p, l, &tr, report)))
            .collect();
        Curve {
            xs: lambdas.to_vec(),
            points,
        }
    }
}
