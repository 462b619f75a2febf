"""The assessment's view of the coalition ledger: which activities it may count, for whom."""

from __future__ import annotations

from typing import Literal

from pydantic import ValidationError
from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from corridor.access import views
from corridor.access.rules import Actor, Visibility
from corridor.access.tables import Organisation
from corridor.assess.engine import Item
from corridor.channels import Activity
from corridor.coalition.aggregates import published_activities
from corridor.coalition.ledger import readable_campaign_filter
from corridor.coalition.tables import ActivityRecord, Campaign
from corridor.errors import CorridorError

Scope = Literal["all", "readable", "published"]


class LedgerItems(list):
    """Assessment items read from the ledger, and (``skipped``) the rows left out, with why."""

    def __init__(self, *args) -> None:
        super().__init__(*args)
        self.skipped: list[dict] = []


def _first_error(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        err = exc.errors()[0]
        where = ".".join(str(p) for p in err.get("loc", ()))
        return f"the channel's model refuses this stored spec ({where}: {err.get('msg', 'invalid')})"
    return str(exc)


def _themes_of(rec: ActivityRecord) -> dict:
    """The stored themes, or ``unknown`` when a code is no longer in the vocabulary in use (it was
    edited since): the activity still counts, its content is then undocumented."""
    from corridor.themes import UNKNOWN, parse_themes

    try:
        return parse_themes(rec.themes or {})
    except CorridorError:
        return {UNKNOWN: None}


def items_from_ledger(s: Session, *, scope: Scope = "all", actor: Actor | None = None) -> list[Item]:
    """Activities of the ledger as assessment items.

    ``scope``: ``all`` (an operator on the server: every record), ``readable`` (what ``actor``
    may read in full: its organisations' campaigns and those shared with the coalition), or
    ``published`` (campaigns shared with the coalition or published as aggregates: what a
    report for donors may count by default).

    Public campaigns (another broadcaster's published schedule, e.g. a season of EiBi recorded
    by :mod:`corridor.coalition.public_schedule`) are the landscape the coalition works in, not
    its own work: they are left out of every scope except for the reader's own organisations.
    They count in collisions, silent hours and the dashboard's radio landscape.
    """
    q = (select(ActivityRecord, Campaign, Organisation)
         .join(Campaign, ActivityRecord.campaign_id == Campaign.id)
         .join(Organisation, Campaign.org_id == Organisation.id))
    if scope == "readable":
        if actor is None:
            raise ValueError("scope 'readable' needs an actor")
        q = q.where(readable_campaign_filter(actor),
                    or_(Campaign.visibility != Visibility.PUBLIC.value, Campaign.org_id.in_(list(actor.roles))))
    elif scope == "published":
        q = q.where(Campaign.visibility.in_([Visibility.COALITION.value, Visibility.AGGREGATE.value]))
    elif scope == "all":
        q = q.where(Campaign.visibility != Visibility.PUBLIC.value)
    else:
        raise ValueError(f"unknown scope {scope!r}")
    items = LedgerItems()
    for rec, camp, org in s.execute(q.order_by(ActivityRecord.start, ActivityRecord.id)):
        try:
            activity = Activity.model_validate({"id": str(rec.id), "channel": rec.channel, "start": rec.start,
                                                "end": rec.end, "title": rec.title or rec.public_id,
                                                "spec": rec.spec, "themes": _themes_of(rec)})
        except (ValidationError, CorridorError) as exc:
            # A row stored under older rules (or restored) that its channel's model now refuses:
            # left out with the reason, never an error for everyone who assesses the ledger.
            items.skipped.append({"id": str(rec.id), "title": rec.title or rec.public_id, "channel": rec.channel,
                                  "campaign": camp.name, "campaign_id": camp.id, "organisation": org.name,
                                  "field": "spec", "reason": _first_error(exc)})
            continue
        items.append(Item(activity=activity, cost_usd=rec.cost_usd, campaign=camp.name,
                          organisation=org.name, campaign_id=camp.id))
    return items


def hidden_aggregate_count(s: Session, actor: Actor) -> int | None:
    """How many activities of other organisations, published only as aggregates, the assessment
    for ``actor`` leaves out; None when that number may not be given.

    It is a derived view of records ``actor`` cannot read, a margin of the aggregate cells, so it
    obeys the same rule (``corridor.access.views.VIEWS["dashboard_totals"]``): at least three
    other organisations, none dominant, and the same for the activities in cells withheld from
    ``actor``. Otherwise the page says only that such activities are left out.
    """
    return views.withheld_total(actor, published_activities(s, visibility=[Visibility.AGGREGATE.value]))
