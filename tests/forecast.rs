//! Validation of `detridge::forecast` (THEORY §16): forecasts from synthetic Gaussian data of
//! known power-law tasks against the true task's theory, bad inputs, and back-tests on
//! real data shipped by `linfa-datasets`.
//!
//! The true task's theory (`Task::ridge`, `Task::optimal_ridge` on `Task::power_law`) is
//! itself checked against simulation in `tests/power_law.rs` and `tests/montecarlo_ridge.rs`.
//!
//! The full grid of the issue (α ∈ {1.2, 1.5, 2}, r ∈ {0.3, 0.7}, σ² ∈ {0, 0.1},
//! D ∈ {10³, 10⁴}, P₀ ∈ {200, 1000}) is heavy and `#[ignore]`d:
//! `cargo test --release --test forecast -- --ignored --nocapture` prints its table.
#![allow(clippy::print_stdout)]

use std::time::Instant;

use detridge::estimate::Forecast;
use detridge::forecast::{ForecastParams, backtest};
use detridge::montecarlo::rng_for;
use detridge::{Error, Task};
use nalgebra::{DMatrix, DVector};
use rand::RngExt;
use rand_distr::StandardNormal;

/// Targets of the issue: median relative forecast error and coverage of the 90% band.
const MEDIAN_TARGET: f64 = 0.10;
const COVERAGE_TARGET: f64 = 0.80;
/// Regression guard of the small grid's median relative error (measured 0.14 / 0.24 at
/// 4P₀ / 16P₀; see `synthetic_forecasts_small_grid_coverage`). Not the target.
const MEDIAN_GUARD: f64 = 0.35;
/// Fixed ridge of the second compared quantity (the tasks have `s₁ = 1`).
const LAMBDA_FIXED: f64 = 1e-3;

/// One synthetic task family.
#[derive(Debug, Clone, Copy)]
struct Case {
    alpha: f64,
    r: f64,
    noise: f64,
    d: usize,
    p0: usize,
}

/// A Gaussian sample of the power-law task of `case`: `x ~ N(0, diag(k^{−α}))`,
/// `y = x·w̄ + ε`, with `w̄_k² ∝ k^{−1−α(2r−1)}` and `w̄ᵀΣw̄ = 1` (THEORY §7.1).
fn sample(case: &Case, seed: u64, rep: u64) -> (DMatrix<f64>, DVector<f64>) {
    let mut rng = rng_for(seed, rep);
    let s: Vec<f64> = (1..=case.d).map(|k| (k as f64).powf(-case.alpha)).collect();
    let w2: Vec<f64> = (1..=case.d)
        .map(|k| (k as f64).powf(-1.0 - case.alpha * (2.0 * case.r - 1.0)))
        .collect();
    let signal: f64 = s.iter().zip(&w2).map(|(a, b)| a * b).sum();
    let w = DVector::from_iterator(case.d, w2.iter().map(|v| (v / signal).sqrt()));
    let sd: Vec<f64> = s.iter().map(|v| v.sqrt()).collect();
    let x = DMatrix::from_fn(case.p0, case.d, |_, k| {
        sd[k] * rng.sample::<f64, _>(StandardNormal)
    });
    let noise = DVector::from_fn(case.p0, |_, _| {
        case.noise.sqrt() * rng.sample::<f64, _>(StandardNormal)
    });
    let y = &x * &w + noise;
    (x, y)
}

/// Relative errors and band hits for one horizon: `[optimal E_g, E_g at LAMBDA_FIXED]`.
#[derive(Debug, Default, Clone)]
struct Tally {
    rel: Vec<f64>,
    hits: usize,
    n: usize,
}

