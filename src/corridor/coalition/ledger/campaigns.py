"""Campaigns of the ledger: create, read one, edit, share and delete, each with its permission check.

Who may do what is decided by :data:`corridor.access.rules.CAMPAIGNS`; :func:`_check` and
:func:`_hidden` give the one answer for a record an actor may not know exists, and are shared
with :mod:`corridor.coalition.ledger.activities`.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from corridor.access.audit import append_audit
from corridor.access.errors import Forbidden, NotFound
from corridor.access.members import actor_label, state
from corridor.access.rules import Action, Actor, Visibility, allowed
from corridor.coalition import currency
from corridor.coalition.tables import Campaign
from corridor.errors import CorridorError
from corridor.textcheck import check_text


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


def get_campaign(s: Session, actor: Actor, campaign_id: int, action: Action = Action.CAMPAIGN_VIEW) -> Campaign:
    campaign = s.get(Campaign, campaign_id)
    if campaign is None:
        raise _hidden("campaign")
    _check(actor, action, campaign)
    return campaign


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
