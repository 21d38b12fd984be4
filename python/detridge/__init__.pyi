"""detridge: deterministic-equivalence theory of high-dimensional ridge regression.

A Rust engine with numpy in and out (THEORY numbers refer to the crate's theory document,
``detridge::theory``). Conventions: ``lam`` is the explicit ridge (Rust ``lambda``) in the
1/P convention ``w = (XᵀX/P + lam)⁻¹ Xᵀy/P``; ``test_error`` is the excess risk E_g
without test-label noise; ``noise`` is the label-noise variance σ².

Inputs: every array argument accepts any numeric dtype (converted to float64), any strides
and lists; a wrong number of dimensions raises ``DetridgeError(kind="InvalidInput")``.

Errors: every failure of the engine raises :class:`DetridgeError`; no call returns NaN or
inf in place of an error. Curves raise at the first failing point unless called with
``errors="mask"``.
"""

from typing import Any, ClassVar, Iterator, Literal, Optional, Sequence, Tuple, Union

import numpy as np
import numpy.typing as npt

from . import estimate as estimate
from . import kernel as kernel
from . import montecarlo as montecarlo
from . import scaling as scaling

__version__: str

ArrayLike = Union[npt.ArrayLike, Sequence[float]]
FloatOrArray = Union[float, ArrayLike]
Errors = Literal["raise", "mask"]
Activation = Literal["relu", "erf", "tanh", "gelu", "identity"]

class DetridgeError(ValueError):
    """Every error of the Rust engine (a ``ValueError`` subclass).

    ``kind`` is the name of the Rust ``detridge::Error`` variant: "NonFinite",
    "InvalidParameter", "LengthMismatch", "Empty", "RidgeBelowMinimum", "NoConvergence",
    "NotBracketed", "Divergent", "NotPositiveSemiDefinite", "Decomposition",
    "Unsupported", "InfiniteOptimum" (an optimum at λ = ∞, with its limit); or
    "InvalidInput" (an input of the wrong shape or an unknown option, caught on the
    Python side) or "Panic" (an internal failure; please report it).
    ``details`` holds the variant's values, e.g. ``{"lam": -2.0, "lam_min": -0.5}`` for
    RidgeBelowMinimum, ``{"name": "p", "value": -1.0, "reason": "must be > 0"}`` for
    InvalidParameter.
    """

    kind: str
    details: dict[str, Any]

class Curve:
    """Results over many points: one numpy array per field, plus a boolean ``ok`` mask.

    Dict-like: ``c["test_error"]``, ``c.keys()``, ``c.items()``, ``"kappa" in c``,
    ``list(c)`` (field names); attribute access ``c.test_error``; ``len(c)`` is the number
    of fields and ``c.n_points`` the number of points.

    Error policy: with ``errors="raise"`` (default) the first failing point raises
    ``DetridgeError`` and no curve is returned. With ``errors="mask"`` every point is
    attempted; a failing point holds NaN in every output field (the input fields such
    as ``p`` and ``lam`` keep the requested value), ``ok`` is False there, and
    ``point_errors()`` gives the ``DetridgeError`` of each failed point. A NaN in a
    masked curve therefore always comes with ``ok == False``.
    """

    @property
    def ok(self) -> npt.NDArray[np.bool_]:
        """True where the point was computed (all True unless ``errors="mask"``)."""
    @property
    def n_points(self) -> int:
        """Number of points."""
    def __getitem__(self, key: str) -> npt.NDArray[Any]:
        """The array of field ``key`` (``"ok"`` gives the mask)."""
    def __getattr__(self, name: str) -> npt.NDArray[Any]:
        """The array of field ``name``."""
    def __contains__(self, key: str) -> bool:
        """Whether ``key`` is a field (or ``"ok"``)."""
    def __len__(self) -> int:
        """Number of fields."""
    def __iter__(self) -> Iterator[str]:
        """Iterates over the field names."""
    def keys(self) -> list[str]:
        """The field names (without ``ok``)."""
    def values(self) -> list[npt.NDArray[np.float64]]:
        """The arrays, in ``keys()`` order."""
    def items(self) -> list[tuple[str, npt.NDArray[np.float64]]]:
        """``(name, array)`` pairs."""
    def point_errors(self) -> list[Optional[DetridgeError]]:
        """The error of each point (None where ok)."""
    def to_dict(self) -> dict[str, npt.NDArray[Any]]:
        """A dict of numpy arrays (with ``"ok"`` when computed with ``errors="mask"``)."""
    def to_pandas(self) -> Any:
        """A pandas DataFrame, one row per point (needs pandas; ImportError otherwise)."""

