"""The dashboard: the coalition's combined reach, per-channel figures, gaps, what-if, campaigns.

Each signed-in person sees the assessment of what they may read in full: their organisations'
campaigns and those shared with the coalition. Campaigns published only as aggregates by other
organisations are counted in neither the map nor the totals; the page says so, with their number
only when :mod:`corridor.access.views` allows it (``VIEWS["dashboard_totals"]``). The assessment
is :func:`corridor.assess.ledger_assessment.assess_ledger`, cached per ledger version and reader's
roles (one computation per key; other keys never wait), so the page is computed once per change
of the ledger.
"""

from __future__ import annotations

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


def __getattr__(name: str):
    """``AssessmentCache``: the library's cache (imported when first asked for; the models load late)."""
    if name == "AssessmentCache":
        from corridor.assess.ledger_assessment import AssessmentCache

        return AssessmentCache
    raise AttributeError(name)


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
    """The (cached) assessment of what ``ident`` may read (a
    :class:`~corridor.assess.ledger_assessment.LedgerAssessment`; its ``assessment`` is None when
    there is nothing to assess). One computation per ledger version and reader's roles: others
    asking the same wait for it, readers of other versions or roles do not."""
    state = request.app.state
    if not hasattr(state, "assessments"):
        from corridor.assess.ledger_assessment import AssessmentCache

        state.assessments = AssessmentCache()
    return state.assessments.assess(s, version=auth.ledger_version(request, s), scope="readable",
                                    actor=ident.actor, evidence=_evidence(request),
                                    draws=getattr(state, "draws", 200), scheduler="sync")


def left_out(request: Request, count: int | None) -> int | str:
    """What the page says of other organisations' aggregate-only activities it leaves out: their
    number when the access core gives one, else words without a number. The note is shown
    whether or not there are any, so that its presence reveals nothing either."""
    if count is not None:
        return count
    return gettext(request.state.lang, "how many is not shown, so that no organisation's count can be worked out")


def theme_view(result: dict | None, theme: str | None, lang: str) -> dict:
    """What the dashboard shows by theme: the chosen theme (``?theme=``, checked against the
    vocabulary), its gaps (or the coalition's when none is chosen) and the vocabulary's codes."""
    from corridor.themes import check_theme, vocabulary

    view = {"theme": None, "theme_error": None, "theme_labels": vocabulary().codes,
            "gaps": (result or {}).get("gaps")}
    if theme:
        try:
            view["theme"] = check_theme(theme, field="theme")
        except CorridorError as exc:
            view["theme_error"] = gettext(lang, "Unknown theme: {detail}").format(detail=exc.one_line())
            return view
        view["gaps"] = ((result or {}).get("themes") or {}).get(view["theme"])
    return view


@router.get("/dashboard", response_class=HTMLResponse)
def dashboard(request: Request, s: Session = DB, day: date | None = None, theme: str | None = None):
    """The dashboard; ``day`` (YYYY-MM-DD, default today) is the day of the radio landscape;
    ``theme`` (a theme code) shows the gaps of that theme."""
    from corridor.assess.engine import assumption_notes
    from corridor.channels.radio.eibi import ATTRIBUTION
    from corridor.coalition import coordination

    ident = page_identity(request, s)
    entry = assessment_for(request, s, ident)
    a, hidden = entry.assessment, entry.hidden
    result = a.as_dict() if a is not None else None
    landscape = coordination.on_air_by_hour(s, ident.actor, day, today=datetime.now(UTC).date())
    notes = assumption_notes(a, request.state.lang) if a is not None else {}
    return render(request, "dashboard.html", **page_context(ident, "dashboard", result=result, notes=notes,
                                                    hidden=left_out(request, hidden),
                                                    items=a.items if a else [],
                                                    evidence=a.evidence if a else None,
                                                    landscape=landscape, eibi_attribution=ATTRIBUTION,
                                                    **theme_view(result, theme, request.state.lang)))


@router.get("/dashboard/figure/{name}.png")
def figure(name: str, request: Request, s: Session = DB):
    from corridor.presentation.figures import FIGURES, figure_png

    ident = page_identity(request, s)
    if name not in FIGURES:
        raise HTTPException(404)
    entry = assessment_for(request, s, ident)
    if entry.assessment is None:
        raise HTTPException(404)
    body = figure_png(entry, name, request.state.lang)
    return Response(body, media_type="image/png", headers={"Cache-Control": "private, max-age=300"})


@router.get("/dashboard/whatif")
def whatif(request: Request, s: Session = DB):
    """What if some activities ran a different number of times (``times=ID:N,ID:N``) or the
    coalition had ``budget`` more USD? Read-only: nothing is written."""
    from corridor.assess.engine import what_if

    ident = page_identity(request, s)
    a = assessment_for(request, s, ident).assessment
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
            from corridor.presentation.suggestion import explanation

            out["suggestion"] = suggest(a, float(budget))
            out["suggestion"]["explanation"] = explanation(out["suggestion"], request.state.lang)
    except ValueError:
        return JSONResponse({"detail": "times must look like ID:N,ID:N and budget a number"}, status_code=422)
    except CorridorError as exc:
        return JSONResponse({"detail": exc.one_line()}, status_code=422)
    return out


@router.get("/dashboard/campaigns/{campaign_id:dbid}", response_class=HTMLResponse)
def campaign_assessment(campaign_id: int, request: Request, s: Session = DB):
    ident = page_identity(request, s)
    a = assessment_for(request, s, ident).assessment
    result = a.as_dict() if a is not None else None
    campaign = next((c for c in (result or {}).get("campaigns", []) if c["id"] == campaign_id), None)
    if campaign is None:  # not readable, or no such campaign: the same answer
        return render(request, "not_found.html", status_code=404, **page_context(ident))
    rows = [r for r in result["activities"] if r["campaign_id"] == campaign_id]
    return render(request, "dashboard_campaign.html", **page_context(ident, "dashboard", campaign=campaign,
                                                             activities=rows, result=result))
