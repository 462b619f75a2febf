"""A backup of the whole coalition in one encrypted file, and a restore that checks it all first.

**What a backup holds.** Every row of every Corridor table (organisations, accounts,
memberships, tokens and enrolment codes as hashes, the ledger, the evidence imports, the
archive with each witness's identity still sealed to its organisation's key, the audit log and
its head), the archive's stored files, and a manifest: rows and SHA-256 per table, the schema
(Alembic) revision, the Corridor version, the kind of database, the coalition's identity (the
hash of its audit log's first entry, as in an audit anchor) and the audit log's head and state
when the backup was made. Left out: browser sessions and sign-in failure counts (everyone signs
in again after a restore), the archive's full-text index (rebuilt), and the server key, which is
never in a backup: keep it in the key backup (:mod:`corridor.access.serverkey`).

**File.** ``MAGIC ‖ mode ‖ key block ‖ length (8 bytes) ‖ SHA-256 of the body ‖ body``, the body
being a 24-byte nonce and the zlib-compressed JSON document encrypted with
XChaCha20-Poly1305 (RFC 8439 with libsodium's 192-bit nonce, through PyNaCl; the header up to
the key block is its associated data). The 32-byte data key is either

- derived from a passphrase with Argon2id (RFC 9106, libsodium's "moderate" limits, the same as
  :mod:`corridor.archive.sealing`; mode ``P``, key block = salt and limits), or
- random and sealed to an X25519 public key with a libsodium sealed box (mode ``K``, key block =
  the key's fingerprint and the sealed data key): the server that makes the backup cannot read
  it, only the holder of the private key, kept off the server.

The length and the checksum tell a truncated or damaged file apart from a wrong passphrase; the
Poly1305 tag authenticates everything either way.

**Restore.** :func:`read_backup` decrypts and checks the whole document (the manifest, every
table's rows and digest, every file's hash, a schema revision this Corridor knows). Then
:func:`restore` writes into the target in **one transaction**: create the schema at the
backup's revision, insert every row, migrate to the current schema, check the counts and the
audit log, append one audit entry for the restore, commit. Anything that fails rolls the whole
transaction back (on SQLite the transaction covers the schema too), so the target is as it was.

A careful administrator restores into an **empty** database (a new SQLite file, or a new
PostgreSQL database or schema, migrated or not). A database that already holds records is
refused; with ``force`` it is replaced, but only by a backup of the same coalition (same first
audit entry) at the same schema revision, and still in one transaction.

A backup made on SQLite can be restored into PostgreSQL and the other way round. Times are
stored without a zone on SQLite and with one on PostgreSQL, so the audit log's row hashes of
the moved rows no longer match their stored form: the restore then re-records those rows in the
log (one ``backup.restore`` entry per table, as the archive's restore does), which it does only
when the backup's own audit log verified when it was made, so that nothing altered is vouched for.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import secrets
import zlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from corridor.errors import CorridorError

MAGIC = b"CORRIDOR-COALITION-BACKUP-1\n"
FORMAT = "corridor-coalition-backup"
VERSION = 1
MODE_PASSPHRASE = b"P"
MODE_PUBLIC_KEY = b"K"
NONCE_BYTES = 24
KEY_BYTES = 32
SALT_BYTES = 16
_FP_BYTES = 16
_SEALED_KEY_BYTES = KEY_BYTES + 48   # a sealed box adds an ephemeral public key (32) and a tag (16)
MIN_PASSPHRASE = 12

#: Tables left out of a backup, with the reason.
SKIPPED_TABLES: dict[str, str] = {
    "alembic_version": "the schema revision is in the manifest",
    "web_session": "signed-in browsers; everyone signs in again after a restore",
    "access_failure": "recent failed sign-ins, counted for throttling only",
}
#: Derived objects of the archive's full-text search (rebuilt after a restore).
_DERIVED_PREFIXES = ("archive_segment_fts", "sqlite_")

#: Settings read from the environment that a backup records for the administrator (never secrets).
RECORDED_SETTINGS = ("CORRIDOR_PUBLIC_URL", "CORRIDOR_GRID_KM")

PUBLIC_KEY_PREFIX = "corridor-backup-public-key-1:"
PRIVATE_KEY_PREFIX = "corridor-backup-private-key-1:"

#: Argon2id limits of a passphrase backup (read at call time, so tests can lower them).
OPSLIMIT: int | None = None
MEMLIMIT: int | None = None

_BATCH = 2000


# --------------------------------------------------------------------------- keys and passphrases


def _limits() -> tuple[int, int]:
    from corridor.archive import sealing

    return OPSLIMIT or sealing.OPSLIMIT, MEMLIMIT or sealing.MEMLIMIT


def _read_small(path: Path | str, what: str, option: str) -> str:
    p = Path(path).expanduser()
    try:
        with p.open("rb") as fh:
            raw = fh.read(4097)
    except FileNotFoundError:
        raise CorridorError("no such file", field=option, value=str(path)) from None
    except IsADirectoryError:
        raise CorridorError(f"is a directory, give the {what} file", field=option, value=str(path)) from None
    except OSError as exc:
        raise CorridorError(f"cannot be read ({type(exc).__name__})", field=option, value=str(path)) from None
    if len(raw) > 4096:
        raise CorridorError(f"is too large to be a {what} file", field=option, value=str(path))
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        raise CorridorError(f"is not a {what} file (not UTF-8 text)", field=option, value=str(path)) from None


def read_passphrase_file(path: Path | str, *, option: str = "--passphrase-file") -> str:
    """The passphrase in ``path``: its first line, without the line end (never echoed)."""
    text = _read_small(path, "passphrase", option)
    lines = text.splitlines()
    passphrase = lines[0] if lines else ""
    if len(passphrase) < MIN_PASSPHRASE:
        raise CorridorError(f"the passphrase must be at least {MIN_PASSPHRASE} characters", field=option,
                            value=str(path))
    return passphrase


@dataclass(frozen=True)
class BackupKeys:
    public: bytes
    private: bytes

    @property
    def fingerprint(self) -> str:
        return key_fingerprint(self.public)


def key_fingerprint(public: bytes) -> str:
    """First 16 bytes of SHA-256 of a public key, in hex (as the archive shows its keys)."""
    return hashlib.sha256(public).hexdigest()[:32]


def new_backup_keys() -> BackupKeys:
    """A new X25519 key pair for backups."""
    from nacl.public import PrivateKey

    sk = PrivateKey.generate()
    return BackupKeys(bytes(sk.public_key), bytes(sk))


def write_key_files(keys: BackupKeys, public_path: Path | str, private_path: Path | str) -> None:
    """Write the public key (mode 0644) and the private key (created with mode 0600; never replaced)."""
    from corridor.atomic import check_writable, write_text

    pub = check_writable(public_path, field="--public-key")
    priv = check_writable(private_path, field="--private-key")
    if priv.exists():
        raise CorridorError("already exists; a private key is never overwritten", field="--private-key",
                            value=str(priv))
    fd = os.open(priv, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="ascii") as fh:
        fh.write(PRIVATE_KEY_PREFIX + keys.private.hex() + "\n")
    write_text(pub, PUBLIC_KEY_PREFIX + keys.public.hex() + "\n", field="--public-key")


def _read_key(path: Path | str, prefix: str, other: str, what: str, option: str) -> bytes:
    text = _read_small(path, what, option).strip()
    if text.startswith(other):
        kind = "private" if what == "public key" else "public"
        raise CorridorError(f"holds a {kind} key, not a {what}", field=option, value=str(path))
    body = text[len(prefix):] if text.startswith(prefix) else None
    try:
        key = bytes.fromhex(body) if body is not None else b""
    except ValueError:
        key = b""
    if len(key) != KEY_BYTES:
        raise CorridorError(f"is not a Corridor backup {what} (make one with `corridor backup keygen`)",
                            field=option, value=str(path))
    return key


def read_public_key(path: Path | str, *, option: str = "--public-key") -> bytes:
    return _read_key(path, PUBLIC_KEY_PREFIX, PRIVATE_KEY_PREFIX, "public key", option)


def read_private_key(path: Path | str, *, option: str = "--private-key") -> bytes:
    return _read_key(path, PRIVATE_KEY_PREFIX, PUBLIC_KEY_PREFIX, "private key", option)


@dataclass(frozen=True)
class Secret:
    """How a backup is encrypted or opened: a passphrase, a public key (to make) or a private key (to open)."""

    passphrase: str | None = None
    public_key: bytes | None = None
    private_key: bytes | None = None


# --------------------------------------------------------------------------- engines


def _transactional_sqlite(engine: Engine) -> Engine:
    """Let SQLite transactions cover schema changes and reads too (the pysqlite driver otherwise
    begins a transaction only before a data change). SQLAlchemy documentation, "Serializable
    isolation / Savepoints / Transactional DDL" for the pysqlite dialect."""
    if engine.dialect.name != "sqlite":
        return engine

    @sa.event.listens_for(engine, "connect")
    def _no_implicit(dbapi_connection, _record):
        dbapi_connection.isolation_level = None

    @sa.event.listens_for(engine, "begin")
    def _begin(conn):
        conn.exec_driver_sql("BEGIN")

    return engine


