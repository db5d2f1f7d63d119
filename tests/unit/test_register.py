"""The register: search and filters, scoping (community, grid workers, permissions), people
added without a phone, edits and care categories with a reason, eligibility following at once,
the household page and the grids."""

from __future__ import annotations

import json

import pytest
from sqlmodel import select

from community_app.models import (
    AuditLog,
    Building,
    Household,
    Resident,
    ResidentCare,
    ServiceKind,
    ServiceType,
)
from community_app.services import auth
from community_app.services.catalogue import is_eligible
from community_app.services.errors import Conflict, NotAllowed, NotFound, ValidationError
from community_app.services.register import diary, grids, households, people, scope, search
from community_app.services.register.people import NewAddress, PersonFields
from tests.conftest import sign_up_with_code
from tests.unit.register_helpers import add_person, build_reg


@pytest.fixture
def reg(db, world):
    return build_reg(db, world)


def _names(page) -> list[str]:
    return sorted(r.name for r in page.items)


def test_search_by_name_mobile_and_address(db, reg):
    add_person(db, reg, "赵桂兰", "4", "102", care=["living_alone", "elderly"])
    assert _names(search.search_register(db, reg.staff, filters={"q": "桂兰"})) == ["赵桂兰"]
    assert _names(search.search_register(db, reg.staff, filters={"q": "38000000"})) == ["张建国", "李秀英"]
    assert _names(search.search_register(db, reg.staff, filters={"q": "3-1-202"})) == ["张建国"]
    assert _names(search.search_register(db, reg.staff, filters={"q": "4-102"})) == ["赵桂兰"]
    assert search.search_register(db, reg.staff, filters={"q": "没有这个人"}).total == 0


def test_filters_by_grid_micro_grid_compound_building_and_category(db, reg):
    add_person(db, reg, "赵桂兰", "4", "102", care=["living_alone", "elderly"])
    add_person(db, reg, "牛秀兰", "5", "402", care=["living_alone"])
    add_person(db, reg, "钱大爷", "4", "301", care=["elderly"])
    s = reg.staff
    assert _names(search.search_register(db, s, filters={"grid": str(reg.grid1)})) == ["张建国", "李秀英", "王主任",
                                                                                     "赵桂兰", "钱大爷"]
    assert _names(search.search_register(db, s, filters={"micro": str(reg.micro2)})) == ["赵桂兰", "钱大爷"]
    assert _names(search.search_register(db, s, filters={"care": "living_alone"})) == ["牛秀兰", "赵桂兰"]
    assert _names(search.search_register(db, s, filters={"micro": str(reg.micro2), "care": "living_alone"})) == [
        "赵桂兰"]
    assert _names(search.search_register(db, s, filters={"compound": str(reg.world.compound_id),
                                                         "building": "5"})) == ["牛秀兰"]
    for bad in ({"care": "vip"}, {"grid": "x"}, {"grid": "-1"}, {"status": "gone"}, {"q": ["x"]}):
        with pytest.raises(ValidationError):
            search.search_register(db, s, filters=bad)


def test_staff_of_another_community_cannot_read_or_change_this_register(db, reg):
    other = reg.world.other_staff
    assert _names(search.search_register(db, other, filters={})) == ["路书记"]  # their own register only
    hh = db.exec(select(Household).where(Household.community_id == reg.world.community_id)).first()
    with pytest.raises(NotFound):
        households.household_detail(db, other, household_id=hh.id)
    with pytest.raises(NotFound):  # someone else's register: as if they did not exist
        people.set_care(db, other, resident_id=reg.world.resident.resident_id, categories=["disabled"], reason="x")
    with pytest.raises(NotFound):
        diary.add_entry(db, other, household_id=hh.id, kind="visit", body="探望")
    resident = reg.world.resident
    with pytest.raises(NotAllowed):
        search.search_register(db, resident, filters={})
    with pytest.raises(NotAllowed):
        households.household_detail(db, resident, household_id=hh.id)


