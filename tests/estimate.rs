//! Tests of `detridge::estimate`: brute force on small problems (explicit hat matrices for
//! GCV and df, `P` explicit refits for LOOCV with the penalty `Pλ` kept), tall, wide and
//! square data, `λ = 0` and `λ = 1e-14`, kernels (KARE), the `λ` search and error paths.
//! (Data beside theory, with the GCV concentration check, is in `tests/compare.rs`.)
//!
//! Everything here runs in the default `cargo test --release --test estimate` (a few
//! seconds).

mod common;

use common::tol::*;
use detridge::Error;
use detridge::estimate::{Criterion, KernelPath, LambdaSearchParams, RidgePath};
use detridge::montecarlo::rng_for;
use nalgebra::{DMatrix, DVector};
use rand_distr::{Distribution, StandardNormal};

/// Brute-force agreement asked of every closed form (issue #6).
const BRUTE_REL: f64 = CROSS_METHOD_REL;

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

fn assert_rel(what: &str, got: f64, want: f64, tol: f64) {
    assert!(
        got.is_finite() && rel(got, want) <= tol,
        "{what}: got {got}, want {want}, rel {}",
        rel(got, want)
    );
}

fn remove_row(x: &DMatrix<f64>, i: usize) -> DMatrix<f64> {
    x.clone().remove_row(i)
}

fn remove_entry(y: &DVector<f64>, i: usize) -> DVector<f64> {
    y.clone().remove_row(i)
}

/// Ridge weights with the unnormalised penalty `pen`: `(XᵀX + pen I)⁻¹Xᵀy` (pen > 0), or the
/// minimum-norm least-squares solution `X⁺y` (pen = 0).
fn solve_pen(x: &DMatrix<f64>, y: &DVector<f64>, pen: f64) -> DVector<f64> {
    if pen > 0.0 {
        let a = x.transpose() * x + DMatrix::identity(x.ncols(), x.ncols()) * pen;
        a.cholesky().expect("SPD").solve(&(x.transpose() * y))
    } else {
        x.clone().pseudo_inverse(1e-12).expect("pinv") * y
    }
}

/// Brute-force estimators from an explicit hat matrix and `P` explicit refits.
struct Brute {
    train: f64,
    df: f64,
    gcv: f64,
    loocv: f64,
}

fn brute(x: &DMatrix<f64>, y: &DVector<f64>, lambda: f64) -> Brute {
    let (p, d) = x.shape();
    let pf = p as f64;
    // H = X (XᵀX + PλI)⁻¹ Xᵀ, or X X⁺ at λ = 0.
    let h = if lambda > 0.0 {
        let a = x.transpose() * x + DMatrix::identity(d, d) * (pf * lambda);
        x * a.cholesky().expect("SPD").solve(&x.transpose())
    } else {
        x * x.clone().pseudo_inverse(1e-12).expect("pinv")
    };
    let e = y - &h * y;
    let train = e.norm_squared() / pf;
    let df = h.trace();
    let gcv = train / (1.0 - df / pf).powi(2);
    let mut loo = 0.0;
    for i in 0..p {
        let w = solve_pen(&remove_row(x, i), &remove_entry(y, i), pf * lambda);
        let r = y[i] - (x.row(i) * w)[0];
        loo += r * r;
    }
    Brute {
        train,
        df,
        gcv,
        loocv: loo / pf,
    }
}

fn check_against_brute(x: &DMatrix<f64>, y: &DVector<f64>, lambdas: &[f64]) {
    let path = RidgePath::new(x, y).unwrap();
    for &l in lambdas {
        let b = brute(x, y, l);
        assert_rel(
            &format!("train λ={l}"),
            path.train_error(l).unwrap(),
            b.train,
            BRUTE_REL,
        );
        assert_rel(&format!("df λ={l}"), path.df(l).unwrap(), b.df, BRUTE_REL);
        assert_rel(
            &format!("gcv λ={l}"),
            path.gcv(l).unwrap(),
            b.gcv,
            BRUTE_REL,
        );
        assert_rel(
            &format!("loocv λ={l}"),
            path.loocv(l).unwrap(),
            b.loocv,
            BRUTE_REL,
        );
        // Weights against the direct solve.
        let w = path.weights(l).unwrap();
        let w_direct = solve_pen(x, y, x.nrows() as f64 * l);
        assert!(
            (&w - &w_direct).norm() <= BRUTE_REL * w_direct.norm(),
            "weights λ={l}"
        );
    }
}

