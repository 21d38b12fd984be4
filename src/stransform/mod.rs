//! S-transforms of the free factors that renormalize the ridge (THEORY §2.2–2.3).
//!
//! # Convention
//! The paper's convention `S_A(df) = (1 − df)/(df · λ_A(df))` with `df` the *normalised*
//! degrees of freedom (THEORY §2.2; `S_A(df) = S^std_A(−df)`). The renormalized ridge is
//! `κ = λ · Π_i S_i(df)`, `df = df¹_Σ(κ)` (THEORY §2.1, §4.2).
//!
//! Because `D` may be infinite, the factors here are written as functions of the
//! *unnormalised* degrees of freedom `Df = D·df`, and they expose the **inverse**
//! `1/S(Df)`, which is finite and smooth through the point where `S` blows up:
//! for the Wishart factor of `P` samples `1/S = 1 − Df/P` (THEORY §2.3 with `q = D/P`).
//! Every factor's inverse is positive and non-increasing on `Df < capacity` and vanishes at
//! its capacity (`P` for data, `N` for features), which is what the solver relies on.

mod generalized_wishart;
mod spectral;
pub mod stieltjes;

use std::fmt::Debug;

pub use generalized_wishart::GeneralizedWishart;
pub use spectral::SpectralFactor;

use crate::error::{Result, positive, size};

/// One free factor of the renormalization `κ = λ Π_i S_i`.
///
/// Implementations must make `1/S` non-increasing in `Df` on `[0, capacity]`, positive
/// below the capacity and zero at it.
pub trait STransform: Debug + Send + Sync {
    /// `1/S(Df)`, the inverse S-transform at unnormalised degrees of freedom `Df`.
    fn inverse(&self, dof: f64) -> f64;
    /// `d(1/S)/dDf`.
    fn inverse_derivative(&self, dof: f64) -> f64;
    /// The `Df` at which `1/S` vanishes (`∞` if it never does).
    fn capacity(&self) -> f64;
    /// The free factors this one is a product of (`None`: it is a single factor).
    ///
    /// The solver works on the individual factors: the sign of each `1/S_i` tells the
    /// physical branch (`Df₁ <` every capacity) from the continuation below it, and a
    /// product of two negative inverses is positive (THEORY §2.1, issue #15).
    fn components(&self) -> Option<Vec<&dyn STransform>> {
        None
    }
}

/// The factors with every [`Product`] (recursively) replaced by its components.
pub(crate) fn flatten<'a>(factors: &[&'a dyn STransform]) -> Vec<&'a dyn STransform> {
    let mut out = Vec::with_capacity(factors.len());
    for &f in factors {
        match f.components() {
            Some(parts) => out.extend(flatten(&parts)),
            None => out.push(f),
        }
    }
    out
}

/// The Wishart factor of `n` samples (or `n` isotropic random features):
/// `S(df) = 1/(1 − (D/n) df)`, i.e. `1/S = 1 − Df/n` (THEORY §2.3).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Wishart {
    n: f64,
}

impl Wishart {
    /// The factor of `n` samples; `n = ∞` is the identity factor.
    ///
    /// # Errors
    /// [`crate::Error::InvalidParameter`] for `n ≤ 0`, [`crate::Error::NonFinite`] for NaN.
    ///
    /// # Examples
    /// ```
    /// use detridge::stransform::{STransform, Wishart};
    /// let w = Wishart::new(100.0)?;
    /// assert_eq!(w.inverse(25.0), 0.75);
    /// # Ok::<(), detridge::Error>(())
    /// ```
    pub fn new(n: f64) -> Result<Self> {
        Ok(Self {
            n: size("n", n, true)?,
        })
    }

    /// The sample (or feature) count.
    #[must_use]
    pub fn n(&self) -> f64 {
        self.n
    }
}

impl STransform for Wishart {
    fn inverse(&self, dof: f64) -> f64 {
        1.0 - dof / self.n
    }
    fn inverse_derivative(&self, _dof: f64) -> f64 {
        -1.0 / self.n
    }
    fn capacity(&self) -> f64 {
        self.n
    }
}

/// The scalar matrix `c I`: `S = 1/c` (THEORY §2.3).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Scalar {
    c: f64,
}

