"""Mediation services: filing and case numbers, who sees what (parties, the other party's private
channel, internal notes, other residents, staff of another community), the staff workflow,
the promise clocks, reopening, sessions in the mediation room, evidence photos and numbers."""

from __future__ import annotations

import io
import json
from datetime import UTC, date, datetime, time, timedelta

import pytest
from PIL import Image
from sqlmodel import select

from community_app.models import (
    AuditLog,
    CaseUpdate,
    MediationCase,
    MediationSession,
    Notification,
    ServiceDay,
    ServiceSlot,
    ServiceType,
)
from community_app.services import auth
from community_app.services.access import load_actor
from community_app.services.core.clock import travel
from community_app.services.errors import Conflict, NotAllowed, NotFound, ValidationError
from community_app.services.mediation import cases, clocks, sessions, stats, updates, views, workflow
from community_app.services.mediation.parties import PartyInput, find_neighbours, mask_name
from community_app.services.todo import staff_todo
from tests.conftest import sign_up_with_code
from tests.factories import SHANGHAI

NOW = datetime.now(UTC)


def resident(db, world, mobile: str, name: str, room: str, building: str = "3"):
    acc = sign_up_with_code(db, mobile=mobile, password=world.password, name=name, community_id=world.community_id,
                       address=auth.Address(world.compound_id, building, "1", room))
    db.commit()
    return load_actor(db, acc)


def file(db, world, **kw):
    """李秀英 (3-1-201) files against 张建国 (3-1-202)."""
    args = dict(category="leak", description="楼上卫生间漏水，厨房顶棚湿了一大片。",
                respondent=PartyInput(resident_id=world.resident2.resident_id), privacy_ack=True,
                consent_share=True, contact_times="工作日晚上")
    args.update(kw)
    return cases.file_case(db, world.resident, **args)


def notes_of(db, actor) -> list[Notification]:
    return list(db.exec(select(Notification).where(Notification.account_id == actor.account_id)
                        .order_by(Notification.id)).all())


def texts(view) -> list[str]:
    return [s.note for s in view.steps]


def room(db, world, *, capacity: int = 1, slots: int = 3):
    """The mediation room with one open day tomorrow-ish (far enough to be in the future)."""
    stype = ServiceType(community_id=world.community_id, code="room_mediation", name="小胡说事调解室", kind="slot",
                        category="room", location="社区党群服务中心二楼")
    db.add(stype)
    db.flush()
    day = ServiceDay(service_type_id=stype.id, day=(NOW + timedelta(days=2)).date(), location="二楼调解室")
    db.add(day)
    db.flush()
    out = []
    for i in range(slots):
        start = NOW + timedelta(days=2, hours=i)
        slot = ServiceSlot(service_day_id=day.id, service_type_id=stype.id, number=i + 1, starts_at=start,
                           ends_at=start + timedelta(hours=1), capacity=capacity)
        db.add(slot)
        out.append(slot)
    db.commit()
    return stype, day, out


def taken(db, slot_id) -> int:
    return db.exec(select(ServiceSlot.taken).where(ServiceSlot.id == slot_id)
                   .execution_options(populate_existing=True)).one()


def jpeg(exif_gps: bool = True) -> bytes:
    img = Image.new("RGB", (40, 30), (200, 30, 30))
    out = io.BytesIO()
    exif = Image.Exif()
    if exif_gps:
        exif[0x010F] = "PhoneMaker"
    img.save(out, "JPEG", exif=exif)
    return out.getvalue()


# --------------------------------------------------------------------------- filing


def test_a_resident_files_a_case_and_gets_a_number_and_the_neighbour_is_invited(db, world):
    case = file(db, world)
    assert case.number.startswith("东风路南-") and case.number.endswith("-0001") and case.status == "new"
    second = file(db, world, category="noise", description="夜里有人跳操。")
    assert second.number.endswith("-0002") and second.seq == 2
    me = notes_of(db, world.resident)
    other = notes_of(db, world.resident2)
    assert any(case.number in n.title + n.body for n in me)
    assert any("/mediation/" in n.link for n in other)  # invited, with a link to their case page
    view = views.party_view(db, world.resident2, case_id=case.id)
    assert view.my_role == "respondent" and "漏水" in view.description and view.status == "new"


