"""Whole-coalition backups: a restore drill on SQLite and PostgreSQL, and every refusal.

The drill fills a coalition through the ledger's, the archive's and the evidence's own
operations, backs it up, restores it into empty databases, and compares every row; the audit
log must verify on each. A damaged, truncated or foreign backup, a wrong key and a database
that does not answer are each refused in one line, with the target unchanged.
"""

from __future__ import annotations

import io
import json
import os
import stat
from datetime import date
from pathlib import Path

import nacl.pwhash
import pytest
import sqlalchemy as sa
from typer.testing import CliRunner

from corridor.access.setup import prepare_database
from corridor.errors import CorridorError
from corridor.store import make_engine, session_scope
from tests.archive.conftest import KEY_PASSPHRASE, SECRETS, add_witness
from tests.databases import POSTGRES_ENV, drop_database, fresh_database_url
from tests.fast_hashing import fast_argon2  # noqa: F401

ROOT = Path(__file__).resolve().parents[2]
PASSPHRASE = "correct horse battery staple"
LS = {"lon": 126.70, "lat": 37.90, "sound_power_db": 160}
PG_DEFAULT = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
#: Every test here uses a database (copies of one filled coalition): run again on PostgreSQL by CI.
pytestmark = pytest.mark.db


@pytest.fixture(autouse=True)
def fast_kdf(monkeypatch):
    """Argon2id at its minimum for tests (the product keeps libsodium's "moderate" limits)."""
    from corridor.archive import sealing
    from corridor.ops import backup

    monkeypatch.setattr(backup, "OPSLIMIT", nacl.pwhash.argon2id.OPSLIMIT_MIN)
    monkeypatch.setattr(backup, "MEMLIMIT", nacl.pwhash.argon2id.MEMLIMIT_MIN)
    defaults = sealing.passphrase_encrypt.__kwdefaults__
    monkeypatch.setitem(defaults, "opslimit", nacl.pwhash.argon2id.OPSLIMIT_MIN)
    monkeypatch.setitem(defaults, "memlimit", nacl.pwhash.argon2id.MEMLIMIT_MIN)


def _postgres_base() -> str | None:
    """The PostgreSQL server of the test run, if one answers."""
    base = os.environ.get(POSTGRES_ENV) or PG_DEFAULT
    try:
        engine = sa.create_engine(base, connect_args={"connect_timeout": 3})
        with engine.connect():
            pass
        engine.dispose()
    except Exception:  # noqa: BLE001  (no server of any kind: the test is skipped)
        return None
    return base


def _fresh_sqlite(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'restored.db'}"


@pytest.fixture()
def pg_target(monkeypatch, tmp_path):
    """An empty PostgreSQL schema (skipped when no server answers)."""
    base = _postgres_base()
    if base is None:
        pytest.skip("no PostgreSQL server answers (set CORRIDOR_TEST_POSTGRES_URL)")
    monkeypatch.setenv(POSTGRES_ENV, base)
    url = fresh_database_url(tmp_path)
    yield url
    drop_database(url)


pg = pytest.mark.db


@pytest.fixture()
def files_dir(tmp_path):
    return tmp_path / "archive-files"


