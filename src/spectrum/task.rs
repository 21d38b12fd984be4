//! Regression tasks: a spectrum, the target weights in its eigenbasis, and the label
//! noise (THEORY §1).

use std::sync::Arc;

use nalgebra::{DMatrix, DVector};

use super::{
    CompressionReport, Discrete, POWER_LAW_EXPLICIT_MAX, PowerLaw, Repr, Spectrum, Traces,
    compressed, power_law_entries, w2_for_entries,
};
use crate::error::{Error, Result, finite, non_negative};
use crate::numeric::symmetric_eigen;

/// A task's spectrum and target in one of two forms, so that they cannot mismatch and
/// every match on a task is total.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Model {
    /// A discrete spectrum with the total squared target weight of each stored entry
    /// (`Σ` over its multiplicity of `w̄_k²`), plus the weight on the null space of `Σ`
    /// (which no error sees).
    Discrete {
        d: Arc<Discrete>,
        w2: Vec<f64>,
        null_w2: f64,
    },
    /// An analytic power law `s_k = k^{−α}` carrying the target
    /// `s_k w̄_k² = c · k^{−(1+2αr)}` (the [`PowerLaw`] computes the target traces), with
    /// its source exponent `r`.
    PowerLaw { p: Arc<PowerLaw>, r: f64 },
}

impl Model {
    /// The [`Spectrum`] view of the same data.
    fn spectrum(&self) -> Spectrum {
        Spectrum {
            repr: match self {
                Self::Discrete { d, .. } => Repr::Discrete(Arc::clone(d)),
                Self::PowerLaw { p, .. } => Repr::PowerLaw(Arc::clone(p)),
            },
        }
    }
}

/// A regression task: population spectrum, target weights per eigendirection of `Σ`, and
/// label-noise variance `σ²` (THEORY §1).
///
/// Equality compares the spectrum, the target (for power laws: `α`, `D` and `r`) and the
/// noise variance.
#[derive(Debug, Clone)]
pub struct Task {
    pub(crate) model: Model,
    /// A view of `model`'s spectrum (built only by [`Task::from_model`]).
    pub(crate) spectrum: Spectrum,
    pub(crate) noise_variance: f64,
}

impl PartialEq for Task {
    #[allow(clippy::float_cmp)] // exact equality of stored parameters, as a derive would
    fn eq(&self, other: &Self) -> bool {
        // `spectrum` is a view of `model`.
        self.model == other.model && self.noise_variance == other.noise_variance
    }
}

impl Task {
    /// The one constructor: the spectrum view is built from the model.
    pub(crate) fn from_model(model: Model, noise_variance: f64) -> Self {
        Self {
            spectrum: model.spectrum(),
            model,
            noise_variance,
        }
    }

    /// A task from the eigenvalues of `Σ`, the target weights `w̄_k = u_kᵀw̄` in `Σ`'s
    /// eigenbasis (same order) and the label-noise variance `σ²`.
    ///
    /// Only `w̄_k²` enters averaged errors.
    ///
    /// # Errors
    /// [`Error::LengthMismatch`] if the lengths differ, [`Error::NonFinite`] for NaN or
    /// infinite numbers, [`Error::InvalidParameter`] for a negative eigenvalue or noise
    /// variance, [`Error::Empty`] for no eigenvalues.
    ///
    /// # Examples
    /// ```
    /// use detridge::Task;
    /// let task = Task::from_weights(&[1.0; 100], &[0.1; 100], 0.25)?;
    /// assert_eq!(task.spectrum().dimension(), 100.0);
    /// assert!((task.signal_variance() - 1.0).abs() < 1e-12);
    /// # Ok::<(), detridge::Error>(())
    /// ```
    pub fn from_weights(eigenvalues: &[f64], wbar: &[f64], noise_variance: f64) -> Result<Self> {
        if eigenvalues.len() != wbar.len() {
            return Err(Error::LengthMismatch {
                what: "target weights vs eigenvalues",
                expected: eigenvalues.len(),
                got: wbar.len(),
            });
        }
        let w2: Vec<f64> = wbar
            .iter()
            .map(|&w| finite("target weight", w).map(|w| w * w))
            .collect::<Result<_>>()?;
        let spectrum = Spectrum::from_eigenvalues(eigenvalues)?;
        let null_w2 = eigenvalues
            .iter()
            .zip(&w2)
            .filter(|&(&s, _)| s == 0.0)
            .map(|(_, &w)| w)
            .sum();
        Self::discrete(
            spectrum,
            &w2_for_entries(eigenvalues, &w2),
            null_w2,
            noise_variance,
        )
    }

