//! The linear-ridge simulator (`montecarlo::ridge`): against exact finite-sample facts,
//! for reproducibility, for its error paths, and the theory (THEORY §2–§3) against it.
//!
//! Default run (a representative subset at D = 500, a few seconds in release):
//!     cargo test --release --test montecarlo ridge::
//! Full grid (3 spectra × P/D ∈ {0.5, 0.9, 1.1, 2, 4} × λ ∈ {0, 1e-3, 0.1, 1} ×
//! σ² ∈ {0, 0.25}, D = 500, 60 draws; 2–4 minutes on two shared cores):
//!     cargo test --release --test montecarlo ridge:: -- --ignored --nocapture
//!
//! Theory-vs-simulation assertions are `|theory − mean| ≤ MC_SIGMAS·SE + allowance`, with
//! the finite-size allowance `MC_FINITE_SIZE_REL·|theory|` (THEORY §9: gaps ≲ 2–3 % at
//! these sizes) plus a rounding-level absolute term for quantities that vanish exactly.

use crate::common::mc::{assert_mc, check_mc};
use crate::common::tol::*;
use detridge::montecarlo::{self, Estimate, RidgeEstimates};
use detridge::{Error, Spectrum, Task};

const D: usize = 500;
const LAMBDAS: [f64; 4] = [0.0, 1e-3, 0.1, 1.0];

fn isotropic(sigma2: f64) -> Task {
    Task::isotropic(D as f64, 1.0, sigma2).unwrap()
}

fn power_law(sigma2: f64) -> Task {
    Task::power_law(1.5, 0.4, Some(D), sigma2).unwrap()
}

/// Two blocks of `D/2` eigenvalues 1 and 0.1, target power 0.8 and 2.0 (signal
/// `0.8·1 + 2.0·0.1 = 1`).
fn two_block(sigma2: f64) -> Task {
    let half = D as f64 / 2.0;
    let spec = Spectrum::with_multiplicities(&[1.0, 0.1], &[half, half]).unwrap();
    Task::with_target_power(spec, &[0.8, 2.0], sigma2).unwrap()
}

/// `|exact − mean| ≤ MC_SIGMAS·SE` for an exact finite-sample expectation (no allowance).
#[track_caller]
fn assert_exact(what: &str, exact: f64, est: &Estimate) {
    assert_mc(what, exact, est, 0.0);
}

fn bits(e: &Estimate) -> (u64, u64) {
    (e.mean.to_bits(), e.std_err.to_bits())
}

fn all_bits(r: &RidgeEstimates) -> Vec<(u64, u64)> {
    [
        &r.test_error,
        &r.train_error,
        &r.gcv,
        &r.kappa_hat,
        &r.df_hat,
        &r.bias2,
        &r.var_data,
        &r.var_noise,
    ]
    .into_iter()
    .map(bits)
    .collect()
}

// ---------------------------------------------------------------------------------------
// (a) The simulator against exact finite-sample facts.

/// Least squares (λ = 0) with `P > D + 1` on Gaussian data: `E_g = σ² Tr W⁻¹` with
/// `W = ZᵀZ` white Wishart, whatever `Σ`, so `E[E_g] = σ²D/(P−D−1)`; the residual is a
/// `χ²_{P−D}` so `E[E_tr] = σ²(P−D)/P` and `E[GCV] = σ²P/(P−D)`; `df̂ = D` and `κ̂ = 0`
/// exactly; the clean fit recovers `w̄`, so bias² and `Var_X` vanish up to rounding.
#[test]
fn least_squares_matches_exact_finite_sample_moments() {
    let (d, p, sigma2) = (30usize, 80usize, 0.25);
    let tasks = [
        Task::isotropic(d as f64, 1.0, sigma2).unwrap(),
        Task::power_law(1.5, 0.4, Some(d), sigma2).unwrap(),
    ];
    for (t, task) in tasks.iter().enumerate() {
        let mc = montecarlo::ridge(task, p, &[0.0], 400, 11 + t as u64).unwrap();
        let r = &mc[0];
        let (df, pf) = (d as f64, p as f64);
        assert_exact("E_g", sigma2 * df / (pf - df - 1.0), &r.test_error);
        assert_exact("E_tr", sigma2 * (pf - df) / pf, &r.train_error);
        assert_exact("GCV", sigma2 * pf / (pf - df), &r.gcv);
        assert!((r.df_hat.mean - df).abs() < IDENTITY_REL && r.df_hat.std_err < IDENTITY_REL);
        assert!(r.kappa_hat.mean == 0.0 && r.kappa_hat.std_err == 0.0);
        let scale = ROUNDOFF_REL * (task.signal_variance() + sigma2);
        assert!(r.bias2.mean.abs() < scale, "bias² {}", r.bias2.mean);
        assert!(r.var_data.mean.abs() < scale, "Var_X {}", r.var_data.mean);
    }
}

