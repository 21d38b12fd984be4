//! Linear ridge regression theory (THEORY §3).
//!
//! `ŵ = (XᵀX/P + λ)⁻¹Xᵀy/P` on `P` Gaussian samples of a [`Task`]. The renormalized ridge
//! solves `κ (1 − Df₁(κ)/P) = λ` (THEORY §2.1); with `γ = Df₂(κ)/P` the deterministic
//! equivalents are (THEORY §3.1–3.2)
//!
//! * `bias² = −κ² tf₁′(κ)`, `Var_X = bias² γ/(1−γ)`, `Var_Xε = σ² γ/(1−γ)`,
//! * `E_g = (bias² + γσ²)/(1−γ)` (excess risk, test-label noise **not** included),
//! * `E_tr = (λ/κ)² (E_g + σ²)`, so the train–test gap `(E_g + σ²)/E_tr = S²` with
//!   `S = κ/λ` the S-transform of the data factor,
//! * GCV `Ŝ² E_tr` concentrates on `E_g + σ²`.
//!
//! `1 − γ` is evaluated as `λ/κ + (Df₁−Df₂)/P` (two non-negative terms for `λ ≥ 0`, no
//! cancellation near the interpolation peak; THEORY §10).

use crate::error::{Error, Result, size};
use crate::solver::{self, KappaReport, SolverParams};
use crate::spectrum::{Task, Traces};
use crate::stransform::{STransform, Wishart};

/// Deterministic-equivalent predictions for linear ridge regression at one `(P, λ)`.
#[must_use]
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct RidgeTheory {
    /// Sample size `P`.
    pub p: f64,
    /// Explicit ridge `λ` (1/P convention).
    pub lambda: f64,
    /// Renormalized ridge `κ` (THEORY §2.1).
    pub kappa: f64,
    /// `Df₁(κ) = Tr Σ(Σ+κ)⁻¹` (unnormalised; the normalised `df₁` is `Df₁/D`).
    pub df1: f64,
    /// `Df₂(κ) = Tr Σ²(Σ+κ)⁻²` (unnormalised).
    pub df2: f64,
    /// `γ = Df₂/P`.
    pub gamma: f64,
    /// `dκ/dλ = 1/(1−γ)` (THEORY §2.1).
    pub dkappa_dlambda: f64,
    /// Generalisation error `E_g` (excess risk, without test-label noise; THEORY §3.1).
    pub test_error: f64,
    /// Training error `E_tr = |y − Xŵ|²/P` (THEORY §3.2).
    pub train_error: f64,
    /// `bias² = |E ŵ − w̄|²_Σ = −κ² tf₁′(κ)`.
    pub bias2: f64,
    /// Variance over the data draw, `Var_X = bias² γ/(1−γ)`.
    pub var_data: f64,
    /// Variance from the label noise, `Var_Xε = σ² γ/(1−γ)`.
    pub var_noise: f64,
    /// The S-transform `S = κ/λ = 1/(1 − Df₁/P)`: the train–test gap
    /// `(E_g + σ²)/E_tr = S²`. `∞` in the ridgeless interpolating regime.
    pub s_transform: f64,
    /// The value GCV (`Ŝ² E_tr`) concentrates on: `E_g + σ²`.
    pub gcv: f64,
    /// Solver diagnostics.
    pub solver: KappaReport,
}

impl RidgeTheory {
    /// `E_g + σ²`, the risk against noisy test labels.
    #[must_use]
    pub fn noisy_test_error(&self) -> f64 {
        self.gcv
    }
}