impl Scalar {
    /// The factor of `c I`, `c > 0`.
    ///
    /// # Errors
    /// [`crate::Error::InvalidParameter`] unless `c` is finite and `> 0`.
    pub fn new(c: f64) -> Result<Self> {
        Ok(Self {
            c: positive("c", c)?,
        })
    }
}

impl STransform for Scalar {
    fn inverse(&self, _dof: f64) -> f64 {
        self.c
    }
    fn inverse_derivative(&self, _dof: f64) -> f64 {
        0.0
    }
    fn capacity(&self) -> f64 {
        f64::INFINITY
    }
}

/// A product of free factors as one value: `S = Π_i S_i` (THEORY §2.2, multiplicativity
/// under free products).
#[derive(Debug, Default)]
pub struct Product {
    factors: Vec<Box<dyn STransform>>,
}

impl Product {
    /// An empty product (`S = 1`).
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    /// Appends a factor.
    #[must_use]
    pub fn with(mut self, factor: impl STransform + 'static) -> Self {
        self.factors.push(Box::new(factor));
        self
    }

    /// The factors, for the solver.
    #[must_use]
    pub fn factors(&self) -> Vec<&dyn STransform> {
        self.factors
            .iter()
            .map(|f| &**f as &dyn STransform)
            .collect()
    }
}

impl STransform for Product {
    fn inverse(&self, dof: f64) -> f64 {
        product(&self.factors(), dof).inverse
    }
    fn inverse_derivative(&self, dof: f64) -> f64 {
        product(&self.factors(), dof).derivative
    }
    fn capacity(&self) -> f64 {
        min_capacity(&self.factors())
    }
    fn components(&self) -> Option<Vec<&dyn STransform>> {
        Some(self.factors())
    }
}

/// The product of factors evaluated together: `1/S = Π_i 1/S_i`, and the
/// logarithmic-derivative sum the solver needs.
#[derive(Debug, Clone, Copy)]
pub(crate) struct ProductEval {
    /// `Π_i 1/S_i(Df)`.
    pub(crate) inverse: f64,
    /// `d(Π_i 1/S_i)/dDf`.
    pub(crate) derivative: f64,
}

pub(crate) fn product(factors: &[&dyn STransform], dof: f64) -> ProductEval {
    let mut inverse = 1.0;
    let mut derivative = 0.0;
    for (i, f) in factors.iter().enumerate() {
        let v = f.inverse(dof);
        let dv = f.inverse_derivative(dof);
        // Product rule: d(Π)/dDf = Σ_i dv_i Π_{j≠i} v_j.
        let mut others = 1.0;
        for (j, g) in factors.iter().enumerate() {
            if j != i {
                others *= g.inverse(dof);
            }
        }
        derivative += dv * others;
        inverse *= v;
    }
    ProductEval {
        inverse,
        derivative,
    }
}

/// Smallest capacity among the factors (`∞` for none).
pub(crate) fn min_capacity(factors: &[&dyn STransform]) -> f64 {
    factors
        .iter()
        .map(|f| f.capacity())
        .fold(f64::INFINITY, f64::min)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn product_value_equals_factor_list() {
        let p = Product::new()
            .with(Wishart::new(100.0).unwrap())
            .with(Scalar::new(2.0).unwrap());
        let a = Wishart::new(100.0).unwrap();
        let c = Scalar::new(2.0).unwrap();
        let list: [&dyn STransform; 2] = [&a, &c];
        assert!((p.inverse(30.0) - product(&list, 30.0).inverse).abs() < 1e-15);
        assert!((p.capacity() - 100.0).abs() < 1e-15);
    }

    #[test]
    fn product_rule_matches_finite_difference() {
        let a = Wishart::new(100.0).unwrap();
        let b = Wishart::new(250.0).unwrap();
        let c = Scalar::new(2.0).unwrap();
        let f: [&dyn STransform; 3] = [&a, &b, &c];
        let x = 40.0;
        let h = 1e-4;
        let fd = (product(&f, x + h).inverse - product(&f, x - h).inverse) / (2.0 * h);
        let p = product(&f, x);
        assert!((p.derivative - fd).abs() < 1e-9);
        let expect = (1.0 - x / 100.0) * (1.0 - x / 250.0) * 2.0;
        assert!((p.inverse - expect).abs() < 1e-15);
    }
}