def test_filing_refuses_bad_input_without_leaving_anything(db, world):
    bad = [
        dict(category="gossip"), dict(description="  "), dict(privacy_ack=False),
        dict(respondent=PartyInput(resident_id=world.resident.resident_id)),  # oneself
        dict(respondent=PartyInput(resident_id=999999)), dict(respondent=PartyInput(name="小马")),  # no address
        dict(respondent=PartyInput(name="小马", address="4号楼", phone="abc")),
        dict(since=(NOW + timedelta(days=3)).date()), dict(since="yesterday"),
        dict(photos=[("a.txt", b"hello", "image/jpeg")]),
        dict(photos=[("a.jpg", jpeg(), "image/jpeg")] * 4),
    ]
    for kw in bad:
        with pytest.raises(ValidationError):
            file(db, world, **kw)
    assert db.exec(select(MediationCase)).all() == []
    # The other community's resident cannot be named.
    other = sign_up_with_code(db, mobile="13800009999", password=world.password, name="外人", community_id=world.other_community_id,
                         address=auth.Address(_other_compound(db, world), "1", "1", "101"))
    db.commit()
    with pytest.raises(ValidationError):
        file(db, world, respondent=PartyInput(resident_id=other.resident_id))
    with pytest.raises(NotAllowed):
        cases.file_case(db, world.staff if world.staff.resident_id is None else None, category="leak",
                        description="x", respondent=PartyInput(name="a", address="b"), privacy_ack=True)


def _other_compound(db, world) -> int:
    from community_app.models import Compound

    return db.exec(select(Compound.id).where(Compound.community_id == world.other_community_id)).first()


def test_a_party_without_an_account_is_a_typed_name_and_address(db, world):
    case = file(db, world, respondent=PartyInput(name="小马", address="邮电园小区6号楼2单元301（租户）",
                                                 phone="13912345678"), consent_share=False)
    staff = views.staff_view(db, world.staff, case_id=case.id)
    typed = [p for p in staff.parties if p.role == "respondent"][0]
    assert (typed.name, typed.registered, typed.has_account, typed.phone) == ("小马", False, False, "13912345678")
    assert typed.address.startswith("邮电园小区6号楼")


def test_staff_file_for_a_caller_by_phone_and_it_is_audited(db, world):
    case = cases.file_case_for(db, world.staff, applicant=PartyInput(name="赵桂兰", address="邮电园小区5号楼1单元102"),
                               respondent=PartyInput(name="赵建军", address="建胜小区2号楼3单元401"),
                               category="elderly_support", description="儿女对照料分工意见不一。", channel="phone",
                               privacy_ack=True)
    assert case.on_behalf and case.intake_channel == "phone"
    assert db.exec(select(AuditLog).where(AuditLog.action == "mediation.case.file_for")).first() is not None
    with pytest.raises(NotAllowed):
        cases.file_case_for(db, world.resident, applicant=PartyInput(name="a", address="b"),
                            respondent=PartyInput(name="c", address="d"), category="other", description="x",
                            privacy_ack=True)
    with pytest.raises(NotAllowed):  # staff of another community, for this community
        cases.file_case_for(db, world.other_staff, applicant=PartyInput(name="a", address="b"),
                            respondent=PartyInput(name="c", address="d"), category="other", description="x",
                            privacy_ack=True, community_id=world.community_id)
    with pytest.raises(ValidationError):
        cases.file_case_for(db, world.staff, applicant=PartyInput(name="a", address="b"),
                            respondent=PartyInput(name="c", address="d"), category="other", description="x",
                            privacy_ack=True, channel="app")


def test_neighbours_are_found_by_address_with_masked_names(db, world):
    found = find_neighbours(db, world.resident, compound_id=world.compound_id, building="3", unit="1", room="202")
    assert [(n.resident_id, n.masked_name, n.has_account) for n in found] == [(world.resident2.resident_id, "张**", True)]
    assert find_neighbours(db, world.resident, compound_id=world.compound_id, building="3", unit="1", room="201") == []
    assert find_neighbours(db, world.resident, compound_id=world.compound_id, building="9", unit="1", room="9") == []
    with pytest.raises(ValidationError):
        find_neighbours(db, world.resident, compound_id=_other_compound(db, world), building="1", unit="1", room="101")
    assert mask_name("王芳") == "王*" and mask_name("欧阳明月") == "欧阳**"


