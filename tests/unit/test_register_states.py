"""The register's page states are public endpoints: called with a resident's (or another
community's) session and hostile arguments they change and reveal nothing; with the right
staff session they work (the positive control)."""

from __future__ import annotations

import asyncio
import inspect
from concurrent.futures import ThreadPoolExecutor

import pytest
import reflex as rx
from reflex.istate.data import RouterData
from sqlmodel import func, select

from community_app.models import Notice, RequestUpdate, Resident, ResidentCare, StaffPermission
from community_app.services import auth
from community_app.services.auth import SESSION_COOKIE
from community_app.services.register import requests
from community_app.state.register.household import HouseholdState, MemberRow
from community_app.state.register.imports import ImportState
from community_app.state.register.notices import ResidentNoticesState, StaffNoticesState
from community_app.state.register.register_list import RegisterListState
from community_app.state.register.requests_staff import StaffRequestState
from community_app.state.register.roles import RolesState
from community_app.state.register.urgent import UrgentState
from community_app.state.staff import StaffHomeState
from tests.unit.register_helpers import build_reg
from tests.unit.test_register_import import GOOD, xlsx

PW = "correct horse battery"


@pytest.fixture
def reg(db, world):
    return build_reg(db, world)


def state_for(cls, token: str, path: str = "/", params: dict | None = None):
    root = rx.State(init_substates=False)
    parent = cls.get_parent_state()(parent_state=root, init_substates=False)
    state = cls(parent_state=parent, init_substates=False)
    state.router = RouterData.from_router_data({"headers": {"cookie": f"{SESSION_COOKIE}={token}"}, "pathname": path,
                                                "asPath": path, "query": params or {}})
    return state


def run(handler, state, *args):
    """Run a handler as Reflex would (sync, coroutine, generator or async generator)."""
    result = handler.fn(state, *args)
    if inspect.isasyncgen(result):
        async def drain():
            return [x async for x in result]
        with ThreadPoolExecutor(1) as pool:
            return pool.submit(asyncio.run, drain()).result()
    if inspect.iscoroutine(result):
        with ThreadPoolExecutor(1) as pool:
            return pool.submit(asyncio.run, result).result()
    if inspect.isgenerator(result):
        return list(result)
    return result


def token(db, mobile: str) -> str:
    return auth.sign_in(db, mobile=mobile, password=PW)


def _count(db, model) -> int:
    return db.exec(select(func.count(model.id))).one()


def test_a_resident_gets_nothing_from_the_register_desk(db, reg):
    t = token(db, "13800000001")
    lst = state_for(RegisterListState, t, "/staff/register?care=living_alone")
    run(RegisterListState.load, lst)
    assert lst.rows == [] and lst.grid_options == []
    events = run(RegisterListState.export, lst)
    assert not any("download" in repr(e).lower() for e in events or [])
    before = _count(db, Resident)
    run(RegisterListState.submit_add, lst, {"name": "假居民", "building": "4", "room": "101"})
    assert _count(db, Resident) == before
    hh = db.get(Resident, reg.world.resident2.resident_id).household_id
    house = state_for(HouseholdState, t, params={"household_id": str(hh)})
    run(HouseholdState.load, house)
    assert not house.found and house.members == []
    house.target = MemberRow(id=str(reg.world.resident2.resident_id))
    house.care_pick = ["living_alone"]
    run(HouseholdState.submit_care, house, {"reason": "hijack"})
    assert db.exec(select(ResidentCare).where(ResidentCare.resident_id == reg.world.resident2.resident_id)).all() == []


def test_hostile_arguments_change_nothing(db, reg):
    t = token(db, "13900000001")  # staff with the register permission
    house = state_for(HouseholdState, t, params={"household_id": "1 OR 1=1"})
    run(HouseholdState.load, house)
    assert not house.found
    for bad in ({"$ne": 1}, None, "../../etc", "99999999999999999999"):
        run(HouseholdState.open_dialog, house, "care", bad)
        assert house.dialog == ""
    lst = state_for(RegisterListState, t)
    run(RegisterListState.load, lst)
    for key, value in (("care", "vip"), ("grid", "1;DROP"), ("evil", "x"), ("q", {"a": 1})):
        run(RegisterListState.set_filter, lst, key, value)
    assert lst.filters.get("care") == "" and "evil" not in lst.filters and lst.total == 3


