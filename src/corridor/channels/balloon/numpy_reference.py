"""The trajectory scheme written plainly in NumPy: the readable reference for the compiled kernels.

Slow (about half a second for one flight alone, the kernels taking a tenth of a millisecond) but
short, vectorised over flights, and written straight from the description of Tawhiri's method
(CUSF ``tawhiri/interpolate.pyx``, ``solver.pyx``, ``models.py``; the steps are in
``docs/balloon-model.md``): the level bracket is found by counting levels below the altitude
instead of a hinted search, every level's height is interpolated, and each RK4 step runs on all
unfinished flights at once. The tests check that
:mod:`~corridor.channels.balloon.kernels` lands every flight where this module does (to well
under a metre), so the fast kernel can change while this one stays easy to read.
"""

from __future__ import annotations

import numpy as np

from corridor.channels.balloon.interpolation import WindArrays
from corridor.channels.balloon.kernels import DT_S, EARTH_RADIUS_M


def wind(field: WindArrays, member, t, lat, lon, z) -> tuple[np.ndarray, np.ndarray]:
    """u, v (m/s) at the points (1-D arrays: member index, UNIX s, degrees, m above MSL)."""
    member, t, lat, lon, z = (np.asarray(x) for x in (member, t, lat, lon, z))
    # 1. fractional indices in time, latitude and longitude, clamped to the field; weights (1 − f, f)
    times = field.times
    if times.size == 1:
        i0 = np.zeros(t.shape, int)
        ft = np.zeros(t.shape)
    else:
        i0 = np.clip(np.searchsorted(times, t, side="right") - 1, 0, times.size - 2)
        ft = np.clip((t - times[i0]) / (times[i0 + 1] - times[i0]), 0.0, 1.0)
    ay = np.clip((lat - field.lat0) / field.dlat, 0.0, field.nlat - 1.0)
    y0 = np.minimum(ay.astype(int), field.nlat - 2)
    fy = ay - y0
    if field.wrap:
        ax = ((lon - field.lon0) % 360.0) / field.dlon
        x0 = np.minimum(ax.astype(int), field.nlon - 1)
        x1 = (x0 + 1) % field.nlon
    else:
        ax = np.clip(((lon - field.lon0 + 180.0) % 360.0 - 180.0) / field.dlon, 0.0, field.nlon - 1.0)
        x0 = np.minimum(ax.astype(int), field.nlon - 2)
        x1 = x0 + 1
    fx = ax - x0
    it1 = np.minimum(i0 + 1, times.size - 1)

    def trilinear(a):   # a: (member, time, level, lat, lon) → (points, level)
        out = 0.0
        for ti, wt in ((i0, 1.0 - ft), (it1, ft)):
            for yi, wy in ((y0, 1.0 - fy), (y0 + 1, fy)):
                for xi, wx in ((x0, 1.0 - fx), (x1, fx)):
                    out = out + (wt * wy * wx)[:, None] * a[member, ti, :, yi, xi]
        return out

    # 2. height of every level at the point; 3. bracket: the largest level below z (0 if none)
    gh = trilinear(field.gh)
    nlev = gh.shape[1]
    k = np.clip((gh < z[:, None]).sum(axis=1) - 1, 0, nlev - 2)
    rows = np.arange(k.size)
    g_lo, g_hi = gh[rows, k], gh[rows, k + 1]
    # 4. linear in height between the two levels (extrapolated outside them, as Tawhiri does)
    lam = (g_hi - z) / (g_hi - g_lo)
    u, v = trilinear(field.u), trilinear(field.v)
    return lam * u[rows, k] + (1 - lam) * u[rows, k + 1], lam * v[rows, k] + (1 - lam) * v[rows, k + 1]


def _rates(field, member, t, lat, lon, z, dz_dt):
    u, v = wind(field, member, t, lat, lon, z)
    r = EARTH_RADIUS_M + z
    return np.degrees(v / r), np.degrees(u / (r * np.cos(np.radians(lat)))), dz_dt


def _stage(field, member, state, dz_dt, done) -> list[np.ndarray]:
    """RK4 steps of 60 s on every flight until ``done(flights, t, lat, lon, z)``; end by bisection.

    Tawhiri's stage end: the first point past the event is not kept; 7 halvings of the straight
    line from the last kept point to it, the end point being the last midpoint tested.
    """
    t, lat, lon, z = (x.copy() for x in state)
    active = np.ones(t.size, bool)
    h = DT_S
    while active.any():
        i = np.flatnonzero(active)
        m, t0, la0, lo0, z0, w = member[i], t[i], lat[i], lon[i], z[i], dz_dt[i]
        a1, b1, c1 = _rates(field, m, t0, la0, lo0, z0, w)
        a2, b2, c2 = _rates(field, m, t0 + h / 2, la0 + h / 2 * a1, (lo0 + h / 2 * b1) % 360, z0 + h / 2 * c1, w)
        a3, b3, c3 = _rates(field, m, t0 + h / 2, la0 + h / 2 * a2, (lo0 + h / 2 * b2) % 360, z0 + h / 2 * c2, w)
        a4, b4, c4 = _rates(field, m, t0 + h, la0 + h * a3, (lo0 + h * b3) % 360, z0 + h * c3, w)
        new = (t0 + h, la0 + h / 6 * (a1 + 2 * a2 + 2 * a3 + a4),
               (lo0 + h / 6 * (b1 + 2 * b2 + 2 * b3 + b4)) % 360, z0 + h / 6 * (c1 + 2 * c2 + 2 * c3 + c4))
        ended = done(i, *new)
        keep = ~ended
        for arr, val in zip((t, lat, lon, z), new):
            arr[i[keep]] = val[keep]
        if ended.any():
            j = i[ended]
            old = [x[ended] for x in (t0, la0, lo0, z0)]
            nxt = [x[ended] for x in new]
            left, right = np.zeros(j.size), np.ones(j.size)
            mids = old
            for _ in range(7):
                mid = (left + right) / 2
                mids = [o + mid * (n - o) for o, n in zip(old, nxt)]
                past = done(j, *mids)
                right = np.where(past, mid, right)
                left = np.where(past, left, mid)
            for arr, val in zip((t, lat, lon, z), mids):
                arr[j] = val
            active[j] = False
    return [t, lat, lon, z]


def float_profiles(field: WindArrays, member, t0, lat0, lon0, z0, ascent, z_float, t_stop) -> np.ndarray:
    """End points (N, 4: t, lat, lon, z) of Tawhiri float profiles: climb at ``ascent`` (m/s)
    until z ≥ ``z_float`` (m), then float at the altitude reached until t > ``t_stop`` (UNIX s).
    The same as :func:`corridor.channels.balloon.integrate.fly_float_profiles` computes."""
    member = np.asarray(member, int)
    state = [np.asarray(x, float) for x in (t0, lat0, lon0, z0)]
    state[2] = state[2] % 360.0
    z_float, t_stop = np.asarray(z_float, float), np.asarray(t_stop, float)
    up = _stage(field, member, state, np.asarray(ascent, float), lambda i, t, la, lo, z: z >= z_float[i])
    end = _stage(field, member, up, np.zeros(member.size), lambda i, t, la, lo, z: t > t_stop[i])
    return np.column_stack(end)
