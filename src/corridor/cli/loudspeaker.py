"""``corridor loudspeaker``: who can understand a loudspeaker broadcast at the border."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from corridor.channels import get_channel
from corridor.channels.files import read_activity
from corridor.cli.console import check_run_options, console, print_json, status
from corridor.geo.grid import load_grid
from corridor.i18n import gettext

app = typer.Typer(help="Loudspeaker broadcasts across the Military Demarcation Line.", no_args_is_help=True)


@app.command()
def coverage(
    spec: Annotated[Path, typer.Argument(help="Activity file (YAML or JSON), e.g. examples/loudspeaker/paju-night.yaml.")],
    out: Annotated[Optional[Path], typer.Option("--out", help="PNG map to write.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
    draws: Annotated[int, typer.Option("--draws", help="Monte Carlo draws.")] = 200,
    year: Annotated[Optional[int], typer.Option("--year", help="Population year (default: this year).")] = None,
    lang: Annotated[str, typer.Option("--lang", help="Map language: en or ko.")] = "en",
) -> None:
    """People who could understand the broadcast, with a 90 % interval, and an optional map."""
    check_run_options(lang=lang, draws=draws, out=out)
    activity = read_activity(spec, channel="loudspeaker")
    with status("Computing loudspeaker coverage", quiet=as_json) as say:
        grid = load_grid(5.0, year, progress=say)
        cov = get_channel("loudspeaker").coverage(activity, grid, draws=draws)
    result = cov.summary(grid)
    result.update({"activity": activity.id, "year": grid.year, "draws": draws,
                   "assumptions": cov.assumptions})
    if out is not None:
        from corridor.maps.coverage import coverage_map

        _ = lambda m: gettext(lang, m)  # noqa: E731
        s = activity.spec
        coverage_map(
            grid, cov, out, lang=lang, title=_("Loudspeaker: who can understand the broadcast"),
            subtitle=_("Probability that speech is understood, {period}, {band} Hz band, median of {draws} draws").format(
                period=_(s.period), band=s.band_hz, draws=draws),
            notes=[_("People who could understand it: {median} (90% interval {lower}–{upper}).").format(
                       median=f"{result['reached_median']:,.0f}", lower=f"{result['reached_lower90']:,.0f}",
                       upper=f"{result['reached_upper90']:,.0f}"),
                   _("Model: ISO 9613-2 outdoor propagation with directivity; background noise and weather drawn per run.")],
            sites=[(s.lon, s.lat, activity.title or activity.id)])
    if as_json:
        print_json(result)
        return
    console.print(f"[bold]{activity.title or activity.id}[/]: people who could understand it "
                  f"[bold]{result['reached_median']:,.0f}[/] (90% interval "
                  f"{result['reached_lower90']:,.0f}–{result['reached_upper90']:,.0f}), "
                  f"population {grid.year}: {result['population']:,.0f}")
    for key, text in cov.assumptions.items():
        console.print(f"  [dim]{key}: {text}[/]")
    if out is not None:
        console.print(f"Wrote {out}")
