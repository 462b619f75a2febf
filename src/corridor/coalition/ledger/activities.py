"""Activities of the ledger: add, read one, edit and delete, each validated by its channel's own model.

An activity belongs to a campaign, and the campaign's permission decides (see
:mod:`corridor.coalition.ledger.campaigns`). :func:`_validated` is also how an HXL import checks
its rows (:mod:`corridor.coalition.exchange`), so that both paths validate alike.
"""

from __future__ import annotations

from datetime import UTC
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from corridor.access.audit import append_audit
from corridor.access.members import actor_label, state
from corridor.access.rules import Action, Actor
from corridor.channels.base import check_shared_spec, parse_activity
from corridor.coalition import currency
from corridor.coalition.ledger.campaigns import _check, _hidden, get_campaign
from corridor.coalition.tables import ActivityRecord
from corridor.errors import CorridorError
from corridor.geo.names import resolve_province
from corridor.textcheck import check_text, check_tree


def _check_activity_text(channel: Any, data: dict, *, source: str | None) -> None:
    """Refuse NUL, control and text-direction characters in every text of an activity: its id,
    title, channel, currency, provinces and every string of its spec, keys included (its themes
    are checked in :func:`_validated`)."""
    for key in ("id", "title", "cost_currency"):
        check_text(data.get(key), field=key, source=source)
    check_text(channel, field="channel", source=source)
    provinces = data.get("provinces") or []
    check_tree(list(provinces) if isinstance(provinces, (list, tuple)) else provinces,
               field="provinces", source=source)
    check_tree(data.get("spec") or {}, field="spec", source=source)


def _validated(channel: str, data: dict, *, source: str | None) -> dict:
    """Validate an activity through the channel's own model; return normalised fields.

    Texts are checked for forbidden characters first, then the spec's resource fields against
    the shipped values (:func:`corridor.channels.base.check_shared_spec`): the shared ledger never
    makes the server open a file, so the channel's model never sees a file name here.
    """
    _check_activity_text(channel, data, source=source)
    check_shared_spec(channel, data.get("spec") or {}, source=source)
    public_id = str(data.get("id") or "").strip()
    if not public_id:
        raise CorridorError("must not be empty", source=source, field="id", value=public_id)
    themes = data.get("themes")
    check_tree(themes, field="themes", source=source)
    activity = parse_activity({"id": public_id, "channel": channel, "start": data.get("start"),
                               "end": data.get("end") or None, "title": data.get("title") or "",
                               "spec": data.get("spec") or {}, "themes": themes},
                              source=source)
    provinces = [resolve_province(p, source=source, field="provinces") for p in data.get("provinces") or []]
    start = activity.start if activity.start.tzinfo else activity.start.replace(tzinfo=UTC)
    end = activity.end
    if end is not None and end.tzinfo is None:
        end = end.replace(tzinfo=UTC)
    cost = data.get("cost_amount")
    if cost is not None:
        try:
            cost = float(cost)
        except (TypeError, ValueError):
            raise CorridorError("not a number", source=source, field="cost_amount", value=cost) from None
    cur = (data.get("cost_currency") or "USD").upper()
    cost_usd = None if cost is None else currency.to_usd(cost, cur, start.date()).usd
    return {"public_id": public_id, "channel": channel, "title": activity.title, "start": start,
            "end": end, "spec": activity.spec.model_dump(mode="json"), "provinces": sorted(set(provinces)),
            "cost_amount": cost, "cost_currency": cur, "cost_usd": cost_usd,
            "themes": dict(activity.themes) or None}



def add_activity(s: Session, actor: Actor, campaign_id: int, data: dict, *, source: str | None = None) -> ActivityRecord:
    campaign = get_campaign(s, actor, campaign_id, Action.CAMPAIGN_EDIT)
    fields = _validated(campaign.channel, data, source=source)
    clash = s.execute(select(ActivityRecord).where(ActivityRecord.org_id == campaign.org_id,
                                                   ActivityRecord.public_id == fields["public_id"])).scalar_one_or_none()
    if clash is not None:
        raise CorridorError("an activity with this id exists in your organisation", source=source,
                            field="id", value=fields["public_id"])
    record = ActivityRecord(campaign_id=campaign.id, org_id=campaign.org_id, **fields)
    s.add(record)
    s.flush()
    append_audit(s, actor=actor_label(actor), org_id=campaign.org_id, action="activity.create",
                 entity="activity", entity_id=record.id, before=None, after=state(record))
    _note_collisions(s, actor, record)
    return record


def get_activity(s: Session, actor: Actor, activity_id: int, action: Action = Action.CAMPAIGN_VIEW) -> ActivityRecord:
    record = s.get(ActivityRecord, activity_id)
    if record is None:
        raise _hidden("activity")
    _check(actor, action, record.campaign, what="activity")
    return record


def update_activity(s: Session, actor: Actor, activity_id: int, data: dict) -> ActivityRecord:
    record = get_activity(s, actor, activity_id, Action.CAMPAIGN_EDIT)
    before = state(record)
    merged = {"id": record.public_id, "start": record.start, "end": record.end, "title": record.title,
              "spec": record.spec, "provinces": record.provinces, "cost_amount": record.cost_amount,
              "cost_currency": record.cost_currency, "themes": record.themes, **data}
    fields = _validated(record.channel, merged, source=None)
    for key, value in fields.items():
        setattr(record, key, value)
    s.flush()
    append_audit(s, actor=actor_label(actor), org_id=record.org_id, action="activity.edit",
                 entity="activity", entity_id=record.id, before=before, after=state(record))
    _note_collisions(s, actor, record)
    return record


def _note_collisions(s: Session, actor: Actor, record: ActivityRecord) -> None:
    """Tell the owners of private slots this activity collides with (see the coordination view)."""
    from corridor.coalition.coordination import note_collisions

    note_collisions(s, actor, record)


def delete_activity(s: Session, actor: Actor, activity_id: int) -> None:
    record = get_activity(s, actor, activity_id, Action.CAMPAIGN_EDIT)
    before = state(record)
    s.delete(record)
    s.flush()
    append_audit(s, actor=actor_label(actor), org_id=before["org_id"], action="activity.delete",
                 entity="activity", entity_id=activity_id, before=before, after=None)
