//! The boundary: Rust errors and panics to `DetridgeError`, numpy/Python inputs to Rust
//! slices and matrices, Rust result structs to Python records and curves.

use std::panic::{AssertUnwindSafe, catch_unwind};

use nalgebra::{DMatrix, DVector};
use numpy::{
    AllowTypeChange, PyArray1, PyArrayLike1, PyArrayLike2, PyUntypedArray, PyUntypedArrayMethods,
};
use pyo3::exceptions::{PyKeyError, PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList, PyTuple};

pyo3::create_exception!(
    detridge,
    DetridgeError,
    PyValueError,
    "Every error of the Rust engine (a ValueError subclass).\n\n\
     `kind` is the name of the Rust `detridge::Error` variant (e.g. \"Divergent\", \
     \"RidgeBelowMinimum\"), or \"InvalidInput\" for an input array of the wrong shape, \
     or \"Panic\" for an internal failure; `details` is a dict of the variant's values."
);

/// A `DetridgeError` with `kind`, `details` and a message.
pub fn error(py: Python<'_>, kind: &str, message: String, details: &Bound<'_, PyDict>) -> PyErr {
    let err = DetridgeError::new_err(message);
    let value = err.value(py);
    // Setting attributes on a fresh exception instance cannot fail.
    let _ = value.setattr("kind", kind);
    let _ = value.setattr("details", details);
    err
}

/// An input-shape error raised on the Python side of the boundary.
pub fn invalid_input(py: Python<'_>, what: &str, message: String) -> PyErr {
    let details = PyDict::new(py);
    let _ = details.set_item("what", what);
    error(py, "InvalidInput", message, &details)
}

/// Maps every `detridge::Error` variant to `DetridgeError` with its values.
pub fn to_py_err(py: Python<'_>, e: &detridge::Error) -> PyErr {
    use detridge::Error as E;
    // The variant name, from `Debug` (works for variants added later too).
    let debug = format!("{e:?}");
    let kind: String = debug
        .chars()
        .take_while(char::is_ascii_alphanumeric)
        .collect();
    let d = PyDict::new(py);
    let r: PyResult<()> = (|| {
        match e {
            E::NonFinite { what, value } => {
                d.set_item("what", *what)?;
                d.set_item("value", *value)?;
            }
            E::InvalidParameter {
                name,
                value,
                reason,
            } => {
                d.set_item("name", *name)?;
                d.set_item("value", *value)?;
                d.set_item("reason", *reason)?;
            }
            E::LengthMismatch {
                what,
                expected,
                got,
            } => {
                d.set_item("what", *what)?;
                d.set_item("expected", *expected)?;
                d.set_item("got", *got)?;
            }
            E::Empty { what } => d.set_item("what", *what)?,
            E::RidgeBelowMinimum { lambda, lambda_min } => {
                d.set_item("lam", *lambda)?;
                d.set_item("lam_min", *lambda_min)?;
            }
            E::NoConvergence {
                what,
                iterations,
                residual,
                last,
            } => {
                d.set_item("what", *what)?;
                d.set_item("iterations", *iterations)?;
                d.set_item("residual", *residual)?;
                d.set_item("last", *last)?;
            }
            E::NotBracketed { what, lo, hi } => {
                d.set_item("what", *what)?;
                d.set_item("lo", *lo)?;
                d.set_item("hi", *hi)?;
            }
            E::Divergent { what, reason } => {
                d.set_item("what", *what)?;
                d.set_item("reason", *reason)?;
            }
            E::NotPositiveSemiDefinite { what, reason } | E::Decomposition { what, reason } => {
                d.set_item("what", *what)?;
                d.set_item("reason", reason.as_str())?;
            }
            E::Unsupported(what) => d.set_item("what", *what)?,
            E::InfiniteOptimum { what, limit } => {
                d.set_item("what", *what)?;
                d.set_item("limit", *limit)?;
            }
            _ => d.set_item("debug", debug.as_str())?,
        }
        Ok(())
    })();
    if let Err(err) = r {
        return err;
    }
    error(py, &kind, e.to_string(), &d)
}

