"""``corridor border``: how far one shipment of smuggled media spreads, and when."""

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
    Seed,
    people,
    reached,
    run_channel,
    translator,
)
from corridor.errors import CorridorError

REACHES = ("new_content", "first_time", "one_shipment")
YEARS = (2000, 2026)

app = typer.Typer(help="Smuggled media (USB, SD, DVD) crossing the Chinese border and spreading.",
                  no_args_is_help=True)


@app.command()
def spread(
    shipment: Annotated[Path, typer.Argument(help="Shipment file (YAML or JSON), e.g. examples/border/hyesan-usb.yaml.")],
    days: Annotated[int | None, typer.Option("--days", help="Days after entry (default: the file's, else 90).")] = None,
    reach: Annotated[str | None, typer.Option("--reach", help="new_content (calibrated, default), first_time "
                     "(calibrated: people who see smuggled video for the first time) or one_shipment (uncalibrated).")] = None,
    out: Out = None,
    as_json: AsJson = False,
    draws: Draws = 500,
    seed: Seed = 0,
    lang: Lang = "en",
    resolution_km: Resolution = None,
) -> None:
    """People who have seen the content by the last day (cumulative), with a 90 % interval."""
    from corridor.channels.border.channel import MAX_DAYS, check_date
    from corridor.cli.console import with_spec

    def check() -> None:
        if days is not None and not 1 <= days <= MAX_DAYS:
            raise CorridorError(f"must be between 1 and {MAX_DAYS}", field="--days", value=days)
        if reach is not None and reach not in REACHES:
            raise CorridorError("unknown reach", field="--reach", value=reach, hint=", ".join(REACHES))

    def prepare(activity):
        if days is not None:
            activity = with_spec(activity, str(shipment), days=days)
        if reach is not None:
            activity = with_spec(activity, str(shipment), reach=reach)
        check_date(activity, source=str(shipment))
        return activity

    run_channel(channel="border", path=shipment, out=out, as_json=as_json, draws=draws, lang=lang,
                resolution_km=resolution_km, year_of=lambda a: a.start.year, seed=seed,
                working="Simulating the spread", check=check, prepare=prepare, fields=_fields,
                draw_map=_draw_map, headline=_headline, details=_details)


def _fields(run) -> dict:
    spec, ex = run.spec, run.coverage.extras
    return {"crossing": spec.crossing, "entry_county": ex["entry_county"], "days": spec.days,
            "reach": ex["reach"], "new_content": ex["new_content"], "first_time": ex["first_time"],
            "background_year": ex["background_year"],
            "copies": {"shipped": ex["shipped"], "intercepted_median": ex["intercepted_median"],
                       "copied_median": ex["copied_median"], "removed_median": ex["removed_median"],
                       "held_median": ex["held_median"]},
            "reached_by_day_median": [round(float(v)) for v in ex["reached_by_day"]["median"]]}


def _headline(run) -> str:
    _ = run._
    return (f"[bold]{run.activity.title or run.activity.id}[/]: "
            + reached(run, (_("people who see smuggled video for the first time by day {days}")
                            if run.coverage.extras["reach"] == "first_time"
                            else _("people who have seen it by day {days}")).format(days=run.spec.days)) + ", "
            + _("population {year}: {people}").format(year=run.grid.year, people=people(run.result["population"], run.lang)))


def _details(run):
    _, ex, days = run._, run.coverage.extras, run.spec.days
    yield "  " + _(REACH_TEXT[ex["reach"]])
    if ex["first_time"] is not None:
        new, first = ex["new_content"], ex["first_time"]
        yield "  " + _("new content: {new} ({new_lo}–{new_hi}); first time seeing smuggled video: {first} "
                       "({first_lo}–{first_hi}); background of {year}").format(
            new=people(new["median"], run.lang), new_lo=people(new["lower90"], run.lang),
            new_hi=people(new["upper90"], run.lang), first=people(first["median"], run.lang),
            first_lo=people(first["lower90"], run.lang), first_hi=people(first["upper90"], run.lang),
            year=ex["background_year"])
    curve = ex["reached_by_day"]
    marks = sorted({d for d in (7, 30, 60, 90, 180, 365) if d < days} | {days})
    label = _("first time, by day: {days}") if ex["reach"] == "first_time" else _("by day: {days}")
    yield "  " + label.format(days=", ".join(
        f"{d}: {people(curve['median'][d], run.lang)} ({people(curve['lower90'][d], run.lang)}–{people(curve['upper90'][d], run.lang)})"
        for d in marks))
    yield "  " + _("copies: {shipped} shipped, {seized} seized at the crossing, {copied} copied, {removed} removed, "
                   "{held} in circulation (medians)").format(
        shipped=people(ex["shipped"], run.lang), seized=people(ex["intercepted_median"], run.lang), copied=people(ex["copied_median"], run.lang),
        removed=people(ex["removed_median"], run.lang), held=people(ex["held_median"], run.lang))


