"""The population grid: North Korea's people on equal-area cells.

Every reach model weighs its coverage by this grid. :func:`build_grid` makes it from the shipped
census and boundaries (method and assumptions in ``docs/population-grid.md``);
:func:`load_grid` returns it from the on-disk cache, scaled to the year asked for. Reading and
writing that cache file (its path, format and checksum) is :mod:`corridor.geo.grid_io`'s: this
module computes, that one stores.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Literal

import numpy as np
import pandas as pd
import shapely
from pydantic import BaseModel, ConfigDict, Field
from pyproj import Transformer
from scipy.spatial import cKDTree

from corridor.errors import CorridorError
from corridor.geo import population as pop
from corridor.geo import sources
from corridor.geo.names import PROVINCES, fold
from corridor.settings import (  # validate_resolution: re-exported
    grid_resolution_km,
    validate_resolution,
)

#: Bump when the method changes: old caches are then ignored, never reused.
GRID_VERSION = 1
MAX_CELLS = 2_000_000

Progress = Callable[[str], None]


class GridParams(BaseModel):
    """Assumptions of the population grid; every one documented in ``docs/population-grid.md``."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    resolution_km: float = Field(5.0, description="cell side, km")
    urban_density_per_km2: float = Field(
        8000.0, gt=0, description="peak density of a town of one million people, people per km²")
    urban_density_exponent: float = Field(
        1 / 6, ge=0, le=1, description="growth of peak density with town size (P^β)")
    town_merge_km: float = Field(
        3.0, ge=0, description="GeoNames places closer than this in one county are one town, km")
    urban_min_sigma_km: float = Field(0.5, gt=0, description="narrowest town footprint, km")
    rural_decay_km: float = Field(
        20.0, gt=0, description="e-folding distance of rural density from the county seat, km")
    military_placement: Literal["dmz", "proportional", "exclude"] = Field(
        "dmz", description="how the 702,372 people in military camps are placed")
    military_dmz_share: float = Field(
        0.7, ge=0, le=1, description="share of military camp population near the DMZ")
    military_dmz_band_km: float = Field(
        100.0, gt=0, description="width of the band north of the MDL holding that share, km")

    def cache_key(self) -> str:
        text = json.dumps(self.model_dump(), sort_keys=True)
        return hashlib.sha256(text.encode()).hexdigest()[:12]


