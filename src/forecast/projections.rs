//! Target and noise from the label projections (THEORY §16.3).
//!
//! With the spectrum fixed, the data's label projections `z_i = u_iᵀy` on the eigenvectors
//! of the Gram matrix have, under the deterministic equivalence, mean squares
//!
//! `E z_i² = A a_i(r) + σ²`, `a_i = P ∫_{cell i} x Σ_k w̄_k² Im g_k(x) dx / ∫_{cell i} Σ_k Im g_k(x) dx`,
//! `g_k(x) = (κ/(−z))/(s_k + κ)` at `z = x + i0`, `κ(1 − Df₁(κ)/P) = −z` (THEORY §2.1 at a
//! complex ridge),
//!
//! where cell `i` is the interval of `x` over which the predicted number of sample
//! eigenvalues above `x` runs from `i` to `i + 1` (THEORY §16.3): the average over the
//! rank's cell of `P x O(x)`, `O` the expected overlap of a sample eigenvector at `x` with
//! the target. The `P − r` null directions carry noise only, `E ‖y_⊥‖² = (P − r)σ²`.
//! Treating the `z_i` as independent centred Gaussians (`Var z_i² = 2(E z_i²)²`) gives the
//! Whittle likelihood
//! `Σ_i [ln m_i + z_i²/m_i] + (P − r)[ln σ² + ‖y_⊥‖²/((P − r)σ²)]`, `m_i = A a_i(r) + σ²`,
//! minimised over `(A, σ²) ≥ 0` by iteratively reweighted least squares for each source
//! exponent `r`, and over `r` by a one-dimensional search.

use num_complex::Complex64 as C;

use super::data::Curves;
use super::fit::Shape;
use super::optim::{minimize_scalar, nonneg_pair};
use crate::error::{Error, Result};

/// `Im z / Re z` at which the density and the overlaps are evaluated (the `η → 0` limit;
/// the weight `η/x²` of the `D − P` zero eigenvalues stays negligible).
const REL_ETA: f64 = 1e-7;
/// `Im z / Re z` of the walk down the real axis (far from the real branch of `κ`).
const WALK_ETA: f64 = 0.3;
/// Factor between successive `η` of the descent from `WALK_ETA` to `REL_ETA`.
const ETA_FACTOR: f64 = 0.25;
/// Grid points per decade of `x` for the counting function.
const PER_DECADE: f64 = 120.0;
/// Most grid points.
const MAX_POINTS: usize = 2400;
/// Entries of the spectrum kept exactly; later ones are merged in bins of
/// `ln(v_first/v_last) ≤ MERGE_WIDTH` (trace preserved).
const MERGE_AFTER: usize = 64;
const MERGE_WIDTH: f64 = 0.02;
/// Newton iterations per solve.
const NEWTON_MAX: usize = 80;
/// Range of the source exponent `r` searched.
const R_RANGE: (f64, f64) = (0.0, 3.0);
/// Critical value of the likelihood-ratio test of `σ² = 0` (one-sided 10%: `1.2816²`).
const LRT_NOISE: f64 = 1.2816 * 1.2816;
/// Iteration cap of the reweighting.
const IRLS_MAX: usize = 300;

/// The spectrum `c·v` with the tail merged into bins.
struct Bins {
    values: Vec<f64>,
    mult: Vec<f64>,
    /// Bin of each shape entry.
    of_entry: Vec<usize>,
}

impl Bins {
    fn new(shape: &Shape, scale: f64) -> Self {
        let (mut values, mut mult, mut of_entry) = (Vec::new(), Vec::new(), Vec::new());
        let (mut mv, mut m, mut first) = (0.0, 0.0, f64::NAN);
        for (j, (&v, &mj)) in shape.values.iter().zip(&shape.mult).enumerate() {
            let open = m > 0.0 && j > MERGE_AFTER && (first / v).ln() <= MERGE_WIDTH;
            if !open && m > 0.0 {
                values.push(scale * mv / m);
                mult.push(m);
                (mv, m) = (0.0, 0.0);
            }
            if m == 0.0 {
                first = v;
            }
            mv += mj * v;
            m += mj;
            of_entry.push(values.len());
        }
        values.push(scale * mv / m);
        mult.push(m);
        Self {
            values,
            mult,
            of_entry,
        }
    }

    fn trace(&self) -> f64 {
        self.values.iter().zip(&self.mult).map(|(v, m)| v * m).sum()
    }

