"""Issue 15, item 2.9: an archive backup restored into the wrong organisation.

Restores used to check only that an organisation with the backup's number existed. On another
server (or after organisations were created in another order) number 1 may be a different
group: its members would then read another organisation's testimonies, and its own archive
would be erased. The attack is run as an administrator would run it by mistake, at the command
line: the restore must be refused with one line naming what differs, leaving the target as it
was; ``--map`` may name the target organisation (override the name), never override the key.
"""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from corridor.access import members
from corridor.archive import backup, records
from corridor.archive.tables import ArchiveKey, ArchivePerson
from corridor.store import make_engine, session_scope, upgrade
from tests.archive.conftest import KEY_PASSPHRASE, fast_kdf  # noqa: F401  (cheap Argon2id)
from tests.cli_runner import run_in_process
from tests.databases import drop_database, fresh_database_url

BACKUP_PASS = "backup pass phrase 42"


@pytest.fixture()
def source(db_url):
    """The server the backup comes from: "Free Voice" (number 1) with a witness, "Sky Letters" (2)."""
    upgrade(db_url)
    engine = make_engine(db_url)
    with session_scope(engine) as s:
        fv = members.create_organisation(s, "Free Voice")
        members.create_organisation(s, "Sky Letters")
        kp = records.create_key(s, fv.id, passphrase=KEY_PASSPHRASE)
        records.add_person(s, records.ADMIN, fv.id, pseudonym="Witness FV", identity={"name": "박은별"})
    yield engine, kp
    engine.dispose()


@pytest.fixture()
def target(tmp_path):
    """Another database, where organisation number 1 is a different group with its own archive."""
    url = fresh_database_url(tmp_path)
    upgrade(url)
    engine = make_engine(url)
    with session_scope(engine) as s:
        other = members.create_organisation(s, "Other Group")
        records.create_key(s, other.id, passphrase=KEY_PASSPHRASE)
        records.add_person(s, records.ADMIN, other.id, pseudonym="Witness OG", identity={"name": "김철수"})
        members.create_organisation(s, "Free Voice Seoul")
        members.create_organisation(s, "Unrelated Group")
    yield url, engine
    engine.dispose()
    drop_database(url)


def _backup_file(monkeypatch, capsys, tmp_path, source_engine):
    monkeypatch.setenv("CORRIDOR_BACKUP_PASSPHRASE", BACKUP_PASS)
    bak = tmp_path / "free-voice.bak"
    url = source_engine.url.render_as_string(hide_password=False)
    code, _, err = run_in_process(monkeypatch, capsys, "archive", "backup", "--out", bak, "--db", url)
    assert code == 0, err
    return bak


def _state(engine):
    with session_scope(engine) as s:
        return backup.snapshot(s)


def _people(engine):
    """Pseudonyms per organisation name."""
    from corridor.access.tables import Organisation

    with session_scope(engine) as s:
        rows = s.execute(sa.select(Organisation.name, ArchivePerson.pseudonym)
                         .join(ArchivePerson, ArchivePerson.org_id == Organisation.id)).all()
    out: dict[str, set[str]] = {}
    for org, pseudonym in rows:
        out.setdefault(org, set()).add(pseudonym)
    return out


def _one_line(err: str) -> str:
    lines = [ln for ln in err.strip().splitlines() if ln.strip()]
    assert len(lines) == 1 and "Traceback" not in err, err
    return lines[0]


def test_restore_into_a_different_organisation_number_1_is_refused(monkeypatch, capsys, tmp_path, source, target):
    bak = _backup_file(monkeypatch, capsys, tmp_path, source[0])
    url, engine = target
    before = _state(engine)
    code, _, err = run_in_process(monkeypatch, capsys, "archive", "restore", bak, "--db", url)
    line = _one_line(err)
    assert code == 2
    assert "name" in line and "Free Voice" in line and "Other Group" in line
    assert "박은별" not in err and "Witness FV" not in err      # nothing of the backup's content
    assert _state(engine) == before                              # the target is exactly as it was


