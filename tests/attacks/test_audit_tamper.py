"""Item 8: an insider with database access tampers with rows or the audit log; `corridor audit
verify` (with an anchor kept off the server) must name what was altered.

The database is built the way the service builds it: accounts and tokens with the CLI, then
sign-ins with a second factor, token use, campaign and activity writes through the web app, and
removals and password resets with the CLI. Only then does the insider act, in plain SQL.
"""

from __future__ import annotations

import io
import json
import re
import sys
import time
from dataclasses import dataclass

import pyotp
import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient

from corridor.access.audit import GENESIS, entry_hash
from corridor.store import make_engine
from corridor.web.app import create_app
from tests.cli_runner import assert_user_error, run_in_process, run_process
from tests.fast_hashing import fast_argon2  # noqa: F401  (cheap hashing for the accounts)

PASSWORD = "a long pass phrase 1"
LS = {"lon": 126.70, "lat": 37.90, "sound_power_db": 160}


@dataclass
class Result:
    returncode: int
    stdout: str
    stderr: str


@pytest.fixture()
def corridor(monkeypatch, capsys):
    """``corridor ARGS`` through the command line's own entry point (in this process, for speed)."""

    def run(*args, stdin: str | None = None) -> Result:
        monkeypatch.setattr(sys, "stdin", io.StringIO(stdin or ""))
        return Result(*run_in_process(monkeypatch, capsys, *args))

    return run


def _hidden_fields(html: str) -> dict[str, str]:
    return dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', html))


def sign_in(client: TestClient, username: str, code: str = "") -> int:
    """Sign in through the form, as a browser does (with whatever hidden fields it carries)."""
    form = _hidden_fields(client.get("/login").text)
    r = client.post("/login", data={**form, "username": username, "password": PASSWORD, "code": code},
                    follow_redirects=False)
    return r.status_code


def build(db: str, corridor) -> dict:
    """A coalition used the ordinary way; returns its tokens and a TOTP secret."""
    for name in ("Free Voice", "Sky Letters"):
        assert corridor("org", "create", name, "--db", db).returncode == 0
    for user, org, role in (("editor-a", "Free Voice", "editor"), ("viewer-a", "Free Voice", "viewer"),
                            ("editor-b", "Sky Letters", "editor"), ("owner-a", "Free Voice", "owner")):
        r = corridor("user", "add", user, "--org", org, "--role", role, "--password-stdin", "--db", db,
                     stdin=PASSWORD + "\n")
        assert r.returncode == 0, r.stderr
    tokens = {}
    for user, org in (("editor-a", "Free Voice"), ("editor-b", "Sky Letters"), ("viewer-a", "Free Voice"),
                      ("owner-a", "Free Voice")):
        role = user.split("-")[0]
        r = corridor("token", "create", user, "--org", org, "--role", role, "--db", db)
        assert r.returncode == 0, r.stderr
        tokens[user] = r.stdout.strip().splitlines()[-1]

    app = create_app(db)
    client = TestClient(app)
    secret = pyotp.random_base32()
    try:
        # An editor signs in, sets up a second factor, and signs in again with a code (the
        # accepted time step is remembered at every sign-in, with no audit entry).
        assert sign_in(client, "editor-a") == 303
        page = client.get("/account/2fa").text
        secret = page.split('name="secret" value="')[1].split('"')[0]
        r = client.post("/account/2fa", data={**_hidden_fields(page), "secret": secret, "password": PASSWORD,
                                              "code": pyotp.TOTP(secret).now()}, follow_redirects=False)
        assert r.status_code == 303, r.text[:300]
        client.cookies.clear()
        assert sign_in(client, "editor-a", pyotp.TOTP(secret).at(time.time() + 30)) == 303
        client.cookies.clear()

        # Tokens in use: campaigns, activities, edits, sharing, deletions (with a cascade).
        a, b = ({"Authorization": f"Bearer {tokens[u]}"} for u in ("editor-a", "editor-b"))
        owner = {"Authorization": f"Bearer {tokens['owner-a']}"}
        with app.state.engine.connect() as conn:
            org_a, org_b = (conn.execute(sa.text("SELECT id FROM organisation WHERE name = :n"), {"n": n}).scalar()
                            for n in ("Free Voice", "Sky Letters"))
        cids = []
        for i, (headers, org) in enumerate(((a, org_a), (a, org_a), (b, org_b))):
            r = client.post("/api/v1/campaigns", headers=headers, json={
                "org_id": org, "name": f"Sound {i}", "channel": "loudspeaker", "start_date": "2024-06-01"})
            assert r.status_code == 201, r.text
            cids.append(r.json()["id"])
            for j in range(2):
                r = client.post(f"/api/v1/campaigns/{cids[-1]}/activities", headers=headers, json={
                    "id": f"ls-{i}-{j}", "start": f"2024-06-0{j + 1}T22:00:00Z", "spec": LS,
                    "provinces": ["Kangwon"]})
                assert r.status_code == 201, r.text
        assert client.patch(f"/api/v1/campaigns/{cids[0]}", headers=a, json={"goal": "reach Kaesong"}).status_code == 200
        assert client.post(f"/api/v1/campaigns/{cids[0]}/share", headers=owner,
                           json={"visibility": "coalition"}).status_code == 200
        aid = client.get(f"/api/v1/campaigns/{cids[0]}/activities", headers=a).json()[0]["id"]
        assert client.patch(f"/api/v1/activities/{aid}", headers=a, json={"title": "night"}).status_code == 200
        assert client.delete(f"/api/v1/activities/{aid}", headers=a).status_code == 204
        assert client.delete(f"/api/v1/campaigns/{cids[1]}", headers=a).status_code == 204   # with its activities
        for _ in range(3):
            assert client.get("/api/v1/campaigns", headers=b).status_code == 200
        assert client.get("/api/v1/campaigns", headers={"Authorization": f"Bearer {tokens['viewer-a']}"}
                          ).status_code == 200
    finally:
        app.state.engine.dispose()

    # Administration at the command line.
    assert corridor("token", "revoke", "3", "--db", db).returncode == 0
    assert corridor("user", "password", "editor-b", "--password-stdin", "--db", db,
                    stdin=PASSWORD + " new\n").returncode == 0
    assert corridor("user", "remove", "viewer-a", "--org", "Free Voice", "--db", db).returncode == 0
    return {"tokens": tokens, "secret": secret, "campaign": cids[0]}


