//! Analytic power-law spectra `s_k = k^{−α}` with finite or infinite `D`, evaluated
//! exactly (THEORY §7.1): no truncation.
//!
//! Every trace of [`super::Traces`] is a sum `Σ_{k=1}^{D} f(k)` with
//! `f(x) = x^{−a} (x^{−α} + κ)^{−m}` (for example `Df₁`: `a = α`, `m = 1`; `−tf₁′`:
//! `a = 1 + 2αr`, `m = 2`, times the target scale). Each is split into
//!
//! 1. a **head** `k = 1..K−1` summed explicitly (eigenvalues tabulated once);
//! 2. a **tail** `k = K..D` by the Euler–Maclaurin formula with Bernoulli terms up to
//!    `B₁₂`: `Σ_{k=K}^{D} f(k) = ∫_K^D f + (f(K)+f(D))/2 + Σ_{j=1}^{6} B_{2j}/(2j)! ·
//!    (f^{(2j−1)}(D) − f^{(2j−1)}(K)) + R₆`. The derivatives come from truncated Taylor
//!    series of `f(K(1+u))` (exact power-series arithmetic, no finite differences).
//!
//! **Choice of `K` and the remainder.** `f` is analytic except at `x = 0` and at the two
//! points `x = k_c e^{±iπ/α}` with `k_c = κ^{−1/α}` (where `x^{−α} = −κ`). `K` is chosen so
//! that every singularity is at distance `≥ R = 32` from `[K, D]`: `K = R` when
//! `k_c sin(min(π/α, π/2)) ≥ R`, else `K = ⌈k_c⌉ + R`. By Cauchy's estimate on discs of
//! radius `R/2 = 16`, `|f^{(13)}| ≤ 13! M/16¹³`, so `|R₆| ≤ 2ζ(14)/(2π)¹⁴ · 13! M/16¹³ ·
//! (D − K) ≲ 1e−16 · M (D−K)/16` with `M` the maximum of `|f|` over those discs; since `f`
//! varies on the scale of `x` itself, that is ≲ 1e−15 of the tail integral. (For very
//! steep summands, `a ≫ 10`, the Taylor coefficients grow like `C(a+2j, 2j)` and the bound
//! is weaker relative to `f(K)`, but then the tail is `≲ K^{1−a}` of the head sum.)
//! The accuracy is verified against 40-digit references and brute-force sums
//! (`tests/spectrum/power_law.rs`): worst relative error ≈ 5e−15.
//!
//! **The integral** `∫_K^D f dx` is mapped by `t = x^{−α}` to
//! `(1/α) ∫_{D^{−α}}^{K^{−α}} t^{b−1} (t+κ)^{−m} dt` with `b = (a−1)/α`, and split at
//! `κ/8` and `8κ`: below `κ/8` and above `8κ` the binomial series of `(1 + t/κ)^{−m}` or
//! `(1 + κ/t)^{−m}` converges at least like `8^{−j}` and is integrated term by term
//! (an alternating series of positive-integrand pieces, truncated when a term falls
//! below `1e−17` of the sum, which bounds the truncation error); between them a 24-point
//! Gauss–Legendre rule in `y = ln(t/κ) ∈ [−ln 8, ln 8]` (the integrand is analytic in the
//! strip `|Im y| < π`, Bernstein ellipse `ρ ≈ 3.3`, error `≲ ρ^{−48} ≈ 1e−25` relative).
//! For a full middle range the rule's values are κ-independent constants computed once.
//!
//! Only two exponents `b` occur (`1 − 1/α` for the degrees of freedom and `2r` for the
//! target), so a pass costs a few `powf`, a head of at most `R(1 + 1/sin(π/α))` terms and
//! some hundred flops of series arithmetic: a few microseconds whatever `D` is.
//!
//! Normalisations use the power sums `Σ_{k=1}^{D} k^{−s}` (the Riemann/Hurwitz zeta
//! function `ζ(s)` for `D = ∞`), computed by the same head + Euler–Maclaurin scheme.

mod sums;

use super::{Discrete, Dofs, Traces};
use crate::error::{Error, Result, finite};
pub(crate) use sums::power_sum;
use sums::{binom_series, gauss_legendre, integrals, mul};

