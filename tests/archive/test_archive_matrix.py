"""Every archive page and form × every kind of visitor × organisation A's and B's archive records.

The world is the page matrix's (tests/web/test_page_matrix.py): organisations A and B, a
signed-in browser for each ledger role and each archive role of each, a visitor who is not signed
in and an API token on a page route; each organisation has a witness with a sealed identity, a
reviewed interview and a saved search, all carrying canary strings.

What the archive promises (docs/architecture.md, the archive roles of corridor.access.rules):

- interviewers enter people, consent and interviews; coders code events and media exposure;
  reviewers review redaction, export and unseal; each of them views and searches, in their own
  organisation only. Ledger roles give no archive access at all;
- to anyone without an archive role in the record's organisation an archive URL (an interview,
  a saved search) answers exactly as a missing one does: 404, byte for byte the same page;
- a member who may see a record but lacks the action is refused with 403 or 404, never 422;
- a sealed identity appears in no response but the one a reviewer of its organisation opens with
  the key's passphrase; no other organisation's archive canary appears anywhere;
- a refused write changes nothing in the database.

The Korean name detector (Kiwi) is replaced by one that suggests nothing: this matrix tests who
sees what; tests/archive/test_redaction.py tests the detector.
"""

from __future__ import annotations

import pytest

from corridor.access.rules import ArchiveRole
from tests.web.test_authorization_matrix import changed_tables, routes_of, snapshot
from tests.web.test_page_matrix import (
    KEY_PASSPHRASE,
    ORGS,
    SEALED,
    VISITORS,
    Who,
    assert_nothing_leaks,
    assert_sent_to_sign_in,
    build_matrix,
)

pytestmark = pytest.mark.db

#: What each archive role may do in its own organisation (and nowhere else).
MAY = {ArchiveRole.INTERVIEWER: {"view", "search", "enter"},
       ArchiveRole.CODER: {"view", "search", "code"},
       ArchiveRole.REVIEWER: {"view", "search", "review", "export", "unseal"}}

#: Archive routes and the action each needs.
ARCHIVE_ROUTES = {
    ("GET", "/archive"): "view",
    ("GET", "/archive/interviews/new"): "enter",
    ("GET", "/archive/search"): "search",
    ("GET", "/archive/interviews/{public_id}"): "view",
    ("GET", "/archive/interviews/{public_id}/review/{lang}"): "review",
    ("GET", "/archive/interviews/{public_id}/export"): "export",
    ("GET", "/archive/search/{token}"): "search",
    ("POST", "/archive/interviews/new"): "enter",
    ("POST", "/archive/interviews/{public_id}/events"): "code",
    ("POST", "/archive/interviews/{public_id}/exposures"): "code",
    ("POST", "/archive/interviews/{public_id}/unseal"): "unseal",
    ("POST", "/archive/interviews/{public_id}/review/{lang}"): "review",
    ("POST", "/archive/interviews/{public_id}/export"): "export",
    ("POST", "/archive/search"): "search",
}
TARGETS = [*ORGS, "missing"]
MISSING_INTERVIEW = "I-2222-2222"
MISSING_SEARCH = "Q" * 24


def _no_suggestions(text: str) -> list:
    return []


@pytest.fixture(scope="module")
def matrix(tmp_path_factory):
    from corridor.archive import redact
    from tests.databases import drop_database, fresh_database_url

    url = fresh_database_url(tmp_path_factory.mktemp("archive-matrix"))
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(redact, "detect_ko", _no_suggestions)
        m = build_matrix(url, mp)
        with m.stack:
            yield m
        m.engine.dispose()
    drop_database(url)


def test_the_archive_matrix_covers_every_archive_route(matrix):
    archive = {mp for mp in routes_of(matrix.app) if mp[1].startswith("/archive")}
    assert archive == set(ARCHIVE_ROUTES), (archive ^ set(ARCHIVE_ROUTES))


def may(who: Who, action: str, org: str | None) -> bool:
    """May ``who`` take ``action`` in ``org``'s archive (``org=None``: in any organisation)?"""
    if who.archive is None or action not in MAY[who.archive]:
        return False
    return org is None or org == who.org


def _record_url(m, path: str, target: str) -> str:
    if "{token}" in path:
        return path.format(token=m.searches.get(target, MISSING_SEARCH))
    return path.format(public_id=m.interviews.get(target, MISSING_INTERVIEW), lang="ko")


# --------------------------------------------------------------------------- GET


def _get_cases():
    for method, path in ARCHIVE_ROUTES:
        if method == "GET":
            for target in (TARGETS if "{" in path else [None]):
                yield path, target


GET_CASES = list(_get_cases())


