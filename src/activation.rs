//! Activation functions of nonlinear random features and their Hermite coefficients
//! (THEORY §12).
//!
//! For a pre-activation `h ~ N(0, a)`:
//! `μ₀ = E φ(h)`, `μ₁ = E φ′(h) = E[hφ(h)]/a`, `μ*² = E φ(h)² − μ₀² − aμ₁²` (THEORY §12).
//! ReLU, erf and the identity use their closed forms; every other activation (and
//! [`Activation::hermite_quadrature`] for any activation) uses Gauss–Hermite quadrature
//! in f64, `E f(h) = π^{−1/2} Σ_i w_i f(√(2a) x_i)` with the nodes `x_i` and weights `w_i`
//! of the weight `e^{−x²}`, computed by Newton's method on the orthonormal Hermite
//! recurrence.
//!
//! Accuracy: for smooth activations (erf, tanh, GELU) convergence is geometric; with the
//! default [`DEFAULT_NODES`] = 200 nodes the erf closed form is reproduced to ~1e-15 for
//! `a ≤ 2.5` and to 1.3e-6 (absolute, on `μ*²`) at `a = 10`, where `erf(h)` saturates
//! steeply (measured; tests/nonlinear.rs). For ReLU (a kink at 0) Gauss–Hermite
//! converges only like `1/nodes` (measured worst relative error of `μ₀, μ₁, μ*²`: 2.3% at
//! 64 nodes, 1.1% at 128, 0.28% at 512; tests/nonlinear.rs); ReLU therefore always uses
//! its closed form in [`Activation::hermite`], and a user function with a kink gets that
//! accuracy (pass more nodes to [`Activation::hermite_quadrature`], up to [`MAX_NODES`]).

use std::fmt;
use std::sync::Arc;

use crate::error::{Error, Result, positive};

/// Gauss–Hermite nodes used by [`Activation::hermite`] for activations without a closed
/// form.
pub const DEFAULT_NODES: usize = 200;

/// Largest number of Gauss–Hermite nodes accepted (beyond it the orthonormal Hermite
/// recurrence overflows at the outermost nodes, `x ≈ √(2n)`, `e^{x²/2}`).
pub const MAX_NODES: usize = 600;

/// A scalar activation `φ` of nonlinear random features `z = φ(Wx)/√N` (THEORY §12).
///
/// # Examples
/// ```
/// use std::sync::Arc;
/// use detridge::features::Activation;
/// let h = Activation::Relu.hermite(1.0)?;
/// assert!((h.mu1 - 0.5).abs() < 1e-15);
/// // A user function: the softplus.
/// let sp = Activation::custom("softplus", Arc::new(|x: f64| x.exp().ln_1p()));
/// assert_eq!(sp.name(), "softplus");
/// assert!((sp.eval(0.0) - 2f64.ln()).abs() < 1e-15);
/// # Ok::<(), detridge::Error>(())
/// ```
#[derive(Clone)]
#[non_exhaustive]
pub enum Activation {
    /// `max(x, 0)`.
    Relu,
    /// The error function `erf(x)`.
    Erf,
    /// `tanh(x)`.
    Tanh,
    /// `x Φ(x) = x(1 + erf(x/√2))/2` (exact GELU, not the tanh approximation).
    Gelu,
    /// `x` (linear random features).
    Identity,
    /// A user function.
    Custom {
        /// A name for reports and debugging.
        name: String,
        /// The function; it must return finite values for finite arguments.
        f: Arc<dyn Fn(f64) -> f64 + Send + Sync>,
    },
}

impl fmt::Debug for Activation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Activation({})", self.name())
    }
}

/// How the Hermite coefficients were obtained.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub enum HermiteMethod {
    /// Closed form (ReLU, erf, identity; THEORY §12).
    ClosedForm,
    /// Gauss–Hermite quadrature with this many nodes.
    Quadrature {
        /// Number of nodes.
        nodes: usize,
    },
}

/// Hermite coefficients of an activation at pre-activation variance `a` (THEORY §12).
#[must_use]
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct HermiteCoefficients {
    /// Pre-activation variance `a`.
    pub variance: f64,
    /// `μ₀ = E φ(h)`.
    pub mu0: f64,
    /// `μ₁ = E[hφ(h)]/a`.
    pub mu1: f64,
    /// `μ*² = E φ(h)² − μ₀² − aμ₁² ≥ 0`.
    pub mu_star2: f64,
    /// `E φ(h)²`.
    pub second_moment: f64,
    /// How they were computed.
    pub method: HermiteMethod,
}

impl HermiteCoefficients {
    /// `μ* = √(μ*²)`.
    #[must_use]
    pub fn mu_star(&self) -> f64 {
        self.mu_star2.sqrt()
    }
}

