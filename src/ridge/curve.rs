//! Curves of the ridge theory over `P` or `λ`, warm-started point to point.

use super::RidgeTheory;
use crate::error::Result;
use crate::numeric::SolverParams;
use crate::spectrum::Task;

impl Task {
    /// Learning curve over sample sizes at fixed `λ`, warm-started point to point
    /// (log-log extrapolation of `κ` from the two previous points).
    ///
    /// # Errors
    /// The first error of any point.
    pub fn ridge_curve_p(&self, ps: &[f64], lambda: f64) -> Result<Vec<RidgeTheory>> {
        warm_curve(ps, |p, guess| {
            self.ridge_with(p, lambda, guess, &SolverParams::default())
        })
    }

    /// Curve over ridges at fixed `P`, warm-started.
    ///
    /// # Errors
    /// The first error of any point.
    pub fn ridge_curve_lambda(&self, p: f64, lambdas: &[f64]) -> Result<Vec<RidgeTheory>> {
        warm_curve(lambdas, |l, guess| {
            self.ridge_with(p, l, guess, &SolverParams::default())
        })
    }
}

/// Runs `f(x, guess)` along `xs`, guessing each `κ` by log-log extrapolation from the
/// two previous points (or the previous one).
pub(crate) fn warm_curve<T: HasKappa>(
    xs: &[f64],
    mut f: impl FnMut(f64, Option<f64>) -> Result<T>,
) -> Result<Vec<T>> {
    let mut out: Vec<T> = Vec::with_capacity(xs.len());
    for (i, &x) in xs.iter().enumerate() {
        // Lagrange extrapolation of ln κ in ln x through up to three previous points.
        let start = i.saturating_sub(3);
        let pts: Vec<(f64, f64)> = (start..i)
            .filter_map(|j| {
                let (xj, kj) = (xs[j], out[j].kappa());
                (xj > 0.0 && kj > 0.0).then(|| (xj.ln(), kj.ln()))
            })
            .collect();
        let guess = if i == 0 {
            None
        } else if x > 0.0 && pts.len() == i - start && distinct(&pts) {
            let lx = x.ln();
            let g = pts
                .iter()
                .enumerate()
                .map(|(a, &(xa, ya))| {
                    let basis: f64 = pts
                        .iter()
                        .enumerate()
                        .filter(|&(b, _)| b != a)
                        .map(|(_, &(xb, _))| (lx - xb) / (xa - xb))
                        .product();
                    ya * basis
                })
                .sum::<f64>()
                .exp();
            Some(if g.is_finite() && g > 0.0 {
                g
            } else {
                out[i - 1].kappa()
            })
        } else {
            Some(out[i - 1].kappa())
        };
        out.push(f(x, guess)?);
    }
    Ok(out)
}

/// Whether the abscissae are pairwise distinct (for Lagrange extrapolation).
fn distinct(pts: &[(f64, f64)]) -> bool {
    pts.iter()
        .enumerate()
        .all(|(a, &(xa, _))| pts.iter().skip(a + 1).all(|&(xb, _)| (xa - xb).abs() > 0.0))
}

/// Results that carry a renormalized ridge (for warm starts).
pub(crate) trait HasKappa {
    fn kappa(&self) -> f64;
}

impl HasKappa for RidgeTheory {
    fn kappa(&self) -> f64 {
        self.kappa
    }
}
