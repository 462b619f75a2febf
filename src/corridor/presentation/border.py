"""The border-media map: share of each county that has seen the content, and the reach curve."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from matplotlib.colors import ListedColormap, LogNorm

from corridor.channels.base import Coverage
from corridor.channels.border import crossings
from corridor.channels.border.network import railway_lines
from corridor.geo.grid import PopulationGrid
from corridor.presentation import basemap

#: Shares below this are left blank (still counted in the figures).
FLOOR = 1e-4


def spread_map(grid: PopulationGrid, coverage: Coverage, out: Path | str, *, title: str,
               subtitle: str, notes: list[str], lang: str = "en", site_label: str = "",
               curve_title: str = "People reached by day", days_label: str = "days after entry",
               band_label: str = "90% interval", rail_label: str = "Main railway lines") -> Path:
    """Median share reached per cell on a log scale, railway lines, the crossing, and an inset
    curve of people reached by day (median and 90 % interval over draws)."""
    coverage.check_grid(grid)
    ctx = basemap.base_map(lang)
    ax = ctx.ax
    median = np.median(coverage.probability, axis=0)
    image, extent = basemap.grid_image(grid, np.where(median >= FLOOR, median, np.nan))
    base = basemap.grid_image(grid, np.ones(grid.n_cells))[0]
    ax.imshow(base, origin="lower", extent=extent, cmap=ListedColormap(["#ebe7df"]),
              interpolation="nearest", zorder=2)
    im = ax.imshow(image, origin="lower", extent=extent, cmap="magma_r",
                   norm=LogNorm(vmin=FLOOR, vmax=1.0), interpolation="nearest", zorder=3)
    for _, line in railway_lines().groupby("line_id", sort=False):
        x, y = basemap.to_xy(line["lon"].to_numpy(), line["lat"].to_numpy())
        ax.plot(x, y, color="#3b6e8f", lw=0.9, alpha=0.8, zorder=4,
                label=rail_label if _ == "pyongui" else None)
    cax = ctx.fig.add_axes([0.70, 0.47, 0.26, 0.013])
    cbar = ctx.fig.colorbar(im, cax=cax, orientation="horizontal")
    cbar.ax.tick_params(labelsize=7.5)
    cbar.set_label(ctx._("Share of people who have seen it (median)"), fontsize=8)
    basemap.draw_cities(ctx, n=10)
    table = crossings.crossings()
    cx, cy = basemap.to_xy(table["kp_lon"].to_numpy(), table["kp_lat"].to_numpy())
    ax.scatter(cx, cy, marker="D", s=24, color="#f4a300", edgecolor=basemap.INK, linewidth=0.7, zorder=9)
    lon, lat = coverage.extras["site"]
    x, y = basemap.to_xy(lon, lat)
    ax.scatter([x], [y], marker="*", s=170, color="#1f77b4", edgecolor="white", zorder=11)
    ax.annotate(site_label, (x, y), xytext=(7, 4), textcoords="offset points", fontsize=8.5,
                color="#1f4e79", zorder=11, path_effects=basemap._HALO)
    # Inset: people reached by day.
    curve = coverage.extras["reached_by_day"]
    days = np.arange(len(curve["median"]))
    inset = ctx.fig.add_axes([0.72, 0.255, 0.24, 0.13])
    inset.fill_between(days, curve["lower90"], curve["upper90"], color="#f4a582", alpha=0.55,
                       lw=0, label=band_label)
    inset.plot(days, curve["median"], color="#b2182b", lw=1.6)
    inset.set_yscale("log")
    inset.set_title(curve_title, fontsize=8)
    inset.set_xlabel(days_label, fontsize=7)
    inset.tick_params(labelsize=6.5)
    inset.grid(alpha=0.3, lw=0.5)
    inset.legend(fontsize=6.5, loc="lower right", frameon=False)
    return basemap.finish(ctx, out, title=title, subtitle=subtitle, notes=notes)
