//! Seeded Monte Carlo simulators of exactly the models the theory describes.
//!
//! This module depends on [`crate::spectrum`] only, never on the theory modules: theory
//! and simulation meet in `tests/` and `examples/`.
//!
//! Reproducibility: draw `i` of a run with seed `s` uses its own ChaCha8 stream
//! ([`rng_for`]), so results are bit-identical across runs and thread counts.

pub mod features;
pub mod ridge;

// The contract entry point `montecarlo::ridge` is re-exported here once written:
// pub use ridge::ridge;

use rand_chacha::ChaCha8Rng;
use rand_chacha::rand_core::SeedableRng;

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
