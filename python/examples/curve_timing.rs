//! The Rust side of the Python overhead measurement (`python/examples/overhead.py` runs
//! this binary and the same curve from Python in one run): a 10⁴-point λ-curve on a
//! 1000-dimensional power-law task, best of `REPS` timings (wall and thread CPU seconds).
//!
//! `cargo run --release -p detridge-python --example curve_timing`

use std::time::Instant;

use detridge::Task;

const REPS: usize = 7;

/// This thread's CPU time in seconds (Linux `/proc/thread-self/schedstat`, nanoseconds),
/// or `None` elsewhere. CPU time is what a loaded, shared machine measures reliably.
fn thread_cpu() -> Option<f64> {
    let s = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    let ns: f64 = s.split_whitespace().next()?.parse().ok()?;
    Some(ns * 1e-9)
}

fn main() -> Result<(), detridge::Error> {
    let d = 1000;
    let eigs: Vec<f64> = (1..=d).map(|k| (k as f64).powf(-1.5)).collect();
    let wbar: Vec<f64> = (1..=d).map(|k| (k as f64).powf(-0.5)).collect();
    let task = Task::from_weights(&eigs, &wbar, 0.1)?;
    let n = 10_000;
    let lams: Vec<f64> = (0..n)
        .map(|i| 10f64.powf(-6.0 + 7.0 * i as f64 / (n - 1) as f64))
        .collect();
    let (mut best, mut best_cpu) = (f64::INFINITY, f64::INFINITY);
    let mut check = 0.0;
    for _ in 0..REPS {
        let (t0, c0) = (Instant::now(), thread_cpu());
        let c = task.ridge_curve_lambda(500.0, &lams).into_result()?;
        best = best.min(t0.elapsed().as_secs_f64());
        if let (Some(c0), Some(c1)) = (c0, thread_cpu()) {
            best_cpu = best_cpu.min(c1 - c0);
        }
        check = c.iter().map(|t| t.test_error).sum::<f64>();
    }
    // wall seconds, CPU seconds (inf if unavailable), checksum of the test errors
    #[allow(clippy::print_stdout)]
    {
        println!("{best:.6} {best_cpu:.6} {check:.15e}");
    }
    Ok(())
}
