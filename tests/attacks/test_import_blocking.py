"""Imports that block the coalition: one organisation's large HXL import must not stop the others.

The attack is an editor's ordinary upload: a file of many rows. If the import held the
database's write lock while it checks every row, every other organisation's write would wait
for it and then fail. And when the database really is busy (another writer holds the lock), the
import is answered 503 with ``Retry-After``, never a bare 500, and nothing of it is written.
"""

import threading

import httpx
import sqlalchemy as sa

from corridor.access.rules import Role
from corridor.coalition import ledger
from corridor.coalition.hxl import write_hxl
from tests.web.browser import live_server
from tests.web.conftest import LS, bearer

ROWS = 300


def hxl_file(path, n, org="Free Voice", prefix="imp"):
    rows = [{"org": org, "id": f"{prefix}-{i}", "title": f"Row {i}", "channel": "loudspeaker",
             "provinces": ["Kangwon"], "start": f"2024-07-{1 + i % 28:02d}T{i % 24:02d}:00:00+00:00", "spec": LS}
            for i in range(n)]
    return write_hxl(rows, path).read_bytes()


def b_campaign(client, world):
    r = client.post("/api/v1/campaigns", headers=bearer(world["tokens"][("B", Role.EDITOR)]), json={
        "org_id": world["orgs"]["B"], "name": "B's own", "channel": "loudspeaker", "start_date": "2024-07-01"})
    assert r.status_code == 201, r.text
    return r.json()["id"]


def test_another_organisations_write_succeeds_during_a_large_import(app, client, world, tmp_path, monkeypatch):
    """B's editor adds an activity while A's import is half-way through its rows."""
    data = hxl_file(tmp_path / "big.csv", ROWS)
    cid = b_campaign(client, world)
    under_way, b_done = threading.Event(), threading.Event()
    seen = {"rows": 0}
    checked = ledger._validated

    def validated_and_paused(channel, fields, *, source=None, **kw):
        # Pause A's import in the middle of its rows until B has written: B's write then happens,
        # for certain, while the import is under way (no timing is assumed).
        if source and "big.csv" in source:
            seen["rows"] += 1
            if seen["rows"] == ROWS // 2:
                under_way.set()
                b_done.wait(60)
        return checked(channel, fields, source=source, **kw)

    monkeypatch.setattr(ledger, "_validated", validated_and_paused)
    result = {}
    with live_server(app) as base:
        def upload():
            with httpx.Client(base_url=base, timeout=300) as c:
                result["import"] = c.post("/api/v1/import", headers=bearer(world["tokens"][("A", Role.EDITOR)]),
                                          data={"org_id": str(world["orgs"]["A"])},
                                          files={"file": ("big.csv", data, "text/csv")})

        t = threading.Thread(target=upload)
        t.start()
        try:
            assert under_way.wait(240), "the import never reached its middle row"
            with httpx.Client(base_url=base, timeout=60) as c:
                b = c.post(f"/api/v1/campaigns/{cid}/activities", headers=bearer(world["tokens"][("B", Role.EDITOR)]),
                           json={"id": "b-during", "start": "2024-07-02T21:00:00Z", "spec": LS})
            still_importing = t.is_alive()
        finally:
            b_done.set()
            t.join(300)
    assert still_importing                    # B was answered before the import ended
    assert b.status_code == 201, (b.status_code, b.text)
    assert result["import"].status_code == 200, result["import"].text
    assert result["import"].json()["activities"] == ROWS


def hold_the_write_lock(db_url):
    """Another connection that holds the database's write lock (SQLite) or the audit chain's
    head row (PostgreSQL, where every audited write must lock it), until it is closed."""
    engine = sa.create_engine(db_url)
    conn = engine.connect()
    if engine.dialect.name == "sqlite":
        conn.connection.driver_connection.isolation_level = None      # BEGIN as written, not deferred
        conn.exec_driver_sql("BEGIN IMMEDIATE")
    else:
        conn.exec_driver_sql("SELECT seq FROM audit_head WHERE id = 1 FOR UPDATE")
    return engine, conn


def wait_briefly_for_locks(app):
    """PostgreSQL waits for a row lock without end by default; give the service's connections a
    lock timeout, as SQLite's busy timeout is, so that a held lock shows as an error."""
    engine = app.state.engine
    if engine.dialect.name == "postgresql":
        sa.event.listen(engine, "connect", lambda dbapi, _: dbapi.execute("SET lock_timeout = '1s'"))
        engine.dispose()


def test_a_held_lock_answers_503_with_retry_after_and_writes_nothing(app, client, world, db_url, tmp_path):
    data = hxl_file(tmp_path / "in.csv", 20)
    headers = bearer(world["tokens"][("A", Role.EDITOR)])
    wait_briefly_for_locks(app)
    engine, conn = hold_the_write_lock(db_url)
    try:
        r = client.post("/api/v1/import", headers=headers, data={"org_id": world["orgs"]["A"]},
                        files={"file": ("in.csv", data, "text/csv")})
    finally:
        conn.close()
        engine.dispose()
    assert r.status_code == 503, r.text
    assert r.headers["Retry-After"].isdigit()
    assert "imp-" not in r.text and "lock" not in r.text.lower()     # nothing of the error is echoed
    assert client.get("/api/v1/calendar", headers=headers).json() == []                  # nothing written
    r = client.post("/api/v1/import", headers=headers, data={"org_id": world["orgs"]["A"]},
                    files={"file": ("in.csv", data, "text/csv")})
    assert r.status_code == 200 and r.json()["activities"] == 20          # once free, the same file goes in


def test_a_lock_error_at_commit_answers_503(app, client, world, tmp_path, monkeypatch):
    """The request's transaction is committed after the route returns; a busy database there
    ("database is locked" on COMMIT) is answered like one during the import, never a bare 500."""
    from sqlalchemy.exc import OperationalError
    from sqlalchemy.orm import SessionTransaction

    data = hxl_file(tmp_path / "in.csv", 5)
    headers = bearer(world["tokens"][("A", Role.EDITOR)])
    real_commit = SessionTransaction.commit

    def locked_commit(self, *args, **kwargs):
        held = [*self.session.new, *self.session.identity_map.values()]
        if any(str(getattr(o, "public_id", "")).startswith("imp-") for o in held):
            raise OperationalError("COMMIT", {}, Exception("database is locked"))
        return real_commit(self, *args, **kwargs)

    monkeypatch.setattr(SessionTransaction, "commit", locked_commit)
    r = client.post("/api/v1/import", headers=headers, data={"org_id": world["orgs"]["A"]},
                    files={"file": ("in.csv", data, "text/csv")})
    assert r.status_code == 503 and r.headers["Retry-After"].isdigit(), r.text
    monkeypatch.setattr(SessionTransaction, "commit", real_commit)
    assert client.get("/api/v1/calendar", headers=headers).json() == []