fn panic_message(payload: &(dyn std::any::Any + Send)) -> String {
    if let Some(s) = payload.downcast_ref::<&str>() {
        (*s).to_owned()
    } else if let Some(s) = payload.downcast_ref::<String>() {
        s.clone()
    } else {
        "unknown panic".to_owned()
    }
}

/// Runs `f` with the GIL released, catching panics: every failure becomes `DetridgeError`.
pub fn run<T, F>(py: Python<'_>, f: F) -> PyResult<T>
where
    T: Send,
    F: FnOnce() -> detridge::Result<T> + Send,
{
    match py.detach(|| catch_unwind(AssertUnwindSafe(f))) {
        Ok(Ok(v)) => Ok(v),
        Ok(Err(e)) => Err(to_py_err(py, &e)),
        Err(payload) => {
            let msg = panic_message(payload.as_ref());
            let details = PyDict::new(py);
            let _ = details.set_item("message", msg.as_str());
            Err(error(
                py,
                "Panic",
                format!("internal error (Rust panic): {msg}"),
                &details,
            ))
        }
    }
}

/// A count given as a Python int or an integral float (`500` or `500.0`); anything else
/// (NaN, negative, fractional, too large) is `InvalidParameter`/`NonFinite`.
pub fn count(py: Python<'_>, name: &'static str, value: f64) -> PyResult<usize> {
    if !value.is_finite() {
        return Err(to_py_err(
            py,
            &detridge::Error::NonFinite { what: name, value },
        ));
    }
    if value < 0.0 || value.fract() != 0.0 || value > 9.0e15 {
        return Err(to_py_err(
            py,
            &detridge::Error::InvalidParameter {
                name,
                value,
                reason: "must be a non-negative integer",
            },
        ));
    }
    Ok(value as usize)
}

/// A float or a 1-D array of floats.
#[derive(Debug, Clone)]
pub enum Points {
    /// One value.
    Scalar(f64),
    /// Many values.
    Array(Vec<f64>),
}

impl Points {
    /// Number of values, `None` for a scalar.
    pub fn len(&self) -> Option<usize> {
        match self {
            Self::Scalar(_) => None,
            Self::Array(v) => Some(v.len()),
        }
    }
    /// The `i`-th value (a scalar broadcasts).
    pub fn at(&self, i: usize) -> f64 {
        match self {
            Self::Scalar(x) => *x,
            Self::Array(v) => v[i],
        }
    }
}

/// A float, or a 1-D float array (ints, lists and non-contiguous arrays are converted).
pub fn points(ob: &Bound<'_, PyAny>, name: &str) -> PyResult<Points> {
    let py = ob.py();
    let is_sequence = ob.cast::<PyList>().is_ok() || ob.cast::<PyTuple>().is_ok();
    if let Ok(a) = ob.cast::<PyUntypedArray>() {
        match a.ndim() {
            0 => {}
            1 => return Ok(Points::Array(vec1(ob, name)?)),
            n => {
                return Err(invalid_input(
                    py,
                    name,
                    format!("`{name}` must be a float or a 1-D array, got a {n}-D array"),
                ));
            }
        }
    } else if is_sequence {
        return Ok(Points::Array(vec1(ob, name)?));
    }
    match ob.extract::<f64>() {
        Ok(x) => Ok(Points::Scalar(x)),
        Err(_) => Err(PyTypeError::new_err(format!(
            "`{name}` must be a float or a 1-D array of floats, got {}",
            ob.get_type().name()?
        ))),
    }
}

/// A 1-D float array (any numeric dtype, any strides, or a list) as a `Vec<f64>`.
pub fn vec1(ob: &Bound<'_, PyAny>, name: &str) -> PyResult<Vec<f64>> {
    let py = ob.py();
    if let Ok(a) = ob.cast::<PyUntypedArray>()
        && a.ndim() != 1
    {
        return Err(invalid_input(
            py,
            name,
            format!("`{name}` must be a 1-D array, got a {}-D array", a.ndim()),
        ));
    }
    let arr: PyArrayLike1<'_, f64, AllowTypeChange> = ob.extract().map_err(|e| {
        invalid_input(
            py,
            name,
            format!("`{name}` must be a 1-D array of floats ({e})"),
        )
    })?;
    Ok(arr.as_array().iter().copied().collect())
}

