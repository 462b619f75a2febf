r"""Multilevel regression and post-stratification (MRP) of channel exposure.

For channel c, respondent cells j (province × sex × urban/rural × age group × year left) with
k_j of n_j valid answers "yes" (``dont_know`` and ``refused`` are left out of n_j):

.. math::

    k_j &\sim \mathrm{Binomial}(n_j, \pi_j) \\
    \mathrm{logit}\,\pi_j &= \alpha + \beta_b\,\mathrm{border}_{p[j]} + \beta_f\,\mathrm{female}_j
        + \beta_u\,\mathrm{urban}_j + \beta_t\,\tau_j + \beta_{t2}\,\tau_j^2
        + \gamma_{a[j]} + \eta_{p[j]}, \qquad \tau = (\text{year left} - 2010)/10

with province effects η = σ_p z, z a zero-sum normal over the ten provinces (non-centred; the
zero-sum constraint removes the ridge between α and the mean province effect; σ_p ~ Gamma(2, 3),
a boundary-avoiding prior for a variance with only ten groups [3]_), the border-province predictor β_b letting sparse
provinces borrow strength [1]_, age-group contrasts γ (reference 15–24, N(0, 1): six levels are
too few to estimate a variance well), a quadratic trend in the departure year
(the departure period as a smooth covariate; cells carry their respondents' mean τ and τ²),
α ~ N(0, 2.5), β_t ~ N(0, 2.5) (exposure to video rose from about 8 % to 83 % in two decades,
a slope near 2 per decade on the logit scale), the other β ~ N(0, 1) and β_t2 ~ N(0, 0.5). The share exposed by year T is the
population-weighted mean of π over the frame cells with τ = (T − 2010)/10 [1]_:
θ_T = Σ_c N_c π_c(T) / Σ_c N_c, computed per posterior draw.

Fitting uses PyMC with the nutpie NUTS sampler on cell-aggregated counts (5–15× faster than
one row per respondent). One compiled model serves every channel and every
data set: only the cell arrays change.

References
----------
.. [1] Park, D. K., Gelman, A. and Bafumi, J. (2004), Bayesian multilevel estimation with
   poststratification: state-level estimates from national polls, *Political Analysis* 12:
   375–385.
.. [2] Wang, W., Rothschild, D., Goel, S. and Gelman, A. (2015), Forecasting elections with
   non-representative polls, *International Journal of Forecasting* 31(3): 980–991.
.. [3] Chung, Y., Rabe-Hesketh, S., Dorie, V., Gelman, A. and Liu, J. (2013), A nondegenerate
   penalized likelihood estimator for variance parameters in multilevel models,
   *Psychometrika* 78(4): 685–709.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

import numpy as np
import pandas as pd

from corridor.evidence.vocabulary import AGE_GROUPS, CHANNELS, period_index, trend
from corridor.geo.names import BORDER_PROVINCES, PROVINCES

_CELL_KEYS = ["province_index", "female", "urban", "age_index", "period_index"]
#: The model's parameters (the diagnostics gate checks every one of them).
PARAMETERS = ("alpha", "beta_border", "beta_female", "beta_urban", "beta_trend", "beta_trend2",
              "beta_age", "sigma_province", "z_province")


@dataclass
class Cells:
    """Respondents aggregated to model cells: covariates and, per channel, (yes, valid) counts."""

    covariates: pd.DataFrame          # one row per cell, columns of _CELL_KEYS + border, period
    yes: dict[str, np.ndarray]        # channel -> k_j
    valid: dict[str, np.ndarray]      # channel -> n_j


def aggregate_cells(respondents: pd.DataFrame, channels=CHANNELS) -> Cells:
    """Aggregate coded respondents to cells.

    ``respondents`` needs ``province_index``, ``female`` (0/1), ``urban`` (0/1), ``age_index``,
    ``year_left`` and ``<channel>_ever`` in ``yes/no/dont_know/refused``.
    """
    df = respondents[["province_index", "female", "urban", "age_index"]].copy()
    df["period_index"] = period_index(respondents["year_left"])
    df["trend_sum"] = trend(respondents["year_left"])
    df["trend2_sum"] = trend(respondents["year_left"]) ** 2
    df["count"] = 1
    for ch in channels:
        answer = respondents[f"{ch}_ever"]
        df[f"{ch}__k"] = (answer == "yes").astype(int)
        df[f"{ch}__n"] = answer.isin(["yes", "no"]).astype(int)
    grouped = df.groupby(_CELL_KEYS, sort=True).sum().reset_index()
    cov = grouped[_CELL_KEYS].copy()
    cov["border"] = [int(PROVINCES[i] in BORDER_PROVINCES) for i in cov["province_index"]]
    # The trend covariate of a cell is the mean departure year of its respondents.
    cov["trend"] = grouped["trend_sum"] / grouped["count"]
    cov["trend2"] = grouped["trend2_sum"] / grouped["count"]
    return Cells(cov, {ch: grouped[f"{ch}__k"].to_numpy() for ch in channels},
                 {ch: grouped[f"{ch}__n"].to_numpy() for ch in channels})


def build_model(covariates: pd.DataFrame):
    """The PyMC model for one channel's counts.

    Every cell array is a ``pm.Data`` of free length, so one compiled model serves any data set
    (set the arrays with nutpie's ``with_data``; :func:`model_data` gives them).
    """
    import pymc as pm

    coords = {"province": list(PROVINCES), "age_contrast": list(AGE_GROUPS[1:])}
    data = model_data(covariates, np.zeros(len(covariates)), np.ones(len(covariates)))
    with pm.Model(coords=coords) as model:
        d = {name: pm.Data(name, value) for name, value in data.items()}
        alpha = pm.Normal("alpha", 0.0, 2.5)
        b_border = pm.Normal("beta_border", 0.0, 1.0)
        b_female = pm.Normal("beta_female", 0.0, 1.0)
        b_urban = pm.Normal("beta_urban", 0.0, 1.0)
        b_trend = pm.Normal("beta_trend", 0.0, 2.5)
        b_trend2 = pm.Normal("beta_trend2", 0.0, 0.5)
        b_age = pm.Normal("beta_age", 0.0, 1.0, dims="age_contrast")
        # Boundary-avoiding Gamma(2, 3) prior [3]_: with ten provinces a HalfNormal lets σ → 0
        # and opens a funnel.
        s_prov = pm.Gamma("sigma_province", alpha=2.0, beta=3.0)
        z_prov = pm.ZeroSumNormal("z_province", sigma=1.0, dims="province")
        a_prov = pm.Deterministic("a_province", s_prov * z_prov, dims="province")
        age_effect = pm.math.concatenate([np.zeros(1), b_age])
        eta = (alpha + b_border * d["border"] + b_female * d["female"] + b_urban * d["urban"]
               + b_trend * d["trend"] + b_trend2 * d["trend2"]
               + age_effect[d["age_index"]] + a_prov[d["province_index"]])
        pm.Binomial("y", n=d["n"], logit_p=eta, observed=d["k"])
    return model


def model_data(covariates: pd.DataFrame, yes, valid) -> dict[str, np.ndarray]:
    """The arrays of one channel's fit, by the names of the model's ``pm.Data``."""
    return {
        "k": np.asarray(yes, dtype="int64"), "n": np.asarray(valid, dtype="int64"),
        "border": covariates["border"].to_numpy(dtype="float64"),
        "female": covariates["female"].to_numpy(dtype="float64"),
        "urban": covariates["urban"].to_numpy(dtype="float64"),
        "trend": covariates["trend"].to_numpy(dtype="float64"),
        "trend2": covariates["trend2"].to_numpy(dtype="float64"),
        "age_index": covariates["age_index"].to_numpy(dtype="int64"),
        "province_index": covariates["province_index"].to_numpy(dtype="int64"),
    }


_COMPILED: list = []


def compile_model(covariates: pd.DataFrame):
    """Compile :func:`build_model` for nutpie, once per process.

    The cell arrays are data of free length, so the compiled model serves every channel and
    every data set (compiling takes 10–40 s; sampling one channel a few seconds).
    """
    import nutpie

    if not _COMPILED:
        logging.getLogger("pymc").setLevel(logging.ERROR)
        _COMPILED.append(nutpie.compile_pymc_model(build_model(covariates), freeze_model=False))
    return _COMPILED[0]


def sample(compiled, cells: "Cells", channel: str, *, draws: int = 1000, tune: int = 1000,
           chains: int = 4, seed: int = 0, target_accept: float = 0.95, cores: int = 2, low_rank: bool = True):
    """Sample the posterior for one channel's counts; returns ArviZ ``InferenceData``."""
    import nutpie

    model = compiled.with_data(**model_data(cells.covariates, cells.yes[channel], cells.valid[channel]))
    return nutpie.sample(model, draws=draws, tune=tune, chains=chains, cores=cores, seed=seed,
                         target_accept=target_accept, progress_bar=False,
                         low_rank_modified_mass_matrix=low_rank)


def posterior_draws(idata) -> dict[str, np.ndarray]:
    """Posterior draws of every parameter, chains stacked (draws first)."""
    post = idata.posterior
    return {name: post[name].values.reshape((-1,) + post[name].shape[2:])
            for name in (*PARAMETERS, "a_province")}


def cell_probability(draws: dict[str, np.ndarray], province_index, female, urban, age_index,
                     year) -> np.ndarray:
    """Posterior probability of exposure by ``year`` for cells, shape (draws, cells)."""
    t = trend(np.broadcast_to(np.asarray(year), np.shape(province_index)))
    age_effect = np.concatenate([np.zeros((len(draws["alpha"]), 1)), draws["beta_age"]], axis=1)
    border = np.array([PROVINCES[i] in BORDER_PROVINCES for i in province_index], dtype=float)
    eta = (draws["alpha"][:, None] + draws["beta_border"][:, None] * border
           + draws["beta_female"][:, None] * np.asarray(female, dtype=float)
           + draws["beta_urban"][:, None] * np.asarray(urban, dtype=float)
           + draws["beta_trend"][:, None] * t + draws["beta_trend2"][:, None] * t ** 2
           + age_effect[:, age_index]
           + draws["a_province"][:, province_index])
    return 1.0 / (1.0 + np.exp(-eta))


def poststratify(draws: dict[str, np.ndarray], frame: pd.DataFrame, year: int) -> dict:
    """Post-stratified share exposed by ``year``: national and per-province draws.

    θ_T = Σ_c N_c π_c(T) / Σ_c N_c over the frame cells c [1]_. Returns
    ``{"national": (draws,), "provinces": {name: (draws,)}}``.
    """
    p = cell_probability(draws, frame["province_index"].to_numpy(), frame["female"].to_numpy(),
                         frame["urban"].to_numpy(), frame["age_index"].to_numpy(), year)
    w = frame["population"].to_numpy()
    prov = frame["province_index"].to_numpy()
    return {"national": p @ w / w.sum(),
            "provinces": {PROVINCES[i]: p[:, prov == i] @ w[prov == i] / w[prov == i].sum()
                          for i in range(len(PROVINCES))}}
