//! The claims the examples print, recomputed and checked (examples/support/claims.rs is
//! shared with the examples), and the examples' default output directory.
//!
//! Run: `cargo test --release --test examples` (≈ 2 s).

#[path = "../examples/support/claims.rs"]
mod claims;

#[path = "../examples/support/plot.rs"]
mod plot;

use detridge::{Task, montecarlo};

/// `examples/random_features.rs`: the task it prints.
fn rf_task() -> Task {
    Task::power_law(1.5, 0.7, Some(100_000), 1e-4).unwrap()
}

#[test]
fn random_features_peak_moves_onto_n_equals_p_as_lambda_vanishes() {
    let task = rf_task();
    // The example reports the peak at both ridges on the same integer grid.
    let (n_small, _) = claims::rf_peak(&task, 500.0, 1e-9, 400, 600).unwrap();
    let (n_ex, _) = claims::rf_peak(&task, 500.0, 1e-6, 400, 600).unwrap();
    assert!(
        (n_small - 500.0).abs() <= 1.0,
        "λ = 1e-9: peak at N = {n_small}"
    );
    // λ = 1e-6 smooths the divergence: the maximum moves off N = P, but only by a few %.
    assert!(
        (n_ex - 500.0).abs() > (n_small - 500.0).abs(),
        "λ = 1e-6: N = {n_ex}"
    );
    assert!((n_ex - 500.0).abs() < 0.05 * 500.0, "λ = 1e-6: N = {n_ex}");
}

#[test]
fn random_features_window_claims_agree_with_the_table() {
    let task = rf_task();
    let (p, lambda) = (500.0, 1e-6);
    let end = claims::feature_variance_window_end(&task, p, lambda, 1e8)
        .unwrap()
        .expect("Var_F exceeds bias² just above N = P");
    // The computed end of the window against the scaling law's P^(1+α(2r−1)) (no
    // prefactor in the law, so only the order of magnitude is a prediction: within 2×).
    let predicted = p.powf(1.0 + 1.5 * (2.0 * 0.7 - 1.0));
    assert!(
        end / predicted > 0.5 && end / predicted < 2.0,
        "{end} vs {predicted}"
    );
    // Inside the window, well above the peak, Var_F is the largest signal term; past
    // it the bias is.
    let inside = task.random_features(p, 5_000.0, lambda).unwrap();
    assert_eq!(claims::largest_signal_term(&inside), "feature-variance");
    assert!(inside.var_features > inside.bias2);
    let past = task.random_features(p, 4.0 * end, lambda).unwrap();
    assert!(past.var_features < past.bias2);
    // The noise terms exceed the signal terms at large N (what the table marks).
    let far = task.random_features(p, 1e5, lambda).unwrap();
    let signal = far.bias2 + far.var_data + far.var_features + far.var_data_features;
    assert!(far.var_noise > signal);
}

/// `examples/validate.rs`: κ̂ on isotropic ridgeless data with P < D has the exact
/// finite-size mean E[1/κ̂] = P/(D−P−1), so E[κ̂] ≈ (D−P−1)/P, against the theory's
/// κ₀ = (D−P)/P. Same sizes and seed as the example's first row (D = 400, P = 200,
/// 50 draws).
#[test]
fn kappa_hat_finite_size_bias_explains_the_validate_z_scores() {
    let (d, p) = (400usize, 200usize);
    let task = Task::isotropic(d as f64, 1.0, 0.25).unwrap();
    let r = &montecarlo::ridge(&task, p, &[0.0], 50, 1).unwrap()[0];
    let (k0, k_finite) = claims::kappa_hat_isotropic(d as f64, p as f64);
    assert!((task.ridge(p as f64, 0.0).unwrap().kappa - k0).abs() < 1e-12);
    // Jensen: E[κ̂] − 1/E[1/κ̂] ≈ Var(κ̂)/κ ≈ (SE·√50)²/κ ≈ 1e-4.
    let jensen = (r.kappa_hat.std_err * 50f64.sqrt()).powi(2) / k_finite;
    assert!(
        (r.kappa_hat.mean - k_finite).abs() <= 4.0 * r.kappa_hat.std_err + 2.0 * jensen,
        "mean {} ± {} vs finite-size {k_finite}",
        r.kappa_hat.mean,
        r.kappa_hat.std_err
    );
    // The bias itself is 1/P relative: (κ₀ − κ_finite)/κ₀ = 1/(D−P).
    assert!(((k0 - k_finite) / k0 - 1.0 / (d - p) as f64).abs() < 1e-12);
}

#[test]
fn default_output_directory_is_under_cargos_target_dir() {
    let t = plot::target_dir();
    assert!(t.join("CACHEDIR.TAG").is_file(), "{}", t.display());
    if let Some(env) = std::env::var_os("CARGO_TARGET_DIR") {
        let env = std::fs::canonicalize(env).unwrap();
        assert_eq!(std::fs::canonicalize(&t).unwrap(), env);
    }
    let d = plot::default_out_dir("figures");
    assert!(d.ends_with("detridge-out/figures"));
    let args = vec!["--out".to_string(), "/tmp/x".to_string()];
    assert_eq!(
        plot::out_dir_from_args(&args, "figures"),
        std::path::PathBuf::from("/tmp/x")
    );
}
