"""Maps and charts of an assessment (English or Korean), for the dashboard and the report."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from corridor.assess.engine import Assessment
from corridor.channels import channel_title
from corridor.geo.names import PROVINCES_KO
from corridor.i18n import gettext
from corridor.presentation import basemap, formatting

if TYPE_CHECKING:
    from corridor.assess.ledger_assessment import LedgerAssessment

FLOOR = 0.005

CHANNEL_COLOURS = {"radio": "#1f77b4", "balloon": "#ff7f0e", "border": "#2ca02c",
                   "satellite": "#9467bd", "loudspeaker": "#8c564b"}


def _compact(x: float, lang: str) -> str:
    """Axis labels: 1,234,567 → 1.2M / 123만; 45,600 → 46K / 4.6만."""
    return formatting.people_compact(x, lang, digits=1 if abs(x) >= 1e6 else 0)


def _sites(a: Assessment) -> list[tuple[float, float, str]]:
    out = []
    for it in a.items:
        spec = it.activity.spec
        lon, lat = getattr(spec, "lon", None), getattr(spec, "lat", None)
        if it.activity.channel in ("radio", "loudspeaker") and lon is not None and lat is not None \
                and 123 <= lon <= 132 and 36 <= lat <= 44:
            out.append((float(lon), float(lat), ""))
    return out


def reach_map(a: Assessment, out: Path | str, *, lang: str = "en") -> Path:
    """The coalition's combined reach: median probability that a person in each cell is reached."""
    _ = lambda m: gettext(lang, m)
    grid = a.grid
    ctx = basemap.base_map(lang)
    median = a.median_map("coalition")
    # Scale to the data (to the next 0.1 above the 99th percentile) so that low reach still shows.
    top = float(np.nanpercentile(median, 99)) if np.isfinite(median).any() else 1.0
    vmax = min(1.0, max(0.1, np.ceil(top * 10) / 10))
    basemap.draw_cells(ctx, grid, np.where(median >= FLOOR, median, np.nan), cmap="viridis", vmin=0, vmax=vmax,
                       label=_("Probability of being reached (median)"))
    basemap.draw_cities(ctx, n=10)
    basemap.draw_crossings(ctx, labels=False)
    c = a.result["coalition"]
    notes = [_("People reached by at least one activity: {median} (90% interval {lo}–{hi}).").format(
                 median=formatting.people(c["reached_median"], lang), lo=formatting.people(c["reached_lower90"], lang),
                 hi=formatting.people(c["reached_upper90"], lang)),
             _("Each person counted once across channels and organisations; {n} activities, {d} draws.").format(
                 n=len(a.items), d=a.draws)]
    if a.evidence is not None and a.evidence.synthetic:
        notes.append(_("Evidence used for calibration is SYNTHETIC (demo data)."))
    subtitle = _("Combined reach of the coalition's activities, median of {d} draws; population {year}").format(
        d=a.draws, year=a.grid.year)
    return basemap.finish(ctx, out, title=_("Who the coalition reaches"), subtitle=subtitle, notes=notes)


def gap_map(a: Assessment, out: Path | str, *, lang: str = "en") -> Path:
    """People not reached per km² (median): where the coalition's next effort could go."""
    _ = lambda m: gettext(lang, m)
    grid = a.grid
    ctx = basemap.base_map(lang)
    missed = (1.0 - a.median_map("coalition")) * grid.population / np.maximum(grid.area_km2, 1e-9)
    values = np.where(missed >= 1.0, np.log10(np.maximum(missed, 1.0)), np.nan)
    basemap.draw_cells(ctx, grid, values, cmap="magma_r", vmin=0, vmax=4, label=_("People not reached per km² (median)"),
                       ticks=[0, 1, 2, 3, 4],
                       ticklabels=[formatting.people(10 ** k, lang) for k in range(5)])
    basemap.draw_cities(ctx, n=10)
    least = ", ".join(PROVINCES_KO.get(p, p) if lang == "ko" else p for p in a.result["gaps"]["provinces_least_reached"])
    notes = [_("Provinces least reached (share of their people): {list}.").format(list=least),
             _("Not reached = population × (1 − median probability of being reached).")]
    return basemap.finish(ctx, out, title=_("Who no one reaches"),
                          subtitle=_("Gaps: people the coalition's activities do not reach, median of {d} draws").format(d=a.draws),
                          notes=notes)


def channel_chart(a: Assessment, out: Path | str, *, lang: str = "en") -> Path:
    """People reached per channel (median, 90% interval) and the coalition, as a bar chart."""
    import matplotlib.pyplot as plt


    basemap._fonts()
    _ = lambda m: gettext(lang, m)
    rows = [(channel_title(ch, lang), v, CHANNEL_COLOURS.get(ch, "#777777")) for ch, v in a.result["channels"].items()]
    rows.append((_("Coalition (each person once)"), a.result["coalition"], "#333333"))
    fig, ax = plt.subplots(figsize=(7.5, 0.55 * len(rows) + 1.4), dpi=150)
    y = np.arange(len(rows))[::-1]
    for yi, (label, v, colour) in zip(y, rows):
        ax.barh(yi, v["reached_median"], color=colour, height=0.6)
        ax.errorbar(v["reached_median"], yi, xerr=[[v["reached_median"] - v["reached_lower90"]],
                                                   [v["reached_upper90"] - v["reached_median"]]],
                    color="black", capsize=3, lw=1)
    ax.set_yticks(y, [r[0] for r in rows])
    ax.set_xlabel(_("People reached (median and 90% interval)"))
    ax.xaxis.set_major_formatter(lambda x, _p: _compact(x, lang))
    ax.xaxis.set_major_locator(plt.MaxNLocator(6))
    ax.spines[["top", "right"]].set_visible(False)
    ax.set_title(_("People reached per channel"), loc="left", fontsize=11, fontweight="bold")
    fig.tight_layout()
    return basemap.save_png(fig, out, dpi=150)


#: The dashboard's figures: name -> the function of this module that draws it.
FIGURES = {"reach": "reach_map", "gap": "gap_map", "channels": "channel_chart"}


def figure_png(entry: LedgerAssessment, name: str, lang: str) -> bytes:
    """One of :data:`FIGURES` of a ledger's assessment as PNG bytes in ``lang``, drawn once per
    (name, language) and kept with the assessment (``entry.figures``)."""
    import tempfile

    if name not in FIGURES or entry.assessment is None:
        raise KeyError(name)

    def draw() -> bytes:
        with tempfile.TemporaryDirectory() as tmp:
            draw = globals()[FIGURES[name]]
            return draw(entry.assessment, Path(tmp) / f"{name}.png", lang=lang).read_bytes()

    return entry.figures.get_or_compute((name, lang), draw)