/// Linear ridge theory at sample size `p` from precomputed traces (THEORY §3.1–3.3).
pub(crate) fn from_traces(
    task: &Task,
    p: f64,
    lambda: f64,
    tr: &Traces,
    report: KappaReport,
) -> Result<RidgeTheory> {
    let kappa = tr.kappa;
    let sigma2 = task.noise_variance;
    let rank = task.spectrum.rank();
    let gamma = tr.df2 / p;
    // 1 − Df₁/P: λ/κ on the branch, 1 − rank/P at κ = 0 (ridgeless, P > rank).
    let one_minus_df1 = if kappa == 0.0 {
        1.0 - rank / p
    } else {
        lambda / kappa
    };
    let one_minus_gamma = if kappa == 0.0 {
        1.0 - rank / p
    } else {
        one_minus_df1 + tr.df1_minus_df2 / p
    };
    if one_minus_gamma.is_nan() || one_minus_gamma <= 0.0 {
        return Err(Error::Divergent {
            what: "test error",
            reason: "γ = Df2/P reached 1 (interpolation threshold P = rank Σ with λ = 0)",
        });
    }
    let amp = gamma / one_minus_gamma;
    // −κ² tf₁′ = κ (tf₁ − tf₂) (THEORY §1 identity), from the cancellation-free sum.
    let bias2 = kappa * tr.tf1_minus_tf2;
    let var_data = bias2 * amp;
    let var_noise = sigma2 * amp;
    let test_error = bias2 + var_data + var_noise;
    let train_error = one_minus_df1 * one_minus_df1 * (test_error + sigma2);
    let s_transform = if kappa == 0.0 {
        1.0 / one_minus_df1
    } else if lambda == 0.0 {
        f64::INFINITY
    } else {
        kappa / lambda
    };
    Ok(RidgeTheory {
        p,
        lambda,
        kappa,
        df1: tr.df1,
        df2: tr.df2,
        gamma,
        dkappa_dlambda: 1.0 / one_minus_gamma,
        test_error,
        train_error,
        bias2,
        var_data,
        var_noise,
        s_transform,
        gcv: test_error + sigma2,
        solver: report,
    })
}

/// Deterministic-equivalent error under an out-of-distribution test covariance.
#[must_use]
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct OodTheory {
    /// In-distribution theory at the same point.
    pub in_distribution: RidgeTheory,
    /// `γ′ = Tr[Σ′Σ(Σ+κ)⁻²]/P`.
    pub gamma_test: f64,
    /// `E_g′ = (ŵ−w̄)ᵀΣ′(ŵ−w̄)`, without test-label noise (THEORY §3.5).
    pub test_error: f64,
}

/// An optimally tuned ridge.
#[must_use]
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct OptimalRidge {
    /// The minimiser `λ*` of `E_g` (may be negative).
    pub lambda: f64,
    /// Theory at `λ*`.
    pub theory: RidgeTheory,
    /// Function evaluations (spectrum passes) used.
    pub evaluations: usize,
}

impl Task {
    fn data_factor(p: f64) -> Result<Wishart> {
        Wishart::new(size("p", p, false)?)
    }

