"""The base map every Corridor map is drawn on: North Korea and its neighbours.

Drawn in the equal-area projection of the population grid (EPSG:5179), so that areas on the
page compare honestly. Labels in English or Korean. Channel maps call :func:`base_map`, draw
their layer with :func:`grid_image`, then :func:`finish` (which writes the file atomically).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.patheffects as pe  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
from matplotlib import font_manager  # noqa: E402
from pyproj import Transformer  # noqa: E402

from corridor.atomic import atomic_path  # noqa: E402
from corridor.geo import sources  # noqa: E402
from corridor.geo.names import PROVINCES_KO  # noqa: E402
from corridor.i18n import check_language, gettext  # noqa: E402

SEA = "#dfe9f2"
LAND_OTHER = "#f1efe9"
LAND_KP = "#fbfaf7"
INK = "#2b2b2b"
MUTED = "#7a7a7a"
BORDER_CN = "#8c2d04"
MDL = "#b2182b"

# Map frame in EPSG:5179 metres: North Korea with a margin showing its neighbours.
_LONLAT_FRAME = ((123.6, 37.45), (131.2, 43.2))


@lru_cache(maxsize=1)
def _fonts() -> None:
    """Register the bundled NanumGothic (SIL OFL, via koreanize-matplotlib) for Hangul labels."""
    import importlib.util

    # Locate the package's font folder without importing it (its import changes rcParams).
    spec = importlib.util.find_spec("koreanize_matplotlib")
    folder = Path(list(spec.submodule_search_locations)[0]) / "fonts"
    for ttf in sorted(folder.glob("NanumGothic*.ttf")):
        font_manager.fontManager.addfont(str(ttf))
    plt.rcParams["font.family"] = ["DejaVu Sans", "NanumGothic"]
    plt.rcParams["axes.unicode_minus"] = False


def save_png(fig, out: Path | str, *, dpi: int = 150) -> Path:
    """Write ``fig`` to ``out`` as PNG, whole or not at all (:func:`corridor.atomic.atomic_path`),
    and close it."""
    with atomic_path(out) as tmp:
        fig.savefig(tmp, format="png", dpi=dpi)
    plt.close(fig)
    return Path(out)


def to_xy(lon, lat):
    return Transformer.from_crs(sources.WGS84, sources.PROJECTED, always_xy=True).transform(lon, lat)


def frame() -> tuple[float, float, float, float]:
    (lon0, lat0), (lon1, lat1) = _LONLAT_FRAME
    xs, ys = to_xy([lon0, lon1, lon0, lon1], [lat0, lat0, lat1, lat1])
    return min(xs), max(xs), min(ys), max(ys)


@dataclass
class MapContext:
    fig: plt.Figure
    ax: plt.Axes
    lang: str
    crossings: bool = False      # whether border crossings were drawn (and so belong in the legend)
    labels: list = field(default_factory=list)   # province labels, kept inside the frame when saved

    def _(self, message: str) -> str:
        return gettext(self.lang, message)


_HALO = [pe.withStroke(linewidth=2.6, foreground="white", alpha=0.85)]


def base_map(lang: str = "en", *, figsize=(8.6, 10.0), provinces_labels: bool = True) -> MapContext:
    """Draw sea, neighbouring countries, North Korea's provinces and borders; return the axes."""
    check_language(lang)
    _fonts()
    fig, ax = plt.subplots(figsize=figsize, dpi=150)
    fig.subplots_adjust(left=0.02, right=0.98, top=0.90, bottom=0.10)
    ctx = MapContext(fig, ax, lang)
    x0, x1, y0, y1 = frame()
    ax.set_xlim(x0, x1)
    ax.set_ylim(y0, y1)
    ax.set_aspect("equal")
    ax.set_facecolor(SEA)
    ax.set_xticks([])
    ax.set_yticks([])
    ax.set_xlabel("")
    ax.set_ylabel("")
    for spine in ax.spines.values():
        spine.set_edgecolor("#b8c4cf")

    countries = sources.countries().to_crs(sources.PROJECTED)
    others = countries[countries["iso_a2"] != "KP"]
    others.plot(ax=ax, color=LAND_OTHER, edgecolor="#c9c4b8", linewidth=0.5, zorder=1)
    countries[countries["iso_a2"] == "KP"].plot(ax=ax, color=LAND_KP, edgecolor="none", zorder=1)
    names = {"CN": ("China", 125.1, 41.95), "RU": ("Russia", 130.95, 43.0),
             "KR": ("South Korea", 128.1, 37.62)}
    for iso, (label, lon, lat) in names.items():
        x, y = to_xy(lon, lat)
        ax.text(x, y, ctx._(label), fontsize=11, color=MUTED, ha="center", va="center",
                style="italic" if lang == "en" else "normal", zorder=6, path_effects=_HALO)
    for label, lon, lat in (("Yellow Sea", 124.15, 38.55), ("East Sea", 130.2, 40.2)):
        x, y = to_xy(lon, lat)
        ax.text(x, y, ctx._(label), fontsize=10, color="#6b8aa6", ha="center", va="center",
                style="italic" if lang == "en" else "normal", zorder=6)
    ctx.provinces_labels = provinces_labels  # type: ignore[attr-defined]
    return ctx