/// Minimum distance from `[K, D]` to the singularities of the summand.
const R_EM: f64 = 32.0;
/// Taylor order used for the Euler–Maclaurin derivatives (coefficients `0..NT`).
const NT: usize = 12;
/// `B_{2j}/(2j)` for `j = 1..6`.
const B_OVER: [f64; 6] = [
    1.0 / 6.0 / 2.0,
    -1.0 / 30.0 / 4.0,
    1.0 / 42.0 / 6.0,
    -1.0 / 30.0 / 8.0,
    5.0 / 66.0 / 10.0,
    -691.0 / 2730.0 / 12.0,
];
/// The middle range of the tail integral is `[κ/SPLIT, SPLIT·κ]` in `t`.
const SPLIT: f64 = 8.0;
/// Gauss–Legendre order of the middle range.
const NGL: usize = 24;
/// Finite `D` at most this large is summed explicitly (no Euler–Maclaurin at all).
const SMALL_D: u64 = 4096;

/// Per-exponent precomputation: the integral family `t^{b−1}(t+κ)^{−m}` for
/// `(b, m) ∈ {(β,1), (β,2), (β+1,2)}`, and the Taylor coefficients of `(1+u)^{−a}`.
#[derive(Debug, Clone)]
struct Family {
    /// `β` (so `a = 1 + αβ`).
    beta: f64,
    /// Full middle integrals `∫_{−ln 8}^{ln 8} e^{by}(1+e^y)^{−m} dy` for the three members.
    mid: [f64; 3],
    /// Binomial coefficients `C(−a, i)`, `i < NT`.
    binom: [f64; NT],
    /// `k^{−a}` for `k = 1..table`.
    head: Vec<f64>,
    /// `D^{−a}` (finite `D`).
    d_pow: f64,
    /// `(D^{−α})^β` (finite `D`).
    td_beta: f64,
    /// `8^β`.
    split_beta: f64,
}

impl Family {
    fn new(alpha: f64, beta: f64, table: usize, d: Option<u64>) -> Self {
        let a = 1.0 + alpha * beta;
        let (x, w) = gauss_legendre();
        let h = SPLIT.ln();
        let mut mid = [0.0; 3];
        for (xi, wi) in x.iter().zip(w) {
            let y = h * xi;
            let v = y.exp();
            let e = (beta * y).exp();
            let g = 1.0 / (1.0 + v);
            mid[0] += wi * h * e * g;
            mid[1] += wi * h * e * g * g;
            mid[2] += wi * h * e * v * g * g;
        }
        let mut binom = [0.0; NT];
        binom[0] = 1.0;
        for i in 1..NT {
            binom[i] = binom[i - 1] * (-a - (i - 1) as f64) / i as f64;
        }
        let head = (1..=table).map(|k| (k as f64).powf(-a)).collect();
        let (d_pow, td_beta) = match d {
            Some(d) => {
                let df = d as f64;
                (df.powf(-a), df.powf(-alpha * beta))
            }
            None => (0.0, 0.0),
        };
        Self {
            beta,
            mid,
            binom,
            head,
            d_pow,
            td_beta,
            split_beta: SPLIT.powf(beta),
        }
    }
}

/// The analytic power-law spectrum `s_k = k^{−α}`, `k = 1, 2, …, D`, with `D` possibly
/// infinite (THEORY §7.1), optionally carrying a power-law target
/// `s_k w̄_k² ∝ k^{−(1+2αr)}`.
///
/// Traces are exact to about `1e−13` relative (head + Euler–Maclaurin tail, see the
/// module documentation) at a cost independent of `D`.
#[derive(Debug, Clone)]
pub struct PowerLaw {
    alpha: f64,
    d: Option<u64>,
    /// `sin(min(π/α, π/2))`: the singularities `k_c e^{±iπ/α}` are this far (relative to
    /// `k_c`) from the real half-line.
    sin_factor: f64,
    trace: f64,
    spec: Box<Family>,
    target: Option<Box<(f64, Family)>>,
}

