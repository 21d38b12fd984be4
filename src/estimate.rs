//! Estimators from data only: GCV, KARE, exact LOOCV, `Ŝ`, `κ̂ = λŜ`, and the `λ` that
//! minimises them (THEORY §2.1, §3.2). One decomposition serves a whole `λ` path.
//!
//! # Conventions
//! `X` is `P × D` (rows are samples), `y` has length `P`, and the ridge uses the **1/P
//! convention** of the crate (see the notation table in the [crate] docs):
//! `ŵ = (XᵀX/P + λ)⁻¹Xᵀy/P`. Write the thin SVD `X = U diag(d) Vᵀ` and
//! `μ_k = d_k²/P` for the `r` non-zero eigenvalues of both `Σ̂ = XᵀX/P` and the Gram matrix
//! `G = XXᵀ/P`. With `z = Uᵀy`, `y_⊥ = (I − UUᵀ)y`, `a_k = λ/(μ_k + λ)` and the hat
//! matrix `H = X(XᵀX/P + λ)⁻¹Xᵀ/P = U diag(1 − a) Uᵀ`:
//!
//! | quantity | formula (THEORY §3.2) | evaluated as |
//! |---|---|---|
//! | `E_tr` | `‖y − Xŵ‖²/P` | `(‖y_⊥‖² + Σ a_k² z_k²)/P` |
//! | `df̂` | `Tr H = Tr Σ̂(Σ̂+λ)⁻¹` | `Σ μ_k/(μ_k+λ)` |
//! | `1 − df̂/P` | | `((P − r) + Σ a_k)/P` (no cancellation) |
//! | `Ŝ` | `1/(1 − df̂/P) = 1/((λ/P) Tr (G+λ)⁻¹)` | reciprocal of the line above |
//! | `κ̂` | `λŜ` | `P/((P−r)/λ + Σ 1/(μ_k+λ))` |
//! | GCV | `E_tr/(1 − df̂/P)² = Ŝ² E_tr` | `P(‖y_⊥‖² + Σ a_k² z_k²)/((P−r) + Σ a_k)²` |
//! | LOOCV | `(1/P) Σ_i (e_i/(1 − H_ii))²` | `1 − H_ii = c_i + Σ_k U_ik² a_k`, `c_i = 1 − ‖U_i·‖²` |
//!
//! Every `1 − (something close to 1)` is written as a sum of non-negative terms, so the
//! path is accurate for `λ` down to `1e-14` and beyond, and `λ = 0` is evaluated as the
//! exact ridgeless (minimum-norm) limit on both sides of `P = D`:
//!
//! * `P > r` (the fit does not interpolate): plug `a_k = 0` in; GCV `= P‖y_⊥‖²/(P−r)²`.
//! * `P = r` (interpolation, `E_tr → 0` and `1 − df̂/P → 0` together): dividing numerator
//!   and denominator by `λ²`, with `G⁺ = U diag(1/μ) Uᵀ`,
//!   `GCV → (1/P)‖G⁺y‖² / ((1/P) Tr G⁺)² = P Σ z_k²/μ_k² / (Σ 1/μ_k)²`, and
//!   `κ̂ → P / Tr G⁺ = P/Σ(1/μ_k)`, `Ŝ → ∞`.
//! * LOOCV, row by row: if `c_i > 0`, `e_i/(1 − H_ii) → (y_⊥)_i / c_i`; if `c_i = 0`
//!   (row `i` is interpolated; always the case when `P = r`),
//!   `e_i/(1 − H_ii) → (G⁺y)_i / (G⁺)_ii = Σ_k U_ik z_k/μ_k / Σ_k U_ik²/μ_k`.
//!
//! ## The LOOCV penalty convention
//! [`RidgePath::loocv`] is the exact leave-one-out error of the refits that keep the
//! **unnormalised penalty `Pλ`**: the `i`-th refit minimises
//! `Σ_{j≠i} (y_j − wᵀx_j)² + Pλ‖w‖²` (equivalently, in the 1/(P−1) convention of `P − 1`
//! samples, the ridge `λ′ = Pλ/(P−1)`). Only with this convention does the shortcut
//! `y_i − x_iᵀŵ₋ᵢ = e_i/(1 − H_ii)` hold exactly (Sherman–Morrison). At `λ = 0` the refits
//! are the minimum-norm least-squares fits of the `P − 1` remaining samples.
//!
//! ## Numerical rank
//! Singular values `d_k ≤ max(P, D) ε d_max` are treated as exactly zero (for every `λ`,
//! so that `λ = 0` is the limit of `λ → 0⁺` on the same matrix); leverage complements
//! `c_i ≤ 8 r ε` (the rounding level of `‖U_i·‖²`) are treated as exactly zero, i.e.
//! such rows are taken to be interpolated at `λ = 0`.
//!
//! ## Kernels
//! [`KernelPath`] is the same machinery for a user-supplied kernel Gram matrix `K`
//! (`P × P`, symmetric PSD): kernel ridge `f̂(x) = k(x)ᵀ(K + Pλ)⁻¹y` (THEORY §6), with
//! `K/P = Q diag(μ) Qᵀ` in place of `G`; its GCV is KARE (THEORY §3.2).
//!
//! ## Choosing λ and meeting the theory
//! [`RidgePath::select_lambda`] / [`KernelPath::select_lambda`] minimise GCV or LOOCV in
//! `ln λ` (coarse grid, then Brent). [`RidgePath::against_theory`] sets the data's `df̂`,
//! `κ̂`, `E_tr` and GCV beside the deterministic equivalents of an assumed population
//! [`Task`] (THEORY §2.1: `df̂_{Σ̂}(λ) ≈ Df₁(κ)`, `κ̂ ≈ κ`; §3.2: GCV `≈ E_g + σ²`).

