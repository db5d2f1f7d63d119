"""register: buildings assigned to grids, grid-scoped staff and per-community permissions, the
诉求 timeline (status / note_key like every timeline), request photos, diary kinds, notices

Back-fills: one Building per (compound, building) of the existing households, in the grid most of
its households are in; households without a grid are placed by their building; old request
updates move to status/note/actor; old requests get their kind, due time and updated time.

Revision ID: 0500
Revises: 0600
Create Date: 2026-11-28
"""
from datetime import timedelta
from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = '0500'
down_revision: str | None = '0600'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('notice',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('community_id', sa.Integer(), nullable=False),
    sa.Column('title', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
    sa.Column('body', sqlmodel.sql.sqltypes.AutoString(length=2000), nullable=False),
    sa.Column('author_account_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('withdrawn_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    sa.ForeignKeyConstraint(['author_account_id'], ['account.id'], name=op.f('fk_notice_author_account_id_account')),
    sa.ForeignKeyConstraint(['community_id'], ['community.id'], name=op.f('fk_notice_community_id_community')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_notice'))
    )
    with op.batch_alter_table('notice', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_notice_community_id'), ['community_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_notice_created_at'), ['created_at'], unique=False)

    op.create_table('staffpermission',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('account_id', sa.Integer(), nullable=False),
    sa.Column('community_id', sa.Integer(), nullable=False),
    sa.Column('perm', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('granted_by_account_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['account_id'], ['account.id'], name=op.f('fk_staffpermission_account_id_account')),
    sa.ForeignKeyConstraint(['community_id'], ['community.id'], name=op.f('fk_staffpermission_community_id_community')),
    sa.ForeignKeyConstraint(['granted_by_account_id'], ['account.id'], name=op.f('fk_staffpermission_granted_by_account_id_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_staffpermission')),
    sa.UniqueConstraint('account_id', 'community_id', 'perm', name=op.f('uq_staffpermission_account_id_community_id_perm'))
    )
    with op.batch_alter_table('staffpermission', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_staffpermission_account_id'), ['account_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_staffpermission_community_id'), ['community_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_staffpermission_created_at'), ['created_at'], unique=False)

    op.create_table('building',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('community_id', sa.Integer(), nullable=False),
    sa.Column('compound_id', sa.Integer(), nullable=False),
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('grid_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['community_id'], ['community.id'], name=op.f('fk_building_community_id_community')),
    sa.ForeignKeyConstraint(['compound_id'], ['compound.id'], name=op.f('fk_building_compound_id_compound')),
    sa.ForeignKeyConstraint(['grid_id'], ['grid.id'], name=op.f('fk_building_grid_id_grid')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_building')),
    sa.UniqueConstraint('compound_id', 'name', name=op.f('uq_building_compound_id_name'))
    )
    with op.batch_alter_table('building', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_building_community_id'), ['community_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_building_compound_id'), ['compound_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_building_grid_id'), ['grid_id'], unique=False)
    _backfill_buildings()

    op.create_table('noticeread',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('notice_id', sa.Integer(), nullable=False),
    sa.Column('account_id', sa.Integer(), nullable=False),
    sa.Column('read_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['account_id'], ['account.id'], name=op.f('fk_noticeread_account_id_account')),
    sa.ForeignKeyConstraint(['notice_id'], ['notice.id'], name=op.f('fk_noticeread_notice_id_notice')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_noticeread')),
    sa.UniqueConstraint('notice_id', 'account_id', name=op.f('uq_noticeread_notice_id_account_id'))
    )
    with op.batch_alter_table('noticeread', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_noticeread_account_id'), ['account_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_noticeread_notice_id'), ['notice_id'], unique=False)

    op.create_table('noticetarget',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('notice_id', sa.Integer(), nullable=False),
    sa.Column('grid_id', sa.Integer(), nullable=True),
    sa.Column('category', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=True),
    sa.ForeignKeyConstraint(['grid_id'], ['grid.id'], name=op.f('fk_noticetarget_grid_id_grid')),
    sa.ForeignKeyConstraint(['notice_id'], ['notice.id'], name=op.f('fk_noticetarget_notice_id_notice')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_noticetarget'))
    )
    with op.batch_alter_table('noticetarget', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_noticetarget_notice_id'), ['notice_id'], unique=False)

    op.create_table('requestphoto',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('request_id', sa.Integer(), nullable=False),
    sa.Column('filename', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('content_type', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['request_id'], ['residentrequest.id'], name=op.f('fk_requestphoto_request_id_residentrequest')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_requestphoto'))
    )
    with op.batch_alter_table('requestphoto', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_requestphoto_created_at'), ['created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_requestphoto_request_id'), ['request_id'], unique=False)

    with op.batch_alter_table('diaryentry', schema=None) as batch_op:
        batch_op.add_column(sa.Column('kind', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False,
                                      server_default='visit'))
        batch_op.create_index(batch_op.f('ix_diaryentry_household_id'), ['household_id'], unique=False)
    with op.batch_alter_table('diaryentry', schema=None) as batch_op:
        batch_op.alter_column('kind', server_default=None)

    with op.batch_alter_table('grid', schema=None) as batch_op:
        batch_op.add_column(sa.Column('leader_account_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_grid_leader_account_id_account'), 'account', ['leader_account_id'], ['id'])

    with op.batch_alter_table('requestupdate', schema=None) as batch_op:
        batch_op.add_column(sa.Column('status', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False,
                                      server_default='note'))
        batch_op.add_column(sa.Column('actor_account_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('note', sqlmodel.sql.sqltypes.AutoString(length=500), nullable=False,
                                      server_default=''))
        batch_op.add_column(sa.Column('note_key', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False,
                                      server_default=''))
        batch_op.add_column(sa.Column('public', sa.Boolean(), nullable=False, server_default=sa.true()))
    op.execute("UPDATE requestupdate SET status = CASE WHEN step = '' THEN 'note' ELSE step END, "
               "actor_account_id = author_account_id, note = substr(body, 1, 500)")
    with op.batch_alter_table('requestupdate', schema=None) as batch_op:
        batch_op.alter_column('status', server_default=None)
        batch_op.alter_column('note', server_default=None)
        batch_op.alter_column('note_key', server_default=None)
        batch_op.alter_column('public', server_default=None)
        batch_op.drop_constraint(batch_op.f('fk_requestupdate_author_account_id_account'), type_='foreignkey')
        batch_op.create_foreign_key(batch_op.f('fk_requestupdate_actor_account_id_account'), 'account', ['actor_account_id'], ['id'])
        batch_op.drop_column('body')
        batch_op.drop_column('step')
        batch_op.drop_column('author_account_id')

    with op.batch_alter_table('resident', schema=None) as batch_op:
        batch_op.add_column(sa.Column('moved_out_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True))

    with op.batch_alter_table('residentrequest', schema=None) as batch_op:
        batch_op.add_column(sa.Column('kind', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False,
                                      server_default='report'))
        batch_op.add_column(sa.Column('grid_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('assigned_account_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('created_by_account_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('on_behalf', sa.Boolean(), nullable=False, server_default=sa.false()))
        batch_op.add_column(sa.Column('due_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True))
        batch_op.add_column(sa.Column('closed_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True))
        batch_op.add_column(sa.Column('close_reason', sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False,
                                      server_default=''))
        batch_op.add_column(sa.Column('rating', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('rating_comment', sqlmodel.sql.sqltypes.AutoString(length=500), nullable=False,
                                      server_default=''))
        batch_op.add_column(sa.Column('updated_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True))
    _backfill_requests()
    with op.batch_alter_table('residentrequest', schema=None) as batch_op:
        batch_op.alter_column('kind', server_default=None)
        batch_op.alter_column('on_behalf', server_default=None)
        batch_op.alter_column('close_reason', server_default=None)
        batch_op.alter_column('rating_comment', server_default=None)
        batch_op.alter_column('updated_at', existing_type=sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False)
        batch_op.create_check_constraint(op.f('ck_residentrequest_request_rating_1_to_5'), 'rating IS NULL OR (rating >= 1 AND rating <= 5)')
        batch_op.create_index(batch_op.f('ix_residentrequest_assigned_account_id'), ['assigned_account_id'], unique=False)
        batch_op.create_index('ix_residentrequest_community_status', ['community_id', 'status', 'created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_residentrequest_grid_id'), ['grid_id'], unique=False)
        batch_op.create_index('ix_residentrequest_unanswered', ['community_id', 'responded_at', 'urgent'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_residentrequest_assigned_account_id_account'), 'account', ['assigned_account_id'], ['id'])
        batch_op.create_foreign_key(batch_op.f('fk_residentrequest_created_by_account_id_account'), 'account', ['created_by_account_id'], ['id'])
        batch_op.create_foreign_key(batch_op.f('fk_residentrequest_grid_id_grid'), 'grid', ['grid_id'], ['id'])

    with op.batch_alter_table('rolegrant', schema=None) as batch_op:
        batch_op.add_column(sa.Column('grid_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_rolegrant_grid_id_grid'), 'grid', ['grid_id'], ['id'])


def _backfill_buildings() -> None:
    """One building per (compound, building) of the households, in the grid of its households
    (the smallest grid id when they disagree); then households without a grid join their
    building's."""
    op.execute(
        "INSERT INTO building (community_id, compound_id, name, grid_id) "
        "SELECT community_id, compound_id, building, MIN(grid_id) FROM household "
        "GROUP BY community_id, compound_id, building"
    )
    op.execute(
        "UPDATE household SET grid_id = (SELECT b.grid_id FROM building b WHERE b.compound_id = household.compound_id "
        "AND b.name = household.building) WHERE grid_id IS NULL"
    )


def _backfill_requests() -> None:
    """Kind from the category, a response due 10 minutes (urgent) or a day after the report,
    updated = the last thing that happened, the grid of the reporter's household."""
    rr = sa.table('residentrequest', sa.column('id', sa.Integer), sa.column('category', sa.String),
                  sa.column('urgent', sa.Boolean), sa.column('kind', sa.String),
                  sa.column('created_at', sqlmodel.sql.sqltypes.UTCDateTime()),
                  sa.column('responded_at', sqlmodel.sql.sqltypes.UTCDateTime()),
                  sa.column('solved_at', sqlmodel.sql.sqltypes.UTCDateTime()),
                  sa.column('due_at', sqlmodel.sql.sqltypes.UTCDateTime()),
                  sa.column('updated_at', sqlmodel.sql.sqltypes.UTCDateTime()))
    bind = op.get_bind()
    rows = bind.execute(sa.select(rr.c.id, rr.c.category, rr.c.urgent, rr.c.created_at, rr.c.responded_at,
                                  rr.c.solved_at)).all()
    for rid, category, urgent, created, responded, solved in rows:
        if category == 'opinion':
            due = created + timedelta(days=3)
        else:
            due = created + (timedelta(minutes=10) if urgent else timedelta(days=1))
        last = max(t for t in (created, responded, solved) if t is not None)
        bind.execute(sa.update(rr).where(rr.c.id == rid).values(
            kind='opinion' if category == 'opinion' else 'report', due_at=due, updated_at=last))
    op.execute(
        "UPDATE residentrequest SET grid_id = (SELECT h.grid_id FROM resident r JOIN household h "
        "ON h.id = r.household_id WHERE r.id = residentrequest.resident_id) WHERE resident_id IS NOT NULL"
    )


def downgrade() -> None:
    with op.batch_alter_table('rolegrant', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_rolegrant_grid_id_grid'), type_='foreignkey')
        batch_op.drop_column('grid_id')

    with op.batch_alter_table('residentrequest', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_residentrequest_request_rating_1_to_5'), type_='check')
        batch_op.drop_constraint(batch_op.f('fk_residentrequest_grid_id_grid'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('fk_residentrequest_created_by_account_id_account'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('fk_residentrequest_assigned_account_id_account'), type_='foreignkey')
        batch_op.drop_index('ix_residentrequest_unanswered')
        batch_op.drop_index(batch_op.f('ix_residentrequest_grid_id'))
        batch_op.drop_index('ix_residentrequest_community_status')
        batch_op.drop_index(batch_op.f('ix_residentrequest_assigned_account_id'))
        batch_op.drop_column('updated_at')
        batch_op.drop_column('rating_comment')
        batch_op.drop_column('rating')
        batch_op.drop_column('close_reason')
        batch_op.drop_column('closed_at')
        batch_op.drop_column('due_at')
        batch_op.drop_column('on_behalf')
        batch_op.drop_column('created_by_account_id')
        batch_op.drop_column('assigned_account_id')
        batch_op.drop_column('grid_id')
        batch_op.drop_column('kind')

    with op.batch_alter_table('resident', schema=None) as batch_op:
        batch_op.drop_column('moved_out_at')

    with op.batch_alter_table('requestupdate', schema=None) as batch_op:
        batch_op.add_column(sa.Column('author_account_id', sa.INTEGER(), nullable=True))
        batch_op.add_column(sa.Column('step', sa.VARCHAR(length=16), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('body', sa.VARCHAR(length=2000), nullable=False, server_default=''))
    op.execute("UPDATE requestupdate SET author_account_id = actor_account_id, body = note, step = CASE WHEN status "
               "IN ('respond', 'inform', 'coordinate', 'fix', 'review') THEN status ELSE '' END")
    with op.batch_alter_table('requestupdate', schema=None) as batch_op:
        batch_op.alter_column('step', server_default=None)
        batch_op.alter_column('body', server_default=None)
        batch_op.drop_constraint(batch_op.f('fk_requestupdate_actor_account_id_account'), type_='foreignkey')
        batch_op.create_foreign_key(batch_op.f('fk_requestupdate_author_account_id_account'), 'account', ['author_account_id'], ['id'])
        batch_op.drop_column('public')
        batch_op.drop_column('note_key')
        batch_op.drop_column('note')
        batch_op.drop_column('actor_account_id')
        batch_op.drop_column('status')

    with op.batch_alter_table('grid', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_grid_leader_account_id_account'), type_='foreignkey')
        batch_op.drop_column('leader_account_id')

    with op.batch_alter_table('diaryentry', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_diaryentry_household_id'))
        batch_op.drop_column('kind')

    with op.batch_alter_table('requestphoto', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_requestphoto_request_id'))
        batch_op.drop_index(batch_op.f('ix_requestphoto_created_at'))

    op.drop_table('requestphoto')
    with op.batch_alter_table('noticetarget', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_noticetarget_notice_id'))

    op.drop_table('noticetarget')
    with op.batch_alter_table('noticeread', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_noticeread_notice_id'))
        batch_op.drop_index(batch_op.f('ix_noticeread_account_id'))

    op.drop_table('noticeread')
    with op.batch_alter_table('building', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_building_grid_id'))
        batch_op.drop_index(batch_op.f('ix_building_compound_id'))
        batch_op.drop_index(batch_op.f('ix_building_community_id'))

    op.drop_table('building')
    with op.batch_alter_table('staffpermission', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_staffpermission_created_at'))
        batch_op.drop_index(batch_op.f('ix_staffpermission_community_id'))
        batch_op.drop_index(batch_op.f('ix_staffpermission_account_id'))

    op.drop_table('staffpermission')
    with op.batch_alter_table('notice', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_notice_created_at'))
        batch_op.drop_index(batch_op.f('ix_notice_community_id'))

    op.drop_table('notice')
