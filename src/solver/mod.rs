//! The renormalized ridge `κ`: the root of `κ · Π_i S_i(Df₁(κ))⁻¹ = λ` on the physical
//! branch (THEORY §2.1, §4.2, §5).
//!
//! Write `g(κ) = κ Π_i S_i⁻¹(Df₁(κ))`. With `c = min_i capacity_i` (the smallest of the
//! sample and feature counts) and `κ₀` the root of `Df₁(κ₀) = c` (`κ₀ = 0` when
//! `c ≥ rank Σ`), `g` is strictly increasing on `(κ₀, ∞)` from `0` to `∞`, and:
//!
//! * `λ > 0`: `κ` is the unique root of `g(κ) = λ` above `κ₀`. It is found by a bracketed,
//!   safeguarded Newton iteration in `x = ln κ` on `F(x) = ln g(eˣ) − ln λ`, whose slope
//!   `F′ = 1 + (Df₁−Df₂) Σ_i −(S_i⁻¹)′/S_i⁻¹ ≥ 1`. The lower end `κ ≥ λ Π_i S_i(0)` is known
//!   without a pass; a point below `κ₀` (some `S_i⁻¹ < 0`) counts as `F = −∞`. A Newton step
//!   that leaves the bracket, or is not finite, is replaced by bisection.
//! * `λ = 0`: `κ = κ₀` (the ridgeless limit).
//! * `λ < 0`: the branch continues below `κ₀` down to the largest critical point `κ_c` of
//!   `g` (for linear ridge, `Df₂(κ_c) = P`, i.e. `γ = 1`); `λ_min = g(κ_c) < 0` is the
//!   smallest admissible ridge and a smaller `λ` is an [`Error::RidgeBelowMinimum`]. For
//!   isotropic data `λ_min = −(1 − √(D/P))²`, the edge of the Marchenko–Pastur law.
//!
//! Convergence means the Newton correction of `κ` computed on `g − λ` in linear scale,
//! `|(g − λ)/(κ g′)| = |1 − e^{−F}|/F′` (the relative error of `κ`), is below `rel_tol`
//! plus the rounding floor of `F` divided by `F′`. (The correction `F/F′` in `ln κ` is
//! not used for this: `F′ → ∞` at `κ₀`, where it would call a far-off point converged.)
//! Exhausting `max_iter` is an [`Error::NoConvergence`], never a returned iterate; so is a
//! root that double precision cannot resolve to `1e-6` relative (estimated as the
//! rounding floor of `F` over `F′`, `≈ 16ε/(1 − γ)` for linear ridge: spectra spanning
//! hundreds of decades around `κ`, or the interpolation peak at `λ ≲ 1e-20`).
//!
//! # Curves
//! Sweeps over `P`, `N` or `λ` warm-start each solve from the previous points' `κ`
//! (log-log extrapolation) and return a [`Curve`]: one result per point, so that a point
//! that fails (the interpolation peak `P = D` at `λ = 0`, a ridge below the minimum) does
//! not discard the rest; [`Curve::into_result`] gives the all-or-nothing form. The entry
//! points are `Task::ridge_curve_p`/`_lambda`, `Task::random_features_curve_p`/`_n`/
//! `_lambda` and `Task::kernel_ridge_curve_p`/`_lambda`.

mod curve;

pub use curve::Curve;

use crate::error::{Error, Result, finite};
use crate::numeric::{Bracket, bisect};
pub use crate::numeric::{KappaReport, NonExhaustive, SolverParams};
use crate::spectrum::{Dofs, RESOLVABLE, Spectrum, Task, Traces, kappa_zero, unresolvable};
use crate::stransform::{self, STransform};

pub(crate) mod sweep;

/// What the solver evaluates: degrees of freedom plus any payload wanted at the root
/// (the full [`Traces`] for a task), so that the last pass is not repeated.
pub(crate) trait Source {
    type Out: Copy;
    fn eval(&self, kappa: f64) -> (Dofs, Self::Out);
    /// The degrees of freedom only (a cheaper pass, used far from the root).
    fn eval_dofs(&self, kappa: f64) -> Dofs {
        self.spectrum().dofs(kappa)
    }
    fn spectrum(&self) -> &Spectrum;
}

impl Source for Spectrum {
    type Out = ();
    fn eval(&self, kappa: f64) -> (Dofs, ()) {
        (self.dofs(kappa), ())
    }
    fn spectrum(&self) -> &Spectrum {
        self
    }
}

