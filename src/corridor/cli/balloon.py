"""``corridor balloon``: trajectories, launch windows and landing maps of leaflet balloons."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from corridor.atomic import check_writable
from corridor.channels.balloon.legal import LEGAL_NOTICE
from corridor.cli.console import console, print_json, status
from corridor.errors import CorridorError

app = typer.Typer(help="Leaflet balloons: where they fly, where leaflets land, when to (not) launch. "
                       + LEGAL_NOTICE, no_args_is_help=True)

WIND_HELP = ("Wind field: a GRIB2 or NetCDF file (several: comma-separated), or a shipped sample "
             "(gfs-2011-01-15: real GFS forecast; rotating-2011-10-11: constructed test field).")


def _notice() -> None:
    console.print(f"[bold red]{LEGAL_NOTICE}[/]")


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
    site: Annotated[str, typer.Option("--site", help="Launch site key (paju, gimpo, ganghwa, pocheon, cheorwon, yeoncheon).")],
    wind: Annotated[str, typer.Option("--wind", help=WIND_HELP)],
    out: Annotated[Optional[Path], typer.Option("--out", help="PNG chart to write.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
    float_altitude: Annotated[float, typer.Option("--float-altitude", help="Nominal float altitude, m.")] = 4000.0,
    timers: Annotated[str, typer.Option("--timers", help="Release times, hours after launch, e.g. 2,3,4.")] = "2,3,4",
    balloons: Annotated[int, typer.Option("--balloons", help="Balloons flown per launch hour.")] = 40,
    seed: Annotated[int, typer.Option("--seed", help="Random seed.")] = 0,
) -> None:
    """Scan every launch hour of a forecast: where would the leaflets land (South shown first)?"""
    from corridor.channels.balloon.channel import check_plan
    from corridor.channels.balloon.ensemble import LaunchPlan
    from corridor.channels.balloon.interpolation import WindArrays
    from corridor.channels.balloon.samples import SAMPLES, resolve_wind
    from corridor.channels.balloon.sites import site as find_site
    from corridor.channels.balloon.windows import candidate_hours, scan

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

        what = SAMPLES[wind][1] if wind in SAMPLES else Path(wind.split(",")[0]).name
        single = arrays.times.size == 1
        windows_chart(
            out, table, title=f"Balloon launch windows from {s['name']}",
            subtitle=(f"Share of leaflets landing in South Korea, North Korea and the sea for each launch hour; "
                      f"{balloons} balloons per hour, float {float_altitude:.0f} m ± 400 m, timers {timers} h.\n"
                      f"Wind: {what}." + ("\nOne forecast step, held constant in time: hour-to-hour differences are sampling noise."
                                     if single else "")),
            notes=[f"Lowest share in the South: {100 * safest.south:.0f}% (90% interval "
                   f"{100 * safest.south_lower90:.0f}–{100 * safest.south_upper90:.0f}%) for a launch at "
                   f"{safest.launch_time_utc}; North {100 * safest.north:.0f}% "
                   f"({100 * safest.north_lower90:.0f}–{100 * safest.north_upper90:.0f}%).",
                   "Assumptions: climb 1.5–3 m/s, leak up to 0.15 m/s, timers ±5 min with 10% failures, leaflets "
                   "0.9 m/s (lognormal) with glide, flat ground; intervals by resampling balloons."])
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
    spec: Annotated[Path, typer.Argument(help="Launch activity (YAML or JSON), e.g. examples/balloon/paju-launch.yaml.")],
    wind: Annotated[Optional[str], typer.Option("--wind", help=WIND_HELP + " Default: the file's spec.wind.")] = None,
    out: Annotated[Optional[Path], typer.Option("--out", help="PNG landing map to write.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
    draws: Annotated[int, typer.Option("--draws", help="Repetitions of the launch (ensemble size; shares are stable to ±1 point from 256).")] = 256,
    year: Annotated[Optional[int], typer.Option("--year", help="Population year (default: this year).")] = None,
    seed: Annotated[int, typer.Option("--seed", help="Random seed.")] = 0,
) -> None:
    """Where one launch's leaflets land (South, North, sea) with intervals, and who finds one."""
    import numpy as np

    from corridor.channels.balloon.channel import evaluate, summarize
    from corridor.channels.balloon.landing import CLASS_LABELS, CLASSES
    from corridor.channels.balloon.samples import SAMPLES, resolve_wind
    from corridor.channels.files import read_activity
    from corridor.geo.grid import load_grid

    if not 10 <= draws <= 5000:
        raise CorridorError("must be between 10 and 5,000", field="--draws", value=draws)
    if out is not None:
        check_writable(out)
    activity = read_activity(spec, channel="balloon")
    s = activity.spec
    wind = wind or s.wind
    if not wind:
        raise CorridorError("no wind field: give --wind or spec.wind", source=str(spec), field="spec.wind")
    with status("Flying the launch", quiet=as_json) as say:
        say("reading the wind field")
        ds = resolve_wind(wind)
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
        pct = lambda x: f"{100 * x['median']:.0f}% (90% interval {100 * x['lower90']:.0f}–{100 * x['upper90']:.0f}%)"  # noqa: E731
        what = SAMPLES[wind][1] if wind in SAMPLES else Path(wind.split(",")[0]).name
        landing_map(
            out, parcel_lon=r.parcel_lon, parcel_lat=r.parcel_lat, parcel_leaflets=r.parcel_leaflets,
            draws=draws, envelope_lon=r.envelope_lon.ravel(), envelope_lat=r.envelope_lat.ravel(),
            drops_lonlat=tracks, site=(lon, lat, name),
            title=f"Where the leaflets land: {activity.title or activity.id}",
            subtitle=(f"Expected leaflets per km², mean of {draws} repetitions of {s.balloons} balloons × "
                      f"{s.leaflets_per_balloon:,} leaflets from {name}, launched {activity.start:%Y-%m-%d %H:%M} UTC;\n"
                      f"float {s.float_altitude_m:.0f} m ± 400 m, timers {', '.join(f'{t:g}' for t in s.timers_h)} h. "
                      f"Wind: {what}."),
            notes=[f"Leaflets landing in SOUTH KOREA: {pct(leaf['south'])}.  North Korea: {pct(leaf['north'])}.  "
                   f"Sea: {pct(leaf['sea'])}.",
                   f"Balloons coming down in South Korea: {pct(env['south'])}.  People in North Korea who find a "
                   f"leaflet: {reach['reached_median']:,.0f} (90% interval {reach['reached_lower90']:,.0f}–"
                   f"{reach['reached_upper90']:,.0f}).",
                   "Assumptions: Tawhiri-style trajectories; climb 1.5–3 m/s, leak ≤ 0.15 m/s, timers ±5 min, 10% timer "
                   "failures; leaflets 0.9 m/s (lognormal) with glide;",
                   "5% bundles unopened; wind bias 2 m/s per draw for a single forecast; flat ground; 20–60% of "
                   "landed leaflets found by someone."],
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
