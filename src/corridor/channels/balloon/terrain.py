"""The ground under a balloon: a coarse elevation field for the Korean box.

A balloon, or a parcel of leaflets, lands where it meets the ground, not at sea level: a parcel
falling at 1 m/s onto a 1,000 m ridge lands about 17 minutes earlier, several kilometres short of
where it would reach sea level. The trajectory kernels end a descent when
z < ground_m + h(lat, lon), with h interpolated bilinearly in this field (clamped at its edges).

Shipped field (``data/terrain_korea_5arcmin.npz``): ground height in metres above mean sea level
on a 1/12° (5 arc-minute, about 9 km × 7 km at 38° N) grid of cell centres, 30–45° N, 118–135° E,
180 × 204 cells. It is the Korean window of the altitude map shipped with pvlib-python 0.16.1
(``pvlib/data/Altitude.h5``, BSD-3-Clause), which pvlib made by aggregating the Mapzen terrain
tiles; over Korea those come from SRTM and GMTED2010 (U.S. Geological Survey) and ETOPO1 (U.S.
National Oceanic and Atmospheric Administration), all public domain. pvlib stores heights in
28 m steps (code × 28 − 450 m) with 255 for "no data" (the sea); here no data and the few cells
below sea level are set to 0 m. Its own documentation warns of errors of 100 m and more: the
field is coarse (a cell mean, so peaks are lower than the summits: Paektu about 2,100 m here,
2,744 m in reality). :func:`build_from_pvlib` rebuilds the file from pvlib's.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from importlib.resources import as_file, files
from pathlib import Path

import numpy as np

from corridor.atomic import atomic_path
from corridor.channels.balloon.kernels import ground_many

SHIPPED = "terrain_korea_5arcmin.npz"
#: The Korean box of the shipped field (degrees), as (south, north, west, east).
BOX = (30.0, 45.0, 118.0, 135.0)
SOURCE = ("pvlib-python 0.16.1 altitude map (Mapzen terrain tiles: SRTM and GMTED2010, USGS; ETOPO1, NOAA), "
          "1/12° cells, 28 m steps")


@dataclass(frozen=True)
class Terrain:
    """Ground height (m above MSL) on a regular grid: ``heights_m[i, j]`` at ``lat0 + i·dlat``,
    ``lon0 + j·dlon`` (degrees north and east, longitudes 0–360)."""

    heights_m: np.ndarray
    lat0: float
    dlat: float
    lon0: float
    dlon: float
    source: str = ""

    @classmethod
    def flat(cls, height_m: float = 0.0) -> Terrain:
        """Flat ground at ``height_m`` everywhere (a 2 × 2 grid over the globe)."""
        return cls(np.full((2, 2), height_m, np.float32), -90.0, 180.0, 0.0, 360.0, f"flat at {height_m:g} m")

    @property
    def args(self) -> tuple:
        """The ground tuple ``G`` of the compiled kernels."""
        h = np.ascontiguousarray(self.heights_m, np.float32)
        return (h.reshape(-1), float(self.lat0), float(self.dlat), int(h.shape[0]), float(self.lon0),
                float(self.dlon), int(h.shape[1]))

    def height_at(self, lat_deg, lon_deg) -> np.ndarray:
        """Ground height (m) at the given points (bilinear, as the kernels see it)."""
        la, lo = np.broadcast_arrays(np.asarray(lat_deg, float), np.asarray(lon_deg, float))
        out = ground_many(self.args, np.ascontiguousarray(la.ravel()), np.ascontiguousarray(lo.ravel()))
        return out.reshape(la.shape)


FLAT = Terrain.flat(0.0)


@lru_cache(maxsize=1)
def korea() -> Terrain:
    """The shipped elevation field of the Korean box (see the module doc)."""
    with as_file(files("corridor.channels.balloon").joinpath("data", SHIPPED)) as p, np.load(p) as z:
        lat, lon = z["latitude_deg"], z["longitude_deg"]
        return Terrain(z["elevation_m"].astype(np.float32), float(lat[0]), float((lat[-1] - lat[0]) / (lat.size - 1)),
                       float(lon[0]), float((lon[-1] - lon[0]) / (lon.size - 1)), SOURCE)


def build_from_pvlib(altitude_h5: Path | str, out: Path | str, box: tuple[float, float, float, float] = BOX) -> Path:
    """Cut ``box`` out of pvlib's ``data/Altitude.h5`` and write it in the shipped layout.

    pvlib's map is 2160 × 4320 cells of 1/12°, row 0 at the north pole, column 0 at 180° W, the
    cell centres half a cell in (``pvlib.tools._degrees_to_index``); heights are
    code × 28 − 450 m, code 255 = no data.
    """
    import h5py

    with h5py.File(altitude_h5, "r") as f:
        codes = f["Altitude"][:]
    lat = 90.0 - (np.arange(codes.shape[0]) + 0.5) / 12.0
    lon = -180.0 + (np.arange(codes.shape[1]) + 0.5) / 12.0
    ia = np.flatnonzero((lat >= box[0]) & (lat <= box[1]))[::-1]       # south to north
    io = np.flatnonzero((lon >= box[2]) & (lon <= box[3]))
    c = codes[np.ix_(ia, io)].astype(np.int32)
    height = np.where(c == 255, 0, np.maximum(c * 28 - 450, 0)).astype(np.int16)
    with atomic_path(out) as tmp, open(tmp, "wb") as fh:
        np.savez_compressed(fh, elevation_m=height, latitude_deg=lat[ia], longitude_deg=np.mod(lon[io], 360.0),
                            source=np.array(SOURCE))
    return Path(out)
