"""``corridor balloon``: trajectories, launch windows and landing maps of leaflet balloons."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from corridor.atomic import check_writable
from corridor.channels.balloon.legal import LEGAL_NOTICE
from corridor.channels.balloon.sites import keys as site_keys
from corridor.cli.common import (
    AsJson,
    Lang,
    Resolution,
    Seed,
    Year,
    check_common,
    translator,
)
from corridor.cli.console import console, print_json, status
from corridor.errors import CorridorError
from corridor.i18n import check_language, gettext

app = typer.Typer(help="Leaflet balloons: where they fly, where leaflets land, when to (not) launch. "
                       + LEGAL_NOTICE, no_args_is_help=True)

WIND_HELP = ("Wind field: a GRIB2 or NetCDF file (several: comma-separated), or a shipped sample "
             "(gfs-2011-01-15: real GFS forecast; rotating-2011-10-11: constructed test field).")


def _notice() -> None:
    console.print(f"[bold red]{LEGAL_NOTICE}[/]")


def _site_name(site_row, lang: str) -> str:
    """A shipped site's name in the chart language (sites.csv has ``name`` and ``name_ko``)."""
    return str(site_row["name_ko"] if lang == "ko" else site_row["name"])


def _wind_label(wind: str, members: int, lang: str) -> str:
    """What the wind field is, for a chart subtitle: a sample's description or the file names."""
    from corridor.channels.balloon.samples import SAMPLES

    if wind in SAMPLES:
        text = gettext(lang, SAMPLES[wind][1])
    else:
        names = [Path(p.strip()).name for p in wind.split(",") if p.strip()]
        text = ", ".join(names[:3]) + (" …" if len(names) > 3 else "")
    if members > 1:
        text += gettext(lang, " ({members} forecast members, draws spread evenly over them)").format(members=members)
    return text


def _hours(text: str, field: str) -> tuple[float, ...]:
    try:
        values = tuple(float(x) for x in text.split(",") if x.strip())
    except ValueError:
        raise CorridorError("give hours after launch separated by commas", field=field, value=text) from None
    if not values or any(not 0 < v <= 48 for v in values):
        raise CorridorError("timers must be between 0 and 48 hours after launch", field=field, value=text)
    return tuple(sorted(values))


@app.command()
def predict(
    flight: Annotated[Path, typer.Argument(help="Flight file (JSON, the Tawhiri reference format).")],
    wind: Annotated[str, typer.Option("--wind", help=WIND_HELP)],
    out: Annotated[Path, typer.Option("--out", help="Track CSV to write (Tawhiri's columns).")],
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
) -> None:
    """Predict one flight (float or standard profile) and write its track."""
    from corridor.channels.balloon.flight_files import read_flight, write_track

    check_writable(out)
    inputs = read_flight(flight)      # a missing or bad file is refused before the model loads
    from corridor.channels.balloon.interpolation import WindArrays
    from corridor.channels.balloon.profiles import predict as run
    from corridor.channels.balloon.samples import resolve_wind

    with status("Reading the wind field", quiet=as_json):
        arrays = WindArrays.from_dataset(resolve_wind(wind))
    track = run(inputs, arrays)
    write_track(track.rows, out)
    end = track.final
    result = {"flight": str(flight), "out": str(out), "points": len(track.rows),
              "final": {"time_unix_s": float(end.time_unix_s), "latitude_deg": float(end.latitude_deg),
                        "longitude_deg": float(end.longitude_deg), "altitude_m": float(end.altitude_m)},
              "extrapolated_steps": track.extrapolated_steps, "legal_notice": LEGAL_NOTICE}
    if as_json:
        print_json(result)
        return
    console.print(f"{len(track.rows)} points; ends at {end.latitude_deg:.5f}N {end.longitude_deg:.5f}E, "
                  f"{end.altitude_m:.1f} m after {end.elapsed_s / 3600:.2f} h")
    flagged = {k: v for k, v in track.extrapolated_steps.items() if v}
    if flagged:
        console.print(f"  [dim]steps with extrapolated wind: {flagged}[/]")
    console.print(f"Wrote {out}")
    _notice()


