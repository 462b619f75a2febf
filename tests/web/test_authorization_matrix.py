"""Every API route × every role × own and other organisation × private, shared and aggregate records.

No route ever returns another organisation's private record; every forbidden case is 403 or 404.
"""

import pytest
from fastapi.routing import APIRoute

from corridor.access import members
from corridor.access.rules import Role, Visibility
from corridor.access.tables import User
from corridor.coalition import ledger
from corridor.store import session_scope
from tests.web.conftest import LS, bearer

# What each route needs, and what a successful call must return.
WRITE_BODIES = {
    ("POST", "/api/v1/campaigns"): lambda ids: {"org_id": ids["org"], "name": "New one", "channel": "loudspeaker",
                                                "start_date": "2024-08-01"},
    ("PATCH", "/api/v1/campaigns/{campaign_id}"): lambda ids: {"name": "Renamed"},
    ("POST", "/api/v1/campaigns/{campaign_id}/share"): lambda ids: {"visibility": "coalition"},
    ("POST", "/api/v1/campaigns/{campaign_id}/activities"): lambda ids: {
        "id": "added-1", "start": "2024-08-02T21:00:00Z", "spec": LS},
    ("PATCH", "/api/v1/activities/{activity_id}"): lambda ids: {"title": "Changed"},
}
NEEDS = {"view": Role.VIEWER, "edit": Role.EDITOR, "share": Role.OWNER}
ROUTE_KIND = {
    ("GET", "/api/v1/campaigns/{campaign_id}"): "view",
    ("GET", "/api/v1/campaigns/{campaign_id}/activities"): "view",
    ("GET", "/api/v1/activities/{activity_id}"): "view",
    ("PATCH", "/api/v1/campaigns/{campaign_id}"): "edit",
    ("DELETE", "/api/v1/campaigns/{campaign_id}"): "edit",
    ("POST", "/api/v1/campaigns/{campaign_id}/activities"): "edit",
    ("PATCH", "/api/v1/activities/{activity_id}"): "edit",
    ("DELETE", "/api/v1/activities/{activity_id}"): "edit",
    ("POST", "/api/v1/campaigns/{campaign_id}/share"): "share",
}
LISTS = ["/api/v1/campaigns", "/api/v1/calendar", "/api/v1/export.hxl", "/api/v1/aggregates", "/api/v1/overlaps",
         "/api/v1/orgs"]
SECRET = "secret-plan-7431"


def api_routes(app):
    out = []
    for r in app.routes:
        if isinstance(r, APIRoute) and r.path.startswith("/api/v1"):
            for m in r.methods:
                out.append((m, r.path))
    return sorted(out, key=lambda mp: (mp[0] == "DELETE", mp[1]))  # deletes last


def test_the_matrix_covers_every_route(app):
    covered = set(ROUTE_KIND) | {("GET", p) for p in LISTS} | {("POST", "/api/v1/campaigns"),
                                                             ("POST", "/api/v1/import"),
                                                             ("GET", "/api/v1/audit/verify")}
    assert set(api_routes(app)) <= covered, set(api_routes(app)) - covered


def seed(app, world, visibility):
    with session_scope(app.state.engine) as s:
        owner = members.actor_for(s, s.get(User, world["users"][("A", Role.OWNER)]))
        c = ledger.create_campaign(s, owner, org_id=world["orgs"]["A"], name=f"Campaign {SECRET}",
                                   channel="loudspeaker", start_date=__import__("datetime").date(2024, 6, 1))
        a = ledger.add_activity(s, owner, c.id, {"id": f"act-{SECRET}", "start": "2024-06-01T22:00:00Z",
                                                 "spec": LS, "provinces": ["Kangwon"]})
        ledger.set_visibility(s, owner, c.id, visibility)
        return {"campaign_id": c.id, "activity_id": a.id}


@pytest.mark.parametrize("visibility", list(Visibility))
@pytest.mark.parametrize("org", ["A", "B"])
@pytest.mark.parametrize("role", list(Role))
def test_matrix(app, world, client, visibility, org, role):
    ids = seed(app, world, visibility)
    ids["org"] = world["orgs"][org]
    headers = bearer(world["tokens"][(org, role)])
    own = org == "A"
    for method, path in api_routes(app):
        url = path.format(**ids)
        if path in ("/api/v1/import", "/api/v1/audit/verify"):
            continue  # covered in test_web_service.py
        body = WRITE_BODIES.get((method, path), lambda i: None)(ids)
        r = client.request(method, url, headers=headers, json=body)
        kind = ROUTE_KIND.get((method, path))
        if kind is None:  # lists and creating in one's own organisation
            if method == "POST":
                assert r.status_code == (201 if role is not Role.VIEWER else 403), (url, r.text)
            else:
                assert r.status_code == 200, (url, r.text)
                if not own and visibility is not Visibility.COALITION:
                    assert SECRET not in r.text, (url, visibility)  # never leaks a private record
            continue
        readable = own or visibility is Visibility.COALITION
        may = own and role.rank >= NEEDS[kind].rank
        if may:
            assert r.status_code in (200, 201, 204), (method, url, role, r.text)
        elif readable:
            assert r.status_code == 403, (method, url, role, visibility, r.text)
        else:
            assert r.status_code == 404, (method, url, role, visibility, r.text)
            assert SECRET not in r.text


def test_a_token_acts_only_for_its_organisation(app, world, client):
    ids = seed(app, world, Visibility.PRIVATE)
    # The owner of B is also made an editor of A, but their B token must not reach A's records.
    with session_scope(app.state.engine) as s:
        user = s.get(User, world["users"][("B", Role.OWNER)])
        org_a = s.get(ledger.Organisation, world["orgs"]["A"])
        members.set_membership(s, user, org_a, Role.EDITOR)
    token_b = world["tokens"][("B", Role.OWNER)]
    assert client.get(f"/api/v1/campaigns/{ids['campaign_id']}", headers=bearer(token_b)).status_code == 404
    assert SECRET not in client.get("/api/v1/campaigns", headers=bearer(token_b)).text
    r = client.post("/api/v1/campaigns", headers=bearer(token_b),
                    json={"org_id": world["orgs"]["A"], "name": "x", "channel": "loudspeaker", "start_date": "2024-01-01"})
    assert r.status_code == 404
