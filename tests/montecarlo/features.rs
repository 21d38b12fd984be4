//! The random-feature simulator (`montecarlo::features`): determinism, thread-count
//! independence, the exact OLS limit and every error path. Theory against it lives in
//! `tests/features.rs`.

use crate::common::mc::assert_mc;
use crate::common::tol::*;
use detridge::montecarlo::features::{
    FeatureModel, RfEstimates, random_features, random_features_ensemble,
};
use detridge::{Error, Task};
use nalgebra::DMatrix;

const ALPHA: f64 = 1.5;
const R: f64 = 0.6;
const SIGMA2: f64 = 0.09;
const LAMBDAS: [f64; 2] = [1e-3, 1e-1];

#[test]
fn ensemble_simulator_error_paths() {
    let task = Task::power_law(ALPHA, R, Some(20), SIGMA2).unwrap();
    let iso = FeatureModel::Isotropic { n: 10 };
    assert!(matches!(
        random_features_ensemble(&task, 10, &iso, &[0.1], 3, 3, 0, 0),
        Err(Error::InvalidParameter { .. })
    ));
    assert!(matches!(
        random_features_ensemble(&task, 10, &iso, &[0.1], 3, 2, 2, 0),
        Err(Error::InvalidParameter { .. })
    ));
    let noisy = FeatureModel::AdditiveNoise { n: 10, s: 0.1 };
    assert!(matches!(
        random_features_ensemble(&task, 10, &noisy, &[0.1], 3, 3, 2, 0),
        Err(Error::Unsupported(_))
    ));
}

#[test]
fn simulator_is_deterministic() {
    let task = Task::power_law(ALPHA, R, Some(40), SIGMA2).unwrap();
    let m = FeatureModel::Isotropic { n: 20 };
    let a = random_features(&task, 30, &m, &[1e-2, 0.0], 3, 4, 9).unwrap();
    let b = random_features(&task, 30, &m, &[1e-2, 0.0], 3, 4, 9).unwrap();
    assert_eq!(a, b);
    let c = random_features(&task, 30, &m, &[1e-2, 0.0], 3, 4, 10).unwrap();
    assert_ne!(a, c);
}

#[test]
fn simulator_ols_limit_is_exact() {
    // Isotropic Σ = I_D with N = D features: F is invertible, the model is OLS on x, and
    // E[E_g] = σ² D/(P − D − 1) exactly for Gaussian data at λ = 0 (a closed form of the validation ladder, THEORY §3.3).
    let (d, p) = (20usize, 60usize);
    let task = Task::isotropic(d as f64, 1.0, 0.5).unwrap();
    let m = &random_features(
        &task,
        p,
        &FeatureModel::Isotropic { n: d },
        &[0.0],
        30,
        4,
        3,
    )
    .unwrap()[0];
    let exact = 0.5 * d as f64 / (p - d - 1) as f64;
    let label = format!("OLS limit E_g ({m:?})");
    assert_mc(&label, exact, &m.test_error, 0.0);
    // All of it is noise: no bias, no feature variance.
    assert!(m.bias2.mean.abs() < ROUNDING_ABS && m.var_features.mean.abs() < ROUNDING_ABS);
}

