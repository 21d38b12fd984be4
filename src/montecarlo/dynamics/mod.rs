//! Simulators of training dynamics: full-batch gradient flow / gradient descent
//! (THEORY §13) and one-pass SGD (THEORY §14).
//!
//! # Gradient flow and descent
//! Same design as [`mod@super::ridge`]: `Σ`'s eigenbasis, `X = Z diag(√s)`, `y = Xw̄ + ε`
//! (draw `i` from [`rng_for`]`(seed, i)`). Gradient flow from `w(0) = 0` on
//! `|y − Xw|²/(2P) + (λ/2)|w|²` is exactly `w(t) = g_t(Σ̂)Xᵀy/P`,
//! `g_t(μ) = (1 − e^{−t(μ+λ)})/(μ+λ)`; `k` descent steps of size `η` give
//! `g(μ) = (1 − (1 − η(μ+λ))^k)/(μ+λ)`. So **one** symmetric eigendecomposition per draw —
//! of `Σ̂ = XᵀX/P` when `D ≤ P`, of `G = XXᵀ/P` otherwise — serves every time, step count
//! and ridge; `t = ∞` is the ridge fit (`λ = 0`: minimum norm, Gram eigenvalues below
//! `max(P, D)·ε·μ_max` count as zero).
//!
//! Per draw and schedule, with `h = 1 − μg` (eigenvalue-wise):
//! * `test_signal = |ŵ_c − w̄|²_Σ` for the clean fit (labels `Xw̄`), computed as
//!   `−V(h∘Vᵀw̄)` (`D ≤ P`) or `XᵀU(g∘UᵀXw̄)/P − w̄` (`D > P`);
//! * `test_noise = |ŵ_ε|²_Σ` for the noise fit (labels `ε`);
//! * `train = |y − Xŵ|²/P` split the same way, from the eigen-coordinates (no
//!   cancellation: the clean residual is `Σ_i μ_i h_i² (v_iᵀw̄)²`).
//!
//! As in [`mod@super::ridge`] the noise is used antithetically (`±ε`), so
//! `E_g = test_signal + test_noise` draw by draw (the zero-mean cross term is removed
//! exactly) and every mean is unbiased for the same expectation. Standard errors `sd/√n`.
//!
//! # One-pass SGD
//! `w ← w − η[(1/B) Σ_b x_b(x_b·w − y_b) + λw]` with fresh Gaussian samples each step
//! (`x = √s∘z`, `y = x·w̄ + σξ`), `w₀ = 0`; the exact excess risk `(w − w̄)ᵀΣ(w − w̄)` is
//! recorded at the requested steps. Draw `i` streams its samples from
//! [`rng_for`]`(seed, i)`, so runs are reproducible and independent of the thread count.

use faer::linalg::matmul::matmul;
use faer::{Accum, Mat, MatRef, Par};
use rand::RngExt;
use rand_distr::StandardNormal;
use rayon::prelude::*;

mod features;

use super::{Estimate, rng_for, standard_normal_matrix, standard_normal_vec};
use crate::error::{Error, Result, non_negative, non_negative_or_infinite, positive};
use crate::numeric::self_adjoint_evd;
use crate::spectrum::{ExplicitTask, Task};

/// Largest explicit dimension simulated.
pub const MAX_DIMENSION: usize = 8_000;

/// Means over draws at one (ridge, time) of gradient flow or descent.
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct DynamicsEstimates {
    /// Ridge `λ`.
    pub lambda: f64,
    /// Time `t` (descent: `η·k`).
    pub time: f64,
    /// Steps `k` (descent only).
    pub steps: Option<u64>,
    /// `E_g` (no test-label noise).
    pub test_error: Estimate,
    /// `E_tr = |y − Xw|²/P`.
    pub train_error: Estimate,
    /// Clean-label part of `E_g`.
    pub test_signal: Estimate,
    /// Noise part of `E_g`.
    pub test_noise: Estimate,
}