    /// Newton for `κ(1 − Df₁(κ)/P) = −z` from `start`, on the branch `Im κ < 0`.
    fn newton(&self, p: f64, z: C, start: C) -> Option<C> {
        let mut k = start;
        // `P(1 − Df₁/P)` is summed in whichever of two forms cancels less: `P − Σ m t`
        // (`t = s/(s+κ)`; fine when D ≫ P), or `(P − D) + Σ m u` (`u = 1 − t = κ/(s+κ)`;
        // fine at `P ≈ D` near the hard edge, where `1 − Df₁/P` is of the order of `κ`).
        // Likewise `P(1 − Df₂/P)` as `P − Σ m t²` or `(P − D) + Σ m u(2 − u)`.
        let excess = p - self.mult.iter().sum::<f64>();
        let mut last_step = f64::INFINITY;
        for _ in 0..NEWTON_MAX {
            let zero = C::new(0.0, 0.0);
            let (mut st, mut st2, mut su, mut su2) = (zero, zero, zero, zero);
            let (mut mag_t, mut mag_u) = (p, excess.abs());
            for (&s, &m) in self.values.iter().zip(&self.mult) {
                let u = k / (s + k);
                let t = 1.0 - u;
                st += m * t;
                st2 += m * t * t;
                su += m * u;
                su2 += m * u * (2.0 - u);
                mag_t += m * t.norm();
                mag_u += m * u.norm();
            }
            let (o1, o2) = if mag_u < mag_t {
                (su + excess, su2 + excess)
            } else {
                (p - st, p - st2)
            };
            let step = (k * o1 / p + z) / (o2 / p);
            let mut next = k - step;
            let mut damp = 0;
            while next.im >= 0.0 && damp < 60 {
                damp += 1;
                next = k - step * 0.5_f64.powi(damp);
            }
            if !(next.re.is_finite() && next.im.is_finite()) || next.im >= 0.0 {
                return None;
            }
            // Converged, or stagnating at the rounding level of the sums.
            let size = (next - k).norm();
            let done = size <= 1e-13 * k.norm() || (size <= 1e-9 * k.norm() && size >= last_step);
            last_step = size;
            k = next;
            if done {
                return Some(k);
            }
        }
        None
    }

    /// `κ` at `z`, from `start` if given, else (or if Newton fails from it) by
    /// continuation down from a large `Im z`.
    fn kappa(&self, p: f64, z: C, start: Option<C>) -> Result<C> {
        if let Some(k) = start.and_then(|s| self.newton(p, z, s)) {
            return Ok(k);
        }
        let top = 10.0 * (z.norm() + self.values[0] + self.trace() / p);
        let mut eta = top.max(z.im);
        let mut k = -C::new(z.re, eta) + self.trace() / p;
        loop {
            k = self
                .newton(p, C::new(z.re, eta), k)
                .ok_or(Error::NoConvergence {
                    what: "forecast: complex renormalized ridge of the projection model",
                    iterations: NEWTON_MAX,
                    residual: f64::NAN,
                    last: z.re,
                })?;
            if eta <= z.im {
                return Ok(k);
            }
            eta = (eta * 0.5).max(z.im);
        }
    }

    /// `Im g_b` for every bin at `z`, with `κ = κ(z)`.
    fn im_g(&self, z: C, k: C) -> impl Iterator<Item = f64> + '_ {
        let f = k / (-z);
        self.values.iter().map(move |&s| (f / (s + k)).im)
    }
}

/// The projection model of one population spectrum: `a_i(r)`, the mean square of `z_i`
/// per unit signal, for every rank `i < n`, as the average of `P x O(x)` over the rank's
/// cell (the interval of `x` where the predicted count above `x` runs from `i` to `i + 1`).
pub(crate) struct ProjectionModel {
    p: f64,
    scale: f64,
    /// Number of bins.
    nb: usize,
    bins: Bins,
    /// The `x` grid (decreasing).
    grid: Vec<f64>,
    /// `Im g_b(x_j)`, row-major `grid.len() × nb`.
    im_g: Vec<f64>,
    /// `∫_x^∞ Σ_b m_b Im g_b` (π times the predicted count above `x_j`).
    count: Vec<f64>,
    /// For each rank `i ≤ n`, the position of the cell boundary at count `i`: grid interval
    /// `j` (between `j − 1` and `j`) and the fraction into it.
    bounds: Vec<(usize, f64)>,
}

