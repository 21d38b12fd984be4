//! Linear random-feature ridge regression simulator (the models of THEORY §4–5).
//!
//! One run draws `K_X` data sets `(X_i, ε_i)` (with [`NOISE_REPLICATES`] independent label
//! noise vectors `ε_i⁽ʳ⁾` nested in each `X_i`, and, for additive feature noise, the
//! training feature noise `Ξ_i`) and `K_F` feature matrices `F_j`, and fits
//! `v̂ = (ZᵀZ/P + λ)⁻¹Zᵀy/P`, `Z = X_iF_j (+ Ξ_i)`, on **every** pair `(i, j)` (a crossed
//! design). Everything is simulated in `Σ`'s eigenbasis (`X = G diag(√s)`, `G` i.i.d.
//! `N(0,1)`), with the target `w̄_k = +√(w̄_k²)` per direction, and errors are exact:
//! `E_g = (Fv − w̄)ᵀΣ(Fv − w̄)` (plus `s|v|²` with additive feature noise), no test sample.
//!
//! # Seeding
//! Data draw `i` uses the stream [`rng_for`]`(seed, i)`; feature draw `j` uses
//! `rng_for(seed, 2³² + j)`, so the two index ranges never overlap. The draws do not depend
//! on scheduling (pairs run in parallel with rayon and are collected in order), so results
//! are reproducible run to run; bit-identity across thread counts additionally depends on
//! the dense kernels (faer may split its eigensolver's work by thread count).
//!
//! # Decomposition (unbiased, two-way ANOVA over the crossed design)
//! Write the signal error vector of a pair as `u_ij = Σ^{1/2}(F_jv_c − w̄)` (with
//! `√s v_c` appended under additive feature noise, so that `|u|²` is the error), where
//! `v_c` is the fit to the clean labels `X w̄`, and the noise part
//! `e_ij = Σ^{1/2}F_jv_ε` (fit to `ε`, tied to the data draw). `E_g`, `E_tr`, GCV and the
//! noise estimators below are averaged over the `ε` replicates of each data draw (still
//! unbiased; the replicates only remove `ε` sampling noise — with a single `ε` per draw the
//! noise terms are χ²-like with few degrees of freedom at large λ and their jackknife
//! errors were visibly optimistic). By the Hoeffding/ANOVA
//! decomposition of a function of two independent arguments,
//! `u_ij = μ + a_i + b_j + c_ij` with uncorrelated zero-mean effects, and with `I = K_X`,
//! `J = K_F`, row/column/grand means `ū_i·, ū_·j, ū`:
//!
//! * `MS_A = J Σ_i|ū_i·−ū|²/(I−1)`, `MS_B = I Σ_j|ū_·j−ū|²/(J−1)`,
//!   `MS_E = Σ_ij|u_ij−ū_i·−ū_·j+ū|²/((I−1)(J−1))` have expectations `Jσ_a²+σ_c²`,
//!   `Iσ_b²+σ_c²`, `σ_c²`; hence the unbiased `Var_XF = MS_E`, `Var_X = (MS_A−MS_E)/J`,
//!   `Var_F = (MS_B−MS_E)/I`, and `bias² = |ū|² − Var_X/I − Var_F/J − Var_XF/(IJ)`
//!   (since `E|ū|² = |μ|² + σ_a²/I + σ_b²/J + σ_c²/(IJ)`);
//! * the noise part has `μ = b = 0` exactly, so `Var_XFε = (1/I)Σ_i Σ_j|e_ij−ē_i·|²/(J−1)`
//!   and `Var_Xε = (1/I)Σ_i|ē_i·|² − Var_XFε/J` are unbiased;
//! * feature-averaged error `= bias² + Var_X + Var_Xε`, data-averaged `= bias² + Var_F`.
//!
//! Standard errors come from the two-sample delete-one jackknife (Arvesen 1969) over the
//! data draws and over the feature draws:
//! `SE² = (I−1)/I Σ_i(θ₍₋ᵢ₎−θ̄)² + (J−1)/J Σ_j(θ₍₋ⱼ₎−θ̄)²` (slightly conservative for means).
//! This needs at least 3 draws of each kind.

