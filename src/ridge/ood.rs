//! Out-of-distribution test covariance (THEORY §3.5).

use super::RidgeTheory;
use crate::error::{Error, Result};
use crate::spectrum::Task;

/// Deterministic-equivalent error under an out-of-distribution test covariance.
#[must_use]
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct OodTheory {
    /// In-distribution theory at the same point.
    pub in_distribution: RidgeTheory,
    /// `γ′ = Tr[Σ′Σ(Σ+κ)⁻²]/P`.
    pub gamma_test: f64,
    /// `E_g′ = (ŵ−w̄)ᵀΣ′(ŵ−w̄)`, without test-label noise (THEORY §3.5).
    pub test_error: f64,
}

impl Task {
    /// Out-of-distribution test error (THEORY §3.5) for a test covariance `Σ′` that
    /// shares `Σ`'s eigenvectors: `test_eigenvalues[i]` is `Σ′`'s eigenvalue on the `i`-th
    /// stored entry of the spectrum (zero eigenvalues of `Σ` excluded).
    ///
    /// `E_g′ = κ² w̄ᵀ(Σ+κ)⁻¹Σ′(Σ+κ)⁻¹w̄ + γ′/(1−γ) (bias² + σ²)`.
    ///
    /// # Errors
    /// As [`Task::ridge`], plus [`Error::LengthMismatch`], [`Error::NonFinite`],
    /// [`Error::InvalidParameter`] for a negative test eigenvalue, and
    /// [`Error::Unsupported`] for analytic spectra.
    pub fn ridge_ood(&self, p: f64, lambda: f64, test_eigenvalues: &[f64]) -> Result<OodTheory> {
        let (d, w2) = self.discrete_target().ok_or(Error::Unsupported(
            "out-of-distribution errors need a finite spectrum",
        ))?;
        if test_eigenvalues.len() != d.values.len() {
            return Err(Error::LengthMismatch {
                what: "test eigenvalues vs spectrum entries",
                expected: d.values.len(),
                got: test_eigenvalues.len(),
            });
        }
        for &v in test_eigenvalues {
            crate::error::non_negative("test eigenvalue", v)?;
        }
        let t = self.ridge(p, lambda)?;
        let k = t.kappa;
        let mut signal = 0.0;
        let mut gamma_test = 0.0;
        for (i, ((&s, &w), &st)) in d.values.iter().zip(&w2).zip(test_eigenvalues).enumerate() {
            let u = 1.0 / (s + k);
            signal += w * st * u * u;
            gamma_test += d.multiplicity(i) * st * s * u * u;
        }
        gamma_test /= p;
        let one_minus_gamma = 1.0 / t.dkappa_dlambda;
        let test_error =
            k * k * signal + gamma_test / one_minus_gamma * (t.bias2 + self.noise_variance);
        // Test eigenvalues near f64::MAX (or a tiny κ with a large one) overflow: an error.
        crate::error::finite("out-of-distribution γ′", gamma_test)?;
        crate::error::finite("out-of-distribution test error", test_error)?;
        Ok(OodTheory {
            in_distribution: t,
            gamma_test,
            test_error,
        })
    }
}
