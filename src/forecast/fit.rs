//! Fitting a population task to the data curves of one sample (THEORY §16).
//!
//! *Spectrum.* A candidate population spectrum `c·v` (unit shape `v`, scale `c`) predicts
//! the data's degrees of freedom through the deterministic equivalence (THEORY §2.1):
//! `df̂(λ) ≈ Df₁(κ)` with `κ(1 − Df₁(κ)/P) = λ`. The data's own `κ̂ = λ/(1 − df̂/P)`
//! (THEORY §3.2) sits on that curve exactly when the prediction is right, so the candidate
//! is scored by the relative residuals `Df₁^{c·v}(κ̂_i)/df̂_i − 1 = Df₁^{v}(κ̂_i/c)/df̂_i − 1`
//! on a `λ` grid. This compares the *predicted* sample quantity with the observed one; raw
//! sample eigenvalues (biased in the tail) are never matched.
//!
//! *Target and noise.* With the spectrum fixed, two estimators of the source exponent `r`
//! (THEORY §7.1), the signal `A = w̄ᵀΣw̄` and the label noise `σ²` (chosen by
//! [`TargetFit`]): the likelihood of the label projections (the default,
//! [`super::projections`], THEORY §16.3), or least squares on the risk curve: the data's
//! GCV (or LOOCV) estimates `E_g + σ² = (A·bias²₁(κ) + σ²)/(1 − γ)` at `P₀` (THEORY §3.1,
//! §3.2, §16.2), where `bias²₁ = −κ² tf₁′` of a unit-signal target; for each `r` the pair
//! `(A, σ²) ≥ 0` is a two-variable non-negative least-squares problem in the relative
//! residuals, and `r` is found by a one-dimensional search. The risk residual of the chosen
//! parameters is reported either way.

use nalgebra::{DMatrix, DVector};

use super::data::Curves;
use super::optim::{Min1d, minimize_scalar, nnls, nonneg_pair};
use super::projections::fit_projections;
use super::{ModelFamily, TargetFit};
use crate::error::{Error, Result};
use crate::spectrum::{Spectrum, Task};

/// Iteration cap of every golden-section search of the fit.
const MAX_ITER: usize = 200;
/// Range of the capacity exponent `α` searched.
const ALPHA_RANGE: (f64, f64) = (0.2, 4.0);
/// Range of the source exponent `r` searched.
const R_RANGE: (f64, f64) = (0.0, 3.0);
/// Range of the relative floor `φ` (floor = `φ c`) searched, in `ln φ`.
const LN_FLOOR_RANGE: (f64, f64) = (-16.0, -0.5);
/// Atoms of the non-parametric spectrum.
const N_ATOMS: usize = 48;
/// Largest `γ = Df₂(κ)/P₀` of the ridges whose risk is matched (`1/(1 − γ) ≤ 10`).
const GAMMA_MAX: f64 = 0.9;
/// Fewest ridges whose risk is matched.
const MIN_RISK_POINTS: usize = 8;
/// Step of the `ln κ` table of `Df₁` (cubic Hermite interpolation, error `O(h⁴)`).
const TABLE_STEP: f64 = 0.12;

/// A unit-scale population spectrum with the eigenvalue that enters the target rule.
#[derive(Debug, Clone)]
pub(crate) struct Shape {
    /// Eigenvalues `v_j > 0` (decreasing).
    pub values: Vec<f64>,
    /// Multiplicities `m_j > 0`.
    pub mult: Vec<f64>,
    /// `ln b_j`, with `b_j` the eigenvalue of the target rule (the power-law part, without
    /// a floor).
    ln_base: Vec<f64>,
    /// `ln m_j − ln k_j` (`k_j` the mid-rank of entry `j`) of the target rule.
    ln_rank: Vec<f64>,
    spectrum: Spectrum,
}

impl Shape {
    /// A shape from its entries and, optionally precomputed, the logarithms `ln b_j` and
    /// `ln m_j − ln k_j` of the target rule (default: from the entries).
    fn new(values: Vec<f64>, mult: Vec<f64>, logs: Option<(Vec<f64>, Vec<f64>)>) -> Result<Self> {
        let spectrum = Spectrum::with_multiplicities(&values, &mult)?;
        let (ln_base, ln_rank) = logs.unwrap_or_else(|| {
            let mut before = 0.0;
            let ln_rank = mult
                .iter()
                .map(|&m| {
                    let k = before + 0.5 * (m + 1.0);
                    before += m;
                    m.ln() - f64::ln(k)
                })
                .collect();
            (values.iter().map(|v| v.ln()).collect(), ln_rank)
        });
        Ok(Self {
            values,
            mult,
            ln_base,
            ln_rank,
            spectrum,
        })
    }

