"""The demo community: a realistic register, accounts that work, and no double seeding."""

from __future__ import annotations

import shutil
from collections import Counter
from datetime import date, datetime, timedelta
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func
from sqlmodel import select

from community_app import db as dbmod
from community_app.demo import (
    DEMO_ACCOUNTS,
    DEMO_PASSWORD,
    MAIN_CODE,
    PARTNER_CODE,
    REFERENCE_YEAR,
    seed_demo,
)
from community_app.demo.bookings import _soon
from community_app.models import (
    Account,
    Booking,
    BookingEvent,
    CaseParty,
    CaseUpdate,
    Community,
    Course,
    CourseSession,
    Enrollment,
    Grid,
    Household,
    MediationCase,
    PointsEntry,
    Resident,
    ResidentCare,
    ResidentRequest,
    Reward,
    ServiceDay,
    ServiceSlot,
    ServiceType,
    Team,
    TeamMember,
    Topic,
    utcnow,
)
from community_app.services import auth
from community_app.services.errors import Conflict, ValidationError
from community_app.services.passwords import check_password_rules
from community_app.settings import reset_settings
from tests.conftest import build_world


@pytest.fixture
def seeded(db):
    summary = seed_demo(db)
    return db, summary


def _community(db, code) -> Community:
    return db.exec(select(Community).where(Community.code == code)).one()


def _residents(db, code) -> list[Resident]:
    cid = _community(db, code).id
    return list(db.exec(select(Resident).where(Resident.community_id == cid).order_by(Resident.id)).all())


def _care(db, code) -> dict[int, set[str]]:
    cid = _community(db, code).id
    rows = db.exec(
        select(ResidentCare.resident_id, ResidentCare.category)
        .join(Resident, Resident.id == ResidentCare.resident_id)
        .where(Resident.community_id == cid)
    ).all()
    out: dict[int, set[str]] = {}
    for rid, cat in rows:
        out.setdefault(rid, set()).add(cat)
    return out


def test_demo_password_passes_the_rules():
    for _label, mobile, _name, password in DEMO_ACCOUNTS:
        assert password == DEMO_PASSWORD
        check_password_rules(password, mobile=mobile)


def test_seed_builds_two_communities_of_one_sub_district(seeded):
    db, summary = seeded
    main, partner = _community(db, MAIN_CODE), _community(db, PARTNER_CODE)
    assert main.name == "东风路南社区" and partner.name == "古城社区"
    assert main.sub_district == partner.sub_district != ""
    assert summary.community_ids == {MAIN_CODE: main.id, PARTNER_CODE: partner.id}
    # The register's 200, and 陈语桐, whom the classes demo adds to 陈晓东's household (through the service).
    assert summary.residents == 200 and len(_residents(db, MAIN_CODE)) == 201
    assert 0 < len(_residents(db, PARTNER_CODE)) < 200


def test_main_community_has_grids_micro_grids_with_leaders_and_households_in_them(seeded):
    db, _ = seeded
    cid = _community(db, MAIN_CODE).id
    grids = db.exec(select(Grid).where(Grid.community_id == cid)).all()
    top = [g for g in grids if g.parent_id is None]
    micro = [g for g in grids if g.parent_id is not None]
    assert len(top) == 3
    assert {g.parent_id for g in micro} == {g.id for g in top}
    assert all(g.leader_name and g.leader_phone for g in micro)  # every 微网格 has a 微网格长
    households = db.exec(select(Household).where(Household.community_id == cid)).all()
    micro_ids = {g.id for g in micro}
    assert households and all(h.grid_id in micro_ids for h in households)
    assert all(h.building and h.unit and h.room for h in households)
    compounds = {h.compound_id for h in households}
    assert len(compounds) >= 3
    assert all(r.household_id for r in _residents(db, MAIN_CODE))


