//! Power sums, tail integrals and series arithmetic behind the analytic power law (module
//! docs of the parent give the scheme and its error bounds).

use std::sync::OnceLock;

use super::{B_OVER, Family, NGL, NT, SPLIT};

/// 24-point Gauss–Legendre nodes and weights on `[−1, 1]` (Newton on `P₂₄`).
pub(super) fn gauss_legendre() -> &'static ([f64; NGL], [f64; NGL]) {
    static GL: OnceLock<([f64; NGL], [f64; NGL])> = OnceLock::new();
    GL.get_or_init(|| {
        let n = NGL;
        let mut x = [0.0; NGL];
        let mut w = [0.0; NGL];
        for i in 0..n {
            let mut z = (std::f64::consts::PI * (i as f64 + 0.75) / (n as f64 + 0.5)).cos();
            let mut dp = 0.0;
            for _ in 0..100 {
                let (mut p0, mut p1) = (1.0, z);
                for k in 2..=n {
                    let p2 = ((2 * k - 1) as f64 * z * p1 - (k - 1) as f64 * p0) / k as f64;
                    p0 = p1;
                    p1 = p2;
                }
                dp = n as f64 * (z * p1 - p0) / (z * z - 1.0);
                let dz = p1 / dp;
                z -= dz;
                if dz.abs() < 1e-16 {
                    break;
                }
            }
            x[i] = z;
            w[i] = 2.0 / ((1.0 - z * z) * dp * dp);
        }
        (x, w)
    })
}

/// `C(−α, i)`, `i < NT`.
pub(super) fn binom_series(a: f64) -> [f64; NT] {
    let mut b = [0.0; NT];
    b[0] = 1.0;
    for i in 1..NT {
        b[i] = b[i - 1] * (-a - (i - 1) as f64) / i as f64;
    }
    b
}

/// Truncated product of two power series.
#[inline]
pub(super) fn mul(a: &[f64; NT], b: &[f64; NT]) -> [f64; NT] {
    let mut c = [0.0; NT];
    for i in 0..NT {
        let mut s = 0.0;
        for l in 0..=i {
            s += a[l] * b[i - l];
        }
        c[i] = s;
    }
    c
}

/// `∫_{t_lo}^{t_hi} t^{b−1}(t+κ)^{−m} dt` for `(b, m) = (β,1), (β,2), (β+1,2)`, given
/// `(t_lo^β, t_hi^β)`.
pub(super) fn integrals(
    fam: &Family,
    kappa: f64,
    (t_lo, t_hi): (f64, f64),
    (p_lo, p_hi): (f64, f64),
) -> [f64; 3] {
    let beta = fam.beta;
    let mut out = [0.0; 3];
    if t_hi <= t_lo {
        return out;
    }
    let (a, b) = (kappa / SPLIT, SPLIT * kappa);
    let kb = kappa.powf(beta);
    let (pa, pb) = (kb / fam.split_beta, kb * fam.split_beta);
    let k2 = kappa * kappa;
    // Small-t region [t_lo, min(t_hi, κ/8)]: x = t/κ, p = b, Y(t) = t^b/κ^m.
    if t_lo < a {
        let (s_hi, y2) = if t_hi < a { (t_hi, p_hi) } else { (a, pa) };
        let (x1, x2) = (t_lo / kappa, s_hi / kappa);
        let y1 = p_lo;
        out[0] += series(1, beta, x1, x2, y1 / kappa, y2 / kappa);
        out[1] += series(2, beta, x1, x2, y1 / k2, y2 / k2);
        out[2] += series(2, beta + 1.0, x1, x2, y1 * t_lo / k2, y2 * s_hi / k2);
    }
    // Middle region [max(t_lo, κ/8), min(t_hi, 8κ)] in y = ln(t/κ).
    let (m_lo, m_hi) = (t_lo.max(a), t_hi.min(b));
    if m_lo < m_hi {
        let (pre1, pre2) = (kb / kappa, kb / k2);
        if t_lo <= a && t_hi >= b {
            out[0] += pre1 * fam.mid[0];
            out[1] += pre2 * fam.mid[1];
            out[2] += pre2 * kappa * fam.mid[2];
        } else {
            let (y1, y2) = ((m_lo / kappa).ln(), (m_hi / kappa).ln());
            let (c, h) = (0.5 * (y1 + y2), 0.5 * (y2 - y1));
            let (x, w) = gauss_legendre();
            let mut m = [0.0; 3];
            for (xi, wi) in x.iter().zip(w) {
                let y = c + h * xi;
                let v = y.exp();
                let e = (beta * y).exp();
                let g = 1.0 / (1.0 + v);
                m[0] += wi * e * g;
                m[1] += wi * e * g * g;
                m[2] += wi * e * v * g * g;
            }
            out[0] += pre1 * h * m[0];
            out[1] += pre2 * h * m[1];
            out[2] += pre2 * kappa * h * m[2];
        }
    }
    // Large-t region [max(t_lo, 8κ), t_hi]: z = κ/t, p = m − b, Y(t) = t^{b−m}; the upper
    // z end is the lower t end.
    if t_hi > b {
        let (l_lo, p_l) = if t_lo > b { (t_lo, p_lo) } else { (b, pb) };
        let (z1, z2) = (kappa / t_hi, kappa / l_lo);
        out[0] += series(1, 1.0 - beta, z1, z2, p_hi / t_hi, p_l / l_lo);
        out[1] += series(
            2,
            2.0 - beta,
            z1,
            z2,
            p_hi / (t_hi * t_hi),
            p_l / (l_lo * l_lo),
        );
        out[2] += series(2, 1.0 - beta, z1, z2, p_hi / t_hi, p_l / l_lo);
    }
    out
}