def _where(url: str) -> str:
    """A database URL without its credentials, for messages."""
    try:
        return sa.engine.make_url(url).render_as_string(hide_password=True).split("?")[0]
    except Exception:  # noqa: BLE001  (an unparsable URL is shown without what may be credentials)
        return url.split("@")[-1].split("?")[0]


def open_engine(url: str | None, *, option: str = "--db", create: bool = False) -> Engine:
    """An engine on ``url`` that answers; a database that does not is one :class:`CorridorError`.
    A SQLite file that does not exist is created only with ``create`` (a restore's target)."""
    from corridor.store import database_url, make_engine

    target = database_url(url)
    file = _sqlite_file(target)
    if file is not None and not create and not file.exists():
        raise CorridorError("no such database file", field=option, value=str(file))
    try:
        engine = _transactional_sqlite(make_engine(target))
        with engine.connect() as conn:
            conn.exec_driver_sql("SELECT 1")
    except CorridorError:
        raise
    except Exception as exc:  # noqa: BLE001  (a bad URL, a missing driver, a server that does not answer)
        first = (str(getattr(exc, "orig", None) or exc).strip().splitlines() or [""])[0][:160]
        raise CorridorError(f"the database does not answer ({type(exc).__name__}: {first})", field=option,
                            value=_where(target)) from None
    return engine


