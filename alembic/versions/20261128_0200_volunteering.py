"""volunteering: shifts as time blocks with sign-ups, verified hours, a ledger with balances,
the points shop with pick-up codes, team applications and visits to elders living alone

The old ``shift`` table held one person's sign-up for an activity. It becomes ``shiftsignup``
(same ids, so points paid for a sign-up keep pointing at it) under a new ``shift``: one time
block per existing activity, with its places and points. Attended sign-ups get their service
time. Ledger entries get a kind, a reason key, a unique source and the running balance; each
resident gets a balance row. Pending redemptions get a pick-up code.

Revision ID: 0200
Revises: 0500
Create Date: 2026-11-28
"""
import secrets
from collections import defaultdict
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = '0200'
down_revision: str | None = '0500'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

UTC_DT = sqlmodel.sql.sqltypes.UTCDateTime
S = sqlmodel.sql.sqltypes.AutoString
PICKUP_DAYS = 30
DEFAULT_PLACES = 10

old_shift = sa.table('shift', sa.column('id', sa.Integer), sa.column('activity_id', sa.Integer),
                     sa.column('resident_id', sa.Integer), sa.column('status', sa.String),
                     sa.column('created_at', UTC_DT()))
activity = sa.table('activity', sa.column('id', sa.Integer), sa.column('community_id', sa.Integer),
                    sa.column('team_id', sa.Integer), sa.column('title', sa.String),
                    sa.column('location', sa.String), sa.column('starts_at', UTC_DT()),
                    sa.column('ends_at', UTC_DT()), sa.column('points', sa.Integer))
shift = sa.table('shift', sa.column('id', sa.Integer), sa.column('activity_id', sa.Integer),
                 sa.column('starts_at', UTC_DT()), sa.column('ends_at', UTC_DT()),
                 sa.column('location', sa.String), sa.column('capacity', sa.Integer), sa.column('taken', sa.Integer),
                 sa.column('points', sa.Integer), sa.column('status', sa.String),
                 sa.column('checkin_code', sa.String), sa.column('checkout_code', sa.String),
                 sa.column('created_at', UTC_DT()))
signup = sa.table('shiftsignup', sa.column('id', sa.Integer), sa.column('shift_id', sa.Integer),
                  sa.column('resident_id', sa.Integer), sa.column('status', sa.String),
                  sa.column('holding_shift_id', sa.Integer), sa.column('minutes', sa.Integer),
                  sa.column('verified_how', sa.String), sa.column('verified_at', UTC_DT()),
                  sa.column('code_failures', sa.Integer), sa.column('note', sa.String),
                  sa.column('created_at', UTC_DT()))
hours = sa.table('servicehours', sa.column('community_id', sa.Integer), sa.column('resident_id', sa.Integer),
                 sa.column('team_id', sa.Integer), sa.column('kind', sa.String), sa.column('how', sa.String),
                 sa.column('source', sa.String), sa.column('title', sa.String), sa.column('served_on', sa.Date),
                 sa.column('minutes', sa.Integer), sa.column('reason', sa.String), sa.column('created_at', UTC_DT()))
entry = sa.table('pointsentry', sa.column('id', sa.Integer), sa.column('community_id', sa.Integer),
                 sa.column('resident_id', sa.Integer), sa.column('delta', sa.Integer), sa.column('kind', sa.String),
                 sa.column('reason_key', sa.String), sa.column('source', sa.String),
                 sa.column('balance_after', sa.Integer), sa.column('created_at', UTC_DT()))
balance = sa.table('pointsbalance', sa.column('resident_id', sa.Integer), sa.column('community_id', sa.Integer),
                   sa.column('balance', sa.Integer), sa.column('earned', sa.Integer),
                   sa.column('updated_at', UTC_DT()))
