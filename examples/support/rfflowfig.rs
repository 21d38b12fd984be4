//! The gradient-flow figure of linear random features (THEORY §13, "Linear random
//! features"): `E_g(t)` of the readout at several widths `N` for one sample size `P`,
//! with the `t = ∞` value ([`Task::random_features`]) dashed and Monte Carlo points.
//! A child module of `figdata.rs` (it returns a [`FigData`]).

use detridge::{Error, montecarlo};

use super::{BoxError, FigData, Figure, Legend, Mode, Panel, Series, Style, Table, geomspace};

/// Sample size of the figure (the task is [`super::rf_task`], `D = 300 = 3P`, so the
/// sample-wise threshold `P = D` is far away).
pub const P: f64 = 100.0;
/// Widths `N`, as multiples of `P`: under-parameterised, the interpolation peak, and
/// over-parameterised.
pub const N_OVER_P: [f64; 3] = [0.25, 1.0, 4.0];
/// Ridge (gradient flow from `v = 0` at `λ = 0`: the implicit regularisation of early
/// stopping is the only one).
pub const LAMBDA: f64 = 0.0;
/// Simulated times.
pub const SIM_T: [f64; 8] = [0.1, 1.0, 10.0, 100.0, 1e3, 1e4, 1e5, 1e6];
/// Theory grid `t ∈ [T_LO, T_HI]` (log-spaced).
pub const T_LO: f64 = 1e-2;
/// Upper end of the theory grid.
pub const T_HI: f64 = 1e6;
/// Window `t ∈ [LATE.0, LATE.1]` of the fitted late-time log–log slope of `E_g(t)`.
pub const LATE: (f64, f64) = (1e5, 1e6);

/// `E_g(t)` against training time at the widths [`N_OVER_P`]`·P`, with the `t = ∞`
/// value dashed (absent where it diverges: `N = P`, `λ = 0`) and Monte Carlo points.
///
/// # Errors
/// Library errors (other than the expected divergence at `N = P`).
#[allow(clippy::too_many_lines)]
pub fn figure(mode: Mode) -> Result<FigData, BoxError> {
    let task = super::rf_task()?;
    let ts = geomspace(T_LO, T_HI, 161);
    let mut cols = vec!["t".to_string()];
    for x in N_OVER_P {
        cols.push(format!("E_g_N{}", x * P));
    }
    let col_refs: Vec<&str> = cols.iter().map(String::as_str).collect();
    let mut th = Table::new("gradient_flow_random_features_theory", &col_refs);
    let mut sim = Table::new(
        "gradient_flow_random_features_sim",
        &["N", "t", "E_g_mean", "E_g_se", "E_g_theory"],
    );
    // `E_g_inf` / `rf_E_g`: NaN where the t = ∞ value diverges (`diverges` = 1).
    let mut summary = Table::new(
        "gradient_flow_random_features_summary",
        &[
            "N",
            "t_min",
            "E_g_min",
            "E_g_end",
            "late_slope",
            "E_g_inf",
            "rf_E_g",
            "diverges",
        ],
    );
    let mut panel = Panel::new(
        &format!("α = 1.5, r = 0.6, D = 300, σ² = 0.09, P = {P}, λ = 0; dashed: t = ∞"),
        "training time t",
        "test error E_g(t)",
    )
    .log(true, true)
    .legend(Legend::UpperLeft);
    let mut notes = vec![super::task_line("RF gradient flow, power law", &task)];
    let draws = mode.pick(6, 40);
    let mut curves: Vec<Vec<f64>> = Vec::new();
    for (j, &x) in N_OVER_P.iter().enumerate() {
        let n = x * P;
        let e: Vec<f64> = task
            .random_features_gradient_flow_curve(P, n, LAMBDA, &ts)?
            .iter()
            .map(|g| g.test_error)
            .collect();
        let flow_inf = task.random_features_gradient_flow(P, n, LAMBDA, f64::INFINITY);
        let rf = task.random_features(P, n, LAMBDA);
        let (e_inf, rf_e, diverges) = match (flow_inf, rf) {
            (Ok(a), Ok(b)) => (a.test_error, b.test_error, false),
            (Err(Error::Divergent { .. }), Err(Error::Divergent { .. })) => {
                (f64::NAN, f64::NAN, true)
            }
            (a, b) => {
                return Err(format!("N = {n}: t = ∞ gives {a:?}, random_features {b:?}").into());
            }
        };
        let (imin, emin) = super::argmin(&e).ok_or("empty curve")?;
        let e_end = e[e.len() - 1];
        let slope = super::fit_window(&ts, &e, LATE.0, LATE.1)?;
        summary.push(&[
            n,
            ts[imin],
            emin,
            e_end,
            slope,
            e_inf,
            rf_e,
            f64::from(u8::from(diverges)),
        ]);
        notes.push(if diverges {
            format!(
                "N = {n}: min_t E_g = {emin:.4} at t ≈ {:.3}; E_g({T_HI:e}) = {e_end:.4}, growing as t^{slope:.3} over t ∈ {LATE:?}; t = ∞ diverges (N = P, λ = 0)",
                ts[imin]
            )
        } else {
            format!(
                "N = {n}: min_t E_g = {emin:.4} at t ≈ {:.3}; E_g({T_HI:e}) = {e_end:.4}; E_g(∞) = {e_inf:.4} (Task::random_features {rf_e:.4})",
                ts[imin]
            )
        });
        let sims = montecarlo::dynamics::random_features_gradient_flow(
            &task,
            P as usize,
            n.round() as usize,
            &[LAMBDA],
            &SIM_T,
            draws,
            1400 + j as u64,
        )?;
        let sth = task.random_features_gradient_flow_curve(P, n, LAMBDA, &SIM_T)?;
        let points = super::dynamics_points(&mut sim, &[n], &sims, &sth, j);
        let label = if diverges {
            format!("N = {n} (= P; t = ∞ diverges)")
        } else {
            format!("N = {n}")
        };
        panel = panel.with(Series::new(&label, ts.clone(), e.clone(), Style::Line, j));
        if !diverges {
            panel = panel.with(super::dashed_level(ts[0], ts[ts.len() - 1], e_inf, j));
        }
        panel = panel.with(points);
        curves.push(e);
    }
    super::push_curves(&mut th, &ts, &curves);
    notes.push(format!(
        "simulation: {draws} draws per N (F redrawn each draw) at t ∈ {SIM_T:?} (points ± SE)"
    ));
    Ok(FigData {
        tables: vec![th, sim, summary],
        figure: Figure::new(
            "gradient_flow_random_features",
            "Gradient flow of a random-feature readout",
            vec![panel],
        ),
        notes,
    })
}
