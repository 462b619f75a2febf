"""Attacks on the second factor itself: replaying a code just seen, reading the secret from a
stolen copy of the database."""

from __future__ import annotations

import time

import pyotp
from fastapi.testclient import TestClient
from sqlalchemy import select

from corridor.store import session_scope
from corridor.store.base import Base
from tests.attacks.signin import form_token, owner_with_totp, sign_in
from tests.fast_hashing import fast_argon2  # noqa: F401  (an autouse fixture: cheap hashing)
from tests.web.conftest import PASSWORD


def test_a_code_seen_over_a_shoulder_is_refused_once_used(app, world):
    name, totp = owner_with_totp(app, world)
    code = totp.now()
    assert sign_in(TestClient(app), name, code=code).status_code == 303      # the owner signs in
    assert sign_in(TestClient(app), name, code=code).status_code == 401      # the onlooker replays it


def test_the_code_that_confirmed_a_new_factor_cannot_be_replayed_to_sign_in(app, client, world):
    assert sign_in(client, "editor-a").status_code == 303
    secret = pyotp.random_base32()
    code = pyotp.TOTP(secret).now()
    page = client.get("/account/2fa").text
    r = client.post("/account/2fa", data={"csrf": form_token(page), "secret": secret, "code": code,
                                          "password": PASSWORD}, follow_redirects=False)
    assert r.status_code == 303
    assert sign_in(TestClient(app), "editor-a", code=code).status_code == 401
    later = pyotp.TOTP(secret).at(time.time() + 30)
    assert sign_in(TestClient(app), "editor-a", code=later).status_code == 303


def test_a_copy_of_the_database_holds_no_totp_secret(app, client, world):
    """Every column of every table, read as a thief with the database (not the server key) would."""
    assert sign_in(client, "viewer-a").status_code == 303
    secret = pyotp.random_base32()
    page = client.get("/account/2fa").text
    r = client.post("/account/2fa", data={"csrf": form_token(page), "secret": secret,
                                          "code": pyotp.TOTP(secret).now(), "password": PASSWORD},
                    follow_redirects=False)
    assert r.status_code == 303
    with session_scope(app.state.engine) as s:
        for table in Base.metadata.sorted_tables:
            for row in s.execute(select(table)):
                for value in row:
                    raw = value if isinstance(value, bytes) else str(value).encode()
                    assert secret.encode() not in raw and secret.lower().encode() not in raw, table.name