    /// `v_k = k^{−α} + φ`, `k = 1..D` (THEORY §7.1, plus an isotropic floor `φ ≥ 0`);
    /// `ln_k` holds `ln k`, `k = 1..D`.
    pub(crate) fn power_law(alpha: f64, floor: f64, ln_k: &[f64]) -> Result<Self> {
        let ln_base: Vec<f64> = ln_k.iter().map(|&l| -alpha * l).collect();
        let values = ln_base.iter().map(|&lb| lb.exp() + floor).collect();
        let ln_rank = ln_k.iter().map(|&l| -l).collect();
        Self::new(values, vec![1.0; ln_k.len()], Some((ln_base, ln_rank)))
    }

    /// Atoms `v_j` with weights `m_j` (zero weights dropped), sorted decreasing.
    pub(crate) fn atoms(values: &[f64], weights: &[f64]) -> Result<Self> {
        let mut pairs: Vec<(f64, f64)> = values
            .iter()
            .zip(weights)
            .filter(|&(_, &w)| w > 0.0)
            .map(|(&v, &w)| (v, w))
            .collect();
        if pairs.is_empty() {
            return Err(Error::NoConvergence {
                what: "non-parametric spectrum (all weights zero)",
                iterations: 0,
                residual: f64::INFINITY,
                last: 0.0,
            });
        }
        pairs.sort_by(|a, b| b.0.total_cmp(&a.0));
        let (v, m): (Vec<f64>, Vec<f64>) = pairs.into_iter().unzip();
        Self::new(v, m, None)
    }

    /// Target power per entry, `w̄_j² = m_j b_j^{2r−1}/k_j` with `k_j` the (mid-)rank of
    /// the entry, i.e. `s_k w̄_k² ∝ k^{−(1+2αr)}` for a power law (THEORY §7.1),
    /// normalised to unit signal `Σ_j v_j w̄_j² = 1`.
    pub(crate) fn target_power(&self, r: f64) -> Vec<f64> {
        let mut w2: Vec<f64> = self
            .ln_base
            .iter()
            .zip(&self.ln_rank)
            .map(|(&lb, &lr)| (lr + (2.0 * r - 1.0) * lb).exp())
            .collect();
        let signal: f64 = w2.iter().zip(&self.values).map(|(w, v)| w * v).sum();
        for w in &mut w2 {
            *w /= signal;
        }
        w2
    }

    /// The unit-scale, unit-signal, noiseless task with source exponent `r`.
    pub(crate) fn task(&self, r: f64) -> Result<Task> {
        Task::with_target_power(self.spectrum.clone(), &self.target_power(r), 0.0)
    }

    /// `Df₁(u)` and `dDf₁/d ln u` of the unit shape.
    fn df1(&self, u: f64) -> (f64, f64) {
        let d = self.spectrum.dofs(u);
        (d.df1, -d.df1_minus_df2)
    }
}

/// `Df₁` of a shape tabulated on a uniform `ln u` grid, read by cubic Hermite
/// interpolation with the exact derivative.
struct DfTable {
    t0: f64,
    n: usize,
    f: Vec<f64>,
    fp: Vec<f64>,
}

impl DfTable {
    fn new(shape: &Shape, t_lo: f64, t_hi: f64) -> Self {
        let n = (((t_hi - t_lo) / TABLE_STEP).ceil() as usize).max(2) + 1;
        let (f, fp) = (0..n)
            .map(|i| shape.df1((t_lo + TABLE_STEP * i as f64).exp()))
            .unzip();
        Self { t0: t_lo, n, f, fp }
    }

    fn eval(&self, t: f64) -> f64 {
        let x = (t - self.t0) / TABLE_STEP;
        if !(x >= 0.0 && x <= (self.n - 1) as f64) {
            return f64::NAN;
        }
        let i = (x.floor() as usize).min(self.n - 2);
        let s = x - i as f64;
        let (h00, h10) = ((1.0 + 2.0 * s) * (1.0 - s).powi(2), s * (1.0 - s).powi(2));
        let (h01, h11) = (s * s * (3.0 - 2.0 * s), s * s * (s - 1.0));
        h00 * self.f[i]
            + h10 * TABLE_STEP * self.fp[i]
            + h01 * self.f[i + 1]
            + h11 * TABLE_STEP * self.fp[i + 1]
    }
}

