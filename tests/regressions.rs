//! Regression tests for bugs found in review (one test per bug, named after it).

use detridge::Task;

/// `Task` equality ignored the source exponent `r` of analytic power-law tasks (the
/// target lived outside the compared state), so two tasks whose test errors at `P = 100`
/// differ many-fold compared equal (issue #9).
#[test]
fn regression_power_law_equality_includes_source_exponent() {
    let a = Task::power_law(1.5, 0.4, None, 0.0).unwrap();
    let b = Task::power_law(1.5, 0.9, None, 0.0).unwrap();
    let (ea, eb) = (
        a.ridge(100.0, 0.0).unwrap().test_error,
        b.ridge(100.0, 0.0).unwrap().test_error,
    );
    assert!(ea > 10.0 * eb, "the tasks differ: {ea} vs {eb}");
    assert!(a != b);
    assert!(a == Task::power_law(1.5, 0.4, None, 0.0).unwrap());
    // Finite analytic D (above the explicit threshold) and the noise variance count too.
    let d = Some(detridge::spectrum::POWER_LAW_EXPLICIT_MAX + 1);
    let c = Task::power_law(1.5, 0.4, d, 0.0).unwrap();
    assert!(c != Task::power_law(1.5, 0.9, d, 0.0).unwrap());
    assert!(c != a);
    assert!(a != Task::power_law(1.5, 0.4, None, 0.1).unwrap());
}

/// Curves returned `Result<Vec<_>>`, so the divergent point `P = D` at `λ = 0` discarded
/// the whole learning curve (issue #9). Now each point has its own result, and the warm
/// starts after the failed point still give the cold-start values.
#[test]
fn regression_curve_keeps_points_after_a_divergent_one() {
    let task = Task::power_law(1.5, 0.6, Some(200), 0.1).unwrap();
    let ps = [50.0, 100.0, 200.0, 300.0, 400.0];
    let curve = task.ridge_curve_p(&ps, 0.0);
    assert_eq!(curve.len(), ps.len());
    assert!(matches!(
        curve.points[2],
        Err(detridge::Error::Divergent { .. })
    ));
    for (p, t) in curve.successes() {
        let cold = task.ridge(p, 0.0).unwrap();
        assert!(
            (t.test_error - cold.test_error).abs() <= 1e-12 * cold.test_error,
            "P = {p}"
        );
    }
    assert_eq!(curve.successes().count(), 4);
    // The same for random features at the width bottleneck P = N < D.
    let rf = task.random_features_curve_p(&[50.0, 100.0, 150.0], 100.0, 0.0);
    assert!(rf.points[1].is_err());
    for (p, t) in rf.successes() {
        let cold = task.random_features(p, 100.0, 0.0).unwrap();
        assert!(
            (t.test_error - cold.test_error).abs() <= 1e-12 * cold.test_error,
            "P = {p}"
        );
    }
}