const LAMBDAS: [f64; 5] = [1e-3, 1e-2, 0.1, 1.0, 10.0];

#[test]
fn tall_matches_brute_force() {
    let x = gaussian(14, 5, 1);
    let y = labels(&x, 1);
    check_against_brute(&x, &y, &LAMBDAS);
    // Tall data: 1 − H_ii ≥ c_i stays O(1), so the direct brute force is accurate even at
    // the smallest ridge.
    check_against_brute(&x, &y, &[1e-14, 0.0]);
}

#[test]
fn wide_matches_brute_force() {
    let x = gaussian(7, 12, 2);
    let y = labels(&x, 2);
    check_against_brute(&x, &y, &LAMBDAS);
}

#[test]
fn square_matches_brute_force() {
    let x = gaussian(8, 8, 3);
    let y = labels(&x, 3);
    check_against_brute(&x, &y, &LAMBDAS);
}

#[test]
fn rank_deficient_tall_matches_brute_force() {
    // Column 3 = column 0 + column 1: rank 3 < D = 4 < P = 10.
    let mut x = gaussian(10, 4, 4);
    for i in 0..10 {
        x[(i, 3)] = x[(i, 0)] + x[(i, 1)];
    }
    let y = labels(&x, 4);
    let path = RidgePath::new(&x, &y).unwrap();
    assert_eq!(path.rank(), 3);
    check_against_brute(&x, &y, &LAMBDAS);
    check_against_brute(&x, &y, &[0.0]);
}

#[test]
fn ridgeless_tall_matches_ols_refits() {
    // λ = 0, P > D: OLS refits; GCV = P‖y_⊥‖²/(P−D)².
    let x = gaussian(15, 4, 5);
    let y = labels(&x, 5);
    check_against_brute(&x, &y, &[0.0]);
}

#[test]
fn ridgeless_wide_matches_min_norm_refits_and_gram_limit() {
    // λ = 0, P < D: interpolation. LOOCV against minimum-norm refits; GCV against the
    // limit (1/P)‖G⁺y‖²/((1/P) Tr G⁺)² from an explicit inverse of G = XXᵀ/P.
    for (p, d, seed) in [(6, 11, 6), (9, 9, 7)] {
        let x = gaussian(p, d, seed);
        let y = labels(&x, seed);
        let pf = p as f64;
        let path = RidgePath::new(&x, &y).unwrap();
        assert_eq!(path.rank(), p);
        let g = &x * x.transpose() / pf;
        let gi = g.try_inverse().unwrap();
        let giy = &gi * &y;
        let gcv = (giy.norm_squared() / pf) / (gi.trace() / pf).powi(2);
        assert_rel("gcv(0)", path.gcv(0.0).unwrap(), gcv, BRUTE_REL);
        // LOO residual limit (G⁻¹y)_i/(G⁻¹)_ii, and P min-norm refits.
        let loo_gram: f64 = (0..p).map(|i| (giy[i] / gi[(i, i)]).powi(2)).sum::<f64>() / pf;
        let mut loo_refit = 0.0;
        for i in 0..p {
            let w = solve_pen(&remove_row(&x, i), &remove_entry(&y, i), 0.0);
            loo_refit += (y[i] - (x.row(i) * w)[0]).powi(2);
        }
        loo_refit /= pf;
        assert_rel(
            "loocv(0) vs Gram",
            path.loocv(0.0).unwrap(),
            loo_gram,
            BRUTE_REL,
        );
        assert_rel(
            "loocv(0) vs refits",
            path.loocv(0.0).unwrap(),
            loo_refit,
            BRUTE_REL,
        );
        assert!(path.train_error(0.0).unwrap() < ROUNDOFF_REL * y.norm_squared());
        assert!(path.s_hat(0.0).unwrap().is_infinite());
        assert_rel(
            "kappa_hat(0)",
            path.kappa_hat(0.0).unwrap(),
            pf / gi.trace(),
            BRUTE_REL,
        );
        assert!((path.df(0.0).unwrap() - pf).abs() < IDENTITY_REL);
    }
}

