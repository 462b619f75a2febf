"""The HF model judged on measurements: CCIR Data Bank D1 (monthly-median field strengths).

The procedure (ITU-R's own practice for testing P.533 against D1, as in Recommendation ITU-R
P.533-14 Annex 1 and the databank's description):

- every path of Table 1 up to 7,000 km (the short-path method's range, P.533-14 §5), 1.6–30 MHz,
  long-path records left out;
- 1 kW radiated from an isotropic antenna (the databank is normalised to 1 kW e.i.r.p.);
- the month's smoothed sunspot number R12 from the file's Table 3;
- model minus measured field strength, dB(µV/m), for every hourly median present (hour ``k`` of
  Table 2 is the hour ending at ``k`` UTC, read as UTC hour ``k``).

Statistics are given **hourly-weighted** (every hourly median counts once) and **path-weighted**
(the mean error of each path, then the mean and spread of those), and split by distance band
(< 1,000, 1,000–3,000, 3,000–7,000 km) × day or night (the solar zenith angle at the path's
mid-point below or above 90°), by frequency band and by the ratio of the frequency to the
predicted basic MUF.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

DISTANCE_BANDS = ((0.0, 1000.0, "<1000 km"), (1000.0, 3000.0, "1000-3000 km"), (3000.0, 7000.0, "3000-7000 km"))
FREQUENCY_BANDS = ((1.6, 5.0), (5.0, 10.0), (10.0, 15.0), (15.0, 20.0), (20.0, 30.0))
MUF_RATIO_EDGES = (0.0, 0.5, 0.8, 0.9, 1.0, 1.1, 1.3, 1.6, math.inf)
MIN_MHZ, MAX_MHZ = 1.6, 30.0


@dataclass
class Comparison:
    """Model − measured field strength (dB) for every hourly median compared, with what was left out."""

    path_id: np.ndarray
    distance_km: np.ndarray
    freq_mhz: np.ndarray
    day: np.ndarray              # bool: solar zenith at mid-path below 90°
    f_over_muf: np.ndarray
    error_db: np.ndarray
    solar_zenith_deg: np.ndarray     # at the path's mid-point
    absorption: str = "p533"         # the absorption method of hf.predict used
    skipped: dict[str, int] = field(default_factory=dict)   # path-month records left out, by reason


def _stats(err: np.ndarray) -> dict:
    n = int(err.size)
    if n == 0:
        return {"bias_db": None, "sd_db": None, "median_abs_db": None, "n": 0}
    return {"bias_db": round(float(np.mean(err)), 2), "sd_db": round(float(np.std(err, ddof=1)), 2) if n > 1 else None,
            "median_abs_db": round(float(np.median(np.abs(err))), 2), "n": n}


def check_absorption(absorption: str) -> str:
    """``absorption`` if it names a method of :data:`corridor.channels.radio.hf.ABSORPTION_OPTIONS`,
    else a CorridorError naming the option and the choices."""
    from corridor.channels.radio import hf
    from corridor.errors import CorridorError

    if absorption not in hf.ABSORPTION_OPTIONS:
        raise CorridorError(f"unknown absorption method; one of {', '.join(hf.ABSORPTION_OPTIONS)}",
                            field="--absorption", value=absorption)
    return absorption


def compare_d1(path: Path | str, *, progress=None, absorption: str = "p533") -> Comparison:
    """Run the model on every usable path-month of a D1 file (see the module's procedure), with the
    absorption method ``absorption`` of :func:`corridor.channels.radio.hf.predict`
    (:data:`~corridor.channels.radio.hf.ABSORPTION_OPTIONS`; an unknown name raises CorridorError)."""
    from corridor.channels.radio import d1, geometry, hf, ionosphere

    check_absorption(absorption)

    paths, months, r12 = d1.read_d1(path)
    paths = paths.set_index("id")
    iso = lambda off, elev: np.zeros(np.broadcast(off, elev).shape)   # isotropic, 0 dBi
    hours = np.arange(1, 25) % 24
    cols = {k: [] for k in ("path_id", "distance_km", "freq_mhz", "day", "f_over_muf", "error_db", "solar_zenith_deg")}
    skipped = {"longer than 7000 km": 0, "long path": 0, "frequency outside 1.6-30 MHz": 0,
               "no sunspot number in Table 3": 0, "no measured hour": 0, "unknown path": 0}
    for i, row in enumerate(months.itertuples(index=False)):
        if progress is not None:
            progress(i, len(months))
        if row.id not in paths.index:
            skipped["unknown path"] += 1
            continue
        p = paths.loc[row.id]
        if p["dist_km"] > hf.MAX_PATH_KM:
            skipped["longer than 7000 km"] += 1
            continue
        if str(p["tx"]).endswith("LP"):
            skipped["long path"] += 1
            continue
        if not MIN_MHZ <= p["freq_mhz"] <= MAX_MHZ:
            skipped["frequency outside 1.6-30 MHz"] += 1
            continue
        meas = np.array([getattr(row, f"h{k:02d}") for k in range(1, 25)], dtype=float)
        ok = ~np.isnan(meas)
        if not ok.any():
            skipped["no measured hour"] += 1
            continue
        ssn = r12.get((int(row.year), int(row.month)))
        if ssn is None:
            skipped["no sunspot number in Table 3"] += 1
            continue
        pred = hf.predict(p["tx_lat"], p["tx_lon"], [p["rx_lat"]], [p["rx_lon"]], freq_mhz=float(p["freq_mhz"]),
                          month=int(row.month), utc_hours=hours, ssn=ssn, power_kw=1.0, gain=iso,
                          year=int(row.year), absorption=absorption)
        dist, az = geometry.great_circle(p["tx_lat"], p["tx_lon"], p["rx_lat"], p["rx_lon"])
        mid_lat, mid_lon = geometry.destination(p["tx_lat"], p["tx_lon"], az, dist / 2.0)
        zen = ionosphere.solar_zenith_deg(int(row.month), hours, np.atleast_1d(mid_lon), np.atleast_1d(mid_lat),
                                          year=int(row.year))[:, 0]
        n = int(ok.sum())
        cols["path_id"].append(np.full(n, int(row.id)))
        cols["distance_km"].append(np.full(n, float(p["dist_km"])))
        cols["freq_mhz"].append(np.full(n, float(p["freq_mhz"])))
        cols["day"].append(zen[ok] < 90.0)
        cols["f_over_muf"].append(float(p["freq_mhz"]) / pred.muf_mhz[ok, 0])
        cols["error_db"].append(pred.field_dbuv[ok, 0] - meas[ok])
        cols["solar_zenith_deg"].append(zen[ok])
    arrays = {k: (np.concatenate(v) if v else np.zeros(0)) for k, v in cols.items()}
    return Comparison(**arrays, absorption=absorption, skipped={k: v for k, v in skipped.items() if v})


def summary(c: Comparison) -> dict:
    """The figures of :func:`compare_d1`, in the JSON layout of ``corridor radio validate d1 --json``."""
    err = c.error_db
    per_path = np.array([err[c.path_id == pid].mean() for pid in np.unique(c.path_id)]) if err.size else np.zeros(0)
    paths = _stats(per_path)
    paths.pop("median_abs_db")
    cells = []
    for lo, hi, label in DISTANCE_BANDS:
        in_band = (c.distance_km > lo) & (c.distance_km <= hi)
        for name, sel in (("day", c.day), ("night", ~c.day)):
            s = _stats(err[in_band & sel])
            cells.append({"distance": label, "daynight": name, "n": s["n"], "bias_db": s["bias_db"],
                          "sd_db": s["sd_db"]})
    freq = []
    for lo, hi in FREQUENCY_BANDS:
        s = _stats(err[(c.freq_mhz >= lo) & (c.freq_mhz < hi)])
        freq.append({"band_mhz": f"{lo:g}-{hi:g}", **s})
    ratio = []
    for lo, hi in itertools.pairwise(MUF_RATIO_EDGES):
        s = _stats(err[(c.f_over_muf > lo) & (c.f_over_muf <= hi)])
        ratio.append({"f_over_muf": f"{lo:.1f}-{hi:.1f}" if math.isfinite(hi) else f">{lo:.1f}", **s})
    return {"absorption": c.absorption, "hourly": _stats(err), "paths": paths, "cells": cells,
            "frequency_bands": freq, "f_over_muf": ratio, "skipped": dict(c.skipped)}
