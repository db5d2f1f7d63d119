"""Service teams and visits to elders living alone."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlmodel import select

from community_app.models import (
    AuditLog,
    Notification,
    ResidentCare,
    Role,
    RoleGrant,
    ServiceHours,
    TeamMember,
)
from community_app.services.errors import Conflict, NotAllowed, NotFound, ValidationError
from community_app.services.volunteering import points, teams, visits
from tests.unit.test_booking import add_resident
from tests.unit.vol_helpers import build, fresh


@pytest.fixture
def vw(db):
    return build(db)


def test_joining_a_team_gives_the_volunteer_role(db, vw):
    assert vw.member.is_volunteer and vw.leader.is_volunteer and not vw.outsider.is_volunteer
    app = teams.apply(db, vw.outsider, team_id=vw.team.id, note="想学理发")
    told = db.exec(select(Notification).where(Notification.account_id == vw.leader.account_id,
                                              Notification.kind == "team.applied")).all()[-1]
    assert "王芳" in told.body and told.link == f"/volunteer/teams/{vw.team.id}"
    view = teams.team_detail(db, vw.leader, team_id=vw.team.id)
    assert [a.name for a in view.applications] == ["王芳"] and view.can_manage
    teams.decide(db, vw.leader, member_id=app.id, approve=True, note="每月26日见")
    assert fresh(db, vw.outsider).is_volunteer
    assert db.exec(select(AuditLog.action).where(AuditLog.action == "team.approve")).all()


def test_apply_and_decide_refusals(db, vw):
    with pytest.raises(Conflict):
        teams.apply(db, vw.member, team_id=vw.team.id)
    with pytest.raises(Conflict):
        teams.apply(db, vw.leader, team_id=vw.team.id)
    app = teams.apply(db, vw.outsider, team_id=vw.team.id)
    with pytest.raises(Conflict):
        teams.apply(db, vw.outsider, team_id=vw.team.id)
    with pytest.raises(NotAllowed):  # a member is not the leader
        teams.decide(db, vw.member, member_id=app.id, approve=True)
    with pytest.raises(NotAllowed):
        teams.decide(db, vw.other_staff, member_id=app.id, approve=True)
    with pytest.raises(NotFound):
        teams.decide(db, vw.staff, member_id="1", approve=True)
    teams.decide(db, vw.staff, member_id=app.id, approve=False, note="名额已满")
    assert not fresh(db, vw.outsider).is_volunteer
    with pytest.raises(Conflict):
        teams.decide(db, vw.staff, member_id=app.id, approve=True)
    again = teams.apply(db, vw.outsider, team_id=vw.team.id)  # may ask again
    assert again.id == app.id and again.status == "applied"
    other_resident = add_resident(db, vw.w.other_community_id, "刘桂芝", "13800000004")
    with pytest.raises(NotAllowed):
        teams.apply(db, other_resident, team_id=vw.team.id)


def test_members_see_members_others_see_the_team_only(db, vw):
    member_view = teams.team_detail(db, vw.member, team_id=vw.team.id)
    assert {m.name for m in member_view.members} == {"李秀英", "张建国"}
    assert member_view.applications == [] and member_view.can_leave and member_view.leader_mobile
    outsider_view = teams.team_detail(db, vw.outsider, team_id=vw.team.id)
    assert outsider_view.members == [] and outsider_view.card.can_apply and outsider_view.leader_mobile == ""
    with pytest.raises(NotFound):
        teams.team_detail(db, add_resident(db, vw.w.other_community_id, "外人", "13800000009"), team_id=vw.team.id)
    cards = {c.name: c for c in teams.list_teams(db, vw.leader)}
    assert cards["银发爱心义剪队"].my_status == "leader" and cards["银发爱心义剪队"].members == 2


def test_leave_and_remove(db, vw):
    with pytest.raises(Conflict):
        teams.leave(db, vw.leader, team_id=vw.team.id)
    teams.leave(db, vw.member, team_id=vw.team.id)
    with pytest.raises(Conflict):
        teams.leave(db, vw.member, team_id=vw.team.id)
    app = teams.apply(db, vw.member, team_id=vw.team.id)
    teams.decide(db, vw.leader, member_id=app.id, approve=True)
    with pytest.raises(NotAllowed):
        teams.remove_member(db, vw.outsider, member_id=app.id)
    teams.remove_member(db, vw.leader, member_id=app.id, note="长期不参加")
    assert db.get(TeamMember, app.id).status == "left"


def test_staff_create_teams_and_name_leaders(db, vw):
    t = teams.create_team(db, vw.staff, name="夕阳维修队", category="repair", leader_resident_id=vw.outsider.resident_id)
    assert fresh(db, vw.outsider).is_volunteer
    grants = db.exec(select(RoleGrant).where(RoleGrant.account_id == vw.outsider.account_id,
                                             RoleGrant.role == Role.VOLUNTEER)).all()
    assert len(grants) == 1 and grants[0].community_id == vw.w.community_id
    for bad in (dict(name=""), dict(name="夕阳维修队"), dict(name="新队", category="bogus"),
                dict(name="新队", leader_resident_id=999999)):
        with pytest.raises((ValidationError, NotFound)):
            teams.create_team(db, vw.staff, **bad)
    with pytest.raises(NotAllowed):
        teams.create_team(db, vw.leader, name="自封的队")
    teams.set_leader(db, vw.staff, team_id=t.id, leader_resident_id=vw.member.resident_id)
    assert teams.team_detail(db, vw.member, team_id=t.id).card.my_status == "leader"
    with pytest.raises(NotAllowed):
        teams.set_leader(db, vw.other_staff, team_id=t.id, leader_resident_id=vw.member.resident_id)
    assert teams.teams_page(db, vw.staff).total == 2
    assert {"team.create", "team.set_leader"} <= set(db.exec(select(AuditLog.action)).all())


# --------------------------------------------------------------------------- visits


def _elder(db, vw, name="孙奶奶"):
    elder = add_resident(db, vw.w.community_id, name, None, account=False)
    db.add(ResidentCare(resident_id=elder.resident_id, category="living_alone"))
    db.commit()
    return elder


def test_pair_log_visits_and_the_next_one_falls_due(db, vw):
    elder = _elder(db, vw)
    pair = visits.pair(db, vw.staff, elder_resident_id=elder.resident_id, volunteer_resident_id=vw.member.resident_id,
                       interval_days="7")
    mine = visits.my_visits(db, vw.member)
    assert [(p.elder_name, p.interval_days, p.overdue_days) for p in mine] == [("孙奶奶", 7, 0)]
    log = visits.log_visit(db, vw.member, pair_id=pair.id, wellbeing="fair", note="血压有点高",
                           concern="家里灯坏了，需要维修")
    assert log.concern_status == "open"
    db.refresh(pair)
    assert pair.next_due == log.visit_day + timedelta(days=7)
    assert db.exec(select(ServiceHours.source)).all() == [f"visit:{log.id}"]
    assert points.check(db, vw.member.resident_id) == (visits.VISIT_POINTS, visits.VISIT_POINTS)
    with pytest.raises(Conflict):
        visits.log_visit(db, vw.member, pair_id=pair.id, wellbeing="good")
    assert [c.id for c in visits.open_concerns(db, vw.staff)] == [log.id]
    visits.handle_concern(db, vw.staff, log_id=log.id, note="已派夕阳维修队")
    assert visits.open_concerns(db, vw.staff) == []


def test_visit_refusals(db, vw):
    elder = _elder(db, vw)
    not_alone = add_resident(db, vw.w.community_id, "王大爷", None, account=False)
    kw = dict(volunteer_resident_id=vw.member.resident_id, interval_days=7)
    with pytest.raises(ValidationError):
        visits.pair(db, vw.staff, elder_resident_id=not_alone.resident_id, **kw)
    with pytest.raises(ValidationError):  # not in a team
        visits.pair(db, vw.staff, elder_resident_id=elder.resident_id, volunteer_resident_id=vw.outsider.resident_id,
                    interval_days=7)
    with pytest.raises(ValidationError):
        visits.pair(db, vw.staff, elder_resident_id=elder.resident_id, volunteer_resident_id=vw.member.resident_id,
                    interval_days=0)
    with pytest.raises(NotAllowed):
        visits.pair(db, vw.leader, elder_resident_id=elder.resident_id, **kw)
    pair = visits.pair(db, vw.staff, elder_resident_id=elder.resident_id, **kw)
    with pytest.raises(Conflict):
        visits.pair(db, vw.staff, elder_resident_id=elder.resident_id, **kw)
    with pytest.raises(NotFound):  # someone else's pair
        visits.log_visit(db, vw.leader, pair_id=pair.id, wellbeing="good")
    for bad in (dict(wellbeing="bogus"), dict(wellbeing="good", minutes=999),
                dict(wellbeing="good", visited_on=(date.today() + timedelta(days=3)).isoformat(), at="10:00"),
                dict(wellbeing="good", visited_on="yesterday")):
        with pytest.raises(ValidationError):
            visits.log_visit(db, vw.member, pair_id=pair.id, **bad)
    visits.end_pair(db, vw.staff, pair_id=pair.id)
    with pytest.raises(Conflict):
        visits.log_visit(db, vw.member, pair_id=pair.id, wellbeing="good")
    assert visits.my_visits(db, vw.member) == []


def test_overdue_pairs_show_for_staff(db, vw):
    elder = _elder(db, vw)
    pair = visits.pair(db, vw.staff, elder_resident_id=elder.resident_id, volunteer_resident_id=vw.member.resident_id,
                       interval_days=7)
    assert visits.overdue_count(db, vw.w.community_id) == 0
    pair.next_due = date.today() - timedelta(days=3)
    db.add(pair)
    db.commit()
    assert visits.overdue_count(db, vw.w.community_id) == 1
    page = visits.pairs_page(db, vw.staff, status="overdue")
    assert page.total == 1 and page.items[0].overdue_days >= 2
    assert visits.pairs_page(db, vw.other_staff, status="overdue").total == 0


def test_staff_or_the_leader_add_a_member_without_a_phone(db, vw):
    no_phone = add_resident(db, vw.w.community_id, "赵大爷", None, account=False)
    with pytest.raises(NotAllowed):
        teams.add_member(db, vw.member, team_id=vw.team.id, resident_id=no_phone.resident_id)
    row = teams.add_member(db, vw.leader, team_id=vw.team.id, resident_id=no_phone.resident_id)
    assert row.status == "active"
    with pytest.raises(Conflict):
        teams.add_member(db, vw.staff, team_id=vw.team.id, resident_id=no_phone.resident_id)
    elsewhere = add_resident(db, vw.w.other_community_id, "外社区", None, account=False)
    with pytest.raises(ValidationError):
        teams.add_member(db, vw.staff, team_id=vw.team.id, resident_id=elsewhere.resident_id)
    assert "team.add_member" in db.exec(select(AuditLog.action)).all()
