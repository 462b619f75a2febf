"""Fresh test databases: SQLite files by default, PostgreSQL when ``.ci/run`` asks.

``.ci/run`` sets ``CORRIDOR_TEST_POSTGRES_URL`` (e.g. ``postgresql+psycopg://postgres@127.0.0.1:5432/test``)
to run the database tests against a PostgreSQL server as well.

- :func:`fresh_database_url` gives an empty database: a new SQLite file, or a new schema on the
  PostgreSQL server.
- :func:`migrated_database_url` gives a database already at the latest schema, copied from a
  template migrated once per test process (:func:`make_template`): a file copy on SQLite, a
  ``CREATE DATABASE … TEMPLATE`` on PostgreSQL. Running the migrations for every test cost
  about 0.2 s on SQLite and 0.8 s on PostgreSQL; the copy costs a few milliseconds.

Names carry a random part, so parallel test processes (``pytest -n``) never share a database.
"""

from __future__ import annotations

import os
import shutil
import uuid
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import sqlalchemy as sa

POSTGRES_ENV = "CORRIDOR_TEST_POSTGRES_URL"
#: Prefix of the PostgreSQL databases made here (a test's copy, or a template).
PG_PREFIX = "corridor_test_"


def postgres_base() -> str | None:
    """The PostgreSQL server URL the tests should use, or None for SQLite."""
    return os.environ.get(POSTGRES_ENV) or None


def fresh_database_url(folder: Path) -> str:
    """An empty database: a new SQLite file in ``folder``, or a new PostgreSQL schema."""
    base = postgres_base()
    if not base:
        return f"sqlite:///{Path(folder) / f'test-{uuid.uuid4().hex[:8]}.db'}"
    schema = "t_" + uuid.uuid4().hex[:12]
    admin = sa.create_engine(base)
    with admin.begin() as conn:
        conn.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    admin.dispose()
    sep = "&" if "?" in base else "?"
    return f"{base}{sep}options=-csearch_path%3D{schema}"


def _pg_admin(base: str) -> sa.Engine:
    return sa.create_engine(base, isolation_level="AUTOCOMMIT")


def _pg_url(base: str, database: str) -> str:
    return sa.make_url(base).set(database=database).render_as_string(hide_password=False)


def make_template(folder: Path) -> str:
    """A database migrated to the latest schema, to be copied by :func:`migrated_database_url`."""
    from corridor.access.setup import prepare_database

    base = postgres_base()
    if not base:
        url = f"sqlite:///{Path(folder) / 'template.db'}"
    else:
        name = f"{PG_PREFIX}tmpl_{uuid.uuid4().hex[:12]}"
        admin = _pg_admin(base)
        with admin.connect() as conn:
            conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
        admin.dispose()
        url = _pg_url(base, name)
    prepare_database(url)   # the server key, then the schema; disposes its engine: nothing stays connected to the template
    return url


def migrated_database_url(template: str, folder: Path) -> str:
    """A new database holding a copy of ``template`` (see :func:`make_template`)."""
    if template.startswith("sqlite"):
        source = Path(sa.make_url(template).database)
        if source.with_name(source.name + "-wal").exists():
            raise RuntimeError(f"the template {source} still has a write-ahead log: close it before copying")
        target = Path(folder) / f"test-{uuid.uuid4().hex[:8]}.db"
        shutil.copyfile(source, target)
        return f"sqlite:///{target}"
    base = postgres_base()
    name = f"{PG_PREFIX}{uuid.uuid4().hex[:12]}"
    template_name = sa.make_url(template).database
    admin = _pg_admin(base)
    with admin.connect() as conn:
        # WAL_LOG copies the (small) template page by page without a checkpoint: ~0.1 s.
        conn.execute(sa.text(f'CREATE DATABASE "{name}" TEMPLATE "{template_name}" STRATEGY WAL_LOG'))
    admin.dispose()
    return _pg_url(base, name)


def drop_database(url: str) -> None:
    """Remove a database made here (a SQLite file is left to its temporary folder)."""
    if not url.startswith("postgresql"):
        return
    base = os.environ[POSTGRES_ENV]
    options = parse_qs(urlparse(url).query).get("options", [""])[0]
    if "search_path=" in options:
        schema = options.split("search_path=")[-1]
        admin = sa.create_engine(base)
        with admin.begin() as conn:
            conn.execute(sa.text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        admin.dispose()
        return
    name = sa.make_url(url).database
    if not name.startswith(PG_PREFIX):
        raise ValueError(f"not a test database: {name}")
    admin = _pg_admin(base)
    with admin.connect() as conn:
        conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()
