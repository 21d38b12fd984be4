//! Gradient flow and gradient descent at finite `P` (THEORY §13): the engine.
//!
//! # Route
//! Every error is a spectral function of `Σ̂` (or of the Gram matrix `G = XXᵀ/P`) written as
//! a resolvent contour integral `f(Σ̂) = (1/2πi)∮_Γ f(z)(z − Σ̂)⁻¹ dz`, `λ_z = −z`, and each
//! resolvent product is replaced by its deterministic equivalent at the complex ridge `λ_z`
//! (THEORY §13, §2.1, §2.4). With `κ_i = κ(λ_i)`, `p_i = κ_i/λ_i`, `τ_i = tf₁(κ_i)`:
//!
//! * two-point law (bias): `w̄ᵀ(Σ̂+λ₁)⁻¹Σ(Σ̂+λ₂)⁻¹w̄ ≃ κ₁κ₂B₁₂/(λ₁λ₂(1−γ₁₂))`. Partial
//!   fractions give `B₁₂ = (τ₁ − τ₂)/(κ₂ − κ₁)` and, through the fixed point
//!   `κDf₁(κ)/P = κ − λ`, `1 − γ₁₂ = (λ₁ − λ₂)/(κ₁ − κ₂)`, so the kernel is
//!   `T₁₂ = −p₁p₂(τ₁ − τ₂)/(λ₁ − λ₂)` (diagonal: `−p²tf₁′(κ)κ′(λ)`, `κ′ = 1/(1 − Df₂/P)`):
//!   only **one-point** data per contour node;
//! * noise (variance) term: `tr[ΣR₁Σ̂R₂] ≃ P[(κ₁−κ₂)/(λ₁−λ₂) − 1]` (resolvent identity,
//!   THEORY §13); a divided difference of `κ`, so the double integral collapses to
//!   `(σ²/P)tr[Σg(Σ̂)Σ̂g(Σ̂)] = σ²(1/2πi)∮ g(z)²κ(−z) dz` (for entire `g`);
//! * training error: `E_tr = w̄ᵀΣ̂h(Σ̂)²w̄ + (σ²/P)tr h(G)²` with `w̄ᵀΣ̂(Σ̂+λ)⁻¹w̄ ≃ tf₁(κ)`
//!   and `(1/P)tr(G+λ)⁻¹ ≃ 1/κ` (THEORY §3.2): single contour integrals.
//!
//! `h_t(x) = 1 − x g_t(x)` and `g_t(x) = (1 − e^{−t(x+λ)})/(x+λ)` (flow) or
//! `(1 − (1 − η(x+λ))^k)/(x+λ)` (descent) are entire, so `Γ` is any closed curve around the
//! spectrum of `Σ̂` (zero included).
//!
//! # Contour and quadrature
//! `Γ` is the circle-arc lens through `v = −a` and `R`: `z(u) = (v + R e^{u+iφ})/(1 + e^{u+iφ})`,
//! `u ∈ ℝ`, `φ = π/4` (upper arc; the lower one by conjugation). The map sends the lens to a
//! strip in which the spectrum `[0, x₊] ⊂ (v, R)` sits on `Im w = 0`, so the trapezoid rule
//! in `u` converges geometrically with rate `e^{−2π(π/4)/Δu}` **independently of how close
//! `v` is to the spectrum**. `a = 1/(2t_max)` keeps `|e^{−tz}| ≤ e^{1/2}` on and inside the
//! lens (no cancellation at large `t`); `R = 1.5·x₊` with `x₊` the upper edge of the
//! deterministic-equivalent spectrum of `Σ̂` (root of `Df₂(κ) = P` below `−s_max`). For
//! descent `R ≤ 2/η − λ` keeps the lens inside the disc where `|1 − η(z+λ)| ≤ 1`; that is
//! possible iff `η(x₊ + λ) < 2` (the stability bound). Nodes are spaced `Δu = 0.1`; the
//! result on every other node (`Δu = 0.2`) gives the reported quadrature-error estimate.
//!
//! # κ at complex ridge and the branch
//! At each node `κ` solves `κ(1 − Df₁(κ)/P) = λ_z` by Newton on the complex equation
//! (`F′ = 1 − Df₂/P`, backtracking on `|F|`, capped), continued node by node from the real
//! solution at `z = v` (`λ = a > 0`, the physical real root). The physical branch has
//! `Im κ · Im λ ≥ 0` (because `1/κ = (1/P)tr(G+λ)⁻¹` is a Stieltjes-type function of `λ`);
//! it is checked at every node, and at `z → R` (outside the spectrum) `κ` must be real and
//! below `−s_max`.
//!
//! # Spectra
//! Discrete spectra are summed exactly (one pass over the stored entries per Newton step).
//! Analytic power laws (`D = ∞` or `D > 10⁵`) use an exact head `k ≤ K` plus the tail
//! `k > K` as the convergent series `s/(s+κ) = Σ_j (−1)^{j−1}(s/κ)^j` with Hurwitz power sums
//! by Euler–Maclaurin; `K` is chosen so that `s_{K+1} ≤ |κ|/50` along the contour (checked
//! per node: `≤ |κ|/10`), so the series error is below `1e−16` — not an approximation
//! beyond rounding.

