"""Counts of shared and published activities by channel, province and month (a derived view).

What it may reveal is stated in :mod:`corridor.access.views`.
"""

from __future__ import annotations

from collections import Counter

from sqlalchemy import select
from sqlalchemy.orm import Session

from corridor.access.rules import Visibility
from corridor.coalition.tables import ActivityRecord, Campaign

#: Aggregate cells with fewer activities than this are shown as "< 3", never exactly.
SMALL_CELL = 3


def aggregates(s: Session, *, small_cell: int = SMALL_CELL) -> list[dict]:
    """Counts of shared or published activities by channel, province and month.

    Cells with fewer than ``small_cell`` activities show ``"< 3"`` instead of a number, so that
    no single activity of a small organisation can be picked out.
    """
    q = (select(ActivityRecord).join(Campaign)
         .where(Campaign.visibility.in_([Visibility.COALITION.value, Visibility.AGGREGATE.value])))
    counts: Counter = Counter()
    for rec in s.execute(q).scalars():
        month = rec.start.strftime("%Y-%m")
        for province in rec.provinces or ["(all)"]:
            counts[(rec.channel, province, month)] += 1
    out = []
    for (channel, province, month), n in sorted(counts.items()):
        out.append({"channel": channel, "province": province, "month": month,
                    "activities": n if n >= small_cell else f"< {small_cell}"})
    return out
