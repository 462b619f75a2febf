"""Summaries of the population grid, as plain data (used by the CLI and the demo)."""

from __future__ import annotations

import numpy as np

from corridor.geo import population as pop
from corridor.geo import sources
from corridor.geo.grid import PopulationGrid
from corridor.geo.names import PROVINCES, PROVINCES_KO, resolve_province


def summarise(grid: PopulationGrid, *, province: str | None = None) -> dict:
    """Totals by province (rounded to people), cells, and where the numbers come from.

    ``provinces`` holds civilians per 2008 province, which for 2008 equal the census exactly.
    With ``province``, ``counties`` lists that province's 2019 units.
    """
    civ = grid.province_totals("civilian")
    cells = np.bincount(grid.province, minlength=len(PROVINCES))
    civilian = int(round(grid.civilian.sum()))
    military = int(round(grid.military.sum()))
    p = grid.params
    placement = {
        "dmz": f"{p.military_dmz_share:.0%} within {p.military_dmz_band_km:g} km of the MDL, "
               "the rest in proportion to civilians",
        "proportional": "in proportion to civilians",
        "exclude": "left out",
    }[p.military_placement]
    data = {
        "year": grid.year,
        "total": civilian + military,
        "civilian": civilian,
        "military": military,
        "cells": grid.n_cells,
        "provinces": {name: int(round(civ[name])) for name in PROVINCES},
        "resolution_km": grid.resolution_km,
        "provinces_ko": dict(PROVINCES_KO),
        "province_cells": {name: int(cells[i]) for i, name in enumerate(PROVINCES)},
        "total_source": ("DPRK 2008 Population Census" if grid.year == pop.CENSUS_YEAR else
                         f"2008 census scaled by {grid.scale:.4f} to the {pop.WPP_SOURCE} total"),
        "military_placement": placement,
    }
    if province is not None:
        name = resolve_province(province, field="--province")
        counties = sources.counties()
        totals = grid.county_totals("civilian")
        n_cells = np.bincount(grid.county, minlength=len(grid.county_ids))
        rows = []
        for i, row in enumerate(counties.itertuples()):
            if row.province_2008 == name:
                rows.append({"id": row.adm2_id, "name": row.name_en, "name_ko": row.name_ko,
                             "civilian": int(round(totals.iloc[i])), "cells": int(n_cells[i])})
        data["province"] = name
        data["counties"] = sorted(rows, key=lambda r: -r["civilian"])
    return data
