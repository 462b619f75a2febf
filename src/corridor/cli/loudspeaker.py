"""``corridor loudspeaker``: who can understand a loudspeaker broadcast at the border."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from corridor.cli.common import (
    AsJson,
    Draws,
    Lang,
    Out,
    Resolution,
    Year,
    people,
    reached,
    run_channel,
)

app = typer.Typer(help="Loudspeaker broadcasts across the Military Demarcation Line.", no_args_is_help=True)


@app.command()
def coverage(
    spec: Annotated[Path, typer.Argument(help="Activity file (YAML or JSON), e.g. examples/loudspeaker/paju-night.yaml.")],
    out: Out = None,
    as_json: AsJson = False,
    draws: Draws = 200,
    year: Year = None,
    lang: Lang = "en",
    resolution_km: Resolution = None,
) -> None:
    """People who could understand the broadcast, with a 90 % interval, and an optional map."""
    run_channel(channel="loudspeaker", path=spec, out=out, as_json=as_json, draws=draws, lang=lang,
                resolution_km=resolution_km, year=year, working="Computing loudspeaker coverage",
                draw_map=_draw_map, headline=_headline)


def _headline(run) -> str:
    _ = run._
    return (f"[bold]{run.activity.title or run.activity.id}[/]: "
            + reached(run, _("people who could understand it")) + ", "
            + _("population {year}: {people}").format(year=run.grid.year, people=people(run.result["population"], run.lang)))


def _draw_map(run) -> None:
    from corridor.presentation.coverage import coverage_map

    _, s, r = run._, run.spec, run.result
    coverage_map(
        run.grid, run.coverage, run.out, lang=run.lang, title=_("Loudspeaker: who can understand the broadcast"),
        subtitle=_("Probability that speech is understood, {period}, {band} Hz band, median of {draws} draws").format(
            period=_(s.period), band=s.band_hz, draws=run.draws),
        notes=[_("People who could understand it: {median} (90% interval {lower}–{upper}).").format(
                   median=people(r["reached_median"], run.lang), lower=people(r["reached_lower90"], run.lang),
                   upper=people(r["reached_upper90"], run.lang)),
               _("Model: ISO 9613-2 outdoor propagation with directivity; background noise and weather drawn per run.")],
        sites=[(s.lon, s.lat, run.activity.title or run.activity.id)])