@app.command()
def windows(
    site: Annotated[str, typer.Option("--site", help=f"Launch site key ({', '.join(site_keys())}).")],
    wind: Annotated[str, typer.Option("--wind", help=WIND_HELP)],
    out: Annotated[Optional[Path], typer.Option("--out", help="PNG chart to write.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
    float_altitude: Annotated[float, typer.Option("--float-altitude", help="Nominal float altitude, m.")] = 4000.0,
    timers: Annotated[str, typer.Option("--timers", help="Release times, hours after launch, e.g. 2,3,4.")] = "2,3,4",
    balloons: Annotated[int, typer.Option("--balloons", help="Balloons flown per launch hour.")] = 40,
    seed: Annotated[int, typer.Option("--seed", help="Random seed.")] = 0,
    lang: Lang = "en",
) -> None:
    """Scan every launch hour of a forecast: where would the leaflets land (South shown first)?"""
    from corridor.channels.balloon.sites import site as find_site

    check_language(lang)
    if out is not None:
        check_writable(out)
    if not 5 <= balloons <= 2000:
        raise CorridorError("must be between 5 and 2,000", field="--balloons", value=balloons)
    hours_h = _hours(timers, "--timers")
    s = find_site(site, field="--site")
    # the models (NumPy, xarray, numba) load only once the options are known to be good
    from corridor.channels.balloon import windows as windows_model
    from corridor.channels.balloon.channel import check_plan
    from corridor.channels.balloon.ensemble import LaunchPlan
    from corridor.channels.balloon.interpolation import WindArrays
    from corridor.channels.balloon.samples import resolve_wind
    from corridor.channels.balloon.windows import candidate_hours, scan

    with status(gettext(lang, "Scanning launch hours"), quiet=as_json) as say:
        say(gettext(lang, "reading the wind field"))
        arrays = WindArrays.from_dataset(resolve_wind(wind))
        hours = candidate_hours(arrays, max(hours_h))
        check_plan(LaunchPlan(float(s.lat_deg), float(s.lon_deg), float(hours[0]), 1, 1.0, float_altitude,
                              hours_h, float(s.altitude_m)), arrays, source=wind)
        say(gettext(lang, "{n} launch hours").format(n=len(hours)))
        table = scan(arrays, float(s.lat_deg), float(s.lon_deg), float_altitude_m=float_altitude,
                     timers_h=hours_h, launch_altitude_m=float(s.altitude_m), balloons=balloons, seed=seed,
                     hours=hours)
    safest = windows_model.safest(table)
    _ = translator(lang)
    if out is not None:
        from corridor.channels.balloon.notes import float_spread, windows_note
        from corridor.presentation.balloon import windows_chart

        single = arrays.times.size == 1
        subtitle = (_("Share of leaflets landing in South Korea, North Korea and the sea for each launch hour; "
                      "{balloons} balloons per hour, float {float} m ± {float_sd} m, timers {timers} h.").format(
                        balloons=balloons, float=f"{float_altitude:.0f}", float_sd=float_spread(), timers=timers)
                    + "\n" + _("Wind: {what}.").format(what=_wind_label(wind, arrays.members, lang)))
        if single:
            subtitle += "\n" + _("One forecast step, held constant in time: hour-to-hour differences are "
                                 "sampling noise.")
        windows_chart(
            out, table, lang=lang,
            title=_("Balloon launch windows from {site}").format(site=_site_name(s, lang)),
            subtitle=subtitle,
            notes=[_("Lowest share in the South: {south} (90% interval {lo}–{hi}) for a launch at {time}; "
                     "North {north} ({nlo}–{nhi}).").format(
                       south=_pct0(safest.south, lang), lo=_pct0(safest.south_lower90, lang),
                       hi=_pct0(safest.south_upper90, lang), time=safest.launch_time_utc,
                       north=_pct0(safest.north, lang), nlo=_pct0(safest.north_lower90, lang),
                       nhi=_pct0(safest.north_upper90, lang)),
                   windows_note(lang)])
    result = {"site": site, "wind": wind, "float_altitude_m": float_altitude, "timers_h": list(hours_h),
              "balloons_per_hour": balloons, "legal_notice": LEGAL_NOTICE,
              "hours": table.drop(columns=["launch_time_unix_s"]).round(4).to_dict(orient="records")}
    if as_json:
        print_json(result)
        return
    _notice()
    console.print(_("[bold]{n} launch hours from {site}[/] (share of leaflets: South first, with 90% intervals)").format(
        n=len(table), site=_site_name(s, lang)))
    for r in table.itertuples():
        console.print("  " + _("{time}  South [bold red]{south}%[/] ({slo}–{shi})  North {north}% ({nlo}–{nhi})  "
                               "sea {sea}%").format(
            time=r.launch_time_utc, south=f"{100 * r.south:5.1f}", slo=f"{100 * r.south_lower90:.0f}",
            shi=f"{100 * r.south_upper90:.0f}", north=f"{100 * r.north:5.1f}", nlo=f"{100 * r.north_lower90:.0f}",
            nhi=f"{100 * r.north_upper90:.0f}", sea=f"{100 * r.sea:5.1f}"))
    if out is not None:
        console.print(_("Wrote {path}").format(path=out))


@app.command()
def launch(
    spec: Annotated[Path, typer.Argument(help="Launch activity (YAML or JSON), e.g. examples/balloon/paju-january.yaml.")],
    wind: Annotated[Optional[str], typer.Option("--wind", help=WIND_HELP + " Default: the file's spec.wind.")] = None,
    out: Annotated[Optional[Path], typer.Option("--out", help="PNG landing map to write.")] = None,
    as_json: AsJson = False,
    draws: Annotated[int, typer.Option("--draws", help="Repetitions of the launch (ensemble size; shares are stable to ±1 point from 256).")] = 256,
    year: Year = None,
    seed: Seed = 0,
    lang: Lang = "en",
    resolution_km: Resolution = None,
) -> None:
    """Where one launch's leaflets land (South, North, sea) with intervals, and who finds one."""
    from corridor.channels.files import read_activity

    if not 10 <= draws <= 5000:
        raise CorridorError("must be between 10 and 5,000", field="--draws", value=draws)
    resolution_km = check_common(lang=lang, draws=draws, out=out, resolution_km=resolution_km)
    activity = read_activity(spec, channel="balloon")
    s = activity.spec
    wind_field = "--wind" if wind else "spec.wind"
    wind = wind or s.wind
    if not wind:
        raise CorridorError("no wind field: give --wind or spec.wind", source=str(spec), field="spec.wind")
    # the flight model (Numba kernels, xarray, pandas) loads only once the inputs are known good
    from corridor.channels.balloon.channel import evaluate, summarize
    from corridor.channels.balloon.landing import CLASSES
    from corridor.channels.balloon.samples import resolve_wind
    from corridor.geo.grid import load_grid

    _ = translator(lang)
    with status(_("Flying the launch"), quiet=as_json) as say:
        say(_("reading the wind field"))
        ds = resolve_wind(wind, field=wind_field)
        say(_("population grid"))
        grid = load_grid(resolution_km, year, progress=say)
        say(f"{draws} × {s.balloons}")
        res = evaluate(s, activity.start, ds, grid, activity_id=activity.id, draws=draws, seed=seed,
                       source=str(spec))
    cov = res.coverage
    reach = cov.summary(grid)
    leaf = {c: summarize(res.leaflet_shares[c]) for c in CLASSES}
    env = {c: summarize(res.envelope_shares[c]) for c in CLASSES}
    result = {"activity": activity.id, "start": activity.start.isoformat(), "wind": wind, "draws": draws,
              "forecast_members": int(ds.sizes["member"]),
              "legal_notice": LEGAL_NOTICE,
              "leaflets_launched": s.balloons * s.leaflets_per_balloon,
              "leaflet_share": leaf, "balloon_share": env,
              "people_finding_a_leaflet": reach, "year": grid.year, "resolution_km": grid.resolution_km,
              "extrapolated_steps": res.result.extrapolated_steps, "assumptions": cov.assumptions}
    if out is not None:
        _landing_map(out, lang, activity, res, reach, leaf, env, wind, int(ds.sizes["member"]), draws)
    if as_json:
        print_json(result)
        return
    _notice()
    _print_launch(lang, activity, draws, leaf, env, reach, cov.assumptions)
    if out is not None:
        console.print(_("Wrote {path}").format(path=out))


def _pct0(x: float, lang: str) -> str:
    """A share as a whole percentage (:func:`corridor.presentation.formatting.pct`)."""
    from corridor.presentation import formatting

    return formatting.pct(x, lang, digits=0)


def _people(n: float, lang: str) -> str:
    from corridor.presentation import formatting

    return formatting.people(n, lang)


def _pct(lang: str, x: dict) -> str:
    return gettext(lang, "{median} (90% interval {lo}–{hi})").format(
        median=_pct0(x["median"], lang), lo=_pct0(x["lower90"], lang), hi=_pct0(x["upper90"], lang))


def _landing_map(out, lang, activity, res, reach, leaf, env, wind, members, draws) -> None:
    from corridor.channels.balloon.notes import float_spread, launch_notes
    from corridor.channels.balloon.sites import site as find_site
    from corridor.presentation.balloon import landing_map

    _ = translator(lang)
    s, r = activity.spec, res.result
    lat, lon, _alt, name = s.position()
    place = _site_name(find_site(s.site), lang) if s.site else name
    landing_map(
        out, lang=lang, parcel_lon=r.parcel_lon, parcel_lat=r.parcel_lat, parcel_leaflets=r.parcel_leaflets,
        draws=draws, envelope_lon=r.envelope_lon.ravel(), envelope_lat=r.envelope_lat.ravel(),
        drops_lonlat=r.example_tracks(lon, lat), site=(lon, lat, place),
        title=_("Where the leaflets land: {title}").format(title=activity.title or activity.id),
        subtitle=(_("Expected leaflets per km², mean of {draws} repetitions of {balloons} balloons × {leaflets} "
                    "leaflets from {site}, launched {time} UTC;").format(
                      draws=draws, balloons=s.balloons, leaflets=_people(s.leaflets_per_balloon, lang), site=place,
                      time=f"{activity.start:%Y-%m-%d %H:%M}")
                  + "\n" + _("float {float} m ± {float_sd} m, timers {timers} h. Wind: {what}.").format(
                      float=f"{s.float_altitude_m:.0f}", float_sd=float_spread(),
                      timers=", ".join(f"{t:g}" for t in s.timers_h), what=_wind_label(wind, members, lang))),
        notes=[_("Leaflets landing in SOUTH KOREA: {south}.  North Korea: {north}.  Sea: {sea}.").format(
                   south=_pct(lang, leaf["south"]), north=_pct(lang, leaf["north"]), sea=_pct(lang, leaf["sea"])),
               _("Balloons coming down in South Korea: {balloons}.  People in North Korea who find a leaflet: "
                 "{median} (90% interval {lo}–{hi}).").format(
                   balloons=_pct(lang, env["south"]), median=_people(reach["reached_median"], lang),
                   lo=_people(reach["reached_lower90"], lang), hi=_people(reach["reached_upper90"], lang)),
               *launch_notes(lang)],
    )


def _print_launch(lang, activity, draws, leaf, env, reach, assumptions) -> None:
    from corridor.channels.balloon.landing import CLASS_LABELS, CLASSES
    from corridor.presentation import formatting

    _ = translator(lang)
    s = activity.spec
    name = s.position()[3]
    if s.site:
        from corridor.channels.balloon.sites import site as find_site

        name = _site_name(find_site(s.site), lang)
    console.print(_("[bold]{title}[/]: {balloons} balloons from {site}, {draws} repetitions (median and 90% "
                    "interval)").format(title=activity.title or activity.id, balloons=s.balloons, site=name,
                                        draws=draws))
    for c in CLASSES:
        x = leaf[c]
        if x["upper90"] == 0 and c in ("china", "other"):
            continue
        style = "bold red" if c == "south" else "bold"
        console.print("  " + _("leaflets in {where}").format(where=f"{_(CLASS_LABELS[c]):<12}")
                      + f" [{style}]{formatting.pct(x['median'], lang):>6}[/] "
                        f"({formatting.pct(x['lower90'], lang)}–{formatting.pct(x['upper90'], lang)})")
    x = env["south"]
    console.print("  " + _("balloons coming down in South Korea {median} ({lo}–{hi})").format(
        median=_pct0(x["median"], lang), lo=_pct0(x["lower90"], lang), hi=_pct0(x["upper90"], lang)))
    console.print("  " + _("people in North Korea who find a leaflet: [bold]{median}[/] (90% interval {lo}–{hi})").format(
        median=_people(reach["reached_median"], lang), lo=_people(reach["reached_lower90"], lang),
        hi=_people(reach["reached_upper90"], lang)))
    for key, text in assumptions.items():
        if key != "legal":
            console.print(f"  [dim]{key}: {text}[/]")
