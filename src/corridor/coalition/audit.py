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
from typing import Any

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
