"""Sessions, CSRF, two-factor, throttling, uploads, language: through real HTTP requests."""

from datetime import datetime, timedelta, timezone

import pyotp
from sqlalchemy import update

from corridor.access.rules import Role
from corridor.access.tables import WebSession
from corridor.store import session_scope
from tests.web.conftest import LS, bearer, csrf_of, login


def test_sign_in_sets_a_strict_cookie_and_pages_carry_security_headers(client, world):
    r = login(client, "editor-a")
    assert r.status_code == 303 and r.headers["location"] == "/campaigns"
    cookie = r.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=strict" in cookie
    page = client.get("/campaigns")
    assert page.status_code == 200
    assert "frame-ancestors 'none'" in page.headers["content-security-policy"]
    assert page.headers["x-frame-options"] == "DENY"


def test_wrong_password_and_throttling(client, world):
    for _ in range(5):
        assert login(client, "editor-a", "wrong password!!").status_code == 401
    r = login(client, "editor-a")          # right password, but the account is throttled now
    assert r.status_code == 429


def test_forms_and_api_writes_need_the_csrf_token(client, world):
    login(client, "editor-a")
    body = {"org_id": world["orgs"]["A"], "name": "x", "channel": "loudspeaker", "start_date": "2024-01-01"}
    assert client.post("/api/v1/campaigns", json=body).status_code == 403
    assert client.post("/api/v1/campaigns", json=body, headers={"X-CSRF-Token": "forged"}).status_code == 403
    token = csrf_of(client.get("/campaigns").text)
    assert client.post("/api/v1/campaigns", json=body, headers={"X-CSRF-Token": token}).status_code == 201
    r = client.post("/campaigns/new", data={"org_id": world["orgs"]["A"], "name": "y", "channel": "loudspeaker",
                                            "start_date": "2024-01-02"}, follow_redirects=False)
    assert r.status_code == 403


def test_forged_and_expired_sessions_are_refused(app, client, world):
    client.cookies.set("corridor_session", "forged-value")
    assert client.get("/api/v1/campaigns").status_code == 401
    assert client.get("/campaigns", follow_redirects=False).headers["location"] == "/login"
    client.cookies.clear()
    login(client, "viewer-a")
    assert client.get("/api/v1/campaigns").status_code == 200
    with session_scope(app.state.engine) as s:
        s.execute(update(WebSession).values(expires_at=datetime.now(timezone.utc) - timedelta(minutes=1)))
    assert client.get("/api/v1/campaigns").status_code == 401


