"""Activities carry content themes: a JSON column ``themes`` (``{code: share or null}``).

Rows written before this revision keep NULL there (no themes given); nothing is guessed for them.

Revision ID: 0007_activity_themes
Revises: 0006_audit_rows
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007_activity_themes"
down_revision = "0006_audit_rows"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("activity", schema=None) as batch_op:
        batch_op.add_column(sa.Column("themes", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("activity", schema=None) as batch_op:
        batch_op.drop_column("themes")
