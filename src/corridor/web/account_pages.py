"""Account pages: sign in (with login CSRF), owner enrolment, sign out, two-factor set-up.

How sign-in works, and why, is described in :mod:`corridor.web.auth`.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy.orm import Session

from corridor.access import members
from corridor.access.accounts import (
    check_password,
    new_totp_secret,
    token_hash,
    totp_uri,
)
from corridor.web import auth
from corridor.web.deps import DB, form_of, page_context, page_identity, redirect, render

router = APIRouter(include_in_schema=False)

#: HTTP status of each refused sign-in step.
STATUS = {"invalid": 401, "throttled": 429, "csrf": 403, "expired": 401, "enrolment_code": 422, "code": 422}


def _client(request: Request) -> str:
    return request.client.host if request.client else "?"


def _set_cookie(request: Request, response: Response, name: str, value: str, *, max_age: int | None) -> None:
    response.set_cookie(name, value, httponly=True, samesite="strict", secure=request.url.scheme == "https",
                        max_age=max_age)


def _login_form(request: Request, *, error: str | None = None, status_code: int = 200) -> HTMLResponse:
    """The sign-in form, with a CSRF token bound to the browser's pre-session cookie."""
    cookie = request.cookies.get(auth.LOGIN_COOKIE)
    if not auth.valid_login_cookie(cookie):
        cookie = auth.new_login_cookie()
    response = render(request, "login.html", status_code=status_code, user=None, error=error,
                      csrf=auth.login_csrf_token(cookie))
    _set_cookie(request, response, auth.LOGIN_COOKIE, cookie, max_age=None)
    return response


def _enrol_form(request: Request, user, *, secret: str, ticket: str, error: str | None = None,
                status_code: int = 200) -> HTMLResponse:
    cookie = request.cookies.get(auth.LOGIN_COOKIE) or ""
    return render(request, "enrol.html", status_code=status_code, user=None, error=error,
                  csrf=auth.login_csrf_token(cookie), username=user.username, secret=secret,
                  uri=totp_uri(secret, user.username), ticket=ticket)


def _signed_in(request: Request, result: auth.SignIn) -> Response:
    response = redirect("/campaigns")
    _set_cookie(request, response, auth.SESSION_COOKIE, result.cookie, max_age=auth.SESSION_HOURS * 3600)
    response.delete_cookie(auth.LOGIN_COOKIE)
    return response


@router.get("/login", response_class=HTMLResponse)
def login_page(request: Request):
    return _login_form(request)


@router.post("/login")
async def login_submit(request: Request, s: Session = DB):
    form = await request.form()
    if not auth.check_login_csrf(request.cookies.get(auth.LOGIN_COOKIE), str(form.get("csrf", ""))):
        return _login_form(request, error="csrf", status_code=STATUS["csrf"])
    result = auth.login(s, request.app.state.throttle, str(form.get("username", "")), str(form.get("password", "")),
                        str(form.get("code", "")), _client(request))
    if result.status == "ok":
        auth.logout(s, request.cookies.get(auth.SESSION_COOKIE))   # a session the browser held ends
        return _signed_in(request, result)
    if result.status == "enrol":
        secret = new_totp_secret()
        ticket = auth.enrol_ticket(result.user, secret, request.cookies[auth.LOGIN_COOKIE])
        return _enrol_form(request, result.user, secret=secret, ticket=ticket)
    return _login_form(request, error=result.status, status_code=STATUS[result.status])


@router.post("/login/enrol")
async def enrol_submit(request: Request, s: Session = DB):
    form = {k: str(v) for k, v in (await request.form()).items()}
    cookie = request.cookies.get(auth.LOGIN_COOKIE)
    if not auth.check_login_csrf(cookie, form.get("csrf")):
        return _login_form(request, error="csrf", status_code=STATUS["csrf"])
    secret = form.get("secret", "")[:64]
    result = auth.complete_enrolment(s, request.app.state.throttle, username=form.get("username", ""),
                                     ticket=form.get("ticket", ""), secret=secret,
                                     enrolment_code=form.get("enrolment_code", ""), code=form.get("code", ""),
                                     client=_client(request), login_cookie=cookie)
    if result.status == "ok":
        auth.logout(s, request.cookies.get(auth.SESSION_COOKIE))
        return _signed_in(request, result)
    if result.status in ("enrolment_code", "code"):
        return _enrol_form(request, result.user, secret=secret, ticket=form.get("ticket", ""), error=result.status,
                           status_code=STATUS[result.status])
    return _login_form(request, error=result.status, status_code=STATUS[result.status])


@router.post("/logout")
async def logout(request: Request, s: Session = DB):
    ident = page_identity(request, s, allow_without_2fa=True)
    await form_of(request, ident)
    auth.logout(s, request.cookies.get(auth.SESSION_COOKIE))
    response = redirect("/login")
    response.delete_cookie(auth.SESSION_COOKIE)
    return response


def _twofa_form(request: Request, ident: auth.Identity, *, secret: str, error: str | None = None,
                status_code: int = 200) -> HTMLResponse:
    return render(request, "twofa.html", status_code=status_code,
                  **page_context(ident, secret=secret, uri=totp_uri(secret, ident.user.username) if secret else "",
                                 error=error, done=members.has_totp(ident.user)))


@router.get("/account/2fa", response_class=HTMLResponse)
def twofa_page(request: Request, s: Session = DB):
    ident = page_identity(request, s, allow_without_2fa=True)
    return _twofa_form(request, ident, secret=new_totp_secret())


@router.post("/account/2fa", response_class=HTMLResponse)
async def twofa_submit(request: Request, s: Session = DB):
    """Set or replace the second factor: the password, the current code (when one is set) and a
    code from the new authenticator are all needed, so a borrowed or stolen session alone cannot
    bind an attacker's authenticator to the account (NIST SP 800-63B §6.1.2.1)."""
    ident = page_identity(request, s, allow_without_2fa=True)
    form = await form_of(request, ident)
    user = ident.user
    secret = form.get("secret", "")[:64]
    throttle = request.app.state.throttle
    keys = auth.attempt_keys(user.username, _client(request))
    if throttle.blocked(s, keys):
        return _twofa_form(request, ident, secret=secret, error="throttled", status_code=429)
    proven = check_password(user.password_hash, form.get("password", ""))
    if proven and members.has_totp(user):
        proven = members.check_totp(user, form.get("current", ""))
    if not proven:
        throttle.failed(s, keys)
        return _twofa_form(request, ident, secret=secret, error="credentials", status_code=422)
    if not members.enrol_totp(s, user, secret, form.get("code", "")):
        return _twofa_form(request, ident, secret=secret, error="code", status_code=422)
    members.end_sessions(s, user.id, keep=token_hash(request.cookies.get(auth.SESSION_COOKIE, "")))
    return redirect("/campaigns")
