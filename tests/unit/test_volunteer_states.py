"""The volunteering states are public endpoints: a resident calling staff handlers, or any
handler with hostile arguments, changes nothing; and the happy paths go through the services."""

from __future__ import annotations

import asyncio
import inspect
from concurrent.futures import ThreadPoolExecutor

from reflex.istate.data import RouterData
from sqlmodel import select

from community_app.models import AuditLog, PointsEntry, Redemption, ShiftSignup, TeamMember
from community_app.services import auth
from community_app.services.auth import SESSION_COOKIE
from community_app.services.volunteering import points
from community_app.state.volunteer.hub import VolHubState
from community_app.state.volunteer.publish import VolPublishState
from community_app.state.volunteer.shift import VolShiftState
from community_app.state.volunteer.shop import VolShopState
from community_app.state.volunteer.staff_handover import StaffVolHandoverState
from community_app.state.volunteer.staff_ledger import StaffVolLedgerState
from community_app.state.volunteer.staff_teams import StaffVolTeamsState
from tests.unit.test_states import _run as _run_gen
from tests.unit.test_states import _state
from tests.unit.vol_helpers import build, good, publish


def _run(db, handler, state, *args):
    """Like test_states._run, for plain coroutine handlers too. The test's own session ends its
    transaction first: it must not hold SQLite's write lock while a handler writes."""
    db.rollback()
    result = handler.fn(state, *args)
    if inspect.iscoroutine(result):
        with ThreadPoolExecutor(1) as pool:
            return pool.submit(asyncio.run, result).result()
    if inspect.isasyncgen(result) or inspect.isgenerator(result):
        return _run_gen(handler, state, *args)
    return result


def _token(db, vw, mobile: str) -> str:
    return auth.sign_in(db, mobile=mobile, password=vw.w.password)


def test_hub_lists_shifts_and_signs_up_through_the_service(db):
    vw = build(db)
    _, [shift] = publish(db, vw.staff, vw.team.id)
    state = _state(VolHubState, _token(db, vw, "13800000002"))
    _run(db, VolHubState.load, state)
    assert state.loaded and [r.id for r in state.shifts] == [shift.id] and state.summary.is_volunteer
    for hostile in ("x", None, {"$ne": 1}, -1, 10**20):
        _run(db, VolHubState.ask, state, hostile)
        assert state.pending_id == 0
    _run(db, VolHubState.ask, state, str(shift.id))
    _run(db, VolHubState.confirm, state)
    assert db.exec(select(ShiftSignup.resident_id)).all() == [vw.member.resident_id]
    assert state.shifts[0].state == "signed_up"


def test_a_resident_calling_staff_handlers_changes_nothing(db):
    vw = build(db)
    r = good(db, vw.w.community_id, cost=1)
    points.award(db, resident_id=vw.member.resident_id, points=5, reason_key="points.reason.shift", source="s:1",
                 actor=None)
    db.commit()
    token = _token(db, vw, "13800000002")
    shop_state = _state(VolShopState, token)
    _run(db, VolShopState.load, shop_state)
    _run(db, VolShopState.ask, shop_state, r.id)
    _run(db, VolShopState.confirm, shop_state)
    red = db.exec(select(Redemption)).one()
    assert shop_state.done_code.replace(" ", "") == red.pickup_code
    db.rollback()  # the test's own session must not hold SQLite's write lock while handlers run
    handover = _state(StaffVolHandoverState, token)  # a resident on the staff hand-over desk
    handover.match = {"id": str(red.id), "code": red.pickup_code, "can_cancel": "1"}
    _run(db, StaffVolHandoverState.hand_over, handover)
    ledger_state = _state(StaffVolLedgerState, token)
    ledger_state.picked_id = str(vw.member.resident_id)
    _run(db, StaffVolLedgerState.submit_adjust, ledger_state, {"delta": "1000", "reason": "给自己加分"})
    teams_state = _state(StaffVolTeamsState, token)
    teams_state.team_id = vw.team.id
    teams_state.picked_id = str(vw.outsider.resident_id)
    _run(db, StaffVolTeamsState.make_leader, teams_state)
    db.expire_all()
    assert db.get(Redemption, red.id).status == "pending"
    assert [e.delta for e in db.exec(select(PointsEntry))] == [5, -1]
    assert db.exec(select(AuditLog).where(AuditLog.action.in_(["points.adjust", "shop.hand_over",
                                                                "team.set_leader"]))).all() == []
    assert db.get(type(vw.team), vw.team.id).leader_resident_id == vw.leader.resident_id


def test_the_shift_page_checks_codes_on_the_server(db):
    vw = build(db)
    _, [shift] = publish(db, vw.staff, vw.team.id)
    token = _token(db, vw, "13800000002")
    state = _state(VolShiftState, token)
    path = f"/volunteer/shifts/{shift.id}"
    state.router = RouterData.from_router_data({"headers": {"cookie": f"{SESSION_COOKIE}={token}"},
                                                "pathname": path, "asPath": path})
    db.rollback()
    _run(db, VolShiftState.load, state)
    assert state.load_error == ""
    assert state.found and state.v.can_sign_up and state.code_in == ""  # a member sees no venue codes
    _run(db, VolShiftState.use_code, state, {"code": shift.checkin_code})
    assert state.code_error  # not signed up / not open yet
    _run(db, VolShiftState.sign_up, state)
    assert db.exec(select(ShiftSignup)).one().status == "signed_up"


def test_the_publish_form_takes_numbers_from_number_inputs(db):
    vw = build(db)
    state = _state(VolPublishState, _token(db, vw, "13800000001"))  # the leader
    state.p_team = str(vw.team.id)
    state._reset_form(str(vw.team.id))
    _run(db, VolPublishState.set_row, state, 0, "places", 3)
    _run(db, VolPublishState.set_row, state, 0, "points", 20)
    _run(db, VolPublishState.set_row, state, 0, "bogus", "1")
    _run(db, VolPublishState.set_row, state, 7, "places", "1")
    assert (state.p_rows[0]["places"], state.p_rows[0]["points"]) == ("3", "20")
    _run(db, VolPublishState.submit, state, {"title": "上门理发", "location": "各小区", "places-0": 4})
    from community_app.models import Shift

    assert [(s.capacity, s.points) for s in db.exec(select(Shift))] == [(4, 20)]
    assert db.exec(select(TeamMember)).all()