impl Tally {
    fn push(&mut self, band: detridge::estimate::Band, truth: f64) {
        self.rel.push((band.value / truth - 1.0).abs());
        self.hits += usize::from(band.contains(truth));
        self.n += 1;
    }
    fn merge(&mut self, o: &Tally) {
        self.rel.extend_from_slice(&o.rel);
        self.hits += o.hits;
        self.n += o.n;
    }
    fn median(&self) -> f64 {
        let mut v = self.rel.clone();
        v.sort_by(f64::total_cmp);
        let n = v.len();
        if n % 2 == 1 {
            v[n / 2]
        } else {
            0.5 * (v[n / 2 - 1] + v[n / 2])
        }
    }
    fn coverage(&self) -> f64 {
        self.hits as f64 / self.n as f64
    }
}

/// Forecasts at `4P₀` and `16P₀` over `reps` samples of `case`: one tally per horizon.
fn run_case(case: &Case, reps: u64, resamples: usize, seed: u64) -> ([Tally; 2], Vec<String>) {
    let truth = Task::power_law(case.alpha, case.r, Some(case.d), case.noise).unwrap();
    let horizons = [4.0 * case.p0 as f64, 16.0 * case.p0 as f64];
    let true_opt: Vec<f64> = horizons
        .iter()
        .map(|&p| truth.optimal_ridge(p).unwrap().theory.test_error)
        .collect();
    let true_fix: Vec<f64> = horizons
        .iter()
        .map(|&p| truth.ridge(p, LAMBDA_FIXED).unwrap().test_error)
        .collect();
    let mut tallies = [Tally::default(), Tally::default()];
    let mut families = Vec::new();
    let params = ForecastParams {
        resamples,
        seed: seed ^ 0x5eed,
        ..Default::default()
    };
    for rep in 0..reps {
        let (x, y) = sample(case, seed, rep);
        let f = Forecast::fit_with(&x, &y, &params).unwrap();
        families.push(format!("{:?}", f.report().goodness_of_fit.family));
        for (h, &p) in horizons.iter().enumerate() {
            tallies[h].push(f.optimal(p).unwrap().test_error, true_opt[h]);
            tallies[h].push(f.test_error(p, LAMBDA_FIXED).unwrap(), true_fix[h]);
        }
    }
    (tallies, families)
}

/// A small grid: three task families at `D = 10³`, `P₀ = 200`, 8 samples each, two
/// horizons, two quantities each (48 forecasts per horizon).
///
/// Asserted: the 90% band covers the true task's theory in at least 80% of the forecasts
/// (the calibration target; binomial SE of the coverage at n = 48 is ≈ 4%).
///
/// NOT met, and therefore not asserted as such: the median relative error ≤ 10%.
/// Measured here (seeds as in the code): 14% at 4P₀ and 24% at 16P₀. The spectrum is
/// recovered well (α within ≈ 0.01, scale within a few %); the error comes from the source
/// exponent `r`, which the GCV curve of 200 noisy rows pins down only to about ±0.3. The
/// median is checked against `MEDIAN_GUARD`, a regression guard at the measured level
/// plus margin, which says nothing about the target.
#[test]
fn synthetic_forecasts_small_grid_coverage() {
    let t0 = Instant::now();
    let cases = [
        Case {
            alpha: 1.5,
            r: 0.7,
            noise: 0.1,
            d: 1000,
            p0: 200,
        },
        Case {
            alpha: 2.0,
            r: 0.3,
            noise: 0.0,
            d: 1000,
            p0: 200,
        },
        Case {
            alpha: 1.2,
            r: 0.7,
            noise: 0.1,
            d: 1000,
            p0: 200,
        },
    ];
    let mut all = [Tally::default(), Tally::default()];
    for (i, case) in cases.iter().enumerate() {
        let (t, fam) = run_case(case, 8, 32, 100 + i as u64);
        println!(
            "{case:?}: 4P0 median {:.3} cover {:.2} | 16P0 median {:.3} cover {:.2} | {fam:?}",
            t[0].median(),
            t[0].coverage(),
            t[1].median(),
            t[1].coverage()
        );
        all[0].merge(&t[0]);
        all[1].merge(&t[1]);
    }
    println!("small grid: {:.1} s", t0.elapsed().as_secs_f64());
    for (h, name) in ["4P0", "16P0"].iter().enumerate() {
        let (med, cov) = (all[h].median(), all[h].coverage());
        println!(
            "{name}: median relative error {med:.3}, coverage {cov:.2} (n = {})",
            all[h].n
        );
        if med > MEDIAN_TARGET {
            println!("{name}: the median target {MEDIAN_TARGET} is not met");
        }
        assert!(med <= MEDIAN_GUARD, "{name}: median relative error {med}");
        assert!(cov >= COVERAGE_TARGET, "{name}: coverage {cov}");
    }
}

