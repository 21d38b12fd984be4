//! Linear ridge regression simulator (THEORY §1, §2.1, §3.1–§3.2).
//!
//! # Model
//! The simulation runs in `Σ`'s eigenbasis, which loses nothing: with `Σ = U diag(s) Uᵀ`,
//! every quantity below is invariant under the rotation `x ↦ Uᵀx`, `w ↦ Uᵀw`. A task's
//! spectrum is expanded into `D` explicit eigenvalues `s_k` (an entry of multiplicity `m`
//! becomes `m` equal dimensions; multiplicities must be integers). Each entry's total
//! squared target weight `w²` (what [`Task`] stores) is **spread evenly** over its `m`
//! directions, `w̄_k = √(w²/m)` (positive sign: by the symmetry `x_k ↦ −x_k` the sign of
//! `w̄_k` does not change any distribution). Null directions of `Σ` (zero eigenvalues) are
//! dropped: the covariates have no component there, the minimum-norm fit puts no weight
//! there, and `E_g` gives them weight zero.
//!
//! One draw: `X = Z diag(√s)` with `Z` a `P × D` matrix of i.i.d. `N(0,1)` entries
//! (column-major order from the draw's [`rng_for`] stream), then `ε ~ N(0, σ² I_P)`,
//! `y = Xw̄ + ε`. The ridge fit (THEORY §1, 1/P convention)
//! `ŵ = (XᵀX/P + λ)⁻¹Xᵀy/P = Xᵀ(XXᵀ/P + λ)⁻¹y/P` is computed for the whole `λ` grid from
//! **one** symmetric eigendecomposition per draw, of the smaller of `XᵀX/P` (`D × D`)
//! and `XXᵀ/P` (`P × P`). `λ = 0` is the minimum-norm (pseudo-inverse) fit: eigenvalues
//! `μ ≤ max(P, D)·ε·μ_max` (the rounding level of a Gram matrix) count as zero.
//!
//! # Per-draw quantities
//! For each `λ`, with `μ_i` the eigenvalues of the Gram matrix `G = XXᵀ/P` (`P` of them,
//! zeros included) and `a_i = u_iᵀy` the labels in its eigenbasis:
//! * `E_g = (ŵ−w̄)ᵀΣ(ŵ−w̄)` exactly from `Σ` (no test sampling; no test-label noise);
//! * `E_tr = |y − Xŵ|²/P = (1/P) Σ_i a_i² (λ/(μ_i+λ))²`;
//! * `df̂ = Tr Σ̂(Σ̂+λ)⁻¹ = Σ_i μ_i/(μ_i+λ)`, and `1 − df̂/P = (1/P) Σ_i λ/(μ_i+λ)`
//!   summed without cancellation (THEORY §2.1, Gram form);
//! * `κ̂ = λŜ = λ/(1 − df̂/P)` (THEORY §2.1). At `λ = 0` its limit is
//!   `P / Tr G⁻¹` when `G` is invertible (`P < D`: the interpolating regime, an estimate of
//!   `κ₀`), and `0` otherwise;
//! * `GCV = E_tr/(1 − df̂/P)² = Ŝ²E_tr` (THEORY §3.2; it estimates `E_g + σ²`). At `λ = 0`
//!   with `G` invertible both factors vanish; the finite limit
//!   `P Σ_i a_i²/μ_i² / (Σ_i 1/μ_i)²` is reported.
//!
//! # Fine-grained decomposition (THEORY §3.1)
//! The fit is linear in `y`, so one decomposition gives both the *clean* fit `ŵ_c` (labels
//! `Xw̄`) and the *noise* fit `ŵ_ε` (labels `ε`), `ŵ = ŵ_c + ŵ_ε`. Each draw uses its
//! noise antithetically: the reported per-draw errors are the averages over the fits to
//! `Xw̄ + ε` and `Xw̄ − ε`, which have the same distribution as the plain fit. This keeps
//! every estimate unbiased for the same expectation, removes the zero-mean cross term
//! `2⟨ŵ_c − w̄, ŵ_ε⟩_Σ` exactly, and makes the decomposition add up draw by draw:
//! `E_g = |ŵ_c − w̄|²_Σ + |ŵ_ε|²_Σ` (and likewise `E_tr`, `GCV`, which are quadratic in `y`).
//!
//! Over `n` draws `i = 1..n`, with `e_i = ŵ_{c,i} − w̄` and `⟨u,v⟩_Σ = uᵀΣv`:
//! * **bias²** `= |E ŵ_c − w̄|²_Σ` is estimated by the pair U-statistic
//!   `B = (1/(n(n−1))) Σ_{i≠j} ⟨e_i, e_j⟩_Σ = (|Σ_i e_i|²_Σ − Σ_i |e_i|²_Σ)/(n(n−1))`,
//!   unbiased because draws are independent (`E⟨e_i,e_j⟩_Σ = ⟨E e, E e⟩_Σ` for `i ≠ j`);
//!   `O(nD)` work through the sums. It can be slightly negative when the bias is small.
//! * **Var_X** `= E|ŵ_c − E ŵ_c|²_Σ = E|e|²_Σ − bias²` is estimated by
//!   `mean_i |e_i|²_Σ − B` (unbiased as a difference of unbiased estimators).
//! * **Var_Xε** `= E|ŵ − ŵ_c|²_Σ` is the mean of `|ŵ_{ε,i}|²_Σ` (unbiased).
//!
//! Standard errors: for the plain means (`E_g`, `E_tr`, `GCV`, `κ̂`, `df̂`, `Var_Xε`) the
//! usual `sd/√n`; for bias² and `Var_X` the **jackknife** (leave-one-draw-out values of the
//! same U-statistic, computed in `O(nD)`), which reduces to `sd/√n` for a mean.
//!
//! # Reproducibility
//! Draw `i` uses [`rng_for`]`(seed, i)`; draws run in parallel (rayon) but the per-draw
//! linear algebra is sequential and the results are combined in draw order, so the
//! output is bit-identical across runs and thread counts.

