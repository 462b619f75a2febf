"""Launch windows: where leaflets would land for every launch hour of a forecast.

For each candidate hour a small ensemble of single balloons is flown (each balloon its own draw
of the uncertain inputs, :class:`~corridor.channels.balloon.ensemble.Assumptions`). The share of
leaflets landing in the South, the North, the sea and China is averaged over the ensemble; its
90 % interval comes from resampling the balloons (bootstrap, 400 resamples). A field with a
single time step is held constant, so every hour then gives the same answer.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from corridor.channels.balloon import landing
from corridor.channels.balloon.ensemble import Assumptions, LaunchPlan, fly
from corridor.channels.balloon.interpolation import WindArrays
from corridor.errors import CorridorError


def candidate_hours(wind: WindArrays, last_timer_h: float, *, persistence_hours: int = 24) -> np.ndarray:
    """Whole launch hours (UNIX s) whose last timer still falls inside the field's time range."""
    t0, t1 = wind.time_range()
    first = np.ceil(t0 / 3600.0) * 3600.0
    if wind.times.size == 1:
        return first + 3600.0 * np.arange(persistence_hours)
    last = t1 - last_timer_h * 3600.0
    if last < first:
        raise CorridorError("the wind field is shorter than the flight", field="timers_h",
                            value=last_timer_h, hint="use a longer forecast or earlier timers")
    return np.arange(first, last + 1.0, 3600.0)


def safest(table: pd.DataFrame) -> pd.Series:
    """The launch hour of :func:`scan`'s table that sends the smallest share of leaflets South
    (ties: the larger share North)."""
    return table.sort_values(["south", "north"], ascending=[True, False]).iloc[0]


def scan(wind: WindArrays, lat_deg: float, lon_deg: float, *, float_altitude_m: float,
         timers_h: tuple[float, ...], launch_altitude_m: float = 50.0, balloons: int = 40,
         parcels_per_release: int = 12, assumptions: Assumptions | None = None, seed: int = 0,
         hours: np.ndarray | None = None) -> pd.DataFrame:
    """One row per launch hour: mean share of leaflets per landing class and its 90 % interval.

    Columns ``<class>`` (mean), ``<class>_lower90``, ``<class>_upper90`` for class in
    :data:`landing.CLASSES`, ``envelope_south`` (share of balloons coming down in the South),
    ``launch_time_utc`` and ``launch_time_unix_s``.
    """
    if hours is None:
        hours = candidate_hours(wind, max(timers_h))
    rng = np.random.default_rng(seed)
    rows = []
    for i, t in enumerate(hours):
        plan = LaunchPlan(lat_deg=lat_deg, lon_deg=lon_deg, launch_time_unix_s=float(t), balloons=1,
                          leaflets_per_balloon=1.0, float_altitude_m=float_altitude_m,
                          timers_h=tuple(timers_h), launch_altitude_m=launch_altitude_m)
        res = fly(plan, wind, draws=balloons, parcels_per_release=parcels_per_release,
                  assumptions=assumptions, seed=seed + i)
        cls = landing.classify(res.parcel_lon, res.parcel_lat)
        sh = landing.shares(cls, res.parcel_leaflets, res.parcel_draw, balloons)
        env = landing.classify(res.envelope_lon.ravel(), res.envelope_lat.ravel())
        boot = rng.integers(0, balloons, size=(400, balloons))
        row = {"launch_time_unix_s": float(t),
               "launch_time_utc": pd.Timestamp(t, unit="s", tz="UTC").strftime("%Y-%m-%dT%H:%MZ"),
               "envelope_south": float(np.mean(env == "south"))}
        for c in landing.CLASSES:
            means = sh[c][boot].mean(axis=1)
            row[c] = float(sh[c].mean())
            row[f"{c}_lower90"], row[f"{c}_upper90"] = (float(x) for x in np.percentile(means, [5, 95]))
        rows.append(row)
    return pd.DataFrame(rows)
