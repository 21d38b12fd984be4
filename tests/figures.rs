//! The data behind every figure of `examples/figures.rs` (quick mode), checked against
//! what each figure's caption claims — numbers, not pixels.
//!
//! Run: `cargo test --release --test figures` (≈ 10 s on 2 cores).

#[path = "../examples/support/plot.rs"]
mod plot;

#[path = "../examples/support/figdata.rs"]
mod figdata;

use figdata::{FigData, Mode, compute};
use plot::Table;

const QUICK: Mode = Mode { quick: true };

fn fig(name: &str) -> FigData {
    compute(name, QUICK).unwrap_or_else(|e| panic!("{name}: {e}"))
}

/// Monte Carlo points: `|mean − theory| ≤ 4·SE + allowance·theory`.
fn check_sim(t: &Table, mean: &str, se: &str, theory: &str, allowance: f64) {
    let (m, s, th) = (t.col(mean), t.col(se), t.col(theory));
    for i in 0..m.len() {
        let gap = (m[i] - th[i]).abs();
        assert!(
            gap <= 4.0 * s[i] + allowance * th[i].abs(),
            "{} row {i}: theory {} vs simulation {} ± {}",
            t.name,
            th[i],
            m[i],
            s[i]
        );
    }
}

#[test]
fn double_descent_peak_envelope_and_simulation() {
    let f = fig("double_descent");
    let th = f.table("double_descent_theory");
    let q = th.col("P_over_D");
    // Smallest ridge: the peak sits at the interpolation threshold P = D (grid step 0.01).
    let e = th.col("E_g_lambda_1e-3");
    let imax = e
        .iter()
        .enumerate()
        .max_by(|a, b| a.1.total_cmp(b.1))
        .unwrap()
        .0;
    assert!((q[imax] - 1.0).abs() <= 0.011, "peak at P/D = {}", q[imax]);
    // The envelope min_λ E_g lies below every fixed-λ curve, and has no interior peak.
    let env = th.col("E_g_optimal");
    for c in th.columns.iter().filter(|c| c.starts_with("E_g_lambda")) {
        for (i, (a, b)) in env.iter().zip(th.col(c)).enumerate() {
            assert!(
                *a <= b * (1.0 + 1e-9),
                "{c} at P/D = {}: {b} < envelope {a}",
                q[i]
            );
        }
    }
    assert!(
        env.windows(2).all(|w| w[1] <= w[0] * (1.0 + 1e-9)),
        "envelope not monotone"
    );
    // λ* = σ²D/(P|w̄|²) for this isotropic task (THEORY §3.4).
    for (p, l) in th.col("P").iter().zip(th.col("lambda_star")) {
        let closed = figdata::DD_SIGMA2 * figdata::DD_D / p;
        assert!(
            (l - closed).abs() <= 1e-6 * closed,
            "λ* at P = {p}: {l} vs {closed}"
        );
    }
    // Simulation (D = 200, points at |P − D| ≥ 50): finite-size corrections are
    // O(1/|P − D|) ≲ 2 % of E_g (e.g. OLS at P = 1.5 D: σ²D/(P−D−1) vs σ²D/(P−D), 1 %);
    // allowance 3 %.
    check_sim(
        f.table("double_descent_sim"),
        "E_g_mean",
        "E_g_se",
        "E_g_theory",
        0.03,
    );
}

#[test]
fn decomposition_terms_sum_to_the_total_and_match_simulation() {
    let f = fig("decomposition");
    let th = f.table("decomposition_theory");
    let (b, vx, vn, eg) = (
        th.col("bias2"),
        th.col("var_data"),
        th.col("var_noise"),
        th.col("E_g"),
    );
    for i in 0..eg.len() {
        let sum = b[i] + vx[i] + vn[i];
        assert!(
            (sum - eg[i]).abs() <= 1e-12 * eg[i],
            "row {i}: {sum} vs {}",
            eg[i]
        );
        assert!(b[i] >= 0.0 && vx[i] >= 0.0 && vn[i] >= 0.0);
    }
    // Each term against its unbiased Monte Carlo estimate; D = 200 with points down to
    // |P − D| = 0 (λ = 0.01 keeps the peak finite): allowance 5 % for the O(1/D)
    // finite-size corrections near the peak.
    check_sim(f.table("decomposition_sim"), "mean", "se", "theory", 0.05);
}

