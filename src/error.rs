//! The crate-wide error type.

/// Everything that can go wrong in `detridge`, with the offending values.
///
/// Every input a user can reach with legitimate numbers is validated and answered with
/// one of these variants; nothing in the crate returns a last iterate or a clamped number
/// in place of an error.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A number that must be finite is NaN or infinite.
    #[error("{what} must be finite, got {}", Short(*.value))]
    NonFinite {
        /// Which input or intermediate quantity.
        what: &'static str,
        /// The offending value.
        value: f64,
    },
    /// A parameter is outside its admissible range.
    #[error("invalid parameter `{name}` = {}: {reason}", Short(*.value))]
    InvalidParameter {
        /// Name of the parameter.
        name: &'static str,
        /// The offending value.
        value: f64,
        /// What the admissible range is.
        reason: &'static str,
    },
    /// Two inputs that must have matching lengths or shapes do not.
    #[error("length mismatch: {what} (expected {expected}, got {got})")]
    LengthMismatch {
        /// Which inputs.
        what: &'static str,
        /// The expected length.
        expected: usize,
        /// The length given.
        got: usize,
    },
    /// An input that must be non-empty is empty.
    #[error("{what} must not be empty")]
    Empty {
        /// Which input.
        what: &'static str,
    },
    /// The ridge is below the smallest value that still has a physical renormalized ridge.
    #[error(
        "ridge lambda = {} is below the admissible minimum {} \
         (no physical renormalized ridge exists below it)",
        Short(*.lambda),
        Short(*.lambda_min)
    )]
    RidgeBelowMinimum {
        /// The ridge asked for.
        lambda: f64,
        /// The smallest admissible ridge for this spectrum and these sizes.
        lambda_min: f64,
    },
    /// An iterative routine did not converge within its iteration cap.
    #[error(
        "{what} did not converge after {iterations} iterations \
         (last iterate {}, residual {})",
        Short(*.last),
        Short(*.residual)
    )]
    NoConvergence {
        /// Which routine.
        what: &'static str,
        /// Iterations performed.
        iterations: usize,
        /// Residual at the last iterate.
        residual: f64,
        /// The last iterate (for diagnosis only; it is not a result).
        last: f64,
    },
    /// A root or a minimum was asked for in an interval that does not bracket it (and
    /// cannot be widened within the range of `f64`).
    #[error("{what}: [{}, {}] does not bracket it", Short(*.lo), Short(*.hi))]
    NotBracketed {
        /// Which routine.
        what: &'static str,
        /// Lower end.
        lo: f64,
        /// Upper end.
        hi: f64,
    },
    /// The optimum asked for is at infinity (for example the optimal ridge of a task
    /// without signal, `λ* = ∞`, where the zero predictor is optimal): an exact answer
    /// that no finite number represents.
    #[error(
        "{what} is infinite (the optimum is the limit at infinity, where the value tends to {})",
        Short(*.limit)
    )]
    InfiniteOptimum {
        /// Which optimum.
        what: &'static str,
        /// The limit of the optimised quantity (e.g. `E_g(λ → ∞)`).
        limit: f64,
    },
    /// The quantity asked for is infinite or undefined at this point (for example the
    /// interpolation peak `γ = 1`, where the test error diverges).
    #[error("{what} diverges at this point: {reason}")]
    Divergent {
        /// Which quantity.
        what: &'static str,
        /// Why.
        reason: &'static str,
    },
    /// A matrix that must be symmetric positive (semi-)definite is not.
    #[error("{what} is not symmetric positive semi-definite: {reason}")]
    NotPositiveSemiDefinite {
        /// Which matrix.
        what: &'static str,
        /// What failed.
        reason: String,
    },
    /// A dense decomposition failed.
    #[error("decomposition of {what} failed: {reason}")]
    Decomposition {
        /// Which matrix.
        what: &'static str,
        /// What the backend reported.
        reason: String,
    },
    /// The operation is not available for this kind of spectrum (for example drawing
    /// Gaussian samples from a spectrum with infinitely many eigenvalues).
    #[error("unsupported: {0}")]
    Unsupported(&'static str),
}

