"""Attack: a member who was removed (or deactivated, or whose password was reset, or whose token
was revoked) keeps reading through a session, a token or a cached answer.

Every route that worked for the member refuses on the very next request: the API with the
token (including the fast path's cached answers) and with the cookie, the pages, the dashboard,
the calendar, the export and the archive.
"""

from __future__ import annotations

import io
import sys
from datetime import date

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from corridor.access.rules import Actor, ArchiveRole, Role
from corridor.access.tables import (
    ApiToken,
    ArchiveMembership,
    AuditEntry,
    Membership,
    Organisation,
    User,
)
from corridor.archive import records
from corridor.coalition import ledger
from corridor.store import session_scope
from tests.attacks.signin import form_token, sign_in, sign_in_owner
from tests.cli_runner import run_in_process
from tests.fast_hashing import fast_argon2  # noqa: F401  (an autouse fixture: cheap hashing)
from tests.web.conftest import LS, bearer

API = ["/api/v1/orgs", "/api/v1/campaigns", "/api/v1/campaigns/{cid}", "/api/v1/campaigns/{cid}/activities",
       "/api/v1/calendar", "/api/v1/export.hxl", "/api/v1/aggregates", "/api/v1/overlaps"]
PAGES = ["/campaigns", "/campaigns/{cid}", "/calendar", "/overlaps", "/orgs", "/dashboard",
         "/dashboard/campaigns/{cid}", "/archive"]


@pytest.fixture()
def member(app, world):
    """editor-a with a campaign to read, an archive role, a signed-in browser and an API token."""
    org_id = world["orgs"]["A"]
    owner = Actor(user_id=world["users"][("A", Role.OWNER)], roles={org_id: Role.OWNER})
    with session_scope(app.state.engine) as s:
        c = ledger.create_campaign(s, owner, org_id=org_id, name="Night speakers", channel="loudspeaker",
                                   start_date=date(2024, 7, 1))
        ledger.add_activity(s, owner, c.id, {"id": "ls-1", "start": "2024-07-21T22:00:00+09:00", "spec": LS})
        user = s.get(User, world["users"][("A", Role.EDITOR)])
        records.grant_role(s, user, s.get(Organisation, org_id), ArchiveRole.INTERVIEWER)
        cid = c.id
    browser = TestClient(app)
    assert sign_in(browser, "editor-a").status_code == 303
    token = world["tokens"][("A", Role.EDITOR)]
    script = TestClient(app)
    for url in API:
        for _ in range(2):             # twice: the second answer comes from the caches (and fast path)
            assert script.get(url.format(cid=cid), headers=bearer(token)).status_code == 200, url
        assert browser.get(url.format(cid=cid)).status_code == 200, url
    for url in PAGES:
        assert browser.get(url.format(cid=cid), follow_redirects=False).status_code == 200, url
    return {"cid": cid, "browser": browser, "script": script, "token": token, "user_id": user.id, "org_id": org_id}


def assert_all_refused(m, *, token_too=True, session_too=True):
    """Within one request, nothing works for the member any more."""
    for url in API:
        url = url.format(cid=m["cid"])
        if token_too:
            assert m["script"].get(url, headers=bearer(m["token"])).status_code == 401, url
        if session_too:
            assert m["browser"].get(url).status_code == 401, url
    if session_too:
        for url in PAGES:
            r = m["browser"].get(url.format(cid=m["cid"]), follow_redirects=False)
            assert r.status_code == 303 and r.headers["location"] == "/login", url


def cli(monkeypatch, capsys, db_url, *args, stdin=None):
    if stdin is not None:
        monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
    return run_in_process(monkeypatch, capsys, *args, "--db", db_url)


def audit_actions(app) -> list[str]:
    with session_scope(app.state.engine) as s:
        return list(s.execute(select(AuditEntry.action).order_by(AuditEntry.seq)).scalars())


def test_removed_on_the_organisation_page(app, client, world, member):
    sign_in_owner(app, client, world)
    page = client.get("/orgs").text
    r = client.post(f"/orgs/{member['org_id']}/members/{member['user_id']}/remove",
                    data={"csrf": form_token(page)}, follow_redirects=False)
    assert r.status_code == 303
    assert_all_refused(member)
    with session_scope(app.state.engine) as s:
        assert s.execute(select(Membership).where(Membership.user_id == member["user_id"])).first() is None
        assert s.execute(select(ArchiveMembership).where(ArchiveMembership.user_id == member["user_id"])).first() is None
        assert all(t.revoked for t in s.query(ApiToken).filter_by(user_id=member["user_id"]))
    assert {"org.member.remove", "archive.revoke", "token.revoke"} <= set(audit_actions(app))
    assert sign_in(TestClient(app), "editor-a").status_code == 303       # the account itself lives on
    assert TestClient(app).get("/api/v1/campaigns", headers=bearer(member["token"])).status_code == 401


