"""Uwazi CSV both ways, and media-exposure codes flowing into the evidence store."""

from __future__ import annotations

import csv
import io
import zipfile

import pytest
import sqlalchemy as sa

from corridor.archive import exports
from corridor.archive.consent import Use
from corridor.archive.tables import ArchiveEvent
from corridor.errors import CorridorError
from corridor.store import session_scope
from tests.archive.conftest import add_witness, approve_all, clerk


def test_uwazi_zip_layout_and_import_back(engine, world):
    with session_scope(engine) as s:
        _, iv = add_witness(s, world, consents={"internal", "partners"})
        approve_all(s, world, iv)
        data, _ = exports.uwazi_zip(s, clerk(s, world, "A", "reviewer"), [iv.public_id], Use.PARTNERS)
    z = zipfile.ZipFile(io.BytesIO(data))
    assert "events.csv" in z.namelist() and "thesaurus_act_type.csv" in z.namelist()
    rows = list(csv.DictReader(io.StringIO(z.read("events.csv").decode())))
    # free-text titles are not reviewed, so what leaves is a title made of the codes
    assert rows[0]["title"] == "Forced repatriation from China, Torture · North Hamgyong · 2015"
    assert rows[0]["title__ko"] == "중국으로부터의 강제송환, 고문 · 함경북도 · 2015"
    assert rows[0]["act_types"] == "North Korea specific::Forced repatriation from China|Physical and mental integrity::Torture"
    assert rows[0]["act_types__ko"].startswith("북한 특유::중국으로부터의 강제송환|")
    assert rows[0]["province__ko"] == "함경북도" and rows[0]["start_date"] == "2015-03-01"
    thes = list(csv.reader(io.StringIO(z.read("thesaurus_perpetrator.csv").decode())))
    assert thes[0] == ["English", "Korean"] and ["Ministry of State Security (bowibu)", "국가보위성 (보위부)"] in thes
    # a group moving from Uwazi brings the same layout back in
    with session_scope(engine) as s:
        n = exports.import_uwazi_events(s, clerk(s, world, "B", "coder"), world["orgs"]["B"],
                                        z.read("events.csv").decode())
        ev = s.execute(sa.select(ArchiveEvent).where(ArchiveEvent.org_id == world["orgs"]["B"])).scalar_one()
        assert n == 1 and [a.act_type for a in ev.acts] == ["forced_repatriation", "torture"]
        assert ev.province == "North Hamgyong" and ev.facility_type == "kuryujang"


def test_uwazi_import_is_all_or_nothing(engine, world):
    text = "title,act_types,province\nok,Torture,Pyongyang\nbad,Flying,Pyongyang\n"
    with session_scope(engine) as s:
        with pytest.raises(CorridorError, match="row 3.*act_types='Flying'"), s.begin_nested():
            exports.import_uwazi_events(s, clerk(s, world, "A", "coder"), world["orgs"]["A"], text)
        assert s.scalar(sa.select(sa.func.count()).select_from(ArchiveEvent)) == 0


def test_exposure_codes_become_evidence_respondents(engine, world):
    from corridor.evidence.tables import Respondent

    with session_scope(engine) as s:
        p, _ = add_witness(s, world)
        add_witness(s, world, consents=set(), pseudonym="no consent")
        n = exports.to_evidence(s, clerk(s, world, "A", "reviewer"), world["orgs"]["A"])
        assert n == 1
        r = s.execute(sa.select(Respondent)).scalar_one()
        assert (r.code, r.sex, r.province, r.year_left) == (p.public_id, "female", "North Hamgyong", 2016)
        assert [(e.channel, e.ever, e.first_year, e.influence) for e in r.exposures] == [("usb_sd", "yes", 2012, 4)]
        assert exports.to_evidence(s, clerk(s, world, "A", "reviewer"), world["orgs"]["A"]) == 1   # replaces
        assert s.scalar(sa.select(sa.func.count()).select_from(Respondent)) == 1
