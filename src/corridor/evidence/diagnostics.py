"""Convergence diagnostics and the gate that refuses to present a fit that failed them.

Thresholds follow Vehtari, Gelman, Simpson, Carpenter and Bürkner (2021), Rank-normalization,
folding, and localization: an improved R-hat for assessing convergence of MCMC, *Bayesian
Analysis* 16(2): 667–718: rank-normalised split R-hat ≤ 1.01 and bulk and tail effective
sample sizes ≥ 400 (100 per chain for 4 chains), for every parameter; and no divergent
transitions (Betancourt 2017, A conceptual introduction to Hamiltonian Monte Carlo, §6.2).
"""

from __future__ import annotations

from dataclasses import dataclass, field

RHAT_MAX = 1.01
ESS_MIN = 400
DIVERGENCES_MAX = 0


@dataclass
class Diagnostics:
    """Worst-case diagnostics over all parameters of one fit."""

    rhat_max: float
    ess_bulk_min: float
    ess_tail_min: float
    divergences: int
    problems: list[str] = field(default_factory=list)

    @property
    def passed(self) -> bool:
        return not self.problems

    def as_dict(self) -> dict:
        return {"rhat_max": round(self.rhat_max, 4), "ess_bulk_min": round(self.ess_bulk_min),
                "ess_tail_min": round(self.ess_tail_min), "divergences": self.divergences}


def diagnose(idata, var_names) -> Diagnostics:
    """R-hat, bulk/tail ESS (ArviZ) and divergences of ``idata``, with the gate's verdict."""
    import arviz as az

    summary = az.summary(idata, var_names=list(var_names), kind="diagnostics")
    rhat = float(summary["r_hat"].max())
    bulk = float(summary["ess_bulk"].min())
    tail = float(summary["ess_tail"].min())
    div = int(idata.sample_stats["diverging"].sum())
    problems = []
    if not rhat <= RHAT_MAX:
        problems.append(f"R-hat {rhat:.3f} > {RHAT_MAX}")
    if not bulk >= ESS_MIN:
        problems.append(f"bulk ESS {bulk:.0f} < {ESS_MIN}")
    if not tail >= ESS_MIN:
        problems.append(f"tail ESS {tail:.0f} < {ESS_MIN}")
    if div > DIVERGENCES_MAX:
        problems.append(f"{div} divergent transitions")
    return Diagnostics(rhat, bulk, tail, div, problems)
