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
use detridge::forecast::{ForecastParams, TargetFit, backtest, backtest_shuffled};
use detridge::montecarlo::rng_for;
use detridge::{Error, Task};
use nalgebra::{DMatrix, DVector};
use rand::RngExt;
use rand_distr::StandardNormal;

/// Targets of the issue: median relative forecast error and coverage of the 90% band.
const MEDIAN_TARGET: f64 = 0.10;
const COVERAGE_TARGET: f64 = 0.80;
/// Relative-error floor as a fraction of the label variance `Var y = 1 + σ²` (see [`Tally`]).
const REL_FLOOR: f64 = 1e-6;
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
///
/// The relative error is `|forecast − truth| / max(truth, REL_FLOOR·Var y)`, the floor fixed
/// up front at `10⁻⁶` of the label variance: for `σ² = 0` and `P > D` the true tuned error
/// is exactly 0 (λ* → 0 interpolates a noiseless target), so `|f/t − 1|` is undefined, and
/// just below `P = D` it is `10⁻⁸`-small for steep tasks; an error below `10⁻⁶ Var y` is
/// beneath the precision labels are recorded to (six significant digits). `floored`
/// counts the forecasts where the floor was active, and the summaries also give the
/// median over the other forecasts alone.
#[derive(Debug, Default, Clone)]
struct Tally {
    rel: Vec<f64>,
    /// Whether the floor was active for the matching entry of `rel`.
    at_floor: Vec<bool>,
    hits: usize,
    n: usize,
    floored: usize,
}

impl Tally {
    fn push(&mut self, band: detridge::estimate::Band, truth: f64, var_y: f64) {
        let floor = REL_FLOOR * var_y;
        self.rel.push((band.value - truth).abs() / truth.max(floor));
        self.hits += usize::from(band.contains(truth));
        self.floored += usize::from(truth < floor);
        self.at_floor.push(truth < floor);
        self.n += 1;
    }
    fn merge(&mut self, o: &Tally) {
        self.rel.extend_from_slice(&o.rel);
        self.at_floor.extend_from_slice(&o.at_floor);
        self.hits += o.hits;
        self.n += o.n;
        self.floored += o.floored;
    }
    fn median(&self) -> f64 {
        median(self.rel.clone())
    }
    /// Median over the forecasts whose truth is above the floor only.
    fn median_above_floor(&self) -> f64 {
        median(
            self.rel
                .iter()
                .zip(&self.at_floor)
                .filter(|(_, f)| !**f)
                .map(|(r, _)| *r)
                .collect(),
        )
    }
    fn coverage(&self) -> f64 {
        self.hits as f64 / self.n as f64
    }
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    let n = v.len();
    if n == 0 {
        f64::NAN
    } else if n % 2 == 1 {
        v[n / 2]
    } else {
        0.5 * (v[n / 2 - 1] + v[n / 2])
    }
}

/// The target estimator: the default, or `FORECAST_TARGET=risk` for
/// [`TargetFit::RiskCurve`] (to compare the two on the grids below).
fn target_fit() -> TargetFit {
    match std::env::var("FORECAST_TARGET").as_deref() {
        Ok("risk") => TargetFit::RiskCurve,
        _ => ForecastParams::default().target,
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
        target: target_fit(),
        ..Default::default()
    };
    for rep in 0..reps {
        let (x, y) = sample(case, seed, rep);
        let f = Forecast::fit_with(&x, &y, &params).unwrap();
        families.push(format!("{:?}", f.report().goodness_of_fit.family));
        for (h, &p) in horizons.iter().enumerate() {
            let var_y = 1.0 + case.noise;
            tallies[h].push(f.optimal(p).unwrap().test_error, true_opt[h], var_y);
            tallies[h].push(f.test_error(p, LAMBDA_FIXED).unwrap(), true_fix[h], var_y);
        }
    }
    (tallies, families)
}

