"""What every router needs: the request's database transaction, rendering, and who is asking.

Routers import from here, never from :mod:`corridor.web.app`, so there is no import cycle.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from fastapi import Depends, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from sqlalchemy.orm import Session
from starlette.convertors import Convertor, register_url_convertor

from corridor.errors import CorridorError
from corridor.web import auth


class DatabaseId(Convertor):
    """A record id in a page's path (``/campaigns/{campaign_id:dbid}``): 1 to 9 digits.

    Anything longer (beyond a 32-bit integer column, which PostgreSQL refuses) matches no route,
    so it is "not found" like any other id, never a server error.
    """

    regex = "[0-9]{1,9}"

    def convert(self, value: str) -> int:
        return int(value)

    def to_string(self, value: int) -> str:
        return str(int(value))


register_url_convertor("dbid", DatabaseId())


def get_db(request: Request) -> Iterator[Session]:
    """One transaction per request: committed when the handler returns, rolled back on error."""
    factory = request.app.state.sessions
    with factory() as session:
        with session.begin():
            yield session


# Commit before the response is sent (scope="function"), so that a client following a redirect
# or reading right after a write always sees it.
DB = Depends(get_db, scope="function")


def render(request: Request, template: str, status_code: int = 200, **context) -> HTMLResponse:
    env = request.app.state.templates
    html = env.get_template(template).render(lang=request.state.lang, request=request, **context)
    return HTMLResponse(html, status_code=status_code)


def redirect(url: str) -> RedirectResponse:
    return RedirectResponse(url, status_code=303)


class PageRedirect(HTTPException):
    """Send a browser elsewhere (sign in first, or set up two-factor authentication first)."""

    def __init__(self, url: str) -> None:
        super().__init__(status_code=303, headers={"Location": url})


def page_identity(request: Request, s: Session, *, allow_without_2fa: bool = False) -> auth.Identity:
    """The signed-in person behind a page request (pages are for browsers, not API tokens)."""
    ident = auth.identify(request, s)
    if ident is None or ident.via_token:
        raise PageRedirect("/login")
    if not allow_without_2fa and auth.needs_second_factor(ident):
        raise PageRedirect("/account/2fa")
    return ident


async def form_of(request: Request, ident: auth.Identity) -> dict[str, str]:
    """The submitted form's text fields, after checking its CSRF token."""
    form = await request.form()
    data = {k: v for k, v in form.items() if isinstance(v, str)}
    auth.check_csrf(ident, data.get("csrf"))
    return data


def page_context(ident: auth.Identity, section: str = "", **kw) -> dict[str, Any]:
    return {"user": ident.user, "csrf": ident.csrf, "section": section, **kw}


def message(exc: Exception) -> str:
    """The one line a page shows for a refused input or action."""
    return exc.one_line() if isinstance(exc, CorridorError) else str(exc)
