//! One pass that yields the traces at `κ₀` **and** their Taylor expansion around it, so
//! that the traces at a nearby `κ` follow without another pass (used by curves, which
//! predict `κ` from the previous points and correct it within the same pass).
//!
//! With `u = 1/(s+κ₀)`, `t = s u`, a scale `c = s_min + κ₀` (so `v = c u ∈ (0, 1]`) and
//! `ρ = (κ − κ₀)/c`, the resolvent at `κ` is `1/(s+κ) = u Σ_n (−ρ v)ⁿ`, so each trace of
//! THEORY §1 is a series in `ρ` whose coefficients are the moments
//! `A_n = Σ m t vⁿ`, `B_n = Σ m t² vⁿ`, `C_n = Σ w̄² t vⁿ`, `E_n = Σ w̄² t² vⁿ`:
//!
//! * `Df₁ = Σ_n (−ρ)ⁿ A_n`, `tf₁ = Σ_n (−ρ)ⁿ C_n` (powers of `(1+ρv)⁻¹`),
//! * `Df₂ = Σ_n (n+1)(−ρ)ⁿ B_n`, `tf₂ = Σ_n (n+1)(−ρ)ⁿ E_n`,
//!   `Df₁ − Df₂ = (κ/c) Σ_n (n+1)(−ρ)ⁿ A_{n+1}`, `−tf₁′ = (1/c) Σ_n (n+1)(−ρ)ⁿ C_{n+1}`,
//!   `tf₁ − tf₂ = −κ tf₁′` (powers of `(1+ρv)⁻²`).
//!
//! Every summand is non-negative and `|ρ v| ≤ |ρ| = r`, so truncating the `(1+x)⁻¹` series
//! after `n = N+1` and the `(1+x)⁻²` series after `n = N` leaves a relative error of at
//! most `r^{N+2}/(1−r)` and `(N+2) r^{N+1}/(1−r)^{N+3}` (Lagrange remainder of `(1−r)⁻¹`
//! and `(1−r)⁻²`): a rigorous bound, returned with the traces ([`Moments::traces_at`]).
//! Dividing by `c` instead of `κ₀` keeps every moment `≤` its `n = 0` value (no overflow
//! for tiny eigenvalues).

use rayon::prelude::*;

use super::task::Model;
use super::{Discrete, Task, Traces};

/// Largest supported order `N`.
pub(crate) const MAX_ORDER: usize = 3;
/// Moments per family (`N + 2` at most).
const K: usize = MAX_ORDER + 2;
/// Entries per parallel chunk (fixed, so the summation order does not depend on the
/// number of threads).
const CHUNK: usize = 1 << 15;
/// Lanes of the inner loop (independent partial sums, so that the loop vectorises).
const LANES: usize = 4;

/// Moments of one pass at `κ₀` (see the module docs), for Taylor order `order`.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Moments {
    kappa0: f64,
    scale: f64,
    order: usize,
    a: [f64; K],
    b: [f64; K],
    c: [f64; K],
    e: [f64; K],
}

impl Moments {
    /// One pass over a discrete spectrum with per-entry target powers `w2` at `κ₀ > 0`,
    /// keeping the moments needed for Taylor order `order ∈ 1..=MAX_ORDER`.
    pub(crate) fn pass(d: &Discrete, w2: &[f64], kappa0: f64, order: usize) -> Self {
        let scale = d.min + kappa0;
        let arch = pulp::Arch::new();
        let run = |r: std::ops::Range<usize>| {
            let m = d.mult.as_deref().map(|m| &m[r.clone()]);
            let (s, w) = (&d.values[r.clone()], &w2[r]);
            // Runtime SIMD dispatch (AVX2/FMA where available) of the same code.
            arch.dispatch(
                #[inline(always)]
                || match (order, m) {
                    (1, None) => kernel::<1, false>(s, &[], w, kappa0, scale),
                    (2, None) => kernel::<2, false>(s, &[], w, kappa0, scale),
                    (_, None) => kernel::<3, false>(s, &[], w, kappa0, scale),
                    (1, Some(m)) => kernel::<1, true>(s, m, w, kappa0, scale),
                    (2, Some(m)) => kernel::<2, true>(s, m, w, kappa0, scale),
                    (_, Some(m)) => kernel::<3, true>(s, m, w, kappa0, scale),
                },
            )
        };
        let n = d.values.len();
        let sums = if n < 2 * CHUNK {
            run(0..n)
        } else {
            let parts: Vec<[[f64; K]; 4]> = (0..n.div_ceil(CHUNK))
                .into_par_iter()
                .map(|c| run(c * CHUNK..((c + 1) * CHUNK).min(n)))
                .collect();
            parts.iter().fold([[0.0; K]; 4], |mut acc, p| {
                for (fa, fp) in acc.iter_mut().zip(p) {
                    for (x, y) in fa.iter_mut().zip(fp) {
                        *x += y;
                    }
                }
                acc
            })
        };
        let [a, b, c, e] = sums;
        Self {
            kappa0,
            scale,
            order: order.clamp(1, MAX_ORDER),
            a,
            b,
            c,
            e,
        }
    }

