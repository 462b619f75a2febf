"""North Korea as data: boundaries, the 2008 census, places, crossings and the population grid.

>>> from corridor.geo import load_grid
>>> grid = load_grid(resolution_km=5, year=2008)
>>> round(grid.civilian.sum())
23349859

The grid's names are loaded on first use (PEP 562), so that importing a light module of this
package (``corridor.geo.names``) does not load pandas, shapely and the grid.
"""

from corridor.geo.names import (
    BORDER_PROVINCES,
    PROVINCES,
    PROVINCES_KO,
    resolve_county,
    resolve_province,
)

_FROM_GRID = ("GridParams", "PopulationGrid", "build_grid", "load_grid")

__all__ = ["GridParams", "PopulationGrid", "build_grid", "load_grid", "PROVINCES", "PROVINCES_KO",
           "BORDER_PROVINCES", "resolve_province", "resolve_county"]


def __getattr__(name: str):
    if name in _FROM_GRID:
        from corridor.geo import grid

        return getattr(grid, name)
    raise AttributeError(f"module 'corridor.geo' has no attribute {name!r}")