/// A small grid: three task families at `D = 10³`, `P₀ = 200`, 8 samples each, two
/// horizons, two quantities each (48 forecasts per horizon). ≈ 25 s of CPU in release
/// (≈ 50 s wall on 2 busy cores).
///
/// Asserted, the two targets on this grid: the 90% band covers the true task's
/// theory in at least 80% of the forecasts (binomial SE of the coverage at n = 48 is ≈ 4%),
/// and the median relative error (against `max(truth, 10⁻⁶ Var y)`, see [`Tally`]) is at
/// most 10%. Measured with the default [`TargetFit::Projections`]: median 0.068 / 0.056 at
/// 4P₀ / 16P₀, coverage 0.88 / 0.88. With `FORECAST_TARGET=risk` (the risk-curve fit,
/// the default before the projection likelihood) the same grid gives 0.141 / 0.167 and
/// 0.88 / 0.85, and this test fails on the median. The full grid
/// ([`synthetic_forecasts_full_grid`]) still has noisy `P₀ = 200` families above 10%; their
/// Cramér–Rao bound (`src/forecast/projections_tests.rs`) is above it too.
///
/// Diagnostic: `FORECAST_CASES="α r σ² D P₀;…"` replaces the three families, and
/// `FORECAST_TARGET=risk` selects the risk-curve fit (both print, the assertions stay).
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
    let extra: Vec<Case> = std::env::var("FORECAST_CASES").map_or(Vec::new(), |s| {
        s.split(';')
            .map(|c| {
                let v: Vec<f64> = c.split_whitespace().map(|x| x.parse().unwrap()).collect();
                Case {
                    alpha: v[0],
                    r: v[1],
                    noise: v[2],
                    d: v[3] as usize,
                    p0: v[4] as usize,
                }
            })
            .collect()
    });
    let cases: Vec<Case> = if extra.is_empty() {
        cases.to_vec()
    } else {
        extra
    };
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
        assert!(med <= MEDIAN_TARGET, "{name}: median relative error {med}");
        assert!(cov >= COVERAGE_TARGET, "{name}: coverage {cov}");
    }
}

