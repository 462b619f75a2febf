"""Pictures of a balloon launch: the landing map and the launch-window chart.

Both carry a subtitle saying what they show, the figures with their intervals, the assumptions
and the one-line legal notice. Their fixed labels are translated with :mod:`corridor.i18n`
(``lang="ko"``: messages in ``locale/ko/LC_MESSAGES/balloon.po``); the caller passes the title,
subtitle and notes already in the chosen language.
"""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
from matplotlib.colors import LogNorm  # noqa: E402
from matplotlib.lines import Line2D  # noqa: E402

from corridor.channels.balloon.legal import LEGAL_NOTICE_SHORT  # noqa: E402
from corridor.geo import sources  # noqa: E402
from corridor.i18n import gettext  # noqa: E402
from corridor.presentation import basemap  # noqa: E402

#: Credit for the elevation field the balloons and leaflets land on (``terrain.py``).
TERRAIN_CREDIT = "Terrain: SRTM, GMTED2010 (USGS), ETOPO1 (NOAA), via pvlib."

#: Class colours, shared by the map and the chart (South, the safety outcome, in red).
COLOURS = {"south": "#c0392b", "north": "#1f5fa8", "sea": "#2a9d8f", "china": "#8c6d31", "other": "#999999"}


def _frame(lon: np.ndarray, lat: np.ndarray, site: tuple[float, float]):
    """A projected frame holding the site, the Military Demarcation Line and 99% of the points."""
    lo = np.r_[np.percentile(lon, [0.1, 99.9]), site[0], 125.5, 128.5]
    la = np.r_[np.percentile(lat, [0.1, 99.9]), site[1], 36.8, 39.0]
    xs, ys = basemap.to_xy(np.r_[lo, lo], np.r_[la, la[::-1]])
    x0, x1, y0, y1 = min(xs), max(xs), min(ys), max(ys)
    pad = 40_000.0
    x0, x1, y0, y1 = x0 - pad, x1 + pad, y0 - pad, y1 + pad
    # keep the map's shape close to the figure's (width/height ≈ 0.95)
    w, h = x1 - x0, y1 - y0
    if w / h < 0.95:
        c = (x0 + x1) / 2
        x0, x1 = c - 0.475 * h, c + 0.475 * h
    else:
        c = (y0 + y1) / 2
        y0, y1 = c - w / 1.9, c + w / 1.9
    return x0, x1, y0, y1


def landing_map(out: Path | str, *, parcel_lon, parcel_lat, parcel_leaflets, draws: int,
                envelope_lon, envelope_lat, drops_lonlat: list[np.ndarray], site: tuple[float, float, str],
                title: str, subtitle: str, notes: list[str], lang: str = "en") -> Path:
    """Expected leaflets per km² (all draws averaged), balloon landing points and sample tracks."""
    ctx = basemap.base_map(lang, figsize=(8.6, 10.4), provinces_labels=True)
    ax, fig = ctx.ax, ctx.fig
    x0, x1, y0, y1 = _frame(np.r_[parcel_lon, envelope_lon], np.r_[parcel_lat, envelope_lat], site[:2])
    ax.set_xlim(x0, x1)
    ax.set_ylim(y0, y1)
    px, py = basemap.to_xy(np.asarray(parcel_lon), np.asarray(parcel_lat))
    cell_km = 10.0
    bx = np.arange(x0, x1 + cell_km * 1000, cell_km * 1000)
    by = np.arange(y0, y1 + cell_km * 1000, cell_km * 1000)
    dens, _, _ = np.histogram2d(px, py, bins=[bx, by], weights=np.asarray(parcel_leaflets) / draws)
    dens = dens.T / (cell_km * cell_km)
    dens[dens <= 0] = np.nan
    if np.isfinite(dens).any():
        vmax = np.nanpercentile(dens, 99.5)
        vmin = max(vmax / 1e4, np.nanmin(dens))
        im = ax.imshow(dens, origin="lower", extent=[bx[0], bx[-1], by[0], by[-1]], cmap="magma_r",
                       norm=LogNorm(vmin=vmin, vmax=vmax), alpha=0.85, zorder=3, interpolation="nearest")
        cax = fig.add_axes([0.52, 0.158, 0.44, 0.010])
        cb = fig.colorbar(im, cax=cax, orientation="horizontal")
        cb.ax.tick_params(labelsize=7)
        fig.text(0.50, 0.163, ctx._("Expected leaflets per km² (10 km squares)"), fontsize=7.5,
                 ha="right", va="center", color="#333333")
    for track in drops_lonlat:
        tx, ty = basemap.to_xy(track[:, 0], track[:, 1])
        ax.plot(tx, ty, color="#333333", lw=0.6, alpha=0.45, zorder=4)
        ax.scatter(tx[1:-1], ty[1:-1], s=5, color="#333333", alpha=0.5, zorder=4)
    keep = np.random.default_rng(0).permutation(np.size(envelope_lon))[:300]
    ex, ey = basemap.to_xy(np.asarray(envelope_lon)[keep], np.asarray(envelope_lat)[keep])
    ax.scatter(ex, ey, marker="x", s=10, lw=0.7, color="#1b1b1b", alpha=0.55, zorder=4)
    sx, sy = basemap.to_xy(site[0], site[1])
    ax.scatter([sx], [sy], marker="*", s=170, color="#d62728", edgecolor="white", zorder=11)
    ax.annotate(site[2], (sx, sy), xytext=(6, -12), textcoords="offset points", fontsize=8.5,
                color="#d62728", zorder=11, path_effects=basemap._HALO)
    basemap.draw_outlines(ctx)
    basemap.draw_cities(ctx, n=8)
    kr = sources.countries()
    kr = kr[kr["iso_a2"] == "KR"].to_crs(sources.PROJECTED)
    kr.boundary.plot(ax=ax, color="#9a8f7a", lw=0.6, zorder=5)
    handles = [Line2D([], [], marker="*", ls="", color="#d62728", ms=11, label=ctx._("Launch site")),
               Line2D([], [], color="#333333", lw=0.8, marker="o", ms=2.5,
                      label=ctx._("Sample balloons: release points")),
               Line2D([], [], marker="x", ls="", color="#1b1b1b", ms=5,
                      label=ctx._("Envelope landing points (up to 300)")),
               Line2D([], [], color=basemap.MDL, lw=1.8, ls=(0, (4, 2)), label=ctx._("Military Demarcation Line"))]
    ax.legend(handles=handles, loc="lower right", fontsize=7.2, framealpha=0.92, edgecolor="#cccccc")
    ax.set_xlabel("")
    ax.set_ylabel("")
    for text in ax.texts:
        text.set_clip_on(True)
    return _finish(fig, out, title, subtitle, notes, lang, ctx=ctx)


