"""`corridor server-key rotate`: a new server key without re-enrolment, all or nothing.

Done as an administrator would after a suspected breach, on a real app: owners signed in with a
second factor and a saved archive search, then the command. Afterwards the same authenticator
still signs in, every browser is signed out, the saved search is gone, the old key opens
nothing, and the audit log verifies. A sealed value that does not open stops the rotation with
the database and the key file byte for byte as they were.
"""

from __future__ import annotations

import os
import stat
import time
from pathlib import Path

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient

from corridor.access import serverkey
from corridor.access.rules import ArchiveRole
from corridor.access.tables import Organisation, User, WebSession
from corridor.archive import records
from corridor.errors import CorridorError
from corridor.store import session_scope
from tests.attacks.signin import owner_with_totp, sign_in
from tests.cli_runner import run_in_process
from tests.web.conftest import csrf_of


@pytest.fixture(autouse=True)
def own_key(tmp_path, monkeypatch) -> Path:
    """A key file of this test's own (created by the app's start), and an English console."""
    path = tmp_path / "keys" / "server.key"
    monkeypatch.setenv(serverkey.ENV_FILE, str(path))
    monkeypatch.delenv(serverkey.ENV_KEY, raising=False)
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.delenv(name, raising=False)
    return path


def _signed_in(client) -> bool:
    r = client.get("/campaigns", follow_redirects=False)
    return r.status_code == 200


def _save_search(app, world, username="editor-a") -> tuple[TestClient, str]:
    with session_scope(app.state.engine) as s:
        user = s.execute(sa.select(User).where(User.username == username)).scalar_one()
        records.grant_role(s, user, s.get(Organisation, world["orgs"]["A"]), ArchiveRole.CODER)
    coder = TestClient(app)
    assert sign_in(coder, username).status_code == 303
    csrf = csrf_of(coder.get("/archive/search").text)
    r = coder.post("/archive/search", data={"csrf": csrf, "q": "Hyesan"}, follow_redirects=False)
    assert r.status_code == 303, r.text
    token = r.headers["location"].rsplit("/", 1)[1]
    assert coder.get(f"/archive/search/{token}").status_code == 200
    return coder, token


def _sealed_totp(app, username) -> tuple[bytes, str]:
    with session_scope(app.state.engine) as s:
        user = s.execute(sa.select(User).where(User.username == username)).scalar_one()
        return bytes(user.totp_secret), f"totp:user:{user.id}"


def _rotate(monkeypatch, capsys, db_url, *extra) -> tuple[int, str, str]:
    return run_in_process(monkeypatch, capsys, "server-key", "rotate", "--db", db_url, *extra)


def test_rotation_keeps_second_factors_ends_sessions_and_drops_saved_searches(app, world, db_url, own_key,
                                                                             monkeypatch, capsys):
    from corridor.access.audit import audit_report
    from corridor.access.tables import AuditEntry

    name, totp = owner_with_totp(app, world)
    owner = TestClient(app)
    assert sign_in(owner, name, code=totp.now()).status_code == 303 and _signed_in(owner)
    next_code = totp.at(time.time() + 30)            # made from the secret before the rotation
    coder, search = _save_search(app, world)
    old_key = own_key.read_bytes()
    old_sealed, purpose = _sealed_totp(app, name)
    with session_scope(app.state.engine) as s:
        sessions = s.execute(sa.select(sa.func.count()).select_from(WebSession)).scalar_one()
    assert sessions >= 2

    code, out, err = _rotate(monkeypatch, capsys, db_url)
    assert code == 0, err
    assert (f"1 second factor(s) sealed again with the new key, 1 saved search(es) dropped, "
            f"{sessions} session(s) ended") in out
    new_key = own_key.read_bytes()
    assert new_key != old_key and len(bytes.fromhex(new_key.decode().strip())) == serverkey.KEY_BYTES
    for key in (old_key, new_key):                    # never printed
        assert key.decode().strip() not in out + err
    assert stat.S_IMODE(own_key.stat().st_mode) == 0o600
    assert sorted(p.name for p in own_key.parent.iterdir()) == ["server.key"]

    # Every browser is signed out; the saved search is gone.
    assert not _signed_in(owner) and not _signed_in(coder)
    assert sign_in(coder, "editor-a").status_code == 303
    assert coder.get(f"/archive/search/{search}").status_code == 404
    # The same authenticator signs in (a wrong code still does not): nobody enrols again.
    assert sign_in(TestClient(app), name, code="000000" if next_code != "000000" else "111111").status_code == 401
    again = TestClient(app)
    assert sign_in(again, name, code=next_code).status_code == 303 and _signed_in(again)
    # The old key opens neither the old sealed value's replacement nor anything new.
    new_sealed, _ = _sealed_totp(app, name)
    assert new_sealed != old_sealed
    old = bytes.fromhex(old_key.decode().strip())
    with pytest.raises(CorridorError):
        serverkey.open_sealed(new_sealed, purpose, key=old)
    assert serverkey.open_sealed(new_sealed, purpose) == serverkey.open_sealed(old_sealed, purpose, key=old)
    # The audit log verifies, and says what happened in counts only.
    with session_scope(app.state.engine) as s:
        assert audit_report(s).ok
        entries = s.execute(sa.select(AuditEntry).where(AuditEntry.action == "server_key.rotate")).scalars().all()
        assert [e.entity for e in entries] == ["server_key", "user_account"]   # the re-sealed row, by its hash
        assert entries[0].actor.startswith("cli") and entries[1].row_hash is not None


