//! Population spectra, targets and the single-pass trace routine.
//!
//! A [`Spectrum`] is the eigenvalue distribution of the population covariance `Σ`; a
//! [`Task`] adds the target weights per eigendirection and the label-noise variance.
//! Every formula of the theory needs only a handful of traces of resolvents of `Σ` at
//! the renormalized ridge `κ` ([`Traces`]); [`Task::traces`] computes all of them in one
//! pass over the spectrum (one division per stored eigenvalue), in parallel for large
//! spectra and in a fixed summation order, so results do not depend on the thread count.
//!
//! Notation follows the crate-level table ([`crate`]): `Df₁`, `Df₂` are the
//! *unnormalised* degrees of freedom (THEORY §1), so that `D = ∞` needs no special case.

mod compressed;
mod discrete;
mod power_law;

use nalgebra::{DMatrix, DVector};

use crate::error::{Error, Result, finite, non_negative};
pub use compressed::CompressionReport;
pub(crate) use discrete::Discrete;
pub use power_law::PowerLaw;

/// Traces of resolvents of `Σ` at one value of `κ` (THEORY §1).
///
/// With `t_k = s_k/(s_k+κ)` and `w̄_k²` the target power of eigendirection `k`:
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct Traces {
    /// The point `κ` at which the traces were taken.
    pub kappa: f64,
    /// `Df₁(κ) = Tr Σ(Σ+κ)⁻¹ = Σ_k t_k` (unnormalised).
    pub df1: f64,
    /// `Df₂(κ) = Tr Σ²(Σ+κ)⁻² = Σ_k t_k²` (unnormalised).
    pub df2: f64,
    /// `Df₁ − Df₂ = κ Tr Σ(Σ+κ)⁻² = −κ dDf₁/dκ`, summed term by term without cancellation.
    pub df1_minus_df2: f64,
    /// `tf₁(κ) = w̄ᵀΣ(Σ+κ)⁻¹w̄`.
    pub tf1: f64,
    /// `tf₁′(κ) = −w̄ᵀΣ(Σ+κ)⁻²w̄ ≤ 0`.
    pub tf1_prime: f64,
    /// `tf₂(κ) = w̄ᵀΣ²(Σ+κ)⁻²w̄ = tf₁ + κ tf₁′`.
    pub tf2: f64,
    /// `tf₁ − tf₂ = −κ tf₁′ = κ w̄ᵀΣ(Σ+κ)⁻²w̄`, summed without cancellation (so that
    /// `bias² = κ (tf₁ − tf₂)` neither cancels at small `κ` nor overflows at large `κ`).
    pub tf1_minus_tf2: f64,
}

/// Degrees of freedom only (what the κ solver needs).
#[derive(Debug, Clone, Copy, PartialEq)]
#[non_exhaustive]
pub struct Dofs {
    /// `Df₁(κ)`.
    pub df1: f64,
    /// `Df₂(κ)`.
    pub df2: f64,
    /// `Df₁ − Df₂`, cancellation-free.
    pub df1_minus_df2: f64,
}

