"""HURIDOCS coding of an interview: events with their acts and parties, codes on segments, and
media-exposure codes (the channels of :mod:`corridor.evidence.vocabulary`)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from corridor.access.rules import ArchiveAction
from corridor.archive import thesaurus
from corridor.archive.records.common import (
    Clerk,
    _audit,
    _date,
    _require,
    _state,
    _year,
    new_public_id,
)
from corridor.archive.tables import (
    ArchiveAct,
    ArchiveEvent,
    ArchiveEventParty,
    ArchiveExposure,
    ArchiveInterview,
    ArchiveInvolvement,
    ArchivePerson,
    ArchiveSegmentCode,
)
from corridor.errors import CorridorError
from corridor.geo.names import resolve_province


def _segment_ids(iv: ArchiveInterview, refs: Iterable) -> list[int]:
    """Segment references as ``lang:seq`` (e.g. ``ko:3``) or bare ``seq`` of the original."""
    by_key = {}
    for tr in iv.transcripts:
        for seg in tr.segments:
            by_key[f"{tr.lang}:{seg.seq}"] = seg.id
            if tr.is_original:
                by_key[str(seg.seq)] = seg.id
    out = []
    for ref in refs:
        ref = str(ref).strip()
        if not ref:
            continue
        if ref not in by_key:
            raise CorridorError("no such segment in this interview", field="segments", value=ref,
                                hint="use a paragraph number, or lang:number such as ko:3")
        out.append(by_key[ref])
    return out


def add_event(s: Session, clerk: Clerk, iv: ArchiveInterview | None, *, org_id: int | None = None,
              title: str, summary: str = "", start_date: str | date | None = None, start_precision: str = "unknown",
              end_date: str | date | None = None, end_precision: str = "unknown", province: str | None = None,
              county: str | None = None, facility: str | None = None, facility_type: str | None = None,
              segments: Iterable = (), acts: Sequence[Mapping[str, Any]] = (),
              parties: Sequence[Mapping[str, Any]] = ()) -> ArchiveEvent:
    """A HURIDOCS event with its acts (each ``{"act_type", "victim" (person id) or "victim_label",
    "method", "perpetrators": [{"perpetrator", "label", "degree"}]}``) and parties (``{"role":
    "source"|"intervening_party", "person" or "label", "detail"}``)."""
    org = iv.org_id if iv is not None else org_id
    _require(clerk, ArchiveAction.CODE, org)
    title = (title or "").strip()
    if not title:
        raise CorridorError("must not be empty", field="title")
    thesaurus.check_code("precision", start_precision, field="start_precision")
    thesaurus.check_code("precision", end_precision, field="end_precision")
    thesaurus.check_code("facility_type", facility_type, field="facility_type", optional=True)
    if not acts:
        raise CorridorError("an event needs at least one act", field="acts")
    sd = _date(start_date, "start_date") if start_date else None
    ed = _date(end_date, "end_date") if end_date else None
    if sd and ed and ed < sd:
        raise CorridorError("ends before it starts", field="end_date", value=str(ed))
    ev = ArchiveEvent(org_id=org, public_id=new_public_id("E"), interview_id=iv.id if iv else None,
                      title=title[:300], summary=summary or "", start_date=sd, start_precision=start_precision,
                      end_date=ed, end_precision=end_precision,
                      province=resolve_province(province, field="province") if province else None,
                      county=(county or "").strip()[:120] or None, facility=(facility or "").strip()[:200] or None,
                      facility_type=facility_type or None,
                      segment_ids=_segment_ids(iv, segments) if iv is not None else [])
    for i, a in enumerate(acts):
        thesaurus.check_code("act_type", a.get("act_type"), field=f"acts[{i}].act_type")
        act = ArchiveAct(act_type=a["act_type"], victim_id=_person_id(s, org, a.get("victim")),
                         victim_label=(a.get("victim_label") or "")[:200], method=a.get("method") or None)
        for j, p in enumerate(a.get("perpetrators") or ()):
            thesaurus.check_code("perpetrator", p.get("perpetrator"), field=f"acts[{i}].perpetrators[{j}]")
            thesaurus.check_code("degree", p.get("degree", "unknown"), field=f"acts[{i}].perpetrators[{j}].degree")
            act.involvements.append(ArchiveInvolvement(perpetrator=p["perpetrator"],
                                                       perpetrator_label=(p.get("label") or "")[:200],
                                                       degree=p.get("degree", "unknown")))
        ev.acts.append(act)
    for i, p in enumerate(parties):
        role = p.get("role")
        if role not in ("source", "intervening_party"):
            raise CorridorError("must be source or intervening_party", field=f"parties[{i}].role", value=role)
        vocab = "source_connection" if role == "source" else "intervention"
        thesaurus.check_code(vocab, p.get("detail"), field=f"parties[{i}].detail")
        ev.parties.append(ArchiveEventParty(role=role, person_id=_person_id(s, org, p.get("person")),
                                            label=(p.get("label") or "")[:200], detail=p["detail"]))
    s.add(ev)
    s.flush()
    for sid in ev.segment_ids:   # segment-level indexing: the segments carry the event's act types
        for code in sorted({a.act_type for a in ev.acts}):
            if s.execute(select(ArchiveSegmentCode).where(ArchiveSegmentCode.segment_id == sid,
                                                          ArchiveSegmentCode.code == code)).first() is None:
                s.add(ArchiveSegmentCode(segment_id=sid, code=code))
    s.flush()
    _audit(s, clerk, org, "archive.event.create", "archive_event", ev.public_id, after=_state(ev))
    return ev


def _person_id(s: Session, org_id: int, ref) -> int | None:
    if ref in (None, ""):
        return None
    p = s.execute(select(ArchivePerson).where(ArchivePerson.public_id == str(ref))).scalar_one_or_none()
    if p is None or p.org_id != org_id:
        raise CorridorError("no such person in this organisation's archive", field="person", value=ref)
    return p.id


def code_segments(s: Session, clerk: Clerk, iv: ArchiveInterview, refs: Iterable, code: str) -> int:
    """Attach a thesaurus code (an act type) to segments; returns how many were new."""
    _require(clerk, ArchiveAction.CODE, iv.org_id)
    thesaurus.check_code("act_type", code, field="code")
    n = 0
    for sid in _segment_ids(iv, refs):
        if s.execute(select(ArchiveSegmentCode).where(ArchiveSegmentCode.segment_id == sid,
                                                      ArchiveSegmentCode.code == code)).first() is None:
            s.add(ArchiveSegmentCode(segment_id=sid, code=code))
            n += 1
    s.flush()
    _audit(s, clerk, iv.org_id, "archive.segment.code", "archive_interview", iv.public_id, after={"code": code, "n": n})
    return n


def add_exposure(s: Session, clerk: Clerk, iv: ArchiveInterview, *, channel: str, year: int | str | None = None,
                 source: str = "", influence: int | str | None = None, segment: str | None = None,
                 themes=None) -> ArchiveExposure:
    """Code what outside media the witness saw: the channel, the year, the source, its influence
    (1–5) and the content themes they describe (codes of :mod:`corridor.themes`, a list or text;
    no shares: a testimony tells what was seen, not how much of it)."""
    from corridor.evidence.vocabulary import CHANNELS
    from corridor.themes import UNKNOWN, parse_themes

    _require(clerk, ArchiveAction.CODE, iv.org_id)
    if channel not in CHANNELS:
        raise CorridorError("not an evidence channel", field="channel", value=channel, hint=", ".join(CHANNELS))
    thesaurus.check_code("media_source", source, field="source", optional=True)
    coded = parse_themes(themes, field="themes")
    if any(share is not None for share in coded.values()):
        raise CorridorError("a testimony's themes take no shares", field="themes",
                            value="; ".join(f"{c}:{v:g}" for c, v in coded.items() if v is not None))
    infl = None
    if influence not in (None, ""):
        try:
            infl = int(influence)
        except (TypeError, ValueError):
            infl = 0
        if not 1 <= infl <= 5:
            raise CorridorError("must be 1 to 5", field="influence", value=influence)
    seg_ids = _segment_ids(iv, [segment]) if segment else []
    e = ArchiveExposure(interview_id=iv.id, channel=channel, year=_year(year, "year", 1945, 2100),
                        source=source or "", influence=infl, segment_id=seg_ids[0] if seg_ids else None,
                        themes=" ".join(code for code in coded if code != UNKNOWN))
    s.add(e)
    s.flush()
    _audit(s, clerk, iv.org_id, "archive.exposure.add", "archive_interview", iv.public_id, after=_state(e))
    return e


def events_of(s: Session, iv: ArchiveInterview) -> list[ArchiveEvent]:
    return list(s.execute(select(ArchiveEvent).where(ArchiveEvent.interview_id == iv.id)
                          .order_by(ArchiveEvent.id)).scalars())


def exposures_of(s: Session, iv: ArchiveInterview) -> list[ArchiveExposure]:
    return list(s.execute(select(ArchiveExposure).where(ArchiveExposure.interview_id == iv.id)
                          .order_by(ArchiveExposure.id)).scalars())
