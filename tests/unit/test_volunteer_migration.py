"""Migration 0200 moves existing rows, on SQLite and PostgreSQL: one-person "shift" rows become
sign-ups (same ids) on a shift per activity, attended ones get their hours, ledger entries get
a kind, a source and the running balance, each resident a balance row, and pending
redemptions a pick-up code; downgrading gives the old rows back."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from alembic import command
from sqlalchemy import create_engine, text

from tests.conftest import alembic_config

T0 = datetime(2026, 10, 26, 1, 0, tzinfo=UTC)


def _old_rows(conn) -> None:
    conn.execute(text("INSERT INTO community (id, code, name, sub_district, address, hotline, timezone, created_at) "
                      "VALUES (1, 'c1', '东风路南社区', '', '', '', 'Asia/Shanghai', :t)"), {"t": T0})
    for rid, name in ((1, "闫爱民"), (2, "孙志刚")):
        conn.execute(text("INSERT INTO resident (id, community_id, name, gender, note, created_at) "
                          "VALUES (:i, 1, :n, '', '', :t)"), {"i": rid, "n": name, "t": T0})
    conn.execute(text("INSERT INTO activity (id, community_id, title, description, location, starts_at, ends_at, "
                      "points, created_at) VALUES (1, 1, '每月26日义剪', '', '老年活动中心', :s, :e, 10, :t)"),
                 {"s": T0, "e": T0 + timedelta(hours=2, minutes=30), "t": T0})
    conn.execute(text("INSERT INTO shift (id, activity_id, resident_id, status, created_at) VALUES "
                      "(7, 1, 1, 'attended', :t), (8, 1, 2, 'signed_up', :t)"), {"t": T0})
    entries = [(1, 1, 150, None, T0 - timedelta(days=90)), (2, 1, 10, "shift:7", T0 + timedelta(hours=3)),
               (3, 1, -80, "redemption:1", T0 + timedelta(days=1)), (4, 2, 40, None, T0)]
    for eid, rid, delta, source, at in entries:
        conn.execute(text("INSERT INTO pointsentry (id, community_id, resident_id, delta, reason, source, created_at) "
                          "VALUES (:i, 1, :r, :d, '旧记录', :s, :t)"), {"i": eid, "r": rid, "d": delta, "s": source,
                                                                        "t": at})
    conn.execute(text("INSERT INTO reward (id, community_id, name, cost_points, stock, active) "
                      "VALUES (1, 1, '食用油 5L', 80, 9, true)"))
    conn.execute(text("INSERT INTO redemption (id, reward_id, resident_id, points, status, created_at) "
                      "VALUES (1, 1, 1, 80, 'pending', :t)"), {"t": T0 + timedelta(days=1)})


def test_existing_rows_are_moved_and_come_back(any_db_url):
    cfg = alembic_config(any_db_url)
    command.downgrade(cfg, "0003")
    engine = create_engine(any_db_url)
    with engine.begin() as conn:
        _old_rows(conn)
    command.upgrade(cfg, "head")
    with engine.connect() as conn:
        q = lambda sql: conn.execute(text(sql)).all()  # noqa: E731
        assert q("SELECT capacity, taken, points FROM shift") == [(10, 2, 10)]
        assert q("SELECT id, status, holding_shift_id IS NOT NULL, minutes FROM shiftsignup ORDER BY id") == [
            (7, "attended", True, 150), (8, "signed_up", True, None)]
        assert q("SELECT source, minutes, resident_id FROM servicehours") == [("signup:7", 150, 1)]
        assert q("SELECT id, kind, source, balance_after FROM pointsentry ORDER BY id") == [
            (1, "earned", "legacy:1", 150), (2, "earned", "signup:7", 160), (3, "redeemed", "redeem:1", 80),
            (4, "earned", "legacy:4", 40)]
        assert q("SELECT resident_id, balance, earned FROM pointsbalance ORDER BY resident_id") == [
            (1, 80, 160), (2, 40, 40)]
        [(code, open_code, community)] = q("SELECT pickup_code, open_code, community_id FROM redemption")
        assert len(code) == 8 and code == open_code and community == 1
        assert q("SELECT reward_id, community_id FROM rewardoffer") == [(1, 1)]
    command.downgrade(cfg, "0003")
    with engine.connect() as conn:
        assert conn.execute(text("SELECT id, activity_id, resident_id, status FROM shift ORDER BY id")).all() == [
            (7, 1, 1, "attended"), (8, 1, 2, "signed_up")]
        assert conn.execute(text("SELECT source FROM pointsentry ORDER BY id")).scalars().all() == [
            None, "shift:7", "redemption:1", None]
    engine.dispose()
    command.upgrade(cfg, "head")