use nalgebra::{DMatrix, DVector};

use crate::error::{Error, Result, finite};
use crate::spectrum::{Spectrum, Task, symmetric_eigen};

/// Checks a ridge for the estimators: finite and `≥ 0`.
fn check_lambda(lambda: f64) -> Result<f64> {
    crate::error::non_negative("lambda", lambda)
}

fn check_y(y: &DVector<f64>, p: usize) -> Result<()> {
    if y.len() != p {
        return Err(Error::LengthMismatch {
            what: "y must have one entry per sample (row)",
            expected: p,
            got: y.len(),
        });
    }
    for &v in y.iter() {
        finite("label y", v)?;
    }
    Ok(())
}

/// The decomposed problem shared by [`RidgePath`] and [`KernelPath`]: the positive
/// eigenvalues `μ_k` of `G` (or `K/P`), their eigenvectors `U` (`P × r`), `z = Uᵀy`, the
/// residual of the projection `y_⊥` and the leverage complements `c_i = 1 − ‖U_i·‖²`.
#[derive(Debug, Clone)]
struct Core {
    p: usize,
    mu: Vec<f64>,
    u: DMatrix<f64>,
    u2: DMatrix<f64>,
    z: Vec<f64>,
    y_perp: Vec<f64>,
    y_perp2: f64,
    c: Vec<f64>,
    /// Some row has `c_i > 0` / `c_i = 0`.
    any_open: bool,
    any_closed: bool,
}