#[test]
fn simulator_error_paths() {
    let task = Task::power_law(ALPHA, R, Some(20), SIGMA2).unwrap();
    let iso = FeatureModel::Isotropic { n: 10 };
    let l = [0.1];
    assert!(matches!(
        random_features(&task, 0, &iso, &l, 3, 3, 0),
        Err(Error::InvalidParameter { .. })
    ));
    assert!(matches!(
        random_features(&task, 10, &iso, &l, 2, 3, 0),
        Err(Error::InvalidParameter { .. })
    ));
    assert!(matches!(
        random_features(&task, 10, &iso, &l, 3, 2, 0),
        Err(Error::InvalidParameter { .. })
    ));
    assert!(matches!(
        random_features(&task, 10, &iso, &[], 3, 3, 0),
        Err(Error::Empty { .. })
    ));
    assert!(matches!(
        random_features(&task, 10, &iso, &[-1.0], 3, 3, 0),
        Err(Error::InvalidParameter { .. })
    ));
    assert!(matches!(
        random_features(&task, 10, &iso, &[f64::NAN], 3, 3, 0),
        Err(Error::NonFinite { .. })
    ));
    assert!(matches!(
        random_features(&task, 10, &FeatureModel::Isotropic { n: 0 }, &l, 3, 3, 0),
        Err(Error::InvalidParameter { .. })
    ));
    assert!(matches!(
        random_features(
            &task,
            10,
            &FeatureModel::Deep { widths: vec![] },
            &l,
            3,
            3,
            0
        ),
        Err(Error::InvalidParameter { .. } | Error::Empty { .. })
    ));
    assert!(matches!(
        random_features(
            &task,
            10,
            &FeatureModel::Deep { widths: vec![5, 0] },
            &l,
            3,
            3,
            0
        ),
        Err(Error::InvalidParameter { .. })
    ));
    assert!(matches!(
        random_features(
            &task,
            10,
            &FeatureModel::ColumnAnisotropic {
                variances: vec![1.0, -1.0]
            },
            &l,
            3,
            3,
            0
        ),
        Err(Error::InvalidParameter { .. })
    ));
    assert!(matches!(
        random_features(
            &task,
            10,
            &FeatureModel::AdditiveNoise { n: 5, s: -1.0 },
            &l,
            3,
            3,
            0
        ),
        Err(Error::InvalidParameter { .. })
    ));
    assert!(matches!(
        random_features(
            &task,
            10,
            &FeatureModel::InputStructured {
                n: 5,
                omega: DMatrix::identity(3, 3)
            },
            &l,
            3,
            3,
            0
        ),
        Err(Error::LengthMismatch { .. })
    ));
    let mut bad = DMatrix::<f64>::identity(20, 20);
    bad[(0, 0)] = -1.0;
    assert!(matches!(
        random_features(
            &task,
            10,
            &FeatureModel::InputStructured { n: 5, omega: bad },
            &l,
            3,
            3,
            0
        ),
        Err(Error::NotPositiveSemiDefinite { .. })
    ));
    let frac = Task::with_target_power(
        detridge::Spectrum::with_multiplicities(&[1.0], &[2.5]).unwrap(),
        &[1.0],
        0.1,
    )
    .unwrap();
    assert!(matches!(
        random_features(&frac, 10, &iso, &l, 3, 3, 0),
        Err(Error::Unsupported(_))
    ));
    let huge = Task::isotropic(30_000.0, 1.0, 0.1).unwrap();
    assert!(matches!(
        random_features(&huge, 10, &iso, &l, 3, 3, 0),
        Err(Error::Unsupported(_))
    ));
    if let Ok(infinite) = Task::power_law(ALPHA, R, None, SIGMA2) {
        assert!(matches!(
            random_features(&infinite, 10, &iso, &l, 3, 3, 0),
            Err(Error::Unsupported(_))
        ));
    }
}

/// The random-feature simulator is bit-identical across runs and thread counts (issue #3
/// item 4): draws are seeded per index and every dense kernel inside a pair is sequential.
#[test]
fn simulator_is_identical_across_thread_counts() {
    let task = Task::power_law(ALPHA, R, Some(60), SIGMA2).unwrap();
    let model = FeatureModel::Isotropic { n: 40 };
    let bits = |v: &[RfEstimates]| -> Vec<u64> {
        v.iter()
            .flat_map(|e| {
                [
                    e.test_error,
                    e.train_error,
                    e.bias2,
                    e.var_features,
                    e.var_data_features,
                ]
                .into_iter()
                .flat_map(|x| [x.mean.to_bits(), x.std_err.to_bits()])
            })
            .collect()
    };
    let go = |threads: usize| {
        rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap()
            .install(|| random_features(&task, 50, &model, &LAMBDAS, 4, 3, 11).unwrap())
    };
    let (a, b) = (go(1), go(3));
    assert_eq!(bits(&a), bits(&b));
    assert_eq!(
        bits(&a),
        bits(&random_features(&task, 50, &model, &LAMBDAS, 4, 3, 11).unwrap())
    );
    assert_ne!(
        bits(&a),
        bits(&random_features(&task, 50, &model, &LAMBDAS, 4, 3, 12).unwrap())
    );
}