/// A number in an error message, short and readable: integers as integers (`100`),
/// moderate values with up to six significant digits (`0.25`), everything else in
/// scientific notation with four (`-4.941e-324`, `1.798e308`), and `NaN`, `inf`.
pub(crate) struct Short(pub(crate) f64);

impl core::fmt::Display for Short {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        let v = self.0;
        let a = v.abs();
        if !v.is_finite() || v == 0.0 {
            write!(f, "{v}")
        } else if v.fract() == 0.0 && a < 1e15 {
            write!(f, "{v:.0}")
        } else if (1e-4..1e6).contains(&a) {
            let s = format!("{v:.6}");
            write!(f, "{}", s.trim_end_matches('0').trim_end_matches('.'))
        } else {
            write!(f, "{v:.3e}")
        }
    }
}

/// `Result` with this crate's [`Error`].
pub type Result<T> = core::result::Result<T, Error>;

/// Checks that `value` is finite.
pub(crate) fn finite(what: &'static str, value: f64) -> Result<f64> {
    if value.is_finite() {
        Ok(value)
    } else {
        Err(Error::NonFinite { what, value })
    }
}

/// Checks that `value` is finite and `> 0`.
pub(crate) fn positive(name: &'static str, value: f64) -> Result<f64> {
    finite(name, value)?;
    if value > 0.0 {
        Ok(value)
    } else {
        Err(Error::InvalidParameter {
            name,
            value,
            reason: "must be > 0",
        })
    }
}

/// Checks that `value` is finite and `>= 0`.
pub(crate) fn non_negative(name: &'static str, value: f64) -> Result<f64> {
    finite(name, value)?;
    if value >= 0.0 {
        Ok(value)
    } else {
        Err(Error::InvalidParameter {
            name,
            value,
            reason: "must be >= 0",
        })
    }
}

/// A non-negative quantity that may be `+∞` (a training time): `NaN` is
/// [`Error::NonFinite`], a negative value [`Error::InvalidParameter`].
pub(crate) fn non_negative_or_infinite(name: &'static str, value: f64) -> Result<f64> {
    if value.is_nan() {
        return Err(Error::NonFinite { what: name, value });
    }
    if value < 0.0 {
        return Err(Error::InvalidParameter {
            name,
            value,
            reason: "must be >= 0",
        });
    }
    Ok(value)
}

/// A sample or feature count: finite and `> 0`; `f64::INFINITY` is allowed when
/// `allow_infinite` (a factor that is absent, e.g. `N = ∞`).
pub(crate) fn size(name: &'static str, value: f64, allow_infinite: bool) -> Result<f64> {
    if value.is_nan() || (value.is_infinite() && !allow_infinite) {
        return Err(Error::NonFinite { what: name, value });
    }
    if value > 0.0 {
        Ok(value)
    } else {
        Err(Error::InvalidParameter {
            name,
            value,
            reason: "must be > 0",
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn error_is_send_sync_static() {
        fn assert_bounds<T: Send + Sync + 'static>() {}
        assert_bounds::<Error>();
    }

    #[test]
    fn short_numbers() {
        let cases = [
            (100.0, "100"),
            (0.25, "0.25"),
            (-5e-324, "-4.941e-324"),
            (f64::MAX, "1.798e308"),
            (f64::NAN, "NaN"),
            (1.0 / 3.0, "0.333333"),
            (0.0, "0"),
        ];
        for (v, want) in cases {
            assert_eq!(Short(v).to_string(), want);
        }
    }

    #[test]
    fn messages_print_values() {
        let e = Error::RidgeBelowMinimum {
            lambda: -2.0,
            lambda_min: -0.5,
        };
        let s = e.to_string();
        assert!(s.contains("-2") && s.contains("-0.5"), "{s}");
    }
}
