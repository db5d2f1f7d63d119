"""The points ledger: every rule and every refusal (the concurrency tests are in
test_volunteer_concurrency.py)."""

from __future__ import annotations

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError
from sqlmodel import select

from community_app.models import AuditLog, PointsBalance, PointsEntry
from community_app.services.errors import Conflict, NotAllowed, NotFound, ValidationError
from community_app.services.volunteering import points


def _award(db, world, n: int, source: str, who=None):
    who = who or world.resident
    entry = points.award(db, resident_id=who.resident_id, points=n, reason_key="points.reason.shift",
                         reason="义剪", source=source, actor=world.staff)
    db.commit()
    return entry


def test_award_books_an_entry_and_moves_the_balance_in_step(db, world):
    e1 = _award(db, world, 10, "signup:1")
    e2 = _award(db, world, 5, "signup:2")
    assert (e1.kind, e1.delta, e1.balance_after) == ("earned", 10, 10)
    assert e2.balance_after == 15
    assert points.check(db, world.resident.resident_id) == (15, 15)
    assert db.get(PointsBalance, world.resident.resident_id).earned == 15
    assert points.history(db, world.resident).items[0].text("zh_CN") == "志愿服务：义剪"


def test_award_is_idempotent_by_source(db, world):
    first = _award(db, world, 10, "class:3:teacher")
    again = _award(db, world, 10, "class:3:teacher")
    assert again.id == first.id
    assert points.check(db, world.resident.resident_id) == (10, 10)
    assert len(db.exec(select(PointsEntry)).all()) == 1


def test_a_source_used_for_another_deed_is_refused(db, world):
    _award(db, world, 10, "signup:7")
    with pytest.raises(Conflict) as e:
        _award(db, world, 12, "signup:7")
    assert e.value.key == "points.error.source_used"
    with pytest.raises(Conflict):
        _award(db, world, 10, "signup:7", who=world.resident2)


@pytest.mark.parametrize("bad", [0, -5, "ten", None, True, 10_001])
def test_award_refuses_bad_amounts(db, world, bad):
    with pytest.raises(ValidationError):
        points.award(db, resident_id=world.resident.resident_id, points=bad, reason_key="k", source="x:1",
                     actor=None)


def test_award_needs_a_source_and_a_resident(db, world):
    with pytest.raises(ValueError):
        points.award(db, resident_id=world.resident.resident_id, points=1, reason_key="k", source="", actor=None)
    with pytest.raises(NotFound):
        points.award(db, resident_id=999999, points=1, reason_key="k", source="x:2", actor=None)


def test_a_debit_never_overdraws_and_changes_nothing_when_refused(db, world):
    _award(db, world, 20, "signup:1")
    with pytest.raises(Conflict) as e:
        points.debit(db, resident_id=world.resident.resident_id, points=21, reason_key="points.reason.redeem",
                     source="redeem:1", actor=world.resident)
    assert e.value.key == "points.error.not_enough"
    db.rollback()
    assert points.check(db, world.resident.resident_id) == (20, 20)
    entry = points.debit(db, resident_id=world.resident.resident_id, points=20, reason_key="points.reason.redeem",
                         source="redeem:2", actor=world.resident)
    db.commit()
    assert (entry.kind, entry.delta, entry.balance_after) == ("redeemed", -20, 0)
    assert points.check(db, world.resident.resident_id) == (0, 0)


def test_refund_is_a_reversing_entry(db, world):
    _award(db, world, 30, "signup:1")
    points.debit(db, resident_id=world.resident.resident_id, points=30, reason_key="points.reason.redeem",
                 source="redeem:1", actor=None)
    back = points.refund(db, resident_id=world.resident.resident_id, points=30, reason_key="points.reason.refund",
                         source="refund:1", actor=None)
    db.commit()
    assert (back.kind, back.delta, back.balance_after) == ("refunded", 30, 30)
    assert [e.kind for e in db.exec(select(PointsEntry).order_by(PointsEntry.id))] == ["earned", "redeemed",
                                                                                      "refunded"]


