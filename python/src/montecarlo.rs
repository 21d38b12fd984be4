//! Seeded simulators (Rust: `detridge::montecarlo`); the submodule `detridge.montecarlo`.
//! Every estimate is a mean with its standard error: field `x` is the mean and `x_se`
//! its standard error.

use detridge::montecarlo::dynamics::DynamicsEstimates;
use detridge::montecarlo::features::{FeatureModel, RfEstimates};
use detridge::montecarlo::{Estimate, RidgeEstimates};
use pyo3::prelude::*;

use crate::convert::{Curve, Input, Points, count, invalid_input, mat2, points, run, vec1};
use crate::dynamics::step_counts;
use crate::record;
use crate::spectrum::PyTask;

record!(
    /// Monte Carlo ridge estimates at one `lam` (means and standard errors `*_se`).
    PyRidgeEstimates,
    "RidgeEstimates",
    [
        lam,
        draws,
        test_error,
        test_error_se,
        train_error,
        train_error_se,
        gcv,
        gcv_se,
        kappa_hat,
        kappa_hat_se,
        df_hat,
        df_hat_se,
        bias2,
        bias2_se,
        var_data,
        var_data_se,
        var_noise,
        var_noise_se,
    ]
);

impl From<RidgeEstimates> for PyRidgeEstimates {
    fn from(r: RidgeEstimates) -> Self {
        Self {
            lam: r.lambda,
            draws: r.draws as f64,
            test_error: r.test_error.mean,
            test_error_se: r.test_error.std_err,
            train_error: r.train_error.mean,
            train_error_se: r.train_error.std_err,
            gcv: r.gcv.mean,
            gcv_se: r.gcv.std_err,
            kappa_hat: r.kappa_hat.mean,
            kappa_hat_se: r.kappa_hat.std_err,
            df_hat: r.df_hat.mean,
            df_hat_se: r.df_hat.std_err,
            bias2: r.bias2.mean,
            bias2_se: r.bias2.std_err,
            var_data: r.var_data.mean,
            var_data_se: r.var_data.std_err,
            var_noise: r.var_noise.mean,
            var_noise_se: r.var_noise.std_err,
        }
    }
}

record!(
    /// Monte Carlo random-feature estimates at one `lam` (means and standard errors).
    PyRfEstimates,
    "RfEstimates",
    [
        lam,
        test_error,
        test_error_se,
        train_error,
        train_error_se,
        gcv,
        gcv_se,
        bias2,
        bias2_se,
        var_data,
        var_data_se,
        var_features,
        var_features_se,
        var_data_features,
        var_data_features_se,
        var_noise,
        var_noise_se,
        var_noise_data,
        var_noise_data_se,
        var_noise_data_features,
        var_noise_data_features_se,
        feature_averaged_error,
        feature_averaged_error_se,
        data_averaged_error,
        data_averaged_error_se,
    ]
);

impl From<RfEstimates> for PyRfEstimates {
    fn from(r: RfEstimates) -> Self {
        Self {
            lam: r.lambda,
            test_error: r.test_error.mean,
            test_error_se: r.test_error.std_err,
            train_error: r.train_error.mean,
            train_error_se: r.train_error.std_err,
            gcv: r.gcv.mean,
            gcv_se: r.gcv.std_err,
            bias2: r.bias2.mean,
            bias2_se: r.bias2.std_err,
            var_data: r.var_data.mean,
            var_data_se: r.var_data.std_err,
            var_features: r.var_features.mean,
            var_features_se: r.var_features.std_err,
            var_data_features: r.var_data_features.mean,
            var_data_features_se: r.var_data_features.std_err,
            var_noise: r.var_noise.mean,
            var_noise_se: r.var_noise.std_err,
            var_noise_data: r.var_noise_data.mean,
            var_noise_data_se: r.var_noise_data.std_err,
            var_noise_data_features: r.var_noise_data_features.mean,
            var_noise_data_features_se: r.var_noise_data_features.std_err,
            feature_averaged_error: r.feature_averaged_error.mean,
            feature_averaged_error_se: r.feature_averaged_error.std_err,
            data_averaged_error: r.data_averaged_error.mean,
            data_averaged_error_se: r.data_averaged_error.std_err,
        }
    }
}

