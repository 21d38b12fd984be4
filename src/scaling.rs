//! Source/capacity scaling laws (THEORY §7): the exponent table of THEORY §7.2 as
//! functions, the continuum constants of THEORY §7.1, and log-log slope fitting of the
//! curves the library computes.
//!
//! Tasks are power laws `s_k = k^{−α}`, `s_k w̄_k² ∝ k^{−(1+2αr)}` (capacity `α > 1`, source
//! `r > 0`; [`crate::Task::power_law`] with `d = None` gives them exactly at `D = ∞`).
//! Throughout `m = min(r, 1)`.
//!
//! ```
//! use detridge::scaling::{exponent, fit_log_log, Regime};
//! use detridge::Task;
//! // Noiseless ridgeless learning curve at D = ∞: E_g ~ P^{−2αr} for r < 1.
//! let task = Task::power_law(1.5, 0.7, None, 0.0)?;
//! let ps: Vec<f64> = (0..12).map(|i| 1e4 * 10f64.powf(i as f64 / 11.0 * 2.0)).collect();
//! let eg: Vec<f64> = ps.iter().map(|&p| task.ridge(p, 0.0).map(|t| t.test_error))
//!     .collect::<Result<_, _>>()?;
//! let fit = fit_log_log(&ps, &eg)?;
//! let predicted = exponent(Regime::ResolutionLimited, 1.5, 0.7)?;
//! assert!((fit.slope - predicted.value).abs() < 0.02);
//! # Ok::<(), detridge::Error>(())
//! ```

pub mod compute;

use crate::error::{Error, Result, finite};

/// The variable a scaling law is stated in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Variable {
    /// Number of samples `P`.
    Samples,
    /// Number of random features `N`.
    Features,
    /// Explicit ridge `λ`.
    Ridge,
}

/// The regimes of THEORY §7.2 (`D = ∞` unless stated).
#[derive(Debug, Clone, Copy, PartialEq)]
#[non_exhaustive]
pub enum Regime {
    /// Linear ridge, noiseless, ridgeless: `E_g ~ P^{−2αm}` ("resolution-limited").
    ResolutionLimited,
    /// Linear ridge, ridgeless, noisy: the noise term saturates at `σ²(α−1)` (exponent 0
    /// in `P`).
    NoisePlateau,
    /// Linear ridge at fixed `λ`, `P → ∞` ("ridge-limited"): `E_g → bias²(λ) ~ λ^{2m}`.
    RidgeLimited,
    /// Linear ridge at fixed `λ`, `P → ∞`: the noise variance `~ σ² λ^{−1/α}/P`
    /// (exponent in `P`).
    RidgeLimitedVariance,
    /// Linear ridge at the optimal ridge, noisy: `E_g ~ P^{−2αm/(1+2αm)}`.
    OptimalRidge,
    /// The optimal ridge itself: `λ* ~ P^{−α/(1+2αm)}`.
    OptimalRidgeLambda,
    /// Linear ridge with `λ = P^{−l}`, `l < α`: bias `~ P^{−2lm}`.
    RidgeScheduleBias {
        /// The ridge decay exponent `l`.
        l: f64,
    },
    /// Linear ridge with `λ = P^{−l}`, `l < α`: noise variance `~ σ² P^{l/α − 1}`.
    RidgeScheduleVariance {
        /// The ridge decay exponent `l`.
        l: f64,
    },
    /// Finite `D`, `P ≫ D` ("variance-limited"): `E_g − E_g(∞) ~ 1/P`.
    VarianceLimited,
    /// Isotropic random features, `P = ∞`, `λ = 0`: `E_g ~ N^{−α min(2r, 1)}`.
    RfWidthBottleneck,
    /// Isotropic random features, `N = ∞`, `λ = 0`: `E_g ~ P^{−2αm}`.
    RfDataBottleneck,
    /// Random features, `N ≫ P`: `Var_F ~ 1/N`.
    RfFeatureVarianceWidth,
    /// Random features, `N ≫ P`: `Var_F ~ P^{1−α}` (`r > 1/2`), `P^{1−2αr}` (`r < 1/2`).
    RfFeatureVarianceData,
    /// The upper end of the feature-variance-limited window: `Var_F` dominates the bias
    /// for `P < N < P^{1+α(2m−1)}` (`r > 1/2`); the exponent is `1 + α(2m−1)`.
    RfFeatureVarianceWindow,
    /// Random features with input-side weights `ω_k = k^{−β}` aligned with `Σ`, width
    /// bottleneck: `N^{−min(2αr, α+β)}`.
    RfStructuredWidth {
        /// The weight-spectrum exponent `β` (`α + β > 0`).
        beta: f64,
    },
    /// As [`Regime::RfStructuredWidth`], data bottleneck: `P^{−2 min(αr, α+β)}`.
    RfStructuredData {
        /// The weight-spectrum exponent `β` (`α + β > 0`).
        beta: f64,
    },
}

