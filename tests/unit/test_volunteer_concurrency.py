"""The ledger and the shop under concurrency, on SQLite and PostgreSQL: real threads, each
with its own session from ``db.write_session()``, released together by a barrier."""

from __future__ import annotations

from collections import Counter

import pytest
from sqlalchemy import func
from sqlmodel import select

from community_app import db as dbmod
from community_app.models import PointsEntry, Redemption, Reward, Shift, ShiftSignup
from community_app.services.volunteering import activities, points, shop, teams
from tests.conftest import build_world
from tests.unit.test_booking import add_resident
from tests.unit.test_booking_concurrency import _run_together
from tests.unit.vol_helpers import build, fresh, good, publish

pytestmark = pytest.mark.timeout(300)


def _kinds(outcomes) -> Counter:
    return Counter(o[0] if o[0] == "ok" else o[1] for o in outcomes)


def _with_points(s, world, n_people: int, each: int) -> list:
    people = [add_resident(s, world.community_id, f"志愿者{i}", f"136{i:08d}") for i in range(n_people)]
    for a in people:
        points.award(s, resident_id=a.resident_id, points=each, reason_key="points.reason.shift",
                     source=f"seed:{a.resident_id}", actor=None)
    s.commit()
    return people


def test_one_hundred_redemptions_of_the_last_item_give_exactly_one(any_db_url):
    with dbmod.write_session() as s:
        world = build_world(s)
        people = _with_points(s, world, 100, 50)
        last = good(s, world.community_id, cost=30, stock=1, name="最后一桶油").id
    outcomes = _run_together([(lambda s, a=a: shop.redeem(s, a, reward_id=last).id) for a in people])
    assert _kinds(outcomes) == {"ok": 1, "shop.error.out_of_stock": 99}
    with dbmod.session() as s:
        assert s.get(Reward, last).stock == 0
        reds = s.exec(select(Redemption)).all()
        assert len(reds) == 1
        spent = s.exec(select(PointsEntry).where(PointsEntry.kind == "redeemed")).all()
        assert [(e.resident_id, e.delta) for e in spent] == [(reds[0].resident_id, -30)]
        for a in people:
            balance, total = points.check(s, a.resident_id)
            assert balance == total == (20 if a.resident_id == reds[0].resident_id else 50)


def test_two_redemptions_with_points_for_one_give_one(any_db_url):
    with dbmod.write_session() as s:
        world = build_world(s)
        [who] = _with_points(s, world, 1, 40)
        oil = good(s, world.community_id, cost=30, stock=5, name="食用油").id
        rice = good(s, world.community_id, cost=30, stock=5, name="大米").id
    outcomes = _run_together([lambda s: shop.redeem(s, who, reward_id=oil).id,
                              lambda s: shop.redeem(s, who, reward_id=rice).id])
    assert _kinds(outcomes) == {"ok": 1, "points.error.not_enough": 1}
    with dbmod.session() as s:
        assert points.check(s, who.resident_id) == (10, 10)
        assert s.get(Reward, oil).stock + s.get(Reward, rice).stock == 9
        assert s.exec(select(func.count(Redemption.id))).one() == 1


def test_one_resident_tapping_redeem_many_times_never_overspends(any_db_url):
    with dbmod.write_session() as s:
        world = build_world(s)
        [who] = _with_points(s, world, 1, 100)
        item = good(s, world.community_id, cost=30, stock=50).id
    outcomes = _run_together([(lambda s: shop.redeem(s, who, reward_id=item).id)] * 10)
    assert _kinds(outcomes) == {"ok": 3, "points.error.not_enough": 7}
    with dbmod.session() as s:
        assert points.check(s, who.resident_id) == (10, 10)
        assert s.get(Reward, item).stock == 47


def test_the_same_award_from_many_threads_pays_once(any_db_url):
    with dbmod.write_session() as s:
        world = build_world(s)
        rid = world.resident.resident_id

    def award(s):
        e = points.award(s, resident_id=rid, points=8, reason_key="points.reason.shift", source="class:9:teacher",
                         actor=None)
        s.commit()
        return e.id

    outcomes = _run_together([award] * 12)
    assert {o[0] for o in outcomes} == {"ok"} and len({o[1] for o in outcomes}) == 1
    with dbmod.session() as s:
        assert points.check(s, rid) == (8, 8)


def test_thirty_volunteers_on_a_five_place_shift_get_five_places(any_db_url):
    with dbmod.write_session() as s:
        vw = build(s)
        people = []
        for i in range(30):
            a = add_resident(s, vw.w.community_id, f"队员{i}", f"135{i:08d}")
            teams.decide(s, vw.leader, member_id=teams.apply(s, a, team_id=vw.team.id).id, approve=True)
            people.append(fresh(s, a))
        _, [shift] = publish(s, vw.staff, vw.team.id, places=5)
        sid = shift.id
    outcomes = _run_together([(lambda s, a=a: activities.sign_up(s, a, shift_id=sid).id) for a in people])
    assert _kinds(outcomes) == {"ok": 5, "shift.error.full": 25}
    with dbmod.session() as s:
        held = s.exec(select(func.count(ShiftSignup.id)).where(ShiftSignup.holding_shift_id == sid)).one()
        assert s.get(Shift, sid).taken == held == 5
