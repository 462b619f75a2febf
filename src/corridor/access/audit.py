"""A tamper-evident audit log: every write appended, each entry chained to the previous by hash.

Entry *n* stores ``hash_n = SHA-256(prev_hash ‖ canonical JSON of its fields)``, with the
record's state before and after the write reduced to their own SHA-256. Changing, removing or
reordering any entry breaks every hash after it, which :func:`verify_chain` reports. (The same
construction as a Git history or Certificate Transparency's log, without the Merkle tree: the
log is small and verified whole.)

The log also vouches for the rows themselves. Each entry records the primary key of the row
its write left and the SHA-256 of that row's columns as stored (``absent`` once deleted), so
:func:`audit_report` can recompute every audited row as it is now and compare it with the
latest entry for it: a row changed, deleted or inserted straight in SQL, with no entry, is
named. Rows the same transaction touched besides the one named by the caller (an activity
deleted with its campaign, a membership added with a grant) are recorded by companion entries,
so the log follows every row of an audited kind to its committed state.

A chain can be cut short or rewritten whole by whoever holds the database. The head (last
sequence number and hash) is therefore printed, and written by :func:`make_anchor` to a small
file kept off the server; :func:`check_anchor` then detects a truncated log (the anchored entry
is gone) or a rewritten tail (the anchored entry now has another hash). This is the
"signed tree head" idea of Certificate Transparency (RFC 9162 §4.10), kept by its owner rather
than signed.
"""

from __future__ import annotations

import functools
import hashlib
import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import event, inspect, select
from sqlalchemy.orm import Session

from corridor.store.base import ADDED_LATER

if TYPE_CHECKING:
    from sqlalchemy import Column, Table

    from corridor.access.tables import AuditEntry, AuditHead

GENESIS = "0" * 64

#: The row hash of a row that no longer exists.
ABSENT = "absent"

#: Columns that change legitimately without an audited write, per table, with the reason. They
#: are left out of row hashes. Columns with an ``onupdate`` (``updated_at``) are left out too:
#: the database layer rewrites them on every UPDATE, and they hold nothing of their own.
UNAUDITED_COLUMNS: dict[str, dict[str, str]] = {
    "user_account": {
        "totp_last_step": "advances at every sign-in with a second factor (the replay guard of RFC 6238 §5.2)",
    },
    "api_token": {
        "last_used_at": ("a token's last use, written at most once a day, for finding unused tokens; "
                         "a use is not an audited write"),
    },
}

#: Tables whose rows are never compared with the log, with the reason.
UNAUDITED_TABLES: dict[str, str] = {
    "audit_log": "the log itself, checked by its hash chain",
    "audit_head": "the log's head, checked against the last entry",
    "evidence_study": ("written by the local survey import (corridor evidence), which is not audited; "
                       "archive.to_evidence names a study only as the destination of its copy"),
}

ONUPDATE_REASON = "rewritten by the database layer on every UPDATE (onupdate); it holds no content of its own"

ANCHOR_FORMAT = "corridor-audit-anchor"
ANCHOR_VERSION = 1
_MAX_ANCHOR_BYTES = 64 * 1024
_HEX64 = re.compile(r"[0-9a-f]{64}")
_INFO = "corridor.audit"


# --------------------------------------------------------------------------- hashing


def canonical_json(value: Any) -> str:
    """JSON with sorted keys and no spaces, dates as ISO strings: the same bytes every time."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)


def state_hash(state: Mapping[str, Any] | None) -> str | None:
    """SHA-256 of a record's state (``None`` for "did not exist")."""
    if state is None:
        return None
    return hashlib.sha256(canonical_json(state).encode()).hexdigest()


def entry_hash(prev_hash: str, fields: Mapping[str, Any]) -> str:
    return hashlib.sha256((prev_hash + canonical_json(fields)).encode()).hexdigest()


