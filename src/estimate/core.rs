//! The shared core of the data paths: one decomposition, every `λ`-dependent estimator
//! (module docs of [`crate::estimate`] give the formulas and the `λ = 0` limits).

use nalgebra::{DMatrix, DVector};

use super::check_lambda;
use super::select::{Criterion, LambdaChoice, LambdaSearchParams, select_lambda};
#[cfg(doc)]
use super::{KernelPath, RidgePath};
#[cfg(doc)]
use crate::error::Error;
use crate::error::Result;

/// The decomposed problem shared by [`RidgePath`](super::RidgePath) and
/// [`KernelPath`](super::KernelPath): the positive
/// eigenvalues `μ_k` of `G` (or `K/P`), their eigenvectors `U` (`P × r`), `z = Uᵀy`, the
/// residual of the projection `y_⊥` and the leverage complements `c_i = 1 − ‖U_i·‖²`.
#[derive(Debug, Clone)]
pub(super) struct Core {
    pub(super) p: usize,
    pub(super) mu: Vec<f64>,
    pub(super) u: DMatrix<f64>,
    pub(super) u2: DMatrix<f64>,
    pub(super) z: Vec<f64>,
    pub(super) y_perp: Vec<f64>,
    pub(super) y_perp2: f64,
    pub(super) c: Vec<f64>,
    /// Some row has `c_i > 0` / `c_i = 0`.
    pub(super) any_open: bool,
    pub(super) any_closed: bool,
}

impl Core {
    /// `u`: `P × r` orthonormal columns for the positive eigenvalues `mu` (`r ≤ P`).
    pub(super) fn new(u: DMatrix<f64>, mu: Vec<f64>, y: &DVector<f64>) -> Self {
        let p = u.nrows();
        let r = mu.len();
        let z_vec = u.transpose() * y;
        let z: Vec<f64> = z_vec.iter().copied().collect();
        let (y_perp, c) = if r == p {
            (vec![0.0; p], vec![0.0; p])
        } else {
            let yp = y - &u * &z_vec;
            let tol = 8.0 * r as f64 * f64::EPSILON;
            let c: Vec<f64> = (0..p)
                .map(|i| {
                    let lev: f64 = (0..r).map(|k| u[(i, k)] * u[(i, k)]).sum();
                    let ci = 1.0 - lev;
                    if ci <= tol { 0.0 } else { ci }
                })
                .collect();
            (yp.iter().copied().collect(), c)
        };
        let y_perp2 = y_perp.iter().map(|v| v * v).sum();
        let u2 = u.map(|v| v * v);
        let any_open = c.iter().any(|&ci| ci > 0.0);
        let any_closed = c.iter().any(|&ci| ci <= 0.0);
        Self {
            p,
            mu,
            u,
            u2,
            z,
            y_perp,
            y_perp2,
            c,
            any_open,
            any_closed,
        }
    }

    pub(super) fn pf(&self) -> f64 {
        self.p as f64
    }

    pub(super) fn rank(&self) -> usize {
        self.mu.len()
    }

    /// `P − r`, the dimension of the null space of `G`.
    pub(super) fn null_dim(&self) -> f64 {
        (self.p - self.rank()) as f64
    }

    pub(super) fn interpolates(&self) -> bool {
        self.rank() == self.p
    }

    /// `Σ_k μ_k/(μ_k+λ)` = `Tr H` (THEORY §2.1, `df̂`, unnormalised).
    pub(super) fn df(&self, lambda: f64) -> f64 {
        if lambda == 0.0 {
            return self.rank() as f64;
        }
        self.mu.iter().map(|&m| m / (m + lambda)).sum()
    }

    /// `1 − df̂/P = ((P − r) + Σ λ/(μ_k+λ))/P` without cancellation.
    pub(super) fn one_minus_df_over_p(&self, lambda: f64) -> f64 {
        let open: f64 = self.mu.iter().map(|&m| lambda / (m + lambda)).sum();
        (self.null_dim() + open) / self.pf()
    }

