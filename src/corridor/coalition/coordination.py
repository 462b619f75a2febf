"""The coalition's broadcast coordination as a derived view: collisions, silent hours, gaps.

The pure checks are in :mod:`corridor.coalition.overlaps`; this module reads the ledger's radio
schedules and answers for one reader, asking :mod:`corridor.access.views` what it may reveal
about schedules the reader cannot read:

- **collisions** are answered for the reader's own saved schedules only; a slot it may not read
  is "a coalition member uses a slot that collides with yours", with no number, province or id;
- **matches**: every write that collides with a slot its organisation may not read is written
  to the audit log under the slot owner's organisation (:func:`note_collisions`, called by the
  ledger after each activity is created or changed) and listed for the owner, so that someone
  probing with test schedules is seen by the one probed;
- **silent hours** and **unserved provinces** are gaps in the schedules the reader may read.
"""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from corridor.access import views
from corridor.access.audit import append_audit
from corridor.access.members import actor_label
from corridor.access.rules import Actor
from corridor.access.tables import AuditEntry, Organisation
from corridor.channels.radio.schedule import RadioSpec
from corridor.coalition.overlaps import (
    MINUTES_PER_DAY,
    RadioSlot,
    collisions_of,
    silent_hours,
    unserved_provinces,
)
from corridor.coalition.tables import ActivityRecord, Campaign
from corridor.geo.names import PROVINCES

#: The audit action of a write that collided with a slot its organisation may not read.
MATCH_ACTION = "collision.match"
#: How many of the latest matches an organisation's overlaps page lists.
MATCHES_SHOWN = 500


def slot_of(rec: ActivityRecord, visibility: str) -> RadioSlot | None:
    """A ledger activity as a radio slot (None for other channels).

    The spec was validated by :class:`~corridor.channels.radio.schedule.RadioSpec` when it was
    written, so it is read back through the same model without validating it again.
    """
    if rec.channel != "radio":
        return None
    spec = RadioSpec.model_construct(**(rec.spec or {}))
    start, end = spec.minutes_utc()
    return RadioSlot(
        activity_id=rec.public_id, org_id=rec.org_id, frequency_khz=float(spec.frequency_khz),
        start_utc_min=start, end_utc_min=end % MINUTES_PER_DAY, days=spec.weekdays(),
        valid_from=rec.start.date(), valid_to=(rec.end or datetime.max.replace(tzinfo=UTC)).date(),
        provinces=frozenset(rec.provinces or PROVINCES), visibility=visibility, record_id=rec.id)


def radio_slots(s: Session, *, except_org: int | None = None) -> list[RadioSlot]:
    """Every radio schedule in the ledger (of every organisation, or of all but ``except_org``),
    with its campaign's visibility, reduced to what collision checks need. Not an answer for
    anyone: callers pass the slots through :mod:`corridor.access.views`."""
    q = (select(ActivityRecord, Campaign.visibility).join(Campaign, ActivityRecord.campaign_id == Campaign.id)
         .where(ActivityRecord.channel == "radio").order_by(ActivityRecord.id))
    if except_org is not None:
        q = q.where(ActivityRecord.org_id != except_org)
    out = []
    for rec, visibility in s.execute(q):
        slot = slot_of(rec, visibility)
        if slot is not None:
            out.append(slot)
    return out


def _collision_pairs(actor: Actor, slots: list[RadioSlot]):
    """(mine, other, about mine, about the other and the collision) for each collision of a
    saved slot of the actor's organisations with another organisation's slot."""
    member_text = views.MEMBER_COLLIDES
    for slot in slots:
        if slot.org_id not in actor.roles:
            continue
        for c in collisions_of(slot, slots):
            mine, other = c.a, c.b
            about_mine = {"org_id": mine.org_id, "activity": mine.activity_id, "frequency_khz": mine.frequency_khz,
                          "text": c.describe_for(mine.org_id, shown=False, member_text=member_text)}
            about_pair = {"other_activity": other.activity_id, "other_frequency_khz": other.frequency_khz,
                          "minutes_per_week": c.overlap_minutes_per_week,
                          "frequency_gap_khz": c.frequency_gap_khz,
                          "provinces": sorted(c.provinces),
                          "text": c.describe_for(mine.org_id, shown=True, member_text=member_text)}
            yield mine, other, about_mine, about_pair


