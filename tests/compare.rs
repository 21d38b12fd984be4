//! Data beside theory (`detridge::compare`): the dimension check of `against_theory` and a
//! seeded Monte Carlo check that GCV, `df̂`, `κ̂` and `E_tr` concentrate on their theory
//! values (THEORY §2.1, §3.2).
//!
//! Default run: `cargo test --release --test compare` (a few seconds). The larger Monte
//! Carlo sweep is ignored by default:
//! `cargo test --release --test compare -- --ignored --nocapture`.

mod common;

use common::mc::assert_mc;
use detridge::estimate::RidgePath;
use detridge::montecarlo::{Estimate, rng_for};
use detridge::{Error, Task};
use nalgebra::{DMatrix, DVector};
use rand_distr::{Distribution, StandardNormal};

fn gaussian(p: usize, d: usize, seed: u64) -> DMatrix<f64> {
    let mut rng = rng_for(seed, 0);
    DMatrix::from_fn(p, d, |_, _| StandardNormal.sample(&mut rng))
}

fn labels(x: &DMatrix<f64>, seed: u64) -> DVector<f64> {
    let mut rng = rng_for(seed, 1);
    let w = DVector::from_fn(x.ncols(), |_, _| {
        let g: f64 = StandardNormal.sample(&mut rng);
        g / (x.ncols() as f64).sqrt()
    });
    let noise = DVector::from_fn(x.nrows(), |_, _| {
        let g: f64 = StandardNormal.sample(&mut rng);
        0.5 * g
    });
    x * w + noise
}

fn rel(a: f64, b: f64) -> f64 {
    (a - b).abs() / b.abs().max(f64::MIN_POSITIVE)
}

#[test]
fn against_theory_checks_dimension() {
    let x = gaussian(10, 3, 21);
    let y = labels(&x, 21);
    let path = RidgePath::new(&x, &y).unwrap();
    let task = Task::isotropic(4.0, 1.0, 0.1).unwrap();
    assert!(matches!(
        path.against_theory(&task, &[0.1]),
        Err(Error::LengthMismatch { .. })
    ));
    let task = Task::isotropic(3.0, 1.0, 0.1).unwrap();
    assert!(path.against_theory(&task, &[-0.1]).is_err());
}

// ---------------------------------------------------------------------------------------
// Theory meets data (THEORY §2.1, §3.2).

/// Draws `X` (rows `x ~ N(0, diag(eigs))`) and `y = Xw̄ + σε` for draw `i`.
fn draw(
    eigs: &[f64],
    wbar: &[f64],
    sigma2: f64,
    p: usize,
    seed: u64,
    i: u64,
) -> (DMatrix<f64>, DVector<f64>) {
    let mut rng = rng_for(seed, i);
    let d = eigs.len();
    let sq: Vec<f64> = eigs.iter().map(|s| s.sqrt()).collect();
    let x = DMatrix::from_fn(p, d, |_, k| {
        let g: f64 = StandardNormal.sample(&mut rng);
        sq[k] * g
    });
    let w = DVector::from_column_slice(wbar);
    let sigma = sigma2.sqrt();
    let noise = DVector::from_fn(p, |_, _| {
        let g: f64 = StandardNormal.sample(&mut rng);
        sigma * g
    });
    let y = &x * w + noise;
    (x, y)
}

/// A structured task: `s_k = k^-1` (rescaled to `Tr Σ = D`), `s_k w̄_k² ∝ k^-1.6`, `σ² = 0.25`.
fn structured_task(d: usize) -> (Vec<f64>, Vec<f64>, f64, Task) {
    let raw: Vec<f64> = (1..=d).map(|k| 1.0 / k as f64).collect();
    let scale = d as f64 / raw.iter().sum::<f64>();
    let eigs: Vec<f64> = raw.iter().map(|s| s * scale).collect();
    let mut wbar: Vec<f64> = (1..=d)
        .map(|k| ((k as f64).powf(-1.6) / eigs[k - 1]).sqrt())
        .collect();
    let norm: f64 = wbar.iter().zip(&eigs).map(|(w, s)| w * w * s).sum();
    for w in &mut wbar {
        *w /= norm.sqrt();
    }
    let sigma2 = 0.25;
    let task = Task::from_weights(&eigs, &wbar, sigma2).unwrap();
    (eigs, wbar, sigma2, task)
}

