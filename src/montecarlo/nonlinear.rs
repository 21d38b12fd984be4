//! Simulator of nonlinear random-feature ridge regression, exactly the model of
//! THEORY §12 (no Gaussian equivalence anywhere).
//!
//! Each draw `i` (its own stream [`rng_for`]`(seed, i)`) draws, in this order: the data
//! `X = G diag(√s)` (`P × D`, in `Σ`'s eigenbasis, target `w̄_k = +√(w̄_k²)` per direction
//! as in the other simulators), the weights `W` (`N × D`, entries `N(0, 1/D)`), the label
//! noise `ε` (`P`), and — only for activations without a closed-form Gaussian kernel — a
//! test set of `test_samples` points. It fits `v̂ = (ZᵀZ/P + λ)⁻¹Zᵀy/P`,
//! `Z = φ(XWᵀ)/√N`, for every ridge from one eigendecomposition of the smaller Gram
//! matrix (`λ = 0` is the minimum-norm fit), and records
//!
//! * `E_tr = |y − Zv̂|²/P`, and GCV `Ŝ²E_tr` with `Ŝ⁻¹ = 1 − Tr[Φ̂(Φ̂+λ)⁻¹]/P`,
//!   `Φ̂ = ZᵀZ/P` (THEORY §4.3);
//! * the **exact population** test error `E_g = E_x[(z(x)·v̂ − w̄·x)²]
//!   = v̂ᵀMv̂/N − 2v̂ᵀb/√N + w̄ᵀΣw̄` for ReLU, erf and the identity, with
//!   `M_nm = E φ(h_n)φ(h_m)` from the covariance `[[a_n, c_nm], [c_nm, a_m]]`,
//!   `C = WΣWᵀ`, `a_n = C_nn` — the arc-cosine kernel of order 1 for ReLU,
//!   `√(a_n a_m)/(2π)·(sin θ + (π−θ) cos θ)` with `cos θ = c_nm/√(a_n a_m)` (Cho & Saul
//!   2009), the arcsine kernel `(2/π) arcsin(2c_nm/√((1+2a_n)(1+2a_m)))` for erf
//!   (Williams 1997), `C` itself for the identity — and, by Stein's lemma,
//!   `b_n = E[φ(h_n) w̄·x] = (WΣw̄)_n E φ′(h_n)` (`1/2` for ReLU, `2/√(π(1+2a_n))` for erf);
//! * for any other activation, the mean of `(z(x)·v̂ − w̄·x)²` over the draw's own test
//!   set (unbiased; its sampling noise is part of the spread between draws, hence of the
//!   standard error).
//!
//! Means over draws with standard errors ([`Estimate`]). Draws run in parallel and are
//! collected in order; every dense kernel is sequential (nalgebra products,
//! [`crate::spectrum`]'s deterministic eigensolver), so results are bit-identical across
//! runs and thread counts.

use nalgebra::{DMatrix, DVector};
use rayon::prelude::*;

use super::{Estimate, rng_for, standard_normal_matrix, standard_normal_vec};
use crate::activation::Activation;
use crate::error::{Error, Result, non_negative};
use crate::numeric::symmetric_eigen;
use crate::spectrum::{ExplicitTask, Task};

/// Largest simulated `D`, `N`, `P` or test-set size.
pub const MAX_SIZE: usize = 20_000;

/// How the population test error of a draw is computed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub enum TestErrorMethod {
    /// Exact, from the closed-form Gaussian kernel of the activation.
    ExactKernel,
    /// Mean over a fresh test set of this size per draw.
    TestSet {
        /// Test points per draw.
        size: usize,
    },
}

/// Monte Carlo estimates at one ridge (means over draws with standard errors).
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct NonlinearEstimates {
    /// The ridge `λ`.
    pub lambda: f64,
    /// `E_g` (excess risk, no test-label noise).
    pub test_error: Estimate,
    /// `E_tr = |y − Zv̂|²/P`.
    pub train_error: Estimate,
    /// `Ŝ²E_tr`; NaN where `Ŝ⁻¹ = 0` (ridgeless interpolation).
    pub gcv: Estimate,
    /// How `E_g` was computed.
    pub method: TestErrorMethod,
}

/// The closed-form Gaussian kernel of an activation, if any.
#[derive(Clone, Copy)]
enum Kernel {
    Relu,
    Erf,
    Linear,
}

impl Kernel {
    fn of(act: &Activation) -> Option<Self> {
        match act {
            Activation::Relu => Some(Self::Relu),
            Activation::Erf => Some(Self::Erf),
            Activation::Identity => Some(Self::Linear),
            _ => None,
        }
    }