def _line_order(line: dict) -> tuple:
    """Lines sorted by what the reader may see, so that their order reveals nothing more."""
    return (line["org_id"], line["activity"], not line["shown"], line.get("other_activity") or "")


def overlaps_for(s: Session, actor: Actor) -> dict:
    """The coordination view for one reader.

    ``collisions``: for the reader's own saved schedules (see :func:`views.collision_lines`);
    ``matches``: writes of others that collided with the reader's organisations' slots;
    ``silent_hours_kst`` and ``unserved_provinces``: over the schedules the reader may read
    (``gaps_counted_over`` says so).
    """
    slots = radio_slots(s)
    readable = views.readable_only(actor, slots)
    lines = sorted(views.collision_lines(actor, _collision_pairs(actor, slots)), key=_line_order)
    return {"collisions": lines,
            "matches": matches_for(s, actor),
            "silent_hours_kst": silent_hours(readable),
            "unserved_provinces": unserved_provinces(readable),
            "gaps_counted_over": "schedules_you_may_read"}


def schedule_digest(slot: RadioSlot) -> str:
    """A short digest of what a slot schedules (frequency, hours, days, season, targets): two
    writes with the same digest are one schedule, however often it is saved or renamed."""
    key = (slot.frequency_khz, slot.start_utc_min, slot.end_utc_min, sorted(slot.days), str(slot.valid_from),
           str(slot.valid_to), sorted(slot.provinces))
    return hashlib.sha256(repr(key).encode()).hexdigest()[:12]


def _match_id(slot: RadioSlot, record: ActivityRecord, written: RadioSlot) -> str:
    """The audit entry's id of a match: ``<slot's row>:<writer's organisation>:<writer's row>:
    <digest of the schedule written>:<writer's id>`` (the writer's public id kept, cut to fit, so
    the match stays legible after a deletion)."""
    return f"{slot.record_id}:{record.org_id}:{record.id}:{schedule_digest(written)}:{record.public_id}"[:200]


def note_collisions(s: Session, actor: Actor, record: ActivityRecord) -> None:
    """Record, for the owner of each slot that ``record`` collides with and that ``record``'s
    organisation may not read, who collided and when (an audit entry under the owner's
    organisation, listed on its overlaps page).

    Called by the ledger after every write of an activity (created, changed, imported).
    """
    note_collisions_many(s, actor, [record])


def note_collisions_many(s: Session, actor: Actor, records: list[ActivityRecord]) -> None:
    """:func:`note_collisions` for several records of one write (the schedules read once)."""
    radio = [r for r in records if r.channel == "radio"]
    if not radio:
        return
    visibility = {c.id: c.visibility for c in s.execute(
        select(Campaign).where(Campaign.id.in_({r.campaign_id for r in radio}))).scalars()}
    by_org: dict[int, list[RadioSlot]] = {}
    for record in radio:
        slot = slot_of(record, visibility[record.campaign_id])
        if slot is None:
            continue
        if record.org_id not in by_org:
            by_org[record.org_id] = radio_slots(s, except_org=record.org_id)
        for c in collisions_of(slot, by_org[record.org_id]):
            other = c.b
            if views.must_note_collision(record.org_id, other):
                append_audit(s, actor=actor_label(actor), org_id=other.org_id, action=MATCH_ACTION,
                             entity="collision", entity_id=_match_id(other, record, slot), before=None,
                             after={"activity": other.record_id, "by_org": record.org_id, "by_activity": record.id,
                                    "by_public_id": record.public_id})


def matches_for(s: Session, actor: Actor, *, limit: int = MATCHES_SHOWN) -> list[dict]:
    """The latest matches against the slots of the actor's organisations: when, which of its
    activities, and which organisation and activity collided with it, named once that
    organisation has written enough different colliding schedules
    (:func:`corridor.access.views.name_writer`)."""
    orgs = views.match_organisations(actor)
    if not orgs:
        return []
    entries = s.execute(select(AuditEntry).where(AuditEntry.action == MATCH_ACTION, AuditEntry.org_id.in_(orgs))
                        .order_by(AuditEntry.seq.desc()).limit(limit)).scalars().all()
    parsed = []
    for e in entries:
        parts = e.entity_id.split(":", 4)
        if len(parts) != 5 or not all(p.isdigit() for p in parts[:3]):
            continue
        parsed.append((e, int(parts[0]), int(parts[1]), parts[3], parts[4]))
    if not parsed:
        return []
    schedules: dict[tuple[int, int], set[str]] = {}
    for e, _slot, by_org, digest, _public in parsed:
        schedules.setdefault((e.org_id, by_org), set()).add(digest)
    names = {o.id: o.name for o in s.execute(
        select(Organisation).where(Organisation.id.in_({p[2] for p in parsed}))).scalars()}
    own = {r.id: r.public_id for r in s.execute(
        select(ActivityRecord).where(ActivityRecord.id.in_({p[1] for p in parsed}),
                                     ActivityRecord.org_id.in_(orgs))).scalars()}
    out = []
    for e, slot_id, by_org, _digest, by_public in parsed:
        named = views.name_writer(len(schedules[(e.org_id, by_org)]))
        out.append({"org_id": e.org_id, "at": e.at, "activity": own.get(slot_id),
                    "by_organisation": names.get(by_org) if named else None,
                    "by_activity": by_public if named else None, "named": named})
    return out


