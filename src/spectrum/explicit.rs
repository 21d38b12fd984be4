//! A finite task expanded into explicit dimensions (for simulation and sampling).

use super::Task;
use crate::error::{Error, Result};

/// A task with its multiplicities expanded, one entry per explicit dimension of `Σ`'s
/// eigenbasis (null directions dropped): eigenvalues, their square roots and target
/// weights, each entry's squared weight `w²` spread evenly over its `m` directions.
pub(crate) struct ExplicitTask {
    /// Eigenvalues `s_k` (positive).
    pub(crate) s: Vec<f64>,
    /// `√s_k`.
    pub(crate) sqrt_s: Vec<f64>,
    /// Target weights `w̄_k = √(w²/m)` (an entry's weight spread evenly).
    pub(crate) wbar: Vec<f64>,
}

impl ExplicitTask {
    /// Expands `task`; at most `max_dim` explicit dimensions.
    ///
    /// # Errors
    /// [`Error::Unsupported`] for `D = ∞`, more than `max_dim` dimensions, or
    /// non-integer multiplicities.
    pub(crate) fn from_task(task: &Task, max_dim: usize) -> Result<Self> {
        let (disc, w2) = task.discrete_target().ok_or(Error::Unsupported(
            "expanding a task needs a finite dimension D (a discrete spectrum or a power \
             law with Some(d))",
        ))?;
        if disc.rank > max_dim as f64 {
            return Err(Error::Unsupported(
                "too many explicit dimensions to expand (more than the caller's maximum)",
            ));
        }
        let mut s = Vec::new();
        let mut wbar = Vec::new();
        for (i, (&value, &power)) in disc.values.iter().zip(&w2).enumerate() {
            let m = disc.multiplicity(i);
            let rounded = m.round();
            if rounded < 1.0 || (m - rounded).abs() > 1e-9 * rounded {
                return Err(Error::Unsupported(
                    "expanding a task needs integer multiplicities",
                ));
            }
            let count = rounded as usize;
            // Spread the entry's weight evenly over its directions: w̄_k = √(w²/m).
            let w = (power / rounded).sqrt();
            s.extend(std::iter::repeat_n(value, count));
            wbar.extend(std::iter::repeat_n(w, count));
        }
        let sqrt_s = s.iter().map(|v| v.sqrt()).collect();
        Ok(Self { s, sqrt_s, wbar })
    }
}
