"""The demo job: a fictional coalition on the shipped data, assessed and shown on the dashboard.

``make demo`` (``corridor demo``) builds, with no network:

* the population grid and its maps (English and Korean);
* a demo coalition in its own SQLite database: five FICTIONAL organisations with activities on
  every channel (real historical radio schedules with their dates, balloon launches on the shipped
  GFS forecast, shipments through Hyesan and Sinuiju, a satellite datacast, a loudspeaker
  reference), from ``corridor/demo_data/coalition.yaml``; costs are illustrative;
* a SYNTHETIC survey of people who left (labelled as such everywhere), its exposure and influence
  estimates;
* the assessment of the whole coalition (``assessment.json``), its maps and chart;

and then serves the dashboard (unless ``--no-serve``).
"""

from __future__ import annotations

import hashlib
import json
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from importlib import resources
from pathlib import Path

import yaml

from corridor.atomic import write_text
from corridor.errors import CorridorError
from corridor.paths import cache_dir, data_dir

DEMO_DB_NAME = "demo.sqlite"
DEMO_USER = "demo"
#: Survey channels the demo's evidence estimates (those the assessment maps to a reach channel).
DEMO_SURVEY_CHANNELS = ("radio", "leaflet", "usb_sd", "satellite")
DEMO_RESPONDENTS = 2000

Progress = Callable[[str], None]


@dataclass
class DemoResult:
    written: list[Path]
    database_url: str
    username: str
    password: str
    assessment: object   # corridor.assess.Assessment


def demo_database_path() -> Path:
    """The demo coalition's own database (never the user's ledger)."""
    return data_dir() / DEMO_DB_NAME


def demo_evidence_path() -> Path:
    """The demo's (SYNTHETIC) evidence estimate, beside the demo database."""
    return data_dir() / "demo-evidence.json"


def demo_database_url() -> str:
    return f"sqlite:///{demo_database_path()}"


def coalition_spec() -> dict:
    text = resources.files("corridor").joinpath("demo_data", "coalition.yaml").read_text(encoding="utf-8")
    return yaml.safe_load(text)


def build_ledger(url: str, *, progress: Progress = lambda _m: None) -> tuple[str, str]:
    """Create the demo organisations, campaigns and activities in the database at ``url``.

    Returns the demo user's name and a fresh random password. The demo user is an editor in every
    demo organisation (a coalition coordinator), so the dashboard shows the whole coalition.
    """
    from corridor.access import members
    from corridor.access.rules import Actor, Role, Visibility
    from corridor.access.setup import prepare_database
    from corridor.coalition import ledger
    from corridor.store import make_engine
    from corridor.store.engine import session_scope

    prepare_database(url)
    engine = make_engine(url)
    password = secrets.token_urlsafe(12)
    try:
        with session_scope(engine) as s:
            user = members.create_user(s, DEMO_USER, password, display_name="Demo coordinator")
            for org_spec in coalition_spec()["organisations"]:
                progress(f"ledger: {org_spec['name']}")
                org = members.create_organisation(s, org_spec["name"])
                builder = Actor(user_id=0, roles={org.id: Role.OWNER}, label="demo builder")
                members.set_membership(s, user, org, Role.EDITOR)
                for c in org_spec["campaigns"]:
                    camp = ledger.create_campaign(
                        s, builder, org_id=org.id, name=c["name"], channel=c["channel"], goal=c.get("goal", ""),
                        start_date=_date(c["start"]), end_date=_date(c.get("end")),
                        budget_amount=sum(a.get("cost_usd", 0) for a in c["activities"]), budget_currency="USD")
                    for act in c["activities"]:
                        ledger.add_activity(s, builder, camp.id, {
                            "id": act["id"], "title": act.get("title", ""), "start": act["start"],
                            "end": act.get("end"), "spec": act["spec"], "cost_amount": act.get("cost_usd"),
                            "cost_currency": "USD", "provinces": act.get("provinces", []),
                            "themes": act.get("themes")},
                            source="demo_data/coalition.yaml")
                    visibility = Visibility(c.get("visibility", "private"))
                    if visibility is not Visibility.PRIVATE:
                        ledger.set_visibility(s, builder, camp.id, visibility)
    finally:
        engine.dispose()
    return DEMO_USER, password


def _date(value) -> date | None:
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(str(value))


def synthetic_survey(n: int = DEMO_RESPONDENTS, seed: int = 0):
    """A SYNTHETIC survey biased like arrivals, with attitude items and the content seen on each
    channel (themes); canonical columns + items."""
    from corridor.evidence.synth import (
        add_attitudes,
        add_themes,
        draw_sample,
        draw_theme_truth,
        draw_truth,
    )

    truth = draw_truth(seed)
    sample = draw_sample(truth, n, seed=seed)
    sample = add_themes(sample, draw_theme_truth(truth), seed=seed)
    return add_attitudes(sample, effect=0.5, seed=seed + 1)