def _fill(url: str, files_dir: Path) -> dict:
    """A filled coalition: two organisations, accounts, campaigns with activities, an evidence
    import, an archive with a sealed identity, an interview and a stored file, and the audit log."""
    from corridor.access import members
    from corridor.access.rules import Actor, ArchiveRole, Role
    from corridor.access.tables import User
    from corridor.archive import files as files_mod
    from corridor.archive import records
    from corridor.coalition import ledger
    from corridor.evidence.importing import read_any
    from corridor.evidence.storage import import_respondents

    engine = make_engine(url)
    world = {"orgs": {}, "users": {}, "keys": {}}
    with session_scope(engine) as s:
        for key, name in (("A", "Free Voice"), ("B", "Sky Letters")):
            org = members.create_organisation(s, name)
            world["orgs"][key] = org.id
            for role in ArchiveRole:
                user = members.create_user(s, f"{role.value}-{key}".lower(), "a long pass phrase 1")
                members.set_membership(s, user, org, Role.VIEWER)
                records.grant_role(s, user, org, role)
                world["users"][(key, role.value)] = user.id
            editor = members.create_user(s, f"editor-{key}".lower(), "a long pass phrase 1")
            members.set_membership(s, editor, org, Role.EDITOR)
            world["users"][(key, "editor")] = editor.id
            world["keys"][key] = records.create_key(s, org.id, passphrase=KEY_PASSPHRASE)
    with session_scope(engine) as s:
        for key in ("A", "B"):
            org_id = world["orgs"][key]
            editor = Actor(world["users"][(key, "editor")], {org_id: Role.EDITOR}, label=f"editor-{key}")
            c = ledger.create_campaign(s, editor, org_id=org_id, name=f"Border sound {key}", channel="loudspeaker",
                                       start_date=date(2024, 6, 1), budget_amount=1_364_000, budget_currency="KRW")
            for i in range(3):
                ledger.add_activity(s, editor, c.id, {"id": f"ls-{key}-{i}", "start": f"2024-06-0{i + 1}T22:00:00+09:00",
                                                      "spec": LS, "provinces": ["Kaesong"]})
    with session_scope(engine) as s:
        _, iv = add_witness(s, world, "A")
        stored = files_mod.store(io.BytesIO(b"interview audio, pretend\n" * 50), "iv.ogg", folder=files_dir)
        interviewer = records.clerk_for(s, s.get(User, world["users"][("A", "interviewer")]))
        records.add_media(s, interviewer, iv, kind="audio", filename="iv.ogg", sha256=stored.sha256,
                          size_bytes=stored.size_bytes, stored=True)
    data, fmt, _ = read_any(ROOT / "examples" / "evidence" / "synthetic-survey.csv")
    import_respondents(data, url=url, source_format=fmt)
    engine.dispose()
    return world


@pytest.fixture(scope="module")
def filled(tmp_path_factory, _isolated_dirs):
    """One filled coalition per test module, kept as a template (filling it takes seconds: the
    archive keys and the evidence import), with its file store. Each test gets a copy."""
    from argon2 import PasswordHasher

    from corridor.access import accounts
    from corridor.archive import sealing
    from tests.databases import make_template

    folder = tmp_path_factory.mktemp("filled")
    with pytest.MonkeyPatch.context() as mp:      # the cheap hashes of fast_argon2 and fast_kdf
        mp.setattr(accounts, "_HASHER", PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))
        defaults = sealing.passphrase_encrypt.__kwdefaults__
        mp.setitem(defaults, "opslimit", nacl.pwhash.argon2id.OPSLIMIT_MIN)
        mp.setitem(defaults, "memlimit", nacl.pwhash.argon2id.MEMLIMIT_MIN)
        url = make_template(folder)
        world = _fill(url, folder / "archive-files")
    yield {"url": url, "world": world, "files": folder / "archive-files"}
    drop_database(url)


@pytest.fixture()
def source(filled, files_dir, tmp_path):
    """A copy of the filled coalition (database and file store) for one test."""
    import shutil

    from tests.databases import migrated_database_url

    url = migrated_database_url(filled["url"], tmp_path)
    shutil.copytree(filled["files"], files_dir)
    engine = make_engine(url)
    yield {**filled["world"], "engine": engine, "url": url}
    engine.dispose()
    drop_database(url)


