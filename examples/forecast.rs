//! From a data set to a learning-curve forecast with error bars (THEORY §16).
//!
//! Reads a CSV (numeric columns, optional header row, last column = the label y) or, with
//! no argument, the diabetes data shipped inside the `linfa-datasets` crate (441 rows: its
//! loader treats the header-less file's first row as a header). Features are standardised
//! and y centred (the ridge has no intercept). Fits a population task, prints the fitted
//! α, r, σ² with their 90% bands and a forecast learning curve (tuned ridge and test error
//! with bands), and writes the curve as CSV under the target directory.
//!
//! Run: `cargo run --release --example forecast [-- path/to/data.csv]`
#![allow(clippy::print_stdout)]

use std::path::PathBuf;

use detridge::estimate::Forecast;
use detridge::forecast::Band;
use nalgebra::{DMatrix, DVector};

/// Multiples of `P₀` at which the learning curve is forecast.
const MULTIPLES: [f64; 7] = [0.5, 1.0, 2.0, 4.0, 8.0, 16.0, 32.0];

fn load(path: Option<&str>) -> Result<(String, DMatrix<f64>, DVector<f64>), String> {
    let Some(path) = path else {
        let ds = linfa_datasets::diabetes();
        let (n, d) = (ds.records.nrows(), ds.records.ncols());
        let x = DMatrix::from_fn(n, d, |i, j| ds.records[[i, j]]);
        let y = DVector::from_fn(n, |i, _| ds.targets[i]);
        return Ok(("diabetes (linfa-datasets)".into(), x, y));
    };
    let text = std::fs::read_to_string(path).map_err(|e| format!("{path}: {e}"))?;
    let mut rows: Vec<Vec<f64>> = Vec::new();
    for (i, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let parsed: Result<Vec<f64>, _> =
            line.split(',').map(|v| v.trim().parse::<f64>()).collect();
        match parsed {
            Ok(v) => rows.push(v),
            Err(_) if i == 0 => {} // header
            Err(e) => return Err(format!("{path}, line {}: {e}", i + 1)),
        }
    }
    let cols = rows.first().map_or(0, Vec::len);
    if cols < 2 || rows.iter().any(|r| r.len() != cols) {
        return Err(format!("{path}: need >= 2 numeric columns of equal length"));
    }
    let n = rows.len();
    let x = DMatrix::from_fn(n, cols - 1, |i, j| rows[i][j]);
    let y = DVector::from_fn(n, |i, _| rows[i][cols - 1]);
    Ok((path.to_string(), x, y))
}

fn standardise(mut x: DMatrix<f64>, mut y: DVector<f64>) -> (DMatrix<f64>, DVector<f64>) {
    let n = x.nrows() as f64;
    for mut c in x.column_iter_mut() {
        let m = c.sum() / n;
        c.add_scalar_mut(-m);
        let sd = (c.norm_squared() / (n - 1.0)).sqrt();
        if sd > 0.0 {
            c /= sd;
        }
    }
    let m = y.sum() / n;
    y.add_scalar_mut(-m);
    (x, y)
}

fn fmt(b: &Band) -> String {
    format!("{:.4} [{:.4}, {:.4}]", b.value, b.lower, b.upper)
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let arg = std::env::args().nth(1);
    let (name, x, y) = load(arg.as_deref())?;
    let (x, y) = standardise(x, y);
    let (p0, d) = x.shape();
    println!("data: {name}, P0 = {p0} rows, D = {d} features (standardised, y centred)");

    let f = Forecast::fit(&x, &y)?;
    let rep = f.report();
    let gof = &rep.goodness_of_fit;
    println!("model: {:?} — {}", gof.family, gof.reason);
    for c in &gof.candidates {
        println!(
            "  candidate {:?}: df RMS {:?}, risk RMS {:?}{}",
            c.family,
            c.df_rms,
            c.risk_rms,
            c.failure
                .as_ref()
                .map_or(String::new(), |e| format!(", failed: {e}"))
        );
    }
    let pr = &rep.parameters;
    println!(
        "fitted parameters (90% bands, {} resamples of {} rows):",
        rep.resamples_used, rep.subsample_size
    );
    if let Some(a) = &pr.alpha {
        println!("  alpha (capacity)    {}", fmt(a));
    }
    println!("  r (source)          {}", fmt(&pr.r));
    println!("  sigma^2 (noise)     {}", fmt(&pr.noise_variance));
    println!("  signal w'Sw         {}", fmt(&pr.signal));
    println!("  scale c             {}", fmt(&pr.scale));

    println!("\nforecast learning curve (tuned ridge; E_g without test-label noise):");
    println!(
        "{:>8} {:>36} {:>36}",
        "P", "lambda* [90% band]", "E_g(lambda*) [90% band]"
    );
    let mut csv = String::from(
        "p,lambda,lambda_lower,lambda_upper,test_error,test_error_lower,test_error_upper,noise_variance\n",
    );
    for m in MULTIPLES {
        let p = (m * p0 as f64).round();
        let o = f.optimal(p)?;
        println!("{p:>8} {:>36} {:>36}", fmt(&o.lambda), fmt(&o.test_error));
        csv += &format!(
            "{p},{},{},{},{},{},{},{}\n",
            o.lambda.value,
            o.lambda.lower,
            o.lambda.upper,
            o.test_error.value,
            o.test_error.lower,
            o.test_error.upper,
            pr.noise_variance.value
        );
    }
    let dir = std::env::var_os("CARGO_TARGET_DIR")
        .map_or_else(|| PathBuf::from("target"), PathBuf::from)
        .join("forecast");
    std::fs::create_dir_all(&dir)?;
    let out = dir.join("learning_curve.csv");
    std::fs::write(&out, csv)?;
    println!("\nwrote {}", out.display());
    // Figure hook: the PNG (E_g against P on log-log axes with the band shaded, the
    // columns of the CSV above) is drawn by the crate's figure tooling once it lands;
    // call it here with `out` as input and write `learning_curve.png` beside it.
    Ok(())
}
