"""The JSON API (``/api/v1``): everything the pages do, described by OpenAPI at ``/openapi.json``.

Authenticate with a session cookie (browser; writes need the ``X-CSRF-Token`` header) or with
``Authorization: Bearer <token>`` (an API token scoped to one organisation).
"""

from __future__ import annotations

import json
import tempfile
from datetime import date, datetime
from pathlib import Path
from typing import Annotated, Any

from fastapi import (
    APIRouter,
    Depends,
    File,
    Form,
    HTTPException,
    Query,
    Request,
    UploadFile,
)
from fastapi.encoders import jsonable_encoder
from fastapi.responses import PlainTextResponse, Response
from pydantic import BaseModel, ConfigDict, Field, field_validator
from sqlalchemy.orm import Session

from corridor.access import audit, members
from corridor.access.rules import Action, Role, Visibility, allowed, require_in_org
from corridor.coalition import aggregates, coordination, exchange, hxl, ledger
from corridor.coalition.tables import ActivityRecord, Campaign
from corridor.web.auth import (
    Identity,
    check_csrf,
    identify,
    ledger_version,
    needs_second_factor,
)
from corridor.web.deps import DB
from corridor.web.fastpath import answer_key

router = APIRouter(prefix="/api/v1", tags=["ledger"])

Id = Annotated[int, Field(ge=1, le=2**31 - 1)]
Text200 = Annotated[str, Field(min_length=1, max_length=200)]


def _no_nul(value):
    if isinstance(value, str) and "\x00" in value:
        raise ValueError("must not contain NUL characters")
    return value


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)


def identity_required(request: Request, s: Session = DB) -> Identity:
    ident = identify(request, s)
    if ident is None:
        raise HTTPException(401, "sign in or send an API token")
    if needs_second_factor(ident):
        raise HTTPException(403, "owners must set up two-factor authentication first (/account/2fa)")
    return ident


def writer(request: Request, ident: Identity = Depends(identity_required)) -> Identity:
    check_csrf(ident, request.headers.get("x-csrf-token"))
    return ident


class CampaignIn(Strict):
    org_id: Id
    name: Text200
    channel: Annotated[str, Field(min_length=1, max_length=40)]
    goal: Annotated[str, Field(max_length=5000)] = ""
    start_date: date
    end_date: date | None = None
    budget_amount: Annotated[float, Field(ge=0, le=1e12)] | None = None
    budget_currency: Annotated[str, Field(min_length=3, max_length=3)] = "USD"

    _nul = field_validator("name", "goal", "channel")(_no_nul)


class CampaignPatch(Strict):
    name: Text200 | None = None
    goal: Annotated[str, Field(max_length=5000)] | None = None
    start_date: date | None = None
    end_date: date | None = None
    budget_amount: Annotated[float, Field(ge=0, le=1e12)] | None = None
    budget_currency: Annotated[str, Field(min_length=3, max_length=3)] | None = None

    _nul = field_validator("name", "goal")(_no_nul)


class CampaignOut(BaseModel):
    id: int
    org_id: int
    organisation: str
    name: str
    channel: str
    goal: str
    start_date: date
    end_date: date | None
    budget_amount: float | None
    budget_currency: str
    budget_usd: float | None
    visibility: str
    activities: int


class ShareIn(Strict):
    visibility: Visibility


#: An activity's content themes: ``{"world_news": 0.6, "religion": null}`` (share of airtime or
#: volume, 0–1, or null) or a list of codes; checked against the vocabulary by the ledger, which
#: names the nearest valid codes (docs/themes.md).
Themes = Annotated[dict[Annotated[str, Field(max_length=60)], float | None], Field(max_length=20)] | \
    Annotated[list[Annotated[str, Field(max_length=60)]], Field(max_length=20)]