def test_same_name_with_another_key_is_refused(monkeypatch, capsys, tmp_path, source, target):
    """Renaming the target organisation to the backup's name does not make it the same organisation."""
    bak = _backup_file(monkeypatch, capsys, tmp_path, source[0])
    url, engine = target
    with session_scope(engine) as s:
        s.execute(sa.text("UPDATE organisation SET name = 'Free Voice' WHERE id = 1"))
    before = _state(engine)
    code, _, err = run_in_process(monkeypatch, capsys, "archive", "restore", bak, "--db", url)
    line = _one_line(err)
    assert code == 2 and "key" in line and source[1].fingerprint[:16] in line
    assert _state(engine) == before


def test_map_overrides_the_name_never_the_key(monkeypatch, capsys, tmp_path, source, target):
    bak = _backup_file(monkeypatch, capsys, tmp_path, source[0])
    url, engine = target
    before = _state(engine)
    # mapped into an organisation that holds another key: refused, even though named explicitly
    code, _, err = run_in_process(monkeypatch, capsys, "archive", "restore", bak, "--db", url,
                                  "--map", "Free Voice=Other Group")
    assert code == 2 and "key" in _one_line(err)
    assert _state(engine) == before
    # malformed and unknown names are refused naming --map
    for bad in ("Free Voice", "Nobody=Free Voice Seoul", "Free Voice=Nobody"):
        code, _, err = run_in_process(monkeypatch, capsys, "archive", "restore", bak, "--db", url, "--map", bad)
        assert code == 2 and "--map" in _one_line(err), bad
    assert _state(engine) == before
    # the same organisation under another name here (it holds the same key): lands there, only there
    kp = source[1]
    with session_scope(engine) as s:
        seoul = s.execute(sa.text("SELECT id FROM organisation WHERE name = 'Free Voice Seoul'")).scalar_one()
        s.add(ArchiveKey(org_id=seoul, public_key=kp.public, fingerprint=kp.fingerprint))
    code, out, err = run_in_process(monkeypatch, capsys, "archive", "restore", bak, "--db", url,
                                    "--map", "Free Voice=Free Voice Seoul")
    assert code == 0, err
    assert "Free Voice Seoul" in out
    assert _people(engine) == {"Other Group": {"Witness OG"}, "Free Voice Seoul": {"Witness FV"}}
    with session_scope(engine) as s:   # the other organisation's key and archive are untouched
        keys = dict(s.execute(sa.select(ArchiveKey.org_id, ArchiveKey.fingerprint)).all())
        assert keys[1] == before["archive_key"][0]["fingerprint"]


def test_map_into_an_organisation_without_an_archive_key_is_refused(monkeypatch, capsys, tmp_path, source,
                                                                    target):
    """A named organisation that never held the backup's key cannot prove it is the same group."""
    bak = _backup_file(monkeypatch, capsys, tmp_path, source[0])
    url, engine = target
    before = _state(engine)
    code, _, err = run_in_process(monkeypatch, capsys, "archive", "restore", bak, "--db", url,
                                  "--map", "Free Voice=Unrelated Group")
    assert code == 2 and "key" in _one_line(err)
    assert _state(engine) == before


def test_rebuilt_server_with_the_same_names_restores_without_map(monkeypatch, capsys, tmp_path, source):
    """The ordinary case still works: same names and numbers, no key yet on the new server."""
    bak = _backup_file(monkeypatch, capsys, tmp_path, source[0])
    url = fresh_database_url(tmp_path)
    try:
        upgrade(url)
        engine = make_engine(url)
        with session_scope(engine) as s:
            members.create_organisation(s, "Free Voice")
            members.create_organisation(s, "Sky Letters")
        code, _, err = run_in_process(monkeypatch, capsys, "archive", "restore", bak, "--db", url)
        assert code == 0, err
        assert _people(engine) == {"Free Voice": {"Witness FV"}}
        engine.dispose()
    finally:
        drop_database(url)
