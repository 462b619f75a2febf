"""HXL exchange with the ledger: what a reader may export, and imports into one organisation.

An import is all or nothing, and does not stop the rest of the coalition while it runs:

1. **Check.** Every row is validated once, by the ledger's own checks
   (:func:`corridor.coalition.ledger._validated`), and its id compared with the file's other
   rows and the organisation's activities. This only reads, so it takes no write lock, however
   long the file: other organisations keep writing meanwhile. The first invalid row raises and
   nothing is written.
2. **Write.** Then one short transaction writes the campaigns, the activities in batches of
   :data:`BATCH` (one multi-row ``INSERT`` each) and their audit entries, the audit chain's
   head read once per batch. The write lock is held for that step only (about a second of
   processor time for 3,000 rows; ``bench/coalition_import.py`` measures what a concurrent
   writer waits).

One transaction for the write, rather than batches committed one by one with a compensating
delete on failure, because only a transaction keeps the promise when the process dies half-way
(a killed server never runs its compensating delete), and because readers never see half an
import. A database that stays busy during the write (another writer holding the lock past the
busy timeout) raises SQLAlchemy's ``OperationalError``: the web service answers 503 with
``Retry-After`` and the command line says to try again; the transaction is rolled back.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import PurePath
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from corridor.access import audit
from corridor.access.members import actor_label, state
from corridor.access.rules import Action, Actor, Visibility, require_in_org
from corridor.access.tables import Organisation
from corridor.coalition import coordination, ledger
from corridor.coalition.tables import ActivityRecord, Campaign
from corridor.errors import CorridorError
from corridor.textcheck import bad_character

#: Ids compared with the organisation's per query (well under SQLite's limit of bound parameters).
CHUNK = 500
#: Activities written per multi-row ``INSERT`` and audited together.
BATCH = 500


def export_rows(s: Session, actor: Actor) -> list[dict]:
    """Activities the actor may read, as rows for :func:`corridor.coalition.hxl.write_hxl`."""
    rows = []
    orgs = {o.id: o.name for o in s.execute(select(Organisation)).scalars()}
    for campaign in ledger.visible_campaigns(s, actor):
        for rec in campaign.activities:
            rows.append({"org": orgs[campaign.org_id], "id": rec.public_id, "title": rec.title,
                         "channel": rec.channel, "provinces": rec.provinces,
                         "start": rec.start.isoformat(), "end": rec.end.isoformat() if rec.end else None,
                         "cost_usd": rec.cost_usd, "themes": rec.themes or {}, "spec": rec.spec})
    return rows


@dataclass(frozen=True)
class CheckedRow:
    """One row of an import after validation: its channel, the ledger's fields, where it came from."""

    channel: str
    fields: dict[str, Any]
    where: str          # "file row n", for errors
    line: Any           # the row's number in the file


def import_rows(s: Session, actor: Actor, org_id: int, rows: Sequence[dict], *, source: str) -> dict:
    """Add imported activities to new campaigns of ``org_id`` (one per channel and file).

    Every row is checked before anything is written; the first invalid row raises
    :class:`CorridorError` naming the file and row, and the caller rolls back, so an import is
    all or nothing. Returns ``{"activities": n, "campaigns": m}``.
    """
    require_in_org(actor, Action.CAMPAIGN_IMPORT, org_id, refusal="your role cannot import into this organisation")
    checked = [check_row(row, source=source) for row in rows]
    refuse_duplicate_ids(s, org_id, checked)
    campaigns = write_rows(s, actor, org_id, checked, source=source)
    return {"activities": len(checked), "campaigns": len(campaigns)}


def check_row(row: dict, *, source: str) -> CheckedRow:
    """Validate one row of :func:`corridor.coalition.hxl.read_hxl` as the ledger does, once."""
    where = f"{source} row {row.get('_row', '?')}"
    channel = str(row.get("channel") or "").strip()
    data = {"id": row.get("id"), "start": row.get("start"), "end": row.get("end"),
            "title": row.get("title"), "spec": row.get("spec") or {},
            "provinces": row.get("provinces") or [],
            "cost_amount": row.get("cost_usd"), "cost_currency": "USD", "themes": row.get("themes")}
    return CheckedRow(channel, ledger._validated(channel, data, source=where), where, row.get("_row", "?"))


