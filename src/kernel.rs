//! Kernel ridge regression (THEORY §6) from a Mercer spectrum with degeneracies.
//!
//! Mercer: `K(x, x′) = Σ_k η_k φ_k(x) φ_k(x′)` with `φ_k` orthonormal in `L²(p_x)`; target
//! `f*(x) = Σ_k c_k φ_k(x)`. The estimator `f̂(x) = k(x)ᵀ(K + Pλ)⁻¹y` is linear ridge
//! regression (1/P convention) on features with covariance `Σ = diag(η)` and weights
//! `w̄_k = c_k/√η_k` (`η_k w̄_k² = c_k²`), so with Gaussian equivalence all of THEORY §3 holds
//! at `D = ∞`:
//!
//! * `κ = λ + (κ/P) Σ_k η_k/(η_k+κ)`, `γ = (1/P) Σ_k η_k²/(η_k+κ)²`,
//! * `E_g = [κ² Σ_k c_k²/(η_k+κ)² + γσ²]/(1−γ)`, `E_tr = (λ/κ)² (E_g + σ²)`,
//! * KARE (Jacot et al. 2020; THEORY §3.2), computed from data as
//!   `[(λ²/P) yᵀ(K/P+λ)⁻²y] / [(λ/P) Tr(K/P+λ)⁻¹]²`, concentrates on `E_g + σ²`.
//!
//! Eigenvalues come in **levels** `η_ℓ` of multiplicity `N_ℓ` (for dot-product kernels on
//! the sphere `S^{d−1}`, [`sphere_degeneracy`]); the target is given per level as its total
//! power `Σ_{k ∈ ℓ} c_k²`. A level costs one stored entry whatever its degeneracy.
//!
//! The kernel literature (Canatar, Bordelon, Pehlevan) writes the unnormalised loss:
//! `λ_C = Pλ` and `κ_C = Pκ` ([`to_kernel_convention`], [`from_kernel_convention`]).
//!
//! # Entry points
//! * Tasks: [`mercer_task`], [`sphere_task`] (degeneracies from [`sphere_degeneracy`]).
//! * [`Task::kernel_ridge`] (or the free function [`kernel_ridge`]) → [`KernelTheory`].
//! * Curves ([`Curve`], one result per point): [`Task::kernel_ridge_curve_p`],
//!   [`Task::kernel_ridge_curve_lambda`]; [`learning_curve`] is the all-or-nothing form.
//! * From data: `estimate::KernelPath` (KARE, LOOCV, choosing `λ`).

pub mod dot_product;

use crate::error::{Error, Result, non_negative};
use crate::ridge::RidgeTheory;
use crate::solver::Curve;
use crate::spectrum::{Spectrum, Task};

/// Degeneracy `N(d, ℓ)` of the degree-`ℓ` spherical harmonics on `S^{d−1} ⊂ R^d`:
/// `N(d, 0) = 1`, `N(d, ℓ) = (2ℓ+d−2)/ℓ · C(ℓ+d−3, ℓ−1)` (e.g. `2ℓ+1` for `d = 3`).
///
/// # Errors
/// [`Error::InvalidParameter`] for `d < 2`; [`Error::NonFinite`] if the value overflows.
///
/// # Examples
/// ```
/// use detridge::kernel::sphere_degeneracy;
/// assert_eq!(sphere_degeneracy(3, 4)?, 9.0);
/// assert_eq!(sphere_degeneracy(2, 7)?, 2.0);
/// // Linear functions on S^{d-1}: d of them.
/// assert_eq!(sphere_degeneracy(10, 1)?, 10.0);
/// # Ok::<(), detridge::Error>(())
/// ```
pub fn sphere_degeneracy(d: usize, l: usize) -> Result<f64> {
    if d < 2 {
        return Err(Error::InvalidParameter {
            name: "d",
            value: d as f64,
            reason: "the sphere S^{d-1} needs d >= 2",
        });
    }
    if l == 0 {
        return Ok(1.0);
    }
    // C(ℓ+d−3, ℓ−1) = C(ℓ+d−3, d−2) = Π_{i=1}^{k} (m+i)/i with k = min(ℓ−1, d−2) and
    // m the other index: at most k factors, each ≥ 1, stopped as soon as the product
    // overflows (all in f64: no usize wrapping at huge d or ℓ).
    let (df, lf) = (d as f64, l as f64);
    let (k, m) = if l - 1 <= d - 2 {
        (l - 1, (d - 2) as f64)
    } else {
        (d - 2, (l - 1) as f64)
    };
    let mut c = 1.0_f64;
    for i in 1..=k {
        c *= (m + i as f64) / i as f64;
        if !c.is_finite() {
            break;
        }
    }
    let n = (2.0 * lf + df - 2.0) / lf * c;
    if !n.is_finite() {
        return Err(Error::NonFinite {
            what: "sphere degeneracy (overflows f64)",
            value: n,
        });
    }
    Ok(n.round())
}

