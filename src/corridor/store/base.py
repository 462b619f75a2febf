"""The declarative base every Corridor table derives from.

A naming convention gives every index and constraint a stable, predictable name, so that
Alembic migrations can refer to them on SQLite and PostgreSQL alike (SQLAlchemy documentation,
"Configuring Constraint Naming Conventions").
"""

from __future__ import annotations

from sqlalchemy import MetaData
from sqlalchemy.orm import DeclarativeBase

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    """Base class of all Corridor tables (one shared ``MetaData``)."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)


#: ``mapped_column(..., info={ADDED_LATER: "<migration>"})`` marks a column added to an audited
#: table after rows were already written: while it is NULL (or an empty text), the audit's row hash
#: (:func:`corridor.access.audit.row_hash`) leaves it out, so rows written before the migration
#: keep their hash and ``corridor audit verify`` stays clean after an upgrade. A value written
#: later is covered like every other column.
ADDED_LATER = "audit_added_later"
