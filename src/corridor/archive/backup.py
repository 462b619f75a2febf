"""One encrypted file holds the whole archive; a restore checks it fully before writing anything.

**File.** ``CORRIDOR-ARCHIVE-BACKUP-1`` header, then the Argon2id salt and limits, then one
XSalsa20-Poly1305 box (:func:`corridor.archive.sealing.passphrase_encrypt`) around a
zlib-compressed JSON document: every row of every archive table (sealed identities stay sealed:
they are copied as ciphertext), the bytes of every stored file, and a manifest with the
SHA-256 of each table's rows and of each file. The Poly1305 tag authenticates the whole file, so
any damaged byte, a truncated file or a wrong passphrase is refused before anything is read.

**Restore.** Decrypt, decompress, parse, check the manifest, check that the organisations the rows
belong to exist; only then, in **one transaction**, replace the archive tables' rows; stored
files are written (by content hash, each renamed into place) only after that transaction
commits. Any failure before the commit leaves the archive exactly as it was.
"""

from __future__ import annotations

import base64
import hashlib
import json
import zlib
from datetime import UTC, date, datetime
from pathlib import Path

from sqlalchemy import Table, delete, func, insert, select, text
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from corridor.access.tables import Organisation
from corridor.archive import files as files_mod
from corridor.archive import sealing
from corridor.archive.tables import (
    ArchiveAct,
    ArchiveConsent,
    ArchiveEvent,
    ArchiveEventParty,
    ArchiveExport,
    ArchiveExposure,
    ArchiveInterview,
    ArchiveInvolvement,
    ArchiveKey,
    ArchiveMedia,
    ArchivePerson,
    ArchiveReview,
    ArchiveSegment,
    ArchiveSegmentCode,
    ArchiveTranscript,
)
from corridor.errors import CorridorError

MAGIC = b"CORRIDOR-ARCHIVE-BACKUP-1\n"
FORMAT = "corridor-archive-backup"

#: Tables in the order rows are inserted (parents first); deleted in reverse.
TABLES: tuple[Table, ...] = tuple(m.__table__ for m in (
    ArchiveKey, ArchivePerson, ArchiveConsent, ArchiveInterview, ArchiveTranscript, ArchiveSegment,
    ArchiveSegmentCode, ArchiveMedia, ArchiveEvent, ArchiveAct, ArchiveInvolvement, ArchiveEventParty,
    ArchiveExposure, ArchiveReview, ArchiveExport))


def _encode(value):
    if isinstance(value, bytes):
        return {"b64": base64.b64encode(value).decode("ascii")}
    if isinstance(value, datetime):
        if value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        return value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return value


def _decode(column, value):
    if value is None:
        return None
    if isinstance(value, dict) and set(value) == {"b64"}:
        return base64.b64decode(value["b64"])
    try:
        kind = column.type.python_type
    except NotImplementedError:
        return value
    if kind is datetime:
        return datetime.fromisoformat(value)
    if kind is date:
        return date.fromisoformat(value)
    return value


def snapshot(s: Session) -> dict[str, list[dict]]:
    """Every archive row as plain JSON values, ordered by primary key: what a backup holds."""
    out = {}
    for table in TABLES:
        pk = list(table.primary_key.columns)
        rows = s.execute(select(table).order_by(*pk)).mappings().all()
        out[table.name] = [{k: _encode(v) for k, v in row.items()} for row in rows]
    return out