def test_removed_with_the_cli(app, world, member, db_url, monkeypatch, capsys):
    code, _out, err = cli(monkeypatch, capsys, db_url, "user", "remove", "editor-a", "--org", "Free Voice")
    assert code == 0, err
    assert_all_refused(member)
    assert "org.member.remove" in audit_actions(app)


def test_deactivated_with_the_cli(app, world, member, db_url, monkeypatch, capsys):
    code, _out, err = cli(monkeypatch, capsys, db_url, "user", "deactivate", "editor-a")
    assert code == 0, err
    assert_all_refused(member)
    assert sign_in(TestClient(app), "editor-a").status_code == 401
    assert "user.deactivate" in audit_actions(app)
    code, _out, err = cli(monkeypatch, capsys, db_url, "token", "create", "editor-a", "--org", "Free Voice")
    assert code == 2 and "deactivated" in err


def test_password_reset_with_the_cli(app, world, member, db_url, monkeypatch, capsys):
    new = "another long pass phrase 2"
    code, _out, err = cli(monkeypatch, capsys, db_url, "user", "password", "editor-a", "--password-stdin",
                         stdin=new + "\n")
    assert code == 0, err
    assert_all_refused(member)
    assert sign_in(TestClient(app), "editor-a").status_code == 401
    assert sign_in(TestClient(app), "editor-a", new).status_code == 303
    assert "user.password" in audit_actions(app)


def test_a_revoked_token_is_refused_even_from_the_fast_path(app, world, member, db_url, monkeypatch, capsys):
    with session_scope(app.state.engine) as s:
        from corridor.access.accounts import token_hash

        token_id = s.execute(select(ApiToken.id).where(ApiToken.token_hash == token_hash(member["token"]))).scalar_one()
    code, _out, err = cli(monkeypatch, capsys, db_url, "token", "revoke", str(token_id))
    assert code == 0, err
    assert_all_refused(member, session_too=False)
    assert member["browser"].get("/api/v1/campaigns").status_code == 200       # the person still may


def test_a_lowered_role_takes_effect_at_once(app, client, world, member):
    sign_in_owner(app, client, world)
    page = client.get("/orgs").text
    r = client.post(f"/orgs/{member['org_id']}/members/{member['user_id']}/role",
                    data={"csrf": form_token(page), "role": "viewer"}, follow_redirects=False)
    assert r.status_code == 303
    assert member["browser"].get("/api/v1/campaigns").status_code == 401        # signed out
    body = {"org_id": member["org_id"], "name": "x", "channel": "loudspeaker", "start_date": "2024-01-01"}
    r = member["script"].post("/api/v1/campaigns", json=body, headers=bearer(member["token"]))
    assert r.status_code == 403                                                 # the editor token now reads only


def test_an_archive_role_taken_away_on_the_page(app, client, world, member):
    sign_in_owner(app, client, world)
    page = client.get("/orgs").text
    r = client.post(f"/orgs/{member['org_id']}/members/{member['user_id']}/archive/interviewer/revoke",
                    data={"csrf": form_token(page)}, follow_redirects=False)
    assert r.status_code == 303
    assert member["browser"].get("/archive", follow_redirects=False).status_code != 200
    assert sign_in(TestClient(app), "editor-a").status_code == 303
    assert "archive.revoke" in audit_actions(app)


def test_the_last_owner_cannot_be_removed_or_demoted(app, client, world, db_url, monkeypatch, capsys):
    code, _out, err = cli(monkeypatch, capsys, db_url, "user", "remove", "owner-a", "--org", "Free Voice")
    assert code == 2 and "username='owner-a'" in err and "last owner" in err
    sign_in_owner(app, client, world)
    page = client.get("/orgs").text
    me, org_id = world["users"][("A", Role.OWNER)], world["orgs"]["A"]
    r = client.post(f"/orgs/{org_id}/members/{me}/remove", data={"csrf": form_token(page)})
    assert r.status_code == 422 and "last owner" in r.text
    r = client.post(f"/orgs/{org_id}/members/{me}/role", data={"csrf": form_token(page), "role": "editor"})
    assert r.status_code == 422 and "last owner" in r.text
    assert client.get("/api/v1/orgs").json()[0]["role"] == "owner"


def test_members_and_outsiders_cannot_remove_anyone(app, world):
    editor, outsider = TestClient(app), TestClient(app)
    assert sign_in(editor, "editor-a").status_code == 303
    victim, org_id = world["users"][("A", Role.VIEWER)], world["orgs"]["A"]
    r = editor.post(f"/orgs/{org_id}/members/{victim}/remove", data={"csrf": form_token(editor.get("/orgs").text)})
    assert r.status_code == 403
    assert sign_in(outsider, "editor-b").status_code == 303
    r = outsider.post(f"/orgs/{org_id}/members/{victim}/remove", data={"csrf": form_token(outsider.get("/orgs").text)})
    assert r.status_code == 404
    r = editor.post(f"/orgs/{org_id}/members/{victim}/remove", data={"csrf": "forged"})
    assert r.status_code == 403
    with session_scope(app.state.engine) as s:
        assert s.execute(select(Membership).where(Membership.user_id == victim)).first() is not None