def draw_outlines(ctx: MapContext) -> None:
    """Province boundaries, the borders with China and Russia, and the MDL, above data layers."""
    ax = ctx.ax
    prov = sources.provinces().to_crs(sources.PROJECTED)
    prov.boundary.plot(ax=ax, color="#5c5c5c", linewidth=0.55, zorder=5)
    borders = sources.land_borders().to_crs(sources.PROJECTED)
    borders[borders["border"] != "KP-KR"].plot(ax=ax, color=BORDER_CN, linewidth=1.6, zorder=6)
    borders[borders["border"] == "KP-KR"].plot(ax=ax, color=MDL, linewidth=1.8, linestyle=(0, (4, 2)),
                                               zorder=6)
    if getattr(ctx, "provinces_labels", True):
        # Label points nudged off the largest cities so both stay readable.
        spots = {"South Pyongan": (126.2, 39.65),
                 "North Pyongan": (125.05, 40.35), "Jagang": (126.55, 40.65),
                 "South Hwanghae": (125.3, 38.3), "North Hwanghae": (126.6, 38.33),
                 "Kangwon": (127.45, 38.75), "South Hamgyong": (127.75, 40.35),
                 "North Hamgyong": (129.3, 41.55), "Ryanggang": (128.2, 41.05)}
        for name, (lon, lat) in spots.items():
            x, y = to_xy(lon, lat)
            label = PROVINCES_KO[name] if ctx.lang == "ko" else name
            ctx.labels.append(ax.text(x, y, label.upper() if ctx.lang == "en" else label, fontsize=7.2,
                                      color="#4d4d4d", ha="center", va="center", zorder=7, fontweight="bold",
                                      alpha=0.8, path_effects=_HALO))


def fit_labels(ax, labels) -> None:
    """Keep labels wholly inside the map frame, once the figure's layout is final (a map zoomed on a
    launch cuts the west coast): slide a label sideways into the frame, unless it would then cover
    another label, and hide it when its place is not on the map at all."""
    ax.apply_aspect()
    renderer = ax.figure.canvas.get_renderer()
    inside = ax.get_window_extent(renderer).padded(-4)
    placed, moved = [], []
    for text in labels:
        px, py = ax.transData.transform(text.get_position())
        if not (inside.x0 <= px <= inside.x1 and inside.y0 <= py <= inside.y1):
            text.set_visible(False)
            continue
        box = text.get_window_extent(renderer)
        shift = max(0.0, inside.x0 - box.x0) - max(0.0, box.x1 - inside.x1)
        if shift:
            text.set_position(ax.transData.inverted().transform((px + shift, py)))
            moved.append(text)
        else:
            placed.append(box)
    for text in moved:
        box = text.get_window_extent(renderer)
        if any(box.overlaps(other) for other in placed):
            text.set_visible(False)
        else:
            placed.append(box)


