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
//!
//! # Entry points
//! * Spectra: [`Spectrum::from_eigenvalues`], [`Spectrum::with_multiplicities`],
//!   [`Spectrum::isotropic`], [`Spectrum::power_law`]; read back with
//!   [`Spectrum::eigenvalues`], [`Spectrum::multiplicities`], [`Spectrum::as_power_law`].
//! * Tasks: [`Task::from_weights`], [`Task::with_target_power`], [`Task::isotropic`],
//!   [`Task::power_law`], [`Task::from_covariance`]; read back with [`Task::spectrum`],
//!   [`Task::target_power`], [`Task::signal_power`], [`Task::power_law_exponents`],
//!   [`Task::noise_variance`].
//! * [`Task::sample`]: Gaussian data `(X, y)` from a finite task.
//! * [`Task::traces`] (one pass, every trace) and [`Task::compressed`] (large spectra).
//!
//! The theory methods of a task live with their theory: [`crate::ridge`],
//! [`crate::features`], [`crate::kernel`].

mod compressed;
mod discrete;
mod explicit;
mod inverse;
mod moments;
mod power_law;
mod task;

use std::sync::Arc;

use crate::error::{Error, Result};
pub use compressed::CompressionReport;
pub(crate) use discrete::Discrete;
pub(crate) use explicit::ExplicitTask;
pub use explicit::{SAMPLE_MAX_DIMENSION, SAMPLE_MAX_ENTRIES};
pub(crate) use inverse::{RESOLVABLE, kappa_zero, unresolvable};
pub(crate) use moments::{MAX_ORDER, Moments};
pub use power_law::PowerLaw;
pub(crate) use task::Model;
pub use task::Task;

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
    /// The seven traces of `self` beside the same traces of `other`, for checks that
    /// compare two evaluations field by field (compressed against exact, expansion
    /// against direct pass).
    pub(crate) fn paired(&self, other: &Traces) -> [(f64, f64); 7] {
        [
            (self.df1, other.df1),
            (self.df2, other.df2),
            (self.df1_minus_df2, other.df1_minus_df2),
            (self.tf1, other.tf1),
            (self.tf1_prime, other.tf1_prime),
            (self.tf2, other.tf2),
            (self.tf1_minus_tf2, other.tf1_minus_tf2),
        ]
    }

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

/// The two representations of a spectrum (shared, so a [`Task`] can hold its typed
/// model and a [`Spectrum`] view of the same data).
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Repr {
    Discrete(Arc<Discrete>),
    PowerLaw(Arc<PowerLaw>),
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
            repr: Repr::Discrete(Arc::new(Discrete::new(eigenvalues, None)?)),
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
            repr: Repr::Discrete(Arc::new(Discrete::new(values, Some(multiplicities))?)),
        })
    }

    /// The isotropic spectrum `Σ = value · I_d` (one stored entry whatever `d`).
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] unless `d` and `value` are finite and `> 0`.
    pub fn isotropic(d: f64, value: f64) -> Result<Self> {
        // Validated under the names the caller used (not `multiplicity`/`eigenvalue`).
        crate::error::positive("d", d)?;
        crate::error::positive("value", value)?;
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
                repr: Repr::PowerLaw(Arc::new(PowerLaw::new(alpha, d)?)),
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

    /// The stored positive eigenvalues of a discrete spectrum, in the order given to its
    /// constructor (zero eigenvalues excluded; each with its [`Spectrum::multiplicities`]).
    /// `None` for an analytic power law ([`Spectrum::as_power_law`]) and for a compressed
    /// spectrum (whose entries are quadrature nodes, not eigenvalues).
    ///
    /// # Examples
    /// ```
    /// use detridge::Spectrum;
    /// let s = Spectrum::with_multiplicities(&[2.0, 0.0, 1.0], &[3.0, 5.0, 1.0])?;
    /// assert_eq!(s.eigenvalues(), Some(&[2.0, 1.0][..]));
    /// assert_eq!(s.multiplicities(), Some(vec![3.0, 1.0]));
    /// assert_eq!(Spectrum::power_law(2.0, None)?.eigenvalues(), None);
    /// # Ok::<(), detridge::Error>(())
    /// ```
    #[must_use]
    pub fn eigenvalues(&self) -> Option<&[f64]> {
        match &self.repr {
            Repr::Discrete(d) if !d.compressed => Some(&d.values),
            _ => None,
        }
    }

    /// The multiplicity of each of [`Spectrum::eigenvalues`] (ones when none were given).
    #[must_use]
    pub fn multiplicities(&self) -> Option<Vec<f64>> {
        match &self.repr {
            Repr::Discrete(d) if !d.compressed => {
                Some((0..d.values.len()).map(|i| d.multiplicity(i)).collect())
            }
            _ => None,
        }
    }

    /// The analytic power law (`α`, `D`), if this spectrum is one (power laws with
    /// `D ≤` [`POWER_LAW_EXPLICIT_MAX`] are stored as explicit eigenvalues instead).
    ///
    /// # Examples
    /// ```
    /// use detridge::Spectrum;
    /// let s = Spectrum::power_law(1.5, None)?;
    /// assert_eq!(s.as_power_law().map(|p| p.alpha()), Some(1.5));
    /// # Ok::<(), detridge::Error>(())
    /// ```
    #[must_use]
    pub fn as_power_law(&self) -> Option<&PowerLaw> {
        match &self.repr {
            Repr::PowerLaw(p) => Some(p),
            Repr::Discrete(_) => None,
        }
    }

    /// Whether this is a compressed (quadrature) representation ([`Task::compressed`]).
    #[must_use]
    pub fn is_compressed(&self) -> bool {
        matches!(&self.repr, Repr::Discrete(d) if d.compressed)
    }
}

/// Largest finite `D` for which power-law spectra and tasks are expanded into explicit
/// discrete spectra; above it they use the analytic [`PowerLaw`] representation (exact,
/// `O(1)` per pass). [`Task::power_law`] at any finite `D` still yields the explicit
/// expansion for simulation.
pub const POWER_LAW_EXPLICIT_MAX: usize = 100_000;

/// Explicit power-law eigenvalues `k^{−α}` and target powers `w̄_k² ∝ k^{−(1+2αr)}/s_k`
/// normalised to `Σ_k s_k w̄_k² = 1`, for `k = 1..d`.
pub(crate) fn power_law_entries(alpha: f64, r: f64, d: usize) -> Result<(Vec<f64>, Vec<f64>)> {
    crate::error::positive("alpha", alpha)?;
    if d == 0 {
        return Err(Error::InvalidParameter {
            name: "d",
            value: 0.0,
            reason: "the dimension must be >= 1",
        });
    }
    let values: Vec<f64> = (1..=d).map(|k| (k as f64).powf(-alpha)).collect();
    // The smallest eigenvalue D^{−α} must be a normal number (else it is stored as 0 or
    // without precision, and the task no longer has D directions).
    if !values[d - 1].is_normal() {
        return Err(Error::InvalidParameter {
            name: "alpha",
            value: alpha,
            reason: "D^(-alpha) underflows f64 (below 2.2e-308): lower alpha or D",
        });
    }
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
pub(crate) fn w2_for_entries(eigenvalues: &[f64], w2: &[f64]) -> Vec<f64> {
    eigenvalues
        .iter()
        .zip(w2)
        .filter(|&(&s, _)| s != 0.0)
        .map(|(_, &w)| w)
        .collect()
}