/// Means over draws of one-pass SGD at one step count.
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct SgdEstimates {
    /// Steps `k`.
    pub steps: u64,
    /// `(w_k − w̄)ᵀΣ(w_k − w̄)`.
    pub test_error: Estimate,
}

#[derive(Debug, Clone, Copy)]
enum Sched {
    Flow(f64),
    Descent(f64, u64),
}

impl Sched {
    /// `g(μ)` at `y = μ + λ`.
    fn g(self, y: f64, zero: bool) -> f64 {
        match self {
            Sched::Flow(t) if t.is_infinite() => {
                if zero {
                    0.0
                } else {
                    1.0 / y
                }
            }
            Sched::Flow(t) => {
                if y == 0.0 {
                    t
                } else {
                    -(-t * y).exp_m1() / y
                }
            }
            Sched::Descent(eta, k) => {
                if y == 0.0 {
                    return eta * k as f64;
                }
                let base = 1.0 - eta * y;
                if base > 0.0 {
                    return -(k as f64 * (-eta * y).ln_1p()).exp_m1() / y;
                }
                let m = (k as f64 * base.abs().ln()).exp();
                let pw = if k % 2 == 0 { m } else { -m };
                (1.0 - pw) / y
            }
        }
    }
}

fn check_common(p: usize, draws: usize) -> Result<()> {
    if p == 0 {
        return Err(Error::InvalidParameter {
            name: "p",
            value: 0.0,
            reason: "at least one sample is needed",
        });
    }
    if draws < 2 {
        return Err(Error::InvalidParameter {
            name: "draws",
            value: draws as f64,
            reason: "at least 2 draws are needed for a standard error",
        });
    }
    Ok(())
}

fn check_times(times: &[f64]) -> Result<()> {
    if times.is_empty() {
        return Err(Error::Empty { what: "times" });
    }
    for &t in times {
        non_negative_or_infinite("time", t)?;
    }
    Ok(())
}

/// Simulated full-batch gradient flow: one result per `(λ, t)`, `λ`-major, from one
/// eigendecomposition per draw (module docs). `t = ∞` is the ridge / minimum-norm fit.
///
/// # Errors
/// [`Error::Empty`] for no ridges or times; [`Error::InvalidParameter`] /
/// [`Error::NonFinite`] for `λ < 0`, `t < 0`, NaN, `p = 0`, fewer than 2 draws;
/// [`Error::Unsupported`] for `D = ∞` or more than [`MAX_DIMENSION`] dimensions;
/// [`Error::Decomposition`] if an eigensolver fails.
///
/// # Examples
/// ```
/// use detridge::Task;
/// let task = Task::isotropic(40.0, 1.0, 0.1)?;
/// let mc = detridge::montecarlo::dynamics::gradient_flow(&task, 80, &[0.0], &[1.0, f64::INFINITY], 8, 1)?;
/// assert_eq!(mc.len(), 2);
/// assert!(mc[0].test_error.mean > mc[1].test_error.mean); // still learning at t = 1
/// # Ok::<(), detridge::Error>(())
/// ```
pub fn gradient_flow(
    task: &Task,
    p: usize,
    lambdas: &[f64],
    times: &[f64],
    draws: usize,
    seed: u64,
) -> Result<Vec<DynamicsEstimates>> {
    check_times(times)?;
    let scheds: Vec<Sched> = times.iter().map(|&t| Sched::Flow(t)).collect();
    run_full_batch(task, p, None, lambdas, &scheds, draws, seed)
}

/// Simulated full-batch gradient descent with step `η` at the step counts `steps`, one
/// result per `(λ, k)`, `λ`-major.
///
/// # Errors
/// As [`gradient_flow`]; [`Error::InvalidParameter`] for `η ≤ 0`.
pub fn gradient_descent(
    task: &Task,
    p: usize,
    lambdas: &[f64],
    eta: f64,
    steps: &[u64],
    draws: usize,
    seed: u64,
) -> Result<Vec<DynamicsEstimates>> {
    let scheds = descent_scheds(eta, steps)?;
    run_full_batch(task, p, None, lambdas, &scheds, draws, seed)
}