def draw_cities(ctx: MapContext, n: int = 14) -> None:
    """The ``n`` largest North Korean places (parts of Pyongyang and Hamhung left out)."""
    ctx.labelled = set()  # type: ignore[attr-defined]
    places = sources.places("KP")
    skip = {"Man’gyŏngdae-ri", "Hŭngnam", "Hyesan-dong"}
    places = places[~places["name"].isin(skip)].head(n)
    x, y = to_xy(places["lon"].to_numpy(), places["lat"].to_numpy())
    ctx.ax.scatter(x, y, s=np.where(places["population"] > 1e6, 46, 16), facecolor="white",
                   edgecolor=INK, linewidth=0.9, zorder=8)
    for xi, yi, row in zip(x, y, places.itertuples()):
        label = row.name_ko if ctx.lang == "ko" else _plain(row.name)
        ctx.labelled.add(row.geonameid)  # type: ignore[attr-defined]
        big = row.population > 1e6
        ctx.ax.annotate(label, (xi, yi), xytext=(4, 3), textcoords="offset points",
                        fontsize=9.5 if big else 7.8, fontweight="bold" if big else "normal",
                        color=INK, zorder=9, path_effects=_HALO)


def _plain(name: str) -> str:
    for suffix in ("-si", "-ŭp", "-ni", "-ri", "-dong", "-ch’on", "-gu"):
        if name.endswith(suffix):
            return name[: -len(suffix)]
    return name


def draw_crossings(ctx: MapContext, *, labels: bool = True) -> None:
    """Border crossings with China and Russia (towns facing each other; see ATTRIBUTION.md)."""
    ctx.crossings = True
    crossings = sources.border_crossings()
    lon = (crossings["kp_lon"] + crossings["nb_lon"]) / 2
    lat = (crossings["kp_lat"] + crossings["nb_lat"]) / 2
    x, y = to_xy(lon.to_numpy(), lat.to_numpy())
    exact = crossings["coord_basis"].str.startswith("GeoNames town centres").to_numpy()
    ctx.ax.scatter(x[exact], y[exact], marker="D", s=26, color="#f4a300", edgecolor=INK,
                   linewidth=0.7, zorder=9)
    ctx.ax.scatter(x[~exact], y[~exact], marker="D", s=26, facecolor="none", edgecolor="#b07000",
                   linewidth=1.0, zorder=9)
    labelled = getattr(ctx, "labelled", set())
    if labels:
        for xi, yi, row in zip(x, y, crossings.itertuples()):
            if row.kp_geonameid in labelled or not row.coord_basis.startswith("GeoNames town centres"):
                continue
            town = row.kp_town.split(" (")[0]
            if ctx.lang == "ko":
                town = _korean_town(row.kp_geonameid) or town
            ctx.ax.annotate(town, (xi, yi), xytext=(5, -9), textcoords="offset points", fontsize=6.8,
                            color="#7a4a00", zorder=9, path_effects=_HALO)


def _korean_town(geonameid: str) -> str | None:
    places = sources.places(None)
    hit = places[places["geonameid"] == str(geonameid)]
    return None if hit.empty else hit["name_ko"].iloc[0]


def legend_handles(ctx: MapContext) -> list:
    from matplotlib.lines import Line2D

    _ = ctx._
    handles = [
        Line2D([], [], color="#5c5c5c", lw=0.8, label=_("Province boundary (2008 census)")),
        Line2D([], [], color=BORDER_CN, lw=1.6, label=_("Border with China / Russia")),
        Line2D([], [], color=MDL, lw=1.8, ls=(0, (4, 2)), label=_("Military Demarcation Line")),
        Line2D([], [], marker="o", ls="", mfc="white", mec=INK, label=_("City")),
    ]
    if ctx.crossings:
        handles.append(Line2D([], [], marker="D", ls="", mfc="#f4a300", mec=INK,
                              label=_("Border crossing with China or Russia")))
    return handles


