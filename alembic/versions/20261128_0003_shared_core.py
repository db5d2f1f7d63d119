"""shared core: standard timeline notes as i18n keys; residents' birth dates

Booking events wrote their standard notes (代办, 现场登记, 候补转正) as codes in ``note``; they move
to ``note_key`` (booking.note.on_behalf / walk_in / waitlist) so ``note`` only holds what a person
wrote.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-28
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0003'
down_revision: str | None = '0002'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

CODES = ("on_behalf", "walk_in", "waitlist")


def upgrade() -> None:
    with op.batch_alter_table('resident', schema=None) as batch_op:
        batch_op.add_column(sa.Column('birth_date', sa.Date(), nullable=True))
    with op.batch_alter_table('bookingevent', schema=None) as batch_op:
        batch_op.add_column(sa.Column('note_key', sa.String(length=64), nullable=False, server_default=''))
    for code in CODES:
        op.execute(sa.text("UPDATE bookingevent SET note_key = :key, note = '' WHERE note = :code")
                   .bindparams(key=f"booking.note.{code}", code=code))
    with op.batch_alter_table('bookingevent', schema=None) as batch_op:
        batch_op.alter_column('note_key', server_default=None)


def downgrade() -> None:
    for code in CODES:
        op.execute(sa.text("UPDATE bookingevent SET note = :code WHERE note_key = :key")
                   .bindparams(key=f"booking.note.{code}", code=code))
    with op.batch_alter_table('bookingevent', schema=None) as batch_op:
        batch_op.drop_column('note_key')
    with op.batch_alter_table('resident', schema=None) as batch_op:
        batch_op.drop_column('birth_date')
