"""Backup and restore: equal record for record; any damage fails cleanly and changes nothing."""

from __future__ import annotations

import io

import pytest
import sqlalchemy as sa

from corridor.archive import backup, files, records
from corridor.archive.search import Query
from corridor.archive.tables import ArchivePerson
from corridor.errors import CorridorError
from corridor.store import session_scope
from tests.archive.conftest import add_witness, approve_all, clerk

PASS = "backup pass phrase 42"


def _fill(engine, world, tmp_path):
    with session_scope(engine) as s:
        _, iv = add_witness(s, world)
        add_witness(s, world, "B", pseudonym="B-1", consents={"internal", "partners"})
        approve_all(s, world, iv)
        stored = files.store(io.BytesIO(b"%PDF-1.4 /OpenAction /JavaScript (app.alert(1))"), "letter.pdf",
                             folder=tmp_path / "files")
        records.add_media(s, clerk(s, world, "A", "interviewer"), iv, kind="document", filename="letter.pdf",
                          sha256=stored.sha256, size_bytes=stored.size_bytes, stored=True,
                          active_content=stored.active_content)
        records.add_media(s, clerk(s, world, "A", "interviewer"), iv, kind="audio", filename="a.wav", sha256="a" * 64,
                          size_bytes=10, reference="offline drive 3")
        return iv.public_id, stored.sha256


def _snap(engine):
    with session_scope(engine) as s:
        return backup.snapshot(s)


def test_round_trip_is_equal_record_for_record(engine, world, tmp_path):
    _, sha = _fill(engine, world, tmp_path)
    before = _snap(engine)
    blob, summary = backup.make_backup(engine, PASS, files_dir=tmp_path / "files")
    assert summary["files"] == 1 and summary["rows"]["archive_person"] == 2
    assert b"Witness" not in blob and "정영호".encode() not in blob   # encrypted, not merely compressed
    # wipe the archive's rows (as a lost server would), then restore into the same database
    with session_scope(engine) as s:
        for table in reversed(backup.TABLES):
            s.execute(sa.delete(table))
    (tmp_path / "files" / sha).chmod(0o600)
    (tmp_path / "files" / sha).unlink()
    counts = backup.restore(engine, blob, PASS, files_dir=tmp_path / "files")
    assert counts["archive_segment"] == 12
    after = _snap(engine)
    assert after == before
    assert (tmp_path / "files" / sha).read_bytes().startswith(b"%PDF")
    with session_scope(engine) as s:   # the index follows the restored rows; new ids do not collide
        assert records.search(s, clerk(s, world, "A", "coder"), world["orgs"]["A"], Query(q="회령")).hits
        add_witness(s, world, pseudonym="after restore")


@pytest.mark.parametrize("damage", ["flip", "truncate", "append", "header", "wrong_passphrase"])
def test_damaged_backup_fails_cleanly_and_leaves_the_archive_untouched(engine, world, tmp_path, damage):
    _fill(engine, world, tmp_path)
    blob, _ = backup.make_backup(engine, PASS, files_dir=tmp_path / "files")
    with session_scope(engine) as s:   # the archive changes after the backup
        add_witness(s, world, pseudonym="newer")
    before = _snap(engine)
    passphrase = PASS
    if damage == "flip":
        i = len(blob) // 2
        blob = blob[:i] + bytes([blob[i] ^ 0x40]) + blob[i + 1:]
    elif damage == "truncate":
        blob = blob[:-100]
    elif damage == "append":
        blob = blob + b"\0"
    elif damage == "header":
        blob = b"X" + blob[1:]
    else:
        passphrase = "another pass phrase"
    with pytest.raises(CorridorError) as exc:
        backup.restore(engine, blob, passphrase, files_dir=tmp_path / "files")
    if damage in ("flip", "truncate", "append", "wrong_passphrase"):
        assert exc.value.message == "wrong passphrase"   # one answer, no hint of which
    assert _snap(engine) == before


def test_restore_refuses_a_backup_of_organisations_that_do_not_exist(engine, world, tmp_path, db_url):
    _fill(engine, world, tmp_path)
    blob, _ = backup.make_backup(engine, PASS, files_dir=tmp_path / "files")
    with session_scope(engine) as s:
        s.execute(sa.text("UPDATE archive_person SET pseudonym = 'changed'"))
    doc = backup.read_backup(blob, PASS)
    doc["tables"]["archive_person"][0]["org_id"] = 99
    doc["manifest"]["tables"]["archive_person"] = backup._digest(doc["tables"]["archive_person"])
    import json
    import zlib

    from corridor.archive import sealing

    forged = sealing.passphrase_encrypt(zlib.compress(json.dumps(doc).encode()), PASS, magic=backup.MAGIC)
    with pytest.raises(CorridorError, match="organisations do not exist"):
        backup.restore(engine, forged, PASS, files_dir=tmp_path / "files")
    with session_scope(engine) as s:
        assert {p.pseudonym for p in s.execute(sa.select(ArchivePerson)).scalars()} == {"changed"}