def test_register_has_realistic_care_categories(seeded):
    db, _ = seeded
    residents = _residents(db, MAIN_CODE)
    care = _care(db, MAIN_CODE)
    counts = Counter(cat for cats in care.values() for cat in cats)
    n = len(residents)
    assert 0.15 * n <= counts["living_alone"] <= 0.21 * n  # 18% 独居空巢老人
    assert counts["elderly"] > counts["living_alone"]
    assert counts["pregnant"] == 2
    assert counts["child"] > 0 and counts["disabled"] > 0 and counts["hardship"] > 0
    assert counts["limited_mobility"] > 0
    by_id = {r.id: r for r in residents}
    for rid, cats in care.items():
        age = REFERENCE_YEAR - by_id[rid].birth_year
        if "elderly" in cats or "living_alone" in cats:
            assert age >= 65
        if "child" in cats:
            assert age < 14 and by_id[rid].mobile is None
    assert all(1935 <= r.birth_year <= REFERENCE_YEAR for r in residents)
    assert {r.gender for r in residents} == {"男", "女"}
    # Some elderly have no phone at all (staff act for them).
    no_phone_elderly = [r for r in residents if r.mobile is None and "elderly" in care.get(r.id, set())]
    assert no_phone_elderly
    mobiles = [r.mobile for r in residents if r.mobile]
    assert len(mobiles) == len(set(mobiles))
    names = [r.name for r in residents]
    assert all(2 <= len(name) <= 4 for name in names)


def test_every_demo_account_signs_in_with_the_right_roles(seeded):
    db, _ = seeded
    main, partner = _community(db, MAIN_CODE), _community(db, PARTNER_CODE)
    for label, mobile, name, password in DEMO_ACCOUNTS:
        token = auth.sign_in(db, mobile=mobile, password=password)
        actor = auth.resolve_session(db, token)
        assert actor is not None and actor.display_name == name, label
        home, other = (main, partner) if actor.community_id == main.id else (partner, main)
        if "管理员" in label:
            assert actor.is_admin and actor.global_admin
            assert actor.can_staff(main.id) and actor.can_staff(partner.id)
        elif "工作人员" in label or "网格员" in label:
            assert actor.is_staff and actor.can_staff(home.id), label
            assert not actor.can_staff(other.id), label
            assert not actor.is_admin
        else:
            assert not actor.is_staff, label
            assert actor.resident_id is not None
            resident = db.get(Resident, actor.resident_id)
            assert resident.name == name and resident.mobile == mobile
            assert resident.community_id == actor.community_id
            assert actor.is_volunteer == ("志愿者" in label), label
    assert db.exec(select(Account).where(Account.mobile == "13800000004")).one().community_id == partner.id


def test_demo_accounts_share_one_hash(seeded):
    db, _ = seeded
    mobiles = [m for _, m, _, _ in DEMO_ACCOUNTS]
    hashes = db.exec(select(Account.password_hash).where(Account.mobile.in_(mobiles))).all()
    assert len(hashes) == len(DEMO_ACCOUNTS) and len(set(hashes)) == 1


def test_seed_refuses_to_run_twice(seeded):
    db, _ = seeded
    before = db.exec(select(func.count(Resident.id))).one()
    with pytest.raises(Conflict) as e:
        seed_demo(db)
    assert e.value.key == "cli.seed.already"
    assert "不会重复载入" in e.value.message()
    assert db.exec(select(func.count(Resident.id))).one() == before
    assert db.exec(select(func.count(Community.id))).one() == 2


def test_seed_refuses_when_a_demo_mobile_is_taken(db):
    build_world(db)  # has 13800000001 already
    with pytest.raises(Conflict) as e:
        seed_demo(db)
    assert e.value.key == "cli.seed.mobile_taken"
    db.rollback()
    assert db.exec(select(Community).where(Community.code == MAIN_CODE)).first() is None


def test_seed_refuses_too_few_residents(db):
    with pytest.raises(ValidationError):
        seed_demo(db, residents=10)
    assert db.exec(select(Community)).first() is None


def test_seed_is_deterministic(template_db, tmp_path, monkeypatch):
    def run(path) -> list[tuple]:
        shutil.copy(template_db, path)
        monkeypatch.setenv("DATABASE_URL", f"sqlite:///{path}")
        reset_settings()
        dbmod.reset_engine()
        with dbmod.write_session() as s:
            seed_demo(s, residents=80, rng_seed=7)
            rows = s.exec(select(Resident.name, Resident.birth_year, Resident.mobile, Resident.note)
                          .order_by(Resident.id)).all()
        dbmod.reset_engine()
        return [tuple(r) for r in rows]

    try:
        assert run(tmp_path / "a.db") == run(tmp_path / "b.db")
    finally:
        dbmod.reset_engine()
        reset_settings()


