//! Training dynamics at finite `P`: full-batch gradient flow and gradient descent
//! (THEORY §13) and one-pass SGD (THEORY §14).
//!
//! # Gradient flow and gradient descent (THEORY §13)
//! Full-batch gradient flow on `L(w) = |y − Xw|²/(2P) + (λ/2)|w|²` from `w(0) = 0` gives
//! `w(t) = g_t(Σ̂)Xᵀy/P` with `g_t(x) = (1 − e^{−t(x+λ)})/(x+λ)`; `t = ∞` is ridge
//! regression (THEORY §3) and `λ = 0, t = ∞` the minimum-norm fit. Gradient descent with
//! step `η` and `k` steps replaces `e^{−t(x+λ)}` by `(1 − η(x+λ))^k`. With
//! `h_t(x) = 1 − x g_t(x)`:
//!
//! * `E_g(t) = w̄ᵀh_t(Σ̂)Σh_t(Σ̂)w̄ + (σ²/P)tr[Σg_t(Σ̂)Σ̂g_t(Σ̂)]` (signal part + noise part,
//!   fields `test_signal`, `test_noise`; no test-label noise, as everywhere in the crate);
//! * `E_tr(t) = |(I − Xg_t(Σ̂)Xᵀ/P)y|²/P` (`train_signal + train_noise`).
//!
//! Each is a contour integral of deterministic equivalents at complex ridge; the route, the
//! contour, the branch choice for `κ` at complex ridge and the quadrature are documented in
//! the `gradient_flow` source module. Cost: one complex `κ` solve per contour node
//! (≈ 900–1200 nodes, about two passes over the stored spectrum each, continued node to
//! node; plus ≈ 50 real passes for the spectral edge), then `O(nodes²)` closed forms for
//! the two-point kernel; every further time on a curve costs `O(nodes²)` flops and no
//! pass over the spectrum ([`Task::gradient_flow_curve`]).
//!
//! # Linear random features (THEORY §13, "Linear random features")
//! The readout of `f(x) = xᵀFv` (the model of [`Task::random_features`]) trained by gradient
//! flow or descent: [`Task::random_features_gradient_flow`] (and `_curve`,
//! [`Task::random_features_gradient_descent`], `_curve`,
//! [`Task::random_features_gradient_descent_max_step`]). The same contour integrals in
//! feature space, with `κ₂` of the product fixed point at each node and the width-limited
//! residual as extra label noise; `t = ∞` is [`Task::random_features`] and `N = ∞` the
//! linear flow.
//!
//! Power laws with `D = ∞` (or `D > 10⁵`) are summed exactly: an explicit head plus the
//! convergent large-`k` series of each trace with Euler–Maclaurin power sums, valid at
//! complex `κ` (no truncation proxy).
//!
//! ```
//! use detridge::Task;
//! let task = Task::isotropic(200.0, 1.0, 0.25)?;
//! let g = task.gradient_flow(400.0, 1e-2, 5.0)?;   // P = 400, λ = 0.01, t = 5
//! assert!(g.test_error < task.signal_variance());    // learning has happened
//! let r = task.ridge(400.0, 1e-2)?;
//! let inf = task.gradient_flow(400.0, 1e-2, f64::INFINITY)?;
//! assert!((inf.test_error - r.test_error).abs() < 1e-12);
//! # Ok::<(), detridge::Error>(())
//! ```

mod gradient_flow;
mod random_features;
pub mod sgd;
mod width;

pub use sgd::{SgdOptimum, SgdParams, SgdTheory};

use gradient_flow::{Contour, Schedule, spectral_view};
use width::Width;

use crate::error::{Error, Result, non_negative, non_negative_or_infinite, size};
use crate::spectrum::Task;

