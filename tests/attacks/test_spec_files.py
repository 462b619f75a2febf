"""Item 2.1: spec values that name files.

An editor of the shared ledger tries to make the server open files through a channel spec: a
radio schedule's ``jammers`` or a balloon launch's ``wind``. The ledger accepts only the shipped
keywords and samples there (files are a local command-line feature), refuses anything else with a
422 naming the field and the allowed values, and opens no file to decide. A row stored before
this rule (or arriving by a restore) is skipped by the assessment with a named reason: nobody's
dashboard breaks and no file is opened.
"""

from __future__ import annotations

import csv
import io
import os
import re
import sys
from datetime import UTC, date, datetime

import pytest

from corridor.access.rules import Role
from corridor.coalition.tables import ActivityRecord, Campaign
from corridor.store import session_scope
from tests.web.conftest import LS, PASSWORD, bearer

#: A radio schedule that validates (KBS Hanminjok-like mediumwave from the South).
RADIO = {"station": "Test", "lat": 37.221, "lon": 126.558, "power_kw": 100, "frequency_khz": 1188,
         "utc_start": "15:00", "utc_end": "16:00", "jammers": "none"}
BALLOON = {"site": "paju", "balloons": 5, "wind": "gfs-2011-01-15"}
SECRET = "canary-9f3b2c-database-password"

#: Paths opened while :data:`_WATCH` is on (an audit hook sees every ``open``, pathlib's too).
_OPENED: list[str] = []
_WATCH: list[str] = []


def _audit(event, args):
    if event == "open" and _WATCH and args and isinstance(args[0], (str, bytes)):
        path = os.path.abspath(args[0].decode() if isinstance(args[0], bytes) else args[0])
        if path.startswith(_WATCH[0]) or "passwd" in path:
            _OPENED.append(path)


sys.addaudithook(_audit)


@pytest.fixture()
def canary(tmp_path, monkeypatch):
    """A working directory holding a Makefile and a YAML of secrets; records opens under it."""
    (tmp_path / "Makefile").write_text(f"deploy:\n\techo {SECRET}\n")
    (tmp_path / "deploy-settings.yaml").write_text(f"database_password: {SECRET}\nadmin_token: {SECRET}\n")
    monkeypatch.chdir(tmp_path)
    _OPENED.clear()
    _WATCH[:] = [str(tmp_path)]
    yield tmp_path
    _WATCH.clear()


def sign_in(client, username):
    """Sign in through the login form (with its CSRF token when the form carries one)."""
    page = client.get("/login").text
    m = re.search(r'name="csrf" value="([^"]+)"', page)
    data = {"username": username, "password": PASSWORD, "code": "", **({"csrf": m.group(1)} if m else {})}
    return client.post("/login", data=data, follow_redirects=False)


def _campaign(client, headers, org_id, channel):
    r = client.post("/api/v1/campaigns", headers=headers, json={
        "org_id": org_id, "name": f"{channel} test", "channel": channel, "start_date": "2024-06-01"})
    assert r.status_code == 201, r.text
    return r.json()["id"]


ATTACKS = [
    ("radio", RADIO, "jammers", "Makefile"),
    ("radio", RADIO, "jammers", "deploy-settings.yaml/."),
    ("radio", RADIO, "jammers", "deploy-settings.yaml"),
    ("radio", RADIO, "jammers", "./deploy-settings.yaml"),
    ("radio", RADIO, "jammers", "/etc/passwd"),
    ("radio", RADIO, "jammers", "DEFAULT"),
    ("radio", RADIO, "jammers", " none"),
    ("balloon", BALLOON, "wind", ",/etc/passwd"),
    ("balloon", BALLOON, "wind", "deploy-settings.yaml"),
    ("balloon", BALLOON, "wind", "gfs-2011-01-15,Makefile"),
    ("balloon", BALLOON, "wind", "file:///etc/passwd"),
]


