"""Variants of the issue's attacks, tried as an outsider, a hostile insider of organisation B
(viewer, editor) and an owner of B attacking organisation A.

Each test performs one variant through HTTP and asserts the safe behaviour. A variant that still
worked when it was found was closed, and its test now guards the fix. The variants
already refused are kept as compact regression tests where ``tests/attacks`` did not cover them.
"""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from corridor.access.rules import Role
from tests.attacks.signin import form_token, sign_in, sign_in_owner
from tests.web.conftest import bearer

#: Ids a client may put in a URL that no database integer column holds: just past PostgreSQL's
#: INTEGER, just past SQLite's 64-bit INTEGER, and far past both.
HUGE_IDS = (str(2**31), str(2**63), "9" * 30)


def _campaign(client, world, org="A", channel="radio", name="plan"):
    r = client.post("/api/v1/campaigns", headers=bearer(world["tokens"][(org, Role.EDITOR)]),
                    json={"org_id": world["orgs"][org], "name": name, "channel": channel,
                          "start_date": "2026-01-01"})
    assert r.status_code == 201, r.text
    return r.json()["id"]


def _browser(app, world, username):
    """A browser signed in as ``username`` (an owner gets a second factor first); its CSRF token."""
    c = TestClient(app, raise_server_exceptions=False)
    if username.startswith("owner-"):
        sign_in_owner(app, c, world, username[-1].upper())
    else:
        assert sign_in(c, username).status_code == 303
    return c, form_token(c.get("/orgs").text)


def _page_error(html: str) -> str:
    """The text of a page's error box ("" when none)."""
    m = re.search(r'class="errors"[^>]*>(.*?)</', html, re.DOTALL)
    return " ".join(m.group(1).split()) if m else ""


# --------------------------------------------------------------------------- organisation pages


def test_owner_of_b_cannot_conscript_a_member_of_a(app, world):
    victim, _ = _browser(app, world, "editor-a")
    assert victim.get("/campaigns", follow_redirects=False).status_code == 200
    owner_b, csrf = _browser(app, world, "owner-b")
    r = owner_b.post(f"/orgs/{world['orgs']['B']}/members",
                     data={"csrf": csrf, "username": "editor-a", "role": "owner"})
    assert not re.search(r"[A-Z2-7]{4}(-[A-Z2-7]{4}){4}", r.text)   # no enrolment code for A's member
    assert victim.get("/campaigns", follow_redirects=False).status_code == 200   # not signed out


def test_owner_of_b_cannot_sign_out_a_member_of_a(app, world):
    victim, _ = _browser(app, world, "viewer-a")
    owner_b, csrf = _browser(app, world, "owner-b")
    org_b = world["orgs"]["B"]
    owner_b.post(f"/orgs/{org_b}/members", data={"csrf": csrf, "username": "viewer-a", "role": "viewer"})
    owner_b.post(f"/orgs/{org_b}/members/{world['users'][('A', Role.VIEWER)]}/remove", data={"csrf": csrf})
    assert victim.get("/campaigns", follow_redirects=False).status_code == 200


def test_viewer_cannot_enumerate_accounts_through_the_member_form(app, world):
    c, csrf = _browser(app, world, "viewer-b")
    answers = []
    for name in ("owner-a", "no-such-person"):
        r = c.post(f"/orgs/{world['orgs']['B']}/members", data={"csrf": csrf, "username": name, "role": "viewer"})
        answers.append((r.status_code, _page_error(r.text)))
    assert answers[0] == answers[1]


# --------------------------------------------------------------------------- ids out of range


PAGE_ROUTES = [
    ("get", "/campaigns/{id}"),
    ("post", "/campaigns/{id}/activities"),
    ("post", "/campaigns/{id}/share"),
    ("post", "/orgs/{id}/members"),
    ("post", "/orgs/{org}/members/{id}/role"),
    ("post", "/orgs/{org}/members/{id}/remove"),
    ("post", "/orgs/{id}/members/1/archive/coder/revoke"),
]


def test_page_ids_out_of_range_are_not_found(app, world):
    c, csrf = _browser(app, world, "editor-b")
    failures = []
    for method, route in PAGE_ROUTES:
        for huge in HUGE_IDS:
            url = route.format(id=huge, org=world["orgs"]["B"])
            r = c.get(url) if method == "get" else c.post(url, data={"csrf": csrf, "role": "viewer",
                                                                     "username": "x", "visibility": "private"})
            if r.status_code not in (403, 404, 422):
                failures.append((method, url, r.status_code))
    assert failures == []