def test_a_bigger_demo_gets_more_buildings(db):
    summary = seed_demo(db, residents=700)
    assert summary.residents == 700
    assert db.exec(select(func.count(Household.id))).one() == summary.households


def test_teams_volunteers_and_points(seeded):
    db, _ = seeded
    cid = _community(db, MAIN_CODE).id
    teams = {t.name: t for t in db.exec(select(Team).where(Team.community_id == cid)).all()}
    for name in ("银发爱心义剪队", "夕阳维修队", "党员教育服务队", "治安巡防服务队", "绿色环保服务队",
                 "爱心互助服务队", "关爱未成年服务队", "敬老爱老服务队", "安全文明服务队"):
        assert name in teams
        members = db.exec(select(TeamMember).where(TeamMember.team_id == teams[name].id)).all()
        assert len(members) >= 3
        assert teams[name].leader_resident_id in {m.resident_id for m in members}
    leader = db.get(Resident, teams["银发爱心义剪队"].leader_resident_id)
    assert leader.name == "闫爱民"

    balances = dict(db.exec(select(PointsEntry.resident_id, func.sum(PointsEntry.delta))
                            .group_by(PointsEntry.resident_id)).all())
    assert balances and all(b >= 0 for b in balances.values())
    yan = db.exec(select(Resident).where(Resident.name == "闫爱民")).one()
    assert balances[yan.id] > 0
    sources = [s for s in db.exec(select(PointsEntry.source)).all() if s]
    assert len(sources) == len(set(sources))
    rewards = db.exec(select(Reward).where(Reward.community_id == cid)).all()
    assert len(rewards) >= 5 and all(r.stock >= 0 and r.cost_points > 0 for r in rewards)


def test_courses_respect_capacity_and_audience(seeded):
    from community_app.services.core.clock import age_on

    db, _ = seeded
    courses = db.exec(select(Course)).all()
    titles = " ".join(c.title for c in courses)
    for word in ("早教课堂", "人才讲堂", "桑榆课堂", "百姓宣讲团", "技能学习小组", "朗诵", "模特"):
        assert word in titles
    now = utcnow()
    for course in courses:
        enrolled = db.exec(select(Enrollment).where(Enrollment.open_course_id == course.id,
                                                    Enrollment.status == "enrolled")).all()
        assert course.enrolled == len(enrolled) <= course.capacity
        for e in enrolled:  # the age fitted on the day they enrolled
            born = db.get(Resident, e.resident_id).birth_date
            age = age_on(born, e.created_at.date())
            assert course.min_age is None or age >= course.min_age
            assert course.max_age is None or age <= course.max_age
        sessions = db.exec(select(CourseSession).where(CourseSession.course_id == course.id)).all()
        assert any(s.starts_at > now for s in sessions)
        assert all(s.ends_at > s.starts_at for s in sessions)


def test_mediation_cases_and_requests(seeded):
    db, summary = seeded
    cases = db.exec(select(MediationCase).order_by(MediationCase.id)).all()
    assert summary.mediation_cases == len(cases) >= 8
    assert [c.seq for c in cases] == sorted(c.seq for c in cases)  # numbered in filing order
    assert [c.created_at for c in cases] == sorted(c.created_at for c in cases)
    for case in cases:
        parties = db.exec(select(CaseParty).where(CaseParty.case_id == case.id)).all()
        updates = db.exec(select(CaseUpdate).where(CaseUpdate.case_id == case.id)).all()
        assert len(parties) == 2 and updates[0].status == "filed"
        if case.status == "closed":
            assert case.closed_at and case.outcome and case.mediator_account_id
    assert {c.status for c in cases} == {"new", "in_progress", "closed"}
    # 王芳 lives right above 张建国 (the leak a visitor files), 周海涛 above her (the noise case).
    zhang, wang, zhou = (db.exec(select(Household).join(Resident, Resident.household_id == Household.id)
                                 .where(Resident.name == n)).one() for n in ("张建国", "王芳", "周海涛"))
    assert (zhang.building, zhang.unit) == (wang.building, wang.unit) == (zhou.building, zhou.unit)
    assert (zhang.room, wang.room, zhou.room) == ("101", "201", "301")
    # 充电桩 is a 议事 topic with a published decision, not a two-party case.
    assert not [c for c in cases if "充电" in c.description]
    topic = db.exec(select(Topic).where(Topic.title.contains("充电"))).one()
    assert topic.status == "decided" and topic.decision
    categories = {r.category for r in db.exec(select(ResidentRequest)).all()}
    assert {"lighting", "road"} <= categories


