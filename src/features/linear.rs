//! Linear random features with any free factors: isotropic, deep chains, column-anisotropic
//! weights (THEORY §4.2–4.5b, §5).

use super::{RfTheory, from_traces};
use crate::error::{Error, Result, size};
use crate::numeric::SolverParams;
use crate::solver::sweep::{Setup, sweep};
use crate::solver::{self, Curve};
use crate::spectrum::Task;
use crate::stransform::{GeneralizedWishart, STransform, Wishart};

impl Task {
    /// Random-feature theory for any list of feature factors (THEORY §4.2–4.5): the
    /// features' free factors multiply, `κ₂ = λ S_X Π S_F`.
    ///
    /// `p` may be `∞` (no data factor: the width-limited model).
    ///
    /// # Errors
    /// As [`Task::random_features`]; [`Error::Empty`] for no feature factors.
    ///
    /// # Examples
    /// A chain given as factors equals [`Task::deep_random_features`].
    /// ```
    /// use detridge::{Task, stransform::{STransform, Wishart}, solver::SolverParams};
    /// let task = Task::isotropic(100.0, 1.0, 0.1)?;
    /// let (a, b) = (Wishart::new(80.0)?, Wishart::new(150.0)?);
    /// let t = task.random_features_factors(200.0, &[&a, &b], 1e-2, None, &SolverParams::default())?;
    /// let d = task.deep_random_features(200.0, &[80.0, 150.0], 1e-2)?;
    /// assert!((t.test_error - d.test_error).abs() < 1e-14);
    /// # Ok::<(), detridge::Error>(())
    /// ```
    pub fn random_features_factors(
        &self,
        p: f64,
        feature_factors: &[&dyn STransform],
        lambda: f64,
        guess: Option<f64>,
        params: &SolverParams,
    ) -> Result<RfTheory> {
        if feature_factors.is_empty() {
            return Err(Error::Empty {
                what: "feature factors",
            });
        }
        let p = size("p", p, true)?;
        if lambda != 0.0 && lambda.is_finite() && !lambda.is_normal() {
            // κ₁ = λ S_X and the bottleneck factor λ/(κ₂ Π …) need λ's relative precision.
            return Err(Error::InvalidParameter {
                name: "lambda",
                value: lambda,
                reason: "subnormal (|λ| < 2.2e-308) carries no relative precision: use 0 or a normal number",
            });
        }
        let data = Wishart::new(p)?;
        let mut factors: Vec<&dyn STransform> = Vec::with_capacity(feature_factors.len() + 1);
        factors.push(&data);
        factors.extend_from_slice(feature_factors);
        let (report, tr) = solver::solve(self, &factors, lambda, guess, params)?;
        from_traces(self, p, lambda, feature_factors, &tr, report)
    }

