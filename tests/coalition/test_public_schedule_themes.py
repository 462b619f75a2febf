"""Themes of public broadcasts: only where the station documents its programming, with the
source named; every other broadcast is ``unknown``. Shortwave schedule data: EiBi (Eike
Bierwirth), eibispace.de."""

import csv
from pathlib import Path

import pytest
from sqlalchemy import select

from corridor.access.rules import Actor, Role
from corridor.channels.radio import eibi
from corridor.coalition import public_schedule
from corridor.coalition.tables import ActivityRecord
from corridor.errors import CorridorError
from corridor.store import session_scope

ROOT = Path(__file__).resolve().parents[2]
SEASON = ROOT / "examples" / "radio" / "eibi" / "sked-a26.csv"
FIXTURE = Path(__file__).parent / "data" / "sked-a26.csv"


def flat_power(_b, _site):
    return {"power_kw": 100.0, "assumed": True, "antenna": "isotropic", "gain_dbi": 0.0, "source": "test"}


def test_every_listed_station_is_spelt_as_in_eibi_and_has_a_source():
    table = public_schedule.station_themes()
    with SEASON.open(encoding="latin-1", newline="") as f:
        stations = {row[4] for row in csv.reader(f, delimiter=";") if len(row) > 4}
    assert set(table) <= stations
    assert all(entry.source and entry.themes and "unknown" not in entry.themes for entry in table.values())


def test_documented_stations_get_their_themes_and_source_others_unknown():
    table = public_schedule.station_themes()
    rows = public_schedule.season_rows(eibi.read_season(SEASON), power=flat_power).rows
    by_station = {}
    for r in rows:
        by_station.setdefault(r["spec"]["station"], []).append(r)
    listed = [s for s in by_station if s in table]
    unlisted = [s for s in by_station if s not in table]
    assert listed and unlisted
    for station in listed:
        for r in by_station[station]:
            assert r["themes"] == table[station].themes
            assert "themes: " + table[station].source in r["spec"]["source"]
    for station in unlisted:
        for r in by_station[station]:
            assert r["themes"] == {"unknown": None} and "themes:" not in r["spec"]["source"]


def test_the_import_stores_the_themes(engine, coalition):
    org = coalition[("Sky Letters", Role.OWNER)][1]
    with session_scope(engine) as s:
        report = public_schedule.import_file(s, Actor(1, {org: Role.OWNER}), org, eibi.read_season(FIXTURE))
    with session_scope(engine) as s:
        stored = s.execute(select(ActivityRecord.spec["station"].as_string(), ActivityRecord.themes)).all()
    got = {(st, tuple(sorted(th))) for st, th in stored}
    assert ("Radio Free Asia", ("north_korea_news", "world_news")) in got
    assert ("Unification Media Group", ("unknown",)) in got
    assert report["themes_documented"] == sum(1 for _st, th in stored if "unknown" not in th) > 0


@pytest.mark.parametrize("text, field", [
    ("stations:\n  - {station: X Radio, themes: religion}\n", "stations[0].source"),
    ("stations:\n  - {station: X Radio, themes: relgion, source: its site}\n", "stations[0].themes"),
    ("stations:\n  - {station: X Radio, themes: unknown, source: its site}\n", "stations[0].themes"),
    ("stations:\n  - {station: X, themes: religion, source: a}\n  - {station: X, themes: religion, source: b}\n",
     "stations[1].station"),
])
def test_a_bad_table_row_is_named(text, field):
    with pytest.raises(CorridorError) as err:
        public_schedule.station_themes(text, source="mine.yaml")
    assert err.value.source == "mine.yaml" and err.value.field == field
