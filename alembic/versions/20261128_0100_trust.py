"""trust: mobile proof codes, staff second factor, sessions bound to a browser and
staged (second factor, new password), idle timeout and role changes

Revision ID: 0100_trust
Revises: 0300
Create Date: 2026-11-28 05:07:47.907838
"""
from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op


revision: str = '0100_trust'
down_revision: str | None = '0300'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('phonecode',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('mobile', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('purpose', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('code_hash', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('client_key', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('expires_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('used_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_phonecode'))
    )
    with op.batch_alter_table('phonecode', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_phonecode_client_key'), ['client_key'], unique=False)
        batch_op.create_index(batch_op.f('ix_phonecode_created_at'), ['created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_phonecode_mobile'), ['mobile'], unique=False)

    with op.batch_alter_table('account', schema=None) as batch_op:
        batch_op.add_column(sa.Column('must_change_password', sa.Boolean(), nullable=False, server_default=sa.false()))
        batch_op.add_column(sa.Column('totp_secret', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True))
        batch_op.add_column(sa.Column('totp_last_step', sa.Integer(), nullable=False, server_default='0'))

    with op.batch_alter_table('authsession', schema=None) as batch_op:
        batch_op.add_column(sa.Column('nonce_hash', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('stage', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('last_seen_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True))
        batch_op.add_column(sa.Column('device', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('roles_key', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False, server_default=''))



def downgrade() -> None:
    with op.batch_alter_table('authsession', schema=None) as batch_op:
        batch_op.drop_column('roles_key')
        batch_op.drop_column('device')
        batch_op.drop_column('last_seen_at')
        batch_op.drop_column('stage')
        batch_op.drop_column('nonce_hash')

    with op.batch_alter_table('account', schema=None) as batch_op:
        batch_op.drop_column('totp_last_step')
        batch_op.drop_column('totp_secret')
        batch_op.drop_column('must_change_password')

    with op.batch_alter_table('phonecode', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_phonecode_mobile'))
        batch_op.drop_index(batch_op.f('ix_phonecode_created_at'))
        batch_op.drop_index(batch_op.f('ix_phonecode_client_key'))

    op.drop_table('phonecode')
