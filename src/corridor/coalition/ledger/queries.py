"""Read queries of the ledger: what an actor may read, counts, and the ledger's version.

The filters are made from the same rule table as :func:`corridor.access.rules.allowed`
(:data:`corridor.access.rules.CAMPAIGNS`), so a list never shows what a single read would refuse.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from corridor.access.rules import CAMPAIGNS, Action, Actor
from corridor.access.tables import AuditHead, Organisation
from corridor.coalition.tables import ActivityRecord, Campaign


def activity_counts(s: Session, campaign_ids: Sequence[int]) -> dict[int, int]:
    if not campaign_ids:
        return {}
    rows = s.execute(select(ActivityRecord.campaign_id, func.count(ActivityRecord.id))
                     .where(ActivityRecord.campaign_id.in_(list(campaign_ids)))
                     .group_by(ActivityRecord.campaign_id))
    return {cid: n for cid, n in rows}


def readable_campaign_filter(actor: Actor, action: Action = Action.CAMPAIGN_VIEW):
    """A SQL condition on :class:`Campaign` matching the campaigns ``actor`` may ``action``
    (made from the same rule table as :func:`corridor.access.rules.allowed`)."""
    return CAMPAIGNS.where(actor, action, org_id=Campaign.org_id, visibility=Campaign.visibility)


def visible_campaigns(s: Session, actor: Actor, *, channel: str | None = None) -> list[Campaign]:
    """Campaigns of the actor's organisations, and those other organisations share."""
    q = select(Campaign).where(readable_campaign_filter(actor))
    if channel:
        q = q.where(Campaign.channel == channel)
    return list(s.execute(q.order_by(Campaign.start_date.desc(), Campaign.id)).scalars())


def readable_activities(s: Session, actor: Actor, *, start: date | None = None, end: date | None = None,
                        limit: int = 1000) -> list[ActivityRecord]:
    """Activities of the campaigns ``actor`` may read, by start time (then id), starting on or after
    ``start`` and on or before ``end`` (whole days, UTC), at most ``limit``."""
    readable = readable_campaign_filter(actor)
    if readable is None:
        return []
    q = select(ActivityRecord).join(Campaign).where(readable).order_by(ActivityRecord.start, ActivityRecord.id)
    if start is not None:
        q = q.where(ActivityRecord.start >= datetime.combine(start, time.min, tzinfo=UTC))
    if end is not None:
        q = q.where(ActivityRecord.start < datetime.combine(end + timedelta(days=1), time.min, tzinfo=UTC))
    return list(s.execute(q.limit(limit)).scalars())


#: The ledger's version as plain SQL, for a reader without an ORM session (the web's fast path).
VERSION_SQL = "SELECT seq FROM audit_head WHERE id = 1"


def version(s: Session) -> int:
    """The ledger's version: the audit log's sequence number, which every write advances (so an
    answer computed at one version holds until the next write). 0 before the first write."""
    return s.scalar(select(AuditHead.seq).where(AuditHead.id == 1)) or 0


def counts(s: Session) -> dict[str, int]:
    return {"organisations": s.scalar(select(func.count(Organisation.id))),
            "campaigns": s.scalar(select(func.count(Campaign.id))),
            "activities": s.scalar(select(func.count(ActivityRecord.id)))}
