"""Wind at any point and time: Tawhiri's interpolation, compiled for whole ensembles.

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
from numba import njit

#: Flag bits of one wind evaluation.
BELOW, ABOVE, AREA, TIME = 1, 2, 4, 8
FLAG_NAMES = {BELOW: "below_lowest_level", ABOVE: "above_top_level", AREA: "outside_area",
              TIME: "outside_time"}


@dataclass(frozen=True)
class WindArrays:
    """The numbers of a normalised wind Dataset, laid out for the compiled kernels.

    ``gh``, ``u``, ``v`` are float32 arrays (member, time, level, lat, lon); ``packed`` holds the
    same numbers as (member, time, lat, lon, level, 3) so that the level search and the wind at a
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
        stack = np.stack([ds[k].values.astype(np.float32) for k in ("gh", "u", "v")], axis=-1)
        packed = np.ascontiguousarray(stack.transpose(0, 1, 3, 4, 2, 5))
        return cls(packed=packed, gh=np.ascontiguousarray(ds["gh"].values, dtype=np.float32),
                   u=np.ascontiguousarray(ds["u"].values, dtype=np.float32),
                   v=np.ascontiguousarray(ds["v"].values, dtype=np.float32),
                   times=np.ascontiguousarray(times), lat0=float(lat[0]), dlat=float(lat[1] - lat[0]),
                   nlat=int(lat.size), lon0=float(lon[0]), dlon=dlon, nlon=int(lon.size),
                   wrap=bool(abs(lon.size * dlon - 360.0) < 1e-6),
                   levels_hpa=ds["level"].values.astype(np.float64))

    @property
    def args(self) -> tuple:
        """Positional arguments of the compiled kernels, in their order."""
        return (self.packed, self.times, self.lat0, self.dlat, self.nlat, self.lon0,
                self.dlon, self.nlon, self.wrap)

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


@njit(cache=True, error_model="numpy", inline="always")
def _time_weights(t, times):
    n = times.shape[0]
    if n == 1:
        return 0, 0, 0.0, 0
    if t < times[0]:
        return 0, 1, 0.0, TIME
    if t > times[n - 1]:
        return n - 2, n - 1, 1.0, TIME
    i = np.searchsorted(times, t, side="right") - 1
    if i > n - 2:
        i = n - 2
    return i, i + 1, (t - times[i]) / (times[i + 1] - times[i]), 0


@njit(cache=True, error_model="numpy", inline="always")
def _axis_weights(a, n):
    flag = 0
    if a < 0.0:
        a = 0.0
        flag = AREA
    elif a > n - 1.0:
        a = n - 1.0
        flag = AREA
    i = int(a)
    if i > n - 2:
        i = n - 2
    return i, a - i, flag


@njit(cache=True, error_model="numpy", inline="always")
def _col(Pf, off, b0, b1, b2, b3, b4, b5, b6, b7, w0, w1, w2, w3, w4, w5, w6, w7):
    """Σ w_c·P[corner c, off]: one trilinear value (8 corners; weights as in Tawhiri's interp3)."""
    return (w0 * Pf[b0 + off] + w1 * Pf[b1 + off] + w2 * Pf[b2 + off] + w3 * Pf[b3 + off]
            + w4 * Pf[b4 + off] + w5 * Pf[b5 + off] + w6 * Pf[b6 + off] + w7 * Pf[b7 + off])


