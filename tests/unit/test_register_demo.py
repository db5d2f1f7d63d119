"""The demo register as the app's services made it: 3 grids and 29 micro-grids with leaders and
buildings, permissions and 刘婷's grid, the imported register, 诉求 in five steps, the diary and
notices."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import select

from community_app.demo import MAIN_CODE, seed_demo
from community_app.models import (
    Account,
    AuditLog,
    Building,
    Community,
    DiaryEntry,
    Grid,
    RequestUpdate,
    ResidentRequest,
)
from community_app.services.access import load_actor
from community_app.services.register import diary, notices, requests_desk, scope, search


@pytest.fixture
def seeded(db):
    seed_demo(db)
    return db


def _actor(db, mobile):
    return load_actor(db, db.exec(select(Account).where(Account.mobile == mobile)).one())


def test_29_micro_grids_each_with_a_leader_and_its_building(seeded):
    db = seeded
    cid = db.exec(select(Community.id).where(Community.code == MAIN_CODE)).one()
    micro = db.exec(select(Grid).where(Grid.community_id == cid, Grid.parent_id.is_not(None))).all()
    assert len(micro) == 29 and all(g.leader_name and g.leader_phone for g in micro)
    buildings = db.exec(select(Building).where(Building.community_id == cid)).all()
    assert {b.grid_id for b in buildings} == {g.id for g in micro}
    first = db.exec(select(Grid).where(Grid.community_id == cid, Grid.name == "第一网格")).one()
    liu = _actor(db, "13900000003")
    assert first.leader_account_id == liu.account_id
    assert scope.home_grid(db, liu, cid) == first.id and scope.has_permission(db, liu, cid, "register")
    assert scope.has_permission(db, _actor(db, "13900000001"), cid, "mediation")
    assert db.exec(select(AuditLog).where(AuditLog.action == "register.import")).first() is not None


def test_requests_diary_and_notices(seeded):
    db = seeded
    staff = _actor(db, "13900000001")
    reqs = db.exec(select(ResidentRequest).where(ResidentRequest.community_id == staff.community_id)).all()
    assert len(reqs) >= 15 and {r.category for r in reqs} >= {"lighting", "road", "fire_risk", "opinion"}
    urgent = [r for r in reqs if r.urgent]
    assert urgent and all(r.responded_at - r.created_at <= timedelta(minutes=10) for r in urgent)
    assert requests_desk.urgent_waiting(db, staff) == (0, [])
    closed = [r for r in reqs if r.status == "closed"]
    steps = {r.id: [u.status for u in db.exec(select(RequestUpdate).where(RequestUpdate.request_id == r.id)
                                              .order_by(RequestUpdate.created_at, RequestUpdate.id)).all()]
             for r in closed}
    assert any(s[1:6] == ["respond", "inform", "coordinate", "fix", "review"] for s in steps.values())
    assert any(r.rating for r in reqs)
    assert db.exec(select(DiaryEntry)).first() is not None
    todo = diary.visits_todo(db, staff)[0]
    assert 0 < todo.count < search.search_register(db, staff, filters={"care": "living_alone"}).total
    li = _actor(db, "13800000001")  # lives alone in 第一网格
    unread, views = notices.my_notices(db, li)
    assert unread == 3 and {v.title for v in views} >= {"寒潮降温提醒", "本月26日义剪活动通知"}
    zhang = _actor(db, "13800000002")  # not living alone, 南院: 第二网格
    assert "寒潮降温提醒" not in [v.title for v in notices.my_notices(db, zhang)[1]]


def test_household_page_of_the_demo_shows_cases_services_and_diary(seeded):
    db = seeded
    from community_app.models import Resident
    from community_app.services.register import households

    staff = _actor(db, "13900000001")
    zhao = db.exec(select(Resident).where(Resident.name == "赵桂兰")).first()  # a party of the care dispute
    assert households.household_detail(db, staff, household_id=zhao.household_id).cases
    li = db.exec(select(Resident).where(Resident.name == "李秀英")).one()
    detail = households.household_detail(db, staff, household_id=li.household_id)
    assert detail.services and detail.diary and detail.requests