def test_the_database_refuses_a_negative_balance_even_for_a_bug(db, world):
    _award(db, world, 5, "signup:1")
    with pytest.raises(IntegrityError):
        db.execute(text("UPDATE pointsbalance SET balance = -1 WHERE resident_id = :r"),
                   {"r": world.resident.resident_id})
        db.commit()
    db.rollback()
    with pytest.raises(IntegrityError):  # an entry of the wrong sign for its kind
        db.execute(text("INSERT INTO pointsentry (community_id, resident_id, delta, kind, reason_key, reason, "
                        "source, balance_after, created_at) VALUES (:c, :r, -5, 'earned', 'k', '', 'bad:1', 0, "
                        "'2026-01-01 00:00:00')"), {"c": world.community_id, "r": world.resident.resident_id})
        db.commit()
    db.rollback()


def test_staff_adjust_with_a_reason_and_it_is_audited(db, world):
    entry = points.adjust(db, world.staff, resident_id=world.resident.resident_id, delta="15", reason="补发上月积分")
    assert (entry.kind, entry.delta, entry.balance_after) == ("adjusted", 15, 15)
    down = points.adjust(db, world.staff, resident_id=world.resident.resident_id, delta=-5, reason="重复发放")
    assert down.balance_after == 10
    actions = [a.action for a in db.exec(select(AuditLog).order_by(AuditLog.id))]
    assert actions == ["points.adjust", "points.adjust"]


def test_adjust_refusals(db, world):
    rid = world.resident.resident_id
    with pytest.raises(NotAllowed):  # a resident
        points.adjust(db, world.resident2, resident_id=rid, delta=100, reason="自己加")
    with pytest.raises(NotAllowed):  # staff of another community
        points.adjust(db, world.other_staff, resident_id=rid, delta=100, reason="越权")
    for delta in (0, "abc", None, 10**9):
        with pytest.raises(ValidationError):
            points.adjust(db, world.staff, resident_id=rid, delta=delta, reason="x")
    with pytest.raises(ValidationError) as e:
        points.adjust(db, world.staff, resident_id=rid, delta=5, reason="  ")
    assert e.value.field == "reason"
    with pytest.raises(Conflict):  # would overdraw
        points.adjust(db, world.staff, resident_id=rid, delta=-1, reason="扣分")
    with pytest.raises(NotFound):
        points.adjust(db, world.staff, resident_id=424242, delta=1, reason="x")
    assert db.exec(select(PointsEntry)).all() == [] and db.exec(select(AuditLog)).all() == []


def test_expire_writes_off_points_and_is_audited(db, world):
    _award(db, world, 40, "signup:1")
    entry = points.expire(db, world.staff, resident_id=world.resident.resident_id, points=40, reason="搬离社区")
    assert (entry.kind, entry.delta, entry.balance_after) == ("expired", -40, 0)
    with pytest.raises(Conflict):
        points.expire(db, world.staff, resident_id=world.resident.resident_id, points=1, reason="再清")
    with pytest.raises(NotAllowed):
        points.expire(db, world.resident, resident_id=world.resident.resident_id, points=1, reason="x")


def test_history_and_balance_are_for_the_resident_and_their_staff_only(db, world):
    for i in range(25):
        _award(db, world, 1, f"signup:{i}")
    page = points.history(db, world.resident, page=1, page_size=10)
    assert page.total == 25 and len(page.items) == 10 and page.items[0].balance_after == 25
    assert points.history(db, world.resident, page=3, page_size=10).items[-1].balance_after == 1
    assert points.my_balance(db, world.resident) == 25
    assert points.my_balance(db, world.staff, resident_id=world.resident.resident_id) == 25
    with pytest.raises(NotAllowed):
        points.history(db, world.resident2, resident_id=world.resident.resident_id)
    with pytest.raises(NotAllowed):
        points.my_balance(db, world.other_staff, resident_id=world.resident.resident_id)
    with pytest.raises(NotAllowed):
        points.history(db, None)
