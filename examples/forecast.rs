//! From a data set to a learning-curve forecast with error bars (THEORY §16).
//!
//! ```text
//! cargo run --release --example forecast -- [path/to/data.csv] [--out DIR] [--no-standardise]
//! ```
//!
//! Reads a CSV (numeric columns, optional header row, last column = the label y) or, with
//! no path, the diabetes data shipped inside the `linfa-datasets` crate (all 442 patients:
//! the loader of `examples/support/figdata.rs` restores the first row, which
//! `linfa-datasets` 0.8 drops). Features are standardised and y centred (the ridge has no
//! intercept); `--no-standardise` only centres them — use it when the columns share a unit,
//! since scaling every column to unit variance flattens the population spectrum (a
//! power-law spectrum is then fitted as a much flatter one). Fits a population task ([`Forecast::fit`], default parameters), prints the
//! fitted α, r, σ² with their 90% bands and the forecast learning curve (tuned ridge and
//! test error with bands) at multiples of `P₀`, and writes into `--out DIR` (default
//! `<target dir>/detridge-out/forecast`):
//!
//! * `learning_curve.csv`: the forecast on a geometric grid `P ∈ [P₀/8, 32P₀]` — tuned
//!   ridge `λ*` and `E_g(λ*)` (no test-label noise) with their bands, the noisy risk
//!   `E_g + σ²` at `λ*` with its band, and `fitted` = 1 for `P ≤ P₀`;
//! * `learning_curve_measured.csv`: what the data measure — the exact leave-one-out error
//!   of random subsets of `m ≤ P₀` rows at the forecast's tuned ridge, with its standard
//!   error, beside the forecast risk there;
//! * `learning_curve.png` (and `.svg`): left, `E_g(λ*)` against `P` on log–log axes with
//!   the 90% band shaded and `P₀` marked (the fitted range is `P ≤ P₀`); right, the risk
//!   `E_g + σ²` with its band against the measured leave-one-out points; the title gives
//!   the fitted α, r, σ² with their bands.
//!
//! Without a path this is the gallery figure `docs/figures/forecast_diabetes.png`.
#![allow(clippy::print_stdout)]

#[path = "support/plot.rs"]
mod plot;

#[path = "support/figdata.rs"]
mod figdata;

use detridge::estimate::Forecast;
use detridge::forecast::Band;
use figdata::forecastfig;
use nalgebra::{DMatrix, DVector};

/// Multiples of `P₀` at which the learning curve is printed.
const MULTIPLES: [f64; 7] = [0.5, 1.0, 2.0, 4.0, 8.0, 16.0, 32.0];

fn load(path: Option<&str>) -> Result<(String, DMatrix<f64>, DVector<f64>), String> {
    let Some(path) = path else {
        let (x, y) = figdata::diabetes().map_err(|e| e.to_string())?;
        return Ok(("Diabetes".into(), x, y));
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
    let name = std::path::Path::new(path)
        .file_name()
        .map_or_else(|| path.to_string(), |n| n.to_string_lossy().into_owned());
    Ok((name, x, y))
}

fn fmt(b: &Band) -> String {
    fmt3(b.value, b.lower, b.upper)
}

fn fmt3(value: f64, lower: f64, upper: f64) -> String {
    format!("{value:.4} [{lower:.4}, {upper:.4}]")
}

fn main() -> Result<(), plot::BoxError> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mut path: Option<&str> = None;
    let mut out = plot::default_out_dir("forecast");
    let mut scale = true;
    let mut i = 0;
    while i < args.len() {
        match args[i].as_str() {
            "--out" => {
                i += 1;
                out = args.get(i).ok_or("--out needs a directory")?.into();
            }
            a if a.starts_with("--out=") => out = a["--out=".len()..].into(),
            "--no-standardise" => scale = false,
            "-h" | "--help" => {
                println!("usage: forecast [path/to/data.csv] [--out DIR] [--no-standardise]");
                return Ok(());
            }
            a if a.starts_with("--") => return Err(format!("unknown option {a:?}").into()),
            a if path.is_none() => path = Some(a),
            a => return Err(format!("unexpected argument {a:?}").into()),
        }
        i += 1;
    }
    let (name, x, y) = load(path)?;
    let (x, y) = forecastfig::prepare(x, y, scale);
    let (p0, d) = x.shape();
    let how = if scale { "standardised" } else { "centred" };
    println!("data: {name}, P0 = {p0} rows, D = {d} features ({how}, y centred)");

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
    for m in MULTIPLES {
        let p = (m * p0 as f64).round();
        let o = f.optimal(p)?;
        println!("{p:>8} {:>36} {:>36}", fmt(&o.lambda), fmt(&o.test_error));
    }

    let fig = forecastfig::learning_curve("learning_curve", &name, &x, &y, &f)?;
    let m = fig.table("learning_curve_measured");
    println!("\nwhat the data measure (leave-one-out of random m-row subsets, tuned ridge):");
    println!(
        "{:>8} {:>8} {:>22} {:>40}",
        "P = m-1", "subsets", "LOO error ± SE", "forecast E_g + sigma^2 [90% band]"
    );
    let (mp, ms, ml, me) = (m.col("p"), m.col("subsets"), m.col("loo"), m.col("loo_se"));
    let (rv, rl, ru) = (
        m.col("risk_forecast"),
        m.col("risk_forecast_lower"),
        m.col("risk_forecast_upper"),
    );
    for k in 0..mp.len() {
        println!(
            "{:>8} {:>8} {:>22} {:>40}",
            mp[k],
            ms[k],
            format!("{:.4} ± {:.4}", ml[k], me[k]),
            fmt3(rv[k], rl[k], ru[k])
        );
    }
    let tables: Vec<&plot::Table> = fig.tables.iter().collect();
    println!("\n{}", plot::write_tables(&out, &tables)?);
    let drawn = fig.figure.render(&out)?;
    for p in drawn {
        println!("drew {}", p.display());
    }
    Ok(())
}