def scale_bar(ctx: MapContext, km: int = 100) -> None:
    x0, x1, y0, y1 = frame()
    bx = x0 + 0.05 * (x1 - x0)
    by = y0 + 0.04 * (y1 - y0)
    ctx.ax.plot([bx, bx + km * 1000], [by, by], color=INK, lw=2.2, zorder=10, solid_capstyle="butt")
    ctx.ax.text(bx + km * 500, by + 6000, f"{km} km", ha="center", va="bottom", fontsize=8, zorder=10,
                path_effects=_HALO)


def grid_image(grid, values: np.ndarray) -> tuple[np.ndarray, list[float]]:
    """Cell values as a raster (NaN where there is no cell) and its extent for ``imshow``."""
    res = grid.resolution_km * 1000.0
    ix = np.rint((grid.x - grid.x.min()) / res).astype(int)
    iy = np.rint((grid.y - grid.y.min()) / res).astype(int)
    image = np.full((iy.max() + 1, ix.max() + 1), np.nan)
    image[iy, ix] = values
    extent = [grid.x.min() - res / 2, grid.x.max() + res / 2, grid.y.min() - res / 2, grid.y.max() + res / 2]
    return image, extent


def draw_cells(ctx: MapContext, grid, values: np.ndarray, *, cmap: str, vmin: float, vmax: float,
               label: str, ticks=None, ticklabels=None) -> None:
    """Cell values over a neutral land layer (NaN cells show the land), with a colour bar."""
    from matplotlib.colors import ListedColormap

    image, extent = grid_image(grid, values)
    base = grid_image(grid, np.ones(grid.n_cells))[0]
    ctx.ax.imshow(base, origin="lower", extent=extent, cmap=ListedColormap(["#ebe7df"]),
                  interpolation="nearest", zorder=2)
    im = ctx.ax.imshow(image, origin="lower", extent=extent, cmap=cmap, vmin=vmin, vmax=vmax,
                       interpolation="nearest", zorder=3)
    cax = ctx.fig.add_axes([0.70, 0.40, 0.26, 0.013])
    cbar = ctx.fig.colorbar(im, cax=cax, orientation="horizontal", ticks=ticks)
    if ticklabels is not None:
        cbar.ax.set_xticklabels(ticklabels)
    cbar.ax.tick_params(labelsize=7.5)
    cbar.set_label(label, fontsize=8)


def finish(ctx: MapContext, out: Path | str, *, title: str, subtitle: str, notes: list[str],
           legend: bool = True) -> Path:
    """Titles, legend, scale bar, notes and attribution; write the PNG atomically."""
    fig, ax = ctx.fig, ctx.ax
    draw_outlines(ctx)
    scale_bar(ctx)
    ax.set_xlabel("")
    ax.set_ylabel("")
    if legend:
        ax.legend(handles=legend_handles(ctx), loc="lower right", fontsize=7.2, frameon=True,
                  framealpha=0.92, edgecolor="#cccccc")
    fig.text(0.02, 0.965, title, fontsize=16, fontweight="bold", color=INK, va="top")
    fig.text(0.02, 0.925, subtitle, fontsize=9.5, color="#444444", va="top")
    y = 0.085
    for note in notes:
        fig.text(0.02, y, note, fontsize=7.4, color="#555555", va="top", wrap=True)
        y -= 0.022
    fig.text(0.02, 0.008, sources.ATTRIBUTION, fontsize=6.5, color=MUTED, va="bottom")
    fit_labels(ax, ctx.labels)
    return save_png(fig, out, dpi=150)
