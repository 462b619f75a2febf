"""``corridor radio``: HF/MW predictions in the VOACAP case format, and schedule coverage maps."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from corridor.atomic import atomic_path, check_writable
from corridor.cli.console import check_run_options, console, print_json, status
from corridor.errors import CorridorError

# The models (NumPy, pandas, PyIRI, the grid) are imported inside the commands, so that
# ``corridor radio --help`` and input errors answer without loading them.

app = typer.Typer(help="Shortwave and mediumwave broadcasts: predictions and coverage.", no_args_is_help=True)
validate_app = typer.Typer(help="Judge the model on measurements.", no_args_is_help=True)
app.add_typer(validate_app, name="validate")


@app.command()
def predict(
    case: Annotated[Path, typer.Argument(help="Case file (JSON or YAML) in the VOACAP area-case format.")],
    out: Annotated[Path, typer.Option("--out", help="CSV to write (same columns as the reference cases).")],
) -> None:
    """Monthly-median field strength, SNR, reliability and MUF over a lat/lon grid (ITU-R P.533)."""
    from corridor.channels.radio import cases

    check_writable(out)
    parsed = cases.read_case(case)
    try:
        frame = cases.predict_case(parsed)
    except ValueError as exc:
        raise CorridorError(str(exc), source=str(case)) from None
    with atomic_path(out) as tmp:
        frame.to_csv(tmp, index=False)
    console.print(f"Wrote {out}: {len(frame):,} rows ({frame['lat'].nunique()} × {frame['lon'].nunique()} points, "
                  f"{frame['utc_hour'].nunique()} hours)")


@app.command()
def coverage(
    schedule: Annotated[Path, typer.Argument(help="Schedule file (YAML or JSON), e.g. examples/radio/nkrr-2010-tashkent.yaml.")],
    out: Annotated[Path | None, typer.Option("--out", help="PNG map of reliability to write.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
    draws: Annotated[int, typer.Option("--draws", help="Monte Carlo draws.")] = 200,
    year: Annotated[int | None, typer.Option("--year", help="Population year (default: this year).")] = None,
    lang: Annotated[str, typer.Option("--lang", help="Map language: en or ko.")] = "en",
) -> None:
    """People who could hear the broadcast on a given day (90 % interval), and a reliability map."""
    from corridor.channels import get_channel
    from corridor.channels.files import read_activity

    check_run_options(lang=lang, draws=draws, out=out)
    activity = read_activity(schedule, channel="radio")
    # the grid loads pandas and shapely: only once the input is known to be good
    from corridor.geo.grid import load_grid

    with status("Computing radio coverage", quiet=as_json) as say:
        grid = load_grid(5.0, year, progress=say)
        cov = get_channel("radio").coverage(activity, grid, draws=draws)
    s = activity.spec
    result = cov.summary(grid)
    hours = cov.extras["hours"]
    sig = cov.extras["people_with_signal_by_hour"]
    lis = cov.extras["people_listening_by_hour"]
    result.update({
        "activity": activity.id, "station": s.station, "frequency_khz": s.frequency_khz, "year": grid.year,
        "draws": draws, "month": cov.extras["month"], "utc_hours": hours,
        "people_with_usable_signal_by_hour": {f"{h:02d}": {"median": float(sig[1, k]), "lower90": float(sig[0, k]),
                                                           "upper90": float(sig[2, k])} for k, h in enumerate(hours)},
        "people_hearing_by_hour": {f"{h:02d}": {"median": float(lis[1, k]), "lower90": float(lis[0, k]),
                                                "upper90": float(lis[2, k])} for k, h in enumerate(hours)},
        "assumptions": cov.assumptions})
    if out is not None:
        _draw_map(grid, cov, activity, out, lang, result, draws)
    if as_json:
        print_json(result)
        return
    console.print(f"[bold]{activity.title or activity.id}[/]: people who could hear it on a given day "
                  f"[bold]{result['reached_median']:,.0f}[/] (90% interval {result['reached_lower90']:,.0f}–"
                  f"{result['reached_upper90']:,.0f}) of {result['population']:,.0f}")
    for k, h in enumerate(hours):
        console.print(f"  {h:02d} UTC: people with a usable signal {sig[1, k]:,.0f} "
                      f"({sig[0, k]:,.0f}–{sig[2, k]:,.0f}); listening and hearing it {lis[1, k]:,.0f} "
                      f"({lis[0, k]:,.0f}–{lis[2, k]:,.0f})")
    for key, text in cov.assumptions.items():
        console.print(f"  [dim]{key}: {text}[/]")
    if out is not None:
        console.print(f"Wrote {out}")


def _draw_map(grid, cov, activity, out: Path, lang: str, result: dict, draws: int) -> None:
    import numpy as np

    from corridor.channels.base import Coverage
    from corridor.i18n import gettext
    from corridor.maps.coverage import coverage_map

    _ = lambda m: gettext(lang, m)
    s = activity.spec
    hours = cov.extras["hours"]
    rel = np.mean(cov.extras["reliability_median"], axis=0)[None, :]
    rel_cov = Coverage(activity_id=cov.activity_id, channel=cov.channel, grid_key=cov.grid_key,
                       probability=np.clip(rel, 0, 1), model=cov.model, version=cov.version)
    span = f"{hours[0]:02d}:00–{hours[-1] + 1:02d}:00 UTC"
    sites = [(s.lon, s.lat, s.site or s.station)] if 123 <= s.lon <= 132 and 36 <= s.lat <= 44 else None
    coverage_map(
        grid, rel_cov, out, lang=lang, label=_("Reliability: share of days the signal is usable"),
        title=_("Radio: {station}, {freq} kHz (schedule of {date})").format(
            station=s.station, freq=f"{s.frequency_khz:g}", date=f"{activity.start:%Y-%m}"),
        subtitle=_("Reliability (median of {draws} draws), {span}; monthly median ionosphere, month {month}, "
                   "solar index {ssn}").format(draws=draws, span=span, month=cov.extras["month"],
                                               ssn=f"{cov.extras['ssn_index']:.0f}"),
        notes=[_("People who could hear it on a given day, population of {year}: {median} (90% interval "
                 "{lower}–{upper}).").format(
                   year=result["year"], median=f"{result['reached_median']:,.0f}",
                   lower=f"{result['reached_lower90']:,.0f}", upper=f"{result['reached_upper90']:,.0f}"),
               _("Model: {model}.").format(model=_(cov.model)) + " " + (
                   _("Jamming: {n} jammers, assumed sites and powers.").format(n=len(cov.extras["jammers"]))
                   if cov.extras["jammers"] else _("Jamming: none modelled.")),
               _("Listeners: about 20% own a tunable set; listening peaks 23:00–01:00 KST (assumptions).")],
        sites=sites)


@validate_app.command("d1")
def validate_d1(
    file: Annotated[Path, typer.Argument(help="A file in the CCIR Data Bank D1 format (measured HF field strengths).")],
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
) -> None:
    """Model minus measured monthly-median field strength (1 kW isotropic, R12 of the file's
    Table 3, paths up to 7,000 km): hourly- and path-weighted, by distance × day/night, by
    frequency band and by f/MUF."""
    from corridor.channels.radio import d1, measured

    d1.read_d1(file)                      # a bad file is refused before the model loads
    with status("Comparing with the measurements", quiet=as_json) as say:
        result = measured.summary(measured.compare_d1(file, progress=lambda i, n: say(f"{i + 1:,} of {n:,}")))
    if as_json:
        print_json(result)
        return
    _print_d1(file, result)


def _print_d1(file: Path, r: dict) -> None:
    from rich.table import Table

    def fmt(v, sign=False):
        return "–" if v is None else (f"{v:+.1f}" if sign else f"{v:.1f}")

    h, p = r["hourly"], r["paths"]
    console.print(f"[bold]{file.name}[/]: model − measured field strength, dB (1 kW isotropic)")
    console.print(f"  hourly-weighted: bias {fmt(h['bias_db'], True)}, sd {fmt(h['sd_db'])}, "
                  f"median |error| {fmt(h['median_abs_db'])} over {h['n']:,} hourly medians")
    console.print(f"  path-weighted:   bias {fmt(p['bias_db'], True)}, sd {fmt(p['sd_db'])} over {p['n']:,} paths")
    for title, rows, key in (("distance × day/night", r["cells"], None),
                             ("frequency band (MHz)", r["frequency_bands"], "band_mhz"),
                             ("f / basic MUF", r["f_over_muf"], "f_over_muf")):
        table = Table(title=title, title_justify="left")
        first = ["distance", "day/night"] if key is None else [key.replace("_", " ")]
        for col in [*first, "n", "bias dB", "sd dB"]:
            table.add_column(col, justify="right" if col in ("n", "bias dB", "sd dB") else "left")
        for row in rows:
            lead = [row["distance"], row["daynight"]] if key is None else [row[key]]
            table.add_row(*lead, f"{row['n']:,}", fmt(row["bias_db"], True), fmt(row["sd_db"]))
        console.print(table)
    if r["skipped"]:
        console.print("  left out (path-months): " + ", ".join(f"{k} {v:,}" for k, v in r["skipped"].items()))
