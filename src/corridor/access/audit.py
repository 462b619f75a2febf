"""A tamper-evident audit log: every write appended, each entry chained to the previous by hash.

Entry *n* stores ``hash_n = SHA-256(prev_hash ‖ canonical JSON of its fields)``, with the
record's state before and after the write reduced to their own SHA-256. Changing, removing or
reordering any entry breaks every hash after it, which :func:`verify_chain` reports. (The same
construction as a Git history or Certificate Transparency's log, without the Merkle tree: the
log is small and verified whole.)
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from corridor.access.tables import AuditEntry

GENESIS = "0" * 64


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


@dataclass(frozen=True)
class ChainBreak:
    seq: int
    reason: str


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


def append_audit(s: "Session", *, actor: str, org_id: int | None, action: str, entity: str,
                 entity_id: Any, before: dict | None, after: dict | None) -> "AuditEntry":
    from sqlalchemy import select

    from corridor.access.tables import AuditEntry, AuditHead

    head = s.execute(select(AuditHead).where(AuditHead.id == 1).with_for_update()).scalar_one_or_none()
    if head is None:
        head = AuditHead(id=1, seq=0, hash=GENESIS)
        s.add(head)
        s.flush()
    fields = {"seq": head.seq + 1, "at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
              "actor": actor, "org_id": org_id, "action": action, "entity": entity,
              "entity_id": str(entity_id), "before": state_hash(before),
              "after": state_hash(after)}
    digest = entry_hash(head.hash, fields)
    entry = AuditEntry(**fields, prev_hash=head.hash, hash=digest)
    s.add(entry)
    head.seq, head.hash = fields["seq"], digest
    return entry


def verify_audit(s: "Session") -> tuple[int, ChainBreak | None]:
    """Check the whole chain; return the number of entries and the first break, if any."""
    from sqlalchemy import select

    from corridor.access.tables import AuditEntry, AuditHead

    rows = s.execute(select(AuditEntry).order_by(AuditEntry.seq)).scalars().all()
    entries = [{**r.fields(), "prev_hash": r.prev_hash, "hash": r.hash} for r in rows]
    broken = verify_chain(entries)
    if broken is None:
        head = s.get(AuditHead, 1)
        if head is not None and rows and (head.seq != rows[-1].seq or head.hash != rows[-1].hash):
            broken = ChainBreak(head.seq, "entries after this one were removed")
    return len(rows), broken


def iter_audit(s: "Session") -> Iterable["AuditEntry"]:
    from sqlalchemy import select

    from corridor.access.tables import AuditEntry

    return s.execute(select(AuditEntry).order_by(AuditEntry.seq)).scalars()
