//! Linear random-feature learning curves and their fine-grained decomposition
//! (THEORY §4, §7.2).
//!
//! For a power-law task (α = 1.5, r = 0.7, D = 10⁵, σ² = 10⁻⁴, λ = 10⁻⁶) prints E_g and
//! its terms (bias², Var_X, Var_F, Var_XF, noise) and E_tr
//! 1. against the width N at fixed P = 500: the double-descent peak at N = P, then the
//!    feature-variance-limited regime (Var_F the largest signal term, P < N ≲ P^{1+α(2r−1)}),
//! 2. against P at fixed N = 500: the peak at P = N.
//!
//! Writes `rf_vs_n.csv` and `rf_vs_p.csv` (and `.json` with `--features serde`) into
//! `--out DIR` (default `<target dir>/detridge-out/random_features`).
//!
//! Run: `cargo run --release --example random_features [-- --out DIR]`.

#![allow(clippy::print_stdout)]

#[path = "support/plot.rs"]
mod plot;

#[path = "support/claims.rs"]
mod claims;

use detridge::Task;
use detridge::features::RfTheory;
use plot::{Cell, Table};

const ALPHA: f64 = 1.5;
const R: f64 = 0.7;
const D: usize = 100_000;
const SIGMA2: f64 = 1e-4;
const LAMBDA: f64 = 1e-6;
const FIXED: f64 = 500.0;

fn geom(lo: f64, hi: f64, n: usize) -> Vec<f64> {
    (0..n)
        .map(|i| (lo * (hi / lo).powf(i as f64 / (n - 1) as f64)).round())
        .collect()
}

/// The noise terms against the signal terms: which dominates the total.
fn noise_dominates(t: &RfTheory) -> bool {
    t.var_noise > t.bias2 + t.var_data + t.var_features + t.var_data_features
}

