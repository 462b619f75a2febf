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

Texts are in the language asked for (``lang``, English or Korean, from the catalogue
``locale/ko/LC_MESSAGES/cli.po``); a check's ``name`` stays the same English key in every
language, and :func:`title` gives the name people read.
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
from corridor.i18n import gettext

PUBLIC_URL_ENV = "CORRIDOR_PUBLIC_URL"
#: A backup older than this needs action (a nightly backup, with a day's grace).
BACKUP_MAX_AGE = timedelta(hours=36)
#: A live token unused for this long should be revoked.
TOKEN_IDLE = timedelta(days=90)
#: Free space below either limit needs action.
MIN_FREE_BYTES = 2 * 1024 ** 3
MIN_FREE_SHARE = 0.05


#: Each check's key and the name people read (a catalogue message; see :func:`title`).
NAMES = ("database", "server key", "public URL", "backup", "disk", "owners", "tokens", "audit")


def title(name: str, lang: str = "en") -> str:
    """The name people read for the check ``name`` in ``lang``."""
    return gettext(lang, name)


@dataclass(frozen=True)
class Check:
    """One check: its key (:data:`NAMES`), whether it is fine, what was found and what to do
    (both already in the language asked for)."""

    name: str
    ok: bool
    found: str
    action: str = ""
    lang: str = "en"

    def line(self) -> str:
        status = gettext(self.lang, "ok") if self.ok else gettext(self.lang, "FAIL")
        text = f"{status:<4} {title(self.name, self.lang)}: {self.found}"
        return text + (f" -> {self.action}" if self.action and not self.ok else "")


def _tr(lang: str):
    return lambda message: gettext(lang, message)


def _aware(t: datetime | None) -> datetime | None:
    if t is None:
        return None
    return t if t.tzinfo else t.replace(tzinfo=UTC)


def check_database(engine: Engine | None, error: str | None, lang: str = "en") -> Check:
    from corridor.ops.backup import _revision, head_revision

    _ = _tr(lang)
    if engine is None:
        return Check("database", False, error or _("does not answer"),
                     _("check CORRIDOR_DATABASE_URL and that the database server runs (systemctl status postgresql)"),
                     lang)
    with engine.connect() as conn:
        current = _revision(conn)
    head = head_revision()
    if current is None:
        return Check("database", False, _("answers, but holds no Corridor schema"), _("run `corridor db upgrade`"),
                     lang)
    if current != head:
        return Check("database", False,
                     _("schema at revision {current}, this Corridor needs {head} (a migration is pending)").format(
                         current=current, head=head),
                     _("back up (`corridor backup`), then run `corridor db upgrade`"), lang)
    return Check("database", True, _("answers; schema at the current revision {head}").format(head=head), lang=lang)


def check_server_key(lang: str = "en") -> Check:
    from corridor.access import serverkey

    _ = _tr(lang)
    try:
        serverkey.load_key()
    except CorridorError as exc:
        return Check("server key", False, _(exc.message), _("restore it from your key backup, or (new server only) "
                                                            "run `corridor db upgrade` to create one"), lang)
    mode = serverkey.key_file_mode()
    if mode is None:
        return Check("server key", True, _("from ${variable}").format(variable=serverkey.ENV_KEY), lang=lang)
    path = serverkey.key_path()
    if mode & 0o077:
        return Check("server key", False,
                     _("{path} is readable or writable by others (mode {mode})").format(path=path, mode=f"{mode:04o}"),
                     _("run `chmod 600 {path}`").format(path=path), lang)
    return Check("server key", True,
                 _("{path}, readable by its owner only (mode {mode})").format(path=path, mode=f"{mode:04o}"),
                 lang=lang)


def check_public_url(value: str | None = None, lang: str = "en") -> Check:
    from urllib.parse import urlsplit

    _ = _tr(lang)
    url = (value if value is not None else os.environ.get(PUBLIC_URL_ENV, "")).strip()
    if not url:
        return Check("public URL", False, _("${variable} is not set").format(variable=PUBLIC_URL_ENV),
                     _("set {variable}=https://your.host.name in the environment file").format(
                         variable=PUBLIC_URL_ENV), lang)
    parts = urlsplit(url)
    if parts.scheme != "https" or not parts.hostname:
        return Check("public URL", False, _("{url} is not an https:// address").format(url=url),
                     _("serve Corridor behind the HTTPS proxy (deploy/Caddyfile) and give its https:// address"),
                     lang)
    return Check("public URL", True, url, lang=lang)


def check_last_backup(now: datetime | None = None, lang: str = "en") -> Check:
    from corridor.ops.backup import last_backup_path, read_last_backup

    _ = _tr(lang)
    now = now or datetime.now(UTC)
    note = read_last_backup()
    if note is None:
        return Check("backup", False, _("no backup recorded ({path})").format(path=last_backup_path()),
                     _("run `corridor backup --out FILE --public-key KEY` and enable the nightly timer"), lang)
    try:
        at = _aware(datetime.fromisoformat(note["at"]))
    except ValueError:
        return Check("backup", False, _("the note of the last backup is damaged"), _("run `corridor backup` again"),
                     lang)
    age = now - at
    hours = age.total_seconds() / 3600
    if age > BACKUP_MAX_AGE:
        return Check("backup", False,
                     _("the last backup is {hours} h old (made {at})").format(hours=f"{hours:.0f}", at=note["at"]),
                     _("run `corridor backup`, and check the timer: `systemctl status corridor-backup.timer`"), lang)
    return Check("backup", True, _("last made {hours} h ago ({at})").format(hours=f"{hours:.1f}", at=note["at"]),
                 lang=lang)


