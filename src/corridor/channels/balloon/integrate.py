"""RK4 integration of many balloon and leaflet trajectories at once.

Kinematics (Tawhiri ``models.py:make_wind_velocity``):
dlat/dt = (180/π)·v/(R + z), dlon/dt = (180/π)·u/((R + z)·cos lat), R = 6 371 009 m, and dz/dt
from the flight phase. Classic fourth-order Runge–Kutta with a fixed 60 s step; longitude taken
modulo 360 after every partial update (Tawhiri ``solver.pyx``).

A *segment* integrates one phase until either a known time (stepped to exactly, the last step
shortened) or a state event (altitude at or above a target, altitude below the ground, time past
a limit without exact stepping). State events end by Tawhiri's bisection: 7 halvings on the
straight line between the last kept point and the first point past the event, the end point
being the last midpoint tested. "Below the ground" means below ``ground_m`` plus the height of the
terrain under the balloon (:mod:`~corridor.channels.balloon.terrain`; flat sea level when no
terrain is given, as in Tawhiri's reference runs).

Vertical motion kinds: ``RATE`` (constant dz/dt, m/s: ascent > 0, float 0, leak < 0) and
``DRAG`` (fall at a sea-level speed scaled by 1/sqrt(ρ), :func:`atmosphere.drag_fall_rate_m_s`).

The step itself is compiled with the wind interpolation in :mod:`~corridor.channels.balloon.kernels`.
The functions here split the members into chunks and integrate them on a pool of threads (the
kernels release the GIL); chunks are handed out as threads become free, so a core that is busy
with other work does not hold the rest back. Results do not depend on the number of threads.
"""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor

import numpy as np

from corridor.channels.balloon import kernels
from corridor.channels.balloon.kernels import (
    DRAG,
    DT_S,
    EARTH_RADIUS_M,
    ENDED_AT_EVENT,
    ENDED_AT_LIMIT,
    ENDED_AT_TIME,
    NO_EVENT,
    RATE,
    Z_AT_OR_ABOVE,
    Z_BELOW,
    segment,
)
from corridor.channels.balloon.terrain import FLAT, Terrain

_threads = max(1, os.cpu_count() or 1)
_pool: ThreadPoolExecutor | None = None


def set_threads(n: int | None) -> int:
    """Use ``n`` threads for the trajectory kernels (None: one per CPU); returns the number set."""
    global _threads, _pool
    n = max(1, int(n if n is not None else (os.cpu_count() or 1)))
    if n != _threads and _pool is not None:
        _pool.shutdown(wait=True)
        _pool = None
    _threads = n
    return n


def threads() -> int:
    """How many threads the trajectory kernels use."""
    return _threads


def _run(kernel, n: int, *args) -> None:
    """Call ``kernel(*args, lo, hi)`` over 0…n in chunks, on the thread pool when it pays."""
    global _pool
    if _threads == 1 or n < 64:
        kernel(*args, 0, n)
        return
    if _pool is None:
        _pool = ThreadPoolExecutor(max_workers=_threads, thread_name_prefix="corridor-rk4")
    size = max(16, -(-n // (8 * _threads)))
    futures = [_pool.submit(kernel, *args, lo, min(lo + size, n)) for lo in range(0, n, size)]
    for f in futures:
        f.result()


def _f(x) -> np.ndarray:
    return np.ascontiguousarray(x, dtype=np.float64)


def _ground(terrain: Terrain | None) -> tuple:
    return (terrain or FLAT).args


def fly_balloons(W, member, t0, lat0, lon0, z0, ascent, z_float, leak, descent, t_end, releases,
                 ground_m, du, dv, *, terrain: Terrain | None = None):
    """Fly N leaflet balloons with timed releases; all inputs are arrays over balloons.

    Phases: climb at ``ascent`` (m/s) to ``z_float`` (m), float with ``leak`` (m/s, ≤ 0), and
    at each time in ``releases[i]`` (UNIX s, ascending; NaN = timer failed, sorted last) drop a
    payload; after the last working timer (or at ``t_end``) the envelope falls at the sea-level
    speed ``descent`` (m/s). If the balloon meets the ground (``ground_m`` above the terrain
    under it, or above sea level without terrain) first, the payloads still on board land with
    it. ``du``, ``dv`` (m/s) are per-balloon wind errors added to the field.

    Returns ``drops`` (N, K, 4: t, lat, lon, z of each payload's release or landing point),
    ``in_air`` (N, K: True when released aloft), ``end`` (N, 4: envelope landing point) and
    ``counts`` (N, 4: steps with extrapolated wind per flag bit).
    """
    releases = _f(releases)
    n, k_max = releases.shape
    drops = np.full((n, k_max, 4), np.nan)
    in_air = np.zeros((n, k_max), dtype=np.bool_)
    end = np.full((n, 4), np.nan)
    counts = np.zeros((n, 4), dtype=np.int64)
    _run(kernels.fly_balloons_range, n, W, _ground(terrain), np.ascontiguousarray(member, np.int64),
         _f(t0), _f(lat0), _f(lon0), _f(z0), _f(ascent), _f(z_float), _f(leak), _f(descent), _f(t_end),
         releases, float(ground_m), _f(du), _f(dv), drops, in_air, end, counts)
    return drops, in_air, end, counts


def fall_parcels(W, member, t0, lat0, lon0, z0, fall_rate, du, dv, ground_m, *, terrain: Terrain | None = None):
    """Let N parcels fall from their release points to the ground (``ground_m`` above the terrain).

    Each parcel falls at its own sea-level speed ``fall_rate`` (m/s, scaled by 1/sqrt(ρ)) and
    glides with its own constant horizontal velocity (``du``, ``dv``, m/s) on top of the wind.
    Returns landing points (N, 4: t, lat, lon, z) and extrapolation counts (N, 4).
    """
    t0 = _f(t0)
    n = t0.shape[0]
    out = np.empty((n, 4))
    counts = np.zeros((n, 4), dtype=np.int64)
    _run(kernels.fall_parcels_range, n, W, _ground(terrain), np.ascontiguousarray(member, np.int64), t0,
         _f(lat0), _f(lon0), _f(z0), _f(fall_rate), _f(du), _f(dv), float(ground_m), out, counts)
    return out, counts


def fly_float_profiles(W, member, t0, lat0, lon0, z0, ascent, z_float, t_stop):
    """Tawhiri's ``float_profile`` for N flights at once: climb to ``z_float``, float until ``t_stop``.

    Same stage rules as :func:`corridor.channels.balloon.profiles.predict`; returns the end
    points (N, 4: t, lat, lon, z) and extrapolation counts (N, 4).
    """
    t0 = _f(t0)
    n = t0.shape[0]
    out = np.empty((n, 4))
    counts = np.zeros((n, 4), dtype=np.int64)
    _run(kernels.fly_float_range, n, W, FLAT.args, np.ascontiguousarray(member, np.int64), t0, _f(lat0),
         _f(lon0), _f(z0), _f(ascent), _f(z_float), _f(t_stop), out, counts)
    return out, counts
