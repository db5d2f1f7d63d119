"""Classes: the age rule (birthdays at the edge of the range), household enrolment, the waitlist
and its promotion, no-show priority, 代办, partner communities, and every refusal."""

from __future__ import annotations

from datetime import date

import pytest
from sqlmodel import select

from community_app.models import Course, Enrollment, EnrollmentEvent, Notification, Role
from community_app.services.classes import attendance, common, courses, enrolment, views
from community_app.services.core.clock import age_on
from community_app.services.errors import Conflict, NotAllowed, NotFound, ValidationError
from tests.unit.classes_fixtures import add_session, birthday, build, household, make_course, person


@pytest.fixture
def cw(db):
    return build(db)


def _enrolled(db, course_id: int) -> int:
    return db.exec(select(Course.enrolled).where(Course.id == course_id)).one()


def _course(db, cw, **kw) -> Course:
    return db.get(Course, make_course(db, cw, **kw))


# --------------------------------------------------------------------------- ages


def test_age_on_counts_completed_years_and_leap_days():
    assert age_on(date(2020, 5, 10), date(2026, 5, 9)) == 5
    assert age_on(date(2020, 5, 10), date(2026, 5, 10)) == 6
    assert age_on(date(2020, 2, 29), date(2026, 2, 28)) == 5
    assert age_on(date(2020, 2, 29), date(2026, 3, 1)) == 6


@pytest.mark.parametrize("years, days, ok", [
    (6, 0, True),    # sixth birthday today: 6, still in 0-6
    (7, 1, True),    # seventh birthday is tomorrow: still 6
    (7, 0, False),   # seventh birthday today: 7, too old
    (0, 0, True),    # born today: 0
    (0, 10, False),  # not born yet (a date in the future)
])
def test_age_edge_of_an_0_to_6_class(db, cw, years, days, ok):
    course = _course(db, cw)
    kid = person(db, cw.w.community_id, f"孩子{years}{days}", born=birthday(cw.today, years, days),
                 household_id=cw.household_id)
    if ok:
        row = enrolment.enrol(db, cw.parent, course_id=course.id, resident_id=kid)
        assert row.status == "enrolled"
    else:
        with pytest.raises(ValidationError) as e:
            enrolment.enrol(db, cw.parent, course_id=course.id, resident_id=kid)
        assert e.value.key in ("classes.error.too_old", "classes.error.too_young")
        assert e.value.field == "person"


def test_minimum_age_edge(db, cw):
    course = _course(db, cw, programme="elderly", title="桑榆课堂", min_age=60, max_age=None)
    hid = household(db, cw.w.community_id)
    almost = person(db, cw.w.community_id, "差一天", born=birthday(cw.today, 60, 1), household_id=hid,
                    mobile="13800000201")
    exactly = person(db, cw.w.community_id, "刚好", born=birthday(cw.today, 60), household_id=None,
                     mobile="13800000202")
    with pytest.raises(ValidationError) as e:
        enrolment.enrol(db, almost, course_id=course.id)
    assert e.value.key == "classes.error.too_young" and e.value.params["age"] == 59
    assert enrolment.enrol(db, exactly, course_id=course.id).status == "enrolled"


def test_birth_year_only_is_refused_with_a_clear_reason(db, cw):
    course = _course(db, cw)
    kid = person(db, cw.w.community_id, "只有年份", born=None, household_id=cw.household_id)
    from community_app.models import Resident

    r = db.get(Resident, kid)
    r.birth_year = cw.today.year - 3
    db.add(r)
    db.commit()
    with pytest.raises(ValidationError) as e:
        enrolment.enrol(db, cw.parent, course_id=course.id, resident_id=kid)
    assert e.value.key == "classes.error.birth_date_missing"
    assert "工作人员" in e.value.message() and "只有年份" in e.value.message()
    # A course without an age limit takes them.
    talk = _course(db, cw, programme="talks", title="百姓宣讲团", min_age=None, max_age=None)
    assert enrolment.enrol(db, cw.parent, course_id=talk.id, resident_id=kid).status == "enrolled"