impl Source for Task {
    type Out = Traces;
    fn eval(&self, kappa: f64) -> (Dofs, Traces) {
        let t = self.traces(kappa);
        (t.dofs(), t)
    }
    fn spectrum(&self) -> &Spectrum {
        &self.spectrum
    }
}

/// Solves for the renormalized ridge `κ = λ Π_i S_i(df¹_Σ(κ))` on the physical branch.
///
/// `factors` are the free factors (e.g. `[Wishart(P)]` for linear ridge,
/// `[Wishart(P), Wishart(N)]` for isotropic random features).
///
/// # Errors
/// [`Error::NonFinite`] for a NaN or infinite `λ`, [`Error::Empty`] for no factors,
/// [`Error::RidgeBelowMinimum`] for `λ < λ_min`, [`Error::NoConvergence`] if the iteration
/// cap is reached, [`Error::InvalidParameter`] for bad `params`.
///
/// # Examples
/// Isotropic data, `D/P = 2`: `κ` solves `κ² + (1 − q − λ)κ − λ = 0`.
/// ```
/// use detridge::{Spectrum, solver::{renormalized_ridge, SolverParams}, stransform::Wishart};
/// let s = Spectrum::isotropic(200.0, 1.0)?;
/// let p = Wishart::new(100.0)?;
/// let r = renormalized_ridge(&s, &[&p], 0.1, None, &SolverParams::default())?;
/// let (q, l) = (2.0, 0.1_f64);
/// let exact = (-(1.0 - q - l) + ((1.0 - q - l).powi(2) + 4.0 * l).sqrt()) / 2.0;
/// assert!((r.kappa - exact).abs() < 1e-13 * exact);
/// # Ok::<(), detridge::Error>(())
/// ```
pub fn renormalized_ridge(
    spectrum: &Spectrum,
    factors: &[&dyn STransform],
    lambda: f64,
    guess: Option<f64>,
    params: &SolverParams,
) -> Result<KappaReport> {
    solve(spectrum, factors, lambda, guess, params).map(|(r, ())| r)
}

/// The smallest admissible ridge `λ_min ≤ 0` for these factors (THEORY §2.1 solver spec,
/// extended to `λ < 0`): the value of `g` at its largest critical point.
///
/// # Errors
/// [`Error::NoConvergence`]; [`Error::Unsupported`] if no critical point exists for an
/// unusual combination of factors.
pub fn min_ridge(
    spectrum: &Spectrum,
    factors: &[&dyn STransform],
    params: &SolverParams,
) -> Result<f64> {
    params.validate()?;
    if spectrum.is_compressed() {
        return Err(Error::Unsupported(
            "the minimum ridge needs the exact spectrum, not a compressed one",
        ));
    }
    critical_point(spectrum, &stransform::flatten(factors), params).map(|(_, g, _)| g)
}

/// The end of the branch: `(κ_c, λ_min)` (κ_c the largest critical point of `g` below
/// κ₀, where the branch meets `λ_min`; κ₀ itself when `λ_min = 0`).
pub(crate) fn branch_end(
    spectrum: &Spectrum,
    factors: &[&dyn STransform],
    params: &SolverParams,
) -> Result<(f64, f64)> {
    params.validate()?;
    if spectrum.is_compressed() {
        return Err(Error::Unsupported(
            "the minimum ridge needs the exact spectrum, not a compressed one",
        ));
    }
    critical_point(spectrum, &stransform::flatten(factors), params).map(|(k, g, _)| (k, g))
}

/// Solves and returns the payload of the source at the root.
pub(crate) fn solve<S: Source>(
    src: &S,
    factors: &[&dyn STransform],
    lambda: f64,
    guess: Option<f64>,
    params: &SolverParams,
) -> Result<(KappaReport, S::Out)> {
    params.validate()?;
    finite("lambda", lambda)?;
    if factors.is_empty() {
        return Err(Error::Empty {
            what: "S-transform factors",
        });
    }
    // Products are solved factor by factor (the branch test needs each sign).
    let factors = &stransform::flatten(factors)[..];
    if lambda > 0.0 {
        solve_positive(src, factors, lambda, guess, params)
    } else if lambda == 0.0 {
        let (k0, iters) = kappa_zero(src.spectrum(), stransform::min_capacity(factors), params)?;
        let (_, out) = src.eval(k0);
        Ok((KappaReport::exact(k0, iters + 1), out))
    } else {
        if src.spectrum().is_compressed() {
            return Err(Error::Unsupported(
                "negative ridges need the exact spectrum, not a compressed one",
            ));
        }
        solve_negative(src, factors, lambda, params)
    }
}