impl PartialEq for PowerLaw {
    /// Equal when `α`, `D` and the target (its exponent `2r`, if any) agree: everything
    /// else is derived from them.
    fn eq(&self, other: &Self) -> bool {
        let beta = |p: &Self| p.target.as_deref().map(|(_, fam)| fam.beta.to_bits());
        self.alpha.total_cmp(&other.alpha).is_eq() && self.d == other.d && beta(self) == beta(other)
    }
}

/// Accumulated sums `[Df₁, Df₂, Df₁−Df₂, tf₁, −tf₁′, tf₂]`.
type Acc = [f64; 6];

impl PowerLaw {
    /// A power law `s_k = k^{−α}` with `D = d` eigenvalues (`None`: `D = ∞`).
    ///
    /// # Errors
    /// [`Error::NonFinite`] for a non-finite `α`; [`Error::InvalidParameter`] for `α ≤ 0`,
    /// `α ≤ 1` with `D = ∞` (the trace `ζ(α)` diverges) or `d = Some(0)`.
    ///
    /// # Examples
    /// ```
    /// use detridge::spectrum::PowerLaw;
    /// let p = PowerLaw::new(2.0, None)?;
    /// // Tr Σ = ζ(2) = π²/6.
    /// assert!((p.trace() - std::f64::consts::PI.powi(2) / 6.0).abs() < 1e-14);
    /// # Ok::<(), detridge::Error>(())
    /// ```
    pub fn new(alpha: f64, d: Option<usize>) -> Result<Self> {
        Self::build(alpha, d, None)
    }

    /// A power law carrying the target `s_k w̄_k² = k^{−(1+2αr)}/Σ_j j^{−(1+2αr)}`.
    pub(crate) fn with_target(alpha: f64, r: f64, d: Option<usize>) -> Result<Self> {
        finite("r", r)?;
        if d.is_none() && r <= 0.0 {
            return Err(Error::InvalidParameter {
                name: "r",
                value: r,
                reason: "the source exponent must be > 0 for D = ∞ (else w̄ᵀΣw̄ diverges)",
            });
        }
        Self::build(alpha, d, Some(r))
    }

    fn build(alpha: f64, d: Option<usize>, r: Option<f64>) -> Result<Self> {
        finite("alpha", alpha)?;
        if alpha <= 0.0 {
            return Err(Error::InvalidParameter {
                name: "alpha",
                value: alpha,
                reason: "the capacity exponent must be > 0",
            });
        }
        if alpha > ALPHA_MAX {
            // s_k = k^{−α} underflows for every k ≥ 2 (2^{−1000} < 1e-300), and the exact
            // head grows like 1/sin(π/α): nothing but the first eigenvalue survives.
            return Err(Error::InvalidParameter {
                name: "alpha",
                value: alpha,
                reason: "must be <= 1000 (beyond, every eigenvalue but the first underflows: use a one-eigenvalue spectrum)",
            });
        }
        if d.is_none() && alpha <= 1.0 {
            return Err(Error::InvalidParameter {
                name: "alpha",
                value: alpha,
                reason: "D = ∞ needs α > 1 (Tr Σ = ζ(α) must be finite)",
            });
        }
        if d == Some(0) {
            return Err(Error::InvalidParameter {
                name: "d",
                value: 0.0,
                reason: "the dimension must be >= 1",
            });
        }
        let d = d.map(|d| d as u64);
        let sin_factor = (std::f64::consts::PI / alpha)
            .min(std::f64::consts::FRAC_PI_2)
            .sin();
        let table = (R_EM * (1.0 + 1.0 / sin_factor)).ceil() as usize + 2;
        let table = match d {
            Some(d) if d <= SMALL_D => d as usize,
            Some(d) => table.min(d as usize),
            None => table,
        };
        let spec = Box::new(Family::new(alpha, 1.0 - 1.0 / alpha, table, d));
        let trace = power_sum(alpha, d);
        let target = match r {
            Some(r) => {
                let fam = Family::new(alpha, 2.0 * r, table, d);
                let norm = power_sum(1.0 + 2.0 * alpha * r, d);
                if !(norm.is_finite() && norm > 0.0) {
                    return Err(Error::NonFinite {
                        what: "power-law target normalisation",
                        value: norm,
                    });
                }
                Some(Box::new((1.0 / norm, fam)))
            }
            None => None,
        };
        Ok(Self {
            alpha,
            d,
            sin_factor,
            trace,
            spec,
            target,
        })
    }

