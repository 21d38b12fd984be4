//! Discrete spectra: positive eigenvalues with optional multiplicities.

use rayon::prelude::*;

use super::{Dofs, Traces};
use crate::error::{Error, Result, finite};

/// Entries per parallel chunk; below two chunks the pass runs on one thread. The chunking
/// is fixed, so the summation order (and every bit of the result) does not depend on the
/// number of threads.
const CHUNK: usize = 1 << 15;

/// Positive eigenvalues (in the order given), optional multiplicities, and the
/// bookkeeping of zero eigenvalues.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Discrete {
    pub(crate) values: Vec<f64>,
    pub(crate) mult: Option<Vec<f64>>,
    pub(crate) dim: f64,
    pub(crate) rank: f64,
    pub(crate) trace: f64,
    pub(crate) min: f64,
    pub(crate) max: f64,
    /// Quadrature nodes of a compressed spectrum (not eigenvalues): no simulation, no
    /// negative κ.
    pub(crate) compressed: bool,
    /// A coarse stand-in (two Gauss nodes per binary-exponent bin) used only to warm-start
    /// cold solves on large spectra; `None` for small ones.
    pub(crate) proxy: Option<Box<super::Spectrum>>,
}

impl Discrete {
    pub(crate) fn new(values: &[f64], mult: Option<&[f64]>) -> Result<Self> {
        if values.is_empty() {
            return Err(Error::Empty { what: "spectrum" });
        }
        if let Some(m) = mult
            && m.len() != values.len()
        {
            return Err(Error::LengthMismatch {
                what: "multiplicities vs eigenvalues",
                expected: values.len(),
                got: m.len(),
            });
        }
        let mut kept = Vec::with_capacity(values.len());
        let mut kept_m = mult.map(|_| Vec::with_capacity(values.len()));
        let (mut dim, mut rank, mut trace) = (0.0, 0.0, 0.0);
        let (mut min, mut max) = (f64::INFINITY, 0.0_f64);
        for (i, &s) in values.iter().enumerate() {
            finite("eigenvalue", s)?;
            if s < 0.0 {
                return Err(Error::InvalidParameter {
                    name: "eigenvalue",
                    value: s,
                    reason: "eigenvalues of a covariance must be >= 0",
                });
            }
            if s > 0.0 && !s.is_normal() {
                // 1/(s + κ) overflows at κ = 0 and s carries no relative precision.
                return Err(Error::InvalidParameter {
                    name: "eigenvalue",
                    value: s,
                    reason: "subnormal (below 2.2e-308): rescale the spectrum or set it to 0",
                });
            }
            let m = match mult {
                Some(m) => {
                    let mi = finite("multiplicity", m[i])?;
                    if mi <= 0.0 {
                        return Err(Error::InvalidParameter {
                            name: "multiplicity",
                            value: mi,
                            reason: "must be > 0",
                        });
                    }
                    mi
                }
                None => 1.0,
            };
            dim += m;
            if s > 0.0 {
                kept.push(s);
                if let Some(km) = kept_m.as_mut() {
                    km.push(m);
                }
                rank += m;
                trace += m * s;
                min = min.min(s);
                max = max.max(s);
            }
        }
        if kept.is_empty() {
            return Err(Error::InvalidParameter {
                name: "eigenvalue",
                value: 0.0,
                reason: "the spectrum needs at least one positive eigenvalue",
            });
        }
        // Every pass sums Σ m s/(s+κ)-like terms bounded by the trace and the dimension:
        // both must be representable (rescale Σ by a constant, which rescales λ and κ).
        if !trace.is_finite() {
            return Err(Error::InvalidParameter {
                name: "eigenvalues",
                value: max,
                reason: "the trace (sum of eigenvalues times multiplicities) overflows f64: rescale the spectrum",
            });
        }
        if !dim.is_finite() {
            return Err(Error::InvalidParameter {
                name: "multiplicities",
                value: dim,
                reason: "the dimension (sum of multiplicities) overflows f64",
            });
        }
        Ok(Self::with_proxy(Self {
            values: kept,
            mult: kept_m,
            dim,
            rank,
            trace,
            min,
            max,
            compressed: false,
            proxy: None,
        }))
    }

    /// Entries above which a proxy is built.
    const PROXY_MIN_LEN: usize = 1 << 12;

    /// Attaches the proxy: for each bin `[2^e, 2^{e+1})` the two-point Gauss rule of the
    /// measure `Σ m_k δ_{s_k}` restricted to it, from its first four moments (exact for
    /// cubics, so `rank` and `Tr Σ` are preserved). One pass, no sort.
    fn with_proxy(mut self) -> Self {
        if self.values.len() < Self::PROXY_MIN_LEN {
            return self;
        }
        let mut bins: std::collections::BTreeMap<u64, [f64; 4]> = std::collections::BTreeMap::new();
        for (i, &s) in self.values.iter().enumerate() {
            let e = s.to_bits() >> 52;
            let a = f64::from_bits(e << 52);
            let x = s / a - 1.5; // in [-0.5, 0.5)
            let m = self.multiplicity(i);
            let b = bins.entry(e).or_insert([0.0; 4]);
            b[0] += m;
            b[1] += m * x;
            b[2] += m * x * x;
            b[3] += m * x * x * x;
        }
        let mut values = Vec::with_capacity(2 * bins.len());
        let mut mult = Vec::with_capacity(2 * bins.len());
        for (e, [m0, m1, m2, m3]) in bins {
            let a = f64::from_bits(e << 52);
            let det = m0 * m2 - m1 * m1;
            if det <= 1e-12 * m0 * m0 {
                values.push(a * (1.5 + m1 / m0));
                mult.push(m0);
                continue;
            }
            // Monic p(x) = x² + c1 x + c0 orthogonal to 1 and x.
            let c1 = (m1 * m2 - m0 * m3) / det;
            let c0 = (m1 * m3 - m2 * m2) / det;
            let disc = (c1 * c1 - 4.0 * c0).max(0.0).sqrt();
            let (x1, x2) = (0.5 * (-c1 - disc), 0.5 * (-c1 + disc));
            let w2 = (m1 - x1 * m0) / (x2 - x1);
            let w1 = m0 - w2;
            for (x, w) in [(x1, w1), (x2, w2)] {
                if w > 0.0 {
                    values.push(a * (1.5 + x));
                    mult.push(w);
                }
            }
        }
        let proxy = Self {
            values,
            mult: Some(mult),
            dim: self.dim,
            rank: self.rank,
            trace: self.trace,
            min: self.min,
            max: self.max,
            compressed: true,
            proxy: None,
        };
        self.proxy = Some(Box::new(super::Spectrum {
            repr: super::Repr::Discrete(std::sync::Arc::new(proxy)),
        }));
        self
    }

