//! Nonlinear random features through Gaussian equivalence (Rust:
//! `detridge::features::nonlinear` and `detridge::activation`; THEORY §12).

use detridge::features::{Activation, HermiteCoefficients, MIN_EFFECTIVE_RANK, NonlinearRfTheory};
use pyo3::prelude::*;

use crate::convert::run;
use crate::record;
use crate::spectrum::PyTask;

record!(
    /// Hermite coefficients of an activation at pre-activation variance `variance`
    /// (THEORY §12): `mu0 = E φ(h)`, `mu1 = E[hφ(h)]/a`, `mu_star2 = E φ(h)² − μ₀² − aμ₁²`,
    /// `second_moment = E φ(h)²`, for `h ~ N(0, a)`.
    PyHermite,
    "HermiteCoefficients",
    [variance, mu0, mu1, mu_star2, second_moment]
);

impl From<HermiteCoefficients> for PyHermite {
    fn from(h: HermiteCoefficients) -> Self {
        Self {
            variance: h.variance,
            mu0: h.mu0,
            mu1: h.mu1,
            mu_star2: h.mu_star2,
            second_moment: h.second_moment,
        }
    }
}

record!(
    /// Gaussian-equivalent theory of nonlinear random features `z = φ(Wx)/√N` at one
    /// `(p, n, lam)` (THEORY §12). The Hermite coefficients used (at `a = tr Σ/D`) are
    /// flattened into `hermite_variance`, `mu0`, `mu1`, `mu_star2`, `second_moment`;
    /// `in_domain` (a bool attribute, not in `to_dict()`) is `effective_rank >= 100`.
    PyNonlinearRf,
    "NonlinearRfTheory",
    [
        p,
        n,
        lam,
        test_error,
        train_error,
        gcv,
        s_transform,
        kappa,
        kappa1,
        df1_features,
        df2_features,
        gamma1,
        data_averaged_error,
        var_noise,
        feature_noise,
        effective_ridge_infinite_width,
        effective_rank,
        dimension,
        hermite_variance,
        mu0,
        mu1,
        mu_star2,
        second_moment,
    ]
);

impl From<NonlinearRfTheory> for PyNonlinearRf {
    fn from(t: NonlinearRfTheory) -> Self {
        Self {
            p: t.p,
            n: t.n,
            lam: t.lambda,
            test_error: t.test_error,
            train_error: t.train_error,
            gcv: t.gcv,
            s_transform: t.s_transform,
            kappa: t.kappa,
            kappa1: t.kappa1,
            df1_features: t.df1_features,
            df2_features: t.df2_features,
            gamma1: t.gamma1,
            data_averaged_error: t.data_averaged_error,
            var_noise: t.var_noise,
            feature_noise: t.feature_noise,
            effective_ridge_infinite_width: t.effective_ridge_infinite_width,
            effective_rank: t.effective_rank,
            dimension: t.dimension,
            hermite_variance: t.hermite.variance,
            mu0: t.hermite.mu0,
            mu1: t.hermite.mu1,
            mu_star2: t.hermite.mu_star2,
            second_moment: t.hermite.second_moment,
        }
    }
}

#[pymethods]
impl PyNonlinearRf {
    /// `effective_rank >= 100` (the crate's `MIN_EFFECTIVE_RANK`): inside the measured
    /// domain where Gaussian equivalence predicts the nonlinear model (THEORY §12).
    #[getter]
    fn in_domain(&self) -> bool {
        self.effective_rank >= MIN_EFFECTIVE_RANK
    }

    /// The Hermite coefficients used, as a `HermiteCoefficients` record.
    #[getter]
    fn hermite(&self) -> PyHermite {
        PyHermite {
            variance: self.hermite_variance,
            mu0: self.mu0,
            mu1: self.mu1,
            mu_star2: self.mu_star2,
            second_moment: self.second_moment,
        }
    }
}

/// The activation named `name` (`"relu"`, `"erf"`, `"tanh"`, `"gelu"`, `"identity"`).
fn activation(py: Python<'_>, name: &str) -> PyResult<Activation> {
    match name.to_ascii_lowercase().as_str() {
        "relu" => Ok(Activation::Relu),
        "erf" => Ok(Activation::Erf),
        "tanh" => Ok(Activation::Tanh),
        "gelu" => Ok(Activation::Gelu),
        "identity" | "linear" => Ok(Activation::Identity),
        _ => Err(crate::convert::invalid_input(
            py,
            "activation",
            format!(
                "unknown activation {name:?}: expected \"relu\", \"erf\", \"tanh\", \"gelu\" \
                 or \"identity\""
            ),
        )),
    }
}

#[pymethods]
impl PyTask {
    /// Nonlinear random features `z = φ(Wx)/√N`, `W` entries `N(0, 1/D)`, through Gaussian
    /// equivalence (THEORY §12): `p` samples, `n` features (`inf` allowed), ridge `lam`,
    /// `activation` one of `"relu"`, `"erf"`, `"tanh"`, `"gelu"`, `"identity"`.
    #[pyo3(signature = (p, n, lam, activation="relu"))]
    fn nonlinear_random_features(
        &self,
        py: Python<'_>,
        p: f64,
        n: f64,
        lam: f64,
        activation: &str,
    ) -> PyResult<PyNonlinearRf> {
        let act = self::activation(py, activation)?;
        Ok(run(py, || self.inner.nonlinear_random_features(p, n, lam, &act))?.into())
    }
}

/// Hermite coefficients `μ₀, μ₁, μ*²` of `activation` at pre-activation variance `a > 0`
/// (THEORY §12): closed forms for relu, erf and identity, Gauss–Hermite quadrature
/// otherwise.
#[pyfunction]
fn activation_hermite(py: Python<'_>, activation: &str, a: f64) -> PyResult<PyHermite> {
    let act = self::activation(py, activation)?;
    Ok(run(py, || act.hermite(a))?.into())
}

/// Registers this module's classes and functions.
pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<PyHermite>()?;
    m.add_class::<PyNonlinearRf>()?;
    m.add_function(wrap_pyfunction!(activation_hermite, m)?)?;
    Ok(())
}
