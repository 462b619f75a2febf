"""DVB-S2 modes and datacasting: what a transponder carries and how long a bundle takes.

Spectral efficiencies and the Es/N0 each mode needs (quasi-error-free, normal FECFRAME, no
pilots, AWGN) are those of ETSI EN 302 307-1 V1.4.1 (2014), Table 13, shipped in
``data/dvbs2_modcods.csv``.
"""

from __future__ import annotations

import csv
from functools import lru_cache
from importlib import resources
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    import pandas as pd

_TABLE = ("corridor.channels.satellite", "data", "dvbs2_modcods.csv")


@lru_cache(maxsize=1)
def modcods() -> pd.DataFrame:
    """The DVB-S2 modes, indexed by name (e.g. ``"QPSK 3/4"``)."""
    import pandas as pd

    path = resources.files(_TABLE[0]).joinpath(*_TABLE[1:])
    with path.open("r", encoding="utf-8") as f:
        return pd.read_csv(f).set_index("modcod")


@lru_cache(maxsize=1)
def modcod_names() -> tuple[str, ...]:
    """The names of the DVB-S2 modes, in table order (read without pandas, to check a spec)."""
    path = resources.files(_TABLE[0]).joinpath(*_TABLE[1:])
    with path.open("r", encoding="utf-8", newline="") as f:
        return tuple(row["modcod"] for row in csv.DictReader(f))


def symbol_rate_baud(bandwidth_hz: float, roll_off: float) -> float:
    """Symbol rate filling a bandwidth with root-raised-cosine roll-off α: ``R_s = B / (1 + α)``."""
    return bandwidth_hz / (1.0 + roll_off)


def bit_rate_bps(symbol_rate: float, spectral_efficiency: float) -> float:
    """Useful bit rate ``R_b = R_s · η`` (η in bit per symbol, EN 302 307-1 Table 13), bit/s."""
    return symbol_rate * spectral_efficiency


def datacast_hours(bundle_gb: float, bit_rate: float) -> float:
    """Hours of air time to send a bundle of ``bundle_gb`` gigabytes (10⁹ bytes) once."""
    return bundle_gb * 8e9 / bit_rate / 3600.0


def weekly_capacity_gb(bit_rate: float, hours_per_day: float) -> float:
    """Gigabytes a week of ``hours_per_day`` broadcast hours carries."""
    return bit_rate * hours_per_day * 3600.0 * 7.0 / 8e9


def datacast_summary(bundle_gb: float, bandwidth_hz: float, roll_off: float, modcod: str,
                     hours_per_day: float) -> dict[str, float]:
    """Rate, air time per bundle, days per bundle and weekly capacity for one transponder lease."""
    row = modcods().loc[modcod]
    rs = symbol_rate_baud(bandwidth_hz, roll_off)
    rb = bit_rate_bps(rs, float(row["spectral_efficiency_bps_per_hz"]))
    hours = datacast_hours(bundle_gb, rb)
    week = weekly_capacity_gb(rb, hours_per_day)
    return {"symbol_rate_baud": rs, "bit_rate_mbps": rb / 1e6, "bundle_gb": bundle_gb,
            "bundle_hours": hours, "bundle_days": hours / hours_per_day,
            "weekly_capacity_gb": week, "bundles_per_week": float(np.floor(week / bundle_gb))}