mod estimators;

use nalgebra::{DMatrix, DVector};
use rand::Rng;
use rand_distr::{Distribution, StandardNormal};
use rayon::prelude::*;

use super::ridge::MAX_DESIGN_ENTRIES;
use super::{Estimate, rng_for};
use crate::error::{Error, Result, non_negative};
use crate::numeric::symmetric_eigen;
use crate::spectrum::{ExplicitTask, Task};
use estimators::{PairLambda, estimates};

/// Offset of the feature draws' stream indices (data draws use `0..K_X`).
const FEATURE_STREAM: u64 = 1 << 32;

/// Independent label-noise vectors `ε` per data draw (replicates nested in `X`); the noise
/// terms average over them, which removes most of the `ε` sampling noise at the cost of
/// one extra back-substitution per replicate.
pub const NOISE_REPLICATES: usize = 16;

/// Largest simulated dimension (with multiplicities expanded).
const MAX_DIM: usize = 20_000;

/// The random-feature model to simulate (all weights scaled as in THEORY §4.1).
#[derive(Debug, Clone, PartialEq)]
pub enum FeatureModel {
    /// `F` with i.i.d. `N(0, 1/N)` entries (THEORY §4.2).
    Isotropic {
        /// Number of features `N`.
        n: usize,
    },
    /// Deep linear chain `F = F₁⋯F_L`, `F_l` entries `N(0, 1/N_l)` (THEORY §5).
    Deep {
        /// Widths `N₁ … N_L`.
        widths: Vec<usize>,
    },
    /// Input-side structured weights `F = Ω^{1/2}G/√N` (THEORY §4.5a), `Ω` given in `Σ`'s
    /// eigenbasis (`D × D`, positive definite; order of the expanded directions).
    InputStructured {
        /// Number of features `N`.
        n: usize,
        /// `Ω` in `Σ`'s eigenbasis.
        omega: DMatrix<f64>,
    },
    /// Column-anisotropic weights `F = GΛ^{1/2}/√N`, `N = variances.len()` (THEORY §4.5b).
    ColumnAnisotropic {
        /// Per-feature variances `Λ_n ≥ 0`.
        variances: Vec<f64>,
    },
    /// Isotropic `F` plus additive feature noise `z = Fᵀx + ξ`, `ξ ~ N(0, s I_N)` fresh per
    /// sample (THEORY §4.6); the test error includes the test-time noise, `+ s|v|²`.
    AdditiveNoise {
        /// Number of features `N`.
        n: usize,
        /// Feature-noise variance `s ≥ 0`.
        s: f64,
    },
}

impl FeatureModel {
    fn width(&self) -> usize {
        match self {
            Self::Isotropic { n }
            | Self::InputStructured { n, .. }
            | Self::AdditiveNoise { n, .. } => *n,
            Self::Deep { widths } => widths.last().copied().unwrap_or(0),
            Self::ColumnAnisotropic { variances } => variances.len(),
        }
    }

    fn noise(&self) -> f64 {
        match self {
            Self::AdditiveNoise { s, .. } => *s,
            _ => 0.0,
        }
    }
}

