"""Coverage maps: the median probability of reception per cell, for any channel."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from corridor.channels.base import Coverage
from corridor.geo.grid import PopulationGrid
from corridor.presentation import basemap

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
    return share_map(grid, np.median(coverage.probability, axis=0), out, title=title, subtitle=subtitle,
                     notes=notes, lang=lang, label=label, sites=sites)


def mean_share_map(grid: PopulationGrid, rows: np.ndarray, out: Path | str, *, title: str, subtitle: str,
                   notes: list[str], lang: str = "en", label: str | None = None,
                   sites: list[tuple[float, float, str]] | None = None) -> Path:
    """Draw the mean over rows (e.g. hours) of a share per cell, ``rows`` of shape (rows, cells);
    e.g. a radio schedule's reliability averaged over its hours. ``subtitle`` says what is averaged."""
    rows = np.asarray(rows, dtype=float)
    if rows.ndim != 2 or rows.shape[1] != grid.n_cells:
        raise ValueError(f"expected (rows, {grid.n_cells}) values, got {rows.shape}")
    return share_map(grid, rows.mean(axis=0), out, title=title, subtitle=subtitle, notes=notes, lang=lang,
                     label=label, sites=sites)


def share_map(grid: PopulationGrid, values: np.ndarray, out: Path | str, *, title: str, subtitle: str,
              notes: list[str], lang: str = "en", label: str | None = None,
              sites: list[tuple[float, float, str]] | None = None) -> Path:
    """Draw one share (0–1) per cell of ``grid`` with the shared base map; shares below
    :data:`FLOOR` are left blank, ``sites`` (lon, lat, name) are starred."""
    values = np.clip(np.asarray(values, dtype=float), 0.0, 1.0)
    ctx = basemap.base_map(lang)
    basemap.draw_cells(ctx, grid, np.where(values >= FLOOR, values, np.nan), cmap="viridis", vmin=0, vmax=1,
                       label=label or ctx._("Probability of reception (median)"))
    basemap.draw_cities(ctx, n=10)
    for lon, lat, name in sites or []:
        x, y = basemap.to_xy(lon, lat)
        ctx.ax.scatter([x], [y], marker="*", s=140, color="#d62728", edgecolor="white", zorder=11)
        ctx.ax.annotate(name, (x, y), xytext=(6, -10), textcoords="offset points", fontsize=8,
                        color="#d62728", zorder=11, path_effects=basemap._HALO)
    return basemap.finish(ctx, out, title=title, subtitle=subtitle, notes=notes)
