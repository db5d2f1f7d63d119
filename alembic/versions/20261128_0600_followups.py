"""follow-ups of the shared core: staff-only service types (the mediation room)

Revision ID: 0600
Revises: 0400
Create Date: 2026-11-28
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0600'
down_revision: str | None = '0400'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('servicetype', schema=None) as batch_op:
        batch_op.add_column(sa.Column('staff_only', sa.Boolean(), nullable=False, server_default=sa.false()))
    with op.batch_alter_table('servicetype', schema=None) as batch_op:
        batch_op.alter_column('staff_only', server_default=None)


def downgrade() -> None:
    with op.batch_alter_table('servicetype', schema=None) as batch_op:
        batch_op.drop_column('staff_only')
