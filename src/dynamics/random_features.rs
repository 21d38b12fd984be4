//! Gradient flow and gradient descent of the readout of linear random features
//! (THEORY §13, "Linear random features").

use super::{GradientFlowTheory, descent_curve, flow_curve, max_step, width};
use crate::error::Result;
use crate::spectrum::Task;

impl Task {
    /// Full-batch gradient flow of the readout `v` of linear random features
    /// `f(x) = xᵀFv`, `F ∈ R^{D×N}` with entries `N(0, 1/N)` (the model of
    /// [`Task::random_features`]), on `|y − XFv|²/(2P) + (λ/2)|v|²` from `v(0) = 0`, at
    /// time `t ≥ 0` (THEORY §13, "Linear random features"). `t = ∞` is
    /// [`Task::random_features`] exactly; `n = ∞` is [`Task::gradient_flow`].
    ///
    /// Fields as for linear ridge, in feature space: `test_signal` is the error of the
    /// clean-label fit (it includes the width-limited residual `ε_res`, the error of the
    /// best readout at `P = ∞`), `test_noise` the label-noise part.
    ///
    /// # Errors
    /// As [`Task::gradient_flow`]; [`Error::InvalidParameter`](crate::Error) for `n ≤ 0`;
    /// [`Error::Divergent`](crate::Error) at `t = ∞` and `λ = 0` on an interpolation peak
    /// (`N = P`, or `P = rank Σ ≤ N`).
    ///
    /// # Examples
    /// ```
    /// use detridge::Task;
    /// let task = Task::power_law(1.5, 0.5, Some(400), 0.1)?;
    /// let g = task.random_features_gradient_flow(300.0, 200.0, 1e-3, 20.0)?;
    /// let inf = task.random_features_gradient_flow(300.0, 200.0, 1e-3, f64::INFINITY)?;
    /// let rf = task.random_features(300.0, 200.0, 1e-3)?;
    /// assert!((inf.test_error - rf.test_error).abs() < 1e-12);
    /// assert!(g.test_error < task.signal_variance());
    /// # Ok::<(), detridge::Error>(())
    /// ```
    pub fn random_features_gradient_flow(
        &self,
        p: f64,
        n: f64,
        lambda: f64,
        t: f64,
    ) -> Result<GradientFlowTheory> {
        Ok(self
            .random_features_gradient_flow_curve(p, n, lambda, &[t])?
            .remove(0))
    }

    /// [`Task::random_features_gradient_flow`] at many times from one contour.
    ///
    /// # Errors
    /// As [`Task::random_features_gradient_flow`]; [`Error::Empty`](crate::Error) for no
    /// times.
    pub fn random_features_gradient_flow_curve(
        &self,
        p: f64,
        n: f64,
        lambda: f64,
        times: &[f64],
    ) -> Result<Vec<GradientFlowTheory>> {
        flow_curve(self, &width(self, p, n)?, lambda, times)
    }

    /// Full-batch gradient descent of the random-feature readout: `k` steps of size `η`
    /// from `v(0) = 0` (THEORY §13).
    ///
    /// # Errors
    /// As [`Task::random_features_gradient_flow`]; [`Error::InvalidParameter`](crate::Error)
    /// for `η ≤ 0` or beyond the stability bound
    /// ([`Task::random_features_gradient_descent_max_step`]).
    pub fn random_features_gradient_descent(
        &self,
        p: f64,
        n: f64,
        lambda: f64,
        eta: f64,
        steps: u64,
    ) -> Result<GradientFlowTheory> {
        Ok(self
            .random_features_gradient_descent_curve(p, n, lambda, eta, &[steps])?
            .remove(0))
    }

    /// [`Task::random_features_gradient_descent`] at many step counts from one contour.
    ///
    /// # Errors
    /// As [`Task::random_features_gradient_descent`]; [`Error::Empty`](crate::Error) for
    /// no step counts.
    pub fn random_features_gradient_descent_curve(
        &self,
        p: f64,
        n: f64,
        lambda: f64,
        eta: f64,
        steps: &[u64],
    ) -> Result<Vec<GradientFlowTheory>> {
        descent_curve(self, &width(self, p, n)?, lambda, eta, steps)
    }

    /// Stability bound `η_max = 2/(x₊ + λ)` of gradient descent on the random-feature
    /// readout, `x₊` the upper edge of the deterministic-equivalent spectrum of the
    /// feature covariance `FᵀΣ̂F` (THEORY §13).
    ///
    /// # Errors
    /// As [`Task::random_features_gradient_flow`].
    ///
    /// # Examples
    /// Wide features approach linear ridge.
    /// ```
    /// use detridge::Task;
    /// let task = Task::isotropic(100.0, 1.0, 0.0)?;
    /// let rf = task.random_features_gradient_descent_max_step(400.0, 1e9, 0.0)?;
    /// let lin = task.gradient_descent_max_step(400.0, 0.0)?;
    /// assert!((rf - lin).abs() < 1e-6);
    /// # Ok::<(), detridge::Error>(())
    /// ```
    pub fn random_features_gradient_descent_max_step(
        &self,
        p: f64,
        n: f64,
        lambda: f64,
    ) -> Result<f64> {
        max_step(self, &width(self, p, n)?, lambda)
    }
}
