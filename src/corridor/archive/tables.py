"""Tables of the testimony archive (SQLAlchemy 2). Migration: ``0004_archive``.

People are pseudonymous records; their real identity is one sealed blob (``sealed_identity``)
that only the organisation's private key opens. Everything else (consent, interviews,
transcripts in segments, files by content hash, HURIDOCS events with acts, involvements and
source or intervening parties, media-exposure codes, reviews and exports) refers to the
pseudonymous ``archive_person`` row. Every row belongs to one organisation.

The full-text index (an SQLite FTS5 table, or a PostgreSQL GIN index) is derived data: it is
built by :func:`corridor.archive.search.ensure_index` from ``archive_segment.search_text`` and
never holds anything the segment rows do not.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from corridor.access.tables import ArchiveMembership  # noqa: F401  (owned by the access core)
from corridor.store.base import ADDED_LATER, Base


def utcnow() -> datetime:
    return datetime.now(UTC)


class ArchiveKey(Base):
    """An organisation's public key for sealing identities; the private key, if kept here at all,
    only wrapped under a passphrase (Argon2id + XSalsa20-Poly1305)."""

    __tablename__ = "archive_key"

    id: Mapped[int] = mapped_column(primary_key=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("organisation.id", ondelete="CASCADE"), unique=True)
    public_key: Mapped[bytes] = mapped_column(LargeBinary)
    fingerprint: Mapped[str] = mapped_column(String(32))
    wrapped_private_key: Mapped[bytes | None] = mapped_column(LargeBinary, nullable=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)



class ArchivePerson(Base):
    """A witness or victim under a pseudonym; the real identity is sealed."""

    __tablename__ = "archive_person"
    __table_args__ = (CheckConstraint("sex IN ('female', 'male', 'other', 'unknown')", name="sex"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("organisation.id", ondelete="CASCADE"), index=True)
    public_id: Mapped[str] = mapped_column(String(20), unique=True)
    pseudonym: Mapped[str] = mapped_column(String(120))
    sex: Mapped[str] = mapped_column(String(10), default="unknown")
    birth_decade: Mapped[int | None] = mapped_column(Integer, nullable=True)
    province: Mapped[str | None] = mapped_column(String(40), nullable=True)
    year_left: Mapped[int | None] = mapped_column(Integer, nullable=True)
    sealed_identity: Mapped[bytes | None] = mapped_column(LargeBinary, nullable=True)
    key_fingerprint: Mapped[str | None] = mapped_column(String(32), nullable=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    consents: Mapped[list[ArchiveConsent]] = relationship(cascade="all, delete-orphan")


class ArchiveConsent(Base):
    """Consent of one person for one use: given or refused, when, and how."""

    __tablename__ = "archive_consent"
    __table_args__ = (UniqueConstraint("person_id", "use"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("archive_person.id", ondelete="CASCADE"))
    use: Mapped[str] = mapped_column(String(20))
    granted: Mapped[bool] = mapped_column(Boolean)
    given_on: Mapped[date] = mapped_column(Date)
    method: Mapped[str] = mapped_column(String(20))
    recorded_by: Mapped[str] = mapped_column(String(200))


class ArchiveInterview(Base):
    """Who interviewed whom, when, where (a city or "online", never an address)."""

    __tablename__ = "archive_interview"

    id: Mapped[int] = mapped_column(primary_key=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("organisation.id", ondelete="CASCADE"), index=True)
    public_id: Mapped[str] = mapped_column(String(20), unique=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("archive_person.id", ondelete="CASCADE"), index=True)
    interviewer: Mapped[str] = mapped_column(String(200))
    interviewed_on: Mapped[date] = mapped_column(Date)
    place: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    transcripts: Mapped[list[ArchiveTranscript]] = relationship(cascade="all, delete-orphan",
                                                                  order_by="ArchiveTranscript.id")


class ArchiveTranscript(Base):
    """One language version of an interview: the original or a translation (with its translator)."""

    __tablename__ = "archive_transcript"
    __table_args__ = (UniqueConstraint("interview_id", "lang"),
                      CheckConstraint("lang IN ('ko', 'en')", name="lang"))

    id: Mapped[int] = mapped_column(primary_key=True)
    interview_id: Mapped[int] = mapped_column(ForeignKey("archive_interview.id", ondelete="CASCADE"))
    lang: Mapped[str] = mapped_column(String(2))
    is_original: Mapped[bool] = mapped_column(Boolean)
    translator: Mapped[str | None] = mapped_column(String(200), nullable=True)

    segments: Mapped[list[ArchiveSegment]] = relationship(cascade="all, delete-orphan",
                                                            order_by="ArchiveSegment.seq")


class ArchiveSegment(Base):
    """A paragraph or a time range of a transcript: the unit that is coded and searched."""

    __tablename__ = "archive_segment"
    __table_args__ = (UniqueConstraint("transcript_id", "seq"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    transcript_id: Mapped[int] = mapped_column(ForeignKey("archive_transcript.id", ondelete="CASCADE"))
    interview_id: Mapped[int] = mapped_column(ForeignKey("archive_interview.id", ondelete="CASCADE"), index=True)
    org_id: Mapped[int] = mapped_column(Integer)
    seq: Mapped[int] = mapped_column(Integer)
    start_s: Mapped[float | None] = mapped_column(Float, nullable=True)
    end_s: Mapped[float | None] = mapped_column(Float, nullable=True)
    text: Mapped[str] = mapped_column(Text)
    search_text: Mapped[str] = mapped_column(Text)


class ArchiveSegmentCode(Base):
    """A thesaurus code attached to one segment (segment-level indexing)."""

    __tablename__ = "archive_segment_code"
    __table_args__ = (UniqueConstraint("segment_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    segment_id: Mapped[int] = mapped_column(ForeignKey("archive_segment.id", ondelete="CASCADE"))
    code: Mapped[str] = mapped_column(String(60), index=True)


class ArchiveMedia(Base):
    """An audio, video or document file: by reference and content hash; bytes kept inert if stored."""

    __tablename__ = "archive_media"

    id: Mapped[int] = mapped_column(primary_key=True)
    interview_id: Mapped[int] = mapped_column(ForeignKey("archive_interview.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    filename: Mapped[str] = mapped_column(String(300))
    size_bytes: Mapped[int] = mapped_column(BigInteger)
    sha256: Mapped[str] = mapped_column(String(64))
    reference: Mapped[str] = mapped_column(String(500), default="")
    stored: Mapped[bool] = mapped_column(Boolean, default=False)
    active_content: Mapped[str | None] = mapped_column(String(60), nullable=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class ArchiveEvent(Base):
    """A HURIDOCS event: something with a beginning and an end, made of one or more acts."""

    __tablename__ = "archive_event"
    __table_args__ = (Index("ix_archive_event_org_start", "org_id", "start_date"),
                      Index("ix_archive_event_org_province", "org_id", "province", "start_date"))

    id: Mapped[int] = mapped_column(primary_key=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("organisation.id", ondelete="CASCADE"))
    public_id: Mapped[str] = mapped_column(String(20), unique=True)
    interview_id: Mapped[int | None] = mapped_column(ForeignKey("archive_interview.id", ondelete="CASCADE"),
                                                     nullable=True, index=True)
    title: Mapped[str] = mapped_column(String(300))
    summary: Mapped[str] = mapped_column(Text, default="")
    start_date: Mapped[date | None] = mapped_column(Date, nullable=True)
    start_precision: Mapped[str] = mapped_column(String(8), default="unknown")
    end_date: Mapped[date | None] = mapped_column(Date, nullable=True)
    end_precision: Mapped[str] = mapped_column(String(8), default="unknown")
    province: Mapped[str | None] = mapped_column(String(40), nullable=True)
    county: Mapped[str | None] = mapped_column(String(120), nullable=True)
    facility: Mapped[str | None] = mapped_column(String(200), nullable=True)
    facility_type: Mapped[str | None] = mapped_column(String(40), nullable=True)
    segment_ids: Mapped[list[int]] = mapped_column(JSON, default=list)

    acts: Mapped[list[ArchiveAct]] = relationship(cascade="all, delete-orphan", order_by="ArchiveAct.id")
    parties: Mapped[list[ArchiveEventParty]] = relationship(cascade="all, delete-orphan",
                                                              order_by="ArchiveEventParty.id")


class ArchiveAct(Base):
    """One act of an event: who it was done to (a person in the archive or a description) and what."""

    __tablename__ = "archive_act"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("archive_event.id", ondelete="CASCADE"), index=True)
    act_type: Mapped[str] = mapped_column(String(60), index=True)
    victim_id: Mapped[int | None] = mapped_column(ForeignKey("archive_person.id", ondelete="SET NULL"),
                                                  nullable=True)
    victim_label: Mapped[str] = mapped_column(String(200), default="")
    method: Mapped[str | None] = mapped_column(String(60), nullable=True)

    involvements: Mapped[list[ArchiveInvolvement]] = relationship(cascade="all, delete-orphan",
                                                                    order_by="ArchiveInvolvement.id")


class ArchiveInvolvement(Base):
    """A perpetrator's part in an act (HURIDOCS "Involvement", with the degree of involvement)."""

    __tablename__ = "archive_involvement"

    id: Mapped[int] = mapped_column(primary_key=True)
    act_id: Mapped[int] = mapped_column(ForeignKey("archive_act.id", ondelete="CASCADE"), index=True)
    perpetrator: Mapped[str] = mapped_column(String(60))
    perpetrator_label: Mapped[str] = mapped_column(String(200), default="")
    degree: Mapped[str] = mapped_column(String(40))