def _rows(url: str) -> dict[str, list[tuple]]:
    """Every row of every table, as Python values, times in UTC without a zone (for comparing
    the same rows held by SQLite and PostgreSQL)."""
    from datetime import UTC, datetime

    def plain(v):
        if isinstance(v, datetime) and v.tzinfo:
            return v.astimezone(UTC).replace(tzinfo=None)
        if isinstance(v, memoryview):
            return bytes(v)
        return v

    engine = make_engine(url)
    meta = sa.MetaData()
    out = {}
    with engine.connect() as conn:
        names = [n for n in sa.inspect(conn).get_table_names()
                 if not n.startswith(("archive_segment_fts", "sqlite_")) and n != "alembic_version"]
        meta.reflect(bind=conn, only=names)
        for t in meta.sorted_tables:
            pk = list(t.primary_key.columns) or list(t.columns)
            cols = sorted(c.name for c in t.columns)
            out[t.name] = [tuple(plain(r[c]) for c in cols) for r in conn.execute(sa.select(t).order_by(*pk)).mappings()]
    engine.dispose()
    return out


def _audit(url: str):
    from sqlalchemy.orm import Session

    from corridor.access.audit import audit_report

    engine = make_engine(url)
    with Session(engine) as s:
        report = audit_report(s)
    engine.dispose()
    return report


def _secret():
    from corridor.ops.backup import Secret

    return Secret(passphrase=PASSPHRASE)


def _backup(source, tmp_path, secret=None) -> Path:
    from corridor.ops.backup import make_backup

    out = tmp_path / "coalition.backup"
    make_backup(source["url"], out, secret or _secret(), files_dir=tmp_path / "archive-files")
    return out


def _compare(src: str, dst: str, head: int) -> None:
    """Every row the same, except the restore's own audit entries after the backup's head."""
    a, b = _rows(src), _rows(dst)
    for skipped in ("web_session", "access_failure"):
        a.pop(skipped, None)
        b.pop(skipped, None)
    assert set(a) == set(b)
    log_a, log_b = a.pop("audit_log"), b.pop("audit_log")
    a.pop("audit_head"), b.pop("audit_head")
    assert a == b
    assert len(log_a) == head and log_b[:head] == log_a


def _drill(source, tmp_path, target: str) -> None:
    from corridor.access.tables import User
    from corridor.archive import records, sealing
    from corridor.archive.search import Query
    from corridor.archive.tables import ArchivePerson
    from corridor.ops.backup import restore

    before = _audit(source["url"])
    assert before.ok and before.entries > 20
    out = _backup(source, tmp_path)
    restored_files = tmp_path / "restored-files"
    done = restore(target, out, _secret(), files_dir=restored_files)
    assert done.audit_ok and not done.replaced
    _compare(source["url"], target, before.head_seq)
    after = _audit(target)
    assert after.ok, after.first_problem()
    # The restore is the log's last entry; entries before it are the source's, unchanged.
    assert after.head_seq >= before.head_seq + 1
    assert done.rows["activity"] == 6 and done.rows["evidence_respondent"] == 1000
    # The sealed identity is still sealed, and opens with the organisation's private key only.
    engine = make_engine(target)
    with session_scope(engine) as s:
        person = s.execute(sa.select(ArchivePerson)).scalar_one()
        assert SECRETS["name"].encode() not in bytes(person.sealed_identity)
        assert sealing.open_identity(source["keys"]["A"].private, person.sealed_identity)["name"] == SECRETS["name"]
        # The archive works on the restored database: its full-text search and its file store.
        reader = records.clerk_for(s, s.get(User, source["users"][("A", "reviewer")]))
        found = records.search(s, reader, source["orgs"]["A"], Query(q="Hoeryong"))
        assert len(found.hits) >= 1
    engine.dispose()
    assert len(list(restored_files.iterdir())) == 1
    # A new record gets a fresh number (the sequences were moved past the restored rows).
    with session_scope(make_engine(target)) as s:
        from corridor.access import members

        org = members.create_organisation(s, "New Group")
        assert org.id > max(source["orgs"].values())
    assert _audit(target).ok


def test_restore_drill_into_an_empty_sqlite_file(source, tmp_path):
    _drill(source, tmp_path, _fresh_sqlite(tmp_path))