class _Record:
    FIELDS: ClassVar[list[str]]
    """The field names, in order."""
    def to_dict(self) -> dict[str, float]:
        """The fields as a dict of floats."""
    def to_pandas(self) -> Any:
        """A one-row pandas DataFrame (needs pandas)."""

class RidgeTheory(_Record):
    """Linear ridge theory at one ``(p, lam)`` (THEORY §3)."""

    p: float
    """Sample size P."""
    lam: float
    """Explicit ridge λ."""
    kappa: float
    """Renormalized ridge κ."""
    df1: float
    """Df₁(κ) = Tr Σ(Σ+κ)⁻¹ (unnormalised)."""
    df2: float
    """Df₂(κ) = Tr Σ²(Σ+κ)⁻²."""
    gamma: float
    """γ = Df₂/P; 1/(1−γ) is the double-descent amplification."""
    dkappa_dlam: float
    """dκ/dλ = 1/(1−γ)."""
    test_error: float
    """E_g (excess risk, no test-label noise)."""
    train_error: float
    """E_tr = ‖y − Xŵ‖²/P."""
    bias2: float
    """Bias²; bias2 + var_data + var_noise = test_error."""
    var_data: float
    """Variance from the draw of the data."""
    var_noise: float
    """Variance from the label noise."""
    s_transform: float
    """Data S-transform S = κ/λ (E_g + σ² = S² E_tr)."""
    gcv: float
    """E_g + σ²: the risk against noisy test labels, and the value GCV concentrates on."""
    classic_bias2: float
    """bias2 + var_data, the classic (data-averaged) bias."""
    solver_iterations: float
    """Iterations of the κ solver."""

class OptimalRidge:
    """The ridge minimising the test error at one P (THEORY §3.4)."""

    lam: float
    """λ* (may be negative)."""
    theory: RidgeTheory
    """The theory at λ*."""
    evaluations: int
    """Theory evaluations used by the search."""

class OodTheory:
    """Out-of-distribution ridge theory (THEORY §3.5)."""

    in_distribution: RidgeTheory
    """The in-distribution theory at the same (p, lam)."""
    gamma_test: float
    """γ′ = Tr Σ′Σ(Σ+κ)⁻²/P."""
    test_error: float
    """The test error under Σ′."""

class RfTheory(_Record):
    """Linear random-feature theory at one ``(p, n, lam)`` (THEORY §4–5).

    bias2 + var_data + var_features + var_data_features + var_noise = test_error;
    var_noise (all noise terms) = var_noise_data + var_noise_data_features.
    """

    p: float
    lam: float
    kappa: float
    """κ₂, the renormalized ridge of the full model."""
    kappa1: float
    """κ₁, the ridge after averaging over the data only."""
    df1: float
    df2: float
    rho: float
    """ρ = d ln κ₂ / d ln κ₁."""
    gamma1: float
    gamma: float
    test_error: float
    train_error: float
    bias2: float
    var_data: float
    var_features: float
    var_data_features: float
    var_noise: float
    var_noise_data: float
    var_noise_data_features: float
    feature_averaged_error: float
    """Error of the feature-averaged predictor (infinite ensemble)."""
    data_averaged_error: float
    """Error of the data-averaged predictor."""
    gcv: float
    s_transform: float
    """Data S-transform κ₁/λ (E_g + σ² = S² E_tr)."""
    solver_iterations: float

class NoisyRfTheory(_Record):
    """Random features with additive feature noise of variance ``s`` (THEORY §4.6)."""

    p: float
    lam: float
    s: float
    kappa1: float
    kappa: float
    df1_features: float
    """Feature-space degrees of freedom Df₁."""
    df2_features: float
    gamma1: float
    test_error: float
    train_error: float
    data_averaged_error: float
    var_noise: float
    gcv: float
    s_transform: float
    iterations: float

class Dofs(_Record):
    """Df₁(κ), Df₂(κ) and Df₁ − Df₂."""

    df1: float
    df2: float
    df1_minus_df2: float

