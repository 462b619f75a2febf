"""A column added to an audited table later (e.g. activity.themes, migration 0007) must not make
every older row look tampered with: while NULL it is left out of the row's hash."""

from __future__ import annotations

from sqlalchemy import MetaData, Table

from corridor.access.audit import row_hash
from corridor.coalition.tables import ActivityRecord
from corridor.store.base import ADDED_LATER


def _without_later_columns(table: Table) -> Table:
    """The table as it was before the later columns (what the older version hashed)."""
    return Table(table.name, MetaData(), *[c._copy() for c in table.columns if not c.info.get(ADDED_LATER)])


def _row(themes):
    table = ActivityRecord.__table__
    row = {c.name: None for c in table.columns}
    row.update(id=7, public_id="a-7", channel="radio", spec={"frequency_khz": 6015}, provinces=["Ryanggang"],
               title="news", themes=themes)
    return row


def test_an_old_row_keeps_its_hash_once_the_column_exists():
    table = ActivityRecord.__table__
    assert table.c.themes.info.get(ADDED_LATER) == "0007_activity_themes"
    before = _without_later_columns(table)
    assert row_hash(table, _row(None)) == row_hash(before, _row(None))


def test_a_value_in_the_later_column_is_covered_by_the_hash():
    table = ActivityRecord.__table__
    tagged = row_hash(table, _row({"religion": None}))
    assert tagged != row_hash(table, _row(None))
    assert tagged != row_hash(table, _row({"world_news": None}))


def test_every_later_column_keeps_older_rows_hashes():
    """Each column marked ADDED_LATER, in every table: empty (NULL, or the empty text a migration
    fills in) it changes no hash."""
    from corridor.store.base import Base
    from corridor.store.registry import load_all_tables

    load_all_tables()
    marked = {(t.name, c.name) for t in Base.metadata.tables.values() for c in t.columns if c.info.get(ADDED_LATER)}
    assert {("activity", "themes"), ("archive_exposure", "themes"), ("evidence_import", "themes_version")} <= marked
    for table_name, column in marked:
        table = Base.metadata.tables[table_name]
        before = _without_later_columns(table)
        for empty in (None, ""):
            row = {c.name: None for c in table.columns}
            row[column] = empty
            assert row_hash(table, row) == row_hash(before, row), (table_name, column, empty)
