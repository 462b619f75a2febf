"""``corridor balloon``: trajectories, launch windows and landing maps of leaflet balloons."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from corridor.atomic import check_writable
from corridor.channels.balloon.legal import LEGAL_NOTICE
from corridor.channels.balloon.sites import keys as site_keys
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
    from corridor.channels.balloon.interpolation import WindArrays
    from corridor.channels.balloon.profiles import predict as run
    from corridor.channels.balloon.reference import read_flight, write_track
    from corridor.channels.balloon.samples import resolve_wind

    check_writable(out)
    inputs = read_flight(flight)
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
    lang: Annotated[str, typer.Option("--lang", help="Chart language: en or ko.")] = "en",
) -> None:
    """Scan every launch hour of a forecast: where would the leaflets land (South shown first)?"""
    from corridor.channels.balloon.channel import check_plan
    from corridor.channels.balloon.ensemble import LaunchPlan
    from corridor.channels.balloon.interpolation import WindArrays
    from corridor.channels.balloon.samples import resolve_wind
    from corridor.channels.balloon.sites import site as find_site
    from corridor.channels.balloon.windows import candidate_hours, scan

    check_language(lang)
    if out is not None:
        check_writable(out)
    if not 5 <= balloons <= 2000:
        raise CorridorError("must be between 5 and 2,000", field="--balloons", value=balloons)
    hours_h = _hours(timers, "--timers")
    s = find_site(site, field="--site")
    with status("Scanning launch hours", quiet=as_json) as say:
        say("reading the wind field")
        arrays = WindArrays.from_dataset(resolve_wind(wind))
        hours = candidate_hours(arrays, max(hours_h))
        check_plan(LaunchPlan(float(s.lat_deg), float(s.lon_deg), float(hours[0]), 1, 1.0, float_altitude,
                              hours_h, float(s.altitude_m)), arrays, source=wind)
        say(f"{len(hours)} launch hours")
        table = scan(arrays, float(s.lat_deg), float(s.lon_deg), float_altitude_m=float_altitude,
                     timers_h=hours_h, launch_altitude_m=float(s.altitude_m), balloons=balloons, seed=seed,
                     hours=hours)
    safest = table.sort_values(["south", "north"], ascending=[True, False]).iloc[0]
    if out is not None:
        from corridor.channels.balloon.charts import windows_chart

        _ = lambda m: gettext(lang, m)  # noqa: E731
        single = arrays.times.size == 1
        subtitle = (_("Share of leaflets landing in South Korea, North Korea and the sea for each launch hour; "
                      "{balloons} balloons per hour, float {float} m ± 400 m, timers {timers} h.").format(
                        balloons=balloons, float=f"{float_altitude:.0f}", timers=timers)
                    + "\n" + _("Wind: {what}.").format(what=_wind_label(wind, arrays.members, lang)))
        if single:
            subtitle += "\n" + _("One forecast step, held constant in time: hour-to-hour differences are "
                                 "sampling noise.")
        windows_chart(
            out, table, lang=lang,
            title=_("Balloon launch windows from {site}").format(site=_site_name(s, lang)),
            subtitle=subtitle,
            notes=[_("Lowest share in the South: {south}% (90% interval {lo}–{hi}%) for a launch at {time}; "
                     "North {north}% ({nlo}–{nhi}%).").format(
                       south=f"{100 * safest.south:.0f}", lo=f"{100 * safest.south_lower90:.0f}",
                       hi=f"{100 * safest.south_upper90:.0f}", time=safest.launch_time_utc,
                       north=f"{100 * safest.north:.0f}", nlo=f"{100 * safest.north_lower90:.0f}",
                       nhi=f"{100 * safest.north_upper90:.0f}"),
                   _("Assumptions: climb 1.5–3 m/s, leak up to 0.15 m/s, timers ±5 min with 10% failures, leaflets "
                     "0.9 m/s (lognormal) with glide, landing on a coarse elevation field; intervals by resampling "
                     "balloons.")])
    result = {"site": site, "wind": wind, "float_altitude_m": float_altitude, "timers_h": list(hours_h),
              "balloons_per_hour": balloons, "legal_notice": LEGAL_NOTICE,
              "hours": table.drop(columns=["launch_time_unix_s"]).round(4).to_dict(orient="records")}
    if as_json:
        print_json(result)
        return
    _notice()
    console.print(f"[bold]{len(table)} launch hours from {s['name']}[/] "
                  "(share of leaflets: South first, with 90% intervals)")
    for r in table.itertuples():
        console.print(f"  {r.launch_time_utc}  South [bold red]{100 * r.south:5.1f}%[/] "
                      f"({100 * r.south_lower90:.0f}–{100 * r.south_upper90:.0f})  "
                      f"North {100 * r.north:5.1f}% ({100 * r.north_lower90:.0f}–{100 * r.north_upper90:.0f})  "
                      f"sea {100 * r.sea:5.1f}%")
    if out is not None:
        console.print(f"Wrote {out}")


@app.command()
def launch(
    spec: Annotated[Path, typer.Argument(help="Launch activity (YAML or JSON), e.g. examples/balloon/paju-january.yaml.")],
    wind: Annotated[Optional[str], typer.Option("--wind", help=WIND_HELP + " Default: the file's spec.wind.")] = None,
    out: Annotated[Optional[Path], typer.Option("--out", help="PNG landing map to write.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
    draws: Annotated[int, typer.Option("--draws", help="Repetitions of the launch (ensemble size; shares are stable to ±1 point from 256).")] = 256,
    year: Annotated[Optional[int], typer.Option("--year", help="Population year (default: this year).")] = None,
    seed: Annotated[int, typer.Option("--seed", help="Random seed.")] = 0,
    lang: Annotated[str, typer.Option("--lang", help="Map language: en or ko.")] = "en",
) -> None:
    """Where one launch's leaflets land (South, North, sea) with intervals, and who finds one."""
    import numpy as np

    from corridor.channels.balloon.channel import evaluate, summarize
    from corridor.channels.balloon.landing import CLASS_LABELS, CLASSES
    from corridor.channels.balloon.samples import resolve_wind
    from corridor.channels.balloon.sites import site as find_site
    from corridor.channels.files import read_activity
    from corridor.geo.grid import load_grid

    if not 10 <= draws <= 5000:
        raise CorridorError("must be between 10 and 5,000", field="--draws", value=draws)
    check_language(lang)
    if out is not None:
        check_writable(out)
    activity = read_activity(spec, channel="balloon")
    s = activity.spec
    wind_field = "--wind" if wind else "spec.wind"
    wind = wind or s.wind
    if not wind:
        raise CorridorError("no wind field: give --wind or spec.wind", source=str(spec), field="spec.wind")
    with status("Flying the launch", quiet=as_json) as say:
        say("reading the wind field")
        ds = resolve_wind(wind, field=wind_field)
        say("population grid")
        grid = load_grid(5.0, year, progress=say)
        say(f"{draws} draws × {s.balloons} balloons")
        res = evaluate(s, activity.start, ds, grid, activity_id=activity.id, draws=draws, seed=seed,
                       source=str(spec))
    cov = res.coverage
    reach = cov.summary(grid)
    leaf = {c: summarize(res.leaflet_shares[c]) for c in CLASSES}
    env = {c: summarize(res.envelope_shares[c]) for c in CLASSES}
    leaflets_total = s.balloons * s.leaflets_per_balloon
    result = {"activity": activity.id, "start": activity.start.isoformat(), "wind": wind, "draws": draws,
              "forecast_members": int(ds.sizes["member"]),
              "legal_notice": LEGAL_NOTICE,
              "leaflets_launched": leaflets_total,
              "leaflet_share": leaf, "balloon_share": env,
              "people_finding_a_leaflet": reach, "year": grid.year,
              "extrapolated_steps": res.result.extrapolated_steps, "assumptions": cov.assumptions}
    lat, lon, _, name = s.position()
    if out is not None:
        from corridor.channels.balloon.charts import landing_map

        r = res.result
        tracks = []
        for b in range(min(r.balloons, 12)):
            d = r.drops[0, b]
            pts = [(lon, lat)] + [(x[2], x[1]) for x in d if np.isfinite(x[1])]
            pts.append((r.envelope_lon[0, b], r.envelope_lat[0, b]))
            tracks.append(np.array(pts))
        _ = lambda m: gettext(lang, m)  # noqa: E731
        pct = lambda x: _("{median}% (90% interval {lo}–{hi}%)").format(  # noqa: E731
            median=f"{100 * x['median']:.0f}", lo=f"{100 * x['lower90']:.0f}", hi=f"{100 * x['upper90']:.0f}")
        place = _site_name(find_site(s.site), lang) if s.site else name
        landing_map(
            out, lang=lang, parcel_lon=r.parcel_lon, parcel_lat=r.parcel_lat, parcel_leaflets=r.parcel_leaflets,
            draws=draws, envelope_lon=r.envelope_lon.ravel(), envelope_lat=r.envelope_lat.ravel(),
            drops_lonlat=tracks, site=(lon, lat, place),
            title=_("Where the leaflets land: {title}").format(title=activity.title or activity.id),
            subtitle=(_("Expected leaflets per km², mean of {draws} repetitions of {balloons} balloons × {leaflets} "
                        "leaflets from {site}, launched {time} UTC;").format(
                          draws=draws, balloons=s.balloons, leaflets=f"{s.leaflets_per_balloon:,}", site=place,
                          time=f"{activity.start:%Y-%m-%d %H:%M}")
                      + "\n" + _("float {float} m ± 400 m, timers {timers} h. Wind: {what}.").format(
                          float=f"{s.float_altitude_m:.0f}", timers=", ".join(f"{t:g}" for t in s.timers_h),
                          what=_wind_label(wind, int(ds.sizes["member"]), lang))),
            notes=[_("Leaflets landing in SOUTH KOREA: {south}.  North Korea: {north}.  Sea: {sea}.").format(
                       south=pct(leaf["south"]), north=pct(leaf["north"]), sea=pct(leaf["sea"])),
                   _("Balloons coming down in South Korea: {balloons}.  People in North Korea who find a leaflet: "
                     "{median} (90% interval {lo}–{hi}).").format(
                       balloons=pct(env["south"]), median=f"{reach['reached_median']:,.0f}",
                       lo=f"{reach['reached_lower90']:,.0f}", hi=f"{reach['reached_upper90']:,.0f}"),
                   _("Assumptions: Tawhiri-style trajectories; climb 1.5–3 m/s, leak ≤ 0.15 m/s, timers ±5 min, "
                     "10% timer failures; leaflets 0.9 m/s (lognormal) with glide;"),
                   _("5% bundles unopened; wind bias 2 m/s per draw for a single forecast; landing on a coarse "
                     "elevation field; 20–60% of landed leaflets found by someone.")],
        )
    if as_json:
        print_json(result)
        return
    _notice()
    console.print(f"[bold]{activity.title or activity.id}[/]: {s.balloons} balloons from {name}, "
                  f"{draws} repetitions (median and 90% interval)")
    for c in CLASSES:
        x = leaf[c]
        if x["upper90"] == 0 and c in ("china", "other"):
            continue
        style = "bold red" if c == "south" else "bold"
        console.print(f"  leaflets in {CLASS_LABELS[c]:<12} [{style}]{100 * x['median']:5.1f}%[/] "
                      f"({100 * x['lower90']:.1f}–{100 * x['upper90']:.1f}%)")
    x = env["south"]
    console.print(f"  balloons coming down in South Korea {100 * x['median']:.0f}% "
                  f"({100 * x['lower90']:.0f}–{100 * x['upper90']:.0f}%)")
    console.print(f"  people in North Korea who find a leaflet: [bold]{reach['reached_median']:,.0f}[/] "
                  f"(90% interval {reach['reached_lower90']:,.0f}–{reach['reached_upper90']:,.0f})")
    for key, text in cov.assumptions.items():
        if key != "legal":
            console.print(f"  [dim]{key}: {text}[/]")
    if out is not None:
        console.print(f"Wrote {out}")