@pytest.fixture()
def coalition_db(db_url, corridor):
    info = build(db_url, corridor)
    engine = make_engine(db_url)
    yield db_url, engine, info
    engine.dispose()


@pytest.fixture()
def verify(corridor):
    return lambda db, *more: corridor("audit", "verify", "--db", db, *more)


def test_a_clean_database_verifies_after_ordinary_use(coalition_db, tmp_path, corridor, verify):
    db, engine, _ = coalition_db
    r = verify(db)
    assert r.returncode == 0, r.stderr
    assert "intact" in r.stdout and "Rows:" in r.stdout
    with engine.connect() as conn:
        seq, digest = conn.execute(sa.text("SELECT seq, hash FROM audit_head")).one()
        rows = conn.execute(sa.text("SELECT count(*) FROM audit_log WHERE row_hash IS NOT NULL")).scalar()
    assert f"Head: entry {seq}, sha256 {digest}" in r.stdout
    assert rows > 20                                   # the writes recorded the rows they left
    anchor = tmp_path / "anchor.json"
    r = corridor("audit", "anchor", "--out", anchor, "--db", db)
    assert r.returncode == 0, r.stderr
    doc = json.loads(anchor.read_text())
    assert (doc["format"], doc["version"], doc["seq"], doc["hash"]) == ("corridor-audit-anchor", 1, seq, digest)
    r = run_process("audit", "verify", "--db", db, "--anchor", anchor)     # a real process, real exit code
    assert r.returncode == 0 and f"entry {seq} is still in the log" in r.stdout
    # A later write extends the log; the anchor still holds.
    assert corridor("org", "create", "Third Group", "--db", db).returncode == 0
    assert verify(db, "--anchor", anchor).returncode == 0