# --------------------------------------------------------------------------- reading a database


def _table_names(conn: Connection) -> list[str]:
    names = sa.inspect(conn).get_table_names()
    return [n for n in names if n not in SKIPPED_TABLES and not n.startswith(_DERIVED_PREFIXES)]


def _reflect(conn: Connection) -> sa.MetaData:
    meta = sa.MetaData()
    meta.reflect(bind=conn, only=_table_names(conn))
    return meta


def _revision(conn: Connection) -> str | None:
    from alembic.runtime.migration import MigrationContext

    return MigrationContext.configure(conn).get_current_revision()


def _script():
    from alembic.script import ScriptDirectory

    from corridor.store.migrate import alembic_config

    return ScriptDirectory.from_config(alembic_config("sqlite://"))


def head_revision() -> str:
    return _script().get_current_head()


def _known(revision: str) -> bool:
    from alembic.util import CommandError

    try:
        return _script().get_revision(revision) is not None
    except (CommandError, KeyError, ValueError):
        return False
    except Exception:  # noqa: BLE001  (Alembic raises several kinds for a name it does not know)
        return False


def _encode(value: Any) -> Any:
    if isinstance(value, (bytes, bytearray, memoryview)):
        return base64.b64encode(bytes(value)).decode("ascii")
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    return value


def _order(table: sa.Table) -> list:
    pk = list(table.primary_key.columns)
    return pk or list(table.columns)


def _digest(columns: list[str], rows: list[list]) -> str:
    return hashlib.sha256(json.dumps([columns, rows], ensure_ascii=False, separators=(",", ":"),
                                     allow_nan=True).encode("utf-8")).hexdigest()


def _audit_state(conn: Connection, meta: sa.MetaData, revision: str | None) -> dict:
    """The audit log's head, first entry and (on the current schema) whether it verifies."""
    out: dict[str, Any] = {"entries": 0, "seq": 0, "hash": "0" * 64, "first": None, "verified": None,
                           "problem": None}
    log = meta.tables.get("audit_log")
    if log is None:
        return out
    out["entries"] = conn.execute(sa.select(sa.func.count()).select_from(log)).scalar() or 0
    last = conn.execute(sa.select(log.c.seq, log.c.hash).order_by(log.c.seq.desc()).limit(1)).first()
    if last is not None:
        out["seq"], out["hash"] = int(last.seq), last.hash
    out["first"] = conn.execute(sa.select(log.c.hash).where(log.c.seq == 1)).scalar()
    if revision == head_revision():
        from sqlalchemy.orm import Session

        from corridor.access.audit import audit_report

        with Session(bind=conn) as s:
            report = audit_report(s)
        problem = report.first_problem()
        out["verified"] = report.ok
        if problem is not None:
            where = f"{problem.entity} {problem.entity_id}: " if problem.entity else f"entry {problem.seq}: "
            out["problem"] = where + problem.reason
    return out


def coalition_identity(first_audit_hash: str | None) -> str | None:
    """What tells one coalition from another: the hash of its audit log's first entry (like the
    ``first`` of an audit anchor); ``None`` for a coalition that never wrote anything."""
    return first_audit_hash


def _files_needed(conn: Connection, meta: sa.MetaData) -> list[str]:
    media = meta.tables.get("archive_media")
    if media is None or "stored" not in media.c:
        return []
    rows = conn.execute(sa.select(media.c.sha256).where(media.c.stored.is_(True)).distinct())
    return sorted({r[0] for r in rows if r[0]})


@dataclass
class Snapshot:
    """Everything a backup holds, as plain JSON values."""

    manifest: dict
    tables: dict[str, dict]
    files: dict[str, str] = field(default_factory=dict)

    def document(self) -> dict:
        return {"format": FORMAT, "version": VERSION, "manifest": self.manifest, "tables": self.tables,
                "files": self.files}


