"""Organisations, accounts, memberships and API tokens: who belongs where, and with what role.

Functions take a SQLAlchemy ``Session`` and never commit: the caller owns the transaction.
Every change is appended to the audit log in the same transaction; since the web service keys
its caches by the audit log's sequence number (the response cache, the token cache and the
fast path), a change takes effect from the next request.

Taking access away (removing a member, lowering a role, deactivating an account, resetting a
password, revoking a token or an archive role) ends the affected browser sessions and tokens in
the same transaction (OWASP Session Management Cheat Sheet: "Renew or invalidate sessions after
any privilege level change"). An organisation always keeps at least one active owner: removing
or demoting the last one is refused.

Owners enrol their second factor only with a one-time enrolment code (valid 24 hours, stored as
a hash) that the server administrator hands over out of band, so that a stolen password alone
never lets anyone set up a second factor on an owner's account (NIST SP 800-63B §6.1.2.1:
binding an authenticator to an existing account).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone

from sqlalchemy import select
from sqlalchemy.orm import Session

from corridor.access.audit import append_audit
from corridor.access.errors import Forbidden
from corridor.access.rules import (
    Action,
    Actor,
    ArchiveRole,
    Role,
    allowed,
    can_grant,
    require_in_org,
)
from corridor.access.tables import (
    ApiToken,
    ArchiveMembership,
    EnrolmentCode,
    Membership,
    Organisation,
    User,
    WebSession,
)
from corridor.errors import CorridorError
from corridor.textcheck import check_text

#: How long an enrolment code stays valid.
ENROLMENT_HOURS = 24


def state(obj) -> dict:
    """A row's columns as a dict (what the audit log hashes)."""
    return {c.key: getattr(obj, c.key) for c in obj.__table__.columns}


def actor_label(actor: Actor | None) -> str:
    return "system" if actor is None else actor.audit_label


def create_organisation(s: Session, name: str, *, actor: Actor | None = None) -> Organisation:
    check_text(name, field="name")
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

    check_text(username, field="username")
    check_text(display_name, field="display name")
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
    """Give ``user`` a role in ``org``, or change it. ``granter=None`` is the local administrator (CLI).

    Lowering a role ends the user's sessions; so does making owner someone without a second factor
    (an owner must sign in again through enrolment). The last active owner cannot be demoted.
    """
    if granter is not None and not can_grant(granter, org.id, role):
        raise Forbidden("you cannot grant a role higher than your own, or in an organisation you do not own")
    member = s.execute(select(Membership).where(Membership.user_id == user.id,
                                                Membership.org_id == org.id)).scalar_one_or_none()
    before = None if member is None else state(member)
    if member is not None and role is not Role.OWNER:
        _refuse_last_owner(s, user, org)
    if member is None:
        member = Membership(user_id=user.id, org_id=org.id, role=role.value)
        s.add(member)
    else:
        lowered = role.rank < Role(member.role).rank
        member.role = role.value
        if lowered:
            end_sessions(s, user.id)
    if role is Role.OWNER and not has_totp(user):
        end_sessions(s, user.id)
    s.flush()
    append_audit(s, actor=actor_label(granter), org_id=org.id, action="org.member", entity="membership",
                 entity_id=member.id, before=before, after=state(member))
    return member


def active_owners(s: Session, org_id: int) -> list[int]:
    """The user ids of ``org_id``'s owners whose accounts are active."""
    return list(s.execute(select(Membership.user_id).join(User, User.id == Membership.user_id)
                          .where(Membership.org_id == org_id, Membership.role == Role.OWNER.value,
                                 User.active.is_(True))).scalars())


def _refuse_last_owner(s: Session, user: User, org: Organisation) -> None:
    """Refuse to take the owner role from the last active owner of ``org``."""
    if active_owners(s, org.id) == [user.id]:
        raise CorridorError(f"is the last owner of {org.name}; make another member owner first",
                            field="username", value=user.username)