record!(
    /// Monte Carlo test error of a `k`-model ensemble at one `lam`.
    PyEnsembleEstimate,
    "EnsembleEstimate",
    [lam, test_error, test_error_se]
);

record!(
    /// Monte Carlo gradient flow / descent estimates at one `(lam, time)` (means and
    /// standard errors); `features` is the width `N` (`inf` for linear ridge), `steps` the
    /// descent step count (NaN for gradient flow).
    PyDynamicsEstimates,
    "DynamicsEstimates",
    [
        lam,
        features,
        time,
        steps,
        test_error,
        test_error_se,
        train_error,
        train_error_se,
        test_signal,
        test_signal_se,
        test_noise,
        test_noise_se,
    ]
);

impl PyDynamicsEstimates {
    fn new(r: &DynamicsEstimates, features: Option<usize>) -> Self {
        Self {
            lam: r.lambda,
            features: features.map_or(f64::INFINITY, |n| n as f64),
            time: r.time,
            steps: r.steps.map_or(f64::NAN, |k| k as f64),
            test_error: r.test_error.mean,
            test_error_se: r.test_error.std_err,
            train_error: r.train_error.mean,
            train_error_se: r.train_error.std_err,
            test_signal: r.test_signal.mean,
            test_signal_se: r.test_signal.std_err,
            test_noise: r.test_noise.mean,
            test_noise_se: r.test_noise.std_err,
        }
    }
}

fn lambdas(ob: &Bound<'_, PyAny>) -> PyResult<Points> {
    Ok(match points(ob, "lams")? {
        Points::Scalar(x) => Points::Array(vec![x]),
        a => a,
    })
}

fn as_slice(p: &Points) -> &[f64] {
    match p {
        Points::Array(v) => v,
        Points::Scalar(x) => std::slice::from_ref(x),
    }
}

/// Simulates linear ridge: `draws` independent data sets of `p` samples from `task`
/// (finite `D`), seeded; one result per ridge in `lams`, as a Curve of means (`x`) and
/// standard errors (`x_se`).
#[pyfunction]
fn ridge(
    py: Python<'_>,
    task: &PyTask,
    p: f64,
    lams: &Bound<'_, PyAny>,
    draws: f64,
    seed: u64,
) -> PyResult<Curve> {
    let (p, draws) = (count(py, "p", p)?, count(py, "draws", draws)?);
    let ls = lambdas(lams)?;
    let rows = run(py, || {
        detridge::montecarlo::ridge(&task.inner, p, as_slice(&ls), draws, seed)
    })?;
    let rows = rows
        .into_iter()
        .map(|r| Ok(PyRidgeEstimates::from(r)))
        .collect();
    Curve::build(
        py,
        rows,
        &[Input {
            name: "lam",
            values: &ls,
        }],
        false,
    )
}

/// The feature model from keyword arguments: `widths` (deep chain), `variances`
/// (column-anisotropic), `n` with `omega` (input-structured), `n` with `s` (additive
/// feature noise), or `n` alone (isotropic).
fn model(
    py: Python<'_>,
    n: Option<usize>,
    widths: Option<&Bound<'_, PyAny>>,
    variances: Option<&Bound<'_, PyAny>>,
    omega: Option<&Bound<'_, PyAny>>,
    s: Option<f64>,
) -> PyResult<FeatureModel> {
    let given = [
        n.is_some() || omega.is_some() || s.is_some(),
        widths.is_some(),
        variances.is_some(),
    ];
    if given.iter().filter(|g| **g).count() != 1 || (omega.is_some() && s.is_some()) {
        return Err(invalid_input(
            py,
            "model",
            "give exactly one feature model: n (with optional omega or s), widths, or variances"
                .to_owned(),
        ));
    }
    if let Some(w) = widths {
        let w = vec1(w, "widths")?;
        let mut out = Vec::with_capacity(w.len());
        for x in w {
            if !(x >= 1.0 && x.fract() == 0.0 && x < 1e15) {
                return Err(crate::convert::to_py_err(
                    py,
                    &detridge::Error::InvalidParameter {
                        name: "widths",
                        value: x,
                        reason: "widths must be positive integers",
                    },
                ));
            }
            out.push(x as usize);
        }
        return Ok(FeatureModel::Deep { widths: out });
    }
    if let Some(v) = variances {
        return Ok(FeatureModel::ColumnAnisotropic {
            variances: vec1(v, "variances")?,
        });
    }
    let n =
        n.ok_or_else(|| invalid_input(py, "n", "`n` is required with omega or s".to_owned()))?;
    if let Some(o) = omega {
        return Ok(FeatureModel::InputStructured {
            n,
            omega: mat2(o, "omega")?,
        });
    }
    if let Some(s) = s {
        return Ok(FeatureModel::AdditiveNoise { n, s });
    }
    Ok(FeatureModel::Isotropic { n })
}