def _database_state(engine) -> dict:
    out = {}
    with engine.connect() as conn:
        for table in sorted(sa.inspect(conn).get_table_names()):
            rows = conn.execute(sa.text(f'SELECT * FROM "{table}"')).all()
            out[table] = sorted(repr(tuple(bytes(v) if isinstance(v, memoryview) else v for v in r)) for r in rows)
    return out


def _files(db_url: str, key: Path) -> dict:
    files = {key: key.read_bytes()}
    if db_url.startswith("sqlite"):
        path = Path(db_url.removeprefix("sqlite:///"))
        files.update({p: p.read_bytes() for p in path.parent.glob(path.name + "*")})
    return files


def test_a_value_that_does_not_open_stops_the_rotation_and_changes_nothing(app, world, db_url, own_key,
                                                                           monkeypatch, capsys):
    name_a, totp_a = owner_with_totp(app, world, "A")
    name_b, _ = owner_with_totp(app, world, "B")
    _save_search(app, world)
    engine = app.state.engine
    with engine.begin() as conn:          # the later account's sealed secret is damaged
        conn.execute(sa.update(User).where(User.username == name_b)
                     .values(totp_secret=b"\x01" + os.urandom(24) + os.urandom(40)))
    engine.dispose()                      # nothing connected: the files are complete
    before_files, before_rows = _files(db_url, own_key), _database_state(engine)
    engine.dispose()

    code, _, err = _rotate(monkeypatch, capsys, db_url)
    assert code == 2 and "Traceback" not in err
    assert f"user={name_b!r}" in err and "nothing was changed" in err
    assert _files(db_url, own_key) == before_files
    assert _database_state(engine) == before_rows
    engine.dispose()
    assert sorted(p.name for p in own_key.parent.iterdir()) == ["server.key"]
    assert sign_in(TestClient(app), name_a, code=totp_a.now()).status_code == 303     # the old key still works


def test_a_key_from_the_environment_needs_out_and_is_never_printed(app, world, db_url, own_key, tmp_path,
                                                                   monkeypatch, capsys):
    name, totp = owner_with_totp(app, world)
    next_code = totp.at(time.time() + 30)
    old_hex = own_key.read_text().strip()
    monkeypatch.setenv(serverkey.ENV_KEY, old_hex)
    own_key.unlink()                                       # no file: the key lives in the environment

    code, _, err = _rotate(monkeypatch, capsys, db_url)
    assert code == 2 and "--out" in err and "CORRIDOR_SERVER_KEY" in err
    taken = tmp_path / "taken.key"
    taken.write_text("something\n")
    code, _, err = _rotate(monkeypatch, capsys, db_url, "--out", taken)
    assert code == 2 and "already exists" in err and taken.read_text() == "something\n"

    new_file = tmp_path / "new.key"
    code, out, err = _rotate(monkeypatch, capsys, db_url, "--out", new_file)
    assert code == 0, err
    new_hex = new_file.read_text().strip()
    assert stat.S_IMODE(new_file.stat().st_mode) == 0o600 and new_hex != old_hex
    assert old_hex not in out + err and new_hex not in out + err
    assert "environment file" in out and str(new_file) in out
    assert sign_in(TestClient(app), name, code=next_code).status_code != 303     # until the new key is set
    monkeypatch.setenv(serverkey.ENV_KEY, new_hex)
    assert sign_in(TestClient(app), name, code=totp.at(time.time() + 30)).status_code == 303


def test_out_is_refused_for_a_key_file(app, db_url, tmp_path, own_key, monkeypatch, capsys):
    before = own_key.read_bytes()
    code, _, err = _rotate(monkeypatch, capsys, db_url, "--out", tmp_path / "x.key")
    assert code == 2 and "--out" in err
    assert own_key.read_bytes() == before and not (tmp_path / "x.key").exists()


def test_an_interrupted_rotation_is_named_and_a_stale_leftover_removed(app, world, db_url, own_key,
                                                                       monkeypatch, capsys):
    from corridor.ops.rotate import rotate_server_key

    name, totp = owner_with_totp(app, world)
    pending = serverkey.pending_path(own_key)
    pending.write_text(serverkey.new_key().hex() + "\n")     # left by an attempt that failed: opens nothing
    rotate_server_key(db_url)
    assert not pending.exists()

    # The rename after the commit fails (as after a power cut): the new key waits beside the old one.
    real_replace = Path.replace

    def broken(self, target):
        if Path(self) == pending:
            raise OSError("disk gone")
        return real_replace(self, target)

    monkeypatch.setattr(Path, "replace", broken)
    with pytest.raises(CorridorError, match="could not replace the key file"):
        rotate_server_key(db_url)
    monkeypatch.setattr(Path, "replace", real_replace)
    assert pending.exists()
    code, _, err = _rotate(monkeypatch, capsys, db_url)
    assert code == 2 and f"mv {pending} {own_key}" in err and pending.exists()
    pending.replace(own_key)                                   # the administrator follows the hint
    assert sign_in(TestClient(app), name, code=totp.now()).status_code == 303
