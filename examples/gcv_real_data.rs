//! GCV and LOOCV against a held-out test error on a real data set: the diabetes data
//! (Efron et al. 2004; 442 patients, 10 baseline variables, a disease-progression
//! target) as shipped inside the `linfa-datasets` crate (no download at run time).
//! `linfa-datasets` 0.8 reads the header-less file as if it had a header and drops the
//! first patient; the loader in `examples/support/figdata.rs` restores it (442 rows,
//! checked by `tests/figures.rs`).
//!
//! The features are standardised with the training statistics, the target is centred on
//! the training mean (the ridge has no intercept), the split is a seeded shuffle. One
//! `RidgePath` (one thin SVD) serves the whole λ curve and both λ searches.
//!
//! Writes `gcv_real_data.csv` (and `.json` with `--features serde`) into `--out DIR`
//! (default `<target dir>/detridge-out/gcv_real_data`).
//!
//! Run: `cargo run --release --example gcv_real_data [-- --out DIR]`
#![allow(clippy::print_stdout)]

#[path = "support/plot.rs"]
mod plot;

#[path = "support/figdata.rs"]
mod figdata;

use detridge::estimate::{Criterion, LambdaSearchParams, RidgePath};

/// Fraction of the samples used for training.
const TRAIN_FRACTION: f64 = 0.75;
/// Seed of the train/test shuffle.
const SEED: u64 = 7;

fn main() -> Result<(), plot::BoxError> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let out = plot::out_dir_from_args(&args, "gcv_real_data");
    let split = figdata::diabetes_split(TRAIN_FRACTION, SEED)?;
    let (x_train, y_train) = (&split.x_train, &split.y_train);
    let (x_test, y_test) = (&split.x_test, &split.y_test);
    let (n_train, d) = (x_train.nrows(), x_train.ncols());
    println!(
        "Task: ridge regression on the diabetes data, all {} patients: {} for training \
         ({:.0} %, seeded shuffle {SEED}), {} held out; D = {d} standardised features, \
         centred target; λ in the 1/P convention.",
        split.n,
        n_train,
        100.0 * TRAIN_FRACTION,
        x_test.nrows()
    );

    let path = RidgePath::new(x_train, y_train)?;
    let test_error = |lambda: f64| -> Result<f64, detridge::Error> {
        let w = path.weights(lambda)?;
        Ok((y_test - x_test * w).norm_squared() / y_test.len() as f64)
    };

    println!(
        "diabetes (linfa-datasets): P = {n_train} train, {} test, D = {d}; rank X = {}; \
         eigenvalues of Σ̂ in [{:.3}, {:.3}]",
        x_test.nrows(),
        path.rank(),
        path.sample_eigenvalues().last().copied().unwrap_or(0.0),
        path.sample_eigenvalues().first().copied().unwrap_or(0.0),
    );
    println!(
        "{:>10} {:>8} {:>10} {:>10} {:>10} {:>10} {:>10}",
        "lambda", "df", "kappa_hat", "E_tr", "GCV", "LOOCV", "test MSE"
    );
    let mut table = plot::Table::new(
        "gcv_real_data",
        &[
            "lambda",
            "df",
            "kappa_hat",
            "train_error",
            "gcv",
            "loocv",
            "test_mse",
        ],
    );
    let mut lambdas = vec![0.0];
    lambdas.extend((0..=24).map(|i| 10f64.powf(-5.0 + 7.0 * i as f64 / 24.0)));
    for &l in &lambdas {
        table.push(&[
            l,
            path.df(l)?,
            path.kappa_hat(l)?,
            path.train_error(l)?,
            path.gcv(l)?,
            path.loocv(l)?,
            test_error(l)?,
        ]);
        println!(
            "{l:>10.2e} {:>8.3} {:>10.3e} {:>10.1} {:>10.1} {:>10.1} {:>10.1}",
            path.df(l)?,
            path.kappa_hat(l)?,
            path.train_error(l)?,
            path.gcv(l)?,
            path.loocv(l)?,
            test_error(l)?,
        );
    }

    let params = LambdaSearchParams::default();
    let by_gcv = path.select_lambda(Criterion::Gcv, &params)?;
    let by_loo = path.select_lambda(Criterion::Loocv, &params)?;
    // The oracle: the held-out error minimised on a fine grid over the same range.
    let (lo, hi) = (by_gcv.grid[0].ln(), by_gcv.grid[by_gcv.grid.len() - 1].ln());
    let mut oracle = (f64::NAN, f64::INFINITY);
    for i in 0..=2000 {
        let l = (lo + (hi - lo) * i as f64 / 2000.0).exp();
        let e = test_error(l)?;
        if e < oracle.1 {
            oracle = (l, e);
        }
    }
    println!();
    println!(
        "{:>22} {:>10} {:>12} {:>10}",
        "choice", "lambda", "criterion", "test MSE"
    );
    for (name, c) in [("GCV", &by_gcv), ("LOOCV", &by_loo)] {
        println!(
            "{name:>22} {:>10.3e} {:>12.1} {:>10.1}{}",
            c.lambda,
            c.value,
            test_error(c.lambda)?,
            if c.at_boundary {
                "  (at the grid boundary)"
            } else {
                ""
            }
        );
    }
    println!(
        "{:>22} {:>10.3e} {:>12} {:>10.1}",
        "held-out oracle", oracle.0, "-", oracle.1
    );
    println!(
        "{:>22} {:>10.3e} {:>12.1} {:>10.1}",
        "ridgeless (OLS)",
        0.0,
        path.gcv(0.0)?,
        test_error(0.0)?
    );
    let se = figdata::held_out(&path, &split, by_gcv.lambda)?.std_err;
    let gap = test_error(by_gcv.lambda)? - oracle.1;
    println!(
        "\nThe held-out MSE is a mean over {} patients with standard error ≈ {se:.0} at the GCV \
         choice; the GCV choice is {gap:.0} above the oracle ({}), and the oracle is chosen on \
         the test set itself.",
        x_test.nrows(),
        if gap < se {
            "within that noise"
        } else {
            "more than one standard error"
        }
    );
    println!("\n{}", plot::write_tables(&out, &[&table])?);
    Ok(())
}
