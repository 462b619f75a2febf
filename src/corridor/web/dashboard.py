"""The dashboard: the coalition's combined reach, per-channel figures, gaps, what-if, campaigns.

Each signed-in person sees the assessment of what they may read in full: their organisations'
campaigns and those shared with the coalition. Campaigns published only as aggregates by other
organisations are counted in neither the map nor the totals; the page says so, with their number
only when :mod:`corridor.access.views` allows it (``VIEWS["dashboard_totals"]``). Assessments are cached per ledger version and reader, so the page is computed once per
change of the ledger.
"""

from __future__ import annotations

import tempfile
import threading
from collections import OrderedDict
from datetime import UTC, date, datetime
from pathlib import Path

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response
from sqlalchemy.orm import Session

from corridor.errors import CorridorError
from corridor.i18n import gettext
from corridor.web import auth
from corridor.web.deps import DB, page_context, page_identity, render

router = APIRouter(include_in_schema=False)

FIGURES = ("reach", "gap", "channels")
_lock = threading.Lock()


class AssessmentCache:
    """A few assessments, keyed by (ledger version, reader's roles)."""

    def __init__(self, size: int = 4) -> None:
        self.size = size
        self.data: OrderedDict = OrderedDict()

    def get(self, key):
        hit = self.data.get(key)
        if hit is not None:
            self.data.move_to_end(key)
        return hit

    def put(self, key, value) -> None:
        self.data[key] = value
        self.data.move_to_end(key)
        while len(self.data) > self.size:
            self.data.popitem(last=False)


def _evidence(request: Request):
    state = request.app.state
    if not hasattr(state, "evidence_loaded"):
        path = getattr(state, "evidence_path", None)
        ev = None
        if path is not None and Path(path).exists():
            from corridor.assess import Evidence

            ev = Evidence.read(Path(path))
        state.evidence_loaded = ev
    return state.evidence_loaded


def assessment_for(request: Request, s: Session, ident: auth.Identity):
    """The (cached) assessment of what ``ident`` may read; None when there is nothing to assess."""
    from corridor.assess import assess
    from corridor.assess.items import hidden_aggregate_count, items_from_ledger
    from corridor.geo.grid import load_grid

    state = request.app.state
    if not hasattr(state, "assessments"):
        state.assessments = AssessmentCache()
    key = (auth.ledger_version(request, s), tuple(sorted((k, v.value) for k, v in ident.actor.roles.items())))
    with _lock:
        hit = state.assessments.get(key)
        if hit is not None:
            return hit
        items = items_from_ledger(s, scope="readable", actor=ident.actor)
        hidden = hidden_aggregate_count(s, ident.actor)
        if not items:
            entry = (None, hidden, {})
        else:
            grid = load_grid(5.0)
            a = assess(items, grid, evidence=_evidence(request), draws=getattr(state, "draws", 200),
                       scheduler="sync")
            entry = (a, hidden, {})
        state.assessments.put(key, entry)
        return entry


def left_out(request: Request, count: int | None) -> int | str:
    """What the page says of other organisations' aggregate-only activities it leaves out: their
    number when the access core gives one, else words without a number. The note is shown
    whether or not there are any, so that its presence reveals nothing either."""
    if count is not None:
        return count
    return gettext(request.state.lang, "how many is not shown, so that no organisation's count can be worked out")


@router.get("/dashboard", response_class=HTMLResponse)
def dashboard(request: Request, s: Session = DB, day: date | None = None):
    """The dashboard; ``day`` (YYYY-MM-DD, default today) is the day of the radio landscape."""
    from corridor.channels.radio.eibi import ATTRIBUTION
    from corridor.coalition import coordination

    ident = page_identity(request, s)
    a, hidden, _figs = assessment_for(request, s, ident)
    result = a.as_dict() if a is not None else None
    landscape = coordination.on_air_by_hour(s, ident.actor, day or datetime.now(UTC).date())
    return render(request, "dashboard.html", **page_context(ident, "dashboard", result=result,
                                                    hidden=left_out(request, hidden),
                                                    items=a.items if a else [],
                                                    evidence=a.evidence if a else None,
                                                    landscape=landscape, eibi_attribution=ATTRIBUTION))


@router.get("/dashboard/figure/{name}.png")
def figure(name: str, request: Request, s: Session = DB):
    ident = page_identity(request, s)
    if name not in FIGURES:
        raise HTTPException(404)
    a, _hidden, figs = assessment_for(request, s, ident)
    if a is None:
        raise HTTPException(404)
    lang = request.state.lang
    key = (name, lang)
    with _lock:
        body = figs.get(key)
        if body is None:
            from corridor.assess import figures

            draw = {"reach": figures.reach_map, "gap": figures.gap_map, "channels": figures.channel_chart}[name]
            with tempfile.TemporaryDirectory() as tmp:
                path = draw(a, Path(tmp) / f"{name}.png", lang=lang)
                body = path.read_bytes()
            figs[key] = body
    return Response(body, media_type="image/png", headers={"Cache-Control": "private, max-age=300"})


@router.get("/dashboard/whatif")
def whatif(request: Request, s: Session = DB):
    """What if some activities ran a different number of times (``times=ID:N,ID:N``) or the
    coalition had ``budget`` more USD? Read-only: nothing is written."""
    from corridor.assess.engine import what_if

    ident = page_identity(request, s)
    a, _hidden, _figs = assessment_for(request, s, ident)
    if a is None:
        raise HTTPException(404, "nothing to assess")
    times = {}
    raw = request.query_params.get("times", "")
    try:
        for part in filter(None, raw.split(",")):
            aid, _, n = part.partition(":")
            times[aid] = float(n)
        out = what_if(a, times)
        budget = request.query_params.get("budget")
        if budget not in (None, ""):
            from corridor.assess.allocate import suggest

            out["suggestion"] = suggest(a, float(budget))
    except ValueError:
        return JSONResponse({"detail": "times must look like ID:N,ID:N and budget a number"}, status_code=422)
    except CorridorError as exc:
        return JSONResponse({"detail": exc.one_line()}, status_code=422)
    return out


@router.get("/dashboard/campaigns/{campaign_id:dbid}", response_class=HTMLResponse)
def campaign_assessment(campaign_id: int, request: Request, s: Session = DB):
    ident = page_identity(request, s)
    a, _hidden, _figs = assessment_for(request, s, ident)
    result = a.as_dict() if a is not None else None
    campaign = next((c for c in (result or {}).get("campaigns", []) if c["id"] == campaign_id), None)
    if campaign is None:  # not readable, or no such campaign: the same answer
        return render(request, "not_found.html", status_code=404, **page_context(ident))
    rows = [r for r in result["activities"] if r["campaign_id"] == campaign_id]
    return render(request, "dashboard_campaign.html", **page_context(ident, "dashboard", campaign=campaign,
                                                             activities=rows, result=result))
