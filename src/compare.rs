//! Where data meets theory: the estimators of a data set ([`crate::estimate`]) beside the
//! deterministic equivalents of an assumed population [`Task`] ([`crate::ridge`]).
//!
//! [`against_theory`] (also callable as the method `RidgePath::against_theory`) sets the
//! data's `df̂`, `κ̂`, `E_tr` and GCV beside `Df₁(κ)`, `κ`, the predicted `E_tr` and
//! `E_g + σ²` (THEORY §2.1: `df̂_{Σ̂}(λ) ≈ Df₁(κ)`, `κ̂ ≈ κ`; §3.2: GCV `≈ E_g + σ²`).
//! This is the only module that imports both `estimate` and the theory, so `estimate`
//! stays data-only.

use crate::error::{Error, Result};
use crate::estimate::RidgePath;
use crate::ridge::RidgeTheory;
use crate::spectrum::Task;

/// The data estimators of `path` beside the deterministic equivalents of an assumed
/// population `task` at the data's `P` (THEORY §2.1, §3.1–3.2): `df̂_{Σ̂}(λ)` vs
/// `Df₁(κ(λ))`, `κ̂ = λŜ` vs `κ`, `E_tr` vs its prediction, GCV vs `E_g + σ²`. On data
/// drawn from the task, each pair agrees up to fluctuations of relative size `O(1/√D)`
/// or less.
///
/// # Errors
/// [`Error::LengthMismatch`] if the task's dimension is not `D`; as [`Task::ridge`]
/// for each `λ`, and [`Error::InvalidParameter`] / [`Error::NonFinite`] for a negative or
/// non-finite `λ`.
///
/// # Examples
/// ```
/// use detridge::{Task, compare, estimate::RidgePath};
/// use nalgebra::{DMatrix, DVector};
/// let x = DMatrix::from_fn(60, 3, |i, j| ((i * 7 + j * 3) % 11) as f64 - 5.0);
/// let y = DVector::from_fn(60, |i, _| x[(i, 0)]);
/// let path = RidgePath::new(&x, &y)?;
/// let task = Task::isotropic(3.0, 1.0, 0.0)?;
/// let cmp = compare::against_theory(&path, &task, &[0.1, 1.0])?;
/// assert_eq!(cmp.len(), 2);
/// assert!((cmp[1].kappa_hat - path.kappa_hat(1.0)?).abs() < 1e-15);
/// # Ok::<(), detridge::Error>(())
/// ```
pub fn against_theory(
    path: &RidgePath,
    task: &Task,
    lambdas: &[f64],
) -> Result<Vec<TheoryComparison>> {
    let d = path.n_features();
    let dim = task.spectrum().dimension();
    if (dim - d as f64).abs() > 0.5 {
        return Err(Error::LengthMismatch {
            what: "task dimension must equal the number of features D",
            expected: d,
            got: if dim.is_finite() {
                dim as usize
            } else {
                usize::MAX
            },
        });
    }
    let p = path.n_samples() as f64;
    // One cold solve per λ: a data-side check should not depend on warm starts.
    lambdas
        .iter()
        .map(|&l| {
            // The data side first: it validates λ.
            let (df_hat, kappa_hat) = (path.df(l)?, path.kappa_hat(l)?);
            let t: RidgeTheory = task.ridge(p, l)?;
            Ok(TheoryComparison {
                lambda: l,
                df_hat,
                df_theory: t.df1,
                kappa_hat,
                kappa_theory: t.kappa,
                train_error_hat: path.train_error(l)?,
                train_error_theory: t.train_error,
                gcv_hat: path.gcv(l)?,
                gcv_theory: t.gcv,
                test_error_theory: t.test_error,
            })
        })
        .collect()
}

impl RidgePath {
    /// Method form of [`against_theory`] (defined in [`crate::compare`], where data meets
    /// theory).
    ///
    /// # Errors
    /// As [`against_theory`].
    ///
    /// # Examples
    /// ```
    /// use detridge::{Task, estimate::RidgePath};
    /// use nalgebra::{DMatrix, DVector};
    /// let x = DMatrix::from_fn(60, 3, |i, j| ((i * 7 + j * 3) % 11) as f64 - 5.0);
    /// let y = DVector::from_fn(60, |i, _| x[(i, 0)]);
    /// let path = RidgePath::new(&x, &y)?;
    /// let task = Task::isotropic(3.0, 1.0, 0.0)?;
    /// let cmp = path.against_theory(&task, &[0.1, 1.0])?;
    /// assert!((cmp[0].kappa_hat - path.kappa_hat(0.1)?).abs() < 1e-15);
    /// # Ok::<(), detridge::Error>(())
    /// ```
    pub fn against_theory(&self, task: &Task, lambdas: &[f64]) -> Result<Vec<TheoryComparison>> {
        against_theory(self, task, lambdas)
    }
}

/// One `λ` of [`against_theory`]: data estimators (`*_hat`) beside the
/// deterministic equivalents (`*_theory`) of the assumed task.
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct TheoryComparison {
    /// The ridge `λ`.
    pub lambda: f64,
    /// `df̂ = Tr Σ̂(Σ̂+λ)⁻¹` from the data (unnormalised).
    pub df_hat: f64,
    /// `Df₁(κ) = Tr Σ(Σ+κ)⁻¹`, its deterministic equivalent (THEORY §2.1).
    pub df_theory: f64,
    /// `κ̂ = λŜ` from the data.
    pub kappa_hat: f64,
    /// The renormalized ridge `κ` of the theory.
    pub kappa_theory: f64,
    /// `E_tr` of the data.
    pub train_error_hat: f64,
    /// `E_tr` predicted (THEORY §3.2).
    pub train_error_theory: f64,
    /// GCV of the data.
    pub gcv_hat: f64,
    /// `E_g + σ²`, the value GCV concentrates on (THEORY §3.2).
    pub gcv_theory: f64,
    /// `E_g` predicted (excess risk, THEORY §3.1).
    pub test_error_theory: f64,
}
