"""Account commands: users (adding, enrolment, removal, deactivation, passwords) and API tokens.

Every command that takes access away ends the person's browser sessions and API tokens it
concerns in the same transaction, and is written to the audit log (which also makes the web
service drop its cached answers for them on the next request).
"""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from corridor.cli.coalition import Db, _engine, _org, _role, _user
from corridor.cli.console import console
from corridor.errors import CorridorError
from corridor.textcheck import check_text

user_app = typer.Typer(help="User accounts.", no_args_is_help=True)
token_app = typer.Typer(help="API tokens (each acts for one organisation).", no_args_is_help=True)


@user_app.command("add")
def user_add(
    username: Annotated[str, typer.Argument(help="Login name (e.g. an e-mail address).")],
    org: Annotated[str, typer.Option("--org", help="Organisation to join.")],
    role: Annotated[str, typer.Option("--role", help="owner, editor or viewer.")] = "viewer",
    password_stdin: Annotated[bool, typer.Option("--password-stdin", help="Read the password from standard input.")] = False,
    db: Db = None,
) -> None:
    """Create an account (or add an existing one to another organisation) with a role."""
    from corridor.access import members
    from corridor.store import session_scope

    role_ = _role(role)
    _check_names(username, org)
    engine = _engine(db)
    with session_scope(engine) as s:
        organisation = _org(s, org)
        user = _user(s, username)
        if user is None:
            user = members.create_user(s, username, _read_password(password_stdin))
        elif not user.active:
            raise CorridorError("the account is deactivated", field="username", value=username)
        enrolment = members.give_role(s, user, organisation, role_)
        console.print(f"{user.username} is {role_.value} of {organisation.name}")
        name = user.username
    if enrolment is not None:
        _print_enrolment(name, *enrolment)


def _read_password(from_stdin: bool) -> str:
    """A new password: one line of standard input, or typed twice at a hidden prompt."""
    if from_stdin:
        return sys.stdin.readline().rstrip("\n")
    return typer.prompt("Password", hide_input=True, confirmation_prompt=True)


def _print_enrolment(username: str, code: str, expires) -> None:
    """Show an enrolment code once (the code alone on its own line, for scripts)."""
    console.print(f"One-time enrolment code for {username}, valid until {expires:%Y-%m-%d %H:%M} UTC. "
                  "Give it to them in person or over a channel you trust; they type it at their next "
                  "sign-in to set up two-factor authentication. It is not shown again:")
    print(code)


def _check_names(username: str, org: str | None = None) -> None:
    """Refuse control and text-direction characters before any look-up (never echoing them)."""
    check_text(username, field="username")
    if org is not None:
        check_text(org, field="--org")


def _existing_user(s, username: str):
    _check_names(username)
    user = _user(s, username, required="username")
    return user


@user_app.command("enrol")
def user_enrol(
    username: Annotated[str, typer.Argument(help="The account (e.g. an owner who lost their phone).")],
    db: Db = None,
) -> None:
    """Issue a fresh one-time enrolment code: the current second factor and older codes stop working."""
    from corridor.access import members
    from corridor.store import session_scope

    engine = _engine(db)
    with session_scope(engine) as s:
        user = _existing_user(s, username)
        code, expires = members.start_enrolment(s, user)
        name = user.username
    _print_enrolment(name, code, expires)


@user_app.command("remove")
def user_remove(
    username: Annotated[str, typer.Argument(help="The member to remove.")],
    org: Annotated[str, typer.Option("--org", help="The organisation to remove them from.")],
    db: Db = None,
) -> None:
    """Remove a member from an organisation: membership, archive roles, tokens there, and sessions."""
    from corridor.access import members
    from corridor.store import session_scope

    _check_names(username, org)
    engine = _engine(db)
    with session_scope(engine) as s:
        organisation = _org(s, org)
        user = _existing_user(s, username)
        members.remove_member(s, user, organisation)
        console.print(f"{user.username} removed from {organisation.name}; their sessions and tokens there have ended")


@user_app.command("deactivate")
def user_deactivate(
    username: Annotated[str, typer.Argument(help="The account to close.")],
    db: Db = None,
) -> None:
    """Close an account in every organisation: no sign-in, every session and token ended."""
    from corridor.access import members
    from corridor.store import session_scope

    engine = _engine(db)
    with session_scope(engine) as s:
        user = _existing_user(s, username)
        orphaned = [o.name for o in members.deactivate_user(s, user)]
        console.print(f"{user.username} deactivated; their sessions and tokens have ended")
    for name in orphaned:
        console.print(f"{name} has no active owner now: add one with "
                      f"`corridor user add NAME --org {name!r} --role owner`")


