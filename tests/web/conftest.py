"""A real app on a migrated SQLite file, with two organisations and tokens for every role."""

import re
import warnings

import pytest

from tests.fast_hashing import fast_argon2  # noqa: F401  (cheap hashing for many accounts)

warnings.filterwarnings("ignore", message="Using `httpx` with `starlette.testclient`")

from fastapi.testclient import TestClient  # noqa: E402

from corridor.access import members  # noqa: E402
from corridor.access.accounts import new_api_token  # noqa: E402
from corridor.access.rules import Role  # noqa: E402
from corridor.access.tables import ApiToken  # noqa: E402
from corridor.store import session_scope  # noqa: E402
from corridor.web.app import create_app  # noqa: E402

PASSWORD = "a long pass phrase 1"
LS = {"lon": 126.70, "lat": 37.90, "sound_power_db": 160}


@pytest.fixture()
def app(db_url):
    application = create_app(db_url)
    yield application
    application.state.engine.dispose()


def build_world(engine) -> dict:
    """Orgs A and B; a user per role in each; an API token per user (scoped to their org)."""
    out = {"tokens": {}, "orgs": {}, "users": {}}
    with session_scope(engine) as s:
        for key, name in (("A", "Free Voice"), ("B", "Sky Letters")):
            org = members.create_organisation(s, name)
            out["orgs"][key] = org.id
            for role in Role:
                user = members.create_user(s, f"{role.value}-{key}".lower(), PASSWORD)
                members.set_membership(s, user, org, role)
                token, digest = new_api_token()
                s.add(ApiToken(token_hash=digest, org_id=org.id, user_id=user.id, role=role.value))
                out["tokens"][(key, role)] = token
                out["users"][(key, role)] = user.id
    return out


@pytest.fixture()
def world(app):
    """Orgs A and B; a user per role in each; an API token per user (scoped to their org)."""
    return build_world(app.state.engine)


def bearer(token):
    return {"Authorization": f"Bearer {token}"}


def login(client, username, password=PASSWORD, code=""):
    """Sign in as a browser does: GET /login (which sets the pre-session cookie), then post the
    form with its CSRF token."""
    token = csrf_of(client.get("/login").text)
    return client.post("/login", data={"username": username, "password": password, "code": code, "csrf": token},
                       follow_redirects=False)


def csrf_of(html):
    return re.search(r'name="csrf" value="([^"]+)"', html).group(1)


@pytest.fixture()
def client(app):
    return TestClient(app)
