"""What every operation of the archive shares: who acts (:class:`Clerk`), the permission check,
the audit entry, public ids, and reading years and dates from a form.

The audit entry (:func:`_audit`) carries hashes of states (:func:`_state`), never the text of a
testimony or an identity.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from corridor.access.audit import append_audit
from corridor.access.errors import Forbidden, NotFound
from corridor.access.rules import ArchiveAction, ArchiveRole, archive_allowed
from corridor.access.tables import User
from corridor.archive.tables import ArchiveMembership
from corridor.errors import CorridorError

_ID_ALPHABET = "23456789ABCDEFGHJKMNPQRSTVWXYZ"   # no 0/O, 1/I/L, U: read aloud without mistakes


@dataclass(frozen=True)
class Clerk:
    """Someone acting on the archive: their archive roles per organisation.

    ``admin`` is the local administrator at the command line (the machine's owner), who may run
    backups, restores and exports for any organisation; it never unseals without the key.
    """

    label: str
    roles: Mapping[int, frozenset[ArchiveRole]] = field(default_factory=dict)
    user_id: int | None = None
    admin: bool = False

    def may(self, action: ArchiveAction, org_id: int) -> bool:
        return self.admin or archive_allowed(self.roles, action, org_id=org_id)


def clerk_for(s: Session, user: User) -> Clerk:
    rows = s.execute(select(ArchiveMembership).where(ArchiveMembership.user_id == user.id)).scalars().all()
    roles: dict[int, set[ArchiveRole]] = {}
    for r in rows:
        roles.setdefault(r.org_id, set()).add(ArchiveRole(r.role))
    return Clerk(f"user:{user.id}", {k: frozenset(v) for k, v in roles.items()}, user_id=user.id)


ADMIN = Clerk("admin", admin=True)


def _require(clerk: Clerk, action: ArchiveAction, org_id: int) -> None:
    if clerk.may(action, org_id):
        return
    if clerk.admin or org_id in clerk.roles:
        raise Forbidden(f"your archive roles do not allow {action.value}")
    raise NotFound("no such record")


def _audit(s: Session, clerk: Clerk, org_id: int, action: str, entity: str, entity_id: Any,
           before: dict | None = None, after: dict | None = None) -> None:
    append_audit(s, actor=clerk.label, org_id=org_id, action=action, entity=entity, entity_id=entity_id,
                 before=before, after=after)


def _state(obj) -> dict:
    out = {}
    for c in obj.__table__.columns:
        v = getattr(obj, c.key)
        out[c.key] = hashlib.sha256(v).hexdigest() if isinstance(v, bytes) else v
    return out


def new_public_id(prefix: str) -> str:
    """``P-7K3Q-9XRT``: 40 bits of randomness in an unambiguous alphabet (Uwazi's "Generated ID" idea)."""
    chars = "".join(secrets.choice(_ID_ALPHABET) for _ in range(8))
    return f"{prefix}-{chars[:4]}-{chars[4:]}"


def _year(value, field_name: str, lo: int, hi: int) -> int | None:
    if value in (None, ""):
        return None
    try:
        v = int(value)
    except (TypeError, ValueError):
        raise CorridorError("must be a year", field=field_name, value=value) from None
    if not lo <= v <= hi:
        raise CorridorError(f"must be between {lo} and {hi}", field=field_name, value=v)
    return v


def _date(value, field_name: str) -> date:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value or "").strip())
    except ValueError:
        raise CorridorError("must be a date like 2024-05-17", field=field_name, value=value) from None