def _plain(value: Any) -> Any:
    """A column value as JSON can hold it: bytes by their SHA-256, times in UTC."""
    if isinstance(value, (bytes, bytearray, memoryview)):
        return {"sha256": hashlib.sha256(bytes(value)).hexdigest()}
    if isinstance(value, datetime):
        return (value.astimezone(UTC) if value.tzinfo else value).isoformat()
    return value


def excluded_columns(table: Table) -> dict[str, str]:
    """The columns of ``table`` left out of its row hash, each with the reason."""
    out = dict(UNAUDITED_COLUMNS.get(table.name, {}))
    for column in table.columns:
        if column.onupdate is not None:
            out.setdefault(column.name, ONUPDATE_REASON)
    return out


def row_hash(table: Table, row: Mapping[str, Any]) -> str:
    """SHA-256 of a row's columns as stored (the excluded ones left out), with its table's name."""
    skip = excluded_columns(table)
    state = {c.name: _plain(row[c.name]) for c in table.columns
             if c.name not in skip and not (c.info.get(ADDED_LATER) and row[c.name] in (None, ""))}
    return hashlib.sha256(canonical_json({"table": table.name, "row": state}).encode()).hexdigest()


# --------------------------------------------------------------------------- rows and entities


def _load_tables() -> None:
    from corridor.store.registry import load_all_tables

    load_all_tables()


@functools.cache
def _entity_tables() -> dict[str, Table]:
    """Every name an audit entry may give a table by: its table name or its class name in lower case."""
    from corridor.store.base import Base

    _load_tables()
    names: dict[str, Table] = {name: t for name, t in Base.metadata.tables.items() if name not in UNAUDITED_TABLES}
    for mapper in Base.registry.mappers:
        table = mapper.local_table
        if table.name not in UNAUDITED_TABLES:
            names.setdefault(mapper.class_.__name__.lower(), table)
    return names


def table_for(entity: str) -> Table | None:
    """The table whose rows an entry's ``entity`` names (``user`` is ``user_account``), if any."""
    return _entity_tables().get(entity)


def family_of(entity: str) -> list[Table]:
    """The tables an entry about a whole family names (``archive``: every ``archive_*`` table)."""
    from corridor.store.base import Base

    _load_tables()
    return [t for name, t in sorted(Base.metadata.tables.items())
            if name.startswith(f"{entity}_") and name not in UNAUDITED_TABLES]


def _names_of(table: Table) -> list[str]:
    return sorted(name for name, t in _entity_tables().items() if t is table)


def _pk_column(table: Table) -> Column | None:
    columns = list(table.primary_key.columns)
    return columns[0] if len(columns) == 1 else None


def _unique_text_columns(table: Table) -> list[Column]:
    """Single text columns that identify a row (``public_id``), besides the primary key."""
    out = [c for c in table.columns if c.unique and not c.primary_key]
    for constraint in table.constraints:
        cols = list(getattr(constraint, "columns", []))
        if type(constraint).__name__ == "UniqueConstraint" and len(cols) == 1 and cols[0] not in out:
            out.append(cols[0])
    return [c for c in out if _python_type(c) is str]


def _python_type(column: Column) -> type | None:
    try:
        return column.type.python_type
    except NotImplementedError:
        return None


def _locate(s: Session, table: Table, entity_id: Any) -> str | None:
    """The primary key of the row an entry names, by its key or by a unique text column."""
    pk = _pk_column(table)
    if pk is None:
        return None
    text = str(entity_id)
    kind = _python_type(pk)
    if kind is int and text.isdigit():
        return str(int(text))
    if kind is str:
        return text
    for column in _unique_text_columns(table):
        found = s.execute(select(pk).where(column == text)).scalar()
        if found is not None:
            return str(found)
    return None


def _current_hash(s: Session, table: Table, pk: str) -> str:
    column = _pk_column(table)
    key: Any = int(pk) if _python_type(column) is int else pk
    row = s.execute(select(table).where(column == key)).mappings().first()
    return ABSENT if row is None else row_hash(table, row)