/// Simulates linear random features: `data_draws` data sets × `feature_draws` feature
/// draws, seeded; the model from `n`, `widths`, `variances`, `omega` or `s` (see
/// `detridge.montecarlo` docs). A Curve of means and standard errors per ridge.
#[pyfunction]
#[pyo3(signature = (task, p, lams, data_draws, feature_draws, seed, *, n=None, widths=None, variances=None, omega=None, s=None))]
#[allow(clippy::too_many_arguments)]
fn random_features(
    py: Python<'_>,
    task: &PyTask,
    p: f64,
    lams: &Bound<'_, PyAny>,
    data_draws: f64,
    feature_draws: f64,
    seed: u64,
    n: Option<f64>,
    widths: Option<&Bound<'_, PyAny>>,
    variances: Option<&Bound<'_, PyAny>>,
    omega: Option<&Bound<'_, PyAny>>,
    s: Option<f64>,
) -> PyResult<Curve> {
    let (p, data_draws) = (count(py, "p", p)?, count(py, "data_draws", data_draws)?);
    let feature_draws = count(py, "feature_draws", feature_draws)?;
    let n = n.map(|n| count(py, "n", n)).transpose()?;
    let m = model(py, n, widths, variances, omega, s)?;
    let ls = lambdas(lams)?;
    let rows = run(py, || {
        detridge::montecarlo::features::random_features(
            &task.inner,
            p,
            &m,
            as_slice(&ls),
            data_draws,
            feature_draws,
            seed,
        )
    })?;
    let rows = rows
        .into_iter()
        .map(|r| Ok(PyRfEstimates::from(r)))
        .collect();
    Curve::build(
        py,
        rows,
        &[Input {
            name: "lam",
            values: &ls,
        }],
        false,
    )
}

/// Simulates the test error of an ensemble of `k` random-feature models sharing one data
/// set (`ensembles` ensembles per data set). Model keywords as `random_features`.
#[pyfunction]
#[pyo3(signature = (task, p, lams, data_draws, ensembles, k, seed, *, n=None, widths=None, variances=None, omega=None))]
#[allow(clippy::too_many_arguments)]
fn random_features_ensemble(
    py: Python<'_>,
    task: &PyTask,
    p: f64,
    lams: &Bound<'_, PyAny>,
    data_draws: f64,
    ensembles: f64,
    k: f64,
    seed: u64,
    n: Option<f64>,
    widths: Option<&Bound<'_, PyAny>>,
    variances: Option<&Bound<'_, PyAny>>,
    omega: Option<&Bound<'_, PyAny>>,
) -> PyResult<Curve> {
    let (p, data_draws) = (count(py, "p", p)?, count(py, "data_draws", data_draws)?);
    let (ensembles, k) = (count(py, "ensembles", ensembles)?, count(py, "k", k)?);
    let n = n.map(|n| count(py, "n", n)).transpose()?;
    let m = model(py, n, widths, variances, omega, None)?;
    let ls = lambdas(lams)?;
    let rows: Vec<Estimate> = run(py, || {
        detridge::montecarlo::features::random_features_ensemble(
            &task.inner,
            p,
            &m,
            as_slice(&ls),
            data_draws,
            ensembles,
            k,
            seed,
        )
    })?;
    let rows = rows
        .into_iter()
        .zip(as_slice(&ls))
        .map(|(e, &l)| {
            Ok(PyEnsembleEstimate {
                lam: l,
                test_error: e.mean,
                test_error_se: e.std_err,
            })
        })
        .collect();
    Curve::build(
        py,
        rows,
        &[Input {
            name: "lam",
            values: &ls,
        }],
        false,
    )
}

