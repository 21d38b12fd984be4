"""Estimators from data (Rust: ``detridge::estimate``): ridge and kernel paths."""

from ._detridge import KernelPath, LambdaChoice, RidgePath, TheoryComparison

__all__ = ["KernelPath", "LambdaChoice", "RidgePath", "TheoryComparison"]