# --------------------------------------------------------------------------- household


def test_parent_enrols_a_child_and_the_course_page_says_so(db, cw):
    course = _course(db, cw)
    row = enrolment.enrol(db, cw.parent, course_id=course.id, resident_id=cw.child_id)
    assert row.resident_id == cw.child_id and row.created_by_account_id == cw.parent.account_id
    assert _enrolled(db, course.id) == 1
    detail = views.course_detail(db, cw.parent, course_id=course.id)
    child, me = detail.people  # the one in the course first
    assert me.is_me and me.refusal_key == "classes.error.too_old" and not me.can_enrol
    assert child.status == "enrolled" and child.can_withdraw and not child.can_enrol
    events = db.exec(select(EnrollmentEvent).where(EnrollmentEvent.enrollment_id == row.id)).all()
    assert [e.status for e in events] == ["enrolled"]


def test_cannot_enrol_someone_of_another_household_or_with_an_account(db, cw):
    course = _course(db, cw, min_age=None, max_age=None)
    other_kid = person(db, cw.w.community_id, "别人家孩子", born=birthday(cw.today, 3),
                       household_id=household(db, cw.w.community_id))
    with pytest.raises(NotAllowed):
        enrolment.enrol(db, cw.parent, course_id=course.id, resident_id=other_kid)
    # A household member with an account of their own enrols themself.
    spouse = person(db, cw.w.community_id, "陈伟", born=birthday(cw.today, 36), household_id=cw.household_id,
                    mobile="13800000104")
    with pytest.raises(NotAllowed):
        enrolment.enrol(db, cw.parent, course_id=course.id, resident_id=spouse.resident_id)
    # Staff without a resident record cannot enrol themselves; nobody signed in cannot either.
    with pytest.raises(NotAllowed):
        enrolment.enrol(db, None, course_id=course.id)


def test_withdraw_and_enrol_again(db, cw):
    course = _course(db, cw)
    first = enrolment.enrol(db, cw.parent, course_id=course.id, resident_id=cw.child_id)
    with pytest.raises(Conflict) as e:
        enrolment.enrol(db, cw.parent, course_id=course.id, resident_id=cw.child_id)
    assert e.value.key == "classes.error.already_enrolled"
    enrolment.withdraw(db, cw.parent, enrollment_id=first.id)
    assert _enrolled(db, course.id) == 0
    with pytest.raises(Conflict):
        enrolment.withdraw(db, cw.parent, enrollment_id=first.id)
    second = enrolment.enrol(db, cw.parent, course_id=course.id, resident_id=cw.child_id)
    assert second.id != first.id and _enrolled(db, course.id) == 1
    assert db.get(Enrollment, first.id).status == "withdrawn"
    # Someone else cannot withdraw the child.
    with pytest.raises(NotFound):
        enrolment.withdraw(db, cw.w.resident, enrollment_id=second.id)


# --------------------------------------------------------------------------- waitlist


def _adults(db, cw, n, prefix="居民"):
    return [person(db, cw.w.community_id, f"{prefix}{i}", born=birthday(cw.today, 30 + i),
                   household_id=household(db, cw.w.community_id), mobile=f"1360000{i:04d}") for i in range(n)]


