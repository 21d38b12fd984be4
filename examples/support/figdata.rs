//! The data behind the paper's figure families (THEORY §8), computed with the crate's
//! public API: theory curves and seeded Monte Carlo points. Shared by
//! `examples/figures.rs` (which renders them) and `tests/figures.rs` (which checks the
//! numbers, not the pixels). Include after `plot.rs`:
//!
//! ```ignore
//! #[path = "support/plot.rs"] mod plot;
//! #[path = "support/figdata.rs"] mod figdata;
//! ```
#![allow(dead_code)]

use detridge::estimate::{Criterion, LambdaSearchParams, RidgePath};
use detridge::montecarlo::{self, Estimate, features::FeatureModel, rng_for};
use detridge::scaling::{Regime, exponent, fit_log_log, noise_plateau};
use detridge::stransform::stieltjes::density;
use detridge::{Spectrum, Task};
use nalgebra::{DMatrix, DVector};
use rand::RngExt;
use rand::seq::SliceRandom;
use rand_distr::StandardNormal;

use super::plot::{BoxError, Figure, Legend, Panel, Series, Style, Table, geomspace, linspace};

#[path = "forecastfig.rs"]
pub mod forecastfig;

#[path = "rfflowfig.rs"]
pub mod rfflowfig;

/// How much work: `quick` for CI and tests (fewer draws, smaller sizes where noted).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Mode {
    /// Fewer Monte Carlo draws and smaller simulated sizes.
    pub quick: bool,
}

impl Mode {
    fn pick(self, quick: usize, full: usize) -> usize {
        if self.quick { quick } else { full }
    }
}

/// One figure: its data tables, the figure spec and the claims it supports (printed by
/// the figure command; checked by the tests).
#[derive(Debug, Clone)]
pub struct FigData {
    /// The data (written as CSV/JSON).
    pub tables: Vec<Table>,
    /// What is drawn.
    pub figure: Figure,
    /// One line per claim, with the numbers behind it.
    pub notes: Vec<String>,
}

impl FigData {
    /// A table by name (panics if absent: a programming error in a test).
    pub fn table(&self, name: &str) -> &Table {
        self.tables
            .iter()
            .find(|t| t.name == name)
            .unwrap_or_else(|| panic!("no table {name}"))
    }
}

/// Every figure family, in gallery order.
pub const NAMES: [&str; 12] = [
    "double_descent",
    "decomposition",
    "random_features",
    "scaling_laws",
    "gcv_diabetes",
    "spectra",
    "optimal_ridge",
    "gradient_flow",
    "gradient_flow_random_features",
    "sgd",
    "compute_optimal",
    "forecast_diabetes",
];

/// Computes one figure by name.
///
/// # Errors
/// Library errors, or an unknown name.
pub fn compute(name: &str, mode: Mode) -> Result<FigData, BoxError> {
    match name {
        "double_descent" => double_descent(mode),
        "decomposition" => decomposition(mode),
        "random_features" => random_features(mode),
        "scaling_laws" => scaling_laws(mode),
        "gcv_diabetes" => gcv_diabetes(mode),
        "spectra" => spectra(mode),
        "optimal_ridge" => optimal_ridge(mode),
        "gradient_flow" => gradient_flow(mode),
        "gradient_flow_random_features" => rfflowfig::figure(mode),
        "sgd" => sgd(mode),
        "compute_optimal" => compute_optimal(mode),
        "forecast_diabetes" => forecast_diabetes(mode),
        _ => Err(format!("unknown figure {name:?}; known: {}", NAMES.join(", ")).into()),
    }
}

/// `E_g` against the sample size as the reader sees it in the figure's title.
fn task_line(name: &str, task: &Task) -> String {
    format!(
        "{name}: D = {}, |w̄|² = {:.3}, σ² = {}",
        task.spectrum().dimension(),
        task.target_norm2(),
        task.noise_variance()
    )
}

// ---------------------------------------------------------------------------------------
// (a) Sample-wise double descent with the optimal-λ envelope (THEORY §3.1, §3.4, §8, item 1)
// ---------------------------------------------------------------------------------------

/// Isotropic task of the double-descent figures (THEORY §8 item 1).
pub const DD_D: f64 = 200.0;
/// Label-noise variance of the double-descent figures.
pub const DD_SIGMA2: f64 = 0.25;
/// Ridges of the double-descent figure.
pub const DD_LAMBDAS: [f64; 4] = [1e-3, 1e-2, 1e-1, 1.0];
/// `P/D` of the simulated points (away from `P = D`, where finite-size corrections of
/// relative size `O(1/|P − D|)` are largest).
pub const DD_SIM_Q: [f64; 6] = [0.25, 0.5, 0.75, 1.5, 2.0, 3.0];

/// (a) `E_g` against `P/D` for several `λ`, the envelope `min_λ E_g`, and Monte Carlo.
///
/// # Errors
/// Library errors.
pub fn double_descent(mode: Mode) -> Result<FigData, BoxError> {
    let task = Task::isotropic(DD_D, 1.0, DD_SIGMA2)?;
    let qs: Vec<f64> = (5..=300).map(|i| f64::from(i) * 0.01).collect();
    let mut cols = vec!["P", "P_over_D"];
    let names: Vec<String> = DD_LAMBDAS
        .iter()
        .map(|l| format!("E_g_lambda_{l:e}"))
        .collect();
    cols.extend(names.iter().map(String::as_str));
    cols.extend(["E_g_optimal", "lambda_star"]);
    let mut th = Table::new("double_descent_theory", &cols);
    for &q in &qs {
        let p = q * DD_D;
        let mut row = vec![p, q];
        for &l in &DD_LAMBDAS {
            row.push(task.ridge(p, l)?.test_error);
        }
        let opt = task.optimal_ridge(p)?;
        row.push(opt.theory.test_error);
        row.push(opt.lambda);
        th.push(&row);
    }
    let draws = mode.pick(8, 40);
    let mut sim = Table::new(
        "double_descent_sim",
        &[
            "P",
            "P_over_D",
            "lambda",
            "E_g_mean",
            "E_g_se",
            "E_g_theory",
            "draws",
        ],
    );
    for (i, &q) in DD_SIM_Q.iter().enumerate() {
        let p = (q * DD_D).round() as usize;
        let mc = montecarlo::ridge(&task, p, &DD_LAMBDAS, draws, 100 + i as u64)?;
        for r in &mc {
            let t = task.ridge(p as f64, r.lambda)?.test_error;
            sim.push(&[
                p as f64,
                p as f64 / DD_D,
                r.lambda,
                r.test_error.mean,
                r.test_error.std_err,
                t,
                draws as f64,
            ]);
        }
    }
    // The peak of the smallest-λ curve.
    let e0 = th.col(&names[0]);
    let imax = argmax(&e0);
    let notes = vec![
        task_line("isotropic Σ = I", &task),
        format!(
            "λ = {:e}: E_g peaks at P/D = {:.2} (interpolation threshold P = D); \
             larger λ smooth the peak away",
            DD_LAMBDAS[0], qs[imax]
        ),
        format!(
            "optimal-λ envelope (THEORY §3.4, λ* = σ²D/(P|w̄|²) for this task) lies below \
             every fixed-λ curve and has no peak; simulation: {draws} draws per point"
        ),
    ];
    let mut panel = Panel::new(
        "Sample-wise double descent (Σ = I, D = 200, σ² = 0.25)",
        "P / D",
        "test error E_g",
    )
    .log(false, true)
    .y_range(0.05, 10.0);
    for (k, (l, n)) in DD_LAMBDAS.iter().zip(&names).enumerate() {
        panel = panel.with(Series::new(
            &format!("λ = {l:e}"),
            qs.clone(),
            th.col(n),
            Style::Line,
            k,
        ));
    }
    panel = panel.with(Series::new(
        "optimal λ* (envelope)",
        qs.clone(),
        th.col("E_g_optimal"),
        Style::Thick,
        7,
    ));
    for (k, &l) in DD_LAMBDAS.iter().enumerate() {
        let rows: Vec<&Vec<_>> = sim.rows.iter().filter(|r| same(r[2].num(), l)).collect();
        panel = panel.with(Series::new(
            if k == 0 { "simulation ± SE" } else { "" },
            rows.iter().map(|r| r[1].num()).collect(),
            rows.iter().map(|r| r[3].num()).collect(),
            Style::Points {
                err: rows.iter().map(|r| r[4].num()).collect(),
            },
            k,
        ));
    }
    panel.vlines.push((1.0, "P = D".into()));
    Ok(FigData {
        tables: vec![th, sim],
        figure: Figure::new("double_descent", "", vec![panel]),
        notes,
    })
}

