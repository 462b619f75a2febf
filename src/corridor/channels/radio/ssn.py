"""Sunspot number for a date, from the small table shipped in ``data/sunspot_number.csv``."""

from __future__ import annotations

import datetime as dt
from functools import lru_cache
from importlib import resources

import numpy as np

from corridor.errors import CorridorError


@lru_cache(maxsize=1)
def table() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Mid-year times (decimal years), yearly mean sunspot numbers and whether each is projected."""
    text = resources.files("corridor.channels.radio").joinpath("data", "sunspot_number.csv").read_text("utf-8")
    rows = [line.split(",") for line in text.splitlines() if line and not line.startswith(("#", "year"))]
    years = np.array([float(r[0]) + 0.5 for r in rows])
    return years, np.array([float(r[1]) for r in rows]), np.array([r[2].strip() == "projected" for r in rows])


def sunspot_number(when: dt.date | dt.datetime) -> tuple[float, bool]:
    """Sunspot number (SILSO v2 scale) for the month of ``when`` and whether it is a projection."""
    years, ssn, projected = table()
    t = when.year + (when.month - 0.5) / 12.0
    if t < years[0] - 0.5 or t > years[-1] + 0.5:
        raise CorridorError(f"no sunspot number for this date; the table covers {int(years[0])}–{int(years[-1])}",
                            field="start", value=str(when)[:10], hint="give ssn explicitly")
    value = float(np.interp(t, years, ssn))
    return value, bool(projected[np.searchsorted(years, min(t, years[-1]))])


def map_index(ssn_v2: float) -> float:
    """The solar index that drives the CCIR maps, from a SILSO v2 sunspot number.

    PyIRI treats its CCIR map levels as ionosonde index IG12 0 and 100 and converts from a v2
    sunspot number with ``R12_2_IG12(version=2)`` (Forsythe et al. 2023); we use the same formula,
    ``IG12 = −11.5634 + 1.5332 R12 − 0.0031 R12²`` (IRI-2020 ``irisub.for``, post-2015 sunspot
    series), floored at 0, without importing PyIRI (whose package loads matplotlib).
    """
    return float(max(-11.5634 + 1.5332 * ssn_v2 - 0.0031 * ssn_v2**2, 0.0))