class Traces(_Record):
    """Spectral traces at one κ (THEORY §1): Df₁, Df₂, tf₁ = w̄ᵀΣ(Σ+κ)⁻¹w̄, tf₁′, tf₂."""

    kappa: float
    df1: float
    df2: float
    df1_minus_df2: float
    tf1: float
    tf1_prime: float
    tf2: float
    tf1_minus_tf2: float

class CompressionReport(_Record):
    """What ``Task.compressed`` did."""

    entries_before: float
    entries_after: float
    max_rel_error: float
    checked_points: float

class TheoryComparison(_Record):
    """Data estimators beside the theory of an assumed task at one λ."""

    lam: float
    df_hat: float
    df_theory: float
    kappa_hat: float
    kappa_theory: float
    train_error_hat: float
    train_error_theory: float
    gcv_hat: float
    gcv_theory: float
    test_error_theory: float

class HermiteCoefficients(_Record):
    """Hermite coefficients of an activation at pre-activation variance a (THEORY §12),
    h ~ N(0, a): μ₀ = E φ(h), μ₁ = E[hφ(h)]/a, μ*² = E φ(h)² − μ₀² − aμ₁²."""

    variance: float
    mu0: float
    mu1: float
    mu_star2: float
    second_moment: float
    """E φ(h)²."""

def activation_hermite(activation: Activation, a: float) -> HermiteCoefficients:
    """Hermite coefficients μ₀, μ₁, μ*² of ``activation`` at variance ``a > 0``
    (closed forms for relu, erf, identity; Gauss–Hermite quadrature otherwise)."""

class NonlinearRfTheory(_Record):
    """Gaussian-equivalent theory of nonlinear random features at one ``(p, n, lam)``
    (THEORY §12): noisy linear random features on Σ′ = μ₁²Σ/D, w̄′ = w̄√D/μ₁ with feature
    noise s = μ*²/N (kernel ridge at lam + μ*²/P for n = inf)."""

    p: float
    n: float
    lam: float
    test_error: float
    train_error: float
    gcv: float
    s_transform: float
    kappa: float
    """κ₂ (renormalised by data and features; = κ₁ at n = inf)."""
    kappa1: float
    df1_features: float
    df2_features: float
    gamma1: float
    data_averaged_error: float
    var_noise: float
    feature_noise: float
    """s = μ*²/N of the equivalent model (0 at n = inf)."""
    effective_ridge_infinite_width: float
    """lam + μ*²/P."""
    effective_rank: float
    """(tr Σ)²/tr Σ²."""
    dimension: float
    hermite_variance: float
    """Pre-activation variance a = tr Σ/D at which the Hermite coefficients are taken."""
    mu0: float
    mu1: float
    mu_star2: float
    second_moment: float
    @property
    def in_domain(self) -> bool:
        """effective_rank ≥ 100: inside the measured domain of Gaussian equivalence (not
        in ``to_dict()``)."""
    @property
    def hermite(self) -> HermiteCoefficients:
        """The Hermite coefficients used, as a record."""

class GradientFlowTheory(_Record):
    """Gradient flow on the ridge loss at one time (THEORY §13):
    test_error = test_signal + test_noise, train_error = train_signal + train_noise.
    For random features (``features=N``) the fields are those of the readout; test_signal
    then includes the width-limited residual."""

    p: float
    features: float
    """Random-feature width N (inf for linear ridge)."""
    lam: float
    time: float
    test_error: float
    train_error: float
    test_signal: float
    test_noise: float
    train_signal: float
    train_noise: float
    quadrature_error: float
    """Estimated absolute quadrature error (0 for the closed forms at t = 0, inf)."""
    nodes: float
    passes: float

class GradientDescentTheory(_Record):
    """Full-batch gradient descent after ``steps`` steps of size ``eta`` (THEORY §13);
    time = eta·steps; other fields as GradientFlowTheory."""

    p: float
    features: float
    """Random-feature width N (inf for linear ridge)."""
    lam: float
    eta: float
    steps: float
    time: float
    test_error: float
    train_error: float
    test_signal: float
    test_noise: float
    train_signal: float
    train_noise: float
    quadrature_error: float
    nodes: float
    passes: float

class SgdTheory(_Record):
    """One-pass SGD after ``steps`` steps (THEORY §14): samples = steps·batch."""

    steps: float
    samples: float
    test_error: float