impl Activation {
    /// A user activation.
    ///
    /// # Examples
    /// ```
    /// use std::sync::Arc;
    /// use detridge::features::Activation;
    /// let cube = Activation::custom("cube", Arc::new(|x: f64| x * x * x));
    /// // h³ at variance a: μ₁ = E[h⁴]/a = 3a.
    /// let h = cube.hermite(2.0)?;
    /// assert!((h.mu1 - 6.0).abs() < 1e-12);
    /// # Ok::<(), detridge::Error>(())
    /// ```
    pub fn custom(name: impl Into<String>, f: Arc<dyn Fn(f64) -> f64 + Send + Sync>) -> Self {
        Self::Custom {
            name: name.into(),
            f,
        }
    }

    /// The activation's name (`"relu"`, `"erf"`, `"tanh"`, `"gelu"`, `"identity"`, or the
    /// user's name).
    #[must_use]
    pub fn name(&self) -> &str {
        match self {
            Self::Relu => "relu",
            Self::Erf => "erf",
            Self::Tanh => "tanh",
            Self::Gelu => "gelu",
            Self::Identity => "identity",
            Self::Custom { name, .. } => name,
        }
    }

    /// `φ(x)`.
    #[must_use]
    pub fn eval(&self, x: f64) -> f64 {
        match self {
            Self::Relu => x.max(0.0),
            Self::Erf => libm::erf(x),
            Self::Tanh => x.tanh(),
            Self::Gelu => 0.5 * x * (1.0 + libm::erf(x * std::f64::consts::FRAC_1_SQRT_2)),
            Self::Identity => x,
            Self::Custom { f, .. } => f(x),
        }
    }

    /// Hermite coefficients `μ₀, μ₁, μ*²` at pre-activation variance `a > 0`
    /// (THEORY §12): closed forms for ReLU (`μ₀ = √(a/2π)`, `μ₁ = 1/2`,
    /// `μ*² = a(1/4 − 1/2π)`), erf (`μ₀ = 0`, `μ₁ = 2/√(π(1+2a))`,
    /// `μ*² = (2/π) arcsin(2a/(1+2a)) − 4a/(π(1+2a))`) and the identity (`0, 1, 0`);
    /// Gauss–Hermite quadrature with [`DEFAULT_NODES`] nodes otherwise.
    ///
    /// # Errors
    /// As [`Activation::hermite_quadrature`].
    ///
    /// # Examples
    /// ```
    /// use detridge::features::Activation;
    /// let h = Activation::Erf.hermite(1.0)?;
    /// assert!((h.mu1 - 2.0 / (3.0 * std::f64::consts::PI).sqrt()).abs() < 1e-15);
    /// let t = Activation::Tanh.hermite(1.0)?;
    /// assert!(t.mu0.abs() < 1e-15 && t.mu1 > 0.0 && t.mu_star2 > 0.0);
    /// # Ok::<(), detridge::Error>(())
    /// ```
    pub fn hermite(&self, a: f64) -> Result<HermiteCoefficients> {
        positive("pre-activation variance", a)?;
        use std::f64::consts::PI;
        let closed = |mu0: f64, mu1: f64, second: f64, mu_star2: f64| HermiteCoefficients {
            variance: a,
            mu0,
            mu1,
            mu_star2,
            second_moment: second,
            method: HermiteMethod::ClosedForm,
        };
        match self {
            Self::Relu => Ok(closed(
                (a / (2.0 * PI)).sqrt(),
                0.5,
                0.5 * a,
                a * (0.25 - 0.5 / PI),
            )),
            Self::Erf => {
                let b = 1.0 + 2.0 * a;
                let second = 2.0 / PI * (2.0 * a / b).asin();
                Ok(closed(
                    0.0,
                    2.0 / (PI * b).sqrt(),
                    second,
                    second - 4.0 * a / (PI * b),
                ))
            }
            Self::Identity => Ok(closed(0.0, 1.0, a, 0.0)),
            _ => self.hermite_quadrature(a, DEFAULT_NODES),
        }
    }

