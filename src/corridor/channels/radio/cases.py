"""Prediction cases in the VOACAP area-case format: read a case, predict, write the same columns.

A case file (JSON) names the transmitter (``lat_deg``, ``lon_deg``, ``power_kw``, ``antenna``),
the receiver grid (``lat_min`` … ``step_deg``), ``frequency_mhz``, ``month``, ``ssn_r12``,
``utc_hours``, the man-made noise, the required SNR in dB-Hz and the minimum take-off angle.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

from corridor.channels.radio import antennas, geometry, hf
from corridor.errors import CorridorError

COLUMNS = ["lat", "lon", "utc_hour", "muf_mhz", "mode", "takeoff_deg", "field_dbuv_per_m", "snr_db", "rel",
           "snr90_db", "mufday", "loss_db", "s_dbw", "n_dbw", "tx_gain_dbi", "rx_gain_dbi", "delay_ms",
           "vheight_km"]
#: VOACAP man-made noise settings (dBW in 1 Hz at 3 MHz) and the P.372 environments they name.
NOISE_BY_DBW = {-136.0: "city", -140.0: "residential", -145.0: "residential", -150.0: "rural",
                -164.0: "quiet_rural"}
_ENVIRONMENTS = ("city", "residential", "rural", "quiet_rural")
#: Largest receiver grid of one case (the prediction holds several arrays of points × hours × modes).
MAX_POINTS = 20_000


def _get(data: dict, path: str, source: str, kind=float) -> Any:
    cur: Any = data
    for part in path.split("."):
        if not isinstance(cur, dict) or part not in cur:
            raise CorridorError("missing field", source=source, field=path)
        cur = cur[part]
    try:
        return kind(cur)
    except (TypeError, ValueError):
        raise CorridorError(f"expected a {kind.__name__}", source=source, field=path, value=cur) from None


def _check(ok: bool, message: str, source: str, field: str, value: Any) -> None:
    if not ok:
        raise CorridorError(message, source=source, field=field, value=value)


def parse_case(data: dict, source: str = "case") -> dict:
    """Validate a case mapping into keyword arguments for :func:`predict_case`."""
    tx = data.get("transmitter")
    _check(isinstance(tx, dict), "missing or not a mapping", source, "transmitter", tx)
    lat = _get(data, "transmitter.lat_deg", source)
    lon = _get(data, "transmitter.lon_deg", source)
    _check(-90 <= lat <= 90, "latitude must be within −90…90°", source, "transmitter.lat_deg", lat)
    _check(-180 <= lon <= 360, "longitude must be within −180…360°", source, "transmitter.lon_deg", lon)
    power = _get(data, "transmitter.power_kw", source)
    _check(0 < power <= 5000, "power must be above 0 and at most 5000 kW", source, "transmitter.power_kw", power)
    freq = _get(data, "frequency_mhz", source)
    _check(1.6 <= freq <= 30.0, "HF sky-wave prediction needs 1.6–30 MHz", source, "frequency_mhz", freq)
    month = _get(data, "month", source, int)
    _check(1 <= month <= 12, "month must be 1–12", source, "month", month)
    ssn = _get(data, "ssn_r12", source)
    _check(0 <= ssn <= 300, "sunspot number R12 must be 0–300", source, "ssn_r12", ssn)
    hours = data.get("utc_hours", list(range(24)))
    _check(isinstance(hours, list) and len(hours) > 0, "must be a list of hours", source, "utc_hours", hours)
    for h in hours:
        _check(isinstance(h, (int, float)) and 0 <= h <= 24, "UTC hour must be 0–24", source, "utc_hours", h)
    ant = tx.get("antenna", {}) or {}
    kind = str(ant.get("type", "isotropic_constant_gain"))
    kinds = {"isotropic_constant_gain": "isotropic", "isotropic": "isotropic", "azimuthal_beam_type13": "beam",
             "beam": "beam", "dipole": "dipole", "curtain": "curtain"}
    _check(kind in kinds, "unknown antenna type", source, "transmitter.antenna.type", kind)
    grid = data.get("receiver", {}).get("grid", {})
    g = {k: _get(data, f"receiver.grid.{k}", source) for k in ("lat_min", "lat_max", "lon_min", "lon_max", "step_deg")}
    _check(g["step_deg"] > 0, "must be positive", source, "receiver.grid.step_deg", g["step_deg"])
    _check(g["lat_min"] <= g["lat_max"], "lat_min is above lat_max", source, "receiver.grid.lat_min", g["lat_min"])
    _check(g["lon_min"] <= g["lon_max"], "lon_min is above lon_max", source, "receiver.grid.lon_min", g["lon_min"])
    lat_pts, lon_pts = grid_points(g)
    _check(lat_pts.size <= MAX_POINTS, f"the grid has {lat_pts.size:,} points; at most {MAX_POINTS:,} in one case",
           source, "receiver.grid.step_deg", g["step_deg"])
    dist, _ = geometry.great_circle(lat, lon, lat_pts, lon_pts)
    _check(float(dist.max()) <= hf.MAX_PATH_KM,
           f"the farthest grid point is {float(dist.max()):,.0f} km away; the P.533 short-path method covers "
           f"{hf.MAX_PATH_KM:,.0f} km (check the signs: east longitude and north latitude are positive)",
           source, "transmitter.lat_deg/lon_deg", (lat, lon))
    noise_cfg = data.get("noise", {}) or {}
    env = noise_cfg.get("man_made_category")
    if env is None and "man_made_dbw_in_1hz_at_3mhz" in noise_cfg:
        env = NOISE_BY_DBW.get(float(noise_cfg["man_made_dbw_in_1hz_at_3mhz"]), "residential")
    env = env or "residential"
    _check(env in _ENVIRONMENTS, "unknown man-made noise category", source, "noise.man_made_category", env)
    del grid
    return {"tx_lat": lat, "tx_lon": lon, "power_kw": power, "freq_mhz": freq, "month": month, "ssn": ssn,
            "utc_hours": [int(h) % 24 for h in hours], "antenna": {"kind": kinds[kind], **ant}, "grid": g,
            "environment": env, "required_snr_db_hz": float(data.get("required_snr_db_hz", 73.0)),
            "year": int(data.get("year", 2024)), "rx_gain_dbi": float(
                data.get("receiver", {}).get("antenna", {}).get("gain_dbi", 0.0))}


def gain_function(antenna: dict, freq_mhz: float) -> tuple[hf.GainFunction, float]:
    """The transmit gain function of a case's antenna and its boresight azimuth."""
    kind = antenna["kind"]
    g0 = float(antenna.get("gain_dbi", 0.0))
    az = float(antenna.get("azimuth_deg", 0.0))
    kw = {"gain_dbi_": g0, "beamwidth_deg": float(antenna.get("beamwidth_3db_deg", antenna.get("beamwidth_deg", 60.0))),
          "max_attenuation_db": float(antenna.get("max_attenuation_db", 20.0)), "freq_mhz": freq_mhz,
          "design_mhz": antenna.get("design_mhz"), "width": int(antenna.get("width", 4)),
          "height": int(antenna.get("height", 4)), "height_wavelengths": float(antenna.get("height_wavelengths", 0.5))}
    return (lambda off, elev: antennas.gain_dbi(kind, off, elev, **kw)), az


