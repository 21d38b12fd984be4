//! Back-testing a forecast on the data themselves: fit on `P₁` rows (the first ones, or a
//! seeded random choice), forecast the error at the full size, and compare with what
//! held-out rows measure.

use nalgebra::{DMatrix, DVector};

use super::{Band, Forecast, ForecastParams, ModelFamily, check_data};
use crate::error::{Error, Result};
use crate::estimate::RidgePath;
use crate::montecarlo::rng_for;
use rand::seq::index::sample;

/// Stream of [`crate::montecarlo::rng_for`] used for the row permutation of
/// [`backtest_shuffled`] (distinct from the resample streams `0..B`).
const SHUFFLE_STREAM: u64 = u64::MAX;

/// One ridge of a back-test.
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct BacktestRow {
    /// The ridge `λ` of the all-rows fit (1/P convention at `P₀`).
    pub lambda: f64,
    /// Forecast (from the first `P₁` rows) of the noisy risk `E_g + σ²` at `P₀ − 1`
    /// samples and ridge `P₀λ/(P₀ − 1)`, with its band.
    pub predicted: Band,
    /// Exact leave-one-out error of all `P₀` rows at `λ` (held-out measurement).
    pub measured: f64,
    /// Standard error of `measured` (`sd of the squared LOO residuals / √P₀`).
    pub measured_std_err: f64,
    /// `predicted.value / measured − 1`.
    pub relative_error: f64,
}

/// The result of [`backtest`].
#[must_use]
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct Backtest {
    /// Rows used by the forecast.
    pub p1: usize,
    /// The rows (indices into the data as given) the forecast was fitted on, in order.
    pub fit_rows: Vec<usize>,
    /// All rows.
    pub p0: usize,
    /// The family the forecast chose on the first `P₁` rows.
    pub family: ModelFamily,
    /// One row per ridge.
    pub rows: Vec<BacktestRow>,
}

impl Backtest {
    /// Median of `|relative_error|` over the ridges.
    #[must_use]
    pub fn median_abs_relative_error(&self) -> f64 {
        let mut v: Vec<f64> = self.rows.iter().map(|r| r.relative_error.abs()).collect();
        v.sort_by(f64::total_cmp);
        super::optim::quantile(&v, 0.5)
    }
}

