"""Server-rendered pages (Korean and English): sign in, campaigns, activity forms, calendar, overlaps."""

from __future__ import annotations

from datetime import date

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from sqlalchemy.orm import Session

from corridor import access
from corridor.access import members
from corridor.access.rules import Action, Visibility, allowed
from corridor.access.tables import Organisation
from corridor.channels import all_channels, get_channel
from corridor.coalition import coordination, ledger
from corridor.errors import CorridorError
from corridor.geo.names import PROVINCES, PROVINCES_KO
from corridor.i18n import gettext
from corridor.themes import vocabulary
from corridor.web import auth
from corridor.web.api import calendar_entries
from corridor.web.deps import (
    DB,
    form_of,
    message,
    page_context,
    page_identity,
    redirect,
    render,
)
from corridor.web.forms import parse_spec_form, spec_fields

router = APIRouter(include_in_schema=False)


@router.get("/", response_class=HTMLResponse)
def home(request: Request, s: Session = DB):
    return redirect("/campaigns" if auth.identify(request, s) else "/login")


@router.get("/campaigns", response_class=HTMLResponse)
def campaigns(request: Request, s: Session = DB):
    ident = page_identity(request, s)
    rows = ledger.visible_campaigns(s, ident.actor)
    orgs = members.organisation_names(s)
    can_create = any(allowed(ident.actor, Action.CAMPAIGN_CREATE, org_id=o) for o in ident.actor.roles)
    counts = ledger.activity_counts(s, [c.id for c in rows])
    return render(request, "campaigns.html", **page_context(ident, "campaigns", campaigns=rows, orgs=orgs,
                                                    counts=counts, can_create=can_create))


def _creatable_orgs(s: Session, ident: auth.Identity) -> list[Organisation]:
    return [o for o in members.organisations_of(s, ident.actor)
            if allowed(ident.actor, Action.CAMPAIGN_CREATE, org_id=o.id)]


@router.get("/campaigns/new", response_class=HTMLResponse)
def new_campaign(request: Request, s: Session = DB):
    ident = page_identity(request, s)
    return render(request, "campaign_new.html", **page_context(ident, "campaigns", orgs=_creatable_orgs(s, ident),
                                                       channels=sorted(all_channels()), error=None, form={}))


@router.post("/campaigns/new", response_class=HTMLResponse)
async def new_campaign_submit(request: Request, s: Session = DB):
    ident = page_identity(request, s)
    form = await form_of(request, ident)
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
    except access.NotFound:
        return render(request, "not_found.html", status_code=404, **page_context(ident, "campaigns"))
    except (CorridorError, access.Forbidden, ValueError) as exc:
        status = 403 if isinstance(exc, access.Forbidden) else 422
        return render(request, "campaign_new.html", status_code=status,
                      **page_context(ident, "campaigns", orgs=_creatable_orgs(s, ident), channels=sorted(all_channels()),
                                     error=message(exc), form=form))
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


def _campaign_page(request, s, ident, campaign_id, *, error=None, form=None, status_code=200):
    try:
        c = ledger.get_campaign(s, ident.actor, campaign_id)
    except access.NotFound:
        return render(request, "not_found.html", status_code=404, **page_context(ident, "campaigns"))
    fields = spec_fields(get_channel(c.channel).spec_model)
    org = members.organisation(s, c.org_id)
    form = form or {}
    return render(request, "campaign.html", status_code=status_code, **page_context(
        ident, "campaigns", c=c, org=org, fields=fields, error=error, form=form,
        themes=vocabulary().themes, form_themes=form.get("themes") or [],
        provinces=[(p, PROVINCES_KO[p]) for p in PROVINCES],
        can_edit=allowed(ident.actor, Action.CAMPAIGN_EDIT, org_id=c.org_id,
                         visibility=Visibility(c.visibility)),
        can_share=allowed(ident.actor, Action.CAMPAIGN_SHARE, org_id=c.org_id,
                          visibility=Visibility(c.visibility)),
        visibilities=[v.value for v in Visibility]))


@router.get("/campaigns/{campaign_id:dbid}", response_class=HTMLResponse)
def campaign(campaign_id: int, request: Request, s: Session = DB):
    ident = page_identity(request, s)
    return _campaign_page(request, s, ident, campaign_id)