/// Simulated gradient flow of the readout of linear random features of width `n`
/// (`F` entries `N(0, 1/N)`, redrawn per draw; THEORY §13, "Linear random features"): one
/// result per `(λ, t)`, `λ`-major, from one eigendecomposition per draw.
///
/// # Errors
/// As [`gradient_flow`]; [`Error::InvalidParameter`] for `n = 0` or
/// `n > `[`MAX_DIMENSION`].
///
/// # Examples
/// ```
/// use detridge::Task;
/// let task = Task::isotropic(40.0, 1.0, 0.1)?;
/// let mc = detridge::montecarlo::dynamics::random_features_gradient_flow(
///     &task, 80, 30, &[0.0], &[1.0, f64::INFINITY], 8, 1)?;
/// assert!(mc[0].test_error.mean > mc[1].test_error.mean);
/// # Ok::<(), detridge::Error>(())
/// ```
pub fn random_features_gradient_flow(
    task: &Task,
    p: usize,
    n: usize,
    lambdas: &[f64],
    times: &[f64],
    draws: usize,
    seed: u64,
) -> Result<Vec<DynamicsEstimates>> {
    check_times(times)?;
    let scheds: Vec<Sched> = times.iter().map(|&t| Sched::Flow(t)).collect();
    run_full_batch(
        task,
        p,
        Some(check_width(n)?),
        lambdas,
        &scheds,
        draws,
        seed,
    )
}

/// Simulated gradient descent (step `η`, the step counts `steps`) of the random-feature
/// readout, one result per `(λ, k)`, `λ`-major.
///
/// # Errors
/// As [`random_features_gradient_flow`]; [`Error::InvalidParameter`] for `η ≤ 0`.
#[allow(clippy::too_many_arguments)]
pub fn random_features_gradient_descent(
    task: &Task,
    p: usize,
    n: usize,
    lambdas: &[f64],
    eta: f64,
    steps: &[u64],
    draws: usize,
    seed: u64,
) -> Result<Vec<DynamicsEstimates>> {
    let scheds = descent_scheds(eta, steps)?;
    run_full_batch(
        task,
        p,
        Some(check_width(n)?),
        lambdas,
        &scheds,
        draws,
        seed,
    )
}

fn descent_scheds(eta: f64, steps: &[u64]) -> Result<Vec<Sched>> {
    positive("eta", eta)?;
    if steps.is_empty() {
        return Err(Error::Empty { what: "steps" });
    }
    Ok(steps.iter().map(|&k| Sched::Descent(eta, k)).collect())
}

fn check_width(n: usize) -> Result<usize> {
    if n == 0 || n > MAX_DIMENSION {
        return Err(Error::InvalidParameter {
            name: "n",
            value: n as f64,
            reason: "feature width must be in 1..=MAX_DIMENSION (8000)",
        });
    }
    Ok(n)
}

/// Per draw: `[λ][schedule][signal, noise, train]`.
type DrawOut = Vec<[f64; 3]>;