REACH_TEXT = {
    "new_content": "Reach: calibrated marginal reach, people who see this shipment's content.",
    "first_time": "Reach: calibrated marginal reach, people who see smuggled video for the first time.",
    "one_shipment": "Reach: one shipment, uncalibrated (every parameter over its table range).",
}


def _draw_map(run) -> None:
    from corridor.channels.border import crossings
    from corridor.channels.border.parameters import source_shares
    from corridor.presentation import formatting
    from corridor.presentation.border import spread_map

    _, spec, r = run._, run.spec, run.result
    town = crossings.find_crossing(spec.crossing)["kp_town"]
    shares = source_shares()
    first_time = run.coverage.extras["reach"] == "first_time"
    spread_map(
        run.grid, run.coverage, run.out, lang=run.lang, site_label=_("{town} crossing").format(town=town),
        title=_("Smuggled media: who has seen it"),
        subtitle=(_("First-time viewers by day {days}: {devices} {medium} copies via {town}; median of {draws} draws, "
                    "county averages") if first_time else
                  _("Share who have seen it by day {days}: {devices} {medium} copies via {town}; median of {draws} draws, county averages")).format(
            days=spec.days, devices=people(spec.devices, run.lang), medium=spec.medium.upper(), town=town, draws=run.draws),
        notes=[(_("People who see smuggled video for the first time by day {days}: {median} (90% interval {lower}–{upper}).")
                if first_time else _("People who have seen it by day {days}: {median} (90% interval {lower}–{upper}).")).format(
                   days=spec.days, median=people(r["reached_median"], run.lang), lower=people(r["reached_lower90"], run.lang),
                   upper=people(r["reached_upper90"], run.lang)),
               _("Model: counties in daily steps; copying, lending (family {family}, friends {friends}, market "
                 "{market}; UMG 2022), crackdowns.").format(family=formatting.pct(shares["family"], run.lang, digits=0),
                                                           friends=formatting.pct(shares["friends"], run.lang, digits=0),
                                                           market=formatting.pct(shares["market"], run.lang, digits=0)),
               _("Copies travel along main railway lines (blue) and between market towns; parameter ranges in docs/border-model.md.")],
        curve_title=_("First-time viewers by day") if first_time else _("People reached by day"),
        share_label=_("Share of first-time viewers (median)") if first_time else None,
        days_label=_("days after entry"), band_label=_("90% interval"))


Posterior = Annotated[Path | None, typer.Option(
    "--posterior", help="Posterior file from 'corridor border calibrate --out' (default: the shipped one).")]


@app.command()
def landscape(
    year: Annotated[int | None, typer.Option("--year", help="One year only, 2000–2026 (default: every year).")] = None,
    as_json: AsJson = False,
    out: Annotated[Path | None, typer.Option("--out", help="PNG chart to write: the model by year, the fit "
                                                "to each published figure, posteriors beside priors.")] = None,
    lang: Lang = "en",
    posterior: Posterior = None,
    marginal: Annotated[bool, typer.Option("--marginal", help="Also what one more shipment adds in --year "
                                           "(default 2026): per crossing and size (100, 1,000, 10,000 USB sticks), 90 days.")] = False,
    draws: Draws = 200,
    seed: Seed = 0,
    resolution_km: Resolution = None,
) -> None:
    """Share of adults who have ever seen foreign video, by year (median and 90 % interval), from
    the national model calibrated to surveys, beside each published figure."""
    from corridor.channels.border import calibration
    from corridor.cli.console import check_run_options, console, print_json, status

    check_run_options(lang=lang, draws=draws, out=out)
    if year is not None and not YEARS[0] <= year <= YEARS[1]:
        raise CorridorError(f"the national model covers {YEARS[0]}–{YEARS[1]}", field="--year", value=year)
    post = calibration.read_posterior(posterior) if posterior is not None else calibration.shipped_posterior()
    data = calibration.landscape(post, year=year)
    if marginal:
        from corridor.channels.border.channel import marginal_reach
        from corridor.settings import grid_resolution_km

        resolution = grid_resolution_km(resolution_km)
        with status(translator(lang)("Simulating shipments"), quiet=as_json):
            from corridor.geo.grid import load_grid

            grid = load_grid(resolution, year or YEARS[1])
            data["marginal"] = marginal_reach(grid, year=year or YEARS[1], draws=draws, seed=seed)
    if out is not None:
        from corridor.presentation.border import exposure_chart

        full = data if year is None else {**calibration.landscape(post), "published": data["published"]}
        exposure_chart(full, out, lang=lang)
    if as_json:
        print_json(data)
        return
    _print_landscape(data, lang)
    if out is not None:
        console.print(translator(lang)("Wrote {path}").format(path=out))