@pytest.mark.parametrize("attack", ["edit", "delete", "insert", "undelete"])
def test_a_row_written_in_sql_without_an_entry_is_named(coalition_db, attack, corridor, verify):
    db, engine, info = coalition_db
    cid = info["campaign"]
    with engine.begin() as conn:
        if attack == "edit":     # make a private campaign look like someone else's, quietly
            conn.execute(sa.text("UPDATE campaign SET name = 'Kaesong drop', goal = '' WHERE id = :id"), {"id": cid})
            expected = f"campaign {cid} was changed without an audited write"
        elif attack == "delete":
            aid = conn.execute(sa.text("SELECT max(id) FROM activity")).scalar()
            conn.execute(sa.text("DELETE FROM activity WHERE id = :id"), {"id": aid})
            expected = f"activity {aid} was deleted without an audited write"
        elif attack == "insert":
            org = conn.execute(sa.text("SELECT min(id) FROM organisation")).scalar()
            conn.execute(sa.text("INSERT INTO campaign (id, org_id, name, channel, goal, start_date, budget_currency,"
                                 " visibility, created_at, updated_at) VALUES (900, :org, 'planted', 'radio', '',"
                                 " '2024-01-01', 'USD', 'coalition', '2024-01-01', '2024-01-01')"), {"org": org})
            expected = "campaign 900 is present but was never audited"
        else:                    # bring back a campaign whose deletion was audited
            row = conn.execute(sa.text("SELECT entity_id FROM audit_log WHERE action = 'campaign.delete'")).scalar()
            org = conn.execute(sa.text("SELECT min(id) FROM organisation")).scalar()
            conn.execute(sa.text("INSERT INTO campaign (id, org_id, name, channel, goal, start_date, budget_currency,"
                                 " visibility, created_at, updated_at) VALUES (:id, :org, 'back', 'radio', '',"
                                 " '2024-01-01', 'USD', 'private', '2024-01-01', '2024-01-01')"),
                         {"id": int(row), "org": org})
            expected = f"campaign {row} is present, but entry"
    r = verify(db)
    assert r.returncode == 1, r.stdout
    assert expected in r.stderr and "Traceback" not in r.stderr


def test_token_and_account_columns_outside_the_exclusions_are_checked(coalition_db, corridor, verify):
    """Un-revoking a token or swapping a password hash in SQL is caught; the exempt columns are not."""
    db, engine, _ = coalition_db
    with engine.begin() as conn:
        conn.execute(sa.text("UPDATE api_token SET last_used_at = '2030-01-01' WHERE id = 1"))
        conn.execute(sa.text("UPDATE user_account SET totp_last_step = 1 WHERE id = 1"))
    assert verify(db).returncode == 0
    with engine.begin() as conn:
        conn.execute(sa.text("UPDATE api_token SET revoked = :f WHERE id = 3"), {"f": False})
        conn.execute(sa.text("UPDATE user_account SET password_hash = 'x' WHERE username = 'owner-a'"))
    r = verify(db)
    assert r.returncode == 1
    assert "api_token 3 was changed" in r.stderr and "user_account" in r.stderr


def _rechain(conn, from_seq: int) -> None:
    """What a careful insider does after editing entries: recompute every hash from ``from_seq``
    on, and the head, so that the chain alone verifies."""
    from corridor.access.tables import AuditEntry

    rows = conn.execute(sa.select(AuditEntry.__table__).order_by(AuditEntry.seq)).mappings().all()
    prev = GENESIS
    for row in rows:
        if row["seq"] >= from_seq:
            fields = {k: row[k] for k in ("seq", "at", "actor", "org_id", "action", "entity", "entity_id",
                                          "before", "after")}
            if row["row_hash"] is not None:
                fields.update(row_pk=row["row_pk"], row_hash=row["row_hash"])
            digest = entry_hash(prev, fields)
            conn.execute(sa.text("UPDATE audit_log SET prev_hash = :p, hash = :h WHERE seq = :s"),
                         {"p": prev, "h": digest, "s": row["seq"]})
            prev = digest
        else:
            prev = row["hash"]
    last = rows[-1]["seq"] if rows else 0
    conn.execute(sa.text("UPDATE audit_head SET seq = :s, hash = :h WHERE id = 1"), {"s": last, "h": prev})


