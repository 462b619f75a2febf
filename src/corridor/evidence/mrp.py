r"""Multilevel regression and post-stratification (MRP) of channel exposure.

For channel c, respondent cells j (province × sex × urban/rural × age group × year left) with
k_j of n_j valid answers "yes" (``dont_know`` and ``refused`` are left out of n_j):

.. math::

    k_j &\sim \mathrm{Binomial}(n_j, \pi_j) \\
    \mathrm{logit}\,\pi_j &= \alpha + \beta_b\,\mathrm{border}_{p[j]} + \beta_f\,\mathrm{female}_j
        + \beta_u\,\mathrm{urban}_j + \beta_t\,\tau_j + \beta_{t2}\,\tau_j^2
        + \gamma_{a[j]} + \eta_{p[j]}, \qquad \tau = (\text{year left} - 2010)/10

with province effects η_p ~ N(0, σ), σ ~ Gamma(4, 8) (mean 0.5, 90 % prior interval
0.18–0.96: a boundary-avoiding prior for a scale estimated from ten groups [3]_, which keeps the
sampler out of the funnel at σ → 0), the border-province predictor β_b letting sparse
provinces borrow strength [1]_, age-group contrasts γ (reference 15–24, N(0, 1): six levels are
too few to estimate a variance well), a quadratic trend in the departure year (the departure
period as a smooth covariate; cells carry their respondents' mean τ and τ²), α ~ N(0, 2.5) on
the intercept at the sample's mean covariates, β_t ~ N(0, 2.5) (exposure to video rose from
about 8 % to 83 % in two decades, a slope near 2 per decade on the logit scale), the other
β ~ N(0, 1) and β_t2 ~ N(0, 0.5). The share exposed by year T is the population-weighted mean
of π over the frame cells with τ = (T − 2010)/10 [1]_: θ_T = Σ_c N_c π_c(T) / Σ_c N_c,
computed per posterior draw.

Sampling. The samples of defectors are very unbalanced (North Hamgyong over half, Pyongyang a
few percent), so neither the centred nor the non-centred form of the province effects suits
every province. Each province is partially centred with the weight that is optimal in the
Gaussian case [4]_ [5]_ (:func:`centring_weights`), the covariates are centred inside the model,
and the likelihood is the binomial kernel on cell counts (a few hundred cells instead of
thousands of respondents). PyMC builds the model; nutpie samples it. One compiled model serves
every channel and every data set: only the cell arrays change. A joint model of the nine
channels in one sampler run was measured and rejected: its step size is set by the hardest
channel, so each iteration needed about 80 leapfrog steps instead of 13–15.

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
.. [4] Papaspiliopoulos, O., Roberts, G. O. and Sköld, M. (2007), A general framework for the
   parametrization of hierarchical models, *Statistical Science* 22(1): 59–73 (partial
   non-centring, §3).
.. [5] Gorinova, M., Moore, D. and Hoffman, M. (2020), Automatic reparameterisation of
   probabilistic programs, *Proceedings of ICML 2020*, PMLR 119: 3648–3657 (variationally
   inferred parameterisation, eq. 4: z̃ ~ N(λμ, σ^λ), z = μ + σ^{1−λ}(z̃ − λμ)).
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
PARAMETERS = ("alpha_centred", "beta", "beta_age", "sigma_province", "a_tilde", "a_province")


@dataclass
class Cells:
    """Respondents aggregated to model cells: covariates and, per channel, (yes, valid) counts."""

    covariates: pd.DataFrame          # one row per cell, columns of _CELL_KEYS + border, period
    yes: dict[str, np.ndarray]        # channel -> k_j
    valid: dict[str, np.ndarray]      # channel -> n_j


def aggregate_cells(respondents: pd.DataFrame, channels=CHANNELS, *,
                    weights: dict[str, np.ndarray] | None = None) -> Cells:
    """Aggregate coded respondents to cells.

    ``respondents`` needs ``province_index``, ``female`` (0/1), ``urban`` (0/1), ``age_index``,
    ``year_left`` and ``<channel>_ever`` in ``yes/no/dont_know/refused``. ``weights`` (optional,
    per channel, one per respondent, mean about 1) turn the counts into weighted counts
    k_j = Σ w_i y_i and n_j = Σ w_i, a pseudo-likelihood (used for the inverse-probability
    weights of :mod:`corridor.evidence.theme_answers`).
    """
    df = respondents[["province_index", "female", "urban", "age_index"]].copy()
    df["period_index"] = period_index(respondents["year_left"])
    df["trend_sum"] = trend(respondents["year_left"])
    df["trend2_sum"] = trend(respondents["year_left"]) ** 2
    df["count"] = 1
    counts = {}
    for ch in channels:
        answer = respondents[f"{ch}_ever"]
        w = 1 if weights is None or ch not in weights else np.asarray(weights[ch], dtype=float)
        counts[f"{ch}__k"] = (answer == "yes").astype(int) * w
        counts[f"{ch}__n"] = answer.isin(["yes", "no"]).astype(int) * w
    df = pd.concat([df, pd.DataFrame(counts, index=df.index)], axis=1)
    grouped = df.groupby(_CELL_KEYS, sort=True).sum().reset_index()
    cov = grouped[_CELL_KEYS].copy()
    cov["border"] = [int(PROVINCES[i] in BORDER_PROVINCES) for i in cov["province_index"]]
    # The trend covariate of a cell is the mean departure year of its respondents.
    cov["trend"] = grouped["trend_sum"] / grouped["count"]
    cov["trend2"] = grouped["trend2_sum"] / grouped["count"]
    return Cells(cov, {ch: grouped[f"{ch}__k"].to_numpy() for ch in channels},
                 {ch: grouped[f"{ch}__n"].to_numpy() for ch in channels})


#: Prior scale of the province effects used to choose each province's parameterisation.
_SIGMA_REFERENCE = 0.5
_COEFS = ("border", "female", "urban", "trend", "trend2")
_COEF_SD = np.array([1.0, 1.0, 1.0, 2.5, 0.5])


def centring_weights(cells: Cells, channel: str, sigma_ref: float = _SIGMA_REFERENCE) -> np.ndarray:
    r"""Per-province weight w_p of the partially centred parameterisation, shape (10,).

    w_p = σ₀² I_p / (1 + σ₀² I_p), with I_p = Σ_j∈p n_j p̂(1 − p̂) the Fisher information about
    province p's effect at the channel's overall share p̂, and σ₀ = 0.5 a reference province
    scale. This is the optimal weight of the Gaussian case [4]_ [5]_: a province with many
    respondents (North Hamgyong) is sampled centred (w → 1), one with few (Pyongyang, Kangwon)
    nearly non-centred (w → 0), which removes the funnel either form alone has on this
    unbalanced data.
    """
    n = np.asarray(cells.valid[channel], dtype=float)
    k = np.asarray(cells.yes[channel], dtype=float)
    share = (k.sum() + 0.5) / (n.sum() + 1.0)
    info = np.bincount(cells.covariates["province_index"].to_numpy(), weights=n,
                       minlength=len(PROVINCES)) * share * (1.0 - share)
    return info * sigma_ref ** 2 / (1.0 + info * sigma_ref ** 2)


def model_data(cells: Cells, channel: str) -> dict[str, np.ndarray]:
    """The arrays of one channel's fit, by the names of the model's ``pm.Data``.

    The covariates are centred at their means over the channel's valid answers (``xbar``,
    ``abar``) inside the model; the reported ``alpha`` is the uncentred intercept.
    """
    cov = cells.covariates
    n = np.asarray(cells.valid[channel], dtype="float64")
    x = cov[list(_COEFS)].to_numpy(dtype="float64")
    age = cov["age_index"].to_numpy(dtype="int64")
    w = n / n.sum() if n.sum() > 0 else np.full(len(n), 1.0 / max(1, len(n)))
    age_dummies = np.eye(len(AGE_GROUPS))[age][:, 1:]
    return {
        "k": np.asarray(cells.yes[channel], dtype="float64"), "n": n, "x": x,
        "age_index": age, "province_index": cov["province_index"].to_numpy(dtype="int64"),
        "xbar": w @ x, "abar": w @ age_dummies, "w_centre": centring_weights(cells, channel),
    }


def build_model(cells: Cells, channel: str):
    r"""The PyMC model for one channel's cell counts.

    Every cell array is a ``pm.Data`` of free length, so one compiled model serves every
    channel and every data set (set the arrays with nutpie's ``with_data``; :func:`model_data`
    gives them). The likelihood is the binomial kernel Σ_j k_j η_j − n_j log(1 + e^{η_j}) (the
    binomial coefficients are constant and left out). Province effects are partially centred
    [4]_: ã_p ~ N(0, σ^{w_p}), η_p = σ^{1−w_p} ã_p, so that η_p ~ N(0, σ) whatever w_p.
    """
    import pymc as pm
    import pytensor.tensor as pt

    coords = {"province": list(PROVINCES), "age_contrast": list(AGE_GROUPS[1:]), "coef": list(_COEFS)}
    with pm.Model(coords=coords) as model:
        d = {name: pm.Data(name, value) for name, value in model_data(cells, channel).items()}
        alpha_c = pm.Normal("alpha_centred", 0.0, 2.5)
        beta = pm.Normal("beta", 0.0, _COEF_SD, dims="coef")
        b_age = pm.Normal("beta_age", 0.0, 1.0, dims="age_contrast")
        # Boundary-avoiding Gamma(4, 8) prior [3]_ (mean 0.5, 90 % within 0.18–0.96): with ten
        # provinces the data alone cannot keep σ away from 0, where the sampler meets a funnel.
        s_prov = pm.Gamma("sigma_province", alpha=4.0, beta=8.0)
        a_tilde = pm.Normal("a_tilde", 0.0, s_prov ** d["w_centre"], dims="province")
        a_prov = pm.Deterministic("a_province", s_prov ** (1.0 - d["w_centre"]) * a_tilde, dims="province")
        pm.Deterministic("alpha", alpha_c - pt.dot(d["xbar"], beta) - pt.dot(d["abar"], b_age))
        age_effect = pt.concatenate([pt.zeros(1), b_age])
        eta = (alpha_c - pt.dot(d["xbar"], beta) - pt.dot(d["abar"], b_age) + pt.dot(d["x"], beta)
               + age_effect[d["age_index"]] + a_prov[d["province_index"]])
        pm.Potential("y", pt.sum(d["k"] * eta - d["n"] * pt.softplus(eta)))
    return model


_COMPILED: list = []


def compile_model(cells: Cells, channel: str | None = None):
    """Compile :func:`build_model` for nutpie, once per process.

    The cell arrays are data of free length, so the compiled model serves every channel and
    every data set. Compiling takes 10–15 s when PyTensor's Numba cache is warm and 30–60 s
    the first time on a machine; sampling one channel 1–3 s of processor time.
    """
    import nutpie

    if not _COMPILED:
        logging.getLogger("pymc").setLevel(logging.ERROR)
        channel = channel or next(iter(cells.valid))
        _COMPILED.append(nutpie.compile_pymc_model(build_model(cells, channel), freeze_model=False))
    return _COMPILED[0]


def sample(compiled, cells: Cells, channel: str, *, draws: int = 500, tune: int = 400,
           chains: int = 4, seed: int = 0, target_accept: float = 0.95, cores: int = 2,
           low_rank: bool = True):
    """Sample the posterior for one channel's counts; returns ArviZ ``InferenceData``."""
    import nutpie

    model = compiled.with_data(**model_data(cells, channel))
    return nutpie.sample(model, draws=draws, tune=tune, chains=chains, cores=cores, seed=seed,
                         target_accept=target_accept, progress_bar=False,
                         low_rank_modified_mass_matrix=low_rank)


def posterior_draws(idata) -> dict[str, np.ndarray]:
    """Posterior draws of the linear predictor's terms, chains stacked (draws first).

    Keys: ``alpha`` (uncentred), ``beta_border`` … ``beta_trend2``, ``beta_age`` (draws, 5),
    ``sigma_province``, ``a_province`` (draws, 10).
    """
    post = idata.posterior
    flat = {name: post[name].values.reshape((-1,) + post[name].shape[2:])
            for name in ("alpha", "beta", "beta_age", "sigma_province", "a_province")}
    out = {name: flat[name] for name in ("alpha", "beta_age", "sigma_province", "a_province")}
    for i, coef in enumerate(_COEFS):
        out[f"beta_{coef}"] = flat["beta"][:, i]
    return out


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
