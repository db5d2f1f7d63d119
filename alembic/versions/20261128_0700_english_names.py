"""English names of service types: name_en and description_en ("" = none, the Chinese is shown)

Revision ID: 0700
Revises: 0200
Create Date: 2026-11-28
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0700'
down_revision: str | None = '0200'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# The standard catalogue's types (services/catalogue/defaults.py, copied here: a migration must not
# change when the code does) get their English name and description in the communities that have
# them already; a name or description staff changed is left for staff to translate.
_STANDARD = {
    'yijian': (
        '义剪（理发摊）', 'Free haircuts (street barber)',
        '银发爱心义剪队每月26日在老年活动中心免费理发，请按时段前来。',
        'The Silver Hair volunteer barbers cut hair for free at the senior activity centre on the 26th of every month. Please come at your time.'),
    'home_haircut': (
        '上门理发', 'Haircut at home',
        '行动不便、独居、残障或80岁以上的老人，可请义剪队上门理发。',
        'Elderly residents who cannot get about easily, live alone, have a disability or are 80 or older can ask the volunteer barbers to come to their home.'),
    'appliance_repair': (
        '家电维修', 'Appliance repair',
        '夕阳维修队免费修理电视、电饭煲、电风扇等家用电器。',
        'The Sunset repair team mends TVs, rice cookers, electric fans and other household appliances for free.'),
    'gas_check': (
        '燃气灶维修和安全检查', 'Gas stove repair and safety check',
        '更换气阀、电池，检查燃气灶和管道是否安全。',
        'Gas valves and batteries replaced; the gas stove and pipes checked for safety.'),
    'plumbing': (
        '水管和下水道维修', 'Water pipe and drain repair',
        '水管漏水、下水道堵了，都可以报修。',
        'Report a leaking water pipe or a blocked drain.'),
    'room_barber': (
        '理发室', 'Barber room',
        '社区理发室，每周三下午开放预约。',
        'The community barber room, open for booking on Wednesday afternoons.'),
    'room_study': (
        '自习室', 'Study room',
        '安静的自习室，周六、周日开放，每个时段两小时。',
        'A quiet study room, open on Saturdays and Sundays, two hours per booking.'),
    'room_activity': (
        '活动室', 'Activity room',
        '可预约活动室开展兴趣小组、排练等活动，每次两小时。',
        'Book the activity room for hobby groups, rehearsals and the like, two hours each time.'),
}


def upgrade() -> None:
    with op.batch_alter_table('servicetype', schema=None) as batch_op:
        batch_op.add_column(sa.Column('name_en', sa.String(length=64), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('description_en', sa.String(length=500), nullable=False,
                                      server_default=''))
    with op.batch_alter_table('servicetype', schema=None) as batch_op:
        batch_op.alter_column('name_en', server_default=None)
        batch_op.alter_column('description_en', server_default=None)
    stype = sa.table('servicetype', sa.column('code', sa.String), sa.column('name', sa.String),
                     sa.column('name_en', sa.String), sa.column('description', sa.String),
                     sa.column('description_en', sa.String))
    for code, (name, name_en, description, description_en) in _STANDARD.items():
        op.execute(stype.update().where(stype.c.code == code, stype.c.name == name).values(name_en=name_en))
        op.execute(stype.update().where(stype.c.code == code, stype.c.description == description)
                   .values(description_en=description_en))


def downgrade() -> None:
    with op.batch_alter_table('servicetype', schema=None) as batch_op:
        batch_op.drop_column('description_en')
        batch_op.drop_column('name_en')
