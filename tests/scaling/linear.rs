//! Scaling laws (THEORY §7): slopes fitted to learning curves computed by the library at
//! `D = ∞` (exact power-law traces) against the exponent table of THEORY §7.2, in the
//! linear-ridge regimes; the continuum constants of THEORY §7.1.
//!
//! Run: `cargo test --release --test scaling linear::`.

use crate::common::tol::*;
use detridge::scaling::{
    Regime, Variable, c_alpha, exponent, fit_log_log, fit_log_log_window, gamma_limit, log_space,
    noise_plateau, structured_effective_exponents,
};
use detridge::{Error, Task};

/// Allowed |fitted − predicted| exponent (issue #5).
const SLOPE_TOL: f64 = EXPONENT_ABS;
const ALPHA: f64 = 1.5;
const RS: [f64; 3] = [0.3, 0.7, 1.5];

fn check(regime: Regime, r: f64, fitted: f64) {
    let e = exponent(regime, ALPHA, r).unwrap();
    eprintln!(
        "{:<28} {:<9} r={r}: fitted {fitted:+.4}, predicted {:+.4}",
        e.name, e.quantity, e.value
    );
    assert!(
        (fitted - e.value).abs() <= SLOPE_TOL,
        "{} r={r}: fitted {fitted} vs predicted {}",
        e.name,
        e.value
    );
}

#[test]
fn resolution_limited_noiseless_ridgeless() {
    // E_g ~ P^{−2αm}: r < 1 source-limited, r > 1 capacity-limited.
    let ps = log_space(1e4, 1e6, 12).unwrap();
    for r in RS {
        let task = Task::power_law(ALPHA, r, None, 0.0).unwrap();
        let eg: Vec<f64> = ps
            .iter()
            .map(|&p| task.ridge(p, 0.0).unwrap().test_error)
            .collect();
        check(
            Regime::ResolutionLimited,
            r,
            fit_log_log(&ps, &eg).unwrap().slope,
        );
    }
}

#[test]
fn noise_plateau_and_ridgeless_constants() {
    let sigma2 = 0.5;
    let task = Task::power_law(ALPHA, 0.7, None, sigma2).unwrap();
    let ps = log_space(1e4, 1e6, 8).unwrap();
    let curve: Vec<_> = ps.iter().map(|&p| task.ridge(p, 0.0).unwrap()).collect();
    let var: Vec<f64> = curve.iter().map(|t| t.var_noise).collect();
    check(
        Regime::NoisePlateau,
        0.7,
        fit_log_log(&ps, &var).unwrap().slope,
    );
    let last = curve.last().unwrap();
    let plateau = noise_plateau(ALPHA, sigma2).unwrap();
    let gamma = gamma_limit(ALPHA).unwrap();
    eprintln!(
        "P = 1e6: Var_Xeps = {} (limit {plateau}), gamma = {} (limit {gamma}), kappa0 P^a = {} (c_a = {})",
        last.var_noise,
        last.gamma,
        last.kappa * 1e6f64.powf(ALPHA),
        c_alpha(ALPHA).unwrap()
    );
    // Finite-P corrections are O(P^{-1/α}) ≈ 1e-4 at P = 1e6.
    assert!((last.var_noise - plateau).abs() < ASYMPTOTIC_REL * plateau);
    assert!((last.gamma - gamma).abs() < ASYMPTOTIC_REL);
    let c = c_alpha(ALPHA).unwrap();
    assert!((last.kappa * 1e6f64.powf(ALPHA) - c).abs() < ASYMPTOTIC_REL * c);
}

#[test]
fn kappa_zero_approaches_the_continuum_constant() {
    // κ₀ P^α → c_α for several α, with the deviation shrinking in P.
    for alpha in [1.2, 2.0, 3.0] {
        let task = Task::power_law(alpha, 1.0, None, 0.0).unwrap();
        let c = c_alpha(alpha).unwrap();
        let dev = |p: f64| (task.ridge(p, 0.0).unwrap().kappa * p.powf(alpha) / c - 1.0).abs();
        let (d3, d6) = (dev(1e3), dev(1e6));
        eprintln!("alpha={alpha}: |kappa0 P^a/c_a - 1| = {d3:e} (P=1e3), {d6:e} (P=1e6)");
        assert!(d6 < d3 && d6 < ASYMPTOTIC_REL);
    }
}

#[test]
fn ridge_limited_bias_slope_in_lambda() {
    // P = ∞: κ = λ, so bias² = −λ² tf₁′(λ) ~ λ^{2m}.
    let lambdas = log_space(1e-9, 1e-6, 10).unwrap();
    for r in RS {
        let task = Task::power_law(ALPHA, r, None, 0.0).unwrap();
        let bias: Vec<f64> = lambdas
            .iter()
            .map(|&l| -l * l * task.traces(l).tf1_prime)
            .collect();
        check(
            Regime::RidgeLimited,
            r,
            fit_log_log(&lambdas, &bias).unwrap().slope,
        );
        // Finite but huge P gives the same bias.
        let t = task.ridge(1e14, 1e-6).unwrap();
        assert!((t.bias2 / bias[9] - 1.0).abs() < ASYMPTOTIC_REL);
    }
}