#[test]
fn interpolated_rows_in_a_tall_design() {
    // One-hot design: row 0 is the only sample of feature 0, so its leverage is exactly 1
    // (c_0 = 0) while P > rank. Its ridgeless LOO refit predicts 0.
    let rows = [0usize, 1, 1, 2, 2, 2];
    let x = DMatrix::from_fn(6, 3, |i, j| if rows[i] == j { 1.0 } else { 0.0 });
    let y = DVector::from_vec(vec![1.5, 2.0, 3.0, -1.0, 0.0, 4.0]);
    let path = RidgePath::new(&x, &y).unwrap();
    let r = path.loo_residuals(0.0).unwrap();
    assert_rel("interpolated row", r[0], 1.5, BRUTE_REL);
    // Group means: LOO residual of row i in a group of n is (y_i − mean)·n/(n−1).
    assert_rel("group of 2", r[1], (2.0 - 2.5) * 2.0, BRUTE_REL);
    assert_rel("group of 3", r[5], (4.0 - 1.0) * 1.5, BRUTE_REL);
    check_against_brute(&x, &y, &[0.0, 1e-3, 1.0]);
    // Continuity at λ → 0 for the interpolated row.
    let r_small = path.loo_residuals(1e-14).unwrap();
    assert_rel("interpolated row, λ=1e-14", r_small[0], 1.5, IDENTITY_REL);
}

/// `λ = 1e-14` and `λ = 0` agree (the limit is continuous and no digits are lost), and the
/// small-λ values match a cancellation-free brute force: for `P ≤ D`,
/// `I − H = λ(G + λ)⁻¹`, so `e = λ(G+λ)⁻¹y` and `1 − H_ii = λ[(G+λ)⁻¹]_ii`.
#[test]
fn tiny_lambda_is_stable_on_both_sides() {
    for (p, d, seed) in [(20, 6, 8), (6, 20, 9), (10, 10, 10)] {
        let x = gaussian(p, d, seed);
        let y = labels(&x, seed);
        let path = RidgePath::new(&x, &y).unwrap();
        let mu_min = *path.sample_eigenvalues().last().unwrap();
        for l in [1e-14, 1e-30, 1e-300, 5e-324] {
            for (name, f0, fl) in [
                ("gcv", path.gcv(0.0).unwrap(), path.gcv(l).unwrap()),
                ("loocv", path.loocv(0.0).unwrap(), path.loocv(l).unwrap()),
                (
                    "kappa",
                    path.kappa_hat(0.0).unwrap(),
                    path.kappa_hat(l).unwrap(),
                ),
                ("df", path.df(0.0).unwrap(), path.df(l).unwrap()),
            ] {
                assert!(fl.is_finite(), "{name} at λ={l} is {fl}");
                // The λ-dependence is O(λ/μ_min); allow that plus rounding.
                let tol = BRUTE_REL.min(IDENTITY_REL + 10.0 * l / mu_min);
                if f0 == 0.0 {
                    assert!(fl.abs() <= 10.0 * l * p as f64, "{name} λ={l}: {fl}");
                } else {
                    assert_rel(&format!("{name} λ={l} vs 0"), fl, f0, tol);
                }
            }
        }
        if p <= d {
            let pf = p as f64;
            let l = 1e-14;
            let g = &x * x.transpose() / pf + DMatrix::identity(p, p) * l;
            let gi = g.try_inverse().unwrap();
            let giy = &gi * &y;
            // e = λ G_λ⁻¹ y, 1 − df/P = (λ/P) Tr G_λ⁻¹: GCV = P‖G_λ⁻¹y‖²/(Tr G_λ⁻¹)².
            let gcv = pf * giy.norm_squared() / gi.trace().powi(2);
            let loo: f64 = (0..p).map(|i| (giy[i] / gi[(i, i)]).powi(2)).sum::<f64>() / pf;
            assert_rel("gcv(1e-14)", path.gcv(l).unwrap(), gcv, BRUTE_REL);
            assert_rel("loocv(1e-14)", path.loocv(l).unwrap(), loo, BRUTE_REL);
            let tr = l * l * giy.norm_squared() / pf;
            assert_rel("train(1e-14)", path.train_error(l).unwrap(), tr, BRUTE_REL);
            assert_rel(
                "1-df/P (1e-14)",
                path.one_minus_df_over_p(l).unwrap(),
                l * gi.trace() / pf,
                BRUTE_REL,
            );
        }
    }
}

