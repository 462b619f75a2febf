"""The ``corridor`` command: a thin face over the library (no model logic lives here).

User mistakes raise :class:`~corridor.errors.CorridorError`; :func:`main` prints them as one
line on standard error and exits with code 2, never with a traceback.
"""

from __future__ import annotations

import sys

import typer
from rich.console import Console
from rich.markup import escape

from corridor.errors import USER_ERROR_EXIT_CODE, CorridorError

app = typer.Typer(
    name="corridor",
    help="Coordinate, model and assess outside-information campaigns into North Korea.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)

from corridor.cli import balloon, border, coalition, demo, evidence, geo, loudspeaker, radio, satellite  # noqa: E402,F401  (register commands)

app.add_typer(geo.app, name="geo")
app.add_typer(coalition.db_app, name="db")
app.add_typer(coalition.org_app, name="org")
app.add_typer(coalition.user_app, name="user")
app.add_typer(coalition.audit_app, name="audit")
app.add_typer(coalition.token_app, name="token")
app.command("import-hxl")(coalition.import_hxl)
app.command("export-hxl")(coalition.export_hxl)
app.command("serve")(coalition.serve)
app.add_typer(loudspeaker.app, name="loudspeaker")
app.add_typer(radio.app, name="radio")
app.add_typer(border.app, name="border")
app.add_typer(satellite.app, name="satellite")
app.add_typer(balloon.app, name="balloon")
app.add_typer(evidence.app, name="evidence")


def main() -> None:
    """Entry point of the ``corridor`` console script."""
    try:
        app()
    except CorridorError as exc:
        Console(stderr=True, soft_wrap=True).print(f"[bold red]error:[/] {escape(exc.one_line())}")
        sys.exit(USER_ERROR_EXIT_CODE)
