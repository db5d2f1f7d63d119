"""classes and groups: courses and groups in one model, sessions with check-in codes, room holds,
enrolments with a waitlist and a timeline, attendance, announcements, partner sharing, settings

Existing enrolments become live rows (``open_course_id``); cancelled ones become "withdrawn".

Revision ID: 0300
Revises: 0003
Create Date: 2026-11-28
"""
from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = '0300'
down_revision: str | None = '0003'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('classsettings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('community_id', sa.Integer(), nullable=False),
    sa.Column('no_show_limit', sa.Integer(), nullable=False),
    sa.Column('no_show_days', sa.Integer(), nullable=False),
    sa.Column('updated_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['community_id'], ['community.id'], name=op.f('fk_classsettings_community_id_community')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_classsettings')),
    sa.UniqueConstraint('community_id', name=op.f('uq_classsettings_community_id'))
    )
    op.create_table('coursepost',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('course_id', sa.Integer(), nullable=False),
    sa.Column('author_account_id', sa.Integer(), nullable=True),
    sa.Column('body', sqlmodel.sql.sqltypes.AutoString(length=1000), nullable=False),
    sa.Column('removed', sa.Boolean(), nullable=False),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['author_account_id'], ['account.id'], name=op.f('fk_coursepost_author_account_id_account')),
    sa.ForeignKeyConstraint(['course_id'], ['course.id'], name=op.f('fk_coursepost_course_id_course')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_coursepost'))
    )
    with op.batch_alter_table('coursepost', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_coursepost_course_id'), ['course_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_coursepost_created_at'), ['created_at'], unique=False)

    op.create_table('courseshare',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('course_id', sa.Integer(), nullable=False),
    sa.Column('community_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['community_id'], ['community.id'], name=op.f('fk_courseshare_community_id_community')),
    sa.ForeignKeyConstraint(['course_id'], ['course.id'], name=op.f('fk_courseshare_course_id_course')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_courseshare')),
    sa.UniqueConstraint('course_id', 'community_id', name=op.f('uq_courseshare_course_id_community_id'))
    )
    with op.batch_alter_table('courseshare', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_courseshare_community_id'), ['community_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_courseshare_course_id'), ['course_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_courseshare_created_at'), ['created_at'], unique=False)

    op.create_table('attendance',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('session_id', sa.Integer(), nullable=False),
    sa.Column('resident_id', sa.Integer(), nullable=False),
    sa.Column('status', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('method', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('marked_by_account_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('updated_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['marked_by_account_id'], ['account.id'], name=op.f('fk_attendance_marked_by_account_id_account')),
    sa.ForeignKeyConstraint(['resident_id'], ['resident.id'], name=op.f('fk_attendance_resident_id_resident')),
    sa.ForeignKeyConstraint(['session_id'], ['coursesession.id'], name=op.f('fk_attendance_session_id_coursesession')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_attendance')),
    sa.UniqueConstraint('session_id', 'resident_id', name=op.f('uq_attendance_session_id_resident_id'))
    )
    with op.batch_alter_table('attendance', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_attendance_created_at'), ['created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_attendance_resident_id'), ['resident_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_attendance_session_id'), ['session_id'], unique=False)

    op.create_table('classroomhold',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('session_id', sa.Integer(), nullable=False),
    sa.Column('slot_id', sa.Integer(), nullable=False),
    sa.Column('holding_slot_id', sa.Integer(), nullable=True),
    sa.Column('places', sa.Integer(), nullable=False),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('released_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    sa.CheckConstraint('holding_slot_id IS NULL OR holding_slot_id = slot_id', name=op.f('ck_classroomhold_hold_own_slot')),
    sa.ForeignKeyConstraint(['holding_slot_id'], ['serviceslot.id'], name=op.f('fk_classroomhold_holding_slot_id_serviceslot')),
    sa.ForeignKeyConstraint(['session_id'], ['coursesession.id'], name=op.f('fk_classroomhold_session_id_coursesession')),
    sa.ForeignKeyConstraint(['slot_id'], ['serviceslot.id'], name=op.f('fk_classroomhold_slot_id_serviceslot')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_classroomhold')),
    sa.UniqueConstraint('holding_slot_id', name=op.f('uq_classroomhold_holding_slot_id'))
    )
    with op.batch_alter_table('classroomhold', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_classroomhold_created_at'), ['created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_classroomhold_session_id'), ['session_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_classroomhold_slot_id'), ['slot_id'], unique=False)

    op.create_table('enrollmentevent',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('enrollment_id', sa.Integer(), nullable=False),
    sa.Column('status', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('actor_account_id', sa.Integer(), nullable=True),
    sa.Column('note', sqlmodel.sql.sqltypes.AutoString(length=500), nullable=False),
    sa.Column('note_key', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['actor_account_id'], ['account.id'], name=op.f('fk_enrollmentevent_actor_account_id_account')),
    sa.ForeignKeyConstraint(['enrollment_id'], ['enrollment.id'], name=op.f('fk_enrollmentevent_enrollment_id_enrollment')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_enrollmentevent'))
    )
    with op.batch_alter_table('enrollmentevent', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_enrollmentevent_created_at'), ['created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_enrollmentevent_enrollment_id'), ['enrollment_id'], unique=False)

    with op.batch_alter_table('course', schema=None) as batch_op:
        batch_op.add_column(sa.Column('kind', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False,
                                      server_default='course'))
        batch_op.add_column(sa.Column('teacher_account_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('room_type_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('updated_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False,
                                      server_default=sa.func.current_timestamp()))
        batch_op.create_index(batch_op.f('ix_course_teacher_account_id'), ['teacher_account_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_course_room_type_id_servicetype'), 'servicetype', ['room_type_id'], ['id'])
        batch_op.create_foreign_key(batch_op.f('fk_course_teacher_account_id_account'), 'account', ['teacher_account_id'], ['id'])

    with op.batch_alter_table('coursesession', schema=None) as batch_op:
        batch_op.add_column(sa.Column('status', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False,
                                      server_default='scheduled'))
        batch_op.add_column(sa.Column('note', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False,
                                      server_default=''))
        batch_op.add_column(sa.Column('checkin_code', sqlmodel.sql.sqltypes.AutoString(length=8), nullable=False,
                                      server_default=''))
        batch_op.add_column(sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False,
                                      server_default=sa.func.current_timestamp()))
        batch_op.create_index(batch_op.f('ix_coursesession_starts_at'), ['starts_at'], unique=False)

    with op.batch_alter_table('enrollment', schema=None) as batch_op:
        batch_op.add_column(sa.Column('open_course_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('waiting_course_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('priority', sa.Integer(), nullable=False, server_default='0'))
        batch_op.add_column(sa.Column('on_behalf', sa.Boolean(), nullable=False, server_default=sa.false()))
        batch_op.add_column(sa.Column('created_by_account_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('checkin_failures', sa.Integer(), nullable=False, server_default='0'))
        batch_op.add_column(sa.Column('updated_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False,
                                      server_default=sa.func.current_timestamp()))
        batch_op.drop_constraint(batch_op.f('uq_enrollment_course_id_resident_id'), type_='unique')
        batch_op.create_index(batch_op.f('ix_enrollment_status'), ['status'], unique=False)
        batch_op.create_unique_constraint('one_live_enrollment', ['open_course_id', 'resident_id'])
        batch_op.create_unique_constraint('one_waiting_enrollment', ['waiting_course_id', 'resident_id'])
        batch_op.create_foreign_key(batch_op.f('fk_enrollment_waiting_course_id_course'), 'course', ['waiting_course_id'], ['id'])
        batch_op.create_foreign_key(batch_op.f('fk_enrollment_created_by_account_id_account'), 'account', ['created_by_account_id'], ['id'])
        batch_op.create_foreign_key(batch_op.f('fk_enrollment_open_course_id_course'), 'course', ['open_course_id'], ['id'])
        batch_op.create_check_constraint(op.f('ck_enrollment_open_own_course'), 'open_course_id IS NULL OR open_course_id = course_id')
        batch_op.create_check_constraint(op.f('ck_enrollment_waits_own_course'), 'waiting_course_id IS NULL OR waiting_course_id = course_id')

    op.execute(sa.text("UPDATE enrollment SET open_course_id = course_id WHERE status = 'enrolled'"))
    op.execute(sa.text("UPDATE enrollment SET status = 'withdrawn' WHERE status = 'cancelled'"))
    for table, columns in (('course', ('kind', 'updated_at')), ('coursesession', ('status', 'note', 'checkin_code', 'created_at')),
                           ('enrollment', ('priority', 'on_behalf', 'checkin_failures', 'updated_at'))):
        with op.batch_alter_table(table, schema=None) as batch_op:
            for column in columns:
                batch_op.alter_column(column, server_default=None)



def downgrade() -> None:
    for table, indexes in (('enrollmentevent', ('enrollment_id', 'created_at')),
                           ('classroomhold', ('slot_id', 'session_id', 'created_at')),
                           ('attendance', ('session_id', 'resident_id', 'created_at')),
                           ('courseshare', ('created_at', 'course_id', 'community_id')),
                           ('coursepost', ('created_at', 'course_id'))):
        with op.batch_alter_table(table, schema=None) as batch_op:
            for column in indexes:
                batch_op.drop_index(batch_op.f(f'ix_{table}_{column}'))
        op.drop_table(table)
    op.drop_table('classsettings')

    op.execute(sa.text("DELETE FROM enrollment WHERE status NOT IN ('enrolled', 'withdrawn')"))
    op.execute(sa.text("UPDATE enrollment SET status = 'cancelled' WHERE status = 'withdrawn'"))
    # One row per person and course again: keep the latest.
    op.execute(sa.text("DELETE FROM enrollment WHERE id NOT IN "
                       "(SELECT MAX(id) FROM enrollment GROUP BY course_id, resident_id)"))
    with op.batch_alter_table('enrollment', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_enrollment_waits_own_course'), type_='check')
        batch_op.drop_constraint(batch_op.f('ck_enrollment_open_own_course'), type_='check')
        batch_op.drop_constraint(batch_op.f('fk_enrollment_open_course_id_course'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('fk_enrollment_created_by_account_id_account'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('fk_enrollment_waiting_course_id_course'), type_='foreignkey')
        batch_op.drop_constraint('one_waiting_enrollment', type_='unique')
        batch_op.drop_constraint('one_live_enrollment', type_='unique')
        batch_op.drop_index(batch_op.f('ix_enrollment_status'))
        batch_op.create_unique_constraint(batch_op.f('uq_enrollment_course_id_resident_id'), ['course_id', 'resident_id'])
        for column in ('updated_at', 'checkin_failures', 'created_by_account_id', 'on_behalf', 'priority',
                       'waiting_course_id', 'open_course_id'):
            batch_op.drop_column(column)

    with op.batch_alter_table('coursesession', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_coursesession_starts_at'))
        for column in ('created_at', 'checkin_code', 'note', 'status'):
            batch_op.drop_column(column)

    with op.batch_alter_table('course', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_course_teacher_account_id_account'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('fk_course_room_type_id_servicetype'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_course_teacher_account_id'))
        for column in ('updated_at', 'room_type_id', 'teacher_account_id', 'kind'):
            batch_op.drop_column(column)