    /// A task from a discrete spectrum and the total squared target weight of each of its
    /// stored entries (for an entry of multiplicity `m` carrying weight `w̄²` in each of its
    /// directions, pass `m·w̄²`). Entries are in the order they were given to the
    /// spectrum's constructor, zero eigenvalues excluded.
    ///
    /// # Errors
    /// [`Error::LengthMismatch`], [`Error::NonFinite`], [`Error::InvalidParameter`] for
    /// negative powers or noise, [`Error::Unsupported`] for an analytic spectrum (use
    /// [`Task::power_law`]).
    pub fn with_target_power(
        spectrum: Spectrum,
        target_power: &[f64],
        noise_variance: f64,
    ) -> Result<Self> {
        Self::discrete(spectrum, target_power, 0.0, noise_variance)
    }

    /// [`Task::with_target_power`] with a weight on the null space of `Σ`.
    fn discrete(
        spectrum: Spectrum,
        target_power: &[f64],
        null_w2: f64,
        noise_variance: f64,
    ) -> Result<Self> {
        non_negative("noise_variance", noise_variance)?;
        let Repr::Discrete(d) = &spectrum.repr else {
            return Err(Error::Unsupported(
                "per-entry target weights need a discrete spectrum",
            ));
        };
        if target_power.len() != d.values.len() {
            return Err(Error::LengthMismatch {
                what: "target powers vs spectrum entries",
                expected: d.values.len(),
                got: target_power.len(),
            });
        }
        for &w in target_power {
            non_negative("target power", w)?;
        }
        // The signal variance w̄ᵀΣw̄ and |w̄|² bound every error term: both must be
        // representable (rescale the target otherwise).
        let signal: f64 = d.values.iter().zip(target_power).map(|(s, w)| s * w).sum();
        crate::error::finite("signal variance w̄ᵀΣw̄ (overflows f64)", signal)?;
        crate::error::finite(
            "target norm |w̄|² (overflows f64)",
            target_power.iter().sum::<f64>(),
        )?;
        Ok(Self::from_model(
            Model::Discrete {
                d: Arc::clone(d),
                w2: target_power.to_vec(),
                null_w2,
            },
            noise_variance,
        ))
    }

