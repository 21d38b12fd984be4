//! The public API contract that code outside this repository is written against: every
//! name and shape below must keep compiling (and giving finite, consistent numbers).
//! A change here is an API change and is noted on its issue and in CHANGELOG.md.

use detridge::features::Activation;
use detridge::nalgebra::{DMatrix, DVector};
use detridge::{Error, Result, Spectrum, Task};
use rand::RngExt;
use rand_distr::StandardNormal;

#[test]
fn the_rust_contract_compiles_and_answers() -> Result<()> {
    let eigenvalues: Vec<f64> = (1..=200).map(|k| (k as f64).powf(-1.2)).collect();
    let wbar: Vec<f64> = (1..=200).map(|k| (k as f64).powf(-0.7)).collect();
    let noise_variance = 0.1;

    let task: Task = Task::from_weights(&eigenvalues, &wbar, noise_variance)?;
    let _spectrum: &Spectrum = task.spectrum();
    let _infinite: Task = Task::power_law(1.5, 0.6, None, noise_variance)?;
    let _finite: Task = Task::power_law(1.5, 0.6, Some(300), noise_variance)?;

    let t = task.ridge(100.0, 1e-3)?;
    let parts: [f64; 6] = [
        t.kappa,
        t.test_error,
        t.train_error,
        t.bias2,
        t.var_data,
        t.var_noise,
    ];
    assert!(parts.iter().all(|v| v.is_finite()));

    let t = task.random_features(100.0, 150.0, 1e-3)?;
    let parts: [f64; 8] = [
        t.kappa,
        t.test_error,
        t.train_error,
        t.bias2,
        t.var_data,
        t.var_features,
        t.var_data_features,
        t.var_noise,
    ];
    assert!(parts.iter().all(|v| v.is_finite()));

    let mc = detridge::montecarlo::ridge(&task, 100, &[1e-3, 1e-1], 4, 7)?;
    assert_eq!(mc.len(), 2);
    let (_m, _se) = (mc[0].test_error.mean, mc[0].test_error.std_err);
    let (_m, _se) = (mc[1].train_error.mean, mc[1].gcv.std_err);

    let mut rng = detridge::montecarlo::rng_for(3, 0);
    let (p, d) = (120, 40);
    let x = DMatrix::from_fn(p, d, |_, _| rng.sample::<f64, _>(StandardNormal));
    let y = DVector::from_fn(p, |i, _| {
        x[(i, 0)] + 0.3 * rng.sample::<f64, _>(StandardNormal)
    });
    let path = detridge::estimate::RidgePath::new(&x, &y)?;
    let v: [f64; 3] = [path.train_error(0.1)?, path.gcv(0.1)?, path.loocv(0.1)?];
    assert!(v.iter().all(|v| v.is_finite()));

    let iso = Task::isotropic(300.0, 1.0, 0.1)?;
    let t = iso.nonlinear_random_features(400.0, 600.0, 1e-2, &Activation::Relu)?;
    let _ = iso.nonlinear_random_features(400.0, 600.0, 1e-2, &Activation::Erf)?;
    assert!(t.test_error.is_finite() && t.train_error.is_finite());

    let g = task.gradient_flow(100.0, 1e-3, f64::INFINITY)?;
    assert!(g.test_error.is_finite() && g.train_error.is_finite());
    let g = task.gradient_flow(100.0, 1e-3, 10.0)?;
    assert!(g.test_error.is_finite());

    let f = detridge::estimate::Forecast::fit(&x, &y)?;
    let e = f.test_error(480.0, 1e-2)?;
    assert!(e.lower <= e.value && e.value <= e.upper);
    let _: Error = Error::Empty { what: "contract" };
    Ok(())
}