def remove_member(s: Session, user: User, org: Organisation, *, actor: Actor | None = None) -> None:
    """Take ``user`` out of ``org``: the membership, their archive roles there and their tokens for
    it go, and every session of theirs ends. ``actor=None`` is the local administrator (CLI)."""
    if actor is not None and not allowed(actor, Action.ORG_MANAGE_MEMBERS, org_id=org.id):
        raise Forbidden("only an owner of the organisation can remove its members")
    member = s.execute(select(Membership).where(Membership.user_id == user.id,
                                                Membership.org_id == org.id)).scalar_one_or_none()
    archive = s.execute(select(ArchiveMembership).where(ArchiveMembership.user_id == user.id,
                                                        ArchiveMembership.org_id == org.id)).scalars().all()
    if member is None and not archive:
        raise CorridorError(f"is not a member of {org.name}", field="username", value=user.username)
    if member is not None:
        _refuse_last_owner(s, user, org)
    before = None if member is None else state(member)
    for row in archive:
        s.delete(row)
        append_audit(s, actor=actor_label(actor), org_id=org.id, action="archive.revoke", entity="user",
                     entity_id=user.id, before={"role": row.role}, after=None)
    if member is not None:
        s.delete(member)
    revoke_tokens_of(s, user, org_id=org.id, actor=actor)
    end_sessions(s, user.id)
    _forget_enrolment_codes(s, user)
    s.flush()
    append_audit(s, actor=actor_label(actor), org_id=org.id, action="org.member.remove", entity="membership",
                 entity_id=user.id, before=before, after=None)


def deactivate_user(s: Session, user: User, *, actor: Actor | None = None) -> list[Organisation]:
    """Close an account for good: no sign-in, no token, no session, no pending enrolment.

    A server-administrator action (the account may belong to several organisations). It is
    allowed even for an organisation's last owner, so that a compromised account can always be
    stopped at once; returns the organisations left without an active owner.
    """
    orgs = [s.get(Organisation, o) for o in actor_for(s, user).roles]
    before = {"active": user.active}
    user.active = False
    revoke_tokens_of(s, user, actor=actor)
    _forget_enrolment_codes(s, user)
    end_sessions(s, user.id)
    s.flush()
    append_audit(s, actor=actor_label(actor), org_id=None, action="user.deactivate", entity="user",
                 entity_id=user.id, before=before, after={"active": False})
    return [o for o in orgs if o is not None and not active_owners(s, o.id)]


def set_password(s: Session, user: User, password: str, *, actor: Actor | None = None,
                 keep_tokens: bool = False) -> int:
    """Set or reset ``user``'s password and end their sessions; return how many tokens were revoked.

    A reset usually follows a suspected compromise, so the user's API tokens (which someone with
    the old password could have made) are revoked too unless ``keep_tokens``.
    """
    from corridor.access.accounts import hash_password

    user.password_hash = hash_password(password)
    revoked = 0 if keep_tokens else revoke_tokens_of(s, user, actor=actor)
    end_sessions(s, user.id)
    append_audit(s, actor=actor_label(actor), org_id=None, action="user.password", entity="user",
                 entity_id=user.id, before=None, after={"tokens_kept": keep_tokens})
    return revoked


def revoke_tokens_of(s: Session, user: User, *, org_id: int | None = None, actor: Actor | None = None) -> int:
    """Revoke every live token of ``user`` (in ``org_id`` only, if given), each audited."""
    q = select(ApiToken).where(ApiToken.user_id == user.id, ApiToken.revoked.is_(False))
    if org_id is not None:
        q = q.where(ApiToken.org_id == org_id)
    rows = s.execute(q).scalars().all()
    for record in rows:
        record.revoked = True
        append_audit(s, actor=actor_label(actor), org_id=record.org_id, action="token.revoke",
                     entity="api_token", entity_id=record.id, before={"revoked": False}, after={"revoked": True})
    return len(rows)


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


def end_sessions(s: Session, user_id: int, *, keep: str | None = None) -> int:
    """Sign ``user_id`` out of every browser at once (except the session whose id hash is
    ``keep``, if given); return how many sessions ended."""
    q = select(WebSession).where(WebSession.user_id == user_id)
    if keep is not None:
        q = q.where(WebSession.id_hash != keep)
    rows = s.execute(q).scalars().all()
    for row in rows:
        s.delete(row)
    return len(rows)