def test_full_course_offers_the_waitlist_and_a_withdrawal_promotes_the_first(db, cw):
    course = _course(db, cw, programme="talks", title="讲座", min_age=None, max_age=None, capacity=2)
    a, b, c, d = _adults(db, cw, 4)
    ra = enrolment.enrol(db, a, course_id=course.id)
    enrolment.enrol(db, b, course_id=course.id)
    with pytest.raises(Conflict) as e:
        enrolment.enrol(db, c, course_id=course.id)
    assert e.value.key == "classes.error.full"
    with pytest.raises(Conflict) as e:  # a place is free: no waitlist needed
        enrolment.join_waitlist(db, cw.parent, course_id=db.get(Course, make_course(db, cw)).id,
                                resident_id=cw.child_id)
    assert e.value.key == "classes.error.not_full"
    wc = enrolment.join_waitlist(db, c, course_id=course.id)
    wd = enrolment.join_waitlist(db, d, course_id=course.id)
    with pytest.raises(Conflict):
        enrolment.join_waitlist(db, c, course_id=course.id)
    assert enrolment.waiting_position(db, wc) == 1 and enrolment.waiting_position(db, wd) == 2
    detail = views.course_detail(db, d, course_id=course.id)
    assert detail.people[0].status == "waiting" and detail.people[0].position == 2

    enrolment.withdraw(db, a, enrollment_id=ra.id)
    db.refresh(wc)
    assert wc.status == "enrolled" and wc.waiting_course_id is None and wc.open_course_id == course.id
    assert _enrolled(db, course.id) == 2
    note = db.exec(select(Notification).where(Notification.account_id == c.account_id)).one()
    assert "候补" in note.title and course.title in note.body and note.link == f"/classes/course/{course.id}"
    assert enrolment.waiting_position(db, db.get(Enrollment, wd.id)) == 1
    # Leaving the waitlist is a withdrawal too.
    enrolment.withdraw(db, d, enrollment_id=wd.id)
    assert db.get(Enrollment, wd.id).status == "withdrawn"


def test_promotion_skips_someone_no_longer_eligible_and_tells_the_parent(db, cw):
    course = _course(db, cw, capacity=1)
    holder = person(db, cw.w.community_id, "小明", born=birthday(cw.today, 5),
                    household_id=cw.household_id)
    held = enrolment.enrol(db, cw.parent, course_id=course.id, resident_id=holder)
    hid = household(db, cw.w.community_id)
    mum = person(db, cw.w.community_id, "李妈妈", born=birthday(cw.today, 30), household_id=hid, mobile="13800000301")
    growing = person(db, cw.w.community_id, "快七岁", born=birthday(cw.today, 6, -1), household_id=hid)
    young = person(db, cw.w.community_id, "三岁", born=birthday(cw.today, 3), household_id=hid)
    first = enrolment.join_waitlist(db, mum, course_id=course.id, resident_id=growing)
    second = enrolment.join_waitlist(db, mum, course_id=course.id, resident_id=young)
    from community_app.models import Resident

    r = db.get(Resident, growing)  # staff corrected the date: the child is 7 now
    r.birth_date = birthday(cw.today, 7)
    db.add(r)
    db.commit()
    enrolment.withdraw(db, cw.parent, enrollment_id=held.id)
    assert db.get(Enrollment, first.id).status == "skipped" and db.get(Enrollment, first.id).open_course_id is None
    assert db.get(Enrollment, second.id).status == "enrolled"
    notes = db.exec(select(Notification).where(Notification.account_id == mum.account_id)).all()
    assert any("三岁" in n.body for n in notes)


def test_repeated_no_shows_stand_behind_the_others(db, cw):
    talk = _course(db, cw, programme="talks", title="讲座", min_age=None, max_age=None, capacity=1)
    sessions_course = _course(db, cw, programme="elderly", title="书法", min_age=None, max_age=None, capacity=5)
    late, punctual, holder = _adults(db, cw, 3)
    enrolment.enrol(db, late, course_id=sessions_course.id)
    # Three past sessions the person missed (marked absent by the teacher).
    from datetime import timedelta

    from community_app.models import CourseSession, utcnow
    for i in range(3):
        s = CourseSession(course_id=sessions_course.id, starts_at=utcnow() - timedelta(days=3 + i, hours=1),
                          ends_at=utcnow() - timedelta(days=3 + i), checkin_code="1234")
        db.add(s)
        db.commit()
        attendance.mark(db, cw.teacher, session_id=s.id, resident_id=late.resident_id, status="absent")
    hold = enrolment.enrol(db, holder, course_id=talk.id)
    w_late = enrolment.join_waitlist(db, late, course_id=talk.id)
    w_on_time = enrolment.join_waitlist(db, punctual, course_id=talk.id)
    assert w_late.priority == 1 and w_on_time.priority == 0
    assert enrolment.waiting_position(db, w_on_time) == 1 and enrolment.waiting_position(db, w_late) == 2
    enrolment.withdraw(db, holder, enrollment_id=hold.id)
    assert db.get(Enrollment, w_on_time.id).status == "enrolled"
    assert db.get(Enrollment, w_late.id).status == "waiting"


