"""Power-law scaling exponents (THEORY §7) and log-log fits (Rust: ``detridge::scaling``)."""

from typing import ClassVar, Optional

import numpy as np
import numpy.typing as npt

from . import ArrayLike

REGIMES: tuple[str, ...]
"""Regime names accepted by :func:`exponent` (snake_case of the Rust ``Regime`` variants)."""

class Exponent:
    """A predicted scaling law ``quantity ~ variable^value``."""

    value: float
    """The exponent."""
    variable: str
    """"samples", "features" or "ridge"."""
    quantity: str
    """The quantity that scales (e.g. "E_g")."""
    name: str
    """The regime's name."""

class LogLogFit:
    """Least-squares fit ln y = intercept + slope·ln x."""

    FIELDS: ClassVar[list[str]]
    slope: float
    intercept: float
    max_residual: float
    """Largest |residual| in ln y."""
    points: float
    """Number of points used."""
    def to_dict(self) -> dict[str, float]:
        """The fields as a dict."""
    def to_pandas(self) -> object:
        """A one-row DataFrame (needs pandas)."""

def exponent(regime_name: str, alpha: float, r: float, l: Optional[float] = None, beta: Optional[float] = None) -> Exponent:
    """The exponent of a regime of THEORY §7.2 for capacity ``alpha`` > 1 and source
    ``r`` > 0; ``l`` (ridge decay λ = P^−l) for "ridge_schedule_bias"/"..._variance",
    ``beta`` for "rf_structured_width"/"rf_structured_data". See ``REGIMES``."""

def structured_effective_exponents(alpha: float, r: float, beta: float) -> tuple[float, float]:
    """(α_t, r_t) = (α + β, αr/(α + β)) for input-side weights ω_k = k^−β."""

def c_alpha(alpha: float) -> float:
    """c_α = ((π/α)/sin(π/α))^α of the ridgeless κ₀ ≈ c_α P^−α (THEORY §7.1)."""

def gamma_limit(alpha: float) -> float:
    """The ridgeless large-P limit γ → 1 − 1/α (THEORY §7.1)."""

def noise_plateau(alpha: float, noise: float) -> float:
    """The ridgeless noise plateau Var_Xε → σ²(α − 1) (THEORY §7.2)."""

def fit_log_log(x: ArrayLike, y: ArrayLike) -> LogLogFit:
    """Fits ln y = intercept + slope·ln x over all points (x, y > 0)."""

def fit_log_log_window(x: ArrayLike, y: ArrayLike, lo: float, hi: float) -> LogLogFit:
    """As :func:`fit_log_log` over the points with lo ≤ x ≤ hi."""

def log_space(lo: float, hi: float, n: int) -> npt.NDArray[np.float64]:
    """``n`` log-spaced points from ``lo`` to ``hi`` inclusive."""