/// A kernel regression task from Mercer levels: eigenvalue `eigenvalues[ℓ]` with
/// multiplicity `multiplicities[ℓ]`, target power `target_power[ℓ] = Σ_{k∈ℓ} c_k²`, and
/// label noise `σ²` (THEORY §6). Levels with `η_ℓ = 0` must carry no target power.
///
/// # Errors
/// [`Error::LengthMismatch`] for different lengths; [`Error::NonFinite`];
/// [`Error::InvalidParameter`] for negative eigenvalues or powers, non-positive
/// multiplicities, target power on a zero eigenvalue, or negative noise;
/// [`Error::Empty`] for no levels.
///
/// # Examples
/// ```
/// use detridge::kernel::mercer_task;
/// // Two levels: η = 1 (×10) and η = 0.01 (×1000); all target power in the first.
/// let task = mercer_task(&[1.0, 0.01], &[10.0, 1000.0], &[1.0, 0.0], 0.0)?;
/// assert_eq!(task.spectrum().dimension(), 1010.0);
/// assert!((task.signal_variance() - 1.0).abs() < 1e-15);
/// # Ok::<(), detridge::Error>(())
/// ```
pub fn mercer_task(
    eigenvalues: &[f64],
    multiplicities: &[f64],
    target_power: &[f64],
    noise_variance: f64,
) -> Result<Task> {
    if target_power.len() != eigenvalues.len() {
        return Err(Error::LengthMismatch {
            what: "target power vs Mercer levels",
            expected: eigenvalues.len(),
            got: target_power.len(),
        });
    }
    let spectrum = Spectrum::with_multiplicities(eigenvalues, multiplicities)?;
    let mut w2 = Vec::with_capacity(eigenvalues.len());
    for (&eta, &c2) in eigenvalues.iter().zip(target_power) {
        non_negative("target power", c2)?;
        if eta > 0.0 {
            // η w̄² = c² per direction, so the level's total w̄² is (Σ c²)/η.
            w2.push(c2 / eta);
        } else if c2 > 0.0 {
            return Err(Error::InvalidParameter {
                name: "target power",
                value: c2,
                reason: "a level with zero kernel eigenvalue cannot carry target power",
            });
        }
    }
    Task::with_target_power(spectrum, &w2, noise_variance)
}

/// A dot-product kernel on the sphere `S^{d−1}`: level `ℓ = 0, 1, …` has eigenvalue
/// `level_eigenvalues[ℓ]` with multiplicity [`sphere_degeneracy`]`(d, ℓ)`.
///
/// # Errors
/// As [`mercer_task`] and [`sphere_degeneracy`].
///
/// # Examples
/// ```
/// use detridge::kernel::sphere_task;
/// // d = 3: levels of size 1, 3, 5.
/// let task = sphere_task(3, &[1.0, 0.5, 0.25], &[0.0, 1.0, 0.0], 0.1)?;
/// assert_eq!(task.spectrum().dimension(), 9.0);
/// # Ok::<(), detridge::Error>(())
/// ```
pub fn sphere_task(
    d: usize,
    level_eigenvalues: &[f64],
    target_power: &[f64],
    noise_variance: f64,
) -> Result<Task> {
    let mult = (0..level_eigenvalues.len())
        .map(|l| sphere_degeneracy(d, l))
        .collect::<Result<Vec<_>>>()?;
    mercer_task(level_eigenvalues, &mult, target_power, noise_variance)
}