def snapshot(engine: Engine, *, files_dir: Path | None = None) -> Snapshot:
    """Read the whole coalition in one read transaction (a consistent view on both databases)."""
    from corridor import __version__
    from corridor.archive import files as files_mod

    folder = files_dir or files_mod.files_dir()
    options = {"isolation_level": "REPEATABLE READ"} if engine.dialect.name == "postgresql" else {}
    with engine.connect().execution_options(**options) as conn, conn.begin():
        revision = _revision(conn)
        if revision is None:
            raise CorridorError("holds no Corridor database (no schema); nothing to back up", field="--db")
        if not _known(revision):
            raise CorridorError(f"the database is at schema revision {revision!r}, which this Corridor does not "
                                "know (it was made by a newer version)", field="--db",
                                hint="back it up with the Corridor version that runs it")
        meta = _reflect(conn)
        tables: dict[str, dict] = {}
        counts: dict[str, dict] = {}
        for table in meta.sorted_tables:
            columns = [c.name for c in table.columns]
            rows = [[_encode(v) for v in row] for row in conn.execute(sa.select(table).order_by(*_order(table)))]
            tables[table.name] = {"columns": columns, "rows": rows}
            counts[table.name] = {"rows": len(rows), "sha256": _digest(columns, rows)}
        audit = _audit_state(conn, meta, revision)
        needed = _files_needed(conn, meta)
    files: dict[str, str] = {}
    sizes: dict[str, int] = {}
    for sha in needed:
        path = folder / sha
        try:
            data = path.read_bytes()
        except FileNotFoundError:
            raise CorridorError("a stored archive file is missing from the file store", field="archive_media",
                                value=sha, hint=f"look for it in {folder}") from None
        if hashlib.sha256(data).hexdigest() != sha:
            raise CorridorError("a stored archive file does not match its hash (damaged on disk)",
                                field="archive_media", value=sha)
        files[sha] = base64.b64encode(data).decode("ascii")
        sizes[sha] = len(data)
    manifest = {
        "created": datetime.now(UTC).isoformat(timespec="seconds"),
        "corridor_version": __version__,
        "schema_revision": revision,
        "dialect": engine.dialect.name,
        "coalition": coalition_identity(audit["first"]),
        "audit": audit,
        "tables": counts,
        "files": sizes,
        "settings": {k: os.environ[k] for k in RECORDED_SETTINGS if os.environ.get(k)},
    }
    return Snapshot(manifest, tables, files)


# --------------------------------------------------------------------------- the file


def _aead_encrypt(plain: bytes, aad: bytes, key: bytes) -> bytes:
    from nacl.bindings import crypto_aead_xchacha20poly1305_ietf_encrypt as encrypt

    nonce = secrets.token_bytes(NONCE_BYTES)
    return nonce + encrypt(plain, aad, nonce, key)


def seal_document(doc: dict, secret: Secret) -> bytes:
    """The backup file's bytes for ``doc``, encrypted to the passphrase or the public key."""
    plain = zlib.compress(json.dumps(doc, ensure_ascii=False, separators=(",", ":")).encode("utf-8"), 6)
    if secret.public_key is not None:
        from nacl.public import PublicKey, SealedBox

        key = secrets.token_bytes(KEY_BYTES)
        fp = bytes.fromhex(key_fingerprint(secret.public_key))
        block = fp + bytes(SealedBox(PublicKey(secret.public_key)).encrypt(key))
        head = MAGIC + MODE_PUBLIC_KEY + block
    elif secret.passphrase is not None:
        from corridor.archive.sealing import derive_key

        if len(secret.passphrase) < MIN_PASSPHRASE:
            raise CorridorError(f"the passphrase must be at least {MIN_PASSPHRASE} characters",
                                field="--passphrase-file")
        opslimit, memlimit = _limits()
        salt = secrets.token_bytes(SALT_BYTES)
        key = derive_key(secret.passphrase, salt, opslimit=opslimit, memlimit=memlimit)
        head = MAGIC + MODE_PASSPHRASE + salt + opslimit.to_bytes(8, "big") + memlimit.to_bytes(8, "big")
    else:
        raise CorridorError("give --passphrase-file or --public-key", field="key")
    body = _aead_encrypt(plain, head, key)
    return head + len(body).to_bytes(8, "big") + hashlib.sha256(body).digest() + body


@dataclass(frozen=True)
class Envelope:
    """The parts of a backup file, its length and checksum already checked."""

    mode: bytes
    head: bytes
    block: bytes
    body: bytes


def parse_envelope(blob: bytes, *, source: str = "backup") -> Envelope:
    """Check a file's kind, length and checksum (no key needed)."""
    n = len(MAGIC)
    if blob[:n] != MAGIC:
        if blob[:9] == b"CORRIDOR-":
            raise CorridorError("is another kind of Corridor file (or a backup of a newer format)", source=source)
        raise CorridorError("is not a Corridor coalition backup", source=source)
    mode = blob[n:n + 1]
    if mode == MODE_PASSPHRASE:
        size = SALT_BYTES + 16
    elif mode == MODE_PUBLIC_KEY:
        size = _FP_BYTES + _SEALED_KEY_BYTES
    else:
        raise CorridorError("is damaged: its header names no known kind of encryption", source=source)
    start = n + 1 + size
    if len(blob) < start + 40:
        raise CorridorError(f"is truncated: only {len(blob)} bytes, not even a whole header", source=source)
    head, block = blob[:start], blob[n + 1:start]
    length = int.from_bytes(blob[start:start + 8], "big")
    checksum = blob[start + 8:start + 40]
    body = blob[start + 40:]
    if len(body) < length:
        raise CorridorError(f"is truncated: {len(body)} of its {length} bytes of content are there", source=source,
                            hint="copy it again from where it was made")
    if len(body) > length:
        raise CorridorError(f"is damaged: {len(body) - length} bytes more than its header says", source=source)
    if hashlib.sha256(body).digest() != checksum:
        raise CorridorError("is damaged: its content does not match its checksum (bytes were changed)",
                            source=source, hint="use another copy of the backup")
    return Envelope(mode, head, block, body)


