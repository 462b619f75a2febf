"""Archive pages (Korean and English): interview entry, coding, search, review and export.

Each page is only for people holding an archive role in the record's organisation; to anyone
else an archive URL answers exactly as a missing one does (404), so a shared link reveals
nothing. Searches are kept server-side under a random token, so their URLs carry no terms.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy.orm import Session

from corridor.access import members
from corridor.access.errors import Forbidden, NotFound
from corridor.access.rules import ArchiveAction
from corridor.access.tables import Organisation
from corridor.archive import consent as consent_mod
from corridor.archive import records, thesaurus
from corridor.archive import search as search_mod
from corridor.archive.consent import Use
from corridor.archive.exports import ExportRefused, export_interviews, uwazi_zip
from corridor.errors import CorridorError
from corridor.evidence.vocabulary import CHANNEL_LABELS, CHANNELS
from corridor.geo.names import PROVINCES, PROVINCES_KO
from corridor.web.deps import DB, form_of, page_context, page_identity, redirect, render

router = APIRouter(include_in_schema=False)


def _clerk(request: Request, s: Session):
    ident = page_identity(request, s)
    return ident, records.clerk_for(s, ident.user)


def _orgs(s: Session, clerk: records.Clerk, action: ArchiveAction) -> list[Organisation]:
    return members.organisations_by_id(s, [o for o in clerk.roles if clerk.may(action, o)])


def _not_found(request, ident):
    return render(request, "not_found.html", status_code=404, **page_context(ident, "archive"))


def _message(exc: Exception) -> str:
    return exc.one_line() if isinstance(exc, CorridorError) else str(exc)


def _gettext(request: Request, message: str) -> str:
    """``message`` in the page's language (the archive catalogue holds its Korean)."""
    from corridor.i18n import translations

    return translations(request.state.lang).gettext(message)


def _vocab(lang: str) -> dict[str, Any]:
    return {name: thesaurus.choices(name, lang) for name in thesaurus.VOCABULARIES}


def _common(ident, lang: str, **kw) -> dict[str, Any]:
    return page_context(ident, "archive", vocab=_vocab(lang), uses=[(u.value, consent_mod.USE_LABELS[u][1 if lang == "ko" else 0])
                                                            for u in Use],
                methods=[(k, v[1 if lang == "ko" else 0]) for k, v in consent_mod.METHODS.items()],
                provinces=[(p, PROVINCES_KO[p] if lang == "ko" else p) for p in PROVINCES],
                channels=[(c, CHANNEL_LABELS[c][1 if lang == "ko" else 0]) for c in CHANNELS],
                label=thesaurus.label, **kw)


@router.get("/archive", response_class=HTMLResponse)
def index(request: Request, s: Session = DB, org: int | None = None):
    ident, clerk = _clerk(request, s)
    orgs = _orgs(s, clerk, ArchiveAction.VIEW)
    if not orgs:
        return _not_found(request, ident)
    current = next((o for o in orgs if o.id == org), orgs[0])
    rows = records.interviews_of(s, clerk, current.id)
    people = records.people_of(s, rows)
    return render(request, "archive/index.html", **_common(
        ident, request.state.lang, orgs=orgs, current=current, interviews=rows, people=people,
        can_enter=clerk.may(ArchiveAction.ENTER, current.id)))


# --------------------------------------------------------------------------- entry


@router.get("/archive/interviews/new", response_class=HTMLResponse)
def new_interview(request: Request, s: Session = DB):
    ident, clerk = _clerk(request, s)
    orgs = _orgs(s, clerk, ArchiveAction.ENTER)
    if not orgs:
        return _not_found(request, ident)
    return render(request, "archive/interview_new.html", **_common(ident, request.state.lang, orgs=orgs, form={},
                                                                   error=None, today=date.today().isoformat()))


