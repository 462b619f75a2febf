"""RK4 integration of many balloon and leaflet trajectories at once (compiled with Numba).

Kinematics (Tawhiri ``models.py:make_wind_velocity``; research note §1.1):
dlat/dt = (180/π)·v/(R + z), dlon/dt = (180/π)·u/((R + z)·cos lat), R = 6 371 009 m, and dz/dt
from the flight phase. Classic fourth-order Runge–Kutta with a fixed 60 s step; longitude taken
modulo 360 after every partial update (Tawhiri ``solver.pyx``).

A *segment* integrates one phase until either a known time (stepped to exactly, the last step
shortened) or a state event (altitude at or above a target, altitude below a target, time past
a limit without exact stepping). State events end by Tawhiri's bisection: 7 halvings on the
straight line between the last kept point and the first point past the event, the end point
being the last midpoint tested.

Vertical motion kinds: ``RATE`` (constant dz/dt, m/s: ascent > 0, float 0, leak < 0) and
``DRAG`` (fall at a sea-level speed scaled by 1/sqrt(ρ), :func:`atmosphere.drag_fall_rate_m_s`).
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit, prange

from corridor.channels.balloon.atmosphere import drag_fall_rate_m_s
from corridor.channels.balloon.interpolation import wind_kernel

#: Earth radius used by Tawhiri (m).
EARTH_RADIUS_M = 6371009.0
#: Fixed RK4 step (s), as in Tawhiri.
DT_S = 60.0
RATE, DRAG = 0, 1
NO_EVENT, Z_AT_OR_ABOVE, Z_BELOW = 0, 1, 2
ENDED_AT_TIME, ENDED_AT_EVENT, ENDED_AT_LIMIT = 0, 1, 2
_DEG = 180.0 / math.pi


@njit(cache=True, error_model="numpy", inline="always")
def _rates(W, m, t, lat, lon, z, hint, kind, p, du, dv):
    P, times, lat0, dlat, nlat, lon0, dlon, nlon, wrap = W
    uu, vv, fl, hint = wind_kernel(P, times, lat0, dlat, nlat, lon0, dlon, nlon, wrap,
                                   m, t, lat, lon, z, hint)
    uu += du
    vv += dv
    r = EARTH_RADIUS_M + z
    dlat_dt = _DEG * vv / r
    dlon_dt = _DEG * uu / (r * math.cos(lat / _DEG))
    if kind == RATE:
        dz_dt = p
    else:
        dz_dt = -drag_fall_rate_m_s(p, z)
    return dlat_dt, dlon_dt, dz_dt, fl, hint


@njit(cache=True, error_model="numpy", inline="always")
def _done(t, z, t_stop, exact, ev, z_target):
    if (not exact) and t > t_stop:
        return True
    if ev == Z_AT_OR_ABOVE and z >= z_target:
        return True
    if ev == Z_BELOW and z < z_target:
        return True
    return False


@njit(cache=True, error_model="numpy")
def segment(W, m, t, lat, lon, z, hint, kind, p, du, dv, t_stop, exact, ev, z_target, max_steps,
            counts, rec, nrec):
    """Integrate one phase from (t, lat, lon, z); see the module doc for the stop rules.

    ``counts`` (int64[4]) accumulates, per flag bit, the steps whose wind was extrapolated;
    ``rec`` (float64[n, 4]) receives t, lat, lon, z of the start, every kept step and the end
    when it has room (pass a (0, 4) array to record nothing). Returns
    ``(t, lat, lon, z, hint, how_it_ended, nrec)``.
    """
    if nrec < rec.shape[0]:
        rec[nrec, 0], rec[nrec, 1], rec[nrec, 2], rec[nrec, 3] = t, lat, lon, z
        nrec += 1
    steps = 0
    while True:
        h = DT_S
        if exact:
            h = t_stop - t
            if h <= 1e-9:
                return t, lat, lon, z, hint, ENDED_AT_TIME, nrec
            if h > DT_S:
                h = DT_S
        if steps >= max_steps:
            return t, lat, lon, z, hint, ENDED_AT_LIMIT, nrec
        steps += 1
        a1, b1, c1, f1, hint = _rates(W, m, t, lat, lon, z, hint, kind, p, du, dv)
        h2 = 0.5 * h
        a2, b2, c2, f2, hint = _rates(W, m, t + h2, lat + h2 * a1, (lon + h2 * b1) % 360.0,
                                      z + h2 * c1, hint, kind, p, du, dv)
        a3, b3, c3, f3, hint = _rates(W, m, t + h2, lat + h2 * a2, (lon + h2 * b2) % 360.0,
                                      z + h2 * c2, hint, kind, p, du, dv)
        a4, b4, c4, f4, hint = _rates(W, m, t + h, lat + h * a3, (lon + h * b3) % 360.0,
                                      z + h * c3, hint, kind, p, du, dv)
        fl = f1 | f2 | f3 | f4
        for bit in range(4):
            if fl & (1 << bit):
                counts[bit] += 1
        s = h / 6.0
        t2 = t + h
        lat2 = lat + s * (a1 + 2.0 * a2 + 2.0 * a3 + a4)
        lon2 = (lon + s * (b1 + 2.0 * b2 + 2.0 * b3 + b4)) % 360.0
        z2 = z + s * (c1 + 2.0 * c2 + 2.0 * c3 + c4)
        if _done(t2, z2, t_stop, exact, ev, z_target):
            left, right = 0.0, 1.0
            tm, latm, lonm, zm = t, lat, lon, z
            while right - left > 0.01:
                mid = 0.5 * (left + right)
                tm = t + mid * (t2 - t)
                latm = lat + mid * (lat2 - lat)
                lonm = lon + mid * (lon2 - lon)
                zm = z + mid * (z2 - z)
                if _done(tm, zm, t_stop, exact, ev, z_target):
                    right = mid
                else:
                    left = mid
            if nrec < rec.shape[0]:
                rec[nrec, 0], rec[nrec, 1], rec[nrec, 2], rec[nrec, 3] = tm, latm, lonm, zm
                nrec += 1
            how = ENDED_AT_TIME if (not exact and tm > t_stop) or (not exact and ev == NO_EVENT) else ENDED_AT_EVENT
            return tm, latm, lonm, zm, hint, how, nrec
        t, lat, lon, z = t2, lat2, lon2, z2
        if nrec < rec.shape[0]:
            rec[nrec, 0], rec[nrec, 1], rec[nrec, 2], rec[nrec, 3] = t, lat, lon, z
            nrec += 1
        if exact and t >= t_stop - 1e-9:
            return t, lat, lon, z, hint, ENDED_AT_TIME, nrec


@njit(cache=True, error_model="numpy", parallel=True)
def fly_balloons(W, member, t0, lat0, lon0, z0, ascent, z_float, leak, descent, t_end, releases,
                 ground_m, du, dv):
    """Fly N leaflet balloons with timed releases; all inputs are arrays over balloons.

    Phases: climb at ``ascent`` (m/s) to ``z_float`` (m), float with ``leak`` (m/s, ≤ 0), and
    at each time in ``releases[i]`` (UNIX s, ascending; NaN = timer failed, sorted last) drop a
    payload; after the last working timer (or at ``t_end``) the envelope falls at the sea-level
    speed ``descent`` (m/s). If the balloon reaches ``ground_m`` first, the payloads still on
    board land with it. ``du``, ``dv`` (m/s) are per-balloon wind errors added to the field.

    Returns ``drops`` (N, K, 4: t, lat, lon, z of each payload's release or landing point),
    ``in_air`` (N, K: True when released aloft), ``end`` (N, 4: envelope landing point) and
    ``counts`` (N, 4: steps with extrapolated wind per flag bit).
    """
    n, k_max = releases.shape
    drops = np.full((n, k_max, 4), np.nan)
    in_air = np.zeros((n, k_max), dtype=np.bool_)
    end = np.full((n, 4), np.nan)
    counts = np.zeros((n, 4), dtype=np.int64)
    for i in prange(n):
        rec = np.empty((0, 4))
        t, lat, lon, z = t0[i], lat0[i], lon0[i], z0[i]
        hint = 0
        nvalid = 0
        for k in range(k_max):
            if not np.isnan(releases[i, k]):
                nvalid += 1
        k = 0
        phase = 0  # 0 ascent, 1 float, 2 descent
        c = counts[i]
        while True:
            t_next = releases[i, k] if k < nvalid else t_end[i]
            if phase == 0:
                t, lat, lon, z, hint, how, _ = segment(W, member[i], t, lat, lon, z, hint, RATE, ascent[i],
                                                       du[i], dv[i], t_next, True, Z_AT_OR_ABOVE,
                                                       z_float[i], 100000, c, rec, 0)
                if how == ENDED_AT_EVENT:
                    phase = 1
                    continue
            elif phase == 1:
                t, lat, lon, z, hint, how, _ = segment(W, member[i], t, lat, lon, z, hint, RATE, leak[i],
                                                       du[i], dv[i], t_next, True, Z_BELOW, ground_m,
                                                       100000, c, rec, 0)
            else:
                t, lat, lon, z, hint, how, _ = segment(W, member[i], t, lat, lon, z, hint, DRAG,
                                                       descent[i], du[i], dv[i], 1e300, False, Z_BELOW,
                                                       ground_m, 100000, c, rec, 0)
                break
            if how == ENDED_AT_EVENT:      # came down while floating
                break
            if how == ENDED_AT_LIMIT:
                break
            if k < nvalid:
                drops[i, k, 0], drops[i, k, 1], drops[i, k, 2], drops[i, k, 3] = t, lat, lon, z
                in_air[i, k] = True
                k += 1
                if k == nvalid:
                    phase = 2
            else:
                phase = 2
        end[i, 0], end[i, 1], end[i, 2], end[i, 3] = t, lat, lon, z
        for j in range(k_max):
            if not in_air[i, j]:
                drops[i, j, 0], drops[i, j, 1], drops[i, j, 2], drops[i, j, 3] = t, lat, lon, z
    return drops, in_air, end, counts


@njit(cache=True, error_model="numpy", parallel=True)
def fall_parcels(W, member, t0, lat0, lon0, z0, fall_rate, du, dv, ground_m):
    """Let N parcels fall from their release points to ``ground_m`` (m above MSL).

    Each parcel falls at its own sea-level speed ``fall_rate`` (m/s, scaled by 1/sqrt(ρ)) and
    glides with its own constant horizontal velocity (``du``, ``dv``, m/s) on top of the wind.
    Returns landing points (N, 4: t, lat, lon, z) and extrapolation counts (N, 4).
    """
    n = t0.shape[0]
    out = np.empty((n, 4))
    counts = np.zeros((n, 4), dtype=np.int64)
    for i in prange(n):
        rec = np.empty((0, 4))
        t, lat, lon, z, _, _, _ = segment(W, member[i], t0[i], lat0[i], lon0[i], z0[i], 0, DRAG,
                                          fall_rate[i], du[i], dv[i], 1e300, False, Z_BELOW,
                                          ground_m, 100000, counts[i], rec, 0)
        out[i, 0], out[i, 1], out[i, 2], out[i, 3] = t, lat, lon, z
    return out, counts


@njit(cache=True, error_model="numpy", parallel=True)
def fly_float_profiles(W, member, t0, lat0, lon0, z0, ascent, z_float, t_stop):
    """Tawhiri's ``float_profile`` for N flights at once: climb to ``z_float``, float until ``t_stop``.

    Same stage rules as :func:`corridor.channels.balloon.profiles.predict`; returns the end
    points (N, 4: t, lat, lon, z) and extrapolation counts (N, 4).
    """
    n = t0.shape[0]
    out = np.empty((n, 4))
    counts = np.zeros((n, 4), dtype=np.int64)
    for i in prange(n):
        rec = np.empty((0, 4))
        t, lat, lon, z, hint, _, _ = segment(W, member[i], t0[i], lat0[i], lon0[i], z0[i], 0, RATE, ascent[i],
                                             0.0, 0.0, 1e300, False, Z_AT_OR_ABOVE, z_float[i], 10**6,
                                             counts[i], rec, 0)
        t, lat, lon, z, _, _, _ = segment(W, member[i], t, lat, lon, z, hint, RATE, 0.0, 0.0, 0.0, t_stop[i],
                                          False, NO_EVENT, 0.0, 10**6, counts[i], rec, 0)
        out[i, 0], out[i, 1], out[i, 2], out[i, 3] = t, lat, lon, z
    return out, counts