use num_complex::Complex64 as C;

use super::width::Width;
use crate::error::{Error, Result};
use crate::spectrum::{Model, Task};

/// Tail terms of the power-law series.
const TAIL_TERMS: usize = 18;
/// `s_{K+1}/|κ|` targeted when choosing `K`.
const TAIL_RATIO: f64 = 0.02;
/// `s_{K+1}/|κ|` accepted at any node.
const TAIL_RATIO_MAX: f64 = 0.1;
/// Largest explicit head for analytic power laws.
const MAX_HEAD: usize = 4_000_000;
/// Newton iteration cap per node.
const NEWTON_MAX: usize = 100;
/// Lens half-angle.
const PHI: f64 = std::f64::consts::FRAC_PI_4;
/// Trapezoid step (fine grid).
const DU: f64 = 0.1;

/// Euler–Maclaurin `Σ_{k=n}^{∞} k^{−p}` (`p > 1`, `n ≥ 500`).
fn zeta_tail(p: f64, n: f64) -> f64 {
    let np = n.powf(-p);
    n * np / (p - 1.0) + 0.5 * np + p * np / (12.0 * n)
        - p * (p + 1.0) * (p + 2.0) * np / (720.0 * n.powi(3))
        + p * (p + 1.0) * (p + 2.0) * (p + 3.0) * (p + 4.0) * np / (30_240.0 * n.powi(5))
}

/// Power-law tail `k ≥ k0` (to `D` or `∞`) as series coefficients.
#[derive(Debug, Clone)]
pub(crate) struct PowerTail {
    /// `s_{k0}` (largest tail eigenvalue).
    s_first: f64,
    /// First tail index `k0`.
    pub(crate) k0: f64,
    /// `D` (`∞` allowed).
    pub(crate) dim: f64,
    /// `α`.
    pub(crate) alpha: f64,
    /// `b`: `s_k w̄_k² = c k^{−b}`.
    pub(crate) b: f64,
    /// `c`.
    pub(crate) c: f64,
    /// `Z(jα)`, `j = 0..=TAIL_TERMS` (index 0 unused).
    zs: Vec<f64>,
    /// `Z(b + jα)`, `j = 0..=TAIL_TERMS`.
    zt: Vec<f64>,
}

/// The spectrum as this module reads it: explicit entries plus an optional power-law tail.
#[derive(Debug, Clone)]
pub(crate) struct SpectralView {
    pub(crate) s: Vec<f64>,
    pub(crate) m: Vec<f64>,
    /// Total target power of each entry.
    pub(crate) w2: Vec<f64>,
    pub(crate) tail: Option<PowerTail>,
    pub(crate) s_max: f64,
}

/// The complex traces at one `κ`.
#[derive(Debug, Clone, Copy)]
pub(crate) struct CTraces {
    pub(crate) df1: C,
    pub(crate) df2: C,
    pub(crate) tf1: C,
    pub(crate) tf1p: C,
}