    /// Linear ridge theory at sample size `p` and ridge `λ` (THEORY §3).
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] for `p ≤ 0`, [`Error::NonFinite`] for NaN/∞ inputs,
    /// [`Error::RidgeBelowMinimum`] for `λ` below the admissible minimum,
    /// [`Error::Divergent`] at the interpolation peak (`λ = 0`, `P = rank Σ`),
    /// [`Error::NoConvergence`] if the solver fails.
    ///
    /// # Examples
    /// Ridgeless, isotropic, `P > D`: `E_g = σ² D/(P − D)` (THEORY §3.3).
    /// ```
    /// use detridge::Task;
    /// let task = Task::isotropic(100.0, 1.0, 0.5)?;
    /// let t = task.ridge(400.0, 0.0)?;
    /// assert!((t.test_error - 0.5 * 100.0 / 300.0).abs() < 1e-12);
    /// assert!((t.train_error - 0.5 * (1.0 - 0.25)).abs() < 1e-12);
    /// # Ok::<(), detridge::Error>(())
    /// ```
    pub fn ridge(&self, p: f64, lambda: f64) -> Result<RidgeTheory> {
        self.ridge_with(p, lambda, None, &SolverParams::default())
    }

    /// [`Task::ridge`] with a warm-start guess for `κ` and explicit solver parameters.
    ///
    /// # Errors
    /// As [`Task::ridge`].
    pub fn ridge_with(
        &self,
        p: f64,
        lambda: f64,
        guess: Option<f64>,
        params: &SolverParams,
    ) -> Result<RidgeTheory> {
        let w = Self::data_factor(p)?;
        let factors: [&dyn STransform; 1] = [&w];
        let (report, tr) = solver::solve(self, &factors, lambda, guess, params)?;
        from_traces(self, p, lambda, &tr, report)
    }

    /// Smallest admissible ridge at sample size `p` (negative unless `P = rank Σ`).
    ///
    /// # Errors
    /// As [`solver::min_ridge`].
    pub fn min_ridge(&self, p: f64) -> Result<f64> {
        let w = Self::data_factor(p)?;
        solver::min_ridge(&self.spectrum, &[&w], &SolverParams::default())
    }

    /// Learning curve over sample sizes at fixed `λ`, warm-started point to point
    /// (log-log extrapolation of `κ` from the two previous points).
    ///
    /// # Errors
    /// The first error of any point.
    pub fn ridge_curve_p(&self, ps: &[f64], lambda: f64) -> Result<Vec<RidgeTheory>> {
        warm_curve(ps, |p, guess| {
            self.ridge_with(p, lambda, guess, &SolverParams::default())
        })
    }

    /// Curve over ridges at fixed `P`, warm-started.
    ///
    /// # Errors
    /// The first error of any point.
    pub fn ridge_curve_lambda(&self, p: f64, lambdas: &[f64]) -> Result<Vec<RidgeTheory>> {
        warm_curve(lambdas, |l, guess| {
            self.ridge_with(p, l, guess, &SolverParams::default())
        })
    }

    /// Out-of-distribution test error (THEORY §3.5) for a test covariance `Σ′` that
    /// shares `Σ`'s eigenvectors: `test_eigenvalues[i]` is `Σ′`'s eigenvalue on the `i`-th
    /// stored entry of the spectrum (zero eigenvalues of `Σ` excluded).
    ///
    /// `E_g′ = κ² w̄ᵀ(Σ+κ)⁻¹Σ′(Σ+κ)⁻¹w̄ + γ′/(1−γ) (bias² + σ²)`.
    ///
    /// # Errors
    /// As [`Task::ridge`], plus [`Error::LengthMismatch`], [`Error::NonFinite`],
    /// [`Error::InvalidParameter`] for a negative test eigenvalue, and
    /// [`Error::Unsupported`] for analytic spectra.
    pub fn ridge_ood(&self, p: f64, lambda: f64, test_eigenvalues: &[f64]) -> Result<OodTheory> {
        let (d, w2) = self.discrete_target().ok_or(Error::Unsupported(
            "out-of-distribution errors need a finite spectrum",
        ))?;
        if test_eigenvalues.len() != d.values.len() {
            return Err(Error::LengthMismatch {
                what: "test eigenvalues vs spectrum entries",
                expected: d.values.len(),
                got: test_eigenvalues.len(),
            });
        }
        for &v in test_eigenvalues {
            crate::error::non_negative("test eigenvalue", v)?;
        }
        let t = self.ridge(p, lambda)?;
        let k = t.kappa;
        let mut signal = 0.0;
        let mut gamma_test = 0.0;
        for (i, ((&s, &w), &st)) in d.values.iter().zip(&w2).zip(test_eigenvalues).enumerate() {
            let u = 1.0 / (s + k);
            signal += w * st * u * u;
            gamma_test += d.multiplicity(i) * st * s * u * u;
        }
        gamma_test /= p;
        let one_minus_gamma = 1.0 / t.dkappa_dlambda;
        let test_error =
            k * k * signal + gamma_test / one_minus_gamma * (t.bias2 + self.noise_variance);
        Ok(OodTheory {
            in_distribution: t,
            gamma_test,
            test_error,
        })
    }

    /// The ridge minimising the test error `E_g` at sample size `p` (THEORY §3.4), over
    /// the whole admissible range (negative ridges included).
    ///
    /// The search runs along the branch in `κ` (where `λ = κ(1 − Df₁/P)` is explicit, one
    /// pass per evaluation): a 64-point scan in `ln(κ − κ_c)` over twenty decades, then a
    /// golden-section refinement of the best bracket to relative precision 1e-10 in `κ`.
    /// For targets isotropic in the eigenbasis the result matches the closed form
    /// `λ* = σ² D/(P |w̄|²)`.
    ///
    /// # Errors
    /// As [`Task::ridge`]; [`Error::NoConvergence`] when the minimum lies at the upper end
    /// of the scan (the optimal ridge is infinite, e.g. a task without signal).
    pub fn optimal_ridge(&self, p: f64) -> Result<OptimalRidge> {
        let w = Self::data_factor(p)?;
        let params = SolverParams::default();
        let factors: [&dyn STransform; 1] = [&w];
        let lambda_min = solver::min_ridge(&self.spectrum, &factors, &params)?;
        // κ_c: the point where λ = λ_min; reuse the solver at λ_min.
        let kc =
            solver::renormalized_ridge(&self.spectrum, &factors, lambda_min, None, &params)?.kappa;
        let scale = self.spectrum.trace() / self.spectrum.rank().min(p).max(1.0);
        let scale = if scale.is_finite() && scale > 0.0 {
            scale
        } else {
            1.0
        };
        let mut evals = 0usize;
        let mut eval = |u: f64| -> f64 {
            evals += 1;
            let kappa = kc + u.exp();
            let tr = self.traces(kappa);
            let lambda = kappa * (1.0 - tr.df1 / p);
            let rep = KappaReport {
                kappa,
                iterations: 0,
                residual: 0.0,
            };
            from_traces(self, p, lambda, &tr, rep).map_or(f64::INFINITY, |t| t.test_error)
        };
        let (u_lo, u_hi) = ((scale * 1e-14).ln(), (scale * 1e6).ln());
        let n = 64;
        let grid: Vec<f64> = (0..n)
            .map(|i| u_lo + (u_hi - u_lo) * i as f64 / (n - 1) as f64)
            .collect();
        let vals: Vec<f64> = grid.iter().map(|&u| eval(u)).collect();
        let (imin, _) = vals
            .iter()
            .enumerate()
            .min_by(|a, b| a.1.total_cmp(b.1))
            .expect("non-empty grid");
        if imin == n - 1 {
            return Err(Error::NoConvergence {
                what: "optimal ridge (minimum at the largest ridge scanned: λ* = ∞?)",
                iterations: evals,
                residual: vals[imin],
                last: f64::INFINITY,
            });
        }
        let (mut a, mut b) = (grid[imin.saturating_sub(1)], grid[imin + 1]);
        let phi = 0.5 * (5.0_f64.sqrt() - 1.0);
        let mut c = b - phi * (b - a);
        let mut d = a + phi * (b - a);
        let (mut fc, mut fd) = (eval(c), eval(d));
        while b - a > 1e-10 {
            if fc <= fd {
                b = d;
                d = c;
                fd = fc;
                c = b - phi * (b - a);
                fc = eval(c);
            } else {
                a = c;
                c = d;
                fc = fd;
                d = a + phi * (b - a);
                fd = eval(d);
            }
        }
        let u = 0.5 * (a + b);
        let kappa = kc + u.exp();
        let tr = self.traces(kappa);
        let lambda = kappa * (1.0 - tr.df1 / p);
        let rep = KappaReport {
            kappa,
            iterations: evals + 1,
            residual: 0.0,
        };
        let theory = from_traces(self, p, lambda, &tr, rep)?;
        Ok(OptimalRidge {
            lambda,
            theory,
            evaluations: evals + 1,
        })
    }
}