    /// The capacity exponent `α`.
    #[must_use]
    pub fn alpha(&self) -> f64 {
        self.alpha
    }

    /// `D` (`∞` for an infinite power law).
    #[must_use]
    pub fn dimension(&self) -> f64 {
        self.d.map_or(f64::INFINITY, |d| d as f64)
    }

    /// `Tr Σ = Σ_k k^{−α}` (`ζ(α)` for `D = ∞`).
    #[must_use]
    pub fn trace(&self) -> f64 {
        self.trace
    }

    pub(crate) fn min_eigenvalue(&self) -> f64 {
        self.d.map_or(0.0, |d| (d as f64).powf(-self.alpha))
    }

    pub(crate) fn stored_len(&self) -> usize {
        self.spec.head.len()
    }

    pub(crate) fn dofs(&self, kappa: f64) -> Dofs {
        let a = self.pass::<false>(kappa);
        Dofs {
            df1: a[0],
            df2: a[1],
            df1_minus_df2: a[2],
        }
    }

    pub(crate) fn traces(&self, kappa: f64) -> Traces {
        let a = self.pass::<true>(kappa);
        Traces {
            kappa,
            df1: a[0],
            df2: a[1],
            df1_minus_df2: a[2],
            tf1: a[3],
            tf1_prime: -a[4],
            tf2: a[5],
            tf1_minus_tf2: kappa * a[4],
        }
    }

    /// `|w̄|² = c Σ_k k^{−(1+α(2r−1))}` (`∞` when the sum diverges).
    pub(crate) fn target_norm2(&self) -> f64 {
        match self.target.as_deref() {
            Some((c, fam)) => c * power_sum(1.0 + self.alpha * (fam.beta - 1.0), self.d),
            None => f64::NAN,
        }
    }

    /// The explicit spectrum (finite `D` only).
    pub(crate) fn to_discrete(&self) -> Option<Discrete> {
        let d = self.d?;
        let values: Vec<f64> = (1..=d).map(|k| (k as f64).powf(-self.alpha)).collect();
        Discrete::new(&values, None).ok()
    }

    /// The explicit target powers `w̄_k²` (finite `D` only).
    pub(crate) fn discrete_target_power(&self) -> Option<Vec<f64>> {
        let d = self.d?;
        let (c, fam) = self.target.as_deref()?;
        let e = 1.0 + self.alpha * (fam.beta - 1.0);
        Some((1..=d).map(|k| c * (k as f64).powf(-e)).collect())
    }

    /// `k^{−a}` from the table, or computed.
    #[inline]
    fn pow_k(fam: &Family, alpha: f64, k: u64) -> f64 {
        fam.head
            .get(k as usize - 1)
            .copied()
            .unwrap_or_else(|| (k as f64).powf(-(1.0 + alpha * fam.beta)))
    }

    /// One evaluation of all sums.
    fn pass<const TARGET: bool>(&self, kappa: f64) -> Acc {
        let target = if TARGET { self.target.as_deref() } else { None };
        if kappa.is_nan() {
            return [f64::NAN; 6];
        }
        if kappa <= 0.0 {
            return self.pass_nonpositive(kappa, target);
        }
        // Choice of K (module docs).
        let kc = kappa.powf(-1.0 / self.alpha);
        let k_start: u64 = if kc * self.sin_factor >= R_EM {
            R_EM as u64
        } else {
            (kc.ceil() + R_EM) as u64
        };
        match self.d {
            Some(d) if d <= k_start + 2 * R_EM as u64 => {
                return self.explicit(1, d, kappa, target);
            }
            _ => {}
        }
        let mut acc = self.explicit(1, k_start - 1, kappa, target);
        // Euler–Maclaurin tail from K = k_start.
        let tail = self.tail(k_start, kappa, target);
        for (a, t) in acc.iter_mut().zip(tail) {
            *a += t;
        }
        acc
    }

