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
row does not open there. The web service also derives HMAC keys from it (the sign-in form's CSRF
token, the enrolment ticket: :func:`corridor.web.auth.derived_key`); it reads the key at each use,
so a replaced key file takes effect at once.

Rotating the key (``corridor server-key rotate``, :mod:`corridor.ops.rotate`), e.g. after a
suspected breach, needs no re-enrolment: in one database transaction every second factor is
opened with the old key and sealed again with a new one, saved searches are dropped and every
browser session ends. The new key is first written beside the old file (:func:`pending_path`),
and replaces it only once the transaction has committed; a failure leaves the old key and the
database as they were. A key given in ``$CORRIDOR_SERVER_KEY`` cannot be replaced by Corridor:
the new one is written to a file the administrator names, to be put into the environment file.
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


# --------------------------------------------------------------------------- rotation


def from_environment() -> bool:
    """Whether the key comes from ``$CORRIDOR_SERVER_KEY`` (no file)."""
    return bool(os.environ.get(ENV_KEY))


def new_key() -> bytes:
    """A fresh random key (:data:`KEY_BYTES` bytes from the operating system's CSPRNG)."""
    return secrets.token_bytes(KEY_BYTES)


def pending_path(path: Path | None = None) -> Path:
    """Where a rotation writes the new key before it replaces the key file (``server.key.new``)."""
    path = key_path() if path is None else Path(path)
    return path.with_name(path.name + ".new")


def read_key_file(path: Path) -> bytes:
    """The key held in the file ``path`` (a :class:`CorridorError` if it does not hold one)."""
    try:
        text = Path(path).read_text(encoding="ascii")
    except (OSError, UnicodeDecodeError):
        raise CorridorError("cannot be read", field="server key file", value=str(path)) from None
    return _parse(text, str(path))


def write_key_file(path: Path, key: bytes) -> Path:
    """Write ``key`` to ``path`` whole or not at all, readable by its owner only (mode 0600):
    a temporary file in the same folder, flushed to disk, then renamed over ``path``."""
    import tempfile

    path = Path(path)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        os.fchmod(fd, 0o600)
        with os.fdopen(fd, "w", encoding="ascii") as fh:
            fh.write(key.hex() + "\n")
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    sync_folder(path.parent)
    return path


def sync_folder(folder: Path) -> None:
    """Flush a folder's entries (a rename) to disk, where the system allows it."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def reseal(blob: bytes, purpose: str, *, old: bytes, new: bytes) -> bytes:
    """A value sealed with ``old`` for ``purpose``, sealed again with ``new`` (a
    :class:`CorridorError` when it does not open with ``old``)."""
    return seal(open_sealed(blob, purpose, key=old), purpose, key=new)
