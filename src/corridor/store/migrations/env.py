"""Alembic environment: runs migrations on the connection :func:`corridor.store.upgrade` passes in."""

from __future__ import annotations

from alembic import context

from corridor.store.base import Base
from corridor.store.engine import make_engine
from corridor.store.registry import load_all_tables  # noqa: E402

# Table modules register themselves on Base.metadata (used by ``alembic revision --autogenerate``).
load_all_tables()

target_metadata = Base.metadata
config = context.config


def include_object(obj, name, type_, reflected, compare_to) -> bool:
    """Leave out the archive's full-text index, which is built at run time, not by migrations."""
    return not (name or "").startswith(("archive_segment_fts", "ix_archive_segment_tsv"))


def _run(connection) -> None:
    context.configure(connection=connection, target_metadata=target_metadata,
                      render_as_batch=connection.dialect.name == "sqlite", include_object=include_object)
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():
    context.configure(url=config.get_main_option("sqlalchemy.url"), target_metadata=target_metadata,
                      literal_binds=True)
    with context.begin_transaction():
        context.run_migrations()
else:
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
    else:
        engine = make_engine(config.get_main_option("sqlalchemy.url"))
        with engine.begin() as conn:
            _run(conn)
        engine.dispose()