/// **The one access to the task's internal representation** (eigenvalues, multiplicities,
/// target powers; power-law parameters). `kappa_floor` is a lower bound for `|κ|` along the
/// contour; it sets the head length of analytic power laws.
pub(crate) fn spectral_view(task: &Task, kappa_floor: f64) -> Result<SpectralView> {
    view_with_head(task, |alpha| {
        if kappa_floor > 0.0 {
            (1.0 / (TAIL_RATIO * kappa_floor)).powf(1.0 / alpha).ceil()
        } else {
            f64::INFINITY
        }
    })
}

/// [`spectral_view`] with the head length of analytic power laws given as a function of `α`.
pub(crate) fn view_with_head(task: &Task, head_len: impl Fn(f64) -> f64) -> Result<SpectralView> {
    match &task.model {
        Model::Discrete { d, w2, .. } => {
            if d.compressed {
                return Err(Error::Unsupported(
                    "training dynamics need the exact spectrum (complex ridges), not a \
                     compressed task",
                ));
            }
            let m = (0..d.values.len()).map(|i| d.multiplicity(i)).collect();
            Ok(SpectralView {
                s: d.values.clone(),
                m,
                w2: w2.clone(),
                tail: None,
                s_max: d.max,
            })
        }
        Model::PowerLaw { p: pl, r } => {
            let alpha = pl.alpha();
            // Target s_k w̄_k² = c k^{−b}, b = 1 + 2αr, normalised to w̄ᵀΣw̄ = 1 (THEORY §7.1).
            let b = 1.0 + 2.0 * alpha * r;
            let dim = pl.dimension();
            let k = head_len(alpha).max(1000.0);
            let (head, tail) = if k >= dim {
                if dim > MAX_HEAD as f64 {
                    return Err(Error::Unsupported(
                        "power law too large to expand for the dynamics at this P",
                    ));
                }
                (dim as usize, false)
            } else {
                if k > MAX_HEAD as f64 {
                    return Err(Error::Unsupported(
                        "power-law head too long for the dynamics at this P (κ too small)",
                    ));
                }
                (k as usize, true)
            };
            let n0 = head as f64 + 1.0;
            let ztail = |p: f64| {
                let mut v = zeta_tail(p, n0);
                if dim.is_finite() {
                    v -= zeta_tail(p, dim + 1.0);
                }
                v
            };
            // Normalisation: smallest terms first.
            let head_sum: f64 = (1..=head).rev().map(|k| (k as f64).powf(-b)).sum();
            let c = 1.0 / (head_sum + if tail { ztail(b) } else { 0.0 });
            let mut s = Vec::with_capacity(head);
            let mut w2 = Vec::with_capacity(head);
            for kk in 1..=head {
                let kf = kk as f64;
                let sk = kf.powf(-alpha);
                s.push(sk);
                w2.push(c * kf.powf(-b) / sk);
            }
            let tail = tail.then(|| {
                let z = ztail;
                PowerTail {
                    s_first: n0.powf(-alpha),
                    k0: n0,
                    dim,
                    alpha,
                    b,
                    c,
                    zs: (0..=TAIL_TERMS)
                        .map(|j| if j == 0 { 0.0 } else { z(j as f64 * alpha) })
                        .collect(),
                    zt: (0..=TAIL_TERMS).map(|j| z(b + j as f64 * alpha)).collect(),
                }
            });
            Ok(SpectralView {
                m: vec![1.0; s.len()],
                s,
                w2,
                tail,
                s_max: 1.0,
            })
        }
    }
}

