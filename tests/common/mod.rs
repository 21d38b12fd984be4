//! Shared test helpers (each integration test uses a subset, hence `dead_code`).
#![allow(dead_code)]

pub mod invariants;
pub mod mc;
pub mod tol;

/// Isotropic `Σ = I`: `κ² + (1 − q − λ)κ − λ = 0` with `q = D/P`, physical root
/// (THEORY §2.1).
pub fn isotropic_kappa(q: f64, lambda: f64) -> f64 {
    let b = 1.0 - q - lambda;
    (-b + (b * b + 4.0 * lambda).sqrt()) / 2.0
}
