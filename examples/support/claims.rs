//! Numbers behind the claims the examples print, shared with `tests/examples.rs` so
//! every printed claim is also checked (include with `#[path = "support/claims.rs"]`).
#![allow(dead_code)]

use detridge::Task;
use detridge::features::RfTheory;

/// The width `N` (integer grid `lo..=hi`) where the random-feature `E_g` peaks at sample
/// size `p` and ridge `λ`, with the peak value.
///
/// # Errors
/// Library errors.
pub fn rf_peak(task: &Task, p: f64, lambda: f64, lo: u32, hi: u32) -> detridge::Result<(f64, f64)> {
    let mut best = (f64::NAN, f64::NEG_INFINITY);
    for n in (lo..=hi).map(f64::from) {
        let e = task.random_features(p, n, lambda)?.test_error;
        if e > best.1 {
            best = (n, e);
        }
    }
    Ok(best)
}

/// The largest of the signal terms (bias², Var_X, Var_F, Var_XF), by name.
pub fn largest_signal_term(t: &RfTheory) -> &'static str {
    [
        ("bias", t.bias2),
        ("data-variance", t.var_data),
        ("feature-variance", t.var_features),
        ("data-x-feature", t.var_data_features),
    ]
    .iter()
    .max_by(|a, b| a.1.total_cmp(&b.1))
    .map_or("?", |x| x.0)
}

/// The width `N > p` where the feature variance `Var_F` falls below the bias² (the upper
/// end of the feature-variance-limited window, THEORY §7.2), by bisection in `ln N` over
/// `[1.01 p, n_max]`; `None` if `Var_F > bias²` on the whole range or nowhere.
///
/// # Errors
/// Library errors.
pub fn feature_variance_window_end(
    task: &Task,
    p: f64,
    lambda: f64,
    n_max: f64,
) -> detridge::Result<Option<f64>> {
    let g = |n: f64| -> detridge::Result<f64> {
        let t = task.random_features(p, n, lambda)?;
        Ok(t.var_features - t.bias2)
    };
    let (mut a, mut b) = ((1.01 * p).ln(), n_max.ln());
    if g(a.exp())? <= 0.0 || g(b.exp())? > 0.0 {
        return Ok(None);
    }
    for _ in 0..60 {
        let m = 0.5 * (a + b);
        if g(m.exp())? > 0.0 {
            a = m;
        } else {
            b = m;
        }
    }
    Ok(Some((0.5 * (a + b)).exp()))
}

/// Finite-size bias of `κ̂` for isotropic ridgeless data with `p < d`: the theory's
/// `κ₀ = (d − p)/p` and the finite-`P` value `1/E[1/κ̂] = (d − p − 1)/p` (the mean of an
/// inverse Wishart: `E[1/κ̂] = p/(d − p − 1)`).
pub fn kappa_hat_isotropic(d: f64, p: f64) -> (f64, f64) {
    ((d - p) / p, (d - p - 1.0) / p)
}