#[test]
fn identities_hold_on_the_path() {
    let x = gaussian(30, 12, 11);
    let y = labels(&x, 11);
    let path = RidgePath::new(&x, &y).unwrap();
    for l in [1e-6, 1e-2, 1.0, 100.0] {
        let s = path.s_hat(l).unwrap();
        let tr = path.train_error(l).unwrap();
        // GCV = Ŝ² E_tr and κ̂ = λŜ (THEORY §2.1, §3.2).
        assert_rel(
            "gcv = S² Etr",
            path.gcv(l).unwrap(),
            s * s * tr,
            HUNDREDS_OF_ULPS,
        );
        assert_rel(
            "kappa = λS",
            path.kappa_hat(l).unwrap(),
            l * s,
            HUNDREDS_OF_ULPS,
        );
        // E_tr from the fitted values.
        let e = &y - path.fitted(l).unwrap();
        assert_rel(
            "train from fitted",
            tr,
            e.norm_squared() / 30.0,
            IDENTITY_REL,
        );
        let e2 = &y - &x * path.weights(l).unwrap();
        assert_rel(
            "train from weights",
            tr,
            e2.norm_squared() / 30.0,
            IDENTITY_REL,
        );
    }
    // The empirical spectrum is that of XᵀX/P.
    let s = path.empirical_spectrum().unwrap();
    assert!((s.dimension() - 12.0).abs() < IDENTITY_REL);
    assert_rel(
        "trace Σ̂",
        s.trace(),
        x.norm_squared() / 30.0,
        HUNDREDS_OF_ULPS,
    );
}

fn rbf(xs: &[f64], width: f64) -> DMatrix<f64> {
    let n = xs.len();
    DMatrix::from_fn(n, n, |i, j| (-((xs[i] - xs[j]) / width).powi(2)).exp())
}

#[test]
fn kernel_path_with_linear_kernel_equals_ridge_path() {
    for (p, d, seed) in [(12, 4, 12), (5, 9, 13)] {
        let x = gaussian(p, d, seed);
        let y = labels(&x, seed);
        let rp = RidgePath::new(&x, &y).unwrap();
        let kp = KernelPath::new(&(&x * x.transpose()), &y).unwrap();
        assert_eq!(rp.rank(), kp.rank());
        for l in [0.0, 1e-14, 1e-3, 0.5, 20.0] {
            let pairs = [
                (
                    "train",
                    rp.train_error(l).unwrap(),
                    kp.train_error(l).unwrap(),
                ),
                ("df", rp.df(l).unwrap(), kp.df(l).unwrap()),
                ("gcv/kare", rp.gcv(l).unwrap(), kp.kare(l).unwrap()),
                ("loocv", rp.loocv(l).unwrap(), kp.loocv(l).unwrap()),
                ("kappa", rp.kappa_hat(l).unwrap(), kp.kappa_hat(l).unwrap()),
            ];
            for (name, a, b) in pairs {
                if a == 0.0 {
                    assert!(b == 0.0, "{name} λ={l}: {b}");
                } else {
                    // Two decompositions of the same data: agreement to rounding times
                    // the conditioning of XXᵀ.
                    assert_rel(&format!("{name} λ={l}"), b, a, CROSS_METHOD_REL);
                }
            }
        }
    }
}

#[test]
fn kernel_path_matches_brute_force() {
    let xs: Vec<f64> = (0..9).map(|i| (i as f64 * 0.7).sin() * 2.0).collect();
    let k = rbf(&xs, 0.8);
    let y = DVector::from_fn(9, |i, _| xs[i].cos() + 0.1 * (i % 3) as f64);
    let p = 9;
    let pf = p as f64;
    let path = KernelPath::new(&k, &y).unwrap();
    for l in [1e-4, 1e-2, 0.3, 3.0] {
        // KARE from the explicit inverse (THEORY §3.2).
        let a = (&k / pf + DMatrix::identity(p, p) * l)
            .try_inverse()
            .unwrap();
        let ay = &a * &y;
        let etr = l * l * ay.norm_squared() / pf;
        let kare = etr / (l / pf * a.trace()).powi(2);
        assert_rel("kernel train", path.train_error(l).unwrap(), etr, BRUTE_REL);
        assert_rel("kare", path.kare(l).unwrap(), kare, BRUTE_REL);
        // LOOCV from P kernel refits k₋ᵢᵀ(K₋ᵢ + PλI)⁻¹y₋ᵢ.
        let mut loo = 0.0;
        for i in 0..p {
            let km = k.clone().remove_row(i).remove_column(i);
            let kv = k.row(i).transpose().remove_row(i);
            let alpha = (km + DMatrix::identity(p - 1, p - 1) * (pf * l))
                .cholesky()
                .unwrap()
                .solve(&remove_entry(&y, i));
            loo += (y[i] - kv.dot(&alpha)).powi(2);
        }
        assert_rel("kernel loocv", path.loocv(l).unwrap(), loo / pf, BRUTE_REL);
        // Dual coefficients solve (K + Pλ)α = y.
        let alpha = path.dual_coefficients(l).unwrap();
        let back = (&k + DMatrix::identity(p, p) * (pf * l)) * &alpha;
        assert!((back - &y).norm() <= BRUTE_REL * y.norm());
    }
}