/// A 2-D float array as an nalgebra matrix.
pub fn mat2(ob: &Bound<'_, PyAny>, name: &str) -> PyResult<DMatrix<f64>> {
    let py = ob.py();
    if let Ok(a) = ob.cast::<PyUntypedArray>()
        && a.ndim() != 2
    {
        return Err(invalid_input(
            py,
            name,
            format!("`{name}` must be a 2-D array, got a {}-D array", a.ndim()),
        ));
    }
    let arr: PyArrayLike2<'_, f64, AllowTypeChange> = ob.extract().map_err(|e| {
        invalid_input(
            py,
            name,
            format!("`{name}` must be a 2-D array of floats ({e})"),
        )
    })?;
    let v = arr.as_array();
    Ok(DMatrix::from_fn(v.nrows(), v.ncols(), |i, j| v[[i, j]]))
}

/// A 1-D float array as an nalgebra vector.
pub fn dvec(ob: &Bound<'_, PyAny>, name: &str) -> PyResult<DVector<f64>> {
    Ok(DVector::from_vec(vec1(ob, name)?))
}

/// `errors="raise"` (false) or `errors="mask"` (true).
pub fn mask_mode(py: Python<'_>, errors: &str) -> PyResult<bool> {
    match errors {
        "raise" => Ok(false),
        "mask" => Ok(true),
        other => Err(invalid_input(
            py,
            "errors",
            format!("`errors` must be \"raise\" or \"mask\", got {other:?}"),
        )),
    }
}

/// Broadcasts scalars and equal-length arrays; `None` if all are scalars.
pub fn broadcast_len(py: Python<'_>, args: &[(&str, &Points)]) -> PyResult<Option<usize>> {
    let mut n: Option<(usize, &str)> = None;
    for (name, p) in args {
        if let Some(len) = p.len() {
            match n {
                None => n = Some((len, name)),
                Some((m, first)) if m != len => {
                    return Err(invalid_input(
                        py,
                        name,
                        format!("`{first}` has {m} points but `{name}` has {len}"),
                    ));
                }
                _ => {}
            }
        }
    }
    Ok(n.map(|(len, _)| len))
}

/// A flat result struct: named `f64` fields.
pub trait Record: Send {
    /// Field names, as Python sees them.
    const FIELDS: &'static [&'static str];
    /// Field values, in `FIELDS` order.
    fn values(&self) -> Vec<f64>;
    /// Appends the field values to one column each (`FIELDS` order), without allocating.
    fn push_into(&self, columns: &mut [Vec<f64>]);
}

/// The fields of a record as a dict of floats.
pub fn record_dict<'py, R: Record>(py: Python<'py>, r: &R) -> PyResult<Bound<'py, PyDict>> {
    let d = PyDict::new(py);
    for (k, v) in R::FIELDS.iter().zip(r.values()) {
        d.set_item(*k, v)?;
    }
    Ok(d)
}

/// `pandas.DataFrame(data)`, with a clear error when pandas is missing.
pub fn to_pandas<'py>(
    py: Python<'py>,
    data: &Bound<'py, PyAny>,
    one_row: bool,
) -> PyResult<Bound<'py, PyAny>> {
    let pd = py.import("pandas").map_err(|_| {
        pyo3::exceptions::PyImportError::new_err("to_pandas() needs pandas: pip install pandas")
    })?;
    if one_row {
        pd.getattr("DataFrame")?.call1((PyList::new(py, [data])?,))
    } else {
        pd.getattr("DataFrame")?.call1((data,))
    }
}

/// `Name(a=1, b=2)`.
pub fn record_repr<R: Record>(name: &str, r: &R) -> String {
    let parts: Vec<String> = R::FIELDS
        .iter()
        .zip(r.values())
        .map(|(k, v)| format!("{k}={v:.6e}"))
        .collect();
    format!("{name}({})", parts.join(", "))
}

