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

pub mod stieltjes;

use std::fmt::Debug;

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

/// The S-transform of a positive semi-definite `D × D` matrix `A` given by its spectrum,
/// evaluated numerically (THEORY §2.2, §10): for `df = Df/D`, `λ_A(df)` inverts
/// `df¹_A(λ) = df` (a bracketed Newton solve, the same as the ridgeless κ₀), and
/// `S_A(df) = (1 − df)/(df λ_A)`, so `1/S = Df λ_A/(D − Df)`.
///
/// Use it as a free factor of the renormalization when `A` is free from the data (e.g.
/// `A = FFᵀ` for a structured feature map whose spectrum is known). Its capacity is
/// `rank A` (for `Df ≥ rank A`, `λ_A = 0`). `1/S(0) = Tr A/D`, the mean eigenvalue.
#[derive(Debug, Clone)]
pub struct SpectralFactor {
    spectrum: crate::Spectrum,
    /// `Tr A²`, for the slope at `Df → 0`.
    trace2: f64,
    params: crate::solver::SolverParams,
}

impl SpectralFactor {
    /// The factor of a matrix with this spectrum; its dimension is the `D` of the
    /// normalised `df`.
    ///
    /// # Errors
    /// [`crate::Error::Unsupported`] for an analytic (power-law) spectrum.
    ///
    /// # Examples
    /// The S-transform of `c I` is `1/c`:
    /// ```
    /// use detridge::{Spectrum, stransform::{STransform, SpectralFactor}};
    /// let f = SpectralFactor::new(Spectrum::isotropic(50.0, 4.0)?)?;
    /// assert!((f.inverse(20.0) - 4.0).abs() < 1e-12);
    /// # Ok::<(), detridge::Error>(())
    /// ```
    pub fn new(spectrum: crate::Spectrum) -> Result<Self> {
        let crate::spectrum::Repr::Discrete(d) = &spectrum.repr else {
            return Err(crate::Error::Unsupported(
                "a spectral S-transform needs a discrete spectrum",
            ));
        };
        let trace2 = (0..d.values.len())
            .map(|i| d.multiplicity(i) * d.values[i] * d.values[i])
            .sum();
        Ok(Self {
            spectrum,
            trace2,
            params: crate::solver::SolverParams::default(),
        })
    }

    /// `λ_A` with `Df¹_A(λ_A) = dof`, and the cancellation-free `Df₁ − Df₂` of `A` there.
    fn lambda_a(&self, dof: f64) -> (f64, f64) {
        if dof <= 0.0 {
            return (f64::INFINITY, 0.0);
        }
        match crate::solver::kappa_zero(&self.spectrum, dof, &self.params) {
            Ok((l, _)) => (l, self.spectrum.dofs(l).df1_minus_df2),
            Err(_) => (f64::NAN, f64::NAN),
        }
    }
}

impl STransform for SpectralFactor {
    fn inverse(&self, dof: f64) -> f64 {
        let d = self.spectrum.dimension();
        if dof <= 0.0 {
            return self.spectrum.trace() / d;
        }
        let (l, _) = self.lambda_a(dof);
        dof * l / (d - dof)
    }
    fn inverse_derivative(&self, dof: f64) -> f64 {
        let d = self.spectrum.dimension();
        let t1 = self.spectrum.trace();
        if dof <= 1e-6 * self.spectrum.rank() {
            // λ_A = T₁/Df − T₂/T₁ + O(Df), so 1/S = (T₁ − Df T₂/T₁ + O(Df²))/(D − Df):
            // the slope at 0, accurate to O(Df) (the exact form below cancels there).
            return t1 / (d * d) - self.trace2 / (t1 * d);
        }
        let (l, dd) = self.lambda_a(dof);
        if l == 0.0 {
            return 0.0;
        }
        // dλ_A/dDf = −λ_A/(Df₁ − Df₂)_A (differentiate Df¹_A(λ_A) = Df).
        let dl = -l / dd;
        l * d / (d - dof).powi(2) + dof / (d - dof) * dl
    }
    fn capacity(&self) -> f64 {
        self.spectrum.rank()
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
    fn spectral_factor_of_scalar_and_round_trip() {
        let f = SpectralFactor::new(crate::Spectrum::isotropic(40.0, 2.5).unwrap()).unwrap();
        for dof in [0.0, 1.0, 20.0, 39.0] {
            assert!((f.inverse(dof) - 2.5).abs() < 1e-10, "{}", f.inverse(dof));
            assert!(f.inverse_derivative(dof).abs() < 1e-8);
        }
        // Round trip on an irregular spectrum: df¹_A(λ) = df ⇔ λ = (1 − df)/(df S).
        let eig: Vec<f64> = (1..=30).map(|k| 1.0 / f64::from(k)).collect();
        let a = crate::Spectrum::from_eigenvalues(&eig).unwrap();
        let f = SpectralFactor::new(a.clone()).unwrap();
        let lambda = 0.07;
        let dof = a.dofs(lambda).df1;
        let df = dof / 30.0;
        let s = 1.0 / f.inverse(dof);
        assert!(((1.0 - df) / (df * s) - lambda).abs() < 1e-12);
        // Derivative against a central difference.
        let h = 1e-5;
        let fd = (f.inverse(dof + h) - f.inverse(dof - h)) / (2.0 * h);
        assert!((fd - f.inverse_derivative(dof)).abs() < 1e-7 * fd.abs());
        // S(0) = 1/mean eigenvalue; capacity = rank.
        assert!((f.inverse(0.0) - eig.iter().sum::<f64>() / 30.0).abs() < 1e-15);
        assert!((f.capacity() - 30.0).abs() < 1e-15);
    }

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