#[test]
fn ridge_limited_variance_decays_as_one_over_p() {
    let task = Task::power_law(ALPHA, 0.7, None, 1.0).unwrap();
    let ps = log_space(1e7, 1e9, 8).unwrap();
    let var: Vec<f64> = ps
        .iter()
        .map(|&p| task.ridge(p, 1e-4).unwrap().var_noise)
        .collect();
    check(
        Regime::RidgeLimitedVariance,
        0.7,
        fit_log_log(&ps, &var).unwrap().slope,
    );
    // Prefactor: σ² Df₂(λ)/P with Df₂(λ) ~ λ^{-1/α}.
    let t = task.ridge(1e9, 1e-4).unwrap();
    let df2 = task.traces(1e-4).df2;
    assert!((t.var_noise * 1e9 / df2 - 1.0).abs() < ASYMPTOTIC_REL);
}

#[test]
fn optimal_ridge_rates() {
    let ps = log_space(1e5, 1e7, 7).unwrap();
    for r in RS {
        let task = Task::power_law(ALPHA, r, None, 0.5).unwrap();
        let opt: Vec<_> = ps.iter().map(|&p| task.optimal_ridge(p).unwrap()).collect();
        let eg: Vec<f64> = opt.iter().map(|o| o.theory.test_error).collect();
        let lam: Vec<f64> = opt.iter().map(|o| o.lambda).collect();
        check(
            Regime::OptimalRidge,
            r,
            fit_log_log(&ps, &eg).unwrap().slope,
        );
        check(
            Regime::OptimalRidgeLambda,
            r,
            fit_log_log(&ps, &lam).unwrap().slope,
        );
    }
}

#[test]
fn ridge_schedule_bias_and_variance() {
    let l = 1.0;
    let ps = log_space(1e5, 1e7, 8).unwrap();
    for r in RS {
        let task = Task::power_law(ALPHA, r, None, 1.0).unwrap();
        let curve: Vec<_> = ps
            .iter()
            .map(|&p| task.ridge(p, p.powf(-l)).unwrap())
            .collect();
        let bias: Vec<f64> = curve.iter().map(|t| t.bias2).collect();
        let var: Vec<f64> = curve.iter().map(|t| t.var_noise).collect();
        check(
            Regime::RidgeScheduleBias { l },
            r,
            fit_log_log(&ps, &bias).unwrap().slope,
        );
        check(
            Regime::RidgeScheduleVariance { l },
            r,
            fit_log_log(&ps, &var).unwrap().slope,
        );
    }
}

#[test]
fn variance_limited_finite_d() {
    // Finite D = 200 (explicit), fixed λ, P ≫ D: E_g − E_g(P = ∞) ~ 1/P.
    let task = Task::power_law(ALPHA, 0.7, Some(200), 0.5).unwrap();
    let lambda = 1e-3;
    let inf = -lambda * lambda * task.traces(lambda).tf1_prime;
    let ps = log_space(1e6, 1e8, 6).unwrap();
    let excess: Vec<f64> = ps
        .iter()
        .map(|&p| task.ridge(p, lambda).unwrap().test_error - inf)
        .collect();
    check(
        Regime::VarianceLimited,
        0.7,
        fit_log_log(&ps, &excess).unwrap().slope,
    );
}