/// Monte Carlo estimates at one ridge, each a mean with its standard error.
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct RfEstimates {
    /// The ridge `λ`.
    pub lambda: f64,
    /// `E_g` (excess risk, no test-label noise).
    pub test_error: Estimate,
    /// `E_tr = |y − Zv̂|²/P`.
    pub train_error: Estimate,
    /// GCV at fixed features, `Ŝ_X² E_tr` with `Ŝ_X⁻¹ = 1 − Tr[Φ̂(Φ̂+λ)⁻¹]/P`,
    /// `Φ̂ = ZᵀZ/P` (THEORY §4.3); NaN where `Ŝ_X⁻¹ = 0` (ridgeless interpolation).
    pub gcv: Estimate,
    /// `bias² = |E_{X,F}w_c − w̄|²_Σ`.
    pub bias2: Estimate,
    /// `Var_X`.
    pub var_data: Estimate,
    /// `Var_F`.
    pub var_features: Estimate,
    /// `Var_XF`.
    pub var_data_features: Estimate,
    /// `Var_Xε + Var_XFε`.
    pub var_noise: Estimate,
    /// `Var_Xε`.
    pub var_noise_data: Estimate,
    /// `Var_XFε`.
    pub var_noise_data_features: Estimate,
    /// Error of the feature-averaged predictor, `bias² + Var_X + Var_Xε`.
    pub feature_averaged_error: Estimate,
    /// Error of the data-averaged predictor, `bias² + Var_F`.
    pub data_averaged_error: Estimate,
}

fn gaussian(rng: &mut impl Rng) -> f64 {
    StandardNormal.sample(rng)
}

fn gaussian_matrix(rows: usize, cols: usize, scale: f64, rng: &mut impl Rng) -> DMatrix<f64> {
    DMatrix::from_fn(rows, cols, |_, _| scale * gaussian(rng))
}

/// Simulates random-feature ridge regression on a finite-dimensional `task`: `data_draws`
/// data sets of `p` samples crossed with `feature_draws` feature draws of `model`, one
/// result per ridge in `lambdas` (`λ = 0` is the minimum-norm fit). See the module
/// documentation for the estimators.
///
/// # Errors
/// [`Error::Unsupported`] for an analytic (`D = ∞`) task, fractional multiplicities or
/// `D > 20000`; [`Error::InvalidParameter`] for `p = 0`, fewer than 3 draws of either kind,
/// a zero width, a negative or non-finite `λ`, `s` or variance;
/// [`Error::Empty`] for no ridges or layers; [`Error::LengthMismatch`] for an `Ω` of the
/// wrong size; [`Error::NotPositiveSemiDefinite`] for an indefinite `Ω`;
/// [`Error::Decomposition`] if an eigensolver fails.
///
/// # Examples
/// ```
/// use detridge::{Task, montecarlo::features::{random_features, FeatureModel}};
/// let task = Task::power_law(1.5, 0.6, Some(60), 0.09)?;
/// let mc = random_features(&task, 40, &FeatureModel::Isotropic { n: 30 }, &[1e-2], 4, 4, 7)?;
/// let m = &mc[0];
/// let sum = m.bias2.mean + m.var_data.mean + m.var_features.mean
///     + m.var_data_features.mean + m.var_noise.mean;
/// // The terms sum to E_g up to the zero-mean signal × noise cross term.
/// assert!((sum - m.test_error.mean).abs() < 4.0 * m.test_error.std_err);
/// # Ok::<(), detridge::Error>(())
/// ```
#[allow(clippy::too_many_lines, non_snake_case)]
pub fn random_features(
    task: &Task,
    p: usize,
    model: &FeatureModel,
    lambdas: &[f64],
    data_draws: usize,
    feature_draws: usize,
    seed: u64,
) -> Result<Vec<RfEstimates>> {
    let pairs = simulate_pairs(task, p, model, lambdas, data_draws, feature_draws, seed)?;
    let (ni, nj) = (data_draws, feature_draws);
    let out = estimates(&pairs, lambdas, ni, nj);
    // Overflowing data (eigenvalues ~1e300): an error, never ∞ or NaN in an estimate.
    for e in &out {
        for (what, est) in [
            ("simulated test error", e.test_error),
            ("simulated training error", e.train_error),
            ("simulated bias²", e.bias2),
            ("simulated variance terms", e.var_data),
        ] {
            if !(est.mean.is_finite() && est.std_err.is_finite()) {
                return Err(Error::NonFinite {
                    what,
                    value: est.mean,
                });
            }
        }
    }
    Ok(out)
}