def test_service_catalogue_and_days_are_generated(seeded):
    db, summary = seeded
    for code in (MAIN_CODE, PARTNER_CODE):
        cid = _community(db, code).id
        assert db.exec(select(ServiceType).where(ServiceType.community_id == cid)).first() is not None
    assert summary.service_days and summary.service_days > 0
    assert db.exec(select(func.count(ServiceDay.id))).one() == summary.service_days


def test_seed_and_sign_in_on_both_databases(any_db_url):
    with dbmod.write_session() as s:
        summary = seed_demo(s, residents=60)
        assert summary.residents == 60
        for _label, mobile, _name, password in DEMO_ACCOUNTS:
            assert auth.resolve_session(s, auth.sign_in(s, mobile=mobile, password=password)) is not None
        with pytest.raises(Conflict):
            seed_demo(s, residents=60)


def test_bookings_give_every_booking_page_something_real(seeded):
    db, summary = seeded
    main = _community(db, MAIN_CODE)
    rows = db.exec(select(Booking, ServiceType).join(ServiceType).where(Booking.community_id == main.id)).all()
    assert summary.bookings == len(rows) >= 12
    by_status = Counter(b.status for b, _ in rows)
    assert by_status["submitted"] >= 2 and by_status["assigned"] >= 1 and by_status["done"] >= 3
    # Done visits have a completion note, most are rated, and the timeline ends with "done".
    done = [b for b, _ in rows if b.status == "done"]
    assert all(b.completion_note for b in done) and sum(b.rating is not None for b in done) >= 2
    for b in done:
        last = db.exec(select(BookingEvent).where(BookingEvent.booking_id == b.id)
                       .order_by(BookingEvent.created_at.desc(), BookingEvent.id.desc())).first()
        assert last.status == "done"
    # 李秀英's home haircut is assigned to 闫爱民 of the 义剪队, in the future.
    li = db.exec(select(Account).where(Account.mobile == "13800000001")).one()
    [(hers, stype)] = [(b, t) for b, t in rows if b.resident_id == li.resident_id and b.status != "done"]
    assert stype.code == "home_haircut" and hers.status == "assigned" and "闫爱民" in hers.assignee_name
    assert hers.scheduled_at > utcnow()
    # 张建国 and 王芳 have no bookings yet: they are the ones a visitor books with; the volunteers
    # have nothing open either (陈晓东 had his TV repaired last month).
    fresh = db.exec(select(Account.resident_id).where(Account.mobile.in_(["13800000002", "13800000003"]))).all()
    assert not [b for b, _ in rows if b.resident_id in set(fresh)]
    volunteers = db.exec(select(Account.resident_id).where(Account.mobile.in_(
        ["13700000001", "13700000002", "13700000003"]))).all()
    assert not [b for b, _ in rows if b.resident_id in set(volunteers) and b.status != "done"]
    # The next 义剪 day is partly booked, the counters agree and every slot keeps a free chair.
    yijian = [b for b, t in rows if t.code == "yijian"]
    assert len(yijian) >= 5
    for slot in db.exec(select(ServiceSlot).where(ServiceSlot.id.in_([b.slot_id for b in yijian]))).all():
        holding = db.exec(select(func.count(Booking.id)).where(Booking.holding_slot_id == slot.id)).one()
        assert slot.taken == holding < slot.capacity


def test_the_repair_assigned_for_today_is_today_even_late_in_the_evening():
    """孙志刚's assigned repair must be markable done on the day the demo is seeded (not before
    its day); seeded after 23:30 Beijing time it used to go to the next morning."""
    zone = ZoneInfo("Asia/Shanghai")
    for hh, mm in ((9, 0), (23, 29), (23, 31), (23, 50), (23, 59)):
        now = datetime(2026, 11, 28, hh, mm, 30, tzinfo=zone)
        visit = _soon(SimpleNamespace(now=now, today=date(2026, 11, 28)))
        assert visit > now and visit.astimezone(zone).date() == date(2026, 11, 28), (hh, mm)
        assert visit - now <= timedelta(minutes=30)
