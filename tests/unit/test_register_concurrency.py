"""The register under concurrent writers, on SQLite and PostgreSQL: threads with their own
sessions released together by a barrier."""

from __future__ import annotations

import pytest
from sqlalchemy import func
from sqlmodel import select

from community_app import db as dbmod
from community_app.models import NoticeRead, RequestUpdate, Resident, ResidentRequest
from community_app.services.register import imports, notices, people, requests, requests_desk
from community_app.services.register.people import NewAddress, PersonFields
from tests.conftest import build_world
from tests.unit.register_helpers import build_reg
from tests.unit.test_booking_concurrency import _run_together
from tests.unit.test_register_import import GOOD, xlsx

pytestmark = pytest.mark.timeout(180)


def _reg():
    with dbmod.write_session() as s:
        return build_reg(s, build_world(s))


def test_the_same_sheet_imported_twice_at_once_is_written_once(any_db_url):
    reg = _reg()
    data = xlsx(GOOD)
    outcomes = _run_together([lambda s: imports.commit_import(s, reg.staff, data=data, filename="a.xlsx").created,
                              lambda s: imports.commit_import(s, reg.admin, data=data, filename="a.xlsx").created])
    assert sorted(o[0] for o in outcomes) == ["conflict", "ok"]
    with dbmod.session() as s:
        assert s.exec(select(func.count(Resident.id)).where(Resident.name == "赵桂兰")).one() == 1


def test_one_mobile_added_twice_at_once_gives_one_person(any_db_url):
    reg = _reg()

    def add(actor, room):
        return lambda s: people.add_resident(s, actor, person=PersonFields(name=f"新人{room}", mobile="13611119999"),
                                             address=NewAddress(reg.world.compound_id, "4", "1", room)).id

    outcomes = _run_together([add(reg.staff, "101"), add(reg.admin, "102"), add(reg.worker, "103")])
    assert sorted(o[0] for o in outcomes) == ["conflict", "conflict", "ok"]
    with dbmod.session() as s:
        assert s.exec(select(func.count(Resident.id)).where(Resident.mobile == "13611119999")).one() == 1


def test_two_staff_respond_at_once_the_clock_stops_once(any_db_url):
    reg = _reg()
    with dbmod.write_session() as s:
        req = requests.submit_request(s, reg.world.resident, kind="report", category="fire_risk",
                                      description="飞线充电", location="3号楼", urgent=True)
    jobs = [lambda s, a=a: requests_desk.add_step(s, a, request_id=req.id, step="respond", note=f"{a.display_name}到场")
            .responded_at for a in (reg.staff, reg.worker, reg.plain)]
    outcomes = _run_together(jobs)
    assert all(o[0] == "ok" for o in outcomes)
    with dbmod.session() as s:
        final = s.get(ResidentRequest, req.id)
        assert final.status == "responded" and final.responded_at == min(o[1] for o in outcomes)
        assert s.exec(select(func.count(RequestUpdate.id)).where(RequestUpdate.request_id == req.id,
                                                                 RequestUpdate.status == "respond")).one() == 3


def test_a_notice_read_on_two_devices_at_once_counts_once(any_db_url):
    reg = _reg()
    with dbmod.write_session() as s:
        n = notices.publish_notice(s, reg.staff, title="停水", body="周六停水")
    outcomes = _run_together([lambda s: notices.mark_read(s, reg.world.resident, notice_id=n.id)] * 4)
    assert all(o[0] == "ok" for o in outcomes)
    with dbmod.session() as s:
        assert s.exec(select(func.count(NoticeRead.id))).one() == 1