/// Simulates every `(data, feature)` pair of the crossed design; `pairs[i·K_F + j][l]`.
#[allow(clippy::too_many_lines, non_snake_case)]
fn simulate_pairs(
    task: &Task,
    p: usize,
    model: &FeatureModel,
    lambdas: &[f64],
    data_draws: usize,
    feature_draws: usize,
    seed: u64,
) -> Result<Vec<Vec<PairLambda>>> {
    // ---- validation ----
    if p == 0 {
        return Err(Error::InvalidParameter {
            name: "p",
            value: 0.0,
            reason: "must be >= 1",
        });
    }
    for (name, k) in [("data_draws", data_draws), ("feature_draws", feature_draws)] {
        if k < 3 {
            return Err(Error::InvalidParameter {
                name,
                value: k as f64,
                reason: "the crossed-design jackknife needs at least 3 draws",
            });
        }
    }
    if data_draws.saturating_mul(feature_draws) > super::MAX_DRAWS {
        return Err(Error::InvalidParameter {
            name: "data_draws",
            value: data_draws as f64 * feature_draws as f64,
            reason: "data_draws·feature_draws exceeds MAX_DRAWS = 1e7: too many pairs to simulate",
        });
    }
    if lambdas.is_empty() {
        return Err(Error::Empty { what: "ridges" });
    }
    for &l in lambdas {
        non_negative("lambda", l)?;
    }
    let explicit = ExplicitTask::from_task(task, MAX_DIM)?;
    let (sqrt_eta, wbar) = (explicit.sqrt_s, explicit.wbar);
    let D = sqrt_eta.len();
    // Every feature matrix is D × N (deep chains: N_l × N_{l+1}) and every feature
    // design P × N: bounded before anything is allocated.
    let widths: Vec<usize> = match model {
        FeatureModel::Deep { widths } => widths.clone(),
        FeatureModel::ColumnAnisotropic { variances } => vec![variances.len()],
        _ => vec![model.width()],
    };
    let mut prev = D;
    for &w in &widths {
        if w.saturating_mul(prev) > MAX_DESIGN_ENTRIES || w.saturating_mul(p) > MAX_DESIGN_ENTRIES {
            return Err(Error::InvalidParameter {
                name: "n",
                value: w as f64,
                reason: "a feature matrix (D·N, P·N or N_l·N_l+1) exceeds MAX_DESIGN_ENTRIES",
            });
        }
        prev = w;
    }
    let n_out = model.width();
    if n_out == 0 {
        return Err(Error::InvalidParameter {
            name: "n",
            value: 0.0,
            reason: "the number of features must be >= 1",
        });
    }
    let s_noise = model.noise();
    non_negative("s", s_noise)?;
    let omega_half = match model {
        FeatureModel::Deep { widths } => {
            if widths.is_empty() {
                return Err(Error::Empty {
                    what: "layer widths",
                });
            }
            if widths.contains(&0) {
                return Err(Error::InvalidParameter {
                    name: "width",
                    value: 0.0,
                    reason: "every layer width must be >= 1",
                });
            }
            None
        }
        FeatureModel::ColumnAnisotropic { variances } => {
            for &v in variances {
                non_negative("feature variance", v)?;
            }
            None
        }
        FeatureModel::InputStructured { omega, .. } => {
            if omega.nrows() != D || omega.ncols() != D {
                return Err(Error::LengthMismatch {
                    what: "omega vs simulated dimension",
                    expected: D,
                    got: omega.nrows().max(omega.ncols()),
                });
            }
            let (o, v) = symmetric_eigen(omega, "omega")?;
            let diag = DVector::from_iterator(D, o.iter().map(|x| x.sqrt()));
            Some(&v * DMatrix::from_diagonal(&diag) * v.transpose())
        }
        _ => None,
    };
    let sigma = task.noise_variance().sqrt();

    // ---- draws ----
    struct DataDraw {
        x: DMatrix<f64>,
        y_clean: DVector<f64>,
        eps: DMatrix<f64>,
        xi: Option<DMatrix<f64>>,
    }
    let data: Vec<DataDraw> = (0..data_draws)
        .into_par_iter()
        .map(|i| {
            let mut rng = rng_for(seed, i as u64);
            let x = DMatrix::from_fn(p, D, |_, k| sqrt_eta[k] * gaussian(&mut rng));
            let eps = DMatrix::from_fn(p, NOISE_REPLICATES, |_, _| sigma * gaussian(&mut rng));
            let xi = (s_noise > 0.0).then(|| gaussian_matrix(p, n_out, s_noise.sqrt(), &mut rng));
            let y_clean = &x * DVector::from_column_slice(&wbar);
            DataDraw {
                x,
                y_clean,
                eps,
                xi,
            }
        })
        .collect();
    let features: Vec<DMatrix<f64>> = (0..feature_draws)
        .into_par_iter()
        .map(|j| {
            let mut rng = rng_for(seed, FEATURE_STREAM + j as u64);
            match model {
                FeatureModel::Isotropic { n } | FeatureModel::AdditiveNoise { n, .. } => {
                    gaussian_matrix(D, *n, 1.0 / (*n as f64).sqrt(), &mut rng)
                }
                FeatureModel::Deep { widths } => {
                    let mut f =
                        gaussian_matrix(D, widths[0], 1.0 / (widths[0] as f64).sqrt(), &mut rng);
                    for w in widths.windows(2) {
                        let g = gaussian_matrix(w[0], w[1], 1.0 / (w[1] as f64).sqrt(), &mut rng);
                        f = &f * g;
                    }
                    f
                }
                FeatureModel::InputStructured { n, .. } => {
                    let g = gaussian_matrix(D, *n, 1.0 / (*n as f64).sqrt(), &mut rng);
                    match omega_half.as_ref() {
                        Some(h) => h * g,
                        None => g,
                    }
                }
                FeatureModel::ColumnAnisotropic { variances } => {
                    let n = variances.len() as f64;
                    let sc: Vec<f64> = variances.iter().map(|v| (v / n).sqrt()).collect();
                    DMatrix::from_fn(D, variances.len(), |_, c| sc[c] * gaussian(&mut rng))
                }
            }
        })
        .collect();

    // ---- fits on every pair ----
    let pf = p as f64;
    let pairs: Vec<Result<Vec<PairLambda>>> = (0..data_draws * feature_draws)
        .into_par_iter()
        .map(|idx| {
            let (i, j) = (idx / feature_draws, idx % feature_draws);
            let d = &data[i];
            let f = &features[j];
            let mut z = &d.x * f;
            if let Some(xi) = &d.xi {
                z += xi;
            }
            fit_pair(
                &z, f, &d.y_clean, &d.eps, &sqrt_eta, &wbar, s_noise, lambdas, pf,
            )
        })
        .collect();
    pairs.into_iter().collect::<Result<_>>()
}

