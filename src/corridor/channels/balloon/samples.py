"""The wind samples shipped with Corridor (NOAA/NCEP GFS; see ``data/ATTRIBUTION.md``)."""

from __future__ import annotations

from importlib.resources import as_file, files
from pathlib import Path

import xarray as xr

from corridor.channels.balloon.windfield import open_wind
from corridor.errors import CorridorError

#: Shipped samples: key → (file, description). Only the first is a real forecast.
SAMPLES = {
    "gfs-2011-01-15": ("gfs_2p5deg_20110115T12Z.grib2",
                       "NOAA/NCEP GFS 2.5° forecast valid 2011-01-15 12Z (run 2011-01-10 12Z +120 h)"),
    "rotating-2011-10-11": ("korea_ref_wind_B_rotating_cut.nc",
                            "constructed test field from the GFS 2011-10-11 00Z state, winds turned through "
                            "180° over 48 h (not a forecast; dates are labels)"),
}


def shared_values() -> list[str]:
    """What a launch in the shared ledger may give as ``wind``: a shipped sample key (a server
    never opens a wind file a spec names; files are for the local command line)."""
    return list(SAMPLES)


def sample_path(key: str) -> Path:
    if key not in SAMPLES:
        raise CorridorError("unknown wind sample", field="--wind", value=key,
                            hint="a file path or one of: " + ", ".join(SAMPLES))
    with as_file(files("corridor.channels.balloon").joinpath("data", SAMPLES[key][0])) as p:
        return Path(p)


def open_sample(key: str) -> xr.Dataset:
    """A shipped sample as a normalised wind Dataset."""
    return open_wind(sample_path(key))


def resolve_wind(value: str | Path, *, field: str = "--wind") -> xr.Dataset:
    """Open ``value`` as a shipped sample key or as a wind file path (several paths: comma-separated);
    ``field`` names where the value came from in an error."""
    text = str(value)
    if text in SAMPLES:
        return open_sample(text)
    paths = [p.strip() for p in text.split(",") if p.strip()]
    missing = [p for p in paths if not Path(p).is_file()]
    if missing or not paths:
        # neither a file nor a sample key: say both, so a mistyped key is not taken for a lost file
        raise CorridorError("no such wind file or shipped sample", field=field, value=missing[0] if missing else text,
                            hint="a GRIB2 or NetCDF path, or one of: " + ", ".join(SAMPLES))
    return open_wind(paths)
