"""The long-format evidence schema, one table per concept (stored through :mod:`corridor.store`).

Designed from the instruments of the anchor studies (InterMedia 2012 and 2017, MOU 2024): a respondent, their
device access per device, their exposure per channel, their attitude items, and the study they
came from. Answers to yes/no items keep ``dont_know`` and ``refused`` apart from ``no``; every
respondent keeps its provenance (import, form id and version, submission id).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (Boolean, CheckConstraint, DateTime, ForeignKey, Integer, String, Text,
                        UniqueConstraint)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from corridor.store.base import ADDED_LATER, Base

_ANSWER_CHECK = "IN ('yes', 'no', 'dont_know', 'refused')"


class Study(Base):
    """A survey or interview programme (or a synthetic data set, flagged as such)."""

    __tablename__ = "evidence_study"
    id: Mapped[str] = mapped_column(String(120), primary_key=True)
    title: Mapped[str | None] = mapped_column(Text)
    publisher: Mapped[str | None] = mapped_column(String(200))
    year: Mapped[int | None] = mapped_column(Integer)
    mode: Mapped[str | None] = mapped_column(String(40))
    population_frame: Mapped[str | None] = mapped_column(Text)
    url: Mapped[str | None] = mapped_column(Text)
    synthetic: Mapped[bool] = mapped_column(Boolean, default=False)


class ImportBatch(Base):
    """One import of one file: all its rows were stored together, or none."""

    __tablename__ = "evidence_import"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    study_id: Mapped[str] = mapped_column(ForeignKey("evidence_study.id"))
    source_file: Mapped[str] = mapped_column(Text)
    source_format: Mapped[str] = mapped_column(String(40))
    form_id: Mapped[str | None] = mapped_column(String(120))
    form_version: Mapped[str | None] = mapped_column(String(60))
    imported_at: Mapped[datetime] = mapped_column(DateTime)
    rows: Mapped[int] = mapped_column(Integer)
    #: Version of the theme vocabulary the content answers use (migration 0008_theme_exposure).
    #: Added by migration 0008: left out of the audit's row hash while NULL (see ADDED_LATER).
    themes_version: Mapped[int | None] = mapped_column(Integer, nullable=True,
                                                       info={ADDED_LATER: "0008_theme_exposure"})


class Respondent(Base):
    """One interview: background, geography and timing of one person who left."""

    __tablename__ = "evidence_respondent"
    __table_args__ = (
        UniqueConstraint("study_id", "code"),
        CheckConstraint("sex IN ('male', 'female')", name="sex"),
        CheckConstraint("birth_year IS NULL OR year_left IS NULL OR birth_year <= year_left",
                        name="born_before_leaving"),
    )
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    study_id: Mapped[str] = mapped_column(ForeignKey("evidence_study.id"))
    import_id: Mapped[int] = mapped_column(ForeignKey("evidence_import.id"))
    code: Mapped[str] = mapped_column(String(120))            # respondent_id in the source
    submission_uuid: Mapped[str | None] = mapped_column(String(120))
    sex: Mapped[str] = mapped_column(String(6))
    birth_year: Mapped[int | None] = mapped_column(Integer)
    province: Mapped[str] = mapped_column(String(40))          # 2008 census province
    province_as_given: Mapped[str | None] = mapped_column(String(120))
    county: Mapped[str | None] = mapped_column(String(120))
    urban: Mapped[bool | None] = mapped_column(Boolean)
    year_left: Mapped[int] = mapped_column(Integer)
    year_arrived: Mapped[int | None] = mapped_column(Integer)
    months_in_china: Mapped[int | None] = mapped_column(Integer)
    occupation: Mapped[str | None] = mapped_column(String(40))
    market_activity: Mapped[str | None] = mapped_column(String(12))
    interview_mode: Mapped[str | None] = mapped_column(String(20))
    interview_date: Mapped[str | None] = mapped_column(String(10))
    exposures: Mapped[list[ChannelExposure]] = relationship(back_populates="respondent",
                                                             cascade="all, delete-orphan")
    devices: Mapped[list[DeviceAccess]] = relationship(cascade="all, delete-orphan")
    attitudes: Mapped[list[Attitude]] = relationship(cascade="all, delete-orphan")
    themes: Mapped[list[ThemeExposure]] = relationship(cascade="all, delete-orphan",
                                                       order_by="ThemeExposure.id")


class DeviceAccess(Base):
    """Access to one device: owned, used elsewhere, fixed-tuned or tunable."""

    __tablename__ = "evidence_device_access"
    __table_args__ = (
        UniqueConstraint("respondent_id", "device"),
        CheckConstraint(f"owned IS NULL OR owned {_ANSWER_CHECK}", name="owned"),
        CheckConstraint(f"used_elsewhere IS NULL OR used_elsewhere {_ANSWER_CHECK}", name="used_elsewhere"),
    )
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    respondent_id: Mapped[int] = mapped_column(ForeignKey("evidence_respondent.id", ondelete="CASCADE"))
    device: Mapped[str] = mapped_column(String(20))
    owned: Mapped[str | None] = mapped_column(String(10))
    used_elsewhere: Mapped[str | None] = mapped_column(String(10))
    tuning: Mapped[str | None] = mapped_column(String(10))


class ChannelExposure(Base):
    """Exposure to one channel: ever, first year, frequency, source, sharing, trust, influence."""

    __tablename__ = "evidence_channel_exposure"
    __table_args__ = (
        UniqueConstraint("respondent_id", "channel"),
        CheckConstraint(f"ever {_ANSWER_CHECK}", name="ever"),
        CheckConstraint("trust IS NULL OR trust BETWEEN 1 AND 5", name="trust"),
        CheckConstraint("influence IS NULL OR influence BETWEEN 1 AND 5", name="influence"),
        CheckConstraint("trust_answer IS NULL OR trust_answer IN ('value', 'dont_know', 'refused')",
                        name="trust_answer"),
        CheckConstraint("influence_answer IS NULL OR influence_answer IN ('value', 'dont_know', 'refused')",
                        name="influence_answer"),
    )
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    respondent_id: Mapped[int] = mapped_column(ForeignKey("evidence_respondent.id", ondelete="CASCADE"))
    channel: Mapped[str] = mapped_column(String(20))
    ever: Mapped[str] = mapped_column(String(10))
    first_year: Mapped[int | None] = mapped_column(Integer)
    frequency: Mapped[str | None] = mapped_column(String(12))  # last year before leaving
    sources: Mapped[str | None] = mapped_column(String(120))   # space-separated codes
    shared_n: Mapped[int | None] = mapped_column(Integer)
    trust: Mapped[int | None] = mapped_column(Integer)         # 1–5
    influence: Mapped[int | None] = mapped_column(Integer)     # 1–5
    #: ``value`` when trust/influence holds a 1–5 answer, else ``dont_know`` or ``refused``
    #: (migration 0003_evidence_detail).
    trust_answer: Mapped[str | None] = mapped_column(String(10))
    influence_answer: Mapped[str | None] = mapped_column(String(10))
    respondent: Mapped[Respondent] = relationship(back_populates="exposures")


class Attitude(Base):
    """One attitude item: a value 1–5, or an answer ``dont_know`` / ``refused``."""

    __tablename__ = "evidence_attitude"
    __table_args__ = (
        UniqueConstraint("respondent_id", "item"),
        CheckConstraint("value IS NULL OR value BETWEEN 1 AND 5", name="value"),
        CheckConstraint("answer IN ('value', 'dont_know', 'refused')", name="answer"),
    )
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    respondent_id: Mapped[int] = mapped_column(ForeignKey("evidence_respondent.id", ondelete="CASCADE"))
    item: Mapped[str] = mapped_column(String(40))
    value: Mapped[int | None] = mapped_column(Integer)
    answer: Mapped[str] = mapped_column(String(10), default="value")


class ThemeExposure(Base):
    """One answer to "which kinds of content did you see or hear" for one channel.

    ``theme`` is a code of the theme vocabulary (:func:`corridor.themes.vocabulary`; the import
    records its version), ``other`` (content outside the list), or the answer ``dont_know`` /
    ``refused``; one row per choice. A channel seen with no row was not asked about its
    content. Migration 0008_theme_exposure.
    """

    __tablename__ = "evidence_theme_exposure"
    __table_args__ = (UniqueConstraint("respondent_id", "channel", "theme"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    respondent_id: Mapped[int] = mapped_column(ForeignKey("evidence_respondent.id", ondelete="CASCADE"),
                                               index=True)
    channel: Mapped[str] = mapped_column(String(20))
    theme: Mapped[str] = mapped_column(String(40))