/// `Σ_j c_j ∫_{x₁}^{x₂} P₀ x^{p+j−1} dx` with `c_j` the coefficients of `(1+x)^{−m}`
/// (`m ∈ {1, 2}`), given the prefactored endpoint powers `Y_i = P₀ x_i^p`; `0 ≤ x₁ < x₂ ≤ 1/8`
/// (`x₁ = 0` only when `p > 0`).
fn series(m: u32, p: f64, x1: f64, x2: f64, y1: f64, y2: f64) -> f64 {
    let l = if x1 > 0.0 {
        (x2 / x1).ln()
    } else {
        f64::INFINITY
    };
    let (mut a1, mut a2) = (y1, y2); // Y_i x_i^j
    let mut sum = 0.0;
    let mut sign = 1.0;
    for j in 0..200 {
        let e = p + j as f64;
        let cj = if m == 1 { sign } else { sign * (j + 1) as f64 };
        let el = e * l;
        let val = if el.abs() < 0.5 {
            if e == 0.0 {
                a2 * l
            } else {
                -a2 * (-el).exp_m1() / e
            }
        } else {
            (a2 - a1) / e
        };
        let term = cj * val;
        sum += term;
        if j >= 1 && term.abs() <= 1e-17 * sum.abs() {
            break;
        }
        a1 *= x1;
        a2 *= x2;
        sign = -sign;
    }
    sum
}

/// `Σ_{k=1}^{D} k^{−s}` (`ζ(s)` for `D = ∞`, `∞` if it diverges), head + Euler–Maclaurin.
pub(crate) fn power_sum(s: f64, d: Option<u64>) -> f64 {
    const K: u64 = 32;
    match d {
        None if s <= 1.0 => return f64::INFINITY,
        Some(d) if d <= 2 * K => {
            return (1..=d).rev().map(|k| (k as f64).powf(-s)).sum();
        }
        _ => {}
    }
    let head: f64 = (1..K).rev().map(|k| (k as f64).powf(-s)).sum();
    let kf = K as f64;
    // ∫_K^D x^{−s} dx = K^{1−s}(1 − (D/K)^{1−s})/(s−1).
    let integral = match d {
        None => kf.powf(1.0 - s) / (s - 1.0),
        Some(d) => {
            let l = (d as f64 / kf).ln();
            let e = 1.0 - s;
            if e == 0.0 {
                l
            } else {
                kf.powf(e) * (e * l).exp_m1() / e
            }
        }
    };
    let b = binom_series(s);
    let mut corr = 0.0;
    let mut ends = vec![(kf, -1.0)];
    if let Some(d) = d {
        ends.push((d as f64, 1.0));
    }
    for (x, sign) in ends {
        let f0 = x.powf(-s);
        corr += 0.5 * f0;
        let mut xp = x;
        for (j, bo) in B_OVER.iter().enumerate() {
            corr += sign * bo * f0 * b[2 * j + 1] / xp;
            xp *= x * x;
        }
    }
    head + integral + corr
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zeta_values() {
        let z2 = power_sum(2.0, None);
        assert!((z2 - std::f64::consts::PI.powi(2) / 6.0).abs() < 1e-15);
        let z4 = power_sum(4.0, None);
        assert!((z4 - std::f64::consts::PI.powi(4) / 90.0).abs() < 1e-15);
        let h: f64 = (1..=1000u64).rev().map(|k| 1.0 / k as f64).sum();
        assert!((power_sum(1.0, Some(1000)) - h).abs() < 1e-13 * h);
    }

    #[test]
    fn gauss_legendre_integrates_polynomials() {
        let (x, w) = gauss_legendre();
        let s: f64 = x.iter().zip(w).map(|(x, w)| w * x.powi(30)).sum();
        assert!((s - 2.0 / 31.0).abs() < 1e-15);
    }
}
