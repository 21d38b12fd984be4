//! One-dimensional minimisation (coarse grid, then golden section) and a small
//! non-negative least-squares solver (Lawson–Hanson), each with an iteration cap.

use nalgebra::{DMatrix, DVector};

use crate::error::{Error, Result};
use crate::numeric::golden_section;

/// Result of a scalar minimisation.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Min1d {
    /// Minimiser.
    pub x: f64,
    /// Value at the minimiser.
    pub f: f64,
}

/// Minimises `f` on `[lo, hi]`: a uniform grid of `n_grid ≥ 3` points, then golden-section
/// search in the bracket around the best grid point until the bracket is shorter than
/// `tol` (the crate's capped [`golden_section`]). Non-finite values count as `+∞`.
///
/// # Errors
/// [`Error::NoConvergence`] if every grid value is non-finite or the golden section needs
/// more than `max_iter` steps.
pub(crate) fn minimize_scalar(
    mut f: impl FnMut(f64) -> f64,
    lo: f64,
    hi: f64,
    n_grid: usize,
    tol: f64,
    max_iter: usize,
    what: &'static str,
) -> Result<Min1d> {
    debug_assert!(n_grid >= 3 && hi > lo);
    let mut g = |x: f64| {
        let v = f(x);
        if v.is_finite() { v } else { f64::INFINITY }
    };
    let xs: Vec<f64> = (0..n_grid)
        .map(|i| lo + (hi - lo) * i as f64 / (n_grid - 1) as f64)
        .collect();
    let vs: Vec<f64> = xs.iter().map(|&x| g(x)).collect();
    let (imin, &vmin) = vs
        .iter()
        .enumerate()
        .min_by(|a, b| a.1.total_cmp(b.1))
        .expect("n_grid >= 3");
    if !vmin.is_finite() {
        return Err(Error::NoConvergence {
            what,
            iterations: n_grid,
            residual: f64::INFINITY,
            last: xs[imin],
        });
    }
    let (a, b) = (xs[imin.saturating_sub(1)], xs[(imin + 1).min(n_grid - 1)]);
    let m = golden_section(&mut g, a, b, tol, max_iter, what)?;
    // The grid point itself may beat the refined point (flat or boundary minimum).
    let fx = g(m.x);
    Ok(if fx <= vmin {
        Min1d { x: m.x, f: fx }
    } else {
        Min1d {
            x: xs[imin],
            f: vmin,
        }
    })
}

/// Non-negative least squares `min ‖Ax − b‖², x ≥ 0` by the active-set method of Lawson
/// and Hanson (1974), at most `max_iter` outer steps.
///
/// # Errors
/// [`Error::NoConvergence`] when the cap is hit; [`Error::Decomposition`] if a
/// least-squares sub-problem cannot be solved.
pub(crate) fn nnls(a: &DMatrix<f64>, b: &DVector<f64>, max_iter: usize) -> Result<DVector<f64>> {
    let n = a.ncols();
    let mut x = DVector::<f64>::zeros(n);
    let mut passive = vec![false; n];
    let scale = a.amax().max(f64::MIN_POSITIVE) * b.amax().max(f64::MIN_POSITIVE);
    let tol = 1e-12 * scale * (a.nrows().max(n) as f64);
    let solve_passive = |passive: &[bool]| -> Result<DVector<f64>> {
        let idx: Vec<usize> = (0..n).filter(|&j| passive[j]).collect();
        let sub = DMatrix::from_fn(a.nrows(), idx.len(), |i, j| a[(i, idx[j])]);
        let z = sub
            .svd(true, true)
            .solve(b, 1e-14)
            .map_err(|e| Error::Decomposition {
                what: "non-negative least squares sub-problem",
                reason: e.to_string(),
            })?;
        let mut full = DVector::zeros(n);
        for (k, &j) in idx.iter().enumerate() {
            full[j] = z[k];
        }
        Ok(full)
    };
    for it in 0..max_iter {
        let w = a.transpose() * (b - a * &x);
        let candidate = (0..n)
            .filter(|&j| !passive[j])
            .max_by(|&i, &j| w[i].total_cmp(&w[j]));
        match candidate {
            Some(j) if w[j] > tol => passive[j] = true,
            _ => return Ok(x),
        }
        // Inner loop: step back until the passive solution is feasible.
        let mut inner = 0;
        loop {
            let z = solve_passive(&passive)?;
            if (0..n).all(|j| !passive[j] || z[j] > 0.0) {
                x = z;
                break;
            }
            let mut step = 1.0_f64;
            for j in 0..n {
                if passive[j] && z[j] <= 0.0 {
                    step = step.min(x[j] / (x[j] - z[j]));
                }
            }
            x += (z - &x) * step;
            for j in 0..n {
                if passive[j] && x[j] <= tol.max(0.0) * 1e-3 {
                    passive[j] = false;
                    x[j] = 0.0;
                }
            }
            inner += 1;
            if inner > n {
                return Err(Error::NoConvergence {
                    what: "non-negative least squares (inner loop)",
                    iterations: it,
                    residual: (b - a * &x).norm(),
                    last: 0.0,
                });
            }
        }
    }
    Err(Error::NoConvergence {
        what: "non-negative least squares",
        iterations: max_iter,
        residual: (b - a * &x).norm(),
        last: 0.0,
    })
}

