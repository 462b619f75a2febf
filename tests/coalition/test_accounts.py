"""Passwords, two-factor and enrolment codes, tokens, and throttling held in the database."""

from datetime import datetime, timedelta, timezone

import pyotp
import pytest

from corridor.access.accounts import (
    check_password,
    enrolment_code_hash,
    hash_password,
    new_api_token,
    new_enrolment_code,
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


def test_unknown_accounts_are_checked_against_a_dummy_hash():
    assert not check_password(None, "correct horse battery")
    assert check_password(hash_password("correct horse battery"), "correct horse battery")


def test_enrolment_codes_are_random_and_typed_loosely():
    a, b = new_enrolment_code(), new_enrolment_code()
    assert a != b and len(a.replace("-", "")) == 20
    assert enrolment_code_hash(a) == enrolment_code_hash(a.lower().replace("-", " "))
    assert enrolment_code_hash(a) != enrolment_code_hash(b) and a not in enrolment_code_hash(a)


def test_throttle_blocks_after_the_limit_and_forgets_after_the_window(db_url):
    from corridor.access.throttle import Throttle
    from corridor.store import make_engine, session_scope, upgrade

    upgrade(db_url)
    engine = make_engine(db_url)
    t = Throttle(limit=3, window_s=60)
    t0 = datetime(2026, 1, 1, tzinfo=timezone.utc)
    try:
        with session_scope(engine) as s:
            for i in range(3):
                assert not t.blocked(s, ["user:kim", "ip:1"], now=t0 + timedelta(seconds=i))
                t.failed(s, ["user:kim", "ip:1"], now=t0 + timedelta(seconds=i))
        with session_scope(engine) as s:          # another worker's session sees the same count
            at = t0 + timedelta(seconds=10)
            assert t.blocked(s, ["user:kim"], now=at)
            assert t.blocked(s, ["ip:1"], now=at)            # the address too
            assert not t.blocked(s, ["user:lee", "ip:2"], now=at)
            assert not t.blocked(s, ["user:kim"], now=t0 + timedelta(seconds=100))   # window passed
            assert t.forget_old(s, now=t0 + timedelta(seconds=100)) == 6
    finally:
        engine.dispose()
