//! A 100-value λ path of GCV + LOOCV from one `RidgePath` (one thin SVD) against 100
//! separate solves (per λ: faer Cholesky of `XᵀX/P + λ`, `(XᵀX/P + λ)⁻¹Xᵀ` for the hat
//! diagonal, weights, residuals), at `P = 500`, `D = 200` (a λ-sweep costs one
//! decomposition, not L solves). The baseline is given `XᵀX` for free.
//!
//! `cargo bench --bench estimate`; the ratio is `separate_solves / path_total`.

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use detridge::estimate::RidgePath;
use detridge::montecarlo::rng_for;
use faer::linalg::solvers::Solve;
use faer::{Mat, Side};
use nalgebra::{DMatrix, DVector};
use rand_distr::{Distribution, StandardNormal};

const P: usize = 500;
const D: usize = 200;

fn data() -> (DMatrix<f64>, DVector<f64>) {
    let mut rng = rng_for(1, 0);
    let x = DMatrix::from_fn(P, D, |_, _| StandardNormal.sample(&mut rng));
    let y = DVector::from_fn(P, |i, _| {
        let g: f64 = StandardNormal.sample(&mut rng);
        x[(i, 0)] - 0.5 * x[(i, 1)] + g
    });
    (x, y)
}

fn lambdas() -> Vec<f64> {
    (0..100)
        .map(|i| 10f64.powf(-6.0 + 8.0 * i as f64 / 99.0))
        .collect()
}

/// GCV and LOOCV at one λ by a direct solve (the baseline).
fn direct(
    xf: &Mat<f64>,
    xt: &Mat<f64>,
    gram: &Mat<f64>,
    y: &Mat<f64>,
    xty: &Mat<f64>,
    l: f64,
) -> (f64, f64) {
    let pf = P as f64;
    let mut a = gram.clone();
    for i in 0..D {
        a[(i, i)] += l;
    }
    let llt = a.llt(Side::Lower).expect("SPD");
    let m = llt.solve(xt); // (XᵀX/P + λ)⁻¹Xᵀ, D × P
    let w = llt.solve(xty) * faer::Scale(1.0 / pf);
    let fit = xf * &w;
    let (mut sse, mut loo, mut tr) = (0.0, 0.0, 0.0);
    for i in 0..P {
        let mut hii = 0.0;
        for k in 0..D {
            hii += xf[(i, k)] * m[(k, i)];
        }
        hii /= pf;
        tr += hii;
        let e = y[(i, 0)] - fit[(i, 0)];
        sse += e * e;
        loo += (e / (1.0 - hii)).powi(2);
    }
    let etr = sse / pf;
    (etr / (1.0 - tr / pf).powi(2), loo / pf)
}

fn bench_estimate(c: &mut Criterion) {
    let (x, y) = data();
    let ls = lambdas();
    let xf = Mat::from_fn(P, D, |i, j| x[(i, j)]);
    let xt = xf.transpose().to_owned();
    let gram = (&xt * &xf) * faer::Scale(1.0 / P as f64);
    let yf = Mat::from_fn(P, 1, |i, _| y[i]);
    let xty = &xt * &yf;
    // Cross-check the two routes once.
    let path = RidgePath::new(&x, &y).expect("path");
    for &l in &[1e-3, 1.0] {
        let (g, lo) = direct(&xf, &xt, &gram, &yf, &xty, l);
        let (g2, lo2) = (path.gcv(l).expect("gcv"), path.loocv(l).expect("loo"));
        assert!((g - g2).abs() < 1e-9 * g && (lo - lo2).abs() < 1e-9 * lo);
    }

    let mut group = c.benchmark_group("estimate_P500_D200_100lambda");
    group.sample_size(10);
    group.bench_function("path_total", |b| {
        b.iter(|| {
            let path = RidgePath::new(black_box(&x), black_box(&y)).expect("path");
            ls.iter()
                .map(|&l| path.gcv(l).expect("gcv") + path.loocv(l).expect("loo"))
                .sum::<f64>()
        });
    });
    group.bench_function("path_decomposition_only", |b| {
        b.iter(|| RidgePath::new(black_box(&x), black_box(&y)).expect("path"));
    });
    group.bench_function("path_evaluations_only", |b| {
        b.iter(|| {
            ls.iter()
                .map(|&l| path.gcv(black_box(l)).expect("gcv") + path.loocv(l).expect("loo"))
                .sum::<f64>()
        });
    });
    group.bench_function("separate_solves", |b| {
        b.iter(|| {
            ls.iter()
                .map(|&l| {
                    let (g, lo) = direct(&xf, &xt, &gram, &yf, &xty, black_box(l));
                    g + lo
                })
                .sum::<f64>()
        });
    });
    group.finish();
}

criterion_group!(benches, bench_estimate);
criterion_main!(benches);
