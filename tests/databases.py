"""Fresh test databases: SQLite files by default, PostgreSQL schemas when ``.ci/run`` asks.

``.ci/run`` sets ``CORRIDOR_TEST_POSTGRES_URL`` (e.g. ``postgresql+psycopg://postgres@127.0.0.1:5432/test``)
to run the database tests against a PostgreSQL server as well; each test gets its own schema.
"""

from __future__ import annotations

import os
import uuid
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import sqlalchemy as sa

POSTGRES_ENV = "CORRIDOR_TEST_POSTGRES_URL"


def fresh_database_url(folder: Path) -> str:
    base = os.environ.get(POSTGRES_ENV)
    if not base:
        return f"sqlite:///{Path(folder) / f'test-{uuid.uuid4().hex[:8]}.db'}"
    schema = "t_" + uuid.uuid4().hex[:12]
    admin = sa.create_engine(base)
    with admin.begin() as conn:
        conn.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    admin.dispose()
    sep = "&" if "?" in base else "?"
    return f"{base}{sep}options=-csearch_path%3D{schema}"


def drop_database(url: str) -> None:
    if not url.startswith("postgresql"):
        return
    options = parse_qs(urlparse(url).query).get("options", [""])[0]
    schema = options.split("search_path=")[-1]
    base = os.environ[POSTGRES_ENV]
    admin = sa.create_engine(base)
    with admin.begin() as conn:
        conn.execute(sa.text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
    admin.dispose()
