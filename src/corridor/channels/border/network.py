"""The trade network between counties: main railway lines plus a gravity term between markets.

Devices that leave a county travel with traders and relatives. Where they go is a row-stochastic
matrix over the 179 counties of the grid, mixing two routes:

* **rail**: the main lines of ``data/railway_lines.csv`` (ordered stations, each a GeoNames
  place, each line with its source). Every line is densified every 2 km and mapped onto the
  counties it crosses, so that consecutive counties along a line are neighbours;
* **gravity**: between the market towns of every pair of counties, the weight
  ``T_ij = m_i · m_j / d_ij^γ`` (Zipf 1946; Anderson 2011, *The gravity model*, Annual Review of
  Economics 3:133, eq. 1), with ``m`` the urban population of the county and ``d`` the distance
  between the population-weighted county centres (at least 10 km).

    M = w_rail · rownorm(A_rail) + (1 − w_rail) · rownorm(T_γ)

Counties no line reaches use the gravity route alone.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import numpy as np
import pandas as pd
from pyproj import Transformer
from scipy.spatial import cKDTree

from corridor.geo import sources
from corridor.geo.grid import PopulationGrid

#: Spacing of the points that trace a railway line over the counties, metres.
TRACE_STEP_M = 2_000.0
#: Distances between market towns below this are raised to it (same-town pairs), km.
MIN_DISTANCE_KM = 10.0


@lru_cache(maxsize=1)
def railway_lines() -> pd.DataFrame:
    """The shipped railway lines, one row per station in line order, with GeoNames lon/lat."""
    path = resources.files("corridor.channels.border").joinpath("data", "railway_lines.csv")
    with path.open("r", encoding="utf-8") as f:
        lines = pd.read_csv(f, dtype={"geonameid": str}, keep_default_na=False)
    places = sources.places("KP").set_index("geonameid")
    missing = sorted(set(lines["geonameid"]) - set(places.index))
    if missing:  # pragma: no cover - guards the shipped data
        raise ValueError(f"railway stations not among the GeoNames places: {missing}")
    lines["lon"] = lines["geonameid"].map(places["lon"]).astype(float)
    lines["lat"] = lines["geonameid"].map(places["lat"]).astype(float)
    return lines.sort_values(["line_id", "order"]).reset_index(drop=True)


def county_centres(grid: PopulationGrid) -> tuple[np.ndarray, np.ndarray]:
    """Population-weighted centre of each county, EPSG:5179 metres (x, y)."""
    n = len(grid.county_ids)
    w = np.bincount(grid.county, weights=grid.population, minlength=n)
    w = np.where(w > 0, w, 1.0)
    x = np.bincount(grid.county, weights=grid.population * grid.x, minlength=n) / w
    y = np.bincount(grid.county, weights=grid.population * grid.y, minlength=n) / w
    return x, y


def line_counties(grid: PopulationGrid, lon: np.ndarray, lat: np.ndarray) -> list[int]:
    """The counties a polyline crosses, in order (consecutive duplicates removed)."""
    fwd = Transformer.from_crs(sources.WGS84, sources.PROJECTED, always_xy=True)
    x, y = fwd.transform(np.asarray(lon, float), np.asarray(lat, float))
    px, py = [], []
    for i in range(len(x) - 1):
        steps = max(int(np.hypot(x[i + 1] - x[i], y[i + 1] - y[i]) // TRACE_STEP_M), 1)
        t = np.arange(steps) / steps
        px.append(x[i] + t * (x[i + 1] - x[i]))
        py.append(y[i] + t * (y[i + 1] - y[i]))
    px.append(x[-1:])
    py.append(y[-1:])
    _, idx = cKDTree(np.column_stack([grid.x, grid.y])).query(
        np.column_stack([np.concatenate(px), np.concatenate(py)]))
    chain = grid.county[idx]
    keep = np.concatenate([[True], chain[1:] != chain[:-1]])
    return [int(c) for c in chain[keep]]


def rail_adjacency(grid: PopulationGrid) -> np.ndarray:
    """Symmetric 0/1 matrix of counties that are neighbours along a main railway line."""
    n = len(grid.county_ids)
    adj = np.zeros((n, n))
    for _, stations in railway_lines().groupby("line_id", sort=False):
        chain = line_counties(grid, stations["lon"].to_numpy(), stations["lat"].to_numpy())
        for a, b in zip(chain[:-1], chain[1:]):
            adj[a, b] = adj[b, a] = 1.0
    return adj


def gravity_weights(mass: np.ndarray, x_m: np.ndarray, y_m: np.ndarray, exponent: float) -> np.ndarray:
    """Gravity-model trade weights ``m_i m_j / d_ij^γ`` (zero on the diagonal), d in km."""
    d = np.hypot(x_m[:, None] - x_m[None, :], y_m[:, None] - y_m[None, :]) / 1000.0
    w = np.outer(mass, mass) / np.maximum(d, MIN_DISTANCE_KM) ** exponent
    np.fill_diagonal(w, 0.0)
    return w


def row_normalise(w: np.ndarray) -> np.ndarray:
    """Rows scaled to sum to one (rows of zeros stay zero)."""
    s = w.sum(axis=-1, keepdims=True)
    return np.divide(w, s, out=np.zeros_like(w), where=s > 0)


@dataclass(frozen=True)
class TradeNetwork:
    """Row-stochastic destination matrices: rail, and gravity at each exponent level."""

    rail: np.ndarray                  # (C, C), rows sum to 1 or 0 (no line)
    gravity: dict[float, np.ndarray]  # exponent → (C, C), rows sum to 1
    has_rail: np.ndarray              # (C,) bool

    def destinations(self, w_rail: float, exponent: float) -> np.ndarray:
        """``M = w_rail·rail + (1 − w_rail)·gravity``; gravity alone where no line runs."""
        w = np.where(self.has_rail, w_rail, 0.0)[:, None]
        return w * self.rail + (1.0 - w) * self.gravity[float(exponent)]


def trade_network(grid: PopulationGrid, exponents: np.ndarray) -> TradeNetwork:
    """The network for ``grid``: rail adjacency and gravity weights for each exponent."""
    rail = row_normalise(rail_adjacency(grid))
    x, y = county_centres(grid)
    mass = np.bincount(grid.county, weights=grid.urban, minlength=len(grid.county_ids)) + 1.0
    gravity = {float(g): row_normalise(gravity_weights(mass, x, y, float(g))) for g in exponents}
    return TradeNetwork(rail=rail, gravity=gravity, has_rail=rail.sum(axis=1) > 0)
