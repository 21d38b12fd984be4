"""Seeded simulators (Rust: ``detridge::montecarlo``): means and standard errors.

Each function returns a :class:`detridge.Curve` with one point per ridge; field ``x`` is
the mean over draws and ``x_se`` its standard error.
"""

from ._detridge import montecarlo as _m

RidgeEstimates = _m.RidgeEstimates
RfEstimates = _m.RfEstimates
EnsembleEstimate = _m.EnsembleEstimate
ridge = _m.ridge
random_features = _m.random_features
random_features_ensemble = _m.random_features_ensemble

__all__ = [
    "RidgeEstimates",
    "RfEstimates",
    "EnsembleEstimate",
    "ridge",
    "random_features",
    "random_features_ensemble",
]
