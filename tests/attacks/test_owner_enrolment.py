"""Attack: with an owner's password alone (phished, reused), bind the attacker's authenticator.

An owner is enrolled only through a one-time code that the server administrator hands over out
of band (``corridor user add --role owner`` or ``corridor user enrol``). A password alone gives
no session and cannot set a second factor; replacing a second factor needs the password and the
current code.
"""

from __future__ import annotations

import io
import sys
import time
from datetime import datetime, timedelta, timezone

import pyotp
from fastapi.testclient import TestClient
from sqlalchemy import update

from corridor.access.rules import Role
from corridor.access.tables import EnrolmentCode, User
from corridor.store import session_scope
from tests.attacks.signin import form_token, hidden, sign_in, sign_in_owner
from tests.cli_runner import run_in_process
from tests.fast_hashing import fast_argon2  # noqa: F401  (an autouse fixture: cheap hashing)
from tests.web.conftest import PASSWORD


def cli(monkeypatch, capsys, db_url, *args, stdin=None):
    if stdin is not None:
        monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
    return run_in_process(monkeypatch, capsys, *args, "--db", db_url)


def new_owner(monkeypatch, capsys, db_url, name="new-owner") -> str:
    """``corridor user add NAME --role owner`` as the administrator runs it; the printed code."""
    code, out, err = cli(monkeypatch, capsys, db_url, "user", "add", name, "--org", "Free Voice", "--role", "owner",
                         "--password-stdin", stdin=PASSWORD + "\n")
    assert code == 0, err
    return out.strip().splitlines()[-1]


def totp_secret_of(app, username):
    with session_scope(app.state.engine) as s:
        user = s.query(User).filter_by(username=username).one()
        return user.totp_secret


def enrol(client, page, enrolment_code, *, secret=None, code=None):
    secret = secret or hidden(page, "secret")
    data = {"csrf": form_token(page), "username": hidden(page, "username"), "ticket": hidden(page, "ticket"),
            "secret": secret, "enrolment_code": enrolment_code,
            "code": code if code is not None else pyotp.TOTP(secret).now()}
    return client.post("/login/enrol", data=data, follow_redirects=False)


def test_a_stolen_password_alone_gives_an_owner_no_session_and_no_second_factor(app, world):
    attacker = TestClient(app)
    r = sign_in(attacker, "owner-a")
    assert "corridor_session" not in attacker.cookies
    assert attacker.get("/api/v1/campaigns").status_code == 401
    assert attacker.get("/campaigns", follow_redirects=False).headers["location"] == "/login"
    # Bind the attacker's own authenticator, as the old set-up page allowed.
    secret = pyotp.random_base32()
    page = attacker.get("/account/2fa").text
    attacker.post("/account/2fa", data={"csrf": form_token(page), "secret": secret, "code": pyotp.TOTP(secret).now(),
                                        "password": PASSWORD}, follow_redirects=False)
    # Or through the enrolment form, guessing the enrolment code.
    if 'name="ticket"' in r.text:
        assert enrol(attacker, r.text, "AAAA-BBBB-CCCC-DDDD-EEEE").status_code == 422
        assert enrol(attacker, r.text, "AAAA-BBBB-CCCC-DDDD-EEEE", secret=secret).status_code == 401
    assert totp_secret_of(app, "owner-a") is None
    assert "corridor_session" not in attacker.cookies


def test_the_real_owner_enrols_once_with_the_code_the_cli_printed(app, client, world, db_url, monkeypatch, capsys):
    code = new_owner(monkeypatch, capsys, db_url)
    r = sign_in(client, "new-owner")
    assert r.status_code == 200 and 'name="enrolment_code"' in r.text
    assert "corridor_session" not in client.cookies
    page = r.text
    assert enrol(client, page, "AAAA-BBBB-CCCC-DDDD-EEEE").status_code == 422      # a guessed code
    assert enrol(client, page, code, code="000000").status_code == 422             # a wrong TOTP code
    own = pyotp.random_base32()                                                    # a swapped secret
    assert enrol(client, page, code, secret=own).status_code == 401
    assert totp_secret_of(app, "new-owner") is None
    r = enrol(client, page, code.lower().replace("-", " "))     # typed as a person may type it
    assert r.status_code == 303 and r.headers["location"] == "/campaigns"
    assert client.get("/campaigns").status_code == 200
    # The code is spent: the same form again (another step's code) is refused.
    later = pyotp.TOTP(hidden(page, "secret")).at(time.time() + 30)
    assert enrol(client, page, code, code=later).status_code in (401, 403, 422)
    with session_scope(app.state.engine) as s:
        assert all(row.used_at is not None for row in s.query(EnrolmentCode))