/// A predicted scaling exponent: `quantity ~ variable^value`.
#[derive(Debug, Clone, Copy, PartialEq)]
#[non_exhaustive]
pub struct Exponent {
    /// The exponent.
    pub value: f64,
    /// The variable it refers to.
    pub variable: Variable,
    /// What scales (e.g. `"E_g"`, `"Var_F"`, `"lambda*"`).
    pub quantity: &'static str,
    /// A short name of the regime.
    pub name: &'static str,
}

fn check_alpha_r(alpha: f64, r: f64) -> Result<()> {
    finite("alpha", alpha)?;
    finite("r", r)?;
    if alpha <= 1.0 {
        return Err(Error::InvalidParameter {
            name: "alpha",
            value: alpha,
            reason: "the capacity exponent must be > 1",
        });
    }
    if r <= 0.0 {
        return Err(Error::InvalidParameter {
            name: "r",
            value: r,
            reason: "the source exponent must be > 0",
        });
    }
    Ok(())
}

/// The predicted exponent of a regime of THEORY §7.2 for capacity `α` and source `r`.
///
/// # Errors
/// [`Error::NonFinite`] or [`Error::InvalidParameter`] unless `α > 1`, `r > 0`; for the
/// ridge schedules `0 < l < α`; for structured weights `α + β > 0` (at `D = ∞` the
/// effective spectrum also needs `α + β > 1`); for the
/// feature-variance window `r > 1/2`.
///
/// # Examples
/// ```
/// use detridge::scaling::{exponent, Regime, Variable};
/// let e = exponent(Regime::OptimalRidge, 1.5, 0.7)?;
/// assert!((e.value + 2.1 / 3.1).abs() < 1e-15);
/// assert_eq!(e.variable, Variable::Samples);
/// # Ok::<(), detridge::Error>(())
/// ```
pub fn exponent(regime: Regime, alpha: f64, r: f64) -> Result<Exponent> {
    check_alpha_r(alpha, r)?;
    let m = r.min(1.0);
    let mk = |value: f64, variable, quantity, name| Exponent {
        value,
        variable,
        quantity,
        name,
    };
    let check_l = |l: f64| -> Result<()> {
        finite("l", l)?;
        if !(l > 0.0 && l < alpha) {
            return Err(Error::InvalidParameter {
                name: "l",
                value: l,
                reason: "the ridge schedule λ = P^-l needs 0 < l < α",
            });
        }
        Ok(())
    };
    let check_beta = |beta: f64| -> Result<()> {
        finite("beta", beta)?;
        if alpha + beta <= 0.0 {
            return Err(Error::InvalidParameter {
                name: "beta",
                value: beta,
                reason: "structured weights need α + β > 0",
            });
        }
        Ok(())
    };
    use Variable::{Features, Ridge, Samples};
    Ok(match regime {
        Regime::ResolutionLimited => mk(-2.0 * alpha * m, Samples, "E_g", "resolution-limited"),
        Regime::NoisePlateau => mk(0.0, Samples, "Var_Xeps", "noise plateau"),
        Regime::RidgeLimited => mk(2.0 * m, Ridge, "bias^2", "ridge-limited"),
        Regime::RidgeLimitedVariance => mk(-1.0, Samples, "Var_Xeps", "ridge-limited variance"),
        Regime::OptimalRidge => {
            let e = 2.0 * alpha * m;
            mk(-e / (1.0 + e), Samples, "E_g", "optimal ridge")
        }
        Regime::OptimalRidgeLambda => mk(
            -alpha / (1.0 + 2.0 * alpha * m),
            Samples,
            "lambda*",
            "optimal ridge",
        ),
        Regime::RidgeScheduleBias { l } => {
            check_l(l)?;
            mk(-2.0 * l * m, Samples, "bias^2", "ridge schedule")
        }
        Regime::RidgeScheduleVariance { l } => {
            check_l(l)?;
            mk(l / alpha - 1.0, Samples, "Var_Xeps", "ridge schedule")
        }
        Regime::VarianceLimited => mk(-1.0, Samples, "E_g - E_g(inf)", "variance-limited"),
        Regime::RfWidthBottleneck => mk(
            -alpha * (2.0 * r).min(1.0),
            Features,
            "E_g",
            "RF width bottleneck",
        ),
        Regime::RfDataBottleneck => mk(-2.0 * alpha * m, Samples, "E_g", "RF data bottleneck"),
        Regime::RfFeatureVarianceWidth => mk(-1.0, Features, "Var_F", "RF feature variance"),
        Regime::RfFeatureVarianceData => {
            let v = if r > 0.5 {
                1.0 - alpha
            } else {
                1.0 - 2.0 * alpha * r
            };
            mk(v, Samples, "Var_F", "RF feature variance")
        }
        Regime::RfFeatureVarianceWindow => {
            if r <= 0.5 {
                return Err(Error::InvalidParameter {
                    name: "r",
                    value: r,
                    reason: "the feature-variance-limited window needs r > 1/2",
                });
            }
            mk(
                1.0 + alpha * (2.0 * m - 1.0),
                Samples,
                "N_max",
                "RF feature-variance-limited window",
            )
        }
        Regime::RfStructuredWidth { beta } => {
            check_beta(beta)?;
            mk(
                -(2.0 * alpha * r).min(alpha + beta),
                Features,
                "E_g",
                "RF structured weights, width bottleneck",
            )
        }
        Regime::RfStructuredData { beta } => {
            check_beta(beta)?;
            mk(
                -2.0 * (alpha * r).min(alpha + beta),
                Samples,
                "E_g",
                "RF structured weights, data bottleneck",
            )
        }
    })
}