class Band(_Record):
    """A forecast value with its band [lower, upper] at confidence ``level`` (THEORY §16)."""

    value: float
    lower: float
    upper: float
    level: float

class OptimalForecast:
    """The tuned ridge and its forecast test error at ``p`` samples, with bands."""

    p: float
    lam: Band
    test_error: Band

class Forecast:
    """A population task fitted to one data set (X, y), with subsampling refits for
    bands (THEORY §16). Slow: the fit is repeated on every resample."""

    @staticmethod
    def fit(
        x: ArrayLike,
        y: ArrayLike,
        resamples: Optional[int] = None,
        seed: Optional[int] = None,
        level: Optional[float] = None,
    ) -> Forecast:
        """Fits X (P0, D) (rows are samples, centred; no intercept) and y (P0,);
        ``resamples`` subsample refits (default 64), ``seed`` (default 0), band
        ``level`` (default 0.9)."""
    def test_error(self, p: float, lam: float) -> Band:
        """Forecast test error E_g(p, lam) (no test-label noise) with its band."""
    def risk(self, p: float, lam: float) -> Band:
        """Forecast noisy risk E_g + σ² (what held-out rows measure) with its band."""
    def optimal(self, p: float) -> OptimalForecast:
        """The tuned ridge and its test error at ``p`` samples, with bands."""
    def task(self) -> Task:
        """The fitted population task (from all rows)."""

class Spectrum:
    """Eigenvalues of a population covariance Σ (with multiplicities), or an analytic
    power law."""

    @staticmethod
    def from_eigenvalues(eigenvalues: ArrayLike) -> Spectrum:
        """Spectrum from explicit eigenvalues (each ≥ 0, not all zero)."""
    @staticmethod
    def with_multiplicities(values: ArrayLike, multiplicities: ArrayLike) -> Spectrum:
        """Spectrum from distinct values and their (real, > 0) multiplicities."""
    @staticmethod
    def isotropic(d: float, value: float) -> Spectrum:
        """Σ = value·I in d dimensions."""
    @staticmethod
    def power_law(alpha: float, d: Optional[int] = None) -> Spectrum:
        """s_k = k^−alpha, k = 1..d; ``d=None`` is D = ∞."""
    @property
    def dimension(self) -> float:
        """D (inf for an infinite power law)."""
    @property
    def rank(self) -> float:
        """Number of positive eigenvalues."""
    @property
    def trace(self) -> float:
        """Tr Σ."""
    @property
    def min_positive_eigenvalue(self) -> float:
        """Smallest positive eigenvalue."""
    @property
    def max_eigenvalue(self) -> float:
        """Largest eigenvalue."""
    def dofs(self, kappa: float) -> Dofs:
        """Degrees of freedom at ``kappa``."""

