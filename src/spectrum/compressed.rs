//! Compressed spectra: per-bin Gauss quadrature of the spectral measure, so one pass costs
//! a few hundred entries whatever `D` (the compressed mode for large spectra).
//!
//! Every trace is a sum `Σ_k a_k f(s_k)` of a function `f` analytic in `s` away from its
//! pole at `s = −κ` (`f = s/(s+κ)`, `s²/(s+κ)²`, `κs/(s+κ)²`, …), against the positive
//! measure `μ = Σ_k m_k δ_{s_k}` (degrees of freedom) or `ν = Σ_k w̄_k² δ_{s_k}` (target).
//! The eigenvalues are cut into geometric bins `[a, 2a)`; in each bin the measure is
//! replaced by its `J`-point Gauss rule (Stieltjes procedure + Golub–Welsch), which
//! integrates polynomials of degree `2J − 1` exactly.
//!
//! **Error bound.** For `κ ≥ 0` the pole lies at `s = −κ ≤ 0`, outside the Bernstein
//! ellipse of the bin `[a, 2a]` with parameter `ρ₀ = 3 + √8 ≈ 5.83` (the ellipse through
//! `s = 0`). With `ρ = √ρ₀` and `M` the maximum of `|f|/f(a)` on that ellipse (bounded by
//! a constant below 4 for every function above and every `κ ≥ 0`), the Gauss error on a
//! bin is at most `4 M μ(bin) ρ^{−2J}/(ρ − 1) · max_bin f` (best polynomial approximation,
//! Bernstein; Gauss error ≤ 2 μ(bin) E_{2J−1}(f)). With `J = 16` this is below
//! `1e-11` of the bin's own contribution, so the relative error of every trace is below
//! `1e-11`. At construction the compressed traces are also compared with the exact ones
//! on a grid of `κ` spanning the spectrum; the largest relative deviation is reported in
//! [`CompressionReport`] and construction fails if it exceeds `1e-10`.
//!
//! Bins with at most `2J` eigenvalues are kept exactly. Negative `κ` (negative ridges)
//! can put the pole inside the smallest bins: the solver refuses `λ < 0` on compressed
//! spectra.

use nalgebra::{DMatrix, SymmetricEigen};

use super::Discrete;
use crate::error::{Error, Result};

/// Gauss nodes per bin.
const NODES: usize = 16;
/// Ratio of a bin's upper to lower edge.
const BIN_RATIO: f64 = 2.0;
/// The largest relative error accepted at the construction check.
pub(crate) const MAX_REL_ERROR: f64 = 1e-10;

/// What compression achieved.
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct CompressionReport {
    /// Stored entries before compression.
    pub entries_before: usize,
    /// Stored entries after compression.
    pub entries_after: usize,
    /// Largest relative deviation of any trace from the exact one over the check grid
    /// of `κ` values.
    pub max_rel_error: f64,
    /// Number of `κ` values checked.
    pub checked_points: usize,
}

/// A Gauss rule `(nodes, weights)` for the discrete measure `Σ w_i δ_{x_i}` (all `w_i ≥ 0`).
/// Returns the atoms themselves when there are at most `2·NODES` of them.
fn gauss_rule(xs: &[f64], ws: &[f64]) -> (Vec<f64>, Vec<f64>) {
    let total: f64 = ws.iter().sum();
    let support = ws.iter().filter(|&&w| w > 0.0).count();
    if support <= 2 * NODES || total <= 0.0 {
        return xs
            .iter()
            .zip(ws)
            .filter(|&(_, &w)| w > 0.0)
            .map(|(&x, &w)| (x, w))
            .unzip();
    }
    let (lo, hi) = xs
        .iter()
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), &x| {
            (a.min(x), b.max(x))
        });
    let c = 0.5 * (lo + hi);
    let h = (0.5 * (hi - lo)).max(f64::MIN_POSITIVE);
    let t: Vec<f64> = xs.iter().map(|&x| (x - c) / h).collect();
    let w: Vec<f64> = ws.iter().map(|&w| w / total).collect();
    // Stieltjes (Lanczos) procedure with orthonormal polynomials q_j in the w-inner
    // product: α_j = ⟨t q_j, q_j⟩, b_{j+1} q_{j+1} = (t − α_j) q_j − b_j q_{j−1}.
    let n = NODES;
    let mut alpha = vec![0.0; n];
    let mut b = vec![0.0; n];
    let mut q_prev = vec![0.0; t.len()];
    let mut q = vec![1.0; t.len()];
    for j in 0..n {
        let a: f64 = q
            .iter()
            .zip(&w)
            .zip(&t)
            .map(|((qi, wi), ti)| wi * ti * qi * qi)
            .sum();
        alpha[j] = a;
        if j + 1 == n {
            break;
        }
        let r: Vec<f64> = q
            .iter()
            .zip(&q_prev)
            .zip(&t)
            .map(|((qi, qp), ti)| (ti - a) * qi - b[j] * qp)
            .collect();
        let nb = r
            .iter()
            .zip(&w)
            .map(|(ri, wi)| wi * ri * ri)
            .sum::<f64>()
            .sqrt();
        b[j + 1] = nb;
        q_prev = q;
        q = r.iter().map(|ri| ri / nb).collect();
    }
    // Golub–Welsch: the Jacobi matrix's eigenvalues are the nodes, the squared first
    // components of its eigenvectors the weights.
    let jac = DMatrix::from_fn(n, n, |i, k| {
        if i == k {
            alpha[i]
        } else if i + 1 == k {
            b[k]
        } else if k + 1 == i {
            b[i]
        } else {
            0.0
        }
    });
    let eig = SymmetricEigen::new(jac);
    let nodes = eig
        .eigenvalues
        .iter()
        .map(|&x| c + h * x.clamp(-1.0, 1.0))
        .collect();
    let weights = (0..n)
        .map(|i| total * eig.eigenvectors[(0, i)].powi(2))
        .collect();
    (nodes, weights)
}

