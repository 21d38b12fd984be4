"""Estimators from data (Rust: ``detridge::estimate``)."""

from . import KernelPath as KernelPath
from . import LambdaChoice as LambdaChoice
from . import RidgePath as RidgePath
from . import TheoryComparison as TheoryComparison
