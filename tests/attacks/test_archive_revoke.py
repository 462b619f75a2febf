"""Issue 15, item 2.4: `corridor archive revoke NAME --org ORG --role ROLE`.

A reviewer leaves (or their laptop is seized). The administrator revokes the archive role; from
the next request on, the pages and routes that role opened refuse the signed-in browser, and
signing in again gives only the roles still held.
"""

from __future__ import annotations

import sqlalchemy as sa
from fastapi.testclient import TestClient

from corridor.access.rules import ArchiveRole
from corridor.access.tables import AuditEntry, Organisation, User
from corridor.archive import records
from corridor.store import session_scope
from tests.archive.conftest import KEY_PASSPHRASE, fast_kdf  # noqa: F401  (cheap Argon2id)
from tests.attacks.signin import sign_in as login
from tests.cli_runner import run_in_process
from tests.web.conftest import csrf_of


def _setup(app, world):
    with session_scope(app.state.engine) as s:
        org = s.get(Organisation, world["orgs"]["A"])
        records.create_key(s, org.id, passphrase=KEY_PASSPHRASE)
        person = records.add_person(s, records.ADMIN, org.id, pseudonym="Witness 5", identity={"name": "박은별"})
        iv = records.add_interview(s, records.ADMIN, person, interviewer="staff", interviewed_on="2024-05-02",
                                   transcripts=[{"lang": "ko", "original": True, "text": "증언"}])
        user = s.execute(sa.select(User).where(User.username == "editor-a")).scalar_one()
        records.grant_role(s, user, org, ArchiveRole.REVIEWER)
        records.grant_role(s, user, org, ArchiveRole.CODER)
        return iv.public_id


def _routes(client, iv):
    """Every archive route the reviewer role opened, with the status it answers."""
    page = client.get(f"/archive/interviews/{iv}", follow_redirects=False)
    csrf = csrf_of(page.text) if page.status_code == 200 else "x"
    return {
        "review": client.get(f"/archive/interviews/{iv}/review/ko", follow_redirects=False).status_code,
        "export": client.get(f"/archive/interviews/{iv}/export", follow_redirects=False).status_code,
        "unseal": client.post(f"/archive/interviews/{iv}/unseal", data={"csrf": csrf, "passphrase": KEY_PASSPHRASE},
                              follow_redirects=False).status_code,
        "interview": page.status_code,
    }


def test_revoked_reviewer_is_refused_from_the_next_request(app, world, monkeypatch, capsys, db_url):
    iv = _setup(app, world)
    browser = TestClient(app)
    assert login(browser, "editor-a").status_code == 303
    assert _routes(browser, iv) == {"review": 200, "export": 200, "unseal": 200, "interview": 200}

    code, out, err = run_in_process(monkeypatch, capsys, "archive", "revoke", "editor-a", "--org", "Free Voice",
                                    "--role", "reviewer", "--db", db_url)
    assert code == 0, err
    assert out.strip() == "editor-a is no longer an archive reviewer of Free Voice (signed out everywhere)"

    # the very next request of the open browser is refused (its session ended)
    after = _routes(browser, iv)
    assert after["review"] == after["export"] == after["interview"] == 303
    assert browser.get("/archive", follow_redirects=False).headers["location"] == "/login"
    # signing in again gives the coder role only: the reviewer's routes refuse
    again = TestClient(app)
    assert login(again, "editor-a").status_code == 303
    routes = _routes(again, iv)
    assert routes["interview"] == 200
    assert routes["review"] == routes["export"] == 404 and routes["unseal"] == 403
    with session_scope(app.state.engine) as s:
        entry = s.execute(sa.select(AuditEntry).where(AuditEntry.action == "archive.revoke")).scalar_one()
        assert entry.actor == "admin" and entry.org_id == world["orgs"]["A"]


def test_revoke_errors_name_the_field(app, world, monkeypatch, capsys, db_url):
    _setup(app, world)
    cases = [
        (["nobody", "--org", "Free Voice", "--role", "reviewer"], "USERNAME"),
        (["editor-a", "--org", "No Such Org", "--role", "reviewer"], "--org"),
        (["editor-a", "--org", "Free Voice", "--role", "owner"], "--role"),
        (["editor-a", "--org", "Free Voice", "--role", "interviewer"], "--role"),   # not held: nothing changed
        (["editor-a", "--org", "Sky Letters", "--role", "reviewer"], "--role"),
    ]
    for args, field in cases:
        code, _out, err = run_in_process(monkeypatch, capsys, "archive", "revoke", *args, "--db", db_url)
        lines = [ln for ln in err.strip().splitlines() if ln.strip()]
        assert code == 2 and len(lines) == 1 and field in lines[0] and "Traceback" not in err, (args, err)