/// Simulates ensembles (THEORY §4.4): the average of `k` predictors trained on the same data
/// with independent feature draws. Each of `data_draws` data sets is crossed with
/// `ensembles · k` feature draws, split into `ensembles` disjoint groups of `k`; the test
/// error of each group's averaged predictor is exact (`|Σ^{1/2}(w̄_ens − w̄)|²`, plus the
/// feature-noise term). Returns one estimate per ridge: the mean over the `data_draws ×
/// ensembles` grid, with the standard error of a two-way crossed mean,
/// `SE² = s²_rows/I + s²_groups/G` (row and group means' sample variances; conservative).
/// Seeding as [`random_features`] (feature draw `g·k + m` of group `g`).
///
/// # Errors
/// As [`random_features`], plus [`Error::InvalidParameter`] for `k = 0` or fewer than 3
/// ensembles, and [`Error::Unsupported`] for [`FeatureModel::AdditiveNoise`] (each member
/// would see its own test-time feature noise, which the pair simulation does not keep).
///
/// # Examples
/// ```
/// use detridge::{Task, montecarlo::features::{random_features_ensemble, FeatureModel}};
/// let task = Task::power_law(1.5, 0.6, Some(60), 0.09)?;
/// let m = FeatureModel::Isotropic { n: 30 };
/// let one = random_features_ensemble(&task, 40, &m, &[1e-2], 4, 3, 1, 7)?;
/// let four = random_features_ensemble(&task, 40, &m, &[1e-2], 4, 3, 4, 7)?;
/// assert!(four[0].mean < one[0].mean); // averaging features removes variance
/// # Ok::<(), detridge::Error>(())
/// ```
#[allow(clippy::too_many_arguments)]
pub fn random_features_ensemble(
    task: &Task,
    p: usize,
    model: &FeatureModel,
    lambdas: &[f64],
    data_draws: usize,
    ensembles: usize,
    k: usize,
    seed: u64,
) -> Result<Vec<Estimate>> {
    if k == 0 {
        return Err(Error::InvalidParameter {
            name: "k",
            value: 0.0,
            reason: "the ensemble size must be >= 1",
        });
    }
    if matches!(model, FeatureModel::AdditiveNoise { .. }) {
        return Err(Error::Unsupported(
            "ensembles of models with additive feature noise are not simulated",
        ));
    }
    let Some(nj) = ensembles.checked_mul(k) else {
        return Err(Error::InvalidParameter {
            name: "k",
            value: k as f64,
            reason: "ensembles·k overflows usize",
        });
    };
    if ensembles < 3 {
        return Err(Error::InvalidParameter {
            name: "ensembles",
            value: ensembles as f64,
            reason: "the standard error needs at least 3 ensembles",
        });
    }
    let pairs = simulate_pairs(task, p, model, lambdas, data_draws, nj, seed)?;
    let (ni, ng) = (data_draws as f64, ensembles as f64);
    Ok((0..lambdas.len())
        .map(|l| {
            let mut y = vec![0.0; data_draws * ensembles];
            for i in 0..data_draws {
                for g in 0..ensembles {
                    // Σ_m u and Σ_m e (all replicates), then the error averaged over ε.
                    let len = pairs[i * nj + g * k][l].u.len();
                    let mut su = vec![0.0; len];
                    let mut se = vec![0.0; pairs[i * nj + g * k][l].e.len()];
                    for m in 0..k {
                        let c = &pairs[i * nj + g * k + m][l];
                        su.iter_mut().zip(&c.u).for_each(|(t, x)| *t += x);
                        se.iter_mut().zip(&c.e).for_each(|(t, x)| *t += x);
                    }
                    let reps = se.len() / len;
                    let kk = k as f64;
                    y[i * ensembles + g] = se
                        .chunks(len)
                        .map(|er| {
                            su.iter()
                                .zip(er)
                                .map(|(a, b)| ((a + b) / kk).powi(2))
                                .sum::<f64>()
                        })
                        .sum::<f64>()
                        / reps as f64;
                }
            }
            let mean = y.iter().sum::<f64>() / (ni * ng);
            let rows: Vec<f64> = (0..data_draws)
                .map(|i| y[i * ensembles..(i + 1) * ensembles].iter().sum::<f64>() / ng)
                .collect();
            let cols: Vec<f64> = (0..ensembles)
                .map(|g| (0..data_draws).map(|i| y[i * ensembles + g]).sum::<f64>() / ni)
                .collect();
            let var = |xs: &[f64]| {
                let n = xs.len() as f64;
                xs.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (n - 1.0) / n
            };
            Estimate {
                mean,
                std_err: (var(&rows) + var(&cols)).sqrt(),
            }
        })
        .collect())
}