/// Equality of values copied unchanged into a table (labels and codes).
fn same(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-12 * b.abs().max(1.0)
}

fn argmax(v: &[f64]) -> usize {
    v.iter()
        .enumerate()
        .max_by(|a, b| a.1.total_cmp(b.1))
        .map_or(0, |x| x.0)
}

/// Index and value of the smallest entry (`None` for an empty slice).
fn argmin(v: &[f64]) -> Option<(usize, f64)> {
    v.iter()
        .enumerate()
        .min_by(|a, b| a.1.total_cmp(b.1))
        .map(|(i, x)| (i, *x))
}

/// Fills `th` with one row `[t, curve₀(t), curve₁(t), …]` per time.
fn push_curves(th: &mut Table, ts: &[f64], curves: &[Vec<f64>]) {
    for (i, &t) in ts.iter().enumerate() {
        let mut row = vec![t];
        row.extend(curves.iter().map(|c| c[i]));
        th.push(&row);
    }
}

/// Monte Carlo points of a training-dynamics figure (THEORY §13): one row
/// `key ++ [t, E_g mean, E_g SE, E_g theory]` per time into `sim`, and the points (± SE)
/// as a series in colour `color`.
fn dynamics_points(
    sim: &mut Table,
    key: &[f64],
    mc: &[montecarlo::dynamics::DynamicsEstimates],
    theory: &[detridge::dynamics::GradientFlowTheory],
    color: usize,
) -> Series {
    let (mut sx, mut sy, mut se) = (Vec::new(), Vec::new(), Vec::new());
    for (s, g) in mc.iter().zip(theory) {
        let mut row = key.to_vec();
        row.extend([
            s.time,
            s.test_error.mean,
            s.test_error.std_err,
            g.test_error,
        ]);
        sim.push(&row);
        sx.push(s.time);
        sy.push(s.test_error.mean);
        se.push(s.test_error.std_err);
    }
    Series::new("", sx, sy, Style::Points { err: se }, color)
}

/// A dashed horizontal line at `y` across `[x0, x1]` in colour `color` (a limit value).
fn dashed_level(x0: f64, x1: f64, y: f64, color: usize) -> Series {
    Series::new("", vec![x0, x1], vec![y, y], Style::Dashed, color)
}

// ---------------------------------------------------------------------------------------
// (b) Fine-grained decomposition (THEORY §3.1)
// ---------------------------------------------------------------------------------------

/// Ridge of the decomposition figure.
pub const DEC_LAMBDA: f64 = 1e-2;

/// (b) `bias²`, `Var_X`, `Var_Xε` against `P/D`, stacked, with Monte Carlo per term.
///
/// # Errors
/// Library errors.
pub fn decomposition(mode: Mode) -> Result<FigData, BoxError> {
    let task = Task::isotropic(DD_D, 1.0, DD_SIGMA2)?;
    let qs: Vec<f64> = (5..=300).map(|i| f64::from(i) * 0.01).collect();
    let mut th = Table::new(
        "decomposition_theory",
        &["P", "P_over_D", "bias2", "var_data", "var_noise", "E_g"],
    );
    for &q in &qs {
        let t = task.ridge(q * DD_D, DEC_LAMBDA)?;
        th.push(&[q * DD_D, q, t.bias2, t.var_data, t.var_noise, t.test_error]);
    }
    let draws = mode.pick(8, 40);
    let mut sim = Table::new(
        "decomposition_sim",
        &["P", "P_over_D", "term", "mean", "se", "theory", "draws"],
    );
    let sim_q = [0.25, 0.5, 0.75, 1.0, 1.25, 1.5, 2.0, 3.0];
    for (i, &q) in sim_q.iter().enumerate() {
        let p = (q * DD_D).round() as usize;
        let r = &montecarlo::ridge(&task, p, &[DEC_LAMBDA], draws, 200 + i as u64)?[0];
        let t = task.ridge(p as f64, DEC_LAMBDA)?;
        for (term, e, tv) in [
            (0.0, &r.bias2, t.bias2),
            (1.0, &r.var_data, t.var_data),
            (2.0, &r.var_noise, t.var_noise),
            (3.0, &r.test_error, t.test_error),
        ] {
            sim.push(&[p as f64, q, term, e.mean, e.std_err, tv, draws as f64]);
        }
    }
    let eg = th.col("E_g");
    let peak = argmax(&eg);
    let notes = vec![
        task_line("isotropic Σ = I", &task) + &format!(", λ = {DEC_LAMBDA}"),
        format!(
            "bias² + Var_X + Var_Xε = E_g exactly (THEORY §3.1); the peak (E_g = {:.3} at \
             P/D = {:.2}) is variance: Var_X and Var_Xε carry the 1/(1−γ) amplification",
            eg[peak], qs[peak]
        ),
    ];
    let mut left =
        Panel::new("Stacked: E_g = bias² + Var_X + Var_Xε", "P / D", "error").y_range(0.0, 1.6);
    for (k, (c, lab)) in [
        ("bias2", "bias²"),
        ("var_data", "Var_X (data)"),
        ("var_noise", "Var_Xε (noise)"),
    ]
    .iter()
    .enumerate()
    {
        left = left.with(Series::new(lab, qs.clone(), th.col(c), Style::Stacked, k));
    }
    left = left.with(Series::new(
        "E_g (theory)",
        qs.clone(),
        eg.clone(),
        Style::Line,
        7,
    ));
    let tot: Vec<&Vec<_>> = sim.rows.iter().filter(|r| same(r[2].num(), 3.0)).collect();
    left = left.with(Series::new(
        "E_g simulation ± SE",
        tot.iter().map(|r| r[1].num()).collect(),
        tot.iter().map(|r| r[3].num()).collect(),
        Style::Points {
            err: tot.iter().map(|r| r[4].num()).collect(),
        },
        7,
    ));
    left.vlines.push((1.0, String::new()));
    let mut right = Panel::new("Each term: theory and simulation", "P / D", "error")
        .log(false, true)
        .legend(Legend::LowerLeft);
    for (k, (c, lab)) in [
        ("bias2", "bias²"),
        ("var_data", "Var_X"),
        ("var_noise", "Var_Xε"),
    ]
    .iter()
    .enumerate()
    {
        right = right.with(Series::new(lab, qs.clone(), th.col(c), Style::Line, k));
        let rows: Vec<&Vec<_>> = sim
            .rows
            .iter()
            .filter(|r| same(r[2].num(), k as f64))
            .collect();
        right = right.with(Series::new(
            "",
            rows.iter().map(|r| r[1].num()).collect(),
            rows.iter().map(|r| r[3].num()).collect(),
            Style::Points {
                err: rows.iter().map(|r| r[4].num()).collect(),
            },
            k,
        ));
    }
    right.vlines.push((1.0, "P = D".into()));
    Ok(FigData {
        tables: vec![th, sim],
        figure: Figure::new(
            "decomposition",
            "Fine-grained decomposition, Σ = I, D = 200, σ² = 0.25, λ = 0.01",
            vec![left, right],
        ),
        notes,
    })
}

// ---------------------------------------------------------------------------------------
// (c) Random features (THEORY §4.3, §4.4, §8 item 6)
// ---------------------------------------------------------------------------------------

/// Random-feature task: power law α = 1.5, r = 0.6, D = 300, σ² = 0.09 (THEORY §8, item 6).
pub fn rf_task() -> detridge::Result<Task> {
    Task::power_law(1.5, 0.6, Some(300), 0.09)
}
/// Ridge of the random-feature figure.
pub const RF_LAMBDA: f64 = 1e-5;
/// Sample sizes of the random-feature curves (all below `D = 300`, so each curve has its
/// interpolation peak at `N = P`).
pub const RF_PS: [f64; 3] = [50.0, 100.0, 200.0];
/// Sample size of the decomposition panel and the simulation.
pub const RF_P_SIM: usize = 200;
/// Ridges at which the peak position is located on a fine grid.
pub const RF_PEAK_LAMBDAS: [f64; 3] = [1e-5, 1e-6, 1e-8];
/// Widths of the simulated points (at `P = 200`).
pub const RF_SIM_N: [usize; 7] = [40, 80, 120, 300, 400, 800, 1600];

