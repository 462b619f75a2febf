"""Account security primitives: passwords, two-factor codes, API tokens, login throttling.

- Passwords are hashed with Argon2id (RFC 9106) through ``argon2-cffi``'s defaults; the hash
  string carries its own parameters, so they can be raised later and old hashes rehashed.
- Two-factor codes are TOTP (RFC 6238: 30 s steps, 6 digits, SHA-1, as every authenticator app
  expects), required for organisation owners.
- API tokens are 256-bit random strings shown once; only their SHA-256 is stored, so a copy of
  the database does not give working tokens.
- Login attempts are throttled per account and per address with a sliding window.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import threading
import time
from collections import defaultdict, deque

import pyotp
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from corridor.errors import CorridorError

_HASHER = PasswordHasher()
MIN_PASSWORD_LENGTH = 12
TOKEN_PREFIX = "cor_"


def check_password_strength(password: str) -> None:
    """Refuse passwords a phishing kit or a guessing script would find first."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise CorridorError(f"must be at least {MIN_PASSWORD_LENGTH} characters", field="password")
    if len(set(password)) < 5:
        raise CorridorError("uses too few different characters", field="password")


def hash_password(password: str) -> str:
    check_password_strength(password)
    return _HASHER.hash(password)


def verify_password(stored_hash: str, password: str) -> bool:
    """True if ``password`` matches; never raises for a wrong password or a damaged hash."""
    try:
        return _HASHER.verify(stored_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def needs_rehash(stored_hash: str) -> bool:
    return _HASHER.check_needs_rehash(stored_hash)


def new_totp_secret() -> str:
    return pyotp.random_base32()


def totp_uri(secret: str, account: str, issuer: str = "Corridor") -> str:
    """The ``otpauth://`` URI an authenticator app reads (usually from a QR code)."""
    return pyotp.TOTP(secret).provisioning_uri(name=account, issuer_name=issuer)


def verify_totp(secret: str, code: str, *, at: float | None = None) -> bool:
    """Accept the current 30 s code or its neighbours (one step of clock drift either way)."""
    code = "".join(ch for ch in str(code) if ch.isdigit())
    if len(code) != 6:
        return False
    return pyotp.TOTP(secret).verify(code, for_time=at if at is not None else time.time(), valid_window=1)


def totp_step(secret: str, code: str, *, at: float) -> int | None:
    """The 30 s time step whose code ``code`` is (the current one or a neighbour), or None."""
    code = "".join(ch for ch in str(code) if ch.isdigit())
    if len(code) != 6:
        return None
    totp = pyotp.TOTP(secret)
    now = int(at) // totp.interval
    for step in (now, now - 1, now + 1):
        if hmac.compare_digest(totp.generate_otp(step), code):
            return step
    return None


def new_api_token() -> tuple[str, str]:
    """A new token and the hash to store. Show the token once; keep only the hash."""
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    return token, token_hash(token)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def new_session_id() -> str:
    return secrets.token_urlsafe(32)


def constant_time_equal(a: str, b: str) -> bool:
    return hmac.compare_digest(a.encode(), b.encode())


class LoginThrottle:
    """At most ``limit`` failed attempts per key within ``window_s`` seconds.

    Keys are the account name and the client address, so neither a password spray over many
    accounts from one address nor a distributed guess at one account gets far. State is held
    in memory: it protects one server process, which is how Corridor is deployed.
    """

    def __init__(self, limit: int = 5, window_s: float = 900.0) -> None:
        self.limit = limit
        self.window_s = window_s
        self._failures: dict[str, deque[float]] = defaultdict(deque)
        self._lock = threading.Lock()

    def _prune(self, key: str, now: float) -> deque[float]:
        q = self._failures[key]
        while q and now - q[0] > self.window_s:
            q.popleft()
        return q

    def blocked(self, *keys: str, now: float | None = None) -> bool:
        now = time.monotonic() if now is None else now
        with self._lock:
            return any(len(self._prune(k, now)) >= self.limit for k in keys)

    def failed(self, *keys: str, now: float | None = None) -> None:
        now = time.monotonic() if now is None else now
        with self._lock:
            for k in keys:
                self._prune(k, now).append(now)

    def succeeded(self, *keys: str) -> None:
        with self._lock:
            for k in keys:
                self._failures.pop(k, None)