class Task:
    """A learning task: spectrum Σ, target weights w̄ in Σ's eigenbasis, label noise σ²."""

    @staticmethod
    def from_weights(eigenvalues: ArrayLike, wbar: ArrayLike, noise: float = 0.0) -> Task:
        """Task from eigenvalues of Σ, target weights in its eigenbasis and noise σ²."""
    @staticmethod
    def power_law(alpha: float, r: float, d: Optional[int] = None, noise: float = 0.0) -> Task:
        """s_k = k^−α, s_k w̄_k² ∝ k^−(1+2αr), normalised to w̄ᵀΣw̄ = 1; ``d=None``: D = ∞."""
    @staticmethod
    def isotropic(d: float, signal: float, noise: float = 0.0) -> Task:
        """Σ = I in d dimensions with |w̄|² = signal."""
    @staticmethod
    def with_target_power(spectrum: Spectrum, target_power: ArrayLike, noise: float = 0.0) -> Task:
        """Task from a spectrum and the target power w̄_k² per stored entry."""
    @staticmethod
    def from_covariance(covariance: ArrayLike, wbar: ArrayLike, noise: float = 0.0) -> Task:
        """Task from a dense symmetric PSD covariance (D, D) and w̄ (D,) in the original basis."""
    def with_noise_variance(self, noise: float) -> Task:
        """The same task with another noise variance."""
    @property
    def spectrum(self) -> Spectrum:
        """The spectrum of Σ."""
    @property
    def noise_variance(self) -> float:
        """σ²."""
    @property
    def signal_variance(self) -> float:
        """w̄ᵀΣw̄."""
    @property
    def target_norm2(self) -> float:
        """|w̄|²."""
    def traces(self, kappa: float) -> Traces:
        """Spectral traces at ``kappa``."""
    def compressed(self) -> Tuple[Task, CompressionReport]:
        """A compressed copy (same theory within the reported relative error)."""

    # Linear ridge (THEORY §3)
    def ridge(self, p: float, lam: float) -> RidgeTheory:
        """Linear ridge theory at ``p`` samples and ridge ``lam``.

        Raises DetridgeError: InvalidParameter (p ≤ 0), NonFinite, RidgeBelowMinimum,
        Divergent (λ = 0 at P = rank Σ), NoConvergence.
        """
    def ridge_curve(self, p: FloatOrArray, lam: FloatOrArray, errors: Errors = "raise") -> Curve:
        """Ridge theory over an array of ``p`` and/or ``lam`` (a scalar broadcasts; two
        arrays must have equal length and go pointwise). One Rust loop, warm-started,
        GIL released. Fields as :class:`RidgeTheory`. See :class:`Curve` for ``errors``.

        >>> task.ridge_curve(p=np.logspace(1, 5, 100), lam=1e-3)["test_error"]
        """
    def min_ridge(self, p: FloatOrArray) -> Union[float, npt.NDArray[np.float64]]:
        """Smallest admissible ridge at ``p`` (float, or array for an array)."""
    def optimal_ridge(self, p: float) -> OptimalRidge:
        """The ridge minimising the test error at ``p`` (negative ridges included).

        Raises DetridgeError: InfiniteOptimum when there is no signal (λ* = ∞; ``details``
        carries the limiting test error), NotBracketed, NoConvergence.
        """
    def ridge_ood(self, p: float, lam: float, test_eigenvalues: ArrayLike) -> OodTheory:
        """Test error under a test covariance sharing Σ's eigenvectors (THEORY §3.5)."""

    # Random features (THEORY §4–5)
    def random_features(self, p: float, n: float, lam: float) -> RfTheory:
        """Linear random features, F entries N(0, 1/N): ``p`` samples (inf allowed),
        ``n`` features (inf is linear ridge), ridge ``lam``."""
    def random_features_curve(
        self, p: FloatOrArray, n: FloatOrArray, lam: FloatOrArray, errors: Errors = "raise"
    ) -> Curve:
        """Random-feature theory over arrays of ``p``, ``n`` and/or ``lam`` (broadcast; one
        warm-started Rust sweep when a single argument varies). Fields as RfTheory."""
    def deep_random_features(self, p: float, widths: ArrayLike, lam: float) -> RfTheory:
        """Deep linear chain F = F₁⋯F_L with widths N₁..N_L (THEORY §5)."""
    def deep_random_features_curve(
        self, p: FloatOrArray, widths: ArrayLike, lam: FloatOrArray, errors: Errors = "raise"
    ) -> Curve:
        """Deep chain over arrays of ``p`` and/or ``lam`` at fixed widths."""
    def anisotropic_random_features(self, p: float, variances: ArrayLike, lam: float) -> RfTheory:
        """Column-anisotropic features F = GΛ^{1/2}/√N, N = len(variances) (THEORY §4.5b)."""
    def noisy_random_features(self, p: float, n: float, s: float, lam: float) -> NoisyRfTheory:
        """Random features with additive feature noise of variance ``s``, ``lam > 0`` (THEORY §4.6)."""
    def random_features_ensemble_error(self, p: float, n: float, lam: float, k: float) -> float:
        """Test error of an average of ``k`` independent random-feature models (k = inf allowed)."""
    # Kernels (THEORY §6): this task read as a Mercer task (see detridge.kernel)
    def kernel_ridge(self, p: float, lam: float) -> kernel.KernelTheory:
        """Kernel ridge theory at ``p`` samples and ridge ``lam`` (1/P convention)."""
    def kernel_ridge_curve(self, p: FloatOrArray, lam: FloatOrArray, errors: Errors = "raise") -> Curve:
        """Kernel ridge theory over an array of ``p`` or ``lam`` (fields of KernelTheory)."""
    def input_structured_diagonal(self, omega: ArrayLike) -> Task:
        """Reduced task of input-side weights Ω diagonal in Σ's eigenbasis (THEORY §4.5a)."""
    def input_structured(self, omega: ArrayLike, wbar: ArrayLike) -> Task:
        """Reduced task of input-side weights Ω (D, D) in Σ's eigenbasis, target ``wbar``."""

    def nonlinear_random_features(
        self, p: float, n: float, lam: float, activation: Activation = "relu"
    ) -> NonlinearRfTheory:
        """Nonlinear random features z = φ(Wx)/√N, W entries N(0, 1/D), through Gaussian
        equivalence (THEORY §12): ``p`` samples, ``n`` features (inf allowed), ridge
        ``lam ≥ 0``. Needs a finite D; raises for an activation with μ₁ = 0."""
    def gradient_flow(
        self, p: float, lam: float, t: FloatOrArray, *, features: Optional[float] = None
    ) -> Union[GradientFlowTheory, Curve]:
        """Gradient flow on the ridge loss from zero weights at time ``t ≥ 0`` (THEORY §13);
        ``t = inf`` is the ridge estimator, ``t = 0`` the zero predictor. An array of
        times gives a Curve (one Rust call, GIL released; fields of GradientFlowTheory).
        ``features=N``: the readout of linear random features of width N > 0 (F entries
        N(0, 1/N); THEORY §13, "Linear random features"): ``t = inf`` is
        ``random_features(p, N, lam)``, ``N = inf`` linear ridge."""
    def gradient_descent(
        self,
        p: float,
        lam: float,
        eta: float,
        k: Union[int, ArrayLike],
        *,
        features: Optional[float] = None,
    ) -> Union[GradientDescentTheory, Curve]:
        """Full-batch gradient descent with step ``eta`` after ``k`` steps (THEORY §13); an
        array of step counts gives a Curve. Raises unless eta < gradient_descent_max_step
        (same ``features``). ``features=N`` as in gradient_flow."""
    def gradient_descent_max_step(
        self, p: float, lam: float, *, features: Optional[float] = None
    ) -> float:
        """Stability bound 2/(x₊ + lam) on the gradient-descent step (THEORY §13); with
        ``features=N``, x₊ is the upper spectral edge of the random-feature covariance."""
    def sgd(
        self, k: Union[int, ArrayLike], batch: int = 1, eta: float = 0.1, lam: float = 0.0
    ) -> Union[SgdTheory, Curve]:
        """One-pass SGD (fresh batch of ``batch`` samples per step, step ``eta``, ridge
        ``lam``): expected test error after ``k`` steps (THEORY §14); an array gives a
        Curve. Raises at or beyond sgd_max_step."""
    def sgd_max_step(self, batch: int = 1, lam: float = 0.0) -> float:
        """Stability bound on the SGD step at batch ``batch`` and ridge ``lam`` (THEORY §14)."""