#[test]
fn lambda_search_finds_the_minimum() {
    let x = gaussian(60, 25, 14);
    let y = labels(&x, 14);
    let path = RidgePath::new(&x, &y).unwrap();
    for crit in [Criterion::Gcv, Criterion::Loocv] {
        let best = path
            .select_lambda(crit, &LambdaSearchParams::default())
            .unwrap();
        let f = |l: f64| match crit {
            Criterion::Gcv => path.gcv(l).unwrap(),
            Criterion::Loocv => path.loocv(l).unwrap(),
        };
        assert!(!best.at_boundary, "{crit:?}: {best:?}");
        assert_rel("value", best.value, f(best.lambda), TENS_OF_ULPS);
        // Never worse than the grid, and a local minimum in ln λ.
        for &v in &best.values {
            assert!(best.value <= v);
        }
        for s in [1e-3, -1e-3] {
            assert!(best.value <= f(best.lambda * (1.0 + s)));
        }
        // A fine scan does no better than rounding.
        let (lo, hi) = (best.grid[0].ln(), best.grid[best.grid.len() - 1].ln());
        let scan = (0..4001)
            .map(|i| f((lo + (hi - lo) * i as f64 / 4000.0).exp()))
            .fold(f64::INFINITY, f64::min);
        assert!(
            best.value <= scan * (1.0 + IDENTITY_REL),
            "{} vs {scan}",
            best.value
        );
    }
}

#[test]
fn lambda_search_reports_boundary() {
    // Noiseless, P ≫ D: the criteria increase with λ, so the minimum is at the lower end.
    let x = gaussian(80, 3, 15);
    let y = &x * DVector::from_vec(vec![1.0, -2.0, 0.5]);
    let path = RidgePath::new(&x, &y).unwrap();
    let best = path
        .select_lambda(Criterion::Gcv, &LambdaSearchParams::default())
        .unwrap();
    assert!(best.at_boundary);
    assert_eq!(best.lambda.to_bits(), best.grid[0].to_bits());
    assert_eq!(best.iterations, 0);
}

#[test]
fn kernel_lambda_search() {
    let xs: Vec<f64> = (0..40).map(|i| i as f64 / 8.0).collect();
    let k = rbf(&xs, 1.0);
    let mut rng = rng_for(16, 0);
    let y = DVector::from_fn(40, |i, _| {
        let g: f64 = StandardNormal.sample(&mut rng);
        xs[i].sin() + 0.3 * g
    });
    let path = KernelPath::new(&k, &y).unwrap();
    let best = path
        .select_lambda(Criterion::Gcv, &LambdaSearchParams::default())
        .unwrap();
    for &v in &best.values {
        assert!(best.value <= v);
    }
    assert_rel(
        "kare at choice",
        best.value,
        path.kare(best.lambda).unwrap(),
        TENS_OF_ULPS,
    );
}

// ---------------------------------------------------------------------------------------
// Error paths.

#[test]
fn mismatched_shapes_are_errors() {
    let x = gaussian(5, 3, 17);
    let y = DVector::from_vec(vec![1.0; 4]);
    assert!(matches!(
        RidgePath::new(&x, &y),
        Err(Error::LengthMismatch {
            expected: 5,
            got: 4,
            ..
        })
    ));
    let k = DMatrix::<f64>::identity(5, 4);
    assert!(matches!(
        KernelPath::new(&k, &DVector::from_vec(vec![1.0; 5])),
        Err(Error::LengthMismatch { .. })
    ));
    let k = DMatrix::<f64>::identity(5, 5);
    assert!(matches!(
        KernelPath::new(&k, &y),
        Err(Error::LengthMismatch { .. })
    ));
}

