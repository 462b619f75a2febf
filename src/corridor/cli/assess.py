"""``corridor assess`` and ``corridor report``: which method is most effective, with intervals."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from corridor.cli.common import Lang, Resolution, translator
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


def _open(url: str | None):
    """An engine on the ledger at ``url`` (migrated), or a :class:`CorridorError` naming --db."""
    from corridor.access.setup import prepare_database
    from corridor.store import make_engine

    try:
        prepare_database(url)
    except Exception as exc:  # noqa: BLE001  (a bad URL or an unreachable server)
        raise CorridorError(f"cannot open the database ({type(exc).__name__})", field="--db", value=url) from None
    return make_engine(url)


def assess_database(db: str | None, *, evidence: Path | None, progress, lang: str = "en", **kwargs):
    """:func:`corridor.assess.ledger_assessment.assess_ledger` on the ledger at ``db``; an empty
    default ledger falls back to the demo coalition (and its evidence). Returns the
    assessment (None when there is nothing to assess) and whether it is the demo's."""
    import os

    from corridor.assess.ledger_assessment import assess_ledger
    from corridor.store.engine import ENV_URL, session_scope

    def run(url, demo):
        ev = load_evidence(evidence, demo=demo)
        engine = _open(url)
        try:
            with session_scope(engine) as s:
                return assess_ledger(s, evidence=ev, progress=progress, **kwargs).assessment
        finally:
            engine.dispose()

    a = run(db, False)
    if a is not None or db is not None or os.environ.get(ENV_URL):
        return a, False
    from corridor.demo import demo_database_path, demo_database_url

    if demo_database_path().exists():
        err_console.print(translator(lang)("Your ledger has no activities: assessing the demo coalition (corridor demo)."))
        return run(demo_database_url(), True), True
    return None, False


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


def run_assessment(db, evidence, draws, scheduler, assumptions, *, scope="all", quiet=False, resolution_km=None,
                   lang="en"):
    from corridor.assess import load_assumptions
    from corridor.settings import grid_resolution_km

    check_options(draws, scheduler)
    resolution_km = grid_resolution_km(resolution_km)
    extra = load_assumptions(assumptions) if assumptions else None
    with status(translator(lang)("Assessing"), quiet=quiet) as say:
        a, demo = assess_database(db, evidence=evidence, progress=say, lang=lang, scope=scope, assumptions=extra,
                                  draws=draws, scheduler=scheduler, resolution_km=resolution_km)
    if a is None:
        raise CorridorError("the ledger has no activities to assess", field="--db", value=db or "(default)",
                            hint="add campaigns, or run `corridor demo --no-serve` for the demo coalition")
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
    lang: Lang = "en",
    resolution_km: Resolution = None,
) -> None:
    """People reached per channel and for the whole coalition (each person once), cost per person,
    with 90 % intervals; optionally where the next budget should go."""
    from corridor.i18n import check_language

    check_language(lang)
    check_options(draws, scheduler, budget)
    a, demo = run_assessment(db, evidence, draws, scheduler, assumptions, quiet=as_json,
                             scope="published" if published else "all", resolution_km=resolution_km, lang=lang)
    result = a.as_dict()
    plan = None
    if budget is not None:
        from corridor.assess.allocate import suggest
        from corridor.presentation.suggestion import explanation

        plan = suggest(a, budget)
        plan["explanation"] = explanation(plan, lang)
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
                   "themes": {code: {k: v[k] for k in ("reached_median", "reached_lower90", "reached_upper90",
                                                       "cost_usd", "activities", "evidence")}
                              for code, v in result.get("themes", {}).items()},
                   "year": result["year"], "draws": result["draws"], "assumptions": result["assumptions"]}
        if demo:
            out["demo"] = True
        if plan is not None:
            out["suggestion"] = plan
        print_json(out)
        return
    print_table(result, demo=demo, lang=lang)
    if plan is not None:
        print_plan(plan, lang=lang)


def _formatters(lang: str):
    """People, people in a narrow column (1.2M / 120만) and US dollars in ``lang``
    (:mod:`corridor.presentation.formatting`)."""
    from corridor.presentation import formatting

    def short(x):
        return formatting.people_compact(x, lang, digits=1 if x is not None and abs(x) >= 1e6 else 0)

    return (lambda x: formatting.people(x, lang)), short, (lambda x: formatting.usd(x, lang))