    /// `E_tr = (‖y_⊥‖² + Σ a_k² z_k²)/P` (THEORY §1, §3.2).
    pub(super) fn train_error(&self, lambda: f64) -> f64 {
        let shrunk: f64 = self
            .mu
            .iter()
            .zip(&self.z)
            .map(|(&m, &z)| {
                let a = lambda / (m + lambda);
                a * a * z * z
            })
            .sum();
        (self.y_perp2 + shrunk) / self.pf()
    }

    /// `κ̂ = λŜ = P/((P−r)/λ + Σ 1/(μ_k+λ))` (THEORY §2.1, Gram form).
    pub(super) fn kappa_hat(&self, lambda: f64) -> f64 {
        let pf = self.pf();
        if self.interpolates() {
            // P = r: κ̂ = P / Tr (G+λ)⁻¹, finite at λ = 0 (P / Tr G⁺).
            let tr: f64 = self.mu.iter().map(|&m| 1.0 / (m + lambda)).sum();
            pf / tr
        } else if lambda == 0.0 {
            0.0
        } else {
            let tr: f64 = self.mu.iter().map(|&m| lambda / (m + lambda)).sum();
            lambda * pf / (self.null_dim() + tr)
        }
    }

    /// GCV `= E_tr/(1 − df̂/P)²` (THEORY §3.2), finite at `λ = 0` on both sides.
    pub(super) fn gcv(&self, lambda: f64) -> f64 {
        let pf = self.pf();
        if self.interpolates() {
            // Divide numerator and denominator by λ² (and rescale by m = μ_min + λ so that
            // every weight is in (0, 1]): GCV = P Σ b_k² z_k² / (Σ b_k)², b_k = m/(μ_k+λ).
            let m = self.mu.iter().copied().fold(f64::INFINITY, f64::min) + lambda;
            let (mut num, mut den) = (0.0, 0.0);
            for (&mu, &z) in self.mu.iter().zip(&self.z) {
                let b = m / (mu + lambda);
                num += b * b * z * z;
                den += b;
            }
            pf * num / (den * den)
        } else {
            let (mut num, mut den) = (self.y_perp2, self.null_dim());
            for (&mu, &z) in self.mu.iter().zip(&self.z) {
                let a = lambda / (mu + lambda);
                num += a * a * z * z;
                den += a;
            }
            pf * num / (den * den)
        }
    }

    /// The leave-one-out residuals `e_i/(1 − H_ii)` (module docs).
    pub(super) fn loo_residuals(&self, lambda: f64) -> Vec<f64> {
        let p = self.p;
        let mut out = vec![0.0; p];
        if self.any_open {
            // Rows with c_i > 0: (y_⊥,i + Σ U_ik a_k z_k)/(c_i + Σ U_ik² a_k).
            let a =
                DVector::from_iterator(self.rank(), self.mu.iter().map(|&m| lambda / (m + lambda)));
            let az = DVector::from_iterator(
                self.rank(),
                a.iter().zip(&self.z).map(|(&ak, &zk)| ak * zk),
            );
            let num = &self.u * &az;
            let den = &self.u2 * &a;
            for i in 0..p {
                if self.c[i] > 0.0 {
                    out[i] = (self.y_perp[i] + num[i]) / (self.c[i] + den[i]);
                }
            }
        }
        if self.any_closed && self.rank() > 0 {
            // Rows with c_i = 0: y_⊥,i = 0, and the common factor λ is divided out:
            // Σ U_ik b_k z_k / Σ U_ik² b_k with b_k = m/(μ_k+λ) ∈ (0, 1].
            let m = self.mu.iter().copied().fold(f64::INFINITY, f64::min) + lambda;
            let b =
                DVector::from_iterator(self.rank(), self.mu.iter().map(|&mu| m / (mu + lambda)));
            let bz = DVector::from_iterator(
                self.rank(),
                b.iter().zip(&self.z).map(|(&bk, &zk)| bk * zk),
            );
            let num = &self.u * &bz;
            let den = &self.u2 * &b;
            for i in 0..p {
                if self.c[i] <= 0.0 {
                    out[i] = num[i] / den[i];
                }
            }
        }
        out
    }

