//! Curves of `κ`: about one spectrum pass per point.
//!
//! Along a curve (over `P` at fixed `λ`, over `λ` at fixed `P`, or any other parameter `x`
//! of the factors) each `κ` is first **predicted** from the previous points: Hermite
//! extrapolation of `ln κ` in `ln x` through up to three solved points, with their slopes
//! `d ln κ/d ln x = −(∂F/∂ ln x)/F′` (`F = ln g − ln λ` as in [`super`]; `∂F/∂ ln x` by a
//! central difference of the factors at fixed `Df₁`). One pass at the prediction `κ₀`
//! computes the traces **and their Taylor expansion** around `κ₀`
//! ([`Moments`], with a rigorous bound on the truncation error); the root of the
//! expanded fixed-point equation is found without further passes, and the traces there
//! follow from the same expansion.
//!
//! **Contract.** A point is returned only if it passes the solver's own convergence
//! test ([`super`]: the Newton correction of `κ` below `rel_tol` plus the rounding floor,
//! and the resolvability guard) evaluated on the expanded traces, with the truncation
//! bound added to the residual, and only if that bound is below `rel_tol/2` for every
//! trace. Otherwise the next pass is taken at the expanded root; after [`MAX_PASSES`]
//! passes, or whenever the expansion cannot be used (no prediction, a point below the
//! branch, `λ ≤ 0`, analytic spectra), the point is solved by the cold solver
//! ([`super::solve`]) warm-started at the best estimate. A pass is one evaluation of the
//! traces over the spectrum; [`KappaReport::iterations`] counts every pass of the point,
//! fallback included.

use crate::error::Result;
use crate::numeric::{Bracket, KappaReport, SolverParams};
use crate::spectrum::{MAX_ORDER, Moments, RESOLVABLE, Task, Traces, unresolvable};
use crate::stransform::STransform;

use super::{log_residual, solve};

/// Passes with the expansion before a point falls back to the cold solver.
pub(crate) const MAX_PASSES: usize = 4;

/// The largest truncation bound accepted, as a share of `rel_tol`: the expanded traces
/// are then within `rel_tol/2` of the exact traces at the returned `κ`.
const BOUND_SHARE: f64 = 0.5;

/// Step in `ln x` of the central difference for `∂F/∂ ln x`.
const FD_STEP: f64 = 1e-4;

/// The free factors and the ridge at one abscissa of a curve.
pub(crate) type Setup = (Vec<Box<dyn STransform>>, f64);

/// `κ` and the traces at every abscissa of `xs`, in the order of `xs` (points are solved in
/// increasing order of `x` internally, which is what the extrapolation needs). `setup(x)`
/// gives the factors and `λ` at `x`; an error there is that point's result.
pub(crate) fn sweep(
    task: &Task,
    xs: &[f64],
    setup: impl Fn(f64) -> Result<Setup>,
    params: &SolverParams,
) -> Vec<Result<(KappaReport, Traces)>> {
    let mut order: Vec<usize> = (0..xs.len()).collect();
    order.sort_by(|&a, &b| xs[a].total_cmp(&xs[b]));
    let mut out: Vec<Option<Result<(KappaReport, Traces)>>> = vec![None; xs.len()];
    let mut history: Vec<Node> = Vec::new();
    for i in order {
        let x = xs[i];
        let res = setup(x).and_then(|(factors, lambda)| {
            let fs: Vec<&dyn STransform> = factors.iter().map(AsRef::as_ref).collect();
            let pred = (x > 0.0 && x.is_finite())
                .then(|| predict(&history, x.ln()))
                .flatten();
            let r = point(task, &fs, lambda, pred, params)?;
            if x > 0.0 && x.is_finite() && r.0.kappa > 0.0 {
                let slope = slope(&setup, x, &r.1, &fs, lambda);
                let node = Node {
                    t: x.ln(),
                    y: r.0.kappa.ln(),
                    dy: slope,
                };
                // Keep distinct abscissae only (a repeated x gives the same κ).
                history.retain(|n| (n.t - node.t).abs() > 1e-12);
                history.push(node);
                if history.len() > 3 {
                    history.remove(0);
                }
            }
            Ok(r)
        });
        out[i] = Some(res);
    }
    out.into_iter()
        .map(|r| r.unwrap_or_else(unreachable_point))
        .collect()
}

/// Every index is visited once; this is never reached.
fn unreachable_point() -> Result<(KappaReport, Traces)> {
    Err(crate::error::Error::Unsupported("curve point not visited"))
}

/// A solved point of the curve: `t = ln x`, `y = ln κ`, `dy = d ln κ/d ln x` if known.
#[derive(Debug, Clone, Copy)]
struct Node {
    t: f64,
    y: f64,
    dy: Option<f64>,
}

/// The prediction of `ln κ` at `t` with an error estimate (the change from the next
/// lower-degree interpolant), as `(κ, estimated relative error)`.
fn predict(history: &[Node], t: f64) -> Option<(f64, f64)> {
    if history.is_empty() {
        return None;
    }
    let full = hermite(history, t)?;
    let est = if history.len() > 1 {
        hermite(&history[1..], t).map_or(1.0, |lower| (full - lower).abs())
    } else {
        // One point: the tangent; its error is unknown, assume the worst supported.
        1.0
    };
    let k = full.exp();
    (k.is_finite() && k > 0.0).then_some((k, est))
}

