//! Linear random features (Rust: `detridge::features`): isotropic, deep chains,
//! column-anisotropic and input-structured weights, additive feature noise, ensembles.

use detridge::features::{NoisyRfTheory, RfTheory};
use detridge::solver::SolverParams;
use detridge::stransform::{STransform, Wishart};
use pyo3::prelude::*;

use crate::convert::{Curve, Input, Points, broadcast_len, mask_mode, mat2, points, run, vec1};
use crate::record;
use crate::ridge::pointwise;
use crate::spectrum::PyTask;

record!(
    /// Linear random-feature theory at one `(p, n, lam)` (THEORY §4–5). `var_noise` is
    /// all noise terms; `var_noise_data`, `var_noise_data_features` split it.
    PyRf,
    "RfTheory",
    [
        p,
        lam,
        kappa,
        kappa1,
        df1,
        df2,
        rho,
        gamma1,
        gamma,
        test_error,
        train_error,
        bias2,
        var_data,
        var_features,
        var_data_features,
        var_noise,
        var_noise_data,
        var_noise_data_features,
        feature_averaged_error,
        data_averaged_error,
        gcv,
        s_transform,
        solver_iterations,
    ]
);

impl From<RfTheory> for PyRf {
    fn from(t: RfTheory) -> Self {
        Self {
            p: t.p,
            lam: t.lambda,
            kappa: t.kappa,
            kappa1: t.kappa1,
            df1: t.df1,
            df2: t.df2,
            rho: t.rho,
            gamma1: t.gamma1,
            gamma: t.gamma,
            test_error: t.test_error,
            train_error: t.train_error,
            bias2: t.bias2,
            var_data: t.var_data,
            var_features: t.var_features,
            var_data_features: t.var_data_features,
            var_noise: t.var_noise,
            var_noise_data: t.var_noise_data,
            var_noise_data_features: t.var_noise_data_features,
            feature_averaged_error: t.feature_averaged_error,
            data_averaged_error: t.data_averaged_error,
            gcv: t.gcv,
            s_transform: t.s_transform,
            solver_iterations: t.solver.iterations as f64,
        }
    }
}

record!(
    /// Random features with additive feature noise of variance `s` (THEORY §4.6);
    /// `df1_features`, `df2_features` are the feature-space degrees of freedom.
    PyRfNoisy,
    "NoisyRfTheory",
    [
        p,
        lam,
        s,
        kappa1,
        kappa,
        df1_features,
        df2_features,
        gamma1,
        test_error,
        train_error,
        data_averaged_error,
        var_noise,
        gcv,
        s_transform,
        iterations,
    ]
);

impl From<NoisyRfTheory> for PyRfNoisy {
    fn from(t: NoisyRfTheory) -> Self {
        Self {
            p: t.p,
            lam: t.lambda,
            s: t.s,
            kappa1: t.kappa1,
            kappa: t.kappa,
            df1_features: t.df1_features,
            df2_features: t.df2_features,
            gamma1: t.gamma1,
            test_error: t.test_error,
            train_error: t.train_error,
            data_averaged_error: t.data_averaged_error,
            var_noise: t.var_noise,
            gcv: t.gcv,
            s_transform: t.s_transform,
            iterations: t.iterations as f64,
        }
    }
}