/// (c) `E_g` against `N/P` at several `P`, the `N = P` peak, and the decomposition.
///
/// # Errors
/// Library errors.
pub fn random_features(mode: Mode) -> Result<FigData, BoxError> {
    let task = rf_task()?;
    // N/P on a log grid that contains 1 exactly (index 100 of 201).
    let ratios = geomspace(0.1, 10.0, 201);
    let mut cols = vec!["N_over_P"];
    let names: Vec<String> = RF_PS.iter().map(|p| format!("E_g_P_{p}")).collect();
    cols.extend(names.iter().map(String::as_str));
    let mut th = Table::new("random_features_theory", &cols);
    for &x in &ratios {
        let mut row = vec![x];
        for &p in &RF_PS {
            row.push(task.random_features(p, x * p, RF_LAMBDA)?.test_error);
        }
        th.push(&row);
    }
    let p0 = RF_P_SIM as f64;
    let mut dec = Table::new(
        "random_features_decomposition",
        &[
            "N",
            "N_over_P",
            "bias2",
            "var_data",
            "var_features",
            "var_data_features",
            "var_noise",
            "E_g",
        ],
    );
    for &x in &ratios {
        let t = task.random_features(p0, x * p0, RF_LAMBDA)?;
        dec.push(&[
            x * p0,
            x,
            t.bias2,
            t.var_data,
            t.var_features,
            t.var_data_features,
            t.var_noise,
            t.test_error,
        ]);
    }
    // The peak moves onto N = P as λ → 0: fine grid in N at P = 200.
    let mut peaks = Table::new("random_features_peak", &["lambda", "N_peak", "E_g_peak"]);
    for &l in &RF_PEAK_LAMBDAS {
        let mut best = (0.0, f64::NEG_INFINITY);
        for n in (150..=260).map(f64::from) {
            let e = task.random_features(p0, n, l)?.test_error;
            if e > best.1 {
                best = (n, e);
            }
        }
        peaks.push(&[l, best.0, best.1]);
    }
    let (dd, fd) = (mode.pick(4, 10), mode.pick(4, 10));
    let mut sim = Table::new(
        "random_features_sim",
        &[
            "N",
            "N_over_P",
            "E_g_mean",
            "E_g_se",
            "E_g_theory",
            "data_draws",
            "feature_draws",
        ],
    );
    for (i, &n) in RF_SIM_N.iter().enumerate() {
        let r = &montecarlo::features::random_features(
            &task,
            RF_P_SIM,
            &FeatureModel::Isotropic { n },
            &[RF_LAMBDA],
            dd,
            fd,
            300 + i as u64,
        )?[0];
        let t = task.random_features(p0, n as f64, RF_LAMBDA)?.test_error;
        sim.push(&[
            n as f64,
            n as f64 / p0,
            r.test_error.mean,
            r.test_error.std_err,
            t,
            dd as f64,
            fd as f64,
        ]);
    }
    let pk = peaks.col("N_peak");
    let notes = vec![
        format!(
            "power law α = 1.5, r = 0.6, D = 300, σ² = 0.09, λ = {RF_LAMBDA:e} (THEORY §8 item 6)"
        ),
        format!(
            "peak of E_g against N at P = {p0}: N = {} at λ = {:e}, {} at λ = {:e}, {} at \
             λ = {:e} — at λ = 0 the error diverges at N = P; a finite ridge caps the peak \
             and moves its maximum by a few features",
            pk[0], RF_PEAK_LAMBDAS[0], pk[1], RF_PEAK_LAMBDAS[1], pk[2], RF_PEAK_LAMBDAS[2]
        ),
        format!("simulation: {dd} data × {fd} feature draws per point"),
    ];
    let mut left = Panel::new(
        "E_g against width: peak at N = P",
        "N / P",
        "test error E_g",
    )
    .log(true, true);
    for (k, (p, n)) in RF_PS.iter().zip(&names).enumerate() {
        left = left.with(Series::new(
            &format!("P = {p}"),
            ratios.clone(),
            th.col(n),
            Style::Line,
            k,
        ));
    }
    left = left.with(Series::new(
        &format!("simulation P = {RF_P_SIM} ± SE"),
        sim.col("N_over_P"),
        sim.col("E_g_mean"),
        Style::Points {
            err: sim.col("E_g_se"),
        },
        2,
    ));
    left.vlines.push((1.0, "N = P".into()));
    let mut right = Panel::new(
        &format!("Decomposition at P = {RF_P_SIM}"),
        "N / P",
        "error",
    )
    .log(true, true)
    .legend(Legend::UpperLeft)
    .y_range(1e-4, 10.0);
    for (k, (c, lab)) in [
        ("E_g", "E_g (total)"),
        ("bias2", "bias²"),
        ("var_data", "Var_X (data)"),
        ("var_features", "Var_F (features)"),
        ("var_data_features", "Var_XF (both)"),
        ("var_noise", "noise"),
    ]
    .iter()
    .enumerate()
    {
        let style = if k == 0 { Style::Thick } else { Style::Line };
        let color = if k == 0 { 7 } else { k - 1 };
        right = right.with(Series::new(lab, ratios.clone(), dec.col(c), style, color));
    }
    right.vlines.push((1.0, String::new()));
    Ok(FigData {
        tables: vec![th, dec, peaks, sim],
        figure: Figure::new(
            "random_features",
            "Linear random features: power law α = 1.5, r = 0.6, D = 300, σ² = 0.09, λ = 1e-5",
            vec![left, right],
        ),
        notes,
    })
}

// ---------------------------------------------------------------------------------------
// (d) Scaling laws at D = ∞ (THEORY §7.2, §8 items 3–4)
// ---------------------------------------------------------------------------------------

/// Capacity exponent of the scaling figure.
pub const SC_ALPHA: f64 = 1.5;

/// A measured slope against its prediction.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Slope {
    /// Fitted log-log slope.
    pub fitted: f64,
    /// Predicted exponent (THEORY §7.2).
    pub predicted: f64,
}

fn fit_window(x: &[f64], y: &[f64], lo: f64, hi: f64) -> detridge::Result<f64> {
    let (xs, ys): (Vec<f64>, Vec<f64>) = x
        .iter()
        .zip(y)
        .filter(|(x, _)| **x >= lo && **x <= hi)
        .map(|(a, b)| (*a, *b))
        .unzip();
    Ok(fit_log_log(&xs, &ys)?.slope)
}