def test_staff_set_the_no_show_limit(db, cw):
    with pytest.raises(NotAllowed):
        courses.update_settings(db, cw.parent, no_show_limit=2)
    with pytest.raises(ValidationError):
        courses.update_settings(db, cw.w.staff, no_show_limit=0)
    s = courses.update_settings(db, cw.w.staff, no_show_limit=2, no_show_days=90)
    assert (s.no_show_limit, s.no_show_days) == (2, 90)
    assert courses.get_settings(db, cw.w.staff).no_show_limit == 2


def test_more_capacity_promotes_the_waitlist(db, cw):
    course = _course(db, cw, programme="talks", title="讲座", min_age=None, max_age=None, capacity=1)
    a, b = _adults(db, cw, 2)
    enrolment.enrol(db, a, course_id=course.id)
    wb = enrolment.join_waitlist(db, b, course_id=course.id)
    f = courses.CourseFields(kind="course", programme="talks", title="讲座", capacity=2)
    courses.update_course(db, cw.w.staff, course_id=course.id, fields=f)
    assert db.get(Enrollment, wb.id).status == "enrolled"
    with pytest.raises(ValidationError) as e:  # not below the people enrolled
        courses.update_course(db, cw.w.staff, course_id=course.id,
                              fields=courses.CourseFields(kind="course", programme="talks", title="讲座", capacity=1))
    assert e.value.key == "classes.error.capacity_below"


# --------------------------------------------------------------------------- 代办 and staff


def test_staff_enrol_on_behalf_and_remove_with_a_reason(db, cw):
    course = _course(db, cw, capacity=1)
    row = enrolment.enrol_on_behalf(db, cw.w.staff, course_id=course.id, resident_id=cw.child_id)
    assert row.on_behalf and row.status == "enrolled"
    hid = household(db, cw.w.community_id)
    other = person(db, cw.w.community_id, "二宝", born=birthday(cw.today, 2), household_id=hid)
    wait = enrolment.enrol_on_behalf(db, cw.w.staff, course_id=course.id, resident_id=other, waitlist=True)
    assert wait.status == "waiting"
    with pytest.raises(NotAllowed):
        enrolment.enrol_on_behalf(db, cw.parent, course_id=course.id, resident_id=other)
    with pytest.raises(NotAllowed):  # staff of another community
        enrolment.enrol_on_behalf(db, cw.w.other_staff, course_id=course.id, resident_id=other)
    with pytest.raises(ValidationError):
        enrolment.remove(db, cw.w.staff, enrollment_id=row.id, reason=" ")
    enrolment.remove(db, cw.w.staff, enrollment_id=row.id, reason="家长电话说孩子生病")
    assert db.get(Enrollment, row.id).status == "removed"
    assert db.get(Enrollment, wait.id).status == "enrolled"  # promoted (no account: nobody told)
    note = db.exec(select(Notification).where(Notification.account_id == cw.parent.account_id)).all()
    assert any("孩子生病" in n.body for n in note)


