"""Wind at any point and time: Tawhiri's interpolation, compiled for whole ensembles.

The compiled kernel is :func:`corridor.channels.balloon.kernels.wind_kernel` (fused there with
the RK4 step); :mod:`~corridor.channels.balloon.numpy_reference` holds the same scheme written
plainly in NumPy, against which the kernel is tested.

The scheme is the one of the CUSF predictor Tawhiri (``tawhiri/interpolate.pyx``; described in
``docs/balloon-model.md``):

1. linear weights in time, latitude and longitude give 8 corners (trilinear);
2. at each pressure level the geopotential height ``gh`` is interpolated with those weights;
3. the altitude z (m above mean sea level; geopotential metres taken as metres) is bracketed by
   the largest level i whose interpolated gh is below z (i = 0 if none);
4. u and v are the trilinear values on levels i and i+1 combined linearly *in height*:
   λ = (gh[i+1] − z)/(gh[i+1] − gh[i]), u = λ·u[i] + (1 − λ)·u[i+1].

Below the lowest level and above the top level λ leaves [0, 1] and the wind is extrapolated
linearly, as Tawhiri does; outside the field's area or time the position is clamped to the edge.
Every evaluation returns flags (:data:`BELOW`, :data:`ABOVE`, :data:`AREA`, :data:`TIME`) so that
callers can count extrapolation. The level search starts from the previous bracket (a "hint"),
which gives the same bracket as Tawhiri's binary search because gh rises with level.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import xarray as xr

from corridor.channels.balloon.kernels import (
    ABOVE,
    AREA,
    BELOW,
    TIME,
    wind_kernel,
    wind_many,
)

FLAG_NAMES = {BELOW: "below_lowest_level", ABOVE: "above_top_level", AREA: "outside_area",
              TIME: "outside_time"}


@dataclass(frozen=True)
class WindArrays:
    """The numbers of a normalised wind Dataset, laid out for the compiled kernels.

    ``gh``, ``u``, ``v`` are float32 arrays (member, time, level, lat, lon); ``packed`` holds the
    same numbers (as float64) as (member, time, lat, lon, level, 3) so that the level search and the wind at a
    grid corner read neighbouring memory; ``times`` are UNIX seconds (float64); latitude and
    longitude are described by first value, step and count.
    """

    packed: np.ndarray
    gh: np.ndarray
    u: np.ndarray
    v: np.ndarray
    times: np.ndarray
    lat0: float
    dlat: float
    nlat: int
    lon0: float
    dlon: float
    nlon: int
    wrap: bool
    levels_hpa: np.ndarray

    @classmethod
    def from_dataset(cls, ds: xr.Dataset) -> "WindArrays":
        lat = ds["latitude"].values.astype(np.float64)
        lon = ds["longitude"].values.astype(np.float64)
        dlon = float(lon[1] - lon[0])
        times = (pd.to_datetime(ds["time"].values).as_unit("ns").asi8 / 1e9).astype(np.float64)
        # the field's float32 values, held as float64 for the kernels (exact; saves a conversion
        # on each of the ~48 loads of a wind evaluation, measured about a fifth of the step time)
        stack = np.stack([ds[k].values.astype(np.float32) for k in ("gh", "u", "v")], axis=-1)
        packed = np.ascontiguousarray(stack.transpose(0, 1, 3, 4, 2, 5), dtype=np.float64)
        return cls(packed=packed, gh=np.ascontiguousarray(ds["gh"].values, dtype=np.float32),
                   u=np.ascontiguousarray(ds["u"].values, dtype=np.float32),
                   v=np.ascontiguousarray(ds["v"].values, dtype=np.float32),
                   times=np.ascontiguousarray(times), lat0=float(lat[0]), dlat=float(lat[1] - lat[0]),
                   nlat=int(lat.size), lon0=float(lon[0]), dlon=dlon, nlon=int(lon.size),
                   wrap=bool(abs(lon.size * dlon - 360.0) < 1e-6),
                   levels_hpa=ds["level"].values.astype(np.float64))

    @property
    def args(self) -> tuple:
        """The wind tuple ``W`` of the compiled kernels (:mod:`~corridor.channels.balloon.kernels`)."""
        return (self.packed.reshape(-1), self.times, self.lat0, self.dlat, self.nlat, self.lon0,
                self.dlon, self.nlon, self.wrap, int(self.packed.shape[4]))

    @property
    def members(self) -> int:
        return int(self.gh.shape[0])

    def covers(self, lat: float, lon: float) -> bool:
        lat_ok = self.lat0 <= lat <= self.lat0 + self.dlat * (self.nlat - 1)
        if self.wrap:
            return lat_ok
        d = (lon - self.lon0 + 180.0) % 360.0 - 180.0
        return lat_ok and 0.0 <= d <= self.dlon * (self.nlon - 1)

    def time_range(self) -> tuple[float, float]:
        return float(self.times[0]), float(self.times[-1])


def wind_at(wind: WindArrays, t_unix_s, lat_deg, lon_deg, z_m, member=0):
    """Vectorised wind (u, v in m/s) and extrapolation flags at the given points.

    All arguments broadcast to one shape; ``member`` indexes the field's forecast members.
    """
    t, la, lo, z, m = np.broadcast_arrays(np.asarray(t_unix_s, float), np.asarray(lat_deg, float),
                                          np.asarray(lon_deg, float), np.asarray(z_m, float),
                                          np.asarray(member, np.int64))
    shape = t.shape
    uo, vo, fo = wind_many(wind.args, np.ascontiguousarray(m.ravel()), np.ascontiguousarray(t.ravel()),
                            np.ascontiguousarray(la.ravel()), np.ascontiguousarray(lo.ravel()),
                            np.ascontiguousarray(z.ravel()))
    return uo.reshape(shape), vo.reshape(shape), fo.reshape(shape)
