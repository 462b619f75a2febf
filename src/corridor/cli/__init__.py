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
from typer.core import TyperCommand, TyperGroup

from corridor.errors import USER_ERROR_EXIT_CODE, CorridorError

#: Commands in the order ``corridor --help`` lists them: name -> (module, attribute, is a group,
#: the one line ``corridor --help`` shows; a test checks it is the command's own first line).
LAZY_COMMANDS: dict[str, tuple[str, str, bool, str]] = {
    "import-hxl": ("corridor.cli.coalition", "import_hxl", False,
                   "Import activities from HXL CSV: every row is checked first; all rows or none."),
    "export-hxl": ("corridor.cli.coalition", "export_hxl", False,
                   "Export the activities an organisation may read (its own and shared ones) as HXL CSV."),
    "serve": ("corridor.cli.coalition", "serve", False, "Run the web service (pages and JSON API) with uvicorn."),
    "geo": ("corridor.cli.geo", "app", True, "North Korea as data: the population grid and maps."),
    "db": ("corridor.cli.coalition", "db_app", True, "The database."),
    "org": ("corridor.cli.coalition", "org_app", True, "Organisations."),
    "user": ("corridor.cli.users", "user_app", True, "User accounts."),
    "audit": ("corridor.cli.audit", "audit_app", True, "The audit log."),
    "token": ("corridor.cli.users", "token_app", True, "API tokens (each acts for one organisation)."),
    "loudspeaker": ("corridor.cli.loudspeaker", "app", True,
                    "Loudspeaker broadcasts across the Military Demarcation Line."),
    "radio": ("corridor.cli.radio", "app", True, "Shortwave and mediumwave broadcasts: predictions and coverage."),
    "border": ("corridor.cli.border", "app", True,
               "Smuggled media (USB, SD, DVD) crossing the Chinese border and spreading."),
    "satellite": ("corridor.cli.satellite", "app", True, "Direct-to-home satellite beams over Korea."),
    "balloon": ("corridor.cli.balloon", "app", True,
                "Leaflet balloons: where they fly, where leaflets land, when to (not) launch."),
    "evidence": ("corridor.cli.evidence", "app", True,
                 "Evidence from surveys of people who left: import, estimate, synthesize."),
    "archive": ("corridor.cli.archive", "app", True,
                "The testimony archive: keys, roles, files, exports, backup and restore."),
    "assess": ("corridor.cli.assess", "assess_command", False,
               "People reached per channel and for the whole coalition (each person once), cost per person, "
               "with 90 % intervals; optionally where the next budget should go."),
    "backup": ("corridor.cli.ops", "backup_app", True,
               "Back up the whole coalition to one encrypted file; verify a backup; make backup keys."),
    "restore": ("corridor.cli.ops", "restore", False,
                "Restore a whole-coalition backup into an empty database, all or nothing, after checking all of it."),
    "doctor": ("corridor.cli.ops", "doctor", False,
               "Check a running server, one line per check with what to do; exit 1 if anything needs action."),
    "server-key": ("corridor.cli.ops", "server_key_app", True,
                   "The server key that seals second factors and saved searches: rotate it."),
    "report": ("corridor.cli.assess", "report_command", False,
               "A PDF report for donors and partners: the figures of `corridor assess`, maps, methods, caveats."),
}


class DeferredCommand(TyperCommand):
    """A command of :data:`LAZY_COMMANDS` before it is needed: ``corridor --help`` reads its one
    line without importing its module; running it (or asking for its own help) builds the real
    command and hands over to it."""

    def __init__(self, name: str, group: "LazyGroup") -> None:
        super().__init__(name, help=LAZY_COMMANDS[name][3], short_help=LAZY_COMMANDS[name][3])
        self._group = group

    def make_context(self, info_name, args, parent=None, **extra):
        return self._group.load(self.name).make_context(info_name, args, parent=parent, **extra)

    def invoke(self, ctx):
        return ctx.command.invoke(ctx)


class LazyGroup(TyperGroup):
    """The top-level group: commands of :data:`LAZY_COMMANDS` are built on first use (listing
    them for ``corridor --help`` imports none)."""

    def list_commands(self, ctx) -> list[str]:
        return [*super().list_commands(ctx), *(n for n in LAZY_COMMANDS if n not in self.commands)]

    def get_command(self, ctx, cmd_name: str):
        if cmd_name not in self.commands and cmd_name in LAZY_COMMANDS:
            return DeferredCommand(cmd_name, self)
        return super().get_command(ctx, cmd_name)

    def load(self, cmd_name: str):
        """The real command (its module imported once)."""
        if cmd_name not in self.commands:
            from typer.main import get_command_from_info, get_group_from_info
            from typer.models import CommandInfo, TyperInfo

            module, attr, is_group, _ = LAZY_COMMANDS[cmd_name]
            obj = getattr(importlib.import_module(module), attr)
            if is_group:
                cmd = get_group_from_info(TyperInfo(obj, name=cmd_name), pretty_exceptions_short=True,
                                          rich_markup_mode=self.rich_markup_mode,
                                          suggest_commands=self.suggest_commands)
            else:
                cmd = get_command_from_info(CommandInfo(name=cmd_name, callback=obj), pretty_exceptions_short=True,
                                            rich_markup_mode=self.rich_markup_mode)
            self.commands[cmd_name] = cmd
        return self.commands[cmd_name]


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
    import os

    from corridor.settings import LANG_ENV, default_language

    # Every command's --lang defaults to $CORRIDOR_LANG (cli.common.Lang): set it from the locale.
    os.environ[LANG_ENV] = default_language()
    try:
        app()
    except CorridorError as exc:
        Console(stderr=True, soft_wrap=True).print(f"[bold red]error:[/] {escape(exc.one_line())}")
        sys.exit(USER_ERROR_EXIT_CODE)
