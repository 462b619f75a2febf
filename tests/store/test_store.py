"""The shared database layer: migrations to head, SQLite pragmas, URL selection, transactions."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from corridor.store import Base, current_revision, database_url, make_engine, session_scope, upgrade


def test_upgrade_creates_tables_and_is_idempotent(db_url):
    url = db_url
    assert current_revision(url) is None
    head = upgrade(url)
    assert head is not None and upgrade(url) == head
    engine = make_engine(url)
    names = set(sa.inspect(engine).get_table_names())
    assert {"evidence_respondent", "evidence_channel_exposure", "evidence_device_access",
            "evidence_attitude", "evidence_study", "evidence_import"} <= names
    engine.dispose()


def test_migrations_match_the_declared_tables(db_url):
    """The migrated schema is exactly what the models declare (Alembic finds nothing to add)."""
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    import corridor.coalition.tables  # noqa: F401
    import corridor.evidence.tables  # noqa: F401

    url = db_url
    upgrade(url)
    engine = make_engine(url)
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    assert diff == [], diff
    insp = sa.inspect(engine)
    uniques = insp.get_unique_constraints("evidence_respondent")
    assert [u["name"] for u in uniques] == ["uq_evidence_respondent_study_id"]
    engine.dispose()


def test_sqlite_uses_wal_and_foreign_keys(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'c.db'}")
    with engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    engine.dispose()


def test_database_url_default_and_environment(monkeypatch, tmp_path):
    monkeypatch.delenv("CORRIDOR_DATABASE_URL", raising=False)
    monkeypatch.setenv("CORRIDOR_DATA_DIR", str(tmp_path))
    assert database_url() == f"sqlite:///{tmp_path / 'corridor.db'}"
    monkeypatch.setenv("CORRIDOR_DATABASE_URL", "postgresql+psycopg://u@localhost/corridor")
    assert database_url().startswith("postgresql+psycopg://")
    assert database_url("sqlite:///x.db") == "sqlite:///x.db"


def test_session_scope_rolls_back_on_error(db_url):
    from corridor.evidence.tables import Study

    url = db_url
    upgrade(url)
    engine = make_engine(url)
    with pytest.raises(RuntimeError):
        with session_scope(engine) as s:
            s.add(Study(id="s1", title="x"))
            s.flush()
            raise RuntimeError("boom")
    with session_scope(engine) as s:
        assert s.get(Study, "s1") is None
    engine.dispose()
