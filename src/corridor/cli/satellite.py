"""``corridor satellite``: where a geostationary beam can be watched, and by how many."""

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

app = typer.Typer(help="Direct-to-home satellite beams over Korea.", no_args_is_help=True)


@app.command()
def coverage(
    beam: Annotated[Path, typer.Argument(help="Beam file (YAML or JSON), e.g. examples/satellite/koreasat-116e.yaml.")],
    dish_cm: Annotated[Optional[float], typer.Option("--dish-cm", help="Dish diameter, cm (default: the file's).")] = None,
    out: Out = None,
    as_json: AsJson = False,
    draws: Draws = 500,
    year: Annotated[Optional[int], typer.Option("--year", help="Population year (default: the file's start year).")] = None,
    seed: Seed = 0,
    lang: Lang = "en",
    resolution_km: Resolution = None,
) -> None:
    """People who could watch (link closes × dish ownership), with a 90 % interval; datacast times."""
    from corridor.cli.console import with_spec

    def check() -> None:
        if dish_cm is not None and not 0 < dish_cm <= 500:
            raise CorridorError("must be more than 0 and at most 500 cm", field="--dish-cm", value=dish_cm)

    def prepare(activity):
        return activity if dish_cm is None else with_spec(activity, str(beam), dish_cm=dish_cm)

    run_channel(channel="satellite", path=beam, out=out, as_json=as_json, draws=draws, lang=lang,
                resolution_km=resolution_km, year=year, year_of=lambda a: a.start.year, seed=seed,
                working="Computing the link budget", check=check, prepare=prepare, fields=_fields,
                draw_map=_draw_map, headline=_headline, details=_details)


def _fields(run) -> dict:
    spec, ex = run.spec, run.coverage.extras
    avail = ex["availability_percent"]
    return {"satellite": spec.satellite, "slot_lon_deg": spec.slot_lon_deg, "dish_cm": spec.dish_cm,
            "modcod": spec.modcod, "threshold_es_n0_db": ex["threshold_db"],
            "availability_target": spec.availability_target,
            "availability_percent_range": [float(avail.min()), float(avail.max())],
            "population_where_link_closes_median": ex["link_closes_population_median"],
            "elevation_deg_range": list(ex["elevation_deg_range"]),
            "cn_db_at_target_range": list(ex["cn_target_db_range"]), "datacast": ex["datacast"]}


def _headline(run) -> str:
    _ = run._
    return (_("[bold]{title}[/] with a {dish} cm dish: ").format(title=run.activity.title or run.activity.id,
                                                                  dish=f"{run.spec.dish_cm:g}")
            + reached(run, _("people who could watch")) + ", "
            + _("population {year}: {people}").format(year=run.grid.year, people=people(run.result["population"], run.lang)))


def _details(run):
    _, spec, r = run._, run.spec, run.result
    yield "  " + _("link: closes {target}% of the year where {people} people live (median over draws); Es/N0 at "
                   "that time {lo}–{hi} dB against {threshold} dB for {modcod}; availability {amin}–{amax}%; "
                   "elevation {emin}–{emax}°").format(
        target=f"{spec.availability_target:g}", people=people(r["population_where_link_closes_median"], run.lang),
        lo=f"{r['cn_db_at_target_range'][0]:.1f}", hi=f"{r['cn_db_at_target_range'][1]:.1f}",
        threshold=f"{r['threshold_es_n0_db']:.2f}", modcod=spec.modcod,
        amin=f"{r['availability_percent_range'][0]:.2f}", amax=f"{r['availability_percent_range'][1]:.2f}",
        emin=f"{r['elevation_deg_range'][0]:.0f}", emax=f"{r['elevation_deg_range'][1]:.0f}")
    d = r["datacast"]
    yield "  " + _("datacast: {rate} Mbit/s; a {gb} GB bundle takes {minutes} min of air time; {hours} h a day "
                   "carry {weekly} GB a week ({bundles} bundles)").format(
        rate=f"{d['bit_rate_mbps']:.1f}", gb=f"{d['bundle_gb']:g}", minutes=f"{d['bundle_hours'] * 60:.0f}",
        hours=f"{spec.broadcast_hours_per_day:g}", weekly=_whole(d["weekly_capacity_gb"], run.lang),
        bundles=f"{d['bundles_per_week']:.0f}")


def _whole(x: float, lang: str) -> str:
    """A whole number grouped for ``lang`` (:func:`corridor.presentation.formatting.people`)."""
    from corridor.presentation import formatting

    return formatting.people(x, lang)


def _draw_map(run) -> None:
    from corridor.presentation.satellite import reach_map

    _, spec, r = run._, run.spec, run.result
    reach_map(
        run.grid, run.coverage, run.out, lang=run.lang, title=_("Satellite: who could watch"),
        subtitle=_("{sat}, {dish} cm dish, {modcod}: link closes {target}% of the year × dish ownership; median of {draws} draws").format(
            sat=spec.satellite or f"{spec.slot_lon_deg:g}°E", dish=f"{spec.dish_cm:g}",
            modcod=spec.modcod, target=f"{spec.availability_target:g}", draws=run.draws),
        notes=[_("People who could watch: {median} (90% interval {lower}–{upper}); the link closes where {closes} people live.").format(
                   median=people(r["reached_median"], run.lang), lower=people(r["reached_lower90"], run.lang),
                   upper=people(r["reached_upper90"], run.lang), closes=people(r["population_where_link_closes_median"], run.lang)),
               _("Link: ITU-R P.618/P.676/P.840 (itur); DVB-S2 thresholds of EN 302 307-1. Red lines: link margin at the target availability."),
               _("Dish ownership is an assumption by province (0.02–2% of households); no survey has measured it.")],
        no_link_label=_("Link does not close"))
