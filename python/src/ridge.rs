//! Linear ridge theory (Rust: `detridge::ridge`): `Task.ridge`, `Task.ridge_curve`,
//! `Task.optimal_ridge`, `Task.min_ridge`, `Task.ridge_ood`.

use detridge::ridge::RidgeTheory;
use detridge::solver::SolverParams;
use pyo3::prelude::*;

use crate::convert::{
    Curve, Input, Points, broadcast_len, map_points, mask_mode, points, run, vec1,
};
use crate::record;
use crate::spectrum::PyTask;

record!(
    /// Linear ridge theory at one `(p, lam)` (THEORY §3). `lam` is the Rust `lambda`;
    /// `gcv = test_error + σ²`; `classic_bias2 = bias2 + var_data`; `solver_iterations`
    /// counts κ-solver steps.
    PyRidge,
    "RidgeTheory",
    [
        p,
        lam,
        kappa,
        df1,
        df2,
        gamma,
        dkappa_dlam,
        test_error,
        train_error,
        bias2,
        var_data,
        var_noise,
        s_transform,
        gcv,
        classic_bias2,
        solver_iterations,
    ]
);

impl From<RidgeTheory> for PyRidge {
    fn from(t: RidgeTheory) -> Self {
        Self {
            p: t.p,
            lam: t.lambda,
            kappa: t.kappa,
            df1: t.df1,
            df2: t.df2,
            gamma: t.gamma,
            dkappa_dlam: t.dkappa_dlambda,
            test_error: t.test_error,
            train_error: t.train_error,
            bias2: t.bias2,
            var_data: t.var_data,
            var_noise: t.var_noise,
            s_transform: t.s_transform,
            gcv: t.gcv,
            classic_bias2: t.classic_bias2(),
            solver_iterations: t.solver.iterations as f64,
        }
    }
}

/// The ridge minimising the test error at one `p` (THEORY §3.4).
#[pyclass(frozen, name = "OptimalRidge", module = "detridge")]
pub struct PyOptimalRidge {
    /// The optimal ridge `λ*`.
    #[pyo3(get)]
    lam: f64,
    /// The theory at `λ*`.
    #[pyo3(get)]
    theory: PyRidge,
    /// Number of theory evaluations the search used.
    #[pyo3(get)]
    evaluations: usize,
}

#[pymethods]
impl PyOptimalRidge {
    fn __repr__(&self) -> String {
        format!(
            "OptimalRidge(lam={:.6e}, test_error={:.6e}, evaluations={})",
            self.lam, self.theory.test_error, self.evaluations
        )
    }
}

/// Out-of-distribution theory (THEORY §3.5).
#[pyclass(frozen, name = "OodTheory", module = "detridge")]
pub struct PyOod {
    /// The in-distribution theory at the same `(p, lam)`.
    #[pyo3(get)]
    in_distribution: PyRidge,
    /// `γ′ = Tr Σ′Σ(Σ+κ)⁻²/P`.
    #[pyo3(get)]
    gamma_test: f64,
    /// The test error under the test covariance `Σ′`.
    #[pyo3(get)]
    test_error: f64,
}

#[pymethods]
impl PyOod {
    fn __repr__(&self) -> String {
        format!(
            "OodTheory(test_error={:.6e}, gamma_test={:.6e})",
            self.test_error, self.gamma_test
        )
    }
}

/// Warm-started pointwise evaluation over broadcast inputs (two or more array
/// arguments, where the crate has no single-sweep curve): every point is kept.
pub fn pointwise<T, F>(n: usize, kappa_of: fn(&T) -> f64, f: F) -> Vec<detridge::Result<T>>
where
    F: Fn(usize, Option<f64>) -> detridge::Result<T>,
{
    let mut guess = None;
    (0..n)
        .map(|i| {
            let r = f(i, guess);
            if let Ok(t) = &r {
                let k = kappa_of(t);
                if k.is_finite() && k > 0.0 {
                    guess = Some(k);
                }
            }
            r
        })
        .collect()
}

#[pymethods]
impl PyTask {
    /// Linear ridge theory at `p` samples and ridge `lam` (THEORY §3).
    fn ridge(&self, py: Python<'_>, p: f64, lam: f64) -> PyResult<PyRidge> {
        Ok(run(py, || self.inner.ridge(p, lam))?.into())
    }

    /// Ridge theory over arrays of `p` and/or `lam` (scalars broadcast), computed in Rust
    /// with the GIL released and warm starts between points.
    ///
    /// `errors="raise"` (default): the first failing point raises `DetridgeError`.
    /// `errors="mask"`: failing points hold NaN and `curve.ok` is False there (the crate
    /// computes every point either way; a failed point does not stop the sweep).
    #[pyo3(signature = (p, lam, errors="raise"))]
    fn ridge_curve(
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
        // One sweep of the crate's warm-started `Curve` (one result per point) when a
        // single argument varies; a pointwise loop when both do.
        let rows = run(py, || {
            Ok(match (&p, &lam) {
                (Points::Array(ps), Points::Scalar(l)) => task.ridge_curve_p(ps, *l).points,
                (Points::Scalar(pp), Points::Array(ls)) => task.ridge_curve_lambda(*pp, ls).points,
                _ => {
                    let params = SolverParams::default();
                    pointwise(
                        n,
                        |t: &RidgeTheory| t.kappa,
                        |i, g| task.ridge_with(p.at(i), lam.at(i), g, &params),
                    )
                }
            })
        })?;
        let rows = rows.into_iter().map(|r| r.map(PyRidge::from)).collect();
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

    /// Smallest admissible ridge at `p` samples (float, or array for an array).
    fn min_ridge(&self, py: Python<'_>, p: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
        let p = points(p, "p")?;
        map_points(py, &p, |x| self.inner.min_ridge(x))
    }

    /// The ridge minimising the test error at `p` samples (THEORY §3.4).
    fn optimal_ridge(&self, py: Python<'_>, p: f64) -> PyResult<PyOptimalRidge> {
        let o = run(py, || self.inner.optimal_ridge(p))?;
        Ok(PyOptimalRidge {
            lam: o.lambda,
            theory: o.theory.into(),
            evaluations: o.evaluations,
        })
    }

    /// Out-of-distribution test error for a test covariance sharing `Σ`'s eigenvectors:
    /// `test_eigenvalues[i]` on the `i`-th stored spectrum entry (THEORY §3.5).
    fn ridge_ood(
        &self,
        py: Python<'_>,
        p: f64,
        lam: f64,
        test_eigenvalues: &Bound<'_, PyAny>,
    ) -> PyResult<PyOod> {
        let te = vec1(test_eigenvalues, "test_eigenvalues")?;
        let o = run(py, || self.inner.ridge_ood(p, lam, &te))?;
        Ok(PyOod {
            in_distribution: o.in_distribution.into(),
            gamma_test: o.gamma_test,
            test_error: o.test_error,
        })
    }
}

/// Registers this module's classes.
pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<PyRidge>()?;
    m.add_class::<PyOptimalRidge>()?;
    m.add_class::<PyOod>()?;
    Ok(())
}