/// Compresses a discrete spectrum with per-entry target powers `w2`.
pub(crate) fn compress(d: &Discrete, w2: &[f64]) -> (Discrete, Vec<f64>) {
    let mut order: Vec<usize> = (0..d.values.len()).collect();
    order.sort_by(|&i, &j| d.values[i].total_cmp(&d.values[j]));
    let mut values = Vec::new();
    let mut mult = Vec::new();
    let mut target = Vec::new();
    let mut start = 0;
    while start < order.len() {
        let edge = d.values[order[start]] * BIN_RATIO;
        let mut end = start;
        while end < order.len() && d.values[order[end]] < edge {
            end += 1;
        }
        let idx = &order[start..end];
        let xs: Vec<f64> = idx.iter().map(|&i| d.values[i]).collect();
        let ms: Vec<f64> = idx.iter().map(|&i| d.multiplicity(i)).collect();
        let ws: Vec<f64> = idx.iter().map(|&i| w2[i]).collect();
        if idx.len() <= 2 * NODES {
            values.extend_from_slice(&xs);
            mult.extend_from_slice(&ms);
            target.extend_from_slice(&ws);
        } else {
            let (xn, mn) = gauss_rule(&xs, &ms);
            values.extend_from_slice(&xn);
            target.extend(std::iter::repeat_n(0.0, xn.len()));
            mult.extend_from_slice(&mn);
            let (yn, wn) = gauss_rule(&xs, &ws);
            values.extend_from_slice(&yn);
            mult.extend(std::iter::repeat_n(0.0, yn.len()));
            target.extend_from_slice(&wn);
        }
        start = end;
    }
    let out = Discrete {
        values,
        mult: Some(mult),
        dim: d.dim,
        rank: d.rank,
        trace: d.trace,
        min: d.min,
        max: d.max,
        compressed: true,
        proxy: d.proxy.clone(),
    };
    (out, target)
}

/// Compares compressed and exact traces on a grid of `κ` and returns the largest relative
/// deviation and the number of points checked.
pub(crate) fn check(
    exact: &Discrete,
    w2: &[f64],
    comp: &Discrete,
    cw2: &[f64],
) -> Result<(f64, usize)> {
    let lo = (exact.min * 1e-6).ln();
    let hi = (exact.max * 1e3).ln();
    let n = 40;
    let mut worst = 0.0_f64;
    for i in 0..=n {
        let kappa = if i == 0 {
            0.0
        } else {
            (lo + (hi - lo) * (i - 1) as f64 / (n - 1) as f64).exp()
        };
        let a = exact.traces(w2, kappa);
        let b = comp.traces(cw2, kappa);
        for (x, y) in a.paired(&b) {
            let scale = x.abs();
            if scale > 0.0 {
                worst = worst.max((x - y).abs() / scale);
            } else if y.abs() > 0.0 {
                worst = f64::INFINITY;
            }
        }
    }
    if worst.is_nan() || worst > MAX_REL_ERROR {
        return Err(Error::NoConvergence {
            what: "spectrum compression (check against the exact traces)",
            iterations: n + 1,
            residual: worst,
            last: f64::NAN,
        });
    }
    Ok((worst, n + 1))
}
