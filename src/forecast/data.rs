//! What a forecast reads from the data: the `df̂(λ)`, `κ̂(λ)` and GCV/LOOCV curves of one
//! sample, from one eigendecomposition of its Gram matrix (THEORY §2.1, §3.2).

use nalgebra::{DMatrix, DVector};

use crate::error::{Error, Result};
use crate::estimate::{Criterion, KernelPath, RidgePath};

/// Points of the `λ` grid (log-spaced).
pub(crate) const GRID_LEN: usize = 40;
/// Spectrum matching uses the grid points with `df̂ ≥` this: below it `df̂` is carried by
/// one or two top eigenvalues, whose fluctuations are not small.
pub(crate) const DF_MIN: f64 = 2.0;

/// The data curves of one sample on a log-spaced `λ` grid.
#[derive(Debug, Clone)]
pub(crate) struct Curves {
    /// Sample size `P`.
    pub p: f64,
    /// The ridges, increasing.
    pub lambdas: Vec<f64>,
    /// `df̂(λ) = Tr Σ̂(Σ̂+λ)⁻¹`.
    pub df: Vec<f64>,
    /// `κ̂(λ) = λ/(1 − df̂/P)`.
    pub kappa: Vec<f64>,
    /// GCV or LOOCV at each `λ` (an estimate of `E_g + σ²`, THEORY §3.2).
    pub risk: Vec<f64>,
    /// Largest sample eigenvalue `μ₁` of `Σ̂`.
    pub mu_max: f64,
    /// `Tr Σ̂ = Σ_k μ_k` (an unbiased estimate of `Tr Σ`).
    pub trace: f64,
    /// The positive sample eigenvalues `μ_k`, decreasing.
    pub mu: Vec<f64>,
    /// `z_k²`, the squared label projections on their eigenvectors.
    pub z2: Vec<f64>,
    /// `‖y_⊥‖²` over the `P − rank` null directions.
    pub null_ss: f64,
}

impl Curves {
    /// The curves of the sample whose Gram matrix is `gram = XXᵀ` (unnormalised, `P × P`).
    pub(crate) fn from_gram(
        gram: &DMatrix<f64>,
        y: &DVector<f64>,
        criterion: Criterion,
    ) -> Result<Self> {
        Self::from_path(&KernelPath::new(gram, y)?, criterion)
    }

    /// The curves of the sample `(X, y)` (one thin SVD; cheaper than the Gram route when
    /// `D < P`).
    pub(crate) fn from_rows(
        x: &DMatrix<f64>,
        y: &DVector<f64>,
        criterion: Criterion,
    ) -> Result<Self> {
        Self::from_path(&RidgePath::new(x, y)?, criterion)
    }

    fn from_path(path: &impl PathLike, criterion: Criterion) -> Result<Self> {
        let mu = path.mu();
        let (Some(&mu_max), Some(&mu_min)) = (mu.first(), mu.last()) else {
            return Err(Error::InvalidParameter {
                name: "X",
                value: 0.0,
                reason: "the design matrix has rank 0 (all rows zero)",
            });
        };
        let trace: f64 = mu.iter().sum();
        let lam_hi = 0.5 * mu_max;
        let lam_lo = (1e-2 * mu_min).max(1e-10 * mu_max).min(1e-3 * lam_hi);
        let (l0, l1) = (lam_lo.ln(), lam_hi.ln());
        let mut c = Self {
            p: path.p() as f64,
            lambdas: Vec::with_capacity(GRID_LEN),
            df: Vec::with_capacity(GRID_LEN),
            kappa: Vec::with_capacity(GRID_LEN),
            risk: Vec::with_capacity(GRID_LEN),
            mu_max,
            trace,
            mu: mu.to_vec(),
            z2: path.z().iter().map(|z| z * z).collect(),
            null_ss: path.null_ss(),
        };
        for i in 0..GRID_LEN {
            let lambda = (l0 + (l1 - l0) * i as f64 / (GRID_LEN - 1) as f64).exp();
            let risk = match criterion {
                Criterion::Gcv => path.gcv_at(lambda)?,
                Criterion::Loocv => path.loocv_at(lambda)?,
            };
            if !(risk.is_finite() && risk > 0.0) {
                return Err(Error::InvalidParameter {
                    name: "y",
                    value: risk,
                    reason: "the data's cross-validation risk is zero or not finite \
                             (labels exactly fitted by a low-rank design?)",
                });
            }
            c.lambdas.push(lambda);
            c.df.push(path.df_at(lambda)?);
            c.kappa.push(path.kappa_at(lambda)?);
            c.risk.push(risk);
        }
        Ok(c)
    }

