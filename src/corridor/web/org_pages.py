"""Organisation pages: members, their roles and archive roles (owners manage them), and an
owner's upload of a public broadcast schedule (an EiBi season file).

An owner can add a member, change a member's role, remove a member and take an archive role
away. Each change is made by :mod:`corridor.access.members` (or
:func:`corridor.archive.records.revoke_role`), which checks the owner's right by a named action,
ends the affected sessions and tokens, and writes the audit log, so the next request of the
person concerned already sees the change. Deactivating an account and resetting a password are
server-administrator actions (``corridor user deactivate``, ``corridor user password``).
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from sqlalchemy.orm import Session

from corridor import access
from corridor.access import members
from corridor.access.rules import Action, ArchiveRole, Role, allowed
from corridor.access.tables import Organisation, User
from corridor.errors import CorridorError
from corridor.textcheck import check_text
from corridor.web import auth
from corridor.web.deps import (
    DB,
    form_of,
    message,
    page_context,
    page_identity,
    redirect,
    render,
)

router = APIRouter(include_in_schema=False)


def _rows(s: Session, ident: auth.Identity) -> list[dict]:
    """Each of the reader's organisations with its members (and, for owners, their archive roles)."""
    rows = []
    for org in members.organisations_of(s, ident.actor):
        can_manage = allowed(ident.actor, Action.ORG_MANAGE_MEMBERS, org_id=org.id)
        people = members.members_of(s, org.id)
        archive = members.archive_roles_in(s, org.id) if can_manage else {}
        rows.append({"org": org, "role": ident.actor.roles[org.id], "can_manage": can_manage,
                     "members": [{"id": u.id, "username": u.username, "role": m.role, "active": u.active,
                                  "archive_roles": archive.get(u.id, [])} for m, u in people]})
    return rows


def _page(request: Request, s: Session, ident: auth.Identity, *, error: str | None = None,
          enrolment: dict | None = None, imported: dict | None = None, status_code: int = 200) -> HTMLResponse:
    from corridor.channels.radio.eibi import ATTRIBUTION

    return render(request, "orgs.html", status_code=status_code,
                  **page_context(ident, "orgs", orgs=_rows(s, ident), roles=[r.value for r in Role],
                                 error=error, enrolment=enrolment, imported=imported,
                                 eibi_attribution=ATTRIBUTION))


def _refused(request: Request, s: Session, ident: auth.Identity, exc: Exception) -> HTMLResponse:
    return _page(request, s, ident, error=message(exc),
                 status_code=403 if isinstance(exc, access.Forbidden) else 422)


def _not_found(request: Request, ident: auth.Identity) -> HTMLResponse:
    return render(request, "not_found.html", status_code=404, **page_context(ident, "orgs"))


def _target(s: Session, ident: auth.Identity, org_id: int, user_id: int) -> tuple[Organisation, User] | None:
    """The organisation (one of the reader's) and one of its members, or None."""
    org = members.organisation(s, org_id)
    if org is None or org_id not in ident.actor.roles:
        return None
    user = members.user(s, user_id)
    if user is None:
        return None
    return (org, user) if members.belongs(s, user.id, org.id) else None


@router.get("/orgs", response_class=HTMLResponse)
def orgs(request: Request, s: Session = DB):
    ident = page_identity(request, s)
    return _page(request, s, ident)


def _give_role(request: Request, s: Session, ident: auth.Identity, user: User | None, org: Organisation,
               role: Role) -> HTMLResponse:
    """Give ``role`` (members.give_role); a new owner without a second factor gets a one-time
    enrolment code, shown once on the page for the granting owner to hand over."""
    with s.begin_nested():
        issued = members.give_role(s, user, org, role, granter=ident.actor)
    if issued is None:
        return redirect("/orgs")
    return _page(request, s, ident, enrolment={"username": user.username, "code": issued[0], "expires": issued[1]})


