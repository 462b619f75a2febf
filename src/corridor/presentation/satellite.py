"""The satellite map: who could watch (link closes × dish ownership) and the link's availability."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from matplotlib.colors import ListedColormap, LogNorm

from corridor.channels.base import Coverage
from corridor.geo.grid import PopulationGrid
from corridor.presentation import basemap

FLOOR = 1e-5


def reach_map(grid: PopulationGrid, coverage: Coverage, out: Path | str, *, title: str, subtitle: str,
              notes: list[str], lang: str = "en", no_link_label: str = "Link does not close") -> Path:
    """Median probability that a person could watch, on a log scale; cells where the link fails
    in most draws grey; red contours of the link margin (Es/N0 above the mode's threshold at the
    target availability, central budget, dB)."""
    coverage.check_grid(grid)
    ctx = basemap.base_map(lang)
    ax = ctx.ax
    median = np.median(coverage.probability, axis=0)
    closes = coverage.extras["closes_share"] >= 0.5
    image, extent = basemap.grid_image(grid, np.where(closes & (median >= FLOOR), median, np.nan))
    base = basemap.grid_image(grid, np.ones(grid.n_cells))[0]
    ax.imshow(base, origin="lower", extent=extent, cmap=ListedColormap(["#ebe7df"]),
              interpolation="nearest", zorder=2)
    fail = basemap.grid_image(grid, np.where(closes, np.nan, 1.0))[0]
    ax.imshow(fail, origin="lower", extent=extent, cmap=ListedColormap(["#9e9e9e"]),
              interpolation="nearest", zorder=3)
    vmax = max(float(np.nanmax(image)) if np.isfinite(image).any() else 1e-2, 1e-3) * 1.5
    im = ax.imshow(image, origin="lower", extent=extent, cmap="viridis",
                   norm=LogNorm(vmin=max(FLOOR, vmax / 300), vmax=min(vmax, 1.0)),
                   interpolation="nearest", zorder=3)
    margin = basemap.grid_image(grid, coverage.extras["margin_db"])[0]
    ny, nx = margin.shape
    xs = np.linspace(extent[0], extent[1], nx)
    ys = np.linspace(extent[2], extent[3], ny)
    filled = np.ma.masked_invalid(margin)
    lo, hi = float(np.nanmin(margin)), float(np.nanmax(margin))
    step = 1.0 if hi - lo < 6 else 2.0
    levels = [float(v) for v in np.arange(np.ceil(lo / step) * step, hi, step) if lo < v < hi]
    if levels:
        cs = ax.contour(xs, ys, filled, levels=levels, colors="#b2182b", linewidths=0.9,
                        linestyles=[("-" if v == 0 else (0, (4, 2))) for v in levels], zorder=5)
        ax.clabel(cs, fmt=lambda v: f"{v:+g} dB", fontsize=7)
    cax = ctx.fig.add_axes([0.70, 0.40, 0.26, 0.013])
    cbar = ctx.fig.colorbar(im, cax=cax, orientation="horizontal")
    cbar.ax.tick_params(labelsize=7.5)
    cbar.ax.xaxis.set_major_formatter(lambda v, _pos: f"{v * 100:g}%")
    cbar.set_label(ctx._("Probability a person could watch (median)"), fontsize=8)
    if (~closes).any():
        ax.scatter([], [], marker="s", color="#9e9e9e", label=no_link_label)
    basemap.draw_cities(ctx, n=10)
    return basemap.finish(ctx, out, title=title, subtitle=subtitle, notes=notes)