impl SpectralView {
    /// `Df₁, Df₂, tf₁, tf₁′` at complex `κ` in one pass.
    pub(crate) fn traces(&self, kappa: C) -> Result<CTraces> {
        let (mut df1, mut df2, mut tf1, mut tf1p) =
            (C::default(), C::default(), C::default(), C::default());
        for ((&s, &m), &w2) in self.s.iter().zip(&self.m).zip(&self.w2) {
            let d = (kappa + s).inv();
            let u = d * s;
            df1 += u * m;
            df2 += u * u * m;
            tf1 += u * w2;
            tf1p -= d * d * (w2 * s);
        }
        if let Some(t) = &self.tail {
            let x = kappa.inv();
            if t.s_first * x.norm() > TAIL_RATIO_MAX {
                return Err(Error::NoConvergence {
                    what: "power-law tail series at complex ridge (|κ| too small for the head)",
                    iterations: 0,
                    residual: t.s_first * x.norm(),
                    last: kappa.norm(),
                });
            }
            let mut xp = C::new(1.0, 0.0);
            for j in 0..=TAIL_TERMS {
                let sign = if j % 2 == 0 { 1.0 } else { -1.0 };
                let jf = j as f64;
                // 1/(s+κ)² series term x^{j+2}: −c Σ (−1)^j (j+1) κ^{−2−j} Z(b+jα).
                tf1p -= xp * x * x * (t.c * sign * (jf + 1.0) * t.zt[j]);
                // w̄²s/(s+κ) = c k^{−b} κ^{−1}/(1 + s/κ): c Σ (−1)^j κ^{−1−j} Z(b+jα).
                tf1 += xp * x * (t.c * sign * t.zt[j]);
                if j >= 1 {
                    df1 -= xp * (sign * t.zs[j]);
                }
                if j >= 2 {
                    df2 += xp * (sign * (jf - 1.0) * t.zs[j]);
                }
                xp *= x;
            }
        }
        for v in [df1, df2, tf1, tf1p] {
            if !(v.re.is_finite() && v.im.is_finite()) {
                return Err(Error::NonFinite {
                    what: "trace at complex ridge",
                    value: v.norm(),
                });
            }
        }
        Ok(CTraces {
            df1,
            df2,
            tf1,
            tf1p,
        })
    }

    /// Solves `λ(κ₂) = λ` at complex `λ` by backtracking Newton from `guess`, with
    /// `λ(κ₂) = κ₂(1 − Df₁/N)(1 − Df₁/P)` ([`Width`]; `N = ∞` is linear ridge).
    /// Returns `κ₂`, its traces and the number of passes.
    pub(crate) fn solve(&self, w: &Width, lambda: C, guess: C) -> Result<(C, CTraces, usize)> {
        let f_of = |k: C, t: &CTraces| w.lambda_of(k, t) - lambda;
        let mut k = guess;
        let mut tr = self.traces(k)?;
        let mut passes = 1;
        let mut f = f_of(k, &tr);
        for it in 0..NEWTON_MAX {
            let scale = lambda.norm()
                + k.norm() * (1.0 + (tr.df1 / w.p).norm()) * (1.0 + (tr.df1 / w.n).norm());
            if f.norm() <= 4.0 * f64::EPSILON * scale {
                return Ok((k, tr, passes));
            }
            let step = f / w.dlambda(&tr);
            if step.norm() <= 1e-11 * k.norm() {
                // Quadratic convergence: after this last full step the error is ~1e-22.
                let k1 = k - step;
                let t1 = self.traces(k1)?;
                return Ok((k1, t1, passes + 1));
            }
            let mut mu = 1.0;
            loop {
                let cand = k - step * mu;
                let trc = self.traces(cand)?;
                passes += 1;
                let fc = f_of(cand, &trc);
                if fc.norm() >= f.norm() && mu < 1e-3 && f.norm() <= 1e-10 * scale {
                    // No decrease at the rounding floor: converged.
                    return Ok((k, tr, passes));
                }
                if fc.norm() < f.norm() || mu < 1e-3 {
                    k = cand;
                    tr = trc;
                    f = fc;
                    break;
                }
                mu *= 0.5;
            }
            if it + 1 == NEWTON_MAX {
                break;
            }
        }
        Err(Error::NoConvergence {
            what: "renormalized ridge at complex ridge (Newton)",
            iterations: NEWTON_MAX,
            residual: f.norm(),
            last: k.norm(),
        })
    }