#[test]
fn random_features_peak_decomposition_and_simulation() {
    let f = fig("random_features");
    let th = f.table("random_features_theory");
    let x = th.col("N_over_P");
    // Every curve (P < D) peaks within a few percent of N = P at λ = 1e-5.
    for &p in &figdata::RF_PS {
        let e = th.col(&format!("E_g_P_{p}"));
        let i = e
            .iter()
            .enumerate()
            .max_by(|a, b| a.1.total_cmp(b.1))
            .unwrap()
            .0;
        assert!((x[i] - 1.0).abs() < 0.08, "P = {p}: peak at N/P = {}", x[i]);
    }
    // The peak converges onto N = P as λ → 0 (fine integer grid in N at P = 200).
    let pk = f.table("random_features_peak").col("N_peak");
    let p0 = figdata::RF_P_SIM as f64;
    assert!((pk[2] - p0).abs() <= 1.0, "λ = 1e-8: peak at N = {}", pk[2]);
    assert!((pk[0] - p0).abs() >= (pk[2] - p0).abs());
    // The five terms add up to E_g.
    let d = f.table("random_features_decomposition");
    let total = d.col("E_g");
    let terms = [
        "bias2",
        "var_data",
        "var_features",
        "var_data_features",
        "var_noise",
    ];
    let cols: Vec<Vec<f64>> = terms.iter().map(|c| d.col(c)).collect();
    for i in 0..total.len() {
        let sum: f64 = cols.iter().map(|c| c[i]).sum();
        assert!((sum - total[i]).abs() <= 1e-10 * total[i], "row {i}");
    }
    // Simulation away from the peak (|N − P| ≥ 80) with 4 × 4 draws; D = 300, P = 200:
    // finite-size corrections O(1/|N − P|, 1/D) ≲ 3 %; allowance 5 %.
    check_sim(
        f.table("random_features_sim"),
        "E_g_mean",
        "E_g_se",
        "E_g_theory",
        0.05,
    );
}

#[test]
fn scaling_law_slopes_match_the_exponents() {
    let f = fig("scaling_laws");
    let s = f.table("scaling_laws_slopes");
    let (fit, pred) = (s.col("fitted"), s.col("predicted"));
    assert_eq!(fit.len(), 8, "two r × four regimes");
    for i in 0..fit.len() {
        assert!(
            (fit[i] - pred[i]).abs() < 0.05,
            "row {i}: fitted {} vs predicted {}",
            fit[i],
            pred[i]
        );
    }
    // The ridgeless noise term saturates at σ²(α − 1).
    let pl = f.table("scaling_laws_plateau");
    let (v, plateau) = (pl.col("var_noise"), pl.col("plateau"));
    let last = v.len() - 1;
    assert!((v[last] - plateau[last]).abs() < 0.01 * plateau[last]);
    // The fixed-λ curves saturate (ridge-limited): flat over the last decade in P.
    let r = f.table("scaling_laws_resolution");
    let e = r.col("E_g_r0.4_lambda1e-4");
    assert!((e[e.len() - 1] / e[e.len() - 9] - 1.0).abs() < 0.05);
}

#[test]
fn gcv_uses_all_442_patients_and_picks_a_good_ridge() {
    let (x, y) = figdata::diabetes().unwrap();
    assert_eq!((x.nrows(), x.ncols(), y.len()), (442, 10, 442));
    // The restored first patient (target 151) and the following one (target 75).
    assert!((y[0] - 151.0).abs() < 1e-12 && (y[1] - 75.0).abs() < 1e-12);
    let f = fig("gcv_diabetes");
    let t = f.table("gcv_diabetes");
    let (tr, gcv, loo) = (t.col("train_error"), t.col("gcv"), t.col("loocv"));
    for i in 0..tr.len() {
        assert!(gcv[i] >= tr[i], "GCV below the training error");
        // GCV and LOOCV agree closely when leverages are small (D = 10 ≪ P = 332).
        assert!((gcv[i] - loo[i]).abs() < 0.03 * loo[i]);
    }
    // The λ chosen by GCV does (statistically) as well on held-out patients as the best
    // λ of the grid: within 2 held-out standard errors.
    let c = f.table("gcv_diabetes_choice");
    let ho = c.col("held_out");
    let se = t.col("held_out_se");
    let max_se = se.iter().copied().fold(0.0, f64::max);
    assert!(
        ho[0] - ho[2] <= 2.0 * max_se,
        "GCV choice {} vs best {}",
        ho[0],
        ho[2]
    );
}

