//! Estimators from data (Rust: `detridge::estimate`): `RidgePath` and `KernelPath`
//! (GCV, LOOCV, KARE, `df`, `kappa_hat`, choosing `lam`).

use detridge::estimate::{Criterion, KernelPath, LambdaChoice, LambdaSearchParams, RidgePath};
use numpy::PyArray1;
use pyo3::prelude::*;

use crate::convert::{
    Curve, Input, Points, array, dvec, invalid_input, map_points, mat2, points, run, vec1,
};
use crate::record;
use crate::spectrum::{PySpectrum, PyTask};

/// The choice of `lam` by a criterion (GCV or LOOCV): a grid scan and a refinement.
#[pyclass(frozen, name = "LambdaChoice", module = "detridge")]
pub struct PyLambdaChoice {
    /// "gcv" or "loocv".
    #[pyo3(get)]
    criterion: &'static str,
    /// The chosen ridge.
    #[pyo3(get)]
    lam: f64,
    /// The criterion at `lam`.
    #[pyo3(get)]
    value: f64,
    /// True when the minimum is at an end of the search range.
    #[pyo3(get)]
    at_boundary: bool,
    /// The scanned grid.
    #[pyo3(get)]
    grid: Py<PyArray1<f64>>,
    /// The criterion on the grid.
    #[pyo3(get)]
    values: Py<PyArray1<f64>>,
    /// Refinement iterations.
    #[pyo3(get)]
    iterations: usize,
}

#[pymethods]
impl PyLambdaChoice {
    fn __repr__(&self) -> String {
        format!(
            "LambdaChoice(criterion={:?}, lam={:.6e}, value={:.6e}, at_boundary={})",
            self.criterion, self.lam, self.value, self.at_boundary
        )
    }
}

fn criterion(py: Python<'_>, name: &str) -> PyResult<Criterion> {
    match name.to_lowercase().as_str() {
        "gcv" => Ok(Criterion::Gcv),
        "loocv" => Ok(Criterion::Loocv),
        _ => Err(invalid_input(
            py,
            "criterion",
            format!("criterion must be \"gcv\" or \"loocv\", got {name:?}"),
        )),
    }
}

fn search_params(
    lam_min: Option<f64>,
    lam_max: Option<f64>,
    grid_len: usize,
    log_tol: f64,
    max_iter: usize,
) -> LambdaSearchParams {
    LambdaSearchParams {
        lambda_min: lam_min,
        lambda_max: lam_max,
        grid_len,
        log_tol,
        max_iter,
        ..LambdaSearchParams::default()
    }
}

fn choice(py: Python<'_>, c: LambdaChoice) -> PyLambdaChoice {
    PyLambdaChoice {
        criterion: match c.criterion {
            Criterion::Gcv => "gcv",
            Criterion::Loocv => "loocv",
        },
        lam: c.lambda,
        value: c.value,
        at_boundary: c.at_boundary,
        grid: array(py, c.grid).unbind(),
        values: array(py, c.values).unbind(),
        iterations: c.iterations,
    }
}

record!(
    /// Data estimators beside the theory of an assumed task at one `lam`.
    PyComparison,
    "TheoryComparison",
    [
        lam,
        df_hat,
        df_theory,
        kappa_hat,
        kappa_theory,
        train_error_hat,
        train_error_theory,
        gcv_hat,
        gcv_theory,
        test_error_theory,
    ]
);

/// Ridge regression on one data set `X` (P, D), `y` (P,), along the whole ridge path
/// from one decomposition: every method takes `lam` as a float (returns a float) or a
/// 1-D array (returns an array, computed in one Rust loop).
#[pyclass(frozen, name = "RidgePath", module = "detridge")]
pub struct PyRidgePath {
    inner: RidgePath,
}

#[pymethods]
impl PyRidgePath {
    #[new]
    fn new(py: Python<'_>, x: &Bound<'_, PyAny>, y: &Bound<'_, PyAny>) -> PyResult<Self> {
        let x = mat2(x, "X")?;
        let y = dvec(y, "y")?;
        Ok(Self {
            inner: run(py, || RidgePath::new(&x, &y))?,
        })
    }

    /// Number of samples `P`.
    #[getter]
    fn n_samples(&self) -> usize {
        self.inner.n_samples()
    }

    /// Number of features `D`.
    #[getter]
    fn n_features(&self) -> usize {
        self.inner.n_features()
    }

    /// Rank of `X`.
    #[getter]
    fn rank(&self) -> usize {
        self.inner.rank()
    }