/// `ln g(κ) − ln λ` and its derivative in `ln κ`; `None` below the branch: when some
/// factor is `≤ 0`, or `Df₁` is at or above its capacity (a factor whose own sign hides
/// two negative inverses multiplying to a positive one, issue #15).
fn log_residual(
    dofs: &Dofs,
    kappa: f64,
    lambda: f64,
    factors: &[&dyn STransform],
) -> Option<(f64, f64, f64)> {
    let mut log_inv = 0.0;
    let mut slope = 0.0;
    let mut floor = 1.0;
    for f in factors {
        let v = f.inverse(dofs.df1);
        if v.partial_cmp(&0.0) != Some(core::cmp::Ordering::Greater) || dofs.df1 >= f.capacity() {
            return None;
        }
        log_inv += v.ln();
        slope += -f.inverse_derivative(dofs.df1) / v;
        // Rounding floor of ln(1/S_i): ε·Df₁·|(1/S_i)′|/(1/S_i).
        floor += dofs.df1 * (f.inverse_derivative(dofs.df1) / v).abs();
    }
    let f = kappa.ln() + log_inv - lambda.ln();
    let fp = 1.0 + slope * dofs.df1_minus_df2;
    Some((f, fp, 16.0 * f64::EPSILON * floor))
}

fn solve_positive<S: Source>(
    src: &S,
    factors: &[&dyn STransform],
    lambda: f64,
    guess: Option<f64>,
    params: &SolverParams,
) -> Result<(KappaReport, S::Out)> {
    let p0 = stransform::product(factors, 0.0);
    // κ ≥ λ Π S_i(0): F ≤ 0 there (S_i non-decreasing in Df).
    let lo = (lambda / p0.inverse).ln();
    if !lo.is_finite() {
        return Err(Error::NonFinite {
            what: "lower bracket ln(λ Π S_i(0))",
            value: lo,
        });
    }
    // Cold start: the upper estimate λΠS_i(0) + Tr Σ Σ_i 1/capacity_i (an upper bound for
    // Wishart factors, where 1/S is linear), from which Newton in ln κ descends.
    let cold = {
        let caps: f64 = factors.iter().map(|f| 1.0 / f.capacity()).sum();
        let u = (lambda / p0.inverse + src.spectrum().trace() * caps).ln();
        if u.is_finite() && u > lo { u } else { lo }
    };
    // On large spectra the start is first refined on the coarse proxy (a few hundred
    // entries, a few microseconds) to 1e-6, then on the full spectrum.
    let proxy_guess = match src.spectrum().proxy() {
        Some(proxy) => {
            let coarse = SolverParams {
                rel_tol: 1e-6,
                ..*params
            };
            solve_positive(proxy, factors, lambda, guess, &coarse)
                .ok()
                .map(|(r, ())| r.kappa)
        }
        _ => None,
    };
    let mut x = match proxy_guess.or(guess) {
        Some(g) if g.is_finite() && g > 0.0 => g.ln().max(lo),
        _ => cold,
    };
    // Upwards the bracket is open until a point with F ≥ 0 is seen.
    let mut bracket = Bracket::new(lo, f64::INFINITY);
    let mut last_res = f64::NAN;
    // Far from the root (last Newton correction above `NEAR`, or a cold start) only the
    // degrees of freedom are computed; close to it the full payload, so that the pass at
    // which convergence is detected already carries it.
    const NEAR: f64 = 1e-7;
    let mut near = guess.is_some() && proxy_guess.is_none();
    for it in 1..=params.max_iter {
        let kappa = x.exp();
        let (dofs, out) = if near {
            let (d, o) = src.eval(kappa);
            (d, Some(o))
        } else {
            (src.eval_dofs(kappa), None)
        };
        let next = match log_residual(&dofs, kappa, lambda, factors) {
            None => {
                // Below κ₀: acts as F = −∞.
                bracket.update(x, true);
                bracket.next(x, f64::NAN)
            }
            Some((f, fp, floor)) => {
                if !f.is_finite() || !fp.is_finite() {
                    return Err(Error::NonFinite {
                        what: "fixed-point residual",
                        value: f,
                    });
                }
                last_res = f.abs();
                // Two Newton corrections: in ln κ on F (`step`), and in κ on g − λ, as a
                // relative change `(g − λ)/(κ g′) = (1 − e^{−F})/F′` (`rel_lin`). They
                // agree near the root, but F = ln g − ln λ is singular at κ₀ (where
                // g → 0): there F′ → ∞ makes `step` tiny however far the root is, while
                // g itself is smooth. Convergence and steps from below therefore use
                // `rel_lin` (regression: warm start at a ridgeless κ₀, issue #6).
                let step = f / fp;
                let rel_lin = -(-f).exp_m1() / fp;
                bracket.update(x, f < 0.0);
                let converged = rel_lin.abs() <= params.rel_tol + floor / fp
                    || bracket.width() <= params.rel_tol;
                if converged {
                    // How well f64 resolves κ here: the rounding floor of F over its slope
                    // (≈ 16ε/(1 − γ) for linear ridge). Beyond `RESOLVABLE` the iterate may
                    // be an artefact of rounding (e.g. a bracket corrupted where 1 − Df₁/P
                    // rounds to 0): an error, never a number.
                    if (floor / fp).is_nan() || floor / fp > RESOLVABLE {
                        return Err(unresolvable(kappa, floor / fp, it));
                    }
                    if let Some(out) = out {
                        return Ok((
                            KappaReport {
                                kappa,
                                iterations: it,
                                residual: f.abs(),
                            },
                            out,
                        ));
                    }
                    // Converged on a cheap pass: evaluate the payload here, next pass.
                    near = true;
                    continue;
                }
                near = rel_lin.abs() <= NEAR;
                let cand = if f < 0.0 {
                    x + (-rel_lin).ln_1p()
                } else {
                    x - step
                };
                bracket.next(x, cand)
            }
        };
        x = next;
    }
    Err(Error::NoConvergence {
        what: "renormalized ridge (Newton in ln κ)",
        iterations: params.max_iter,
        residual: last_res,
        last: x.exp(),
    })
}