# --------------------------------------------------------------------------- privacy


def test_what_each_party_sees_and_never_sees(db, world):
    case = file(db, world)
    applicant, respondent = [p.id for p in views.staff_view(db, world.staff, case_id=case.id).parties]
    updates.post_update(db, world.staff, case_id=case.id, text="已上门查看，确认渗水来自楼上。")
    updates.post_update(db, world.staff, case_id=case.id, text="内部：楼上态度强硬，注意方式。", visibility="internal")
    updates.post_update(db, world.staff, case_id=case.id, text="给李阿姨：费用可以商量。", visibility="private",
                        party_id=applicant, channel="phone")
    updates.send_private(db, world.resident2, case_id=case.id, text="张：其实我愿意赔一半。")
    updates.send_private(db, world.resident, case_id=case.id, text="李：我不想见他。")
    updates.add_statement(db, world.resident2, case_id=case.id, text="我家上周已经修好了防水。")
    mine = texts(views.party_view(db, world.resident, case_id=case.id))
    theirs = texts(views.party_view(db, world.resident2, case_id=case.id))
    staff = texts(views.staff_view(db, world.staff, case_id=case.id))
    for t in ("已上门查看，确认渗水来自楼上。", "我家上周已经修好了防水。"):
        assert t in mine and t in theirs and t in staff
    assert "内部：楼上态度强硬，注意方式。" not in mine + theirs and "内部：楼上态度强硬，注意方式。" in staff
    assert "给李阿姨：费用可以商量。" in mine and "给李阿姨：费用可以商量。" not in theirs
    assert "李：我不想见他。" in mine and "李：我不想见他。" not in theirs
    assert "张：其实我愿意赔一半。" in theirs and "张：其实我愿意赔一半。" not in mine
    assert all(t in staff for t in ("给李阿姨：费用可以商量。", "李：我不想见他。", "张：其实我愿意赔一半。"))
    assert respondent  # both parties listed for staff
    # Nor in the list summaries or notifications of the other side.
    assert not any("不想见他" in n.body for n in notes_of(db, world.resident2))
    assert not any("愿意赔一半" in n.body or "内部" in n.body for n in notes_of(db, world.resident))


def test_another_resident_and_other_community_staff_are_refused_and_staff_views_are_logged(db, world):
    case = file(db, world)
    stranger = resident(db, world, "13800000077", "路人甲", "601")
    with pytest.raises(NotFound):
        views.party_view(db, stranger, case_id=case.id)
    with pytest.raises(NotFound):
        updates.send_private(db, stranger, case_id=case.id, text="我也想说两句")
    with pytest.raises(NotAllowed):  # a party cannot open the staff view
        views.staff_view(db, world.resident, case_id=case.id)
    with pytest.raises(NotAllowed):
        views.staff_view(db, world.other_staff, case_id=case.id)
    with pytest.raises(NotAllowed):
        updates.post_update(db, world.other_staff, case_id=case.id, text="越权")
    refused = db.exec(select(AuditLog).where(AuditLog.action == "mediation.case.refused")).all()
    assert len(refused) == 2 and {r.actor_account_id for r in refused} == {world.other_staff.account_id}
    assert {json.loads(r.detail)["attempted"] for r in refused} == {"view", "change"}
    views.staff_view(db, world.staff, case_id=case.id)
    views.staff_view(db, world.staff, case_id=case.id)
    seen = db.exec(select(AuditLog).where(AuditLog.action == "mediation.case.view")).all()
    assert len(seen) == 2 and all(r.target_id == case.id for r in seen)
    with pytest.raises(NotFound):
        views.party_view(db, world.resident, case_id="1")  # not an int id


