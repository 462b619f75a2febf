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
    done = backup.restore(engine, blob, PASS, files_dir=tmp_path / "files")
    assert done.rows["archive_segment"] == 12
    assert [(p.backup_name, p.target_name, p.mapped) for p in done.placements] == [
        ("Free Voice", "Free Voice", False), ("Sky Letters", "Sky Letters", False)]
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


def _forge(doc):
    """Re-encrypt an edited backup document with a consistent manifest (as its maker could)."""
    import json
    import zlib

    from corridor.archive import sealing

    doc["manifest"]["tables"] = {k: backup._digest(v) for k, v in doc["tables"].items()}
    doc["manifest"]["organisations"] = backup._digest(doc["organisations"])
    return sealing.passphrase_encrypt(zlib.compress(json.dumps(doc).encode()), PASS, magic=backup.MAGIC)


def test_restore_refuses_a_backup_of_organisations_that_do_not_exist(engine, world, tmp_path, db_url):
    _fill(engine, world, tmp_path)
    blob, _ = backup.make_backup(engine, PASS, files_dir=tmp_path / "files")
    with session_scope(engine) as s:
        s.execute(sa.text("UPDATE archive_person SET pseudonym = 'changed'"))
    doc = backup.read_backup(blob, PASS)
    doc["tables"]["archive_person"][0]["org_id"] = 99      # a row of an organisation the backup does not describe
    with pytest.raises(CorridorError, match="does not describe"):
        backup.restore(engine, _forge(doc), PASS, files_dir=tmp_path / "files")
    doc["organisations"].append({"id": 99, "name": "Gone Org"})
    with pytest.raises(CorridorError, match="'Gone Org' does not exist here"):
        backup.restore(engine, _forge(doc), PASS, files_dir=tmp_path / "files")
    with session_scope(engine) as s:
        assert {p.pseudonym for p in s.execute(sa.select(ArchivePerson)).scalars()} == {"changed"}


def test_restore_replaces_only_the_backups_organisations(engine, world, tmp_path):
    """A backup that holds one organisation leaves the others' archives exactly as they are; its
    rows are renumbered past the rows kept, references and the search index following."""
    from corridor.archive.tables import ArchiveEvent, ArchiveKey, ArchiveSegment

    with session_scope(engine) as s:
        add_witness(s, world, pseudonym="A-1")
        s.execute(sa.delete(ArchiveKey).where(ArchiveKey.org_id == world["orgs"]["B"]))   # B has no archive yet
    blob, _summary = backup.make_backup(engine, PASS, files_dir=tmp_path / "files")
    assert backup.read_backup(blob, PASS)["organisations"] == [{"id": world["orgs"]["A"], "name": "Free Voice"}]
    with session_scope(engine) as s:
        add_witness(s, world, "B", pseudonym="B-1", identity={})
        add_witness(s, world, pseudonym="A-2 (after the backup)")

    def of_b():
        with session_scope(engine) as s:
            return {t.name: s.execute(sa.select(t).where(backup._owned(t, {world["orgs"]["B"]}))
                                      .order_by(*t.primary_key.columns)).mappings().all()
                    for t in backup.TABLES}

    b_before = of_b()
    done = backup.restore(engine, blob, PASS, files_dir=tmp_path / "files")
    assert [p.target_name for p in done.placements] == ["Free Voice"]
    assert of_b() == b_before
    with session_scope(engine) as s:
        people = {(p.org_id, p.pseudonym) for p in s.execute(sa.select(ArchivePerson)).scalars()}
        assert people == {(world["orgs"]["A"], "A-1"), (world["orgs"]["B"], "B-1")}
        segments = {seg.id: seg for seg in s.execute(sa.select(ArchiveSegment)).scalars()}
        for event in s.execute(sa.select(ArchiveEvent)).scalars():
            assert all(segments[i].org_id == event.org_id for i in event.segment_ids)
        hits = records.search(s, clerk(s, world, "A", "coder"), world["orgs"]["A"], Query(q="회령")).hits
        assert {h.pseudonym for h in hits} == {"A-1"}
        hits = records.search(s, clerk(s, world, "B", "coder"), world["orgs"]["B"], Query(q="회령")).hits
        assert {h.pseudonym for h in hits} == {"B-1"}
        add_witness(s, world, pseudonym="after restore")   # new rows do not collide with the moved ones


def test_a_backup_of_the_first_format_is_restored_only_where_its_keys_match(engine, world, tmp_path):
    """Version 1 recorded no names: only each organisation's archive key can confirm it."""
    from corridor.archive.tables import ArchiveKey

    _fill(engine, world, tmp_path)
    blob, _ = backup.make_backup(engine, PASS, files_dir=tmp_path / "files")
    doc = backup.read_backup(blob, PASS)
    doc["version"] = 1
    doc.pop("organisations")
    doc["manifest"].pop("organisations")
    old = _forge_v1(doc)
    assert backup.restore(engine, old, PASS, files_dir=tmp_path / "files").rows["archive_person"] == 2
    with session_scope(engine) as s:   # organisation B here is given another key
        s.execute(sa.delete(ArchiveKey).where(ArchiveKey.org_id == world["orgs"]["B"]))
        records.create_key(s, world["orgs"]["B"])
    before = _snap(engine)
    with pytest.raises(CorridorError, match="archive key"):
        backup.restore(engine, old, PASS, files_dir=tmp_path / "files")
    assert _snap(engine) == before


def _forge_v1(doc):
    import json
    import zlib

    from corridor.archive import sealing

    return sealing.passphrase_encrypt(zlib.compress(json.dumps(doc).encode()), PASS, magic=backup.MAGIC)
