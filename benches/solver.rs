//! κ solver and linear ridge theory on exact discrete spectra.
//!
//! For `D ∈ {10³, 10⁴, 10⁵, 10⁶}` on `s_k = k^{−1.5}`: one plain pass `Σ s/(s+κ)` over the
//! same array (the unit of cost), one `(P, λ)` point, and 100-point learning curves in
//! `P` (`curve_100`, at `λ = 10⁻⁵`) and in `λ` (`curve_lambda_100`, at `P = 10⁴`). The
//! solver's own pass count per point (a pass = one evaluation of the traces over the
//! spectrum, `solver.iterations`) is printed on stderr at set-up for the curves and for
//! the same points solved cold; time per curve / 100 / plain-pass time gives the cost in
//! plain passes. The CPU-time ratio to numpy is `scripts/bench_ratio.sh`. `compress_setup` and
//! `compressed_curve_100` measure the compressed mode (per-bin Gauss quadrature).
//!
//! `cargo bench --bench solver`

use std::hint::black_box;

use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use detridge::Task;

fn spectrum(d: usize) -> (Vec<f64>, Vec<f64>) {
    let s: Vec<f64> = (1..=d).map(|k| (k as f64).powf(-1.5)).collect();
    let w: Vec<f64> = (1..=d).map(|k| (k as f64).powf(-0.7)).collect();
    (s, w)
}

fn plain_pass(s: &[f64], kappa: f64) -> f64 {
    s.iter().map(|&x| x / (x + kappa)).sum()
}

fn bench_solver(c: &mut Criterion) {
    let mut group = c.benchmark_group("solver");
    group.sample_size(10);
    for &d in &[1_000usize, 10_000, 100_000, 1_000_000] {
        let (s, w) = spectrum(d);
        let task = Task::from_weights(&s, &w, 0.1).expect("valid task");
        let ps: Vec<f64> = (0..100)
            .map(|i| 10f64.powf(1.0 + 4.0 * i as f64 / 99.0))
            .collect();
        let lambda = 1e-5;
        let lambdas: Vec<f64> = (0..100)
            .map(|i| 10f64.powf(-8.0 + 8.0 * i as f64 / 99.0))
            .collect();
        let curve = task
            .ridge_curve_p(&ps, lambda)
            .into_result()
            .expect("curve");
        let passes: usize = curve.iter().map(|t| t.solver.iterations).sum();
        let cold: usize = ps
            .iter()
            .map(|&p| task.ridge(p, lambda).expect("point").solver.iterations)
            .sum();
        let lcurve = task
            .ridge_curve_lambda(1e4, &lambdas)
            .into_result()
            .expect("curve");
        let lpasses: usize = lcurve.iter().map(|t| t.solver.iterations).sum();
        let lcold: usize = lambdas
            .iter()
            .map(|&l| task.ridge(1e4, l).expect("point").solver.iterations)
            .sum();
        eprintln!(
            "D = {d}: solver passes per point: P-curve {:.2} (cold {:.2}), λ-curve {:.2} (cold {:.2})",
            passes as f64 / ps.len() as f64,
            cold as f64 / ps.len() as f64,
            lpasses as f64 / lambdas.len() as f64,
            lcold as f64 / lambdas.len() as f64
        );
        group.bench_with_input(BenchmarkId::new("plain_pass", d), &d, |b, _| {
            b.iter(|| plain_pass(black_box(&s), black_box(1e-4)));
        });
        group.bench_with_input(BenchmarkId::new("one_point", d), &d, |b, _| {
            b.iter(|| {
                task.ridge(black_box(1000.0), black_box(lambda))
                    .expect("point")
            });
        });
        group.bench_with_input(BenchmarkId::new("curve_100", d), &d, |b, _| {
            b.iter(|| {
                task.ridge_curve_p(black_box(&ps), black_box(lambda))
                    .into_result()
                    .expect("curve")
            });
        });
        group.bench_with_input(BenchmarkId::new("curve_lambda_100", d), &d, |b, _| {
            b.iter(|| {
                task.ridge_curve_lambda(black_box(1e4), black_box(&lambdas))
                    .into_result()
                    .expect("curve")
            });
        });
        // Compressed mode (per-bin Gauss quadrature): set-up once, then the same curve.
        let (fast, report) = task.compressed().expect("compression");
        eprintln!(
            "D = {d}: compressed to {} entries, max relative trace error {:.1e}",
            report.entries_after, report.max_rel_error
        );
        group.bench_with_input(BenchmarkId::new("compress_setup", d), &d, |b, _| {
            b.iter(|| black_box(&task).compressed().expect("compression"));
        });
        group.bench_with_input(BenchmarkId::new("compressed_curve_100", d), &d, |b, _| {
            b.iter(|| {
                fast.ridge_curve_p(black_box(&ps), black_box(lambda))
                    .into_result()
                    .expect("curve")
            });
        });
    }
    group.finish();
}

criterion_group!(benches, bench_solver);
criterion_main!(benches);