/// Least squares of a linear model in two coefficients, `min Σ_i w_i (t_i − a x_i − b)²`
/// over `a ≥ 0`, `b ≥ floor`, from its sums `(Σwx², Σwx, Σw, Σwxt, Σwt)`: the
/// unconstrained solution when it is feasible, else the better of the two boundaries
/// (`a = 0`, or `b = floor`; on a tie `b = floor`).
pub(crate) fn nonneg_pair(sums: (f64, f64, f64, f64, f64), floor: f64) -> (f64, f64) {
    let (sxx, sx, s1, sxt, st) = sums;
    let det = sxx * s1 - sx * sx;
    if det > 1e-14 * sxx * s1 {
        let (a, b) = ((sxt * s1 - sx * st) / det, (st * sxx - sx * sxt) / det);
        if a >= 0.0 && b >= floor {
            return (a, b);
        }
    }
    // The cost up to its constant term Σ w t².
    let cost =
        |(a, b): (f64, f64)| sxx * a * a + s1 * b * b + 2.0 * sx * a * b - 2.0 * (sxt * a + st * b);
    let only_x = (((sxt - floor * sx) / sxx).max(0.0), floor);
    let only_b = (0.0, (st / s1).max(floor));
    if cost(only_x) <= cost(only_b) {
        only_x
    } else {
        only_b
    }
}

/// The empirical `q`-quantile (linear interpolation between order statistics) of a
/// non-empty sample.
pub(crate) fn quantile(sorted: &[f64], q: f64) -> f64 {
    let n = sorted.len();
    if n == 1 {
        return sorted[0];
    }
    let h = q.clamp(0.0, 1.0) * (n - 1) as f64;
    let i = (h.floor() as usize).min(n - 2);
    let t = h - i as f64;
    sorted[i] + t * (sorted[i + 1] - sorted[i])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn golden_finds_parabola_minimum() {
        let m = minimize_scalar(|x| (x - 0.3).powi(2), -1.0, 2.0, 7, 1e-9, 200, "t").unwrap();
        assert!((m.x - 0.3).abs() < 1e-8);
    }

    #[test]
    fn golden_cap_is_an_error() {
        let r = minimize_scalar(|x| (x - 0.3).powi(2), -1.0, 2.0, 7, 1e-9, 3, "t");
        assert!(matches!(r, Err(Error::NoConvergence { .. })));
    }

    #[test]
    fn nnls_matches_known_solution() {
        // b = A [1, 0, 2] exactly, columns independent: the NNLS solution is that vector.
        let a = DMatrix::from_row_slice(
            4,
            3,
            &[1.0, 0.5, 0.0, 0.0, 1.0, 1.0, 1.0, 1.0, 0.0, 2.0, 0.0, 1.0],
        );
        let xt = DVector::from_vec(vec![1.0, 0.0, 2.0]);
        let b = &a * &xt;
        let x = nnls(&a, &b, 50).unwrap();
        assert!((x - xt).norm() < 1e-10);
        // Unconstrained solution negative in one coordinate: clipped to 0, the rest refit.
        let b2 = DVector::from_vec(vec![-1.0, 1.0, 0.0, 1.0]);
        let x2 = nnls(&a, &b2, 50).unwrap();
        assert!(x2.iter().all(|&v| v >= 0.0));
        let g = a.transpose() * (&b2 - &a * &x2);
        for j in 0..3 {
            // KKT: gradient ≤ 0 where x = 0, ≈ 0 where x > 0.
            if x2[j] > 0.0 {
                assert!(g[j].abs() < 1e-10);
            } else {
                assert!(g[j] <= 1e-10);
            }
        }
    }
}
