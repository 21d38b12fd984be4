//! Seeded Monte Carlo simulators of exactly the models the theory describes.
//!
//! This module depends on [`crate::spectrum`] and [`crate::numeric`] only, never on the
//! theory modules: theory and simulation meet in `tests/` and `examples/`.
//!
//! Reproducibility: draw `i` of a run with seed `s` uses its own ChaCha8 stream
//! ([`rng_for`]), so results are bit-identical across runs and thread counts.

pub mod dynamics;
pub mod features;
pub mod nonlinear;
pub mod ridge;

pub use ridge::{RidgeEstimates, ridge};

use nalgebra::DMatrix;
use rand::RngExt;
use rand_chacha::ChaCha8Rng;
use rand_chacha::rand_core::SeedableRng;
use rand_distr::StandardNormal;

/// The largest number of independent draws (or data × feature pairs) a simulator
/// accepts; more is rejected before anything is allocated.
pub const MAX_DRAWS: usize = 10_000_000;

/// A Monte Carlo mean with its standard error.
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct Estimate {
    /// Sample mean over draws.
    pub mean: f64,
    /// Standard error of the mean (`sd/√n`).
    pub std_err: f64,
}

impl Estimate {
    /// Mean and standard error of independent samples.
    #[must_use]
    pub fn from_samples(xs: &[f64]) -> Self {
        let n = xs.len() as f64;
        let mean = xs.iter().sum::<f64>() / n;
        let var = if xs.len() > 1 {
            xs.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (n - 1.0)
        } else {
            f64::NAN
        };
        Self {
            mean,
            std_err: (var / n).sqrt(),
        }
    }

    /// `(theory − mean)/std_err`.
    #[must_use]
    pub fn z_score(&self, theory: f64) -> f64 {
        (theory - self.mean) / self.std_err
    }
}

/// The RNG of draw `index` of a run seeded with `seed` (a named, portable generator:
/// ChaCha8 with the draw index as its stream).
#[must_use]
pub fn rng_for(seed: u64, index: u64) -> ChaCha8Rng {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    rng.set_stream(index);
    rng
}

/// A `rows × cols` matrix of i.i.d. standard normal entries, drawn in column-major order
/// from `rng` (so a seeded stream always yields the same matrix).
pub(crate) fn standard_normal_matrix(
    rng: &mut ChaCha8Rng,
    rows: usize,
    cols: usize,
) -> DMatrix<f64> {
    let data: Vec<f64> = (0..rows * cols)
        .map(|_| rng.sample::<f64, _>(StandardNormal))
        .collect();
    DMatrix::from_vec(rows, cols, data)
}

/// `n` i.i.d. standard normal numbers from `rng`.
pub(crate) fn standard_normal_vec(rng: &mut ChaCha8Rng, n: usize) -> Vec<f64> {
    (0..n)
        .map(|_| rng.sample::<f64, _>(StandardNormal))
        .collect()
}

/// Jackknife standard error from the leave-one-out values `theta_{-k}`, `k = 1..n`:
/// `sqrt((n−1)/n · Σ_k (θ_{−k} − θ̄_{−·})²)` (Efron & Stein). For the sample mean it
/// reproduces the usual `sd/√n` exactly.
pub(crate) fn jackknife_std_err(leave_one_out: &[f64]) -> f64 {
    let n = leave_one_out.len() as f64;
    let mean = leave_one_out.iter().sum::<f64>() / n;
    let ss = leave_one_out
        .iter()
        .map(|t| (t - mean).powi(2))
        .sum::<f64>();
    ((n - 1.0) / n * ss).sqrt()
}