def _latest_hash(s: Session, table: Table, pk: str) -> str | None:
    """The row hash the log last recorded for a row (``None`` if it never recorded one)."""
    from corridor.access.tables import AuditEntry

    return s.execute(select(AuditEntry.row_hash)
                     .where(AuditEntry.row_pk == pk, AuditEntry.entity.in_(_names_of(table)),
                            AuditEntry.row_hash.is_not(None))
                     .order_by(AuditEntry.seq.desc()).limit(1)).scalar()


def _audited_kinds(s: Session) -> set[str]:
    """Tables the log records rows of (an entry with a row hash names them); read once per
    transaction, then kept up to date by :func:`_write`."""
    from corridor.access.tables import AuditEntry

    info = s.info.setdefault(_INFO, {})
    if "kinds" not in info:
        names = s.execute(select(AuditEntry.entity).where(AuditEntry.row_hash.is_not(None)).distinct()).scalars()
        info["kinds"] = {t.name for t in map(table_for, names) if t is not None}
    return info["kinds"]


# --------------------------------------------------------------------------- writing


def _touched(session: Session) -> set[tuple[str, str]]:
    return session.info.setdefault(_INFO, {}).setdefault("touched", set())


def _note(session: Session, obj: Any) -> None:
    state = inspect(obj)
    table = state.mapper.local_table
    if table.name in UNAUDITED_TABLES:
        return
    key = state.identity or state.mapper.primary_key_from_instance(obj)
    if key and len(key) == 1 and key[0] is not None:
        _touched(session).add((table.name, str(key[0])))


@event.listens_for(Session, "after_flush")
def _note_flush(session: Session, flush_context: Any) -> None:
    """Remember every row a flush inserted, changed or deleted, until the next audit entry."""
    for obj in list(session.new) + list(session.deleted):
        _note(session, obj)
    for obj in list(session.dirty):
        if session.is_modified(obj, include_collections=False):
            _note(session, obj)


@event.listens_for(Session, "persistent_to_deleted")
def _note_deleted(session: Session, obj: Any) -> None:
    """Rows deleted by a cascade (an activity with its campaign) are remembered too."""
    _note(session, obj)


@event.listens_for(Session, "before_commit")
def _finish(session: Session) -> None:
    """Before an audited transaction commits, record the rows it touched after its last entry."""
    info = session.info.get(_INFO) or {}
    last = info.get("last")
    if last is None:
        return
    session.flush()
    touched = info.pop("touched", set())
    if touched:
        actor, org_id, action = last
        _companions(session, _head(session), touched, actor=actor, org_id=org_id, action=action,
                    kinds=_audited_kinds(session))


@event.listens_for(Session, "after_commit")
@event.listens_for(Session, "after_rollback")
def _forget(session: Session) -> None:
    session.info.pop(_INFO, None)


def _head(s: Session) -> AuditHead:
    from corridor.access.tables import AuditHead

    head = s.execute(select(AuditHead).where(AuditHead.id == 1).with_for_update()).scalar_one_or_none()
    if head is None:
        head = AuditHead(id=1, seq=0, hash=GENESIS)
        s.add(head)
        s.flush()
    return head


def _write(s: Session, head: AuditHead, fields: dict[str, Any]) -> AuditEntry:
    from corridor.access.tables import AuditEntry

    fields = {"seq": head.seq + 1, **fields}
    digest = entry_hash(head.hash, fields)
    entry = AuditEntry(**fields, prev_hash=head.hash, hash=digest)
    s.add(entry)
    head.seq, head.hash = fields["seq"], digest
    kinds = s.info.get(_INFO, {}).get("kinds")
    table = table_for(fields["entity"])
    if kinds is not None and table is not None and fields.get("row_hash") is not None:
        kinds.add(table.name)
    return entry


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _companions(s: Session, head: AuditHead, rows: Iterable[tuple[str, str]], *, actor: str,
                org_id: int | None, action: str, kinds: set[str] | None) -> None:
    """An entry for each row whose state differs from the log's, among ``rows`` of audited kinds
    (every kind when ``kinds`` is ``None``)."""
    from corridor.store.base import Base

    for name, pk in sorted(rows, key=lambda r: (r[0], len(r[1]), r[1])):
        if kinds is not None and name not in kinds:
            continue
        table = Base.metadata.tables[name]
        now, last = _current_hash(s, table, pk), _latest_hash(s, table, pk)
        if now == last or (last is None and now == ABSENT):
            continue
        _write(s, head, {"at": _now(), "actor": actor, "org_id": org_id, "action": action, "entity": name,
                         "entity_id": pk, "before": None, "after": None, "row_pk": pk, "row_hash": now})


