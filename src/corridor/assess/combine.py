"""Combining coverages: people reached by several activities, counted once.

Plain functions over arrays of shape (draws, cells). ``p[d, i]`` is the probability that a
person in cell ``i`` is reached, under draw ``d`` of the uncertain inputs.

Two rules, both stated as assumptions in every result:

* **Draw alignment.** Each coverage's draws are sorted by the people they reach before they are
  combined, so draw ``d`` of every activity is its own ``d``-th quantile (comonotone draws). The
  uncertainties of different activities share common causes (population, how many households
  own a device, how hard the state cracks down), so they move together; comonotone pairing is the
  extreme case and gives the widest, most cautious interval for a combined total. It also makes
  quantiles additive: the median of a sum of channels is the sum of their medians.
* **Overlap within a channel.** Two activities on the same channel often reach the same people
  (the same households own the tunable radios or the dishes). With an overlap coefficient
  ``rho`` in [0, 1], the union of probabilities p_1 … p_n in a cell is
  ``rho · max_k p_k + (1 − rho) · (1 − Π_k (1 − p_k))``: ``rho = 1`` means the audiences are
  nested (the best activity's audience contains the others'), ``rho = 0`` that a person is
  reached by each activity independently. Across channels, reach is combined independently
  (``rho = 0``). Both the maximum and the independent union lie between the largest single
  probability and the sum of the probabilities, so a combined total is never less than its
  largest part and never more than the sum of its parts.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np

#: Quantiles reported everywhere: the median and a central 90 % interval.
QUANTILES = (5.0, 50.0, 95.0)


def align_draws(probability: np.ndarray, population: np.ndarray) -> np.ndarray:
    """Reorder draws (rows) by the people they reach, ascending (comonotone alignment).

    ``probability``: (draws, cells), ``population``: (cells,) people. Returns a new array.
    """
    p = np.asarray(probability)
    order = np.argsort(p @ np.asarray(population, dtype=p.dtype), kind="stable")
    return p[order]


def union(probabilities: Iterable[np.ndarray], rho: float = 0.0) -> np.ndarray:
    """Probability of being reached by at least one activity (see the module notes).

    ``probabilities``: arrays of the same shape, each in [0, 1]; ``rho``: overlap in [0, 1].
    Computed in one pass without stacking the inputs (memory stays two arrays).
    """
    if not 0.0 <= rho <= 1.0:
        raise ValueError(f"rho must be within [0, 1], got {rho}")
    miss = best = None
    for p in probabilities:
        p = np.asarray(p, dtype=np.float32)
        if miss is None:
            miss = 1.0 - p
            best = p.copy()
        else:
            miss *= 1.0 - p
            np.maximum(best, p, out=best)
    if miss is None:
        raise ValueError("union of no coverages")
    out = 1.0 - miss
    if rho > 0.0:
        out *= 1.0 - rho
        out += rho * best
    return np.clip(out, 0.0, 1.0, out=out)


def repeat(probability: np.ndarray, times: float, rho: float) -> np.ndarray:
    """The same activity done ``times`` times (``times`` ≥ 0, may be fractional).

    Independent repeats reach ``1 − (1 − p)^times``; nested ones still ``p``; mixed by ``rho`` as
    in :func:`union`. ``times`` < 1 scales the probability down linearly (a partial run).
    """
    p = np.asarray(probability, dtype=np.float32)
    if times < 0:
        raise ValueError("times must be ≥ 0")
    if times <= 1.0:
        return p * np.float32(times)
    indep = 1.0 - np.power(1.0 - p, np.float32(times))
    return np.clip(rho * p + (1.0 - rho) * indep, 0.0, 1.0)


def people(probability: np.ndarray, population: np.ndarray) -> np.ndarray:
    """Expected people reached per draw: Σ_i p[d, i] · N_i (people)."""
    p = np.asarray(probability)
    dtype = np.float32 if p.dtype == np.float32 else np.float64
    return (p @ np.asarray(population, dtype=dtype)).astype(np.float64)


def people_by_group(probability: np.ndarray, population: np.ndarray, group: np.ndarray,
                    n_groups: int) -> np.ndarray:
    """Expected people per draw and group (e.g. province), shape (draws, n_groups)."""
    onehot = np.zeros((len(group), n_groups))
    onehot[np.arange(len(group)), group] = 1.0
    return np.asarray(probability, dtype=np.float64) @ (np.asarray(population, float)[:, None] * onehot)


def interval(values: np.ndarray, axis: int = 0) -> dict[str, float] | dict[str, np.ndarray]:
    """Median and central 90 % interval over draws (``axis``)."""
    lo, med, hi = np.percentile(np.asarray(values, dtype=float), QUANTILES, axis=axis)
    if np.ndim(med) == 0:
        return {"median": float(med), "lower90": float(lo), "upper90": float(hi)}
    return {"median": med, "lower90": lo, "upper90": hi}


def cost_per_person(cost_usd: float | None, reached: dict[str, float]) -> dict[str, float | None]:
    """Cost per person reached (USD/person): the cost divided by the reach quantiles.

    ``reached`` is an :func:`interval` of people reached. Cost per person falls as reach grows, so
    its median is ``cost / median`` and its 90 % interval ``[cost / upper90, cost / lower90]``.
    With no cost, or a quantile that reaches fewer than one person, that figure is None
    (no finite cost per person).
    """
    if cost_usd is None or not np.isfinite(cost_usd):
        return {"median": None, "lower90": None, "upper90": None}

    def per(n: float) -> float | None:
        return float(cost_usd / n) if n >= 1.0 else None

    return {"median": per(reached["median"]), "lower90": per(reached["upper90"]),
            "upper90": per(reached["lower90"])}


@dataclass
class Accumulator:
    """Running union of probabilities on one channel: best (max) and miss (Π(1 − p))."""

    best: np.ndarray | None = None
    miss: np.ndarray | None = None

    def add(self, p: np.ndarray) -> None:
        if self.best is None:
            self.best = p.copy()
            self.miss = 1.0 - p
        else:
            np.maximum(self.best, p, out=self.best)
            self.miss *= 1.0 - p

    def value(self, rho: float) -> np.ndarray:
        out = 1.0 - self.miss
        if rho > 0:
            out = (1.0 - rho) * out + rho * self.best
        return np.clip(out, 0.0, 1.0).astype(np.float32, copy=False)