class ArchiveEventParty(Base):
    """A source of information on an event, or an intervening party."""

    __tablename__ = "archive_event_party"
    __table_args__ = (CheckConstraint("role IN ('source', 'intervening_party')", name="role"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("archive_event.id", ondelete="CASCADE"), index=True)
    role: Mapped[str] = mapped_column(String(20))
    person_id: Mapped[int | None] = mapped_column(ForeignKey("archive_person.id", ondelete="SET NULL"),
                                                  nullable=True)
    label: Mapped[str] = mapped_column(String(200), default="")
    detail: Mapped[str] = mapped_column(String(60), default="")  # source connection or intervention type


class ArchiveExposure(Base):
    """What outside media the witness saw: channel, year, source, influence, content themes (feeds ``evidence``)."""

    __tablename__ = "archive_exposure"
    __table_args__ = (CheckConstraint("influence IS NULL OR influence BETWEEN 1 AND 5", name="influence"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    interview_id: Mapped[int] = mapped_column(ForeignKey("archive_interview.id", ondelete="CASCADE"), index=True)
    channel: Mapped[str] = mapped_column(String(20))
    year: Mapped[int | None] = mapped_column(Integer, nullable=True)
    source: Mapped[str] = mapped_column(String(60), default="")
    influence: Mapped[int | None] = mapped_column(Integer, nullable=True)
    segment_id: Mapped[int | None] = mapped_column(ForeignKey("archive_segment.id", ondelete="SET NULL"),
                                                   nullable=True)
    #: Kinds of content seen: space-separated codes of the theme vocabulary (migration
    #: 0008_theme_exposure); empty when not coded.
    #: Added by migration 0008: left out of the audit's row hash while empty (see ADDED_LATER).
    themes: Mapped[str] = mapped_column(String(400), default="", server_default="",
                                        info={ADDED_LATER: "0008_theme_exposure"})


class ArchiveReview(Base):
    """A reviewer's redaction decision for one transcript: the spans to hide, for the text as it was."""

    __tablename__ = "archive_review"

    id: Mapped[int] = mapped_column(primary_key=True)
    transcript_id: Mapped[int] = mapped_column(ForeignKey("archive_transcript.id", ondelete="CASCADE"),
                                               index=True)
    reviewer: Mapped[str] = mapped_column(String(200))
    decided_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    text_sha256: Mapped[str] = mapped_column(String(64))
    spans: Mapped[list[Any]] = mapped_column(JSON)   # [[segment seq, start, end, kind], ...]
    approved: Mapped[bool] = mapped_column(Boolean)


class ArchiveExport(Base):
    """One export that left the archive: for which use, by whom, what, and the hash of the file."""

    __tablename__ = "archive_export"

    id: Mapped[int] = mapped_column(primary_key=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("organisation.id", ondelete="CASCADE"), index=True)
    use: Mapped[str] = mapped_column(String(20))
    form: Mapped[str] = mapped_column(String(20))
    actor: Mapped[str] = mapped_column(String(200))
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    interviews: Mapped[list[str]] = mapped_column(JSON)
    sha256: Mapped[str] = mapped_column(String(64))


class ArchiveSavedSearch(Base):
    """A search kept under a random id, so that its URL carries no search terms at all."""

    __tablename__ = "archive_saved_search"

    token: Mapped[str] = mapped_column(String(43), primary_key=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("organisation.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"))
    #: The search's parameters, sealed with the server key (never kept as plain text).
    sealed_params: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
