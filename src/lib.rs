//! # detridge
//!
//! Deterministic-equivalence theory of high-dimensional ridge regression, after
//! A. Atanasov, J. A. Zavatone-Veth and C. Pehlevan, *Scaling and renormalization in
//! high-dimensional regression*, J. Stat. Mech. (2025), arXiv:2405.00592.
//!
//! The fluctuations of the empirical covariance are absorbed into a **renormalized
//! ridge** `κ`, the root of a fixed-point equation built from S-transforms of free
//! probability ([`solver`], [`stransform`]). From `κ` follow the training and test errors,
//! the train–test gap (the S-transform itself), GCV, fine-grained bias–variance
//! decompositions and scaling laws.
//!
//! ```
//! use detridge::Task;
//! // Σ = I in D = 500 dimensions, |w̄|² = 1, label noise σ² = 0.25.
//! let task = Task::isotropic(500.0, 1.0, 0.25)?;
//! let t = task.ridge(1000.0, 1e-2)?; // P = 1000 samples, ridge λ = 0.01
//! assert!(t.kappa > 1e-2);                          // κ ≥ λ
//! assert!((t.bias2 + t.var_data + t.var_noise - t.test_error).abs() < 1e-15);
//! let gap = (t.test_error + 0.25) / t.train_error;  // train–test gap = S²
//! assert!((gap - t.s_transform.powi(2)).abs() < 1e-9 * gap);
//! # Ok::<(), detridge::Error>(())
//! ```
//!
//! ## Notation (THEORY §1; every module uses these symbols)
//!
//! | symbol | meaning |
//! |---|---|
//! | `P` | number of training samples (an `f64` in the theory) |
//! | `D` | covariate dimension (may be `∞` for analytic spectra) |
//! | `N` | number of random features |
//! | `Σ`, `s_k` | population covariance and its eigenvalues |
//! | `w̄`, `w̄_k` | target weights, and their components in `Σ`'s eigenbasis |
//! | `σ²` | label-noise variance |
//! | `λ` | explicit ridge, **1/P convention**: `ŵ = (XᵀX/P + λ)⁻¹Xᵀy/P` |
//! | `κ` | renormalized ridge |
//! | `Df₁(κ)` | `Tr Σ(Σ+κ)⁻¹`, **unnormalised** degrees of freedom (`df₁ = Df₁/D`) |
//! | `Df₂(κ)` | `Tr Σ²(Σ+κ)⁻²` |
//! | `tf₁(κ)`, `tf₁′`, `tf₂` | `w̄ᵀΣ(Σ+κ)⁻¹w̄`, its `κ`-derivative, `w̄ᵀΣ²(Σ+κ)⁻²w̄` |
//! | `γ` | `Df₂(κ)/P`; `1/(1−γ)` is the double-descent amplification |
//! | `S(df)` | S-transform, paper convention `S(df) = S^std(−df)`; data factor `S = 1/(1 − Df₁/P)` |
//! | `E_g` | test error (excess risk) `(ŵ−w̄)ᵀΣ(ŵ−w̄)`, **without** test-label noise |
//! | `E_tr` | training error `‖y − Xŵ‖²/P` |
//!
//! Kernel-literature conventions use `λ_C = Pλ`, `κ_C = Pκ`.
//!
//! ## Modules
//! Dependencies run one way, from the bottom up (each line lists what a module imports
//! besides [`error`]):
//!
//! | module | idea | imports |
//! |---|---|---|
//! | [`numeric`] | solver parameters and reports, bracket safeguard, bisection, 1-D minimisers, eigensolver | — |
//! | [`spectrum`] | spectra, tasks, the single-pass trace routine, `κ₀`, sampling | `numeric` |
//! | [`activation`] | activation functions of nonlinear random features, their Hermite coefficients | — |
//! | [`stransform`] | the free factors (Wishart, generalised Wishart, spectral), their products, Stieltjes transform | `numeric`, `spectrum` |
//! | [`solver`] | the renormalized ridge `κ`; warm-started curves ([`solver::Curve`]) | `numeric`, `spectrum`, `stransform` |
//! | [`ridge`] | linear ridge theory, curves, optimal and out-of-distribution ridge | `numeric`, `spectrum`, `stransform`, `solver` |
//! | [`features`] | linear random features (isotropic, deep, anisotropic, structured, noisy); nonlinear random features through Gaussian equivalence | `numeric`, `spectrum`, `activation`, `stransform`, `solver`, `ridge` |
//! | [`kernel`] | kernel ridge regression on Mercer spectra; KARE | `spectrum`, `solver`, `ridge` |
//! | [`scaling`] | source/capacity exponents (THEORY §7) and log-log slope fitting; compute-optimal frontier (THEORY §15) | — (`scaling::compute`: `numeric`, `spectrum`, `features`) |
//! | [`estimate`] | estimators from data only (GCV, KARE, LOOCV, `κ̂`, choosing `λ`) | `numeric`, `spectrum` |
//! | [`compare`] | data beside theory (where `estimate` meets `ridge`) | `spectrum`, `ridge`, `estimate` |
//! | [`dynamics`] | gradient flow / descent at finite `P` (THEORY §13), one-pass SGD (THEORY §14) | `numeric`, `spectrum`, `ridge` |
//! | [`forecast`] | from one data set to a learning-curve forecast with bands (THEORY §16) | `numeric`, `spectrum`, `ridge`, `estimate`, `montecarlo` (seeds) |
//! | [`montecarlo`] | seeded simulators of the same models, for checking the theory | `numeric`, `spectrum`, `activation` |
//! | [`theory`] | the theory document every theory citation (THEORY, then a section number) points to | — |

pub mod activation;
pub mod compare;
pub mod dynamics;
pub mod error;
pub mod estimate;
pub mod features;
pub mod forecast;
pub mod kernel;
pub mod montecarlo;
pub mod numeric;
pub mod ridge;
pub mod scaling;
pub mod solver;
pub mod spectrum;
pub mod stransform;
pub mod theory;

pub use error::{Error, Result};
/// The linear-algebra crate of the public API (`DMatrix`, `DVector`), re-exported so that
/// callers use the same version.
pub use nalgebra;
pub use spectrum::{Spectrum, Task, Traces};
