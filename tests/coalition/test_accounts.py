"""Passwords, two-factor codes, tokens and login throttling."""

import pyotp
import pytest

from corridor.access.accounts import (
    LoginThrottle,
    hash_password,
    new_api_token,
    new_totp_secret,
    token_hash,
    totp_uri,
    verify_password,
    verify_totp,
)
from corridor.errors import CorridorError


def test_argon2_hash_verifies_and_refuses():
    h = hash_password("correct horse battery")
    assert h.startswith("$argon2id$")
    assert verify_password(h, "correct horse battery")
    assert not verify_password(h, "correct horse batterx")
    assert not verify_password("not a hash", "correct horse battery")


@pytest.mark.parametrize("weak", ["short", "aaaaaaaaaaaaaaaa"])
def test_weak_passwords_are_refused(weak):
    with pytest.raises(CorridorError, match="password"):
        hash_password(weak)


def test_totp_accepts_current_and_neighbouring_codes_only():
    secret = new_totp_secret()
    t = 1_800_000_000.0
    totp = pyotp.TOTP(secret)
    assert verify_totp(secret, totp.at(t), at=t)
    assert verify_totp(secret, totp.at(t - 30), at=t)
    assert not verify_totp(secret, totp.at(t - 120), at=t)
    assert not verify_totp(secret, "12345", at=t)
    assert totp_uri(secret, "kim@example.org").startswith("otpauth://totp/Corridor:")


def test_tokens_are_random_and_stored_only_as_hashes():
    a, ha = new_api_token()
    b, hb = new_api_token()
    assert a != b and ha == token_hash(a) and a not in ha and len(a) > 40


def test_throttle_blocks_after_the_limit_and_forgets_after_the_window():
    t = LoginThrottle(limit=3, window_s=60)
    for i in range(3):
        assert not t.blocked("user:kim", "ip:1", now=i)
        t.failed("user:kim", "ip:1", now=i)
    assert t.blocked("user:kim", now=10)
    assert t.blocked("ip:1", now=10)            # the address too
    assert not t.blocked("user:lee", "ip:2", now=10)
    assert not t.blocked("user:kim", now=100)   # window passed
    t.failed("user:kim", now=101)
    t.succeeded("user:kim")
    assert not t.blocked("user:kim", now=102)