def print_table(result: dict, *, demo: bool = False, lang: str = "en") -> None:
    from rich.table import Table

    from corridor.channels import channel_title

    _ = translator(lang)
    _n, _short, _usd = _formatters(lang)
    title = _("People reached (median, 90% interval), cost per person reached") + (
        _(" — DEMO coalition (fictional)") if demo else "")
    t = Table(title=title, title_justify="left")
    for col in ("Channel", "Reached", "90%", "Cost", "Per person", "Survey"):
        t.add_column(_(col), justify="right" if col not in ("Channel", "Survey") else "left")
    checks = {None: _("agrees"), "model_above_survey": _("model higher"), "survey_above_model": _("survey higher")}
    for ch, v in result["channels"].items():
        ev = v.get("evidence")
        check = "–" if not ev else checks[ev["disagreement"]]
        t.add_row(channel_title(ch, lang), _n(v["reached_median"]), f"{_short(v['reached_lower90'])}–{_short(v['reached_upper90'])}",
                  _usd(v["cost_usd"]), _usd(v["cost_per_person_usd"]), check)
    c = result["coalition"]
    t.add_row(f"[bold]{_('whole coalition')}[/]", f"[bold]{_n(c['reached_median'])}[/]",
              f"{_short(c['reached_lower90'])}–{_short(c['reached_upper90'])}", _usd(c["cost_usd"]),
              _usd(c["cost_per_person_usd"]), "")
    console.print(t)
    if result.get("themes"):
        print_themes(result["themes"], lang=lang)
    gaps = result["gaps"]
    console.print(_("Least reached provinces: {provinces}").format(provinces=", ".join(
        _province(p, lang) for p in gaps["provinces_least_reached"])))
    silent = gaps["hours_without_broadcast_kst"]
    if silent:
        console.print(_("Hours (KST) with no coalition radio broadcast: {n} of 24").format(n=len(silent)))
    console.print(_("Intervals of cost per person: `corridor assess --json`."))
    for note in result["assumptions"].values():
        console.print(f"  [dim]{note}[/]")


def print_themes(themes: dict, *, lang: str = "en") -> None:
    """The figures by content theme (each person once per theme) and the themes nobody carries."""
    from rich.table import Table

    from corridor.themes import vocabulary

    _ = translator(lang)
    _n, _short, _usd = _formatters(lang)
    vocab = vocabulary()
    t = Table(title=_("Per theme: what is said"), title_justify="left")
    for col in ("Theme", "Reached", "90%", "Cost", "Activities", "Survey"):
        t.add_column(_(col), justify="left" if col in ("Theme", "Survey") else "right")
    checks = {None: _("agrees"), "model_above_survey": _("model higher"), "survey_above_model": _("survey higher")}
    for code, v in themes.items():
        ev = v.get("evidence")
        t.add_row(vocab.label(code, lang), _n(v["reached_median"]),
                  f"{_short(v['reached_lower90'])}–{_short(v['reached_upper90'])}", _usd(v["cost_usd"]),
                  str(v["activities"]), "–" if not ev else checks[ev["disagreement"]])
    console.print(t)
    missing = [vocab.label(c, lang) for c in vocab.codes if c not in themes]
    if missing:
        console.print(_("Themes no activity carries") + ": " + ", ".join(missing))


def _province(name: str, lang: str) -> str:
    if lang != "ko":
        return name
    from corridor.geo.names import PROVINCES_KO

    return PROVINCES_KO.get(name, name)


def print_plan(plan: dict, *, lang: str = "en") -> None:
    from rich.table import Table

    from corridor.channels import channel_title

    _ = translator(lang)
    _n, _short, _usd = _formatters(lang)
    t = Table(title=_("Where {budget} more would reach most people").format(budget=_usd(plan["budget_usd"])),
              title_justify="left")
    for col in ("Step", "Do", "Channel", "Cost", "New people [90%]", "Per new person"):
        t.add_column(_(col))
    for i, s in enumerate(plan["steps"], start=1):
        t.add_row(str(i), s["title"], channel_title(s["channel"], lang), _usd(s["cost_usd"]),
                  f"{_n(s['new_people_median'])} [{_n(s['new_people_lower90'])}–{_n(s['new_people_upper90'])}]",
                  _usd(s["usd_per_new_person"]))
    console.print(t)
    console.print(plan["explanation"])


def report_command(
    out: Annotated[Path, typer.Option("--out", help="PDF to write.")] = Path("corridor-report.pdf"),
    lang: Lang = "en",
    include_private: Annotated[bool, typer.Option("--include-private", help="Count private campaigns too (default: only shared and published ones).")] = False,
    db: Db = None,
    evidence: EvidenceOpt = None,
    draws: Draws = 200,
    scheduler: Scheduler = None,
    assumptions: AssumptionsOpt = None,
    resolution_km: Resolution = None,
) -> None:
    """A PDF report for donors and partners: the figures of `corridor assess`, maps, methods, caveats."""
    from corridor.atomic import check_writable
    from corridor.i18n import check_language

    check_language(lang)
    check_writable(out)
    a, demo = run_assessment(db, evidence, draws, scheduler, assumptions,
                             scope="all" if include_private else "published", resolution_km=resolution_km, lang=lang)
    from corridor.presentation.report import write_report

    with status(translator(lang)("Writing the report")) as say:
        write_report(a, out, lang=lang, demo=demo, scope="all" if include_private else "published", progress=say)
    console.print(translator(lang)("Wrote {path}").format(path=out))