    /// Eigenvalues of the sample covariance `XᵀX/P`.
    fn sample_eigenvalues<'py>(&self, py: Python<'py>) -> Bound<'py, PyArray1<f64>> {
        PyArray1::from_slice(py, self.inner.sample_eigenvalues())
    }

    /// The empirical spectrum as a `Spectrum`.
    fn empirical_spectrum(&self, py: Python<'_>) -> PyResult<PySpectrum> {
        Ok(PySpectrum {
            inner: run(py, || self.inner.empirical_spectrum())?,
        })
    }

    /// Ridge weights `ŵ(lam)` (D,).
    fn weights<'py>(&self, py: Python<'py>, lam: f64) -> PyResult<Bound<'py, PyArray1<f64>>> {
        let w = run(py, || self.inner.weights(lam))?;
        Ok(array(py, w.as_slice().to_vec()))
    }

    /// Fitted values `Xŵ(lam)` (P,).
    fn fitted<'py>(&self, py: Python<'py>, lam: f64) -> PyResult<Bound<'py, PyArray1<f64>>> {
        let w = run(py, || self.inner.fitted(lam))?;
        Ok(array(py, w.as_slice().to_vec()))
    }

    /// Leave-one-out residuals at `lam` (P,).
    fn loo_residuals<'py>(&self, py: Python<'py>, lam: f64) -> PyResult<Bound<'py, PyArray1<f64>>> {
        let w = run(py, || self.inner.loo_residuals(lam))?;
        Ok(array(py, w.as_slice().to_vec()))
    }

    /// Training error `‖y − Xŵ‖²/P`.
    fn train_error(&self, py: Python<'_>, lam: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
        map_points(py, &points(lam, "lam")?, |l| self.inner.train_error(l))
    }

    /// Degrees of freedom `df̂ = Tr Σ̂(Σ̂+lam)⁻¹`.
    fn df(&self, py: Python<'_>, lam: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
        map_points(py, &points(lam, "lam")?, |l| self.inner.df(l))
    }

    /// `1 − df̂/P`.
    fn one_minus_df_over_p(&self, py: Python<'_>, lam: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
        map_points(py, &points(lam, "lam")?, |l| {
            self.inner.one_minus_df_over_p(l)
        })
    }

    /// The S-transform estimate `Ŝ = 1/(1 − df̂/P)`.
    fn s_hat(&self, py: Python<'_>, lam: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
        map_points(py, &points(lam, "lam")?, |l| self.inner.s_hat(l))
    }

    /// The renormalized-ridge estimate `κ̂ = lam Ŝ`.
    fn kappa_hat(&self, py: Python<'_>, lam: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
        map_points(py, &points(lam, "lam")?, |l| self.inner.kappa_hat(l))
    }

    /// Generalised cross-validation `E_tr Ŝ²`.
    fn gcv(&self, py: Python<'_>, lam: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
        map_points(py, &points(lam, "lam")?, |l| self.inner.gcv(l))
    }

    /// Exact leave-one-out cross-validation error.
    fn loocv(&self, py: Python<'_>, lam: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
        map_points(py, &points(lam, "lam")?, |l| self.inner.loocv(l))
    }

    /// Chooses `lam` by minimising `criterion` ("gcv" or "loocv").
    #[pyo3(signature = (criterion="gcv", lam_min=None, lam_max=None, grid_len=61, log_tol=1e-8, max_iter=100))]
    fn select_lambda(
        &self,
        py: Python<'_>,
        criterion: &str,
        lam_min: Option<f64>,
        lam_max: Option<f64>,
        grid_len: usize,
        log_tol: f64,
        max_iter: usize,
    ) -> PyResult<PyLambdaChoice> {
        let c = self::criterion(py, criterion)?;
        let params = search_params(lam_min, lam_max, grid_len, log_tol, max_iter);
        Ok(choice(
            py,
            run(py, || self.inner.select_lambda(c, &params))?,
        ))
    }

    /// The data estimators beside the theory of `task` at each `lam` (a Curve).
    fn against_theory(
        &self,
        py: Python<'_>,
        task: &PyTask,
        lam: &Bound<'_, PyAny>,
    ) -> PyResult<Curve> {
        let lams = vec1(lam, "lam")?;
        let rows = run(py, || self.inner.against_theory(&task.inner, &lams))?;
        let rows = rows
            .into_iter()
            .map(|c| {
                Ok(PyComparison {
                    lam: c.lambda,
                    df_hat: c.df_hat,
                    df_theory: c.df_theory,
                    kappa_hat: c.kappa_hat,
                    kappa_theory: c.kappa_theory,
                    train_error_hat: c.train_error_hat,
                    train_error_theory: c.train_error_theory,
                    gcv_hat: c.gcv_hat,
                    gcv_theory: c.gcv_theory,
                    test_error_theory: c.test_error_theory,
                })
            })
            .collect();
        let pts = Points::Array(lams);
        Curve::build(
            py,
            rows,
            &[Input {
                name: "lam",
                values: &pts,
            }],
            false,
        )
    }

    fn __repr__(&self) -> String {
        format!(
            "RidgePath(P={}, D={})",
            self.inner.n_samples(),
            self.inner.n_features()
        )
    }
}

