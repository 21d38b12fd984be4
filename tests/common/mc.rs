//! The one Monte Carlo assertion of the suite (TEAM rules, STYLE §32):
//! `|theory − mean| ≤ MC_SIGMAS·SE + allowance`.

use super::tol::MC_SIGMAS;
use detridge::montecarlo::Estimate;

/// Asserts that the Monte Carlo estimate `est` agrees with `theory` within
/// [`MC_SIGMAS`] standard errors plus the documented absolute `allowance` (finite-size and
/// rounding terms; `0.0` for exact finite-sample facts). On failure the message names
/// `label`, the theory, the mean, the SE, `z` and the bound.
///
/// Returns the signed `z = (mean − theory)/SE` for reporting (`±∞` or NaN when SE = 0).
#[track_caller]
pub fn assert_mc(label: &str, theory: f64, est: &Estimate, allowance: f64) -> f64 {
    assert_mc_sigmas(label, theory, est, allowance, MC_SIGMAS)
}

/// As [`assert_mc`] with an explicit number of standard errors (for a test that documents
/// why it departs from the house value).
#[track_caller]
pub fn assert_mc_sigmas(
    label: &str,
    theory: f64,
    est: &Estimate,
    allowance: f64,
    sigmas: f64,
) -> f64 {
    check_mc(label, theory, est, allowance, sigmas).unwrap_or_else(|msg| panic!("{msg}"))
}

/// The comparison behind [`assert_mc`], without panicking, for grids that collect every
/// failure before asserting: `Ok(z)` inside the band, `Err(message)` outside it.
pub fn check_mc(
    label: &str,
    theory: f64,
    est: &Estimate,
    allowance: f64,
    sigmas: f64,
) -> Result<f64, String> {
    let gap = (theory - est.mean).abs();
    let bound = sigmas * est.std_err + allowance;
    let z = (est.mean - theory) / est.std_err;
    if gap <= bound {
        Ok(z)
    } else {
        Err(format!(
            "{label}: theory {theory:e}, mean {:e}, SE {:e}, z {z:+.2} \
             (|gap| {gap:e} > {sigmas}·SE + allowance {allowance:e} = {bound:e})",
            est.mean, est.std_err
        ))
    }
}