use faer::linalg::matmul::matmul;
use faer::{Accum, Mat, MatRef, Par};
use rayon::prelude::*;

use super::{Estimate, jackknife_std_err, rng_for, standard_normal_matrix, standard_normal_vec};
use crate::error::{Error, Result};
use crate::numeric::self_adjoint_evd;
use crate::spectrum::{ExplicitTask, Task};

/// Largest number of explicit dimensions (`D`, multiplicities expanded) that
/// [`ridge`] simulates.
pub const MAX_DIMENSION: usize = 20_000;

/// Largest `P · D` (entries of one design matrix) that [`ridge`] simulates.
pub const MAX_DESIGN_ENTRIES: usize = 100_000_000;

/// Monte Carlo estimates for one ridge `λ` (see the [module docs](self) for the
/// estimators and their standard errors).
///
/// The per-draw decomposition is exact, so
/// `test_error.mean = bias2.mean + var_data.mean + var_noise.mean` up to rounding.
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct RidgeEstimates {
    /// The ridge `λ` (1/P convention).
    pub lambda: f64,
    /// Number of independent draws behind every estimate.
    pub draws: usize,
    /// `E_g = (ŵ−w̄)ᵀΣ(ŵ−w̄)`, without test-label noise (theory: `RidgeTheory::test_error`).
    pub test_error: Estimate,
    /// `E_tr = |y − Xŵ|²/P`.
    pub train_error: Estimate,
    /// GCV `E_tr/(1 − df̂/P)²`, an estimate of `E_g + σ²` (the `λ = 0` interpolating limit
    /// in Gram form).
    pub gcv: Estimate,
    /// `κ̂ = λ/(1 − df̂/P)`, the data-only estimate of the renormalized ridge `κ`.
    pub kappa_hat: Estimate,
    /// `df̂ = Tr Σ̂(Σ̂+λ)⁻¹` (unnormalised; compare with the theory's `Df₁(κ)`).
    pub df_hat: Estimate,
    /// `bias² = |E ŵ − w̄|²_Σ` (pair U-statistic, jackknife standard error).
    pub bias2: Estimate,
    /// `Var_X = E|ŵ_clean − E ŵ|²_Σ` (jackknife standard error).
    pub var_data: Estimate,
    /// `Var_Xε = E|ŵ − ŵ_clean|²_Σ`.
    pub var_noise: Estimate,
}

