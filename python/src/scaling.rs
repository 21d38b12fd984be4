//! Power-law scaling exponents and log-log fits (Rust: `detridge::scaling`); the
//! submodule `detridge.scaling`.

use detridge::scaling::{self, Regime, Variable};
use pyo3::prelude::*;

use crate::convert::{invalid_input, run, vec1};
use crate::record;

/// A predicted scaling exponent: `quantity ~ variable^value` (THEORY §7.2).
#[pyclass(frozen, name = "Exponent", module = "detridge.scaling")]
pub struct PyExponent {
    /// The exponent.
    #[pyo3(get)]
    value: f64,
    /// "samples", "features" or "ridge".
    #[pyo3(get)]
    variable: &'static str,
    /// The quantity that scales.
    #[pyo3(get)]
    quantity: &'static str,
    /// The regime's name.
    #[pyo3(get)]
    name: &'static str,
}

#[pymethods]
impl PyExponent {
    fn __repr__(&self) -> String {
        format!(
            "Exponent(value={}, variable={:?}, quantity={:?}, name={:?})",
            self.value, self.variable, self.quantity, self.name
        )
    }
}

/// The regime names accepted by `exponent` (snake_case of the Rust `Regime` variants).
pub const REGIMES: &[&str] = &[
    "resolution_limited",
    "noise_plateau",
    "ridge_limited",
    "ridge_limited_variance",
    "optimal_ridge",
    "optimal_ridge_lambda",
    "ridge_schedule_bias",
    "ridge_schedule_variance",
    "variance_limited",
    "rf_width_bottleneck",
    "rf_data_bottleneck",
    "rf_feature_variance_width",
    "rf_feature_variance_data",
    "rf_feature_variance_window",
    "rf_structured_width",
    "rf_structured_data",
];

fn regime(py: Python<'_>, name: &str, l: Option<f64>, beta: Option<f64>) -> PyResult<Regime> {
    let key: String = name
        .chars()
        .filter(|c| *c != '_')
        .collect::<String>()
        .to_lowercase();
    let need = |v: Option<f64>, what: &str| {
        v.ok_or_else(|| {
            invalid_input(
                py,
                what,
                format!("regime {name:?} needs the keyword argument `{what}`"),
            )
        })
    };
    Ok(match key.as_str() {
        "resolutionlimited" => Regime::ResolutionLimited,
        "noiseplateau" => Regime::NoisePlateau,
        "ridgelimited" => Regime::RidgeLimited,
        "ridgelimitedvariance" => Regime::RidgeLimitedVariance,
        "optimalridge" => Regime::OptimalRidge,
        "optimalridgelambda" => Regime::OptimalRidgeLambda,
        "ridgeschedulebias" => Regime::RidgeScheduleBias { l: need(l, "l")? },
        "ridgeschedulevariance" => Regime::RidgeScheduleVariance { l: need(l, "l")? },
        "variancelimited" => Regime::VarianceLimited,
        "rfwidthbottleneck" => Regime::RfWidthBottleneck,
        "rfdatabottleneck" => Regime::RfDataBottleneck,
        "rffeaturevariancewidth" => Regime::RfFeatureVarianceWidth,
        "rffeaturevariancedata" => Regime::RfFeatureVarianceData,
        "rffeaturevariancewindow" => Regime::RfFeatureVarianceWindow,
        "rfstructuredwidth" => Regime::RfStructuredWidth {
            beta: need(beta, "beta")?,
        },
        "rfstructureddata" => Regime::RfStructuredData {
            beta: need(beta, "beta")?,
        },
        _ => {
            return Err(invalid_input(
                py,
                "regime",
                format!("unknown regime {name:?}; one of {REGIMES:?}"),
            ));
        }
    })
}

/// The predicted exponent of a regime of THEORY §7.2 for capacity `alpha` and source `r`
/// (`l` for the ridge-schedule regimes, `beta` for the structured ones).
#[pyfunction]
#[pyo3(signature = (regime_name, alpha, r, l=None, beta=None))]
fn exponent(
    py: Python<'_>,
    regime_name: &str,
    alpha: f64,
    r: f64,
    l: Option<f64>,
    beta: Option<f64>,
) -> PyResult<PyExponent> {
    let reg = regime(py, regime_name, l, beta)?;
    let e = run(py, || scaling::exponent(reg, alpha, r))?;
    let variable = match e.variable {
        Variable::Samples => "samples",
        Variable::Features => "features",
        Variable::Ridge => "ridge",
        _ => "other",
    };
    Ok(PyExponent {
        value: e.value,
        variable,
        quantity: e.quantity,
        name: e.name,
    })
}

