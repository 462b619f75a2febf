"""The border-media parameter table: every assumption of the spread model, with its source.

The table lives in ``data/parameters.csv`` (one row per parameter: central value, plausible
range, how it is drawn, meaning and source). Monte Carlo draws sample each parameter over its
range; a spec can fix any of them. Nothing in the model uses a number that is not in this table,
except the shipment itself.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import numpy as np

#: Parameters that are shares or probabilities (must stay within 0–1 when fixed by a user).
SHARES = {"p_intercept", "share_family", "share_friends", "share_market", "family_away",
          "market_away", "player_share", "move_rail_weight"}
#: Discrete levels for the gravity exponent (one distance matrix per level keeps draws vectorised).
GRAVITY_LEVELS = np.array([1.5, 1.75, 2.0, 2.25, 2.5])


@dataclass(frozen=True)
class Parameter:
    """One row of the table."""

    name: str
    symbol: str
    unit: str
    central: float
    low: float
    high: float
    distribution: str     # "uniform", "loguniform" or "fixed"
    meaning: str
    source: str


@lru_cache(maxsize=1)
def _read() -> tuple[dict[str, str], ...]:
    """The rows of ``data/parameters.csv`` (read with :mod:`csv`: a spec is checked without pandas)."""
    path = resources.files("corridor.channels.border").joinpath("data", "parameters.csv")
    with path.open("r", encoding="utf-8", newline="") as f:
        return tuple(csv.DictReader(f))


def table() -> dict[str, Parameter]:
    """The parameter table, by name, in file order."""
    return {r["name"]: Parameter(r["name"], r["symbol"], r["unit"], float(r["central"]),
                                 float(r["low"]), float(r["high"]), r["distribution"],
                                 r["meaning"], r["source"]) for r in _read()}


def source_shares() -> dict[str, float]:
    """Where viewers got their copy (central values of the table, shares of viewers; they may add
    up to more than one): ``{"family": .., "friends": .., "market": ..}``."""
    t = table()
    return {k: t[f"share_{k}"].central for k in ("family", "friends", "market")}


def pct(x: float) -> str:
    """A share as a whole percentage: 0.64 → '64%'."""
    return f"{100 * x:.0f}%"


def check_value(name: str, value: float) -> None:
    """Raise ``ValueError`` if ``value`` cannot be a value of parameter ``name``."""
    params = table()
    if name not in params:
        raise ValueError(f"unknown parameter {name!r}; known: {', '.join(params)}")
    if not np.isfinite(value) or value < 0:
        raise ValueError(f"parameter {name} must be a finite number ≥ 0")
    if name in SHARES and value > 1:
        raise ValueError(f"parameter {name} is a share and must be between 0 and 1")


def draw(n: int, rng: np.random.Generator, fixed: dict[str, float] | None = None) -> dict[str, np.ndarray]:
    """``n`` Monte Carlo draws of every parameter, shape ``(n,)`` each.

    ``uniform`` parameters are drawn uniformly on [low, high], ``loguniform`` ones uniformly in
    log space; ``fixed`` (the argument) pins a parameter to one value in all draws. The gravity
    exponent is drawn from :data:`GRAVITY_LEVELS`, which span its range.
    """
    fixed = dict(fixed or {})
    out: dict[str, np.ndarray] = {}
    for name, p in table().items():
        if name in fixed:
            out[name] = np.full(n, float(fixed[name]))
        elif name == "gravity_exponent":
            out[name] = rng.choice(GRAVITY_LEVELS, size=n)
        elif p.distribution == "loguniform":
            out[name] = np.exp(rng.uniform(np.log(p.low), np.log(p.high), size=n))
        elif p.distribution == "uniform":
            out[name] = rng.uniform(p.low, p.high, size=n)
        else:
            out[name] = np.full(n, p.central)
    return out


def central(fixed: dict[str, float] | None = None) -> dict[str, np.ndarray]:
    """One draw at the central value of every parameter (``fixed`` still applies)."""
    fixed = dict(fixed or {})
    return {name: np.array([float(fixed.get(name, p.central))]) for name, p in table().items()}
