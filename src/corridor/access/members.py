"""Organisations, accounts, memberships and API tokens: who belongs where, and with what role.

Functions take a SQLAlchemy ``Session`` and never commit: the caller owns the transaction.
Every change is appended to the audit log in the same transaction; since the web service keys
its caches by the audit log's sequence number, a change takes effect from the next request.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from corridor.access.audit import append_audit
from corridor.access.errors import Forbidden
from corridor.access.rules import Action, Actor, ArchiveRole, Role, allowed, can_grant
from corridor.access.tables import ApiToken, ArchiveMembership, Membership, Organisation, User, WebSession
from corridor.errors import CorridorError


def state(obj) -> dict:
    """A row's columns as a dict (what the audit log hashes)."""
    return {c.key: getattr(obj, c.key) for c in obj.__table__.columns}


def actor_label(actor: Actor | None) -> str:
    return "system" if actor is None else actor.audit_label


def create_organisation(s: Session, name: str, *, actor: Actor | None = None) -> Organisation:
    name = name.strip()
    if not name:
        raise CorridorError("must not be empty", field="name", value=name)
    if s.execute(select(Organisation).where(Organisation.name == name)).scalar_one_or_none():
        raise CorridorError("an organisation with this name exists", field="name", value=name)
    org = Organisation(name=name)
    s.add(org)
    s.flush()
    append_audit(s, actor=actor_label(actor), org_id=org.id, action="org.create", entity="organisation",
                 entity_id=org.id, before=None, after=state(org))
    return org


def create_user(s: Session, username: str, password: str, *, display_name: str = "",
                actor: Actor | None = None) -> User:
    from corridor.access.accounts import hash_password

    username = username.strip().lower()
    if not username or len(username) > 200:
        raise CorridorError("must be 1–200 characters", field="username", value=username)
    if s.execute(select(User).where(User.username == username)).scalar_one_or_none():
        raise CorridorError("this username is taken", field="username", value=username)
    user = User(username=username, display_name=display_name or username,
                password_hash=hash_password(password))
    s.add(user)
    s.flush()
    append_audit(s, actor=actor_label(actor), org_id=None, action="user.create", entity="user",
                 entity_id=user.id, before=None, after={"id": user.id, "username": username})
    return user


def set_membership(s: Session, user: User, org: Organisation, role: Role, *,
                   granter: Actor | None = None) -> Membership:
    """Give ``user`` a role in ``org``. ``granter=None`` is the local administrator (CLI)."""
    if granter is not None and not can_grant(granter, org.id, role):
        raise Forbidden("you cannot grant a role higher than your own, or in an organisation you do not own")
    member = s.execute(select(Membership).where(Membership.user_id == user.id,
                                                Membership.org_id == org.id)).scalar_one_or_none()
    before = None if member is None else state(member)
    if member is None:
        member = Membership(user_id=user.id, org_id=org.id, role=role.value)
        s.add(member)
    else:
        member.role = role.value
    s.flush()
    append_audit(s, actor=actor_label(granter), org_id=org.id, action="org.member", entity="membership",
                 entity_id=member.id, before=before, after=state(member))
    return member


def create_token(s: Session, user: User, org: Organisation, role: Role, *, name: str = "",
                 granter: Actor | None = None) -> tuple[str, ApiToken]:
    """An API token for ``user`` acting in ``org`` with at most ``role`` (and never more than the
    user's own role there). Returns the token, shown once, and its stored record (hash only)."""
    from corridor.access.accounts import new_api_token

    held = actor_for(s, user).role_in(org.id)
    if held is None:
        raise CorridorError("the user is not a member of this organisation", field="--org", value=org.name)
    if role.rank > held.rank:
        raise CorridorError(f"cannot exceed the user's own role ({held.value})", field="--role", value=role.value)
    if granter is not None and not (granter.user_id == user.id or can_grant(granter, org.id, role)):
        raise Forbidden("only the user or an owner of the organisation can create this token")
    token, digest = new_api_token()
    record = ApiToken(token_hash=digest, name=name, org_id=org.id, user_id=user.id, role=role.value)
    s.add(record)
    s.flush()
    append_audit(s, actor=actor_label(granter), org_id=org.id, action="token.create", entity="api_token",
                 entity_id=record.id, before=None, after={"org_id": org.id, "user_id": user.id, "role": role.value})
    return token, record


def revoke_token(s: Session, token_id: int, *, actor: Actor | None = None) -> None:
    record = s.get(ApiToken, token_id)
    if record is None:
        raise CorridorError("no such token", field="token id", value=token_id)
    if actor is not None and not allowed(actor, Action.ORG_MANAGE_TOKENS, org_id=record.org_id):
        raise Forbidden("only an owner of the organisation can revoke its tokens")
    record.revoked = True
    append_audit(s, actor=actor_label(actor), org_id=record.org_id, action="token.revoke", entity="api_token",
                 entity_id=record.id, before={"revoked": False}, after={"revoked": True})


def actor_for(s: Session, user: User) -> Actor:
    """The actor behind a signed-in person: ledger roles and archive roles, per organisation."""
    rows = s.execute(select(Membership).where(Membership.user_id == user.id)).scalars().all()
    archive: dict[int, set[ArchiveRole]] = {}
    for m in s.execute(select(ArchiveMembership).where(ArchiveMembership.user_id == user.id)).scalars():
        archive.setdefault(m.org_id, set()).add(ArchiveRole(m.role))
    return Actor(user.id, {m.org_id: Role(m.role) for m in rows},
                 archive_roles={k: frozenset(v) for k, v in archive.items()})


def organisations_of(s: Session, actor: Actor) -> list[Organisation]:
    if not actor.roles:
        return []
    return list(s.execute(select(Organisation).where(Organisation.id.in_(actor.roles))
                          .order_by(Organisation.name)).scalars())


def end_sessions(s: Session, user_id: int) -> int:
    """Sign ``user_id`` out of every browser at once; return how many sessions ended."""
    rows = s.execute(select(WebSession).where(WebSession.user_id == user_id)).scalars().all()
    for row in rows:
        s.delete(row)
    return len(rows)


# --------------------------------------------------------------------------- second factor


def _totp_purpose(user: User) -> str:
    return f"totp:user:{user.id}"


def has_totp(user: User) -> bool:
    return user.totp_secret is not None


def set_totp(s: Session, user: User, secret: str, *, actor: Actor | None = None) -> None:
    """Keep ``user``'s TOTP secret, sealed with the server key (see :mod:`corridor.access.serverkey`)."""
    from corridor.access.serverkey import seal

    before = {"totp": has_totp(user)}
    user.totp_secret = seal(secret.encode(), _totp_purpose(user))
    user.totp_last_step = None
    append_audit(s, actor=actor_label(actor) if actor else f"user:{user.id}", org_id=None, action="user.2fa",
                 entity="user", entity_id=user.id, before=before, after={"totp": True})


def check_totp(user: User, code: str, *, at: float | None = None) -> bool:
    """Whether ``code`` is ``user``'s current TOTP code and has not been used before.

    A code is accepted once: the time step it belongs to is remembered, and that step and every
    earlier one are refused afterwards (RFC 6238 §5.2). The caller commits.
    """
    import time

    from corridor.access.accounts import totp_step
    from corridor.access.serverkey import open_sealed

    if user.totp_secret is None:
        return False
    secret = open_sealed(user.totp_secret, _totp_purpose(user)).decode()
    step = totp_step(secret, code, at=time.time() if at is None else at)
    if step is None or (user.totp_last_step is not None and step <= user.totp_last_step):
        return False
    user.totp_last_step = step
    return True
