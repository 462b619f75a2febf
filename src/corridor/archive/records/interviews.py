"""Interviews: transcripts in Korean and English cut into segments, their media files, and the
reads of an interview, its person and their consents."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from corridor.access.errors import NotFound
from corridor.access.rules import ArchiveAction
from corridor.archive import search as search_mod
from corridor.archive.records.common import (
    Clerk,
    _audit,
    _date,
    _require,
    _state,
    new_public_id,
)
from corridor.archive.tables import (
    ArchiveConsent,
    ArchiveInterview,
    ArchiveMedia,
    ArchivePerson,
    ArchiveSegment,
    ArchiveTranscript,
)
from corridor.errors import CorridorError

MAX_SEGMENT_CHARS = 20_000
MAX_TRANSCRIPT_CHARS = 400_000


def split_paragraphs(text: str) -> list[str]:
    """Paragraphs (separated by blank lines) as segments."""
    parts = [p.strip() for p in re.split(r"\n\s*\n", text.replace("\r\n", "\n"))]
    return [p for p in parts if p]


def _segments(s: Session, transcript: ArchiveTranscript, interview: ArchiveInterview,
              segments: Sequence[Mapping[str, Any]]) -> None:
    total = 0
    for seq, seg in enumerate(segments, start=1):
        text = str(seg.get("text", "")).strip()
        if not text:
            raise CorridorError("a segment is empty", field=f"segments[{seq}]")
        if len(text) > MAX_SEGMENT_CHARS:
            raise CorridorError(f"a segment is longer than {MAX_SEGMENT_CHARS:,} characters; split it",
                                field=f"segments[{seq}]")
        total += len(text)
        start_s, end_s = seg.get("start_s"), seg.get("end_s")
        if start_s is not None and end_s is not None and float(end_s) < float(start_s):
            raise CorridorError("ends before it starts", field=f"segments[{seq}].end_s", value=end_s)
        transcript.segments.append(ArchiveSegment(
            interview_id=interview.id, org_id=interview.org_id, seq=seq, text=text,
            search_text=search_mod.search_text(text),
            start_s=None if start_s is None else float(start_s), end_s=None if end_s is None else float(end_s)))
    if total > MAX_TRANSCRIPT_CHARS:
        raise CorridorError(f"longer than {MAX_TRANSCRIPT_CHARS:,} characters", field="transcript")


def add_interview(s: Session, clerk: Clerk, person: ArchivePerson, *, interviewer: str,
                  interviewed_on: date | str, place: str = "",
                  transcripts: Sequence[Mapping[str, Any]] = ()) -> ArchiveInterview:
    """An interview with its transcripts: each ``{"lang", "original": bool, "translator",
    "text"}`` (split into paragraphs) or ``{"lang", ..., "segments": [{"text", "start_s", "end_s"}]}``."""
    _require(clerk, ArchiveAction.ENTER, person.org_id)
    interviewer = (interviewer or "").strip()
    if not interviewer:
        raise CorridorError("must not be empty", field="interviewer")
    iv = ArchiveInterview(org_id=person.org_id, public_id=new_public_id("I"), person_id=person.id,
                          interviewer=interviewer[:200], interviewed_on=_date(interviewed_on, "interviewed_on"),
                          place=(place or "").strip()[:200])
    s.add(iv)
    s.flush()
    originals = 0
    for t in transcripts:
        add_transcript(s, clerk, iv, lang=t.get("lang", ""), original=bool(t.get("original")),
                       translator=t.get("translator"), text=t.get("text"), segments=t.get("segments"), _audit_it=False)
        originals += bool(t.get("original"))
    if transcripts and originals != 1:
        raise CorridorError("exactly one transcript must be the original", field="transcripts")
    _audit(s, clerk, iv.org_id, "archive.interview.create", "archive_interview", iv.public_id, after=_state(iv))
    return iv


def add_transcript(s: Session, clerk: Clerk, iv: ArchiveInterview, *, lang: str, original: bool,
                   translator: str | None = None, text: str | None = None,
                   segments: Sequence[Mapping[str, Any]] | None = None, _audit_it: bool = True) -> ArchiveTranscript:
    _require(clerk, ArchiveAction.ENTER, iv.org_id)
    if lang not in ("ko", "en"):
        raise CorridorError("must be ko or en", field="lang", value=lang)
    if not original and not (translator or "").strip():
        raise CorridorError("a translation needs its translator", field="translator")
    if any(t.lang == lang for t in iv.transcripts):
        raise CorridorError("this interview already has a transcript in this language", field="lang", value=lang)
    tr = ArchiveTranscript(interview_id=iv.id, lang=lang, is_original=original,
                           translator=(translator or "").strip()[:200] or None)
    iv.transcripts.append(tr)
    s.flush()
    segs = list(segments) if segments is not None else [{"text": p} for p in split_paragraphs(text or "")]
    if not segs:
        raise CorridorError("the transcript is empty", field=f"transcript.{lang}")
    _segments(s, tr, iv, segs)
    s.flush()
    if _audit_it:
        _audit(s, clerk, iv.org_id, "archive.transcript.create", "archive_interview", iv.public_id,
               after={"lang": lang, "segments": len(segs)})
    return tr


def get_interview(s: Session, clerk: Clerk, public_id: str, action: ArchiveAction = ArchiveAction.VIEW
                  ) -> ArchiveInterview:
    iv = s.execute(select(ArchiveInterview).where(ArchiveInterview.public_id == public_id)).scalar_one_or_none()
    if iv is None or not clerk.may(ArchiveAction.VIEW, iv.org_id):
        raise NotFound("no such interview")
    _require(clerk, action, iv.org_id)
    return iv


def interviews_of(s: Session, clerk: Clerk, org_id: int, *, limit: int = 100) -> list[ArchiveInterview]:
    _require(clerk, ArchiveAction.VIEW, org_id)
    return list(s.execute(select(ArchiveInterview).where(ArchiveInterview.org_id == org_id)
                          .order_by(ArchiveInterview.id.desc()).limit(limit)).scalars())


def person_of(s: Session, iv: ArchiveInterview) -> ArchivePerson:
    """The (sealed) person an interview is with; ``iv`` comes from :func:`get_interview`, which
    checked the clerk's right to it."""
    return s.get(ArchivePerson, iv.person_id)