fn run_full_batch(
    task: &Task,
    p: usize,
    width: Option<usize>,
    lambdas: &[f64],
    scheds: &[Sched],
    draws: usize,
    seed: u64,
) -> Result<Vec<DynamicsEstimates>> {
    check_common(p, draws)?;
    if lambdas.is_empty() {
        return Err(Error::Empty { what: "lambdas" });
    }
    for &l in lambdas {
        non_negative("lambda", l)?;
    }
    let model = ExplicitTask::from_task(task, MAX_DIMENSION)?;
    let sigma = task.noise_variance().sqrt();
    let outs: Vec<DrawOut> = (0..draws)
        .into_par_iter()
        .map(|i| match width {
            None => simulate(&model, p, lambdas, scheds, sigma, seed, i as u64),
            Some(n) => features::simulate_rf(&model, p, n, lambdas, scheds, sigma, seed, i as u64),
        })
        .collect::<Result<_>>()?;
    let mut res = Vec::with_capacity(lambdas.len() * scheds.len());
    for (li, &lambda) in lambdas.iter().enumerate() {
        for (si, sched) in scheds.iter().enumerate() {
            let idx = li * scheds.len() + si;
            let sig: Vec<f64> = outs.iter().map(|o| o[idx][0]).collect();
            let noi: Vec<f64> = outs.iter().map(|o| o[idx][1]).collect();
            let tr: Vec<f64> = outs.iter().map(|o| o[idx][2]).collect();
            let tot: Vec<f64> = sig.iter().zip(&noi).map(|(a, b)| a + b).collect();
            let (time, steps) = match *sched {
                Sched::Flow(t) => (t, None),
                Sched::Descent(eta, k) => (eta * k as f64, Some(k)),
            };
            res.push(DynamicsEstimates {
                lambda,
                time,
                steps,
                test_error: Estimate::from_samples(&tot),
                train_error: Estimate::from_samples(&tr),
                test_signal: Estimate::from_samples(&sig),
                test_noise: Estimate::from_samples(&noi),
            });
        }
    }
    Ok(res)
}

/// `alpha · lhs · rhs` (sequential).
fn gemm(lhs: MatRef<'_, f64>, rhs: MatRef<'_, f64>, alpha: f64) -> Mat<f64> {
    let mut dst = Mat::<f64>::zeros(lhs.nrows(), rhs.ncols());
    matmul(dst.as_mut(), Accum::Replace, lhs, rhs, alpha, Par::Seq);
    dst
}

/// Eigendecomposition (the crate's sequential faer solver) of the symmetric `alpha·a·aᵀ`.
fn gram_eigen(a: MatRef<'_, f64>, alpha: f64) -> Result<(Vec<f64>, Mat<f64>)> {
    let g = gemm(a, a.transpose(), alpha);
    let (s, u) = self_adjoint_evd(g.as_ref(), "Gram matrix of a simulated design")?;
    Ok((s.into_iter().map(|v| v.max(0.0)).collect(), u))
}

/// One data set in `Σ`'s eigenbasis: `X = Z diag(√s)` (`P × D`), the noise `σξ` and `w̄`
/// as a column.
fn draw_data(
    model: &ExplicitTask,
    p: usize,
    sigma: f64,
    rng: &mut rand_chacha::ChaCha8Rng,
) -> (Mat<f64>, Vec<f64>, Mat<f64>) {
    let d = model.s.len();
    let z = standard_normal_matrix(rng, p, d);
    let eps: Vec<f64> = standard_normal_vec(rng, p)
        .into_iter()
        .map(|e| sigma * e)
        .collect();
    let x = Mat::<f64>::from_fn(p, d, |i, j| z[(i, j)] * model.sqrt_s[j]);
    let wbar = Mat::<f64>::from_fn(d, 1, |i, _| model.wbar[i]);
    (x, eps, wbar)
}

