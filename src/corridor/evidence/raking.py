"""Raking (iterative proportional fitting) as the transparent baseline for MRP.

Respondent weights are raked with :mod:`ipfn` so that the weighted sample matches the frame's
margins of province, sex, urban/rural and age group (Deming and Stephan 1940, On a least
squares adjustment of a sampled frequency table when the expected marginal totals are known,
*Annals of Mathematical Statistics* 11: 427–444). The baseline estimate for year T uses the
respondents who left in the five years up to T. Kish's design effect of the weights,
deff = n Σw² / (Σw)², is reported (Kish 1965, *Survey Sampling*, §11.7).
"""

from __future__ import annotations

import contextlib
import io

import numpy as np
import pandas as pd

MARGINS = ("province_index", "female", "urban", "age_index")


def rake_weights(sample: pd.DataFrame, frame: pd.DataFrame, margins=MARGINS, *,
                 max_iteration: int = 500) -> np.ndarray:
    """Weights for ``sample`` rows matching ``frame``'s population margins (one per variable).

    The sample is cross-tabulated over the margin variables and the table is raked with
    ipfn's array mode; each respondent's weight is its cell's raked total over its count.
    Levels of a margin absent from the sample are dropped from that margin (their population
    cannot be represented; the totals are rescaled to the represented part).
    """
    from ipfn import ipfn

    sizes = [int(max(frame[m].max(), sample[m].max())) + 1 for m in margins]
    idx = tuple(sample[m].to_numpy(dtype=int) for m in margins)
    counts = np.zeros(sizes)
    np.add.at(counts, idx, 1.0)
    aggregates = []
    for axis, m in enumerate(margins):
        target = frame.groupby(m)["population"].sum().reindex(range(sizes[axis])).fillna(0.0).to_numpy()
        present = counts.sum(axis=tuple(i for i in range(len(margins)) if i != axis)) > 0
        target = np.where(present, target, 0.0)
        aggregates.append(target / target.sum() * len(sample))
    with contextlib.redirect_stdout(io.StringIO()):  # ipfn prints its convergence status
        raked = ipfn.ipfn(counts.copy(), aggregates, [[i] for i in range(len(margins))],
                          convergence_rate=1e-8, max_iteration=max_iteration).iteration()
    return raked[idx] / counts[idx]


def kish_deff(weights: np.ndarray) -> float:
    """Kish's design effect of unequal weights, n Σw² / (Σw)²."""
    w = np.asarray(weights, dtype=float)
    return float(len(w) * np.sum(w ** 2) / np.sum(w) ** 2)


def raked_share(sample: pd.DataFrame, frame: pd.DataFrame, channel: str, year: int,
                *, window_years: int = 5) -> dict:
    """Raked share of ``yes`` among valid answers of those who left in (year − window, year].

    Falls back to every respondent when fewer than 50 left in the window. Returns the share,
    a normal-approximation 90 % interval using Kish's effective sample size, the deff and the
    number of respondents used.
    """
    valid = sample[sample[f"{channel}_ever"].isin(["yes", "no"])]
    recent = valid[(valid["year_left"] > year - window_years) & (valid["year_left"] <= year)]
    used = recent if len(recent) >= 50 else valid
    w = rake_weights(used, frame)
    y = (used[f"{channel}_ever"] == "yes").to_numpy(dtype=float)
    share = float(np.sum(w * y) / np.sum(w))
    deff = kish_deff(w)
    n_eff = len(used) / deff
    se = np.sqrt(share * (1 - share) / n_eff)
    return {"share": share, "lower90": max(0.0, share - 1.645 * se),
            "upper90": min(1.0, share + 1.645 * se), "deff": deff, "n": len(used)}
