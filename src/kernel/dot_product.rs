//! Dot-product kernels `k(x, x′) = κ(x·x′)` on the sphere `S^{d−1} ⊂ R^d` (THEORY §12, §6).
//!
//! For `x` uniform on `S^{d−1}`, Funk–Hecke gives the eigenvalue of the degree-`ℓ`
//! spherical harmonics (multiplicity [`sphere_degeneracy`]`(d, ℓ)`, THEORY §6):
//!
//! `λ_ℓ = (|S^{d−2}|/|S^{d−1}|) ∫₋₁¹ κ(t) P_ℓ(t) (1 − t²)^{(d−3)/2} dt`
//! `    = ∫₀^π κ(cos θ) P_ℓ(cos θ) sin^{d−2}θ dθ / ∫₀^π sin^{d−2}θ dθ`,
//!
//! with `P_ℓ = P_ℓ^{(d)}` the Gegenbauer polynomial normalised to `P_ℓ(1) = 1`
//! (`P₀ = 1`, `P₁ = t`, `(ℓ+d−3)P_ℓ = (2ℓ+d−4) t P_{ℓ−1} − (ℓ−1)P_{ℓ−2}`; Legendre for
//! `d = 3`, Chebyshev for `d = 2`). The integral is taken in `θ` by Gauss–Legendre
//! quadrature: the arc-cosine kernels and the ReLU NTK are analytic functions of `θ` on
//! `[0, π]` (their singularities in `t = cos θ` at `t = ±1` are half-integer powers of
//! `1 ∓ t`), so the quadrature converges exponentially once the nodes resolve the `ℓ`
//! oscillations of `P_ℓ`. The normalisation is computed by the same rule, so `κ ≡ 1`
//! gives `λ₀ = 1` to rounding. Accuracy is limited by cancellation: a computed `λ_ℓ`
//! smaller than its rounding floor `64 ε Σ_i w_i|κ P_ℓ| sin^{d−2}θ_i` (normalised) is
//! returned as `0` (this is how the vanishing parities of the ReLU kernels come out), and
//! the floor is reported.
//!
//! Named kernels ([`DotProductKernel`]), for unit-norm inputs and bias-free ReLU networks
//! (Cho & Saul 2009; Jacot et al. 2018; Bietti & Mairal 2019), `θ = arccos t`:
//! * arc-cosine of order 0, `κ₀(t) = 1 − θ/π` (`= 2E[1(w·x>0)1(w·x′>0)]`, `w ~ N(0, I)`);
//! * arc-cosine of order 1, `κ₁(t) = (sin θ + (π − θ) t)/π` (`= 2E[relu(w·x) relu(w·x′)]`,
//!   the infinite-width ReLU random-feature kernel, `κ₁(1) = 1`);
//! * the NTK of a fully connected ReLU network with `L` hidden layers:
//!   `Σ⁰ = Θ⁰ = t`, `Θʰ = Θʰ⁻¹ κ₀(Σʰ⁻¹) + κ₁(Σʰ⁻¹)`, `Σʰ = κ₁(Σʰ⁻¹)`, kernel `Θᴸ`
//!   (`Θᴸ(1) = L + 1`).
//!
//! Known decay (Bietti & Mairal 2019, `d` the ambient dimension as here): `λ_ℓ ~ ℓ^{−d}`
//! for the ReLU NTK and `κ₀`, `ℓ^{−d−2}` for `κ₁`, along the degrees of the non-vanishing
//! parity (`κ₁` and the two-layer NTK: odd `ℓ ≥ 3` vanish; `κ₀`: even `ℓ ≥ 2` vanish).
//! Measured exponents are in `tests/dot_product.rs`.

use std::fmt;
use std::sync::Arc;

use super::{sphere_degeneracy, sphere_task};
use crate::error::{Error, Result};
use crate::spectrum::Task;

/// Largest number of quadrature nodes accepted.
pub const MAX_NODES: usize = 200_000;