def open_document(blob: bytes, secret: Secret, *, source: str = "backup") -> dict:
    """Decrypt and decompress a backup file into its document (not yet checked)."""
    from nacl.bindings import crypto_aead_xchacha20poly1305_ietf_decrypt as decrypt
    from nacl.exceptions import CryptoError

    env = parse_envelope(blob, source=source)
    if env.mode == MODE_PASSPHRASE:
        if secret.passphrase is None:
            raise CorridorError("was encrypted with a passphrase: give --passphrase-file", source=source)
        from corridor.archive.sealing import derive_key

        salt = env.block[:SALT_BYTES]
        opslimit = int.from_bytes(env.block[SALT_BYTES:SALT_BYTES + 8], "big")
        memlimit = int.from_bytes(env.block[SALT_BYTES + 8:SALT_BYTES + 16], "big")
        if not (1 <= opslimit <= 64 and 8192 <= memlimit <= 4 << 30):
            raise CorridorError("is damaged: its header's key limits are out of range", source=source)
        key = derive_key(secret.passphrase, salt, opslimit=opslimit, memlimit=memlimit)
        failure = CorridorError("wrong passphrase", source=source, field="--passphrase-file")
    else:
        fp = env.block[:_FP_BYTES].hex()
        if secret.private_key is None:
            raise CorridorError(f"was encrypted to a public key (fingerprint {fp}): give --private-key", source=source)
        from nacl.public import PrivateKey, SealedBox

        sk = PrivateKey(secret.private_key)
        mine = key_fingerprint(bytes(sk.public_key))
        if mine != fp:
            raise CorridorError(f"was encrypted to another key (fingerprint {fp}; this private key's is {mine})",
                                source=source, field="--private-key")
        try:
            key = SealedBox(sk).decrypt(env.block[_FP_BYTES:])
        except CryptoError:
            raise CorridorError("is damaged: its sealed key does not open with this private key",
                                source=source, field="--private-key") from None
        failure = CorridorError("is damaged: its content does not open with its key", source=source)
    try:
        plain = decrypt(env.body[NONCE_BYTES:], env.head, env.body[:NONCE_BYTES], key)
    except CryptoError:
        raise failure from None
    try:
        doc = json.loads(zlib.decompress(plain).decode("utf-8"))
    except (zlib.error, ValueError, UnicodeDecodeError):
        raise CorridorError("is damaged: its content cannot be read", source=source) from None
    return doc


def check_document(doc: Any, *, source: str = "backup") -> dict:
    """Check a decrypted document completely: format, version, schema revision, every table
    against the manifest, every file against its hash. Returns the manifest."""
    if not isinstance(doc, dict) or doc.get("format") != FORMAT:
        raise CorridorError("is not a Corridor coalition backup", source=source)
    if doc.get("version") != VERSION:
        raise CorridorError(f"is a backup of format version {doc.get('version')!r}; this Corridor reads version "
                            f"{VERSION}", source=source, hint="restore it with the newer Corridor that made it")
    manifest = doc.get("manifest")
    tables = doc.get("tables")
    files = doc.get("files")
    if not isinstance(manifest, dict) or not isinstance(tables, dict) or not isinstance(files, dict):
        raise CorridorError("is damaged: its document lacks a manifest, tables or files", source=source)
    revision = manifest.get("schema_revision")
    if not isinstance(revision, str) or not _known(revision):
        raise CorridorError(f"was made with a newer Corridor (schema revision {revision!r} is unknown to "
                            f"Corridor {_version()})", source=source,
                            hint="upgrade Corridor first, then restore")
    listed = manifest.get("tables")
    if not isinstance(listed, dict) or set(listed) != set(tables):
        raise CorridorError("is damaged: its tables do not match its manifest", source=source)
    for name, content in tables.items():
        if not isinstance(content, dict) or not isinstance(content.get("rows"), list) \
                or not isinstance(content.get("columns"), list):
            raise CorridorError("is damaged: a table is malformed", source=source, field=name)
        want = listed[name]
        if not isinstance(want, dict):
            raise CorridorError("is damaged: its manifest is malformed", source=source, field=name)
        if len(content["rows"]) != want.get("rows") or _digest(content["columns"], content["rows"]) != want.get("sha256"):
            raise CorridorError("is damaged: a table does not match its manifest", source=source, field=name)
    sizes = manifest.get("files")
    if not isinstance(sizes, dict) or set(sizes) != set(files):
        raise CorridorError("is damaged: its files do not match its manifest", source=source)
    for sha, data in files.items():
        try:
            raw = base64.b64decode(data, validate=True)
        except (TypeError, ValueError):
            raw = b""
        if hashlib.sha256(raw).hexdigest() != sha or len(raw) != sizes[sha]:
            raise CorridorError("is damaged: a stored file does not match its hash", source=source,
                                field="files", value=sha)
    return manifest


def read_backup(blob: bytes, secret: Secret, *, source: str = "backup") -> dict:
    """Decrypt and check a backup completely; raise :class:`CorridorError` on any fault."""
    doc = open_document(blob, secret, source=source)
    check_document(doc, source=source)
    return doc