impl Core {
    /// `u`: `P × r` orthonormal columns for the positive eigenvalues `mu` (`r ≤ P`).
    fn new(u: DMatrix<f64>, mu: Vec<f64>, y: &DVector<f64>) -> Self {
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

    fn pf(&self) -> f64 {
        self.p as f64
    }

    fn rank(&self) -> usize {
        self.mu.len()
    }

    /// `P − r`, the dimension of the null space of `G`.
    fn null_dim(&self) -> f64 {
        (self.p - self.rank()) as f64
    }

    fn interpolates(&self) -> bool {
        self.rank() == self.p
    }

    /// `Σ_k μ_k/(μ_k+λ)` = `Tr H` (THEORY §2.1, `df̂`, unnormalised).
    fn df(&self, lambda: f64) -> f64 {
        if lambda == 0.0 {
            return self.rank() as f64;
        }
        self.mu.iter().map(|&m| m / (m + lambda)).sum()
    }

    /// `1 − df̂/P = ((P − r) + Σ λ/(μ_k+λ))/P` without cancellation.
    fn one_minus_df_over_p(&self, lambda: f64) -> f64 {
        let open: f64 = self.mu.iter().map(|&m| lambda / (m + lambda)).sum();
        (self.null_dim() + open) / self.pf()
    }

    /// `E_tr = (‖y_⊥‖² + Σ a_k² z_k²)/P` (THEORY §1, §3.2).
    fn train_error(&self, lambda: f64) -> f64 {
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
    fn kappa_hat(&self, lambda: f64) -> f64 {
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
    fn gcv(&self, lambda: f64) -> f64 {
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
    fn loo_residuals(&self, lambda: f64) -> Vec<f64> {
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
    fn loocv(&self, lambda: f64) -> f64 {
        let r = self.loo_residuals(lambda);
        r.iter().map(|v| v * v).sum::<f64>() / self.pf()
    }

    /// Fitted values `Hy = U diag(μ/(μ+λ)) z` (`U z` at `λ = 0`).
    fn fitted(&self, lambda: f64) -> DVector<f64> {
        let f = DVector::from_iterator(
            self.rank(),
            self.mu
                .iter()
                .zip(&self.z)
                .map(|(&m, &z)| m / (m + lambda) * z),
        );
        &self.u * f
    }

    fn criterion(&self, criterion: Criterion, lambda: f64) -> f64 {
        match criterion {
            Criterion::Gcv => self.gcv(lambda),
            Criterion::Loocv => self.loocv(lambda),
        }
    }

    fn max_mu(&self) -> f64 {
        self.mu.iter().copied().fold(0.0, f64::max)
    }

    fn min_mu(&self) -> f64 {
        self.mu.iter().copied().fold(f64::INFINITY, f64::min)
    }
}

/// Every `λ`-dependent data estimator of linear ridge regression from one thin SVD of `X`
/// (module docs give the formulas and the `λ = 0` limits).
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
#[derive(Debug, Clone)]
pub struct RidgePath {
    core: Core,
    d: usize,
    /// Positive singular values `d_k` (same order as `core.mu`).
    sv: Vec<f64>,
    /// Right singular vectors `V` (`D × r`).
    v: DMatrix<f64>,
}

impl RidgePath {
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
            d,
            sv,
            v,
        })
    }

    /// Number of samples `P`.
    #[must_use]
    pub fn n_samples(&self) -> usize {
        self.core.p
    }

    /// Number of features `D`.
    #[must_use]
    pub fn n_features(&self) -> usize {
        self.d
    }

    /// Numerical rank `r` of `X` (see the module docs for the cut-off).
    #[must_use]
    pub fn rank(&self) -> usize {
        self.core.rank()
    }

    /// The `r` non-zero eigenvalues `μ_k = d_k²/P` of `Σ̂ = XᵀX/P` (equivalently of
    /// `G = XXᵀ/P`), in decreasing order.
    #[must_use]
    pub fn sample_eigenvalues(&self) -> &[f64] {
        &self.core.mu
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
        e.resize(self.d, 0.0);
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
            self.sv
                .iter()
                .zip(&self.core.z)
                .map(|(&dk, &zk)| dk * zk / (dk * dk + pl)),
        );
        Ok(&self.v * coef)
    }

    /// Fitted values `Xŵ = Hy` at the training points.
    ///
    /// # Errors
    /// As [`RidgePath::weights`].
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
    pub fn fitted(&self, lambda: f64) -> Result<DVector<f64>> {
        Ok(self.core.fitted(check_lambda(lambda)?))
    }

    /// Training error `E_tr = ‖y − Xŵ‖²/P` (THEORY §1, §3.2; no penalty term).
    ///
    /// # Errors
    /// As [`RidgePath::weights`].
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
    pub fn train_error(&self, lambda: f64) -> Result<f64> {
        Ok(self.core.train_error(check_lambda(lambda)?))
    }

    /// Effective degrees of freedom `df̂ = Tr H = Tr Σ̂(Σ̂+λ)⁻¹` (unnormalised, THEORY
    /// §2.1); `rank X` at `λ = 0`.
    ///
    /// # Errors
    /// As [`RidgePath::weights`].
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
    pub fn df(&self, lambda: f64) -> Result<f64> {
        Ok(self.core.df(check_lambda(lambda)?))
    }

    /// `1 − df̂/P = (λ/P) Tr (G+λ)⁻¹`, evaluated without cancellation (module docs).
    ///
    /// # Errors
    /// As [`RidgePath::weights`].
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
    pub fn one_minus_df_over_p(&self, lambda: f64) -> Result<f64> {
        Ok(self.core.one_minus_df_over_p(check_lambda(lambda)?))
    }

    /// The empirical S-transform `Ŝ = 1/(1 − df̂/P)` (THEORY §2.1), the data's train–test
    /// gap. `+∞` at `λ = 0` when the fit interpolates (`rank X = P`).
    ///
    /// # Errors
    /// As [`RidgePath::weights`].
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
    pub fn s_hat(&self, lambda: f64) -> Result<f64> {
        Ok(1.0 / self.core.one_minus_df_over_p(check_lambda(lambda)?))
    }

    /// The data estimate of the renormalized ridge, `κ̂ = λŜ` (THEORY §2.1). At `λ = 0`:
    /// `0` if `rank X < P`, else the finite limit `P/Tr G⁺`.
    ///
    /// # Errors
    /// As [`RidgePath::weights`].
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
    pub fn kappa_hat(&self, lambda: f64) -> Result<f64> {
        Ok(self.core.kappa_hat(check_lambda(lambda)?))
    }

    /// Generalised cross-validation `E_tr/(1 − df̂/P)² = Ŝ² E_tr` (Golub–Heath–Wahba;
    /// THEORY §3.2), an estimate of the noisy test risk `E_g + σ²`. Finite at `λ = 0` on
    /// both sides of `P = D` (module docs).
    ///
    /// # Errors
    /// As [`RidgePath::weights`].
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
    pub fn gcv(&self, lambda: f64) -> Result<f64> {
        Ok(self.core.gcv(check_lambda(lambda)?))
    }

    /// Exact leave-one-out cross-validation `(1/P) Σ_i (e_i/(1 − H_ii))²`, the mean squared
    /// error of refits on `P − 1` samples that keep the **unnormalised penalty `Pλ`**
    /// (module docs). Finite at `λ = 0` (minimum-norm refits).
    ///
    /// # Errors
    /// As [`RidgePath::weights`].
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
    pub fn loocv(&self, lambda: f64) -> Result<f64> {
        Ok(self.core.loocv(check_lambda(lambda)?))
    }

    /// The leave-one-out residuals `y_i − x_iᵀŵ₋ᵢ = e_i/(1 − H_ii)` (same convention as
    /// [`RidgePath::loocv`]).
    ///
    /// # Errors
    /// As [`RidgePath::weights`].
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

    /// The `λ` minimising GCV or LOOCV, with the coarse curve.
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
    pub fn select_lambda(
        &self,
        criterion: Criterion,
        params: &LambdaSearchParams,
    ) -> Result<LambdaChoice> {
        select_lambda(&self.core, criterion, params)
    }

    /// The data estimators beside the deterministic equivalents of an assumed population
    /// [`Task`] at the data's `P` (THEORY §2.1, §3.1–3.2): `df̂_{Σ̂}(λ)` vs `Df₁(κ(λ))`,
    /// `κ̂ = λŜ` vs `κ`, `E_tr` vs its prediction, GCV vs `E_g + σ²`. On data drawn from
    /// the task, each pair agrees up to fluctuations of relative size `O(1/√D)` or less.
    ///
    /// # Errors
    /// [`Error::LengthMismatch`] if the task's dimension is not `D`; as [`Task::ridge`]
    /// and [`RidgePath::weights`] for each `λ`.
    ///
    /// # Examples
    /// ```
    /// use detridge::{Task, estimate::RidgePath};
    /// use nalgebra::{DMatrix, DVector};
    /// let x = DMatrix::from_fn(60, 3, |i, j| ((i * 7 + j * 3) % 11) as f64 - 5.0);
    /// let y = DVector::from_fn(60, |i, _| x[(i, 0)]);
    /// let path = RidgePath::new(&x, &y)?;
    /// let task = Task::isotropic(3.0, 1.0, 0.0)?;
    /// let cmp = path.against_theory(&task, &[0.1, 1.0])?;
    /// assert_eq!(cmp.len(), 2);
    /// assert!((cmp[1].kappa_hat - path.kappa_hat(1.0)?).abs() < 1e-15);
    /// # Ok::<(), detridge::Error>(())
    /// ```
    pub fn against_theory(&self, task: &Task, lambdas: &[f64]) -> Result<Vec<TheoryComparison>> {
        let dim = task.spectrum().dimension();
        if (dim - self.d as f64).abs() > 0.5 {
            return Err(Error::LengthMismatch {
                what: "task dimension must equal the number of features D",
                expected: self.d,
                got: if dim.is_finite() {
                    dim as usize
                } else {
                    usize::MAX
                },
            });
        }
        // One cold solve per λ: a data-side check should not depend on warm starts.
        let theory = lambdas
            .iter()
            .map(|&l| {
                check_lambda(l)?;
                task.ridge(self.core.pf(), l)
            })
            .collect::<Result<Vec<_>>>()?;
        Ok(lambdas
            .iter()
            .zip(theory)
            .map(|(&l, t)| TheoryComparison {
                lambda: l,
                df_hat: self.core.df(l),
                df_theory: t.df1,
                kappa_hat: self.core.kappa_hat(l),
                kappa_theory: t.kappa,
                train_error_hat: self.core.train_error(l),
                train_error_theory: t.train_error,
                gcv_hat: self.core.gcv(l),
                gcv_theory: t.gcv,
                test_error_theory: t.test_error,
            })
            .collect())
    }
}

/// One `λ` of [`RidgePath::against_theory`]: data estimators (`*_hat`) beside the
/// deterministic equivalents (`*_theory`) of the assumed task.
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct TheoryComparison {
    /// The ridge `λ`.
    pub lambda: f64,
    /// `df̂ = Tr Σ̂(Σ̂+λ)⁻¹` from the data (unnormalised).
    pub df_hat: f64,
    /// `Df₁(κ) = Tr Σ(Σ+κ)⁻¹`, its deterministic equivalent (THEORY §2.1).
    pub df_theory: f64,
    /// `κ̂ = λŜ` from the data.
    pub kappa_hat: f64,
    /// The renormalized ridge `κ` of the theory.
    pub kappa_theory: f64,
    /// `E_tr` of the data.
    pub train_error_hat: f64,
    /// `E_tr` predicted (THEORY §3.2).
    pub train_error_theory: f64,
    /// GCV of the data.
    pub gcv_hat: f64,
    /// `E_g + σ²`, the value GCV concentrates on (THEORY §3.2).
    pub gcv_theory: f64,
    /// `E_g` predicted (excess risk, THEORY §3.1).
    pub test_error_theory: f64,
}

/// Data estimators of kernel ridge regression from one symmetric eigendecomposition of a
/// user-supplied Gram matrix `K` (`P × P`): `f̂(x) = k(x)ᵀ(K + Pλ)⁻¹y` (THEORY §6, 1/P
/// convention), hat matrix `H = (K/P)(K/P + λ)⁻¹`. Its GCV is KARE (THEORY §3.2):
/// `E_tr = (λ²/P) yᵀ(K/P + λ)⁻²y`, `KARE = E_tr / ((λ/P) Tr (K/P + λ)⁻¹)²`.
/// All formulas, limits and conventions are those of [`RidgePath`] with `G` replaced by
/// `K/P` (module docs); LOOCV refits keep the penalty `Pλ`, i.e. the `i`-th refit is
/// `k₋ᵢ(x)ᵀ(K₋ᵢ + PλI)⁻¹y₋ᵢ`.
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
#[derive(Debug, Clone)]
pub struct KernelPath {
    core: Core,
}

impl KernelPath {
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
        })
    }

    /// Number of samples `P`.
    #[must_use]
    pub fn n_samples(&self) -> usize {
        self.core.p
    }

    /// Numerical rank of `K`.
    #[must_use]
    pub fn rank(&self) -> usize {
        self.core.rank()
    }

    /// The positive eigenvalues of `K/P`, in decreasing order.
    #[must_use]
    pub fn sample_eigenvalues(&self) -> &[f64] {
        &self.core.mu
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

    /// Fitted values `Hy` at the training points.
    ///
    /// # Errors
    /// As [`KernelPath::dual_coefficients`].
    ///
    /// # Examples
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

    /// `E_tr = (λ²/P) yᵀ(K/P + λ)⁻²y` (THEORY §3.2).
    ///
    /// # Errors
    /// As [`KernelPath::dual_coefficients`].
    ///
    /// # Examples
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
        Ok(self.core.train_error(check_lambda(lambda)?))
    }

    /// `df̂ = Tr (K/P)(K/P + λ)⁻¹`.
    ///
    /// # Errors
    /// As [`KernelPath::dual_coefficients`].
    ///
    /// # Examples
    /// ```
    /// use detridge::estimate::KernelPath;
    /// use nalgebra::{DMatrix, DVector};
    /// let k = DMatrix::from_row_slice(1, 1, &[3.0]);
    /// let path = KernelPath::new(&k, &DVector::from_vec(vec![2.0]))?;
    /// assert!((path.df(1.0)? - 0.75).abs() < 1e-15);
    /// # Ok::<(), detridge::Error>(())
    /// ```
    pub fn df(&self, lambda: f64) -> Result<f64> {
        Ok(self.core.df(check_lambda(lambda)?))
    }

    /// `1 − df̂/P = (λ/P) Tr (K/P + λ)⁻¹`, without cancellation.
    ///
    /// # Errors
    /// As [`KernelPath::dual_coefficients`].
    ///
    /// # Examples
    /// ```
    /// use detridge::estimate::KernelPath;
    /// use nalgebra::{DMatrix, DVector};
    /// let k = DMatrix::from_row_slice(1, 1, &[3.0]);
    /// let path = KernelPath::new(&k, &DVector::from_vec(vec![2.0]))?;
    /// assert!((path.one_minus_df_over_p(1e-14)? - 1e-14 / (3.0 + 1e-14)).abs() < 1e-29);
    /// # Ok::<(), detridge::Error>(())
    /// ```
    pub fn one_minus_df_over_p(&self, lambda: f64) -> Result<f64> {
        Ok(self.core.one_minus_df_over_p(check_lambda(lambda)?))
    }

    /// `Ŝ = 1/(1 − df̂/P)`; `+∞` at `λ = 0` when `K` has full rank.
    ///
    /// # Errors
    /// As [`KernelPath::dual_coefficients`].
    ///
    /// # Examples
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

    /// `κ̂ = λŜ = P / ((P−r)/λ + Tr (K/P+λ)⁺)` (THEORY §2.1, Gram form).
    ///
    /// # Errors
    /// As [`KernelPath::dual_coefficients`].
    ///
    /// # Examples
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
        Ok(self.core.kappa_hat(check_lambda(lambda)?))
    }

    /// KARE `= E_tr / ((λ/P) Tr (K/P + λ)⁻¹)²` (Jacot et al. 2020; THEORY §3.2), the
    /// kernel form of GCV; finite at `λ = 0`.
    ///
    /// # Errors
    /// As [`KernelPath::dual_coefficients`].
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
        Ok(self.core.gcv(check_lambda(lambda)?))
    }

    /// Same as [`KernelPath::kare`] (GCV and KARE coincide).
    ///
    /// # Errors
    /// As [`KernelPath::dual_coefficients`].
    ///
    /// # Examples
    /// ```
    /// use detridge::estimate::KernelPath;
    /// use nalgebra::{DMatrix, DVector};
    /// let k = DMatrix::from_row_slice(2, 2, &[2.0, 1.0, 1.0, 2.0]);
    /// let path = KernelPath::new(&k, &DVector::from_vec(vec![1.0, 0.0]))?;
    /// assert_eq!(path.gcv(0.3)?, path.kare(0.3)?);
    /// # Ok::<(), detridge::Error>(())
    /// ```
    pub fn gcv(&self, lambda: f64) -> Result<f64> {
        self.kare(lambda)
    }

    /// Exact LOOCV of kernel ridge with refits that keep the penalty `Pλ`.
    ///
    /// # Errors
    /// As [`KernelPath::dual_coefficients`].
    ///
    /// # Examples
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
        Ok(self.core.loocv(check_lambda(lambda)?))
    }

    /// The `λ` minimising KARE (= GCV) or LOOCV, with the coarse curve; the search is
    /// that of [`RidgePath::select_lambda`].
    ///
    /// # Errors
    /// As [`RidgePath::select_lambda`].
    ///
    /// # Examples
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

