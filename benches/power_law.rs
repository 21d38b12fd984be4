//! Time per `(P, λ)` point of linear ridge theory on exact power-law spectra (issue #5
//! target: ≤ 50 µs per point whatever `D` is), and per trace pass.
//!
//! Run: `cargo bench --bench power_law`.

use std::hint::black_box;

use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use detridge::Task;

fn bench(c: &mut Criterion) {
    let mut g = c.benchmark_group("power_law");
    let cases: [(&str, Option<usize>); 3] = [
        ("D=inf", None),
        ("D=1e6", Some(1_000_000)),
        ("D=1e9", Some(1_000_000_000)),
    ];
    for (name, d) in cases {
        let task = Task::power_law(1.5, 0.7, d, 0.1).unwrap();
        // One cold solve (no warm start) at a mid-curve point.
        g.bench_function(BenchmarkId::new("point_cold", name), |b| {
            b.iter(|| task.ridge(black_box(3000.0), black_box(1e-5)).unwrap())
        });
        // A 100-point learning curve P = 10..1e6 (warm-started), per curve.
        let ps: Vec<f64> = (0..100)
            .map(|i| 10f64.powf(1.0 + 5.0 * i as f64 / 99.0))
            .collect();
        g.bench_function(BenchmarkId::new("curve_100_points", name), |b| {
            b.iter(|| {
                task.ridge_curve_p(black_box(&ps), 1e-5)
                    .into_result()
                    .unwrap()
            })
        });
        // One trace pass across κ regimes.
        g.bench_function(BenchmarkId::new("pass", name), |b| {
            b.iter(|| {
                let mut s = 0.0;
                for k in [1e-12, 1e-8, 1e-4, 1e-1] {
                    s += task.traces(black_box(k)).tf1;
                }
                s
            })
        });
    }
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
