//! The forecast learning-curve figure (THEORY §16): from one data set `(X, y)` of `P₀`
//! rows and its [`Forecast`], the forecast test error at the tuned ridge against `P` with
//! its 90% band, and the noisy risk `E_g + σ²` against what the data themselves measure
//! (leave-one-out error of random subsets of the rows). A child module of `figdata.rs`
//! (it returns a [`FigData`]); used by `examples/forecast.rs` (any CSV) and by the
//! gallery figure `forecast_diabetes` of `examples/figures.rs`.

use detridge::estimate::{Forecast, RidgePath};
use detridge::forecast::Band;
use detridge::montecarlo::rng_for;
use nalgebra::{DMatrix, DVector};
use rand::seq::index::sample;

use super::{BoxError, FigData, Figure, Legend, Panel, Series, Style, Table, geomspace};

/// The forecast curve spans `P ∈ [P₀·CURVE_FROM, P₀·CURVE_TO]`.
pub const CURVE_FROM: f64 = 0.125;
/// Upper end of the forecast curve, in multiples of `P₀`.
pub const CURVE_TO: f64 = 32.0;
/// Points of the forecast curve (geometric grid; 5 a doubling, so `P₀` is on it).
pub const CURVE_POINTS: usize = 41;
/// Subset sizes `m` (fractions of `P₀`) at which the data's leave-one-out error is measured.
pub const MEASURED_FRACTIONS: [f64; 5] = [0.125, 0.25, 0.5, 0.75, 1.0];
/// Random subsets of `m < P₀` rows per size (one, all rows, at `m = P₀`).
pub const SUBSETS: usize = 20;
/// Seed of the subsets.
pub const SEED: u64 = 16;

/// Standardises the columns of `x` (mean 0, sample sd 1; constant columns are only
/// centred) and centres `y`: the ridge has no intercept.
pub fn standardise(x: DMatrix<f64>, y: DVector<f64>) -> (DMatrix<f64>, DVector<f64>) {
    prepare(x, y, true)
}

/// Centres the columns of `x` and `y`, and with `scale` also divides each non-constant
/// column by its sample sd. Scaling suits columns in different units; it also flattens
/// the population spectrum, so keep `scale = false` when the columns share a unit (a
/// power-law spectrum is only visible unscaled).
pub fn prepare(
    mut x: DMatrix<f64>,
    mut y: DVector<f64>,
    scale: bool,
) -> (DMatrix<f64>, DVector<f64>) {
    let n = x.nrows() as f64;
    for mut c in x.column_iter_mut() {
        let m = c.sum() / n;
        c.add_scalar_mut(-m);
        let sd = (c.norm_squared() / (n - 1.0)).sqrt();
        if scale && sd > 0.0 {
            c /= sd;
        }
    }
    let m = y.sum() / n;
    y.add_scalar_mut(-m);
    (x, y)
}

/// A number to three significant digits (no exponent for the magnitudes of the title).
pub fn sig3(v: f64) -> String {
    if v == 0.0 || !v.is_finite() {
        return format!("{v}");
    }
    let decimals = (2 - v.abs().log10().floor() as i64).max(0) as usize;
    format!("{v:.decimals$}")
}

/// `value [lower, upper]` to three significant digits.
pub fn band_text(b: &Band) -> String {
    format!("{} [{}, {}]", sig3(b.value), sig3(b.lower), sig3(b.upper))
}

/// The fitted `α, r, σ²` with their bands, as in the figure's title.
pub fn parameters_line(f: &Forecast) -> String {
    let pr = f.parameters();
    let alpha = pr.alpha.as_ref().map_or_else(
        || "α n/a (non-parametric spectrum)".to_string(),
        |a| format!("α = {}", band_text(a)),
    );
    format!(
        "{alpha}, r = {}, σ² = {}",
        band_text(&pr.r),
        band_text(&pr.noise_variance)
    )
}