@dataclass(frozen=True, eq=False)
class PopulationGrid:
    """People of North Korea on square cells of an equal-area projection (EPSG:5179).

    Arrays are aligned by cell. Populations are in people (float, not rounded, so that cells
    add up exactly to the census); ``area_km2`` is the land area of the cell.
    """

    resolution_km: float
    year: int
    x: np.ndarray            # cell centre, metres east (EPSG:5179)
    y: np.ndarray            # cell centre, metres north (EPSG:5179)
    lon: np.ndarray          # cell centre, degrees east (WGS84)
    lat: np.ndarray          # cell centre, degrees north (WGS84)
    area_km2: np.ndarray     # land area of the cell, km²
    civilian: np.ndarray     # household and institutional population, people
    military: np.ndarray     # population of military camps placed here, people
    urban: np.ndarray        # urban civilians, people
    province: np.ndarray     # index into PROVINCES (2008 census province)
    county: np.ndarray       # index into county_ids
    county_ids: tuple[str, ...]
    params: GridParams
    scale: float = 1.0       # factor from the 2008 census to ``year``
    meta: dict = field(default_factory=dict)

    crs = sources.PROJECTED
    provinces = PROVINCES

    @property
    def n_cells(self) -> int:
        return int(self.x.size)

    @property
    def population(self) -> np.ndarray:
        """All people in the cell (civilian + military), people."""
        return self.civilian + self.military

    @property
    def urban_share(self) -> np.ndarray:
        """Share of the cell's civilians living in urban areas (0–1)."""
        with np.errstate(invalid="ignore", divide="ignore"):
            return np.where(self.civilian > 0, self.urban / self.civilian, 0.0)

    @property
    def density_per_km2(self) -> np.ndarray:
        """People per km² of land."""
        return self.population / np.maximum(self.area_km2, 1e-9)

    @property
    def key(self) -> str:
        """Identifies the cell layout (not the year): coverages must carry the same key."""
        return f"kp-{self.resolution_km:g}km-v{GRID_VERSION}-{self.params.cache_key()}"

    @property
    def province_names(self) -> np.ndarray:
        return np.asarray(PROVINCES, dtype=object)[self.province]

    def county_id(self) -> np.ndarray:
        return np.asarray(self.county_ids, dtype=object)[self.county]

    def province_totals(self, which: str = "civilian") -> pd.Series:
        """People per 2008 province (``which``: civilian, military or population)."""
        values = getattr(self, which)
        sums = np.bincount(self.province, weights=values, minlength=len(PROVINCES))
        return pd.Series(sums, index=list(PROVINCES), name=which)

    def county_totals(self, which: str = "civilian") -> pd.Series:
        values = getattr(self, which)
        sums = np.bincount(self.county, weights=values, minlength=len(self.county_ids))
        return pd.Series(sums, index=list(self.county_ids), name=which)

    def to_frame(self) -> pd.DataFrame:
        """One row per cell, with every attribute (and the province and county names)."""
        return pd.DataFrame({
            "x": self.x, "y": self.y, "lon": self.lon, "lat": self.lat,
            "area_km2": self.area_km2, "population": self.population,
            "civilian": self.civilian, "military": self.military,
            "urban_share": self.urban_share, "province": self.province_names,
            "county_id": self.county_id(),
        })

    def cell_polygons(self) -> np.ndarray:
        """Square cell outlines (shapely polygons) in EPSG:5179."""
        h = self.resolution_km * 500.0
        return shapely.box(self.x - h, self.y - h, self.x + h, self.y + h)

    def at_year(self, year: int) -> PopulationGrid:
        """The same grid scaled from the 2008 census to ``year`` (see :func:`total_population`)."""
        base = 1.0 / self.scale
        factor = pop.total_population(year) / pop.CENSUS_2008_TOTAL
        k = base * factor
        return replace(self, year=year, scale=factor, civilian=self.civilian * k,
                       military=self.military * k, urban=self.urban * k)


# --------------------------------------------------------------------------------------------
# Building


def _land_cells(land: shapely.Geometry, res_m: float, progress: Progress):
    minx, miny, maxx, maxy = land.bounds
    x0 = np.floor(minx / res_m) * res_m + res_m / 2
    y0 = np.floor(miny / res_m) * res_m + res_m / 2
    xs = np.arange(x0, maxx, res_m)
    ys = np.arange(y0, maxy, res_m)
    if xs.size * ys.size > MAX_CELLS * 4:
        raise CorridorError("resolution too fine for this machine", field="--resolution-km",
                            value=res_m / 1000, hint="use 0.5 km or coarser")
    gx, gy = np.meshgrid(xs, ys)
    gx, gy = gx.ravel(), gy.ravel()
    shapely.prepare(land)
    progress(f"testing {gx.size:,} cell centres against the coastline")
    inside = shapely.contains_xy(land, gx, gy)
    x, y = gx[inside], gy[inside]
    # Land area: whole cell unless the coastline or border crosses it.
    h = res_m / 2
    boxes = shapely.box(x - h, y - h, x + h, y + h)
    boundary = land.boundary
    shapely.prepare(boundary)
    edge = shapely.intersects(boundary, boxes)
    area = np.full(x.size, (res_m / 1000) ** 2)
    progress(f"clipping {int(edge.sum()):,} coastal and border cells")
    area[edge] = shapely.area(shapely.intersection(boxes[edge], land)) / 1e6
    return x, y, area