@router.post("/archive/interviews/new", response_class=HTMLResponse)
async def new_interview_submit(request: Request, s: Session = DB):
    ident, clerk = _clerk(request, s)
    form = await form_of(request, ident)
    orgs = _orgs(s, clerk, ArchiveAction.ENTER)
    if not orgs:
        return _not_found(request, ident)
    try:
        org_id = int(form.get("org_id") or 0)
    except ValueError:
        org_id = 0
    if org_id not in {o.id for o in orgs}:
        return _not_found(request, ident)   # the same answer as for any record of another organisation
    try:
        with s.begin_nested():
            person = records.add_person(
                s, clerk, org_id, pseudonym=form.get("pseudonym", ""), sex=form.get("sex", "unknown"),
                birth_decade=form.get("birth_decade") or None, province=form.get("province") or None,
                year_left=form.get("year_left") or None,
                identity={k: form.get(f"identity.{k}") for k in ("name", "birth_date", "contacts", "family_in_north")})
            given_on = form.get("consent_date") or date.today().isoformat()
            for u in Use:
                records.set_consent(s, clerk, person, u, granted=f"consent.{u.value}" in form, given_on=given_on,
                                    method=form.get("consent_method", "written"))
            transcripts = [{"lang": form.get("lang", "ko"), "original": True, "text": form.get("text", "")}]
            if form.get("translation", "").strip():
                transcripts.append({"lang": "en" if form.get("lang", "ko") == "ko" else "ko", "original": False,
                                    "translator": form.get("translator", ""), "text": form.get("translation", "")})
            iv = records.add_interview(s, clerk, person, interviewer=form.get("interviewer", ""),
                                       interviewed_on=form.get("interviewed_on", ""), place=form.get("place", ""),
                                       transcripts=transcripts)
    except (CorridorError, Forbidden, NotFound, ValueError) as exc:
        return render(request, "archive/interview_new.html", status_code=422, **_common(
            ident, request.state.lang, orgs=orgs, form=form, error=_message(exc), today=date.today().isoformat()))
    return redirect(f"/archive/interviews/{iv.public_id}")


# --------------------------------------------------------------------------- one interview


def _interview_page(request, s, ident, clerk, public_id, *, error=None, status_code=200):
    try:
        iv = records.get_interview(s, clerk, public_id)
    except NotFound:
        return _not_found(request, ident)
    from corridor.themes import vocabulary

    person = records.person_of(s, iv)
    consents = records.consents_of(s, person)
    return render(request, "archive/interview.html", status_code=status_code, **_common(
        ident, request.state.lang, iv=iv, person=person, consents=consents, events=records.events_of(s, iv),
        exposures=records.exposures_of(s, iv), theme_codes=vocabulary().codes, error=error,
        reviews={tr.lang: records.current_review(s, tr) for tr in iv.transcripts},
        can_code=clerk.may(ArchiveAction.CODE, iv.org_id), can_review=clerk.may(ArchiveAction.REVIEW, iv.org_id),
        can_export=clerk.may(ArchiveAction.EXPORT, iv.org_id), can_unseal=clerk.may(ArchiveAction.UNSEAL, iv.org_id)))


@router.get("/archive/interviews/{public_id}", response_class=HTMLResponse)
def interview(public_id: str, request: Request, s: Session = DB):
    ident, clerk = _clerk(request, s)
    return _interview_page(request, s, ident, clerk, public_id)


@router.post("/archive/interviews/{public_id}/events", response_class=HTMLResponse)
async def add_event(public_id: str, request: Request, s: Session = DB):
    ident, clerk = _clerk(request, s)
    form = await form_of(request, ident)
    try:
        iv = records.get_interview(s, clerk, public_id, ArchiveAction.CODE)
        person = records.person_of(s, iv)
        perp = form.get("perpetrator") or ""
        act = {"act_type": form.get("act_type", ""),
               "victim": person.public_id if "victim_is_witness" in form else None,
               "victim_label": form.get("victim_label", ""),
               "perpetrators": [{"perpetrator": perp, "degree": form.get("degree") or "unknown"}] if perp else []}
        segments = [p for p in re.split(r"[,\s]+", form.get("segments", "")) if p]
        with s.begin_nested():
            records.add_event(
                s, clerk, iv, title=form.get("title", ""), summary=form.get("summary", ""),
                start_date=form.get("start_date") or None, start_precision=form.get("start_precision") or "unknown",
                province=form.get("province") or None, county=form.get("county") or None,
                facility=form.get("facility") or None, facility_type=form.get("facility_type") or None,
                segments=segments, acts=[act],
                parties=[{"role": "source", "person": person.public_id, "detail": form.get("source_connection")
                          or "victim"}])
    except NotFound:
        return _not_found(request, ident)
    except (CorridorError, Forbidden) as exc:
        return _interview_page(request, s, ident, clerk, public_id, error=_message(exc),
                               status_code=403 if isinstance(exc, Forbidden) else 422)
    return redirect(f"/archive/interviews/{public_id}#events")