/// Which data estimator of the test risk to minimise over `λ`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub enum Criterion {
    /// Generalised cross-validation (KARE for kernels).
    Gcv,
    /// Exact leave-one-out cross-validation (penalty `Pλ` kept in the refits).
    Loocv,
}

/// Marker that keeps [`LambdaSearchParams`] open for new fields.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[doc(hidden)]
pub struct NonExhaustive(());

/// Parameters of the `λ` search ([`RidgePath::select_lambda`], [`KernelPath::select_lambda`]).
///
/// | Name | Default | Purpose | Range |
/// |---|---|---|---|
/// | `lambda_min` | `None`: `max(10⁻³ μ_min, 10⁻¹² μ_max)` | lower end of the grid | `> 0` |
/// | `lambda_max` | `None`: `10² μ_max` | upper end of the grid | `> lambda_min` |
/// | `grid_len` | 61 | log-spaced coarse grid points | `≥ 3` |
/// | `log_tol` | `1e-8` | tolerance of the refinement on `ln λ` | `> 0` |
/// | `max_iter` | 100 | Brent iterations | `≥ 1` |
///
/// `μ_min`, `μ_max` are the smallest and largest non-zero eigenvalues of `G = XXᵀ/P`
/// (or `K/P`), so the default range scales with the data.
///
/// ```
/// use detridge::estimate::LambdaSearchParams;
/// let p = LambdaSearchParams { grid_len: 21, ..Default::default() };
/// assert_eq!(p.grid_len, 21);
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LambdaSearchParams {
    /// Lower end of the coarse grid (`None`: data-scaled default).
    pub lambda_min: Option<f64>,
    /// Upper end of the coarse grid (`None`: data-scaled default).
    pub lambda_max: Option<f64>,
    /// Number of log-spaced grid points (≥ 3).
    pub grid_len: usize,
    /// Absolute tolerance on `ln λ` of the Brent refinement.
    pub log_tol: f64,
    /// Maximum Brent iterations (≥ 1).
    pub max_iter: usize,
    #[doc(hidden)]
    pub non_exhaustive: NonExhaustive,
}

