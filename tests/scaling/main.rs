//! Scaling laws (`detridge::scaling`, THEORY §7): fitted slopes of the library's learning
//! curves against the exponent table, for linear ridge (`linear`) and random features
//! (`random_features`).
//!
//! Run: `cargo test --release --test scaling` (add `-- --nocapture` to print every fit).

#[path = "../common/mod.rs"]
mod common;

mod linear;
mod random_features;