def _bulk_rows(s: Session, tables: list[Table], org_id: int | None) -> set[tuple[str, str]]:
    """Every row of ``tables`` that exists, or that the log saw.

    With ``org_id``, a table the log already records rows of is limited to that organisation's
    rows, so that a bulk write never vouches for another organisation's rows; a table it starts
    recording with this write is recorded whole (its rows were not checked before).
    """
    from corridor.access.tables import AuditEntry

    kinds = _audited_kinds(s)
    out: set[tuple[str, str]] = set()
    for table in tables:
        pk = _pk_column(table)
        if pk is None:
            continue
        scoped = org_id is not None and "org_id" in table.columns and table.name in kinds
        present = select(pk).where(table.c.org_id == org_id) if scoped else select(pk)
        out.update((table.name, str(v)) for v in s.execute(present).scalars())
        logged = select(AuditEntry.row_pk).where(AuditEntry.entity.in_(_names_of(table)),
                                                 AuditEntry.row_pk.is_not(None))
        if scoped:
            logged = logged.where(AuditEntry.org_id == org_id)
        out.update((table.name, v) for v in s.execute(logged.distinct()).scalars())
    return out


#: The ``entity_id`` of an entry about every row of its table (or of its family of tables).
BULK_IDS = ("all", "*")


def _bulk_tables(entity: str, table: Table | None, entity_id: Any) -> list[Table]:
    """The tables a bulk entry covers.

    An entry about a table with the id ``all`` or ``*`` covers that table. An entry about a
    family of tables (``archive``, whatever its id: a restore) covers the family's tables that
    belong to organisations (those with an ``org_id`` column); their child rows (transcripts,
    acts) go with them and are not compared unless the log already records their kind.
    """
    if table is not None:
        return [table] if str(entity_id) in BULK_IDS else []
    return [t for t in family_of(entity) if "org_id" in t.columns]


def append_audit(s: Session, *, actor: str, org_id: int | None, action: str, entity: str,
                 entity_id: Any, before: dict | None, after: dict | None) -> AuditEntry:
    """Append one entry for a write, recording the row it left (after a flush) when ``entity``
    names a table; rows the transaction touched besides it get companion entries."""
    s.flush()
    head = _head(s)
    fields: dict[str, Any] = {"at": _now(), "actor": actor, "org_id": org_id, "action": action, "entity": entity,
                              "entity_id": str(entity_id), "before": state_hash(before),
                              "after": state_hash(after)}
    table = table_for(entity)
    pk = _locate(s, table, entity_id) if table is not None and str(entity_id) not in BULK_IDS else None
    if pk is not None:
        fields["row_pk"], fields["row_hash"] = pk, _current_hash(s, table, pk)
    entry = _write(s, head, fields)
    info = s.info.setdefault(_INFO, {})
    info["last"] = (actor, org_id, action)
    touched = info.pop("touched", set())
    touched.discard((table.name, pk) if table is not None else None)
    family = _bulk_tables(entity, table, entity_id)
    if family:       # a write of a whole table or family of tables (a restore): every row is recorded
        _companions(s, head, _bulk_rows(s, family, org_id), actor=actor, org_id=org_id, action=action, kinds=None)
        if touched:
            _companions(s, head, touched, actor=actor, org_id=org_id, action=action, kinds=_audited_kinds(s))
    elif touched:
        _companions(s, head, touched, actor=actor, org_id=org_id, action=action, kinds=_audited_kinds(s))
    return entry


