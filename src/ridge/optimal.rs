//! The optimal ridge (THEORY §3.4).

use super::{RidgeTheory, from_traces};
use crate::error::{Error, Result};
use crate::numeric::{KappaReport, SolverParams, golden_section};
use crate::solver;
use crate::spectrum::Task;
use crate::stransform::STransform;

/// Width in `ln(κ − κ_c)` at which the golden-section refinement stops.
const GOLDEN_TOL: f64 = 1e-10;

/// An optimally tuned ridge.
#[must_use]
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct OptimalRidge {
    /// The minimiser `λ*` of `E_g` (may be negative).
    pub lambda: f64,
    /// Theory at `λ*`.
    pub theory: RidgeTheory,
    /// Function evaluations (spectrum passes) used.
    pub evaluations: usize,
}

impl Task {
    /// The ridge minimising the test error `E_g` at sample size `p` (THEORY §3.4), over
    /// the whole admissible range (negative ridges included).
    ///
    /// The search runs along the branch in `κ` (where `λ = κ(1 − Df₁/P)` is explicit, one
    /// pass per evaluation): a 64-point scan in `ln(κ − κ_c)` over twenty decades, then a
    /// golden-section refinement of the best bracket to `1e-10` in `ln(κ − κ_c)` (at most
    /// `max_iter = 200` iterations of the default [`SolverParams`]).
    /// For targets isotropic in the eigenbasis the result matches the closed form
    /// `λ* = σ² D/(P |w̄|²)`.
    ///
    /// # Errors
    /// As [`Task::ridge`]; [`Error::NoConvergence`] when the minimum lies at the upper end
    /// of the scan (the optimal ridge is infinite, e.g. a task without signal).
    pub fn optimal_ridge(&self, p: f64) -> Result<OptimalRidge> {
        let w = Self::data_factor(p)?;
        let params = SolverParams::default();
        let factors: [&dyn STransform; 1] = [&w];
        // κ_c: the end of the branch, where λ = λ_min.
        let (kc, _) = solver::branch_end(&self.spectrum, &factors, &params)?;
        let scale = self.spectrum.trace() / self.spectrum.rank().min(p).max(1.0);
        let scale = if scale.is_finite() && scale > 0.0 {
            scale
        } else {
            1.0
        };
        let mut evals = 0usize;
        let mut eval = |u: f64| -> f64 {
            evals += 1;
            let kappa = kc + u.exp();
            let tr = self.traces(kappa);
            let lambda = kappa * (1.0 - tr.df1 / p);
            from_traces(self, p, lambda, &tr, KappaReport::exact(kappa, 0))
                .map_or(f64::INFINITY, |t| t.test_error)
        };
        let (u_lo, u_hi) = ((scale * 1e-14).ln(), (scale * 1e6).ln());
        let n = 64;
        let grid: Vec<f64> = (0..n)
            .map(|i| u_lo + (u_hi - u_lo) * i as f64 / (n - 1) as f64)
            .collect();
        let vals: Vec<f64> = grid.iter().map(|&u| eval(u)).collect();
        let (imin, _) = vals
            .iter()
            .enumerate()
            .min_by(|a, b| a.1.total_cmp(b.1))
            .expect("non-empty grid");
        if imin == n - 1 {
            return Err(Error::NoConvergence {
                what: "optimal ridge (minimum at the largest ridge scanned: λ* = ∞?)",
                iterations: evals,
                residual: vals[imin],
                last: f64::INFINITY,
            });
        }
        let u = golden_section(
            &mut eval,
            grid[imin.saturating_sub(1)],
            grid[imin + 1],
            GOLDEN_TOL,
            params.max_iter,
            "optimal ridge (golden-section refinement)",
        )?
        .x;
        let kappa = kc + u.exp();
        let tr = self.traces(kappa);
        let lambda = kappa * (1.0 - tr.df1 / p);
        let theory = from_traces(self, p, lambda, &tr, KappaReport::exact(kappa, evals + 1))?;
        Ok(OptimalRidge {
            lambda,
            theory,
            evaluations: evals + 1,
        })
    }
}