# --------------------------------------------------------------------------- second factor


def totp_purpose(user: User) -> str:
    return f"totp:user:{user.id}"


def has_totp(user: User) -> bool:
    return user.totp_secret is not None


def must_use_second_factor(actor: Actor) -> bool:
    """Whoever may manage an organisation's members (its owners) must sign in with a second factor."""
    return any(allowed(actor, Action.ORG_MANAGE_MEMBERS, org_id=o) for o in actor.roles)


def needs_enrolment(s: Session, user: User) -> bool:
    """Whether ``user`` may sign in only by enrolling a second factor with an enrolment code:
    an owner without one, or anyone an administrator has issued a live code to."""
    if has_totp(user):
        return False
    return must_use_second_factor(actor_for(s, user)) or bool(_live_codes(s, user))


def set_totp(s: Session, user: User, secret: str, *, actor: Actor | None = None) -> None:
    """Keep ``user``'s TOTP secret, sealed with the server key (see :mod:`corridor.access.serverkey`)."""
    from corridor.access.serverkey import seal

    before = {"totp": has_totp(user)}
    user.totp_secret = seal(secret.encode(), totp_purpose(user))
    user.totp_last_step = None
    append_audit(s, actor=actor_label(actor) if actor else f"user:{user.id}", org_id=None, action="user.2fa",
                 entity="user", entity_id=user.id, before=before, after={"totp": True})


def enrol_totp(s: Session, user: User, secret: str, code: str, *, at: float | None = None,
               actor: Actor | None = None) -> bool:
    """Set ``secret`` as ``user``'s second factor if ``code`` is its current code.

    The confirming code's time step is remembered at once, so it cannot be replayed to sign in
    (RFC 6238 §5.2). The caller has checked that the user may do this (enrolment code, or the
    password and the current code). Returns False, changing nothing, when the code is wrong.
    """
    import time

    from corridor.access.accounts import totp_step

    if len(secret) < 16:
        return False
    step = totp_step(secret, code, at=time.time() if at is None else at)
    if step is None:
        return False
    set_totp(s, user, secret, actor=actor)
    user.totp_last_step = step
    return True


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
    secret = open_sealed(user.totp_secret, totp_purpose(user)).decode()
    step = totp_step(secret, code, at=time.time() if at is None else at)
    if step is None or (user.totp_last_step is not None and step <= user.totp_last_step):
        return False
    return _claim_step(user, step)


def _claim_step(user: User, step: int) -> bool:
    """Record ``step`` as used with one conditional UPDATE, so that two workers given the same
    code at the same moment cannot both accept it (the second finds the step taken)."""
    from sqlalchemy import or_, update
    from sqlalchemy.orm import object_session
    from sqlalchemy.orm.attributes import set_committed_value

    s = object_session(user)
    if s is None:
        user.totp_last_step = step
        return True
    claimed = s.execute(update(User).where(User.id == user.id, or_(User.totp_last_step.is_(None),
                                                                   User.totp_last_step < step))
                        .values(totp_last_step=step).execution_options(synchronize_session=False))
    if claimed.rowcount != 1:
        return False
    set_committed_value(user, "totp_last_step", step)
    return True


# --------------------------------------------------------------------------- enrolment codes


def _now(now: datetime | None) -> datetime:
    return now or datetime.now(timezone.utc)


def _aware(t: datetime) -> datetime:
    return t if t.tzinfo else t.replace(tzinfo=timezone.utc)


def _live_codes(s: Session, user: User, *, now: datetime | None = None) -> list[EnrolmentCode]:
    rows = s.execute(select(EnrolmentCode).where(EnrolmentCode.user_id == user.id,
                                                 EnrolmentCode.used_at.is_(None))).scalars().all()
    return [r for r in rows if _aware(r.expires_at) > _now(now)]