    /// `Σ_{k=lo}^{hi}` explicitly (smallest terms first).
    fn explicit(&self, lo: u64, hi: u64, kappa: f64, target: Option<&(f64, Family)>) -> Acc {
        let mut acc = [0.0; 6];
        for k in (lo..=hi).rev() {
            let s = Self::pow_k(&self.spec, self.alpha, k); // k^{−α}
            let u = 1.0 / (s + kappa);
            let t = s * u;
            acc[0] += t;
            acc[1] += t * t;
            acc[2] += t * u;
            if let Some((c, fam)) = target {
                let w = c * Self::pow_k(fam, self.alpha, k); // s w̄²
                acc[3] += w * u;
                acc[4] += w * u * u;
                acc[5] += w * t * u;
            }
        }
        acc[2] *= kappa;
        acc
    }

    /// κ ≤ 0: `κ = 0` in closed form through power sums; `κ < 0` (finite `D` only, reached
    /// for negative ridges with `P > D`) by an explicit `O(D)` sum.
    fn pass_nonpositive(&self, kappa: f64, target: Option<&(f64, Family)>) -> Acc {
        // At κ = 0: tf₁ = tf₂ = |w̄|², −tf₁′ = Σ w̄_k²/s_k = c Σ k^{−(1+2αr−2α)}.
        let (norm2, inv) = match target {
            Some((c, fam)) => (
                self.target_norm2(),
                c * power_sum(1.0 + self.alpha * (fam.beta - 2.0), self.d),
            ),
            None => (0.0, 0.0),
        };
        match self.d {
            None => [f64::INFINITY, f64::INFINITY, 0.0, norm2, inv, norm2],
            Some(d) if kappa == 0.0 => {
                let df = d as f64;
                [df, df, 0.0, norm2, inv, norm2]
            }
            Some(d) => self.explicit(1, d, kappa, target),
        }
    }

    /// `Σ_{k=K}^{D}` by Euler–Maclaurin.
    fn tail(&self, k: u64, kappa: f64, target: Option<&(f64, Family)>) -> Acc {
        let alpha = self.alpha;
        let kf = k as f64;
        let mut acc = [0.0; 6];
        // Integrals in t = x^{−α}.
        let t_hi = Self::pow_k(&self.spec, alpha, k); // K^{−α}
        let t_lo = self.spec.d_pow; // D^{−α} (0 for D = ∞)
        let fams: [Option<(f64, &Family)>; 2] =
            [Some((1.0, &self.spec)), target.map(|(c, f)| (*c, f))];
        for (fi, fam) in fams.iter().enumerate() {
            let Some((scale, fam)) = fam else { continue };
            // t^β at the ends: D^{−αβ} and K^{−αβ} = K·K^{−a}.
            let ends = (fam.td_beta, Self::pow_k(fam, alpha, k) * kf);
            let ints = integrals(fam, kappa, (t_lo, t_hi), ends);
            let s = scale / alpha;
            if fi == 0 {
                acc[0] += s * ints[0];
                acc[1] += s * ints[2];
                acc[2] += s * kappa * ints[1];
            } else {
                acc[3] += s * ints[0];
                acc[4] += s * ints[1];
                acc[5] += s * ints[2];
            }
        }
        // Endpoint corrections at K (and D).
        let mut ends = vec![(
            kf,
            -1.0,
            t_hi,
            target.map_or(0.0, |(c, f)| c * Self::pow_k(f, alpha, k)),
        )];
        if let Some(d) = self.d {
            ends.push((
                d as f64,
                1.0,
                t_lo,
                target.map_or(0.0, |(c, f)| c * f.d_pow),
            ));
        }
        for &(x, sign, s0, pa) in &ends {
            let ser = self.taylor(s0, pa, kappa, target.is_some());
            // f(x)/2 for both ends; −Σ B/(2j)·f^{(2j−1)}(K) at K, + at D.
            for (q, ser) in ser.iter().enumerate() {
                let Some(ser) = ser else { continue };
                let mut corr = 0.5 * ser[0];
                let mut xp = x; // x^{2j−1}
                let x2 = x * x;
                for (j, b) in B_OVER.iter().enumerate() {
                    corr += sign * b * ser[2 * j + 1] / xp;
                    xp *= x2;
                }
                acc[q] += corr;
            }
        }
        acc
    }