def _finish(fig, out, title: str, subtitle: str, notes: list[str], lang: str = "en",
            ctx: basemap.MapContext | None = None) -> Path:
    fig.subplots_adjust(left=0.02, right=0.98, top=0.872, bottom=0.185)   # room for a three-line subtitle
    if ctx is not None:
        basemap.fit_labels(ctx.ax, ctx.labels)
    fig.text(0.02, 0.972, title, fontsize=15, fontweight="bold", color=basemap.INK, va="top")
    fig.text(0.02, 0.935, subtitle, fontsize=9, color="#444444", va="top", wrap=True)
    y = 0.128
    for note in notes:
        fig.text(0.02, y, note, fontsize=7.3, color="#444444", va="top")
        y -= 0.019
    fig.text(0.02, 0.030, gettext(lang, LEGAL_NOTICE_SHORT), fontsize=7.3, color="#b2182b", va="bottom",
             fontweight="bold")
    fig.text(0.02, 0.010, f"{sources.ATTRIBUTION} · {gettext(lang, TERRAIN_CREDIT)}", fontsize=6.2,
             color=basemap.MUTED, va="bottom")
    return basemap.save_png(fig, out, dpi=150)


def windows_chart(out: Path | str, table: pd.DataFrame, *, title: str, subtitle: str,
                  notes: list[str], lang: str = "en") -> Path:
    """Share of leaflets landing in the South (first), the North and the sea by launch hour."""
    basemap._fonts()
    _ = lambda m: gettext(lang, m)  # noqa: E731
    fig, ax = plt.subplots(figsize=(10.5, 6.2), dpi=150)
    t = pd.to_datetime(table["launch_time_unix_s"], unit="s")
    labels = {"south": _("South Korea (safety risk)"), "north": _("North Korea"), "sea": _("Sea"),
              "china": _("China")}
    for c in ("south", "north", "sea", "china"):
        if c == "china" and table[c].max() < 0.005:
            continue
        ax.fill_between(t, 100 * table[f"{c}_lower90"], 100 * table[f"{c}_upper90"], color=COLOURS[c],
                        alpha=0.18, lw=0)
        ax.plot(t, 100 * table[c], color=COLOURS[c], lw=2.4 if c == "south" else 1.8,
                label=_("{label} — mean, 90% interval").format(label=labels[c]))
    ax.plot(t, 100 * table["envelope_south"], color=COLOURS["south"], lw=1.0, ls="--",
            label=_("Balloon envelopes coming down in South Korea"))
    ax.set_ylim(-2, 128)
    ax.set_yticks(range(0, 101, 20))
    ax.set_ylabel(_("Share of leaflets landing (%)"))
    ax.set_xlabel(_("Launch time (UTC)"))
    ax.grid(alpha=0.3)
    ax.legend(loc="upper center", ncol=2, fontsize=8, framealpha=0.95)
    fig.autofmt_xdate()
    fig.subplots_adjust(left=0.07, right=0.98, top=0.82, bottom=0.30)
    fig.text(0.02, 0.972, title, fontsize=14, fontweight="bold", color=basemap.INK, va="top")
    fig.text(0.02, 0.922, subtitle, fontsize=8.8, color="#444444", va="top")
    y = 0.135
    for note in notes:
        fig.text(0.02, y, note, fontsize=7.3, color="#444444", va="top")
        y -= 0.027
    fig.text(0.02, 0.035, _(LEGAL_NOTICE_SHORT), fontsize=7.3, color="#b2182b", va="bottom", fontweight="bold")
    fig.text(0.02, 0.010, _("Boundaries: Natural Earth. Wind source: see the subtitle.") + " " + _(TERRAIN_CREDIT),
             fontsize=6.2,
             color=basemap.MUTED, va="bottom")
    return basemap.save_png(fig, out, dpi=150)
