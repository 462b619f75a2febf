"""Evidence against models: survey exposure as a ceiling on a channel's modelled reach.

The evidence module estimates, per channel and province, the share of people who had ever been
exposed to the channel by a given year (MRP over interviews of people who left; see
``docs/evidence-model.md``). That share covers *every* source of the channel up to that year
(all stations, all launches, all copies), so the coalition's current activities on the channel
should not reach more of a province than that, unless they are far larger than everything
people were exposed to before. The assessment therefore uses the survey as a ceiling:

    factor[d, p] = min(1, S[d, p] / M[d, p])          (per draw d and province p)

where ``M`` is the modelled share of province ``p`` reached by the channel's activities and ``S``
the surveyed share, both as draws sorted ascending (comonotone, as in
:mod:`corridor.assess.combine`). The channel's reach in every cell of the province is multiplied
by the factor. Survey draws are rebuilt from the published median and 90 % interval as a Beta
distribution with the same mean and spread (method of moments, the interval read as ±1.645 sd).

Where the model says more than the survey's upper bound, or the survey's lower bound exceeds
what the model can reach, the disagreement is reported per province, never hidden.
"""

from __future__ import annotations

import numpy as np

Z90 = 1.6449  # standard normal quantile of 0.95


def beta_draws(share: float, lower90: float, upper90: float, n: int, rng: np.random.Generator) -> np.ndarray:
    """``n`` draws of a Beta distribution with mean ``share`` and sd (upper90 − lower90) / (2·1.645),
    sorted ascending. Shares are clipped to [1e-4, 1 − 1e-4]."""
    mean = float(np.clip(share, 1e-4, 1 - 1e-4))
    sd = max((float(upper90) - float(lower90)) / (2 * Z90), 1e-4)
    var = min(sd ** 2, 0.95 * mean * (1 - mean))
    k = mean * (1 - mean) / var - 1.0
    return np.sort(rng.beta(mean * k, (1 - mean) * k, size=n))


def ceiling_factor(modelled_share: np.ndarray, surveyed_share: np.ndarray) -> np.ndarray:
    """min(1, S / M) elementwise; 1 where nothing is modelled (M = 0). Shapes (draws, provinces)."""
    m = np.asarray(modelled_share, dtype=float)
    s = np.asarray(surveyed_share, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        f = np.where(m > 0, s / np.where(m > 0, m, 1.0), 1.0)
    return np.clip(f, 0.0, 1.0)


def disagreement(modelled: dict, surveyed: dict) -> str | None:
    """Compare two intervals of a share (keys ``lower90``, ``upper90``).

    Returns ``"model_above_survey"`` when the model's lower bound exceeds the survey's upper
    bound, ``"survey_above_model"`` in the opposite case, else None (the intervals overlap).
    """
    if modelled["lower90"] > surveyed["upper90"]:
        return "model_above_survey"
    if surveyed["lower90"] > modelled["upper90"]:
        return "survey_above_model"
    return None


def risk_difference(odds_ratio: np.ndarray, baseline: float) -> np.ndarray:
    """Change in the share agreeing when exposed, from an odds ratio and the unexposed share p0:

    p1 = p0·OR / (1 − p0 + p0·OR),  RD = p1 − p0   (the odds ratio converted to a risk,
    Zhang & Yu 1998, JAMA 280:1690, eq. 1).
    """
    p0 = float(baseline)
    orr = np.asarray(odds_ratio, dtype=float)
    return p0 * orr / (1.0 - p0 + p0 * orr) - p0


def lognormal_draws(median: float, lower90: float, upper90: float, n: int, rng: np.random.Generator) -> np.ndarray:
    """Sorted draws of an odds ratio from its median and 90 % interval (lognormal, log-scale sd
    from the interval's width)."""
    mu = np.log(max(median, 1e-6))
    sd = max((np.log(max(upper90, 1e-6)) - np.log(max(lower90, 1e-6))) / (2 * Z90), 1e-6)
    return np.sort(np.exp(rng.normal(mu, sd, size=n)))
