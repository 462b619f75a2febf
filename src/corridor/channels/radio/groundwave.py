"""Mediumwave ground wave: NTIA LF/MF (``proplib-lfmf``) over land and sea, Millington for mixed paths.

LF/MF (NTIA/ITS; public domain) gives the smooth-Earth ground-wave field over one homogeneous
ground for a short vertical monopole (300 mV/m at 1 km for 1 kW, ITU-R P.368). Paths that cross
the coast are combined by Millington's method (ITU-R P.368-10 §4; Millington 1949,
*Proc. IEE* 96(III):53): the field is the mean of the forward and backward sums of section
differences. Sea ε = 70, σ = 5 S/m (P.368); land ε = 15, σ = 0.005 S/m (an average value for the
Korean peninsula's mixed terrain; ITU-R P.832 shows 1–10 mS/m there).
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
from ITS.Propagation.LFMF import LFMF, Polarization

from corridor.channels.radio import geometry

SEA = (70.0, 5.0)
LAND = (15.0, 0.005)
SURFACE_REFRACTIVITY = 301.0
STEP_KM = 2.0


def field_dbuv(freq_mhz: float, power_kw: float, distance_km: float, ground: tuple[float, float]) -> float:
    """Ground-wave field (dB(µV/m)) over homogeneous ground, antennas at ground level (LF/MF)."""
    return _lfmf(float(freq_mhz), float(power_kw), round(max(float(distance_km), 0.01), 2), tuple(ground))


@lru_cache(maxsize=200_000)
def _lfmf(freq_mhz: float, power_kw: float, distance_km: float, ground: tuple[float, float]) -> float:
    eps, sigma = ground
    r = LFMF(0.0, 0.0, freq_mhz, power_kw * 1000.0, SURFACE_REFRACTIVITY, distance_km, eps, sigma,
             Polarization.Vertical)
    return float(r.E__dBuVm)


def millington_dbuv(freq_mhz: float, power_kw: float, sections: list[tuple[float, tuple[float, float]]]) -> float:
    """Field over a path of sections ``[(length_km, ground), …]`` from transmitter to receiver
    (Millington's method, P.368-10 §4)."""
    if len(sections) == 1:
        return field_dbuv(freq_mhz, power_kw, sections[0][0], sections[0][1])

    def one_way(secs):
        start, e = 0.0, 0.0
        for length, ground in secs:
            end = start + length
            e += field_dbuv(freq_mhz, power_kw, end, ground) - (field_dbuv(freq_mhz, power_kw, start, ground)
                                                                 if start > 0 else 0.0)
            start = end
        return e

    forward = one_way(sections)
    backward = one_way(list(reversed(sections)))
    return 0.5 * (forward + backward)


def path_sections(tx_lat, tx_lon, rx_lat, rx_lon, land) -> list[tuple[float, tuple[float, float]]]:
    """Land and sea sections along the great circle, sampled every :data:`STEP_KM`."""
    dist, az = geometry.great_circle(tx_lat, tx_lon, rx_lat, rx_lon)
    n = max(int(np.ceil(dist / STEP_KM)), 1)
    s = (np.arange(n) + 0.5) * dist / n
    lat, lon = geometry.destination(tx_lat, tx_lon, az, s)
    import shapely

    on_land = shapely.contains_xy(land, lon, lat)
    sections, start = [], 0
    for i in range(1, n + 1):
        if i == n or on_land[i] != on_land[start]:
            sections.append(((i - start) * dist / n, LAND if on_land[start] else SEA))
            start = i
    return sections


def field_over_cells(freq_mhz, power_kw, tx_lat, tx_lon, rx_lat, rx_lon, land) -> np.ndarray:
    """Ground-wave field at each receiver (dB(µV/m)), mixed land/sea paths.

    Every path is sampled at the same number of points (spacing at most :data:`STEP_KM`), all at
    once; section lengths are rounded to 1 km so that LF/MF runs once per distinct distance.
    """
    rx_lat, rx_lon = np.ravel(rx_lat), np.ravel(rx_lon)
    dist, az = geometry.great_circle(tx_lat, tx_lon, rx_lat, rx_lon)
    k = max(int(np.ceil(dist.max() / STEP_KM)), 1)
    frac = (np.arange(k) + 0.5) / k
    lat, lon = geometry.destination(tx_lat, tx_lon, az[:, None], dist[:, None] * frac[None, :])
    import shapely

    on_land = shapely.contains_xy(land, lon, lat)
    out = np.empty(dist.size)
    for i in range(dist.size):
        flags = on_land[i]
        edges = np.flatnonzero(np.diff(flags.astype(np.int8))) + 1
        bounds = np.concatenate([[0], edges, [k]])
        sections = [(max(round((b - a) * dist[i] / k), 1.0), LAND if flags[a] else SEA)
                    for a, b in zip(bounds[:-1], bounds[1:])]
        out[i] = millington_dbuv(freq_mhz, power_kw, sections)
    return out


def ground_wave_near(freq_mhz, power_kw, tx_lat, tx_lon, rx_lat, rx_lon, max_km: float = 300.0) -> np.ndarray:
    """Ground-wave field over land (dB(µV/m)) at receivers within ``max_km``; −∞ beyond.

    Distances are rounded to 1 km and each distinct distance computed once (LF/MF is smooth).
    """
    dist, _ = geometry.great_circle(tx_lat, tx_lon, rx_lat, rx_lon)
    out = np.full(np.shape(dist), -np.inf)
    near = dist <= max_km
    km = np.maximum(np.round(dist[near]), 1.0)
    uniq, inv = np.unique(km, return_inverse=True)
    vals = np.array([field_dbuv(freq_mhz, power_kw, d, LAND) for d in uniq])
    out[near] = vals[inv] if uniq.size else out[near]
    return out