def _assign_counties(x, y, cell_province, counties: pd.DataFrame, cx, cy) -> np.ndarray:
    """Voronoi zones of county centres, within each 2008 province (discretised on cells)."""
    county = np.full(x.size, -1, dtype=np.int32)
    for p, name in enumerate(PROVINCES):
        cells = np.flatnonzero(cell_province == p)
        members = np.flatnonzero(counties["province_2008"].to_numpy() == name)
        tree = cKDTree(np.column_stack([cx[members], cy[members]]))
        _, nearest = tree.query(np.column_stack([x[cells], y[cells]]))
        county[cells] = members[nearest]
        # A county whose zone holds no cell centre (a small unit, or a centre outside the
        # generalised polygon) takes the nearest cell of its province from a county that
        # can spare one, so that every county's people are on the grid.
        counts = np.bincount(county[cells], minlength=len(counties))
        for c in members[counts[members] == 0]:
            d = np.hypot(x[cells] - cx[c], y[cells] - cy[c])
            for i in np.argsort(d):
                donor = county[cells[i]]
                if counts[donor] > 1:
                    county[cells[i]] = c
                    counts[donor] -= 1
                    counts[c] += 1
                    break
    return county


def _hosts_of_cellless_counties(x, y, cell_province, county, counties: pd.DataFrame, cx, cy) -> np.ndarray:
    """For each county, the cell that holds its people when no cell is its own (else -1).

    At coarse resolutions a province can have fewer cells than counties (20 km cells leave
    several of South Hwanghae's counties without one), so :func:`_assign_counties` cannot give
    every county a cell. Such a county's people go to the cell nearest to its centre within its
    province (or, if the province has no cell at all, the nearest cell): province and national
    totals stay exact; that cell keeps the label of the county it belongs to, so county totals
    of these counties are not available at that resolution.
    """
    host = np.full(len(counties), -1, dtype=np.int64)
    counts = np.bincount(county[county >= 0], minlength=len(counties))
    province_of = {name: p for p, name in enumerate(PROVINCES)}
    for c in np.flatnonzero(counts == 0):
        same = np.flatnonzero(cell_province == province_of.get(counties["province_2008"].iloc[c], -1))
        cand = same if same.size else np.arange(x.size)
        host[c] = cand[np.argmin(np.hypot(x[cand] - cx[c], y[cand] - cy[c]))]
    return host


_SUFFIX = re.compile(r"(-si|-ŭp|-ni|-ri|-dong|-gu|-rodongjagu)$")


def _seat_towns_in_their_counties(towns, tx, ty, x, y, cell_province, county, town_county,
                                  counties: pd.DataFrame, params: GridParams, resolution_km: float) -> None:
    """Keep a county's namesake town (its seat) inside the county's zone.

    A Voronoi zone around a polygon centroid can miss the town the county is named after
    (Chongjin's centroid lies north of the city). A GeoNames place whose name, without its
    suffix, is a county's name belongs to that county: the cells within the town's footprint
    are moved into the county's zone (within the same province, never taking a county's last
    cell). ``county`` and ``town_county`` are updated in place.
    """
    by_name = {fold(re.sub(r"\s+(City|Dist\.)$", "", name)): i
               for i, name in enumerate(counties["name_en"])}
    province_of = {name: p for p, name in enumerate(PROVINCES)}
    county_province = counties["province_2008"].map(province_of).to_numpy()
    counts = np.bincount(county, minlength=len(counties))
    for t, name in enumerate(towns["name"]):
        c = by_name.get(fold(_SUFFIX.sub("", name)))
        if c is None or town_county[t] == c:
            continue
        town_county[t] = c
        radius_m = 1000.0 * max(1.5 * resolution_km, float(pop.town_sigma_km(
            towns["population"].iloc[t], params.urban_density_per_km2, params.urban_min_sigma_km)))
        near = np.flatnonzero((np.hypot(x - tx[t], y - ty[t]) <= radius_m)
                              & (cell_province == county_province[c]))
        for i in near[np.argsort(np.hypot(x[near] - tx[t], y[near] - ty[t]))]:
            donor = county[i]
            if donor != c and counts[donor] > 1:
                county[i] = c
                counts[donor] -= 1
                counts[c] += 1


