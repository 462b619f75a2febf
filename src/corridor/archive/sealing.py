"""Sealed identities: what the server stores but cannot read.

- Each organisation has one X25519 key pair. The server keeps the **public** key and seals each
  witness's real identity with it: a libsodium *sealed box* (an ephemeral X25519 key, then
  XSalsa20-Poly1305; libsodium documentation, "Sealed boxes"; PyNaCl ``nacl.public.SealedBox``).
  Only the private key opens it; the sender itself cannot.
- The **private key** is kept offline (a file, itself protected by a passphrase) or, if the
  organisation chooses, stored on the server wrapped under a passphrase and unwrapped for one
  request only. Wrapping: Argon2id (RFC 9106; ``crypto_pwhash``, libsodium's "moderate" limits,
  256 MiB and 3 passes) derives a 32-byte key from the passphrase and a random 16-byte salt;
  XSalsa20-Poly1305 (``nacl.secret.SecretBox``) encrypts and authenticates the private key.
  A wrong passphrase fails the authentication tag: the answer is only "wrong passphrase".
- **Key loss** is planned for: the private key (32 bytes) is split into SLIP-0039 Shamir shares
  (SatoshiLabs, "SLIP-0039: Shamir's Secret-Sharing for Mnemonic Codes", via the maintained
  ``shamir-mnemonic`` reference implementation): any ``threshold`` of ``count`` word lists give it
  back, fewer give nothing about it.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any

import nacl.exceptions
import nacl.pwhash
import nacl.secret
import nacl.utils
from nacl.public import PrivateKey, PublicKey, SealedBox

from corridor.errors import CorridorError

WRAP_MAGIC = b"CORRIDOR-KEY-1\n"
#: Argon2id limits for wrapping keys and backups (libsodium "moderate": 3 passes, 256 MiB).
OPSLIMIT = nacl.pwhash.argon2id.OPSLIMIT_MODERATE
MEMLIMIT = nacl.pwhash.argon2id.MEMLIMIT_MODERATE
MIN_PASSPHRASE = 12

#: The fields of a sealed identity (all optional; nothing else is accepted).
IDENTITY_FIELDS = ("name", "birth_date", "contacts", "family_in_north", "notes")


class WrongPassphrase(CorridorError):
    """The passphrase does not open the key or backup (no other detail is given)."""

    def __init__(self, source: str | None = None) -> None:
        super().__init__("wrong passphrase", source=source)


def fingerprint(public_key: bytes) -> str:
    """First 16 bytes of SHA-256 of the public key, in hex: how people compare keys aloud."""
    return hashlib.sha256(public_key).hexdigest()[:32]


@dataclass(frozen=True)
class KeyPair:
    public: bytes
    private: bytes

    @property
    def fingerprint(self) -> str:
        return fingerprint(self.public)


def new_keypair() -> KeyPair:
    sk = PrivateKey.generate()
    return KeyPair(bytes(sk.public_key), bytes(sk))


def public_of(private: bytes) -> bytes:
    return bytes(PrivateKey(private).public_key)


def check_passphrase(passphrase: str, *, field: str = "passphrase") -> None:
    if len(passphrase) < MIN_PASSPHRASE:
        raise CorridorError(f"must be at least {MIN_PASSPHRASE} characters", field=field)


def derive_key(passphrase: str, salt: bytes, *, opslimit: int = OPSLIMIT, memlimit: int = MEMLIMIT) -> bytes:
    """Argon2id (RFC 9106) key of 32 bytes from a passphrase and a 16-byte salt."""
    return nacl.pwhash.argon2id.kdf(nacl.secret.SecretBox.KEY_SIZE, passphrase.encode("utf-8"), salt,
                                    opslimit=opslimit, memlimit=memlimit)


def passphrase_encrypt(data: bytes, passphrase: str, *, magic: bytes, opslimit: int = OPSLIMIT,
                       memlimit: int = MEMLIMIT) -> bytes:
    """``magic ‖ salt ‖ opslimit ‖ memlimit ‖ SecretBox(nonce ‖ ciphertext ‖ tag)``."""
    salt = nacl.utils.random(nacl.pwhash.argon2id.SALTBYTES)
    box = nacl.secret.SecretBox(derive_key(passphrase, salt, opslimit=opslimit, memlimit=memlimit))
    head = magic + salt + opslimit.to_bytes(8, "big") + memlimit.to_bytes(8, "big")
    return head + bytes(box.encrypt(data))


def passphrase_decrypt(blob: bytes, passphrase: str, *, magic: bytes, source: str | None = None) -> bytes:
    """Open :func:`passphrase_encrypt`'s output; a wrong passphrase and a damaged blob look alike."""
    n = len(magic)
    salt_n = nacl.pwhash.argon2id.SALTBYTES
    if len(blob) < n + salt_n + 16 + 40 or blob[:n] != magic:
        raise CorridorError("not a file of the expected kind, or damaged", source=source)
    salt = blob[n:n + salt_n]
    opslimit = int.from_bytes(blob[n + salt_n:n + salt_n + 8], "big")
    memlimit = int.from_bytes(blob[n + salt_n + 8:n + salt_n + 16], "big")
    if not (1 <= opslimit <= 64 and 8192 <= memlimit <= 4 << 30):
        raise CorridorError("damaged header", source=source)
    box = nacl.secret.SecretBox(derive_key(passphrase, salt, opslimit=opslimit, memlimit=memlimit))
    try:
        return box.decrypt(blob[n + salt_n + 16:])
    except nacl.exceptions.CryptoError:
        raise WrongPassphrase(source) from None