/// Minimum-norm interpolation (λ = 0, `P < D − 1`) with `Σ = I`: the clean fit is the
/// projection of `w̄` on the row space of `X`, a uniformly random `P`-dimensional
/// subspace, so `E ŵ_c = (P/D) w̄`, bias² `= (1−P/D)²|w̄|²`, `Var_X = (P/D)(1−P/D)|w̄|²`;
/// the noise fit gives `E|ŵ_ε|² = σ² Tr E[(ZZᵀ)⁻¹] = σ²P/(D−P−1)`; the fit interpolates
/// (`E_tr = 0`, `df̂ = P`). This checks the U-statistic and jackknife exactly.
#[test]
fn min_norm_interpolation_matches_exact_finite_sample_moments() {
    let (d, p, sigma2) = (60usize, 20usize, 0.25);
    let task = Task::isotropic(d as f64, 1.0, sigma2).unwrap();
    let mc = montecarlo::ridge(&task, p, &[0.0], 400, 5).unwrap();
    let r = &mc[0];
    let q = p as f64 / d as f64;
    let noise = sigma2 * p as f64 / (d as f64 - p as f64 - 1.0);
    assert_exact("bias²", (1.0 - q).powi(2), &r.bias2);
    assert_exact("Var_X", q * (1.0 - q), &r.var_data);
    assert_exact("Var_Xε", noise, &r.var_noise);
    assert_exact("E_g", 1.0 - q + noise, &r.test_error);
    assert!(r.train_error.mean == 0.0);
    assert!((r.df_hat.mean - p as f64).abs() < IDENTITY_REL);
}

/// The decomposition adds up: per draw `E_g = |ŵ_c − w̄|²_Σ + |ŵ_ε|²_Σ`, so the means sum
/// to the total; the clean part does not depend on the noise (same seed ⇒ same `X`), and
/// the noise part scales exactly with `σ²` (`ε = σ·ξ`).
#[test]
fn decomposition_adds_up_and_separates_noise() {
    let p = 150;
    let base = Task::power_law(1.5, 0.4, Some(100), 0.0).unwrap();
    let run = |s2: f64| {
        montecarlo::ridge(&base.with_noise_variance(s2).unwrap(), p, &LAMBDAS, 8, 3).unwrap()
    };
    let (clean, noisy, unit) = (run(0.0), run(0.25), run(1.0));
    for ((c, n), u) in clean.iter().zip(&noisy).zip(&unit) {
        for r in [c, n, u] {
            let sum = r.bias2.mean + r.var_data.mean + r.var_noise.mean;
            assert!((sum - r.test_error.mean).abs() <= IDENTITY_REL * r.test_error.mean);
        }
        assert!(c.var_noise.mean == 0.0);
        assert_eq!(bits(&c.bias2), bits(&n.bias2));
        assert_eq!(bits(&c.var_data), bits(&n.var_data));
        assert_eq!(bits(&c.kappa_hat), bits(&n.kappa_hat));
        assert!(
            (0.25 * u.var_noise.mean - n.var_noise.mean).abs() <= IDENTITY_REL * n.var_noise.mean
        );
    }
}

/// Identical results across runs and thread counts (per-draw ChaCha8 streams, sequential
/// per-draw linear algebra, draw-ordered reductions).
#[test]
fn reproducible_across_runs_and_thread_counts() {
    let small = Task::with_target_power(
        Spectrum::with_multiplicities(&[1.0, 0.1], &[40.0, 40.0]).unwrap(),
        &[0.8, 2.0],
        0.25,
    )
    .unwrap();
    for p in [50, 120] {
        let go = |threads: usize| {
            rayon::ThreadPoolBuilder::new()
                .num_threads(threads)
                .build()
                .unwrap()
                .install(|| montecarlo::ridge(&small, p, &LAMBDAS, 7, 42).unwrap())
        };
        let a = go(1);
        let b = go(3);
        let c = montecarlo::ridge(&small, p, &LAMBDAS, 7, 42).unwrap();
        for ((x, y), z) in a.iter().zip(&b).zip(&c) {
            assert_eq!(all_bits(x), all_bits(y));
            assert_eq!(all_bits(x), all_bits(z));
        }
        let other = montecarlo::ridge(&small, p, &LAMBDAS, 7, 43).unwrap();
        assert_ne!(all_bits(&a[2]), all_bits(&other[2]), "the seed must matter");
    }
}