def append_audit_many(s: Session, *, actor: str, org_id: int | None, action: str, entity: str,
                      items: Iterable[tuple[Any, dict | None, dict | None]]) -> None:
    """One entry per written row, as :func:`append_audit` writes for one: ``items`` are
    ``(entity_id, before, after)``. The head is locked and read once, and the rows are read back
    in batches, so that an import of thousands of rows stays quick."""
    s.flush()
    head = _head(s)
    table = table_for(entity)
    items = list(items)
    pks = [_locate(s, table, i[0]) if table is not None else None for i in items]
    hashes = _current_hashes(s, table, [pk for pk in pks if pk is not None]) if table is not None else {}
    for (entity_id, before, after), pk in zip(items, pks):
        fields: dict[str, Any] = {"at": _now(), "actor": actor, "org_id": org_id, "action": action,
                                  "entity": entity, "entity_id": str(entity_id), "before": state_hash(before),
                                  "after": state_hash(after)}
        if pk is not None:
            fields["row_pk"], fields["row_hash"] = pk, hashes.get(pk, ABSENT)
        _write(s, head, fields)
    info = s.info.setdefault(_INFO, {})
    info["last"] = (actor, org_id, action)
    touched = info.pop("touched", set())
    touched -= {(table.name, pk) for pk in pks if pk is not None} if table is not None else set()
    if touched:
        _companions(s, head, touched, actor=actor, org_id=org_id, action=action, kinds=_audited_kinds(s))


def _current_hashes(s: Session, table: Table, pks: list[str], *, batch: int = 500) -> dict[str, str]:
    column = _pk_column(table)
    keys: list[Any] = [int(pk) for pk in pks] if _python_type(column) is int else list(pks)
    out: dict[str, str] = {}
    for i in range(0, len(keys), batch):
        for row in s.execute(select(table).where(column.in_(keys[i:i + batch]))).mappings():
            out[str(row[column.name])] = row_hash(table, row)
    return out


# --------------------------------------------------------------------------- verifying


@dataclass(frozen=True)
class ChainBreak:
    """The first thing wrong: an entry (``seq``), or a row (``entity`` and ``entity_id``)."""

    seq: int | None
    reason: str
    entity: str | None = None
    entity_id: str | None = None


def verify_chain(entries: Iterable[Mapping[str, Any]]) -> ChainBreak | None:
    """Check a log in sequence order; return the first broken entry, or ``None`` if intact.

    Each entry is a mapping with ``seq``, ``prev_hash``, ``hash`` and the hashed fields
    (everything else).
    """
    prev = GENESIS
    expected_seq = 1
    for entry in entries:
        seq = entry["seq"]
        if seq != expected_seq:
            return ChainBreak(expected_seq, f"entry {expected_seq} is missing (found {seq})")
        if entry["prev_hash"] != prev:
            return ChainBreak(seq, "does not follow the entry before it")
        fields = {k: v for k, v in entry.items() if k not in {"hash", "prev_hash"}}
        if entry_hash(prev, fields) != entry["hash"]:
            return ChainBreak(seq, "its content was changed after it was written")
        prev = entry["hash"]
        expected_seq += 1
    return None


@dataclass(frozen=True)
class Anchor:
    """The head of a log at one moment, kept off the server."""

    seq: int
    hash: str
    first: str | None
    at: str


@dataclass
class AuditReport:
    """Everything :func:`audit_report` checked."""

    entries: int
    head_seq: int
    head_hash: str
    chain: ChainBreak | None
    rows: list[ChainBreak] = field(default_factory=list)
    rows_checked: int = 0
    rows_unchecked: int = 0
    anchor: str | None = None

    @property
    def ok(self) -> bool:
        return self.chain is None and not self.rows and self.anchor is None

    def first_problem(self) -> ChainBreak | None:
        if self.chain is not None:
            return self.chain
        if self.anchor is not None:
            return ChainBreak(None, self.anchor)
        return self.rows[0] if self.rows else None


def _pk_order(pk: str) -> tuple[int, int | str]:
    return (0, int(pk)) if pk.isdigit() else (1, pk)


