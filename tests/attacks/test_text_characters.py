"""Item 2.12: NUL, control and text-direction characters in campaign and activity texts.

A hostile editor writes names that display as something else to the coalition's readers: a
right-to-left override (U+202E) turns ``Free Voice gnp.exe`` around, an isolate hides part of a
title, a NUL truncates a value in C libraries. The ledger refuses them with a 422 naming the
field, whichever way they come in: the API, the pages' forms or a HXL import.
"""

from __future__ import annotations

import csv
import io
import re

import pytest

from corridor.access.rules import Role
from tests.attacks.test_spec_files import RADIO, sign_in
from tests.web.conftest import LS, bearer

RLO, LRI, NUL, BEL, NEL = "\u202e", "\u2066", "\x00", "\x07", "\x85"
BAD = [RLO, LRI, "\u200f", NUL, BEL, NEL, "\x1b"]


def _editor(world, org="A"):
    return bearer(world["tokens"][(org, Role.EDITOR)])


def _campaign(client, world, channel="loudspeaker", **extra):
    return client.post("/api/v1/campaigns", headers=_editor(world), json={
        "org_id": world["orgs"]["A"], "name": "Sound", "channel": channel, "start_date": "2024-06-01", **extra})


def _refused(r, field):
    """422, naming ``field`` (the ledger's answer, or the API model's for NUL in some fields)."""
    assert r.status_code == 422, r.text
    body = r.json()
    if isinstance(body.get("detail"), list):     # the request model's own check
        assert any(field.split(".")[0] in map(str, e["loc"]) for e in body["detail"])
    else:
        assert body["field"] == field or body["field"].startswith(field), body
    for ch in BAD:
        assert ch not in r.text


@pytest.mark.parametrize("ch", BAD)
@pytest.mark.parametrize("field", ["name", "goal"])
def test_campaign_texts(client, world, ch, field):
    value = f"Free{ch} Voice"
    _refused(_campaign(client, world, **{field: value}), field)
    ok = _campaign(client, world)
    assert ok.status_code == 201
    r = client.patch(f"/api/v1/campaigns/{ok.json()['id']}", headers=_editor(world), json={field: value})
    _refused(r, field)
    assert client.get(f"/api/v1/campaigns/{ok.json()['id']}", headers=_editor(world)).json()["name"] == "Sound"


def test_a_goal_may_span_lines_but_not_hide_text(client, world):
    r = _campaign(client, world, goal="First line.\r\nSecond line.\n\tIndented.")
    assert r.status_code == 201, r.text
    _refused(_campaign(client, world, goal=f"First line.\n{RLO}txt.exe"), "goal")


ACTIVITY_ATTACKS = [
    ("id", {"id": f"ls{RLO}1"}),
    ("title", {"title": f"Launch {LRI}hidden"}),
    ("title", {"title": "two\nlines"}),
    ("provinces", {"provinces": [f"Kangwon{RLO}"]}),
    ("spec", {"spec": {**LS, f"lon{RLO}": 126.7}}),
]


@pytest.mark.parametrize(("field", "change"), ACTIVITY_ATTACKS)
def test_activity_texts(client, world, field, change):
    cid = _campaign(client, world).json()["id"]
    body = {"id": "ls-1", "start": "2024-06-01T22:00:00Z", "spec": LS, **change}
    _refused(client.post(f"/api/v1/campaigns/{cid}/activities", headers=_editor(world), json=body), field)
    assert client.get(f"/api/v1/campaigns/{cid}/activities", headers=_editor(world)).json() == []


@pytest.mark.parametrize("ch", BAD)
def test_every_string_of_a_spec(client, world, ch):
    cid = _campaign(client, world, channel="radio").json()["id"]
    url = f"/api/v1/campaigns/{cid}/activities"
    for key in ("station", "site", "season", "source"):
        r = client.post(url, headers=_editor(world), json={
            "id": "r1", "start": "2024-06-01T15:00:00Z", "spec": {**RADIO, key: f"KBS{ch}"}})
        _refused(r, f"spec.{key}")
    r = client.post(url, headers=_editor(world), json={
        "id": "r1", "start": "2024-06-01T15:00:00Z", "spec": {**RADIO, "days": [f"mon{ch}"]}})
    _refused(r, "spec.days")
    ok = client.post(url, headers=_editor(world), json={"id": "r1", "start": "2024-06-01T15:00:00Z", "spec": RADIO})
    assert ok.status_code == 201, ok.text
    aid = ok.json()["id"]
    _refused(client.patch(f"/api/v1/activities/{aid}", headers=_editor(world),
                          json={"spec": {**RADIO, "station": f"KBS{ch}"}}), "spec.station")
    _refused(client.patch(f"/api/v1/activities/{aid}", headers=_editor(world), json={"title": f"x{ch}"}), "title")
    assert client.get(f"/api/v1/activities/{aid}", headers=_editor(world)).json()["spec"]["station"] == "Test"


def test_the_forms_refuse_them(client, world):
    assert sign_in(client, "editor-a").status_code == 303
    csrf = re.search(r'name="csrf" value="([^"]+)"', client.get("/campaigns/new").text).group(1)
    r = client.post("/campaigns/new", data={"csrf": csrf, "org_id": world["orgs"]["A"], "name": f"Border{RLO} sound",
                                            "channel": "radio", "start_date": "2024-06-01"}, follow_redirects=False)
    assert r.status_code == 422 and "U+202E" in r.text
    r = client.post("/campaigns/new", data={"csrf": csrf, "org_id": world["orgs"]["A"], "name": "Border sound",
                                            "channel": "radio", "start_date": "2024-06-01"}, follow_redirects=False)
    assert r.status_code == 303
    url = r.headers["location"]
    form = {"csrf": csrf, "id": "r1", "start": "2024-06-01T15:00", "title": "ok",
            **{f"spec.{k}": str(v) for k, v in RADIO.items()}}
    for key, value in (("spec.station", f"KBS{RLO}"), ("title", f"t{LRI}"), ("id", f"r{NUL}1")):
        r = client.post(url + "/activities", data={**form, key: value}, follow_redirects=False)
        assert r.status_code == 422 and key.removeprefix("spec.") in r.text, (key, r.status_code)
    r = client.post(url + "/activities", data=form, follow_redirects=False)
    assert r.status_code == 303


def test_a_hxl_import_refuses_them(client, world):
    cid = _campaign(client, world).json()["id"]
    assert client.post(f"/api/v1/campaigns/{cid}/activities", headers=_editor(world), json={
        "id": "ls-1", "title": "Array", "start": "2024-06-01T22:00:00Z", "spec": LS}).status_code == 201
    exported = client.get("/api/v1/export.hxl", headers=_editor(world)).text
    table = list(csv.reader(io.StringIO(exported)))
    for tag, value in (("#activity +name", f"Array{RLO}gpj.exe"), ("#activity +id", f"ls{LRI}9"),
                       ("#adm1 +name", f"Kangwon{RLO}")):
        rows = [list(r) for r in table]
        rows[2][rows[1].index(tag)] = value
        out = io.StringIO()
        csv.writer(out, lineterminator="\n").writerows(rows)
        r = client.post("/api/v1/import", headers=_editor(world, "B"), data={"org_id": world["orgs"]["B"]},
                        files={"file": ("in.csv", out.getvalue().encode(), "text/csv")})
        assert r.status_code == 422 and "row 3" in r.json()["detail"], (tag, r.text)
        assert RLO not in r.text and LRI not in r.text
    assert client.get("/api/v1/campaigns", headers=_editor(world, "B")).json() == []