/// The jackknife standard errors of bias² and `Var_X` (and `sd/√n` of `E_g`) describe the
/// actual spread of the estimates: over `K = 60` independent seeds the standard deviation
/// of the estimates matches the average reported standard error. With 60 seeds the ratio
/// of the two has a relative spread of about `1/√(2·59) ≈ 9 %`, so [0.65, 1.5] is a ~4σ
/// band.
#[test]
fn standard_errors_match_the_spread_over_seeds() {
    let task = Task::isotropic(40.0, 1.0, 0.25).unwrap();
    let runs: Vec<RidgeEstimates> = (0..60)
        .map(|seed| montecarlo::ridge(&task, 30, &[0.1], 10, 500 + seed).unwrap()[0])
        .collect();
    let check = |what: &str, pick: fn(&RidgeEstimates) -> Estimate| {
        let means: Vec<f64> = runs.iter().map(|r| pick(r).mean).collect();
        let spread = Estimate::from_samples(&means).std_err * (means.len() as f64).sqrt();
        let reported = runs.iter().map(|r| pick(r).std_err).sum::<f64>() / runs.len() as f64;
        let ratio = spread / reported;
        eprintln!("{what}: spread/SE = {ratio:.3}");
        assert!(
            (0.65..=1.5).contains(&ratio),
            "{what}: spread over seeds {spread:.3e}, mean reported SE {reported:.3e}"
        );
    };
    check("bias²", |r| r.bias2);
    check("Var_X", |r| r.var_data);
    check("E_g", |r| r.test_error);
}

// ---------------------------------------------------------------------------------------
// Error paths.

#[test]
fn rejects_bad_input() {
    let task = Task::isotropic(10.0, 1.0, 0.1).unwrap();
    let err = |r: detridge::Result<Vec<RidgeEstimates>>| r.unwrap_err();
    assert!(matches!(
        err(montecarlo::ridge(&task, 0, &[0.1], 5, 1)),
        Error::InvalidParameter { name: "p", .. }
    ));
    assert!(matches!(
        err(montecarlo::ridge(&task, 20, &[0.1], 2, 1)),
        Error::InvalidParameter { name: "draws", .. }
    ));
    assert!(matches!(
        err(montecarlo::ridge(&task, 20, &[0.1, -1e-3], 5, 1)),
        Error::InvalidParameter { name: "lambda", .. }
    ));
    assert!(matches!(
        err(montecarlo::ridge(&task, 20, &[f64::NAN], 5, 1)),
        Error::NonFinite { what: "lambda", .. }
    ));
    assert!(matches!(
        err(montecarlo::ridge(&task, 20, &[f64::INFINITY], 5, 1)),
        Error::NonFinite { what: "lambda", .. }
    ));
    assert!(matches!(
        err(montecarlo::ridge(&task, 20, &[], 5, 1)),
        Error::Empty { what: "lambdas" }
    ));
    // P·D beyond MAX_DESIGN_ENTRIES.
    let wide = Task::isotropic(20_000.0, 1.0, 0.1).unwrap();
    assert!(matches!(
        err(montecarlo::ridge(&wide, 10_000, &[0.1], 5, 1)),
        Error::InvalidParameter { name: "p", .. }
    ));
}

#[test]
fn rejects_tasks_it_cannot_expand() {
    let err = |t: &Task| montecarlo::ridge(t, 20, &[0.1], 5, 1).unwrap_err();
    // An infinite-D power law (checked once its constructor lands in `spectrum`; today
    // the constructor itself returns `Unsupported`).
    if let Ok(infinite) = Task::power_law(1.5, 0.4, None, 0.1) {
        assert!(matches!(err(&infinite), Error::Unsupported(_)));
    }
    let huge = Task::isotropic(1e6, 1.0, 0.1).unwrap();
    assert!(matches!(err(&huge), Error::Unsupported(_)));
    let fractional = Task::with_target_power(
        Spectrum::with_multiplicities(&[1.0, 0.5], &[10.0, 2.5]).unwrap(),
        &[1.0, 1.0],
        0.1,
    )
    .unwrap();
    assert!(matches!(err(&fractional), Error::Unsupported(_)));
}

// ---------------------------------------------------------------------------------------
// (b) Theory against the simulator.

/// Largest |z| seen per quantity (for the report).
#[derive(Default)]
struct Worst([(f64, String); 7]);