/// Hermite interpolation (Newton divided differences with repeated nodes where the slope
/// is known), evaluated at `t`.
fn hermite(nodes: &[Node], t: f64) -> Option<f64> {
    let mut z = Vec::with_capacity(2 * nodes.len());
    let mut y = Vec::with_capacity(2 * nodes.len());
    let mut dy = Vec::with_capacity(2 * nodes.len());
    for n in nodes {
        z.push(n.t);
        y.push(n.y);
        dy.push(None);
        if let Some(d) = n.dy.filter(|d| d.is_finite()) {
            z.push(n.t);
            y.push(n.y);
            dy.push(Some(d));
        }
    }
    let m = z.len();
    // col[i] = f[z_{i−j}..z_i] for i ≥ j (column j of the divided-difference table).
    let mut col = y;
    let mut coef = vec![col[0]];
    for j in 1..m {
        let mut next = vec![0.0; m];
        for i in j..m {
            let dz = z[i] - z[i - j];
            next[i] = if dz == 0.0 {
                // Only adjacent repeated nodes (j = 1) coincide: the slope.
                dy[i]?
            } else {
                (col[i] - col[i - 1]) / dz
            };
        }
        coef.push(next[j]);
        col = next;
    }
    let mut val = 0.0;
    for j in (0..m).rev() {
        val = val * (t - z[j]) + coef[j];
    }
    val.is_finite().then_some(val)
}

/// `d ln κ/d ln x` at a solved point: `−(∂F/∂ ln x)/F′`, where
/// `∂F/∂ ln x = Σ_i (∂S_i⁻¹/∂ ln x)/S_i⁻¹ − (∂λ/∂ ln x)/λ` at fixed `Df₁`, the derivatives by
/// central differences of the smooth `S_i⁻¹` and `λ` (not of their logarithms, which are
/// steep where `S_i⁻¹` is small, near the ridgeless limit).
fn slope(
    setup: &impl Fn(f64) -> Result<Setup>,
    x: f64,
    tr: &Traces,
    factors: &[&dyn STransform],
    lambda: f64,
) -> Option<f64> {
    let (_, fp, _) = log_residual(&tr.dofs(), tr.kappa, lambda, factors)?;
    let (up, down) = (
        setup(x * FD_STEP.exp()).ok()?,
        setup(x * (-FD_STEP).exp()).ok()?,
    );
    if up.0.len() != factors.len() || down.0.len() != factors.len() {
        return None;
    }
    let h2 = 2.0 * FD_STEP;
    let mut d = -(up.1 - down.1) / h2 / lambda;
    for ((f, a), b) in factors.iter().zip(&up.0).zip(&down.0) {
        let (ia, ib) = (a.inverse(tr.df1), b.inverse(tr.df1));
        d += (ia - ib) / h2 / f.inverse(tr.df1);
    }
    let s = -d / fp;
    s.is_finite().then_some(s)
}

/// Taylor order for a predicted relative error `est` of `κ`: the lowest whose truncation
/// bound `(N+2) r^{N+1}` stays below the acceptance threshold at the estimate (which
/// compares two interpolants, so it overestimates the error of the better one).
fn order_for(est: f64, rel_tol: f64) -> usize {
    (1..=MAX_ORDER)
        .find(|&n| (n + 2) as f64 * est.powi(n as i32 + 1) <= BOUND_SHARE * rel_tol)
        .unwrap_or(MAX_ORDER)
}

/// One point: the expansion path from the prediction, else the cold solver.
fn point(
    task: &Task,
    factors: &[&dyn STransform],
    lambda: f64,
    pred: Option<(f64, f64)>,
    params: &SolverParams,
) -> Result<(KappaReport, Traces)> {
    params.validate()?;
    let guess = pred.map(|(k, _)| k);
    if !(task.has_moments() && lambda > 0.0 && lambda.is_finite()) || factors.is_empty() {
        return solve(task, factors, lambda, guess, params);
    }
    // Start: the prediction, else the coarse proxy's root (as the cold solver does).
    let (mut kappa, mut order) = match pred {
        Some((k, est)) => (k, order_for(est, params.rel_tol)),
        None => {
            let proxy = task.spectrum.proxy().and_then(|proxy| {
                let coarse = SolverParams {
                    rel_tol: 1e-6,
                    ..*params
                };
                solve(proxy, factors, lambda, None, &coarse).ok()
            });
            match proxy {
                Some((r, ())) => (r.kappa, MAX_ORDER),
                None => return solve(task, factors, lambda, None, params),
            }
        }
    };
    let mut passes = 0;
    while passes < MAX_PASSES.min(params.max_iter) && kappa.is_finite() && kappa > 0.0 {
        let Some(mom) = task.moments(kappa, order) else {
            break;
        };
        passes += 1;
        match expanded_root(&mom, factors, lambda, params) {
            Expanded::Accepted(report, tr) => {
                if tr.kappa.is_finite() {
                    return Ok((
                        KappaReport {
                            iterations: passes,
                            ..report
                        },
                        tr,
                    ));
                }
                break;
            }
            Expanded::Unresolvable(kappa, unc) => {
                return Err(unresolvable(kappa, unc, passes));
            }
            Expanded::Next(k, n) => {
                kappa = k;
                order = n;
            }
            Expanded::Unusable => break,
        }
    }
    let start = (kappa.is_finite() && kappa > 0.0)
        .then_some(kappa)
        .or(guess);
    let (report, tr) = solve(task, factors, lambda, start, params)?;
    Ok((
        KappaReport {
            iterations: report.iterations + passes,
            ..report
        },
        tr,
    ))
}

