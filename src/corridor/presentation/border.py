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
               band_label: str = "90% interval", rail_label: str = "Main railway lines",
               share_label: str | None = None) -> Path:
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
    cbar.set_label(share_label or ctx._("Share of people who have seen it (median)"), fontsize=8)
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


def _translator(lang: str):
    from corridor.i18n import check_language, gettext

    check_language(lang)
    return lambda message: gettext(lang, message)


def exposure_chart(data: dict, out: Path | str, *, lang: str = "en",
                   provinces: tuple[str, ...] = ("North Hamgyong", "Ryanggang", "Pyongyang", "South Hwanghae")) -> Path:
    """The national model beside the published figures, from the ``landscape`` data.

    Left: share of adults who have ever seen foreign video by year (national median and 90 %
    interval; medians of a few provinces) with each published figure (its 90 % sampling interval,
    over its years of exposure). Right: each published figure against the model's 90 % predictive
    interval for that survey. Below: each parameter's posterior beside its prior (90 % intervals).
    """
    import textwrap

    import matplotlib.pyplot as plt

    from corridor.geo.names import PROVINCES_KO
    from corridor.presentation import formatting

    _ = _translator(lang)
    basemap._fonts()
    years = sorted(int(y) for y in data["years"])
    nat = {k: np.array([data["years"][str(y)][k] for y in years]) for k in ("exposed_median", "exposed_lower90", "exposed_upper90")}
    fig = plt.figure(figsize=(11.5, 8.4), dpi=150)
    grid = fig.add_gridspec(2, 2, height_ratios=[1.25, 1.0], width_ratios=[1.35, 1.0], hspace=0.42, wspace=0.62,
                            left=0.1, right=0.98, top=0.85, bottom=0.1)
    ax = fig.add_subplot(grid[0, 0])
    ax.fill_between(years, nat["exposed_lower90"], nat["exposed_upper90"], color="#9ecae1", alpha=0.6, lw=0,
                    label=_("National, 90% interval"))
    ax.plot(years, nat["exposed_median"], color="#08519c", lw=2.2, label=_("National, median"))
    styles = ["--", ":", "-.", (0, (5, 1, 1, 1))]
    for style, name in zip(styles, provinces):
        med = [data["years"][str(y)]["provinces"][name]["exposed_median"] for y in years]
        label = PROVINCES_KO.get(name, name) if lang == "ko" else name
        ax.plot(years, med, color="#555555", lw=1.0, ls=style, label=label)
    for row in data["published"]:
        y0, y1 = row["years"]
        mid = 0.5 * (y0 + y1)
        colour = "#1a9850" if row["inside90"] else "#d73027"
        ax.errorbar(mid, row["figure"], xerr=[[mid - y0], [y1 - mid]], yerr=1.645 * row["se"], fmt="o",
                    color=colour, ms=5, capsize=2, lw=1.1, zorder=5)
    ax.plot([], [], "o", color="#1a9850", label=_("Published figure (inside the model's 90% interval)"))
    ax.plot([], [], "o", color="#d73027", label=_("Published figure (outside)"))
    ax.set_ylim(0, 1.02)
    ax.set_xlim(years[0] - 0.5, years[-1] + 0.5)
    ax.yaxis.set_major_formatter(lambda v, _p: formatting.pct(v, lang, digits=0))
    ax.set_xlabel(_("year"))
    ax.set_ylabel(_("Share of adults who have ever seen smuggled foreign video"))
    ax.grid(alpha=0.3, lw=0.5)
    ax.legend(fontsize=7, loc="upper left", frameon=False)
    ax.set_title(_("Ever seen smuggled foreign video, by year"), loc="left", fontsize=10.5, fontweight="bold")
    ax.text(0.0, -0.2, "\n".join(textwrap.wrap(_(
        "Dots: each survey as it asked. A question about any foreign video also counts television received "
        "across the border, so those figures sit above the line; the fit is on the right."), 95)),
        transform=ax.transAxes, fontsize=6.8, va="top", color="#444444")

    fit = fig.add_subplot(grid[0, 1])
    rows = data["published"]
    ys = np.arange(len(rows))[::-1]
    for yi, row in zip(ys, rows):
        fit.plot([row["predictive_lower90"], row["predictive_upper90"]], [yi, yi], color="#6baed6", lw=5,
                 solid_capstyle="butt")
        fit.plot(row["model_median"], yi, "|", color="#08519c", ms=12, mew=2)
        fit.plot(row["figure"], yi, "o", color="#1a9850" if row["inside90"] else "#d73027", ms=6, zorder=5)
    fit.set_yticks(ys, [f"{_(_short(r['study']))}, {_years(r['years'])}" for r in rows], fontsize=7)
    fit.set_xlim(0, 1.02)
    fit.xaxis.set_major_formatter(lambda v, _p: formatting.pct(v, lang, digits=0))
    fit.set_xlabel(_("Share reported (dot) and the model's 90% predictive interval (bar)"), fontsize=8)
    fit.grid(axis="x", alpha=0.3, lw=0.5)
    fit.set_title(_("Fit to each published figure"), loc="left", fontsize=10.5, fontweight="bold")

    par = fig.add_subplot(grid[1, :])
    names = list(data["parameters"])
    for i, name in enumerate(names):
        s = data["parameters"][name]
        lo, hi = s["prior_lower90"], s["prior_upper90"]
        log = s["prior"] == "loguniform"
        scale = (lambda v, lo=lo, hi=hi: (np.log(v) - np.log(lo)) / (np.log(hi) - np.log(lo))) if log else \
            (lambda v, lo=lo, hi=hi: (v - lo) / (hi - lo))
        par.plot([0, 1], [i + 0.15, i + 0.15], color="#bdbdbd", lw=4, solid_capstyle="butt")
        # a normal prior's posterior can reach past the panel: the bar stops at its edge, with an arrow
        left, right = scale(s["lower90"]), scale(s["upper90"])
        par.plot([max(left, -0.2), min(right, 1.05)], [i - 0.15, i - 0.15], color="#08519c", lw=4,
                 solid_capstyle="butt")
        for edge, beyond, marker in ((-0.2, left < -0.2, "<"), (1.05, right > 1.05, ">")):
            if beyond:
                par.plot(edge, i - 0.15, marker, color="#08519c", ms=5)
        par.plot(scale(s["median"]), i - 0.15, "o", color="white", mec="#08519c", ms=5)
        # right of the bars' furthest reach, so no bar runs under the figures
        par.text(1.09, i, f"{s['median']:.3g}  ({s['lower90']:.3g}–{s['upper90']:.3g})", fontsize=7, va="center")
    par.plot([], [], color="#bdbdbd", lw=4, label=_("prior, 90%"))
    par.plot([], [], color="#08519c", lw=4, label=_("posterior, 90% (median: dot)"))
    par.set_yticks(range(len(names)), names, fontsize=7.5)
    par.set_xlim(-0.25, 1.42)
    par.set_xticks([0, 1], [_("prior 5%"), _("prior 95%")], fontsize=7)
    par.invert_yaxis()
    par.legend(fontsize=7, loc="upper right", bbox_to_anchor=(1.0, -0.06), frameon=False, ncol=2)
    par.set_title(_("Parameters: posterior beside prior (log scale for log-uniform priors)"), loc="left",
                  fontsize=10.5, fontweight="bold")
    fig.text(0.1, 0.97, _("Foreign video in North Korea: national model calibrated to surveys"),
             fontsize=14, fontweight="bold", va="top")
    fig.text(0.1, 0.935, _("Published shares of people who left (and of residents reached by phone); the model "
                           "weights provinces as the samples and adds terms for their selection and question. Draws: {draws}.").format(
        draws=data.get("draws", "")), fontsize=8.5, color="#444444", va="top")
    fig.text(0.1, 0.02, _("Left: national and provincial shares; the published points come from samples of mostly "
                          "border provinces, so compare them on the right, where the model predicts each survey."),
             fontsize=7.5, color="#555555", va="bottom")
    return basemap.save_png(fig, out, dpi=150)


