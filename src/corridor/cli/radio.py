"""``corridor radio``: HF/MW predictions in the VOACAP case format, and schedule coverage maps."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from corridor.atomic import atomic_path, check_writable
from corridor.cli.common import (
    AsJson,
    Draws,
    Lang,
    Resolution,
    Year,
    people,
    reached,
    run_channel,
)
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
        table = cases.predict_table(parsed)
    except ValueError as exc:
        raise CorridorError(str(exc), source=str(case)) from None
    with atomic_path(out) as tmp:
        cases.write_csv(table, tmp)
    rows, n_lat, n_lon, n_hours = cases.table_shape(table)
    console.print(f"Wrote {out}: {rows:,} rows ({n_lat} × {n_lon} points, {n_hours} hours)")


@app.command()
def coverage(
    schedule: Annotated[Path, typer.Argument(help="Schedule file (YAML or JSON), e.g. examples/radio/nkrr-2010-tashkent.yaml.")],
    out: Annotated[Path | None, typer.Option("--out", help="PNG map of reliability to write.")] = None,
    as_json: AsJson = False,
    draws: Draws = 200,
    year: Year = None,
    lang: Lang = "en",
    resolution_km: Resolution = None,
) -> None:
    """People who could hear the broadcast on a given day (90 % interval), and a reliability map."""
    run_channel(channel="radio", path=schedule, out=out, as_json=as_json, draws=draws, lang=lang,
                resolution_km=resolution_km, year=year, working="Computing radio coverage", fields=_fields,
                draw_map=_draw_map, headline=_headline, details=_details)


def _by_hour(hours, q) -> dict:
    """Per UTC hour: median and 90 % interval from rows (lower, median, upper) of ``q``."""
    return {f"{h:02d}": {"median": float(q[1, k]), "lower90": float(q[0, k]), "upper90": float(q[2, k])}
            for k, h in enumerate(hours)}


def _fields(run) -> dict:
    s, ex = run.spec, run.coverage.extras
    return {"station": s.station, "frequency_khz": s.frequency_khz, "month": ex["month"], "utc_hours": ex["hours"],
            "people_with_usable_signal_by_hour": _by_hour(ex["hours"], ex["people_with_signal_by_hour"]),
            "people_hearing_by_hour": _by_hour(ex["hours"], ex["people_listening_by_hour"])}


def _headline(run) -> str:
    _ = run._
    return (f"[bold]{run.activity.title or run.activity.id}[/]: "
            + reached(run, _("people who could hear it on a given day"))
            + " " + _("of {population}").format(population=people(run.result["population"], run.lang)))


def _details(run):
    _, ex = run._, run.coverage.extras
    sig, lis = ex["people_with_signal_by_hour"], ex["people_listening_by_hour"]
    for k, h in enumerate(ex["hours"]):
        yield "  " + _("{hour} UTC: people with a usable signal {signal} ({slo}–{shi}); listening and hearing it "
                       "{hear} ({hlo}–{hhi})").format(
            hour=f"{h:02d}", signal=people(sig[1, k], run.lang), slo=people(sig[0, k], run.lang), shi=people(sig[2, k], run.lang),
            hear=people(lis[1, k], run.lang), hlo=people(lis[0, k], run.lang), hhi=people(lis[2, k], run.lang))


def _draw_map(run) -> None:
    from corridor.presentation.coverage import mean_share_map

    _, s, cov, result = run._, run.spec, run.coverage, run.result
    hours = cov.extras["hours"]
    span = f"{hours[0]:02d}:00–{hours[-1] + 1:02d}:00 UTC"
    sites = [(s.lon, s.lat, s.site or s.station)] if 123 <= s.lon <= 132 and 36 <= s.lat <= 44 else None
    mean_share_map(
        run.grid, cov.extras["reliability_median"], run.out, lang=run.lang,
        label=_("Reliability: share of days the signal is usable"),
        title=_("Radio: {station}, {freq} kHz (schedule of {date})").format(
            station=s.station, freq=f"{s.frequency_khz:g}", date=f"{run.activity.start:%Y-%m}"),
        subtitle=_("Reliability (median of {draws} draws), {span}; monthly median ionosphere, month {month}, "
                   "solar index {ssn}").format(draws=run.draws, span=span, month=cov.extras["month"],
                                               ssn=f"{cov.extras['ssn_index']:.0f}"),
        notes=[_("People who could hear it on a given day, population of {year}: {median} (90% interval "
                 "{lower}–{upper}).").format(
                   year=result["year"], median=people(result["reached_median"], run.lang),
                   lower=people(result["reached_lower90"], run.lang), upper=people(result["reached_upper90"], run.lang)),
               _("Model: {model}.").format(model=_(cov.model)) + " " + (
                   _("Jamming: {n} jammers, assumed sites and powers.").format(n=len(cov.extras["jammers"]))
                   if cov.extras["jammers"] else _("Jamming: none modelled.")),
               _("Listeners: about 20% own a tunable set; listening peaks 23:00–01:00 KST (assumptions).")],
        sites=sites)


@validate_app.command("d1")
def validate_d1(
    file: Annotated[Path, typer.Argument(help="A file in the CCIR Data Bank D1 format (measured HF field strengths).")],
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
    absorption: Annotated[str, typer.Option("--absorption", help="Absorption method: p533 (ITU-R P.533-14, the default), p533_12 (P.533-12 control points) or d1_e_layer (E modes fitted on Data Bank D1; not the Recommendation).")] = "p533",
) -> None:
    """Model minus measured monthly-median field strength (1 kW isotropic, R12 of the file's
    Table 3, paths up to 7,000 km): hourly- and path-weighted, by distance × day/night, by
    frequency band and by f/MUF."""
    from corridor.channels.radio import d1, measured

    measured.check_absorption(absorption)  # a bad option or file is refused before the model loads
    d1.read_d1(file)
    with status("Comparing with the measurements", quiet=as_json) as say:
        result = measured.summary(measured.compare_d1(file, absorption=absorption,
                                                      progress=lambda i, n: say(f"{i + 1:,} of {n:,}")))
    if as_json:
        print_json(result)
        return
    _print_d1(file, result)


def _print_d1(file: Path, r: dict) -> None:
    from rich.table import Table

    def fmt(v, sign=False):
        return "–" if v is None else (f"{v:+.1f}" if sign else f"{v:.1f}")

    h, p = r["hourly"], r["paths"]
    console.print(f"[bold]{file.name}[/]: model − measured field strength, dB (1 kW isotropic; "
                  f"absorption {r['absorption']})")
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


@app.command()
def landscape(
    sked: Annotated[Path, typer.Argument(help="An EiBi season file (sked-A26.csv, as eibispace.de publishes it).")],
    date: Annotated[str | None, typer.Option("--date", help="Day to show, YYYY-MM-DD (default: today if in the season).")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
    out: Annotated[Path | None, typer.Option("--out", help="PNG maps (reliability by hour and the gaps) to write.")] = None,
    lang: Annotated[str, typer.Option("--lang", help="Language of the maps and the console: en or ko.")] = "en",
    powers: Annotated[Path | None, typer.Option("--powers", help="CSV of transmitter powers, replacing the shipped assumptions (same columns).")] = None,
    draws: Annotated[int, typer.Option("--draws", help="Monte Carlo draws.")] = 200,
    do_import: Annotated[bool, typer.Option("--import", help="Record the season in the coalition ledger as public activities of --org.")] = False,
    org: Annotated[str | None, typer.Option("--org", help="With --import: the reference organisation (created if missing).")] = None,
    db: Annotated[str | None, typer.Option("--db", help="With --import: database URL (default: $CORRIDOR_DATABASE_URL or the local SQLite file).")] = None,
    resolution_km: Resolution = None,
) -> None:
    """The real broadcasts in Korean to Korea on a day: who is on air each hour (KST), who could
    hear at least one, the silent hours, per province and per station; or, with --import, the
    season recorded in the ledger so that collisions and gaps include every broadcaster."""
    import datetime as dt

    from corridor.channels.radio import eibi
    from corridor.settings import grid_resolution_km

    check_run_options(lang=lang, draws=draws, out=out)
    resolution_km = grid_resolution_km(resolution_km)
    if do_import and not org:
        raise CorridorError("--import needs --org, the organisation to record the schedule under", field="--org")
    if org and not do_import:
        raise CorridorError("--org is used only with --import", field="--org", value=org)
    day = None
    if date is not None:
        try:
            day = dt.date.fromisoformat(date)
        except ValueError:
            raise CorridorError("not a date YYYY-MM-DD", field="--date", value=date) from None
    season = eibi.read_season(sked)
    eibi.korean_to_korea(season)                    # a file with no Korean broadcast says so now
    if day is not None and not season.first_day <= day <= season.last_day:
        raise CorridorError(f"the date is outside season {season.code}, which runs from "
                            f"{season.first_day.isoformat()} to {season.last_day.isoformat()}",
                            source=sked.name, field="--date", value=date)
    from corridor.channels.radio import landscape as model

    table = model.load_powers(powers)
    if do_import:
        _import_season(season, table, org, db, as_json, lang)
        return
    with status("Computing the broadcast landscape", quiet=as_json) as say:
        from corridor.geo.grid import load_grid

        grid = load_grid(resolution_km, None, progress=say)
        result = model.build(season, day, grid=grid, draws=draws, powers=table, progress=say)
    if out is not None:
        from corridor.presentation.landscape import landscape_maps

        landscape_maps(grid, result, out, lang=lang)
    data = result.to_json()
    if as_json:
        print_json(data)
        return
    _print_landscape(data, lang)
    if out is not None:
        console.print(f"Wrote {out}")


def _import_season(season, table, org: str, db: str | None, as_json: bool, lang: str) -> None:
    from sqlalchemy import select
    from sqlalchemy.exc import OperationalError

    from corridor.access import members
    from corridor.access.tables import Organisation
    from corridor.channels.radio.eibi import ATTRIBUTION
    from corridor.cli.coalition import _admin, _engine
    from corridor.coalition import public_schedule
    from corridor.i18n import gettext
    from corridor.store import session_scope

    _ = lambda m: gettext(lang, m)
    engine = _engine(db)
    created = False
    try:
        with session_scope(engine) as s:
            organisation = s.execute(select(Organisation).where(Organisation.name == org)).scalar_one_or_none()
            if organisation is None:
                organisation = members.create_organisation(s, org)
                created = True
            report = public_schedule.import_file(s, _admin(organisation.id, "landscape-import"), organisation.id,
                                                 season, powers=table)
    except OperationalError:
        raise CorridorError("the database is busy (another write is under way); nothing was imported, "
                            "try again in a moment", field="--db") from None
    report = {**report, "organisation": org, "organisation_created": created, "attribution": ATTRIBUTION}
    if as_json:
        print_json(report)
        return
    if created:
        console.print(_("Created the organisation {org}.").format(org=org))
    console.print(_("Recorded {n} public broadcasts of season {season} under {org} (visible to every member of "
                    "the coalition); replaced {old} earlier import(s).").format(
                        n=report["activities"], season=report["season"], org=org, old=report["replaced"]))
    by_reason: dict[str, list] = {}
    for item in report["left_out"]:
        by_reason.setdefault(item["reason"], []).append(item)
    for reason, items in by_reason.items():
        names = sorted({i["station"] for i in items})
        console.print("  " + _("left out, {reason}: {n} broadcasts ({stations})").format(
            reason=_(reason), n=len(items), stations=", ".join(names)))
    for item in report["unknown_sites"]:
        console.print("  " + _("unknown transmitter site {site} ({station}): not in the site table, left out").format(
            site=item["site"], station=item["station"]))
    console.print(f"[dim]{report['attribution']}[/]")


def _print_landscape(d: dict, lang: str) -> None:
    from rich.table import Table

    from corridor.i18n import gettext
    from corridor.presentation import formatting

    _ = lambda m: gettext(lang, m)

    def people(v):
        return formatting.people(v, lang)

    console.print(_("[bold]Broadcasts in Korean to Korea, season {season}, {date}[/]: {n} broadcasts from {k} "
                    "stations").format(season=d["season"], date=d["date"], n=len(d["broadcasts"]),
                                       k=len({b["station"] for b in d["broadcasts"]})))
    hours = Table(title=_("Each hour (KST): outside stations on air and people who could hear at least one"),
                  title_justify="left")
    hours.add_column(_("hour KST"), justify="right", no_wrap=True)
    hours.add_column(_("stations"), justify="left", ratio=1, overflow="fold")
    hours.add_column(_("people (median)"), justify="right", no_wrap=True)
    hours.add_column(_("90% interval"), justify="right", no_wrap=True)
    for h in range(24):
        row = d["hours_kst"][str(h)]
        names = ", ".join(row["stations"]) or _("none")
        hours.add_row(f"{h:02d}", names, people(row["reached_median"]),
                      f"{people(row['reached_lower90'])}–{people(row['reached_upper90'])}")
    console.print(hours)
    silent = d["silent_hours_kst"]
    console.print(_("Silent hours (no outside station on air, KST): {hours}").format(
        hours=", ".join(f"{h:02d}" for h in silent) if silent else _("none")))
    if d.get("per_province"):
        prov = Table(title=_("Per province"), title_justify="left")
        for col in (_("province"), _("people"), _("best hour KST"), _("people reached then (median, 90%)"),
                    _("hours with a usable signal")):
            prov.add_column(col, justify="left" if col == _("province") else "right", no_wrap=col != _("province")
                            and col != _("best hour KST") and col != _("hours with a usable signal"))
        for row in d["per_province"]:
            best = row["best_hour_kst"]
            prov.add_row(row["province_ko"] if lang == "ko" else row["province"], people(row["population"]),
                         "–" if best is None else f"{best:02d}",
                         f"{people(row['reached_median'])} ({people(row['reached_lower90'])}–"
                         f"{people(row['reached_upper90'])})", str(row["usable_hours"]))
        console.print(prov)
    if d.get("per_station"):
        st = Table(title=_("Per station: people who could hear it on a typical day"), title_justify="left")
        for col in (_("station"), _("broadcasts"), _("people (median)"), _("90% interval")):
            st.add_column(col, justify="left" if col == _("station") else "right", no_wrap=col != _("station"))
        for row in d["per_station"]:
            st.add_row(row["station"], str(row["broadcasts"]), people(row["reached_median"]),
                       f"{people(row['reached_lower90'])}–{people(row['reached_upper90'])}")
        console.print(st)
    for item in d["unknown_sites"]:
        console.print(_("Unknown transmitter site {site} ({station}, on air {hours} KST): not in the site table, "
                        "left out of the reach").format(site=item["site"], station=item["station"],
                                                       hours=", ".join(f"{h:02d}" for h in item["hours_kst"])))
    for item in d.get("unmodelled", []):
        console.print(_("Not modelled: {station}, {khz} kHz from {site}: {reason}").format(
            station=item["station"], khz=f"{item['khz']:g}", site=item["site"], reason=_(item["reason"])))
    assumed = sum(b["power_assumed"] for b in d["broadcasts"])
    console.print(_("Assumed powers: {n} of {total} broadcasts use the default power (no published figure).").format(
        n=assumed, total=len(d["broadcasts"])))
    for key, text in d.get("assumptions", {}).items():
        console.print(f"  [dim]{key}: {text}[/]")
    console.print(f"[dim]{d['attribution']}[/]")