/// Ridge and renormalized ridge in the kernel-literature convention (unnormalised loss).
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct KernelConvention {
    /// `λ_C = Pλ`.
    pub lambda: f64,
    /// `κ_C = Pκ`.
    pub kappa: f64,
}

/// Converts `(λ, κ)` of the 1/P convention to the kernel literature's `(λ_C, κ_C) =
/// (Pλ, Pκ)` (THEORY §1, §6).
///
/// # Errors
/// [`Error::InvalidParameter`] for `P ≤ 0`; [`Error::NonFinite`].
///
/// # Examples
/// ```
/// let c = detridge::kernel::to_kernel_convention(100.0, 1e-3, 2e-3)?;
/// assert!((c.lambda - 0.1).abs() < 1e-15 && (c.kappa - 0.2).abs() < 1e-15);
/// # Ok::<(), detridge::Error>(())
/// ```
pub fn to_kernel_convention(p: f64, lambda: f64, kappa: f64) -> Result<KernelConvention> {
    let p = crate::error::positive("p", p)?;
    crate::error::finite("lambda", lambda)?;
    crate::error::finite("kappa", kappa)?;
    Ok(KernelConvention {
        lambda: crate::error::finite("kernel-convention ridge Pλ", p * lambda)?,
        kappa: crate::error::finite("kernel-convention ridge Pκ", p * kappa)?,
    })
}

/// The inverse of [`to_kernel_convention`]: `(λ, κ) = (λ_C/P, κ_C/P)`.
///
/// # Errors
/// [`Error::InvalidParameter`] for `P ≤ 0`; [`Error::NonFinite`].
///
/// # Examples
/// ```
/// let (l, k) = detridge::kernel::from_kernel_convention(100.0, 0.1, 0.2)?;
/// assert!((l - 1e-3).abs() < 1e-18 && (k - 2e-3).abs() < 1e-18);
/// # Ok::<(), detridge::Error>(())
/// ```
pub fn from_kernel_convention(p: f64, lambda_c: f64, kappa_c: f64) -> Result<(f64, f64)> {
    let p = crate::error::positive("p", p)?;
    crate::error::finite("lambda_c", lambda_c)?;
    crate::error::finite("kappa_c", kappa_c)?;
    Ok((lambda_c / p, kappa_c / p))
}

/// Kernel ridge regression theory at one `(P, λ)` (THEORY §6).
#[must_use]
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct KernelTheory {
    /// The linear-ridge quantities (`κ`, `γ`, `E_g`, `E_tr`, bias², variances) in the 1/P
    /// convention.
    pub ridge: RidgeTheory,
    /// The same ridge and renormalized ridge in the kernel-literature convention.
    pub convention: KernelConvention,
    /// The value GCV (KARE, its kernel form) concentrates on: `E_g + σ² = S² E_tr`
    /// (THEORY §3.2); the same name as in every other result.
    pub gcv: f64,
    /// The S-transform `S = κ/λ`, the train–test gap factor `(E_g + σ²)/E_tr = S²`.
    pub s_transform: f64,
    /// Deprecated name of [`KernelTheory::gcv`].
    #[deprecated(since = "0.2.0", note = "use `gcv` (the same value in every result)")]
    pub kare: f64,
}

/// Kernel ridge regression theory for a Mercer task (see [`mercer_task`]) at `P`
/// samples and ridge `λ` (1/P convention: `f̂ = k(x)ᵀ(K + Pλ)⁻¹y`).
///
/// # Errors
/// As [`Task::ridge`].
///
/// # Examples
/// ```
/// use detridge::kernel::{kernel_ridge, sphere_task};
/// let task = sphere_task(3, &[1.0, 0.5, 0.25, 0.125], &[0.2, 0.5, 0.3, 0.0], 0.01)?;
/// let t = kernel_ridge(&task, 20.0, 1e-3)?;
/// // Canatar form: κ_C = λ_C + Σ_k κ_C η_k/(P η_k + κ_C).
/// let levels = [(1.0, 1.0), (0.5, 3.0), (0.25, 5.0), (0.125, 7.0)];
/// let kc = t.convention.kappa;
/// let rhs = t.convention.lambda
///     + levels.iter().map(|(e, n)| n * kc * e / (20.0 * e + kc)).sum::<f64>();
/// assert!((kc - rhs).abs() < 1e-12 * kc);
/// assert!((t.gcv - (t.ridge.test_error + 0.01)).abs() < 1e-15);
/// # Ok::<(), detridge::Error>(())
/// ```
pub fn kernel_ridge(task: &Task, p: f64, lambda: f64) -> Result<KernelTheory> {
    wrap(task.ridge(p, lambda)?)
}