impl Default for LambdaSearchParams {
    fn default() -> Self {
        Self {
            lambda_min: None,
            lambda_max: None,
            grid_len: 61,
            log_tol: 1e-8,
            max_iter: 100,
            non_exhaustive: NonExhaustive(()),
        }
    }
}

/// The result of a `λ` search: the minimiser with the coarse curve.
#[must_use]
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct LambdaChoice {
    /// The criterion minimised.
    pub criterion: Criterion,
    /// The minimising `λ`.
    pub lambda: f64,
    /// The criterion at `lambda`.
    pub value: f64,
    /// The minimum sits at an end of the grid (at the lower end: the ridgeless fit,
    /// `λ → 0`, is as good or better; evaluate the criterion at `0` to compare).
    pub at_boundary: bool,
    /// The coarse grid of `λ` (increasing, log-spaced).
    pub grid: Vec<f64>,
    /// The criterion on `grid`.
    pub values: Vec<f64>,
    /// Brent iterations of the refinement (0 if the minimum is at the boundary).
    pub iterations: usize,
}

/// The search behind [`RidgePath::select_lambda`] (see there).
fn select_lambda(
    core: &Core,
    criterion: Criterion,
    params: &LambdaSearchParams,
) -> Result<LambdaChoice> {
    if params.grid_len < 3 {
        return Err(Error::InvalidParameter {
            name: "grid_len",
            value: params.grid_len as f64,
            reason: "must be >= 3",
        });
    }
    if params.max_iter == 0 {
        return Err(Error::InvalidParameter {
            name: "max_iter",
            value: 0.0,
            reason: "must be >= 1",
        });
    }
    crate::error::positive("log_tol", params.log_tol)?;
    if core.rank() == 0 {
        return Err(Error::Unsupported(
            "selecting lambda needs data with at least one non-zero singular value",
        ));
    }
    let (mu_min, mu_max) = (core.min_mu(), core.max_mu());
    let lo = match params.lambda_min {
        Some(l) => crate::error::positive("lambda_min", l)?,
        None => (1e-3 * mu_min).max(1e-12 * mu_max),
    };
    let hi = match params.lambda_max {
        Some(h) => crate::error::positive("lambda_max", h)?,
        None => 1e2 * mu_max,
    };
    if hi <= lo {
        return Err(Error::InvalidParameter {
            name: "lambda_max",
            value: hi,
            reason: "must be > lambda_min",
        });
    }
    let n = params.grid_len;
    let (tlo, thi) = (lo.ln(), hi.ln());
    let step = (thi - tlo) / (n - 1) as f64;
    let grid: Vec<f64> = (0..n)
        .map(|i| {
            if i == n - 1 {
                hi
            } else {
                (tlo + step * i as f64).exp()
            }
        })
        .collect();
    let values: Vec<f64> = grid.iter().map(|&l| core.criterion(criterion, l)).collect();
    for &v in &values {
        finite("criterion on the lambda grid", v)?;
    }
    let best = (0..n)
        .min_by(|&a, &b| values[a].total_cmp(&values[b]))
        .unwrap_or(0);
    if best == 0 || best == n - 1 {
        return Ok(LambdaChoice {
            criterion,
            lambda: grid[best],
            value: values[best],
            at_boundary: true,
            grid,
            values,
            iterations: 0,
        });
    }
    let f = |t: f64| core.criterion(criterion, t.exp());
    let (t, v, iterations) = brent_min(
        f,
        grid[best - 1].ln(),
        grid[best].ln(),
        grid[best + 1].ln(),
        values[best],
        params.log_tol,
        params.max_iter,
    )?;
    let (lambda, value) = if v <= values[best] {
        (t.exp(), v)
    } else {
        (grid[best], values[best])
    };
    Ok(LambdaChoice {
        criterion,
        lambda,
        value,
        at_boundary: false,
        grid,
        values,
        iterations,
    })
}