    /// The isotropic task `Σ = I_d`, target spread evenly over all directions with
    /// `|w̄|² = signal`, noise `σ²`.
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] for `d ≤ 0`, negative signal or noise; [`Error::NonFinite`].
    pub fn isotropic(d: f64, signal: f64, noise_variance: f64) -> Result<Self> {
        non_negative("signal", signal)?;
        Self::with_target_power(Spectrum::isotropic(d, 1.0)?, &[signal], noise_variance)
    }

    /// Power-law task (THEORY §7.1): `s_k = k^{−α}` and `s_k w̄_k² ∝ k^{−(1+2αr)}`,
    /// normalised so that the signal variance `w̄ᵀΣw̄ = 1`; `d = None` is `D = ∞`
    /// (exact tail, no truncation).
    ///
    /// `D ≤` [`POWER_LAW_EXPLICIT_MAX`] is stored explicitly; larger and infinite `D` use
    /// the analytic [`PowerLaw`] representation (every trace to ~1e-14 relative at a cost
    /// independent of `D`). Finite `D` always has an explicit expansion for simulation.
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] for `α ≤ 0` (`α ≤ 1` when `d = None`), `r ≤ 0` when
    /// `d = None`, `d = Some(0)`, negative noise; [`Error::NonFinite`].
    ///
    /// # Examples
    /// ```
    /// use detridge::Task;
    /// let task = Task::power_law(1.5, 0.4, Some(1000), 0.0)?;
    /// assert!((task.signal_variance() - 1.0).abs() < 1e-12);
    /// // D = ∞: ridgeless κ₀ ≈ c_α P^{−α} (THEORY §7.1).
    /// let inf = Task::power_law(2.0, 1.0, None, 0.0)?;
    /// let k0 = inf.ridge(1e4, 0.0)?.kappa;
    /// let c = std::f64::consts::PI.powi(2) / 4.0;
    /// assert!((k0 * 1e8 / c - 1.0).abs() < 1e-3);
    /// # Ok::<(), detridge::Error>(())
    /// ```
    pub fn power_law(alpha: f64, r: f64, d: Option<usize>, noise_variance: f64) -> Result<Self> {
        non_negative("noise_variance", noise_variance)?;
        finite("r", r)?;
        if let Some(d) = d
            && d <= POWER_LAW_EXPLICIT_MAX
        {
            let (values, w2) = power_law_entries(alpha, r, d)?;
            return Self::with_target_power(
                Spectrum::from_eigenvalues(&values)?,
                &w2,
                noise_variance,
            );
        }
        let p = Arc::new(PowerLaw::with_target(alpha, r, d)?);
        Ok(Self::from_model(Model::PowerLaw { p, r }, noise_variance))
    }

    /// A task from a full population covariance matrix and target weight vector: `Σ` is
    /// eigendecomposed (faer) and `w̄` projected on its eigenvectors.
    ///
    /// Eigenvalues within `64·ε·D·max|λ|` of zero are set to zero (round-off); more
    /// negative ones are an error.
    ///
    /// # Errors
    /// [`Error::LengthMismatch`] for a non-square matrix or wrong vector length,
    /// [`Error::NonFinite`], [`Error::NotPositiveSemiDefinite`] for an asymmetric or
    /// indefinite matrix, [`Error::Decomposition`] if the eigensolver fails.
    pub fn from_covariance(
        covariance: &DMatrix<f64>,
        wbar: &DVector<f64>,
        noise_variance: f64,
    ) -> Result<Self> {
        let (eigenvalues, eigenvectors) = symmetric_eigen(covariance, "covariance")?;
        if wbar.len() != covariance.nrows() {
            return Err(Error::LengthMismatch {
                what: "target vector vs covariance",
                expected: covariance.nrows(),
                got: wbar.len(),
            });
        }
        for &w in wbar.iter() {
            finite("target weight", w)?;
        }
        let projected = eigenvectors.transpose() * wbar;
        Self::from_weights(&eigenvalues, projected.as_slice(), noise_variance)
    }

    /// The same task with another label-noise variance.
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] or [`Error::NonFinite`] for a bad variance.
    pub fn with_noise_variance(&self, noise_variance: f64) -> Result<Self> {
        non_negative("noise_variance", noise_variance)?;
        let mut t = self.clone();
        t.noise_variance = noise_variance;
        Ok(t)
    }

    /// The population spectrum.
    #[must_use]
    pub fn spectrum(&self) -> &Spectrum {
        &self.spectrum
    }

    /// Label-noise variance `σ²`.
    #[must_use]
    pub fn noise_variance(&self) -> f64 {
        self.noise_variance
    }

    /// The target power `w̄²` of each stored entry of a discrete task (summed over the
    /// entry's multiplicity), in the order of [`Spectrum::eigenvalues`]; `None` for an
    /// analytic power law and for a compressed task.
    ///
    /// # Examples
    /// ```
    /// use detridge::Task;
    /// let task = Task::from_weights(&[4.0, 1.0], &[0.5, -2.0], 0.1)?;
    /// assert_eq!(task.target_power(), Some(&[0.25, 4.0][..]));
    /// assert_eq!(task.signal_power(), Some(vec![1.0, 4.0]));
    /// # Ok::<(), detridge::Error>(())
    /// ```
    #[must_use]
    pub fn target_power(&self) -> Option<&[f64]> {
        match &self.model {
            Model::Discrete { d, w2, .. } if !d.compressed => Some(w2),
            _ => None,
        }
    }

    /// The signal power `s_k w̄_k²` of each stored entry (summed over its multiplicity;
    /// they add up to [`Task::signal_variance`]); `None` as for [`Task::target_power`].
    #[must_use]
    pub fn signal_power(&self) -> Option<Vec<f64>> {
        match &self.model {
            Model::Discrete { d, w2, .. } if !d.compressed => {
                Some(d.values.iter().zip(w2).map(|(s, w)| s * w).collect())
            }
            _ => None,
        }
    }

    /// The exponents `(α, r)` of an analytic power-law task (`s_k = k^{−α}`,
    /// `s_k w̄_k² ∝ k^{−(1+2αr)}`; `D` is [`Spectrum::dimension`]). `None` for a discrete
    /// task, including power laws with `D ≤` [`POWER_LAW_EXPLICIT_MAX`], which are stored
    /// explicitly.
    ///
    /// # Examples
    /// ```
    /// use detridge::Task;
    /// let task = Task::power_law(1.5, 0.4, None, 0.0)?;
    /// assert_eq!(task.power_law_exponents(), Some((1.5, 0.4)));
    /// # Ok::<(), detridge::Error>(())
    /// ```
    #[must_use]
    pub fn power_law_exponents(&self) -> Option<(f64, f64)> {
        match &self.model {
            Model::PowerLaw { p, r } => Some((p.alpha(), *r)),
            Model::Discrete { .. } => None,
        }
    }

    /// Signal variance `w̄ᵀΣw̄` (`= tf₂(0)`).
    #[must_use]
    pub fn signal_variance(&self) -> f64 {
        match &self.model {
            Model::Discrete { d, w2, .. } => d.values.iter().zip(w2).map(|(s, w)| s * w).sum(),
            Model::PowerLaw { .. } => 1.0,
        }
    }

    /// `|w̄|²` (may be infinite for power laws with `r ≤ 1/2` and `D = ∞`).
    #[must_use]
    pub fn target_norm2(&self) -> f64 {
        match &self.model {
            Model::Discrete { w2, null_w2, .. } => w2.iter().sum::<f64>() + null_w2,
            Model::PowerLaw { p, .. } => p.target_norm2(),
        }
    }

    /// A compressed copy of a discrete task: per-bin Gauss quadrature of the spectral and
    /// target measures, so that one pass costs a few hundred entries whatever `D`
    /// (the "compressed mode" for large spectra; error bound and check in [`CompressionReport`]'s
    /// module docs). Every trace agrees with the exact one to `1e-10` relative for
    /// `κ ≥ 0`; negative ridges need the exact task. Analytic spectra are returned as
    /// they are (already `O(1)` per pass).
    ///
    /// # Errors
    /// [`Error::NoConvergence`] if the construction check against the exact traces
    /// exceeds `1e-10` relative (it has not been observed).
    ///
    /// # Examples
    /// ```
    /// use detridge::Task;
    /// let s: Vec<f64> = (1..=200_000).map(|k| (k as f64).powf(-1.5)).collect();
    /// let w: Vec<f64> = (1..=200_000).map(|k| (k as f64).powf(-0.5)).collect();
    /// let exact = Task::from_weights(&s, &w, 0.1)?;
    /// let (fast, report) = exact.compressed()?;
    /// assert!(report.entries_after < 2_000);
    /// let (a, b) = (exact.ridge(1000.0, 1e-5)?, fast.ridge(1000.0, 1e-5)?);
    /// assert!((a.test_error - b.test_error).abs() < 1e-9 * a.test_error);
    /// # Ok::<(), detridge::Error>(())
    /// ```
    pub fn compressed(&self) -> Result<(Self, CompressionReport)> {
        let Model::Discrete { d, w2, null_w2 } = &self.model else {
            let n = self.spectrum.stored_len();
            return Ok((
                self.clone(),
                CompressionReport {
                    entries_before: n,
                    entries_after: n,
                    max_rel_error: 0.0,
                    checked_points: 0,
                },
            ));
        };
        let (cd, cw) = compressed::compress(d, w2);
        let (max_rel_error, checked_points) = compressed::check(d, w2, &cd, &cw)?;
        let report = CompressionReport {
            entries_before: d.values.len(),
            entries_after: cd.values.len(),
            max_rel_error,
            checked_points,
        };
        Ok((
            Self::from_model(
                Model::Discrete {
                    d: Arc::new(cd),
                    w2: cw,
                    null_w2: *null_w2,
                },
                self.noise_variance,
            ),
            report,
        ))
    }

    /// Every trace the formulas need at `κ`, in one pass (THEORY §1).
    ///
    /// `κ` must exceed `−s_min`; the solver guarantees it.
    #[must_use]
    pub fn traces(&self, kappa: f64) -> Traces {
        match &self.model {
            Model::Discrete { d, w2, .. } => d.traces(w2, kappa),
            Model::PowerLaw { p, .. } => p.traces(kappa),
        }
    }

    /// Per-entry target power (`Σ` over each entry's multiplicity of `w̄_k²`), for
    /// discrete spectra; power laws with finite `D` are expanded. `None` for `D = ∞`.
    pub(crate) fn discrete_target(&self) -> Option<(std::borrow::Cow<'_, Discrete>, Vec<f64>)> {
        match &self.model {
            Model::Discrete { d, w2, .. } => {
                (!d.compressed).then(|| (std::borrow::Cow::Borrowed(&**d), w2.clone()))
            }
            Model::PowerLaw { p, .. } => {
                let d = p.to_discrete()?;
                let w2 = p.discrete_target_power()?;
                Some((std::borrow::Cow::Owned(d), w2))
            }
        }
    }
}
