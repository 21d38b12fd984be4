//! Stieltjes transform and predicted eigenvalue density of the empirical covariance
//! `Σ̂ = XᵀX/P` (THEORY §2.1 at complex ridge, §8 item 5).
//!
//! At complex `λ = −z` the first-order deterministic equivalent
//! `λ(Σ̂+λ)⁻¹ ≃ κ(Σ+κ)⁻¹` holds with `κ(1 − Df₁(κ)/P) = λ` solved in the complex plane, so
//!
//! `m(z) = tr_D (Σ̂ − z)⁻¹ = −(κ/z) · (1/D) Σ_k m_k/(s_k + κ)`,
//!
//! and the limiting eigenvalue density of `Σ̂` is `ρ(x) = Im m(x + i0⁺)/π` (the
//! Marchenko–Pastur law for `Σ = I`). Branch convention: `Im z > 0 ⇒ Im m(z) > 0`
//! (and `Im κ < 0`); the root is followed by continuation from large `Im z`, where
//! `κ ≈ −z`, down to the requested point.

use num_complex::Complex64;

use crate::error::{Error, Result, finite, size};
use crate::spectrum::{Repr, Spectrum};

/// `Σ_k m_k s_k/(s_k+κ)`, `Σ_k m_k s_k²/(s_k+κ)²` and `Σ_k m_k/(s_k+κ)` at complex `κ`.
fn complex_traces(
    d: &crate::spectrum::Discrete,
    kappa: Complex64,
) -> (Complex64, Complex64, Complex64) {
    let (mut d1, mut d2, mut r) = (
        Complex64::new(0.0, 0.0),
        Complex64::new(0.0, 0.0),
        Complex64::new(0.0, 0.0),
    );
    for (i, &s) in d.values.iter().enumerate() {
        let m = d.multiplicity(i);
        let u = 1.0 / (s + kappa);
        let t = s * u;
        d1 += m * t;
        d2 += m * t * t;
        r += m * u;
    }
    (d1, d2, r)
}

/// The Stieltjes transform `m(z) = tr_D(Σ̂ − z)⁻¹` of the empirical covariance of `p`
/// samples, for `Im z > 0`.
///
/// # Errors
/// [`Error::InvalidParameter`] for `Im z ≤ 0` or `p ≤ 0`, [`Error::NonFinite`],
/// [`Error::Unsupported`] for analytic spectra or compressed ones,
/// [`Error::NoConvergence`] if the continuation fails.
///
/// # Examples
/// ```
/// use detridge::{Spectrum, stransform::stieltjes::stieltjes};
/// use num_complex::Complex64;
/// let s = Spectrum::isotropic(100.0, 1.0)?;
/// let m = stieltjes(&s, 400.0, Complex64::new(1.0, 0.1))?;
/// assert!(m.im > 0.0);
/// # Ok::<(), detridge::Error>(())
/// ```
pub fn stieltjes(spectrum: &Spectrum, p: f64, z: Complex64) -> Result<Complex64> {
    let Repr::Discrete(d) = &spectrum.repr else {
        return Err(Error::Unsupported(
            "the Stieltjes transform needs a discrete spectrum",
        ));
    };
    if d.compressed {
        return Err(Error::Unsupported(
            "the Stieltjes transform needs the exact spectrum",
        ));
    }
    size("p", p, false)?;
    finite("Re z", z.re)?;
    finite("Im z", z.im)?;
    if z.im <= 0.0 {
        return Err(Error::InvalidParameter {
            name: "Im z",
            value: z.im,
            reason: "the Stieltjes transform is evaluated in the upper half-plane",
        });
    }
    // Continuation in Im z from a height where κ ≈ −z + Tr Σ/P is an excellent start.
    let scale = (d.max + spectrum.trace() / p).max(z.re.abs()) + 1.0;
    let mut eta = (10.0 * scale).max(z.im);
    let mut kappa = -Complex64::new(z.re, eta) + spectrum.trace() / p;
    let mut total_iter = 0;
    loop {
        let zz = Complex64::new(z.re, eta);
        // Newton on h(κ) = κ − κ Df₁(κ)/P + z, h′ = 1 − Df₂(κ)/P.
        let mut converged = false;
        for _ in 0..100 {
            total_iter += 1;
            let (d1, d2, _) = complex_traces(d, kappa);
            let h = kappa - kappa * d1 / p + zz;
            let hp = 1.0 - d2 / p;
            let step = h / hp;
            // Keep Im κ < 0 (the branch with Im m > 0): halve steps that cross.
            let mut next = kappa - step;
            let mut damp = 0;
            while next.im >= 0.0 && damp < 60 {
                next = kappa - step * 0.5_f64.powi(damp + 1);
                damp += 1;
            }
            if !(next.re.is_finite() && next.im.is_finite()) {
                return Err(Error::NonFinite {
                    what: "complex renormalized ridge",
                    value: next.re,
                });
            }
            let done = (next - kappa).norm() <= 1e-14 * kappa.norm().max(f64::MIN_POSITIVE);
            kappa = next;
            if done {
                converged = true;
                break;
            }
        }
        if !converged {
            return Err(Error::NoConvergence {
                what: "complex renormalized ridge (Stieltjes transform)",
                iterations: total_iter,
                residual: f64::NAN,
                last: kappa.re,
            });
        }
        if eta <= z.im {
            break;
        }
        eta = (eta * 0.5).max(z.im);
    }
    let (_, _, r) = complex_traces(d, kappa);
    let m = -(kappa / z) * r / spectrum.dimension();
    // |z| or the spectrum near the ends of the f64 range (|z| ~ 1e±300) over- or
    // underflow the continuation: an error, never a NaN.
    if !(m.re.is_finite() && m.im.is_finite()) || m.im <= 0.0 {
        return Err(Error::NonFinite {
            what: "Stieltjes transform (z or the spectrum too close to the ends of the f64 range)",
            value: if m.im.is_finite() { m.re } else { m.im },
        });
    }
    Ok(m)
}

/// Predicted eigenvalue density of `Σ̂` at `x`: `Im m(x + iη)/π`, with a small `η > 0`
/// (the smoothing width; `η → 0` recovers the limiting density, e.g. `1e-8·scale`).
///
/// # Errors
/// As [`stieltjes`].
///
/// # Examples
/// Marchenko–Pastur law for `Σ = I`, `q = D/P = 1/4`:
/// ```
/// use detridge::{Spectrum, stransform::stieltjes::density};
/// let s = Spectrum::isotropic(100.0, 1.0)?;
/// let (q, x) = (0.25_f64, 1.0);
/// let (a, b) = ((1.0 - q.sqrt()).powi(2), (1.0 + q.sqrt()).powi(2));
/// let mp = ((b - x) * (x - a)).sqrt() / (2.0 * std::f64::consts::PI * q * x);
/// assert!((density(&s, 400.0, x, 1e-9)? - mp).abs() < 1e-6);
/// # Ok::<(), detridge::Error>(())
/// ```
pub fn density(spectrum: &Spectrum, p: f64, x: f64, eta: f64) -> Result<f64> {
    Ok(stieltjes(spectrum, p, Complex64::new(x, eta))?.im / std::f64::consts::PI)
}
