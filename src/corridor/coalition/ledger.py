"""The ledger's operations: every read and write goes through here, with its permission check.

Functions take a SQLAlchemy ``Session`` and an :class:`~corridor.coalition.permissions.Actor`.
They never commit: the caller (a web request, a CLI command, an import) owns the transaction,
so an import is all or nothing. Every write appends to the hash-chained audit log in the same
transaction.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from datetime import date, datetime, timezone
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from corridor.channels.base import parse_activity
from corridor.coalition import audit, currency
from corridor.coalition.overlaps import RadioSlot, find_collisions, silent_hours, unserved_provinces
from corridor.coalition.permissions import Action, Actor, Role, Visibility, allowed, can_grant
from corridor.coalition.tables import (ActivityRecord, ApiToken, AuditEntry, AuditHead, Campaign,
                                       Membership, Organisation, User)
from corridor.errors import CorridorError
from corridor.geo.names import PROVINCES, resolve_province

#: Aggregate cells with fewer activities than this are shown as "< 3", never exactly.
SMALL_CELL = 3


class Forbidden(Exception):
    """The actor may see the record but not do this to it (HTTP 403)."""


class NotFound(Exception):
    """No such record, or one the actor may not know exists (HTTP 404)."""


# --------------------------------------------------------------------------- audit


def append_audit(s: Session, *, actor: str, org_id: int | None, action: str, entity: str,
                 entity_id: Any, before: dict | None, after: dict | None) -> AuditEntry:
    head = s.execute(select(AuditHead).where(AuditHead.id == 1).with_for_update()).scalar_one_or_none()
    if head is None:
        head = AuditHead(id=1, seq=0, hash=audit.GENESIS)
        s.add(head)
        s.flush()
    fields = {"seq": head.seq + 1, "at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
              "actor": actor, "org_id": org_id, "action": action, "entity": entity,
              "entity_id": str(entity_id), "before": audit.state_hash(before),
              "after": audit.state_hash(after)}
    digest = audit.entry_hash(head.hash, fields)
    entry = AuditEntry(**fields, prev_hash=head.hash, hash=digest)
    s.add(entry)
    head.seq, head.hash = fields["seq"], digest
    return entry


def verify_audit(s: Session) -> tuple[int, audit.ChainBreak | None]:
    """Check the whole chain; return the number of entries and the first break, if any."""
    rows = s.execute(select(AuditEntry).order_by(AuditEntry.seq)).scalars().all()
    entries = [{**r.fields(), "prev_hash": r.prev_hash, "hash": r.hash} for r in rows]
    broken = audit.verify_chain(entries)
    if broken is None:
        head = s.get(AuditHead, 1)
        if head is not None and rows and (head.seq != rows[-1].seq or head.hash != rows[-1].hash):
            broken = audit.ChainBreak(head.seq, "entries after this one were removed")
    return len(rows), broken


def _state(obj) -> dict:
    return {c.key: getattr(obj, c.key) for c in obj.__table__.columns}


def _actor_label(actor: Actor | None) -> str:
    if actor is None:
        return "system"
    return actor.label or f"user:{actor.user_id}"


# --------------------------------------------------------------------------- organisations


def create_organisation(s: Session, name: str, *, actor: Actor | None = None) -> Organisation:
    name = name.strip()
    if not name:
        raise CorridorError("must not be empty", field="name", value=name)
    if s.execute(select(Organisation).where(Organisation.name == name)).scalar_one_or_none():
        raise CorridorError("an organisation with this name exists", field="name", value=name)
    org = Organisation(name=name)
    s.add(org)
    s.flush()
    append_audit(s, actor=_actor_label(actor), org_id=org.id, action="org.create", entity="organisation",
                 entity_id=org.id, before=None, after=_state(org))
    return org


def create_user(s: Session, username: str, password: str, *, display_name: str = "",
                actor: Actor | None = None) -> User:
    from corridor.coalition.accounts import hash_password

    username = username.strip().lower()
    if not username or len(username) > 200:
        raise CorridorError("must be 1–200 characters", field="username", value=username)
    if s.execute(select(User).where(User.username == username)).scalar_one_or_none():
        raise CorridorError("this username is taken", field="username", value=username)
    user = User(username=username, display_name=display_name or username,
                password_hash=hash_password(password))
    s.add(user)
    s.flush()
    append_audit(s, actor=_actor_label(actor), org_id=None, action="user.create", entity="user",
                 entity_id=user.id, before=None, after={"id": user.id, "username": username})
    return user


def set_membership(s: Session, user: User, org: Organisation, role: Role, *,
                   granter: Actor | None = None) -> Membership:
    """Give ``user`` a role in ``org``. ``granter=None`` is the local administrator (CLI)."""
    if granter is not None and not can_grant(granter, org.id, role):
        raise Forbidden("you cannot grant a role higher than your own, or in an organisation you do not own")
    member = s.execute(select(Membership).where(Membership.user_id == user.id,
                                                Membership.org_id == org.id)).scalar_one_or_none()
    before = None if member is None else _state(member)
    if member is None:
        member = Membership(user_id=user.id, org_id=org.id, role=role.value)
        s.add(member)
    else:
        member.role = role.value
    s.flush()
    append_audit(s, actor=_actor_label(granter), org_id=org.id, action="org.member", entity="membership",
                 entity_id=member.id, before=before, after=_state(member))
    return member


def create_token(s: Session, user: User, org: Organisation, role: Role, *, name: str = "",
                 granter: Actor | None = None) -> tuple[str, ApiToken]:
    """An API token for ``user`` acting in ``org`` with at most ``role`` (and never more than the
    user's own role there). Returns the token, shown once, and its stored record (hash only)."""
    from corridor.coalition.accounts import new_api_token

    held = actor_for(s, user).role_in(org.id)
    if held is None:
        raise CorridorError("the user is not a member of this organisation", field="--org", value=org.name)
    if role.rank > held.rank:
        raise CorridorError(f"cannot exceed the user's own role ({held.value})", field="--role", value=role.value)
    if granter is not None and not (granter.user_id == user.id or can_grant(granter, org.id, role)):
        raise Forbidden("only the user or an owner of the organisation can create this token")
    token, digest = new_api_token()
    record = ApiToken(token_hash=digest, name=name, org_id=org.id, user_id=user.id, role=role.value)
    s.add(record)
    s.flush()
    append_audit(s, actor=_actor_label(granter), org_id=org.id, action="token.create", entity="api_token",
                 entity_id=record.id, before=None, after={"org_id": org.id, "user_id": user.id, "role": role.value})
    return token, record


def revoke_token(s: Session, token_id: int, *, actor: Actor | None = None) -> None:
    record = s.get(ApiToken, token_id)
    if record is None:
        raise CorridorError("no such token", field="token id", value=token_id)
    if actor is not None and not allowed(actor, Action.ORG_MANAGE_TOKENS, org_id=record.org_id):
        raise Forbidden("only an owner of the organisation can revoke its tokens")
    record.revoked = True
    append_audit(s, actor=_actor_label(actor), org_id=record.org_id, action="token.revoke", entity="api_token",
                 entity_id=record.id, before={"revoked": False}, after={"revoked": True})


def actor_for(s: Session, user: User) -> Actor:
    rows = s.execute(select(Membership).where(Membership.user_id == user.id)).scalars().all()
    return Actor(user.id, {m.org_id: Role(m.role) for m in rows})


def organisations_of(s: Session, actor: Actor) -> list[Organisation]:
    if not actor.roles:
        return []
    return list(s.execute(select(Organisation).where(Organisation.id.in_(actor.roles))
                          .order_by(Organisation.name)).scalars())


# --------------------------------------------------------------------------- campaigns


def _check(actor: Actor, action: Action, campaign: Campaign) -> None:
    vis = Visibility(campaign.visibility)
    if allowed(actor, action, org_id=campaign.org_id, visibility=vis):
        return
    if allowed(actor, Action.CAMPAIGN_VIEW, org_id=campaign.org_id, visibility=vis):
        raise Forbidden(f"{action.value} is not allowed for your role")
    raise NotFound("no such campaign")


def _budget_usd(amount: float | None, cur: str, on: date) -> float | None:
    return None if amount is None else currency.to_usd(amount, cur, on).usd


def create_campaign(s: Session, actor: Actor, *, org_id: int, name: str, channel: str,
                    start_date: date, end_date: date | None = None, goal: str = "",
                    budget_amount: float | None = None, budget_currency: str = "USD") -> Campaign:
    if not allowed(actor, Action.CAMPAIGN_CREATE, org_id=org_id):
        raise NotFound("no such organisation") if actor.role_in(org_id) is None else \
            Forbidden("your role cannot create campaigns")
    from corridor.channels import get_channel

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
    append_audit(s, actor=_actor_label(actor), org_id=org_id, action="campaign.create", entity="campaign",
                 entity_id=campaign.id, before=None, after=_state(campaign))
    return campaign


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
        raise NotFound("no such campaign")
    _check(actor, action, campaign)
    return campaign


def readable_campaign_filter(actor: Actor):
    """A SQL condition on :class:`Campaign` matching what ``actor`` may read (None: nothing)."""
    if not actor.roles:
        return None
    return (Campaign.org_id.in_(list(actor.roles))) | (Campaign.visibility == Visibility.COALITION.value)


def visible_campaigns(s: Session, actor: Actor, *, channel: str | None = None) -> list[Campaign]:
    """Campaigns of the actor's organisations, and those other organisations share."""
    readable = readable_campaign_filter(actor)
    if readable is None:
        return []
    q = select(Campaign).where(readable)
    if channel:
        q = q.where(Campaign.channel == channel)
    return list(s.execute(q.order_by(Campaign.start_date.desc(), Campaign.id)).scalars())


def update_campaign(s: Session, actor: Actor, campaign_id: int, **changes) -> Campaign:
    campaign = get_campaign(s, actor, campaign_id, Action.CAMPAIGN_EDIT)
    before = _state(campaign)
    allowed_fields = {"name", "goal", "start_date", "end_date", "budget_amount", "budget_currency"}
    for key, value in changes.items():
        if key not in allowed_fields:
            raise CorridorError("cannot be changed here", field=key)
        if value is None and key in {"name", "start_date", "budget_currency"}:
            raise CorridorError("must not be empty", field=key)
        setattr(campaign, key, value)
    if campaign.end_date is not None and campaign.end_date < campaign.start_date:
        raise CorridorError("is before the start date", field="end_date", value=str(campaign.end_date))
    campaign.budget_usd = _budget_usd(campaign.budget_amount, campaign.budget_currency, campaign.start_date)
    s.flush()
    append_audit(s, actor=_actor_label(actor), org_id=campaign.org_id, action="campaign.edit",
                 entity="campaign", entity_id=campaign.id, before=before, after=_state(campaign))
    return campaign


def set_visibility(s: Session, actor: Actor, campaign_id: int, visibility: Visibility) -> Campaign:
    campaign = get_campaign(s, actor, campaign_id, Action.CAMPAIGN_SHARE)
    before = _state(campaign)
    campaign.visibility = Visibility(visibility).value
    s.flush()
    append_audit(s, actor=_actor_label(actor), org_id=campaign.org_id, action="campaign.share",
                 entity="campaign", entity_id=campaign.id, before=before, after=_state(campaign))
    return campaign


def delete_campaign(s: Session, actor: Actor, campaign_id: int) -> None:
    campaign = get_campaign(s, actor, campaign_id, Action.CAMPAIGN_DELETE)
    before = _state(campaign)
    org_id = campaign.org_id
    s.delete(campaign)
    s.flush()
    append_audit(s, actor=_actor_label(actor), org_id=org_id, action="campaign.delete", entity="campaign",
                 entity_id=campaign_id, before=before, after=None)


# --------------------------------------------------------------------------- activities


_FILE_SUFFIXES = (".yaml", ".yml", ".json", ".csv", ".nc", ".grib2", ".grb2", ".txt", ".xlsx", ".zip")


def _refuse_file_references(spec: Any, *, source: str | None, path: str = "spec") -> None:
    """The shared ledger never reads a file named in a spec (a server's files are not the user's).

    Channel models accept file names for local use (``jammers: my-jammers.yaml``); here such a
    value is refused before the model sees it, so no request can make the server open a file.
    """
    if isinstance(spec, dict):
        for key, value in spec.items():
            _refuse_file_references(value, source=source, path=f"{path}.{key}")
    elif isinstance(spec, list):
        for i, value in enumerate(spec):
            _refuse_file_references(value, source=source, path=f"{path}.{i}")
    elif isinstance(spec, str):
        text = spec.strip().lower()
        if text.startswith(("http://", "https://")):
            return
        if text.startswith(("/", "~", "\\")) or ".." in text or text.endswith(_FILE_SUFFIXES):
            raise CorridorError("file references are not accepted in the shared ledger; give the values inline",
                                source=source, field=path, value=spec)


def _validated(channel: str, data: dict, *, source: str | None) -> dict:
    """Validate an activity through the channel's own model; return normalised fields."""
    _refuse_file_references(data.get("spec") or {}, source=source)
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
    append_audit(s, actor=_actor_label(actor), org_id=campaign.org_id, action="activity.create",
                 entity="activity", entity_id=record.id, before=None, after=_state(record))
    return record


def get_activity(s: Session, actor: Actor, activity_id: int, action: Action = Action.CAMPAIGN_VIEW) -> ActivityRecord:
    record = s.get(ActivityRecord, activity_id)
    if record is None:
        raise NotFound("no such activity")
    _check(actor, action, record.campaign)
    return record


def update_activity(s: Session, actor: Actor, activity_id: int, data: dict) -> ActivityRecord:
    record = get_activity(s, actor, activity_id, Action.CAMPAIGN_EDIT)
    before = _state(record)
    merged = {"id": record.public_id, "start": record.start, "end": record.end, "title": record.title,
              "spec": record.spec, "provinces": record.provinces, "cost_amount": record.cost_amount,
              "cost_currency": record.cost_currency, **data}
    fields = _validated(record.channel, merged, source=None)
    for key, value in fields.items():
        setattr(record, key, value)
    s.flush()
    append_audit(s, actor=_actor_label(actor), org_id=record.org_id, action="activity.edit",
                 entity="activity", entity_id=record.id, before=before, after=_state(record))
    return record


def delete_activity(s: Session, actor: Actor, activity_id: int) -> None:
    record = get_activity(s, actor, activity_id, Action.CAMPAIGN_EDIT)
    before = _state(record)
    s.delete(record)
    s.flush()
    append_audit(s, actor=_actor_label(actor), org_id=before["org_id"], action="activity.delete",
                 entity="activity", entity_id=activity_id, before=before, after=None)


# --------------------------------------------------------------------------- sharing and aggregates


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


# --------------------------------------------------------------------------- overlaps


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


# --------------------------------------------------------------------------- exchange


def export_rows(s: Session, actor: Actor) -> list[dict]:
    """Activities the actor may read, as rows for :func:`corridor.coalition.hxl.write_hxl`."""
    rows = []
    orgs = {o.id: o.name for o in s.execute(select(Organisation)).scalars()}
    for campaign in visible_campaigns(s, actor):
        for rec in campaign.activities:
            rows.append({"org": orgs[campaign.org_id], "id": rec.public_id, "title": rec.title,
                         "channel": rec.channel, "provinces": rec.provinces,
                         "start": rec.start.isoformat(), "end": rec.end.isoformat() if rec.end else None,
                         "cost_usd": rec.cost_usd, "spec": rec.spec})
    return rows


def import_rows(s: Session, actor: Actor, org_id: int, rows: Sequence[dict], *, source: str) -> dict:
    """Add imported activities to campaigns of ``org_id`` (one campaign per channel and file).

    Every row is validated before anything is written; the first invalid row raises and the
    caller rolls back, so an import is all or nothing.
    """
    if not allowed(actor, Action.CAMPAIGN_CREATE, org_id=org_id):
        raise Forbidden("your role cannot import into this organisation")
    validated = []
    for row in rows:
        where = f"{source} row {row.get('_row', '?')}"
        channel = str(row.get("channel") or "").strip()
        data = {"id": row.get("id"), "start": row.get("start"), "end": row.get("end"),
                "title": row.get("title"), "spec": row.get("spec") or {},
                "provinces": row.get("provinces") or [],
                "cost_amount": row.get("cost_usd"), "cost_currency": "USD"}
        validated.append((channel, _validated(channel, data, source=where), where))
    campaigns: dict[str, Campaign] = {}
    for channel, fields, where in validated:
        if channel not in campaigns:
            starts = [f["start"].date() for c, f, _ in validated if c == channel]
            campaigns[channel] = create_campaign(s, actor, org_id=org_id, name=f"Imported {channel} ({source})",
                                                 channel=channel, start_date=min(starts))
        campaign = campaigns[channel]
        add_activity(s, actor, campaign.id, {**{k: v for k, v in fields.items() if k != "public_id"},
                                             "id": fields["public_id"]}, source=where)
    return {"activities": len(validated), "campaigns": len(campaigns)}


def counts(s: Session) -> dict[str, int]:
    return {"organisations": s.scalar(select(func.count(Organisation.id))),
            "campaigns": s.scalar(select(func.count(Campaign.id))),
            "activities": s.scalar(select(func.count(ActivityRecord.id)))}


def iter_audit(s: Session) -> Iterable[AuditEntry]:
    return s.execute(select(AuditEntry).order_by(AuditEntry.seq)).scalars()
