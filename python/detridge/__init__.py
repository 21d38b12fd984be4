"""detridge: deterministic-equivalence theory of high-dimensional ridge regression.

A Rust engine with numpy in and out. See ``help(detridge.Task)`` and the stub file
``detridge/__init__.pyi`` for the full API. Every error of the engine is raised as
:class:`DetridgeError` (a ``ValueError`` subclass with ``.kind`` and ``.details``).
"""

from ._detridge import (
    CompressionReport,
    Curve,
    DetridgeError,
    Dofs,
    KernelPath,
    LambdaChoice,
    NoisyRfTheory,
    OodTheory,
    OptimalRidge,
    RfTheory,
    RidgePath,
    RidgeTheory,
    Spectrum,
    Task,
    TheoryComparison,
    Traces,
)
from . import estimate, kernel, montecarlo, scaling

__version__ = "0.1.0"

__all__ = [
    "CompressionReport",
    "Curve",
    "DetridgeError",
    "Dofs",
    "KernelPath",
    "LambdaChoice",
    "NoisyRfTheory",
    "OodTheory",
    "OptimalRidge",
    "RfTheory",
    "RidgePath",
    "RidgeTheory",
    "Spectrum",
    "Task",
    "TheoryComparison",
    "Traces",
    "estimate",
    "kernel",
    "montecarlo",
    "scaling",
]