impl ProjectionModel {
    /// The model of the spectrum `scale·shape` for `p` samples and the `n ≥ 1` largest
    /// sample eigenvalues, the smallest of which is `mu_min` (the grid of the counting
    /// function reaches below both it and the smallest population eigenvalue).
    pub(crate) fn new(shape: &Shape, scale: f64, p: f64, n: usize, mu_min: f64) -> Result<Self> {
        if n == 0 {
            return Err(Error::Empty {
                what: "sample eigenvalues of the projection model",
            });
        }
        let bins = Bins::new(shape, scale);
        let nb = bins.values.len();
        let smax = bins.values[0];
        let smin = *bins.values.last().expect("non-empty spectrum");
        let hi = 1.5 * (smax.sqrt() + (bins.trace() / p).sqrt()).powi(2) + 3.0 * smax;
        let lo = (1e-3 * mu_min.min(smin)).max(1e-14 * hi);
        let decades = (hi / lo).log10();
        let npts = ((decades * PER_DECADE).ceil() as usize).clamp(64, MAX_POINTS);
        let step = (lo / hi).ln() / (npts - 1) as f64;
        let grid: Vec<f64> = (0..npts).map(|j| hi * (step * j as f64).exp()).collect();
        // Walk down at η = WALK_ETA·x, then descend in η at each point.
        let mut walk: Option<C> = None;
        let mut im_g = Vec::with_capacity(npts * nb);
        let mut dens = Vec::with_capacity(npts);
        for &x in &grid {
            let w = bins.kappa(p, C::new(x, WALK_ETA * x), walk)?;
            walk = Some(w);
            let (mut e, mut k) = (WALK_ETA, w);
            while e > REL_ETA {
                e = (e * ETA_FACTOR).max(REL_ETA);
                k = bins.kappa(p, C::new(x, e * x), Some(k))?;
            }
            let row_start = im_g.len();
            im_g.extend(bins.im_g(C::new(x, REL_ETA * x), k).map(|g| g.max(0.0)));
            let d: f64 = im_g[row_start..]
                .iter()
                .zip(&bins.mult)
                .map(|(g, m)| m * g)
                .sum();
            dens.push(d);
        }
        let mut count = vec![0.0; npts];
        for j in 1..npts {
            count[j] = count[j - 1] + 0.5 * (dens[j - 1] + dens[j]) * (grid[j - 1] - grid[j]);
        }
        let total = count[npts - 1];
        // The predicted mass is min(P, D); the trapezoid gets it to a fraction of an
        // eigenvalue, and the counts are rescaled to it exactly. A data rank `n` below it
        // (eigenvalues lost to rounding at a hard edge) drops the bottom ranks only.
        let mass = p.min(bins.mult.iter().sum());
        if !(total.is_finite() && total > 0.0 && mass >= n as f64 - 0.5) {
            return Err(Error::NoConvergence {
                what: "forecast: predicted sample spectrum of the projection model",
                iterations: npts,
                residual: total,
                last: lo,
            });
        }
        let bounds = (0..=n)
            .map(|i| {
                let t = i as f64 * total / mass;
                let j = count.partition_point(|&c| c < t).clamp(1, npts - 1);
                let span = count[j] - count[j - 1];
                let f = if span > 0.0 {
                    ((t - count[j - 1]) / span).clamp(0.0, 1.0)
                } else {
                    1.0
                };
                (j, f)
            })
            .collect();
        Ok(Self {
            p,
            scale,
            nb,
            bins,
            grid,
            im_g,
            count,
            bounds,
        })
    }

    /// `a_i`, `i < n`, for the unit-scale target power `w2` (one entry per shape entry,
    /// `Σ_j v_j w2_j = 1`): `E z_i² = A a_i + σ²`, with
    /// `a_i = P ∫_cell x Σ_b W_b Im g_b / ∫_cell Σ_b m_b Im g_b`.
    pub(crate) fn signal_basis(&self, w2: &[f64]) -> Vec<f64> {
        let mut wb = vec![0.0; self.nb];
        for (&b, &w) in self.bins.of_entry.iter().zip(w2) {
            wb[b] += w;
        }
        let f: Vec<f64> = self
            .grid
            .iter()
            .zip(self.im_g.chunks_exact(self.nb))
            .map(|(&x, row)| x * row.iter().zip(&wb).map(|(g, w)| g * w).sum::<f64>())
            .collect();
        let mut cum = vec![0.0; f.len()];
        for j in 1..f.len() {
            cum[j] = cum[j - 1] + 0.5 * (f[j - 1] + f[j]) * (self.grid[j - 1] - self.grid[j]);
        }
        let at = |&(j, t): &(usize, f64), c: &[f64]| c[j - 1] + t * (c[j] - c[j - 1]);
        self.bounds
            .windows(2)
            .map(|w| {
                let num = at(&w[1], &cum) - at(&w[0], &cum);
                let den = at(&w[1], &self.count) - at(&w[0], &self.count);
                let a = self.p * num / (den * self.scale);
                if a.is_finite() {
                    a.max(f64::MIN_POSITIVE)
                } else {
                    f64::MIN_POSITIVE
                }
            })
            .collect()
    }
}

