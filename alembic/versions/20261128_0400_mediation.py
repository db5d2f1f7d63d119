"""mediation: case numbers, parties without an account, visible/private/internal timeline steps
with a channel, evidence photos, sessions holding a mediation-room slot, per-community clock
settings; 议事 topics with comments, a poll and a decision.

Existing rows are kept: each case gets its number (<community name without 社区>-<year>-<seq>,
by creation order) and the counters follow; "open" becomes "new", "settled" becomes "closed"
with outcome "agreed" and the old outcome text as the agreement; the old categories map onto the
new ones; parties get their name and household address copied; updates become public app
steps ("update") written by their author.

Revision ID: 0400
Revises: 0100_trust
Create Date: 2026-11-28
"""
from collections.abc import Sequence
from zoneinfo import ZoneInfo

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = '0400'
down_revision: str | None = '0100_trust'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

CATEGORY_MAP = {"neighbour": "other", "parking": "parking", "elderly_support": "elderly_support",
                "family": "family", "noise": "noise", "pet": "pet"}
STATUS_MAP = {"open": "new", "in_progress": "in_progress", "settled": "closed", "closed": "closed"}
ZONE = ZoneInfo("Asia/Shanghai")

_case = sa.table(
    "mediationcase", sa.column("id", sa.Integer), sa.column("community_id", sa.Integer),
    sa.column("created_at", sqlmodel.sql.sqltypes.UTCDateTime()), sa.column("status", sa.String),
    sa.column("category", sa.String), sa.column("outcome", sa.String),
)


def _fill_cases(bind) -> None:
    names = dict(bind.execute(sa.text("SELECT id, name FROM community")).all())
    zones = dict(bind.execute(sa.text("SELECT id, timezone FROM community")).all())
    counters: dict[tuple[int, int], int] = {}
    rows = bind.execute(sa.select(_case.c.id, _case.c.community_id, _case.c.created_at, _case.c.status,
                                  _case.c.category, _case.c.outcome).order_by(_case.c.created_at, _case.c.id)).all()
    for cid, community_id, created_at, status, category, outcome in rows:
        try:
            zone = ZoneInfo(zones.get(community_id) or "Asia/Shanghai")
        except (KeyError, ValueError):
            zone = ZONE
        year = created_at.astimezone(zone).year
        seq = counters[(community_id, year)] = counters.get((community_id, year), 0) + 1
        prefix = (names.get(community_id) or "").removesuffix("社区") or str(community_id)
        new_status = STATUS_MAP.get(status, "in_progress")
        bind.execute(sa.text(
            "UPDATE mediationcase SET number = :number, year = :year, seq = :seq, status = :status, "
            "category = :category, agreement = :agreement, outcome = :outcome WHERE id = :id"
        ).bindparams(number=f"{prefix}-{year}-{seq:04d}", year=year, seq=seq, status=new_status,
                     category=CATEGORY_MAP.get(category, "other"), agreement=outcome or "",
                     outcome="agreed" if status == "settled" else "", id=cid))
    for (community_id, year), last in counters.items():
        bind.execute(sa.text("INSERT INTO mediationcounter (community_id, year, last) VALUES (:c, :y, :n)")
                     .bindparams(c=community_id, y=year, n=last))
    bind.execute(sa.text(
        "UPDATE mediationcase SET mediator_account_id = assigned_account_id, "
        "updated_at = created_at, "
        "first_answer_at = (SELECT min(u.created_at) FROM caseupdate u WHERE u.case_id = mediationcase.id), "
        "last_feedback_at = (SELECT max(u.created_at) FROM caseupdate u WHERE u.case_id = mediationcase.id)"))


