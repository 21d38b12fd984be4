//! Bracketed 1-D minimisation: golden-section search and Brent's method.

use crate::error::{Error, Result};

/// A minimum found by a bracketed search.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Minimum {
    /// The minimiser.
    pub(crate) x: f64,
    /// The function value there.
    pub(crate) value: f64,
    /// Iterations used (function evaluations beyond the starting ones).
    pub(crate) iterations: usize,
}

/// Golden-section search for a minimum of a unimodal `f` on `[a, b]`, until the bracket
/// is at most `tol` wide; at most `max_iter` iterations (one evaluation each, plus two to
/// start). Returns the midpoint of the final bracket (its value is not evaluated:
/// `value` is the smaller of the two interior values).
///
/// # Errors
/// [`Error::NoConvergence`] after `max_iter` iterations.
pub(crate) fn golden_section(
    mut f: impl FnMut(f64) -> f64,
    mut a: f64,
    mut b: f64,
    tol: f64,
    max_iter: usize,
    what: &'static str,
) -> Result<Minimum> {
    let phi = 0.5 * (5.0_f64.sqrt() - 1.0);
    let mut c = b - phi * (b - a);
    let mut d = a + phi * (b - a);
    let (mut fc, mut fd) = (f(c), f(d));
    for iterations in 0..max_iter {
        if b - a <= tol {
            return Ok(Minimum {
                x: 0.5 * (a + b),
                value: fc.min(fd),
                iterations,
            });
        }
        if fc <= fd {
            b = d;
            d = c;
            fd = fc;
            c = b - phi * (b - a);
            fc = f(c);
        } else {
            a = c;
            c = d;
            fc = fd;
            d = a + phi * (b - a);
            fd = f(d);
        }
    }
    Err(Error::NoConvergence {
        what,
        iterations: max_iter,
        residual: b - a,
        last: 0.5 * (a + b),
    })
}

/// Brent's minimiser (golden section with parabolic steps; Brent 1973, ch. 5) on
/// `[a, b]` starting from `x` with `f(x) = fx` known; converged when the bracket around the best point is below
/// `tol + 1e-12|x|` on both sides.
///
/// # Errors
/// [`Error::NonFinite`] for a non-finite `f(u)`; [`Error::NoConvergence`] after
/// `max_iter` iterations (`last` is the best abscissa so far).
#[allow(clippy::float_cmp)] // `w == x`, `v == w`: identity of stored iterates, as in Brent.
pub(crate) fn brent_min(
    f: impl Fn(f64) -> f64,
    mut a: f64,
    x0: f64,
    mut b: f64,
    fx0: f64,
    tol: f64,
    max_iter: usize,
    what: &'static str,
) -> Result<Minimum> {
    const CGOLD: f64 = 0.381_966_011_250_105_1;
    let (mut x, mut w, mut v) = (x0, x0, x0);
    let (mut fx, mut fw, mut fv) = (fx0, fx0, fx0);
    let (mut d, mut e) = (0.0_f64, 0.0_f64);
    for iter in 1..=max_iter {
        let xm = 0.5 * (a + b);
        let tol1 = tol + 1e-12 * x.abs();
        let tol2 = 2.0 * tol1;
        if (x - xm).abs() <= tol2 - 0.5 * (b - a) {
            return Ok(Minimum {
                x,
                value: fx,
                iterations: iter - 1,
            });
        }
        let mut golden = true;
        if e.abs() > tol1 {
            let r = (x - w) * (fx - fv);
            let mut q = (x - v) * (fx - fw);
            let mut p = (x - v) * q - (x - w) * r;
            q = 2.0 * (q - r);
            if q > 0.0 {
                p = -p;
            }
            q = q.abs();
            let etemp = e;
            e = d;
            if p.abs() < (0.5 * q * etemp).abs() && p > q * (a - x) && p < q * (b - x) {
                d = p / q;
                let u = x + d;
                if u - a < tol2 || b - u < tol2 {
                    d = tol1.copysign(xm - x);
                }
                golden = false;
            }
        }
        if golden {
            e = if x >= xm { a - x } else { b - x };
            d = CGOLD * e;
        }
        let u = if d.abs() >= tol1 {
            x + d
        } else {
            x + tol1.copysign(d)
        };
        let fu = f(u);
        if !fu.is_finite() {
            return Err(Error::NonFinite { what, value: fu });
        }
        if fu <= fx {
            if u >= x {
                a = x;
            } else {
                b = x;
            }
            (v, fv) = (w, fw);
            (w, fw) = (x, fx);
            (x, fx) = (u, fu);
        } else {
            if u < x {
                a = u;
            } else {
                b = u;
            }
            if fu <= fw || w == x {
                (v, fv) = (w, fw);
                (w, fw) = (u, fu);
            } else if fu <= fv || v == x || v == w {
                (v, fv) = (u, fu);
            }
        }
    }
    Err(Error::NoConvergence {
        what,
        iterations: max_iter,
        residual: b - a,
        last: x,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn brent_finds_parabola_minimum() {
        let m = brent_min(
            |t| (t - 0.3).powi(2) + 1.0,
            -1.0,
            0.0,
            1.0,
            1.09,
            1e-10,
            100,
            "test",
        )
        .unwrap();
        let (x, fx, it) = (m.x, m.value, m.iterations);
        assert!((x - 0.3).abs() < 1e-8, "{x}");
        assert!((fx - 1.0).abs() < 1e-15);
        assert!(it > 0);
    }

    #[test]
    fn brent_reports_exhaustion() {
        let r = brent_min(
            |t| (t - 0.3).powi(2),
            -1.0,
            0.0,
            1.0,
            0.09,
            1e-14,
            1,
            "test",
        );
        assert!(matches!(r, Err(Error::NoConvergence { .. })));
    }

    #[test]
    fn golden_section_finds_minimum_and_reports_exhaustion() {
        let m = golden_section(|t| (t - 0.3).powi(2), -1.0, 1.0, 1e-10, 200, "t").unwrap();
        assert!((m.x - 0.3).abs() < 1e-10, "{}", m.x);
        assert!(m.iterations > 10);
        let r = golden_section(|t| (t - 0.3).powi(2), -1.0, 1.0, 1e-10, 5, "t");
        assert!(matches!(r, Err(Error::NoConvergence { .. })));
    }
}
