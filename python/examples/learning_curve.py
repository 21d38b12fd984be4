"""Learning curves of ridge regression on a power-law task: theory for several ridges,
with Monte Carlo points (mean ± 2 standard errors) at one ridge.

    pip install ./python matplotlib      # matplotlib is optional
    python python/examples/learning_curve.py [out.png]

Without matplotlib it prints the numbers instead of drawing them.
"""

import sys

import numpy as np

import detridge as dr


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else "learning_curve.png"
    d = 200
    task = dr.Task.power_law(alpha=1.5, r=0.6, d=d, noise=0.05)
    # Include P = D exactly: there the ridgeless error diverges. errors="mask" keeps the
    # rest of the curve and marks that point (ok == False, NaN), instead of raising.
    ps = np.union1d(np.logspace(1, 3.5, 200), [float(d)])
    curves = {lam: task.ridge_curve(p=ps, lam=lam, errors="mask") for lam in [0.0, 1e-3, 1e-2, 1e-1]}
    print(f"ridgeless curve: {np.count_nonzero(~curves[0.0].ok)} point(s) masked at P =",
          curves[0.0].p[~curves[0.0].ok])

    lam_mc = 1e-2
    p_mc = [20, 50, 100, 200, 400, 800]
    mc = [dr.montecarlo.ridge(task, p, [lam_mc], 30, seed=7) for p in p_mc]
    mc_mean = np.array([m.test_error[0] for m in mc])
    mc_se = np.array([m.test_error_se[0] for m in mc])
    theory_mc = np.array([task.ridge(float(p), lam_mc).test_error for p in p_mc])
    z = (mc_mean - theory_mc) / mc_se
    print("P, theory, simulation ± SE, z:")
    for row in zip(p_mc, theory_mc, mc_mean, mc_se, z):
        print("  %4d  %.4e  %.4e ± %.1e  %+.2f" % row)

    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        print("matplotlib is not installed: no figure drawn")
        return

    fig, ax = plt.subplots(figsize=(6.4, 4.4))
    for lam, c in curves.items():
        label = "λ = 0 (ridgeless)" if lam == 0 else f"λ = {lam:g}"
        # Masked points are NaN, so the line breaks there instead of joining across.
        ax.loglog(c.p, c.test_error, label=label)
    ax.errorbar(p_mc, mc_mean, yerr=2 * mc_se, fmt="o", color="k", ms=4,
                label=f"simulation, λ = {lam_mc:g} (±2 SE)")
    ax.axvline(d, color="gray", lw=0.8, ls=":")
    ax.set_xlabel("samples P")
    ax.set_ylabel("test error $E_g$")
    ax.set_title(f"Power-law task (α = 1.5, r = 0.6, D = {d}, σ² = 0.05)")
    ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(out, dpi=120)
    print("wrote", out)


if __name__ == "__main__":
    main()
