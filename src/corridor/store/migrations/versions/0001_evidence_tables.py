"""Evidence tables: study, import, respondent, device access, channel exposure, attitude.

Revision ID: 0001_evidence
Revises:
Create Date: 2026-11-23 13:27:58.544661
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op


revision = '0001_evidence'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('evidence_study',
    sa.Column('id', sa.String(length=120), nullable=False),
    sa.Column('title', sa.Text(), nullable=True),
    sa.Column('publisher', sa.String(length=200), nullable=True),
    sa.Column('year', sa.Integer(), nullable=True),
    sa.Column('mode', sa.String(length=40), nullable=True),
    sa.Column('population_frame', sa.Text(), nullable=True),
    sa.Column('url', sa.Text(), nullable=True),
    sa.Column('synthetic', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_evidence_study'))
    )
    op.create_table('evidence_import',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('study_id', sa.String(length=120), nullable=False),
    sa.Column('source_file', sa.Text(), nullable=False),
    sa.Column('source_format', sa.String(length=40), nullable=False),
    sa.Column('form_id', sa.String(length=120), nullable=True),
    sa.Column('form_version', sa.String(length=60), nullable=True),
    sa.Column('imported_at', sa.DateTime(), nullable=False),
    sa.Column('rows', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['study_id'], ['evidence_study.id'], name=op.f('fk_evidence_import_study_id_evidence_study')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_evidence_import'))
    )
    op.create_table('evidence_respondent',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('study_id', sa.String(length=120), nullable=False),
    sa.Column('import_id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=120), nullable=False),
    sa.Column('submission_uuid', sa.String(length=120), nullable=True),
    sa.Column('sex', sa.String(length=6), nullable=False),
    sa.Column('birth_year', sa.Integer(), nullable=True),
    sa.Column('province', sa.String(length=40), nullable=False),
    sa.Column('province_as_given', sa.String(length=120), nullable=True),
    sa.Column('county', sa.String(length=120), nullable=True),
    sa.Column('urban', sa.Boolean(), nullable=True),
    sa.Column('year_left', sa.Integer(), nullable=False),
    sa.Column('year_arrived', sa.Integer(), nullable=True),
    sa.Column('months_in_china', sa.Integer(), nullable=True),
    sa.Column('occupation', sa.String(length=40), nullable=True),
    sa.Column('market_activity', sa.String(length=12), nullable=True),
    sa.Column('interview_mode', sa.String(length=20), nullable=True),
    sa.Column('interview_date', sa.String(length=10), nullable=True),
    sa.CheckConstraint("sex IN ('male', 'female')", name=op.f('ck_evidence_respondent_sex')),
    sa.CheckConstraint('birth_year IS NULL OR year_left IS NULL OR birth_year <= year_left', name=op.f('ck_evidence_respondent_born_before_leaving')),
    sa.ForeignKeyConstraint(['import_id'], ['evidence_import.id'], name=op.f('fk_evidence_respondent_import_id_evidence_import')),
    sa.ForeignKeyConstraint(['study_id'], ['evidence_study.id'], name=op.f('fk_evidence_respondent_study_id_evidence_study')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_evidence_respondent')),
    sa.UniqueConstraint('study_id', 'code', name=op.f('uq_evidence_respondent_study_id'))
    )
    op.create_table('evidence_attitude',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('respondent_id', sa.Integer(), nullable=False),
    sa.Column('item', sa.String(length=40), nullable=False),
    sa.Column('value', sa.Integer(), nullable=True),
    sa.Column('answer', sa.String(length=10), nullable=False),
    sa.CheckConstraint("answer IN ('value', 'dont_know', 'refused')", name=op.f('ck_evidence_attitude_answer')),
    sa.CheckConstraint('value IS NULL OR value BETWEEN 1 AND 5', name=op.f('ck_evidence_attitude_value')),
    sa.ForeignKeyConstraint(['respondent_id'], ['evidence_respondent.id'], name=op.f('fk_evidence_attitude_respondent_id_evidence_respondent'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_evidence_attitude')),
    sa.UniqueConstraint('respondent_id', 'item', name=op.f('uq_evidence_attitude_respondent_id'))
    )
    op.create_table('evidence_channel_exposure',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('respondent_id', sa.Integer(), nullable=False),
    sa.Column('channel', sa.String(length=20), nullable=False),
    sa.Column('ever', sa.String(length=10), nullable=False),
    sa.Column('first_year', sa.Integer(), nullable=True),
    sa.Column('frequency', sa.String(length=12), nullable=True),
    sa.Column('sources', sa.String(length=120), nullable=True),
    sa.Column('shared_n', sa.Integer(), nullable=True),
    sa.Column('trust', sa.Integer(), nullable=True),
    sa.Column('influence', sa.Integer(), nullable=True),
    sa.CheckConstraint("ever IN ('yes', 'no', 'dont_know', 'refused')", name=op.f('ck_evidence_channel_exposure_ever')),
    sa.CheckConstraint('influence IS NULL OR influence BETWEEN 1 AND 5', name=op.f('ck_evidence_channel_exposure_influence')),
    sa.CheckConstraint('trust IS NULL OR trust BETWEEN 1 AND 5', name=op.f('ck_evidence_channel_exposure_trust')),
    sa.ForeignKeyConstraint(['respondent_id'], ['evidence_respondent.id'], name=op.f('fk_evidence_channel_exposure_respondent_id_evidence_respondent'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_evidence_channel_exposure')),
    sa.UniqueConstraint('respondent_id', 'channel', name=op.f('uq_evidence_channel_exposure_respondent_id'))
    )
    op.create_table('evidence_device_access',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('respondent_id', sa.Integer(), nullable=False),
    sa.Column('device', sa.String(length=20), nullable=False),
    sa.Column('owned', sa.String(length=10), nullable=True),
    sa.Column('used_elsewhere', sa.String(length=10), nullable=True),
    sa.Column('tuning', sa.String(length=10), nullable=True),
    sa.CheckConstraint("owned IS NULL OR owned IN ('yes', 'no', 'dont_know', 'refused')", name=op.f('ck_evidence_device_access_owned')),
    sa.CheckConstraint("used_elsewhere IS NULL OR used_elsewhere IN ('yes', 'no', 'dont_know', 'refused')", name=op.f('ck_evidence_device_access_used_elsewhere')),
    sa.ForeignKeyConstraint(['respondent_id'], ['evidence_respondent.id'], name=op.f('fk_evidence_device_access_respondent_id_evidence_respondent'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_evidence_device_access')),
    sa.UniqueConstraint('respondent_id', 'device', name=op.f('uq_evidence_device_access_respondent_id'))
    )


def downgrade() -> None:
    op.drop_table('evidence_device_access')
    op.drop_table('evidence_channel_exposure')
    op.drop_table('evidence_attitude')
    op.drop_table('evidence_respondent')
    op.drop_table('evidence_import')
    op.drop_table('evidence_study')
