"""Audit entries record the row they wrote: its primary key and the SHA-256 of its columns.

Entries written before this revision have neither; they keep their hashes and still verify.

Revision ID: 0006_audit_rows
Revises: 0005_access_core
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006_audit_rows"
down_revision = "0005_access_core"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("audit_log", schema=None) as batch_op:
        batch_op.add_column(sa.Column("row_pk", sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column("row_hash", sa.String(length=64), nullable=True))
        batch_op.create_index(batch_op.f("ix_audit_log_row_pk"), ["row_pk"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("audit_log", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_audit_log_row_pk"))
        batch_op.drop_column("row_hash")
        batch_op.drop_column("row_pk")
