//! Linear ridge regression from a design matrix `X` (thin SVD).

use nalgebra::{DMatrix, DVector};

use super::core::{Core, DataPath};
use super::{check_lambda, check_y};
use crate::error::{Error, Result, finite};
use crate::spectrum::Spectrum;

/// The linear model behind [`RidgePath`]: the number of features `D`, the positive
/// singular values `d_k` and the right singular vectors `V` (`D × r`).
#[derive(Debug, Clone)]
pub struct Linear {
    d: usize,
    sv: Vec<f64>,
    v: DMatrix<f64>,
}

/// Every `λ`-dependent data estimator of linear ridge regression from one thin SVD of `X`
/// (module docs give the formulas and the `λ = 0` limits). The shared estimators are the
/// methods of [`DataPath`].
///
/// # Examples
/// ```
/// use detridge::estimate::RidgePath;
/// use nalgebra::{DMatrix, DVector};
/// let x = DMatrix::from_row_slice(4, 2, &[1.0, 0.0, 0.0, 1.0, 1.0, 1.0, 2.0, -1.0]);
/// let y = DVector::from_vec(vec![1.0, 2.0, 2.5, 0.5]);
/// let path = RidgePath::new(&x, &y)?;
/// let (tr, gcv, loo) = (path.train_error(0.1)?, path.gcv(0.1)?, path.loocv(0.1)?);
/// assert!(tr < gcv && gcv.is_finite() && loo.is_finite());
/// // GCV = E_tr Ŝ² (THEORY §3.2).
/// assert!((gcv - tr * path.s_hat(0.1)?.powi(2)).abs() < 1e-12 * gcv);
/// # Ok::<(), detridge::Error>(())
/// ```
pub type RidgePath = DataPath<Linear>;

impl DataPath<Linear> {
    /// Decomposes `X` (`P × D`, rows are samples) once; every `λ` is then `O(P r)` or less.
    ///
    /// # Errors
    /// [`Error::Empty`] if `X` has no rows or no columns; [`Error::LengthMismatch`] if
    /// `y.len() != P`; [`Error::NonFinite`] for a NaN or infinite entry of `X` or `y`;
    /// [`Error::Decomposition`] if the SVD fails.
    ///
    /// # Examples
    /// ```
    /// use detridge::estimate::RidgePath;
    /// use nalgebra::{DMatrix, DVector};
    /// // Wide data (P = 2 < D = 3): the ridgeless fit interpolates.
    /// let x = DMatrix::from_row_slice(2, 3, &[1.0, 0.0, 2.0, 0.0, 1.0, 1.0]);
    /// let y = DVector::from_vec(vec![1.0, -1.0]);
    /// let path = RidgePath::new(&x, &y)?;
    /// assert_eq!(path.rank(), 2);
    /// assert!(path.train_error(0.0)? < 1e-28);
    /// assert!(path.gcv(0.0)?.is_finite()); // the finite ridgeless limit
    /// # Ok::<(), detridge::Error>(())
    /// ```
    pub fn new(x: &DMatrix<f64>, y: &DVector<f64>) -> Result<Self> {
        let (p, d) = x.shape();
        if p == 0 {
            return Err(Error::Empty {
                what: "X (no samples)",
            });
        }
        if d == 0 {
            return Err(Error::Empty {
                what: "X (no features)",
            });
        }
        check_y(y, p)?;
        for &v in x.iter() {
            finite("entry of X", v)?;
        }
        let m = faer::MatRef::from_column_major_slice(x.as_slice(), p, d);
        let svd = m.thin_svd().map_err(|e| Error::Decomposition {
            what: "X (thin SVD)",
            reason: format!("{e:?}"),
        })?;
        let s = svd.S();
        let (uf, vf) = (svd.U(), svd.V());
        let n = p.min(d);
        let dmax = (0..n).map(|k| s[k].abs()).fold(0.0_f64, f64::max);
        let tol = p.max(d) as f64 * f64::EPSILON * dmax;
        let keep: Vec<usize> = (0..n).filter(|&k| s[k] > tol && s[k] > 0.0).collect();
        let r = keep.len();
        let u = DMatrix::from_fn(p, r, |i, j| uf[(i, keep[j])]);
        let v = DMatrix::from_fn(d, r, |i, j| vf[(i, keep[j])]);
        let sv: Vec<f64> = keep.iter().map(|&k| s[k]).collect();
        let pf = p as f64;
        let mu: Vec<f64> = sv.iter().map(|&dk| dk * dk / pf).collect();
        Ok(Self {
            core: Core::new(u, mu, y),
            model: Linear { d, sv, v },
        })
    }

