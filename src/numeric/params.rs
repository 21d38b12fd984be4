//! Parameters and reports of iterative routines (Params/Report/Error pattern).

use crate::error::{Error, Result, finite};

/// Marker that keeps `…Params` structs open for new fields
/// (`Params { max_iter: 500, ..Default::default() }`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[doc(hidden)]
pub struct NonExhaustive(pub(crate) ());

/// Parameters of the κ solver and of every other iterative scalar routine.
///
/// | Name | Default | Purpose | Range |
/// |---|---|---|---|
/// | `max_iter` | 200 | iteration cap (spectrum passes for the κ solver) | `≥ 1` |
/// | `rel_tol` | `64 ε ≈ 1.4e-14` | relative tolerance on the unknown | `> 0` |
///
/// ```
/// use detridge::solver::SolverParams;
/// let p = SolverParams { max_iter: 500, ..Default::default() };
/// assert_eq!(p.max_iter, 500);
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SolverParams {
    /// Maximum number of spectrum passes (≥ 1). Default 200.
    pub max_iter: usize,
    /// Relative tolerance on `κ` (a tolerance on `ln κ`). Default `64 ε ≈ 1.4e-14`.
    pub rel_tol: f64,
    #[doc(hidden)]
    pub non_exhaustive: NonExhaustive,
}

impl Default for SolverParams {
    fn default() -> Self {
        Self {
            max_iter: 200,
            rel_tol: 64.0 * f64::EPSILON,
            non_exhaustive: NonExhaustive(()),
        }
    }
}

impl SolverParams {
    /// Checks `max_iter ≥ 1` and a finite `rel_tol > 0`.
    pub(crate) fn validate(&self) -> Result<()> {
        if self.max_iter == 0 {
            return Err(Error::InvalidParameter {
                name: "max_iter",
                value: 0.0,
                reason: "must be >= 1",
            });
        }
        finite("rel_tol", self.rel_tol)?;
        if self.rel_tol <= 0.0 {
            return Err(Error::InvalidParameter {
                name: "rel_tol",
                value: self.rel_tol,
                reason: "must be > 0",
            });
        }
        Ok(())
    }
}

/// Outcome of a κ solve.
#[must_use]
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct KappaReport {
    /// The renormalized ridge `κ`.
    pub kappa: f64,
    /// Spectrum passes used (0 for closed forms).
    pub iterations: usize,
    /// Residual `|ln g(κ) − ln λ|` for `λ > 0` (relative residual of the fixed point);
    /// `|g(κ) − λ|` for `λ ≤ 0`.
    pub residual: f64,
}

impl KappaReport {
    /// A report for a value obtained without iterating (closed forms, explicit branch
    /// points).
    pub(crate) fn exact(kappa: f64, iterations: usize) -> Self {
        Self {
            kappa,
            iterations,
            residual: 0.0,
        }
    }
}
