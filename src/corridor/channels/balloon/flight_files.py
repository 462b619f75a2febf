"""Flight files in the Tawhiri reference format: reading the inputs, writing tracks.

A flight file is JSON with ``profile`` (``float_profile`` or ``standard_profile``) and
``inputs`` (``launch_latitude_deg``, ``launch_longitude_deg``, ``launch_altitude_m``,
``launch_time_unix_s`` or ``launch_time_utc``, ``ascent_rate_m_s``; float: ``float_altitude_m``
and ``stop_time_unix_s``/``stop_time_utc``/``stop_hours_after_launch``; standard:
``burst_altitude_m``, ``sea_level_descent_rate_m_s``). A track is CSV with the columns
``stage, time_unix_s, elapsed_s, latitude_deg, longitude_deg, altitude_m``.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from corridor.atomic import atomic_path
from corridor.channels.files import read_mapping
from corridor.errors import CorridorError

if TYPE_CHECKING:  # the flight model loads pandas, xarray and Numba; a file is read (and refused) first
    import pandas as pd

    from corridor.channels.balloon.profiles import FlightInputs


def _number(inputs: dict, key: str, source: str, *, required: bool = True) -> float | None:
    if key not in inputs or inputs[key] is None:
        if required:
            raise CorridorError("missing", source=source, field=f"inputs.{key}")
        return None
    value = inputs[key]
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise CorridorError("must be a finite number", source=source, field=f"inputs.{key}", value=value)
    return float(value)


def _time(inputs: dict, unix_key: str, utc_key: str, source: str, *, required: bool = True) -> float | None:
    if inputs.get(unix_key) is not None:
        return _number(inputs, unix_key, source)
    if inputs.get(utc_key) is not None:
        import pandas as pd

        try:
            ts = pd.Timestamp(inputs[utc_key])
        except (ValueError, TypeError):
            raise CorridorError("not a date and time", source=source, field=f"inputs.{utc_key}",
                                value=inputs[utc_key]) from None
        ts = ts.tz_localize("UTC") if ts.tzinfo is None else ts.tz_convert("UTC")
        return ts.value / 1e9
    if required:
        raise CorridorError("missing", source=source, field=f"inputs.{unix_key}")
    return None


def read_flight(path: Path | str) -> FlightInputs:
    """Read a flight file's inputs (see the module doc); errors name the file and field."""
    source = str(path)
    data = read_mapping(path)
    from corridor.channels.balloon.profiles import FlightInputs

    inputs = data.get("inputs")
    if not isinstance(inputs, dict):
        raise CorridorError("expected an 'inputs' mapping", source=source, field="inputs")
    profile = data.get("profile", inputs.get("profile"))
    if profile not in ("float_profile", "standard_profile"):
        raise CorridorError("unknown profile", source=source, field="profile", value=profile,
                            hint="float_profile or standard_profile")
    lat = _number(inputs, "launch_latitude_deg", source)
    if not -90 <= lat <= 90:
        raise CorridorError("must be between -90 and 90", source=source,
                            field="inputs.launch_latitude_deg", value=lat)
    launch = _time(inputs, "launch_time_unix_s", "launch_time_utc", source)
    common = dict(profile=profile, launch_latitude_deg=lat,
                  launch_longitude_deg=_number(inputs, "launch_longitude_deg", source),
                  launch_altitude_m=_number(inputs, "launch_altitude_m", source, required=False) or 0.0,
                  launch_time_unix_s=launch, ascent_rate_m_s=_number(inputs, "ascent_rate_m_s", source),
                  source=source)
    if profile == "float_profile":
        stop = _time(inputs, "stop_time_unix_s", "stop_time_utc", source, required=False)
        if stop is None:
            hours = _number(inputs, "stop_hours_after_launch", source)
            stop = launch + hours * 3600.0
        return FlightInputs(**common, float_altitude_m=_number(inputs, "float_altitude_m", source),
                            stop_time_unix_s=stop)
    return FlightInputs(**common, burst_altitude_m=_number(inputs, "burst_altitude_m", source),
                        sea_level_descent_rate_m_s=_number(inputs, "sea_level_descent_rate_m_s", source))


def reference_rows(path: Path | str) -> pd.DataFrame:
    """The trajectory stored in a reference flight file, as a table in the track columns."""
    import pandas as pd

    from corridor.channels.balloon.profiles import TRACK_COLUMNS

    data = read_mapping(path)
    rows = np.asarray(data["trajectory"]["rows"], dtype=float)
    df = pd.DataFrame(rows, columns=TRACK_COLUMNS)
    df["stage"] = df["stage"].astype(int)
    return df


def write_track(rows: pd.DataFrame, out: Path | str) -> Path:
    """Write a track as CSV (all digits kept: shortest text that reads back to the same double)."""
    from corridor.channels.balloon.profiles import TRACK_COLUMNS

    with atomic_path(out) as tmp:
        rows[TRACK_COLUMNS].to_csv(tmp, index=False, float_format=None)
    return Path(out)