    /// Hermite coefficients at variance `a` by Gauss–Hermite quadrature with `nodes`
    /// nodes, for any activation (also those with closed forms, for checking). A negative
    /// `μ*²` within rounding (`|μ*²| ≤ 1e-12 E φ²`) is returned as `0`.
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] for `a ≤ 0`, `nodes < 2` or `nodes > MAX_NODES`;
    /// [`Error::NonFinite`] for `a` or a moment that is not finite (a user function
    /// returning NaN/inf); [`Error::InvalidParameter`] for a clearly negative `μ*²`
    /// (impossible for a real function: it signals an inaccurate quadrature);
    /// [`Error::NoConvergence`] if a quadrature node does not converge.
    ///
    /// # Examples
    /// ```
    /// use detridge::features::Activation;
    /// let q = Activation::Erf.hermite_quadrature(0.5, 200)?;
    /// let c = Activation::Erf.hermite(0.5)?;
    /// assert!((q.mu_star2 - c.mu_star2).abs() < 1e-14);
    /// # Ok::<(), detridge::Error>(())
    /// ```
    pub fn hermite_quadrature(&self, a: f64, nodes: usize) -> Result<HermiteCoefficients> {
        positive("pre-activation variance", a)?;
        let (x, w) = gauss_hermite(nodes)?;
        let scale = (2.0 * a).sqrt();
        let (mut m0, mut m1, mut m2) = (0.0, 0.0, 0.0);
        for (&xi, &wi) in x.iter().zip(&w) {
            let h = scale * xi;
            let f = self.eval(h);
            m0 += wi * f;
            m1 += wi * h * f;
            m2 += wi * f * f;
        }
        let norm = std::f64::consts::PI.sqrt().recip();
        let (mu0, second) = (m0 * norm, m2 * norm);
        let mu1 = m1 * norm / a;
        for (what, v) in [
            ("activation mean E φ(h)", mu0),
            ("activation moment E hφ(h)", mu1),
            ("activation second moment E φ(h)²", second),
        ] {
            if !v.is_finite() {
                return Err(Error::NonFinite { what, value: v });
            }
        }
        let mut mu_star2 = second - mu0 * mu0 - a * mu1 * mu1;
        if mu_star2 < 0.0 {
            if -mu_star2 <= 1e-12 * second.max(f64::MIN_POSITIVE) {
                mu_star2 = 0.0;
            } else {
                return Err(Error::InvalidParameter {
                    name: "mu_star2",
                    value: mu_star2,
                    reason: "negative beyond rounding: the quadrature is not accurate for this activation",
                });
            }
        }
        Ok(HermiteCoefficients {
            variance: a,
            mu0,
            mu1,
            mu_star2,
            second_moment: second,
            method: HermiteMethod::Quadrature { nodes },
        })
    }
}

/// Gauss–Hermite nodes and weights for the weight `e^{−x²}` on `R` (`Σ w_i = √π`): the
/// nodes of the Golub–Welsch Jacobi matrix (off-diagonal `√(k/2)`, nalgebra's symmetric
/// eigensolver) polished by Newton's method on the orthonormal Hermite recurrence, which
/// also gives the weights `w_i = 2/p_n′(x_i)²` (Numerical Recipes `gauher`); nodes in
/// decreasing order.
///
/// # Errors
/// [`Error::InvalidParameter`] for `n < 2` or `n > MAX_NODES`; [`Error::NoConvergence`]
/// if a node's Newton iteration does not converge in 100 steps;
/// [`Error::NonFinite`] if a weight is not finite.
///
/// # Examples
/// ```
/// let (x, w) = detridge::features::activation::gauss_hermite(60)?;
/// assert!((w.iter().sum::<f64>() - std::f64::consts::PI.sqrt()).abs() < 1e-13);
/// // Exact for polynomials of degree < 2n: ∫ x⁴ e^{−x²} = 3√π/4.
/// let m4: f64 = x.iter().zip(&w).map(|(x, w)| w * x.powi(4)).sum();
/// assert!((m4 - 0.75 * std::f64::consts::PI.sqrt()).abs() < 1e-13);
/// # Ok::<(), detridge::Error>(())
/// ```
pub fn gauss_hermite(n: usize) -> Result<(Vec<f64>, Vec<f64>)> {
    if !(2..=MAX_NODES).contains(&n) {
        return Err(Error::InvalidParameter {
            name: "nodes",
            value: n as f64,
            reason: "Gauss-Hermite needs 2 <= nodes <= MAX_NODES",
        });
    }
    const PIM4: f64 = 0.751_125_544_464_942_5; // π^{−1/4}
    let nf = n as f64;
    let jacobi = nalgebra::DMatrix::from_fn(n, n, |i, j| {
        if i + 1 == j || j + 1 == i {
            (i.max(j) as f64 / 2.0).sqrt()
        } else {
            0.0
        }
    });
    let mut guesses: Vec<f64> = jacobi.symmetric_eigenvalues().iter().copied().collect();
    guesses.sort_by(|a, b| b.total_cmp(a));
    let mut x = vec![0.0; n];
    let mut w = vec![0.0; n];
    for (i, &z0) in guesses.iter().enumerate() {
        let mut z = z0;
        let mut pp = f64::NAN;
        let mut converged = false;
        let mut last_step = f64::NAN;
        for _ in 0..100 {
            let (mut p1, mut p2) = (PIM4, 0.0_f64);
            for j in 0..n {
                let p3 = p2;
                p2 = p1;
                let jf = j as f64;
                p1 = z * (2.0 / (jf + 1.0)).sqrt() * p2 - (jf / (jf + 1.0)).sqrt() * p3;
            }
            pp = (2.0 * nf).sqrt() * p2;
            let step = p1 / pp;
            if !step.is_finite() {
                break;
            }
            z -= step;
            last_step = step;
            if step.abs() <= 1e-15 * z.abs().max(1.0) {
                converged = true;
                break;
            }
        }
        if !converged || !z.is_finite() {
            return Err(Error::NoConvergence {
                what: "Gauss-Hermite node",
                iterations: 100,
                residual: last_step.abs(),
                last: z,
            });
        }
        x[i] = z;
        w[i] = 2.0 / (pp * pp);
        if !w[i].is_finite() {
            return Err(Error::NonFinite {
                what: "Gauss-Hermite weight",
                value: w[i],
            });
        }
    }
    Ok((x, w))
}
