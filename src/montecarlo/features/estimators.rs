//! The crossed-design (data × features) ANOVA estimators with jackknife standard errors
//! (see the parent module's documentation).

use super::RfEstimates;
use crate::montecarlo::Estimate;

/// Number of scalar quantities per evaluation of the estimators.
pub(super) const Q: usize = 12;

/// Per-pair results at one λ.
pub(super) struct PairLambda {
    pub(super) u: Vec<f64>,
    pub(super) e: Vec<f64>,
    pub(super) eg: f64,
    pub(super) etr: f64,
    pub(super) gcv: f64,
}

/// The ANOVA estimates with jackknife standard errors for every ridge.
pub(super) fn estimates(
    pairs: &[Vec<PairLambda>],
    lambdas: &[f64],
    ni: usize,
    nj: usize,
) -> Vec<RfEstimates> {
    lambdas
        .iter()
        .enumerate()
        .map(|(l, &lambda)| {
            let cell = |i: usize, j: usize| &pairs[i * nj + j][l];
            let all_i: Vec<usize> = (0..ni).collect();
            let all_j: Vec<usize> = (0..nj).collect();
            let full = anova(&cell, &all_i, &all_j);
            let mut var = [0.0; Q];
            for (del, count) in [(true, ni), (false, nj)] {
                let reps: Vec<[f64; Q]> = (0..count)
                    .map(|k| {
                        if del {
                            let rows: Vec<usize> = (0..ni).filter(|&r| r != k).collect();
                            anova(&cell, &rows, &all_j)
                        } else {
                            let cols: Vec<usize> = (0..nj).filter(|&c| c != k).collect();
                            anova(&cell, &all_i, &cols)
                        }
                    })
                    .collect();
                let c = count as f64;
                for q in 0..Q {
                    let m = reps.iter().map(|r| r[q]).sum::<f64>() / c;
                    var[q] += (c - 1.0) / c * reps.iter().map(|r| (r[q] - m).powi(2)).sum::<f64>();
                }
            }
            let est = |q: usize| Estimate {
                mean: full[q],
                std_err: var[q].sqrt(),
            };
            RfEstimates {
                lambda,
                test_error: est(0),
                train_error: est(1),
                gcv: est(2),
                bias2: est(3),
                var_data: est(4),
                var_features: est(5),
                var_data_features: est(6),
                var_noise: est(7),
                var_noise_data: est(8),
                var_noise_data_features: est(9),
                feature_averaged_error: est(10),
                data_averaged_error: est(11),
            }
        })
        .collect()
}

/// The ANOVA estimators on the sub-design `rows × cols` (see the module docs):
/// `[E_g, E_tr, gcv, bias², Var_X, Var_F, Var_XF, Var_ε(total), Var_Xε, Var_XFε,
/// feature-averaged, data-averaged]`.
fn anova<'a>(
    cell: &impl Fn(usize, usize) -> &'a PairLambda,
    rows: &[usize],
    cols: &[usize],
) -> [f64; Q] {
    let (ni, nj) = (rows.len() as f64, cols.len() as f64);
    let len = cell(rows[0], cols[0]).u.len();
    let mut grand = vec![0.0; len];
    let mut col_means = vec![vec![0.0; len]; cols.len()];
    let mut sum_sq = 0.0;
    let mut row_sq = 0.0;
    let (mut eg, mut etr, mut gcv) = (0.0, 0.0, 0.0);
    let mut noise_within = 0.0;
    let mut noise_row_sq = 0.0;
    let reps = cell(rows[0], cols[0]).e.len() / len;
    let mut row = vec![0.0; len];
    let mut row_e = vec![0.0; len * reps];
    for &i in rows {
        row.iter_mut().for_each(|x| *x = 0.0);
        row_e.iter_mut().for_each(|x| *x = 0.0);
        let mut e_sq = 0.0;
        for (cj, &j) in cols.iter().enumerate() {
            let c = cell(i, j);
            eg += c.eg;
            etr += c.etr;
            gcv += c.gcv;
            for k in 0..len {
                let uk = c.u[k];
                row[k] += uk;
                col_means[cj][k] += uk;
                sum_sq += uk * uk;
            }
            for (acc, &x) in row_e.iter_mut().zip(&c.e) {
                *acc += x;
                e_sq += x * x;
            }
        }
        let mut r2 = 0.0;
        for k in 0..len {
            grand[k] += row[k];
            let m = row[k] / nj;
            r2 += m * m;
        }
        // Noise: averaged over the ε replicates, |ē_i|² and the within-row spread.
        let re2 = row_e.iter().map(|x| (x / nj) * (x / nj)).sum::<f64>() / reps as f64;
        let e_sq = e_sq / reps as f64;
        row_sq += r2;
        noise_row_sq += re2;
        // Σ_j |e_ij − ē_i|² = Σ_j |e_ij|² − J|ē_i|².
        noise_within += (e_sq - nj * re2) / (nj - 1.0);
    }
    let total = ni * nj;
    let grand_sq: f64 = grand.iter().map(|g| (g / total) * (g / total)).sum();
    let col_sq: f64 = col_means
        .iter()
        .map(|c| c.iter().map(|x| (x / ni) * (x / ni)).sum::<f64>())
        .sum();
    // Sums of squares via Σ|u_ij − ū_i − ū_j + ū|² = Σ|u|² − JΣ|ū_i|² − IΣ|ū_j|² + IJ|ū|².
    let ss_a = nj * row_sq - total * grand_sq;
    let ss_b = ni * col_sq - total * grand_sq;
    let ss_e = sum_sq - nj * row_sq - ni * col_sq + total * grand_sq;
    let ms_a = ss_a / (ni - 1.0);
    let ms_b = ss_b / (nj - 1.0);
    let ms_e = ss_e / ((ni - 1.0) * (nj - 1.0));
    let var_xf = ms_e;
    let var_x = (ms_a - ms_e) / nj;
    let var_f = (ms_b - ms_e) / ni;
    let bias2 = grand_sq - var_x / ni - var_f / nj - var_xf / total;
    let var_xfe = noise_within / ni;
    let var_xe = noise_row_sq / ni - var_xfe / nj;
    [
        eg / total,
        etr / total,
        gcv / total,
        bias2,
        var_x,
        var_f,
        var_xf,
        var_xe + var_xfe,
        var_xe,
        var_xfe,
        bias2 + var_x + var_xe,
        bias2 + var_f,
    ]
}