/// Worst |z| (over λ; draws with zero spread, e.g. df̂ = rank at λ = 0, skipped) and worst
/// relative deviation, per quantity `[gcv, df, kappa, train]`.
#[derive(Debug)]
struct McResult {
    worst_z: [f64; 4],
    worst_rel: [f64; 4],
}

/// Mean over `draws` data sets of GCV, df̂, κ̂ and E_tr against the theory at each λ.
fn gcv_concentration(d: usize, p: usize, lambdas: &[f64], draws: u64, seed: u64) -> McResult {
    let (eigs, wbar, sigma2, task) = structured_task(d);
    let mut samples = vec![[Vec::new(), Vec::new(), Vec::new(), Vec::new()]; lambdas.len()];
    let mut theory = Vec::new();
    for i in 0..draws {
        let (x, y) = draw(&eigs, &wbar, sigma2, p, seed, i);
        let path = RidgePath::new(&x, &y).unwrap();
        let cmp = path.against_theory(&task, lambdas).unwrap();
        for (j, c) in cmp.iter().enumerate() {
            samples[j][0].push(c.gcv_hat);
            samples[j][1].push(c.df_hat);
            samples[j][2].push(c.kappa_hat);
            samples[j][3].push(c.train_error_hat);
        }
        theory = cmp;
    }
    let mut out = McResult {
        worst_z: [0.0; 4],
        worst_rel: [0.0; 4],
    };
    for (j, t) in theory.iter().enumerate() {
        let want = [
            t.gcv_theory,
            t.df_theory,
            t.kappa_theory,
            t.train_error_theory,
        ];
        for (q, name) in ["gcv", "df", "kappa", "train"].iter().enumerate() {
            let est = Estimate::from_samples(&samples[j][q]);
            let z = est.z_score(want[q]);
            let r = rel(est.mean, want[q]);
            eprintln!(
                "D={d} P={p} λ={:.0e} {name:>5}: mean {:.6} ± {:.1e}, theory {:.6}, z {z:+.2}, rel {r:.1e}",
                t.lambda, est.mean, est.std_err, want[q]
            );
            // Finite-size corrections of the deterministic equivalents are O(1/D)
            // relative (THEORY §11 item 6) plus, near the ridgeless limit, O(1/|D − P|):
            // for isotropic data E[(ZZᵀ)⁻¹] = I/(D − P − 1) exactly, so κ̂(0) = P/Tr G⁻¹
            // is biased by 1/(D − P) relative. We allow 1/D + 1/|D − P| (≤ 1% here).
            let allowance = want[q].abs() * (1.0 / d as f64 + 1.0 / d.abs_diff(p) as f64);
            assert_mc(&format!("{name} λ={}", t.lambda), want[q], &est, allowance);
            if z.is_finite() {
                out.worst_z[q] = out.worst_z[q].max(z.abs());
            }
            out.worst_rel[q] = out.worst_rel[q].max(r);
        }
    }
    out
}

#[test]
fn gcv_concentrates_on_noisy_test_risk() {
    // Tall (P = 2D) and wide (P = D/2) at D = 300; λ from near-ridgeless to strong.
    let lambdas = [1e-3, 1e-2, 1e-1, 1.0];
    let a = gcv_concentration(300, 600, &lambdas, 24, 2024);
    let b = gcv_concentration(300, 150, &lambdas, 24, 2025);
    eprintln!("[gcv, df, kappa, train]: P=600 {a:.2?}; P=150 {b:.2?}");
}

#[test]
#[ignore = "larger Monte Carlo sweep (D = 500, 64 draws); run with --ignored"]
fn gcv_concentrates_on_noisy_test_risk_large() {
    let lambdas = [0.0, 1e-4, 1e-2, 1.0];
    for (p, seed) in [(1000, 7), (400, 8), (250, 9)] {
        let r = gcv_concentration(500, p, &lambdas, 64, seed);
        eprintln!("[gcv, df, kappa, train]: P={p} {r:.2?}");
    }
}