@user_app.command("password")
def user_password(
    username: Annotated[str, typer.Argument(help="The account.")],
    password_stdin: Annotated[bool, typer.Option("--password-stdin", help="Read the password from standard input.")] = False,
    keep_tokens: Annotated[bool, typer.Option("--keep-tokens", help="Keep the user's API tokens (by default a reset revokes them).")] = False,
    db: Db = None,
) -> None:
    """Set or reset a password: every session of the account ends, and its API tokens are revoked."""
    from corridor.access import members
    from corridor.store import session_scope

    engine = _engine(db)
    with session_scope(engine) as s:
        user = _existing_user(s, username)
        if not user.active:
            raise CorridorError("the account is deactivated", field="username", value=username)
        revoked = members.set_password(s, user, _read_password(password_stdin), keep_tokens=keep_tokens)
        console.print(f"Password of {user.username} set; their sessions have ended"
                      + (f" and {revoked} API token(s) were revoked" if revoked else ""))


@token_app.command("create")
def token_create(
    username: Annotated[str, typer.Argument(help="The account the token acts as.")],
    org: Annotated[str, typer.Option("--org", help="The one organisation the token acts for.")],
    role: Annotated[str, typer.Option("--role", help="viewer, editor or owner (at most the user's own role).")] = "viewer",
    name: Annotated[str, typer.Option("--name", help="A label, e.g. the script that uses it.")] = "",
    db: Db = None,
) -> None:
    """Create an API token; it is printed once and only its hash is stored."""
    from corridor.access import members
    from corridor.store import session_scope

    role_ = _role(role)
    _check_names(username, org)
    engine = _engine(db)
    with session_scope(engine) as s:
        organisation = _org(s, org)
        user = _user(s, username, required="username")
        if not user.active:
            raise CorridorError("the account is deactivated", field="username", value=username)
        token, record = members.create_token(s, user, organisation, role_, name=name)
        token_id = record.id
    console.print(f"Token {token_id} for {username} in {org} ({role_.value}); store it now, it is not shown again:")
    print(token)


@token_app.command("revoke")
def token_revoke(token_id: Annotated[int, typer.Argument(help="The token's number.")], db: Db = None) -> None:
    """Revoke an API token."""
    from corridor.access import members
    from corridor.store import session_scope

    engine = _engine(db)
    with session_scope(engine) as s:
        members.revoke_token(s, token_id)
    console.print(f"Token {token_id} revoked")


@token_app.command("list")
def token_list(
    org: Annotated[str | None, typer.Option("--org", help="Only the tokens of this organisation.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
    db: Db = None,
    lang: Annotated[str | None, typer.Option(
        "--lang", help="Language of the output: en or ko (default: ko under a Korean locale, else en).")] = None,
) -> None:
    """List every API token: number, organisation, account, role, label, created, last used, expiry, state.

    Never the token itself nor its hash. The last use is written at most once a day.
    """
    from datetime import UTC, datetime

    from rich.markup import escape
    from rich.table import Table

    from corridor.access import members
    from corridor.cli.console import print_json
    from corridor.cli.ops import console_language, translator
    from corridor.store import session_scope

    lang = console_language(lang)
    _ = translator(lang)
    if org is not None:
        check_text(org, field="--org")
    engine = _engine(db)
    with session_scope(engine) as s:
        org_id = _org(s, org).id if org is not None else None
        rows = members.token_listing(s, org_id=org_id)
    engine.dispose()
    now = datetime.now(UTC)
    if as_json:
        def when(t):
            return None if t is None else t.isoformat(timespec="seconds")

        print_json({"tokens": [{"id": r.id, "organisation": r.organisation, "user": r.username, "role": r.role,
                                "name": r.name, "created": when(r.created_at), "last_used": when(r.last_used_at),
                                "expires": when(r.expires_at), "revoked": r.revoked, "state": r.state(now)}
                               for r in rows]})
        return
    if not rows:
        console.print(_("No API tokens."))
        return

    def day(t, empty: str) -> str:
        return empty if t is None else f"{t:%Y-%m-%d}"

    states = {"live": _("live"), "revoked": _("revoked"), "expired": _("expired")}
    table = Table(title=_("API tokens (times in UTC; a use is noted at most once a day)"))
    for column in ("No.", "Organisation", "Account", "Role", "Label", "Created", "Last used", "Expires", "State"):
        table.add_column(_(column), justify="right" if column == "No." else "left")
    for r in rows:
        table.add_row(str(r.id), escape(r.organisation), escape(r.username), _(r.role), escape(r.name),
                      day(r.created_at, "–"), day(r.last_used_at, _("never")), day(r.expires_at, _("never")),
                      states[r.state(now)])
    console.print(table)
