"""North Korea as data: boundaries, the 2008 census, places, crossings and the population grid.

>>> from corridor.geo import load_grid
>>> grid = load_grid(resolution_km=5, year=2008)
>>> round(grid.civilian.sum())
23349859
"""

from corridor.geo.grid import GridParams, PopulationGrid, build_grid, load_grid
from corridor.geo.names import BORDER_PROVINCES, PROVINCES, PROVINCES_KO, resolve_county, resolve_province

__all__ = ["GridParams", "PopulationGrid", "build_grid", "load_grid", "PROVINCES", "PROVINCES_KO",
           "BORDER_PROVINCES", "resolve_province", "resolve_county"]
