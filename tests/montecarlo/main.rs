//! The seeded simulators (`detridge::montecarlo`), mirroring `src/montecarlo/`: the
//! linear-ridge simulator and theory against it (`ridge`), and the random-feature
//! simulator's own contract (`features`; theory against it is in `tests/features.rs`).
//!
//! Default run: `cargo test --release --test montecarlo`. Full grid:
//! `cargo test --release --test montecarlo -- --ignored --nocapture`.

#[path = "../common/mod.rs"]
mod common;

mod features;
mod ridge;
