"""Engines and sessions: SQLite by default, PostgreSQL when ``CORRIDOR_DATABASE_URL`` is set."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import create_engine, event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, sessionmaker

from corridor.paths import data_dir

ENV_URL = "CORRIDOR_DATABASE_URL"


def database_url(url: str | None = None) -> str:
    """The database URL: ``url`` if given, else ``$CORRIDOR_DATABASE_URL``, else the local SQLite file."""
    if url:
        return url
    env = os.environ.get(ENV_URL)
    if env:
        return env
    return f"sqlite:///{data_dir() / 'corridor.db'}"


#: How long a write waits for another's lock before giving up (the service then answers 503).
LOCK_WAIT_MS = 5000


def _postgresql_settings(dbapi_connection, _record) -> None:
    # PostgreSQL waits for a row lock forever by default; give up like SQLite's busy timeout.
    autocommit = dbapi_connection.autocommit
    dbapi_connection.autocommit = True
    cur = dbapi_connection.cursor()
    cur.execute(f"SET lock_timeout = {LOCK_WAIT_MS}")
    cur.close()
    dbapi_connection.autocommit = autocommit


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    cur = dbapi_connection.cursor()
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute(f"PRAGMA busy_timeout={LOCK_WAIT_MS}")
    cur.close()


def make_engine(url: str | None = None, **kwargs) -> Engine:
    """An engine for :func:`database_url`; SQLite connections get WAL, foreign keys, a busy timeout."""
    target = database_url(url)
    engine = create_engine(target, **kwargs)
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
    elif engine.dialect.name == "postgresql":
        event.listen(engine, "connect", _postgresql_settings)
    return engine


@contextmanager
def session_scope(engine: Engine) -> Iterator[Session]:
    """A session in one transaction: committed if the block succeeds, rolled back otherwise."""
    factory = sessionmaker(bind=engine, expire_on_commit=False)
    with factory() as session:
        with session.begin():
            yield session
