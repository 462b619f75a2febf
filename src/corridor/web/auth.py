"""Who is asking: browser sessions (cookie + CSRF) and API tokens, resolved to an Actor; signing in.

Signing in (OWASP Authentication Cheat Sheet; NIST SP 800-63B §5.2.2 for throttling):

- **Equal work for every name.** The password is always checked with exactly one Argon2
  verification, against a dummy hash when the account does not exist or is deactivated, and the
  answer is the same, so neither the answer nor its timing tells which accounts exist.
- **Throttling in the database** (:class:`corridor.access.throttle.Throttle`), by account and by
  address, so it holds across worker processes. A success does not erase failures: one's own
  correct sign-in must not reset an attacker's count.
- **A lockout does not lock out the real user who proves a second factor**: during a lockout, the
  right password *and* a valid, unused TOTP code still sign in. For an account without a second
  factor the lockout holds.
- **Owners without a second factor get no session.** Their correct password only opens the
  enrolment form, which needs the one-time enrolment code an administrator gave them
  (``corridor user add --role owner`` or ``corridor user enrol``); the TOTP secret is set only
  with that code. The form's state between the two steps is a short-lived ticket signed with a
  key derived from the server key and bound to the password hash and the pre-session cookie.
- **Login CSRF** (OWASP CSRF Prevention Cheat Sheet, "Login CSRF" and "Signed Double-Submit
  Cookie"): ``GET /login`` sets a random pre-session cookie, and the form carries an HMAC of it
  under a key derived from the server key. A ``POST /login`` whose token does not match its
  cookie is refused, so another site cannot sign a victim's browser into an attacker's account.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
import time
from dataclasses import dataclass

from fastapi import HTTPException, Request
from sqlalchemy.orm import Session

from corridor.access import members
from corridor.access.accounts import check_password, token_hash
from corridor.access.rules import Actor
from corridor.access.tables import User, WebSession
from corridor.access.throttle import Throttle
from corridor.coalition import ledger
from corridor.textcheck import bad_character

SESSION_COOKIE = "corridor_session"
SESSION_HOURS = 8
#: The pre-session cookie that the login form's CSRF token is bound to.
LOGIN_COOKIE = "corridor_login"
#: How long the enrolment form (after the password) stays valid.
ENROL_MINUTES = 15
_COOKIE_SHAPE = re.compile(r"[A-Za-z0-9_-]{32,100}")


@dataclass
class Identity:
    user: User | None         # None for API tokens (pages need a signed-in browser)
    actor: Actor
    csrf: str | None          # None for token requests (no cookie, no CSRF needed)
    via_token: bool = False


@dataclass
class SignIn:
    """The outcome of a sign-in step: ``ok`` (with the new session), ``invalid``, ``throttled``,
    ``enrol`` (the password was right; an enrolment code is needed), ``expired`` (a stale
    enrolment form), ``enrolment_code`` or ``code`` (that code was wrong)."""

    status: str
    user: User | None = None
    cookie: str | None = None
    session: WebSession | None = None


def is_owner_anywhere(actor: Actor) -> bool:
    """Whether the actor manages some organisation's members (and so must use a second factor)."""
    return members.must_use_second_factor(actor)


def needs_second_factor(ident: Identity) -> bool:
    """A signed-in owner without a second factor (no such session is ever made; kept as a guard)."""
    return (not ident.via_token and ident.user is not None and is_owner_anywhere(ident.actor)
            and not members.has_totp(ident.user))


# --------------------------------------------------------------------------- keys and tickets


def derived_key(purpose: str) -> bytes:
    """A key for one purpose, derived from the server key (HMAC-SHA256 as a PRF, RFC 2104)."""
    from corridor.access.serverkey import load_key

    return hmac.new(load_key(), f"corridor:{purpose}".encode(), hashlib.sha256).digest()


def new_login_cookie() -> str:
    return secrets.token_urlsafe(32)


def valid_login_cookie(value: str | None) -> bool:
    return bool(value) and _COOKIE_SHAPE.fullmatch(value) is not None


def login_csrf_token(cookie: str) -> str:
    """The login form's token for this pre-session cookie (signed double-submit)."""
    return hmac.new(derived_key("login-csrf"), cookie.encode(), hashlib.sha256).hexdigest()


def check_login_csrf(cookie: str | None, submitted: str | None) -> bool:
    """Whether a sign-in form was served by us to this browser."""
    if not valid_login_cookie(cookie) or not submitted:
        return False
    return hmac.compare_digest(login_csrf_token(cookie), submitted)


def _ticket_mac(user: User, secret: str, cookie: str, expires: int) -> str:
    message = f"{user.id}|{expires}|{secret}|{user.password_hash}|{cookie}".encode()
    return hmac.new(derived_key("enrol-ticket"), message, hashlib.sha256).hexdigest()


def enrol_ticket(user: User, secret: str, cookie: str, *, now: float | None = None) -> str:
    """Proof, for the enrolment form, that this browser gave ``user``'s password moments ago."""
    expires = int(time.time() if now is None else now) + ENROL_MINUTES * 60
    return f"{expires}.{_ticket_mac(user, secret, cookie, expires)}"


def check_enrol_ticket(ticket: str, user: User, secret: str, cookie: str | None, *,
                       now: float | None = None) -> bool:
    expires, _, mac = str(ticket).partition(".")
    if not expires.isdigit() or not valid_login_cookie(cookie) or int(expires) < (time.time() if now is None else now):
        return False
    return hmac.compare_digest(_ticket_mac(user, secret, cookie, int(expires)), mac)