const NAMES: [&str; 7] = ["kappa", "E_g", "E_tr", "GCV", "bias2", "Var_X", "Var_Xeps"];

/// Compares every theory quantity with the simulation of one (task, P) over the λ grid;
/// returns the failures (as messages) so a grid reports all of them at once.
fn compare(
    label: &str,
    task: &Task,
    p: usize,
    draws: usize,
    seed: u64,
    worst: &mut Worst,
) -> Vec<String> {
    let mc = montecarlo::ridge(task, p, &LAMBDAS, draws, seed).unwrap();
    let scale = task.signal_variance() + task.noise_variance();
    let mut failures = Vec::new();
    for r in &mc {
        let t = task.ridge(p as f64, r.lambda).unwrap();
        let pairs = [
            (t.kappa, &r.kappa_hat),
            (t.test_error, &r.test_error),
            (t.train_error, &r.train_error),
            // GCV estimates the noisy test risk E_g + σ² (THEORY §3.2).
            (t.gcv, &r.gcv),
            (t.bias2, &r.bias2),
            (t.var_data, &r.var_data),
            (t.var_noise, &r.var_noise),
        ];
        for (k, (theory, est)) in pairs.into_iter().enumerate() {
            // Finite-size allowance (THEORY §9: ≲ 2–3 % at D = 500) plus rounding for
            // quantities that vanish exactly (bias² and Var_X of least squares).
            let allowance = MC_FINITE_SIZE_REL * theory.abs() + ROUNDOFF_REL * scale;
            let dev = (theory - est.mean).abs();
            let z = if est.std_err > 0.0 {
                dev / est.std_err
            } else {
                0.0
            };
            let ctx = format!("{label} P={p} λ={}", r.lambda);
            // Rounding-level agreement (both ≈ 0) says nothing about z: not recorded.
            if dev > ROUNDOFF_REL * scale && z > worst.0[k].0 {
                worst.0[k] = (z, format!("{ctx}, rel gap {:.4}", dev / theory.abs()));
            }
            let rel = dev / theory.abs();
            if let Err(msg) = check_mc(
                &format!("{ctx} {}", NAMES[k]),
                theory,
                est,
                allowance,
                MC_SIGMAS,
            ) {
                failures.push(format!("{msg} (rel = {rel:.4})"));
            }
        }
    }
    failures
}

fn report(worst: &Worst) {
    for (k, (z, ctx)) in worst.0.iter().enumerate() {
        eprintln!("largest |z| for {:<9} {z:6.2}  ({ctx})", NAMES[k]);
    }
}

/// A representative subset of the grid (every spectrum, both sides of `P = D`, near the
/// interpolation threshold, every λ, noisy and noiseless).
#[test]
fn theory_matches_simulation_subset() {
    let cases: [(&str, Task, usize); 4] = [
        ("isotropic σ²=0.25", isotropic(0.25), D / 2),
        ("power law σ²=0.25", power_law(0.25), 2 * D),
        ("two-block σ²=0.25", two_block(0.25), 9 * D / 10),
        ("power law σ²=0", power_law(0.0), 11 * D / 10),
    ];
    let mut worst = Worst::default();
    let mut failures = Vec::new();
    for (i, (label, task, p)) in cases.iter().enumerate() {
        failures.extend(compare(label, task, *p, 40, 100 + i as u64, &mut worst));
    }
    report(&worst);
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// The full grid of the issue: isotropic, power-law (α = 1.5, r = 0.4) and two-block
/// spectra at D = 500, P/D ∈ {0.5, 0.9, 1.1, 2, 4}, λ ∈ {0, 1e-3, 0.1, 1},
/// σ² ∈ {0, 0.25}, for κ̂, E_g, E_tr, GCV, bias², Var_X and Var_Xε.
#[test]
#[ignore = "full Monte Carlo grid (2–4 minutes in release): run with --ignored"]
fn theory_matches_simulation_full_grid() {
    let mut worst = Worst::default();
    let mut failures = Vec::new();
    let mut seed = 1000;
    for sigma2 in [0.0, 0.25] {
        let tasks = [
            ("isotropic", isotropic(sigma2)),
            ("power law", power_law(sigma2)),
            ("two-block", two_block(sigma2)),
        ];
        for (name, task) in &tasks {
            for ratio in [0.5, 0.9, 1.1, 2.0, 4.0] {
                let p = (ratio * D as f64).round() as usize;
                let label = format!("{name} σ²={sigma2}");
                seed += 1;
                failures.extend(compare(&label, task, p, 60, seed, &mut worst));
            }
        }
    }
    report(&worst);
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