/// `g(κ) = κ Π S_i⁻¹` and `g′(κ) = Π S_i⁻¹ − (Df₁−Df₂) (Π S_i⁻¹)′`.
fn g_and_slope(dofs: &Dofs, kappa: f64, factors: &[&dyn STransform]) -> (f64, f64) {
    let p = stransform::product(factors, dofs.df1);
    (
        kappa * p.inverse,
        p.inverse - dofs.df1_minus_df2 * p.derivative,
    )
}

/// Largest critical point `κ_c < κ₀` of `g`: returns `(κ_c, λ_min = g(κ_c), passes)`.
fn critical_point(
    spectrum: &Spectrum,
    factors: &[&dyn STransform],
    params: &SolverParams,
) -> Result<(f64, f64, usize)> {
    let mut caps: Vec<f64> = factors.iter().map(|f| f.capacity()).collect();
    caps.sort_by(f64::total_cmp);
    let rank = spectrum.rank();
    let (k0, mut passes) = kappa_zero(spectrum, caps[0], params)?;
    // Lower end: κ at the second capacity (where g′ < 0 for two factors below the rank),
    // else 0 when κ₀ > 0, else just above −s_min.
    let floor = if k0 > 0.0 {
        match caps.get(1) {
            Some(&c1) if c1 < rank => {
                let (k1, p) = kappa_zero(spectrum, c1, params)?;
                passes += p;
                k1
            }
            _ => 0.0,
        }
    } else {
        -spectrum.min_positive_eigenvalue()
    };
    if k0 > 0.0 && floor >= k0 {
        // Factors share the smallest capacity: g = κ Π S_i⁻¹ has a multiple zero at κ₀ (for
        // an odd count this ends the branch conservatively). Two: a zero of
        // even order at κ₀ (e.g. κ(1 − Df₁/N)² for two Wishart(N)), so g ≥ 0 below κ₀ and
        // the branch ends there with λ_min = 0.
        return Ok((k0, 0.0, passes));
    }
    let slope = |k: f64| g_and_slope(&spectrum.dofs(k), k, factors);
    let (_, s_top) = slope(k0);
    passes += 1;
    if s_top <= 0.0 {
        // g′(κ₀) = 0 (c = rank): the branch ends at κ₀.
        return Ok((
            k0,
            k0 * stransform::product(factors, spectrum.dofs(k0).df1).inverse,
            passes,
        ));
    }
    // Scan down from κ₀ towards the floor for the first g′ ≤ 0.
    let mut hi = k0;
    let mut lo = None;
    for j in 1..=60 {
        let k = floor + (k0 - floor) * 0.5_f64.powi(j);
        let (_, s) = slope(k);
        passes += 1;
        if s.is_nan() || s <= 0.0 {
            lo = Some(k);
            break;
        }
        hi = k;
    }
    let Some(lo) = lo else {
        return Err(Error::Unsupported(
            "negative ridge: g is increasing down to the end of its domain for these factors",
        ));
    };
    // Bisection on the sign of g′ (g′(lo) ≤ 0 < g′(hi)).
    let scale = k0.abs().max(spectrum.min_positive_eigenvalue());
    let (_, hi, evals) = bisect(
        |k| slope(k).1 > 0.0,
        lo,
        hi,
        params.rel_tol * scale,
        params.max_iter,
        "critical point of the fixed-point map (minimum ridge)",
    )?;
    let (g, _) = slope(hi);
    Ok((hi, g, passes + evals + 1))
}