/// (d) Resolution-limited, ridge-limited, noise plateau and optimal-ridge rate.
///
/// # Errors
/// Library errors.
#[allow(clippy::too_many_lines)]
pub fn scaling_laws(_mode: Mode) -> Result<FigData, BoxError> {
    let a = SC_ALPHA;
    let ps = geomspace(10.0, 1e6, 41);
    let mut slopes = Table::new(
        "scaling_laws_slopes",
        &[
            "r",
            "regime_code",
            "fitted",
            "predicted",
            "window_lo",
            "window_hi",
        ],
    );
    // Regime codes: 0 resolution-limited (vs P), 1 ridge-limited (vs λ), 2 optimal ridge
    // E* (vs P), 3 optimal λ* (vs P).
    let mut res = Table::new(
        "scaling_laws_resolution",
        &[
            "P",
            "E_g_r0.4",
            "E_g_r1.5",
            "E_g_r0.4_lambda1e-4",
            "E_g_r0.4_lambda1e-6",
        ],
    );
    let mut cols: Vec<Vec<f64>> = Vec::new();
    for (r, l) in [(0.4, 0.0), (1.5, 0.0), (0.4, 1e-4), (0.4, 1e-6)] {
        let task = Task::power_law(a, r, None, 0.0)?;
        cols.push(
            task.ridge_curve_p(&ps, l)
                .into_result()?
                .iter()
                .map(|t| t.test_error)
                .collect(),
        );
    }
    for (i, &p) in ps.iter().enumerate() {
        res.push(&[p, cols[0][i], cols[1][i], cols[2][i], cols[3][i]]);
    }
    let mut lines = Vec::new();
    for (k, r) in [0.4, 1.5].into_iter().enumerate() {
        let pred = exponent(Regime::ResolutionLimited, a, r)?.value;
        let fitted = fit_window(&ps, &cols[k], 1e3, 1e6)?;
        slopes.push(&[r, 0.0, fitted, pred, 1e3, 1e6]);
        lines.push(Slope {
            fitted,
            predicted: pred,
        });
    }
    // Ridge-limited: E_g at P = 1e9 (≫ every 1/λ^{1/α} scale) against λ.
    let lambdas = geomspace(1e-6, 1e-2, 21);
    let mut ridge = Table::new(
        "scaling_laws_ridge_limited",
        &["lambda", "E_g_r0.4", "E_g_r1.5"],
    );
    let mut rcols: Vec<Vec<f64>> = Vec::new();
    for r in [0.4, 1.5] {
        let task = Task::power_law(a, r, None, 0.0)?;
        rcols.push(
            task.ridge_curve_lambda(1e9, &lambdas)
                .into_result()?
                .iter()
                .map(|t| t.test_error)
                .collect(),
        );
    }
    for (i, &l) in lambdas.iter().enumerate() {
        ridge.push(&[l, rcols[0][i], rcols[1][i]]);
    }
    for (k, r) in [0.4, 1.5].into_iter().enumerate() {
        let pred = exponent(Regime::RidgeLimited, a, r)?.value;
        let fitted = fit_window(&lambdas, &rcols[k], 1e-6, 1e-3)?;
        slopes.push(&[r, 1.0, fitted, pred, 1e-6, 1e-3]);
    }
    // Noise: ridgeless plateau and the optimal-ridge rate.
    let sigma2 = 0.25;
    let plateau = noise_plateau(a, sigma2)?;
    let noisy = Task::power_law(a, 0.7, None, sigma2)?;
    let pl: Vec<f64> = noisy
        .ridge_curve_p(&ps, 0.0)
        .into_result()?
        .iter()
        .map(|t| t.var_noise)
        .collect();
    let grid = geomspace(1e2, 1e7, 16);
    let mut opt = Table::new(
        "scaling_laws_noise",
        &[
            "P",
            "E_star_r0.4",
            "lambda_star_r0.4",
            "E_star_r1.5",
            "lambda_star_r1.5",
        ],
    );
    let mut ocols: Vec<Vec<f64>> = vec![Vec::new(); 4];
    for r in [0.4, 1.5] {
        let task = Task::power_law(a, r, None, sigma2)?;
        let k = if r < 1.0 { 0 } else { 2 };
        for &p in &grid {
            let o = task.optimal_ridge(p)?;
            ocols[k].push(o.theory.test_error);
            ocols[k + 1].push(o.lambda);
        }
        let pe = exponent(Regime::OptimalRidge, a, r)?.value;
        let pl_ = exponent(Regime::OptimalRidgeLambda, a, r)?.value;
        let fe = fit_window(&grid, &ocols[k], 1e4, 1e7)?;
        let fl = fit_window(&grid, &ocols[k + 1], 1e4, 1e7)?;
        slopes.push(&[r, 2.0, fe, pe, 1e4, 1e7]);
        slopes.push(&[r, 3.0, fl, pl_, 1e4, 1e7]);
    }
    for (i, &p) in grid.iter().enumerate() {
        opt.push(&[p, ocols[0][i], ocols[1][i], ocols[2][i], ocols[3][i]]);
    }
    let mut plat = Table::new("scaling_laws_plateau", &["P", "var_noise", "plateau"]);
    for (&p, &v) in ps.iter().zip(&pl) {
        plat.push(&[p, v, plateau]);
    }

    let s = |code: f64, r: f64| -> (f64, f64) {
        let row = slopes
            .rows
            .iter()
            .find(|x| same(x[1].num(), code) && same(x[0].num(), r))
            .map(|x| (x[2].num(), x[3].num()));
        row.unwrap_or((f64::NAN, f64::NAN))
    };
    // Guides through the last point with the predicted slope.
    let guide = |xs: &[f64], ys: &[f64], slope: f64| -> Vec<f64> {
        // Offset by a factor 1/3 below the curve so both stay visible.
        let (x0, y0) = (xs[xs.len() - 1], ys[ys.len() - 1] / 3.0);
        xs.iter().map(|x| y0 * (x / x0).powf(slope)).collect()
    };
    let mut p1 = Panel::new(
        "Resolution-limited (λ = 0, σ = 0) and ridge-limited",
        "P",
        "E_g",
    )
    .log(true, true)
    .legend(Legend::LowerLeft);
    for (k, (c, r)) in [("E_g_r0.4", 0.4), ("E_g_r1.5", 1.5)].iter().enumerate() {
        let (f, pr) = s(0.0, *r);
        let y = res.col(c);
        p1 = p1.with(Series::new(
            &format!("r = {r}: slope {f:.3} (pred. {pr:.2})"),
            ps.clone(),
            y.clone(),
            Style::Line,
            k,
        ));
        let g = if k == 0 {
            "predicted slope (guide, ×1/3)"
        } else {
            ""
        };
        p1 = p1.with(Series::new(
            g,
            ps.clone(),
            guide(&ps, &y, pr),
            Style::Dashed,
            6,
        ));
    }
    p1 = p1.with(Series::new(
        "r = 0.4, λ = 1e-4: saturates",
        ps.clone(),
        res.col("E_g_r0.4_lambda1e-4"),
        Style::Line,
        2,
    ));
    p1 = p1.with(Series::new(
        "r = 0.4, λ = 1e-6",
        ps.clone(),
        res.col("E_g_r0.4_lambda1e-6"),
        Style::Line,
        3,
    ));
    let mut p2 = Panel::new("Ridge-limited: E_g(P → ∞) against λ", "λ", "E_g at P = 1e9")
        .log(true, true)
        .legend(Legend::LowerRight);
    for (k, (c, r)) in [("E_g_r0.4", 0.4), ("E_g_r1.5", 1.5)].iter().enumerate() {
        let (f, pr) = s(1.0, *r);
        let y = ridge.col(c);
        p2 = p2.with(Series::new(
            &format!("r = {r}: slope {f:.3} (pred. {pr:.2})"),
            lambdas.clone(),
            y.clone(),
            Style::Line,
            k,
        ));
        let g = if k == 0 {
            "predicted slope (guide, ×1/3)"
        } else {
            ""
        };
        p2 = p2.with(Series::new(
            g,
            lambdas.clone(),
            guide(&lambdas, &y, pr),
            Style::Dashed,
            6,
        ));
    }
    let mut p3 = Panel::new("Noise (σ² = 0.25): plateau and optimal ridge", "P", "error")
        .log(true, true)
        .legend(Legend::LowerLeft)
        .y_range(3e-7, 1.5);
    p3 = p3.with(Series::new(
        "λ = 0, r = 0.7: Var_Xε",
        ps.clone(),
        pl.clone(),
        Style::Line,
        4,
    ));
    p3.hlines.push((plateau, format!("σ²(α−1) = {plateau}")));
    for (k, (c, r)) in [("E_star_r0.4", 0.4), ("E_star_r1.5", 1.5)]
        .iter()
        .enumerate()
    {
        let (f, pr) = s(2.0, *r);
        let y = opt.col(c);
        p3 = p3.with(Series::new(
            &format!("E_g at λ*, r = {r}: slope {f:.3} (pred. {pr:.3})"),
            grid.clone(),
            y.clone(),
            Style::Points { err: Vec::new() },
            k,
        ));
        p3 = p3.with(Series::new(
            "",
            grid.clone(),
            guide(&grid, &y, pr),
            Style::Dashed,
            k,
        ));
    }
    let mut notes = vec![format!(
        "power law α = {a}, D = ∞; slopes fitted over the windows in scaling_laws_slopes.csv"
    )];
    for row in &slopes.rows {
        let what = [
            "E_g vs P (λ=0, σ=0)",
            "E_g vs λ (P→∞)",
            "E* vs P",
            "λ* vs P",
        ][row[1].num() as usize];
        notes.push(format!(
            "r = {}: {what}: fitted {:.4}, predicted {:.4}",
            row[0].num(),
            row[2].num(),
            row[3].num()
        ));
    }
    notes.push(format!(
        "ridgeless noise term at P = 1e6: {:.5} → plateau σ²(α−1) = {plateau}",
        pl[pl.len() - 1]
    ));
    let mut fig = Figure::new(
        "scaling_laws",
        "Scaling laws, power law α = 1.5, D = ∞",
        vec![p1, p2, p3],
    );
    fig.panel_width = 520;
    Ok(FigData {
        tables: vec![res, ridge, opt, plat, slopes],
        figure: fig,
        notes,
    })
}

// ---------------------------------------------------------------------------------------
// (e) GCV, LOOCV and held-out error on the diabetes data (THEORY §3.2)
// ---------------------------------------------------------------------------------------

/// The first row of the diabetes data (features, target) as published with scikit-learn
/// and shipped as the first line of `diabetes_data.csv.gz` / `diabetes_target.csv.gz`
/// inside `linfa-datasets` 0.8, whose loader reads both files with `has_headers = true`
/// and so drops it (441 of the 442 patients).
#[allow(clippy::excessive_precision, clippy::unreadable_literal)]
const DIABETES_FIRST_ROW: [f64; 10] = [
    3.807590643342410180e-02,
    5.068011873981870252e-02,
    6.169620651868849837e-02,
    2.187235499495579841e-02,
    -4.422349842444640161e-02,
    -3.482076283769860309e-02,
    -4.340084565202689815e-02,
    -2.592261998182820038e-03,
    1.990842087631829876e-02,
    -1.764612515980519894e-02,
];
const DIABETES_FIRST_TARGET: f64 = 151.0;
/// The first feature of the data's second row (what `linfa-datasets` 0.8 returns first).
#[allow(clippy::excessive_precision, clippy::unreadable_literal)]
const DIABETES_SECOND_ROW_AGE: f64 = -1.882016527791040067e-03;

