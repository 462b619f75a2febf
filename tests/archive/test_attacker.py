"""What an attacker holding a copy of the server's database learns: no sealed identity."""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa

from corridor.archive import records
from corridor.archive.tables import ArchivePerson
from corridor.store import session_scope
from tests.archive.conftest import KEY_PASSPHRASE, SECRETS, add_witness, clerk

# Identity fragments that appear nowhere in the testimony text (the text itself names the mother,
# which a reviewer would redact; the sealed fields are what the server must never hold).
NEEDLES = ["박은별", "1987-02-14", "5555-0199", "eunbyul.park", "오산덕동"]


def _forms(needle: str) -> list[bytes]:
    return [needle.encode("utf-8"), needle.encode("utf-16-le"), needle.encode("utf-16-be")]


def _all_cell_text(engine) -> str:
    """Every cell of every table (text, JSON, numbers; binary as hex and as lenient text)."""
    out = []
    insp = sa.inspect(engine)
    with engine.connect() as conn:
        for table in insp.get_table_names():
            for row in conn.execute(sa.text(f'SELECT * FROM "{table}"')):
                for v in row:
                    if isinstance(v, (bytes, memoryview)):
                        b = bytes(v)
                        out.append(b.hex())
                        out.append(b.decode("utf-8", errors="ignore"))
                    else:
                        out.append(str(v))
    return "\n".join(out)


def test_database_copy_reveals_no_sealed_identity(engine, world, db_url):
    with session_scope(engine) as s:
        p, _ = add_witness(s, world)
        pid = p.public_id
        # the person was really sealed, and the organisation can still open it with its key
        person = s.execute(sa.select(ArchivePerson).where(ArchivePerson.public_id == pid)).scalar_one()
        assert person.sealed_identity and person.key_fingerprint == world["keys"]["A"].fingerprint
        opened = records.unseal(s, clerk(s, world, "A", "reviewer"), person, passphrase=KEY_PASSPHRASE)
        assert opened == SECRETS
    dump = _all_cell_text(engine)
    for needle in NEEDLES:
        assert needle not in dump, needle
    if db_url.startswith("sqlite"):
        engine.dispose()   # checkpoint the WAL so that the file is what a thief copies
        path = Path(db_url.removeprefix("sqlite:///"))
        raw = b"".join(p.read_bytes() for p in path.parent.glob(path.name + "*"))
        for needle in NEEDLES:
            for form in _forms(needle):
                assert form not in raw, needle


def test_wrapped_key_in_the_database_needs_the_passphrase(engine, world):
    """The wrapped private key is in the copy too; without the passphrase it opens nothing."""
    from corridor.archive import sealing
    from corridor.archive.tables import ArchiveKey

    with session_scope(engine) as s:
        add_witness(s, world)
        key = s.execute(sa.select(ArchiveKey).where(ArchiveKey.org_id == world["orgs"]["A"])).scalar_one()
        for guess in ("", "password", "a long pass phrase 1", KEY_PASSPHRASE[:-1]):
            try:
                sealing.unwrap_private_key(key.wrapped_private_key, guess)
            except sealing.WrongPassphrase:
                continue
            raise AssertionError(f"opened with {guess!r}")


def test_unsealing_needs_the_reviewer_role_and_is_audited(engine, world):
    import pytest

    from corridor.access.errors import Forbidden, NotFound
    from corridor.access.tables import AuditEntry
    from corridor.archive import sealing

    with session_scope(engine) as s:
        p, _ = add_witness(s, world)
        with pytest.raises(Forbidden):
            records.unseal(s, clerk(s, world, "A", "coder"), p, passphrase=KEY_PASSPHRASE)
        with pytest.raises(NotFound):   # another organisation cannot even learn the person exists
            records.get_person(s, clerk(s, world, "B", "reviewer"), p.public_id)
        with pytest.raises(sealing.WrongPassphrase):
            records.unseal(s, clerk(s, world, "A", "reviewer"), p, passphrase="not the passphrase")
        records.unseal(s, clerk(s, world, "A", "reviewer"), p, passphrase=KEY_PASSPHRASE)
        actions = [a for (a,) in s.execute(sa.select(AuditEntry.action))]
        assert actions.count("archive.unseal") == 1