# --------------------------------------------------------------------------- signing in


def attempt_keys(username: str, client: str) -> list[str]:
    """What a sign-in attempt is counted against: the account name and the address."""
    if bad_character(username) is not None or len(username) > 200:   # no NUL into a query (PostgreSQL)
        username = "#" + hashlib.sha256(username.encode("utf-8", "replace")).hexdigest()
    return [f"user:{username}", f"ip:{client}"]


def _open_session(s: Session, user: User, *, mfa: bool) -> SignIn:
    raw, session = members.open_session(s, user, mfa=mfa, hours=SESSION_HOURS)
    return SignIn("ok", user, raw, session)


def login(s: Session, throttle: Throttle, username: str, password: str, code: str, client: str) -> SignIn:
    """Check a sign-in; the caller commits even when it fails (the failure count must stay)."""
    name = username.strip().lower()
    keys = attempt_keys(name, client)
    blocked = throttle.blocked(s, keys)
    user = members.user_named(s, name)
    live = user is not None and user.active
    password_ok = check_password(user.password_hash if live else None, password)   # one Argon2 call, always
    second = password_ok and members.has_totp(user) and members.check_totp(user, code)
    ok = password_ok and (second or not members.has_totp(user))
    if not ok:
        throttle.forget_old(s, keys)
        throttle.failed(s, keys)
        return SignIn("throttled" if blocked else "invalid")
    if blocked and not second:
        return SignIn("throttled")
    if members.needs_enrolment(s, user):
        return SignIn("enrol", user)
    return _open_session(s, user, mfa=second)


def complete_enrolment(s: Session, throttle: Throttle, *, username: str, ticket: str, secret: str,
                       enrolment_code: str, code: str, client: str, login_cookie: str | None) -> SignIn:
    """The enrolment form: a valid ticket (the password, moments ago), the one-time enrolment code
    and a code from the new authenticator. Sets the second factor and signs in."""
    name = username.strip().lower()
    keys = attempt_keys(name, client)
    if throttle.blocked(s, keys):
        return SignIn("throttled")
    user = members.user_named(s, name)
    if user is None or not user.active or not check_enrol_ticket(ticket, user, secret, login_cookie):
        throttle.failed(s, keys)
        return SignIn("expired")
    row = members.valid_enrolment_code(s, user, enrolment_code)
    if row is None:
        throttle.failed(s, keys)
        return SignIn("enrolment_code", user)
    if not members.enrol_totp(s, user, secret, code):
        throttle.failed(s, keys)
        return SignIn("code", user)
    members.use_enrolment_code(row)
    return _open_session(s, user, mfa=True)


def logout(s: Session, raw: str | None) -> None:
    members.end_session(s, raw)


def ledger_version(request: Request, s: Session) -> int:
    """The audit log's sequence number: it advances with every write (memoised per request)."""
    version = getattr(request.state, "ledger_version", None)
    if version is None:
        version = ledger.version(s)
        request.state.ledger_version = version
    return version


def note_token_use(request: Request, digest: str) -> None:
    """Write the token's last use (at most once a day per token and worker), for ``corridor doctor``."""
    state = request.app.state
    members.note_token_use(state.engine, digest, state.__dict__.setdefault("token_use_noted", {}))


def identify(request: Request, s: Session) -> Identity | None:
    """The identity behind a request: a bearer token or a live session cookie (or nobody).

    A token's organisation and role are cached per ledger version (every change to a
    membership or token writes to the audit log and so starts a new version); expiry is checked
    on every request.
    """
    header = request.headers.get("authorization", "")
    if header.lower().startswith("bearer "):
        digest = token_hash(header[7:].strip())
        grant = token_grant(request, s, digest)
        if not grant.live():
            raise HTTPException(401, "invalid or expired token")
        note_token_use(request, digest)
        identity = Identity(None, grant.actor(), None, via_token=True)
        request.state.log_who = {"token_org": grant.org_id}          # for the access log: ids only
        return identity
    found = members.live_session(s, request.cookies.get(SESSION_COOKIE))
    if found is None:
        return None
    row, user = found
    actor = members.actor_for(s, user)
    if not row.mfa_passed and members.must_use_second_factor(actor):
        return None     # an owner's session is valid only after a second factor
    request.state.log_who = {"user": user.id}                        # for the access log: ids only
    return Identity(user, actor, row.csrf_token)


def token_grant(request: Request, s: Session, digest: str) -> members.TokenGrant:
    """What the API token with hash ``digest`` may do (decided by :func:`members.token_grant`),
    kept in the app's token cache for the current ledger version, where the fast path finds it."""
    cache = request.app.state.token_cache
    key = (digest, ledger_version(request, s))
    grant = cache.get(key)
    if grant is None:
        try:
            grant = members.token_grant(s, digest)
        except members.TokenRefused as exc:
            raise HTTPException(401, str(exc)) from None
        cache.put(key, grant)
    return grant


def check_csrf(identity: Identity, submitted: str | None) -> None:
    """Browser writes must carry the session's CSRF token (form field or X-CSRF-Token header)."""
    if identity.via_token:
        return
    if not submitted or not secrets.compare_digest(submitted, identity.csrf or ""):
        raise HTTPException(403, "missing or wrong CSRF token; reload the page and try again")