/// Fits one `(X, F)` pair for all ridges from one eigendecomposition of the smaller Gram
/// matrix (`ZᵀZ/P` if `N ≤ P`, else `ZZᵀ/P`); `λ = 0` uses the pseudo-inverse
/// (eigenvalues zeroed by [`symmetric_eigen`]'s round-off threshold are dropped).
#[allow(clippy::too_many_arguments)]
fn fit_pair(
    z: &DMatrix<f64>,
    f: &DMatrix<f64>,
    yc: &DVector<f64>,
    eps: &DMatrix<f64>,
    sqrt_eta: &[f64],
    wbar: &[f64],
    s_noise: f64,
    lambdas: &[f64],
    pf: f64,
) -> Result<Vec<PairLambda>> {
    let n = z.ncols();
    let p = z.nrows();
    // Coefficients in an orthonormal eigenbasis: v(λ) = B · (c ./ (e + λ)).
    let (evals, basis, cc, ce) = if n <= p {
        let mut g = z.transpose() * z / pf;
        let gt = g.transpose();
        g = (g + gt) * 0.5;
        let (e, v) = symmetric_eigen(&g, "feature Gram matrix")?;
        let bc = v.transpose() * (z.transpose() * yc / pf);
        let be = v.transpose() * (z.transpose() * eps / pf);
        (e, v, bc, be)
    } else {
        let mut g = z * z.transpose() / pf;
        let gt = g.transpose();
        g = (g + gt) * 0.5;
        let (e, u) = symmetric_eigen(&g, "sample Gram matrix")?;
        let zu = z.transpose() * &u / pf;
        let qc = u.transpose() * yc;
        let qe = u.transpose() * eps;
        (e, zu, qc, qe)
    };
    let dim = sqrt_eta.len();
    let aug = if s_noise > 0.0 { n } else { 0 };
    let mut out = Vec::with_capacity(lambdas.len());
    for &lambda in lambdas {
        let inv: Vec<f64> = evals
            .iter()
            .map(|&e| {
                if e + lambda > 0.0 {
                    1.0 / (e + lambda)
                } else {
                    0.0
                }
            })
            .collect();
        let vc = &basis * DVector::from_fn(evals.len(), |k, _| cc[k] * inv[k]);
        let mut scaled = ce.clone();
        for (k, mut row) in scaled.row_iter_mut().enumerate() {
            row *= inv[k];
        }
        let ve = &basis * scaled; // N × R
        let wc = f * &vc;
        let we = f * &ve; // D × R
        let reps = ve.ncols();
        let mut u = Vec::with_capacity(dim + aug);
        for k in 0..dim {
            u.push(sqrt_eta[k] * (wc[k] - wbar[k]));
        }
        if aug > 0 {
            let rs = s_noise.sqrt();
            u.extend(vc.iter().map(|x| rs * x));
        }
        let len = u.len();
        // Replicate r of the noise vector at e[r·len..(r+1)·len].
        let mut e = Vec::with_capacity(len * reps);
        for r in 0..reps {
            for k in 0..dim {
                e.push(sqrt_eta[k] * we[(k, r)]);
            }
            if aug > 0 {
                let rs = s_noise.sqrt();
                e.extend(ve.column(r).iter().map(|x| rs * x));
            }
        }
        // E_g and E_tr averaged over the ε replicates.
        let mut eg = 0.0;
        for r in 0..reps {
            eg += u
                .iter()
                .zip(&e[r * len..(r + 1) * len])
                .map(|(a, b)| (a + b) * (a + b))
                .sum::<f64>();
        }
        eg /= reps as f64;
        let fit_c = z * &vc;
        let fit_e = z * &ve;
        let mut etr = 0.0;
        for r in 0..reps {
            for m in 0..p {
                let res = yc[m] + eps[(m, r)] - fit_c[m] - fit_e[(m, r)];
                etr += res * res;
            }
        }
        etr /= pf * reps as f64;
        let df: f64 = evals.iter().zip(&inv).map(|(&ev, &iv)| ev * iv).sum();
        let inv_s = 1.0 - df / pf;
        let gcv = if inv_s > 1e-12 {
            etr / (inv_s * inv_s)
        } else {
            f64::NAN
        };
        out.push(PairLambda { u, e, eg, etr, gcv });
    }
    Ok(out)
}