@router.post("/campaigns/{campaign_id:dbid}/activities", response_class=HTMLResponse)
async def add_activity(campaign_id: int, request: Request, s: Session = DB):
    ident = page_identity(request, s)
    form = await form_of(request, ident)
    try:
        c = ledger.get_campaign(s, ident.actor, campaign_id, Action.CAMPAIGN_EDIT)
        fields = spec_fields(get_channel(c.channel).spec_model)
        items = (await request.form()).multi_items()
        provinces = [v for k, v in items if k == "provinces"]
        form["themes"] = [v for k, v in items if k == "themes"]
        cost = form.get("cost_amount", "").strip()
        data = {"id": form.get("id", ""), "title": form.get("title", ""), "start": form.get("start") or None,
                "end": form.get("end") or None, "spec": parse_spec_form(fields, form), "provinces": provinces,
                "cost_amount": _number(cost, "cost_amount") if cost else None,
                "cost_currency": form.get("cost_currency") or "USD", "themes": themes_of_form(form)}
        with s.begin_nested():
            ledger.add_activity(s, ident.actor, campaign_id, data)
    except (CorridorError, access.Forbidden) as exc:
        text = theme_error(exc, request.state.lang) if isinstance(exc, CorridorError) else message(exc)
        return _campaign_page(request, s, ident, campaign_id, error=text, form=form,
                              status_code=403 if isinstance(exc, access.Forbidden) else 422)
    except access.NotFound:
        return render(request, "not_found.html", status_code=404, **page_context(ident, "campaigns"))
    return redirect(f"/campaigns/{campaign_id}")


def themes_of_form(form: dict) -> dict[str, str]:
    """The themes ticked on an activity form, each with the share typed beside it (text; the
    ledger reads and checks it). A share typed beside a theme that was not ticked counts as
    ticking it: the person said how much of it there is."""
    out = {code: (form.get(f"theme_share.{code}") or "").strip() for code in form.get("themes") or []}
    for key, value in form.items():
        if key.startswith("theme_share.") and isinstance(value, str) and value.strip():
            out.setdefault(key.removeprefix("theme_share."), value.strip())
    return out


def theme_error(exc: CorridorError, lang: str) -> str:
    """The line an activity form shows for a refusal, in the page's language when it is about
    the themes (the vocabulary's labels name the themes); other refusals as :func:`message`."""
    field = exc.field or ""
    if not field.startswith("themes"):
        return message(exc)
    import re

    from corridor.themes import nearest_themes

    code = field.partition(".")[2]
    value = "" if exc.value is ... else str(exc.value)
    if exc.message == "is not a theme":
        near = nearest_themes(value)
        text = gettext(lang, "“{value}” is not a content theme.").format(value=value)
        if near:
            names = " / ".join(f"{vocabulary().label(c, lang)} ({c})" for c in near)
            text += " " + gettext(lang, "Did you mean: {themes}?").format(themes=names)
        return text
    if exc.message == "must be a share from 0 to 1":
        return gettext(lang, "The share of “{theme}” must be a number from 0 to 1 (given: {value}).").format(
            theme=vocabulary().label(code, lang), value=value)
    total = re.match(r"the shares add to (\S+), more than 1", exc.message)
    if total:
        return gettext(lang, "The shares of one activity add to {total}, more than 1.").format(total=total.group(1))
    if exc.message.startswith("'unknown' cannot"):
        return gettext(lang, "“Unknown” cannot be ticked together with a theme.")
    return message(exc)


@router.post("/campaigns/{campaign_id:dbid}/share", response_class=HTMLResponse)
async def share(campaign_id: int, request: Request, s: Session = DB):
    ident = page_identity(request, s)
    form = await form_of(request, ident)
    try:
        with s.begin_nested():
            ledger.set_visibility(s, ident.actor, campaign_id, Visibility(form.get("visibility", "private")))
    except (ValueError, access.Forbidden) as exc:
        return _campaign_page(request, s, ident, campaign_id, error=message(exc), status_code=403)
    except access.NotFound:
        return render(request, "not_found.html", status_code=404, **page_context(ident, "campaigns"))
    return redirect(f"/campaigns/{campaign_id}")


@router.get("/calendar", response_class=HTMLResponse)
def calendar(request: Request, s: Session = DB):
    ident = page_identity(request, s)
    entries = calendar_entries(s, ident, None, None)
    by_day: dict[str, list] = {}
    for e in entries:
        by_day.setdefault(e["start"][:10], []).append(e)
    return render(request, "calendar.html", **page_context(ident, "calendar", days=by_day))


@router.get("/overlaps", response_class=HTMLResponse)
def overlaps(request: Request, s: Session = DB):
    """Collisions of your saved schedules, matches against them, and the gaps in what you may read
    (what each may reveal: :mod:`corridor.access.views`)."""
    from corridor.access import views

    ident = page_identity(request, s)
    data = coordination.overlaps_for(s, ident.actor)
    return render(request, "overlaps.html", **page_context(ident, "overlaps", data=data, hours=list(range(24)),
                                                   provinces_ko=PROVINCES_KO,
                                                   name_after=views.NAME_WRITER_AFTER))
