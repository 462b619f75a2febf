"""The coalition ledger: campaigns and activities, every read and write with its permission check.

Functions take a SQLAlchemy ``Session`` and an :class:`~corridor.access.rules.Actor`. They never
commit: the caller (a web request, a CLI command, an import) owns the transaction, so an import
is all or nothing. Every write appends to the hash-chained audit log in the same transaction.
Who may do what is decided by :data:`corridor.access.rules.CAMPAIGNS`, here and nowhere else.

The operations live in three modules: :mod:`~corridor.coalition.ledger.campaigns` (writes and
single reads of campaigns), :mod:`~corridor.coalition.ledger.activities` (of activities, validated
by each channel's own model) and :mod:`~corridor.coalition.ledger.queries` (lists, counts and the
ledger's version). This package names them all, as the one module did before: its callers (the
web, the command line, the demo, the exchange and the assessment) use the ledger as one thing,
``ledger.create_campaign(...)``, ``ledger.add_activity(...)``, and need not know which module
holds which operation.
"""

# The exchange (corridor.coalition.exchange) validates an import's rows as the ledger does.
from corridor.coalition.ledger.activities import _validated as _validated
from corridor.coalition.ledger.activities import (
    add_activity,
    delete_activity,
    get_activity,
    update_activity,
)
from corridor.coalition.ledger.campaigns import (
    create_campaign,
    delete_campaign,
    get_campaign,
    set_visibility,
    update_campaign,
)
from corridor.coalition.ledger.queries import (
    VERSION_SQL,
    activity_counts,
    counts,
    readable_activities,
    readable_campaign_filter,
    version,
    visible_campaigns,
)

__all__ = [
    "VERSION_SQL", "activity_counts", "add_activity", "counts", "create_campaign", "delete_activity",
    "delete_campaign", "get_activity", "get_campaign", "readable_activities", "readable_campaign_filter",
    "set_visibility", "update_activity", "update_campaign", "version", "visible_campaigns",
]