impl Traces {
    /// The degrees-of-freedom part.
    #[must_use]
    pub fn dofs(&self) -> Dofs {
        Dofs {
            df1: self.df1,
            df2: self.df2,
            df1_minus_df2: self.df1_minus_df2,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Repr {
    Discrete(Discrete),
    PowerLaw(PowerLaw),
}

/// Eigenvalue spectrum of a population covariance `Σ`.
///
/// Discrete spectra store distinct eigenvalues with multiplicities (a two-block spectrum
/// of dimension 10⁹ costs two entries); power-law spectra `s_k = k^{−α}` are analytic
/// and may have `D = ∞` ([`PowerLaw`]).
#[derive(Debug, Clone, PartialEq)]
pub struct Spectrum {
    pub(crate) repr: Repr,
}

impl Spectrum {
    /// A spectrum from explicit eigenvalues (each of multiplicity one).
    ///
    /// # Errors
    /// [`Error::Empty`] for no eigenvalues, [`Error::NonFinite`] for NaN or infinite
    /// values, [`Error::InvalidParameter`] for a negative eigenvalue or when no eigenvalue
    /// is positive.
    ///
    /// # Examples
    /// ```
    /// use detridge::Spectrum;
    /// let s = Spectrum::from_eigenvalues(&[3.0, 1.0, 0.0])?;
    /// assert_eq!(s.dimension(), 3.0);
    /// assert_eq!(s.rank(), 2.0);
    /// # Ok::<(), detridge::Error>(())
    /// ```
    pub fn from_eigenvalues(eigenvalues: &[f64]) -> Result<Self> {
        Ok(Self {
            repr: Repr::Discrete(Discrete::new(eigenvalues, None)?),
        })
    }

    /// A spectrum of distinct eigenvalues with (possibly huge, possibly fractional)
    /// multiplicities: `Σ` has eigenvalue `values[i]` with multiplicity `multiplicities[i]`.
    ///
    /// # Errors
    /// As [`Spectrum::from_eigenvalues`], plus [`Error::LengthMismatch`] and
    /// [`Error::InvalidParameter`] for a multiplicity that is not finite and `> 0`.
    ///
    /// # Examples
    /// ```
    /// use detridge::Spectrum;
    /// // Two blocks: 10⁹ directions of variance 1 and 10⁹ of variance 0.01.
    /// let s = Spectrum::with_multiplicities(&[1.0, 0.01], &[1e9, 1e9])?;
    /// assert_eq!(s.dimension(), 2e9);
    /// # Ok::<(), detridge::Error>(())
    /// ```
    pub fn with_multiplicities(values: &[f64], multiplicities: &[f64]) -> Result<Self> {
        Ok(Self {
            repr: Repr::Discrete(Discrete::new(values, Some(multiplicities))?),
        })
    }

    /// The isotropic spectrum `Σ = value · I_d` (one stored entry whatever `d`).
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] unless `d` and `value` are finite and `> 0`.
    pub fn isotropic(d: f64, value: f64) -> Result<Self> {
        Self::with_multiplicities(&[value], &[d])
    }

    /// The power law `s_k = k^{−α}`, `k = 1..D`; `d = None` is `D = ∞` (needs `α > 1`).
    ///
    /// `D ≤` [`POWER_LAW_EXPLICIT_MAX`] is stored as an explicit discrete spectrum; larger
    /// and infinite `D` use the analytic representation ([`PowerLaw`]: exact head +
    /// Euler–Maclaurin tail, cost per pass independent of `D`).
    ///
    /// # Errors
    /// See [`PowerLaw::new`].
    ///
    /// # Examples
    /// ```
    /// use detridge::Spectrum;
    /// let s = Spectrum::power_law(2.0, None)?;
    /// assert!((s.trace() - std::f64::consts::PI.powi(2) / 6.0).abs() < 1e-14);
    /// assert!(s.dimension().is_infinite());
    /// # Ok::<(), detridge::Error>(())
    /// ```
    pub fn power_law(alpha: f64, d: Option<usize>) -> Result<Self> {
        match d {
            Some(d) if d <= POWER_LAW_EXPLICIT_MAX => {
                let (values, _) = power_law_entries(alpha, 0.0, d)?;
                Self::from_eigenvalues(&values)
            }
            _ => Ok(Self {
                repr: Repr::PowerLaw(PowerLaw::new(alpha, d)?),
            }),
        }
    }

    /// Dimension `D` (number of eigenvalues with multiplicity, zeros included; may be `∞`).
    #[must_use]
    pub fn dimension(&self) -> f64 {
        match &self.repr {
            Repr::Discrete(d) => d.dim,
            Repr::PowerLaw(p) => p.dimension(),
        }
    }

    /// Number of positive eigenvalues (with multiplicity; may be `∞`).
    #[must_use]
    pub fn rank(&self) -> f64 {
        match &self.repr {
            Repr::Discrete(d) => d.rank,
            Repr::PowerLaw(p) => p.dimension(),
        }
    }

    /// `Tr Σ`.
    #[must_use]
    pub fn trace(&self) -> f64 {
        match &self.repr {
            Repr::Discrete(d) => d.trace,
            Repr::PowerLaw(p) => p.trace(),
        }
    }

    /// Smallest positive eigenvalue (`0` for `D = ∞`, where eigenvalues accumulate at 0).
    #[must_use]
    pub fn min_positive_eigenvalue(&self) -> f64 {
        match &self.repr {
            Repr::Discrete(d) => d.min,
            Repr::PowerLaw(p) => p.min_eigenvalue(),
        }
    }

    /// Largest eigenvalue.
    #[must_use]
    pub fn max_eigenvalue(&self) -> f64 {
        match &self.repr {
            Repr::Discrete(d) => d.max,
            Repr::PowerLaw(_) => 1.0,
        }
    }

    /// Number of stored entries (the cost of one pass).
    #[must_use]
    pub fn stored_len(&self) -> usize {
        match &self.repr {
            Repr::Discrete(d) => d.values.len(),
            Repr::PowerLaw(p) => p.stored_len(),
        }
    }

    /// `Df₁, Df₂` at `κ` (one pass, no target).
    ///
    /// `κ` must exceed `−` [`Spectrum::min_positive_eigenvalue`]; outside that range the
    /// values are meaningless (the solver never goes there).
    #[must_use]
    pub fn dofs(&self, kappa: f64) -> Dofs {
        match &self.repr {
            Repr::Discrete(d) => d.dofs(kappa),
            Repr::PowerLaw(p) => p.dofs(kappa),
        }
    }

    /// The coarse stand-in used to warm-start cold solves, if any.
    pub(crate) fn proxy(&self) -> Option<&Spectrum> {
        match &self.repr {
            Repr::Discrete(d) => d.proxy.as_deref(),
            Repr::PowerLaw(_) => None,
        }
    }

    /// Whether this is a compressed (quadrature) representation ([`Task::compressed`]).
    #[must_use]
    pub fn is_compressed(&self) -> bool {
        matches!(&self.repr, Repr::Discrete(d) if d.compressed)
    }
}

/// Target weights per eigendirection.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Target {
    /// Total squared target weight of each stored entry (`Σ` over its multiplicity of
    /// `w̄_k²`), plus the weight on the null space of `Σ` (which no error sees).
    PerEntry { w2: Vec<f64>, null_w2: f64 },
    /// Power-law target `s_k w̄_k² = c · k^{−(1+2αr)}`; `r` and `c` live in the
    /// spectrum's [`PowerLaw`], which computes the target traces.
    PowerLaw,
}

/// A regression task: population spectrum, target weights per eigendirection of `Σ`, and
/// label-noise variance `σ²` (THEORY §1).
#[derive(Debug, Clone, PartialEq)]
pub struct Task {
    pub(crate) spectrum: Spectrum,
    pub(crate) target: Target,
    pub(crate) noise_variance: f64,
}

impl Task {
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
        Self::with_target_power(spectrum, &w2_for_entries(eigenvalues, &w2), noise_variance).map(
            |mut t| {
                if let Target::PerEntry { null_w2, .. } = &mut t.target {
                    *null_w2 = eigenvalues
                        .iter()
                        .zip(&w2)
                        .filter(|&(&s, _)| s == 0.0)
                        .map(|(_, &w)| w)
                        .sum();
                }
                t
            },
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
        Ok(Self {
            target: Target::PerEntry {
                w2: target_power.to_vec(),
                null_w2: 0.0,
            },
            spectrum,
            noise_variance,
        })
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
        let pl = PowerLaw::with_target(alpha, r, d)?;
        Ok(Self {
            spectrum: Spectrum {
                repr: Repr::PowerLaw(pl),
            },
            target: Target::PowerLaw,
            noise_variance,
        })
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

    /// Signal variance `w̄ᵀΣw̄` (`= tf₂(0)`).
    #[must_use]
    pub fn signal_variance(&self) -> f64 {
        match (&self.spectrum.repr, &self.target) {
            (Repr::Discrete(d), Target::PerEntry { w2, .. }) => {
                d.values.iter().zip(w2).map(|(s, w)| s * w).sum()
            }
            (Repr::PowerLaw(_), Target::PowerLaw) => 1.0,
            _ => unreachable!("task invariant: target matches spectrum"),
        }
    }

    /// `|w̄|²` (may be infinite for power laws with `r ≤ 1/2` and `D = ∞`).
    #[must_use]
    pub fn target_norm2(&self) -> f64 {
        match (&self.spectrum.repr, &self.target) {
            (Repr::Discrete(_), Target::PerEntry { w2, null_w2 }) => {
                w2.iter().sum::<f64>() + null_w2
            }
            (Repr::PowerLaw(p), Target::PowerLaw) => p.target_norm2(),
            _ => unreachable!("task invariant: target matches spectrum"),
        }
    }

    /// A compressed copy of a discrete task: per-bin Gauss quadrature of the spectral and
    /// target measures, so that one pass costs a few hundred entries whatever `D`
    /// (DESIGN §6 "compressed mode"; error bound and check in [`CompressionReport`]'s
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
        let (Repr::Discrete(d), Target::PerEntry { w2, null_w2 }) =
            (&self.spectrum.repr, &self.target)
        else {
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
            Self {
                spectrum: Spectrum {
                    repr: Repr::Discrete(cd),
                },
                target: Target::PerEntry {
                    w2: cw,
                    null_w2: *null_w2,
                },
                noise_variance: self.noise_variance,
            },
            report,
        ))
    }