def _free(path: Path) -> tuple[int, int]:
    usage = shutil.disk_usage(path)
    return usage.free, usage.total


def check_disk(paths: list[Path], lang: str = "en") -> Check:
    _ = _tr(lang)
    worst: tuple[float, Path, int, int] | None = None
    for path in paths:
        free, total = _free(path)
        share = free / total if total else 0.0
        if worst is None or share < worst[0]:
            worst = (share, path, free, total)
    share, path, free, total = worst
    found = _("{free} GiB free of {total} GiB ({share}) at {path}").format(
        free=f"{free / 1024 ** 3:.1f}", total=f"{total / 1024 ** 3:.1f}", share=f"{share:.0%}", path=path)
    if free < MIN_FREE_BYTES or share < MIN_FREE_SHARE:
        return Check("disk", False, found, _("free space (old backups, logs: `journalctl --vacuum-time=30d`) "
                                             "or grow the disk"), lang)
    return Check("disk", True, found, lang=lang)


def check_owners_second_factor(engine: Engine, lang: str = "en") -> Check:
    from corridor.access.rules import Role
    from corridor.access.tables import Membership, User

    _ = _tr(lang)
    with engine.connect() as conn:
        names = sorted(conn.execute(
            sa.select(User.username).join(Membership, Membership.user_id == User.id)
            .where(Membership.role == Role.OWNER.value, User.active.is_(True), User.totp_secret.is_(None))
            .distinct()).scalars())
    if names:
        shown = ", ".join(names[:5]) + (_(" and {n} more").format(n=len(names) - 5) if len(names) > 5 else "")
        return Check("owners", False,
                     _("{n} owner(s) without a second factor: {names}").format(n=len(names), names=shown),
                     _("give each an enrolment code (`corridor user enrol NAME`), in person"), lang)
    return Check("owners", True, _("every owner has a second factor"), lang=lang)


def check_idle_tokens(engine: Engine, now: datetime | None = None, lang: str = "en") -> Check:
    from corridor.access.tables import ApiToken

    _ = _tr(lang)
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
        return Check("tokens", False, _("{n} live API token(s) unused for {days} days: {ids}").format(
                         n=len(idle), days=TOKEN_IDLE.days, ids=shown),
                     _("revoke those no longer needed: `corridor token revoke ID` (see `corridor token list`)"),
                     lang)
    return Check("tokens", True, _("no live token unused for {days} days").format(days=TOKEN_IDLE.days), lang=lang)


def check_audit(engine: Engine, lang: str = "en") -> Check:
    from sqlalchemy.orm import Session

    from corridor.access.audit import audit_report

    _ = _tr(lang)
    with Session(engine) as s:
        report = audit_report(s)
    problem = report.first_problem()
    if problem is not None:
        where = (f"{problem.entity} {problem.entity_id}" if problem.entity
                 else _("entry {seq}").format(seq=problem.seq))
        return Check("audit", False, f"{where} {problem.reason}",
                     _("run `corridor audit verify` and follow docs/hosting.md, \"After a suspected breach\""), lang)
    return Check("audit", True, _("chain intact, {entries} entries, {rows} rows match").format(
        entries=report.entries, rows=report.rows_checked), lang=lang)


def _db_file(engine: Engine | None) -> Path | None:
    if engine is None or engine.dialect.name != "sqlite" or not engine.url.database:
        return None
    return Path(engine.url.database).expanduser().resolve().parent


def run_checks(url: str | None = None, *, now: datetime | None = None, lang: str = "en") -> list[Check]:
    """Every check, in order, its texts in ``lang``; those that need the database say so when it
    does not answer."""
    from corridor.i18n import check_language
    from corridor.ops.backup import open_engine
    from corridor.paths import data_dir

    check_language(lang)
    _ = _tr(lang)
    engine: Engine | None = None
    error = None
    try:
        engine = open_engine(url)
    except CorridorError as exc:
        error = exc.message
    checks = [check_database(engine, error, lang), check_server_key(lang), check_public_url(lang=lang),
              check_last_backup(now, lang)]
    disks = [data_dir()]
    if (folder := _db_file(engine)) is not None:
        disks.append(folder)
    checks.append(check_disk(disks, lang))
    schema_ok = checks[0].ok
    needs_db: list[tuple[str, Callable[[Engine], Check]]] = [
        ("owners", lambda e: check_owners_second_factor(e, lang)), ("tokens", lambda e: check_idle_tokens(e, now, lang)),
        ("audit", lambda e: check_audit(e, lang))]
    for name, fn in needs_db:
        if engine is None or not schema_ok:
            checks.append(Check(name, False, _("not checked: the database is not ready"), _("fix the database first"),
                                lang))
        else:
            checks.append(fn(engine))
    if engine is not None:
        engine.dispose()
    return checks