    /// LOOCV `= (1/P) Σ_i (e_i/(1 − H_ii))²`.
    pub(super) fn loocv(&self, lambda: f64) -> f64 {
        let r = self.loo_residuals(lambda);
        r.iter().map(|v| v * v).sum::<f64>() / self.pf()
    }

    /// Fitted values `Hy = U diag(μ/(μ+λ)) z` (`U z` at `λ = 0`).
    pub(super) fn fitted(&self, lambda: f64) -> DVector<f64> {
        let f = DVector::from_iterator(
            self.rank(),
            self.mu
                .iter()
                .zip(&self.z)
                .map(|(&m, &z)| m / (m + lambda) * z),
        );
        &self.u * f
    }

    pub(super) fn criterion(&self, criterion: Criterion, lambda: f64) -> f64 {
        match criterion {
            Criterion::Gcv => self.gcv(lambda),
            Criterion::Loocv => self.loocv(lambda),
        }
    }

    pub(super) fn max_mu(&self) -> f64 {
        self.mu.iter().copied().fold(0.0, f64::max)
    }

    pub(super) fn min_mu(&self) -> f64 {
        self.mu.iter().copied().fold(f64::INFINITY, f64::min)
    }
}

/// Data estimators from one decomposition, shared by [`RidgePath`] (`K = Linear`, from a
/// design matrix `X`) and [`KernelPath`] (`K = Kernel`, from a Gram matrix): every method
/// below is available on both; constructors and model-specific methods are on the
/// aliases.
///
/// [`RidgePath`]: super::RidgePath
/// [`KernelPath`]: super::KernelPath
#[derive(Debug, Clone)]
pub struct DataPath<K> {
    pub(super) core: Core,
    pub(super) model: K,
}

impl<K> DataPath<K> {
    /// Number of samples `P`.
    #[must_use]
    pub fn n_samples(&self) -> usize {
        self.core.p
    }

    /// Numerical rank `r` of `X` (or of `K`; see the module docs for the cut-off).
    #[must_use]
    pub fn rank(&self) -> usize {
        self.core.rank()
    }

    /// The `r` non-zero eigenvalues `μ_k` of `G = XXᵀ/P` (equivalently `d_k²/P`, those of
    /// `Σ̂ = XᵀX/P`), or of `K/P` for a [`KernelPath`], in decreasing order.
    #[must_use]
    pub fn sample_eigenvalues(&self) -> &[f64] {
        &self.core.mu
    }

    /// Projections `z_k = u_kᵀy` of the labels on the eigenvectors `u_k` of the Gram
    /// matrix (one per entry of [`sample_eigenvalues`](Self::sample_eigenvalues), same
    /// order; the sign of each is that of the eigenvector, so only `z_k²` is meaningful).
    /// With `‖y_⊥‖²` ([`null_residual`](Self::null_residual)) they give every estimator
    /// above, e.g. `E_tr = (‖y_⊥‖² + Σ_k (λ/(μ_k+λ))² z_k²)/P`.
    ///
    /// # Examples
    /// ```
    /// use detridge::estimate::RidgePath;
    /// use nalgebra::{DMatrix, DVector};
    /// let x = DMatrix::from_row_slice(3, 1, &[1.0, 2.0, 2.0]);
    /// let y = DVector::from_vec(vec![1.0, 2.0, 3.0]);
    /// let path = RidgePath::new(&x, &y)?;
    /// // u = x/‖x‖ = (1, 2, 2)/3, so z² = (1 + 4 + 6)²/9; the rest of ‖y‖² is ‖y_⊥‖².
    /// let z2 = path.projections()[0].powi(2);
    /// assert!((z2 - 121.0 / 9.0).abs() < 1e-12);
    /// assert!((path.null_residual() - (14.0 - 121.0 / 9.0)).abs() < 1e-12);
    /// # Ok::<(), detridge::Error>(())
    /// ```
    #[must_use]
    pub fn projections(&self) -> &[f64] {
        &self.core.z
    }