/// The whole grid of the issue; prints one line per task family, one summary per
/// `(P₀, D)` and one overall. `FORECAST_REPS` (default 6) samples per family, 32 resamples
/// each; `FORECAST_P0` / `FORECAST_D` restrict the grid to one size (same seeds as in the
/// full run), `FORECAST_TARGET=risk` uses the risk-curve fit. Cost: 56 min wall (100 min
/// CPU) on 2 cores, of which ≈ 65% is `D = 10⁴`.
/// Run: `cargo test --release --all-features --test forecast -- --ignored --nocapture full_grid`.
///
/// Measured with the default [`TargetFit::Projections`] (6 samples per family, each giving
/// the tuned `E_g` and `E_g` at `λ = 10⁻³` per horizon, so 12 forecasts per cell; medians of
/// |relative error| with the floor of [`Tally`], "at floor" = forecasts at 4P₀ + 16P₀ whose
/// truth is below it). 56 min wall on 2 shared cores.
///
/// | α | r | σ² | D | P₀ | 4P₀ median | 4P₀ coverage | 16P₀ median | 16P₀ coverage | at floor |
/// |---|---|---|---|---|---|---|---|---|---|
/// | 1.2 | 0.3 | 0 | 1000 | 200 | 0.095 | 1.00 | 0.045 | 1.00 | 0+6 |
/// | 1.2 | 0.3 | 0.1 | 1000 | 200 | 0.125 | 0.83 | 0.113 | 0.92 | 0+0 |
/// | 1.2 | 0.7 | 0 | 1000 | 200 | 0.091 | 1.00 | 0.040 | 1.00 | 0+6 |
/// | 1.2 | 0.7 | 0.1 | 1000 | 200 | 0.111 | 0.83 | 0.117 | 0.83 | 0+0 |
/// | 1.5 | 0.3 | 0 | 1000 | 200 | 0.098 | 1.00 | 0.014 | 1.00 | 0+6 |
/// | 1.5 | 0.3 | 0.1 | 1000 | 200 | 0.165 | 1.00 | 0.208 | 1.00 | 0+0 |
/// | 1.5 | 0.7 | 0 | 1000 | 200 | 0.053 | 1.00 | 0.016 | 1.00 | 6+6 |
/// | 1.5 | 0.7 | 0.1 | 1000 | 200 | 0.146 | 0.75 | 0.152 | 0.75 | 0+0 |
/// | 2 | 0.3 | 0 | 1000 | 200 | 0.052 | 1.00 | 0.017 | 1.00 | 0+6 |
/// | 2 | 0.3 | 0.1 | 1000 | 200 | 0.317 | 0.92 | 0.369 | 0.92 | 0+0 |
/// | 2 | 0.7 | 0 | 1000 | 200 | 0.030 | 1.00 | 0.026 | 1.00 | 6+6 |
/// | 2 | 0.7 | 0.1 | 1000 | 200 | 0.091 | 1.00 | 0.096 | 1.00 | 0+0 |
/// | 1.2 | 0.3 | 0 | 10000 | 200 | 0.062 | 1.00 | 0.075 | 1.00 | 0+0 |
/// | 1.2 | 0.3 | 0.1 | 10000 | 200 | 0.184 | 0.92 | 0.215 | 0.92 | 0+0 |
/// | 1.2 | 0.7 | 0 | 10000 | 200 | 0.120 | 1.00 | 0.147 | 1.00 | 0+0 |
/// | 1.2 | 0.7 | 0.1 | 10000 | 200 | 0.104 | 1.00 | 0.109 | 1.00 | 0+0 |
/// | 1.5 | 0.3 | 0 | 10000 | 200 | 0.078 | 1.00 | 0.082 | 1.00 | 0+0 |
/// | 1.5 | 0.3 | 0.1 | 10000 | 200 | 0.116 | 1.00 | 0.196 | 1.00 | 0+0 |
/// | 1.5 | 0.7 | 0 | 10000 | 200 | 0.104 | 1.00 | 0.048 | 1.00 | 0+6 |
/// | 1.5 | 0.7 | 0.1 | 10000 | 200 | 0.090 | 0.92 | 0.104 | 0.92 | 0+0 |
/// | 2 | 0.3 | 0 | 10000 | 200 | 0.026 | 1.00 | 0.027 | 1.00 | 0+0 |
/// | 2 | 0.3 | 0.1 | 10000 | 200 | 0.195 | 1.00 | 0.246 | 1.00 | 0+0 |
/// | 2 | 0.7 | 0 | 10000 | 200 | 0.016 | 0.92 | 0.013 | 0.92 | 6+6 |
/// | 2 | 0.7 | 0.1 | 10000 | 200 | 0.088 | 1.00 | 0.112 | 1.00 | 0+0 |
/// | 1.2 | 0.3 | 0 | 1000 | 1000 | 0.001 | 0.92 | 0.001 | 1.00 | 6+6 |
/// | 1.2 | 0.3 | 0.1 | 1000 | 1000 | 0.040 | 1.00 | 0.044 | 0.92 | 0+0 |
/// | 1.2 | 0.7 | 0 | 1000 | 1000 | 0.003 | 1.00 | 0.002 | 1.00 | 6+6 |
/// | 1.2 | 0.7 | 0.1 | 1000 | 1000 | 0.061 | 0.83 | 0.065 | 0.75 | 0+0 |
/// | 1.5 | 0.3 | 0 | 1000 | 1000 | 0.000 | 1.00 | 0.000 | 1.00 | 6+6 |
/// | 1.5 | 0.3 | 0.1 | 1000 | 1000 | 0.098 | 1.00 | 0.108 | 1.00 | 0+0 |
/// | 1.5 | 0.7 | 0 | 1000 | 1000 | 0.006 | 0.92 | 0.006 | 0.92 | 6+6 |
/// | 1.5 | 0.7 | 0.1 | 1000 | 1000 | 0.077 | 0.83 | 0.100 | 0.83 | 0+0 |
/// | 2 | 0.3 | 0 | 1000 | 1000 | 0.002 | 0.92 | 0.001 | 0.92 | 6+6 |
/// | 2 | 0.3 | 0.1 | 1000 | 1000 | 0.172 | 1.00 | 0.184 | 1.00 | 0+0 |
/// | 2 | 0.7 | 0 | 1000 | 1000 | 0.001 | 1.00 | 0.001 | 1.00 | 6+6 |
/// | 2 | 0.7 | 0.1 | 1000 | 1000 | 0.043 | 1.00 | 0.072 | 1.00 | 0+0 |
/// | 1.2 | 0.3 | 0 | 10000 | 1000 | 0.043 | 0.83 | 0.021 | 0.83 | 0+6 |
/// | 1.2 | 0.3 | 0.1 | 10000 | 1000 | 0.157 | 1.00 | 0.202 | 1.00 | 0+0 |
/// | 1.2 | 0.7 | 0 | 10000 | 1000 | 0.060 | 0.92 | 0.018 | 0.92 | 0+6 |
/// | 1.2 | 0.7 | 0.1 | 10000 | 1000 | 0.044 | 0.92 | 0.039 | 0.92 | 0+0 |
/// | 1.5 | 0.3 | 0 | 10000 | 1000 | 0.018 | 1.00 | 0.007 | 1.00 | 0+6 |
/// | 1.5 | 0.3 | 0.1 | 10000 | 1000 | 0.054 | 1.00 | 0.066 | 1.00 | 0+0 |
/// | 1.5 | 0.7 | 0 | 10000 | 1000 | 0.007 | 0.92 | 0.005 | 0.92 | 6+6 |
/// | 1.5 | 0.7 | 0.1 | 10000 | 1000 | 0.040 | 1.00 | 0.046 | 1.00 | 0+0 |
/// | 2 | 0.3 | 0 | 10000 | 1000 | 0.039 | 1.00 | 0.013 | 1.00 | 0+6 |
/// | 2 | 0.3 | 0.1 | 10000 | 1000 | 0.279 | 0.92 | 0.308 | 0.92 | 0+0 |
/// | 2 | 0.7 | 0 | 10000 | 1000 | 0.002 | 1.00 | 0.002 | 1.00 | 6+6 |
/// | 2 | 0.7 | 0.1 | 10000 | 1000 | 0.038 | 1.00 | 0.061 | 1.00 | 0+0 |
///
/// Per size (144 forecasts per horizon; in brackets the median over forecasts above the
/// floor), against the same grid with [`TargetFit::RiskCurve`] (`FORECAST_TARGET=risk`,
/// the default until the projection likelihood; same seeds):
///
/// | P₀, D | 4P₀ median | 4P₀ coverage | 16P₀ median | 16P₀ coverage | risk curve: 4P₀ / 16P₀ median, coverage |
/// |---|---|---|---|---|---|
/// | 200, 10³ | 0.095 (0.105) | 0.94 | 0.080 (0.114) | 0.95 | 0.123 / 0.099, 0.93 / 0.94 |
/// | 200, 10⁴ | 0.093 (0.098) | 0.98 | 0.108 (0.123) | 0.98 | 0.096 / 0.110, 0.92 / 0.92 |
/// | 1000, 10³ | 0.017 (0.045) | 0.95 | 0.024 (0.050) | 0.94 | 0.025 / 0.026, 0.93 / 0.94 |
/// | 1000, 10⁴ | 0.041 (0.045) | 0.96 | 0.036 (0.050) | 0.96 | 0.037 / 0.041, 0.91 / 0.91 |
/// | all | 0.061 (0.075) | 0.96 | 0.055 (0.080) | 0.96 | 0.057 / 0.059, 0.92 / 0.93 |
///
/// Coverage ≥ 0.94 in every size. The 10% median is met overall and in seven of the eight
/// size × horizon cells; the exception is 16P₀ at `P₀ = 200`, `D = 10⁴` (0.108). The
/// largest misses are the noisy tasks at `P₀ = 200` (α = 2, r = 0.3: 0.20–0.37), whose
/// Cramér–Rao bound under the random-target model of THEORY §16.3 is itself 0.25–0.44
/// (median-equivalent `0.674·SD`, `cramer_rao_of_the_noisy_families` in
/// `src/forecast/projections_tests.rs`). Against the risk curve the projections gain most on
/// noisy tasks with `r = 0.7` (α = 2, `P₀ = 200`, `D = 10³`: 0.33 → 0.09) and lose on α = 1.2,
/// r = 0.3, σ² = 0.1 (`D = 10⁴`: 0.09 → 0.18 at `P₀ = 200`, 0.07 → 0.16 at `P₀ = 1000`): the
/// synthetic targets are exact power laws, whose top projections are nearly deterministic,
/// information the random-target likelihood does not use and the GCV curve does.
///
/// Tried on `P₀ = 200, D = 10³` and not adopted: for the risk-curve fit, weighting it by a
/// model of the GCV noise (GLS 0.144 / 0.177 against unweighted 0.135 / 0.209, with bands
/// up to 13× wide; measured before the floor was introduced) and bagging (0.125 / 0.111,
/// better on the noisy tasks, worse on the noiseless ones); noise from the projections with
/// `r` and `A` from the risk curve (on four families, 8 samples: 0.123 / 0.110 against
/// 0.142 / 0.128 for the projections alone, within the noise of so few samples).
#[test]
#[ignore = "heavy: the full validation grid (tens of minutes on 2 cores)"]
fn synthetic_forecasts_full_grid() {
    let reps: u64 = std::env::var("FORECAST_REPS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(6);
    println!(
        "| alpha | r | sigma2 | D | P0 | 4P0 median | 4P0 coverage | 16P0 median | 16P0 coverage | at floor | families | seconds |"
    );
    println!("|---|---|---|---|---|---|---|---|---|---|---|---|");
    let mut all = [Tally::default(), Tally::default()];
    let mut seed = 1000;
    let only = |var: &str, v: usize| std::env::var(var).map_or(true, |s| s == v.to_string());
    let mut summaries = Vec::new();
    for &p0 in &[200usize, 1000] {
        for &d in &[1000usize, 10_000] {
            if !only("FORECAST_P0", p0) || !only("FORECAST_D", d) {
                seed += 12;
                continue;
            }
            let mut size = [Tally::default(), Tally::default()];
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
                            "| {alpha} | {r} | {noise} | {d} | {p0} | {:.3} | {:.2} | {:.3} | {:.2} | {}+{} | {}/{} non-PL | {:.0} |",
                            t[0].median(),
                            t[0].coverage(),
                            t[1].median(),
                            t[1].coverage(),
                            t[0].floored,
                            t[1].floored,
                            np,
                            fam.len(),
                            t0.elapsed().as_secs_f64()
                        );
                        for h in 0..2 {
                            size[h].merge(&t[h]);
                            all[h].merge(&t[h]);
                        }
                    }
                }
            }
            summaries.push((p0, d, size));
        }
    }
    let line = |name: &str, t: &Tally| {
        format!(
            "{name}: median {:.3} (above floor {:.3}), coverage {:.2} (n = {}, {} at floor)",
            t.median(),
            t.median_above_floor(),
            t.coverage(),
            t.n,
            t.floored
        )
    };
    for (p0, d, size) in &summaries {
        println!(
            "P0 = {p0}, D = {d}: {} | {}",
            line("4P0", &size[0]),
            line("16P0", &size[1])
        );
    }
    println!("all: {} | {}", line("4P0", &all[0]), line("16P0", &all[1]));
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