def _fill_parties(bind) -> None:
    rows = bind.execute(sa.text(
        "SELECT p.id, r.name, h.building, h.unit, h.room, c.name FROM caseparty p "
        "JOIN resident r ON r.id = p.resident_id "
        "LEFT JOIN household h ON h.id = r.household_id LEFT JOIN compound c ON c.id = h.compound_id")).all()
    for pid, name, building, unit, room, compound in rows:
        address = ""
        if building is not None:
            address = f"{compound or ''} {building}号楼{f'{unit}单元' if unit else ''}{room}室".strip()
        bind.execute(sa.text("UPDATE caseparty SET name = :n, address = :a WHERE id = :id")
                     .bindparams(n=(name or "")[:32], a=address[:200], id=pid))


def _sqlite_foreign_keys(on: bool) -> None:
    """SQLite rebuilds a table to change it (batch mode: copy, DROP, rename); DROP TABLE of a
    table other rows point at fails while foreign keys are enforced, and the pragma is ignored
    inside a transaction. So: end the transaction, switch, begin again; and check every
    reference before switching enforcement back on."""
    bind = op.get_bind()
    if bind.dialect.name != "sqlite":
        return
    if on:
        bad = bind.exec_driver_sql("PRAGMA foreign_key_check").all()
        if bad:
            raise RuntimeError(f"foreign keys broken by the migration: {bad[:5]}")
        # alembic/env.py runs every SQLite migration with enforcement off and switches it back on
        # (after the same check) once all of them are done: later migrations rebuild tables too.
        return
    if bind.exec_driver_sql("PRAGMA foreign_keys").scalar() == int(on):
        return
    bind.exec_driver_sql("COMMIT")
    bind.exec_driver_sql(f"PRAGMA foreign_keys={'ON' if on else 'OFF'}")
    bind.exec_driver_sql("BEGIN")


