"""Coalition service commands: the database, organisations, users, HXL exchange, audit, server."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer
from sqlalchemy import select

from corridor.cli.console import console
from corridor.errors import CorridorError

Db = Annotated[Optional[str], typer.Option("--db", help="Database URL (default: $CORRIDOR_DATABASE_URL or the local SQLite file).")]

db_app = typer.Typer(help="The database.", no_args_is_help=True)
org_app = typer.Typer(help="Organisations.", no_args_is_help=True)


def _engine(db: str | None):
    from corridor.access.setup import prepare_database
    from corridor.store import make_engine

    try:
        prepare_database(db)
    except Exception as exc:  # an unreachable server or a bad URL is the user's to fix
        raise CorridorError(f"cannot open the database ({type(exc).__name__}: {str(exc).splitlines()[0][:160]})",
                            field="--db") from None
    return make_engine(db)


def _org(s, name: str):
    from corridor.access.tables import Organisation

    org = s.execute(select(Organisation).where(Organisation.name == name)).scalar_one_or_none()
    if org is None:
        raise CorridorError("no such organisation", field="--org", value=name,
                            hint="create it with `corridor org create NAME`")
    return org


def _role(value: str):
    from corridor.access.rules import Role

    try:
        return Role(value)
    except ValueError:
        raise CorridorError("must be owner, editor or viewer", field="--role", value=value) from None


def _user(s, username: str, *, required: str | None = None):
    """The account called ``username`` (case-insensitive), or None; with ``required`` (the
    argument's name), a missing account is an error naming it."""
    from corridor.access.tables import User

    user = s.execute(select(User).where(User.username == username.strip().lower())).scalar_one_or_none()
    if user is None and required:
        raise CorridorError("no such user", field=required, value=username)
    return user


def _admin(org_id: int, what: str):
    from corridor.access.rules import Actor, Role

    return Actor(0, {org_id: Role.OWNER}, label=f"cli:{what}")


@db_app.command("upgrade")
def db_upgrade(db: Db = None) -> None:
    """Create or migrate the database to the latest schema."""
    from corridor.access.setup import prepare_database
    from corridor.store import database_url

    try:
        rev = prepare_database(db)
    except Exception as exc:
        raise CorridorError(f"cannot open the database ({type(exc).__name__})", field="--db") from None
    url = database_url(db)
    console.print(f"Database at revision [bold]{rev}[/] ({url.split('@')[-1]})")


@org_app.command("create")
def org_create(name: Annotated[str, typer.Argument(help="Organisation name.")], db: Db = None) -> None:
    """Create an organisation."""
    from corridor.access import members
    from corridor.store import session_scope

    engine = _engine(db)
    with session_scope(engine) as s:
        org = members.create_organisation(s, name)
        console.print(f"Created organisation [bold]{org.name}[/] (id {org.id})")


def import_hxl(
    file: Annotated[Path, typer.Argument(help="HXL-tagged CSV (see docs/coalition.md).")],
    org: Annotated[str, typer.Option("--org", help="Organisation the activities belong to.")],
    db: Db = None,
) -> None:
    """Import activities from HXL CSV: every row is checked first; all rows or none.

    Cells that an HXL export neutralised against spreadsheet formulas (a leading ``'``) are read
    back as the text they were.
    """
    from sqlalchemy.exc import OperationalError

    from corridor.coalition import exchange, hxl
    from corridor.store import session_scope

    rows = hxl.read_hxl(file)
    engine = _engine(db)
    try:
        with session_scope(engine) as s:
            organisation = _org(s, org)
            report = exchange.import_rows(s, _admin(organisation.id, "import"), organisation.id, rows,
                                          source=str(file))
    except OperationalError:
        # Another writer held the database past its busy timeout; nothing of the import was kept.
        raise CorridorError("the database is busy (another write is under way); nothing was imported, "
                            "try again in a moment", field="--db") from None
    console.print(f"Imported {report['activities']} activities into {report['campaigns']} campaign(s) of {org}")


def export_hxl(
    out: Annotated[Path, typer.Option("--out", help="CSV file to write.")],
    org: Annotated[str, typer.Option("--org", help="Export what this organisation may read.")],
    db: Db = None,
) -> None:
    """Export the activities an organisation may read (its own and shared ones) as HXL CSV.

    Text cells that a spreadsheet would run as a formula (starting with = + - @, a tab or a
    carriage return) are written with a leading ' so that they open as text.
    """
    from corridor.access.rules import Actor, Role
    from corridor.atomic import check_writable
    from corridor.coalition import exchange, hxl
    from corridor.store import session_scope

    check_writable(out)
    engine = _engine(db)
    with session_scope(engine) as s:
        organisation = _org(s, org)
        rows = exchange.export_rows(s, Actor(0, {organisation.id: Role.VIEWER}, label="cli:export"))
        hxl.write_hxl(rows, out)
    console.print(f"Wrote {len(rows)} activities to {out}")


def serve(
    host: Annotated[str, typer.Option("--host", help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", help="Port.")] = 8000,
    workers: Annotated[int, typer.Option("--workers", help="Worker processes (one per core is a good start).")] = 1,
    db: Db = None,
    log_format: Annotated[str, typer.Option("--log-format", help="Access and error log lines on standard error: text (for a person) or json (for a collector).")] = "text",
) -> None:
    """Run the web service (pages and JSON API) with uvicorn.

    One access line per request goes to standard error (never a query string, header, body or
    client address: see corridor.web.logs)."""
    import os

    from corridor.web.logs import FORMATS, configure

    if log_format not in FORMATS:
        raise CorridorError("must be text or json", field="--log-format", value=log_format)

    import uvicorn

    from corridor.access.setup import prepare_database
    from corridor.store import database_url
    from corridor.store.engine import ENV_URL
    from corridor.web.app import create_app

    if not 0 < port < 65536:
        raise CorridorError("must be between 1 and 65535", field="--port", value=port)
    if not 1 <= workers <= 64:
        raise CorridorError("must be between 1 and 64", field="--workers", value=workers)
    try:
        prepare_database(db)
    except Exception as exc:
        raise CorridorError(f"cannot open the database ({type(exc).__name__})", field="--db") from None
    # The client address (sign-in throttling) and scheme come from X-Forwarded-For/-Proto only when
    # the request comes from a trusted proxy: by default the reverse proxy on this host (deploy/Caddyfile).
    proxy = {"proxy_headers": True, "forwarded_allow_ips": os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")}
    os.environ["CORRIDOR_LOG_FORMAT"] = log_format       # each worker process configures its logs
    configure(log_format)
    console.print(f"Corridor at http://{host}:{port}/ (Ctrl+C to stop)")
    if workers == 1:
        uvicorn.run(create_app(db, migrate=False), host=host, port=port, log_level="warning", **proxy)
    else:
        os.environ[ENV_URL] = database_url(db)
        uvicorn.run("corridor.web.app:app_from_env", factory=True, host=host, port=port, workers=workers,
                    log_level="warning", **proxy)
