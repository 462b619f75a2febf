"""Rotating the server key without re-enrolment (``corridor server-key rotate``).

After a suspected breach the server key (:mod:`corridor.access.serverkey`) may be known to
someone else, who with a copy of the database could open every second factor and saved search.
A rotation makes a new key and, in **one database transaction**:

- opens every account's TOTP secret with the old key and seals it again with the new one (the
  same secret: nobody enrols again, and codes already used stay used, RFC 6238 §5.2);
- drops every saved archive search (a saved search is a shortcut to a search that can be run
  again; dropping it leaves no search terms sealed with the old key);
- ends every browser session (the sign-in forms' tokens and enrolment tickets, derived from the
  key, stop working too);
- appends one audit entry with the counts only.

The key file is replaced only after the transaction has committed. In order: the new key is
written beside the key file (``server.key.new``, mode 0600, whole or not at all), the
transaction commits, and the new file is renamed over the old one. Anything that fails before
the commit (a sealed value that does not open, a database that does not answer) rolls the
transaction back and removes the new file: the database and the old key stay as they were.

A key given in ``$CORRIDOR_SERVER_KEY`` cannot be replaced by Corridor: the new key is written
to a file the administrator names (``out``), who then puts it into the environment file and
restarts the service.

A rotation interrupted between the commit and the rename (a power cut) leaves
``server.key.new`` holding the key that opens the database; the next rotation notices it,
says so and stops. A leftover that opens nothing (from an attempt that failed) is removed.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from corridor.errors import CorridorError

#: The audit log's action for a rotation.
ACTION = "server_key.rotate"


@dataclass(frozen=True)
class Rotation:
    """What a rotation did (counts only; never a key)."""

    second_factors: int
    saved_searches: int
    sessions: int
    #: Where the new key is: the key file (replaced), or the file given for a key from the environment.
    key_file: Path
    from_environment: bool
    audit_seq: int


def _check_schema(engine) -> None:
    from corridor.ops.backup import _revision, head_revision

    with engine.connect() as conn:
        current = _revision(conn)
    if current != head_revision():
        raise CorridorError("the database is not at the current schema", field="--db",
                            hint="back up (`corridor backup`), then run `corridor db upgrade`, then rotate")


def _sealed_totp(s):
    """Every account holding a second factor, by id, locked for the transaction (PostgreSQL)."""
    from sqlalchemy import select

    from corridor.access.tables import User

    return list(s.execute(select(User).where(User.totp_secret.is_not(None)).order_by(User.id)
                          .with_for_update()).scalars())


def _opens_with(engine, key: bytes) -> bool | None:
    """Whether the first sealed second factor opens with ``key`` (None when there is none)."""
    from sqlalchemy.orm import Session

    from corridor.access.members import totp_purpose
    from corridor.access.serverkey import open_sealed

    with Session(engine) as s:
        users = _sealed_totp(s)
        if not users:
            return None
        try:
            open_sealed(users[0].totp_secret, totp_purpose(users[0]), key=key)
        except CorridorError:
            return False
        return True


def _leftover(engine, pending: Path, old: bytes) -> None:
    """Deal with a ``server.key.new`` left by an earlier rotation: removed when it opens nothing
    the old key does not; refused when the database opens only with it (interrupted after commit)."""
    from corridor.access import serverkey

    try:
        staged = serverkey.read_key_file(pending)
    except CorridorError:
        pending.unlink()
        return
    if _opens_with(engine, old) is False and _opens_with(engine, staged):
        raise CorridorError(
            "an earlier rotation stopped after re-sealing the database: the key that opens it is in "
            "this file, not in the key file", field="server key", value=str(pending),
            hint=f"move it into place (`mv {pending} {serverkey.key_path()}`), restart the service, "
                 "then rotate again if you wish")
    pending.unlink()


def _new_key_target(out: Path | str | None) -> tuple[Path, Path | None, bool]:
    """(where the new key is written first, the key file it replaces or None, from the environment)."""
    from corridor.access import serverkey
    from corridor.atomic import check_writable

    if serverkey.from_environment():
        if out is None:
            raise CorridorError(f"the server key comes from ${serverkey.ENV_KEY}, which Corridor cannot change",
                                field="--out", hint="add --out FILE: the new key is written there, for you to put "
                                                    f"into the environment file as {serverkey.ENV_KEY}")
        target = check_writable(out, field="--out")
        if target.exists():
            raise CorridorError("already exists; name a new file so that no key is overwritten", field="--out",
                                value=str(target))
        return target, None, True
    if out is not None:
        raise CorridorError("the key file is replaced where it is; --out is only for a key given in "
                            f"${serverkey.ENV_KEY}", field="--out", value=str(out))
    path = serverkey.key_path()
    if not path.exists():
        raise CorridorError("the server key is missing", field="server key", value=str(path),
                            hint="restore it from your key backup; without it nothing sealed opens")
    check_writable(path, field="server key")
    return serverkey.pending_path(path), path, False


def rotate_server_key(url: str | None = None, *, out: Path | str | None = None,
                      actor: str = "cli:server-key") -> Rotation:
    """Replace the server key, re-sealing what it seals (see the module notes); all or nothing.

    ``out`` is where the new key goes when the key comes from ``$CORRIDOR_SERVER_KEY`` (required
    then, refused otherwise). Returns the counts; never a key.
    """
    from sqlalchemy import delete, func, select
    from sqlalchemy.orm import Session

    from corridor.access import serverkey
    from corridor.access.audit import append_audit
    from corridor.access.members import totp_purpose
    from corridor.access.tables import AuditHead, WebSession
    from corridor.archive.tables import ArchiveSavedSearch
    from corridor.ops.backup import open_engine

    old = serverkey.load_key()
    staged, key_file, from_env = _new_key_target(out)
    engine = open_engine(url)
    try:
        _check_schema(engine)
        if key_file is not None and staged.exists():
            _leftover(engine, staged, old)
        new = serverkey.new_key()
        serverkey.write_key_file(staged, new)
        try:
            with Session(engine) as s, s.begin():
                users = _sealed_totp(s)
                for user in users:
                    try:
                        user.totp_secret = serverkey.reseal(user.totp_secret, totp_purpose(user), old=old, new=new)
                    except CorridorError:
                        raise CorridorError("a second factor does not open with the current server key, so "
                                            "nothing was changed", field="user", value=user.username,
                                            hint="is this the server key of this database? If only this account "
                                                 f"is damaged, give it a new second factor first (`corridor user "
                                                 f"enrol {user.username}`)") from None
                searches = s.execute(select(func.count()).select_from(ArchiveSavedSearch)).scalar_one()
                s.execute(delete(ArchiveSavedSearch))
                sessions = s.execute(select(func.count()).select_from(WebSession)).scalar_one()
                s.execute(delete(WebSession))
                append_audit(s, actor=actor, org_id=None, action=ACTION, entity="server_key", entity_id="rotate",
                             before=None, after={"second_factors": len(users), "saved_searches": searches,
                                                 "sessions": sessions})
                seq = s.execute(select(AuditHead.seq).where(AuditHead.id == 1)).scalar_one()
        except BaseException:
            staged.unlink(missing_ok=True)
            raise
    finally:
        engine.dispose()
    if key_file is not None:
        try:
            staged.replace(key_file)
        except OSError as exc:
            raise CorridorError(f"the database is sealed with the new key, but it could not replace the key file "
                                f"({type(exc).__name__})", field="server key", value=str(staged),
                                hint=f"move it into place now: `mv {staged} {key_file}`") from None
        serverkey.sync_folder(key_file.parent)
    return Rotation(len(users), searches, sessions, key_file or staged, from_env, seq)
