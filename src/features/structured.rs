//! Input-side structured feature weights `F = Ω^{1/2}G/√N`: exact reduction to the
//! isotropic model on a transformed task (THEORY §4.5a).

use nalgebra::{DMatrix, DVector};

use crate::error::{Error, Result, finite};
use crate::numeric::symmetric_eigen;
use crate::spectrum::{Spectrum, Task};

impl Task {
    /// The reduced task of input-side structured weights `F = Ω^{1/2}G/√N` when `Ω`
    /// commutes with `Σ` (THEORY §4.5a): per stored spectrum entry, `s_k → s_k ω_k` and
    /// `w̄_k² → w̄_k²/ω_k`. Random features on the returned task are the structured model.
    ///
    /// # Errors
    /// [`Error::Unsupported`] for an analytic spectrum, [`Error::LengthMismatch`] unless
    /// there is one `ω` per stored entry, [`Error::InvalidParameter`] for `ω_k ≤ 0`,
    /// [`Error::NonFinite`].
    ///
    /// # Examples
    /// ```
    /// use detridge::Task;
    /// let task = Task::isotropic(100.0, 1.0, 0.1)?;
    /// let t = task.input_structured_diagonal(&[2.0])?;
    /// // Σ → 2Σ, w̄² → w̄²/2: the same model as λ → λ/2 (THEORY §4.1).
    /// let a = t.random_features(150.0, 80.0, 0.02)?;
    /// let b = task.random_features(150.0, 80.0, 0.01)?;
    /// assert!((a.test_error - b.test_error).abs() < 1e-12);
    /// # Ok::<(), detridge::Error>(())
    /// ```
    pub fn input_structured_diagonal(&self, omega: &[f64]) -> Result<Task> {
        let (d, w2) = self.discrete_target().ok_or(Error::Unsupported(
            "input-structured weights need a finite spectrum",
        ))?;
        if omega.len() != d.values.len() {
            return Err(Error::LengthMismatch {
                what: "omega vs spectrum entries",
                expected: d.values.len(),
                got: omega.len(),
            });
        }
        let mut values = Vec::with_capacity(omega.len());
        let mut mult = Vec::with_capacity(omega.len());
        let mut power = Vec::with_capacity(omega.len());
        for (i, &o) in omega.iter().enumerate() {
            crate::error::positive("omega", o)?;
            values.push(d.values[i] * o);
            mult.push(d.multiplicity(i));
            power.push(w2[i] / o);
        }
        Task::with_target_power(
            Spectrum::with_multiplicities(&values, &mult)?,
            &power,
            self.noise_variance,
        )
    }

    /// The reduced task of input-side structured weights `F = Ω^{1/2}G/√N` for a general
    /// (positive-definite) `Ω` given in `Σ`'s eigenbasis (THEORY §4.5a, exact reduction):
    /// `Σ_t = Ω^{1/2}ΣΩ^{1/2}`, `w̄_t = Ω^{−1/2}w̄`, then eigendecomposed.
    ///
    /// Since a [`Task`] stores only `w̄_k²`, the signed target `wbar` (in `Σ`'s eigenbasis,
    /// one entry per stored eigenvalue) must be given; `wbar_k²` must equal the task's
    /// target power. The task must have `D` distinct stored directions (multiplicities one,
    /// no zero eigenvalues), in the order of its stored entries.
    ///
    /// # Errors
    /// [`Error::Unsupported`] for analytic spectra or multiplicities / a null space,
    /// [`Error::LengthMismatch`], [`Error::InvalidParameter`] if `wbar²` does not match the
    /// task, [`Error::NotPositiveSemiDefinite`] unless `Ω` is symmetric positive definite,
    /// [`Error::Decomposition`] if an eigensolver fails.
    ///
    /// # Examples
    /// A diagonal `Ω` agrees with [`Task::input_structured_diagonal`].
    /// ```
    /// use detridge::Task;
    /// use nalgebra::{DMatrix, DVector};
    /// let eig = [1.0, 0.5, 0.25, 0.125];
    /// let w = [0.5, -0.5, 0.5, 0.5];
    /// let task = Task::from_weights(&eig, &w, 0.1)?;
    /// let om = [2.0, 1.0, 0.5, 3.0];
    /// let a = task.input_structured(&DMatrix::from_diagonal(&DVector::from_column_slice(&om)), &w)?;
    /// let b = task.input_structured_diagonal(&om)?;
    /// let (ta, tb) = (a.random_features(3.0, 2.0, 0.1)?, b.random_features(3.0, 2.0, 0.1)?);
    /// assert!((ta.test_error - tb.test_error).abs() < 1e-12);
    /// # Ok::<(), detridge::Error>(())
    /// ```
    pub fn input_structured(&self, omega: &DMatrix<f64>, wbar: &[f64]) -> Result<Task> {
        let (d, w2) = self.discrete_target().ok_or(Error::Unsupported(
            "input-structured weights need a finite spectrum",
        ))?;
        let n = d.values.len();
        if d.mult.is_some() || (d.dim - n as f64).abs() > 0.5 {
            return Err(Error::Unsupported(
                "a general Ω needs one stored entry per direction (no multiplicities or null space)",
            ));
        }
        if omega.nrows() != n || omega.ncols() != n {
            return Err(Error::LengthMismatch {
                what: "omega vs spectrum dimension",
                expected: n,
                got: omega.nrows().max(omega.ncols()),
            });
        }
        if wbar.len() != n {
            return Err(Error::LengthMismatch {
                what: "wbar vs spectrum dimension",
                expected: n,
                got: wbar.len(),
            });
        }
        for (&w, &p2) in wbar.iter().zip(&w2) {
            finite("target weight", w)?;
            if (w * w - p2).abs() > 1e-10 * p2.max(f64::MIN_POSITIVE) {
                return Err(Error::InvalidParameter {
                    name: "wbar",
                    value: w,
                    reason: "wbar_k^2 must equal the task's target power of entry k",
                });
            }
        }
        let (o, v) = symmetric_eigen(omega, "omega")?;
        if let Some(&m) = o.iter().find(|&&x| x <= 0.0) {
            return Err(Error::NotPositiveSemiDefinite {
                what: "omega",
                reason: format!(
                    "eigenvalue {} is not > 0 (Ω must be positive definite)",
                    crate::error::Short(m)
                ),
            });
        }
        // Ω^{±1/2} = V diag(o^{±1/2}) Vᵀ.
        let half = &v
            * DMatrix::from_diagonal(&DVector::from_iterator(n, o.iter().map(|x| x.sqrt())))
            * v.transpose();
        let mhalf = &v
            * DMatrix::from_diagonal(&DVector::from_iterator(n, o.iter().map(|x| 1.0 / x.sqrt())))
            * v.transpose();
        let sigma = DMatrix::from_diagonal(&DVector::from_column_slice(&d.values));
        let mut sigma_t = &half * sigma * &half;
        // Symmetrise the round-off before the symmetry check of the eigensolver.
        let st = sigma_t.transpose();
        sigma_t = (sigma_t + st) * 0.5;
        let wbar_t = &mhalf * DVector::from_column_slice(wbar);
        Task::from_covariance(&sigma_t, &wbar_t, self.noise_variance)
    }
}