#[test]
fn sampled_eigenvalues_follow_the_predicted_density() {
    let f = fig("spectra");
    // Marchenko–Pastur at D = 500, P = 1000 (2 draws): eigenvalues are more rigid than
    // Poisson, so 4·√n is conservative inside the bulk; near the edges the finite-D
    // density differs from the limit over O(D^{-2/3}) ≈ 0.016 of the support, hence a
    // 10 % per-bin allowance.
    let t = f.table("spectra_mp_histogram");
    let (c, e, m) = (
        t.col("count"),
        t.col("expected_count"),
        t.col("predicted_mass"),
    );
    let mass: f64 = m.iter().sum();
    assert!((mass - 1.0).abs() < 0.01, "MP predicted mass {mass}");
    let n: f64 = c.iter().sum();
    assert!(
        n >= 0.999 * 1000.0,
        "eigenvalues outside the MP support: {}",
        1000.0 - n
    );
    for i in 0..c.len() {
        assert!(
            (c[i] - e[i]).abs() <= 4.0 * e[i].sqrt() + 0.10 * e[i] + 1.0,
            "MP bin {i}: {} sampled vs {} expected",
            c[i],
            e[i]
        );
    }
    // Power law (quick: D = 400, P = 800), bulk bins (x < 10^-1.5, where the density is
    // continuous): the prediction is smoothed at η = 0.01·x (a Lorentzian whose tails
    // add a few % of mass in total, measured below) against bins of 0.14 decades; 10 %.
    let t = f.table("spectra_power_law_histogram");
    let (c, e, m) = (
        t.col("count"),
        t.col("expected_count"),
        t.col("predicted_mass"),
    );
    let mass: f64 = m.iter().sum();
    assert!((mass - 1.0).abs() < 0.04, "power-law predicted mass {mass}");
    let right = t.col("log10_right");
    for i in (0..c.len()).filter(|&i| right[i] <= -1.5) {
        assert!(
            (c[i] - e[i]).abs() <= 4.0 * e[i].sqrt() + 0.10 * e[i] + 1.0,
            "power-law bin {i}: {} sampled vs {} expected",
            c[i],
            e[i]
        );
    }
}

#[test]
fn optimal_ridge_closed_form_and_negative_region() {
    let f = fig("optimal_ridge");
    let t = f.table("optimal_ridge");
    let (iso, closed) = (
        t.col("lambda_star_isotropic"),
        t.col("closed_form_isotropic"),
    );
    for (a, b) in iso.iter().zip(&closed) {
        assert!((a - b).abs() <= 1e-6 * b, "{a} vs {b}");
    }
    let task = figdata::negative_ridge_task().unwrap();
    let lb = t.col("lambda_star_aligned");
    assert!(lb.iter().any(|&l| l < 0.0), "no negative optimal ridge");
    assert!(lb.iter().any(|&l| l > 0.0));
    // λ* is a minimum: nudging it either way does not lower E_g, and it beats λ = 0.
    for (p, (l, e)) in t
        .col("P")
        .iter()
        .zip(lb.iter().zip(t.col("E_g_at_lambda_star_aligned")))
    {
        for dl in [-1e-2 * l.abs() - 1e-7, 1e-2 * l.abs() + 1e-7] {
            if let Ok(r) = task.ridge(*p, l + dl) {
                assert!(r.test_error >= e * (1.0 - 1e-9), "P = {p}");
            }
        }
        if let Ok(r) = task.ridge(*p, 0.0) {
            assert!(r.test_error >= e * (1.0 - 1e-9), "P = {p}: λ = 0 beats λ*");
        }
    }
}

