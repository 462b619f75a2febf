"""The HTML report of an exposure estimate: a table, a chart of raw vs MRP, a province map.

Charts are drawn with Matplotlib and embedded in the page as PNG; the page is written
atomically. Every figure says what it shows, and the page states the assumptions and the
selection caveat; a synthetic data set is labelled as such at the top.
"""

from __future__ import annotations

import base64
import html
import io
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

from corridor.atomic import write_text  # noqa: E402
from corridor.evidence.estimate import ExposureEstimate  # noqa: E402
from corridor.evidence.published import published_figures  # noqa: E402
from corridor.evidence.vocabulary import CHANNEL_LABELS  # noqa: E402
from corridor.geo.names import PROVINCES  # noqa: E402


def _png(fig) -> str:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=130)
    plt.close(fig)
    return base64.b64encode(buf.getvalue()).decode("ascii")


def channel_chart(est: ExposureEstimate):
    """Horizontal chart per channel: raw share, raked share, MRP share with its 90 % interval."""
    chans = list(est.channels)
    fig, ax = plt.subplots(figsize=(8.2, 0.55 * len(chans) + 1.6))
    y = np.arange(len(chans))[::-1]
    for yi, ch in zip(y, chans):
        e = est.channels[ch]
        if e.share is not None:
            ax.plot([e.lower90, e.upper90], [yi, yi], color="#1f5f8b", lw=3, solid_capstyle="butt")
            ax.plot(e.share, yi, "o", color="#1f5f8b", ms=7, label="MRP, 90 % interval" if yi == y[0] else None)
        else:
            ax.text(0.01, yi, "MRP withheld: " + "; ".join(e.refused_because), fontsize=7,
                    va="center", color="#a33")
        if e.raw_share is not None:
            ax.plot(e.raw_share, yi, "D", color="#c0392b", ms=5, label="raw sample share" if yi == y[0] else None)
        if e.raking:
            ax.plot(e.raking["share"], yi, "s", mfc="none", color="#555555", ms=6,
                    label="raked (last 5 years)" if yi == y[0] else None)
    ax.set_yticks(y, [CHANNEL_LABELS[c][0] for c in chans])
    ax.set_xlim(0, 1)
    ax.set_xlabel("share of civilians aged 15+ ever exposed by %d" % est.year)
    ax.grid(axis="x", color="#dddddd")
    ax.legend(loc="lower right", fontsize=8)
    ax.set_title(("SYNTHETIC DATA · " if est.synthetic else "") +
                 f"Exposure by channel, {est.year}: raw vs post-stratified", fontsize=11, loc="left")
    fig.tight_layout()
    return fig


def province_map(est: ExposureEstimate):
    """Small multiples: MRP share exposed per province, one panel per channel shown."""
    from corridor.geo import sources

    prov = sources.provinces().to_crs(sources.PROJECTED).set_index("province").loc[list(PROVINCES)]
    shown = [c for c, e in est.channels.items() if e.provinces]
    ncol = 3
    nrow = max(1, int(np.ceil(len(shown) / ncol)))
    height = 3.2 * nrow + 1.9                                   # inches: panels + header + footer
    fig, axes = plt.subplots(nrow, ncol, figsize=(8.6, height), squeeze=False)
    cmap = plt.get_cmap("YlGnBu")
    for ax in axes.ravel():
        ax.set_axis_off()
    for ax, ch in zip(axes.ravel(), shown):
        values = [est.channels[ch].provinces[p]["share"] for p in PROVINCES]
        prov.assign(v=values).plot(column="v", ax=ax, cmap=cmap, vmin=0, vmax=1,
                                   edgecolor="#666666", linewidth=0.4)
        ax.set_title(f"{CHANNEL_LABELS[ch][0]} ({est.channels[ch].share:.0%})", fontsize=9)
    y = lambda inches: inches / height  # noqa: E731
    sm = plt.cm.ScalarMappable(cmap=cmap, norm=plt.Normalize(0, 1))
    cax = fig.add_axes([0.25, y(0.6), 0.5, y(0.13)])
    fig.colorbar(sm, cax=cax, orientation="horizontal", format=lambda v, _: f"{v:.0%}")
    fig.text(0.02, 1 - y(0.15), ("SYNTHETIC DATA · " if est.synthetic else "") +
             f"Share ever exposed by {est.year}, per province (MRP posterior median)",
             fontsize=11, ha="left", va="top")
    fig.text(0.02, 1 - y(0.45), "Civilians aged 15+, post-stratified to the 2008 census (province × sex × "
             "urban/rural × age).\nPanel titles give the national share; 90 % intervals are in the table.",
             fontsize=8, color="#444444", ha="left", va="top")
    fig.text(0.02, y(0.1), "Boundaries: Natural Earth. Selection caveat: people exposed to outside media "
             "may be more likely to leave.", fontsize=7, color="#777777", ha="left")
    fig.subplots_adjust(left=0.02, right=0.98, top=1 - y(1.0), bottom=y(0.95), hspace=0.25)
    return fig


def _share_cell(e) -> str:
    if e.share is None:
        return "withheld: " + html.escape("; ".join(e.refused_because))
    return f"{e.share:.1%} [{e.lower90:.1%}, {e.upper90:.1%}]"