def test_api_ids_out_of_range_and_path_tricks_answer_like_a_missing_record(client, world):
    """API ids are bounded to the column's range; padded, signed or dotted ids of another
    organisation's record get the missing record's answer, and a trailing slash redirects to the
    same path without following it into a cached answer."""
    cid = _campaign(client, world)
    eb = bearer(world["tokens"][("B", Role.EDITOR)])
    for huge in HUGE_IDS:
        for url in (f"/api/v1/campaigns/{huge}", f"/api/v1/activities/{huge}",
                    f"/api/v1/campaigns/{huge}/activities"):
            assert client.get(url, headers=eb).status_code == 422, url
    missing = client.get("/api/v1/campaigns/999999", headers=eb)
    for url in (f"/api/v1/campaigns/0{cid}", f"/api/v1/campaigns/+{cid}", f"/api/v1/campaigns/{cid}.0",
                f"/api/v1/campaigns/%20{cid}", f"/api/v1/campaigns/{cid}/activities"):
        r = client.get(url, headers=eb)
        assert (r.status_code, r.content) == (missing.status_code, missing.content), url
    r = client.get(f"/api/v1/campaigns/{cid}/", headers=eb, follow_redirects=True)
    assert (r.status_code, r.content) == (missing.status_code, missing.content)


# --------------------------------------------------------------------------- request bodies


def _hxl(rows: str) -> bytes:
    return ("Activity id,Channel,Start,Spec: site\n#activity +id,#sector +channel,#date +start,#meta +site\n"
            + rows).encode()


def test_an_upload_file_name_is_never_a_path(client, world):
    answers = {}
    for filename in ("plain.csv", "..", "a/..", "x" * 300):
        r = client.post("/api/v1/import", headers=bearer(world["tokens"][("B", Role.EDITOR)]),
                        data={"org_id": str(world["orgs"]["B"])},
                        files={"file": (filename, _hxl("x1,balloon,2026-03-01T00:00:00,nosuchsite\n"), "text/csv")})
        answers[filename[:10]] = r.status_code
    assert set(answers.values()) == {422}, answers


def test_json_depth_bombs_are_refused_without_a_server_error(client, world):
    """Deeply nested JSON (an outsider's, or an editor's inside a spec) is a 400, 401 or 422."""
    cid = _campaign(client, world, org="B")
    editor = {"content-type": "application/json", **bearer(world["tokens"][("B", Role.EDITOR)])}
    for headers, refusals in (({"content-type": "application/json"}, (400, 401)), (editor, (400, 422))):
        for depth in (900, 100_000):
            body = '{"id":"x","start":"2026-01-01T00:00:00","spec":{"station":' + "[" * depth + "]" * depth + "}}"
            r = client.post(f"/api/v1/campaigns/{cid}/activities", content=body, headers=headers)
            assert r.status_code in refusals, (depth, r.status_code)


# --------------------------------------------------------------------------- signing in


def test_sign_in_answers_alike_for_unknown_deactivated_and_unenrolled_owner_accounts(app, world):
    """A wrong password gets the same status, headers, cookies and page (but for its fresh form
    token) for a name nobody has, a live account, a deactivated one and an owner with no second
    factor yet."""
    from corridor.access import members
    from corridor.access.tables import User
    from corridor.store import session_scope

    with session_scope(app.state.engine) as s:
        members.deactivate_user(s, s.get(User, world["users"][("A", Role.VIEWER)]))
    seen = set()
    for name in ("nobody-here", "editor-a", "viewer-a", "owner-a"):
        c = TestClient(app)
        r = sign_in(c, name, password="not the password 7")
        seen.add((r.status_code, tuple(sorted(r.headers.keys())),
                  tuple(h.split("=")[0] for h in r.headers.get_list("set-cookie")),
                  re.sub(r'value="[^"]+"', "", r.text)))
    assert len(seen) == 1


def test_the_account_throttle_holds_for_spellings_of_the_same_name(app, world):
    for _ in range(5):
        sign_in(TestClient(app), "editor-b", password="wrong guess 1")
    for variant in (" editor-b", "EDITOR-B", "Editor-B\t", "editor-b\n"):
        assert sign_in(TestClient(app), variant).status_code == 429, repr(variant)


def test_signing_in_never_keeps_a_session_id_the_browser_brought(app, world):
    """Session fixation (OWASP Session Management Cheat Sheet): a planted session cookie is not
    adopted; sign-in issues a new id."""
    c = TestClient(app)
    planted = "A" * 43
    c.cookies.set("corridor_session", planted)
    r = sign_in(c, "editor-a")
    assert r.status_code == 303
    issued = re.search(r"corridor_session=([^;]+)", "\n".join(r.headers.get_list("set-cookie")))
    assert issued is not None and issued.group(1) != planted