def test_facts_and_filing_photos_stay_with_the_applicant_without_consent(db, world):
    case = file(db, world, consent_share=False, photos=[("leak.jpg", jpeg(), "image/jpeg")])
    theirs = views.party_view(db, world.resident2, case_id=case.id)
    mine = views.party_view(db, world.resident, case_id=case.id)
    assert theirs.facts_hidden and theirs.description == "" and theirs.title == ""
    assert not mine.facts_hidden and mine.description
    photo_id = mine.steps[0].photo_ids[0]
    assert theirs.steps[0].photo_ids == ()
    with pytest.raises(NotFound):
        views.photo_file(db, world.resident2, photo_id=photo_id)
    path, ctype = views.photo_file(db, world.resident, photo_id=photo_id)
    assert ctype == "image/jpeg" and path.exists()
    assert b"PhoneMaker" not in path.read_bytes()  # metadata stripped
    views.photo_file(db, world.staff, photo_id=photo_id)
    with pytest.raises(NotFound):
        views.photo_file(db, world.other_staff, photo_id=photo_id)


# --------------------------------------------------------------------------- workflow


def test_the_whole_workflow_tells_the_parties_at_each_step(db, world):
    case = file(db, world)
    before = len(notes_of(db, world.resident2))
    workflow.assign_mediator(db, world.staff, case_id=case.id, account_id=world.staff.account_id)
    assert db.get(MediationCase, case.id).status == "in_progress"
    updates.post_update(db, world.staff, case_id=case.id, text="约双方周六上午面谈。")
    with pytest.raises(Conflict):  # no outcome yet
        workflow.close_case(db, world.staff, case_id=case.id)
    with pytest.raises(ValidationError):
        workflow.record_outcome(db, world.staff, case_id=case.id, responsibility="respondent", outcome="agreed")
    workflow.record_outcome(db, world.staff, case_id=case.id, responsibility="respondent", outcome="agreed",
                            agreement="楼上重做防水，赔偿楼下修缮费2000元。", remedy="2000元", responsibility_note="楼上未做闭水试验")
    workflow.close_case(db, world.staff, case_id=case.id, followup_on=(NOW + timedelta(days=7)).date())
    closed = views.party_view(db, world.resident2, case_id=case.id)
    assert closed.status == "closed" and closed.outcome == "agreed" and "2000" in closed.agreement
    assert closed.responsibility == "respondent" and closed.followup_on and not closed.can_write
    assert [s.status for s in closed.steps] == ["filed", "assigned", "update", "outcome", "closed"]
    assert len(notes_of(db, world.resident2)) - before == 4  # assigned, update, outcome, closed
    workflow.record_followup(db, world.staff, case_id=case.id, note="回访：双方满意，已修好。", channel="visit")
    with pytest.raises(Conflict):
        workflow.record_followup(db, world.staff, case_id=case.id, note="again")
    with pytest.raises(Conflict):
        updates.add_statement(db, world.resident, case_id=case.id, text="还有一件事")
    actions = {a for a in db.exec(select(AuditLog.action)).all()}
    assert {"mediation.case.assign", "mediation.update.post", "mediation.case.outcome", "mediation.case.close",
            "mediation.followup.record"} <= actions


def test_assign_refuses_a_resident_and_a_mediator_of_another_community(db, world):
    case = file(db, world)
    with pytest.raises(ValidationError):
        workflow.assign_mediator(db, world.staff, case_id=case.id, account_id=world.resident.account_id)
    with pytest.raises(ValidationError):
        workflow.assign_mediator(db, world.staff, case_id=case.id, account_id=world.other_staff.account_id)
    with pytest.raises(NotAllowed):
        workflow.assign_mediator(db, world.resident, case_id=case.id, account_id=world.staff.account_id)