/// The 442 × 10 diabetes data (Efron et al. 2004) and its target.
///
/// `linfa-datasets` 0.8 drops the first patient (it reads header-less files as if they
/// had a header); this loader restores that row when (and only when) the crate's first
/// row is the file's second one, so a fixed `linfa-datasets` is used as it is.
///
/// # Errors
/// If the shipped data has an unexpected shape.
pub fn diabetes() -> Result<(DMatrix<f64>, DVector<f64>), BoxError> {
    let ds = linfa_datasets::diabetes();
    let (n, d) = (ds.records.nrows(), ds.records.ncols());
    if d != 10 {
        return Err(format!("diabetes: expected 10 features, got {d}").into());
    }
    let restore = n == 441 && (ds.records[[0, 0]] - DIABETES_SECOND_ROW_AGE).abs() < 1e-15;
    let off = usize::from(restore);
    let x = DMatrix::from_fn(n + off, d, |i, j| {
        if restore && i == 0 {
            DIABETES_FIRST_ROW[j]
        } else {
            ds.records[[i - off, j]]
        }
    });
    let y = DVector::from_fn(n + off, |i, _| {
        if restore && i == 0 {
            DIABETES_FIRST_TARGET
        } else {
            ds.targets[i - off]
        }
    });
    if x.nrows() != 442 {
        return Err(format!("diabetes: expected 442 patients, got {}", x.nrows()).into());
    }
    Ok((x, y))
}

/// The diabetes split used by the figure and the example: features standardised with
/// the training statistics, target centred on the training mean, seeded shuffle.
#[derive(Debug, Clone)]
pub struct DiabetesSplit {
    /// Training design.
    pub x_train: DMatrix<f64>,
    /// Training target.
    pub y_train: DVector<f64>,
    /// Held-out design.
    pub x_test: DMatrix<f64>,
    /// Held-out target.
    pub y_test: DVector<f64>,
    /// Patients in the data.
    pub n: usize,
}

/// Splits the diabetes data (`train_fraction` of 442 for training, shuffle seed `seed`).
///
/// # Errors
/// As [`diabetes`].
pub fn diabetes_split(train_fraction: f64, seed: u64) -> Result<DiabetesSplit, BoxError> {
    let (x, y) = diabetes()?;
    let (n, d) = (x.nrows(), x.ncols());
    let mut order: Vec<usize> = (0..n).collect();
    order.shuffle(&mut rng_for(seed, 0));
    let n_train = (train_fraction * n as f64).round() as usize;
    let (train, test) = order.split_at(n_train);
    let mut mean = vec![0.0; d];
    let mut sd = vec![0.0; d];
    for j in 0..d {
        mean[j] = train.iter().map(|&i| x[(i, j)]).sum::<f64>() / n_train as f64;
        let var = train
            .iter()
            .map(|&i| (x[(i, j)] - mean[j]).powi(2))
            .sum::<f64>()
            / (n_train as f64 - 1.0);
        sd[j] = var.sqrt();
    }
    let y_mean = train.iter().map(|&i| y[i]).sum::<f64>() / n_train as f64;
    let design = |rows: &[usize]| {
        DMatrix::from_fn(rows.len(), d, |r, j| (x[(rows[r], j)] - mean[j]) / sd[j])
    };
    let target = |rows: &[usize]| DVector::from_fn(rows.len(), |r, _| y[rows[r]] - y_mean);
    Ok(DiabetesSplit {
        x_train: design(train),
        y_train: target(train),
        x_test: design(test),
        y_test: target(test),
        n,
    })
}

/// Held-out mean squared error at `λ`, with its standard error over test patients.
///
/// # Errors
/// As [`RidgePath::weights`].
pub fn held_out(path: &RidgePath, s: &DiabetesSplit, lambda: f64) -> detridge::Result<Estimate> {
    let w = path.weights(lambda)?;
    let r = &s.y_test - &s.x_test * w;
    let sq: Vec<f64> = r.iter().map(|v| v * v).collect();
    Ok(Estimate::from_samples(&sq))
}

/// (e) GCV, LOOCV, training and held-out error against `λ` on the diabetes data.
///
/// # Errors
/// Library errors.
pub fn gcv_diabetes(_mode: Mode) -> Result<FigData, BoxError> {
    let s = diabetes_split(0.75, 7)?;
    let path = RidgePath::new(&s.x_train, &s.y_train)?;
    let lambdas = geomspace(1e-4, 1e2, 61);
    let mut t = Table::new(
        "gcv_diabetes",
        &[
            "lambda",
            "df",
            "train_error",
            "gcv",
            "loocv",
            "held_out",
            "held_out_se",
        ],
    );
    for &l in &lambdas {
        let h = held_out(&path, &s, l)?;
        t.push(&[
            l,
            path.df(l)?,
            path.train_error(l)?,
            path.gcv(l)?,
            path.loocv(l)?,
            h.mean,
            h.std_err,
        ]);
    }
    let params = LambdaSearchParams::default();
    let by_gcv = path.select_lambda(Criterion::Gcv, &params)?;
    let by_loo = path.select_lambda(Criterion::Loocv, &params)?;
    let mut choice = Table::new(
        "gcv_diabetes_choice",
        &["criterion", "lambda", "value", "held_out"],
    );
    let ho = t.col("held_out");
    let io = ho
        .iter()
        .enumerate()
        .min_by(|a, b| a.1.total_cmp(b.1))
        .map_or(0, |x| x.0);
    for (name, l, v) in [
        ("GCV", by_gcv.lambda, by_gcv.value),
        ("LOOCV", by_loo.lambda, by_loo.value),
        ("held-out grid minimum", lambdas[io], ho[io]),
    ] {
        choice.push_cells(vec![
            name.into(),
            l.into(),
            v.into(),
            held_out(&path, &s, l)?.mean.into(),
        ]);
    }
    let notes = vec![
        format!(
            "diabetes (linfa-datasets, all {} patients): P = {} train, {} held out, D = 10",
            s.n,
            s.x_train.nrows(),
            s.x_test.nrows()
        ),
        format!(
            "λ chosen by GCV {:.3e} (held-out MSE {:.1}), by LOOCV {:.3e} ({:.1}); held-out \
             grid minimum {:.3e} ({:.1}); GCV and LOOCV both estimate E_g + σ² from the \
             training data alone",
            by_gcv.lambda,
            held_out(&path, &s, by_gcv.lambda)?.mean,
            by_loo.lambda,
            held_out(&path, &s, by_loo.lambda)?.mean,
            lambdas[io],
            ho[io]
        ),
    ];
    let sub: Vec<usize> = (0..lambdas.len()).step_by(4).collect();
    let panel = Panel::new(
        &format!(
            "Diabetes data ({} patients): GCV, LOOCV, held-out error",
            s.n
        ),
        "ridge λ (features standardised)",
        "mean squared error",
    )
    .log(true, false)
    .legend(Legend::LowerRight)
    .with(Series::new(
        "GCV",
        lambdas.clone(),
        t.col("gcv"),
        Style::Line,
        0,
    ))
    .with(Series::new(
        "LOOCV",
        lambdas.clone(),
        t.col("loocv"),
        Style::Dashed,
        1,
    ))
    .with(Series::new(
        "training error",
        lambdas.clone(),
        t.col("train_error"),
        Style::Line,
        6,
    ))
    .with(Series::new(
        "held-out MSE ± SE",
        sub.iter().map(|&i| lambdas[i]).collect(),
        sub.iter().map(|&i| ho[i]).collect(),
        Style::Points {
            err: sub.iter().map(|&i| t.col("held_out_se")[i]).collect(),
        },
        2,
    ));
    let mut panel = panel;
    panel.vlines.push((by_gcv.lambda, "GCV λ".into()));
    Ok(FigData {
        tables: vec![t, choice],
        figure: Figure::new("gcv_diabetes", "", vec![panel]),
        notes,
    })
}

// ---------------------------------------------------------------------------------------
// (f) Eigenvalue density of Σ̂ (THEORY §2.1 at complex ridge, §8 item 5)
// ---------------------------------------------------------------------------------------

/// Eigenvalues of `Σ̂ = XᵀX/P` for `draws` Gaussian designs with population spectrum
/// `s` (all `D` of them, zeros included when `P < D`).
fn sample_eigenvalues(s: &[f64], p: usize, draws: usize, seed: u64) -> detridge::Result<Vec<f64>> {
    let d = s.len();
    let mut out = Vec::with_capacity(d * draws);
    for k in 0..draws {
        let mut rng = rng_for(seed, k as u64);
        let x = DMatrix::from_fn(p, d, |_, j| {
            let z: f64 = rng.sample(StandardNormal);
            z * s[j].sqrt()
        });
        let path = RidgePath::new(&x, &DVector::zeros(p))?;
        let ev = path.sample_eigenvalues();
        out.extend_from_slice(ev);
        out.extend(std::iter::repeat_n(0.0, d - ev.len()));
    }
    Ok(out)
}

