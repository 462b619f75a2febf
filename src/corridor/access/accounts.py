"""Account security primitives: passwords, two-factor codes, enrolment codes, API tokens.

- Passwords are hashed with Argon2id (RFC 9106) through ``argon2-cffi``'s defaults; the hash
  string carries its own parameters, so they can be raised later and old hashes rehashed.
- Two-factor codes are TOTP (RFC 6238: 30 s steps, 6 digits, SHA-1, as every authenticator app
  expects), required for organisation owners.
- API tokens are 256-bit random strings shown once; only their SHA-256 is stored, so a copy of
  the database does not give working tokens.
- Owners enrol their second factor with a one-time enrolment code (high-entropy, typed from a
  printout, stored only as its SHA-256, like the tokens).
- Signing in does the same work for an unknown account as for a real one: the password is
  checked against a dummy Argon2 hash with the same parameters (OWASP Authentication Cheat Sheet,
  "Authentication Responses"), so the answer's timing does not tell which accounts exist.

Counting failed attempts is :mod:`corridor.access.throttle` (held in the database).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import time

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


_DUMMY_HASHES: dict[tuple, str] = {}


def dummy_hash() -> str:
    """An Argon2 hash of a random password, made with the current parameters (once per parameters).

    Verifying against it costs what verifying a real account's hash costs, and never succeeds.
    """
    key = (_HASHER.time_cost, _HASHER.memory_cost, _HASHER.parallelism, _HASHER.hash_len, _HASHER.salt_len)
    if key not in _DUMMY_HASHES:
        _DUMMY_HASHES[key] = _HASHER.hash(secrets.token_urlsafe(24))
    return _DUMMY_HASHES[key]


def check_password(stored_hash: str | None, password: str) -> bool:
    """Verify ``password`` against ``stored_hash``, or against :func:`dummy_hash` when there is no
    account: one Argon2 verification either way, so both take the same time."""
    if stored_hash is None:
        verify_password(dummy_hash(), password)
        return False
    return verify_password(stored_hash, password)


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


#: Enrolment codes: 20 base32 characters (100 bits), shown in groups of four.
ENROLMENT_CODE_CHARS = 20


def new_enrolment_code() -> str:
    """A one-time code a new owner types to enrol a second factor, e.g. ``K7QH-2MXD-...``."""
    raw = base64.b32encode(secrets.token_bytes(ENROLMENT_CODE_CHARS * 5 // 8)).decode()
    return "-".join(raw[i:i + 4] for i in range(0, ENROLMENT_CODE_CHARS, 4))


def enrolment_code_hash(code: str) -> str:
    """SHA-256 of the code with spaces, dashes and case ignored (as a person may type it)."""
    normal = "".join(ch for ch in str(code).upper() if ch.isalnum())
    return hashlib.sha256(f"enrolment:{normal}".encode()).hexdigest()


def new_session_id() -> str:
    return secrets.token_urlsafe(32)


def constant_time_equal(a: str, b: str) -> bool:
    return hmac.compare_digest(a.encode(), b.encode())