    /// Every trace the formulas need at `κ`, in one pass (THEORY §1).
    ///
    /// `κ` must exceed `−s_min`; the solver guarantees it.
    #[must_use]
    pub fn traces(&self, kappa: f64) -> Traces {
        match (&self.spectrum.repr, &self.target) {
            (Repr::Discrete(d), Target::PerEntry { w2, .. }) => d.traces(w2, kappa),
            (Repr::PowerLaw(p), Target::PowerLaw) => p.traces(kappa),
            _ => unreachable!("task invariant: target matches spectrum"),
        }
    }

    /// Per-entry target power (`Σ` over each entry's multiplicity of `w̄_k²`), for
    /// discrete spectra; power laws with finite `D` are expanded. `None` for `D = ∞`.
    pub(crate) fn discrete_target(&self) -> Option<(std::borrow::Cow<'_, Discrete>, Vec<f64>)> {
        match (&self.spectrum.repr, &self.target) {
            (Repr::Discrete(d), Target::PerEntry { w2, .. }) => {
                (!d.compressed).then(|| (std::borrow::Cow::Borrowed(d), w2.clone()))
            }
            (Repr::PowerLaw(p), Target::PowerLaw) => {
                let d = p.to_discrete()?;
                let w2 = p.discrete_target_power()?;
                Some((std::borrow::Cow::Owned(d), w2))
            }
            _ => unreachable!("task invariant: target matches spectrum"),
        }
    }
}

