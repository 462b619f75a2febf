"""Maps of the real landscape: combined reliability of the outside stations by KST hour, and gaps.

One PNG: 24 small maps (one per KST hour, 4 × 6) of the median combined reliability of all
outside Korean-language broadcasts on the landscape's day, and a larger map of how many hours a
day each cell has no usable outside signal (median combined reliability below
:data:`landscape.USABLE_RELIABILITY`). Drawn in the grid's equal-area projection with the base
map's outlines (provinces, the borders with China and Russia, the MDL). Titles, labels and notes
in English or Korean (``locale/ko/LC_MESSAGES/landscape.po``); the figures come from the
:class:`~corridor.channels.radio.landscape.Landscape` itself.
"""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np

from corridor.channels.radio import eibi
from corridor.channels.radio.landscape import (
    DEFAULT_POWER_KW,
    USABLE_RELIABILITY,
    Landscape,
)
from corridor.errors import CorridorError
from corridor.geo import sources
from corridor.i18n import check_language, gettext
from corridor.presentation import basemap, formatting

#: Reliabilities below this are left blank on the hourly maps (still counted in the figures).
FLOOR = 0.02


def _layers():
    """Neighbours, provinces and borders in EPSG:5179, clipped to the map frame (fewer vertices
    to draw 25 times)."""
    import shapely

    x0, x1, y0, y1 = basemap.frame()
    box = shapely.box(x0, y0, x1, y1)
    countries = sources.countries().to_crs(sources.PROJECTED)
    others = countries[countries["iso_a2"] != "KP"].clip(box)
    provinces = sources.provinces().to_crs(sources.PROJECTED)
    borders = sources.land_borders().to_crs(sources.PROJECTED).clip(box)
    return others, provinces, borders


def _panel(ax, layers, grid, values, *, cmap, vmin, vmax, lw=0.3):
    """One map: sea, neighbours, the cell values, and the outlines of the base map."""
    countries, provinces, borders = layers
    x0, x1, y0, y1 = basemap.frame()
    ax.set_xlim(x0, x1)
    ax.set_ylim(y0, y1)
    ax.set_aspect("equal")
    ax.set_facecolor(basemap.SEA)
    ax.set_xticks([])
    ax.set_yticks([])
    for spine in ax.spines.values():
        spine.set_edgecolor("#b8c4cf")
    countries.plot(ax=ax, color=basemap.LAND_OTHER, edgecolor="#c9c4b8", linewidth=lw, zorder=1)
    image, extent = basemap.grid_image(grid, values)
    base = basemap.grid_image(grid, np.ones(grid.n_cells))[0]
    from matplotlib.colors import ListedColormap

    ax.imshow(base, origin="lower", extent=extent, cmap=ListedColormap(["#ebe7df"]),
              interpolation="nearest", zorder=2)
    im = ax.imshow(image, origin="lower", extent=extent, cmap=cmap, vmin=vmin, vmax=vmax,
                   interpolation="nearest", zorder=3)
    provinces.boundary.plot(ax=ax, color="#5c5c5c", linewidth=lw, zorder=5)
    borders[borders["border"] != "KP-KR"].plot(ax=ax, color=basemap.BORDER_CN, linewidth=lw * 2.5, zorder=6)
    borders[borders["border"] == "KP-KR"].plot(ax=ax, color=basemap.MDL, linewidth=lw * 2.5,
                                               linestyle=(0, (4, 2)), zorder=6)
    ax.set_xlabel("")
    ax.set_ylabel("")
    return im


