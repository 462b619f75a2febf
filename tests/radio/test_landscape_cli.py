"""``corridor radio landscape``: the command's checks and its ledger import (``--import``).

The reach itself is tested on the library (``test_landscape.py``); here the command line: what
it refuses, by name, before any model loads, and the season recorded in the ledger.
"""

import json
from pathlib import Path

import pytest
from sqlalchemy import select

from corridor.access.tables import Organisation
from corridor.coalition.tables import ActivityRecord, Campaign
from corridor.store import make_engine, session_scope
from tests.cli_runner import run_in_process

SKED = Path(__file__).parents[1] / "coalition" / "data" / "sked-a26.csv"


def test_import_records_the_season_as_public_activities(monkeypatch, capsys, db_url):
    code, out, err = run_in_process(monkeypatch, capsys, "radio", "landscape", SKED, "--import",
                                    "--org", "Public schedules", "--db", db_url, "--json")
    assert code == 0, err
    report = json.loads(out)
    assert report["activities"] == 6 and report["organisation_created"] is True
    assert report["unknown_sites"] == [{"station": "Shiokaze", "site": "J:y"}]
    assert report["attribution"] == "Shortwave schedule data: EiBi (Eike Bierwirth), eibispace.de"
    engine = make_engine(db_url)
    with session_scope(engine) as s:
        org = s.execute(select(Organisation).where(Organisation.name == "Public schedules")).scalar_one()
        campaign = s.execute(select(Campaign).where(Campaign.org_id == org.id)).scalar_one()
        assert campaign.visibility == "public"
        assert s.query(ActivityRecord).filter_by(campaign_id=campaign.id).count() == 6
    # again: the season's campaign is replaced, not doubled
    code, out, err = run_in_process(monkeypatch, capsys, "radio", "landscape", SKED, "--import",
                                    "--org", "Public schedules", "--db", db_url)
    assert code == 0, err
    assert "replaced 1 earlier import" in out and "EiBi (Eike Bierwirth)" in out
    with session_scope(engine) as s:
        assert s.query(ActivityRecord).count() == 6
    engine.dispose()


@pytest.mark.parametrize("args, words", [
    (["--org", "X"], ["--org", "only with --import"]),
    (["--import"], ["--org"]),
    (["--date", "2026-13-01"], ["--date", "2026-13-01", "YYYY-MM-DD"]),
    (["--date", "2027-01-10"], ["--date", "A26", "2026-03-29", "2026-10-25"]),
    (["--lang", "fr"], ["--lang", "fr"]),
    (["--draws", "0"], ["--draws"]),
])
def test_bad_options_are_named(monkeypatch, capsys, args, words):
    code, out, err = run_in_process(monkeypatch, capsys, "radio", "landscape", SKED, *args)
    assert code != 0
    assert "Traceback" not in err
    for word in words:
        assert word in err, err


def test_a_file_without_korean_broadcasts_says_so(monkeypatch, capsys, tmp_path):
    lines = SKED.read_bytes().split(b"\r\n")
    other = [lines[0]] + [ln.replace(b";K;", b";E;") for ln in lines[1:] if ln]
    path = tmp_path / "sked-a26.csv"
    path.write_bytes(b"\r\n".join(other) + b"\r\n")
    code, _out, err = run_in_process(monkeypatch, capsys, "radio", "landscape", path)
    assert code != 0 and "no broadcast in Korean" in err and "sked-a26.csv" in err


def test_a_malformed_time_names_file_line_and_field(monkeypatch, capsys, tmp_path):
    lines = SKED.read_bytes().split(b"\r\n")
    lines[2] = lines[2].replace(b"1950-1800", b"19:50-18")
    assert b"19:50-18" in lines[2]
    path = tmp_path / "sked-a26.csv"
    path.write_bytes(b"\r\n".join(lines))
    code, _out, err = run_in_process(monkeypatch, capsys, "radio", "landscape", path)
    assert code != 0 and "sked-a26.csv" in err and "line 3" in err and "Time(UTC)" in err, err


def test_a_file_in_utf8_is_refused_with_the_encoding(monkeypatch, capsys, tmp_path):
    path = tmp_path / "sked-a26.csv"
    path.write_text(SKED.read_text(encoding="iso-8859-1") + "9999;1000-1100;;KOR;Rádio;K;KRE;k;1;;\r\n",
                    encoding="utf-8")
    code, _out, err = run_in_process(monkeypatch, capsys, "radio", "landscape", path)
    assert code != 0 and "UTF-8" in err and "ISO-8859-1" in err