def _merge_close_towns(tx, ty, people, town_county, merge_m: float) -> np.ndarray:
    """Fold GeoNames places that are parts of one town (e.g. Hyesan and Hyesan-dong) together.

    Going from the largest place down, each place absorbs the smaller places of the same
    county within ``merge_m`` metres; absorbed places are left with zero population.
    """
    people = people.copy()
    for i in np.argsort(-people, kind="stable"):
        if people[i] == 0:
            continue
        near = (town_county == town_county[i]) & (np.hypot(tx - tx[i], ty - ty[i]) <= merge_m)
        near[i] = False
        people[i] += people[near].sum()
        people[near] = 0.0
    return people


def build_grid(resolution_km: float = 5.0, params: GridParams | None = None,
               progress: Progress | None = None) -> PopulationGrid:
    """Build the 2008 population grid from the shipped data (deterministic; no cache).

    Parameters
    ----------
    resolution_km : float
        Cell side in km (5 by default, 1 for detail). Must be positive.
    params : GridParams, optional
        The assumptions; ``params.resolution_km`` is replaced by ``resolution_km``.
    """
    resolution_km = validate_resolution(resolution_km)
    params = (params or GridParams()).model_copy(update={"resolution_km": resolution_km})
    say = progress or (lambda _msg: None)
    res_m = resolution_km * 1000.0

    prov = sources.provinces().to_crs(sources.PROJECTED)
    land = shapely.union_all(prov.geometry.values)
    x, y, area = _land_cells(land, res_m, say)
    if x.size == 0:  # pragma: no cover - only for absurd resolutions
        raise CorridorError("no cell centre falls on land", field="--resolution-km", value=resolution_km)

    cell_province = np.full(x.size, -1, dtype=np.int16)
    for p, geom in enumerate(prov.geometry.values):
        shapely.prepare(geom)
        hit = (cell_province < 0) & shapely.contains_xy(geom, x, y)
        cell_province[hit] = p
    cell_province[cell_province < 0] = 0  # unreachable: land is the union of the provinces

    counties = sources.counties()
    to_xy = Transformer.from_crs(sources.WGS84, sources.PROJECTED, always_xy=True)
    cx, cy = to_xy.transform(counties["lon"].to_numpy(), counties["lat"].to_numpy())
    say("assigning cells to county zones")
    county = _assign_counties(x, y, cell_province, counties, cx, cy)

    # Towns: GeoNames places, each joined to the county of the cell nearest to it (towns on
    # the border rivers lie just outside the generalised polygons and are snapped this way).
    towns = sources.places("KP")
    tx, ty = to_xy.transform(towns["lon"].to_numpy(), towns["lat"].to_numpy())
    cell_tree = cKDTree(np.column_stack([x, y]))
    _, town_cell = cell_tree.query(np.column_stack([tx, ty]))
    town_county = county[town_cell]
    _seat_towns_in_their_counties(towns, tx, ty, x, y, cell_province, county, town_county, counties,
                                  params, resolution_km)
    town_pop = _merge_close_towns(tx, ty, towns["population"].to_numpy(dtype=float), town_county,
                                  params.town_merge_km * 1000.0)

    civilian = np.zeros(x.size)
    urban = np.zeros(x.size)
    say("spreading each county's urban and rural population")
    host = _hosts_of_cellless_counties(x, y, cell_province, county, counties, cx, cy)
    for c, row in enumerate(counties.itertuples()):
        cells = np.flatnonzero(county == c)
        if cells.size == 0:  # coarse cells: the county has none of its own (see the helper)
            cells = host[c:c + 1]
        px, py, pa_ = x[cells], y[cells], area[cells]
        mine = np.flatnonzero((town_county == c) & (town_pop > 0))
        if mine.size:
            share = town_pop[mine] / town_pop[mine].sum()
            sx, sy = tx[mine], ty[mine]
            seat = mine[np.argmax(town_pop[mine])]
            seat_x, seat_y = tx[seat], ty[seat]
        else:  # no GeoNames town in the zone: the county centre stands for its town
            share = np.array([1.0])
            sx, sy = np.array([cx[c]]), np.array([cy[c]])
            seat_x, seat_y = cx[c], cy[c]
        u = np.zeros(cells.size)
        if row.urban_total > 0:
            people = row.urban_total * share
            peak = pop.town_peak_density(people, params.urban_density_per_km2,
                                         exponent=params.urban_density_exponent)
            sigma0 = pop.town_sigma_km(people, peak, params.urban_min_sigma_km)
            for k in range(share.size):
                d_km = np.hypot(px - sx[k], py - sy[k]) / 1000.0
                sigma = pop.fit_sigma_to_land(people[k], peak[k], d_km, pa_, sigma0[k])
                w = pop.gaussian_weights(d_km, sigma) * pa_
                if w.sum() <= 0:  # town far outside its zone: its nearest cell takes it
                    w = (d_km == d_km.min()).astype(float)
                u += pop.allocate(people[k], w)
        d_seat = np.hypot(px - seat_x, py - seat_y) / 1000.0
        r = pop.allocate(row.rural_total, pop.exponential_weights(d_seat, params.rural_decay_km) * pa_)
        civilian[cells] += u + r   # += : a host cell also holds its own county's people
        urban[cells] += u

    military = _place_military(x, y, area, civilian, params, say)

    lon, lat = Transformer.from_crs(sources.PROJECTED, sources.WGS84, always_xy=True).transform(x, y)
    meta = {
        "method": "census-2008 county totals on Voronoi county zones; Gaussian town kernels; "
                  "exponential rural decay",
        "grid_version": GRID_VERSION,
        "built": date.today().isoformat(),
        "sources": sources.ATTRIBUTION,
    }
    return PopulationGrid(
        resolution_km=resolution_km, year=pop.CENSUS_YEAR, x=x, y=y, lon=np.asarray(lon),
        lat=np.asarray(lat), area_km2=area, civilian=civilian, military=military, urban=urban,
        province=cell_province.astype(np.int8), county=county.astype(np.int16),
        county_ids=tuple(counties["adm2_id"]), params=params, scale=1.0, meta=meta)


