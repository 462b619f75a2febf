"""Comparing predicted tracks with reference tracks: landing distance and track deviation."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
from pyproj import Geod

from corridor.channels.balloon.interpolation import WindArrays
from corridor.channels.balloon.profiles import predict
from corridor.channels.balloon.flight_files import read_flight, reference_rows
from corridor.channels.balloon.windfield import open_wind
from corridor.channels.files import read_mapping

#: The sphere Tawhiri integrates on (R = 6 371 009 m), for distances between track points.
SPHERE = Geod(a=6371009.0, b=6371009.0)


@dataclass(frozen=True)
class Comparison:
    flight_id: str
    profile: str
    range_km: float
    landing_distance_m: float
    max_track_deviation_m: float
    final_altitude_difference_m: float
    rows: int
    reference_rows: int


def compare_tracks(ours: pd.DataFrame, ref: pd.DataFrame) -> tuple[float, float, float]:
    """End-point distance (m), largest distance at equal times (m), end altitude difference (m).

    Our position is interpolated linearly in time at each reference row's time, stage by stage,
    so tracks with different row counts still compare.
    """
    dev = []
    for stage, r in ref.groupby("stage"):
        o = ours[ours.stage == stage]
        lat = np.interp(r.time_unix_s, o.time_unix_s, o.latitude_deg)
        lon = np.interp(r.time_unix_s, o.time_unix_s, o.longitude_deg)
        dev.append(SPHERE.inv(lon, lat, r.longitude_deg.values, r.latitude_deg.values)[2])
    end_o, end_r = ours.iloc[-1], ref.iloc[-1]
    land = SPHERE.inv(end_o.longitude_deg, end_o.latitude_deg, end_r.longitude_deg, end_r.latitude_deg)[2]
    return float(land), float(np.max(np.concatenate(dev))), float(end_o.altitude_m - end_r.altitude_m)


def validate_folder(folder: Path, wind_folder: Path) -> list[Comparison]:
    """Predict every ``*.json`` reference flight in ``folder`` and compare it with the reference."""
    winds: dict[str, WindArrays] = {}
    out = []
    for path in sorted(folder.glob("*.json")):
        data = read_mapping(path)
        name = Path(data["wind_field"]["file"]).name
        if name not in winds:
            winds[name] = WindArrays.from_dataset(open_wind(wind_folder / name))
        flight = read_flight(path)
        track = predict(flight, winds[name])
        ref = reference_rows(path)
        land, dev, dz = compare_tracks(track.rows, ref)
        r0 = ref.iloc[0]
        rng = SPHERE.inv(r0.longitude_deg, r0.latitude_deg, ref.iloc[-1].longitude_deg,
                         ref.iloc[-1].latitude_deg)[2] / 1000.0
        out.append(Comparison(data.get("flight_id", path.stem), data["profile"], float(rng), land, dev, dz,
                              len(track.rows), len(ref)))
    return out
