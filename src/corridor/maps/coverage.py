"""Coverage maps: the median probability of reception per cell, for any channel."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from corridor.channels.base import Coverage
from corridor.geo.grid import PopulationGrid
from corridor.maps import basemap

#: Probabilities below this are left blank on the map (still counted in the numbers).
FLOOR = 0.01


def coverage_map(grid: PopulationGrid, coverage: Coverage, out: Path | str, *, title: str,
                 subtitle: str, notes: list[str], lang: str = "en", label: str | None = None,
                 sites: list[tuple[float, float, str]] | None = None) -> Path:
    """Draw the median (over draws) probability of reception, with the shared base map.

    ``subtitle`` must say what the map is (e.g. "night, 500 Hz band, median of 200 draws");
    ``notes`` carry the figures with their interval and the assumptions.
    """
    coverage.check_grid(grid)
    ctx = basemap.base_map(lang)
    median = np.median(coverage.probability, axis=0)
    basemap.draw_cells(ctx, grid, np.where(median >= FLOOR, median, np.nan), cmap="viridis", vmin=0, vmax=1,
                       label=label or ctx._("Probability of reception (median)"))
    basemap.draw_cities(ctx, n=10)
    for lon, lat, name in sites or []:
        x, y = basemap.to_xy(lon, lat)
        ctx.ax.scatter([x], [y], marker="*", s=140, color="#d62728", edgecolor="white", zorder=11)
        ctx.ax.annotate(name, (x, y), xytext=(6, -10), textcoords="offset points", fontsize=8,
                        color="#d62728", zorder=11, path_effects=basemap._HALO)
    return basemap.finish(ctx, out, title=title, subtitle=subtitle, notes=notes)