def _print_landscape(data: dict, lang: str) -> None:
    from corridor.cli.console import console
    from corridor.geo.names import PROVINCES_KO
    from corridor.presentation.formatting import pct

    _ = translator(lang)
    p = lambda v: pct(v, lang, digits=0)
    if data["years"]:
        console.print("[bold]" + _("Share of adults who have ever seen smuggled foreign video (national model, median and 90% interval)") + "[/]")
    for y, v in data["years"].items():
        console.print(f"  {y}: {p(v['exposed_median'])} ({p(v['exposed_lower90'])}–{p(v['exposed_upper90'])})")
    if len(data["years"]) == 1:
        v = next(iter(data["years"].values()))
        console.print("  " + _("by province:"))
        for name, s in v["provinces"].items():
            label = PROVINCES_KO.get(name, name) if lang == "ko" else name
            console.print(f"    {label}: {p(s['exposed_median'])} ({p(s['exposed_lower90'])}–{p(s['exposed_upper90'])})")
    console.print("[bold]" + _("Published figures beside the model (the survey's share predicted for its provinces, "
                                "years, selection and question; 90% predictive interval)") + "[/]")
    for r in data["published"]:
        mark = _("inside") if r["inside90"] else _("OUTSIDE")
        span = f"{r['years'][0]}–{r['years'][1]}" if r["years"][0] != r["years"][1] else f"{r['years'][0]}"
        console.print(f"  {r['study']} ({span}): {p(r['figure'])} · "
                      + _("model {median} ({lower}–{upper}), {mark}").format(
                          median=p(r["model_median"]), lower=p(r["predictive_lower90"]),
                          upper=p(r["predictive_upper90"]), mark=mark))
    console.print("[bold]" + _("Parameters: posterior median (90%) beside the prior's 90%") + "[/]")
    for name, s in data["parameters"].items():
        console.print(f"  {name}: {s['median']:.3g} ({s['lower90']:.3g}–{s['upper90']:.3g}) · "
                      + _("prior") + f" {s['prior_lower90']:.3g}–{s['prior_upper90']:.3g}")
    if data.get("marginal"):
        from corridor.presentation.formatting import people

        console.print("[bold]" + _("What one more shipment adds by day {days} ({year}): people who see its content; "
                                    "of them, first time seeing smuggled video").format(
            days=data["marginal"][0]["days"], year=data["marginal"][0]["year"]) + "[/]")
        for r in data["marginal"]:
            n, f = r["new_content"], r["first_time"]
            console.print(f"  {r['crossing']}, {people(r['devices'], lang)} {r['medium'].upper()}: "
                          f"{people(n['median'], lang)} ({people(n['lower90'], lang)}–{people(n['upper90'], lang)}); "
                          f"{people(f['median'], lang)} ({people(f['lower90'], lang)}–{people(f['upper90'], lang)})")


@app.command()
def calibrate(
    draws: Annotated[int, typer.Option("--draws", help="Particles per chain of the sequential Monte Carlo (50–10,000).")] = 1000,
    out: Annotated[Path, typer.Option("--out", help="Posterior file to write (.npz); use it with 'landscape --posterior'.")] = Path("national_posterior.npz"),
    targets: Annotated[Path | None, typer.Option("--targets", help="CSV of published figures (default: the shipped table).")] = None,
    priors: Annotated[Path | None, typer.Option("--priors", help="CSV of priors (default: the shipped table).")] = None,
    seed: Seed = 20,
    as_json: AsJson = False,
    lang: Lang = "en",
    resolution_km: Resolution = None,
) -> None:
    """Rerun the inference: the national model fitted to the published figures (PyMC sequential
    Monte Carlo, two chains), written to --out, with each parameter's posterior beside its prior."""
    from corridor.atomic import check_writable
    from corridor.channels.border import calibration
    from corridor.cli.console import check_run_options, console, print_json, status
    from corridor.settings import grid_resolution_km

    check_run_options(lang=lang, draws=1)
    if not 50 <= draws <= 10_000:
        raise CorridorError("must be between 50 and 10,000", field="--draws", value=draws)
    if out.suffix != ".npz":
        raise CorridorError("the posterior is written as .npz", field="--out", value=str(out))
    check_writable(out)
    table = calibration.read_targets(targets)
    prior = calibration.read_priors(priors)
    resolution = grid_resolution_km(resolution_km)
    with status(translator(lang)("Calibrating the national model"), quiet=as_json) as say:
        from corridor.geo.grid import load_grid

        grid = load_grid(resolution, 2008, progress=say)
        inputs = calibration.national_inputs(grid)
        post = calibration.calibrate(inputs, targets=table, priors=prior, draws=draws, seed=seed)
        calibration.save_posterior(post, out)
    data = {"posterior": str(out), "seconds": post.meta["seconds"], "draws": post.draws,
            "parameters": calibration.parameter_summary(post, prior),
            "published": calibration.published_fit(post, table)}
    if as_json:
        print_json(data)
        return
    _ = translator(lang)
    console.print(_("Calibrated in {seconds} s; {draws} posterior draws written to {path}").format(
        seconds=post.meta["seconds"], draws=post.draws, path=out))
    _print_landscape({"years": {}, "published": data["published"], "parameters": data["parameters"]}, lang)
