"""Redaction review: the detector's suggestions (:mod:`corridor.archive.redact`), a reviewer's
decision, and the transcript as it may be shown once a review holds for its current text."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from corridor.access.rules import ArchiveAction
from corridor.archive import redact
from corridor.archive.records.common import Clerk, _audit, _require
from corridor.archive.tables import ArchiveInterview, ArchiveReview, ArchiveTranscript
from corridor.errors import CorridorError


def transcript_hash(tr: ArchiveTranscript) -> str:
    h = hashlib.sha256()
    for seg in tr.segments:
        h.update(f"{seg.seq}\x00{seg.text}\x01".encode())
    return h.hexdigest()


def suggestions(s: Session, clerk: Clerk, tr: ArchiveTranscript, iv: ArchiveInterview) -> list[tuple[int, redact.Span]]:
    """Detector suggestions for each segment: (segment seq, span)."""
    _require(clerk, ArchiveAction.REVIEW, iv.org_id)
    return [(seg.seq, span) for seg in tr.segments for span in redact.detect(seg.text, tr.lang)]


def record_review(s: Session, clerk: Clerk, iv: ArchiveInterview, tr: ArchiveTranscript,
                  spans: Iterable[Sequence], *, approved: bool = True) -> ArchiveReview:
    """A reviewer's decision: the spans (segment seq, start, end, kind) to hide in ``tr``."""
    _require(clerk, ArchiveAction.REVIEW, iv.org_id)
    lengths = {seg.seq: len(seg.text) for seg in tr.segments}
    clean = []
    for sp in spans:
        seq, start, end, kind = int(sp[0]), int(sp[1]), int(sp[2]), str(sp[3])
        if seq not in lengths or not 0 <= start < end <= lengths[seq] or kind not in redact.KINDS:
            raise CorridorError("span outside the transcript", field="spans", value=[seq, start, end, kind])
        clean.append([seq, start, end, kind])
    rv = ArchiveReview(transcript_id=tr.id, reviewer=clerk.label, text_sha256=transcript_hash(tr),
                       spans=sorted(clean), approved=approved)
    s.add(rv)
    s.flush()
    _audit(s, clerk, iv.org_id, "archive.review", "archive_interview", iv.public_id,
           after={"lang": tr.lang, "spans": len(clean), "approved": approved})
    return rv


def current_review(s: Session, tr: ArchiveTranscript) -> ArchiveReview | None:
    """The latest approved review of ``tr``, if it was made on the text as it is now."""
    rv = s.execute(select(ArchiveReview).where(ArchiveReview.transcript_id == tr.id)
                   .order_by(ArchiveReview.id.desc()).limit(1)).scalar_one_or_none()
    if rv is None or not rv.approved or rv.text_sha256 != transcript_hash(tr):
        return None
    return rv


def redacted_segments(tr: ArchiveTranscript, rv: ArchiveReview) -> list[dict]:
    by_seq: dict[int, list] = {}
    for seq, start, end, kind in rv.spans:
        by_seq.setdefault(seq, []).append((start, end, kind))
    return [{"seq": seg.seq, "start_s": seg.start_s, "end_s": seg.end_s,
             "text": redact.apply(seg.text, by_seq.get(seg.seq, []), tr.lang)} for seg in tr.segments]