/// Declares a frozen Python record class with `f64` fields, `to_dict`, `to_pandas`,
/// `__repr__` and a `FIELDS` class attribute.
#[macro_export]
macro_rules! record {
    ($(#[$meta:meta])* $name:ident, $pyname:literal, [$($(#[$fmeta:meta])* $f:ident),* $(,)?]) => {
        $(#[$meta])*
        #[pyo3::pyclass(frozen, name = $pyname, module = "detridge")]
        #[derive(Clone, Debug)]
        pub struct $name {
            $($(#[$fmeta])* #[pyo3(get)] pub $f: f64,)*
        }
        impl $crate::convert::Record for $name {
            const FIELDS: &'static [&'static str] = &[$(stringify!($f)),*];
            fn values(&self) -> Vec<f64> {
                vec![$(self.$f),*]
            }
            fn push_into(&self, columns: &mut [Vec<f64>]) {
                let mut it = columns.iter_mut();
                $(if let Some(c) = it.next() {
                    c.push(self.$f);
                })*
            }
        }
        #[pyo3::pymethods]
        impl $name {
            /// The fields as a dict of floats.
            fn to_dict<'py>(&self, py: pyo3::Python<'py>) -> pyo3::PyResult<pyo3::Bound<'py, pyo3::types::PyDict>> {
                $crate::convert::record_dict(py, self)
            }
            /// A one-row pandas DataFrame (needs pandas).
            fn to_pandas<'py>(&self, py: pyo3::Python<'py>) -> pyo3::PyResult<pyo3::Bound<'py, pyo3::PyAny>> {
                let d = $crate::convert::record_dict(py, self)?;
                $crate::convert::to_pandas(py, d.as_any(), true)
            }
            fn __repr__(&self) -> String {
                $crate::convert::record_repr($pyname, self)
            }
            /// The field names.
            #[classattr]
            #[allow(non_snake_case)]
            fn FIELDS() -> Vec<&'static str> {
                <Self as $crate::convert::Record>::FIELDS.to_vec()
            }
        }
    };
}

/// A curve: one numpy array per field, plus the boolean `ok` mask.
///
/// Dict-like (`c["test_error"]`, `c.keys()`, `"kappa" in c`, iteration over keys) and
/// attribute access (`c.test_error`). With `errors="mask"`, points that failed hold NaN
/// in every output field (inputs keep their values) and `ok` is False there; with the
/// default `errors="raise"` the first failing point raises and `ok` is all True.
#[pyclass(frozen, name = "Curve", module = "detridge")]
pub struct Curve {
    names: Vec<&'static str>,
    columns: Vec<Py<PyArray1<f64>>>,
    ok: Py<PyArray1<bool>>,
    errors: Vec<Option<PyErr>>,
    masked: bool,
    len: usize,
}

/// One column of input values to show at failed points.
pub struct Input<'a> {
    /// Field name.
    pub name: &'static str,
    /// The requested values.
    pub values: &'a Points,
}

impl Curve {
    /// Builds a curve from per-point results; failed points (masked mode only) hold NaN
    /// except in the input columns.
    pub fn build<R: Record>(
        py: Python<'_>,
        rows: Vec<detridge::Result<R>>,
        inputs: &[Input<'_>],
        masked: bool,
    ) -> PyResult<Self> {
        let len = rows.len();
        let width = R::FIELDS.len();
        let mut cols: Vec<Vec<f64>> = (0..width).map(|_| Vec::with_capacity(len)).collect();
        let mut ok = Vec::with_capacity(len);
        let mut errors = Vec::with_capacity(len);
        for (i, row) in rows.into_iter().enumerate() {
            match row {
                Ok(r) => {
                    r.push_into(&mut cols);
                    ok.push(true);
                    errors.push(None);
                }
                Err(e) => {
                    if !masked {
                        return Err(to_py_err(py, &e));
                    }
                    for (c, name) in cols.iter_mut().zip(R::FIELDS) {
                        let v = inputs
                            .iter()
                            .find(|inp| inp.name == *name)
                            .map_or(f64::NAN, |inp| inp.values.at(i));
                        c.push(v);
                    }
                    ok.push(false);
                    errors.push(Some(to_py_err(py, &e)));
                }
            }
        }
        Ok(Self {
            names: R::FIELDS.to_vec(),
            columns: cols
                .into_iter()
                .map(|c| PyArray1::from_vec(py, c).unbind())
                .collect(),
            ok: PyArray1::from_vec(py, ok).unbind(),
            errors,
            masked,
            len,
        })
    }

    fn column(&self, py: Python<'_>, key: &str) -> Option<Py<PyAny>> {
        if key == "ok" {
            return Some(self.ok.clone_ref(py).into_any());
        }
        self.names
            .iter()
            .position(|n| *n == key)
            .map(|i| self.columns[i].clone_ref(py).into_any())
    }
}

#[pymethods]
impl Curve {
    fn __getitem__(&self, py: Python<'_>, key: &str) -> PyResult<Py<PyAny>> {
        self.column(py, key)
            .ok_or_else(|| PyKeyError::new_err(key.to_owned()))
    }

