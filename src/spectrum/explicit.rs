//! A finite task expanded into explicit dimensions (for simulation and sampling).

use nalgebra::{DMatrix, DVector};
use rand_distr::{Distribution, StandardNormal};

use super::Task;
use crate::error::{Error, Result};

/// Largest dimension `D` that [`Task::sample`] draws.
pub const SAMPLE_MAX_DIMENSION: usize = 100_000;

/// Largest number of entries `P · D` of a design that [`Task::sample`] draws.
pub const SAMPLE_MAX_ENTRIES: usize = 100_000_000;

impl Task {
    /// Draws `p` Gaussian samples from a finite task (THEORY §1): rows of `X` are
    /// `N(0, Σ)` written in `Σ`'s eigenbasis, `y = Xw̄ + ε` with `ε ~ N(0, σ²)`.
    ///
    /// Column `k` of `X` is `√s_k` times standard normals, in the order of the stored
    /// spectrum entries, an entry of multiplicity `m` expanded into `m` columns that share
    /// its target weight evenly (`w̄_k = √(w̄²/m)`, positive); the `D − rank Σ` null
    /// directions come last as zero columns. For a power-law task this is the
    /// normalisation of [`Task::power_law`] (`w̄ᵀΣw̄ = 1`). The entries of `X` are drawn
    /// column by column, then the `p` noise values, all from `rng`.
    ///
    /// # Errors
    /// [`Error::Unsupported`] for `D = ∞`, a compressed task, or non-integer
    /// multiplicities; [`Error::InvalidParameter`] for `p = 0`,
    /// `D >` [`SAMPLE_MAX_DIMENSION`] or `P · D >` [`SAMPLE_MAX_ENTRIES`] (checked before
    /// anything is allocated).
    ///
    /// # Examples
    /// ```
    /// use detridge::Task;
    /// use rand_chacha::rand_core::SeedableRng;
    /// let task = Task::from_weights(&[4.0, 1.0, 0.0], &[0.5, 1.0, 3.0], 0.0)?;
    /// let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(1);
    /// let (x, y) = task.sample(2000, &mut rng)?;
    /// assert_eq!((x.nrows(), x.ncols(), y.len()), (2000, 3, 2000));
    /// // Column variances ≈ eigenvalues; the null direction is zero.
    /// let var0 = x.column(0).norm_squared() / 2000.0;
    /// assert!((var0 - 4.0).abs() < 0.5 && x.column(2).norm() == 0.0);
    /// // Noiseless labels: y = Xw̄ exactly.
    /// assert!((&x.columns(0, 2) * nalgebra::DVector::from_vec(vec![0.5, 1.0]) - &y).norm() < 1e-12);
    /// # Ok::<(), detridge::Error>(())
    /// ```
    pub fn sample<R: rand::Rng + ?Sized>(
        &self,
        p: usize,
        rng: &mut R,
    ) -> Result<(DMatrix<f64>, DVector<f64>)> {
        if p == 0 {
            return Err(Error::InvalidParameter {
                name: "p",
                value: 0.0,
                reason: "at least one sample is needed",
            });
        }
        let dim = self.spectrum().dimension();
        if dim.is_infinite() {
            return Err(Error::Unsupported(
                "sampling needs a finite dimension D (D = ∞ has no explicit basis)",
            ));
        }
        if dim > SAMPLE_MAX_DIMENSION as f64 {
            return Err(Error::InvalidParameter {
                name: "D",
                value: dim,
                reason: "larger than SAMPLE_MAX_DIMENSION",
            });
        }
        let d = dim.round() as usize;
        if p.saturating_mul(d) > SAMPLE_MAX_ENTRIES {
            return Err(Error::InvalidParameter {
                name: "p",
                value: p as f64,
                reason: "P·D exceeds SAMPLE_MAX_ENTRIES",
            });
        }
        let explicit = ExplicitTask::from_task(self, SAMPLE_MAX_DIMENSION)?;
        let rank = explicit.sqrt_s.len();
        let mut x = DMatrix::zeros(p, d.max(rank));
        for k in 0..rank {
            let scale = explicit.sqrt_s[k];
            for i in 0..p {
                let g: f64 = StandardNormal.sample(rng);
                x[(i, k)] = scale * g;
            }
        }
        let sigma = self.noise_variance().sqrt();
        let mut y = x.columns(0, rank) * DVector::from_column_slice(&explicit.wbar);
        for v in y.iter_mut() {
            let e: f64 = StandardNormal.sample(rng);
            *v += sigma * e;
        }
        Ok((x, y))
    }
}

/// A task with its multiplicities expanded, one entry per explicit dimension of `Σ`'s
/// eigenbasis (null directions dropped): eigenvalues, their square roots and target
/// weights, each entry's squared weight `w²` spread evenly over its `m` directions.
pub(crate) struct ExplicitTask {
    /// Eigenvalues `s_k` (positive).
    pub(crate) s: Vec<f64>,
    /// `√s_k`.
    pub(crate) sqrt_s: Vec<f64>,
    /// Target weights `w̄_k = √(w²/m)` (an entry's weight spread evenly).
    pub(crate) wbar: Vec<f64>,
}

impl ExplicitTask {
    /// Expands `task`; at most `max_dim` explicit dimensions.
    ///
    /// # Errors
    /// [`Error::Unsupported`] for `D = ∞`, more than `max_dim` dimensions, or
    /// non-integer multiplicities.
    pub(crate) fn from_task(task: &Task, max_dim: usize) -> Result<Self> {
        // Before expanding anything (an analytic power law with a huge finite D).
        if task.spectrum().rank() > max_dim as f64 {
            return Err(Error::Unsupported(
                "too many explicit dimensions to expand (more than the caller's maximum)",
            ));
        }
        let (disc, w2) = task.discrete_target().ok_or(Error::Unsupported(
            "expanding a task needs a finite dimension D (a discrete spectrum or a power \
             law with Some(d))",
        ))?;
        if disc.rank > max_dim as f64 {
            return Err(Error::Unsupported(
                "too many explicit dimensions to expand (more than the caller's maximum)",
            ));
        }
        let mut s = Vec::new();
        let mut wbar = Vec::new();
        for (i, (&value, &power)) in disc.values.iter().zip(&w2).enumerate() {
            let m = disc.multiplicity(i);
            let rounded = m.round();
            if rounded < 1.0 || (m - rounded).abs() > 1e-9 * rounded {
                return Err(Error::Unsupported(
                    "expanding a task needs integer multiplicities",
                ));
            }
            let count = rounded as usize;
            // Spread the entry's weight evenly over its directions: w̄_k = √(w²/m).
            let w = (power / rounded).sqrt();
            s.extend(std::iter::repeat_n(value, count));
            wbar.extend(std::iter::repeat_n(w, count));
        }
        let sqrt_s = s.iter().map(|v| v.sqrt()).collect();
        Ok(Self { s, sqrt_s, wbar })
    }
}