#[test]
fn exponent_table_values() {
    let e = |reg, r| exponent(reg, 1.5, r).unwrap().value;
    // THEORY §9 predicted column.
    assert!((e(Regime::ResolutionLimited, 0.3) + 0.9).abs() < TENS_OF_ULPS);
    assert!((e(Regime::ResolutionLimited, 1.5) + 3.0).abs() < TENS_OF_ULPS);
    assert!((e(Regime::OptimalRidge, 0.3) + 0.9 / 1.9).abs() < TENS_OF_ULPS);
    assert!((e(Regime::OptimalRidgeLambda, 1.5) + 0.375).abs() < TENS_OF_ULPS);
    assert!((e(Regime::RfWidthBottleneck, 0.3) + 0.9).abs() < TENS_OF_ULPS);
    assert!((e(Regime::RfWidthBottleneck, 0.7) + 1.5).abs() < TENS_OF_ULPS);
    assert!((e(Regime::RfDataBottleneck, 0.7) + 2.1).abs() < TENS_OF_ULPS);
    assert!((e(Regime::RfFeatureVarianceData, 0.3) - 0.1).abs() < TENS_OF_ULPS);
    assert!((e(Regime::RfFeatureVarianceData, 0.7) + 0.5).abs() < TENS_OF_ULPS);
    assert!((e(Regime::RfFeatureVarianceWidth, 0.7) + 1.0).abs() < TENS_OF_ULPS);
    assert!((e(Regime::RfFeatureVarianceWindow, 1.5) - 2.5).abs() < TENS_OF_ULPS);
    assert!((e(Regime::RfStructuredWidth { beta: 0.5 }, 0.7) + 2.0).abs() < TENS_OF_ULPS);
    assert!((e(Regime::RfStructuredWidth { beta: -0.5 }, 0.7) + 1.0).abs() < TENS_OF_ULPS);
    assert!((e(Regime::RfStructuredData { beta: 1.0 }, 1.5) + 4.5).abs() < TENS_OF_ULPS);
    assert!((e(Regime::RidgeScheduleVariance { l: 0.75 }, 0.7) + 0.5).abs() < TENS_OF_ULPS);
    assert_eq!(
        exponent(Regime::RidgeLimited, 1.5, 0.7).unwrap().variable,
        Variable::Ridge
    );
    // Structured weights = isotropic formulas at the effective exponents.
    let (at, rt) = structured_effective_exponents(1.5, 0.7, 0.5).unwrap();
    let iso = exponent(Regime::RfWidthBottleneck, at, rt).unwrap().value;
    assert!((iso - e(Regime::RfStructuredWidth { beta: 0.5 }, 0.7)).abs() < TENS_OF_ULPS);
    assert!((c_alpha(2.0).unwrap() - std::f64::consts::PI.powi(2) / 4.0).abs() < TENS_OF_ULPS);
}

#[test]
fn invalid_inputs_are_rejected() {
    assert!(matches!(
        exponent(Regime::ResolutionLimited, 1.0, 0.5),
        Err(Error::InvalidParameter { name: "alpha", .. })
    ));
    assert!(matches!(
        exponent(Regime::ResolutionLimited, 1.5, 0.0),
        Err(Error::InvalidParameter { name: "r", .. })
    ));
    assert!(matches!(
        exponent(Regime::ResolutionLimited, f64::NAN, 0.5),
        Err(Error::NonFinite { .. })
    ));
    assert!(matches!(
        exponent(Regime::RidgeScheduleBias { l: 2.0 }, 1.5, 0.5),
        Err(Error::InvalidParameter { name: "l", .. })
    ));
    assert!(matches!(
        exponent(Regime::RfStructuredData { beta: -1.5 }, 1.5, 0.5),
        Err(Error::InvalidParameter { name: "beta", .. })
    ));
    assert!(matches!(
        exponent(Regime::RfFeatureVarianceWindow, 1.5, 0.4),
        Err(Error::InvalidParameter { name: "r", .. })
    ));
    assert!(matches!(c_alpha(0.5), Err(Error::InvalidParameter { .. })));
    assert!(matches!(
        gamma_limit(1.0),
        Err(Error::InvalidParameter { .. })
    ));
    assert!(matches!(
        noise_plateau(1.5, -1.0),
        Err(Error::InvalidParameter { .. })
    ));
    assert!(matches!(
        fit_log_log(&[1.0, 2.0], &[1.0]),
        Err(Error::LengthMismatch { .. })
    ));
    assert!(matches!(
        fit_log_log(&[1.0], &[1.0]),
        Err(Error::Empty { .. })
    ));
    assert!(matches!(
        fit_log_log(&[1.0, 2.0], &[1.0, 0.0]),
        Err(Error::InvalidParameter { name: "y", .. })
    ));
    assert!(matches!(
        fit_log_log(&[2.0, 2.0], &[1.0, 3.0]),
        Err(Error::InvalidParameter { name: "x", .. })
    ));
    assert!(matches!(
        fit_log_log_window(&[1.0, 2.0, 3.0], &[1.0, 2.0, 3.0], 2.5, 10.0),
        Err(Error::Empty { .. })
    ));
    assert!(matches!(
        log_space(0.0, 1.0, 3),
        Err(Error::InvalidParameter { .. })
    ));
    assert!(matches!(
        log_space(1.0, 2.0, 1),
        Err(Error::InvalidParameter { .. })
    ));
}

#[test]
fn fit_recovers_exact_power_laws() {
    let x = log_space(1.0, 1e4, 20).unwrap();
    let y: Vec<f64> = x.iter().map(|v| 2.5 * v.powf(-0.737)).collect();
    let f = fit_log_log(&x, &y).unwrap();
    assert!(
        (f.slope + 0.737).abs() < IDENTITY_REL
            && (f.intercept - 2.5f64.ln()).abs() < IDENTITY_LOOSE_REL
    );
    assert!(f.max_residual < IDENTITY_REL && f.points == 20);
}
