"""``corridor border``: how far one shipment of smuggled media spreads, and when."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from corridor.cli.common import (
    AsJson,
    Draws,
    Lang,
    Out,
    Resolution,
    Seed,
    people,
    reached,
    run_channel,
)
from corridor.errors import CorridorError

app = typer.Typer(help="Smuggled media (USB, SD, DVD) crossing the Chinese border and spreading.",
                  no_args_is_help=True)


@app.command()
def spread(
    shipment: Annotated[Path, typer.Argument(help="Shipment file (YAML or JSON), e.g. examples/border/hyesan-usb.yaml.")],
    days: Annotated[Optional[int], typer.Option("--days", help="Days after entry (default: the file's, else 90).")] = None,
    out: Out = None,
    as_json: AsJson = False,
    draws: Draws = 500,
    seed: Seed = 0,
    lang: Lang = "en",
    resolution_km: Resolution = None,
) -> None:
    """People who have seen the content by the last day (cumulative), with a 90 % interval."""
    from corridor.channels.border.channel import MAX_DAYS, check_date
    from corridor.cli.console import with_spec

    def check() -> None:
        if days is not None and not 1 <= days <= MAX_DAYS:
            raise CorridorError(f"must be between 1 and {MAX_DAYS}", field="--days", value=days)

    def prepare(activity):
        if days is not None:
            activity = with_spec(activity, str(shipment), days=days)
        check_date(activity, source=str(shipment))
        return activity

    run_channel(channel="border", path=shipment, out=out, as_json=as_json, draws=draws, lang=lang,
                resolution_km=resolution_km, year_of=lambda a: a.start.year, seed=seed,
                working="Simulating the spread", check=check, prepare=prepare, fields=_fields,
                draw_map=_draw_map, headline=_headline, details=_details)


def _fields(run) -> dict:
    spec, ex = run.spec, run.coverage.extras
    return {"crossing": spec.crossing, "entry_county": ex["entry_county"], "days": spec.days,
            "copies": {"shipped": ex["shipped"], "intercepted_median": ex["intercepted_median"],
                       "copied_median": ex["copied_median"], "removed_median": ex["removed_median"],
                       "held_median": ex["held_median"]},
            "reached_by_day_median": [round(float(v)) for v in ex["reached_by_day"]["median"]]}


def _headline(run) -> str:
    _ = run._
    return (f"[bold]{run.activity.title or run.activity.id}[/]: "
            + reached(run, _("people who have seen it by day {days}").format(days=run.spec.days)) + ", "
            + _("population {year}: {people}").format(year=run.grid.year, people=people(run.result["population"], run.lang)))


def _details(run):
    _, ex, days = run._, run.coverage.extras, run.spec.days
    curve = ex["reached_by_day"]
    marks = sorted({d for d in (7, 30, 60, 90, 180, 365) if d < days} | {days})
    yield "  " + _("by day: {days}").format(days=", ".join(
        f"{d}: {people(curve['median'][d], run.lang)} ({people(curve['lower90'][d], run.lang)}–{people(curve['upper90'][d], run.lang)})"
        for d in marks))
    yield "  " + _("copies: {shipped} shipped, {seized} seized at the crossing, {copied} copied, {removed} removed, "
                   "{held} in circulation (medians)").format(
        shipped=people(ex["shipped"], run.lang), seized=people(ex["intercepted_median"], run.lang), copied=people(ex["copied_median"], run.lang),
        removed=people(ex["removed_median"], run.lang), held=people(ex["held_median"], run.lang))


def _draw_map(run) -> None:
    from corridor.channels.border import crossings
    from corridor.channels.border.parameters import source_shares
    from corridor.presentation import formatting
    from corridor.presentation.border import spread_map

    _, spec, r = run._, run.spec, run.result
    town = crossings.find_crossing(spec.crossing)["kp_town"]
    shares = source_shares()
    spread_map(
        run.grid, run.coverage, run.out, lang=run.lang, site_label=_("{town} crossing").format(town=town),
        title=_("Smuggled media: who has seen it"),
        subtitle=_("Share who have seen it by day {days}: {devices} {medium} copies via {town}; median of {draws} draws, county averages").format(
            days=spec.days, devices=people(spec.devices, run.lang), medium=spec.medium.upper(), town=town, draws=run.draws),
        notes=[_("People who have seen it by day {days}: {median} (90% interval {lower}–{upper}).").format(
                   days=spec.days, median=people(r["reached_median"], run.lang), lower=people(r["reached_lower90"], run.lang),
                   upper=people(r["reached_upper90"], run.lang)),
               _("Model: counties in daily steps; copying, lending (family {family}, friends {friends}, market "
                 "{market}; UMG 2022), crackdowns.").format(family=formatting.pct(shares["family"], run.lang, digits=0),
                                                           friends=formatting.pct(shares["friends"], run.lang, digits=0),
                                                           market=formatting.pct(shares["market"], run.lang, digits=0)),
               _("Copies travel along main railway lines (blue) and between market towns; parameter ranges in docs/border-model.md.")],
        curve_title=_("People reached by day"), days_label=_("days after entry"), band_label=_("90% interval"))