    /// `‖y_⊥‖²`, the part of `‖y‖²` outside the column span of `X` (of the `P − r`
    /// null directions of the Gram matrix; 0 when `r = P`).
    #[must_use]
    pub fn null_residual(&self) -> f64 {
        self.core.y_perp2
    }

    /// Fitted values `Hy` at the training points (`Xŵ` for [`RidgePath`]).
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
    /// let f = path.fitted(1.0)?;
    /// assert!((f[1] - 2.0 * 11.0 / 12.0).abs() < 1e-14);
    /// # Ok::<(), detridge::Error>(())
    /// ```
    /// With a kernel Gram matrix ([`KernelPath`]):
    /// ```
    /// use detridge::estimate::KernelPath;
    /// use nalgebra::{DMatrix, DVector};
    /// let k = DMatrix::from_row_slice(2, 2, &[2.0, 1.0, 1.0, 2.0]);
    /// let path = KernelPath::new(&k, &DVector::from_vec(vec![1.0, 0.0]))?;
    /// let f = path.fitted(0.0)?; // interpolation
    /// assert!((f[0] - 1.0).abs() < 1e-14 && f[1].abs() < 1e-14);
    /// # Ok::<(), detridge::Error>(())
    /// ```
    pub fn fitted(&self, lambda: f64) -> Result<DVector<f64>> {
        Ok(self.core.fitted(check_lambda(lambda)?))
    }

    /// Training error `E_tr = ‖y − Xŵ‖²/P` (THEORY §1, §3.2; no penalty term).
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
    /// let w: f64 = 11.0 / 12.0;
    /// let direct = ((1.0 - w).powi(2) + (2.0 - 2.0 * w).powi(2) + (3.0 - 2.0 * w).powi(2)) / 3.0;
    /// assert!((path.train_error(1.0)? - direct).abs() < 1e-14);
    /// # Ok::<(), detridge::Error>(())
    /// ```
    /// With a kernel Gram matrix ([`KernelPath`]):
    /// ```
    /// use detridge::estimate::KernelPath;
    /// use nalgebra::{DMatrix, DVector};
    /// let k = DMatrix::from_row_slice(1, 1, &[3.0]);
    /// let path = KernelPath::new(&k, &DVector::from_vec(vec![2.0]))?;
    /// // P = 1: E_tr = λ² y²/(K + λ)².
    /// assert!((path.train_error(1.0)? - 4.0 / 16.0).abs() < 1e-15);
    /// # Ok::<(), detridge::Error>(())
    /// ```
    pub fn train_error(&self, lambda: f64) -> Result<f64> {
        // Data near the ends of the f64 range overflow: an error, never ∞ or NaN.
        crate::error::finite("train_error", self.core.train_error(check_lambda(lambda)?))
    }

    /// Effective degrees of freedom `df̂ = Tr H = Tr Σ̂(Σ̂+λ)⁻¹` (unnormalised, THEORY
    /// §2.1); `rank X` at `λ = 0`.
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
    /// let path = RidgePath::new(&x, &DVector::from_vec(vec![1.0, 2.0, 3.0]))?;
    /// assert!((path.df(1.0)? - 3.0 / 4.0).abs() < 1e-15); // μ = 9/3 = 3
    /// assert_eq!(path.df(0.0)?, 1.0);
    /// # Ok::<(), detridge::Error>(())
    /// ```
    /// With a kernel Gram matrix ([`KernelPath`]):
    /// ```
    /// use detridge::estimate::KernelPath;
    /// use nalgebra::{DMatrix, DVector};
    /// let k = DMatrix::from_row_slice(1, 1, &[3.0]);
    /// let path = KernelPath::new(&k, &DVector::from_vec(vec![2.0]))?;
    /// assert!((path.df(1.0)? - 0.75).abs() < 1e-15);
    /// # Ok::<(), detridge::Error>(())
    /// ```
    pub fn df(&self, lambda: f64) -> Result<f64> {
        // Data near the ends of the f64 range overflow: an error, never ∞ or NaN.
        crate::error::finite("df", self.core.df(check_lambda(lambda)?))
    }

