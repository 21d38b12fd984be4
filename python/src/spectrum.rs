//! `detridge.Spectrum` and `detridge.Task` (Rust: `detridge::spectrum`). The theory
//! methods of `Task` live beside their Rust modules (`ridge.rs`, `features.rs`).

use detridge::{Spectrum, Task};
use pyo3::prelude::*;

use crate::convert::{mat2, run, to_py_err, vec1};
use crate::record;

/// `d` for `power_law`: `None` is `D = ∞`; a negative count is an `InvalidParameter`.
fn dimension(py: Python<'_>, d: Option<i64>) -> PyResult<Option<usize>> {
    match d {
        None => Ok(None),
        Some(v) => usize::try_from(v).map(Some).map_err(|_| {
            to_py_err(
                py,
                &detridge::Error::InvalidParameter {
                    name: "d",
                    value: v as f64,
                    reason: "must be a positive integer or None (D = ∞)",
                },
            )
        }),
    }
}

/// The eigenvalues of a population covariance `Σ` (with multiplicities), or an analytic
/// power law `s_k = k^-alpha` with finite or infinite `D`.
#[pyclass(frozen, name = "Spectrum", module = "detridge")]
#[derive(Clone)]
pub struct PySpectrum {
    pub inner: Spectrum,
}

#[pymethods]
impl PySpectrum {
    /// Spectrum from explicit eigenvalues (1-D array, each >= 0).
    #[staticmethod]
    fn from_eigenvalues(py: Python<'_>, eigenvalues: &Bound<'_, PyAny>) -> PyResult<Self> {
        let e = vec1(eigenvalues, "eigenvalues")?;
        Ok(Self {
            inner: run(py, || Spectrum::from_eigenvalues(&e))?,
        })
    }

    /// Spectrum from distinct values and their (real) multiplicities.
    #[staticmethod]
    fn with_multiplicities(
        py: Python<'_>,
        values: &Bound<'_, PyAny>,
        multiplicities: &Bound<'_, PyAny>,
    ) -> PyResult<Self> {
        let v = vec1(values, "values")?;
        let m = vec1(multiplicities, "multiplicities")?;
        Ok(Self {
            inner: run(py, || Spectrum::with_multiplicities(&v, &m))?,
        })
    }

    /// `Σ = value · I` in `d` dimensions.
    #[staticmethod]
    fn isotropic(py: Python<'_>, d: f64, value: f64) -> PyResult<Self> {
        Ok(Self {
            inner: run(py, || Spectrum::isotropic(d, value))?,
        })
    }

    /// `s_k = k^-alpha`, `k = 1..d`; `d=None` is `D = ∞`.
    #[staticmethod]
    #[pyo3(signature = (alpha, d=None))]
    fn power_law(py: Python<'_>, alpha: f64, d: Option<i64>) -> PyResult<Self> {
        let d = dimension(py, d)?;
        Ok(Self {
            inner: run(py, || Spectrum::power_law(alpha, d))?,
        })
    }

    /// Dimension `D` (may be inf).
    #[getter]
    fn dimension(&self) -> f64 {
        self.inner.dimension()
    }

    /// Number of positive eigenvalues (may be inf).
    #[getter]
    fn rank(&self) -> f64 {
        self.inner.rank()
    }

    /// `Tr Σ`.
    #[getter]
    fn trace(&self) -> f64 {
        self.inner.trace()
    }

    /// Smallest positive eigenvalue.
    #[getter]
    fn min_positive_eigenvalue(&self) -> f64 {
        self.inner.min_positive_eigenvalue()
    }

    /// Largest eigenvalue.
    #[getter]
    fn max_eigenvalue(&self) -> f64 {
        self.inner.max_eigenvalue()
    }

    /// Degrees of freedom at `kappa`: `Dofs(df1, df2, df1_minus_df2)`.
    fn dofs(&self, kappa: f64) -> Dofs {
        let d = self.inner.dofs(kappa);
        Dofs {
            df1: d.df1,
            df2: d.df2,
            df1_minus_df2: d.df1_minus_df2,
        }
    }

    fn __repr__(&self) -> String {
        format!(
            "Spectrum(dimension={}, rank={}, trace={:.6e})",
            self.inner.dimension(),
            self.inner.rank(),
            self.inner.trace()
        )
    }
}

record!(
    /// `Df₁(κ) = Tr Σ(Σ+κ)⁻¹`, `Df₂(κ) = Tr Σ²(Σ+κ)⁻²` and their difference.
    Dofs,
    "Dofs",
    [df1, df2, df1_minus_df2]
);

record!(
    /// The spectral traces at one `κ` (THEORY §1): `Df₁`, `Df₂`, `tf₁`, `tf₁′`, `tf₂`.
    Traces,
    "Traces",
    [kappa, df1, df2, df1_minus_df2, tf1, tf1_prime, tf2, tf1_minus_tf2]
);

record!(
    /// What `Task.compressed()` did: entries before and after, and the checked error.
    CompressionReport,
    "CompressionReport",
    [entries_before, entries_after, max_rel_error, checked_points]
);

/// A learning task: a spectrum `Σ`, target weights `w̄` in `Σ`'s eigenbasis and a
/// label-noise variance `σ²`. All theory (`ridge`, `random_features`, ...) hangs off it.
#[pyclass(frozen, name = "Task", module = "detridge")]
#[derive(Clone)]
pub struct PyTask {
    pub inner: Task,
}

impl PyTask {
    pub fn wrap(inner: Task) -> Self {
        Self { inner }
    }
}

