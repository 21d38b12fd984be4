"""detridge: deterministic-equivalence theory of high-dimensional ridge regression.

A Rust engine with numpy in and out. See ``help(detridge.Task)`` and the stub file
``detridge/__init__.pyi`` for the full API. Every error of the engine is raised as
:class:`DetridgeError` (a ``ValueError`` subclass with ``.kind`` and ``.details``).
"""

from ._detridge import (
    Band,
    CompressionReport,
    Curve,
    DetridgeError,
    Dofs,
    Forecast,
    GradientDescentTheory,
    GradientFlowTheory,
    HermiteCoefficients,
    KernelPath,
    LambdaChoice,
    NoisyRfTheory,
    NonlinearRfTheory,
    OodTheory,
    OptimalForecast,
    OptimalRidge,
    RfTheory,
    RidgePath,
    RidgeTheory,
    SgdTheory,
    Spectrum,
    Task,
    TheoryComparison,
    Traces,
    activation_hermite,
)
from . import estimate, kernel, montecarlo, scaling

__version__ = "0.1.0"

__all__ = [
    "Band",
    "CompressionReport",
    "Curve",
    "DetridgeError",
    "Dofs",
    "Forecast",
    "GradientDescentTheory",
    "GradientFlowTheory",
    "HermiteCoefficients",
    "KernelPath",
    "LambdaChoice",
    "NoisyRfTheory",
    "NonlinearRfTheory",
    "OodTheory",
    "OptimalForecast",
    "OptimalRidge",
    "RfTheory",
    "RidgePath",
    "RidgeTheory",
    "SgdTheory",
    "Spectrum",
    "Task",
    "TheoryComparison",
    "Traces",
    "activation_hermite",
    "estimate",
    "kernel",
    "montecarlo",
    "scaling",
]