/// Gradient flow or gradient descent theory at one time (THEORY §13).
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct GradientFlowTheory {
    /// Sample size `P`.
    pub p: f64,
    /// Feature width `N` for linear random features (THEORY §13, "Linear random
    /// features"); `None` for linear ridge.
    pub features: Option<f64>,
    /// Explicit ridge `λ ≥ 0`.
    pub lambda: f64,
    /// Training time `t` (gradient descent: `η·k`); may be `∞`.
    pub time: f64,
    /// Step size `η` (gradient descent only).
    pub step_size: Option<f64>,
    /// Number of steps `k` (gradient descent only).
    pub steps: Option<u64>,
    /// `E_g(t) = test_signal + test_noise` (no test-label noise).
    pub test_error: f64,
    /// `E_tr(t) = train_signal + train_noise`.
    pub train_error: f64,
    /// Signal part of `E_g`: `w̄ᵀh(Σ̂)Σh(Σ̂)w̄` (bias² + data variance at `t = ∞`).
    pub test_signal: f64,
    /// Noise part of `E_g`: `(σ²/P)tr[Σg(Σ̂)Σ̂g(Σ̂)]`.
    pub test_noise: f64,
    /// Signal part of `E_tr`: `w̄ᵀΣ̂h(Σ̂)²w̄`.
    pub train_signal: f64,
    /// Noise part of `E_tr`: `(σ²/P)tr h(G)²`.
    pub train_noise: f64,
    /// Estimated absolute quadrature error (difference to the half-resolution rule;
    /// `0` for the closed forms at `t ∈ {0, ∞}`).
    pub quadrature_error: f64,
    /// Contour nodes (upper arc) used; `0` for closed forms.
    pub nodes: usize,
    /// Passes over the spectrum spent (complex `κ` solves).
    pub passes: usize,
}

/// Largest trapezoid/continuation ratio `a = 1/(2 t_max)` kept (`t` below `1e-6`).
const A_MAX: f64 = 5e5;

fn check_eta(eta: f64) -> Result<f64> {
    crate::error::positive("eta", eta)
}

impl GradientFlowTheory {
    fn closed(task: &Task, w: &Width, lambda: f64, time: f64) -> Result<Self> {
        let noise = task.noise_variance();
        let (ts, tn, rs, rn) = if time == 0.0 {
            let sv = task.signal_variance();
            (sv, 0.0, sv, noise)
        } else if w.n.is_infinite() {
            let r = task.ridge(w.p, lambda)?;
            // E_tr noise part at ridge: (λ/κ)²σ²/(1−γ) = σ²/(S²(1−γ)) (THEORY §3.2).
            let rn = if r.s_transform.is_finite() {
                noise / (r.s_transform * r.s_transform * (1.0 - r.gamma))
            } else {
                0.0
            };
            (r.bias2 + r.var_data, r.var_noise, r.train_error - rn, rn)
        } else {
            let r = task.random_features(w.p, w.n, lambda)?;
            // E_tr = (λ/κ₁)²(E_g + σ²) = S_X⁻²(E_g + σ²) (THEORY §4.3); its σ² part is
            // S_X⁻²(Var_noise + σ²).
            let rn = if r.s_transform.is_finite() {
                (r.var_noise + noise) / (r.s_transform * r.s_transform)
            } else {
                0.0
            };
            (
                r.test_error - r.var_noise,
                r.var_noise,
                r.train_error - rn,
                rn,
            )
        };
        Ok(Self {
            p: w.p,
            features: w.n.is_finite().then_some(w.n),
            lambda,
            time,
            step_size: None,
            steps: None,
            test_error: ts + tn,
            train_error: rs + rn,
            test_signal: ts,
            test_noise: tn,
            train_signal: rs,
            train_noise: rn,
            quadrature_error: 0.0,
            nodes: 0,
            passes: 0,
        })
    }
}

/// `κ₂` at real ridge `λ` (linear ridge: `κ`); `0` where the ridgeless fit diverges.
fn real_kappa(task: &Task, w: &Width, lambda: f64) -> Result<f64> {
    let r = if w.n.is_infinite() {
        task.ridge(w.p, lambda).map(|r| r.kappa)
    } else {
        task.random_features(w.p, w.n, lambda).map(|r| r.kappa)
    };
    match r {
        Err(Error::Divergent { .. }) if lambda == 0.0 => Ok(0.0),
        r => r,
    }
}

/// The [`Width`] of linear ridge (`n = ∞`) or of random features of width `n`, with the
/// width-limited residual `q₀ = ε_res`: the ridgeless error at `P = ∞` (THEORY §13, "Linear
/// random features").
fn width(task: &Task, p: f64, n: f64) -> Result<Width> {
    let p = size("p", p, false)?;
    let n = size("n", n, true)?;
    if n.is_infinite() {
        return Ok(Width::ridge(p));
    }
    let q0 = if n >= task.spectrum.rank() {
        0.0
    } else {
        task.random_features(f64::INFINITY, n, 0.0)?.test_error
    };
    Ok(Width { p, n, q0 })
}