def landscape_day(slots: list[RadioSlot], today):
    """The day the radio landscape shows when none is asked for: ``today`` if a public schedule
    covers it, else a month into the newest public season (a day the schedule describes), else
    ``today``. Returns (day, whether it is ``today``)."""
    from datetime import timedelta

    from corridor.access.rules import Visibility

    public = [x for x in slots if x.visibility == Visibility.PUBLIC.value]
    if not public or any(x.valid_from <= today <= x.valid_to for x in public):
        return today, True
    last = max(x.valid_to for x in public)
    first = min(x.valid_from for x in public if x.valid_to == last)     # the newest season's start
    return min(first + timedelta(days=30), last), False


def on_air_by_hour(s: Session, actor: Actor, day=None, *, today=None) -> dict:
    """The radio landscape of one day as the reader may see it: per hour of ``day`` in Korean
    time, the schedules it may read (its own, shared, and public ones such as a season of EiBi
    recorded by :mod:`corridor.coalition.public_schedule`) on air for any part of the hour, and
    the hours with none. Computed over readable schedules only, like the silent hours.

    Without ``day``, :func:`landscape_day` chooses it from ``today`` (default: today in UTC);
    ``chosen`` in the answer says so."""
    from datetime import timedelta

    from corridor.access.rules import Visibility
    from corridor.coalition.overlaps import MINUTES_PER_DAY

    slots = views.readable_only(actor, radio_slots(s))
    chosen = None
    if day is None:
        today = today or datetime.now(UTC).date()
        day, is_today = landscape_day(slots, today)
        chosen = "today" if is_today else "public_season"
    start = datetime(day.year, day.month, day.day, tzinfo=UTC) - timedelta(hours=9)   # 00:00 KST
    masks = {}
    hours: list[list[RadioSlot]] = []
    for h in range(24):
        t = start + timedelta(hours=h)
        minute = t.weekday() * MINUTES_PER_DAY + t.hour * 60
        on = []
        for slot in slots:
            if not slot.valid_from <= t.date() <= slot.valid_to:
                continue
            mask = masks.get(id(slot))
            if mask is None:
                mask = masks[id(slot)] = slot.minutes_mask()
            if mask[minute:minute + 60].any():
                on.append(slot)
        hours.append(on)
    ids = {slot.record_id for on in hours for slot in on}
    names = {}
    if ids:
        q = (select(ActivityRecord.id, ActivityRecord.spec, Organisation.name)
             .join(Organisation, ActivityRecord.org_id == Organisation.id).where(ActivityRecord.id.in_(ids)))
        names = {rid: ((spec or {}).get("station") or "", org) for rid, spec, org in s.execute(q)}

    def line(slot: RadioSlot) -> dict:
        station, org = names.get(slot.record_id, ("", ""))
        return {"station": station, "khz": slot.frequency_khz, "organisation": org,
                "public": slot.visibility == Visibility.PUBLIC.value}

    by_hour = [{"hour_kst": h, "broadcasts": sorted((line(x) for x in on), key=lambda b: (not b["public"], b["station"], b["khz"]))}
               for h, on in enumerate(hours)]
    return {"date": day.isoformat(), "chosen": chosen, "hours": by_hour,
            "silent_hours_kst": [row["hour_kst"] for row in by_hour if not row["broadcasts"]],
            "public_broadcasts": sum(1 for x in slots if x.visibility == Visibility.PUBLIC.value),
            "counted_over": "schedules_you_may_read"}