/// Back-test: [`Forecast::fit_with`] on the first `p1` rows of `(X, y)` forecasts the
/// noisy risk `E_g + σ²` that the **exact leave-one-out error of all `P₀` rows** measures.
///
/// What is compared, precisely: the LOO residual `y_i − x_iᵀŵ₋ᵢ` is the error on row `i`,
/// held out, of the ridge fitted to the other `P₀ − 1` rows with the penalty `P₀λ‖w‖²`
/// kept (ridge `λ′ = P₀λ/(P₀ − 1)` in the crate's 1/P convention; see
/// [`RidgePath::loocv`]). Its mean over rows is an unbiased estimate of the expected noisy
/// risk `E_g + σ²` at `P₀ − 1` samples and ridge `λ′`, which is what the forecast is asked
/// for. Rows `P₁..P₀` are unseen by the forecast. The measurement has its own noise
/// (`measured_std_err`); the forecast band does not include it.
///
/// The forecast is fitted on the *first* `p1` rows in the order given; if the order is not
/// random (sorted or clustered files), use [`backtest_shuffled`].
///
/// With `lambdas` empty, three ridges are used: the forecast's optimal ridge at `P₀ − 1`
/// (floored at `10⁻⁶ Tr Σ̂/D`) and ten times below and above it.
///
/// # Errors
/// As [`Forecast::fit_with`] and [`RidgePath::new`]; [`Error::InvalidParameter`] unless
/// `3 ≤ p1 < P₀`, or for a negative or non-finite `λ`.
///
/// # Examples
/// ```
/// use detridge::forecast::{ForecastParams, backtest};
/// use nalgebra::{DMatrix, DVector};
/// use rand::RngExt;
/// use rand_distr::StandardNormal;
/// let mut rng = detridge::montecarlo::rng_for(3, 0);
/// let (p0, d) = (240, 40);
/// let x = DMatrix::from_fn(p0, d, |_, k| (k as f64 + 1.0).powf(-0.75) * rng.sample::<f64, _>(StandardNormal));
/// let w = DVector::from_fn(d, |k, _| (k as f64 + 1.0).powf(-0.5));
/// let y = &x * &w + DVector::from_fn(p0, |_, _| 0.3 * rng.sample::<f64, _>(StandardNormal));
/// let params = ForecastParams { resamples: 8, ..Default::default() };
/// let bt = backtest(&x, &y, 120, &[1e-2], &params)?;
/// assert_eq!(bt.rows.len(), 1);
/// assert!(bt.rows[0].measured > 0.0 && bt.rows[0].predicted.value > 0.0);
/// # Ok::<(), detridge::Error>(())
/// ```
pub fn backtest(
    x: &DMatrix<f64>,
    y: &DVector<f64>,
    p1: usize,
    lambdas: &[f64],
    params: &ForecastParams,
) -> Result<Backtest> {
    let (p0, d) = check_data(x, y)?;
    if p1 < 3 || p1 >= p0 {
        return Err(Error::InvalidParameter {
            name: "p1",
            value: p1 as f64,
            reason: "the back-test needs 3 <= P1 < P0",
        });
    }
    for &l in lambdas {
        crate::error::non_negative("lambda", l)?;
    }
    let x1 = x.rows(0, p1).into_owned();
    let y1 = y.rows(0, p1).into_owned();
    let f = Forecast::fit_with(&x1, &y1, params)?;
    let pf = p0 as f64;
    let p_eff = pf - 1.0;
    let lams: Vec<f64> = if lambdas.is_empty() {
        let floor = 1e-6 * x.norm_squared() / (pf * d as f64);
        let l = f.optimal(p_eff)?.lambda.value.max(floor) * p_eff / pf;
        vec![0.1 * l, l, 10.0 * l]
    } else {
        lambdas.to_vec()
    };
    let path = RidgePath::new(x, y)?;
    let mut rows = Vec::with_capacity(lams.len());
    for &lambda in &lams {
        let res = path.loo_residuals(lambda)?;
        let sq: Vec<f64> = res.iter().map(|r| r * r).collect();
        let mean = sq.iter().sum::<f64>() / pf;
        let var = sq.iter().map(|s| (s - mean).powi(2)).sum::<f64>() / (pf - 1.0);
        let predicted = f.risk(p_eff, lambda * pf / p_eff)?;
        rows.push(BacktestRow {
            lambda,
            predicted,
            measured: mean,
            measured_std_err: (var / pf).sqrt(),
            relative_error: predicted.value / mean - 1.0,
        });
    }
    Ok(Backtest {
        p1,
        fit_rows: (0..p1).collect(),
        p0,
        family: f.report().goodness_of_fit.family,
        rows,
    })
}

/// [`backtest`] on the rows in a seeded random order: the forecast is fitted on `p1` rows
/// drawn uniformly without replacement (seed `params.seed`, a stream distinct from the
/// resamples'), and compared with the leave-one-out error of all `P₀` rows as before (which
/// does not depend on the order).
///
/// Use this when the file's row order is not random (sorted or clustered data: the first
/// `P₁` rows are then not a sample of the population the full set measures).
/// [`Backtest::fit_rows`] lists the rows used.
///
/// # Errors
/// As [`backtest`].
///
/// # Examples
/// ```
/// use detridge::forecast::{ForecastParams, backtest_shuffled};
/// use nalgebra::{DMatrix, DVector};
/// // Rows sorted by their label: the first rows alone would be unrepresentative.
/// let (p0, d) = (200, 20);
/// let x = DMatrix::from_fn(p0, d, |i, k| ((i * 31 + k * 17) % 23) as f64 / 23.0 - 0.5);
/// let y = DVector::from_fn(p0, |i, _| x.row(i).sum() + 0.1 * ((i * 7) % 5) as f64);
/// let params = ForecastParams { resamples: 8, ..Default::default() };
/// let bt = backtest_shuffled(&x, &y, 100, &[1e-2], &params)?;
/// assert_eq!(bt.fit_rows.len(), 100);
/// assert!(bt.fit_rows.iter().any(|&i| i >= 100));
/// # Ok::<(), detridge::Error>(())
/// ```
pub fn backtest_shuffled(
    x: &DMatrix<f64>,
    y: &DVector<f64>,
    p1: usize,
    lambdas: &[f64],
    params: &ForecastParams,
) -> Result<Backtest> {
    let (p0, _) = check_data(x, y)?;
    let mut rng = rng_for(params.seed, SHUFFLE_STREAM);
    let perm = sample(&mut rng, p0, p0).into_vec();
    let xs = x.select_rows(perm.iter());
    let ys = DVector::from_iterator(p0, perm.iter().map(|&i| y[i]));
    let mut bt = backtest(&xs, &ys, p1, lambdas, params)?;
    bt.fit_rows = perm[..bt.p1].to_vec();
    Ok(bt)
}