/// Effective exponents of random features with input-side weights `ω_k = k^{−β}` aligned
/// with `Σ` (THEORY §7.2): `(α_t, r_t) = (α + β, αr/(α+β))`.
///
/// # Errors
/// As [`exponent`] for `α`, `r`; [`Error::InvalidParameter`] for `α + β ≤ 1`.
///
/// # Examples
/// ```
/// let (a, r) = detridge::scaling::structured_effective_exponents(1.5, 0.7, 0.5)?;
/// assert!((a - 2.0).abs() < 1e-15 && (r - 0.525).abs() < 1e-15);
/// # Ok::<(), detridge::Error>(())
/// ```
pub fn structured_effective_exponents(alpha: f64, r: f64, beta: f64) -> Result<(f64, f64)> {
    exponent(Regime::RfStructuredWidth { beta }, alpha, r)?;
    Ok((alpha + beta, alpha * r / (alpha + beta)))
}

/// The ridgeless continuum constant `c_α = ((π/α)/sin(π/α))^α` of `κ₀ ≈ c_α P^{−α}`
/// (THEORY §7.1).
///
/// # Errors
/// [`Error::InvalidParameter`] unless `α > 1` is finite.
///
/// # Examples
/// ```
/// let c = detridge::scaling::c_alpha(2.0)?;
/// assert!((c - std::f64::consts::PI.powi(2) / 4.0).abs() < 1e-14);
/// # Ok::<(), detridge::Error>(())
/// ```
pub fn c_alpha(alpha: f64) -> Result<f64> {
    check_alpha_r(alpha, 1.0)?;
    let x = std::f64::consts::PI / alpha;
    Ok((x / x.sin()).powf(alpha))
}

/// The ridgeless large-`P` limit `γ → 1 − 1/α` (THEORY §7.1), so `1/(1−γ) → α`.
///
/// # Errors
/// [`Error::InvalidParameter`] unless `α > 1` is finite.
pub fn gamma_limit(alpha: f64) -> Result<f64> {
    check_alpha_r(alpha, 1.0)?;
    Ok(1.0 - 1.0 / alpha)
}

/// The ridgeless noise plateau `Var_Xε → σ²(α − 1)` (THEORY §7.2).
///
/// # Errors
/// [`Error::InvalidParameter`] unless `α > 1` and `σ² ≥ 0` are finite.
///
/// # Examples
/// ```
/// let v = detridge::scaling::noise_plateau(1.5, 0.2)?;
/// assert!((v - 0.1).abs() < 1e-15);
/// # Ok::<(), detridge::Error>(())
/// ```
pub fn noise_plateau(alpha: f64, noise_variance: f64) -> Result<f64> {
    check_alpha_r(alpha, 1.0)?;
    crate::error::non_negative("noise_variance", noise_variance)?;
    Ok(noise_variance * (alpha - 1.0))
}

/// A least-squares fit `ln y = intercept + slope · ln x`.
#[must_use]
#[derive(Debug, Clone, Copy, PartialEq)]
#[non_exhaustive]
pub struct LogLogFit {
    /// The fitted exponent.
    pub slope: f64,
    /// The fitted `ln` prefactor.
    pub intercept: f64,
    /// The largest absolute residual in `ln y` (how straight the curve is).
    pub max_residual: f64,
    /// Points used.
    pub points: usize,
}

/// Least-squares slope of `ln y` against `ln x` over all points.
///
/// # Errors
/// [`Error::LengthMismatch`]; [`Error::Empty`] for fewer than two points;
/// [`Error::InvalidParameter`] for a non-positive (or non-finite) `x` or `y`, or all `x`
/// equal.
///
/// # Examples
/// ```
/// let x = [1.0, 10.0, 100.0];
/// let y = [3.0, 0.3, 0.03];
/// let f = detridge::scaling::fit_log_log(&x, &y)?;
/// assert!((f.slope + 1.0).abs() < 1e-12 && (f.intercept - 3f64.ln()).abs() < 1e-12);
/// # Ok::<(), detridge::Error>(())
/// ```
pub fn fit_log_log(x: &[f64], y: &[f64]) -> Result<LogLogFit> {
    fit_log_log_window(x, y, 0.0, f64::INFINITY)
}

