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
//! ## Entry points
//! [`RidgePath::new`] (from `X`, `y`) and [`KernelPath::new`] (from a Gram matrix `K`, `y`);
//! both share the estimators of [`DataPath`] (`train_error`, `df`, `s_hat`, `kappa_hat`,
//! `gcv`, `loocv`, `loo_residuals`, `select_lambda`, …) and the raw pieces they are built
//! from (`sample_eigenvalues` `μ_k`, `projections` `z_k`, `null_residual` `‖y_⊥‖²`).
//!
//! ## The LOOCV penalty convention
//! [`DataPath::loocv`] is the exact leave-one-out error of the refits that keep the
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
//! [`DataPath::select_lambda`] minimises GCV or LOOCV in `ln λ` (coarse grid, then Brent).
//! Setting the data beside the theory of an assumed task is the job of the `compare`
//! module (where data meets theory):
//! this module imports no theory.

mod core;
mod kernel_path;
mod ridge_path;
mod select;

use nalgebra::DVector;

pub use self::core::DataPath;
#[doc(hidden)]
pub use crate::numeric::NonExhaustive;
pub use kernel_path::{Kernel, KernelPath};
pub use ridge_path::{Linear, RidgePath};
pub use select::{Criterion, LambdaChoice, LambdaSearchParams};

/// Re-export of the theory-meets-data module [`crate::forecast`]: a population task
/// fitted to one data set and its learning-curve forecast with bands (THEORY §16).
/// `estimate` itself imports no theory.
pub use crate::forecast::{Band, Forecast, ForecastParams, OptimalForecast};

use crate::error::{Error, Result, finite};

/// Checks a ridge for the estimators: finite and `≥ 0`.
pub(super) fn check_lambda(lambda: f64) -> Result<f64> {
    crate::error::non_negative("lambda", lambda)
}

pub(super) fn check_y(y: &DVector<f64>, p: usize) -> Result<()> {
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
