//! The fixed point at complex ridge for linear ridge (`N = ∞`) and linear random features
//! of width `N` (THEORY §13, "Linear random features"), and the one-point data each
//! contour node needs.
//!
//! With `d = Df₁(κ₂)` and `δ = Df₁(κ₂) − Df₂(κ₂)` (so `κ₂ dDf₁/dκ₂ = −δ`), the
//! renormalised ridges are (THEORY §4.2)
//!
//! * `κ_F = κ₂(1 − d/N)` — the ridge of ridge regression in feature space `z = Fᵀx`,
//!   averaged over the data only (the crate's `κ₁`);
//! * `λ = κ_F(1 − d/P) = κ₂(1 − d/N)(1 − d/P)`, solved for `κ₂` by Newton with
//!   `dλ/dκ₂ = (1 − d/N)(1 − d/P) + δ[(1 − d/P)/N + (1 − d/N)/P]`.
//!
//! In feature space the task is ridge with population covariance `Σ_F = FᵀΣF`, target
//! `β = Σ_F⁻¹FᵀΣw̄` and an extra independent noise `ε_res = w̄ᵀΣw̄ − βᵀΣ_Fβ` (Gaussian
//! data: the residual of the best linear predictor in `z` is independent of `z`). Its
//! traces at `κ_F` follow from the one-point law over `F`,
//! `ΣF(Σ_F + κ_F)⁻¹FᵀΣ ≃ Σ²(Σ + κ₂)⁻¹`:
//!
//! * `Df₁^F(κ_F) = d`, `dDf₁^F/dκ_F = −(δ/κ₂)·dκ₂/dκ_F`, `dκ_F/dκ₂ = (1 − d/N) + δ/N`;
//! * `tf₁^F(κ_F) = βᵀΣ_F(Σ_F+κ_F)⁻¹β = (q(κ₂) − q₀)/κ_F` with `q(κ) = κ tf₁(κ)` and
//!   `q₀ = q(κ₂⁰)`, `κ₂⁰` the root of `Df₁ = N` (`0` if `N ≥ rank Σ`);
//!   `ε_res = q₀`;
//! * `tf₁^F′ = [(tf₁ + κ₂tf₁′)κ₂′ − tf₁^F]/κ_F`, written without cancellation at `N = ∞`.
//!
//! At `N = ∞` every expression reduces to linear ridge exactly (`κ_F = κ₂`, `q₀ = 0`).

use num_complex::Complex64 as C;

use super::gradient_flow::CTraces;

/// Sample size `P`, feature width `N` (`∞` for linear ridge) and the width-limited
/// residual `q₀ = κ₂⁰ tf₁(κ₂⁰)`.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Width {
    pub(crate) p: f64,
    pub(crate) n: f64,
    pub(crate) q0: f64,
}

/// One-point data of a contour node in feature space.
#[derive(Debug, Clone, Copy)]
pub(crate) struct NodeData {
    /// `κ_F` (linear ridge: `κ`).
    pub(crate) kappa_f: C,
    /// `tf₁^F(κ_F)`.
    pub(crate) tf1: C,
    /// `dtf₁^F/dκ_F`.
    pub(crate) tf1p: C,
    /// `dκ_F/dλ`.
    pub(crate) dkappa_f: C,
}

impl Width {
    /// Linear ridge at sample size `p`.
    pub(crate) fn ridge(p: f64) -> Self {
        Self {
            p,
            n: f64::INFINITY,
            q0: 0.0,
        }
    }

    /// `λ(κ₂) = κ₂(1 − d/N)(1 − d/P)`.
    pub(crate) fn lambda_of(&self, kappa2: C, tr: &CTraces) -> C {
        kappa2 * (1.0 - tr.df1 / self.n) * (1.0 - tr.df1 / self.p)
    }

    /// `dλ/dκ₂`.
    pub(crate) fn dlambda(&self, tr: &CTraces) -> C {
        let (an, ap) = (1.0 - tr.df1 / self.n, 1.0 - tr.df1 / self.p);
        an * ap + (tr.df1 - tr.df2) * (ap / self.n + an / self.p)
    }

    /// The node's feature-space data at `κ₂` (module docs).
    pub(crate) fn node(&self, kappa2: C, tr: &CTraces) -> NodeData {
        let dk2 = self.dlambda(tr).inv(); // dκ₂/dλ
        if self.n.is_infinite() {
            return NodeData {
                kappa_f: kappa2,
                tf1: tr.tf1,
                tf1p: tr.tf1p,
                dkappa_f: dk2,
            };
        }
        let delta = tr.df1 - tr.df2;
        let an = 1.0 - tr.df1 / self.n;
        let kf = kappa2 * an;
        let dkf_dk2 = an + delta / self.n;
        let tf1 = (kappa2 * tr.tf1 - self.q0) / kf;
        // [(tf₁ + κ₂tf₁′)/(a + δ/N) − (κ₂tf₁ − q₀)/κ_F]/κ_F, regrouped so that the
        // tf₁ terms combine exactly: tf₁[1/(a+δ/N) − 1/a] = −tf₁(δ/N)/(a(a+δ/N)).
        let tf1p = (kappa2 * tr.tf1p / dkf_dk2 - tr.tf1 * (delta / self.n) / (an * dkf_dk2)
            + self.q0 / kf)
            / kf;
        NodeData {
            kappa_f: kf,
            tf1,
            tf1p,
            dkappa_f: dkf_dk2 * dk2,
        }
    }
}
