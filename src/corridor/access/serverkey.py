"""The server key: a 256-bit secret kept outside the database that seals small secrets in it.

What it seals: two-factor (TOTP) secrets and saved archive searches. A stolen copy of the
database alone therefore yields neither working second factors nor what anyone searched for.

Where it lives (first found wins):

1. ``$CORRIDOR_SERVER_KEY``: the key itself, 64 hexadecimal characters (for containers and
   secret stores);
2. ``$CORRIDOR_SERVER_KEY_FILE``: a file holding it;
3. ``server.key`` in the data folder (:func:`corridor.paths.data_dir`).

``corridor db upgrade`` creates the file when no key is found, readable by its owner only
(mode 0600). Keep a copy with the backups, but not beside the database: a backup of the
database and the key together is as good as the server itself.

Sealing is XChaCha20-Poly1305 (RFC 8439 with a 192-bit nonce, libsodium through PyNaCl) with
the record's purpose (``totp:user:7``) as associated data, so a sealed value copied to another
row does not open there.
"""

from __future__ import annotations

import os
import secrets
import stat
from pathlib import Path

from corridor.errors import CorridorError

ENV_KEY = "CORRIDOR_SERVER_KEY"
ENV_FILE = "CORRIDOR_SERVER_KEY_FILE"
KEY_BYTES = 32
_VERSION = b"\x01"


def key_path() -> Path:
    """Where the key file is (or would be created)."""
    named = os.environ.get(ENV_FILE)
    if named:
        return Path(named)
    from corridor.paths import data_dir

    return data_dir() / "server.key"


def _parse(text: str, where: str) -> bytes:
    text = text.strip()
    try:
        key = bytes.fromhex(text)
    except ValueError:
        key = b""
    if len(key) != KEY_BYTES:
        raise CorridorError(f"must be {2 * KEY_BYTES} hexadecimal characters", field=where,
                            hint="create a new one with `corridor db upgrade` (after moving the bad one away)")
    return key


def load_key() -> bytes:
    """The server key; a :class:`CorridorError` naming where it was looked for when missing."""
    value = os.environ.get(ENV_KEY)
    if value:
        return _parse(value, f"${ENV_KEY}")
    path = key_path()
    try:
        text = path.read_text(encoding="ascii")
    except FileNotFoundError:
        raise CorridorError("the server key is missing", field="server key",
                            hint="run `corridor db upgrade` to create it, or restore it from your key backup") from None
    except (OSError, UnicodeDecodeError):
        raise CorridorError("the server key file cannot be read", field="server key") from None
    return _parse(text, "server key file")


def ensure_key() -> Path | None:
    """Create the key file if no key is configured; return its path when it was created."""
    if os.environ.get(ENV_KEY):
        return None
    path = key_path()
    if path.exists():
        return None
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="ascii") as fh:
        fh.write(secrets.token_hex(KEY_BYTES) + "\n")
    return path


def key_file_mode() -> int | None:
    """Permission bits of the key file (None when the key comes from the environment)."""
    if os.environ.get(ENV_KEY):
        return None
    try:
        return stat.S_IMODE(key_path().stat().st_mode)
    except FileNotFoundError:
        return None


def seal(plaintext: bytes, purpose: str, *, key: bytes | None = None) -> bytes:
    """Encrypt and authenticate ``plaintext`` for one ``purpose`` (bound as associated data)."""
    from nacl.bindings import crypto_aead_xchacha20poly1305_ietf_encrypt as encrypt

    nonce = secrets.token_bytes(24)
    return _VERSION + nonce + encrypt(plaintext, purpose.encode(), nonce, key or load_key())


def open_sealed(blob: bytes, purpose: str, *, key: bytes | None = None) -> bytes:
    """The plaintext of :func:`seal`; a :class:`CorridorError` when the key or purpose is wrong."""
    from nacl.bindings import crypto_aead_xchacha20poly1305_ietf_decrypt as decrypt
    from nacl.exceptions import CryptoError

    blob = bytes(blob)
    if len(blob) < 1 + 24 + 16 or blob[:1] != _VERSION:
        raise CorridorError("a sealed value is damaged", field="server key")
    try:
        return decrypt(blob[25:], purpose.encode(), blob[1:25], key or load_key())
    except CryptoError:
        raise CorridorError("a sealed value does not open with this server key", field="server key",
                            hint="is this the server key this database was made with?") from None