@pytest.mark.parametrize(("channel", "spec", "field", "value"), ATTACKS)
def test_a_spec_cannot_name_a_file_of_the_server(client, world, canary, channel, spec, field, value):
    headers = bearer(world["tokens"][("A", Role.EDITOR)])
    cid = _campaign(client, headers, world["orgs"]["A"], channel)
    r = client.post(f"/api/v1/campaigns/{cid}/activities", headers=headers, json={
        "id": "probe", "start": "2011-01-15T12:00:00Z", "spec": {**spec, field: value}})
    assert r.status_code == 422
    body = r.text
    assert SECRET not in body and "database_password" not in body and "deploy:" not in body
    assert r.json()["field"] == f"spec.{field}"
    allowed = ["default", "none"] if field == "jammers" else ["gfs-2011-01-15", "rotating-2011-10-11"]
    assert all(a in r.json()["detail"] for a in allowed)
    assert _OPENED == []
    # and the same edit through PATCH of a valid activity
    ok = client.post(f"/api/v1/campaigns/{cid}/activities", headers=headers, json={
        "id": "fine", "start": "2011-01-15T12:00:00Z", "spec": spec})
    assert ok.status_code == 201, ok.text
    r = client.patch(f"/api/v1/activities/{ok.json()['id']}", headers=headers,
                     json={"spec": {**spec, field: value}})
    assert r.status_code == 422 and r.json()["field"] == f"spec.{field}" and SECRET not in r.text
    assert client.get(f"/api/v1/activities/{ok.json()['id']}", headers=headers).json()["spec"][field] == spec[field]
    assert _OPENED == []


def test_an_existing_and_a_missing_file_get_the_same_answer(client, world, canary):
    headers = bearer(world["tokens"][("A", Role.EDITOR)])
    cid = _campaign(client, headers, world["orgs"]["A"], "radio")
    answers = []
    for name in ("Makefile", "Makefile-not-here"):
        r = client.post(f"/api/v1/campaigns/{cid}/activities", headers=headers, json={
            "id": "probe", "start": "2024-06-01T15:00:00Z", "spec": {**RADIO, "jammers": name}})
        answers.append((r.status_code, r.json()["detail"], r.json()["field"]))
    assert answers[0] == answers[1]


def test_shipped_keywords_and_samples_are_accepted(client, world, canary):
    headers = bearer(world["tokens"][("A", Role.EDITOR)])
    cid = _campaign(client, headers, world["orgs"]["A"], "radio")
    for i, value in enumerate(("default", "none")):
        r = client.post(f"/api/v1/campaigns/{cid}/activities", headers=headers, json={
            "id": f"r{i}", "start": "2024-06-01T15:00:00Z", "spec": {**RADIO, "jammers": value}})
        assert r.status_code == 201, r.text
    cid = _campaign(client, headers, world["orgs"]["A"], "balloon")
    for i, value in enumerate(("gfs-2011-01-15", "rotating-2011-10-11")):
        r = client.post(f"/api/v1/campaigns/{cid}/activities", headers=headers, json={
            "id": f"b{i}", "start": "2011-01-15T12:00:00Z", "spec": {**BALLOON, "wind": value}})
        assert r.status_code == 201, r.text


def test_the_activity_form_offers_only_the_shipped_values(client, world, canary):
    sign_in(client, "editor-a")
    headers = bearer(world["tokens"][("A", Role.EDITOR)])
    cid = _campaign(client, headers, world["orgs"]["A"], "balloon")
    page = client.get(f"/campaigns/{cid}").text
    assert '<select name="spec.wind"' in page.replace("\n", " ") or 'name="spec.wind"' in page
    assert "gfs-2011-01-15" in page


def test_the_hxl_import_refuses_file_names_too(client, world, canary):
    headers = bearer(world["tokens"][("A", Role.EDITOR)])
    cid = _campaign(client, headers, world["orgs"]["A"], "radio")
    ok = client.post(f"/api/v1/campaigns/{cid}/activities", headers=headers, json={
        "id": "r1", "start": "2024-06-01T15:00:00Z", "spec": RADIO})
    assert ok.status_code == 201
    exported = client.get("/api/v1/export.hxl", headers=headers).text
    table = list(csv.reader(io.StringIO(exported)))
    col = table[1].index("#meta +jammers")
    assert table[2][col] == "none"
    table[2][col] = "deploy-settings.yaml/."
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(table)
    evil = out.getvalue()
    r = client.post("/api/v1/import", headers=bearer(world["tokens"][("B", Role.EDITOR)]),
                    data={"org_id": world["orgs"]["B"]}, files={"file": ("in.csv", evil.encode(), "text/csv")})
    assert r.status_code == 422 and "spec.jammers" in r.json()["detail"] and SECRET not in r.text
    assert _OPENED == []


