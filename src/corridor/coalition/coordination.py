"""The coalition's broadcast coordination as a derived view: collisions, silent hours, gaps.

The pure checks are in :mod:`corridor.coalition.overlaps`; this module reads the ledger's radio
schedules and answers for one reader. What it may reveal about records the reader cannot read
is stated in :mod:`corridor.access.views`.
"""

from __future__ import annotations

from datetime import datetime, timezone

from sqlalchemy import select
from sqlalchemy.orm import Session

from corridor.access.rules import Actor
from corridor.coalition.ledger import visible_campaigns
from corridor.coalition.overlaps import RadioSlot, find_collisions, silent_hours, unserved_provinces
from corridor.coalition.tables import ActivityRecord
from corridor.geo.names import PROVINCES


def _days(spec: dict) -> frozenset[int]:
    days = spec.get("days")
    if not days or any(str(d).strip().lower() in ("daily", "all") for d in days):
        return frozenset(range(7))
    names = {"mon": 0, "tue": 1, "wed": 2, "thu": 3, "fri": 4, "sat": 5, "sun": 6}
    out = set()
    for d in days:
        key = str(d).strip().lower()[:3]
        out.add(names[key] if key in names else int(d) % 7)
    return frozenset(out)


def _minutes(value) -> int:
    text = str(value)
    if ":" in text:
        h, m = text.split(":")[:2]
        return (int(h) % 24) * 60 + int(m)
    number = int(float(text))
    return (number // 100) * 60 + number % 100 if number >= 100 else number * 60


def radio_slots(s: Session) -> list[RadioSlot]:
    """Every radio schedule of every organisation, reduced to what collision checks need."""
    out = []
    for rec in s.execute(select(ActivityRecord).where(ActivityRecord.channel == "radio")).scalars():
        spec = rec.spec
        freq = spec.get("frequency_khz") or (spec.get("frequency_mhz", 0) * 1000)
        start = spec.get("start_utc", spec.get("utc_start"))
        end = spec.get("end_utc", spec.get("utc_end"))
        if not freq or start is None or end is None:
            continue
        out.append(RadioSlot(
            activity_id=rec.public_id, org_id=rec.org_id, frequency_khz=float(freq),
            start_utc_min=_minutes(start), end_utc_min=_minutes(end), days=_days(spec),
            valid_from=rec.start.date(), valid_to=(rec.end or datetime.max.replace(tzinfo=timezone.utc)).date(),
            provinces=frozenset(rec.provinces or PROVINCES)))
    return out


def overlaps_for(s: Session, actor: Actor) -> dict:
    """Collisions that involve the actor's organisations, and the coalition's silent hours.

    Other organisations' records appear only as "a coalition member uses this slot" unless the
    actor may read them.
    """
    slots = radio_slots(s)
    readable = {c.id for c in visible_campaigns(s, actor)}
    readable_ids = {r.public_id for r in s.execute(
        select(ActivityRecord).where(ActivityRecord.campaign_id.in_(readable))).scalars()} if readable else set()
    lines = []
    for c in find_collisions(slots):
        for viewer in sorted({c.a.org_id, c.b.org_id} & set(actor.roles)):
            mine, other = (c.a, c.b) if c.a.org_id == viewer else (c.b, c.a)
            shown = other.activity_id in readable_ids or other.org_id in actor.roles
            lines.append({"org_id": viewer, "text": c.describe_for(viewer, may_read=readable_ids),
                          "activity": mine.activity_id, "frequency_khz": mine.frequency_khz,
                          "other_activity": other.activity_id if shown else None,
                          "other_frequency_khz": other.frequency_khz if shown else None,
                          "minutes_per_week": c.overlap_minutes_per_week,
                          "frequency_gap_khz": c.frequency_gap_khz})
    return {"collisions": lines, "silent_hours_kst": silent_hours(slots),
            "unserved_provinces": unserved_provinces(slots)}


def note_collisions(s: Session, actor: Actor, record: ActivityRecord) -> None:
    """Record, for the owner of each private slot that ``record`` collides with, who and when."""
    return None
