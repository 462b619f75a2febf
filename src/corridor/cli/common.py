"""What every channel command shares: its options and its skeleton.

A channel command checks its options, reads the activity file, loads the population grid, runs
the channel's coverage model, gathers the result, draws the map and prints (or prints JSON). The
command supplies only what differs: extra checks, the result's own fields, the map and the lines
it prints. Nothing here computes a model; the library does.

Light: importing this module loads no model library (``corridor <group> --help`` stays quick).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any

import typer

from corridor.cli.console import check_run_options, console, print_json, status

Out = Annotated[Path | None, typer.Option("--out", help="PNG map to write.")]
AsJson = Annotated[bool, typer.Option("--json", help="Print one JSON object.")]
Draws = Annotated[int, typer.Option("--draws", help="Monte Carlo draws.")]
Lang = Annotated[str, typer.Option(
    "--lang", envvar="CORRIDOR_LANG",
    help="Language of the console and the map: en or ko (default: $CORRIDOR_LANG, else ko under a Korean locale).")]
Resolution = Annotated[float | None, typer.Option(
    "--resolution-km", "--resolution",
    help="Side of the population grid's cells, km (default: $CORRIDOR_GRID_KM, else 5; 1 for detail).")]
Year = Annotated[int | None, typer.Option("--year", help="Population year (default: this year).")]
Seed = Annotated[int, typer.Option("--seed", help="Random seed.")]


def translator(lang: str) -> Callable[[str], str]:
    """``_`` for console and map texts in ``lang`` (gettext; English is the source)."""
    from corridor.i18n import gettext

    return lambda message: gettext(lang, message)


def check_common(*, lang: str, draws: int, out: Path | None = None, resolution_km: float | None = None) -> float:
    """The checks every channel command makes before any work; returns the grid resolution."""
    from corridor.settings import grid_resolution_km

    check_run_options(lang=lang, draws=draws, out=out)
    return grid_resolution_km(resolution_km)


@dataclass
class ChannelRun:
    """One run of a channel command, handed to the command's own parts."""

    activity: Any
    grid: Any
    coverage: Any
    result: dict
    draws: int
    lang: str
    out: Path | None

    @property
    def spec(self):
        return self.activity.spec

    def _(self, message: str) -> str:
        from corridor.i18n import gettext

        return gettext(self.lang, message)


def run_channel(*, channel: str, path: Path, out: Path | None, as_json: bool, draws: int, lang: str,
                resolution_km: float | None, working: str, year: int | None = None,
                year_of: Callable[[Any], int | None] | None = None, seed: int = 0,
                check: Callable[[], None] | None = None, prepare: Callable[[Any], Any] | None = None,
                fields: Callable[[ChannelRun], dict] | None = None,
                draw_map: Callable[[ChannelRun], None] | None = None,
                headline: Callable[[ChannelRun], str],
                details: Callable[[ChannelRun], Iterable[str]] | None = None,
                show_assumptions: Callable[[str], bool] = lambda _key: True) -> dict:
    """The channel command's skeleton: check → read → grid → coverage → result → map → print.

    ``check`` makes the command's own option checks (before any file is read); ``prepare``
    changes or checks the activity read from ``path`` (e.g. a spec field given as an option);
    ``year_of`` gives the population year from the activity when ``year`` is None; ``working``
    is the (English) text of the spinner. Returns the result (what ``--json`` prints).
    """
    from corridor.channels import get_channel
    from corridor.channels.files import read_activity

    resolution_km = check_common(lang=lang, draws=draws, out=out, resolution_km=resolution_km)
    if check is not None:
        check()
    activity = read_activity(path, channel=channel)
    if prepare is not None:
        activity = prepare(activity)
    from corridor.geo.grid import (
        load_grid,  # pandas and shapely: only once the input is good
    )

    _ = translator(lang)
    with status(_(working), quiet=as_json) as say:
        grid = load_grid(resolution_km, year if year is not None or year_of is None else year_of(activity),
                         progress=say)
        cov = get_channel(channel).coverage(activity, grid, draws=draws, seed=seed)
    result = cov.summary(grid)
    result.update({"activity": activity.id, "year": grid.year, "draws": draws,
                   "resolution_km": grid.resolution_km})
    run = ChannelRun(activity, grid, cov, result, draws, lang, out)
    if fields is not None:
        result.update(fields(run))
    result["assumptions"] = cov.assumptions
    if out is not None and draw_map is not None:
        draw_map(run)
    if as_json:
        print_json(result)
        return result
    console.print(headline(run))
    for line in details(run) if details is not None else ():
        console.print(line)
    for key, text in cov.assumptions.items():
        if show_assumptions(key):
            console.print(f"  [dim]{key}: {text}[/]")
    if out is not None:
        console.print(_("Wrote {path}").format(path=out))
    return result


def people(v: float | None, lang: str) -> str:
    """A count of people for the console in ``lang``: 1,204,352
    (:func:`corridor.presentation.formatting.people`)."""
    from corridor.presentation import formatting

    return formatting.people(v, lang)


def reached(run: ChannelRun, what: str) -> str:
    """``{what} N (90% interval L–U)`` in the run's language, for a headline."""
    r = run.result
    return run._("{what} [bold]{median}[/] (90% interval {lower}–{upper})").format(
        what=what, median=people(r["reached_median"], run.lang), lower=people(r["reached_lower90"], run.lang),
        upper=people(r["reached_upper90"], run.lang))
