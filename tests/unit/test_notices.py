"""通知公告: the whole community, chosen grids, chosen categories, or both at once (a heat
warning to the elderly living alone of one micro-grid); unread first; withdrawing; scoping."""

from __future__ import annotations

import pytest
from sqlmodel import select

from community_app.models import AuditLog, Household, Resident
from community_app.services import auth
from community_app.services.access import load_actor
from community_app.services.errors import Conflict, NotAllowed, NotFound, ValidationError
from community_app.services.register import notices, people
from tests.conftest import sign_up_with_code
from tests.unit.register_helpers import build_reg


@pytest.fixture
def reg(db, world):
    return build_reg(db, world)


def _resident_at(db, reg, mobile, name, building, room, care=()):
    acc = sign_up_with_code(db, mobile=mobile, password="correct horse battery", name=name,
                       community_id=reg.world.community_id, address=auth.Address(reg.world.compound_id, building,
                                                                                 "1", room))
    if care:
        people.set_care(db, reg.staff, resident_id=acc.resident_id, categories=list(care), reason="入户核实")
    return load_actor(db, acc)


def _titles(db, actor) -> list[str]:
    return [n.title for n in notices.my_notices(db, actor, limit=20)[1]]


def test_audience_by_grid_category_and_both(db, reg):
    li = reg.world.resident  # building 3 (micro 一1), no category yet
    people.set_care(db, reg.staff, resident_id=li.resident_id, categories=["living_alone", "elderly"], reason="核实")
    zhang = reg.world.resident2  # building 3, no category
    niu = _resident_at(db, reg, "13811110001", "牛秀兰", "5", "402", care=["living_alone"])  # 第二网格
    zhao = _resident_at(db, reg, "13811110002", "赵大爷", "4", "102", care=["elderly"])  # micro 一2
    s = reg.staff
    notices.publish_notice(db, s, title="全社区：停水通知", body="周六上午停水。")
    notices.publish_notice(db, s, title="第一网格：楼道清理", body="周日清理楼道杂物。", grid_ids=[reg.grid1])
    notices.publish_notice(db, s, title="独居老人：高温提醒", body="请多喝水。", categories=["living_alone"])
    notices.publish_notice(db, s, title="一1独居老人：上门探望", body="明天上门。", grid_ids=[reg.micro1],
                           categories=["living_alone"])
    assert _titles(db, li) == ["一1独居老人：上门探望", "独居老人：高温提醒", "第一网格：楼道清理", "全社区：停水通知"]
    assert _titles(db, zhang) == ["第一网格：楼道清理", "全社区：停水通知"]
    assert _titles(db, niu) == ["独居老人：高温提醒", "全社区：停水通知"]
    assert _titles(db, zhao) == ["第一网格：楼道清理", "全社区：停水通知"]
    assert _titles(db, reg.world.other_staff) == []  # another community
    assert notices.audience_size(db, s, grid_ids=[reg.micro1], categories=["living_alone"]) == (1, 1)
    assert notices.audience_size(db, s, grid_ids=[reg.grid1]) == (4, 4)


def test_unread_first_and_reading_marks_it(db, reg):
    li = reg.world.resident
    first = notices.publish_notice(db, reg.staff, title="旧通知", body="a")
    second = notices.publish_notice(db, reg.staff, title="新通知", body="b")
    unread, views = notices.my_notices(db, li)
    assert unread == 2 and [v.title for v in views] == ["新通知", "旧通知"]
    notices.mark_read(db, li, notice_id=second.id)
    notices.mark_read(db, li, notice_id=second.id)  # idempotent
    unread, views = notices.my_notices(db, li)
    assert unread == 1 and [(v.title, v.unread) for v in views] == [("旧通知", True), ("新通知", False)]
    rows = {r.id: r for r in notices.staff_notices(db, reg.staff)}
    assert rows[second.id].reads == 1 and rows[first.id].reads == 0 and rows[first.id].audience == 3
    with pytest.raises(NotFound):  # not in their audience: as if it did not exist
        other = notices.publish_notice(db, reg.staff, title="只给第二网格", body="c", grid_ids=[reg.grid2])
        notices.mark_read(db, li, notice_id=other.id)


def test_withdraw_publish_refusals_and_grid_workers(db, reg):
    n = notices.publish_notice(db, reg.staff, title="通知", body="正文")
    notices.withdraw_notice(db, reg.staff, notice_id=n.id)
    assert _titles(db, reg.world.resident) == []
    with pytest.raises(Conflict):
        notices.withdraw_notice(db, reg.staff, notice_id=n.id)
    with pytest.raises(NotFound):
        notices.withdraw_notice(db, reg.world.other_staff, notice_id=n.id)
    with pytest.raises(ValidationError):
        notices.publish_notice(db, reg.staff, title=" ", body="x")
    with pytest.raises(ValidationError):
        notices.publish_notice(db, reg.staff, title="x", body="y", categories=["vip"])
    with pytest.raises(ValidationError):  # a grid of another community
        notices.publish_notice(db, reg.world.other_staff, title="x", body="y", grid_ids=[reg.grid1])
    with pytest.raises(NotAllowed):
        notices.publish_notice(db, reg.world.resident, title="x", body="y")
    # A grid worker publishes inside their grid only; without a choice, to their grid.
    with pytest.raises(NotAllowed):
        notices.publish_notice(db, reg.worker, title="x", body="y", grid_ids=[reg.grid2])
    mine = notices.publish_notice(db, reg.worker, title="第一网格通知", body="y")
    row = next(r for r in notices.staff_notices(db, reg.staff) if r.id == mine.id)
    assert row.grids == ["第一网格"]
    assert db.exec(select(AuditLog).where(AuditLog.action == "notice.publish")).first() is not None


def test_moved_out_people_and_people_without_a_grid_are_not_in_a_grid_audience(db, reg):
    zhang = reg.world.resident2
    people.move_out(db, reg.staff, resident_id=zhang.resident_id, reason="搬走")
    assert notices.audience_size(db, reg.staff, grid_ids=[reg.micro1]) == (2, 2)
    h = db.get(Household, db.get(Resident, reg.world.resident.resident_id).household_id)
    h.grid_id = None
    db.add(h)
    db.commit()
    notices.publish_notice(db, reg.staff, title="第一网格", body="x", grid_ids=[reg.grid1])
    assert _titles(db, reg.world.resident) == []
