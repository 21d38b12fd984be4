//! Spectra and tasks (`detridge::spectrum`), mirroring `src/spectrum/`: exact power-law
//! traces (`power_law`) and compressed spectra (`compressed`).
//!
//! Run: `cargo test --release --test spectrum` (filter with `power_law::` or `compressed::`).

#[path = "../common/mod.rs"]
mod common;

mod compressed;
mod power_law;
