"""Server-rendered pages (Korean and English): sign in, campaigns, activity forms, calendar, overlaps."""

from __future__ import annotations

from datetime import date
from typing import Any

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import HTMLResponse
from sqlalchemy import select
from sqlalchemy.orm import Session

from corridor import access
from corridor.access import members
from corridor.access.accounts import new_totp_secret, totp_uri, verify_totp
from corridor.access.rules import Action, Role, Visibility, allowed
from corridor.access.tables import Membership, Organisation, User
from corridor.channels import all_channels, get_channel
from corridor.coalition import coordination, ledger
from corridor.errors import CorridorError
from corridor.geo.names import PROVINCES, PROVINCES_KO
from corridor.web import auth
from corridor.web.api import calendar_entries
from corridor.web.app import DB, redirect, render
from corridor.web.forms import parse_spec_form, spec_fields

router = APIRouter(include_in_schema=False)


def _identity(request: Request, s: Session, *, allow_without_2fa: bool = False) -> auth.Identity:
    ident = auth.identify(request, s)
    if ident is None or ident.via_token:  # pages are for signed-in browsers, not API tokens
        raise _Redirect("/login")
    if (not allow_without_2fa and auth.is_owner_anywhere(ident.actor) and not ident.user.totp_secret):
        raise _Redirect("/account/2fa")
    return ident


class _Redirect(HTTPException):
    def __init__(self, url: str) -> None:
        super().__init__(status_code=303, headers={"Location": url})


async def _form(request: Request, ident: auth.Identity) -> dict[str, str]:
    form = await request.form()
    data = {k: v for k, v in form.items() if isinstance(v, str)}
    auth.check_csrf(ident, data.get("csrf"))
    return data


def _ctx(ident: auth.Identity, section: str = "", **kw) -> dict[str, Any]:
    return {"user": ident.user, "csrf": ident.csrf, "section": section, **kw}


@router.get("/", response_class=HTMLResponse)
def home(request: Request, s: Session = DB):
    return redirect("/campaigns" if auth.identify(request, s) else "/login")


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
    ident = _identity(request, s, allow_without_2fa=True)
    await _form(request, ident)
    auth.logout(s, request.cookies.get(auth.SESSION_COOKIE))
    response = redirect("/login")
    response.delete_cookie(auth.SESSION_COOKIE)
    return response


@router.get("/account/2fa", response_class=HTMLResponse)
def twofa_page(request: Request, s: Session = DB):
    ident = _identity(request, s, allow_without_2fa=True)
    secret = new_totp_secret()
    return render(request, "twofa.html", **_ctx(ident, secret=secret, uri=totp_uri(secret, ident.user.username),
                                                error=None, done=bool(ident.user.totp_secret)))


@router.post("/account/2fa", response_class=HTMLResponse)
async def twofa_submit(request: Request, s: Session = DB):
    ident = _identity(request, s, allow_without_2fa=True)
    form = await _form(request, ident)
    secret = form.get("secret", "")
    if len(secret) < 16 or not verify_totp(secret, form.get("code", "")):
        return render(request, "twofa.html", status_code=422,
                      **_ctx(ident, secret=secret, uri=totp_uri(secret, ident.user.username) if secret else "",
                             error="code", done=False))
    members.set_totp(s, ident.user, secret)
    return redirect("/campaigns")


@router.get("/campaigns", response_class=HTMLResponse)
def campaigns(request: Request, s: Session = DB):
    ident = _identity(request, s)
    rows = ledger.visible_campaigns(s, ident.actor)
    orgs = {o.id: o.name for o in s.execute(select(Organisation)).scalars()}
    can_create = any(allowed(ident.actor, Action.CAMPAIGN_CREATE, org_id=o) for o in ident.actor.roles)
    counts = ledger.activity_counts(s, [c.id for c in rows])
    return render(request, "campaigns.html", **_ctx(ident, "campaigns", campaigns=rows, orgs=orgs,
                                                    counts=counts, can_create=can_create))


