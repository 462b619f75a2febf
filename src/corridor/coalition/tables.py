"""Tables of the coalition ledger (SQLAlchemy 2): campaigns and activities. Migrations:
``corridor/store/migrations``. Organisations, users and the audit log are the access core's
(:mod:`corridor.access.tables`)."""

from __future__ import annotations

from datetime import date, datetime, timezone
from typing import Any

from sqlalchemy import (
    JSON,
    Date,
    DateTime,
    Float,
    ForeignKey,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

import corridor.access.tables  # noqa: F401  (organisations, which campaigns belong to)
from corridor.store.base import ADDED_LATER, Base


def utcnow() -> datetime:
    return datetime.now(timezone.utc)

class Campaign(Base):
    __tablename__ = "campaign"

    id: Mapped[int] = mapped_column(primary_key=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("organisation.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    channel: Mapped[str] = mapped_column(String(40))
    goal: Mapped[str] = mapped_column(Text, default="")
    start_date: Mapped[date] = mapped_column(Date)
    end_date: Mapped[date | None] = mapped_column(Date, nullable=True)
    budget_amount: Mapped[float | None] = mapped_column(Float, nullable=True)
    budget_currency: Mapped[str] = mapped_column(String(3), default="USD")
    budget_usd: Mapped[float | None] = mapped_column(Float, nullable=True)
    visibility: Mapped[str] = mapped_column(String(20), default="private")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, onupdate=utcnow)

    activities: Mapped[list["ActivityRecord"]] = relationship(back_populates="campaign",
                                                              cascade="all, delete-orphan",
                                                              order_by="ActivityRecord.start")


class ActivityRecord(Base):
    """One activity of a campaign; ``spec`` is validated by the channel's own model on write."""

    __tablename__ = "activity"
    __table_args__ = (UniqueConstraint("org_id", "public_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    public_id: Mapped[str] = mapped_column(String(200))
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaign.id", ondelete="CASCADE"), index=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("organisation.id", ondelete="CASCADE"), index=True)
    channel: Mapped[str] = mapped_column(String(40), index=True)
    title: Mapped[str] = mapped_column(String(300), default="")
    start: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
    end: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    spec: Mapped[dict[str, Any]] = mapped_column(JSON)
    provinces: Mapped[list[str]] = mapped_column(JSON, default=list)
    #: Content themes ``{code: share or None}`` (:mod:`corridor.themes`); NULL when none were given
    #: (every row written before themes existed, and any since without them).
    #: Added by migration 0007: left out of the audit's row hash while NULL (see ADDED_LATER).
    themes: Mapped[dict[str, float | None] | None] = mapped_column(JSON(none_as_null=True), nullable=True,
                                                                       default=None,
                                                                       info={ADDED_LATER: "0007_activity_themes"})
    cost_amount: Mapped[float | None] = mapped_column(Float, nullable=True)
    cost_currency: Mapped[str] = mapped_column(String(3), default="USD")
    cost_usd: Mapped[float | None] = mapped_column(Float, nullable=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, onupdate=utcnow)

    campaign: Mapped[Campaign] = relationship(back_populates="activities")


