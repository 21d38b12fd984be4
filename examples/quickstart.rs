//! Quickstart: double descent for an isotropic task and a power-law learning curve,
//! printed as aligned tables (THEORY §3, §7, §8 figure families 1 and 3), and written as
//! CSV (JSON with `--features serde`) into `--out DIR` (default
//! `<target dir>/detridge-out/quickstart`).
//!
//! Run with `cargo run --release --example quickstart [-- --out DIR]`.
#![allow(clippy::print_stdout)]

#[path = "support/plot.rs"]
mod plot;

use detridge::Task;
use detridge::ridge::RidgeTheory;

type Result<T> = std::result::Result<T, plot::BoxError>;

const COLUMNS: [&str; 9] = [
    "P",
    "lambda",
    "kappa",
    "E_g",
    "E_tr",
    "bias2",
    "var_data",
    "var_noise",
    "gcv",
];

fn push(t: &mut plot::Table, r: &RidgeTheory) {
    t.push(&[
        r.p,
        r.lambda,
        r.kappa,
        r.test_error,
        r.train_error,
        r.bias2,
        r.var_data,
        r.var_noise,
        r.gcv,
    ]);
}

fn header() {
    println!(
        "{:>9} {:>11} {:>11} {:>11} {:>11} {:>11} {:>11} {:>11}",
        "P", "kappa", "test E_g", "train E_tr", "bias2", "var_data", "var_noise", "GCV"
    );
}

fn row(t: &detridge::ridge::RidgeTheory) {
    println!(
        "{:>9.1} {:>11.4e} {:>11.4e} {:>11.4e} {:>11.4e} {:>11.4e} {:>11.4e} {:>11.4e}",
        t.p, t.kappa, t.test_error, t.train_error, t.bias2, t.var_data, t.var_noise, t.gcv
    );
}

fn main() -> Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let out = plot::out_dir_from_args(&args, "quickstart");
    let mut dd = plot::Table::new("double_descent", &COLUMNS);
    let mut pl = plot::Table::new("power_law", &COLUMNS);
    // 1. Double descent: Σ = I, D = 250, |w̄|² = 1, σ² = 0.25, λ = 1e-3 (THEORY §8, fig. 1C).
    let d = 250.0;
    let task = Task::isotropic(d, 1.0, 0.25)?;
    println!(
        "Isotropic ridge, D = {d}, |w|^2 = 1, sigma^2 = 0.25, lambda = 1e-3: double descent at P = D"
    );
    header();
    let ps: Vec<f64> = (1..=20).map(|i| d * 0.1 * i as f64).collect();
    for t in task.ridge_curve_p(&ps, 1e-3).into_result()? {
        row(&t);
        push(&mut dd, &t);
    }
    let opt = task.optimal_ridge(d)?;
    println!(
        "At P = D the optimal ridge is lambda* = {:.4} (closed form sigma^2 D/(P |w|^2) = {:.4}), E_g = {:.4e}\n",
        opt.lambda,
        0.25 * d / (d * 1.0),
        opt.theory.test_error
    );

    // 2. Power-law learning curve: s_k = k^-1.5, r = 0.4, D = 10^5, noiseless, λ = 1e-6.
    let task = Task::power_law(1.5, 0.4, Some(100_000), 0.0)?;
    println!(
        "Power law alpha = 1.5, r = 0.4 (|w|^2 = {:.4}), D = 1e5, sigma^2 = 0, lambda = 1e-6",
        task.target_norm2()
    );
    println!("(resolution-limited: E_g ~ P^(-2 alpha r) = P^-1.2 until the ridge takes over)");
    header();
    let ps: Vec<f64> = (0..=12)
        .map(|i| 10f64.powf(1.0 + 0.25 * i as f64))
        .collect();
    let curve = task.ridge_curve_p(&ps, 1e-6).into_result()?;
    for t in &curve {
        row(t);
        push(&mut pl, t);
    }
    let (a, b) = (&curve[2], &curve[6]);
    println!(
        "fitted slope of E_g between P = {:.0} and P = {:.0}: {:.3} (theory -1.2)",
        a.p,
        b.p,
        (b.test_error / a.test_error).ln() / (b.p / a.p).ln()
    );
    println!("\n{}", plot::write_tables(&out, &[&dd, &pl])?);
    Ok(())
}