/// (f) Predicted density of `Σ̂` against a histogram of sampled eigenvalues:
/// Marchenko–Pastur (`Σ = I`) and a power law (`α = 1.2`, on a log axis).
///
/// # Errors
/// Library errors.
#[allow(clippy::too_many_lines)]
pub fn spectra(mode: Mode) -> Result<FigData, BoxError> {
    // Marchenko–Pastur: D = 500, P = 1000 (q = 1/2).
    let (d, p) = (500usize, 1000usize);
    let q = d as f64 / p as f64;
    let iso = Spectrum::isotropic(d as f64, 1.0)?;
    let draws = mode.pick(2, 8);
    let ev = sample_eigenvalues(&vec![1.0; d], p, draws, 11)?;
    let (a, b) = ((1.0 - q.sqrt()).powi(2), (1.0 + q.sqrt()).powi(2));
    let nb = 30;
    let width = (b - a) / nb as f64;
    let mut mp = Table::new(
        "spectra_mp_histogram",
        &[
            "left",
            "right",
            "count",
            "sample_density",
            "predicted_mass",
            "expected_count",
        ],
    );
    let n_ev = ev.len() as f64;
    for i in 0..nb {
        let (l, r) = (a + width * i as f64, a + width * (i + 1) as f64);
        let c = ev.iter().filter(|&&e| e >= l && e < r).count() as f64;
        // Predicted mass of the bin: midpoint rule on 20 sub-points.
        let mass = integrate(|x| density(&iso, p as f64, x, 1e-9), l, r, 20)?;
        mp.push(&[l, r, c, c / (n_ev * width), mass, mass * n_ev]);
    }
    let xs = linspace(a * 0.8, b * 1.05, 300);
    let mut mp_line = Table::new("spectra_mp_density", &["x", "density"]);
    for &x in &xs {
        mp_line.push(&[x, density(&iso, p as f64, x, 1e-9)?]);
    }
    let outside = ev.iter().filter(|&&e| e < a - 0.05 || e > b + 0.05).count();

    // Power law α = 1.2, D = 1000, P = 2000 (quick: D = 400, P = 800), on a log axis.
    let (dp, pp) = if mode.quick {
        (400usize, 800usize)
    } else {
        (1000, 2000)
    };
    let s: Vec<f64> = (1..=dp).map(|k| (k as f64).powf(-1.2)).collect();
    let pl = Spectrum::from_eigenvalues(&s)?;
    let evp = sample_eigenvalues(&s, pp, mode.pick(2, 4), 12)?;
    let logs: Vec<f64> = evp
        .iter()
        .filter(|&&e| e > 0.0)
        .map(|e| e.log10())
        .collect();
    let (lo, hi) = (-4.5_f64, 0.5_f64);
    let nbp = 36;
    let wl = (hi - lo) / nbp as f64;
    let mut plh = Table::new(
        "spectra_power_law_histogram",
        &[
            "log10_left",
            "log10_right",
            "count",
            "sample_density_log10",
            "predicted_mass",
            "expected_count",
        ],
    );
    let eta = |x: f64| 0.01 * x; // smoothing proportional to x (a log-scale resolution)
    let np = logs.len() as f64;
    for i in 0..nbp {
        let (l, r) = (lo + wl * i as f64, lo + wl * (i + 1) as f64);
        let c = logs.iter().filter(|&&u| u >= l && u < r).count() as f64;
        let mass = integrate(
            |u| {
                let x = 10f64.powf(u);
                Ok(density(&pl, pp as f64, x, eta(x))? * x * std::f64::consts::LN_10)
            },
            l,
            r,
            60,
        )?;
        plh.push(&[l, r, c, c / (np * wl), mass, mass * np]);
    }
    let us = linspace(lo, hi, 300);
    let mut pl_line = Table::new("spectra_power_law_density", &["log10_x", "density_log10"]);
    for &u in &us {
        let x = 10f64.powf(u);
        pl_line.push(&[
            u,
            density(&pl, pp as f64, x, eta(x))? * x * std::f64::consts::LN_10,
        ]);
    }
    let notes = vec![
        format!(
            "Σ = I, D = {d}, P = {p}: Marchenko–Pastur on [{a:.4}, {b:.4}]; {} eigenvalues from \
             {draws} draws, {outside} outside the support ± 0.05",
            ev.len()
        ),
        format!(
            "power law s_k = k^-1.2, D = {dp}, P = {pp}: density of log10 eigenvalues, \
             predicted with smoothing η = 0.01·x"
        ),
    ];
    let left = Panel::new(
        &format!("Marchenko–Pastur: Σ = I, D = {d}, P = {p}"),
        "eigenvalue of the sample covariance",
        "density",
    )
    .legend(Legend::UpperRight)
    .with(Series::new(
        &format!("sampled ({draws} draws)"),
        mp.col("left"),
        mp.col("sample_density"),
        Style::Bars { width },
        5,
    ))
    .with(Series::new(
        "theory (THEORY §2.1)",
        xs,
        mp_line.col("density"),
        Style::Line,
        1,
    ));
    let right = Panel::new(
        &format!("Power law k^-1.2: D = {dp}, P = {pp}"),
        "log10 eigenvalue of the sample covariance",
        "density of log10 eigenvalue",
    )
    .legend(Legend::UpperLeft)
    .with(Series::new(
        "sampled",
        plh.col("log10_left"),
        plh.col("sample_density_log10"),
        Style::Bars { width: wl },
        5,
    ))
    .with(Series::new(
        "theory (η = 0.01 x)",
        us,
        pl_line.col("density_log10"),
        Style::Line,
        1,
    ));
    Ok(FigData {
        tables: vec![mp, mp_line, plh, pl_line],
        figure: Figure::new(
            "spectra",
            "Eigenvalue density of the sample covariance: prediction and samples",
            vec![left, right],
        ),
        notes,
    })
}

fn integrate(
    f: impl Fn(f64) -> detridge::Result<f64>,
    a: f64,
    b: f64,
    n: usize,
) -> detridge::Result<f64> {
    let h = (b - a) / n as f64;
    let mut s = 0.0;
    for i in 0..n {
        s += f(a + h * (i as f64 + 0.5))?;
    }
    Ok(s * h)
}

// ---------------------------------------------------------------------------------------
// (g) Optimal ridge against P (THEORY §3.4)
// ---------------------------------------------------------------------------------------

/// Task with a negative optimal ridge: a power law whose target sits on the top
/// eigen-directions (α = 1.5, r = 1.5, D = 200), little noise (σ² = 1e-4).
pub fn negative_ridge_task() -> detridge::Result<Task> {
    Task::power_law(1.5, 1.5, Some(200), 1e-4)
}

/// (g) `λ*` against `P`: isotropic (closed form) and a task with `λ* < 0`.
///
/// # Errors
/// Library errors.
pub fn optimal_ridge(_mode: Mode) -> Result<FigData, BoxError> {
    let iso = Task::isotropic(DD_D, 1.0, DD_SIGMA2)?;
    let aligned = negative_ridge_task()?;
    let ps = geomspace(10.0, 2000.0, 41);
    let mut t = Table::new(
        "optimal_ridge",
        &[
            "P",
            "lambda_star_isotropic",
            "closed_form_isotropic",
            "lambda_star_aligned",
            "E_g_at_lambda_star_aligned",
            "E_g_at_lambda0_aligned",
        ],
    );
    for &p in &ps {
        let a = iso.optimal_ridge(p)?;
        let b = aligned.optimal_ridge(p)?;
        let e0 = aligned.ridge(p, 0.0).map_or(f64::NAN, |x| x.test_error);
        t.push(&[
            p,
            a.lambda,
            DD_SIGMA2 * DD_D / (p * iso.target_norm2()),
            b.lambda,
            b.theory.test_error,
            e0,
        ]);
    }
    let lb = t.col("lambda_star_aligned");
    let neg: Vec<f64> = ps
        .iter()
        .zip(&lb)
        .filter(|(_, l)| **l < 0.0)
        .map(|(p, _)| *p)
        .collect();
    let notes = vec![
        task_line("isotropic", &iso) + ": λ* = σ²D/(P|w̄|²) (closed form, THEORY §3.4)",
        task_line("aligned power law α = 1.5, r = 1.5", &aligned),
        if neg.is_empty() {
            "aligned task: λ* ≥ 0 everywhere on the grid".into()
        } else {
            format!(
                "aligned task: λ* < 0 for P in [{:.0}, {:.0}] (negative optimal ridge: the \
                 target lives on the top eigen-directions and the noise is small)",
                neg[0],
                neg[neg.len() - 1]
            )
        },
    ];
    let left = Panel::new("Isotropic: λ* = σ²D/(P|w̄|²)", "P", "optimal ridge λ*")
        .log(true, true)
        .with(Series::new(
            "closed form",
            ps.clone(),
            t.col("closed_form_isotropic"),
            Style::Line,
            0,
        ))
        .with(Series::new(
            "Task::optimal_ridge",
            ps.clone(),
            t.col("lambda_star_isotropic"),
            Style::Points { err: Vec::new() },
            1,
        ));
    let mut right = Panel::new(
        "Aligned power law (α = r = 1.5, D = 200, σ² = 1e-4)",
        "P",
        "optimal ridge λ*",
    )
    .log(true, false)
    .legend(Legend::LowerRight)
    .with(Series::new("λ*(P)", ps.clone(), lb, Style::Line, 1))
    .with(Series::new(
        "",
        ps.clone(),
        t.col("lambda_star_aligned"),
        Style::Points { err: Vec::new() },
        1,
    ));
    right.hlines.push((0.0, "λ* < 0 below".into()));
    right.vlines.push((200.0, "P = D".into()));
    Ok(FigData {
        tables: vec![t],
        figure: Figure::new(
            "optimal_ridge",
            "Optimal ridge against sample size",
            vec![left, right],
        ),
        notes,
    })
}