def test_import_and_roles_refuse_who_may_not(db, reg, tmp_path, monkeypatch):
    monkeypatch.setenv("UPLOAD_DIR", str(tmp_path))
    from community_app.settings import reset_settings

    reset_settings()
    sheet = tmp_path / "sheet"
    sheet.write_bytes(xlsx(GOOD))
    before = _count(db, Resident)
    for mobile in ("13800000001", "13900000005"):  # a resident; staff without the permission
        imp = state_for(ImportState, token(db, mobile))
        imp._path, imp.filename, imp.total, imp.good = str(sheet), "a.xlsx", 3, 3
        run(ImportState.commit, imp)
        assert _count(db, Resident) == before
    plain = state_for(RolesState, token(db, "13900000005"))
    run(RolesState.load, plain)
    assert not plain.is_admin and plain.staff == []
    plain.community = str(reg.world.community_id)
    run(RolesState.toggle, plain, str(reg.plain.account_id), "register", True)
    assert db.exec(select(StaffPermission).where(StaffPermission.account_id == reg.plain.account_id)).first() is None
    admin = state_for(RolesState, token(db, "13900000000"))
    run(RolesState.load, admin)
    assert admin.is_admin and {s.name for s in admin.staff} >= {"刘婷", "孙干事"}
    run(RolesState.toggle, admin, str(reg.plain.account_id), "register", True)
    assert db.exec(select(StaffPermission).where(StaffPermission.account_id == reg.plain.account_id)).first()


def test_urgent_clock_notices_and_requests_stay_in_their_community(db, reg):
    req = requests.submit_request(db, reg.world.resident, kind="report", category="fire_risk", description="飞线",
                                  location="3号楼", urgent=True)
    resident = state_for(UrgentState, token(db, "13800000002"))
    run(UrgentState.poll, resident)
    assert resident.urgent_n == 0 and resident.urgent == []
    other = state_for(UrgentState, token(db, "13900000002"))  # staff of the other community
    run(UrgentState.poll, other)
    assert other.urgent_n == 0
    staff = state_for(UrgentState, token(db, "13900000005"))
    run(UrgentState.poll, staff)
    assert staff.urgent_n == 1 and staff.urgent[0].id == req.id and staff.urgent[0].href.endswith(str(req.id))
    desk = state_for(StaffRequestState, token(db, "13900000002"), params={"request_id": str(req.id)})
    run(StaffRequestState.load, desk)
    assert not desk.found
    desk.r.id = req.id
    run(StaffRequestState.reply, desk, {"note": "不是我们社区的"})
    assert db.exec(select(RequestUpdate).where(RequestUpdate.status == "respond")).first() is None
    notices = state_for(StaffNoticesState, token(db, "13800000001"))
    run(StaffNoticesState.publish, notices, {"title": "假通知", "body": "x"})
    assert _count(db, Notice) == 0
    home = state_for(ResidentNoticesState, token(db, "13900000005"))  # staff without a resident record
    run(ResidentNoticesState.load, home)
    assert home.notices == []


def test_staff_home_opens_on_a_grid_workers_grid(db, reg):
    worker = state_for(StaffHomeState, token(db, "13900000003"))
    run(StaffHomeState.load, worker)
    assert worker.grid == str(reg.grid1) and worker.loaded
    assert {t["key"] for t in worker.todo} <= {"requests.urgent", "requests.overdue", "requests.new", "requests.mine",
                                                "register.visits_overdue"}
    resident = state_for(StaffHomeState, token(db, "13800000001"))
    run(StaffHomeState.load, resident)
    assert resident.todo == [] and resident.per_grid == []


def test_a_category_tapped_while_the_report_page_loads_survives_its_start_and_a_stale_one_does_not():
    # The page's taps made before it has hydrated are replayed once it has, which can be before
    # the page's on_load ``start`` runs (seen with two backend workers): the fresh choice stays.
    from community_app.state.register import requests_resident as rr

    form = state_for(rr.ReportState, "", "/report")
    run(rr.ReportState.set_category, form, "fire_risk")
    run(rr.ReportState.set_urgent, form, True)
    run(rr.ReportState.start, form)
    assert (form.category, form.urgent) == ("fire_risk", True)
    # A choice left from an earlier visit is cleared by this visit's start.
    form._touched_at -= rr.FRESH_CHOICE_SECONDS + 1
    run(rr.ReportState.start, form)
    assert (form.category, form.urgent) == ("", False)