@pg
def test_restore_drill_into_an_empty_postgresql_schema(source, tmp_path, pg_target):
    _drill(source, tmp_path, pg_target)


@pg
def test_restore_into_a_migrated_empty_postgresql_schema_and_back_to_sqlite(source, tmp_path, pg_target):
    """A schema made by `corridor db upgrade` with no rows is empty; a backup of the restored
    PostgreSQL coalition restores into SQLite again, the audit log intact at every step."""
    from corridor.ops.backup import make_backup, restore

    prepare_database(pg_target)
    out = _backup(source, tmp_path)
    restore(pg_target, out, _secret(), files_dir=tmp_path / "f1")
    again = tmp_path / "again.backup"
    made = make_backup(pg_target, again, _secret(), files_dir=tmp_path / "f1")
    assert made.manifest["dialect"] == "postgresql" and made.manifest["audit"]["verified"] is True
    back = f"sqlite:///{tmp_path / 'back.db'}"
    restore(back, again, _secret(), files_dir=tmp_path / "f2")
    assert _audit(back).ok
    _compare(pg_target, back, made.manifest["audit"]["seq"])


def test_backup_to_a_public_key_opens_only_with_its_private_key(source, tmp_path):
    from corridor.ops import backup

    keys = backup.new_backup_keys()
    backup.write_key_files(keys, tmp_path / "backup.pub", tmp_path / "backup.key")
    assert stat.S_IMODE((tmp_path / "backup.key").stat().st_mode) == 0o600
    out = _backup(source, tmp_path, backup.Secret(public_key=backup.read_public_key(tmp_path / "backup.pub")))
    manifest = backup.verify_backup(out, backup.Secret(private_key=backup.read_private_key(tmp_path / "backup.key")))
    assert manifest["tables"]["activity"]["rows"] == 6
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    other = backup.new_backup_keys()
    with pytest.raises(CorridorError, match="encrypted to another key"):
        backup.verify_backup(out, backup.Secret(private_key=other.private))
    with pytest.raises(CorridorError, match="encrypted to a public key"):
        backup.verify_backup(out, _secret())
    # The content is not readable without the key: no name, no campaign title, no identity.
    blob = out.read_bytes()
    for secret_text in (b"Free Voice", b"Border sound", SECRETS["name"].encode()):
        assert secret_text not in blob


def test_manifest_records_revision_version_coalition_and_audit_head(source, tmp_path):
    from corridor import __version__
    from corridor.ops.backup import head_revision, verify_backup

    out = _backup(source, tmp_path)
    m = verify_backup(out, _secret())
    report = _audit(source["url"])
    assert m["schema_revision"] == head_revision() and m["corridor_version"] == __version__
    assert m["audit"]["seq"] == report.head_seq and m["audit"]["hash"] == report.head_hash
    assert m["audit"]["verified"] is True
    with session_scope(source["engine"]) as s:
        first = s.execute(sa.text("SELECT hash FROM audit_log WHERE seq = 1")).scalar()
    assert m["coalition"] == first
    assert m["tables"]["archive_person"]["rows"] == 1 and m["tables"]["organisation"]["rows"] == 2
    assert "web_session" not in m["tables"] and "alembic_version" not in m["tables"]
    assert len(m["files"]) == 1


# --------------------------------------------------------------------------- refusals


def _target_with_coalition(tmp_path, name="Other Coalition Group") -> str:
    """A database holding a coalition of its own (one organisation)."""
    from corridor.access import members

    url = f"sqlite:///{tmp_path / 'target.db'}"
    prepare_database(url)
    engine = make_engine(url)
    with session_scope(engine) as s:
        members.create_organisation(s, name)
    engine.dispose()
    return url


def _refused(fn, *fragments) -> str:
    with pytest.raises(CorridorError) as err:
        fn()
    line = err.value.one_line()
    assert "\n" not in line
    for fragment in fragments:
        assert fragment in line, line
    return line


