"""Kernel ridge regression on Mercer spectra (Rust: ``detridge::kernel``, THEORY §6)."""

from typing import ClassVar

from . import ArrayLike, Curve, Task

class KernelTheory:
    """Kernel ridge theory: ridge theory plus the kernel convention λ_C = Pλ, κ_C = Pκ."""

    FIELDS: ClassVar[list[str]]
    p: float
    lam: float
    kappa: float
    lam_c: float
    """P·lam."""
    kappa_c: float
    """P·kappa."""
    test_error: float
    train_error: float
    bias2: float
    var_data: float
    var_noise: float
    gcv: float
    """E_g + σ², the value GCV and KARE concentrate on."""
    s_transform: float
    """S = κ/λ."""
    def to_dict(self) -> dict[str, float]:
        """The fields as a dict."""
    def to_pandas(self) -> object:
        """A one-row DataFrame (needs pandas)."""

def sphere_degeneracy(d: int, l: int) -> float:
    """Number of degree-``l`` spherical harmonics on S^{d−1} (d ≥ 2)."""

def mercer_task(
    eigenvalues: ArrayLike, multiplicities: ArrayLike, target_power: ArrayLike, noise: float = 0.0
) -> Task:
    """Task of a Mercer kernel: level eigenvalues η, multiplicities, and the target power
    per level (η·w̄² summed over the level)."""

def sphere_task(d: int, level_eigenvalues: ArrayLike, target_power: ArrayLike, noise: float = 0.0) -> Task:
    """Dot-product kernel on S^{d−1}: level l has eigenvalue ``level_eigenvalues[l]`` with
    multiplicity ``sphere_degeneracy(d, l)``."""

def to_kernel_convention(p: float, lam: float, kappa: float) -> tuple[float, float]:
    """(λ_C, κ_C) = (Pλ, Pκ)."""

def from_kernel_convention(p: float, lam_c: float, kappa_c: float) -> tuple[float, float]:
    """(λ, κ) = (λ_C/P, κ_C/P)."""

def kernel_ridge(task: Task, p: float, lam: float) -> KernelTheory:
    """Kernel ridge theory at ``p`` samples and ridge ``lam`` (1/P convention)."""

def learning_curve(task: Task, p: ArrayLike, lam: float) -> Curve:
    """Kernel learning curve over ``p`` at fixed ``lam`` (fields of KernelTheory); the same
    as ``task.kernel_ridge_curve(p, lam)``."""