@router.post("/orgs/{org_id:dbid}/members", response_class=HTMLResponse)
async def add_member(org_id: int, request: Request, s: Session = DB):
    """Add a member by username, or change an existing member's role. Making owner someone without
    a second factor shows the one-time enrolment code to hand over to them."""
    ident = page_identity(request, s)
    form = await form_of(request, ident)
    org = members.organisation(s, org_id)
    if org is None or org_id not in ident.actor.roles:
        return _not_found(request, ident)
    try:
        username = check_text(form.get("username", ""), field="username").strip().lower()
        user = members.user_named(s, username)
        return _give_role(request, s, ident, user, org, Role(form.get("role", "viewer")))
    except (CorridorError, access.Forbidden, ValueError) as exc:
        return _refused(request, s, ident, exc)


@router.post("/orgs/{org_id:dbid}/members/{user_id:dbid}/role", response_class=HTMLResponse)
async def change_role(org_id: int, user_id: int, request: Request, s: Session = DB):
    """Change a member's role (lowering it ends their sessions; the last owner stays owner)."""
    ident = page_identity(request, s)
    form = await form_of(request, ident)
    target = _target(s, ident, org_id, user_id)
    if target is None:
        return _not_found(request, ident)
    org, user = target
    try:
        role = Role(form.get("role", ""))
    except ValueError:
        return _refused(request, s, ident, CorridorError("must be owner, editor or viewer", field="role"))
    try:
        return _give_role(request, s, ident, user, org, role)
    except (CorridorError, access.Forbidden) as exc:
        return _refused(request, s, ident, exc)


@router.post("/orgs/{org_id:dbid}/members/{user_id:dbid}/remove", response_class=HTMLResponse)
async def remove_member(org_id: int, user_id: int, request: Request, s: Session = DB):
    """Remove a member: membership, archive roles and tokens in this organisation, and sessions."""
    ident = page_identity(request, s)
    await form_of(request, ident)
    target = _target(s, ident, org_id, user_id)
    if target is None:
        return _not_found(request, ident)
    org, user = target
    try:
        with s.begin_nested():
            members.remove_member(s, user, org, actor=ident.actor)
    except (CorridorError, access.Forbidden) as exc:
        return _refused(request, s, ident, exc)
    return redirect("/orgs")


@router.post("/orgs/{org_id:dbid}/members/{user_id:dbid}/archive/{role}/revoke", response_class=HTMLResponse)
async def revoke_archive_role(org_id: int, user_id: int, role: str, request: Request, s: Session = DB):
    """Take one archive role away from a member (their sessions end)."""
    from corridor.archive import records

    ident = page_identity(request, s)
    await form_of(request, ident)
    target = _target(s, ident, org_id, user_id)
    try:
        archive_role = ArchiveRole(role)
    except ValueError:
        target = None
    if target is None:
        return _not_found(request, ident)
    org, user = target
    try:
        with s.begin_nested():
            held = records.revoke_role(s, user, org, archive_role, granter=ident.actor)
    except (CorridorError, access.Forbidden) as exc:
        return _refused(request, s, ident, exc)
    if not held:
        return _not_found(request, ident)
    return redirect("/orgs")


@router.post("/orgs/{org_id:dbid}/public-schedule", response_class=HTMLResponse)
async def upload_public_schedule(org_id: int, request: Request, s: Session = DB):
    """An owner records an EiBi season file as the organisation's public schedule
    (:func:`corridor.coalition.public_schedule.import_file`): every broadcast is checked first,
    all or nothing, like any import."""
    from starlette.datastructures import UploadFile

    from corridor.access.rules import require_in_org
    from corridor.coalition import hxl, public_schedule

    ident = page_identity(request, s)
    await form_of(request, ident)
    org = members.organisation(s, org_id)
    if org is None or org_id not in ident.actor.roles:
        return _not_found(request, ident)
    try:
        # the right is checked before the file is read
        require_in_org(ident.actor, Action.CAMPAIGN_SHARE, org_id,
                       refusal="only an owner may publish a public schedule")
        upload = (await request.form()).get("file")
        if not isinstance(upload, UploadFile):
            raise CorridorError("choose a season file to upload", field="file")
        data = await upload.read(public_schedule.MAX_BYTES + 1)
        season = public_schedule.read_upload(data, hxl.upload_label(upload.filename))
        with s.begin_nested():
            report = public_schedule.import_file(s, ident.actor, org_id, season)
    except (CorridorError, access.Forbidden) as exc:
        return _refused(request, s, ident, exc)
    return _page(request, s, ident, imported={**report, "org": org.name})
