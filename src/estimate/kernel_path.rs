//! Kernel ridge regression from a user-supplied Gram matrix `K` (symmetric
//! eigendecomposition).

use nalgebra::{DMatrix, DVector};

use super::core::{Core, DataPath};
use super::{check_lambda, check_y};
use crate::error::{Error, Result};
use crate::numeric::symmetric_eigen;

/// The kernel model behind [`KernelPath`] (no state beyond the shared core).
#[derive(Debug, Clone, Copy, Default)]
pub struct Kernel;

/// Data estimators of kernel ridge regression from one symmetric eigendecomposition of a
/// user-supplied Gram matrix `K` (`P × P`): `f̂(x) = k(x)ᵀ(K + Pλ)⁻¹y` (THEORY §6, 1/P
/// convention), hat matrix `H = (K/P)(K/P + λ)⁻¹`. Its GCV is KARE (THEORY §3.2):
/// `E_tr = (λ²/P) yᵀ(K/P + λ)⁻²y`, `KARE = E_tr / ((λ/P) Tr (K/P + λ)⁻¹)²`.
/// All formulas, limits and conventions are those of [`RidgePath`](super::RidgePath) with `G` replaced by
/// `K/P` (module docs); LOOCV refits keep the penalty `Pλ`, i.e. the `i`-th refit is
/// `k₋ᵢ(x)ᵀ(K₋ᵢ + PλI)⁻¹y₋ᵢ`. The shared estimators are the methods of
/// [`DataPath`]; GCV ([`DataPath::gcv`]) and KARE ([`KernelPath::kare`]) coincide.
///
/// # Examples
/// ```
/// use detridge::estimate::KernelPath;
/// use nalgebra::{DMatrix, DVector};
/// let xs: [f64; 5] = [0.0, 0.3, 0.9, 1.4, 2.0];
/// let k = DMatrix::from_fn(5, 5, |i, j| (-(xs[i] - xs[j]).powi(2)).exp());
/// let y = DVector::from_vec(vec![0.1, 0.4, 0.8, 1.0, 0.9]);
/// let path = KernelPath::new(&k, &y)?;
/// let l = 1e-2;
/// // KARE = Ŝ² E_tr.
/// let kare = path.kare(l)?;
/// assert!((kare - path.train_error(l)? * path.s_hat(l)?.powi(2)).abs() < 1e-12 * kare);
/// # Ok::<(), detridge::Error>(())
/// ```
pub type KernelPath = DataPath<Kernel>;

impl DataPath<Kernel> {
    /// Decomposes `K` once (faer symmetric eigendecomposition).
    ///
    /// # Errors
    /// [`Error::Empty`] for a `0 × 0` matrix; [`Error::LengthMismatch`] if `K` is not square
    /// or `y.len() != P`; [`Error::NonFinite`] for a NaN or infinite entry;
    /// [`Error::NotPositiveSemiDefinite`] if `K` is not symmetric or has a clearly
    /// negative eigenvalue; [`Error::Decomposition`] if the eigensolver fails.
    ///
    /// # Examples
    /// ```
    /// use detridge::estimate::KernelPath;
    /// use nalgebra::{DMatrix, DVector};
    /// let k = DMatrix::from_row_slice(2, 2, &[2.0, 1.0, 1.0, 2.0]);
    /// let path = KernelPath::new(&k, &DVector::from_vec(vec![1.0, 0.0]))?;
    /// assert_eq!(path.rank(), 2);
    /// # Ok::<(), detridge::Error>(())
    /// ```
    pub fn new(k: &DMatrix<f64>, y: &DVector<f64>) -> Result<Self> {
        let p = k.nrows();
        if p == 0 || k.ncols() == 0 {
            return Err(Error::Empty {
                what: "kernel Gram matrix K",
            });
        }
        if k.ncols() != p {
            return Err(Error::LengthMismatch {
                what: "kernel Gram matrix K must be square",
                expected: p,
                got: k.ncols(),
            });
        }
        check_y(y, p)?;
        let (values, vectors) = symmetric_eigen(k, "kernel Gram matrix K")?;
        // Eigenvalues come ascending; keep the positive ones, largest first.
        let keep: Vec<usize> = (0..p).rev().filter(|&i| values[i] > 0.0).collect();
        let pf = p as f64;
        let mu: Vec<f64> = keep.iter().map(|&i| values[i] / pf).collect();
        let u = DMatrix::from_fn(p, keep.len(), |i, j| vectors[(i, keep[j])]);
        Ok(Self {
            core: Core::new(u, mu, y),
            model: Kernel,
        })
    }

    /// Dual coefficients `α = (K + Pλ)⁻¹y`, so that `f̂(x) = k(x)ᵀα`. At `λ = 0`, the
    /// minimum-norm interpolant `α = K⁺y` (the part of `y` outside the range of `K` cannot
    /// be fitted and is dropped, as in the `λ → 0` limit of the predictions).
    ///
    /// # Errors
    /// [`Error::NonFinite`] / [`Error::InvalidParameter`] for a NaN, infinite or negative
    /// `λ`.
    ///
    /// # Examples
    /// ```
    /// use detridge::estimate::KernelPath;
    /// use nalgebra::{DMatrix, DVector};
    /// let k = DMatrix::from_row_slice(2, 2, &[2.0, 1.0, 1.0, 2.0]);
    /// let y = DVector::from_vec(vec![1.0, 0.0]);
    /// let path = KernelPath::new(&k, &y)?;
    /// let alpha = path.dual_coefficients(0.5)?; // (K + I)⁻¹ y
    /// let back = (&k + DMatrix::identity(2, 2)) * &alpha;
    /// assert!((back - y).norm() < 1e-14);
    /// # Ok::<(), detridge::Error>(())
    /// ```
    pub fn dual_coefficients(&self, lambda: f64) -> Result<DVector<f64>> {
        let lambda = check_lambda(lambda)?;
        let c = &self.core;
        let pf = c.pf();
        let coef = DVector::from_iterator(
            c.rank(),
            c.mu.iter()
                .zip(&c.z)
                .map(|(&m, &z)| z / (pf * (m + lambda))),
        );
        let mut alpha = &c.u * coef;
        if lambda > 0.0 {
            for (a, yp) in alpha.iter_mut().zip(&c.y_perp) {
                *a += yp / (pf * lambda);
            }
        }
        Ok(alpha)
    }

    /// KARE `= E_tr / ((λ/P) Tr (K/P + λ)⁻¹)²` (Jacot et al. 2020; THEORY §3.2), the
    /// kernel form of GCV; finite at `λ = 0`.
    ///
    /// # Errors
    /// [`Error::NonFinite`] / [`Error::InvalidParameter`] for a NaN, infinite or negative
    /// `λ`.
    ///
    /// # Examples
    /// ```
    /// use detridge::estimate::KernelPath;
    /// use nalgebra::{DMatrix, DVector};
    /// let k = DMatrix::from_row_slice(1, 1, &[3.0]);
    /// let path = KernelPath::new(&k, &DVector::from_vec(vec![2.0]))?;
    /// // P = 1: KARE = (λ²y²/(3+λ)²) / (λ/(3+λ))² = y².
    /// assert!((path.kare(0.7)? - 4.0).abs() < 1e-14);
    /// # Ok::<(), detridge::Error>(())
    /// ```
    pub fn kare(&self, lambda: f64) -> Result<f64> {
        // Data near the ends of the f64 range overflow: an error, never ∞ or NaN.
        crate::error::finite("gcv", self.core.gcv(check_lambda(lambda)?))
    }
}
