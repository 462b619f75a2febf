"""Geostationary geometry: elevation, slant range and off-axis angle, over arrays of sites.

Positions are converted to Earth-centred Earth-fixed coordinates on the WGS84 ellipsoid with
PROJ (EPSG:4979 → EPSG:4978); angles follow from the vectors. A geostationary satellite sits on
the equator at radius 42,164.17 km: Kepler's third law for one sidereal day (86,164.09 s) and
GM = 398,600.4418 km³/s² (WGS84).
"""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from pyproj import Transformer

#: Radius of the geostationary orbit, km.
GEO_RADIUS_KM = 42_164.17


@lru_cache(maxsize=1)
def _to_ecef() -> Transformer:
    from pyproj import Transformer

    return Transformer.from_crs("EPSG:4979", "EPSG:4978", always_xy=True)


def ecef_km(lon_deg, lat_deg, height_m=0.0) -> np.ndarray:
    """Earth-centred Earth-fixed position, km, shape ``(..., 3)``."""
    x, y, z = _to_ecef().transform(np.asarray(lon_deg, float), np.asarray(lat_deg, float),
                                   np.broadcast_to(np.asarray(height_m, float), np.shape(lon_deg)))
    return np.stack([x, y, z], axis=-1) / 1000.0


def satellite_ecef_km(slot_lon_deg: float) -> np.ndarray:
    """Position of a geostationary satellite at longitude ``slot_lon_deg``, km."""
    lon = np.radians(slot_lon_deg)
    return np.array([GEO_RADIUS_KM * np.cos(lon), GEO_RADIUS_KM * np.sin(lon), 0.0])


def look_angles(slot_lon_deg: float, lon_deg, lat_deg) -> tuple[np.ndarray, np.ndarray]:
    """Elevation above the local horizon (degrees, geodetic normal) and slant range (km)."""
    ground = ecef_km(lon_deg, lat_deg)
    vec = satellite_ecef_km(slot_lon_deg) - ground
    rng = np.linalg.norm(vec, axis=-1)
    lat, lon = np.radians(np.asarray(lat_deg, float)), np.radians(np.asarray(lon_deg, float))
    up = np.stack([np.cos(lat) * np.cos(lon), np.cos(lat) * np.sin(lon), np.sin(lat)], axis=-1)
    elevation = np.degrees(np.arcsin(np.clip(np.sum(vec * up, axis=-1) / rng, -1.0, 1.0)))
    return elevation, rng


def off_axis_deg(slot_lon_deg: float, centre_lon_deg: float, centre_lat_deg: float,
                 lon_deg, lat_deg) -> np.ndarray:
    """Angle at the satellite between the beam centre (boresight) and each site, degrees."""
    sat = satellite_ecef_km(slot_lon_deg)
    bore = ecef_km(centre_lon_deg, centre_lat_deg) - sat
    to_site = ecef_km(lon_deg, lat_deg) - sat
    cos = np.sum(to_site * bore, axis=-1) / (np.linalg.norm(to_site, axis=-1) * np.linalg.norm(bore))
    return np.degrees(np.arccos(np.clip(cos, -1.0, 1.0)))