fn table(
    name: &str,
    title: &str,
    xs: &[f64],
    f: impl Fn(f64) -> detridge::Result<RfTheory>,
) -> detridge::Result<Table> {
    println!("\n{title}");
    println!(
        "{:>8} {:>11} {:>11} {:>11} {:>11} {:>11} {:>11} {:>11}  largest signal term (noise)",
        "x", "E_g", "bias²", "Var_X", "Var_F", "Var_XF", "noise", "E_tr"
    );
    let mut t = Table::new(
        name,
        &[
            "x",
            "test_error",
            "bias2",
            "var_data",
            "var_features",
            "var_data_features",
            "var_noise",
            "train_error",
            "largest_signal_term",
            "noise_dominates",
        ],
    );
    for &x in xs {
        let r = f(x)?;
        let big = claims::largest_signal_term(&r);
        let noisy = noise_dominates(&r);
        println!(
            "{x:>8} {:>11.4e} {:>11.4e} {:>11.4e} {:>11.4e} {:>11.4e} {:>11.4e} {:>11.4e}  {big}{}",
            r.test_error,
            r.bias2,
            r.var_data,
            r.var_features,
            r.var_data_features,
            r.var_noise,
            r.train_error,
            if noisy { " (noise > all signal)" } else { "" }
        );
        t.push_cells(vec![
            Cell::Num(x),
            r.test_error.into(),
            r.bias2.into(),
            r.var_data.into(),
            r.var_features.into(),
            r.var_data_features.into(),
            r.var_noise.into(),
            r.train_error.into(),
            big.into(),
            Cell::Num(f64::from(u8::from(noisy))),
        ]);
    }
    Ok(t)
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let out = plot::out_dir_from_args(&args, "random_features");
    let task = Task::power_law(ALPHA, R, Some(D), SIGMA2)?;
    println!(
        "Task: power law s_k = k^-α, α = {ALPHA}, source r = {R}, D = {D}, σ² = {SIGMA2}; \
         ridge λ = {LAMBDA}; |w̄|² = {:.4}",
        task.target_norm2()
    );
    println!(
        "Columns: the terms of E_g (THEORY §4.4); 'largest signal term' compares bias², Var_X, \
         Var_F, Var_XF; '(noise > all signal)' marks rows where the label-noise terms exceed \
         their sum."
    );

    let mut ns = geom(50.0, 2e5, 29);
    ns.push(FIXED);
    ns.sort_by(f64::total_cmp);
    ns.dedup();
    let vs_n = table(
        "rf_vs_n",
        &format!("E_g against the width N at P = {FIXED}, λ = {LAMBDA}"),
        &ns,
        |n| task.random_features(FIXED, n, LAMBDA),
    )?;
    let mut ps = geom(50.0, 2e5, 29);
    ps.push(FIXED);
    ps.sort_by(f64::total_cmp);
    ps.dedup();
    let vs_p = table(
        "rf_vs_p",
        &format!("E_g against the sample size P at N = {FIXED}, λ = {LAMBDA}"),
        &ps,
        |p| task.random_features(p, FIXED, LAMBDA),
    )?;

    // The double-descent peak on a fine grid around N = P, at this λ and near λ = 0.
    let (lo, hi) = (400, 600);
    let (n1, e1) = claims::rf_peak(&task, FIXED, LAMBDA, lo, hi)?;
    let (n0, e0) = claims::rf_peak(&task, FIXED, 1e-9, lo, hi)?;
    println!(
        "\nDouble-descent peak of E_g against N (P = {FIXED}, N = {lo}…{hi} step 1): \
         N = {n1} (E_g = {e1:.3e}) at λ = {LAMBDA}; N = {n0} (E_g = {e0:.3e}) at λ = 1e-9."
    );
    println!(
        "At λ = 0 the error diverges at N = P exactly; a positive ridge caps the divergence \
         and moves the maximum of the smoothed curve off N = P by {:.0} features here \
         (the smaller λ, the closer: {:.0} at λ = 1e-9).",
        (n1 - FIXED).abs(),
        (n0 - FIXED).abs()
    );

    // The feature-variance-limited window: Var_F > bias² for P < N < N_end.
    let predicted = FIXED.powf(1.0 + ALPHA * (2.0 * R.min(1.0) - 1.0));
    let end = claims::feature_variance_window_end(&task, FIXED, LAMBDA, 1e8)?;
    match end {
        Some(n_end) => println!(
            "\nFeature-variance-limited window (THEORY §7.2): Var_F exceeds bias² for \
             P < N < {n_end:.0} (computed); the scaling law P^(1+α(2r−1)) predicts \
             ≈ {predicted:.0} (an exponent, without prefactor). Just above the peak the \
             data × feature term Var_XF is the largest signal term; Var_F takes over from \
             N ≈ {} on the grid above. With σ² = {SIGMA2} the label-noise terms exceed all \
             signal terms together from N ≈ {} on (rows marked 'noise > all signal'), so \
             there E_g is noise-limited although Var_F still exceeds bias².",
            first_feature_variance(&vs_n).map_or_else(|| "-".into(), |n| format!("{n:.0}")),
            first_noisy(&vs_n).map_or_else(|| "-".into(), |n| format!("{n:.0}"))
        ),
        None => println!("\nVar_F never exceeds bias² above N = P at these parameters."),
    }
    let msg = plot::write_tables(&out, &[&vs_n, &vs_p])?;
    println!("\n{msg}");
    Ok(())
}

/// First width above P at which Var_F is the largest signal term.
fn first_feature_variance(t: &Table) -> Option<f64> {
    let j = t.col_index("largest_signal_term")?;
    t.rows
        .iter()
        .find(|r| r[0].num() > FIXED && r[j] == Cell::Text("feature-variance".into()))
        .map(|r| r[0].num())
}

/// First width (above P) at which the noise terms dominate.
fn first_noisy(t: &Table) -> Option<f64> {
    let (x, flag) = (t.col("x"), t.col("noise_dominates"));
    x.iter()
        .zip(&flag)
        .find(|(x, f)| **x > FIXED && **f > 0.5)
        .map(|(x, _)| *x)
}
