"""Archive roles and keys: granting and revoking a role in an organisation's archive, and the
organisation's key pair that seals identities (:mod:`corridor.archive.sealing`)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from corridor.access.audit import append_audit
from corridor.access.errors import Forbidden
from corridor.access.rules import Actor, ArchiveRole, can_grant_archive
from corridor.access.tables import Organisation, User
from corridor.archive import sealing
from corridor.archive.records.common import ADMIN, Clerk, _audit
from corridor.archive.tables import ArchiveKey, ArchiveMembership
from corridor.errors import CorridorError


def _membership(s: Session, user: User, org: Organisation, role: ArchiveRole) -> ArchiveMembership | None:
    return s.execute(select(ArchiveMembership).where(
        ArchiveMembership.user_id == user.id, ArchiveMembership.org_id == org.id,
        ArchiveMembership.role == role.value)).scalar_one_or_none()


def revoke_role(s: Session, user: User, org: Organisation, role: ArchiveRole, *, granter: Actor | None = None) -> bool:
    """Take an archive role away from ``user`` in ``org`` and end their sessions at once.

    ``granter=None`` is the local administrator. Returns whether the user held the role.
    """
    from corridor.access.members import end_sessions

    if granter is not None and not can_grant_archive(granter, org.id):
        raise Forbidden("only an owner of the organisation can take archive roles away")
    held = _membership(s, user, org, role)
    if held is None:
        return False
    s.delete(held)
    end_sessions(s, user.id)
    append_audit(s, actor=granter.audit_label if granter else "admin", org_id=org.id, action="archive.revoke",
                 entity="user", entity_id=user.id, before={"role": role.value}, after=None)
    return True


def grant_role(s: Session, user: User, org: Organisation, role: ArchiveRole, *, granter: Actor | None = None) -> None:
    """Give ``user`` an archive role in ``org``; ``granter=None`` is the local administrator."""
    if granter is not None and not can_grant_archive(granter, org.id):
        raise Forbidden("only an owner of the organisation can give archive roles")
    exists = _membership(s, user, org, role)
    if exists is None:
        s.add(ArchiveMembership(user_id=user.id, org_id=org.id, role=role.value))
        append_audit(s, actor=granter.audit_label if granter else "admin", org_id=org.id,
                     action="archive.grant", entity="user", entity_id=user.id, before=None,
                     after={"role": role.value})


def create_key(s: Session, org_id: int, *, passphrase: str | None = None, clerk: Clerk = ADMIN) -> sealing.KeyPair:
    """A new key pair for ``org_id``. The public key is stored; the private key is returned, and
    stored here only wrapped under ``passphrase`` if one is given. Refuses to replace a key."""
    if s.execute(select(ArchiveKey).where(ArchiveKey.org_id == org_id)).scalar_one_or_none():
        raise CorridorError("this organisation already has an archive key", field="org", value=org_id,
                            hint="keys are not replaced: identities sealed with it would be lost")
    kp = sealing.new_keypair()
    wrapped = sealing.wrap_private_key(kp.private, passphrase) if passphrase else None
    row = ArchiveKey(org_id=org_id, public_key=kp.public, fingerprint=kp.fingerprint, wrapped_private_key=wrapped)
    s.add(row)
    s.flush()
    _audit(s, clerk, org_id, "archive.key.create", "archive_key", row.id, after={"fingerprint": kp.fingerprint,
                                                                                  "stored_wrapped": bool(wrapped)})
    return kp


def org_key(s: Session, org_id: int) -> ArchiveKey:
    row = s.execute(select(ArchiveKey).where(ArchiveKey.org_id == org_id)).scalar_one_or_none()
    if row is None:
        raise CorridorError("this organisation has no archive key yet", field="org", value=org_id,
                            hint="run `corridor archive keygen --org NAME` first")
    return row
