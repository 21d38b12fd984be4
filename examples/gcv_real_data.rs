//! GCV and LOOCV against a held-out test error on a real data set: the diabetes data
//! (Efron et al. 2004; 441 patients, 10 baseline variables, a disease-progression
//! target) as shipped inside the `linfa-datasets` crate (no download at run time).
//!
//! The features are standardised with the training statistics, the target is centred on
//! the training mean (the ridge has no intercept), the split is a seeded shuffle. One
//! `RidgePath` (one thin SVD) serves the whole λ curve and both λ searches.
//!
//! Run: `cargo run --release --example gcv_real_data`
#![allow(clippy::print_stdout)]

use detridge::estimate::{Criterion, LambdaSearchParams, RidgePath};
use detridge::montecarlo::rng_for;
use nalgebra::{DMatrix, DVector};
use rand::seq::SliceRandom;

/// Fraction of the samples used for training.
const TRAIN_FRACTION: f64 = 0.75;
/// Seed of the train/test shuffle.
const SEED: u64 = 7;

fn main() -> Result<(), detridge::Error> {
    let ds = linfa_datasets::diabetes();
    let (n, d) = (ds.records.nrows(), ds.records.ncols());
    let mut order: Vec<usize> = (0..n).collect();
    order.shuffle(&mut rng_for(SEED, 0));
    let n_train = (TRAIN_FRACTION * n as f64).round() as usize;
    let (train, test) = order.split_at(n_train);

    // Standardise with the training statistics only.
    let raw = |i: usize, j: usize| ds.records[[i, j]];
    let mut mean = vec![0.0; d];
    let mut sd = vec![0.0; d];
    for j in 0..d {
        mean[j] = train.iter().map(|&i| raw(i, j)).sum::<f64>() / n_train as f64;
        let var = train
            .iter()
            .map(|&i| (raw(i, j) - mean[j]).powi(2))
            .sum::<f64>()
            / (n_train as f64 - 1.0);
        sd[j] = var.sqrt();
    }
    let y_mean = train.iter().map(|&i| ds.targets[i]).sum::<f64>() / n_train as f64;
    let design = |rows: &[usize]| {
        DMatrix::from_fn(rows.len(), d, |r, j| (raw(rows[r], j) - mean[j]) / sd[j])
    };
    let target = |rows: &[usize]| DVector::from_fn(rows.len(), |r, _| ds.targets[rows[r]] - y_mean);
    let (x_train, y_train) = (design(train), target(train));
    let (x_test, y_test) = (design(test), target(test));

    let path = RidgePath::new(&x_train, &y_train)?;
    let test_error = |lambda: f64| -> Result<f64, detridge::Error> {
        let w = path.weights(lambda)?;
        Ok((&y_test - &x_test * w).norm_squared() / y_test.len() as f64)
    };

    println!(
        "diabetes (linfa-datasets): P = {n_train} train, {} test, D = {d}; rank X = {}; \
         eigenvalues of Σ̂ in [{:.3}, {:.3}]",
        test.len(),
        path.rank(),
        path.sample_eigenvalues().last().copied().unwrap_or(0.0),
        path.sample_eigenvalues().first().copied().unwrap_or(0.0),
    );
    println!(
        "{:>10} {:>8} {:>10} {:>10} {:>10} {:>10} {:>10}",
        "lambda", "df", "kappa_hat", "E_tr", "GCV", "LOOCV", "test MSE"
    );
    let mut lambdas = vec![0.0];
    lambdas.extend((0..=24).map(|i| 10f64.powf(-5.0 + 7.0 * i as f64 / 24.0)));
    for &l in &lambdas {
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
    Ok(())
}
