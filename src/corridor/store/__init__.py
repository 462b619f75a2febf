"""The shared database layer: one declarative base, one engine factory, Alembic migrations.

SQLite in ``corridor.paths.data_dir()/corridor.db`` (WAL journal) by default; PostgreSQL (or
any SQLAlchemy URL) when ``CORRIDOR_DATABASE_URL`` is set. Packages declare their tables on
:class:`Base` and add a migration under ``corridor/store/migrations/versions``;
:func:`upgrade` brings a database to the head revision.
"""

from corridor.store.base import Base, NAMING_CONVENTION
from corridor.store.engine import database_url, make_engine, session_scope
from corridor.store.migrate import current_revision, upgrade

__all__ = ["Base", "NAMING_CONVENTION", "database_url", "make_engine", "session_scope",
           "upgrade", "current_revision"]
