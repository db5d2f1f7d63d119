"""Activities and shifts: publishing, signing up and withdrawing under capacity and the
waitlist, and verified time (venue codes, leader confirmation, make-up time)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import select

from community_app.models import AuditLog, Notification, PointsEntry, ServiceHours, Shift, ShiftSignup
from community_app.services.errors import Conflict, NotAllowed, NotFound, ValidationError
from community_app.services.volunteering import activities, hours, points, shiftview
from community_app.services.volunteering.activities import ShiftInput
from tests.unit.vol_helpers import build, local, move_shift, now_utc, publish


@pytest.fixture
def vw(db):
    return build(db)


def test_staff_and_the_leader_publish_an_activity_with_shifts(db, vw):
    act, shifts = publish(db, vw.staff, vw.team.id, shifts=3, places=4, points=12)
    assert [s.capacity for s in shifts] == [4, 4, 4] and all(s.points == 12 for s in shifts)
    assert all(len(s.checkin_code) == 6 and s.checkin_code != s.checkout_code for s in shifts)
    assert act.starts_at == shifts[0].starts_at and act.ends_at == shifts[-1].ends_at
    by_leader, _ = publish(db, vw.leader, vw.team.id, title="上门理发")
    assert by_leader.created_by_account_id == vw.leader.account_id
    assert db.exec(select(AuditLog.action).where(AuditLog.action == "activity.publish")).all() == [
        "activity.publish", "activity.publish"]


def test_publish_refusals(db, vw):
    with pytest.raises(NotAllowed):  # a member, not the leader
        publish(db, vw.member, vw.team.id)
    with pytest.raises(NotAllowed):  # the leader, but without a team
        publish(db, vw.leader, None)
    with pytest.raises(NotAllowed):
        publish(db, vw.other_staff, vw.team.id)
    day, _ = local(2, 9)
    bad_shifts = [
        [], [ShiftInput(day, "10:00", "09:00", 3)], [ShiftInput(local(-1, 9)[0], "09:00", "10:00", 3)],
        [ShiftInput(day, "9", "10:00", 3)], [ShiftInput("2026-13-01", "09:00", "10:00", 3)],
        [ShiftInput(day, "09:00", "10:00", 0)], [ShiftInput(day, "09:00", "10:00", 3, 999)],
        [ShiftInput(day, "09:00", "10:00", 3)] * 21, "09:00",
    ]
    for shifts in bad_shifts:
        with pytest.raises(ValidationError):
            activities.publish(db, vw.staff, title="活动", team_id=vw.team.id, location="广场", shifts=shifts)
    with pytest.raises(ValidationError):
        activities.publish(db, vw.staff, title=" ", location="广场", shifts=[ShiftInput(day, "09:00", "10:00", 3)])
    with pytest.raises(ValidationError):  # members only needs a team
        activities.publish(db, vw.staff, title="x", location="广场", members_only=True,
                           shifts=[ShiftInput(day, "09:00", "10:00", 3)])
    assert db.exec(select(Shift)).all() == []


def test_sign_up_takes_a_place_and_the_waitlist_gets_freed_ones(db, vw):
    _, [shift] = publish(db, vw.staff, vw.team.id, places=1)
    first = activities.sign_up(db, vw.member, shift_id=shift.id)
    assert first.status == "signed_up" and first.holding_shift_id == shift.id
    with pytest.raises(Conflict) as e:
        activities.sign_up(db, vw.leader, shift_id=shift.id)
    assert e.value.key == "shift.error.full"
    waiting = activities.join_waitlist(db, vw.leader, shift_id=shift.id)
    assert waiting.status == "waiting"
    detail = shiftview.shift_detail(db, vw.leader, shift_id=shift.id)
    assert detail.position == 1 and detail.can_leave_wait and not detail.can_sign_up
    activities.withdraw(db, vw.member, shift_id=shift.id)
    db.expire_all()
    promoted = db.get(ShiftSignup, waiting.id)
    assert promoted.status == "signed_up" and promoted.holding_shift_id == shift.id
    assert db.get(Shift, shift.id).taken == 1
    note = db.exec(select(Notification).where(Notification.account_id == vw.leader.account_id,
                                              Notification.kind == "shift.promoted")).one()
    assert note.link == f"/volunteer/shifts/{shift.id}"


def test_sign_up_refusals(db, vw):
    _, [shift] = publish(db, vw.staff, vw.team.id, members_only=True)
    with pytest.raises(NotAllowed) as e:
        activities.sign_up(db, vw.outsider, shift_id=shift.id)
    assert e.value.key == "shift.error.members_only"
    _, [open_shift] = publish(db, vw.staff, None, title="公开活动")
    with pytest.raises(NotAllowed) as e:
        activities.sign_up(db, vw.outsider, shift_id=open_shift.id)
    assert e.value.key == "shift.error.not_volunteer"
    with pytest.raises(NotAllowed):
        activities.sign_up(db, vw.w.other_staff, shift_id=open_shift.id)
    activities.sign_up(db, vw.member, shift_id=shift.id)
    with pytest.raises(Conflict) as e:
        activities.sign_up(db, vw.member, shift_id=shift.id)
    assert e.value.key == "shift.error.already"
    with pytest.raises(Conflict) as e:  # same time as the one they hold
        activities.sign_up(db, vw.member, shift_id=open_shift.id)
    assert e.value.key == "shift.error.overlap"
    with pytest.raises(Conflict) as e:
        activities.join_waitlist(db, vw.leader, shift_id=open_shift.id)
    assert e.value.key == "shift.error.not_full"
    with pytest.raises(NotFound):
        activities.sign_up(db, vw.member, shift_id="1")
    move_shift(db, open_shift, start=now_utc() - timedelta(minutes=5))
    with pytest.raises(Conflict) as e:
        activities.sign_up(db, vw.leader, shift_id=open_shift.id)
    assert e.value.key == "shift.error.started"


def test_withdraw_after_the_start_is_refused_and_no_promotion_close_to_the_start(db, vw):
    _, [shift] = publish(db, vw.staff, vw.team.id, places=1)
    activities.sign_up(db, vw.member, shift_id=shift.id)
    activities.join_waitlist(db, vw.leader, shift_id=shift.id)
    move_shift(db, shift, start=now_utc() + timedelta(minutes=30))
    activities.withdraw(db, vw.member, shift_id=shift.id)  # place freed, but too close to promote
    db.expire_all()
    assert db.get(Shift, shift.id).taken == 0
    assert shiftview.shift_detail(db, vw.leader, shift_id=shift.id).position == 1
    activities.sign_up(db, vw.member, shift_id=shift.id)
    move_shift(db, db.get(Shift, shift.id), start=now_utc() - timedelta(minutes=1))
    with pytest.raises(Conflict) as e:
        activities.withdraw(db, vw.member, shift_id=shift.id)
    assert e.value.key == "shift.error.too_late"


def test_cancelling_an_activity_frees_places_closes_the_line_and_tells_everyone(db, vw):
    act, [shift] = publish(db, vw.leader, vw.team.id, places=1)
    activities.sign_up(db, vw.member, shift_id=shift.id)
    activities.join_waitlist(db, vw.leader, shift_id=shift.id)
    with pytest.raises(NotAllowed):
        activities.cancel_activity(db, vw.member, activity_id=act.id, reason="下雨")
    with pytest.raises(ValidationError):
        activities.cancel_activity(db, vw.leader, activity_id=act.id, reason="")
    activities.cancel_activity(db, vw.leader, activity_id=act.id, reason="下雨")
    db.expire_all()
    assert db.get(Shift, shift.id).taken == 0
    assert {r.status for r in db.exec(select(ShiftSignup))} == {"cancelled"}
    told = db.exec(select(Notification.account_id).where(Notification.kind == "shift.cancelled")).all()
    assert set(told) == {vw.member.account_id, vw.leader.account_id}
    with pytest.raises(Conflict):
        activities.cancel_activity(db, vw.staff, activity_id=act.id, reason="再取消")


def _running_shift(db, vw, *, points_=10):
    _, [shift] = publish(db, vw.staff, vw.team.id, points=points_)
    activities.sign_up(db, vw.member, shift_id=shift.id)
    return move_shift(db, shift, start=now_utc() - timedelta(minutes=90), minutes=120)


def test_check_in_and_out_with_the_codes_records_hours_and_points_once(db, vw):
    shift = _running_shift(db, vw)
    detail = shiftview.shift_detail(db, vw.member, shift_id=shift.id)
    assert detail.can_check_in and not detail.can_check_out and detail.checkin_code == ""
    with pytest.raises(Conflict):  # check-out before check-in
        hours.use_code(db, vw.member, shift_id=shift.id, code=shift.checkout_code)
    hours.use_code(db, vw.member, shift_id=shift.id, code=f" {shift.checkin_code[:3]} {shift.checkin_code[3:]} ")
    assert shiftview.shift_detail(db, vw.member, shift_id=shift.id).can_check_out
    with pytest.raises(Conflict):
        hours.use_code(db, vw.member, shift_id=shift.id, code=shift.checkin_code)
    row = hours.use_code(db, vw.member, shift_id=shift.id, code=shift.checkout_code)
    assert row.status == "attended" and row.verified_how == "code" and 1 <= row.minutes <= 120
    h = db.exec(select(ServiceHours)).one()
    assert (h.source, h.kind, h.minutes, h.team_id) == (f"signup:{row.id}", "shift", row.minutes, vw.team.id)
    assert points.check(db, vw.member.resident_id) == (10, 10)
    with pytest.raises(Conflict):
        hours.use_code(db, vw.member, shift_id=shift.id, code=shift.checkout_code)
    assert points.check(db, vw.member.resident_id) == (10, 10)


def test_wrong_codes_are_counted_and_lock_after_ten(db, vw):
    shift = _running_shift(db, vw)
    wrong = "000000" if shift.checkin_code != "000000" and shift.checkout_code != "000000" else "999999"
    with pytest.raises(ValidationError):
        hours.use_code(db, vw.member, shift_id=shift.id, code="12345")
    for i in range(hours.MAX_CODE_FAILURES):
        with pytest.raises(ValidationError) as e:
            hours.use_code(db, vw.member, shift_id=shift.id, code=wrong)
        assert e.value.params["n"] == hours.MAX_CODE_FAILURES - i - 1
    with pytest.raises(Conflict) as e:
        hours.use_code(db, vw.member, shift_id=shift.id, code=shift.checkin_code)
    assert e.value.key == "hours.error.code_locked"
    assert shiftview.shift_detail(db, vw.member, shift_id=shift.id).code_locked
    with pytest.raises(Conflict):  # not signed up
        hours.use_code(db, vw.leader, shift_id=shift.id, code=shift.checkin_code)


def test_codes_work_only_in_their_window(db, vw):
    _, [shift] = publish(db, vw.staff, vw.team.id)
    activities.sign_up(db, vw.member, shift_id=shift.id)
    with pytest.raises(Conflict) as e:
        hours.use_code(db, vw.member, shift_id=shift.id, code=shift.checkin_code)
    assert e.value.key == "hours.error.checkin_closed"


def test_the_leader_confirms_or_marks_absent_and_only_after_the_start(db, vw):
    _, [shift] = publish(db, vw.staff, vw.team.id, points=6)
    signup = activities.sign_up(db, vw.member, shift_id=shift.id)
    with pytest.raises(Conflict):
        hours.confirm(db, vw.leader, signup_id=signup.id)
    move_shift(db, shift, start=now_utc() - timedelta(hours=3), minutes=120)
    with pytest.raises(NotAllowed):
        hours.confirm(db, vw.member, signup_id=signup.id)
    with pytest.raises(NotAllowed):
        hours.confirm(db, vw.other_staff, signup_id=signup.id)
    with pytest.raises(ValidationError):  # more than the shift lasted
        hours.confirm(db, vw.leader, signup_id=signup.id, minutes=121)
    roster = shiftview.shift_detail(db, vw.leader, shift_id=shift.id).roster
    assert [(r.name, r.can_confirm, r.can_absent) for r in roster] == [("张建国", True, True)]
    hours.mark_absent(db, vw.leader, signup_id=signup.id)
    row = hours.confirm(db, vw.leader, signup_id=signup.id, minutes="90")  # came late after all
    assert (row.status, row.minutes, row.verified_how) == ("attended", 90, "leader")
    assert points.check(db, vw.member.resident_id) == (6, 6)
    assert db.exec(select(Notification).where(Notification.kind == "hours.verified")).one()
    assert {"hours.confirm", "hours.absent"} <= set(db.exec(select(AuditLog.action)).all())


def test_staff_make_up_time_capped_by_the_shift_with_a_reason(db, vw):
    _, [shift] = publish(db, vw.staff, vw.team.id, points=5)
    move_shift(db, shift, start=now_utc() - timedelta(days=1), minutes=60)
    kw = dict(shift_id=shift.id, resident_id=vw.outsider.resident_id)
    with pytest.raises(NotAllowed):
        hours.makeup(db, vw.leader, minutes=30, reason="忘了签到", **kw)
    with pytest.raises(ValidationError):
        hours.makeup(db, vw.staff, minutes=61, reason="忘了签到", **kw)
    with pytest.raises(ValidationError):
        hours.makeup(db, vw.staff, minutes=30, reason="", **kw)
    row = hours.makeup(db, vw.staff, minutes=45, reason="帮忙搬桌子，没报名", **kw)
    assert (row.status, row.minutes, row.verified_how, row.holding_shift_id) == ("attended", 45, "makeup", None)
    with pytest.raises(Conflict):
        hours.makeup(db, vw.staff, minutes=45, reason="再补一次", **kw)
    assert db.exec(select(ServiceHours.reason)).all() == ["帮忙搬桌子，没报名"]
    assert db.exec(select(PointsEntry.delta)).all() == [5]
    assert "hours.makeup" in db.exec(select(AuditLog.action)).all()


def test_the_shift_page_shows_codes_and_roster_only_to_who_leads(db, vw):
    _, [shift] = publish(db, vw.staff, vw.team.id)
    activities.sign_up(db, vw.member, shift_id=shift.id)
    lead = shiftview.shift_detail(db, vw.leader, shift_id=shift.id)
    assert lead.can_lead and lead.checkin_code == shift.checkin_code and lead.checkout_code
    mine = shiftview.shift_detail(db, vw.member, shift_id=shift.id)
    assert not mine.can_lead and mine.checkin_code == "" and mine.roster == [] and mine.can_withdraw
    with pytest.raises(NotFound):
        shiftview.shift_detail(db, vw.other_staff.__class__(
            account_id=999, community_id=vw.w.other_community_id, display_name="x", resident_id=None), shift_id=shift.id)


def test_open_shifts_hide_team_shifts_from_non_members(db, vw):
    publish(db, vw.staff, vw.team.id, members_only=True, title="队内")
    publish(db, vw.staff, None, title="公开", days=4)
    assert [c.title for c in activities.open_shifts(db, vw.member)] == ["队内", "公开"]
    assert [c.title for c in activities.open_shifts(db, vw.outsider)] == ["公开"]


def test_staff_lists(db, vw):
    publish(db, vw.staff, vw.team.id, places=3)
    page = activities.activities_page(db, vw.staff, status="upcoming")
    assert page.total == 1 and (page.items[0].places, page.items[0].taken) == (3, 0)
    assert activities.activities_page(db, vw.staff, status="short").total == 1
    with pytest.raises(NotAllowed):
        activities.activities_page(db, vw.member)
    shift = _running_shift(db, vw)
    rows = shiftview.shifts_page(db, vw.staff, status="to_verify").items
    assert [(r.shift_id, r.unverified) for r in rows] == [(shift.id, 1)]


def test_the_leader_signs_up_a_member_without_a_phone(db, vw):
    from community_app.services.volunteering import teams
    from tests.unit.test_booking import add_resident

    no_phone = add_resident(db, vw.w.community_id, "赵大爷", None, account=False)
    _, [shift] = publish(db, vw.staff, vw.team.id, members_only=True, places=1)
    with pytest.raises(ValidationError):  # not in the team yet
        activities.sign_up_for(db, vw.leader, shift_id=shift.id, resident_id=no_phone.resident_id)
    teams.add_member(db, vw.leader, team_id=vw.team.id, resident_id=no_phone.resident_id)
    with pytest.raises(NotAllowed):
        activities.sign_up_for(db, vw.member, shift_id=shift.id, resident_id=no_phone.resident_id)
    row = activities.sign_up_for(db, vw.leader, shift_id=shift.id, resident_id=no_phone.resident_id)
    assert row.holding_shift_id == shift.id
    with pytest.raises(Conflict):  # the only place is taken
        activities.sign_up(db, vw.member, shift_id=shift.id)
    assert "shift.sign_up_for" in db.exec(select(AuditLog.action)).all()