def test_reopen_within_thirty_days_on_a_partys_request(db, world):
    case = file(db, world)
    workflow.assign_mediator(db, world.staff, case_id=case.id, account_id=world.staff.account_id)
    with pytest.raises(Conflict):
        workflow.request_reopen(db, world.resident, case_id=case.id, reason="open still")
    workflow.record_outcome(db, world.staff, case_id=case.id, responsibility="equal", outcome="partly",
                            agreement="各让一步。")
    workflow.close_case(db, world.staff, case_id=case.id)
    with pytest.raises(ValidationError):  # staff alone cannot reopen: a party must have asked
        workflow.reopen_case(db, world.staff, case_id=case.id, reason="我觉得")
    view = views.party_view(db, world.resident, case_id=case.id)
    assert view.can_request_reopen and view.reopen_until is not None
    stranger = resident(db, world, "13800000078", "路人乙", "602")
    with pytest.raises(NotFound):
        workflow.request_reopen(db, stranger, case_id=case.id, reason="x")
    with pytest.raises(ValidationError):
        workflow.request_reopen(db, world.resident, case_id=case.id, reason=" ")
    workflow.request_reopen(db, world.resident, case_id=case.id, reason="楼上又漏了。")
    with pytest.raises(Conflict):
        workflow.request_reopen(db, world.resident2, case_id=case.id, reason="我也要")
    assert any(i.key == "mediation.reopen" and i.count == 1 for i in staff_todo(db, world.staff))
    workflow.reopen_case(db, world.staff, case_id=case.id, reason="楼上又漏水，重新调解。")
    again = db.get(MediationCase, case.id)
    assert again.status == "in_progress" and again.reopened_count == 1 and again.outcome == ""
    # Closed again; 31 days later it is too late, also for staff with a phoned-in request.
    workflow.record_outcome(db, world.staff, case_id=case.id, responsibility="respondent", outcome="agreed",
                            agreement="再修一次。")
    workflow.close_case(db, world.staff, case_id=case.id)
    with travel(datetime.now(UTC) + timedelta(days=31)):
        with pytest.raises(Conflict):
            workflow.request_reopen(db, world.resident, case_id=case.id, reason="又漏了")
        with pytest.raises(Conflict):
            workflow.reopen_case(db, world.staff, case_id=case.id, reason="电话", channel="phone",
                                 party_id=views.staff_view(db, world.staff, case_id=case.id).parties[0].id)
    # Within the 30 days, a request by phone is recorded by staff with who asked.
    party = views.staff_view(db, world.staff, case_id=case.id).parties[1].id
    workflow.reopen_case(db, world.staff, case_id=case.id, reason="张建国来电要求重新调解", channel="phone",
                         party_id=party)
    assert db.get(MediationCase, case.id).reopened_count == 2


# --------------------------------------------------------------------------- clocks


def test_quiet_and_unanswered_cases_are_flagged_on_the_staff_home(db, world):
    late = file(db, world)
    quiet = file(db, world, description="狗不拴绳")
    workflow.assign_mediator(db, world.staff, case_id=quiet.id, account_id=world.staff.account_id)
    assert not any(i.key in ("mediation.late", "mediation.quiet") for i in staff_todo(db, world.staff))
    with travel(datetime.now(UTC) + timedelta(hours=25)):
        items = {i.key: i for i in staff_todo(db, world.staff)}
        assert items["mediation.late"].count == 1 and items["mediation.late"].urgent
        assert "mediation.quiet" not in items
        board = views.staff_board(db, world.staff, view="late")
        assert [r.id for r in board.items] == [late.id] and board.items[0].late
    with travel(datetime.now(UTC) + timedelta(days=5)):
        items = {i.key: i for i in staff_todo(db, world.staff)}
        assert items["mediation.quiet"].count == 1
        assert [r.id for r in views.staff_board(db, world.staff, view="quiet").items] == [quiet.id]
        assert views.party_view(db, world.resident, case_id=quiet.id).days_quiet == 5
    # A logged phone call to a party counts as feedback: the quiet clock starts again.
    with travel(datetime.now(UTC) + timedelta(days=5, minutes=1)):
        party = views.staff_view(db, world.staff, case_id=quiet.id).parties[0].id
        updates.post_update(db, world.staff, case_id=quiet.id, text="电话告知进展。", visibility="private",
                            party_id=party, channel="phone")
        assert not any(i.key == "mediation.quiet" for i in staff_todo(db, world.staff))
    # An internal note does not.
    with travel(datetime.now(UTC) + timedelta(days=10)):
        updates.post_update(db, world.staff, case_id=quiet.id, text="内部备注", visibility="internal")
        assert any(i.key == "mediation.quiet" for i in staff_todo(db, world.staff))
    # Other-community staff see no mediation items of ours.
    with travel(datetime.now(UTC) + timedelta(days=5)):
        assert not [i for i in staff_todo(db, world.other_staff) if i.key.startswith("mediation")]


