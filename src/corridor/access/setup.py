"""Make a database ready for the coalition: the server key first, then the latest schema.

The store migrates tables and knows nothing of keys; the access core owns the server key
(:mod:`corridor.access.serverkey`). Every face that creates or upgrades a coalition database
(``corridor serve``, ``corridor db upgrade``, ``corridor assess``, the demo) calls
:func:`prepare_database`, so that a new coalition never has a database without its key.
"""

from __future__ import annotations

from corridor.access.serverkey import ensure_key
from corridor.store.migrate import upgrade


def prepare_database(url: str | None = None, revision: str = "head") -> str:
    """Create the server key when none is configured, then migrate ``url`` to ``revision``.

    Returns the database's revision afterwards (see :func:`corridor.store.migrate.upgrade`).
    """
    ensure_key()
    return upgrade(url, revision)