/// Effective `(alpha', r')` of input-structured weights `ω_k = k^-beta`.
#[pyfunction]
fn structured_effective_exponents(
    py: Python<'_>,
    alpha: f64,
    r: f64,
    beta: f64,
) -> PyResult<(f64, f64)> {
    run(py, || {
        scaling::structured_effective_exponents(alpha, r, beta)
    })
}

/// The ridgeless continuum constant `c_α = ((π/α)/sin(π/α))^α` of `κ₀ ≈ c_α P^{−α}` (THEORY §7.1).
#[pyfunction]
fn c_alpha(py: Python<'_>, alpha: f64) -> PyResult<f64> {
    run(py, || scaling::c_alpha(alpha))
}

/// The ridgeless large-`P` limit `γ → 1 − 1/α` of a power law (THEORY §7.1).
#[pyfunction]
fn gamma_limit(py: Python<'_>, alpha: f64) -> PyResult<f64> {
    run(py, || scaling::gamma_limit(alpha))
}

/// The ridgeless noise plateau `Var_Xε → σ²(α − 1)` (THEORY §7.2).
#[pyfunction]
fn noise_plateau(py: Python<'_>, alpha: f64, noise: f64) -> PyResult<f64> {
    run(py, || scaling::noise_plateau(alpha, noise))
}

record!(
    /// Least-squares fit of `ln y = intercept + slope · ln x`.
    PyLogLogFit,
    "LogLogFit",
    [slope, intercept, max_residual, points]
);

/// Fits `ln y = intercept + slope ln x` (all points).
#[pyfunction]
fn fit_log_log(
    py: Python<'_>,
    x: &Bound<'_, PyAny>,
    y: &Bound<'_, PyAny>,
) -> PyResult<PyLogLogFit> {
    let (x, y) = (vec1(x, "x")?, vec1(y, "y")?);
    let f = run(py, || scaling::fit_log_log(&x, &y))?;
    Ok(PyLogLogFit {
        slope: f.slope,
        intercept: f.intercept,
        max_residual: f.max_residual,
        points: f.points as f64,
    })
}

/// Fits `ln y = intercept + slope ln x` over the points with `lo <= x <= hi`.
#[pyfunction]
fn fit_log_log_window(
    py: Python<'_>,
    x: &Bound<'_, PyAny>,
    y: &Bound<'_, PyAny>,
    lo: f64,
    hi: f64,
) -> PyResult<PyLogLogFit> {
    let (x, y) = (vec1(x, "x")?, vec1(y, "y")?);
    let f = run(py, || scaling::fit_log_log_window(&x, &y, lo, hi))?;
    Ok(PyLogLogFit {
        slope: f.slope,
        intercept: f.intercept,
        max_residual: f.max_residual,
        points: f.points as f64,
    })
}

/// `n` log-spaced points from `lo` to `hi` (inclusive).
#[pyfunction]
fn log_space<'py>(
    py: Python<'py>,
    lo: f64,
    hi: f64,
    n: usize,
) -> PyResult<Bound<'py, numpy::PyArray1<f64>>> {
    Ok(crate::convert::array(
        py,
        run(py, || scaling::log_space(lo, hi, n))?,
    ))
}

/// Registers the `detridge.scaling` submodule.
pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<PyExponent>()?;
    m.add_class::<PyLogLogFit>()?;
    m.add("REGIMES", REGIMES.to_vec())?;
    m.add_function(wrap_pyfunction!(exponent, m)?)?;
    m.add_function(wrap_pyfunction!(structured_effective_exponents, m)?)?;
    m.add_function(wrap_pyfunction!(c_alpha, m)?)?;
    m.add_function(wrap_pyfunction!(gamma_limit, m)?)?;
    m.add_function(wrap_pyfunction!(noise_plateau, m)?)?;
    m.add_function(wrap_pyfunction!(fit_log_log, m)?)?;
    m.add_function(wrap_pyfunction!(fit_log_log_window, m)?)?;
    m.add_function(wrap_pyfunction!(log_space, m)?)?;
    Ok(())
}