/// Largest finite `D` for which power-law spectra and tasks are expanded into explicit
/// discrete spectra; above it they use the analytic [`PowerLaw`] representation (exact,
/// `O(1)` per pass). [`Task::power_law`] at any finite `D` still yields the explicit
/// expansion for simulation.
pub const POWER_LAW_EXPLICIT_MAX: usize = 100_000;

/// Explicit power-law eigenvalues `k^{−α}` and target powers `w̄_k² ∝ k^{−(1+2αr)}/s_k`
/// normalised to `Σ_k s_k w̄_k² = 1`, for `k = 1..d`.
fn power_law_entries(alpha: f64, r: f64, d: usize) -> Result<(Vec<f64>, Vec<f64>)> {
    crate::error::positive("alpha", alpha)?;
    if d == 0 {
        return Err(Error::InvalidParameter {
            name: "d",
            value: 0.0,
            reason: "the dimension must be >= 1",
        });
    }
    let values: Vec<f64> = (1..=d).map(|k| (k as f64).powf(-alpha)).collect();
    let signal: Vec<f64> = (1..=d)
        .map(|k| (k as f64).powf(-(1.0 + 2.0 * alpha * r)))
        .collect();
    // Sum the smallest terms first for accuracy.
    let total: f64 = signal.iter().rev().sum();
    let w2 = signal
        .iter()
        .zip(&values)
        .map(|(c, s)| c / total / s)
        .collect();
    Ok((values, w2))
}

