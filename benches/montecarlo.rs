//! Benchmarks of the linear-ridge simulator (issue #3):
//! * one draw at D = 1000, P = 2000 for a λ grid of 1 and of 50 values (target: the
//!   50-value sweep costs ≤ 1.3× one value, since both share one eigendecomposition);
//! * one 1000 × 1000 symmetric eigendecomposition, faer against nalgebra's
//!   `SymmetricEigen`, on the same matrix (single-threaded both).
//!
//! Run: `cargo bench --bench montecarlo -- --warm-up-time 1 --measurement-time 3`.

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use detridge::{Task, montecarlo};
use nalgebra::DMatrix;
use rand::RngExt;
use rand_chacha::ChaCha8Rng;
use rand_chacha::rand_core::SeedableRng;
use rand_distr::StandardNormal;

const D: usize = 1000;
const P: usize = 2000;
/// `montecarlo::ridge` needs at least 3 draws; they run on one thread, so the time per
/// draw is the measured time divided by `DRAWS`.
const DRAWS: usize = 3;

fn ridge_draw(c: &mut Criterion) {
    let task = Task::power_law(1.5, 0.4, Some(D), 0.25).expect("task");
    let one = [0.1];
    let fifty: Vec<f64> = (0..50)
        .map(|i| 10f64.powf(-4.0 + 5.0 * i as f64 / 49.0))
        .collect();
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(1)
        .build()
        .expect("pool");
    let mut g = c.benchmark_group("ridge_3_draws_D1000_P2000");
    g.sample_size(10);
    for (name, lambdas) in [("lambdas_1", &one[..]), ("lambdas_50", &fifty[..])] {
        g.bench_function(name, |b| {
            b.iter(|| {
                pool.install(|| {
                    montecarlo::ridge(black_box(&task), P, black_box(lambdas), DRAWS, 7)
                        .expect("simulation")
                })
            });
        });
    }
    g.finish();
}

fn eigen(c: &mut Criterion) {
    // A Wishart Gram matrix XᵀX/P with D = 1000, P = 2000 (what a draw decomposes).
    let mut rng = ChaCha8Rng::seed_from_u64(1);
    let x = DMatrix::<f64>::from_fn(P, D, |_, _| rng.sample(StandardNormal));
    let m = (x.transpose() * &x) / P as f64;
    faer::set_global_parallelism(faer::Par::Seq);
    let mut g = c.benchmark_group("symmetric_eigen_1000");
    g.sample_size(10);
    g.bench_function("faer", |b| {
        b.iter(|| {
            let a = faer::MatRef::from_column_major_slice(m.as_slice(), D, D);
            a.self_adjoint_eigen(faer::Side::Lower).expect("evd")
        });
    });
    g.bench_function("nalgebra", |b| {
        b.iter(|| nalgebra::SymmetricEigen::new(black_box(m.clone())));
    });
    g.finish();
}

criterion_group!(benches, ridge_draw, eigen);
criterion_main!(benches);
