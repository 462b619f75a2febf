"""The read fast path answers exactly what the full path answered, and nothing more."""

from __future__ import annotations

from datetime import date

import pytest

from corridor.access.rules import Actor, Role
from corridor.coalition import ledger
from corridor.store.engine import session_scope
from tests.web.conftest import bearer


def test_repeated_reads_skip_the_framework_and_stay_correct(app, client, world, monkeypatch):
    from corridor.web import api

    token = world["tokens"][("A", Role.VIEWER)]
    first = client.get("/api/v1/campaigns", headers=bearer(token))
    assert first.status_code == 200 and first.json() == []

    def boom(*_a, **_k):
        raise AssertionError("the full path ran")

    monkeypatch.setattr(api, "identify", boom)
    again = client.get("/api/v1/campaigns", headers=bearer(token))       # served by the fast path
    assert again.status_code == 200 and again.content == first.content
    assert again.headers["x-content-type-options"] == "nosniff"          # same security headers
    with pytest.raises(AssertionError, match="full path"):               # another question: full path
        client.get("/api/v1/campaigns?channel=radio", headers=bearer(token))
    with pytest.raises(AssertionError, match="full path"):               # another reader: full path
        client.get("/api/v1/campaigns", headers=bearer(world["tokens"][("B", Role.VIEWER)]))
    monkeypatch.undo()

    org = world["orgs"]["A"]
    with session_scope(app.state.engine) as s:                           # a write: a new ledger version
        ledger.create_campaign(s, Actor(0, {org: Role.OWNER}), org_id=org, name="new one", channel="radio",
                               start_date=date(2026, 1, 1))
    after = client.get("/api/v1/campaigns", headers=bearer(token)).json()
    assert [c["name"] for c in after] == ["new one"]


def test_unknown_and_missing_tokens_go_the_full_way(client, world):
    assert client.get("/api/v1/campaigns", headers=bearer("not-a-token")).status_code == 401
    assert client.get("/api/v1/campaigns").status_code == 401


def test_large_answers_are_compressed_for_clients_that_accept_gzip(app, client, world):
    import gzip

    from corridor.web.app import accepts_gzip

    org = world["orgs"]["A"]
    with session_scope(app.state.engine) as s:
        for i in range(30):
            ledger.create_campaign(s, Actor(0, {org: Role.OWNER}), org_id=org, name=f"campaign {i:02d}",
                                   channel="radio", start_date=date(2026, 1, 1))
    token = world["tokens"][("A", Role.VIEWER)]
    plain = client.get("/api/v1/campaigns", headers={**bearer(token), "Accept-Encoding": "identity"})
    assert "content-encoding" not in plain.headers and len(plain.json()) == 30
    for _ in range(2):   # full path, then fast path: the same compressed answer
        raw = client.get("/api/v1/campaigns", headers={**bearer(token), "Accept-Encoding": "gzip"})
        assert raw.headers["content-encoding"] == "gzip" and raw.headers["vary"] == "Accept-Encoding"
        assert raw.json() == plain.json()              # httpx decompresses
    assert accepts_gzip("br, gzip;q=0.5") and not accepts_gzip("gzip;q=0") and not accepts_gzip(None)
    assert gzip.decompress(gzip.compress(plain.content)) == plain.content


def test_a_token_acts_with_at_most_its_owners_role_and_never_after_it_expires(app, client, world):
    """The grant the fast path caches is the access core's (members.token_grant), and the fast
    path asks the grant whether it is still live instead of deciding itself."""
    from datetime import UTC, datetime, timedelta

    from corridor.access import members
    from corridor.access.accounts import new_api_token
    from corridor.access.tables import ApiToken

    org = world["orgs"]["A"]
    viewer = world["users"][("A", Role.VIEWER)]
    past = datetime.now(UTC) - timedelta(minutes=1)
    with session_scope(app.state.engine) as s:
        wide, wide_digest = new_api_token()
        s.add(ApiToken(token_hash=wide_digest, org_id=org, user_id=viewer, role=Role.OWNER.value))
        old, old_digest = new_api_token()
        s.add(ApiToken(token_hash=old_digest, org_id=org, user_id=viewer, role=Role.VIEWER.value, expires_at=past))
    with session_scope(app.state.engine) as s:
        grant = members.token_grant(s, wide_digest)
        assert grant.role == Role.VIEWER and grant.actor().roles == {org: Role.VIEWER}
        assert grant.live() and not members.token_grant(s, old_digest).live()
        assert not members.TokenGrant(viewer, org, Role.VIEWER, past).live(now=past + timedelta(seconds=1))
        with pytest.raises(members.TokenRefused):
            members.token_grant(s, "0" * 64)

    body = {"org_id": org, "name": "too wide", "channel": "radio", "start_date": "2026-01-01"}
    assert client.post("/api/v1/campaigns", json=body, headers=bearer(wide)).status_code == 403
    for _ in range(2):       # the full path, then again: an expired token is never served from a cache
        assert client.get("/api/v1/campaigns", headers=bearer(old)).status_code == 401