def _place_military(x, y, area, civilian, params: GridParams, say: Progress) -> np.ndarray:
    """Place the census's military-camp population by the chosen assumption."""
    total = float(pop.CENSUS_2008_MILITARY)
    if params.military_placement == "exclude":
        return np.zeros(x.size)
    if params.military_placement == "proportional":
        return pop.allocate(total, civilian)
    say("placing the military-camp population near the DMZ")
    borders = sources.land_borders().to_crs(sources.PROJECTED)
    mdl = borders.loc[borders["border"] == "KP-KR", "geometry"].iloc[0]
    d_km = shapely.distance(mdl, shapely.points(x, y)) / 1000.0
    band = d_km <= params.military_dmz_band_km
    near = pop.allocate(total * params.military_dmz_share, area * band)
    rest = pop.allocate(total * (1 - params.military_dmz_share), civilian)
    return near + rest


def load_grid(resolution_km: float | None = None, year: int | None = None, params: GridParams | None = None,
              *, rebuild: bool = False, progress: Progress | None = None) -> PopulationGrid:
    """The population grid for ``year`` (default: this year), built once and then cached.

    ``resolution_km`` defaults to the setting (:func:`corridor.settings.grid_resolution_km`:
    ``$CORRIDOR_GRID_KM``, else 5 km). The cache holds the 2008 grid; scaling to ``year`` is a
    multiplication. ``rebuild`` ignores (and replaces) a cached file, including a damaged one.
    """
    # Here, not at the top: the cache module imports this one (PopulationGrid, GridParams).
    from corridor.geo.grid_io import cache_path, read_grid, save_grid

    resolution_km = grid_resolution_km(resolution_km)
    target_year = date.today().year if year is None else year
    pop.total_population(target_year)  # validates the year before any work
    path = cache_path(resolution_km, params)
    if path.exists() and not rebuild:
        grid = read_grid(path)
    else:
        grid = build_grid(resolution_km, params, progress)
        save_grid(grid, path)
    return grid if target_year == pop.CENSUS_YEAR else grid.at_year(target_year)
