//! `detridge._detridge`: the compiled core of the `detridge` Python package.
//!
//! One file per module of the Rust crate; each has a `register` function that adds its
//! classes and functions to the extension module (flat) or to a submodule. Methods of
//! `Task` are spread over the files of the Rust modules that define them (PyO3's
//! `multiple-pymethods`), so a new Rust module is bound by adding one file here.

mod convert;
mod dynamics;
mod estimate;
mod features;
mod forecast;
mod kernel;
mod montecarlo;
mod nonlinear;
mod ridge;
mod scaling;
mod spectrum;
mod testing;

use pyo3::prelude::*;

/// Adds a submodule `name` built by `f` to `parent`.
fn submodule(
    parent: &Bound<'_, PyModule>,
    name: &str,
    f: fn(&Bound<'_, PyModule>) -> PyResult<()>,
) -> PyResult<()> {
    let m = PyModule::new(parent.py(), name)?;
    f(&m)?;
    parent.add_submodule(&m)
}

#[pymodule]
fn _detridge(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add("DetridgeError", m.py().get_type::<convert::DetridgeError>())?;
    m.add_class::<convert::Curve>()?;
    spectrum::register(m)?;
    ridge::register(m)?;
    features::register(m)?;
    nonlinear::register(m)?;
    dynamics::register(m)?;
    forecast::register(m)?;
    estimate::register(m)?;
    submodule(m, "kernel", kernel::register)?;
    submodule(m, "scaling", scaling::register)?;
    submodule(m, "montecarlo", montecarlo::register)?;
    submodule(m, "_testing", testing::register)?;
    Ok(())
}
