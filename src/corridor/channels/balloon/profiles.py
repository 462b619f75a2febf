"""Single-flight profiles in the form of the CUSF predictor Tawhiri, point by point.

* ``float_profile``: climb at a constant rate until the altitude reaches the float altitude, then
  float at the altitude where the climb stopped until the stop time (Tawhiri's
  ``models.float_profile``).
* ``standard_profile``: climb at a constant rate to the burst altitude, then fall with a drag
  descent whose sea-level speed is given, until the altitude goes below 0 m (flat ground at sea
  level; Tawhiri's ``models.standard_profile`` with terrain replaced by sea level, or on the
  ground of a given terrain field).

Each stage is integrated with :func:`corridor.channels.balloon.integrate.segment` and ends by
Tawhiri's bisection, so a track has the same rows as Tawhiri's output: the start, every 60 s
step, and the end point of each stage (the first row of a stage repeats the last of the one
before).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

import numpy as np
import pandas as pd

from corridor.channels.balloon import integrate
from corridor.channels.balloon.interpolation import FLAG_NAMES, WindArrays, wind_at
from corridor.channels.balloon.terrain import FLAT, Terrain
from corridor.errors import CorridorError

TRACK_COLUMNS = ["stage", "time_unix_s", "elapsed_s", "latitude_deg", "longitude_deg", "altitude_m"]


@dataclass(frozen=True)
class FlightInputs:
    """What a single prediction needs (units in the names)."""

    profile: Literal["float_profile", "standard_profile"]
    launch_latitude_deg: float
    launch_longitude_deg: float
    launch_altitude_m: float
    launch_time_unix_s: float
    ascent_rate_m_s: float
    float_altitude_m: float | None = None
    stop_time_unix_s: float | None = None
    burst_altitude_m: float | None = None
    sea_level_descent_rate_m_s: float | None = None
    member: int = 0
    source: str | None = field(default=None, compare=False)


@dataclass
class Track:
    """A predicted track: Tawhiri's columns, plus how often the wind was extrapolated."""

    rows: pd.DataFrame
    extrapolated_steps: dict[str, int]

    @property
    def final(self) -> pd.Series:
        return self.rows.iloc[-1]


def check_inputs(f: FlightInputs, wind: WindArrays) -> None:
    """Refuse a flight the field cannot carry: launch outside its area or time, a top above it."""
    src = f.source
    if not wind.covers(f.launch_latitude_deg, f.launch_longitude_deg):
        raise CorridorError("launch point is outside the wind field's area", source=src,
                            field="inputs.launch_latitude_deg/launch_longitude_deg",
                            value=(f.launch_latitude_deg, f.launch_longitude_deg))
    t0, t1 = wind.time_range()
    single = wind.times.size == 1
    if not single and not (t0 <= f.launch_time_unix_s <= t1):
        raise CorridorError("launch time is outside the wind field's time range", source=src,
                            field="inputs.launch_time_utc", value=_utc(f.launch_time_unix_s),
                            hint=f"field covers {_utc(t0)} to {_utc(t1)}")
    if f.ascent_rate_m_s <= 0:
        raise CorridorError("must be positive", source=src, field="inputs.ascent_rate_m_s", value=f.ascent_rate_m_s)
    top = float(np.min(wind.gh[f.member, :, -1]))
    if f.profile == "float_profile":
        if f.float_altitude_m is None or f.stop_time_unix_s is None:
            raise CorridorError("a float profile needs float_altitude_m and stop_time_unix_s",
                                source=src, field="inputs")
        if f.float_altitude_m > top:
            raise CorridorError(f"float altitude is above the wind field's top level ({top:.0f} m)",
                                source=src, field="inputs.float_altitude_m", value=f.float_altitude_m)
        if f.float_altitude_m <= f.launch_altitude_m:
            raise CorridorError("float altitude must be above the launch altitude", source=src,
                                field="inputs.float_altitude_m", value=f.float_altitude_m)
        if f.stop_time_unix_s <= f.launch_time_unix_s:
            raise CorridorError("stop time must be after the launch", source=src,
                                field="inputs.stop_time_unix_s", value=f.stop_time_unix_s)
        if not single and f.stop_time_unix_s > t1:
            raise CorridorError("the flight ends after the wind field's last time", source=src,
                                field="inputs.stop_time_unix_s", value=f.stop_time_unix_s,
                                hint=f"field ends {_utc(t1)}")
    elif f.profile == "standard_profile":
        if f.burst_altitude_m is None or f.sea_level_descent_rate_m_s is None:
            raise CorridorError("a standard profile needs burst_altitude_m and sea_level_descent_rate_m_s",
                                source=src, field="inputs")
        if f.burst_altitude_m > top:
            raise CorridorError(f"burst altitude is above the wind field's top level ({top:.0f} m)",
                                source=src, field="inputs.burst_altitude_m", value=f.burst_altitude_m)
        if f.sea_level_descent_rate_m_s <= 0:
            raise CorridorError("must be positive", source=src, field="inputs.sea_level_descent_rate_m_s",
                                value=f.sea_level_descent_rate_m_s)
    else:
        raise CorridorError("unknown profile", source=src, field="profile", value=f.profile,
                            hint="float_profile or standard_profile")