/// The checked common inputs of the dynamics simulators: `p`, `draws`, the width
/// (`features=None` or `inf` is linear ridge) and the ridges.
type DynamicsInputs = (usize, usize, Option<usize>, Points);

fn dynamics_inputs(
    py: Python<'_>,
    p: f64,
    draws: f64,
    features: Option<f64>,
    lams: &Bound<'_, PyAny>,
) -> PyResult<DynamicsInputs> {
    let n = match features {
        Some(n) if n != f64::INFINITY => Some(count(py, "features", n)?),
        _ => None,
    };
    Ok((
        count(py, "p", p)?,
        count(py, "draws", draws)?,
        n,
        lambdas(lams)?,
    ))
}

/// One curve point per `(lam, time)`, `lam`-major.
fn dynamics_curve(
    py: Python<'_>,
    rows: &[DynamicsEstimates],
    features: Option<usize>,
) -> PyResult<Curve> {
    let rows = rows
        .iter()
        .map(|r| Ok(PyDynamicsEstimates::new(r, features)))
        .collect();
    Curve::build(py, rows, &[], false)
}

/// Simulates full-batch gradient flow from zero weights on `draws` data sets of `p`
/// samples, seeded: one point per `(lam, t)`, `lam`-major, from one eigendecomposition
/// per draw. `features=N`: the readout of linear random features of width `N` (`F`
/// redrawn per draw; THEORY §13, "Linear random features").
#[pyfunction]
#[pyo3(signature = (task, p, lams, times, draws, seed, *, features=None))]
#[allow(clippy::too_many_arguments)]
fn gradient_flow(
    py: Python<'_>,
    task: &PyTask,
    p: f64,
    lams: &Bound<'_, PyAny>,
    times: &Bound<'_, PyAny>,
    draws: f64,
    seed: u64,
    features: Option<f64>,
) -> PyResult<Curve> {
    let (p, draws, n, ls) = dynamics_inputs(py, p, draws, features, lams)?;
    let ts = points(times, "times")?;
    let (task, ls, ts) = (&task.inner, as_slice(&ls), as_slice(&ts));
    let rows = run(py, || match n {
        None => detridge::montecarlo::dynamics::gradient_flow(task, p, ls, ts, draws, seed),
        Some(n) => detridge::montecarlo::dynamics::random_features_gradient_flow(
            task, p, n, ls, ts, draws, seed,
        ),
    })?;
    dynamics_curve(py, &rows, n)
}

/// Simulates full-batch gradient descent (step `eta`, step counts `k`), as
/// `gradient_flow`: one point per `(lam, k)`, `lam`-major.
#[pyfunction]
#[pyo3(signature = (task, p, lams, eta, k, draws, seed, *, features=None))]
#[allow(clippy::too_many_arguments)]
fn gradient_descent(
    py: Python<'_>,
    task: &PyTask,
    p: f64,
    lams: &Bound<'_, PyAny>,
    eta: f64,
    k: &Bound<'_, PyAny>,
    draws: f64,
    seed: u64,
    features: Option<f64>,
) -> PyResult<Curve> {
    let (p, draws, n, ls) = dynamics_inputs(py, p, draws, features, lams)?;
    let steps = step_counts(py, &points(k, "k")?)?;
    let (task, ls) = (&task.inner, as_slice(&ls));
    let rows = run(py, || match n {
        None => {
            detridge::montecarlo::dynamics::gradient_descent(task, p, ls, eta, &steps, draws, seed)
        }
        Some(n) => detridge::montecarlo::dynamics::random_features_gradient_descent(
            task, p, n, ls, eta, &steps, draws, seed,
        ),
    })?;
    dynamics_curve(py, &rows, n)
}

/// Registers the `detridge.montecarlo` submodule.
pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<PyRidgeEstimates>()?;
    m.add_class::<PyRfEstimates>()?;
    m.add_class::<PyEnsembleEstimate>()?;
    m.add_class::<PyDynamicsEstimates>()?;
    m.add_function(wrap_pyfunction!(ridge, m)?)?;
    m.add_function(wrap_pyfunction!(random_features, m)?)?;
    m.add_function(wrap_pyfunction!(random_features_ensemble, m)?)?;
    m.add_function(wrap_pyfunction!(gradient_flow, m)?)?;
    m.add_function(wrap_pyfunction!(gradient_descent, m)?)?;
    Ok(())
}