def test_staff_cannot_manage_another_communitys_course(db, cw):
    course = _course(db, cw)
    f = courses.CourseFields(kind="course", programme="talks", title="改名", capacity=5)
    with pytest.raises(NotAllowed):
        courses.update_course(db, cw.w.other_staff, course_id=course.id, fields=f)
    with pytest.raises(NotAllowed):
        courses.update_course(db, cw.parent, course_id=course.id, fields=f)
    with pytest.raises(NotAllowed):
        courses.set_course_active(db, cw.teacher, course_id=course.id, active=False)


@pytest.mark.parametrize("field, kw", [
    ("title", dict(title=" ")), ("programme", dict(programme="x")), ("kind", dict(kind="club")),
    ("capacity", dict(capacity=0)), ("capacity", dict(capacity="abc")), ("max_age", dict(min_age=10, max_age=5)),
    ("min_age", dict(min_age=-1)), ("teacher_account_id", dict(teacher_account_id=999)),
    ("room_type_id", dict(room_type_id=999)),
])
def test_course_form_refusals_name_their_field(db, cw, field, kw):
    fields = dict(kind="course", programme="talks", title="讲座", capacity=5)
    fields.update(kw)
    with pytest.raises(ValidationError) as e:
        courses.create_course(db, cw.w.staff, fields=courses.CourseFields(**fields))
    assert e.value.field == field


def test_closed_course_refuses_enrolment(db, cw):
    course = _course(db, cw)
    courses.set_course_active(db, cw.w.staff, course_id=course.id, active=False)
    with pytest.raises(ValidationError) as e:
        enrolment.enrol(db, cw.parent, course_id=course.id, resident_id=cw.child_id)
    assert e.value.key == "classes.error.closed"
    assert all(c.id != course.id for c in views.catalogue(db, cw.parent).cards)


# --------------------------------------------------------------------------- partners


def test_shared_course_takes_partner_residents_and_each_staff_sees_their_own(db, cw):
    from community_app.services.classes import staff_views

    course = _course(db, cw, programme="talks", title="防诈骗讲座", min_age=None, max_age=None, capacity=10)
    partner = person(db, cw.w.other_community_id, "刘桂芝", born=birthday(cw.today, 76),
                     household_id=None, mobile="13800000404")
    with pytest.raises(NotFound):  # not shared yet: the partner's residents do not see it
        enrolment.enrol(db, partner, course_id=course.id)
    assert all(c.id != course.id for c in views.catalogue(db, partner).cards)
    with pytest.raises(ValidationError):
        courses.set_shares(db, cw.w.staff, course_id=course.id, community_ids=[cw.w.community_id])
    courses.set_shares(db, cw.w.staff, course_id=course.id, community_ids=[cw.w.other_community_id])
    card = next(c for c in views.catalogue(db, partner).cards if c.id == course.id)
    assert card.partner == "东风路南社区"
    enrolment.enrol(db, partner, course_id=course.id)
    enrolment.enrol(db, cw.parent, course_id=course.id)
    ours = staff_views.enrolment_page(db, cw.w.staff, filters={"course": str(course.id)}, page=1)
    theirs = staff_views.enrolment_page(db, cw.w.other_staff, filters={"course": str(course.id)}, page=1)
    assert [r.name for r in ours.items] == ["王芳"] and [r.name for r in theirs.items] == ["刘桂芝"]
    # The partner's staff see the shared course, not to manage it.
    assert [c.id for c in staff_views.course_page(db, cw.w.other_staff, filters={"owner": "shared"}, page=1).items] \
        == [course.id]
    with pytest.raises(NotAllowed):
        courses.set_course_active(db, cw.w.other_staff, course_id=course.id, active=False)
    # The partner's staff 代办 for their own people only.
    ours_kid = cw.child_id
    with pytest.raises(NotAllowed):
        enrolment.enrol_on_behalf(db, cw.w.other_staff, course_id=course.id, resident_id=ours_kid)
    assert common.staff_scope(db, cw.w.other_staff, db.get(Course, course.id)) == cw.w.other_community_id