/// A fitted population task with its goodness of fit.
#[derive(Debug, Clone)]
pub(crate) struct ModelFit {
    pub family: ModelFamily,
    /// Capacity exponent (power-law families).
    pub alpha: Option<f64>,
    /// Floor relative to the scale (floor family).
    pub floor_rel: Option<f64>,
    /// Scale `c` (the population spectrum is `c·v`).
    pub scale: f64,
    /// Source exponent.
    pub r: f64,
    /// Signal variance `A = w̄ᵀΣw̄`.
    pub signal: f64,
    /// Label-noise variance.
    pub noise: f64,
    /// RMS relative residual of `df̂` (spectrum match).
    pub df_rms: f64,
    /// RMS relative residual of the risk curve (target match).
    pub risk_rms: f64,
    /// The fitted task.
    pub task: Task,
}

/// Range of `ln c` searched and the `ln u` range the table must cover.
fn scale_ranges(curves: &Curves, pts: &[usize]) -> ((f64, f64), (f64, f64)) {
    let lc = ((1e-4 * curves.mu_max).ln(), (4.0 * curves.mu_max).ln());
    let (kmin, kmax) = pts.iter().fold((f64::INFINITY, 0.0_f64), |(a, b), &i| {
        (a.min(curves.kappa[i]), b.max(curves.kappa[i]))
    });
    let t = (kmin.ln() - lc.1 - 0.5, kmax.ln() - lc.0 + 0.5);
    (lc, t)
}

/// Best scale for a shape: `(ln c, mean squared relative df residual)`.
fn fit_scale(shape: &Shape, curves: &Curves, pts: &[usize]) -> Result<Min1d> {
    let (lc, t) = scale_ranges(curves, pts);
    let table = DfTable::new(shape, t.0, t.1);
    let lk: Vec<f64> = pts.iter().map(|&i| curves.kappa[i].ln()).collect();
    let loss = |ln_c: f64| {
        pts.iter()
            .zip(&lk)
            .map(|(&i, &l)| (table.eval(l - ln_c) / curves.df[i] - 1.0).powi(2))
            .sum::<f64>()
            / pts.len() as f64
    };
    minimize_scalar(
        loss,
        lc.0,
        lc.1,
        41,
        1e-5,
        MAX_ITER,
        "forecast: spectrum scale",
    )
}

/// Power law (with relative floor `φ`): best `α`, returning `(α, ln c, loss)`.
fn fit_alpha(curves: &Curves, pts: &[usize], ln_k: &[f64], floor: f64) -> Result<(f64, f64, f64)> {
    let mut best: Option<(f64, f64, f64)> = None;
    let mut err = None;
    let m = minimize_scalar(
        |alpha| match Shape::power_law(alpha, floor, ln_k).and_then(|s| fit_scale(&s, curves, pts))
        {
            Ok(m) => {
                if best.is_none_or(|b| m.f < b.2) {
                    best = Some((alpha, m.x, m.f));
                }
                m.f
            }
            Err(e) => {
                err = Some(e);
                f64::INFINITY
            }
        },
        ALPHA_RANGE.0,
        ALPHA_RANGE.1,
        17,
        1e-3,
        MAX_ITER,
        "forecast: capacity exponent alpha",
    );
    match (m, best) {
        (Ok(_), Some(b)) => Ok(b),
        (Err(e), _) => Err(err.unwrap_or(e)),
        (Ok(_), None) => Err(err.unwrap_or(Error::NoConvergence {
            what: "forecast: capacity exponent alpha",
            iterations: 0,
            residual: f64::INFINITY,
            last: 0.0,
        })),
    }
}

