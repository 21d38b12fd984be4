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
    /// pass per evaluation): a 64-point scan in `u = ln(κ − κ_c)` over twenty decades
    /// around the spectrum's scale, extended by twenty decades at a time towards whichever
    /// end holds the smallest value until the minimum is interior (bracketed), then a
    /// golden-section refinement of the best bracket to `1e-10` in `u` (at most
    /// `max_iter = 200` iterations of the default [`SolverParams`]). The ridgeless point
    /// `λ = 0` is compared exactly, so a task without noise whose optimum is the
    /// ridgeless fit reports `λ* = 0`. For targets isotropic in the eigenbasis the result
    /// matches the closed form `λ* = σ² D/(P |w̄|²)`.
    ///
    /// # Errors
    /// As [`Task::ridge`]; [`Error::InfiniteOptimum`] when `E_g` decreases for every
    /// finite ridge, so that `λ* = ∞` (e.g. a task without signal, where the zero
    /// predictor is optimal; the error carries the limit `E_g(λ → ∞)`, the signal
    /// variance); [`Error::NotBracketed`] when the minimum cannot be bracketed inside the
    /// range that double precision represents (the smallest `E_g` sits at the end of the
    /// branch, `κ → κ_c`).
    ///
    /// # Examples
    /// ```
    /// use detridge::{Error, Task};
    /// let task = Task::isotropic(100.0, 2.0, 0.5)?;
    /// let opt = task.optimal_ridge(150.0)?;
    /// assert!((opt.lambda - 0.5 * 100.0 / (150.0 * 2.0)).abs() < 1e-6); // σ²D/(P|w̄|²)
    /// // No signal: λ* = ∞, reported as an error carrying the limit E_g(∞) = 0.
    /// let none = Task::isotropic(100.0, 0.0, 0.5)?;
    /// assert!(matches!(none.optimal_ridge(150.0), Err(Error::InfiniteOptimum { .. })));
    /// // No noise and P > D: the ridgeless fit is exact, λ* = 0.
    /// let clean = Task::isotropic(100.0, 1.0, 0.0)?;
    /// assert_eq!(clean.optimal_ridge(150.0)?.lambda, 0.0);
    /// # Ok::<(), detridge::Error>(())
    /// ```
    pub fn optimal_ridge(&self, p: f64) -> Result<OptimalRidge> {
        let w = Self::data_factor(p)?;
        let params = SolverParams::default();
        let factors: [&dyn STransform; 1] = [&w];
        if self.signal_variance() == 0.0 {
            // E_g = σ²γ/(1−γ) decreases in κ for every finite ridge: λ* = ∞, E_g → 0.
            return Err(Error::InfiniteOptimum {
                what: "optimal ridge (no signal: the zero predictor is optimal)",
                limit: 0.0,
            });
        }
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
            if !(kappa.is_finite()) || kappa <= kc {
                return f64::INFINITY;
            }
            let tr = self.traces(kappa);
            let lambda = kappa * (1.0 - tr.df1 / p);
            from_traces(self, p, lambda, &tr, KappaReport::exact(kappa, 0))
                .map_or(f64::INFINITY, |t| t.test_error)
        };
        // The representable range of u = ln(κ − κ_c): κ − κ_c from the resolution of κ_c
        // (or the smallest normal number) to the largest finite value.
        let u_floor = (kc.abs() * 4.0 * f64::EPSILON).max(f64::MIN_POSITIVE).ln();
        let u_ceil = (f64::MAX / 4.0).ln();
        let (mut u_lo, mut u_hi) = ((scale * 1e-14).ln(), (scale * 1e6).ln());
        let n = 64;
        let decades = 20.0 * std::f64::consts::LN_10;
        let (grid, imin) = loop {
            let grid: Vec<f64> = (0..n)
                .map(|i| u_lo + (u_hi - u_lo) * i as f64 / (n - 1) as f64)
                .collect();
            let vals: Vec<f64> = grid.iter().map(|&u| eval(u)).collect();
            let (imin, &vmin) = vals
                .iter()
                .enumerate()
                .min_by(|a, b| a.1.total_cmp(b.1))
                .expect("non-empty grid");
            if imin == n - 1 {
                if u_hi >= u_ceil {
                    // E_g still decreasing at the largest representable κ: λ* = ∞.
                    return Err(Error::InfiniteOptimum {
                        what: "optimal ridge",
                        limit: self.signal_variance(),
                    });
                }
                u_lo = grid[n - 2];
                u_hi = (u_hi + decades).min(u_ceil);
            } else if imin == 0 && vmin.is_finite() {
                if u_lo <= u_floor {
                    return Err(Error::NotBracketed {
                        what: "optimal ridge: the smallest E_g lies at the end of the branch \
                               (κ → κ_c), u = ln(κ − κ_c) in",
                        lo: u_lo,
                        hi: u_hi,
                    });
                }
                u_hi = grid[1];
                u_lo = (u_lo - decades).max(u_floor);
            } else if !vmin.is_finite() {
                return Err(Error::NonFinite {
                    what: "optimal ridge: test error on the whole scan",
                    value: vmin,
                });
            } else {
                break (grid, imin);
            }
        };
        let u = golden_section(
            &mut eval,
            grid[imin - 1],
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
        // The ridgeless point exactly: when it is as good (e.g. no noise and P > rank,
        // where E_g(0) = 0), λ* = 0 rather than a nearby point of the scan.
        if let Ok(zero) = self.ridge(p, 0.0)
            && zero.test_error <= theory.test_error
        {
            return Ok(OptimalRidge {
                lambda: 0.0,
                theory: zero,
                evaluations: evals + 1 + zero.solver.iterations,
            });
        }
        Ok(OptimalRidge {
            lambda,
            theory,
            evaluations: evals + 1,
        })
    }
}