def _forget_enrolment_codes(s: Session, user: User) -> int:
    """Delete every enrolment code of ``user`` that has not been used."""
    rows = s.execute(select(EnrolmentCode).where(EnrolmentCode.user_id == user.id,
                                                 EnrolmentCode.used_at.is_(None))).scalars().all()
    for row in rows:
        s.delete(row)
    return len(rows)


def start_enrolment(s: Session, user: User, *, actor: Actor | None = None,
                    now: datetime | None = None) -> tuple[str, datetime]:
    """Issue a one-time enrolment code for ``user`` (returned once; only its hash is kept).

    Older unused codes stop working, the current second factor (if any: a lost phone) is
    removed, and every session of the user ends. Returns the code and when it expires.
    """
    from corridor.access.accounts import enrolment_code_hash, new_enrolment_code

    if not user.active:
        raise CorridorError("the account is deactivated", field="username", value=user.username)
    _forget_enrolment_codes(s, user)
    had_totp = has_totp(user)
    user.totp_secret = None
    user.totp_last_step = None
    end_sessions(s, user.id)
    code = new_enrolment_code()
    expires = _now(now) + timedelta(hours=ENROLMENT_HOURS)
    s.add(EnrolmentCode(user_id=user.id, code_hash=enrolment_code_hash(code), expires_at=expires))
    s.flush()
    append_audit(s, actor=actor_label(actor), org_id=None, action="user.enrol", entity="user", entity_id=user.id,
                 before={"totp": had_totp}, after={"totp": False, "enrolment_expires": expires.isoformat()})
    return code, expires


def valid_enrolment_code(s: Session, user: User, code: str, *, now: datetime | None = None) -> EnrolmentCode | None:
    """``user``'s live enrolment code matching ``code`` (unused, unexpired), or None."""
    import hmac

    from corridor.access.accounts import enrolment_code_hash

    digest = enrolment_code_hash(code)
    for row in _live_codes(s, user, now=now):
        if hmac.compare_digest(row.code_hash, digest):
            return row
    return None


def use_enrolment_code(row: EnrolmentCode, *, now: datetime | None = None) -> None:
    """Mark an enrolment code used: it never works again."""
    row.used_at = _now(now)


#: What an owner is told for an account it may not add: the same for an unknown, a deactivated
#: and another organisation's account, so that the member form tells nobody which accounts exist.
NOT_ADDABLE = "no account by this name that you can add; the server's administrator adds accounts"


def addable(s: Session, user: User | None, org: Organisation, granter: Actor | None) -> bool:
    """Whether ``granter`` may give ``user`` a role in ``org``: the local administrator always
    (for an active account); an owner for a member of ``org``, or for an active account that
    belongs to no organisation the owner does not manage (nobody is drawn into another organisation without the
    administrator, nor signed out or made to enrol by another organisation's owner)."""
    if user is None or not user.active:
        return False
    if granter is None:
        return True
    held = s.execute(select(Membership.org_id).where(Membership.user_id == user.id)).scalars().all()
    if org.id in held:
        return True          # already a member: its own owners manage its role
    held += s.execute(select(ArchiveMembership.org_id).where(ArchiveMembership.user_id == user.id)).scalars().all()
    return all(allowed(granter, Action.ORG_MANAGE_MEMBERS, org_id=o) for o in set(held) - {org.id})


def give_role(s: Session, user: User | None, org: Organisation, role: Role, *,
              granter: Actor | None = None) -> tuple[str, datetime] | None:
    """Give ``user`` ``role`` in ``org`` (:func:`set_membership`); a new owner without a second
    factor also gets a one-time enrolment code, returned once to hand over (else None).

    A granter who may not manage ``org``'s members is refused before anything about ``user`` is
    looked at; an account the granter may not add (:func:`addable`) is refused with
    :data:`NOT_ADDABLE`, whatever the reason.
    """
    if granter is not None:
        require_in_org(granter, Action.ORG_MANAGE_MEMBERS, org.id,
                       refusal="only an owner of the organisation can manage its members")
    if not addable(s, user, org, granter):
        raise CorridorError(NOT_ADDABLE, field="username")
    set_membership(s, user, org, role, granter=granter)
    if role is Role.OWNER and not has_totp(user):
        return start_enrolment(s, user, actor=granter)
    return None


