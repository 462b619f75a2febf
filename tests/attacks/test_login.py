"""Attacks on signing in: finding which accounts exist, outlasting the throttle, turning the
throttle against the real user, and login CSRF."""

from __future__ import annotations

import pytest
from argon2 import PasswordHasher
from fastapi.testclient import TestClient
from sqlalchemy import update

from corridor.access import accounts
from corridor.access.tables import User
from corridor.store import session_scope
from corridor.web.app import create_app
from tests.attacks.signin import form_token, owner_with_totp, sign_in
from tests.fast_hashing import fast_argon2  # noqa: F401  (an autouse fixture: cheap hashing)
from tests.web.conftest import PASSWORD

WRONG = "wrong password!!"


@pytest.fixture()
def argon2_calls(monkeypatch):
    """Count Argon2 verifications (the work that would show in the answer's timing)."""
    calls = []

    class Counting(PasswordHasher):
        def verify(self, hash, password):
            calls.append(hash)
            return super().verify(hash, password)

    monkeypatch.setattr(accounts, "_HASHER", Counting(time_cost=1, memory_cost=1024, parallelism=1))
    return calls


def test_unknown_and_real_accounts_cost_the_same_and_answer_the_same(app, client, world, argon2_calls):
    with session_scope(app.state.engine) as s:
        s.execute(update(User).where(User.username == "viewer-b").values(active=False))
    answers = {}
    for name in ("nobody-here", "editor-a", "viewer-b"):          # unknown, real, deactivated
        argon2_calls.clear()
        r = sign_in(client, name, WRONG)
        answers[name] = (r.status_code, r.text)
        assert len(argon2_calls) == 1, name
    assert answers["nobody-here"] == answers["editor-a"] == answers["viewer-b"]
    argon2_calls.clear()
    assert sign_in(TestClient(app), "viewer-b").status_code == 401     # deactivated, right password
    assert len(argon2_calls) == 1


def test_the_throttle_holds_across_workers(app, world, db_url):
    other_worker = create_app(db_url, migrate=False)
    try:
        one, two = TestClient(app), TestClient(other_worker)
        for client in (one, two, one, two, one):
            assert sign_in(client, "editor-a", WRONG).status_code == 401
        assert sign_in(two, "editor-a").status_code == 429
        assert sign_in(one, "editor-a").status_code == 429
    finally:
        other_worker.state.engine.dispose()


def test_ones_own_success_does_not_reset_an_attackers_count(app, world):
    attacker, owner = TestClient(app), TestClient(app)
    for _ in range(4):
        assert sign_in(attacker, "editor-a", WRONG).status_code == 401
    assert sign_in(owner, "editor-a").status_code == 303          # the real user signs in meanwhile
    assert sign_in(attacker, "editor-a", WRONG).status_code == 401
    assert sign_in(attacker, "editor-a").status_code == 429       # the fifth failure still counted


def test_a_password_spray_from_one_address_is_throttled(app, world):
    spray = TestClient(app)
    for name in ("viewer-a", "editor-b", "viewer-b", "nobody-1", "nobody-2"):
        assert sign_in(spray, name, WRONG).status_code == 401
    assert sign_in(spray, "editor-a").status_code == 429


def test_a_lockout_does_not_lock_out_the_owner_who_proves_a_second_factor(app, world):
    name, totp = owner_with_totp(app, world)
    attacker = TestClient(app)
    for _ in range(5):
        sign_in(attacker, name, WRONG)
    assert sign_in(attacker, name, WRONG, code="123456").status_code == 429
    assert sign_in(attacker, name, code="000000").status_code == 429   # the right password alone is not enough
    assert sign_in(TestClient(app), name, code=totp.now()).status_code == 303
    # An account without a second factor stays locked.
    for _ in range(5):
        sign_in(attacker, "editor-a", WRONG)
    assert sign_in(TestClient(app), "editor-a").status_code == 429


def test_another_site_cannot_sign_the_victim_into_the_attackers_account(app, world):
    """Login CSRF: a page elsewhere auto-submits the attacker's credentials to /login, so that the
    victim then types their notes into the attacker's account."""
    victim = TestClient(app)
    forged = {"username": "editor-b", "password": PASSWORD, "code": ""}
    r = victim.post("/login", data=forged, follow_redirects=False)
    assert r.status_code == 403 and "corridor_session" not in victim.cookies
    attacker = TestClient(app)                    # a token from the attacker's own visit to /login
    stolen = form_token(attacker.get("/login").text)
    r = victim.post("/login", data={**forged, "csrf": stolen}, follow_redirects=False)
    assert r.status_code == 403 and "corridor_session" not in victim.cookies
    victim.get("/login")                          # the victim's own cookie, but a token not made for it
    r = victim.post("/login", data={**forged, "csrf": stolen}, follow_redirects=False)
    assert r.status_code == 403 and "corridor_session" not in victim.cookies
    r = victim.post("/login", data={**forged, "csrf": ""}, follow_redirects=False)
    assert r.status_code == 403 and "corridor_session" not in victim.cookies


@pytest.mark.parametrize("args, field", [
    (["user", "add", "owner-a\u202egnp.exe", "--org", "Free Voice", "--password-stdin"], "username"),
    (["user", "add", "kim\x00", "--org", "Free Voice", "--password-stdin"], "username"),
    (["org", "create", "Free Voice\u2066 (official)"], "name"),
])
def test_names_that_pose_as_others_are_refused(app, world, db_url, monkeypatch, capsys, args, field):
    """A name with a text-direction override or a NUL could show on the organisation page as
    someone else's (Trojan Source, CVE-2021-42574)."""
    import io
    import sys

    from tests.cli_runner import run_in_process

    monkeypatch.setattr(sys, "stdin", io.StringIO(PASSWORD + "\n"))
    code, _out, err = run_in_process(monkeypatch, capsys, *args, "--db", db_url)
    assert code == 2 and field in err and "U+" in err
    assert "gnp.exe" not in err                    # the value is not echoed
    with session_scope(app.state.engine) as s:
        assert s.query(User).count() == 6


def test_a_name_with_a_nul_is_an_ordinary_wrong_sign_in(app, client, world):
    """A NUL in the name must not reach the database (PostgreSQL refuses it: a 500 would tell
    the attacker something, and skip the throttle)."""
    r = sign_in(client, "editor-a\x00", PASSWORD)
    assert r.status_code == 401