@pytest.mark.parametrize("who", VISITORS, ids=str)
@pytest.mark.parametrize("path, target", GET_CASES, ids=[f"{p}:{t}" if t else p for p, t in GET_CASES])
def test_get_archive_page(matrix, who, path, target):
    m = matrix
    action = ARCHIVE_ROUTES[("GET", path)]
    url = _record_url(m, path, target) if target else path
    client = m.client(who)
    r = client.get(url, follow_redirects=False)
    body = assert_nothing_leaks(m, who, r, url)
    if not who.signed_in:
        assert_sent_to_sign_in(r, url)
        return
    if target is None:                                # the archive's own pages: for role holders
        assert r.status_code == (200 if may(who, action, None) else 404), (url, who, r.status_code)
        return
    if may(who, action, target):
        assert r.status_code == 200, (url, who, r.status_code)
        assert any(c in body for c in m.archive_canaries[target])   # the reader's own record is shown
        return
    if may(who, "view", target):                      # sees the record, lacks the action
        assert r.status_code in (403, 404), (url, who, r.status_code)
        return
    status, text = m.missing(who, "GET", _record_url(m, path, "missing"))
    assert r.status_code == status == 404, (url, who, r.status_code)
    assert r.text == text                             # exactly as if it did not exist


# --------------------------------------------------------------------------- POST


def _post_cases():
    for method, path in ARCHIVE_ROUTES:
        if method == "POST":      # a missing record is posted to beside every refusal that must look like it
            for target in ORGS:
                yield path, target


def _params():
    out = []
    for path, target in _post_cases():
        for who in VISITORS:
            out.append(pytest.param(path, target, who, id=f"{path}:{target}-{who}"))
    return out


def _form(m, who: Who, path: str, target: str) -> dict:
    """What the visitor submits: a complete, valid form (a refusal must come from the rules)."""
    action = ARCHIVE_ROUTES[("POST", path)]
    data = {"csrf": m.csrf.get(who.name, "")}
    org_id = str(m.orgs.get(target, 0))
    if action == "enter":
        data |= {"org_id": org_id, "pseudonym": "Witness entered by form", "sex": "female", "birth_decade": "1990",
                 "province": "Ryanggang", "year_left": "2019", "identity.name": "한지민",
                 "identity.contacts": "+82-10-3333-0101", "consent.internal": "on", "consent_date": "2024-06-01",
                 "consent_method": "written", "interviewer": "staff-9", "interviewed_on": "2024-06-02",
                 "place": "Busan", "lang": "ko", "text": "2019년에 혜산에서 떠났습니다."}
    elif path.endswith("/exposures"):
        data |= {"channel": "usb_sd", "year": "2012", "source": "friend", "influence": "4"}
    elif action == "code":
        data |= {"title": "Entered by form", "act_type": "forced_repatriation", "victim_is_witness": "on",
                 "perpetrator": "china_police", "degree": "direct", "start_date": "2015-03-01",
                 "start_precision": "month", "province": "North Hamgyong", "facility_type": "kuryujang",
                 "source_connection": "victim", "segments": "1"}
    elif action == "unseal":
        data["passphrase"] = KEY_PASSPHRASE                 # the attacker knows the passphrase
    elif action == "export":
        data |= {"use": "internal", "format": "json"}
    elif action == "search":
        data |= {"org_id": org_id, "q": "Hoeryong"}
    return data


@pytest.mark.parametrize("path, target, who", _params())
def test_post_archive_form(matrix, path, target, who):
    m = matrix
    action = ARCHIVE_ROUTES[("POST", path)]
    url = _record_url(m, path, target) if "{" in path else path
    data = _form(m, who, path, target)
    allowed = may(who, action, target)
    client = m.client(who)
    before = None if allowed else snapshot(m.engine)
    r = client.post(url, data=data, follow_redirects=False)
    assert_nothing_leaks(m, who, r, f"POST {url}", unsealed=allowed and action == "unseal")
    if allowed:
        assert r.status_code in (200, 303), (url, who, r.status_code, r.text[:300])
        if action == "unseal":
            assert SEALED[target]["name"] in r.text             # the reviewer sees what it unsealed
        if action == "export":
            assert r.headers["content-disposition"].startswith("attachment")
        return
    assert not changed_tables(before, snapshot(m.engine)), f"POST {url} by {who} changed the database"
    if not who.signed_in:
        assert_sent_to_sign_in(r, url)
    elif "{" in path and may(who, "view", target):
        assert r.status_code in (403, 404), f"POST {url} by {who}: {r.status_code}"
    else:
        assert r.status_code == 404, f"POST {url} by {who}: {r.status_code}"
        if "{" in path:
            status, text = m.missing(who, "POST", _record_url(m, path, "missing"), data)
            assert status == 404 and text == r.text                   # as if it did not exist