    /// Indices of the grid points used to match the spectrum (`df̂ ≥ DF_MIN`).
    pub(crate) fn spectrum_points(&self) -> Vec<usize> {
        (0..self.lambdas.len())
            .filter(|&i| self.df[i] >= DF_MIN && self.kappa[i].is_finite())
            .collect()
    }
}

/// `XXᵀ` made exactly symmetric.
pub(crate) fn gram(x: &DMatrix<f64>) -> DMatrix<f64> {
    let g = x * x.transpose();
    let n = g.nrows();
    DMatrix::from_fn(n, n, |i, j| 0.5 * (g[(i, j)] + g[(j, i)]))
}

/// The Gram matrix of the rows `idx` of the sample whose Gram matrix is `g`.
pub(crate) fn sub_gram(g: &DMatrix<f64>, idx: &[usize]) -> DMatrix<f64> {
    DMatrix::from_fn(idx.len(), idx.len(), |i, j| g[(idx[i], idx[j])])
}

/// The data estimators the curves need, from either decomposition.
trait PathLike {
    fn p(&self) -> usize;
    fn mu(&self) -> &[f64];
    fn z(&self) -> &[f64];
    fn null_ss(&self) -> f64;
    fn df_at(&self, lambda: f64) -> Result<f64>;
    fn kappa_at(&self, lambda: f64) -> Result<f64>;
    fn gcv_at(&self, lambda: f64) -> Result<f64>;
    fn loocv_at(&self, lambda: f64) -> Result<f64>;
}

macro_rules! path_like {
    ($t:ty) => {
        impl PathLike for $t {
            fn p(&self) -> usize {
                self.n_samples()
            }
            fn mu(&self) -> &[f64] {
                self.sample_eigenvalues()
            }
            fn z(&self) -> &[f64] {
                self.projections()
            }
            fn null_ss(&self) -> f64 {
                self.null_residual()
            }
            fn df_at(&self, lambda: f64) -> Result<f64> {
                self.df(lambda)
            }
            fn kappa_at(&self, lambda: f64) -> Result<f64> {
                self.kappa_hat(lambda)
            }
            fn gcv_at(&self, lambda: f64) -> Result<f64> {
                self.gcv(lambda)
            }
            fn loocv_at(&self, lambda: f64) -> Result<f64> {
                self.loocv(lambda)
            }
        }
    };
}
path_like!(RidgePath);
path_like!(KernelPath);

/// Rows `idx` of a sample: by the Gram matrix (`D ≥ P`) or by the rows themselves.
pub(crate) enum Source<'a> {
    /// `XXᵀ` of all rows.
    Gram(DMatrix<f64>),
    /// `X` itself.
    Rows(&'a DMatrix<f64>),
}

impl<'a> Source<'a> {
    pub(crate) fn new(x: &'a DMatrix<f64>) -> Self {
        if x.ncols() < x.nrows() {
            Self::Rows(x)
        } else {
            Self::Gram(gram(x))
        }
    }

    /// Curves of the rows `idx` (all rows if `None`).
    pub(crate) fn curves(
        &self,
        y: &DVector<f64>,
        idx: Option<&[usize]>,
        criterion: Criterion,
    ) -> Result<Curves> {
        let ys = idx.map_or_else(
            || y.clone(),
            |idx| DVector::from_iterator(idx.len(), idx.iter().map(|&i| y[i])),
        );
        match (self, idx) {
            (Self::Gram(g), None) => Curves::from_gram(g, &ys, criterion),
            (Self::Gram(g), Some(idx)) => Curves::from_gram(&sub_gram(g, idx), &ys, criterion),
            (Self::Rows(x), None) => Curves::from_rows(x, &ys, criterion),
            (Self::Rows(x), Some(idx)) => {
                let xs = x.select_rows(idx.iter());
                Curves::from_rows(&xs, &ys, criterion)
            }
        }
    }
}
