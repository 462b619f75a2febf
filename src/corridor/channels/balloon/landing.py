"""Where payloads land: country or sea, and leaflets per grid cell.

Landing points are classified with the shipped Natural Earth 1:10m country outlines
(:func:`corridor.geo.sources.countries`, public domain): North Korea, South Korea, China, other
land (Russia, Japan) or sea (any point on no country). Leaflets are counted on the population
grid's equal-area cells (EPSG:5179) by nearest cell centre within half a cell diagonal.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
import shapely
from pyproj import Transformer
from scipy.spatial import cKDTree

from corridor.geo import sources
from corridor.geo.grid import PopulationGrid

#: Classes in display order: the safety outcome (South) first.
CLASSES = ("south", "north", "sea", "china", "other")
CLASS_LABELS = {"south": "South Korea", "north": "North Korea", "sea": "Sea",
                "china": "China", "other": "Other land (Russia, Japan)"}
_ISO = {"KR": "south", "KP": "north", "CN": "china", "RU": "other", "JP": "other"}


@lru_cache(maxsize=1)
def _country_shapes() -> list[tuple[str, shapely.Geometry]]:
    gdf = sources.countries()
    out = []
    for iso, geom in zip(gdf["iso_a2"], gdf.geometry):
        if iso in _ISO:
            shapely.prepare(geom)
            out.append((_ISO[iso], geom))
    return out


def classify(lon_deg, lat_deg) -> np.ndarray:
    """Class name (one of :data:`CLASSES`) of each point (degrees east, degrees north)."""
    lon = np.asarray(lon_deg, float)
    lat = np.asarray(lat_deg, float)
    out = np.full(lon.shape, "sea", dtype=object)
    for name, geom in _country_shapes():
        inside = shapely.contains_xy(geom, lon, lat)
        out[inside & (out == "sea")] = name
    return out


def shares(classes: np.ndarray, weights: np.ndarray, groups: np.ndarray, n_groups: int) -> dict[str, np.ndarray]:
    """Per group (draw), the weighted share of each class: {class: array(n_groups)}."""
    total = np.bincount(groups, weights=weights, minlength=n_groups)
    total = np.where(total > 0, total, 1.0)
    return {c: np.bincount(groups, weights=weights * (classes == c), minlength=n_groups) / total
            for c in CLASSES}


@lru_cache(maxsize=4)
def _tree(grid_key: str, x_bytes: bytes, y_bytes: bytes) -> cKDTree:
    x = np.frombuffer(x_bytes)
    y = np.frombuffer(y_bytes)
    return cKDTree(np.c_[x, y])


def cell_index(grid: PopulationGrid, lon_deg, lat_deg) -> np.ndarray:
    """Index of the grid cell holding each point, or −1 outside North Korea's cells."""
    tr = Transformer.from_crs(sources.WGS84, sources.PROJECTED, always_xy=True)
    x, y = tr.transform(np.asarray(lon_deg, float), np.asarray(lat_deg, float))
    tree = _tree(grid.key, np.ascontiguousarray(grid.x, float).tobytes(),
                 np.ascontiguousarray(grid.y, float).tobytes())
    dist, idx = tree.query(np.c_[x, y])
    half_diag = grid.resolution_km * 1000.0 * np.sqrt(2) / 2
    return np.where(dist <= half_diag, idx, -1)


def leaflets_per_cell(grid: PopulationGrid, cells: np.ndarray, leaflets: np.ndarray, groups: np.ndarray,
                      n_groups: int) -> np.ndarray:
    """Leaflets landing in each cell, per group (draw): shape (n_groups, cells)."""
    ok = cells >= 0
    flat = groups[ok] * grid.n_cells + cells[ok]
    return np.bincount(flat, weights=leaflets[ok], minlength=n_groups * grid.n_cells).reshape(
        n_groups, grid.n_cells)


def share_finding(leaflets_found: np.ndarray, people: np.ndarray) -> np.ndarray:
    """Expected share of a cell's people who find at least one leaflet.

    Found leaflets are spread at random over the cell's people (Poisson with mean
    found/people per person), so the share is 1 − exp(−found/people); 0 where nobody lives.
    """
    people = np.asarray(people, float)
    with np.errstate(divide="ignore", invalid="ignore"):
        lam = np.where(people > 0, leaflets_found / np.where(people > 0, people, 1.0), 0.0)
    return 1.0 - np.exp(-lam)
