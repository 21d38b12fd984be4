//! Scaling laws of linear ridge regression on exact `D = ∞` power laws (THEORY §7, §8
//! figure families 3 and 4): `E_g` against `P` for a hard (`r < 1`) and an easy (`r > 1`)
//! task with the predicted slopes `−2α min(r, 1)`, the ridgeless noise plateau
//! `σ²(α − 1)`, and the optimal-ridge rate `P^{−2αm/(1+2αm)}`.
//!
//! Prints tables and fitted slopes, and writes CSV files (and JSON with
//! `--features serde`) into `--out DIR` (default
//! `<target dir>/detridge-out/scaling_laws`).
//!
//! Run with `cargo run --release --example scaling_laws [-- --out DIR]`.

#![allow(clippy::print_stdout)] // an example prints its tables

#[path = "support/plot.rs"]
mod plot;

use std::path::Path;

use detridge::scaling::{Regime, exponent, fit_log_log, log_space, noise_plateau};
use detridge::{Result, Task};

const ALPHA: f64 = 1.5;

fn write_csv(dir: &Path, name: &str, header: &str, rows: &[Vec<f64>]) -> std::io::Result<()> {
    let cols: Vec<&str> = header.split(',').collect();
    let mut t = plot::Table::new(name.trim_end_matches(".csv"), &cols);
    for r in rows {
        t.push(r);
    }
    t.write(dir, plot::JSON).map(|_| ())
}

fn main() -> std::result::Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let dir = plot::out_dir_from_args(&args, "scaling_laws");
    std::fs::create_dir_all(&dir)?;
    println!(
        "Task: power law s_k = k^-α, α = {ALPHA}, D = ∞ (exact), |w̄|² set by the source \
         exponent r; each section states r, σ² and λ."
    );
    let ps = log_space(10.0, 1e6, 41)?;

    // 1. Noiseless ridgeless learning curves, r < 1 (source-limited) and r > 1
    //    (capacity-limited).
    for r in [0.4, 1.5] {
        let task = Task::power_law(ALPHA, r, None, 0.0)?;
        let curve = task.ridge_curve_p(&ps, 0.0).into_result()?;
        let pred = exponent(Regime::ResolutionLimited, ALPHA, r)?;
        let eg: Vec<f64> = curve.iter().map(|t| t.test_error).collect();
        let fit = fit_log_log(&ps[20..], &eg[20..])?;
        println!(
            "\nalpha = {ALPHA}, r = {r}, D = inf, sigma = 0, lambda = 0: E_g ~ P^{:.3} predicted, {:.4} fitted (P >= 1e3)",
            pred.value, fit.slope
        );
        println!(
            "{:>10} {:>12} {:>12} {:>12} {:>12}",
            "P", "kappa", "E_g", "bias2", "var_data"
        );
        let mut rows = Vec::new();
        for (i, t) in curve.iter().enumerate() {
            if i % 5 == 0 {
                println!(
                    "{:>10.0} {:>12.4e} {:>12.4e} {:>12.4e} {:>12.4e}",
                    t.p, t.kappa, t.test_error, t.bias2, t.var_data
                );
            }
            rows.push(vec![t.p, t.kappa, t.test_error, t.bias2, t.var_data]);
        }
        write_csv(
            &dir,
            &format!("resolution_limited_r{r}.csv"),
            "P,kappa,E_g,bias2,var_data",
            &rows,
        )?;
    }

    // 2. Noise plateau: ridgeless with σ² = 0.25; Var_Xε → σ²(α − 1).
    let sigma2 = 0.25;
    let task = Task::power_law(ALPHA, 0.7, None, sigma2)?;
    let curve = task.ridge_curve_p(&ps, 0.0).into_result()?;
    println!(
        "\nNoise plateau, alpha = {ALPHA}, r = 0.7, sigma^2 = {sigma2}, lambda = 0: Var_Xeps -> {}",
        noise_plateau(ALPHA, sigma2)?
    );
    println!(
        "{:>10} {:>12} {:>12} {:>12}",
        "P", "E_g", "var_noise", "gamma"
    );
    let mut rows = Vec::new();
    for (i, t) in curve.iter().enumerate() {
        if i % 5 == 0 {
            println!(
                "{:>10.0} {:>12.4e} {:>12.4e} {:>12.6}",
                t.p, t.test_error, t.var_noise, t.gamma
            );
        }
        rows.push(vec![t.p, t.test_error, t.var_noise, t.gamma]);
    }
    write_csv(&dir, "noise_plateau.csv", "P,E_g,var_noise,gamma", &rows)?;

    // 3. Optimal ridge: E* ~ P^{−2αm/(1+2αm)}, λ* ~ P^{−α/(1+2αm)}.
    for r in [0.4, 1.5] {
        let task = Task::power_law(ALPHA, r, None, sigma2)?;
        let grid = log_space(1e2, 1e7, 11)?;
        let opt = grid
            .iter()
            .map(|&p| task.optimal_ridge(p))
            .collect::<Result<Vec<_>>>()?;
        let eg: Vec<f64> = opt.iter().map(|o| o.theory.test_error).collect();
        let lam: Vec<f64> = opt.iter().map(|o| o.lambda).collect();
        let (fe, fl) = (
            fit_log_log(&grid[4..], &eg[4..])?,
            fit_log_log(&grid[4..], &lam[4..])?,
        );
        println!(
            "\nOptimal ridge, r = {r}, sigma^2 = {sigma2}: E* slope {:.4} (predicted {:.4}), lambda* slope {:.4} (predicted {:.4})",
            fe.slope,
            exponent(Regime::OptimalRidge, ALPHA, r)?.value,
            fl.slope,
            exponent(Regime::OptimalRidgeLambda, ALPHA, r)?.value
        );
        println!("{:>10} {:>12} {:>12}", "P", "lambda*", "E*");
        let mut rows = Vec::new();
        for (p, o) in grid.iter().zip(&opt) {
            println!(
                "{:>10.0} {:>12.4e} {:>12.4e}",
                p, o.lambda, o.theory.test_error
            );
            rows.push(vec![*p, o.lambda, o.theory.test_error]);
        }
        write_csv(
            &dir,
            &format!("optimal_ridge_r{r}.csv"),
            "P,lambda_star,E_star",
            &rows,
        )?;
    }
    println!(
        "\nData files ({}) written to {}",
        if plot::JSON {
            "CSV and JSON"
        } else {
            "CSV; JSON with --features serde"
        },
        dir.display()
    );
    Ok(())
}