    /// Number of features `D`.
    #[must_use]
    pub fn n_features(&self) -> usize {
        self.model.d
    }

    /// The empirical spectrum of `Σ̂ = XᵀX/P` as a [`Spectrum`] of dimension `D`
    /// (`D − r` zero eigenvalues included), e.g. to compare with a population spectrum.
    ///
    /// # Errors
    /// As [`Spectrum::from_eigenvalues`] (not expected for a decomposed `X`).
    ///
    /// # Examples
    /// ```
    /// use detridge::estimate::RidgePath;
    /// use nalgebra::{DMatrix, DVector};
    /// let x = DMatrix::from_row_slice(2, 3, &[1.0, 0.0, 2.0, 0.0, 1.0, 1.0]);
    /// let path = RidgePath::new(&x, &DVector::from_vec(vec![1.0, 0.0]))?;
    /// let s = path.empirical_spectrum()?;
    /// assert_eq!((s.dimension(), s.rank()), (3.0, 2.0));
    /// assert!((s.trace() - x.norm_squared() / 2.0).abs() < 1e-12);
    /// # Ok::<(), detridge::Error>(())
    /// ```
    pub fn empirical_spectrum(&self) -> Result<Spectrum> {
        let mut e = self.core.mu.clone();
        e.resize(self.model.d, 0.0);
        Spectrum::from_eigenvalues(&e)
    }

    /// Ridge weights `ŵ = (XᵀX/P + λ)⁻¹Xᵀy/P = Σ_k v_k d_k z_k/(d_k² + Pλ)`; at `λ = 0`
    /// the minimum-norm least-squares solution `X⁺y`.
    ///
    /// # Errors
    /// [`Error::NonFinite`] / [`Error::InvalidParameter`] for a NaN, infinite or negative
    /// `λ`.
    ///
    /// # Examples
    /// ```
    /// use detridge::estimate::RidgePath;
    /// use nalgebra::{DMatrix, DVector};
    /// let x = DMatrix::from_row_slice(3, 1, &[1.0, 2.0, 2.0]);
    /// let y = DVector::from_vec(vec![1.0, 2.0, 3.0]);
    /// let path = RidgePath::new(&x, &y)?;
    /// // One feature: ŵ = (xᵀy/P)/(xᵀx/P + λ) = (11/3)/(3 + λ).
    /// assert!((path.weights(1.0)?[0] - 11.0 / 12.0).abs() < 1e-14);
    /// # Ok::<(), detridge::Error>(())
    /// ```
    pub fn weights(&self, lambda: f64) -> Result<DVector<f64>> {
        let lambda = check_lambda(lambda)?;
        let pl = self.core.pf() * lambda;
        let coef = DVector::from_iterator(
            self.rank(),
            self.model
                .sv
                .iter()
                .zip(&self.core.z)
                .map(|(&dk, &zk)| dk * zk / (dk * dk + pl)),
        );
        let w = &self.model.v * coef;
        // Data near the ends of the f64 range overflow: an error, never ∞ or NaN.
        if let Some(&bad) = w.iter().find(|v| !v.is_finite()) {
            return Err(Error::NonFinite {
                what: "ridge weights",
                value: bad,
            });
        }
        Ok(w)
    }
}
