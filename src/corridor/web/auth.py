"""Who is asking: browser sessions (cookie + CSRF) and API tokens, resolved to an Actor."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from fastapi import HTTPException, Request
from sqlalchemy import select
from sqlalchemy.orm import Session

from corridor.access import members
from corridor.access.accounts import LoginThrottle, new_session_id, token_hash, verify_password
from corridor.access.rules import Actor, Role
from corridor.access.tables import ApiToken, AuditHead, User, WebSession

SESSION_COOKIE = "corridor_session"
SESSION_HOURS = 8


@dataclass
class Identity:
    user: User | None         # None for API tokens (pages need a signed-in browser)
    actor: Actor
    csrf: str | None          # None for token requests (no cookie, no CSRF needed)
    via_token: bool = False


def is_owner_anywhere(actor: Actor) -> bool:
    return any(r is Role.OWNER for r in actor.roles.values())


def needs_second_factor(ident: "Identity") -> bool:
    """A signed-in owner without a second factor may only set one up (tokens are exempt)."""
    return (not ident.via_token and ident.user is not None and is_owner_anywhere(ident.actor)
            and not members.has_totp(ident.user))


def login(s: Session, throttle: LoginThrottle, username: str, password: str, code: str,
          client: str) -> tuple[str, WebSession] | str:
    """Check credentials; on success return the cookie value and session, else an error key."""
    keys = (f"user:{username.strip().lower()}", f"ip:{client}")
    if throttle.blocked(*keys):
        return "throttled"
    user = s.execute(select(User).where(User.username == username.strip().lower())).scalar_one_or_none()
    ok = user is not None and user.active and verify_password(user.password_hash, password)
    if ok:
        actor = members.actor_for(s, user)
        if members.has_totp(user):
            ok = members.check_totp(user, code)
        elif is_owner_anywhere(actor):
            ok = True  # allowed in, but only to set up two-factor authentication first
    if not ok:
        throttle.failed(*keys)
        return "invalid"
    throttle.succeeded(*keys)
    raw = new_session_id()
    session = WebSession(id_hash=token_hash(raw), user_id=user.id, csrf_token=secrets.token_urlsafe(32),
                         mfa_passed=members.has_totp(user),
                         expires_at=datetime.now(timezone.utc) + timedelta(hours=SESSION_HOURS))
    s.add(session)
    return raw, session


def logout(s: Session, raw: str | None) -> None:
    if raw:
        row = s.get(WebSession, token_hash(raw))
        if row is not None:
            s.delete(row)


def ledger_version(request: Request, s: Session) -> int:
    """The audit log's sequence number: it advances with every write (memoised per request)."""
    version = getattr(request.state, "ledger_version", None)
    if version is None:
        version = s.scalar(select(AuditHead.seq).where(AuditHead.id == 1)) or 0
        request.state.ledger_version = version
    return version


def identify(request: Request, s: Session) -> Identity | None:
    """The identity behind a request: a bearer token or a live session cookie (or nobody).

    A token's organisation and role are cached per ledger version (every change to a
    membership or token writes to the audit log and so starts a new version); expiry is checked
    on every request.
    """
    header = request.headers.get("authorization", "")
    if header.lower().startswith("bearer "):
        digest = token_hash(header[7:].strip())
        cache = request.app.state.token_cache
        key = (digest, ledger_version(request, s))
        hit = cache.get(key)
        if hit is None:
            tok = s.execute(select(ApiToken).where(ApiToken.token_hash == digest)).scalar_one_or_none()
            if tok is None or tok.revoked:
                raise HTTPException(401, "invalid or expired token")
            user = s.get(User, tok.user_id)
            held = members.actor_for(s, user).role_in(tok.org_id)
            if held is None or not user.active:
                raise HTTPException(401, "the token's owner left the organisation")
            role = Role(tok.role) if Role(tok.role).rank <= held.rank else held
            hit = (user.id, tok.org_id, role, tok.expires_at and _aware(tok.expires_at))
            if len(cache) > 10_000:
                cache.clear()
            cache[key] = hit
        user_id, org_id, role, expires = hit
        if expires is not None and expires < datetime.now(timezone.utc):
            raise HTTPException(401, "invalid or expired token")
        return Identity(None, Actor(user_id, {org_id: role}), None, via_token=True)
    raw = request.cookies.get(SESSION_COOKIE)
    if not raw:
        return None
    row = s.get(WebSession, token_hash(raw))
    if row is None or _aware(row.expires_at) < datetime.now(timezone.utc):
        return None
    user = s.get(User, row.user_id)
    if user is None or not user.active:
        return None
    return Identity(user, members.actor_for(s, user), row.csrf_token)


def _aware(t: datetime) -> datetime:
    return t if t.tzinfo else t.replace(tzinfo=timezone.utc)


def check_csrf(identity: Identity, submitted: str | None) -> None:
    """Browser writes must carry the session's CSRF token (form field or X-CSRF-Token header)."""
    if identity.via_token:
        return
    if not submitted or not secrets.compare_digest(submitted, identity.csrf or ""):
        raise HTTPException(403, "missing or wrong CSRF token; reload the page and try again")
