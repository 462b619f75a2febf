"""Account pages: sign in, sign out, two-factor set-up."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from sqlalchemy.orm import Session

from corridor.access import members
from corridor.access.accounts import new_totp_secret, totp_uri, verify_totp
from corridor.access.tables import User
from corridor.web import auth
from corridor.web.deps import DB, form_of, page_context, page_identity, redirect, render

router = APIRouter(include_in_schema=False)


@router.get("/login", response_class=HTMLResponse)
def login_page(request: Request):
    return render(request, "login.html", user=None, error=None)


@router.post("/login")
async def login_submit(request: Request, s: Session = DB):
    form = await request.form()
    result = auth.login(s, request.app.state.throttle, str(form.get("username", "")), str(form.get("password", "")),
                        str(form.get("code", "")), request.client.host if request.client else "?")
    if isinstance(result, str):
        key = "throttled" if result == "throttled" else "invalid"
        return render(request, "login.html", status_code=429 if key == "throttled" else 401, user=None,
                      error=key)
    raw, session = result
    user = s.get(User, session.user_id)
    needs_2fa = auth.is_owner_anywhere(members.actor_for(s, user)) and not user.totp_secret
    response = redirect("/account/2fa" if needs_2fa else "/campaigns")
    response.set_cookie(auth.SESSION_COOKIE, raw, httponly=True, samesite="strict",
                        secure=request.url.scheme == "https", max_age=auth.SESSION_HOURS * 3600)
    return response


@router.post("/logout")
async def logout(request: Request, s: Session = DB):
    ident = page_identity(request, s, allow_without_2fa=True)
    await form_of(request, ident)
    auth.logout(s, request.cookies.get(auth.SESSION_COOKIE))
    response = redirect("/login")
    response.delete_cookie(auth.SESSION_COOKIE)
    return response


@router.get("/account/2fa", response_class=HTMLResponse)
def twofa_page(request: Request, s: Session = DB):
    ident = page_identity(request, s, allow_without_2fa=True)
    secret = new_totp_secret()
    return render(request, "twofa.html", **page_context(ident, secret=secret, uri=totp_uri(secret, ident.user.username),
                                                error=None, done=bool(ident.user.totp_secret)))


@router.post("/account/2fa", response_class=HTMLResponse)
async def twofa_submit(request: Request, s: Session = DB):
    ident = page_identity(request, s, allow_without_2fa=True)
    form = await form_of(request, ident)
    secret = form.get("secret", "")
    if len(secret) < 16 or not verify_totp(secret, form.get("code", "")):
        return render(request, "twofa.html", status_code=422,
                      **page_context(ident, secret=secret, uri=totp_uri(secret, ident.user.username) if secret else "",
                             error="code", done=False))
    members.set_totp(s, ident.user, secret)
    return redirect("/campaigns")
