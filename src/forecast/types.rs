//! The forecast's parameters and result types (THEORY §16).

use crate::estimate::Criterion;

/// Which population model a forecast fits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub enum ModelFamily {
    /// `s_k = c k^{−α}`, `k = 1..D` (THEORY §7.1).
    PowerLaw,
    /// `s_k = c (k^{−α} + φ)`: a power law on an isotropic noise floor.
    PowerLawFloor,
    /// Non-negative weights on a log grid of eigenvalues (spectral deconvolution).
    Nonparametric,
}

/// How a forecast fits the target (source exponent `r`, signal `A`) and the label noise
/// `σ²` once the spectrum is fixed (THEORY §16).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub enum TargetFit {
    /// Maximum (Whittle) likelihood of the label projections `z_i = u_iᵀy` on the
    /// eigenvectors of the Gram matrix, each with its predicted mean square
    /// `E z_i² = A a_i(r) + σ²` (THEORY §16.3). Uses every direction with its own
    /// weight; the default.
    Projections,
    /// Least squares of the relative residuals of the data's GCV (or LOOCV) curve against
    /// `(A·bias²_r(κ) + σ²)/(1 − γ)` (THEORY §3.1–§3.2). Faster; less precise on noisy
    /// tasks.
    RiskCurve,
}

#[doc(hidden)]
pub use crate::numeric::NonExhaustive;

/// Parameters of [`Forecast::fit_with`](super::Forecast::fit_with).
///
/// | Name | Default | Purpose | Range |
/// |---|---|---|---|
/// | `resamples` | 64 | number of subsamples refitted for the bands | `≥ 4` |
/// | `subsample_fraction` | 0.5 | subsample size `m = round(f P₀)` | `(0, 1)`, `3 ≤ m < P₀` |
/// | `seed` | 0 | seed of the subsampling | any |
/// | `level` | 0.9 | coverage of the bands | `(0, 1)` |
/// | `criterion` | `Gcv` | data risk curve matched to the theory | `Gcv`, `Loocv` |
/// | `target` | `Projections` | estimator of `r`, signal and noise | `Projections`, `RiskCurve` |
/// | `families` | all three, parametric first | candidate models, in order of preference | non-empty |
/// | `gof_tolerance` | 0.02 | largest RMS relative `df̂` residual that accepts a family | `> 0` |
/// | `min_success` | 0.8 | fraction of resample fits that must succeed | `(0, 1]` |
///
/// ```
/// use detridge::forecast::{ForecastParams, ModelFamily};
/// let p = ForecastParams { families: vec![ModelFamily::PowerLaw], ..Default::default() };
/// assert_eq!(p.resamples, 64);
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct ForecastParams {
    /// Number of subsamples refitted for the bands.
    pub resamples: usize,
    /// Subsample size as a fraction of `P₀`.
    pub subsample_fraction: f64,
    /// Seed of the subsampling.
    pub seed: u64,
    /// Coverage of the bands.
    pub level: f64,
    /// Data risk estimator matched to the theory (by [`TargetFit::RiskCurve`]; reported
    /// as the risk residual by both).
    pub criterion: Criterion,
    /// Estimator of the target and the noise.
    pub target: TargetFit,
    /// Candidate model families in order of preference.
    pub families: Vec<ModelFamily>,
    /// Largest RMS relative `df̂` residual at which a family is accepted.
    pub gof_tolerance: f64,
    /// Fraction of resample fits that must succeed.
    pub min_success: f64,
    #[doc(hidden)]
    pub non_exhaustive: NonExhaustive,
}

impl Default for ForecastParams {
    fn default() -> Self {
        Self {
            resamples: 64,
            subsample_fraction: 0.5,
            seed: 0,
            level: 0.9,
            criterion: Criterion::Gcv,
            target: TargetFit::Projections,
            families: vec![
                ModelFamily::PowerLaw,
                ModelFamily::PowerLawFloor,
                ModelFamily::Nonparametric,
            ],
            gof_tolerance: 0.02,
            min_success: 0.8,
            non_exhaustive: NonExhaustive(()),
        }
    }
}

/// A forecast value with its band (THEORY §16).
#[must_use]
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct Band {
    /// The point forecast (from the fit to all `P₀` rows).
    pub value: f64,
    /// Lower end of the band.
    pub lower: f64,
    /// Upper end of the band.
    pub upper: f64,
    /// Nominal coverage of the band (e.g. 0.9).
    pub level: f64,
}

impl Band {
    /// Whether `x` lies in `[lower, upper]`.
    #[must_use]
    pub fn contains(&self, x: f64) -> bool {
        self.lower <= x && x <= self.upper
    }
}

/// The forecast of the tuned ridge at one sample size.
#[must_use]
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct OptimalForecast {
    /// Sample size `P`.
    pub p: f64,
    /// The ridge minimising `E_g` (THEORY §3.4).
    pub lambda: Band,
    /// `E_g` at that ridge.
    pub test_error: Band,
}

/// The fitted population parameters with bands.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct FittedParameters {
    /// The family used.
    pub family: ModelFamily,
    /// Capacity exponent `α` (power-law families).
    pub alpha: Option<Band>,
    /// Scale `c` of the spectrum (`s₁ = c` for a pure power law; 1 for the
    /// non-parametric family, whose atoms carry the scale).
    pub scale: Band,
    /// Floor `cφ` (floor family).
    pub floor: Option<Band>,
    /// Source exponent `r`.
    pub r: Band,
    /// Signal variance `w̄ᵀΣw̄`.
    pub signal: Band,
    /// Label-noise variance `σ²`.
    pub noise_variance: Band,
}

/// The goodness of fit of one candidate family on all `P₀` rows.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct CandidateFit {
    /// The family.
    pub family: ModelFamily,
    /// RMS relative residual of the predicted `df̂(λ)` (`None` if the fit failed).
    pub df_rms: Option<f64>,
    /// RMS relative residual of the predicted risk curve (`None` if the fit failed).
    pub risk_rms: Option<f64>,
    /// Why the fit failed, if it did.
    pub failure: Option<String>,
}

/// Which model was used and why.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct GoodnessOfFit {
    /// The family used.
    pub family: ModelFamily,
    /// A sentence saying why.
    pub reason: String,
    /// Every candidate tried, in order.
    pub candidates: Vec<CandidateFit>,
}

/// Diagnostics of a fit.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct ForecastReport {
    /// Rows `P₀` of the data.
    pub p0: usize,
    /// Columns `D` of the data.
    pub d: usize,
    /// Rows per subsample.
    pub subsample_size: usize,
    /// Resample fits that succeeded (they make the bands).
    pub resamples_used: usize,
    /// Resample fits that failed (dropped).
    pub resamples_failed: usize,
    /// Model selection.
    pub goodness_of_fit: GoodnessOfFit,
    /// The fitted parameters with bands.
    pub parameters: FittedParameters,
}