def test_grid_worker_sees_their_grid_first_and_changes_only_inside_it(db, reg):
    options = search.register_options(db, reg.worker)
    assert options.home_grid_id == reg.grid1 and options.can_edit
    assert scope.home_grid(db, reg.staff, reg.world.community_id) is None
    outside = add_person(db, reg, "牛秀兰", "5", "402")
    inside = add_person(db, reg, "赵桂兰", "4", "102")
    people.set_care(db, reg.worker, resident_id=inside.id, categories=["living_alone"], reason="入户核实")
    with pytest.raises(NotAllowed):
        people.set_care(db, reg.worker, resident_id=outside.id, categories=["living_alone"], reason="入户核实")
    with pytest.raises(NotAllowed):
        people.add_resident(db, reg.worker, person=PersonFields(name="新人"),
                            address=NewAddress(reg.world.compound_id, "5", "1", "501"))
    people.add_resident(db, reg.worker, person=PersonFields(name="新人"),
                        address=NewAddress(reg.world.compound_id, "4", "1", "501"))
    # Reading the whole community stays possible ("first", not "only").
    assert search.search_register(db, reg.worker, filters={}).total == 6
    assert households.household_detail(db, reg.worker, household_id=outside.household_id).can_edit is False
    with pytest.raises(NotAllowed):
        grids.assign_building(db, reg.worker, building_id=reg.buildings["6"], grid_id=reg.micro1)


def test_staff_without_the_register_permission_read_but_do_not_change(db, reg):
    assert search.search_register(db, reg.plain, filters={}).total == 3
    assert search.register_options(db, reg.plain).can_edit is False
    with pytest.raises(NotAllowed):
        people.set_care(db, reg.plain, resident_id=reg.world.resident.resident_id, categories=["disabled"],
                        reason="x")
    with pytest.raises(NotAllowed):
        people.add_resident(db, reg.plain, person=PersonFields(name="新人"),
                            address=NewAddress(reg.world.compound_id, "4", "1", "501"))
    assert scope.has_permission(db, reg.admin, reg.world.community_id, "register")  # admins hold all
    assert not scope.has_permission(db, reg.plain, reg.world.community_id, "points")
    assert not scope.has_permission(db, reg.world.other_staff, reg.world.community_id, "register")
    assert not scope.has_permission(db, reg.admin, reg.world.community_id, "everything")


def test_add_a_resident_without_a_phone_into_the_grid_of_their_building(db, reg):
    r = people.add_resident(db, reg.staff, person=PersonFields(name="赵桂兰", gender="女", birth="1939-05-02",
                                                               note="失能老人"),
                            address=NewAddress(reg.world.compound_id, "4号楼", "1单元", "102室"),
                            care=["living_alone", "disabled"])
    h = db.get(Household, r.household_id)
    assert (h.building, h.unit, h.room, h.grid_id) == ("4", "1", "102", reg.micro2)
    assert r.mobile is None and r.birth_year == 1939 and r.birth_date.isoformat() == "1939-05-02"
    cats = set(db.exec(select(ResidentCare.category).where(ResidentCare.resident_id == r.id)).all())
    assert cats == {"living_alone", "disabled"}
    log = db.exec(select(AuditLog).where(AuditLog.action == "register.resident_add")).one()
    assert log.target_id == r.id
    with pytest.raises(ValidationError) as e:
        people.add_resident(db, reg.staff, person=PersonFields(name="某人"),
                            address=NewAddress(reg.world.compound_id, "99", "1", "101"))
    assert e.value.key == "register.error.building_unknown"
    with pytest.raises(ValidationError):
        people.add_resident(db, reg.staff, person=PersonFields(name="某人", mobile="12345"),
                            address=NewAddress(reg.world.compound_id, "4", "1", "101"))
    with pytest.raises(Conflict):  # the same mobile is someone else already
        people.add_resident(db, reg.staff, person=PersonFields(name="某人", mobile="13800000001"),
                            address=NewAddress(reg.world.compound_id, "4", "1", "101"))
    with pytest.raises(Conflict):  # the same person in the same household
        people.add_resident(db, reg.staff, person=PersonFields(name="赵桂兰"), household_id=r.household_id)