def upgrade() -> None:
    _sqlite_foreign_keys(False)
    op.create_table('mediationcounter',
    sa.Column('community_id', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('last', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['community_id'], ['community.id'], name=op.f('fk_mediationcounter_community_id_community')),
    sa.PrimaryKeyConstraint('community_id', 'year', name=op.f('pk_mediationcounter'))
    )
    op.create_table('mediationsettings',
    sa.Column('community_id', sa.Integer(), nullable=False),
    sa.Column('quiet_days', sa.Integer(), nullable=False),
    sa.Column('answer_hours', sa.Integer(), nullable=False),
    sa.Column('room_type_id', sa.Integer(), nullable=True),
    sa.Column('updated_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['community_id'], ['community.id'], name=op.f('fk_mediationsettings_community_id_community')),
    sa.ForeignKeyConstraint(['room_type_id'], ['servicetype.id'], name=op.f('fk_mediationsettings_room_type_id_servicetype')),
    sa.PrimaryKeyConstraint('community_id', name=op.f('pk_mediationsettings'))
    )
    op.create_table('topic',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('community_id', sa.Integer(), nullable=False),
    sa.Column('title', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
    sa.Column('body', sqlmodel.sql.sqltypes.AutoString(length=2000), nullable=False),
    sa.Column('compound_id', sa.Integer(), nullable=True),
    sa.Column('buildings', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
    sa.Column('status', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('poll_question', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('decision', sqlmodel.sql.sqltypes.AutoString(length=2000), nullable=False),
    sa.Column('decided_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    sa.Column('decided_by_account_id', sa.Integer(), nullable=True),
    sa.Column('opened_by_account_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['community_id'], ['community.id'], name=op.f('fk_topic_community_id_community')),
    sa.ForeignKeyConstraint(['compound_id'], ['compound.id'], name=op.f('fk_topic_compound_id_compound')),
    sa.ForeignKeyConstraint(['decided_by_account_id'], ['account.id'], name=op.f('fk_topic_decided_by_account_id_account')),
    sa.ForeignKeyConstraint(['opened_by_account_id'], ['account.id'], name=op.f('fk_topic_opened_by_account_id_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_topic'))
    )
    with op.batch_alter_table('topic', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_topic_community_id'), ['community_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_topic_created_at'), ['created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_topic_status'), ['status'], unique=False)

    op.create_table('mediationsession',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('slot_id', sa.Integer(), nullable=False),
    sa.Column('holding_slot_id', sa.Integer(), nullable=True),
    sa.Column('status', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('note', sqlmodel.sql.sqltypes.AutoString(length=500), nullable=False),
    sa.Column('created_by_account_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.CheckConstraint('holding_slot_id IS NULL OR holding_slot_id = slot_id', name=op.f('ck_mediationsession_session_holds_own_slot')),
    sa.ForeignKeyConstraint(['case_id'], ['mediationcase.id'], name=op.f('fk_mediationsession_case_id_mediationcase')),
    sa.ForeignKeyConstraint(['created_by_account_id'], ['account.id'], name=op.f('fk_mediationsession_created_by_account_id_account')),
    sa.ForeignKeyConstraint(['holding_slot_id'], ['serviceslot.id'], name=op.f('fk_mediationsession_holding_slot_id_serviceslot')),
    sa.ForeignKeyConstraint(['slot_id'], ['serviceslot.id'], name=op.f('fk_mediationsession_slot_id_serviceslot')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_mediationsession')),
    sa.UniqueConstraint('holding_slot_id', name=op.f('uq_mediationsession_holding_slot_id'))
    )
    with op.batch_alter_table('mediationsession', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_mediationsession_case_id'), ['case_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_mediationsession_created_at'), ['created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_mediationsession_slot_id'), ['slot_id'], unique=False)

    op.create_table('topiccomment',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('topic_id', sa.Integer(), nullable=False),
    sa.Column('account_id', sa.Integer(), nullable=True),
    sa.Column('author_name', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('staff', sa.Boolean(), nullable=False),
    sa.Column('body', sqlmodel.sql.sqltypes.AutoString(length=1000), nullable=False),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['account_id'], ['account.id'], name=op.f('fk_topiccomment_account_id_account')),
    sa.ForeignKeyConstraint(['topic_id'], ['topic.id'], name=op.f('fk_topiccomment_topic_id_topic')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_topiccomment'))
    )
    with op.batch_alter_table('topiccomment', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_topiccomment_created_at'), ['created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_topiccomment_topic_id'), ['topic_id'], unique=False)

    op.create_table('topicoption',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('topic_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('label', sqlmodel.sql.sqltypes.AutoString(length=60), nullable=False),
    sa.ForeignKeyConstraint(['topic_id'], ['topic.id'], name=op.f('fk_topicoption_topic_id_topic')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_topicoption')),
    sa.UniqueConstraint('topic_id', 'position', name=op.f('uq_topicoption_topic_id_position'))
    )
    with op.batch_alter_table('topicoption', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_topicoption_topic_id'), ['topic_id'], unique=False)

    op.create_table('topicvote',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('topic_id', sa.Integer(), nullable=False),
    sa.Column('option_id', sa.Integer(), nullable=False),
    sa.Column('resident_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['option_id'], ['topicoption.id'], name=op.f('fk_topicvote_option_id_topicoption')),
    sa.ForeignKeyConstraint(['resident_id'], ['resident.id'], name=op.f('fk_topicvote_resident_id_resident')),
    sa.ForeignKeyConstraint(['topic_id'], ['topic.id'], name=op.f('fk_topicvote_topic_id_topic')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_topicvote')),
    sa.UniqueConstraint('topic_id', 'resident_id', name=op.f('uq_topicvote_topic_id_resident_id'))
    )
    with op.batch_alter_table('topicvote', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_topicvote_created_at'), ['created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_topicvote_option_id'), ['option_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_topicvote_topic_id'), ['topic_id'], unique=False)

    op.create_table('casephoto',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('update_id', sa.Integer(), nullable=False),
    sa.Column('filename', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('content_type', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['mediationcase.id'], name=op.f('fk_casephoto_case_id_mediationcase')),
    sa.ForeignKeyConstraint(['update_id'], ['caseupdate.id'], name=op.f('fk_casephoto_update_id_caseupdate')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_casephoto'))
    )
    with op.batch_alter_table('casephoto', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_casephoto_case_id'), ['case_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_casephoto_created_at'), ['created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_casephoto_update_id'), ['update_id'], unique=False)


    with op.batch_alter_table('caseparty', schema=None) as batch_op:
        batch_op.add_column(sa.Column('name', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False,
                                      server_default=''))
        batch_op.add_column(sa.Column('address', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False,
                                      server_default=''))
        batch_op.add_column(sa.Column('phone', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False,
                                      server_default=''))
        batch_op.alter_column('resident_id', existing_type=sa.INTEGER(), nullable=True)
    _fill_parties(op.get_bind())
    with op.batch_alter_table('caseparty', schema=None) as batch_op:
        for col in ('name', 'address', 'phone'):
            batch_op.alter_column(col, server_default=None)
        batch_op.create_check_constraint(
            op.f('ck_caseparty_party_identified'), "resident_id IS NOT NULL OR name <> '' OR address <> ''")

    with op.batch_alter_table('caseupdate', schema=None) as batch_op:
        batch_op.add_column(sa.Column('status', sqlmodel.sql.sqltypes.AutoString(length=24), nullable=False,
                                      server_default='update'))
        batch_op.add_column(sa.Column('actor_account_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('note', sqlmodel.sql.sqltypes.AutoString(length=2000), nullable=False,
                                      server_default=''))
        batch_op.add_column(sa.Column('note_key', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False,
                                      server_default=''))
        batch_op.add_column(sa.Column('visibility', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False,
                                      server_default='public'))
        batch_op.add_column(sa.Column('channel', sqlmodel.sql.sqltypes.AutoString(length=8), nullable=False,
                                      server_default='app'))
        batch_op.add_column(sa.Column('party_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('session_id', sa.Integer(), nullable=True))
    op.execute("UPDATE caseupdate SET note = body, actor_account_id = author_account_id")
    with op.batch_alter_table('caseupdate', schema=None) as batch_op:
        for col in ('status', 'note', 'note_key', 'visibility', 'channel'):
            batch_op.alter_column(col, server_default=None)
        batch_op.create_index(batch_op.f('ix_caseupdate_party_id'), ['party_id'], unique=False)
        batch_op.drop_constraint(batch_op.f('fk_caseupdate_author_account_id_account'), type_='foreignkey')
        batch_op.create_foreign_key(batch_op.f('fk_caseupdate_session_id_mediationsession'), 'mediationsession',
                                    ['session_id'], ['id'])
        batch_op.create_foreign_key(batch_op.f('fk_caseupdate_party_id_caseparty'), 'caseparty', ['party_id'], ['id'])
        batch_op.create_foreign_key(batch_op.f('fk_caseupdate_actor_account_id_account'), 'account',
                                    ['actor_account_id'], ['id'])
        batch_op.create_check_constraint(op.f('ck_caseupdate_private_has_party'), "visibility <> 'private' OR party_id IS NOT NULL")
        batch_op.drop_column('author_account_id')
        batch_op.drop_column('body')

    text_cols = [('number', 48, ''), ('contact_times', 200, ''), ('intake_channel', 8, 'app'),
                 ('responsibility', 16, ''), ('responsibility_note', 500, ''), ('agreement', 2000, ''),
                 ('remedy', 500, '')]
    with op.batch_alter_table('mediationcase', schema=None) as batch_op:
        for name, length, default in text_cols:
            batch_op.add_column(sa.Column(name, sqlmodel.sql.sqltypes.AutoString(length=length), nullable=False,
                                          server_default=default))
        batch_op.add_column(sa.Column('year', sa.Integer(), nullable=False, server_default='0'))
        batch_op.add_column(sa.Column('seq', sa.Integer(), nullable=False, server_default='0'))
        batch_op.add_column(sa.Column('since', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('consent_share', sa.Boolean(), nullable=False, server_default=sa.false()))
        batch_op.add_column(sa.Column('mediator_account_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('on_behalf', sa.Boolean(), nullable=False, server_default=sa.false()))
        batch_op.add_column(sa.Column('updated_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True))
        batch_op.add_column(sa.Column('first_answer_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True))
        batch_op.add_column(sa.Column('last_feedback_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True))
        batch_op.add_column(sa.Column('reopen_requested_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True))
        batch_op.add_column(sa.Column('reopened_count', sa.Integer(), nullable=False, server_default='0'))
        batch_op.add_column(sa.Column('followup_on', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('followup_done_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True))
    _fill_cases(op.get_bind())
    with op.batch_alter_table('mediationcase', schema=None) as batch_op:
        for name, _length, _default in text_cols:
            batch_op.alter_column(name, server_default=None)
        for name in ('year', 'seq', 'consent_share', 'on_behalf', 'reopened_count'):
            batch_op.alter_column(name, server_default=None)
        batch_op.alter_column('updated_at', existing_type=sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False)
        batch_op.alter_column('outcome', existing_type=sa.VARCHAR(length=1000),
                              type_=sqlmodel.sql.sqltypes.AutoString(length=16), existing_nullable=False)
        batch_op.drop_index(batch_op.f('ix_mediationcase_assigned_account_id'))
        batch_op.create_index(batch_op.f('ix_mediationcase_last_feedback_at'), ['last_feedback_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_mediationcase_mediator_account_id'), ['mediator_account_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_mediationcase_status'), ['status'], unique=False)
        batch_op.create_unique_constraint(batch_op.f('uq_mediationcase_community_id_year_seq'),
                                          ['community_id', 'year', 'seq'])
        batch_op.create_unique_constraint(batch_op.f('uq_mediationcase_number'), ['number'])
        batch_op.drop_constraint(batch_op.f('fk_mediationcase_assigned_account_id_account'), type_='foreignkey')
        batch_op.create_foreign_key(batch_op.f('fk_mediationcase_mediator_account_id_account'), 'account',
                                    ['mediator_account_id'], ['id'])
        batch_op.drop_column('assigned_account_id')
    _sqlite_foreign_keys(True)


def downgrade() -> None:
    _sqlite_foreign_keys(False)
    # Parties without a resident record cannot exist in the old schema (their private steps go
    # with them); every other step is kept as an update. Photos and sessions have no old table.
    op.execute("DELETE FROM casephoto")
    op.execute("DELETE FROM caseupdate WHERE party_id IN (SELECT id FROM caseparty WHERE resident_id IS NULL)")
    op.execute("UPDATE caseupdate SET session_id = NULL, party_id = NULL, visibility = 'public'")
    op.execute("DELETE FROM caseparty WHERE resident_id IS NULL")
    with op.batch_alter_table('mediationcase', schema=None) as batch_op:
        batch_op.add_column(sa.Column('assigned_account_id', sa.INTEGER(), nullable=True))
        batch_op.alter_column('outcome', existing_type=sqlmodel.sql.sqltypes.AutoString(length=16),
                              type_=sa.VARCHAR(length=1000), existing_nullable=False)
    op.execute("UPDATE mediationcase SET assigned_account_id = mediator_account_id, "
               "status = CASE WHEN status = 'new' THEN 'open' "
               "WHEN status = 'closed' AND outcome = 'agreed' THEN 'settled' ELSE status END, "
               "outcome = agreement")
    with op.batch_alter_table('mediationcase', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_mediationcase_mediator_account_id_account'), type_='foreignkey')
        batch_op.create_foreign_key(batch_op.f('fk_mediationcase_assigned_account_id_account'), 'account',
                                    ['assigned_account_id'], ['id'])
        batch_op.drop_constraint(batch_op.f('uq_mediationcase_number'), type_='unique')
        batch_op.drop_constraint(batch_op.f('uq_mediationcase_community_id_year_seq'), type_='unique')
        batch_op.drop_index(batch_op.f('ix_mediationcase_status'))
        batch_op.drop_index(batch_op.f('ix_mediationcase_mediator_account_id'))
        batch_op.drop_index(batch_op.f('ix_mediationcase_last_feedback_at'))
        batch_op.create_index(batch_op.f('ix_mediationcase_assigned_account_id'), ['assigned_account_id'], unique=False)
        for name in ('followup_done_at', 'followup_on', 'reopened_count', 'reopen_requested_at', 'last_feedback_at',
                     'first_answer_at', 'updated_at', 'remedy', 'agreement', 'responsibility_note',
                     'responsibility', 'intake_channel', 'on_behalf', 'mediator_account_id', 'consent_share',
                     'contact_times', 'since', 'seq', 'year', 'number'):
            batch_op.drop_column(name)

    with op.batch_alter_table('caseupdate', schema=None) as batch_op:
        batch_op.add_column(sa.Column('body', sa.VARCHAR(length=2000), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('author_account_id', sa.INTEGER(), nullable=True))
    op.execute("UPDATE caseupdate SET body = CASE WHEN note = '' THEN status ELSE note END, "
               "author_account_id = actor_account_id")
    with op.batch_alter_table('caseupdate', schema=None) as batch_op:
        batch_op.alter_column('body', server_default=None)
        batch_op.drop_constraint(op.f('ck_caseupdate_private_has_party'), type_='check')
        batch_op.drop_constraint(batch_op.f('fk_caseupdate_actor_account_id_account'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('fk_caseupdate_party_id_caseparty'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('fk_caseupdate_session_id_mediationsession'), type_='foreignkey')
        batch_op.create_foreign_key(batch_op.f('fk_caseupdate_author_account_id_account'), 'account',
                                    ['author_account_id'], ['id'])
        batch_op.drop_index(batch_op.f('ix_caseupdate_party_id'))
        for name in ('session_id', 'party_id', 'channel', 'visibility', 'note_key', 'note', 'actor_account_id',
                     'status'):
            batch_op.drop_column(name)

    with op.batch_alter_table('caseparty', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_caseparty_party_identified'), type_='check')
        batch_op.alter_column('resident_id', existing_type=sa.INTEGER(), nullable=False)
        batch_op.drop_column('phone')
        batch_op.drop_column('address')
        batch_op.drop_column('name')

    with op.batch_alter_table('casephoto', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_casephoto_update_id'))
        batch_op.drop_index(batch_op.f('ix_casephoto_created_at'))
        batch_op.drop_index(batch_op.f('ix_casephoto_case_id'))

    op.drop_table('casephoto')
    with op.batch_alter_table('topicvote', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_topicvote_topic_id'))
        batch_op.drop_index(batch_op.f('ix_topicvote_option_id'))
        batch_op.drop_index(batch_op.f('ix_topicvote_created_at'))

    op.drop_table('topicvote')
    with op.batch_alter_table('topicoption', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_topicoption_topic_id'))

    op.drop_table('topicoption')
    with op.batch_alter_table('topiccomment', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_topiccomment_topic_id'))
        batch_op.drop_index(batch_op.f('ix_topiccomment_created_at'))

    op.drop_table('topiccomment')
    with op.batch_alter_table('mediationsession', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_mediationsession_slot_id'))
        batch_op.drop_index(batch_op.f('ix_mediationsession_created_at'))
        batch_op.drop_index(batch_op.f('ix_mediationsession_case_id'))

    op.drop_table('mediationsession')
    with op.batch_alter_table('topic', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_topic_status'))
        batch_op.drop_index(batch_op.f('ix_topic_created_at'))
        batch_op.drop_index(batch_op.f('ix_topic_community_id'))

    op.drop_table('topic')
    op.drop_table('mediationsettings')
    op.drop_table('mediationcounter')
    _sqlite_foreign_keys(True)
