//! Writes a 100-point learning curve of linear ridge on the discrete spectrum
//! `s_k = k^{−1.5}`, `w̄_k = k^{−0.7}`, `σ² = 0.1`, `D = 10⁶` as CSV, and reports the CPU
//! seconds the curve took (a measurement aid for `scripts/bench_ratio.sh`).
//!
//! `cargo run --release --example curve_csv -- p|lambda REPS OUT.csv [D]`
//!
//! `p`: `P = 10^{1..5}` (100 log-spaced points) at `λ = 10⁻⁵`; `lambda`: `λ = 10^{−8..0}`
//! at `P = 10⁴`. Prints `cpu_seconds_per_curve`, `passes_per_point` on stderr.

use std::io::Write;

use detridge::Task;

/// Process CPU time (user + system, all threads) from `/proc/self/stat` (Linux).
fn cpu_seconds() -> f64 {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    // Fields after the command name (which is in parentheses): utime is field 14,
    // stime field 15 (1-based), in clock ticks (100 per second on Linux).
    let rest = stat.rsplit_once(')').map_or("", |(_, r)| r);
    let f: Vec<&str> = rest.split_whitespace().collect();
    let ticks = |i: usize| {
        f.get(i)
            .and_then(|v| v.parse::<f64>().ok())
            .unwrap_or(f64::NAN)
    };
    (ticks(11) + ticks(12)) / 100.0
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    let mode = args.get(1).map_or("p", String::as_str).to_owned();
    let reps: usize = args.get(2).map_or(Ok(3), |s| s.parse())?;
    let out = args.get(3).cloned().unwrap_or_else(|| "curve.csv".into());
    let d: usize = args.get(4).map_or(Ok(1_000_000), |s| s.parse())?;
    let s: Vec<f64> = (1..=d).map(|k| (k as f64).powf(-1.5)).collect();
    let w: Vec<f64> = (1..=d).map(|k| (k as f64).powf(-0.7)).collect();
    let task = Task::from_weights(&s, &w, 0.1)?;
    let grid: Vec<f64> = match mode.as_str() {
        "p" => (0..100)
            .map(|i| 10f64.powf(1.0 + 4.0 * f64::from(i) / 99.0))
            .collect(),
        _ => (0..100)
            .map(|i| 10f64.powf(-8.0 + 8.0 * f64::from(i) / 99.0))
            .collect(),
    };
    let run = || match mode.as_str() {
        "p" => task.ridge_curve_p(&grid, 1e-5).into_result(),
        _ => task.ridge_curve_lambda(1e4, &grid).into_result(),
    };
    let _warm = run()?;
    let t0 = cpu_seconds();
    let mut curve = Vec::new();
    for _ in 0..reps {
        curve = run()?;
    }
    let cpu = (cpu_seconds() - t0) / reps as f64;
    let passes: usize = curve.iter().map(|t| t.solver.iterations).sum();
    let mut f = std::io::BufWriter::new(std::fs::File::create(&out)?);
    writeln!(
        f,
        "p,lambda,kappa,test_error,train_error,bias2,var_data,var_noise"
    )?;
    for t in &curve {
        writeln!(
            f,
            "{:e},{:e},{:e},{:e},{:e},{:e},{:e},{:e}",
            t.p, t.lambda, t.kappa, t.test_error, t.train_error, t.bias2, t.var_data, t.var_noise
        )?;
    }
    eprintln!("cpu_seconds_per_curve {cpu:.4}");
    eprintln!("passes_per_point {:.3}", passes as f64 / grid.len() as f64);
    Ok(())
}