    fn __getattr__(&self, py: Python<'_>, name: &str) -> PyResult<Py<PyAny>> {
        self.column(py, name).ok_or_else(|| {
            pyo3::exceptions::PyAttributeError::new_err(format!("Curve has no field {name:?}"))
        })
    }

    fn __contains__(&self, key: &str) -> bool {
        key == "ok" || self.names.contains(&key)
    }

    /// Number of fields (dict semantics); the number of points is `n_points`.
    fn __len__(&self) -> usize {
        self.names.len()
    }

    fn __iter__<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        PyList::new(py, &self.names)?
            .as_any()
            .try_iter()
            .map(Bound::into_any)
    }

    /// The field names (without `ok`).
    fn keys(&self) -> Vec<&'static str> {
        self.names.clone()
    }

    /// The arrays, in `keys()` order.
    fn values(&self, py: Python<'_>) -> Vec<Py<PyArray1<f64>>> {
        self.columns.iter().map(|c| c.clone_ref(py)).collect()
    }

    /// `(name, array)` pairs.
    fn items(&self, py: Python<'_>) -> Vec<(&'static str, Py<PyArray1<f64>>)> {
        self.names
            .iter()
            .zip(&self.columns)
            .map(|(n, c)| (*n, c.clone_ref(py)))
            .collect()
    }

    /// Boolean array: True where the point was computed.
    #[getter]
    fn ok(&self, py: Python<'_>) -> Py<PyArray1<bool>> {
        self.ok.clone_ref(py)
    }

    /// Number of points.
    #[getter]
    fn n_points(&self) -> usize {
        self.len
    }

    /// The `DetridgeError` of each point (None where ok); masked mode only.
    fn point_errors(&self, py: Python<'_>) -> Vec<Option<Py<PyAny>>> {
        self.errors
            .iter()
            .map(|e| e.as_ref().map(|e| e.value(py).clone().into_any().unbind()))
            .collect()
    }

    /// A dict of numpy arrays (with `"ok"` when computed with `errors="mask"`).
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let d = PyDict::new(py);
        for (n, c) in self.names.iter().zip(&self.columns) {
            d.set_item(*n, c.clone_ref(py))?;
        }
        if self.masked {
            d.set_item("ok", self.ok.clone_ref(py))?;
        }
        Ok(d)
    }

    /// A pandas DataFrame, one row per point (needs pandas).
    fn to_pandas<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let d = self.to_dict(py)?;
        to_pandas(py, d.as_any(), false)
    }

    fn __repr__(&self) -> String {
        format!(
            "Curve({} points, fields={:?}{})",
            self.len,
            self.names,
            if self.masked { ", masked" } else { "" }
        )
    }
}

/// A numpy array from a vector.
pub fn array<'py>(py: Python<'py>, v: Vec<f64>) -> Bound<'py, PyArray1<f64>> {
    PyArray1::from_vec(py, v)
}

/// Returns a float for a scalar input and an array for an array input, computing each
/// point with `f` in Rust (GIL released); the first error raises.
pub fn map_points<F>(py: Python<'_>, x: &Points, f: F) -> PyResult<Py<PyAny>>
where
    F: Fn(f64) -> detridge::Result<f64> + Send + Sync,
{
    match x {
        Points::Scalar(v) => {
            let v = *v;
            Ok(run(py, || f(v))?.into_pyobject(py)?.into_any().unbind())
        }
        Points::Array(xs) => {
            let out = run(py, || {
                xs.iter()
                    .map(|&v| f(v))
                    .collect::<detridge::Result<Vec<f64>>>()
            })?;
            Ok(array(py, out).into_any().unbind())
        }
    }
}
