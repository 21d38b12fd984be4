"""Kernel ridge regression on Mercer spectra (Rust: ``detridge::kernel``)."""

from ._detridge import kernel as _k

KernelTheory = _k.KernelTheory
sphere_degeneracy = _k.sphere_degeneracy
mercer_task = _k.mercer_task
sphere_task = _k.sphere_task
to_kernel_convention = _k.to_kernel_convention
from_kernel_convention = _k.from_kernel_convention
kernel_ridge = _k.kernel_ridge
learning_curve = _k.learning_curve

__all__ = [
    "KernelTheory",
    "sphere_degeneracy",
    "mercer_task",
    "sphere_task",
    "to_kernel_convention",
    "from_kernel_convention",
    "kernel_ridge",
    "learning_curve",
]