    /// Upper edge `x₊` of the deterministic-equivalent spectrum of `Σ̂` (random features:
    /// of `FᵀΣ̂F`) at `P`: the root `κ_e < −s_max` of `dλ/dκ₂ = 0` (for linear ridge
    /// `1 − Df₂/P = 0`), then `x₊ = −λ(κ_e)` (THEORY §13; `dλ/dκ` vanishes at a spectral
    /// edge, THEORY §2.1). Bisection in `ln δ`, `δ = −κ₂ − s_max`, bracket widened as
    /// needed, capped.
    pub(crate) fn upper_edge(&self, w: &Width) -> Result<f64> {
        let s2: f64 = self
            .s
            .iter()
            .zip(&self.m)
            .map(|(s, m)| m * s * s)
            .sum::<f64>()
            + self.tail.as_ref().map_or(0.0, |t| t.zs[2]);
        let m_top = self
            .s
            .iter()
            .zip(&self.m)
            .filter(|(s, _)| **s >= self.s_max)
            .map(|(_, m)| *m)
            .sum::<f64>()
            .max(1.0);
        let slope = |delta: f64| -> Result<f64> {
            Ok(w.dlambda(&self.traces(C::new(-self.s_max - delta, 0.0))?)
                .re)
        };
        let cap = w.p.min(w.n);
        let mut lo = (self.s_max * (m_top / cap).sqrt() * 0.25).ln();
        let mut hi = (2.0 * (s2 / cap).sqrt() + self.s_max).ln();
        for _ in 0..60 {
            if slope(lo.exp())? < 0.0 {
                break;
            }
            lo -= 2.0;
        }
        for _ in 0..60 {
            if slope(hi.exp())? > 0.0 {
                break;
            }
            hi += 2.0;
        }
        if !(slope(lo.exp())? < 0.0 && slope(hi.exp())? > 0.0) {
            return Err(Error::NotBracketed {
                what: "upper spectral edge of the sample covariance",
                lo: lo.exp(),
                hi: hi.exp(),
            });
        }
        for _ in 0..200 {
            let mid = 0.5 * (lo + hi);
            if slope(mid.exp())? < 0.0 {
                lo = mid;
            } else {
                hi = mid;
            }
            if hi - lo < 1e-13 {
                let kappa = C::new(-self.s_max - (0.5 * (lo + hi)).exp(), 0.0);
                let tr = self.traces(kappa)?;
                return Ok(-w.lambda_of(kappa, &tr).re);
            }
        }
        Err(Error::NoConvergence {
            what: "upper spectral edge (bisection)",
            iterations: 200,
            residual: hi - lo,
            last: lo.exp(),
        })
    }
}

/// One contour node (upper arc).
#[derive(Debug, Clone, Copy)]
struct Node {
    z: C,
    /// Trapezoid weight `z′(u)Δu`.
    w: C,
    lambda: C,
    kappa: C,
    /// `κ/λ`.
    p: C,
    tf1: C,
    /// `−p²tf₁′κ′` (the two-point kernel on the diagonal).
    diag: C,
}

/// The nodes of one contour with the two-point kernels, reusable for every time.
#[derive(Debug, Clone)]
pub(crate) struct Contour {
    nodes: Vec<Node>,
    /// `T(z_i, z_j)` (row-major, lower triangle `j ≤ i`; symmetric).
    t_same: Vec<C>,
    /// `T(z_i, z̄_j)` (lower triangle; Hermitian).
    t_conj: Vec<C>,
    /// Passes over the spectrum spent on the nodes.
    pub(crate) passes: usize,
}

/// The spectral function pair `(g, h)` of a training schedule.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Schedule {
    /// Gradient flow for time `t` (finite).
    Flow(f64),
    /// `k` steps of gradient descent with step `η`.
    Descent { eta: f64, steps: f64 },
}