def test_edit_a_member_audits_what_changed_and_move_out_hides_them(db, reg):
    rid = reg.world.resident2.resident_id
    people.update_resident(db, reg.staff, resident_id=rid, person=PersonFields(
        name="张建国", mobile="13800000002", gender="男", birth="1968-02-03", note="腿脚不便"))
    row = db.exec(select(AuditLog).where(AuditLog.action == "register.resident_edit")).one()
    assert set(json.loads(row.detail)["changed"]) == {"gender", "birth_date", "birth_year", "note"}
    with pytest.raises(ValidationError):
        people.move_out(db, reg.staff, resident_id=rid, reason=" ")
    people.move_out(db, reg.staff, resident_id=rid, reason="搬到女儿家")
    assert "张建国" not in _names(search.search_register(db, reg.staff, filters={}))
    assert _names(search.search_register(db, reg.staff, filters={"status": "moved_out"})) == ["张建国"]
    with pytest.raises(Conflict):
        people.move_out(db, reg.staff, resident_id=rid, reason="again")


def test_care_category_change_needs_a_reason_is_audited_and_eligibility_follows_at_once(db, reg):
    stype = ServiceType(community_id=reg.world.community_id, code="home_haircut", name="上门理发",
                        kind=ServiceKind.REQUEST, home_visit=True, eligible_care="living_alone,disabled")
    db.add(stype)
    db.commit()
    rid = reg.world.resident.resident_id
    me = db.get(Resident, rid)
    assert not is_eligible(db, stype, me)
    with pytest.raises(ValidationError) as e:
        people.set_care(db, reg.staff, resident_id=rid, categories=["living_alone"], reason="")
    assert e.value.field == "reason"
    with pytest.raises(ValidationError):
        people.set_care(db, reg.staff, resident_id=rid, categories=["vip"], reason="看过证件")
    assert people.set_care(db, reg.staff, resident_id=rid, categories=["living_alone", "elderly"],
                           reason="入户核实：子女在外地") == (["elderly", "living_alone"], [])
    assert is_eligible(db, stype, db.get(Resident, rid))
    assert people.set_care(db, reg.staff, resident_id=rid, categories=["elderly"], reason="子女搬回同住") == (
        [], ["living_alone"])
    assert not is_eligible(db, stype, db.get(Resident, rid))
    logs = db.exec(select(AuditLog).where(AuditLog.action == "register.care_change").order_by(AuditLog.id)).all()
    assert [json.loads(a.detail)["reason"] for a in logs] == ["入户核实：子女在外地", "子女搬回同住"]
    history = households.household_detail(db, reg.staff, household_id=me.household_id).care_history
    assert [c.removed for c in history] == [["living_alone"], []]


def test_household_page_shows_members_with_and_without_accounts_and_the_diary(db, reg):
    hh = db.get(Resident, reg.world.resident.resident_id).household_id
    people.add_resident(db, reg.staff, person=PersonFields(name="李小宝", birth="2019"), household_id=hh,
                        care=["child"])
    diary.add_entry(db, reg.worker, household_id=hh, kind="visit", body="入户探望，一切安好",
                    resident_id=reg.world.resident.resident_id)
    with pytest.raises(ValidationError):
        diary.add_entry(db, reg.worker, household_id=hh, kind="gossip", body="x")
    with pytest.raises(ValidationError):
        diary.add_entry(db, reg.worker, household_id=hh, kind="note", body="  ")
    detail = households.household_detail(db, reg.staff, household_id=hh)
    assert detail.address.startswith("邮电园小区 3号楼1单元") and detail.micro_grid == "一1微网格"
    assert detail.grid == "第一网格"
    members = {m.name: m for m in detail.members}
    assert members["李秀英"].has_account and not members["李小宝"].has_account
    assert members["李小宝"].care == ["child"] and members["李小宝"].mobile == ""
    assert [(d.kind, d.author, d.person) for d in detail.diary] == [("visit", "刘婷", "李秀英")]
    assert detail.can_edit