def _store_raw(app, world, org, channel, spec, public_id, start):
    """Write a campaign and an activity straight into the database, as an old row or a restore
    would have it (no validation)."""
    org_id = world["orgs"][org]
    with session_scope(app.state.engine) as s:
        c = Campaign(org_id=org_id, name=f"old {channel}", channel=channel, goal="", start_date=date(2011, 1, 1),
                     budget_currency="USD", visibility="coalition")
        s.add(c)
        s.flush()
        s.add(ActivityRecord(campaign_id=c.id, org_id=org_id, public_id=public_id, channel=channel,
                             title=f"{public_id} title", start=start, end=None, spec=spec, provinces=[],
                             cost_currency="USD"))
        return c.id


def test_a_stored_file_reference_is_skipped_not_opened(app, client, world, canary):
    headers = bearer(world["tokens"][("A", Role.EDITOR)])
    cid = _campaign(client, headers, world["orgs"]["A"], "loudspeaker")
    assert client.post(f"/api/v1/campaigns/{cid}/activities", headers=headers, json={
        "id": "ls-1", "start": "2024-06-01T22:00:00Z", "spec": LS}).status_code == 201
    t = datetime(2011, 1, 15, 12, tzinfo=UTC)
    _store_raw(app, world, "B", "radio", {**RADIO, "jammers": "Makefile"}, "old-radio", t)
    _store_raw(app, world, "B", "radio", {**RADIO, "jammers": "deploy-settings.yaml/."}, "old-radio-2", t)
    _store_raw(app, world, "B", "balloon", {**BALLOON, "wind": ",/etc/passwd"}, "old-balloon", t)
    for who in ("editor-a", "viewer-b"):
        client.cookies.clear()
        assert sign_in(client, who).status_code == 303
        page = client.get("/dashboard")
        assert page.status_code == 200, page.text[:500]
        assert SECRET not in page.text
        assert "not assessed" in page.text and "spec.jammers" in page.text and "spec.wind" in page.text
        assert client.get("/dashboard/whatif", params={"times": ""}).status_code in (200, 422)
        assert client.get("/dashboard/figure/reach.png").status_code == 200
        assert _OPENED == []
    r = client.get("/api/v1/calendar")   # the rows are still listed as they are
    assert r.status_code == 200 and SECRET not in r.text
    assert _OPENED == []


def test_the_assessment_names_the_skipped_activity(app, world, canary):
    from corridor.assess import assess
    from corridor.assess.items import items_from_ledger
    from corridor.geo.grid import load_grid

    t = datetime(2011, 1, 15, 12, tzinfo=UTC)
    _store_raw(app, world, "B", "radio", {**RADIO, "jammers": "Makefile"}, "old-radio", t)
    # a launch the model itself refuses (no wind sample) is skipped the same way, not fatal
    _store_raw(app, world, "B", "balloon", {"site": "paju", "balloons": 5}, "no-wind", t)
    with session_scope(app.state.engine) as s:
        items = items_from_ledger(s, scope="all")
    a = assess(items, load_grid(5.0), draws=20, scheduler="sync")
    skipped = {r["title"]: r for r in a.as_dict()["skipped"]}
    assert set(skipped) == {"old-radio title", "no-wind title"}
    assert skipped["old-radio title"]["field"] == "spec.jammers"
    assert "default, none" in skipped["old-radio title"]["reason"]
    assert skipped["no-wind title"]["field"] == "spec.wind"
    assert "2 activities not assessed" in a.as_dict()["assumptions"]["skipped"]
    assert a.as_dict()["coalition"]["reached_median"] == 0
    from corridor.presentation import (
        figures,  # the dashboard's figures draw an assessment of nothing
    )

    for draw in (figures.reach_map, figures.gap_map, figures.channel_chart):
        assert draw(a, canary / f"{draw.__name__}.png").stat().st_size > 0
    assert _OPENED == [] or all(p.endswith(".png") for p in _OPENED)
