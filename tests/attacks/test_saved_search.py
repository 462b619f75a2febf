"""Issue 15, item 2.10: what a saved archive search keeps, and who can open it.

A search for a witness's home town or a perpetrator's name says what an organisation is
working on. Saved searches are kept under a random token so that their URL carries no terms;
the terms themselves are sealed with the server key (kept outside the database). The attacks:
read a copy of the database (every cell and the raw SQLite file) for the terms; open the link as
someone else; and, holding write access to the database but not the server key, move a sealed
blob to another row (another token, another organisation) to have the server open it there.
"""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa

from corridor.access.rules import ArchiveRole, Role
from corridor.access.tables import Organisation, User
from corridor.archive import records
from corridor.archive.tables import ArchiveSavedSearch
from corridor.store import session_scope
from tests.attacks.signin import sign_in as login
from tests.web.conftest import csrf_of

KO_TERM = "칠보산수용소탈출"
EN_TERM = "Quokkavillebroker"


def _grant(app, username, org_key, role, world):
    with session_scope(app.state.engine) as s:
        user = s.execute(sa.select(User).where(User.username == username)).scalar_one()
        records.grant_role(s, user, s.get(Organisation, world["orgs"][org_key]), role)


def _client(app, username):
    from fastapi.testclient import TestClient

    client = TestClient(app)
    assert login(client, username).status_code == 303
    return client


def _save(client, q):
    csrf = csrf_of(client.get("/archive/search").text)
    r = client.post("/archive/search", data={"csrf": csrf, "q": q}, follow_redirects=False)
    assert r.status_code == 303, r.text
    return r.headers["location"].rsplit("/", 1)[1]


def _forms(term: str) -> list[bytes]:
    return [term.encode("utf-8"), term.encode("utf-16-le"), term.encode("utf-16-be"),
            term.lower().encode("utf-8")]


def _every_cell(engine) -> str:
    out = []
    with engine.connect() as conn:
        for table in sa.inspect(engine).get_table_names():
            for row in conn.execute(sa.text(f'SELECT * FROM "{table}"')):
                for v in row:
                    if isinstance(v, (bytes, memoryview)):
                        out += [bytes(v).hex(), bytes(v).decode("utf-8", errors="ignore")]
                    else:
                        out.append(str(v))
    return "\n".join(out)


def test_a_database_copy_holds_no_trace_of_saved_search_terms(app, world, client, db_url):
    _grant(app, "editor-a", "A", ArchiveRole.CODER, world)
    coder = _client(app, "editor-a")
    tokens = [_save(coder, KO_TERM), _save(coder, EN_TERM), _save(coder, f"{KO_TERM} {EN_TERM}")]
    # the owner's link still works and shows the terms back to them
    for token, term in zip(tokens, (KO_TERM, EN_TERM, KO_TERM)):
        page = coder.get(f"/archive/search/{token}")
        assert page.status_code == 200 and term in page.text
    dump = _every_cell(app.state.engine)
    for term in (KO_TERM, EN_TERM):
        assert term not in dump and term.lower() not in dump
    if db_url.startswith("sqlite"):
        app.state.engine.dispose()   # checkpoint the WAL: the files are what a thief copies
        path = Path(db_url.removeprefix("sqlite:///"))
        raw = b"".join(p.read_bytes() for p in path.parent.glob(path.name + "*"))
        for term in (KO_TERM, EN_TERM):
            for form in _forms(term):
                assert form not in raw, term


def test_a_saved_search_answers_not_found_to_anyone_outside_the_archive(app, world):
    _grant(app, "editor-a", "A", ArchiveRole.CODER, world)
    _grant(app, "editor-b", "B", ArchiveRole.CODER, world)
    token = _save(_client(app, "editor-a"), KO_TERM)
    missing = "Q" * 24
    for other in ("editor-b", "viewer-a"):   # another organisation's archive member; a ledger-only colleague
        c = _client(app, other)
        shown, absent = c.get(f"/archive/search/{token}"), c.get(f"/archive/search/{missing}")
        assert shown.status_code == absent.status_code == 404
        assert shown.text == absent.text and KO_TERM not in shown.text
    from fastapi.testclient import TestClient

    r = TestClient(app).get(f"/archive/search/{token}", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/login"
    tok = world["tokens"][("A", Role.EDITOR)]            # an API token of the same user: pages only
    r = TestClient(app).get(f"/archive/search/{token}", headers={"Authorization": f"Bearer {tok}"},
                            follow_redirects=False)
    assert r.status_code in (303, 404) and KO_TERM not in r.text


def test_a_sealed_blob_moved_to_another_row_does_not_open(app, world):
    """An attacker who can write to the database (not read the server key) moves sealed terms."""
    _grant(app, "editor-a", "A", ArchiveRole.CODER, world)
    _grant(app, "editor-b", "B", ArchiveRole.CODER, world)
    victim = _save(_client(app, "editor-a"), KO_TERM)
    attacker = _client(app, "editor-b")
    own = _save(attacker, "harmless")
    engine = app.state.engine
    with session_scope(engine) as s:
        blob = s.get(ArchiveSavedSearch, victim).sealed_params
        s.get(ArchiveSavedSearch, own).sealed_params = blob            # 1. copied into the attacker's own row
    r = attacker.get(f"/archive/search/{own}")
    assert r.status_code == 404 and KO_TERM not in r.text
    with session_scope(engine) as s:                                   # 2. the victim's row moved to the attacker
        row = s.get(ArchiveSavedSearch, victim)
        row.org_id, row.user_id = world["orgs"]["B"], world["users"][("B", Role.EDITOR)]
    r = attacker.get(f"/archive/search/{victim}")
    assert r.status_code == 404 and KO_TERM not in r.text