#[pymethods]
impl PyTask {
    /// Task from explicit eigenvalues of `Σ`, target weights in its eigenbasis and the
    /// label-noise variance.
    #[staticmethod]
    #[pyo3(signature = (eigenvalues, wbar, noise=0.0))]
    fn from_weights(
        py: Python<'_>,
        eigenvalues: &Bound<'_, PyAny>,
        wbar: &Bound<'_, PyAny>,
        noise: f64,
    ) -> PyResult<Self> {
        let e = vec1(eigenvalues, "eigenvalues")?;
        let w = vec1(wbar, "wbar")?;
        Ok(Self::wrap(run(py, || Task::from_weights(&e, &w, noise))?))
    }

    /// Power-law task `s_k = k^-alpha`, `s_k w̄_k² ∝ k^-(1+2 alpha r)`, normalised to
    /// `w̄ᵀΣw̄ = 1`; `d=None` is `D = ∞` (exact tail).
    #[staticmethod]
    #[pyo3(signature = (alpha, r, d=None, noise=0.0))]
    fn power_law(py: Python<'_>, alpha: f64, r: f64, d: Option<i64>, noise: f64) -> PyResult<Self> {
        let d = dimension(py, d)?;
        Ok(Self::wrap(run(py, || Task::power_law(alpha, r, d, noise))?))
    }

    /// Isotropic task: `Σ = I` in `d` dimensions, `|w̄|² = signal`.
    #[staticmethod]
    #[pyo3(signature = (d, signal, noise=0.0))]
    fn isotropic(py: Python<'_>, d: f64, signal: f64, noise: f64) -> PyResult<Self> {
        Ok(Self::wrap(run(py, || Task::isotropic(d, signal, noise))?))
    }

    /// Task from a spectrum and the target power `w̄_k²` per stored entry.
    #[staticmethod]
    #[pyo3(signature = (spectrum, target_power, noise=0.0))]
    fn with_target_power(
        py: Python<'_>,
        spectrum: &PySpectrum,
        target_power: &Bound<'_, PyAny>,
        noise: f64,
    ) -> PyResult<Self> {
        let t = vec1(target_power, "target_power")?;
        let s = spectrum.inner.clone();
        Ok(Self::wrap(run(py, || {
            Task::with_target_power(s, &t, noise)
        })?))
    }

    /// Task from a dense covariance matrix (D, D) and target weights `w̄` (D,) in the
    /// original basis.
    #[staticmethod]
    #[pyo3(signature = (covariance, wbar, noise=0.0))]
    fn from_covariance(
        py: Python<'_>,
        covariance: &Bound<'_, PyAny>,
        wbar: &Bound<'_, PyAny>,
        noise: f64,
    ) -> PyResult<Self> {
        let c = mat2(covariance, "covariance")?;
        let w = crate::convert::dvec(wbar, "wbar")?;
        Ok(Self::wrap(run(py, || {
            Task::from_covariance(&c, &w, noise)
        })?))
    }

    /// The same task with another label-noise variance.
    fn with_noise_variance(&self, py: Python<'_>, noise: f64) -> PyResult<Self> {
        Ok(Self::wrap(run(py, || {
            self.inner.with_noise_variance(noise)
        })?))
    }

    /// The spectrum of `Σ`.
    #[getter]
    fn spectrum(&self) -> PySpectrum {
        PySpectrum {
            inner: self.inner.spectrum().clone(),
        }
    }

    /// Label-noise variance `σ²`.
    #[getter]
    fn noise_variance(&self) -> f64 {
        self.inner.noise_variance()
    }

    /// `w̄ᵀΣw̄`.
    #[getter]
    fn signal_variance(&self) -> f64 {
        self.inner.signal_variance()
    }

    /// `|w̄|²`.
    #[getter]
    fn target_norm2(&self) -> f64 {
        self.inner.target_norm2()
    }

    /// The spectral traces at `kappa` (THEORY §1).
    fn traces(&self, kappa: f64) -> Traces {
        let t = self.inner.traces(kappa);
        Traces {
            kappa: t.kappa,
            df1: t.df1,
            df2: t.df2,
            df1_minus_df2: t.df1_minus_df2,
            tf1: t.tf1,
            tf1_prime: t.tf1_prime,
            tf2: t.tf2,
            tf1_minus_tf2: t.tf1_minus_tf2,
        }
    }

    /// A compressed copy of the task (same theory to a stated relative error) and the
    /// report `(task, CompressionReport)`.
    fn compressed(&self, py: Python<'_>) -> PyResult<(Self, CompressionReport)> {
        let (t, r) = run(py, || self.inner.compressed())?;
        Ok((
            Self::wrap(t),
            CompressionReport {
                entries_before: r.entries_before as f64,
                entries_after: r.entries_after as f64,
                max_rel_error: r.max_rel_error,
                checked_points: r.checked_points as f64,
            },
        ))
    }

    fn __repr__(&self) -> String {
        let s = self.inner.spectrum();
        format!(
            "Task(dimension={}, signal_variance={:.6e}, noise_variance={:.6e})",
            s.dimension(),
            self.inner.signal_variance(),
            self.inner.noise_variance()
        )
    }
}

/// Registers this module's classes.
pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<PySpectrum>()?;
    m.add_class::<PyTask>()?;
    m.add_class::<Dofs>()?;
    m.add_class::<Traces>()?;
    m.add_class::<CompressionReport>()?;
    Ok(())
}
