"""Opening a sealed identity for one request, with the number of wrong passphrases limited per
reviewer and per organisation; refusals are audited in a transaction of their own."""

from __future__ import annotations

from sqlalchemy.orm import Session

from corridor.access.rules import ArchiveAction
from corridor.access.throttle import Throttle
from corridor.archive import sealing
from corridor.archive.records.common import Clerk, _audit, _require
from corridor.archive.records.roles import org_key
from corridor.archive.tables import ArchivePerson
from corridor.errors import CorridorError

#: Wrong passphrases allowed per reviewer, and per organisation (several reviewers' accounts
#: together), within 15 minutes before unsealing with the server-held key pauses. NIST SP
#: 800-63B §5.2.2 asks that failed attempts be limited; the count is kept for what is guessed at
#: (the organisation's key) as well as for who guesses, as OWASP's Authentication Cheat Sheet
#: ("Account Lockout") keeps it for the account, not the address. The check comes before the passphrase
#: is tried, so that past the limit the right passphrase is refused too: otherwise the limit would
#: slow the guessing, but the answer to the right guess would still tell the guesser they found it.
UNSEAL_PER_USER = Throttle(limit=5, window_s=900)
UNSEAL_PER_ORG = Throttle(limit=10, window_s=900)


class UnsealPaused(CorridorError):
    """Too many wrong passphrases for this reviewer or this organisation: try again later."""

    def __init__(self) -> None:
        minutes = int(UNSEAL_PER_USER.window_s // 60)
        super().__init__(f"too many wrong passphrases; unsealing is paused for up to {minutes} minutes",
                         field="passphrase")


def _unseal_keys(clerk: Clerk, org_id: int) -> tuple[str, str]:
    """The failure counters an unsealing attempt counts against: the person's, the organisation's."""
    who = f"user:{clerk.user_id}" if clerk.user_id is not None else clerk.label
    return f"unseal:{who}", f"unseal:org:{org_id}"


def unseal_paused(s: Session, clerk: Clerk, org_id: int) -> bool:
    """Whether ``clerk`` (or anyone in ``org_id``) has used up the wrong passphrases allowed."""
    mine, org = _unseal_keys(clerk, org_id)
    return UNSEAL_PER_USER.blocked(s, [mine]) or UNSEAL_PER_ORG.blocked(s, [org])


#: How long a refusal's own transaction waits for another writer before it is written in the
#: caller's transaction instead (seconds).
APART_WAIT_S = 2


def _commit_apart(s: Session, write) -> None:
    """Run ``write(session)`` in a transaction of its own and commit it, so that it stands even
    when the caller's transaction is rolled back (a refused request, a failed command).

    When the caller's transaction already holds the locks the second one needs (it has written:
    SQLite's single writer, the audit log's head row on PostgreSQL), or another writer holds
    them past :data:`APART_WAIT_S`, the record is written in the caller's transaction instead,
    which then commits it with its answer (the pages do: a refusal is a rendered page).
    """
    from sqlalchemy import text
    from sqlalchemy.engine import Connection
    from sqlalchemy.exc import OperationalError

    conn = s.connection()
    if conn.dialect.name == "postgresql" and conn.execute(
            text("SELECT pg_current_xact_id_if_assigned() IS NOT NULL")).scalar():
        write(s)   # this transaction has written: it may hold the audit head's lock itself
        return
    bind = s.get_bind()
    engine = bind.engine if isinstance(bind, Connection) else bind
    try:
        with Session(engine) as apart, apart.begin():
            own = apart.connection()
            usual = None
            if engine.dialect.name == "postgresql":
                own.execute(text(f"SET LOCAL lock_timeout = '{APART_WAIT_S}s'"))
            elif engine.dialect.name == "sqlite":   # a connection setting: put back before it returns to the pool
                usual = own.exec_driver_sql("PRAGMA busy_timeout").scalar()
                own.exec_driver_sql(f"PRAGMA busy_timeout = {APART_WAIT_S * 1000}")
            try:
                write(apart)
                apart.flush()   # the write lock is taken here; committing needs no more waiting
            finally:
                if usual is not None:
                    own.exec_driver_sql(f"PRAGMA busy_timeout = {int(usual)}")
    except OperationalError:
        write(s)


def _unseal_refused(s: Session, clerk: Clerk, person: ArchivePerson, action: str, *, count: bool) -> None:
    """Audit a refused unsealing (never the passphrase) and, for a wrong one, count the failure."""
    keys = _unseal_keys(clerk, person.org_id)

    def write(session: Session) -> None:
        if count:
            UNSEAL_PER_USER.forget_old(session, keys)   # both counters share the window
            UNSEAL_PER_USER.failed(session, keys)
        _audit(session, clerk, person.org_id, action, "archive_person", person.public_id)

    _commit_apart(s, write)


def unseal(s: Session, clerk: Clerk, person: ArchivePerson, *, passphrase: str | None = None,
           private_key: bytes | None = None) -> dict[str, str]:
    """Open a sealed identity for one request: with the private key (offline file) or the
    passphrase of the key stored wrapped. Audited; the key is not kept.

    A wrong passphrase is counted and audited (``archive.unseal.failed``) in a transaction of its
    own, committed even though the caller's is not; past :data:`UNSEAL_PER_USER` or
    :data:`UNSEAL_PER_ORG` every attempt is refused with :class:`UnsealPaused` without trying the
    passphrase, and audited (``archive.unseal.refused``).
    """
    _require(clerk, ArchiveAction.UNSEAL, person.org_id)
    if person.sealed_identity is None:
        return {}
    if private_key is None:
        key = org_key(s, person.org_id)
        if key.wrapped_private_key is None:
            raise CorridorError("the private key is kept offline; unseal on the offline machine",
                                field="passphrase")
        if unseal_paused(s, clerk, person.org_id):
            _unseal_refused(s, clerk, person, "archive.unseal.refused", count=False)
            raise UnsealPaused()
        try:
            private_key = sealing.unwrap_private_key(key.wrapped_private_key, passphrase or "")
        except sealing.WrongPassphrase:
            _unseal_refused(s, clerk, person, "archive.unseal.failed", count=True)
            raise
    identity = sealing.open_identity(private_key, person.sealed_identity)
    _audit(s, clerk, person.org_id, "archive.unseal", "archive_person", person.public_id)
    return identity