def _creatable_orgs(s: Session, ident: auth.Identity) -> list[Organisation]:
    return [o for o in members.organisations_of(s, ident.actor)
            if allowed(ident.actor, Action.CAMPAIGN_CREATE, org_id=o.id)]


@router.get("/campaigns/new", response_class=HTMLResponse)
def new_campaign(request: Request, s: Session = DB):
    ident = _identity(request, s)
    return render(request, "campaign_new.html", **_ctx(ident, "campaigns", orgs=_creatable_orgs(s, ident),
                                                       channels=sorted(all_channels()), error=None, form={}))


@router.post("/campaigns/new", response_class=HTMLResponse)
async def new_campaign_submit(request: Request, s: Session = DB):
    ident = _identity(request, s)
    form = await _form(request, ident)
    try:
        budget = form.get("budget_amount", "").strip()
        fields = dict(
            org_id=int(form.get("org_id") or 0), name=form.get("name", ""),
            channel=form.get("channel", ""), goal=form.get("goal", ""),
            start_date=_date(form.get("start_date"), "start_date"),
            end_date=_date(form.get("end_date"), "end_date") if form.get("end_date") else None,
            budget_amount=_number(budget, "budget_amount") if budget else None,
            budget_currency=form.get("budget_currency") or "USD")
        with s.begin_nested():
            c = ledger.create_campaign(s, ident.actor, **fields)
    except (CorridorError, access.Forbidden, access.NotFound, ValueError) as exc:
        return render(request, "campaign_new.html", status_code=422,
                      **_ctx(ident, "campaigns", orgs=_creatable_orgs(s, ident), channels=sorted(all_channels()),
                             error=_message(exc), form=form))
    return redirect(f"/campaigns/{c.id}")


def _date(value: str | None, field: str) -> date:
    try:
        return date.fromisoformat(str(value or ""))
    except ValueError:
        raise CorridorError("must be a date like 2026-03-29", field=field, value=value) from None


def _number(value: str, field: str) -> float:
    try:
        return float(value)
    except ValueError:
        raise CorridorError("must be a number", field=field, value=value) from None


def _message(exc: Exception) -> str:
    return exc.one_line() if isinstance(exc, CorridorError) else str(exc)


def _campaign_page(request, s, ident, campaign_id, *, error=None, form=None, status_code=200):
    try:
        c = ledger.get_campaign(s, ident.actor, campaign_id)
    except access.NotFound:
        return render(request, "not_found.html", status_code=404, **_ctx(ident, "campaigns"))
    fields = spec_fields(get_channel(c.channel).spec_model)
    org = s.get(Organisation, c.org_id)
    return render(request, "campaign.html", status_code=status_code, **_ctx(
        ident, "campaigns", c=c, org=org, fields=fields, error=error, form=form or {},
        provinces=[(p, PROVINCES_KO[p]) for p in PROVINCES],
        can_edit=allowed(ident.actor, Action.CAMPAIGN_EDIT, org_id=c.org_id,
                         visibility=Visibility(c.visibility)),
        can_share=allowed(ident.actor, Action.CAMPAIGN_SHARE, org_id=c.org_id,
                          visibility=Visibility(c.visibility)),
        visibilities=[v.value for v in Visibility]))


@router.get("/campaigns/{campaign_id}", response_class=HTMLResponse)
def campaign(campaign_id: int, request: Request, s: Session = DB):
    ident = _identity(request, s)
    return _campaign_page(request, s, ident, campaign_id)


