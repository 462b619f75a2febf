"""Upper-air wind fields as :class:`xarray.Dataset`: reading GRIB2 and NetCDF, and checking them.

Every model in this package receives a *normalised* Dataset, never a path:

* variables ``gh`` (geopotential height, m; geopotential metres are used as metres above mean
  sea level, as in Tawhiri), ``u`` and ``v`` (eastward and northward wind, m/s);
* dimensions ``(member, time, level, latitude, longitude)``: ``member`` numbers forecast members
  (size 1 for a deterministic forecast), ``time`` is the valid time (UTC, ascending), ``level``
  is pressure in hPa from the ground upwards (descending pressure), latitude and longitude are
  ascending, regularly spaced degrees (longitude east, 0-360).

Readers accept what NOAA GFS (NOMADS ``filter_gfs_0p25.pl``) and ECMWF open data deliver: one
or several GRIB2 files (read with cfgrib, whose ``eccodes`` wheel bundles the C library) or
NetCDF files, and the usual variable names (``gh``/``z``/``HGT``, ``u``/``UGRD``, ``v``/``VGRD``).
A file without u, v or geopotential height is a :class:`~corridor.errors.CorridorError` naming it.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd
import xarray as xr

from corridor.errors import CorridorError

#: Standard gravity (m/s²), to turn geopotential (m²/s²) into geopotential metres (WMO No. 8).
G0 = 9.80665

_NAMES = {
    "gh": ("gh", "hgt", "HGT", "geopotential_height", "z", "Z", "geopotential", "zg"),
    "u": ("u", "ugrd", "UGRD", "u_component_of_wind", "ua", "U"),
    "v": ("v", "vgrd", "VGRD", "v_component_of_wind", "va", "V"),
}
_LEVEL_DIMS = ("isobaricInhPa", "level", "pressure", "plev", "pressure_level", "lev", "isobaricInPa")
_LAT_DIMS = ("latitude", "lat", "y")
_LON_DIMS = ("longitude", "lon", "x")
_MEMBER_DIMS = ("number", "member", "realization", "ensemble")
_GRIB_SUFFIXES = (".grib2", ".grib", ".grb2", ".grb", ".gr2")


def open_wind(paths: str | Path | Sequence[str | Path]) -> xr.Dataset:
    """Read one or several wind files (GRIB2 or NetCDF) into one normalised Dataset.

    Several files are sorted into *runs*: files whose valid times do not overlap (one file per
    forecast hour of one run, say) are joined along valid time; files that cover the same valid
    times (forecasts from different cycles valid at the launch, or members of an ensemble) become
    separate forecast members, kept on the valid times they all share. The ensemble then spreads
    its draws evenly over the members (:func:`corridor.channels.balloon.ensemble.fly`). The data
    are loaded into memory; ``attrs["member_sources"]`` names the file(s) behind each member
    (separated by "; ").
    """
    if isinstance(paths, (str, Path)):
        paths = [paths]
    if not paths:
        raise CorridorError("no wind file given", field="--wind")
    parts = [normalize_wind(_read_one(Path(p)), source=str(p)) for p in paths]
    if len(parts) == 1:
        out = parts[0]
        out.attrs["member_sources"] = "; ".join([out.attrs["source"]] * out.sizes["member"])
        return out
    runs = _group_runs(parts)
    joined = [_join_along_time(run) for run in runs]
    if len(joined) == 1:
        out = joined[0]
        out.attrs["member_sources"] = "; ".join([out.attrs["source"]] * out.sizes["member"])
        return out
    return _stack_members(joined)


def _group_runs(parts: list[xr.Dataset]) -> list[list[xr.Dataset]]:
    """Greedy: each file joins the first run none of whose valid times it repeats."""
    runs: list[list[xr.Dataset]] = []
    seen: list[set] = []
    for ds in sorted(parts, key=lambda d: d["time"].values[0]):
        times = set(ds["time"].values.tolist())
        for run, have in zip(runs, seen):
            if not times & have:
                run.append(ds)
                have |= times
                break
        else:
            runs.append([ds])
            seen.append(set(times))
    return runs


def _join_along_time(run: list[xr.Dataset]) -> xr.Dataset:
    source = ", ".join(d.attrs.get("source", "") for d in run)
    if len(run) == 1:
        return run[0]
    try:
        joined = xr.combine_by_coords(run, combine_attrs="drop_conflicts", join="exact")
    except ValueError as exc:
        raise CorridorError(f"the wind files do not fit together ({exc})", field="--wind",
                            value=[d.attrs.get("source") for d in run]) from None
    return normalize_wind(joined, source=source)


def _stack_members(runs: list[xr.Dataset]) -> xr.Dataset:
    """Forecast runs covering the same valid times as members, on the times they all share."""
    names = [r.attrs.get("source", "") for r in runs]
    common = runs[0]["time"].values
    for r in runs[1:]:
        common = np.intersect1d(common, r["time"].values)
    if common.size == 0:
        raise CorridorError("the forecast runs share no valid time", field="--wind", value=names,
                            hint="give runs that are all valid at the launch time")
    first = runs[0]
    for r, name in zip(runs[1:], names[1:]):
        for dim in ("level", "latitude", "longitude"):
            if r.sizes[dim] != first.sizes[dim] or not np.allclose(r[dim].values, first[dim].values):
                raise CorridorError(f"this run's {dim} grid differs from the first run's", source=name,
                                    field=dim, hint="give runs on the same levels and grid")
    picked = [r.sel(time=common) for r in runs]
    stacked = xr.concat(picked, dim="member", coords="minimal", compat="override", join="override",
                        combine_attrs="drop")
    stacked = stacked.assign_coords(member=np.arange(stacked.sizes["member"]))
    out = normalize_wind(stacked, source=", ".join(names))
    out.attrs["member_sources"] = "; ".join(n for r, n in zip(runs, names) for _ in range(r.sizes["member"]))
    return out


def _read_one(path: Path) -> xr.Dataset:
    if not path.is_file():
        raise CorridorError("no such wind file", source=str(path))
    with path.open("rb") as fh:
        magic = fh.read(4)
    if magic == b"GRIB" or path.suffix.lower() in _GRIB_SUFFIXES:
        return _read_grib(path)
    try:
        with xr.open_dataset(path) as ds:
            return ds.load()
    except Exception as exc:  # noqa: BLE001  (any reader failure is a bad file for the user)
        raise CorridorError(f"not a readable NetCDF or GRIB2 file ({type(exc).__name__})",
                            source=str(path)) from None


def _read_grib(path: Path) -> xr.Dataset:
    """Read gh, u and v on isobaric levels with cfgrib, one variable at a time.

    Opening variable by variable avoids cfgrib's noisy "skipping variable" reports for fields on
    other level sets (humidity, ozone) that a GFS file also holds.
    """
    import logging

    logging.getLogger("cfgrib").setLevel(logging.ERROR)
    found = {}
    for short in ("gh", "z", "u", "v"):
        try:
            ds = xr.open_dataset(path, engine="cfgrib", decode_timedelta=True, backend_kwargs={
                "indexpath": "", "filter_by_keys": {"typeOfLevel": "isobaricInhPa", "shortName": short}})
        except Exception as exc:  # noqa: BLE001
            raise CorridorError(f"not a readable GRIB2 file ({type(exc).__name__}: {exc})",
                                source=str(path)) from None
        if short in ds.data_vars:
            found[short] = ds.load()
        ds.close()
    if not found:
        raise CorridorError("no u, v or geopotential height on isobaric levels in this GRIB file",
                            source=str(path), field="variables")
    merged = xr.merge(list(found.values()), compat="override", join="outer")
    return merged


def _pick(ds: xr.Dataset, names: Sequence[str]) -> str | None:
    for name in names:
        if name in ds.variables:
            return name
    return None


def normalize_wind(ds: xr.Dataset, *, source: str | None = None) -> xr.Dataset:
    """Bring a wind Dataset to the shape and units every model here expects (see the module doc).

    Raises :class:`CorridorError` if u, v or geopotential height is missing, if there are no
    pressure levels, or if the latitude/longitude grid is not regular.
    """
    out = {}
    for key, names in _NAMES.items():
        name = _pick(ds, names)
        if name is None:
            raise CorridorError(f"the wind field has no {'geopotential height' if key == 'gh' else key} "
                                f"(looked for {', '.join(names[:4])})", source=source, field=key)
        da = ds[name]
        if key == "gh":
            units = str(da.attrs.get("units", "")).replace(" ", "").lower()
            if name in ("z", "Z", "geopotential") or units in ("m**2s**-2", "m2s-2", "m^2/s^2", "m2/s2"):
                da = da / G0
        out[key] = da
    renames = {}
    sample = out["u"]
    level = next((d for d in _LEVEL_DIMS if d in sample.dims or d in sample.coords), None)
    if level is None:
        raise CorridorError("the wind field has no pressure-level coordinate", source=source,
                            field="level", hint="expected one of " + ", ".join(_LEVEL_DIMS[:4]))
    renames[level] = "level"
    lat = next((d for d in _LAT_DIMS if d in sample.dims), None)
    lon = next((d for d in _LON_DIMS if d in sample.dims), None)
    if lat is None or lon is None:
        raise CorridorError("the wind field needs latitude and longitude dimensions", source=source,
                            field="latitude/longitude")
    renames[lat], renames[lon] = "latitude", "longitude"
    member = next((d for d in _MEMBER_DIMS if d in sample.dims), None)
    if member:
        renames[member] = "member"
    new = xr.Dataset({k: v.rename({a: b for a, b in renames.items() if a in v.dims or a in v.coords})
                      for k, v in out.items()})
    new = _valid_time(new, source)
    if "level" not in new.dims:
        new = new.expand_dims("level")
    if "member" not in new.dims:
        new = new.expand_dims("member")
    if level == "isobaricInPa" or float(new["level"].max()) > 2000:
        new = new.assign_coords(level=new["level"] / 100.0)
    keep = {"member", "time", "level", "latitude", "longitude"}
    new = new.drop_vars([c for c in new.coords if c not in keep])
    new = new.assign_coords(longitude=np.mod(new["longitude"].values, 360.0))
    new = new.sortby("longitude").sortby("latitude").sortby("time").sortby("level", ascending=False)
    new = new.transpose("member", "time", "level", "latitude", "longitude")
    for key in ("gh", "u", "v"):
        new[key] = new[key].astype(np.float32)
        if not np.isfinite(new[key].values).all():
            raise CorridorError(f"the wind field has missing values in {key}", source=source, field=key)
    _check_regular(new["latitude"].values, "latitude", source)
    _check_regular(new["longitude"].values, "longitude", source)
    if new.sizes["level"] < 2:
        raise CorridorError("the wind field needs at least two pressure levels", source=source,
                            field="level", value=new["level"].values.tolist())
    if np.any(np.diff(new["gh"].values, axis=2) <= 0):
        raise CorridorError("geopotential height does not rise with level everywhere", source=source,
                            field="gh")
    new.attrs = {"source": source or ds.attrs.get("source", "")}
    return new


def _valid_time(ds: xr.Dataset, source: str | None) -> xr.Dataset:
    """One ``time`` dimension holding the valid time (cfgrib gives run ``time`` + ``step``)."""
    if "valid_time" in ds.coords:
        vt = ds["valid_time"]
        if vt.ndim == 0:
            ds = ds.drop_vars([c for c in ("time", "step") if c in ds.coords])
            ds = ds.drop_vars("valid_time").expand_dims(time=[vt.values])
        elif vt.ndim == 1:
            dim = vt.dims[0]
            ds = ds.drop_vars([c for c in ("time", "step") if c in ds.coords and c != dim])
            ds = ds.swap_dims({dim: "valid_time"}).drop_vars(dim, errors="ignore").rename(valid_time="time")
        else:
            raise CorridorError("give one forecast run at a time (run × step grids are not supported)",
                                source=source, field="valid_time")
    elif "time" not in ds.dims:
        if "time" in ds.coords:
            ds = ds.expand_dims(time=[ds["time"].values]) if ds["time"].ndim == 0 else ds
        else:
            raise CorridorError("the wind field has no time coordinate", source=source, field="time")
    times = pd.to_datetime(ds["time"].values)
    if times.has_duplicates:
        raise CorridorError("the wind field repeats a valid time", source=source, field="time")
    return ds


def _check_regular(values: np.ndarray, name: str, source: str | None) -> None:
    if values.size < 2:
        raise CorridorError(f"the wind field needs at least two {name} values", source=source,
                            field=name)
    step = np.diff(values)
    if np.ptp(step) > 1e-6 * max(1.0, abs(step[0])):
        raise CorridorError(f"the {name} grid is not regular", source=source, field=name)


def crop(ds: xr.Dataset, lat: tuple[float, float] = (30.0, 45.0),
         lon: tuple[float, float] = (118.0, 135.0)) -> xr.Dataset:
    """The Korean box of a normalised field (keeps one grid node beyond each edge)."""
    la, lo = ds["latitude"].values, ds["longitude"].values
    ia = np.flatnonzero((la >= lat[0]) & (la <= lat[1]))
    io = np.flatnonzero((lo >= lon[0]) & (lo <= lon[1]))
    ia = np.arange(max(ia[0] - 1, 0), min(ia[-1] + 2, la.size)) if ia.size else ia
    io = np.arange(max(io[0] - 1, 0), min(io[-1] + 2, lo.size)) if io.size else io
    if ia.size < 2 or io.size < 2:
        raise CorridorError("the wind field does not cover the Korean peninsula", field="latitude/longitude",
                            value=(float(la.min()), float(la.max()), float(lo.min()), float(lo.max())))
    return ds.isel(latitude=ia, longitude=io)


def describe(ds: xr.Dataset) -> dict:
    """A short summary of a normalised field: extent, levels, times, members."""
    t = pd.to_datetime(ds["time"].values)
    return {"members": int(ds.sizes["member"]), "times": int(ds.sizes["time"]),
            "first_time_utc": t[0].strftime("%Y-%m-%dT%H:%MZ"), "last_time_utc": t[-1].strftime("%Y-%m-%dT%H:%MZ"),
            "levels_hpa": [float(x) for x in ds["level"].values],
            "latitude": [float(ds["latitude"].min()), float(ds["latitude"].max())],
            "longitude": [float(ds["longitude"].min()), float(ds["longitude"].max())]}