@njit(cache=True, error_model="numpy")
def wind_kernel(P, times, lat0, dlat, nlat, lon0, dlon, nlon, wrap, m, t, lat, lon, z, hint):
    """u, v (m/s) at time t (UNIX s), lat, lon (degrees), z (m above MSL) in member m.

    Returns ``(u, v, flags, bracket)``; pass ``bracket`` back as ``hint`` on the next call.
    """
    t0, t1, ft, flags = _time_weights(t, times)
    y0, fy, fl = _axis_weights((lat - lat0) / dlat, nlat)
    flags |= fl
    if wrap:
        a = ((lon - lon0) % 360.0) / dlon
        x0 = int(a)
        fx = a - x0
        if x0 >= nlon:
            x0 = nlon - 1
        x1 = (x0 + 1) % nlon
    else:
        d = (lon - lon0 + 180.0) % 360.0 - 180.0
        x0, fx, fl = _axis_weights(d / dlon, nlon)
        flags |= fl
        x1 = x0 + 1
    nt, ny, nx, nlev = P.shape[1], P.shape[2], P.shape[3], P.shape[4]
    Pf = P.reshape(P.size)
    col = nlev * 3
    y1 = y0 + 1
    r00 = ((m * nt + t0) * ny + y0) * nx
    r01 = ((m * nt + t0) * ny + y1) * nx
    r10 = ((m * nt + t1) * ny + y0) * nx
    r11 = ((m * nt + t1) * ny + y1) * nx
    b0, b1, b2, b3 = (r00 + x0) * col, (r00 + x1) * col, (r01 + x0) * col, (r01 + x1) * col
    b4, b5, b6, b7 = (r10 + x0) * col, (r10 + x1) * col, (r11 + x0) * col, (r11 + x1) * col
    gt, gy, gx = 1.0 - ft, 1.0 - fy, 1.0 - fx
    w0, w1, w2, w3 = gt * gy * gx, gt * gy * fx, gt * fy * gx, gt * fy * fx
    w4, w5, w6, w7 = ft * gy * gx, ft * gy * fx, ft * fy * gx, ft * fy * fx
    k = hint
    if k < 0:
        k = 0
    if k > nlev - 2:
        k = nlev - 2
    g_lo = _col(Pf, 3 * k, b0, b1, b2, b3, b4, b5, b6, b7, w0, w1, w2, w3, w4, w5, w6, w7)
    while k > 0 and g_lo >= z:
        k -= 1
        g_lo = _col(Pf, 3 * k, b0, b1, b2, b3, b4, b5, b6, b7, w0, w1, w2, w3, w4, w5, w6, w7)
    g_hi = _col(Pf, 3 * k + 3, b0, b1, b2, b3, b4, b5, b6, b7, w0, w1, w2, w3, w4, w5, w6, w7)
    while k < nlev - 2 and g_hi < z:
        k += 1
        g_lo = g_hi
        g_hi = _col(Pf, 3 * k + 3, b0, b1, b2, b3, b4, b5, b6, b7, w0, w1, w2, w3, w4, w5, w6, w7)
    if z < g_lo:
        flags |= BELOW
    elif z > g_hi:
        flags |= ABOVE
    lam = (g_hi - z) / (g_hi - g_lo)
    o = 3 * k
    uu = (lam * _col(Pf, o + 1, b0, b1, b2, b3, b4, b5, b6, b7, w0, w1, w2, w3, w4, w5, w6, w7)
          + (1.0 - lam) * _col(Pf, o + 4, b0, b1, b2, b3, b4, b5, b6, b7, w0, w1, w2, w3, w4, w5, w6, w7))
    vv = (lam * _col(Pf, o + 2, b0, b1, b2, b3, b4, b5, b6, b7, w0, w1, w2, w3, w4, w5, w6, w7)
          + (1.0 - lam) * _col(Pf, o + 5, b0, b1, b2, b3, b4, b5, b6, b7, w0, w1, w2, w3, w4, w5, w6, w7))
    return uu, vv, flags, k


@njit(cache=True, error_model="numpy")
def _wind_many(P, times, lat0, dlat, nlat, lon0, dlon, nlon, wrap, member, t, lat, lon, z):
    n = t.shape[0]
    uo = np.empty(n)
    vo = np.empty(n)
    fo = np.empty(n, dtype=np.int64)
    for i in range(n):
        uo[i], vo[i], fo[i], _ = wind_kernel(P, times, lat0, dlat, nlat, lon0, dlon, nlon, wrap,
                                             member[i], t[i], lat[i], lon[i], z[i], 0)
    return uo, vo, fo


def wind_at(wind: WindArrays, t_unix_s, lat_deg, lon_deg, z_m, member=0):
    """Vectorised wind (u, v in m/s) and extrapolation flags at the given points.

    All arguments broadcast to one shape; ``member`` indexes the field's forecast members.
    """
    t, la, lo, z, m = np.broadcast_arrays(np.asarray(t_unix_s, float), np.asarray(lat_deg, float),
                                          np.asarray(lon_deg, float), np.asarray(z_m, float),
                                          np.asarray(member, np.int64))
    shape = t.shape
    uo, vo, fo = _wind_many(*wind.args, np.ascontiguousarray(m.ravel()), np.ascontiguousarray(t.ravel()),
                            np.ascontiguousarray(la.ravel()), np.ascontiguousarray(lo.ravel()),
                            np.ascontiguousarray(z.ravel()))
    return uo.reshape(shape), vo.reshape(shape), fo.reshape(shape)