redemption = sa.table('redemption', sa.column('id', sa.Integer), sa.column('reward_id', sa.Integer),
                      sa.column('resident_id', sa.Integer), sa.column('status', sa.String),
                      sa.column('community_id', sa.Integer), sa.column('reward_name', sa.String),
                      sa.column('pickup_code', sa.String), sa.column('open_code', sa.String),
                      sa.column('expires_at', UTC_DT()), sa.column('created_at', UTC_DT()))
reward = sa.table('reward', sa.column('id', sa.Integer), sa.column('community_id', sa.Integer),
                  sa.column('name', sa.String))
offer = sa.table('rewardoffer', sa.column('reward_id', sa.Integer), sa.column('community_id', sa.Integer))
resident = sa.table('resident', sa.column('id', sa.Integer), sa.column('community_id', sa.Integer))

SHANGHAI = timedelta(hours=8)  # the deployment's zone when the legacy rows were written


def _code(n: int) -> str:
    return "".join(secrets.choice("0123456789") for _ in range(n))


def _is_pg() -> bool:
    return op.get_bind().dialect.name == "postgresql"


def _reset_sequence(table: str) -> None:
    if _is_pg():
        op.execute(sa.text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                           f"COALESCE((SELECT MAX(id) FROM {table}), 0) + 1, false)"))