/// A curve of random-feature theories: inputs broadcast, warm-started, one Rust loop.
fn rf_curve(
    py: Python<'_>,
    task: &detridge::Task,
    p: &Bound<'_, PyAny>,
    widths: &[&Bound<'_, PyAny>],
    lam: &Bound<'_, PyAny>,
    errors: &str,
) -> PyResult<Curve> {
    let masked = mask_mode(py, errors)?;
    let p = points(p, "p")?;
    let lam = points(lam, "lam")?;
    let ws = widths
        .iter()
        .map(|w| points(w, "n"))
        .collect::<PyResult<Vec<_>>>()?;
    let mut args = vec![("p", &p), ("lam", &lam)];
    args.extend(ws.iter().map(|w| ("n", w)));
    let n = broadcast_len(py, &args)?.unwrap_or(1);
    let rows = run(py, || {
        // One sweep of the crate's warm-started `Curve` when a single argument varies (one
        // layer); a pointwise loop otherwise. Every point is computed either way.
        if let [w] = ws.as_slice() {
            match (&p, w, &lam) {
                (Points::Array(ps), Points::Scalar(nn), Points::Scalar(l)) => {
                    return Ok(task.random_features_curve_p(ps, *nn, *l).points);
                }
                (Points::Scalar(pp), Points::Array(ns), Points::Scalar(l)) => {
                    return Ok(task.random_features_curve_n(*pp, ns, *l).points);
                }
                (Points::Scalar(pp), Points::Scalar(nn), Points::Array(ls)) => {
                    return Ok(task.random_features_curve_lambda(*pp, *nn, ls).points);
                }
                _ => {}
            }
        }
        let params = SolverParams::default();
        Ok(pointwise(
            n,
            |t: &RfTheory| t.kappa,
            |i, g| {
                let factors = ws
                    .iter()
                    .map(|w| Wishart::new(w.at(i)))
                    .collect::<detridge::Result<Vec<_>>>()?;
                let refs: Vec<&dyn STransform> =
                    factors.iter().map(|f| f as &dyn STransform).collect();
                task.random_features_factors(p.at(i), &refs, lam.at(i), g, &params)
            },
        ))
    })?;
    let rows = rows.into_iter().map(|r| r.map(PyRf::from)).collect();
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

#[pymethods]
impl PyTask {
    /// Linear random features, `F` entries `N(0, 1/N)` (THEORY §4.2–4.4): `p` samples
    /// (`inf` allowed), `n` features (`inf` is linear ridge), ridge `lam`.
    fn random_features(&self, py: Python<'_>, p: f64, n: f64, lam: f64) -> PyResult<PyRf> {
        Ok(run(py, || self.inner.random_features(p, n, lam))?.into())
    }

    /// Random-feature theory over arrays of `p`, `n` and/or `lam` (scalars broadcast),
    /// one Rust loop with the GIL released. `errors` as in `ridge_curve`.
    #[pyo3(signature = (p, n, lam, errors="raise"))]
    fn random_features_curve(
        &self,
        py: Python<'_>,
        p: &Bound<'_, PyAny>,
        n: &Bound<'_, PyAny>,
        lam: &Bound<'_, PyAny>,
        errors: &str,
    ) -> PyResult<Curve> {
        rf_curve(py, &self.inner, p, &[n], lam, errors)
    }

    /// Deep linear random-feature chain `F = F₁⋯F_L` with widths `N₁..N_L` (THEORY §5).
    fn deep_random_features(
        &self,
        py: Python<'_>,
        p: f64,
        widths: &Bound<'_, PyAny>,
        lam: f64,
    ) -> PyResult<PyRf> {
        let w = vec1(widths, "widths")?;
        Ok(run(py, || self.inner.deep_random_features(p, &w, lam))?.into())
    }

    /// Deep chain over arrays of `p` and/or `lam` (fixed widths). `errors` as in
    /// `ridge_curve`.
    #[pyo3(signature = (p, widths, lam, errors="raise"))]
    fn deep_random_features_curve(
        &self,
        py: Python<'_>,
        p: &Bound<'_, PyAny>,
        widths: &Bound<'_, PyAny>,
        lam: &Bound<'_, PyAny>,
        errors: &str,
    ) -> PyResult<Curve> {
        let w = vec1(widths, "widths")?;
        if w.is_empty() {
            return Err(crate::convert::to_py_err(
                py,
                &detridge::Error::Empty { what: "widths" },
            ));
        }
        let objs = w
            .iter()
            .map(|x| pyo3::types::PyFloat::new(py, *x).into_any())
            .collect::<Vec<_>>();
        let refs: Vec<&Bound<'_, PyAny>> = objs.iter().collect();
        rf_curve(py, &self.inner, p, &refs, lam, errors)
    }

    /// Column-anisotropic random features with per-feature variances (THEORY §4.5b);
    /// `N = len(variances)`.
    fn anisotropic_random_features(
        &self,
        py: Python<'_>,
        p: f64,
        variances: &Bound<'_, PyAny>,
        lam: f64,
    ) -> PyResult<PyRf> {
        let v = vec1(variances, "variances")?;
        Ok(run(py, || self.inner.anisotropic_random_features(p, &v, lam))?.into())
    }

    /// Random features with additive feature noise of variance `s` (THEORY §4.6), `lam > 0`.
    fn noisy_random_features(
        &self,
        py: Python<'_>,
        p: f64,
        n: f64,
        s: f64,
        lam: f64,
    ) -> PyResult<PyRfNoisy> {
        Ok(run(py, || self.inner.noisy_random_features(p, n, s, lam))?.into())
    }

    /// Test error of an ensemble of `k` independent random-feature models (THEORY §4.4).
    fn random_features_ensemble_error(
        &self,
        py: Python<'_>,
        p: f64,
        n: f64,
        lam: f64,
        k: f64,
    ) -> PyResult<f64> {
        run(py, || {
            self.inner.random_features(p, n, lam)?.ensemble_error(k)
        })
    }

    /// The reduced task of input-side structured weights `Ω` diagonal in `Σ`'s eigenbasis
    /// (one `ω` per stored spectrum entry; THEORY §4.5a).
    fn input_structured_diagonal(
        &self,
        py: Python<'_>,
        omega: &Bound<'_, PyAny>,
    ) -> PyResult<Self> {
        let o = vec1(omega, "omega")?;
        Ok(Self::wrap(run(py, || {
            self.inner.input_structured_diagonal(&o)
        })?))
    }

    /// The reduced task of input-side structured weights for a general `Ω` (D, D) given in
    /// `Σ`'s eigenbasis, with target weights `wbar` (D,) (THEORY §4.5a).
    fn input_structured(
        &self,
        py: Python<'_>,
        omega: &Bound<'_, PyAny>,
        wbar: &Bound<'_, PyAny>,
    ) -> PyResult<Self> {
        let o = mat2(omega, "omega")?;
        let w = vec1(wbar, "wbar")?;
        Ok(Self::wrap(run(py, || self.inner.input_structured(&o, &w))?))
    }
}

/// Registers this module's classes.
pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<PyRf>()?;
    m.add_class::<PyRfNoisy>()?;
    Ok(())
}
