"""Power-law scaling exponents (THEORY §7) and log-log fits (Rust: ``detridge::scaling``)."""

from ._detridge import scaling as _s

Exponent = _s.Exponent
LogLogFit = _s.LogLogFit
REGIMES = tuple(_s.REGIMES)
exponent = _s.exponent
structured_effective_exponents = _s.structured_effective_exponents
c_alpha = _s.c_alpha
gamma_limit = _s.gamma_limit
noise_plateau = _s.noise_plateau
fit_log_log = _s.fit_log_log
fit_log_log_window = _s.fit_log_log_window
log_space = _s.log_space

__all__ = [
    "Exponent",
    "LogLogFit",
    "REGIMES",
    "exponent",
    "structured_effective_exponents",
    "c_alpha",
    "gamma_limit",
    "noise_plateau",
    "fit_log_log",
    "fit_log_log_window",
    "log_space",
]
