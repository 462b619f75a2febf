"""``corridor archive``: keys and shares, roles, files, export, backup and restore at the command line."""

from __future__ import annotations

import json

import sqlalchemy as sa

from corridor.store import make_engine, session_scope
from tests.archive.conftest import add_witness
from tests.cli_runner import run_in_process


def test_keygen_split_recover(monkeypatch, capsys, tmp_path, db_url):
    from corridor.archive import sealing
    from corridor.archive.tables import ArchiveKey

    monkeypatch.setenv("CORRIDOR_ARCHIVE_PASSPHRASE", "the key pass phrase")
    assert run_in_process(monkeypatch, capsys, "org", "create", "Free Voice", "--db", db_url)[0] == 0
    key = tmp_path / "free-voice.key"
    code, out, _ = run_in_process(monkeypatch, capsys, "archive", "keygen", "--org", "Free Voice",
                                  "--key-out", key, "--db", db_url)
    assert code == 0 and "fingerprint" in out and (key.stat().st_mode & 0o777) == 0o600
    engine = make_engine(db_url)
    with session_scope(engine) as s:
        row = s.execute(sa.select(ArchiveKey)).scalar_one()
        assert row.wrapped_private_key is None      # offline by default: the server has the public key only
    engine.dispose()
    code, out, _ = run_in_process(monkeypatch, capsys, "archive", "split-key", key, "--threshold", "2", "--count", "3")
    shares = [ln for ln in out.splitlines() if len(ln.split()) == 33]
    assert code == 0 and len(shares) == 3
    recovered = tmp_path / "recovered.key"
    monkeypatch.setattr("sys.stdin", __import__("io").StringIO("\n".join([shares[2], shares[0]]) + "\n"))
    code, out, _ = run_in_process(monkeypatch, capsys, "archive", "recover-key", "--key-out", recovered)
    assert code == 0 and row.fingerprint in out
    private = sealing.unwrap_private_key(recovered.read_bytes(), "the key pass phrase")
    assert sealing.fingerprint(sealing.public_of(private)) == row.fingerprint
    # a second key would orphan every sealed identity: refused
    code, _, err = run_in_process(monkeypatch, capsys, "archive", "keygen", "--org", "Free Voice",
                                  "--key-out", tmp_path / "k2", "--db", db_url)
    assert code == 2 and "already has an archive key" in err


def test_export_backup_restore(monkeypatch, capsys, tmp_path, db_url, engine, world):
    with session_scope(engine) as s:
        add_witness(s, world, consents={"internal"})
    out = tmp_path / "export.json"
    code, _, err = run_in_process(monkeypatch, capsys, "archive", "export", "--org", "Free Voice", "--use",
                                  "public", "--out", out, "--db", db_url)
    assert code == 2 and "no consent for public" in err and "nothing was exported" in err and not out.exists()
    code, _, _ = run_in_process(monkeypatch, capsys, "archive", "export", "--org", "Free Voice", "--use",
                                "internal", "--out", out, "--db", db_url)
    assert code == 0 and json.loads(out.read_text())["use"] == "internal"

    monkeypatch.setenv("CORRIDOR_BACKUP_PASSPHRASE", "backup pass phrase 42")
    bak = tmp_path / "archive.bak"
    code, summary, _ = run_in_process(monkeypatch, capsys, "archive", "backup", "--out", bak, "--json", "--db", db_url)
    assert code == 0 and json.loads(summary)["rows"]["archive_interview"] == 1
    code, out_, _ = run_in_process(monkeypatch, capsys, "archive", "restore", bak, "--db", db_url)
    assert code == 0 and "Restored" in out_
    monkeypatch.setenv("CORRIDOR_BACKUP_PASSPHRASE", "not the backup pass")
    code, _, err = run_in_process(monkeypatch, capsys, "archive", "restore", bak, "--db", db_url)
    assert code == 2 and err.strip().endswith("wrong passphrase") and "Traceback" not in err


def test_add_file_flags_active_content(monkeypatch, capsys, tmp_path, db_url, engine, world):
    with session_scope(engine) as s:
        _, iv = add_witness(s, world)
        iv_id = iv.public_id
    doc = tmp_path / "invitation.hwp"
    doc.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 64)
    code, out, _ = run_in_process(monkeypatch, capsys, "archive", "add-file", iv_id, doc, "--db", db_url)
    assert code == 0 and "hwp-document" in out and "never opened" in out
    code, _, err = run_in_process(monkeypatch, capsys, "archive", "grant", "nobody", "--org", "Free Voice",
                                  "--role", "coder", "--db", db_url)
    assert code == 2 and "no such user" in err