    /// The point of the pass.
    pub(crate) fn kappa0(&self) -> f64 {
        self.kappa0
    }

    /// The expansion's scale `c = s_min + κ₀` (its radius of convergence in `κ`).
    pub(crate) fn scale(&self) -> f64 {
        self.scale
    }

    /// The traces at `κ` from the expansion, and a rigorous bound on the relative error
    /// of every trace from truncation (module docs). `κ = κ₀` gives the traces of the
    /// pass itself with a zero bound.
    pub(crate) fn traces_at(&self, kappa: f64) -> (Traces, f64) {
        let rho = (kappa - self.kappa0) / self.scale;
        let r = rho.abs();
        let n = self.order;
        // Σ_{j<len} (j+1)^{w} (−ρ)^j x_j, for w = 0 (weights 1) or 1 (weights j+1).
        let series = |x: &[f64; K], len: usize, weighted: bool| {
            let mut sum = 0.0;
            let mut pw = 1.0;
            for (j, &xj) in x.iter().enumerate().take(len) {
                let coef = if weighted { (j + 1) as f64 } else { 1.0 };
                sum += coef * pw * xj;
                pw *= -rho;
            }
            sum
        };
        // A_{n+1}, C_{n+1} for the (1+x)⁻² series.
        let shift = |x: &[f64; K]| {
            let mut y = [0.0; K];
            y[..K - 1].copy_from_slice(&x[1..]);
            y
        };
        let df1 = series(&self.a, n + 2, false);
        let df2 = series(&self.b, n + 1, true);
        let su2 = series(&shift(&self.a), n + 1, true) / self.scale;
        let tf1 = series(&self.c, n + 2, false);
        let wsu2 = series(&shift(&self.c), n + 1, true) / self.scale;
        let tf2 = series(&self.e, n + 1, true);
        let bound = if r == 0.0 {
            0.0
        } else {
            let first = r.powi(n as i32 + 2) / (1.0 - r);
            let second = (n + 2) as f64 * r.powi(n as i32 + 1) / (1.0 - r).powi(n as i32 + 3);
            if r < 1.0 {
                first.max(second)
            } else {
                f64::INFINITY
            }
        };
        (
            Traces {
                kappa,
                df1,
                df2,
                df1_minus_df2: kappa * su2,
                tf1,
                tf1_prime: -wsu2,
                tf2,
                tf1_minus_tf2: kappa * wsu2,
            },
            bound,
        )
    }
}

impl Task {
    /// Whether [`Task::moments`] is available (discrete spectra, compressed or not).
    pub(crate) fn has_moments(&self) -> bool {
        matches!(self.model, Model::Discrete { .. })
    }

    /// One pass at `κ₀ > 0` with the Taylor moments of order `order` (module docs);
    /// `None` for analytic spectra.
    pub(crate) fn moments(&self, kappa0: f64, order: usize) -> Option<Moments> {
        match &self.model {
            Model::Discrete { d, w2, .. } => Some(Moments::pass(d, w2, kappa0, order)),
            Model::PowerLaw { .. } => None,
        }
    }
}

/// The hot loop: one division per entry, then `N + 2` powers of `v`; four families of
/// sums (`A`, `B`, `C`, `E` of the module docs) in `LANES` independent lanes.
#[inline(always)]
fn kernel<const N: usize, const MULT: bool>(
    s: &[f64],
    m: &[f64],
    w: &[f64],
    kappa0: f64,
    scale: f64,
) -> [[f64; K]; 4] {
    let mut acc = [[[0.0_f64; LANES]; K]; 4];
    let blocks = s.len() / LANES;
    let one = [1.0; LANES];
    for i in 0..blocks {
        let r = i * LANES..(i + 1) * LANES;
        let sb: &[f64; LANES] = s[r.clone()].try_into().unwrap_or(&[0.0; LANES]);
        let wb: &[f64; LANES] = w[r.clone()].try_into().unwrap_or(&[0.0; LANES]);
        let mb: &[f64; LANES] = if MULT {
            m[r].try_into().unwrap_or(&one)
        } else {
            &one
        };
        lanes::<N, MULT>(&mut acc, sb, mb, wb, kappa0, scale);
    }
    // The tail, one entry per lane; padding lanes have s = m = w = 0 and add exact zeros.
    let rest = blocks * LANES;
    for (l, i) in (rest..s.len()).enumerate() {
        let mut sb = [0.0; LANES];
        let mut wb = [0.0; LANES];
        let mut mb = [0.0; LANES];
        sb[l] = s[i];
        wb[l] = w[i];
        mb[l] = if MULT { m[i] } else { 1.0 };
        lanes::<N, true>(&mut acc, &sb, &mb, &wb, kappa0, scale);
    }
    let mut out = [[0.0; K]; 4];
    for (of, af) in out.iter_mut().zip(&acc) {
        for (o, a) in of.iter_mut().zip(af) {
            *o = a.iter().sum();
        }
    }
    out
}