def refuse_duplicate_ids(s: Session, org_id: int, checked: Sequence[CheckedRow]) -> None:
    """Refuse an id that appears twice in the file or that the organisation already uses
    (activity ids are unique within an organisation)."""
    first: dict[str, CheckedRow] = {}
    for row in checked:
        public_id = row.fields["public_id"]
        if public_id in first:
            raise CorridorError(f"row {first[public_id].line} of the file has the same id", source=row.where,
                                field="id", value=public_id)
        first[public_id] = row
    ids = list(first)
    for start in range(0, len(ids), CHUNK):
        taken = s.execute(select(ActivityRecord.public_id).where(
            ActivityRecord.org_id == org_id, ActivityRecord.public_id.in_(ids[start:start + CHUNK]))).scalars().first()
        if taken is not None:
            raise CorridorError("an activity with this id exists in your organisation", source=first[taken].where,
                                field="id", value=taken)


def write_rows(s: Session, actor: Actor, org_id: int, checked: Sequence[CheckedRow], *,
               source: str, campaign_name: str | None = None,
               visibility: Visibility = Visibility.PRIVATE) -> dict[str, Campaign]:
    """Write checked rows: a campaign per channel, then the activities in batches of
    :data:`BATCH`, each batch one multi-row ``INSERT`` and one audit entry per activity.

    Everything here is in the caller's one transaction, which holds the database's write lock
    from the first ``INSERT`` until the caller commits: nothing here validates or reads files.
    """
    campaigns = _campaigns_for(s, actor, org_id, checked, source=source, name=campaign_name,
                               visibility=visibility)
    label = actor_label(actor)
    for start in range(0, len(checked), BATCH):
        batch = checked[start:start + BATCH]
        values = [{**row.fields, "campaign_id": campaigns[row.channel].id, "org_id": org_id} for row in batch]
        try:
            ids = list(s.scalars(insert(ActivityRecord).returning(ActivityRecord.id, sort_by_parameter_order=True),
                                 values))
        except IntegrityError:
            # Another request of the same organisation took one of these ids after the check.
            raise CorridorError("an activity with one of these ids was added meanwhile; import the file again",
                                source=batch[0].where, field="id") from None
        stored = {r.id: r for r in s.execute(select(ActivityRecord).where(ActivityRecord.id.in_(ids))).scalars()}
        records = [stored[i] for i in ids]
        audit.append_audit_many(s, actor=label, org_id=org_id, action="activity.create", entity="activity",
                                items=[(r.id, None, state(r)) for r in records])
        coordination.note_collisions_many(s, actor, records)
    s.flush()
    return campaigns


def _campaigns_for(s: Session, actor: Actor, org_id: int, checked: Sequence[CheckedRow], *,
                   source: str, name: str | None = None,
                   visibility: Visibility = Visibility.PRIVATE) -> dict[str, Campaign]:
    """One new campaign per channel of the file, starting on its earliest activity's date.

    The campaign is named ``name`` or after the file's name only (never a folder of the
    importer's machine); a visibility other than private is set through the ledger (an owner's).
    Adding activities to it is asked of the rule table once per campaign, as ``add_activity``
    asks it once per activity.
    """
    file_name = "".join(ch for ch in PurePath(source.replace("\\", "/")).name if bad_character(ch) is None)
    file_name = file_name[:120] or "upload"
    campaigns: dict[str, Campaign] = {}
    for channel in dict.fromkeys(row.channel for row in checked):
        start = min(row.fields["start"].date() for row in checked if row.channel == channel)
        campaign = ledger.create_campaign(s, actor, org_id=org_id, name=name or f"Imported {channel} ({file_name})",
                                          channel=channel, start_date=start)
        if visibility is not Visibility.PRIVATE:
            ledger.set_visibility(s, actor, campaign.id, visibility)
        campaigns[channel] = ledger.get_campaign(s, actor, campaign.id, Action.CAMPAIGN_EDIT)
    return campaigns