#[allow(non_snake_case)]
fn simulate(
    model: &ExplicitTask,
    p: usize,
    lambdas: &[f64],
    scheds: &[Sched],
    sigma: f64,
    seed: u64,
    index: u64,
) -> Result<DrawOut> {
    let d = model.s.len();
    let pf = p as f64;
    let mut rng = rng_for(seed, index);
    let (X, eps, wbar) = draw_data(model, p, sigma, &mut rng);
    let e_mat = Mat::<f64>::from_fn(p, 1, |i, _| eps[i]);
    let sigma_norm = |v: &[f64]| -> f64 { v.iter().zip(&model.s).map(|(x, s)| s * x * x).sum() };
    let mut out = Vec::with_capacity(lambdas.len() * scheds.len());
    if d <= p {
        // Σ̂ = XᵀX/P = V diag(μ) Vᵀ.
        let (mu, v) = gram_eigen(X.transpose(), 1.0 / pf)?;
        let top = mu.iter().copied().fold(0.0, f64::max);
        let thr = p.max(d) as f64 * f64::EPSILON * top;
        let omega = gemm(v.transpose(), wbar.as_ref(), 1.0); // Vᵀw̄
        let xte = gemm(X.transpose(), e_mat.as_ref(), 1.0 / pf); // Xᵀε/P
        let beta = gemm(v.transpose(), xte.as_ref(), 1.0);
        let eps2: f64 = eps.iter().map(|e| e * e).sum();
        let par: f64 = (0..d)
            .filter(|&i| mu[i] > thr)
            .map(|i| pf * beta[(i, 0)].powi(2) / mu[i])
            .sum();
        let perp = (eps2 - par).max(0.0) / pf;
        for &lambda in lambdas {
            for &sched in scheds {
                let mut coef = Mat::<f64>::zeros(d, 2);
                let mut train = perp;
                for i in 0..d {
                    let zero = mu[i] <= thr;
                    let g = sched.g(mu[i] + lambda, zero && lambda == 0.0);
                    let h = 1.0 - mu[i] * g;
                    coef[(i, 0)] = h * omega[(i, 0)];
                    coef[(i, 1)] = g * beta[(i, 0)];
                    train += mu[i] * h * h * omega[(i, 0)].powi(2);
                    if !zero {
                        train += h * h * beta[(i, 0)].powi(2) / mu[i];
                    }
                }
                let w = gemm(v.as_ref(), coef.as_ref(), 1.0);
                let c0: Vec<f64> = (0..d).map(|i| w[(i, 0)]).collect();
                let c1: Vec<f64> = (0..d).map(|i| w[(i, 1)]).collect();
                out.push([sigma_norm(&c0), sigma_norm(&c1), train]);
            }
        }
    } else {
        // G = XXᵀ/P = U diag(μ) Uᵀ.
        let (mu, u) = gram_eigen(X.as_ref(), 1.0 / pf)?;
        let top = mu.iter().copied().fold(0.0, f64::max);
        let thr = p.max(d) as f64 * f64::EPSILON * top;
        let yc = gemm(X.as_ref(), wbar.as_ref(), 1.0);
        let mut labels = Mat::<f64>::zeros(p, 2);
        for i in 0..p {
            labels[(i, 0)] = yc[(i, 0)];
            labels[(i, 1)] = eps[i];
        }
        let a = gemm(u.transpose(), labels.as_ref(), 1.0); // Uᵀ[y_c, ε]
        for &lambda in lambdas {
            for &sched in scheds {
                let mut ga = Mat::<f64>::zeros(p, 2);
                let mut train = 0.0;
                for i in 0..p {
                    let zero = mu[i] <= thr;
                    let g = sched.g(mu[i] + lambda, zero && lambda == 0.0);
                    let h = 1.0 - mu[i] * g;
                    ga[(i, 0)] = g * a[(i, 0)];
                    ga[(i, 1)] = g * a[(i, 1)];
                    train += h * h * (a[(i, 0)].powi(2) + a[(i, 1)].powi(2));
                }
                let ug = gemm(u.as_ref(), ga.as_ref(), 1.0);
                let w = gemm(X.transpose(), ug.as_ref(), 1.0 / pf);
                let c0: Vec<f64> = (0..d).map(|i| w[(i, 0)] - model.wbar[i]).collect();
                let c1: Vec<f64> = (0..d).map(|i| w[(i, 1)]).collect();
                out.push([sigma_norm(&c0), sigma_norm(&c1), train / pf]);
            }
        }
    }
    Ok(out)
}

