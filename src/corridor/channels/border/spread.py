"""Metapopulation spread of smuggled media over counties, in daily steps.

State per Monte Carlo draw ``d`` and county ``c``: copies held ``H`` and people who have seen the
content ``R`` (cumulative). Parameters are arrays over draws (see :mod:`.parameters`); every
operation is vectorised over draws × counties. Mean-field (expected-value) dynamics within a
draw; the spread between draws carries the uncertainty of the parameters.

Day 0 (entry at the crossing's county ``e``)::

    I ~ Binomial(N, π)                 intercepted at the crossing
    H_e(0) = N − I                     copies that entered
    R_e(0) = min(P_e, H_e(0) · h)      the first holders' households watch

Each day ``t → t + 1``::

    X = H · (λ·h + v·g) + C · h                     exposures of people (lending, guests, copies)
    R ← R + (P − R) · min(1, X / P)                 only people not yet reached count
    C = κ_m · H · max(0, 1 − H / K)                 copies made, K = P / h · s_play
    D = δ · H                                       copies removed by crackdowns
    O = λ · (ŵ_fam·f_away + ŵ_mkt·m_away) · H       copies carried to other counties
    H ← H − D + C − O + O · M                       M: trade-network destinations (row-stochastic)

with ``ŵ`` the published source shares (family, friends, market) scaled to sum to one, and
``κ_m = κ`` for USB/SD, ``κ · κ_dvd`` for DVDs. ``R ≤ P`` holds by construction, and copies are
conserved: shipped + copied = held + intercepted + removed.

Switching sharing off sets λ, g, κ and O to zero: each copy then serves its first household only,
so ``R = min(P_e, (N − I) · h)``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from threadpoolctl import threadpool_limits

from corridor.channels.border.network import TradeNetwork


@dataclass(frozen=True)
class SpreadResult:
    """What a simulation returns (arrays over draws ``D``, days ``T + 1`` and counties ``C``)."""

    reached_by_day: np.ndarray     # (D, T+1) people who have seen the content, all counties
    held_by_day: np.ndarray        # (D, T+1) copies in circulation
    reached: np.ndarray            # (D, C) people reached by the last day
    held: np.ndarray               # (D, C) copies held on the last day
    shipped: np.ndarray            # (D,) copies sent
    intercepted: np.ndarray        # (D,) seized at the crossing
    copied: np.ndarray             # (D,) copies made inside the country
    removed: np.ndarray            # (D,) copies removed by crackdowns
    snapshots: dict[int, np.ndarray]  # day → (D, C) people reached by that day
    counted_by_day: np.ndarray | None = None  # (D, T+1) Σ_c reached × count_weight, when given

    @property
    def entered(self) -> np.ndarray:
        return self.shipped - self.intercepted


def simulate(theta: dict[str, np.ndarray], *, shipped: int | np.ndarray, entry: int,
             population: np.ndarray, network: TradeNetwork, days: int, medium: str = "usb",
             sharing: bool = True, rng: np.random.Generator | None = None,
             snapshot_days: tuple[int, ...] = (), intercepted: np.ndarray | None = None,
             count_weight: np.ndarray | None = None) -> SpreadResult:
    """Run the spread model for every draw of ``theta`` (arrays of shape ``(D,)``).

    Parameters
    ----------
    theta : dict of name → array (D,)
        Parameters, as from :func:`corridor.channels.border.parameters.draw`.
    shipped : int or array (D,)
        Copies sent across the border.
    entry : int
        Index of the county where the shipment enters.
    population : array (C,)
        People per county (the grid's county totals).
    network : TradeNetwork
        Destinations of copies leaving a county.
    days : int
        Days simulated after entry.
    medium : {"usb", "sd", "dvd"}
        DVDs are copied at ``κ · κ_dvd``.
    sharing : bool
        ``False`` switches off lending, guests, copying and movement.
    rng : numpy Generator, optional
        For the interception draw (ignored when ``intercepted`` is given).
    snapshot_days : tuple of int
        Days at which to keep the per-county reach.
    intercepted : array (D,), optional
        Copies seized at the crossing; drawn ``Binomial(N, π)`` when not given.
    count_weight : array (D, C), optional
        A second daily count, ``Σ_c reached_c · count_weight_c`` (``counted_by_day``): with the
        share of each county who had not seen smuggled video before, the first-time viewers by day.

    This is the fast simulator for calibration: one call of 1,000 draws × 90 days over the 179
    counties takes well under a second. The matrices are small, so BLAS runs single-threaded
    (threads only add overhead at this size).
    """
    with threadpool_limits(limits=1, user_api="blas"):
        return _simulate(theta, shipped=shipped, entry=entry, population=population,
                         network=network, days=days, medium=medium, sharing=sharing, rng=rng,
                         snapshot_days=snapshot_days, intercepted=intercepted, count_weight=count_weight)


def _simulate(theta, *, shipped, entry, population, network, days, medium, sharing, rng,
              snapshot_days, intercepted, count_weight) -> SpreadResult:
    P = np.asarray(population, dtype=float)
    n_draws = len(next(iter(theta.values())))
    C = P.size
    rng = rng or np.random.default_rng(0)
    N = np.broadcast_to(np.asarray(shipped, dtype=float), (n_draws,)).copy()
    if intercepted is None:
        intercepted = rng.binomial(N.astype(np.int64), np.clip(theta["p_intercept"], 0, 1)).astype(float)
    I = np.asarray(intercepted, dtype=float)
    col = lambda name: np.asarray(theta[name], dtype=float)[:, None]  # noqa: E731
    h = col("household_size")
    if sharing:
        lam, guests, views = col("pass_rate"), col("guests_per_viewing"), col("viewings_per_day")
        kappa = col("copy_rate") * (col("dvd_copy_factor") if medium == "dvd" else 1.0)
        shares = np.column_stack([theta["share_family"], theta["share_friends"], theta["share_market"]])
        w = shares / shares.sum(axis=1, keepdims=True)
        away = lam * (w[:, :1] * col("family_away") + w[:, 2:] * col("market_away"))
    else:
        lam = guests = views = kappa = away = np.zeros((n_draws, 1))
    delta = col("crackdown_rate")
    cap = P[None, :] / h * col("player_share")

    H = np.zeros((n_draws, C))
    H[:, entry] = N - I
    R = np.zeros((n_draws, C))
    R[:, entry] = np.minimum(P[entry], H[:, entry] * h[:, 0])
    copied = np.zeros(n_draws)
    removed = np.zeros(n_draws)
    reached_by_day = np.empty((n_draws, days + 1))
    held_by_day = np.empty((n_draws, days + 1))
    reached_by_day[:, 0] = R.sum(axis=1)
    held_by_day[:, 0] = H.sum(axis=1)
    snapshots = {0: R.copy()} if 0 in snapshot_days else {}
    weight = None if count_weight is None else np.broadcast_to(np.asarray(count_weight, float), (n_draws, C))
    counted_by_day = None if weight is None else np.empty((n_draws, days + 1))
    if weight is not None:
        counted_by_day[:, 0] = (R * weight).sum(axis=1)

    # Destination matrices, one per (rail weight, exponent) group of draws.
    groups = _groups(theta, network) if sharing else []
    safe_P = np.where(P > 0, P, 1.0)
    for day in range(1, days + 1):
        copies = kappa * H * np.clip(1.0 - H / np.maximum(cap, 1e-12), 0.0, 1.0)
        exposures = H * (lam * h + views * guests) + copies * h
        R = R + (P - R) * np.minimum(1.0, exposures / safe_P)
        gone = delta * H
        out = away * H
        H = H - gone + copies - out
        for rows, M in groups:
            H[rows] += M.carry(out[rows])
        copied += copies.sum(axis=1)
        removed += gone.sum(axis=1)
        reached_by_day[:, day] = R.sum(axis=1)
        held_by_day[:, day] = H.sum(axis=1)
        if weight is not None:
            counted_by_day[:, day] = (R * weight).sum(axis=1)
        if day in snapshot_days:
            snapshots[day] = R.copy()
    return SpreadResult(reached_by_day=reached_by_day, held_by_day=held_by_day, reached=R, held=H,
                        shipped=N, intercepted=I, copied=copied, removed=removed,
                        snapshots=snapshots, counted_by_day=counted_by_day)


def _groups(theta: dict[str, np.ndarray], network: TradeNetwork) -> list[tuple[np.ndarray, np.ndarray]]:
    """Draws grouped by gravity exponent; within a group the rail weight enters linearly.

    ``out @ M`` with ``M = w·rail + (1−w)·gravity`` is computed as one matrix per exponent level
    and draw-specific weights, so that 1,000 draws need only a handful of matrix products.
    """
    groups = []
    g = np.asarray(theta["gravity_exponent"], dtype=float)
    for level in np.unique(g):
        rows = np.flatnonzero(g == level)
        groups.append((rows, _Mix(network, float(level), np.asarray(theta["move_rail_weight"])[rows])))
    return groups


class _Mix:
    """``out @ M`` (copies arriving per county) for draws sharing an exponent but each with its own rail weight."""

    def __init__(self, network: TradeNetwork, exponent: float, w_rail: np.ndarray) -> None:
        self.rail = network.rail
        self.gravity = network.gravity[exponent]
        self.has_rail = network.has_rail
        self.w = w_rail[:, None]

    def carry(self, out: np.ndarray) -> np.ndarray:
        on_rail = out * self.has_rail[None, :]
        return self.w * (on_rail @ self.rail) + (out - self.w * on_rail) @ self.gravity
