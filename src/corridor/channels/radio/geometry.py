"""Great-circle geometry of a sky-wave path on a spherical Earth: plain functions over arrays.

Distances in km, angles in degrees unless a name says otherwise. The Earth is a sphere of
radius :data:`EARTH_RADIUS_KM`, as in ITU-R P.533-14 (§2) and in VOACAP.
"""

from __future__ import annotations

import numpy as np

#: Mean Earth radius used by ITU-R P.533 (km).
EARTH_RADIUS_KM = 6371.009


def great_circle(lat1_deg, lon1_deg, lat2_deg, lon2_deg):
    """Distance (km) and initial bearing (degrees from north, 0–360) from point 1 to point 2.

    Haversine distance and the forward azimuth on a sphere (Sinnott 1984, *Sky & Telescope* 68:159).
    """
    p1, l1, p2, l2 = (np.radians(np.asarray(v, dtype=float)) for v in (lat1_deg, lon1_deg, lat2_deg, lon2_deg))
    dl = l2 - l1
    a = np.sin((p2 - p1) / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dl / 2) ** 2
    dist = 2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.clip(a, 0.0, 1.0)))
    az = np.degrees(np.arctan2(np.sin(dl) * np.cos(p2),
                               np.cos(p1) * np.sin(p2) - np.sin(p1) * np.cos(p2) * np.cos(dl)))
    return dist, az % 360.0


def destination(lat_deg, lon_deg, azimuth_deg, distance_km):
    """The point reached from (lat, lon) after ``distance_km`` along the great circle of ``azimuth_deg``."""
    p1 = np.radians(np.asarray(lat_deg, dtype=float))
    l1 = np.radians(np.asarray(lon_deg, dtype=float))
    az = np.radians(np.asarray(azimuth_deg, dtype=float))
    delta = np.asarray(distance_km, dtype=float) / EARTH_RADIUS_KM
    p2 = np.arcsin(np.clip(np.sin(p1) * np.cos(delta) + np.cos(p1) * np.sin(delta) * np.cos(az), -1, 1))
    l2 = l1 + np.arctan2(np.sin(az) * np.sin(delta) * np.cos(p1), np.cos(delta) - np.sin(p1) * np.sin(p2))
    return np.degrees(p2), (np.degrees(l2) + 180.0) % 360.0 - 180.0


def elevation_deg(hop_km, height_km):
    """Elevation angle of a ray reflected by a mirror at ``height_km`` over a hop of ``hop_km``.

    ``tan Δ = (cos ψ − R/(R + h)) / sin ψ`` with ψ = d/2R (ITU-R P.533-14 §5.1, eq. for Δ).
    """
    psi = np.asarray(hop_km, dtype=float) / (2 * EARTH_RADIUS_KM)
    r = EARTH_RADIUS_KM / (EARTH_RADIUS_KM + np.asarray(height_km, dtype=float))
    return np.degrees(np.arctan2(np.cos(psi) - r, np.sin(psi)))


def slant_range_km(hop_km, height_km, hops):
    """Ray-path length ``p′`` of an ``hops``-hop mode via mirror reflections at ``height_km`` (km).

    Each hop is two straight legs from the ground to the mirror point (ITU-R P.533-14 §5.2.1,
    ``p′``), here by the law of cosines.
    """
    psi = np.asarray(hop_km, dtype=float) / (2 * EARTH_RADIUS_KM)
    rh = EARTH_RADIUS_KM + np.asarray(height_km, dtype=float)
    leg = np.sqrt(EARTH_RADIUS_KM ** 2 + rh ** 2 - 2 * EARTH_RADIUS_KM * rh * np.cos(psi))
    return 2.0 * hops * leg


def incidence_sec(elevation_deg_, height_km):
    """sec i, i the angle of incidence at height ``height_km`` of a ray leaving the ground at Δ.

    ``sin i = R cos Δ / (R + h)`` (spherical Snell's law; ITU-R P.533-14 §5.2.1, i at 110 km).
    """
    sin_i = EARTH_RADIUS_KM * np.cos(np.radians(elevation_deg_)) / (EARTH_RADIUS_KM + height_km)
    return 1.0 / np.sqrt(np.clip(1.0 - sin_i ** 2, 1e-6, 1.0))