def grid_points(g: dict) -> tuple[np.ndarray, np.ndarray]:
    lats = np.round(np.arange(g["lat_min"], g["lat_max"] + g["step_deg"] / 2, g["step_deg"]), 6)
    lons = np.round(np.arange(g["lon_min"], g["lon_max"] + g["step_deg"] / 2, g["step_deg"]), 6)
    la, lo = np.meshgrid(lats, lons, indexing="ij")
    return la.ravel(), lo.ravel()


def predict_table(case: dict) -> dict[str, np.ndarray]:
    """Predict a parsed case: one array per column of :data:`COLUMNS`, a row per grid point and
    hour, sorted by hour, lat, lon, at the precision the reference cases print."""
    lat, lon = grid_points(case["grid"])
    gain, az = gain_function(case["antenna"], case["freq_mhz"])
    if case["antenna"]["kind"] == "isotropic":
        az = 0.0
    p = hf.predict(case["tx_lat"], case["tx_lon"], lat, lon, freq_mhz=case["freq_mhz"], month=case["month"],
                   utc_hours=case["utc_hours"], ssn=case["ssn"], power_kw=case["power_kw"], gain=gain,
                   azimuth_deg=az, rx_gain_dbi=case["rx_gain_dbi"], environment=case["environment"],
                   required_snr_db_hz=case["required_snr_db_hz"], year=case["year"])
    h = len(p.utc_hours)
    rep = lambda a: np.tile(a, h)
    table = {
        "lat": rep(lat), "lon": rep(lon), "utc_hour": np.repeat(p.utc_hours.astype(int), lat.size),
        "muf_mhz": p.muf_mhz.ravel().round(2), "mode": p.mode.ravel(), "takeoff_deg": p.takeoff_deg.ravel().round(2),
        "field_dbuv_per_m": p.field_dbuv.ravel().round(1), "snr_db": p.snr_db.ravel().round(1),
        "rel": p.reliability.ravel().round(3), "snr90_db": p.snr90_db.ravel().round(1),
        "mufday": p.mufday.ravel().round(3), "loss_db": p.loss_db.ravel().round(1),
        "s_dbw": p.signal_dbw.ravel().round(1), "n_dbw": p.noise_dbw.ravel().round(1),
        "tx_gain_dbi": p.tx_gain_dbi.ravel().round(2), "rx_gain_dbi": np.full(lat.size * h, float(case["rx_gain_dbi"])),
        "delay_ms": p.delay_ms.ravel().round(2), "vheight_km": p.vheight_km.ravel().round(1)}
    order = np.lexsort((table["lon"], table["lat"], table["utc_hour"]))     # stable: repeated hours keep their order
    return {c: table[c][order] for c in COLUMNS}


def table_shape(table: dict[str, np.ndarray]) -> tuple[int, int, int, int]:
    """Rows and the numbers of distinct latitudes, longitudes and hours of a :func:`predict_table` result."""
    return (len(table["lat"]), *(int(np.unique(table[c]).size) for c in ("lat", "lon", "utc_hour")))


def predict_case(case: dict):
    """Predict a parsed case as a pandas DataFrame (:func:`predict_table`'s columns)."""
    import pandas as pd

    return pd.DataFrame(predict_table(case))


def write_csv(table: dict[str, np.ndarray], path: Path | str) -> None:
    """Write a :func:`predict_table` result as CSV, exactly as pandas' ``DataFrame.to_csv(path, index=False)``
    writes it (shortest round-trip decimal of each value, empty cell for NaN), without loading pandas."""
    import csv
    import math
    import os

    cells = []
    for column in table.values():
        values = np.asarray(column)
        if values.dtype.kind == "f":     # Python's repr is NumPy's str of a float64: the shortest round trip
            cells.append(["" if math.isnan(v) else repr(v) for v in values.tolist()])
        else:
            cells.append(values.astype(str).tolist())
    with open(path, "w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f, lineterminator=os.linesep)
        writer.writerow(list(table))
        writer.writerows(zip(*cells))


def read_case(path: Path | str) -> dict:
    from corridor.channels.files import read_mapping

    return parse_case(read_mapping(path), source=str(path))