def _years(span: list[int]) -> str:
    return f"{span[0]}–{span[1]}" if span[0] != span[1] else f"{span[0]}"


def _short(study: str) -> str:
    """A study's name short enough for an axis label."""
    for key, short in (("left before 2000", "MOU, left <2000"), ("left 2016", "MOU, left 2016–20"),
                       ("left 2001", "MOU, left 2001–10 (derived)"), ("left 2011", "MOU, left 2011–15"),
                       ("Kim Hwa-soon", "Kim Hwa-soon 2011"),
                       ("Quiet Opening", "InterMedia 2010"), ("InterMedia survey of defectors", "InterMedia 2007"),
                       ("Media Research", "Media Research 2014"), ("UMG", "UMG / Daily NK")):
        if key in study:
            return short
    return study.split(",")[0].split("(")[0].strip()[:24]


def pair_plot(theta: dict[str, np.ndarray], out: Path | str, *, names: list[str] | None = None,
              log: tuple[str, ...] = (), lang: str = "en", title: str = "") -> Path:
    """Scatter of every pair of posterior draws (log axes for ``log`` names), histograms on the
    diagonal: what the data cannot separate shows as ridges."""
    import matplotlib.pyplot as plt


    _ = _translator(lang)
    basemap._fonts()
    names = names or list(theta)
    k = len(names)
    fig, axes = plt.subplots(k, k, figsize=(1.55 * k + 1, 1.55 * k + 1), dpi=120)
    values = {n: np.log10(theta[n]) if n in log else np.asarray(theta[n]) for n in names}
    for i, a in enumerate(names):
        for j, b in enumerate(names):
            ax = axes[i, j]
            if i == j:
                ax.hist(values[a], bins=30, color="#6baed6")
            elif i > j:
                ax.plot(values[b], values[a], ".", ms=1.2, alpha=0.4, color="#08519c")
            else:
                ax.axis("off")
                continue
            ax.tick_params(labelsize=5)
            if i == k - 1:
                ax.set_xlabel(("log10 " if b in log else "") + b, fontsize=6.5)
            if j == 0 and i > 0:
                ax.set_ylabel(("log10 " if a in log else "") + a, fontsize=6.5)
    fig.suptitle(title or _("Posterior draws, every pair"), fontsize=11, fontweight="bold")
    fig.tight_layout()
    return basemap.save_png(fig, out, dpi=120)