#[test]
fn gradient_flow_early_stopping_and_ridge_limit() {
    let f = fig("gradient_flow");
    let s = f.table("gradient_flow_summary");
    let th = f.table("gradient_flow_theory");
    let ts = th.col("t");
    let (q, tmin, emin, einf, ridge) = (
        s.col("P_over_D"),
        s.col("t_min"),
        s.col("E_g_min"),
        s.col("E_g_inf"),
        s.col("ridge_E_g"),
    );
    assert_eq!(q.len(), figdata::GF_Q.len());
    for i in 0..q.len() {
        // t = ∞ is Task::ridge (here ridgeless) to 1e-10.
        assert!(
            (einf[i] - ridge[i]).abs() <= 1e-10 * ridge[i],
            "P/D = {}: E_g(∞) {} vs ridge {}",
            q[i],
            einf[i],
            ridge[i]
        );
        // An interior minimum below the t = ∞ value (σ² > 0, λ = 0: early stopping helps).
        assert!(emin[i] < einf[i] && tmin[i] > ts[0] && tmin[i] < 1e3);
        // The curve starts at the signal variance |w̄|² = 1 (t = 0.01: E ≈ 1 − 2t).
        let e = th.col(&format!("E_g_q{}", q[i]));
        assert!((e[0] - 1.0).abs() < 0.03, "E_g(0.01) = {}", e[0]);
        // … and has reached the t = ∞ value at the end of the grid (t = 1e4).
        assert!((e[e.len() - 1] / einf[i] - 1.0).abs() < 1e-3);
    }
    // Near the interpolation threshold (P = 1.1 D) early stopping is worth a factor > 5.
    let j = q.iter().position(|&x| (x - 1.1).abs() < 1e-12).unwrap();
    assert!(emin[j] * 5.0 < einf[j], "{} vs {}", emin[j], einf[j]);
    // Simulation at D = 200, t ≤ 100: finite-size corrections are O(1/|P − D|), largest at
    // P = 1.1 D (|P − D| = 20) late in training, where E_g approaches the ridgeless
    // σ²D/(P − D) whose finite-D mean is σ²D/(P − D − 1): 5 %. Allowance 5 %.
    check_sim(
        f.table("gradient_flow_sim"),
        "E_g_mean",
        "E_g_se",
        "E_g_theory",
        0.05,
    );
}

/// Gradient flow of a random-feature readout (THEORY §13, "Linear random features"):
/// `t = ∞` is `Task::random_features`, early stopping beats it, and at the interpolation
/// peak `N = P` (λ = 0) the error grows without bound.
#[test]
fn gradient_flow_random_features_limits_peak_and_simulation() {
    use figdata::rfflowfig::{LATE, N_OVER_P, P};
    let f = fig("gradient_flow_random_features");
    let s = f.table("gradient_flow_random_features_summary");
    let th = f.table("gradient_flow_random_features_theory");
    let ts = th.col("t");
    let (ns, tmin, emin, eend, slope, einf, rf, div) = (
        s.col("N"),
        s.col("t_min"),
        s.col("E_g_min"),
        s.col("E_g_end"),
        s.col("late_slope"),
        s.col("E_g_inf"),
        s.col("rf_E_g"),
        s.col("diverges"),
    );
    assert_eq!(ns.len(), N_OVER_P.len());
    let task = figdata::rf_task().unwrap();
    let signal = task.signal_variance();
    for i in 0..ns.len() {
        let e = th.col(&format!("E_g_N{}", ns[i]));
        // Every curve starts at the signal variance w̄ᵀΣw̄ (t = 0.01: E_g ≈ S − 2t·w̄ᵀΣ²w̄
        // with s₁ = 1, so within 2 % below S).
        assert!(
            e[0] <= signal && e[0] >= 0.97 * signal,
            "N = {}: E_g(0.01) = {} vs S = {signal}",
            ns[i],
            e[0]
        );
        // An interior minimum (early stopping), strictly inside the time grid.
        assert!(tmin[i] > ts[0] && tmin[i] < 1e3, "t_min = {}", tmin[i]);
        if (ns[i] - P).abs() < 0.5 {
            // N = P, λ = 0: the t = ∞ fit diverges (both APIs say Divergent) …
            assert!(div[i] > 0.5, "N = P must diverge at t = ∞");
            assert!(einf[i].is_nan() && rf[i].is_nan());
            // … and E_g(t) grows ∝ √t at late times: the feature Gram's spectrum has a hard
            // edge at 0 with density ∝ μ^{−1/2}, so the noise term
            // σ²/P Σ (1 − e^{−μt})²/μ grows as ∫_{1/t} μ^{−3/2} dμ ∝ t^{1/2}.
            assert!(
                (slope[i] - 0.5).abs() < 0.03,
                "N = P: late slope {} over {LATE:?}, expected 1/2",
                slope[i]
            );
            // Early stopping is worth more than a factor 100 by t = 1e6.
            assert!(emin[i] * 100.0 < eend[i], "{} vs {}", emin[i], eend[i]);
        } else {
            assert!(div[i] < 0.5, "N = {} must not diverge", ns[i]);
            // t = ∞ is Task::random_features (to 1e-10) …
            assert!(
                (einf[i] - rf[i]).abs() <= 1e-10 * rf[i],
                "N = {}: E_g(∞) {} vs random_features {}",
                ns[i],
                einf[i],
                rf[i]
            );
            // … which the curve has reached (flat) at the end of the grid …
            assert!((eend[i] / einf[i] - 1.0).abs() < 1e-3 && slope[i].abs() < 1e-3);
            // … and the early-stopped minimum is below it.
            assert!(
                emin[i] < einf[i],
                "N = {}: {} vs {}",
                ns[i],
                emin[i],
                einf[i]
            );
        }
    }
    // Wider is better when stopped early: the minima fall with N (at t = ∞ they do not:
    // the N = 4P error exceeds the N = P/4 one), and at N = 4P early stopping is worth a
    // factor > 5.
    assert!(emin.windows(2).all(|w| w[1] < w[0]), "minima {emin:?}");
    let last = ns.len() - 1;
    assert!(einf[last] > einf[0] && emin[last] * 5.0 < einf[last]);
    // Simulation (D = 300, P = 100, F redrawn per draw). Full mode (40 draws) finds the
    // N = P points 5–7 % above theory at 1e2 ≤ t ≤ 1e5 (z = 0.8–2.2, all of one sign: one
    // set of draws), the finite-size correction at the interpolation peak, where the
    // smallest Gram eigenvalues are least self-averaging; allowance 5 %.
    check_sim(
        f.table("gradient_flow_random_features_sim"),
        "E_g_mean",
        "E_g_se",
        "E_g_theory",
        0.05,
    );
}

