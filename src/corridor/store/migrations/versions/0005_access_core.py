"""Access core: sealed TOTP secrets with replay protection, owner enrolment codes, failures held
in the database (sign-in throttling across workers), token last use, sealed saved searches.

Existing TOTP secrets were stored in the clear; they cannot be sealed here (the server key lives
outside the database), so they are dropped and the owners concerned enrol again with a code from
``corridor user enrol``. Saved archive searches (shortcuts only) are dropped for the same reason.

Revision ID: 0005_access_core
Revises: 0004_archive
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005_access_core"
down_revision = "0004_archive"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("user_account", schema=None) as batch_op:
        batch_op.drop_column("totp_secret")
    with op.batch_alter_table("user_account", schema=None) as batch_op:
        batch_op.add_column(sa.Column("totp_secret", sa.LargeBinary(), nullable=True))
        batch_op.add_column(sa.Column("totp_last_step", sa.Integer(), nullable=True))
    with op.batch_alter_table("api_token", schema=None) as batch_op:
        batch_op.add_column(sa.Column("last_used_at", sa.DateTime(timezone=True), nullable=True))

    op.create_table(
        "enrolment_code",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("code_hash", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("used_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["user_id"], ["user_account.id"], name=op.f("fk_enrolment_code_user_id_user_account"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_enrolment_code")),
        sa.UniqueConstraint("code_hash", name=op.f("uq_enrolment_code_code_hash")),
    )
    op.create_index(op.f("ix_enrolment_code_user_id"), "enrolment_code", ["user_id"], unique=False)

    op.create_table(
        "access_failure",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=300), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_access_failure")),
    )
    op.create_index("ix_access_failure_key_at", "access_failure", ["key", "at"], unique=False)

    op.execute("DELETE FROM archive_saved_search")
    with op.batch_alter_table("archive_saved_search", schema=None) as batch_op:
        batch_op.drop_column("params")
        batch_op.add_column(sa.Column("sealed_params", sa.LargeBinary(), nullable=False))


def downgrade() -> None:
    op.execute("DELETE FROM archive_saved_search")
    with op.batch_alter_table("archive_saved_search", schema=None) as batch_op:
        batch_op.drop_column("sealed_params")
        batch_op.add_column(sa.Column("params", sa.JSON(), nullable=False))
    op.drop_index("ix_access_failure_key_at", table_name="access_failure")
    op.drop_table("access_failure")
    op.drop_index(op.f("ix_enrolment_code_user_id"), table_name="enrolment_code")
    op.drop_table("enrolment_code")
    with op.batch_alter_table("api_token", schema=None) as batch_op:
        batch_op.drop_column("last_used_at")
    with op.batch_alter_table("user_account", schema=None) as batch_op:
        batch_op.drop_column("totp_last_step")
        batch_op.drop_column("totp_secret")
    with op.batch_alter_table("user_account", schema=None) as batch_op:
        batch_op.add_column(sa.Column("totp_secret", sa.String(length=64), nullable=True))