    /// `1 − df̂/P = (λ/P) Tr (G+λ)⁻¹`, evaluated without cancellation (module docs).
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
    /// let path = RidgePath::new(&x, &DVector::from_vec(vec![1.0, 2.0, 3.0]))?;
    /// assert!((path.one_minus_df_over_p(1.0)? - (1.0 - 0.75 / 3.0)).abs() < 1e-15);
    /// # Ok::<(), detridge::Error>(())
    /// ```
    /// With a kernel Gram matrix ([`KernelPath`]):
    /// ```
    /// use detridge::estimate::KernelPath;
    /// use nalgebra::{DMatrix, DVector};
    /// let k = DMatrix::from_row_slice(1, 1, &[3.0]);
    /// let path = KernelPath::new(&k, &DVector::from_vec(vec![2.0]))?;
    /// assert!((path.one_minus_df_over_p(1e-14)? - 1e-14 / (3.0 + 1e-14)).abs() < 1e-29);
    /// # Ok::<(), detridge::Error>(())
    /// ```
    pub fn one_minus_df_over_p(&self, lambda: f64) -> Result<f64> {
        // Data near the ends of the f64 range overflow: an error, never ∞ or NaN.
        crate::error::finite(
            "one_minus_df_over_p",
            self.core.one_minus_df_over_p(check_lambda(lambda)?),
        )
    }

    /// The empirical S-transform `Ŝ = 1/(1 − df̂/P)` (THEORY §2.1), the data's train–test
    /// gap. `+∞` at `λ = 0` when the fit interpolates (`rank X = P`).
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
    /// let path = RidgePath::new(&x, &DVector::from_vec(vec![1.0, 2.0, 3.0]))?;
    /// assert!((path.s_hat(0.0)? - 1.5).abs() < 1e-15); // 1/(1 − 1/3)
    /// # Ok::<(), detridge::Error>(())
    /// ```
    /// With a kernel Gram matrix ([`KernelPath`]):
    /// ```
    /// use detridge::estimate::KernelPath;
    /// use nalgebra::{DMatrix, DVector};
    /// let k = DMatrix::from_row_slice(1, 1, &[3.0]);
    /// let path = KernelPath::new(&k, &DVector::from_vec(vec![2.0]))?;
    /// assert!((path.s_hat(1.0)? - 4.0).abs() < 1e-14);
    /// assert!(path.s_hat(0.0)?.is_infinite());
    /// # Ok::<(), detridge::Error>(())
    /// ```
    pub fn s_hat(&self, lambda: f64) -> Result<f64> {
        Ok(1.0 / self.core.one_minus_df_over_p(check_lambda(lambda)?))
    }

    /// The data estimate of the renormalized ridge, `κ̂ = λŜ` (THEORY §2.1). At `λ = 0`:
    /// `0` if `rank X < P`, else the finite limit `P/Tr G⁺`.
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
    /// let path = RidgePath::new(&x, &DVector::from_vec(vec![1.0, 2.0, 3.0]))?;
    /// let l = 0.5;
    /// assert!((path.kappa_hat(l)? - l * path.s_hat(l)?).abs() < 1e-15);
    /// # Ok::<(), detridge::Error>(())
    /// ```
    /// With a kernel Gram matrix ([`KernelPath`]):
    /// ```
    /// use detridge::estimate::KernelPath;
    /// use nalgebra::{DMatrix, DVector};
    /// let k = DMatrix::from_row_slice(1, 1, &[3.0]);
    /// let path = KernelPath::new(&k, &DVector::from_vec(vec![2.0]))?;
    /// assert!((path.kappa_hat(1.0)? - 4.0).abs() < 1e-14);
    /// assert!((path.kappa_hat(0.0)? - 3.0).abs() < 1e-14); // P/Tr G⁺
    /// # Ok::<(), detridge::Error>(())
    /// ```
    pub fn kappa_hat(&self, lambda: f64) -> Result<f64> {
        // Data near the ends of the f64 range overflow: an error, never ∞ or NaN.
        crate::error::finite("kappa_hat", self.core.kappa_hat(check_lambda(lambda)?))
    }