class ActivityIn(Strict):
    id: Text200
    title: Annotated[str, Field(max_length=300)] = ""
    start: datetime
    end: datetime | None = None
    spec: dict[str, Any]
    provinces: Annotated[list[Annotated[str, Field(max_length=60)]], Field(max_length=20)] = []
    cost_amount: Annotated[float, Field(ge=0, le=1e12)] | None = None
    cost_currency: Annotated[str, Field(min_length=3, max_length=3)] = "USD"
    themes: Themes | None = None

    _nul = field_validator("id", "title")(_no_nul)


class ActivityPatch(Strict):
    title: Annotated[str, Field(max_length=300)] | None = None
    start: datetime | None = None
    end: datetime | None = None
    spec: dict[str, Any] | None = None
    provinces: Annotated[list[Annotated[str, Field(max_length=60)]], Field(max_length=20)] | None = None
    cost_amount: Annotated[float, Field(ge=0, le=1e12)] | None = None
    cost_currency: Annotated[str, Field(min_length=3, max_length=3)] | None = None
    themes: Themes | None = None


class ActivityOut(BaseModel):
    id: int
    public_id: str
    campaign_id: int
    org_id: int
    channel: str
    title: str
    start: datetime
    end: datetime | None
    spec: dict[str, Any]
    provinces: list[str]
    cost_amount: float | None
    cost_currency: str
    cost_usd: float | None
    themes: dict[str, float | None]


class OrgOut(BaseModel):
    id: int
    name: str
    role: Role


def cached_json(request: Request, s: Session, ident: Identity, compute) -> Response:
    """Serve a read endpoint's JSON from the app's cache while the ledger has not changed."""
    version = ledger_version(request, s)
    key = answer_key(ident.actor, request.url.path, str(request.query_params), version)
    cache = request.app.state.response_cache
    body = cache.get(key)
    if body is None:
        # One computation per key: concurrent readers of the same question (after a write, many
        # arrive at once) wait for the first instead of all computing it.
        with cache.computing(key):
            body = cache.get(key)
            if body is None:
                body = json.dumps(jsonable_encoder(compute()), ensure_ascii=False, separators=(",", ":")).encode()
                cache.put(key, body)
    hit = cache.answer(key, request.headers.get("accept-encoding"))
    body, gzipped = hit if hit is not None else (body, False)   # evicted meanwhile: send it plain
    headers = {"Vary": "Accept-Encoding", **({"Content-Encoding": "gzip"} if gzipped else {})}
    return Response(body, media_type="application/json", headers=headers)


def campaign_out(s: Session, c: Campaign, *, org_names: dict[int, str] | None = None,
                 counts: dict[int, int] | None = None) -> CampaignOut:
    name = org_names[c.org_id] if org_names else members.organisation(s, c.org_id).name
    n = counts.get(c.id, 0) if counts is not None else len(c.activities)
    return CampaignOut(id=c.id, org_id=c.org_id, organisation=name, name=c.name, channel=c.channel,
                       goal=c.goal, start_date=c.start_date, end_date=c.end_date,
                       budget_amount=c.budget_amount, budget_currency=c.budget_currency,
                       budget_usd=c.budget_usd, visibility=c.visibility, activities=n)


def activity_out(a: ActivityRecord) -> ActivityOut:
    return ActivityOut(id=a.id, public_id=a.public_id, campaign_id=a.campaign_id, org_id=a.org_id,
                       channel=a.channel, title=a.title, start=a.start, end=a.end, spec=a.spec,
                       provinces=a.provinces or [], cost_amount=a.cost_amount, cost_currency=a.cost_currency,
                       cost_usd=a.cost_usd, themes=a.themes or {})


@router.get("/orgs", response_model=list[OrgOut])
def list_orgs(s: Session = DB, ident: Identity = Depends(identity_required)):
    """Organisations you belong to, with your role in each."""
    return [OrgOut(id=o.id, name=o.name, role=ident.actor.roles[o.id]) for o in members.organisations_of(s, ident.actor)]