@router.post("/archive/interviews/{public_id}/exposures", response_class=HTMLResponse)
async def add_exposure(public_id: str, request: Request, s: Session = DB):
    ident, clerk = _clerk(request, s)
    form = await form_of(request, ident)
    try:
        iv = records.get_interview(s, clerk, public_id, ArchiveAction.CODE)
        with s.begin_nested():
            records.add_exposure(s, clerk, iv, channel=form.get("channel", ""), year=form.get("year") or None,
                                 source=form.get("source", ""), influence=form.get("influence") or None,
                                 segment=form.get("segment") or None,
                                 themes=[k.removeprefix("theme-") for k in form if k.startswith("theme-")])
    except NotFound:
        return _not_found(request, ident)
    except (CorridorError, Forbidden) as exc:
        return _interview_page(request, s, ident, clerk, public_id, error=_message(exc),
                               status_code=403 if isinstance(exc, Forbidden) else 422)
    return redirect(f"/archive/interviews/{public_id}#exposure")


@router.post("/archive/interviews/{public_id}/unseal", response_class=HTMLResponse)
async def unseal(public_id: str, request: Request, s: Session = DB):
    ident, clerk = _clerk(request, s)
    form = await form_of(request, ident)
    try:
        iv = records.get_interview(s, clerk, public_id, ArchiveAction.UNSEAL)
        person = records.person_of(s, iv)
        # No savepoint here: unsealing writes nothing before a refusal, and a refusal's count and
        # audit entry must be committed with the refused answer (records.unseal commits them
        # apart when it can; otherwise they are in this request's transaction).
        identity = records.unseal(s, clerk, person, passphrase=form.get("passphrase", ""))
    except NotFound:
        return _not_found(request, ident)
    except records.UnsealPaused:
        return _interview_page(request, s, ident, clerk, public_id, status_code=429,
                               error=_gettext(request, "Too many wrong passphrases: unsealing is paused for up "
                                                       "to %(minutes)d minutes. Every attempt is in the audit log.")
                               % {"minutes": int(records.UNSEAL_PER_USER.window_s // 60)})
    except (CorridorError, Forbidden) as exc:
        return _interview_page(request, s, ident, clerk, public_id, error=_message(exc), status_code=403)
    return render(request, "archive/identity.html", **_common(ident, request.state.lang, iv=iv, person=person,
                                                              identity=identity))


# --------------------------------------------------------------------------- review and export


def _transcript(iv, lang: str):
    tr = next((t for t in iv.transcripts if t.lang == lang), None)
    if tr is None:
        raise NotFound("no such transcript")
    return tr


@router.get("/archive/interviews/{public_id}/review/{lang}", response_class=HTMLResponse)
def review(public_id: str, lang: str, request: Request, s: Session = DB):
    ident, clerk = _clerk(request, s)
    try:
        iv = records.get_interview(s, clerk, public_id, ArchiveAction.REVIEW)
        tr = _transcript(iv, lang)
        suggested = records.suggestions(s, clerk, tr, iv)
    except (NotFound, Forbidden):
        return _not_found(request, ident)
    by_seq: dict[int, list] = {}
    for seq, span in suggested:
        by_seq.setdefault(seq, []).append(span)
    return render(request, "archive/review.html", **_common(ident, request.state.lang, iv=iv, tr=tr, by_seq=by_seq,
                                                            error=None))


_SPAN = re.compile(r"^(\d+):(\d+):(\d+):(name|place|date)$")


@router.post("/archive/interviews/{public_id}/review/{lang}", response_class=HTMLResponse)
async def review_submit(public_id: str, lang: str, request: Request, s: Session = DB):
    ident, clerk = _clerk(request, s)
    await form_of(request, ident)
    raw = await request.form()
    try:
        iv = records.get_interview(s, clerk, public_id, ArchiveAction.REVIEW)
        tr = _transcript(iv, lang)
        spans = []
        for key, value in raw.multi_items():
            if key == "span" and isinstance(value, str) and (m := _SPAN.match(value)):
                spans.append((int(m[1]), int(m[2]), int(m[3]), m[4]))
        extra = str(raw.get("extra", "")).strip()
        for word in [w.strip() for w in extra.split(",") if w.strip()]:   # words the detector missed
            for seg in tr.segments:
                for m in re.finditer(re.escape(word), seg.text):
                    spans.append((seg.seq, m.start(), m.end(), "name"))
        with s.begin_nested():
            records.record_review(s, clerk, iv, tr, spans, approved=True)
    except (NotFound, Forbidden):
        return _not_found(request, ident)
    except CorridorError as exc:
        return _interview_page(request, s, ident, clerk, public_id, error=_message(exc), status_code=422)
    return redirect(f"/archive/interviews/{public_id}/export")


@router.get("/archive/interviews/{public_id}/export", response_class=HTMLResponse)
def export_page(public_id: str, request: Request, s: Session = DB):
    ident, clerk = _clerk(request, s)
    try:
        iv = records.get_interview(s, clerk, public_id, ArchiveAction.EXPORT)
    except (NotFound, Forbidden):
        return _not_found(request, ident)
    preview = {}
    for tr in iv.transcripts:
        rv = records.current_review(s, tr)
        if rv is not None:
            preview[tr.lang] = records.redacted_segments(tr, rv)
    return render(request, "archive/export.html", **_common(ident, request.state.lang, iv=iv, preview=preview,
                                                            error=None))


@router.post("/archive/interviews/{public_id}/export")
async def export_submit(public_id: str, request: Request, s: Session = DB):
    ident, clerk = _clerk(request, s)
    form = await form_of(request, ident)
    try:
        iv = records.get_interview(s, clerk, public_id, ArchiveAction.EXPORT)
        with s.begin_nested():
            if form.get("format") == "uwazi":
                data, row = uwazi_zip(s, clerk, [iv.public_id], form.get("use", ""))
                name, media = f"{iv.public_id}-{row.use}-uwazi.zip", "application/zip"
            else:
                data, row = export_interviews(s, clerk, [iv.public_id], form.get("use", ""))
                name, media = f"{iv.public_id}-{row.use}.json", "application/json"
    except (NotFound, Forbidden):
        return _not_found(request, ident)
    except (ExportRefused, CorridorError) as exc:
        return render(request, "archive/export.html", status_code=403 if isinstance(exc, ExportRefused) else 422,
                      **_common(ident, request.state.lang, iv=iv, preview={}, error=_message(exc)))
    return Response(data, media_type=media, headers={"Content-Disposition": f'attachment; filename="{name}"'})


# --------------------------------------------------------------------------- search


def _query_from(form: dict[str, str]) -> search_mod.Query:
    def year(k):
        v = (form.get(k) or "").strip()
        if not v:
            return None
        if not v.isdigit():
            raise CorridorError("must be a year", field=k, value=v)
        return int(v)
    return search_mod.Query(q=(form.get("q") or "")[:200], act_type=form.get("act_type") or None,
                            code=form.get("code") or None, province=form.get("province") or None,
                            year_from=year("year_from"), year_to=year("year_to"), use=form.get("use") or None,
                            lang=form.get("lang_filter") or None)


@router.get("/archive/search", response_class=HTMLResponse)
def search_page(request: Request, s: Session = DB):
    ident, clerk = _clerk(request, s)
    orgs = _orgs(s, clerk, ArchiveAction.SEARCH)
    if not orgs:
        return _not_found(request, ident)
    return render(request, "archive/search.html", **_common(ident, request.state.lang, orgs=orgs, results=None,
                                                            params={}, token=None, error=None, snippet=search_mod.snippet))


@router.post("/archive/search", response_class=HTMLResponse)
async def search_submit(request: Request, s: Session = DB):
    ident, clerk = _clerk(request, s)
    form = await form_of(request, ident)
    orgs = _orgs(s, clerk, ArchiveAction.SEARCH)
    if not orgs:
        return _not_found(request, ident)
    try:
        org_id = int(form.get("org_id") or orgs[0].id)
        query = _query_from(form)
        records.search(s, clerk, org_id, query)   # validates before the search is kept
        with s.begin_nested():
            token = records.save_search(s, clerk, org_id, query)
    except NotFound:
        return _not_found(request, ident)
    except (CorridorError, Forbidden, ValueError) as exc:
        return render(request, "archive/search.html", status_code=422, **_common(
            ident, request.state.lang, orgs=orgs, results=None, params=form, token=None, error=_message(exc),
            snippet=search_mod.snippet))
    return redirect(f"/archive/search/{token}")


@router.get("/archive/search/{token}", response_class=HTMLResponse)
def search_results(token: str, request: Request, s: Session = DB):
    ident, clerk = _clerk(request, s)
    try:
        org_id, query = records.load_search(s, clerk, token)
        results = records.search(s, clerk, org_id, query)
    except (NotFound, Forbidden):
        return _not_found(request, ident)
    orgs = _orgs(s, clerk, ArchiveAction.SEARCH)
    params = {**query.as_params(), "org_id": str(org_id)}
    if "lang" in params:
        params["lang_filter"] = params.pop("lang")
    return render(request, "archive/search.html", **_common(ident, request.state.lang, orgs=orgs, results=results,
                                                            params=params, token=token, error=None,
                                                            snippet=search_mod.snippet))