#[test]
fn sgd_slopes_and_simulation() {
    let f = fig("sgd");
    let s = f.table("sgd_slopes");
    let (fit, pred) = (s.col("fitted"), s.col("predicted"));
    assert_eq!(fit.len(), figdata::SGD_BATCHES.len());
    for i in 0..fit.len() {
        assert!(
            (fit[i] - pred[i]).abs() < 0.05,
            "B = {}: slope {} vs {}",
            s.col("batch")[i],
            fit[i],
            pred[i]
        );
    }
    // Simulation at D = 4000 against the exact recursion at that D (THEORY §14: the
    // recursion is the exact expectation, so no finite-size allowance).
    let t = f.table("sgd_sim");
    check_sim(t, "E_mean", "E_se", "E_theory_D4000", 0.0);
    // The points are drawn over the D = ∞ curves: at k ≤ 1000 the two differ by < 2 %.
    for (a, b) in t.col("E_theory_D4000").iter().zip(t.col("E_theory_D_inf")) {
        assert!((a - b).abs() < 0.02 * b, "D = 4000 {a} vs D = ∞ {b}");
    }
}

#[test]
fn compute_optimal_exponents_match_the_derived_ones() {
    let f = fig("compute_optimal");
    let t = f.table("compute_optimal");
    for ((c, n), p) in t.col("C").iter().zip(t.col("N_star")).zip(t.col("P_star")) {
        assert!((n * p / c - 1.0).abs() < 1e-9, "N*P* = C");
    }
    let e = t.col("E_star");
    assert!(e.windows(2).all(|w| w[1] < w[0]), "E*(C) not decreasing");
    let x = f.table("compute_optimal_exponents");
    let (fit, derived, two) = (x.col("fitted"), x.col("derived"), x.col("two_term_balance"));
    for i in 0..fit.len() {
        assert!(
            (fit[i] - derived[i]).abs() < 0.05,
            "row {i}: fitted {} vs derived {}",
            fit[i],
            derived[i]
        );
    }
    // α = 1.5, r = 0.75: the feature variance is active, and the measured error exponent
    // sides with the three-term balance (0.818), not THEORY §15's two-term one (0.9).
    assert!((fit[0] - derived[0]).abs() < (fit[0] - two[0]).abs());
}

