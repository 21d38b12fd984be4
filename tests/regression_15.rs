//! Regression tests of issue #15 (hardening): each fails before its fix.

use detridge::Task;

/// `|a − b| ≤ rel·|b|`.
fn close(a: f64, b: f64, rel: f64) -> bool {
    (a - b).abs() <= rel * b.abs()
}

/// Defect 1: random features at the feature bottleneck (`N < min(P, rank)`) with a ridge
/// far below `κ₂`. `1 − Df₁/N` cancels there; the data factor and `κ₁` must come from
/// `λ` and `κ₂` on the branch. The λ = 0 branch gives E_g = 1.15 (THEORY §4.2: `κ₁ = 0`);
/// the first-order change over `λ ≤ 1e-13` is `≲ 1e-11` (the slope at 0 is
/// `(1.1492 − 1.15)/1e-10 ≈ −8e6`, so `8e6·1e-13 ≈ 1e-6` relative at most).
#[test]
fn regression_15_1_rf_bottleneck_small_ridge() {
    let task = Task::isotropic(100.0, 1.0, 0.1).unwrap();
    let e0 = task.random_features(50.0, 10.0, 0.0).unwrap().test_error;
    assert!(close(e0, 1.15, 1e-12), "{e0}");
    for lambda in [1e-13, 1e-15, 1e-22, 1e-300] {
        let iso = task.random_features(50.0, 10.0, lambda).unwrap();
        assert!(
            close(iso.test_error, e0, 2e-6),
            "λ = {lambda:e}: {}",
            iso.test_error
        );
        // κ₁ = λ S_X(Df₁) with Df₁ ≈ N = 10 < P = 50: S_X ≈ 1/(1 − 10/50) = 1.25.
        assert!(
            close(iso.kappa1, 1.25 * lambda, 1e-6),
            "κ₁ = {:e}",
            iso.kappa1
        );
        let deep = task
            .deep_random_features(50.0, &[10.0, 30.0], lambda)
            .unwrap();
        let deep0 = task.deep_random_features(50.0, &[10.0, 30.0], 0.0).unwrap();
        assert!(
            close(deep.test_error, deep0.test_error, 2e-6),
            "deep λ = {lambda:e}: {} vs {}",
            deep.test_error,
            deep0.test_error
        );
        let an = task
            .random_features_anisotropic(50.0, &[1.0; 10], lambda)
            .unwrap();
        assert!(
            close(an.test_error, e0, 2e-6),
            "anisotropic λ = {lambda:e}: {}",
            an.test_error
        );
    }
}
