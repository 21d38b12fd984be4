//! Invariants every model family must satisfy (THEORY §2–§6), shared by the proptests of
//! `tests/ridge.rs`, `tests/features.rs` and `tests/kernel.rs`: `κ ≥ λ` for `λ ≥ 0`,
//! `0 ≤ Df₂ ≤ Df₁ ≤ cap` (`cap = min(P, rank)`, and `min(P, N, rank)` for random features),
//! `κ` decreasing in `P` and increasing in `λ`, and decompositions that sum to `E_g`.
//! Each check returns `Err(message)` so a proptest can shrink on it.

use super::tol::{HUNDREDS_OF_ULPS, IDENTITY_REL};

/// `κ ≥ λ` and `0 ≤ Df₂ ≤ Df₁ ≤ cap` (relative [`IDENTITY_REL`] on the upper bounds: the
/// traces are sums of many rounded terms).
pub fn kappa_and_dfs(
    label: &str,
    lambda: f64,
    kappa: f64,
    df1: f64,
    df2: f64,
    cap: f64,
) -> Result<(), String> {
    let ok = kappa.is_finite()
        && kappa >= lambda
        && df2 >= 0.0
        && df2 <= df1 * (1.0 + IDENTITY_REL)
        && df1 <= cap * (1.0 + IDENTITY_REL);
    if ok {
        Ok(())
    } else {
        Err(format!(
            "{label}: need κ ≥ λ and 0 ≤ Df₂ ≤ Df₁ ≤ {cap}: λ {lambda:e}, κ {kappa:e}, \
             Df₁ {df1:e}, Df₂ {df2:e}"
        ))
    }
}

/// `κ(1.1P) ≤ κ(P)` (up to [`HUNDREDS_OF_ULPS`]) and `κ(1.1λ) ≥ κ(λ)`.
pub fn kappa_monotone(
    label: &str,
    kappa: f64,
    kappa_more_p: f64,
    kappa_more_lambda: f64,
) -> Result<(), String> {
    if kappa_more_p <= kappa * (1.0 + HUNDREDS_OF_ULPS) && kappa_more_lambda >= kappa {
        Ok(())
    } else {
        Err(format!(
            "{label}: κ must decrease in P and increase in λ: κ {kappa:e}, \
             κ(1.1P) {kappa_more_p:e}, κ(1.1λ) {kappa_more_lambda:e}"
        ))
    }
}

/// `Σ terms = total` to [`IDENTITY_REL`] relative, every term `≥ −IDENTITY_REL·total`.
pub fn sums_to(label: &str, terms: &[f64], total: f64) -> Result<(), String> {
    let sum: f64 = terms.iter().sum();
    let ok = total.is_finite()
        && total >= 0.0
        && (sum - total).abs() <= IDENTITY_REL * total
        && terms.iter().all(|&t| t >= -IDENTITY_REL * total);
    if ok {
        Ok(())
    } else {
        Err(format!(
            "{label}: terms {terms:?} sum to {sum:e}, not {total:e}"
        ))
    }
}