/// Least-squares slope of `ln y` against `ln x` over the points with `lo ≤ x ≤ hi`.
///
/// # Errors
/// As [`fit_log_log`]; [`Error::Empty`] when fewer than two points fall in the window.
///
/// # Examples
/// ```
/// let x: Vec<f64> = (1..=100).map(|i| i as f64).collect();
/// let y: Vec<f64> = x.iter().map(|&v| if v < 10.0 { 1.0 } else { v.powi(-2) }).collect();
/// let f = detridge::scaling::fit_log_log_window(&x, &y, 10.0, 100.0)?;
/// assert!((f.slope + 2.0).abs() < 1e-12);
/// # Ok::<(), detridge::Error>(())
/// ```
pub fn fit_log_log_window(x: &[f64], y: &[f64], lo: f64, hi: f64) -> Result<LogLogFit> {
    if x.len() != y.len() {
        return Err(Error::LengthMismatch {
            what: "fit: y vs x",
            expected: x.len(),
            got: y.len(),
        });
    }
    let mut pts = Vec::with_capacity(x.len());
    for (&xi, &yi) in x.iter().zip(y) {
        if xi.is_nan() {
            return Err(Error::NonFinite {
                what: "x",
                value: xi,
            });
        }
        // Points outside the window are not used, whatever their values (issue #10).
        if !(xi >= lo && xi <= hi) {
            continue;
        }
        for (name, v) in [("x", xi), ("y", yi)] {
            if !(v.is_finite() && v > 0.0) {
                return Err(Error::InvalidParameter {
                    name,
                    value: v,
                    reason: "log-log fits need finite positive values",
                });
            }
        }
        pts.push((xi.ln(), yi.ln()));
    }
    if pts.len() < 2 {
        return Err(Error::Empty {
            what: "points in the fit window (need >= 2)",
        });
    }
    let n = pts.len() as f64;
    let mx = pts.iter().map(|p| p.0).sum::<f64>() / n;
    let my = pts.iter().map(|p| p.1).sum::<f64>() / n;
    let sxx: f64 = pts.iter().map(|p| (p.0 - mx).powi(2)).sum();
    let sxy: f64 = pts.iter().map(|p| (p.0 - mx) * (p.1 - my)).sum();
    if sxx <= 0.0 {
        return Err(Error::InvalidParameter {
            name: "x",
            value: x[0],
            reason: "all x in the window are equal",
        });
    }
    let slope = sxy / sxx;
    let intercept = my - slope * mx;
    let max_residual = pts
        .iter()
        .map(|p| (p.1 - intercept - slope * p.0).abs())
        .fold(0.0, f64::max);
    Ok(LogLogFit {
        slope,
        intercept,
        max_residual,
        points: pts.len(),
    })
}

/// `n` logarithmically spaced points from `lo` to `hi` inclusive (a convenience for
/// learning curves).
///
/// # Errors
/// [`Error::InvalidParameter`] unless `0 < lo < hi` are finite and `n ≥ 2`.
///
/// # Examples
/// ```
/// let g = detridge::scaling::log_space(1.0, 100.0, 3)?;
/// assert!((g[1] - 10.0).abs() < 1e-12);
/// # Ok::<(), detridge::Error>(())
/// ```
pub fn log_space(lo: f64, hi: f64, n: usize) -> Result<Vec<f64>> {
    if !(lo.is_finite() && hi.is_finite() && lo > 0.0 && hi > lo) {
        return Err(Error::InvalidParameter {
            name: "lo",
            value: lo,
            reason: "need finite 0 < lo < hi",
        });
    }
    if n > LOG_SPACE_MAX {
        return Err(Error::InvalidParameter {
            name: "n",
            value: n as f64,
            reason: "more than 2^32 points: too many to allocate",
        });
    }
    if n < 2 {
        return Err(Error::InvalidParameter {
            name: "n",
            value: n as f64,
            reason: "need at least two points",
        });
    }
    let (a, b) = (lo.ln(), hi.ln());
    // The end points exactly (exp(ln hi) may round above f64::MAX to ∞).
    Ok((0..n)
        .map(|i| match i {
            0 => lo,
            i if i == n - 1 => hi,
            _ => (a + (b - a) * i as f64 / (n - 1) as f64).exp().min(hi),
        })
        .collect())
}

/// The most points [`log_space`] returns (2³²: 32 GiB of `f64`).
const LOG_SPACE_MAX: usize = 1 << 32;