def _themes_section(themes) -> str:
    """A table of the share exposed to each content theme: overall, then per channel estimated."""
    from corridor.themes import vocabulary

    esc = html.escape
    vocab = vocabulary()
    chans = list(themes.by_channel)
    head = "".join(f"<th>{esc(CHANNEL_LABELS[c][0])}</th>" for c in chans)
    rows = []
    for code, e in themes.overall.items():
        raw = f"{e.raw_share:.1%}" if e.raw_share is not None else ""
        per = "".join(f"<td>{_share_cell(themes.by_channel[c][code])}</td>" for c in chans)
        rows.append(f"<tr><td>{esc(vocab.label(code, 'en'))} / {esc(vocab.label(code, 'ko'))}</td><td>{raw}</td>"
                    f"<td><b>{_share_cell(e)}</b></td>{per}</tr>")
    notes = "".join(f"<li><b>{esc(k)}</b>: {esc(v)}</li>" for k, v in themes.assumptions.items())
    return (f"<h2>Exposure by content theme</h2><p>Theme vocabulary version {themes.vocabulary_version}; "
            f"channels asked about their content: {esc(', '.join(themes.channels_asked))}.</p>"
            f"<table><tr><th>Theme</th><th>Raw</th><th>MRP, any channel [90 %]</th>{head}</tr>"
            f"{''.join(rows)}</table><ul>{notes}</ul>")


def write_report(est: ExposureEstimate, out: Path | str, *, source: str = "") -> Path:
    """Write the HTML report of ``est`` to ``out`` (atomically)."""
    esc = html.escape
    rows = []
    for ch, e in est.channels.items():
        mrp_cell = (f"{e.share:.1%} [{e.lower90:.1%}, {e.upper90:.1%}]" if e.share is not None
                    else "withheld: " + esc("; ".join(e.refused_because)))
        rk = f"{e.raking['share']:.1%} (deff {e.raking['deff']:.1f})" if e.raking else ""
        d = e.diagnostics
        diag = (f"R-hat {d.get('rhat_max')}, ESS {d.get('ess_bulk_min')}/{d.get('ess_tail_min')}, "
                f"{d.get('divergences')} div." if d else "")
        raw = f"{e.raw_share:.1%}" if e.raw_share is not None else ""
        rows.append(f"<tr><td>{esc(CHANNEL_LABELS[ch][0])}</td><td>{raw}</td><td><b>{mrp_cell}</b></td>"
                    f"<td>{rk}</td><td>{e.respondents_valid}</td><td>{diag}</td></tr>")
    pub = published_figures()
    pub_rows = "".join(
        f"<tr><td>{esc(r['study'])}</td><td>{r['year']}</td><td>{esc(str(r['sample']))}</td>"
        f"<td>{esc(r['channel'])}</td><td>{esc(r['figure'])}</td><td>{esc(r['source'])}</td></tr>"
        for r in pub)
    banner = ("<p class='synthetic'>SYNTHETIC DATA: these respondents were generated by "
              "<code>corridor evidence synth</code>; nothing here describes real people.</p>"
              if est.synthetic else "")
    assumptions = "".join(f"<li><b>{esc(k)}</b>: {esc(v)}</li>" for k, v in est.assumptions.items())
    themes_html = _themes_section(est.themes) if est.themes is not None else ""
    page = f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Exposure by channel, {est.year}</title>
<style>body{{font-family:system-ui,sans-serif;max-width:960px;margin:2em auto;color:#222}}
table{{border-collapse:collapse;font-size:14px}}td,th{{border-bottom:1px solid #ddd;padding:4px 8px;text-align:left}}
.synthetic{{background:#fde2e2;border:1px solid #c0392b;padding:8px;font-weight:bold}}
.caveat{{background:#fff6d9;padding:8px;border-left:4px solid #e0a800}}img{{max-width:100%}}</style></head>
<body>
<h1>Share of people exposed to each channel, {est.year}</h1>
{banner}
<p>{est.respondents} respondents{(' from ' + esc(source)) if source else ''}. Shares are of civilians aged
15 and over who had ever been exposed by {est.year}, post-stratified to the 2008 census and scaled to the UN
total, with 90 % intervals. The raw share is the plain share of "yes" among yes/no answers.</p>
<p class="caveat"><b>Selection caveat.</b> {esc(est.assumptions['selection'])}.</p>
<table><tr><th>Channel</th><th>Raw</th><th>MRP [90 %]</th><th>Raked</th><th>Valid answers</th><th>Diagnostics</th></tr>
{''.join(rows)}</table>
<h2>Raw vs post-stratified</h2>
<img alt="chart of raw, raked and MRP shares per channel" src="data:image/png;base64,{_png(channel_chart(est))}">
<h2>By province</h2>
{('<img alt="map of the share exposed per province" src="data:image/png;base64,' + _png(province_map(est)) + '">') if any(e.provinces for e in est.channels.values()) else '<p>No channel passed the diagnostics.</p>'}
{themes_html}
<h2>Assumptions</h2><ul>{assumptions}</ul>
<h2>Published figures (external reference points, not comparable one to one)</h2>
<table><tr><th>Study</th><th>Year</th><th>Sample</th><th>Channel</th><th>Figure</th><th>Source</th></tr>{pub_rows}</table>
</body></html>
"""
    return write_text(out, page)