def test_truncated_backup_is_refused_and_the_target_unchanged(source, tmp_path):
    from corridor.ops.backup import restore

    out = _backup(source, tmp_path)
    target = _target_with_coalition(tmp_path)
    before = _rows(target)
    cut = tmp_path / "cut.backup"
    cut.write_bytes(out.read_bytes()[: len(out.read_bytes()) * 2 // 3])
    _refused(lambda: restore(target, cut, _secret(), force=True), "truncated")
    assert _rows(target) == before
    fresh = tmp_path / "fresh.db"
    _refused(lambda: restore(f"sqlite:///{fresh}", cut, _secret()), "truncated")
    assert not fresh.exists()


@pytest.mark.parametrize("where", [0.1, 0.5, 0.99])
def test_one_flipped_byte_is_refused_and_the_target_unchanged(source, tmp_path, where):
    from corridor.ops.backup import restore

    out = _backup(source, tmp_path)
    target = _target_with_coalition(tmp_path)
    before = _rows(target)
    blob = bytearray(out.read_bytes())
    blob[int(len(blob) * where)] ^= 0x01
    bad = tmp_path / "flipped.backup"
    bad.write_bytes(bytes(blob))
    _refused(lambda: restore(target, bad, _secret(), force=True), "damaged")
    assert _rows(target) == before


def test_a_flipped_header_byte_is_refused(source, tmp_path):
    from corridor.ops.backup import MAGIC, verify_backup

    out = _backup(source, tmp_path)
    for i in (3, len(MAGIC) + 2, len(MAGIC) + 1 + 32 + 3):   # magic, salt, length
        blob = bytearray(out.read_bytes())
        blob[i] ^= 0x40
        bad = tmp_path / f"h{i}.backup"
        bad.write_bytes(bytes(blob))
        with pytest.raises(CorridorError):
            verify_backup(bad, _secret())


def test_a_backup_of_another_coalition_is_refused_and_the_target_unchanged(source, tmp_path):
    from corridor.ops.backup import restore

    out = _backup(source, tmp_path)
    target = _target_with_coalition(tmp_path)
    before = _rows(target)
    _refused(lambda: restore(target, out, _secret(), force=True), "another coalition")
    assert _rows(target) == before


def test_a_target_holding_records_is_refused_without_force(source, tmp_path):
    from corridor.ops.backup import restore

    out = _backup(source, tmp_path)
    before = _rows(source["url"])
    _refused(lambda: restore(source["url"], out, _secret()), "already holds a coalition", "--force")
    assert _rows(source["url"]) == before


def test_force_replaces_the_same_coalition_with_its_backup(source, tmp_path):
    """Rolling back: a campaign added after the backup is gone, the log verifies, and still holds
    every entry up to the backup's head."""
    from corridor.access.rules import Actor, Role
    from corridor.coalition import ledger
    from corridor.ops.backup import restore

    out = _backup(source, tmp_path)
    head = _audit(source["url"]).head_seq
    org_id = source["orgs"]["B"]
    with session_scope(source["engine"]) as s:
        ledger.create_campaign(s, Actor(source["users"][("B", "editor")], {org_id: Role.EDITOR}, label="e"),
                               org_id=org_id, name="After the backup", channel="loudspeaker",
                               start_date=date(2024, 7, 1))
    done = restore(source["url"], out, _secret(), force=True, files_dir=tmp_path / "archive-files")
    assert done.replaced
    with session_scope(source["engine"]) as s:
        names = set(s.execute(sa.text("SELECT name FROM campaign")).scalars())
    assert names == {"Border sound A", "Border sound B"}
    report = _audit(source["url"])
    assert report.ok and report.head_seq == head + 1


def test_wrong_passphrase_and_missing_key_are_one_line(source, tmp_path):
    from corridor.ops.backup import Secret, restore, verify_backup

    out = _backup(source, tmp_path)
    target = tmp_path / "t.db"
    _refused(lambda: restore(f"sqlite:///{target}", out, Secret(passphrase="not the passphrase at all")),
             "wrong passphrase")
    assert not target.exists()
    _refused(lambda: verify_backup(out, Secret(private_key=bytes(32))), "encrypted with a passphrase")
    _refused(lambda: verify_backup(tmp_path / "nowhere.backup", _secret()), "no such file")


def _reseal(out: Path, tmp_path: Path, change) -> Path:
    """A backup whose document was changed by ``change`` and encrypted again with the same
    passphrase: what a newer Corridor, or another tool, could have written."""
    from corridor.ops import backup

    doc = backup.open_document(out.read_bytes(), _secret())
    change(doc)
    path = tmp_path / "changed.backup"
    path.write_bytes(backup.seal_document(doc, _secret()))
    return path


def test_a_backup_from_a_newer_schema_or_format_is_refused(source, tmp_path):
    from corridor.ops.backup import restore

    out = _backup(source, tmp_path)
    target = tmp_path / "t.db"
    newer = _reseal(out, tmp_path, lambda d: d["manifest"].update(schema_revision="9999_from_the_future"))
    _refused(lambda: restore(f"sqlite:///{target}", newer, _secret()), "newer Corridor", "9999_from_the_future",
             "upgrade Corridor first")
    assert not target.exists()
    newer_format = _reseal(out, tmp_path, lambda d: d.update(version=2))
    _refused(lambda: restore(f"sqlite:///{target}", newer_format, _secret()), "format version 2")
    tampered = _reseal(out, tmp_path, lambda d: d["tables"]["campaign"]["rows"].pop())
    _refused(lambda: restore(f"sqlite:///{target}", tampered, _secret()), "does not match its manifest", "campaign")
    assert not target.exists()


def test_a_database_that_does_not_answer_is_one_line(source, tmp_path):
    from corridor.ops.backup import make_backup, restore

    out = _backup(source, tmp_path)
    dead = "postgresql+psycopg://corridor:secret-password@127.0.0.1:1/none"
    line = _refused(lambda: restore(dead, out, _secret()), "does not answer")
    assert "secret-password" not in line
    _refused(lambda: make_backup(dead, tmp_path / "x.backup", _secret()), "does not answer")
    assert not (tmp_path / "x.backup").exists()


def test_a_source_without_a_schema_is_refused(tmp_path):
    from corridor.ops.backup import make_backup

    missing = tmp_path / "missing.db"
    _refused(lambda: make_backup(f"sqlite:///{missing}", tmp_path / "x.backup", _secret()), "no such database file")
    assert not missing.exists()
    sa.create_engine(f"sqlite:///{tmp_path / 'empty.db'}").connect().close()
    _refused(lambda: make_backup(f"sqlite:///{tmp_path / 'empty.db'}", tmp_path / "x.backup", _secret()),
             "no Corridor database")


# --------------------------------------------------------------------------- the commands


def _run(*args) -> tuple[int, str]:
    """The command as `corridor` runs it: a CorridorError is one line and exit code 2."""
    from corridor.cli.ops import app

    result = CliRunner().invoke(app, [str(a) for a in args])
    if isinstance(result.exception, CorridorError):
        return 2, result.exception.one_line()
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.output


def test_commands_back_up_verify_and_restore(source, tmp_path, monkeypatch):
    monkeypatch.setenv("CORRIDOR_DATA_DIR", str(tmp_path / "data"))
    phrase = tmp_path / "phrase.txt"
    phrase.write_text(PASSPHRASE + "\n")
    out = tmp_path / "c.backup"
    code, text = _run("backup", "--out", out, "--passphrase-file", phrase, "--db", source["url"],
                      "--files-dir", tmp_path / "archive-files")
    assert code == 0, text
    assert "Backup written" in text and "activity: 6" in text
    last = json.loads((tmp_path / "data" / "last-backup.json").read_text())
    assert last["rows"] > 0 and "secret" not in json.dumps(last)
    code, text = _run("backup", "verify", out, "--passphrase-file", phrase)
    assert code == 0 and "is whole" in text, text
    target = f"sqlite:///{tmp_path / 'r.db'}"
    code, text = _run("restore", out, "--passphrase-file", phrase, "--db", target, "--files-dir", tmp_path / "rf")
    assert code == 0 and "Audit log intact" in text, text
    code, text = _run("restore", out, "--passphrase-file", phrase, "--db", target)
    assert code == 2 and "already holds a coalition" in text


def test_command_key_pair_and_refusals(source, tmp_path):
    pub, key = tmp_path / "b.pub", tmp_path / "b.key"
    assert _run("backup", "keygen", "--public-key", pub, "--private-key", key)[0] == 0
    code, text = _run("backup", "keygen", "--public-key", pub, "--private-key", key)
    assert code == 2 and "never overwritten" in text
    code, text = _run("backup", "--out", tmp_path / "x.backup", "--db", source["url"])
    assert code == 2 and "no key given" in text
    code, text = _run("backup", "--out", tmp_path / "x.backup", "--public-key", key, "--db", source["url"])
    assert code == 2 and "holds a private key" in text
    out = tmp_path / "k.backup"
    assert _run("backup", "--out", out, "--public-key", pub, "--db", source["url"],
                "--files-dir", tmp_path / "archive-files")[0] == 0
    code, text = _run("backup", "verify", out, "--private-key", pub)
    assert code == 2 and "holds a public key" in text
    assert _run("backup", "verify", out, "--private-key", key)[0] == 0
    short = tmp_path / "short.txt"
    short.write_text("too short\n")
    code, text = _run("backup", "verify", out, "--passphrase-file", short)
    assert code == 2 and "at least 12" in text
    assert "too short" not in text


def test_a_backup_made_before_a_migration_restores_at_the_current_schema(tmp_path):
    """The update routine: back up, then `corridor db upgrade`. A backup made at the previous
    schema revision is restored at that revision and migrated in the same transaction."""
    from corridor.ops.backup import _script, head_revision, make_backup, restore

    script = _script()
    previous = script.get_revision(head_revision()).down_revision
    old = f"sqlite:///{tmp_path / 'old.db'}"
    prepare_database(old, revision=previous)
    engine = make_engine(old)
    with engine.begin() as conn:
        conn.execute(sa.text("INSERT INTO organisation (id, name, created_at) VALUES (1, 'Free Voice', "
                             "'2025-01-02 03:04:05.000000')"))
    engine.dispose()
    out = tmp_path / "old.backup"
    made = make_backup(old, out, _secret(), files_dir=tmp_path / "f")
    assert made.manifest["schema_revision"] == previous and made.manifest["audit"]["verified"] is None
    target = f"sqlite:///{tmp_path / 'new.db'}"
    done = restore(target, out, _secret(), files_dir=tmp_path / "f2")
    assert done.rows["organisation"] == 1
    engine = make_engine(target)
    with engine.connect() as conn:
        assert conn.execute(sa.text("SELECT version_num FROM alembic_version")).scalar() == head_revision()
        assert conn.execute(sa.text("SELECT name FROM organisation")).scalar() == "Free Voice"
    engine.dispose()


def test_a_target_with_foreign_tables_is_refused(source, tmp_path):
    from corridor.ops.backup import restore

    out = _backup(source, tmp_path)
    other = tmp_path / "other.db"
    engine = sa.create_engine(f"sqlite:///{other}")
    with engine.begin() as conn:
        conn.execute(sa.text("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)"))
    engine.dispose()
    _refused(lambda: restore(f"sqlite:///{other}", out, _secret()), "no Corridor schema")
    engine = sa.create_engine(f"sqlite:///{other}")
    with engine.connect() as conn:
        assert sa.inspect(conn).get_table_names() == ["notes"]
    engine.dispose()
