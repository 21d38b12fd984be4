//! Choosing `λ` from data: minimise GCV (KARE) or LOOCV over a log grid, then Brent.

use super::core::Core;
#[cfg(doc)]
use super::core::DataPath;
use crate::error::{Error, Result, finite};
use crate::numeric::{Minimum, NonExhaustive, brent_min};

/// Which data estimator of the test risk to minimise over `λ`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub enum Criterion {
    /// Generalised cross-validation (KARE for kernels).
    Gcv,
    /// Exact leave-one-out cross-validation (penalty `Pλ` kept in the refits).
    Loocv,
}

/// Parameters of the `λ` search ([`DataPath::select_lambda`] of [`RidgePath`](super::RidgePath) and
/// [`KernelPath`](super::KernelPath)).
///
/// | Name | Default | Purpose | Range |
/// |---|---|---|---|
/// | `lambda_min` | `None`: `max(10⁻³ μ_min, 10⁻¹² μ_max)` | lower end of the grid | `> 0` |
/// | `lambda_max` | `None`: `10² μ_max` | upper end of the grid | `> lambda_min` |
/// | `grid_len` | 61 | log-spaced coarse grid points | `≥ 3` |
/// | `log_tol` | `1e-8` | tolerance of the refinement on `ln λ` | `> 0` |
/// | `max_iter` | 100 | Brent iterations | `≥ 1` |
///
/// `μ_min`, `μ_max` are the smallest and largest non-zero eigenvalues of `G = XXᵀ/P`
/// (or `K/P`), so the default range scales with the data.
///
/// ```
/// use detridge::estimate::LambdaSearchParams;
/// let p = LambdaSearchParams { grid_len: 21, ..Default::default() };
/// assert_eq!(p.grid_len, 21);
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LambdaSearchParams {
    /// Lower end of the coarse grid (`None`: data-scaled default).
    pub lambda_min: Option<f64>,
    /// Upper end of the coarse grid (`None`: data-scaled default).
    pub lambda_max: Option<f64>,
    /// Number of log-spaced grid points (≥ 3).
    pub grid_len: usize,
    /// Absolute tolerance on `ln λ` of the Brent refinement.
    pub log_tol: f64,
    /// Maximum Brent iterations (≥ 1).
    pub max_iter: usize,
    #[doc(hidden)]
    pub non_exhaustive: NonExhaustive,
}

impl Default for LambdaSearchParams {
    fn default() -> Self {
        Self {
            lambda_min: None,
            lambda_max: None,
            grid_len: 61,
            log_tol: 1e-8,
            max_iter: 100,
            non_exhaustive: NonExhaustive::default(),
        }
    }
}

/// The result of a `λ` search: the minimiser with the coarse curve.
#[must_use]
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct LambdaChoice {
    /// The criterion minimised.
    pub criterion: Criterion,
    /// The minimising `λ`.
    pub lambda: f64,
    /// The criterion at `lambda`.
    pub value: f64,
    /// The minimum sits at an end of the grid (at the lower end: the ridgeless fit,
    /// `λ → 0`, is as good or better; evaluate the criterion at `0` to compare).
    pub at_boundary: bool,
    /// The coarse grid of `λ` (increasing, log-spaced).
    pub grid: Vec<f64>,
    /// The criterion on `grid`.
    pub values: Vec<f64>,
    /// Brent iterations of the refinement (0 if the minimum is at the boundary).
    pub iterations: usize,
}

/// The search behind [`DataPath::select_lambda`] (see there).
pub(super) fn select_lambda(
    core: &Core,
    criterion: Criterion,
    params: &LambdaSearchParams,
) -> Result<LambdaChoice> {
    if params.grid_len < 3 {
        return Err(Error::InvalidParameter {
            name: "grid_len",
            value: params.grid_len as f64,
            reason: "must be >= 3",
        });
    }
    if params.max_iter == 0 {
        return Err(Error::InvalidParameter {
            name: "max_iter",
            value: 0.0,
            reason: "must be >= 1",
        });
    }
    crate::error::positive("log_tol", params.log_tol)?;
    if core.rank() == 0 {
        return Err(Error::Unsupported(
            "selecting lambda needs data with at least one non-zero singular value",
        ));
    }
    let (mu_min, mu_max) = (core.min_mu(), core.max_mu());
    let lo = match params.lambda_min {
        Some(l) => crate::error::positive("lambda_min", l)?,
        None => (1e-3 * mu_min).max(1e-12 * mu_max),
    };
    let hi = match params.lambda_max {
        Some(h) => crate::error::positive("lambda_max", h)?,
        None => 1e2 * mu_max,
    };
    if hi <= lo {
        return Err(Error::InvalidParameter {
            name: "lambda_max",
            value: hi,
            reason: "must be > lambda_min",
        });
    }
    let n = params.grid_len;
    let (tlo, thi) = (lo.ln(), hi.ln());
    let step = (thi - tlo) / (n - 1) as f64;
    let grid: Vec<f64> = (0..n)
        .map(|i| {
            if i == n - 1 {
                hi
            } else {
                (tlo + step * i as f64).exp()
            }
        })
        .collect();
    let values: Vec<f64> = grid.iter().map(|&l| core.criterion(criterion, l)).collect();
    for &v in &values {
        finite("criterion on the lambda grid", v)?;
    }
    let best = (0..n)
        .min_by(|&a, &b| values[a].total_cmp(&values[b]))
        .unwrap_or(0);
    if best == 0 || best == n - 1 {
        return Ok(LambdaChoice {
            criterion,
            lambda: grid[best],
            value: values[best],
            at_boundary: true,
            grid,
            values,
            iterations: 0,
        });
    }
    let f = |t: f64| core.criterion(criterion, t.exp());
    let Minimum {
        x: t,
        value: v,
        iterations,
    } = brent_min(
        f,
        grid[best - 1].ln(),
        grid[best].ln(),
        grid[best + 1].ln(),
        values[best],
        params.log_tol,
        params.max_iter,
        "lambda search (Brent)",
    )
    .map_err(|e| match e {
        // Report the last iterate as a ridge, not its logarithm.
        Error::NoConvergence {
            what,
            iterations,
            residual,
            last,
        } => Error::NoConvergence {
            what,
            iterations,
            residual,
            last: last.exp(),
        },
        Error::NonFinite { value, .. } => Error::NonFinite {
            what: "criterion during the lambda search",
            value,
        },
        e => e,
    })?;
    let (lambda, value) = if v <= values[best] {
        (t.exp(), v)
    } else {
        (grid[best], values[best])
    };
    Ok(LambdaChoice {
        criterion,
        lambda,
        value,
        at_boundary: false,
        grid,
        values,
        iterations,
    })
}