def _digest(rows) -> str:
    return hashlib.sha256(json.dumps(rows, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


def make_backup(engine: Engine, passphrase: str, *, files_dir: Path | None = None, **limits) -> tuple[bytes, dict]:
    """The encrypted backup and a summary (rows per table, files)."""
    sealing.check_passphrase(passphrase)
    folder = files_dir or files_mod.files_dir()
    with Session(engine) as s, s.begin():
        tables = snapshot(s)
    stored = {}
    for row in tables["archive_media"]:
        if row["stored"] and row["sha256"] not in stored:
            path = folder / row["sha256"]
            if not path.exists():
                raise CorridorError("a stored file is missing from the file store", field="archive_media",
                                    value=row["sha256"])
            stored[row["sha256"]] = base64.b64encode(path.read_bytes()).decode("ascii")
    manifest = {"tables": {name: _digest(rows) for name, rows in tables.items()},
                "files": {sha: sha for sha in stored}}
    doc = {"format": FORMAT, "version": 1, "created": datetime.now(UTC).isoformat(timespec="seconds"),
           "tables": tables, "files": stored, "manifest": manifest}
    plain = zlib.compress(json.dumps(doc, ensure_ascii=False, separators=(",", ":")).encode("utf-8"), 6)
    blob = sealing.passphrase_encrypt(plain, passphrase, magic=MAGIC, **limits)
    summary = {"rows": {k: len(v) for k, v in tables.items()}, "files": len(stored), "bytes": len(blob)}
    return blob, summary


def read_backup(blob: bytes, passphrase: str, *, source: str = "backup") -> dict:
    """Decrypt and check a backup completely; raise :class:`CorridorError` on any fault."""
    plain = sealing.passphrase_decrypt(blob, passphrase, magic=MAGIC, source=source)
    try:
        doc = json.loads(zlib.decompress(plain).decode("utf-8"))
    except (zlib.error, ValueError, UnicodeDecodeError):
        raise CorridorError("the backup's content is damaged", source=source) from None
    if not isinstance(doc, dict) or doc.get("format") != FORMAT or doc.get("version") != 1:
        raise CorridorError("not a Corridor archive backup of a known version", source=source)
    names = {t.name for t in TABLES}
    if set(doc.get("tables", {})) != names:
        raise CorridorError("the backup does not hold the expected tables", source=source)
    for name, rows in doc["tables"].items():
        if _digest(rows) != doc["manifest"]["tables"].get(name):
            raise CorridorError("a table does not match the backup's manifest", source=source, field=name)
    for sha, data in doc.get("files", {}).items():
        if hashlib.sha256(base64.b64decode(data)).hexdigest() != sha:
            raise CorridorError("a stored file does not match its hash", source=source, field="files", value=sha)
    return doc


def restore(engine: Engine, blob: bytes, passphrase: str, *, source: str = "backup",
            files_dir: Path | None = None, audit_actor: str = "admin") -> dict:
    """Replace the archive with the backup's content, all or nothing. Returns rows per table."""
    from corridor.access.audit import append_audit
    from corridor.archive.search import ensure_index

    doc = read_backup(blob, passphrase, source=source)
    tables = doc["tables"]
    with Session(engine) as s, s.begin():
        org_ids = {r["org_id"] for name in ("archive_key", "archive_person", "archive_interview", "archive_event",
                                            "archive_export") for r in tables[name]}
        known = set(s.execute(select(Organisation.id)).scalars())
        missing = sorted(org_ids - known)
        if missing:
            raise CorridorError("the backup's organisations do not exist here; create them first",
                                source=source, field="org_id", value=missing[0])
        for table in reversed(TABLES):
            s.execute(delete(table))
        for table in TABLES:
            rows = [{c.name: _decode(c, row.get(c.name)) for c in table.columns} for row in tables[table.name]]
            if rows:
                s.execute(insert(table), rows)
        if engine.dialect.name == "postgresql":
            for table in TABLES:
                pk = next(iter(table.primary_key.columns))
                if pk.autoincrement and pk.type.python_type is int:
                    top = s.execute(select(func.max(pk))).scalar()
                    s.execute(text("SELECT setval(pg_get_serial_sequence(:t, :c), :v, :called)"),
                              {"t": table.name, "c": pk.name, "v": top or 1, "called": top is not None})
        append_audit(s, actor=audit_actor, org_id=None, action="archive.restore", entity="archive",
                     entity_id="all", before=None, after=doc["manifest"])
    folder = files_dir or files_mod.files_dir()
    if doc.get("files"):
        import io

        for sha, data in doc["files"].items():
            files_mod.store(io.BytesIO(base64.b64decode(data)), sha, limit=1 << 40, folder=folder)
    ensure_index(engine)
    return {name: len(rows) for name, rows in tables.items()}