def read_file(path: Path | str, *, option: str = "FILE") -> bytes:
    p = Path(path).expanduser()
    try:
        return p.read_bytes()
    except FileNotFoundError:
        raise CorridorError("no such file", field=option, value=str(path)) from None
    except IsADirectoryError:
        raise CorridorError("is a directory, give a backup file", field=option, value=str(path)) from None
    except OSError as exc:
        raise CorridorError(f"cannot be read ({type(exc).__name__})", field=option, value=str(path)) from None


def _version() -> str:
    from corridor import __version__

    return __version__


# --------------------------------------------------------------------------- making a backup


@dataclass(frozen=True)
class Made:
    """What a backup holds: its manifest and the file's size."""

    manifest: dict
    bytes: int
    path: Path | None = None


LAST_BACKUP_FILE = "last-backup.json"


def last_backup_path() -> Path:
    """Where the time of the last backup is kept (in the data folder, beside the server key)."""
    from corridor.paths import data_dir

    return data_dir() / LAST_BACKUP_FILE


def record_last_backup(made: Made, url: str) -> Path:
    """Note the time and summary of a backup, for `corridor doctor` (no secret, no content)."""
    from corridor.atomic import write_text

    m = made.manifest
    note = {"at": m["created"], "file": str(made.path) if made.path else None, "bytes": made.bytes,
            "database": _where(url), "schema_revision": m["schema_revision"],
            "rows": sum(t["rows"] for t in m["tables"].values()), "audit_seq": m["audit"]["seq"]}
    return write_text(last_backup_path(), json.dumps(note, indent=1) + "\n", field="last backup")


def read_last_backup() -> dict | None:
    path = last_backup_path()
    try:
        note = json.loads(path.read_text(encoding="utf-8"))
    except (FileNotFoundError, ValueError, UnicodeDecodeError, OSError):
        return None
    return note if isinstance(note, dict) and isinstance(note.get("at"), str) else None


def make_backup(url: str | None, out: Path | str, secret: Secret, *, files_dir: Path | None = None,
                record: bool = True) -> Made:
    """Back up the coalition at ``url`` to ``out`` (written whole or not at all)."""
    from corridor.atomic import atomic_path, check_writable
    from corridor.store import database_url

    target = check_writable(out, field="--out")
    engine = open_engine(url)
    try:
        snap = snapshot(engine, files_dir=files_dir)
    finally:
        engine.dispose()
    blob = seal_document(snap.document(), secret)
    with atomic_path(target, field="--out") as tmp:
        fd = os.open(tmp, os.O_WRONLY | os.O_TRUNC)
        os.fchmod(fd, 0o600)
        with os.fdopen(fd, "wb") as fh:
            fh.write(blob)
    made = Made(snap.manifest, len(blob), target)
    if record:
        record_last_backup(made, database_url(url))
    return made


def verify_backup(path: Path | str, secret: Secret) -> dict:
    """Check a backup file completely (as a restore would before writing); return its manifest."""
    source = str(path)
    return check_document(open_document(read_file(path), secret, source=source), source=source)


# --------------------------------------------------------------------------- restoring


def _decoder(column: sa.Column):
    kind = column.type
    if isinstance(kind, sa.JSON):
        return None
    try:
        python = kind.python_type
    except NotImplementedError:
        return None
    if python is bytes:
        return lambda v: base64.b64decode(v)
    if python is datetime:
        return lambda v: datetime.fromisoformat(v)
    if python is date:
        return lambda v: date.fromisoformat(v)
    if python is bool:
        return lambda v: bool(v)
    return None


def _time_for(dialect: str):
    """Times as the target stores them: with a zone on PostgreSQL, as UTC without one on SQLite."""
    if dialect == "postgresql":
        return lambda t: t if t.tzinfo else t.replace(tzinfo=UTC)
    return lambda t: t.astimezone(UTC).replace(tzinfo=None) if t.tzinfo else t


def _rows_for(table: sa.Table, content: dict, dialect: str, source: str) -> list[dict]:
    columns = content["columns"]
    here = {c.name: c for c in table.columns}
    missing = [c for c in columns if c not in here]
    if missing:
        raise CorridorError("the backup has a column the database lacks at its schema revision", source=source,
                            field=f"{table.name}.{missing[0]}")
    decoders = [_decoder(here[c]) for c in columns]
    to_time = _time_for(dialect)
    out = []
    for row in content["rows"]:
        record = {}
        for name, dec, value in zip(columns, decoders, row):
            if value is not None and dec is not None:
                value = dec(value)
                if isinstance(value, datetime):
                    value = to_time(value)
            record[name] = value
        out.append(record)
    return out


def _row_counts(conn: Connection, meta: sa.MetaData) -> dict[str, int]:
    return {t.name: conn.execute(sa.select(sa.func.count()).select_from(t)).scalar() or 0
            for t in meta.sorted_tables}


@dataclass(frozen=True)
class TargetState:
    revision: str | None
    rows: int
    coalition: str | None