/// Kernel ridge regression on one Gram matrix `K` (P, P) and labels `y` (P,), along the
/// ridge path (1/P convention); methods as `RidgePath`, plus `kare`.
#[pyclass(frozen, name = "KernelPath", module = "detridge")]
pub struct PyKernelPath {
    inner: KernelPath,
}

#[pymethods]
impl PyKernelPath {
    #[new]
    fn new(py: Python<'_>, k: &Bound<'_, PyAny>, y: &Bound<'_, PyAny>) -> PyResult<Self> {
        let k = mat2(k, "K")?;
        let y = dvec(y, "y")?;
        Ok(Self {
            inner: run(py, || KernelPath::new(&k, &y))?,
        })
    }

    /// Number of samples `P`.
    #[getter]
    fn n_samples(&self) -> usize {
        self.inner.n_samples()
    }

    /// Rank of `K`.
    #[getter]
    fn rank(&self) -> usize {
        self.inner.rank()
    }

    /// Eigenvalues of `K/P`.
    fn sample_eigenvalues<'py>(&self, py: Python<'py>) -> Bound<'py, PyArray1<f64>> {
        PyArray1::from_slice(py, self.inner.sample_eigenvalues())
    }

    /// Dual coefficients at `lam` (P,).
    fn dual_coefficients<'py>(
        &self,
        py: Python<'py>,
        lam: f64,
    ) -> PyResult<Bound<'py, PyArray1<f64>>> {
        let w = run(py, || self.inner.dual_coefficients(lam))?;
        Ok(array(py, w.as_slice().to_vec()))
    }

    /// Fitted values at `lam` (P,).
    fn fitted<'py>(&self, py: Python<'py>, lam: f64) -> PyResult<Bound<'py, PyArray1<f64>>> {
        let w = run(py, || self.inner.fitted(lam))?;
        Ok(array(py, w.as_slice().to_vec()))
    }

    /// Training error.
    fn train_error(&self, py: Python<'_>, lam: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
        map_points(py, &points(lam, "lam")?, |l| self.inner.train_error(l))
    }

    /// Degrees of freedom.
    fn df(&self, py: Python<'_>, lam: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
        map_points(py, &points(lam, "lam")?, |l| self.inner.df(l))
    }

    /// `1 − df̂/P`.
    fn one_minus_df_over_p(&self, py: Python<'_>, lam: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
        map_points(py, &points(lam, "lam")?, |l| {
            self.inner.one_minus_df_over_p(l)
        })
    }

    /// `Ŝ = 1/(1 − df̂/P)`.
    fn s_hat(&self, py: Python<'_>, lam: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
        map_points(py, &points(lam, "lam")?, |l| self.inner.s_hat(l))
    }

    /// `κ̂ = lam Ŝ`.
    fn kappa_hat(&self, py: Python<'_>, lam: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
        map_points(py, &points(lam, "lam")?, |l| self.inner.kappa_hat(l))
    }

    /// Kernel alignment risk estimate (KARE).
    fn kare(&self, py: Python<'_>, lam: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
        map_points(py, &points(lam, "lam")?, |l| self.inner.kare(l))
    }

    /// Generalised cross-validation.
    fn gcv(&self, py: Python<'_>, lam: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
        map_points(py, &points(lam, "lam")?, |l| self.inner.gcv(l))
    }

    /// Exact leave-one-out cross-validation error.
    fn loocv(&self, py: Python<'_>, lam: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
        map_points(py, &points(lam, "lam")?, |l| self.inner.loocv(l))
    }

    /// Chooses `lam` by minimising `criterion` ("gcv" or "loocv").
    #[pyo3(signature = (criterion="gcv", lam_min=None, lam_max=None, grid_len=61, log_tol=1e-8, max_iter=100))]
    fn select_lambda(
        &self,
        py: Python<'_>,
        criterion: &str,
        lam_min: Option<f64>,
        lam_max: Option<f64>,
        grid_len: usize,
        log_tol: f64,
        max_iter: usize,
    ) -> PyResult<PyLambdaChoice> {
        let c = self::criterion(py, criterion)?;
        let params = search_params(lam_min, lam_max, grid_len, log_tol, max_iter);
        Ok(choice(
            py,
            run(py, || self.inner.select_lambda(c, &params))?,
        ))
    }

    fn __repr__(&self) -> String {
        format!("KernelPath(P={})", self.inner.n_samples())
    }
}

/// Registers this module's classes.
pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<PyRidgePath>()?;
    m.add_class::<PyKernelPath>()?;
    m.add_class::<PyLambdaChoice>()?;
    m.add_class::<PyComparison>()?;
    Ok(())
}