/// Back-tests from `P₁` rows in a seeded random order ([`backtest_shuffled`], seed 0:
/// data files are often sorted or clustered, so the *first* `P₁` rows need not be a
/// sample of the population that all rows measure). Prints predicted vs measured and
/// whether the measurement is inside the band; returns the relative errors.
fn backtest_table(name: &str, x: &DMatrix<f64>, y: &DVector<f64>, p1s: &[usize]) -> Vec<f64> {
    let params = ForecastParams {
        resamples: 32,
        target: target_fit(),
        ..Default::default()
    };
    let mut errs = Vec::new();
    for &p1 in p1s {
        let t0 = Instant::now();
        let bt = backtest_shuffled(x, y, p1, &[], &params).unwrap();
        for row in &bt.rows {
            println!(
                "{name}: {p1} shuffled rows -> P0 = {}: family {:?}, lambda {:.3e}: predicted {:.4} [{:.4}, {:.4}], \
                 LOO measured {:.4} ± {:.4}, rel. error {:+.3}, {} the band ({:.1} s)",
                bt.p0,
                bt.family,
                row.lambda,
                row.predicted.value,
                row.predicted.lower,
                row.predicted.upper,
                row.measured,
                row.measured_std_err,
                row.relative_error,
                if row.predicted.contains(row.measured) {
                    "inside"
                } else {
                    "OUTSIDE"
                },
                t0.elapsed().as_secs_f64()
            );
            errs.push(row.relative_error);
        }
    }
    errs
}