@router.post("/campaigns/{campaign_id}/activities", response_class=HTMLResponse)
async def add_activity(campaign_id: int, request: Request, s: Session = DB):
    ident = _identity(request, s)
    form = await _form(request, ident)
    try:
        c = ledger.get_campaign(s, ident.actor, campaign_id, Action.CAMPAIGN_EDIT)
        fields = spec_fields(get_channel(c.channel).spec_model)
        provinces = [v for k, v in (await request.form()).multi_items() if k == "provinces"]
        cost = form.get("cost_amount", "").strip()
        data = {"id": form.get("id", ""), "title": form.get("title", ""), "start": form.get("start") or None,
                "end": form.get("end") or None, "spec": parse_spec_form(fields, form), "provinces": provinces,
                "cost_amount": _number(cost, "cost_amount") if cost else None,
                "cost_currency": form.get("cost_currency") or "USD"}
        with s.begin_nested():
            ledger.add_activity(s, ident.actor, campaign_id, data)
    except (CorridorError, access.Forbidden) as exc:
        return _campaign_page(request, s, ident, campaign_id, error=_message(exc), form=form, status_code=422)
    except access.NotFound:
        return render(request, "not_found.html", status_code=404, **_ctx(ident, "campaigns"))
    return redirect(f"/campaigns/{campaign_id}")


@router.post("/campaigns/{campaign_id}/share", response_class=HTMLResponse)
async def share(campaign_id: int, request: Request, s: Session = DB):
    ident = _identity(request, s)
    form = await _form(request, ident)
    try:
        with s.begin_nested():
            ledger.set_visibility(s, ident.actor, campaign_id, Visibility(form.get("visibility", "private")))
    except (ValueError, access.Forbidden) as exc:
        return _campaign_page(request, s, ident, campaign_id, error=_message(exc), status_code=403)
    except access.NotFound:
        return render(request, "not_found.html", status_code=404, **_ctx(ident, "campaigns"))
    return redirect(f"/campaigns/{campaign_id}")


@router.get("/calendar", response_class=HTMLResponse)
def calendar(request: Request, s: Session = DB):
    ident = _identity(request, s)
    entries = calendar_entries(s, ident, None, None)
    by_day: dict[str, list] = {}
    for e in entries:
        by_day.setdefault(e["start"][:10], []).append(e)
    return render(request, "calendar.html", **_ctx(ident, "calendar", days=by_day))


@router.get("/overlaps", response_class=HTMLResponse)
def overlaps(request: Request, s: Session = DB):
    ident = _identity(request, s)
    data = coordination.overlaps_for(s, ident.actor)
    return render(request, "overlaps.html", **_ctx(ident, "overlaps", data=data, hours=list(range(24)),
                                                   provinces_ko=PROVINCES_KO))


@router.get("/orgs", response_class=HTMLResponse)
def orgs(request: Request, s: Session = DB):
    ident = _identity(request, s)
    rows = []
    for org in members.organisations_of(s, ident.actor):
        people = s.execute(select(Membership, User).join(User).where(Membership.org_id == org.id)
                           .order_by(User.username)).all()
        rows.append({"org": org, "role": ident.actor.roles[org.id],
                     "members": [(u.username, m.role) for m, u in people],
                     "can_manage": allowed(ident.actor, Action.ORG_MANAGE_MEMBERS, org_id=org.id)})
    return render(request, "orgs.html", **_ctx(ident, "orgs", orgs=rows, roles=[r.value for r in Role], error=None))


@router.post("/orgs/{org_id}/members", response_class=HTMLResponse)
async def add_member(org_id: int, request: Request, s: Session = DB):
    ident = _identity(request, s)
    form = await _form(request, ident)
    org = s.get(Organisation, org_id)
    user = s.execute(select(User).where(User.username == form.get("username", "").strip().lower())).scalar_one_or_none()
    if org is None or org_id not in ident.actor.roles:
        return render(request, "not_found.html", status_code=404, **_ctx(ident, "orgs"))
    try:
        if user is None:
            raise CorridorError("no such user; create the account first", field="username",
                                value=form.get("username"))
        with s.begin_nested():
            members.set_membership(s, user, org, Role(form.get("role", "viewer")), granter=ident.actor)
    except (CorridorError, access.Forbidden, ValueError) as exc:
        return render(request, "orgs.html", status_code=403 if isinstance(exc, access.Forbidden) else 422,
                      **_ctx(ident, "orgs", orgs=[], roles=[r.value for r in Role], error=_message(exc)))
    return redirect("/orgs")

