"""Content themes in the evidence: which kinds of content each respondent saw, by channel.

``evidence_theme_exposure`` holds one row per (respondent, channel, chosen theme); the import
records the version of the theme vocabulary it used (``evidence_import.themes_version``); an
archive media-exposure code carries its themes (``archive_exposure.themes``).

Revision ID: 0008_theme_exposure
Revises: 0007_activity_themes
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008_theme_exposure"
down_revision = "0007_activity_themes"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "evidence_theme_exposure",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("respondent_id", sa.Integer(), nullable=False),
        sa.Column("channel", sa.String(length=20), nullable=False),
        sa.Column("theme", sa.String(length=40), nullable=False),
        sa.ForeignKeyConstraint(["respondent_id"], ["evidence_respondent.id"],
                                name=op.f("fk_evidence_theme_exposure_respondent_id_evidence_respondent"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_evidence_theme_exposure")),
        sa.UniqueConstraint("respondent_id", "channel", "theme",
                            name=op.f("uq_evidence_theme_exposure_respondent_id")),
    )
    op.create_index(op.f("ix_evidence_theme_exposure_respondent_id"), "evidence_theme_exposure",
                    ["respondent_id"], unique=False)
    with op.batch_alter_table("evidence_import") as batch:
        batch.add_column(sa.Column("themes_version", sa.Integer(), nullable=True))
    with op.batch_alter_table("archive_exposure") as batch:
        batch.add_column(sa.Column("themes", sa.String(length=400), nullable=False, server_default=""))


def downgrade() -> None:
    with op.batch_alter_table("archive_exposure") as batch:
        batch.drop_column("themes")
    with op.batch_alter_table("evidence_import") as batch:
        batch.drop_column("themes_version")
    op.drop_index(op.f("ix_evidence_theme_exposure_respondent_id"), table_name="evidence_theme_exposure")
    op.drop_table("evidence_theme_exposure")