/// The smallest ridge measured on the data: `10⁻⁶ Tr Σ̂ / D` (as in
/// `detridge::forecast::backtest`), so that a tuned ridge at or below zero is still a
/// valid leave-one-out ridge.
fn ridge_floor(x: &DMatrix<f64>) -> f64 {
    1e-6 * x.norm_squared() / (x.nrows() * x.ncols()) as f64
}

/// The leave-one-out error of `SUBSETS` random `m`-row subsets of `(x, y)` at ridge
/// `lambda` (1/P convention on `m` rows): the mean squared residual over every subset and
/// row, and its standard error, counting at most `P₀` distinct rows (subsets share rows,
/// so `SUBSETS·m` residuals are not independent).
fn subset_loo(
    x: &DMatrix<f64>,
    y: &DVector<f64>,
    m: usize,
    lambda: f64,
) -> Result<(f64, f64, usize), BoxError> {
    let p0 = x.nrows();
    let subsets = if m >= p0 { 1 } else { SUBSETS };
    let mut sq: Vec<f64> = Vec::with_capacity(subsets * m);
    for s in 0..subsets {
        let mut idx: Vec<usize> = if m >= p0 {
            (0..p0).collect()
        } else {
            sample(&mut rng_for(SEED, (m * SUBSETS + s) as u64), p0, m).into_vec()
        };
        idx.sort_unstable();
        let xs = x.select_rows(&idx);
        let ys = DVector::from_fn(m, |i, _| y[idx[i]]);
        let res = RidgePath::new(&xs, &ys)?.loo_residuals(lambda)?;
        sq.extend(res.iter().map(|r| r * r));
    }
    let n = sq.len() as f64;
    let mean = sq.iter().sum::<f64>() / n;
    let var = sq.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / (n - 1.0);
    let se = (var / n.min(p0 as f64)).sqrt();
    Ok((mean, se, subsets))
}

