"""Nothing secret reaches a log line.

The server's logs are read by its administrator, copied to collectors and kept for months. The
attack is simply to read them after a day of ordinary use: sign-ins with passwords and TOTP
codes, API tokens, archive searches for a witness's home town, a 500 from a request carrying a
secret. Each secret appears in the requests below and must appear in no line, in either format.
"""

from __future__ import annotations

import io
import json
import logging

import pytest
import sqlalchemy as sa

from corridor.access.rules import ArchiveRole, Role
from corridor.access.tables import Organisation, User
from corridor.archive import records
from corridor.store import session_scope
from corridor.web import logs
from tests.attacks.signin import form_token, sign_in, sign_in_owner
from tests.web.conftest import PASSWORD, bearer

SEARCH = "칠보산수용소탈출Quokka"


@pytest.fixture(params=logs.FORMATS)
def captured(request):
    stream = io.StringIO()
    logs.configure(request.param, stream=stream)
    yield request.param, stream
    for logger in (logs.ACCESS, logs.ERRORS):
        logger.handlers[:] = []
    logging.getLogger("uvicorn.access").disabled = False


def test_a_day_of_use_leaves_no_secret_in_the_logs(app, client, world, captured):
    fmt, stream = captured
    token = world["tokens"][("A", Role.EDITOR)]
    totp = sign_in_owner(app, client, world, "A")                  # password + a TOTP code
    code = totp.now()
    client.get("/dashboard")
    client.cookies.clear()
    assert sign_in(client, "editor-a").status_code == 303           # password
    client.get("/campaigns?q=" + SEARCH)
    assert client.get("/api/v1/campaigns", headers=bearer(token)).status_code == 200
    with session_scope(app.state.engine) as s:
        user = s.execute(sa.select(User).where(User.username == "editor-a")).scalar_one()
        records.grant_role(s, user, s.get(Organisation, world["orgs"]["A"]), ArchiveRole.CODER)
    csrf = form_token(client.get("/archive/search").text)
    client.post("/archive/search", data={"csrf": csrf, "q": SEARCH}, follow_redirects=False)
    client.get("/archive/search?q=" + SEARCH)
    client.post("/login", data={"username": "editor-a", "password": PASSWORD + "x", "code": "123456"})
    text = stream.getvalue()
    lines = text.splitlines()
    assert len(lines) >= 8 and any("/api/v1/campaigns" in ln for ln in lines)
    if fmt == "json":
        assert all(json.loads(ln)["logger"].startswith("corridor.") for ln in lines)
    for secret in (PASSWORD, token, code, SEARCH, "session", "csrf"):
        assert secret not in text, secret
    assert "?" not in text                                          # no query string at all


def test_an_error_line_names_the_type_and_place_not_the_message(captured):
    _fmt, stream = captured
    try:
        raise ValueError(f"could not parse {SEARCH}")
    except ValueError as exc:
        logs.log_exception(exc, "/archive/search")
    text = stream.getvalue()
    assert "ValueError" in text and "test_logs.py" in text and SEARCH not in text
