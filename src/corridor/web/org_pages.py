"""Organisation pages: members and their roles (owners manage them)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from sqlalchemy import select
from sqlalchemy.orm import Session

from corridor import access
from corridor.access import members
from corridor.access.rules import Action, Role, allowed
from corridor.access.tables import Membership, Organisation, User
from corridor.errors import CorridorError
from corridor.web.deps import DB, form_of, message, page_context, page_identity, redirect, render

router = APIRouter(include_in_schema=False)


@router.get("/orgs", response_class=HTMLResponse)
def orgs(request: Request, s: Session = DB):
    ident = page_identity(request, s)
    rows = []
    for org in members.organisations_of(s, ident.actor):
        people = s.execute(select(Membership, User).join(User).where(Membership.org_id == org.id)
                           .order_by(User.username)).all()
        rows.append({"org": org, "role": ident.actor.roles[org.id],
                     "members": [(u.username, m.role) for m, u in people],
                     "can_manage": allowed(ident.actor, Action.ORG_MANAGE_MEMBERS, org_id=org.id)})
    return render(request, "orgs.html", **page_context(ident, "orgs", orgs=rows, roles=[r.value for r in Role], error=None))


@router.post("/orgs/{org_id}/members", response_class=HTMLResponse)
async def add_member(org_id: int, request: Request, s: Session = DB):
    ident = page_identity(request, s)
    form = await form_of(request, ident)
    org = s.get(Organisation, org_id)
    user = s.execute(select(User).where(User.username == form.get("username", "").strip().lower())).scalar_one_or_none()
    if org is None or org_id not in ident.actor.roles:
        return render(request, "not_found.html", status_code=404, **page_context(ident, "orgs"))
    try:
        if user is None:
            raise CorridorError("no such user; create the account first", field="username",
                                value=form.get("username"))
        with s.begin_nested():
            members.set_membership(s, user, org, Role(form.get("role", "viewer")), granter=ident.actor)
    except (CorridorError, access.Forbidden, ValueError) as exc:
        return render(request, "orgs.html", status_code=403 if isinstance(exc, access.Forbidden) else 422,
                      **page_context(ident, "orgs", orgs=[], roles=[r.value for r in Role], error=message(exc)))
    return redirect("/orgs")
