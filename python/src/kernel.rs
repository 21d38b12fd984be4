//! Kernel ridge regression on Mercer spectra (Rust: `detridge::kernel`); the submodule
//! `detridge.kernel`.

use detridge::kernel::{self, KernelTheory};
use pyo3::prelude::*;

use crate::convert::{Curve, Input, Points, broadcast_len, mask_mode, points, run, vec1};
use crate::record;
use crate::spectrum::PyTask;

record!(
    /// Kernel ridge theory (THEORY §6): the ridge theory plus the kernel convention
    /// `lam_c = P·lam`, `kappa_c = P·kappa`; `gcv = E_g + σ²` is also the value KARE
    /// concentrates on.
    PyKernel,
    "KernelTheory",
    [p, lam, kappa, lam_c, kappa_c, test_error, train_error, bias2, var_data, var_noise, gcv, s_transform]
);

impl From<KernelTheory> for PyKernel {
    fn from(k: KernelTheory) -> Self {
        Self {
            p: k.ridge.p,
            lam: k.ridge.lambda,
            kappa: k.ridge.kappa,
            lam_c: k.convention.lambda,
            kappa_c: k.convention.kappa,
            test_error: k.ridge.test_error,
            train_error: k.ridge.train_error,
            bias2: k.ridge.bias2,
            var_data: k.ridge.var_data,
            var_noise: k.ridge.var_noise,
            gcv: k.gcv,
            s_transform: k.s_transform,
        }
    }
}

/// Number of degree-`l` spherical harmonics on `S^{d-1}`.
#[pyfunction]
fn sphere_degeneracy(py: Python<'_>, d: usize, l: usize) -> PyResult<f64> {
    run(py, || kernel::sphere_degeneracy(d, l))
}

/// Task of a Mercer kernel: level eigenvalues, their multiplicities, the target power per
/// level (`Σ_k η_k w̄_k²` over the level), label noise.
#[pyfunction]
#[pyo3(signature = (eigenvalues, multiplicities, target_power, noise=0.0))]
fn mercer_task(
    py: Python<'_>,
    eigenvalues: &Bound<'_, PyAny>,
    multiplicities: &Bound<'_, PyAny>,
    target_power: &Bound<'_, PyAny>,
    noise: f64,
) -> PyResult<PyTask> {
    let e = vec1(eigenvalues, "eigenvalues")?;
    let m = vec1(multiplicities, "multiplicities")?;
    let t = vec1(target_power, "target_power")?;
    Ok(PyTask::wrap(run(py, || {
        kernel::mercer_task(&e, &m, &t, noise)
    })?))
}

/// Task of a dot-product kernel on `S^{d-1}`: level `l` has eigenvalue
/// `level_eigenvalues[l]` with multiplicity `sphere_degeneracy(d, l)`.
#[pyfunction]
#[pyo3(signature = (d, level_eigenvalues, target_power, noise=0.0))]
fn sphere_task(
    py: Python<'_>,
    d: usize,
    level_eigenvalues: &Bound<'_, PyAny>,
    target_power: &Bound<'_, PyAny>,
    noise: f64,
) -> PyResult<PyTask> {
    let e = vec1(level_eigenvalues, "level_eigenvalues")?;
    let t = vec1(target_power, "target_power")?;
    Ok(PyTask::wrap(run(py, || {
        kernel::sphere_task(d, &e, &t, noise)
    })?))
}

/// `(lam_c, kappa_c) = (P·lam, P·kappa)`.
#[pyfunction]
fn to_kernel_convention(py: Python<'_>, p: f64, lam: f64, kappa: f64) -> PyResult<(f64, f64)> {
    let c = run(py, || kernel::to_kernel_convention(p, lam, kappa))?;
    Ok((c.lambda, c.kappa))
}

/// `(lam, kappa) = (lam_c/P, kappa_c/P)`.
#[pyfunction]
fn from_kernel_convention(
    py: Python<'_>,
    p: f64,
    lam_c: f64,
    kappa_c: f64,
) -> PyResult<(f64, f64)> {
    run(py, || kernel::from_kernel_convention(p, lam_c, kappa_c))
}

/// Kernel ridge theory at `p` samples and ridge `lam` (1/P convention).
#[pyfunction]
fn kernel_ridge(py: Python<'_>, task: &PyTask, p: f64, lam: f64) -> PyResult<PyKernel> {
    Ok(run(py, || kernel::kernel_ridge(&task.inner, p, lam))?.into())
}

/// Kernel learning curve over an array of `p` at fixed `lam` (first error raises); the
/// same as `task.kernel_ridge_curve(p, lam)`.
#[pyfunction]
fn learning_curve(
    py: Python<'_>,
    task: &PyTask,
    p: &Bound<'_, PyAny>,
    lam: f64,
) -> PyResult<Curve> {
    let lam = lam.into_pyobject(py)?.into_any();
    task.kernel_ridge_curve(py, p, &lam, "raise")
}

#[pymethods]
impl PyTask {
    /// Kernel ridge theory at `p` samples and ridge `lam` (this task as a Mercer task).
    #[pyo3(name = "kernel_ridge")]
    fn kernel_ridge_method(&self, py: Python<'_>, p: f64, lam: f64) -> PyResult<PyKernel> {
        Ok(run(py, || self.inner.kernel_ridge(p, lam))?.into())
    }

    /// Kernel ridge theory over an array of `p` or of `lam` (the other a scalar); `errors`
    /// as in `ridge_curve`.
    #[pyo3(signature = (p, lam, errors="raise"))]
    fn kernel_ridge_curve(
        &self,
        py: Python<'_>,
        p: &Bound<'_, PyAny>,
        lam: &Bound<'_, PyAny>,
        errors: &str,
    ) -> PyResult<Curve> {
        let masked = mask_mode(py, errors)?;
        let p = points(p, "p")?;
        let lam = points(lam, "lam")?;
        let n = broadcast_len(py, &[("p", &p), ("lam", &lam)])?.unwrap_or(1);
        let task = &self.inner;
        let rows = run(py, || {
            Ok(match (&p, &lam) {
                (Points::Array(ps), Points::Scalar(l)) => task.kernel_ridge_curve_p(ps, *l).points,
                (Points::Scalar(pp), Points::Array(ls)) => {
                    task.kernel_ridge_curve_lambda(*pp, ls).points
                }
                _ => (0..n)
                    .map(|i| task.kernel_ridge(p.at(i), lam.at(i)))
                    .collect(),
            })
        })?;
        let rows = rows.into_iter().map(|r| r.map(PyKernel::from)).collect();
        let inputs = [
            Input {
                name: "p",
                values: &p,
            },
            Input {
                name: "lam",
                values: &lam,
            },
        ];
        Curve::build(py, rows, &inputs, masked)
    }
}

/// Registers the `detridge.kernel` submodule.
pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<PyKernel>()?;
    m.add_function(wrap_pyfunction!(sphere_degeneracy, m)?)?;
    m.add_function(wrap_pyfunction!(mercer_task, m)?)?;
    m.add_function(wrap_pyfunction!(sphere_task, m)?)?;
    m.add_function(wrap_pyfunction!(to_kernel_convention, m)?)?;
    m.add_function(wrap_pyfunction!(from_kernel_convention, m)?)?;
    m.add_function(wrap_pyfunction!(kernel_ridge, m)?)?;
    m.add_function(wrap_pyfunction!(learning_curve, m)?)?;
    Ok(())
}
