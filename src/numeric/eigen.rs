//! The one symmetric eigendecomposition of the crate (faer, sequential kernels).

use faer::dyn_stack::{MemBuffer, MemStack};
use faer::linalg::evd::{self, ComputeEigenvectors};
use faer::{Mat, MatRef, Par};
use nalgebra::DMatrix;

use crate::error::{Error, Result, finite};

/// Eigenvalues (ascending) and eigenvectors (columns) of a symmetric matrix, read from
/// its lower triangle, with no checks. Sequential faer kernels: results are bit-identical
/// whatever the thread count (simulations rely on it).
///
/// # Errors
/// [`Error::Decomposition`] if faer reports a failure.
pub(crate) fn self_adjoint_evd(
    a: MatRef<'_, f64>,
    what: &'static str,
) -> Result<(Vec<f64>, Mat<f64>)> {
    let n = a.nrows();
    let mut u = Mat::<f64>::zeros(n, n);
    let mut s = faer::diag::Diag::<f64>::zeros(n);
    let par = Par::Seq;
    let mut buf = MemBuffer::new(evd::self_adjoint_evd_scratch::<f64>(
        n,
        ComputeEigenvectors::Yes,
        par,
        Default::default(),
    ));
    evd::self_adjoint_evd(
        a,
        s.as_mut(),
        Some(u.as_mut()),
        par,
        MemStack::new(&mut buf),
        Default::default(),
    )
    .map_err(|e| Error::Decomposition {
        what,
        reason: format!("{e:?}"),
    })?;
    Ok(((0..n).map(|i| s[i]).collect(), u))
}

/// Symmetric eigendecomposition of a nalgebra matrix: eigenvalues (ascending, round-off
/// below `64·ε·n·max|λ|` set to zero) and eigenvectors (columns), with finiteness,
/// symmetry and PSD checks.
///
/// # Errors
/// [`Error::LengthMismatch`], [`Error::Empty`], [`Error::NonFinite`],
/// [`Error::NotPositiveSemiDefinite`], [`Error::Decomposition`].
pub(crate) fn symmetric_eigen(
    a: &DMatrix<f64>,
    what: &'static str,
) -> Result<(Vec<f64>, DMatrix<f64>)> {
    let n = a.nrows();
    if a.ncols() != n {
        return Err(Error::LengthMismatch {
            what: "covariance must be square",
            expected: n,
            got: a.ncols(),
        });
    }
    if n == 0 {
        return Err(Error::Empty { what });
    }
    let mut scale = 0.0_f64;
    for &x in a.iter() {
        finite("matrix entry", x)?;
        scale = scale.max(x.abs());
    }
    for i in 0..n {
        for j in 0..i {
            if (a[(i, j)] - a[(j, i)]).abs() > 1e-12 * scale.max(f64::MIN_POSITIVE) {
                return Err(Error::NotPositiveSemiDefinite {
                    what,
                    reason: format!("not symmetric at ({i}, {j})"),
                });
            }
        }
    }
    let m = MatRef::from_column_major_slice(a.as_slice(), n, n);
    let (s, u) = self_adjoint_evd(m, what)?;
    let top = s.iter().map(|v| v.abs()).fold(0.0_f64, f64::max);
    let tol = 64.0 * f64::EPSILON * n as f64 * top;
    let mut values = Vec::with_capacity(n);
    for &v in &s {
        if v < -tol {
            return Err(Error::NotPositiveSemiDefinite {
                what,
                reason: format!("eigenvalue {} < 0", crate::error::Short(v)),
            });
        }
        values.push(if v.abs() <= tol { 0.0 } else { v });
    }
    let vectors = DMatrix::from_fn(n, n, |i, j| u[(i, j)]);
    Ok((values, vectors))
}
