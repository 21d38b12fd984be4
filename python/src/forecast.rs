//! Forecasting from data (Rust: `detridge::forecast`; THEORY §16): fit a population task
//! to one sample `(X, y)`, then forecast the test error and the tuned ridge at larger `P`
//! with bootstrap bands.

use detridge::forecast::{Band, Forecast, ForecastParams};
use pyo3::prelude::*;

use crate::convert::{dvec, mat2, run};
use crate::record;
use crate::spectrum::PyTask;

record!(
    /// A forecast value with its band `[lower, upper]` at confidence `level`
    /// (THEORY §16).
    PyBand,
    "Band",
    [value, lower, upper, level]
);

impl From<Band> for PyBand {
    fn from(b: Band) -> Self {
        Self {
            value: b.value,
            lower: b.lower,
            upper: b.upper,
            level: b.level,
        }
    }
}

/// The tuned ridge and its forecast test error at `p` samples, with bands (THEORY §3.4,
/// §16).
#[pyclass(frozen, name = "OptimalForecast", module = "detridge")]
pub struct PyOptimalForecast {
    /// Sample size `P`.
    #[pyo3(get)]
    p: f64,
    /// The optimal ridge `λ*` with its band.
    #[pyo3(get)]
    lam: PyBand,
    /// The test error at `λ*` with its band.
    #[pyo3(get)]
    test_error: PyBand,
}

#[pymethods]
impl PyOptimalForecast {
    fn __repr__(&self) -> String {
        format!(
            "OptimalForecast(p={}, lam={:.6e}, test_error={:.6e})",
            self.p, self.lam.value, self.test_error.value
        )
    }
}

/// A population task fitted to one data set `(X, y)` with resampled refits for error
/// bars (THEORY §16). Build it with `Forecast.fit(X, y)`.
#[pyclass(frozen, name = "Forecast", module = "detridge")]
pub struct PyForecast {
    inner: Forecast,
}

#[pymethods]
impl PyForecast {
    /// Fits a population task to `X` (P0, D) (rows are samples, centred, no intercept)
    /// and `y` (P0,), refitting on `resamples` subsamples (default 64) seeded by `seed`
    /// for bands at confidence `level` (default 0.9). Slow for large data.
    #[staticmethod]
    #[pyo3(signature = (x, y, resamples=None, seed=None, level=None))]
    fn fit(
        py: Python<'_>,
        x: &Bound<'_, PyAny>,
        y: &Bound<'_, PyAny>,
        resamples: Option<usize>,
        seed: Option<u64>,
        level: Option<f64>,
    ) -> PyResult<Self> {
        let x = mat2(x, "X")?;
        let y = dvec(y, "y")?;
        let defaults = ForecastParams::default();
        let params = ForecastParams {
            resamples: resamples.unwrap_or(defaults.resamples),
            seed: seed.unwrap_or(defaults.seed),
            level: level.unwrap_or(defaults.level),
            ..defaults
        };
        Ok(Self {
            inner: run(py, || Forecast::fit_with(&x, &y, &params))?,
        })
    }

    /// Forecast test error `E_g(p, lam)` (no test-label noise) with its band.
    fn test_error(&self, py: Python<'_>, p: f64, lam: f64) -> PyResult<PyBand> {
        Ok(run(py, || self.inner.test_error(p, lam))?.into())
    }

    /// Forecast noisy risk `E_g + σ²` (what held-out rows measure) with its band.
    fn risk(&self, py: Python<'_>, p: f64, lam: f64) -> PyResult<PyBand> {
        Ok(run(py, || self.inner.risk(p, lam))?.into())
    }

    /// The tuned ridge and its test error at `p` samples, with bands.
    fn optimal(&self, py: Python<'_>, p: f64) -> PyResult<PyOptimalForecast> {
        let o = run(py, || self.inner.optimal(p))?;
        Ok(PyOptimalForecast {
            p: o.p,
            lam: o.lambda.into(),
            test_error: o.test_error.into(),
        })
    }

    /// The fitted population task (from all rows), as a `Task`.
    fn task(&self) -> PyTask {
        PyTask::wrap(self.inner.task().clone())
    }

    fn __repr__(&self) -> String {
        let r = self.inner.report();
        format!(
            "Forecast(p0={}, d={}, family={:?}, resamples_used={})",
            r.p0, r.d, r.parameters.family, r.resamples_used
        )
    }
}

/// Registers this module's classes.
pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<PyBand>()?;
    m.add_class::<PyOptimalForecast>()?;
    m.add_class::<PyForecast>()?;
    Ok(())
}