    /// Taylor coefficients in `u` of the six summands at `x(1+u)`; `s0 = x^{−α}`.
    /// `pa = c x^{−(1+2αr)}` is the target summand's prefactor.
    fn taylor(&self, s0: f64, pa: f64, kappa: f64, target: bool) -> [Option<[f64; NT]>; 6] {
        // e(u) = s0 (1+u)^{−α}; G = 1/(e + κ).
        let bin_alpha = binom_series(self.alpha);
        let e = bin_alpha.map(|b| s0 * b);
        let mut g = [0.0; NT];
        g[0] = 1.0 / (e[0] + kappa);
        for i in 1..NT {
            let mut acc = 0.0;
            for l in 1..=i {
                acc += e[l] * g[i - l];
            }
            g[i] = -g[0] * acc;
        }
        let t = mul(&e, &g);
        let df1 = t;
        let df2 = mul(&t, &t);
        let mut dd = mul(&t, &g);
        for v in &mut dd {
            *v *= kappa;
        }
        let mut out = [Some(df1), Some(df2), Some(dd), None, None, None];
        if let Some((_, fam)) = self.target.as_deref().filter(|_| target) {
            let tau = fam.binom.map(|b| pa * b);
            let tg = mul(&tau, &g);
            let tgg = mul(&tg, &g);
            let ttg = mul(&tg, &t);
            out[3] = Some(tg);
            out[4] = Some(tgg);
            out[5] = Some(ttg);
        }
        out
    }
}

/// The largest capacity exponent accepted (`2^{−α}` underflows beyond it).
const ALPHA_MAX: f64 = 1000.0;

#[cfg(test)]
mod tests {
    #[test]
    fn analytic_finite_d_expands_for_the_simulator() {
        let d = super::super::POWER_LAW_EXPLICIT_MAX + 5;
        let task = crate::Task::power_law(1.5, 0.4, Some(d), 0.0).unwrap();
        assert!(matches!(
            task.spectrum.repr,
            super::super::Repr::PowerLaw(_)
        ));
        let (disc, w2) = task.discrete_target().unwrap();
        assert_eq!(disc.values.len(), d);
        assert_eq!(w2.len(), d);
        // The explicit expansion reproduces the analytic traces and the normalisation.
        let signal: f64 = disc.values.iter().zip(&w2).rev().map(|(s, w)| s * w).sum();
        assert!((signal - 1.0).abs() < 1e-13);
        let explicit = disc.traces(&w2, 1e-5);
        let analytic = task.traces(1e-5);
        assert!((explicit.df1 / analytic.df1 - 1.0).abs() < 1e-12);
        assert!((explicit.tf1_prime / analytic.tf1_prime - 1.0).abs() < 1e-12);
        // D = ∞ has no explicit expansion.
        let inf = crate::Task::power_law(1.5, 0.4, None, 0.0).unwrap();
        assert!(inf.discrete_target().is_none());
    }

    #[test]
    fn nonpositive_kappa_at_finite_d() {
        let d = 150_000;
        let task = crate::Task::power_law(1.2, 0.7, Some(d), 0.0).unwrap();
        let (disc, w2) = task.discrete_target().unwrap();
        // κ = 0 in closed form, κ < 0 (above −s_min) by the explicit sum.
        let smin = (d as f64).powf(-1.2);
        for kappa in [0.0, -0.5 * smin] {
            let a = task.traces(kappa);
            let e = disc.traces(&w2, kappa);
            for (x, y) in [
                (a.df1, e.df1),
                (a.df2, e.df2),
                (a.tf1, e.tf1),
                (a.tf2, e.tf2),
            ] {
                assert!((x / y - 1.0).abs() < 1e-12, "kappa={kappa}: {x} vs {y}");
            }
            assert!((a.tf1_prime / e.tf1_prime - 1.0).abs() < 1e-12);
        }
        assert!(task.traces(f64::NAN).df1.is_nan());
    }
}