def landscape_maps(grid, landscape: Landscape, out: Path | str, lang: str = "en") -> Path:
    """Write the hourly reliability maps and the gaps map of ``landscape`` to one PNG.

    ``grid`` must be the grid the landscape was computed on (same ``grid.key``).
    """
    check_language(lang)
    if grid.key != landscape.grid_key or landscape.reliability.shape != (24, grid.n_cells):
        raise CorridorError("the landscape was computed on another population grid",
                            field="grid", value=grid.key, hint=f"use the grid {landscape.grid_key}")

    def _(message: str) -> str:
        return gettext(lang, message)

    basemap._fonts()
    layers = _layers()
    fig = plt.figure(figsize=(17.0, 11.0), dpi=130)
    outer = fig.add_gridspec(1, 2, width_ratios=[2.15, 1.0], left=0.015, right=0.985, top=0.885,
                             bottom=0.215, wspace=0.04)
    hours = outer[0].subgridspec(4, 6, wspace=0.03, hspace=0.14)
    rel = landscape.reliability
    im = None
    for k in range(24):
        ax = fig.add_subplot(hours[k // 6, k % 6])
        values = np.where(rel[k] >= FLOOR, rel[k], np.nan)
        im = _panel(ax, layers, grid, values, cmap="viridis", vmin=0.0, vmax=1.0, lw=0.25)
        stations = landscape.hours_kst[str(k)]["stations"]
        label = _("{hour:02d}:00 KST").format(hour=k)
        ax.set_title(f"{label} · {len(stations)}", fontsize=8, pad=2, color=basemap.INK)
        if not stations:
            x0, x1, y0, y1 = basemap.frame()
            ax.text((x0 + x1) / 2, (y0 + y1) / 2, _("No outside station on air"), ha="center",
                    va="center", fontsize=6.5, color="#8c2d04", zorder=9, wrap=True)
    cax = fig.add_axes([0.06, 0.185, 0.30, 0.012])
    cbar = fig.colorbar(im, cax=cax, orientation="horizontal")
    cbar.ax.tick_params(labelsize=7.5)
    cbar.set_label(_("Combined reliability of the outside stations (median; blank below 2 %)"), fontsize=8)
    fig.text(0.40, 0.185, _("Number after the hour: outside stations on air"), fontsize=7.5,
             color="#555555", va="center")

    gap_ax = fig.add_subplot(outer[1])
    gaps = 24 - landscape.usable_hours()
    gim = _panel(gap_ax, layers, grid, gaps.astype(float), cmap="magma_r", vmin=0, vmax=24, lw=0.5)
    gap_ax.set_title(_("Hours a day with no usable outside signal"), fontsize=11, pad=6,
                     color=basemap.INK, fontweight="bold")
    gcax = fig.add_axes([0.70, 0.185, 0.26, 0.012])
    gbar = fig.colorbar(gim, cax=gcax, orientation="horizontal", ticks=[0, 6, 12, 18, 24])
    gbar.ax.tick_params(labelsize=7.5)
    gbar.set_label(_("Hours without a usable signal (median combined reliability below {pct:.0%})")
                   .format(pct=USABLE_RELIABILITY), fontsize=8)

    rows = landscape.broadcasts
    outside = [r for r in rows if r["outside"]]
    assumed = sum(1 for r in outside if r["power_assumed"])
    unknown = ", ".join(f"{u['station']} ({u['site']})" for u in landscape.unknown_sites if u["outside"])
    peak = landscape.peak_hour_kst()
    ph = landscape.hours_kst[str(peak)]
    silent = landscape.silent_hours_kst
    fig.text(0.015, 0.975, _("Outside radio in Korean: where it could be heard, hour by hour"),
             fontsize=17, fontweight="bold", color=basemap.INK, va="top")
    fig.text(0.015, 0.935, _("Season {season} schedule (EiBi), UTC day {date}, shown in KST; median of "
                             "{draws} draws; HF: ITU-R P.533-14, MF: ground wave and ITU-R P.1147-2 "
                             "sky wave").format(season=landscape.season, date=landscape.date.isoformat(),
                                                draws=landscape.draws),
             fontsize=9.5, color="#444444", va="top")
    notes = [
        _("Peak {hour:02d}:00 KST: {median} people could hear an outside station (90 % interval "
          "{lower}–{upper}). Silent hours (no outside station on air): {silent}.").format(
            hour=peak, median=formatting.people(ph["reached_median"], lang),
            lower=formatting.people(ph["reached_lower90"], lang), upper=formatting.people(ph["reached_upper90"], lang),
            silent=", ".join(f"{h:02d}" for h in silent) if silent else _("none")),
        _("Powers: {assumed} of {total} outside broadcasts at an assumed {kw:g} kW, isotropic antenna "
          "(no published figure); the others from the cited power table.").format(
            assumed=assumed, total=len(outside), kw=DEFAULT_POWER_KW),
        _("Not placed (site code unknown to the site table), left out: {unknown}.").format(
            unknown=unknown or _("none")),
        _("Jamming: the default jammer set (assumed sites and powers) on every outside shortwave "
          "broadcast. North Korea's own stations are not counted."),
        _("Listeners: a share Beta(4, 16) of people (mean 20 %) has a set that can tune outside "
          "stations; the maps show the signal, not listening. Stations combined as independent."),
    ]
    y = 0.128
    for note in notes:
        fig.text(0.015, y, note, fontsize=8, color="#555555", va="top")
        y -= 0.02
    fig.text(0.015, 0.006, f"{eibi.ATTRIBUTION} · {sources.ATTRIBUTION}", fontsize=6.5,
             color=basemap.MUTED, va="bottom")
    return basemap.save_png(fig, out, dpi=130)