/// Non-parametric spectrum: non-negative weights on a log grid of atoms, linear in the
/// weights because `Df₁(κ̂_i) = Σ_j m_j v_j/(v_j + κ̂_i)` is matched at the data's `κ̂_i`
/// (THEORY §2.1), plus the constraints `Σ m_j = D` and `Σ m_j v_j = Tr Σ̂` (an unbiased
/// estimate of `Tr Σ`).
fn fit_atoms(curves: &Curves, pts: &[usize], d: usize) -> Result<(Shape, f64)> {
    let kmin = pts
        .iter()
        .map(|&i| curves.kappa[i])
        .fold(f64::INFINITY, f64::min);
    let (a0, a1) = ((1e-2 * kmin).ln(), (2.0 * curves.mu_max).ln());
    let atoms: Vec<f64> = (0..N_ATOMS)
        .map(|j| (a0 + (a1 - a0) * j as f64 / (N_ATOMS - 1) as f64).exp())
        .collect();
    let rows = pts.len() + 2;
    let mut a = DMatrix::zeros(rows, N_ATOMS);
    let mut b = DVector::from_element(rows, 1.0);
    for (row, &i) in pts.iter().enumerate() {
        for (j, &v) in atoms.iter().enumerate() {
            a[(row, j)] = v / (v + curves.kappa[i]) / curves.df[i];
        }
    }
    let df = d as f64;
    for (j, &v) in atoms.iter().enumerate() {
        a[(pts.len(), j)] = 1.0 / df;
        a[(pts.len() + 1, j)] = v / curves.trace;
    }
    b[pts.len()] = 1.0;
    let w = nnls(&a, &b, 10 * N_ATOMS)?;
    let shape = Shape::atoms(&atoms, w.as_slice())?;
    let loss = pts
        .iter()
        .map(|&i| (shape.df1(curves.kappa[i]).0 / curves.df[i] - 1.0).powi(2))
        .sum::<f64>()
        / pts.len() as f64;
    Ok((shape, loss))
}

/// The risk curve of a sample against the model `(A·bias²₁(κ) + σ²)/(1 − γ)` of a fixed
/// spectrum `c·shape` (module docs).
struct RiskMatch {
    /// `bias²` per unit target power: row `i`, entry `j`.
    g: DMatrix<f64>,
    /// `hᵢ/Rᵢ` with `hᵢ = dκ/dλ = 1/(1 − γᵢ)` and `Rᵢ` the data's risk.
    e: DVector<f64>,
}

impl RiskMatch {
    fn new(curves: &Curves, shape: &Shape, scale: f64) -> Result<Self> {
        let base = shape.task(0.5)?;
        let lams: Vec<f64> = curves.lambdas.iter().map(|&l| l / scale).collect();
        let th = base.ridge_curve_lambda(curves.p, &lams).into_result()?;
        // Near the interpolation threshold (P₀ ≈ D, small λ) the amplification 1/(1 − γ)
        // diverges and the risk is hypersensitive to the spectrum: match only the ridges
        // with γ ≤ GAMMA_MAX (γ depends on the spectrum alone, so the set is fixed during
        // the search over r), keeping at least the MIN_RISK_POINTS least amplified ones.
        let mut keep: Vec<usize> = (0..th.len())
            .filter(|&i| th[i].gamma <= GAMMA_MAX)
            .collect();
        if keep.len() < MIN_RISK_POINTS {
            let mut order: Vec<usize> = (0..th.len()).collect();
            order.sort_by(|&a, &b| th[a].gamma.total_cmp(&th[b].gamma));
            keep = order
                .into_iter()
                .take(MIN_RISK_POINTS.min(th.len()))
                .collect();
            keep.sort_unstable();
        }
        let n = keep.len();
        // bias²ᵢ(r) = Σ_j W_j(r) v_j uᵢ²/(v_j + uᵢ)² for unit signal (THEORY §3.1): a
        // fixed matrix times the target power W(r).
        let g = DMatrix::from_fn(n, shape.values.len(), |i, j| {
            let (u, v) = (th[keep[i]].kappa, shape.values[j]);
            v * (u / (v + u)).powi(2)
        });
        let e = DVector::from_fn(n, |i, _| th[keep[i]].dkappa_dlambda / curves.risk[keep[i]]);
        Ok(Self { g, e })
    }

    /// `xᵢ = hᵢ bias²ᵢ(r)/Rᵢ`: the relative residual of the model is `A xᵢ + σ² eᵢ − 1`.
    fn x(&self, shape: &Shape, r: f64) -> DVector<f64> {
        (&self.g * DVector::from_vec(shape.target_power(r))).component_mul(&self.e)
    }

    /// Mean squared relative residual at `(A, σ²)`.
    fn cost(&self, x: &DVector<f64>, a: f64, s: f64) -> f64 {
        (x * a + &self.e * s).add_scalar(-1.0).norm_squared() / x.len() as f64
    }

    /// For each `r`, `(A, σ²) ≥ 0` is a two-variable non-negative least-squares problem.
    fn solve(&self, shape: &Shape, r: f64) -> (f64, f64, f64) {
        let (e, x) = (&self.e, self.x(shape, r));
        // Σ (A xᵢ + σ² eᵢ − 1)²: the pair model with "x" = x, "1" = e and target 1.
        let sums = (
            x.norm_squared(),
            x.dot(e),
            e.norm_squared(),
            x.sum(),
            e.sum(),
        );
        let (a, s) = nonneg_pair(sums, 0.0);
        (a, s, self.cost(&x, a, s))
    }
}