/// The whole grid of the issue; prints one line per task family.
/// Run: `cargo test --release --test forecast -- --ignored --nocapture full_grid`.
#[test]
#[ignore = "heavy: the full validation grid (minutes)"]
fn synthetic_forecasts_full_grid() {
    let reps: u64 = std::env::var("FORECAST_REPS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(6);
    println!(
        "| alpha | r | sigma2 | D | P0 | 4P0 median | 4P0 coverage | 16P0 median | 16P0 coverage | families | seconds |"
    );
    println!("|---|---|---|---|---|---|---|---|---|---|---|");
    let mut all = [Tally::default(), Tally::default()];
    let mut seed = 1000;
    // FORECAST_P0 / FORECAST_D restrict the grid to one size (e.g. `FORECAST_P0=200`).
    let only = |var: &str, v: usize| std::env::var(var).map_or(true, |s| s == v.to_string());
    for &p0 in &[200usize, 1000] {
        for &d in &[1000usize, 10_000] {
            if !only("FORECAST_P0", p0) || !only("FORECAST_D", d) {
                continue;
            }
            for &alpha in &[1.2, 1.5, 2.0] {
                for &r in &[0.3, 0.7] {
                    for &noise in &[0.0, 0.1] {
                        seed += 1;
                        let case = Case {
                            alpha,
                            r,
                            noise,
                            d,
                            p0,
                        };
                        let t0 = Instant::now();
                        let (t, fam) = run_case(&case, reps, 32, seed);
                        let np = fam.iter().filter(|f| *f != "PowerLaw").count();
                        println!(
                            "| {alpha} | {r} | {noise} | {d} | {p0} | {:.3} | {:.2} | {:.3} | {:.2} | {}/{} non-PL | {:.0} |",
                            t[0].median(),
                            t[0].coverage(),
                            t[1].median(),
                            t[1].coverage(),
                            np,
                            fam.len(),
                            t0.elapsed().as_secs_f64()
                        );
                        all[0].merge(&t[0]);
                        all[1].merge(&t[1]);
                    }
                }
            }
        }
    }
    for (h, name) in ["4P0", "16P0"].iter().enumerate() {
        println!(
            "all {name}: median {:.3}, coverage {:.2} (n = {})",
            all[h].median(),
            all[h].coverage(),
            all[h].n
        );
    }
}

/// Every bad input is a clear error.
#[test]
fn bad_inputs_are_errors() {
    let x = DMatrix::from_fn(10, 4, |i, j| ((i * 7 + j * 3) % 5) as f64 - 2.0);
    let y = DVector::from_fn(10, |i, _| i as f64);
    // P₀ < 3.
    let r = Forecast::fit(&x.rows(0, 2).into_owned(), &y.rows(0, 2).into_owned());
    assert!(matches!(r, Err(Error::InvalidParameter { .. })), "{r:?}");
    // D = 0.
    let r = Forecast::fit(&DMatrix::zeros(10, 0), &y);
    assert!(matches!(r, Err(Error::Empty { .. })), "{r:?}");
    // Mismatched lengths.
    let r = Forecast::fit(&x, &DVector::zeros(9));
    assert!(matches!(r, Err(Error::LengthMismatch { .. })), "{r:?}");
    // NaN and infinity.
    let mut xn = x.clone();
    xn[(3, 1)] = f64::NAN;
    assert!(matches!(
        Forecast::fit(&xn, &y),
        Err(Error::NonFinite { .. })
    ));
    let mut yn = y.clone();
    yn[2] = f64::INFINITY;
    assert!(matches!(
        Forecast::fit(&x, &yn),
        Err(Error::NonFinite { .. })
    ));
    // Constant y.
    let r = Forecast::fit(&x, &DVector::from_element(10, 3.0));
    assert!(matches!(r, Err(Error::InvalidParameter { .. })), "{r:?}");
    // Bad parameters.
    let bad = ForecastParams {
        level: 1.5,
        ..Default::default()
    };
    assert!(matches!(
        Forecast::fit_with(&x, &y, &bad),
        Err(Error::InvalidParameter { .. })
    ));
    let bad = ForecastParams {
        families: vec![],
        ..Default::default()
    };
    assert!(matches!(
        Forecast::fit_with(&x, &y, &bad),
        Err(Error::Empty { .. })
    ));
    let bad = ForecastParams {
        resamples: 1,
        ..Default::default()
    };
    assert!(matches!(
        Forecast::fit_with(&x, &y, &bad),
        Err(Error::InvalidParameter { .. })
    ));
    // Back-test sizes.
    let bt = backtest(&x, &y, 10, &[], &ForecastParams::default());
    assert!(matches!(bt, Err(Error::InvalidParameter { .. })), "{bt:?}");
}

/// Same seed, same bands (parallel resampling is reproducible).
#[test]
fn forecast_is_reproducible() {
    let case = Case {
        alpha: 1.5,
        r: 0.5,
        noise: 0.1,
        d: 200,
        p0: 120,
    };
    let (x, y) = sample(&case, 7, 0);
    let params = ForecastParams {
        resamples: 8,
        seed: 3,
        ..Default::default()
    };
    let a = Forecast::fit_with(&x, &y, &params).unwrap();
    let b = Forecast::fit_with(&x, &y, &params).unwrap();
    assert_eq!(
        a.test_error(1000.0, 1e-3).unwrap(),
        b.test_error(1000.0, 1e-3).unwrap()
    );
    assert_eq!(a.report(), b.report());
}

/// Centre the columns of `x` and `y` (the ridge has no intercept), and scale `x`'s columns
/// to unit variance.
fn standardise(mut x: DMatrix<f64>, mut y: DVector<f64>) -> (DMatrix<f64>, DVector<f64>) {
    let n = x.nrows() as f64;
    for mut c in x.column_iter_mut() {
        let m = c.sum() / n;
        c.add_scalar_mut(-m);
        let sd = (c.norm_squared() / (n - 1.0)).sqrt();
        if sd > 0.0 {
            c /= sd;
        }
    }
    let m = y.sum() / n;
    y.add_scalar_mut(-m);
    (x, y)
}

fn backtest_table(name: &str, x: &DMatrix<f64>, y: &DVector<f64>, p1s: &[usize]) -> Vec<f64> {
    let params = ForecastParams {
        resamples: 32,
        ..Default::default()
    };
    let mut errs = Vec::new();
    for &p1 in p1s {
        let t0 = Instant::now();
        let bt = backtest(x, y, p1, &[], &params).unwrap();
        for row in &bt.rows {
            println!(
                "{name}: P1 = {p1} -> P0 = {}: family {:?}, lambda {:.3e}: predicted {:.4} [{:.4}, {:.4}], \
                 LOO measured {:.4} ± {:.4}, rel. error {:+.3} ({:.1} s)",
                bt.p0,
                bt.family,
                row.lambda,
                row.predicted.value,
                row.predicted.lower,
                row.predicted.upper,
                row.measured,
                row.measured_std_err,
                row.relative_error,
                t0.elapsed().as_secs_f64()
            );
            errs.push(row.relative_error);
        }
    }
    errs
}

/// Diabetes (linfa-datasets; 441 of the 442 rows: its loader reads the header-less CSV
/// with `has_headers = true` and so drops the first patient). Standardised features,
/// centred target. Back-test from the first 110 and 220 rows to the LOO error of all 441.
///
/// With `D = 10` the power law is a crude model of the spectrum; the test checks the
/// back-test runs and asserts a loose sanity bound (forecast within a factor 1.5 of the
/// measured risk), and prints the numbers.
#[test]
fn backtest_diabetes() {
    let ds = linfa_datasets::diabetes();
    let (n, d) = (ds.records.nrows(), ds.records.ncols());
    assert_eq!((n, d), (441, 10));
    let x = DMatrix::from_fn(n, d, |i, j| ds.records[[i, j]]);
    let y = DVector::from_fn(n, |i, _| ds.targets[i]);
    let (x, y) = standardise(x, y);
    let errs = backtest_table("diabetes", &x, &y, &[110, 220]);
    for e in errs {
        assert!(e.abs() < 0.5, "relative back-test error {e}");
    }
}

/// Red wine quality (linfa-datasets, 1599 × 11): back-test from 200 and 400 rows.
#[test]
fn backtest_winequality() {
    let ds = linfa_datasets::winequality();
    let (n, d) = (ds.records.nrows(), ds.records.ncols());
    assert_eq!((n, d), (1599, 11));
    let x = DMatrix::from_fn(n, d, |i, j| ds.records[[i, j]]);
    let y = DVector::from_fn(n, |i, _| ds.targets[i] as f64);
    let (x, y) = standardise(x, y);
    let errs = backtest_table("winequality", &x, &y, &[200, 400]);
    for e in errs {
        assert!(e.abs() < 0.5, "relative back-test error {e}");
    }
}

/// Diagnostic print of the fitted parameters against the truth for one task family
/// (`FORECAST_CASE="alpha r noise d p0"`, `FORECAST_REPS`).
#[test]
#[ignore = "diagnostic print"]
fn diagnose_case() {
    let v: Vec<f64> = std::env::var("FORECAST_CASE")
        .unwrap_or_else(|_| "1.5 0.7 0.1 1000 200".into())
        .split_whitespace()
        .map(|s| s.parse().unwrap())
        .collect();
    let case = Case {
        alpha: v[0],
        r: v[1],
        noise: v[2],
        d: v[3] as usize,
        p0: v[4] as usize,
    };
    let reps: u64 = std::env::var("FORECAST_REPS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(4);
    let truth = Task::power_law(case.alpha, case.r, Some(case.d), case.noise).unwrap();
    let params = ForecastParams {
        resamples: 16,
        ..Default::default()
    };
    for rep in 0..reps {
        let (x, y) = sample(&case, 1, rep);
        let f = Forecast::fit_with(&x, &y, &params).unwrap();
        let pr = f.parameters();
        let c = &f.report().goodness_of_fit.candidates[0];
        print!(
            "rep {rep}: alpha {:.3} [{:.3},{:.3}] c {:.3} r {:.3} [{:.3},{:.3}] A {:.3} s2 {:.4} df_rms {:.4} risk_rms {:.4} |",
            pr.alpha.unwrap().value,
            pr.alpha.unwrap().lower,
            pr.alpha.unwrap().upper,
            pr.scale.value,
            pr.r.value,
            pr.r.lower,
            pr.r.upper,
            pr.signal.value,
            pr.noise_variance.value,
            c.df_rms.unwrap(),
            c.risk_rms.unwrap()
        );
        for m in [1.0, 4.0, 16.0] {
            let p = m * case.p0 as f64;
            let t = truth.optimal_ridge(p).unwrap().theory.test_error;
            let o = f.optimal(p).unwrap().test_error;
            let tf = truth.ridge(p, LAMBDA_FIXED).unwrap().test_error;
            let e = f.test_error(p, LAMBDA_FIXED).unwrap();
            print!(
                " {m}P0 opt {:.3} [{:.3},{:.3}] fix {:.3} [{:.3},{:.3}]",
                o.value / t,
                o.lower / t,
                o.upper / t,
                e.value / tf,
                e.lower / tf,
                e.upper / tf
            );
        }
        println!();
    }
}