def test_the_community_sets_its_own_clock(db, world):
    file(db, world)
    rules = clocks.update_rules(db, world.staff, quiet_days=7, answer_hours=48)
    assert (rules.quiet_days, rules.answer_hours) == (7, 48)
    with travel(datetime.now(UTC) + timedelta(hours=30)):
        assert not any(i.key == "mediation.late" for i in staff_todo(db, world.staff))
    for bad in (dict(quiet_days=0, answer_hours=24), dict(quiet_days=3, answer_hours="x"),
                dict(quiet_days=3, answer_hours=24, room_type_id=123456)):
        with pytest.raises(ValidationError):
            clocks.update_rules(db, world.staff, **bad)
    with pytest.raises(NotAllowed):
        clocks.update_rules(db, world.resident, quiet_days=3, answer_hours=24)
    assert db.exec(select(AuditLog).where(AuditLog.action == "mediation.settings.update")).first()


# --------------------------------------------------------------------------- sessions


def test_a_session_takes_a_place_of_the_room_and_a_full_slot_is_refused(db, world):
    _, _, slots = room(db, world)
    case = file(db, world)
    with pytest.raises(Conflict):  # not accepted yet
        sessions.schedule_session(db, world.staff, case_id=case.id, slot_id=slots[0].id)
    workflow.assign_mediator(db, world.staff, case_id=case.id, account_id=world.staff.account_id)
    options = sessions.free_room_slots(db, world.staff, case_id=case.id)
    assert [o.slot_id for o in options] == [s.id for s in slots]
    meeting = sessions.schedule_session(db, world.staff, case_id=case.id, slot_id=slots[0].id, note="双方到场")
    assert taken(db, slots[0].id) == 1 and meeting.holding_slot_id == slots[0].id
    assert slots[0].id not in [o.slot_id for o in sessions.free_room_slots(db, world.staff, case_id=case.id)]
    other = file(db, world, description="另一件事")
    workflow.assign_mediator(db, world.staff, case_id=other.id, account_id=world.staff.account_id)
    with pytest.raises(Conflict) as e:
        sessions.schedule_session(db, world.staff, case_id=other.id, slot_id=slots[0].id)
    assert e.value.key == "mediation.error.slot_full"
    assert taken(db, slots[0].id) == 1
    view = views.party_view(db, world.resident2, case_id=case.id)
    assert view.sessions and view.sessions[0].location == "二楼调解室" and view.sessions[0].note == ""
    assert any("调解会" in n.title or "session" in n.title for n in notes_of(db, world.resident2))
    sessions.cancel_session(db, world.staff, session_id=meeting.id, reason="调解员生病")
    assert taken(db, slots[0].id) == 0
    sessions.schedule_session(db, world.staff, case_id=other.id, slot_id=slots[0].id)
    assert taken(db, slots[0].id) == 1
    with pytest.raises(NotAllowed):
        sessions.schedule_session(db, world.other_staff, case_id=case.id, slot_id=slots[1].id)


def test_a_slot_of_another_type_or_gone_is_refused_and_closing_frees_sessions_ahead(db, world):
    stype, day, slots = room(db, world, capacity=2)
    case = file(db, world)
    workflow.assign_mediator(db, world.staff, case_id=case.id, account_id=world.staff.account_id)
    other_type = ServiceType(community_id=world.community_id, code="room_study", name="自习室", kind="slot",
                             category="room")
    db.add(other_type)
    db.flush()
    foreign = ServiceSlot(service_day_id=day.id, service_type_id=other_type.id, number=9, starts_at=NOW + timedelta(days=3),
                          ends_at=NOW + timedelta(days=3, hours=1), capacity=1)
    db.add(foreign)
    db.commit()
    for bad in (foreign.id, 999999, "1", True):
        with pytest.raises(ValidationError):
            sessions.schedule_session(db, world.staff, case_id=case.id, slot_id=bad)
    sessions.schedule_session(db, world.staff, case_id=case.id, slot_id=slots[0].id)
    with pytest.raises(Conflict):  # one session per slot even when the room has two places
        sessions.schedule_session(db, world.staff, case_id=case.id, slot_id=slots[0].id)
    assert taken(db, slots[0].id) == 1
    workflow.record_outcome(db, world.staff, case_id=case.id, responsibility="none", outcome="not_agreed")
    workflow.close_case(db, world.staff, case_id=case.id)
    assert taken(db, slots[0].id) == 0
    assert db.exec(select(MediationSession)).one().status == "cancelled"