# --------------------------------------------------------------------------- reads for the service


def organisation(s: Session, org_id: int) -> Organisation | None:
    return s.get(Organisation, org_id)


def organisation_names(s: Session) -> dict[int, str]:
    """Every organisation's name, by id (names are public within the coalition)."""
    return {o.id: o.name for o in s.execute(select(Organisation)).scalars()}


def organisations_by_id(s: Session, ids) -> list[Organisation]:
    """The organisations with these ids, by name."""
    ids = list(ids)
    if not ids:
        return []
    return list(s.execute(select(Organisation).where(Organisation.id.in_(ids)).order_by(Organisation.name)).scalars())


def user(s: Session, user_id: int) -> User | None:
    return s.get(User, user_id)


def user_named(s: Session, username: str) -> User | None:
    """The account called ``username``; None for a name no account can have, which is never
    looked up (PostgreSQL refuses a NUL in a query)."""
    from corridor.textcheck import bad_character

    if not username or len(username) > 200 or bad_character(username) is not None:
        return None
    return s.execute(select(User).where(User.username == username)).scalar_one_or_none()


def members_of(s: Session, org_id: int) -> list[tuple[Membership, User]]:
    """An organisation's ledger memberships with their accounts, by username."""
    rows = s.execute(select(Membership, User).join(User).where(Membership.org_id == org_id).order_by(User.username))
    return [(m, u) for m, u in rows]


def archive_roles_in(s: Session, org_id: int) -> dict[int, list[str]]:
    """The archive roles held in an organisation, by user id (each list sorted)."""
    out: dict[int, list[str]] = {}
    for m in s.execute(select(ArchiveMembership).where(ArchiveMembership.org_id == org_id)
                       .order_by(ArchiveMembership.role)).scalars():
        out.setdefault(m.user_id, []).append(m.role)
    return out


def belongs(s: Session, user_id: int, org_id: int) -> bool:
    """Whether a person holds a ledger role or an archive role in an organisation."""
    member = s.execute(select(Membership.id).where(Membership.user_id == user_id,
                                                   Membership.org_id == org_id)).first()
    if member is not None:
        return True
    return s.execute(select(ArchiveMembership.id).where(ArchiveMembership.user_id == user_id,
                                                        ArchiveMembership.org_id == org_id)).first() is not None


# --------------------------------------------------------------------------- tokens and sessions


class TokenRefused(Exception):
    """An API token that acts for no one (unknown, revoked, or its owner left or was deactivated)."""


@dataclass(frozen=True)
class TokenGrant:
    """What an API token may do: act for one organisation with one role (at most its creator's
    role there, never archive roles), until it expires. Valid for one ledger version: every change
    to a membership or a token writes to the audit log."""

    user_id: int
    org_id: int
    role: Role
    expires_at: datetime | None

    def live(self, now: datetime | None = None) -> bool:
        """Not expired at ``now`` (checked on every request; the grant itself may be cached)."""
        return self.expires_at is None or self.expires_at >= _now(now)

    def actor(self) -> Actor:
        return Actor(self.user_id, {self.org_id: self.role})


def token_grant(s: Session, digest: str) -> TokenGrant:
    """The grant of the API token whose hash is ``digest``; :class:`TokenRefused` when the token
    acts for no one. Expiry is not checked here: see :meth:`TokenGrant.live`."""
    tok = s.execute(select(ApiToken).where(ApiToken.token_hash == digest)).scalar_one_or_none()
    if tok is None or tok.revoked:
        raise TokenRefused("invalid or expired token")
    owner = s.get(User, tok.user_id)
    held = actor_for(s, owner).role_in(tok.org_id) if owner is not None else None
    if held is None or not owner.active:
        raise TokenRefused("the token's owner left the organisation")
    asked = Role(tok.role)
    return TokenGrant(owner.id, tok.org_id, asked if asked.rank <= held.rank else held,
                      None if tok.expires_at is None else _aware(tok.expires_at))