def inspect_target(conn: Connection) -> TargetState:
    revision = _revision(conn)
    if revision is None:
        names = _table_names(conn)
        return TargetState(None, 0 if not names else -1, None)
    meta = _reflect(conn)
    counts = _row_counts(conn, meta)
    first = None
    if "audit_log" in meta.tables:
        log = meta.tables["audit_log"]
        first = conn.execute(sa.select(log.c.hash).where(log.c.seq == 1)).scalar()
    skipped = 0
    for name in ("web_session", "access_failure"):
        if name in sa.inspect(conn).get_table_names():
            skipped += conn.execute(sa.text(f'SELECT count(*) FROM "{name}"')).scalar() or 0
    return TargetState(revision, sum(counts.values()) + skipped, first)


def _migrate(conn: Connection, url: str, revision: str, *, down: bool = False) -> None:
    from alembic import command

    from corridor.store.migrate import alembic_config

    cfg = alembic_config(url)
    cfg.attributes["connection"] = conn
    (command.downgrade if down else command.upgrade)(cfg, revision)


def _reset_sequences(conn: Connection, meta: sa.MetaData) -> None:
    for table in meta.sorted_tables:
        pk = list(table.primary_key.columns)
        if len(pk) != 1:
            continue
        seq = conn.execute(sa.text("SELECT pg_get_serial_sequence(:t, :c)"),
                           {"t": table.name, "c": pk[0].name}).scalar()
        if seq is None:
            continue
        top = conn.execute(sa.select(sa.func.max(pk[0]))).scalar()
        conn.execute(sa.text("SELECT setval(:s, :v, :called)"),
                     {"s": seq, "v": top or 1, "called": top is not None})


@dataclass
class Restored:
    """What a restore wrote and found."""

    manifest: dict
    rows: dict[str, int]
    files: int
    replaced: bool
    rerecorded: list[str]
    audit_seq: int
    audit_ok: bool


def restore(url: str | None, path: Path | str, secret: Secret, *, force: bool = False,
            files_dir: Path | None = None, actor: str = "cli:backup.restore") -> Restored:
    """Restore the backup at ``path`` into the database at ``url``: all or nothing, after checking it all.

    The target must be empty (no schema, or a schema with no rows). With ``force`` a target that
    holds records is replaced, if it is the same coalition at the same schema revision.
    """
    from sqlalchemy.orm import Session

    from corridor.access import audit
    from corridor.archive import files as files_mod
    from corridor.store import database_url

    source = str(path)
    blob = read_file(path)
    doc = read_backup(blob, secret, source=source)       # everything checked before the target is opened
    manifest = doc["manifest"]
    target_url = database_url(url)
    created_file = _sqlite_file(target_url)
    existed = created_file is not None and created_file.exists()
    engine = open_engine(target_url, create=True)
    dialect = engine.dialect.name
    cross = manifest["dialect"] != dialect
    if cross and manifest["audit"].get("verified") is False:
        engine.dispose()
        raise CorridorError(f"the backup's audit log did not verify when it was made "
                            f"({manifest['audit'].get('problem')}); it can be restored only into the same kind of "
                            f"database ({manifest['dialect']}), where the log stays as it was", source=source)
    backup_rev = manifest["schema_revision"]
    head = head_revision()
    try:
        with engine.begin() as conn:
            state = inspect_target(conn)
            if state.rows < 0:
                raise CorridorError("the target database holds tables but no Corridor schema; restore into an "
                                    "empty database", field="--db", value=_where(target_url))
            if state.revision is not None and not _known(state.revision):
                raise CorridorError(f"the target database is at schema revision {state.revision!r}, unknown to this "
                                    "Corridor (a newer version made it)", field="--db", value=_where(target_url))
            replaced = state.rows != 0
            if replaced:
                if not force:
                    raise CorridorError("the target database already holds a coalition; restore into an empty "
                                        "database, or give --force to replace it with this backup of the same "
                                        "coalition", field="--db", value=_where(target_url))
                if state.coalition != manifest["coalition"]:
                    raise CorridorError("the backup is of another coalition than the target database's (their "
                                        "audit logs begin with different entries); nothing was written",
                                        source=source, field="coalition")
                if state.revision != backup_rev:
                    raise CorridorError(f"the target database is at schema revision {state.revision}, the backup at "
                                        f"{backup_rev}; replace only at the same revision, or restore into a new, "
                                        "empty database", field="--db", value=_where(target_url))
                for table in reversed(_reflect(conn).sorted_tables):
                    conn.execute(sa.delete(table))
                for name in ("web_session", "access_failure"):
                    conn.execute(sa.text(f'DELETE FROM "{name}"'))
            elif state.revision is None:
                _migrate(conn, target_url, backup_rev)
            elif state.revision != backup_rev:
                down = _is_ancestor(backup_rev, state.revision)
                _migrate(conn, target_url, backup_rev, down=down)
            meta = _reflect(conn)
            missing = set(doc["tables"]) - set(meta.tables)
            if missing:
                raise CorridorError("the database lacks a table the backup holds", source=source, field=min(missing))
            for table in meta.sorted_tables:
                content = doc["tables"].get(table.name)
                if not content or not content["rows"]:
                    continue
                try:
                    rows = _rows_for(table, content, dialect, source)
                except (TypeError, ValueError):
                    raise CorridorError("is damaged: a value cannot be read as its column's type", source=source,
                                        field=table.name) from None
                for i in range(0, len(rows), _BATCH):
                    conn.execute(sa.insert(table), rows[i:i + _BATCH])
            if dialect == "postgresql":
                _reset_sequences(conn, meta)
            counts = _row_counts(conn, meta)
            for name, want in manifest["tables"].items():
                if counts.get(name) != want["rows"]:
                    raise CorridorError(f"after writing, {name} holds {counts.get(name)} rows, not the "
                                        f"{want['rows']} of the backup; nothing was kept", source=source, field=name)
            if backup_rev != head:
                _migrate(conn, target_url, head)
            rerecorded = _finish_audit(conn, manifest, cross=cross, actor=actor, source=source)
            with Session(bind=conn) as s:
                report = audit.audit_report(s)
            if manifest["audit"].get("verified") and not report.ok:
                problem = report.first_problem()
                raise CorridorError(f"after restoring, the audit log does not verify ({problem.reason}); "
                                    "nothing was kept", source=source, field="audit")
    except CorridorError:
        engine.dispose()
        _remove_new_file(created_file, existed)
        raise
    except sa.exc.SQLAlchemyError as exc:
        engine.dispose()
        _remove_new_file(created_file, existed)
        first = (str(getattr(exc, "orig", None) or exc).strip().splitlines() or [""])[0][:160]
        raise CorridorError(f"the restore was rolled back, nothing was kept ({type(exc).__name__}: {first})",
                            field="--db", value=_where(target_url)) from None
    try:
        import io

        from corridor.archive.search import ensure_index

        folder = files_dir or files_mod.files_dir()
        for sha, data in doc["files"].items():
            files_mod.store(io.BytesIO(base64.b64decode(data)), sha, limit=1 << 40, folder=folder)
        ensure_index(engine)
    finally:
        engine.dispose()
    return Restored(manifest, {n: t["rows"] for n, t in manifest["tables"].items()}, len(doc["files"]),
                    replaced, rerecorded, report.head_seq, report.ok)


