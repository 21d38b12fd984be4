//! The S-transform of a matrix given by its spectrum, evaluated numerically
//! (THEORY §2.2, §10).

use super::STransform;
use crate::error::{Error, Result};
use crate::numeric::SolverParams;
use crate::spectrum::{Repr, Spectrum, kappa_zero};

/// The S-transform of a positive semi-definite `D × D` matrix `A` given by its spectrum,
/// evaluated numerically (THEORY §2.2, §10): for `df = Df/D`, `λ_A(df)` inverts
/// `df¹_A(λ) = df` (a bracketed Newton solve, the same as the ridgeless κ₀), and
/// `S_A(df) = (1 − df)/(df λ_A)`, so `1/S = Df λ_A/(D − Df)`.
///
/// Where `λ_A(df)` cannot be resolved in double precision (a spectrum spanning hundreds
/// of decades, or eigenvalues near `f64::MAX`), [`STransform::inverse`] returns NaN;
/// the κ solver answers such a point with an error, never a number.
///
/// Use it as a free factor of the renormalization when `A` is free from the data (e.g.
/// `A = FFᵀ` for a structured feature map whose spectrum is known). Its capacity is
/// `rank A` (for `Df ≥ rank A`, `λ_A = 0`). `1/S(0) = Tr A/D`, the mean eigenvalue.
#[derive(Debug, Clone)]
pub struct SpectralFactor {
    spectrum: Spectrum,
    /// `Tr A²`, for the slope at `Df → 0`.
    trace2: f64,
    params: SolverParams,
}

impl SpectralFactor {
    /// The factor of a matrix with this spectrum; its dimension is the `D` of the
    /// normalised `df`.
    ///
    /// # Errors
    /// [`Error::Unsupported`] for an analytic (power-law) spectrum.
    ///
    /// # Examples
    /// The S-transform of `c I` is `1/c`:
    /// ```
    /// use detridge::{Spectrum, stransform::{STransform, SpectralFactor}};
    /// let f = SpectralFactor::new(Spectrum::isotropic(50.0, 4.0)?)?;
    /// assert!((f.inverse(20.0) - 4.0).abs() < 1e-12);
    /// # Ok::<(), detridge::Error>(())
    /// ```
    pub fn new(spectrum: Spectrum) -> Result<Self> {
        let Repr::Discrete(d) = &spectrum.repr else {
            return Err(Error::Unsupported(
                "a spectral S-transform needs a discrete spectrum",
            ));
        };
        let trace2 = (0..d.values.len())
            .map(|i| d.multiplicity(i) * d.values[i] * d.values[i])
            .sum();
        Ok(Self {
            spectrum,
            trace2,
            params: SolverParams::default(),
        })
    }

    /// `λ_A` with `Df¹_A(λ_A) = dof`, and the cancellation-free `Df₁ − Df₂` of `A` there.
    fn lambda_a(&self, dof: f64) -> (f64, f64) {
        if dof <= 0.0 {
            return (f64::INFINITY, 0.0);
        }
        match kappa_zero(&self.spectrum, dof, &self.params) {
            Ok((l, _)) => (l, self.spectrum.dofs(l).df1_minus_df2),
            Err(_) => (f64::NAN, f64::NAN),
        }
    }
}

impl STransform for SpectralFactor {
    fn inverse(&self, dof: f64) -> f64 {
        let d = self.spectrum.dimension();
        if dof <= 0.0 {
            return self.spectrum.trace() / d;
        }
        if dof >= self.spectrum.rank() {
            // At and beyond the capacity λ_A = 0 (and D − Df may vanish: no 0/0).
            return 0.0;
        }
        let (l, _) = self.lambda_a(dof);
        dof * l / (d - dof)
    }
    fn inverse_derivative(&self, dof: f64) -> f64 {
        let d = self.spectrum.dimension();
        let t1 = self.spectrum.trace();
        if dof <= 1e-6 * self.spectrum.rank() {
            // λ_A = T₁/Df − T₂/T₁ + O(Df), so 1/S = (T₁ − Df T₂/T₁ + O(Df²))/(D − Df):
            // the slope at 0, accurate to O(Df) (the exact form below cancels there).
            return t1 / (d * d) - self.trace2 / (t1 * d);
        }
        let (l, dd) = self.lambda_a(dof);
        if l == 0.0 {
            return 0.0;
        }
        // dλ_A/dDf = −λ_A/(Df₁ − Df₂)_A (differentiate Df¹_A(λ_A) = Df).
        let dl = -l / dd;
        l * d / (d - dof).powi(2) + dof / (d - dof) * dl
    }
    fn capacity(&self) -> f64 {
        self.spectrum.rank()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spectral_factor_of_scalar_and_round_trip() {
        let f = SpectralFactor::new(Spectrum::isotropic(40.0, 2.5).unwrap()).unwrap();
        for dof in [0.0, 1.0, 20.0, 39.0] {
            assert!((f.inverse(dof) - 2.5).abs() < 1e-10, "{}", f.inverse(dof));
            assert!(f.inverse_derivative(dof).abs() < 1e-8);
        }
        // Round trip on an irregular spectrum: df¹_A(λ) = df ⇔ λ = (1 − df)/(df S).
        let eig: Vec<f64> = (1..=30).map(|k| 1.0 / f64::from(k)).collect();
        let a = Spectrum::from_eigenvalues(&eig).unwrap();
        let f = SpectralFactor::new(a.clone()).unwrap();
        let lambda = 0.07;
        let dof = a.dofs(lambda).df1;
        let df = dof / 30.0;
        let s = 1.0 / f.inverse(dof);
        assert!(((1.0 - df) / (df * s) - lambda).abs() < 1e-12);
        // Derivative against a central difference.
        let h = 1e-5;
        let fd = (f.inverse(dof + h) - f.inverse(dof - h)) / (2.0 * h);
        assert!((fd - f.inverse_derivative(dof)).abs() < 1e-7 * fd.abs());
        // S(0) = 1/mean eigenvalue; capacity = rank.
        assert!((f.inverse(0.0) - eig.iter().sum::<f64>() / 30.0).abs() < 1e-15);
        assert!((f.capacity() - 30.0).abs() < 1e-15);
    }
}
