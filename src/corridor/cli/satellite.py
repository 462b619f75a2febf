"""``corridor satellite``: where a geostationary beam can be watched, and by how many."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from corridor.channels import get_channel
from corridor.channels.files import read_activity
from corridor.cli.console import check_run_options, console, print_json, status, with_spec
from corridor.errors import CorridorError
from corridor.geo.grid import load_grid
from corridor.i18n import gettext

app = typer.Typer(help="Direct-to-home satellite beams over Korea.", no_args_is_help=True)


@app.command()
def coverage(
    beam: Annotated[Path, typer.Argument(help="Beam file (YAML or JSON), e.g. examples/satellite/koreasat-116e.yaml.")],
    dish_cm: Annotated[Optional[float], typer.Option("--dish-cm", help="Dish diameter, cm (default: the file's).")] = None,
    out: Annotated[Optional[Path], typer.Option("--out", help="PNG map to write.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
    draws: Annotated[int, typer.Option("--draws", help="Monte Carlo draws.")] = 500,
    year: Annotated[Optional[int], typer.Option("--year", help="Population year (default: the file's start year).")] = None,
    seed: Annotated[int, typer.Option("--seed", help="Random seed.")] = 0,
    lang: Annotated[str, typer.Option("--lang", help="Map language: en or ko.")] = "en",
) -> None:
    """People who could watch (link closes × dish ownership), with a 90 % interval; datacast times."""
    check_run_options(lang=lang, draws=draws, out=out)
    if dish_cm is not None and not 0 < dish_cm <= 500:
        raise CorridorError("must be more than 0 and at most 500 cm", field="--dish-cm", value=dish_cm)
    activity = read_activity(beam, channel="satellite")
    if dish_cm is not None:
        activity = with_spec(activity, str(beam), dish_cm=dish_cm)
    spec = activity.spec
    with status("Computing the link budget", quiet=as_json) as say:
        grid = load_grid(5.0, year or activity.start.year, progress=say)
        cov = get_channel("satellite").coverage(activity, grid, draws=draws, seed=seed)
    result = cov.summary(grid)
    ex = cov.extras
    avail = ex["availability_percent"]
    result.update({"activity": activity.id, "satellite": spec.satellite, "slot_lon_deg": spec.slot_lon_deg,
                   "dish_cm": spec.dish_cm, "modcod": spec.modcod, "year": grid.year, "draws": draws,
                   "threshold_es_n0_db": ex["threshold_db"], "availability_target": spec.availability_target,
                   "availability_percent_range": [float(avail.min()), float(avail.max())],
                   "population_where_link_closes_median": ex["link_closes_population_median"],
                   "elevation_deg_range": list(ex["elevation_deg_range"]),
                   "cn_db_at_target_range": list(ex["cn_target_db_range"]),
                   "datacast": ex["datacast"], "assumptions": cov.assumptions})
    fmt = lambda v: f"{v:,.0f}"  # noqa: E731
    if out is not None:
        from corridor.channels.satellite.reach_map import reach_map

        _ = lambda m: gettext(lang, m)  # noqa: E731
        reach_map(
            grid, cov, out, lang=lang, title=_("Satellite: who could watch"),
            subtitle=_("{sat}, {dish} cm dish, {modcod}: link closes {target}% of the year × dish ownership; median of {draws} draws").format(
                sat=spec.satellite or f"{spec.slot_lon_deg:g}°E", dish=f"{spec.dish_cm:g}",
                modcod=spec.modcod, target=f"{spec.availability_target:g}", draws=draws),
            notes=[_("People who could watch: {median} (90% interval {lower}–{upper}); the link closes where {closes} people live.").format(
                       median=fmt(result["reached_median"]), lower=fmt(result["reached_lower90"]),
                       upper=fmt(result["reached_upper90"]), closes=fmt(ex["link_closes_population_median"])),
                   _("Link: ITU-R P.618/P.676/P.840 (itur); DVB-S2 thresholds of EN 302 307-1. Red lines: link margin at the target availability."),
                   _("Dish ownership is an assumption by province (0.02–2% of households); no survey has measured it.")],
            no_link_label=_("Link does not close"))
    if as_json:
        print_json(result)
        return
    console.print(f"[bold]{activity.title or activity.id}[/] with a {spec.dish_cm:g} cm dish: people who could watch "
                  f"[bold]{fmt(result['reached_median'])}[/] (90% interval {fmt(result['reached_lower90'])}–"
                  f"{fmt(result['reached_upper90'])}), population {grid.year}: {fmt(result['population'])}")
    console.print(f"  link: closes {spec.availability_target:g}% of the year where {fmt(ex['link_closes_population_median'])} "
                  f"people live (median over draws); Es/N0 at that time {ex['cn_target_db_range'][0]:.1f}–"
                  f"{ex['cn_target_db_range'][1]:.1f} dB against {ex['threshold_db']:.2f} dB for {spec.modcod}; "
                  f"availability {avail.min():.2f}–{avail.max():.2f}%; elevation "
                  f"{ex['elevation_deg_range'][0]:.0f}–{ex['elevation_deg_range'][1]:.0f}°")
    d = ex["datacast"]
    console.print(f"  datacast: {d['bit_rate_mbps']:.1f} Mbit/s; a {d['bundle_gb']:g} GB bundle takes "
                  f"{d['bundle_hours'] * 60:.0f} min of air time; {spec.broadcast_hours_per_day:g} h a day carry "
                  f"{d['weekly_capacity_gb']:,.0f} GB a week ({d['bundles_per_week']:.0f} bundles)")
    for key, text in cov.assumptions.items():
        console.print(f"  [dim]{key}: {text}[/]")
    if out is not None:
        console.print(f"Wrote {out}")