/// Builds the contour for times up to `t_max` (or descent with step `eta`).
fn contour(task: &Task, w: &Width, lambda: f64, t_max: f64, eta: Option<f64>) -> Result<Contour> {
    let a = (0.5 / t_max).min(A_MAX);
    let kappa0 = real_kappa(task, w, 0.0)?;
    let kappa_a = real_kappa(task, w, a)?;
    let view = spectral_view(task, 0.5 * kappa0.max(0.3 * a))?;
    let edge = view.upper_edge(w)?;
    let mut r = 1.5 * edge;
    if let Some(eta) = eta {
        let bound = 2.0 / eta - lambda;
        if bound <= edge {
            return Err(Error::InvalidParameter {
                name: "eta",
                value: eta,
                reason: "gradient descent diverges: the step must satisfy η(x₊ + λ) < 2 with \
                         x₊ the upper edge of the sample spectrum (THEORY §13); \
                         Task::gradient_descent_max_step (random features: \
                         Task::random_features_gradient_descent_max_step) gives the bound",
            });
        }
        r = r.min(bound);
    }
    Contour::new(&view, w, a, r, kappa_a)
}

fn from_parts(
    task: &Task,
    w: &Width,
    lambda: f64,
    time: f64,
    c: &Contour,
    sched: Schedule,
) -> Result<GradientFlowTheory> {
    let parts = c.evaluate(lambda, sched);
    let [bias, u_test, train_bias, u_train] = parts.value;
    let noise = task.noise_variance();
    // Feature space: the residual ε_res = q₀ acts as extra label noise and is also
    // irreducible test error (THEORY §13, "Linear random features").
    let eff = noise + w.q0;
    let test_signal = bias + w.q0 * u_test + w.q0;
    let test_noise = noise * u_test;
    let train_signal = train_bias + w.q0 * u_train;
    let train_noise = noise * u_train;
    let d = parts.diff;
    let quadrature_error = (d[0] + eff * d[1]).max(d[2] + eff * d[3]);
    crate::error::finite("gradient-flow quadrature error", quadrature_error)?;
    // Every part is a non-negative quantity. An exponentially small part (E_tr at large t
    // below the interpolation threshold) can come out as a rounding-level negative number:
    // within the quadrature error it is zero; beyond it the integral was not resolved.
    let floor = quadrature_error + 4.0 * f64::EPSILON * (task.signal_variance() + noise);
    let clamp = |v: f64| -> Result<f64> {
        crate::error::finite("gradient-flow error", v)?;
        if v >= 0.0 {
            Ok(v)
        } else if -v <= floor {
            Ok(0.0)
        } else {
            Err(Error::NoConvergence {
                what: "gradient-flow contour quadrature (negative error)",
                iterations: c.len(),
                residual: quadrature_error,
                last: v,
            })
        }
    };
    let (test_signal, test_noise) = (clamp(test_signal)?, clamp(test_noise)?);
    let (train_signal, train_noise) = (clamp(train_signal)?, clamp(train_noise)?);
    let test = test_signal + test_noise;
    let train = train_signal + train_noise;
    // The trapezoid rule converges geometrically; a large half-step difference means the
    // integrand was not resolved.
    if quadrature_error > 1e-5 * (test.abs() + train.abs() + task.signal_variance()) {
        return Err(Error::NoConvergence {
            what: "gradient-flow contour quadrature",
            iterations: c.len(),
            residual: quadrature_error,
            last: test,
        });
    }
    Ok(GradientFlowTheory {
        p: w.p,
        features: w.n.is_finite().then_some(w.n),
        lambda,
        time,
        step_size: None,
        steps: None,
        test_error: test,
        train_error: train,
        test_signal,
        test_noise,
        train_signal,
        train_noise,
        quadrature_error,
        nodes: c.len(),
        passes: c.passes,
    })
}

