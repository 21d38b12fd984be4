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