class LambdaChoice:
    """A ridge chosen by GCV or LOOCV (grid scan, then refinement)."""

    criterion: str
    """"gcv" or "loocv"."""
    lam: float
    """The chosen ridge."""
    value: float
    """The criterion at ``lam``."""
    at_boundary: bool
    """True when the minimum is at an end of the search range."""
    grid: npt.NDArray[np.float64]
    """The scanned grid."""
    values: npt.NDArray[np.float64]
    """The criterion on the grid."""
    iterations: int
    """Refinement iterations."""

class RidgePath:
    """Ridge regression on one data set along the whole ridge path (one decomposition).

    ``X``: (P, D) array, ``y``: (P,). Methods taking ``lam`` return a float for a float
    and an array for an array (one Rust loop).
    """

    def __init__(self, X: ArrayLike, y: ArrayLike) -> None:
        """Decomposes X once (DetridgeError on NaN/inf, empty or mismatched inputs)."""
    @property
    def n_samples(self) -> int:
        """P."""
    @property
    def n_features(self) -> int:
        """D."""
    @property
    def rank(self) -> int:
        """Rank of X."""
    def sample_eigenvalues(self) -> npt.NDArray[np.float64]:
        """Eigenvalues of XᵀX/P."""
    def empirical_spectrum(self) -> Spectrum:
        """The empirical spectrum."""
    def weights(self, lam: float) -> npt.NDArray[np.float64]:
        """Ridge weights ŵ(λ), shape (D,)."""
    def fitted(self, lam: float) -> npt.NDArray[np.float64]:
        """Fitted values Xŵ(λ), shape (P,)."""
    def loo_residuals(self, lam: float) -> npt.NDArray[np.float64]:
        """Leave-one-out residuals, shape (P,)."""
    def train_error(self, lam: FloatOrArray) -> Union[float, npt.NDArray[np.float64]]:
        """‖y − Xŵ‖²/P."""
    def df(self, lam: FloatOrArray) -> Union[float, npt.NDArray[np.float64]]:
        """df̂ = Tr Σ̂(Σ̂+λ)⁻¹."""
    def one_minus_df_over_p(self, lam: FloatOrArray) -> Union[float, npt.NDArray[np.float64]]:
        """1 − df̂/P."""
    def s_hat(self, lam: FloatOrArray) -> Union[float, npt.NDArray[np.float64]]:
        """Ŝ = 1/(1 − df̂/P)."""
    def kappa_hat(self, lam: FloatOrArray) -> Union[float, npt.NDArray[np.float64]]:
        """κ̂ = λŜ, the data estimate of the renormalized ridge."""
    def gcv(self, lam: FloatOrArray) -> Union[float, npt.NDArray[np.float64]]:
        """Generalised cross-validation E_tr Ŝ²."""
    def loocv(self, lam: FloatOrArray) -> Union[float, npt.NDArray[np.float64]]:
        """Exact leave-one-out cross-validation error."""
    def select_lambda(
        self,
        criterion: Literal["gcv", "loocv"] = "gcv",
        lam_min: Optional[float] = None,
        lam_max: Optional[float] = None,
        grid_len: int = 61,
        log_tol: float = 1e-8,
        max_iter: int = 100,
    ) -> LambdaChoice:
        """Chooses λ minimising the criterion."""
    def against_theory(self, task: Task, lam: ArrayLike) -> Curve:
        """The data estimators beside the theory of ``task`` (fields of TheoryComparison)."""

