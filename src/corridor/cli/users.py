"""Account commands: users (adding, enrolment, removal) and API tokens."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from corridor.cli.coalition import Db, _engine, _org, _role, _user
from corridor.cli.console import console
from corridor.errors import CorridorError

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
    from corridor.access.rules import Role
    from corridor.store import session_scope

    role_ = _role(role)
    engine = _engine(db)
    with session_scope(engine) as s:
        organisation = _org(s, org)
        user = _user(s, username)
        if user is None:
            if password_stdin:
                password = sys.stdin.readline().rstrip("\n")
            else:
                password = typer.prompt("Password", hide_input=True, confirmation_prompt=True)
            user = members.create_user(s, username, password)
        members.set_membership(s, user, organisation, role_)
        note = " (an owner must set up two-factor authentication at first sign-in)" if role_ is Role.OWNER else ""
        console.print(f"{user.username} is {role_.value} of {organisation.name}{note}")


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
    engine = _engine(db)
    with session_scope(engine) as s:
        organisation = _org(s, org)
        user = _user(s, username)
        if user is None:
            raise CorridorError("no such user", field="username", value=username)
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