/// Brent's minimiser (golden section with parabolic steps; Brent 1973, ch. 5) on
/// `[a, b]` starting from `x` with `f(x) = fx` known. Returns `(x_min, f_min, iterations)`.
#[allow(clippy::float_cmp)] // `w == x`, `v == w`: identity of stored iterates, as in Brent.
fn brent_min(
    f: impl Fn(f64) -> f64,
    mut a: f64,
    x0: f64,
    mut b: f64,
    fx0: f64,
    tol: f64,
    max_iter: usize,
) -> Result<(f64, f64, usize)> {
    const CGOLD: f64 = 0.381_966_011_250_105_1;
    let (mut x, mut w, mut v) = (x0, x0, x0);
    let (mut fx, mut fw, mut fv) = (fx0, fx0, fx0);
    let (mut d, mut e) = (0.0_f64, 0.0_f64);
    for iter in 1..=max_iter {
        let xm = 0.5 * (a + b);
        let tol1 = tol + 1e-12 * x.abs();
        let tol2 = 2.0 * tol1;
        if (x - xm).abs() <= tol2 - 0.5 * (b - a) {
            return Ok((x, fx, iter - 1));
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
            return Err(Error::NonFinite {
                what: "criterion during the lambda search",
                value: fu,
            });
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
        what: "lambda search (Brent)",
        iterations: max_iter,
        residual: b - a,
        last: x.exp(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn brent_finds_parabola_minimum() {
        let (x, fx, it) = brent_min(
            |t| (t - 0.3).powi(2) + 1.0,
            -1.0,
            0.0,
            1.0,
            1.09,
            1e-10,
            100,
        )
        .unwrap();
        assert!((x - 0.3).abs() < 1e-8, "{x}");
        assert!((fx - 1.0).abs() < 1e-15);
        assert!(it > 0);
    }

    #[test]
    fn brent_reports_exhaustion() {
        let r = brent_min(|t| (t - 0.3).powi(2), -1.0, 0.0, 1.0, 0.09, 1e-14, 1);
        assert!(matches!(r, Err(Error::NoConvergence { .. })));
    }
}