def _utc(t: float) -> str:
    return pd.Timestamp(t, unit="s", tz="UTC").strftime("%Y-%m-%dT%H:%MZ")


def predict(f: FlightInputs, wind: WindArrays, terrain: Terrain | None = None) -> Track:
    """One trajectory, Tawhiri-style (see the module doc), as a table in Tawhiri's columns.

    The descent of a standard profile ends at sea level, as in the Tawhiri reference runs, or
    on the ground of ``terrain`` when one is given (:func:`corridor.channels.balloon.terrain.korea`).
    """
    check_inputs(f, wind)
    W = wind.args
    G = (terrain or FLAT).args
    counts = np.zeros(4, dtype=np.int64)
    if f.profile == "float_profile":
        top_z = float(f.float_altitude_m)
        span = float(f.stop_time_unix_s) - f.launch_time_unix_s
    else:
        top_z = float(f.burst_altitude_m)
        span = 4 * top_z / f.ascent_rate_m_s + 4 * top_z / 0.5
    rec = np.empty((int(span / integrate.DT_S) + 4 + int(top_z / f.ascent_rate_m_s / integrate.DT_S), 4))
    t, lat, lon, z, hint, _, n0 = integrate.segment(
        W, G, f.member, f.launch_time_unix_s, f.launch_latitude_deg, f.launch_longitude_deg % 360.0,
        f.launch_altitude_m, 0, integrate.RATE, f.ascent_rate_m_s, 0.0, 0.0, 1e300, False,
        integrate.Z_AT_OR_ABOVE, top_z, 10**6, counts, rec, 0)
    stage0 = rec[:n0].copy()
    if f.profile == "float_profile":
        rec2 = np.empty((int(max(span, 0) / integrate.DT_S) + 4, 4))
        *_, n1 = integrate.segment(W, G, f.member, t, lat, lon, z, hint, integrate.RATE, 0.0, 0.0, 0.0,
                                   float(f.stop_time_unix_s), False, integrate.NO_EVENT, 0.0, 10**6,
                                   counts, rec2, 0)
    else:
        rec2 = np.empty((int(span / integrate.DT_S) + 4, 4))
        *_, n1 = integrate.segment(W, G, f.member, t, lat, lon, z, hint, integrate.DRAG,
                                   float(f.sea_level_descent_rate_m_s), 0.0, 0.0, 1e300, False,
                                   integrate.Z_BELOW, 0.0, 10**6, counts, rec2, 0)
    stage1 = rec2[:n1]
    rows = np.vstack([stage0, stage1])
    stage = np.r_[np.zeros(len(stage0), int), np.ones(len(stage1), int)]
    df = pd.DataFrame({"stage": stage, "time_unix_s": rows[:, 0],
                       "elapsed_s": rows[:, 0] - f.launch_time_unix_s, "latitude_deg": rows[:, 1],
                       "longitude_deg": rows[:, 2], "altitude_m": rows[:, 3]})
    return Track(df, {FLAG_NAMES[1 << b]: int(counts[b]) for b in range(4)})


def below_lowest_level(track: Track, wind: WindArrays, member: int = 0) -> np.ndarray:
    """Which track points lie below the field's lowest level (there the wind is extrapolated)."""
    r = track.rows
    _, _, flags = wind_at(wind, r.time_unix_s.values, r.latitude_deg.values, r.longitude_deg.values,
                          r.altitude_m.values, member)
    return (flags & 1).astype(bool)
