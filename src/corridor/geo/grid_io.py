"""The population grid's cache file: where it is, writing it and reading it back, checked.

The 2008 grid (:class:`~corridor.geo.grid.PopulationGrid`) is stored as one Parquet table of its
cell arrays, with its parameters, county ids, build notes, grid version and a SHA-256 of the
arrays in the schema's metadata; a file that does not match them is refused, never used.
:func:`corridor.geo.grid.load_grid` decides when to read and when to build.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from corridor.atomic import atomic_path
from corridor.errors import CorridorError
from corridor.geo import population as pop
from corridor.geo.grid import GRID_VERSION, GridParams, PopulationGrid
from corridor.paths import cache_dir

_ARRAYS = ("x", "y", "lon", "lat", "area_km2", "civilian", "military", "urban", "province", "county")


def cache_path(resolution_km: float, params: GridParams | None = None) -> Path:
    params = (params or GridParams()).model_copy(update={"resolution_km": float(resolution_km)})
    return cache_dir() / f"grid-v{GRID_VERSION}-{float(resolution_km):g}km-{params.cache_key()}.parquet"


def _checksum(table: pa.Table) -> str:
    h = hashlib.sha256()
    for name in _ARRAYS:
        h.update(np.ascontiguousarray(table.column(name).to_numpy()).tobytes())
    return h.hexdigest()


def save_grid(grid: PopulationGrid, path: Path) -> None:
    """Write the 2008 grid to Parquet atomically, with its parameters and a checksum."""
    table = pa.table({name: getattr(grid, name) for name in _ARRAYS})
    meta = {"params": grid.params.model_dump(), "county_ids": list(grid.county_ids),
            "meta": grid.meta, "checksum": _checksum(table), "grid_version": GRID_VERSION}
    table = table.replace_schema_metadata({b"corridor": json.dumps(meta).encode()})
    with atomic_path(path, field="cache") as tmp:
        pq.write_table(table, tmp, compression="zstd")


def read_grid(path: Path) -> PopulationGrid:
    """Read a cached 2008 grid; a damaged file is a :class:`CorridorError` naming it."""
    hint = "delete it or run again with --rebuild"
    try:
        table = pq.read_table(path)
        meta = json.loads(table.schema.metadata[b"corridor"])
        ok = meta.get("grid_version") == GRID_VERSION and _checksum(table) == meta["checksum"]
    except Exception as exc:  # noqa: BLE001 - any decoding failure means the same thing to the user
        raise CorridorError(f"the cached population grid is corrupt ({type(exc).__name__})",
                            source=str(path), hint=hint) from None
    if not ok:
        raise CorridorError("the cached population grid failed its checksum", source=str(path), hint=hint)
    params = GridParams(**meta["params"])
    arrays = {name: table.column(name).to_numpy() for name in _ARRAYS}
    return PopulationGrid(resolution_km=params.resolution_km, year=pop.CENSUS_YEAR,
                          county_ids=tuple(meta["county_ids"]), params=params, scale=1.0,
                          meta=meta["meta"], **arrays)
