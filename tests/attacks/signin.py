"""Signing in as a browser does, for the attack tests: fetch the form, post it with its token.

``sign_in`` is the same code as the ``login`` helper of ``tests/web/conftest.py`` once that one
sends the login form's CSRF token; ``owner_with_totp`` gives an owner a known second factor.
"""

from __future__ import annotations

import re

import pyotp

from corridor.access import members
from corridor.access.rules import Role
from corridor.access.tables import User
from corridor.store import session_scope
from tests.web.conftest import PASSWORD


def form_token(html: str) -> str:
    """The ``csrf`` field of the first form on a page ("" when it has none)."""
    m = re.search(r'name="csrf" value="([^"]+)"', html)
    return m.group(1) if m else ""


def sign_in(client, username, password=PASSWORD, code=""):
    """GET /login (sets the pre-session cookie), then POST the form with its token."""
    token = form_token(client.get("/login").text)
    return client.post("/login", data={"username": username, "password": password, "code": code, "csrf": token},
                       follow_redirects=False)


def hidden(html: str, name: str) -> str:
    return re.search(rf'name="{name}" value="([^"]*)"', html).group(1)


def owner_with_totp(app, world, org_key="A") -> tuple[str, pyotp.TOTP]:
    """Give the owner of ``org_key`` a second factor; return their username and its TOTP."""
    secret = pyotp.random_base32()
    with session_scope(app.state.engine) as s:
        user = s.get(User, world["users"][(org_key, Role.OWNER)])
        members.set_totp(s, user, secret)
        name = user.username
    return name, pyotp.TOTP(secret)


def sign_in_owner(app, client, world, org_key="A") -> pyotp.TOTP:
    """A signed-in owner (password and a fresh TOTP code)."""
    name, totp = owner_with_totp(app, world, org_key)
    r = sign_in(client, name, code=totp.now())
    assert r.status_code == 303, r.text
    return totp
