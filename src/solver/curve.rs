//! Curves: one theory result per point of a sweep over `P`, `N` or `λ` (computed by
//! `solver::sweep`: `κ` predicted from the previous points, about one spectrum
//! pass per point).
//!
//! Every curve entry point of the crate (`Task::ridge_curve_p`, `ridge_curve_lambda`,
//! `random_features_curve_p`/`_n`/`_lambda`, `kernel_ridge_curve_p`/`_lambda`) returns a
//! [`Curve`]: the results **per point**, so that one point that fails (the interpolation
//! peak `P = D` at `λ = 0`, a ridge below the admissible minimum) does not discard the
//! rest. [`Curve::into_result`] gives the old all-or-nothing shape.

use crate::error::{Error, Result};

/// One result per abscissa of a sweep: a point that fails does not discard the others
/// (see the `solver` module docs).
#[must_use]
#[derive(Debug, Clone, PartialEq)]
pub struct Curve<T> {
    /// The abscissae (`P`, `N` or `λ`), in the order given.
    pub xs: Vec<f64>,
    /// The result at each abscissa (same order and length as `xs`).
    pub points: Vec<Result<T>>,
}

impl<T> Curve<T> {
    /// Number of points.
    #[must_use]
    pub fn len(&self) -> usize {
        self.points.len()
    }

    /// Whether the curve has no points.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.points.is_empty()
    }

    /// All results, or the first error.
    ///
    /// # Errors
    /// The first failed point's error.
    ///
    /// # Examples
    /// ```
    /// use detridge::Task;
    /// let task = Task::isotropic(100.0, 1.0, 0.1)?;
    /// let c = task.ridge_curve_p(&[50.0, 200.0], 0.0).into_result()?;
    /// assert_eq!(c.len(), 2);
    /// # Ok::<(), detridge::Error>(())
    /// ```
    pub fn into_result(self) -> Result<Vec<T>> {
        self.points.into_iter().collect()
    }

    /// `(x, result)` for every point.
    pub fn iter(&self) -> impl Iterator<Item = (f64, &Result<T>)> {
        self.xs.iter().copied().zip(&self.points)
    }

    /// `(x, value)` for the points that succeeded.
    pub fn successes(&self) -> impl Iterator<Item = (f64, &T)> {
        self.iter()
            .filter_map(|(x, r)| r.as_ref().ok().map(|t| (x, t)))
    }

    /// `(x, error)` for the points that failed.
    pub fn errors(&self) -> impl Iterator<Item = (f64, &Error)> {
        self.iter()
            .filter_map(|(x, r)| r.as_ref().err().map(|e| (x, e)))
    }

    /// Applies a fallible map to every successful point (failed points stay failed).
    pub fn map<U>(self, mut f: impl FnMut(T) -> Result<U>) -> Curve<U> {
        Curve {
            xs: self.xs,
            points: self
                .points
                .into_iter()
                .map(|r| r.and_then(&mut f))
                .collect(),
        }
    }
}

impl<T> IntoIterator for Curve<T> {
    type Item = (f64, Result<T>);
    type IntoIter = std::iter::Zip<std::vec::IntoIter<f64>, std::vec::IntoIter<Result<T>>>;
    fn into_iter(self) -> Self::IntoIter {
        self.xs.into_iter().zip(self.points)
    }
}