/// Gradient flow at many times for a [`Width`] (one contour for all finite `t > 0`).
fn flow_curve(
    task: &Task,
    w: &Width,
    lambda: f64,
    times: &[f64],
) -> Result<Vec<GradientFlowTheory>> {
    non_negative("lambda", lambda)?;
    if times.is_empty() {
        return Err(Error::Empty { what: "times" });
    }
    let mut t_max: f64 = 0.0;
    for &t in times {
        non_negative_or_infinite("time", t)?;
        if t.is_finite() {
            t_max = t_max.max(t);
        }
    }
    let c = if times.iter().any(|&t| t > 0.0 && t.is_finite()) {
        Some(contour(task, w, lambda, t_max, None)?)
    } else {
        None
    };
    times
        .iter()
        .map(|&t| match &c {
            Some(c) if t > 0.0 && t.is_finite() => {
                from_parts(task, w, lambda, t, c, Schedule::Flow(t))
            }
            _ => GradientFlowTheory::closed(task, w, lambda, t),
        })
        .collect()
}

/// Gradient descent at many step counts for a [`Width`] (one contour).
fn descent_curve(
    task: &Task,
    w: &Width,
    lambda: f64,
    eta: f64,
    steps: &[u64],
) -> Result<Vec<GradientFlowTheory>> {
    non_negative("lambda", lambda)?;
    let eta = check_eta(eta)?;
    if steps.is_empty() {
        return Err(Error::Empty { what: "steps" });
    }
    let k_max = steps.iter().copied().max().unwrap_or(0);
    let c = if k_max > 0 {
        Some(contour(task, w, lambda, eta * k_max as f64, Some(eta))?)
    } else {
        None
    };
    steps
        .iter()
        .map(|&k| {
            let mut r = match &c {
                Some(c) if k > 0 => from_parts(
                    task,
                    w,
                    lambda,
                    eta * k as f64,
                    c,
                    Schedule::Descent {
                        eta,
                        steps: k as f64,
                    },
                )?,
                _ => GradientFlowTheory::closed(task, w, lambda, 0.0)?,
            };
            r.step_size = Some(eta);
            r.steps = Some(k);
            Ok(r)
        })
        .collect()
}

/// `η_max = 2/(x₊ + λ)` for a [`Width`].
fn max_step(task: &Task, w: &Width, lambda: f64) -> Result<f64> {
    non_negative("lambda", lambda)?;
    let view = spectral_view(task, f64::INFINITY)?;
    Ok(2.0 / (view.upper_edge(w)? + lambda))
}