def verify_rows(s: Session, entries: Iterable[AuditEntry]) -> tuple[list[ChainBreak], int, int]:
    """Compare every row of an audited kind with the latest entry for it.

    Returns the problems, the rows that match, and the rows last written before the log
    recorded rows (their entries carry no row hash; they are not compared).
    """
    from corridor.store.base import Base

    latest: dict[tuple[str, str], tuple[int, str]] = {}
    older: dict[str, set[str]] = {}
    for e in entries:
        table = table_for(e.entity)
        if table is None:
            continue
        if e.row_hash is None:
            older.setdefault(table.name, set()).add(e.entity_id)
        elif e.row_pk is not None:
            latest[(table.name, e.row_pk)] = (e.seq, e.row_hash)
    problems: list[ChainBreak] = []
    checked = unchecked = 0
    for name in sorted({t for t, _ in latest}):
        table = Base.metadata.tables[name]
        pk_col, idents = _pk_column(table), _unique_text_columns(table)
        current: dict[str, tuple[str, set[str]]] = {}
        for row in s.execute(select(table)).mappings():
            ids = {str(row[pk_col.name])} | {str(row[c.name]) for c in idents}
            current[str(row[pk_col.name])] = (row_hash(table, row), ids)
        logged = sorted((pk, v) for (t, pk), v in latest.items() if t == name)
        for pk, (seq, recorded) in sorted(logged, key=lambda x: _pk_order(x[0])):
            now = current[pk][0] if pk in current else ABSENT
            if now == recorded:
                checked += 1
            elif recorded == ABSENT:
                problems.append(ChainBreak(seq, f"is present, but entry {seq} recorded its deletion", name, pk))
            elif now == ABSENT:
                problems.append(ChainBreak(seq, f"was deleted without an audited write (last audited at entry {seq})",
                                           name, pk))
            else:
                problems.append(ChainBreak(seq, f"was changed without an audited write (last audited at entry {seq})",
                                           name, pk))
        for pk in sorted(set(current) - {p for p, _ in logged}, key=_pk_order):
            if current[pk][1] & older.get(name, set()):
                unchecked += 1
            else:
                problems.append(ChainBreak(None, "is present but was never audited", name, pk))
    return problems, checked, unchecked


def check_anchor(entries: list[AuditEntry], anchor: Anchor) -> str | None:
    """What is wrong with the log against an anchor taken earlier, or ``None``."""
    if anchor.seq == 0:
        return None
    by_seq = {e.seq: e for e in entries}
    last = entries[-1].seq if entries else 0
    if anchor.first is not None and 1 in by_seq and by_seq[1].hash != anchor.first:
        return "entry 1 differs from the anchor's: the anchor is from another audit log, or the whole log was rewritten"
    if anchor.seq not in by_seq:
        return (f"the log was truncated: entry {anchor.seq} of the anchor is gone "
                f"(the log now ends at entry {last})")
    if by_seq[anchor.seq].hash != anchor.hash:
        return (f"the log was rewritten: entry {anchor.seq} now has another hash than the anchor "
                f"(entries up to {anchor.seq} were replaced)")
    return None


def audit_report(s: Session, *, anchor: Anchor | None = None) -> AuditReport:
    """Check the chain, the head, every audited row and, if given, the anchor."""
    from corridor.access.tables import AuditEntry, AuditHead

    rows = list(s.execute(select(AuditEntry).order_by(AuditEntry.seq)).scalars())
    broken = verify_chain({**r.fields(), "prev_hash": r.prev_hash, "hash": r.hash} for r in rows)
    head = s.get(AuditHead, 1)
    if broken is None and head is not None and rows and (head.seq != rows[-1].seq or head.hash != rows[-1].hash):
        broken = ChainBreak(rows[-1].seq, "the log's head does not match its last entry: entries after this one "
                                          "were removed, or the head was altered")
    report = AuditReport(entries=len(rows), head_seq=rows[-1].seq if rows else 0,
                         head_hash=rows[-1].hash if rows else GENESIS, chain=broken)
    report.rows, report.rows_checked, report.rows_unchecked = verify_rows(s, rows)
    if anchor is not None:
        report.anchor = check_anchor(rows, anchor)
    return report