    /// Multiplicity of stored entry `i`.
    pub(crate) fn multiplicity(&self, i: usize) -> f64 {
        self.mult.as_ref().map_or(1.0, |m| m[i])
    }

    pub(crate) fn dofs(&self, kappa: f64) -> Dofs {
        let a = self.pass::<false>(None, kappa);
        Dofs {
            df1: a[0],
            df2: a[1],
            df1_minus_df2: a[2],
        }
    }

    pub(crate) fn traces(&self, w2: &[f64], kappa: f64) -> Traces {
        let a = self.pass::<true>(Some(w2), kappa);
        Traces {
            kappa,
            df1: a[0],
            df2: a[1],
            df1_minus_df2: a[2],
            tf1: a[3],
            tf1_prime: -a[4],
            tf2: a[5],
            tf1_minus_tf2: a[6],
        }
    }

    /// One pass: `[Df₁, Df₂, Df₁−Df₂, tf₁, −tf₁′, tf₂, tf₁−tf₂]` (the last four only with
    /// `TARGET`).
    fn pass<const TARGET: bool>(&self, w2: Option<&[f64]>, kappa: f64) -> [f64; 7] {
        let n = self.values.len();
        if n < 2 * CHUNK {
            return kernel::<TARGET>(&self.values, self.mult.as_deref(), w2, kappa);
        }
        let parts: Vec<[f64; 7]> = (0..n.div_ceil(CHUNK))
            .into_par_iter()
            .map(|c| {
                let r = c * CHUNK..((c + 1) * CHUNK).min(n);
                kernel::<TARGET>(
                    &self.values[r.clone()],
                    self.mult.as_deref().map(|m| &m[r.clone()]),
                    w2.map(|w| &w[r]),
                    kappa,
                )
            })
            .collect();
        parts.iter().fold([0.0; 7], |mut acc, p| {
            for (a, b) in acc.iter_mut().zip(p) {
                *a += b;
            }
            acc
        })
    }
}

/// The hot loop: one division per entry, `u = 1/(s+κ)`, `t = s u`, then
/// `Df₁ += m t`, `Df₂ += m t²`, `Df₁−Df₂ += m t (κu)`, `tf₁ += w t`, `−tf₁′ += w t u`,
/// `tf₂ += w t²`, `tf₁−tf₂ += w t (κu)` (the differences summed term by term: no
/// cancellation, no overflow of `κ²` for huge ridges).
#[inline]
fn kernel<const TARGET: bool>(
    s: &[f64],
    m: Option<&[f64]>,
    w2: Option<&[f64]>,
    kappa: f64,
) -> [f64; 7] {
    let (mut d1, mut d2, mut dd, mut t1, mut t1p, mut t2, mut td) =
        (0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0);
    let w2 = if TARGET { w2.unwrap_or(&[]) } else { &[] };
    match m {
        None => {
            for (i, &si) in s.iter().enumerate() {
                let u = 1.0 / (si + kappa);
                let t = si * u;
                let ku = kappa * u;
                d1 += t;
                d2 += t * t;
                dd += t * ku;
                if TARGET {
                    let w = w2[i];
                    t1 += w * t;
                    t1p += w * t * u;
                    t2 += w * t * t;
                    td += w * t * ku;
                }
            }
        }
        Some(m) => {
            for (i, (&si, &mi)) in s.iter().zip(m).enumerate() {
                let u = 1.0 / (si + kappa);
                let t = si * u;
                let ku = kappa * u;
                d1 += mi * t;
                d2 += mi * t * t;
                dd += mi * t * ku;
                if TARGET {
                    let w = w2[i];
                    t1 += w * t;
                    t1p += w * t * u;
                    t2 += w * t * t;
                    td += w * t * ku;
                }
            }
        }
    }
    [d1, d2, dd, t1, t1p, t2, td]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parallel_pass_matches_serial_and_is_deterministic() {
        let n = 5 * CHUNK + 17;
        let s: Vec<f64> = (1..=n).map(|k| (k as f64).powf(-1.5)).collect();
        let w: Vec<f64> = (1..=n).map(|k| (k as f64).powf(-1.0)).collect();
        let d = Discrete::new(&s, None).unwrap();
        let par = d.traces(&w, 1e-4);
        let ser = kernel::<true>(&s, None, Some(&w), 1e-4);
        assert!((par.df1 - ser[0]).abs() <= 1e-12 * ser[0]);
        assert!((par.tf2 - ser[5]).abs() <= 1e-12 * ser[5]);
        let again = d.traces(&w, 1e-4);
        assert_eq!(par, again);
    }
}