def wrap_private_key(private: bytes, passphrase: str, **limits) -> bytes:
    check_passphrase(passphrase)
    return passphrase_encrypt(private, passphrase, magic=WRAP_MAGIC, **limits)


def unwrap_private_key(wrapped: bytes, passphrase: str, *, source: str | None = None) -> bytes:
    return passphrase_decrypt(wrapped, passphrase, magic=WRAP_MAGIC, source=source)


def clean_identity(identity: dict[str, Any]) -> dict[str, str]:
    unknown = set(identity) - set(IDENTITY_FIELDS)
    if unknown:
        raise CorridorError("unknown identity field", field="identity", value=min(unknown),
                            hint="use " + ", ".join(IDENTITY_FIELDS))
    return {k: str(v).strip() for k, v in identity.items() if v is not None and str(v).strip()}


def seal_identity(public_key: bytes, identity: dict[str, Any]) -> bytes:
    """The identity as canonical JSON, sealed to ``public_key``; the server cannot open it."""
    data = json.dumps(clean_identity(identity), ensure_ascii=False, sort_keys=True).encode("utf-8")
    return bytes(SealedBox(PublicKey(public_key)).encrypt(data))


def open_identity(private_key: bytes, sealed: bytes) -> dict[str, str]:
    try:
        data = SealedBox(PrivateKey(private_key)).decrypt(sealed)
    except nacl.exceptions.CryptoError:
        raise CorridorError("this identity was sealed with another organisation key") from None
    return json.loads(data.decode("utf-8"))


# --------------------------------------------------------------------------- Shamir shares


def split_key(private: bytes, *, threshold: int, count: int, passphrase: str = "") -> list[str]:
    """SLIP-0039 shares (one word list each) of a 32-byte private key; ``threshold`` of them recover it."""
    import shamir_mnemonic

    if not 1 <= threshold <= count <= 16:
        raise CorridorError("need 1 ≤ threshold ≤ count ≤ 16", field="--threshold", value=threshold)
    if threshold == 1 and count > 1:
        raise CorridorError("a threshold of 1 would make every share the whole key", field="--threshold",
                            value=threshold)
    groups = shamir_mnemonic.generate_mnemonics(1, [(threshold, count)], private,
                                                passphrase=passphrase.encode("utf-8"))
    return groups[0]


def combine_shares(shares: list[str], *, passphrase: str = "") -> bytes:
    import shamir_mnemonic
    from shamir_mnemonic import MnemonicError

    try:
        return shamir_mnemonic.combine_mnemonics([" ".join(s.split()) for s in shares if s.strip()],
                                                 passphrase=passphrase.encode("utf-8"))
    except (MnemonicError, ValueError) as exc:
        raise CorridorError(f"the shares do not give a key ({exc})", field="shares") from None
