//! Analytic power-law spectra `s_k = k^{−α}` (THEORY §7.1).
//!
//! Placeholder: finite `D` is expanded to an explicit discrete spectrum by the
//! constructors in `spectrum`; the exact `D = ∞` machinery (head + tail with an error
//! bound) is built in the power-law issue.

use super::{Discrete, Dofs, Traces};
use crate::error::{Error, Result};

/// The analytic power-law spectrum `s_k = k^{−α}`, `k = 1, 2, …, D`, with `D` possibly
/// infinite.
#[derive(Debug, Clone, PartialEq)]
pub struct PowerLaw {
    alpha: f64,
}

impl PowerLaw {
    /// A power law `s_k = k^{−α}` with `D = d` eigenvalues (`None`: `D = ∞`).
    ///
    /// # Errors
    /// [`Error::Unsupported`] for now.
    pub fn new(alpha: f64, _d: Option<usize>) -> Result<Self> {
        let _ = alpha;
        Err(Error::Unsupported("analytic power laws are not built yet"))
    }
    pub(crate) fn dimension(&self) -> f64 {
        f64::INFINITY
    }
    pub(crate) fn trace(&self) -> f64 {
        f64::NAN
    }
    pub(crate) fn min_eigenvalue(&self) -> f64 {
        0.0
    }
    pub(crate) fn stored_len(&self) -> usize {
        0
    }
    pub(crate) fn dofs(&self, _kappa: f64) -> Dofs {
        unimplemented!()
    }
    pub(crate) fn traces(&self, _r: f64, _scale: f64, _kappa: f64) -> Traces {
        let _ = self.alpha;
        unimplemented!()
    }
    pub(crate) fn target_normalisation(&self, _r: f64) -> Result<f64> {
        Err(Error::Unsupported("analytic power laws are not built yet"))
    }
    pub(crate) fn target_norm2(&self, _r: f64, _scale: f64) -> f64 {
        f64::NAN
    }
    pub(crate) fn to_discrete(&self) -> Option<Discrete> {
        None
    }
    pub(crate) fn discrete_target_power(&self, _r: f64, _scale: f64) -> Option<Vec<f64>> {
        None
    }
}