/// The forecast figure of the diabetes data (THEORY §16): bands around their values, the
/// tuned learning curve decreasing, the two panels consistent, and the leave-one-out
/// error the data measure on subsets inside the forecast's uncertainty.
#[test]
fn forecast_diabetes_bands_curve_and_measured_points() {
    let f = fig("forecast_diabetes");
    let c = f.table("forecast_diabetes");
    let p = c.col("p");
    for (v, lo, hi) in [
        ("test_error", "test_error_lower", "test_error_upper"),
        ("risk", "risk_lower", "risk_upper"),
        ("lambda", "lambda_lower", "lambda_upper"),
    ] {
        for (i, ((v, lo), hi)) in c.col(v).iter().zip(c.col(lo)).zip(c.col(hi)).enumerate() {
            assert!(
                v.is_finite() && lo.is_finite() && hi.is_finite() && lo <= *v && *v <= hi,
                "{v} at P = {}: {lo} <= {v} <= {hi}",
                p[i]
            );
        }
    }
    // The grid runs from P₀/8 to 32 P₀ and holds P₀ = 442; `fitted` marks P ≤ P₀.
    let p0 = 442.0;
    assert!((p[0] - p0 / 8.0).abs() < 1e-9 && (p[p.len() - 1] - 32.0 * p0).abs() < 1e-6);
    let i0 = p
        .iter()
        .position(|&x| (x - p0).abs() < 1e-6)
        .expect("P0 on the grid");
    for (i, fit) in c.col("fitted").iter().enumerate() {
        assert_eq!(*fit > 0.5, i <= i0, "fitted flag at P = {}", p[i]);
    }
    // At the tuned ridge more data never hurts (THEORY §3.4): E_g(λ*(P)) decreases.
    let e = c.col("test_error");
    assert!(e.iter().all(|&v| v > 0.0));
    assert!(
        e.windows(2).all(|w| w[1] < w[0]),
        "tuned E_g not decreasing: {e:?}"
    );
    // The right panel is the left one plus the fitted σ² (the noisy risk, THEORY §1), so
    // it decreases onto σ² from above.
    let (risk, s2) = (c.col("risk"), c.col("noise_variance"));
    for i in 0..risk.len() {
        assert!((risk[i] - e[i] - s2[i]).abs() <= 1e-9 * risk[i], "row {i}");
    }
    // The title reports the fitted σ² of the table.
    assert!(
        f.figure
            .title
            .contains(&format!("σ² = {}", figdata::forecastfig::sig3(s2[0]))),
        "{}",
        f.figure.title
    );
    // What the data measure: leave-one-out error of random subsets (rows P₀/8 … P₀) at the
    // forecast's tuned ridge, against the forecast risk there. Both are uncertain: the
    // measurement by its SE, the forecast by its 90% band (half-width / 1.645 as its sd);
    // |z| ≤ 3 on the combined sd.
    let m = f.table("forecast_diabetes_measured");
    let (loo, se) = (m.col("loo"), m.col("loo_se"));
    let (rv, rl, ru) = (
        m.col("risk_forecast"),
        m.col("risk_forecast_lower"),
        m.col("risk_forecast_upper"),
    );
    assert_eq!(m.col("rows").last().copied(), Some(p0));
    for i in 0..loo.len() {
        let sd_forecast = 0.5 * (ru[i] - rl[i]) / 1.645;
        let z = (loo[i] - rv[i]) / se[i].hypot(sd_forecast);
        assert!(
            z.abs() <= 3.0,
            "m = {}: LOO {} ± {} vs forecast {} [{}, {}]",
            m.col("rows")[i],
            loo[i],
            se[i],
            rv[i],
            rl[i],
            ru[i]
        );
    }
}

/// Log-axis ticks (`examples/support/plot.rs`): every log axis that spans under two
/// decades gets at least 3 labelled ticks (issue #13: `gradient_flow.png` had one), and
/// axes holding 3 or more decades keep their `10^k` labels.
#[test]
fn log_axes_under_two_decades_get_three_labels() {
    let labels = |lo: f64, hi: f64| -> Vec<String> {
        plot::bold_ticks(lo, hi, true, 8)
            .into_iter()
            .map(|t| plot::tick(t, true, lo, hi))
            .filter(|s| !s.is_empty())
            .collect()
    };
    for k in 0..40 {
        let lo = -3.0 + 0.137 * f64::from(k);
        for span in [0.05, 0.1, 0.2, 0.3, 0.5, 0.7, 1.0, 1.3, 1.7, 1.99] {
            let l = labels(lo, lo + span);
            assert!((3..=12).contains(&l.len()), "[{lo}, {}]: {l:?}", lo + span);
            let mut uniq = l.clone();
            uniq.dedup();
            assert_eq!(uniq.len(), l.len(), "[{lo}, {}]: {l:?}", lo + span);
        }
    }
    // gradient_flow.png's y axis (≈ 0.17 … 2.7): 1-2-5 labels.
    assert_eq!(labels(-0.77, 0.43), ["0.2", "0.5", "1", "2"]);
    // Three decades or more: plotters' ticks, labelled at the decades only.
    let wide: Vec<String> = labels(-2.1, 4.1);
    assert_eq!(wide, ["0.01", "0.1", "1", "10", "100", "1e3", "1e4"]);
}