def test_owners_enrol_with_the_one_time_code_then_need_the_code(app, client, world):
    from corridor.access import members
    from corridor.access.tables import User

    r = login(client, "owner-a")                     # the password alone: the enrolment form, no session
    assert r.status_code == 200 and 'name="enrolment_code"' in r.text
    assert "corridor_session" not in client.cookies
    assert client.get("/campaigns", follow_redirects=False).headers["location"] == "/login"
    assert client.get("/api/v1/campaigns").status_code == 401
    with session_scope(app.state.engine) as s:       # what `corridor user enrol owner-a` does
        code, _expires = members.start_enrolment(s, s.get(User, world["users"][("A", Role.OWNER)]))
    secret = r.text.split('name="secret" value="')[1].split('"')[0]
    form = {"csrf": csrf_of(r.text), "username": "owner-a", "secret": secret, "enrolment_code": code,
            "ticket": r.text.split('name="ticket" value="')[1].split('"')[0]}
    assert client.post("/login/enrol", data={**form, "code": "000000"}).status_code == 422
    r = client.post("/login/enrol", data={**form, "code": pyotp.TOTP(secret).now()}, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/campaigns"
    assert client.get("/campaigns").status_code == 200
    client.cookies.clear()
    assert login(client, "owner-a").status_code == 401                      # code now required
    later = pyotp.TOTP(secret).at(datetime.now(timezone.utc).timestamp() + 30)
    assert login(client, "owner-a", code=later).status_code == 303


def test_collision_with_another_organisations_slot_hides_its_details(app, client, world):
    # Without the radio channel's own spec this uses a channel-agnostic check of the ledger's
    # radio reduction; see tests/web/test_browser.py for the full flow through the pages.
    login(client, "viewer-b")
    data = client.get("/api/v1/overlaps").json()
    assert data["collisions"] == [] and len(data["silent_hours_kst"]) == 24


def test_upload_limits_and_malformed_hxl(app, client, world):
    headers = bearer(world["tokens"][("A", Role.EDITOR)])
    big = b"x" * 6_000_000
    r = client.post("/api/v1/import", headers=headers, data={"org_id": world["orgs"]["A"]},
                    files={"file": ("big.csv", big, "text/csv")})
    assert r.status_code == 413
    r = client.post("/api/v1/import", headers=headers, data={"org_id": world["orgs"]["A"]},
                    files={"file": ("bad.csv", b"a,b\n1,2\n", "text/csv")})
    assert r.status_code == 422 and "hashtag" in r.json()["detail"] and "bad.csv" in r.json()["detail"]


def test_hxl_round_trip_and_all_or_nothing_import(app, client, world):
    headers_a = bearer(world["tokens"][("A", Role.EDITOR)])
    cid = client.post("/api/v1/campaigns", headers=headers_a, json={
        "org_id": world["orgs"]["A"], "name": "Sound", "channel": "loudspeaker", "start_date": "2024-06-01"}).json()["id"]
    for i in range(2):
        assert client.post(f"/api/v1/campaigns/{cid}/activities", headers=headers_a, json={
            "id": f"ls-{i}", "start": f"2024-06-0{i + 1}T22:00:00Z", "spec": LS, "provinces": ["Kangwon"]}).status_code == 201
    exported = client.get("/api/v1/export.hxl", headers=headers_a).text
    assert exported.splitlines()[1].startswith("#org +name")
    headers_b = bearer(world["tokens"][("B", Role.EDITOR)])
    r = client.post("/api/v1/import", headers=headers_b, data={"org_id": world["orgs"]["B"]},
                    files={"file": ("ledger.csv", exported.encode(), "text/csv")})
    assert r.status_code == 200 and r.json() == {"activities": 2, "campaigns": 1}
    broken = exported.replace("160.0", "-5", 1)
    before = len(client.get("/api/v1/calendar", headers=headers_b).json())
    r = client.post("/api/v1/import", headers=headers_b, data={"org_id": world["orgs"]["B"]},
                    files={"file": ("ledger.csv", broken.encode(), "text/csv")})
    assert r.status_code == 422 and "row 3" in r.json()["detail"]
    assert len(client.get("/api/v1/calendar", headers=headers_b).json()) == before   # nothing written


def test_audit_verify_endpoint(client, world):
    r = client.get("/api/v1/audit/verify", headers=bearer(world["tokens"][("A", Role.OWNER)]))
    assert r.status_code == 200 and r.json()["intact"] and r.json()["your_entries"] >= 4
    # Only A's own entries are counted: B's organisation, users and memberships are not.
    with session_scope(client.app.state.engine) as s:
        from corridor.access import audit
        total = sum(1 for _ in audit.iter_audit(s))
    assert r.json()["your_entries"] < total and set(r.json()) == {"intact", "your_entries", "reason"}
    assert client.get("/api/v1/audit/verify", headers=bearer(world["tokens"][("A", Role.VIEWER)])).status_code == 403


def test_korean_by_default_when_the_browser_asks_and_a_switch(client, world):
    r = client.get("/login", headers={"Accept-Language": "ko-KR,ko;q=0.9,en;q=0.5"})
    assert '<html lang="ko">' in r.text and "로그인" in r.text
    r = client.get("/login?lang=en", headers={"Accept-Language": "ko-KR"})
    assert '<html lang="en">' in r.text and "Sign in" in r.text
    assert "lang=en" in r.headers["set-cookie"]
    r = client.get("/login", headers={"Accept-Language": "ko-KR"})     # the cookie now wins
    assert '<html lang="en">' in r.text


def test_activity_form_shows_the_channel_models_error(client, world):
    login(client, "editor-a")
    csrf = csrf_of(client.get("/campaigns/new").text)
    r = client.post("/campaigns/new", data={"csrf": csrf, "org_id": world["orgs"]["A"], "name": "Border sound",
                                            "channel": "loudspeaker", "start_date": "2024-06-01"}, follow_redirects=False)
    url = r.headers["location"]
    page = client.get(url).text
    for field in ("spec.lon", "spec.lat", "spec.sound_power_db", "spec.band_hz"):
        assert f'name="{field}"' in page
    r = client.post(url + "/activities", data={"csrf": csrf, "id": "a1", "start": "2024-06-01T22:00",
                                              "spec.lon": "126.7", "spec.lat": "37.9", "spec.sound_power_db": "20",
                                              "spec.band_hz": "500", "spec.period": "night"})
    assert r.status_code == 422 and "spec.sound_power_db" in r.text
    r = client.post(url + "/activities", data={"csrf": csrf, "id": "a1", "start": "2024-06-01T22:00",
                                              "spec.lon": "126.7", "spec.lat": "37.9", "spec.sound_power_db": "160",
                                              "spec.band_hz": "500", "spec.period": "night", "provinces": "Kangwon"},
                    follow_redirects=False)
    assert r.status_code == 303
    assert "a1" in client.get(url).text


def test_revoked_and_expired_tokens_stop_working_at_once(app, client, world):
    from corridor.access import audit, members
    from corridor.access.tables import ApiToken, Organisation, User

    with session_scope(app.state.engine) as s:
        user = s.get(User, world["users"][("A", Role.EDITOR)])
        org = s.get(Organisation, world["orgs"]["A"])
        token, record = members.create_token(s, user, org, Role.VIEWER, name="script")
        token_id = record.id
    assert client.get("/api/v1/campaigns", headers=bearer(token)).status_code == 200
    with session_scope(app.state.engine) as s:
        members.revoke_token(s, token_id)
    assert client.get("/api/v1/campaigns", headers=bearer(token)).status_code == 401
    other = world["tokens"][("A", Role.VIEWER)]
    assert client.get("/api/v1/campaigns", headers=bearer(other)).status_code == 200
    with session_scope(app.state.engine) as s:
        s.execute(update(ApiToken).where(ApiToken.role == "viewer")
                  .values(expires_at=datetime.now(timezone.utc) - timedelta(seconds=1)))
        audit.append_audit(s, actor="test", org_id=None, action="token.expire", entity="api_token",
                            entity_id="*", before=None, after=None)
    assert client.get("/api/v1/campaigns", headers=bearer(other)).status_code == 401
    valid = world["tokens"][("B", Role.EDITOR)]          # pages are for browsers: a token is not a sign-in
    r = client.get("/campaigns", headers=bearer(valid), follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/login"
