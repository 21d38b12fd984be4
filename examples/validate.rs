//! Theory next to simulation: the deterministic-equivalence predictions of linear ridge
//! regression (THEORY §2–§3) against seeded Monte Carlo (mean ± standard error, and the
//! z-score `(theory − mean)/SE`).
//!
//! Run with `cargo run --release --example validate` (a few seconds). Expect |z| of order
//! one; at these sizes (D = 400) the theory also carries finite-size corrections of
//! ≲ 2–3 % (THEORY §9, the `rel` column), which show up as larger |z| where the standard
//! error is tiny. The clearest case is `κ̂`: its draw-to-draw spread is ~0.1 %, while its
//! finite-size bias is O(1/P) (for isotropic ridgeless data with P < D exactly
//! `E[1/κ̂] = P/(D−P−1)` against the theory's `1/κ₀ = P/(D−P)`), so |z| ≈ 3–5 there.

#![allow(clippy::print_stdout)] // an example prints its results

use detridge::montecarlo::{self, Estimate};
use detridge::{Spectrum, Task};

/// One line: theory, simulation and z. Agreement at the rounding level (both sides zero
/// in exact arithmetic, e.g. the bias of least squares) is labelled as such, not scored.
fn row(name: &str, theory: f64, mc: &Estimate, scale: f64) {
    let z = if (theory - mc.mean).abs() <= 1e-20 * scale {
        "  ≈ 0 (rounding)".to_string()
    } else if mc.std_err > 0.0 {
        format!("{:+7.2}", mc.z_score(theory))
    } else {
        "   exact".to_string()
    };
    let rel = if theory.abs() > 0.0 {
        format!("{:7.4}", (mc.mean - theory).abs() / theory.abs())
    } else {
        "      -".to_string()
    };
    println!(
        "    {name:<10} {theory:>12.5e}   {:>12.5e} ± {:<10.2e} rel {rel}  z = {z}",
        mc.mean, mc.std_err
    );
}

fn main() -> detridge::Result<()> {
    const D: usize = 400;
    const DRAWS: usize = 50;
    let df = D as f64;
    let sigma2 = 0.25;
    let two_block = Task::with_target_power(
        Spectrum::with_multiplicities(&[1.0, 0.1], &[df / 2.0, df / 2.0])?,
        &[0.8, 2.0],
        sigma2,
    )?;
    let tasks = [
        (
            "isotropic Σ = I, |w̄|² = 1",
            Task::isotropic(df, 1.0, sigma2)?,
        ),
        (
            "power law α = 1.5, r = 0.4",
            Task::power_law(1.5, 0.4, Some(D), sigma2)?,
        ),
        ("two blocks s = 1, 0.1 (D/2 each)", two_block),
    ];
    let lambdas = [0.0, 1e-3, 0.1, 1.0];
    println!("Linear ridge, D = {D}, σ² = {sigma2}, {DRAWS} draws per point.");
    println!("    quantity         theory       simulation (mean ± SE)    rel. gap     z");
    // A separate seed per (task, P): with one seed, every task of the same P would share
    // its standard-normal matrices, and so its fluctuations.
    let mut seed = 0;
    for (name, task) in &tasks {
        for p in [D / 2, 2 * D] {
            seed += 1;
            let mc = montecarlo::ridge(task, p, &lambdas, DRAWS, seed)?;
            let scale = task.signal_variance() + task.noise_variance();
            for r in &mc {
                let t = task.ridge(p as f64, r.lambda)?;
                println!("\n  {name}: P = {p}, λ = {}", r.lambda);
                row("κ (κ̂)", t.kappa, &r.kappa_hat, scale);
                row("E_g", t.test_error, &r.test_error, scale);
                row("E_tr", t.train_error, &r.train_error, scale);
                row("GCV", t.gcv, &r.gcv, scale);
                row("bias²", t.bias2, &r.bias2, scale);
                row("Var_X", t.var_data, &r.var_data, scale);
                row("Var_Xε", t.var_noise, &r.var_noise, scale);
            }
        }
    }
    Ok(())
}
