//! Inverting the degrees of freedom: `κ₀` with `Df₁(κ₀) = c` (the ridgeless renormalized
//! ridge, THEORY §2.1), shared by the κ solver and the spectral S-transform.

use super::Spectrum;
use crate::error::{Error, Result};
use crate::numeric::{Bracket, SolverParams};

/// The largest relative uncertainty of `κ` from rounding that a result may carry.
pub(crate) const RESOLVABLE: f64 = 1e-6;

pub(crate) fn unresolvable(kappa: f64, uncertainty: f64, iterations: usize) -> Error {
    Error::NoConvergence {
        what: "renormalized ridge: not resolvable in double precision here \
               (the spectrum's dynamic range around κ makes 1 − Df1/P or Df1 − P \
               cancel below rounding; `residual` is the relative uncertainty of κ)",
        iterations,
        residual: uncertainty,
        last: kappa,
    }
}

/// `κ₀`: the root of `Df₁(κ₀) = c` when `c < rank Σ`, else 0 (the ridgeless
/// renormalized ridge of a bottleneck of size `c`, THEORY §2.1; also `λ_A` of a spectral
/// S-transform). Newton in `ln κ` on `ln Df₁ − ln c`, bracket-safeguarded.
/// Returns (κ₀, passes).
///
/// # Errors
/// [`Error::NonFinite`], [`Error::NoConvergence`] (also for a root that double precision
/// cannot resolve to [`RESOLVABLE`]).
pub(crate) fn kappa_zero(
    spectrum: &Spectrum,
    c: f64,
    params: &SolverParams,
) -> Result<(f64, usize)> {
    if c >= spectrum.rank() {
        return Ok((0.0, 0));
    }
    // G(x) = ln Df₁(eˣ) − ln c is decreasing; G′ = −(Df₁−Df₂)/Df₁.
    // Df₁(κ) ≤ Tr Σ/κ, so G(ln(Tr Σ / c)) ≤ 0.
    let hi = spectrum.trace().ln() - c.ln(); // no overflow of Tr Σ/c
    // Warm start from the coarse proxy on large spectra.
    let start = spectrum
        .proxy()
        .and_then(|proxy| {
            let coarse = SolverParams {
                rel_tol: 1e-6,
                ..*params
            };
            kappa_zero(proxy, c, &coarse).ok()
        })
        .map(|(k, _)| k.ln())
        .filter(|x| x.is_finite());
    let mut x = start.map_or(hi, |s| s.min(hi));
    // Downwards the bracket is open until a point with G > 0 is seen.
    let mut bracket = Bracket::new(f64::NEG_INFINITY, hi);
    let mut last = f64::NAN;
    for it in 1..=params.max_iter {
        let kappa = x.exp();
        let d = spectrum.dofs(kappa);
        let g = d.df1.ln() - c.ln();
        let gp = -d.df1_minus_df2 / d.df1;
        last = g.abs();
        if !g.is_finite() {
            return Err(Error::NonFinite {
                what: "ridgeless residual ln Df1 - ln c",
                value: g,
            });
        }
        let step = g / gp;
        let floor = 16.0 * f64::EPSILON / gp.abs();
        if (step.is_finite() && step.abs() <= params.rel_tol + floor)
            || bracket.width() <= params.rel_tol
        {
            // Df₁ − Df₂ ≪ ε Df₁: Df₁ = c holds to rounding over a wide range of κ.
            if floor.is_nan() || floor > RESOLVABLE {
                return Err(unresolvable(kappa, floor, it));
            }
            return Ok((kappa, it));
        }
        bracket.update(x, g > 0.0);
        x = bracket.next(x, x - step);
    }
    Err(Error::NoConvergence {
        what: "ridgeless renormalized ridge κ₀",
        iterations: params.max_iter,
        residual: last,
        last: x.exp(),
    })
}