@router.get("/campaigns", response_model=list[CampaignOut])
def list_campaigns(request: Request, channel: Annotated[str | None, Query(max_length=40)] = None,
                   s: Session = DB, ident: Identity = Depends(identity_required)):
    """Your organisations' campaigns and those other organisations share with the coalition."""
    def compute():
        campaigns = ledger.visible_campaigns(s, ident.actor, channel=channel)
        org_names = members.organisation_names(s)
        counts = ledger.activity_counts(s, [c.id for c in campaigns])
        return [campaign_out(s, c, org_names=org_names, counts=counts).model_dump() for c in campaigns]
    return cached_json(request, s, ident, compute)


@router.post("/campaigns", response_model=CampaignOut, status_code=201)
def create_campaign(body: CampaignIn, s: Session = DB, ident: Identity = Depends(writer)):
    """Create a campaign (private to your organisation until its owner shares it)."""
    c = ledger.create_campaign(s, ident.actor, **body.model_dump())
    return campaign_out(s, c)


@router.get("/campaigns/{campaign_id}", response_model=CampaignOut)
def get_campaign(campaign_id: Id, s: Session = DB, ident: Identity = Depends(identity_required)):
    return campaign_out(s, ledger.get_campaign(s, ident.actor, campaign_id))


@router.patch("/campaigns/{campaign_id}", response_model=CampaignOut)
def patch_campaign(campaign_id: Id, body: CampaignPatch, s: Session = DB, ident: Identity = Depends(writer)):
    changes = body.model_dump(exclude_unset=True)
    return campaign_out(s, ledger.update_campaign(s, ident.actor, campaign_id, **changes))


@router.delete("/campaigns/{campaign_id}", status_code=204)
def delete_campaign(campaign_id: Id, s: Session = DB, ident: Identity = Depends(writer)):
    ledger.delete_campaign(s, ident.actor, campaign_id)


@router.post("/campaigns/{campaign_id}/share", response_model=CampaignOut)
def share_campaign(campaign_id: Id, body: ShareIn, s: Session = DB, ident: Identity = Depends(writer)):
    """Set who else sees a campaign: private, coalition, or aggregate (counts only). Owners only."""
    return campaign_out(s, ledger.set_visibility(s, ident.actor, campaign_id, body.visibility))


@router.get("/campaigns/{campaign_id}/activities", response_model=list[ActivityOut])
def list_activities(campaign_id: Id, s: Session = DB, ident: Identity = Depends(identity_required)):
    c = ledger.get_campaign(s, ident.actor, campaign_id)
    return [activity_out(a) for a in c.activities]


@router.post("/campaigns/{campaign_id}/activities", response_model=ActivityOut, status_code=201)
def add_activity(campaign_id: Id, body: ActivityIn, s: Session = DB, ident: Identity = Depends(writer)):
    """Add an activity; its ``spec`` is validated by the campaign channel's own model."""
    return activity_out(ledger.add_activity(s, ident.actor, campaign_id, body.model_dump()))


@router.get("/activities/{activity_id}", response_model=ActivityOut)
def get_activity(activity_id: Id, s: Session = DB, ident: Identity = Depends(identity_required)):
    return activity_out(ledger.get_activity(s, ident.actor, activity_id))


@router.patch("/activities/{activity_id}", response_model=ActivityOut)
def patch_activity(activity_id: Id, body: ActivityPatch, s: Session = DB, ident: Identity = Depends(writer)):
    return activity_out(ledger.update_activity(s, ident.actor, activity_id, body.model_dump(exclude_unset=True)))


@router.delete("/activities/{activity_id}", status_code=204)
def delete_activity(activity_id: Id, s: Session = DB, ident: Identity = Depends(writer)):
    ledger.delete_activity(s, ident.actor, activity_id)


@router.get("/aggregates")
def aggregate_counts(s: Session = DB, ident: Identity = Depends(identity_required)) -> list[dict[str, Any]]:
    """Counts for you: what you may read, and other organisations' aggregate-only activities only
    where at least three organisations contribute and none dominates."""
    return aggregates.aggregates(s, ident.actor)


@router.get("/overlaps")
def overlaps(s: Session = DB, ident: Identity = Depends(identity_required)) -> dict[str, Any]:
    """Broadcast collisions involving your organisations, silent hours and unserved provinces."""
    return coordination.overlaps_for(s, ident.actor)


