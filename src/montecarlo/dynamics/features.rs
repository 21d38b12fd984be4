//! Simulated gradient flow / descent of the readout of linear random features
//! (THEORY §13, "Linear random features"): per draw `F ∈ R^{D×N}` with entries
//! `N(0, 1/N)`, features `Φ = XF`, and the readout `v(t) = g(Σ̂_F)Φᵀy/P` from **one**
//! symmetric eigendecomposition — of `Σ̂_F = ΦᵀΦ/P` when `N ≤ P`, of `ΦΦᵀ/P` otherwise —
//! for every time and ridge. Errors are measured in input space: the predictor is
//! `x ↦ xᵀFv`, so `test_signal = |Fv_c − w̄|²_Σ` (clean labels `Xw̄`) and
//! `test_noise = |Fv_ε|²_Σ` (labels `ε`); antithetic noise as for linear ridge.

use faer::Mat;

use super::{DrawOut, Sched, draw_data, gemm, gram_eigen};
use crate::error::Result;
use crate::montecarlo::{rng_for, standard_normal_matrix};
use crate::spectrum::ExplicitTask;

/// Residual `|ℓ|²/P − Σ_i (1 − h_i²) b_i²/μ_i` of the two label columns `ℓ` from their
/// coordinates `b = VᵀΦᵀℓ/P` (`N ≤ P` branch), split as `|ℓ_⊥|²/P + Σ h²b²/μ`.
fn residual(norm2: f64, b: &[f64], mu: &[f64], h: &[f64], thr: f64, pf: f64) -> f64 {
    let (mut par, mut kept) = (0.0, 0.0);
    for i in 0..mu.len() {
        if mu[i] > thr {
            par += b[i] * b[i] / mu[i];
            kept += h[i] * h[i] * b[i] * b[i] / mu[i];
        }
    }
    (norm2 / pf - par).max(0.0) + kept
}

#[allow(non_snake_case, clippy::too_many_arguments)]
pub(super) fn simulate_rf(
    model: &ExplicitTask,
    p: usize,
    n: usize,
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
    let fz = standard_normal_matrix(&mut rng, d, n);
    let scale = 1.0 / (n as f64).sqrt();
    let F = Mat::<f64>::from_fn(d, n, |i, j| fz[(i, j)] * scale);
    let Phi = gemm(X.as_ref(), F.as_ref(), 1.0);
    let yc = gemm(X.as_ref(), wbar.as_ref(), 1.0);
    let mut labels = Mat::<f64>::zeros(p, 2);
    for i in 0..p {
        labels[(i, 0)] = yc[(i, 0)];
        labels[(i, 1)] = eps[i];
    }
    let norm2 = |c: usize| (0..p).map(|i| labels[(i, c)].powi(2)).sum::<f64>();
    let (n_c, n_e) = (norm2(0), norm2(1));
    let sigma_norm = |v: &[f64]| -> f64 { v.iter().zip(&model.s).map(|(x, s)| s * x * x).sum() };
    let mut out = Vec::with_capacity(lambdas.len() * scheds.len());
    // (eigenvalues, eigenvectors, coordinates of the labels, readout map) per branch.
    let small = n <= p;
    let (mu, vecs, coords) = if small {
        let (mu, v) = gram_eigen(Phi.transpose(), 1.0 / pf)?;
        let pty = gemm(Phi.transpose(), labels.as_ref(), 1.0 / pf); // Φᵀℓ/P
        let b = gemm(v.transpose(), pty.as_ref(), 1.0);
        (mu, v, b)
    } else {
        let (mu, u) = gram_eigen(Phi.as_ref(), 1.0 / pf)?;
        let a = gemm(u.transpose(), labels.as_ref(), 1.0); // Uᵀℓ
        (mu, u, a)
    };
    let m = mu.len();
    let top = mu.iter().copied().fold(0.0, f64::max);
    let thr = p.max(n) as f64 * f64::EPSILON * top;
    let col = |c: usize| (0..m).map(|i| coords[(i, c)]).collect::<Vec<f64>>();
    let (b0, b1) = (col(0), col(1));
    for &lambda in lambdas {
        for &sched in scheds {
            let mut gc = Mat::<f64>::zeros(m, 2);
            let mut h = vec![0.0; m];
            for i in 0..m {
                let zero = mu[i] <= thr;
                let g = sched.g(mu[i] + lambda, zero && lambda == 0.0);
                h[i] = 1.0 - mu[i] * g;
                gc[(i, 0)] = g * coords[(i, 0)];
                gc[(i, 1)] = g * coords[(i, 1)];
            }
            let (v, train) = if small {
                // v = V(g∘b).
                let v = gemm(vecs.as_ref(), gc.as_ref(), 1.0);
                let tr =
                    residual(n_c, &b0, &mu, &h, thr, pf) + residual(n_e, &b1, &mu, &h, thr, pf);
                (v, tr)
            } else {
                // v = ΦᵀU(g∘a)/P; every label lies in span U.
                let ug = gemm(vecs.as_ref(), gc.as_ref(), 1.0);
                let v = gemm(Phi.transpose(), ug.as_ref(), 1.0 / pf);
                let tr: f64 = (0..m)
                    .map(|i| h[i] * h[i] * (b0[i] * b0[i] + b1[i] * b1[i]))
                    .sum();
                (v, tr / pf)
            };
            let w = gemm(F.as_ref(), v.as_ref(), 1.0); // input-space weights F v
            let c0: Vec<f64> = (0..d).map(|i| w[(i, 0)] - model.wbar[i]).collect();
            let c1: Vec<f64> = (0..d).map(|i| w[(i, 1)]).collect();
            out.push([sigma_norm(&c0), sigma_norm(&c1), train]);
        }
    }
    Ok(out)
}