// ---------------------------------------------------------------------------------------
// (h) Gradient flow: E_g(t) at several P, early stopping (THEORY §13)
// ---------------------------------------------------------------------------------------

/// `P/D` of the gradient-flow figure (isotropic, `D = DD_D`, `σ² = DD_SIGMA2`, `λ = 0`).
pub const GF_Q: [f64; 3] = [0.5, 1.1, 2.0];
/// Simulated times of the gradient-flow figure.
pub const GF_SIM_T: [f64; 6] = [0.3, 1.0, 3.0, 10.0, 30.0, 100.0];

/// (h) `E_g(t)` against training time at several `P` (λ = 0), with the `t = ∞` ridge
/// value dashed and Monte Carlo points.
///
/// # Errors
/// Library errors.
pub fn gradient_flow(mode: Mode) -> Result<FigData, BoxError> {
    let task = Task::isotropic(DD_D, 1.0, DD_SIGMA2)?;
    let ts = geomspace(0.01, 1e4, 61);
    let mut cols = vec!["t".to_string()];
    for q in GF_Q {
        cols.push(format!("E_g_q{q}"));
    }
    let col_refs: Vec<&str> = cols.iter().map(String::as_str).collect();
    let mut th = Table::new("gradient_flow_theory", &col_refs);
    let mut sim = Table::new(
        "gradient_flow_sim",
        &["P_over_D", "P", "t", "E_g_mean", "E_g_se", "E_g_theory"],
    );
    let mut summary = Table::new(
        "gradient_flow_summary",
        &["P_over_D", "P", "t_min", "E_g_min", "E_g_inf", "ridge_E_g"],
    );
    let mut curves: Vec<Vec<f64>> = Vec::new();
    let mut panel = Panel::new(
        &format!("Isotropic D = {DD_D}, σ² = {DD_SIGMA2}, λ = 0: dashed = t = ∞ (ridgeless)"),
        "training time t",
        "test error E_g(t)",
    )
    .log(true, true)
    .legend(Legend::LowerLeft);
    let mut notes = vec![task_line("gradient flow, isotropic", &task)];
    let draws = mode.pick(6, 40);
    for (j, &q) in GF_Q.iter().enumerate() {
        let p = q * DD_D;
        let mut times = ts.clone();
        times.push(f64::INFINITY);
        let c = task.gradient_flow_curve(p, 0.0, &times)?;
        let e: Vec<f64> = c.iter().map(|g| g.test_error).collect();
        let e_inf = e[e.len() - 1];
        let ridge = task.ridge(p, 0.0)?.test_error;
        let (imin, emin) = argmin(&e[..ts.len()]).ok_or("empty curve")?;
        summary.push(&[q, p, ts[imin], emin, e_inf, ridge]);
        notes.push(format!(
            "P/D = {q}: min_t E_g = {emin:.4} at t ≈ {:.3}; E_g(∞) = {e_inf:.4} (Task::ridge {ridge:.4}){}",
            ts[imin],
            if emin < e_inf * (1.0 - 1e-3) {
                " — early stopping helps"
            } else {
                ""
            }
        ));
        curves.push(e[..ts.len()].to_vec());
        let sims = montecarlo::dynamics::gradient_flow(
            &task,
            p.round() as usize,
            &[0.0],
            &GF_SIM_T,
            draws,
            1300 + j as u64,
        )?;
        let sth = task.gradient_flow_curve(p, 0.0, &GF_SIM_T)?;
        let points = dynamics_points(&mut sim, &[q, p], &sims, &sth, j);
        panel = panel
            .with(Series::new(
                &format!("P/D = {q}"),
                ts.clone(),
                e[..ts.len()].to_vec(),
                Style::Line,
                j,
            ))
            .with(dashed_level(ts[0], ts[ts.len() - 1], e_inf, j))
            .with(points);
    }
    push_curves(&mut th, &ts, &curves);
    notes.push(format!(
        "simulation: {draws} draws per P at t ∈ {GF_SIM_T:?} (points ± SE)"
    ));
    Ok(FigData {
        tables: vec![th, sim, summary],
        figure: Figure::new(
            "gradient_flow",
            "Gradient flow from w = 0: test error against training time",
            vec![panel],
        ),
        notes,
    })
}

// ---------------------------------------------------------------------------------------
// (i) One-pass SGD learning curves (THEORY §14)
// ---------------------------------------------------------------------------------------

/// Capacity and source of the SGD figure.
pub const SGD_ALPHA: f64 = 1.5;
/// Source exponent of the SGD figure.
pub const SGD_R: f64 = 0.4;
/// Batch sizes of the SGD figure.
pub const SGD_BATCHES: [usize; 3] = [1, 8, 64];
/// Simulated dimension of the SGD figure's Monte Carlo points.
pub const SGD_SIM_D: usize = 4000;
/// Simulated step counts.
pub const SGD_SIM_K: [u64; 6] = [1, 10, 30, 100, 300, 1000];
/// Slope-fit window in `k`.
pub const SGD_FIT: (f64, f64) = (1e3, 1e5);