#: A token's last use is written at most once a day (``corridor doctor`` lists tokens unused for 90 days).
TOKEN_USE_EVERY = timedelta(days=1)


def note_token_use(engine, digest: str, noted: dict, *, now: datetime | None = None) -> None:
    """Record that the API token whose hash is ``digest`` was used: at most once a day per token
    (``noted``, the caller's memo of days already written), in a transaction of its own so that a
    read stays a read. A busy database skips it: the column is bookkeeping, not audited."""
    from sqlalchemy import or_, update

    now = now or datetime.now(UTC)
    if noted.get(digest) == now.date():
        return
    try:
        with engine.begin() as conn:
            conn.execute(update(ApiToken).where(
                ApiToken.token_hash == digest,
                or_(ApiToken.last_used_at.is_(None), ApiToken.last_used_at < now - TOKEN_USE_EVERY))
                .values(last_used_at=now))
    except Exception:  # noqa: BLE001  (best effort: never fail a request over bookkeeping)
        return
    noted[digest] = now.date()


def open_session(s: Session, user: User, *, mfa: bool, hours: float) -> tuple[str, WebSession]:
    """A new browser session for ``user`` lasting ``hours``: the raw id (for the cookie; only its
    hash is stored) and the row (with its CSRF token)."""
    import secrets

    from corridor.access.accounts import new_session_id, token_hash

    raw = new_session_id()
    row = WebSession(id_hash=token_hash(raw), user_id=user.id, csrf_token=secrets.token_urlsafe(32),
                     mfa_passed=mfa, expires_at=datetime.now(UTC) + timedelta(hours=hours))
    s.add(row)
    return raw, row


def live_session(s: Session, raw: str | None, *, now: datetime | None = None) -> tuple[WebSession, User] | None:
    """The unexpired session with this raw id and its active account, or None."""
    from corridor.access.accounts import token_hash

    if not raw:
        return None
    row = s.get(WebSession, token_hash(raw))
    if row is None or _aware(row.expires_at) < _now(now):
        return None
    owner = s.get(User, row.user_id)
    if owner is None or not owner.active:
        return None
    return row, owner


def end_session(s: Session, raw: str | None) -> None:
    """End the browser session with this raw id (if there is one)."""
    from corridor.access.accounts import token_hash

    if raw:
        row = s.get(WebSession, token_hash(raw))
        if row is not None:
            s.delete(row)


@dataclass(frozen=True)
class TokenListing:
    """What an administrator may see of an API token: never the token nor its hash."""

    id: int
    org_id: int
    organisation: str
    username: str
    role: str
    name: str
    created_at: datetime | None
    last_used_at: datetime | None
    expires_at: datetime | None
    revoked: bool

    def state(self, now: datetime | None = None) -> str:
        """``revoked``, ``expired`` or ``live`` at ``now``."""
        if self.revoked:
            return "revoked"
        if self.expires_at is not None and self.expires_at < _now(now):
            return "expired"
        return "live"


def token_listing(s: Session, *, org_id: int | None = None) -> list[TokenListing]:
    """Every API token (of ``org_id`` only, if given), by number: its organisation, the account it
    acts as, role, label, when it was created, last used (written at most once a day, see
    :data:`TOKEN_USE_EVERY`) and expires, and whether it is revoked. Times are in UTC."""
    q = (select(ApiToken.id, ApiToken.org_id, Organisation.name, User.username, ApiToken.role, ApiToken.name,
                ApiToken.created_at, ApiToken.last_used_at, ApiToken.expires_at, ApiToken.revoked)
         .join(Organisation, Organisation.id == ApiToken.org_id)
         .join(User, User.id == ApiToken.user_id)
         .order_by(ApiToken.id))
    if org_id is not None:
        q = q.where(ApiToken.org_id == org_id)
    out = []
    for tid, oid, org_name, username, role, name, created, used, expires, revoked in s.execute(q):
        out.append(TokenListing(tid, oid, org_name, username, role, name or "",
                                None if created is None else _aware(created),
                                None if used is None else _aware(used),
                                None if expires is None else _aware(expires), bool(revoked)))
    return out