// Lane-indexed loops over fixed-size arrays are what the vectoriser maps to registers.
#[allow(clippy::needless_range_loop)]
#[inline(always)]
fn lanes<const N: usize, const MULT: bool>(
    acc: &mut [[[f64; LANES]; K]; 4],
    s: &[f64; LANES],
    m: &[f64; LANES],
    w: &[f64; LANES],
    kappa0: f64,
    scale: f64,
) {
    let mut v = [0.0; LANES];
    let mut p = [0.0; LANES]; // t vⁿ
    let mut q = [0.0; LANES]; // t² vⁿ
    for l in 0..LANES {
        let u = 1.0 / (s[l] + kappa0);
        let t = s[l] * u;
        v[l] = scale * u;
        p[l] = t;
        q[l] = t * t;
    }
    for k in 0..N + 2 {
        for l in 0..LANES {
            acc[0][k][l] += if MULT { m[l] * p[l] } else { p[l] };
            acc[2][k][l] += w[l] * p[l];
        }
        if k <= N {
            for l in 0..LANES {
                acc[1][k][l] += if MULT { m[l] * q[l] } else { q[l] };
                acc[3][k][l] += w[l] * q[l];
                q[l] *= v[l];
            }
        }
        for l in 0..LANES {
            p[l] *= v[l];
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rel(a: f64, b: f64) -> f64 {
        (a - b).abs() / b.abs().max(f64::MIN_POSITIVE)
    }

    #[test]
    fn expansion_matches_a_direct_pass_within_its_bound() {
        let n = 3 * CHUNK + 7;
        let s: Vec<f64> = (1..=n).map(|k| (k as f64).powf(-1.5)).collect();
        let w: Vec<f64> = (1..=n).map(|k| (k as f64).powf(-1.0)).collect();
        let d = Discrete::new(&s, None).unwrap();
        for order in 1..=MAX_ORDER {
            let m = Moments::pass(&d, &w, 1e-4, order);
            // At κ₀ the traces of the pass itself (to rounding).
            let (t0, b0) = m.traces_at(1e-4);
            let direct = d.traces(&w, 1e-4);
            assert!(b0 == 0.0);
            for (x, y) in t0.paired(&direct) {
                assert!(rel(x, y) < 1e-13, "order {order}: {x} vs {y}");
            }
            // Nearby: within the bound (plus rounding), and the bound is not vacuous.
            for dk in [1e-9, -3e-7, 2e-6, -1e-5] {
                let k = 1e-4 * (1.0 + dk);
                let (t, bound) = m.traces_at(k);
                let direct = d.traces(&w, k);
                // Rounding: both are sums of ~1e5 positive terms in different orders.
                let tol = bound + 1e-13;
                for (x, y) in t.paired(&direct) {
                    assert!(rel(x, y) <= tol, "order {order}, dk {dk}: {x} vs {y}");
                }
                assert!(bound < 1e-8, "order {order}, dk {dk}: bound {bound}");
            }
            // Far away the bound says so.
            assert!(m.traces_at(3e-4).1 > 1.0);
        }
    }

    #[test]
    fn multiplicities_and_a_short_spectrum() {
        let d = Discrete::new(&[2.0, 0.5, 1e-3], Some(&[3.0, 1e6, 0.5])).unwrap();
        let w = [0.2, 1.0, 7.0];
        let m = Moments::pass(&d, &w, 0.01, 2);
        let (t, bound) = m.traces_at(0.01 * (1.0 + 1e-6));
        let direct = d.traces(&w, 0.01 * (1.0 + 1e-6));
        assert!(rel(t.df2, direct.df2) <= bound + 1e-13);
        assert!(rel(t.tf1_minus_tf2, direct.tf1_minus_tf2) <= bound + 1e-13);
    }
}