/// (i) One-pass SGD test error against steps at several batch sizes (`D = ∞` power law,
/// `η = η_max/2`), with the predicted slope and Monte Carlo at `D = 4000`.
///
/// # Errors
/// Library errors.
#[allow(clippy::too_many_lines)]
pub fn sgd(mode: Mode) -> Result<FigData, BoxError> {
    use detridge::dynamics::SgdParams;
    let task = Task::power_law(SGD_ALPHA, SGD_R, None, 0.0)?;
    let fin = Task::power_law(SGD_ALPHA, SGD_R, Some(SGD_SIM_D), 0.0)?;
    let predicted = (2.0 * SGD_R).min(2.0 - 1.0 / SGD_ALPHA);
    let ks: Vec<u64> = {
        let mut v: Vec<u64> = geomspace(1.0, 1e5, 61)
            .iter()
            .map(|k| k.round() as u64)
            .collect();
        v.dedup();
        v
    };
    let kx: Vec<f64> = ks.iter().map(|&k| k as f64).collect();
    let mut cols = vec!["k".to_string()];
    for b in SGD_BATCHES {
        cols.push(format!("E_B{b}"));
    }
    let col_refs: Vec<&str> = cols.iter().map(String::as_str).collect();
    let mut th = Table::new("sgd_theory", &col_refs);
    let mut slopes = Table::new("sgd_slopes", &["batch", "step_size", "fitted", "predicted"]);
    let mut sim = Table::new(
        "sgd_sim",
        &[
            "batch",
            "k",
            "E_mean",
            "E_se",
            "E_theory_D4000",
            "E_theory_D_inf",
        ],
    );
    let mut panel = Panel::new(
        &format!("Power law α = {SGD_ALPHA}, r = {SGD_R}, D = ∞, σ = λ = 0, η = η_max(B)/2"),
        "steps k",
        "test error E(k)",
    )
    .log(true, true)
    .legend(Legend::LowerLeft);
    let mut notes = vec![format!(
        "predicted slope min(2r, 2 − 1/α) = {predicted:.3} (THEORY §14)"
    )];
    let draws = mode.pick(6, 32);
    let mut curves = Vec::new();
    for (j, &b) in SGD_BATCHES.iter().enumerate() {
        let eta = 0.5 * task.sgd_max_step(b, 0.0)?;
        let params = SgdParams {
            batch: b,
            step_size: eta,
            ..Default::default()
        };
        let e: Vec<f64> = task
            .sgd(&params, &ks)?
            .iter()
            .map(|s| s.test_error)
            .collect();
        let fitted = -fit_window(&kx, &e, SGD_FIT.0, SGD_FIT.1)?;
        slopes.push(&[b as f64, eta, fitted, predicted]);
        notes.push(format!(
            "B = {b}: η = {eta:.4}, fitted slope over k ∈ [1e3, 1e5] = {fitted:.3} (predicted {predicted:.3})"
        ));
        panel = panel.with(Series::new(
            &format!("B = {b} (slope {fitted:.2})"),
            kx.clone(),
            e.clone(),
            Style::Line,
            j,
        ));
        curves.push(e);
        if b <= 8 {
            let eta_f = 0.5 * fin.sgd_max_step(b, 0.0)?;
            let pf = SgdParams {
                step_size: eta_f,
                ..params
            };
            let tf = fin.sgd(&pf, &SGD_SIM_K)?;
            let ti = task.sgd(&pf, &SGD_SIM_K)?;
            let mc =
                montecarlo::dynamics::sgd(&fin, b, eta_f, 0.0, &SGD_SIM_K, draws, 1400 + b as u64)?;
            let (mut sx, mut sy, mut se) = (Vec::new(), Vec::new(), Vec::new());
            for ((m, a), c) in mc.iter().zip(&tf).zip(&ti) {
                sim.push(&[
                    b as f64,
                    m.steps as f64,
                    m.test_error.mean,
                    m.test_error.std_err,
                    a.test_error,
                    c.test_error,
                ]);
                sx.push(m.steps as f64);
                sy.push(m.test_error.mean);
                se.push(m.test_error.std_err);
            }
            panel = panel.with(Series::new("", sx, sy, Style::Points { err: se }, j));
        }
    }
    for (i, &k) in kx.iter().enumerate() {
        let mut row = vec![k];
        row.extend(curves.iter().map(|c| c[i]));
        th.push(&row);
    }
    // Guide: slope −predicted through the B = 1 curve at k = 1e3.
    let i0 = kx.iter().position(|&k| k >= SGD_FIT.0).unwrap_or(0);
    let (k0, e0) = (kx[i0], curves[0][i0]);
    let gx = vec![1e2, 1e5];
    let gy: Vec<f64> = gx
        .iter()
        .map(|k| 1.5 * e0 * (k / k0).powf(-predicted))
        .collect();
    panel = panel.with(Series::new(
        &format!("k^(−{predicted:.2}) predicted"),
        gx,
        gy,
        Style::Dashed,
        7,
    ));
    notes.push(format!(
        "simulation: D = {SGD_SIM_D} (η = η_max/2 of that task), {draws} draws, B ∈ {{1, 8}}"
    ));
    Ok(FigData {
        tables: vec![th, slopes, sim],
        figure: Figure::new(
            "sgd",
            "One-pass SGD: learning curves against steps",
            vec![panel],
        ),
        notes,
    })
}

// ---------------------------------------------------------------------------------------
// (j) Compute-optimal frontier of linear random features (THEORY §15)
// ---------------------------------------------------------------------------------------

/// `(α, r)` of the compute-optimal figure (noiseless; feature variance active).
pub const CO_TASK: (f64, f64) = (1.5, 0.75);

/// Fitted frontier exponents against the derived ones.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct FrontierExponents {
    /// Fitted `N* ∝ C^width`.
    pub width: f64,
    /// Fitted `P* ∝ C^data`.
    pub data: f64,
    /// Fitted `E* ∝ C^{−error}`.
    pub error: f64,
}

/// (j) `E*(C)`, `N*(C)`, `P*(C)` with fitted exponents against `derived_exponents`.
///
/// # Errors
/// Library errors.
pub fn compute_optimal(mode: Mode) -> Result<FigData, BoxError> {
    use detridge::scaling::compute::{compute_optimal_frontier, derived_exponents};
    let (alpha, r) = CO_TASK;
    let task = Task::power_law(alpha, r, None, 0.0)?;
    let cs = geomspace(1e6, 1e10, mode.pick(7, 13));
    let f = compute_optimal_frontier(&task, &cs)?;
    let mut t = Table::new(
        "compute_optimal",
        &["C", "N_star", "P_star", "lambda_star", "E_star"],
    );
    for o in &f {
        t.push(&[o.compute, o.n, o.p, o.lambda, o.test_error]);
    }
    let (n, p, e) = (t.col("N_star"), t.col("P_star"), t.col("E_star"));
    let fit = FrontierExponents {
        width: fit_log_log(&cs, &n)?.slope,
        data: fit_log_log(&cs, &p)?.slope,
        error: -fit_log_log(&cs, &e)?.slope,
    };
    let d = derived_exponents(alpha, r, false)?;
    let mut ex = Table::new(
        "compute_optimal_exponents",
        &["quantity_code", "fitted", "derived", "two_term_balance"],
    );
    // Codes: 0 error b, 1 width a, 2 data 1 − a.
    ex.push(&[0.0, fit.error, d.error, d.balance_error]);
    ex.push(&[1.0, fit.width, d.width, 1.0 - d.balance_data]);
    ex.push(&[2.0, fit.data, d.data, d.balance_data]);
    let notes = vec![
        format!(
            "linear random features on a power law α = {alpha}, r = {r}, D = ∞, σ² = 0; C = P·N ∈ [1e6, 1e10]"
        ),
        format!(
            "E* ∝ C^−{:.3} (derived {:.3}; THEORY §15 two-term balance {:.3})",
            fit.error, d.error, d.balance_error
        ),
        format!(
            "N* ∝ C^{:.3} (derived {:.3}), P* ∝ C^{:.3} (derived {:.3})",
            fit.width, d.width, fit.data, d.data
        ),
    ];
    let guide = |y: &[f64], slope: f64| -> Vec<f64> {
        let mid = cs.len() / 2;
        cs.iter()
            .map(|c| 1.3 * y[mid] * (c / cs[mid]).powf(slope))
            .collect()
    };
    let left = Panel::new(
        &format!("Optimal error (α = {alpha}, r = {r}, σ² = 0)"),
        "compute C = P·N",
        "E*(C)",
    )
    .log(true, true)
    .with(Series::new(
        &format!("E*(C): fitted −{:.3}", fit.error),
        cs.clone(),
        e.clone(),
        Style::Points { err: Vec::new() },
        0,
    ))
    .with(Series::new(
        &format!("derived C^−{:.3}", d.error),
        cs.clone(),
        guide(&e, -d.error),
        Style::Dashed,
        7,
    ));
    let right = Panel::new("Optimal split of the budget", "compute C = P·N", "N*, P*")
        .log(true, true)
        .legend(Legend::UpperLeft)
        .with(Series::new(
            &format!("N*(C): fitted {:.3} (derived {:.3})", fit.width, d.width),
            cs.clone(),
            n.clone(),
            Style::Points { err: Vec::new() },
            1,
        ))
        .with(Series::new(
            "",
            cs.clone(),
            guide(&n, d.width),
            Style::Dashed,
            1,
        ))
        .with(Series::new(
            &format!("P*(C): fitted {:.3} (derived {:.3})", fit.data, d.data),
            cs.clone(),
            p.clone(),
            Style::Points { err: Vec::new() },
            2,
        ))
        .with(Series::new(
            "",
            cs.clone(),
            guide(&p, d.data),
            Style::Dashed,
            2,
        ));
    Ok(FigData {
        tables: vec![t, ex],
        figure: Figure::new(
            "compute_optimal",
            "Compute-optimal frontier of linear random features (C = P·N)",
            vec![left, right],
        ),
        notes,
    })
}

// ---------------------------------------------------------------------------------------
// (k) Learning-curve forecast from one data set (THEORY §16)
// ---------------------------------------------------------------------------------------

/// (k) The forecast learning curve of the diabetes data (all 442 patients, features
/// standardised, target centred; default [`detridge::forecast::ForecastParams`]): what
/// `cargo run --example forecast` draws without a CSV argument. Quick mode is the same
/// (the fit takes a fraction of a second).
///
/// # Errors
/// Library errors.
pub fn forecast_diabetes(_mode: Mode) -> Result<FigData, BoxError> {
    let (x, y) = diabetes()?;
    let (x, y) = forecastfig::standardise(x, y);
    let f = detridge::estimate::Forecast::fit(&x, &y)?;
    forecastfig::learning_curve("forecast_diabetes", "Diabetes", &x, &y, &f)
}
