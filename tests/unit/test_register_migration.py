"""Migration 0500 on a database that already holds a community: buildings are listed from the
households (in the grid of their households), households without a grid join their building's,
old request updates keep their step, text and author, and old requests get a kind and a due time."""

from __future__ import annotations

from alembic import command
from sqlalchemy import create_engine, text

from tests.conftest import alembic_config

ROWS = [
    "INSERT INTO community (id, code, name, sub_district, address, hotline, timezone, created_at) VALUES "
    "(1, 'c1', '东风路南社区', '', '', '', 'Asia/Shanghai', '2026-11-01 00:00:00')",
    "INSERT INTO compound (id, community_id, name) VALUES (1, 1, '邮电园小区')",
    "INSERT INTO grid (id, community_id, parent_id, name, leader_name, leader_phone) VALUES (1, 1, NULL, '第一网格', '', '')",
    "INSERT INTO grid (id, community_id, parent_id, name, leader_name, leader_phone) VALUES (2, 1, 1, '一1', '', '')",
    "INSERT INTO household (id, community_id, compound_id, grid_id, building, unit, room) VALUES (1, 1, 1, 2, '3', '1', '101')",
    "INSERT INTO household (id, community_id, compound_id, grid_id, building, unit, room) VALUES (2, 1, 1, NULL, '3', '1', '102')",
    "INSERT INTO household (id, community_id, compound_id, grid_id, building, unit, room) VALUES (3, 1, 1, NULL, '9', '1', '101')",
    "INSERT INTO resident (id, community_id, household_id, name, gender, note, created_at) VALUES "
    "(1, 1, 2, '李秀英', '女', '', '2026-11-01 00:00:00')",
    "INSERT INTO account (id, mobile, password_hash, display_name, community_id, is_active, elder_mode, locale, "
    "failed_logins, created_at) VALUES (1, '13900000001', 'x', '蔡铮欣', 1, true, false, 'zh_CN', 0, '2026-11-01 00:00:00')",
    "INSERT INTO residentrequest (id, community_id, resident_id, category, description, location, urgent, status, "
    "created_at) VALUES (1, 1, 1, 'fire_risk', '飞线', '3号楼', true, 'responded', '2026-11-20 08:00:00')",
    "INSERT INTO residentrequest (id, community_id, resident_id, category, description, location, urgent, status, "
    "created_at) VALUES (2, 1, NULL, 'opinion', '多办讲座', '', false, 'new', '2026-11-21 08:00:00')",
    "INSERT INTO requestupdate (id, request_id, author_account_id, step, body, created_at) VALUES "
    "(1, 1, 1, 'respond', '10分钟内到场', '2026-11-20 08:08:00')",
]


def test_0500_back_fills_an_existing_community_and_downgrades(any_db_url):
    cfg = alembic_config(any_db_url)
    command.downgrade(cfg, "0003")
    engine = create_engine(any_db_url)
    with engine.begin() as conn:
        for sql in ROWS:
            conn.execute(text(sql))
    command.upgrade(cfg, "head")
    with engine.connect() as conn:
        buildings = conn.execute(text("SELECT compound_id, name, grid_id FROM building ORDER BY name")).all()
        assert [tuple(b) for b in buildings] == [(1, "3", 2), (1, "9", None)]
        grids = dict(conn.execute(text("SELECT id, grid_id FROM household")).all())
        assert grids == {1: 2, 2: 2, 3: None}
        update = conn.execute(text("SELECT status, note, note_key, actor_account_id, public FROM requestupdate")).one()
        assert tuple(update)[:4] == ("respond", "10分钟内到场", "", 1) and update[4]
        reqs = conn.execute(text("SELECT id, kind, due_at, updated_at, grid_id FROM residentrequest ORDER BY id")).all()
        assert [r[1] for r in reqs] == ["report", "opinion"]
        assert str(reqs[0][2]).startswith("2026-11-20 08:10") and reqs[0][4] == 2 and reqs[1][4] is None
        assert str(reqs[1][2]).startswith("2026-11-24 08:00")
    command.downgrade(cfg, "0003")
    with engine.connect() as conn:
        old = conn.execute(text("SELECT step, body, author_account_id FROM requestupdate")).one()
        assert tuple(old) == ("respond", "10分钟内到场", 1)
    command.upgrade(cfg, "head")
    engine.dispose()