def demo_evidence(url: str, *, seed: int = 0, progress: Progress = lambda _m: None):
    """Import the synthetic survey into the demo database and estimate exposure and influence.

    The fitted estimate is cached (it depends only on the code and the seed), so a second demo
    starts in seconds.
    """
    import tempfile

    from corridor.assess.engine import Evidence
    from corridor.evidence.canonical import read_canonical
    from corridor.evidence.storage import import_respondents

    survey = synthetic_survey(seed=seed)
    canonical_cols = [c for c in survey.columns if c not in ("sk_richer", "sk_free", "info_influenced_leaving")]
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "synthetic-survey.csv"
        survey[canonical_cols].to_csv(path, index=False)
        data = read_canonical(path)
    progress("evidence: importing the SYNTHETIC survey")
    import_respondents(data, study_id="demo SYNTHETIC survey", url=url)
    from corridor.assess.coverages import source_fingerprint

    demo_source = hashlib.sha256(Path(__file__).read_bytes()).hexdigest()[:8]   # what the demo fits
    key = (source_fingerprint("corridor.evidence", "corridor.assess") + f"-{demo_source}-{seed}-"
           f"{DEMO_RESPONDENTS}")
    cached = cache_dir() / "demo" / f"evidence-{key}.json"
    if cached.exists():
        return Evidence.from_dict(json.loads(cached.read_text(encoding="utf-8")))
    evidence = fit_evidence(data.respondents, survey, progress=progress)
    cached.parent.mkdir(parents=True, exist_ok=True)
    write_text(cached, json.dumps(evidence.as_dict(), ensure_ascii=False))
    return evidence


def fit_evidence(respondents, survey_with_items, *, year: int = 2019, item: str = "sk_richer",
                 channels=DEMO_SURVEY_CHANNELS, progress: Progress = lambda _m: None):
    """Exposure (MRP) and influence (attitude logit) estimates for the assessment."""
    import numpy as np

    from corridor.assess.engine import Evidence
    from corridor.evidence.estimate import estimate_exposure, model_columns
    from corridor.evidence.influence import attitude_logit
    from corridor.evidence.theme_estimate import estimate_themes
    from corridor.geo.names import BORDER_PROVINCES

    est = estimate_exposure(respondents, year, channels=channels, raking=False,
                            progress=lambda m: progress(f"evidence: exposure, {m}"))
    # The share exposed to each content theme, any channel (one fit per theme, fewer draws than a
    # report would use: the demo shows the survey check beside each theme's modelled share).
    est.themes = estimate_themes(respondents, year, by_channel=False, raking=False, draws=300, tune=300,
                                 progress=lambda m: progress(f"evidence: themes, {m}"))
    progress("evidence: influence")
    df = model_columns(survey_with_items.assign(urban=survey_with_items["urban"] == "urban"))
    df["border"] = df["province"].isin(BORDER_PROVINCES).astype(int)
    infl = attitude_logit(df, item, list(channels), draws=400)
    none = np.all([df[f"{c}_ever"] == "no" for c in channels], axis=0)
    agree = df.loc[none, item] >= 4
    infl["baseline"] = float(agree.mean()) if len(agree) >= 30 else None
    if infl["baseline"] is None:
        del infl["baseline"]
    return Evidence.from_estimate(est, influence=infl)


def run_demo(out: Path, *, draws: int = 200, progress: Progress = lambda _m: None,
             scheduler: str | None = None) -> DemoResult:
    """Build everything the demo shows into ``out`` (and the demo database); see the module notes.
    The grid has the resolution of the setting (:func:`corridor.settings.grid_resolution_km`)."""
    from corridor.assess.ledger_assessment import assess_ledger
    from corridor.geo import grid_summary
    from corridor.geo.grid import load_grid
    from corridor.presentation import figures
    from corridor.presentation.population import population_map
    from corridor.store import make_engine
    from corridor.store.engine import session_scope

    grid = load_grid(progress=progress)
    summary = grid_summary.summarise(grid)
    written = [write_text(out / "summary.json", json.dumps(summary, ensure_ascii=False, indent=2))]
    progress("drawing population maps")
    written.append(population_map(grid, out / "population-map.png", lang="en"))
    written.append(population_map(grid, out / "population-map-ko.png", lang="ko"))

    db = demo_database_path()
    tmp_db = db.with_name(db.name + ".building")
    tmp_db.unlink(missing_ok=True)
    tmp_url = f"sqlite:///{tmp_db}"
    username, password = build_ledger(tmp_url, progress=progress)
    evidence = demo_evidence(tmp_url, progress=progress)
    tmp_db.replace(db)  # the demo database appears complete or not at all
    write_text(demo_evidence_path(), json.dumps(evidence.as_dict(), ensure_ascii=False))
    url = demo_database_url()
    login = out / "demo-login.txt"
    write_text(login, f"Corridor demo: sign in as {username} with password {password}\n")
    login.chmod(0o600)
    written.append(login)

    engine = make_engine(url)
    try:
        with session_scope(engine) as s:
            assessment = assess_ledger(s, scope="all", evidence=evidence, grid=grid, draws=draws,
                                       scheduler=scheduler, progress=progress).assessment
    finally:
        engine.dispose()
    written.append(write_text(out / "assessment.json",
                              json.dumps(assessment.as_dict(), ensure_ascii=False, indent=1, default=float)))
    progress("drawing the assessment's maps")
    for lang, suffix in (("en", ""), ("ko", "-ko")):
        written.append(figures.reach_map(assessment, out / f"reach-map{suffix}.png", lang=lang))
        written.append(figures.gap_map(assessment, out / f"gap-map{suffix}.png", lang=lang))
        written.append(figures.channel_chart(assessment, out / f"channels{suffix}.png", lang=lang))
    return DemoResult(written, url, username, password, assessment)


def check_out(out: Path) -> None:
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise CorridorError(f"cannot create the folder ({exc.strerror})", field="--out", value=str(out)) from None
