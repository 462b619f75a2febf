"""HXL exchange with the ledger: what a reader may export, and imports into one organisation."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from corridor.access.errors import Forbidden
from corridor.access.rules import Action, Actor, allowed
from corridor.access.tables import Organisation
from corridor.coalition.ledger import _validated, add_activity, create_campaign, visible_campaigns
from corridor.coalition.tables import Campaign


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
    if not allowed(actor, Action.CAMPAIGN_IMPORT, org_id=org_id):
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
