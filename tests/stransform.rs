//! S-transforms as values: the numerical S-transform of a spectrum reproduces the closed
//! form of the Wishart factor (THEORY §2.3), and free multiplicativity holds in the solver.

mod common;

use common::tol::*;
use detridge::Spectrum;
use detridge::solver::{SolverParams, renormalized_ridge};
use detridge::stransform::{STransform, SpectralFactor, Wishart};

/// `m` midpoint quantiles of the Marchenko–Pastur law of `ZᵀZ/N` (`D × D`, `q = D/N < 1`).
fn marchenko_pastur_quantiles(q: f64, m: usize) -> Vec<f64> {
    let (a, b) = ((1.0 - q.sqrt()).powi(2), (1.0 + q.sqrt()).powi(2));
    // Substitution x = c + h sin θ removes the square-root edges: the CDF integrand
    // ρ(x) dx = h² cos²θ /(2π q x) dθ is smooth in θ ∈ [−π/2, π/2].
    let (c, h) = (0.5 * (a + b), 0.5 * (b - a));
    let n = 200_000;
    let dth = std::f64::consts::PI / n as f64;
    let mut cdf = Vec::with_capacity(n + 1);
    let mut acc = 0.0;
    cdf.push((-std::f64::consts::FRAC_PI_2, 0.0));
    for i in 0..n {
        let th = -std::f64::consts::FRAC_PI_2 + (i as f64 + 0.5) * dth;
        let x = c + h * th.sin();
        acc += h * h * th.cos().powi(2) / (2.0 * std::f64::consts::PI * q * x) * dth;
        cdf.push((th + 0.5 * dth, acc));
    }
    let total = acc;
    let mut out = Vec::with_capacity(m);
    let mut j = 0;
    for k in 0..m {
        let target = (k as f64 + 0.5) / m as f64 * total;
        while cdf[j + 1].1 < target {
            j += 1;
        }
        let (t0, c0) = cdf[j];
        let (t1, c1) = cdf[j + 1];
        let th = t0 + (t1 - t0) * (target - c0) / (c1 - c0);
        out.push(c + h * th.sin());
    }
    out
}

#[test]
fn spectral_factor_of_marchenko_pastur_is_the_wishart_factor() {
    // S of a Wishart matrix is 1/(1 − Df/N) (THEORY §2.3). Midpoint quantiles of the law
    // with m points approximate smooth traces to O(1/m²) (observed ≤ 4e-7 at m = 4000);
    // the allowance 1e-5 is 25× that and 100× below a visible convention error.
    let m = 4000;
    let n = 8000.0;
    let f = SpectralFactor::new(
        Spectrum::from_eigenvalues(&marchenko_pastur_quantiles(m as f64 / n, m)).unwrap(),
    )
    .unwrap();
    let w = Wishart::new(n).unwrap();
    for dof in [200.0, 1000.0, 2000.0, 3500.0] {
        let (a, b) = (f.inverse(dof), w.inverse(dof));
        assert!((a - b).abs() <= QUANTILE_REL, "Df = {dof}: {a} vs {b}");
    }
}

#[test]
fn free_product_in_the_solver() {
    // κ from [data, features as a spectral factor] equals κ from [data, Wishart(N)]:
    // S-transforms multiply (THEORY §2.2), up to the O(1/m²) discretisation above
    // (observed ≤ 2e-7 relative; allowance 1e-5).
    let m = 4000;
    let n = 8000.0;
    let mp = SpectralFactor::new(
        Spectrum::from_eigenvalues(&marchenko_pastur_quantiles(m as f64 / n, m)).unwrap(),
    )
    .unwrap();
    let sigma =
        Spectrum::from_eigenvalues(&(1..=m).map(|k| (k as f64).powf(-1.2)).collect::<Vec<_>>())
            .unwrap();
    let p = Wishart::new(1500.0).unwrap();
    let w = Wishart::new(n).unwrap();
    let params = SolverParams::default();
    for lambda in [1e-4, 1e-2, 1.0] {
        let a = renormalized_ridge(&sigma, &[&p, &mp], lambda, None, &params)
            .unwrap()
            .kappa;
        let b = renormalized_ridge(&sigma, &[&p, &w], lambda, None, &params)
            .unwrap()
            .kappa;
        assert!(
            (a - b).abs() <= QUANTILE_REL * b,
            "λ = {lambda}: {a} vs {b}"
        );
    }
}

#[test]
fn predicted_density_is_marchenko_pastur_for_isotropic_data() {
    use detridge::stransform::stieltjes::density;
    // ρ(x) = √((b−x)(x−a))/(2π q x) on [a, b] = [(1−√q)², (1+√q)²], both sides of q = 1.
    let s = Spectrum::isotropic(200.0, 1.0).unwrap();
    for &p in &[800.0, 400.0, 100.0] {
        let q: f64 = 200.0 / p;
        let (a, b) = ((1.0 - q.sqrt()).powi(2), (1.0 + q.sqrt()).powi(2));
        for i in 1..10 {
            let x = a + (b - a) * f64::from(i) / 10.0;
            let mp = ((b - x) * (x - a)).sqrt() / (2.0 * std::f64::consts::PI * q * x);
            let rho = density(&s, p, x, 1e-10).unwrap();
            // η = 1e-10 smooths the density by O(η/√dist-to-edge) ≪ 1e-6.
            assert!(
                (rho - mp).abs() <= DENSITY_REL * mp.max(1.0),
                "q={q} x={x}: {rho} vs {mp}"
            );
        }
        // Outside the support the density vanishes.
        assert!(density(&s, p, b + 0.5, 1e-10).unwrap() < OUTSIDE_SUPPORT_ABS);
    }
}

#[test]
fn stieltjes_errors() {
    use detridge::stransform::stieltjes::stieltjes;
    use num_complex::Complex64;
    let s = Spectrum::isotropic(10.0, 1.0).unwrap();
    assert!(matches!(
        stieltjes(&s, 20.0, Complex64::new(1.0, 0.0)),
        Err(detridge::Error::InvalidParameter { .. })
    ));
    assert!(matches!(
        stieltjes(&s, 0.0, Complex64::new(1.0, 0.1)),
        Err(detridge::Error::InvalidParameter { .. })
    ));
    assert!(matches!(
        stieltjes(&s, 20.0, Complex64::new(f64::NAN, 0.1)),
        Err(detridge::Error::NonFinite { .. })
    ));
}
