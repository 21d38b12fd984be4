"""Seeded simulators (Rust: ``detridge::montecarlo``): means and standard errors.

Each function returns a :class:`detridge.Curve` with one point per ridge (the dynamics
simulators: per ridge and time); field ``x`` is the mean over draws and ``x_se`` its
standard error.
"""

from ._detridge import montecarlo as _m

RidgeEstimates = _m.RidgeEstimates
RfEstimates = _m.RfEstimates
EnsembleEstimate = _m.EnsembleEstimate
DynamicsEstimates = _m.DynamicsEstimates
ridge = _m.ridge
random_features = _m.random_features
random_features_ensemble = _m.random_features_ensemble
gradient_flow = _m.gradient_flow
gradient_descent = _m.gradient_descent

__all__ = [
    "RidgeEstimates",
    "RfEstimates",
    "EnsembleEstimate",
    "DynamicsEstimates",
    "ridge",
    "random_features",
    "random_features_ensemble",
    "gradient_flow",
    "gradient_descent",
]
