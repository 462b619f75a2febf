"""Counts of shared and published activities by channel, province and month (a derived view).

What a reader may learn from them about records it cannot read is stated and enforced in
:mod:`corridor.access.views` (``VIEWS["aggregates"]``): counts are made per reader, the reader's
own records are never mixed into what it is told of others, and a cell of other organisations'
records is given only when at least three of them contribute and none dominates (the threshold
and *p* % rules of FCSM Statistical Policy Working Paper 22), so that adding, removing or
comparing records of one's own cannot be subtracted into another organisation's count.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from corridor.access import views
from corridor.access.rules import Actor, Visibility
from corridor.coalition.tables import ActivityRecord, Campaign

#: The campaigns an aggregate counts: those shared with the coalition or published as aggregates.
PUBLISHED = (Visibility.COALITION.value, Visibility.AGGREGATE.value)
#: The province of an activity that names none (it targets the whole country).
ALL_PROVINCES = "(all)"


def cells_of(rec: ActivityRecord) -> frozenset[tuple[str, str, str]]:
    """The cells (channel, province, month) an activity counts in: one per province it targets."""
    month = rec.start.strftime("%Y-%m")
    return frozenset((rec.channel, province, month) for province in (rec.provinces or [ALL_PROVINCES]))


def counted(rows: Iterable[tuple[ActivityRecord, str]]) -> list[views.Counted]:
    """Activities with their campaign's visibility, as the access core's aggregate helpers take them."""
    return [views.Counted(org_id=rec.org_id, visibility=visibility, cells=cells_of(rec)) for rec, visibility in rows]


def published_activities(s: Session, *, visibility: Iterable[str] = PUBLISHED) -> list[views.Counted]:
    """Every activity of a campaign with one of ``visibility``, reduced to what counting needs."""
    q = (select(ActivityRecord, Campaign.visibility).join(Campaign, ActivityRecord.campaign_id == Campaign.id)
         .where(Campaign.visibility.in_(list(visibility))))
    return counted(s.execute(q))


def aggregates(s: Session, actor: Actor | None = None) -> list[dict]:
    """Counts of shared or published activities by channel, province and month, for ``actor``.

    Each row: ``activities`` (what the reader may be told: ``readable`` plus ``others`` when
    given), ``readable`` (activities it may read in full: its organisations' published ones and
    those shared with the coalition) and ``others`` (other organisations' activities published
    only as aggregates; ``null`` when withheld, which is not told apart from none). Without an
    ``actor`` nothing counts as readable and every organisation as another's.
    """
    cells = views.aggregate_cells(actor, published_activities(s))
    return [{"channel": channel, "province": province, "month": month, **cells[(channel, province, month)]}
            for channel, province, month in sorted(cells)]