/// Source exponent, signal and noise for a fixed spectrum `c·shape` and the mean squared
/// relative residual of the risk curve: `(r, A, σ², loss)`, by the chosen estimator.
fn fit_target(
    curves: &Curves,
    shape: &Shape,
    scale: f64,
    target: TargetFit,
) -> Result<(f64, f64, f64, f64)> {
    let risk = RiskMatch::new(curves, shape, scale)?;
    match target {
        TargetFit::RiskCurve => {
            let m = minimize_scalar(
                |r| risk.solve(shape, r).2,
                R_RANGE.0,
                R_RANGE.1,
                16,
                1e-4,
                MAX_ITER,
                "forecast: source exponent r",
            )?;
            let (a, s, loss) = risk.solve(shape, m.x);
            Ok((m.x, a, s, loss))
        }
        TargetFit::Projections => {
            let (r, a, s, _) = fit_projections(curves, shape, scale)?;
            Ok((r, a, s, risk.cost(&risk.x(shape, r), a, s)))
        }
    }
}

/// Fits one model family to the curves of a sample with `d` features.
pub(crate) fn fit_family(
    curves: &Curves,
    d: usize,
    family: ModelFamily,
    target: TargetFit,
) -> Result<ModelFit> {
    let pts = curves.spectrum_points();
    if pts.len() < 3 {
        return Err(Error::InvalidParameter {
            name: "X",
            value: pts.len() as f64,
            reason: "too few grid ridges with df >= 2 to match a spectrum: \
                     the design has (numerical) rank below 3",
        });
    }
    let ln_k: Vec<f64> = (1..=d).map(|k| (k as f64).ln()).collect();
    let (shape, alpha, floor_rel, scale, df_loss) = match family {
        ModelFamily::PowerLaw => {
            let (alpha, lc, loss) = fit_alpha(curves, &pts, &ln_k, 0.0)?;
            (
                Shape::power_law(alpha, 0.0, &ln_k)?,
                Some(alpha),
                None,
                lc.exp(),
                loss,
            )
        }
        ModelFamily::PowerLawFloor => {
            let mut best: Option<(f64, f64, f64, f64)> = None;
            let mut err = None;
            minimize_scalar(
                |lf| match fit_alpha(curves, &pts, &ln_k, lf.exp()) {
                    Ok((alpha, lc, loss)) => {
                        if best.is_none_or(|b| loss < b.3) {
                            best = Some((lf.exp(), alpha, lc, loss));
                        }
                        loss
                    }
                    Err(e) => {
                        err = Some(e);
                        f64::INFINITY
                    }
                },
                LN_FLOOR_RANGE.0,
                LN_FLOOR_RANGE.1,
                7,
                2e-2,
                MAX_ITER,
                "forecast: spectrum floor",
            )
            .map_err(|e| err.take().unwrap_or(e))?;
            let (phi, alpha, lc, loss) = best.expect("a finite loss was recorded");
            (
                Shape::power_law(alpha, phi, &ln_k)?,
                Some(alpha),
                Some(phi),
                lc.exp(),
                loss,
            )
        }
        ModelFamily::Nonparametric => {
            let (shape, loss) = fit_atoms(curves, &pts, d)?;
            (shape, None, None, 1.0, loss)
        }
    };
    let (r, signal, noise, risk_loss) = fit_target(curves, &shape, scale, target)?;
    if signal <= 0.0 || !signal.is_finite() {
        return Err(Error::NoConvergence {
            what: "forecast: the fitted signal variance is zero (no learnable signal in y)",
            iterations: 0,
            residual: risk_loss.sqrt(),
            last: signal,
        });
    }
    let values: Vec<f64> = shape.values.iter().map(|&v| scale * v).collect();
    let w2: Vec<f64> = shape
        .target_power(r)
        .iter()
        .map(|&w| signal / scale * w)
        .collect();
    let task = Task::with_target_power(
        Spectrum::with_multiplicities(&values, &shape.mult)?,
        &w2,
        noise,
    )?;
    Ok(ModelFit {
        family,
        alpha,
        floor_rel,
        scale,
        r,
        signal,
        noise,
        df_rms: df_loss.sqrt(),
        risk_rms: risk_loss.sqrt(),
        task,
    })
}
