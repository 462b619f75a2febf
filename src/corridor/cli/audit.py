"""Audit commands: check the hash-chained audit log and the rows it vouches for; anchor its head."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from corridor.cli.coalition import Db, _engine
from corridor.cli.console import console, err_console

audit_app = typer.Typer(help="The audit log.", no_args_is_help=True)

AnchorIn = Annotated[Path | None, typer.Option(
    "--anchor", help="An anchor file written earlier by `corridor audit anchor`: detects a log cut short "
                     "or rewritten since.")]
AnchorOut = Annotated[Path, typer.Option(
    "--out", help="Where to write the anchor. Keep it off the server (another machine, paper, a message).")]


def _print_head(report) -> None:
    console.print(f"Head: entry {report.head_seq}, sha256 {report.head_hash}")


def _print_problems(report, anchor_file: Path | None = None) -> None:
    if report.chain is not None:
        err_console.print(f"[bold red]Audit log altered[/] at entry {report.chain.seq}: {escape(report.chain.reason)}")
    for row in report.rows:
        err_console.print(f"[bold red]Row altered[/]: {row.entity} {escape(str(row.entity_id))} {escape(row.reason)}")
    if report.anchor is not None:
        err_console.print(f"[bold red]Anchor[/] {escape(str(anchor_file))}: {escape(report.anchor)}")


@audit_app.command("verify")
def audit_verify(db: Db = None, anchor: AnchorIn = None) -> None:
    """Check the audit log's hash chain, every audited row against its latest entry and, with
    --anchor, that the log still holds the anchored head. Exit 1 naming what was altered."""
    from corridor.access import audit
    from corridor.store import session_scope

    anchored = audit.read_anchor(anchor) if anchor is not None else None
    engine = _engine(db)
    with session_scope(engine) as s:
        report = audit.audit_report(s, anchor=anchored)
    _print_head(report)
    if not report.ok:
        _print_problems(report, anchor)
        raise typer.Exit(1)
    console.print(f"Audit log intact: {report.entries} entries")
    rows = f"Rows: {report.rows_checked} match the log"
    if report.rows_unchecked:
        rows += f"; {report.rows_unchecked} last written before rows were recorded (not compared)"
    console.print(rows)
    if anchored is not None:
        console.print(f"Anchor {escape(str(anchor))}: entry {anchored.seq} is still in the log, unchanged")


@audit_app.command("anchor")
def audit_anchor(out: AnchorOut, db: Db = None) -> None:
    """Write the audit log's head (entry number and hash) to a file to keep off the server.

    Only an intact log is anchored. Later, `corridor audit verify --anchor FILE` shows whether
    entries were removed or rewritten since."""
    from corridor.access import audit
    from corridor.atomic import check_writable
    from corridor.store import session_scope

    check_writable(out)
    engine = _engine(db)
    with session_scope(engine) as s:
        report = audit.audit_report(s)
        anchor = audit.make_anchor(s)
    _print_head(report)
    if not report.ok:
        _print_problems(report)
        err_console.print("No anchor written: the log does not verify.")
        raise typer.Exit(1)
    audit.write_anchor(out, anchor)
    console.print(f"Anchor written to {escape(str(out))}: entry {anchor.seq}. Keep it off the server.")
