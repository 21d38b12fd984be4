//! Hooks for the Python test suite (`detridge._detridge._testing`): they raise each
//! `detridge::Error` variant, and a Rust panic, through the same boundary code as every
//! binding, so the mapping is tested even for variants no public input reaches.

use pyo3::prelude::*;

use crate::convert::run;

/// Raises the `detridge::Error` variant `kind` (with fixed example values) through
/// the boundary.
#[pyfunction]
fn raise_error(py: Python<'_>, kind: &str) -> PyResult<()> {
    use detridge::Error as E;
    let e = match kind {
        "NonFinite" => E::NonFinite {
            what: "x",
            value: f64::NAN,
        },
        "InvalidParameter" => E::InvalidParameter {
            name: "p",
            value: -1.0,
            reason: "must be > 0",
        },
        "LengthMismatch" => E::LengthMismatch {
            what: "a vs b",
            expected: 3,
            got: 2,
        },
        "Empty" => E::Empty {
            what: "eigenvalues",
        },
        "RidgeBelowMinimum" => E::RidgeBelowMinimum {
            lambda: -2.0,
            lambda_min: -0.5,
        },
        "NoConvergence" => E::NoConvergence {
            what: "solver",
            iterations: 7,
            residual: 0.5,
            last: 1.5,
        },
        "NotBracketed" => E::NotBracketed {
            what: "root",
            lo: 1.0,
            hi: 2.0,
        },
        "Divergent" => E::Divergent {
            what: "test error",
            reason: "gamma = 1",
        },
        "NotPositiveSemiDefinite" => E::NotPositiveSemiDefinite {
            what: "K",
            reason: "eigenvalue -1".into(),
        },
        "Decomposition" => E::Decomposition {
            what: "X",
            reason: "backend failed".into(),
        },
        "Unsupported" => E::Unsupported("infinite D"),
        "InfiniteOptimum" => E::InfiniteOptimum {
            what: "optimal ridge",
            limit: 1.0,
        },
        _ => return Ok(()),
    };
    run(py, || Err::<(), _>(e))
}

/// Panics inside the boundary (the panic must come out as `DetridgeError(kind="Panic")`).
#[pyfunction]
fn panic(py: Python<'_>) -> PyResult<()> {
    run(py, || -> detridge::Result<()> { panic!("test panic") })
}

/// Registers the `_testing` submodule.
pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(raise_error, m)?)?;
    m.add_function(wrap_pyfunction!(panic, m)?)?;
    Ok(())
}
