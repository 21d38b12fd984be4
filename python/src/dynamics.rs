//! Training dynamics (Rust: `detridge::dynamics`; THEORY §13–14): gradient flow,
//! full-batch gradient descent and one-pass SGD on the ridge loss; gradient flow and
//! descent also for the readout of linear random features (`features=N`).

use detridge::dynamics::{GradientFlowTheory, SgdParams, SgdTheory};
use pyo3::prelude::*;

use crate::convert::{Curve, Input, Points, count, points, run};
use crate::record;
use crate::spectrum::PyTask;

record!(
    /// Gradient flow on the ridge loss at one time `t` (THEORY §13):
    /// `test_error = test_signal + test_noise`, `train_error = train_signal + train_noise`;
    /// `quadrature_error` estimates the contour-quadrature error (`0` at `t ∈ {0, ∞}`,
    /// closed forms), `nodes` and `passes` its cost; `features` the random-feature width
    /// `N` (`inf` for linear ridge).
    PyGradientFlow,
    "GradientFlowTheory",
    [
        p,
        features,
        lam,
        time,
        test_error,
        train_error,
        test_signal,
        test_noise,
        train_signal,
        train_noise,
        quadrature_error,
        nodes,
        passes,
    ]
);

impl From<GradientFlowTheory> for PyGradientFlow {
    fn from(t: GradientFlowTheory) -> Self {
        Self {
            p: t.p,
            features: width(t.features),
            lam: t.lambda,
            time: t.time,
            test_error: t.test_error,
            train_error: t.train_error,
            test_signal: t.test_signal,
            test_noise: t.test_noise,
            train_signal: t.train_signal,
            train_noise: t.train_noise,
            quadrature_error: t.quadrature_error,
            nodes: t.nodes as f64,
            passes: t.passes as f64,
        }
    }
}

record!(
    /// Full-batch gradient descent with step `eta` after `steps` steps (THEORY §13);
    /// `time = eta·steps`; other fields as in `GradientFlowTheory`.
    PyGradientDescent,
    "GradientDescentTheory",
    [
        p,
        features,
        lam,
        eta,
        steps,
        time,
        test_error,
        train_error,
        test_signal,
        test_noise,
        train_signal,
        train_noise,
        quadrature_error,
        nodes,
        passes,
    ]
);

impl From<GradientFlowTheory> for PyGradientDescent {
    fn from(t: GradientFlowTheory) -> Self {
        Self {
            p: t.p,
            features: width(t.features),
            lam: t.lambda,
            eta: t.step_size.unwrap_or(f64::NAN),
            steps: t.steps.map_or(f64::NAN, |k| k as f64),
            time: t.time,
            test_error: t.test_error,
            train_error: t.train_error,
            test_signal: t.test_signal,
            test_noise: t.test_noise,
            train_signal: t.train_signal,
            train_noise: t.train_noise,
            quadrature_error: t.quadrature_error,
            nodes: t.nodes as f64,
            passes: t.passes as f64,
        }
    }
}

record!(
    /// One-pass SGD after `steps` steps (THEORY §14): `samples = steps·batch`,
    /// `test_error` the expected excess risk (no label noise).
    PySgd,
    "SgdTheory",
    [steps, samples, test_error]
);

impl From<SgdTheory> for PySgd {
    fn from(t: SgdTheory) -> Self {
        Self {
            steps: t.steps as f64,
            samples: t.samples,
            test_error: t.test_error,
        }
    }
}

/// The record's `features` field: `N`, or `inf` for linear ridge (`N = ∞`; Rust `None`).
fn width(features: Option<f64>) -> f64 {
    features.unwrap_or(f64::INFINITY)
}

/// Step counts from a Python int/float or an array of them.
pub(crate) fn step_counts(py: Python<'_>, k: &Points) -> PyResult<Vec<u64>> {
    let v = match k {
        Points::Scalar(x) => vec![*x],
        Points::Array(a) => a.clone(),
    };
    v.into_iter()
        .map(|x| count(py, "steps", x).map(|c| c as u64))
        .collect()
}

/// A record for a scalar input, a `Curve` (inputs column `name`) for an array.
fn record_or_curve<R, T>(
    py: Python<'_>,
    input: &Points,
    name: &'static str,
    rows: Vec<T>,
) -> PyResult<Py<PyAny>>
where
    R: crate::convert::Record + From<T> + pyo3::PyClass + Into<pyo3::PyClassInitializer<R>>,
{
    let mut rows: Vec<R> = rows.into_iter().map(R::from).collect();
    match input {
        Points::Scalar(_) => Ok(Py::new(py, rows.remove(0))?.into_any()),
        Points::Array(_) => {
            let inputs = [Input {
                name,
                values: input,
            }];
            let rows = rows.into_iter().map(Ok).collect();
            Ok(Py::new(py, Curve::build(py, rows, &inputs, false)?)?.into_any())
        }
    }
}