@router.get("/calendar", response_model=list[dict[str, Any]])
def calendar(request: Request, start: date | None = None, end: date | None = None,
             limit: Annotated[int, Query(ge=1, le=5000)] = 1000, s: Session = DB,
             ident: Identity = Depends(identity_required)):
    """Activities you may read, by start time, between two dates (inclusive), at most ``limit``."""
    return cached_json(request, s, ident, lambda: calendar_entries(s, ident, start, end, limit=limit))


def calendar_entries(s: Session, ident: Identity, start: date | None, end: date | None, *,
                     limit: int = 1000) -> list[dict]:
    orgs = members.organisation_names(s)
    return [{"id": a.id, "public_id": a.public_id, "organisation": orgs[a.org_id], "channel": a.channel,
             "title": a.title, "start": a.start.isoformat(), "end": a.end.isoformat() if a.end else None,
             "own": a.org_id in ident.actor.roles, "spec": a.spec, "themes": a.themes or {}}
            for a in ledger.readable_activities(s, ident.actor, start=start, end=end, limit=limit)]


@router.get("/export.hxl", response_class=PlainTextResponse)
def export_hxl(s: Session = DB, ident: Identity = Depends(identity_required)):
    """Activities you may read, as HXL-tagged CSV (a download).

    Text cells a spreadsheet would run as a formula (starting with ``=``, ``+``, ``-``, ``@``, a
    tab or a carriage return: OWASP "CSV Injection") begin with a ``'``, so they open as text.
    """
    text = hxl.hxl_text(exchange.export_rows(s, ident.actor))
    return PlainTextResponse(text, media_type="text/csv; charset=utf-8",
                             headers={"Content-Disposition": 'attachment; filename="corridor-ledger.csv"'})


@router.post("/import", responses={503: {"description": "The database is busy; try again after Retry-After seconds."}})
def import_hxl(org_id: Annotated[int, Form(ge=1, le=2**31 - 1)], file: UploadFile = File(...),
               s: Session = DB, ident: Identity = Depends(writer)) -> dict[str, Any]:
    """Import a HXL CSV into your organisation: every row is checked first; all rows or none.

    The rows are checked before anything is written, so other organisations keep writing
    meanwhile; the write itself is one short transaction. A busy database is answered 503 with
    ``Retry-After`` and nothing is written. Cells that an export neutralised against spreadsheet
    formulas (a leading ``'``) are read back as the text they were.
    """
    require_in_org(ident.actor, Action.CAMPAIGN_IMPORT, org_id,
                   refusal="your role cannot import into this organisation")   # before reading the file
    data = file.file.read(hxl.MAX_BYTES + 1)
    if len(data) > hxl.MAX_BYTES:
        raise HTTPException(413, "file too large")
    label = hxl.upload_label(file.filename)        # a name for messages only, never a path
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "upload.csv"
        path.write_bytes(data)
        rows = hxl.read_hxl(path, source=label)
    return exchange.import_rows(s, ident.actor, org_id, rows, source=label)


@router.get("/audit/verify")
def audit_verify(s: Session = DB, ident: Identity = Depends(identity_required)) -> dict[str, Any]:
    """Check the audit log (owners of an organisation): the hash chain and every audited row.

    The answer says whether the whole log is intact and counts your organisations' entries; it
    gives no entry numbers, row ids or counts of other organisations (which would tell how much
    they write). The server's administrator reads the details with ``corridor audit verify``.
    """
    mine = [o for o in ident.actor.roles if allowed(ident.actor, Action.AUDIT_VIEW, org_id=o)]
    if not mine:
        raise HTTPException(403, "owners only")
    report = audit.audit_report(s)
    own = sum(1 for e in audit.iter_audit(s) if e.org_id in mine)
    return {"intact": report.ok, "your_entries": own,
            "reason": None if report.ok else ("the log's chain is broken" if report.chain else
                                              "rows were changed outside the ledger")}
