"""Seeded simulators (Rust: ``detridge::montecarlo``): means and standard errors.

Each function returns a :class:`detridge.Curve` with one point per ridge in ``lams``;
field ``x`` is the mean over draws and ``x_se`` its standard error. Counts (``p``,
``draws``, ...) are ints or integral floats. Seeds reproduce
results bit for bit (ChaCha streams per draw, independent of thread count).
"""

from typing import ClassVar, Optional, Union

from . import ArrayLike, Curve, FloatOrArray, Task

class RidgeEstimates:
    """Field names of :func:`ridge`'s curve: lam, draws, and mean/``_se`` pairs of
    test_error, train_error, gcv, kappa_hat, df_hat, bias2, var_data, var_noise."""

    FIELDS: ClassVar[list[str]]

class RfEstimates:
    """Field names of :func:`random_features`' curve: lam and mean/``_se`` pairs of
    test_error, train_error, gcv, bias2, var_data, var_features, var_data_features,
    var_noise, var_noise_data, var_noise_data_features, feature_averaged_error,
    data_averaged_error."""

    FIELDS: ClassVar[list[str]]

class EnsembleEstimate:
    """Field names of :func:`random_features_ensemble`' curve: lam, test_error, test_error_se."""

    FIELDS: ClassVar[list[str]]

class DynamicsEstimates:
    """Field names of :func:`gradient_flow`'s and :func:`gradient_descent`'s curves: lam,
    features (N; inf for linear ridge), time, steps (NaN for gradient flow), and
    mean/``_se`` pairs of test_error, train_error, test_signal, test_noise."""

    FIELDS: ClassVar[list[str]]

def ridge(task: Task, p: int, lams: FloatOrArray, draws: int, seed: int) -> Curve:
    """Simulates linear ridge on ``draws`` data sets of ``p`` Gaussian samples from
    ``task`` (finite D; ``Unsupported`` otherwise), one result per ridge ``lams`` (≥ 0;
    0 is the minimum-norm fit). Fields as :class:`RidgeEstimates`."""

def random_features(
    task: Task,
    p: int,
    lams: FloatOrArray,
    data_draws: int,
    feature_draws: int,
    seed: int,
    *,
    n: Optional[int] = None,
    widths: Optional[ArrayLike] = None,
    variances: Optional[ArrayLike] = None,
    omega: Optional[ArrayLike] = None,
    s: Optional[float] = None,
) -> Curve:
    """Simulates linear random features on a crossed design of ``data_draws`` data sets ×
    ``feature_draws`` (≥ 3) feature draws. The model: ``n`` (isotropic), ``n`` and
    ``omega`` (input-structured, Ω in Σ's eigenbasis), ``n`` and ``s`` (additive
    feature noise), ``widths`` (deep chain) or ``variances`` (column-anisotropic).
    Fields as :class:`RfEstimates`."""

def random_features_ensemble(
    task: Task,
    p: int,
    lams: FloatOrArray,
    data_draws: int,
    ensembles: int,
    k: int,
    seed: int,
    *,
    n: Optional[int] = None,
    widths: Optional[ArrayLike] = None,
    variances: Optional[ArrayLike] = None,
    omega: Optional[ArrayLike] = None,
) -> Curve:
    """Simulates the test error of an average of ``k`` random-feature models sharing a
    data set. Fields as :class:`EnsembleEstimate`."""

def gradient_flow(
    task: Task,
    p: int,
    lams: FloatOrArray,
    times: FloatOrArray,
    draws: int,
    seed: int,
    *,
    features: Optional[float] = None,
) -> Curve:
    """Simulates full-batch gradient flow from zero weights on ``draws`` data sets of
    ``p`` Gaussian samples (finite D), one point per (lam, time), lam-major (times ≥ 0,
    inf allowed). ``features=N`` (an int; inf is linear ridge): the readout of linear
    random features of width N, F redrawn per draw (THEORY §13). Fields as
    :class:`DynamicsEstimates`."""

def gradient_descent(
    task: Task,
    p: int,
    lams: FloatOrArray,
    eta: float,
    k: Union[int, ArrayLike],
    draws: int,
    seed: int,
    *,
    features: Optional[float] = None,
) -> Curve:
    """Simulates full-batch gradient descent with step ``eta``, one point per (lam, k),
    lam-major; otherwise as :func:`gradient_flow`."""