/// The target powers of the non-zero eigenvalues, in order.
fn w2_for_entries(eigenvalues: &[f64], w2: &[f64]) -> Vec<f64> {
    eigenvalues
        .iter()
        .zip(w2)
        .filter(|&(&s, _)| s != 0.0)
        .map(|(_, &w)| w)
        .collect()
}

/// Symmetric eigendecomposition through faer: eigenvalues (ascending) and eigenvectors
/// (columns), with a symmetry and PSD check.
pub(crate) fn symmetric_eigen(
    a: &DMatrix<f64>,
    what: &'static str,
) -> Result<(Vec<f64>, DMatrix<f64>)> {
    let n = a.nrows();
    if a.ncols() != n {
        return Err(Error::LengthMismatch {
            what: "covariance must be square",
            expected: n,
            got: a.ncols(),
        });
    }
    if n == 0 {
        return Err(Error::Empty { what });
    }
    let mut scale = 0.0_f64;
    for &x in a.iter() {
        finite("matrix entry", x)?;
        scale = scale.max(x.abs());
    }
    for i in 0..n {
        for j in 0..i {
            if (a[(i, j)] - a[(j, i)]).abs() > 1e-12 * scale.max(f64::MIN_POSITIVE) {
                return Err(Error::NotPositiveSemiDefinite {
                    what,
                    reason: format!("not symmetric at ({i}, {j})"),
                });
            }
        }
    }
    // Sequential faer kernels: results are bit-identical whatever the thread count
    // (simulations rely on it).
    let m = faer::MatRef::from_column_major_slice(a.as_slice(), n, n);
    let mut u = faer::Mat::<f64>::zeros(n, n);
    let mut s = faer::diag::Diag::<f64>::zeros(n);
    let par = faer::Par::Seq;
    let mut buf =
        faer::dyn_stack::MemBuffer::new(faer::linalg::evd::self_adjoint_evd_scratch::<f64>(
            n,
            faer::linalg::evd::ComputeEigenvectors::Yes,
            par,
            Default::default(),
        ));
    faer::linalg::evd::self_adjoint_evd(
        m,
        s.as_mut(),
        Some(u.as_mut()),
        par,
        faer::dyn_stack::MemStack::new(&mut buf),
        Default::default(),
    )
    .map_err(|e| Error::Decomposition {
        what,
        reason: format!("{e:?}"),
    })?;
    let top = (0..n).map(|i| s[i].abs()).fold(0.0_f64, f64::max);
    let tol = 64.0 * f64::EPSILON * n as f64 * top;
    let mut values = Vec::with_capacity(n);
    for i in 0..n {
        let v = s[i];
        if v < -tol {
            return Err(Error::NotPositiveSemiDefinite {
                what,
                reason: format!("eigenvalue {v} < 0"),
            });
        }
        values.push(if v.abs() <= tol { 0.0 } else { v });
    }
    let vectors = DMatrix::from_fn(n, n, |i, j| u[(i, j)]);
    Ok((values, vectors))
}