/// Signal `A`, noise `σ²` and the negative log-likelihood per observation for one basis
/// `a`, by iteratively reweighted least squares (the score equations of the Whittle
/// likelihood are weighted least squares with weights `1/m_i²`).
fn signal_noise(a: &[f64], z2: &[f64], null_dim: f64, null_ss: f64) -> (f64, f64, f64) {
    let mean = z2.iter().sum::<f64>() / z2.len() as f64;
    let floor = 1e-12 * mean.max(f64::MIN_POSITIVE);
    let ma = a.iter().sum::<f64>() / a.len() as f64;
    let (mut sig, mut noise) = (0.5 * mean / ma, (0.1 * mean).max(floor));
    let null_mean = if null_dim > 0.0 {
        null_ss / null_dim
    } else {
        0.0
    };
    for _ in 0..IRLS_MAX {
        // Weighted sums over the projections and the null block (a = 0, target its mean).
        let (mut saa, mut sa, mut s1, mut sat, mut st) = (0.0, 0.0, 0.0, 0.0, 0.0);
        for (&ai, &t) in a.iter().zip(z2) {
            let w = (sig * ai + noise).powi(-2);
            saa += w * ai * ai;
            sa += w * ai;
            s1 += w;
            sat += w * ai * t;
            st += w * t;
        }
        if null_dim > 0.0 {
            let w = null_dim / (noise * noise);
            s1 += w;
            st += w * null_mean;
        }
        let (ns, nn) = nonneg_pair((saa, sa, s1, sat, st), floor);
        let done =
            (ns - sig).abs() <= 1e-10 * ns.abs().max(1e-300) && (nn - noise).abs() <= 1e-10 * nn;
        (sig, noise) = (ns, nn);
        if done {
            break;
        }
    }
    let mut nll: f64 = a
        .iter()
        .zip(z2)
        .map(|(&ai, &t)| {
            let m = sig * ai + noise;
            m.ln() + t / m
        })
        .sum();
    if null_dim > 0.0 {
        nll += null_dim * noise.ln() + null_ss / noise;
    }
    (sig, noise, nll / (a.len() as f64 + null_dim))
}

/// Signal `A` and the negative log-likelihood per observation of the noiseless model
/// `m_i = A a_i` (maximum likelihood `A = mean(z_i²/a_i)`).
fn signal_only(a: &[f64], z2: &[f64]) -> (f64, f64) {
    let n = a.len() as f64;
    let sig = a.iter().zip(z2).map(|(ai, t)| t / ai).sum::<f64>() / n;
    let nll = a.iter().map(|ai| (sig * ai).ln()).sum::<f64>() + n;
    (sig, nll / n)
}

/// Source exponent, signal and noise of the spectrum `scale·shape` by the projection
/// likelihood (module docs): `(r, A, σ², nll per observation)`. When the design has no
/// null directions the noise is set to 0 unless the likelihood-ratio test rejects
/// `σ² = 0` at level 10% (`2Δℓ > 1.28²`, the boundary test: half of `χ²₁`): without it a
/// noiseless task gets a noise of the size of the smallest projections, which is as large
/// as the tuned error being forecast.
pub(crate) fn fit_projections(
    curves: &Curves,
    shape: &Shape,
    scale: f64,
) -> Result<(f64, f64, f64, f64)> {
    let mu_min = curves.mu.last().copied().unwrap_or(f64::INFINITY);
    let model = ProjectionModel::new(shape, scale, curves.p, curves.mu.len(), mu_min)?;
    let null_dim = curves.p - curves.mu.len() as f64;
    let fit = |r: f64| {
        let a = model.signal_basis(&shape.target_power(r));
        signal_noise(&a, &curves.z2, null_dim, curves.null_ss)
    };
    // The profile likelihood in r can have a second, boundary minimum (all signal in the
    // top direction): a fine grid first.
    let what = "forecast: source exponent r (projection likelihood)";
    let m = minimize_scalar(|r| fit(r).2, R_RANGE.0, R_RANGE.1, 31, 1e-4, 200, what)?;
    let (a, s, nll) = fit(m.x);
    if null_dim > 0.0 {
        return Ok((m.x, a, s, nll));
    }
    let quiet = |r: f64| signal_only(&model.signal_basis(&shape.target_power(r)), &curves.z2);
    let m0 = minimize_scalar(|r| quiet(r).1, R_RANGE.0, R_RANGE.1, 31, 1e-4, 200, what)?;
    let (a0, nll0) = quiet(m0.x);
    let obs = curves.z2.len() as f64;
    Ok(if 2.0 * obs * (nll0 - nll) <= LRT_NOISE {
        (m0.x, a0, 0.0, nll0)
    } else {
        (m.x, a, s, nll)
    })
}

#[cfg(test)]
#[path = "projections_tests.rs"]
mod tests;
