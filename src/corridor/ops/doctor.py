"""`corridor doctor`: what a volunteer administrator should check on a running server, one line each.

Every check returns a :class:`Check`: its name, whether it is fine, what was found and, when it
is not fine, what to do. None of them writes anything. The checks:

- the database answers and its schema is at the current migration;
- the server key is there, and its file is readable by its owner only;
- the public address (``CORRIDOR_PUBLIC_URL``) is HTTPS;
- the last backup (noted by ``corridor backup`` in the data folder) is less than 36 hours old;
- the data folder's and the database file's disks have room;
- every owner has a second factor;
- no live API token has gone unused for 90 days;
- the audit log's chain and the rows it vouches for are intact.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from corridor.errors import CorridorError

PUBLIC_URL_ENV = "CORRIDOR_PUBLIC_URL"
#: A backup older than this needs action (a nightly backup, with a day's grace).
BACKUP_MAX_AGE = timedelta(hours=36)
#: A live token unused for this long should be revoked.
TOKEN_IDLE = timedelta(days=90)
#: Free space below either limit needs action.
MIN_FREE_BYTES = 2 * 1024 ** 3
MIN_FREE_SHARE = 0.05


@dataclass(frozen=True)
class Check:
    name: str
    ok: bool
    found: str
    action: str = ""

    def line(self) -> str:
        text = f"{'ok  ' if self.ok else 'FAIL'} {self.name}: {self.found}"
        return text + (f" -> {self.action}" if self.action and not self.ok else "")


def _aware(t: datetime | None) -> datetime | None:
    if t is None:
        return None
    return t if t.tzinfo else t.replace(tzinfo=UTC)


def check_database(engine: Engine | None, error: str | None) -> Check:
    from corridor.ops.backup import _revision, head_revision

    if engine is None:
        return Check("database", False, error or "does not answer",
                     "check CORRIDOR_DATABASE_URL and that the database server runs (systemctl status postgresql)")
    with engine.connect() as conn:
        current = _revision(conn)
    head = head_revision()
    if current is None:
        return Check("database", False, "answers, but holds no Corridor schema", "run `corridor db upgrade`")
    if current != head:
        return Check("database", False, f"schema at revision {current}, this Corridor needs {head} "
                     "(a migration is pending)", "back up (`corridor backup`), then run `corridor db upgrade`")
    return Check("database", True, f"answers; schema at the current revision {head}")


def check_server_key() -> Check:
    from corridor.access import serverkey

    try:
        serverkey.load_key()
    except CorridorError as exc:
        return Check("server key", False, exc.message, "restore it from your key backup, or (new server only) "
                     "run `corridor db upgrade` to create one")
    mode = serverkey.key_file_mode()
    if mode is None:
        return Check("server key", True, f"from ${serverkey.ENV_KEY}")
    path = serverkey.key_path()
    if mode & 0o077:
        return Check("server key", False, f"{path} is readable or writable by others (mode {mode:04o})",
                     f"run `chmod 600 {path}`")
    return Check("server key", True, f"{path}, readable by its owner only (mode {mode:04o})")


def check_public_url(value: str | None = None) -> Check:
    from urllib.parse import urlsplit

    url = (value if value is not None else os.environ.get(PUBLIC_URL_ENV, "")).strip()
    if not url:
        return Check("public URL", False, f"${PUBLIC_URL_ENV} is not set",
                     f"set {PUBLIC_URL_ENV}=https://your.host.name in the environment file")
    parts = urlsplit(url)
    if parts.scheme != "https" or not parts.hostname:
        return Check("public URL", False, f"{url} is not an https:// address",
                     "serve Corridor behind the HTTPS proxy (deploy/Caddyfile) and give its https:// address")
    return Check("public URL", True, url)


def check_last_backup(now: datetime | None = None) -> Check:
    from corridor.ops.backup import last_backup_path, read_last_backup

    now = now or datetime.now(UTC)
    note = read_last_backup()
    if note is None:
        return Check("backup", False, f"no backup recorded ({last_backup_path()})",
                     "run `corridor backup --out FILE --public-key KEY` and enable the nightly timer")
    try:
        at = _aware(datetime.fromisoformat(note["at"]))
    except ValueError:
        return Check("backup", False, "the note of the last backup is damaged", "run `corridor backup` again")
    age = now - at
    hours = age.total_seconds() / 3600
    if age > BACKUP_MAX_AGE:
        return Check("backup", False, f"the last backup is {hours:.0f} h old (made {note['at']})",
                     "run `corridor backup`, and check the timer: `systemctl status corridor-backup.timer`")
    return Check("backup", True, f"last made {hours:.1f} h ago ({note['at']})")


def _free(path: Path) -> tuple[int, int]:
    usage = shutil.disk_usage(path)
    return usage.free, usage.total


def check_disk(paths: list[Path]) -> Check:
    worst: tuple[float, Path, int, int] | None = None
    for path in paths:
        free, total = _free(path)
        share = free / total if total else 0.0
        if worst is None or share < worst[0]:
            worst = (share, path, free, total)
    share, path, free, total = worst
    found = f"{free / 1024 ** 3:.1f} GiB free of {total / 1024 ** 3:.1f} GiB ({share:.0%}) at {path}"
    if free < MIN_FREE_BYTES or share < MIN_FREE_SHARE:
        return Check("disk", False, found, "free space (old backups, logs: `journalctl --vacuum-time=30d`) "
                     "or grow the disk")
    return Check("disk", True, found)


def check_owners_second_factor(engine: Engine) -> Check:
    from corridor.access.rules import Role
    from corridor.access.tables import Membership, User

    with engine.connect() as conn:
        names = sorted(conn.execute(
            sa.select(User.username).join(Membership, Membership.user_id == User.id)
            .where(Membership.role == Role.OWNER.value, User.active.is_(True), User.totp_secret.is_(None))
            .distinct()).scalars())
    if names:
        shown = ", ".join(names[:5]) + (f" and {len(names) - 5} more" if len(names) > 5 else "")
        return Check("owners", False, f"{len(names)} owner(s) without a second factor: {shown}",
                     "give each an enrolment code (`corridor user enrol NAME`), in person")
    return Check("owners", True, "every owner has a second factor")


def check_idle_tokens(engine: Engine, now: datetime | None = None) -> Check:
    from corridor.access.tables import ApiToken

    now = now or datetime.now(UTC)
    idle = []
    with engine.connect() as conn:
        rows = conn.execute(sa.select(ApiToken.id, ApiToken.created_at, ApiToken.expires_at, ApiToken.last_used_at)
                            .where(ApiToken.revoked.is_(False)).order_by(ApiToken.id))
        for token_id, created, expires, used in rows:
            if expires is not None and _aware(expires) <= now:
                continue
            last = _aware(used) or _aware(created)
            if last is not None and now - last > TOKEN_IDLE:
                idle.append(token_id)
    if idle:
        shown = ", ".join(map(str, idle[:10])) + (" …" if len(idle) > 10 else "")
        return Check("tokens", False, f"{len(idle)} live API token(s) unused for {TOKEN_IDLE.days} days: {shown}",
                     "revoke those no longer needed: `corridor token revoke ID`")
    return Check("tokens", True, f"no live token unused for {TOKEN_IDLE.days} days")


def check_audit(engine: Engine) -> Check:
    from sqlalchemy.orm import Session

    from corridor.access.audit import audit_report

    with Session(engine) as s:
        report = audit_report(s)
    problem = report.first_problem()
    if problem is not None:
        where = f"{problem.entity} {problem.entity_id}" if problem.entity else f"entry {problem.seq}"
        return Check("audit", False, f"{where} {problem.reason}",
                     "run `corridor audit verify` and follow docs/hosting.md, \"After a suspected breach\"")
    return Check("audit", True, f"chain intact, {report.entries} entries, {report.rows_checked} rows match")


def _db_file(engine: Engine | None) -> Path | None:
    if engine is None or engine.dialect.name != "sqlite" or not engine.url.database:
        return None
    return Path(engine.url.database).expanduser().resolve().parent


def run_checks(url: str | None = None, *, now: datetime | None = None) -> list[Check]:
    """Every check, in order; those that need the database say so when it does not answer."""
    from corridor.ops.backup import open_engine
    from corridor.paths import data_dir

    engine: Engine | None = None
    error = None
    try:
        engine = open_engine(url)
    except CorridorError as exc:
        error = exc.message
    checks = [check_database(engine, error), check_server_key(), check_public_url(), check_last_backup(now)]
    disks = [data_dir()]
    if (folder := _db_file(engine)) is not None:
        disks.append(folder)
    checks.append(check_disk(disks))
    schema_ok = checks[0].ok
    needs_db: list[tuple[str, Callable[[Engine], Check]]] = [
        ("owners", check_owners_second_factor), ("tokens", lambda e: check_idle_tokens(e, now)),
        ("audit", check_audit)]
    for name, fn in needs_db:
        if engine is None or not schema_ok:
            checks.append(Check(name, False, "not checked: the database is not ready", "fix the database first"))
        else:
            checks.append(fn(engine))
    if engine is not None:
        engine.dispose()
    return checks
