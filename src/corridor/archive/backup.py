"""One encrypted file holds the whole archive; a restore checks it fully before writing anything.

**File.** ``CORRIDOR-ARCHIVE-BACKUP-1`` header, then the Argon2id salt and limits, then one
XSalsa20-Poly1305 box (:func:`corridor.archive.sealing.passphrase_encrypt`) around a
zlib-compressed JSON document: every row of every archive table (sealed identities stay sealed:
they are copied as ciphertext), the bytes of every stored file, the identity of each
organisation the rows belong to (its number and name; its archive key is among the rows), and a
manifest with the SHA-256 of each table's rows and of each file. The Poly1305 tag authenticates
the whole file, so any damaged byte, a truncated file or a wrong passphrase is refused before
anything is read.

**Restore.** Decrypt, decompress, parse, check the manifest; then decide where each of the
backup's organisations goes and check that it is the same organisation (:func:`plan_restore`):
a number alone proves nothing, since on another server number 1 may be another group. Only
then, in **one transaction**, replace the archive rows of those organisations (and of no other);
stored files are written (by content hash, each renamed into place) only after that transaction
commits. Any failure before the commit leaves the archive exactly as it was.
"""

from __future__ import annotations

import base64
import hashlib
import json
import zlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
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
#: 2 records the organisations' names; 1 (before) only their numbers.
VERSION = 2

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


def _org_ids(tables: dict[str, list[dict]]) -> set[int]:
    """The organisations the rows belong to (every row leads to one through its ``org_id``)."""
    return {r["org_id"] for t in TABLES if "org_id" in t.c for r in tables[t.name]}