def test_recording_a_session_needs_it_to_have_started(db, world):
    _, _, slots = room(db, world)
    case = file(db, world)
    workflow.assign_mediator(db, world.staff, case_id=case.id, account_id=world.staff.account_id)
    meeting = sessions.schedule_session(db, world.staff, case_id=case.id, slot_id=slots[0].id)
    with pytest.raises(Conflict):
        sessions.record_session(db, world.staff, session_id=meeting.id, note="谈了")
    with travel(datetime.now(UTC) + timedelta(days=3)):
        sessions.record_session(db, world.staff, session_id=meeting.id, note="双方当面沟通，初步达成一致。")
    assert db.get(MediationSession, meeting.id).status == "held" and taken(db, slots[0].id) == 1


# --------------------------------------------------------------------------- lists and numbers


def test_my_cases_and_the_board(db, world):
    a = file(db, world)
    b = file(db, world, category="noise", description="噪音", consent_share=False)
    mine = views.my_cases(db, world.resident2)
    assert [c.id for c in mine] == [b.id, a.id] and all(c.my_role == "respondent" for c in mine)
    assert mine[0].title == "" and mine[1].title  # no consent: no facts in the list either
    assert views.my_cases(db, resident(db, world, "13800000079", "路人丙", "603")) == []
    board = views.staff_board(db, world.staff, view="new", query="张建国")
    assert board.total == 2 and "李秀英" in board.items[0].parties
    assert views.staff_board(db, world.staff, view="open", query=a.number).total == 1
    assert views.staff_board(db, world.staff, view="open", category="noise").total == 1
    with pytest.raises(NotAllowed):
        views.staff_board(db, world.resident)
    assert views.staff_board(db, world.other_staff).total == 0


def test_numbers_by_category_and_month_share_settled_and_median(db, world):
    start = datetime.now(UTC) - timedelta(days=70)
    durations = [(0, "leak", "agreed", 4), (1, "noise", "agreed", 10), (2, "leak", "not_agreed", 7)]
    for i, category, outcome, days in durations:
        with travel(start + timedelta(days=i)):
            case = file(db, world, category=category)
            workflow.assign_mediator(db, world.staff, case_id=case.id, account_id=world.staff.account_id)
            workflow.record_outcome(db, world.staff, case_id=case.id, responsibility="none", outcome=outcome,
                                    agreement="协议" if outcome != "not_agreed" else "")
        with travel(start + timedelta(days=i + days)):
            workflow.close_case(db, world.staff, case_id=case.id)
    file(db, world, category="pet")
    n = stats.numbers(db, world.staff)
    assert n.filed == 4 and n.closed == 3 and n.agreed == 2 and n.not_agreed == 1
    assert n.share_settled == pytest.approx(2 / 3) and n.median_days == pytest.approx(7, abs=0.05)
    assert n.category_totals["leak"] == 2 and n.categories == ["leak", "noise", "pet"]
    assert len(n.months) == 12 and sum(m.total for m in n.months) == 4 and n.open_now == 1
    with pytest.raises(NotAllowed):
        stats.numbers(db, world.resident)


def test_the_update_form_refuses_bad_input(db, world):
    case = file(db, world)
    for kw in (dict(text=""), dict(text="x", visibility="secret"), dict(text="x", channel="fax"),
               dict(text="x", visibility="private"), dict(text="x", visibility="private", party_id=999),
               dict(text="x" * 1001)):
        with pytest.raises(ValidationError):
            updates.post_update(db, world.staff, case_id=case.id, **kw)
    assert [u.status for u in db.exec(select(CaseUpdate).where(CaseUpdate.case_id == case.id)).all()] == ["filed"]


def test_since_and_closing_dates_are_checked(db, world):
    case = file(db, world, since=date.today() - timedelta(days=10))
    assert case.since is not None
    workflow.assign_mediator(db, world.staff, case_id=case.id, account_id=world.staff.account_id)
    workflow.record_outcome(db, world.staff, case_id=case.id, responsibility="applicant", outcome="agreed",
                            agreement="好")
    with pytest.raises(ValidationError):
        workflow.close_case(db, world.staff, case_id=case.id, followup_on="2000-01-01")
    workflow.close_case(db, world.staff, case_id=case.id)
    with pytest.raises(ValidationError):
        workflow.plan_followup(db, world.staff, case_id=case.id, followup_on="")
    workflow.plan_followup(db, world.staff, case_id=case.id, followup_on=(NOW + timedelta(days=3)).date().isoformat())
    assert db.get(MediationCase, case.id).followup_on is not None