/// The learning-curve figure `name` (tables `name` and `name_measured`) for the data
/// `(x, y)` (standardised, centred) and its forecast `f`; `data` names the data in the
/// title.
///
/// * `name`: the forecast at the tuned ridge `λ*(P)` of the fitted task on a geometric
///   grid `P ∈ [P₀/8, 32P₀]`: `λ*` and `E_g(λ*)` with the bands of
///   [`Forecast::optimal`], and the noisy risk `E_g + σ²` at the same `λ*` with the band
///   of [`Forecast::risk`]; `fitted` is 1 for `P ≤ P₀`.
/// * `name_measured`: at `m ∈ P₀·MEASURED_FRACTIONS`, the exact leave-one-out error of
///   `SUBSETS` random `m`-row subsets, at the data ridge `λ*(m−1)(m−1)/m` (held out from
///   `m − 1` rows with the penalty kept: ridge `λ*(m−1)` at `P = m − 1`, as in
///   `detridge::forecast::backtest`), beside the forecast risk there.
///
/// # Errors
/// Library errors of the forecast or of the ridge path.
pub fn learning_curve(
    name: &str,
    data: &str,
    x: &DMatrix<f64>,
    y: &DVector<f64>,
    f: &Forecast,
) -> Result<FigData, BoxError> {
    let p0 = x.nrows();
    let pf = p0 as f64;
    let sigma2 = f.parameters().noise_variance.value;
    let floor = ridge_floor(x);
    let mut curve = Table::new(
        name,
        &[
            "p",
            "lambda",
            "lambda_lower",
            "lambda_upper",
            "test_error",
            "test_error_lower",
            "test_error_upper",
            "noise_variance",
            "risk",
            "risk_lower",
            "risk_upper",
            "fitted",
        ],
    );
    for p in geomspace(CURVE_FROM * pf, CURVE_TO * pf, CURVE_POINTS) {
        let o = f.optimal(p)?;
        let risk = f.risk(p, o.lambda.value.max(floor))?;
        curve.push(&[
            p,
            o.lambda.value,
            o.lambda.lower,
            o.lambda.upper,
            o.test_error.value,
            o.test_error.lower,
            o.test_error.upper,
            sigma2,
            risk.value,
            risk.lower,
            risk.upper,
            f64::from(u8::from(p <= pf * (1.0 + 1e-9))),
        ]);
    }
    let mut measured = Table::new(
        &format!("{name}_measured"),
        &[
            "p",
            "rows",
            "subsets",
            "lambda",
            "data_lambda",
            "loo",
            "loo_se",
            "risk_forecast",
            "risk_forecast_lower",
            "risk_forecast_upper",
        ],
    );
    for frac in MEASURED_FRACTIONS {
        let m = ((frac * pf).round() as usize).clamp(4, p0);
        let p = (m - 1) as f64;
        let lambda = f.optimal(p)?.lambda.value.max(floor);
        let data_lambda = lambda * p / m as f64;
        let (loo, se, subsets) = subset_loo(x, y, m, data_lambda)?;
        let risk = f.risk(p, lambda)?;
        measured.push(&[
            p,
            m as f64,
            subsets as f64,
            lambda,
            data_lambda,
            loo,
            se,
            risk.value,
            risk.lower,
            risk.upper,
        ]);
    }

    let ps = curve.col("p");
    let vline = (pf, format!("P₀ = {p0} (fitted range: P ≤ P₀)"));
    let mut left = Panel::new(
        "Forecast E_g at the tuned ridge λ*(P)",
        "training samples P",
        "test error E_g (no label noise)",
    )
    .log(true, true)
    .legend(Legend::LowerLeft)
    .with(Series::new(
        "90% band",
        ps.clone(),
        curve.col("test_error_lower"),
        Style::Band {
            upper: curve.col("test_error_upper"),
        },
        0,
    ))
    .with(Series::new(
        "forecast E_g(λ*)",
        ps.clone(),
        curve.col("test_error"),
        Style::Line,
        0,
    ));
    left.vlines.push(vline);
    let mut right = Panel::new(
        "Risk E_g + σ²: forecast vs the data",
        "training samples P",
        "risk on noisy labels",
    )
    .log(true, false)
    .legend(Legend::UpperRight)
    .with(Series::new(
        "90% band",
        ps.clone(),
        curve.col("risk_lower"),
        Style::Band {
            upper: curve.col("risk_upper"),
        },
        0,
    ))
    .with(Series::new(
        "forecast E_g(λ*) + σ²",
        ps.clone(),
        curve.col("risk"),
        Style::Line,
        0,
    ))
    .with(Series::new(
        "data: LOO of subsets ± SE",
        measured.col("p"),
        measured.col("loo"),
        Style::Points {
            err: measured.col("loo_se"),
        },
        1,
    ));
    right.vlines.push((pf, format!("P₀ = {p0}")));
    right.hlines.push((sigma2, "fitted σ²".into()));

    let pr = f.parameters();
    let report = f.report();
    let at = |p: f64| -> Result<String, BoxError> {
        let o = f.optimal(p)?;
        Ok(format!(
            "P = {p}: λ* = {}, E_g = {}",
            band_text(&o.lambda),
            band_text(&o.test_error)
        ))
    };
    let notes = vec![
        format!(
            "{data}: P0 = {p0}, D = {}; model {:?} ({})",
            x.ncols(),
            pr.family,
            report.goodness_of_fit.reason
        ),
        format!(
            "fitted {} ({} resamples of {} rows)",
            parameters_line(f),
            report.resamples_used,
            report.subsample_size
        ),
        at(pf)?,
        at(4.0 * pf)?,
        at(16.0 * pf)?,
    ];
    let title = format!("{data}, P₀ = {p0}: {}", parameters_line(f));
    let mut figure = Figure::new(name, &title, vec![left, right]);
    figure.panel_width = 620;
    figure.height = 470;
    Ok(FigData {
        tables: vec![curve, measured],
        figure,
        notes,
    })
}
