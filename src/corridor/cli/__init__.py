"""The ``corridor`` command: a thin face over the library (no model logic lives here).

User mistakes raise :class:`~corridor.errors.CorridorError`; :func:`main` prints them as one
line on standard error and exits with code 2, never with a traceback.

Command groups are imported when they are used: ``corridor radio …`` imports the radio commands
only, so help and input errors come back quickly; ``corridor --help`` imports every group to list
them.
"""

from __future__ import annotations

import importlib
import sys

import typer
from rich.console import Console
from rich.markup import escape
from typer.core import TyperGroup

from corridor.errors import USER_ERROR_EXIT_CODE, CorridorError

#: Commands in the order ``corridor --help`` lists them: name -> (module, attribute, is a group).
LAZY_COMMANDS: dict[str, tuple[str, str, bool]] = {
    "import-hxl": ("corridor.cli.coalition", "import_hxl", False),
    "export-hxl": ("corridor.cli.coalition", "export_hxl", False),
    "serve": ("corridor.cli.coalition", "serve", False),
    "geo": ("corridor.cli.geo", "app", True),
    "db": ("corridor.cli.coalition", "db_app", True),
    "org": ("corridor.cli.coalition", "org_app", True),
    "user": ("corridor.cli.users", "user_app", True),
    "audit": ("corridor.cli.audit", "audit_app", True),
    "token": ("corridor.cli.users", "token_app", True),
    "loudspeaker": ("corridor.cli.loudspeaker", "app", True),
    "radio": ("corridor.cli.radio", "app", True),
    "border": ("corridor.cli.border", "app", True),
    "satellite": ("corridor.cli.satellite", "app", True),
    "balloon": ("corridor.cli.balloon", "app", True),
    "evidence": ("corridor.cli.evidence", "app", True),
    "archive": ("corridor.cli.archive", "app", True),
    "assess": ("corridor.cli.assess", "assess_command", False),
    "report": ("corridor.cli.assess", "report_command", False),
}


class LazyGroup(TyperGroup):
    """The top-level group: commands of :data:`LAZY_COMMANDS` are built on first use."""

    def list_commands(self, ctx) -> list[str]:
        return [*super().list_commands(ctx), *(n for n in LAZY_COMMANDS if n not in self.commands)]

    def get_command(self, ctx, cmd_name: str):
        if cmd_name not in self.commands and cmd_name in LAZY_COMMANDS:
            from typer.main import get_command_from_info, get_group_from_info
            from typer.models import CommandInfo, TyperInfo

            module, attr, is_group = LAZY_COMMANDS[cmd_name]
            obj = getattr(importlib.import_module(module), attr)
            if is_group:
                cmd = get_group_from_info(TyperInfo(obj, name=cmd_name), pretty_exceptions_short=True,
                                          rich_markup_mode=self.rich_markup_mode,
                                          suggest_commands=self.suggest_commands)
            else:
                cmd = get_command_from_info(CommandInfo(name=cmd_name, callback=obj), pretty_exceptions_short=True,
                                            rich_markup_mode=self.rich_markup_mode)
            self.commands[cmd_name] = cmd
        return super().get_command(ctx, cmd_name)


app = typer.Typer(
    name="corridor",
    help="Coordinate, model and assess outside-information campaigns into North Korea.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
    cls=LazyGroup,
)


@app.callback()
def _root() -> None:
    """(No options of its own; makes ``corridor`` a group whatever commands are registered.)"""


from corridor.cli import demo  # noqa: F401  (registers ``corridor demo``; light)


def main() -> None:
    """Entry point of the ``corridor`` console script."""
    try:
        app()
    except CorridorError as exc:
        Console(stderr=True, soft_wrap=True).print(f"[bold red]error:[/] {escape(exc.one_line())}")
        sys.exit(USER_ERROR_EXIT_CODE)
