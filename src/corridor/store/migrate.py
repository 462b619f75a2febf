"""Bring a database to the latest schema with the Alembic migrations shipped in the package."""

from __future__ import annotations

from importlib import resources

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext

from corridor.store.engine import database_url, make_engine


def alembic_config(url: str | None = None) -> Config:
    """An Alembic configuration pointing at ``corridor/store/migrations`` (no ini file needed)."""
    cfg = Config()
    cfg.set_main_option("script_location", str(resources.files("corridor.store") / "migrations"))
    cfg.set_main_option("sqlalchemy.url", database_url(url).replace("%", "%%"))
    return cfg


def upgrade(url: str | None = None, revision: str = "head") -> str:
    """Apply every migration up to ``revision`` (default: head); return the database's revision.

    Tables only: :func:`corridor.access.setup.prepare_database` also creates the server key.
    """
    engine = make_engine(url)
    try:
        with engine.begin() as connection:
            cfg = alembic_config(url)
            cfg.attributes["connection"] = connection
            command.upgrade(cfg, revision)
        return current_revision(url, engine=engine)
    finally:
        engine.dispose()


def current_revision(url: str | None = None, *, engine=None) -> str | None:
    """The Alembic revision the database is at (None for an empty database)."""
    own = engine is None
    engine = engine or make_engine(url)
    try:
        with engine.connect() as connection:
            return MigrationContext.configure(connection).get_current_revision()
    finally:
        if own:
            engine.dispose()


def head_revision() -> str:
    """The newest revision of the migrations shipped with this version of Corridor."""
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(alembic_config("sqlite://")).get_current_head()


def is_current(engine) -> bool:
    """Whether the database at ``engine`` answers and is at :func:`head_revision` (no exception:
    an unreachable database is simply not current)."""
    try:
        return current_revision(engine=engine) == head_revision()
    except Exception:  # noqa: BLE001  (any failure to answer means not ready)
        return False