/// A dot-product kernel `κ(x·x′)` on the sphere.
///
/// # Examples
/// ```
/// use detridge::kernel::dot_product::DotProductKernel;
/// let k = DotProductKernel::ReluNtk { depth: 2 };
/// assert!((k.eval(1.0) - 3.0).abs() < 1e-15);
/// assert!((DotProductKernel::ArcCosine1.eval(0.0) - 1.0 / std::f64::consts::PI).abs() < 1e-15);
/// ```
#[derive(Clone)]
#[non_exhaustive]
pub enum DotProductKernel {
    /// Arc-cosine kernel of order 0, `1 − arccos(t)/π`.
    ArcCosine0,
    /// Arc-cosine kernel of order 1 (ReLU), `(√(1−t²) + (π − arccos t) t)/π`.
    ArcCosine1,
    /// NTK of a bias-free fully connected ReLU network with `depth ≥ 1` hidden layers.
    ReluNtk {
        /// Number of hidden layers `L`.
        depth: usize,
    },
    /// A user function `κ` on `[−1, 1]`.
    Custom {
        /// Name for reports.
        name: String,
        /// `κ(t)`; must be finite on `[−1, 1]`.
        f: Arc<dyn Fn(f64) -> f64 + Send + Sync>,
    },
}

impl fmt::Debug for DotProductKernel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::ArcCosine0 => write!(f, "ArcCosine0"),
            Self::ArcCosine1 => write!(f, "ArcCosine1"),
            Self::ReluNtk { depth } => write!(f, "ReluNtk {{ depth: {depth} }}"),
            Self::Custom { name, .. } => write!(f, "Custom({name})"),
        }
    }
}

fn arc_cosine0(t: f64) -> f64 {
    1.0 - t.clamp(-1.0, 1.0).acos() / std::f64::consts::PI
}

fn arc_cosine1(t: f64) -> f64 {
    let t = t.clamp(-1.0, 1.0);
    let theta = t.acos();
    (theta.sin() + (std::f64::consts::PI - theta) * t) / std::f64::consts::PI
}

/// Eigenvalues of a dot-product kernel on `S^{d−1}` by degree.
#[must_use]
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct SphereEigenvalues {
    /// Ambient dimension `d`.
    pub d: usize,
    /// `λ_ℓ`, `ℓ = 0..=max_degree` (zero where below the rounding floor).
    pub eigenvalues: Vec<f64>,
    /// Rounding floor of each `λ_ℓ`.
    pub floor: Vec<f64>,
    /// Multiplicities `N(d, ℓ)`.
    pub multiplicities: Vec<f64>,
    /// Quadrature nodes used.
    pub nodes: usize,
}

impl DotProductKernel {
    /// A user kernel `κ(t)`.
    ///
    /// # Examples
    /// ```
    /// use std::sync::Arc;
    /// use detridge::kernel::dot_product::DotProductKernel;
    /// let k = DotProductKernel::custom("exp", Arc::new(|t: f64| t.exp()));
    /// assert!((k.eval(0.0) - 1.0).abs() < 1e-15);
    /// ```
    pub fn custom(name: impl Into<String>, f: Arc<dyn Fn(f64) -> f64 + Send + Sync>) -> Self {
        Self::Custom {
            name: name.into(),
            f,
        }
    }

    /// `κ(t)` for `t ∈ [−1, 1]` (named kernels clamp `t` to that range).
    #[must_use]
    pub fn eval(&self, t: f64) -> f64 {
        match self {
            Self::ArcCosine0 => arc_cosine0(t),
            Self::ArcCosine1 => arc_cosine1(t),
            Self::ReluNtk { depth } => {
                let (mut sigma, mut theta) = (t, t);
                for _ in 0..*depth {
                    theta = theta * arc_cosine0(sigma) + arc_cosine1(sigma);
                    sigma = arc_cosine1(sigma);
                }
                theta
            }
            Self::Custom { f, .. } => f(t),
        }
    }

    /// Eigenvalues `λ_0..λ_{max_degree}` on `S^{d−1}` by Funk–Hecke quadrature (module
    /// docs) with `max(4·max_degree + 400, 2000)` Gauss–Legendre nodes in `θ`.
    ///
    /// # Errors
    /// As [`DotProductKernel::eigenvalues_with_nodes`].
    ///
    /// # Examples
    /// ```
    /// use detridge::kernel::dot_product::DotProductKernel;
    /// let e = DotProductKernel::ArcCosine1.eigenvalues(3, 10)?;
    /// // κ₁(t) = t/2 + even part: λ₁ = 1/(2d); odd degrees ≥ 3 vanish.
    /// assert!((e.eigenvalues[1] - 1.0 / 6.0).abs() < 1e-14);
    /// assert_eq!(e.eigenvalues[3], 0.0);
    /// assert!(e.eigenvalues[4] > 0.0);
    /// # Ok::<(), detridge::Error>(())
    /// ```
    pub fn eigenvalues(&self, d: usize, max_degree: usize) -> Result<SphereEigenvalues> {
        self.eigenvalues_with_nodes(d, max_degree, (4 * max_degree + 400).max(2000))
    }