def test_a_truncated_log_is_caught_by_the_anchor(coalition_db, tmp_path, corridor, verify):
    db, engine, _ = coalition_db
    anchor = tmp_path / "anchor.json"
    assert corridor("audit", "anchor", "--out", anchor, "--db", db).returncode == 0
    anchored = json.loads(anchor.read_text())["seq"]
    with engine.begin() as conn:        # drop the last entries and make the head point at the new last one
        conn.execute(sa.text("DELETE FROM audit_log WHERE seq > :s"), {"s": anchored - 3})
        seq, digest = conn.execute(sa.text("SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1")).one()
        conn.execute(sa.text("UPDATE audit_head SET seq = :s, hash = :h WHERE id = 1"), {"s": seq, "h": digest})
    r = verify(db, "--anchor", anchor)
    assert r.returncode == 1
    assert "truncated" in r.stderr and f"entry {anchored}" in r.stderr and "anchor.json" in r.stderr


def test_a_rewritten_tail_is_caught_by_the_anchor(coalition_db, tmp_path, corridor, verify):
    db, engine, _ = coalition_db
    anchor = tmp_path / "anchor.json"
    assert corridor("audit", "anchor", "--out", anchor, "--db", db).returncode == 0
    anchored = json.loads(anchor.read_text())["seq"]
    with engine.begin() as conn:        # blame someone else for the last writes, consistently
        conn.execute(sa.text("UPDATE audit_log SET actor = 'user:1' WHERE seq > :s"), {"s": anchored - 4})
        _rechain(conn, anchored - 3)
    r = verify(db)
    assert r.returncode == 0, r.stderr              # the chain alone cannot tell
    r = verify(db, "--anchor", anchor)
    assert r.returncode == 1
    assert "rewritten" in r.stderr and f"entry {anchored}" in r.stderr


def test_a_whole_log_rewritten_or_another_databases_anchor_is_named(coalition_db, tmp_path, corridor, verify):
    db, engine, _ = coalition_db
    anchor = tmp_path / "anchor.json"
    assert corridor("audit", "anchor", "--out", anchor, "--db", db).returncode == 0
    with engine.begin() as conn:
        conn.execute(sa.text("UPDATE audit_log SET at = '2020-01-01T00:00:00+00:00' WHERE seq = 1"))
        _rechain(conn, 1)
    r = verify(db, "--anchor", anchor)
    assert r.returncode == 1 and "entry 1 differs" in r.stderr


@pytest.mark.parametrize("content, field", [
    (b"\x00\x01not json", "not JSON"),
    (json.dumps({"format": "something-else"}).encode(), "format"),
    (json.dumps({"format": "corridor-audit-anchor", "version": 9}).encode(), "version"),
    (json.dumps({"format": "corridor-audit-anchor", "version": 1, "seq": "12"}).encode(), "seq"),
    (json.dumps({"format": "corridor-audit-anchor", "version": 1, "seq": 3, "hash": "secret-ish"}).encode(), "hash"),
])
def test_a_damaged_or_foreign_anchor_is_one_line_naming_file_and_field(coalition_db, tmp_path, content, field,
                                                                       verify):
    db, _, _ = coalition_db
    path = tmp_path / "anchor.json"
    path.write_bytes(content)
    r = verify(db, "--anchor", path)
    assert_user_error(r, "anchor.json", field)
    assert "secret-ish" not in r.stderr                   # the file's content is never echoed
    assert_user_error(verify(db, "--anchor", tmp_path / "missing.json"), "missing.json", "no such file")


def test_a_broken_log_is_not_anchored(coalition_db, tmp_path, corridor, verify):
    db, engine, info = coalition_db
    with engine.begin() as conn:
        conn.execute(sa.text("UPDATE campaign SET goal = 'x' WHERE id = :id"), {"id": info["campaign"]})
    out = tmp_path / "anchor.json"
    r = corridor("audit", "anchor", "--out", out, "--db", db)
    assert r.returncode == 1 and "No anchor written" in r.stderr and not out.exists()


def test_a_database_from_before_row_hashes_still_verifies(coalition_db, corridor, verify):
    """Entries written before rows were recorded carry no row hash; their chain still verifies and
    their rows are reported as not compared, never as altered."""
    db, engine, _ = coalition_db
    with engine.begin() as conn:
        conn.execute(sa.text("UPDATE audit_log SET row_pk = NULL, row_hash = NULL"))
        _rechain(conn, 1)
    r = verify(db)
    assert r.returncode == 0, r.stderr
    assert "Rows: 0 match" in r.stdout