/// `(1 − e^{−y})/y` for complex `y`, accurate near 0.
fn phi1(y: C) -> C {
    if y.norm() < 0.25 {
        // Σ_{n≥0} (−y)^n/(n+1)!
        let mut term = C::new(1.0, 0.0);
        let mut sum = term;
        for n in 1..20 {
            term *= -y / (n as f64 + 1.0);
            sum += term;
        }
        sum
    } else {
        (1.0 - (-y).exp()) / y
    }
}

/// `ln(1 + x)` for complex `x`, accurate near 0.
fn ln1p(x: C) -> C {
    if x.norm() < 0.25 {
        let mut term = x;
        let mut sum = C::default();
        for n in 1..40 {
            sum += term / n as f64 * if n % 2 == 1 { 1.0 } else { -1.0 };
            term *= x;
        }
        sum
    } else {
        (1.0 + x).ln()
    }
}

impl Schedule {
    /// `g(z)` at `y = z + λ`.
    fn g(self, y: C) -> C {
        match self {
            Schedule::Flow(t) => phi1(y * t) * t,
            Schedule::Descent { eta, steps } => {
                // (1 − (1 − ηy)^k)/y = k·η·φ₁(−k ln(1 − ηy))·(−k ln(1−ηy))/(kηy).
                let l = -ln1p(-y * eta) * steps; // = −k ln(1 − ηy)
                if y.norm() * eta < 1e-300 {
                    return C::new(eta * steps, 0.0);
                }
                phi1(l) * l / y
            }
        }
    }
}

/// The four integrals of one schedule from a contour: the test bias
/// `w̄ᵀh(Σ̂)Σh(Σ̂)w̄`, the unit-noise test variance `(1/P)tr[Σg(Σ̂)Σ̂g(Σ̂)]`, the training
/// bias `w̄ᵀΣ̂h(Σ̂)²w̄` and the unit-noise training term `(1/P)tr h(G)²` (feature space for
/// random features), with the difference to the half-resolution rule of each.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Parts {
    pub(crate) value: [f64; 4],
    pub(crate) diff: [f64; 4],
}

impl Contour {
    /// Builds the contour through `v = −a` and `R` and solves `κ₂` at every node
    /// (`kappa_a`: the real root at `λ = a`, the continuation's start).
    pub(crate) fn new(
        view: &SpectralView,
        w: &Width,
        a: f64,
        r: f64,
        kappa_a: f64,
    ) -> Result<Self> {
        let v = -a;
        let u_lo = 2.0 * (a / (r + a)).ln() - 40.0;
        let u_hi = 40.0;
        let n = ((u_hi - u_lo) / DU).ceil() as usize + 1;
        let n = n + (n + 1) % 2; // odd: the coarse grid is every other node
        let e_phi = C::from_polar(1.0, PHI);
        let mut nodes = Vec::with_capacity(n);
        let mut guess = C::new(kappa_a, 0.0);
        let mut passes = 0;
        for i in 0..n {
            let u = u_lo + i as f64 * DU;
            let e = e_phi * u.exp();
            let z = (e * r + v) / (e + 1.0);
            let wt = e * (r - v) / ((e + 1.0) * (e + 1.0)) * DU;
            let lambda = -z;
            let (kappa2, tr, np) = view.solve(w, lambda, guess)?;
            passes += np;
            guess = kappa2;
            let nd = w.node(kappa2, &tr);
            let kappa = nd.kappa_f;
            // Physical branch: Im κ · Im λ ≥ 0 (feature space: for κ_F).
            if kappa.im * lambda.im < -1e-10 * kappa.norm() * lambda.im.abs() {
                return Err(Error::NoConvergence {
                    what: "complex renormalized ridge left the physical branch (Im κ·Im λ < 0)",
                    iterations: i,
                    residual: kappa.im,
                    last: kappa.re,
                });
            }
            let pk = kappa / lambda;
            nodes.push(Node {
                z,
                w: wt,
                lambda,
                kappa,
                p: pk,
                tf1: nd.tf1,
                diag: -pk * pk * nd.tf1p * nd.dkappa_f,
            });
        }
        // At z → R (outside the spectrum) κ is real and below −s_max.
        let last = nodes[n - 1].kappa;
        if !(last.im.abs() <= 1e-6 * last.norm() && last.re < -view.s_max) {
            return Err(Error::NoConvergence {
                what: "contour end R is not outside the sample spectrum (κ(−R) not real < −s_max)",
                iterations: n,
                residual: last.im,
                last: last.re,
            });
        }
        let kern = |a: &Node, b_lambda: C, b_p: C, b_tf1: C, diag: C| -> C {
            let dl = a.lambda - b_lambda;
            if dl.norm() <= 1e-13 * a.lambda.norm() {
                diag
            } else {
                -(a.p * b_p) * (a.tf1 - b_tf1) / dl
            }
        };
        // Lower triangles only (the evaluation uses the symmetries).
        let mut t_same = vec![C::default(); n * n];
        let mut t_conj = vec![C::default(); n * n];
        for i in 0..n {
            let a = &nodes[i];
            for j in 0..=i {
                let b = &nodes[j];
                t_same[i * n + j] = kern(a, b.lambda, b.p, b.tf1, a.diag);
                // Near-real coincident nodes: the conjugate pair shares the real diagonal.
                t_conj[i * n + j] = kern(a, b.lambda.conj(), b.p.conj(), b.tf1.conj(), a.diag);
            }
        }
        Ok(Self {
            nodes,
            t_same,
            t_conj,
            passes,
        })
    }

