"""Item 2.12: no existence oracle on campaigns and activities.

An editor of organisation B probes ids: if a missing id and organisation A's private record
answered differently (status, words, length), B could map A's private ledger one id at a time.
Missing and not readable must give byte-identical answers, for every method on the record.
"""

from __future__ import annotations

import re

import pytest

from corridor.access.rules import Role
from tests.web.conftest import LS, bearer

MISSING = 2_000_000


def _private_records(client, world, visibility=None):
    """A campaign of A with one activity; optionally shared at ``visibility`` by A's owner."""
    headers = bearer(world["tokens"][("A", Role.EDITOR)])
    c = client.post("/api/v1/campaigns", headers=headers, json={
        "org_id": world["orgs"]["A"], "name": "Quiet border", "channel": "loudspeaker", "start_date": "2024-06-01"})
    assert c.status_code == 201
    cid = c.json()["id"]
    a = client.post(f"/api/v1/campaigns/{cid}/activities", headers=headers, json={
        "id": "ls-1", "start": "2024-06-01T22:00:00Z", "spec": LS, "provinces": ["Kangwon"]})
    assert a.status_code == 201
    if visibility is not None:
        r = client.post(f"/api/v1/campaigns/{cid}/share", headers=bearer(world["tokens"][("A", Role.OWNER)]),
                        json={"visibility": visibility})
        assert r.status_code == 200, r.text
    return cid, a.json()["id"]


def _requests(cid: int, aid: int):
    """Every method on the three record URLs, with bodies that pass validation."""
    activity = {"id": "probe", "start": "2024-06-02T22:00:00Z", "spec": LS}
    return [
        ("GET", f"/api/v1/activities/{aid}", None),
        ("PATCH", f"/api/v1/activities/{aid}", {"title": "mine now"}),
        ("PATCH", f"/api/v1/activities/{aid}", {"spec": {**LS, "sound_power_db": 150}}),
        ("DELETE", f"/api/v1/activities/{aid}", None),
        ("GET", f"/api/v1/campaigns/{cid}", None),
        ("PATCH", f"/api/v1/campaigns/{cid}", {"name": "mine now"}),
        ("DELETE", f"/api/v1/campaigns/{cid}", None),
        ("POST", f"/api/v1/campaigns/{cid}/share", {"visibility": "coalition"}),
        ("GET", f"/api/v1/campaigns/{cid}/activities", None),
        ("POST", f"/api/v1/campaigns/{cid}/activities", activity),
    ]


def _answer(client, method, url, body, headers):
    r = client.request(method, url, headers=headers, json=body)
    return r.status_code, r.headers.get("content-type"), r.content


@pytest.mark.parametrize("visibility", [None, "aggregate"])
@pytest.mark.parametrize("role", [Role.EDITOR, Role.VIEWER, Role.OWNER])
def test_missing_and_unreadable_records_answer_alike(client, world, visibility, role):
    cid, aid = _private_records(client, world, visibility)
    headers = bearer(world["tokens"][("B", role)])
    real = _requests(cid, aid)
    missing = _requests(MISSING, MISSING + 1)
    for (method, url, body), (_, url_missing, _) in zip(real, missing):
        seen = _answer(client, method, url, body, headers)
        absent = _answer(client, method, url_missing, body, headers)
        assert seen == absent, (method, url, seen, absent)
        assert seen[0] == 404
    # nothing was changed by the probes
    own = bearer(world["tokens"][("A", Role.EDITOR)])
    assert client.get(f"/api/v1/activities/{aid}", headers=own).json()["title"] == ""
    assert client.get(f"/api/v1/campaigns/{cid}", headers=own).json()["name"] == "Quiet border"


def test_a_deleted_record_answers_like_one_never_made(client, world):
    cid, aid = _private_records(client, world)
    own = bearer(world["tokens"][("A", Role.EDITOR)])
    assert client.delete(f"/api/v1/activities/{aid}", headers=own).status_code == 204
    headers = bearer(world["tokens"][("B", Role.EDITOR)])
    for (method, url, body), (_, url_missing, _) in zip(_requests(cid, aid)[:4], _requests(cid, MISSING)[:4]):
        assert _answer(client, method, url, body, headers) == _answer(client, method, url_missing, body, headers)


def test_the_pages_answer_alike_too(client, world):
    from tests.attacks.test_spec_files import sign_in

    cid, _aid = _private_records(client, world)
    assert sign_in(client, "editor-b").status_code == 303
    page = client.get("/campaigns/new").text
    csrf = re.search(r'name="csrf" value="([^"]+)"', page).group(1)
    form = {"csrf": csrf, "id": "probe", "start": "2024-06-02T22:00", "spec.lon": "126.7", "spec.lat": "37.9",
            "spec.sound_power_db": "160", "spec.band_hz": "500", "spec.period": "night"}

    def answers(campaign_id):
        out = []
        for method, url, data in (("GET", f"/campaigns/{campaign_id}", None),
                                  ("POST", f"/campaigns/{campaign_id}/activities", form),
                                  ("POST", f"/campaigns/{campaign_id}/share", {"csrf": csrf, "visibility": "coalition"}),
                                  ("GET", f"/dashboard/campaigns/{campaign_id}", None)):
            r = client.request(method, url, data=data, follow_redirects=False)
            out.append((r.status_code, r.text.replace(f"/{campaign_id}", "/ID")))
        return out

    for seen, absent in zip(answers(cid), answers(MISSING)):
        assert seen == absent
        assert seen[0] == 404