fn solve_negative<S: Source>(
    src: &S,
    factors: &[&dyn STransform],
    lambda: f64,
    params: &SolverParams,
) -> Result<(KappaReport, S::Out)> {
    let spectrum = src.spectrum();
    let (kc, lambda_min, mut passes) = critical_point(spectrum, factors, params)?;
    if lambda < lambda_min {
        return Err(Error::RidgeBelowMinimum { lambda, lambda_min });
    }
    let (k0, p0) = kappa_zero(spectrum, stransform::min_capacity(factors), params)?;
    passes += p0;
    // g increases from λ_min at κ_c to 0 at κ₀: safeguarded Newton on g(κ) − λ in κ.
    // Convergence is relative to κ (the root may be as small as λ/(1 − rank/P), e.g.
    // −2e-100 at λ = −1e-100, far below the bracket's width).
    let mut bracket = Bracket::new(kc, k0);
    // Start from the linearisation at κ₀ when it lies in the bracket (the root for
    // |λ| ≪ |λ_min|), else the midpoint.
    let (d0, _) = src.eval(k0);
    passes += 1;
    let (_, gp0) = g_and_slope(&d0, k0, factors);
    let lin = k0 + lambda / gp0;
    let mut x = if lin.is_finite() && lin > kc && lin < k0 {
        lin
    } else {
        0.5 * (kc + k0)
    };
    let mut last = f64::NAN;
    for _ in 0..params.max_iter {
        let (dofs, out) = src.eval(x);
        passes += 1;
        let (g, gp) = g_and_slope(&dofs, x, factors);
        let h = g - lambda;
        last = h.abs();
        let step = h / gp;
        // Rounding floor of κ: that of g over its slope.
        let floor = 16.0 * f64::EPSILON * (lambda.abs() + dofs.df1.abs() * x.abs()) / gp.abs();
        let converged = (step.is_finite() && step.abs() <= params.rel_tol * x.abs() + floor)
            || bracket.width() <= params.rel_tol * bracket.lo.abs().min(bracket.hi.abs());
        if converged {
            // Resolvability near λ_min: g′ vanishes linearly at κ_c, so the relative
            // uncertainty of g′ (∝ 1 − γ, the amplification of every error) is the
            // uncertainty of κ over the distance to κ_c. Beyond `RESOLVABLE`, an error.
            let u = floor / (x - kc).abs();
            if gp.is_nan() || gp <= 0.0 || u.is_nan() || u > RESOLVABLE {
                return Err(unresolvable(x, u, passes));
            }
            return Ok((
                KappaReport {
                    kappa: x,
                    iterations: passes,
                    residual: h.abs(),
                },
                out,
            ));
        }
        // Within the bracket, so `update` sets the end (as `lo = x` / `hi = x`).
        bracket.update(x, h < 0.0);
        x = bracket.next(x, x - step);
    }
    Err(Error::NoConvergence {
        what: "renormalized ridge at negative λ",
        iterations: params.max_iter,
        residual: last,
        last: x,
    })
}