def people_of(s: Session, interviews: Sequence[ArchiveInterview]) -> dict[int, ArchivePerson]:
    """The (sealed) people of interviews already read with :func:`interviews_of`, by their id."""
    ids = sorted({iv.person_id for iv in interviews})
    if not ids:
        return {}
    return {p.id: p for p in s.execute(select(ArchivePerson).where(ArchivePerson.id.in_(ids))).scalars()}


def consents_of(s: Session, person: ArchivePerson) -> dict[str, ArchiveConsent]:
    """A person's consent records, by use (:class:`corridor.archive.consent.Use` value)."""
    return {c.use: c for c in s.execute(select(ArchiveConsent).where(ArchiveConsent.person_id == person.id)).scalars()}


def add_media(s: Session, clerk: Clerk, iv: ArchiveInterview, *, kind: str, filename: str, sha256: str,
              size_bytes: int, reference: str = "", stored: bool = False,
              active_content: str | None = None) -> ArchiveMedia:
    _require(clerk, ArchiveAction.ENTER, iv.org_id)
    if kind not in ("audio", "video", "document", "image"):
        raise CorridorError("must be audio, video, document or image", field="kind", value=kind)
    if not re.fullmatch(r"[0-9a-f]{64}", sha256 or ""):
        raise CorridorError("must be a SHA-256 in hex (64 characters)", field="sha256", value=sha256)
    if not stored and not reference.strip():
        raise CorridorError("say where the file is kept", field="reference")
    m = ArchiveMedia(interview_id=iv.id, kind=kind, filename=filename[:300], sha256=sha256, size_bytes=int(size_bytes),
                     reference=reference.strip()[:500], stored=stored, active_content=active_content)
    s.add(m)
    s.flush()
    _audit(s, clerk, iv.org_id, "archive.media.add", "archive_interview", iv.public_id, after=_state(m))
    return m