def _is_ancestor(older: str, newer: str) -> bool:
    """Whether ``older`` comes before ``newer`` in the migrations."""
    script = _script()
    return any(r.revision == older for r in script.iterate_revisions(newer, "base"))


def _finish_audit(conn: Connection, manifest: Mapping, *, cross: bool, actor: str, source: str) -> list[str]:
    """Re-record rows whose stored form changed (another kind of database), then note the restore."""
    from sqlalchemy.orm import Session

    from corridor.access import audit
    from corridor.access.tables import AuditEntry

    rerecorded: list[str] = []
    with Session(bind=conn) as s:
        if manifest["audit"]["seq"]:
            anchor = audit.Anchor(seq=manifest["audit"]["seq"], hash=manifest["audit"]["hash"],
                                  first=manifest["audit"]["first"], at=manifest["created"])
            entries = list(s.execute(sa.select(AuditEntry).order_by(AuditEntry.seq)).scalars())
            wrong = audit.check_anchor(entries, anchor)
            if wrong is not None:
                raise CorridorError(f"the restored audit log does not end at the backup's head ({wrong})",
                                    source=source, field="audit")
        if cross:
            kinds = sorted({t.name for e in s.execute(sa.select(AuditEntry.entity)
                                                      .where(AuditEntry.row_hash.is_not(None)).distinct()).scalars()
                            if (t := audit.table_for(e)) is not None})
            for name in kinds:
                before = s.execute(sa.select(sa.func.max(AuditEntry.seq))).scalar() or 0
                audit.append_audit(s, actor=actor, org_id=None, action="backup.restore", entity=name,
                                   entity_id="all", before=None,
                                   after={"from": manifest["dialect"], "reason": "times stored in another form"})
                s.flush()
                after = s.execute(sa.select(sa.func.max(AuditEntry.seq))).scalar() or 0
                if after - before > 1:
                    rerecorded.append(name)
        audit.append_audit(s, actor=actor, org_id=None, action="backup.restore", entity="coalition",
                           entity_id=manifest["created"], before=None,
                           after={"created": manifest["created"], "schema_revision": manifest["schema_revision"],
                                  "audit_seq": manifest["audit"]["seq"], "audit_hash": manifest["audit"]["hash"],
                                  "tables": {n: t["sha256"] for n, t in manifest["tables"].items()}})
        s.commit()
    return rerecorded


def _sqlite_file(url: str) -> Path | None:
    try:
        parsed = sa.engine.make_url(url)
    except Exception:  # noqa: BLE001  (not a URL SQLAlchemy reads: not a SQLite file either)
        return None
    if parsed.get_backend_name() != "sqlite" or not parsed.database or parsed.database == ":memory:":
        return None
    return Path(parsed.database)


def _remove_new_file(path: Path | None, existed: bool) -> None:
    """A SQLite file the failed restore itself created is removed (with its journal files)."""
    if path is None or existed:
        return
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(str(path) + suffix).unlink(missing_ok=True)
