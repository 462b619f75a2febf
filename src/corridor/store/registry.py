"""Every module that declares tables on :class:`~corridor.store.base.Base`, in one list.

Alembic's environment and the audit log (which maps an entry's entity to its table) need all
tables registered on the metadata; they load them from here by name, so the store depends on no
package above it.
"""

from __future__ import annotations

import importlib

TABLE_MODULES = (
    "corridor.access.tables",
    "corridor.coalition.tables",
    "corridor.archive.tables",
    "corridor.evidence.tables",
)


def load_all_tables() -> None:
    """Import every table module (registering its tables on ``Base.metadata``)."""
    for name in TABLE_MODULES:
        importlib.import_module(name)