    /// Linear random features with `F` entries `N(0, 1/N)` (THEORY §4.2–4.4): `p` samples,
    /// `n` features, ridge `λ`. `n = ∞` is linear ridge ([`Task::ridge`]); `p = ∞` is the
    /// width-limited model.
    ///
    /// Ridgeless (`λ = 0`): `Df₁(κ₂) = min(P, N)`, `κ₁ = 0` if `N < P` and
    /// `κ₁ = κ₂(1 − Df₁/N)` otherwise (THEORY §4.2). Negative `λ` down to the solver's
    /// minimum is the analytic continuation of the same formulas (continuous through
    /// `λ = 0`; not checked against simulation).
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] for `p ≤ 0` or `n ≤ 0`, [`Error::NonFinite`] for NaN
    /// inputs or infinite `λ`, [`Error::RidgeBelowMinimum`] for `λ` below the admissible
    /// minimum, [`Error::Divergent`] at the interpolation peak (`N = P < rank Σ`, or
    /// `P = rank Σ`, with `λ = 0`), [`Error::NoConvergence`] if the solver fails.
    ///
    /// # Examples
    /// ```
    /// use detridge::Task;
    /// let task = Task::power_law(1.5, 0.6, Some(300), 0.09)?;
    /// let t = task.random_features(200.0, 400.0, 1e-3)?;
    /// let sum = t.bias2 + t.var_data + t.var_features + t.var_data_features + t.var_noise;
    /// assert!((sum - t.test_error).abs() < 1e-12 * t.test_error);
    /// // The train–test gap is the data S-transform squared (THEORY §4.3).
    /// let gap = (t.test_error + 0.09) / t.train_error;
    /// assert!((gap - t.s_transform_data.powi(2)).abs() < 1e-9 * gap);
    /// # Ok::<(), detridge::Error>(())
    /// ```
    pub fn random_features(&self, p: f64, n: f64, lambda: f64) -> Result<RfTheory> {
        let f = Wishart::new(n)?;
        self.random_features_factors(p, &[&f], lambda, None, &SolverParams::default())
    }

    /// Deep linear random-feature chain `F = F₁⋯F_L`, `F_l` entries `N(0, 1/N_l)`
    /// (THEORY §5): `κ₂(1 − Df₁/P) Π_l (1 − Df₁/N_l) = λ`,
    /// `ρ = 1/(1 + Σ_l (Df₁−Df₂)/(N_l−Df₁))`.
    ///
    /// # Errors
    /// As [`Task::random_features`]; [`Error::Empty`] for no layers.
    ///
    /// # Examples
    /// One layer is the isotropic model.
    /// ```
    /// use detridge::Task;
    /// let task = Task::power_law(1.5, 0.6, Some(300), 0.09)?;
    /// let a = task.deep_random_features(200.0, &[400.0], 1e-3)?;
    /// let b = task.random_features(200.0, 400.0, 1e-3)?;
    /// assert!((a.test_error - b.test_error).abs() < 1e-14);
    /// # Ok::<(), detridge::Error>(())
    /// ```
    pub fn deep_random_features(&self, p: f64, widths: &[f64], lambda: f64) -> Result<RfTheory> {
        if widths.is_empty() {
            return Err(Error::Empty {
                what: "layer widths",
            });
        }
        let layers: Vec<Wishart> = widths
            .iter()
            .map(|&n| Wishart::new(n))
            .collect::<Result<_>>()?;
        let factors: Vec<&dyn STransform> = layers.iter().map(|w| w as &dyn STransform).collect();
        self.random_features_factors(p, &factors, lambda, None, &SolverParams::default())
    }

    /// Column-anisotropic random features `F = G Λ^{1/2}/√N` with per-feature variances
    /// `Λ_n` (THEORY §4.5b), through the generalised-Wishart S-transform
    /// ([`GeneralizedWishart`]).
    ///
    /// # Errors
    /// As [`Task::random_features`] and [`GeneralizedWishart::new`].
    ///
    /// # Examples
    /// ```
    /// use detridge::Task;
    /// let task = Task::power_law(1.5, 0.6, Some(300), 0.09)?;
    /// let a = task.anisotropic_random_features(200.0, &[1.0; 400], 1e-3)?;
    /// let b = task.random_features(200.0, 400.0, 1e-3)?;
    /// assert!((a.test_error - b.test_error).abs() < 1e-10 * b.test_error);
    /// # Ok::<(), detridge::Error>(())
    /// ```
    pub fn anisotropic_random_features(
        &self,
        p: f64,
        variances: &[f64],
        lambda: f64,
    ) -> Result<RfTheory> {
        let g = GeneralizedWishart::new(variances)?;
        self.random_features_factors(p, &[&g], lambda, None, &SolverParams::default())
    }

    /// Deprecated name of [`Task::random_features_factors`] (`_with` is kept for "with
    /// solver parameters" only).
    ///
    /// # Errors
    /// As [`Task::random_features_factors`].
    #[deprecated(since = "0.2.0", note = "renamed to `random_features_factors`")]
    pub fn random_features_with(
        &self,
        p: f64,
        feature_factors: &[&dyn STransform],
        lambda: f64,
        guess: Option<f64>,
        params: &SolverParams,
    ) -> Result<RfTheory> {
        self.random_features_factors(p, feature_factors, lambda, guess, params)
    }

    /// Deprecated name of [`Task::anisotropic_random_features`].
    ///
    /// # Errors
    /// As [`Task::anisotropic_random_features`].
    #[deprecated(since = "0.2.0", note = "renamed to `anisotropic_random_features`")]
    pub fn random_features_anisotropic(
        &self,
        p: f64,
        variances: &[f64],
        lambda: f64,
    ) -> Result<RfTheory> {
        self.anisotropic_random_features(p, variances, lambda)
    }

    /// Isotropic random features over sample sizes at fixed `N` and `λ`, warm-started, one
    /// result per point ([`Curve`]; a divergent point such as `P = N` at `λ = 0` does not
    /// discard the rest).
    ///
    /// # Examples
    /// ```
    /// use detridge::Task;
    /// let task = Task::power_law(1.5, 0.6, Some(300), 0.09)?;
    /// let c = task.random_features_curve_p(&[100.0, 200.0, 400.0], 200.0, 0.0);
    /// assert!(c.points[1].is_err()); // P = N < D at λ = 0: the interpolation peak
    /// assert_eq!(c.successes().count(), 2);
    /// # Ok::<(), detridge::Error>(())
    /// ```
    pub fn random_features_curve_p(&self, ps: &[f64], n: f64, lambda: f64) -> Curve<RfTheory> {
        self.rf_sweep(ps, |p| (p, n, lambda))
    }

    /// Isotropic random features over widths `N` at fixed `P` and `λ`, warm-started, one
    /// result per point ([`Curve`]).
    ///
    /// # Examples
    /// ```
    /// use detridge::Task;
    /// let task = Task::power_law(1.5, 0.6, Some(300), 0.09)?;
    /// let c = task.random_features_curve_n(200.0, &[400.0, 800.0, 1600.0], 1e-2).into_result()?;
    /// assert!(c[2].var_features < c[1].var_features && c[1].var_features < c[0].var_features);
    /// # Ok::<(), detridge::Error>(())
    /// ```
    pub fn random_features_curve_n(&self, p: f64, ns: &[f64], lambda: f64) -> Curve<RfTheory> {
        self.rf_sweep(ns, |n| (p, n, lambda))
    }

    /// Isotropic random features over ridges at fixed `P` and `N`, warm-started, one result
    /// per point ([`Curve`]).
    ///
    /// # Examples
    /// ```
    /// use detridge::Task;
    /// let task = Task::power_law(1.5, 0.6, Some(300), 0.09)?;
    /// let c = task.random_features_curve_lambda(200.0, 400.0, &[1e-3, 1e-2]).into_result()?;
    /// let d = task.random_features(200.0, 400.0, 1e-2)?;
    /// assert!((c[1].test_error - d.test_error).abs() < 1e-12 * d.test_error);
    /// # Ok::<(), detridge::Error>(())
    /// ```
    pub fn random_features_curve_lambda(&self, p: f64, n: f64, lambdas: &[f64]) -> Curve<RfTheory> {
        self.rf_sweep(lambdas, |lambda| (p, n, lambda))
    }

    /// Isotropic random features along a curve whose abscissa `x` gives `(P, N, λ)`: about
    /// one spectrum pass per point (`solver::sweep`), each point equal to
    /// [`Task::random_features`] at the same `(P, N, λ)` to the solver tolerance.
    fn rf_sweep(&self, xs: &[f64], at: impl Fn(f64) -> (f64, f64, f64)) -> Curve<RfTheory> {
        let setup = |x: f64| -> Result<Setup> {
            let (p, n, lambda) = at(x);
            let f: Box<dyn STransform> = Box::new(Wishart::new(n)?);
            let data: Box<dyn STransform> = Box::new(Wishart::new(size("p", p, true)?)?);
            Ok((vec![data, f], lambda))
        };
        let points = sweep(self, xs, setup, &SolverParams::default())
            .into_iter()
            .zip(xs)
            .map(|(r, &x)| {
                r.and_then(|(report, tr)| {
                    let (p, n, lambda) = at(x);
                    let f = Wishart::new(n)?;
                    from_traces(self, size("p", p, true)?, lambda, &[&f], &tr, report)
                })
            })
            .collect();
        Curve {
            xs: xs.to_vec(),
            points,
        }
    }
}