def test_a_fresh_enrolment_code_voids_the_old_one_and_the_lost_phone(app, world, db_url, monkeypatch, capsys):
    first = new_owner(monkeypatch, capsys, db_url)
    owner = TestClient(app)
    r = enrol(owner, sign_in(owner, "new-owner").text, first)
    assert r.status_code == 303
    lost = totp_secret_of(app, "new-owner")
    # The phone is lost: the administrator issues a new code. The old session and factor end.
    code, out, err = cli(monkeypatch, capsys, db_url, "user", "enrol", "new-owner")
    assert code == 0, err
    second = out.strip().splitlines()[-1]
    assert owner.get("/api/v1/campaigns").status_code == 401
    assert totp_secret_of(app, "new-owner") is None and lost is not None
    again = TestClient(app)
    page = sign_in(again, "new-owner").text
    assert enrol(again, page, first).status_code == 422          # the older code no longer works
    with session_scope(app.state.engine) as s:                   # nor does an expired one
        s.execute(update(EnrolmentCode).values(expires_at=datetime.now(timezone.utc) - timedelta(minutes=1)))
    assert enrol(again, page, second).status_code == 422
    code, out, _ = cli(monkeypatch, capsys, db_url, "user", "enrol", "new-owner")
    assert enrol(again, sign_in(again, "new-owner").text, out.strip().splitlines()[-1]).status_code == 303


def test_an_enrolment_form_is_bound_to_the_browser_that_gave_the_password(app, world, db_url, monkeypatch, capsys):
    code = new_owner(monkeypatch, capsys, db_url)
    victim = TestClient(app)
    page = sign_in(victim, "new-owner").text
    thief = TestClient(app)          # holds the code (e.g. read over a shoulder) and the page, not the cookie
    thief.get("/login")
    data = {"csrf": form_token(thief.get("/login").text), "username": "new-owner", "ticket": hidden(page, "ticket"),
            "secret": hidden(page, "secret"), "enrolment_code": code,
            "code": pyotp.TOTP(hidden(page, "secret")).now()}
    assert thief.post("/login/enrol", data=data, follow_redirects=False).status_code == 401
    assert totp_secret_of(app, "new-owner") is None


def test_replacing_a_second_factor_needs_the_password_and_the_current_code(app, client, world):
    totp = sign_in_owner(app, client, world)      # an unlocked laptop: the attacker has the session only
    before = totp_secret_of(app, "owner-a")
    evil = pyotp.random_base32()

    def replace(**extra):
        page = client.get("/account/2fa").text
        data = {"csrf": form_token(page), "secret": evil, "code": pyotp.TOTP(evil).now(), **extra}
        return client.post("/account/2fa", data=data, follow_redirects=False)

    assert replace().status_code == 422
    assert replace(password=PASSWORD).status_code == 422
    assert replace(current=totp.at(time.time() + 30), password="wrong password!!").status_code == 422
    assert totp_secret_of(app, "owner-a") == before
    # The real owner, moving to a new phone, gives both.
    r = replace(password=PASSWORD, current=totp.at(time.time() + 30))
    assert r.status_code == 303
    assert totp_secret_of(app, "owner-a") != before
    other = TestClient(app)
    assert sign_in(other, "owner-a", code=totp.at(time.time() + 30)).status_code == 401   # the old app is dead
    assert sign_in(other, "owner-a", code=pyotp.TOTP(evil).at(time.time() + 30)).status_code == 303


def test_an_owner_cannot_be_made_by_the_page_without_enrolment(app, client, world):
    """An owner promotes an editor: the editor's password-only session ends, and the page shows
    the one-time code to hand over; the editor then signs in only through enrolment."""
    editor = TestClient(app)
    assert sign_in(editor, "editor-a").status_code == 303
    sign_in_owner(app, client, world)
    page = client.get("/orgs").text
    r = client.post(f"/orgs/{world['orgs']['A']}/members",
                    data={"csrf": form_token(page), "username": "editor-a", "role": Role.OWNER.value})
    assert r.status_code == 200 and 'id="enrolment-code"' in r.text
    assert editor.get("/api/v1/campaigns").status_code == 401
    fresh = TestClient(app)
    assert 'name="enrolment_code"' in sign_in(fresh, "editor-a").text
    assert "corridor_session" not in fresh.cookies