    /// [`DotProductKernel::eigenvalues`] with an explicit number of quadrature nodes.
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] for `d < 2`, a zero NTK depth, or `nodes` outside
    /// `max_degree + 2 ..= MAX_NODES`; [`Error::NonFinite`] if `κ` is not finite at a node;
    /// [`Error::NotPositiveSemiDefinite`] if some `λ_ℓ` is negative beyond its rounding
    /// floor (the kernel is not positive definite on the sphere); [`Error::NoConvergence`]
    /// if a quadrature node does not converge.
    pub fn eigenvalues_with_nodes(
        &self,
        d: usize,
        max_degree: usize,
        nodes: usize,
    ) -> Result<SphereEigenvalues> {
        if d < 2 {
            return Err(Error::InvalidParameter {
                name: "d",
                value: d as f64,
                reason: "the sphere S^{d-1} needs d >= 2",
            });
        }
        if let Self::ReluNtk { depth: 0 } = self {
            return Err(Error::InvalidParameter {
                name: "depth",
                value: 0.0,
                reason: "the NTK needs at least one hidden layer",
            });
        }
        if nodes < max_degree + 2 || nodes > MAX_NODES {
            return Err(Error::InvalidParameter {
                name: "nodes",
                value: nodes as f64,
                reason: "need max_degree + 2 <= nodes <= MAX_NODES",
            });
        }
        let (x, w) = gauss_legendre(nodes)?;
        let half_pi = 0.5 * std::f64::consts::PI;
        let df = d as f64;
        let levels = max_degree + 1;
        let mut sum = vec![0.0; levels];
        let mut abs = vec![0.0; levels];
        let mut norm = 0.0;
        let mut p = vec![0.0; levels];
        for (&xi, &wi) in x.iter().zip(&w) {
            // θ = (π/2)(x + 1) on [0, π].
            let theta = half_pi * (xi + 1.0);
            let t = theta.cos();
            let sin = theta.sin();
            let jac = wi
                * half_pi
                * if d == 2 {
                    1.0
                } else {
                    sin.powi((d - 2) as i32)
                };
            let k = self.eval(t);
            if !k.is_finite() {
                return Err(Error::NonFinite {
                    what: "kernel value",
                    value: k,
                });
            }
            norm += jac;
            p[0] = 1.0;
            if levels > 1 {
                p[1] = t;
            }
            for l in 2..levels {
                let lf = l as f64;
                p[l] = ((2.0 * lf + df - 4.0) * t * p[l - 1] - (lf - 1.0) * p[l - 2])
                    / (lf + df - 3.0);
            }
            for l in 0..levels {
                let term = jac * k * p[l];
                sum[l] += term;
                abs[l] += term.abs();
            }
        }
        let mut eigenvalues = Vec::with_capacity(levels);
        let mut floor = Vec::with_capacity(levels);
        let mut multiplicities = Vec::with_capacity(levels);
        for l in 0..levels {
            let value = sum[l] / norm;
            let fl = 64.0 * f64::EPSILON * abs[l] / norm;
            if value < -fl {
                return Err(Error::NotPositiveSemiDefinite {
                    what: "dot-product kernel on the sphere",
                    reason: format!("eigenvalue of degree {l} is {value:e} < 0"),
                });
            }
            eigenvalues.push(if value.abs() <= fl { 0.0 } else { value });
            floor.push(fl);
            multiplicities.push(sphere_degeneracy(d, l)?);
        }
        Ok(SphereEigenvalues {
            d,
            eigenvalues,
            floor,
            multiplicities,
            nodes,
        })
    }

    /// A kernel regression [`Task`] on `S^{d−1}`: the eigenvalues of degrees
    /// `0..target_power.len()` (via [`DotProductKernel::eigenvalues`]) with the target
    /// power `Σ_{k∈ℓ} c_k²` of each degree and label noise `σ²`, through
    /// [`sphere_task`] (THEORY §6). Learning curves then come from the ridge theory
    /// ([`crate::kernel::learning_curve`]). Degrees beyond the last are dropped (a
    /// truncation of the kernel).
    ///
    /// # Errors
    /// [`Error::Empty`] for no degrees; as [`DotProductKernel::eigenvalues`] and
    /// [`sphere_task`] (target power on a degree whose eigenvalue vanishes is an error).
    ///
    /// # Examples
    /// ```
    /// use detridge::kernel::{dot_product::DotProductKernel, learning_curve};
    /// // Target: a degree-1 and a degree-2 component on S^2, NTK of a 2-hidden-layer net.
    /// let mut power = vec![0.0; 60];
    /// power[1] = 0.5;
    /// power[2] = 0.5;
    /// let task = DotProductKernel::ReluNtk { depth: 2 }.sphere_task(3, &power, 0.0)?;
    /// let c = learning_curve(&task, &[10.0, 100.0, 1000.0], 1e-6)?;
    /// assert!(c[2].ridge.test_error < c[1].ridge.test_error);
    /// assert!(c[1].ridge.test_error < c[0].ridge.test_error);
    /// # Ok::<(), detridge::Error>(())
    /// ```
    pub fn sphere_task(&self, d: usize, target_power: &[f64], noise_variance: f64) -> Result<Task> {
        if target_power.is_empty() {
            return Err(Error::Empty {
                what: "target power per degree",
            });
        }
        let e = self.eigenvalues(d, target_power.len() - 1)?;
        sphere_task(d, &e.eigenvalues, target_power, noise_variance)
    }
}