def test_overdue_visits_are_a_to_do_until_someone_visits(db, reg):
    alone = add_person(db, reg, "赵桂兰", "4", "102", care=["living_alone"])
    add_person(db, reg, "牛秀兰", "5", "402", care=["living_alone"])
    [item] = diary.visits_todo(db, reg.staff)
    assert item.count == 2 and "care=living_alone" in item.link
    assert diary.visits_todo(db, reg.worker)[0].count == 1  # their grid only
    assert search.search_register(db, reg.staff, filters={"care": "living_alone", "visit": "overdue"}).total == 2
    diary.add_entry(db, reg.plain, household_id=alone.household_id, kind="visit", body="探望")
    assert diary.visits_todo(db, reg.staff)[0].count == 1
    assert diary.visits_todo(db, reg.worker)[0].count == 0


def test_grids_buildings_and_leaders(db, reg):
    overview = grids.grid_overview(db, reg.staff)
    assert [g.name for g in overview.grids] == ["第一网格", "第二网格"] and overview.can_manage
    assert [b.name for b in overview.unassigned] == ["6"]
    first = overview.grids[0]
    assert first.residents == 3 and [c.name for c in first.children] == ["一1微网格", "一2微网格"]
    micro = grids.create_grid(db, reg.staff, name="二2微网格", parent_id=reg.grid2)
    with pytest.raises(ValidationError):
        grids.create_grid(db, reg.staff, name="孙网格", parent_id=micro.id)
    with pytest.raises(Conflict):
        grids.create_grid(db, reg.staff, name="第一网格")
    moved = grids.assign_building(db, reg.staff, building_id=reg.buildings["3"], grid_id=micro.id)
    assert moved == 3
    db.expire_all()
    assert {h.grid_id for h in db.exec(select(Household).where(
        Household.building == "3", Household.compound_id == reg.world.compound_id)).all()} == {micro.id}
    grids.set_leader(db, reg.staff, grid_id=micro.id, name="马丽", phone="13911112222")
    grids.set_leader(db, reg.staff, grid_id=reg.grid1, account_id=reg.worker.account_id)
    with pytest.raises(NotFound):
        grids.set_leader(db, reg.staff, grid_id=reg.grid1, account_id=reg.world.other_staff.account_id)
    b = grids.add_building(db, reg.staff, compound_id=reg.world.compound_id, name="7号楼", grid_id=reg.micro3)
    assert b.name == "7"
    with pytest.raises(Conflict):
        grids.add_building(db, reg.staff, compound_id=reg.world.compound_id, name="7")
    with pytest.raises(NotAllowed):
        grids.create_grid(db, reg.plain, name="x")


def test_sign_up_places_the_new_household_in_its_buildings_grid(db, reg):
    sign_up_with_code(db, mobile="13811112222", password="correct horse battery", name="新居民",
                 community_id=reg.world.community_id, address=auth.Address(reg.world.compound_id, "5", "2", "301"))
    h = db.exec(select(Household).where(Household.building == "5")).one()
    assert h.grid_id == reg.micro3
    sign_up_with_code(db, mobile="13811113333", password="correct horse battery", name="新楼居民",
                 community_id=reg.world.community_id, address=auth.Address(reg.world.compound_id, "8", "1", "101"))
    new = db.exec(select(Building).where(Building.name == "8")).one()
    assert new.grid_id is None  # listed for staff to assign