#[test]
fn non_finite_data_are_errors() {
    let mut x = gaussian(5, 3, 18);
    let y = DVector::from_vec(vec![1.0; 5]);
    x[(2, 1)] = f64::NAN;
    assert!(matches!(
        RidgePath::new(&x, &y),
        Err(Error::NonFinite { .. })
    ));
    x[(2, 1)] = f64::INFINITY;
    assert!(matches!(
        RidgePath::new(&x, &y),
        Err(Error::NonFinite { .. })
    ));
    let x = gaussian(5, 3, 18);
    let mut yb = y.clone();
    yb[3] = f64::NEG_INFINITY;
    assert!(matches!(
        RidgePath::new(&x, &yb),
        Err(Error::NonFinite { .. })
    ));
    let mut k = DMatrix::<f64>::identity(5, 5);
    k[(0, 0)] = f64::NAN;
    assert!(matches!(
        KernelPath::new(&k, &y),
        Err(Error::NonFinite { .. })
    ));
    assert!(matches!(
        KernelPath::new(&DMatrix::identity(5, 5), &yb),
        Err(Error::NonFinite { .. })
    ));
}

#[test]
fn empty_data_are_errors() {
    let y0 = DVector::<f64>::zeros(0);
    assert!(matches!(
        RidgePath::new(&DMatrix::zeros(0, 3), &y0),
        Err(Error::Empty { .. })
    ));
    assert!(matches!(
        RidgePath::new(&DMatrix::zeros(4, 0), &DVector::zeros(4)),
        Err(Error::Empty { .. })
    ));
    assert!(matches!(
        KernelPath::new(&DMatrix::zeros(0, 0), &y0),
        Err(Error::Empty { .. })
    ));
}

#[test]
fn bad_kernels_are_errors() {
    let y = DVector::from_vec(vec![1.0, 2.0]);
    let asym = DMatrix::from_row_slice(2, 2, &[1.0, 0.5, 0.0, 1.0]);
    assert!(matches!(
        KernelPath::new(&asym, &y),
        Err(Error::NotPositiveSemiDefinite { .. })
    ));
    let indef = DMatrix::from_row_slice(2, 2, &[1.0, 2.0, 2.0, 1.0]);
    assert!(matches!(
        KernelPath::new(&indef, &y),
        Err(Error::NotPositiveSemiDefinite { .. })
    ));
}

#[test]
fn bad_lambdas_are_errors() {
    let x = gaussian(6, 2, 19);
    let y = labels(&x, 19);
    let path = RidgePath::new(&x, &y).unwrap();
    assert!(matches!(
        path.gcv(-1e-3),
        Err(Error::InvalidParameter { name: "lambda", .. })
    ));
    assert!(matches!(path.loocv(f64::NAN), Err(Error::NonFinite { .. })));
    assert!(matches!(
        path.train_error(f64::INFINITY),
        Err(Error::NonFinite { .. })
    ));
    assert!(path.weights(-1.0).is_err());
    assert!(path.df(-1.0).is_err());
    assert!(path.kappa_hat(-1.0).is_err());
    assert!(path.s_hat(-1.0).is_err());
    let kp = KernelPath::new(&(&x * x.transpose()), &y).unwrap();
    assert!(matches!(kp.kare(-2.0), Err(Error::InvalidParameter { .. })));
    assert!(kp.dual_coefficients(f64::NAN).is_err());
}

#[test]
fn bad_search_params_are_errors() {
    let x = gaussian(10, 3, 20);
    let y = labels(&x, 20);
    let path = RidgePath::new(&x, &y).unwrap();
    let cases = [
        LambdaSearchParams {
            grid_len: 2,
            ..Default::default()
        },
        LambdaSearchParams {
            max_iter: 0,
            ..Default::default()
        },
        LambdaSearchParams {
            log_tol: 0.0,
            ..Default::default()
        },
        LambdaSearchParams {
            lambda_min: Some(-1.0),
            ..Default::default()
        },
        LambdaSearchParams {
            lambda_min: Some(1.0),
            lambda_max: Some(0.5),
            ..Default::default()
        },
    ];
    for params in cases {
        assert!(
            matches!(
                path.select_lambda(Criterion::Gcv, &params),
                Err(Error::InvalidParameter { .. })
            ),
            "{params:?}"
        );
    }
    // X = 0: nothing depends on λ.
    let zero = RidgePath::new(&DMatrix::zeros(4, 2), &DVector::from_vec(vec![1.0; 4])).unwrap();
    assert_eq!(zero.rank(), 0);
    assert_rel("gcv of X = 0", zero.gcv(0.3).unwrap(), 1.0, FEW_ULPS);
    assert!(matches!(
        zero.select_lambda(Criterion::Loocv, &LambdaSearchParams::default()),
        Err(Error::Unsupported(_))
    ));
}
