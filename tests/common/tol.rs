//! Named tolerances shared by the integration tests (STYLE §27). A looser local value
//! reuses the same name with a comment saying why.

/// Standard errors a Monte Carlo mean may sit from its target (house value).
pub const MC_SIGMAS: f64 = 4.0;

/// Relative finite-size allowance for theory (a `D, P → ∞` deterministic equivalent)
/// against a finite simulation at `D ≥ 500`: THEORY §9 reports gaps ≲ 2–3 % at these
/// sizes, largest near `P ≈ D` with small `λ`. Exact finite-sample facts use no allowance.
pub const MC_FINITE_SIZE_REL: f64 = 0.03;

/// Absolute allowance for quantities that vanish in exact arithmetic but are formed from
/// rounded vectors (e.g. `ŵ_clean − w̄` for least squares with `P > D`, of size
/// `(cond·ε)² ~ 1e-28`), relative to the task's scale `w̄ᵀΣw̄ + σ²`.
pub const ROUNDOFF_REL: f64 = 1e-20;