#[pymethods]
impl PyTask {
    /// Gradient flow on the ridge loss with ridge `lam` from zero weights, at time `t`
    /// (THEORY §13). `t` may be `inf` (the ridge estimator) or an array of times: then a
    /// `Curve` (one Rust call with the GIL released, one contour shared by all times).
    /// With `features=N`, the readout of linear random features of width `N` (THEORY §13,
    /// "Linear random features"; `t = inf` is `random_features(p, N, lam)`, `N = inf`
    /// linear ridge).
    #[pyo3(signature = (p, lam, t, *, features=None))]
    fn gradient_flow(
        &self,
        py: Python<'_>,
        p: f64,
        lam: f64,
        t: &Bound<'_, PyAny>,
        features: Option<f64>,
    ) -> PyResult<Py<PyAny>> {
        let t = points(t, "t")?;
        let times = match &t {
            Points::Scalar(x) => vec![*x],
            Points::Array(a) => a.clone(),
        };
        let task = &self.inner;
        let rows = run(py, || match features {
            None => task.gradient_flow_curve(p, lam, &times),
            Some(n) => task.random_features_gradient_flow_curve(p, n, lam, &times),
        })?;
        record_or_curve::<PyGradientFlow, _>(py, &t, "time", rows)
    }

    /// Full-batch gradient descent with step `eta` after `k` steps (an int or an array of
    /// ints → `Curve`; THEORY §13). `eta` must be below `gradient_descent_max_step` (with
    /// the same `features`). `features=N` as in `gradient_flow`.
    #[pyo3(signature = (p, lam, eta, k, *, features=None))]
    fn gradient_descent(
        &self,
        py: Python<'_>,
        p: f64,
        lam: f64,
        eta: f64,
        k: &Bound<'_, PyAny>,
        features: Option<f64>,
    ) -> PyResult<Py<PyAny>> {
        let k = points(k, "k")?;
        let steps = step_counts(py, &k)?;
        let task = &self.inner;
        let rows = run(py, || match features {
            None => task.gradient_descent_curve(p, lam, eta, &steps),
            Some(n) => task.random_features_gradient_descent_curve(p, n, lam, eta, &steps),
        })?;
        record_or_curve::<PyGradientDescent, _>(py, &k, "steps", rows)
    }

    /// Stability bound `2/(x₊ + lam)` on the gradient-descent step (THEORY §13); with
    /// `features=N`, `x₊` is the upper spectral edge of the random-feature covariance.
    #[pyo3(signature = (p, lam, *, features=None))]
    fn gradient_descent_max_step(
        &self,
        py: Python<'_>,
        p: f64,
        lam: f64,
        features: Option<f64>,
    ) -> PyResult<f64> {
        let task = &self.inner;
        run(py, || match features {
            None => task.gradient_descent_max_step(p, lam),
            Some(n) => task.random_features_gradient_descent_max_step(p, n, lam),
        })
    }

    /// One-pass SGD with batch `batch`, step `eta`, ridge `lam`: expected test error after
    /// `k` steps (an int or an array of ints → `Curve`; THEORY §14).
    #[pyo3(signature = (k, batch=1.0, eta=0.1, lam=0.0))]
    fn sgd(
        &self,
        py: Python<'_>,
        k: &Bound<'_, PyAny>,
        batch: f64,
        eta: f64,
        lam: f64,
    ) -> PyResult<Py<PyAny>> {
        let k = points(k, "k")?;
        let steps = step_counts(py, &k)?;
        let params = SgdParams {
            batch: count(py, "batch", batch)?,
            step_size: eta,
            ridge: lam,
            ..Default::default()
        };
        let rows = run(py, || self.inner.sgd(&params, &steps))?;
        record_or_curve::<PySgd, _>(py, &k, "steps", rows)
    }

    /// Stability bound on the SGD step at batch `batch` and ridge `lam` (THEORY §14).
    #[pyo3(signature = (batch=1.0, lam=0.0))]
    fn sgd_max_step(&self, py: Python<'_>, batch: f64, lam: f64) -> PyResult<f64> {
        let b = count(py, "batch", batch)?;
        run(py, || self.inner.sgd_max_step(b, lam))
    }
}

/// Registers this module's classes.
pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<PyGradientFlow>()?;
    m.add_class::<PyGradientDescent>()?;
    m.add_class::<PySgd>()?;
    Ok(())
}