    /// `E φ(u)φ(v)` for `Var u = a`, `Var v = b`, `Cov = c`.
    fn pair(self, a: f64, b: f64, c: f64) -> f64 {
        use std::f64::consts::PI;
        match self {
            Self::Relu => {
                let r = (a * b).sqrt();
                if r == 0.0 {
                    return 0.0;
                }
                let cos = (c / r).clamp(-1.0, 1.0);
                let theta = cos.acos();
                r / (2.0 * PI) * ((1.0 - cos * cos).sqrt() + (PI - theta) * cos)
            }
            Self::Erf => {
                let arg = 2.0 * c / ((1.0 + 2.0 * a) * (1.0 + 2.0 * b)).sqrt();
                2.0 / PI * arg.clamp(-1.0, 1.0).asin()
            }
            Self::Linear => c,
        }
    }

    /// `E φ′(h)` for `Var h = a`.
    fn mean_derivative(self, a: f64) -> f64 {
        match self {
            Self::Relu => 0.5,
            Self::Erf => 2.0 / (std::f64::consts::PI * (1.0 + 2.0 * a)).sqrt(),
            Self::Linear => 1.0,
        }
    }
}

/// Simulates nonlinear random features `z = φ(Wx)/√N` (THEORY §12) on a finite-dimensional
/// `task`: `draws` independent draws of `(X, W, ε)` with `p` samples and `n` features, one
/// result per ridge in `lambdas`. `test_samples` is the test-set size for activations
/// without a closed-form kernel (ignored for ReLU, erf and the identity, whose test error
/// is exact). See the module documentation.
///
/// # Errors
/// [`Error::Unsupported`] for `D = ∞`, fractional multiplicities or `D > MAX_SIZE`;
/// [`Error::InvalidParameter`] for `p`, `n` zero or above [`MAX_SIZE`], fewer than 2
/// draws, a test set smaller than 100 (or above [`MAX_SIZE`]) when one is needed;
/// [`Error::Empty`] for no ridges; [`Error::NonFinite`] / [`Error::InvalidParameter`] for
/// a NaN or negative `λ`, and for a non-finite feature (a user activation returning
/// NaN/inf); [`Error::Decomposition`] if the eigensolver fails.
///
/// # Examples
/// ```
/// use detridge::{Task, features::Activation};
/// use detridge::montecarlo::nonlinear::nonlinear_random_features;
/// let task = Task::isotropic(60.0, 1.0, 0.1)?;
/// let mc = nonlinear_random_features(&task, 80, 50, &Activation::Relu, &[1e-2], 6, 0, 1)?;
/// let t = task.nonlinear_random_features(80.0, 50.0, 1e-2, &Activation::Relu)?;
/// // Small sizes: the Gaussian equivalence is only roughly right here.
/// assert!((mc[0].test_error.mean - t.test_error).abs() < 0.2 * t.test_error);
/// # Ok::<(), detridge::Error>(())
/// ```
#[allow(clippy::too_many_arguments, clippy::too_many_lines, non_snake_case)]
pub fn nonlinear_random_features(
    task: &Task,
    p: usize,
    n: usize,
    activation: &Activation,
    lambdas: &[f64],
    draws: usize,
    test_samples: usize,
    seed: u64,
) -> Result<Vec<NonlinearEstimates>> {
    for (name, v) in [("p", p), ("n", n)] {
        if v == 0 || v > MAX_SIZE {
            return Err(Error::InvalidParameter {
                name,
                value: v as f64,
                reason: "must be between 1 and MAX_SIZE",
            });
        }
    }
    if draws < 2 {
        return Err(Error::InvalidParameter {
            name: "draws",
            value: draws as f64,
            reason: "a standard error needs at least 2 draws",
        });
    }
    if lambdas.is_empty() {
        return Err(Error::Empty { what: "ridges" });
    }
    for &l in lambdas {
        non_negative("lambda", l)?;
    }
    let kernel = Kernel::of(activation);
    let method = match kernel {
        Some(_) => TestErrorMethod::ExactKernel,
        None => {
            if !(100..=MAX_SIZE).contains(&test_samples) {
                return Err(Error::InvalidParameter {
                    name: "test_samples",
                    value: test_samples as f64,
                    reason: "activations without a closed-form kernel need 100 <= test_samples <= MAX_SIZE",
                });
            }
            TestErrorMethod::TestSet { size: test_samples }
        }
    };
    let et = ExplicitTask::from_task(task, MAX_SIZE)?;
    let D = et.s.len();
    // Null directions of Σ carry no data but count in W's N(0, 1/D) scale (THEORY §12).
    let d_total = task.spectrum().dimension();
    let w_scale = 1.0 / d_total.sqrt();
    let sigma = task.noise_variance().sqrt();
    let signal: f64 = et.s.iter().zip(&et.wbar).map(|(s, w)| s * w * w).sum();
    let (pf, nf) = (p as f64, n as f64);
    let inv_sqrt_n = 1.0 / nf.sqrt();

    let per_draw: Vec<Result<Vec<[f64; 3]>>> = (0..draws)
        .into_par_iter()
        .map(|i| {
            let mut rng = rng_for(seed, i as u64);
            let mut X = standard_normal_matrix(&mut rng, p, D);
            for (k, mut col) in X.column_iter_mut().enumerate() {
                col *= et.sqrt_s[k];
            }
            let W = standard_normal_matrix(&mut rng, n, D) * w_scale;
            let eps = DVector::from_vec(standard_normal_vec(&mut rng, p)) * sigma;
            let wbar = DVector::from_column_slice(&et.wbar);
            let y = &X * &wbar + eps;
            let features = |x: &DMatrix<f64>| -> Result<DMatrix<f64>> {
                let mut z = x * W.transpose();
                for v in z.iter_mut() {
                    *v = activation.eval(*v) * inv_sqrt_n;
                    if !v.is_finite() {
                        return Err(Error::NonFinite {
                            what: "feature value",
                            value: *v,
                        });
                    }
                }
                Ok(z)
            };
            let Z = features(&X)?;
            // Fit for every λ from one eigendecomposition of the smaller Gram matrix.
            let (evals, basis, coef) = if n <= p {
                let mut g = Z.transpose() * &Z / pf;
                let gt = g.transpose();
                g = (g + gt) * 0.5;
                let (e, v) = symmetric_eigen(&g, "feature Gram matrix")?;
                let c = v.transpose() * (Z.transpose() * &y / pf);
                (e, v, c)
            } else {
                let mut g = &Z * Z.transpose() / pf;
                let gt = g.transpose();
                g = (g + gt) * 0.5;
                let (e, u) = symmetric_eigen(&g, "sample Gram matrix")?;
                let zu = Z.transpose() * &u / pf;
                let c = u.transpose() * &y;
                (e, zu, c)
            };
            let emax = evals.iter().fold(0.0_f64, |m, &e| m.max(e));
            let floor = 1e-10 * emax;
            // Population second moments: exact kernel or the draw's test set.
            enum Pop {
                Exact { m: DMatrix<f64>, b: DVector<f64> },
                Test { zt: DMatrix<f64>, yt: DVector<f64> },
            }
            let pop = match (kernel, method) {
                (Some(k), _) => {
                    let mut ws = W.clone();
                    for (col_k, mut col) in ws.column_iter_mut().enumerate() {
                        col *= et.s[col_k];
                    }
                    let c = &ws * W.transpose();
                    let a: Vec<f64> = (0..n).map(|j| c[(j, j)]).collect();
                    let m = DMatrix::from_fn(n, n, |r, q| k.pair(a[r], a[q], c[(r, q)]));
                    let wsw = &ws * &wbar;
                    let b = DVector::from_fn(n, |r, _| wsw[r] * k.mean_derivative(a[r]));
                    Pop::Exact { m, b }
                }
                (None, TestErrorMethod::TestSet { size }) => {
                    let mut xt = standard_normal_matrix(&mut rng, size, D);
                    for (k, mut col) in xt.column_iter_mut().enumerate() {
                        col *= et.sqrt_s[k];
                    }
                    let zt = features(&xt)?;
                    let yt = &xt * &wbar;
                    Pop::Test { zt, yt }
                }
                (None, TestErrorMethod::ExactKernel) => unreachable!("method follows kernel"),
            };
            let mut out = Vec::with_capacity(lambdas.len());
            for &lambda in lambdas {
                let scaled = DVector::from_fn(evals.len(), |k, _| {
                    let e = evals[k] + lambda;
                    if e > floor { coef[k] / e } else { 0.0 }
                });
                let v = &basis * scaled;
                let resid = &y - &Z * &v;
                let etr = resid.norm_squared() / pf;
                let trace: f64 = evals
                    .iter()
                    .map(|&e| {
                        let t = e + lambda;
                        if t > floor { e.max(0.0) / t } else { 0.0 }
                    })
                    .sum();
                let s_inv = 1.0 - trace / pf;
                let gcv = if s_inv > 1e-12 {
                    etr / (s_inv * s_inv)
                } else {
                    f64::NAN
                };
                let eg = match &pop {
                    Pop::Exact { m, b } => {
                        (m * &v).dot(&v) / nf - 2.0 * inv_sqrt_n * b.dot(&v) + signal
                    }
                    Pop::Test { zt, yt } => (zt * &v - yt).norm_squared() / yt.len() as f64,
                };
                out.push([eg, etr, gcv]);
            }
            Ok(out)
        })
        .collect();
    let per_draw: Vec<Vec<[f64; 3]>> = per_draw.into_iter().collect::<Result<_>>()?;
    Ok(lambdas
        .iter()
        .enumerate()
        .map(|(l, &lambda)| {
            let col = |q: usize| -> Vec<f64> { per_draw.iter().map(|d| d[l][q]).collect() };
            NonlinearEstimates {
                lambda,
                test_error: Estimate::from_samples(&col(0)),
                train_error: Estimate::from_samples(&col(1)),
                gcv: Estimate::from_samples(&col(2)),
                method,
            }
        })
        .collect())
}