/// Simulates linear ridge regression on `task` with `p` samples: `draws` independent data
/// sets, each fitted for every ridge in `lambdas` from one eigendecomposition, and
/// returns one [`RidgeEstimates`] per `λ` (same order).
///
/// See the [module docs](self) for the model, the estimators (unbiased, including the
/// bias²/`Var_X`/`Var_Xε` decomposition of THEORY §3.1) and reproducibility. Memory:
/// one `P × D` design and one Gram matrix per thread, plus `draws · D · lambdas.len()`
/// numbers for the decomposition.
///
/// # Errors
/// * [`Error::Unsupported`] if the task has an infinite dimension, more than
///   [`MAX_DIMENSION`] explicit dimensions, or non-integer multiplicities;
/// * [`Error::InvalidParameter`] for `p = 0`, `P · D >` [`MAX_DESIGN_ENTRIES`],
///   `draws < 3` (the jackknife of the pair U-statistic needs three draws), or a
///   negative `λ`;
/// * [`Error::NonFinite`] for a NaN or infinite `λ`;
/// * [`Error::Empty`] for an empty `lambdas`;
/// * [`Error::Decomposition`] if an eigendecomposition fails.
///
/// # Examples
/// Ordinary least squares on isotropic data has the exact finite-sample mean
/// `E[E_g] = σ²D/(P−D−1)`:
/// ```
/// use detridge::{Task, montecarlo};
/// let task = Task::isotropic(20.0, 1.0, 0.25)?; // D = 20, |w̄|² = 1, σ² = 0.25
/// let mc = montecarlo::ridge(&task, 60, &[0.0, 0.1], 200, 7)?;
/// let exact = 0.25 * 20.0 / (60.0 - 20.0 - 1.0);
/// assert!((mc[0].test_error.mean - exact).abs() < 4.0 * mc[0].test_error.std_err);
/// // The decomposition adds up to the total.
/// let r = &mc[1];
/// let sum = r.bias2.mean + r.var_data.mean + r.var_noise.mean;
/// assert!((sum - r.test_error.mean).abs() < 1e-12);
/// # Ok::<(), detridge::Error>(())
/// ```
pub fn ridge(
    task: &Task,
    p: usize,
    lambdas: &[f64],
    draws: usize,
    seed: u64,
) -> Result<Vec<RidgeEstimates>> {
    if lambdas.is_empty() {
        return Err(Error::Empty { what: "lambdas" });
    }
    for &lambda in lambdas {
        // λ ≥ 0 (0 is the minimum-norm fit).
        crate::error::non_negative("lambda", lambda)?;
    }
    if p == 0 {
        return Err(Error::InvalidParameter {
            name: "p",
            value: 0.0,
            reason: "at least one sample is needed",
        });
    }
    if draws < 3 {
        return Err(Error::InvalidParameter {
            name: "draws",
            value: draws as f64,
            reason: "at least 3 draws are needed (jackknife of the pair U-statistic)",
        });
    }
    if draws > super::MAX_DRAWS {
        return Err(Error::InvalidParameter {
            name: "draws",
            value: draws as f64,
            reason: "more than MAX_DRAWS = 1e7 draws: too many to simulate",
        });
    }
    let model = ExplicitTask::from_task(task, MAX_DIMENSION)?;
    let d = model.s.len();
    // The decomposition stores draws·D·lambdas numbers.
    if draws.saturating_mul(d).saturating_mul(lambdas.len()) > MAX_DESIGN_ENTRIES {
        return Err(Error::InvalidParameter {
            name: "draws",
            value: draws as f64,
            reason: "draws·D·lambdas.len() exceeds MAX_DESIGN_ENTRIES: too large to store",
        });
    }
    if p.saturating_mul(d) > MAX_DESIGN_ENTRIES {
        return Err(Error::InvalidParameter {
            name: "p",
            value: p as f64,
            reason: "P·D exceeds MAX_DESIGN_ENTRIES: too large to simulate",
        });
    }
    let sigma = task.noise_variance().sqrt();
    let results: Vec<Draw> = (0..draws)
        .into_par_iter()
        .map(|i| simulate(&model, p, lambdas, sigma, seed, i as u64))
        .collect::<Result<_>>()?;
    let out = aggregate(&results, lambdas, d);
    // Data near the ends of the f64 range (eigenvalues ~1e300) overflow the squared
    // errors: an error, never ∞ or NaN in an estimate.
    for e in &out {
        for (what, est) in [
            ("simulated test error", e.test_error),
            ("simulated training error", e.train_error),
            ("simulated bias²", e.bias2),
            ("simulated Var_X", e.var_data),
            ("simulated Var_Xε", e.var_noise),
            ("simulated df", e.df_hat),
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

/// Per-draw results, one entry per `λ` (antithetic averages, see the module docs).
struct Draw {
    train: Vec<f64>,
    gcv: Vec<f64>,
    kappa: Vec<f64>,
    df: Vec<f64>,
    /// `|ŵ_c − w̄|²_Σ`.
    clean: Vec<f64>,
    /// `|ŵ_ε|²_Σ`.
    noise: Vec<f64>,
    /// `Σ^{1/2}(ŵ_c − w̄)`, `λ`-major (`L × D`).
    u: Vec<f64>,
}

/// The Gram-space spectrum of one draw: positive eigenvalues `μ_i`, the squared label
/// coordinates `a_i²` on them (clean plus noise, the antithetic average), and the label
/// mass `res0` on the `n_zero` null directions of `G = XXᵀ/P`.
struct GramModes {
    mu: Vec<f64>,
    a2: Vec<f64>,
    res0: f64,
    n_zero: usize,
}

impl GramModes {
    /// `(E_tr, GCV, κ̂, df̂)` at `λ` (THEORY §2.1, §3.2; module docs for the `λ = 0`
    /// limits).
    fn stats(&self, p: usize, lambda: f64) -> (f64, f64, f64, f64) {
        let pf = p as f64;
        let nz = self.n_zero as f64;
        if lambda > 0.0 {
            let (mut df, mut om, mut tr) = (0.0, nz, self.res0);
            for (&mu, &a2) in self.mu.iter().zip(&self.a2) {
                let f = lambda / (mu + lambda);
                df += mu / (mu + lambda);
                om += f;
                tr += a2 * f * f;
            }
            let om = om / pf; // 1 − df̂/P
            let train = tr / pf;
            (train, train / (om * om), lambda / om, df)
        } else {
            let df = self.mu.len() as f64;
            let train = self.res0 / pf;
            if self.n_zero > 0 {
                let om = nz / pf;
                (train, train / (om * om), 0.0, df)
            } else {
                // G invertible: the interpolating limits λ → 0 in Gram form.
                let inv: f64 = self.mu.iter().map(|m| 1.0 / m).sum();
                let num: f64 = self.mu.iter().zip(&self.a2).map(|(m, a)| a / (m * m)).sum();
                (train, pf * num / (inv * inv), pf / inv, df)
            }
        }
    }
}

/// `dst ← alpha · lhs · rhs` (sequential: the draws are the parallel axis).
fn gemm(lhs: MatRef<'_, f64>, rhs: MatRef<'_, f64>, alpha: f64) -> Mat<f64> {
    let mut dst = Mat::<f64>::zeros(lhs.nrows(), rhs.ncols());
    matmul(dst.as_mut(), Accum::Replace, lhs, rhs, alpha, Par::Seq);
    dst
}

/// The lower triangle of the symmetric product `alpha · lhs · lhsᵀ` (all the
/// eigendecomposition reads; half the work of the full product).
fn gram_lower(lhs: MatRef<'_, f64>, alpha: f64) -> Mat<f64> {
    use faer::linalg::matmul::triangular::{BlockStructure, matmul as tri_matmul};
    let n = lhs.nrows();
    let mut dst = Mat::<f64>::zeros(n, n);
    tri_matmul(
        dst.as_mut(),
        BlockStructure::TriangularLower,
        Accum::Replace,
        lhs,
        BlockStructure::Rectangular,
        lhs.transpose(),
        BlockStructure::Rectangular,
        alpha,
        Par::Seq,
    );
    dst
}

/// Indices of the eigenvalues above the rounding threshold `max(P, D)·ε·μ_max`.
fn positive_modes(mu: &[f64], p: usize, d: usize) -> Vec<usize> {
    let top = mu.iter().fold(0.0_f64, |m, &v| m.max(v));
    let thr = p.max(d) as f64 * f64::EPSILON * top;
    (0..mu.len()).filter(|&i| mu[i] > thr).collect()
}

/// One draw: sample, decompose once, fit every `λ` (clean and noise parts).
#[allow(non_snake_case)]
fn simulate(
    model: &ExplicitTask,
    p: usize,
    lambdas: &[f64],
    sigma: f64,
    seed: u64,
    index: u64,
) -> Result<Draw> {
    let d = model.s.len();
    let pf = p as f64;
    let nl = lambdas.len();
    let mut rng = rng_for(seed, index);
    let mut x = standard_normal_matrix(&mut rng, p, d);
    for (j, mut col) in x.column_iter_mut().enumerate() {
        col *= model.sqrt_s[j];
    }
    let eps: Vec<f64> = standard_normal_vec(&mut rng, p)
        .into_iter()
        .map(|e| sigma * e)
        .collect();
    let X = MatRef::from_column_major_slice(x.as_slice(), p, d);
    let wbar = MatRef::from_column_major_slice(&model.wbar, d, 1);
    let eps_m = MatRef::from_column_major_slice(&eps, p, 1);
    let y_clean = gemm(X, wbar, 1.0); // P × 1

    // Coefficients of the clean (columns 0..L) and noise (L..2L) fits, and the fits.
    let (modes, W) = if p >= d {
        // Primal: M = XᵀX/P = V diag(μ) Vᵀ; ŵ = V diag(1/(μ+λ)) VᵀXᵀy/P.
        let M = gram_lower(X.transpose(), 1.0 / pf);
        let (mu_all, V) = self_adjoint_evd(M.as_ref(), "Gram matrix of a simulated design")?;
        let keep = positive_modes(&mu_all, p, d);
        let r = keep.len();
        let Vr = Mat::<f64>::from_fn(d, r, |i, j| V[(i, keep[j])]);
        let mu: Vec<f64> = keep.iter().map(|&i| mu_all[i]).collect();
        // b_c = VᵀXᵀXw̄/P = μ ⊙ Vᵀw̄, b_ε = VᵀXᵀε/P.
        let vw = gemm(Vr.transpose(), wbar, 1.0);
        let xte = gemm(X.transpose(), eps_m, 1.0 / pf);
        let bn = gemm(Vr.transpose(), xte.as_ref(), 1.0);
        let bc: Vec<f64> = (0..r).map(|i| mu[i] * vw[(i, 0)]).collect();
        // Gram-space coordinates: a_i² = P b_i²/μ_i on the column space of X.
        let a2: Vec<f64> = (0..r)
            .map(|i| pf * (bc[i] * bc[i] + bn[(i, 0)] * bn[(i, 0)]) / mu[i])
            .collect();
        // Label mass outside the column space: the minimum-norm residuals.
        let pinv_n = Mat::<f64>::from_fn(r, 1, |i, _| bn[(i, 0)] / mu[i]);
        let fit_n = gemm(X, gemm(Vr.as_ref(), pinv_n.as_ref(), 1.0).as_ref(), 1.0);
        let mut res0: f64 = (0..p).map(|i| (eps[i] - fit_n[(i, 0)]).powi(2)).sum();
        if r < d {
            // Clean labels lie in the column space up to the dropped (rounding-level)
            // directions; keep their residual rather than assume zero.
            let proj = gemm(Vr.as_ref(), vw.as_ref(), 1.0);
            let diff = Mat::<f64>::from_fn(d, 1, |i, _| model.wbar[i] - proj[(i, 0)]);
            let fit_c = gemm(X, diff.as_ref(), 1.0);
            res0 += (0..p).map(|i| fit_c[(i, 0)].powi(2)).sum::<f64>();
        }
        let C = Mat::<f64>::from_fn(r, 2 * nl, |i, c| {
            let (l, b) = if c < nl {
                (c, bc[i])
            } else {
                (c - nl, bn[(i, 0)])
            };
            b / (mu[i] + lambdas[l])
        });
        let W = gemm(Vr.as_ref(), C.as_ref(), 1.0);
        let modes = GramModes {
            mu,
            a2,
            res0,
            n_zero: p - r,
        };
        (modes, W)
    } else {
        // Dual: G = XXᵀ/P = U diag(μ) Uᵀ; ŵ = Xᵀ U diag(1/(μ+λ)) Uᵀy / P.
        let G = gram_lower(X, 1.0 / pf);
        let (mu_all, U) = self_adjoint_evd(G.as_ref(), "Gram matrix of a simulated design")?;
        let keep = positive_modes(&mu_all, p, d);
        let r = keep.len();
        let ac = gemm(U.transpose(), y_clean.as_ref(), 1.0);
        let an = gemm(U.transpose(), eps_m, 1.0);
        let mut is_kept = vec![false; p];
        for &i in &keep {
            is_kept[i] = true;
        }
        let res0: f64 = 0.0
            + (0..p)
                .filter(|&i| !is_kept[i])
                .map(|i| ac[(i, 0)].powi(2) + an[(i, 0)].powi(2))
                .sum::<f64>();
        let mu: Vec<f64> = keep.iter().map(|&i| mu_all[i]).collect();
        let a2: Vec<f64> = keep
            .iter()
            .map(|&i| ac[(i, 0)].powi(2) + an[(i, 0)].powi(2))
            .collect();
        let Ur = Mat::<f64>::from_fn(p, r, |i, j| U[(i, keep[j])]);
        let C = Mat::<f64>::from_fn(r, 2 * nl, |i, c| {
            let (l, a) = if c < nl {
                (c, ac[(keep[i], 0)])
            } else {
                (c - nl, an[(keep[i], 0)])
            };
            a / (mu[i] + lambdas[l])
        });
        let UC = gemm(Ur.as_ref(), C.as_ref(), 1.0);
        let W = gemm(X.transpose(), UC.as_ref(), 1.0 / pf);
        let modes = GramModes {
            mu,
            a2,
            res0,
            n_zero: p - r,
        };
        (modes, W)
    };

    let mut out = Draw {
        train: Vec::with_capacity(nl),
        gcv: Vec::with_capacity(nl),
        kappa: Vec::with_capacity(nl),
        df: Vec::with_capacity(nl),
        clean: Vec::with_capacity(nl),
        noise: Vec::with_capacity(nl),
        u: Vec::with_capacity(nl * d),
    };
    for (l, &lambda) in lambdas.iter().enumerate() {
        let (train, gcv, kappa, df) = modes.stats(p, lambda);
        out.train.push(train);
        out.gcv.push(gcv);
        out.kappa.push(kappa);
        out.df.push(df);
        let (mut clean, mut noise) = (0.0, 0.0);
        for k in 0..d {
            let u = model.sqrt_s[k] * (W[(k, l)] - model.wbar[k]);
            out.u.push(u);
            clean += u * u;
            noise += model.s[k] * W[(k, nl + l)].powi(2);
        }
        out.clean.push(clean);
        out.noise.push(noise);
    }
    Ok(out)
}

/// Means, the U-statistic decomposition and standard errors, combined in draw order.
fn aggregate(draws: &[Draw], lambdas: &[f64], d: usize) -> Vec<RidgeEstimates> {
    let n = draws.len();
    let nf = n as f64;
    let column = |l: usize, f: fn(&Draw) -> &Vec<f64>| -> Vec<f64> {
        draws.iter().map(|dr| f(dr)[l]).collect()
    };
    lambdas
        .iter()
        .enumerate()
        .map(|(l, &lambda)| {
            let clean = column(l, |dr| &dr.clean);
            let noise = column(l, |dr| &dr.noise);
            let test: Vec<f64> = clean.iter().zip(&noise).map(|(c, e)| c + e).collect();
            // Pair U-statistic for bias² = |E e|²_Σ with e = ŵ_c − w̄ (in Σ^{1/2} units).
            let mut sum = vec![0.0; d];
            for dr in draws {
                for (s, u) in sum.iter_mut().zip(&dr.u[l * d..(l + 1) * d]) {
                    *s += u;
                }
            }
            let s2: f64 = sum.iter().map(|s| s * s).sum();
            let q_total: f64 = clean.iter().sum();
            let bias2 = (s2 - q_total) / (nf * (nf - 1.0));
            let var_data = q_total / nf - bias2;
            // Jackknife: leave draw k out of the same statistics.
            let denom = (nf - 1.0) * (nf - 2.0);
            let (mut jb, mut jv) = (Vec::with_capacity(n), Vec::with_capacity(n));
            for (k, dr) in draws.iter().enumerate() {
                let uk = &dr.u[l * d..(l + 1) * d];
                let t: f64 = sum.iter().zip(uk).map(|(s, u)| s * u).sum();
                let qk = clean[k];
                let b = (s2 - 2.0 * t + qk - (q_total - qk)) / denom;
                jb.push(b);
                jv.push((q_total - qk) / (nf - 1.0) - b);
            }
            RidgeEstimates {
                lambda,
                draws: n,
                test_error: Estimate::from_samples(&test),
                train_error: Estimate::from_samples(&column(l, |dr| &dr.train)),
                gcv: Estimate::from_samples(&column(l, |dr| &dr.gcv)),
                kappa_hat: Estimate::from_samples(&column(l, |dr| &dr.kappa)),
                df_hat: Estimate::from_samples(&column(l, |dr| &dr.df)),
                bias2: Estimate {
                    mean: bias2,
                    std_err: jackknife_std_err(&jb),
                },
                var_data: Estimate {
                    mean: var_data,
                    std_err: jackknife_std_err(&jv),
                },
                var_noise: Estimate::from_samples(&noise),
            }
        })
        .collect()
}
