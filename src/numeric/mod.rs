//! Numerical building blocks shared by every iterative routine of the crate: solver
//! parameters and reports ([`SolverParams`], [`KappaReport`]), one bracket safeguard for
//! Newton iterations and one bisection, two bracketed 1-D minimisers (golden section and
//! Brent), and one symmetric eigendecomposition.
//!
//! This module sits at the bottom of the crate and imports nothing but [`crate::error`].
//! Every loop here has a finite iteration cap and reports exhausting it as
//! [`crate::Error::NoConvergence`] (never a last iterate in `Ok`).

mod eigen;
mod minimize;
mod params;
mod roots;

pub(crate) use eigen::{self_adjoint_evd, symmetric_eigen};
pub(crate) use minimize::{Minimum, brent_min, golden_section};
pub use params::{KappaReport, NonExhaustive, SolverParams};
pub(crate) use roots::{Bracket, bisect};
