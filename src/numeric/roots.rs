//! Root finding: the bracket safeguard of every Newton iteration in the crate, and a
//! capped bisection.
//!
//! Monotone scalar equations are solved by Newton's method inside a bracket that always
//! contains the root. [`Bracket::next`] is the one safeguard: a Newton candidate is
//! accepted only when it is finite and strictly inside the bracket; otherwise the
//! midpoint is taken, or, while one end is still infinite, a step of growing length
//! towards it. Each caller keeps its own convergence test (they differ in what is
//! resolvable in double precision) and its own iteration cap from
//! [`SolverParams`](super::SolverParams).

use crate::error::{Error, Result};

/// A bracket `[lo, hi]` around a root (either end may still be infinite), with the
/// expansion step used while it is open.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Bracket {
    /// Lower end (the function is below the root's side there).
    pub(crate) lo: f64,
    /// Upper end.
    pub(crate) hi: f64,
    step: f64,
    growth: f64,
}

impl Bracket {
    /// A bracket whose open end is approached by steps `2, 4, 8, …`.
    pub(crate) fn new(lo: f64, hi: f64) -> Self {
        Self::with_expansion(lo, hi, 1.0, 2.0)
    }

    /// A bracket whose open end is approached by steps `step·growth, step·growth², …`.
    pub(crate) fn with_expansion(lo: f64, hi: f64, step: f64, growth: f64) -> Self {
        Self {
            lo,
            hi,
            step,
            growth,
        }
    }

    /// Records that the root lies above `x` (`above = true`) or below it.
    pub(crate) fn update(&mut self, x: f64, above: bool) {
        if above {
            self.lo = self.lo.max(x);
        } else {
            self.hi = self.hi.min(x);
        }
    }

    /// Width `hi − lo` (`∞` while open).
    pub(crate) fn width(&self) -> f64 {
        self.hi - self.lo
    }

    /// The next iterate from `x`: the Newton candidate `cand` if finite and strictly
    /// inside `(lo, hi)`, else the midpoint of a closed bracket, else an expanding step
    /// from `x` towards the open end. Pass `f64::NAN` as `cand` to force the fallback.
    pub(crate) fn next(&mut self, x: f64, cand: f64) -> f64 {
        if cand.is_finite() && cand > self.lo && cand < self.hi {
            cand
        } else if self.lo.is_finite() && self.hi.is_finite() {
            0.5 * (self.lo + self.hi)
        } else {
            self.step *= self.growth;
            if self.hi.is_finite() {
                x - self.step
            } else {
                x + self.step
            }
        }
    }
}

/// Bisection on a predicate that is `true` at `hi` and `false` at `lo` (for example the
/// sign of a monotone function): shrinks `[lo, hi]` until `hi − lo ≤ tol`, at most
/// `max_iter` halvings. Returns the final `(lo, hi)` and the number of evaluations.
///
/// # Errors
/// [`Error::NoConvergence`] when `max_iter` halvings do not reach `tol`.
pub(crate) fn bisect(
    mut is_upper: impl FnMut(f64) -> bool,
    mut lo: f64,
    mut hi: f64,
    tol: f64,
    max_iter: usize,
    what: &'static str,
) -> Result<(f64, f64, usize)> {
    for evals in 0..max_iter {
        if hi - lo <= tol {
            return Ok((lo, hi, evals));
        }
        let mid = 0.5 * (lo + hi);
        if is_upper(mid) {
            hi = mid;
        } else {
            lo = mid;
        }
    }
    Err(Error::NoConvergence {
        what,
        iterations: max_iter,
        residual: hi - lo,
        last: hi,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bracket_prefers_newton_then_midpoint_then_expansion() {
        let mut b = Bracket::new(0.0, 1.0);
        assert!((b.next(0.5, 0.25) - 0.25).abs() < 1e-15);
        assert!((b.next(0.5, 2.0) - 0.5).abs() < 1e-15);
        assert!((b.next(0.5, f64::NAN) - 0.5).abs() < 1e-15);
        let mut open = Bracket::new(0.0, f64::INFINITY);
        assert!((open.next(1.0, f64::NAN) - 3.0).abs() < 1e-15);
        assert!((open.next(3.0, f64::NAN) - 7.0).abs() < 1e-15);
        let mut down = Bracket::with_expansion(f64::NEG_INFINITY, 0.0, 1.0, 1.0);
        assert!((down.next(-1.0, f64::NAN) + 2.0).abs() < 1e-15);
        down.update(-2.0, true);
        assert!((down.lo + 2.0).abs() < 1e-15);
        assert!((down.width() - 2.0).abs() < 1e-15);
    }

    #[test]
    fn bisection_finds_sqrt2_and_reports_exhaustion() {
        let (lo, hi, _) = bisect(|x| x * x >= 2.0, 1.0, 2.0, 1e-12, 100, "t").unwrap();
        assert!(lo <= 2f64.sqrt() && 2f64.sqrt() <= hi && hi - lo <= 1e-12);
        let r = bisect(|x| x * x >= 2.0, 1.0, 2.0, 1e-12, 3, "t");
        assert!(matches!(r, Err(Error::NoConvergence { .. })));
    }
}