/// Simulated one-pass SGD (module docs): mean excess risk at each of `steps`.
///
/// # Errors
/// [`Error::InvalidParameter`] for `batch = 0`, `η ≤ 0`, `λ < 0`, fewer than 2 draws, or
/// more than `10⁹` sample-dimension products per draw; [`Error::Empty`] for no steps;
/// [`Error::Unsupported`] for `D = ∞` or too many dimensions; [`Error::NonFinite`] if the
/// iteration diverges.
///
/// # Examples
/// ```
/// use detridge::Task;
/// let task = Task::isotropic(20.0, 1.0, 0.0)?;
/// let mc = detridge::montecarlo::dynamics::sgd(&task, 2, 0.05, 0.0, &[0, 50], 16, 3)?;
/// assert!((mc[0].test_error.mean - 1.0).abs() < 1e-12);
/// assert!(mc[1].test_error.mean < 0.5);
/// # Ok::<(), detridge::Error>(())
/// ```
pub fn sgd(
    task: &Task,
    batch: usize,
    eta: f64,
    lambda: f64,
    steps: &[u64],
    draws: usize,
    seed: u64,
) -> Result<Vec<SgdEstimates>> {
    check_common(batch, draws).map_err(|e| match e {
        Error::InvalidParameter { name: "p", .. } => Error::InvalidParameter {
            name: "batch",
            value: 0.0,
            reason: "the batch must hold at least one sample",
        },
        e => e,
    })?;
    positive("eta", eta)?;
    non_negative("lambda", lambda)?;
    if steps.is_empty() {
        return Err(Error::Empty { what: "steps" });
    }
    let model = ExplicitTask::from_task(task, MAX_DIMENSION)?;
    let d = model.s.len();
    let k_max = steps.iter().copied().max().unwrap_or(0);
    if (k_max as f64) * (batch as f64) * (d as f64) > 1e9 {
        return Err(Error::InvalidParameter {
            name: "steps",
            value: k_max as f64,
            reason: "steps·batch·D above 1e9 per draw: too large to simulate",
        });
    }
    let sigma = task.noise_variance().sqrt();
    let mut order: Vec<u64> = steps.to_vec();
    order.sort_unstable();
    order.dedup();
    let runs: Vec<Vec<f64>> = (0..draws)
        .into_par_iter()
        .map(|i| {
            let mut rng = rng_for(seed, i as u64);
            let mut w = vec![0.0; d];
            let mut grad = vec![0.0; d];
            let mut x = vec![0.0; d];
            let mut rec = Vec::with_capacity(order.len());
            let mut next = 0;
            let risk = |w: &[f64]| -> f64 {
                (0..d)
                    .map(|j| model.s[j] * (w[j] - model.wbar[j]).powi(2))
                    .sum()
            };
            for k in 0..=k_max {
                while next < order.len() && order[next] == k {
                    rec.push(risk(&w));
                    next += 1;
                }
                if k == k_max {
                    break;
                }
                grad.iter_mut().for_each(|g| *g = 0.0);
                for _ in 0..batch {
                    let mut pred = 0.0;
                    let mut y = 0.0;
                    for j in 0..d {
                        let zj: f64 = rng.sample(StandardNormal);
                        x[j] = model.sqrt_s[j] * zj;
                        pred += x[j] * w[j];
                        y += x[j] * model.wbar[j];
                    }
                    let xi: f64 = rng.sample(StandardNormal);
                    let r = pred - y - sigma * xi;
                    for j in 0..d {
                        grad[j] += x[j] * r;
                    }
                }
                for j in 0..d {
                    w[j] -= eta * (grad[j] / batch as f64 + lambda * w[j]);
                }
            }
            rec
        })
        .collect();
    let mut res = Vec::with_capacity(steps.len());
    for &k in steps {
        let pos = order.binary_search(&k).unwrap_or(0);
        let xs: Vec<f64> = runs.iter().map(|r| r[pos]).collect();
        for &v in &xs {
            if !v.is_finite() {
                return Err(Error::NonFinite {
                    what: "simulated SGD risk (diverged)",
                    value: v,
                });
            }
        }
        res.push(SgdEstimates {
            steps: k,
            test_error: Estimate::from_samples(&xs),
        });
    }
    Ok(res)
}