    /// Generalised cross-validation `E_tr/(1 − df̂/P)² = Ŝ² E_tr` (Golub–Heath–Wahba;
    /// THEORY §3.2), an estimate of the noisy test risk `E_g + σ²`. Finite at `λ = 0` on
    /// both sides of `P = D` (module docs).
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
    /// let path = RidgePath::new(&x, &DVector::from_vec(vec![1.0, 2.0, 3.0]))?;
    /// let g = path.gcv(0.2)?;
    /// assert!((g - path.train_error(0.2)? / path.one_minus_df_over_p(0.2)?.powi(2)).abs() < 1e-14);
    /// # Ok::<(), detridge::Error>(())
    /// ```
    /// With a kernel Gram matrix ([`KernelPath`]):
    /// ```
    /// use detridge::estimate::KernelPath;
    /// use nalgebra::{DMatrix, DVector};
    /// let k = DMatrix::from_row_slice(2, 2, &[2.0, 1.0, 1.0, 2.0]);
    /// let path = KernelPath::new(&k, &DVector::from_vec(vec![1.0, 0.0]))?;
    /// assert_eq!(path.gcv(0.3)?, path.kare(0.3)?);
    /// # Ok::<(), detridge::Error>(())
    /// ```
    pub fn gcv(&self, lambda: f64) -> Result<f64> {
        // Data near the ends of the f64 range overflow: an error, never ∞ or NaN.
        crate::error::finite("gcv", self.core.gcv(check_lambda(lambda)?))
    }

    /// Exact leave-one-out cross-validation `(1/P) Σ_i (e_i/(1 − H_ii))²`, the mean squared
    /// error of refits on `P − 1` samples that keep the **unnormalised penalty `Pλ`**
    /// (module docs). Finite at `λ = 0` (minimum-norm refits).
    ///
    /// # Errors
    /// [`Error::NonFinite`] / [`Error::InvalidParameter`] for a NaN, infinite or negative
    /// `λ`.
    ///
    /// # Examples
    /// ```
    /// use detridge::estimate::RidgePath;
    /// use nalgebra::{DMatrix, DVector};
    /// // One feature, λ = 0: refit i is w = Σ_{j≠i} x_j y_j / Σ_{j≠i} x_j².
    /// let x = DMatrix::from_row_slice(3, 1, &[1.0, 2.0, 2.0]);
    /// let y = DVector::from_vec(vec![1.0, 2.0, 3.0]);
    /// let path = RidgePath::new(&x, &y)?;
    /// let loo = ((1.0f64 - 10.0 / 8.0).powi(2)
    ///     + (2.0f64 - 2.0 * 7.0 / 5.0).powi(2)
    ///     + (3.0f64 - 2.0 * 5.0 / 5.0).powi(2)) / 3.0;
    /// assert!((path.loocv(0.0)? - loo).abs() < 1e-14);
    /// # Ok::<(), detridge::Error>(())
    /// ```
    /// With a kernel Gram matrix ([`KernelPath`]):
    /// ```
    /// use detridge::estimate::KernelPath;
    /// use nalgebra::{DMatrix, DVector};
    /// // P = 2: refit on the other point j predicts K_ij y_j/(K_jj + 2λ).
    /// let k = DMatrix::from_row_slice(2, 2, &[2.0, 1.0, 1.0, 2.0]);
    /// let path = KernelPath::new(&k, &DVector::from_vec(vec![1.0, 0.0]))?;
    /// let l = 0.5;
    /// let loo = ((1.0f64 - 0.0).powi(2) + (0.0f64 - 1.0 / (2.0 + 2.0 * l)).powi(2)) / 2.0;
    /// assert!((path.loocv(l)? - loo).abs() < 1e-14);
    /// # Ok::<(), detridge::Error>(())
    /// ```
    pub fn loocv(&self, lambda: f64) -> Result<f64> {
        // Data near the ends of the f64 range overflow: an error, never ∞ or NaN.
        crate::error::finite("loocv", self.core.loocv(check_lambda(lambda)?))
    }