    /// Number of nodes on the upper arc.
    pub(crate) fn len(&self) -> usize {
        self.nodes.len()
    }

    /// The four integrals ([`Parts`]) of one schedule at ridge `λ`.
    pub(crate) fn evaluate(&self, lambda: f64, sched: Schedule) -> Parts {
        let n = self.nodes.len();
        let mut g = Vec::with_capacity(n);
        let mut h = Vec::with_capacity(n);
        for nd in &self.nodes {
            let gi = sched.g(nd.z + lambda);
            g.push(gi);
            h.push(1.0 - nd.z * gi);
        }
        let eval = |stride: usize| -> [f64; 4] {
            let scale = stride as f64;
            let idx: Vec<usize> = (0..n).step_by(stride).collect();
            // Single integrals: (1/2πi)∮ f = −Im(Σ w f)/π.
            let (mut s_gk, mut s_htf, mut s_hk) = (C::default(), C::default(), C::default());
            for &i in &idx {
                let nd = &self.nodes[i];
                let w = nd.w * scale;
                s_gk += w * g[i] * g[i] * nd.kappa;
                s_htf += w * h[i] * h[i] * nd.tf1;
                s_hk += w * h[i] * h[i] / nd.kappa;
            }
            let single = |s: C| -s.im / std::f64::consts::PI;
            // Double integral: (Re B − Re A)/(2π²).
            // T(z_i, z_j) is symmetric and T(z_i, z̄_j) Hermitian in (i, j): sum the
            // lower triangle twice plus the diagonal.
            let c: Vec<C> = idx
                .iter()
                .map(|&i| self.nodes[i].w * scale * h[i])
                .collect();
            let (mut a_sum, mut b_sum) = (0.0, 0.0);
            for (ii, &i) in idx.iter().enumerate() {
                let ci = c[ii];
                let (mut ra, mut rb) = (C::default(), C::default());
                for (jj, &j) in idx[..ii].iter().enumerate() {
                    ra += c[jj] * self.t_same[i * n + j];
                    rb += c[jj].conj() * self.t_conj[i * n + j];
                }
                a_sum += 2.0 * (ci * ra).re + (ci * ci * self.t_same[i * n + i]).re;
                b_sum += 2.0 * (ci * rb).re + (ci * ci.conj() * self.t_conj[i * n + i]).re;
            }
            let bias = (b_sum - a_sum) / (2.0 * std::f64::consts::PI.powi(2));
            [bias, single(s_gk), -single(s_htf), -single(s_hk)]
        };
        let fine = eval(1);
        let coarse = eval(2);
        Parts {
            value: fine,
            diff: std::array::from_fn(|i| (fine[i] - coarse[i]).abs()),
        }
    }
}