#[allow(deprecated)] // fills the deprecated alias field `kare`
fn wrap(ridge: RidgeTheory) -> Result<KernelTheory> {
    Ok(KernelTheory {
        convention: to_kernel_convention(ridge.p, ridge.lambda, ridge.kappa)?,
        gcv: ridge.gcv,
        s_transform: ridge.s_transform,
        kare: ridge.gcv,
        ridge,
    })
}

/// Kernel learning curve over sample sizes at fixed `λ` (warm-started).
///
/// # Errors
/// The first error of any point.
///
/// # Examples
/// ```
/// use detridge::kernel::{learning_curve, sphere_task};
/// let task = sphere_task(5, &[1.0, 0.1, 0.01], &[0.0, 0.7, 0.3], 0.0)?;
/// let c = learning_curve(&task, &[10.0, 100.0, 1000.0], 1e-6)?;
/// assert!(c[2].ridge.test_error < c[1].ridge.test_error);
/// assert!(c[1].ridge.test_error < c[0].ridge.test_error);
/// # Ok::<(), detridge::Error>(())
/// ```
pub fn learning_curve(task: &Task, ps: &[f64], lambda: f64) -> Result<Vec<KernelTheory>> {
    task.kernel_ridge_curve_p(ps, lambda).into_result()
}

impl Task {
    /// Kernel ridge regression theory at `P` samples and ridge `λ` for a Mercer task
    /// (method form of [`kernel_ridge`]; THEORY §6).
    ///
    /// # Errors
    /// As [`Task::ridge`].
    ///
    /// # Examples
    /// ```
    /// use detridge::kernel::sphere_task;
    /// let task = sphere_task(3, &[1.0, 0.5, 0.25], &[0.2, 0.5, 0.3], 0.01)?;
    /// let t = task.kernel_ridge(20.0, 1e-3)?;
    /// assert!((t.gcv - (t.ridge.test_error + 0.01)).abs() < 1e-15);
    /// assert!((t.convention.kappa - 20.0 * t.ridge.kappa).abs() < 1e-15);
    /// # Ok::<(), detridge::Error>(())
    /// ```
    pub fn kernel_ridge(&self, p: f64, lambda: f64) -> Result<KernelTheory> {
        kernel_ridge(self, p, lambda)
    }

    /// Kernel learning curve over sample sizes at fixed `λ`, warm-started, one result per
    /// point ([`Curve`]).
    ///
    /// # Examples
    /// ```
    /// use detridge::kernel::sphere_task;
    /// let task = sphere_task(5, &[1.0, 0.1, 0.01], &[0.0, 0.7, 0.3], 0.0)?;
    /// let c = task.kernel_ridge_curve_p(&[10.0, 100.0, 1000.0], 1e-6).into_result()?;
    /// assert!(c[2].ridge.test_error < c[1].ridge.test_error);
    /// # Ok::<(), detridge::Error>(())
    /// ```
    pub fn kernel_ridge_curve_p(&self, ps: &[f64], lambda: f64) -> Curve<KernelTheory> {
        self.ridge_curve_p(ps, lambda).map(wrap)
    }

    /// Kernel ridge curve over ridges at fixed `P`, warm-started, one result per point.
    ///
    /// # Examples
    /// ```
    /// use detridge::kernel::sphere_task;
    /// let task = sphere_task(3, &[1.0, 0.5, 0.25], &[0.2, 0.5, 0.3], 0.01)?;
    /// let c = task.kernel_ridge_curve_lambda(20.0, &[1e-4, 1e-2]).into_result()?;
    /// assert!(c[0].ridge.kappa < c[1].ridge.kappa);
    /// # Ok::<(), detridge::Error>(())
    /// ```
    pub fn kernel_ridge_curve_lambda(&self, p: f64, lambdas: &[f64]) -> Curve<KernelTheory> {
        self.ridge_curve_lambda(p, lambdas).map(wrap)
    }
}