/// Runs `f(x, guess)` along `xs`, guessing each `κ` by log-log extrapolation from the
/// two previous points (or the previous one).
pub(crate) fn warm_curve<T: HasKappa>(
    xs: &[f64],
    mut f: impl FnMut(f64, Option<f64>) -> Result<T>,
) -> Result<Vec<T>> {
    let mut out: Vec<T> = Vec::with_capacity(xs.len());
    for (i, &x) in xs.iter().enumerate() {
        // Lagrange extrapolation of ln κ in ln x through up to three previous points.
        let start = i.saturating_sub(3);
        let pts: Vec<(f64, f64)> = (start..i)
            .filter_map(|j| {
                let (xj, kj) = (xs[j], out[j].kappa());
                (xj > 0.0 && kj > 0.0).then(|| (xj.ln(), kj.ln()))
            })
            .collect();
        let guess = if i == 0 {
            None
        } else if x > 0.0 && pts.len() == i - start && distinct(&pts) {
            let lx = x.ln();
            let g = pts
                .iter()
                .enumerate()
                .map(|(a, &(xa, ya))| {
                    let basis: f64 = pts
                        .iter()
                        .enumerate()
                        .filter(|&(b, _)| b != a)
                        .map(|(_, &(xb, _))| (lx - xb) / (xa - xb))
                        .product();
                    ya * basis
                })
                .sum::<f64>()
                .exp();
            Some(if g.is_finite() && g > 0.0 {
                g
            } else {
                out[i - 1].kappa()
            })
        } else {
            Some(out[i - 1].kappa())
        };
        out.push(f(x, guess)?);
    }
    Ok(out)
}

/// Whether the abscissae are pairwise distinct (for Lagrange extrapolation).
fn distinct(pts: &[(f64, f64)]) -> bool {
    pts.iter()
        .enumerate()
        .all(|(a, &(xa, _))| pts.iter().skip(a + 1).all(|&(xb, _)| (xa - xb).abs() > 0.0))
}

/// Results that carry a renormalized ridge (for warm starts).
pub(crate) trait HasKappa {
    fn kappa(&self) -> f64;
}

impl HasKappa for RidgeTheory {
    fn kappa(&self) -> f64 {
        self.kappa
    }
}