    /// The leave-one-out residuals `e_i/(1 − H_ii)`, the error of the `i`-th refit at its
    /// left-out point (same convention as [`DataPath::loocv`]).
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
    /// let path = RidgePath::new(&x, &DVector::from_vec(vec![1.0, 2.0, 3.0]))?;
    /// let r = path.loo_residuals(0.0)?;
    /// assert!((r[0] - (1.0 - 10.0 / 8.0)).abs() < 1e-14);
    /// # Ok::<(), detridge::Error>(())
    /// ```
    pub fn loo_residuals(&self, lambda: f64) -> Result<DVector<f64>> {
        Ok(DVector::from_vec(
            self.core.loo_residuals(check_lambda(lambda)?),
        ))
    }

    /// The `λ` minimising GCV (KARE for kernels) or LOOCV, with the coarse curve.
    ///
    /// The criterion is evaluated on a log-spaced grid (every point costs `O(P r)` at
    /// most, no new decomposition), then the best interior grid point is refined by
    /// Brent's method in `ln λ`, bracketed by its two neighbours (so the result is never
    /// worse than the best grid point). If the best grid point is an end of the grid, that
    /// end is returned with `at_boundary = true`.
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] / [`Error::NonFinite`] for bad [`LambdaSearchParams`];
    /// [`Error::Unsupported`] when `X` is zero, so the criteria do not depend on `λ`;
    /// [`Error::NoConvergence`] if Brent exhausts `max_iter`.
    ///
    /// # Examples
    /// ```
    /// use detridge::estimate::{Criterion, LambdaSearchParams, RidgePath};
    /// use nalgebra::{DMatrix, DVector};
    /// let x = DMatrix::from_fn(40, 5, |i, j| ((i * 7 + j * 3) % 11) as f64 - 5.0);
    /// let y = DVector::from_fn(40, |i, _| x[(i, 0)] + ((i * 5) % 3) as f64);
    /// let path = RidgePath::new(&x, &y)?;
    /// let best = path.select_lambda(Criterion::Gcv, &LambdaSearchParams::default())?;
    /// for &l in &best.grid {
    ///     assert!(best.value <= path.gcv(l)? * (1.0 + 1e-12));
    /// }
    /// # Ok::<(), detridge::Error>(())
    /// ```
    /// With a kernel Gram matrix ([`KernelPath`]):
    /// ```
    /// use detridge::estimate::{Criterion, KernelPath, LambdaSearchParams};
    /// use nalgebra::{DMatrix, DVector};
    /// let xs: Vec<f64> = (0..30).map(|i| i as f64 / 10.0).collect();
    /// let k = DMatrix::from_fn(30, 30, |i, j| (-(xs[i] - xs[j]).powi(2)).exp());
    /// let y = DVector::from_fn(30, |i, _| xs[i].sin() + 0.1 * ((i * 7) % 5) as f64);
    /// let path = KernelPath::new(&k, &y)?;
    /// let best = path.select_lambda(Criterion::Loocv, &LambdaSearchParams::default())?;
    /// assert!(best.lambda > 0.0 && best.value <= best.values.iter().cloned().fold(f64::INFINITY, f64::min));
    /// # Ok::<(), detridge::Error>(())
    /// ```
    pub fn select_lambda(
        &self,
        criterion: Criterion,
        params: &LambdaSearchParams,
    ) -> Result<LambdaChoice> {
        select_lambda(&self.core, criterion, params)
    }
}
