"""Evidence detail: "don't know" and "refused" for a channel's trust and influence items.

The 1–5 answers stay in ``trust`` and ``influence``; ``trust_answer`` and ``influence_answer``
say whether the respondent gave a value or answered ``dont_know`` / ``refused`` (as in
``evidence_attitude.answer``), so that neither is folded into a missing value.

Revision ID: 0003_evidence_detail
Revises: 0002_coalition
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003_evidence_detail"
down_revision = "0002_coalition"
branch_labels = None
depends_on = None

_TABLE = "evidence_channel_exposure"
_ANSWER = "IN ('value', 'dont_know', 'refused')"


def upgrade() -> None:
    with op.batch_alter_table(_TABLE) as batch:
        for column in ("trust_answer", "influence_answer"):
            batch.add_column(sa.Column(column, sa.String(length=10), nullable=True))
            batch.create_check_constraint(op.f(f"ck_{_TABLE}_{column}"), f"{column} IS NULL OR {column} {_ANSWER}")


def downgrade() -> None:
    with op.batch_alter_table(_TABLE) as batch:
        for column in ("influence_answer", "trust_answer"):
            batch.drop_constraint(op.f(f"ck_{_TABLE}_{column}"), type_="check")
            batch.drop_column(column)
