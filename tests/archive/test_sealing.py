"""Sealed identities, the wrapped private key, and its Shamir split backup."""

from __future__ import annotations

import pytest

from corridor.archive import sealing
from corridor.errors import CorridorError


def test_seal_opens_only_with_the_private_key():
    kp, other = sealing.new_keypair(), sealing.new_keypair()
    sealed = sealing.seal_identity(kp.public, {"name": "김영희", "contacts": "+82 10"})
    assert b"\xea\xb9\x80" not in sealed  # no UTF-8 byte of 김 in the clear
    assert sealing.open_identity(kp.private, sealed) == {"contacts": "+82 10", "name": "김영희"}
    with pytest.raises(CorridorError, match="another organisation key"):
        sealing.open_identity(other.private, sealed)
    # two seals of the same identity differ (an ephemeral key each time): equal names are not linkable
    assert sealing.seal_identity(kp.public, {"name": "김영희"}) != sealing.seal_identity(kp.public, {"name": "김영희"})


def test_unknown_identity_fields_are_refused():
    kp = sealing.new_keypair()
    with pytest.raises(CorridorError, match="unknown identity field"):
        sealing.seal_identity(kp.public, {"adress": "x"})


def test_wrong_passphrase_says_only_that():
    kp = sealing.new_keypair()
    wrapped = sealing.wrap_private_key(kp.private, "correct horse battery")
    assert sealing.unwrap_private_key(wrapped, "correct horse battery") == kp.private
    with pytest.raises(sealing.WrongPassphrase) as exc:
        sealing.unwrap_private_key(wrapped, "correct horse batterx")
    assert exc.value.one_line() == "wrong passphrase"
    damaged = wrapped[:-1] + bytes([wrapped[-1] ^ 1])
    with pytest.raises(sealing.WrongPassphrase):   # a damaged key file gives no more detail
        sealing.unwrap_private_key(damaged, "correct horse battery")
    with pytest.raises(CorridorError, match="at least 12"):
        sealing.wrap_private_key(kp.private, "short")


def test_shamir_shares_recover_the_key_from_any_threshold():
    kp = sealing.new_keypair()
    shares = sealing.split_key(kp.private, threshold=2, count=3)
    assert len(shares) == 3 and all(len(s.split()) == 33 for s in shares)  # SLIP-0039: 33 words for 256 bits
    for pair in ((0, 1), (0, 2), (1, 2)):
        assert sealing.combine_shares([shares[i] for i in pair]) == kp.private
    with pytest.raises(CorridorError, match="do not give a key"):
        sealing.combine_shares(shares[:1])
    garbled = shares[0].split()
    garbled[5] = "zebra" if garbled[5] != "zebra" else "acid"
    with pytest.raises(CorridorError):
        sealing.combine_shares([" ".join(garbled), shares[1]])
    with pytest.raises(CorridorError, match="threshold of 1"):
        sealing.split_key(kp.private, threshold=1, count=3)