def test_the_parties_are_reminded_the_day_before_a_session(db, world):
    from community_app.services.core import reminders

    _, _, slots = room(db, world)
    case = file(db, world)
    workflow.assign_mediator(db, world.staff, case_id=case.id, account_id=world.staff.account_id)
    sessions.schedule_session(db, world.staff, case_id=case.id, slot_id=slots[0].id)
    # 18:00 on the eve, in the community's zone (a fixed number of hours before would fall on the
    # session's own day when the session is late in the day, e.g. a run at 20:00 in Beijing).
    session_day = slots[0].starts_at.astimezone(SHANGHAI).date()
    eve = datetime.combine(session_day - timedelta(days=1), time(18, 0), SHANGHAI).astimezone(UTC)
    assert reminders.send(db, [sessions.session_reminders], now=eve) == 2  # both parties have the app
    assert reminders.send(db, [sessions.session_reminders], now=eve) == 0  # once only
    assert any("明天" in n.title for n in notes_of(db, world.resident2))


def test_topics_open_comment_vote_and_decide_by_area(db, world):
    from community_app.services.mediation import topics

    stranger = resident(db, world, "13800000080", "外楼人", "101", building="9")
    # A resident opens a topic only for an area they live in.
    with pytest.raises(NotAllowed):
        topics.open_topic(db, stranger, title="3号楼", body="x", compound_id=world.compound_id, buildings="3")
    topic = topics.open_topic(db, world.resident, title="3号楼屋顶漏水", body="下雨就漏。", compound_id=world.compound_id,
                              buildings="3", poll_question="怎么修？", options=["维修基金", "各户分摊"])
    for bad in (dict(options=["只有一个"]), dict(options=["a", "b"], poll_question=""), dict(buildings="1" * 9),
                dict(title="")):
        args = dict(title="t", body="b", compound_id=world.compound_id, poll_question="q", options=["a", "b"])
        args.update(bad)
        with pytest.raises(ValidationError):
            topics.open_topic(db, world.staff, **args)
    view = topics.topic_view(db, world.resident2, topic_id=topic.id)
    assert view.can_vote and view.can_comment and not view.can_decide
    outsider = topics.topic_view(db, stranger, topic_id=topic.id)  # readable by the community, not votable
    assert not outsider.can_vote and not outsider.can_comment
    with pytest.raises(NotAllowed):
        topics.vote(db, stranger, topic_id=topic.id, option_id=view.options[0].id)
    with pytest.raises(NotAllowed):
        topics.comment(db, stranger, topic_id=topic.id, body="我也说两句")
    with pytest.raises(NotFound):
        topics.topic_view(db, world.other_staff, topic_id=topic.id)
    topics.vote(db, world.resident2, topic_id=topic.id, option_id=view.options[0].id)
    topics.vote(db, world.resident2, topic_id=topic.id, option_id=view.options[1].id)  # changes the vote
    topics.comment(db, world.resident2, topic_id=topic.id, body="我同意用维修基金。")
    after = topics.topic_view(db, world.resident2, topic_id=topic.id)
    assert [o.votes for o in after.options] == [0, 1] and after.options[1].mine and len(after.comments) == 1
    with pytest.raises(NotAllowed):
        topics.decide(db, world.resident, topic_id=topic.id, decision="我说了算")
    topics.decide(db, world.staff, topic_id=topic.id, decision="申请维修基金，下月施工。")
    assert any("屋顶" in n.title for n in notes_of(db, world.resident2))  # the area is told
    assert not any("屋顶" in n.title for n in notes_of(db, stranger))
    with pytest.raises(Conflict):
        topics.vote(db, world.resident2, topic_id=topic.id, option_id=view.options[0].id)
    assert [r.status for r in topics.list_topics(db, stranger)] == ["decided"]