impl Task {
    /// Full-batch gradient flow from `w(0) = 0` at sample size `p`, ridge `λ ≥ 0` and time
    /// `t ≥ 0` (THEORY §13); `t = f64::INFINITY` is [`Task::ridge`] exactly (at `λ = 0` the
    /// minimum-norm fit), `t = 0` gives `E_g = w̄ᵀΣw̄` and `E_tr = w̄ᵀΣw̄ + σ²`.
    ///
    /// Cost: one contour (a few hundred complex `κ` solves); use
    /// [`Task::gradient_flow_curve`] for many times (one contour for all).
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] / [`Error::NonFinite`] for bad `p`, `λ < 0`, `t < 0` or
    /// NaN; [`Error::Divergent`] at `t = ∞`, `λ = 0`, `P = rank Σ`, `σ² > 0`;
    /// [`Error::NoConvergence`] if a complex `κ` solve or the quadrature fails;
    /// [`Error::Unsupported`] for compressed tasks, or power laws whose head would exceed
    /// four million terms.
    ///
    /// # Examples
    /// Early in training the error falls from the signal variance:
    /// ```
    /// use detridge::Task;
    /// let task = Task::power_law(1.5, 0.5, Some(400), 0.0)?;
    /// let a = task.gradient_flow(200.0, 0.0, 1.0)?;
    /// let b = task.gradient_flow(200.0, 0.0, 100.0)?;
    /// assert!(b.test_error < a.test_error && a.test_error < 1.0);
    /// # Ok::<(), detridge::Error>(())
    /// ```
    pub fn gradient_flow(&self, p: f64, lambda: f64, t: f64) -> Result<GradientFlowTheory> {
        Ok(self.gradient_flow_curve(p, lambda, &[t])?.remove(0))
    }

    /// [`Task::gradient_flow`] at many times from **one** contour (all finite `t > 0`
    /// share the nodes; each extra time costs closed forms only).
    ///
    /// # Errors
    /// As [`Task::gradient_flow`]; [`Error::Empty`] for no times.
    ///
    /// # Examples
    /// ```
    /// use detridge::Task;
    /// let task = Task::isotropic(300.0, 1.0, 0.0)?;
    /// let c = task.gradient_flow_curve(600.0, 0.0, &[0.1, 1.0, 10.0])?;
    /// assert!(c[0].test_error > c[1].test_error && c[1].test_error > c[2].test_error);
    /// # Ok::<(), detridge::Error>(())
    /// ```
    pub fn gradient_flow_curve(
        &self,
        p: f64,
        lambda: f64,
        times: &[f64],
    ) -> Result<Vec<GradientFlowTheory>> {
        flow_curve(self, &width(self, p, f64::INFINITY)?, lambda, times)
    }

    /// Full-batch gradient descent: `k` steps of size `η` from `w(0) = 0`,
    /// `w ← w − η[Xᵀ(Xw − y)/P + λw]` (THEORY §13); `k = 0` is `w = 0`.
    ///
    /// # Errors
    /// As [`Task::gradient_flow`]; [`Error::InvalidParameter`] for `η ≤ 0` or for a step
    /// beyond the stability bound `η < 2/(x₊ + λ)` ([`Task::gradient_descent_max_step`]).
    ///
    /// # Examples
    /// Small steps follow the flow at `t = ηk`:
    /// ```
    /// use detridge::Task;
    /// let task = Task::isotropic(200.0, 1.0, 0.0)?;
    /// let gd = task.gradient_descent(400.0, 0.0, 0.01, 300)?;
    /// let gf = task.gradient_flow(400.0, 0.0, 3.0)?;
    /// assert!((gd.test_error - gf.test_error).abs() < 0.02 * gf.test_error);
    /// # Ok::<(), detridge::Error>(())
    /// ```
    pub fn gradient_descent(
        &self,
        p: f64,
        lambda: f64,
        eta: f64,
        steps: u64,
    ) -> Result<GradientFlowTheory> {
        Ok(self
            .gradient_descent_curve(p, lambda, eta, &[steps])?
            .remove(0))
    }

    /// [`Task::gradient_descent`] at many step counts from one contour.
    ///
    /// # Errors
    /// As [`Task::gradient_descent`]; [`Error::Empty`] for no step counts.
    pub fn gradient_descent_curve(
        &self,
        p: f64,
        lambda: f64,
        eta: f64,
        steps: &[u64],
    ) -> Result<Vec<GradientFlowTheory>> {
        descent_curve(self, &width(self, p, f64::INFINITY)?, lambda, eta, steps)
    }

    /// The stability bound of full-batch gradient descent at sample size `p` and ridge
    /// `λ`: `η_max = 2/(x₊ + λ)`, with `x₊` the upper edge of the deterministic-equivalent
    /// spectrum of `Σ̂` (THEORY §13; `x₊` solves `Df₂(κ) = P` for `κ < −s_max`, then
    /// `x₊ = −κ(1 − Df₁(κ)/P)`). Descent converges iff every eigenvalue `μ` of `Σ̂`
    /// has `|1 − η(μ + λ)| < 1`, i.e. `η < 2/(μ_max + λ)`. A finite sample's top eigenvalue
    /// exceeds `x₊` by `O(P^{−2/3})` (Tracy–Widom), so stay a little below the bound.
    ///
    /// # Errors
    /// As [`Task::gradient_flow`].
    ///
    /// # Examples
    /// Isotropic `Σ = I`: `x₊ = (1 + √(D/P))²` (Marchenko–Pastur).
    /// ```
    /// use detridge::Task;
    /// let task = Task::isotropic(100.0, 1.0, 0.0)?;
    /// let eta = task.gradient_descent_max_step(400.0, 0.0)?;
    /// assert!((eta - 2.0 / 2.25).abs() < 1e-9);
    /// # Ok::<(), detridge::Error>(())
    /// ```
    pub fn gradient_descent_max_step(&self, p: f64, lambda: f64) -> Result<f64> {
        max_step(self, &width(self, p, f64::INFINITY)?, lambda)
    }
}