def verify_audit(s: Session) -> tuple[int, ChainBreak | None]:
    """Check the chain and every audited row; return the number of entries and the first problem."""
    report = audit_report(s)
    return report.entries, report.first_problem()


def iter_audit(s: Session) -> Iterable[AuditEntry]:
    from corridor.access.tables import AuditEntry

    return s.execute(select(AuditEntry).order_by(AuditEntry.seq)).scalars()


# --------------------------------------------------------------------------- anchors


def make_anchor(s: Session) -> Anchor:
    """The log's head now (and its first entry, which tells one log from another)."""
    from corridor.access.tables import AuditEntry

    last = s.execute(select(AuditEntry).order_by(AuditEntry.seq.desc()).limit(1)).scalar_one_or_none()
    first = s.execute(select(AuditEntry.hash).where(AuditEntry.seq == 1)).scalar()
    return Anchor(seq=last.seq if last else 0, hash=last.hash if last else GENESIS, first=first, at=_now())


def anchor_json(anchor: Anchor) -> str:
    return json.dumps({"format": ANCHOR_FORMAT, "version": ANCHOR_VERSION, "seq": anchor.seq,
                       "hash": anchor.hash, "first": anchor.first, "at": anchor.at}, indent=1) + "\n"


def write_anchor(path: Path | str, anchor: Anchor, *, field_name: str = "--out") -> Path:
    """Write an anchor file whole or not at all."""
    from corridor.atomic import write_text

    return write_text(path, anchor_json(anchor), field=field_name)


def read_anchor(path: Path | str) -> Anchor:
    """Read an anchor file; a damaged or foreign file is a :class:`CorridorError` naming the field
    (never echoing the file's content)."""
    from corridor.errors import CorridorError

    source = str(path)

    def bad(message: str, name: str | None = None) -> CorridorError:
        return CorridorError(message, source=source, field=name)

    p = Path(path).expanduser()
    try:
        with p.open("rb") as fh:
            raw = fh.read(_MAX_ANCHOR_BYTES + 1)
    except FileNotFoundError:
        raise bad("no such file") from None
    except IsADirectoryError:
        raise bad("is a directory, give an anchor file") from None
    except OSError as exc:
        raise bad(f"cannot be read ({type(exc).__name__})") from None
    if len(raw) > _MAX_ANCHOR_BYTES:
        raise bad("is too large to be an audit anchor")
    try:
        doc = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise bad("is not an audit anchor (not JSON); write one with `corridor audit anchor --out FILE`") from None
    if not isinstance(doc, dict):
        raise bad("is not an audit anchor (not a JSON object)")
    if doc.get("format") != ANCHOR_FORMAT:
        raise bad(f"is not an audit anchor (expected {ANCHOR_FORMAT})", "format")
    if doc.get("version") != ANCHOR_VERSION:
        raise bad(f"unsupported anchor version (this Corridor reads version {ANCHOR_VERSION})", "version")
    seq = doc.get("seq")
    if type(seq) is not int or seq < 0:
        raise bad("must be a whole number, 0 or more", "seq")
    digest = doc.get("hash")
    if not isinstance(digest, str) or not _HEX64.fullmatch(digest):
        raise bad("must be a SHA-256 in hex (64 characters)", "hash")
    first = doc.get("first")
    if first is not None and (not isinstance(first, str) or not _HEX64.fullmatch(first)):
        raise bad("must be a SHA-256 in hex (64 characters)", "first")
    at = doc.get("at")
    if not isinstance(at, str):
        raise bad("must be a time", "at")
    try:
        datetime.fromisoformat(at)
    except ValueError:
        raise bad("must be a time", "at") from None
    if seq == 0 and (digest != GENESIS or first is not None):
        raise bad("an empty log's anchor has the genesis hash and no first entry", "hash")
    return Anchor(seq=seq, hash=digest, first=first, at=at)