/// Diabetes (linfa-datasets; 441 of the 442 rows: its loader reads the header-less CSV
/// with `has_headers = true` and so drops the first patient). Standardised features,
/// centred target. Back-test from 110 and 220 rows (seeded random order, see
/// [`backtest_table`]) to the LOO error of all 441.
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

/// Red wine quality (linfa-datasets, 1599 × 11): back-test from 200 and 400 rows (seeded
/// random order: the file is clustered, and its first 200 rows gave −23% outside the band).
/// Loose sanity bound as for diabetes.
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

/// How well can the GCV curve of `P₀` rows determine the forecast at all? A Fisher-type
/// (Gaussian) analysis of one task family (`FORECAST_CASE="alpha r noise d p0"`,
/// `FORECAST_MC` samples, default 120):
/// 1. the relative fluctuation `ρ(λ) = GCV(λ)/(E_g+σ²)_true − 1` of the data's GCV curve
///    on a fixed grid of 24 ridges (those with `γ ≤ 0.9` at `P₀`) is sampled over `FORECAST_MC`
///    seeded data sets; the first half gives its mean (finite-size bias) and covariance `C`
///    (off-diagonal shrunk by 10%);
/// 2. with the spectrum held at the truth (so the answer is a lower bound on the spread),
///    for each `r` on a grid the best `(A, σ² ≥ 0)` is fitted by generalised least squares to
///    the *expected* curve, `χ²(r) = min (ρ_model)ᵀC⁻¹ρ_model`;
/// 3. the `r` with `χ²(r) ≤ 2.71` are those a 90% likelihood-ratio set cannot exclude, and
///    their forecasts (relative to the truth) show the spread any estimator that uses the
///    GCV curve must have. For an efficient estimator with Gaussian errors the median
///    absolute error is `0.674/1.645 ≈ 0.41` times the half-width of that set;
/// 4. two actual estimators, spectrum still at the truth, are run on the other half of the
///    samples: the `r`-grid fit of `(A, σ²)` by unweighted least squares (essentially
///    [`TargetFit::RiskCurve`]) and by GLS with the covariance of step 1 (from the first
///    half).
///
/// This bounds estimators that read the GCV curve only. The default
/// [`TargetFit::Projections`] reads every label projection instead; its own Cramér–Rao
/// bound is `cramer_rao_of_the_noisy_families` in `src/forecast/projections_tests.rs`.
///
/// `FORECAST_GRID="P0 D"` runs the 12 task families of one size and prints the pooled
/// median of step 3's efficient errors.
///
/// Measured (`FORECAST_MC=120`, P₀ = 200, D = 10³, σ² = 0.1), 4P₀ tuned error: α = 1.5,
/// r = 0.7: Fisher set ±0.23 (log) → efficient median 0.095; unweighted LS 0.250, GLS 0.153.
/// α = 2, r = 0.3: Fisher 0.089; LS 0.194; GLS 0.157. So even with the spectrum known
/// exactly, the tuned error of the noisy P₀ = 200 tasks is not forecast to 10% from the
/// GCV curve by these estimators; GLS with the right covariance gains 20–40%. Step 3 is
/// optimistic: the inverse of a covariance estimated from 60 samples in 24 dimensions
/// overstates `χ²` by ≈ 60/(60 − 26) ≈ 1.8, so the set is too narrow by ≈ √1.8; step 4
/// is the direct measurement.
///
/// Cost: `FORECAST_MC` eigendecompositions of `P₀ × P₀` and ~200 theory curves (≈ 30 s for
/// `P₀ = 200, D = 10³`). Run:
/// `FORECAST_CASE="1.5 0.7 0.1 1000 200" cargo test --release --all-features --test forecast -- --ignored --nocapture information_limit`.
#[test]
#[ignore = "diagnostic print (Fisher analysis of the GCV curve)"]
fn information_limit() {
    let n_mc: u64 = std::env::var("FORECAST_MC")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(120);
    let cases: Vec<Case> = if let Ok(g) = std::env::var("FORECAST_GRID") {
        // "P0 D": the 12 task families of that size.
        let v: Vec<usize> = g.split_whitespace().map(|s| s.parse().unwrap()).collect();
        let mut c = Vec::new();
        for &alpha in &[1.2, 1.5, 2.0] {
            for &r in &[0.3, 0.7] {
                for &noise in &[0.0, 0.1] {
                    c.push(Case {
                        alpha,
                        r,
                        noise,
                        d: v[1],
                        p0: v[0],
                    });
                }
            }
        }
        c
    } else {
        let v: Vec<f64> = std::env::var("FORECAST_CASE")
            .unwrap_or_else(|_| "1.5 0.7 0.1 1000 200".into())
            .split_whitespace()
            .map(|s| s.parse().unwrap())
            .collect();
        vec![Case {
            alpha: v[0],
            r: v[1],
            noise: v[2],
            d: v[3] as usize,
            p0: v[4] as usize,
        }]
    };
    // Log-sd of an efficient estimator per quantity, pooled over cases, per horizon.
    let mut sds: [Vec<f64>; 2] = [Vec::new(), Vec::new()];
    for case in &cases {
        let s = fisher_spread(case, n_mc);
        sds[0].extend([s[0], s[1]].iter().filter(|v| v.is_finite()));
        sds[1].extend([s[2], s[3]].iter().filter(|v| v.is_finite()));
    }
    // Pooled median |relative error| of efficient estimators with those log-sds (drawn).
    let mut rng = rng_for(4242, 0);
    for (h, name) in ["4P0", "16P0"].iter().enumerate() {
        let errs: Vec<f64> = sds[h]
            .iter()
            .flat_map(|&sd| {
                (0..2000)
                    .map(|_| (sd * rng.sample::<f64, _>(StandardNormal)).exp_m1().abs())
                    .collect::<Vec<_>>()
            })
            .collect();
        println!(
            "{name}: pooled median |error| of an efficient GCV-curve estimator with the spectrum known: {:.3} ({} quantities above the floor)",
            median(errs),
            sds[h].len()
        );
    }
}

