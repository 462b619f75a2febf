"""Campaigns and activities of the ledger: every read and write, with its permission check.

Functions take a SQLAlchemy ``Session`` and an :class:`~corridor.access.rules.Actor`. They never
commit: the caller (a web request, a CLI command, an import) owns the transaction, so an import
is all or nothing. Every write appends to the hash-chained audit log in the same transaction.
Who may do what is decided by :data:`corridor.access.rules.CAMPAIGNS`, here and nowhere else.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime, time, timedelta, timezone
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from corridor.access.audit import append_audit
from corridor.access.errors import Forbidden, NotFound
from corridor.access.members import actor_label, state
from corridor.access.rules import CAMPAIGNS, Action, Actor, Visibility, allowed
from corridor.access.tables import AuditHead, Organisation
from corridor.channels.base import check_shared_spec, parse_activity
from corridor.coalition import currency
from corridor.coalition.tables import ActivityRecord, Campaign
from corridor.errors import CorridorError
from corridor.geo.names import resolve_province
from corridor.textcheck import check_text, check_tree


def _hidden(what: str) -> NotFound:
    """The one answer for a record that does not exist *and* for one the actor may not know
    exists: the same exception with the same words, so that status and body are identical
    (OWASP ASVS 4.0 V4.2.1 / WSTG-ATHZ-04: no existence oracle on direct object references)."""
    return NotFound(f"no such {what}")


def _check(actor: Actor, action: Action, campaign: Campaign, *, what: str = "campaign") -> None:
    if allowed(actor, action, campaign):
        return
    if allowed(actor, Action.CAMPAIGN_VIEW, campaign):
        raise Forbidden(f"{action.value} is not allowed for your role")
    raise _hidden(what)


def _budget_usd(amount: float | None, cur: str, on: date) -> float | None:
    return None if amount is None else currency.to_usd(amount, cur, on).usd


def create_campaign(s: Session, actor: Actor, *, org_id: int, name: str, channel: str,
                    start_date: date, end_date: date | None = None, goal: str = "",
                    budget_amount: float | None = None, budget_currency: str = "USD") -> Campaign:
    if not allowed(actor, Action.CAMPAIGN_CREATE, org_id=org_id):
        raise NotFound("no such organisation") if actor.role_in(org_id) is None else \
            Forbidden("your role cannot create campaigns")
    from corridor.channels import get_channel

    _check_campaign_text(name=name, goal=goal, channel=channel, budget_currency=budget_currency)
    get_channel(channel)
    name = name.strip()
    if not name:
        raise CorridorError("must not be empty", field="name", value=name)
    if end_date is not None and end_date < start_date:
        raise CorridorError("is before the start date", field="end_date", value=str(end_date))
    campaign = Campaign(org_id=org_id, name=name, channel=channel, goal=goal, start_date=start_date,
                        end_date=end_date, budget_amount=budget_amount,
                        budget_currency=budget_currency.upper(),
                        budget_usd=_budget_usd(budget_amount, budget_currency, start_date),
                        visibility=Visibility.PRIVATE.value)
    s.add(campaign)
    s.flush()
    append_audit(s, actor=actor_label(actor), org_id=org_id, action="campaign.create", entity="campaign",
                 entity_id=campaign.id, before=None, after=state(campaign))
    return campaign


def _check_campaign_text(**fields: Any) -> None:
    """Refuse NUL, control and text-direction characters in a campaign's texts, naming the field
    (the goal may span lines; see :mod:`corridor.textcheck`)."""
    for key, value in fields.items():
        check_text(value, field=key, multiline=key == "goal")


def activity_counts(s: Session, campaign_ids: Sequence[int]) -> dict[int, int]:
    if not campaign_ids:
        return {}
    rows = s.execute(select(ActivityRecord.campaign_id, func.count(ActivityRecord.id))
                     .where(ActivityRecord.campaign_id.in_(list(campaign_ids)))
                     .group_by(ActivityRecord.campaign_id))
    return {cid: n for cid, n in rows}


def get_campaign(s: Session, actor: Actor, campaign_id: int, action: Action = Action.CAMPAIGN_VIEW) -> Campaign:
    campaign = s.get(Campaign, campaign_id)
    if campaign is None:
        raise _hidden("campaign")
    _check(actor, action, campaign)
    return campaign


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


def update_campaign(s: Session, actor: Actor, campaign_id: int, **changes) -> Campaign:
    campaign = get_campaign(s, actor, campaign_id, Action.CAMPAIGN_EDIT)
    before = state(campaign)
    allowed_fields = {"name", "goal", "start_date", "end_date", "budget_amount", "budget_currency"}
    for key in changes:
        if key not in allowed_fields:
            raise CorridorError("cannot be changed here", field=key)
    _check_campaign_text(**{k: v for k, v in changes.items() if k in ("name", "goal", "budget_currency")})
    for key, value in changes.items():
        if value is None and key in {"name", "start_date", "budget_currency"}:
            raise CorridorError("must not be empty", field=key)
        setattr(campaign, key, value)
    if campaign.end_date is not None and campaign.end_date < campaign.start_date:
        raise CorridorError("is before the start date", field="end_date", value=str(campaign.end_date))
    campaign.budget_usd = _budget_usd(campaign.budget_amount, campaign.budget_currency, campaign.start_date)
    s.flush()
    append_audit(s, actor=actor_label(actor), org_id=campaign.org_id, action="campaign.edit",
                 entity="campaign", entity_id=campaign.id, before=before, after=state(campaign))
    return campaign


def set_visibility(s: Session, actor: Actor, campaign_id: int, visibility: Visibility) -> Campaign:
    campaign = get_campaign(s, actor, campaign_id, Action.CAMPAIGN_SHARE)
    before = state(campaign)
    campaign.visibility = Visibility(visibility).value
    s.flush()
    append_audit(s, actor=actor_label(actor), org_id=campaign.org_id, action="campaign.share",
                 entity="campaign", entity_id=campaign.id, before=before, after=state(campaign))
    return campaign


def delete_campaign(s: Session, actor: Actor, campaign_id: int) -> None:
    campaign = get_campaign(s, actor, campaign_id, Action.CAMPAIGN_DELETE)
    before = state(campaign)
    org_id = campaign.org_id
    s.delete(campaign)
    s.flush()
    append_audit(s, actor=actor_label(actor), org_id=org_id, action="campaign.delete", entity="campaign",
                 entity_id=campaign_id, before=before, after=None)


# --------------------------------------------------------------------------- activities


def _check_activity_text(channel: Any, data: dict, *, source: str | None) -> None:
    """Refuse NUL, control and text-direction characters in every text of an activity: its id,
    title, channel, currency, provinces and every string of its spec, keys included."""
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
    activity = parse_activity({"id": public_id, "channel": channel, "start": data.get("start"),
                               "end": data.get("end") or None, "title": data.get("title") or "",
                               "spec": data.get("spec") or {}}, source=source)
    provinces = [resolve_province(p, source=source, field="provinces") for p in data.get("provinces") or []]
    start = activity.start if activity.start.tzinfo else activity.start.replace(tzinfo=timezone.utc)
    end = activity.end
    if end is not None and end.tzinfo is None:
        end = end.replace(tzinfo=timezone.utc)
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
            "cost_amount": cost, "cost_currency": cur, "cost_usd": cost_usd}


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
              "cost_currency": record.cost_currency, **data}
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


def counts(s: Session) -> dict[str, int]:
    return {"organisations": s.scalar(select(func.count(Organisation.id))),
            "campaigns": s.scalar(select(func.count(Campaign.id))),
            "activities": s.scalar(select(func.count(ActivityRecord.id)))}