class KernelPath:
    """Kernel ridge regression on one Gram matrix ``K`` (P, P) and labels ``y`` (P,)."""

    def __init__(self, K: ArrayLike, y: ArrayLike) -> None:
        """Decomposes K once."""
    @property
    def n_samples(self) -> int:
        """P."""
    @property
    def rank(self) -> int:
        """Rank of K."""
    def sample_eigenvalues(self) -> npt.NDArray[np.float64]:
        """Eigenvalues of K/P."""
    def dual_coefficients(self, lam: float) -> npt.NDArray[np.float64]:
        """Dual coefficients, shape (P,)."""
    def fitted(self, lam: float) -> npt.NDArray[np.float64]:
        """Fitted values, shape (P,)."""
    def train_error(self, lam: FloatOrArray) -> Union[float, npt.NDArray[np.float64]]:
        """Training error."""
    def df(self, lam: FloatOrArray) -> Union[float, npt.NDArray[np.float64]]:
        """Degrees of freedom."""
    def one_minus_df_over_p(self, lam: FloatOrArray) -> Union[float, npt.NDArray[np.float64]]:
        """1 − df̂/P."""
    def s_hat(self, lam: FloatOrArray) -> Union[float, npt.NDArray[np.float64]]:
        """Ŝ = 1/(1 − df̂/P)."""
    def kappa_hat(self, lam: FloatOrArray) -> Union[float, npt.NDArray[np.float64]]:
        """κ̂ = λŜ."""
    def kare(self, lam: FloatOrArray) -> Union[float, npt.NDArray[np.float64]]:
        """Kernel alignment risk estimate."""
    def gcv(self, lam: FloatOrArray) -> Union[float, npt.NDArray[np.float64]]:
        """Generalised cross-validation."""
    def loocv(self, lam: FloatOrArray) -> Union[float, npt.NDArray[np.float64]]:
        """Exact leave-one-out cross-validation error."""
    def select_lambda(
        self,
        criterion: Literal["gcv", "loocv"] = "gcv",
        lam_min: Optional[float] = None,
        lam_max: Optional[float] = None,
        grid_len: int = 61,
        log_tol: float = 1e-8,
        max_iter: int = 100,
    ) -> LambdaChoice:
        """Chooses λ minimising the criterion."""
