"""Audit commands: check the hash-chained audit log."""

from __future__ import annotations

import typer

from corridor.cli.coalition import Db, _engine
from corridor.cli.console import console, err_console

audit_app = typer.Typer(help="The audit log.", no_args_is_help=True)


@audit_app.command("verify")
def audit_verify(db: Db = None) -> None:
    """Check the audit log's hash chain; exit 1 and name the first bad entry if it was altered."""
    from corridor.access import audit
    from corridor.store import session_scope

    engine = _engine(db)
    with session_scope(engine) as s:
        n, broken = audit.verify_audit(s)
    if broken is None:
        console.print(f"Audit log intact: {n} entries")
        return
    err_console.print(f"[bold red]Audit log altered[/] at entry {broken.seq}: {broken.reason}")
    raise typer.Exit(1)