def _new_tables() -> None:
    op.create_table('rewardoffer',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('reward_id', sa.Integer(), nullable=False),
    sa.Column('community_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['community_id'], ['community.id'], name=op.f('fk_rewardoffer_community_id_community')),
    sa.ForeignKeyConstraint(['reward_id'], ['reward.id'], name=op.f('fk_rewardoffer_reward_id_reward')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_rewardoffer')),
    sa.UniqueConstraint('reward_id', 'community_id', name=op.f('uq_rewardoffer_reward_id_community_id'))
    )
    with op.batch_alter_table('rewardoffer', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_rewardoffer_community_id'), ['community_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_rewardoffer_reward_id'), ['reward_id'], unique=False)

    op.create_table('pointsbalance',
    sa.Column('resident_id', sa.Integer(), nullable=False),
    sa.Column('community_id', sa.Integer(), nullable=False),
    sa.Column('balance', sa.Integer(), nullable=False),
    sa.Column('earned', sa.Integer(), nullable=False),
    sa.Column('updated_at', UTC_DT(), nullable=False),
    sa.CheckConstraint('balance >= 0', name=op.f('ck_pointsbalance_points_balance_nonnegative')),
    sa.ForeignKeyConstraint(['community_id'], ['community.id'], name=op.f('fk_pointsbalance_community_id_community')),
    sa.ForeignKeyConstraint(['resident_id'], ['resident.id'], name=op.f('fk_pointsbalance_resident_id_resident')),
    sa.PrimaryKeyConstraint('resident_id', name=op.f('pk_pointsbalance'))
    )
    with op.batch_alter_table('pointsbalance', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_pointsbalance_community_id'), ['community_id'], unique=False)

    op.create_table('servicehours',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('community_id', sa.Integer(), nullable=False),
    sa.Column('resident_id', sa.Integer(), nullable=False),
    sa.Column('team_id', sa.Integer(), nullable=True),
    sa.Column('kind', S(length=16), nullable=False),
    sa.Column('how', S(length=16), nullable=False),
    sa.Column('source', S(length=64), nullable=False),
    sa.Column('title', S(length=120), nullable=False),
    sa.Column('served_on', sa.Date(), nullable=False),
    sa.Column('minutes', sa.Integer(), nullable=False),
    sa.Column('reason', S(length=300), nullable=False),
    sa.Column('actor_account_id', sa.Integer(), nullable=True),
    sa.Column('created_at', UTC_DT(), nullable=False),
    sa.CheckConstraint('minutes > 0', name=op.f('ck_servicehours_hours_minutes_positive')),
    sa.ForeignKeyConstraint(['actor_account_id'], ['account.id'], name=op.f('fk_servicehours_actor_account_id_account')),
    sa.ForeignKeyConstraint(['community_id'], ['community.id'], name=op.f('fk_servicehours_community_id_community')),
    sa.ForeignKeyConstraint(['resident_id'], ['resident.id'], name=op.f('fk_servicehours_resident_id_resident')),
    sa.ForeignKeyConstraint(['team_id'], ['team.id'], name=op.f('fk_servicehours_team_id_team')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_servicehours')),
    sa.UniqueConstraint('source', name=op.f('uq_servicehours_source'))
    )
    with op.batch_alter_table('servicehours', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_servicehours_community_id'), ['community_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_servicehours_created_at'), ['created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_servicehours_resident_id'), ['resident_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_servicehours_served_on'), ['served_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_servicehours_team_id'), ['team_id'], unique=False)

    op.create_table('visitpair',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('community_id', sa.Integer(), nullable=False),
    sa.Column('elder_resident_id', sa.Integer(), nullable=False),
    sa.Column('volunteer_resident_id', sa.Integer(), nullable=False),
    sa.Column('active_elder_id', sa.Integer(), nullable=True),
    sa.Column('interval_days', sa.Integer(), nullable=False),
    sa.Column('next_due', sa.Date(), nullable=False),
    sa.Column('last_visit_at', UTC_DT(), nullable=True),
    sa.Column('created_by_account_id', sa.Integer(), nullable=True),
    sa.Column('ended_at', UTC_DT(), nullable=True),
    sa.Column('created_at', UTC_DT(), nullable=False),
    sa.CheckConstraint('interval_days >= 1 AND interval_days <= 90', name=op.f('ck_visitpair_visit_interval_range')),
    sa.ForeignKeyConstraint(['active_elder_id'], ['resident.id'], name=op.f('fk_visitpair_active_elder_id_resident')),
    sa.ForeignKeyConstraint(['community_id'], ['community.id'], name=op.f('fk_visitpair_community_id_community')),
    sa.ForeignKeyConstraint(['created_by_account_id'], ['account.id'], name=op.f('fk_visitpair_created_by_account_id_account')),
    sa.ForeignKeyConstraint(['elder_resident_id'], ['resident.id'], name=op.f('fk_visitpair_elder_resident_id_resident')),
    sa.ForeignKeyConstraint(['volunteer_resident_id'], ['resident.id'], name=op.f('fk_visitpair_volunteer_resident_id_resident')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_visitpair')),
    sa.UniqueConstraint('active_elder_id', 'volunteer_resident_id', name='one_active_pair')
    )
    with op.batch_alter_table('visitpair', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_visitpair_community_id'), ['community_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_visitpair_created_at'), ['created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_visitpair_elder_resident_id'), ['elder_resident_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_visitpair_next_due'), ['next_due'], unique=False)
        batch_op.create_index(batch_op.f('ix_visitpair_volunteer_resident_id'), ['volunteer_resident_id'], unique=False)

    op.create_table('visitlog',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('pair_id', sa.Integer(), nullable=False),
    sa.Column('community_id', sa.Integer(), nullable=False),
    sa.Column('elder_resident_id', sa.Integer(), nullable=False),
    sa.Column('volunteer_resident_id', sa.Integer(), nullable=False),
    sa.Column('visited_at', UTC_DT(), nullable=False),
    sa.Column('visit_day', sa.Date(), nullable=False),
    sa.Column('minutes', sa.Integer(), nullable=False),
    sa.Column('wellbeing', S(length=16), nullable=False),
    sa.Column('note', S(length=500), nullable=False),
    sa.Column('concern', S(length=500), nullable=False),
    sa.Column('concern_status', S(length=16), nullable=False),
    sa.Column('handled_note', S(length=300), nullable=False),
    sa.Column('handled_by_account_id', sa.Integer(), nullable=True),
    sa.Column('handled_at', UTC_DT(), nullable=True),
    sa.Column('created_at', UTC_DT(), nullable=False),
    sa.CheckConstraint('minutes > 0 AND minutes <= 480', name=op.f('ck_visitlog_visit_minutes_range')),
    sa.ForeignKeyConstraint(['community_id'], ['community.id'], name=op.f('fk_visitlog_community_id_community')),
    sa.ForeignKeyConstraint(['elder_resident_id'], ['resident.id'], name=op.f('fk_visitlog_elder_resident_id_resident')),
    sa.ForeignKeyConstraint(['handled_by_account_id'], ['account.id'], name=op.f('fk_visitlog_handled_by_account_id_account')),
    sa.ForeignKeyConstraint(['pair_id'], ['visitpair.id'], name=op.f('fk_visitlog_pair_id_visitpair')),
    sa.ForeignKeyConstraint(['volunteer_resident_id'], ['resident.id'], name=op.f('fk_visitlog_volunteer_resident_id_resident')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_visitlog')),
    sa.UniqueConstraint('pair_id', 'visit_day', name=op.f('uq_visitlog_pair_id_visit_day'))
    )
    with op.batch_alter_table('visitlog', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_visitlog_community_id'), ['community_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_visitlog_concern_status'), ['concern_status'], unique=False)
        batch_op.create_index(batch_op.f('ix_visitlog_created_at'), ['created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_visitlog_elder_resident_id'), ['elder_resident_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_visitlog_pair_id'), ['pair_id'], unique=False)


def _create_shift_tables() -> None:
    op.create_table('shift',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('activity_id', sa.Integer(), nullable=False),
    sa.Column('starts_at', UTC_DT(), nullable=False),
    sa.Column('ends_at', UTC_DT(), nullable=False),
    sa.Column('location', S(length=120), nullable=False),
    sa.Column('capacity', sa.Integer(), nullable=False),
    sa.Column('taken', sa.Integer(), nullable=False),
    sa.Column('points', sa.Integer(), nullable=False),
    sa.Column('status', S(length=16), nullable=False),
    sa.Column('checkin_code', S(length=8), nullable=False),
    sa.Column('checkout_code', S(length=8), nullable=False),
    sa.Column('created_at', UTC_DT(), nullable=False),
    sa.CheckConstraint('taken >= 0 AND taken <= capacity', name=op.f('ck_shift_shift_taken_within_capacity')),
    sa.CheckConstraint('points >= 0', name=op.f('ck_shift_shift_points_nonnegative')),
    sa.CheckConstraint('ends_at > starts_at', name=op.f('ck_shift_shift_ends_after_start')),
    sa.ForeignKeyConstraint(['activity_id'], ['activity.id'], name=op.f('fk_shift_activity_id_activity')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_shift'))
    )
    with op.batch_alter_table('shift', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_shift_activity_id'), ['activity_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_shift_created_at'), ['created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_shift_starts_at'), ['starts_at'], unique=False)

    op.create_table('shiftsignup',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('shift_id', sa.Integer(), nullable=False),
    sa.Column('resident_id', sa.Integer(), nullable=False),
    sa.Column('status', S(length=16), nullable=False),
    sa.Column('holding_shift_id', sa.Integer(), nullable=True),
    sa.Column('waiting_shift_id', sa.Integer(), nullable=True),
    sa.Column('checked_in_at', UTC_DT(), nullable=True),
    sa.Column('checked_out_at', UTC_DT(), nullable=True),
    sa.Column('minutes', sa.Integer(), nullable=True),
    sa.Column('verified_how', S(length=16), nullable=False),
    sa.Column('verified_by_account_id', sa.Integer(), nullable=True),
    sa.Column('verified_at', UTC_DT(), nullable=True),
    sa.Column('code_failures', sa.Integer(), nullable=False),
    sa.Column('note', S(length=300), nullable=False),
    sa.Column('created_at', UTC_DT(), nullable=False),
    sa.CheckConstraint('holding_shift_id IS NULL OR holding_shift_id = shift_id', name=op.f('ck_shiftsignup_signup_holds_own_shift')),
    sa.CheckConstraint('waiting_shift_id IS NULL OR waiting_shift_id = shift_id', name=op.f('ck_shiftsignup_signup_waits_own_shift')),
    sa.ForeignKeyConstraint(['holding_shift_id'], ['shift.id'], name=op.f('fk_shiftsignup_holding_shift_id_shift')),
    sa.ForeignKeyConstraint(['resident_id'], ['resident.id'], name=op.f('fk_shiftsignup_resident_id_resident')),
    sa.ForeignKeyConstraint(['shift_id'], ['shift.id'], name=op.f('fk_shiftsignup_shift_id_shift')),
    sa.ForeignKeyConstraint(['verified_by_account_id'], ['account.id'], name=op.f('fk_shiftsignup_verified_by_account_id_account')),
    sa.ForeignKeyConstraint(['waiting_shift_id'], ['shift.id'], name=op.f('fk_shiftsignup_waiting_shift_id_shift')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_shiftsignup')),
    sa.UniqueConstraint('holding_shift_id', 'resident_id', name='one_place_per_volunteer_per_shift'),
    sa.UniqueConstraint('waiting_shift_id', 'resident_id', name='one_wait_per_volunteer_per_shift')
    )
    with op.batch_alter_table('shiftsignup', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_shiftsignup_created_at'), ['created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_shiftsignup_resident_id'), ['resident_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_shiftsignup_shift_id'), ['shift_id'], unique=False)


def _activities() -> None:
    """Recreated on SQLite (batch): only once nothing references it (the old shift table is gone)."""
    with op.batch_alter_table('activity', schema=None) as batch_op:
        batch_op.add_column(sa.Column('members_only', sa.Boolean(), nullable=False, server_default=sa.false()))
        batch_op.add_column(sa.Column('status', S(length=16), nullable=False, server_default='open'))
        batch_op.add_column(sa.Column('cancel_reason', S(length=200), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('created_by_account_id', sa.Integer(), nullable=True))
    with op.batch_alter_table('activity', schema=None) as batch_op:
        batch_op.alter_column('members_only', server_default=None)
        batch_op.alter_column('status', server_default=None)
        batch_op.alter_column('cancel_reason', server_default=None)
        batch_op.create_foreign_key(batch_op.f('fk_activity_created_by_account_id_account'), 'account',
                                    ['created_by_account_id'], ['id'])


def _move_signups() -> None:
    """Old one-person 'shift' rows become sign-ups (same ids) on one new shift per activity."""
    conn = op.get_bind()
    old = conn.execute(sa.select(old_shift.c.id, old_shift.c.activity_id, old_shift.c.resident_id,
                                 old_shift.c.status, old_shift.c.created_at).order_by(old_shift.c.id)).all()
    acts = conn.execute(sa.select(activity)).all()
    op.drop_table('shift')  # its indexes go with it
    _activities()
    _create_shift_tables()
    by_activity = defaultdict(list)
    for row in old:
        by_activity[row.activity_id].append(row)
    now = datetime.now(UTC)
    for a in acts:
        rows = by_activity.get(a.id, [])
        holding = [r for r in rows if r.status in ("signed_up", "attended")]
        minutes = max(1, int((a.ends_at - a.starts_at).total_seconds() // 60))
        shift_id = conn.execute(sa.insert(shift).values(
            activity_id=a.id, starts_at=a.starts_at, ends_at=a.ends_at, location=a.location or '',
            capacity=max(DEFAULT_PLACES, len(holding)), taken=len(holding), points=max(0, a.points or 0),
            status='open', checkin_code=_code(6), checkout_code=_code(6), created_at=now,
        ).returning(shift.c.id)).scalar_one()
        for r in rows:
            attended = r.status == "attended"
            conn.execute(sa.insert(signup).values(
                id=r.id, shift_id=shift_id, resident_id=r.resident_id,
                status={"attended": "attended", "signed_up": "signed_up"}.get(r.status, "withdrawn"),
                holding_shift_id=shift_id if r.status in ("signed_up", "attended") else None,
                minutes=minutes if attended else None, verified_how="leader" if attended else "",
                verified_at=a.ends_at if attended else None, code_failures=0, note='', created_at=r.created_at,
            ))
            if attended:
                conn.execute(sa.insert(hours).values(
                    community_id=a.community_id, resident_id=r.resident_id, team_id=a.team_id, kind="shift",
                    how="leader", source=f"signup:{r.id}", title=a.title[:120],
                    served_on=(a.starts_at.astimezone(UTC) + SHANGHAI).date(), minutes=minutes, reason='',
                    created_at=a.ends_at,
                ))
    _reset_sequence('shiftsignup')


def _ledger() -> None:
    with op.batch_alter_table('pointsentry', schema=None) as batch_op:
        batch_op.add_column(sa.Column('kind', S(length=16), nullable=True))
        batch_op.add_column(sa.Column('reason_key', S(length=64), nullable=True))
        batch_op.add_column(sa.Column('balance_after', sa.Integer(), nullable=True))
    conn = op.get_bind()
    rows = conn.execute(sa.select(entry.c.id, entry.c.community_id, entry.c.resident_id, entry.c.delta,
                                  entry.c.source).order_by(entry.c.created_at, entry.c.id)).all()
    running: dict[int, int] = defaultdict(int)
    earned: dict[int, int] = defaultdict(int)
    community: dict[int, int] = {}
    for r in rows:
        src = r.source or f"legacy:{r.id}"
        if src.startswith("shift:"):
            src = "signup:" + src.split(":", 1)[1]
        elif src.startswith("redemption:"):
            src = "redeem:" + src.split(":", 1)[1]
        kind = "redeemed" if src.startswith("redeem:") else ("earned" if r.delta > 0 else "adjusted")
        running[r.resident_id] += r.delta
        earned[r.resident_id] += r.delta if kind == "earned" else 0
        community[r.resident_id] = r.community_id
        conn.execute(sa.update(entry).where(entry.c.id == r.id).values(
            kind=kind, reason_key="points.reason.legacy", source=src, balance_after=running[r.resident_id]))
    now = datetime.now(UTC)
    for rid, total in running.items():
        conn.execute(sa.insert(balance).values(resident_id=rid, community_id=community[rid], balance=total,
                                               earned=earned[rid], updated_at=now))
    with op.batch_alter_table('pointsentry', schema=None) as batch_op:
        batch_op.alter_column('kind', existing_type=S(length=16), nullable=False)
        batch_op.alter_column('reason_key', existing_type=S(length=64), nullable=False)
        batch_op.alter_column('balance_after', existing_type=sa.Integer(), nullable=False)
        batch_op.alter_column('source', existing_type=sa.VARCHAR(length=64), nullable=False)
        batch_op.create_check_constraint(
            'points_kind_sign',
            "(kind IN ('earned', 'refunded') AND delta > 0) OR (kind IN ('redeemed', 'expired') AND delta < 0)"
            " OR (kind = 'adjusted' AND delta <> 0)")
        batch_op.create_check_constraint('points_balance_after_nonnegative', 'balance_after >= 0')
        batch_op.create_index('ix_pointsentry_community_kind_time', ['community_id', 'kind', 'created_at'], unique=False)
        batch_op.create_index('ix_pointsentry_resident_time', ['resident_id', 'created_at', 'id'], unique=False)


def _shop() -> None:
    # Redemptions reference reward: SQLite cannot rebuild it with foreign keys on, so only
    # columns are added (their server defaults stay).
    op.add_column('reward', sa.Column('description', S(length=300), nullable=False, server_default=''))
    op.add_column('reward', sa.Column('photo', S(length=200), nullable=False, server_default=''))
    op.add_column('reward', sa.Column('monthly_limit', sa.Integer(), nullable=True))
    with op.batch_alter_table('redemption', schema=None) as batch_op:
        batch_op.add_column(sa.Column('community_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('reward_name', S(length=64), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('pickup_code', S(length=8), nullable=True))
        batch_op.add_column(sa.Column('open_code', S(length=8), nullable=True))
        batch_op.add_column(sa.Column('expires_at', UTC_DT(), nullable=True))
        batch_op.add_column(sa.Column('closed_at', UTC_DT(), nullable=True))
        batch_op.add_column(sa.Column('closed_by_account_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('cancel_reason', S(length=200), nullable=False, server_default=''))
    conn = op.get_bind()
    rewards = conn.execute(sa.select(reward.c.id, reward.c.community_id, reward.c.name)).all()
    names = {r.id: r.name for r in rewards}
    for r in rewards:
        conn.execute(sa.insert(offer).values(reward_id=r.id, community_id=r.community_id))
    homes = dict(conn.execute(sa.select(resident.c.id, resident.c.community_id)).all())
    used: set[str] = set()
    for red in conn.execute(sa.select(redemption)).all():
        code = _code(8)
        while code in used:
            code = _code(8)
        used.add(code)
        conn.execute(sa.update(redemption).where(redemption.c.id == red.id).values(
            community_id=homes[red.resident_id], reward_name=names.get(red.reward_id, '')[:64], pickup_code=code,
            open_code=code if red.status == "pending" else None,
            expires_at=red.created_at + timedelta(days=PICKUP_DAYS)))
    with op.batch_alter_table('redemption', schema=None) as batch_op:
        batch_op.alter_column('community_id', existing_type=sa.Integer(), nullable=False)
        batch_op.alter_column('reward_name', server_default=None)
        batch_op.alter_column('pickup_code', existing_type=S(length=8), nullable=False)
        batch_op.alter_column('expires_at', existing_type=UTC_DT(), nullable=False)
        batch_op.alter_column('cancel_reason', server_default=None)
        batch_op.create_index(batch_op.f('ix_redemption_community_id'), ['community_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_redemption_status'), ['status'], unique=False)
        batch_op.create_unique_constraint(batch_op.f('uq_redemption_open_code'), ['open_code'])
        batch_op.create_foreign_key(batch_op.f('fk_redemption_closed_by_account_id_account'), 'account',
                                    ['closed_by_account_id'], ['id'])
        batch_op.create_foreign_key(batch_op.f('fk_redemption_community_id_community'), 'community',
                                    ['community_id'], ['id'])


def _members() -> None:
    with op.batch_alter_table('teammember', schema=None) as batch_op:
        batch_op.add_column(sa.Column('status', S(length=16), nullable=False, server_default='active'))
        batch_op.add_column(sa.Column('note', S(length=200), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('applied_at', UTC_DT(), nullable=True))
        batch_op.add_column(sa.Column('decided_by_account_id', sa.Integer(), nullable=True))
    with op.batch_alter_table('teammember', schema=None) as batch_op:
        batch_op.alter_column('status', server_default=None)
        batch_op.alter_column('note', server_default=None)
        batch_op.create_foreign_key(batch_op.f('fk_teammember_decided_by_account_id_account'), 'account',
                                    ['decided_by_account_id'], ['id'])


def upgrade() -> None:
    _new_tables()
    _move_signups()
    _ledger()
    _shop()
    _members()


# --------------------------------------------------------------------------- downgrade

def _old_shift_table() -> None:
    op.create_table('shift',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('activity_id', sa.Integer(), nullable=False),
    sa.Column('resident_id', sa.Integer(), nullable=False),
    sa.Column('status', S(length=16), nullable=False),
    sa.Column('created_at', UTC_DT(), nullable=False),
    sa.ForeignKeyConstraint(['activity_id'], ['activity.id'], name=op.f('fk_shift_activity_id_activity')),
    sa.ForeignKeyConstraint(['resident_id'], ['resident.id'], name=op.f('fk_shift_resident_id_resident')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_shift')),
    sa.UniqueConstraint('activity_id', 'resident_id', name=op.f('uq_shift_activity_id_resident_id'))
    )
    with op.batch_alter_table('shift', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_shift_activity_id'), ['activity_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_shift_created_at'), ['created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_shift_resident_id'), ['resident_id'], unique=False)


def _restore_old_shifts() -> None:
    """One row per (activity, resident), the best of their sign-ups (attended first), same id."""
    conn = op.get_bind()
    rows = conn.execute(sa.select(signup.c.id, signup.c.resident_id, signup.c.status, signup.c.created_at,
                                  shift.c.activity_id).join(shift, shift.c.id == signup.c.shift_id)
                        .order_by(signup.c.id)).all()
    rank = {"attended": 0, "signed_up": 1, "absent": 1}
    best: dict[tuple[int, int], object] = {}
    for r in rows:
        key = (r.activity_id, r.resident_id)
        if key not in best or rank.get(r.status, 2) < rank.get(best[key].status, 2):
            best[key] = r
    op.drop_table('shiftsignup')
    op.drop_table('shift')
    with op.batch_alter_table('activity', schema=None) as batch_op:  # nothing references it now
        batch_op.drop_constraint(batch_op.f('fk_activity_created_by_account_id_account'), type_='foreignkey')
        batch_op.drop_column('created_by_account_id')
        batch_op.drop_column('cancel_reason')
        batch_op.drop_column('status')
        batch_op.drop_column('members_only')
    _old_shift_table()
    for r in best.values():
        status = "attended" if r.status == "attended" else ("signed_up" if r.status in rank else "cancelled")
        conn.execute(sa.insert(old_shift).values(id=r.id, activity_id=r.activity_id, resident_id=r.resident_id,
                                                 status=status, created_at=r.created_at))
    _reset_sequence('shift')


def downgrade() -> None:
    conn = op.get_bind()
    with op.batch_alter_table('teammember', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_teammember_decided_by_account_id_account'), type_='foreignkey')
        batch_op.drop_column('decided_by_account_id')
        batch_op.drop_column('applied_at')
        batch_op.drop_column('note')
        batch_op.drop_column('status')

    for column in ('monthly_limit', 'photo', 'description'):
        op.drop_column('reward', column)  # plain ALTER TABLE DROP COLUMN: no rebuild of a referenced table

    with op.batch_alter_table('redemption', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_redemption_community_id_community'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('fk_redemption_closed_by_account_id_account'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('uq_redemption_open_code'), type_='unique')
        batch_op.drop_index(batch_op.f('ix_redemption_status'))
        batch_op.drop_index(batch_op.f('ix_redemption_community_id'))
        batch_op.drop_column('cancel_reason')
        batch_op.drop_column('closed_by_account_id')
        batch_op.drop_column('closed_at')
        batch_op.drop_column('expires_at')
        batch_op.drop_column('open_code')
        batch_op.drop_column('pickup_code')
        batch_op.drop_column('reward_name')
        batch_op.drop_column('community_id')

    for prefix, old in (("signup:", "shift:"), ("redeem:", "redemption:")):
        conn.execute(sa.text("UPDATE pointsentry SET source = :old || substr(source, :n) WHERE source LIKE :like")
                     .bindparams(old=old, n=len(prefix) + 1, like=prefix + "%"))
    with op.batch_alter_table('pointsentry', schema=None) as batch_op:
        batch_op.alter_column('source', existing_type=sa.VARCHAR(length=64), nullable=True)
    conn.execute(sa.text("UPDATE pointsentry SET source = NULL WHERE source NOT LIKE 'shift:%' "
                         "AND source NOT LIKE 'redemption:%'"))
    with op.batch_alter_table('pointsentry', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_pointsentry_points_kind_sign'), type_='check')
        batch_op.drop_constraint(op.f('ck_pointsentry_points_balance_after_nonnegative'), type_='check')
        batch_op.drop_index('ix_pointsentry_resident_time')
        batch_op.drop_index('ix_pointsentry_community_kind_time')
        batch_op.drop_column('balance_after')
        batch_op.drop_column('reason_key')
        batch_op.drop_column('kind')

    _restore_old_shifts()

    for table in ('visitlog', 'visitpair', 'servicehours', 'pointsbalance', 'rewardoffer'):
        op.drop_table(table)