def test_catalogue_filters(db, cw):
    kids = _course(db, cw)
    elders = _course(db, cw, programme="elderly", title="桑榆课堂·手机", min_age=60, max_age=None)
    youth = _course(db, cw, programme="youth", title="人才讲堂", min_age=12, max_age=28)
    talk = _course(db, cw, programme="talks", title="宣讲", min_age=None, max_age=None)
    ids = lambda aud: {c.id for c in views.catalogue(db, cw.parent, audience=aud).cards}  # noqa: E731
    assert ids("all") >= {kids.id, elders.id, youth.id, talk.id}
    assert ids("me") == {talk.id}  # 34: none of the age-limited ones
    assert ids("child") == {kids.id}
    assert ids("elderly") == {elders.id}
    with pytest.raises(ValidationError):
        views.catalogue(db, cw.parent, audience="nope")


def test_teacher_must_be_staff_or_a_volunteer_of_the_community(db, cw):
    plain = person(db, cw.w.community_id, "普通居民", born=birthday(cw.today, 40), household_id=None,
                   mobile="13800000555")
    with pytest.raises(ValidationError):
        make_course(db, cw, teacher_account_id=plain.account_id)
    vol = person(db, cw.w.community_id, "志愿者", born=birthday(cw.today, 40), household_id=None,
                 mobile="13800000556", roles=(Role.RESIDENT, Role.VOLUNTEER))
    course = db.get(Course, make_course(db, cw, teacher_account_id=vol.account_id, teacher=""))
    assert course.teacher == "志愿者"


def test_my_classes_lists_the_childs_course_and_sessions(db, cw):
    course = _course(db, cw)
    add_session(db, cw, course.id)
    enrolment.enrol(db, cw.parent, course_id=course.id, resident_id=cw.child_id)
    mine = views.my_classes(db, cw.parent)
    assert [(e.person, e.status) for e in mine.entries] == [("陈一诺", "enrolled")]
    assert mine.upcoming and mine.upcoming[0].people == ["陈一诺"]
    teaching = views.my_classes(db, cw.teacher).teaching
    assert teaching and teaching[0].course_id == course.id


def test_places_freed_while_closed_go_to_the_line_when_it_opens_again(db, cw):
    course = _course(db, cw, programme="talks", title="讲座", min_age=None, max_age=None, capacity=1)
    a, b, c = _adults(db, cw, 3)
    held = enrolment.enrol(db, a, course_id=course.id)
    waiting = enrolment.join_waitlist(db, b, course_id=course.id)
    courses.set_course_active(db, cw.w.staff, course_id=course.id, active=False)
    enrolment.withdraw(db, a, enrollment_id=held.id)
    assert db.get(Enrollment, waiting.id).status == "waiting"  # closed: nobody promoted
    courses.set_course_active(db, cw.w.staff, course_id=course.id, active=True)
    assert db.get(Enrollment, waiting.id).status == "enrolled"
    with pytest.raises(Conflict):
        enrolment.enrol(db, c, course_id=course.id)


def test_a_newcomer_cannot_jump_the_line(db, cw):
    course = _course(db, cw, programme="talks", title="讲座", min_age=None, max_age=None, capacity=1)
    a, b, c = _adults(db, cw, 3)
    enrolment.enrol(db, a, course_id=course.id)
    enrolment.join_waitlist(db, b, course_id=course.id)
    courses.set_course_active(db, cw.w.staff, course_id=course.id, active=False)
    # Staff add a place while it is closed: the line keeps it, not a newcomer.
    courses.update_course(db, cw.w.staff, course_id=course.id,
                          fields=courses.CourseFields(kind="course", programme="talks", title="讲座", capacity=2))
    row = db.get(Course, course.id)
    row.active = True  # opened again by hand: the line has not been offered the place yet
    db.add(row)
    db.commit()
    with pytest.raises(Conflict) as e:
        enrolment.enrol(db, c, course_id=course.id)
    assert e.value.key == "classes.error.full"
    assert views.course_detail(db, c, course_id=course.id).people[0].can_wait