def _digest(rows) -> str:
    return hashlib.sha256(json.dumps(rows, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


def make_backup(engine: Engine, passphrase: str, *, files_dir: Path | None = None, **limits) -> tuple[bytes, dict]:
    """The encrypted backup and a summary (rows per table, files)."""
    sealing.check_passphrase(passphrase)
    folder = files_dir or files_mod.files_dir()
    with Session(engine) as s, s.begin():
        tables = snapshot(s)
        ids = sorted(_org_ids(tables))
        names = dict(s.execute(select(Organisation.id, Organisation.name).where(Organisation.id.in_(ids))).all())
    organisations = [{"id": i, "name": names[i]} for i in ids]
    stored = {}
    for row in tables["archive_media"]:
        if row["stored"] and row["sha256"] not in stored:
            path = folder / row["sha256"]
            if not path.exists():
                raise CorridorError("a stored file is missing from the file store", field="archive_media",
                                    value=row["sha256"])
            stored[row["sha256"]] = base64.b64encode(path.read_bytes()).decode("ascii")
    manifest = {"tables": {name: _digest(rows) for name, rows in tables.items()},
                "files": {sha: sha for sha in stored}, "organisations": _digest(organisations)}
    doc = {"format": FORMAT, "version": VERSION, "created": datetime.now(UTC).isoformat(timespec="seconds"),
           "organisations": organisations, "tables": tables, "files": stored, "manifest": manifest}
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
    if not isinstance(doc, dict) or doc.get("format") != FORMAT or doc.get("version") not in (1, VERSION):
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
    if doc["version"] >= 2:
        orgs = doc.get("organisations")
        if not isinstance(orgs, list) or _digest(orgs) != doc["manifest"].get("organisations"):
            raise CorridorError("the organisations do not match the backup's manifest", source=source)
        described = {o.get("id") for o in orgs if isinstance(o, dict) and isinstance(o.get("name"), str)}
        if not _org_ids(doc["tables"]) <= described or len(described) != len(orgs):
            raise CorridorError("the backup's rows belong to an organisation it does not describe", source=source)
    return doc


# --------------------------------------------------------------------------- where each organisation goes


@dataclass(frozen=True)
class Placement:
    """One of the backup's organisations and the organisation here that receives its archive."""

    backup_id: int
    backup_name: str | None     # None in a version 1 backup, which recorded no names
    fingerprint: str | None     # of the backup's archive key for it (None: it had none)
    target_id: int
    target_name: str
    mapped: bool                # named with --map


def parse_map(entries: Iterable[str] | None) -> dict[str, str]:
    """``["Backup name=Name here", ...]`` as a dict; names are compared exactly, after trimming."""
    out: dict[str, str] = {}
    for entry in entries or ():
        old, sep, new = str(entry).partition("=")
        old, new = old.strip(), new.strip()
        if not sep or not old or not new:
            raise CorridorError('must be "Backup organisation=Organisation here"', field="--map", value=entry)
        if old in out:
            raise CorridorError("maps the same organisation twice", field="--map", value=old)
        out[old] = new
    return out


def _fingerprints(rows: Iterable[dict]) -> dict[int, str]:
    return {r["org_id"]: r["fingerprint"] for r in rows}


def _short(fp: str | None) -> str:
    return "none" if fp is None else fp[:16] + "…"


def plan_restore(s: Session, doc: dict, mapping: Mapping[str, str] | None = None, *,
                 source: str = "backup") -> list[Placement]:
    """Where each of the backup's organisations goes, after checking that it is the same one.

    The rule (an organisation is its name and its archive key, not its number):

    - without ``--map`` an organisation goes to the one with the same number here, which must
      have the same name, and either the same archive key or none yet (a rebuilt server);
    - ``--map "Backup name=Name here"`` names the target instead: it overrides the name, never the
      key. The target must already hold the backup's archive key (same fingerprint): a name is
      typed, a key proves the two are one organisation;
    - a key here that differs from the backup's (or that the backup lacks) is always refused:
      the restore would replace it, and every identity sealed to it would be lost to its readers;
    - two of the backup's organisations never go to one here.

    Refusals are one line naming what differs; nothing of the backup's content is shown.
    """
    mapping = dict(mapping or {})
    tables = doc["tables"]
    theirs = _fingerprints(tables["archive_key"])
    ours = _fingerprints({"org_id": o, "fingerprint": f}
                         for o, f in s.execute(select(ArchiveKey.org_id, ArchiveKey.fingerprint)))
    here = {o.id: o.name for o in s.execute(select(Organisation)).scalars()}
    by_name = {name: oid for oid, name in here.items()}
    if doc["version"] >= 2:
        described = [(o["id"], o["name"]) for o in doc["organisations"]]
    else:
        described = [(oid, None) for oid in sorted(_org_ids(tables))]
    unknown = set(mapping) - {name for _, name in described}
    if unknown:
        raise CorridorError("the backup holds no organisation of this name", source=source, field="--map",
                            value=min(unknown))
    plan: list[Placement] = []
    for backup_id, name in described:
        mapped = name in mapping
        if mapped:
            target_name = mapping[name]
            if target_name not in by_name:
                raise CorridorError("no organisation of this name here", source=source, field="--map",
                                    value=target_name, hint="create it with `corridor org create NAME`")
            target_id = by_name[target_name]
        else:
            target_id = backup_id
            if target_id not in here:
                raise CorridorError(f"the backup's organisation {name or target_id!r} does not exist here",
                                    source=source, field="organisation",
                                    hint="create it first, or name where it goes with --map")
            target_name = here[target_id]
            if name is None and not (theirs.get(backup_id) and theirs.get(backup_id) == ours.get(target_id)):
                raise CorridorError(f"organisation {target_id} ({target_name!r}) cannot be confirmed: this backup's "
                                    "format records no names, and no archive key matches", source=source,
                                    field="organisation", hint="make the backup again with this version")
            if name is not None and name != target_name:
                raise CorridorError(f"organisation {target_id} here is {target_name!r}, not the backup's {name!r}: "
                                    "the name differs", source=source, field="organisation",
                                    hint=f'if it is the same organisation, map it: --map "{name}=NAME HERE"')
        fp_backup, fp_here = theirs.get(backup_id), ours.get(target_id)
        if fp_here is not None and fp_backup != fp_here:
            raise CorridorError(f"the archive key of {target_name!r} differs from the backup's (here "
                                f"{_short(fp_here)}, backup {_short(fp_backup)})", source=source,
                                field="organisation", hint="a key is never overridden, with or without --map")
        if mapped and fp_here is None:
            raise CorridorError(f"{target_name!r} holds no archive key, so nothing proves it is the backup's "
                                f"{name!r}: the archive key differs (backup {_short(fp_backup)})",
                                source=source, field="--map",
                                hint="--map overrides a name only; without it, the names must be equal")
        plan.append(Placement(backup_id, name, fp_backup, target_id, target_name, mapped))
    targets = [p.target_id for p in plan]
    if len(set(targets)) != len(targets):
        twice = next(p for p in plan if targets.count(p.target_id) > 1)
        raise CorridorError(f"two of the backup's organisations would go to {twice.target_name!r}",
                            source=source, field="--map")
    return plan


@dataclass(frozen=True)
class Restored:
    """What a restore wrote: rows per table, and where each organisation's archive went."""

    rows: dict[str, int]
    placements: list[Placement]


def _owned(table: Table, org_ids: set[int]):
    """The rows of ``table`` that belong to ``org_ids``: through its ``org_id``, or through the
    parent row it cannot exist without (its first non-nullable reference to an archive table)."""
    if "org_id" in table.c:
        return table.c.org_id.in_(org_ids)
    for column in table.columns:
        for fk in column.foreign_keys:
            parent = fk.column.table
            if parent in TABLES and not column.nullable:
                return column.in_(select(fk.column).where(_owned(parent, org_ids)))
    raise AssertionError(f"{table.name} belongs to no organisation")


def _offsets(s: Session) -> dict[str, int]:
    """Per table, how far to move the backup's row numbers past the rows that stay here."""
    out = {}
    for table in TABLES:
        pk = next(iter(table.primary_key.columns))
        out[table.name] = s.execute(select(func.max(pk))).scalar() or 0
    return out


def _renumber(table: Table, row: dict, orgs: Mapping[int, int], offsets: Mapping[str, int]) -> dict:
    """A backup row as it lands here: its organisation mapped, its numbers (and references to
    other archive rows) moved past the rows kept here. Nothing moves when nothing is kept."""
    out = dict(row)
    for column in table.columns:
        value = out.get(column.name)
        if value is None:
            continue
        if column.name == "org_id":
            out[column.name] = orgs[value]
        elif column.primary_key:
            out[column.name] = value + offsets[table.name]
        else:
            for fk in column.foreign_keys:
                if fk.column.table in TABLES:
                    out[column.name] = value + offsets[fk.column.table.name]
    if table.name == "archive_event" and out.get("segment_ids"):
        out["segment_ids"] = [i + offsets["archive_segment"] for i in out["segment_ids"]]
    return out


def restore(engine: Engine, blob: bytes, passphrase: str, *, source: str = "backup",
            files_dir: Path | None = None, audit_actor: str = "admin",
            mapping: Mapping[str, str] | None = None) -> Restored:
    """Replace the archives of the backup's organisations with its content, all or nothing, after
    :func:`plan_restore` has checked where each goes (``mapping``: :func:`parse_map`). The
    archives of other organisations here are not touched."""
    from sqlalchemy.exc import IntegrityError

    from corridor.access.audit import append_audit
    from corridor.archive.search import ensure_index

    doc = read_backup(blob, passphrase, source=source)
    tables = doc["tables"]
    try:
        with Session(engine) as s, s.begin():
            plan = plan_restore(s, doc, mapping, source=source)
            orgs = {p.backup_id: p.target_id for p in plan}
            targets = set(orgs.values())
            for table in reversed(TABLES):
                s.execute(delete(table).where(_owned(table, targets)))
            offsets = _offsets(s)
            for table in TABLES:
                rows = [_renumber(table, {c.name: _decode(c, row.get(c.name)) for c in table.columns}, orgs, offsets)
                        for row in tables[table.name]]
                if rows:
                    s.execute(insert(table), rows)
            if engine.dialect.name == "postgresql":
                for table in TABLES:
                    pk = next(iter(table.primary_key.columns))
                    if pk.autoincrement and pk.type.python_type is int:
                        top = s.execute(select(func.max(pk))).scalar()
                        s.execute(text("SELECT setval(pg_get_serial_sequence(:t, :c), :v, :called)"),
                                  {"t": table.name, "c": pk.name, "v": top or 1, "called": top is not None})
            for p in plan:
                append_audit(s, actor=audit_actor, org_id=p.target_id, action="archive.restore", entity="archive",
                             entity_id=p.target_id, before=None,
                             after={"manifest": doc["manifest"], "from_org": p.backup_id, "fingerprint": p.fingerprint,
                                    "mapped": p.mapped})
    except IntegrityError:
        raise CorridorError("records in this backup are already held by another organisation here",
                            source=source, field="organisation") from None
    folder = files_dir or files_mod.files_dir()
    if doc.get("files"):
        import io

        for sha, data in doc["files"].items():
            files_mod.store(io.BytesIO(base64.b64decode(data)), sha, limit=1 << 40, folder=folder)
    ensure_index(engine)
    return Restored({name: len(rows) for name, rows in tables.items()}, plan)
