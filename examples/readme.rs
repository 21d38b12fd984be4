//! The README's first example, kept runnable so its printed output stays true.
#![allow(clippy::print_stdout)]
use detridge::Task;

fn main() -> detridge::Result<()> {
    // Σ = I in D = 250 dimensions, |w̄|² = 1, label-noise variance σ² = 0.25.
    let task = Task::isotropic(250.0, 1.0, 0.25)?;
    for p in [125.0, 250.0, 500.0] {
        let t = task.ridge(p, 1e-3)?; // P samples, ridge λ = 1e-3 (1/P convention)
        println!(
            "P = {p:>5}: kappa = {:.3e}  E_g = {:.4}  E_tr = {:.3e}  S = {:.2}",
            t.kappa, t.test_error, t.train_error, t.s_transform
        );
    }
    Ok(())
}