/// What one expansion yields.
#[derive(Debug)]
enum Expanded {
    /// The root passes the solver's test.
    Accepted(KappaReport, Traces),
    /// Converged where double precision cannot resolve `κ` (the solver's guard).
    Unresolvable(f64, f64),
    /// Take the next pass at this `κ` with this order.
    Next(f64, usize),
    /// The expansion cannot locate the root (below the branch at `κ₀`).
    Unusable,
}

/// The expanded fixed-point equation evaluated at one `κ`.
#[derive(Debug, Clone, Copy)]
struct Eval {
    kappa: f64,
    traces: Traces,
    bound: f64,
    f: f64,
    fp: f64,
    /// The solver's convergence measure `(1 − e^{−F})/F′` (relative correction of `κ`).
    rel_lin: f64,
    /// Rounding floor of `F` over `F′`.
    floor_rel: f64,
}

/// Newton in `ln κ` on the expanded fixed-point equation, within half the expansion's
/// radius, then the solver's convergence test at the best iterate.
fn expanded_root(
    mom: &Moments,
    factors: &[&dyn STransform],
    lambda: f64,
    params: &SolverParams,
) -> Expanded {
    const RADIUS: f64 = 0.5;
    let k0 = mom.kappa0();
    let (lo, hi) = (
        (k0 - RADIUS * mom.scale()).max(0.0),
        k0 + RADIUS * mom.scale(),
    );
    // The solver's safeguard: a bracket in ln κ (the expansion's range), Newton inside
    // it, bisection when a step leaves it or lands below the branch.
    let mut bracket = Bracket::new(if lo > 0.0 { lo.ln() } else { f64::NEG_INFINITY }, hi.ln());
    let mut x = k0.ln();
    let mut best: Option<Eval> = None;
    let mut next = None;
    for _ in 0..60 {
        let kappa = x.exp();
        let (traces, bound) = mom.traces_at(kappa);
        let cand = match log_residual(&traces.dofs(), kappa, lambda, factors) {
            None => {
                bracket.update(x, true);
                f64::NAN
            }
            Some((f, fp, floor)) => {
                if !f.is_finite() || !fp.is_finite() || fp <= 0.0 {
                    break;
                }
                let e = Eval {
                    kappa,
                    traces,
                    bound,
                    f,
                    fp,
                    rel_lin: -(-f).exp_m1() / fp,
                    floor_rel: floor / fp,
                };
                if best.is_none_or(|b| e.rel_lin.abs() < b.rel_lin.abs()) {
                    best = Some(e);
                }
                if e.rel_lin.abs() <= 1e-3 * params.rel_tol {
                    break;
                }
                bracket.update(x, f < 0.0);
                // The solver's step (from below in linear scale, see `solve_positive`).
                if f < 0.0 {
                    x + (-e.rel_lin).ln_1p()
                } else {
                    x - f / fp
                }
            }
        };
        let nx = bracket.next(x, cand);
        next = Some(nx.exp());
        if !nx.is_finite() || (nx - x).abs() <= f64::EPSILON * x.abs().max(1.0) {
            break;
        }
        x = nx;
    }
    let Some(e) = best else {
        return Expanded::Unusable;
    };
    // Truncation error of F: the relative error of Df₁ times Σ_i Df₁|(S_i⁻¹)′/S_i⁻¹|;
    // over F′ it is an error of the convergence measure.
    let sens: f64 = factors
        .iter()
        .map(|s| {
            (e.traces.df1 * s.inverse_derivative(e.traces.df1) / s.inverse(e.traces.df1)).abs()
        })
        .sum();
    let err = e.bound * sens / e.fp;
    let accepted = e.bound <= BOUND_SHARE * params.rel_tol
        && e.rel_lin.abs() + err <= params.rel_tol + e.floor_rel;
    if accepted {
        if e.floor_rel.is_nan() || e.floor_rel > RESOLVABLE {
            return Expanded::Unresolvable(e.kappa, e.floor_rel);
        }
        return Expanded::Accepted(
            KappaReport {
                kappa: e.kappa,
                iterations: 1,
                residual: e.f.abs(),
            },
            e.traces,
        );
    }
    match next {
        Some(k) if k.is_finite() && k > 0.0 => {
            Expanded::Next(k, order_for(e.rel_lin.abs() + e.bound, params.rel_tol))
        }
        _ => Expanded::Unusable,
    }
}
