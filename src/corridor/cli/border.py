"""``corridor border``: how far one shipment of smuggled media spreads, and when."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from corridor.channels import get_channel
from corridor.channels.border import crossings
from corridor.channels.border.channel import MAX_DAYS, check_date
from corridor.channels.files import read_activity
from corridor.cli.console import check_run_options, console, print_json, status, with_spec
from corridor.errors import CorridorError
from corridor.geo.grid import load_grid
from corridor.i18n import gettext

app = typer.Typer(help="Smuggled media (USB, SD, DVD) crossing the Chinese border and spreading.",
                  no_args_is_help=True)


@app.command()
def spread(
    shipment: Annotated[Path, typer.Argument(help="Shipment file (YAML or JSON), e.g. examples/border/hyesan-usb.yaml.")],
    days: Annotated[Optional[int], typer.Option("--days", help="Days after entry (default: the file's, else 90).")] = None,
    out: Annotated[Optional[Path], typer.Option("--out", help="PNG map to write.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
    draws: Annotated[int, typer.Option("--draws", help="Monte Carlo draws.")] = 500,
    seed: Annotated[int, typer.Option("--seed", help="Random seed.")] = 0,
    lang: Annotated[str, typer.Option("--lang", help="Map language: en or ko.")] = "en",
) -> None:
    """People who have seen the content by the last day (cumulative), with a 90 % interval."""
    check_run_options(lang=lang, draws=draws, out=out)
    if days is not None and not 1 <= days <= MAX_DAYS:
        raise CorridorError(f"must be between 1 and {MAX_DAYS}", field="--days", value=days)
    activity = read_activity(shipment, channel="border")
    if days is not None:
        activity = with_spec(activity, str(shipment), days=days)
    check_date(activity, source=str(shipment))
    spec = activity.spec
    with status("Simulating the spread", quiet=as_json) as say:
        grid = load_grid(5.0, activity.start.year, progress=say)
        cov = get_channel("border").coverage(activity, grid, draws=draws, seed=seed)
    result = cov.summary(grid)
    ex = cov.extras
    result.update({"activity": activity.id, "crossing": spec.crossing, "entry_county": ex["entry_county"],
                   "days": spec.days, "year": grid.year, "draws": draws,
                   "copies": {"shipped": ex["shipped"], "intercepted_median": ex["intercepted_median"],
                              "copied_median": ex["copied_median"], "removed_median": ex["removed_median"],
                              "held_median": ex["held_median"]},
                   "reached_by_day_median": [round(float(v)) for v in ex["reached_by_day"]["median"]],
                   "assumptions": cov.assumptions})
    if out is not None:
        from corridor.channels.border.spread_map import spread_map

        _ = lambda m: gettext(lang, m)  # noqa: E731
        fmt = lambda v: f"{v:,.0f}"  # noqa: E731
        town = crossings.find_crossing(spec.crossing)["kp_town"]
        spread_map(
            grid, cov, out, lang=lang, site_label=_("{town} crossing").format(town=town),
            title=_("Smuggled media: who has seen it"),
            subtitle=_("Share who have seen it by day {days}: {devices} {medium} copies via {town}; median of {draws} draws, county averages").format(
                days=spec.days, devices=f"{spec.devices:,}", medium=spec.medium.upper(),
                town=town, draws=draws),
            notes=[_("People who have seen it by day {days}: {median} (90% interval {lower}–{upper}).").format(
                       days=spec.days, median=fmt(result["reached_median"]),
                       lower=fmt(result["reached_lower90"]), upper=fmt(result["reached_upper90"])),
                   _("Model: counties in daily steps; copying, lending (family 64%, friends 50%, market 22%; UMG 2022), crackdowns."),
                   _("Copies travel along main railway lines (blue) and between market towns; parameter ranges in docs/border-model.md.")],
            curve_title=_("People reached by day"), days_label=_("days after entry"),
            band_label=_("90% interval"))
    if as_json:
        print_json(result)
        return
    console.print(f"[bold]{activity.title or activity.id}[/]: people who have seen it by day {spec.days} "
                  f"[bold]{result['reached_median']:,.0f}[/] (90% interval "
                  f"{result['reached_lower90']:,.0f}–{result['reached_upper90']:,.0f}), "
                  f"population {grid.year}: {result['population']:,.0f}")
    curve = ex["reached_by_day"]
    marks = sorted({d for d in (7, 30, 60, 90, 180, 365) if d < spec.days} | {spec.days})
    console.print("  by day: " + ", ".join(
        f"{d}: {curve['median'][d]:,.0f} ({curve['lower90'][d]:,.0f}–{curve['upper90'][d]:,.0f})" for d in marks))
    console.print(f"  copies: {ex['shipped']:,.0f} shipped, {ex['intercepted_median']:,.0f} seized at the crossing, "
                  f"{ex['copied_median']:,.0f} copied, {ex['removed_median']:,.0f} removed, "
                  f"{ex['held_median']:,.0f} in circulation (medians)")
    for key, text in cov.assumptions.items():
        console.print(f"  [dim]{key}: {text}[/]")
    if out is not None:
        console.print(f"Wrote {out}")