/// The Fisher analysis of one case (see [`information_limit`]): prints it and returns the
/// log-sd `half-width/1.645` of the four forecasts (`NaN` where the truth is below the
/// floor of [`Tally`]).
fn fisher_spread(case: &Case, n_mc: u64) -> [f64; 4] {
    let case = *case;
    let p0 = case.p0 as f64;
    let truth = Task::power_law(case.alpha, case.r, Some(case.d), case.noise).unwrap();
    // Ridges: log grid on [1e-5, 0.5] (s₁ = 1), keeping γ ≤ 0.9 at P₀; 24 of them.
    let cand: Vec<f64> = (0..200)
        .map(|i| (1e-5f64.ln() + (0.5f64 / 1e-5).ln() * i as f64 / 199.0).exp())
        .filter(|&l| truth.ridge(p0, l).is_ok_and(|t| t.gamma <= 0.9))
        .collect();
    let lams: Vec<f64> = (0..24).map(|i| cand[i * (cand.len() - 1) / 23]).collect();
    let n = lams.len();
    let g_true: Vec<f64> = lams
        .iter()
        .map(|&l| truth.ridge(p0, l).unwrap().gcv)
        .collect();
    // 1. Fluctuations of the data's GCV curve.
    let rho: Vec<Vec<f64>> = (0..n_mc)
        .map(|rep| {
            let (x, y) = sample(&case, 777, rep);
            let gram = &x * x.transpose();
            let path = detridge::estimate::KernelPath::new(&gram, &y).unwrap();
            (0..n)
                .map(|i| path.gcv(lams[i]).unwrap() / g_true[i] - 1.0)
                .collect()
        })
        .collect();
    // Covariance from the first half of the samples; the second half tests estimators.
    let half = rho.len() / 2;
    let (rho, held_out) = rho.split_at(half);
    let mean: Vec<f64> = (0..n)
        .map(|i| rho.iter().map(|r| r[i]).sum::<f64>() / half as f64)
        .collect();
    let mut c = DMatrix::from_fn(n, n, |i, j| {
        rho.iter()
            .map(|r| (r[i] - mean[i]) * (r[j] - mean[j]))
            .sum::<f64>()
            / (half as f64 - 1.0)
    });
    for i in 0..n {
        for j in 0..n {
            if i != j {
                c[(i, j)] *= 0.9;
            }
        }
    }
    let ci = c.clone().try_inverse().unwrap();
    println!(
        "{case:?}: GCV relative sd at the {n} ridges: {:.3}..{:.3}; mean bias {:.4}..{:.4}",
        (0..n)
            .map(|i| c[(i, i)].sqrt())
            .fold(f64::INFINITY, f64::min),
        (0..n).map(|i| c[(i, i)].sqrt()).fold(0.0, f64::max),
        mean.iter().copied().fold(f64::INFINITY, f64::min),
        mean.iter().copied().fold(f64::NEG_INFINITY, f64::max)
    );
    // 2. Profile χ²(r) with the spectrum at the truth.
    let horizons = [4.0 * p0, 16.0 * p0];
    let t_opt: Vec<f64> = horizons
        .iter()
        .map(|&p| truth.optimal_ridge(p).unwrap().theory.test_error)
        .collect();
    let t_fix: Vec<f64> = horizons
        .iter()
        .map(|&p| truth.ridge(p, LAMBDA_FIXED).unwrap().test_error)
        .collect();
    let mut rows = Vec::new();
    let mut curves = Vec::new();
    for k in 0..=100 {
        let r = 0.02 * k as f64;
        let t0 = Task::power_law(case.alpha, r, Some(case.d), 0.0).unwrap();
        let t1 = Task::power_law(case.alpha, r, Some(case.d), 1.0).unwrap();
        let b: Vec<f64> = lams
            .iter()
            .zip(&g_true)
            .map(|(&l, &g)| t0.ridge(p0, l).unwrap().gcv / g)
            .collect();
        let e: Vec<f64> = lams
            .iter()
            .enumerate()
            .map(|(i, &l)| t1.ridge(p0, l).unwrap().gcv / g_true[i] - b[i])
            .collect();
        let bv = DVector::from_vec(b);
        let ev = DVector::from_vec(e);
        let (a, s, chi) = fit_signal_noise(&bv, &ev, &DVector::from_element(n, 1.0), &ci);
        rows.push((r, a, s, chi));
        curves.push((bv, ev));
    }
    // Estimators on the held-out samples, spectrum at the truth: the r grid with (A, σ²)
    // by least squares, unweighted (as `Forecast`) or weighted by C⁻¹ (GLS).
    let eye = DMatrix::<f64>::identity(n, n);
    let mut errs = [Vec::new(), Vec::new()];
    let mut noise_est = [Vec::new(), Vec::new()];
    for d in held_out {
        let dv = DVector::from_iterator(n, d.iter().map(|v| 1.0 + v));
        for (k, w) in [&eye, &ci].iter().enumerate() {
            let best = rows
                .iter()
                .zip(&curves)
                .map(|(row, (bv, ev))| (row.0, fit_signal_noise(bv, ev, &dv, w)))
                .min_by(|x, y| x.1.2.total_cmp(&y.1.2))
                .unwrap();
            let (r, (a, s, _)) = best;
            let t0 = Task::power_law(case.alpha, r, Some(case.d), 0.0).unwrap();
            let w2: Vec<f64> = t0.target_power().unwrap().iter().map(|w| a * w).collect();
            let task = Task::with_target_power(t0.spectrum().clone(), &w2, s).unwrap();
            let o = task.optimal_ridge(horizons[0]).unwrap().theory.test_error;
            errs[k].push(((o - t_opt[0]) / t_opt[0].max(REL_FLOOR * (1.0 + case.noise))).abs());
            noise_est[k].push(s);
        }
    }
    for (k, name) in ["unweighted LS", "GLS (C from the other half)"]
        .iter()
        .enumerate()
    {
        let m = noise_est[k].iter().sum::<f64>() / noise_est[k].len() as f64;
        let sd = (noise_est[k].iter().map(|v| (v - m).powi(2)).sum::<f64>()
            / (noise_est[k].len() as f64 - 1.0))
            .sqrt();
        println!(
            "  {name} on {} held-out samples: 4P0 optimal median |error| {:.3}; sigma2 {m:.4} ± {sd:.4}",
            held_out.len(),
            median(errs[k].clone())
        );
    }
    let chi_min = rows.iter().map(|r| r.3).fold(f64::INFINITY, f64::min);
    // 3. Forecast spread over the 90% set.
    let mut ranges = [[f64::INFINITY, 0.0f64]; 4];
    let (mut r_lo, mut r_hi, mut s_lo, mut s_hi) = (f64::INFINITY, 0.0f64, f64::INFINITY, 0.0f64);
    for &(r, a, s, chi) in &rows {
        if chi - chi_min > 2.71 {
            continue;
        }
        (r_lo, r_hi) = (r_lo.min(r), r_hi.max(r));
        (s_lo, s_hi) = (s_lo.min(s), s_hi.max(s));
        let t0 = Task::power_law(case.alpha, r, Some(case.d), 0.0).unwrap();
        let w2: Vec<f64> = t0.target_power().unwrap().iter().map(|w| a * w).collect();
        let task = Task::with_target_power(t0.spectrum().clone(), &w2, s).unwrap();
        for (h, &p) in horizons.iter().enumerate() {
            let o = task.optimal_ridge(p).unwrap().theory.test_error / t_opt[h];
            let f = task.ridge(p, LAMBDA_FIXED).unwrap().test_error / t_fix[h];
            for (j, v) in [(2 * h, o), (2 * h + 1, f)] {
                if v.is_finite() {
                    ranges[j] = [ranges[j][0].min(v), ranges[j][1].max(v)];
                }
            }
        }
    }
    println!(
        "90% set (spectrum at the truth): r in [{r_lo:.2}, {r_hi:.2}] (true {}), sigma2 in [{s_lo:.4}, {s_hi:.4}] (true {})",
        case.r, case.noise
    );
    let truths = [t_opt[0], t_fix[0], t_opt[1], t_fix[1]];
    let mut out = [f64::NAN; 4];
    for (j, name) in [
        "4P0 optimal",
        "4P0 lambda=1e-3",
        "16P0 optimal",
        "16P0 lambda=1e-3",
    ]
    .iter()
    .enumerate()
    {
        let [lo, hi] = ranges[j];
        if truths[j] < REL_FLOOR * (1.0 + case.noise) {
            println!("  {name}: truth {:.2e} below the floor", truths[j]);
            continue;
        }
        let hw = 0.5 * (hi / lo).ln();
        out[j] = hw / 1.645;
        println!(
            "  {name}: forecast/truth in [{lo:.3}, {hi:.3}]; half-width {:.3} (log) -> efficient median |error| ~ {:.3}",
            hw,
            0.41 * hw
        );
    }
    out
}

/// Least squares `min_{A, s ≥ 0} ‖A b + s e − d‖²_W` (weight matrix `W`): `(A, s, value)`.
fn fit_signal_noise(
    b: &DVector<f64>,
    e: &DVector<f64>,
    d: &DVector<f64>,
    w: &DMatrix<f64>,
) -> (f64, f64, f64) {
    let q = |x: &DVector<f64>, y: &DVector<f64>| (x.transpose() * w * y)[(0, 0)];
    let chi = |a: f64, s: f64| {
        let res = b * a + e * s - d;
        q(&res, &res)
    };
    let (bb, be, ee, bd, ed) = (q(b, b), q(b, e), q(e, e), q(b, d), q(e, d));
    let det = bb * ee - be * be;
    let (mut a, mut s) = ((bd * ee - ed * be) / det, (ed * bb - bd * be) / det);
    if !(a >= 0.0 && s >= 0.0) {
        let oa = ((bd / bb).max(0.0), 0.0);
        let os = (0.0, (ed / ee).max(0.0));
        (a, s) = if chi(oa.0, oa.1) <= chi(os.0, os.1) {
            oa
        } else {
            os
        };
    }
    (a, s, chi(a, s))
}
