"""``corridor assess`` and ``corridor report``: which method is most effective, with intervals."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from corridor.cli.console import console, err_console, print_json, status
from corridor.errors import CorridorError

Db = Annotated[str | None, typer.Option("--db", help="Database URL (default: $CORRIDOR_DATABASE_URL or the local SQLite file; the demo coalition when that ledger is empty).")]
EvidenceOpt = Annotated[Path | None, typer.Option("--evidence", help="Evidence JSON (from `corridor evidence estimate --json`, or an assessment evidence file).")]
Draws = Annotated[int, typer.Option("--draws", help="Monte Carlo draws per activity.")]
Scheduler = Annotated[str | None, typer.Option("--scheduler", help="Dask scheduler address tcp://HOST:PORT (default: this machine).")]
AssumptionsOpt = Annotated[Path | None, typer.Option("--assumptions", help="YAML of assessment assumptions (overlap per channel, evidence mapping).")]


def load_evidence(path: Path | None, *, demo: bool):
    """Evidence for the assessment: the file given, or the demo's when assessing the demo."""
    from corridor.assess.engine import Evidence

    if path is None:
        if not demo:
            return None
        from corridor.demo import demo_evidence_path

        path = demo_evidence_path()
        if not path.exists():
            return None
    return Evidence.read(path)


def ledger_items(db: str | None, *, scope: str = "all"):
    """The ledger's activities; an empty default ledger falls back to the demo coalition."""
    import os

    from corridor.assess.items import items_from_ledger
    from corridor.store import make_engine, upgrade
    from corridor.store.engine import ENV_URL, session_scope

    def read(url):
        try:
            upgrade(url)
        except Exception as exc:  # noqa: BLE001  (a bad URL or an unreachable server)
            raise CorridorError(f"cannot open the database ({type(exc).__name__})", field="--db", value=url) from None
        engine = make_engine(url)
        try:
            with session_scope(engine) as s:
                return items_from_ledger(s, scope=scope)
        finally:
            engine.dispose()

    items = read(db)
    if items or db is not None or os.environ.get(ENV_URL):
        return items, False
    from corridor.demo import demo_database_path, demo_database_url

    if demo_database_path().exists():
        err_console.print("Your ledger has no activities: assessing the demo coalition (corridor demo).")
        return read(demo_database_url()), True
    return items, False


def check_options(draws: int, scheduler: str | None, budget: float | None = None) -> None:
    """The checks made before any work, so that a mistake costs nothing."""
    import math

    if not 20 <= draws <= 2000:
        raise CorridorError("must be between 20 and 2,000", field="--draws", value=draws)
    if scheduler is not None and scheduler not in ("sync",) and not scheduler.startswith("tcp://"):
        raise CorridorError("unknown scheduler", field="--scheduler", value=scheduler,
                            hint="leave it out to use this machine, or give tcp://HOST:PORT")
    if budget is not None and (not math.isfinite(budget) or budget <= 0):
        raise CorridorError("must be a positive amount of USD", field="--budget", value=budget)


def run_assessment(db, evidence, draws, scheduler, assumptions, *, scope="all", quiet=False):
    from corridor.assess import assess, load_assumptions
    from corridor.geo.grid import load_grid

    check_options(draws, scheduler)
    extra = load_assumptions(assumptions) if assumptions else None
    items, demo = ledger_items(db, scope=scope)
    if not items:
        raise CorridorError("the ledger has no activities to assess", field="--db", value=db or "(default)",
                            hint="add campaigns, or run `corridor demo --no-serve` for the demo coalition")
    ev = load_evidence(evidence, demo=demo)
    with status("Assessing", quiet=quiet) as say:
        grid = load_grid(5.0, progress=say)
        a = assess(items, grid, evidence=ev, assumptions=extra, draws=draws, scheduler=scheduler,
                   progress=lambda done, total: say(f"coverage {done}/{total}") if total else None)
    return a, demo


def assess_command(
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
    db: Db = None,
    evidence: EvidenceOpt = None,
    draws: Draws = 200,
    scheduler: Scheduler = None,
    assumptions: AssumptionsOpt = None,
    budget: Annotated[float | None, typer.Option("--budget", help="Suggest how to spend this many more USD.")] = None,
    full: Annotated[bool, typer.Option("--full", help="With --json: every figure (activities, campaigns, provinces, hours).")] = False,
    published: Annotated[bool, typer.Option("--published", help="Count only campaigns shared with the coalition or published as aggregates (what `corridor report` counts by default).")] = False,
) -> None:
    """People reached per channel and for the whole coalition (each person once), cost per person,
    with 90 % intervals; optionally where the next budget should go."""
    check_options(draws, scheduler, budget)
    a, demo = run_assessment(db, evidence, draws, scheduler, assumptions, quiet=as_json,
                             scope="published" if published else "all")
    result = a.as_dict()
    plan = None
    if budget is not None:
        from corridor.assess.allocate import suggest

        plan = suggest(a, budget)
    if as_json:
        if full:
            out = dict(result)
        else:
            out = {"channels": {ch: {k: v[k] for k in ("reached_median", "reached_lower90", "reached_upper90",
                                                     "cost_per_person_usd", "cost_per_person_lower90",
                                                     "cost_per_person_upper90", "cost_usd", "activities")}
                                for ch, v in result["channels"].items()},
                   "coalition": {k: result["coalition"][k] for k in (
                       "reached_median", "reached_lower90", "reached_upper90", "cost_usd",
                       "cost_per_person_usd", "cost_per_person_lower90", "cost_per_person_upper90")},
                   "year": result["year"], "draws": result["draws"], "assumptions": result["assumptions"]}
        if demo:
            out["demo"] = True
        if plan is not None:
            out["suggestion"] = plan
        print_json(out)
        return
    print_table(result, demo=demo)
    if plan is not None:
        print_plan(plan)