/// Least-squares slope of `ln λ_ℓ` against `ln ℓ` over the degrees `ℓ ∈ [lo, hi]` with
/// `λ_ℓ > 0` (so a vanishing parity is skipped): the decay exponent is `−slope`.
///
/// # Errors
/// [`Error::InvalidParameter`] if fewer than 2 positive eigenvalues lie in the window.
///
/// # Examples
/// ```
/// use detridge::kernel::dot_product::decay_slope;
/// let lam: Vec<f64> = (0..100).map(|l| if l == 0 { 1.0 } else { (l as f64).powi(-3) }).collect();
/// assert!((decay_slope(&lam, 10, 90)? + 3.0).abs() < 1e-12);
/// # Ok::<(), detridge::Error>(())
/// ```
pub fn decay_slope(eigenvalues: &[f64], lo: usize, hi: usize) -> Result<f64> {
    let pts: Vec<(f64, f64)> = (lo.max(1)..=hi.min(eigenvalues.len().saturating_sub(1)))
        .filter(|&l| eigenvalues[l] > 0.0)
        .map(|l| ((l as f64).ln(), eigenvalues[l].ln()))
        .collect();
    if pts.len() < 2 {
        return Err(Error::InvalidParameter {
            name: "window",
            value: pts.len() as f64,
            reason: "need at least 2 positive eigenvalues in the window",
        });
    }
    let n = pts.len() as f64;
    let mx = pts.iter().map(|p| p.0).sum::<f64>() / n;
    let my = pts.iter().map(|p| p.1).sum::<f64>() / n;
    let sxy: f64 = pts.iter().map(|p| (p.0 - mx) * (p.1 - my)).sum();
    let sxx: f64 = pts.iter().map(|p| (p.0 - mx).powi(2)).sum();
    Ok(sxy / sxx)
}

/// Gauss–Legendre nodes and weights on `[−1, 1]` by Newton's method on the Legendre
/// recurrence (Numerical Recipes `gauleg`).
fn gauss_legendre(n: usize) -> Result<(Vec<f64>, Vec<f64>)> {
    let nf = n as f64;
    let mut x = vec![0.0; n];
    let mut w = vec![0.0; n];
    let m = n.div_ceil(2);
    for i in 0..m {
        let mut z = (std::f64::consts::PI * (i as f64 + 0.75) / (nf + 0.5)).cos();
        let mut pp = f64::NAN;
        let mut ok = false;
        let mut step = f64::NAN;
        for _ in 0..100 {
            let (mut p1, mut p2) = (1.0, 0.0);
            for j in 0..n {
                let p3 = p2;
                p2 = p1;
                let jf = j as f64;
                p1 = ((2.0 * jf + 1.0) * z * p2 - jf * p3) / (jf + 1.0);
            }
            pp = nf * (z * p1 - p2) / (z * z - 1.0);
            step = p1 / pp;
            z -= step;
            if step.abs() <= 1e-15 {
                ok = true;
                break;
            }
        }
        if !ok {
            return Err(Error::NoConvergence {
                what: "Gauss-Legendre node",
                iterations: 100,
                residual: step.abs(),
                last: z,
            });
        }
        x[i] = -z;
        x[n - 1 - i] = z;
        w[i] = 2.0 / ((1.0 - z * z) * pp * pp);
        w[n - 1 - i] = w[i];
    }
    Ok((x, w))
}