def _n(x) -> str:
    return "–" if x is None else f"{x:,.0f}"


def _short(x) -> str:
    """People in a narrow column: 1,204,352 → 1.2M, 92,755 → 93k."""
    if x is None:
        return "–"
    return f"{x / 1e6:.1f}M" if x >= 1e6 else (f"{x / 1e3:.0f}k" if x >= 1e4 else f"{x:,.0f}")


def _usd(x) -> str:
    if x is None:
        return "–"
    return f"${x:,.4f}" if x < 0.01 else (f"${x:,.2f}" if x < 1000 else f"${x:,.0f}")


def print_table(result: dict, *, demo: bool = False) -> None:
    from rich.table import Table

    title = "People reached (median, 90% interval), cost per person reached" + (
        " — DEMO coalition (fictional)" if demo else "")
    t = Table(title=title, title_justify="left")
    for col in ("Channel", "Reached", "90%", "Cost", "Per person", "Survey"):
        t.add_column(col, justify="right" if col not in ("Channel", "Survey") else "left")
    for ch, v in result["channels"].items():
        ev = v.get("evidence")
        check = "–" if not ev else {None: "agrees", "model_above_survey": "model higher",
                                    "survey_above_model": "survey higher"}[ev["disagreement"]]
        t.add_row(ch, _n(v["reached_median"]), f"{_short(v['reached_lower90'])}–{_short(v['reached_upper90'])}",
                  _usd(v["cost_usd"]), _usd(v["cost_per_person_usd"]), check)
    c = result["coalition"]
    t.add_row("[bold]coalition[/]", f"[bold]{_n(c['reached_median'])}[/]",
              f"{_short(c['reached_lower90'])}–{_short(c['reached_upper90'])}", _usd(c["cost_usd"]),
              _usd(c["cost_per_person_usd"]), "")
    console.print(t)
    gaps = result["gaps"]
    console.print("Least reached provinces: " + ", ".join(gaps["provinces_least_reached"]))
    silent = gaps["hours_without_broadcast_kst"]
    if silent:
        console.print(f"Hours (KST) with no coalition radio broadcast: {len(silent)} of 24")
    console.print("Intervals of cost per person: `corridor assess --json`.")
    for note in result["assumptions"].values():
        console.print(f"  [dim]{note}[/]")


def print_plan(plan: dict) -> None:
    from rich.table import Table

    t = Table(title=f"Where ${plan['budget_usd']:,.0f} more would reach most people", title_justify="left")
    for col in ("Step", "Do", "Channel", "Cost", "New people [90%]", "Per new person"):
        t.add_column(col)
    for i, s in enumerate(plan["steps"], start=1):
        t.add_row(str(i), s["title"], s["channel"], _usd(s["cost_usd"]),
                  f"{_n(s['new_people_median'])} [{_n(s['new_people_lower90'])}–{_n(s['new_people_upper90'])}]",
                  _usd(s["usd_per_new_person"]))
    console.print(t)
    console.print(plan["explanation"])


def report_command(
    out: Annotated[Path, typer.Option("--out", help="PDF to write.")] = Path("corridor-report.pdf"),
    lang: Annotated[str, typer.Option("--lang", help="en or ko.")] = "en",
    include_private: Annotated[bool, typer.Option("--include-private", help="Count private campaigns too (default: only shared and published ones).")] = False,
    db: Db = None,
    evidence: EvidenceOpt = None,
    draws: Draws = 200,
    scheduler: Scheduler = None,
    assumptions: AssumptionsOpt = None,
) -> None:
    """A PDF report for donors and partners: the figures of `corridor assess`, maps, methods, caveats."""
    from corridor.atomic import check_writable
    from corridor.i18n import check_language

    check_language(lang)
    check_writable(out)
    a, demo = run_assessment(db, evidence, draws, scheduler, assumptions,
                             scope="all" if include_private else "published")
    from corridor.assess.report import write_report

    with status("Writing the report") as say:
        write_report(a, out, lang=lang, demo=demo, scope="all" if include_private else "published", progress=say)
    console.print(f"Wrote {out}")
